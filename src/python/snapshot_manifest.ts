/**
 * What a start-up snapshot was made from, and whether it still is: the host files an interpreter
 * opened while it imported the apps, each stamped with its size and modification time (as
 * Python's own bytecode cache checks a source), and the folders it listed, each stamped with the
 * names in it that an import could find (modules, packages, extensions). An edit to an imported
 * file changes its stamp; a new module that would shadow an imported one changes its folder's;
 * a database or a log written beside the app does not.
 *
 * @module
 */

// A namespace, not named imports: a runtime whose node:crypto lacks one (a Worker) still loads.
import * as crypto from "node:crypto";
import { readdirSync, statSync } from "node:fs";
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

// A file's size and modification time in nanoseconds; a folder's importable names; "" when the
// path is gone.
function stampOf(path: string): string {
  try {
    const stat = statSync(path, { bigint: true });
    if (!stat.isDirectory()) return `${stat.size} ${stat.mtimeNs}`;
    const names = readdirSync(path, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() || IMPORTABLE.test(entry.name))
      .map((entry) => entry.name)
      .sort();
    return `folder ${
      crypto.createHash("sha256").update(names.join("/")).digest("hex").slice(0, 16)
    }`;
  } catch {
    return "";
  }
}

// What Python's import system finds in a folder besides packages (folders): sources, bytecode,
// extensions, and .pth files (read from site folders).
const IMPORTABLE = /\.(?:py|pyc|pyw|so|pth)$/;
