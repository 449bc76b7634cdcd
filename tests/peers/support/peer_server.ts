/**
 * The server the peers' suites run against: `deno run -A mod.ts` and `bun run mod.ts` as a user
 * starts them, in the default configuration (access log on), with `--apps tests/peers/apps`, so
 * that `/echo` is the TypeScript fixture and `/echo.py` the Python one, run through Pyodide.
 *
 * One server per runtime for every peer test file: a test run is one process, so the first file
 * to ask starts it and the rest reuse it. No file can tell it is the last, and `bun test` runs no
 * exit handler, so a watchdog kills the server when the test run ends, however it ends.
 *
 * @module
 */

import { spawn } from "node:child_process";
import { type CliProcess, runCli } from "../../support/cli_process.ts";
import { openConnection } from "./connection.ts";
import type { RuntimeName } from "../../support/server_process.ts";

export { type RuntimeName, RUNTIMES } from "../../support/server_process.ts";

/** The fixture apps' languages: each app exists as `name.ts` and as `name.py`. */
export const LANGUAGES = ["ts", "py"] as const;
export type Language = typeof LANGUAGES[number];

/** A running peer server. */
export interface PeerServer {
  runtime: RuntimeName;
  port: number;
  process: CliProcess;
}

/** Long enough for a cold Pyodide start on a busy machine. */
export const START_TIMEOUT = 120_000;

const started = new Map<RuntimeName, Promise<PeerServer>>();

/**
 * The peer server of `runtime`, started on first use, with Python loaded (one Python request
 * answered) before it resolves, so no test's time limit pays for Pyodide's start.
 */
export function peerServer(runtime: RuntimeName): Promise<PeerServer> {
  let server = started.get(runtime);
  if (!server) started.set(runtime, server = start(runtime));
  return server;
}

async function start(runtime: RuntimeName): Promise<PeerServer> {
  const process = runCli(runtime, { args: ["--apps", "tests/peers/apps"] });
  tieToTestRun(process);
  const { port } = await process.listening();
  const conn = await openConnection(port);
  try {
    conn.send("GET /toolarge.py/ HTTP/1.1\r\nHost: peers\r\n\r\n");
    const response = await conn.read({ ms: START_TIMEOUT });
    if (response.status !== 200) throw new Error(`Python warm-up: ${response.status}`);
  } finally {
    conn.close();
  }
  return { runtime, port, process };
}

// A shell that reads its standard input, a pipe from this process: the end of the test run
// closes the pipe, and the shell kills the server's process group (runCli starts each server as
// the leader of its own). Ended with the server, should the server end first.
function tieToTestRun(server: CliProcess): void {
  const watchdog = spawn("sh", ["-c", `read -r _; kill -9 -${server.pid} 2>/dev/null`], {
    stdio: ["pipe", "ignore", "ignore"],
    detached: true,
  });
  watchdog.unref();
  server.exited.then(() => watchdog.kill("SIGKILL"));
}

/** The path an app is served at: `/echo` for the TypeScript fixture, `/echo.py` for Python. */
export function appPath(app: string, language: Language): string {
  return language === "py" ? `/${app}.py` : `/${app}`;
}
