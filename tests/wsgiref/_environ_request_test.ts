import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { toFetchHandler } from "../../src/core/handler.ts";
import type { Environ, WsgiApp } from "../../src/core/types.ts";
import { dispatcher } from "../../src/wsgiref/dispatcher.ts";
import { type EnvironOverrides, testEnviron } from "../../src/wsgiref/test_environ.ts";
import { fromFetchHandler } from "../../src/wsgiref/from_fetch_handler.ts";

/** Calls a WSGI app directly with a start_response that records nothing. */
async function callDirect(app: WsgiApp, environ: Environ) {
  return await app(environ, () => () => {});
}

/** The URL a Fetch handler sees for an environ. */
async function urlFor(overrides: EnvironOverrides): Promise<string> {
  let url = "";
  await callDirect(
    fromFetchHandler((request) => {
      url = request.url;
      return new Response(null, { status: 204 });
    }),
    testEnviron(overrides),
  );
  return url;
}

describe("fromFetchHandler() request", () => {
  const URLS: [overrides: EnvironOverrides, url: string][] = [
    [{}, "http://127.0.0.1/"],
    [{ SCRIPT_NAME: "/app", PATH_INFO: "", QUERY_STRING: "a=1" }, "http://127.0.0.1/app?a=1"],
    [{ PATH_INFO: "/a b/%/?/#" }, "http://127.0.0.1/a%20b/%25/%3F/%23"],
    [{ PATH_INFO: "/user@host:1/!$&'()*+,;=" }, "http://127.0.0.1/user@host:1/!$&'()*+,;="],
    [{ PATH_INFO: "/back\\slash" }, "http://127.0.0.1/back%5Cslash"],
    [{ HTTP_HOST: "example.com:8080" }, "http://example.com:8080/"],
    [{ HTTP_HOST: "[::1]:8080" }, "http://[::1]:8080/"],
    [{ HTTP_HOST: undefined, SERVER_NAME: "::1", SERVER_PORT: "8000" }, "http://[::1]:8000/"],
    [
      { HTTP_HOST: "", SERVER_NAME: "example.com", SERVER_PORT: "443", HTTPS: "on" },
      "https://example.com/",
    ],
    [{ HTTP_HOST: "a@evil.test" }, "http://127.0.0.1/"],
    [{ HTTP_HOST: "evil.test#" }, "http://127.0.0.1/"],
    [{ HTTP_HOST: "evil.test\\x" }, "http://127.0.0.1/"],
  ];
  for (const [overrides, url] of URLS) {
    test(`builds ${url} from ${JSON.stringify(overrides)}`, async () => {
      expect(await urlFor(overrides)).toBe(url);
    });
  }

  test("gives the handler the URL the client asked for", async () => {
    const api = new Hono().basePath("/api");
    api.get("/url", (c) => c.text(c.req.url));
    const handler = toFetchHandler(dispatcher({ "/api": fromFetchHandler(api.fetch) }));
    const response = await handler(new Request("http://example.com/api/url?a=1+2&b=%2F"));
    expect(await response.text()).toBe("http://example.com/api/url?a=1+2&b=%2F");
  });

  test("pulls the request body from wsgi.input one read at a time", async () => {
    const sizes: number[] = [];
    const environ = testEnviron({ PATH_INFO: "/upload" }, { body: "x".repeat(150_000) });
    const input = environ["wsgi.input"];
    const read = input.read;
    input.read = (size?: number) => {
      sizes.push(size ?? -1);
      return read(size);
    };
    let length = 0;
    const app = fromFetchHandler(async (request) => {
      const reader = request.body!.getReader();
      const first = await reader.read();
      // Only what the handler asked for has been read from wsgi.input.
      expect(sizes).toEqual([65536]);
      length += first.value!.length;
      for (;;) {
        const step = await reader.read();
        if (step.done) break;
        length += step.value.length;
      }
      return new Response("ok");
    });
    await callDirect(app, environ);
    expect(length).toBe(150_000);
    expect(sizes).toEqual([65536, 65536, 65536, 65536]);
  });

  test("rebuilds the request headers from HTTP_* and CONTENT_* keys", async () => {
    let seen: Headers | undefined;
    const app = fromFetchHandler((request) => {
      seen = request.headers;
      return new Response(null, { status: 204 });
    });
    await callDirect(
      app,
      testEnviron({
        REQUEST_METHOD: "PUT",
        CONTENT_TYPE: "application/json",
        CONTENT_LENGTH: "0",
        HTTP_X_REQUESTED_WITH: "fetch",
        HTTP_COOKIE: "a=1; b=2",
        HTTP_CONNECTION: "keep-alive",
      }),
    );
    expect(seen!.get("content-type")).toBe("application/json");
    expect(seen!.get("x-requested-with")).toBe("fetch");
    expect(seen!.get("cookie")).toBe("a=1; b=2");
    expect(seen!.get("host")).toBe("127.0.0.1");
    expect(seen!.has("connection")).toBe(false);
  });

  test("a Host header with a slash cannot change the path the handler routes on", async () => {
    let url = "";
    const app = fromFetchHandler((request) => {
      url = request.url;
      return new Response("ok");
    });
    await callDirect(app, testEnviron({ HTTP_HOST: "evil.test/admin?", PATH_INFO: "/public" }));
    expect(url).toBe("http://127.0.0.1/public");
  });

  test("dot segments in PATH_INFO cannot climb out of SCRIPT_NAME", async () => {
    let url = "";
    const app = fromFetchHandler((request) => {
      url = request.url;
      return new Response("ok");
    });
    await callDirect(app, testEnviron({ SCRIPT_NAME: "/api", PATH_INFO: "/x/../../admin" }));
    expect(url).toBe("http://127.0.0.1/api/admin");
  });

  test("percent-encodes latin-1 path bytes so UTF-8 paths round-trip", async () => {
    const hono = new Hono();
    hono.get("*", (c) => c.text(decodeURIComponent(new URL(c.req.url).pathname)));
    const response = await toFetchHandler(fromFetchHandler(hono.fetch))(
      new Request("http://example.com/caf%C3%A9/%3F"),
    );
    expect(await response.text()).toBe("/caf\u00e9/?");
  });
});
