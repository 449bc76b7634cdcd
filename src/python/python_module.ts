/**
 * A `.py` file of edge-wsgi's run as a module of its own inside an interpreter.
 *
 * @module
 */

import { readFileSync } from "node:fs";
import type { Pyodide } from "./pyodide_loader.ts";

// deno-lint-ignore no-explicit-any
type PyModule = any;

/**
 * Runs `file` in a fresh module named `name` and returns the module, whose functions
 * JavaScript then calls. It is not in `sys.modules`, so no app imports it by accident, unless
 * `options.importable` puts it there for the bridge to import.
 *
 * @param pyodide The interpreter
 * @param file The `.py` file's path; tracebacks name it
 * @param name The module's `__name__`
 * @param options `importable`: register it in `sys.modules` under `name`; `reuse`: return the
 *   module already registered under `name` if there is one (one an interpreter was prepared
 *   with before its start-up snapshot), else load and register it; both default `false`
 * @returns The module, as a proxy
 * @example
 * ```ts ignore
 * const hashes = loadPythonModule(pyodide, "src/python/native_hashlib.py", "edge_wsgi_hashlib");
 * hashes.install(pbkdf2, scrypt);
 * ```
 */
export function loadPythonModule(
  pyodide: Pyodide,
  file: string,
  name: string,
  options: { importable?: boolean; reuse?: boolean } = {},
): PyModule {
  if (options.reuse) {
    const known = pyodide.runPython(`import sys\nsys.modules.get(${JSON.stringify(name)})`);
    if (known) return known;
  }
  const module = pyodide.runPython(
    `import types\ntypes.ModuleType(${JSON.stringify(name)})`,
  );
  module.__file__ = file;
  pyodide.runPython(readFileSync(file, "utf8"), { globals: module.__dict__, filename: file });
  if (options.importable || options.reuse) pyodide.pyimport("sys").modules.set(name, module);
  return module;
}
