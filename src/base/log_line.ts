/**
 * The error log's line format, gunicorn's: shared by the command line's log and by the Python
 * watchdog's thread, which must write its last line itself when the main thread is stuck.
 *
 * @module
 */

import process from "node:process";

/**
 * A log line stamped as gunicorn stamps its own.
 *
 * @param level `INFO`, `ERROR`, `CRITICAL`…
 * @param message The line
 * @returns `[2026-11-21 18:58:01 +0000] [pid] [LEVEL] message`
 * @example
 * ```ts
 * import { timestamped } from "./log_line.ts";
 * timestamped("INFO", "Booting worker"); // "[2026-12-06 20:15:53 +0000] [4242] [INFO] Booting worker"
 * ```
 */
export function timestamped(level: string, message: string): string {
  const time = new Date().toISOString().replace("T", " ").slice(0, 19);
  return `[${time} +0000] [${process.pid}] [${level}] ${message}`;
}
