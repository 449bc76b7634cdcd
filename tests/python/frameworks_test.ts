/**
 * Real frameworks, unchanged, over real HTTP on Deno and on Bun: Debian bookworm's Flask 2.2
 * (a Jinja template, a JSON route, `request.form`, a raised error) and Bottle 0.12 (a route
 * and a form, multipart included, which needs the `cgi` of `--python-compat`), vendored from
 * `python3-flask` and `python3-bottle` as a user vendors with pip, run with `--python-path
 * <vendor> --python-compat`. Without those packages the tests skip, except in CI.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type CliProcess, runCli } from "../support/cli_process.ts";
import { vendorDebianPackages } from "../support/python_vendor.ts";
import { RUNTIMES } from "../support/server_process.ts";
import { fromFileUrl } from "../../src/base/path.ts";

const FIXTURES = fromFileUrl(new URL("../fixtures/python/", import.meta.url));
const PYTHON_TIMEOUT = 180_000;

const vendor = vendorDebianPackages();
if ("missing" in vendor) {
  console.warn(`tests/python/frameworks_test.ts skipped: ${vendor.missing}`);
}
afterAll(() => {
  if ("dir" in vendor) vendor.remove();
});

for (const runtime of RUNTIMES) {
  describe.skipIf("missing" in vendor)(`${runtime}: Flask and Bottle`, () => {
    let server: CliProcess;
    let url: string;
    beforeAll(async () => {
      server = runCli(runtime, {
        args: [
          "--mount",
          `/flask=${FIXTURES}flask_site/app.py`,
          "--mount",
          `/bottle=${FIXTURES}bottle_site.py`,
          "--python-path",
          "dir" in vendor ? vendor.dir : "",
          "--python-compat",
          "--access-log",
          "off",
        ],
      });
      ({ url } = await server.listening());
      // The first request loads Pyodide and imports Flask: slow, so outside the tests' clock.
      await (await fetch(`${url}flask/json`)).text();
    }, PYTHON_TIMEOUT);
    afterAll(() => server?.child.kill("SIGKILL"));

    test("Flask renders a Jinja template, escaped, with url_for under the mount", async () => {
      const response = await fetch(`${url}flask/?name=%3Cb%3E`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await response.text()).toBe(
        "<!doctype html>\n<title>Hello from Flask</title>\n<h1>Hello, &lt;b&gt;!</h1>\n" +
          "<p>/flask/json?q=1</p>",
      );
    });

    test("Flask answers JSON", async () => {
      const response = await fetch(`${url}flask/json?x=1&y=%C3%A9`);
      expect(response.headers.get("content-type")).toBe("application/json");
      expect(await response.json()).toEqual({
        answer: 42,
        path: "/json",
        query: { x: "1", y: "é" },
      });
    });

    test("Flask reads request.form from a POST", async () => {
      const response = await fetch(`${url}flask/form`, {
        method: "POST",
        body: new URLSearchParams([["a", "é"], ["b", "2"], ["b", "3"]]),
      });
      expect(await response.text()).toBe("a=é b=['2', '3']");
    });

    test("Flask: a raised error is a 500 that reveals nothing, traceback logged, serving on", async () => {
      const response = await fetch(`${url}flask/boom`);
      expect(response.status).toBe(500);
      const body = await response.text();
      expect(body).toContain("Internal Server Error");
      expect(body).not.toContain("secret detail");
      await server.waitFor(
        /Traceback[^]*flask_site\/app\.py", line \d+, in boom[^]*RuntimeError: flask boom: secret detail/,
        { stream: "stderr", ms: 5000 },
      );
      expect((await fetch(`${url}flask/json`)).status).toBe(200);
    });

    test("Bottle routes a parameter through its template, escaped", async () => {
      const response = await fetch(`${url}bottle/hello/w%C3%B6rld%3Cb%3E`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("<h1>Hello, wörld&lt;b&gt;!</h1>");
    });

    test("Bottle reads an urlencoded form", async () => {
      const response = await fetch(`${url}bottle/form`, {
        method: "POST",
        body: new URLSearchParams({ a: "é" }),
      });
      expect(await response.text()).toBe("a=é file=None size=0");
    });

    test("Bottle reads a multipart form with a file (cgi from --python-compat)", async () => {
      // ASCII: Bottle 0.12's getunicode() re-decodes a multipart field that cgi has already
      // decoded, so non-ASCII gives None there, as it does on CPython 3.11 with the real cgi.
      const form = new FormData();
      form.append("a", "x1");
      form.append("upload", new Blob([new Uint8Array([0, 13, 10, 255, 45, 45])]), "x.bin");
      const response = await fetch(`${url}bottle/form`, { method: "POST", body: form });
      expect(await response.text()).toBe("a=x1 file=x.bin size=6");
    });
  });
}
