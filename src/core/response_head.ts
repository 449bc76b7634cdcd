/**
 * The app's response headers as `start_response` takes them: checked, copied, and read for what
 * sending the response needs, in one pass.
 *
 * @module
 */

import { checkHeader } from "./response_rules.ts";
import type { HeaderPair } from "./types.ts";

/** The headers of a response, as the app gave them to `start_response`. */
export interface ResponseHead {
  /** A copy of the app's pairs: the app may go on changing its own list after the call. */
  pairs: HeaderPair[];
  /**
   * The same headers as a plain record (the runtimes take it fastest), without the app's
   * `Content-Length`; `undefined` when a name repeats exactly (several `Set-Cookie`), which only
   * a `Headers` object keeps apart. A response sent in one piece makes it its headers.
   */
  record: Record<string, string> | undefined;
  /** The `Content-Type` the app set, if any. */
  type: string | undefined;
  /** The app's `Content-Length` as a number. */
  declared: number | undefined;
  /**
   * The app's `Content-Length` header as it gave it. The record leaves it out: only a body sent
   * as bytes takes it back, and deleting a key from a record would cost every later use of it
   * V8's slow properties.
   */
  length: HeaderPair | undefined;
}

/**
 * Checks the app's header list (`checkHeader`'s rules) and reads it into a
 * {@linkcode ResponseHead}.
 *
 * @param headers What the app passed to `start_response`
 * @returns Its copy, record, `Content-Type` and `Content-Length`
 * @throws {TypeError} Naming the first bad header, as `checkHeaders` does
 * @example
 * ```ts
 * import { readHeaders } from "./response_head.ts";
 * const head = readHeaders([["Content-Type", "text/plain"], ["Content-Length", "2"]]);
 * head.record; // { "Content-Type": "text/plain" }
 * head.declared; // 2
 * ```
 */
export function readHeaders(headers: unknown): ResponseHead {
  if (!Array.isArray(headers)) {
    throw new TypeError(`Headers must be an array of [name, value] pairs, not ${typeof headers}`);
  }
  const pairs: HeaderPair[] = [];
  let type: string | undefined;
  let declared: number | undefined;
  let length: HeaderPair | undefined;
  let record: Record<string, string> | undefined = {};
  for (let i = 0; i < headers.length; i++) {
    const pair: unknown = headers[i];
    checkHeader(pair);
    const name = pair[0];
    const value = pair[1];
    const copy: HeaderPair = [name, value];
    pairs.push(copy);
    // The usual spelling first: comparing costs less than lower-casing.
    if (name.length === 12 && (name === "Content-Type" || name.toLowerCase() === "content-type")) {
      type = value;
    } else if (
      name.length === 14 && (name === "Content-Length" || name.toLowerCase() === "content-length")
    ) {
      // A second one goes, with every header, into a Headers object, as any repeated name.
      if (length !== undefined) record = undefined;
      // checkHeader() has made sure it is a decimal number.
      declared = Number(value);
      length = copy;
      continue;
    }
    if (record === undefined) continue;
    // Several Set-Cookie fields (any exact repeat) only a Headers object keeps apart.
    if (Object.hasOwn(record, name)) record = undefined;
    else record[name] = value;
  }
  return { pairs, record, type, declared, length };
}
