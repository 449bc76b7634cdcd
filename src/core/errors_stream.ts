/**
 * `wsgi.errors`: a text stream whose complete lines go to the server's error log.
 *
 * @module
 */

import { requestTarget } from "./request_target.ts";
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
 * @param request When given, each line starts with its method and target (`GET /path: …`)
 */
export function createErrors(logger: Logger, request?: Request): WsgiErrors {
  return new ErrorStream(logger, request);
}

// A class rather than closures: one allocation per request, made only when an app asks.
class ErrorStream implements WsgiErrors {
  #pending = "";
  #logger: Logger;
  #request: Request | undefined;

  constructor(logger: Logger, request?: Request) {
    this.#logger = logger;
    this.#request = request;
  }

  #emit(line: string): void {
    const request = this.#request;
    this.#logger(request ? `${request.method} ${requestTarget(request.url)}: ${line}` : line);
  }

  write(text: string): void {
    if (typeof text !== "string") {
      throw new TypeError(`wsgi.errors.write() takes a string, not ${typeof text}`);
    }
    this.#pending += text;
    let newline = this.#pending.indexOf("\n");
    while (newline !== -1) {
      this.#emit(this.#pending.slice(0, newline));
      this.#pending = this.#pending.slice(newline + 1);
      newline = this.#pending.indexOf("\n");
    }
  }

  writelines(lines: Iterable<string>): void {
    for (const line of lines) this.write(line);
  }

  flush(): void {
    if (this.#pending) this.#emit(this.#pending);
    this.#pending = "";
  }
}
