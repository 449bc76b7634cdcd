/**
 * The app's side of `start_response` and `write()` as `validator()` checks it: status, headers,
 * `excInfo` use, and each chunk the app sends.
 *
 * @module
 */

import { isHopByHop } from "../core/response_rules.ts";
import type { HeaderPair, StartResponse, Write } from "../core/types.ts";
import { kindOf, quote, type Report } from "./_report.ts";

/** What the app has done so far in one request. */
export interface ResponseState {
  /** The status code once `start_response` has been called. */
  status?: number;
  /** The headers of the last `start_response` call. */
  headers: HeaderPair[];
  /** Whether a non-empty chunk went out (from the body or `write()`). */
  bodyStarted: boolean;
  /** Whether the server called the body's `close()`. */
  closed: boolean;
}

// RFC 9110 §5.6.2: a field name is a token.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// RFC 9110 §5.5: no controls but tab; PEP 3333: latin-1 only.
// deno-lint-ignore no-control-regex
const BAD_TEXT = /[\x00-\x08\x0a-\x1f\x7f\u0100-\uffff]/;
const DECIMAL = /^\d+$/;
const NO_CONTENT = new Set([204, 304]);

/** Wraps the server's `start_response` to check every call the app makes. */
export function watchStartResponse(
  startResponse: StartResponse,
  state: ResponseState,
  report: Report,
): StartResponse {
  const { fail } = report;
  return function checkedStartResponse(...args: unknown[]): Write {
    if (args.length < 2 || args.length > 3) {
      fail(
        "start_response.args",
        "app",
        `start_response() takes 2 or 3 arguments, not ${args.length}`,
      );
    }
    if (state.closed) {
      fail("start_response.after_close", "app", "start_response() was called after close()");
    }
    const [status, headers, excInfo] = args;
    if (state.status !== undefined && (excInfo === undefined || excInfo === null)) {
      fail(
        "start_response.twice",
        "app",
        `start_response(${quote(status)}) was called a second time without excInfo`,
      );
    }
    const code = checkStatus(status, report);
    checkHeaders(headers, code, report);
    // With excInfo after the headers went out, this re-throws it: PEP 3333 wants exactly that.
    const write = (startResponse as (...args: unknown[]) => Write)(...args);
    if (typeof write !== "function") {
      fail(
        "start_response.result",
        "server",
        `start_response() must return write(), not ${kindOf(write)}`,
      );
    }
    state.status = code;
    state.headers = (headers as HeaderPair[]).map(([name, value]) => [name, value]);
    return function checkedWrite(...chunks: unknown[]): void {
      if (chunks.length !== 1) {
        fail("write.args", "app", `write() takes one chunk, not ${chunks.length}`);
      }
      if (state.closed) fail("write.after_close", "app", "write() was called after close()");
      checkChunk(chunks[0], "write()", state, report);
      write(chunks[0] as Uint8Array);
    };
  };
}

/**
 * Checks one chunk from the body or `write()`: bytes or a string (bytes only in strict mode), and for the
 * first non-empty one, that `start_response` came first and a body has a `Content-Type`.
 */
export function checkChunk(chunk: unknown, where: string, state: ResponseState, report: Report) {
  let length: number;
  if (chunk instanceof Uint8Array) {
    length = chunk.length;
  } else if (typeof chunk === "string") {
    length = chunk.length;
    // This API takes strings (sent as UTF-8); PEP 3333 to the letter takes bytes only.
    if (report.strict) {
      report.fail(
        "body.string",
        "app",
        `${where} gave a string chunk ${quote(chunk)}; WSGI bodies are bytes (strict mode)`,
      );
    }
  } else {
    return report.fail(
      "body.chunk",
      "app",
      `${where} gave a ${kindOf(chunk)} chunk; chunks must be Uint8Array (or string)`,
    );
  }
  if (length === 0 || state.bodyStarted) return;
  if (state.status === undefined) {
    report.fail(
      "body.before_start_response",
      "app",
      `${where} sent body data before start_response()`,
    );
  }
  state.bodyStarted = true;
  const hasType = state.headers.some(([name]) => name.toLowerCase() === "content-type");
  if (!hasType && !NO_CONTENT.has(state.status!)) {
    report.warn(
      "headers.content_type",
      "app",
      `A ${state.status} response has a body but no Content-Type`,
    );
  }
}

function checkStatus(status: unknown, { fail }: Report): number {
  if (typeof status !== "string") {
    fail("status.type", "app", `Status must be a string, not ${kindOf(status)}`);
  }
  const text = status as string;
  if (BAD_TEXT.test(text)) {
    fail("status.control", "app", `Status has a control or non-latin-1 character: ${quote(text)}`);
  }
  const match = /^(\d{3}) (\S(?:.*\S)?)$/.exec(text);
  if (!match) {
    fail(
      "status.format",
      "app",
      `Status must be "NNN Reason" (three digits, one space, a phrase), not ${quote(text)}`,
    );
  }
  const code = Number(match![1]);
  if (code < 200 || code > 599) {
    fail(
      "status.code",
      "app",
      `Status code must be from 200 to 599 (Fetch cannot send others), not ${code}`,
    );
  }
  return code;
}

function checkHeaders(headers: unknown, code: number, { fail, warn }: Report): void {
  if (!Array.isArray(headers)) {
    fail("headers.type", "app", `Headers must be an array, not ${kindOf(headers)}`);
  }
  for (const pair of headers as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2) {
      fail("headers.pair", "app", `A header must be a [name, value] pair, not ${quote(pair)}`);
    }
    const [name, value] = pair as unknown[];
    if (typeof name !== "string" || typeof value !== "string") {
      fail("headers.string", "app", `Header name and value must be strings, not ${quote(pair)}`);
    }
    const lower = (name as string).toLowerCase();
    if (!TOKEN.test(name as string)) {
      fail("headers.name", "app", `Header name ${quote(name)} is not a token`);
    }
    if (lower === "status") {
      fail(
        "headers.status",
        "app",
        `A Status header is CGI, not WSGI: put ${quote(value)} in the status`,
      );
    }
    if (BAD_TEXT.test(value as string)) {
      fail(
        "headers.value",
        "app",
        `Header ${quote(name)} has a control or non-latin-1 character: ${quote(value)}`,
      );
    }
    if (isHopByHop(lower)) fail("headers.hop_by_hop", "app", `Header ${quote(name)} is hop-by-hop`);
    if (lower === "content-length" && !DECIMAL.test(value as string)) {
      fail(
        "headers.content_length",
        "app",
        `Content-Length must be a decimal number, not ${quote(value)}`,
      );
    }
    if (lower === "content-type" && NO_CONTENT.has(code)) {
      warn(
        "headers.content_type",
        "app",
        `A ${code} response has no content, but has Content-Type`,
      );
    }
  }
}
