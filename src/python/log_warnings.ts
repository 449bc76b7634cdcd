/**
 * Python's warnings to the server's warning log: see log_warnings.py for why.
 *
 * @module
 */

import type { Logger } from "../core/types.ts";
import { fromFileUrl } from "../base/path.ts";
import type { Pyodide } from "./pyodide_loader.ts";
import { loadPythonModule } from "./python_module.ts";

// A function: import.meta.url is undefined where mod.ts is bundled for Workers.
const SOURCE = () => fromFileUrl(new URL("./log_warnings.py", import.meta.url));

const NAME = "edge_wsgi_warnings";

/**
 * Keeps the warnings Python shows from now on (as the apps are imported, before a start-up
 * snapshot) for {@linkcode logPythonWarnings} to log: Python alone, which a snapshot can hold.
 *
 * @param pyodide The interpreter, being prepared
 * @example
 * ```ts ignore
 * collectPythonWarnings(pyodide);
 * ```
 */
export function collectPythonWarnings(pyodide: Pyodide): void {
  const module = loadPythonModule(pyodide, SOURCE(), NAME, { reuse: true });
  module.collect();
  module.destroy();
}

/**
 * Sends every warning Python shows to `log`, one call per warning (its lines joined), instead
 * of standard error, where each line would be an error; first those
 * {@linkcode collectPythonWarnings} kept.
 *
 * @param pyodide The interpreter
 * @param log Receives each warning, such as `/v/pytz/__init__.py:31: SyntaxWarning: "\s" is an
 *   invalid escape sequence…`
 * @example
 * ```ts ignore
 * logPythonWarnings(pyodide, (line) => console.error(`[WARNING] ${line}`));
 * ```
 */
export function logPythonWarnings(pyodide: Pyodide, log: Logger): void {
  const module = loadPythonModule(pyodide, SOURCE(), NAME, { reuse: true });
  module.install((text: string) => log(text));
  module.destroy();
}
