/**
 * One loaded interpreter with the bridge installed: the calls Python apps are run through, each
 * watched by the `--timeout` watchdog.
 *
 * @module
 */

import process from "node:process";
import type { Logger } from "../core/types.ts";
import { resolve } from "../base/path.ts";
import { DEFAULT_C_STACK_BUDGET, limitCStack } from "./c_stack.ts";
import type { HostFolders } from "./host_folders.ts";
import { logPythonWarnings } from "./log_warnings.ts";
import { installNativeHashlib } from "./native_hashlib.ts";
import { loadInterpreter, type Pyodide } from "./pyodide_loader.ts";
import {
  type AppToLoad,
  prepareInterpreter,
  reviveInterpreter,
  type SetUp,
  type Setup,
  setupFingerprint,
} from "./python_setup.ts";
import type { Frame, RequestContext } from "./request_context.ts";
import type { Watchdog } from "./watchdog.ts";

// deno-lint-ignore no-explicit-any
type PyFunction = any;

/** A loaded interpreter, with the bridge's entry points. */
export interface PythonRuntime {
  readonly pyodide: Pyodide;
  /** Whether a call may suspend on a read of the request body (JSPI). */
  readonly jspi: boolean;
  /** Whether a fatal error ended this interpreter: nothing may call into it any more. */
  readonly broken: boolean;
  /** bridge.py's `handle(app, text, request, flags, body)`: a frame, or a body's number. */
  handle(
    app: number,
    text: string,
    request: number,
    flags: number,
    body?: Uint8Array,
  ): Frame | number;
  /** The same through JSPI, where Python may wait for the request body. */
  handlePromising(
    app: number,
    text: string,
    request: number,
    flags: number,
  ): Promise<Frame | number>;
  /** bridge.py's `next_chunk(number)`: a frame, or `undefined` at the end. */
  nextChunk(body: number): Frame | undefined;
  /** The same through JSPI. */
  nextChunkPromising(body: number): Promise<Frame | undefined>;
  /** bridge.py's `close_body(number)`. */
  closeBody(body: number): void;
  /** The same through JSPI. */
  closeBodyPromising(body: number): Promise<void>;
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

/** What {@linkcode startRuntime} needs besides the host's options. */
export interface RuntimeSetup {
  pythonPath?: string[];
  writable?: boolean;
  compat?: boolean;
  jspi?: boolean;
  snapshot?: string;
  /** Apps to import as the interpreter loads (into its start-up snapshot): see python_setup.ts. */
  apps?: AppToLoad[];
  /** Seconds of `--timeout`, for the message of the error it raises in Python. */
  timeoutSeconds: number;
  watchdog: Watchdog;
  logger: Logger;
  info: Logger;
  /** Receives Python's warnings; defaults to `info`. */
  warning?: Logger;
  /** Told once when Pyodide reports a fatal error in this interpreter. */
  onFatal: (runtime: PythonRuntime, error: unknown) => void;
}

/**
 * Loads an interpreter prepared for the host (python_setup.ts: imports, `sys.path` and host
 * folders, the apps it was told of), from a snapshot when there is a fresh one; gives CPython a
 * C-stack budget the engine's stack can hold; installs the bridge and the watchdog.
 *
 * @param setup The options of the host, its watchdog and logs
 * @returns The runtime
 * @example
 * ```ts ignore
 * const runtime = await startRuntime({ timeoutSeconds: 30, watchdog, logger, info, onFatal });
 * ```
 */
export async function startRuntime(setup: RuntimeSetup): Promise<PythonRuntime> {
  const { logger, watchdog } = setup;
  const snapshot = setup.snapshot ?? "off";
  const python: Setup = {
    pythonPath: (setup.pythonPath ?? (process.env.PYTHONPATH ?? "").split(":").filter(Boolean))
      .map((folder) => resolve(folder)),
    writable: setup.writable ?? false,
    compat: setup.compat ?? true,
    // Without a snapshot to keep them, apps are imported on their first request, as before.
    apps: snapshot === "off" ? [] : [...setup.apps ?? []],
  };
  let setUp: SetUp | undefined;
  const pyodide = await loadInterpreter(logger, setup.info, {
    snapshot,
    fingerprint: setupFingerprint(python),
    prepare(pyodide) {
      const made = prepareInterpreter(pyodide, python);
      setUp = made.setUp;
      return made.prepared;
    },
    revive(pyodide) {
      setUp = reviveInterpreter(pyodide, python);
    },
  });
  const { bridge, folders } = setUp!;
  const budget = limitCStack(pyodide, DEFAULT_C_STACK_BUDGET);
  if (!budget) {
    setup.info(
      "python: CPython's C-stack limits were not found; deep recursion in C may end the interpreter",
    );
  }
  // Each call into Python from JavaScript takes the thread, and a C-stack budget from where it
  // starts (JSPI calls get theirs from c_stack.ts).
  const enter = () => {
    watchdog.enter();
    budget?.rebase();
  };
  pyodide.setInterruptBuffer(watchdog.interrupt);
  // What the snapshot cannot hold: the JavaScript that Python's warnings and hashlib's
  // derivations call.
  logPythonWarnings(pyodide, setup.warning ?? setup.info);
  // The requests in flight, by the number bridge.py knows each by.
  const requests = new Map<number, RequestContext>();
  let lastRequest = 0;
  const request = (number: number) => {
    const context = requests.get(number);
    if (!context) throw new TypeError("The request this belongs to is over");
    return context;
  };
  // A read suspends Python (JSPI) until its bytes arrive: the thread is free meanwhile, and
  // Python takes it again just before it resumes (it waits on the promise returned here).
  const suspending = (read: Promise<Uint8Array>) => {
    watchdog.leave();
    return read.then((bytes) => {
      watchdog.enter();
      return bytes;
    }, (error) => {
      watchdog.enter();
      throw error;
    });
  };
  installNativeHashlib(pyodide, suspending);
  bridge.install({
    write: (n: number, head: string, data: string) => request(n).write(head, data),
    read: (n: number, size: number) => suspending(request(n).read(size)),
    read1: (n: number, size: number) => suspending(request(n).read1(size)),
    errors: (n: number, text: string, flush: boolean) => request(n).log(text, flush),
    enter: () => watchdog.enter(),
    leave: () => watchdog.leave(),
    sleep: (seconds: number) => watchdog.sleep(seconds),
    timeout: setup.timeoutSeconds,
  });
  const jspi = setup.jspi ?? typeof (WebAssembly as { Suspending?: unknown }).Suspending ===
      "function";
  return watchedRuntime(
    pyodide,
    bridge,
    jspi,
    { folders, requests, setup, enter },
    () => ++lastRequest,
  );
}

// The runtime object: every call into Python goes through the watchdog, and a fatal error marks
// the interpreter broken (once) and tells the host.
function watchedRuntime(
  pyodide: Pyodide,
  bridge: PyFunction,
  jspi: boolean,
  parts: {
    folders: HostFolders;
    requests: Map<number, RequestContext>;
    setup: RuntimeSetup;
    enter: () => void;
  },
  nextNumber: () => number,
): PythonRuntime {
  const { folders, requests, setup, enter } = parts;
  const { watchdog } = setup;
  const handle = bridge.handle;
  const nextChunk = bridge.next_chunk;
  const closeBody = bridge.close_body;
  const handlePromising = bridge.handle_promising;
  const nextChunkPromising = bridge.next_chunk_promising;
  const closeBodyPromising = bridge.close_body_promising;
  const loadApp = bridge.load_app;
  const loadModule = bridge.load_module;
  const runScript = bridge.run_script;
  const forgetApp = bridge.forget_app;
  const runtime: PythonRuntime = {
    pyodide,
    jspi,
    broken: false,
    handle(app, text, request, flags, body) {
      enter();
      try {
        return handle(app, text, request, flags, body);
      } finally {
        watchdog.leave();
      }
    },
    handlePromising: (app, text, request, flags) =>
      handlePromising.callPromising(app, text, request, flags, undefined),
    nextChunk(body) {
      enter();
      try {
        return nextChunk(body);
      } finally {
        watchdog.leave();
      }
    },
    nextChunkPromising: (body) => nextChunkPromising.callPromising(body),
    closeBody(body) {
      enter();
      try {
        closeBody(body);
      } finally {
        watchdog.leave();
      }
    },
    closeBodyPromising: (body) => closeBodyPromising.callPromising(body),
    loadApp(file, moduleName, callable) {
      const path = resolve(file);
      folders.mount(path.slice(0, path.lastIndexOf("/")) || "/");
      enter();
      try {
        return loadApp(path, moduleName, callable);
      } finally {
        watchdog.leave();
      }
    },
    loadModule(module, callable) {
      // gunicorn: a module is found from the working folder (its --chdir), which bridge.py puts
      // first on sys.path; only then does Python see that folder.
      const cwd = process.cwd();
      folders.mount(cwd);
      enter();
      try {
        return loadModule(module, callable, cwd);
      } finally {
        watchdog.leave();
      }
    },
    runScript(file, args) {
      const path = resolve(file);
      folders.mount(path.slice(0, path.lastIndexOf("/")) || "/");
      return runScript(path, args);
    },
    forgetApp: (app) => forgetApp(app),
    begin(context) {
      const number = nextNumber();
      requests.set(number, context);
      return number;
    },
    end: (number) => void requests.delete(number),
  };
  // deno-lint-ignore no-explicit-any
  (pyodide as any)._api.on_fatal = (error: unknown) => {
    if (runtime.broken) return;
    (runtime as { broken: boolean }).broken = true;
    // The calls that were running will never give the thread back.
    watchdog.reset();
    setup.onFatal(runtime, error);
  };
  return runtime;
}
