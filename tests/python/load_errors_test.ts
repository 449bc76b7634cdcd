/**
 * Python apps that cannot load: a syntax error, a missing module, a missing callable. Each is a
 * 500 that reveals nothing, with the traceback and the request line in the error log, and the
 * server keeps serving. A mounted file that is not there is refused at start-up.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type CliProcess, runCli } from "../support/cli_process.ts";
import { RUNTIMES } from "../support/server_process.ts";
import { fromFileUrl } from "../../src/base/path.ts";

const FIXTURES = fromFileUrl(new URL("../fixtures/python/", import.meta.url));
const PYTHON_TIMEOUT = 90_000;

for (const runtime of RUNTIMES) {
  describe(`${runtime}: a Python app that cannot load`, () => {
    let server: CliProcess;
    let url: string;
    beforeAll(async () => {
      server = runCli(runtime, {
        args: [
          "--mount",
          `/syntax=${FIXTURES}broken_syntax.py`,
          "--mount",
          `/imports=${FIXTURES}broken_import.py`,
          "--mount",
          `/callable=${FIXTURES}behave.py:no_such_callable`,
          "--mount",
          "/hello=./examples/python/hello.py",
          "--access-log",
          "off",
        ],
      });
      ({ url } = await server.listening());
      await (await fetch(`${url}hello`)).text();
    }, PYTHON_TIMEOUT);
    afterAll(() => server?.child.kill("SIGKILL"));

    async function fails(path: string, logged: RegExp): Promise<void> {
      const response = await fetch(`${url}${path}`);
      expect(response.status).toBe(500);
      expect(await response.text()).toBe("Internal Server Error\n");
      await server.waitFor(logged, { stream: "stderr", ms: 3000 });
      expect(await (await fetch(`${url}hello`)).text()).toBe("Hello World!");
    }

    test("a syntax error", async () => {
      await fails(
        "syntax/x",
        /GET \/syntax\/x: Traceback[^]*broken_syntax\.py", line 1[^]*SyntaxError/,
      );
    });

    test("an import of a module that is not there", async () => {
      await fails(
        "imports",
        /GET \/imports: Traceback[^]*ModuleNotFoundError: No module named 'no_such_module_anywhere'/,
      );
    });

    test("a mounted file that does not exist is refused at start-up: one line, exit 2", async () => {
      const cli = runCli(runtime, {
        args: ["--mount", `/missing=${FIXTURES}no_such_file.py:application`],
      });
      expect(await cli.exitWithin(30_000)).toBe(2);
      expect(cli.stderr().trim().split("\n")).toEqual([
        `edge-wsgi: --mount /missing must name a module file; ${
          JSON.stringify(`${FIXTURES}no_such_file.py`)
        } does not exist`,
      ]);
    });

    test("a callable the module does not define", async () => {
      await fails(
        "callable",
        /GET \/callable: Traceback[^]*has no WSGI app: define no_such_callable/,
      );
    });

    test("a second request tries again, and fails the same way", async () => {
      const before = server.stderr().split("SyntaxError").length;
      expect((await fetch(`${url}syntax`)).status).toBe(500);
      for (let i = 0; i < 300 && server.stderr().split("SyntaxError").length === before; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(server.stderr().split("SyntaxError").length).toBeGreaterThan(before);
    });
  });
}

for (const runtime of RUNTIMES) {
  test(`${runtime}: a mounted .py file that does not exist is refused at start-up`, async () => {
    const server = runCli(runtime, { args: ["--mount", `/missing=${FIXTURES}no_such_file.py`] });
    expect(await server.exitWithin(30_000)).toBe(2);
    expect(server.stderr().trim()).toBe(
      `edge-wsgi: --mount /missing must name a module file; "${FIXTURES}no_such_file.py" does not exist`,
    );
  }, PYTHON_TIMEOUT);
}
