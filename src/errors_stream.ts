/**
 * `wsgi.errors`: a text stream whose complete lines go to the server's error log.
 *
 * @module
 */

import type { Logger, WsgiErrors } from "./types.ts";

/** Writes each line to standard error: the server's error log unless a logger is given. */
export const stderrLogger: Logger = function stderrLogger(line) {
  console.error(line);
};

/**
 * Creates a `wsgi.errors` stream for one request. Text is held until a newline or `flush()`,
 * so an app that writes a line in pieces logs it as one line.
 *
 * @param logger Receives each complete line, without its newline
 */
export function createErrors(logger: Logger): WsgiErrors {
  let pending = "";
  function write(text: string): void {
    if (typeof text !== "string") {
      throw new TypeError(`wsgi.errors.write() takes a string, not ${typeof text}`);
    }
    pending += text;
    let newline = pending.indexOf("\n");
    while (newline !== -1) {
      logger(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf("\n");
    }
  }
  return {
    write,
    writelines(lines) {
      for (const line of lines) write(line);
    },
    flush() {
      if (pending) logger(pending);
      pending = "";
    },
  };
}
