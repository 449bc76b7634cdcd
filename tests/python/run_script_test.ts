/**
 * examples/python/run_script.ts on Deno and on Bun: Django's `manage.py migrate` run in Pyodide
 * (no native Python needed) makes the same database a native migrate makes, and a script's
 * exit status and traceback come out as python3 gives them.
 */

import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import process from "node:process";
import { DEBIAN_PYTHON } from "../support/gunicorn_process.ts";
import { vendorDebianPackages } from "../support/python_vendor.ts";
import { type RuntimeName, RUNTIMES } from "../support/server_process.ts";
import { fromFileUrl, join } from "../../src/base/path.ts";

const ROOT = fromFileUrl(new URL("../../", import.meta.url));
const MYSITE = join(ROOT, "tests/fixtures/python/frameworks/mysite");
const COMMANDS: Record<RuntimeName, string[]> = {
  deno: [join(ROOT, "node_modules/.bin/deno"), "run", "-A"],
  bun: [join(ROOT, "node_modules/.bin/bun"), "run"],
};
const TIMEOUT = 240_000;

const vendor = vendorDebianPackages();
const work = mkdtempSync(join(tmpdir(), "edge-wsgi-run-script-"));
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  if ("dir" in vendor) vendor.remove();
}, 60_000);

function run(runtime: RuntimeName, args: string[], cwd = ROOT) {
  const [command, ...rest] = COMMANDS[runtime];
  const result = spawnSync(
    command,
    [...rest, join(ROOT, "examples/python/run_script.ts"), ...args],
    { cwd, encoding: "utf8", timeout: TIMEOUT, env: { ...process.env, NO_COLOR: "1" } },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// The tables of a SQLite database, as Debian's native Python reads them.
function tables(database: string): string[] {
  const query = "import sqlite3, sys; print(' '.join(r[0] for r in sqlite3.connect(sys.argv[1])" +
    ".execute(\"select name from sqlite_master where type='table' order by name\")))";
  return spawnSync(DEBIAN_PYTHON, ["-c", query, database], { encoding: "utf8" }).stdout.trim()
    .split(" ");
}

for (const runtime of RUNTIMES) {
  describe(`${runtime}: run_script.ts`, () => {
    test.skipIf("missing" in vendor)(
      "runs manage.py migrate in Pyodide: the database a native migrate makes",
      () => {
        const site = join(work, runtime, "mysite");
        const native = join(work, `${runtime}-native`, "mysite");
        cpSync(MYSITE, site, { recursive: true });
        cpSync(MYSITE, native, { recursive: true });
        const result = run(runtime, [
          "--python-path",
          "dir" in vendor ? vendor.dir : "",
          "manage.py",
          "migrate",
        ], site);
        expect(result.stderr).not.toContain("Traceback");
        expect(result.status).toBe(0);
        expect(result.stdout).toContain("Applying shop.0001_initial... OK");
        spawnSync(DEBIAN_PYTHON, ["manage.py", "migrate", "-v", "0"], {
          cwd: native,
          env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
        });
        expect(tables(join(site, "db.sqlite3"))).toEqual(tables(join(native, "db.sqlite3")));
        expect(tables(join(site, "db.sqlite3"))).toContain("shop_product");
      },
      TIMEOUT,
    );

    test("gives the script's arguments, exit status and traceback", () => {
      const script = join(work, `${runtime}-script.py`);
      writeFileSync(
        script,
        "import sys\nprint('args', sys.argv[1:])\nif sys.argv[1] == 'fail':\n" +
          "    raise ValueError('it failed')\nsys.exit(int(sys.argv[1]))\n",
      );
      expect(run(runtime, []).status).toBe(2);
      const seven = run(runtime, [script, "7", "x y"]);
      expect(seven.stdout).toBe("args ['7', 'x y']\n");
      expect(seven.status).toBe(7);
      const failed = run(runtime, [script, "fail"]);
      expect(failed.status).toBe(1);
      expect(failed.stderr).toMatch(/Traceback[^]*-script\.py", line 4[^]*ValueError: it failed/);
    }, TIMEOUT);
  });
}
