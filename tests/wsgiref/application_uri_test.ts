import { describe, expect, test } from "bun:test";
import { applicationUri } from "../../src/wsgiref/application_uri.ts";
import { type EnvironOverrides, testEnviron } from "../../src/wsgiref/test_environ.ts";

// CPython Lib/test/test_wsgiref.py, testAppURIs, plus our own.
const CASES: [expected: string, overrides: EnvironOverrides][] = [
  ["http://127.0.0.1/", {}],
  ["http://127.0.0.1/spam", { SCRIPT_NAME: "/spam" }],
  ["http://127.0.0.1/sp%E4m", { SCRIPT_NAME: "/sp\u00e4m" }],
  ["http://spam.example.com:2071/", { HTTP_HOST: "spam.example.com:2071", SERVER_PORT: "2071" }],
  ["http://spam.example.com/", { SERVER_NAME: "spam.example.com" }],
  ["http://127.0.0.1/", { HTTP_HOST: "127.0.0.1", SERVER_NAME: "spam.example.com" }],
  ["https://127.0.0.1/", { HTTPS: "on" }],
  ["http://127.0.0.1:8000/", { SERVER_PORT: "8000", HTTP_HOST: undefined }],
  ["https://example.com:8443/", {
    "wsgi.url_scheme": "https",
    SERVER_NAME: "example.com",
    SERVER_PORT: "8443",
    HTTP_HOST: "",
  }],
  ["https://example.com/", {
    "wsgi.url_scheme": "https",
    SERVER_NAME: "example.com",
    SERVER_PORT: "443",
    HTTP_HOST: undefined,
  }],
  ["http://127.0.0.1/a%20b/%3F", { SCRIPT_NAME: "/a b/?" }],
];

describe("applicationUri()", () => {
  for (const [expected, overrides] of CASES) {
    test(`gives ${expected} for ${JSON.stringify(overrides)}`, () => {
      expect(applicationUri(testEnviron(overrides))).toBe(expected);
    });
  }

  test("ignores PATH_INFO and QUERY_STRING", () => {
    const environ = testEnviron({ SCRIPT_NAME: "/app", PATH_INFO: "/x", QUERY_STRING: "a=1" });
    expect(applicationUri(environ)).toBe("http://127.0.0.1/app");
  });

  test("throws a TypeError naming a SCRIPT_NAME character above U+00FF", () => {
    expect(() => applicationUri(testEnviron({ SCRIPT_NAME: "/caf\u00e9\u4f60" }))).toThrow(
      'SCRIPT_NAME must hold latin-1 characters only, not "\u4f60"',
    );
  });

  test("throws a TypeError when the environ has no wsgi.url_scheme", () => {
    expect(() => applicationUri(testEnviron({ "wsgi.url_scheme": undefined }))).toThrow(
      "The environ must have a string wsgi.url_scheme, not undefined",
    );
  });
});
