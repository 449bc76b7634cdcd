/**
 * Cloudflare Workers (workerd): a Worker's `fetch(request, env, ctx)` instead of a server.
 * Workers listen for no one; they export a handler, and their static files are the platform's
 * own static assets (the `ASSETS` binding).
 *
 * Nothing here touches Deno, Bun or Node at the top level, so this module (and everything
 * `workers.ts` exports) loads in a Worker with no compatibility flag.
 *
 * @module
 */

import { type FetchHandlerOptions, toFetchHandler } from "../core/handler.ts";
import type { ConnInfo, WsgiApp } from "../core/types.ts";

// The Workers API, declared with just what we use, so type-checking needs no
// @cloudflare/workers-types (as oak declares Bun's).

/** A Worker's execution context: the third argument of its `fetch()`. */
export interface ExecutionContext {
  /** Keeps the Worker running until `promise` settles, after the response has gone out. */
  waitUntil(promise: Promise<unknown>): void;
}

/** A Worker's module export: what `export default` gives workerd. */
export interface WorkerHandler {
  fetch(request: Request, env: unknown, ctx: ExecutionContext): Response | Promise<Response>;
}

/** Anything with Hono's `fetch(request, env, ctx)`, such as `createApp()`'s app. */
export interface WorkerFetchApp {
  fetch(request: Request, env?: unknown, ctx?: ExecutionContext): Response | Promise<Response>;
}

/** Tells whether this is Cloudflare's workerd (in a Worker, or under `wrangler dev`). */
export function isWorkerd(): boolean {
  return (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ===
    "Cloudflare-Workers";
}

/**
 * What a Worker knows of a request's connection: the client's address from `CF-Connecting-IP`
 * (Cloudflare sets it on every request and replaces any a client sent; workerd passes no
 * socket), with no port, and `ctx.waitUntil` to finish work after the response.
 *
 * @param request The request the Worker received
 * @param ctx Its execution context, when there is one
 * @returns Connection info for {@linkcode toFetchHandler}'s handler
 * @example
 * ```ts
 * const info = workerdConnInfo(
 *   new Request("https://example.com/", { headers: { "CF-Connecting-IP": "203.0.113.7" } }),
 * );
 * info.remoteAddr; // { hostname: "203.0.113.7" }
 * ```
 */
export function workerdConnInfo(request: Request, ctx?: ExecutionContext): ConnInfo {
  const client = request.headers.get("cf-connecting-ip");
  return {
    remoteAddr: client ? { hostname: client } : undefined,
    waitUntil: ctx ? (work) => ctx.waitUntil(work) : undefined,
  };
}

/**
 * Turns a WSGI app, or a Fetch app such as `createApp()`'s, into a Worker: the object a
 * Worker module exports as its default. A WSGI app gets `REMOTE_ADDR` from `CF-Connecting-IP`,
 * `wsgi.url_scheme` and the host from the request URL, and its body's `close()` runs to the end
 * through `ctx.waitUntil` even after the last byte went out. A Fetch app is called as it is
 * (`createApp()`'s routes read the same from Hono's context).
 *
 * @param app A WSGI app, or an object with `fetch(request, env, ctx)`
 * @param options The handler's options for a WSGI app (debug, logger, limits)
 * @returns `{ fetch(request, env, ctx) }`
 * @example
 * ```ts
 * import { toWorker, type WsgiApp } from "../../workers.ts";
 * const hello: WsgiApp = (environ, startResponse) => {
 *   startResponse("200 OK", [["Content-Type", "text/plain"]]);
 *   return [`Hello, ${environ.REMOTE_ADDR ?? "stranger"}\n`];
 * };
 * export default toWorker(hello);
 * ```
 */
export function toWorker(
  app: WsgiApp | WorkerFetchApp,
  options: FetchHandlerOptions = {},
): WorkerHandler {
  if (typeof app !== "function") {
    return { fetch: (request, env, ctx) => app.fetch(request, env, ctx) };
  }
  const handler = toFetchHandler(app, options);
  return {
    fetch: (request, _env, ctx) => handler(request, workerdConnInfo(request, ctx)),
  };
}
