/**
 * The parent process of `--reload`: the server runs in the runtime's own watch mode, one process
 * that the runtime restarts when a source file changes; this one passes signals on.
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import process from "node:process";
import { createInterface } from "node:readline";
import { fromFileUrl } from "../../base/path.ts";
import { isBun } from "../../runtime/bun.ts";
import { readAllEnv } from "./env.ts";
import { freePort } from "./free_port.ts";
import type { Config } from "./options.ts";

const MOD_TS = fromFileUrl(new URL("../../../mod.ts", import.meta.url));

/**
 * Runs `--reload`: the server in the runtime's own watch mode, which restarts it when a source
 * file changes. Resolves with its exit code.
 */
export async function superviseReload(config: Config, args: string[]): Promise<number> {
  const port = config.port === 0 ? await freePort(config.hostname) : config.port;
  const env = { ...readAllEnv(), EDGE_WSGI_CONFIG: JSON.stringify({ ...config, port }) };
  const watched = [config.apps, config.root, ...config.mounts.map(([, module]) => module)]
    .filter((path): path is string => Boolean(path));
  const command = isBun() ? [process.execPath, "--watch", "run", MOD_TS, ...args] : [
    process.execPath,
    "run",
    watched.length ? `--watch=${watched.join(",")}` : "--watch",
    "-A",
    MOD_TS,
    ...args,
  ];
  const child = spawn(command[0], command.slice(1), { env, stdio: ["inherit", "inherit", "pipe"] });
  let stopping = false;
  let killer: ReturnType<typeof setTimeout> | undefined;
  createInterface({ input: child.stderr! }).on("line", (line) => {
    process.stderr.write(line + "\n");
    // Deno's watch mode outlives its program ("Process finished. Restarting on file change"):
    // once the program has stopped for our signal, the watcher goes too.
    if (stopping && /Process finished/.test(line)) kill(child, "SIGKILL");
  });
  const forward = (signal: NodeJS.Signals) => {
    stopping = true;
    child.kill(signal);
    killer ??= setTimeout(() => kill(child, "SIGKILL"), config.gracefulTimeout * 1000 + 1000);
  };
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  const code = await new Promise<number>((resolve) => {
    child.on("exit", (exitCode) => resolve(exitCode ?? 0));
  });
  clearTimeout(killer);
  return code;
}

// Deno's ChildProcess.kill() sends one signal only; process.kill() sends any number.
function kill(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(child.pid, signal);
  } catch {
    // Already gone.
  }
}
