/**
 * Recycling workers over real processes, on both runtimes: `--max-requests` (with its jitter)
 * and `--max-worker-memory` replace a worker gracefully, a new one taking the port before the old
 * one drains, so keep-alive load sees no failed request. Every process is killed in `finally`
 * and `afterAll`.
 */

import { afterAll, describe, expect, test } from "bun:test";
import { killAll, runCli } from "../../support/cli_process.ts";
import { startLoad } from "../../support/load_client.ts";
import { rawRequest } from "../../support/raw_http.ts";
import { RUNTIMES } from "../../support/server_process.ts";
import { bootedPids, count, gone, until } from "../../support/workers.ts";

const TIMEOUT = 90_000;
const APPS = "tests/fixtures/worker_apps";

afterAll(killAll);

for (const runtime of RUNTIMES) {
  describe(`${runtime}: recycling workers`, () => {
    test(
      "--max-requests replaces workers under keep-alive load with 0 failed requests",
      async () => {
        const cli = runCli(runtime, {
          args: [
            "--workers",
            "2",
            "--apps",
            APPS,
            "--access-log",
            "off",
            "--max-requests",
            "300",
            "--max-requests-jitter",
            "50",
          ],
        });
        try {
          const { port } = await cli.listening();
          const first = bootedPids(cli.stderr());
          const load = startLoad(port, "/whoami", 8);
          await until(
            () => count(cli.stderr(), /Retiring worker/) >= 3,
            "three retirements",
            60_000,
          );
          const retired = [...cli.stderr().matchAll(/Retiring worker (\d+)/g)].map((m) =>
            Number(m[1])
          );
          await Promise.all(retired.map((pid) => gone(pid)));
          const stats = await load.stop();

          expect(stats.failed).toBe(0);
          expect(stats.refused).toBe(0);
          expect(retired.slice(0, 2).sort()).toEqual([...first].sort());
          for (const pid of first) {
            const served = stats.byPid.get(pid)!;
            // Each served its 300 to 350 requests, and those in flight when its replacement listened.
            expect(served).toBeGreaterThanOrEqual(300);
            expect(cli.stderr()).toMatch(
              new RegExp(
                `Worker ${pid} served 3[0-5]\\d requests \\(--max-requests\\): starting its replacement`,
              ),
            );
          }
          expect(stats.byPid.size).toBeGreaterThanOrEqual(4);
        } finally {
          cli.child.kill("SIGKILL");
        }
      },
      TIMEOUT,
    );

    test("--max-worker-memory replaces a worker grown past it", async () => {
      const cli = runCli(runtime, {
        args: ["--apps", APPS, "--access-log", "off", "--max-worker-memory", "400M"],
      });
      try {
        const { port } = await cli.listening();
        const [hog] = bootedPids(cli.stderr());
        const response = await rawRequest(port, ["GET /hog?mb=500 HTTP/1.1", "Host: localhost"]);
        expect(new TextDecoder().decode(response.body)).toBe("held 500 MiB");
        await cli.waitFor(
          new RegExp(
            `Worker ${hog} uses \\d+ MiB of memory, over --max-worker-memory 400 MiB: starting its replacement`,
          ),
          { stream: "stderr" },
        );
        await cli.waitFor(new RegExp(`Retiring worker ${hog}`), { stream: "stderr" });
        await gone(hog);
        const [, fresh] = bootedPids(cli.stderr());
        const answer = await rawRequest(port, ["GET /whoami HTTP/1.1", "Host: localhost"]);
        expect(JSON.parse(new TextDecoder().decode(answer.body)).pid).toBe(fresh);
      } finally {
        cli.child.kill("SIGKILL");
      }
    }, TIMEOUT);
  });
}
