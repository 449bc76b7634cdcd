/**
 * `createPythonHost()`: one Pyodide interpreter, loaded on first use, with the bridge installed
 * and the host folders Python may see.
 *
 * @module
 */

import { stderrLogger } from "../core/errors_stream.ts";
import type { Logger } from "../core/types.ts";
import { type PythonRuntime, startRuntime } from "./python_runtime.ts";
import type { AppToLoad } from "./python_setup.ts";
import { createWatchdog, type Watchdog } from "./watchdog.ts";

export type { AppToLoad, PythonRuntime };

/** Options for {@linkcode createPythonHost}. */
export interface PythonHostOptions {
  /**
   * Folders put on `sys.path` after each app's own folder, such as a folder of vendored
   * packages (`pip install --target vendor flask`). Defaults to the `PYTHONPATH` entries.
   */
  pythonPath?: string[];
  /** Lets Python write to the mounted host folders; defaults to `false` (read-only). */
  writable?: boolean;
  /** Receives what Python prints; defaults to standard error. */
  logger?: Logger;
  /** Receives the start-up lines ("python: ready in N ms"); defaults to `logger`. */
  info?: Logger;
  /** Receives Python's warnings, one call each (a SyntaxWarning of an old package…); defaults to `info`. */
  warning?: Logger;
  /**
   * Reads `wsgi.input` lazily through JSPI (`WebAssembly.Suspending`); defaults to whether the
   * runtime has it. Without it a request body is read whole (up to the size limit) first.
   */
  jspi?: boolean;
  /**
   * A folder of Pyodide memory snapshots: the first start saves one, taken after the apps
   * this host was told of (`pythonApp()`) are imported, and later starts restore it, in a
   * fraction of the time, until an imported file changes. `"off"` (the default) loads
   * normally, imports each app on its first request, and writes nothing.
   */
  snapshot?: string;
  /**
   * Puts src/python/compat/ on `sys.path` and imports its patches: the `cgi` module and the
   * `ast`/`pkgutil` names Python 3.13 and 3.14 removed, and zope.interface's class attributes,
   * that Bottle 0.12, Flask 2.2, Django 3.2, Pyramid 2.0, Falcon 3.1 and WebOb 1.8 need.
   * It only adds what the running Python lacks. Default `true`.
   */
  compat?: boolean;
  /**
   * Seconds a call into Python may hold the process (gunicorn's `--timeout`): past it, a
   * watchdog thread interrupts Python, which raises `WorkerTimeout` in the app (a 500 and a
   * log line), and if Python still holds on 5 s later, kills the process for its supervisor to
   * replace. `0` turns the watchdog off. Defaults to 30.
   */
  timeout?: number;
}

/** One Python interpreter for a process (or a worker), shared by every Python app it serves. */
export interface PythonHost {
  /** The interpreter, loading it on the first call (`--preload` calls this before listening). */
  ready(): Promise<PythonRuntime>;
  /** The interpreter if it has loaded, else `undefined`: lets a request skip a promise. */
  loaded(): PythonRuntime | undefined;
  /**
   * Tells the host an app will run in it (`pythonApp()` does): with a snapshot folder, the
   * interpreter imports it as it loads, and the start-up snapshot holds it imported. Apps told
   * after the interpreter has loaded are imported on their first request.
   */
  include?(app: AppToLoad): void;
}

/**
 * Creates the host of one Python interpreter. Nothing is loaded until `ready()` is first called;
 * then Pyodide loads once (about 3 s), logging a line when it starts and when it is ready.
 *
 * Python runs one call at a time by nature (one JavaScript thread): requests interleave only
 * where an app waits for its request body, or between two chunks of a response, as threads
 * interleave under a threaded WSGI server. So `wsgi.multithread` is `True`.
 *
 * An interpreter that suffers a fatal error (Pyodide's own: an engine stack overflow, a C++
 * exception) is never called again: the host logs it and loads a fresh one at once, which
 * the next request to a Python app gets; requests that were in the broken one fail with a 500.
 *
 * @param options `sys.path` additions, writable mounts, the logger, the timeout
 * @returns The host
 * @example
 * ```ts ignore
 * import { createPythonHost } from "../../mod.ts";
 * const python = createPythonHost({ pythonPath: ["vendor"] });
 * await python.ready(); // "python: loading Pyodide…", "python: ready in 2731 ms"
 * ```
 */
export function createPythonHost(options: PythonHostOptions = {}): PythonHost {
  const logger = options.logger ?? stderrLogger;
  const info = options.info ?? logger;
  const timeoutSeconds = options.timeout ?? 30;
  // Made with the first interpreter: a server without Python apps starts no thread.
  let watchdog: Watchdog | undefined;
  let loading: Promise<PythonRuntime> | undefined;
  let runtime: PythonRuntime | undefined;
  const apps: AppToLoad[] = [];
  const load = () => {
    watchdog ??= createWatchdog({ timeoutSeconds });
    loading = startRuntime({
      ...options,
      apps,
      timeoutSeconds,
      watchdog,
      logger,
      info,
      onFatal(broken, error) {
        if (runtime !== broken) return;
        logger(
          `python: the interpreter suffered a fatal error (${String(error)}); ` +
            "it is never used again, and a fresh one is loading",
        );
        runtime = undefined;
        // Loaded now, so the next request finds it ready; a failure is retried by that request.
        load().catch(() => {});
      },
    }).then(
      (loaded) => runtime = loaded,
      (error) => {
        loading = undefined;
        throw error;
      },
    );
    return loading;
  };
  return {
    // A failed load is not kept: the next request tries again.
    ready: () => runtime ? Promise.resolve(runtime) : loading ?? load(),
    loaded: () => runtime,
    include(app) {
      const key = JSON.stringify(app);
      if (!apps.some((other) => JSON.stringify(other) === key)) apps.push(app);
    },
  };
}
