/**
 * The arbiter over real processes, on both runtimes: a worker killed with SIGKILL under load is
 * replaced within a second, costing only the requests it had in flight; a worker whose event
 * loop is stuck is found by the heartbeat, killed and replaced; a crash loop backs off; and the
 * signals: SIGTERM with a stream in flight (SIGKILL for a worker that ignores SIGTERM), SIGHUP,
 * SIGTTIN and SIGTTOU. Every process is killed in `finally` and `afterAll`.
 */

import { afterAll, describe, expect, test } from "bun:test";
import process from "node:process";
import { fromFileUrl } from "../../../src/base/path.ts";
import { descendants, killAll, runCli } from "../../support/cli_process.ts";
import { type LoadStats, startLoad } from "../../support/load_client.ts";
import { rawRequest } from "../../support/raw_http.ts";
import { RUNTIMES } from "../../support/server_process.ts";
import { bootedPids, count, gone, until, whenGone } from "../../support/workers.ts";

const TIMEOUT = 90_000;
const APPS = "tests/fixtures/worker_apps";
const MISBEHAVE_PY = fromFileUrl(new URL("../../fixtures/python/misbehave.py", import.meta.url));

afterAll(killAll);

async function whoami(port: number): Promise<{ pid: number }> {
  const response = await rawRequest(port, ["GET /whoami HTTP/1.1", "Host: localhost"]);
  expect(response.status).toBe(200);
  return JSON.parse(new TextDecoder().decode(response.body));
}

/**
 * How soon a killed worker must be serving again: within 1 s, the goal on a quiet machine, or
 * within the server's own start-up time (arbiter and worker) on a machine too busy for that. A
 * replacement started at once is a worker's boot away, less than the whole start-up; one that
 * waits a second first, as the old supervisor did, is not.
 */
function replacedWithin(startupMs: number): number {
  return Math.max(1000, startupMs);
}

/**
 * The failed requests by connection: on one the victim had answered on (its requests in flight,
 * or written before the client saw the connection die: at most one per connection), on a new one
 * opened before the victim's process was gone (its listening socket still took connections while
 * the kernel tore the process down), and any other (lost by someone else: there must be none).
 */
function lost(failures: LoadStats["failures"], victim: number, deadAt: number) {
  return {
    onVictim: failures.filter((f) => f.pid === victim).length,
    intoTheDying: failures.filter((f) => f.pid === 0 && f.openedAt <= deadAt).length,
    other: failures.filter((f) => f.pid !== victim && !(f.pid === 0 && f.openedAt <= deadAt))
      .length,
  };
}

/** The pid of the worker that answers a new connection, or 0 when none does. */
function answering(port: number): Promise<number> {
  return whoami(port).then(({ pid }) => pid, () => 0);
}

for (const runtime of RUNTIMES) {
  describe(`${runtime}: the arbiter replaces a worker that dies`, () => {
    test(
      "kill -9 of one of two workers under load loses only its requests in flight; another serves within 1 s",
      async () => {
        const started = Date.now();
        const cli = runCli(runtime, {
          args: ["--workers", "2", "--apps", APPS, "--access-log", "off"],
        });
        try {
          const { port } = await cli.listening();
          const startup = Date.now() - started;
          const [first, second] = bootedPids(cli.stderr());
          const load = startLoad(port, "/whoami", 8, { pauseMs: 2 });
          await until(
            () => load.stats.byPid.size === 2 && load.stats.ok > 400,
            "both workers to serve",
          );
          // Each connection has at most one request in flight: those on the victim are all it may cost.
          const onVictim = load.connectionPids().filter((pid) => pid === first).length;
          const killedAt = Date.now();
          process.kill(first, "SIGKILL");
          const deadAt = whenGone(first);
          // The load's connections moved to the other worker at once; new ones find the
          // replacement as soon as it listens.
          let replacement = 0;
          await until(async () => {
            const pid = await answering(port);
            if (pid && pid !== first && pid !== second) replacement = pid;
            return replacement !== 0;
          }, "the replacement to serve");
          const servedAfter = Date.now() - killedAt;
          const okBefore = load.stats.ok;
          await until(() => load.stats.ok > okBefore + 200, "more answers");
          const stats = await load.stop();

          const losses = lost(stats.failures, first, await deadAt);
          expect({ ...losses, withinInFlight: losses.onVictim <= onVictim }).toMatchObject({
            withinInFlight: true,
            other: 0,
          });
          expect(stats.refused).toBe(0);
          expect(servedAfter).toBeLessThan(replacedWithin(startup));
          expect(cli.stderr()).toContain(`Worker ${first} was killed by SIGKILL`);
          expect(bootedPids(cli.stderr())).toEqual([first, second, replacement]);
          expect(second).not.toBe(replacement);
        } finally {
          cli.child.kill("SIGKILL");
        }
      },
      TIMEOUT,
    );

    test("kill -9 of the only worker: the port answers again within 1 s", async () => {
      const started = Date.now();
      const cli = runCli(runtime, { args: ["--apps", APPS, "--access-log", "off"] });
      try {
        const { port } = await cli.listening();
        const startup = Date.now() - started;
        const [only] = bootedPids(cli.stderr());
        const load = startLoad(port, "/whoami", 4, { pauseMs: 2 });
        await until(() => load.stats.ok > 200, "the worker to serve");
        const killedAt = Date.now();
        process.kill(only, "SIGKILL");
        const deadAt = whenGone(only);
        await until(() => load.stats.byPid.size === 2, "the replacement to serve");
        const stats = await load.stop();
        const replacement = bootedPids(cli.stderr())[1];
        expect(stats.firstSeen.get(replacement)! - killedAt).toBeLessThan(replacedWithin(startup));
        // New connections were refused until the replacement listened: not lost, and not failed.
        const losses = lost(stats.failures, only, await deadAt);
        expect({ ...losses, withinInFlight: losses.onVictim <= 4 }).toMatchObject({
          withinInFlight: true,
          other: 0,
        });
      } finally {
        cli.child.kill("SIGKILL");
      }
    }, TIMEOUT);

    test(
      "a worker stuck in `while (true) {}` is killed once silent for --timeout + 10 s, and replaced",
      async () => {
        const cli = runCli(runtime, {
          args: ["--apps", APPS, "--timeout", "1", "--access-log", "off"],
        });
        try {
          const { port } = await cli.listening();
          const [stuck] = bootedPids(cli.stderr());
          const spinning = rawRequest(port, ["GET /spin HTTP/1.1", "Host: localhost"], "", {
            timeoutMs: 30_000,
          }).catch((error) => error);
          await cli.waitFor(new RegExp(`Worker ${stuck} silent for \\d+ s; killed`), {
            stream: "stderr",
            ms: 30_000,
          });
          const silent = Number(
            new RegExp(`Worker ${stuck} silent for (\\d+) s`).exec(cli.stderr())![1],
          );
          expect(silent).toBeGreaterThanOrEqual(11);
          expect(await spinning).toBeInstanceOf(Error);
          await gone(stuck);
          await until(() => bootedPids(cli.stderr()).length === 2, "a replacement");
          const replacement = bootedPids(cli.stderr())[1];
          await until(
            async () => await answering(port) === replacement,
            "the replacement to serve",
          );
          // The kill was the arbiter's, logged once: no second line for the exit it caused.
          expect(cli.stderr()).not.toContain(`Worker ${stuck} was killed`);
        } finally {
          cli.child.kill("SIGKILL");
        }
      },
      TIMEOUT,
    );

    test("a worker the Python watchdog kills is replaced, and the app answers again", async () => {
      const cli = runCli(runtime, {
        args: ["--mount", `/bad=${MISBEHAVE_PY}`, "--timeout", "1", "--access-log", "off"],
      });
      try {
        const { url } = await cli.listening();
        const [first] = bootedPids(cli.stderr());
        expect(await (await fetch(`${url}bad/`)).text()).toBe("ok \n");
        const stuck = fetch(`${url}bad/stubborn`).then((r) => r.status, () => "closed");
        await cli.waitFor(/\[CRITICAL\] WORKER TIMEOUT/, { stream: "stderr", ms: 30_000 });
        expect(await stuck).toBe("closed");
        await cli.waitFor(new RegExp(`Worker ${first} was killed by SIGKILL`), {
          stream: "stderr",
        });
        await until(() => bootedPids(cli.stderr()).length === 2, "a replacement");
        let answer = "";
        await until(
          async () => {
            answer = await fetch(`${url}bad/`).then((r) => r.text(), () => "");
            return answer !== "";
          },
          "the replacement to answer",
          60_000,
        );
        expect(answer).toBe("ok \n");
      } finally {
        cli.child.kill("SIGKILL");
      }
    }, TIMEOUT);

    test("workers that crash again and again are restarted with a growing delay", async () => {
      const cli = runCli(runtime, { args: ["--apps", APPS, "--access-log", "off"] });
      try {
        const { port } = await cli.listening();
        for (let crash = 1; crash <= 3; crash++) {
          await until(() => bootedPids(cli.stderr()).length === crash, `worker ${crash}`);
          const pid = bootedPids(cli.stderr())[crash - 1];
          // The new worker listens once it answers.
          await until(
            async () => await answering(port) === pid,
            `worker ${pid} to serve`,
          );
          await rawRequest(port, ["GET /crash HTTP/1.1", "Host: localhost"]).catch(() => {});
          await cli.waitFor(new RegExp(`Worker ${pid} exited with code 3`), { stream: "stderr" });
        }
        expect(cli.stderr()).toMatch(/2 workers failed in a row; starting the next in 0\.1 s/);
        expect(cli.stderr()).toMatch(/3 workers failed in a row; starting the next in 0\.2 s/);
        await until(() => bootedPids(cli.stderr()).length === 4, "a fourth worker");
        await until(
          async () => await answering(port) !== 0,
          "an answer",
        );
      } finally {
        cli.child.kill("SIGKILL");
      }
    }, TIMEOUT);
  });

  describe(`${runtime}: the arbiter's signals`, () => {
    test(
      "SIGTERM with a stream in flight under --workers 2: the stream ends, a worker ignoring SIGTERM is killed past --graceful-timeout, exit 0, no child left",
      async () => {
        const cli = runCli(runtime, {
          args: ["--workers", "2", "--apps", APPS, "--graceful-timeout", "2"],
        });
        try {
          const { url, port } = await cli.listening();
          const workers = bootedPids(cli.stderr());
          // Make both workers ignore SIGTERM: ask until each has answered.
          const stubborn = new Set<number>();
          while (stubborn.size < 2) {
            const response = await rawRequest(port, ["GET /stubborn HTTP/1.1", "Host: localhost"]);
            stubborn.add(JSON.parse(new TextDecoder().decode(response.body)).pid);
          }
          const response = await fetch(`${url}slow?id=sigterm-${runtime}`);
          const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
          let body = (await reader.read()).value ?? "";
          const signalledAt = Date.now();
          cli.child.kill("SIGTERM");
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            body += value;
          }
          expect(body).toBe("chunk 1\nchunk 2\nchunk 3\nchunk 4\nchunk 5\n");
          expect(await cli.exitWithin(20_000)).toBe(0);
          const took = Date.now() - signalledAt;
          expect(took).toBeGreaterThanOrEqual(2000);
          expect(took).toBeLessThan(8000);
          for (const pid of workers) {
            expect(cli.stderr()).toContain(`ignoring SIGTERM ${pid}`);
            expect(cli.stderr()).toMatch(
              new RegExp(
                `Worker ${pid} still running 3 s after it was told to stop \\(--graceful-timeout 2\\); killed`,
              ),
            );
            await gone(pid, 5000);
          }
          expect(await descendants(cli.pid)).toEqual([]);
        } finally {
          cli.child.kill("SIGKILL");
        }
      },
      TIMEOUT,
    );

    test(
      "SIGHUP replaces the workers one by one, each new one listening before an old one retires, failing no request",
      async () => {
        const cli = runCli(runtime, {
          args: ["--workers", "2", "--apps", APPS, "--access-log", "off"],
        });
        try {
          const { port } = await cli.listening();
          const old = bootedPids(cli.stderr());
          const load = startLoad(port, "/whoami", 4);
          await until(() => load.stats.ok > 100, "answers");
          cli.child.kill("SIGHUP");
          await until(
            () => count(cli.stderr(), /Retiring worker/) === 2,
            "two retirements",
            40_000,
          );
          await Promise.all(old.map((pid) => gone(pid)));
          const fresh = bootedPids(cli.stderr()).slice(2);
          // The load's connections may all have moved to one of them: new ones find both.
          const seen = new Set<number>();
          await until(async () => {
            seen.add(await answering(port));
            return fresh.every((pid) => seen.has(pid));
          }, "both new workers to serve");
          const stats = await load.stop();
          expect(stats.failed).toBe(0);
          expect(stats.refused).toBe(0);
          expect(fresh).toHaveLength(2);
          // One by one: the second new worker boots only once the first old one retires.
          const log = cli.stderr();
          const at = (text: string) => log.indexOf(text);
          expect(at("SIGHUP: replacing the workers one by one")).toBeGreaterThan(-1);
          expect(at(`Booting worker with pid ${fresh[0]}`)).toBeGreaterThan(at("SIGHUP"));
          expect(at(`Retiring worker ${old[0]}`)).toBeGreaterThan(
            at(`Booting worker with pid ${fresh[0]}`),
          );
          expect(at(`Booting worker with pid ${fresh[1]}`)).toBeGreaterThan(
            at(`Retiring worker ${old[0]}`),
          );
          expect(at(`Retiring worker ${old[1]}`)).toBeGreaterThan(
            at(`Booting worker with pid ${fresh[1]}`),
          );
        } finally {
          cli.child.kill("SIGKILL");
        }
      },
      TIMEOUT,
    );

    test("SIGTTIN adds a worker and SIGTTOU retires one", async () => {
      const cli = runCli(runtime, { args: ["--apps", APPS, "--access-log", "off"] });
      try {
        await cli.listening();
        const [first] = bootedPids(cli.stderr());
        cli.child.kill("SIGTTIN");
        await cli.waitFor(/SIGTTIN: 2 workers/, { stream: "stderr" });
        await until(() => bootedPids(cli.stderr()).length === 2, "a second worker");
        const second = bootedPids(cli.stderr())[1];
        await until(async () => (await descendants(cli.pid)).includes(second), "the second worker");
        cli.child.kill("SIGTTOU");
        await cli.waitFor(new RegExp(`Retiring worker ${first} \\(SIGTTOU\\)`), {
          stream: "stderr",
        });
        await gone(first);
        expect(await descendants(cli.pid)).toEqual([second]);
      } finally {
        cli.child.kill("SIGKILL");
      }
    }, TIMEOUT);

    test(
      "Ctrl-C (SIGINT to the whole process group) stops the workers once, through the arbiter",
      async () => {
        const cli = runCli(runtime, { args: ["--workers", "2", "--apps", APPS] });
        try {
          const { url } = await cli.listening();
          const response = await fetch(`${url}slow?id=ctrl-c-${runtime}`);
          const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
          let body = (await reader.read()).value ?? "";
          // runCli makes the arbiter lead its own process group, as a shell does for a job.
          process.kill(-cli.pid, "SIGINT");
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            body += value;
          }
          expect(body).toBe("chunk 1\nchunk 2\nchunk 3\nchunk 4\nchunk 5\n");
          expect(await cli.exitWithin(20_000)).toBe(0);
          expect(cli.stderr()).toContain("SIGINT: stopping the workers");
          expect(cli.stderr()).not.toMatch(/Worker \d+ (exited|was killed)/);
          expect(bootedPids(cli.stderr())).toHaveLength(2);
        } finally {
          cli.child.kill("SIGKILL");
        }
      },
      TIMEOUT,
    );

    test("a second SIGTERM kills the workers at once", async () => {
      const cli = runCli(runtime, { args: ["--apps", APPS, "--access-log", "off"] });
      try {
        const { url } = await cli.listening();
        const [worker] = bootedPids(cli.stderr());
        const response = await fetch(`${url}slow?id=twice-${runtime}`);
        const reader = response.body!.getReader();
        await reader.read();
        cli.child.kill("SIGTERM");
        await cli.waitFor(/SIGTERM: stopping the workers/, { stream: "stderr" });
        cli.child.kill("SIGTERM");
        expect(await cli.exitWithin(20_000)).toBe(0);
        expect(cli.stderr()).toContain("SIGTERM again: killing the workers");
        await gone(worker, 5000);
        // The stream was cut short, not finished: its close() never ran.
        expect(cli.stderr()).not.toContain(`closed twice-${runtime}`);
        await reader.cancel().catch(() => {});
      } finally {
        cli.child.kill("SIGKILL");
      }
    }, TIMEOUT);

    test(
      "workers whose arbiter was killed with SIGKILL stop by themselves, freeing the port",
      async () => {
        const cli = runCli(runtime, {
          args: ["--workers", "2", "--apps", APPS, "--access-log", "off"],
        });
        try {
          const { port } = await cli.listening();
          const workers = bootedPids(cli.stderr());
          process.kill(cli.pid, "SIGKILL");
          await Promise.all(workers.map((pid) => gone(pid, 10_000)));
          expect(await answering(port)).toBe(0);
          expect(cli.stderr()).toContain("The arbiter is gone; stopping");
        } finally {
          cli.child.kill("SIGKILL");
        }
      },
      TIMEOUT,
    );
  });
}

describe("deno: without every permission", () => {
  test("mod.ts serves in one process, and says so", async () => {
    const cli = runCli("deno", {
      denoFlags: ["--allow-read", "--allow-net", "--allow-env", "--allow-sys"],
      args: ["--apps", APPS],
    });
    try {
      const { port } = await cli.listening();
      expect(await answering(port)).toBe(cli.pid);
      expect(cli.stderr()).toContain(
        "Without every permission (-A) no worker can be started: serving in this process",
      );
      expect(bootedPids(cli.stderr())).toEqual([]);
    } finally {
      cli.child.kill("SIGKILL");
    }
  }, TIMEOUT);

  test("mod.ts --workers 2 is one line and exit 2", async () => {
    const cli = runCli("deno", {
      denoFlags: ["-A", "--deny-write"],
      args: ["--workers", "2", "--apps", APPS],
    });
    expect(await cli.exitWithin(30_000)).toBe(2);
    expect(cli.stderr().trim().split("\n")).toEqual([
      "edge-wsgi: --workers 2 starts each worker with every permission (deno run -A): run with -A too",
    ]);
  }, TIMEOUT);
});
