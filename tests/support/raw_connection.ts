/**
 * One TCP connection that stays open across requests, reading each response off the wire by
 * its own framing (RFC 9112 §6.3), for the tests of framing, keep-alive and pipelining that
 * `rawRequest()` (one request, then read until close) cannot express. Nothing is normalised:
 * every header line is kept as sent, and a response framed twice is reported, not repaired.
 *
 * @module
 */

import { connect, type Socket } from "node:net";
import { latin1Bytes } from "./raw_http.ts";

/** How a response's body was delimited on the wire. */
export type Framing = "content-length" | "chunked" | "close" | "none";

/** One response as it came off the wire. */
export interface WireResponse {
  /** The status line's version, such as `HTTP/1.1`. */
  version: string;
  status: number;
  /** Header fields in order, names lower-cased, repeated fields kept apart. */
  headers: [string, string][];
  /** The body's bytes, de-chunked. */
  body: Uint8Array;
  framing: Framing;
  /** Every value of a header, in order. */
  all(name: string): string[];
  /** The first value of a header, or undefined. */
  header(name: string): string | undefined;
}

/** A connection to read responses from, one at a time, in order. */
export interface RawConnection {
  /** Writes bytes (a string's characters are bytes). */
  send(data: string | Uint8Array): void;
  /**
   * Resolves with the next whole response. `noBody` says it answers a HEAD request, whose
   * headers describe a body that is not sent. Rejects when the connection ends before the
   * response is whole, or after `timeoutMs` (10 s).
   */
  response(options?: { noBody?: boolean; timeoutMs?: number }): Promise<WireResponse>;
  /** Resolves once the server has closed the connection (rejects after `timeoutMs`, 10 s). */
  closed(timeoutMs?: number): Promise<void>;
  /** Whether the server closed the connection. */
  isClosed(): boolean;
  /** The bytes received and not yet read as a response. */
  unread(): Uint8Array;
  /** Closes our side. */
  destroy(): void;
}

const CRLF = [13, 10];
const END_OF_HEAD = [13, 10, 13, 10];

/** Opens a connection to 127.0.0.1:`port`; resolves once it is connected. */
export function openConnection(port: number): Promise<RawConnection> {
  const socket: Socket = connect(port, "127.0.0.1");
  let buffer: Uint8Array = new Uint8Array(0);
  let ended = false;
  let error: Error | undefined;
  // Called whenever bytes arrive or the connection ends: whoever waits looks again.
  let wake: (() => void) | undefined;
  const poke = () => wake?.();
  socket.on("data", (data) => {
    buffer = concat([buffer, new Uint8Array(data)]);
    poke();
  });
  socket.on("end", () => {
    ended = true;
    poke();
  });
  socket.on("close", () => {
    ended = true;
    poke();
  });
  socket.on("error", (cause) => {
    error = cause;
    ended = true;
    poke();
  });

  // Runs `attempt` on every change until it returns a value, or the connection ends (then
  // once more, told so), or the time is up.
  function until<T>(attempt: (final: boolean) => T | undefined, timeoutMs: number, what: string) {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        wake = undefined;
        reject(new Error(`${what}: nothing in ${timeoutMs} ms; unread: ${show(buffer)}`));
      }, timeoutMs);
      wake = () => {
        let value: T | undefined;
        try {
          value = attempt(ended);
        } catch (cause) {
          clearTimeout(timer);
          wake = undefined;
          reject(cause);
          return;
        }
        if (value !== undefined) {
          clearTimeout(timer);
          wake = undefined;
          resolve(value);
        } else if (ended) {
          clearTimeout(timer);
          wake = undefined;
          const reason = error ? ` (${error.message})` : "";
          reject(new Error(`${what}: the connection ended${reason}; unread: ${show(buffer)}`));
        }
      };
      wake();
    });
  }

  const connection: RawConnection = {
    send(data) {
      socket.write(typeof data === "string" ? latin1Bytes(data) : data);
    },
    response({ noBody = false, timeoutMs = 10_000 } = {}) {
      return until(
        (final) => {
          const parsed = parseResponse(buffer, noBody, final);
          if (!parsed) return undefined;
          buffer = buffer.subarray(parsed.used);
          return parsed.response;
        },
        timeoutMs,
        "A whole response",
      );
    },
    closed(timeoutMs = 10_000) {
      return until((final) => final ? true : undefined, timeoutMs, "The close").then(() => {});
    },
    isClosed: () => ended,
    unread: () => buffer,
    destroy: () => socket.destroy(),
  };
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(connection));
    socket.once("error", reject);
  });
}

// The response at the start of `bytes` and how many bytes it took, or undefined while it is
// incomplete. `final`: the connection has ended, which ends a body framed by the close.
function parseResponse(
  bytes: Uint8Array,
  noBody: boolean,
  final: boolean,
): { response: WireResponse; used: number } | undefined {
  const headEnd = indexOf(bytes, END_OF_HEAD);
  if (headEnd === -1) return undefined;
  const lines = String.fromCharCode(...bytes.subarray(0, headEnd)).split("\r\n");
  const [version, code] = lines[0].split(" ");
  const status = Number(code);
  const headers = lines.slice(1).map((line): [string, string] => {
    const colon = line.indexOf(":");
    if (colon <= 0) throw new Error(`Not a header line: ${JSON.stringify(line)}`);
    return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
  });
  const all = (name: string) =>
    headers.filter(([field]) => field === name.toLowerCase()).map(([, value]) => value);
  const start = headEnd + 4;
  const make = (body: Uint8Array, framing: Framing, used: number) => ({
    used,
    response: {
      version,
      status,
      headers,
      body,
      framing,
      all,
      header: (name: string) => all(name)[0],
    },
  });
  // RFC 9112 §6.3: what delimits the body, in its order.
  if (noBody || status < 200 || status === 204 || status === 304) {
    return make(new Uint8Array(0), "none", start);
  }
  const encodings = all("transfer-encoding");
  if (encodings.length > 0) {
    if (!/(^|,)\s*chunked\s*$/i.test(encodings.join(","))) {
      throw new Error(`Transfer-Encoding without chunked last: ${encodings.join(", ")}`);
    }
    const dechunked = dechunk(bytes, start);
    return dechunked && make(dechunked.body, "chunked", dechunked.used);
  }
  const lengths = all("content-length");
  if (lengths.length > 0) {
    const length = Number(lengths[0]);
    if (bytes.length - start < length) return undefined;
    return make(bytes.slice(start, start + length), "content-length", start + length);
  }
  return final ? make(bytes.slice(start), "close", bytes.length) : undefined;
}

function dechunk(bytes: Uint8Array, from: number): { body: Uint8Array; used: number } | undefined {
  const parts: Uint8Array[] = [];
  let at = from;
  for (;;) {
    const lineEnd = indexOf(bytes, CRLF, at);
    if (lineEnd === -1) return undefined;
    const sizeText = String.fromCharCode(...bytes.subarray(at, lineEnd)).split(";")[0].trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw new Error(`Bad chunk size: ${sizeText}`);
    const size = parseInt(sizeText, 16);
    if (size === 0) {
      // Trailer fields, if any, then the blank line.
      let trailerAt = lineEnd + 2;
      for (;;) {
        const end = indexOf(bytes, CRLF, trailerAt);
        if (end === -1) return undefined;
        if (end === trailerAt) return { body: concat(parts), used: end + 2 };
        trailerAt = end + 2;
      }
    }
    if (bytes.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

function show(bytes: Uint8Array): string {
  const text = String.fromCharCode(...bytes.subarray(0, 300));
  return JSON.stringify(bytes.length > 300 ? text + "…" : text);
}

function indexOf(bytes: Uint8Array, needle: number[], from = 0): number {
  outer: for (let i = from; i <= bytes.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
