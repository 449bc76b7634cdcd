import { describe, expect, test } from "bun:test";
import {
  bytesToLatin1,
  latin1ToBytes,
  latin1ToText,
  percentDecodeToLatin1,
} from "../../src/core/latin1.ts";

function allBytes(): Uint8Array {
  return Uint8Array.from({ length: 256 }, (_, i) => i);
}

describe("bytesToLatin1()", () => {
  test("maps each byte 0x00–0xFF to the character with the same code", () => {
    const text = bytesToLatin1(allBytes());
    expect(text.length).toBe(256);
    for (let i = 0; i < 256; i++) expect(text.charCodeAt(i)).toBe(i);
  });

  test("keeps 0x80–0x9F as U+0080–U+009F, not windows-1252", () => {
    // windows-1252 would give "€" (U+20AC) for 0x80 and "Ÿ" (U+0178) for 0x9F.
    expect(bytesToLatin1(new Uint8Array([0x80, 0x9f]))).toBe("\u0080\u009f");
  });

  test("returns an empty string for no bytes", () => {
    expect(bytesToLatin1(new Uint8Array(0))).toBe("");
  });

  test("converts arrays larger than 8192 bytes whole and in order", () => {
    const bytes = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 7) % 256);
    const text = bytesToLatin1(bytes);
    expect(text.length).toBe(bytes.length);
    expect(text.charCodeAt(8191)).toBe(bytes[8191]);
    expect(text.charCodeAt(8192)).toBe(bytes[8192]);
    expect(text.charCodeAt(100_002)).toBe(bytes[100_002]);
  });
});

describe("latin1ToBytes()", () => {
  test("round-trips every byte with bytesToLatin1()", () => {
    expect(latin1ToBytes(bytesToLatin1(allBytes()))).toEqual(allBytes());
  });

  test("round-trips arrays larger than 8192 bytes", () => {
    const bytes = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 31 + 5) % 256);
    expect(latin1ToBytes(bytesToLatin1(bytes))).toEqual(bytes);
  });

  test("throws a TypeError for a character above U+00FF", () => {
    expect(() => latin1ToBytes("a\u0100")).toThrow(TypeError);
    expect(() => latin1ToBytes("\u20ac")).toThrow(/not latin-1/);
  });
});

describe("latin1ToText()", () => {
  test("decodes the bytes of a latin-1 string as UTF-8 by default", () => {
    expect(latin1ToText("/caf\u00c3\u00a9")).toBe("/café");
    expect(latin1ToText("/\u00e4\u00bd\u00a0")).toBe("/你");
  });

  test("turns invalid UTF-8 bytes into U+FFFD", () => {
    expect(latin1ToText("/\u00ff")).toBe("/\ufffd");
  });

  test("decodes with the given encoding", () => {
    expect(latin1ToText("\u0080", "windows-1252")).toBe("€");
  });
});

describe("percentDecodeToLatin1()", () => {
  const cases: [input: string, expected: string][] = [
    ["/plain/path", "/plain/path"],
    ["%E4%BD%A0", "\u00e4\u00bd\u00a0"],
    ["%FF", "\u00ff"],
    ["%2F", "/"],
    ["%25", "%"],
    ["%2541", "%41"],
    ["%3F", "?"],
    ["%2e", "."],
    ["%", "%"],
    ["a%", "a%"],
    ["%4", "%4"],
    ["%zz", "%zz"],
    ["%E0%A4%A", "\u00e0\u00a4%A"],
    ["é", "\u00c3\u00a9"],
    ["/你", "/\u00e4\u00bd\u00a0"],
    ["😀", "\u00f0\u009f\u0098\u0080"],
    ["%eF%Bf%bD", "\u00ef\u00bf\u00bd"],
    ["%c3%A9", "\u00c3\u00a9"],
    ["%00", "\u0000"],
    ["+", "+"],
  ];
  for (const [input, expected] of cases) {
    test(`decodes ${JSON.stringify(input)} to ${JSON.stringify(expected)}`, () => {
      expect(percentDecodeToLatin1(input)).toBe(expected);
    });
  }
});
