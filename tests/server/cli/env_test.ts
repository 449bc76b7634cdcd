import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import process from "node:process";
import { readAllEnv, readEnv, readEnvVars } from "../../../src/server/cli/env.ts";
import { fromFileUrl, join } from "../../../src/base/path.ts";

const ROOT = fromFileUrl(new URL("../../../", import.meta.url));
const DENO = join(ROOT, "node_modules", ".bin", "deno");
const ENV_TS = join(ROOT, "src", "server", "cli", "env.ts");

/** Runs a snippet importing env.ts under `deno run` with `flags`, and returns what it printed. */
function denoPrints(flags: string[], snippet: string): string {
  const code = `import { readAllEnv, readEnv, readEnvVars } from ${JSON.stringify(ENV_TS)};\n` +
    snippet;
  const result = spawnSync(DENO, ["run", ...flags, "-"], {
    input: code,
    env: { ...process.env, EDGE_TEST_VAR: "set", NO_COLOR: "1" },
    encoding: "utf8",
  });
  expect(result.stderr).not.toMatch(/error|NotCapable/i);
  expect(result.status).toBe(0);
  return result.stdout.trim();
}

describe("readEnv()", () => {
  test("returns a variable's value, and undefined for one not set", () => {
    process.env.EDGE_TEST_VAR = "value";
    expect(readEnv("EDGE_TEST_VAR")).toBe("value");
    delete process.env.EDGE_TEST_VAR;
    expect(readEnv("EDGE_TEST_VAR")).toBeUndefined();
  });

  test("treats a read Deno forbids (no --allow-env) as unset", () => {
    const printed = denoPrints(
      ["--allow-read"],
      'console.log(JSON.stringify([readEnv("EDGE_TEST_VAR") ?? null, readEnvVars(["EDGE_TEST_VAR", "HOME"]), readAllEnv()]));',
    );
    expect(JSON.parse(printed)).toEqual([null, {}, {}]);
  });

  test("reads the variable under deno run --allow-env", () => {
    const printed = denoPrints(
      ["--allow-read", "--allow-env"],
      'console.log(JSON.stringify([readEnv("EDGE_TEST_VAR"), readEnvVars(["EDGE_TEST_VAR"]), readAllEnv().EDGE_TEST_VAR]));',
    );
    expect(JSON.parse(printed)).toEqual(["set", { EDGE_TEST_VAR: "set" }, "set"]);
  });
});

describe("readEnvVars()", () => {
  test("holds only the names that are set", () => {
    process.env.EDGE_TEST_A = "a";
    delete process.env.EDGE_TEST_B;
    try {
      expect(readEnvVars(["EDGE_TEST_A", "EDGE_TEST_B"])).toEqual({ EDGE_TEST_A: "a" });
    } finally {
      delete process.env.EDGE_TEST_A;
    }
  });
});

describe("readAllEnv()", () => {
  test("returns a copy, so changing it changes nothing", () => {
    const env = readAllEnv();
    env.EDGE_TEST_COPY = "x";
    expect(process.env.EDGE_TEST_COPY).toBeUndefined();
  });
});
