/**
 * Reading environment variables when the runtime may forbid it.
 *
 * Deno without `--allow-env` (or with `--deny-env`) throws `NotCapable` on every read, even of a
 * variable that is not set. A server that merely looks for optional settings (`PORT`,
 * `HOSTNAME`, `PYTHONPATH`…) should then run on its defaults, not die with a stack trace: these
 * helpers treat a forbidden read as "unset". Any other error is rethrown.
 *
 * @module
 */

import process from "node:process";

// Deno 2 names the error NotCapable; Deno 1 named it PermissionDenied.
const DENIED = new Set(["NotCapable", "PermissionDenied"]);

function isDenied(error: unknown): boolean {
  return error instanceof Error && DENIED.has(error.name);
}

/**
 * Reads one environment variable.
 *
 * @param name The variable's name
 * @returns Its value, or `undefined` when it is unset or reading it is not allowed
 *
 * @example
 * ```ts
 * import { readEnv } from "./env.ts";
 * const port = Number(readEnv("PORT") ?? 8000);
 * ```
 */
export function readEnv(name: string): string | undefined {
  try {
    return process.env[name];
  } catch (error) {
    if (isDenied(error)) return undefined;
    throw error;
  }
}

/**
 * Reads several environment variables at once, each as {@linkcode readEnv} does.
 *
 * @param names The variables' names
 * @returns A record of the names that are set and readable, and their values
 *
 * @example
 * ```ts
 * import { readEnvVars } from "./env.ts";
 * const env = readEnvVars(["PORT", "HOSTNAME"]); // {} under `deno run` without --allow-env
 * ```
 */
export function readEnvVars(names: Iterable<string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of names) {
    const value = readEnv(name);
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/**
 * The whole environment, for passing on to a child process; empty when reading it is not
 * allowed.
 *
 * @returns A copy of every variable
 *
 * @example
 * ```ts
 * import { readAllEnv } from "./env.ts";
 * const childEnv = { ...readAllEnv(), EXTRA: "1" };
 * ```
 */
export function readAllEnv(): Record<string, string | undefined> {
  try {
    return { ...process.env };
  } catch (error) {
    if (isDenied(error)) return {};
    throw error;
  }
}
