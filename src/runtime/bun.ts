/**
 * The Bun runtime: `Bun.serve` and `Bun.file`.
 *
 * @module
 */

import process from "node:process";
import { describe } from "../core/describe_error.ts";
import { stderrLogger } from "../core/errors_stream.ts";
import type { Runtime } from "./types.ts";

// Bun's API, declared with just what we use, so type-checking needs no Bun types (as oak does).
interface BunServer {
  hostname: string;
  port: number;
  requestIP(request: Request): { address: string; port: number } | null;
  stop(closeActiveConnections?: boolean): Promise<void>;
}
interface BunGlobal {
  serve(options: {
    port: number;
    hostname: string;
    reusePort?: boolean;
    idleTimeout?: number;
    maxRequestBodySize?: number;
    fetch(request: Request, server: BunServer): Response | Promise<Response>;
    error?(error: Error): Response;
  }): BunServer;
  file(path: string): Blob;
}

function bun(): BunGlobal {
  return (globalThis as unknown as { Bun: BunGlobal }).Bun;
}

/** Tells whether this is Bun. */
export function isBun(): boolean {
  return typeof (globalThis as { Bun?: unknown }).Bun !== "undefined";
}

// Bun closes a connection idle this many seconds (its default is 10): long enough for an app
// that streams slowly, like gunicorn's 30-second worker timeout.
const IDLE_TIMEOUT_SECONDS = 30;

// Bun refuses a body past 128 MiB by default, itself: an empty 413 that no access or error log
// sees, whatever --max-body-size says. edge-wsgi's handler enforces the limit (413 before the app
// for a declared Content-Length, while reading for a chunked body), so Bun's own cap is set past
// any body, as Deno has none: a cap at --max-body-size would still answer first, unlogged, for
// every declared length over it.
const NO_BODY_CAP = Number.MAX_SAFE_INTEGER;

/** Bun's I/O for edge-wsgi. */
export const bunRuntime: Runtime = {
  name: "bun",
  textBodies: false,
  dropsPipelinedBehindPending: true,

  serve(handler, { port, hostname, reusePort, logger = stderrLogger }) {
    let local: { hostname: string; port: number } | undefined;
    const server = bun().serve({
      port,
      hostname,
      reusePort,
      idleTimeout: IDLE_TIMEOUT_SECONDS,
      maxRequestBodySize: NO_BODY_CAP,
      fetch(request, server) {
        // requestIP() costs about a microsecond: looked up only when something asks.
        return handler(request, {
          peer() {
            const peer = server.requestIP(request);
            return peer ? { hostname: peer.address, port: peer.port } : undefined;
          },
          localAddr: local ??= { hostname: server.hostname, port: server.port },
        });
      },
      error(error) {
        // A response body edge-wsgi aborted after logging why carries no reason (respond.ts).
        if (error !== undefined) logger(`Error in a request: ${describe(error)}`);
        return new Response("Internal Server Error\n", { status: 500 });
      },
    });
    return {
      hostname: server.hostname,
      port: server.port,
      async shutdown() {
        await server.stop(false);
      },
    };
  },

  fileBody(path, start, end, _whole) {
    // A Bun file is read when the response is sent (with sendfile where it can be).
    return bun().file(path).slice(start, end + 1);
  },

  // --low-memory changes nothing here: JavaScriptCore's optimising tier for WebAssembly (OMG)
  // adds no memory one can measure to a Python worker (under 2 MiB with and without it).
  processCommand(entry) {
    return [process.execPath, "run", entry];
  },
};
