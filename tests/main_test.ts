/**
 * The command line as a user runs it: `deno run -A mod.ts` and `bun run mod.ts`, with `PORT`
 * set, stopped by signals. Every child is killed in `afterAll` even when a test fails.
 */

import { afterAll, describe, expect, test } from "bun:test";
import { type ChildProcess, spawn } from "node:child_process";
import process from "node:process";
import { fromFileUrl, join } from "../src/base/path.ts";

const ROOT = fromFileUrl(new URL("../", import.meta.url));
const BIN = join(ROOT, "node_modules", ".bin");
const COMMANDS = {
  deno: [join(BIN, "deno"), "run", "-A", "mod.ts"],
  bun: [join(BIN, "bun"), "run", "mod.ts"],
};
const TIMEOUT = 60_000;
const LISTENING = /^edge-wsgi listening on (http:\/\/127\.0\.0\.1:(\d+)\/)$/m;

/** A started `mod.ts` process, with what it has printed so far and its exit. */
interface Cli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code, or the signal's name when it died of one. */
  exited: Promise<number | string>;
  /** Resolves with the URL once the process prints it; rejects if it exits first. */
  listening(): Promise<{ url: string; port: number }>;
}

const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
});

function run(runtime: keyof typeof COMMANDS, env: Record<string, string>): Cli {
  const [command, ...args] = COMMANDS[runtime];
  const childEnv: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", ...env };
  // A shell or container may export its own HOSTNAME; the default address is what we test.
  if (!("HOSTNAME" in env)) delete childEnv.HOSTNAME;
  const child = spawn(command, args, {
    cwd: ROOT,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (data) => stdout += data);
  child.stderr!.on("data", (data) => stderr += data);
  const exited = new Promise<number | string>((resolve) => {
    child.on("exit", (code, signal) => {
      children.delete(child);
      resolve(code ?? signal ?? "unknown");
    });
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    listening: () =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = LISTENING.exec(stdout);
          if (match) resolve({ url: match[1], port: Number(match[2]) });
        };
        child.stdout!.on("data", check);
        check();
        exited.then((code) =>
          reject(new Error(`${runtime} exited with ${code} before listening:\n${stdout}${stderr}`))
        );
      }),
  };
}

/** Waits for the exit, killing the child if it takes longer than `ms`. */
function exitWithin(cli: Cli, ms: number): Promise<number | string> {
  const timer = setTimeout(() => cli.child.kill("SIGKILL"), ms);
  return cli.exited.finally(() => clearTimeout(timer));
}

function expectNoStackTrace(text: string) {
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toContain("error: Uncaught");
}

for (const runtime of ["deno", "bun"] as const) {
  describe(`${runtime}: the command line (mod.ts)`, () => {
    test("main() exits with 2 and one line naming PORT when PORT is not a number", async () => {
      const cli = run(runtime, { PORT: "abc" });
      expect(await exitWithin(cli, 30_000)).toBe(2);
      const lines = cli.stderr().trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain("PORT");
      expect(lines[0]).toContain('"abc"');
      expectNoStackTrace(cli.stderr());
      expect(cli.stdout()).not.toContain("listening");
    }, TIMEOUT);

    test("main() exits with 2 when PORT is out of range", async () => {
      const cli = run(runtime, { PORT: "65536" });
      expect(await exitWithin(cli, 30_000)).toBe(2);
      expect(cli.stderr().trim().split("\n")).toHaveLength(1);
      expect(cli.stderr()).toContain("PORT");
      expectNoStackTrace(cli.stderr());
    }, TIMEOUT);

    test("main() prints its URL on PORT=0 and exits with 0 on SIGTERM", async () => {
      const cli = run(runtime, { PORT: "0" });
      try {
        const { url, port } = await cli.listening();
        expect(port).toBeGreaterThan(0);
        expect(url).toBe(`http://127.0.0.1:${port}/`);
        const response = await fetch(url);
        expect(response.status).toBe(200);
        await response.text();
        cli.child.kill("SIGTERM");
        expect(await exitWithin(cli, 10_000)).toBe(0);
        expectNoStackTrace(cli.stderr());
      } finally {
        cli.child.kill("SIGKILL");
      }
    }, TIMEOUT);

    test("main() exits with 0 on SIGINT", async () => {
      const cli = run(runtime, { PORT: "0" });
      try {
        await cli.listening();
        cli.child.kill("SIGINT");
        expect(await exitWithin(cli, 10_000)).toBe(0);
        expectNoStackTrace(cli.stderr());
      } finally {
        cli.child.kill("SIGKILL");
      }
    }, TIMEOUT);

    test("main() fails with a clear message when the port is in use", async () => {
      const first = run(runtime, { PORT: "0" });
      try {
        const { port } = await first.listening();
        const second = run(runtime, { PORT: String(port) });
        try {
          const code = await exitWithin(second, 30_000);
          expect(typeof code).toBe("number");
          expect(code).not.toBe(0);
          const lines = second.stderr().trim().split("\n");
          expect(lines).toHaveLength(1);
          expect(lines[0]).toContain(`cannot listen on 127.0.0.1:${port}`);
          expectNoStackTrace(second.stderr());
          expect(second.stdout()).not.toContain("listening");
        } finally {
          second.child.kill("SIGKILL");
        }
        // The first server is untouched.
        const response = await fetch(`http://127.0.0.1:${port}/`);
        expect(response.status).toBe(200);
        await response.text();
      } finally {
        first.child.kill("SIGKILL");
      }
    }, TIMEOUT);
  });
}
