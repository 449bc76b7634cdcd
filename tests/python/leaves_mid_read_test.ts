/**
 * A client that leaves while a Python body is suspended in a read of `wsgi.input` (JSPI): it
 * sends a POST with a Content-Length larger than what it sends, reads the first chunk, and
 * closes the socket. The pending read fails with an OSError, as a socket read would under
 * gunicorn; the body ends; and PEP 3333's close() runs exactly once, after the body's last
 * next() settled, never during it ("generator already executing"). Nothing is logged as an
 * error of the app, and the server goes on serving.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import { type CliProcess, runCli } from "../support/cli_process.ts";
import { RUNTIMES } from "../support/server_process.ts";
import { fromFileUrl } from "../../src/base/path.ts";

const FIXTURES = fromFileUrl(new URL("../fixtures/python/", import.meta.url));
const PYTHON_TIMEOUT = 90_000;

// Sends the head and 3 of the 100 bytes it declares, reads up to the first chunk, and leaves.
async function leaveAfterFirstChunk(port: number, target: string): Promise<string> {
  const socket = connect(port, "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  let answer = "";
  const first = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No first chunk:\n${answer}`)), 10_000);
    socket.on("data", (data) => {
      answer += data;
      if (!answer.includes("first\n")) return;
      clearTimeout(timer);
      resolve();
    });
  });
  socket.write(`POST ${target} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc`);
  try {
    await first;
  } finally {
    socket.destroy();
  }
  return answer;
}

for (const runtime of RUNTIMES) {
  describe(`${runtime}: a client leaves while the Python body waits for the request body`, () => {
    let server: CliProcess;
    let url: string;
    let port: number;
    beforeAll(async () => {
      server = runCli(runtime, {
        args: ["--mount", `/p=${FIXTURES}leaves_mid_read.py`, "--access-log", "off"],
      });
      ({ url, port } = await server.listening());
      // The first Python request loads the interpreter.
      expect(await (await fetch(`${url}p/hello`)).text()).toBe("hello\n");
    }, PYTHON_TIMEOUT);
    afterAll(() => server?.child.kill("SIGKILL"));

    // A generator's clean-up is its finally (what its close() would run, if it were suspended);
    // the iterable has a close() of its own, which says whether a next() was still running.
    for (const shape of ["generator", "iterable"]) {
      test(`${shape}: the read fails with ConnectionResetError, close() runs once`, async () => {
        const tag = `${shape}-${Date.now()}`;
        const before = server.stderr().length;
        const answer = await leaveAfterFirstChunk(port, `/p/${shape}?${tag}`);
        expect(answer).toMatch(/^HTTP\/1\.1 200 /);
        await server.waitFor(new RegExp(`${tag}: closed`), { stream: "stderr" });
        // Time for a second close() or a late error line to show up, if there were one.
        await new Promise((resolve) => setTimeout(resolve, 500));
        const log = server.stderr().slice(before);
        const lines = log.split("\n").filter((line) => line.includes(`${tag}:`))
          .map((line) => line.slice(line.indexOf(`${tag}: `) + tag.length + 2));
        expect(log).not.toContain("already executing");
        expect(log).not.toContain("Traceback");
        expect(log).not.toContain("Error in");
        expect(lines).toEqual(["read failed with ConnectionResetError", "closed"]);
        // The server goes on serving.
        expect(await (await fetch(`${url}p/hello`)).text()).toBe("hello\n");
        expect(server.alive()).toBe(true);
      }, 30_000);
    }

    test(
      "before the headers: the read fails with ConnectionResetError, and nothing is logged",
      async () => {
        const tag = `before-${Date.now()}`;
        const before = server.stderr().length;
        const socket = connect(port, "127.0.0.1");
        await new Promise((resolve) => socket.once("connect", resolve));
        socket.write(`POST /p/before?${tag} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc`);
        // The client leaves once the app is in its read (it says so as it starts it).
        await server.waitFor(new RegExp(`${tag}: reading`), { stream: "stderr" });
        socket.destroy();
        await server.waitFor(new RegExp(`${tag}: read failed`), { stream: "stderr" });
        await new Promise((resolve) => setTimeout(resolve, 500));
        const log = server.stderr().slice(before);
        expect(log).toContain(`${tag}: read failed with ConnectionResetError`);
        expect(log).not.toContain("Traceback");
        expect(log).not.toContain("Error in");
        expect(await (await fetch(`${url}p/hello`)).text()).toBe("hello\n");
      },
      30_000,
    );
  });
}
