/**
 * edge-wsgi as a dependency of another project, the way each ecosystem expects: a throwaway
 * project in a temporary folder outside this repository imports the library, serves a WSGI app
 * with `serve()`, and answers a request over HTTP. Everything is offline: Deno links our folder
 * as the JSR package (`"links"`) or imports `mod.ts` by path; Bun links it with `bun link`.
 * Real `deno run` and `bun run` processes, killed in `finally`.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import process from "node:process";
import { fromFileUrl, join } from "../src/base/path.ts";

const TIMEOUT = 90_000;
const ROOT = fromFileUrl(new URL("../", import.meta.url)).replace(/\/$/, "");
const BIN = join(ROOT, "node_modules", ".bin");
const PACKAGE = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8"));
const DENO_JSON = JSON.parse(await readFile(join(ROOT, "deno.json"), "utf8"));

/** The consumer's program: the same source for every case, only the specifier differs. */
function program(specifier: string): string {
  return `import { serve, type WsgiApp } from ${JSON.stringify(specifier)};

const app: WsgiApp = (environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "text/plain; charset=utf-8"]]);
  return [\`consumer saw \${environ.REQUEST_METHOD} \${environ.PATH_INFO}\\n\`];
};
const server = serve(app, { port: 0 });
console.log(\`READY \${server.url}\`);
`;
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "edge-wsgi-consumer-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Writes `files` into a new project folder under the scratch folder and returns its path. */
async function project(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(scratch, name);
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  return dir;
}

/** Runs `command` in `cwd` until it prints READY, asks it for a page, and kills it. */
async function servesARequest(command: string[], cwd: string, env: Record<string, string> = {}) {
  const child: ChildProcess = spawn(command[0], command.slice(1), {
    cwd,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (data) => output += data);
  child.stderr!.on("data", (data) => output += data);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No READY in 60 s:\n${output}`)), 60_000);
      child.stdout!.on("data", () => {
        const match = /READY (http:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`${command.join(" ")} exited with ${code}:\n${output}`));
      });
    });
    const response = await fetch(`${url}from/outside`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("consumer saw GET /from/outside\n");
  } finally {
    child.kill("SIGKILL");
  }
}

describe("the package metadata", () => {
  test("deno.json is a JSR package exporting mod.ts, and workers.ts as ./workers", () => {
    expect(DENO_JSON.name).toBe("@edge-wsgi/edge-wsgi");
    expect(DENO_JSON.version).toBe(PACKAGE.version);
    expect(DENO_JSON.exports).toEqual({ ".": "./mod.ts", "./workers": "./workers.ts" });
    expect(DENO_JSON.license).toBe(PACKAGE.license);
  });

  test("package.json exports mod.ts with its types and ships what mod.ts needs", () => {
    expect(PACKAGE.exports["."]).toEqual({ types: "./mod.ts", default: "./mod.ts" });
    expect(PACKAGE.exports["./workers"]).toEqual({
      types: "./workers.ts",
      default: "./workers.ts",
    });
    for (const needed of ["mod.ts", "workers.ts", "src/", "examples/", "public/"]) {
      expect(PACKAGE.files).toContain(needed);
    }
  });

  test("deno publish --dry-run passes, with no slow types", () => {
    const result = spawnSync(join(BIN, "deno"), ["publish", "--dry-run", "--allow-dirty"], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1" },
      encoding: "utf8",
    });
    expect(result.stderr + result.stdout).toContain("Dry run complete");
    expect(result.stderr).not.toContain("slow-type");
    expect(result.status).toBe(0);
    // What a user of the package needs is in it; the test suite and benchmarks are not.
    const files = result.stdout + result.stderr;
    expect(files).toContain("/mod.ts");
    expect(files).toContain("/public/index.html");
    expect(files).not.toContain("/tests/");
    expect(files).not.toContain("/bench/");
  }, TIMEOUT);
});

// Imports the Workers entry and says what it exports: toWorker, createApp, and no serve().
const WORKERS_CHECK = `import * as workers from "ENTRY";
console.log(typeof workers.toWorker, typeof workers.createApp, "serve" in workers);
`;

describe("a Deno project using edge-wsgi", () => {
  test("links our folder as the JSR package and imports it by name", async () => {
    const dir = await project("deno-linked", {
      "deno.json": JSON.stringify({
        links: [ROOT],
        imports: {
          "edge-wsgi": `jsr:${DENO_JSON.name}@^${DENO_JSON.version}`,
          "edge-wsgi/workers": `jsr:${DENO_JSON.name}@^${DENO_JSON.version}/workers`,
        },
      }),
      "main.ts": program("edge-wsgi"),
      "workers.ts": WORKERS_CHECK.replace("ENTRY", "edge-wsgi/workers"),
    });
    await servesARequest([join(BIN, "deno"), "run", "-A", "main.ts"], dir);
    const workers = spawnSync(join(BIN, "deno"), ["run", "-A", "workers.ts"], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: "1" },
      encoding: "utf8",
    });
    expect(workers.stdout.trim()).toBe("function function false");
  }, TIMEOUT);

  test("imports mod.ts by path, with hono in its own imports", async () => {
    const dir = await project("deno-path", {
      "deno.json": JSON.stringify({ imports: { hono: DENO_JSON.imports.hono } }),
      "main.ts": program(join(ROOT, "mod.ts")),
    });
    await servesARequest([join(BIN, "deno"), "run", "-A", "main.ts"], dir);
  }, TIMEOUT);
});

describe("a Bun project using edge-wsgi", () => {
  test("adds it with bun link and imports it by its npm name", async () => {
    const dir = await project("bun-linked", {
      "package.json": JSON.stringify({ name: "consumer", private: true, type: "module" }),
      "main.ts": program(PACKAGE.name),
    });
    // bun link records the package in BUN_INSTALL's global folder: keep that in the scratch.
    const env = { BUN_INSTALL: join(scratch, "bun-home") };
    for (const [cwd, args] of [[ROOT, ["link"]], [dir, ["link", PACKAGE.name]]] as const) {
      const result = spawnSync(join(BIN, "bun"), args, {
        cwd,
        env: { ...process.env, ...env },
        encoding: "utf8",
      });
      expect(result.status).toBe(0);
    }
    await servesARequest([join(BIN, "bun"), "run", "main.ts"], dir, env);
    // The Workers entry resolves by its subpath, and holds no serve().
    await writeFile(
      join(dir, "workers.ts"),
      WORKERS_CHECK.replace("ENTRY", `${PACKAGE.name}/workers`),
    );
    const workers = spawnSync(join(BIN, "bun"), ["run", "workers.ts"], {
      cwd: dir,
      env: { ...process.env, ...env },
      encoding: "utf8",
    });
    expect(workers.stdout.trim()).toBe("function function false");
  }, TIMEOUT);
});
