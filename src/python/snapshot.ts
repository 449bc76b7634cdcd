/**
 * Starts Pyodide from a memory snapshot when one is cached, and caches one when not: a fresh
 * start takes seconds (the interpreter and the standard library initialise), a snapshot
 * restore a fraction of that. Whatever goes wrong with the cache (a corrupt or foreign file,
 * an unwritable folder), the interpreter still starts the normal way, with one log line.
 *
 * @module
 */

import type { PyodideAPI } from "pyodide";
import { join, toFileUrl } from "../base/path.ts";
import {
  pruneSnapshots,
  readSnapshot,
  snapshotFileName,
  touchSnapshot,
  writeSnapshot,
} from "./snapshot_cache.ts";
import { changedFile, stampFiles } from "./snapshot_manifest.ts";
import { type SparseMemory, splitSnapshot, writeMemory } from "./snapshot_memory.ts";

// Snapshot files kept in a folder, the most recently used (one per set of apps and runtime).
const KEEP = 12;

/**
 * The two snapshot options of `loadPyodide()` (private in Pyodide 314, hence named here), and
 * the memory to write before Pyodide restores the rest (ours: see snapshot_memory.ts).
 */
export interface SnapshotLoadOptions {
  /** Start in the mode that allows `makeMemorySnapshot()` afterwards. */
  _makeSnapshot?: boolean;
  /** Restore this snapshot instead of initialising the interpreter. */
  _loadSnapshot?: Uint8Array;
  /**
   * The snapshot's memory, when `_loadSnapshot` is only its header: written by the module
   * factory of {@linkcode snapshotOptions}.
   */
  memory?: SparseMemory;
}

/**
 * The options of `loadPyodide()` that `load` receives from {@linkcode loadWithSnapshot}, to
 * spread into its own: the snapshot to restore (its header, the memory being written by the
 * module factory given here, before Pyodide restores the rest) or the mode to make one.
 *
 * @param extra What `load` was given
 * @param indexURL The Pyodide package's folder, with a trailing slash
 * @returns Options for `loadPyodide()`
 * @example
 * ```ts ignore
 * loadWithSnapshot((extra) => loadPyodide({ indexURL, ...snapshotOptions(extra, indexURL) }), options);
 * ```
 */
export function snapshotOptions(
  extra: SnapshotLoadOptions,
  indexURL: string,
): Record<string, unknown> {
  return {
    _makeSnapshot: extra._makeSnapshot,
    _loadSnapshot: extra._loadSnapshot,
    createPyodideModule: restoring(extra, indexURL),
  };
}

// deno-lint-ignore no-explicit-any
type CreateModule = (settings: any) => Promise<any>;

// Pyodide's own module factory, which, for a snapshot, also sets the module's memory before
// Pyodide restores the rest: our copy of it without its zero pages (snapshot_memory.ts), or, for
// Pyodide's whole snapshot, room for it. Pyodide sizes the memory with an INITIAL_MEMORY setting
// the module never reads, so a snapshot larger than the initial 30 MiB (an app's imports)
// failed to restore with "offset is out of bounds" (pyodide#6254).
function restoring(snapshot: SnapshotLoadOptions, indexURL: string): CreateModule {
  return async (settings) => {
    const factory: CreateModule =
      (await import(toFileUrl(indexURL + "pyodide.asm.mjs").href)).default;
    const module = await factory(settings);
    if (snapshot.memory) writeMemory(module, snapshot.memory);
    else {
      const size = snapshot._loadSnapshot?.length ?? 0;
      if (size > module.HEAP8.length) module.growMemory(size);
    }
    return module;
  };
}

/** What `prepare` did, for the snapshot to be taken (or not) after it. */
export interface Prepared {
  /**
   * Host files and folders the prepared state was read from (an app and what it imports): a
   * later change to any of them makes the snapshot stale.
   */
  watched?: Iterable<string>;
  /** Why no snapshot may be taken of this state (an app failed to import, say). */
  unsaved?: string;
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
   * modules every app needs, and says which host files that read. Pure Python state only: a
   * snapshot holds the interpreter's memory, not JavaScript's (mounts, callbacks), which
   * `revive` sets again. Default: nothing.
   */
  prepare?: (pyodide: PyodideAPI) => Prepared | void;
  /** Runs on an interpreter restored from a snapshot: sets again what `prepare` set outside it. */
  revive?: (pyodide: PyodideAPI) => void;
  /** Where the one line about a cache problem (or a stale snapshot) goes. */
  log: (line: string) => void;
}

/** How the interpreter was started. */
export type SnapshotOutcome = "off" | "restored" | "saved" | "fresh";

/**
 * Loads Pyodide through `load` (the caller's `loadPyodide` with its own options), restoring
 * the cached snapshot if there is a good one whose files are unchanged, else starting normally,
 * running `prepare`, and saving a snapshot for the next start (over an unusable or stale one).
 * Either way the interpreter ends in the state `prepare` makes: restored (then `revive` runs),
 * or made by it.
 *
 * @param load Calls `loadPyodide({ ...yourOptions, ...snapshotOptions(extra, indexURL) })`.
 * @param options The snapshot folder and what the snapshot depends on.
 * @returns The interpreter and how it was started: `"restored"` from the cache, `"saved"`
 *   (started normally, snapshot written), `"fresh"` (started normally, nothing saved: the
 *   cache is unusable, or `prepare` said not to) or `"off"`.
 * @example
 * ```ts
 * import { loadPyodide, version } from "pyodide";
 * const indexURL = "node_modules/pyodide/";
 * const { pyodide } = await loadWithSnapshot(
 *   (extra) => loadPyodide({ indexURL, ...snapshotOptions(extra, indexURL) }),
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
  const restored = await restore(path, load, options);
  if (restored) return { pyodide: restored, outcome: "restored" };
  const pyodide = await load({ _makeSnapshot: true });
  const prepared = prepare(pyodide) ?? {};
  if (prepared.unsaved !== undefined) {
    options.log(`python: no snapshot saved to ${path} (${prepared.unsaved})`);
    return { pyodide, outcome: "fresh" };
  }
  try {
    const watched = stampFiles(prepared.watched ?? []);
    const bytes = pyodide.makeMemorySnapshot();
    const split = splitSnapshot(bytes);
    await writeSnapshot(path, { bytes: split?.head ?? bytes, memory: split?.memory, watched });
    await pruneSnapshots(options.dir, KEEP);
    return { pyodide, outcome: "saved" };
  } catch (error) {
    options.log(
      `python: cannot save a snapshot to ${path} (${describe(error)}); starting normally`,
    );
    return { pyodide, outcome: "fresh" };
  }
}

// The interpreter restored from the snapshot at `path` and revived, or undefined (no file, a
// stale one, or one that would not restore: said in one line).
async function restore(
  path: string,
  load: (extra: SnapshotLoadOptions) => Promise<PyodideAPI>,
  options: SnapshotOptions,
): Promise<PyodideAPI | undefined> {
  try {
    const cached = await readSnapshot(path);
    if (!cached) return undefined;
    const changed = changedFile(cached.watched);
    if (changed !== undefined) {
      options.log(`python: ${changed} changed since the snapshot; making a new one`);
      return undefined;
    }
    const pyodide = await load({ _loadSnapshot: cached.bytes, memory: cached.memory });
    // The file's bytes are in the interpreter's memory now: let them go at once, not at the
    // engine's next full collection (tens of MiB of each worker's memory until then), and let
    // Pyodide, which keeps its options, not hold them for good, as workerd did
    // (cloudflare/workerd#1875).
    // deno-lint-ignore no-explicit-any
    delete (pyodide as any)._api?.config?._loadSnapshot;
    release(cached.bytes.buffer);
    options.revive?.(pyodide);
    await touchSnapshot(path);
    return pyodide;
  } catch (error) {
    options.log(`python: snapshot ${path} is unusable (${describe(error)}); starting normally`);
    return undefined;
  }
}
// Frees an ArrayBuffer's memory now, by moving it into an empty one (the engine detaches the
// old one): where the engine cannot (an older one), it goes with the next collection.
function release(buffer: ArrayBufferLike): void {
  try {
    (buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer }).transfer?.(0);
  } catch {
    // Not ours to detach (a shared or pooled buffer): the collector frees it.
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
