/**
 * Start-up time of the command line: from the command's start to the first 200 on `/` (a static
 * page) and on `/apps/py-hello` (a Python app, with a warm snapshot cache), on Deno and Bun.
 * Compare two checkouts to see what a change costs (the arbiter's process, for one):
 *
 *   bun run bench/startup.ts                        # this checkout
 *   CHECKOUT=/path/to/other bun run bench/startup.ts
 *   RUNS=11 RUNTIMES="deno bun" ARGS="--workers 2" bun run bench/startup.ts
 *
 * Each run starts `mod.ts` on a free port, polls `/` every 5 ms until it answers 200, then asks
 * `/apps/py-hello` until it answers 200, kills the whole process group and starts the next run.
 * One run before the measured ones warms the module and snapshot caches. Prints the median and
 * the range per runtime, in milliseconds.
 *
 * @module
 */

import { spawn } from "node:child_process";
import { createServer } from "node:net";
import process from "node:process";
import { fromFileUrl, join } from "../src/base/path.ts";

const CHECKOUT = process.env.CHECKOUT ?? fromFileUrl(new URL("../", import.meta.url));
const BIN = join(fromFileUrl(new URL("../", import.meta.url)), "node_modules", ".bin");
const RUNS = Number(process.env.RUNS ?? 7);
const RUNTIMES = (process.env.RUNTIMES ?? "deno bun").split(/\s+/).filter(Boolean);
const ARGS = (process.env.ARGS ?? "").split(/\s+/).filter(Boolean);
const COMMANDS: Record<string, string[]> = {
  deno: [join(BIN, "deno"), "run", "-A", "mod.ts"],
  bun: [join(BIN, "bun"), "run", "mod.ts"],
};

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function firstOk(url: string, deadline: number): Promise<number> {
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status === 200) return performance.now();
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`no 200 from ${url} in time`);
}

async function once(runtime: string): Promise<[number, number]> {
  const port = await freePort();
  const [command, ...args] = COMMANDS[runtime];
  const started = performance.now();
  const child = spawn(command, [...args, "--access-log", "off", ...ARGS], {
    cwd: CHECKOUT,
    env: { ...process.env, PORT: String(port), HOSTNAME: "127.0.0.1" },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  try {
    const deadline = Date.now() + 60_000;
    const page = await firstOk(`http://127.0.0.1:${port}/`, deadline);
    const python = await firstOk(`http://127.0.0.1:${port}/apps/py-hello`, deadline);
    return [page - started, python - started];
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid!, "SIGKILL");
    await exited;
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
const range = (values: number[]) =>
  `${Math.round(Math.min(...values))}–${Math.round(Math.max(...values))}`;

console.log(`checkout: ${CHECKOUT}  args: ${ARGS.join(" ") || "(none)"}  runs: ${RUNS}`);
console.log("| runtime | first 200 on / (ms) | first 200 on /apps/py-hello (ms) |");
console.log("| ------- | ------------------- | -------------------------------- |");
for (const runtime of RUNTIMES) {
  await once(runtime);
  const pages: number[] = [];
  const pythons: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const [page, python] = await once(runtime);
    pages.push(page);
    pythons.push(python);
  }
  console.log(
    `| ${runtime} | ${Math.round(median(pages))} (${range(pages)}) | ` +
      `${Math.round(median(pythons))} (${range(pythons)}) |`,
  );
}
