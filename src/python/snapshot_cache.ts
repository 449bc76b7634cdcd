/**
 * The on-disk cache of Pyodide memory snapshots: where it lives, how a file is named, and how
 * one is read back and written without ever leaving a half-written file behind.
 *
 * @module
 */

import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import process from "node:process";
import { dirname, join } from "../base/path.ts";

/** Our own header before Pyodide's bytes: a magic word and the length, to catch a cut file. */
const MAGIC = new TextEncoder().encode("EWSNAP01");
const HEADER_SIZE = MAGIC.length + 4;

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
 * @returns Pyodide's snapshot bytes, or `undefined` when there is no such file.
 * @throws {RangeError} When the file is not a complete snapshot (cut, or not ours).
 * @example
 * ```ts
 * const bytes = await readSnapshot("/tmp/cache/edge-wsgi/x.snapshot");
 * ```
 */
export async function readSnapshot(path: string): Promise<Uint8Array | undefined> {
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
  const length = new DataView(file.buffer, file.byteOffset + MAGIC.length, 4).getUint32(0, true);
  if (file.length - HEADER_SIZE !== length) {
    throw new RangeError(
      `Snapshot file "${path}" holds ${file.length - HEADER_SIZE} bytes, not ${length}`,
    );
  }
  return file.subarray(HEADER_SIZE);
}

/**
 * Writes a snapshot atomically: into a temporary file beside the target, then renamed over it,
 * so a reader (another worker process starting at the same moment) sees the old file, the new
 * file or none, never half of one.
 *
 * @param path The snapshot file; its folder is created if missing.
 * @param bytes Pyodide's snapshot bytes.
 * @throws {Error} When the folder cannot be created or written (the temporary file is removed).
 * @example
 * ```ts
 * await writeSnapshot("/tmp/cache/edge-wsgi/x.snapshot", pyodide.makeMemorySnapshot());
 * ```
 */
export async function writeSnapshot(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const header = new Uint8Array(HEADER_SIZE);
  header.set(MAGIC);
  new DataView(header.buffer).setUint32(MAGIC.length, bytes.length, true);
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(temporary, header);
    await writeFile(temporary, bytes, { flag: "a" });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    throw error;
  }
}
