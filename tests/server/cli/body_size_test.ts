/**
 * `--max-body-size` is the one limit on request bodies, on both runtimes: a body of 200 MiB under
 * `--max-body-size 500M` reaches the app (Bun's own cap is 128 MiB), and a body over the limit
 * gets edge-wsgi's 413 with its access-log line (Bun's own 413 is empty, and logged nowhere).
 * The body is streamed from a buffer of 1 MiB, never built whole. Every process is killed in
 * `finally` and `afterAll`.
 */

import { afterAll, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import { killAll, runCli } from "../../support/cli_process.ts";
import { isComplete, parseResponse } from "../../support/raw_http.ts";
import { RUNTIMES } from "../../support/server_process.ts";

const TIMEOUT = 120_000;
const APPS = "tests/fixtures/worker_apps";
const MIB = 1024 * 1024;

afterAll(killAll);

/**
 * POSTs `mebibytes` MiB to `/body` (or only declares them, with `send: false`), writing 1 MiB at a
 * time as the socket drains, and returns the response's status line and body.
 */
function post(
  port: number,
  mebibytes: number,
  send = true,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunk = Buffer.alloc(MIB, 0x61);
    const received: Buffer[] = [];
    let answered = false;
    const answer = () => {
      answered = true;
      socket.destroy();
      try {
        const response = parseResponse(new Uint8Array(Buffer.concat(received)));
        resolve({ status: response.status, body: new TextDecoder().decode(response.body) });
      } catch (error) {
        reject(error);
      }
    };
    // A response is read whole by its framing: a server refusing a body may leave the
    // connection open for the body it will not read.
    socket.on("data", (data) => {
      received.push(data);
      if (isComplete(new Uint8Array(Buffer.concat(received)))) answer();
    });
    socket.on("error", (error) => answered || reject(error));
    socket.on("close", () => answered || answer());
    socket.on("connect", async () => {
      socket.write(
        `POST /body HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${mebibytes * MIB}\r\n` +
          "Connection: close\r\n\r\n",
      );
      if (!send) return;
      for (let i = 0; i < mebibytes && !socket.destroyed; i++) {
        if (!socket.write(chunk)) await new Promise((drained) => socket.once("drain", drained));
      }
    });
  });
}

for (const runtime of RUNTIMES) {
  describe(`${runtime}: --max-body-size 500M`, () => {
    test("a body of 200 MiB reaches the app", async () => {
      const cli = runCli(runtime, { args: ["--apps", APPS, "--max-body-size", "500M"] });
      try {
        const { port } = await cli.listening();
        const response = await post(port, 200);
        expect(response).toEqual({ status: 200, body: `read ${200 * MIB}` });
        await cli.waitFor(/"POST \/body HTTP\/1\.1" 200 /);
      } finally {
        cli.child.kill("SIGKILL");
      }
    }, TIMEOUT);

    test("a body declared at 600 MiB gets edge-wsgi's 413, and its access-log line", async () => {
      const cli = runCli(runtime, { args: ["--apps", APPS, "--max-body-size", "500M"] });
      try {
        const { port } = await cli.listening();
        const response = await post(port, 600, false);
        expect(response.status).toBe(413);
        expect(response.body).toContain(`the limit is ${500 * MIB} bytes`);
        await cli.waitFor(/"POST \/body HTTP\/1\.1" 413 /);
      } finally {
        cli.child.kill("SIGKILL");
      }
    }, TIMEOUT);
  });
}
