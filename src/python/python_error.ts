/**
 * Python exceptions as entries of the error log.
 *
 * @module
 */

import { readOnlyHint } from "./read_only_hint.ts";
import { removedNameHint } from "./removed_names.ts";

/**
 * Turns what a call into Python threw into an error whose `stack` is the Python traceback, so
 * the error log shows the app's frames rather than the bridge's JavaScript ones, followed by a
 * line of advice when the import of a module or name the running Python removed failed
 * (`cgi`, `ast.Str`…) or a write to a read-only folder failed. Anything that is not a Pyodide
 * `PythonError` is returned as it is.
 *
 * @param error What the call threw
 * @returns An `Error` named `PythonError` whose stack is the traceback, or `error` itself
 * @example
 * ```ts
 * import { fromPythonError } from "./python_error.ts";
 * const thrown = Object.assign(new Error("Traceback (most recent call last):\nValueError: x\n"), {
 *   name: "PythonError",
 *   type: "ValueError",
 * });
 * fromPythonError(thrown).stack; // "Traceback (most recent call last):\nValueError: x"
 * ```
 */
export function fromPythonError(error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== "PythonError" || !("type" in error)) {
    return error;
  }
  const traceback = error.message.trimEnd();
  const failure = new Error(lastLine(traceback));
  failure.name = "PythonError";
  // An import that failed on a module or name the running Python removed says so, and what to
  // do; so does a write to a folder Python sees read-only.
  const hint = removedNameHint(failure.message) ?? readOnlyHint(failure.message);
  failure.stack = hint ? `${traceback}\n${hint}` : traceback;
  return failure;
}

function lastLine(text: string): string {
  return text.slice(text.lastIndexOf("\n") + 1);
}
