/**
 * One request as the Python side of the bridge sees it: what its `start_response`, `write()`,
 * `wsgi.input` and `wsgi.errors` call back into.
 *
 * @module
 */

import type { StartResponse, Write, WsgiErrors, WsgiInput } from "../core/types.ts";

// Passed as excInfo: the TypeScript start_response re-throws it once the headers are out,
// which tells Python to re-raise its own exc_info. Frozen and empty: it carries no state.
const HEADERS_SENT = Object.freeze({ headersSent: true });
// The separator bridge.py joins header names and values with (never in a latin-1 string).
const SEP = "\uffff";

/**
 * The JavaScript end of one request for `bridge.py`: Python calls these methods through the
 * callbacks the interpreter installed once, passing this object back as the first argument.
 *
 * @example
 * ```ts ignore
 * const context = new RequestContext(startResponse, environ["wsgi.input"], environ["wsgi.errors"]);
 * context.start("200 OK", "Content-Type\uffffh", 2, false); // false: headers not sent
 * ```
 */
export class RequestContext {
  readonly startResponse: StartResponse;
  readonly input: WsgiInput;
  readonly errors: WsgiErrors;
  /** What a read of `wsgi.input` failed with (a body over the limit gives 413, not 500). */
  failure: unknown;
  #write: Write | undefined;

  constructor(startResponse: StartResponse, input: WsgiInput, errors: WsgiErrors) {
    this.startResponse = startResponse;
    this.input = input;
    this.errors = errors;
  }

  /**
   * `start_response` from Python: `text` holds `count` names and values joined by U+FFFF.
   * Returns true when `exc_info` came after the headers were sent, for Python to re-raise it.
   */
  start(status: string, text: string, count: number, hasExcInfo: boolean): boolean {
    const fields = count === 0 ? [] : text.split(SEP);
    const pairs: [string, string][] = [];
    for (let i = 0; i < fields.length; i += 2) pairs.push([fields[i], fields[i + 1]]);
    try {
      this.#write = this.startResponse(status, pairs, hasExcInfo ? HEADERS_SENT : undefined);
    } catch (error) {
      if (error === HEADERS_SENT) return true;
      throw error;
    }
    return false;
  }

  /** `write()` from Python. */
  write(chunk: Uint8Array): void {
    this.#write!(chunk);
  }

  /** `wsgi.input.read(size)`; a negative size reads to the end. */
  read(size: number): Promise<Uint8Array> {
    return this.#remember(this.input.read(size < 0 ? undefined : size));
  }

  /** `wsgi.input.readline(size)`. */
  readline(size: number): Promise<Uint8Array> {
    return this.#remember(this.input.readline(size < 0 ? undefined : size));
  }

  /** `wsgi.errors.write(text)`, or `flush()`. */
  log(text: string, flush: boolean): void {
    if (flush) this.errors.flush();
    else this.errors.write(text);
  }

  #remember(read: Promise<Uint8Array>): Promise<Uint8Array> {
    return read.catch((error) => {
      this.failure = error;
      throw error;
    });
  }
}
