/**
 * The command line's error log: gunicorn-style lines on standard error, with a timestamp.
 *
 * @module
 */

import { timestamped } from "../../base/log_line.ts";
import type { Logger } from "../../core/types.ts";

export { timestamped };

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
