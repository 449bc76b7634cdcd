/**
 * Reads a short synchronous body (a generator, a Set, any sync iterable that is not an array)
 * to its end in the same tick, so that it can be sent in one piece like a list.
 *
 * @module
 */

import type { ResponseStart } from "./start_response.ts";
import type { AppResult, BodyChunk, HeaderPair } from "./types.ts";

/** What {@linkcode drainSyncBody} found: the whole body, or a body to stream instead. */
export type Drained =
  | { whole: BodyChunk[]; rest?: undefined }
  | { whole?: undefined; rest: AppResult };

/**
 * Past this many bytes or chunks a body is streamed: streaming stays streaming, and a long
 * generator is pulled only as far as the client reads (a few chunks ahead at most).
 */
export const DRAIN_LIMITS = { bytes: 64 * 1024, chunks: 4 };

/**
 * Pulls chunks from a sync iterable `result` as long as it answers at once, up to
 * {@linkcode DRAIN_LIMITS} and never past the app's `Content-Length`. When it ends cleanly, after `start_response`, the chunks (with
 * what `write()` sent, in order) come back `whole`. Anything else — a limit reached, a chunk
 * that is neither bytes nor a string, an error, no `start_response` — comes back as `rest`: an
 * iterable that yields the chunks already read, then resumes the app's (throwing its error
 * where it threw), so the streaming path behaves exactly as if it had read the app itself.
 *
 * Only for bodies without `close()`: PEP 3333 has `close()` called once the body is sent,
 * which a body in one piece cannot tell.
 *
 * @param result The app's sync iterable, which must have no `close()`
 * @param start The response being built: its status, and the chunks `write()` queued
 * @param onEndError Told of an error thrown while ending a generator cut at `Content-Length`
 * @example
 * ```ts
 * import { drainSyncBody } from "./sync_body.ts";
 * import { createStartResponse } from "./start_response.ts";
 * const start = createStartResponse();
 * start.startResponse("200 OK", []);
 * drainSyncBody((function* () { yield "a"; yield "b"; })(), start, console.error).whole; // ["a", "b"]
 * ```
 */
export function drainSyncBody(
  result: Iterable<BodyChunk>,
  start: ResponseStart,
  onEndError: (error: unknown) => void,
): Drained {
  const iterator = result[Symbol.iterator]();
  const read: BodyChunk[] = [];
  let bytes = 0;
  let steps = 0;
  let declared = Infinity;
  let failure: { error: unknown } | undefined;
  for (;;) {
    let step: IteratorResult<BodyChunk>;
    try {
      step = iterator.next();
    } catch (error) {
      failure = { error };
      break;
    }
    // PEP 3333: what write() sent while the app was producing this chunk goes out first.
    for (let written = start.takeWritten(); written; written = start.takeWritten()) {
      read.push(written);
      bytes += written.length;
    }
    if (step.done) {
      if (start.status()) return { whole: read };
      break;
    }
    const chunk = step.value;
    const size = typeof chunk === "string"
      ? chunk.length
      : chunk instanceof Uint8Array
      ? chunk.length
      : -1;
    read.push(chunk);
    if (size < 0 || (size > 0 && !start.status())) break;
    // The headers are final with the first non-empty chunk, as when streaming.
    if (size > 0 && declared === Infinity) {
      start.markSent();
      declared = declaredLength(start.headers());
    }
    bytes += size;
    // Enough for the app's Content-Length: what it would yield next is never sent, and the
    // generator is ended now, as the streaming path would end it (its `finally` runs).
    if (bytes >= declared) {
      try {
        iterator.return?.();
      } catch (error) {
        onEndError(error);
      }
      return { whole: read };
    }
    if (bytes > DRAIN_LIMITS.bytes || ++steps >= DRAIN_LIMITS.chunks) break;
  }
  return { rest: replay(read, iterator, failure) };
}

// The app's Content-Length, or Infinity (a string's length never exceeds its UTF-8 length, so
// counting UTF-16 units never stops early).
function declaredLength(headers: HeaderPair[]): number {
  for (const [name, value] of headers) {
    if (name.length === 14 && name.toLowerCase() === "content-length") {
      return DECIMAL.test(value) ? Number(value) : Infinity;
    }
  }
  return Infinity;
}

const DECIMAL = /^\d+$/;

// The chunks already read, then the rest of the app's iterator (or the error it threw).
function replay(
  read: BodyChunk[],
  iterator: Iterator<BodyChunk>,
  failure: { error: unknown } | undefined,
): AppResult {
  let index = 0;
  const resumed: Iterator<BodyChunk> = {
    next() {
      if (index < read.length) return { value: read[index++], done: false };
      if (failure) {
        const { error } = failure;
        failure = undefined;
        throw error;
      }
      return iterator.next();
    },
    return(value?: unknown) {
      return iterator.return?.(value) ?? { value, done: true };
    },
  };
  return { [Symbol.iterator]: () => resumed };
}
