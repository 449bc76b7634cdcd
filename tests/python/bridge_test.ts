/**
 * The Python bridge over real HTTP: one `mod.ts` process per runtime serving
 * tests/fixtures/python/behave.py, whose paths each exercise one rule of PEP 3333.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { type CliProcess, runCli } from "../support/cli_process.ts";
import { rawRequest } from "../support/raw_http.ts";
import { RUNTIMES } from "../support/server_process.ts";
import { fromFileUrl } from "../../src/base/path.ts";

const FIXTURES = fromFileUrl(new URL("../fixtures/python/", import.meta.url));
// Pyodide loads in about 3 s on a quiet machine, several times that on a busy one.
const PYTHON_TIMEOUT = 90_000;

for (const runtime of RUNTIMES) {
  describe(`${runtime}: a Python app through the bridge`, () => {
    let server: CliProcess;
    let url: string;
    let port: number;
    beforeAll(async () => {
      server = runCli(runtime, {
        args: [
          "--mount",
          `/b=${FIXTURES}behave.py`,
          "--mount",
          `/i=${FIXTURES}interleaving.py`,
          "--python-path",
          `${FIXTURES}vendor`,
          "--access-log",
          "off",
        ],
      });
      ({ url, port } = await server.listening());
      // The first Python request loads the interpreter.
      const response = await fetch(`${url}b/cookies`);
      expect(response.status).toBe(200);
      await response.text();
    }, PYTHON_TIMEOUT);
    afterAll(() => server?.child.kill("SIGKILL"));

    const get = (path: string, init?: RequestInit) => fetch(`${url}b${path}`, init);
    const text = async (path: string, init?: RequestInit) => (await get(path, init)).text();

    test("logs when Python loads, and when it is ready with the time taken", () => {
      expect(server.stderr()).toContain("python: loading Pyodide…");
      expect(server.stderr()).toMatch(/python: ready in \d+ ms/);
    });

    test("environ has PEP 3333's types: version tuple, bools, a blocking file", async () => {
      expect(await text("/flags")).toBe("[(1, 0), True, False, False, True]");
    });

    test("a form POST reaches wsgi.input and parses", async () => {
      const body = new URLSearchParams({ name: "Michael", message: "<hi> & 你好" });
      expect(await text("/form", { method: "POST", body })).toBe(
        "message=<hi> & 你好\nname=Michael\n",
      );
    });

    test("a raw binary POST comes back byte for byte", async () => {
      const bytes = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256);
      const response = await get("/echo", {
        method: "POST",
        headers: { "Content-Type": "application/octet-stream" },
        body: bytes,
      });
      expect(response.headers.get("content-type")).toBe("application/octet-stream");
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
    });

    test("a chunked upload is read to its end, with no CONTENT_LENGTH", async () => {
      const response = await rawRequest(port, [
        "POST /b/echo HTTP/1.1",
        "Host: x",
        "Content-Type: text/plain",
        "Transfer-Encoding: chunked",
      ], "6\r\nhello\n\r\n7\r\n, world\r\n0\r\n\r\n");
      expect(new TextDecoder().decode(response.body)).toBe("hello\n, world");
    });

    test("another request runs while one waits for its body (wsgi.multithread)", async () => {
      const socket = connect(port, "127.0.0.1");
      await new Promise((resolve) => socket.once("connect", resolve));
      let answer = "";
      socket.on("data", (data) => answer += data);
      socket.write("POST /b/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello");
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await text("/cookies")).toBe("two cookies\n");
      expect(answer).toBe("");
      const whole = new Promise<void>((resolve) => {
        socket.on("data", () => {
          if (answer.endsWith("helloworld")) resolve();
        });
      });
      socket.write("world");
      await whole;
      socket.destroy();
      expect(answer).toMatch(/^HTTP\/1\.1 200[^]*\r\n\r\nhelloworld$/);
    }, 30_000);

    test("a WSGI call sees no running asyncio loop, as under gunicorn (Django's guard)", async () => {
      expect(await (await fetch(`${url}i/sync`)).text()).toBe("loop=False\nwaiting=[]\n");
    });

    test("one that waited for its body sees no loop and its own thread-locals after", async () => {
      // A waits for the rest of its body; meanwhile an asyncio callback and request B run.
      const socket = connect(port, "127.0.0.1");
      await new Promise((resolve) => socket.once("connect", resolve));
      let answer = "";
      socket.on("data", (data) => answer += data);
      socket.write("POST /i/wait?A HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nabc");
      let b = "";
      for (let i = 0; i < 200 && !b.includes("waiting=['A']"); i++) {
        b = await (await fetch(`${url}i/sync?B`)).text();
      }
      expect(b).toBe("loop=False\nwaiting=['A']\n");
      socket.write("def");
      for (let i = 0; i < 100 && !answer.endsWith("local=A\n"); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      socket.destroy();
      expect(answer).toMatch(
        /\r\n\r\nloop=False\nbody=6\ncallback_saw_loop=\[True\]\nloop_after=False\nlocal=A\n$/,
      );
    });

    test("asyncio.run() in a request runs its coroutine in a loop; none runs after", async () => {
      // Over 64 KiB: read as the app runs (through JSPI), which asyncio.run() needs; Bun reads
      // a smaller body first and runs the app without JSPI (small_body.ts).
      const body = "x".repeat(100_000);
      const answer = await (await fetch(`${url}i/run`, { method: "POST", body })).text();
      expect(answer).toBe("loop=False\nbody=100000\ninside=True\nloop_after=False\n");
    });

    test("readline(size) and readlines() never read past CONTENT_LENGTH", async () => {
      const response = await rawRequest(port, [
        "POST /b/lines HTTP/1.1",
        "Host: x",
        "Content-Length: 14",
      ], "one\ntwo\nthree\nNOT PART OF THE BODY");
      expect(new TextDecoder().decode(response.body)).toBe(
        "[b'one\\n', b'two', [b'\\n', b'three\\n']]",
      );
    });

    test("a body of 1000 chunks is pulled as the client reads, and closed when it leaves", async () => {
      const id = `s${Date.now()}`;
      const response = await get(`/stream?${id}`);
      expect(response.headers.get("content-length")).toBeNull();
      const reader = response.body!.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value!.subarray(0, 6))).toBe("000000");
      await reader.cancel();
      let report = "";
      for (let i = 0; i < 50 && !report.endsWith("closed=1"); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        report = await text(`/tracked?${id}`);
      }
      expect(report).toMatch(/closed=1$/);
      // Backpressure: far fewer than the 1000 chunks (64 MiB) were made.
      expect(Number(/made=(\d+)/.exec(report)![1])).toBeLessThan(200);
    });

    test("a whole stream arrives in order, and close() runs once", async () => {
      const id = `w${Date.now()}`;
      const body = new Uint8Array(await (await get(`/stream?${id}`)).arrayBuffer());
      expect(body.length).toBe(1000 * 65536);
      expect(new TextDecoder().decode(body.subarray(999 * 65536, 999 * 65536 + 6))).toBe(
        "000999",
      );
      expect(await text(`/tracked?${id}`)).toBe("made=1000 closed=1");
    }, 30_000);

    test("start_response with exc_info before the body replaces the status", async () => {
      const response = await get("/exc-before");
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect(await response.text()).toBe("sorry\n");
    });

    test("exc_info after the headers went out re-raises: the response is cut short", async () => {
      // Bun may reset the connection before its first byte: the body fails either way.
      const outcome = await get("/exc-after").then((response) => response.text()).then(
        (body) => `complete: ${body}`,
        () => "cut short",
      );
      expect(outcome).toBe("cut short");
      await waitForLog(server, /RuntimeError: too late to change/);
      expect(await text("/cookies")).toBe("two cookies\n");
    });

    test("an exception is a 500 that reveals nothing, with the traceback in the log", async () => {
      const response = await get("/boom");
      expect(response.status).toBe(500);
      expect(await response.text()).not.toContain("secret");
      await waitForLog(server, /GET \/b\/boom: Traceback \(most recent call last\):/);
      expect(server.stderr()).toContain('behave.py", line');
      expect(server.stderr()).toContain("ValueError: secret detail 42");
      expect(await text("/cookies")).toBe("two cookies\n");
    });

    test("an app that never calls start_response is a 500, logged", async () => {
      expect((await get("/no-start")).status).toBe(500);
      await waitForLog(server, /GET \/b\/no-start: TypeError: .* calling start_response\(\)/);
    });

    test("write() output goes out first, in order with the iterable's chunks", async () => {
      expect(await text("/write")).toBe("abcd");
    });

    test("a str chunk is an app error: Python bodies are bytes", async () => {
      expect((await get("/str-chunk")).status).toBe(500);
      await waitForLog(server, /A body chunk must be bytes, not str/);
    });

    test("a hop-by-hop header never reaches the wire", async () => {
      const response = await get("/hop");
      expect(response.status).toBe(500);
      expect(await response.text()).not.toContain("never");
    });

    test("response splitting: a header value with CR/LF is refused", async () => {
      const response = await rawRequest(port, ["GET /b/crlf HTTP/1.1", "Host: x"]);
      expect(response.status).toBe(500);
      expect(response.headers.some(([name]) => name === "set-cookie")).toBe(false);
    });

    test("several Set-Cookie headers go out as separate fields", async () => {
      const response = await rawRequest(port, ["GET /b/cookies HTTP/1.1", "Host: x"]);
      const cookies = response.headers.filter(([name]) => name === "set-cookie");
      expect(cookies.map(([, value]) => value)).toEqual(["a=1; Path=/", "b=2"]);
    });

    test("print() and wsgi.errors go to the error log", async () => {
      expect(await text("/print")).toBe("logged\n");
      await waitForLog(server, /printed by the app/);
      await waitForLog(server, /GET \/b\/print: written to wsgi.errors/);
    });

    test("the app's folder is read-only: a write is an OSError, and Python goes on", async () => {
      expect(await text("/readonly")).toBe("EROFS");
      expect(existsSync(`${FIXTURES}created-by-the-app.txt`)).toBe(false);
      expect(await text("/cookies")).toBe("two cookies\n");
    });

    test("a refused open gives its descriptor back: 5000 in a row, then a file still opens", async () => {
      // Emscripten's FS.open() kept the descriptor of an open the file system refused: SQLite
      // trying a read-only database for writing leaked one a connection, Django one a request.
      expect(await text("/refused-opens")).toBe("5000 refused, then 10 bytes read");
    });

    test("wsgi.file_wrapper streams a file object in blocks", async () => {
      const expected = new Uint8Array(readFileSync(`${FIXTURES}vendor/greeting.py`));
      const response = await get("/file-wrapper");
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(expected);
    });

    test("--python-path puts a folder of vendored modules on sys.path", async () => {
      expect(await text("/vendor")).toBe("hello from vendor");
    });

    test("the app's folder is Python's working directory", async () => {
      expect(await text("/cwd")).toBe(FIXTURES.replace(/\/$/, ""));
    });
  });
}

async function waitForLog(server: CliProcess, pattern: RegExp): Promise<void> {
  // Within bun test's 5 s per test.
  await server.waitFor(pattern, { stream: "stderr", ms: 3000 });
}
