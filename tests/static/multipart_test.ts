import { describe, expect, test } from "bun:test";
import { multipartByteranges } from "../../src/static/multipart.ts";
import type { ByteRange } from "../../src/static/ranges.ts";

const decoder = new TextDecoder();
// 100 bytes, each its own index, so a part's bytes tell where they came from.
const FILE = Uint8Array.from({ length: 100 }, (_, i) => i);

/** A slice as a stream of one-byte chunks, to show parts are stitched across chunks. */
function sliceOf(bytes: Uint8Array) {
  return ([first, last]: ByteRange) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = first; i <= last; i++) controller.enqueue(bytes.subarray(i, i + 1));
        controller.close();
      },
    });
}

interface Part {
  headers: Record<string, string>;
  bytes: Uint8Array;
}

/** Parses a multipart/byteranges body by RFC 2046's rules, byte for byte. */
function parseMultipart(body: Uint8Array, boundary: string): { parts: Part[]; epilogue: string } {
  const text = String.fromCharCode(...body); // latin-1: one character per byte
  const first = `--${boundary}\r\n`;
  const delimiter = `\r\n--${boundary}`;
  expect(text.startsWith(first)).toBe(true);
  const parts: Part[] = [];
  let at = first.length;
  for (;;) {
    const headEnd = text.indexOf("\r\n\r\n", at);
    const headers: Record<string, string> = {};
    for (const line of text.slice(at, headEnd).split("\r\n")) {
      const colon = line.indexOf(":");
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const start = headEnd + 4;
    const end = text.indexOf(delimiter, start);
    expect(end).toBeGreaterThanOrEqual(start);
    parts.push({ headers, bytes: body.subarray(start, end) });
    at = end + delimiter.length;
    if (text.startsWith("--", at)) return { parts, epilogue: text.slice(at + 2) };
    expect(text.slice(at, at + 2)).toBe("\r\n");
    at += 2;
  }
}

async function build(ranges: ByteRange[], size = FILE.length) {
  const result = multipartByteranges(ranges, size, "text/plain; charset=utf-8", sliceOf(FILE));
  const body = new Uint8Array(await new Response(result.body).arrayBuffer());
  const boundary = /^multipart\/byteranges; boundary=(\S+)$/.exec(result.contentType)?.[1];
  return { result, body, boundary: boundary! };
}

describe("multipartByteranges()", () => {
  test("multipartByteranges() announces multipart/byteranges with a boundary", async () => {
    const { boundary } = await build([[0, 4], [10, 14]]);
    expect(boundary).toMatch(/^[0-9a-f]{32}$/);
  });

  test("multipartByteranges() announces the length the body has", async () => {
    for (const ranges of [[[0, 0], [99, 99]], [[0, 4], [10, 14], [50, 99]], [[5, 5]]]) {
      const { result, body } = await build(ranges as ByteRange[]);
      expect(result.length).toBe(body.length);
    }
  });

  test("multipartByteranges() gives each part its Content-Type and Content-Range", async () => {
    const { body, boundary } = await build([[0, 4], [10, 14], [90, 99]]);
    const { parts } = parseMultipart(body, boundary);
    expect(parts.map((part) => part.headers)).toEqual([
      { "content-type": "text/plain; charset=utf-8", "content-range": "bytes 0-4/100" },
      { "content-type": "text/plain; charset=utf-8", "content-range": "bytes 10-14/100" },
      { "content-type": "text/plain; charset=utf-8", "content-range": "bytes 90-99/100" },
    ]);
  });

  test("multipartByteranges() puts each range's bytes in its part", async () => {
    const { body, boundary } = await build([[0, 4], [10, 14], [90, 99]]);
    const { parts } = parseMultipart(body, boundary);
    expect(parts.map((part) => [...part.bytes])).toEqual([
      [0, 1, 2, 3, 4],
      [10, 11, 12, 13, 14],
      [90, 91, 92, 93, 94, 95, 96, 97, 98, 99],
    ]);
  });

  test("multipartByteranges() keeps the ranges in the order asked", async () => {
    const { body, boundary } = await build([[50, 51], [0, 1]]);
    const { parts } = parseMultipart(body, boundary);
    expect(parts.map((part) => part.headers["content-range"])).toEqual([
      "bytes 50-51/100",
      "bytes 0-1/100",
    ]);
    expect(parts.map((part) => [...part.bytes])).toEqual([[50, 51], [0, 1]]);
  });

  test("multipartByteranges() ends with the close delimiter and CRLF", async () => {
    const { body, boundary } = await build([[0, 1], [3, 4]]);
    expect(decoder.decode(body.subarray(body.length - boundary.length - 8))).toBe(
      `\r\n--${boundary}--\r\n`,
    );
    expect(parseMultipart(body, boundary).epilogue).toBe("\r\n");
  });

  test("multipartByteranges() uses a boundary that the bytes do not hold", async () => {
    const { body, boundary } = await build([[0, 49], [50, 99]]);
    const text = String.fromCharCode(...body);
    // Two part delimiters and the close delimiter, nothing more.
    expect(text.split(`--${boundary}`).length - 1).toBe(3);
  });

  test("multipartByteranges() picks a new boundary each time", () => {
    const one = multipartByteranges([[0, 1]], 100, "text/plain", sliceOf(FILE));
    const two = multipartByteranges([[0, 1]], 100, "text/plain", sliceOf(FILE));
    expect(one.contentType).not.toBe(two.contentType);
  });

  test("multipartByteranges() reads a range only when its part is reached", async () => {
    const asked: ByteRange[] = [];
    const slice = sliceOf(FILE);
    const result = multipartByteranges([[0, 1], [5, 6]], 100, "text/plain", (range) => {
      asked.push(range);
      return slice(range);
    });
    expect(asked).toEqual([]);
    const reader = result.body.getReader();
    await reader.read();
    expect(asked).toEqual([[0, 1]]);
    while (!(await reader.read()).done);
    expect(asked).toEqual([[0, 1], [5, 6]]);
  });

  test("multipartByteranges() cancels the part being read when the body is cancelled", async () => {
    let cancelled: unknown;
    const result = multipartByteranges(
      [[0, 1], [5, 6]],
      100,
      "text/plain",
      () =>
        new ReadableStream<Uint8Array>({
          pull(controller) {
            controller.enqueue(new Uint8Array([1]));
          },
          cancel(reason) {
            cancelled = reason;
          },
        }),
    );
    const reader = result.body.getReader();
    await reader.read(); // the first part's head
    await reader.read(); // a byte of the first part
    await reader.cancel("gone");
    expect(cancelled).toBe("gone");
  });
});
