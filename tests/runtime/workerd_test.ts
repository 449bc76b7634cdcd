import { describe, expect, test } from "bun:test";
import { isWorkerd, toWorker, workerdConnInfo } from "../../src/runtime/workerd.ts";
import { createWorkerApp } from "../../src/server/worker_app.ts";
import type { WsgiApp } from "../../src/core/types.ts";

// What a Worker's ctx gets: the promises handed to waitUntil.
function fakeContext() {
  const kept: Promise<unknown>[] = [];
  return { kept, ctx: { waitUntil: (promise: Promise<unknown>) => void kept.push(promise) } };
}

const environApp: WsgiApp = (environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "application/json"]]);
  const keys = ["REMOTE_ADDR", "REMOTE_PORT", "SERVER_NAME", "SERVER_PORT", "wsgi.url_scheme"];
  return [JSON.stringify(Object.fromEntries(keys.map((key) => [key, environ[key] ?? null])))];
};

describe("isWorkerd()", () => {
  test("is false outside workerd", () => {
    expect(isWorkerd()).toBe(false);
  });
});

describe("workerdConnInfo()", () => {
  test("takes the client's address from CF-Connecting-IP, with no port", () => {
    const request = new Request("https://example.com/", {
      headers: { "CF-Connecting-IP": "2001:db8::7" },
    });
    expect(workerdConnInfo(request).remoteAddr).toEqual({ hostname: "2001:db8::7" });
  });

  test("knows no client without the header", () => {
    expect(workerdConnInfo(new Request("https://example.com/")).remoteAddr).toBeUndefined();
  });
});

describe("toWorker()", () => {
  test("fills REMOTE_ADDR from CF-Connecting-IP and the server from the URL, no REMOTE_PORT", async () => {
    const { ctx } = fakeContext();
    const request = new Request("https://example.com/x", {
      headers: { "CF-Connecting-IP": "203.0.113.7" },
    });
    const response = await toWorker(environApp).fetch(request, {}, ctx);
    expect(await response.json()).toEqual({
      REMOTE_ADDR: "203.0.113.7",
      REMOTE_PORT: null,
      SERVER_NAME: "example.com",
      SERVER_PORT: "443",
      "wsgi.url_scheme": "https",
    });
  });

  test("hands a streamed body's close() to ctx.waitUntil, which sees it finish", async () => {
    const { ctx, kept } = fakeContext();
    let closed = false;
    const app: WsgiApp = (_environ, startResponse) => {
      startResponse("200 OK", [["Content-Type", "text/plain"]]);
      const body = (async function* () {
        yield "a";
      })();
      return Object.assign(body, {
        close: async () => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          closed = true;
        },
      });
    };
    const response = await toWorker(app).fetch(new Request("http://x/"), {}, ctx);
    expect(await response.text()).toBe("a");
    expect(kept.length).toBeGreaterThan(0);
    await Promise.all(kept);
    expect(closed).toBe(true);
  });

  test("passes a Fetch app its request, env and ctx as they are", async () => {
    const { ctx } = fakeContext();
    const env = { KEY: "value" };
    const worker = toWorker({
      fetch: (_request, given) => new Response((given as typeof env).KEY),
    });
    expect(await (await worker.fetch(new Request("http://x/"), env, ctx)).text()).toBe("value");
  });
});

describe("createWorkerApp()", () => {
  const app = createWorkerApp({ mounts: { "/apps/environ": environApp } });
  const assets = {
    ASSETS: { fetch: (request: Request) => Promise.resolve(new Response(`asset ${request.url}`)) },
  };

  test("answers what no app owns from the ASSETS binding", async () => {
    const response = await app.fetch(new Request("http://x/style.css"), assets);
    expect(await response.text()).toBe("asset http://x/style.css");
  });

  test("answers 404 when the Worker has no ASSETS binding", async () => {
    const response = await app.fetch(new Request("http://x/style.css"), {});
    expect(response.status).toBe(404);
  });

  test("routes the mounted app's paths to the app, never to the assets", async () => {
    const response = await app.fetch(new Request("http://x/apps/environ/y"), assets);
    expect(response.headers.get("content-type")).toBe("application/json");
  });

  test("refuses a mount prefix ending with a slash", () => {
    expect(() => createWorkerApp({ mounts: { "/apps/": environApp } })).toThrow(TypeError);
  });
});
