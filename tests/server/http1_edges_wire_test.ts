// What each runtime does with the corners of HTTP/1.1 a client library never sends: pipelined
// requests, chunk extensions, trailers and CONNECT, over raw sockets to real `mod.ts`
// processes in the default configuration. Where a runtime falls short of RFC 9112, the test
// asserts what it does today, so that an upgrade that changes it is noticed; docs/WSGI.md
// ("Where Deno and Bun differ") says why, with the upstream issues.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type CliProcess, runCli } from "../support/cli_process.ts";
import {
  openConnection,
  type RawConnection,
  type WireResponse,
} from "../support/raw_connection.ts";
import { RUNTIMES } from "../support/server_process.ts";

const PYTHON_TIMEOUT = 90_000;
const NEXT = "GET /shapes/string HTTP/1.1\r\nHost: x\r\n\r\n";

function text(response: WireResponse): string {
  return new TextDecoder().decode(response.body);
}

// A chunked POST of `hello` to the TypeScript body report, with `sizeLine` as its chunk-size
// line and `trailer` lines after the last chunk.
function chunked(sizeLine: string, trailer = ""): string {
  return "POST /ts HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
    `${sizeLine}\r\nhello\r\n0\r\n${trailer}\r\n`;
}

for (const runtime of RUNTIMES) {
  describe(`${runtime}: pipelining, chunk extensions, trailers and CONNECT`, () => {
    let server: CliProcess;
    let port: number;
    const open: RawConnection[] = [];
    const connect = async (data: string) => {
      const connection = await openConnection(port);
      open.push(connection);
      connection.send(data);
      return connection;
    };
    beforeAll(async () => {
      server = runCli(runtime, {
        args: [
          "--mount",
          "/ts=tests/fixtures/apps/body_report.ts",
          "--mount",
          "/py=tests/fixtures/python/body_report.py",
          "--mount",
          "/shapes=tests/fixtures/apps/shapes.ts",
        ],
      });
      ({ port } = await server.listening());
      // Each app's module is imported on its first request, Python loaded then too, and its
      // reading of a body compiled on the first that reads one: all before the tests.
      for (const path of ["/py", "/ts", "/shapes/string"]) {
        await fetch(`http://127.0.0.1:${port}${path}`, { method: "POST", body: "warm" })
          .then((response) => response.text());
      }
    }, PYTHON_TIMEOUT);
    afterAll(async () => {
      for (const connection of open) connection.destroy();
      server.child.kill("SIGKILL");
      await server.exited;
    });

    test("a request pipelined behind an app that answers at once is answered", async () => {
      const connection = await connect(NEXT + NEXT);
      expect(text(await connection.response())).toBe("Hello, web!\n");
      expect(text(await connection.response())).toBe("Hello, web!\n");
    });

    test("a request pipelined behind a small Python upload is answered", async () => {
      // Python reads a small body before it runs (src/python/small_body.ts), and so answers
      // within the microtasks of its request: what Bun needs not to drop the connection.
      const post = "POST /py HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
      const connection = await connect(post + NEXT);
      const first = await connection.response();
      expect(first.header("x-read")).toBe("5");
      expect(text(first)).toEndWith("\nhello");
      expect(text(await connection.response())).toBe("Hello, web!\n");
    });

    test("a request pipelined behind an app waiting for I/O: answered on Deno, dropped on Bun", async () => {
      const connection = await connect("GET /shapes/later HTTP/1.1\r\nHost: x\r\n\r\n" + NEXT);
      if (runtime === "deno") {
        expect(text(await connection.response())).toBe("Hello, web!\n");
        expect(text(await connection.response())).toBe("Hello, web!\n");
      } else {
        // Bun (uWebSockets) closes the connection without a byte of either response
        // (oven-sh/bun#38128).
        await connection.closed();
        expect(connection.unread()).toHaveLength(0);
      }
    });

    test("a chunk extension of a token is ignored, as RFC 9112 §7.1.1 asks", async () => {
      const connection = await connect(chunked("5;foo=bar"));
      const response = await connection.response();
      expect(response.status).toBe(200);
      expect(response.header("x-read")).toBe("5");
    });

    test("a chunk extension of a quoted string: ignored on Deno, 400 on Bun", async () => {
      const connection = await connect(chunked('5;foo="bar baz"'));
      const response = await connection.response();
      if (runtime === "deno") {
        expect(response.status).toBe(200);
        expect(text(response)).toEndWith("\nhello");
      } else {
        // Bun's chunk parser refuses any byte below 33 in an extension, the space of a
        // quoted string too.
        expect(response.status).toBe(400);
        await connection.closed();
      }
    });

    test("trailer fields: skipped on Deno; on Bun the next request gets 400", async () => {
      const connection = await connect(chunked("5", "X-Checksum: 5d41402a\r\n") + NEXT);
      const response = await connection.response();
      expect(response.status).toBe(200);
      expect(text(response)).toEndWith("\nhello");
      const next = await connection.response();
      if (runtime === "deno") {
        expect(text(next)).toBe("Hello, web!\n");
      } else {
        // Bun ends the body at the last chunk and parses the trailer as the next request
        // (oven-sh/bun#32887).
        expect(next.status).toBe(400);
        await connection.closed();
      }
    });

    test("a CONNECT with a body: Deno refuses it, Bun hands it over without one", async () => {
      const connection = await connect(
        "CONNECT http://x/ts HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
      );
      const response = await connection.response();
      if (runtime === "deno") {
        expect(response.status).toBe(400);
        await connection.closed();
      } else {
        // RFC 9110 §9.3.6: a CONNECT has no content. Bun never hands over what follows its
        // head (oven-sh/bun#43552): the app gets no CONTENT_LENGTH, and reads nothing.
        expect(response.status).toBe(200);
        expect(response.header("x-content-length")).toBe("-");
        expect(response.header("x-read")).toBe("0");
      }
    });
  });
}
