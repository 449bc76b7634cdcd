/**
 * Loading Pyodide from the installed npm package: offline, never from a CDN.
 *
 * @module
 */

import type { PyodideAPI } from "pyodide";
import { dirname, fromFileUrl } from "../base/path.ts";
import type { Logger } from "../core/types.ts";
import { loadWithSnapshot, type Prepared, snapshotOptions } from "./snapshot.ts";

/** Options of {@linkcode loadInterpreter}. */
export interface LoadOptions {
  /** The snapshot folder, or `"off"` (the default): load normally, cache nothing. */
  snapshot?: string;
  /** What `prepare` makes of the interpreter, for the snapshot's name (see snapshot.ts). */
  fingerprint?: string;
  /**
   * Brings a freshly loaded interpreter to the state every start needs (imports, apps), which
   * a snapshot then keeps; says which host files that read. Default: nothing.
   */
  prepare?: (pyodide: Pyodide) => Prepared | void;
  /** Sets again, on an interpreter restored from a snapshot, what the snapshot cannot hold. */
  revive?: (pyodide: Pyodide) => void;
}

/** The Pyodide interface, as `loadPyodide()` resolves it. */
export type Pyodide = PyodideAPI;

/**
 * Loads a fresh Pyodide interpreter from the folder of the installed `pyodide` package (its
 * `pyodide.asm.wasm` and `python_stdlib.zip`), so nothing is fetched from the network.
 * `print()` and anything else written to Python's standard output or error go to `logger`,
 * one line each, as the error log of a WSGI server receives an app's output.
 *
 * @param logger Receives Python's output
 * @param info Receives the start-up lines; defaults to `logger`
 * @param options `snapshot`: the folder of Pyodide memory snapshots (src/python/snapshot.ts),
 *   which cuts a start from seconds to a fraction of that, or `"off"` (the default); what the
 *   snapshot holds (`prepare`, `fingerprint`) and what to set again after it (`revive`)
 * @returns The interpreter, prepared
 * @example
 * ```ts ignore
 * const pyodide = await loadInterpreter(console.error);
 * pyodide.runPython("1 + 1"); // 2
 * ```
 */
export async function loadInterpreter(
  logger: Logger,
  info: Logger = logger,
  options: LoadOptions = {},
): Promise<Pyodide> {
  const started = performance.now();
  info("python: loading Pyodide…");
  // Imported on first use: a server or a project importing mod.ts without Python apps never
  // needs the package (nor an import map entry for it).
  const { loadPyodide, version } = await import("pyodide");
  // The package's own folder (node_modules/pyodide under Bun, Deno's npm cache under Deno).
  const indexURL = dirname(fromFileUrl(import.meta.resolve("pyodide"))) + "/";
  const { pyodide, outcome } = await loadWithSnapshot(
    (extra) =>
      loadPyodide(
        {
          indexURL,
          stdout: (line) => logger(line),
          stderr: (line) => logger(line),
          ...snapshotOptions(extra, indexURL),
        } as Parameters<typeof loadPyodide>[0],
      ),
    {
      dir: options.snapshot ?? "off",
      pyodideVersion: version,
      fingerprint: options.fingerprint ?? "",
      prepare: options.prepare,
      revive: options.revive,
      log: info,
    },
  );
  const how = outcome === "restored" ? " (from a snapshot)" : "";
  info(`python: ready in ${Math.round(performance.now() - started)} ms${how}`);
  return pyodide;
}
