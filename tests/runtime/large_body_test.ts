/**
 * A request body larger than the runtime's own default limit (Bun's `maxRequestBodySize`,
 * 128 MiB) reaches the app, over real HTTP on both runtimes: `--max-body-size` (default 1 GiB)
 * is the one limit, enforced by edge-wsgi (413).
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type CliProcess, runCli } from "../support/cli_process.ts";
import { RUNTIMES } from "../support/server_process.ts";
import { fromFileUrl } from "../../src/base/path.ts";

const APP = fromFileUrl(new URL("../fixtures/apps/count_body.ts", import.meta.url));
const SIZE = 130 * 1024 * 1024;

for (const runtime of RUNTIMES) {
  describe(`${runtime}: a body over 128 MiB`, () => {
    let server: CliProcess;
    let url: string;
    beforeAll(async () => {
      server = runCli(runtime, { args: ["--mount", `/count=${APP}`, "--access-log", "off"] });
      ({ url } = await server.listening());
    }, 60_000);
    afterAll(() => server?.child.kill("SIGKILL"));

    test("reaches the app whole under the default --max-body-size", async () => {
      const response = await fetch(`${url}count`, { method: "POST", body: new Uint8Array(SIZE) });
      expect(`${response.status} ${await response.text()}`).toBe(`200 read ${SIZE}`);
    }, 60_000);

    test("over --max-body-size is still a 413", async () => {
      const small = runCli(runtime, {
        args: ["--mount", `/count=${APP}`, "--access-log", "off", "--max-body-size", "1000"],
      });
      try {
        const { url } = await small.listening();
        const response = await fetch(`${url}count`, { method: "POST", body: new Uint8Array(1001) });
        expect(response.status).toBe(413);
      } finally {
        small.child.kill("SIGKILL");
      }
    }, 60_000);
  });
}
