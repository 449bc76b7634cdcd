import { describe, expect, test } from "bun:test";
import { requestUri } from "../../src/wsgiref/request_uri.ts";
import { type EnvironOverrides, testEnviron } from "../../src/wsgiref/test_environ.ts";

// CPython Lib/test/test_wsgiref.py, testReqURIs, plus our own.
const CASES: [expected: string, includeQuery: boolean, overrides: EnvironOverrides][] = [
  ["http://127.0.0.1/", true, {}],
  ["http://127.0.0.1/spam", true, { SCRIPT_NAME: "/spam" }],
  ["http://127.0.0.1/sp%E4m", true, { SCRIPT_NAME: "/sp\u00e4m" }],
  ["http://127.0.0.1/spammity/spam", true, { SCRIPT_NAME: "/spammity", PATH_INFO: "/spam" }],
  ["http://127.0.0.1/spammity/sp%E4m", true, {
    SCRIPT_NAME: "/spammity",
    PATH_INFO: "/sp\u00e4m",
  }],
  ["http://127.0.0.1/spammity/spam;ham", true, {
    SCRIPT_NAME: "/spammity",
    PATH_INFO: "/spam;ham",
  }],
  ["http://127.0.0.1/spammity/spam;cookie=1234,5678", true, {
    SCRIPT_NAME: "/spammity",
    PATH_INFO: "/spam;cookie=1234,5678",
  }],
  ["http://127.0.0.1/spammity/spam?say=ni", true, {
    SCRIPT_NAME: "/spammity",
    PATH_INFO: "/spam",
    QUERY_STRING: "say=ni",
  }],
  ["http://127.0.0.1/spammity/spam?s%E4y=ni", true, {
    SCRIPT_NAME: "/spammity",
    PATH_INFO: "/spam",
    QUERY_STRING: "s%E4y=ni",
  }],
  ["http://127.0.0.1/spammity/spam", false, {
    SCRIPT_NAME: "/spammity",
    PATH_INFO: "/spam",
    QUERY_STRING: "say=ni",
  }],
  ["http://127.0.0.1/caf%C3%A9", true, { PATH_INFO: "/caf\u00c3\u00a9" }],
  ["http://127.0.0.1/a%252Fb%3F%25%23%20", true, { PATH_INFO: "/a%2Fb?%# " }],
  ["http://127.0.0.1/~user/_a-b.c", true, { PATH_INFO: "/~user/_a-b.c" }],
  ["http://127.0.0.1/app/", true, { SCRIPT_NAME: "/app", PATH_INFO: "/" }],
  ["http://127.0.0.1/app", true, { SCRIPT_NAME: "/app", PATH_INFO: "" }],
];

describe("requestUri()", () => {
  for (const [expected, includeQuery, overrides] of CASES) {
    test(`gives ${expected} for ${JSON.stringify(overrides)}`, () => {
      expect(requestUri(testEnviron(overrides), includeQuery)).toBe(expected);
    });
  }

  test("includes the query by default", () => {
    expect(requestUri(testEnviron({ QUERY_STRING: "a=1+2" }))).toBe("http://127.0.0.1/?a=1+2");
  });

  test("throws a TypeError naming a PATH_INFO character above U+00FF", () => {
    expect(() => requestUri(testEnviron({ PATH_INFO: "/\u20ac" }))).toThrow(
      'PATH_INFO must hold latin-1 characters only, not "\u20ac"',
    );
  });
});
