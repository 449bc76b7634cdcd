/**
 * What an interpreter holds before it serves: the modules the bridge uses, the bridge's own
 * module, `sys.path` with the host folders behind it, the compatibility patches, and the apps
 * the host was told of, imported. A start-up snapshot keeps all of it but the mounts, which live
 * in JavaScript: after a restore they are set again, at the same paths.
 *
 * @module
 */

// A namespace, not named imports: a runtime whose node:crypto lacks one (a Worker) still loads.
import * as crypto from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, fromFileUrl, join, resolve } from "../base/path.ts";
import { type HostFolders, mountHostFolders } from "./host_folders.ts";
import { collectPythonWarnings } from "./log_warnings.ts";
import { patchHashlib } from "./native_hashlib.ts";
import type { Pyodide } from "./pyodide_loader.ts";
import { installRequestLocals } from "./request_locals.ts";
import type { Prepared } from "./snapshot.ts";
import { mountSystemFolders } from "./system_folders.ts";

/**
 * An app to import before the first request: a file as `PythonRuntime.loadApp()` takes it, or a
 * dotted module as `loadModule()` does (from the working folder, `folder`).
 */
export type AppToLoad =
  | {
    /** The `.py` file, absolute. */
    file: string;
    moduleName: string;
    /** The callable's name; `undefined`: `application`, else `app`. */
    callable?: string;
  }
  | {
    /** The dotted module name. */
    module: string;
    callable?: string;
    /** The working folder it is imported from (first on `sys.path`). */
    folder: string;
  };

/** What the interpreter is set up with. */
export interface Setup {
  /** Folders put on `sys.path`, absolute. */
  pythonPath: string[];
  writable: boolean;
  compat: boolean;
  /** Apps to import while preparing (into the snapshot); empty: each on its first request. */
  apps: AppToLoad[];
}

/** An interpreter's bridge and host folders, once set up. */
export interface SetUp {
  // deno-lint-ignore no-explicit-any
  bridge: any;
  folders: HostFolders;
}

// What bridge.py imports, so a fresh interpreter (and its snapshot) holds them already.
const PRELOADED = "import importlib.util, io, os, sys, wsgiref.util, pyodide.ffi";
const BRIDGE = () => fromFileUrl(new URL("./bridge.py", import.meta.url));
// Every Python module of ours a prepared interpreter holds: the bridge and what it imports.
const OUR_MODULES = ["bridge.py", "log_warnings.py", "native_hashlib.py", "request_locals.py"];
const COMPAT = () => fromFileUrl(new URL("./compat", import.meta.url));

/**
 * What a prepared interpreter's memory depends on besides Pyodide and the runtime, as text for
 * the snapshot's name: our Python modules' and the compatibility folder's code, the folders on
 * `sys.path` and the apps imported. (The files those import are checked on each start instead:
 * snapshot_manifest.ts.)
 *
 * @param setup The interpreter's setup
 * @returns The fingerprint
 * @example
 * ```ts
 * setupFingerprint({ pythonPath: [], writable: false, compat: false, apps: [] });
 * ```
 */
export function setupFingerprint(setup: Setup): string {
  const digest = crypto.createHash("sha256");
  for (const name of OUR_MODULES) {
    digest.update(name).update(readFileSync(join(dirname(BRIDGE()), name)));
  }
  if (setup.compat) {
    for (const name of readdirSync(COMPAT()).sort()) {
      digest.update(name).update(readFileSync(join(COMPAT(), name)));
    }
  }
  return JSON.stringify({
    preloaded: PRELOADED,
    code: digest.digest("hex"),
    pythonPath: setup.pythonPath,
    compat: setup.compat,
    apps: setup.apps.map((app) =>
      "file" in app
        ? [app.file, app.moduleName, app.callable ?? null]
        : [app.module, app.callable ?? null, app.folder]
    ),
  });
}

/**
 * Prepares a freshly loaded interpreter: mounts, imports, the bridge's module (not yet
 * installed: its JavaScript callbacks come after any snapshot), the apps. An app that fails to
 * import is left for its first request, which reports why; no snapshot is then taken.
 *
 * @param pyodide The interpreter, just loaded
 * @param setup What to set up
 * @returns The bridge and folders, and what a snapshot of this state depends on
 * @example
 * ```ts ignore
 * const { prepared, setUp } = prepareInterpreter(pyodide, setup);
 * ```
 */
export function prepareInterpreter(
  pyodide: Pyodide,
  setup: Setup,
): { setUp: SetUp; prepared: Prepared } {
  const folders = mountHostFolders(pyodide, setup.writable);
  mountSystemFolders(folders);
  const stop = folders.record();
  pyodide.runPython(PRELOADED);
  // Python alone, before any app is imported: threading.local per request, hashlib's
  // derivations (their JavaScript comes after), warnings kept until the log is given.
  installRequestLocals(pyodide);
  patchHashlib(pyodide);
  collectPythonWarnings(pyodide);
  const bridge = pyodide.runPython(
    "import sys, types\n" +
      "bridge = sys.modules['edge_wsgi_bridge'] = types.ModuleType('edge_wsgi_bridge')\n" +
      "bridge",
  );
  const bridgePath = BRIDGE();
  pyodide.runPython(readFileSync(bridgePath, "utf8"), {
    globals: bridge.__dict__,
    filename: bridgePath,
  });
  const sysPath = pyodide.pyimport("sys").path;
  for (const folder of searchFolders(setup)) {
    folders.mount(folder);
    sysPath.append(folder);
  }
  sysPath.destroy();
  if (setup.compat) pyodide.runPython("import edge_wsgi_compat");
  let unsaved: string | undefined;
  for (const app of setup.apps) {
    folders.mount(appFolder(app));
    try {
      if ("file" in app) bridge.preload_app(app.file, app.moduleName, app.callable);
      else bridge.preload_module(app.module, app.callable, app.folder);
    } catch {
      // Its first request imports it again, and reports the error as every import error.
      unsaved ??= `${"file" in app ? app.file : app.module} did not import`;
    }
  }
  return { setUp: { bridge, folders }, prepared: { watched: stop(), unsaved } };
}

/**
 * Sets again, on an interpreter restored from a snapshot of a prepared one, what lives outside
 * its memory: the host folders, mounted at the same paths.
 *
 * @param pyodide The interpreter, just restored
 * @param setup What it was prepared with
 * @returns The bridge and folders
 * @example
 * ```ts ignore
 * const { bridge } = reviveInterpreter(pyodide, setup);
 * ```
 */
export function reviveInterpreter(pyodide: Pyodide, setup: Setup): SetUp {
  const folders = mountHostFolders(pyodide, setup.writable);
  mountSystemFolders(folders);
  for (const folder of searchFolders(setup)) folders.mount(folder);
  for (const app of setup.apps) folders.mount(appFolder(app));
  return { bridge: pyodide.pyimport("edge_wsgi_bridge"), folders };
}

// The folder an app is imported from: a file's own, a module's working folder.
function appFolder(app: AppToLoad): string {
  return "file" in app ? dirname(app.file) : app.folder;
}

// The folders on sys.path after each app's own: --python-path's, then the compatibility folder.
function searchFolders(setup: Setup): string[] {
  const folders = setup.pythonPath.map((folder) => resolve(folder));
  if (setup.compat) folders.push(COMPAT());
  return folders;
}
