/**
 * Prints the frames with the most self time in a V8/JavaScriptCore `.cpuprofile` (the format
 * `deno --cpu-prof` and `bun --cpu-prof` write), as a Markdown table: share of all samples and
 * of the busy ones (all but `(idle)`, `(program)` and `(garbage collector)` stay listed).
 *
 * Run: `deno run -A bench/profile_top.ts FILE.cpuprofile [COUNT]` (or `bun run …`).
 *
 * @module
 */

import { readFileSync } from "node:fs";
import process from "node:process";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

const [file, count = "15"] = process.argv.slice(2);
if (!file) {
  console.error("usage: profile_top.ts FILE.cpuprofile [COUNT]");
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;

// Self time by node: the sampled time when there are samples, else the hit counts.
const byNode = new Map<number, number>();
if (profile.samples?.length) {
  profile.samples.forEach((id, i) => {
    const delta = Math.max(profile.timeDeltas?.[i + 1] ?? 1, 0);
    byNode.set(id, (byNode.get(id) ?? 0) + delta);
  });
} else {
  for (const node of profile.nodes) byNode.set(node.id, node.hitCount ?? 0);
}

// The same function reached by several paths is one frame.
const byFrame = new Map<string, number>();
let total = 0;
let idle = 0;
for (const node of profile.nodes) {
  const time = byNode.get(node.id) ?? 0;
  if (time === 0) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || "(anonymous)";
  total += time;
  if (name === "(idle)") idle += time;
  const where = url
    ? ` ${url.replace(/^.*\/(src|bench|node_modules)\//, "$1/")}:${lineNumber + 1}`
    : "";
  const key = name + where;
  byFrame.set(key, (byFrame.get(key) ?? 0) + time);
}

const busy = total - idle;
console.log(
  `${file}: ${(total / 1e6).toFixed(2)} s sampled, ${(busy * 100 / total).toFixed(0)}% busy`,
);
console.log();
console.log("| frame | self % of all | self % of busy |");
console.log("| ----- | ------------: | -------------: |");
for (const [frame, time] of [...byFrame].sort((a, b) => b[1] - a[1]).slice(0, Number(count))) {
  const ofBusy = frame.startsWith("(idle)") ? "" : (time * 100 / busy).toFixed(1);
  console.log(`| \`${frame}\` | ${(time * 100 / total).toFixed(1)} | ${ofBusy} |`);
}
