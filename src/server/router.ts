/**
 * The runtime-neutral half of `createApp()`: a Hono app that routes on the path the adapter
 * sees, mounts WSGI apps by prefix, answers a malformed `Host` with 400 before routing, and
 * ends with a plain 404 and a logged 500. Both `createApp()`s build on it: the Deno and Bun one
 * (src/server/app.ts, which adds app folders, Python and the static file server) and the
 * Workers one (src/server/worker_app.ts, whose static files are the `ASSETS` binding).
 *
 * @module
 */

import { type Context, Hono } from "hono";
import { getPath } from "hono/utils/url";
import { badRequest, createHostCheck } from "../core/bad_request.ts";
import { describe } from "../core/describe_error.ts";
import { type FetchHandlerOptions, toFetchHandler } from "../core/handler.ts";
import { resolveDotSegments } from "../core/request_target.ts";
import type { Logger, WsgiApp } from "../core/types.ts";
import { isWorkerd, workerdConnInfo } from "../runtime/workerd.ts";

/** A mount prefix: `/` alone, or segments each starting with `/`, never ending with one. */
export const MOUNT_PREFIX = /^(\/[^/]+)+$|^\/$/;

/**
 * A new Hono app routing on the path with its dot segments resolved, as the adapter sees it,
 * so a request like `/apps/x/%2e%2e/y` reaches the same app on Deno as on Bun (which resolves
 * them itself), and without the root path a proxy may have kept in it.
 *
 * @throws {TypeError} When `rootPath` does not start with `/` or ends with `/`
 */
export function createRouter(rootPath: string): Hono {
  if (rootPath && !MOUNT_PREFIX.test(rootPath)) {
    throw new TypeError(
      `Root path must start with "/" and not end with "/", not ${JSON.stringify(rootPath)}`,
    );
  }
  return new Hono({ getPath: (request) => routingPath(request, rootPath) });
}

/**
 * Mounts each WSGI app at its prefix, longest prefix first, as werkzeug's
 * DispatcherMiddleware matches: with "/a" and "/a/b" both mounted, "/a/b/c" belongs to "/a/b"
 * whatever order they were given in.
 *
 * @returns The prefixes, longest first
 * @throws {TypeError} When a prefix does not start with `/` or ends with `/`
 */
export function mountApps(
  app: Hono,
  mounts: [prefix: string, app: WsgiApp][],
  options: Omit<FetchHandlerOptions, "scriptName">,
): string[] {
  for (const [prefix] of mounts) checkMountPrefix(prefix);
  const sorted = [...mounts].sort(([a], [b]) => b.length - a.length);
  for (const [prefix, wsgiApp] of sorted) {
    const scriptName = prefix === "/" ? "" : prefix;
    const handler = toFetchHandler(wsgiApp, { ...options, scriptName });
    const route = function mountedApp(c: Context) {
      return handler(c.req.raw, connectionOf(c));
    };
    app.all(scriptName || "/", route);
    app.all(`${scriptName}/*`, route);
  }
  return sorted.map(([prefix]) => prefix);
}

/**
 * Checks a mount prefix.
 *
 * @throws {TypeError} When it does not start with `/` or ends with `/`
 */
export function checkMountPrefix(prefix: string): void {
  if (!MOUNT_PREFIX.test(prefix)) {
    throw new TypeError(
      `Mount prefix must start with "/" and not end with "/", not ${JSON.stringify(prefix)}`,
    );
  }
}

/**
 * The connection info a mounted app's handler gets: what `serve()` passed as Hono's `env` on
 * Deno and Bun; on Workers, where `env` holds the Worker's bindings, `CF-Connecting-IP` and the
 * execution context.
 */
export function connectionOf(c: Context): unknown {
  if (!isWorkerd()) return c.env;
  let ctx;
  try {
    ctx = c.executionCtx;
  } catch {
    // Called without one (app.fetch(request) in a test): nothing to wait on.
  }
  return workerdConnInfo(c.req.raw, ctx);
}

/**
 * Ends the app: a malformed request gets its 400 before routing, an unrouted one a plain 404,
 * and an error that escaped a route a 500 and a log line.
 */
export function finishRouter(app: Hono, logger: Logger): Hono {
  // In front of Hono's fetch rather than as a middleware: a "*" middleware would cost every
  // request Hono's one-handler fast path.
  const dispatch = app.fetch;
  const checkHost = createHostCheck();
  app.fetch = function checkedFetch(request, env, executionContext) {
    const problem = checkHost(request.url, request.headers.get("host"));
    if (problem) return badRequest(problem, request, logger);
    return dispatch(request, env, executionContext);
  };
  app.notFound((c) => c.text("404 Not Found\n", 404));
  app.onError((error, c) => {
    logger(`Error for ${c.req.method} ${c.req.path}: ${describe(error)}`);
    return c.text("Internal Server Error\n", 500);
  });
  return app;
}

/** The path a request is routed on: dot segments resolved, the root path taken off. */
export function routingPath(request: Request, rootPath: string): string {
  // Bun gives a bare path when the client named no host; Hono's getPath() wants a whole URL.
  const given = request.url.charCodeAt(0) === 47 ? "http://localhost" + request.url : request.url;
  const url = resolveDotSegments(given);
  const path = getPath(url === request.url ? request : { url } as Request);
  if (!rootPath) return path;
  if (path === rootPath) return "/";
  return path.startsWith(rootPath + "/") ? path.slice(rootPath.length) : path;
}
