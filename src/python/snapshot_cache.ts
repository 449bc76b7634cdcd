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

/**
 * Our own header before Pyodide's bytes: a magic word, the lengths of the JSON that follows (what
 * the snapshot was made from: see {@linkcode SnapshotFile}) and of Pyodide's bytes, to catch a cut
 * file.
 */
const MAGIC = new TextEncoder().encode("EWSNAP02");
const HEADER_SIZE = MAGIC.length + 8;

/** A snapshot file: Pyodide's bytes and the files its memory was made from. */
export interface SnapshotFile {
  /** Pyodide's snapshot bytes. */
  bytes: Uint8Array;
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
    new TextEncoder().encode(JSON.stringify([pyodideVersion, runtime, fingerprint])),
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
  const view = new DataView(file.buffer, file.byteOffset + MAGIC.length, 8);
  const jsonLength = view.getUint32(0, true);
  const length = view.getUint32(4, true);
  if (file.length - HEADER_SIZE !== jsonLength + length) {
    throw new RangeError(
      `Snapshot file "${path}" holds ${file.length - HEADER_SIZE} bytes, not ${
        jsonLength + length
      }`,
    );
  }
  const json = new TextDecoder().decode(file.subarray(HEADER_SIZE, HEADER_SIZE + jsonLength));
  const watched = JSON.parse(json) as WatchedFile[];
  if (!Array.isArray(watched)) throw new RangeError(`Snapshot file "${path}" has no file list`);
  return { bytes: file.subarray(HEADER_SIZE + jsonLength), watched };
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
  // Padded with spaces so Pyodide's bytes start 8-byte aligned in the file as read (Pyodide
  // reads its header through a Uint32Array over them).
  let text = JSON.stringify(snapshot.watched);
  text += " ".repeat((8 - ((HEADER_SIZE + byteLength(text)) % 8)) % 8);
  const json = new TextEncoder().encode(text);
  const header = new Uint8Array(HEADER_SIZE);
  header.set(MAGIC);
  const view = new DataView(header.buffer);
  view.setUint32(MAGIC.length, json.length, true);
  view.setUint32(MAGIC.length + 4, snapshot.bytes.length, true);
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(temporary, header);
    await writeFile(temporary, json, { flag: "a" });
    await writeFile(temporary, snapshot.bytes, { flag: "a" });
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

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}
