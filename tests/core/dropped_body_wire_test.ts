// A GET or HEAD with a body: both runtimes drop the body (a Fetch Request has none for them)
// and skip its bytes on the wire. The environ must then promise no bytes wsgi.input will not
// give: no CONTENT_LENGTH, no CONTENT_TYPE, as for a request without a body (docs/WSGI.md,
// "wsgi.input"). A TypeScript and a Python app, on real `mod.ts` processes of both runtimes,
// over raw sockets: a client library would refuse to send such a request.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type CliProcess, runCli } from "../support/cli_process.ts";
import { openConnection, type RawConnection } from "../support/raw_connection.ts";
import { RUNTIMES } from "../support/server_process.ts";

const PYTHON_TIMEOUT = 90_000;
const APPS = ["ts", "py"] as const;

// [what, method, header lines, body, the environ's CONTENT_LENGTH, CONTENT_TYPE and bytes read]
const CASES: [string, string, string[], string, string, string, string][] = [
  [
    "a GET with a Content-Length body",
    "GET",
    ["Content-Length: 5", "Content-Type: text/plain"],
    "hello",
    "-",
    "-",
    "",
  ],
  [
    "a GET with a chunked body",
    "GET",
    ["Transfer-Encoding: chunked", "Content-Type: text/plain"],
    "5\r\nhello\r\n0\r\n\r\n",
    "-",
    "-",
    "",
  ],
  [
    "a HEAD with a Content-Length body",
    "HEAD",
    ["Content-Length: 5", "Content-Type: text/plain"],
    "hello",
    "-",
    "-",
    "",
  ],
  // What the runtimes keep is the app's, as declared.
  [
    "a POST with a body",
    "POST",
    ["Content-Length: 5", "Content-Type: text/plain"],
    "hello",
    "5",
    "text/plain",
    "hello",
  ],
  ["a DELETE with a body", "DELETE", ["Content-Length: 5"], "hello", "5", "-", "hello"],
  [
    "a POST with Content-Length: 0",
    "POST",
    ["Content-Length: 0", "Content-Type: text/plain"],
    "",
    "0",
    "text/plain",
    "",
  ],
  [
    "a GET with a Content-Type and no body",
    "GET",
    ["Content-Type: text/plain"],
    "",
    "-",
    "text/plain",
    "",
  ],
];

for (const runtime of RUNTIMES) {
  describe(`${runtime}: the environ of a request whose body the runtime dropped`, () => {
    let server: CliProcess;
    let port: number;
    const open: RawConnection[] = [];
    beforeAll(async () => {
      server = runCli(runtime, {
        args: [
          "--mount",
          "/ts=tests/fixtures/apps/body_report.ts",
          "--mount",
          "/py=tests/fixtures/python/body_report.py",
        ],
      });
      ({ port } = await server.listening());
      // Python loads on its first request: once, before the timed tests.
      await fetch(`http://127.0.0.1:${port}/py`).then((response) => response.text());
    }, PYTHON_TIMEOUT);
    afterAll(async () => {
      for (const connection of open) connection.destroy();
      server.child.kill("SIGKILL");
      await server.exited;
    });

    for (const app of APPS) {
      for (const [what, method, head, body, length, type, read] of CASES) {
        test(`${app}: ${what} gets CONTENT_LENGTH ${length}, CONTENT_TYPE ${type}, reads ${read.length} bytes`, async () => {
          const connection = await openConnection(port);
          open.push(connection);
          connection.send(
            [`${method} /${app} HTTP/1.1`, "Host: x", ...head, "", body].join("\r\n"),
          );
          const response = await connection.response({ noBody: method === "HEAD" });
          expect(response.status).toBe(200);
          expect(response.header("x-content-length")).toBe(length);
          expect(response.header("x-content-type")).toBe(type);
          expect(response.header("x-read")).toBe(String(read.length));
          if (method !== "HEAD") {
            const text = new TextDecoder().decode(response.body);
            expect(text.slice(text.indexOf("\n") + 1)).toBe(read);
          }
          // The runtime skipped the dropped bytes: the next request on the connection is whole.
          connection.send(`GET /${app} HTTP/1.1\r\nHost: x\r\n\r\n`);
          const next = await connection.response();
          expect(next.status).toBe(200);
          expect(next.header("x-read")).toBe("0");
        });
      }
    }
  });
}
