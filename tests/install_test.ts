/**
 * Installing the project as a new user does: `npm ci` on a fresh clone must find every package
 * in `package-lock.json` (for every platform, not only this machine's), and `npm install` must
 * not warn about install scripts. Each check runs the real `npm` on a copy of `package.json`
 * and `package-lock.json` in a temporary folder, offline (`--dry-run` reads no registry), and is
 * shown to fail on a lockfile or manifest broken on purpose.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { fromFileUrl, join } from "../src/base/path.ts";

const TIMEOUT = 60_000;
const ROOT = fromFileUrl(new URL("../", import.meta.url));
const PACKAGE = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8"));
const LOCK = JSON.parse(await readFile(join(ROOT, "package-lock.json"), "utf8"));
// The npm packages that carry the runtimes' binaries, one optional dependency per platform:
// Deno, Bun, and workerd and esbuild, which wrangler runs.
const RUNTIME_PACKAGES = ["deno", "bun", "workerd", "esbuild"];

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "edge-wsgi-install-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Runs `npm args` on a copy of the manifest and lockfile (each changeable) and returns it. */
async function npm(
  args: string[],
  change: { manifest?: (m: typeof PACKAGE) => void; lock?: (l: typeof LOCK) => void } = {},
) {
  const manifest = structuredClone(PACKAGE);
  const lock = structuredClone(LOCK);
  change.manifest?.(manifest);
  change.lock?.(lock);
  await writeFile(join(scratch, "package.json"), JSON.stringify(manifest, null, 2));
  await writeFile(join(scratch, "package-lock.json"), JSON.stringify(lock, null, 2));
  const result = spawnSync("npm", [...args, "--dry-run", "--offline", "--no-audit", "--no-fund"], {
    cwd: scratch,
    encoding: "utf8",
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe("package-lock.json", () => {
  for (const name of RUNTIME_PACKAGES) {
    test(`holds every platform package of ${name} at the locked version`, async () => {
      const locked = LOCK.packages[`node_modules/${name}`];
      const installed = JSON.parse(
        await readFile(join(ROOT, "node_modules", name, "package.json"), "utf8"),
      );
      expect(installed.version).toBe(locked.version);
      const platforms = Object.entries(installed.optionalDependencies as Record<string, string>);
      expect(platforms.length).toBeGreaterThan(4);
      for (const [platform, version] of platforms) {
        const entry = LOCK.packages[`node_modules/${platform}`];
        expect({ platform, version: entry?.version }).toEqual({ platform, version });
        expect(entry.integrity).toStartWith("sha512-");
        expect(entry.optional).toBe(true);
      }
    });
  }

  test("satisfies npm ci: nothing is missing from the lock file", async () => {
    const { status, output } = await npm(["ci", "--ignore-scripts"]);
    expect(output).not.toContain("Missing:");
    expect(status).toBe(0);
  }, TIMEOUT);

  test("fails npm ci when one platform package is missing (the check is real)", async () => {
    const { status, output } = await npm(["ci", "--ignore-scripts"], {
      lock: (lock) => delete lock.packages["node_modules/@deno/darwin-arm64"],
    });
    expect(output).toContain("Missing: @deno/darwin-arm64");
    expect(status).not.toBe(0);
  }, TIMEOUT);
});

describe("npm install", () => {
  test("prints no install-scripts warning: allowScripts covers every install script", async () => {
    // esbuild's and workerd's scripts only check (or swap in) the binary their platform
    // package already holds, and sharp's checks for an image library miniflare never loads:
    // denied, and wrangler and workerd run all the same (tests/workerd_test.ts).
    expect(PACKAGE.allowScripts).toEqual({
      bun: true,
      deno: true,
      esbuild: false,
      workerd: false,
      sharp: false,
    });
    const { status, output } = await npm(["install"]);
    expect(output).not.toContain("allowScripts");
    expect(status).toBe(0);
  }, TIMEOUT);

  test("warns without allowScripts (the check is real)", async () => {
    const { output } = await npm(["install"], {
      manifest: (manifest) => delete manifest.allowScripts,
    });
    expect(output).toContain("not yet covered by allowScripts");
  }, TIMEOUT);
});

describe(".ci/run", () => {
  test("installs with npm ci, as a fresh clone does, then runs npm test", async () => {
    const script = await readFile(join(ROOT, ".ci", "run"), "utf8");
    expect(script).toMatch(/^npm ci && npm test$/m);
  });
});
