/**
 * Our port of gunicorn's valid request corpus (`tests/requests/valid/*.http`, each with what
 * gunicorn's parser makes of it in its `.py`): one case per upstream file, written anew (our own
 * paths, headers and bodies) to exercise the same parse. `{app}` in a request stands for the
 * fixture's path (`/environ` or `/environ.py`); an expected `target` is relative to it.
 *
 * @module
 */

import type { DifferenceName } from "../support/differences.ts";

/** What gunicorn parses a request into: the fields its `.py` files list. */
export interface Parsed {
  method: string;
  /** The path and query after the app's prefix, as sent (percent-escapes and all). */
  target: string;
  version: "1.0" | "1.1";
  /** The header fields, names upper-cased as gunicorn gives them, in order. */
  headers: [string, string][];
  /** The body, as latin-1 text. */
  body: string;
}

/** One request (or several, sent in one write) gunicorn parses. */
export interface ValidCase {
  /** The upstream file this case ports. */
  upstream: string;
  /** What it exercises. */
  about: string;
  /** The bytes sent. */
  raw: string;
  /** What gunicorn parses, one entry per request it answers. */
  expect: Parsed[];
  /** Why it is not ported: a gunicorn setting it needs. */
  policy?: string;
  /** Where a runtime does not let the app answer, the behaviour in DIFFERENCES that says so. */
  on?: DifferenceName;
  /**
   * For a target no app can be mounted at (`*`, an authority): the status edge-wsgi itself
   * answers with, which is all that is checked.
   */
  answer?: number;
}

const CRLF = "\r\n";
/** Lines joined with CRLF, the last one too; a body goes after the empty line. */
export const lines = (...parts: string[]) => parts.join(CRLF) + CRLF;

const get = (target: string, version: "1.0" | "1.1", headers: [string, string][] = []): Parsed => ({
  method: "GET",
  target,
  version,
  headers,
  body: "",
});

/** The valid cases from 001.http to 011.http, in the order of the upstream files. */
export const VALID_CASES: ValidCase[] = [
  {
    upstream: "valid/001.http",
    about: "PUT with a query and a JSON body, HTTP/1.0",
    raw: lines(
      "PUT {app}/docs/item?rev=2 HTTP/1.0",
      "Server: http://127.0.0.1:8091",
      "Content-Type: application/json",
      "Content-Length: 15",
      "",
      '{"name": "box"}',
    ),
    expect: [{
      method: "PUT",
      target: "/docs/item?rev=2",
      version: "1.0",
      headers: [["SERVER", "http://127.0.0.1:8091"], ["CONTENT-TYPE", "application/json"], [
        "CONTENT-LENGTH",
        "15",
      ]],
      body: '{"name": "box"}',
    }],
  },
  {
    upstream: "valid/002.http",
    about: "a Host that is a reg-name with '=' (a sub-delim)",
    raw: lines(
      "GET {app}/probe HTTP/1.1",
      "User-Agent: curl/8.0.1 (x86_64-pc-linux-gnu) libcurl/8.0.1",
      "Host: 127.0.0.1=8080",
      "Accept: */*",
      "",
    ),
    expect: [
      get("/probe", "1.1", [["USER-AGENT", "curl/8.0.1 (x86_64-pc-linux-gnu) libcurl/8.0.1"], [
        "HOST",
        "127.0.0.1=8080",
      ], ["ACCEPT", "*/*"]]),
    ],
  },
  {
    upstream: "valid/003.http",
    about: "a browser's header set, with Keep-Alive and Connection",
    raw: lines(
      "GET {app}/favicon.ico HTTP/1.1",
      "Host: 127.0.0.1=8080",
      "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
      "Accept: image/avif,image/webp,*/*;q=0.8",
      "Accept-Language: de,en;q=0.5",
      "Accept-Encoding: gzip, deflate, br",
      "Accept-Charset: UTF-8,*;q=0.5",
      "Keep-Alive: 115",
      "Connection: keep-alive",
      "",
    ),
    expect: [
      get("/favicon.ico", "1.1", [
        ["HOST", "127.0.0.1=8080"],
        ["USER-AGENT", "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"],
        ["ACCEPT", "image/avif,image/webp,*/*;q=0.8"],
        ["ACCEPT-LANGUAGE", "de,en;q=0.5"],
        ["ACCEPT-ENCODING", "gzip, deflate, br"],
        ["ACCEPT-CHARSET", "UTF-8,*;q=0.5"],
        ["KEEP-ALIVE", "115"],
        ["CONNECTION", "keep-alive"],
      ]),
    ],
  },
  {
    upstream: "valid/004.http",
    about: "an odd field name and a value with no space after the colon",
    raw: lines("GET {app}/odd HTTP/1.1", "zzzzzzzzzzzzzzzzz:----------", ""),
    expect: [get("/odd", "1.1", [["ZZZZZZZZZZZZZZZZZ", "----------"]])],
  },
  {
    upstream: "valid/005.http",
    about: "a query and a fragment in the request target, no header",
    raw: lines("GET {app}/threads/7/posts/1234?page=3#reply-99 HTTP/1.1", ""),
    expect: [get("/threads/7/posts/1234?page=3", "1.1")],
  },
  {
    upstream: "valid/006.http",
    about: "no header, no body",
    raw: lines("GET {app}/bare/request HTTP/1.1", ""),
    expect: [get("/bare/request", "1.1")],
  },
  {
    upstream: "valid/007.http",
    about: "one header, no body",
    raw: lines("GET {app}/one/header HTTP/1.1", "Accept: text/plain", ""),
    expect: [get("/one/header", "1.1", [["ACCEPT", "text/plain"]])],
  },
  {
    upstream: "valid/008.http",
    about: "a Content-Length named in mixed case, on GET",
    raw: lines("GET {app}/mixed/case HTTP/1.0", "cONTENT-lENGTH: 5", "", "HOWDY"),
    expect: [{ ...get("/mixed/case", "1.0", [["CONTENT-LENGTH", "5"]]), body: "HOWDY" }],
  },
  {
    upstream: "valid/009.http",
    on: "identityCoding",
    about: "Transfer-Encoding: identity beside a Content-Length",
    raw: lines(
      "POST {app}/identity?q=find#top HTTP/1.1",
      "Accept: */*",
      "Transfer-Encoding: identity",
      "Content-Length: 5",
      "",
      "Earth",
    ),
    expect: [{
      method: "POST",
      target: "/identity?q=find",
      version: "1.1",
      headers: [["ACCEPT", "*/*"], ["TRANSFER-ENCODING", "identity"], ["CONTENT-LENGTH", "5"]],
      body: "Earth",
    }],
  },
  {
    upstream: "valid/010.http",
    about: "a chunked body of one chunk",
    raw: lines(
      "POST {app}/one/chunk HTTP/1.1",
      "Transfer-Encoding: chunked",
      "",
      "1d",
      "a chunked body in one piece.!",
      "0",
      "",
    ),
    expect: [{
      method: "POST",
      target: "/one/chunk",
      version: "1.1",
      headers: [["TRANSFER-ENCODING", "chunked"]],
      body: "a chunked body in one piece.!",
    }],
  },
  {
    upstream: "valid/011.http",
    about: "two chunks, the last size written 000",
    raw: lines(
      "POST {app}/two/chunks HTTP/1.1",
      "Transfer-Encoding: chunked",
      "",
      "6",
      "hello ",
      "5",
      "there",
      "000",
      "",
    ),
    expect: [{
      method: "POST",
      target: "/two/chunks",
      version: "1.1",
      headers: [["TRANSFER-ENCODING", "chunked"]],
      body: "hello there",
    }],
  },
];
