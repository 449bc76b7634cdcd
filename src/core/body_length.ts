/**
 * The length of a whole body, noted on its `Response` for whoever wraps the handler (the access
 * log), where the runtime frames the body itself and the headers carry no `Content-Length`.
 *
 * @module
 */

import { utf8Length } from "../base/utf8_length.ts";

// Both runtimes set the Content-Length of a string body (and of bytes) when they send it, but
// neither shows it in `response.headers`, and reading `response.body` to count it turns Deno's
// string into a stream (and costs it its fast path). Writing the header ourselves would cost
// Deno about 2 µs a response (one header more to send); a symbol-keyed property costs nothing
// measurable, and only what reads it pays for measuring a string.
const BODY_LENGTH = Symbol("edge_wsgi.bodyLength");

interface Noted {
  [BODY_LENGTH]?: number | string;
}

/**
 * Notes on `response` the whole body it sends: its number of bytes, or the string sent as its
 * UTF-8 (measured only when asked). A response whose body is `null` is noted as `0`.
 *
 * @param response A response whose body is whole: bytes, a string, or none
 * @param body Its number of bytes, or the string it was made from
 * @returns `response`
 * @example
 * ```ts
 * import { bodyLength, noteBodyLength } from "./body_length.ts";
 * const response = noteBodyLength(new Response("héllo"), "héllo");
 * bodyLength(response); // 6
 * ```
 */
export function noteBodyLength(response: Response, body: number | string): Response {
  (response as Noted)[BODY_LENGTH] = body;
  return response;
}

/**
 * The number of bytes `response`'s body sends, when that is known without reading it: its
 * note ({@linkcode noteBodyLength}), else its `Content-Length`; `undefined` for a body of unknown
 * length, such as a stream. Never touches `response.body`.
 *
 * @param response Any response
 * @returns Its body's length in bytes, or `undefined`
 * @example
 * ```ts
 * import { bodyLength } from "./body_length.ts";
 * bodyLength(new Response("hi", { headers: { "Content-Length": "2" } })); // 2
 * bodyLength(new Response("hi")); // undefined: the runtime will measure it
 * ```
 */
export function bodyLength(response: Response): number | undefined {
  const noted = (response as Noted)[BODY_LENGTH];
  if (typeof noted === "number") return noted;
  if (typeof noted === "string") return utf8Length(noted);
  const declared = response.headers.get("content-length");
  return declared !== null && /^\d+$/.test(declared) ? Number(declared) : undefined;
}
