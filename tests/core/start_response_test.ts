import { describe, expect, test } from "bun:test";
import { createStartResponse, toBytes } from "../../src/core/start_response.ts";
import type { BodyChunk } from "../../src/core/types.ts";

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("Expected the call to throw");
}

describe("createStartResponse()", () => {
  test("createStartResponse() records the status and headers", () => {
    const start = createStartResponse();
    expect(start.status()).toBeUndefined();
    start.startResponse("201 Created", [["Location", "/x"]]);
    expect(start.status()).toEqual({ code: 201, reason: "Created" });
    expect(start.headers()).toEqual([["Location", "/x"]]);
  });

  test("createStartResponse() copies the headers, so later changes by the app do not leak", () => {
    const start = createStartResponse();
    const headers: [string, string][] = [["X-A", "1"]];
    start.startResponse("200 OK", headers);
    headers[0][1] = "a\r\nb";
    headers.push(["Connection", "close"]);
    expect(start.headers()).toEqual([["X-A", "1"]]);
  });

  test("createStartResponse() throws a TypeError on a second call without excInfo", () => {
    const start = createStartResponse();
    start.startResponse("200 OK", []);
    expect(() => start.startResponse("404 Not Found", [])).toThrow(TypeError);
    expect(start.status()).toEqual({ code: 200, reason: "OK" });
  });

  test("createStartResponse() treats a null excInfo as none", () => {
    const start = createStartResponse();
    start.startResponse("200 OK", []);
    expect(() => start.startResponse("404 Not Found", [], null)).toThrow(TypeError);
  });

  test("createStartResponse() replaces status and headers with excInfo before headers are sent", () => {
    const start = createStartResponse();
    start.startResponse("200 OK", [["Content-Type", "text/html"], ["X-A", "1"]]);
    const write = start.startResponse(
      "500 Oops",
      [["Content-Type", "text/plain"]],
      new Error("boom"),
    );
    expect(typeof write).toBe("function");
    expect(start.status()).toEqual({ code: 500, reason: "Oops" });
    expect(start.headers()).toEqual([["Content-Type", "text/plain"]]);
  });

  test("createStartResponse() re-throws the excInfo value itself after markSent()", () => {
    const start = createStartResponse();
    start.startResponse("200 OK", []);
    start.markSent();
    const error = new Error("boom");
    expect(thrownBy(() => start.startResponse("500 Oops", [], error))).toBe(error);
    expect(start.status()).toEqual({ code: 200, reason: "OK" });
  });

  test("createStartResponse() re-throws a non-Error excInfo as is", () => {
    const start = createStartResponse();
    start.startResponse("200 OK", []);
    start.markSent();
    const info = { reason: "not an Error" };
    expect(thrownBy(() => start.startResponse("500 Oops", [], info))).toBe(info);
  });

  test("createStartResponse() re-throws the excInfo value after a non-empty write()", () => {
    const start = createStartResponse();
    const write = start.startResponse("200 OK", []);
    write("x");
    const error = new Error("boom");
    expect(thrownBy(() => start.startResponse("500 Oops", [], error))).toBe(error);
    expect(start.status()).toEqual({ code: 200, reason: "OK" });
  });

  const emptyChunks: [string, BodyChunk][] = [
    ["an empty string", ""],
    ["an empty Uint8Array", new Uint8Array(0)],
  ];
  for (const [what, chunk] of emptyChunks) {
    test(`createStartResponse() write() of ${what} does not mark the headers sent`, () => {
      const start = createStartResponse();
      const write = start.startResponse("200 OK", []);
      write(chunk);
      expect(start.hasWritten()).toBe(false);
      start.startResponse("500 Oops", [], new Error("boom"));
      expect(start.status()).toEqual({ code: 500, reason: "Oops" });
    });
  }

  test("createStartResponse() write() queues chunks in order", () => {
    const start = createStartResponse();
    const write = start.startResponse("200 OK", []);
    write("a");
    write(new Uint8Array([98]));
    start.appendWritten(new Uint8Array([99]));
    const decoder = new TextDecoder();
    const out: string[] = [];
    for (let chunk = start.takeWritten(); chunk; chunk = start.takeWritten()) {
      out.push(decoder.decode(chunk));
    }
    expect(out).toEqual(["a", "b", "c"]);
    expect(start.hasWritten()).toBe(false);
  });

  test("createStartResponse() write() throws a TypeError after end()", () => {
    const start = createStartResponse();
    const write = start.startResponse("200 OK", []);
    start.end();
    expect(() => write("late")).toThrow(TypeError);
    expect(start.hasWritten()).toBe(false);
  });

  test("createStartResponse() validates the status and headers it is given", () => {
    const start = createStartResponse();
    expect(() => start.startResponse("200", [])).toThrow(TypeError);
    expect(() => start.startResponse("200 OK", [["X-A", "a\r\nb"]])).toThrow(TypeError);
    expect(() => start.startResponse("200 OK", [["Transfer-Encoding", "chunked"]])).toThrow(
      TypeError,
    );
    expect(start.status()).toBeUndefined();
  });

  test("createStartResponse() keeps the old status when an excInfo replacement is invalid", () => {
    const start = createStartResponse();
    start.startResponse("200 OK", [["X-A", "1"]]);
    expect(() => start.startResponse("500 Oops", [["X-B", "\n"]], new Error("boom"))).toThrow(
      TypeError,
    );
    expect(start.status()).toEqual({ code: 200, reason: "OK" });
    expect(start.headers()).toEqual([["X-A", "1"]]);
  });
});

describe("toBytes()", () => {
  const encodes: [string, string, number[]][] = [
    ["ASCII", "abc", [97, 98, 99]],
    ["latin-1 as UTF-8", "\u00e9", [0xc3, 0xa9]],
    ["CJK as UTF-8", "\u4e2d", [0xe4, 0xb8, 0xad]],
    ["an astral character as UTF-8", "\u{1f600}", [0xf0, 0x9f, 0x98, 0x80]],
    ["the empty string", "", []],
  ];
  for (const [what, input, bytes] of encodes) {
    test(`toBytes() encodes ${what}`, () => {
      expect(Array.from(toBytes(input))).toEqual(bytes);
    });
  }

  test("toBytes() returns a Uint8Array as is", () => {
    const chunk = new Uint8Array([1, 2, 3]);
    expect(toBytes(chunk)).toBe(chunk);
  });

  const rejects: [unknown, string][] = [
    [42, "number"],
    [null, "null"],
    [undefined, "undefined"],
    [{ a: 1 }, "Object"],
    [[1, 2], "Array"],
    [new ArrayBuffer(2), "ArrayBuffer"],
    [Object.create(null), "object"],
  ];
  for (const [chunk, kind] of rejects) {
    test(`toBytes() throws a TypeError naming ${kind}`, () => {
      expect(() => toBytes(chunk as BodyChunk)).toThrow(TypeError);
      expect(() => toBytes(chunk as BodyChunk)).toThrow(`not ${kind}`);
    });
  }
});
