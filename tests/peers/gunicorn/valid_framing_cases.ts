/**
 * More of our port of gunicorn's valid request corpus (`tests/requests/valid/012.http` to
 * `024.http`): trailers and extensions, quotes, repeated fields, several requests in one write,
 * keep-alive and a long request line. See valid_cases.ts.
 *
 * @module
 */

import { lines, type Parsed, type ValidCase } from "./valid_cases.ts";

const get = (target: string, version: "1.0" | "1.1", headers: [string, string][] = []): Parsed => ({
  method: "GET",
  target,
  version,
  headers,
  body: "",
});

const LONG_TARGET = "/" + "k9".repeat(4000);

/** The valid cases from 012.http to 024.http, in the order of the upstream files. */
export const VALID_FRAMING_CASES: ValidCase[] = [
  {
    upstream: "valid/012.http",
    on: "trailers",
    about: "a chunked body with trailer fields",
    raw: lines(
      "POST {app}/with/trailers HTTP/1.1",
      "Transfer-Encoding: chunked",
      "",
      "6",
      "hello ",
      "5",
      "there",
      "0",
      "X-Checksum: 1a2b",
      "X-Done: yes",
      "",
    ),
    expect: [{
      method: "POST",
      target: "/with/trailers",
      version: "1.1",
      headers: [["TRANSFER-ENCODING", "chunked"]],
      body: "hello there",
    }],
  },
  {
    upstream: "valid/013.http",
    on: "chunkExtensions",
    about: "chunk extensions, with and without values",
    raw: lines(
      "POST {app}/with/extensions HTTP/1.1",
      "Transfer-Encoding: chunked",
      "",
      "6; first; level=2",
      "hello ",
      "5; second",
      "there",
      "0",
      "",
    ),
    expect: [{
      method: "POST",
      target: "/with/extensions",
      version: "1.1",
      headers: [["TRANSFER-ENCODING", "chunked"]],
      body: "hello there",
    }],
  },
  {
    upstream: "valid/014.http",
    about: "double quotes in the path and the query",
    raw: lines('GET {app}/say_"hi"?word="yo" HTTP/1.1', ""),
    expect: [get('/say_"hi"?word="yo"', "1.1")],
  },
  {
    upstream: "valid/015.http",
    about: "HTTP/1.0 with a Host and a port",
    raw: lines(
      "GET {app}/bench HTTP/1.0",
      "Host: 127.0.0.1:8080",
      "User-Agent: wrk/4.2",
      "Accept: */*",
      "",
    ),
    expect: [
      get("/bench", "1.0", [["HOST", "127.0.0.1:8080"], ["USER-AGENT", "wrk/4.2"], [
        "ACCEPT",
        "*/*",
      ]]),
    ],
  },
  {
    upstream: "valid/017.http",
    about: "a field repeated: two If-Match",
    raw: lines("GET {app}/resource?v=1 HTTP/1.0", 'If-Match: "abc"', 'If-Match: "def"', ""),
    expect: [get("/resource?v=1", "1.0", [["IF-MATCH", '"abc"'], ["IF-MATCH", '"def"']])],
  },
  {
    upstream: "valid/018.http",
    about: "two requests in one write",
    raw: lines("GET {app}/one HTTP/1.1", "", "GET {app}/two HTTP/1.1", ""),
    expect: [get("/one", "1.1"), get("/two", "1.1")],
  },
  {
    upstream: "valid/019.http",
    about: "an HTTP/1.0 request, then one more: only the first is answered",
    raw: lines("GET {app}/one HTTP/1.0", "", "GET {app}/two HTTP/1.1", ""),
    expect: [get("/one", "1.0")],
  },
  {
    upstream: "valid/020.http",
    about: "a body that reads like a second request",
    raw: lines("GET {app}/one HTTP/1.0", "Content-Length: 25", "", "GET /two HTTP/1.1\r\n\r\n...")
      .slice(0, -2),
    expect: [{
      ...get("/one", "1.0", [["CONTENT-LENGTH", "25"]]),
      body: "GET /two HTTP/1.1\r\n\r\n...",
    }],
  },
  {
    upstream: "valid/021.http",
    about: "Connection: Close, then one more: only the first is answered",
    raw: lines("GET {app}/one HTTP/1.1", "Connection: Close", "", "GET {app}/two HTTP/1.1", ""),
    expect: [get("/one", "1.1", [["CONNECTION", "Close"]])],
  },
  {
    upstream: "valid/022.http",
    about: "HTTP/1.0 with Keep-Alive, then an HTTP/1.1 request",
    raw: lines(
      "GET {app}/one HTTP/1.0",
      "Connection: Keep-Alive",
      "",
      "GET {app}/two HTTP/1.1",
      "",
    ),
    expect: [get("/one", "1.0", [["CONNECTION", "Keep-Alive"]]), get("/two", "1.1")],
  },
  {
    upstream: "valid/023.http",
    about: "a chunked request, then another request",
    raw: lines(
      "POST {app}/one HTTP/1.1",
      "Transfer-Encoding: chunked",
      "",
      "6",
      "hello ",
      "5",
      "there",
      "000",
      "",
      "GET {app}/two HTTP/1.1",
      "",
    ),
    expect: [{
      method: "POST",
      target: "/one",
      version: "1.1",
      headers: [["TRANSFER-ENCODING", "chunked"]],
      body: "hello there",
    }, get("/two", "1.1")],
  },
  {
    upstream: "valid/024.http",
    about: "a request line of 8 KB",
    raw: lines(`PUT {app}${LONG_TARGET} HTTP/1.0`, ""),
    expect: [{ method: "PUT", target: LONG_TARGET, version: "1.0", headers: [], body: "" }],
  },
];
