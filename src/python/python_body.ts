/**
 * A streamed Python body (any iterable that is not a list) as a JavaScript iterable: one chunk
 * pulled from Python per pull of the response stream, and Python's close() called once.
 *
 * @module
 */

import type { AppResult } from "../core/types.ts";
import type { PythonRuntime } from "./interpreter.ts";
import { type Frame, latin1Bytes, type RequestContext } from "./request_context.ts";

/** Options for {@linkcode pythonBody}. */
export interface PythonBodyOptions {
  /** Whether calls may suspend on `wsgi.input` (JSPI): the iterable is then asynchronous. */
  suspending: boolean;
  /** The request's context, which reads each frame's status and headers. */
  context: RequestContext;
  /** Turns what Python threw into the error to report. */
  failure: (error: unknown) => unknown;
  /** Runs once the body is closed. */
  onClosed: () => void;
}

/**
 * Wraps the body bridge.py keeps under `number`: each pull asks Python for one frame, whose
 * data (latin-1 text) becomes the chunk; an empty one, or none, ends the body.
 *
 * @param runtime The interpreter holding the body
 * @param number The body's number, as `handle()` returned it
 * @param options Suspending, the request's context, error mapping, what to do when closed
 * @returns The body, with `close()`
 * @example
 * ```ts ignore
 * const body = pythonBody(runtime, 7, { suspending: false, context, failure, onClosed });
 * for (const chunk of body as Iterable<Uint8Array>) console.log(chunk.length);
 * body.close?.();
 * ```
 */
export function pythonBody(
  runtime: PythonRuntime,
  number: number,
  options: PythonBodyOptions,
): AppResult {
  const { context, failure } = options;
  const finished = { done: true as const, value: undefined };
  const step = (frame: Frame | undefined): IteratorResult<Uint8Array> => {
    if (frame === undefined) return finished;
    if (Array.isArray(frame)) {
      context.take(frame[0]);
      return { done: false, value: frame[1] };
    }
    const data = context.take(frame);
    return data === "" ? finished : { done: false, value: latin1Bytes(data) };
  };
  let closed = false;
  // The last next() (it may be suspended on wsgi.input, JSPI), settled either way: close() waits
  // for it, because Python cannot close a generator while it runs ("generator already executing")
  // and PEP 3333 wants close() called once, and properly. It always settles: a read waiting for
  // a client that left fails (ClientDisconnectedError), which ends the body.
  let pulling: Promise<unknown> | undefined;
  const closeNow = () => {
    // close_body() forgets the body whether or not the app's close() raises.
    let done: Promise<void> | undefined;
    try {
      if (options.suspending) done = runtime.closeBodyPromising(number);
      else runtime.closeBody(number);
    } catch (error) {
      options.onClosed();
      throw failure(error);
    }
    if (!done) return options.onClosed();
    return done.then(
      () => options.onClosed(),
      (error) => {
        options.onClosed();
        return Promise.reject(failure(error));
      },
    );
  };
  const close = () => {
    if (closed) return;
    closed = true;
    return pulling ? pulling.then(closeNow) : closeNow();
  };
  // return() does nothing: ending the body is close()'s job, which the pipeline calls once.
  if (options.suspending) {
    return {
      [Symbol.asyncIterator]: () => ({
        next: () => {
          // Closed, the body is forgotten by bridge.py: there is nothing left to pull.
          if (closed) return Promise.resolve(finished);
          const pulled = runtime.nextChunkPromising(number);
          pulling = pulled.then(ignore, ignore);
          return pulled.then(step, (error: unknown) => Promise.reject(failure(error)));
        },
        return: () => Promise.resolve(finished),
      }),
      close,
    };
  }
  return {
    [Symbol.iterator]: () => ({
      next: () => {
        let frame: Frame | undefined;
        try {
          frame = runtime.nextChunk(number);
        } catch (error) {
          throw failure(error);
        }
        return step(frame);
      },
      return: () => finished,
    }),
    close,
  };
}

function ignore(): void {}
