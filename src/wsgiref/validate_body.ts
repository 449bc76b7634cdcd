/**
 * The body an app returns as `validator()` checks it: its type, each chunk, and that the
 * server reads it properly and calls `close()` exactly once.
 *
 * @module
 */

import type { AppResult, BodyChunk } from "../core/types.ts";
import { kindOf, type Report } from "./_report.ts";
import { checkChunk, type ResponseState } from "./validate_response.ts";

type AnyIterator = Iterator<unknown> | AsyncIterator<unknown>;

/**
 * Checks the app's return value and wraps it so every chunk is checked as the server pulls it.
 * A list stays a list (a copy with `close()`), so the server's fast path still applies.
 *
 * @param graceMs How long after the body ended the server may take to call `close()`
 */
export function watchBody(
  result: unknown,
  state: ResponseState,
  report: Report,
  graceMs: number,
): AppResult {
  const { fail } = report;
  if (result === null || result === undefined || typeof result !== "object") {
    const single = typeof result === "string" ? ": wrap a single string in [ ]" : "";
    fail(
      "body.type",
      "app",
      `The app must return an iterable of chunks (if only []), not ${kindOf(result)}${single}`,
    );
  }
  if (result instanceof Uint8Array) {
    fail(
      "body.type",
      "app",
      "The app must return an iterable of chunks, not a Uint8Array: wrap it in [ ]",
    );
  }
  const body = result as AppResult & Record<symbol, unknown>;
  const asyncIterable = typeof body[Symbol.asyncIterator] === "function";
  if (!asyncIterable && typeof body[Symbol.iterator] !== "function") {
    fail("body.type", "app", `The app must return an iterable of chunks, not ${kindOf(result)}`);
  }
  if (body.close !== undefined && typeof body.close !== "function") {
    fail("body.close", "app", `The body's close must be a function, not ${kindOf(body.close)}`);
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  // The body has ended (or the server stopped reading it): close() must follow.
  const expectClose = () => {
    if (state.closed || timer !== undefined) return;
    timer = setTimeout(() => {
      if (state.closed) return;
      report.warn(
        "body.close_missing",
        "server",
        `close() was not called within ${graceMs} ms after the body ended`,
      );
    }, graceMs);
    (timer as { unref?: () => void }).unref?.();
  };
  const close = async () => {
    if (state.closed) {
      report.warn("body.close_twice", "server", "close() was called more than once");
      return;
    }
    state.closed = true;
    clearTimeout(timer);
    await body.close?.();
  };

  if (Array.isArray(result)) {
    // Nothing can call start_response once a list is returned: it must have been called.
    if (state.status === undefined) {
      fail(
        "body.before_start_response",
        "app",
        "The app returned a list body without calling start_response()",
      );
    }
    for (const chunk of result) checkChunk(chunk, "The body", state, report);
    expectClose();
    return Object.assign([...result] as BodyChunk[], { close });
  }

  let iterator: AnyIterator | undefined;
  const checked: AsyncIterator<BodyChunk> = {
    async next() {
      if (state.closed) {
        fail("body.read_after_close", "server", "The server read the body after close()");
      }
      iterator ??= asyncIterable
        ? (body as AsyncIterable<unknown>)[Symbol.asyncIterator]()
        : (body as Iterable<unknown>)[Symbol.iterator]();
      let step: IteratorResult<unknown>;
      try {
        step = await iterator.next();
      } catch (error) {
        expectClose();
        throw error;
      }
      if (step.done) {
        expectClose();
        if (state.status === undefined) {
          fail(
            "body.before_start_response",
            "app",
            "The body ended without start_response() being called",
          );
        }
        return { done: true, value: undefined };
      }
      checkChunk(step.value, "The body", state, report);
      return { done: false, value: step.value as BodyChunk };
    },
    async return() {
      expectClose();
      await iterator?.return?.();
      return { done: true, value: undefined };
    },
  };
  return { [Symbol.asyncIterator]: () => checked, close };
}
