/**
 * The app the command line serves, from its configuration: static files, the demo apps or the
 * ones named by --apps and --mount.
 *
 * @module
 */

import type { Hono } from "hono";
import { demoApps } from "../../../examples/site.ts";
import { createApp } from "../app.ts";
import { fromFileUrl } from "../../base/path.ts";
import type { WsgiApp } from "../../core/types.ts";
import { createPythonHost, type PythonHost } from "../../python/interpreter.ts";
import { errorLog, info, warning } from "./log.ts";
import type { Config } from "./options.ts";

const DEMO_ROOT = fromFileUrl(new URL("../../../public", import.meta.url));

/**
 * The Python interpreter of this process (or worker), as the configuration describes it:
 * `--python-path`, `--python-writable`, `--python-compat`, `--python-snapshot`, `--timeout`. Loaded on first use, or at once with `--preload`.
 */
export function pythonHostOf(config: Config): PythonHost {
  return createPythonHost({
    pythonPath: config.pythonPath,
    writable: config.pythonWritable,
    compat: config.pythonCompat,
    snapshot: config.pythonSnapshot,
    timeout: config.timeout,
    logger: errorLog,
    info,
    warning,
  });
}

/**
 * Builds the site: `--root` (or the demo site's `public/`), the apps of `--apps`, and the
 * `--mount`s; with neither `--apps` nor `--mount`, the demo apps. Python apps run in `python`.
 */
export function buildSite(
  config: Config,
  multiprocess: boolean,
  python: PythonHost = pythonHostOf(config),
): Hono {
  const mounts: Record<string, WsgiApp | string> = {};
  if (!config.apps && config.mounts.length === 0) Object.assign(mounts, demoApps);
  for (const [prefix, module] of config.mounts) mounts[prefix] = module;
  return createApp({
    // An app mounted at "/" owns the site: no demo page shadows its paths, and the files of a
    // --root answer before it (static files beside Django, as nginx serves them).
    root: config.root ?? (mounts["/"] ? false : DEMO_ROOT),
    filesBeforeRootApp: true,
    apps: config.apps ?? undefined,
    mounts,
    rootPath: config.rootPath,
    debug: config.debug,
    forwardedAllowIps: config.forwardedAllowIps,
    maxBodySize: config.maxBodySize,
    multiprocess,
    logger: errorLog,
    python: { host: python, reload: config.reload },
  });
}
