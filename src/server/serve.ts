/**
 * `serve()`: the `make_server` of edge-wsgi, on Deno or Bun.
 *
 * @module
 */

import { type FetchHandlerOptions, toFetchHandler } from "../core/handler.ts";
import process from "node:process";
import { withAccessLog } from "./access_log.ts";
import { forwardedClient } from "../core/forwarded.ts";
import { createIpMatcher, type IpMatcher } from "../core/ip_matcher.ts";
import { currentRuntime, type RuntimeHandler } from "../runtime/mod.ts";
import { stderrLogger } from "../core/errors_stream.ts";
import { exitGracefullyOnSignal } from "./graceful.ts";
import { writeStdoutLine } from "./stdout_line.ts";
import type { ConnInfo, WsgiApp } from "../core/types.ts";

/** Anything with a Fetch `fetch(request, info)` method: a Hono app, `{ fetch: handler }`. */
export interface FetchApp {
  fetch(request: Request, info?: ConnInfo): Response | Promise<Response>;
}

/** Options for {@linkcode serve}. */
export interface ServeOptions extends Omit<FetchHandlerOptions, "scriptName"> {
  /** The port to listen on; `0` picks a free one. Defaults to `8000`. */
  port?: number;
  /** The address to listen on. Defaults to `"127.0.0.1"`. */
  hostname?: string;
  /** Lets several processes share the port (`SO_REUSEPORT`), for workers. Defaults to `false`. */
  reusePort?: boolean;
  /**
   * Logs a line per request in gunicorn's format language (`%(h)s %(r)s %(s)s`…) to
   * `accessLogger`. Defaults to no access log.
   */
  accessLog?: string;
  /** Receives access-log lines; defaults to standard output. */
  accessLogger?: (line: string) => void;
  /**
   * Called once the server listens. Defaults to printing `Listening on http://127.0.0.1:8000/`
   * to standard output, as `Deno.serve` and Python's `wsgiref.simple_server` do; pass
   * `onListen() {}` for silence.
   */
  onListen?: (server: Server) => void;
  /**
   * On SIGINT (Ctrl-C) or SIGTERM: stop accepting connections, let the requests in flight
   * finish (for at most `gracefulTimeout` seconds), then exit the process with 0, as the command
   * line does; a second Ctrl-C stops at once. Defaults to `true`; `false` leaves signals alone
   * (for a program that runs several servers or must clean up more before it exits).
   */
  handleSignals?: boolean;
  /** How long requests in flight may take to finish after a signal, in seconds. Defaults to `30`. */
  gracefulTimeout?: number;
}

/** A running server. */
export interface Server {
  /** The address it listens on. */
  hostname: string;
  /** The port it listens on (the one picked, when `0` was asked). */
  port: number;
  /** Its base URL, such as `http://127.0.0.1:8000/`. */
  url: string;
  /** Stops accepting connections, lets requests in flight finish, then resolves. */
  shutdown(): Promise<void>;
}

/**
 * Starts serving a WSGI-style app, or a Fetch app such as `createApp()`'s Hono app, on the
 * current runtime. A function is taken as a WSGI app; an object with `fetch` as a Fetch app.
 * It prints where it listens and, on Ctrl-C or SIGTERM, finishes the requests in flight before
 * the process exits (see `onListen` and `handleSignals`).
 *
 * @param app A WSGI app, or an object with a `fetch(request, info)` method
 * @param options Port, hostname, and the handler's options for a WSGI app
 * @returns The running server
 * @throws {RangeError} When the port is not an integer from 0 to 65535
 * @example
 * ```ts
 * import { serve, type WsgiApp } from "../mod.ts";
 * const hello: WsgiApp = (_environ, startResponse) => {
 *   startResponse("200 OK", [["Content-Type", "text/plain"]]);
 *   return ["Hello, World!\n"];
 * };
 * const server = serve(hello, { port: 0 }); // prints "Listening on http://127.0.0.1:…/"
 * await server.shutdown();
 * ```
 */
export function serve(app: WsgiApp | FetchApp, options: ServeOptions = {}): Server {
  const port = options.port ?? 8000;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`Port must be an integer from 0 to 65535, not ${String(port)}`);
  }
  const hostname = options.hostname ?? "127.0.0.1";
  let fetch: RuntimeHandler = typeof app === "function"
    ? toFetchHandler(app, options)
    : (request: Request, info: ConnInfo) => app.fetch(request, info);
  if (options.accessLog) {
    const trusted = createIpMatcher(options.forwardedAllowIps ?? []);
    fetch = withAccessLog(fetch, {
      format: options.accessLog,
      write: options.accessLogger ?? writeStdoutLine,
      clientAddress: (request, info) => clientAddress(request, info, trusted),
      pid: process.pid,
    });
  }
  const logger = options.logger ?? stderrLogger;
  const server = currentRuntime().serve(fetch, {
    port,
    hostname,
    reusePort: options.reusePort,
    logger,
  });
  const host = server.hostname.includes(":") ? `[${server.hostname}]` : server.hostname;
  const stopOnSignal = options.handleSignals === false
    ? undefined
    : exitGracefullyOnSignal(() => server.shutdown(), {
      timeoutSeconds: options.gracefulTimeout,
      onTimeout: (seconds) => logger(`Requests still in flight after ${seconds} s were cut short`),
    });
  const running: Server = {
    hostname: server.hostname,
    port: server.port,
    url: `http://${host}:${server.port}/`,
    shutdown() {
      stopOnSignal?.();
      return server.shutdown();
    },
  };
  if (options.onListen) options.onListen(running);
  else console.log(`Listening on ${running.url}`);
  return running;
}

/** The client as the access log names it: the peer, or what a trusted proxy says it forwarded. */
export function clientAddress(
  request: Request,
  info: ConnInfo,
  trusted: IpMatcher,
): string | undefined {
  const peer = (info.remoteAddr ?? info.peer?.())?.hostname;
  const forwardedFor = request.headers.get("x-forwarded-for");
  if (peer === undefined || !forwardedFor || !trusted(peer)) return peer;
  return forwardedClient(forwardedFor, trusted) ?? peer;
}
