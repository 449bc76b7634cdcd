/**
 * Bytes as latin-1 text, the way CGI and PEP 3333 carry them in native strings: each byte
 * 0x00–0xFF is one character U+0000–U+00FF.
 *
 * `TextDecoder("latin1")` is not used: the Encoding Standard maps that label to windows-1252,
 * which turns 0x80–0x9F into other characters.
 *
 * @module
 */

const CHUNK = 0x2000;

/** Turns bytes into a latin-1 string, one character per byte. */
export function bytesToLatin1(bytes: Uint8Array): string {
  let text = "";
  for (let start = 0; start < bytes.length; start += CHUNK) {
    text += String.fromCharCode(...bytes.subarray(start, start + CHUNK));
  }
  return text;
}

/**
 * Turns a latin-1 string back into its bytes.
 *
 * @throws {TypeError} When a character is above U+00FF, so it was never a byte
 */
export function latin1ToBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) {
      throw new TypeError(`Character ${JSON.stringify(text[i])} is not latin-1`);
    }
    bytes[i] = code;
  }
  return bytes;
}

/**
 * Decodes a latin-1 environ string (such as `PATH_INFO`) as the text its bytes encode.
 *
 * @param value A string whose characters are bytes, as in `environ.PATH_INFO`
 * @param encoding The bytes' encoding; defaults to `"utf-8"`
 * @returns The decoded text; bytes that are not valid in the encoding become U+FFFD
 * @example
 * ```ts
 * import { latin1ToText } from "../mod.ts";
 * latin1ToText("/caf\u00c3\u00a9"); // "/café"
 * ```
 */
export function latin1ToText(value: string, encoding = "utf-8"): string {
  return new TextDecoder(encoding).decode(latin1ToBytes(value));
}

// deno-lint-ignore no-control-regex
const PLAIN_ASCII = /^[\x00-\x7f]*$/;

/**
 * Percent-decodes a raw URL path once, at the byte level, into latin-1 characters.
 * `%FF` becomes U+00FF, `%2F` a `/`, `%25` a `%`; a `%` not followed by two hex digits
 * stays as it is (as `urllib.parse.unquote` leaves it). Characters above U+007F, which
 * some runtimes hand over undecoded, are taken as their UTF-8 bytes.
 */
export function percentDecodeToLatin1(rawPath: string): string {
  if (!rawPath.includes("%") && PLAIN_ASCII.test(rawPath)) return rawPath;
  let out = "";
  for (let i = 0; i < rawPath.length; i++) {
    const ch = rawPath.charCodeAt(i);
    if (ch === 0x25 && isHex(rawPath.charCodeAt(i + 1)) && isHex(rawPath.charCodeAt(i + 2))) {
      out += String.fromCharCode(parseInt(rawPath.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (ch > 0x7f) {
      const end = i + (ch >= 0xd800 && ch <= 0xdbff ? 2 : 1);
      out += bytesToLatin1(UTF8.encode(rawPath.slice(i, end)));
      i = end - 1;
    } else {
      out += rawPath[i];
    }
  }
  return out;
}

/**
 * Turns the characters above U+007F of a raw request target back into the bytes the client
 * sent, one latin-1 character per UTF-8 byte: Deno decodes unencoded UTF-8 in the request line
 * into text (`?v=é`), where Python's servers hand the app the bytes (`"v=\u00c3\u00a9"`).
 * ASCII, percent-escapes included, is left as it is.
 */
export function utf8ToLatin1(raw: string): string {
  // ASCII is its own UTF-8, so encoding the whole string changes only the other characters.
  return PLAIN_ASCII.test(raw) ? raw : bytesToLatin1(UTF8.encode(raw));
}

const UTF8 = new TextEncoder();

function isHex(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) ||
    (code >= 0x61 && code <= 0x66);
}
