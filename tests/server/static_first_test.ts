import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { createApp } from "../../src/server/app.ts";
import { join } from "../../src/base/path.ts";
import type { WsgiApp } from "../../src/core/types.ts";

// createApp() answers fresh cached files before Hono's router: these tests ask each question
// twice, the first answered through the router (nothing is cached yet), the second by the
// fast path, and want the same answer, byte for byte.

const FILES: Record<string, string> = {
  "a.txt": "hello from a.txt\n",
  "x.js": "IDENTITY-JS-x\n",
  "x.js.br": "BROTLI-BYTES-of-x\n",
  "404.html": "CUSTOM-404\n",
  "api/owned.txt": "a static file under a mounted prefix\n",
  "page.html": "a static page whose URL an app owns\n",
  "whole/owned.txt": "a static file when everything is mounted\n",
};

const echo: WsgiApp = (environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  return [`app ${environ.SCRIPT_NAME} ${environ.PATH_INFO}`];
};

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "static-first-"));
  for (const [name, content] of Object.entries(FILES)) {
    await mkdir(join(root, name, ".."), { recursive: true });
    await writeFile(join(root, name), content);
  }
});
afterAll(() => rm(root, { recursive: true, force: true }));

interface Seen {
  status: number;
  headers: [string, string][];
  body: string;
}

async function ask(
  app: { fetch: (r: Request) => Response | Promise<Response> },
  path: string,
  init?: RequestInit,
): Promise<Seen> {
  const response = await app.fetch(new Request(`http://localhost${path}`, init));
  const seen = {
    status: response.status,
    headers: [...response.headers],
    body: await response.text(),
  };
  // A multipart body's boundary is new on every response: compare all but it.
  const boundary = /boundary=([^;\s]+)/.exec(response.headers.get("content-type") ?? "")?.[1];
  if (!boundary) return seen;
  const same = (text: string) => text.replaceAll(boundary, "BOUNDARY");
  return {
    status: seen.status,
    headers: seen.headers.map(([name, value]) => [name, same(value)]),
    body: same(seen.body),
  };
}

const etagOf = async (app: { fetch: (r: Request) => Response | Promise<Response> }) =>
  (await ask(app, "/a.txt")).headers.find(([name]) => name === "etag")![1];

describe("createApp() static files before the router", () => {
  const variants: [string, string, RequestInit | undefined][] = [
    ["a GET", "/a.txt", undefined],
    ["a GET with a query", "/a.txt?v=1", undefined],
    ["a HEAD", "/a.txt", { method: "HEAD" }],
    ["a range", "/a.txt", { headers: { Range: "bytes=2-5" } }],
    ["two ranges", "/a.txt", { headers: { Range: "bytes=0-1,4-6" } }],
    ["an unsatisfiable range", "/a.txt", { headers: { Range: "bytes=900-" } }],
    ["If-Modified-Since in the future", "/a.txt", {
      headers: { "If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT" },
    }],
    ["If-Match that fails", "/a.txt", { headers: { "If-Match": '"nope"' } }],
    ["a precompressed sibling", "/x.js", { headers: { "Accept-Encoding": "br" } }],
    ["no encoding accepted", "/x.js", { headers: { "Accept-Encoding": "identity" } }],
    ["a dot segment", "/nothing/../a.txt", undefined],
    ["a POST", "/a.txt", { method: "POST" }],
    ["an OPTIONS", "/a.txt", { method: "OPTIONS" }],
    ["a trailing slash", "/a.txt/", undefined],
    ["a missing file", "/missing.txt", undefined],
  ];
  for (const [what, path, init] of variants) {
    test(`createApp() answers ${what} the same before and after the file is cached`, async () => {
      const app = createApp({ root });
      const first = await ask(app, path, init);
      const second = await ask(app, path, init);
      const third = await ask(app, path, init);
      expect(second).toEqual(first);
      expect(third).toEqual(first);
    });
  }

  test("createApp() answers If-None-Match with 304 from the cache, as through the router", async () => {
    const app = createApp({ root });
    const etag = await etagOf(app);
    const first = await ask(createApp({ root }), "/a.txt", { headers: { "If-None-Match": etag } });
    const cached = await ask(app, "/a.txt", { headers: { "If-None-Match": etag } });
    expect(first.status).toBe(304);
    expect(cached).toEqual(first);
  });

  test("createApp() lets a mounted app keep its paths, even for a cached static file", async () => {
    const app = createApp({ root, mounts: { "/api": echo } });
    for (let i = 0; i < 3; i++) {
      expect((await ask(app, "/api/owned.txt")).body).toBe("app /api /owned.txt");
      // The percent-encoded spelling Hono routes to the same app.
      expect((await ask(app, "/%61pi/owned.txt")).body).toBe("app /api /owned.txt");
      expect((await ask(app, "/a.txt")).body).toBe(FILES["a.txt"]);
    }
  });

  test("createApp() lets a mounted app keep a path whose file the cache already holds", async () => {
    // `/page` is served from page.html (clean URLs), which puts page.html in the cache; the
    // URL `/page.html` itself belongs to the app mounted there.
    const app = createApp({ root, mounts: { "/page.html": echo }, static: { cleanUrls: true } });
    for (let i = 0; i < 3; i++) {
      expect((await ask(app, "/page")).body).toBe(FILES["page.html"]);
      expect((await ask(app, "/page.html")).body).toBe("app /page.html ");
      expect((await ask(app, "/%70age.html")).body).toBe("app /page.html ");
    }
  });

  test("createApp() lets an app mounted at / answer everything", async () => {
    const app = createApp({ root, mounts: { "/": echo } });
    for (let i = 0; i < 3; i++) {
      expect((await ask(app, "/whole/owned.txt")).body).toBe("app  /whole/owned.txt");
    }
  });

  test("createApp() answers a file of root before an app at / when asked, the app the rest", async () => {
    const app = createApp({ root, mounts: { "/": echo }, filesBeforeRootApp: true });
    for (let i = 0; i < 3; i++) {
      expect((await ask(app, "/whole/owned.txt")).body).toBe(FILES["whole/owned.txt"]);
      expect((await ask(app, "/whole/")).body).toBe("app  /whole/");
      expect((await ask(app, "/whole/missing.txt")).body).toBe("app  /whole/missing.txt");
      expect((await ask(app, "/whole/owned.txt", { method: "POST" })).body).toBe(
        "app  /whole/owned.txt",
      );
    }
  });

  test("createApp() serves files under its root path from the cache too", async () => {
    const app = createApp({ root, rootPath: "/site" });
    const first = await ask(app, "/site/a.txt");
    expect(first.body).toBe(FILES["a.txt"]);
    expect(await ask(app, "/site/a.txt")).toEqual(first);
  });

  test("createApp() shows a file changed on disk once the cache's TTL has passed", async () => {
    const path = join(root, "changing.txt");
    await writeFile(path, "first\n");
    // The TTL is time itself; a second of it, so that a loaded machine still asks again well
    // within it.
    const app = createApp({ root, static: { cacheTtlMs: 1000 } });
    expect((await ask(app, "/changing.txt")).body).toBe("first\n");
    await writeFile(path, "second\n");
    expect((await ask(app, "/changing.txt")).body).toBe("first\n");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await ask(app, "/changing.txt")).body).toBe("second\n");
    await rm(path);
    expect((await ask(app, "/changing.txt")).body).toBe("second\n");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await ask(app, "/changing.txt")).status).toBe(404);
  }, 15_000);
});
