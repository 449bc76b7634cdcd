/**
 * The rest of our port of gunicorn's invalid request corpus (`tests/requests/invalid/`): field
 * values, non-ASCII names, obsolete folding, the PROXY protocol, request-line prefixes, trailers,
 * the last chunk, targets and versions. See invalid_cases.ts.
 *
 * @module
 */

import type { InvalidCase } from "./invalid_cases.ts";

const CRLF = "\r\n";
const lines = (...parts: string[]) => parts.join(CRLF) + CRLF;
const chunkedPost = (path: string, ...rest: string[]) =>
  lines(`POST {app}/${path} HTTP/1.1`, "Host: peers", "Transfer-Encoding: chunked", "", ...rest);
const PROXY = "the PROXY protocol is gunicorn's proxy_protocol setting; we do not speak it";

/** The field, prefix, RFC and version cases, in the order of the upstream files. */
export const INVALID_FIELD_CASES: InvalidCase[] = [
  {
    upstream: "invalid/invalid_field_value_01.http",
    about: "a bare LF ending a header line, hiding a second request in a body",
    // The hidden request is 38 bytes, the length the split line would declare.
    raw: `GET {app}/x HTTP/1.1${CRLF}Host: peers${CRLF}X-Split: a\nContent-Length: 38${CRLF}` +
      `GET /smuggled HTTP/1.1\nHost: peers${CRLF}${CRLF}`,
  },
  {
    upstream: "invalid/limit_header_default_01.http",
    about: "a header value past gunicorn's default field size",
    raw: lines("GET {app}/x HTTP/1.0", `X: ${"z".repeat(8200)}`, ""),
    policy: "a gunicorn limit (its settings); the runtimes have their own",
  },
  {
    upstream: "invalid/nonascii_01.http",
    on: "malformedRequestLine",
    about: "a non-ASCII letter ending the method (UTF-8)",
    raw: lines("GET\u00c3\u009f {app}/x HTTP/1.1", "Host: peers", ""),
  },
  {
    upstream: "invalid/nonascii_02.http",
    on: "malformedRequestLine",
    about: "a non-ASCII byte ending the method (latin-1)",
    raw: lines("GET\u00ff {app}/x HTTP/1.1", "Host: peers", ""),
  },
  {
    upstream: "invalid/nonascii_03.http",
    about: "a non-ASCII letter in a header name (UTF-8)",
    raw: lines("GET {app}/x HTTP/1.1", "Host: peers", "Content-Type\u00c3\u009f: a", ""),
  },
  {
    upstream: "invalid/nonascii_04.http",
    about: "a non-ASCII byte in a header name (latin-1)",
    raw: lines("GET {app}/x HTTP/1.1", "Host: peers", "Content-Type\u00ff: a", ""),
  },
  {
    upstream: "invalid/obs_fold_01.http",
    about: "an obsolete line folding (RFC 9112 §5.2: refuse, or unfold)",
    raw: lines("GET {app}/x HTTP/1.1", "X-Folded: first", " second", "Host: peers", ""),
  },
  { upstream: "invalid/pp_01.http", about: "a PROXY line cut short", raw: "", policy: PROXY },
  { upstream: "invalid/pp_02.http", about: "a PROXY line with bad ports", raw: "", policy: PROXY },
  {
    upstream: "invalid/pp_03.http",
    about: "a PROXY line with a bad address",
    raw: "",
    policy: PROXY,
  },
  {
    upstream: "invalid/prefix_01.http",
    on: "malformedRequestLine",
    about: "NUL inside the method",
    raw: lines("PUT\0PROXY {app}/x HTTP/1.1", "Host: peers", ""),
  },
  {
    upstream: "invalid/prefix_02.http",
    on: "malformedRequestLine",
    about: "NUL after the method",
    raw: lines("PUT\0 {app}/x HTTP/1.1", "Host: peers", ""),
  },
  {
    upstream: "invalid/prefix_03.http",
    about: "two numbers in Content-Length",
    raw: lines("POST {app}/x HTTP/1.1", "Host: peers", "Content-Length: 0 2", "", "ab"),
  },
  {
    upstream: "invalid/prefix_04.http",
    about: "two numbers in Content-Length, the second a smuggled body",
    raw: lines("POST {app}/x HTTP/1.1", "Host: peers", "Content-Length: 2 9", "", "ab", "abcdefg"),
  },
  {
    upstream: "invalid/prefix_05.http",
    about: "a colon after the method",
    raw: lines("POST: {app}/x HTTP/1.1", "Host: peers", "Content-Length: 2", "", "ab"),
  },
  {
    upstream: "invalid/prefix_06.http",
    on: "malformedRequestLine",
    about: "a major version of 90 digits",
    raw: lines(`GET {app}/x HTTP/${"2".repeat(90)}.1`, "Host: peers", ""),
  },
  {
    upstream: "invalid/rfc9110_field_value_ctl_bel_01.http",
    about: "a BEL in a field value (RFC 9110 §5.5: invalid)",
    raw: lines("GET {app}/x HTTP/1.1", "Host: peers", "X-Bell: ring\x07ring", ""),
  },
  {
    upstream: "invalid/rfc9110_field_value_ctl_del_01.http",
    about: "a DEL in a field value (RFC 9110 §5.5: invalid; a recipient MAY keep it)",
    raw: lines("GET {app}/x HTTP/1.1", "Host: peers", "X-Del: rub\x7fout", ""),
    on: "controlsInFieldValues",
  },
  {
    upstream: "invalid/rfc9110_trailer_forbidden_cl_01.http",
    about: "Content-Length as a trailer field",
    raw: chunkedPost("x", "4", "wxyz", "0", "Content-Length: 44", ""),
    on: "trailers",
  },
  {
    upstream: "invalid/rfc9110_trailer_forbidden_host_01.http",
    about: "Host as a trailer field",
    raw: chunkedPost("x", "4", "wxyz", "0", "Host: elsewhere.example", ""),
    on: "trailers",
  },
  {
    upstream: "invalid/rfc9110_trailer_forbidden_te_01.http",
    about: "Transfer-Encoding as a trailer field",
    raw: chunkedPost("x", "4", "wxyz", "0", "Transfer-Encoding: chunked", ""),
    on: "trailers",
  },
  {
    upstream: "invalid/rfc9112_chunked_missing_final_crlf_01.http",
    on: "lastChunkCut",
    about: "the input ends after the last chunk's size line",
    raw: lines("POST {app}/x HTTP/1.1", "Host: peers", "Transfer-Encoding: chunked", "", "0"),
    end: true,
  },
  {
    upstream: "invalid/rfc9112_chunked_size_minus_sign_01.http",
    on: "malformedChunked",
    about: "a chunk size of -4",
    raw: chunkedPost("x", "-4", "wxyz", "0", ""),
  },
  {
    upstream: "invalid/rfc9112_chunked_size_plus_sign_01.http",
    on: "malformedChunked",
    about: "a chunk size of +4",
    raw: chunkedPost("x", "+4", "wxyz", "0", ""),
  },
  {
    upstream: "invalid/rfc9112_smuggle_cl_list_form_01.http",
    about: "Content-Length as a list of one value (RFC 9110 §8.6: refuse, or take it once)",
    raw: lines("POST {app}/x HTTP/1.1", "Host: peers", "Content-Length: 4, 4", "", "wxyz"),
  },
  {
    upstream: "invalid/rfc9112_smuggle_cl_te_chunked_01.http",
    about: "Content-Length and chunked (RFC 9112 §6.1: refuse, or chunked and close after)",
    raw: lines(
      "POST {app}/x HTTP/1.1",
      "Host: peers",
      "Content-Length: 5",
      "Transfer-Encoding: chunked",
      "",
      "0",
      "",
    ),
  },
  {
    upstream: "invalid/rfc9112_target_asterisk_non_options_01.http",
    about: "the asterisk form with GET",
    raw: lines("GET * HTTP/1.1", "Host: peers", ""),
  },
  {
    upstream: "invalid/rfc9112_target_authority_non_connect_01.http",
    about: "the authority form with GET",
    raw: lines("GET peers.example:8443 HTTP/1.1", "Host: peers.example:8443", ""),
  },
  {
    upstream: "invalid/rfc9112_target_relative_01.http",
    about: "a relative request target",
    raw: lines("GET apps/x HTTP/1.1", "Host: peers", ""),
  },
  {
    upstream: "invalid/version_01.http",
    on: "malformedRequestLine",
    about: "HTTP/0.99",
    raw: lines("GET {app}/x HTTP/0.99", ""),
  },
  {
    upstream: "invalid/version_02.http",
    on: "malformedRequestLine",
    about: "HTTP/2.0 in an HTTP/1 request line",
    raw: lines("GET {app}/x HTTP/2.0", ""),
  },
];
