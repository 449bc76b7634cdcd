import { describe, expect, test } from "bun:test";
import { checkHeaders, isHopByHop, parseStatus } from "../../src/core/response_rules.ts";

describe("parseStatus()", () => {
  const valid: [string, number, string][] = [
    ["200 OK", 200, "OK"],
    ["404 Not Found", 404, "Not Found"],
    ["599 x", 599, "x"],
    ["201 Tr\u00e8s bien \u00ff", 201, "Tr\u00e8s bien \u00ff"],
    ["500 Internal Server Error", 500, "Internal Server Error"],
  ];
  for (const [status, code, reason] of valid) {
    test(`parseStatus() splits ${JSON.stringify(status)}`, () => {
      expect(parseStatus(status)).toEqual({ code, reason });
    });
  }

  const invalid: [string, unknown][] = [
    ["no reason", "200"],
    ["no space", "200OK"],
    ["two digits", "20 OK"],
    ["four digits", "2000 OK"],
    ["empty reason", "200 "],
    ["1xx: Fetch cannot build it", "100 Continue"],
    ["199", "199 x"],
    ["600", "600 x"],
    ["CR LF in the reason (response splitting)", "200 OK\r\nX: y"],
    ["LF in the reason", "200 OK\nX: y"],
    ["NUL in the reason", "200 OK\0"],
    ["non-latin-1 reason", "200 \u4e2d"],
    ["a number", 200],
    ["undefined", undefined],
    ["null", null],
  ];
  for (const [what, status] of invalid) {
    test(`parseStatus() rejects ${what}: ${JSON.stringify(status)}`, () => {
      expect(() => parseStatus(status)).toThrow(TypeError);
    });
  }

  test("parseStatus() quotes the bad value in its message", () => {
    expect(() => parseStatus("20 OK")).toThrow('"20 OK"');
  });
});

describe("checkHeaders()", () => {
  const valid: [string, unknown][] = [
    ["no headers", []],
    ["one pair", [["Content-Type", "text/plain"]]],
    ["several pairs", [["Set-Cookie", "a=1"], ["Set-Cookie", "b=2"], ["X-A", ""]]],
    ["token characters in the name", [["X-!#$%&'*+-.^_`|~09az", "v"]]],
    ["tab in the value", [["X-Tab", "a\tb"]]],
    ["latin-1 in the value", [["X-Latin", "caf\u00e9 \u00ff"]]],
    ["decimal Content-Length", [["Content-Length", "0"], ["content-length", "123"]]],
  ];
  for (const [what, headers] of valid) {
    test(`checkHeaders() accepts ${what}`, () => {
      expect(() => checkHeaders(headers)).not.toThrow();
    });
  }

  const invalid: [string, unknown, string][] = [
    ["not an array", { "Content-Type": "text/plain" }, "array"],
    ["a string", "Content-Type: text/plain", "array"],
    ["a pair that is not an array", ["Content-Type"], "pair"],
    ["a pair of 3", [["X-A", "1", "2"]], "pair"],
    ["a pair of 1", [["X-A"]], "pair"],
    ["a non-string value", [["X-A", 1]], "string value"],
    ["a non-string name", [[1, "v"]], "token"],
    ["a name with a space", [["X A", "v"]], "token"],
    ["a name with a colon", [["X-A:", "v"]], "token"],
    ["an empty name", [["", "v"]], "token"],
    ["a non-latin-1 name", [["X-\u00e9", "v"]], "token"],
    ["CR in a value", [["X-A", "a\rb"]], "control"],
    ["LF in a value", [["X-A", "a\nb"]], "control"],
    ["CR LF in a value (response splitting)", [["X-A", "a\r\nSet-Cookie: x=1"]], "control"],
    ["NUL in a value", [["X-A", "a\0b"]], "control"],
    ["DEL in a value", [["X-A", "a\x7fb"]], "control"],
    ["another control in a value", [["X-A", "a\x1bb"]], "control"],
    ["a non-latin-1 value", [["X-A", "\u4e2d"]], "non-latin-1"],
    ["a non-decimal Content-Length", [["Content-Length", "12a"]], "decimal"],
    ["a negative Content-Length", [["Content-Length", "-1"]], "decimal"],
    ["an empty Content-Length", [["Content-Length", ""]], "decimal"],
    ["a fractional Content-Length", [["content-length", "1.5"]], "decimal"],
    ["a hop-by-hop header", [["Connection", "close"]], "hop-by-hop"],
    ["a bad pair after a good one", [["X-A", "ok"], ["X-B", "a\nb"]], "X-B"],
  ];
  for (const [what, headers, message] of invalid) {
    test(`checkHeaders() rejects ${what}`, () => {
      expect(() => checkHeaders(headers)).toThrow(TypeError);
      expect(() => checkHeaders(headers)).toThrow(message);
    });
  }
});

describe("checkHeaders() on the well-known names it checks faster", () => {
  const names = ["Content-Type", "content-type", "Set-Cookie", "Cache-Control", "Location", "ETag"];
  for (const name of names) {
    test(`checkHeaders() still refuses a line break in the value of ${name}`, () => {
      expect(() => checkHeaders([[name, "a\r\nX-Injected: 1"]])).toThrow(TypeError);
    });
    test(`checkHeaders() still refuses a non-latin-1 value of ${name}`, () => {
      expect(() => checkHeaders([[name, "caf\u20ac"]])).toThrow(/non-latin-1/);
    });
    test(`checkHeaders() still refuses a value of ${name} that is not a string`, () => {
      expect(() => checkHeaders([[name, 42 as unknown as string]])).toThrow(/string value/);
    });
    test(`checkHeaders() accepts a plain value of ${name}`, () => {
      expect(() => checkHeaders([[name, "text/plain; a=1"]])).not.toThrow();
    });
  }
  for (const value of ["", " 12", "12 ", "12\n", "+1", "1e3", "\uff11\uff12"]) {
    test(`checkHeaders() refuses Content-Length ${JSON.stringify(value)}, as usually spelled`, () => {
      expect(() => checkHeaders([["Content-Length", value]])).toThrow(TypeError);
    });
  }

  test("checkHeaders() still checks Content-Length's value, in every spelling", () => {
    for (const name of ["Content-Length", "content-length", "CONTENT-LENGTH"]) {
      expect(() => checkHeaders([[name, "12x"]])).toThrow(/decimal/);
    }
  });
});

describe("isHopByHop()", () => {
  const table: [string, boolean][] = [
    ["CoNNection", true],
    ["KEEP-ALIVE", true],
    ["Proxy-Authenticate", true],
    ["proxy-AUTHORIZATION", true],
    ["tE", true],
    ["TRAILER", true],
    ["Trailers", true],
    ["transfer-ENCODING", true],
    ["UpGrade", true],
    ["Content-Type", false],
    ["Content-Length", false],
    ["Set-Cookie", false],
    ["Authorization", false],
    ["Content-Encoding", false],
    ["X-Connection", false],
    ["Connection-Id", false],
    ["Tee", false],
    ["", false],
  ];
  for (const [name, expected] of table) {
    test(`isHopByHop() is ${expected} for ${JSON.stringify(name)}`, () => {
      expect(isHopByHop(name)).toBe(expected);
    });
  }
});
