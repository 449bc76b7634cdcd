/**
 * A small request body read before a Python app runs, when the runtime has it already.
 *
 * @module
 */

import { createInput } from "../core/input.ts";
import type { WsgiInput } from "../core/types.ts";

// Bodies of a declared length up to this many bytes: little memory per request, as the
// adapter's drain limit (sync_body.ts).
const SMALL_BODY = 64 * 1024;

/**
 * The declared length of a body small enough to read before the app runs, or `undefined`.
 *
 * @param contentLength The environ's `CONTENT_LENGTH`
 * @returns Its value when it is at most 64 KiB
 * @example
 * ```ts
 * import { smallBodyLength } from "./small_body.ts";
 * smallBodyLength("5"); // 5
 * smallBodyLength("1000000"); // undefined
 * ```
 */
export function smallBodyLength(contentLength: string | undefined): number | undefined {
  if (contentLength === undefined || !/^\d+$/.test(contentLength)) return undefined;
  const length = Number(contentLength);
  return length <= SMALL_BODY ? length : undefined;
}

/**
 * Runs `whole` with the body once it is read, if that happens before the next macrotask
 * (the runtime had the body already); else runs `late` then, with an input that gives the
 * body's bytes as they arrive. Either way the app gets every byte, and never waits for a
 * body before it starts longer than one macrotask.
 *
 * Why: Bun closes the connection when a pipelined request arrives while the response ahead of
 * it is still pending past the microtasks that follow its request (docs/WSGI.md, "Where Deno
 * and Bun differ"), and a Python read through JSPI takes longer than that. An app that runs
 * with its body in hand answers within them.
 *
 * @param input The request's `wsgi.input`, unread
 * @param length The body's declared length, from {@linkcode smallBodyLength}
 * @param whole Runs the app with the whole body; may throw
 * @param late Runs the app with an input to read the body from as it arrives
 * @returns What the one that ran returned
 * @example
 * ```ts ignore
 * readFirst(environ["wsgi.input"], 5, (body) => run(body), (input) => runReading(input));
 * ```
 */
export function readFirst<T>(
  input: WsgiInput,
  length: number,
  whole: (body: Uint8Array) => T,
  late: (input: WsgiInput) => Promise<T>,
): Promise<T> {
  const read = input.read();
  return new Promise<T>((resolve, reject) => {
    let started = false;
    const timer = setTimeout(() => {
      started = true;
      resolve(late(createInput(pending(read), length)));
    }, 0);
    read.then((body) => {
      if (started) return;
      clearTimeout(timer);
      try {
        resolve(whole(body));
      } catch (error) {
        reject(error);
      }
    }, (error) => {
      if (started) return;
      clearTimeout(timer);
      reject(error);
    });
  });
}

// The body a read will give, as a stream for createInput(): its failure (the client left) is
// the stream's, which a read of the input reports as a ClientDisconnectedError.
function pending(read: Promise<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      controller.enqueue(await read);
      controller.close();
    },
  });
}
