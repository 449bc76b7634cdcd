import { describe, expect, test } from "bun:test";
import { readFirst, smallBodyLength } from "../../src/python/small_body.ts";
import { ClientDisconnectedError, createInput } from "../../src/core/input.ts";
import type { WsgiInput } from "../../src/core/types.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// A body stream that gives `parts` one per pull, each after `delay()` resolves.
function body(parts: string[], delay: () => Promise<unknown>): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      await delay();
      if (index < parts.length) controller.enqueue(encoder.encode(parts[index++]));
      else controller.close();
    },
  });
}

const now = () => Promise.resolve();

describe("smallBodyLength()", () => {
  const cases: [string | undefined, number | undefined][] = [
    ["0", 0],
    ["5", 5],
    ["65536", 65536],
    ["65537", undefined],
    ["5x", undefined],
    [undefined, undefined],
  ];
  for (const [given, expected] of cases) {
    test(`smallBodyLength(${JSON.stringify(given)}) is ${expected}`, () => {
      expect(smallBodyLength(given)).toBe(expected);
    });
  }
});

describe("readFirst()", () => {
  test("readFirst() runs the app with the whole body when it is there at once", async () => {
    const input = createInput(body(["hel", "lo"], now), 5);
    const result = await readFirst(
      input,
      5,
      (whole) => `whole ${decoder.decode(whole)}`,
      () => Promise.resolve("late"),
    );
    expect(result).toBe("whole hello");
  });

  test("readFirst() runs the app a macrotask later with an input that gives every byte", async () => {
    let release!: () => void;
    const arrived = new Promise<void>((resolve) => release = resolve);
    const input = createInput(body(["hel", "lo"], () => arrived), 5);
    let started: WsgiInput | undefined;
    const result = readFirst(input, 5, () => "whole", (late) => {
      started = late;
      release();
      return late.read().then((bytes) => `late ${decoder.decode(bytes)}`);
    });
    expect(await result).toBe("late hello");
    expect(started).toBeDefined();
  });

  test("readFirst() rejects with the read's failure when the body fails at once", async () => {
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error("reset"));
      },
    });
    const result = readFirst(createInput(failing, 5), 5, () => "whole", () => Promise.resolve(""));
    await expect(result).rejects.toBeInstanceOf(ClientDisconnectedError);
  });

  test("readFirst() gives a late app a read that fails when the client leaves", async () => {
    let leave!: () => void;
    const left = new Promise<void>((resolve) => leave = resolve);
    const failing = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await left;
        controller.error(new Error("reset"));
      },
    });
    const result = readFirst(createInput(failing, 5), 5, () => "whole", (late) => {
      leave();
      return late.read().then(() => "read");
    });
    await expect(result).rejects.toBeInstanceOf(ClientDisconnectedError);
  });

  test("readFirst() propagates what the whole-body app throws", async () => {
    const input = createInput(body(["hello"], now), 5);
    const result = readFirst(input, 5, () => {
      throw new TypeError("bad app");
    }, () => Promise.resolve(""));
    await expect(result).rejects.toThrow("bad app");
  });
});
