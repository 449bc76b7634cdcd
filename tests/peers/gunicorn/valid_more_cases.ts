/**
 * More of our port of gunicorn's valid request corpus (`tests/requests/valid/025.http` to
 * `100.http` and the compat cases): transfer codings, a long field, raw bytes, methods,
 * underscores, a multipart form, repeated slashes. See valid_cases.ts.
 *
 * @module
 */

import { lines, type Parsed, type ValidCase } from "./valid_cases.ts";

const post = (target: string, headers: [string, string][], body: string): Parsed => ({
  method: "POST",
  target,
  version: "1.1",
  headers,
  body,
});
const get = (target: string, version: "1.0" | "1.1", headers: [string, string][] = []): Parsed => ({
  method: "GET",
  target,
  version,
  headers,
  body: "",
});

const CHUNKED: [string, string] = ["TRANSFER-ENCODING", "chunked"];
const LONG_VALUE = "v8".repeat(4000);
const BOUNDARY = "----------------------------9051914041544843365972754266";
const FORM = Array.from(
  { length: 60 },
  (_, n) =>
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="field-${n}"\r\n\r\n` +
    `${"value ".repeat(n % 7)}${n}\r\n`,
).join("") + `--${BOUNDARY}--\r\n`;

/** The valid cases from 025.http to compat_obs_fold_huge, in the order of the upstream files. */
export const VALID_MORE_CASES: ValidCase[] = [
  {
    upstream: "valid/025.http",
    on: "otherCodings",
    about: "Transfer-Encoding in two fields: deflate, then chunked",
    raw: lines(
      "POST {app}/codings HTTP/1.1",
      "Transfer-Encoding: deflate",
      "Transfer-Encoding: chunked",
      "",
      "6",
      "hello ",
      "5",
      "there",
      "0",
      "",
    ),
    expect: [post("/codings", [["TRANSFER-ENCODING", "deflate"], CHUNKED], "hello there")],
  },
  {
    upstream: "valid/025_line.http",
    on: "otherCodings",
    about: "Transfer-Encoding as one list: deflate,chunked",
    raw: lines(
      "POST {app}/codings HTTP/1.1",
      "Transfer-Encoding: deflate,chunked",
      "",
      "6",
      "hello ",
      "5",
      "there",
      "0",
      "",
    ),
    expect: [post("/codings", [["TRANSFER-ENCODING", "deflate,chunked"]], "hello there")],
  },
  {
    upstream: "valid/026.http",
    about: "a header value of 8 KB",
    raw: lines("GET {app}/ HTTP/1.0", `X-Big: ${LONG_VALUE}`, ""),
    expect: [get("/", "1.0", [["X-BIG", LONG_VALUE]])],
  },
  {
    upstream: "valid/027.http",
    about: "raw UTF-8 and a percent-escape in the path",
    raw: lines("GET {app}/\u00c3\u00a9t\u00c3\u00a9%20x HTTP/1.0", ""),
    expect: [get("/\u00c3\u00a9t\u00c3\u00a9%20x", "1.0")],
  },
  {
    upstream: "valid/028.http",
    about: "a space before a colon, under strip_header_spaces",
    raw: "",
    expect: [],
    policy: "strip_header_spaces is a gunicorn setting; by default it refuses (invalid/020)",
  },
  {
    upstream: "valid/029.http",
    on: "identityCoding",
    about: "identity, then chunked, in two fields, on GET",
    raw: lines(
      "GET {app}/get/chunked?x=y HTTP/1.1",
      "Transfer-Encoding: identity",
      "Transfer-Encoding: chunked",
      "",
      "6",
      "hello ",
      "000",
      "",
    ),
    expect: [{
      ...get("/get/chunked?x=y", "1.1", [["TRANSFER-ENCODING", "identity"], CHUNKED]),
      body: "hello ",
    }],
  },
  {
    upstream: "valid/030.http",
    on: "identityCoding",
    about: "the same as 029.http upstream, again",
    raw: lines(
      "GET {app}/get/chunked?x=z HTTP/1.1",
      "Transfer-Encoding: identity",
      "Transfer-Encoding: chunked",
      "",
      "5",
      "howdy",
      "000",
      "",
    ),
    expect: [{
      ...get("/get/chunked?x=z", "1.1", [["TRANSFER-ENCODING", "identity"], CHUNKED]),
      body: "howdy",
    }],
  },
  {
    upstream: "valid/031.http",
    on: "unknownMethod",
    about: "a method starting with '-' (a token)",
    raw: lines("-FROB {app}/thing HTTP/1.1", ""),
    expect: [{ ...get("/thing", "1.1"), method: "-FROB" }],
  },
  {
    upstream: "valid/031compat.http",
    about: "a lower-case method, with casefold_http_method",
    raw: "",
    expect: [],
    policy: "permit_unconventional_http_method and casefold_http_method are gunicorn settings",
  },
  {
    upstream: "valid/031compat2.http",
    about: "a lower-case method, with permit_unconventional_http_method",
    raw: "",
    expect: [],
    policy: "permit_unconventional_http_method is a gunicorn setting",
  },
  {
    upstream: "valid/040.http",
    // Upstream sends a GET; a Fetch Request drops a GET body (see the rfc9110 GET cases).
    about: "header names with underscores are dropped",
    raw: lines(
      "POST {app}/under?scores HTTP/1.0",
      "Transfer_Encoding: fooled",
      "Content-Length: 6",
      "Content_Length: -9E99",
      "",
      "fooled",
    ),
    expect: [{
      method: "POST",
      target: "/under?scores",
      version: "1.0",
      headers: [["CONTENT-LENGTH", "6"]],
      body: "fooled",
    }],
  },
  {
    upstream: "valid/040_compat.http",
    about: "header names with underscores kept, under header_map=dangerous",
    raw: "",
    expect: [],
    policy: "header_map is a gunicorn setting; by default it drops them, as we do (valid/040)",
  },
  {
    upstream: "valid/099.http",
    about: "a browser posting a multipart form",
    raw: lines(
      "POST {app}/form HTTP/1.1",
      "Host: 127.0.0.1:8080",
      "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
      "Accept: text/html,*/*;q=0.8",
      "Cookie: csrftoken=abcdef0123456789; sessionid=9876543210fedcba",
      "Connection: keep-alive",
      `Content-Type: multipart/form-data; boundary=${BOUNDARY}`,
      `Content-Length: ${FORM.length}`,
      "",
    ) + FORM,
    expect: [
      post("/form", [
        ["HOST", "127.0.0.1:8080"],
        ["USER-AGENT", "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"],
        ["ACCEPT", "text/html,*/*;q=0.8"],
        ["COOKIE", "csrftoken=abcdef0123456789; sessionid=9876543210fedcba"],
        ["CONNECTION", "keep-alive"],
        ["CONTENT-TYPE", `multipart/form-data; boundary=${BOUNDARY}`],
        ["CONTENT-LENGTH", String(FORM.length)],
      ], FORM),
    ],
  },
  {
    upstream: "valid/100.http",
    about: "repeated slashes are kept",
    raw: lines("GET {app}///three/slashes HTTP/1.1", ""),
    expect: [get("///three/slashes", "1.1")],
  },
  {
    upstream: "valid/compat_obs_fold.http",
    about: "a folded field, with permit_obsolete_folding",
    raw: "",
    expect: [],
    policy:
      "permit_obsolete_folding is a gunicorn setting; by default it refuses (invalid/obs_fold_01)",
  },
  {
    upstream: "valid/compat_obs_fold_huge.http",
    about: "a folded certificate, with permit_obsolete_folding",
    raw: "",
    expect: [],
    policy:
      "permit_obsolete_folding is a gunicorn setting; by default it refuses (invalid/obs_fold_01)",
  },
];
