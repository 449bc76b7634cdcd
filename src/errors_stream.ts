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
  return new ErrorStream(logger);
}

// A class rather than closures: one allocation per request, made only when an app asks.
class ErrorStream implements WsgiErrors {
  #pending = "";
  #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  write(text: string): void {
    if (typeof text !== "string") {
      throw new TypeError(`wsgi.errors.write() takes a string, not ${typeof text}`);
    }
    this.#pending += text;
    let newline = this.#pending.indexOf("\n");
    while (newline !== -1) {
      this.#logger(this.#pending.slice(0, newline));
      this.#pending = this.#pending.slice(newline + 1);
      newline = this.#pending.indexOf("\n");
    }
  }

  writelines(lines: Iterable<string>): void {
    for (const line of lines) this.write(line);
  }

  flush(): void {
    if (this.#pending) this.#logger(this.#pending);
    this.#pending = "";
  }
}
