/**
 * The parent process of `--workers N` and `--reload`: it starts the serving processes, passes
 * signals on, and restarts a worker that dies.
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import process from "node:process";
import { createInterface } from "node:readline";
import { fromFileUrl } from "../../base/path.ts";
import { isBun } from "../../runtime/bun.ts";
import { readAllEnv } from "./env.ts";
import { errorLog, info } from "./log.ts";
import type { Config } from "./options.ts";

const MOD_TS = fromFileUrl(new URL("../../../mod.ts", import.meta.url));
const SERVE_ENTRY = fromFileUrl(new URL("./serve_entry.ts", import.meta.url));
// `deno serve` looks for its configuration (the import map of hono) from the working folder,
// which --chdir may have left: named, it is found from anywhere.
const DENO_JSON = fromFileUrl(new URL("../../../deno.json", import.meta.url));
const READY = /listening on (http:\/\/\S+)/i;
// deno serve --parallel prefixes each worker's output with its name; our log formats are
// gunicorn's, so the prefix goes.
const WORKER_PREFIX = /^\[serve-worker-\d+ *\] /;

/**
 * Runs `--workers N`: N Bun processes sharing the port with `reusePort`, or on Deno one
 * `deno serve --parallel` with N isolates. Resolves with the exit code once they all stopped.
 */
export async function superviseWorkers(config: Config): Promise<number> {
  let port: number;
  try {
    // Tried here first: a port in use is then one line, not a stack trace from every worker.
    port = await freePort(config.hostname, config.port);
  } catch (error) {
    console.error(
      `edge-wsgi: cannot listen on ${config.hostname}:${config.port}: ${(error as Error).message}`,
    );
    return 1;
  }
  const env = { ...readAllEnv(), EDGE_WSGI_CONFIG: JSON.stringify({ ...config, port }) };
  const commands: string[][] = isBun()
    ? Array.from({ length: config.workers }, () => [process.execPath, "run", MOD_TS])
    : [[
      process.execPath,
      "serve",
      "--parallel",
      "--config",
      DENO_JSON,
      "-A",
      "--port",
      String(port),
      "--host",
      config.hostname,
      SERVE_ENTRY,
    ]];
  const workerEnv = isBun() ? env : { ...env, DENO_JOBS: String(config.workers) };
  const host = config.hostname.includes(":") ? `[${config.hostname}]` : config.hostname;
  const url = `http://${host}:${port}/`;

  let stopping = false;
  let ready = 0;
  const children = new Set<ChildProcess>();
  let announce: () => void;
  const allReady = new Promise<void>((resolve) => announce = resolve);
  // A worker that exits before any worker ever listened cannot listen at all (a port in use):
  // give up with its error, as gunicorn does when a worker fails to boot, not restart forever.
  let everReady = false;
  let giveUp: (code: number) => void;
  const bootFailed = new Promise<number>((resolve) => giveUp = resolve);

  const start = (command: string[]) => {
    const child = spawn(command[0], command.slice(1), {
      env: workerEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.add(child);
    let counted = false;
    const onLine = (raw: string, out: NodeJS.WriteStream) => {
      const line = raw.replace(WORKER_PREFIX, "");
      // `deno serve` prints the reason of a response body that failed, and gives its entry no
      // onError: a body respond.ts aborted (after logging why) has none, printed "undefined".
      if (line === "undefined") return;
      if (!counted && READY.test(line)) {
        counted = true;
        everReady = true;
        if (++ready === commands.length) announce();
        return;
      }
      out.write(line + "\n");
    };
    createInterface({ input: child.stdout! }).on("line", (line) => onLine(line, process.stdout));
    createInterface({ input: child.stderr! }).on("line", (line) => onLine(line, process.stderr));
    child.on("exit", (code, signal) => {
      children.delete(child);
      if (stopping) return;
      if (!everReady) return giveUp(code || 1);
      errorLog(`Worker ${child.pid} exited (${signal ?? code}); starting another`);
      if (counted) ready--;
      setTimeout(() => !stopping && start(command), 1000);
    });
  };
  for (const command of commands) start(command);

  const stopped = new Promise<string>((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
  const first = await Promise.race([
    allReady.then(() => ""),
    stopped,
    bootFailed.then((code) => code),
  ]);
  if (typeof first === "number") {
    stopping = true;
    await stopAll(children);
    return first;
  }
  if (first === "") {
    console.log(`edge-wsgi listening on ${url} (${config.workers} workers)`);
    info(`${config.workers} workers serving ${url}`);
  }
  const signal = first || await stopped;
  stopping = true;
  info(`${signal}: stopping the workers once their requests in flight finish`);
  await stopAll(children);
  return 0;
}

function stopAll(children: Set<ChildProcess>): Promise<unknown> {
  return Promise.all([...children].map((child) =>
    new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    })
  ));
}

/**
 * Runs `--reload`: the server in the runtime's own watch mode, which restarts it when a source
 * file changes. Resolves with its exit code.
 */
export async function superviseReload(config: Config, args: string[]): Promise<number> {
  const port = config.port === 0 ? await freePort(config.hostname) : config.port;
  const env = { ...readAllEnv(), EDGE_WSGI_CONFIG: JSON.stringify({ ...config, port }) };
  const watched = [config.apps, config.root, ...config.mounts.map(([, module]) => module)]
    .filter((path): path is string => Boolean(path));
  const command = isBun() ? [process.execPath, "--watch", "run", MOD_TS, ...args] : [
    process.execPath,
    "run",
    watched.length ? `--watch=${watched.join(",")}` : "--watch",
    "-A",
    MOD_TS,
    ...args,
  ];
  const child = spawn(command[0], command.slice(1), { env, stdio: ["inherit", "inherit", "pipe"] });
  let stopping = false;
  let killer: ReturnType<typeof setTimeout> | undefined;
  createInterface({ input: child.stderr! }).on("line", (line) => {
    process.stderr.write(line + "\n");
    // Deno's watch mode outlives its program ("Process finished. Restarting on file change"):
    // once the program has stopped for our signal, the watcher goes too.
    if (stopping && /Process finished/.test(line)) kill(child, "SIGKILL");
  });
  const forward = (signal: NodeJS.Signals) => {
    stopping = true;
    child.kill(signal);
    killer ??= setTimeout(() => kill(child, "SIGKILL"), config.gracefulTimeout * 1000 + 1000);
  };
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  const code = await new Promise<number>((resolve) => {
    child.on("exit", (exitCode) => resolve(exitCode ?? 0));
  });
  clearTimeout(killer);
  return code;
}

// Deno's ChildProcess.kill() sends one signal only; process.kill() sends any number.
function kill(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(child.pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * A port that is free now on `hostname` (`port`, or any when it is 0), for processes that must all
 * use the same one; rejects when `port` is taken.
 */
function freePort(hostname: string, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(port, hostname, () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
