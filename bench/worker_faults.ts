/**
 * What a worker's death or replacement costs under wrk, on Deno and Bun: failed requests (wrk's
 * socket errors and non-2xx answers) and how soon the port serves again.
 *
 *   bun run bench/worker_faults.ts                               # kill -9, --workers 1 and 2
 *   SCENARIO=recycle bun run bench/worker_faults.ts              # --max-requests under load
 *   SCENARIO=reload bun run bench/worker_faults.ts               # SIGHUP under load
 *   RUNTIMES=bun WORKERS="2" CONNECTIONS=100 bun run bench/worker_faults.ts
 *
 * Each run starts `mod.ts --workers W --mount /pid=bench/pid_app.ts --access-log off` on a free
 * port, waits for it to listen, and runs `wrk -t1 -cC -dDs` against `/pid` (keep-alive). Then:
 *
 * - kill (default): DURATION/2 s in, `kill -9` of the first worker; a probe opens a new connection
 *   every 5 ms until a worker that is not the dead one answers 200 (for W=1: until the port
 *   answers again; for W>1 the survivors answer throughout, so the probe waits for the
 *   replacement's own pid). Goal: for W>1, wrk's errors ≤ the requests in flight on the dead
 *   worker (one per connection on it, C/W on average), and the replacement serving within 1 s.
 *   For W=1 the goal is the recovery time (< 1 s) alone: while no worker listens, wrk retries
 *   each refused connection at once, thousands of times, and counts every try as a read or write
 *   error, so its error count there measures the gap, not lost requests.
 * - recycle: `--max-requests MAX_REQUESTS` (default 20000) `--max-requests-jitter` a tenth of it;
 *   goal: 0 errors over every replacement (counted from the arbiter's log).
 * - reload: DURATION/2 s in, SIGHUP to the arbiter; goal: 0 errors.
 *
 * Prints a Markdown table row per run. Environment: RUNTIMES (default "deno bun"), WORKERS (default
 * "1 2"; kill only), DURATION (default 10), CONNECTIONS (default 50), MAX_REQUESTS, DENO, BUN, WRK.
 * Run it on a quiet machine: a busy one slows the replacement's start-up.
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import { connect, createServer } from "node:net";
import process from "node:process";
import { fromFileUrl, join } from "../src/base/path.ts";

const ROOT = fromFileUrl(new URL("../", import.meta.url));
const BIN = join(ROOT, "node_modules", ".bin");
const SCENARIO = process.env.SCENARIO ?? "kill";
const RUNTIMES = (process.env.RUNTIMES ?? "deno bun").split(/\s+/).filter(Boolean);
const WORKER_COUNTS = SCENARIO === "kill"
  ? (process.env.WORKERS ?? "1 2").split(/\s+/).filter(Boolean).map(Number)
  : [Number(process.env.WORKERS ?? 2)];
const DURATION = Number(process.env.DURATION ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const MAX_REQUESTS = Number(process.env.MAX_REQUESTS ?? 20000);
const WRK = process.env.WRK ?? "wrk";
const COMMANDS: Record<string, string[]> = {
  deno: [process.env.DENO ?? join(BIN, "deno"), "run", "-A", "mod.ts"],
  bun: [process.env.BUN ?? join(BIN, "bun"), "run", "mod.ts"],
};

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The pid in the answer to `GET /pid` on a new connection, or 0 when none came. */
function answeringPid(port: number): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let data = "";
    const done = (pid: number) => {
      socket.destroy();
      resolve(pid);
    };
    const timer = setTimeout(() => done(0), 1000);
    socket.on(
      "connect",
      () => socket.write("GET /pid HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
    );
    socket.on("data", (chunk) => data += chunk);
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      const ok = data.startsWith("HTTP/1.1 200");
      done(ok ? Number(/"pid":(\d+)/.exec(data)?.[1] ?? 0) : 0);
    });
  });
}

function output(child: ChildProcess, stream: "stdout" | "stderr"): () => string {
  let text = "";
  child[stream]!.on("data", (chunk) => text += chunk);
  return () => text;
}

async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** wrk's totals: requests, socket errors by kind, non-2xx answers. */
function parseWrk(text: string) {
  const requests = Number(/(\d+) requests in/.exec(text)?.[1] ?? NaN);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const [connectErrors, read, write, timeout] = socket ? socket.slice(1).map(Number) : [0, 0, 0, 0];
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  return { requests, connectErrors, read, write, timeout, non2xx };
}

async function run(runtime: string, workers: number): Promise<string> {
  const port = await freePort();
  const [command, ...args] = COMMANDS[runtime];
  const extra = SCENARIO === "recycle"
    ? ["--max-requests", String(MAX_REQUESTS), "--max-requests-jitter", String(MAX_REQUESTS / 10)]
    : [];
  const server = spawn(command, [
    ...args,
    "--workers",
    String(workers),
    "--mount",
    "/pid=bench/pid_app.ts",
    "--access-log",
    "off",
    ...extra,
  ], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOSTNAME: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const stdout = output(server, "stdout");
  const stderr = output(server, "stderr");
  try {
    await waitFor(() => stdout().includes("listening on"), 60_000, "the server to listen");
    const booted = () =>
      [...stderr().matchAll(/Booting worker with pid (\d+)/g)].map((m) => Number(m[1]));
    const wrk = spawn(WRK, [
      "-t1",
      `-c${CONNECTIONS}`,
      `-d${DURATION}s`,
      `http://127.0.0.1:${port}/pid`,
    ], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const wrkOut = output(wrk, "stdout");
    const wrkDone = new Promise((resolve) => wrk.on("exit", resolve));
    let recovery = "";
    if (SCENARIO !== "recycle") {
      await new Promise((resolve) => setTimeout(resolve, (DURATION / 2) * 1000));
      if (SCENARIO === "kill") {
        const victim = booted()[0];
        const at = performance.now();
        process.kill(victim, "SIGKILL");
        const first = new Set(booted());
        let pid = 0;
        while (pid === 0 || pid === victim || (workers > 1 && first.has(pid))) {
          pid = await answeringPid(port);
          if (performance.now() - at > 30_000) break;
          if (pid === 0 || pid === victim || (workers > 1 && first.has(pid))) {
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        }
        recovery = `${Math.round(performance.now() - at)} ms`;
      } else {
        process.kill(server.pid!, "SIGHUP");
      }
    }
    await wrkDone;
    const wrkResult = parseWrk(wrkOut());
    const replaced = (stderr().match(/Retiring worker/g) ?? []).length;
    const errors = wrkResult.connectErrors + wrkResult.read + wrkResult.write + wrkResult.timeout +
      wrkResult.non2xx;
    const inFlight = SCENARIO === "kill" ? `≤ ${Math.ceil(CONNECTIONS / workers)}` : "0";
    return `| ${runtime} | ${SCENARIO} | ${workers} | ${wrkResult.requests} | ${errors} (connect ${wrkResult.connectErrors}, read ${wrkResult.read}, write ${wrkResult.write}, timeout ${wrkResult.timeout}, non-2xx ${wrkResult.non2xx}) | ${inFlight} | ${replaced} | ${
      recovery || "-"
    } |`;
  } finally {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    process.kill(-server.pid!, "SIGKILL");
    await exited;
  }
}

console.log(`wrk -t1 -c${CONNECTIONS} -d${DURATION}s, scenario ${SCENARIO}`);
console.log(
  "| runtime | scenario | workers | requests | failed | goal | workers retired | recovery |",
);
console.log(
  "| ------- | -------- | ------- | -------- | ------ | ---- | --------------- | -------- |",
);
for (const runtime of RUNTIMES) {
  for (const workers of WORKER_COUNTS) console.log(await run(runtime, workers));
}
