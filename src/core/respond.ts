/**
 * Turns what an app produced into a Fetch `Response`: status, headers and a body streamed
 * with backpressure.
 *
 * @module
 */

import type { BodySource } from "./body_source.ts";
import type { ParsedStatus } from "./response_rules.ts";
import { toBytes } from "./start_response.ts";
import type { BodyChunk, HeaderPair } from "./types.ts";
import { joinBytes } from "../util/bytes.ts";

/** What every response needs, whichever way its body is made. */
export interface ResponseParts {
  method: string;
  status: ParsedStatus;
  headers: HeaderPair[];
  /** Logs a failure that happens after the headers went out. */
  report: (error: unknown) => void;
  /** Called when the client goes away before the body is complete. */
  onDisconnect: () => void;
}

// RFC 9110 §9.3.2, §15.3.5, §15.3.6, §15.4.5: no content on the wire.
const NO_BODY_STATUSES = new Set([204, 205, 304]);
const DECIMAL = /^\d+$/;

/**
 * A response whose body is a list of chunks already in memory: joined once and sent with its
 * length (PEP 3333: a one-chunk body may get a `Content-Length`). Returns `undefined` when the
 * chunks are fewer bytes than the app's `Content-Length`, which only a stream can fail with.
 *
 * @throws {TypeError} When a chunk is neither bytes nor a string
 */
export function respondWithChunks(
  chunks: BodyChunk[],
  method: string,
  status: ParsedStatus,
  pairs: HeaderPair[],
): Response | undefined {
  const noBody = method === "HEAD" || NO_BODY_STATUSES.has(status.code);
  // The common case — one string, a Content-Type and no Content-Length — goes to the runtime
  // as it is: it encodes the string and sets the length natively, faster than we could. (With
  // no Content-Type a string body would get the runtime's text/plain, which the app never set.)
  if (!noBody && chunks.length === 1 && typeof chunks[0] === "string") {
    let typed = false;
    let declared = false;
    for (const [name] of pairs) {
      if (name.length === 12 && name.toLowerCase() === "content-type") typed = true;
      else if (name.length === 14 && name.toLowerCase() === "content-length") declared = true;
    }
    if (typed && !declared) {
      return new Response(chunks[0], {
        status: status.code,
        statusText: status.reason,
        headers: headerRecord(pairs) ?? pairs,
      });
    }
  }
  const pieces = chunks.map(toBytes);
  let length = 0;
  for (const piece of pieces) length += piece.length;
  const declared = declaredLength(pairs);
  if (declared !== undefined && length < declared) return undefined;
  const headers = toHeaders(pairs);
  if (declared === undefined && !NO_BODY_STATUSES.has(status.code)) {
    headers.set("Content-Length", String(length));
  }
  const init = { status: status.code, statusText: status.reason, headers };
  if (noBody) return new Response(null, init);
  const body = pieces.length === 1 ? pieces[0] : joinBytes(pieces, length);
  const sent = declared === undefined ? body : body.subarray(0, declared);
  return new Response(sent as Uint8Array<ArrayBuffer>, init);
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
    return new Response(hasNoBody(parts) ? null : new Uint8Array(0), init);
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
        // The headers are out: all that is left is to abort the response and log why.
        parts.report(error);
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

// The headers as a plain record, which the runtimes take faster than a list of pairs; undefined
// when a name repeats exactly (several Set-Cookie), which only the list keeps apart.
function headerRecord(pairs: HeaderPair[]): Record<string, string> | undefined {
  const record: Record<string, string> = {};
  for (const [name, value] of pairs) {
    if (name in record) return undefined;
    record[name] = value;
  }
  return record;
}

function toHeaders(pairs: HeaderPair[]): Headers {
  const headers = new Headers();
  // append() keeps several Set-Cookie fields apart, in the app's order.
  for (const [name, value] of pairs) headers.append(name, value);
  return headers;
}
