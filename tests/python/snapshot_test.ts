/**
 * The Pyodide snapshot cache, on Deno and on Bun: the first start saves a snapshot, the next
 * restores it (and the restored interpreter works), and a corrupt file, a foreign file or an
 * unwritable folder only costs a normal start and one log line.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fromFileUrl, join } from "../../src/base/path.ts";
import { type RuntimeName, RUNTIMES } from "../support/server_process.ts";
import { readSnapshot } from "../../src/python/snapshot_cache.ts";

const ROOT = fromFileUrl(new URL("../../", import.meta.url));
const PROBE = "tests/fixtures/python/snapshot_probe.ts";
const COMMANDS: Record<RuntimeName, string[]> = {
  deno: [join(ROOT, "node_modules/.bin/deno"), "run", "-A", "--quiet", PROBE],
  bun: [join(ROOT, "node_modules/.bin/bun"), "run", PROBE],
};
const CHECK = `{"prepared": "yes", "sum": 45}`;
const TIMEOUT = 240_000;

const work = mkdtempSync(join(tmpdir(), "edge-wsgi-snapshot-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the probe with `dir`; returns its JSON line and its stderr. */
function probe(runtime: RuntimeName, dir: string) {
  const [command, ...args] = COMMANDS[runtime];
  const run = spawnSync(command, [...args, dir], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  if (run.status !== 0) throw new Error(`${runtime} probe failed (${run.status}):\n${run.stderr}`);
  const result = JSON.parse(run.stdout.trim().split("\n").at(-1)!);
  return { ...result as { outcome: string; ms: number; check: string }, stderr: run.stderr };
}

function snapshotFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith(".snapshot"));
}

for (const runtime of RUNTIMES) {
  describe(`loadWithSnapshot() on ${runtime}`, () => {
    test("saves a snapshot on the first start and restores it on the next", () => {
      const dir = join(work, `${runtime}-cache`);
      const first = probe(runtime, dir);
      expect(first).toMatchObject({ outcome: "saved", check: CHECK, stderr: "" });
      const files = snapshotFiles(dir);
      expect(files).toHaveLength(1);
      expect(files[0]).toContain(`-${runtime}-`);
      expect(readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
      const second = probe(runtime, dir);
      expect(second).toMatchObject({ outcome: "restored", check: CHECK, stderr: "" });
      console.error(`${runtime}: fresh start ${first.ms} ms, from snapshot ${second.ms} ms`);
    }, TIMEOUT);

    // A cut file, a file that is not ours, and our header around bytes Pyodide rejects.
    const CORRUPT: [string, (bytes: Uint8Array) => Uint8Array][] = [
      ["cut short", (bytes) => bytes.subarray(0, 100_000)],
      ["without our header", (bytes) => bytes.subarray(12)],
      ["with garbage after our header", (bytes) => {
        const copy = bytes.slice();
        copy.fill(0x5a, 12, 4096);
        return copy;
      }],
    ];
    for (const [name, damage] of CORRUPT) {
      test(`starts normally with one log line when the snapshot is ${name}`, async () => {
        const dir = join(work, `${runtime}-cache`);
        const [file] = snapshotFiles(dir);
        const good = readFileSync(join(dir, file));
        writeFileSync(join(dir, file), damage(good));
        const run = probe(runtime, dir);
        expect(run).toMatchObject({ outcome: "saved", check: CHECK });
        expect(run.stderr.trim().split("\n")).toHaveLength(1);
        expect(run.stderr).toContain(`python: snapshot ${join(dir, file)} is unusable`);
        // The broken file was replaced by a good one (of about the same size: a snapshot
        // leaves out its zero pages, which vary by a few from one start to the next).
        expect((await readSnapshot(join(dir, file)))?.memory?.length).toBeGreaterThan(0);
      }, TIMEOUT);
    }

    test("starts normally with one log line when the folder cannot be written", () => {
      const blocker = join(work, `${runtime}-not-a-folder`);
      writeFileSync(blocker, "a file where the folder should be");
      const run = probe(runtime, join(blocker, "cache"));
      expect(run).toMatchObject({ outcome: "fresh", check: CHECK });
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toContain("python: cannot save a snapshot to");
    }, TIMEOUT);

    test('"off" neither reads nor writes a snapshot', () => {
      const run = probe(runtime, "off");
      expect(run).toMatchObject({ outcome: "off", check: CHECK, stderr: "" });
    }, TIMEOUT);
  });
}
