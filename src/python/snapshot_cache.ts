/**
 * The on-disk cache of Pyodide memory snapshots: where it lives, how a file is named, and how
 * one is read back and written without ever leaving a half-written file behind.
 *
 * @module
 */

import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import process from "node:process";
import { dirname, join } from "../base/path.ts";
import { keptPages, PAGE, type SparseMemory } from "./snapshot_memory.ts";

/**
 * Our own header before Pyodide's bytes: a magic word and the lengths of what follows (the JSON
 * of the files the snapshot was made from, Pyodide's bytes, and the memory without its zero
 * pages, with its page map), to catch a cut file. Each part starts 8-byte aligned.
 */
const FORMAT = "EWSNAP03";
const MAGIC = new TextEncoder().encode(FORMAT);
const HEADER_SIZE = MAGIC.length + 24;

/** A snapshot file: Pyodide's bytes, its memory, and the files its memory was made from. */
export interface SnapshotFile {
  /** Pyodide's snapshot bytes: all of them, or only its header when `memory` holds the rest. */
  bytes: Uint8Array;
  /** The memory, apart (snapshot_memory.ts); `undefined` when `bytes` holds it. */
  memory?: SparseMemory;
  /**
   * The host files and folders the interpreter read while it was prepared (an app and the
   * modules it imports), with their size and modification time then: a change to any of them
   * makes the snapshot stale (snapshot_manifest.ts).
   */
  watched: WatchedFile[];
}

/** A file or folder a snapshot depends on, as it was when the snapshot was made. */
export interface WatchedFile {
  path: string;
  /** Size in bytes and modification time in nanoseconds, as decimal text (`""`: absent). */
  stamp: string;
}

/**
 * The default snapshot folder: `$XDG_CACHE_HOME/edge-wsgi`, else `~/.cache/edge-wsgi`.
 *
 * @param env The environment to read `XDG_CACHE_HOME` and `HOME` from (default: the process's).
 * @returns An absolute folder path (it may not exist yet), or `"off"` when no home folder can be
 *   found
 * @example
 * ```ts
 * defaultSnapshotDir({ XDG_CACHE_HOME: "/tmp/cache" }); // "/tmp/cache/edge-wsgi"
 * ```
 */
export function defaultSnapshotDir(
  env: Record<string, string | undefined> = process.env,
): string {
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "edge-wsgi");
  let home = env.HOME;
  try {
    home ||= homedir();
  } catch {
    // Deno without --allow-env or --allow-sys cannot tell: no cache then, rather than a crash.
    return "off";
  }
  return join(home, ".cache", "edge-wsgi");
}

/**
 * The name of the snapshot file for one interpreter set-up. A snapshot is only valid for the
 * Pyodide build, the runtime (and its version) and the start-up options that made it, so all
 * of them are part of the name; a change simply misses the cache.
 *
 * @param pyodideVersion Pyodide's version, e.g. `"314.0.8"`.
 * @param fingerprint Whatever else the snapshot depends on (the loader's env, args, imports).
 * @returns A file name such as `pyodide-314.0.8-deno-2.9.6-1a2b3c4d5e6f7a8b.snapshot`.
 * @example
 * ```ts
 * const name = await snapshotFileName("314.0.8", JSON.stringify({ env: {} }));
 * ```
 */
export async function snapshotFileName(
  pyodideVersion: string,
  fingerprint: string,
): Promise<string> {
  const runtime = process.versions.bun
    ? `bun-${process.versions.bun}`
    : `deno-${process.versions.deno ?? "unknown"}`;
  const digest = await crypto.subtle.digest(
    "SHA-256",
    // The file format too: a file of an older edge-wsgi is never read, only pruned.
    new TextEncoder().encode(JSON.stringify([pyodideVersion, runtime, fingerprint, FORMAT])),
  );
  const hash = Array.from(new Uint8Array(digest).subarray(0, 8))
    .map((byte) => byte.toString(16).padStart(2, "0")).join("");
  const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, "_");
  return `pyodide-${safe(pyodideVersion)}-${safe(runtime)}-${hash}.snapshot`;
}

/**
 * Reads a snapshot file written by {@linkcode writeSnapshot}.
 *
 * @param path The snapshot file.
 * @returns The snapshot, or `undefined` when there is no such file.
 * @throws {RangeError} When the file is not a complete snapshot (cut, or not ours).
 * @example
 * ```ts
 * const snapshot = await readSnapshot("/tmp/cache/edge-wsgi/x.snapshot");
 * ```
 */
export async function readSnapshot(path: string): Promise<SnapshotFile | undefined> {
  let file: Uint8Array;
  try {
    file = await readFile(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
  const magicOk = file.length >= HEADER_SIZE && MAGIC.every((byte, i) => file[i] === byte);
  if (!magicOk) throw new RangeError(`Snapshot file "${path}" has no edge-wsgi header`);
  const view = new DataView(file.buffer, file.byteOffset + MAGIC.length, 20);
  const [jsonLength, bytesLength, memoryLength, mapLength, dataLength] = [0, 4, 8, 12, 16]
    .map((at) => view.getUint32(at, true));
  const parts = [jsonLength, bytesLength, mapLength, dataLength];
  const expected = HEADER_SIZE + parts.reduce((sum, part) => sum + padded(part), 0);
  if (file.length !== expected) {
    throw new RangeError(`Snapshot file "${path}" holds ${file.length} bytes, not ${expected}`);
  }
  const [json, bytes, map, data] = slices(file, parts);
  const watched = JSON.parse(new TextDecoder().decode(json)) as WatchedFile[];
  if (!Array.isArray(watched)) throw new RangeError(`Snapshot file "${path}" has no file list`);
  if (memoryLength === 0) return { bytes, watched };
  if (keptPages(map) * PAGE !== dataLength || map.length * 8 * PAGE < memoryLength) {
    throw new RangeError(`Snapshot file "${path}" has a memory map that does not fit its pages`);
  }
  return { bytes, memory: { length: memoryLength, map, data }, watched };
}

/**
 * Writes a snapshot atomically: into a temporary file beside the target, then renamed over it,
 * so a reader (another worker process starting at the same moment) sees the old file, the new
 * file or none, never half of one.
 *
 * @param path The snapshot file; its folder is created if missing.
 * @param snapshot Pyodide's snapshot bytes and the files they were made from.
 * @throws {Error} When the folder cannot be created or written (the temporary file is removed).
 * @example
 * ```ts
 * await writeSnapshot("/tmp/cache/edge-wsgi/x.snapshot", {
 *   bytes: pyodide.makeMemorySnapshot(),
 *   watched: [],
 * });
 * ```
 */
export async function writeSnapshot(path: string, snapshot: SnapshotFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const json = new TextEncoder().encode(JSON.stringify(snapshot.watched));
  const { memory } = snapshot;
  const parts = [json, snapshot.bytes, memory?.map ?? EMPTY, memory?.data ?? EMPTY];
  const header = new Uint8Array(HEADER_SIZE);
  header.set(MAGIC);
  const view = new DataView(header.buffer, MAGIC.length);
  const lengths = [
    json.length,
    snapshot.bytes.length,
    memory?.length ?? 0,
    ...parts.slice(2)
      .map((part) => part.length),
  ];
  lengths.forEach((length, i) => view.setUint32(i * 4, length, true));
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(temporary, header);
    for (const part of parts) {
      await writeFile(temporary, part, { flag: "a" });
      const padding = padded(part.length) - part.length;
      if (padding) await writeFile(temporary, new Uint8Array(padding), { flag: "a" });
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    throw error;
  }
}

/**
 * Marks a snapshot as just used, so {@linkcode pruneSnapshots} keeps it longest.
 *
 * @param path The snapshot file (nothing happens if it cannot be touched).
 * @example
 * ```ts
 * await touchSnapshot("/tmp/cache/edge-wsgi/x.snapshot");
 * ```
 */
export async function touchSnapshot(path: string): Promise<void> {
  const now = new Date();
  await utimes(path, now, now).catch(() => {});
}

/**
 * Removes all but the `keep` most recently used snapshot files of a folder (each set of apps
 * has its own, of 30–50 MiB): the cache stays bounded as apps come and go and runtimes are
 * upgraded.
 *
 * @param dir The snapshot folder
 * @param keep How many files to keep
 * @example
 * ```ts
 * await pruneSnapshots("/tmp/cache/edge-wsgi", 12);
 * ```
 */
export async function pruneSnapshots(dir: string, keep: number): Promise<void> {
  const names = (await readdir(dir).catch(() => [] as string[]))
    .filter((name) => name.startsWith("pyodide-") && name.endsWith(".snapshot"));
  if (names.length <= keep) return;
  const files = await Promise.all(names.map(async (name) => {
    const path = join(dir, name);
    const time = await stat(path).then((info) => info.mtimeMs, () => 0);
    return { path, time };
  }));
  files.sort((a, b) => b.time - a.time);
  await Promise.all(files.slice(keep).map(({ path }) => rm(path, { force: true }).catch(() => {})));
}

const EMPTY = new Uint8Array(0);

// A part's length with the padding that aligns the next one to 8 bytes.
function padded(length: number): number {
  return Math.ceil(length / 8) * 8;
}

// The parts of a file, each `lengths[i]` long, as they follow the header, padded.
function slices(file: Uint8Array, lengths: number[]): Uint8Array[] {
  let at = HEADER_SIZE;
  return lengths.map((length) => {
    const part = file.subarray(at, at + length);
    at += padded(length);
    return part;
  });
}
