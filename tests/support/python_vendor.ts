/**
 * Copies Debian's pure-Python web frameworks (`python3-flask`, `python3-bottle`,
 * `python3-django`, `python3-pyramid`, `python3-falcon`, `python3-webob`, `python3-cherrypy3`)
 * and what they import into a temporary vendor folder, the way a user vendors with
 * `pip install --target vendor flask`, for the tests that run real frameworks under Pyodide.
 * Each package's metadata folder (`.dist-info`, or the `.egg-info` Debian ships) comes along,
 * so `importlib.metadata.version()` answers as it does natively. Compiled extensions (`.so`)
 * and `__pycache__` are left out: Pyodide cannot load them, and every package here falls back
 * to its pure-Python code without them (MarkupSafe, Falcon, zope.interface).
 *
 * Without those Debian packages the framework tests skip locally with a message saying what to
 * install; in CI (env `CI` set, as `.ci/run` does) they fail instead, so a broken image cannot
 * pass unnoticed.
 *
 * @module
 */

import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import process from "node:process";
import { join } from "../../src/base/path.ts";

/** Where Debian installs its Python 3 packages. */
export const DEBIAN_DIST_PACKAGES = "/usr/lib/python3/dist-packages";

/** The Debian packages whose frameworks the tests run. */
export const DEBIAN_PACKAGES = [
  "python3-flask",
  "python3-bottle",
  "python3-django",
  "python3-pyramid",
  "python3-falcon",
  "python3-webob",
  "python3-cherrypy3",
] as const;

/**
 * What each framework imports, as files and folders of dist-packages, Debian's names; a folder
 * such as `zope` or `jaraco` holds several projects.
 */
export const FRAMEWORK_FILES: Record<string, readonly string[]> = {
  flask: ["flask", "werkzeug", "jinja2", "markupsafe", "itsdangerous", "click", "blinker"],
  bottle: ["bottle.py"],
  django: ["django", "asgiref", "sqlparse", "pytz"],
  pyramid: [
    "pyramid",
    "webob",
    "zope",
    "venusian",
    "translationstring",
    "hupper",
    "plaster",
    "plaster_pastedeploy",
    "paste",
    "pkg_resources",
  ],
  falcon: ["falcon"],
  webob: ["webob"],
  cherrypy: [
    "cherrypy",
    "cheroot",
    "jaraco",
    "more_itertools",
    "portend.py",
    "tempora",
    "zc",
    "six.py",
    "autocommand",
    "inflect.py",
    "pytz",
  ],
};

/** Every file and folder of {@linkcode FRAMEWORK_FILES}, once. */
export const VENDORED: readonly string[] = [...new Set(Object.values(FRAMEWORK_FILES).flat())];

/** A vendor folder, or why there is none. */
export type Vendor = { dir: string; remove(): void } | { missing: string };

/**
 * Copies {@linkcode VENDORED} from `source` into a new temporary folder, with the metadata
 * folder of every project they hold.
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
      `(apt-get install ${DEBIAN_PACKAGES.join(" ")})`;
    if (process.env.CI) throw new Error(`CI must run the Python framework tests: ${missing}`);
    return { missing };
  }
  const dir = mkdtempSync(join(tmpdir(), "edge-wsgi-vendor-"));
  for (const name of [...VENDORED, ...metadataFolders(source)]) {
    cpSync(join(source, name), join(dir, name), {
      recursive: true,
      // Debian links some files to other packages (Django's jQuery to libjs-jquery's): the
      // copy holds the files, as pip's would, for Python in Pyodide sees only this folder.
      dereference: true,
      filter: (path) => !path.endsWith(".so") && !path.includes("__pycache__"),
    });
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// The `Name-version.dist-info` (or `.egg-info`) folders of the projects vendored: those whose
// top-level names (their top_level.txt, else their own name) are among VENDORED.
function metadataFolders(source: string): string[] {
  const vendored = new Set(VENDORED.map((name) => name.replace(/\.py$/, "")));
  return readdirSync(source).filter((entry) => {
    const match = /^([^-]+)-[^-]+(?:-py[\d.]+)?\.(?:dist|egg)-info$/.exec(entry);
    if (!match) return false;
    // zope.interface lives in zope/, jaraco.text in jaraco/: the part before the first dot.
    const top = match[1].split(".")[0].toLowerCase().replaceAll("-", "_");
    return vendored.has(top) || topLevelNames(join(source, entry)).some((n) => vendored.has(n));
  });
}

function topLevelNames(metadata: string): string[] {
  try {
    return readFileSync(join(metadata, "top_level.txt"), "utf8").split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
}
