/**
 * `wsgi.input`: the request body as a file-like object, streamed from the Fetch body.
 *
 * @module
 */

import type { WsgiInput } from "./types.ts";
import { joinBytes } from "../base/bytes.ts";

const EMPTY = new Uint8Array(0);

// Most requests have no body: they share one input that is always at its end. Frozen, and it
// holds nothing, so sharing it shares no state between requests.
const EMPTY_INPUT: WsgiInput = Object.freeze({
  read: () => Promise.resolve(new Uint8Array(0)),
  read1: () => Promise.resolve(new Uint8Array(0)),
  readline: () => Promise.resolve(new Uint8Array(0)),
  readlines: () => Promise.resolve([]),
  async *[Symbol.asyncIterator]() {},
});

/**
 * Tells whether `input` is the one shared by requests without a body: nothing to read, ever.
 *
 * @param input A `wsgi.input`
 * @returns Whether it is the input of a request without a body
 * @example
 * ```ts
 * import { createInput, isEmptyInput } from "./input.ts";
 * isEmptyInput(createInput(null)); // true
 * ```
 */
export function isEmptyInput(input: WsgiInput): boolean {
  return input === EMPTY_INPUT;
}

/**
 * Thrown by `wsgi.input` when a body without a declared length (chunked) grows past the
 * server's limit; the handler answers 413 when the app lets it through.
 */
export class BodyTooLargeError extends RangeError {
  constructor(limit: number) {
    super(`The request body is larger than the limit of ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/**
 * Thrown by `wsgi.input` when the body cannot be read to its end because the client went away
 * (Deno errors the body stream with `BadResource`, Bun with an `AbortError`). A read that waits
 * for bytes that will never come fails, rather than stay pending forever; a Python app sees a
 * `ConnectionResetError`, as a read from a socket the client reset would give it under gunicorn.
 */
export class ClientDisconnectedError extends Error {
  constructor(cause: unknown) {
    super(
      `The client closed the connection before the request body was read: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause },
    );
    this.name = "ClientDisconnectedError";
  }
}

const NEWLINE = 0x0a;

/**
 * Creates `wsgi.input` over a request body.
 *
 * Nothing is read until the app asks, and never more than `contentLength` bytes (PEP 3333:
 * a server must not let an app read past `CONTENT_LENGTH`). Without a length the input ends
 * where the body ends, so chunked uploads work (`wsgi.input_terminated`).
 *
 * @param body The request body, or `null` when there is none
 * @param contentLength The declared `Content-Length`, if any
 * @param maxBodySize Reading past this many bytes throws {@linkcode BodyTooLargeError}
 */
export function createInput(
  body: ReadableStream<Uint8Array> | null,
  contentLength?: number,
  maxBodySize = Infinity,
): WsgiInput {
  if (body === null || contentLength === 0) return EMPTY_INPUT;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let remaining = contentLength ?? Infinity;
  let buffered: Uint8Array = EMPTY;
  let ended = body === null || remaining === 0;
  let total = 0;
  let broken: ClientDisconnectedError | undefined;

  // Pulls one more chunk from the body into `buffered`; false at the end.
  async function fill(): Promise<boolean> {
    if (broken) throw broken;
    if (ended) return false;
    reader ??= body!.getReader();
    let step: ReadableStreamReadResult<Uint8Array>;
    try {
      step = await reader.read();
    } catch (error) {
      // The stream errors once and for all: every later read fails the same way.
      throw broken = new ClientDisconnectedError(error);
    }
    const { done, value } = step;
    if (done) {
      ended = true;
      return false;
    }
    const chunk = value.length > remaining ? value.subarray(0, remaining) : value;
    remaining -= chunk.length;
    total += chunk.length;
    if (total > maxBodySize) {
      ended = true;
      reader.cancel().catch(() => {});
      throw new BodyTooLargeError(maxBodySize);
    }
    if (remaining === 0) {
      ended = true;
      reader.cancel().catch(() => {});
    }
    buffered = buffered.length === 0 ? chunk : concat(buffered, chunk);
    return true;
  }

  function take(size: number): Uint8Array {
    const out = buffered.subarray(0, size);
    buffered = buffered.subarray(size);
    return out;
  }

  async function read(size?: number): Promise<Uint8Array> {
    const limit = size === undefined || size === null || size < 0 ? Infinity : size;
    if (buffered.length >= limit) return take(limit);
    // Collect the chunks and join them once: appending each one would copy quadratically.
    const parts = [buffered];
    let length = buffered.length;
    buffered = EMPTY;
    while (length < limit && await fill()) {
      parts.push(buffered);
      length += buffered.length;
      buffered = EMPTY;
    }
    buffered = parts.length === 1 ? parts[0] : joinBytes(parts, length);
    return take(Math.min(limit, length));
  }

  async function read1(size?: number): Promise<Uint8Array> {
    const limit = size === undefined || size === null || size < 0 ? Infinity : size;
    if (limit === 0) return EMPTY;
    if (buffered.length === 0 && !await fill()) return EMPTY;
    return take(Math.min(limit, buffered.length));
  }

  async function readline(size?: number): Promise<Uint8Array> {
    const limit = size === undefined || size === null || size < 0 ? Infinity : size;
    let scanned = 0;
    for (;;) {
      const at = buffered.indexOf(NEWLINE, scanned);
      if (at !== -1 && at < limit) return take(at + 1);
      if (buffered.length >= limit) return take(limit);
      scanned = buffered.length;
      if (!await fill()) return take(buffered.length);
    }
  }

  async function readlines(hint?: number): Promise<Uint8Array[]> {
    const limit = hint === undefined || hint === null || hint <= 0 ? Infinity : hint;
    const lines: Uint8Array[] = [];
    let total = 0;
    while (total < limit) {
      const line = await readline();
      if (line.length === 0) break;
      lines.push(line);
      total += line.length;
    }
    return lines;
  }

  return {
    read,
    read1,
    readline,
    readlines,
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const line = await readline();
        if (line.length === 0) return;
        yield line;
      }
    },
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  return joinBytes([a, b], a.length + b.length);
}
