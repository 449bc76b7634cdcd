/**
 * The rules a WSGI app's status and headers must follow before they may reach the wire.
 *
 * @module
 */

import type { HeaderPair } from "./types.ts";

// PEP 3333: "999 Message here". Fetch can only build responses with status 200–599.
const STATUS =
  // deno-lint-ignore no-control-regex
  /^([2-5]\d\d) ([^\s\x00-\x1f\x7f\u0100-\uffff](?:[^\x00-\x08\x0a-\x1f\x7f\u0100-\uffff]*[^\s\x00-\x1f\x7f\u0100-\uffff])?)$/;
// RFC 9110 §5.6.2: a field name is a token.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

// Header names that need no check beyond their value, in the spellings apps use. Not
// Content-Length, whose value must also be a number. (Never changed after this line.)
const PLAIN_NAMES: ReadonlySet<unknown> = new Set(
  [
    "Content-Type",
    "Cache-Control",
    "Set-Cookie",
    "Location",
    "ETag",
    "Last-Modified",
    "Expires",
    "Vary",
    "Content-Encoding",
    "Content-Language",
    "Content-Disposition",
    "Access-Control-Allow-Origin",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Strict-Transport-Security",
    "Content-Security-Policy",
  ].flatMap((name) => [name, name.toLowerCase()]),
);

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "trailers",
  "transfer-encoding",
  "upgrade",
]);

/**
 * Tells whether a header is hop-by-hop (RFC 9110 §7.6.1), which a WSGI app must not set.
 *
 * @param name A header name, in any case
 * @example
 * ```ts
 * import { isHopByHop } from "../mod.ts";
 * isHopByHop("Keep-Alive"); // true
 * isHopByHop("Content-Type"); // false
 * ```
 */
export function isHopByHop(name: string): boolean {
  return HOP_BY_HOP.has(name.toLowerCase());
}

/** A status line's parts. */
export interface ParsedStatus {
  code: number;
  reason: string;
}

/**
 * Checks a status string and splits it.
 *
 * @throws {TypeError} When it is not three digits (200–599), one space and a reason phrase
 */
export function parseStatus(status: unknown): ParsedStatus {
  const match = typeof status === "string" ? STATUS.exec(status) : null;
  if (!match) {
    throw new TypeError(
      `Status must be "NNN Reason" with NNN from 200 to 599, not ${JSON.stringify(status)}`,
    );
  }
  return { code: Number(match[1]), reason: match[2] };
}

/**
 * Checks a header list: an array of `[name, value]` string pairs, names tokens, values free of
 * control characters and non-latin-1 characters, no hop-by-hop header.
 *
 * @throws {TypeError} Naming the first bad header
 */
export function checkHeaders(headers: unknown): asserts headers is HeaderPair[] {
  if (!Array.isArray(headers)) {
    throw new TypeError(`Headers must be an array of [name, value] pairs, not ${typeof headers}`);
  }
  for (const pair of headers) checkHeader(pair);
}

/**
 * Checks one header of a list, as {@linkcode checkHeaders} checks each.
 *
 * @throws {TypeError} Naming the header when it is bad
 * @example
 * ```ts
 * import { checkHeader } from "./response_rules.ts";
 * checkHeader(["Content-Length", "12"]); // fine
 * checkHeader(["Connection", "close"]); // throws: hop-by-hop
 * ```
 */
export function checkHeader(pair: unknown): asserts pair is HeaderPair {
  if (!Array.isArray(pair) || pair.length !== 2) {
    throw new TypeError(`A header must be a [name, value] pair, not ${JSON.stringify(pair)}`);
  }
  const name = pair[0];
  const value = pair[1];
  // Most apps send a few well-known names, spelled as usual: those are tokens, and neither
  // hop-by-hop nor Status, so only their values need a look.
  if (PLAIN_NAMES.has(name)) {
    checkValue(name, value);
    return;
  }
  // The length as usually spelled: a decimal number has no character a value may not have.
  if (name === "Content-Length" && typeof value === "string" && isDecimal(value)) return;
  if (typeof name !== "string" || !TOKEN.test(name)) {
    throw new TypeError(`Header name ${JSON.stringify(name)} is not a valid token`);
  }
  checkValue(name, value);
  const lower = name.toLowerCase();
  if (lower === "content-length" && !isDecimal(value as string)) {
    throw new TypeError(`Content-Length must be a decimal number, not ${JSON.stringify(value)}`);
  }
  if (lower === "status") {
    // wsgiref.validate: a Status header would clash with CGI's, where it sets the status.
    throw new TypeError(`Header "Status" is not allowed: the status goes to start_response()`);
  }
  if (HOP_BY_HOP.has(lower)) {
    throw new TypeError(
      `Header ${JSON.stringify(name)} is hop-by-hop, which a WSGI app must not set`,
    );
  }
}

/**
 * Whether `value` is one or more digits 0–9, as a `Content-Length` must be.
 *
 * @example
 * ```ts
 * import { isDecimal } from "./response_rules.ts";
 * isDecimal("0012"); // true
 * isDecimal("-1"); // false
 * ```
 */
export function isDecimal(value: string): boolean {
  if (value.length === 0) return false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

function checkValue(name: string, value: unknown): void {
  if (typeof value !== "string") {
    throw new TypeError(
      `Header ${JSON.stringify(name)} must have a string value, not ${typeof value}`,
    );
  }
  if (!isFieldValue(value)) {
    throw new TypeError(
      `Header ${JSON.stringify(name)} has a control or non-latin-1 character in ${
        JSON.stringify(value)
      }`,
    );
  }
}

// RFC 9110 §5.5: no CR, LF, NUL or other controls (tab is allowed); PEP 3333: latin-1 only. A
// loop rather than a regular expression: the values apps send are short, and a server calls
// this for every header of every response.
function isFieldValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 ? code !== 0x09 : code === 0x7f || code > 0xff) return false;
  }
  return true;
}
