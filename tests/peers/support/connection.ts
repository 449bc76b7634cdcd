/**
 * One TCP connection kept open across requests, for what a one-shot request cannot show:
 * keep-alive, pipelining, HTTP/1.0, `Expect: 100-continue`, and whether the server closed the
 * connection after a response. Bytes go out exactly as given; every wait is bounded. Unlike
 * tests/support/raw_connection.ts, a response cut short by the close is returned (`truncated`),
 * as waitress's tests read it, and our side can half-close (`end()`).
 *
 * @module
 */

import { connect, type Socket } from "node:net";
import { latin1Bytes } from "../../support/raw_http.ts";
import { chunkedEnd, concat, dechunk, indexOf, latin1 } from "./wire_bytes.ts";

/** A response as read off a kept-open connection. */
export interface WireResponse {
  /** `HTTP/1.1` or `HTTP/1.0`, as the status line says. */
  version: string;
  status: number;
  reason: string;
  /** Header fields in order, names lower-cased, repeated fields kept apart. */
  headers: [string, string][];
  /** The body, de-chunked when it was sent chunked. */
  body: Uint8Array;
  /** The body's bytes as they were on the wire (chunk framing included). */
  rawBody: Uint8Array;
  /** Whether the connection closed before the body its framing promised was whole. */
  truncated: boolean;
  /** The first value of a header, or undefined. */
  header(name: string): string | undefined;
  /** Every value of a header, in order. */
  all(name: string): string[];
}

/** The server closed the connection before a response began. */
export class ConnectionClosedError extends Error {
  constructor(detail: string) {
    super(`The connection closed ${detail}`);
    this.name = "ConnectionClosedError";
  }
}

/** A kept-open connection to `127.0.0.1:port`. */
export interface RawConnection {
  /** Writes bytes (a string is taken as latin-1, one byte per character). */
  send(data: string | Uint8Array): void;
  /**
   * Reads the next response: status line, headers, and the body its framing says (none for a
   * `HEAD`, 1xx, 204 or 304). Rejects with {@linkcode ConnectionClosedError} when the connection
   * closes before a status line, or with a timeout error after `ms` (default 10 s).
   */
  read(options?: { head?: boolean; ms?: number }): Promise<WireResponse>;
  /** Resolves `true` once the server has closed the connection, `false` if it is open after `ms`. */
  closedWithin(ms: number): Promise<boolean>;
  /** Whether the server has closed the connection (or reset it). */
  isClosed(): boolean;
  /** Ends our side (a half-close): the server reads the end of the input. */
  end(): void;
  /** Closes our end. */
  close(): void;
}

/**
 * Opens a connection and resolves once it is established.
 *
 * @example
 * ```ts
 * const conn = await openConnection(port);
 * conn.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
 * const first = await conn.read();
 * conn.send("GET / HTTP/1.0\r\n\r\n");
 * const second = await conn.read();
 * await conn.closedWithin(2_000); // true: HTTP/1.0 without keep-alive
 * ```
 */
export function openConnection(port: number): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("error", reject);
    socket.once("connect", () => {
      socket.off("error", reject);
      resolve(wrap(socket));
    });
  });
}

function wrap(socket: Socket): RawConnection {
  let buffer: Uint8Array = new Uint8Array(0);
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const waiting = wake;
    wake = undefined;
    waiting?.();
  };
  socket.on("data", (data: Uint8Array) => {
    buffer = concat([buffer, new Uint8Array(data)]);
    notify();
  });
  // A reset counts as a close: the server is done with the connection either way.
  socket.on("error", () => {});
  socket.on("close", () => {
    ended = true;
    notify();
  });
  const changed = () => new Promise<void>((resolve) => wake = resolve);

  // Waits until `ready()` returns something or the connection ends; `deadline` bounds it.
  async function until<T>(ready: () => T | undefined, deadline: number, what: string) {
    for (;;) {
      const found = ready();
      if (found !== undefined) return found;
      if (ended) return undefined;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Timed out waiting for ${what}`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([changed(), new Promise((r) => timer = setTimeout(r, left))]);
      clearTimeout(timer);
    }
  }

  function take(count: number): Uint8Array {
    const taken = buffer.slice(0, count);
    buffer = buffer.slice(count);
    return taken;
  }

  async function read({ head = false, ms = 10_000 } = {}): Promise<WireResponse> {
    const deadline = Date.now() + ms;
    const headEnd = await until(
      () => {
        const at = indexOf(buffer, CRLFCRLF);
        return at === -1 ? undefined : at;
      },
      deadline,
      "a response head",
    );
    if (headEnd === undefined) {
      throw new ConnectionClosedError(
        buffer.length ? `mid-head: ${latin1(buffer)}` : "before a response",
      );
    }
    const lines = latin1(take(headEnd + 4)).slice(0, -4).split("\r\n");
    const [version, code, ...reason] = lines[0].split(" ");
    const status = Number(code);
    const headers = lines.slice(1).map((line): [string, string] => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    });
    const all = (name: string) => headers.filter(([n]) => n === name).map(([, v]) => v);
    const response = (body: Uint8Array, rawBody: Uint8Array, truncated: boolean) => ({
      version,
      status,
      reason: reason.join(" "),
      headers,
      body,
      rawBody,
      truncated,
      header: (name: string) => all(name.toLowerCase())[0],
      all: (name: string) => all(name.toLowerCase()),
    });
    if (head || status < 200 || status === 204 || status === 304) {
      return response(new Uint8Array(0), new Uint8Array(0), false);
    }
    const chunked = all("transfer-encoding").some((v) => /(^|,)\s*chunked\s*$/i.test(v));
    if (chunked) {
      const end = await until(() => chunkedEnd(buffer), deadline, "the last chunk");
      if (end === undefined) {
        const raw = take(buffer.length);
        return response(dechunk(raw).body, raw, true);
      }
      const raw = take(end);
      return response(dechunk(raw).body, raw, false);
    }
    const length = all("content-length")[0];
    if (length !== undefined) {
      const size = Number(length);
      const whole = await until(
        () => buffer.length >= size ? true : undefined,
        deadline,
        `${size} bytes of body`,
      );
      const body = take(whole ? size : buffer.length);
      return response(body, body, !whole);
    }
    // Neither: the body runs to the close (RFC 9112 §6.3, rule 8).
    await until(() => undefined, deadline, "the close that ends the body");
    const body = take(buffer.length);
    return response(body, body, false);
  }

  return {
    send(data) {
      socket.write(typeof data === "string" ? latin1Bytes(data) : data);
    },
    read,
    async closedWithin(ms) {
      try {
        await until(() => undefined, Date.now() + ms, "the close");
        return true;
      } catch {
        return false;
      }
    },
    isClosed: () => ended,
    end() {
      socket.end();
    },
    close() {
      socket.destroy();
    },
  };
}

const CRLFCRLF = [13, 10, 13, 10];
