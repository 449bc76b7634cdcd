import { describe, expect, test } from "bun:test";
import { ClientDisconnectedError, createInput } from "../../src/core/input.ts";

const encoder = new TextEncoder();
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

interface CountingStream {
  stream: ReadableStream<Uint8Array>;
  /** How many times the stream has been pulled. */
  pulls: () => number;
  /** Whether the reader cancelled the stream. */
  cancelled: () => boolean;
}

// A body that hands out the given chunks one per pull, and nothing ahead of a read
// (highWaterMark 0), so the pull count is exactly what the input asked for.
function chunked(...chunks: string[]): CountingStream {
  let pulls = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[pulls++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(encoder.encode(chunk));
    },
    cancel() {
      cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { stream, pulls: () => pulls, cancelled: () => cancelled };
}

// A body that never ends: every pull gives another 4-byte chunk "abcd".
function endless(): CountingStream {
  let pulls = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulls++;
      controller.enqueue(encoder.encode("abcd"));
    },
    cancel() {
      cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { stream, pulls: () => pulls, cancelled: () => cancelled };
}

describe("createInput() read", () => {
  test("read() returns the whole body", async () => {
    const input = createInput(chunked("hel", "lo ", "world").stream);
    expect(text(await input.read())).toBe("hello world");
    expect((await input.read()).length).toBe(0);
  });

  test("read(-1) returns the whole body", async () => {
    const input = createInput(chunked("ab", "cd").stream);
    expect(text(await input.read(-1))).toBe("abcd");
  });

  test("read(0) returns an empty array without pulling the body", async () => {
    const body = chunked("abc");
    const input = createInput(body.stream);
    const bytes = await input.read(0);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes.length).toBe(0);
    expect(body.pulls()).toBe(0);
    expect(text(await input.read())).toBe("abc");
  });

  const sizes: [size: number, reads: string[]][] = [
    [1, ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", ""]],
    [2, ["ab", "cd", "ef", "gh", "ij", ""]],
    [3, ["abc", "def", "ghi", "j", ""]],
    [4, ["abcd", "efgh", "ij", ""]],
    [7, ["abcdefg", "hij", ""]],
    [10, ["abcdefghij", ""]],
    [100, ["abcdefghij", ""]],
  ];
  for (const [size, reads] of sizes) {
    test(`read(${size}) returns exactly ${size} bytes across chunk boundaries`, async () => {
      const input = createInput(chunked("ab", "cde", "f", "ghij").stream);
      const got: string[] = [];
      for (const _ of reads) got.push(text(await input.read(size)));
      expect(got).toEqual(reads);
    });
  }

  test("read(n) after readline() returns the bytes after the line", async () => {
    const input = createInput(chunked("one\ntw", "o\n").stream);
    expect(text(await input.readline())).toBe("one\n");
    expect(text(await input.read(2))).toBe("tw");
    expect(text(await input.read())).toBe("o\n");
  });

  test("returns an empty array at the end, again and again", async () => {
    const input = createInput(chunked("x").stream);
    await input.read();
    expect((await input.read()).length).toBe(0);
    expect((await input.read(5)).length).toBe(0);
    expect((await input.readline()).length).toBe(0);
  });
});

describe("createInput() read1", () => {
  test("read1(n) returns what one pull gives, never waiting for more", async () => {
    const body = chunked("hel", "lo ", "world");
    const input = createInput(body.stream);
    expect(text(await input.read1!(100))).toBe("hel");
    expect(body.pulls()).toBe(1);
    expect(text(await input.read1!(100))).toBe("lo ");
    expect(body.pulls()).toBe(2);
  });

  test("read1(n) serves what is buffered first, at most n bytes", async () => {
    const body = chunked("one\ntwo\n", "three");
    const input = createInput(body.stream);
    expect(text(await input.readline())).toBe("one\n");
    expect(text(await input.read1!(2))).toBe("tw");
    expect(text(await input.read1!(100))).toBe("o\n");
    expect(body.pulls()).toBe(1);
    expect(text(await input.read1!())).toBe("three");
  });

  test("read1() returns an empty array at the end, and at contentLength", async () => {
    const input = createInput(chunked("abcdef").stream, 4);
    expect(text(await input.read1!(100))).toBe("abcd");
    expect((await input.read1!(100)).length).toBe(0);
    expect((await createInput(chunked().stream).read1!(5)).length).toBe(0);
    expect((await createInput(null).read1!(5)).length).toBe(0);
  });

  test("read1(0) pulls nothing", async () => {
    const body = chunked("abc");
    expect((await createInput(body.stream).read1!(0)).length).toBe(0);
    expect(body.pulls()).toBe(0);
  });
});

describe("createInput() readline", () => {
  test("readline() returns one line with its newline", async () => {
    const input = createInput(chunked("one\ntwo\nthree").stream);
    expect(text(await input.readline())).toBe("one\n");
    expect(text(await input.readline())).toBe("two\n");
    expect(text(await input.readline())).toBe("three");
    expect((await input.readline()).length).toBe(0);
  });

  test("readline() joins a line spanning several chunks", async () => {
    const input = createInput(chunked("he", "ll", "o wor", "ld\nnext").stream);
    expect(text(await input.readline())).toBe("hello world\n");
    expect(text(await input.readline())).toBe("next");
  });

  test("readline() returns an empty line as its newline alone", async () => {
    const input = createInput(chunked("\n\nx").stream);
    expect(text(await input.readline())).toBe("\n");
    expect(text(await input.readline())).toBe("\n");
    expect(text(await input.readline())).toBe("x");
  });

  const limits: [size: number, first: string, second: string][] = [
    [3, "hel", "lo\n"],
    [5, "hello", "\n"],
    [6, "hello\n", "world\n"],
    [50, "hello\n", "world\n"],
  ];
  for (const [size, first, second] of limits) {
    test(`readline(${size}) returns at most ${size} bytes`, async () => {
      const input = createInput(chunked("hel", "lo\nwor", "ld\n").stream);
      expect(text(await input.readline(size))).toBe(first);
      expect(text(await input.readline())).toBe(second);
    });
  }

  test("readline(0) returns an empty array", async () => {
    const input = createInput(chunked("abc\n").stream);
    expect((await input.readline(0)).length).toBe(0);
    expect(text(await input.readline())).toBe("abc\n");
  });
});

describe("createInput() readlines and iteration", () => {
  test("readlines() returns every line", async () => {
    const input = createInput(chunked("a\nb", "b\n", "ccc").stream);
    expect((await input.readlines()).map(text)).toEqual(["a\n", "bb\n", "ccc"]);
  });

  const hints: [hint: number, lines: string[]][] = [
    [1, ["ab\n"]],
    [3, ["ab\n"]],
    [4, ["ab\n", "cd\n"]],
    [6, ["ab\n", "cd\n"]],
    [7, ["ab\n", "cd\n", "ef\n"]],
    [0, ["ab\n", "cd\n", "ef\n"]],
    [-1, ["ab\n", "cd\n", "ef\n"]],
  ];
  for (const [hint, lines] of hints) {
    test(`readlines(${hint}) stops once the lines total ${hint} bytes`, async () => {
      const input = createInput(chunked("ab\ncd\nef\n").stream);
      expect((await input.readlines(hint)).map(text)).toEqual(lines);
    });
  }

  test("readlines(hint) leaves the remaining lines to read", async () => {
    const input = createInput(chunked("ab\ncd\nef\n").stream);
    await input.readlines(3);
    expect(text(await input.read())).toBe("cd\nef\n");
  });

  test("for await iterates over the lines", async () => {
    const input = createInput(chunked("one\nt", "wo\n", "\nlast").stream);
    const lines: string[] = [];
    for await (const line of input) lines.push(text(line));
    expect(lines).toEqual(["one\n", "two\n", "\n", "last"]);
  });
});

describe("createInput() limits and streaming", () => {
  test("never returns bytes past contentLength", async () => {
    const input = createInput(chunked("hello", " world", " and more").stream, 8);
    expect(text(await input.read())).toBe("hello wo");
    expect((await input.read()).length).toBe(0);
  });

  test("does not pull the body past contentLength", async () => {
    const body = chunked("hello", " world", " and more", " and more");
    const input = createInput(body.stream, 8);
    await input.read();
    await input.read();
    expect(body.pulls()).toBe(2);
  });

  test("stops readline() and iteration at contentLength", async () => {
    const input = createInput(chunked("ab\ncd\nSECRET\n").stream, 5);
    const lines: string[] = [];
    for await (const line of input) lines.push(text(line));
    expect(lines).toEqual(["ab\n", "cd"]);
  });

  test("read(n) at contentLength does not pull again", async () => {
    const body = chunked("abcd", "efgh");
    const input = createInput(body.stream, 4);
    expect(text(await input.read(4))).toBe("abcd");
    expect((await input.read(4)).length).toBe(0);
    expect(body.pulls()).toBe(1);
  });

  test("a contentLength of 0 reads nothing and never pulls", async () => {
    const body = chunked("abc");
    const input = createInput(body.stream, 0);
    expect((await input.read()).length).toBe(0);
    expect((await input.readline()).length).toBe(0);
    expect(body.pulls()).toBe(0);
  });

  test("cancels the body once contentLength bytes are read", async () => {
    const body = chunked("abcdef");
    const input = createInput(body.stream, 3);
    await input.read();
    expect(body.cancelled()).toBe(true);
  });

  test("a null body reads as empty", async () => {
    const input = createInput(null);
    expect((await input.read()).length).toBe(0);
    expect((await input.read(10)).length).toBe(0);
    expect((await input.readline()).length).toBe(0);
    expect(await input.readlines()).toEqual([]);
    const lines: Uint8Array[] = [];
    for await (const line of input) lines.push(line);
    expect(lines).toEqual([]);
  });

  test("a chunked body with no length reads to its end", async () => {
    const body = chunked("a", "bb", "ccc", "dddd");
    const input = createInput(body.stream);
    expect(text(await input.read())).toBe("abbcccdddd");
    expect(body.pulls()).toBe(5);
  });

  test("a body shorter than contentLength ends where the body ends", async () => {
    const input = createInput(chunked("abc").stream, 10);
    expect(text(await input.read())).toBe("abc");
    expect((await input.read()).length).toBe(0);
  });

  test("read(10) of an endless body returns after pulling only what it needs", async () => {
    const body = endless();
    const input = createInput(body.stream);
    expect(text(await input.read(10))).toBe("abcdabcdab");
    expect(body.pulls()).toBe(3);
    expect(text(await input.read(2))).toBe("cd");
    expect(body.pulls()).toBe(3);
  });

  test("readline(10) of an endless body without newlines returns after a few pulls", async () => {
    const body = endless();
    const input = createInput(body.stream);
    expect(text(await input.readline(10))).toBe("abcdabcdab");
    expect(body.pulls()).toBe(3);
  });

  test("pulls nothing until the app reads", async () => {
    const body = endless();
    createInput(body.stream, 100);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(body.pulls()).toBe(0);
  });

  test("rejects with ClientDisconnectedError when the body stream fails, on every read", async () => {
    // What Deno (BadResource) and Bun (AbortError) do to the body of a client that left.
    let failed = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        failed++;
        controller.error(new Error("connection reset"));
      },
    }, { highWaterMark: 0 });
    const input = createInput(stream, 100);
    const first = await input.read(10).catch((error) => error);
    expect(first).toBeInstanceOf(ClientDisconnectedError);
    expect(first.name).toBe("ClientDisconnectedError");
    expect(first.message).toContain("connection reset");
    expect(first.cause).toBeInstanceOf(Error);
    // A broken body stays broken: a later read (or readline) fails the same way, at once.
    await expect(input.readline()).rejects.toBe(first);
    expect(failed).toBe(1);
  });
});
