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
import { noteBodyLength } from "../core/body_length.ts";

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
const NOT_FOUND = "404 Not Found\n";
const INTERNAL_ERROR = "Internal Server Error\n";

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

  // Longest prefix first, as werkzeug's DispatcherMiddleware matches: with "/a" and "/a/b"
  // both mounted, "/a/b/c" belongs to "/a/b" whatever order they were given in.
  const mounts = Object.entries(options.mounts ?? {}).sort(([a], [b]) => b.length - a.length);
  const mounted: [prefix: string, handler: FetchHandler][] = [];
  for (const [prefix, wsgiApp] of mounts) {
    if (!MOUNT_PREFIX.test(prefix)) {
      throw new TypeError(
        `Mount prefix must start with "/" and not end with "/", not ${JSON.stringify(prefix)}`,
      );
    }
    const scriptName = prefix === "/" ? "" : prefix;
    const target = typeof wsgiApp === "string" ? targetApp(wsgiApp) : wsgiApp;
    const handler = toFetchHandler(target, { ...options, scriptName });
    const route = function mountedApp(c: { req: { raw: Request }; env: unknown }) {
      return handler(c.req.raw, c.env);
    };
    app.all(scriptName || "/", route);
    app.all(`${scriptName}/*`, route);
    mounted.push([prefix, handler]);
  }

  const apps = options.apps ? appDirectory(options.apps, options, targetApp) : undefined;
  if (apps) app.all("*", apps.middleware);

  if (options.root !== false) {
    const root = options.root ?? "public";
    const files = createStaticFiles({ ...options.static, root, rootPath }, currentRuntime());
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
    const route = () => dispatch(request, env, executionContext);
    // Hono answers a HEAD by routing it as a GET and copying the headers onto a null body, on
    // which both runtimes set `Content-Length: 0`: false for a body of unknown length, and a
    // HEAD may announce no length but the GET's (RFC 9110 §8.6). The adapter answers a HEAD
    // right itself, so a HEAD for a WSGI app goes straight to it.
    if (request.method === "HEAD") {
      const path = routingPath(request, rootPath);
      const handler = mounted.find(([prefix]) => owns(prefix, path))?.[1];
      if (handler) return handler(request, env);
      if (apps) return apps.answer(request, path, env).then((response) => response ?? route());
    }
    return route();
  };

  // Noted with their length, which Hono's string responses do not show (body_length.ts).
  app.notFound((c) => noteBodyLength(c.text(NOT_FOUND, 404), NOT_FOUND.length));
  app.onError((error, c) => {
    logger(`Error for ${c.req.method} ${c.req.path}: ${describe(error)}`);
    return noteBodyLength(c.text(INTERNAL_ERROR, 500), INTERNAL_ERROR.length);
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
    return prefixes.some((prefix) => owns(prefix, path));
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

// Whether the app mounted at `prefix` answers `path`, as Hono routes `prefix` and `prefix/*`.
function owns(prefix: string, path: string): boolean {
  return prefix === "/" || path === prefix || path.startsWith(prefix + "/");
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

// The apps of a folder, each behind its own handler, made on its first request: `answer` is
// the app's response, or undefined when no app has the path's first segment for its name.
function appDirectory(
  dir: string,
  options: FetchHandlerOptions,
  targetApp: (target: string) => WsgiApp,
) {
  const handlers = new Map<string, FetchHandler>();
  async function answer(request: Request, path: string, env: unknown) {
    const name = path.split("/")[1] ?? "";
    let handler = handlers.get(name);
    if (!handler) {
      const module = await findAppModule(dir, name);
      if (!module) return undefined;
      handler = toFetchHandler(targetApp(module), { ...options, scriptName: `/${name}` });
      handlers.set(name, handler);
    }
    return handler(request, env);
  }
  return {
    answer,
    async middleware(c: Context, next: Next) {
      return await answer(c.req.raw, c.req.path, c.env) ?? next();
    },
  };
}
