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
import { noteBodyLength } from "../core/body_length.ts";
import { describe } from "../core/describe_error.ts";
import { type FetchHandler, type FetchHandlerOptions, toFetchHandler } from "../core/handler.ts";
import { resolveDotSegments } from "../core/request_target.ts";
import type { Logger, WsgiApp } from "../core/types.ts";
import { isWorkerd, workerdConnInfo } from "../runtime/workerd.ts";

/** A mount prefix: `/` alone, or segments each starting with `/`, never ending with one. */
export const MOUNT_PREFIX = /^(\/[^/]+)+$|^\/$/;

/** A mounted app: its prefix and its handler. */
export type Mounted = [prefix: string, handler: FetchHandler];

/**
 * Answers a `HEAD` request itself when it belongs to a WSGI app (a response), or tells the
 * router to route it (`undefined`).
 */
export type HeadAnswer = (
  request: Request,
  path: string,
  connection: unknown,
) => Response | Promise<Response | undefined> | undefined;

const NOT_FOUND = "404 Not Found\n";
const INTERNAL_ERROR = "Internal Server Error\n";

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
 * @returns The mounted apps, longest prefix first
 * @throws {TypeError} When a prefix does not start with `/` or ends with `/`
 */
export function mountApps(
  app: Hono,
  mounts: [prefix: string, app: WsgiApp][],
  options: Omit<FetchHandlerOptions, "scriptName">,
): Mounted[] {
  for (const [prefix] of mounts) checkMountPrefix(prefix);
  const sorted = [...mounts].sort(([a], [b]) => b.length - a.length);
  const mounted: Mounted[] = [];
  for (const [prefix, wsgiApp] of sorted) {
    const scriptName = prefix === "/" ? "" : prefix;
    const handler = toFetchHandler(wsgiApp, { ...options, scriptName });
    const route = function mountedApp(c: Context) {
      return handler(c.req.raw, connectionOf(c));
    };
    app.all(scriptName || "/", route);
    app.all(`${scriptName}/*`, route);
    mounted.push([prefix, handler]);
  }
  return mounted;
}

/** Whether the app mounted at `prefix` answers `path`, as Hono routes `prefix` and `prefix/*`. */
export function owns(prefix: string, path: string): boolean {
  return prefix === "/" || path === prefix || path.startsWith(prefix + "/");
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

// The same, before Hono made a Context: from what its fetch() was given.
function connectionFor(request: Request, env: unknown, ctx: unknown): unknown {
  return isWorkerd() ? workerdConnInfo(request, ctx as Parameters<typeof workerdConnInfo>[1]) : env;
}

/**
 * Ends the app: a malformed request gets its 400 before routing, a `HEAD` for a WSGI app goes
 * straight to it, an unrouted request gets a plain 404, and an error that escaped a route a 500
 * and a log line.
 *
 * @param app The router
 * @param logger The error log
 * @param rootPath The root path routing takes off
 * @param mounted The mounted apps, longest prefix first
 * @param headOfOthers Answers a `HEAD` no mounted app owns, where another WSGI app may (a folder
 *   of apps); `undefined` routes it
 */
export function finishRouter(
  app: Hono,
  logger: Logger,
  rootPath: string,
  mounted: Mounted[],
  headOfOthers?: HeadAnswer,
): Hono {
  // In front of Hono's fetch rather than as a middleware: a "*" middleware would cost every
  // request Hono's one-handler fast path.
  const dispatch = app.fetch;
  const checkHost = createHostCheck();
  app.fetch = function checkedFetch(request, env, executionContext) {
    const problem = checkHost(request.url, request.headers.get("host"));
    if (problem) return badRequest(problem, request, logger);
    // Hono answers a HEAD by routing it as a GET and copying the headers onto a null body, on
    // which both runtimes set `Content-Length: 0`: false for a body of unknown length, and a
    // HEAD may announce no length but the GET's (RFC 9110 §8.6). The adapter answers a HEAD
    // right itself, so a HEAD for a WSGI app goes straight to it.
    if (request.method === "HEAD") {
      const path = routingPath(request, rootPath);
      const connection = connectionFor(request, env, executionContext);
      const handler = mounted.find(([prefix]) => owns(prefix, path))?.[1];
      if (handler) return handler(request, connection);
      const answer = headOfOthers?.(request, path, connection);
      if (answer instanceof Promise) {
        return answer.then((response) => response ?? dispatch(request, env, executionContext));
      }
      if (answer) return answer;
    }
    return dispatch(request, env, executionContext);
  };
  // Noted with their length, which Hono's string responses do not show (body_length.ts).
  app.notFound((c) => noteBodyLength(c.text(NOT_FOUND, 404), NOT_FOUND.length));
  app.onError((error, c) => {
    logger(`Error for ${c.req.method} ${c.req.path}: ${describe(error)}`);
    return noteBodyLength(c.text(INTERNAL_ERROR, 500), INTERNAL_ERROR.length);
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
