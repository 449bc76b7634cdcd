/**
 * A short UTF-8 body as the text it encodes, for the runtime that sends text faster.
 *
 * @module
 */

import { denoRuntime, isDeno } from "../runtime/deno.ts";

// Whether the runtime sends text faster than bytes is the runtime's fact (Runtime.textBodies),
// kept once in its module: only Deno's is true. There a string body that carries only a
// Content-Type takes the fast path; bytes, or an explicit Content-Length, cost more (the hello
// app, wrk, server CPU per request: 15 µs as a string, 20 µs as bytes with Content-Length).
const PREFERS_TEXT = isDeno() && denoRuntime.textBodies;

// Decoding costs more than it saves on longer bodies.
const MAX_TEXT_BYTES = 16 * 1024;

// ignoreBOM: a leading BOM stays in the text, so that encoding the text gives back every byte.
// Bytes that are not UTF-8 must stay bytes, which `fatal` would tell; but Deno decodes without
// it several times faster. Bytes that are not UTF-8 decode with a U+FFFD in their place, so
// only a text that holds one is decoded again, with `fatal`, to tell (bytes that spell U+FFFD
// themselves are UTF-8, and decode alike both ways).
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

// Only a textual type is worth decoding: an image or an archive would fail, at a cost.
const TEXTUAL = /^\s*(?:text\/|application\/(?:[\w.+-]*\+)?(?:json|xml|javascript)\b)/i;

/**
 * `body` as a string, where the runtime sends text faster and the body is short UTF-8 of a
 * textual type; otherwise `undefined`. Encoded as UTF-8, the string is `body` again, byte for
 * byte, so the runtime's Content-Length for it equals `body.length`.
 *
 * @param body The whole body
 * @param contentType The response's Content-Type
 * @returns The text, or `undefined` to send the bytes
 * @example
 * ```ts
 * import { textBody } from "./text_body.ts";
 * textBody(new TextEncoder().encode("hi"), "text/plain"); // "hi" on Deno, undefined on Bun
 * ```
 */
export function textBody(body: Uint8Array, contentType: string | undefined): string | undefined {
  if (!PREFERS_TEXT || body.length > MAX_TEXT_BYTES || contentType === undefined) return undefined;
  if (!contentType.startsWith("text/") && !TEXTUAL.test(contentType)) return undefined;
  const text = decoder.decode(body);
  if (!text.includes("\ufffd")) return text;
  try {
    return strictDecoder.decode(body);
  } catch {
    return undefined;
  }
}
