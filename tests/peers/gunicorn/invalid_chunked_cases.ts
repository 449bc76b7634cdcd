/**
 * Our port of gunicorn's invalid chunked-framing corpus (`tests/requests/invalid/chunked_*.http`):
 * codings that leave the body's length in doubt, and chunk-size lines that are not one.
 * See invalid_cases.ts.
 *
 * @module
 */

import type { InvalidCase } from "./invalid_cases.ts";

const CRLF = "\r\n";
const lines = (...parts: string[]) => parts.join(CRLF) + CRLF;
const chunkedPost = (path: string, ...rest: string[]) =>
  lines(`POST {app}/${path} HTTP/1.1`, "Host: peers", "Transfer-Encoding: chunked", "", ...rest);

/** chunked_01.http to chunked_14.http. */
export const INVALID_CHUNKED_CASES: InvalidCase[] = [
  {
    upstream: "invalid/chunked_01.http",
    on: "malformedChunked",
    about: "an underscore in a chunk size, and a request after",
    raw: chunkedPost(
      "a",
      "4",
      "wxyz",
      "1_0",
      "0123456789abcdef",
      "0",
      "",
      "POST {app}/b HTTP/1.1",
      "Host: peers",
      "",
    ),
  },
  {
    upstream: "invalid/chunked_02.http",
    about: "Content-Length with Transfer-Encoding (its value after a tab)",
    raw: lines(
      "POST {app}/x HTTP/1.1",
      "Host: peers",
      "Content-Length: 9",
      "Transfer-Encoding: \tchunked",
      "",
      "4",
      "wxyz",
      "0",
      "",
    ),
  },
  {
    upstream: "invalid/chunked_03.http",
    about: "chunked twice in one Transfer-Encoding",
    raw: lines(
      "POST {app}/x HTTP/1.1",
      "Host: peers",
      "Transfer-Encoding: chunked, identity, chunked",
      "",
      "4",
      "wxyz",
      "0",
      "",
    ),
  },
  {
    upstream: "invalid/chunked_04.http",
    about: "chunked twice in repeated Transfer-Encoding fields",
    raw: lines(
      "POST {app}/x HTTP/1.1",
      "Host: peers",
      "Transfer-Encoding: chunked",
      "Transfer-Encoding: identity",
      "Transfer-Encoding: chunked",
      "",
      "4",
      "wxyz",
      "0",
      "",
    ),
  },
  {
    upstream: "invalid/chunked_05.http",
    about: "Transfer-Encoding on HTTP/1.0 (RFC 9112 §6.1: faulty framing, close after)",
    raw: lines("POST {app}/x HTTP/1.0", "Transfer-Encoding: chunked", "", "4", "wxyz", "0", ""),
  },
  {
    upstream: "invalid/chunked_06.http",
    about: "chunked, then another coding after it",
    raw: lines(
      "POST {app}/x HTTP/1.1",
      "Host: peers",
      "Transfer-Encoding: chunked",
      "Transfer-Encoding: deflate",
      "",
      "4",
      "wxyz",
      "0",
      "",
    ),
  },
  {
    upstream: "invalid/chunked_07.http",
    about: "Transfer_Encoding beside Transfer-Encoding, under header_map=refuse",
    raw: "",
    policy: "header_map is a gunicorn setting; by default the underscored name is dropped",
  },
  {
    upstream: "invalid/chunked_08.http",
    about: "chunked, then identity",
    raw: lines(
      "POST {app}/x HTTP/1.1",
      "Host: peers",
      "Transfer-Encoding: chunked",
      "Transfer-Encoding: identity",
      "",
      "4",
      "wxyz",
      "0",
      "",
    ),
  },
  {
    upstream: "invalid/chunked_09.http",
    on: "chunkSizeWhitespace",
    about: "a space after the last chunk size",
    raw: chunkedPost("x", "4", "wxyz", "0 ", ""),
  },
  {
    upstream: "invalid/chunked_10.http",
    on: "chunkSizeWhitespace",
    about: "a space before the last chunk size",
    raw: chunkedPost("x", "4", "wxyz", " 0", ""),
  },
  {
    upstream: "invalid/chunked_11.http",
    on: "malformedChunked",
    about: "a bare LF after a chunk size",
    raw: chunkedPost("x", "4\n;", "wxyz", "0", ""),
  },
  {
    upstream: "invalid/chunked_12.http",
    on: "malformedChunked",
    about: "an extension and no size",
    raw: chunkedPost("x", " ;k=v", "wxyz", "0", ""),
  },
  {
    upstream: "invalid/chunked_13.http",
    on: "malformedChunked",
    about: "an empty chunk-size line",
    raw: chunkedPost("x", "", "wxyz", "0", ""),
  },
  {
    upstream: "invalid/chunked_14.http",
    on: "malformedChunked",
    about: "a bare CR in a chunk extension",
    raw: chunkedPost("x", "4;k=v\rw", "wxyz", "0", ""),
  },
];
