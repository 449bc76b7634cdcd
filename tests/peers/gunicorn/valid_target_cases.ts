/**
 * The last of our port of gunicorn's valid request corpus (`tests/requests/valid/rfc9112_*`):
 * chunk framing, transfer codings, and the forms of the request target. A target that names no
 * path (`*`, an authority) cannot reach a mounted app: for those only the status is checked,
 * which is the server's own answer. See valid_cases.ts.
 *
 * @module
 */

import { lines, type Parsed, type ValidCase } from "./valid_cases.ts";

const HOST: [string, string] = ["HOST", "peers.example"];
const CHUNKED: [string, string] = ["TRANSFER-ENCODING", "chunked"];
const upload = (body: string, headers: [string, string][] = [HOST, CHUNKED]): Parsed => ({
  method: "POST",
  target: "/upload",
  version: "1.1",
  headers,
  body,
});
const chunked = (...body: string[]) =>
  lines(
    "POST {app}/upload HTTP/1.1",
    "Host: peers.example",
    "Transfer-Encoding: chunked",
    "",
    ...body,
  );
const get = (target: string, host: string): Parsed => ({
  method: "GET",
  target,
  version: "1.1",
  headers: [["HOST", host]],
  body: "",
});

/** The rfc9112 cases, in the order of the upstream files. */
export const VALID_TARGET_CASES: ValidCase[] = [
  {
    upstream: "valid/rfc9112_chunked_ext_quoted_01.http",
    on: "chunkExtensions",
    about: "a chunk extension with a quoted value holding a space",
    raw: chunked('6;note="two words"', "quoted", "0", ""),
    expect: [upload("quoted")],
  },
  {
    upstream: "valid/rfc9112_chunked_size_leading_zeros_01.http",
    about: "a chunk size with leading zeros",
    raw: chunked("0006", "zeroes", "0", ""),
    expect: [upload("zeroes")],
  },
  {
    upstream: "valid/rfc9112_chunked_size_uppercase_hex_01.http",
    about: "a chunk size in upper-case hex",
    raw: chunked("B", "hexadecimal", "0", ""),
    expect: [upload("hexadecimal")],
  },
  {
    upstream: "valid/rfc9112_smuggle_gzip_chunked_01.http",
    on: "otherCodings",
    about: "Transfer-Encoding: gzip, chunked",
    raw: lines(
      "POST {app}/upload HTTP/1.1",
      "Host: peers.example",
      "Transfer-Encoding: gzip, chunked",
      "",
      "5",
      "gzips",
      "0",
      "",
    ),
    expect: [upload("gzips", [HOST, ["TRANSFER-ENCODING", "gzip, chunked"]])],
  },
  {
    upstream: "valid/rfc9112_smuggle_te_identity_chunked_01.http",
    on: "identityCoding",
    about: "Transfer-Encoding: identity, chunked",
    raw: lines(
      "POST {app}/upload HTTP/1.1",
      "Host: peers.example",
      "Transfer-Encoding: identity, chunked",
      "",
      "5",
      "ident",
      "0",
      "",
    ),
    expect: [upload("ident", [HOST, ["TRANSFER-ENCODING", "identity, chunked"]])],
  },
  {
    upstream: "valid/rfc9112_target_absolute_01.http",
    about: "the absolute form",
    raw: lines("GET http://peers.example{app}/page?n=4 HTTP/1.1", "Host: peers.example", ""),
    expect: [get("/page?n=4", "peers.example")],
  },
  {
    upstream: "valid/rfc9112_target_absolute_https_01.http",
    about: "the absolute form with https (the connection is still plain HTTP)",
    raw: lines("GET https://peers.example{app}/page HTTP/1.1", "Host: peers.example", ""),
    expect: [get("/page", "peers.example")],
  },
  {
    upstream: "valid/rfc9112_target_absolute_ipv6_01.http",
    about: "the absolute form with an IPv6 literal and a port",
    raw: lines("GET http://[::1]:8443{app}/page HTTP/1.1", "Host: [::1]:8443", ""),
    expect: [get("/page", "[::1]:8443")],
  },
  {
    upstream: "valid/rfc9112_target_absolute_userinfo_01.http",
    on: "absoluteFormUserinfo",
    about: "the absolute form with userinfo",
    raw: lines(
      "GET http://who:secret@peers.example:8443{app}/page?n=4 HTTP/1.1",
      "Host: peers.example:8443",
      "",
    ),
    expect: [get("/page?n=4", "peers.example:8443")],
  },
  {
    upstream: "valid/rfc9112_target_asterisk_options_01.http",
    on: "asteriskForm",
    about: "OPTIONS *",
    raw: lines("OPTIONS * HTTP/1.1", "Host: peers.example", ""),
    expect: [],
    answer: 204,
  },
  {
    upstream: "valid/rfc9112_target_authority_connect_01.http",
    about: "CONNECT to a host and port",
    raw: lines("CONNECT peers.example:443 HTTP/1.1", "Host: peers.example:443", ""),
    expect: [],
    answer: 405,
  },
  {
    upstream: "valid/rfc9112_target_authority_ipv6_01.http",
    on: "connectIpv6",
    about: "CONNECT to an IPv6 literal and port",
    raw: lines("CONNECT [::1]:443 HTTP/1.1", "Host: [::1]:443", ""),
    expect: [],
    answer: 405,
  },
];
