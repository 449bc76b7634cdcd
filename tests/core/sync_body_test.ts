import { describe, expect, test } from "bun:test";
import { createStartResponse } from "../../src/core/start_response.ts";
import { DRAIN_LIMITS, drainSyncBody } from "../../src/core/sync_body.ts";
import type { AppResult, BodyChunk, HeaderPair } from "../../src/core/types.ts";

const TEXT: HeaderPair[] = [["Content-Type", "text/plain"]];

function started(headers: HeaderPair[] = TEXT) {
  const start = createStartResponse();
  const write = start.startResponse("200 OK", headers);
  return { start, write };
}

function collect(result: AppResult): BodyChunk[] {
  return [...(result as Iterable<BodyChunk>)];
}

const noEndError = (error: unknown) => {
  throw error;
};

describe("drainSyncBody()", () => {
  test("drainSyncBody() reads a short generator whole and marks the headers sent", () => {
    const { start } = started();
    const drained = drainSyncBody(
      (function* () {
        yield "a";
        yield "";
        yield new Uint8Array([98]);
      })(),
      start,
      noEndError,
    );
    expect(drained.whole).toEqual(["a", "", new Uint8Array([98])]);
    // PEP 3333: after the first non-empty chunk, start_response with excInfo re-throws.
    const failure = new Error("late");
    expect(() => start.startResponse("500 Oops", [], failure)).toThrow(failure);
  });

  test("drainSyncBody() keeps write() output in order between yields", () => {
    const { start, write } = started();
    const drained = drainSyncBody(
      (function* () {
        write("a");
        yield "b";
        write("c");
        yield "d";
      })(),
      start,
      noEndError,
    );
    const text = drained.whole!.map((c) => typeof c === "string" ? c : new TextDecoder().decode(c));
    expect(text.join("")).toBe("abcd");
    expect(start.hasWritten()).toBe(false);
  });

  test("drainSyncBody() hands back a long generator to stream, replaying what it read", () => {
    const { start } = started();
    let yields = 0;
    const drained = drainSyncBody(
      (function* () {
        for (let i = 0; i < 10; i++) {
          yields++;
          yield String(i);
        }
      })(),
      start,
      noEndError,
    );
    expect(drained.whole).toBeUndefined();
    expect(yields).toBe(DRAIN_LIMITS.chunks);
    expect(collect(drained.rest!).join("")).toBe("0123456789");
  });

  test("drainSyncBody() hands back a body past its byte limit", () => {
    const { start } = started();
    const big = "x".repeat(DRAIN_LIMITS.bytes + 1);
    const drained = drainSyncBody(new Set([big, "tail"]), start, noEndError);
    expect(drained.whole).toBeUndefined();
    expect(collect(drained.rest!)).toEqual([big, "tail"]);
  });

  test("drainSyncBody() replays an app error where the app threw it", () => {
    const { start } = started();
    const failure = new Error("mid-body");
    const drained = drainSyncBody(
      (function* () {
        yield "a";
        throw failure;
      })(),
      start,
      noEndError,
    );
    const iterator = (drained.rest as Iterable<BodyChunk>)[Symbol.iterator]();
    expect(iterator.next()).toEqual({ value: "a", done: false });
    expect(() => iterator.next()).toThrow(failure);
  });

  test("drainSyncBody() replays a chunk that is neither bytes nor a string, unread", () => {
    const { start } = started();
    const drained = drainSyncBody([42 as unknown as string, "b"].values(), start, noEndError);
    expect(collect(drained.rest!)).toEqual([42 as unknown as string, "b"]);
  });

  test("drainSyncBody() stops at the app's Content-Length and ends the generator", () => {
    const { start } = started([["Content-Length", "5"]]);
    let yields = 0;
    let ended = false;
    const drained = drainSyncBody(
      (function* () {
        try {
          for (;;) {
            yields++;
            yield "abc";
          }
        } finally {
          ended = true;
        }
      })(),
      start,
      noEndError,
    );
    expect(drained.whole).toEqual(["abc", "abc"]);
    expect(yields).toBe(2);
    expect(ended).toBe(true);
  });

  test("drainSyncBody() reports an error thrown while ending a generator cut short", () => {
    const { start } = started([["Content-Length", "1"]]);
    const errors: unknown[] = [];
    const failure = new Error("cleanup");
    const drained = drainSyncBody(
      (function* () {
        try {
          yield "abc";
        } finally {
          // deno-lint-ignore no-unsafe-finally
          throw failure;
        }
      })(),
      start,
      (error) => errors.push(error),
    );
    expect(drained.whole).toEqual(["abc"]);
    expect(errors).toEqual([failure]);
  });

  test("drainSyncBody() hands back a body whose app never called start_response", () => {
    const start = createStartResponse();
    const empty = drainSyncBody([].values(), start, noEndError);
    expect(empty.rest).toBeDefined();
    const early = drainSyncBody(["data"].values(), start, noEndError);
    expect(collect(early.rest!)).toEqual(["data"]);
  });
});
