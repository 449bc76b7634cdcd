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
// RFC 9110 §5.5: no CR, LF, NUL or other controls (tab is allowed); PEP 3333: latin-1 only.
// deno-lint-ignore no-control-regex
const BAD_VALUE = /[\x00-\x08\x0a-\x1f\x7f\u0100-\uffff]/;

const DECIMAL = /^\d+$/;

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
  for (const pair of headers) {
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new TypeError(`A header must be a [name, value] pair, not ${JSON.stringify(pair)}`);
    }
    const [name, value] = pair;
    // Most apps send a few well-known names, spelled as usual: those are tokens, and neither
    // hop-by-hop nor Status, so only their values need a look.
    if (PLAIN_NAMES.has(name)) {
      checkValue(name, value);
      continue;
    }
    if (typeof name !== "string" || !TOKEN.test(name)) {
      throw new TypeError(`Header name ${JSON.stringify(name)} is not a valid token`);
    }
    checkValue(name, value);
    const lower = name.toLowerCase();
    if (lower === "content-length" && !DECIMAL.test(value)) {
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
}

function checkValue(name: string, value: unknown): void {
  if (typeof value !== "string") {
    throw new TypeError(
      `Header ${JSON.stringify(name)} must have a string value, not ${typeof value}`,
    );
  }
  if (BAD_VALUE.test(value)) {
    throw new TypeError(
      `Header ${JSON.stringify(name)} has a control or non-latin-1 character in ${
        JSON.stringify(value)
      }`,
    );
  }
}
