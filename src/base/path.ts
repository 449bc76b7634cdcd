/**
 * Every file-path operation of edge-wsgi, in one place.
 *
 * Deno's `@std/path` is published only on JSR; where JSR cannot be reached we use
 * `node:path/posix`, which behaves the same in Deno, Bun and Node. Swapping to `@std/path`
 * is a change to this file alone.
 *
 * @module
 */

import {
  basename,
  dirname,
  extname,
  isAbsolute,
  join,
  relative,
  resolve,
  sep,
} from "node:path/posix";
import { fileURLToPath, pathToFileURL } from "node:url";

export { basename, dirname, extname, isAbsolute, join, relative, resolve };

/** Turns a `file:` URL (such as `import.meta.url`) into a path. */
export function fromFileUrl(url: string | URL): string {
  return fileURLToPath(url);
}

/** Turns an absolute path into a `file:` URL, as `import()` takes it. */
export function toFileUrl(path: string): URL {
  return pathToFileURL(path);
}

/**
 * Tells whether `path` is `root` itself or inside it, comparing whole segments: `/srv/public-secret`
 * is not inside `/srv/public`.
 */
export function isInside(root: string, path: string): boolean {
  const rel = relative(resolve(root), resolve(path));
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel) && rel.split(sep)[0] !== "..");
}
