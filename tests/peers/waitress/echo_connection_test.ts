// Our port of the rest of waitress's EchoTests (tests/test_functional.py): broken chunked
// bodies, keep-alive, and proxy headers. As in echo_test.ts, HTTP/1.1 requests carry a Host and
// bodies go with POST.

import { expect, test } from "bun:test";
import { DIFFERENCES, on } from "../support/differences.ts";
import { expectOutcome, outcomeOf } from "../support/outcome.ts";
import { CLOSE_WAIT, eachTarget, readEcho, waitressPolicy } from "../support/waitress.ts";

const LINE = "thirty-two bytes, CRLF and all\r\n";

for (const name of ["", "_invalid_hex", "_missing_chunk_end"]) {
  waitressPolicy(
    `test_broken_chunked_encoding${name}`,
    "a 400 page with Content-Length, Content-Type, Date and Server (and its text)",
    "its own error page; the runtime answers a malformed body before edge-wsgi sees it",
  );
}

// The broken bodies of waitress's tests, by test; each is refused by the runtime (Bun's 400, or
// Deno's close without an answer), never a 5xx, never a hang.
const BROKEN: [test: string, chunks: string][] = [
  ["test_broken_chunked_encoding", `20\r\n${LINE}\r\ngarbage\r\n`],
  ["test_broken_chunked_encoding_invalid_hex", `0x20\r\n${LINE}\r\n`],
  ["test_broken_chunked_encoding_missing_chunk_end", `20\r\n${LINE}garbage`],
];

eachTarget((target) => {
  const { runtime } = target;
  const echo = target.app("echo");

  for (const [name, chunks] of BROKEN) {
    // waitress EchoTests.test_broken_chunked_encoding, _invalid_hex, _missing_chunk_end
    test.concurrent(name, async () => {
      const conn = await target.connect();
      conn.send(`POST ${echo}/ HTTP/1.1\r\nHost: peers\r\nTransfer-Encoding: chunked\r\n\r\n`);
      conn.send(chunks);
      expectOutcome(await outcomeOf(conn, "text/plain"), on(DIFFERENCES.malformedChunked, runtime));
      expect(await conn.closedWithin(CLOSE_WAIT)).toBe(true);
    });
  }

  // waitress EchoTests.test_broken_chunked_encoding_invalid_extension: waitress refuses `20;x=`
  // (RFC 9112 §7.1.1 has no empty extension value); both runtimes accept it, so the last chunk
  // is sent too, and the body arrives.
  test.concurrent("test_broken_chunked_encoding_invalid_extension", async () => {
    const conn = await target.connect();
    conn.send(`POST ${echo}/ HTTP/1.1\r\nHost: peers\r\nTransfer-Encoding: chunked\r\n\r\n`);
    conn.send(`20;invalid=\r\n${LINE}\r\n0\r\n\r\n`);
    const response = await conn.read();
    if (on(DIFFERENCES.emptyChunkExtensionValue, runtime)) {
      expect(response.status).toBe(200);
      expect(readEcho(response).body).toBe(LINE);
    } else {
      expect(response.status).toBe(400);
    }
  });

  // waitress EchoTests.test_keepalive_http_10: no Keep-Alive asked, none given; closed.
  test.concurrent("test_keepalive_http_10", async () => {
    const data = "HTTP/1.0, no keep-alive asked";
    const conn = await target.connect();
    conn.send(`POST ${echo}/ HTTP/1.0\r\nContent-Length: ${data.length}\r\n\r\n${data}`);
    const response = await conn.read();
    expect(response.status).toBe(200);
    expect(response.header("connection")?.toLowerCase()).not.toBe("keep-alive");
    expect(await conn.closedWithin(CLOSE_WAIT)).toBe(true);
  });

  // waitress EchoTests.test_keepalive_http10_explicit: Keep-Alive asked, and answered, and the
  // connection serves a second request (waitress spells the token `Keep-Alive`: tokens are
  // case-insensitive, RFC 9110 §7.6.1).
  test.concurrent("test_keepalive_http10_explicit", async () => {
    const data = "HTTP/1.0, keep-alive asked";
    const request =
      `POST ${echo}/ HTTP/1.0\r\nConnection: Keep-Alive\r\nContent-Length: ${data.length}\r\n\r\n${data}`;
    const conn = await target.connect();
    conn.send(request);
    const response = await conn.read();
    expect(response.status).toBe(200);
    const kept = on(DIFFERENCES.http10KeepAlive, runtime);
    expect(response.header("connection")?.toLowerCase()).toBe(kept ? "keep-alive" : undefined);
    if (kept) {
      conn.send(request);
      expect((await conn.read()).status).toBe(200);
    } else {
      expect(await conn.closedWithin(CLOSE_WAIT)).toBe(true);
    }
  });

  // waitress EchoTests.test_keepalive_http_11 and test_keepalive_http11_explicit
  for (
    const [name, header] of [["test_keepalive_http_11", ""], [
      "test_keepalive_http11_explicit",
      "Connection: keep-alive\r\n",
    ]]
  ) {
    test.concurrent(name, async () => {
      const data = "HTTP/1.1, kept by default";
      const request =
        `POST ${echo}/ HTTP/1.1\r\nHost: peers\r\n${header}Content-Length: ${data.length}\r\n\r\n${data}`;
      const conn = await target.connect();
      conn.send(request);
      const response = await conn.read();
      expect(response.status).toBe(200);
      expect(response.header("connection")).not.toBe("close");
      conn.send(request);
      expect(readEcho(await conn.read()).body).toBe(data);
    });
  }

  // waitress EchoTests.test_keepalive_http11_connclose
  test.concurrent("test_keepalive_http11_connclose", async () => {
    const data = "HTTP/1.1, close asked";
    const conn = await target.connect();
    conn.send(
      `POST ${echo}/ HTTP/1.1\r\nHost: peers\r\nConnection: close\r\nContent-Length: ${data.length}\r\n\r\n${data}`,
    );
    const response = await conn.read();
    expect(response.status).toBe(200);
    const echoed = on(DIFFERENCES.echoesConnectionClose, runtime);
    expect(response.header("connection")).toBe(echoed ? "close" : undefined);
    expect(await conn.closedWithin(CLOSE_WAIT)).toBe(true);
  });

  // waitress EchoTests.test_proxy_headers: from a trusted proxy (the command line trusts
  // 127.0.0.1), X-Forwarded-For and -Proto give REMOTE_ADDR and the scheme; Host stays.
  test.concurrent("test_proxy_headers", async () => {
    const conn = await target.connect();
    conn.send(
      `GET ${echo}/ HTTP/1.0\r\nContent-Length: 0\r\nHost: www.example.com:8080\r\n` +
        "X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Port: 8443\r\n\r\n",
    );
    const response = await conn.read();
    expect(response.status).toBe(200);
    expect(response.header("date")).toMatch(/ GMT$/);
    const seen = readEcho(response);
    expect(seen.headers.HOST).toBe("www.example.com:8080");
    expect(seen.scheme).toBe("https");
    expect(seen.remote_addr).toBe("203.0.113.7");
  });
});
