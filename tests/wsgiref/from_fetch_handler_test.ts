import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { toFetchHandler } from "../../src/core/handler.ts";
import type { Environ, HeaderPair, WsgiApp } from "../../src/core/types.ts";
import { dispatcher } from "../../src/wsgiref/dispatcher.ts";
import { fromFetchHandler } from "../../src/wsgiref/from_fetch_handler.ts";
import { testEnviron } from "../../src/wsgiref/test_environ.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

function honoApi() {
  const api = new Hono().basePath("/api");
  api.get("/users/:id", (c) => c.json({ id: c.req.param("id"), q: c.req.query("q") ?? null }));
  api.get("/url", (c) => c.text(c.req.url));
  api.post("/echo", async (c) => c.text(`${c.req.header("content-type")}|${await c.req.text()}`));
  api.get("/cookies", (c) => {
    c.header("Set-Cookie", "a=1; Path=/", { append: true });
    c.header("Set-Cookie", "b=2; HttpOnly", { append: true });
    c.header("X-Custom", "yes");
    return c.text("created", 201);
  });
  return api;
}

/** Mounts a Hono app at /api beside a plain WSGI app, through the adapter. */
function site(fetch: (request: Request) => Response | Promise<Response>) {
  const lines: string[] = [];
  const app = dispatcher({ "/api": fromFetchHandler(fetch) });
  const handler = toFetchHandler(app, { logger: (line) => lines.push(line) });
  return {
    fetch: (path: string, init?: RequestInit) =>
      handler(new Request(`http://example.com${path}`, init)),
    lines,
  };
}

/** Calls a WSGI app directly, recording start_response. */
async function callDirect(app: WsgiApp, environ: Environ) {
  const started: { status?: string; headers?: HeaderPair[] } = {};
  const result = await app(environ, (status, headers) => {
    started.status = status;
    started.headers = headers;
    return () => {};
  });
  return { started, result };
}

describe("fromFetchHandler()", () => {
  test("routes a Hono app by the full path under SCRIPT_NAME", async () => {
    const { fetch } = site(honoApi().fetch);
    const response = await fetch("/api/users/42?q=x%20y");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: "42", q: "x y" });
  });

  test("routes a root Hono app by PATH_INFO alone with stripScriptName", async () => {
    const root = new Hono();
    root.get(
      "/users/:id",
      (c) => c.text(`user ${c.req.param("id")} at ${new URL(c.req.url).pathname}`),
    );
    const app = dispatcher({ "/api": fromFetchHandler(root.fetch, { stripScriptName: true }) });
    const response = await toFetchHandler(app)(new Request("http://example.com/api/users/7"));
    expect(await response.text()).toBe("user 7 at /users/7");
  });

  test("streams a POST body from wsgi.input with its headers", async () => {
    const { fetch } = site(honoApi().fetch);
    const response = await fetch("/api/echo", {
      method: "POST",
      headers: { "Content-Type": "text/plain; charset=utf-8" },
      body: "caf\u00e9 au lait",
    });
    expect(await response.text()).toBe("text/plain; charset=utf-8|caf\u00e9 au lait");
  });

  test("keeps status, reason, headers and each Set-Cookie", async () => {
    const { fetch } = site(honoApi().fetch);
    const response = await fetch("/api/cookies");
    expect(response.status).toBe(201);
    expect(response.statusText).toBe("Created");
    expect(response.headers.get("x-custom")).toBe("yes");
    expect(response.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; HttpOnly"]);
    expect(await response.text()).toBe("created");
  });

  test("keeps the handler's Content-Type", async () => {
    const hono = new Hono();
    hono.get("/j", (c) => c.json({ ok: true }));
    const response = await toFetchHandler(fromFetchHandler(hono.fetch))(new Request("http://x/j"));
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({ ok: true });
  });

  test("passes the handler's statusText, or the standard phrase when it is empty", async () => {
    const custom = fromFetchHandler(() =>
      new Response("x", { status: 418, statusText: "Short And Stout" })
    );
    expect((await callDirect(custom, testEnviron())).started.status).toBe("418 Short And Stout");
    const plain = fromFetchHandler(() => new Response(null, { status: 404 }));
    expect((await callDirect(plain, testEnviron())).started.status).toBe("404 Not Found");
    const odd = fromFetchHandler(() => new Response(null, { status: 299 }));
    expect((await callDirect(odd, testEnviron())).started.status).toBe("299 Unknown");
  });

  test("drops hop-by-hop headers from the handler's response", async () => {
    const app = fromFetchHandler(() =>
      new Response("x", { headers: { Connection: "close", "Keep-Alive": "5", "X-Kept": "1" } })
    );
    const { started } = await callDirect(app, testEnviron());
    const names = started.headers!.map(([name]) => name);
    expect(names).toContain("x-kept");
    expect(names).not.toContain("connection");
    expect(names).not.toContain("keep-alive");
  });

  test("streams the response body chunk by chunk", async () => {
    let produced = 0;
    const app = fromFetchHandler(() =>
      new Response(
        new ReadableStream<Uint8Array>({
          async pull(controller) {
            await tick(5);
            produced++;
            if (produced > 3) controller.close();
            else controller.enqueue(encoder.encode(`chunk${produced};`));
          },
        }, { highWaterMark: 0 }),
      )
    );
    const response = await toFetchHandler(app)(new Request("http://example.com/"));
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(decoder.decode(first.value)).toBe("chunk1;");
    expect(produced).toBeLessThan(3);
    let rest = "";
    for (;;) {
      const step = await reader.read();
      if (step.done) break;
      rest += decoder.decode(step.value);
    }
    expect(rest).toBe("chunk2;chunk3;");
  });

  test("close() cancels an unfinished response body", async () => {
    let cancelled: unknown = "not cancelled";
    const app = fromFetchHandler(() =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            controller.enqueue(encoder.encode("tick"));
          },
          cancel(reason) {
            cancelled = reason;
          },
        }),
      )
    );
    const { result } = await callDirect(app, testEnviron());
    const iterator = (result as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    expect(decoder.decode((await iterator.next()).value)).toBe("tick");
    await result.close!();
    expect(cancelled).toBeUndefined();
    expect((await iterator.next()).done).toBe(true);
  });

  test("the client going away cancels a stalled response body", async () => {
    let cancelled = false;
    const app = fromFetchHandler(() =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(encoder.encode("first"));
            // ...and nothing more, ever.
          },
          cancel() {
            cancelled = true;
          },
        }),
      )
    );
    const response = await toFetchHandler(app)(new Request("http://example.com/"));
    const reader = response.body!.getReader();
    expect(decoder.decode((await reader.read()).value)).toBe("first");
    await reader.cancel();
    await tick();
    expect(cancelled).toBe(true);
  });

  test("gives an empty body for a response without one", async () => {
    const app = fromFetchHandler(() => new Response(null, { status: 204 }));
    const { started, result } = await callDirect(app, testEnviron());
    expect(started.status).toBe("204 No Content");
    expect([...(result as Iterable<Uint8Array>)]).toEqual([]);
  });

  test("a handler error becomes a 500 from the adapter", async () => {
    const { fetch, lines } = site(() => {
      throw new Error("handler broke");
    });
    const response = await fetch("/api/x");
    expect(response.status).toBe(500);
    expect(lines.join("\n")).toContain("handler broke");
  });

  test("throws a TypeError when the handler returns no Response", async () => {
    const app = fromFetchHandler((() => "nope") as never);
    await expect(callDirect(app, testEnviron())).rejects.toThrow(
      "The fetch handler must return a Response, not string",
    );
  });

  test("throws a TypeError when the handler is not a function", () => {
    expect(() => fromFetchHandler({} as never)).toThrow(
      "The handler must be a function of a Request, not object",
    );
  });
});
