/**
 * `createPythonHost()`: one Pyodide interpreter, loaded on first use, with the bridge installed
 * and the host folders Python may see.
 *
 * @module
 */

import { readFileSync } from "node:fs";
import process from "node:process";
import { stderrLogger } from "../core/errors_stream.ts";
import type { Logger } from "../core/types.ts";
import { fromFileUrl, resolve } from "../base/path.ts";
import { type HostFolders, mountHostFolders } from "./host_folders.ts";
import { logPythonWarnings } from "./log_warnings.ts";
import { installNativeHashlib } from "./native_hashlib.ts";
import { loadInterpreter, type Pyodide } from "./pyodide_loader.ts";
import { installRequestLocals } from "./request_locals.ts";
import { mountSystemFolders } from "./system_folders.ts";
import type { RequestContext } from "./request_context.ts";

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
   * A folder of Pyodide memory snapshots: the first start saves one, later starts restore it
   * (about 10× faster). `"off"` (the default) loads normally and writes nothing.
   */
  snapshot?: string;
  /**
   * Puts src/python/compat/ on `sys.path` and imports its patches: the `cgi` module and the
   * `ast`/`pkgutil` names Python 3.13 and 3.14 removed, and zope.interface's class attributes,
   * that Bottle 0.12, Flask 2.2, Django 3.2, Pyramid 2.0, Falcon 3.1 and WebOb 1.8 need.
   * It only adds what the running Python lacks. Default `true`.
   */
  compat?: boolean;
}

// deno-lint-ignore no-explicit-any
type PyFunction = any;

/** A loaded interpreter, with the bridge's entry points. */
export interface PythonRuntime {
  readonly pyodide: Pyodide;
  /** Whether a call may suspend on a read of the request body (JSPI). */
  readonly jspi: boolean;
  /** bridge.py's `handle(app, text, request, flags, body)`: a frame, or a body's number. */
  readonly handle: PyFunction;
  /** bridge.py's `next_chunk(number)`: a frame, or `undefined` at the end. */
  readonly nextChunk: PyFunction;
  /** bridge.py's `close_body(number)`. */
  readonly closeBody: PyFunction;
  /** Imports `file` afresh; returns the number bridge.py keeps its WSGI callable under. */
  loadApp(file: string, moduleName: string, callable?: string): number;
  /**
   * Imports the dotted `module` afresh from `sys.path`, the working folder first (as
   * `gunicorn mysite.wsgi` does); returns the number its WSGI callable is kept under.
   */
  loadModule(module: string, callable?: string): number;
  /**
   * Runs a Python script as `python file args…` does (Django's `manage.py migrate`), in its
   * folder; returns its exit status.
   */
  runScript(file: string, args: string[]): number;
  /** Forgets an app loaded by `loadApp`. */
  forgetApp(app: number): void;
  /** Numbers a request for bridge.py's callbacks, until `end()`. */
  begin(context: RequestContext): number;
  /** Forgets a request: its callbacks fail from now on. */
  end(request: number): void;
}

/** One Python interpreter for a process (or a worker), shared by every Python app it serves. */
export interface PythonHost {
  /** The interpreter, loading it on the first call (`--preload` calls this before listening). */
  ready(): Promise<PythonRuntime>;
  /** The interpreter if it has loaded, else `undefined`: lets a request skip a promise. */
  loaded(): PythonRuntime | undefined;
}

/**
 * Creates the host of one Python interpreter. Nothing is loaded until `ready()` is first called;
 * then Pyodide loads once (about 3 s), logging a line when it starts and when it is ready.
 *
 * Python runs one call at a time by nature (one JavaScript thread): requests interleave only
 * where an app waits for its request body, or between two chunks of a response, as threads
 * interleave under a threaded WSGI server. So `wsgi.multithread` is `True`.
 *
 * @param options `sys.path` additions, writable mounts, the logger
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
  let loading: Promise<PythonRuntime> | undefined;
  let runtime: PythonRuntime | undefined;
  return {
    ready() {
      // A failed load is not kept: the next request tries again.
      loading ??= start(options, logger).then(
        (loaded) => runtime = loaded,
        (error) => {
          loading = undefined;
          throw error;
        },
      );
      return loading;
    },
    loaded: () => runtime,
  };
}

const BRIDGE = fromFileUrl(new URL("./bridge.py", import.meta.url));
const COMPAT = fromFileUrl(new URL("./compat", import.meta.url));

async function start(options: PythonHostOptions, logger: Logger): Promise<PythonRuntime> {
  const pyodide = await loadInterpreter(logger, options.info ?? logger, {
    snapshot: options.snapshot,
  });
  const folders: HostFolders = mountHostFolders(pyodide, options.writable ?? false);
  mountSystemFolders(folders);
  logPythonWarnings(pyodide, options.warning ?? options.info ?? logger);
  installNativeHashlib(pyodide);
  installRequestLocals(pyodide);
  const bridge = pyodide.runPython(
    "import types\nbridge = types.ModuleType('edge_wsgi_bridge')\nbridge",
  );
  pyodide.runPython(readFileSync(BRIDGE, "utf8"), { globals: bridge.__dict__, filename: BRIDGE });
  // The requests in flight, by the number bridge.py knows each by.
  const requests = new Map<number, RequestContext>();
  let lastRequest = 0;
  const request = (number: number) => {
    const context = requests.get(number);
    if (!context) throw new TypeError("The request this belongs to is over");
    return context;
  };
  bridge.install(
    (n: number, head: string, data: string) => request(n).write(head, data),
    (n: number, size: number) => request(n).read(size),
    (n: number, size: number) => request(n).readline(size),
    (n: number, text: string, flush: boolean) => request(n).log(text, flush),
  );
  const pythonPath = options.pythonPath ??
    (process.env.PYTHONPATH ?? "").split(":").filter(Boolean);
  const sysPath = pyodide.pyimport("sys").path;
  for (const folder of pythonPath) {
    const path = resolve(folder);
    folders.mount(path);
    sysPath.append(path);
  }
  const compat = options.compat ?? true;
  if (compat) {
    folders.mount(COMPAT);
    sysPath.append(COMPAT);
  }
  sysPath.destroy();
  if (compat) pyodide.runPython("import edge_wsgi_compat");
  const jspi = options.jspi ?? typeof (WebAssembly as { Suspending?: unknown }).Suspending ===
      "function";
  const loadApp = bridge.load_app;
  const loadModule = bridge.load_module;
  const runScript = bridge.run_script;
  const forgetApp = bridge.forget_app;
  return {
    pyodide,
    jspi,
    handle: bridge.handle,
    nextChunk: bridge.next_chunk,
    closeBody: bridge.close_body,
    loadApp(file, moduleName, callable) {
      const path = resolve(file);
      folders.mount(path.slice(0, path.lastIndexOf("/")) || "/");
      return loadApp(path, moduleName, callable);
    },
    loadModule(module, callable) {
      // gunicorn: a module is found from the working folder (its --chdir), which bridge.py puts
      // first on sys.path; only then does Python see that folder.
      const cwd = process.cwd();
      folders.mount(cwd);
      return loadModule(module, callable, cwd);
    },
    runScript(file, args) {
      const path = resolve(file);
      folders.mount(path.slice(0, path.lastIndexOf("/")) || "/");
      return runScript(path, args);
    },
    forgetApp: (app) => forgetApp(app),
    begin(context) {
      requests.set(++lastRequest, context);
      return lastRequest;
    },
    end: (number) => void requests.delete(number),
  };
}
