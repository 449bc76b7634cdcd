/**
 * `shiftPathInfo()`: moves one path segment from `PATH_INFO` to `SCRIPT_NAME`, as Python's
 * `wsgiref.util.shift_path_info` does.
 *
 * @module
 */

import type { Environ } from "../core/types.ts";

/**
 * Moves the next segment of `PATH_INFO` to the end of `SCRIPT_NAME` and returns it, so an app
 * can hand the rest of the path to a sub-app. The environ is changed in place; copy it first to
 * keep the original.
 *
 * Follows wsgiref exactly: empty and `.` segments inside `PATH_INFO` are skipped, `..` removes
 * the last segment of `SCRIPT_NAME` (and is returned as `".."`), and when `PATH_INFO` is just
 * `"/"` the result is `""` and `SCRIPT_NAME` gets a trailing `/`, so `/x` and `/x/` stay apart.
 * A `PATH_INFO` of `"/."` becomes `""` and gives `undefined`. The one difference: a leading
 * `//` in the new `SCRIPT_NAME` (possible only from the invalid `SCRIPT_NAME` `"/"`) is
 * collapsed, where Python's `posixpath.normpath` would keep it.
 *
 * @param environ The request environment; `SCRIPT_NAME` and `PATH_INFO` are updated
 * @returns The segment moved, `""` for a trailing slash, or `undefined` when `PATH_INFO` is
 * empty (wsgiref's `None`)
 * @throws {TypeError} When `SCRIPT_NAME` or `PATH_INFO` is not a string, or `PATH_INFO` is
 * neither empty nor starts with `/`
 * @example
 * ```ts
 * import { shiftPathInfo, testEnviron } from "./mod.ts";
 * const environ = testEnviron({ SCRIPT_NAME: "/app", PATH_INFO: "/users/42" });
 * shiftPathInfo(environ); // "users"
 * environ.SCRIPT_NAME; // "/app/users"
 * environ.PATH_INFO; // "/42"
 * ```
 */
export function shiftPathInfo(environ: Environ): string | undefined {
  const pathInfo = stringKey(environ, "PATH_INFO");
  if (pathInfo === "") return undefined;
  if (!pathInfo.startsWith("/")) {
    throw new TypeError(
      `PATH_INFO must be empty or start with "/", not ${JSON.stringify(pathInfo)}`,
    );
  }

  const parts = pathInfo.split("/");
  // Empty and "." segments before the last are dropped; the last stays, so a trailing slash
  // survives.
  const segments = parts.slice(1, -1).filter((part) => part !== "" && part !== ".");
  segments.push(parts[parts.length - 1]);
  const name = segments.shift()!;

  let scriptName = normalize(stringKey(environ, "SCRIPT_NAME") + "/" + name);
  if (scriptName.endsWith("/")) scriptName = scriptName.slice(0, -1);
  // wsgiref: a trailing slash is kept on SCRIPT_NAME so an app can tell "/x" from "/x/".
  if (name === "" && !scriptName.endsWith("/")) scriptName += "/";

  environ.SCRIPT_NAME = scriptName;
  environ.PATH_INFO = ["", ...segments].join("/");
  return name === "." ? undefined : name;
}

function stringKey(environ: Environ, key: "PATH_INFO" | "SCRIPT_NAME"): string {
  if (environ === null || typeof environ !== "object") {
    throw new TypeError(
      `The environ must be an object, not ${environ === null ? "null" : typeof environ}`,
    );
  }
  const value = environ[key] ?? "";
  if (typeof value !== "string") {
    throw new TypeError(`${key} must be a string, not ${typeof value}`);
  }
  return value;
}

// posixpath.normpath for a path that starts with "/": resolves ".", ".." and repeated slashes.
function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}
