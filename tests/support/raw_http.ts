/**
 * HTTP/1.1 over a raw TCP socket, for requests a client library would normalise
 * (`/a/%2e%2e/b`, `%FF`, two `Cookie` lines, header names with `_`, chunked uploads).
 *
 * @module
 */

import { connect } from "node:net";

/** A response as read off the wire. */
export interface RawResponse {
  status: number;
  /** Header fields in order, names lower-cased, repeated fields kept apart. */
  headers: [string, string][];
  body: Uint8Array;
  /** The first value of a header, or undefined. */
  header(name: string): string | undefined;
}

/**
 * Sends `head` (the request line and header lines, without the blank line) and `body`, then
 * reads the response until the server closes the connection. `Connection: close` is added.
 */
export function rawRequest(
  port: number,
  head: string[],
  body: Uint8Array | string = "",
  options: {
    timeoutMs?: number;
    /**
     * Resolves as soon as the response is whole (by its Content-Length or last chunk) instead
     * of when the server closes: workerd keeps a connection open after `Connection: close`.
     */
    untilComplete?: boolean;
  } = {},
): Promise<RawResponse> {
  const text = [...head, "Connection: close", "", ""].join("\r\n");
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Uint8Array[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`No complete response to ${head[0]} in time`));
    }, options.timeoutMs ?? 10_000);
    socket.on("connect", () => {
      socket.write(latin1Bytes(text));
      socket.write(typeof body === "string" ? latin1Bytes(body) : body);
    });
    socket.on("data", (data) => {
      chunks.push(new Uint8Array(data));
      if (options.untilComplete && isComplete(concat(chunks))) socket.destroy();
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on("close", () => {
      clearTimeout(timer);
      try {
        resolve(parseResponse(concat(chunks)));
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** Encodes a string whose characters are bytes. */
export function latin1Bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0));
}

/**
 * Whether a response read so far is whole: its head, and then as many bytes as it declared or
 * its last chunk. (A response to HEAD is not told apart: ask for those with untilComplete off.)
 */
export function isComplete(bytes: Uint8Array): boolean {
  const end = indexOf(bytes, [13, 10, 13, 10]);
  if (end === -1) return false;
  const response = parseHead(bytes, end);
  const status = response.status;
  if (status === 204 || status === 304) return true;
  const body = bytes.subarray(end + 4);
  const length = response.header("content-length");
  if (length !== undefined) return body.length >= Number(length);
  if (response.header("transfer-encoding")?.toLowerCase() !== "chunked") return false;
  try {
    dechunk(body);
    return true;
  } catch {
    return false;
  }
}

function parseHead(bytes: Uint8Array, end: number): RawResponse {
  const lines = String.fromCharCode(...bytes.subarray(0, end)).split("\r\n");
  const headers = lines.slice(1).map((line): [string, string] => {
    const colon = line.indexOf(":");
    return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
  });
  return {
    status: Number(lines[0].split(" ")[1]),
    headers,
    body: new Uint8Array(0),
    header: (name) => headers.find(([n]) => n === name.toLowerCase())?.[1],
  };
}

/** Parses a whole response as read off the wire, undoing chunked framing. */
export function parseResponse(bytes: Uint8Array): RawResponse {
  const end = indexOf(bytes, [13, 10, 13, 10]);
  if (end === -1) throw new Error(`Incomplete response: ${new TextDecoder().decode(bytes)}`);
  const lines = String.fromCharCode(...bytes.subarray(0, end)).split("\r\n");
  const status = Number(lines[0].split(" ")[1]);
  const headers = lines.slice(1).map((line): [string, string] => {
    const colon = line.indexOf(":");
    return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
  });
  let body = bytes.subarray(end + 4);
  const chunked = headers.some(([name, value]) =>
    name === "transfer-encoding" && value.toLowerCase() === "chunked"
  );
  if (chunked) body = dechunk(body);
  return {
    status,
    headers,
    body,
    header: (name) => headers.find(([n]) => n === name.toLowerCase())?.[1],
  };
}

function dechunk(bytes: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = indexOf(bytes, [13, 10], at);
    if (lineEnd === -1) throw new Error("Truncated chunked body");
    const size = parseInt(new TextDecoder().decode(bytes.subarray(at, lineEnd)), 16);
    if (size === 0) return concat(parts);
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
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
