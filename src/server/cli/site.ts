/**
 * The app the command line serves, from its configuration: static files, the demo apps or the
 * ones named by --apps and --mount.
 *
 * @module
 */

import type { Hono } from "hono";
import { demoApps } from "../../../examples/site.ts";
import { createApp } from "../app.ts";
import { fromFileUrl } from "../../util/path.ts";
import type { WsgiApp } from "../../core/types.ts";
import { errorLog } from "./log.ts";
import type { Config } from "./options.ts";

const DEMO_ROOT = fromFileUrl(new URL("../../../public", import.meta.url));

/**
 * Builds the site: `--root` (or the demo site's `public/`), the apps of `--apps`, and the
 * `--mount`s; with neither `--apps` nor `--mount`, the demo apps.
 */
export function buildSite(config: Config, multiprocess: boolean): Hono {
  const mounts: Record<string, WsgiApp | string> = {};
  if (!config.apps && config.mounts.length === 0) Object.assign(mounts, demoApps);
  for (const [prefix, module] of config.mounts) mounts[prefix] = module;
  return createApp({
    root: config.root ?? DEMO_ROOT,
    apps: config.apps ?? undefined,
    mounts,
    rootPath: config.rootPath,
    debug: config.debug,
    forwardedAllowIps: config.forwardedAllowIps,
    maxBodySize: config.maxBodySize,
    multiprocess,
    logger: errorLog,
  });
}
