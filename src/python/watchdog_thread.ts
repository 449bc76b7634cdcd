/**
 * The watchdog's thread (watchdog.ts): it samples the main thread's words a few times a second;
 * one call holding the thread past the timeout is interrupted (SIGINT, again each second),
 * and past the grace period the process is killed after one line on standard error, written
 * here because the main thread, stuck in Python, can write nothing.
 *
 * @module
 */

import { writeSync } from "node:fs";
import process from "node:process";
import { workerData } from "node:worker_threads";
import { timestamped } from "../base/log_line.ts";

const INTERRUPT = 0;
const EPOCH = 1;
const BUSY = 2;
const SIGINT = 2;

const { shared, timeoutMs, graceMs } = workerData as {
  shared: Int32Array;
  timeoutMs: number;
  graceMs: number;
};
// A tenth of the timeout, so an interrupt comes at most 10% late, and at least every 250 ms.
const TICK_MS = Math.max(10, Math.min(250, timeoutMs / 10));

let seen = -1;
let since = 0;
let interrupted = 0;

setInterval(function watch() {
  const epoch = Atomics.load(shared, EPOCH);
  const now = Date.now();
  if (epoch !== seen) {
    seen = epoch;
    since = now;
    interrupted = 0;
    return;
  }
  if (Atomics.load(shared, BUSY) === 0) return;
  const held = now - since;
  if (held >= timeoutMs + graceMs) {
    writeSync(
      2,
      timestamped(
        "CRITICAL",
        `WORKER TIMEOUT: Python has held this worker for ${Math.round(held / 1000)} s ` +
          `(--timeout ${timeoutMs / 1000}) and did not stop when interrupted; killing it`,
      ) + "\n",
    );
    process.kill(process.pid, "SIGKILL");
    return;
  }
  if (held >= timeoutMs && now - interrupted >= 1000) {
    interrupted = now;
    Atomics.store(shared, INTERRUPT, SIGINT);
    Atomics.notify(shared, INTERRUPT);
    // Python gave the thread back meanwhile: the interrupt is no one's.
    if (Atomics.load(shared, EPOCH) !== epoch) {
      Atomics.compareExchange(shared, INTERRUPT, SIGINT, 0);
    }
  }
}, TICK_MS);
