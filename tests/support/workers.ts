/**
 * Helpers for the tests of the arbiter: its workers' process ids as its log names them, and
 * waiting on a condition (an event, never a fixed sleep).
 *
 * @module
 */

import { existsSync } from "node:fs";

/** The pids of the workers the arbiter booted so far, in order, from its log. */
export function bootedPids(stderr: string): number[] {
  return [...stderr.matchAll(/Booting worker with pid (\d+)/g)].map((match) => Number(match[1]));
}

/** Resolves once `check()` is true; rejects with `what` after `ms`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  ms = 20_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Resolves once the process `pid` has ended and been reaped (no zombie left either). */
export function gone(pid: number, ms = 20_000): Promise<void> {
  return until(() => !existsSync(`/proc/${pid}`), `process ${pid} to end`, ms);
}

/**
 * Resolves with the time (ms since the epoch) `pid` was first seen reaped, polling every 2 ms.
 * Not its first zombie state: the leader of a killed multi-threaded process turns zombie while its
 * other threads, and the sockets they share, are still being torn down.
 */
export async function whenGone(pid: number): Promise<number> {
  while (existsSync(`/proc/${pid}`)) await new Promise((resolve) => setTimeout(resolve, 2));
  return Date.now();
}

/** How many times `pattern` occurs in `text`. */
export function count(text: string, pattern: RegExp): number {
  return [...text.matchAll(new RegExp(pattern.source, "g"))].length;
}
