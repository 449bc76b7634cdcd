/**
 * `pythonApp()`: a Python WSGI app (a `.py` file) as a {@linkcode WsgiApp}, so the TypeScript
 * pipeline applies to it unchanged: start_response rules, headers at the first non-empty
 * chunk, streaming with backpressure, close() exactly once.
 *
 * @module
 */

import { statSync } from "node:fs";
import process from "node:process";
import { BodyTooLargeError, ClientDisconnectedError, isEmptyInput } from "../core/input.ts";
import type { AppResult, Environ, StartResponse, WsgiApp, WsgiInput } from "../core/types.ts";
import { basename, resolve } from "../base/path.ts";
import type { PythonHost, PythonRuntime } from "./interpreter.ts";
import { pythonBody } from "./python_body.ts";
import { readFirst, smallBodyLength } from "./small_body.ts";
import { bunRuntime, isBun } from "../runtime/bun.ts";
import { fromPythonError } from "./python_error.ts";
import { parsePythonTarget } from "./python_target.ts";
import { type Frame, latin1Bytes, RequestContext } from "./request_context.ts";

/** Options for {@linkcode pythonApp}. */
export interface PythonAppOptions {
  /** Imports the file again when it changed on disk since the last request; defaults to `false`. */
  reload?: boolean;
}

/**
 * Serves the WSGI callable of a Python file or module, run by Pyodide. A file is imported on the
 * first request (loading the interpreter if needed), with its folder as Python's working
 * directory and first on `sys.path`; a dotted module (`mysite.wsgi`) is imported from
 * `sys.path` with the working folder first, as gunicorn does. One that fails to import
 * answers 500 with the traceback in the error log, and the next request tries again.
 *
 * @param target `path/app.py` or `package.module`, either optionally with `:callable`; the
 * callable defaults to `application`, else `app`
 * @param host The interpreter to run it in
 * @param options Reloading
 * @returns A WSGI app
 * @throws {TypeError} When the target is neither a `.py` file nor a dotted module
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
  const parsed = parsePythonTarget(target);
  const path = "file" in parsed ? resolve(parsed.file) : moduleFile(parsed.module);
  const moduleName = basename(path, ".py");
  host.include?.(
    "file" in parsed
      ? { file: path, moduleName, callable: parsed.callable }
      : { module: parsed.module, callable: parsed.callable, folder: process.cwd() },
  );
  let app: number | undefined;
  let version: number | undefined;
  // The interpreter `app` was imported in: a fresh one (after a fatal error) imports it again.
  let loadedIn: PythonRuntime | undefined;

  function load(runtime: PythonRuntime): number {
    if (loadedIn !== runtime) {
      app = undefined;
      loadedIn = runtime;
    }
    const modified = options.reload || app === undefined ? modifiedAt(path) : version;
    if (app !== undefined && modified === version) return app;
    const fresh = "file" in parsed
      ? runtime.loadApp(path, moduleName, parsed.callable)
      : runtime.loadModule(parsed.module, parsed.callable);
    if (app !== undefined) runtime.forgetApp(app);
    version = modified;
    return app = fresh;
  }

  // Not async: an app answering a body-less request with a list returns at once, which the
  // handler turns into a Response in the same tick.
  return function python(environ, startResponse): AppResult | Promise<AppResult> {
    const runtime = host.loaded();
    if (!runtime) return host.ready().then(() => python(environ, startResponse));
    let number: number;
    try {
      number = load(runtime);
    } catch (error) {
      throw fromPythonError(error);
    }
    return call(runtime, number, environ, startResponse);
  };
}

// The runtime's fact (Runtime.dropsPipelinedBehindPending), kept once in its module.
const READS_SMALL_BODIES_FIRST = isBun() && bunRuntime.dropsPipelinedBehindPending;
const JS_INPUT = 1;
const MULTIPROCESS = 2;
const WHOLE_IN_PIECES = 4;
// A whole body over 1 MiB may cross in pieces (bridge.py's _whole()), which saves holding it in
// JavaScript too, where a streamed body keeps its Content-Length: on Deno, not on Bun, which
// sends a stream chunked whatever its headers say (oven-sh/bun#10507; docs/WSGI.md).
const PIECES = isBun() ? 0 : WHOLE_IN_PIECES;

function call(
  runtime: PythonRuntime,
  app: number,
  environ: Environ,
  startResponse: StartResponse,
): AppResult | Promise<AppResult> {
  const text = environText(environ);
  const flags = (environ["wsgi.multiprocess"] ? MULTIPROCESS : 0) | PIECES;
  const input = environ["wsgi.input"];
  const errors = environ["wsgi.errors"];
  // The app with its whole body in hand (or none): handle() answers at once.
  const whole = (body: Uint8Array | undefined) => {
    const context = new RequestContext(startResponse, input, errors);
    const request = runtime.begin(context);
    return settle(
      runtime,
      request,
      context,
      false,
      () => runtime.handle(app, text, request, flags, body),
    );
  };
  // The app reading its body as it asks: each read suspends it (JSPI) until the bytes arrive.
  const reading = (from: WsgiInput) => {
    const context = new RequestContext(startResponse, from, errors);
    const request = runtime.begin(context);
    return runtime.handlePromising(app, text, request, flags | JS_INPUT).then(
      (result: Frame | number) => settle(runtime, request, context, true, () => result),
      (error: unknown) => {
        runtime.end(request);
        return Promise.reject(failure(error, context, runtime));
      },
    );
  };
  if (isEmptyInput(input)) return whole(undefined);
  // No JSPI: Python cannot wait for JavaScript, so the body is read first (up to the limit).
  if (!runtime.jspi) return input.read().then(whole);
  // Only where pipelining needs it: on Deno a body read begun before a macrotask and a streamed
  // response never settles if the client then leaves (a variant of denoland/deno#36624).
  const small = READS_SMALL_BODIES_FIRST ? smallBodyLength(environ.CONTENT_LENGTH) : undefined;
  if (small === undefined) return reading(input);
  return readFirst(input, small, whole, reading);
}

// What handle() returned, as a body: a frame holding the whole body, or a streamed body's
// number. The request stays known to Python until its body is closed.
function settle(
  runtime: PythonRuntime,
  request: number,
  context: RequestContext,
  suspending: boolean,
  handle: () => Frame | number,
): AppResult {
  let streamed = false;
  try {
    const result = handle();
    if (typeof result === "string") return [latin1Bytes(context.take(result))];
    if (Array.isArray(result)) {
      context.take(result[0]);
      return [result[1]];
    }
    streamed = true;
    return pythonBody(runtime, result, {
      suspending,
      context,
      failure: (error) => failure(error, context, runtime),
      onClosed: () => runtime.end(request),
    });
  } catch (error) {
    throw failure(error, context, runtime);
  } finally {
    if (!streamed) runtime.end(request);
  }
}

// A body over the limit gives 413, and a client gone mid-body is no error of the app's (nothing
// to log), whatever Python made of the read that failed. After a fatal error what Python says
// is the broken interpreter's noise: the log names the fatal error instead.
function failure(error: unknown, context: RequestContext, runtime: PythonRuntime): unknown {
  if (
    context.failure instanceof BodyTooLargeError ||
    context.failure instanceof ClientDisconnectedError
  ) {
    return context.failure;
  }
  if (runtime.broken) {
    return new Error(
      "The Python interpreter suffered a fatal error in this request (logged above); " +
        "a fresh one serves the next requests",
    );
  }
  return fromPythonError(error);
}

// The environ's CGI values (every str of a Python environ) as one text for bridge.py to split:
// each key and value preceded by the separator, which bridge.py reads from the first character.
// NUL keeps the text latin-1, which Pyodide turns into a Python str faster than a two-byte text
// (on Bun a U+FFFF separator cost some 4-5 µs more per crossing); a value holding a NUL (a
// percent-decoded %00 in PATH_INFO) needs U+FFFF, which is never in a latin-1 value.
function environText(environ: Environ): string {
  return joinEnviron(environ, "\0") ?? joinEnviron(environ, "\uffff")!;
}

// The text, or undefined when a value holds a NUL and the separator is NUL.
function joinEnviron(environ: Environ, sep: string): string | undefined {
  let text = sep + "wsgi.url_scheme" + sep + environ["wsgi.url_scheme"];
  for (const key in environ) {
    // The wsgi.* values are Python objects made on the Python side; edge_wsgi.* are ours.
    if (key.startsWith("wsgi.") || key.startsWith("edge_wsgi.")) continue;
    const value = environ[key];
    if (typeof value !== "string") continue;
    if (sep === "\0" && value.includes(sep)) return undefined;
    text += sep + key + sep + value;
  }
  return text;
}

// Where a dotted module's file is when it sits in the working folder (mysite/wsgi.py), the
// file --reload watches; a module found elsewhere on sys.path is imported once.
function moduleFile(module: string): string {
  const stem = resolve(module.replaceAll(".", "/"));
  return modifiedAt(stem + ".py") === undefined ? stem + "/__init__.py" : stem + ".py";
}

function modifiedAt(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}
