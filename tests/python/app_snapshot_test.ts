/**
 * Start-up snapshots taken after the apps are imported (issue 18), on the wire on both runtimes:
 * the first start imports the app and saves the snapshot (Flask's is over 30 MiB, which Pyodide
 * alone failed to restore: pyodide#6254); the next starts answer without importing it, each
 * drawing its own random numbers; an edit to a module the app imports, or a new module that its
 * imports would find first, makes a new snapshot, and the new code is served.
 */

import { afterAll, describe, expect, test } from "bun:test";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { runCli } from "../support/cli_process.ts";
import { vendorDebianPackages } from "../support/python_vendor.ts";
import { RUNTIMES } from "../support/server_process.ts";
import { fromFileUrl, join } from "../../src/base/path.ts";
import { readSnapshot } from "../../src/python/snapshot_cache.ts";

const FIXTURE = fromFileUrl(new URL("../fixtures/python/snapshot_app", import.meta.url));
const TIMEOUT = 240_000;
const IMPORTED = "snapshot_app: imported";

const vendor = vendorDebianPackages();
const work = mkdtempSync(join(tmpdir(), "edge-wsgi-app-snapshot-"));
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  if ("dir" in vendor) vendor.remove();
});

for (const runtime of RUNTIMES) {
  describe.skipIf(!("dir" in vendor))(`${runtime}: a snapshot with the app imported`, () => {
    const site = join(work, `${runtime}-site`);
    const cache = join(work, `${runtime}-cache`);
    cpSync(FIXTURE, site, { recursive: true });

    /** Starts the server, fetches / once, stops it; returns the answer and the error log. */
    async function start(): Promise<{ text: string; log: string }> {
      const server = runCli(runtime, {
        args: [
          "--mount",
          `/s=${join(site, "app.py")}`,
          "--python-path",
          (vendor as { dir: string }).dir,
          "--python-path",
          join(site, "lib"),
          "--python-compat",
          "--python-snapshot",
          cache,
          "--access-log",
          "off",
        ],
      });
      try {
        const { url } = await server.listening();
        const response = await fetch(`${url}s/`);
        const text = await response.text();
        expect(response.status).toBe(200);
        return { text, log: server.stderr() };
      } finally {
        server.child.kill("SIGKILL");
      }
    }

    test(
      "the first start imports the app and saves; the next ones restore it imported",
      async () => {
        const first = await start();
        expect(first.text).toMatch(/^hello 0\.\d+$/);
        expect(first.log).toContain(IMPORTED);
        const [file] = readdirSync(cache).filter((name) => name.endsWith(".snapshot"));
        // A memory larger than Pyodide's initial one: it restores only because it is grown first.
        const snapshot = await readSnapshot(join(cache, file));
        expect(snapshot?.memory?.length).toBeGreaterThan(30 * 1024 * 1024);
        const second = await start();
        const third = await start();
        for (const restored of [second, third]) {
          expect(restored.text).toMatch(/^hello 0\.\d+$/);
          expect(restored.log).toContain("(from a snapshot)");
          expect(restored.log).not.toContain(IMPORTED);
        }
        // Each start reseeds: one snapshot, different numbers.
        expect(second.text).not.toBe(third.text);
      },
      TIMEOUT,
    );

    test("an edit to a module the app imports makes a new snapshot, which serves it", async () => {
      const greeting = join(site, "lib", "greeting.py");
      writeFileSync(greeting, readFileSync(greeting, "utf8").replace('"hello"', '"edited"'));
      const edited = await start();
      expect(edited.text).toMatch(/^edited 0\.\d+$/);
      expect(edited.log).toContain(`${greeting} changed since the snapshot`);
      expect(edited.log).toContain(IMPORTED);
      const again = await start();
      expect(again.text).toMatch(/^edited 0\.\d+$/);
      expect(again.log).not.toContain(IMPORTED);
    }, TIMEOUT);

    test(
      "a file beside the app that no import could find (a database) keeps the snapshot",
      async () => {
        writeFileSync(join(site, "data.sqlite3"), "not a module");
        const kept = await start();
        expect(kept.log).toContain("(from a snapshot)");
        expect(kept.log).not.toContain(IMPORTED);
      },
      TIMEOUT,
    );

    test(
      "a new module beside the app, which its imports find first, makes a new snapshot",
      async () => {
        // The app's folder comes first on sys.path: `from greeting import GREETING` finds this now.
        writeFileSync(join(site, "greeting.py"), 'GREETING = "shadowed"\n');
        const shadowed = await start();
        expect(shadowed.log).toContain(`${site} changed since the snapshot`);
        expect(shadowed.text).toMatch(/^shadowed 0\.\d+$/);
      },
      TIMEOUT,
    );
  });
}
