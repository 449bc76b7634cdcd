/**
 * `start_response` and `write()` for one request: the status and headers an app chose, and
 * whether they have been sent yet.
 *
 * @module
 */

import { checkHeaders, type ParsedStatus, parseStatus } from "./response_rules.ts";
import type { BodyChunk, HeaderPair, StartResponse } from "./types.ts";

const encoder = new TextEncoder();

/** The response an app is building, as `start_response` and `write()` leave it. */
export interface ResponseStart {
  /** The function handed to the app. */
  startResponse: StartResponse;
  /** The status, once `start_response` has been called. */
  status(): ParsedStatus | undefined;
  /** The headers, once `start_response` has been called. */
  headers(): HeaderPair[];
  /** Records that the headers went out: from now on `excInfo` is re-thrown. */
  markSent(): void;
  /** Takes the oldest chunk given to `write()` that has not gone out yet. */
  takeWritten(): Uint8Array | undefined;
  /** Whether `write()` has chunks waiting. */
  hasWritten(): boolean;
  /** Queues a chunk from the iterable behind the chunks `write()` is holding. */
  appendWritten(chunk: Uint8Array): void;
  /** Refuses any further `write()`. */
  end(): void;
}

/**
 * Turns one body chunk into bytes.
 *
 * @throws {TypeError} When the chunk is neither a `Uint8Array` nor a string
 */
export function toBytes(chunk: BodyChunk): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === "string") return encoder.encode(chunk);
  const kind = chunk === null
    ? "null"
    : typeof chunk === "object"
    ? (chunk as object).constructor?.name ?? "object"
    : typeof chunk;
  throw new TypeError(`A body chunk must be a Uint8Array or a string, not ${kind}`);
}

/** Creates the `start_response` of one request. All its state lives in this closure. */
export function createStartResponse(): ResponseStart {
  let status: ParsedStatus | undefined;
  let headers: HeaderPair[] = [];
  let sent = false;
  let ended = false;
  const written: Uint8Array[] = [];

  function write(chunk: BodyChunk): void {
    if (ended) throw new TypeError("write() was called after the response ended");
    const bytes = toBytes(chunk);
    if (bytes.length === 0) return;
    // PEP 3333: write() sends the headers first, so after it an excInfo call must re-throw.
    sent = true;
    written.push(bytes);
  }

  function startResponse(newStatus: string, newHeaders: HeaderPair[], excInfo?: unknown) {
    if (excInfo !== undefined && excInfo !== null) {
      // PEP 3333: once headers are sent, the app's error can only abort the response.
      if (sent) throw excInfo;
    } else if (status) {
      throw new TypeError("start_response() was called a second time without excInfo");
    }
    const parsed = parseStatus(newStatus);
    checkHeaders(newHeaders);
    status = parsed;
    headers = newHeaders.map(([name, value]) => [name, value]);
    return write;
  }

  return {
    startResponse,
    status: () => status,
    headers: () => headers,
    markSent() {
      sent = true;
    },
    takeWritten: () => written.shift(),
    hasWritten: () => written.length > 0,
    appendWritten(chunk) {
      written.push(chunk);
    },
    end() {
      ended = true;
    },
  };
}
