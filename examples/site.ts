/**
 * The default site: `public/` and the demo apps. Also a `deno serve` entry, since its default
 * export is the app: `deno serve --parallel -A examples/site.ts` runs it on every core.
 *
 * @module
 */

import { createApp, type CreateAppOptions } from "../mod.ts";
import { fromFileUrl } from "../src/util/path.ts";
import { application as echo } from "./echo.ts";
import { application as environ } from "./environ.ts";
import { application as files } from "./files.ts";
import { application as hello } from "./hello.ts";
import { application as stream } from "./stream.ts";

/** The demo apps, by the prefix the default site mounts them at. */
export const demoApps = {
  "/apps/hello": hello,
  "/apps/files": files,
  "/apps/environ": environ,
  "/apps/echo": echo,
  "/apps/stream": stream,
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
