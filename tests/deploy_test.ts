/**
 * Deno Deploy, as far as it can be proved offline. Deploy runs the `deploy.runtime.entrypoint`
 * of `deno.json` as `deno run` would, with every permission, no runtime flags and `DENO_DEPLOY`
 * set to `true`. So: the entry serves the demo site under `deno run -A`, with no write access,
 * with `DENO_DEPLOY=true`, and even without `--allow-env`; what cannot work there (`--workers`,
 * `--reload`) is one line and exit 2. Real `deno run` processes, killed in `finally`/`afterAll`.
 */

import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { fromFileUrl, join } from "../src/base/path.ts";
import { type CliProcess, killAll, runCli } from "./support/cli_process.ts";

const TIMEOUT = 60_000;
const ROOT = fromFileUrl(new URL("../", import.meta.url));
const DENO_JSON = JSON.parse(readFileSync(join(ROOT, "deno.json"), "utf8"));
// Deploy passes these to the entrypoint; every run below that stands for Deploy passes them too.
const DEPLOY_ARGS: string[] = DENO_JSON.deploy.runtime.args ?? [];

afterAll(killAll);

/** Asserts that `cli` serves the demo site: the landing page and a demo app. */
async function expectDemoSite(cli: CliProcess): Promise<void> {
  try {
    const { url } = await cli.listening();
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>edge-wsgi");
    const hello = await fetch(`${url}apps/hello/Deploy`);
    expect(hello.status).toBe(200);
    expect(await hello.text()).toContain("Deploy");
    expect(cli.stderr()).not.toMatch(/NotCapable|PermissionDenied|^\s+at /m);
  } finally {
    cli.child.kill("SIGKILL");
  }
}

describe("deno.json deploy key", () => {
  test("names a dynamic app whose entrypoint is mod.ts, finishing requests within Deploy's 5 s", () => {
    expect(DENO_JSON.deploy.runtime.type).toBe("dynamic");
    expect(DENO_JSON.deploy.runtime.entrypoint).toBe("./mod.ts");
    // Deploy sends SIGINT to an instance it stops and SIGKILL 5 s later.
    expect(DEPLOY_ARGS).toEqual(["--graceful-timeout", "4"]);
  });
});

describe("the Deno Deploy entrypoint", () => {
  test("serves the demo site under deno run -A", async () => {
    await expectDemoSite(runCli("deno", { denoFlags: ["-A"], args: DEPLOY_ARGS }));
  }, TIMEOUT);

  test("serves the demo site with every permission but write", async () => {
    await expectDemoSite(runCli("deno", { denoFlags: ["-A", "--deny-write"] }));
  }, TIMEOUT);

  test("serves the demo site with only read, net, env and sys permissions", async () => {
    await expectDemoSite(
      runCli("deno", { denoFlags: ["--allow-read", "--allow-net", "--allow-env", "--allow-sys"] }),
    );
  }, TIMEOUT);

  test("serves the demo site with DENO_DEPLOY=true", async () => {
    await expectDemoSite(runCli("deno", { args: DEPLOY_ARGS, env: { DENO_DEPLOY: "true" } }));
  }, TIMEOUT);

  test("serves the demo site without --allow-env, as if no variable were set", async () => {
    // PORT cannot be read without --allow-env, so the port comes from the command line; an env
    // value that would break start-up (a bad PORT) must go unread, not kill the server.
    await expectDemoSite(
      runCli("deno", {
        denoFlags: ["--allow-read", "--allow-net"],
        args: ["--port", "0"],
        env: { PORT: "not-a-port", WORKERS: "4" },
      }),
    );
  }, TIMEOUT);
});

describe("what cannot run on Deno Deploy", () => {
  const cases: [string, { args?: string[]; env?: Record<string, string> }, string][] = [
    ["--workers 2", { args: ["--workers", "2"] }, "--workers"],
    ["--reload", { args: ["--reload"] }, "--reload"],
    ["WORKERS=3", { env: { WORKERS: "3" } }, "--workers"],
    ["RELOAD=1", { env: { RELOAD: "1" } }, "--reload"],
  ];
  for (const [label, options, name] of cases) {
    test(`${label} under DENO_DEPLOY=true is one line and exit 2`, async () => {
      const cli = runCli("deno", {
        args: [...DEPLOY_ARGS, ...options.args ?? []],
        env: { ...options.env, DENO_DEPLOY: "true" },
      });
      expect(await cli.exitWithin(30_000)).toBe(2);
      const lines = cli.stderr().trimEnd().split("\n");
      expect(lines).toEqual([
        `edge-wsgi: ${name} cannot run on Deno Deploy (DENO_DEPLOY is set), which starts and ` +
        "scales instances itself",
      ]);
      expect(cli.stdout()).toBe("");
    }, TIMEOUT);
  }

  test("--workers 2 without DENO_DEPLOY still starts", async () => {
    const cli = runCli("deno", { args: ["--workers", "2"] });
    try {
      const { url } = await cli.listening();
      expect((await fetch(url)).status).toBe(200);
    } finally {
      cli.child.kill("SIGTERM");
      await cli.exitWithin(15_000);
    }
  }, TIMEOUT);
});
