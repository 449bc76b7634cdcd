/**
 * More of our port of gunicorn's valid request corpus (`tests/requests/valid/`): padding, the
 * PROXY protocol cases (gunicorn settings), and the RFC 9110 cases: GET bodies, field names and
 * values. See valid_cases.ts.
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

const HOST: [string, string] = ["HOST", "peers.example"];
const PROXY = "the PROXY protocol is gunicorn's proxy_protocol setting; we do not speak it";

/** padding_01, pp_*, rfc9110_*, in the order of the upstream files. */
export const VALID_FIELD_CASES: ValidCase[] = [
  {
    upstream: "valid/padding_01.http",
    about: "spaces and tabs around a value are trimmed",
    raw: lines("GET {app}/ HTTP/1.1", "Host: peers.example", "Padded: \t inside \t ", ""),
    expect: [get("/", "1.1", [HOST, ["PADDED", "inside"]])],
  },
  {
    upstream: "valid/pp_01.http",
    about: "a PROXY v1 line, then a request",
    raw: "",
    expect: [],
    policy: PROXY,
  },
  {
    upstream: "valid/pp_02.http",
    about: "a PROXY v1 line, then two requests",
    raw: "",
    expect: [],
    policy: PROXY,
  },
  {
    upstream: "valid/pp_03.http",
    about: "no PROXY line, with proxy_protocol on",
    raw: "",
    expect: [],
    policy: PROXY,
  },
  {
    upstream: "valid/pp_04.http",
    about: "a PROXY v2 header (IPv4), then a request",
    raw: "",
    expect: [],
    policy: PROXY,
  },
  {
    upstream: "valid/pp_05.http",
    about: "a PROXY v2 header (IPv6), then a request",
    raw: "",
    expect: [],
    policy: PROXY,
  },
  {
    upstream: "valid/rfc9110_body_framing_get_cl_nonzero_01.http",
    about: "GET with a Content-Length and a body",
    raw: lines(
      "GET {app}/search HTTP/1.1",
      "Host: peers.example",
      "Content-Length: 6",
      "",
      "needle",
    ),
    expect: [{ ...get("/search", "1.1", [HOST, ["CONTENT-LENGTH", "6"]]), body: "needle" }],
  },
  {
    upstream: "valid/rfc9110_body_framing_get_cl_zero_01.http",
    about: "GET with Content-Length: 0",
    raw: lines("GET {app}/search HTTP/1.1", "Host: peers.example", "Content-Length: 0", ""),
    expect: [get("/search", "1.1", [HOST, ["CONTENT-LENGTH", "0"]])],
  },
  {
    upstream: "valid/rfc9110_body_framing_http10_cl_01.http",
    about: "HTTP/1.0 POST with a Content-Length",
    raw: lines(
      "POST {app}/submit HTTP/1.0",
      "Host: peers.example",
      "Content-Length: 6",
      "",
      "needle",
    ),
    expect: [{
      method: "POST",
      target: "/submit",
      version: "1.0",
      headers: [HOST, ["CONTENT-LENGTH", "6"]],
      body: "needle",
    }],
  },
  {
    upstream: "valid/rfc9110_field_name_special_chars_01.http",
    about: "token characters in a field name: . | ~ ! #",
    raw: lines("GET {app}/ HTTP/1.1", "Host: peers.example", "X.Odd|Name~!#: fine", ""),
    expect: [get("/", "1.1", [HOST, ["X.ODD|NAME~!#", "fine"]])],
  },
  {
    upstream: "valid/rfc9110_field_value_htab_trim_01.http",
    about: "tabs around a value are trimmed",
    raw: lines("GET {app}/ HTTP/1.1", "Host: peers.example", "X-Tabbed:\tkept\t", ""),
    expect: [get("/", "1.1", [HOST, ["X-TABBED", "kept"]])],
  },
  {
    upstream: "valid/rfc9110_field_value_obs_text_01.http",
    about: "bytes past ASCII in a value arrive as latin-1 characters",
    raw: lines("GET {app}/ HTTP/1.1", "Host: peers.example", "X-Name: Jos\u00c3\u00a9", ""),
    expect: [get("/", "1.1", [HOST, ["X-NAME", "Jos\u00c3\u00a9"]])],
  },
];
