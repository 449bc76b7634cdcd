/**
 * Starts Debian's gunicorn (on Debian's native CPython) on a free port, for the tests that
 * compare what edge-wsgi answers with what gunicorn answers for the same app.
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import process from "node:process";

/** Debian's gunicorn (package `gunicorn`), which runs on Debian's `/usr/bin/python3`. */
export const GUNICORN = "/usr/bin/gunicorn";
/** Debian's Python, with the `python3-*` packages the tests vendor for Pyodide. */
export const DEBIAN_PYTHON = "/usr/bin/python3";

const LISTENING = /Listening at: (http:\/\/127\.0\.0\.1:\d+)/;

/** A running gunicorn. */
export interface GunicornProcess {
  /** Its base URL, without a trailing slash: `http://127.0.0.1:41265`. */
  url: string;
  /** Everything it wrote to standard error (its log) so far. */
  log(): string;
  /** Stops it and its workers. */
  stop(): void;
}

const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) stopGroup(child);
});

function stopGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    // Gone already.
  }
}

/**
 * Why gunicorn cannot run here, or `undefined` when it can.
 *
 * @example
 * ```ts
 * const missing = gunicornMissing(); // "/usr/bin/gunicorn not found (apt-get install gunicorn)"
 * ```
 */
export function gunicornMissing(): string | undefined {
  return existsSync(GUNICORN) ? undefined : `${GUNICORN} not found (apt-get install gunicorn)`;
}

/**
 * Starts `gunicorn ARGS -b 127.0.0.1:0` in its own process group and resolves once it listens
 * (gunicorn logs the port it got).
 *
 * @param args gunicorn's arguments before the bind, such as `["--chdir", dir, "app:application"]`
 * @returns The running gunicorn
 * @example
 * ```ts ignore
 * const gunicorn = await startGunicorn(["-w", "2", "hello:application"]);
 * await fetch(gunicorn.url + "/");
 * gunicorn.stop();
 * ```
 */
export function startGunicorn(args: string[]): Promise<GunicornProcess> {
  const child = spawn(GUNICORN, [...args, "-b", "127.0.0.1:0"], {
    // No __pycache__ folders beside the test's fixtures.
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  running.add(child);
  let log = "";
  child.stderr!.on("data", (data) => log += data);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      clearInterval(poll);
      reject(new Error(`gunicorn did not listen in 60 s:\n${log}`));
    }, 60_000);
    child.on("exit", (code) => {
      running.delete(child);
      clearTimeout(timer);
      clearInterval(poll);
      reject(new Error(`gunicorn exited with ${code} before listening:\n${log}`));
    });
    const poll = setInterval(() => {
      const match = LISTENING.exec(log);
      if (!match) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve({
        url: match[1],
        log: () => log,
        stop() {
          stopGroup(child);
          running.delete(child);
        },
      });
    }, 20);
  });
}
