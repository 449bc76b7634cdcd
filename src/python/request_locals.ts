/**
 * `threading.local` per request inside the interpreter: see request_locals.py for why.
 *
 * @module
 */

import { fromFileUrl } from "../base/path.ts";
import type { Pyodide } from "./pyodide_loader.ts";
import { loadPythonModule } from "./python_module.ts";

// A function: import.meta.url is undefined where mod.ts is bundled for Workers.
const SOURCE = () => fromFileUrl(new URL("./request_locals.py", import.meta.url));

/**
 * Replaces `threading.local` with request_locals.py's, before any app is imported, and makes
 * the module importable as `edge_wsgi_request_locals` for bridge.py, which names the request
 * Python runs for.
 *
 * @param pyodide The interpreter
 * @example
 * ```ts ignore
 * installRequestLocals(pyodide); // then load bridge.py
 * ```
 */
export function installRequestLocals(pyodide: Pyodide): void {
  const module = loadPythonModule(pyodide, SOURCE(), "edge_wsgi_request_locals", {
    importable: true,
  });
  module.install();
  module.destroy();
}
