/**
 * Turns an app's body that is not whole in memory into a Fetch `Response` whose body is pulled
 * from the app one chunk at a time, with backpressure.
 *
 * @module
 */

import type { BodySource } from "./body_source.ts";
import { noteBodyLength } from "./body_length.ts";
import { ClientDisconnectedError } from "./input.ts";
import { NO_BODY_STATUSES, toHeaders } from "./respond.ts";
import type { ParsedStatus } from "./response_rules.ts";
import type { HeaderPair } from "./types.ts";

const DECIMAL = /^\d+$/;

/** What a streamed response needs besides its body. */
export interface ResponseParts {
  method: string;
  status: ParsedStatus;
  headers: HeaderPair[];
  /** Logs a failure that happens after the headers went out. */
  report: (error: unknown) => void;
  /** Called when the client goes away before the body is complete. */
  onDisconnect: () => void;
}

/**
 * A response whose body is pulled from the app one chunk per read of the stream, starting
 * with `first`, the chunk that made the headers final. `close()` runs exactly once: at the
 * end, on an error, or when the client disconnects.
 */
export function respondWithStream(
  first: Uint8Array | null,
  body: BodySource,
  parts: ResponseParts,
): Response {
  const init = {
    status: parts.status.code,
    statusText: parts.status.reason,
    headers: toHeaders(parts.headers),
  };
  const declared = declaredLength(parts.headers);
  if (hasNoBody(parts) || (first === null && !declared)) {
    body.close();
    // The HEAD of a body whose length nobody knows: with a null body both runtimes would
    // announce `Content-Length: 0`, which the GET contradicts (RFC 9110 §8.6). A body stream
    // leaves the length unsaid, as gunicorn does (Bun announces chunked, as for the GET).
    const unknown = parts.method === "HEAD" && first !== null && declared === undefined &&
      !NO_BODY_STATUSES.has(parts.status.code);
    const nothing = unknown ? unsentBody() : hasNoBody(parts) ? null : new Uint8Array(0);
    return noteBodyLength(new Response(nothing, init), 0);
  }
  let pending: Uint8Array | null = first;
  let sent = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk = pending ?? await body.next();
        pending = null;
        // The client left while the app was producing this chunk: nothing to send it to.
        if (cancelled) return;
        if (chunk === null) {
          if (declared !== undefined && sent < declared) {
            throw new RangeError(
              `The app declared Content-Length ${declared} but sent ${sent} bytes`,
            );
          }
          controller.close();
          await body.close();
          return;
        }
        if (declared !== undefined && sent + chunk.length >= declared) {
          // Content-Length is honoured: bytes past it are never sent.
          if (declared > sent) controller.enqueue(chunk.subarray(0, declared - sent));
          sent = declared;
          controller.close();
          await body.close();
          return;
        }
        sent += chunk.length;
        controller.enqueue(chunk);
      } catch (error) {
        if (cancelled) return;
        // The headers are out: all that is left is to abort the response and log why; unless
        // the client left mid-body (Deno fails the body's read before it cancels this stream),
        // which is no error of the app's.
        if (!(error instanceof ClientDisconnectedError)) parts.report(error);
        await body.close();
        // A macrotask later, so the chunks already enqueued reach the client first (Bun drops
        // what it has not written yet); and with no reason, which Bun would print a second time.
        setTimeout(() => controller.error(), 0);
      }
    },
    async cancel() {
      cancelled = true;
      parts.onDisconnect();
      await body.close();
    },
  }, { highWaterMark: 0 });
  return new Response(stream, init);
}

// An empty body a macrotask after it is first read. A runtime answering a HEAD cancels it
// unread; anything else reading it (a middleware, a test) sees it end. One that ended within
// its first read Bun would measure, and announce as `Content-Length: 0`.
function unsentBody(): ReadableStream<Uint8Array> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let finish: (() => void) | undefined;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      return new Promise<void>((resolve) => {
        finish = resolve;
        timer = setTimeout(() => {
          controller.close();
          resolve();
        }, 0);
      });
    },
    cancel() {
      clearTimeout(timer);
      finish?.();
    },
  });
}

function hasNoBody(parts: ResponseParts): boolean {
  return parts.method === "HEAD" || NO_BODY_STATUSES.has(parts.status.code);
}

function declaredLength(headers: HeaderPair[]): number | undefined {
  for (const [name, value] of headers) {
    if (name.length === 14 && name.toLowerCase() === "content-length") {
      return DECIMAL.test(value) ? Number(value) : undefined;
    }
  }
  return undefined;
}
