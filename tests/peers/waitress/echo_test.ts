// Our port of waitress's EchoTests (tests/test_functional.py) against `deno run -A mod.ts` and
// `bun run mod.ts`, default configuration, with our echo fixture (tests/peers/apps/echo.*).
// waitress's HTTP/1.1 requests carry no Host; ours do (RFC 9112 §3.2 requires one, and Bun
// refuses a request without): test_http11_without_host below asserts what each runtime does.
// waitress sends its bodies with GET, which a Fetch Request drops (test_send_with_body); the
// other tests send them with POST, so the body still reaches the app.

import { expect, test } from "bun:test";
import { DIFFERENCES, on } from "../support/differences.ts";
import { eachTarget, notPorted, readEcho, waitressPolicy } from "../support/waitress.ts";

notPorted(
  "Unix* classes (every Tcp* class again, over a unix socket)",
  "edge-wsgi listens on TCP only",
);
waitressPolicy("test_date_and_server", "Server: waitress", "it names itself; we send no Server");
waitressPolicy(
  "test_proxy_headers",
  "X-Forwarded-Port is removed",
  "clear_untrusted_proxy_headers, a waitress setting; we pass every header on",
);
waitressPolicy(
  "test_proxy_headers",
  "REMOTE_HOST is the forwarded address",
  "waitress sets REMOTE_HOST; gunicorn and wsgiref do not, nor do we (CGI: SHOULD)",
);

eachTarget((target) => {
  const { runtime } = target;
  const echo = target.app("echo");
  const http10 = on(DIFFERENCES.statusLineToHttp10, runtime);

  // waitress EchoTests.test_date_and_server
  test.concurrent("test_date_and_server", async () => {
    const conn = await target.connect();
    conn.send(`GET ${echo}/ HTTP/1.0\r\nContent-Length: 0\r\n\r\n`);
    const response = await conn.read();
    expect([response.version, response.status, response.reason]).toEqual([http10, 200, "OK"]);
    expect(response.header("date")).toMatch(/ GMT$/);
  });

  // waitress EchoTests.test_bad_host_header: a first header line that starts with a space.
  test.concurrent("test_bad_host_header", async () => {
    const conn = await target.connect();
    conn.send(`GET ${echo}/ HTTP/1.0\r\n Host: 0\r\n\r\n`);
    const response = await conn.read();
    expect(response.status).toBe(400);
    expect(response.header("date") !== undefined).toBe(on(DIFFERENCES.dateOnParserErrors, runtime));
  });

  // waitress EchoTests.test_send_with_body, as upstream with GET (the runtimes drop the body),
  // and with POST.
  test.concurrent("test_send_with_body", async () => {
    for (const method of ["GET", "POST"]) {
      const conn = await target.connect();
      conn.send(`${method} ${echo}/ HTTP/1.0\r\nContent-Length: 5\r\n\r\nhello`);
      const response = await conn.read();
      expect([response.version, response.status]).toEqual([http10, 200]);
      const { content_length, body } = readEcho(response);
      const arrives = method === "POST" || on(DIFFERENCES.getBody, runtime);
      expect([content_length, body]).toEqual(arrives ? ["5", "hello"] : ["0", ""]);
    }
  });

  // waitress EchoTests.test_send_empty_body
  test.concurrent("test_send_empty_body", async () => {
    const conn = await target.connect();
    conn.send(`GET ${echo}/ HTTP/1.0\r\nContent-Length: 0\r\n\r\n`);
    const response = await conn.read();
    expect([response.version, response.status]).toEqual([http10, 200]);
    expect(readEcho(response)).toMatchObject({ content_length: "0", body: "" });
  });

  // waitress EchoTests.test_multiple_requests_with_body and _without_body: three connections.
  for (const body of ["hello", ""]) {
    const name = body ? "with_body" : "without_body";
    test.concurrent(`test_multiple_requests_${name}`, async () => {
      for (let n = 0; n < 3; n++) {
        const conn = await target.connect();
        conn.send(`POST ${echo}/ HTTP/1.0\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
        const response = await conn.read();
        expect(response.status).toBe(200);
        expect(readEcho(response)).toMatchObject({ content_length: String(body.length), body });
        conn.close();
      }
    });
  }

  // waitress EchoTests.test_without_crlf: a body holding CRLFs but not ending with one.
  test.concurrent("test_without_crlf", async () => {
    const data = "one\r\ntwo\r\nthree";
    const conn = await target.connect();
    conn.send(
      `POST ${echo}/ HTTP/1.0\r\nConnection: close\r\nContent-Length: ${data.length}\r\n\r\n${data}`,
    );
    const response = await conn.read();
    expect([response.version, response.status]).toEqual([http10, 200]);
    expect(readEcho(response)).toMatchObject({ content_length: String(data.length), body: data });
  });

  // waitress EchoTests.test_large_body: 1024 bytes.
  test.concurrent("test_large_body", async () => {
    const body = "thirty-two bytes, CRLF and all\r\n".repeat(32);
    const conn = await target.connect();
    conn.send(`POST ${echo}/ HTTP/1.0\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    const response = await conn.read();
    expect([response.version, response.status]).toEqual([http10, 200]);
    expect(readEcho(response)).toMatchObject({ content_length: "1024", body });
  });

  // waitress EchoTests.test_many_clients: 50 connections, each with a request, then the answers.
  test.concurrent("test_many_clients", async () => {
    const conns = await Promise.all(Array.from({ length: 50 }, () => target.connect()));
    for (const conn of conns) {
      conn.send(`GET ${echo}/ HTTP/1.1\r\nHost: peers\r\nAccept: text/plain\r\n\r\n`);
    }
    const responses = await Promise.all(conns.map((conn) => conn.read({ ms: 30_000 })));
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
    for (const conn of conns) conn.close();
  }, 60_000);

  // waitress EchoTests.test_chunking_request_without_content
  test.concurrent("test_chunking_request_without_content", async () => {
    const conn = await target.connect();
    conn.send(`POST ${echo}/ HTTP/1.1\r\nHost: peers\r\nTransfer-Encoding: chunked\r\n\r\n`);
    conn.send("0\r\n\r\n");
    const response = await conn.read();
    expect([response.version, response.status]).toEqual(["HTTP/1.1", 200]);
    expect(readEcho(response)).toMatchObject({ content_length: "0", body: "" });
    expect(response.header("transfer-encoding")).toBeUndefined();
  });

  // waitress EchoTests.test_chunking_request_with_content: twelve chunks, one write each.
  test.concurrent("test_chunking_request_with_content", async () => {
    const line = "thirty-two bytes, CRLF and all\r\n";
    const conn = await target.connect();
    conn.send(`POST ${echo}/ HTTP/1.1\r\nHost: peers\r\nTransfer-Encoding: chunked\r\n\r\n`);
    for (let n = 0; n < 12; n++) {
      conn.send("20\r\n");
      conn.send(line);
      conn.send("\r\n");
    }
    conn.send("0\r\n\r\n");
    const response = await conn.read();
    expect([response.version, response.status]).toEqual(["HTTP/1.1", 200]);
    expect(readEcho(response)).toMatchObject({ content_length: "384", body: line.repeat(12) });
    expect(response.header("transfer-encoding")).toBeUndefined();
  });

  // waitress's HTTP/1.1 requests without Host, as upstream sends them.
  test.concurrent("test_http11_without_host", async () => {
    const conn = await target.connect();
    conn.send(`GET ${echo}/ HTTP/1.1\r\n\r\n`);
    const response = await conn.read();
    const expected = on(DIFFERENCES.http11WithoutHost, runtime);
    expect(response.status).toBe(expected === "served" ? 200 : expected);
  });
});
