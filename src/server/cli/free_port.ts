/**
 * Finding the port every worker will share, before any of them starts.
 *
 * @module
 */

import { createServer } from "node:net";

/**
 * A port that is free now on `hostname`: `port`, or any when it is `0`. Tried by the arbiter
 * first, so a port in use is one line, not an error from every worker, and so workers listening
 * with `reusePort` never join a stranger's socket.
 *
 * @param hostname The address to listen on
 * @param port The port wanted; `0` for any
 * @returns The port, free when tried
 * @throws {Error} When `port` is taken (the runtime's `EADDRINUSE` error) or the address is not
 * one of this host's
 * @example
 * ```ts
 * import { freePort } from "./free_port.ts";
 * const port = await freePort("127.0.0.1"); // such as 41873
 * ```
 */
export function freePort(hostname: string, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(port, hostname, () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
