/**
 * An environ's `REMOTE_ADDR` and `REMOTE_PORT`: at once, or on Bun when an app first reads them.
 *
 * @module
 */

import { isBun } from "../runtime/bun.ts";
import { unmapIpv4 } from "./address.ts";
import type { ConnInfo, Environ, PeerAddr } from "./types.ts";

/**
 * Whether the environ's costly keys are made when an app first reads them: JavaScriptCore makes
 * an AbortController and Bun's requestIP() costly (a microsecond or so), and V8 makes an
 * accessor property costly (a microsecond or more: it leaves the fast object shape). So on Bun
 * `edge_wsgi.signal` and the peer's address are accessors, and on Deno they are made at once.
 * Either way they are own, enumerable, writable properties, as on a plain dict.
 *
 * @example
 * ```ts
 * import { LAZY_ACCESSORS } from "./environ_remote.ts";
 * LAZY_ACCESSORS; // true on Bun
 * ```
 */
export const LAZY_ACCESSORS: boolean = isBun();

/**
 * Sets `REMOTE_ADDR` and `REMOTE_PORT` from what the runtime knows of the peer: last, after the
 * headers, where they come in the environ's order.
 *
 * @param environ The environ being built
 * @param info What the runtime passed beside the request
 * @example
 * ```ts
 * import { setRemote } from "./environ_remote.ts";
 * import { toEnviron } from "./environ.ts";
 * const environ = toEnviron(new Request("http://x/"));
 * setRemote(environ, { remoteAddr: { hostname: "::ffff:192.0.2.7", port: 5000 } });
 * environ.REMOTE_ADDR; // "192.0.2.7"
 * ```
 */
export function setRemote(environ: Environ, info: ConnInfo | undefined): void {
  const remote = info?.remoteAddr;
  if (remote) {
    environ.REMOTE_ADDR = clientAddress(remote);
    // Workers tell the address only: no port is better than a made-up one (CGI makes it optional).
    if (remote.port !== undefined) environ.REMOTE_PORT = String(remote.port);
    return;
  }
  const peer = info?.peer;
  if (!peer) return;
  if (!LAZY_ACCESSORS) {
    const found = peer();
    if (found) {
      environ.REMOTE_ADDR = clientAddress(found);
      if (found.port !== undefined) environ.REMOTE_PORT = String(found.port);
    }
    return;
  }
  // On Bun the lookup is made when REMOTE_ADDR or REMOTE_PORT is first read (JavaScriptCore's
  // accessors are cheap); the keys are there either way, writable like any other. Written out
  // twice: a loop over a table of the two keys, with a closure more per key, cost more.
  let found: PeerAddr | undefined | null = null;
  let address: string | undefined;
  let port: string | undefined;
  let addressSet = false;
  let portSet = false;
  Object.defineProperty(environ, "REMOTE_ADDR", {
    get: () => {
      if (addressSet) return address;
      const remote = found === null ? found = peer() : found;
      return remote && clientAddress(remote);
    },
    set: (given: string) => {
      address = given;
      addressSet = true;
    },
    enumerable: true,
    configurable: true,
  });
  Object.defineProperty(environ, "REMOTE_PORT", {
    get: () => {
      if (portSet) return port;
      const remote = found === null ? found = peer() : found;
      return remote?.port === undefined ? undefined : String(remote.port);
    },
    set: (given: string) => {
      port = given;
      portSet = true;
    },
    enumerable: true,
    configurable: true,
  });
}

function clientAddress(peer: PeerAddr): string {
  return unmapIpv4(peer.hostname);
}
