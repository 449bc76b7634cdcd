import { describe, expect, test } from "bun:test";
import { checkPaths } from "../../../src/server/cli/check_paths.ts";
import { parseConfig } from "../../../src/server/cli/parse_config.ts";

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
