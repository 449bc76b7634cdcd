/**
 * The command line of `mod.ts`: every option, its environment variable, its default, and the
 * parser. The command line wins over the environment; a bad value is a {@linkcode UsageError}.
 *
 * @module
 */

import { createIpMatcher } from "../../core/ip_matcher.ts";
import { readEnvVars } from "./env.ts";
import { defaultSnapshotDir } from "../../python/snapshot_cache.ts";
import { SYSTEM_FOLDERS } from "../../python/system_folders.ts";
import { flag, integer, mountPair, parseSize, UsageError } from "./option_values.ts";

export { parseSize, UsageError };

/** The server's configuration, as the command line and environment give it. */
export interface Config {
  port: number;
  hostname: string;
  /** The static folder, or `null` for the demo site's own `public/`. */
  root: string | null;
  /** A folder of app modules, each mounted at `/name`. */
  apps: string | null;
  /** `[prefix, module path]` pairs. */
  mounts: [string, string][];
  workers: number;
  /** Requests after which a worker is replaced (gunicorn's `--max-requests`); `0` never. */
  maxRequests: number;
  /** Up to this many more, picked at random per worker, so workers are not replaced together. */
  maxRequestsJitter: number;
  /** Resident memory in bytes past which a worker is replaced; `0` never. */
  maxWorkerMemory: number;
  /** An access-log format, or `null` when off. */
  accessLog: string | null;
  forwardedAllowIps: string[];
  maxBodySize: number;
  rootPath: string;
  debug: boolean;
  reload: boolean;
  gracefulTimeout: number;
  /**
   * Seconds a call into Python may hold its worker before it is interrupted (gunicorn's
   * `--timeout`); `0` turns the watchdog off.
   */
  timeout: number;
  help: boolean;
  /** Folders of Python packages put on `sys.path`, after each Python app's own folder. */
  pythonPath: string[];
  /** Whether Python may write to the host folders it sees. */
  pythonWritable: boolean;
  /** Whether Pyodide loads before the server listens. */
  preload: boolean;
  /**
   * Whether workers trade speed for memory: on Deno, V8 compiles WebAssembly with its baseline
   * compiler only (`--liftoff-only`).
   */
  lowMemory: boolean;
  /**
   * Whether src/python/compat/ (cgi, ast.Str, pkgutil.get_loader, zope.interface's class
   * attributes) is on `sys.path`; on unless `--no-python-compat`.
   */
  pythonCompat: boolean;
  /** The Pyodide snapshot folder, or `"off"`. */
  pythonSnapshot: string;
  /**
   * The folder to work in (gunicorn's `--chdir`): relative paths start there, and Python finds
   * `mysite.wsgi` there; `null` stays where started.
   */
  chdir: string | null;
}

/** gunicorn's default access-log format. */
export const GUNICORN_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"';

interface OptionSpec {
  name: string;
  env: string;
  /** The value's placeholder in --help; none for a flag. */
  value?: string;
  defaultText: string;
  help: string;
  /** Applies a value; `label` names where it came from (`--port` or `PORT`) in errors. */
  apply(config: Config, value: string, label: string): void;
}

/** Every option, in the order --help lists them. */
export const OPTIONS: OptionSpec[] = [
  {
    name: "port",
    env: "PORT",
    value: "N",
    defaultText: "8000",
    help: "port to listen on (0 picks a free one)",
    apply: (c, v, label) => c.port = integer(v, label, 0, 65535),
  },
  {
    name: "hostname",
    env: "HOSTNAME",
    value: "ADDR",
    defaultText: "127.0.0.1",
    help: "address to listen on (0.0.0.0 for every interface)",
    apply: (c, v, label) => {
      if (!/^[\w.:-]+$/.test(v)) {
        throw new UsageError(`${label} must be an address, not ${JSON.stringify(v)}`);
      }
      c.hostname = v;
    },
  },
  {
    name: "root",
    env: "ROOT",
    value: "DIR",
    defaultText: "the demo site's public/",
    help: "folder of static files",
    apply: (c, v) => c.root = v,
  },
  {
    name: "apps",
    env: "APPS",
    value: "DIR",
    defaultText: "none",
    help:
      "folder of apps: DIR/name.ts (or .js) exporting `application` or a default WSGI app is served at /name, loaded on first request; DIR/name.py (a Python WSGI app: `application`, else `app`) at /name and /name.py",
    apply: (c, v) => c.apps = v,
  },
  {
    name: "mount",
    env: "MOUNTS",
    value: "PREFIX=MODULE",
    defaultText: "none; the demo apps when neither --apps nor --mount is given",
    help:
      "mount the WSGI app of a module (.ts, .js, .py[:callable], or a Python module as gunicorn names it, mysite.wsgi[:callable]) at a prefix, / included; repeatable (MOUNTS: comma-separated)",
    apply: (c, v, label) => {
      for (const pair of v.split(",").map((p) => p.trim()).filter(Boolean)) {
        c.mounts.push(mountPair(pair, label));
      }
    },
  },
  {
    name: "workers",
    env: "WORKERS",
    value: "N",
    defaultText: "1",
    help:
      "worker processes serving the same port (reusePort), started, watched and replaced by one parent process",
    apply: (c, v, label) => c.workers = integer(v, label, 1, 256),
  },
  {
    name: "max-requests",
    env: "MAX_REQUESTS",
    value: "N",
    defaultText: "0, never",
    help:
      "replace a worker after it has served N requests: a new one takes the port, the old one finishes its requests in flight",
    apply: (c, v, label) => c.maxRequests = integer(v, label, 0, Number.MAX_SAFE_INTEGER),
  },
  {
    name: "max-requests-jitter",
    env: "MAX_REQUESTS_JITTER",
    value: "N",
    defaultText: "0",
    help:
      "add a random 0 to N to each worker's --max-requests, so the workers are not all replaced at once",
    apply: (c, v, label) => c.maxRequestsJitter = integer(v, label, 0, Number.MAX_SAFE_INTEGER),
  },
  {
    name: "max-worker-memory",
    env: "MAX_WORKER_MEMORY",
    value: "SIZE|off",
    defaultText: "off",
    help:
      "replace a worker whose resident memory grows past SIZE (checked every second), as --max-requests does",
    apply: (c, v, label) => c.maxWorkerMemory = v.toLowerCase() === "off" ? 0 : parseSize(v, label),
  },
  {
    name: "access-log",
    env: "ACCESS_LOG",
    value: "FORMAT|off",
    defaultText: "gunicorn's format",
    help:
      `access-log line per request, to standard output; gunicorn's %(x)s atoms (default ${GUNICORN_FORMAT})`,
    apply: (c, v) =>
      c.accessLog = v.toLowerCase() === "off" ? null : v === "gunicorn" ? GUNICORN_FORMAT : v,
  },
  {
    name: "forwarded-allow-ips",
    env: "FORWARDED_ALLOW_IPS",
    value: "LIST",
    defaultText: "127.0.0.1,::1",
    help: "proxies trusted for X-Forwarded-For/-Proto/-Host: addresses, networks (10.0.0.0/8) or *",
    apply: (c, v, label) => {
      const list = v.split(",").map((ip) => ip.trim()).filter(Boolean);
      try {
        createIpMatcher(list);
      } catch (error) {
        throw new UsageError(`${label}: ${(error as Error).message}`);
      }
      c.forwardedAllowIps = list;
    },
  },
  {
    name: "max-body-size",
    env: "MAX_BODY_SIZE",
    value: "SIZE",
    defaultText: "1G",
    help: "largest request body; more is refused with 413",
    apply: (c, v, label) => c.maxBodySize = parseSize(v, label),
  },
  {
    name: "root-path",
    env: "ROOT_PATH",
    value: "PREFIX",
    defaultText: "none",
    help: "the sub-path a proxy serves this under; it becomes the start of every SCRIPT_NAME",
    apply: (c, v, label) => {
      if (v !== "" && !/^(\/[^/]+)+$/.test(v)) {
        throw new UsageError(`${label} must look like /prefix, not ${JSON.stringify(v)}`);
      }
      c.rootPath = v;
    },
  },
  {
    name: "graceful-timeout",
    env: "GRACEFUL_TIMEOUT",
    value: "SECONDS",
    defaultText: "30",
    help:
      "on SIGINT/SIGTERM, and for a worker being replaced, how long requests in flight may take to finish; a worker still running then is killed",
    apply: (c, v, label) => c.gracefulTimeout = integer(v, label, 0, 86400),
  },
  {
    name: "timeout",
    env: "TIMEOUT",
    value: "SECONDS",
    defaultText: "30",
    help:
      "a Python call holding its worker longer is interrupted (a 500 and a log line); a worker whose event loop is silent for SECONDS + 10 is killed and replaced; 0 turns both off",
    apply: (c, v, label) => c.timeout = integer(v, label, 0, 86400),
  },
  {
    name: "debug",
    env: "DEBUG",
    defaultText: "off",
    help: "show errors and their stacks in 500 pages (never in production)",
    apply: (c, v, label) => c.debug = flag(v, label),
  },
  {
    name: "reload",
    env: "RELOAD",
    defaultText: "off",
    help: "restart when a source file changes (the runtime's watch mode), for development",
    apply: (c, v, label) => c.reload = flag(v, label),
  },
  {
    name: "python-path",
    env: "PYTHONPATH",
    value: "DIR",
    defaultText: "none",
    help:
      "folder of Python packages (pip install --target DIR flask) put on sys.path; repeatable (PYTHONPATH: colon-separated)",
    apply: (c, v) => c.pythonPath.push(...v.split(":").filter(Boolean)),
  },
  {
    name: "python-writable",
    env: "PYTHON_WRITABLE",
    defaultText: "off",
    help:
      `let Python apps write to their folders (read-only by default: a write is an OSError); Python also reads the host's ${
        SYSTEM_FOLDERS.join(", ")
      }, always read-only`,
    apply: (c, v, label) => c.pythonWritable = flag(v, label),
  },
  {
    name: "preload",
    env: "PRELOAD",
    defaultText: "off",
    help: "load Python (Pyodide, about 3 s) before listening, not on the first Python request",
    apply: (c, v, label) => c.preload = flag(v, label),
  },
  {
    name: "low-memory",
    env: "LOW_MEMORY",
    defaultText: "off",
    help:
      "trade speed for memory: on Deno, workers compile Python's WebAssembly with V8's baseline compiler only (about 50 MiB less per Python worker, slower)",
    apply: (c, v, label) => c.lowMemory = flag(v, label),
  },
  {
    name: "python-compat",
    env: "PYTHON_COMPAT",
    defaultText: "on; --no-python-compat or PYTHON_COMPAT=0 turns it off",
    help:
      "put edge-wsgi's compatibility folder on sys.path: what Python 3.13 and 3.14 removed and older frameworks use (cgi, ast.Str, pkgutil.get_loader), and zope.interface's fix for 3.13; it only adds what is missing",
    apply: (c, v, label) => c.pythonCompat = flag(v, label),
  },
  {
    name: "python-snapshot",
    env: "PYTHON_SNAPSHOT",
    value: "DIR|off",
    defaultText: "$XDG_CACHE_HOME/edge-wsgi, else ~/.cache/edge-wsgi",
    help:
      "folder of Pyodide memory snapshots: the first start saves one, the next ones restore it (about 0.3 s instead of 3 s)",
    apply: (c, v) => c.pythonSnapshot = v.toLowerCase() === "off" ? "off" : v,
  },
  {
    name: "chdir",
    env: "CHDIR",
    value: "DIR",
    defaultText: "the current folder",
    help:
      "change to DIR before loading apps, as gunicorn's --chdir: relative paths start there, and Python imports dotted app modules (--mount /=mysite.wsgi) from it",
    apply: (c, v) => c.chdir = v,
  },
  {
    name: "help",
    env: "",
    defaultText: "",
    help: "print this help and exit (also -h)",
    apply: (c) => c.help = true,
  },
];

/** The configuration before any option or variable is applied. */
export function defaultConfig(): Config {
  return {
    port: 8000,
    hostname: "127.0.0.1",
    root: null,
    apps: null,
    mounts: [],
    workers: 1,
    maxRequests: 0,
    maxRequestsJitter: 0,
    maxWorkerMemory: 0,
    accessLog: GUNICORN_FORMAT,
    forwardedAllowIps: ["127.0.0.1", "::1"],
    maxBodySize: 1024 ** 3,
    rootPath: "",
    debug: false,
    reload: false,
    gracefulTimeout: 30,
    timeout: 30,
    help: false,
    pythonPath: [],
    pythonWritable: false,
    preload: false,
    lowMemory: false,
    pythonCompat: true,
    pythonSnapshot: defaultSnapshotDir(readEnvVars(["XDG_CACHE_HOME", "HOME"])),
    chdir: null,
  };
}
