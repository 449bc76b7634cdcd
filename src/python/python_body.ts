/**
 * A streamed Python body (any iterable that is not a list) as a JavaScript iterable: one chunk
 * pulled from Python per pull of the response stream, and Python's close() called once.
 *
 * @module
 */

import type { AppResult } from "../core/types.ts";
import type { PythonRuntime } from "./interpreter.ts";

/**
 * Wraps the body bridge.py keeps under `number`. With `suspending`, every call into Python may
 * wait for the request body (JSPI), so the iterable is asynchronous; else it is synchronous.
 *
 * @param runtime The interpreter holding the body
 * @param number The body's number, as `handle()` returned it
 * @param suspending Whether calls may suspend on `wsgi.input`
 * @param failure Turns what Python threw into the error to report
 * @returns The body, with `close()`
 * @example
 * ```ts ignore
 * const body = pythonBody(runtime, 7, false, (error) => error);
 * for (const chunk of body as Iterable<Uint8Array>) console.log(chunk.length);
 * body.close?.();
 * ```
 */
export function pythonBody(
  runtime: PythonRuntime,
  number: number,
  suspending: boolean,
  failure: (error: unknown) => unknown,
): AppResult {
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    // close_body() forgets the body whether or not the app's close() raises.
    try {
      const done = suspending ? runtime.closeBody.callPromising(number) : runtime.closeBody(number);
      if (done instanceof Promise) return done.catch((error) => Promise.reject(failure(error)));
    } catch (error) {
      throw failure(error);
    }
  };
  // return() does nothing: ending the body is close()'s job, which the pipeline calls once.
  const finished = { done: true as const, value: undefined };
  if (suspending) {
    return {
      [Symbol.asyncIterator]: () => ({
        next: () =>
          runtime.nextChunk.callPromising(number).then(
            (chunk: Uint8Array | undefined) =>
              chunk === undefined ? finished : { done: false, value: chunk },
            (error: unknown) => Promise.reject(failure(error)),
          ),
        return: () => Promise.resolve(finished),
      }),
      close,
    };
  }
  return {
    [Symbol.iterator]: () => ({
      next: () => {
        let chunk: Uint8Array | undefined;
        try {
          chunk = runtime.nextChunk(number);
        } catch (error) {
          throw failure(error);
        }
        return chunk === undefined ? finished : { done: false, value: chunk };
      },
      return: () => finished,
    }),
    close,
  };
}
