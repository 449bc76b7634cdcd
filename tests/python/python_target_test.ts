import { describe, expect, test } from "bun:test";
import {
  isPythonTarget,
  parsePythonTarget,
  type PythonTarget,
} from "../../src/python/python_target.ts";
import { fromPythonError } from "../../src/python/python_error.ts";

describe("parsePythonTarget()", () => {
  const cases: [string, PythonTarget][] = [
    ["app.py", { file: "app.py" }],
    ["./apps/site.py:wsgi", { file: "./apps/site.py", callable: "wsgi" }],
    ["/srv/a b/app.py:_app2", { file: "/srv/a b/app.py", callable: "_app2" }],
    // gunicorn's names: a dotted module found on sys.path, the working folder first.
    ["mysite.wsgi:application", { module: "mysite.wsgi", callable: "application" }],
    ["mysite.wsgi", { module: "mysite.wsgi" }],
    ["hello", { module: "hello" }],
    ["_a.b_2.c:app", { module: "_a.b_2.c", callable: "app" }],
  ];
  for (const [target, expected] of cases) {
    test(`parsePythonTarget() reads ${JSON.stringify(target)}`, () => {
      expect(parsePythonTarget(target)).toEqual(expected);
      expect(isPythonTarget(target)).toBe(true);
    });
  }

  const refused = ["app.ts", "app.py:", "app.py:1x", "app.py:a.b", "app.pyc", ".py:x:y"]
    // Script files, never modules; paths and odd names neither.
    .concat(["api.js", "mod.mjs", "a.tsx", "./mysite.wsgi", "a..b", "1a.b", "a.b:", "a-b.c"]);
  for (const target of refused) {
    test(`parsePythonTarget() refuses ${JSON.stringify(target)}`, () => {
      expect(isPythonTarget(target)).toBe(false);
      expect(() => parsePythonTarget(target)).toThrow(TypeError);
    });
  }
});

describe("fromPythonError()", () => {
  test("fromPythonError() makes the traceback the stack, without JavaScript frames", () => {
    const traceback =
      'Traceback (most recent call last):\n  File "app.py", line 2\nValueError: x\n';
    const thrown = Object.assign(new Error(traceback), { type: "ValueError" });
    thrown.name = "PythonError";
    const error = fromPythonError(thrown) as Error;
    expect(error.stack).toBe(traceback.trimEnd());
    expect(error.message).toBe("ValueError: x");
  });

  test("fromPythonError() leaves any other error as it is", () => {
    const error = new TypeError("bad header");
    expect(fromPythonError(error)).toBe(error);
    expect(fromPythonError("text")).toBe("text");
  });
});
