/**
 * The tutorials' own Python apps, served by the default site on both runtimes and by
 * `deno serve`, byte for byte: seed 000's wsgi_app.py (unchanged) and seed 002's hello.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import process from "node:process";
import { type CliProcess, runCli } from "../support/cli_process.ts";
import { RUNTIMES } from "../support/server_process.ts";
import { fromFileUrl, join } from "../../src/base/path.ts";

const ROOT = fromFileUrl(new URL("../../", import.meta.url));
const FILES = join(ROOT, "examples/python/files");
const PYTHON_TIMEOUT = 90_000;

/** The seed's pages, as its wsgi_app.py reads them from its own folder. */
function page(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FILES, name)));
}

async function bytes(url: string): Promise<{ status: number; type: string; body: Uint8Array }> {
  const response = await fetch(url);
  return {
    status: response.status,
    type: response.headers.get("content-type") ?? "",
    body: new Uint8Array(await response.arrayBuffer()),
  };
}

for (const runtime of RUNTIMES) {
  describe(`${runtime}: the seed apps on the default site`, () => {
    let server: CliProcess;
    let url: string;
    beforeAll(async () => {
      server = runCli(runtime, { args: ["--access-log", "off"] });
      ({ url } = await server.listening());
    }, PYTHON_TIMEOUT);
    afterAll(() => server?.child.kill("SIGKILL"));

    test("Python is not loaded until a Python app is asked for", async () => {
      expect((await fetch(`${url}apps/hello`)).status).toBe(200);
      expect(server.stderr()).not.toContain("python: loading");
    });

    test(
      "/apps/py-files/ is seed 000's wsgi_app.py: simple_navbar.html, as text/html",
      async () => {
        const response = await bytes(`${url}apps/py-files/`);
        expect(response.status).toBe(200);
        expect(response.type).toBe("text/html");
        expect(response.body).toEqual(page("simple_navbar.html"));
        expect(server.stderr()).toMatch(/python: ready in \d+ ms/);
      },
      PYTHON_TIMEOUT,
    );

    test("/apps/py-files/contact.html opens './contact.html' from the app's folder", async () => {
      expect((await bytes(`${url}apps/py-files/contact.html`)).body).toEqual(
        page("contact.html"),
      );
    });

    test("a missing page is the seed's own 200 answer, naming the file", async () => {
      const response = await bytes(`${url}apps/py-files/nope.html`);
      expect(response.status).toBe(200);
      expect(new TextDecoder().decode(response.body)).toBe("./nope.html not found");
    });

    test("the seed app cannot read past the folders mounted for Python", async () => {
      const response = await bytes(`${url}apps/py-files/..%2F..%2F..%2Fmod.ts`);
      expect(new TextDecoder().decode(response.body)).toBe("./../../../mod.ts not found");
    });

    test("/apps/py-hello is seed 002's application", async () => {
      const response = await bytes(`${url}apps/py-hello`);
      expect(response.type).toBe("text/html");
      expect(new TextDecoder().decode(response.body)).toBe("Hello World!");
    });

    test("the landing page links both", async () => {
      const html = await (await fetch(url)).text();
      expect(html).toContain('href="/apps/py-files/"');
      expect(html).toContain('href="/apps/py-hello"');
    });
  });

  describe(`${runtime}: --apps DIR serves DIR/name.py at /name and /name.py`, () => {
    let server: CliProcess;
    let url: string;
    beforeAll(async () => {
      server = runCli(runtime, { args: ["--apps", "examples/python", "--access-log", "off"] });
      ({ url } = await server.listening());
    }, PYTHON_TIMEOUT);
    afterAll(() => server?.child.kill("SIGKILL"));

    test("/hello.py, as seed 002's server is asked, and /hello", async () => {
      expect(await (await fetch(`${url}hello.py`)).text()).toBe("Hello World!");
      expect(await (await fetch(`${url}hello`)).text()).toBe("Hello World!");
    }, PYTHON_TIMEOUT);

    test("SCRIPT_NAME is the name the app was asked by", async () => {
      expect((await (await fetch(`${url}environ.py/x`)).json()).SCRIPT_NAME).toBe("/environ.py");
      expect((await (await fetch(`${url}environ/x`)).json()).SCRIPT_NAME).toBe("/environ");
    });

    test("a name with no file falls through to a 404", async () => {
      expect((await fetch(`${url}nothing.py`)).status).toBe(404);
    });
  });
}

describe("deno serve examples/site.ts", () => {
  const child = spawn(
    join(ROOT, "node_modules/.bin/deno"),
    ["serve", "-A", "--port", "0", "--host", "127.0.0.1", "examples/site.ts"],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } },
  );
  let output = "";
  afterAll(() => child.kill("SIGKILL"));

  test("serves the seed's Python apps too", async () => {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not listening:\n${output}`)), 60_000);
      const onData = (data: Buffer) => {
        output += data;
        const match = /Listening on (http:\/\/\S+)/i.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1].replace(/\/?$/, "/"));
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
    });
    expect((await bytes(`${url}apps/py-files/`)).body).toEqual(page("simple_navbar.html"));
    expect(await (await fetch(`${url}apps/py-hello`)).text()).toBe("Hello World!");
  }, PYTHON_TIMEOUT);
});
