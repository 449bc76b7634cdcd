/**
 * One worker process as the arbiter sees it: started with an IPC channel and the terminal's
 * standard output and error (so its log lines cost the arbiter nothing), and what the arbiter
 * knows of it.
 *
 * @module
 */

import { spawn } from "node:child_process";
import process from "node:process";
import type { ArbiterMessage, WorkerMessage } from "./worker_messages.ts";

/** A worker process the arbiter started. */
export interface WorkerProcess {
  pid: number;
  /** When it was started, in ms since the epoch. */
  startedAt: number;
  /** When it reported that it listens; `undefined` while it boots. */
  readyAt?: number;
  /** Its last sign of life (start, `ready`, heartbeat). */
  lastTick: number;
  /** Why it is to be replaced (`--max-requests`, memory, SIGHUP), once decided. */
  due?: string;
  /** Whether it was told to stop: retired once replaced, or SIGTERM for all. */
  stopping: boolean;
  /** Whether a retiring worker has drained and stopped listening. */
  closed: boolean;
  /** Whether the arbiter killed it (and logged why), so its exit needs no line. */
  killed: boolean;
  /** The SIGKILL planned for a stopping worker that overstays. */
  killTimer?: ReturnType<typeof setTimeout>;
  send(message: ArbiterMessage): void;
  /** Sends a signal; nothing when the process is gone. */
  signal(signal: NodeJS.Signals): void;
}

/** What the arbiter hears from a worker. */
export interface WorkerEvents {
  message(worker: WorkerProcess, message: WorkerMessage): void;
  /** The process ended: `code` when it exited, `signal` when a signal killed it. */
  exit(worker: WorkerProcess, code: number | null, signal: string | null): void;
}

/**
 * Starts a worker: `command` with `env`, standard input closed, standard output and error
 * inherited, and an IPC channel.
 *
 * @param command The program and its arguments, such as `["deno", "run", "-A", "mod.ts"]`
 * @param env The worker's whole environment
 * @param events Where its messages and its exit go
 * @returns The worker
 * @throws {Error} When the program cannot be started at all
 * @example
 * ```ts ignore
 * import { startWorker } from "./worker_process.ts";
 * const worker = startWorker(["bun", "run", "mod.ts"], { ...process.env }, {
 *   message: (worker, message) => console.log(worker.pid, message.type),
 *   exit: (worker, code) => console.log(worker.pid, "exited", code),
 * });
 * ```
 */
export function startWorker(
  command: string[],
  env: Record<string, string | undefined>,
  events: WorkerEvents,
): WorkerProcess {
  const child = spawn(command[0], command.slice(1), {
    env,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const now = Date.now();
  const worker: WorkerProcess = {
    pid: child.pid ?? 0,
    startedAt: now,
    lastTick: now,
    stopping: false,
    closed: false,
    killed: false,
    send(message) {
      if (child.connected) child.send(message);
    },
    signal(signal) {
      // Deno's ChildProcess.kill() sends one signal only; process.kill() sends any number.
      try {
        process.kill(worker.pid, signal);
      } catch {
        // Already gone.
      }
    },
  };
  let exited = false;
  const exit = (code: number | null, signal: string | null) => {
    if (exited) return;
    exited = true;
    events.exit(worker, code, signal);
  };
  child.on("message", (message: WorkerMessage) => events.message(worker, message));
  child.on("exit", exit);
  // A program that cannot start emits only "error": reported as an exit, as a shell would.
  child.on("error", () => {
    if (child.exitCode === null && child.signalCode === null && child.pid === undefined) {
      exit(127, null);
    }
  });
  return worker;
}
