/**
 * The server's options over the wire: `deno run -A mod.ts …` and `bun run mod.ts …` with
 * `--apps`, `--mount`, the access and error logs, trusted proxies, the body limit, the root
 * path, `--debug`, `--workers`, graceful shutdown and `--reload`. Every child is killed in
 * `afterAll`, and in `finally` where a test starts its own.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { type AddressInfo, connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import process from "node:process";
import { OPTIONS } from "../../../src/server/cli/options.ts";
import { join } from "../../../src/base/path.ts";
import {
  type CliProcess,
  descendants,
  isRunning,
  killAll,
  runCli,
} from "../../support/cli_process.ts";
import { rawRequest } from "../../support/raw_http.ts";
import { RUNTIMES, startServer } from "../../support/server_process.ts";

const TIMEOUT = 60_000;
const APPS = "tests/fixtures/apps";
const TIMESTAMP = String.raw`\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000\]`;
const LOG_TIME = String.raw`\[\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000\]`;
const HEADERS = { "User-Agent": "edge-test/1.0", "Referer": "http://ref.example/page" };

afterAll(killAll);

function expectNoStackTrace(text: string) {
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toContain("Uncaught");
}

/** Runs `body` against a server started with `args`, and kills it afterwards. */
async function withCli(
  runtime: typeof RUNTIMES[number],
  options: { args?: string[]; env?: Record<string, string> },
  body: (cli: CliProcess, url: string, port: number) => Promise<void>,
): Promise<void> {
  const cli = runCli(runtime, options);
  try {
    const { url, port } = await cli.listening();
    await body(cli, url, port);
  } finally {
    cli.child.kill("SIGKILL");
  }
}

async function json(url: string, init?: RequestInit) {
  const response = await fetch(url, init);
  expect(response.status).toBe(200);
  return await response.json();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether a new TCP connection to the port is accepted. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, 500);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

async function text(port: number, path: string): Promise<string | null> {
  try {
    const response = await rawRequest(port, [`GET ${path} HTTP/1.1`, "Host: localhost"], "", {
      timeoutMs: 2000,
    });
    return new TextDecoder().decode(response.body);
  } catch {
    return null;
  }
}

const chunkedBody = (size: number) => `${size.toString(16)}\r\n${"a".repeat(size)}\r\n0\r\n\r\n`;

for (const runtime of RUNTIMES) {
  describe(`${runtime}: mod.ts --help and bad values`, () => {
    test(
      "mod.ts --help exits with 0 and lists every option, its variable and default",
      async () => {
        const cli = runCli(runtime, { args: ["--help"] });
        expect(await cli.exitWithin(30_000)).toBe(0);
        const help = cli.stdout();
        for (const option of OPTIONS) {
          expect(help).toContain(`--${option.name}`);
          if (option.env) expect(help).toContain(`env ${option.env};`);
          if (option.defaultText) expect(help).toContain(`default: ${option.defaultText}`);
        }
        expect(help).not.toContain("listening on");
        expectNoStackTrace(cli.stderr());
      },
      TIMEOUT,
    );

    test("mod.ts -h prints the same help as --help", async () => {
      const short = runCli(runtime, { args: ["-h"] });
      const long = runCli(runtime, { args: ["--help"] });
      expect(await short.exitWithin(30_000)).toBe(0);
      expect(await long.exitWithin(30_000)).toBe(0);
      expect(short.stdout()).toContain("--help");
      expect(short.stdout()).toBe(long.stdout());
    }, TIMEOUT);

    test(
      "mod.ts --workers 2 on a port in use exits with 1 and one line, restarting no worker",
      async () => {
        const blocker = createServer();
        await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
        const port = String((blocker.address() as AddressInfo).port);
        try {
          const cli = runCli(runtime, { args: ["--workers", "2"], env: { PORT: port } });
          expect(await cli.exitWithin(20_000)).toBe(1);
          expect(cli.stderr().trim().split("\n")).toEqual([
            `edge-wsgi: cannot listen on 127.0.0.1:${port}: listen EADDRINUSE: address already in use 127.0.0.1:${port}`,
          ]);
          expect(cli.stdout()).not.toContain("listening on");
        } finally {
          blocker.close();
        }
      },
      TIMEOUT,
    );

    // what is given, what the one line must name
    const BAD: [{ args?: string[]; env?: Record<string, string> }, string][] = [
      [{ env: { WORKERS: "x" } }, "WORKERS"],
      [{ env: { MAX_BODY_SIZE: "lots" } }, "MAX_BODY_SIZE"],
      [{ args: ["--root-path", "nope"] }, "--root-path"],
      [{ args: ["--bogus"] }, "--bogus"],
      [{ args: ["--reload", "--workers", "2"] }, "--reload"],
      [{ args: ["--port", "99999"] }, "--port"],
      [{ env: { MOUNTS: "api=./api.ts" } }, "MOUNTS"],
      [{ args: ["--forwarded-allow-ips", "nope"] }, "--forwarded-allow-ips"],
      [{ env: { FORWARDED_ALLOW_IPS: "10.0.0.0/33" } }, "FORWARDED_ALLOW_IPS"],
      [{ args: ["--workers", "2", "--forwarded-allow-ips", "nope"] }, "--forwarded-allow-ips"],
      [{ args: ["--root", "/nonexistent"] }, '--root must name a folder; "/nonexistent"'],
      [{ env: { ROOT: "mod.ts" } }, 'ROOT must name a folder; "mod.ts" is a file'],
      [{ args: ["--apps", "/nonexistent"] }, '--apps must name a folder; "/nonexistent"'],
      [{ env: { APPS: "/nonexistent" } }, 'APPS must name a folder; "/nonexistent"'],
      [{ args: ["--mount", "/x=./nope.ts"] }, '--mount /x must name a module file; "./nope.ts"'],
      [{ env: { MOUNTS: "/x=./nope.py:app" } }, 'MOUNTS /x must name a module file; "./nope.py"'],
      [{ args: ["--workers", "2", "--root", "/nonexistent"] }, "--root must name a folder"],
      [{ args: ["--reload", "--mount", "/x=./nope.ts"] }, "--mount /x must name a module file"],
      [
        { env: { HOSTNAME: "nonexistent.invalid" } },
        'HOSTNAME "nonexistent.invalid" is not an address to listen on (ENOTFOUND); the name came from the HOSTNAME variable',
      ],
      [{ args: ["--hostname", "nonexistent.invalid"] }, '--hostname "nonexistent.invalid"'],
      [
        { args: ["--workers", "2"], env: { HOSTNAME: "nonexistent.invalid" } },
        "the name came from the HOSTNAME variable",
      ],
    ];
    for (const [given, name] of BAD) {
      test(
        `mod.ts exits with 2 and one line naming ${name} for ${JSON.stringify(given)}`,
        async () => {
          const cli = runCli(runtime, given);
          expect(await cli.exitWithin(10_000)).toBe(2);
          const lines = cli.stderr().trim().split("\n");
          expect(lines).toHaveLength(1);
          expect(lines[0]).toStartWith("edge-wsgi: ");
          expect(lines[0]).toContain(name);
          expectNoStackTrace(cli.stderr());
          expect(cli.stdout()).not.toContain("listening on");
        },
        TIMEOUT,
      );
    }
  });

  describe(`${runtime}: mod.ts --apps ${APPS}`, () => {
    let cli: CliProcess;
    let url: string;
    beforeAll(async () => {
      cli = runCli(runtime, { args: ["--apps", APPS] });
      ({ url } = await cli.listening());
    }, TIMEOUT);
    afterAll(() => cli?.child.kill("SIGKILL"));

    test("mod.ts --apps serves DIR/name.ts at /name", async () => {
      const environ = await json(`${url}whoami/x/y`);
      expect(environ).toMatchObject({
        SCRIPT_NAME: "/whoami",
        PATH_INFO: "/x/y",
        multiprocess: false,
        REMOTE_ADDR: "127.0.0.1",
      });
      expect((await json(`${url}whoami`)).id).toBe(environ.id);
    });

    test("mod.ts --apps answers 404 for an app that does not exist", async () => {
      for (const path of ["nothing", "nothing/x", "whoami.ts", "apps/hello"]) {
        const response = await fetch(`${url}${path}`);
        expect({ path, status: response.status }).toEqual({ path, status: 404 });
        await response.text();
      }
    });

    test("mod.ts still serves the static files beside --apps", async () => {
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("edge-wsgi");
    });

    test("mod.ts writes a gunicorn access-log line per request to standard output", async () => {
      const response = await fetch(`${url}whoami?from=log`, { headers: HEADERS });
      const length = (await response.arrayBuffer()).byteLength;
      const line = new RegExp(
        `^127\\.0\\.0\\.1 - - ${LOG_TIME} "GET /whoami\\?from=log HTTP/1\\.1" 200 ${length} ` +
          `"http://ref\\.example/page" "edge-test/1\\.0"$`,
        "m",
      );
      await cli.waitFor(line);
      expect(cli.stdout().match(/GET \/whoami\?from=log /g)).toHaveLength(1);
    });

    test("mod.ts logs an app error to standard error with a timestamp and the request", async () => {
      const response = await fetch(`${url}boom/x?q=1`);
      expect(response.status).toBe(500);
      expect(await response.text()).not.toContain("kaboom");
      await cli.waitFor(new RegExp(`^${TIMESTAMP} .*GET /boom/x\\?q=1.*kaboom 6f1c`, "m"), {
        stream: "stderr",
      });
      expect((await fetch(`${url}whoami`)).status).toBe(200);
    });

    test("mod.ts logs wsgi.errors to standard error with a timestamp and the request", async () => {
      const response = await fetch(`${url}errors/here`);
      expect(await response.text()).toBe("logged");
      await cli.waitFor(
        new RegExp(`^${TIMESTAMP} .*GET /errors/here: note from the app 93b2$`, "m"),
        {
          stream: "stderr",
        },
      );
    });

    test("mod.ts trusts X-Forwarded-* from 127.0.0.1 by default", async () => {
      const environ = await json(`${url}whoami/fwd`, {
        headers: {
          ...HEADERS,
          "X-Forwarded-For": "6.6.6.6, 203.0.113.9",
          "X-Forwarded-Proto": "https",
          "X-Forwarded-Host": "public.example",
        },
      });
      expect(environ).toMatchObject({
        REMOTE_ADDR: "203.0.113.9",
        url_scheme: "https",
        HTTP_HOST: "public.example",
      });
      await cli.waitFor(/^203\.0\.113\.9 - - .*"GET \/whoami\/fwd HTTP\/1\.1" 200 /m);
    });

    test("mod.ts goes on serving after an app's errors", async () => {
      for (let i = 0; i < 3; i++) expect((await fetch(`${url}boom`)).status).toBe(500);
      expect((await fetch(`${url}whoami`)).status).toBe(200);
      expect(cli.alive()).toBe(true);
    });
  });

  describe(`${runtime}: mod.ts options over the wire`, () => {
    test("mod.ts --access-log off prints no access log", async () => {
      await withCli(
        runtime,
        { args: ["--apps", APPS, "--access-log", "off"] },
        async (cli, url) => {
          await json(`${url}whoami`);
          await fetch(`${url}nothing`).then((r) => r.text());
          await sleep(300);
          expect(cli.stdout().trim().split("\n")).toEqual([
            expect.stringContaining("listening on"),
          ]);
        },
      );
    }, TIMEOUT);

    test("mod.ts --access-log FORMAT writes lines in that format", async () => {
      const args = ["--apps", APPS, "--access-log", "%(m)s %(U)s %(s)s"];
      await withCli(runtime, { args }, async (cli, url) => {
        await json(`${url}whoami/a?b=c`);
        await fetch(`${url}nothing`).then((r) => r.text());
        await cli.waitFor(/^GET \/whoami\/a 200$/m);
        await cli.waitFor(/^GET \/nothing 404$/m);
      });
    }, TIMEOUT);

    test("mod.ts reads APPS and ACCESS_LOG from the environment", async () => {
      const env = { APPS, ACCESS_LOG: "%(s)s %(U)s" };
      await withCli(runtime, { env }, async (cli, url) => {
        expect((await json(`${url}whoami`)).SCRIPT_NAME).toBe("/whoami");
        await cli.waitFor(/^200 \/whoami$/m);
      });
    }, TIMEOUT);

    test(
      "mod.ts --mount /api=MODULE serves the module at /api, without the demo apps",
      async () => {
        const server = await startServer(runtime, {
          args: ["--mount", `/api=${APPS}/whoami.ts`, "--mount", `/up=${APPS}/body.ts`],
        });
        try {
          const environ = await json(`${server.url}api/users/1`);
          expect(environ).toMatchObject({ SCRIPT_NAME: "/api", PATH_INFO: "/users/1" });
          const posted = await fetch(`${server.url}up`, { method: "POST", body: "12345" });
          expect(await posted.text()).toBe("read 5");
          const demo = await fetch(`${server.url}apps/hello`);
          expect(demo.status).toBe(404);
          await demo.text();
        } finally {
          await server.stop();
        }
      },
      TIMEOUT,
    );

    test("mod.ts reads MOUNTS, a comma-separated list", async () => {
      const server = await startServer(runtime, {
        env: { MOUNTS: `/a=${APPS}/whoami.ts,/b/c=${APPS}/whoami.ts` },
      });
      try {
        expect((await json(`${server.url}a/x`)).SCRIPT_NAME).toBe("/a");
        expect((await json(`${server.url}b/c/x`)).SCRIPT_NAME).toBe("/b/c");
      } finally {
        await server.stop();
      }
    }, TIMEOUT);

    test("mod.ts --forwarded-allow-ips 10.9.9.9 ignores X-Forwarded-* from 127.0.0.1", async () => {
      const args = ["--apps", APPS, "--forwarded-allow-ips", "10.9.9.9"];
      await withCli(runtime, { args }, async (cli, url) => {
        const environ = await json(`${url}whoami/untrusted`, {
          headers: { "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https" },
        });
        expect(environ).toMatchObject({
          REMOTE_ADDR: "127.0.0.1",
          url_scheme: "http",
          HTTP_X_FORWARDED_FOR: "203.0.113.9",
        });
        await cli.waitFor(/^127\.0\.0\.1 - - .*"GET \/whoami\/untrusted HTTP\/1\.1" 200 /m);
      });
    }, TIMEOUT);

    test(
      "mod.ts --max-body-size 100 answers 413 to a larger body, declared or chunked",
      async () => {
        const server = await startServer(runtime, {
          args: ["--apps", APPS, "--max-body-size", "100"],
        });
        try {
          const fits = await fetch(`${server.url}body`, { method: "POST", body: "a".repeat(100) });
          expect(await fits.text()).toBe("read 100");
          const declared = await fetch(`${server.url}body`, {
            method: "POST",
            body: "a".repeat(101),
          });
          expect(declared.status).toBe(413);
          await declared.text();
          const chunked = await rawRequest(server.port, [
            "POST /body HTTP/1.1",
            "Host: localhost",
            "Transfer-Encoding: chunked",
          ], chunkedBody(200));
          expect(chunked.status).toBe(413);
          const small = await rawRequest(server.port, [
            "POST /body HTTP/1.1",
            "Host: localhost",
            "Transfer-Encoding: chunked",
          ], chunkedBody(60));
          expect(new TextDecoder().decode(small.body)).toBe("read 60");
        } finally {
          await server.stop();
        }
      },
      TIMEOUT,
    );

    test("mod.ts --root-path /p serves the site and the apps under /p", async () => {
      const server = await startServer(runtime, { args: ["--root-path", "/p"] });
      try {
        const index = await fetch(`${server.url}p/`);
        expect(index.status).toBe(200);
        expect(await index.text()).toContain("edge-wsgi");
        for (const path of ["p/apps/environ/x", "apps/environ/x"]) {
          const environ = await json(`${server.url}${path}`);
          expect({ path, SCRIPT_NAME: environ.SCRIPT_NAME, PATH_INFO: environ.PATH_INFO })
            .toEqual({ path, SCRIPT_NAME: "/p/apps/environ", PATH_INFO: "/x" });
        }
      } finally {
        await server.stop();
      }
    }, TIMEOUT);

    test("mod.ts --debug shows the error in the 500 page, and only then", async () => {
      const debug = await startServer(runtime, { args: ["--apps", APPS, "--debug"] });
      const plain = await startServer(runtime, { args: ["--apps", APPS] });
      try {
        const shown = await fetch(`${debug.url}boom`);
        expect(shown.status).toBe(500);
        expect(await shown.text()).toContain("kaboom 6f1c");
        const hidden = await fetch(`${plain.url}boom`);
        expect(hidden.status).toBe(500);
        expect(await hidden.text()).not.toContain("kaboom");
      } finally {
        await Promise.all([debug.stop(), plain.stop()]);
      }
    }, TIMEOUT);
  });

  describe(`${runtime}: mod.ts --apps with broken modules`, () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), `edge-wsgi-cli-apps-${runtime}-`));
      await writeFile(
        join(dir, "good.ts"),
        'export function application(e, s) { s("200 OK", []); return ["good"]; }\n',
      );
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    test("mod.ts answers 500 for a module that fails to load, logs why, and goes on", async () => {
      await writeFile(join(dir, "syntax.ts"), "export const application = (;\n");
      await writeFile(join(dir, "throws.ts"), 'throw new Error("load failure 51d0");\n');
      await writeFile(join(dir, "number.ts"), "export default 42;\n");
      await withCli(runtime, { args: ["--apps", dir] }, async (cli, url, port) => {
        for (
          const [name, cause] of [
            ["syntax", "Cannot load the app module"],
            ["throws", "load failure 51d0"],
            ["number", "exports no WSGI app"],
          ]
        ) {
          const response = await fetch(`${url}${name}`);
          expect({ name, status: response.status }).toEqual({ name, status: 500 });
          await response.text();
          await cli.waitFor(new RegExp(`^${TIMESTAMP} .*GET /${name}.*${cause}`, "m"), {
            stream: "stderr",
          });
          expect(await text(port, "/good")).toBe("good");
        }
        expect(cli.alive()).toBe(true);
      });
    }, TIMEOUT);

    test("mod.ts never shows its module-reload query in the error log", async () => {
      await writeFile(join(dir, "retried.ts"), "export const application = (;\n");
      await writeFile(join(dir, "imports_missing.ts"), 'import "./missing_4c1e.ts";\n');
      await withCli(runtime, { args: ["--apps", dir] }, async (cli, url) => {
        for (const name of ["retried", "imports_missing"]) {
          for (let i = 0; i < 3; i++) expect((await fetch(`${url}${name}`)).status).toBe(500);
          await cli.waitFor(new RegExp(`(GET /${name}.*Cannot load[^]*){3}`), { stream: "stderr" });
        }
        expect(cli.stderr()).toContain("retried.ts");
        expect(cli.stderr()).toContain("missing_4c1e.ts");
        expect(cli.stderr()).not.toContain("attempt=");
      });
    }, TIMEOUT);

    test("mod.ts serves a module fixed after a syntax error on the next request", async () => {
      const path = join(dir, "fixed.ts");
      await writeFile(path, "export const application = (;\n");
      await withCli(runtime, { args: ["--apps", dir] }, async (_cli, url) => {
        expect((await fetch(`${url}fixed`)).status).toBe(500);
        await writeFile(
          path,
          'export function application(e, s) { s("200 OK", []); return ["fixed"]; }\n',
        );
        const response = await fetch(`${url}fixed`);
        expect(await response.text()).toBe("fixed");
      });
    }, TIMEOUT);
  });

  describe(`${runtime}: mod.ts --workers 2`, () => {
    let cli: CliProcess;
    let port: number;
    let url: string;
    let workers: number[] = [];
    beforeAll(async () => {
      cli = runCli(runtime, { args: ["--workers", "2", "--apps", APPS] });
      ({ url, port } = await cli.listening());
      workers = await descendants(cli.pid);
    }, TIMEOUT);
    afterAll(() => {
      cli?.child.kill("SIGKILL");
      for (const pid of workers) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      }
    });

    test("mod.ts --workers 2 serves from two processes, each with wsgi.multiprocess", async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 40 && ids.size < 2; i++) {
        const response = await rawRequest(port, ["GET /whoami HTTP/1.1", "Host: localhost"]);
        const environ = JSON.parse(new TextDecoder().decode(response.body));
        expect(environ.multiprocess).toBe(true);
        ids.add(environ.id);
      }
      expect(ids.size).toBe(2);
    }, TIMEOUT);

    test("mod.ts --workers 2 writes access-log lines in gunicorn's format", async () => {
      await json(`${url}whoami/workers-log`, { headers: HEADERS });
      await cli.waitFor(/GET \/whoami\/workers-log /);
      expect(cli.stdout()).toMatch(
        new RegExp(
          `^127\\.0\\.0\\.1 - - ${LOG_TIME} "GET /whoami/workers-log HTTP/1\\.1" 200 \\d+ ` +
            `"http://ref\\.example/page" "edge-test/1\\.0"$`,
          "m",
        ),
      );
    }, TIMEOUT);

    test("mod.ts --workers 2 logs the client a trusted proxy forwarded", async () => {
      const environ = await json(`${url}whoami/workers-fwd`, {
        headers: { "X-Forwarded-For": "203.0.113.9" },
      });
      expect(environ.REMOTE_ADDR).toBe("203.0.113.9");
      await cli.waitFor(/GET \/whoami\/workers-fwd /);
      expect(cli.stdout()).toMatch(/(^|\] )203\.0\.113\.9 - - .*"GET \/whoami\/workers-fwd /m);
    }, TIMEOUT);

    test(
      "mod.ts --workers 2 finishes a response in flight on SIGTERM, exits 0, leaves no child",
      async () => {
        const children = await descendants(cli.pid);
        workers = [...new Set([...workers, ...children])];
        expect(children.length).toBeGreaterThan(0);
        const response = await fetch(`${url}slow?id=workers-${runtime}`);
        const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
        let body = (await reader.read()).value ?? "";
        cli.child.kill("SIGTERM");
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          body += value;
        }
        expect(body).toBe("chunk 1\nchunk 2\nchunk 3\nchunk 4\nchunk 5\n");
        expect(await cli.exitWithin(20_000)).toBe(0);
        expect(cli.stderr()).toContain(`closed workers-${runtime}`);
        expect(await accepts(port)).toBe(false);
        const deadline = Date.now() + 5000;
        let left = children;
        while (left.length && Date.now() < deadline) {
          left = (await Promise.all(children.map(async (pid) => (await isRunning(pid)) ? pid : 0)))
            .filter(Boolean);
          await sleep(100);
        }
        expect(left).toEqual([]);
      },
      TIMEOUT,
    );
  });

  describe(`${runtime}: mod.ts graceful shutdown`, () => {
    test(
      "mod.ts on SIGTERM refuses new connections, finishes the response in flight, calls close(), exits 0",
      async () => {
        const cli = runCli(runtime, { args: ["--apps", APPS] });
        try {
          const { url, port } = await cli.listening();
          const id = `graceful-${runtime}-${Date.now()}`;
          // A second between chunks: the response is still streaming when the listener closes,
          // however long a loaded machine takes to get there.
          const response = await fetch(`${url}slow?id=${id}&interval=1000`);
          expect(response.status).toBe(200);
          const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
          let body = (await reader.read()).value ?? "";
          let finished = false;
          const rest = (async () => {
            for (;;) {
              const { done, value } = await reader.read();
              if (done) break;
              body += value;
            }
            finished = true;
          })();

          cli.child.kill("SIGTERM");
          // The listener closes, while the response still streams.
          let refused = false;
          const deadline = Date.now() + 10_000;
          while (!refused && Date.now() < deadline) {
            refused = !(await accepts(port));
            if (!refused) await sleep(30);
          }
          expect(refused).toBe(true);
          expect(finished).toBe(false);

          await rest;
          expect(body).toBe("chunk 1\nchunk 2\nchunk 3\nchunk 4\nchunk 5\n");
          expect(await cli.exitWithin(15_000)).toBe(0);
          expect(cli.stderr()).toContain(`closed ${id}`);
          expect(cli.stdout()).toMatch(
            new RegExp(`"GET /slow\\?id=${id}&interval=1000 HTTP/1\\.1" 200 40 `),
          );
          expectNoStackTrace(cli.stderr());
        } finally {
          cli.child.kill("SIGKILL");
        }
      },
      TIMEOUT,
    );

    test(
      "mod.ts --graceful-timeout 0 cuts short a response in flight, logs it, and exits 0",
      async () => {
        const cli = runCli(runtime, { args: ["--apps", APPS, "--graceful-timeout", "0"] });
        try {
          const { url } = await cli.listening();
          const response = await fetch(`${url}slow?id=cut`);
          const reader = response.body!.getReader();
          await reader.read();
          cli.child.kill("SIGTERM");
          expect(await cli.exitWithin(5_000)).toBe(0);
          await cli.waitFor(/cut short/, { stream: "stderr", ms: 1000 });
          await reader.cancel().catch(() => {});
        } finally {
          cli.child.kill("SIGKILL");
        }
      },
      TIMEOUT,
    );

    test("mod.ts on SIGINT with nothing in flight exits 0 at once", async () => {
      const cli = runCli(runtime, { args: ["--apps", APPS] });
      try {
        await cli.listening();
        cli.child.kill("SIGINT");
        expect(await cli.exitWithin(5_000)).toBe(0);
      } finally {
        cli.child.kill("SIGKILL");
      }
    }, TIMEOUT);
  });

  describe(`${runtime}: mod.ts --reload`, () => {
    test(
      "mod.ts --reload serves a changed app module, then exits on SIGTERM leaving no child",
      async () => {
        const dir = await mkdtemp(join(tmpdir(), `edge-wsgi-reload-${runtime}-`));
        const module = (version: string) =>
          `export function application(e, s) { s("200 OK", []); return ["${version}"]; }\n`;
        await writeFile(join(dir, "version.ts"), module("v1"));
        const cli = runCli(runtime, { args: ["--reload", "--apps", dir] });
        let children: number[] = [];
        try {
          const { port } = await cli.listening();
          expect(await text(port, "/version")).toBe("v1");
          await sleep(300);
          await writeFile(join(dir, "version.ts"), module("v2"));
          let answer: string | null = null;
          const deadline = Date.now() + 10_000;
          while (answer !== "v2" && Date.now() < deadline) {
            await sleep(200);
            answer = await text(port, "/version");
          }
          expect(answer).toBe("v2");

          children = await descendants(cli.pid);
          cli.child.kill("SIGTERM");
          const code = await cli.exitWithin(10_000);
          expect({ code, exitedByItself: code !== "SIGKILL" }).toMatchObject({
            exitedByItself: true,
          });
          let left = children;
          const gone = Date.now() + 5000;
          while (left.length && Date.now() < gone) {
            left = (await Promise.all(children.map(async (pid) =>
              (await isRunning(pid)) ? pid : 0
            )))
              .filter(Boolean);
            await sleep(100);
          }
          expect(left).toEqual([]);
        } finally {
          cli.child.kill("SIGKILL");
          for (const pid of children) {
            try {
              process.kill(pid, "SIGKILL");
            } catch {
              // Already gone.
            }
          }
          await rm(dir, { recursive: true, force: true });
        }
      },
      TIMEOUT,
    );
  });
}
