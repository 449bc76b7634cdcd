/**
 * The watchdog of `--timeout`: Python that holds the process longer is interrupted from another
 * thread, and a process Python will not give back is ended.
 *
 * Python runs on the main thread, one call at a time, where it is fastest; while it runs, nothing
 * else in the process does (no timer, no other request). So the clock is a thread of its own
 * (`node:worker_threads`, on Deno and Bun alike), which reads two shared words: a flag, set while
 * Python holds the thread, and a counter the main thread bumps whenever a call into Python starts,
 * resumes, returns or suspends (on a read of the request body). The flag set and the counter
 * still for longer than the timeout means one call has held the thread that long without a
 * pause (many requests passing through Python back to back are each a call of their own, however
 * long Python stays busy in all): the watchdog writes SIGINT into Pyodide's interrupt buffer, which
 * Python's eval loop checks every few dozen instructions, and bridge.py's handler raises
 * `WorkerTimeout` there. If Python has not given the thread back after a grace period (C code
 * that never checks, a JavaScript call that never returns), the thread writes one line and kills
 * the process: the arbiter starts another, as gunicorn's does for a WORKER TIMEOUT.
 *
 * @module
 */

import { Worker } from "node:worker_threads";

/** Options for {@linkcode createWatchdog}. */
export interface WatchdogOptions {
  /** Seconds Python may hold the thread; `0` starts no thread (nothing is ever interrupted). */
  timeoutSeconds: number;
  /**
   * Seconds after the interrupt before the process is killed, if Python still holds the
   * thread. Defaults to 5: less than the arbiter's heartbeat, which gives a worker 10 s more.
   */
  graceSeconds?: number;
}

/** The main thread's side of the watchdog. */
export interface Watchdog {
  /** Pyodide's interrupt buffer (`setInterruptBuffer`): the thread writes 2 (SIGINT) into it. */
  readonly interrupt: Int32Array;
  /** Python takes the thread (calls nest: only the outermost counts). */
  enter(): void;
  /** Python gives the thread back. */
  leave(): void;
  /** Forgets the calls in progress: after a fatal error none of them will ever leave. */
  reset(): void;
  /**
   * Blocks the thread for `seconds` without spinning, waking at once for an interrupt: Python's
   * `time.sleep`. Returns whether an interrupt woke it (Python then raises).
   */
  sleep(seconds: number): boolean;
  /** Stops the thread. */
  close(): void;
}

// The shared words: Pyodide's interrupt buffer, the counter of calls' starts and ends, and the
// flag of Python holding the thread.
const INTERRUPT = 0;
const EPOCH = 1;
const BUSY = 2;

/**
 * Starts the watchdog thread (none when the timeout is 0); it never keeps the process alive.
 *
 * @param options The timeout and the grace period, in seconds
 * @returns The main thread's side
 * @example
 * ```ts ignore
 * const watchdog = createWatchdog({ timeoutSeconds: 30 });
 * pyodide.setInterruptBuffer(watchdog.interrupt);
 * watchdog.enter();
 * try {
 *   pyodide.runPython("while True: pass"); // interrupted after 30 s
 * } finally {
 *   watchdog.leave();
 * }
 * ```
 */
export function createWatchdog(options: WatchdogOptions): Watchdog {
  const shared = new Int32Array(new SharedArrayBuffer(12));
  const interrupt = shared.subarray(INTERRUPT, INTERRUPT + 1);
  let thread: Worker | undefined;
  if (options.timeoutSeconds > 0) {
    thread = new Worker(new URL("./watchdog_thread.ts", import.meta.url), {
      workerData: {
        shared,
        timeoutMs: options.timeoutSeconds * 1000,
        graceMs: (options.graceSeconds ?? 5) * 1000,
      },
    });
    thread.unref();
  }
  let depth = 0;
  return {
    interrupt,
    enter() {
      // An interrupt meant for a call that has paused or ended since must not hit this one.
      if (shared[INTERRUPT] !== 0) Atomics.store(shared, INTERRUPT, 0);
      Atomics.add(shared, EPOCH, 1);
      if (depth++ === 0) Atomics.store(shared, BUSY, 1);
    },
    leave() {
      Atomics.add(shared, EPOCH, 1);
      if (--depth === 0) Atomics.store(shared, BUSY, 0);
    },
    reset() {
      depth = 0;
      Atomics.store(shared, BUSY, 0);
      Atomics.add(shared, EPOCH, 1);
    },
    sleep(seconds) {
      const until = Date.now() + seconds * 1000;
      let left = until - Date.now();
      while (left > 0 && Atomics.load(shared, INTERRUPT) === 0) {
        Atomics.wait(shared, INTERRUPT, 0, Math.min(left, 2 ** 31 - 1));
        left = until - Date.now();
      }
      return Atomics.load(shared, INTERRUPT) !== 0;
    },
    close() {
      thread?.terminate();
    },
  };
}
