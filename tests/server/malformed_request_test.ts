/**
 * Malformed requests over raw sockets against real `deno run -A mod.ts` and `bun run mod.ts`
 * processes. A bad request is a 400 (as nginx answers); one the runtime lets through is
 * answered by us with a line in the error log; and no request ever gets a 500.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rawRequest } from "../support/raw_http.ts";
import { RUNTIMES, type ServerProcess, startServer } from "../support/server_process.ts";

const BAD_HOSTS = [
  "a b",
  "[::1",
  "a%zz",
  "a%20b",
  "a:99999",
  "a:b",
  "@x",
  "x/y",
  "x?y",
  "x#y",
  "x\\y",
];
// Paths whose dot segments or backslashes send them through the URL parser.
const PATHS = ["/apps/hello/../", "/style.css\\..\\", "/apps/environ"];

// Requests the runtimes refuse or answer themselves, or that we must serve: never a 500.
const OTHER_MALFORMED: [name: string, head: string[]][] = [
  ["an asterisk-form GET", ["GET * HTTP/1.1", "Host: x"]],
  ["OPTIONS *", ["OPTIONS * HTTP/1.1", "Host: x"]],
  ["an absolute-form target", ["GET http://other/apps/hello/../ HTTP/1.1", "Host: x"]],
  ["an absolute-form target whose host is bad", ["GET http://[::1/x HTTP/1.1", "Host: x"]],
  ["an absolute-form target with a port past 65535", [
    "GET http://x:99999/../ HTTP/1.1",
    "Host: x",
  ]],
  ["a target without a leading slash", ["GET apps/hello HTTP/1.1", "Host: x"]],
  ["an empty Host with dot segments", ["GET /apps/hello/../ HTTP/1.1", "Host: "]],
  ["HTTP/1.0 without Host, with dot segments", ["GET /apps/hello/.. HTTP/1.0"]],
  ["HTTP/1.1 without Host", ["GET /apps/hello HTTP/1.1"]],
  ["two Host fields", ["GET / HTTP/1.1", "Host: x", "Host: y"]],
  ["a Content-Length that is not a number", [
    "POST /apps/environ HTTP/1.1",
    "Host: x",
    "Content-Length: abc",
  ]],
  ["a negative Content-Length", ["POST /apps/environ HTTP/1.1", "Host: x", "Content-Length: -1"]],
  ["two different Content-Lengths", [
    "POST /apps/environ HTTP/1.1",
    "Host: x",
    "Content-Length: 1, 2",
  ]],
  ["a Content-Length past 2^64", [
    "POST /apps/environ HTTP/1.1",
    "Host: x",
    "Content-Length: 99999999999999999999999",
  ]],
  ["both Transfer-Encoding and Content-Length", [
    "POST /apps/environ HTTP/1.1",
    "Host: x",
    "Content-Length: 3",
    "Transfer-Encoding: chunked",
  ]],
  ["a Transfer-Encoding other than chunked", [
    "POST /apps/environ HTTP/1.1",
    "Host: x",
    "Transfer-Encoding: gzip",
  ]],
  ["a control character in a header value", [
    "GET /apps/environ HTTP/1.1",
    "Host: x",
    "X-Bad: a\u0001b",
  ]],
  ["a 70 KB header", ["GET /apps/environ HTTP/1.1", "Host: x", `X-Big: ${"a".repeat(70_000)}`]],
  ["a 70 KB path", [`GET /${"a".repeat(70_000)} HTTP/1.1`, "Host: x"]],
  ["a DEL in the path", ["GET /apps/environ/\u007f HTTP/1.1", "Host: x"]],
];

/** The status, or 0 when the server closed the connection without a response. */
async function statusOf(port: number, head: string[]): Promise<number> {
  try {
    return (await rawRequest(port, head)).status;
  } catch (error) {
    if (/ECONNRESET|EPIPE|Incomplete response/.test(String(error))) return 0;
    throw error;
  }
}

async function eventually(check: () => boolean, ms = 2000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return check();
}

for (const runtime of RUNTIMES) {
  describe(`${runtime}: malformed requests`, () => {
    let site: ServerProcess;
    beforeAll(async () => {
      site = await startServer(runtime);
    }, 60_000);
    afterAll(() => site?.stop());

    for (const host of BAD_HOSTS) {
      for (const path of PATHS) {
        test(`Host ${JSON.stringify(host)} with ${path} is a 400 with a line in the error log`, async () => {
          const response = await rawRequest(site.port, [`GET ${path} HTTP/1.1`, `Host: ${host}`]);
          expect(response.status).toBe(400);
          expect(new TextDecoder().decode(response.body)).toBe("400 Bad Request\n");
          const line = `Bad request GET ${path}: the Host header ${JSON.stringify(host)}`;
          expect(await eventually(() => site.stderr().includes(line))).toBe(true);
        });
      }
    }

    for (const [name, head] of OTHER_MALFORMED) {
      test(`${name} never gets a 500`, async () => {
        const status = await statusOf(site.port, head);
        expect(status).not.toBe(500);
        expect(status === 0 || (status >= 200 && status < 500)).toBe(true);
      });
    }

    if (runtime === "deno") {
      test("an absolute-form target with a bad port is a 400 with a log line", async () => {
        const response = await rawRequest(site.port, ["GET http://x:99999/a HTTP/1.1", "Host: x"]);
        expect(response.status).toBe(400);
        const line = `Bad request GET /a: the request target's host "x:99999" is not a valid host`;
        expect(await eventually(() => site.stderr().includes(line))).toBe(true);
      });
    }

    test("HTTP/1.0 without Host reaches the app, with a SERVER_NAME", async () => {
      const response = await rawRequest(site.port, ["GET /apps/environ/a/../b?q=1 HTTP/1.0"]);
      expect(response.status).toBe(200);
      const environ = JSON.parse(new TextDecoder().decode(response.body));
      expect(environ.PATH_INFO).toBe("/b");
      expect(environ.QUERY_STRING).toBe("q=1");
      expect(environ.SERVER_NAME).toBe("127.0.0.1");
    });

    test("an empty Host reaches the app, dot segments resolved", async () => {
      const response = await rawRequest(site.port, ["GET /apps/environ/a/../b HTTP/1.1", "Host: "]);
      expect(response.status).toBe(200);
      expect(JSON.parse(new TextDecoder().decode(response.body)).PATH_INFO).toBe("/b");
    });

    test("the server logged no 500 and no stack trace for any of these", () => {
      expect(site.stderr()).not.toContain("Error in a request");
      expect(site.stderr()).not.toMatch(/^\s+at /m);
    });
  });
}
