/**
 * File metadata and small reads through `node:fs`, which Deno and Bun both implement the same:
 * the part of file I/O that needs no runtime of its own.
 *
 * @module
 */

import { open, readdir, realpath, stat } from "node:fs/promises";

/** What the static server needs to know of a path. */
export interface FileStat {
  isFile: boolean;
  isDirectory: boolean;
  size: number;
  /** Modification time in milliseconds since the epoch. */
  mtimeMs: number;
}

/** Stats a path, following symlinks; `null` when it does not exist or cannot be read. */
export async function statPath(path: string): Promise<FileStat | null> {
  try {
    const info = await stat(path);
    return {
      isFile: info.isFile(),
      isDirectory: info.isDirectory(),
      size: info.size,
      mtimeMs: info.mtimeMs,
    };
  } catch {
    return null;
  }
}

/** The canonical path, with every symlink resolved; `null` when it does not exist. */
export async function realPath(path: string): Promise<string | null> {
  try {
    return await realpath(path);
  } catch {
    return null;
  }
}

/** Reads up to `length` bytes from the start of a file. */
export async function readHead(path: string, length: number): Promise<Uint8Array> {
  const handle = await open(path, "r");
  try {
    const buffer = new Uint8Array(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The names in a directory, with whether each is a directory. */
export async function listDirectory(
  path: string,
): Promise<{ name: string; isDirectory: boolean }[]> {
  const entries = await readdir(path, { withFileTypes: true });
  return entries.map((entry) => ({ name: entry.name, isDirectory: entry.isDirectory() }));
}
