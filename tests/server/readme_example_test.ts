/**
 * The README's "A WSGI app in 20 seconds", run as a user runs it (`deno run -A hello.ts`,
 * `bun run hello.ts`): it says where it listens, answers, stays quiet under `validator()`, and
 * on Ctrl-C finishes the request in flight before it exits.
 */

import { afterAll, describe, expect, test } from "bun:test";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { fromFileUrl, join } from "../../src/base/path.ts";
import { type RuntimeName, RUNTIMES } from "../support/server_process.ts";

// The README's upload app, unchanged, behind a wrapper that says on standard error when a
// request reaches it: the test's signal that the upload is in flight.
const ANNOUNCED = "const announced = (environ, startResponse) => {\n" +
  '  console.error("upload started");\n' +
  "  return upload(environ, startResponse);\n};\n";

const ROOT = fromFileUrl(new URL("../../", import.meta.url));
const COMMANDS: Record<RuntimeName, string[]> = {
  deno: [join(ROOT, "node_modules/.bin/deno"), "run", "-A"],
  bun: [join(ROOT, "node_modules/.bin/bun"), "run"],
};
const LISTENING = /^Listening on (http:\/\/127\.0\.0\.1:(\d+)\/)$/m;

/** The README's code blocks under a heading, in order. */
async function readmeBlocks(heading: string): Promise<string[]> {
  const readme = await readFile(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf(heading)).split(/\n## /)[0];
  return [...section.matchAll(/```ts\n([^]*?)```/g)].map((match) => match[1]);
}

const [example, upload] = await readmeBlocks("## A WSGI app in 20 seconds");
// "Save it as hello.ts next to mod.ts": in a folder of the project, which finds its deno.json.
const dir = await mkdtemp(join(ROOT, ".readme-example-"));
const children = new Set<ChildProcess>();
afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await rm(dir, { recursive: true, force: true });
});

/** Saves the example (with `edit` applied) "next to mod.ts", on a free port, and runs it. */
async function run(runtime: RuntimeName, name: string, edit: (code: string) => string = (c) => c) {
  const code = edit(example)
    .replace('from "./mod.ts"', 'from "../mod.ts"')
    .replace("port: 8000", "port: 0");
  const path = join(dir, `${name}_${runtime}.ts`);
  await writeFile(path, code);
  const [command, ...args] = COMMANDS[runtime];
  const child = spawn(command, [...args, path], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (data) => stdout += data);
  child.stderr!.on("data", (data) => stderr += data);
  const exited = new Promise<number | string>((resolve) =>
    child.on("exit", (code, signal) => {
      children.delete(child);
      resolve(code ?? signal ?? "unknown");
    })
  );
  const deadline = Date.now() + 30_000;
  while (!LISTENING.test(stdout)) {
    if (Date.now() > deadline || children.has(child) === false) {
      throw new Error(`${name} did not listen:\n${stdout}\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const [, url, port] = LISTENING.exec(stdout)!;
  return { child, url, port: Number(port), exited, stdout: () => stdout, stderr: () => stderr };
}

for (const runtime of RUNTIMES) {
  describe(`${runtime}: the README's 20-second example`, () => {
    test("prints where it listens and answers", async () => {
      const server = await run(runtime, "hello");
      const response = await fetch(`${server.url}docs`);
      expect(await response.text()).toBe("Hello from /docs\n");
      server.child.kill("SIGINT");
      expect(await server.exited).toBe(0);
      expect(server.stderr()).toBe("");
    }, 60_000);

    test("wrapped in validator(), it logs no warning for its string chunks", async () => {
      const server = await run(runtime, "validated", (code) =>
        code
          .replace("import { serve,", "import { serve, validator,")
          .replace("serve(hello,", "serve(validator(hello),"));
      for (let i = 0; i < 3; i++) {
        expect(await (await fetch(`${server.url}x`)).text()).toBe("Hello from /x\n");
      }
      server.child.kill("SIGINT");
      expect(await server.exited).toBe(0);
      expect(server.stderr()).toBe("");
    }, 60_000);

    test(
      "Ctrl-C lets a response in flight finish (close() called), then exits with 0",
      async () => {
        const server = await run(runtime, "slow", (code) =>
          code
            .replace(/serve\(hello,[^\n]*\n/, "")
            .concat('import { application as slow } from "../tests/fixtures/apps/slow.ts";\n')
            .concat("serve(slow, { port: 8000 });\n"));
        const response = await fetch(`${server.url}?id=r1`);
        const reader = response.body!.getReader();
        const first = await reader.read();
        expect(new TextDecoder().decode(first.value)).toBe("chunk 1\n");
        server.child.kill("SIGINT");
        let rest = "";
        for (let part = await reader.read(); !part.done; part = await reader.read()) {
          rest += new TextDecoder().decode(part.value);
        }
        expect(rest).toBe("chunk 2\nchunk 3\nchunk 4\nchunk 5\n");
        expect(await server.exited).toBe(0);
        expect(server.stderr()).toContain("closed r1");
      },
      60_000,
    );

    // Deno's shutdown() closes the read side of open connections: a body still arriving is cut
    // short there (README, "Workers and graceful shutdown"). Bun lets it arrive.
    if (runtime === "bun") {
      test(
        "Ctrl-C lets an upload in flight arrive and be answered (the README's upload app)",
        async () => {
          const server = await run(
            runtime,
            "upload",
            (code) =>
              `${
                code.replace(/serve\(hello,[^\n]*\n/, "")
              }\n${upload}\n${ANNOUNCED}serve(announced, { port: 8000 });\n`,
          );
          // The app is running, waiting for the rest of the body, once it says so.
          const running = new Promise<void>((resolve) => {
            const check = () => server.stderr().includes("upload started") && resolve();
            server.child.stderr!.on("data", check);
            check();
          });
          const socket = connect(server.port, "127.0.0.1");
          let received = "";
          socket.on("data", (data) => received += data);
          socket.on("error", () => {});
          const closed = new Promise((resolve) => socket.on("close", resolve));
          await new Promise((resolve) => socket.on("connect", resolve));
          socket.write(
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nConnection: close\r\n\r\n12345",
          );
          await running;
          server.child.kill("SIGINT");
          await new Promise((resolve) => setTimeout(resolve, 300));
          socket.write("67890");
          await closed;
          expect(received).toStartWith("HTTP/1.1 200 OK\r\n");
          expect(received).toContain("10 bytes\n");
          expect(await server.exited).toBe(0);
        },
        60_000,
      );
    }
  });
}
