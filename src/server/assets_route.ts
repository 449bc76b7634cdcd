/**
 * Static files on Cloudflare Workers: the platform's static assets, through the Worker's
 * `ASSETS` binding (wrangler's `[assets] directory = "public"`, `binding = "ASSETS"`).
 *
 * @module
 */

import type { Context } from "hono";

/** The part of a Workers `Fetcher` binding that serves assets. */
interface AssetsBinding {
  fetch(request: Request): Promise<Response>;
}

/**
 * A route that answers from the Worker's static assets binding `binding`; without that binding
 * (a Worker configured with no `[assets]`), the app's plain 404.
 *
 * @param binding The binding's name in the Worker's `env`, such as `"ASSETS"`
 * @returns A Hono handler
 * @example
 * ```ts ignore
 * app.all("*", assetsRoute("ASSETS")); // GET /style.css → public/style.css, as Workers serve it
 * ```
 */
export function assetsRoute(binding: string): (c: Context) => Response | Promise<Response> {
  return function staticAssets(c) {
    const assets = (c.env as Record<string, AssetsBinding | undefined> | undefined)?.[binding];
    if (typeof assets?.fetch !== "function") return c.notFound();
    return assets.fetch(c.req.raw);
  };
}
