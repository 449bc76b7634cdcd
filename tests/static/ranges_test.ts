import { describe, expect, test } from "bun:test";
import { MAX_RANGES, parseRange, type RangeRequest } from "../../src/static/ranges.ts";

const WHOLE: RangeRequest = { kind: "whole" };
const UNSATISFIABLE: RangeRequest = { kind: "unsatisfiable" };
const ranges = (...list: [number, number][]): RangeRequest => ({ kind: "ranges", ranges: list });

/** `bytes=0-0,2-2,4-4,…`: `count` one-byte ranges that do not overlap. */
function manyRanges(count: number): string {
  return "bytes=" + Array.from({ length: count }, (_, i) => `${2 * i}-${2 * i}`).join(",");
}

describe("parseRange() against 1000 bytes", () => {
  const cases: [header: string | null, expected: RangeRequest][] = [
    // Single ranges
    [null, WHOLE],
    ["bytes=0-0", ranges([0, 0])],
    ["bytes=0-499", ranges([0, 499])],
    ["bytes=500-999", ranges([500, 999])],
    ["bytes=999-999", ranges([999, 999])],
    ["bytes=500-", ranges([500, 999])],
    ["bytes=0-", ranges([0, 999])],
    ["bytes=-100", ranges([900, 999])],
    ["bytes=-1", ranges([999, 999])],
    ["bytes=-1000", ranges([0, 999])],
    ["bytes=-2000", ranges([0, 999])],
    ["bytes=900-2000", ranges([900, 999])],
    ["bytes=0-99999999999999999999", ranges([0, 999])],
    ["bytes=007-009", ranges([7, 9])],
    // The unit is case-insensitive, whitespace around the list is allowed
    ["BYTES=0-9", ranges([0, 9])],
    ["Bytes=0-9", ranges([0, 9])],
    ["bytes = 0-9", ranges([0, 9])],
    ["bytes=0-9 ,", ranges([0, 9])],
    // Unsatisfiable (416)
    ["bytes=1000-", UNSATISFIABLE],
    ["bytes=1000-1001", UNSATISFIABLE],
    ["bytes=5000-6000", UNSATISFIABLE],
    ["bytes=-0", UNSATISFIABLE],
    ["bytes=1000-,2000-", UNSATISFIABLE],
    // Malformed or another unit: ignored, the whole representation is sent (§14.2)
    ["bytes=", WHOLE],
    ["bytes=-", WHOLE],
    ["bytes=5-1", WHOLE],
    ["bytes=abc", WHOLE],
    ["bytes=1-2-3", WHOLE],
    ["bytes=0x10-0x20", WHOLE],
    ["bytes=-5-", WHOLE],
    ["bytes=1.5-2", WHOLE],
    ["bytes=0-1,x", WHOLE],
    ["bytes 0-1", WHOLE],
    ["items=0-1", WHOLE],
    ["", WHOLE],
    // Several ranges
    ["bytes=0-9,100-109", ranges([0, 9], [100, 109])],
    ["bytes=0-9, 100-109", ranges([0, 9], [100, 109])],
    ["bytes=100-109,0-9", ranges([100, 109], [0, 9])],
    ["bytes=0-0,-1", ranges([0, 0], [999, 999])],
    ["bytes=0-1,2-3", ranges([0, 1], [2, 3])],
    ["bytes=0-9,2000-3000", ranges([0, 9])],
    // Overlapping ranges are answered whole
    ["bytes=0-10,5-20", WHOLE],
    ["bytes=0-1,1-2", WHOLE],
    ["bytes=0-9,0-9", WHOLE],
    ["bytes=500-,-600", WHOLE],
    ["bytes=100-200,0-", WHOLE],
    // Too many ranges are answered whole
    [manyRanges(MAX_RANGES), {
      kind: "ranges",
      ranges: Array.from({ length: MAX_RANGES }, (_, i) => [2 * i, 2 * i] as [number, number]),
    }],
    [manyRanges(MAX_RANGES + 1), WHOLE],
    [manyRanges(200), WHOLE],
  ];
  for (const [header, expected] of cases) {
    const label = header !== null && header.length > 40 ? `${header.slice(0, 40)}…` : header;
    test(`parseRange() reads ${JSON.stringify(label)} as ${JSON.stringify(expected)}`, () => {
      expect(parseRange(header, 1000)).toEqual(expected);
    });
  }
});

describe("parseRange() against an empty representation", () => {
  const cases: [header: string, expected: RangeRequest][] = [
    ["bytes=0-", UNSATISFIABLE],
    ["bytes=0-0", UNSATISFIABLE],
    ["bytes=-5", UNSATISFIABLE],
    ["bytes=5-1", WHOLE],
  ];
  for (const [header, expected] of cases) {
    test(`parseRange() reads ${JSON.stringify(header)} of 0 bytes as ${expected.kind}`, () => {
      expect(parseRange(header, 0)).toEqual(expected);
    });
  }
});
