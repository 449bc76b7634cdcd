/**
 * edge-wsgi: WSGI-style apps and a careful static file server on Deno and Bun.
 *
 * A WSGI app is a function of `(environ, startResponse)` that returns an iterable body, as in
 * PEP 3333. `toFetchHandler()` turns one into a Fetch handler; `createApp()` mounts several next
 * to a static site; `serve()` runs either on the current runtime.
 *
 * Run this file to serve the demo site: `deno run -A mod.ts` or `bun run mod.ts`.
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
  StartResponse,
  Write,
  WsgiApp,
  WsgiErrors,
  WsgiInput,
} from "./src/types.ts";
export { toEnviron, type ToEnvironOptions } from "./src/environ.ts";
export { type FetchHandler, type FetchHandlerOptions, toFetchHandler } from "./src/handler.ts";
export { createApp, type CreateAppOptions } from "./src/app.ts";
export { type FetchApp, serve, type ServeOptions, type Server } from "./src/serve.ts";
export { isHopByHop } from "./src/response_rules.ts";
export { fileWrapper } from "./src/file_wrapper.ts";
export { latin1ToText } from "./src/latin1.ts";

if (import.meta.main) {
  // Not awaited: the demo site imports this module, which must finish evaluating first.
  import("./src/main.ts").then(({ main }) => main());
}
