/**
 * The command line's Python options as a user runs them: --preload, --reload of an edited
 * .py, --python-writable, --workers, gunicorn's app names with --chdir and a mount at /, the
 * compatibility layer on by default (and what the log says with it off), the host's time
 * zones, and Python's warnings at their own level, on both runtimes.
 */

import { afterAll, afterEach, describe, expect, test } from "bun:test";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
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

    test(
      "--chdir and a module named as gunicorn names it, at /, behind the files of --root (two workers)",
      async () => {
        // A project as `django-admin startproject` lays one out: site/pkg/wsgi.py imports
        // pkg.settings, which only works with site/ (the working folder) on sys.path.
        const site = appFolder("");
        mkdirSync(join(site, "pkg"));
        mkdirSync(join(site, "public"));
        writeFileSync(join(site, "pkg", "__init__.py"), "");
        writeFileSync(join(site, "pkg", "settings.py"), 'GREETING = "from pkg.settings"\n');
        writeFileSync(
          join(site, "pkg", "wsgi.py"),
          `import os
from pkg.settings import GREETING

def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    where = (environ["SCRIPT_NAME"], environ["PATH_INFO"], os.getcwd())
    return [f"{GREETING} {where!r}".encode()]
`,
        );
        writeFileSync(join(site, "public", "style.css"), "p { color: red }\n");
        const server = start(runtime, {
          // Two workers: on Deno a `deno serve --parallel`, which must find its configuration
          // from the folder --chdir left.
          args: [
            "--chdir",
            site,
            "--mount",
            "/=pkg.wsgi:application",
            "--root",
            "public",
            "--workers",
            "2",
          ],
          env: { ACCESS_LOG: "off" },
        });
        const { url } = await server.listening();
        expect(await (await fetch(`${url}shop/cart`)).text()).toBe(
          `from pkg.settings ('', '/shop/cart', '${site}')`,
        );
        expect(await (await fetch(url)).text()).toBe(`from pkg.settings ('', '/', '${site}')`);
        const file = await fetch(`${url}style.css`);
        expect(file.headers.get("content-type")).toBe("text/css; charset=utf-8");
        expect(await file.text()).toBe("p { color: red }\n");
        // A POST to a file's path is the app's: the files answer GET and HEAD only.
        expect(await (await fetch(`${url}style.css`, { method: "POST", body: "x" })).text())
          .toBe(`from pkg.settings ('', '/style.css', '${site}')`);
      },
      PYTHON_TIMEOUT,
    );

    test("a dotted module that is not in the working folder is refused at start", async () => {
      const server = start(runtime, { args: ["--mount", "/=nowhere.wsgi"] });
      expect(await server.exitWithin(30_000)).toBe(2);
      expect(server.stderr()).toContain(
        'edge-wsgi: --mount / names the Python module "nowhere.wsgi", but neither nowhere/ nor',
      );
    }, PYTHON_TIMEOUT);

    test(
      "the compatibility layer is on by default; off, the log says what was removed",
      async () => {
        const folder = appFolder(`import cgi

def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(cgi.valid_boundary("XX")).encode()]
`);
        const on = start(runtime, { args: ["--mount", `/c=${folder}/app.py`] });
        const off = start(runtime, {
          args: ["--mount", `/c=${folder}/app.py`],
          env: { PYTHON_COMPAT: "0" },
        });
        const [{ url: onUrl }, { url: offUrl }] = await Promise.all([
          on.listening(),
          off.listening(),
        ]);
        expect(await (await fetch(`${onUrl}c`)).text()).toBe("True");
        const failed = await fetch(`${offUrl}c`);
        expect(failed.status).toBe(500);
        expect(await failed.text()).toBe("Internal Server Error\n");
        await off.waitFor(
          /ModuleNotFoundError: No module named 'cgi'\ncgi was removed from Python's standard library in 3\.13, and edge-wsgi runs a newer Python \(Pyodide's\): edge-wsgi's compatibility layer puts it back, but it is off here \(--no-python-compat or PYTHON_COMPAT=0\): leave it on/,
          { stream: "stderr", ms: 10_000 },
        );
      },
      PYTHON_TIMEOUT,
    );

    test(
      "a write to a read-only folder is a 500 whose log line names --python-writable",
      async () => {
        const folder = appFolder(`def application(environ, start_response):
    open("written.txt", "w").close()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"written"]
`);
        const server = start(runtime, {
          args: ["--mount", `/w=${folder}/app.py`],
          env: { ACCESS_LOG: "off" },
        });
        const { url } = await server.listening();
        expect((await fetch(`${url}w`)).status).toBe(500);
        await server.waitFor(
          /OSError: \[Errno \d+\] Read-only file system[^\n]*\nPython sees the app's folders read-only: start the server with --python-writable/,
          { stream: "stderr" },
        );
      },
      PYTHON_TIMEOUT,
    );

    test("Python reads the host's time zones, read-only even with --python-writable", async () => {
      const folder = appFolder(`import datetime, errno, zoneinfo

def application(environ, start_response):
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    offsets = [paris.utcoffset(datetime.datetime(2024, m, 1)) for m in (1, 7)]
    try:
        # Append mode changes nothing on disk even if it were allowed.
        open("/usr/share/zoneinfo/Europe/Paris", "ab").close()
        written = "opened for writing"
    except OSError as error:
        written = errno.errorcode[error.errno]
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [f"{offsets[0]} {offsets[1]} {written}".encode()]
`);
      const server = start(runtime, {
        args: ["--python-writable", "--mount", `/tz=${folder}/app.py`],
        env: { ACCESS_LOG: "off" },
      });
      const { url } = await server.listening();
      expect(await (await fetch(`${url}tz`)).text()).toBe("1:00:00 2:00:00 EROFS");
    }, PYTHON_TIMEOUT);

    test("Python's warnings are logged as warnings, one entry each, not as errors", async () => {
      const folder = appFolder(`import re

PATTERN = re.compile("\\d+\\s")  # an invalid escape: a SyntaxWarning since Python 3.12

def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
`);
      const server = start(runtime, {
        args: ["--mount", `/w=${folder}/app.py`],
        env: { ACCESS_LOG: "off" },
      });
      const { url } = await server.listening();
      expect(await (await fetch(`${url}w`)).text()).toBe("ok");
      await server.waitFor(
        /\[WARNING\] [^\n]*app\.py:3: SyntaxWarning: "\\d" is an invalid escape/,
        {
          stream: "stderr",
        },
      );
      expect(server.stderr()).not.toContain("[ERROR]");
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
