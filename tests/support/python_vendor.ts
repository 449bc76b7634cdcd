/**
 * Copies Debian's pure-Python Flask and Bottle (packages `python3-flask`, `python3-bottle`) into
 * a temporary vendor folder, the way a user vendors with `pip install --target vendor flask`,
 * for the tests that run real frameworks under Pyodide. Compiled extensions (`.so`) and
 * `__pycache__` are left out: Pyodide cannot load them, and MarkupSafe falls back to its
 * pure-Python implementation without them.
 *
 * Without those Debian packages the framework tests skip locally with a message saying what to
 * install; in CI (env `CI` set, as `.ci/run` does) they fail instead, so a broken image cannot
 * pass unnoticed.
 *
 * @module
 */

import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import process from "node:process";
import { join } from "../../src/base/path.ts";

/** Where Debian installs its Python 3 packages. */
export const DEBIAN_DIST_PACKAGES = "/usr/lib/python3/dist-packages";

/** Everything Flask 2.2 and Bottle 0.12 import, as Debian names the files. */
export const VENDORED = [
  "flask",
  "werkzeug",
  "jinja2",
  "markupsafe",
  "itsdangerous",
  "click",
  "blinker",
  "bottle.py",
] as const;

/** A vendor folder, or why there is none. */
export type Vendor = { dir: string; remove(): void } | { missing: string };

/**
 * Copies the packages of {@linkcode VENDORED} from `source` into a new temporary folder.
 *
 * @param source The folder to copy from (default: Debian's dist-packages).
 * @returns The folder (call `remove()` when done), or `{ missing }` naming what is absent.
 * @throws {Error} When packages are missing and env `CI` is set: CI must run these tests.
 * @example
 * ```ts
 * const vendor = vendorDebianPackages();
 * if ("dir" in vendor) { console.log(vendor.dir); vendor.remove(); }
 * ```
 */
export function vendorDebianPackages(source: string = DEBIAN_DIST_PACKAGES): Vendor {
  const absent = VENDORED.filter((name) => !existsSync(join(source, name)));
  if (absent.length) {
    const missing = `${absent.join(", ")} not found in ${source} ` +
      "(apt-get install python3-flask python3-bottle)";
    if (process.env.CI) throw new Error(`CI must run the Python framework tests: ${missing}`);
    return { missing };
  }
  const dir = mkdtempSync(join(tmpdir(), "edge-wsgi-vendor-"));
  for (const name of VENDORED) {
    cpSync(join(source, name), join(dir, name), {
      recursive: true,
      filter: (path) => !path.endsWith(".so") && !path.includes("__pycache__"),
    });
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
