/**
 * What to tell a user whose app failed to write to a folder Python sees read-only.
 *
 * @module
 */

// OSError(EROFS) as Python words it, and SQLite's refusal to write its database file there.
const READ_ONLY = [
  /^(?:OSError|PermissionError): \[Errno \d+\] Read-only file system/,
  /^sqlite3\.OperationalError: attempt to write a readonly database$/,
];

/**
 * Says how to let Python write when a traceback ends in a write to a read-only folder (the
 * host folders are mounted read-only by default); `undefined` for any other error.
 *
 * @param line The last line of a Python traceback
 * @returns One sentence for the error log, or `undefined`
 * @example
 * ```ts
 * import { readOnlyHint } from "./read_only_hint.ts";
 * readOnlyHint("sqlite3.OperationalError: attempt to write a readonly database");
 * // "Python sees the app's folders read-only: start the server with --python-writable …"
 * ```
 */
export function readOnlyHint(line: string): string | undefined {
  if (!READ_ONLY.some((pattern) => pattern.test(line.trim()))) return undefined;
  return "Python sees the app's folders read-only: start the server with --python-writable " +
    "(PYTHON_WRITABLE=1) to let it write there (a SQLite database, uploads)";
}
