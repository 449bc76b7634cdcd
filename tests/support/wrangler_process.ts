/**
 * Starts `wrangler dev` (workerd, from node_modules) on a free port, offline, for tests that
 * speak HTTP to a Worker, and makes sure its whole process group is killed even when a test
 * fails: wrangler runs in Node and starts workerd processes of its own.
 *
 * @module
 */

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import process from "node:process";
import { fromFileUrl, join } from "../../src/base/path.ts";

const ROOT = fromFileUrl(new URL("../../", import.meta.url));
const BIN = join(ROOT, "node_modules", ".bin");

/**
 * wrangler's switches for a machine with no network but the npm registry: no usage metrics,
 * no error reports, no update check (it comes with the banner), and no download of the
 * `Request.cf` object (wrangler falls back to a placeholder after a failed lookup).
 */
export const OFFLINE_ENV: Record<string, string> = {
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  WRANGLER_HIDE_BANNER: "true",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  NO_COLOR: "1",
};

/**
 * Why workerd cannot run here, or `null` when it can: its binary comes from a platform package
 * (`@cloudflare/workerd-linux-64` on this machine) and needs a recent glibc.
 */
export function workerdUnavailable(): string | null {
  const result = spawnSync(join(BIN, "workerd"), ["--version"], { encoding: "utf8" });
  if (result.error) return `node_modules/.bin/workerd did not start: ${result.error.message}`;
  if (result.status !== 0) {
    return `workerd --version exited with ${result.status}: ${(result.stderr ?? "").trim()}`;
  }
  return null;
}

/** A running `wrangler dev`. */
export interface WranglerProcess {
  url: string;
  port: number;
  /** Everything wrangler and the Worker printed so far (the Worker's console goes there). */
  output(): string;
  /** Kills the process group (SIGTERM, then SIGKILL) and waits for wrangler to exit. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) killGroup(child, "SIGKILL");
});

/**
 * Runs `wrangler dev` with `config` (relative to the repository) on a free port and resolves
 * once it prints `Ready on http://…`.
 */
export function startWrangler(config: string): Promise<WranglerProcess> {
  const child = spawn(
    join(BIN, "wrangler"),
    ["dev", "--config", config, "--ip", "127.0.0.1", "--port", "0", "--inspector-port", "0"],
    {
      cwd: ROOT,
      env: { ...process.env, ...OFFLINE_ENV },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so that stop() also reaches the workerd processes it starts.
      detached: true,
    },
  );
  running.add(child);
  let output = "";
  const exited = new Promise<number | null>((resolve) => {
    child.on("exit", (code) => {
      running.delete(child);
      resolve(code);
    });
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup(child, "SIGKILL");
      reject(new Error(`wrangler dev did not start in 50 s:\n${output}`));
    }, 50_000);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`wrangler dev exited with ${code} before it was ready:\n${output}`));
    });
    const onData = (data: Buffer) => {
      output += data;
      const match = /Ready on (http:\/\/127\.0\.0\.1:(\d+))/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off("data", onData);
      child.stdout!.on("data", (more) => output += more);
      resolve({
        url: match[1] + "/",
        port: Number(match[2]),
        output: () => output,
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) {
            // wrangler is gone (killed from outside, say): what it started may not be.
            killGroup(child, "SIGKILL");
            return;
          }
          killGroup(child, "SIGTERM");
          const killer = setTimeout(() => killGroup(child, "SIGKILL"), 5_000);
          await exited;
          clearTimeout(killer);
          // workerd may outlive wrangler by a moment: the group gets the last word.
          killGroup(child, "SIGKILL");
        },
      });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (data) => output += data);
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // The group is gone already.
  }
}
