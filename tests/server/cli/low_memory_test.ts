/**
 * `--low-memory` on both runtimes, over real HTTP: on Deno each worker runs with V8's baseline
 * WebAssembly compiler only (`--v8-flags=--liftoff-only` on its command line), on Bun as without
 * it; and a Python app answers either way.
 */

import { afterAll, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { descendants, killAll, runCli } from "../../support/cli_process.ts";
import { RUNTIMES } from "../../support/server_process.ts";
import { fromFileUrl } from "../../../src/base/path.ts";

const APP = fromFileUrl(new URL("../../../bench/python/hello.py", import.meta.url));
const TIMEOUT = 120_000;

afterAll(killAll);

// The command lines of the processes below the arbiter (its workers), as argument lists.
async function workerCommands(pid: number): Promise<string[][]> {
  const commands = await Promise.all(
    (await descendants(pid)).map((child) =>
      readFile(`/proc/${child}/cmdline`, "utf8").then((line) => line.split("\0"), () => [])
    ),
  );
  return commands.filter((command) => command.some((arg) => arg.endsWith("mod.ts")));
}

for (const runtime of RUNTIMES) {
  describe(`${runtime}: --low-memory`, () => {
    test(
      "workers run with the baseline WebAssembly compiler on Deno, as before on Bun",
      async () => {
        const server = runCli(runtime, {
          args: ["--mount", `/py=${APP}`, "--access-log", "off", "--low-memory"],
        });
        try {
          const { url } = await server.listening();
          const response = await fetch(`${url}py/`);
          expect(`${response.status} ${await response.text()}`).toBe(
            "200 <h1>Hello, web!</h1>\n",
          );
          const commands = await workerCommands(server.child.pid!);
          expect(commands.length).toBeGreaterThan(0);
          for (const command of commands) {
            expect(command.includes("--v8-flags=--liftoff-only")).toBe(runtime === "deno");
          }
        } finally {
          server.child.kill("SIGKILL");
        }
      },
      TIMEOUT,
    );
  });
}
