import { describe, expect, test } from "bun:test";
import { readHeaders } from "../../src/core/response_head.ts";

describe("readHeaders()", () => {
  test("readHeaders() copies the pairs, so later changes by the app do not leak", () => {
    const pair: [string, string] = ["X-A", "1"];
    const list = [pair];
    const head = readHeaders(list);
    pair[1] = "2";
    list.push(["X-B", "3"]);
    expect(head.pairs).toEqual([["X-A", "1"]]);
    expect(head.record).toEqual({ "X-A": "1" });
  });

  test("readHeaders() keeps the app's Content-Length out of the record, as it spelled it", () => {
    const head = readHeaders([["Content-Type", "text/plain"], ["content-LENGTH", "007"]]);
    expect(head.record).toEqual({ "Content-Type": "text/plain" });
    expect(head.type).toBe("text/plain");
    expect(head.declared).toBe(7);
    expect(head.length).toEqual(["content-LENGTH", "007"]);
    expect(head.pairs).toEqual([["Content-Type", "text/plain"], ["content-LENGTH", "007"]]);
  });

  test("readHeaders() gives no record when a name repeats exactly, or Content-Length does", () => {
    expect(readHeaders([["Set-Cookie", "a=1"], ["Set-Cookie", "b=2"]]).record).toBeUndefined();
    expect(readHeaders([["Content-Length", "1"], ["content-length", "1"]]).record)
      .toBeUndefined();
    // Names that differ in case are different keys of the record, as before.
    expect(readHeaders([["X-A", "1"], ["x-a", "2"]]).record).toEqual({ "X-A": "1", "x-a": "2" });
  });

  test("readHeaders() takes the last Content-Type, in any case", () => {
    expect(readHeaders([["content-type", "a/b"], ["Content-Type", "c/d"]]).type).toBe("c/d");
    expect(readHeaders([["X-Content-Type", "a/b"]]).type).toBeUndefined();
  });

  test("readHeaders() refuses what checkHeaders() refuses, with the same message", () => {
    expect(() => readHeaders("x")).toThrow("Headers must be an array of [name, value] pairs");
    expect(() => readHeaders([["A", "1", "2"]])).toThrow("A header must be a [name, value] pair");
    expect(() => readHeaders([["Connection", "close"]])).toThrow(/hop-by-hop/);
    expect(() => readHeaders([["Content-Length", "12x"]])).toThrow(/decimal/);
  });
});
