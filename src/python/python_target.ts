/**
 * What names a Python WSGI app: `path/to/app.py`, optionally `:callable`.
 *
 * @module
 */

/** A Python app's file and, when given, the name of its WSGI callable. */
export interface PythonTarget {
  /** The `.py` file, as given. */
  file: string;
  /** The callable's name; `undefined` means `application`, else `app`. */
  callable?: string;
}

const TARGET = /^(.+\.py)(?::([A-Za-z_][A-Za-z0-9_]*))?$/;

/**
 * Tells whether a mount target names a Python app (`app.py` or `app.py:callable`).
 *
 * @param target A mount target, such as `./api.ts` or `./app.py:create`
 * @returns Whether it is a `.py` file, with or without a callable
 * @example
 * ```ts
 * import { isPythonTarget } from "./python_target.ts";
 * isPythonTarget("./hello.py:app"); // true
 * isPythonTarget("./hello.ts"); // false
 * ```
 */
export function isPythonTarget(target: string): boolean {
  return TARGET.test(target);
}

/**
 * Parses `path/app.py[:callable]`, as gunicorn reads `module:callable`.
 *
 * @param target The file, optionally followed by `:` and a Python identifier
 * @returns The file and the callable's name
 * @throws {TypeError} When the target is not a `.py` file with an optional identifier
 * @example
 * ```ts
 * import { parsePythonTarget } from "./python_target.ts";
 * parsePythonTarget("apps/site.py:wsgi"); // { file: "apps/site.py", callable: "wsgi" }
 * ```
 */
export function parsePythonTarget(target: string): PythonTarget {
  const match = TARGET.exec(target);
  if (!match) {
    throw new TypeError(
      `A Python app is named path/to/app.py or path/to/app.py:callable, not ${
        JSON.stringify(target)
      }`,
    );
  }
  return match[2] ? { file: match[1], callable: match[2] } : { file: match[1] };
}
