/**
 * Runs `mod.ts` as a user does (`deno run -A mod.ts …`, `bun run mod.ts …`) with both of its
 * output streams captured, for the tests of the command line: its exit code, its access log on
 * standard output, and what its signals do. Every process is killed by {@linkcode killAll}.
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import process from "node:process";
import { fromFileUrl, join } from "../../src/base/path.ts";
import type { RuntimeName } from "./server_process.ts";
import { OPTIONS } from "../../src/server/cli/options.ts";

const ROOT = fromFileUrl(new URL("../../", import.meta.url));
const BIN = join(ROOT, "node_modules", ".bin");
const COMMANDS: Record<RuntimeName, string[]> = {
  deno: [join(BIN, "deno"), "run", "-A", "mod.ts"],
  bun: [join(BIN, "bun"), "run", "mod.ts"],
};
const LISTENING = /listening on (http:\/\/127\.0\.0\.1:(\d+)\/)/;

// The server's own variables: a value left in the test's environment must not change it.
const OPTION_VARIABLES = [
  ...OPTIONS.map((option) => option.env).filter(Boolean),
  "EDGE_WSGI_CONFIG",
];

/** A running (or finished) `mod.ts` process. */
export interface CliProcess {
  child: ChildProcess;
  pid: number;
  /** Everything written to standard output so far. */
  stdout(): string;
  /** Everything written to standard error so far. */
  stderr(): string;
  /** Resolves with the exit code, or the signal's name when it died of one. */
  exited: Promise<number | string>;
  /** Whether the process has not exited yet. */
  alive(): boolean;
  /** Resolves once the process prints its URL; rejects if it exits first or takes 30 s. */
  listening(): Promise<{ url: string; port: number }>;
  /** Resolves once `pattern` appears in standard output (or `stream`), within `ms`. */
  waitFor(pattern: RegExp, options?: { stream?: "stdout" | "stderr"; ms?: number }): Promise<void>;
  /** Waits for the exit, killing the process if it takes longer than `ms`. */
  exitWithin(ms: number): Promise<number | string>;
}

const running = new Set<ChildProcess>();
// The process groups of those that exited: what they left behind (workers, watchers) is a test's
// to see, and killAll's to clean up.
const exitedGroups = new Set<number>();
process.on("exit", killAll);

/** Kills every process {@linkcode runCli} started, and whatever those that exited left behind. */
export function killAll(): void {
  for (const child of running) killGroup(child.pid!);
  for (const pid of exitedGroups) killGroup(pid);
  exitedGroups.clear();
}

// Each process leads its own process group (`detached`), so its workers and watchers, which a
// test killing only the leader would orphan, go with it.
function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // The whole group is gone already.
  }
}

/**
 * Starts `mod.ts` under `runtime` with `args`, on a free port of 127.0.0.1 unless `env` says
 * otherwise. `denoFlags` replaces Deno's `-A` (to run with fewer permissions).
 */
export function runCli(
  runtime: RuntimeName,
  options: { args?: string[]; env?: Record<string, string>; denoFlags?: string[] } = {},
): CliProcess {
  let [command, ...args] = COMMANDS[runtime];
  if (runtime === "deno" && options.denoFlags) args = ["run", ...options.denoFlags, "mod.ts"];
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of OPTION_VARIABLES) delete env[name];
  Object.assign(env, { PORT: "0", HOSTNAME: "127.0.0.1", NO_COLOR: "1" }, options.env);
  const child = spawn(command, [...args, ...(options.args ?? [])], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  running.add(child);
  let stdout = "";
  let stderr = "";
  let done = false;
  child.stdout!.on("data", (data) => stdout += data);
  child.stderr!.on("data", (data) => stderr += data);
  const exited = new Promise<number | string>((resolve) => {
    child.on("exit", (code, signal) => {
      done = true;
      running.delete(child);
      exitedGroups.add(child.pid!);
      resolve(code ?? signal ?? "unknown");
    });
  });

  function waitFor(
    pattern: RegExp,
    { stream = "stdout", ms = 10_000 }: { stream?: "stdout" | "stderr"; ms?: number } = {},
  ): Promise<void> {
    const text = () => stream === "stdout" ? stdout : stderr;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        clearInterval(poll);
        reject(new Error(`No ${pattern} on ${stream} in ${ms} ms:\n${stdout}\n${stderr}`));
      }, ms);
      const poll = setInterval(() => {
        if (!pattern.test(text())) return;
        clearInterval(poll);
        clearTimeout(timer);
        resolve();
      }, 20);
    });
  }

  return {
    child,
    pid: child.pid!,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    alive: () => !done,
    async listening() {
      const started = waitFor(LISTENING, { ms: 30_000 });
      const early = exited.then((code) => {
        throw new Error(`${runtime} exited with ${code} before listening:\n${stdout}${stderr}`);
      });
      await Promise.race([started, early]);
      const match = LISTENING.exec(stdout)!;
      return { url: match[1], port: Number(match[2]) };
    },
    waitFor,
    exitWithin(ms) {
      const timer = setTimeout(() => child.kill("SIGKILL"), ms);
      return exited.finally(() => clearTimeout(timer));
    },
  };
}

/** The processes descended from `pid`, from Linux's `/proc`, children first. */
export async function descendants(pid: number): Promise<number[]> {
  const parents = new Map<number, number[]>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // pid (comm) state ppid …; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ppid = Number(fields[1]);
    if (!parents.has(ppid)) parents.set(ppid, []);
    parents.get(ppid)!.push(Number(entry));
  }
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const child of parents.get(parent) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

/** Whether a process still runs: it exists and is not a zombie waiting to be reaped. */
export async function isRunning(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  if (!stat) return false;
  return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
}
