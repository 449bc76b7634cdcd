/**
 * The command line's Python options as a user runs them: --preload, --reload of an edited
 * .py, --python-writable, and --workers, on both runtimes.
 */

import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { type CliProcess, killAll, runCli } from "../support/cli_process.ts";
import { RUNTIMES } from "../support/server_process.ts";
import { fromFileUrl, join } from "../../src/base/path.ts";

const FIXTURES = fromFileUrl(new URL("../fixtures/python/", import.meta.url));
const PYTHON_TIMEOUT = 90_000;
const folders: string[] = [];

function appFolder(source: string): string {
  const folder = mkdtempSync(join(tmpdir(), "edge-wsgi-py-"));
  folders.push(folder);
  writeFileSync(join(folder, "app.py"), source);
  return folder;
}

const saying = (word: string) => `
def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"${word}"]
`;

// --reload and --workers start processes of their own: SIGTERM lets the parent stop them too
// (SIGKILL would leave them running, each holding an interpreter).
const started: CliProcess[] = [];
afterEach(async () => {
  for (const server of started.splice(0)) {
    server.child.kill("SIGTERM");
    await server.exitWithin(15_000);
  }
  killAll();
}, 40_000);
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function start(...args: Parameters<typeof runCli>): CliProcess {
  const server = runCli(...args);
  started.push(server);
  return server;
}

for (const runtime of RUNTIMES) {
  describe(`${runtime}: the Python options of the command line`, () => {
    test("--preload loads Python before the server listens", async () => {
      const server = start(runtime, { args: ["--preload", "--access-log", "off"] });
      await server.listening();
      expect(server.stderr()).toContain("python: loading Pyodide…");
      expect(server.stderr()).toMatch(/\[INFO\] python: ready in \d+ ms/);
    }, PYTHON_TIMEOUT);

    test("--reload serves an edited .py without a restart by hand", async () => {
      const folder = appFolder(saying("one"));
      const server = start(runtime, {
        args: ["--reload", "--mount", `/r=${folder}/app.py`, "--access-log", "off"],
      });
      const { url } = await server.listening();
      expect(await (await fetch(`${url}r`)).text()).toBe("one");
      writeFileSync(join(folder, "app.py"), saying("two"));
      // A later modification time, even on a file system with coarse timestamps.
      const later = new Date(Date.now() + 2000);
      utimesSync(join(folder, "app.py"), later, later);
      let body = "";
      for (let i = 0; i < 120 && body !== "two"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        body = await fetch(`${url}r`).then((response) => response.text(), () => "");
      }
      expect(body).toBe("two");
    }, PYTHON_TIMEOUT);

    test("--python-writable lets an app write to its folder", async () => {
      const folder = appFolder(readFileSync(join(FIXTURES, "behave.py"), "utf8"));
      const server = start(runtime, {
        args: ["--python-writable", "--mount", `/w=${folder}/app.py`, "--access-log", "off"],
      });
      const { url } = await server.listening();
      expect(await (await fetch(`${url}w/readonly`)).text()).toBe("written");
      expect(readFileSync(join(folder, "created-by-the-app.txt"), "utf8")).toBe("x");
    }, PYTHON_TIMEOUT);

    test("without it the same write is an OSError and nothing is written", async () => {
      const folder = appFolder(readFileSync(join(FIXTURES, "behave.py"), "utf8"));
      const server = start(runtime, {
        args: ["--mount", `/w=${folder}/app.py`, "--access-log", "off"],
      });
      const { url } = await server.listening();
      expect(await (await fetch(`${url}w/readonly`)).text()).toBe("EROFS");
      expect(existsSync(join(folder, "created-by-the-app.txt"))).toBe(false);
    }, PYTHON_TIMEOUT);

    test("--workers 2: each worker runs Python, with wsgi.multiprocess True", async () => {
      const server = start(runtime, {
        args: ["--workers", "2", "--mount", `/b=${FIXTURES}behave.py`, "--access-log", "off"],
      });
      const { url } = await server.listening();
      const answers = await Promise.all(
        Array.from({ length: 4 }, () => fetch(`${url}b/flags`).then((r) => r.text())),
      );
      for (const answer of answers) expect(answer).toBe("[(1, 0), True, True, False, True]");
    }, PYTHON_TIMEOUT);
  });
}
