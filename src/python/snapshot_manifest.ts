/**
 * What a start-up snapshot was made from, and whether it still is: the host files an interpreter
 * opened and the folders it listed while it imported the apps, each stamped with its size and
 * modification time (as Python's own bytecode cache checks a source, and its import system a
 * folder). An edit to an imported file changes its stamp; a new module that would shadow an
 * imported one changes its folder's.
 *
 * @module
 */

import { statSync } from "node:fs";
import type { WatchedFile } from "./snapshot_cache.ts";

/**
 * Stamps each path as it is now.
 *
 * @param paths Host files and folders
 * @returns The paths with their stamps, sorted
 * @example
 * ```ts
 * const watched = stampFiles(["/srv/app/app.py", "/srv/app"]);
 * ```
 */
export function stampFiles(paths: Iterable<string>): WatchedFile[] {
  return [...new Set(paths)].sort().map((path) => ({ path, stamp: stampOf(path) }));
}

/**
 * The first watched path that changed since it was stamped, if any.
 *
 * @param watched The stamped paths, from a snapshot file
 * @returns The path, or `undefined` when every stamp still holds
 * @example
 * ```ts
 * changedFile([{ path: "/srv/app/app.py", stamp: "120 1733500000000000000" }]);
 * ```
 */
export function changedFile(watched: WatchedFile[]): string | undefined {
  return watched.find(({ path, stamp }) => stampOf(path) !== stamp)?.path;
}

// Size and modification time in nanoseconds; "" when the path is gone.
function stampOf(path: string): string {
  try {
    const stat = statSync(path, { bigint: true });
    return `${stat.size} ${stat.mtimeNs}`;
  } catch {
    return "";
  }
}
