/**
 * The static file server on the wire: the same assertions against real `deno run` and `bun run`
 * processes serving a temporary tree. Devious paths go over raw sockets, since a client library
 * would normalise them before they left; one test per attack.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import { listeningPid, openFileCount } from "./support/open_files.ts";
import { latin1Bytes, rawRequest, type RawResponse } from "./support/raw_http.ts";
import { RUNTIMES, type ServerProcess, startServer } from "./support/server_process.ts";
import { EVIL_NAME, makeStaticTree, SECRETS, type StaticTree } from "./support/static_tree.ts";

const START_TIMEOUT = 60_000;
const ENTRY = "tests/support/static_site.ts";
// What a leaked /etc/passwd would contain.
const FORBIDDEN = [...Object.values(SECRETS), "root:x:0:0"];

/** Attacks on the path, each with the only acceptable status. */
const REFUSED_PATHS: [attack: string, target: string, status: number][] = [
  ["traversal with a raw ../", "/../outside.txt", 404],
  ["traversal deep to /etc/passwd", "/../../../../etc/passwd", 404],
  ["traversal with %2e%2e", "/%2e%2e/outside.txt", 404],
  ["traversal with mixed-case %2E%2e", "/%2E%2e/outside.txt", 404],
  ["traversal with an encoded slash ..%2f", "/..%2foutside.txt", 404],
  ["traversal with an upper-case encoded slash ..%2F", "/..%2Foutside.txt", 404],
  ["traversal fully encoded %2e%2e%2f", "/%2e%2e%2foutside.txt", 404],
  ["traversal with an encoded backslash ..%5c", "/..%5coutside.txt", 404],
  ["traversal with a raw backslash ..\\", "/..\\outside.txt", 404],
  ["traversal double-encoded %252e%252e", "/%252e%252e/outside.txt", 404],
  ["NUL byte truncating the name", "/a.txt%00.html", 400],
  ["a lone NUL byte", "/%00", 400],
  ["a lone percent sign", "/%", 400],
  ["a truncated UTF-8 escape", "/%E0%A4%A", 400],
  ["dotfile /.env", "/.env", 404],
  ["dot folder /.git/config", "/.git/config", 404],
  ["encoded dotfile /%2eenv", "/%2eenv", 404],
  ["symlink to a file outside the root", "/link.txt", 404],
  ["symlinked folder pointing above the root", "/linkdir/outside.txt", 404],
  ["symlinked folder into the sibling folder", "/linkdir/public-secret/secret.txt", 404],
  ["sibling folder sharing the root's prefix", "/../public-secret/secret.txt", 404],
  ["sibling folder through %2e%2e", "/%2e%2e/public-secret/secret.txt", 404],
  ["Windows drive letter", "/C:/Windows/win.ini", 404],
  ["NTFS alternate data stream ::$DATA", "/a.txt::$DATA", 404],
  ["Windows trailing dot", "/a.txt.", 404],
  ["Windows trailing space", "/a.txt%20", 404],
  ["a 10 000-character path", "/" + "a".repeat(10_000), 404],
  ["doubled leading slash to /etc/passwd", "//etc/passwd", 404],
];

/** Requests that must redirect to the folder with its slash, never to another host. */
const FOLDER_REDIRECTS: [attack: string, target: string][] = [
  ["folder without its slash", "/sub"],
  ["protocol-relative open redirect via //sub", "//sub"],
  ["protocol-relative open redirect via /%2fsub", "/%2fsub"],
];

function wireText(response: RawResponse): string {
  const head = response.headers.map(([name, value]) => `${name}: ${value}`).join("\n");
  return `${response.status}\n${head}\n\n${String.fromCharCode(...response.body)}`;
}

function expectNoSecret(response: RawResponse): void {
  const text = wireText(response);
  for (const secret of FORBIDDEN) expect(text).not.toContain(secret);
}

function rawGet(port: number, target: string, headers: string[] = []): Promise<RawResponse> {
  return rawRequest(port, [`GET ${target} HTTP/1.1`, "Host: 127.0.0.1", ...headers]);
}

async function expectStillServing(server: ServerProcess): Promise<void> {
  const response = await rawGet(server.port, "/");
  expect(response.status).toBe(200);
  expect(new TextDecoder().decode(response.body)).toContain("static home");
}

/**
 * Sends a GET and returns the status line and whatever arrived before the connection ended,
 * even if it ended with a reset: a server may refuse a request it did not read to the end,
 * and closing on unread bytes makes the kernel send a reset after the answer.
 */
function rawAnswer(port: number, target: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    socket.on("connect", () => {
      socket.write(latin1Bytes(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    });
    socket.on("data", (data) => text += data.toString("latin1"));
    socket.on("error", () => {});
    socket.on("close", () => {
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
  });
}

/** Connects, sends a GET, and closes the socket as soon as the response headers arrive. */
function abortAfterHeaders(port: number, target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let received = "";
    socket.on(
      "connect",
      () => socket.write(latin1Bytes(`GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`)),
    );
    socket.on("data", (data) => {
      received += data.toString("latin1");
      if (!received.includes("\r\n\r\n")) return;
      socket.destroy();
      resolve();
    });
    socket.on("error", reject);
    socket.on("close", () => resolve());
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

/** The parts of a `multipart/byteranges` body: each part's headers and bytes. */
function multipartParts(body: Uint8Array, boundary: string) {
  const text = String.fromCharCode(...body);
  return text.split(`--${boundary}`).slice(1, -1).map((part) => {
    const [head, data] = part.replace(/^\r\n/, "").split("\r\n\r\n");
    return { head, bytes: latin1Bytes(data.replace(/\r\n$/, "")) };
  });
}

for (const runtime of RUNTIMES) {
  describe(`${runtime}: static files over the wire`, () => {
    let tree: StaticTree;
    let site: ServerProcess;
    let listing: ServerProcess;

    beforeAll(async () => {
      tree = await makeStaticTree();
      // Each assigned as soon as it runs, so afterAll stops it even if the other fails to start.
      await Promise.all([
        startServer(runtime, { entry: ENTRY, env: { STATIC_ROOT: tree.root } })
          .then((server) => site = server),
        startServer(runtime, { entry: ENTRY, env: { STATIC_ROOT: tree.root, LISTING: "1" } })
          .then((server) => listing = server),
      ]);
    }, START_TIMEOUT);

    afterAll(async () => {
      await Promise.all([site?.stop(), listing?.stop()]);
      await tree?.remove();
    });

    const get = (path: string, init?: RequestInit) => fetch(new URL(path, site.url), init);

    describe("safety", () => {
      for (const [attack, target, status] of REFUSED_PATHS) {
        test(`${attack}: ${target.slice(0, 40)} → ${status}`, async () => {
          const response = await rawGet(site.port, target);
          expectNoSecret(response);
          expect(response.status).toBe(status);
          await expectStillServing(site);
        });
      }

      test("/.well-known/ is served although it starts with a dot", async () => {
        const response = await rawGet(site.port, "/.well-known/security.txt");
        expect(response.status).toBe(200);
        expect(new TextDecoder().decode(response.body)).toContain("Contact:");
        await expectStillServing(site);
      });

      test("a 100 000-character path is refused with a 4xx and the server keeps serving", async () => {
        const { status, text } = await rawAnswer(site.port, "/" + "a".repeat(100_000));
        for (const secret of FORBIDDEN) expect(text).not.toContain(secret);
        expect(status).toBeGreaterThanOrEqual(400);
        expect(status).toBeLessThan(500);
        await expectStillServing(site);
      });

      for (const [attack, target] of FOLDER_REDIRECTS) {
        test(`${attack}: ${target} → 301 to /sub/`, async () => {
          const response = await rawGet(site.port, target);
          expect(response.status).toBe(301);
          const location = response.header("location")!;
          expect(location).toBe("/sub/");
          expect(location.startsWith("//")).toBe(false);
          await expectStillServing(site);
        });
      }

      test("the server still serves / after every attack", async () => {
        await expectStillServing(site);
        expect(site.alive()).toBe(true);
        expect(site.stderr()).not.toContain("Error");
      });
    });

    describe("validators and conditional requests", () => {
      test("ETag is weak and Last-Modified is sent", async () => {
        const response = await get("/a.txt");
        expect(response.headers.get("etag")).toMatch(/^W\/"[^"]+"$/);
        expect(response.headers.get("last-modified")).toMatch(/ GMT$/);
        await response.body?.cancel();
      });

      test("If-None-Match with the tag → 304 for GET and for HEAD", async () => {
        const etag = (await get("/a.txt", { method: "HEAD" })).headers.get("etag")!;
        for (const method of ["GET", "HEAD"]) {
          const response = await get("/a.txt", { method, headers: { "If-None-Match": etag } });
          expect(response.status).toBe(304);
          expect(response.headers.get("etag")).toBe(etag);
          expect(await response.text()).toBe("");
        }
      });

      test("If-None-Match with a list holding the tag → 304", async () => {
        const etag = (await get("/a.txt", { method: "HEAD" })).headers.get("etag")!;
        const response = await get("/a.txt", { headers: { "If-None-Match": `"x", ${etag}` } });
        expect(response.status).toBe(304);
      });

      test("If-None-Match: * → 304", async () => {
        const response = await get("/a.txt", { headers: { "If-None-Match": "*" } });
        expect(response.status).toBe(304);
      });

      test("If-Modified-Since equal to Last-Modified → 304", async () => {
        const modified = (await get("/a.txt", { method: "HEAD" })).headers.get("last-modified")!;
        const response = await get("/a.txt", { headers: { "If-Modified-Since": modified } });
        expect(response.status).toBe(304);
      });

      test('If-Match: "nope" → 412', async () => {
        const response = await get("/a.txt", { headers: { "If-Match": '"nope"' } });
        expect(response.status).toBe(412);
        await response.body?.cancel();
      });

      test("If-Unmodified-Since in 2000 → 412", async () => {
        const response = await get("/a.txt", {
          headers: { "If-Unmodified-Since": "Sat, 01 Jan 2000 00:00:00 GMT" },
        });
        expect(response.status).toBe(412);
        await response.body?.cancel();
      });
    });

    describe("ranges", () => {
      const range = (value: string, headers: Record<string, string> = {}) =>
        get("/thousand.bin", { headers: { Range: value, ...headers } });

      test("Accept-Ranges: bytes is announced", async () => {
        const response = await get("/thousand.bin", { method: "HEAD" });
        expect(response.headers.get("accept-ranges")).toBe("bytes");
      });

      test("bytes=0-0 → 206 with one byte", async () => {
        const response = await range("bytes=0-0");
        expect(response.status).toBe(206);
        expect(response.headers.get("content-range")).toBe("bytes 0-0/1000");
        expect(new Uint8Array(await response.arrayBuffer())).toEqual(
          tree.bytes["/thousand.bin"].slice(0, 1),
        );
      });

      test("bytes=-10 → the last ten bytes", async () => {
        const response = await range("bytes=-10");
        expect(response.status).toBe(206);
        expect(response.headers.get("content-range")).toBe("bytes 990-999/1000");
        expect(new Uint8Array(await response.arrayBuffer())).toEqual(
          tree.bytes["/thousand.bin"].slice(990),
        );
      });

      test("bytes=990- → from byte 990 to the end", async () => {
        const response = await range("bytes=990-");
        expect(response.status).toBe(206);
        expect(response.headers.get("content-range")).toBe("bytes 990-999/1000");
        expect(new Uint8Array(await response.arrayBuffer())).toEqual(
          tree.bytes["/thousand.bin"].slice(990),
        );
      });

      test("bytes=5000- → 416 with bytes */1000", async () => {
        const response = await range("bytes=5000-");
        expect(response.status).toBe(416);
        expect(response.headers.get("content-range")).toBe("bytes */1000");
        await response.body?.cancel();
      });

      test("two ranges → multipart/byteranges with the right bytes in each part", async () => {
        const response = await range("bytes=0-9, 500-519");
        expect(response.status).toBe(206);
        const type = response.headers.get("content-type")!;
        const boundary = /^multipart\/byteranges; boundary=(\S+)$/.exec(type)?.[1];
        expect(boundary).toBeDefined();
        const body = new Uint8Array(await response.arrayBuffer());
        const parts = multipartParts(body, boundary!);
        expect(parts.length).toBe(2);
        expect(parts[0].head).toContain("Content-Range: bytes 0-9/1000");
        expect(parts[0].bytes).toEqual(tree.bytes["/thousand.bin"].slice(0, 10));
        expect(parts[1].head).toContain("Content-Range: bytes 500-519/1000");
        expect(parts[1].bytes).toEqual(tree.bytes["/thousand.bin"].slice(500, 520));
      });

      test("multipart/byteranges announces its Content-Length", async () => {
        const response = await rawGet(site.port, "/thousand.bin", ["Range: bytes=0-9, 500-519"]);
        expect(response.status).toBe(206);
        expect(response.header("transfer-encoding")).toBeUndefined();
        expect(response.header("content-length")).toBe(String(response.body.length));
      });

      test("overlapping ranges → 200 with the whole file", async () => {
        const response = await range("bytes=0-499, 100-599");
        expect(response.status).toBe(200);
        expect(new Uint8Array(await response.arrayBuffer())).toEqual(tree.bytes["/thousand.bin"]);
      });

      test("If-Range with Last-Modified → 206, with an entity tag → 200", async () => {
        const head = await get("/thousand.bin", { method: "HEAD" });
        const byDate = await range("bytes=0-0", { "If-Range": head.headers.get("last-modified")! });
        expect(byDate.status).toBe(206);
        await byDate.body?.cancel();
        const byTag = await range("bytes=0-0", { "If-Range": head.headers.get("etag")! });
        expect(byTag.status).toBe(200);
        expect((await byTag.arrayBuffer()).byteLength).toBe(1000);
      });
    });

    describe("precompressed files", () => {
      // Over a raw socket: fetch would add its own Accept-Encoding and decompress the body.
      test("Accept-Encoding: br → the .br bytes, Content-Encoding: br, Vary", async () => {
        const response = await rawGet(site.port, "/x.js", ["Accept-Encoding: br"]);
        expect(response.status).toBe(200);
        expect(response.header("content-encoding")).toBe("br");
        expect(response.header("vary")).toContain("Accept-Encoding");
        expect(response.header("content-type")).toContain("javascript");
        expect(response.body).toEqual(tree.bytes["/x.js.br"]);
      });

      test("gzip;q=0, br;q=0 → the file itself, still with Vary", async () => {
        const response = await rawGet(site.port, "/x.js", ["Accept-Encoding: gzip;q=0, br;q=0"]);
        expect(response.status).toBe(200);
        expect(response.header("content-encoding")).toBeUndefined();
        expect(response.header("vary")).toContain("Accept-Encoding");
        expect(response.body).toEqual(tree.bytes["/x.js"]);
      });

      test("Accept-Encoding: gzip → the .gz bytes", async () => {
        const response = await rawGet(site.port, "/x.js", ["Accept-Encoding: gzip"]);
        expect(response.header("content-encoding")).toBe("gzip");
        expect(response.body).toEqual(tree.bytes["/x.js.gz"]);
      });

      test("/x.js.br asked for directly has no Content-Encoding and is not JavaScript", async () => {
        const response = await rawGet(site.port, "/x.js.br", ["Accept-Encoding: br"]);
        expect(response.status).toBe(200);
        expect(response.header("content-encoding")).toBeUndefined();
        expect(response.header("content-type")).not.toContain("javascript");
        expect(response.body).toEqual(tree.bytes["/x.js.br"]);
      });
    });

    describe("headers and methods", () => {
      test("a fingerprinted name is cached for a year, immutable", async () => {
        const response = await get("/app.3f9a2c1b.js");
        const cacheControl = response.headers.get("cache-control")!;
        expect(cacheControl).toContain("immutable");
        expect(cacheControl).toContain("max-age=31536000");
        await response.body?.cancel();
      });

      test("a.txt is text/plain; charset=utf-8 with Cache-Control: no-cache", async () => {
        const response = await get("/a.txt");
        expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
        expect(response.headers.get("cache-control")).toBe("no-cache");
        expect(new Uint8Array(await response.arrayBuffer())).toEqual(tree.bytes["/a.txt"]);
      });

      test("a file sent from disk carries no Content-Disposition naming it", async () => {
        // big.bin is past the in-memory cache, so it is sent from disk (Bun.file on Bun, which
        // would add `filename="big.bin"` of its own).
        const response = await rawGet(site.port, "/big.bin");
        expect(response.status).toBe(200);
        const dispositions = response.headers.filter(([name]) => name === "content-disposition");
        expect(dispositions).toEqual([["content-disposition", "inline"]]);
      });

      test("POST / → 405 with Allow: GET, HEAD, OPTIONS", async () => {
        const response = await get("/", { method: "POST", body: "x" });
        expect(response.status).toBe(405);
        expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
        await response.body?.cancel();
      });

      test("OPTIONS → 204 with Allow", async () => {
        const response = await get("/a.txt", { method: "OPTIONS" });
        expect(response.status).toBe(204);
        expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
      });

      test("HEAD sends no body and the Content-Length of the GET", async () => {
        for (const path of ["/kb.txt", "/big.bin"]) {
          const head = await rawRequest(site.port, [`HEAD ${path} HTTP/1.1`, "Host: x"]);
          const whole = await rawGet(site.port, path);
          expect(head.status).toBe(200);
          expect(head.body.length).toBe(0);
          expect(head.header("content-length")).toBe(String(tree.bytes[path].length));
          expect(head.header("content-length")).toBe(whole.header("content-length"));
          expect(whole.body.length).toBe(tree.bytes[path].length);
        }
      });

      test("the 3 MB file downloads byte for byte", async () => {
        const response = await get("/big.bin");
        expect(response.status).toBe(200);
        expect(new Uint8Array(await response.arrayBuffer())).toEqual(tree.bytes["/big.bin"]);
      });
    });

    describe("file descriptors", () => {
      let pid: number;
      beforeAll(async () => {
        pid = await listeningPid(site.port);
      });

      const settlesNear = async (baseline: number) => {
        const settled = await waitFor(async () => await openFileCount(pid) <= baseline + 5);
        if (!settled) expect(await openFileCount(pid)).toBeLessThanOrEqual(baseline + 5);
      };

      test("200 HEAD requests for the 3 MB file leave no descriptor open", async () => {
        const baseline = await openFileCount(pid);
        for (let i = 0; i < 200; i++) {
          const response = await rawRequest(site.port, ["HEAD /big.bin HTTP/1.1", "Host: x"]);
          expect(response.status).toBe(200);
        }
        await settlesNear(baseline);
      }, 30_000);

      test("50 downloads aborted after the headers leave no descriptor open", async () => {
        const baseline = await openFileCount(pid);
        for (let i = 0; i < 50; i++) await abortAfterHeaders(site.port, "/big.bin");
        await settlesNear(baseline);
        await expectStillServing(site);
      }, 30_000);

      test("50 fetches cancelled after one chunk leave no descriptor open", async () => {
        const baseline = await openFileCount(pid);
        for (let i = 0; i < 50; i++) {
          const controller = new AbortController();
          const response = await get("/big.bin", { signal: controller.signal });
          const reader = response.body!.getReader();
          await reader.read();
          await reader.cancel();
          controller.abort();
        }
        await settlesNear(baseline);
        await expectStillServing(site);
      }, 30_000);
    });

    describe("directory listing", () => {
      test("lists a folder without an index, escaping an HTML-injection name", async () => {
        const response = await fetch(new URL("/plain/", listing.url));
        expect(response.status).toBe(200);
        expect(response.headers.get("content-type")).toContain("text/html");
        const html = await response.text();
        expect(html).toContain("&lt;img");
        expect(html).not.toContain("<img src=x");
        const href = /<a href="([^"]+\.txt)">/.exec(html)?.[1];
        expect(href).toBe(encodeURIComponent(EVIL_NAME));
        const file = await fetch(new URL(`/plain/${href}`, listing.url));
        expect(await file.text()).toBe("just text\n");
      });

      test("without LISTING the same folder → 404", async () => {
        const response = await get("/plain/");
        expect(response.status).toBe(404);
        expect(await response.text()).not.toContain("&lt;img");
      });
    });
  });
}
