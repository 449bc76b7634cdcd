/**
 * What names a Python WSGI app: `path/to/app.py`, or a module as gunicorn names one
 * (`mysite.wsgi`), either optionally followed by `:callable`.
 *
 * @module
 */

/** A Python app: its file or its dotted module name, and, when given, its callable's name. */
export type PythonTarget =
  | {
    /** The `.py` file, as given. */
    file: string;
    /** The callable's name; `undefined` means `application`, else `app`. */
    callable?: string;
  }
  | {
    /** The dotted module name, imported from `sys.path` (the working folder first). */
    module: string;
    /** The callable's name; `undefined` means `application` (gunicorn's default), else `app`. */
    callable?: string;
  };

const FILE = /^(.+\.py)(?::([A-Za-z_][A-Za-z0-9_]*))?$/;
// gunicorn's $(MODULE_NAME):$(VARIABLE_NAME); no slash, so never a path.
const MODULE = /^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)(?::([A-Za-z_]\w*))?$/;
// What names a JavaScript module or a compiled file rather than a Python module (`api.ts`
// would be a valid dotted name too).
const SCRIPT = /\.(?:[cm]?[jt]sx?|py[cow])$/;

/**
 * Tells whether a mount target names a Python app: `app.py`, `app.py:callable`, or a dotted
 * module (`mysite.wsgi`, `mysite.wsgi:application`) that does not end like a script file.
 *
 * @param target A mount target, such as `./api.ts`, `./app.py:create` or `mysite.wsgi`
 * @returns Whether it names a Python app
 * @example
 * ```ts
 * import { isPythonTarget } from "./python_target.ts";
 * isPythonTarget("./hello.py:app"); // true
 * isPythonTarget("mysite.wsgi:application"); // true
 * isPythonTarget("./hello.ts"); // false
 * ```
 */
export function isPythonTarget(target: string): boolean {
  if (FILE.test(target)) return true;
  const module = MODULE.exec(target);
  return module !== null && !SCRIPT.test(module[1]);
}

/**
 * Parses `path/app.py[:callable]` or `package.module[:callable]`, as gunicorn reads
 * `module:callable`.
 *
 * @param target The file or dotted module, optionally followed by `:` and a Python identifier
 * @returns The file or module, and the callable's name
 * @throws {TypeError} When the target is neither
 * @example
 * ```ts
 * import { parsePythonTarget } from "./python_target.ts";
 * parsePythonTarget("apps/site.py:wsgi"); // { file: "apps/site.py", callable: "wsgi" }
 * parsePythonTarget("mysite.wsgi"); // { module: "mysite.wsgi" }
 * ```
 */
export function parsePythonTarget(target: string): PythonTarget {
  const file = FILE.exec(target);
  if (file) return file[2] ? { file: file[1], callable: file[2] } : { file: file[1] };
  const module = MODULE.exec(target);
  if (!module || SCRIPT.test(module[1])) {
    throw new TypeError(
      "A Python app is named path/to/app.py, package.module, either with an optional " +
        `:callable, not ${JSON.stringify(target)}`,
    );
  }
  return module[2] ? { module: module[1], callable: module[2] } : { module: module[1] };
}
