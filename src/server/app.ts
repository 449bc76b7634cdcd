/**
 * `createApp()`: a Hono app that serves static files and mounts WSGI apps at path prefixes.
 *
 * @module
 */

import type { Context, Hono, Next } from "hono";
import { findAppModule, moduleApp } from "./app_loader.ts";
import { stderrLogger } from "../core/errors_stream.ts";
import { type FetchHandler, type FetchHandlerOptions, toFetchHandler } from "../core/handler.ts";
import { currentRuntime } from "../runtime/mod.ts";
import { isWorkerd } from "../runtime/workerd.ts";
import { assetsRoute } from "./assets_route.ts";
import {
  checkMountPrefix,
  connectionOf,
  createRouter,
  finishRouter,
  mountApps,
  type Mounted,
  owns,
  routingPath,
} from "./router.ts";
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
  const app = createRouter(rootPath);
  const targetApp = appOfTarget(options.python ?? {}, logger);
  // A Worker has no file system: no static files of ours there (see below).
  const files = options.root === false || isWorkerd() ? undefined : createStaticFiles(
    { ...options.static, root: options.root ?? "public", rootPath },
    currentRuntime(),
  );

  const given = Object.entries(options.mounts ?? {});
  for (const [prefix] of given) checkMountPrefix(prefix);
  const wsgiApp = (target: WsgiApp | string) =>
    typeof target === "string" ? targetApp(target) : target;
  // An app at "/" behind the static files is mounted here; any other by mountApps.
  const behindFiles = files && options.filesBeforeRootApp
    ? given.find(([prefix]) => prefix === "/")
    : undefined;
  const mounted = mountApps(
    app,
    given.filter((mount) => mount !== behindFiles).map(([prefix, target]) => [
      prefix,
      wsgiApp(target),
    ]),
    options,
  );
  if (files && behindFiles) {
    mounted.push(mountBehindFiles(app, files, wsgiApp(behindFiles[1]), options));
  }

  const apps = options.apps ? appDirectory(options.apps, options, targetApp) : undefined;
  if (apps) app.all("*", apps.middleware);

  if (options.root !== false && isWorkerd()) {
    // A Worker has no file system: its static files are the platform's (wrangler's [assets]).
    app.all("*", assetsRoute("ASSETS"));
  } else if (files) {
    app.all("*", files.handler);
    // A folder of apps may claim any first segment on its first request, so only without one.
    if (!options.apps) staticFirst(app, files, mounted, rootPath);
  }
  return finishRouter(app, logger, rootPath, mounted, apps?.answer);
}

// An app at "/" owns every path, so the static files would never be reached: a GET or HEAD
// naming a file of the root is answered by them, and the app answers the rest (nginx:
// try_files $uri @app), a HEAD included (finishRouter sends a HEAD to the mounted handler).
function mountBehindFiles(
  app: Hono,
  files: StaticFiles,
  wsgiApp: WsgiApp,
  options: Omit<FetchHandlerOptions, "scriptName">,
): Mounted {
  const handler = toFetchHandler(wsgiApp, { ...options, scriptName: "" });
  const rootApp: FetchHandler = async function rootApp(request, connection) {
    return await files.file(request) ?? handler(request, connection);
  };
  const route = (c: Context) => rootApp(c.req.raw, connectionOf(c));
  app.all("/", route);
  app.all("/*", route);
  return ["/", rootApp];
}
// Fresh cached files are answered before Hono's router (its routing, HonoRequest and Context
// are most of the time a small file takes): by the same code, from the same file index, so
// nothing a client sees changes. Paths a mounted app owns, as Hono routes them, never are.
function staticFirst(app: Hono, files: StaticFiles, mounted: Mounted[], rootPath: string): void {
  const routed = app.fetch;
  const owned = (request: Request) => {
    if (mounted.length === 0) return false;
    const path = routingPath(request, rootPath);
    return mounted.some(([prefix]) => owns(prefix, path));
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
  async function answer(request: Request, path: string, connection: unknown) {
    const name = path.split("/")[1] ?? "";
    let handler = handlers.get(name);
    if (!handler) {
      const module = await findAppModule(dir, name);
      if (!module) return undefined;
      handler = toFetchHandler(targetApp(module), { ...options, scriptName: `/${name}` });
      handlers.set(name, handler);
    }
    return handler(request, connection);
  }
  return {
    answer,
    async middleware(c: Context, next: Next) {
      return await answer(c.req.raw, c.req.path, connectionOf(c)) ?? next();
    },
  };
}
