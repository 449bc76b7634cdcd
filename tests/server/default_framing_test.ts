// The default configuration (`deno run -A mod.ts`, `bun run mod.ts`: the access log on) sends a
// whole body with its Content-Length, as `--access-log off` does: the access log learns the
// length the adapter noted (src/core/body_length.ts) instead of streaming the body chunked.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rawRequest } from "../support/raw_http.ts";
import { type CliProcess, runCli } from "../support/cli_process.ts";
import { RUNTIMES } from "../support/server_process.ts";

const START_TIMEOUT = 60_000;

for (const runtime of RUNTIMES) {
  for (const accessLog of ["on", "off"]) {
    describe(`${runtime}, access log ${accessLog}: the demo site's whole bodies`, () => {
      let server: CliProcess;
      let port: number;
      beforeAll(async () => {
        server = runCli(runtime, { args: accessLog === "off" ? ["--access-log", "off"] : [] });
        ({ port } = await server.listening());
      }, START_TIMEOUT);
      afterAll(async () => {
        server.child.kill("SIGKILL");
        await server.exited;
      });

      const cases: [path: string, length: number][] = [
        ["/apps/hello", 21],
        ["/apps/hello/%C3%A9t%C3%A9", 23],
        ["/no/such/page", 0],
      ];
      for (const [path, length] of cases) {
        test(`GET ${path} has one Content-Length and no Transfer-Encoding`, async () => {
          const response = await rawRequest(port, [`GET ${path} HTTP/1.1`, "Host: x"]);
          const lengths = response.headers.filter(([name]) => name === "content-length");
          expect(lengths).toEqual([["content-length", String(response.body.length)]]);
          expect(response.header("transfer-encoding")).toBeUndefined();
          if (length) expect(response.body.length).toBe(length);
        });
      }

      if (accessLog === "on") {
        test("the access log counts the bytes the runtime sent", async () => {
          await rawRequest(port, ["GET /apps/hello/%C3%A9t%C3%A9 HTTP/1.1", "Host: x"]);
          await server.waitFor(/"GET \/apps\/hello\/%C3%A9t%C3%A9 HTTP\/1\.1" 200 23 /);
        });
      }
    });
  }
}
