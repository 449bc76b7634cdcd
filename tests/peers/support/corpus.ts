/**
 * From gunicorn's parse of a request to the environ PEP 3333 makes of it, and the request edits
 * a runtime needs to be compared at all (a `Host` for Bun's HTTP/1.1).
 *
 * @module
 */

import type { Parsed } from "../gunicorn/valid_cases.ts";

/** What the environ fixture reports: CGI keys, `HTTP_*` keys, and the body it read. */
export type ReportedEnviron = Record<string, string>;

/**
 * The environ a request gunicorn parsed as `parsed` gives the app mounted at `scriptName`:
 * `PATH_INFO` percent-decoded byte by byte (each byte a latin-1 character), the query raw,
 * `Content-Type`/`Content-Length` without `HTTP_`, repeated fields joined with ", " (`Cookie`
 * with "; "), names with `_` dropped, and the body as read.
 *
 * @example
 * ```ts
 * expectedEnviron(parsed, "/environ"); // { REQUEST_METHOD: "GET", PATH_INFO: "/x", … }
 * ```
 */
export function expectedEnviron(parsed: Parsed, scriptName: string): ReportedEnviron {
  const hash = parsed.target.indexOf("#");
  const target = hash === -1 ? parsed.target : parsed.target.slice(0, hash);
  const question = target.indexOf("?");
  const path = question === -1 ? target : target.slice(0, question);
  const environ: ReportedEnviron = {
    REQUEST_METHOD: parsed.method,
    SCRIPT_NAME: scriptName,
    PATH_INFO: percentDecode(path),
    QUERY_STRING: question === -1 ? "" : target.slice(question + 1),
    // Neither runtime tells a handler the request's version (DIFFERENCES.serverProtocol).
    SERVER_PROTOCOL: "HTTP/1.1",
    "wsgi.url_scheme": "http",
    "wsgi.input": parsed.body,
  };
  for (const [name, value] of parsed.headers) {
    if (name.includes("_")) continue;
    const key = name === "CONTENT-TYPE" || name === "CONTENT-LENGTH"
      ? name.replace("-", "_")
      : "HTTP_" + name.replaceAll("-", "_");
    const joiner = name === "COOKIE" ? "; " : ", ";
    environ[key] = key in environ ? environ[key] + joiner + value : value;
  }
  return environ;
}

// Percent-escapes to the bytes they stand for, as latin-1 characters; anything else as it is.
function percentDecode(path: string): string {
  return path.replace(/%([0-9A-Fa-f]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * The same bytes with a `Host: peers.example` line after the request line of every HTTP/1.1
 * message that has none; bodies (by Content-Length or chunked) are left as they are.
 */
export function withHost(raw: string): string {
  let out = "";
  let at = 0;
  while (at < raw.length) {
    const headEnd = raw.indexOf("\r\n\r\n", at);
    if (headEnd === -1) return out + raw.slice(at);
    const head = raw.slice(at, headEnd + 4);
    const lineEnd = head.indexOf("\r\n");
    const needsHost = head.slice(0, lineEnd).endsWith(" HTTP/1.1") && !/\r\nhost:/i.test(head);
    out += needsHost
      ? head.slice(0, lineEnd) + "\r\nHost: peers.example" + head.slice(lineEnd)
      : head;
    at = headEnd + 4;
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    const bodyEnd = /\r\ntransfer-encoding:[^\r]*chunked/i.test(head)
      ? chunkedEnd(raw, at)
      : at + (length ? Number(length[1]) : 0);
    out += raw.slice(at, bodyEnd);
    at = bodyEnd;
  }
  return out;
}

// Where a chunked body starting at `at` ends (after its last chunk and trailer section).
function chunkedEnd(raw: string, at: number): number {
  for (;;) {
    const lineEnd = raw.indexOf("\r\n", at);
    if (lineEnd === -1) return raw.length;
    const size = parseInt(raw.slice(at, lineEnd), 16);
    if (size === 0) {
      const end = raw.indexOf("\r\n\r\n", lineEnd);
      return end === -1 ? raw.length : end + 4;
    }
    at = lineEnd + 2 + size + 2;
  }
}

/** Whether the first message in `raw` is HTTP/1.1 without a Host. */
export function lacksHost(raw: string): boolean {
  const head = raw.slice(0, raw.indexOf("\r\n\r\n") + 2);
  return head.slice(0, head.indexOf("\r\n")).endsWith(" HTTP/1.1") && !/\r\nhost:/i.test(head);
}

/**
 * A query as Bun gives it: what the URL standard's query percent-encode set holds (controls,
 * space, `"`, `#`, `<`, `>`, and every byte past ASCII) percent-encoded.
 */
export function urlStandardQuery(query: string): string {
  let out = "";
  for (const ch of query) {
    const code = ch.charCodeAt(0);
    const escaped = code <= 0x20 || code >= 0x7f || '"#<>'.includes(ch);
    out += escaped ? "%" + code.toString(16).toUpperCase().padStart(2, "0") : ch;
  }
  return out;
}
