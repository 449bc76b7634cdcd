/**
 * `createApp()`: a Hono app that serves static files and mounts WSGI apps at path prefixes.
 *
 * @module
 */

import { type Context, Hono, type Next } from "hono";
import { findAppModule, moduleApp } from "./app_loader.ts";
import { badRequest, createHostCheck } from "../core/bad_request.ts";
import { getPath } from "hono/utils/url";
import { describe } from "../core/describe_error.ts";
import { stderrLogger } from "../core/errors_stream.ts";
import { type FetchHandler, type FetchHandlerOptions, toFetchHandler } from "../core/handler.ts";
import { resolveDotSegments } from "../core/request_target.ts";
import { currentRuntime } from "../runtime/mod.ts";
import { createStaticFiles, type StaticFiles, type StaticOptions } from "../static/serve_static.ts";
import type { Logger, WsgiApp } from "../core/types.ts";
import {
  createPythonHost,
  type PythonHost,
  type PythonHostOptions,
} from "../python/interpreter.ts";
import { pythonApp } from "../python/python_app.ts";
import { isPythonTarget } from "../python/python_target.ts";

/** Options for {@linkcode createApp}. */
export interface CreateAppOptions extends Omit<FetchHandlerOptions, "scriptName"> {
  /** The folder of static files, or `false` for none. Defaults to `"public"` (from the working directory). */
  root?: string | false;
  /**
   * WSGI apps by mount prefix, such as `{ "/apps/hello": hello }`. A request under a prefix goes
   * to its app with the prefix in `SCRIPT_NAME` and the rest in `PATH_INFO`. An app may also be
   * given as a module path, imported on first request. Defaults to `{}`.
   */
  mounts?: Record<string, WsgiApp | string>;
  /**
   * With an app mounted at `"/"`, which owns every path: whether a GET or HEAD naming a file of
   * `root` is answered by the static files first, and the app answers the rest (nginx's
   * `try_files $uri @app`; Django's `collectstatic` files beside Django). Defaults to `false`:
   * the app at `"/"` answers everything.
   */
  filesBeforeRootApp?: boolean;
  /**
   * A folder of app modules: `DIR/name.ts` (or `.js`) exporting `application` or a default WSGI
   * app answers at `/name`, imported on its first request. A name with no module falls through
   * to the static files. Defaults to none.
   */
  apps?: string;
  /** How static files are served: index, clean URLs, SPA fallback, caching, listings. */
  static?: Omit<StaticOptions, "root" | "rootPath">;
  /**
   * How Python apps (`.py` mounts and files of `apps`) run: the interpreter to share (by default
   * one made on the first Python request), `sys.path` additions, writable mounts, and `reload`
   * (import a `.py` again when it changed on disk). Defaults to `{}`.
   */
  python?: PythonOptions;
}

/** Options of {@linkcode CreateAppOptions.python}. */
export interface PythonOptions extends PythonHostOptions {
  /** The interpreter to run Python apps in; defaults to one made on first use. */
  host?: PythonHost;
  /** Imports a `.py` app again when its file changed; defaults to `false`. */
  reload?: boolean;
}

const MOUNT_PREFIX = /^(\/[^/]+)+$|^\/$/;

/**
 * Creates the edge-wsgi app: WSGI apps at their mount prefixes, then static files from `root`.
 * The result is a Hono app; pass it to {@linkcode serve}, `Deno.serve`, `Bun.serve`, or export it
 * as the default of a `deno serve` entry.
 *
 * @param options The static root and the mounts
 * @returns A Hono app
 * @throws {TypeError} When a mount prefix does not start with `/` or ends with `/`
 * @example
 * ```ts
 * import { createApp, serve, type WsgiApp } from "../mod.ts";
 * const hello: WsgiApp = (_environ, startResponse) => {
 *   startResponse("200 OK", [["Content-Type", "text/plain"]]);
 *   return ["Hello!\n"];
 * };
 * const app = createApp({ root: "public", mounts: { "/apps/hello": hello } });
 * const server = serve(app, { port: 0 });
 * await server.shutdown();
 * ```
 */
export function createApp(options: CreateAppOptions = {}): Hono {
  const logger = options.logger ?? stderrLogger;
  const rootPath = options.rootPath ?? "";
  if (rootPath && !MOUNT_PREFIX.test(rootPath)) {
    throw new TypeError(
      `Root path must start with "/" and not end with "/", not ${JSON.stringify(rootPath)}`,
    );
  }
  // Route on the path with its dot segments resolved, as the adapter sees it, so a request
  // like `/apps/x/%2e%2e/y` reaches the same app on Deno as on Bun (which resolves them itself),
  // and without the root path a proxy may have kept in it.
  const app = new Hono({ getPath: (request) => routingPath(request, rootPath) });
  const targetApp = appOfTarget(options.python ?? {}, logger);
  const files = options.root === false ? undefined : createStaticFiles(
    { ...options.static, root: options.root ?? "public", rootPath },
    currentRuntime(),
  );

  // Longest prefix first, as werkzeug's DispatcherMiddleware matches: with "/a" and "/a/b"
  // both mounted, "/a/b/c" belongs to "/a/b" whatever order they were given in.
  const mounts = Object.entries(options.mounts ?? {}).sort(([a], [b]) => b.length - a.length);
  for (const [prefix, wsgiApp] of mounts) {
    if (!MOUNT_PREFIX.test(prefix)) {
      throw new TypeError(
        `Mount prefix must start with "/" and not end with "/", not ${JSON.stringify(prefix)}`,
      );
    }
    const scriptName = prefix === "/" ? "" : prefix;
    const target = typeof wsgiApp === "string" ? targetApp(wsgiApp) : wsgiApp;
    const handler = toFetchHandler(target, { ...options, scriptName });
    // An app at "/" owns every path, so the static files would never be reached: when asked, a
    // file of the root answers first, and the app everything else (nginx: try_files $uri @app).
    const route = prefix === "/" && files && options.filesBeforeRootApp
      ? async function rootApp(c: { req: { raw: Request }; env: unknown }) {
        return await files.file(c.req.raw) ?? handler(c.req.raw, c.env);
      }
      : function mountedApp(c: { req: { raw: Request }; env: unknown }) {
        return handler(c.req.raw, c.env);
      };
    app.all(scriptName || "/", route);
    app.all(`${scriptName}/*`, route);
  }

  if (options.apps) app.all("*", appDirectory(options.apps, options, targetApp));

  if (files) {
    app.all("*", files.handler);
    // A folder of apps may claim any first segment on its first request, so only without one.
    if (!options.apps) staticFirst(app, files, mounts.map(([prefix]) => prefix), rootPath);
  }

  // A malformed request gets its 400 before routing. In front of Hono's fetch rather than as a
  // middleware: a "*" middleware would cost every request Hono's one-handler fast path.
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

// Fresh cached files are answered before Hono's router (its routing, HonoRequest and Context
// are most of the time a small file takes): by the same code, from the same file index, so
// nothing a client sees changes. Paths a mounted app owns, as Hono routes them, never are.
function staticFirst(app: Hono, files: StaticFiles, prefixes: string[], rootPath: string): void {
  const routed = app.fetch;
  const owned = (request: Request) => {
    if (prefixes.length === 0) return false;
    const path = routingPath(request, rootPath);
    return prefixes.some((prefix) =>
      prefix === "/" || path === prefix || path.startsWith(prefix + "/")
    );
  };
  app.fetch = function fetchStaticFirst(request, env, executionCtx) {
    const route = () => routed(request, env, executionCtx);
    let fast: Response | Promise<Response> | undefined;
    try {
      fast = owned(request) ? undefined : files.cached(request);
    } catch {
      // A file gone since it was cached, say: the router path answers (and logs) as it would.
      return route();
    }
    if (fast instanceof Promise) return fast.catch(route);
    return fast ?? route();
  };
}

function routingPath(request: Request, rootPath: string): string {
  // Bun gives a bare path when the client named no host; Hono's getPath() wants a whole URL.
  const given = request.url.charCodeAt(0) === 47 ? "http://localhost" + request.url : request.url;
  const url = resolveDotSegments(given);
  const path = getPath(url === request.url ? request : { url } as Request);
  if (!rootPath) return path;
  if (path === rootPath) return "/";
  return path.startsWith(rootPath + "/") ? path.slice(rootPath.length) : path;
}

// A module path as an app: Python files run in one interpreter, made on the first one's request.
function appOfTarget(python: PythonOptions, logger: Logger): (target: string) => WsgiApp {
  let host = python.host;
  // One app per file, so /name and /name.py share one imported module.
  const apps = new Map<string, WsgiApp>();
  return function appOf(target) {
    if (!isPythonTarget(target)) return moduleApp(target);
    host ??= createPythonHost({ logger, ...python });
    let app = apps.get(target);
    if (!app) apps.set(target, app = pythonApp(target, host, { reload: python.reload }));
    return app;
  };
}

// The apps of a folder, each behind its own handler, made on its first request.
function appDirectory(
  dir: string,
  options: FetchHandlerOptions,
  targetApp: (target: string) => WsgiApp,
) {
  const handlers = new Map<string, FetchHandler>();
  return async function appFromDirectory(c: Context, next: Next) {
    const name = c.req.path.split("/")[1] ?? "";
    let handler = handlers.get(name);
    if (!handler) {
      const module = await findAppModule(dir, name);
      if (!module) return next();
      handler = toFetchHandler(targetApp(module), { ...options, scriptName: `/${name}` });
      handlers.set(name, handler);
    }
    return handler(c.req.raw, c.env);
  };
}
