/**
 * The default site: `public/` and the demo apps. Also a `deno serve` entry, since its default
 * export is the app: `deno serve --parallel -A examples/site.ts` runs it on every core.
 *
 * @module
 */

import { createApp, type CreateAppOptions, type WsgiApp } from "../mod.ts";
import { fromFileUrl } from "../src/base/path.ts";
import { application as echo } from "./echo.ts";
import { application as environ } from "./environ.ts";
import { application as files } from "./files.ts";
import { application as hello } from "./hello.ts";
import { application as stream } from "./stream.ts";

const python = (file: string) => fromFileUrl(new URL(`./python/${file}`, import.meta.url));

/**
 * The demo apps, by the prefix the default site mounts them at. The Python ones are paths of
 * `.py` files, run by Pyodide on their first request.
 */
export const demoApps: Record<string, WsgiApp | string> = {
  "/apps/hello": hello,
  "/apps/files": files,
  "/apps/environ": environ,
  "/apps/echo": echo,
  "/apps/stream": stream,
  // Seed 000's wsgi_app.py, unchanged: it serves the pages beside it, its working directory.
  "/apps/py-files": python("files/wsgi_app.py"),
  // Seed 002's `application`, with a list of bytes for a body as Python 3 needs.
  "/apps/py-hello": python("hello.py"),
};

/** Creates the default site: the demo pages of `public/` and the demo apps. */
export function createDemoSite(options: Omit<CreateAppOptions, "mounts" | "root"> = {}) {
  return createApp({
    ...options,
    root: fromFileUrl(new URL("../public", import.meta.url)),
    mounts: demoApps,
  });
}

export default createDemoSite();
