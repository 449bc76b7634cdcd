/**
 * The harness of our port of waitress's functional tests (`tests/test_functional.py`): each
 * test runs against both runtimes and both fixture languages, over raw sockets; what is
 * waitress's own policy is registered as a skipped test that says why.
 *
 * @module
 */

import { beforeAll, describe, expect, test } from "bun:test";
import { openConnection, type RawConnection, type WireResponse } from "./connection.ts";
import {
  appPath,
  type Language,
  LANGUAGES,
  type PeerServer,
  peerServer,
  type RuntimeName,
  RUNTIMES,
  START_TIMEOUT,
} from "./peer_server.ts";

/** One runtime, and the language of the fixture apps a test talks to. */
export interface Target {
  runtime: RuntimeName;
  language: Language;
  /** Where a fixture app is served: `/echo` or `/echo.py`. */
  app(name: string): string;
  /** A new connection to the runtime's peer server. */
  connect(): Promise<RawConnection>;
  /** The server, for its logs. */
  server(): Promise<PeerServer>;
}

/**
 * Registers `body`'s tests once per runtime and fixture language, each under
 * `<runtime> <language>`, after the peer servers have started.
 */
export function eachTarget(body: (target: Target) => void): void {
  beforeAll(() => Promise.all(RUNTIMES.map(peerServer)), START_TIMEOUT);
  for (const runtime of RUNTIMES) {
    for (const language of LANGUAGES) {
      describe(`${runtime} ${language}`, () => {
        body({
          runtime,
          language,
          app: (name) => appPath(name, language),
          connect: async () => openConnection((await peerServer(runtime)).port),
          server: () => peerServer(runtime),
        });
      });
    }
  }
}

/**
 * Records an upstream assertion we do not port because it checks waitress's own policy (its
 * error pages, its settings, its choice of framing): a skipped test whose name says so.
 */
export function waitressPolicy(upstream: string, assertion: string, reason: string): void {
  test.skip(`${upstream}: ${assertion} (waitress's own policy: ${reason})`, () => {});
}

/** Records upstream tests not ported at all, and why: a skipped test whose name says so. */
export function notPorted(upstream: string, reason: string): void {
  test.skip(`${upstream} (not ported: ${reason})`, () => {});
}

/** What the echo fixture reported: the request as the app saw it, and the body it read. */
export interface Echo {
  method: string;
  path_info: string;
  query_string: string;
  content_length: string;
  scheme: string;
  remote_addr: string;
  remote_host: string | null;
  headers: Record<string, string>;
  body: string;
}

/** Parses the echo fixture's answer: JSON, a blank line, then the body it read (latin-1). */
export function readEcho(response: WireResponse): Echo {
  const text = latin1(response.body);
  const split = text.indexOf("\r\n\r\n");
  expect(split).toBeGreaterThan(0);
  return { ...JSON.parse(text.slice(0, split)), body: text.slice(split + 4) };
}

/** Bytes as latin-1 text, one character per byte. */
export function latin1(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}

/** `string.ascii_letters`, the body waitress's NoContentLength tests send. */
export const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** How long a test waits to see whether the server closed a connection. */
export const CLOSE_WAIT = 3_000;

/**
 * Sends `request` on `conn` and expects a second answer with `status`, which means the
 * connection was kept open (`kept`), or none and a close.
 */
export async function expectKept(
  conn: RawConnection,
  request: string,
  kept: boolean,
  status = 200,
) {
  if (kept) {
    conn.send(request);
    expect((await conn.read()).status).toBe(status);
  } else {
    expect(await conn.closedWithin(CLOSE_WAIT)).toBe(true);
  }
}
