/**
 * `wsgi.input` of a Python app is buffered on the Python side (issue 18): small reads, lines and
 * iteration are served from a buffer, and only a refill crosses to JavaScript, so reading a body
 * in 37-byte pieces costs about what reading it whole does. Counted here by the calls Python makes
 * on the JavaScript input (each one a crossing), in this process through `createApp`.
 */

import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { createApp, createPythonHost, pythonApp } from "../../mod.ts";
import type { WsgiApp, WsgiInput } from "../../mod.ts";

const APP = new URL("../fixtures/python/input_reads.py", import.meta.url).pathname;
const PYTHON_TIMEOUT = 60_000;
const KIB = 1024;

// Every call Python makes on wsgi.input, by method: each is one crossing from Python.
const crossings: Record<string, number> = {};
function counting(app: WsgiApp): WsgiApp {
  return (environ, startResponse) => {
    const input = environ["wsgi.input"];
    const counted = (name: "read" | "read1" | "readline") => (size?: number) => {
      crossings[name] = (crossings[name] ?? 0) + 1;
      return input[name]!(size);
    };
    const wrapped: WsgiInput = {
      ...input,
      read: counted("read"),
      read1: counted("read1"),
      readline: counted("readline"),
      [Symbol.asyncIterator]: () => input[Symbol.asyncIterator](),
    };
    return app({ ...environ, "wsgi.input": wrapped }, startResponse);
  };
}

const python = createPythonHost({ logger: () => {} });
const site = createApp({
  root: false,
  mounts: { "/in": counting(pythonApp(APP, python)) },
  logger: () => {},
});

// A body of `size` bytes (a repeating pattern with a newline every `line` bytes), sent in chunks
// of 64 KiB as a socket delivers it.
function bodyOf(size: number, line = 50): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = i % line === line - 1 ? 10 : 97 + (i % 26);
  return bytes;
}
function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + 64 * KIB));
      at += 64 * KIB;
    },
  }, { highWaterMark: 0 });
}

async function post(path: string, bytes: Uint8Array, sized = true) {
  for (const key in crossings) delete crossings[key];
  const response = await site.fetch(
    new Request(`http://localhost/in${path}`, {
      method: "POST",
      body: streamOf(bytes),
      headers: sized ? { "Content-Length": String(bytes.length) } : {},
      // @ts-ignore: a streamed request body needs it (Fetch spec)
      duplex: "half",
    }),
  );
  expect(response.status).toBe(200);
  const total = Object.values(crossings).reduce((sum, count) => sum + count, 0);
  return { text: await response.text(), total };
}

function report(count: number, bytes: Uint8Array): string {
  const hash = createHash("sha256").update(bytes).digest("hex");
  return `${count} reads, ${bytes.length} bytes, sha256 ${hash}\n`;
}

describe("wsgi.input of a Python app, buffered", () => {
  test("read(37) over 1 MiB crosses once per 64 KiB buffer, not once per read", async () => {
    const bytes = bodyOf(1024 * KIB);
    const { text, total } = await post("/pieces?37", bytes);
    expect(text).toBe(report(Math.ceil(bytes.length / 37), bytes));
    // 16 refills of 64 KiB and the one that finds the end; unbuffered, 28 341 reads.
    expect(total).toBeLessThanOrEqual(18);
  }, PYTHON_TIMEOUT);

  test("iterating over 1 MiB of 50-byte lines crosses once per buffer", async () => {
    const bytes = bodyOf(1024 * KIB);
    const { text, total } = await post("/lines", bytes);
    expect(text).toBe(report(Math.ceil(bytes.length / 50), bytes));
    expect(total).toBeLessThanOrEqual(18);
  }, PYTHON_TIMEOUT);

  test("read() of a 3 MiB body crosses a MiB at a time, straight into one bytes", async () => {
    const bytes = bodyOf(3 * 1024 * KIB);
    const { text, total } = await post("/whole", bytes);
    expect(text).toBe(report(1, bytes));
    // JavaScript never holds more than a MiB of it: 3 pieces, and the one that finds the end.
    expect(total).toBeGreaterThanOrEqual(3);
    expect(total).toBeLessThanOrEqual(4);
  }, PYTHON_TIMEOUT);

  test("read() of a chunked body (no CONTENT_LENGTH) reads to its end", async () => {
    const bytes = bodyOf(3 * 1024 * KIB + 5);
    const { text, total } = await post("/whole", bytes, false);
    expect(text).toBe(report(1, bytes));
    expect(total).toBeGreaterThanOrEqual(4);
    expect(total).toBeLessThanOrEqual(5);
  }, PYTHON_TIMEOUT);

  test(
    "a refill never waits for more than the client sent: lines go back as they come",
    async () => {
      let controller!: ReadableStreamDefaultController<Uint8Array>;
      const stream = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
      // The headers go out with the first line (PEP 3333: at the first body byte).
      controller.enqueue(new TextEncoder().encode("one\n"));
      const response = await site.fetch(
        new Request("http://localhost/in/echo-lines", {
          method: "POST",
          body: stream,
          // @ts-ignore: a streamed request body needs it (Fetch spec)
          duplex: "half",
        }),
      );
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      // Each line must come back before the next is sent: a refill that waited for a whole
      // buffer (64 KiB) would never answer the first.
      for (const line of ["one\n", "two, a longer line\n", "three\n"]) {
        if (line !== "one\n") controller.enqueue(new TextEncoder().encode(line));
        let echoed = "";
        while (echoed.length < line.length) {
          const { value, done } = await reader.read();
          if (done) break;
          echoed += decoder.decode(value);
        }
        expect(echoed).toBe(line);
      }
      controller.close();
      expect((await reader.read()).done).toBe(true);
    },
    PYTHON_TIMEOUT,
  );
});
