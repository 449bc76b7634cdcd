/**
 * A worker's request handler, wrapped so the worker can retire without failing a request: it
 * counts requests (for `--max-requests`), and once told to drain it answers every request with
 * `Connection: close` until its clients have gone elsewhere.
 *
 * @module
 */

import type { ConnInfo } from "../../core/types.ts";

type Fetch = (request: Request, info: ConnInfo) => Response | Promise<Response>;

/** Options for {@linkcode createRetiringFetch}. */
export interface RetiringFetchOptions {
  /** Requests after which `onLimit` is called, once; `0` (the default) never. */
  maxRequests?: number;
  /** Told when the worker has served `maxRequests` requests. */
  onLimit?: () => void;
}

/** A handler that can drain; see {@linkcode createRetiringFetch}. */
export interface RetiringFetch {
  fetch: Fetch;
  /**
   * From now on every response carries `Connection: close`. Resolves once no request is
   * pending and none has arrived for a while (the worker's clients have reconnected, to other
   * workers), or after `limitMs` at most.
   */
  drain(limitMs: number): Promise<void>;
}

// How long a draining worker must see no new request before it stops listening: a keep-alive
// client sends its next request right after a response (wrk: microseconds; a proxy: its round
// trip), so this outlasts that gap by far.
const QUIET_MS = 500;
const POLL_MS = 50;

/**
 * Wraps `fetch` for a worker that may be replaced while it serves.
 *
 * Why: with `SO_REUSEPORT`, each worker has its own listening socket and accept queue. A worker
 * that simply stopped listening and closed its idle keep-alive connections (what `Deno.serve`'s
 * `shutdown()` and Bun's `stop()` do) would reset the requests its clients had already sent on
 * them. Told to drain, it first tells each client to close (`Connection: close`, RFC 9112 §9.6),
 * so the clients reconnect to the new worker, and stops listening once they have gone.
 *
 * @param fetch The worker's handler
 * @param options The request limit and what to do at it
 * @returns The wrapped handler and its `drain()`
 * @example
 * ```ts
 * import { createRetiringFetch } from "./retiring_fetch.ts";
 * const worker = createRetiringFetch(() => new Response("ok"), {
 *   maxRequests: 1000,
 *   onLimit: () => console.error("time to replace this worker"),
 * });
 * const response = await worker.fetch(new Request("http://localhost/"), {});
 * await worker.drain(5000);
 * ```
 */
export function createRetiringFetch(
  fetch: Fetch,
  options: RetiringFetchOptions = {},
): RetiringFetch {
  const limit = options.maxRequests || Infinity;
  let started = 0;
  let pending = 0;
  let draining = false;
  // Only a promise needs watching: a Response returned at once is answered in the same tick.
  const settled = (response: Response) => {
    pending--;
    return draining ? closing(response) : response;
  };
  const failed = (error: unknown) => {
    pending--;
    throw error;
  };

  return {
    fetch: function retiringFetch(request, info) {
      if (++started === limit) options.onLimit?.();
      const response = fetch(request, info);
      if (response instanceof Response) return draining ? closing(response) : response;
      pending++;
      return response.then(settled, failed);
    },
    drain(limitMs) {
      draining = true;
      const deadline = Date.now() + limitMs;
      return new Promise((resolve) => {
        let seen = started;
        let quietSince = Date.now();
        const poll = setInterval(() => {
          const now = Date.now();
          if (started !== seen) {
            seen = started;
            quietSince = now;
          }
          if ((pending === 0 && now - quietSince >= QUIET_MS) || now >= deadline) {
            clearInterval(poll);
            resolve();
          }
        }, POLL_MS);
      });
    },
  };
}

function closing(response: Response): Response {
  try {
    response.headers.set("Connection", "close");
    return response;
  } catch {
    // The headers of a Response.redirect() are immutable: copy it.
    const headers = new Headers(response.headers);
    headers.set("Connection", "close");
    try {
      return new Response(response.body, {
        status: response.status,
        statusText: response.statusText,
        headers,
      });
    } catch {
      return response; // Response.error(), status 0: no HTTP response to mark.
    }
  }
}
