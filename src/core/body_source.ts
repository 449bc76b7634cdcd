/**
 * The app's body as a source of non-empty byte chunks, with `write()` output merged in order
 * and a `close()` that runs exactly once.
 *
 * @module
 */

import { type ResponseStart, toBytes } from "./start_response.ts";
import { describe } from "./describe_error.ts";
import type { AppResult, BodyChunk, Logger } from "./types.ts";

/** Where the response's bytes come from. */
export interface BodySource {
  /** The next non-empty chunk, or `null` at the end. Throws what the app threw. */
  next(): Promise<Uint8Array | null>;
  /** Ends the body: PEP 3333's `close()`, and `return()` for an unfinished generator. Once. */
  close(): Promise<void>;
}

/**
 * Opens the value an app returned as a body source. `onClosed` runs after `close()`.
 *
 * @throws {TypeError} When the value is not an iterable of chunks
 */
export function openBody(
  result: AppResult,
  start: ResponseStart,
  logger: Logger,
  onClosed: () => void,
): BodySource {
  const iterator = iteratorOf(result);
  let finished = false;
  let closed = false;

  async function next(): Promise<Uint8Array | null> {
    for (;;) {
      const queued = start.takeWritten();
      if (queued) return queued;
      if (finished) return null;
      let step: IteratorResult<BodyChunk>;
      try {
        step = await iterator.next();
      } catch (error) {
        finished = true;
        throw error;
      }
      if (step.done) {
        finished = true;
        continue;
      }
      const bytes = toBytes(step.value);
      if (bytes.length === 0) continue;
      // PEP 3333: what write() sent while the app was producing this chunk goes out first.
      if (!start.hasWritten()) return bytes;
      start.appendWritten(bytes);
    }
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    start.end();
    try {
      if (!finished) {
        finished = true;
        await iterator.return?.();
      }
    } catch (error) {
      logger(`Error while ending the app's body: ${describe(error)}`);
    }
    try {
      if (typeof result.close === "function") await result.close();
    } catch (error) {
      logger(`Error in the app's close(): ${describe(error)}`);
    }
    onClosed();
  }

  return { next, close };
}

type AnyIterator = Iterator<BodyChunk> | AsyncIterator<BodyChunk>;

function iteratorOf(result: AppResult): AnyIterator {
  if (typeof result === "string" || result instanceof Uint8Array) {
    throw new TypeError(
      "The app must return an iterable of chunks, not a single " +
        (typeof result === "string" ? "string" : "Uint8Array") + ": wrap it in [ ]",
    );
  }
  const asyncIterable = result as AsyncIterable<BodyChunk>;
  if (typeof asyncIterable?.[Symbol.asyncIterator] === "function") {
    return asyncIterable[Symbol.asyncIterator]();
  }
  const iterable = result as Iterable<BodyChunk>;
  if (typeof iterable?.[Symbol.iterator] === "function") return iterable[Symbol.iterator]();
  throw new TypeError(
    `The app must return an iterable of chunks, not ${result === null ? "null" : typeof result}`,
  );
}
