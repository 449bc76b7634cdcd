/**
 * A Python app gets the environ a TypeScript app gets: examples/python/environ.py against
 * examples/environ.ts, for the same raw requests (the conformance suite's cases), on both
 * runtimes.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type CliProcess, runCli } from "../support/cli_process.ts";
import { rawRequest } from "../support/raw_http.ts";
import { RUNTIMES } from "../support/server_process.ts";

const PYTHON_TIMEOUT = 90_000;

// [name, request line and headers after the target, body]: the target is /ts or /py + path.
const CASES: [string, string, string[], string][] = [
  ["a plain GET with a query", "GET {}/a/b?x=1&y=%FF+z", ["Host: example.com"], ""],
  ["dot segments resolved", "GET {}/a/%2e%2e/b", ["Host: x"], ""],
  ["PATH_INFO as latin-1 bytes", "GET {}/%FF%E4%BD%A0%2F%25%3F?x=%FF", ["Host: x"], ""],
  // A NUL in a value: the environ text then crosses with its other separator (python_app.ts).
  ["a NUL in PATH_INFO", "GET {}/a%00b%FF?n=%00", ["Host: x"], ""],
  ["two Cookie lines", "GET {}", ["Host: x", "Cookie: a=1", "Cookie: b=2"], ""],
  [
    "repeated fields, an underscored impostor, a trusted X-Forwarded-For",
    "GET {}",
    ["Host: x", "X-Rep: 1", "X-Rep: 2", "X_Forwarded_For: 6.6.6.6", "X-Forwarded-For: 10.0.0.1"],
    "",
  ],
  [
    "a POST with a length",
    "POST {}",
    ["Host: x", "Content-Type: text/plain", "Content-Length: 5"],
    "hello",
  ],
  [
    "a chunked upload",
    "POST {}",
    ["Host: x", "Transfer-Encoding: chunked"],
    "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n",
  ],
  [
    "a binary PUT",
    "PUT {}/bin",
    ["Host: x", "Content-Length: 256"],
    String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i)),
  ],
  ["HTTP/1.0", "GET {}/old", ["Host: old.example:8080"], ""],
];

for (const runtime of RUNTIMES) {
  describe(`${runtime}: the environ of a Python app`, () => {
    let server: CliProcess;
    let port: number;
    beforeAll(async () => {
      server = runCli(runtime, {
        args: [
          "--mount",
          "/ts=./examples/environ.ts",
          "--mount",
          "/py=./examples/python/environ.py",
          "--access-log",
          "off",
        ],
      });
      ({ port } = await server.listening());
      await fetch(`http://127.0.0.1:${port}/py`).then((response) => response.text());
    }, PYTHON_TIMEOUT);
    afterAll(() => server?.child.kill("SIGKILL"));

    async function environOf(prefix: string, line: string, head: string[], body: string) {
      const protocol = line.endsWith("/old") ? "HTTP/1.0" : "HTTP/1.1";
      const response = await rawRequest(port, [
        `${line.replace("{}", prefix)} ${protocol}`,
        ...head,
      ], Uint8Array.from(body, (c) => c.charCodeAt(0)));
      expect(response.status).toBe(200);
      return { text: new TextDecoder().decode(response.body), status: response.status };
    }

    for (const [name, line, head, body] of CASES) {
      test(`equals the TypeScript app's: ${name}`, async () => {
        const ts = await environOf("/ts", line, head, body);
        const py = await environOf("/py", line, head, body);
        // What differs by design: the mount prefix, the client's port, and wsgi.multithread
        // (Python requests may interleave while one waits for its body).
        const same = (text: string) =>
          text
            .replace(/"SCRIPT_NAME": "\/(ts|py)"/, '"SCRIPT_NAME": "/x"')
            .replace(/"REMOTE_PORT": "\d+"/, '"REMOTE_PORT": "0"')
            .replace(/"wsgi.multithread": (true|false)/, '"wsgi.multithread": null');
        expect(same(py.text)).toBe(same(ts.text));
        expect(JSON.parse(py.text)["wsgi.multithread"]).toBe(true);
      });
    }
  });
}
