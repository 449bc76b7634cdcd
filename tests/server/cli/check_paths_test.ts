import { afterEach, describe, expect, test } from "bun:test";
import process from "node:process";
import { checkPaths, enterFolder } from "../../../src/server/cli/check_paths.ts";
import { parseConfig } from "../../../src/server/cli/parse_config.ts";
import { fromFileUrl } from "../../../src/base/path.ts";

const ROOT = fromFileUrl(new URL("../../../", import.meta.url)).replace(/\/$/, "");

function check(args: string[], env: Record<string, string> = {}) {
  return () => checkPaths(parseConfig(args, env), args, env);
}

describe("checkPaths()", () => {
  test("checkPaths() accepts folders for --root and --apps, and files for --mount", () => {
    expect(check(["--root", "public", "--apps", "tests/fixtures/apps"])).not.toThrow();
    expect(check(["--mount", "/x=./mod.ts", "--mount", "/y=tests/fixtures/apps/boom.ts"]))
      .not.toThrow();
  });

  test("checkPaths() checks the file before a :callable suffix (app.py:application)", () => {
    expect(check(["--mount", "/x=./mod.ts:application"])).not.toThrow();
    expect(check(["--mount", "/x=./nope.py:application"])).toThrow(
      '--mount /x must name a module file; "./nope.py" does not exist',
    );
  });

  test("checkPaths() looks for a dotted module's package in the working folder or --python-path", () => {
    // gunicorn's `mysite.wsgi`: tests/ is a folder of the working folder (the clone).
    expect(check(["--mount", "/=tests.fixtures:application"])).not.toThrow();
    expect(check(["--mount", "/=greeting:app", "--python-path", "tests/fixtures/python/vendor"]))
      .not.toThrow();
    expect(check(["--mount", "/x=mysite.wsgi:application"])).toThrow(
      '--mount /x names the Python module "mysite.wsgi", but neither mysite/ nor mysite.py is in ' +
        `${process.cwd()} (see --chdir) or a --python-path folder`,
    );
  });

  const bad: [args: string[], env: Record<string, string>, message: string][] = [
    [["--root", "/nonexistent"], {}, '--root must name a folder; "/nonexistent" does not exist'],
    [[], { ROOT: "/nonexistent" }, 'ROOT must name a folder; "/nonexistent" does not exist'],
    [["--root", "mod.ts"], {}, '--root must name a folder; "mod.ts" is a file'],
    [["--apps", "/nonexistent"], {}, '--apps must name a folder; "/nonexistent" does not exist'],
    [["--mount", "/x=./src"], {}, '--mount /x must name a module file; "./src" is a folder'],
    [[], { MOUNTS: "/x=./nope.ts" }, 'MOUNTS /x must name a module file; "./nope.ts"'],
  ];
  for (const [args, env, message] of bad) {
    test(`checkPaths() refuses ${JSON.stringify(args)} ${JSON.stringify(env)}`, () => {
      expect(check(args, env)).toThrow(message);
    });
  }
});

describe("enterFolder()", () => {
  afterEach(() => process.chdir(ROOT));

  test("enterFolder() makes --chdir the working folder, as an absolute path", () => {
    const config = parseConfig(["--chdir", "tests/fixtures"], {});
    enterFolder(config, "--chdir");
    expect(process.cwd()).toBe(`${ROOT}/tests/fixtures`);
    expect(config.chdir).toBe(`${ROOT}/tests/fixtures`);
    // So a relative --mount or --root is read from there, as gunicorn reads its app module.
    expect(() => checkPaths(parseConfig(["--root", "python"], {}), [], {})).not.toThrow();
  });

  test("enterFolder() leaves the working folder alone without --chdir", () => {
    enterFolder(parseConfig([], {}), "--chdir");
    expect(process.cwd()).toBe(ROOT);
  });

  test("enterFolder() refuses a --chdir that is not a folder", () => {
    expect(() => enterFolder(parseConfig(["--chdir", "nope"], {}), "CHDIR")).toThrow(
      `CHDIR must name a folder; "${ROOT}/nope" does not exist`,
    );
    expect(() => enterFolder(parseConfig(["--chdir", "mod.ts"], {}), "--chdir")).toThrow(
      `--chdir must name a folder; "${ROOT}/mod.ts" is a file`,
    );
  });
});
