/**
 * edge-wsgi: WSGI-style apps and a careful static file server on Deno and Bun.
 *
 * A WSGI app is a function of `(environ, startResponse)` that returns an iterable body, as in
 * PEP 3333. `toFetchHandler()` turns one into a Fetch handler; `createApp()` mounts several next
 * to a static site; `serve()` runs either on the current runtime.
 *
 * Python WSGI apps run too, unchanged, through Pyodide: mount a `.py` file
 * (`createApp({ mounts: { "/py": "./app.py" } })`), or wrap one with `pythonApp()`.
 *
 * Run this file to serve the demo site: `deno run -A mod.ts` or `bun run mod.ts`. For Cloudflare
 * Workers, import `workers.ts` (`edge-wsgi/workers`) instead: the part that runs in a Worker.
 *
 * @example
 * ```ts
 * import { serve, type WsgiApp } from "./mod.ts";
 *
 * const hello: WsgiApp = (environ, startResponse) => {
 *   startResponse("200 OK", [["Content-Type", "text/plain; charset=utf-8"]]);
 *   return [`Hello from ${environ.PATH_INFO}\n`];
 * };
 * const server = serve(hello, { port: 0 });
 * await server.shutdown();
 * ```
 *
 * @module
 */

export type {
  AppResult,
  BodyChunk,
  ConnInfo,
  Environ,
  FileLike,
  FileWrapper,
  HeaderPair,
  Logger,
  NetAddr,
  PeerAddr,
  StartResponse,
  Write,
  WsgiApp,
  WsgiErrors,
  WsgiInput,
} from "./src/core/types.ts";
export { toEnviron, type ToEnvironOptions } from "./src/core/environ.ts";
export { type FetchHandler, type FetchHandlerOptions, toFetchHandler } from "./src/core/handler.ts";
export { createApp, type CreateAppOptions, type PythonOptions } from "./src/server/app.ts";
export { type FetchApp, serve, type ServeOptions, type Server } from "./src/server/serve.ts";
export { isHopByHop } from "./src/core/response_rules.ts";
export { fileWrapper } from "./src/core/file_wrapper.ts";
export { latin1ToText } from "./src/core/latin1.ts";
export { shiftPathInfo } from "./src/wsgiref/shift_path_info.ts";
export { applicationUri } from "./src/wsgiref/application_uri.ts";
export { requestUri } from "./src/wsgiref/request_uri.ts";
export { type HeaderParams, WsgiHeaders } from "./src/wsgiref/headers.ts";
export {
  type EnvironOverrides,
  testEnviron,
  type TestEnvironOptions,
} from "./src/wsgiref/test_environ.ts";
export { validator, type ValidatorOptions } from "./src/wsgiref/validator.ts";
export { type WsgiSide, WsgiValidationError } from "./src/wsgiref/wsgi_validation_error.ts";
export { dispatcher } from "./src/wsgiref/dispatcher.ts";
export {
  fromFetchHandler,
  type FromFetchHandlerOptions,
  type RequestHandler,
} from "./src/wsgiref/from_fetch_handler.ts";
export {
  createPythonHost,
  type PythonHost,
  type PythonHostOptions,
  type PythonRuntime,
} from "./src/python/interpreter.ts";
export { pythonApp, type PythonAppOptions } from "./src/python/python_app.ts";
export {
  isPythonTarget,
  parsePythonTarget,
  type PythonTarget,
} from "./src/python/python_target.ts";

if (import.meta.main) {
  // Not awaited: the demo site imports this module, which must finish evaluating first.
  import("./src/server/cli/main.ts").then(({ main }) => main());
}
