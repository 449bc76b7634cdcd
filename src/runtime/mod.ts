/**
 * The runtime edge-wsgi runs on, picked once by a small guard.
 *
 * @module
 */

import { bunRuntime, isBun } from "./bun.ts";
import { denoRuntime, isDeno } from "./deno.ts";
import type { Runtime } from "./types.ts";
import { isWorkerd } from "./workerd.ts";

export type { ListenOptions, Runtime, RuntimeHandler, RuntimeServer } from "./types.ts";

/**
 * The current runtime's I/O.
 *
 * @throws {Error} On a runtime that is neither Deno nor Bun (on Workers, naming what to use)
 */
export function currentRuntime(): Runtime {
  if (isBun()) return bunRuntime;
  if (isDeno()) return denoRuntime;
  if (isWorkerd()) {
    // A Worker is called, it does not listen, and its static files are the platform's assets.
    throw new Error(
      "On Cloudflare Workers nothing listens and there is no file system: export default " +
        'toWorker(app) or createApp() from "edge-wsgi/workers" (static files are the ASSETS binding)',
    );
  }
  throw new Error("edge-wsgi runs on Deno or Bun; this runtime is neither");
}
