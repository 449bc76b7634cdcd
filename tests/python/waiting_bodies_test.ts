/**
 * Many requests waiting for their bodies leave every call into Python its whole C-stack budget
 * (src/python/c_stack.ts), on the wire on both runtimes. A call suspended on `wsgi.input` (JSPI)
 * keeps its part of the C stack in place, so the calls that start meanwhile start lower: with a
 * budget counted from the stack's base, a few hundred uploads in flight made every other request
 * a RecursionError. The budget is counted from where each call starts.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type CliProcess, runCli } from "../support/cli_process.ts";
import { openConnection, type RawConnection } from "../support/raw_connection.ts";
import { RUNTIMES } from "../support/server_process.ts";
import { fromFileUrl } from "../../src/base/path.ts";

const APP = fromFileUrl(new URL("../fixtures/python/input_reads.py", import.meta.url));
const PYTHON_TIMEOUT = 180_000;
const WAITING = 300;
// Over 64 KiB, so Bun does not read it before the app runs (src/python/small_body.ts).
const LENGTH = 100_000;
const DEEP_JSON = "[".repeat(10_000) + "]".repeat(10_000);

for (const runtime of RUNTIMES) {
  describe(`${runtime}: ${WAITING} requests waiting for their bodies`, () => {
    let server: CliProcess;
    let url: string;
    let port: number;
    const waiting: RawConnection[] = [];
    beforeAll(async () => {
      server = runCli(runtime, { args: ["--mount", `/in=${APP}`, "--access-log", "off"] });
      ({ url, port } = await server.listening());
      expect(await (await fetch(`${url}in/`)).text()).toBe("hello\n");
    }, PYTHON_TIMEOUT);
    afterAll(() => {
      for (const connection of waiting) connection.destroy();
      server?.child.kill("SIGKILL");
    });

    test(
      "every other request still runs, and deep recursion is still a RecursionError",
      async () => {
        for (let i = 0; i < WAITING; i++) {
          const connection = await openConnection(port);
          connection.send(
            `POST /in/wait?${i} HTTP/1.1\r\nHost: x\r\nContent-Length: ${LENGTH}\r\n\r\n` +
              "x".repeat(10),
          );
          waiting.push(connection);
        }
        // Each app says so when it starts waiting for the rest of its body.
        const started = performance.now();
        while ((server.stderr().match(/\] waiting \d+$/gm) ?? []).length < WAITING) {
          if (performance.now() - started > 60_000) {
            throw new Error(`Not all ${WAITING} requests reached the app:\n${server.stderr()}`);
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const hello = await fetch(`${url}in/`);
        expect(`${hello.status} ${await hello.text()}`).toBe("200 hello\n");
        const whole = await fetch(`${url}in/whole`, { method: "POST", body: "abc" });
        expect(await whole.text()).toMatch(/^1 reads, 3 bytes, /);
        const deep = await fetch(`${url}in/deep`, { method: "POST", body: DEEP_JSON });
        expect(deep.status).toBe(500);
        await server.waitFor(/RecursionError: Stack overflow/, { stream: "stderr" });
        const shallow = "[".repeat(500) + "]".repeat(500);
        const fine = await fetch(`${url}in/deep`, { method: "POST", body: shallow });
        expect(await fine.text()).toBe("list\n");
        // Now the waiting bodies arrive, and every one of those requests is answered.
        for (const connection of waiting) connection.send("x".repeat(LENGTH - 10));
        const answers = await Promise.all(
          waiting.map((connection) => connection.response({ timeoutMs: 60_000 })),
        ).catch((error) => {
          throw new Error(
            `${error.message}\n${server.stderr().replace(/.*\] waiting \d+\n/g, "")}`,
          );
        });
        const texts = answers.map((answer) =>
          `${answer.status} ${new TextDecoder().decode(answer.body)}`
        );
        expect(texts).toEqual(waiting.map(() => `200 ok ${LENGTH}\n`));
        expect(server.stderr()).not.toContain("fatal error");
        // Only the deep JSON failed.
        expect(server.stderr().match(/RecursionError/g)).toHaveLength(1);
      },
      PYTHON_TIMEOUT,
    );
  });
}
