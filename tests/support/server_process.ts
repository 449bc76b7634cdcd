/**
 * Starts `mod.ts` as a real `deno run` or `bun run` process on a free port, for tests that
 * speak HTTP to it, and makes sure it is killed even when a test fails.
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import process from "node:process";
import { fromFileUrl, join } from "../../src/base/path.ts";

/** The runtimes the conformance suite runs against. */
export const RUNTIMES = ["deno", "bun"] as const;
export type RuntimeName = typeof RUNTIMES[number];

const ROOT = fromFileUrl(new URL("../../", import.meta.url));
const BIN = join(ROOT, "node_modules", ".bin");

const COMMANDS: Record<RuntimeName, string[]> = {
  deno: [join(BIN, "deno"), "run", "-A", "--quiet"],
  bun: [join(BIN, "bun"), "run"],
};

/** A running server process. */
export interface ServerProcess {
  runtime: RuntimeName;
  url: string;
  port: number;
  /** Everything the process wrote to standard error so far. */
  stderr(): string;
  /** Whether the process is still running. */
  alive(): boolean;
  /** Kills the process (SIGTERM, then SIGKILL) and waits for it to exit. */
  stop(): Promise<number | null>;
}

const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * Starts `entry` (default `mod.ts`) under a runtime with `PORT=0`, and resolves once it has
 * printed the URL it listens on.
 */
export function startServer(
  runtime: RuntimeName,
  options: { entry?: string; env?: Record<string, string>; args?: string[] } = {},
): Promise<ServerProcess> {
  const [command, ...args] = COMMANDS[runtime];
  const child = spawn(command, [...args, options.entry ?? "mod.ts", ...(options.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", HOSTNAME: "127.0.0.1", NO_COLOR: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let stdout = "";
  let stderr = "";
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.on("exit", (code) => {
      exitCode = code;
      running.delete(child);
      resolve(code);
    });
  });
  child.stderr!.on("data", (data) => stderr += data);

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${runtime} did not start in 30 s:\n${stdout}\n${stderr}`));
    }, 30_000);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${runtime} exited with ${code} before listening:\n${stdout}\n${stderr}`));
    });
    child.stdout!.on("data", (data) => {
      stdout += data;
      const match = /listening on (http:\/\/[^\s]+)/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      const url = match[1];
      resolve({
        runtime,
        url,
        port: Number(new URL(url).port),
        stderr: () => stderr,
        alive: () => exitCode === undefined,
        async stop() {
          if (exitCode !== undefined) return exitCode;
          child.kill("SIGTERM");
          const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
          const code = await exited;
          clearTimeout(killer);
          return code;
        },
      });
    });
  });
}
