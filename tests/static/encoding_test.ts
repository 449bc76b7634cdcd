import { describe, expect, test } from "bun:test";
import { chooseCoding, type Coding } from "../../src/static/encoding.ts";

const ALL: Coding[] = ["br", "zstd", "gzip"];

describe("chooseCoding() with .br, .zst and .gz siblings", () => {
  const cases: [acceptEncoding: string | null, expected: Coding | null][] = [
    [null, null],
    ["", null],
    ["gzip", "gzip"],
    ["br", "br"],
    ["zstd", "zstd"],
    ["br, gzip", "br"],
    ["gzip, br", "br"],
    ["gzip, deflate, br, zstd", "br"],
    ["br;q=0.5, gzip", "gzip"],
    ["br;q=0.5, gzip;q=0.8, zstd;q=0.9", "zstd"],
    ["br;q=0.1, zstd;q=0.1, gzip;q=0.1", "br"],
    ["gzip;q=0", null],
    ["gzip; q=0", null],
    ["gzip;q=0.000", null],
    ["gzip;q=0, br", "br"],
    ["gzip;q=1.0", "gzip"],
    ["gzip;q=0.001", "gzip"],
    ["br;Q=0.5, gzip", "gzip"],
    ["*", "br"],
    ["*;q=0", null],
    ["*;q=0, gzip", "gzip"],
    ["gzip;q=0, *", "br"],
    ["br;q=0, zstd;q=0, *", "gzip"],
    ["*;q=0.5, gzip", "gzip"],
    ["identity", null],
    ["identity, *;q=0", null],
    ["deflate", null],
    ["compress", null],
    ["GZIP", "gzip"],
    ["BR, GZIP", "br"],
    ["Gzip;Q=0", null],
    ["x-gzip", "gzip"],
    ["X-GZIP", "gzip"],
    ["x-gzip;q=0, br", "br"],
    [" br , gzip ", "br"],
    [",,gzip,,", "gzip"],
  ];
  for (const [acceptEncoding, expected] of cases) {
    test(`chooseCoding() picks ${expected} for ${JSON.stringify(acceptEncoding)}`, () => {
      expect(chooseCoding(acceptEncoding, ALL)).toBe(expected);
    });
  }
});

describe("chooseCoding() with some siblings only", () => {
  const cases: [acceptEncoding: string, available: Coding[], expected: Coding | null][] = [
    ["br, gzip", [], null],
    ["*", [], null],
    ["br", ["gzip"], null],
    ["br, gzip", ["gzip"], "gzip"],
    ["br;q=1, gzip;q=0.1", ["gzip"], "gzip"],
    ["zstd", ["br", "gzip"], null],
    ["gzip;q=0, *", ["gzip"], null],
    ["*", ["zstd", "gzip"], "zstd"],
    ["gzip, br", ["gzip", "br"], "br"],
  ];
  for (const [acceptEncoding, available, expected] of cases) {
    test(`chooseCoding() picks ${expected} for ${JSON.stringify(acceptEncoding)} among ${JSON.stringify(available)}`, () => {
      expect(chooseCoding(acceptEncoding, available)).toBe(expected);
    });
  }
});
