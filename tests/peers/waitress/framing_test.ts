// Our port of waitress's PipeliningTests, ExpectContinueTests, BadContentLengthTests,
// NoContentLengthTests and WriteCallbackTests (tests/test_functional.py): how a response is
// framed, and whether the connection outlives it, for each body shape of the fixtures.

import { expect, test } from "bun:test";
import type { WireResponse } from "../support/connection.ts";
import { DIFFERENCES, on } from "../support/differences.ts";
import type { RuntimeName } from "../support/peer_server.ts";
import { eachTarget, expectKept, latin1, LETTERS, waitressPolicy } from "../support/waitress.ts";

waitressPolicy(
  "test_http10_generator",
  "no Content-Length for a generator",
  "it never measures a body; ours has none or the true one",
);
waitressPolicy(
  "test_http10_listlentwo",
  "no Content-Length for a two-item list, and a close",
  "it measures one-item lists only; we send any list whole, measured, and keep the connection",
);
waitressPolicy(
  "test_http11_generator",
  "chunks framed one per item in upper-case hex, then a close",
  "its framing, and it closes after every chunked response; we keep the connection",
);
waitressPolicy(
  "WriteCallback test_no_content_length",
  "no Content-Length, then a close",
  "it never measures what write() sent; we send it whole, measured, and keep the connection",
);
waitressPolicy(
  "test_http11_listlentwo",
  "chunked, then a close",
  "it measures one-item lists only; we send any list whole, measured, and keep the connection",
);

// The Content-Length a streamed body went out with: the app's on Deno; on Bun none, or the
// length Bun measured itself when the whole stream was ready at once (it drops the app's).
function expectStreamedLength(response: WireResponse, declared: number, runtime: RuntimeName) {
  const length = response.header("content-length");
  if (on(DIFFERENCES.streamedContentLength, runtime)) expect(length).toBe(String(declared));
  else if (length !== undefined) expect(Number(length)).toBe(response.body.length);
}

eachTarget((target) => {
  const { runtime } = target;
  const http10 = on(DIFFERENCES.statusLineToHttp10, runtime);
  const kept10 = on(DIFFERENCES.http10KeepAlive, runtime);

  // waitress PipeliningTests.test_pipelining: 25 HTTP/1.0 keep-alive requests in one write;
  // and the same over HTTP/1.1, where a Python app's answer is not ready at once.
  for (const version of ["1.0", "1.1"]) {
    test.concurrent(`test_pipelining (HTTP/${version})`, async () => {
      const app = target.app("echo_body");
      let requests = "";
      for (let n = 1; n <= 25; n++) {
        const body = `request ${n} of 25\n`;
        const connection = n < 25 ? "keep-alive" : "close";
        requests += `POST ${app}/ HTTP/${version}\r\nHost: peers\r\nConnection: ${connection}\r\n` +
          `Content-Length: ${body.length}\r\n\r\n${body}`;
      }
      const conn = await target.connect();
      conn.send(requests);
      const bodies: string[] = [];
      while (bodies.length < 25 && !conn.isClosed()) {
        const response = await conn.read().catch(() => undefined);
        if (!response) break;
        expect(response.status).toBe(200);
        expect(Number(response.header("content-length"))).toBe(response.body.length);
        bodies.push(latin1(response.body));
      }
      const expected = (count: number) =>
        Array.from({ length: count }, (_, n) => `request ${n + 1} of 25\n`);
      if (version === "1.0") {
        expect(bodies).toEqual(expected(kept10 ? 25 : 1));
      } else {
        // Both fixtures answer a small body in time (the Python one reads it before it runs on
        // Bun), unless the server is busy: on Bun, all 25, or those answered before one was
        // not, then the close.
        expect(bodies).toEqual(expected(bodies.length));
        if (on(DIFFERENCES.pipelinedBehindPending, runtime)) expect(bodies.length).toBe(25);
      }
    });
  }

  // waitress ExpectContinueTests.test_expect_continue
  test.concurrent("test_expect_continue", async () => {
    const data = "sent after 100 Continue";
    const conn = await target.connect();
    conn.send(
      `POST ${target.app("echo_body")}/ HTTP/1.1\r\nHost: peers\r\nConnection: close\r\n` +
        `Content-Length: ${data.length}\r\nExpect: 100-continue\r\n\r\n${data}`,
    );
    const interim = await conn.read();
    expect([interim.version, interim.status, interim.reason]).toEqual([
      "HTTP/1.1",
      100,
      "Continue",
    ]);
    const response = await conn.read();
    expect(response.status).toBe(200);
    expect(latin1(response.body)).toBe(data);
    expect(Number(response.header("content-length"))).toBe(data.length);
  });

  const keepAlive10 = (path: string, body = "") =>
    `POST ${path} HTTP/1.0\r\nConnection: Keep-Alive\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

  // waitress BadContentLengthTests.test_short_body: Content-Length 10, nine bytes: truncated,
  // and the connection closed despite Keep-Alive.
  test.concurrent("BadContentLength test_short_body", async () => {
    const conn = await target.connect();
    conn.send(keepAlive10(`${target.app("badcl")}/short_body`));
    const response = await conn.read();
    expect(response.status).toBe(200);
    expectStreamedLength(response, 10, runtime);
    expect(latin1(response.body)).toBe("123456789");
    await expectKept(conn, "", false);
  });

  // waitress BadContentLengthTests.test_long_body: Content-Length 8, nine bytes: eight sent, and
  // the connection kept.
  test.concurrent("BadContentLength test_long_body", async () => {
    const request = keepAlive10(`${target.app("badcl")}/long_body`);
    const conn = await target.connect();
    conn.send(request);
    const response = await conn.read();
    expect([response.status, response.header("content-length")]).toEqual([200, "8"]);
    expect(latin1(response.body)).toBe("12345678");
    await expectKept(conn, request, kept10);
  });

  // waitress NoContentLengthTests.test_http10_generator, _list, _listlentwo
  for (
    const [name, path, measured] of [
      ["test_http10_generator", "/", false],
      ["test_http10_list", "/list", true],
      ["test_http10_listlentwo", "/list_lentwo", true],
    ] as const
  ) {
    test.concurrent(name, async () => {
      const request = keepAlive10(target.app("nocl") + path, LETTERS);
      const conn = await target.connect();
      conn.send(request);
      const response = await conn.read();
      expect([response.version, response.status]).toEqual([http10, 200]);
      expect(latin1(response.body)).toBe(LETTERS);
      const length = response.header("content-length");
      if (measured) expect(length).toBe("52");
      else if (length !== undefined) expect(length).toBe("52");
      // A body of no known length ends with the connection on HTTP/1.0.
      await expectKept(conn, request, kept10 && length !== undefined);
    });
  }

  // waitress NoContentLengthTests.test_http11_generator, _list, _listlentwo: the body, and a
  // second request on the same connection.
  for (
    const [name, path] of [
      ["test_http11_generator", "/"],
      ["test_http11_list", "/list"],
      ["test_http11_listlentwo", "/list_lentwo"],
    ]
  ) {
    test.concurrent(name, async () => {
      const request = `POST ${
        target.app("nocl")
      }${path} HTTP/1.1\r\nHost: peers\r\nContent-Length: 52\r\n\r\n${LETTERS}`;
      const conn = await target.connect();
      conn.send(request);
      const response = await conn.read();
      expect([response.version, response.status]).toEqual(["HTTP/1.1", 200]);
      expect(latin1(response.body)).toBe(LETTERS);
      if (path !== "/") expect(response.header("content-length")).toBe("52");
      await expectKept(conn, request, true);
    });
  }

  // waitress WriteCallbackTests: the body through write(), with Content-Length 9.
  test.concurrent("WriteCallback test_short_body", async () => {
    const conn = await target.connect();
    conn.send(keepAlive10(`${target.app("writecb")}/short_body`));
    const response = await conn.read();
    expect([response.version, response.status]).toEqual([http10, 200]);
    expectStreamedLength(response, 9, runtime);
    expect(latin1(response.body)).toBe("12345678");
    await expectKept(conn, "", false);
  });

  // What write() sent before the app returned is a whole body, sent with its length: the
  // connection outlives it where the runtime keeps HTTP/1.0 connections (waitress: no length,
  // and a close, for /no_content_length).
  for (const name of ["long_body", "equal_body", "no_content_length"]) {
    test.concurrent(`WriteCallback test_${name}`, async () => {
      const request = keepAlive10(`${target.app("writecb")}/${name}`);
      const conn = await target.connect();
      conn.send(request);
      const response = await conn.read();
      expect([response.version, response.status]).toEqual([http10, 200]);
      expect(response.header("content-length")).toBe("9");
      expect(latin1(response.body)).toBe("123456789");
      await expectKept(conn, request, kept10);
    });
  }
});
