/**
 * What a worker and its arbiter say to each other over the IPC channel of `node:child_process`
 * (JSON messages; Deno and Bun both implement it). Nothing crosses it per request.
 *
 * @module
 */

/**
 * A worker's message to its arbiter: `ready` once it listens; `tick` every
 * {@linkcode HEARTBEAT_MS}, proving its event loop runs (with its resident memory, for
 * `--max-worker-memory`); `retire` when it wants replacing (`--max-requests`); `closed` once a
 * retiring worker has drained and stopped listening (it may still finish requests in flight).
 *
 * @example
 * ```ts
 * import type { WorkerMessage } from "./worker_messages.ts";
 * const tick: WorkerMessage = { type: "tick", rss: 52_000_000 };
 * ```
 */
export type WorkerMessage =
  | { type: "ready" }
  | { type: "tick"; rss: number }
  | { type: "retire"; reason: string }
  | { type: "closed" };

/**
 * The arbiter's message to a worker: `retire` once its replacement listens (drain, finish the
 * requests in flight, exit).
 *
 * @example
 * ```ts
 * import type { ArbiterMessage } from "./worker_messages.ts";
 * const retire: ArbiterMessage = { type: "retire" };
 * ```
 */
export type ArbiterMessage = { type: "retire" };

/**
 * How often a worker sends its heartbeat, in ms.
 *
 * @example
 * ```ts
 * import { HEARTBEAT_MS } from "./worker_messages.ts";
 * setInterval(() => {}, HEARTBEAT_MS);
 * ```
 */
export const HEARTBEAT_MS = 1000;
