/**
 * The command line's error log: gunicorn-style lines on standard error, with a timestamp.
 *
 * @module
 */

import process from "node:process";
import type { Logger } from "../../core/types.ts";

/** `[2026-11-21 18:58:01 +0000] [pid] [LEVEL] message` */
export function timestamped(level: string, message: string): string {
  const time = new Date().toISOString().replace("T", " ").slice(0, 19);
  return `[${time} +0000] [${process.pid}] [${level}] ${message}`;
}

/** The error log: each line to standard error, stamped. */
export const errorLog: Logger = function errorLog(line) {
  console.error(timestamped("ERROR", line));
};

/** An informational line to standard error, stamped. */
export function info(message: string): void {
  console.error(timestamped("INFO", message));
}

/** A warning line to standard error, stamped (Python's warnings, say). */
export function warning(message: string): void {
  console.error(timestamped("WARNING", message));
}
