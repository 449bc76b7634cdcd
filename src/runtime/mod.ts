/**
 * The runtime edge-wsgi runs on, picked once by a small guard.
 *
 * @module
 */

import { bunRuntime, isBun } from "./bun.ts";
import { denoRuntime, isDeno } from "./deno.ts";
import type { Runtime } from "./types.ts";

export type { ListenOptions, Runtime, RuntimeHandler, RuntimeServer } from "./types.ts";

/**
 * The current runtime's I/O.
 *
 * @throws {Error} On a runtime that is neither Deno nor Bun
 */
export function currentRuntime(): Runtime {
  if (isBun()) return bunRuntime;
  if (isDeno()) return denoRuntime;
  throw new Error("edge-wsgi runs on Deno or Bun; this runtime is neither");
}
