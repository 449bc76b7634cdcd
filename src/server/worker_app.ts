/**
 * `createApp()` for Cloudflare Workers: WSGI apps by mount prefix, and everything else from
 * the Worker's static assets. It imports nothing that needs Deno, Bun or Node, so a Worker
 * built from it needs no compatibility flag.
 *
 * @module
 */

import type { Hono } from "hono";
import { stderrLogger } from "../core/errors_stream.ts";
import type { FetchHandlerOptions } from "../core/handler.ts";
import type { WsgiApp } from "../core/types.ts";
import { assetsRoute } from "./assets_route.ts";
import { createRouter, finishRouter, mountApps } from "./router.ts";

/** Options for the Workers {@linkcode createWorkerApp}. */
export interface WorkerAppOptions extends Omit<FetchHandlerOptions, "scriptName"> {
  /**
   * WSGI apps by mount prefix, such as `{ "/apps/hello": hello }`: the prefix moves into
   * `SCRIPT_NAME`. A Worker imports nothing at run time, so apps are values, not module paths.
   * Defaults to `{}`.
   */
  mounts?: Record<string, WsgiApp>;
  /**
   * The `env` binding of the Worker's static assets, answering every request no app owns, or
   * `false` for a plain 404. Defaults to `"ASSETS"` (wrangler's `[assets] binding = "ASSETS"`);
   * when the Worker has no such binding, a plain 404.
   */
  assets?: string | false;
}

/**
 * Creates the edge-wsgi app for a Worker: the WSGI apps at their prefixes, then the static
 * assets. Export it as the Worker's default (or wrap it with `toWorker()`, which changes
 * nothing for it). Each app gets `REMOTE_ADDR` from `CF-Connecting-IP`, and its body's
 * `close()` is finished through `ctx.waitUntil`.
 *
 * @param options The mounts and the assets binding
 * @returns A Hono app: `{ fetch(request, env, ctx) }`
 * @throws {TypeError} When a mount prefix does not start with `/` or ends with `/`
 * @example
 * ```ts
 * import { createApp, type WsgiApp } from "../../workers.ts";
 * const hello: WsgiApp = (_environ, startResponse) => {
 *   startResponse("200 OK", [["Content-Type", "text/plain"]]);
 *   return ["Hello from a Worker\n"];
 * };
 * export default createApp({ mounts: { "/apps/hello": hello } });
 * ```
 */
export function createWorkerApp(options: WorkerAppOptions = {}): Hono {
  const logger = options.logger ?? stderrLogger;
  const rootPath = options.rootPath ?? "";
  const app = createRouter(rootPath);
  const mounted = mountApps(app, Object.entries(options.mounts ?? {}), options);
  const assets = options.assets ?? "ASSETS";
  if (assets !== false) app.all("*", assetsRoute(assets));
  return finishRouter(app, logger, rootPath, mounted);
}
