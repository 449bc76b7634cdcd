/**
 * `start_response` and `write()` for one request: the status and headers an app chose, and
 * whether they have been sent yet.
 *
 * @module
 */

import { type ParsedStatus, parseStatus } from "./response_rules.ts";
import { readHeaders, type ResponseHead } from "./response_head.ts";
import type { BodyChunk, HeaderPair, StartResponse, Write } from "./types.ts";

const encoder = new TextEncoder();

/** The response an app is building, as `start_response` and `write()` leave it. */
export interface ResponseStart {
  /** The function handed to the app. */
  startResponse: StartResponse;
  /** The status, once `start_response` has been called. */
  status(): ParsedStatus | undefined;
  /** The headers, once `start_response` has been called. */
  headers(): HeaderPair[];
  /** The headers read for sending, once `start_response` has been called. */
  head(): ResponseHead | undefined;
  /** Records that the headers went out: from now on `excInfo` is re-thrown. */
  markSent(): void;
  /** Takes the oldest chunk given to `write()` that has not gone out yet. */
  takeWritten(): Uint8Array | undefined;
  /** Whether `write()` has chunks waiting. */
  hasWritten(): boolean;
  /** The chunks `write()` has waiting, oldest first, left where they are. */
  pendingWritten(): readonly Uint8Array[];
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

/**
 * Creates the `start_response` of one request. All its state lives in the object it returns.
 *
 * @param statuses A memo of parsed status lines, shared by one handler's requests: an app uses
 * a handful of statuses, and parsing one costs more than looking it up
 */
export function createStartResponse(statuses?: Map<string, ParsedStatus>): ResponseStart {
  return new ResponseState(statuses);
}

const MAX_MEMO = 64;

// A class rather than a bag of closures: one allocation on the hot path of every request.
class ResponseState implements ResponseStart {
  #status: ParsedStatus | undefined;
  #head: ResponseHead | undefined;
  #sent = false;
  #ended = false;
  #written: Uint8Array[] | undefined;
  #write: Write | undefined;
  #statuses: Map<string, ParsedStatus> | undefined;

  constructor(statuses?: Map<string, ParsedStatus>) {
    this.#statuses = statuses;
  }

  readonly startResponse: StartResponse = (status, headers, excInfo) => {
    if (excInfo !== undefined && excInfo !== null) {
      // PEP 3333: once headers are sent, the app's error can only abort the response.
      if (this.#sent) throw excInfo;
    } else if (this.#status) {
      throw new TypeError("start_response() was called a second time without excInfo");
    }
    let parsed = this.#statuses?.get(status);
    if (!parsed) {
      parsed = parseStatus(status);
      if (this.#statuses && this.#statuses.size < MAX_MEMO) this.#statuses.set(status, parsed);
    }
    // Checked, copied (the app may go on changing its own list after the call) and read for
    // sending, in one pass.
    const head = readHeaders(headers);
    this.#status = parsed;
    this.#head = head;
    return this.#write ??= (chunk) => this.#writeChunk(chunk);
  };

  #writeChunk(chunk: BodyChunk): void {
    if (this.#ended) throw new TypeError("write() was called after the response ended");
    const bytes = toBytes(chunk);
    if (bytes.length === 0) return;
    // PEP 3333: write() sends the headers first, so after it an excInfo call must re-throw.
    this.#sent = true;
    (this.#written ??= []).push(bytes);
  }

  status(): ParsedStatus | undefined {
    return this.#status;
  }

  headers(): HeaderPair[] {
    return this.#head?.pairs ?? [];
  }

  head(): ResponseHead | undefined {
    return this.#head;
  }

  markSent(): void {
    this.#sent = true;
  }

  takeWritten(): Uint8Array | undefined {
    return this.#written?.shift();
  }

  hasWritten(): boolean {
    return this.#written !== undefined && this.#written.length > 0;
  }

  pendingWritten(): readonly Uint8Array[] {
    return this.#written ?? [];
  }

  appendWritten(chunk: Uint8Array): void {
    (this.#written ??= []).push(chunk);
  }

  end(): void {
    this.#ended = true;
  }
}
