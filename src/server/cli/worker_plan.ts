/**
 * The arbiter's one decision, as a pure function: given its workers and how many it should run,
 * how many to start and which to retire. Replacements go one at a time, each old worker retired
 * only once a new one listens, so the port never has fewer workers than asked for.
 *
 * @module
 */

/** What the plan needs to know of a worker. */
export interface PlannedWorker {
  /** When it started, in ms: the oldest is retired first. */
  startedAt: number;
  /** When it reported that it listens; `undefined` while it boots. */
  readyAt?: number;
  /** Why it is to be replaced, once decided. */
  due?: string;
  /** Whether it was already told to stop. */
  stopping: boolean;
  /** Whether, told to stop, it has stopped listening. */
  closed: boolean;
}

/** What to do now. */
export interface WorkerPlan<W> {
  /** How many workers to start. */
  start: number;
  /** Which workers to retire (drain, finish, exit). */
  retire: W[];
}

/**
 * Plans the next step towards `target` workers that are not due for replacement.
 *
 * - Workers are missing (a crash, SIGTTIN, the start): start them all at once.
 * - Workers are due (`--max-requests`, memory, SIGHUP): start one replacement at a time, once
 *   no retiring worker still listens. With `SO_REUSEPORT` a closing listener resets the
 *   connections in its accept queue: the clients a retiring worker sends away must not land on
 *   another that is closing.
 * - More workers listen than `target` (a replacement listens, SIGTTOU): retire the surplus,
 *   due ones first, then the oldest.
 *
 * @param workers Every worker still running, stopping or not
 * @param target How many workers should serve
 * @returns How many to start and which to retire
 * @example
 * ```ts
 * import { planWorkers } from "./worker_plan.ts";
 * const old = { startedAt: 1, readyAt: 2, due: "SIGHUP", stopping: false, closed: false };
 * const fresh = { startedAt: 3, readyAt: 4, stopping: false, closed: false };
 * planWorkers([old, fresh], 1); // { start: 0, retire: [old] }
 * ```
 */
export function planWorkers<W extends PlannedWorker>(workers: W[], target: number): WorkerPlan<W> {
  const live = workers.filter((worker) => !worker.stopping);
  const ready = live.filter((worker) => worker.readyAt !== undefined)
    .sort((a, b) => Number(!a.due) - Number(!b.due) || a.startedAt - b.startedAt);
  const retire = ready.slice(0, Math.max(0, ready.length - target));
  const staying = live.filter((worker) => !retire.includes(worker));
  const fresh = staying.filter((worker) => !worker.due);
  const due = staying.length - fresh.length;
  const booting = staying.some((worker) => worker.readyAt === undefined);
  const draining = retire.length > 0 || workers.some((worker) => worker.stopping && !worker.closed);
  let start = target - staying.length;
  if (start <= 0 && due > 0 && !booting && !draining && fresh.length < target) start = 1;
  return { start: Math.max(0, start), retire };
}
