/**
 * An app that fails after its headers went out, over raw sockets against real `deno run -A
 * mod.ts` and `bun run mod.ts` processes: everything it yielded reaches the client, the
 * response is then cut short (never completed), and the error is one line in the error log.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import { type CliProcess, killAll, runCli } from "../support/cli_process.ts";
import { RUNTIMES } from "../support/server_process.ts";

afterAll(killAll);

/** Every byte the server sent, as latin-1 text, however the connection ended. */
function exchange(port: number, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let received = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`No end of the response to ${target} in time:\n${received}`));
    }, 10_000);
    socket.on("connect", () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    });
    socket.on("data", (data) => received += data.toString("latin1"));
    // A reset is how a runtime aborts a response: what arrived before it is the answer.
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(received);
    });
  });
}

const TIMESTAMP = String.raw`^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000\] \[\d+\] \[ERROR\] `;

for (const runtime of RUNTIMES) {
  describe(`${runtime}: an app that fails after its first chunks`, () => {
    let cli: CliProcess;
    let port: number;
    beforeAll(async () => {
      cli = runCli(runtime, { args: ["--apps", "tests/fixtures/apps", "--access-log", "off"] });
      port = (await cli.listening()).port;
    }, 60_000);

    for (
      const [query, chunks] of [["", ["first\n", "second\n"]], ["early", ["first\n"]]] as const
    ) {
      test(`delivers ${JSON.stringify(chunks.join(""))} and then cuts the response short${query ? " (?early)" : ""}`, async () => {
        const before = cli.stderr().length;
        const raw = await exchange(port, `/fails_midway?${query}`);
        expect(raw).toStartWith("HTTP/1.1 200 OK\r\n");
        const body = raw.slice(raw.indexOf("\r\n\r\n") + 4);
        // Chunked framing, or none: either way every chunk arrived, in order.
        const text = body.replace(/^[0-9a-f]+\r\n|\r\n[0-9a-f]+\r\n|\r\n$/gi, "");
        expect(text).toBe(chunks.join(""));
        // Never completed: no last chunk, so no client takes the truncated body as whole.
        expect(body).not.toEndWith("0\r\n\r\n");
        await cli.waitFor(/midway 93ab/, { stream: "stderr" });
        await new Promise((resolve) => setTimeout(resolve, 300));
        const log = cli.stderr().slice(before);
        // One stamped line for the error (its stack below it), nothing else: no second report.
        expect(log.match(/midway 93ab/g)).toHaveLength(1);
        expect(log).toMatch(new RegExp(`${TIMESTAMP}Error in app for GET /fails_midway`));
        expect(log.split("\n").filter((line) => line && !/^\s+at /.test(line))).toHaveLength(1);
      });
    }
  });
}
