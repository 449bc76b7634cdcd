/**
 * `pythonApp()`: a Python WSGI app (a `.py` file) as a {@linkcode WsgiApp}, so the TypeScript
 * pipeline applies to it unchanged: start_response rules, headers at the first non-empty
 * chunk, streaming with backpressure, close() exactly once.
 *
 * @module
 */

import { statSync } from "node:fs";
import { BodyTooLargeError } from "../core/input.ts";
import type { AppResult, Environ, StartResponse, WsgiApp } from "../core/types.ts";
import { basename, dirname, resolve } from "../util/path.ts";
import type { PythonHost, PythonRuntime } from "./interpreter.ts";
import { pythonBody } from "./python_body.ts";
import { fromPythonError } from "./python_error.ts";
import { parsePythonTarget } from "./python_target.ts";
import { RequestContext } from "./request_context.ts";

/** Options for {@linkcode pythonApp}. */
export interface PythonAppOptions {
  /** Imports the file again when it changed on disk since the last request; defaults to `false`. */
  reload?: boolean;
}

// The separator of the environ text bridge.py splits (never in a latin-1 CGI value).
const SEP = "\uffff";
const EMPTY = new Uint8Array(0);

/**
 * Serves the WSGI callable of a Python file, run by Pyodide. The file is imported on the first
 * request (loading the interpreter if needed), with its folder as Python's working directory
 * and first on `sys.path`. A file that fails to import answers 500 with the traceback in the
 * error log, and the next request tries again.
 *
 * @param target `path/app.py`, or `path/app.py:callable`; the callable defaults to
 * `application`, else `app`
 * @param host The interpreter to run it in
 * @param options Reloading
 * @returns A WSGI app
 * @throws {TypeError} When the target is not a `.py` file
 * @example
 * ```ts ignore
 * import { createApp, createPythonHost, pythonApp, serve } from "../../mod.ts";
 * const python = createPythonHost();
 * serve(createApp({ mounts: { "/hello": pythonApp("./hello.py", python) } }), { port: 8000 });
 * ```
 */
export function pythonApp(
  target: string,
  host: PythonHost,
  options: PythonAppOptions = {},
): WsgiApp {
  const { file, callable } = parsePythonTarget(target);
  const path = resolve(file);
  const folder = dirname(path);
  const moduleName = basename(path, ".py");
  // deno-lint-ignore no-explicit-any
  let app: any;
  let version: number | undefined;

  function load(runtime: PythonRuntime): void {
    const modified = options.reload || !app ? modifiedAt(path) : version;
    if (app && modified === version) return;
    const fresh = runtime.loadApp(path, moduleName, callable);
    app?.destroy();
    app = fresh;
    version = modified;
  }

  // Not async: an app answering a body-less request with a list returns at once, which the
  // handler turns into a Response in the same tick.
  return function python(environ, startResponse): AppResult | Promise<AppResult> {
    const runtime = host.loaded();
    if (!runtime) return host.ready().then(() => python(environ, startResponse));
    try {
      load(runtime);
      return call(runtime, app, folder, environ, startResponse);
    } catch (error) {
      throw fromPythonError(error);
    }
  };
}

function call(
  runtime: PythonRuntime,
  // deno-lint-ignore no-explicit-any
  app: any,
  folder: string,
  environ: Environ,
  startResponse: StartResponse,
): AppResult | Promise<AppResult> {
  const context = new RequestContext(startResponse, environ["wsgi.input"], environ["wsgi.errors"]);
  const text = environText(environ);
  const multiprocess = environ["wsgi.multiprocess"];
  const hasBody = (environ.CONTENT_LENGTH !== undefined && environ.CONTENT_LENGTH !== "0") ||
    environ.HTTP_TRANSFER_ENCODING !== undefined;
  if (!hasBody) {
    const result = runtime.handle(app, folder, text, context, multiprocess, EMPTY);
    return toResult(runtime, result, false, context);
  }
  if (runtime.jspi) {
    return runtime.handle.callPromising(app, folder, text, context, multiprocess, undefined).then(
      (result: unknown) => toResult(runtime, result, true, context),
      (error: unknown) => Promise.reject(failure(error, context)),
    );
  }
  // No JSPI: Python cannot wait for JavaScript, so the body is read first (up to the limit).
  return environ["wsgi.input"].read().then((body) =>
    toResult(
      runtime,
      runtime.handle(app, folder, text, context, multiprocess, body),
      false,
      context,
    )
  );
}

function toResult(
  runtime: PythonRuntime,
  result: unknown,
  suspending: boolean,
  context: RequestContext,
): AppResult {
  if (Array.isArray(result)) return result;
  return pythonBody(runtime, result as number, suspending, (error) => failure(error, context));
}

// A body over the limit gives 413, whatever Python made of the read that failed.
function failure(error: unknown, context: RequestContext): unknown {
  if (context.failure instanceof BodyTooLargeError) return context.failure;
  return fromPythonError(error);
}

/** The environ's CGI values (every str of a Python environ), joined for bridge.py to split. */
function environText(environ: Environ): string {
  let text = "wsgi.url_scheme" + SEP + environ["wsgi.url_scheme"];
  for (const key in environ) {
    // The wsgi.* values are Python objects made on the Python side; edge_wsgi.* are ours.
    if (key.startsWith("wsgi.") || key.startsWith("edge_wsgi.")) continue;
    const value = environ[key];
    if (typeof value === "string") text += SEP + key + SEP + value;
  }
  return text;
}

function modifiedAt(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}
