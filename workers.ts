/**
 * edge-wsgi for Cloudflare Workers: the part of the library that runs in a Worker, with no
 * compatibility flag. WSGI apps become a Worker's `fetch(request, env, ctx)`; static files are
 * the Worker's own static assets (the `ASSETS` binding).
 *
 * `mod.ts` is the library for Deno and Bun: its `serve()`, its static file server, module-path
 * mounts, app folders and Python apps need a process, a socket or a file system, which a Worker
 * has not. This entry leaves them out, so a Worker that uses one fails to type-check, not at
 * run time, and wrangler bundles only what runs (see the README, "Deploy to Cloudflare Workers").
 *
 * @example
 * ```ts
 * import { createApp, type WsgiApp } from "./workers.ts";
 *
 * const hello: WsgiApp = (environ, startResponse) => {
 *   startResponse("200 OK", [["Content-Type", "text/plain; charset=utf-8"]]);
 *   return [`Hello from ${environ.PATH_INFO}, ${environ.REMOTE_ADDR}\n`];
 * };
 * // The Worker: /apps/hello/… goes to the app, everything else to the static assets.
 * export default createApp({ mounts: { "/apps/hello": hello } });
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
export {
  type ExecutionContext,
  toWorker,
  type WorkerFetchApp,
  type WorkerHandler,
} from "./src/runtime/workerd.ts";
export {
  createWorkerApp as createApp,
  type WorkerAppOptions as CreateAppOptions,
} from "./src/server/worker_app.ts";
export { toEnviron, type ToEnvironOptions } from "./src/core/environ.ts";
export { type FetchHandler, type FetchHandlerOptions, toFetchHandler } from "./src/core/handler.ts";
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
