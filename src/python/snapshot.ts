/**
 * Starts Pyodide from a memory snapshot when one is cached, and caches one when not: a fresh
 * start takes seconds (the interpreter and the standard library initialise), a snapshot
 * restore a fraction of that. Whatever goes wrong with the cache (a corrupt or foreign file,
 * an unwritable folder), the interpreter still starts the normal way, with one log line.
 *
 * @module
 */

import type { PyodideAPI } from "pyodide";
import { join } from "../base/path.ts";
import { readSnapshot, snapshotFileName, writeSnapshot } from "./snapshot_cache.ts";

/** The two snapshot options of `loadPyodide()` (private in Pyodide 314, hence named here). */
export interface SnapshotLoadOptions {
  /** Start in the mode that allows `makeMemorySnapshot()` afterwards. */
  _makeSnapshot?: boolean;
  /** Restore this snapshot instead of initialising the interpreter. */
  _loadSnapshot?: Uint8Array;
}

/** Options of {@linkcode loadWithSnapshot}. */
export interface SnapshotOptions {
  /** The snapshot folder, or `"off"` to always start normally and write nothing. */
  dir: string;
  /** Pyodide's version (`version` from the `pyodide` module). */
  pyodideVersion: string;
  /**
   * What else the interpreter's memory depends on: the `env` and `args` given to
   * `loadPyodide()` and what `prepare` does. A different fingerprint is a different file.
   */
  fingerprint: string;
  /**
   * Runs on a freshly started interpreter before its snapshot is taken, e.g. to import
   * modules every app needs. Pure Python only: a snapshot cannot hold JavaScript objects.
   * Default: nothing.
   */
  prepare?: (pyodide: PyodideAPI) => void;
  /** Where the one line about a cache problem goes. */
  log: (line: string) => void;
}

/** How the interpreter was started. */
export type SnapshotOutcome = "off" | "restored" | "saved" | "fresh";

/**
 * Loads Pyodide through `load` (the caller's `loadPyodide` with its own options), restoring
 * the cached snapshot if there is a good one, else starting normally, running `prepare`,
 * and saving a snapshot for the next start (over an unusable one). `prepare` has then run in every outcome.
 *
 * @param load Calls `loadPyodide({ ...yourOptions, ...extra })`.
 * @param options The snapshot folder and what the snapshot depends on.
 * @returns The interpreter and how it was started: `"restored"` from the cache, `"saved"`
 *   (started normally, snapshot written), `"fresh"` (started normally, cache unusable) or
 *   `"off"`.
 * @example
 * ```ts
 * import { loadPyodide, version } from "pyodide";
 * const { pyodide } = await loadWithSnapshot(
 *   (extra) => loadPyodide({ indexURL: "node_modules/pyodide/", ...extra }),
 *   { dir: "/tmp/snapshots", pyodideVersion: version, fingerprint: "", log: console.error },
 * );
 * ```
 */
export async function loadWithSnapshot(
  load: (extra: SnapshotLoadOptions) => Promise<PyodideAPI>,
  options: SnapshotOptions,
): Promise<{ pyodide: PyodideAPI; outcome: SnapshotOutcome }> {
  const prepare = options.prepare ?? (() => {});
  if (options.dir === "off") {
    const pyodide = await load({});
    prepare(pyodide);
    return { pyodide, outcome: "off" };
  }
  const path = join(
    options.dir,
    await snapshotFileName(options.pyodideVersion, options.fingerprint),
  );
  let cached: Uint8Array | undefined;
  try {
    cached = await readSnapshot(path);
    if (cached) return { pyodide: await load({ _loadSnapshot: cached }), outcome: "restored" };
  } catch (error) {
    options.log(`python: snapshot ${path} is unusable (${describe(error)}); starting normally`);
  }
  const pyodide = await load({ _makeSnapshot: true });
  prepare(pyodide);
  try {
    await writeSnapshot(path, pyodide.makeMemorySnapshot());
    return { pyodide, outcome: "saved" };
  } catch (error) {
    options.log(
      `python: cannot save a snapshot to ${path} (${describe(error)}); starting normally`,
    );
    return { pyodide, outcome: "fresh" };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
