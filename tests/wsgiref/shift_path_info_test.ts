import { describe, expect, test } from "bun:test";
import { shiftPathInfo } from "../../src/wsgiref/shift_path_info.ts";
import { testEnviron } from "../../src/wsgiref/test_environ.ts";

// CPython Lib/test/test_wsgiref.py, testSimpleShifts and testNormalizedShifts:
// [SCRIPT_NAME in, PATH_INFO in, returned, SCRIPT_NAME out, PATH_INFO out]
const CASES: [string, string, string | undefined, string, string][] = [
  ["", "/", "", "/", ""],
  ["", "/x", "x", "/x", ""],
  ["/", "", undefined, "/", ""],
  ["/a", "/x/y", "x", "/a/x", "/y"],
  ["/a", "/x/", "x", "/a/x", "/"],
  ["/a/b", "/../y", "..", "/a", "/y"],
  ["", "/../y", "..", "", "/y"],
  ["/a/b", "//y", "y", "/a/b/y", ""],
  ["/a/b", "//y/", "y", "/a/b/y", "/"],
  ["/a/b", "/./y", "y", "/a/b/y", ""],
  ["/a/b", "/./y/", "y", "/a/b/y", "/"],
  ["/a/b", "///./..//y/.//", "..", "/a", "/y/"],
  ["/a/b", "///", "", "/a/b/", ""],
  ["/a/b", "/.//", "", "/a/b/", ""],
  ["/a/b", "/x//", "x", "/a/b/x", "/"],
  ["/a/b", "/.", undefined, "/a/b", ""],
];

describe("shiftPathInfo()", () => {
  for (const [scriptIn, pathIn, part, scriptOut, pathOut] of CASES) {
    test(`shifts ${JSON.stringify(pathIn)} under ${JSON.stringify(scriptIn)} as wsgiref does`, () => {
      const environ = testEnviron({ SCRIPT_NAME: scriptIn, PATH_INFO: pathIn });
      expect(shiftPathInfo(environ)).toBe(part);
      expect(environ.PATH_INFO).toBe(pathOut);
      expect(environ.SCRIPT_NAME).toBe(scriptOut);
    });
  }

  test("walks a whole path one segment at a time", () => {
    const environ = testEnviron({ PATH_INFO: "/a/b/c" });
    const parts: (string | undefined)[] = [];
    for (let i = 0; i < 4; i++) parts.push(shiftPathInfo(environ));
    expect(parts).toEqual(["a", "b", "c", undefined]);
    expect(environ.SCRIPT_NAME).toBe("/a/b/c");
  });

  test("keeps latin-1 characters as they are", () => {
    const environ = testEnviron({ PATH_INFO: "/caf\u00c3\u00a9/x" });
    expect(shiftPathInfo(environ)).toBe("caf\u00c3\u00a9");
    expect(environ.SCRIPT_NAME).toBe("/caf\u00c3\u00a9");
  });

  test("throws a TypeError naming a PATH_INFO without a leading slash", () => {
    expect(() => shiftPathInfo(testEnviron({ PATH_INFO: "x/y" }))).toThrow(
      'PATH_INFO must be empty or start with "/", not "x/y"',
    );
  });

  test("throws a TypeError for a PATH_INFO that is not a string", () => {
    const environ = testEnviron();
    (environ as Record<string, unknown>).PATH_INFO = 42;
    expect(() => shiftPathInfo(environ)).toThrow(TypeError);
  });
});
