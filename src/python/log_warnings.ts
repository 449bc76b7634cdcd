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

/**
 * Sends every warning Python shows to `log`, one call per warning (its lines joined), instead
 * of standard error, where each line would be an error.
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
  const module = loadPythonModule(pyodide, SOURCE(), "edge_wsgi_warnings");
  module.install((text: string) => log(text));
  module.destroy();
}
