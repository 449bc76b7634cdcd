/**
 * The arbiter: the parent process of the command line, as gunicorn's. It starts `--workers N`
 * worker processes on one port (each listening with `reusePort`), replaces one that dies, is
 * silent too long, or is due for recycling, and stops them all on SIGTERM. It never touches a
 * request: the workers write their own logs, and only a `ready`, a heartbeat a second and a rare
 * `retire` cross the IPC channel.
 *
 * Signals, as gunicorn's arbiter: SIGTERM and SIGINT stop the workers gracefully (SIGKILL for any
 * still running past `--graceful-timeout`; a second signal kills them at once); SIGHUP replaces
 * the workers one by one; SIGTTIN adds a worker, SIGTTOU retires one.
 *
 * @module
 */

import process from "node:process";
import { readAllEnv } from "./env.ts";
import { freePort } from "./free_port.ts";
import { errorLog, info } from "./log.ts";
import type { Config } from "./options.ts";
import { planWorkers } from "./worker_plan.ts";
import { startWorker, type WorkerProcess } from "./worker_process.ts";
import type { WorkerMessage } from "./worker_messages.ts";

// A stopping worker has --graceful-timeout to finish, enforced by itself; the arbiter kills it
// this much later, so a worker that can still act logs its own "cut short" line first.
const KILL_MARGIN_MS = 1000;
// gunicorn's --timeout kills a silent worker; ours interrupts Python at --timeout inside the
// worker first, so the heartbeat is the second line of defence, 10 s later.
const HEARTBEAT_GRACE_S = 10;
// A worker that dies within this long of listening (or before) counts towards a crash loop.
const STABLE_MS = 10_000;
const MAX_BACKOFF_MS = 10_000;

/**
 * Runs the arbiter until SIGTERM or SIGINT has stopped every worker, or a worker fails to boot
 * before any listened.
 *
 * @param config The command line's configuration
 * @param command How to start a worker, such as `["deno", "run", "-A", "mod.ts"]`
 * @returns The exit code: 0 after a signal, the failing worker's code (else 1) otherwise
 * @example
 * ```ts ignore
 * import { runArbiter } from "./arbiter.ts";
 * process.exit(await runArbiter(config, ["bun", "run", "mod.ts"]));
 * ```
 */
export async function runArbiter(config: Config, command: string[]): Promise<number> {
  let port: number;
  try {
    port = await freePort(config.hostname, config.port);
  } catch (error) {
    console.error(
      `edge-wsgi: cannot listen on ${config.hostname}:${config.port}: ${(error as Error).message}`,
    );
    return 1;
  }
  const env = { ...readAllEnv(), EDGE_WSGI_CONFIG: JSON.stringify({ ...config, port }) };
  const host = config.hostname.includes(":") ? `[${config.hostname}]` : config.hostname;
  const url = `http://${host}:${port}/`;
  const silentLimitMs = config.timeout > 0 ? (config.timeout + HEARTBEAT_GRACE_S) * 1000 : 0;
  const killAfterMs = config.gracefulTimeout * 1000 + KILL_MARGIN_MS;

  const workers = new Set<WorkerProcess>();
  let target = config.workers;
  let listening = false;
  let stopping = false;
  let exitCode = 0;
  let failures = 0;
  let nextStartAt = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let finish!: (code: number) => void;
  const finished = new Promise<number>((resolve) => finish = resolve);

  const manage = () => {
    if (stopping) return;
    const plan = planWorkers([...workers], target);
    for (const worker of plan.retire) {
      info(
        `Retiring worker ${worker.pid}${
          worker.due ? "" : " (SIGTTOU)"
        }: it finishes its requests in flight`,
      );
      stop(worker, () => worker.send({ type: "retire" }));
    }
    if (plan.start === 0) return;
    const wait = nextStartAt - Date.now();
    if (wait > 0) {
      retry ??= setTimeout(() => {
        retry = undefined;
        manage();
      }, wait);
      return;
    }
    for (let i = 0; i < plan.start; i++) {
      const worker = startWorker(command, env, { message: onMessage, exit: onExit });
      workers.add(worker);
      info(`Booting worker with pid ${worker.pid}`);
    }
  };

  // Tells a worker to stop, and kills it if it is still there past --graceful-timeout.
  const stop = (worker: WorkerProcess, tell: () => void) => {
    worker.stopping = true;
    tell();
    // A retiring worker that SIGTERM reaches keeps its first deadline.
    worker.killTimer ??= setTimeout(() => {
      errorLog(
        `Worker ${worker.pid} still running ${killAfterMs / 1000} s after it was told to stop ` +
          `(--graceful-timeout ${config.gracefulTimeout}); killed`,
      );
      kill(worker);
    }, killAfterMs);
  };

  const kill = (worker: WorkerProcess) => {
    worker.killed = true;
    worker.signal("SIGKILL");
  };

  const replace = (worker: WorkerProcess, reason: string) => {
    if (worker.due || worker.stopping) return;
    worker.due = reason;
    info(`Worker ${worker.pid} ${reason}: starting its replacement`);
    manage();
  };

  function onMessage(worker: WorkerProcess, message: WorkerMessage) {
    worker.lastTick = Date.now();
    if (message.type === "tick") {
      if (config.maxWorkerMemory && message.rss > config.maxWorkerMemory) {
        replace(
          worker,
          `uses ${mebibytes(message.rss)} of memory, over --max-worker-memory ` +
            mebibytes(config.maxWorkerMemory),
        );
      }
    } else if (message.type === "retire") {
      replace(worker, `${message.reason} (--max-requests)`);
    } else if (message.type === "closed") {
      worker.closed = true;
      manage();
    } else if (message.type === "ready") {
      worker.readyAt = Date.now();
      const ready = [...workers].filter((w) => w.readyAt !== undefined).length;
      if (!listening && ready >= target) {
        listening = true;
        console.log(`edge-wsgi listening on ${url}`);
        info(`${target} worker${target === 1 ? "" : "s"} serving ${url}`);
      }
      manage();
    }
  }

  function onExit(worker: WorkerProcess, code: number | null, signal: string | null) {
    workers.delete(worker);
    clearTimeout(worker.killTimer);
    if (stopping) {
      if (workers.size === 0) finish(exitCode);
      return;
    }
    // Retired as planned: its replacement already serves.
    if (worker.stopping) return manage();
    // gunicorn: a worker that fails to boot before any listened cannot serve at all (a broken
    // app, a port taken meanwhile): give up with its error, which it printed, not retry forever.
    if (!listening) return shutdown("", code || 1);
    if (!worker.killed) {
      errorLog(
        `Worker ${worker.pid} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`,
      );
    }
    const lived = worker.readyAt === undefined ? 0 : Date.now() - worker.readyAt;
    failures = lived >= STABLE_MS ? 1 : failures + 1;
    // The first death is replaced at once; a crash loop backs off, doubling up to 10 s.
    const delay = failures < 2 ? 0 : Math.min(100 * 2 ** (failures - 2), MAX_BACKOFF_MS);
    nextStartAt = Date.now() + delay;
    if (delay) {
      errorLog(`${failures} workers failed in a row; starting the next in ${delay / 1000} s`);
    }
    manage();
  }

  // The heartbeat: a worker silent for --timeout + 10 s has an event loop that no longer runs.
  const watch = setInterval(() => {
    if (!silentLimitMs || stopping) return;
    const now = Date.now();
    for (const worker of workers) {
      if (worker.killed || now - worker.lastTick <= silentLimitMs) continue;
      errorLog(
        `Worker ${worker.pid} silent for ${Math.round((now - worker.lastTick) / 1000)} s; killed`,
      );
      kill(worker);
    }
  }, 1000);

  const shutdown = (signal: string, code = 0) => {
    if (stopping) {
      // A second signal: no more waiting.
      info(`${signal} again: killing the workers`);
      for (const worker of workers) kill(worker);
      return;
    }
    stopping = true;
    exitCode = code;
    clearTimeout(retry);
    if (signal) info(`${signal}: stopping the workers once their requests in flight finish`);
    for (const worker of workers) stop(worker, () => worker.signal("SIGTERM"));
    if (workers.size === 0) finish(exitCode);
  };
  const handlers: [NodeJS.Signals, () => void][] = [
    ["SIGTERM", () => shutdown("SIGTERM")],
    ["SIGINT", () => shutdown("SIGINT")],
    ["SIGHUP", () => {
      if (stopping) return;
      info("SIGHUP: replacing the workers one by one");
      for (const worker of workers) if (!worker.stopping) worker.due ??= "SIGHUP";
      manage();
    }],
    ["SIGTTIN", () => {
      target++;
      info(`SIGTTIN: ${target} workers`);
      manage();
    }],
    ["SIGTTOU", () => {
      if (target === 1) return;
      target--;
      info(`SIGTTOU: ${target} worker${target === 1 ? "" : "s"}`);
      manage();
    }],
  ];
  for (const [signal, handler] of handlers) process.on(signal, handler);

  manage();
  const code = await finished;
  clearInterval(watch);
  for (const [signal, handler] of handlers) process.off(signal, handler);
  return code;
}

function mebibytes(bytes: number): string {
  return `${Math.round(bytes / 1024 ** 2)} MiB`;
}
