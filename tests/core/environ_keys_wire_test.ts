// The order of the environ's keys is what an app sees iterating it (a Python app's
// `environ.items()`, a dump of it): the same on both runtimes, whichever keys are made lazily
// on Bun (`edge_wsgi.signal`, `REMOTE_ADDR`, `REMOTE_PORT`) and however they are made.
// A real `mod.ts` of each runtime, in the default configuration (access log on), over a raw
// socket: a client library would add headers of its own.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type CliProcess, runCli } from "../support/cli_process.ts";
import { openConnection } from "../support/raw_connection.ts";
import { RUNTIMES } from "../support/server_process.ts";

// The fixed keys in the order toEnviron() writes them, then the headers in the order the Fetch
// `Headers` iterates them (sorted by name), then the body's fields, then the peer's.
const EXPECTED = [
  "REQUEST_METHOD",
  "SCRIPT_NAME",
  "PATH_INFO",
  "QUERY_STRING",
  "SERVER_NAME",
  "SERVER_PORT",
  "SERVER_PROTOCOL",
  "wsgi.version",
  "wsgi.url_scheme",
  "wsgi.input",
  "wsgi.errors",
  "wsgi.multithread",
  "wsgi.multiprocess",
  "wsgi.run_once",
  "wsgi.input_terminated",
  "wsgi.file_wrapper",
  "edge_wsgi.request",
  "edge_wsgi.signal",
  "HTTP_ACCEPT",
  "HTTP_HOST",
  "HTTP_USER_AGENT",
  "HTTP_X_CUSTOM_THING",
  "CONTENT_TYPE",
  "CONTENT_LENGTH",
  "REMOTE_ADDR",
  "REMOTE_PORT",
];

for (const runtime of RUNTIMES) {
  describe(`${runtime}: the environ's keys`, () => {
    let server: CliProcess;
    let port: number;
    beforeAll(async () => {
      server = runCli(runtime, { args: ["--mount", "/keys=tests/fixtures/apps/environ_keys.ts"] });
      ({ port } = await server.listening());
    });
    afterAll(async () => {
      server.child.kill("SIGKILL");
      await server.exited;
    });

    test("come in one order: fixed keys, headers, CONTENT_*, REMOTE_*", async () => {
      const connection = await openConnection(port);
      connection.send(
        [
          "POST /keys HTTP/1.1",
          "Host: x",
          "User-Agent: keys",
          "X-Custom-Thing: 1",
          "Accept: */*",
          "Content-Type: text/plain",
          "Content-Length: 5",
          "",
          "hello",
        ].join("\r\n"),
      );
      const response = await connection.response();
      connection.destroy();
      expect(response.status).toBe(200);
      const [keys, lazy] = new TextDecoder().decode(response.body).split("--\n");
      expect(keys.trimEnd().split("\n")).toEqual(EXPECTED);
      expect(lazy).toBe("127.0.0.1\ntrue\n");
    });
  });
}
