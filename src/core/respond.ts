/**
 * Turns a body that is whole in memory (a list, a drained generator) into a Fetch `Response`
 * sent in one piece, with its length.
 *
 * @module
 */

import type { ParsedStatus } from "./response_rules.ts";
import type { ResponseHead } from "./response_head.ts";
import { toBytes } from "./start_response.ts";
import type { BodyChunk, HeaderPair } from "./types.ts";
import { joinBytes } from "../base/bytes.ts";
import { textBody } from "./text_body.ts";
import { noteBodyLength } from "./body_length.ts";

const encoder = new TextEncoder();

/**
 * The statuses whose responses carry no content on the wire (RFC 9110 §9.3.2, §15.3.5,
 * §15.3.6, §15.4.5), whatever their headers say.
 *
 * @example
 * ```ts
 * import { NO_BODY_STATUSES } from "./respond.ts";
 * NO_BODY_STATUSES.has(304); // true
 * ```
 */
export const NO_BODY_STATUSES: ReadonlySet<number> = new Set([204, 205, 304]);

/**
 * A response whose body is a list of chunks already in memory: joined once and sent in one
 * piece with its length (PEP 3333: a body whose length is known may get a `Content-Length`).
 * Every shape takes this path: one string or several, bytes, a mix, with or without the
 * app's own `Content-Length` (honoured: bytes past it are not sent). Returns `undefined` when
 * the chunks are fewer bytes than the app's `Content-Length`, which only a stream can fail with.
 *
 * @throws {TypeError} When a chunk is neither bytes nor a string
 */
export function respondWithChunks(
  chunks: BodyChunk[],
  method: string,
  status: ParsedStatus,
  head: ResponseHead,
): Response | undefined {
  const silent = NO_BODY_STATUSES.has(status.code);
  const noBody = silent || method === "HEAD";
  const joined = joinChunks(chunks);
  // The app's record becomes the response's headers; a repeated name needs a Headers object.
  const headers = head.record ?? toHeaders(head.pairs);
  const init = { status: status.code, statusText: status.reason, headers };
  // A string with a Content-Type goes to the runtime as it is: both runtimes encode it and set
  // its length natively, faster than we could (and Deno keeps its fast response path). Without
  // a Content-Type it would get the runtime's text/plain, which the app never set. The length
  // the headers do not show is noted on the response, for the access log: a wrapper that saw
  // none would have to stream the body, and the runtime would then send it chunked.
  if (
    typeof joined === "string" && head.type !== undefined && head.length === undefined &&
    !noBody
  ) {
    return noteBodyLength(new Response(joined, init), joined);
  }
  let body = typeof joined === "string" ? encoder.encode(joined) : joined;
  const declared = head.declared;
  if (declared !== undefined) {
    if (body.length < declared) return undefined;
    // Content-Length is honoured: bytes past it are never sent.
    if (body.length > declared) body = body.subarray(0, declared);
  }
  const text = noBody ? undefined : textBody(body, head.type);
  if (text !== undefined) {
    // The runtime sets a Content-Length of its own, equal to body.length (which the app's, if
    // it sent one, equals by now): the app's would only be a second copy.
    if (headers instanceof Headers && head.length) headers.delete(head.length[0]);
    return noteBodyLength(new Response(text, init), body.length);
  }
  if (head.length !== undefined) {
    // The app's own Content-Length, as it spelled it, which the record was built without.
    if (!(headers instanceof Headers)) headers[head.length[0]] = head.length[1];
  } else if (!silent) setHeader(headers, "Content-Length", String(body.length));
  if (noBody) return noteBodyLength(new Response(null, init), 0);
  return noteBodyLength(new Response(body as Uint8Array<ArrayBuffer>, init), body.length);
}

// The chunks as one string when they all are strings (joined by the engine), else as bytes.
function joinChunks(chunks: BodyChunk[]): string | Uint8Array {
  if (chunks.length === 1) {
    const only = chunks[0];
    return typeof only === "string" ? only : toBytes(only);
  }
  let strings = true;
  for (const chunk of chunks) {
    if (typeof chunk !== "string") {
      strings = false;
      break;
    }
  }
  if (strings) return (chunks as string[]).join("");
  const pieces = chunks.map(toBytes);
  let length = 0;
  for (const piece of pieces) length += piece.length;
  return joinBytes(pieces, length);
}

function setHeader(headers: Record<string, string> | Headers, name: string, value: string): void {
  if (headers instanceof Headers) headers.set(name, value);
  else headers[name] = value;
}

/**
 * The app's header pairs as a `Headers` object, repeated names (several `Set-Cookie`) kept
 * apart in the app's order.
 *
 * @example
 * ```ts
 * import { toHeaders } from "./respond.ts";
 * toHeaders([["Set-Cookie", "a=1"], ["Set-Cookie", "b=2"]]).getSetCookie(); // ["a=1", "b=2"]
 * ```
 */
export function toHeaders(pairs: HeaderPair[]): Headers {
  const headers = new Headers();
  // append() keeps several Set-Cookie fields apart, in the app's order.
  for (const [name, value] of pairs) headers.append(name, value);
  return headers;
}
