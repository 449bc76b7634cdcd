/**
 * What the runtime knows of a connection, read from whatever it passed beside the request.
 *
 * @module
 */

import type { ConnInfo, NetAddr, PeerAddr } from "./types.ts";

// Bun passes its `Server` as the fetch handler's second argument; declared here so that
// type-checking needs no Bun types (as oak does).
interface BunServerLike {
  requestIP(request: Request): { address: string; port: number } | null;
  hostname?: string;
  port?: number;
}

/**
 * Reads the connection info from the second argument a runtime gives a fetch handler:
 * our own `ConnInfo`, Deno's `ServeHandlerInfo` (which has `remoteAddr`), or Bun's `Server`
 * (which has `requestIP()`, asked only when the peer is: it costs Bun 1–2 µs a request, which
 * an app that never reads `REMOTE_ADDR` need not pay). Anything else gives `{}`.
 */
export function connInfoOf(request: Request, info: unknown): ConnInfo {
  if (info === null || typeof info !== "object") return {};
  const bun = info as BunServerLike;
  if (typeof bun.requestIP === "function") {
    return {
      peer() {
        const peer = bun.requestIP(request);
        return peer ? { hostname: peer.address, port: peer.port } : undefined;
      },
      localAddr: bun.hostname !== undefined && bun.port !== undefined
        ? { hostname: bun.hostname, port: bun.port }
        : undefined,
    };
  }
  const given = info as ConnInfo;
  // Already our shape (serve() passes one): used as it is, with no copy per request.
  if (
    (isPeerAddr(given.remoteAddr) || typeof given.peer === "function") &&
    (given.localAddr === undefined || isNetAddr(given.localAddr)) &&
    (given.protocol === undefined || typeof given.protocol === "string") &&
    (given.scheme === undefined || given.scheme === "http" || given.scheme === "https") &&
    (given.waitUntil === undefined || typeof given.waitUntil === "function")
  ) {
    return given;
  }
  return {
    remoteAddr: isPeerAddr(given.remoteAddr) ? given.remoteAddr : undefined,
    localAddr: isNetAddr(given.localAddr) ? given.localAddr : undefined,
    protocol: typeof given.protocol === "string" ? given.protocol : undefined,
    waitUntil: typeof given.waitUntil === "function" ? given.waitUntil : undefined,
  };
}

function isPeerAddr(value: unknown): value is PeerAddr {
  const port = (value as PeerAddr)?.port;
  return typeof (value as PeerAddr)?.hostname === "string" &&
    (port === undefined || typeof port === "number");
}

function isNetAddr(value: unknown): value is NetAddr {
  return typeof (value as NetAddr)?.hostname === "string" &&
    typeof (value as NetAddr)?.port === "number";
}
