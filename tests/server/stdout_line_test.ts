// writeStdoutLine() writes to standard output what console.log() writes, byte for byte and in
// order with it: the access log's lines must not change with the writer. Each runtime runs
// tests/fixtures/stdout_lines.ts with its standard output on a pipe.

import { describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { fromFileUrl, join } from "../../src/base/path.ts";
import { RUNTIMES } from "../support/server_process.ts";
import { STDOUT_LINES } from "../fixtures/stdout_lines.ts";

const ROOT = fromFileUrl(new URL("../../", import.meta.url));
const BIN = join(ROOT, "node_modules", ".bin");
const COMMANDS = {
  deno: [join(BIN, "deno"), "run", "-A", "--quiet"],
  bun: [join(BIN, "bun"), "run"],
};

function run(command: string[]): Promise<{ code: number | null; stdout: Uint8Array }> {
  const [program, ...args] = command;
  const child = spawn(program, [...args, "tests/fixtures/stdout_lines.ts"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const chunks: Uint8Array[] = [];
  child.stdout!.on("data", (data) => chunks.push(new Uint8Array(data)));
  return new Promise((resolve) => {
    child.on("close", (code) => resolve({ code, stdout: new Uint8Array(Buffer.concat(chunks)) }));
  });
}

for (const runtime of RUNTIMES) {
  describe(`${runtime}: writeStdoutLine()`, () => {
    test("writes the bytes console.log() writes, in order with it", async () => {
      const { code, stdout } = await run(COMMANDS[runtime]);
      expect(code).toBe(0);
      const expected = new TextEncoder().encode(STDOUT_LINES.map((line) => line + "\n").join(""));
      expect(stdout.length).toBe(expected.length);
      expect(Buffer.from(stdout).equals(Buffer.from(expected))).toBe(true);
    }, 30_000);
  });
}
