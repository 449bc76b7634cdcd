import { afterEach, describe, expect, test } from "bun:test";
import {
  evaluatePreconditions,
  httpDate,
  parseHttpDate,
  type Precondition,
  rangeStillValid,
  type Validators,
} from "../../src/static/conditional.ts";

// Sun, 06 Nov 1994 08:49:37 GMT, RFC 9110's own example date.
const MODIFIED = 784111777;
const LAST_MODIFIED = "Sun, 06 Nov 1994 08:49:37 GMT";
const EARLIER = "Sun, 06 Nov 1994 08:49:36 GMT";
const LATER = "Sun, 06 Nov 1994 08:49:38 GMT";
const WEAK: Validators = { etag: 'W/"3e8-abc"', modifiedSeconds: MODIFIED };
const STRONG: Validators = { etag: '"3e8-abc"', modifiedSeconds: MODIFIED };

describe("evaluatePreconditions()", () => {
  const cases: [name: string, headers: Record<string, string>, expected: Precondition][] = [
    ["no conditional headers", {}, "proceed"],
    // If-None-Match: weak comparison (RFC 9110 §13.1.2)
    ["If-None-Match with the same weak tag", { "if-none-match": 'W/"3e8-abc"' }, "not-modified"],
    [
      "If-None-Match with the strong form of the tag",
      { "if-none-match": '"3e8-abc"' },
      "not-modified",
    ],
    ["If-None-Match with a list holding the tag", {
      "if-none-match": '"other", W/"3e8-abc"',
    }, "not-modified"],
    ["If-None-Match with a list without spaces", {
      "if-none-match": '"a","b",W/"3e8-abc"',
    }, "not-modified"],
    ["If-None-Match: *", { "if-none-match": "*" }, "not-modified"],
    ["If-None-Match with another tag", { "if-none-match": 'W/"other"' }, "proceed"],
    [
      "If-None-Match with a tag that only shares a prefix",
      { "if-none-match": 'W/"3e8-ab"' },
      "proceed",
    ],
    ["If-None-Match that fails outranks a matching If-Modified-Since", {
      "if-none-match": '"other"',
      "if-modified-since": LATER,
    }, "proceed"],
    // If-Modified-Since
    [
      "If-Modified-Since equal to Last-Modified",
      { "if-modified-since": LAST_MODIFIED },
      "not-modified",
    ],
    ["If-Modified-Since later than Last-Modified", { "if-modified-since": LATER }, "not-modified"],
    ["If-Modified-Since earlier than Last-Modified", { "if-modified-since": EARLIER }, "proceed"],
    ["If-Modified-Since that is not a date", { "if-modified-since": "yesterday" }, "proceed"],
    // If-Match: strong comparison, which a weak tag never passes (§13.1.1)
    ["If-Match: *", { "if-match": "*" }, "proceed"],
    ["If-Match with our weak tag", { "if-match": 'W/"3e8-abc"' }, "failed"],
    ["If-Match with the strong form of our weak tag", { "if-match": '"3e8-abc"' }, "failed"],
    ["If-Match with another tag", { "if-match": '"other"' }, "failed"],
    ["If-Match: * outranks a past If-Unmodified-Since", {
      "if-match": "*",
      "if-unmodified-since": EARLIER,
    }, "proceed"],
    ["If-Match that fails outranks a matching If-None-Match", {
      "if-match": '"other"',
      "if-none-match": "*",
    }, "failed"],
    // If-Unmodified-Since
    ["If-Unmodified-Since in the past", { "if-unmodified-since": EARLIER }, "failed"],
    [
      "If-Unmodified-Since equal to Last-Modified",
      { "if-unmodified-since": LAST_MODIFIED },
      "proceed",
    ],
    ["If-Unmodified-Since in the future", { "if-unmodified-since": LATER }, "proceed"],
    ["If-Unmodified-Since that is not a date", { "if-unmodified-since": "never" }, "proceed"],
    ["If-Unmodified-Since that fails outranks a matching If-None-Match", {
      "if-unmodified-since": EARLIER,
      "if-none-match": "*",
    }, "failed"],
    ["If-Unmodified-Since that holds, then a matching If-None-Match", {
      "if-unmodified-since": LATER,
      "if-none-match": 'W/"3e8-abc"',
    }, "not-modified"],
  ];
  for (const [name, headers, expected] of cases) {
    test(`evaluatePreconditions() gives ${expected} for ${name}`, () => {
      expect(evaluatePreconditions(new Headers(headers), WEAK)).toBe(expected);
    });
  }

  const strongCases: [name: string, headers: Record<string, string>, expected: Precondition][] = [
    ["If-Match with the same strong tag", { "if-match": '"3e8-abc"' }, "proceed"],
    ["If-Match with a list holding the strong tag", { "if-match": '"x", "3e8-abc"' }, "proceed"],
    ["If-Match with the weak form of the tag", { "if-match": 'W/"3e8-abc"' }, "failed"],
    [
      "If-None-Match with the weak form of the tag",
      { "if-none-match": 'W/"3e8-abc"' },
      "not-modified",
    ],
  ];
  for (const [name, headers, expected] of strongCases) {
    test(`evaluatePreconditions() gives ${expected} for ${name} against a strong tag`, () => {
      expect(evaluatePreconditions(new Headers(headers), STRONG)).toBe(expected);
    });
  }
});

describe("rangeStillValid()", () => {
  const cases: [name: string, ifRange: string | null, validators: Validators, expected: boolean][] =
    [
      ["no If-Range", null, WEAK, true],
      ["the Last-Modified date", LAST_MODIFIED, WEAK, true],
      ["an earlier date", EARLIER, WEAK, false],
      ["a later date", LATER, WEAK, false],
      ["our weak tag (weak tags never match strongly)", 'W/"3e8-abc"', WEAK, false],
      ["the strong form of our weak tag", '"3e8-abc"', WEAK, false],
      ["a strong tag equal to a strong validator", '"3e8-abc"', STRONG, true],
      ["a strong tag with surrounding spaces", '  "3e8-abc" ', STRONG, true],
      ["another strong tag", '"other"', STRONG, false],
      ["something that is neither tag nor date", "garbage", WEAK, false],
    ];
  for (const [name, ifRange, validators, expected] of cases) {
    test(`rangeStillValid() is ${expected} for ${name}`, () => {
      const headers = new Headers(ifRange === null ? {} : { "if-range": ifRange });
      expect(rangeStillValid(headers, validators)).toBe(expected);
    });
  }
});

describe("httpDate()", () => {
  test("httpDate() formats seconds as an IMF-fixdate", () => {
    expect(httpDate(MODIFIED)).toBe(LAST_MODIFIED);
  });

  test("httpDate() pads the day to two digits", () => {
    expect(httpDate(0)).toBe("Thu, 01 Jan 1970 00:00:00 GMT");
  });
});

describe("parseHttpDate()", () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  // RFC 9110 §5.6.7: recipients accept all three formats; each is in UTC.
  const formats: [format: string, value: string][] = [
    ["IMF-fixdate", "Sun, 06 Nov 1994 08:49:37 GMT"],
    ["obsolete RFC 850 date", "Sunday, 06-Nov-94 08:49:37 GMT"],
    ["obsolete asctime date", "Sun Nov  6 08:49:37 1994"],
  ];
  for (const [format, value] of formats) {
    test(`parseHttpDate() reads an ${format}`, () => {
      expect(parseHttpDate(value)).toBe(MODIFIED);
    });
    test(`parseHttpDate() reads an ${format} as UTC whatever the local time zone`, () => {
      process.env.TZ = "Asia/Shanghai";
      expect(parseHttpDate(value)).toBe(MODIFIED);
    });
  }

  test("parseHttpDate() drops the milliseconds of a date", () => {
    expect(parseHttpDate(new Date(MODIFIED * 1000 + 999).toUTCString())).toBe(MODIFIED);
  });

  // §13.1.3, §13.1.4: a recipient MUST ignore a field value that is not a valid HTTP-date.
  const notDates: [name: string, value: string | null][] = [
    ["absent", null],
    ["empty", ""],
    ["a word", "yesterday"],
    ["a bare number", "1"],
    ["an ISO 8601 date", "1994-11-06T08:49:37Z"],
  ];
  for (const [name, value] of notDates) {
    test(`parseHttpDate() gives undefined for a value that is ${name}`, () => {
      expect(parseHttpDate(value)).toBeUndefined();
    });
  }
});
