/**
 * No request or app bug may leave a Python worker broken or stuck (issue 16), on the wire, in the
 * default configuration: a body nested past the C stack, a loop or a sleep that never ends, a
 * streamed body that spins, Python that swallows every interrupt, and Pyodide's own fatal error.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type CliProcess, runCli } from "../support/cli_process.ts";
import { openConnection } from "../support/raw_connection.ts";
import { RUNTIMES } from "../support/server_process.ts";
import { fromFileUrl } from "../../src/base/path.ts";

const APP = fromFileUrl(new URL("../fixtures/python/misbehave.py", import.meta.url));
const PYTHON_TIMEOUT = 120_000;
const DEEP_JSON = "[".repeat(10_000) + "]".repeat(10_000);

for (const runtime of RUNTIMES) {
  describe(`${runtime}: Python apps that misbehave, under --timeout 2`, () => {
    let server: CliProcess;
    let url: string;
    let port: number;
    beforeAll(async () => {
      server = runCli(runtime, { args: ["--mount", `/bad=${APP}`, "--timeout", "2"] });
      ({ url, port } = await server.listening());
      expect(await (await fetch(`${url}bad/`)).text()).toBe("ok \n");
    }, PYTHON_TIMEOUT);
    afterAll(() => server?.child.kill("SIGKILL"));

    // Every request with a body, as the broken interpreter of issue 16 failed exactly those.
    async function allAnswer(count: number): Promise<void> {
      const answers = await Promise.all(
        Array.from(
          { length: count },
          (_, i) =>
            fetch(`${url}bad/echo`, { method: "POST", body: `n=${i}` }).then(async (response) =>
              `${response.status} ${await response.text()}`
            ),
        ),
      );
      expect(answers).toEqual(answers.map((_, i) => `200 ok n=${i}\n`));
    }

    test(
      "a JSON body nested 10 000 deep is a RecursionError in Python, and the worker goes on",
      async () => {
        const response = await fetch(`${url}bad/json`, { method: "POST", body: DEEP_JSON });
        expect(response.status).toBe(500);
        expect(await response.text()).toBe("Internal Server Error\n");
        await server.waitFor(
          /Error in app for POST \/bad\/json: Traceback[^]*RecursionError: Stack overflow/,
          { stream: "stderr" },
        );
        expect(server.stderr()).not.toContain("fatal error");
        await allAnswer(100);
        const shallow = "[".repeat(1000) + "]".repeat(1000);
        const fine = await fetch(`${url}bad/json`, { method: "POST", body: shallow });
        expect(await fine.text()).toBe("list\n");
      },
      PYTHON_TIMEOUT,
    );

    for (const [path, where] of [["spin", "pass"], ["sleep", "time.sleep\\(3600\\)"]]) {
      test(
        `/${path}: Python holding the worker past --timeout is interrupted: a 500 and a log line`,
        async () => {
          const started = performance.now();
          const response = await fetch(`${url}bad/${path}`);
          const seconds = (performance.now() - started) / 1000;
          expect(response.status).toBe(500);
          expect(await response.text()).toBe("Internal Server Error\n");
          expect(seconds).toBeGreaterThanOrEqual(1.9);
          expect(seconds).toBeLessThan(15);
          await server.waitFor(
            new RegExp(
              `Error in app for GET /bad/${path}: Traceback[^]*misbehave\\.py", line \\d+, ` +
                `in application\\n +${where}[^]*WorkerTimeout: this ` +
                "call held its worker for more than 2 s \\(--timeout\\)",
            ),
            { stream: "stderr" },
          );
          await allAnswer(10);
        },
        PYTHON_TIMEOUT,
      );
    }

    test("time.sleep sleeps, without holding the worker past its time", async () => {
      const response = await fetch(`${url}bad/nap`);
      expect(await response.text()).toBe("0.2\n");
    }, PYTHON_TIMEOUT);

    test(
      "a streamed body that spins after its first chunk is aborted, and the worker goes on",
      async () => {
        const connection = await openConnection(port);
        connection.send("GET /bad/stream HTTP/1.1\r\nHost: x\r\n\r\n");
        // Never completed (no last chunk): no client can take the cut body for the whole.
        await expect(connection.response()).rejects.toThrow();
        expect(new TextDecoder().decode(connection.unread())).toMatch(
          /^HTTP\/1\.1 200 [^]*first\n/,
        );
        connection.destroy();
        await server.waitFor(
          /GET \/bad\/stream[^]*WorkerTimeout: this call held its worker/,
          { stream: "stderr" },
        );
        await allAnswer(10);
      },
      PYTHON_TIMEOUT,
    );

    test(
      "a fatal error of Pyodide retires the interpreter, and a fresh one serves the next requests",
      async () => {
        const response = await fetch(`${url}bad/fatal`);
        expect(response.status).toBe(500);
        expect(await response.text()).toBe("Internal Server Error\n");
        await server.waitFor(
          /python: the interpreter suffered a fatal error \([^]*a fatal error, on purpose[^]*\); it is never used again, and a fresh one is loading/,
          { stream: "stderr" },
        );
        await allAnswer(20);
        expect(await (await fetch(`${url}bad/json`, { method: "POST", body: "[[]]" })).text())
          .toBe("list\n");
        expect(server.stderr().match(/python: ready in/g)?.length).toBe(2);
      },
      PYTHON_TIMEOUT,
    );
  });

  describe(`${runtime}: Python that will not stop when interrupted`, () => {
    let server: CliProcess;
    let url: string;
    beforeAll(async () => {
      server = runCli(runtime, { args: ["--mount", `/bad=${APP}`, "--timeout", "1"] });
      ({ url } = await server.listening());
      expect(await (await fetch(`${url}bad/`)).text()).toBe("ok \n");
    }, PYTHON_TIMEOUT);
    afterAll(() => server?.child.kill("SIGKILL"));

    test("is killed after the grace period, with a CRITICAL line naming the timeout", async () => {
      const answer = fetch(`${url}bad/stubborn`).then(
        (response) => response.status,
        () => "closed",
      );
      await server.waitFor(
        /\[CRITICAL\] WORKER TIMEOUT: Python has held this worker for \d+ s \(--timeout 1\) and did not stop when interrupted; killing it/,
        { stream: "stderr", ms: 30_000 },
      );
      expect(await answer).toBe("closed");
    }, PYTHON_TIMEOUT);
  });
}
