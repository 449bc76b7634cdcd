/**
 * The serving side of the command line: a worker of the arbiter (it listens with `reusePort`
 * beside its siblings, proves it is alive, and drains when it is replaced), or the whole server in
 * one process where no worker can be started.
 *
 * @module
 */

import process from "node:process";
import { serve, type Server } from "../serve.ts";
import { exitGracefullyOnSignal } from "../graceful.ts";
import { errorLog, info } from "./log.ts";
import type { Config } from "./options.ts";
import { createRetiringFetch } from "./retiring_fetch.ts";
import { buildSite, pythonHostOf } from "./site.ts";
import { type ArbiterMessage, HEARTBEAT_MS, type WorkerMessage } from "./worker_messages.ts";

// How long a retiring worker goes on listening, at most, while its keep-alive clients move to
// its replacement (usually under a second: see retiring_fetch.ts).
const DRAIN_LIMIT_MS = 5000;

/**
 * Serves as one of the arbiter's workers: reports `ready` once it listens and a heartbeat every
 * second over the IPC channel; stops gracefully on SIGTERM (once: a repeated signal is ignored,
 * the arbiter escalates) and when the arbiter is gone; drains before stopping when the arbiter
 * retires it. SIGINT and SIGHUP are the arbiter's.
 *
 * @param config The configuration the arbiter passed on, with the port it picked
 * @example
 * ```ts ignore
 * import { serveAsWorker } from "./worker.ts";
 * await serveAsWorker(JSON.parse(process.env.EDGE_WSGI_CONFIG!));
 * ```
 */
export async function serveAsWorker(config: Config): Promise<void> {
  const send = (message: WorkerMessage) => {
    if (process.connected) process.send!(message);
  };
  // Started first: --preload loads Python for seconds before the worker listens.
  setInterval(() => send({ type: "tick", rss: process.memoryUsage.rss() }), HEARTBEAT_MS);
  const python = pythonHostOf(config);
  if (config.preload) await python.ready();
  const site = buildSite(config, config.workers > 1, python);
  // gunicorn: each worker's limit is --max-requests plus a random 0 to --max-requests-jitter.
  const maxRequests = config.maxRequests &&
    config.maxRequests + Math.floor(Math.random() * (config.maxRequestsJitter + 1));
  const worker = createRetiringFetch((request, connInfo) => site.fetch(request, connInfo), {
    maxRequests,
    onLimit: () => send({ type: "retire", reason: `served ${maxRequests} requests` }),
  });
  const server = listen(config, worker.fetch, true);

  let stopping = false;
  const stop = async (drain: boolean) => {
    if (stopping) return;
    stopping = true;
    const deadline = Date.now() + config.gracefulTimeout * 1000;
    if (drain) await worker.drain(Math.min(DRAIN_LIMIT_MS, config.gracefulTimeout * 1000));
    const finished = finishWithin(server, deadline - Date.now(), config.gracefulTimeout);
    // The listener is closed now: the arbiter may retire the next worker, whose clients will
    // reconnect, without sending any of them into this worker's closing accept queue.
    if (drain) send({ type: "closed" });
    await finished;
    process.exit(0);
  };
  process.on("SIGTERM", () => stop(false));
  // Ctrl-C and a terminal's hang-up reach the whole process group: stopping and reloading are
  // the arbiter's calls (it sends SIGTERM), so a worker neither races it nor dies of them.
  process.on("SIGINT", () => {});
  process.on("SIGHUP", () => {});
  process.on("message", (message: ArbiterMessage) => {
    if (message.type === "retire") stop(true);
  });
  // gunicorn: a worker whose parent changed shuts down.
  process.on("disconnect", () => {
    if (!stopping) info("The arbiter is gone; stopping");
    stop(false);
  });
  send({ type: "ready" });
}

/**
 * Serves the whole site in this process, with no arbiter: on Deno Deploy, and on Deno without
 * every permission (a worker would need them). `why` says so in the log.
 *
 * @param config The command line's configuration
 * @param why Why there is no arbiter, or nothing to say
 * @example
 * ```ts ignore
 * import { serveInProcess } from "./worker.ts";
 * await serveInProcess(config, "");
 * ```
 */
export async function serveInProcess(config: Config, why: string): Promise<void> {
  if (why) info(`${why}: serving in this process, which nothing restarts, recycles or watches`);
  const python = pythonHostOf(config);
  if (config.preload) await python.ready();
  const site = buildSite(config, false, python);
  const server = listen(config, (request, connInfo) => site.fetch(request, connInfo), false);
  // Listen for the signals before announcing the URL: whoever reads it may signal at once.
  exitGracefullyOnSignal(() => server.shutdown(), {
    timeoutSeconds: config.gracefulTimeout,
    onSignal: (signal) => info(`${signal}: finishing the requests in flight, then stopping`),
    onTimeout: (seconds) => errorLog(`Requests still in flight after ${seconds} s were cut short`),
  });
  console.log(`edge-wsgi listening on ${server.url}`);
}

// A worker listens with reusePort beside its siblings, and a replacement beside the worker it
// replaces; a server alone must not share its port with a stranger.
function listen(
  config: Config,
  fetch: Parameters<typeof createRetiringFetch>[0],
  reusePort: boolean,
): Server {
  try {
    return serve({ fetch }, {
      port: config.port,
      hostname: config.hostname,
      reusePort,
      accessLog: config.accessLog ?? undefined,
      forwardedAllowIps: config.forwardedAllowIps,
      logger: errorLog,
      onListen() {},
      handleSignals: false,
    });
  } catch (error) {
    console.error(
      `edge-wsgi: cannot listen on ${config.hostname}:${config.port}: ${(error as Error).message}`,
    );
    process.exit(1);
  }
}

async function finishWithin(server: Server, ms: number, seconds: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = await Promise.race([
    server.shutdown().then(() => false),
    new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(true), Math.max(0, ms))),
  ]);
  clearTimeout(timer);
  if (late) errorLog(`Requests still in flight after ${seconds} s were cut short`);
}
