/**
 * The wire conformance suite: the same assertions against real `deno run` and `bun run`
 * processes, over real HTTP, and over raw sockets where a client would normalise the request.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rawRequest } from "./support/raw_http.ts";
import { RUNTIMES, type ServerProcess, startServer } from "./support/server_process.ts";

const START_TIMEOUT = 60_000;

async function environOf(server: ServerProcess, head: string[], body = "") {
  const response = await rawRequest(server.port, head, body);
  expect(response.status).toBe(200);
  return JSON.parse(new TextDecoder().decode(response.body));
}

async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

for (const runtime of RUNTIMES) {
  describe(`${runtime}: the default site (mod.ts)`, () => {
    let site: ServerProcess;
    beforeAll(async () => {
      site = await startServer(runtime);
    }, START_TIMEOUT);
    afterAll(() => site?.stop());

    const get = (path: string, init?: RequestInit) => fetch(new URL(path, site.url), init);

    test("prints its URL and serves public/index.html at /", async () => {
      expect(site.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const response = await get("/");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/html");
      const html = await response.text();
      expect(html).toContain("edge-wsgi");
      expect(html).toContain('href="/apps/hello"');
    });

    test("serves the tutorial's pages and the local stylesheet", async () => {
      const navbar = await get("/simple_navbar.html");
      expect(navbar.status).toBe(200);
      expect(await navbar.text()).toContain('href="contact.html"');
      const contact = await get("/contact.html");
      expect(await contact.text()).toContain("michael@xxx.com");
      const css = await get("/style.css");
      expect(css.status).toBe(200);
      expect(css.headers.get("content-type")).toContain("text/css");
    });

    test("answers a missing file with 404", async () => {
      const response = await get("/no-such-page.html");
      expect(response.status).toBe(404);
      await response.body?.cancel();
    });

    test("/apps/hello greets the web, or the name in PATH_INFO decoded as UTF-8", async () => {
      expect(await (await get("/apps/hello")).text()).toBe("<h1>Hello, web!</h1>\n");
      expect(await (await get("/apps/hello/Michael")).text()).toBe("<h1>Hello, Michael!</h1>\n");
      expect(await (await get("/apps/hello/%E4%BD%A0")).text()).toBe("<h1>Hello, 你!</h1>\n");
      expect(await (await get("/apps/hello/%3Cb%3E")).text()).toBe(
        "<h1>Hello, &lt;b&gt;!</h1>\n",
      );
    });

    test("HEAD /apps/hello sends the GET's Content-Length and no body", async () => {
      const response = await rawRequest(site.port, ["HEAD /apps/hello HTTP/1.1", "Host: x"]);
      expect(response.status).toBe(200);
      expect(response.header("content-length")).toBe("21");
      expect(response.body.length).toBe(0);
    });

    test("/apps/files serves the page PATH_INFO names, from public/ only", async () => {
      const redirect = await get("/apps/files", { redirect: "manual" });
      expect(redirect.status).toBe(301);
      expect(redirect.headers.get("location")).toBe("/apps/files/");
      expect(await (await get("/apps/files/")).text()).toContain("My navigation");
      const contact = await get("/apps/files/contact.html");
      expect(contact.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await contact.text()).toContain("michael@xxx.com");
      const missing = await get("/apps/files/missing.html");
      expect(missing.status).toBe(404);
      expect(await missing.text()).toContain('"/missing.html" is not found');
    });

    for (
      const attack of [
        "/apps/files/..%2fmod.ts",
        "/apps/files/..%2f..%2fpackage.json",
        "/apps/files/%2e%2e%2fmod.ts",
        "/apps/files/..%5cmod.ts",
        "/apps/files/.gitignore",
        "/apps/files/%00index.html",
        "/apps/files/%FF",
      ]
    ) {
      test(`/apps/files refuses ${attack} with 404`, async () => {
        const response = await rawRequest(site.port, [`GET ${attack} HTTP/1.1`, "Host: x"]);
        expect(response.status).toBe(404);
        expect(new TextDecoder().decode(response.body)).not.toContain("import");
      });
    }

    test("/apps/environ shows the CGI keys of a request", async () => {
      const environ = await (await get("/apps/environ?a=1+2&b=%20&c=%3F")).json();
      expect(environ).toMatchObject({
        REQUEST_METHOD: "GET",
        SCRIPT_NAME: "/apps/environ",
        PATH_INFO: "",
        QUERY_STRING: "a=1+2&b=%20&c=%3F",
        SERVER_NAME: "127.0.0.1",
        SERVER_PORT: String(site.port),
        SERVER_PROTOCOL: "HTTP/1.1",
        REMOTE_ADDR: "127.0.0.1",
        "wsgi.version": [1, 0],
        "wsgi.url_scheme": "http",
        "wsgi.multithread": false,
        "wsgi.multiprocess": false,
        "wsgi.run_once": false,
        "wsgi.input_terminated": true,
        "wsgi.input": "",
      });
      expect(environ.REMOTE_PORT).toMatch(/^\d+$/);
      expect(environ.CONTENT_TYPE).toBeUndefined();
      expect(environ.CONTENT_LENGTH).toBeUndefined();
    });

    test("PATH_INFO resolves dot segments like the URL standard: /a/%2e%2e/b is /b", async () => {
      const environ = await environOf(site, ["GET /apps/environ/a/%2e%2e/b HTTP/1.1", "Host: x"]);
      expect(environ.SCRIPT_NAME).toBe("/apps/environ");
      expect(environ.PATH_INFO).toBe("/b");
    });

    test("a dot segment cannot climb out of one mount into another app's", async () => {
      const response = await rawRequest(site.port, [
        "GET /apps/environ/%2e%2e/hello HTTP/1.1",
        "Host: x",
      ]);
      expect(new TextDecoder().decode(response.body)).toBe("<h1>Hello, web!</h1>\n");
    });

    test("PATH_INFO is percent-decoded once, each byte one latin-1 character", async () => {
      const environ = await environOf(site, [
        "GET /apps/environ/%FF%E4%BD%A0%2F%25%3F?x=%FF HTTP/1.1",
        "Host: x",
      ]);
      expect(environ.PATH_INFO).toBe("/\u00ff\u00e4\u00bd\u00a0/%?");
      expect(environ.QUERY_STRING).toBe("x=%FF");
    });

    test("two Cookie lines arrive joined with '; '", async () => {
      const environ = await environOf(site, [
        "GET /apps/environ HTTP/1.1",
        "Host: x",
        "Cookie: a=1",
        "Cookie: b=2",
      ]);
      expect(environ.HTTP_COOKIE).toBe("a=1; b=2");
    });

    test("repeated fields are joined with ', ' and names with '_' are dropped", async () => {
      // The command line trusts forwarded headers from 127.0.0.1, as gunicorn does by default:
      // the dashed header moves REMOTE_ADDR, the underscored impostor is never seen.
      const environ = await environOf(site, [
        "GET /apps/environ HTTP/1.1",
        "Host: x",
        "X-Rep: 1",
        "X-Rep: 2",
        "X_Forwarded_For: 6.6.6.6",
        "X-Forwarded-For: 10.0.0.1",
      ]);
      expect(environ.HTTP_X_REP).toBe("1, 2");
      expect(environ.HTTP_X_FORWARDED_FOR).toBe("10.0.0.1");
      expect(JSON.stringify(environ)).not.toContain("6.6.6.6");
      expect(environ.REMOTE_ADDR).toBe("10.0.0.1");
    });

    test("Content-Type and Content-Length lose the HTTP_ prefix; wsgi.input holds the body", async () => {
      const environ = await environOf(site, [
        "POST /apps/environ HTTP/1.1",
        "Host: x",
        "Content-Type: text/plain",
        "Content-Length: 5",
      ], "hello");
      expect(environ.CONTENT_TYPE).toBe("text/plain");
      expect(environ.CONTENT_LENGTH).toBe("5");
      expect(environ.HTTP_CONTENT_TYPE).toBeUndefined();
      expect(environ.HTTP_CONTENT_LENGTH).toBeUndefined();
      expect(environ["wsgi.input"]).toBe("hello");
    });

    test("a chunked upload reaches wsgi.input whole, with no CONTENT_LENGTH", async () => {
      const environ = await environOf(site, [
        "POST /apps/environ HTTP/1.1",
        "Host: x",
        "Transfer-Encoding: chunked",
      ], "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n");
      expect(environ.CONTENT_LENGTH).toBeUndefined();
      expect(environ["wsgi.input"]).toBe("hello, world");
    });

    test("a binary body reaches wsgi.input byte for byte", async () => {
      const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
      const environ = await (await get("/apps/environ", { method: "PUT", body: bytes })).json();
      expect(environ.REQUEST_METHOD).toBe("PUT");
      expect(environ["wsgi.input"]).toBe(String.fromCharCode(...bytes));
    });

    test("/apps/echo shows a posted form field by field, escaped", async () => {
      const response = await get("/apps/echo", {
        method: "POST",
        body: new URLSearchParams({ name: "Michael", message: "<hi> & 你好" }),
      });
      const html = await response.text();
      expect(html).toContain("<th>name</th><td>Michael</td>");
      expect(html).toContain("<th>message</th><td>&lt;hi&gt; &amp; 你好</td>");
    });

    test("/apps/echo streams a raw body back with its content type", async () => {
      const body = "x".repeat(200_000);
      const response = await get("/apps/echo", {
        method: "POST",
        headers: { "Content-Type": "text/x-test" },
        body,
      });
      expect(response.headers.get("content-type")).toBe("text/x-test");
      expect(await response.text()).toBe(body);
    });

    test("/apps/stream sends its chunks as they are made, not at the end", async () => {
      const started = Date.now();
      const response = await get("/apps/stream?n=3&interval=300");
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      const first = decoder.decode((await reader.read()).value);
      const firstAt = Date.now() - started;
      let rest = "";
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        rest += decoder.decode(value);
      }
      const endAt = Date.now() - started;
      expect(first).toStartWith("chunk 1 of 3");
      expect(rest).toContain("chunk 3 of 3");
      expect(endAt - firstAt).toBeGreaterThanOrEqual(500);
    });

    test("serves 200 concurrent requests, each seeing its own environ", async () => {
      const results = await Promise.all(
        Array.from({ length: 200 }, async (_, i) => {
          const environ = await (await get(`/apps/environ/n${i}?i=${i}`)).json();
          return environ.PATH_INFO === `/n${i}` && environ.QUERY_STRING === `i=${i}`;
        }),
      );
      expect(results.every(Boolean)).toBe(true);
    });
  });

  describe(`${runtime}: adapter rules on the wire`, () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startServer(runtime, { entry: "tests/support/conformance_site.ts" });
    }, START_TIMEOUT);
    afterAll(() => server?.stop());

    const get = (path: string, init?: RequestInit) => fetch(new URL(path, server.url), init);
    const raw = (path: string, method = "GET") =>
      rawRequest(server.port, [`${method} ${path} HTTP/1.1`, "Host: x"]);

    test("several Set-Cookie headers go out as separate fields, in order", async () => {
      const response = await raw("/t/cookies");
      const cookies = response.headers.filter(([name]) => name === "set-cookie").map(([, v]) => v);
      expect(cookies).toEqual(["a=1; Path=/", "b=2"]);
    });

    test("an app error gives a 500 that reveals nothing, logs the detail, and serving goes on", async () => {
      const response = await get("/t/crash");
      expect(response.status).toBe(500);
      const body = await response.text();
      expect(body).toBe("Internal Server Error\n");
      expect(await waitFor(() => server.stderr().includes("secret detail 42"))).toBe(true);
      expect(server.stderr()).toContain("GET /t/crash");
      expect((await get("/t/cookies")).status).toBe(200);
      expect(server.alive()).toBe(true);
    });

    test("an error after the headers aborts the response and is logged", async () => {
      const response = await get("/t/crash-late");
      expect(response.status).toBe(200);
      await expect(response.text()).rejects.toBeDefined();
      expect(await waitFor(() => server.stderr().includes("late failure"))).toBe(true);
      expect((await get("/t/cookies")).status).toBe(200);
    });

    test("write() output goes out before what the iterable yields next", async () => {
      expect(await (await get("/t/write")).text()).toBe("abcd");
    });

    test("bytes past the app's Content-Length are not sent", async () => {
      const response = await raw("/t/length?declared=3&actual=10");
      expect(response.header("content-length")).toBe("3");
      expect(new TextDecoder().decode(response.body)).toBe("xxx");
    });

    test("fewer bytes than the app's Content-Length truncate the response and log", async () => {
      // The client sees a broken response: at the headers (Bun) or in the body (Deno).
      const read = async () => await (await get("/t/length?declared=10&actual=3")).text();
      await expect(read()).rejects.toBeDefined();
      expect(await waitFor(() => server.stderr().includes("Content-Length 10"))).toBe(true);
    });

    for (const code of [204, 205, 304]) {
      test(`${code} carries no body on the wire`, async () => {
        const response = await raw(`/t/status?code=${code}`);
        expect(response.status).toBe(code);
        expect(response.body.length).toBe(0);
      });
    }

    test("HEAD carries no body on the wire", async () => {
      const response = await raw("/t/cookies", "HEAD");
      expect(response.status).toBe(200);
      expect(response.body.length).toBe(0);
    });

    test("a client that disconnects mid-stream gets close() called and the signal fired", async () => {
      for (const path of ["/t/tracked?id=gone", "/t/signal?id=gone"]) {
        const response = await get(path);
        const reader = response.body!.getReader();
        await reader.read();
        await reader.cancel();
      }
      const state = async () => await (await get("/t/closed?id=gone")).text() === "closed";
      const signalled = async () =>
        await (await get("/t/closed?id=signal:gone")).text() === "closed";
      expect(await waitFor(state)).toBe(true);
      expect(await waitFor(signalled)).toBe(true);
    });

    test("CR/LF in a header value never reaches the wire: 500 instead", async () => {
      const response = await raw("/t/bad-header");
      expect(response.status).toBe(500);
      expect(response.headers.map(([name]) => name)).not.toContain("x-injected");
      expect(response.header("set-cookie")).toBeUndefined();
    });

    test("a hop-by-hop header from the app is an error: 500", async () => {
      expect((await raw("/t/hop")).status).toBe(500);
    });
  });
}
