import { describe, expect, test } from "bun:test";
import { bodyLength, noteBodyLength } from "../../src/core/body_length.ts";

describe("bodyLength()", () => {
  const texts: [name: string, text: string][] = [
    ["empty", ""],
    ["ASCII", "<h1>Hello, web!</h1>\n"],
    ["two-byte", "été"],
    ["three-byte", "你好"],
    ["a surrogate pair", "a😀b"],
    ["a lone high surrogate", "a\ud800b"],
    ["a lone high surrogate at the end", "ab\ud83d"],
    ["a lone low surrogate", "\udc00x"],
  ];
  for (const [name, text] of texts) {
    test(`bodyLength() of a noted ${name} string is its UTF-8 length, as the runtime sends it`, () => {
      const response = noteBodyLength(new Response(text), text);
      expect(bodyLength(response)).toBe(new TextEncoder().encode(text).length);
    });
  }

  test("bodyLength() takes a noted number of bytes as it is", () => {
    expect(bodyLength(noteBodyLength(new Response(new Uint8Array(7)), 7))).toBe(7);
    expect(bodyLength(noteBodyLength(new Response(null), 0))).toBe(0);
  });

  test("bodyLength() falls back to a decimal Content-Length, and else knows nothing", () => {
    expect(bodyLength(new Response("hi", { headers: { "Content-Length": "2" } }))).toBe(2);
    expect(bodyLength(new Response("hi", { headers: { "Content-Length": "2x" } }))).toBeUndefined();
    expect(bodyLength(new Response("hi"))).toBeUndefined();
  });
});
