/**
 * Runs a Python script in the interpreter edge-wsgi serves Python apps with (Pyodide, with the
 * same host folders, packages and compatibility layer): Django's `manage.py migrate` where no
 * native Python is installed. The script's folder, the working folder and `--python-path`
 * folders are on `sys.path`; Python may write to them (a migration writes the database).
 *
 * ```sh
 * deno run -A examples/python/run_script.ts [--python-path DIR]... SCRIPT [ARGS...]
 * bun run examples/python/run_script.ts --python-path vendor mysite/manage.py migrate
 * ```
 *
 * What the script prints goes to standard output; the exit status is the script's (1, with the
 * traceback on standard error, when an exception ends it).
 *
 * @module
 */

import process from "node:process";
import { createPythonHost } from "../../mod.ts";
import { fromPythonError } from "../../src/python/python_error.ts";
import { defaultSnapshotDir } from "../../src/python/snapshot_cache.ts";

const USAGE = "usage: run_script.ts [--python-path DIR]... SCRIPT [ARGS...]";

/**
 * Reads the command line: `--python-path DIR` (repeatable, or `--python-path=DIR`) before the
 * script, then the script and its own arguments, untouched.
 *
 * @param args The command line after the runtime's own words
 * @returns The folders, the script and its arguments
 * @throws {TypeError} With the usage line, when no script is named
 * @example
 * ```ts
 * import { parseArgs } from "./run_script.ts";
 * parseArgs(["--python-path", "vendor", "manage.py", "migrate"]);
 * // { pythonPath: ["vendor"], script: "manage.py", args: ["migrate"] }
 * ```
 */
export function parseArgs(
  args: string[],
): { pythonPath: string[]; script: string; args: string[] } {
  const pythonPath: string[] = [];
  let i = 0;
  for (; i < args.length && args[i].startsWith("--python-path"); i++) {
    if (args[i].startsWith("--python-path=")) pythonPath.push(args[i].slice(14));
    else if (args[i] === "--python-path" && i + 1 < args.length) pythonPath.push(args[++i]);
    else throw new TypeError(USAGE);
  }
  if (i >= args.length) throw new TypeError(USAGE);
  return { pythonPath, script: args[i], args: args.slice(i + 1) };
}

if (import.meta.main) {
  let parsed;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const print = (line: string) => console.log(line);
  const host = createPythonHost({
    pythonPath: parsed.pythonPath,
    writable: true,
    // The server's own start-up snapshots: a start in a fraction of a second once one exists.
    snapshot: defaultSnapshotDir(),
    logger: print,
    info: () => {},
    warning: (line) => console.error(line),
  });
  const python = await host.ready();
  let status: number;
  try {
    status = python.runScript(parsed.script, parsed.args);
  } catch (error) {
    // An exception out of the script: its traceback, as python3 prints it, and status 1.
    console.error((fromPythonError(error) as Error).stack);
    status = 1;
  }
  process.exit(status);
}
