/**
 * Our port of gunicorn's invalid request corpus (`tests/requests/invalid/*.http`, each with the
 * error gunicorn's parser raises in its `.py`): one case per upstream file, written anew (our
 * own paths and values) to break the same rule. `{app}` stands for the fixture's path.
 *
 * @module
 */

import type { DifferenceName, Outcome } from "../support/differences.ts";

/** One request gunicorn's parser refuses. */
export interface InvalidCase {
  /** The upstream file this case ports. */
  upstream: string;
  /** The rule it breaks. */
  about: string;
  /** The bytes sent (lines end with CRLF unless the case says otherwise). */
  raw: string;
  /** Half-closes after sending: gunicorn's parser meets the end of its input there. */
  end?: boolean;
  /** Why it is not ported: gunicorn's own setting or policy. */
  policy?: string;
  /** What both runtimes do, when it is not a 400. */
  outcome?: Outcome;
  /** Where the runtimes differ (or let it through), the behaviour in DIFFERENCES. */
  on?: DifferenceName;
}

const CRLF = "\r\n";
const lines = (...parts: string[]) => parts.join(CRLF) + CRLF;

// gunicorn's limits: limit_request_line 4094, limit_request_field_size 8190,
// limit_request_fields 100. The runtimes have their own, larger ones.
const LIMITS = "a gunicorn limit (its settings); the runtimes have their own";

/** Every invalid case, in the order of the upstream files. */
export const INVALID_CASES: InvalidCase[] = [
  {
    upstream: "invalid/001.http",
    outcome: "closed",
    about: "the input ends in the middle of the header section",
    raw: `GET {app}/half/way HTTP/1.0${CRLF}unfinished`,
    end: true,
  },
  { upstream: "invalid/002.http", about: "no request target", raw: lines("GET HTTP/1.1", "") },
  {
    upstream: "invalid/003.http",
    on: "malformedRequestLine",
    about: "bare LF between the parts of the request line",
    raw: `GET\n{app}/\nHTTP/1.1${CRLF}${CRLF}`,
  },
  {
    upstream: "invalid/003b.http",
    about: "a method with a colon",
    raw: lines("PO:ST {app}/x HTTP/1.1", "Host: peers", ""),
  },
  {
    upstream: "invalid/003c.http",
    about: "a short, lower-case method",
    raw: lines("-ab {app}/x HTTP/1.1", "Host: peers", ""),
    policy: "methods are tokens (RFC 9110 §9.1); gunicorn also wants 3+ upper-case letters",
  },
  {
    upstream: "invalid/004.http",
    on: "malformedRequestLine",
    about: "a protocol that is not HTTP",
    raw: lines("GET {app}/x SPDY/1.1", ""),
  },
  {
    upstream: "invalid/005.http",
    about: "NUL in a header name",
    raw: lines("GET {app}/x HTTP/1.1", "Host: peers", "X-Na\0me: value", ""),
  },
  {
    upstream: "invalid/006.http",
    about: "a request line past gunicorn's 4094 bytes",
    raw: lines(`PUT {app}/${"q".repeat(4200)} HTTP/1.0`, ""),
    policy: LIMITS,
  },
  {
    upstream: "invalid/007.http",
    about: "a header value past gunicorn's 8190 bytes, in a PUT with a body",
    raw: lines(
      "PUT {app}/x HTTP/1.0",
      "Content-Length: 2",
      `X-Long: ${"v".repeat(8300)}`,
      "",
      "{}",
    ),
    policy: LIMITS,
  },
  {
    upstream: "invalid/008.http",
    about: "a header value past gunicorn's 8190 bytes",
    raw: lines("GET {app}/x HTTP/1.0", `X-Long: ${"v".repeat(8300)}`, ""),
    policy: LIMITS,
  },
  {
    upstream: "invalid/009.http",
    about: "more header fields than gunicorn's 100",
    raw: lines(
      "GET {app}/x HTTP/1.0",
      ...Array.from({ length: 120 }, (_, n) => `X-Field-${n}: ${n}`),
      "",
    ),
    policy: LIMITS,
  },
  {
    upstream: "invalid/010.http",
    about: "a header line past limit_request_field_size=10",
    raw: "",
    policy: "the limit is a gunicorn setting; the request itself is valid",
  },
  {
    upstream: "invalid/011.http",
    about: "more fields than limit_request_fields=2",
    raw: "",
    policy: "the limit is a gunicorn setting; the request itself is valid",
  },
  {
    upstream: "invalid/012.http",
    about: "a header line past limit_request_field_size=98",
    raw: "",
    policy: "the limit is a gunicorn setting; the request itself is valid",
  },
  {
    upstream: "invalid/013.http",
    about: "a folded header past limit_request_field_size=14 with permit_obsolete_folding",
    raw: "",
    policy: "both are gunicorn settings",
  },
  {
    upstream: "invalid/014.http",
    about: "a negative Content-Length",
    raw: lines("PUT {app}/x HTTP/1.0", "Content-Length: -2", "", "{}"),
  },
  {
    upstream: "invalid/015.http",
    about: "a Content-Length that is not a number",
    raw: lines("POST {app}/x HTTP/1.0", "Content-Length: lots", "", "{}"),
  },
  {
    upstream: "invalid/016.http",
    about: "a request target that is no URI",
    raw: lines("PUT q://]x[/: HTTP/1.1", "Host: peers", ""),
  },
  {
    upstream: "invalid/017.http",
    about: "a header line past gunicorn's 8190 bytes",
    raw: lines("GET {app}/x HTTP/1.1", "Host: peers", `X-Long: ${"0123456789".repeat(830)}`, ""),
    policy: LIMITS,
  },
  {
    upstream: "invalid/018.http",
    on: "malformedRequestLine",
    about: "a version without a dot",
    raw: lines("GET {app}/x HTTP/111", "Host: peers", ""),
  },
  {
    upstream: "invalid/019.http",
    about: "X-Forwarded-Proto and X-Forwarded-Ssl that disagree, from a trusted proxy",
    raw: "",
    policy: "gunicorn's secure_scheme_headers; we read X-Forwarded-Proto only",
  },
  {
    upstream: "invalid/020.http",
    about: "whitespace between a field name and its colon",
    raw: lines("POST {app}/x HTTP/1.1", "Host: peers", "Content-Length : 2", "", "ab"),
  },
  {
    upstream: "invalid/021.http",
    about: "two different Content-Lengths",
    raw: lines(
      "POST {app}/x HTTP/1.1",
      "Host: peers",
      "Content-Length: 2",
      "Content-Length: 1",
      "",
      "ab",
    ),
  },
  {
    upstream: "invalid/022.http",
    about: "Content-Length -0",
    raw: lines("POST {app}/x HTTP/1.0", "Content-Length: -0", ""),
  },
  {
    upstream: "invalid/023.http",
    about: "Content-Length with an underscore",
    raw: lines("POST {app}/x HTTP/1.0", "Content-Length: 0_2", ""),
  },
  {
    upstream: "invalid/024.http",
    about: "Content-Length with a plus sign",
    raw: lines("POST {app}/x HTTP/1.0", "Content-Length: +2", ""),
  },
  {
    upstream: "invalid/040.http",
    about: "header names with underscores, under header_map=refuse",
    raw: "",
    policy: "header_map is a gunicorn setting; by default it drops them, as we do (valid/040)",
  },
  {
    upstream: "invalid/041.http",
    about: "two Content-Type fields",
    raw: lines(
      "GET {app}/x HTTP/1.1",
      "Host: peers",
      "Content-Type: text/csv",
      "Content-Type: text/xml",
      "",
    ),
    policy: "gunicorn (and waitress) refuse a repeated Content-Type; HTTP does not require it",
  },
  {
    upstream: "invalid/042.http",
    about: "two Host fields",
    raw: lines("GET {app}/x HTTP/1.1", "Host: peers", "Host: elsewhere.example", ""),
  },
];
