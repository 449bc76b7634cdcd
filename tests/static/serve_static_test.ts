import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import type { Hono } from "hono";
import { createApp } from "../../src/server/app.ts";
import { join } from "../../src/base/path.ts";
import type { StaticOptions } from "../../src/static/serve_static.ts";
import type { WsgiApp } from "../../src/core/types.ts";

// Content that must never reach a client.
const OUTSIDE = "OUTSIDE-SECRET-5d1e";
const SIBLING = "SIBLING-SECRET-a07c";
const DOTENV = "DOTENV-SECRET-33f0";
const GIT = "GIT-SECRET-e9b2";
const LEAKS = [OUTSIDE, SIBLING, DOTENV, GIT];

// Every fixture gets this modification time, so dates and validators are known in advance.
const MTIME = new Date("2024-01-02T03:04:05Z");
const LAST_MODIFIED = "Tue, 02 Jan 2024 03:04:05 GMT";
const BEFORE = "Mon, 01 Jan 2024 00:00:00 GMT";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const GBK_PAGE = new Uint8Array([
  ...encoder.encode('<!DOCTYPE html><meta charset="gbk"><p>'),
  0xb1,
  0xcf,
  ...encoder.encode("</p>\n"),
]);
// 1000 bytes, each its index modulo 256, so a slice shows where it came from.
const DATA = Uint8Array.from({ length: 1000 }, (_, i) => i % 256);

const FILES: Record<string, string | Uint8Array> = {
  "index.html": "<!DOCTYPE html><title>home</title>ROOT-INDEX\n",
  "a.txt": "hello from a.txt\n",
  "app.3f9a2c1b.js": "FINGERPRINTED-JS\n",
  "x.js": "IDENTITY-JS-x\n",
  "x.js.br": "BROTLI-BYTES-of-x\n",
  "x.js.gz": "GZIP-BYTES-of-x-js\n",
  "leak.js": "LEAK-JS-IDENTITY\n",
  "sub/index.html": "SUB-INDEX\n",
  "nodir/plain.txt": "plain\n",
  "nodir/<script>x.txt": "script-named\n",
  "nodir/a&b.txt": "ampersand\n",
  "nodir/.hidden": "hidden\n",
  "nodir/inner/file.txt": "inner\n",
  "nodir/<i>dir/f.txt": "in a folder with markup in its name\n",
  "empty.txt": "",
  "evil.com/file.txt": "evil\n",
  "about.html": "ABOUT-PAGE\n",
  "404.html": "CUSTOM-404\n",
  ".env": DOTENV,
  ".git/config": GIT,
  ".well-known/security.txt": "Contact: mailto:security@example.com\n",
  "gbk.html": GBK_PAGE,
  "data.bin": DATA,
};

// Mounted at /api: echoes the method and PATH_INFO, to show it owns its paths.
const echo: WsgiApp = (environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  return [`${environ.REQUEST_METHOD} ${environ.PATH_INFO}`];
};

let base: string;
let root: string;
let bareRoot: string;
let app: Hono;

/** An app over `dir` with these static options. */
function appWith(options: Omit<StaticOptions, "root"> = {}, dir = root): Hono {
  return createApp({ root: dir, mounts: { "/api": echo }, static: options, logger: () => {} });
}

/** Sends a request for `target` (path and query) to `on`. */
async function fetchFrom(
  on: Hono,
  target: string,
  init: RequestInit = {},
): Promise<{ response: Response; bytes: Uint8Array; text: string }> {
  const response = await on.fetch(new Request(`http://localhost${target}`, init));
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = decoder.decode(bytes);
  for (const secret of LEAKS) expect(text).not.toContain(secret);
  return { response, bytes, text };
}

/** GET (or another method) against the default app. */
function get(target: string, headers: Record<string, string> = {}, method = "GET") {
  return fetchFrom(app, target, { method, headers });
}

beforeAll(async () => {
  // base/
  //   outside.txt, outside-dir/inner.txt   outside the root
  //   public-secret/secret.txt             a sibling sharing the root's name as a prefix
  //   bare/a.txt                           a root without 404.html
  //   public/                              the root: FILES, and
  //     link.txt -> ../outside.txt, linkdir -> ../outside-dir, inside-link.txt -> a.txt,
  //     leak.js.br -> ../outside.txt
  base = await mkdtemp(join(tmpdir(), "edge-wsgi-static-"));
  root = join(base, "public");
  bareRoot = join(base, "bare");
  for (const [name, content] of Object.entries(FILES)) {
    const path = join(root, name);
    await mkdir(join(path, ".."), { recursive: true });
    await writeFile(path, content);
    await utimes(path, MTIME, MTIME);
  }
  await mkdir(join(base, "outside-dir"));
  await mkdir(`${root}-secret`);
  await mkdir(bareRoot);
  await writeFile(join(base, "outside.txt"), OUTSIDE);
  await writeFile(join(base, "outside-dir", "inner.txt"), OUTSIDE);
  await writeFile(join(`${root}-secret`, "secret.txt"), SIBLING);
  await writeFile(join(bareRoot, "a.txt"), "bare a\n");
  await symlink(join(base, "outside.txt"), join(root, "link.txt"));
  await symlink(join(base, "outside-dir"), join(root, "linkdir"));
  await symlink(join(root, "a.txt"), join(root, "inside-link.txt"));
  await symlink(join(base, "outside.txt"), join(root, "leak.js.br"));
  app = appWith();
});
afterAll(() => base && rm(base, { recursive: true, force: true }));

describe("serveStatic() validators", () => {
  test("serveStatic() sends a weak ETag and Last-Modified", async () => {
    const { response } = await get("/a.txt");
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toMatch(/^W\/"[^"]+"$/);
    expect(response.headers.get("last-modified")).toBe(LAST_MODIFIED);
  });

  const notModified: [name: string, headers: () => Promise<Record<string, string>>][] = [
    ["If-None-Match with the ETag", async () => ({ "if-none-match": await etagOf("/a.txt") })],
    ["If-None-Match with a list holding the ETag", async () => ({
      "if-none-match": `"nope", ${await etagOf("/a.txt")}, W/"other"`,
    })],
    ["If-None-Match: *", () => Promise.resolve({ "if-none-match": "*" })],
    ["If-None-Match with the ETag in strong form (weak comparison)", async () => ({
      "if-none-match": (await etagOf("/a.txt")).slice(2),
    })],
    [
      "If-Modified-Since equal to Last-Modified",
      () => Promise.resolve({ "if-modified-since": LAST_MODIFIED }),
    ],
  ];
  for (const [name, headers] of notModified) {
    for (const method of ["GET", "HEAD"]) {
      test(`serveStatic() answers a ${method} with ${name} with 304`, async () => {
        const { response, bytes } = await get("/a.txt", await headers(), method);
        expect(response.status).toBe(304);
        expect(bytes.length).toBe(0);
      });
    }
  }

  test("serveStatic() keeps ETag, Cache-Control and Vary on a 304", async () => {
    const etag = await etagOf("/a.txt");
    const { response } = await get("/a.txt", { "if-none-match": etag });
    expect(response.status).toBe(304);
    expect(response.headers.get("etag")).toBe(etag);
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(response.headers.get("vary")).toBe("Accept-Encoding");
  });

  test("serveStatic() sends on a 304 only what RFC 9110 §15.4.5 lists, no content metadata", async () => {
    const etag = await etagOf("/a.txt");
    const { response } = await get("/a.txt", { "if-none-match": etag });
    expect(response.status).toBe(304);
    expect(response.headers.get("last-modified")).not.toBeNull();
    for (const name of ["content-type", "content-length", "accept-ranges", "content-disposition"]) {
      expect({ name, value: response.headers.get(name) }).toEqual({ name, value: null });
    }
  });

  test("serveStatic() answers If-None-Match with another tag with 200", async () => {
    const { response, text } = await get("/a.txt", { "if-none-match": 'W/"other"' });
    expect(response.status).toBe(200);
    expect(text).toBe(FILES["a.txt"] as string);
  });

  test("serveStatic() answers If-Modified-Since before Last-Modified with 200", async () => {
    const { response } = await get("/a.txt", { "if-modified-since": BEFORE });
    expect(response.status).toBe(200);
  });

  test("serveStatic() answers If-Match: * with 200", async () => {
    const { response, text } = await get("/a.txt", { "if-match": "*" });
    expect(response.status).toBe(200);
    expect(text).toBe(FILES["a.txt"] as string);
  });

  test("serveStatic() answers If-Match with its weak ETag with 412", async () => {
    const { response, bytes } = await get("/a.txt", { "if-match": await etagOf("/a.txt") });
    expect(response.status).toBe(412);
    expect(bytes.length).toBe(0);
  });

  test("serveStatic() answers If-Match with another tag with 412", async () => {
    const { response } = await get("/a.txt", { "if-match": '"other"' });
    expect(response.status).toBe(412);
  });

  test("serveStatic() answers If-Unmodified-Since in the past with 412", async () => {
    const { response } = await get("/a.txt", { "if-unmodified-since": BEFORE });
    expect(response.status).toBe(412);
  });

  test("serveStatic() answers If-Unmodified-Since equal to Last-Modified with 200", async () => {
    const { response } = await get("/a.txt", { "if-unmodified-since": LAST_MODIFIED });
    expect(response.status).toBe(200);
  });
});

/** The ETag `target` is served with, with no Accept-Encoding. */
async function etagOf(target: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await app.fetch(new Request(`http://localhost${target}`, { headers }));
  await response.body?.cancel();
  return response.headers.get("etag")!;
}

describe("serveStatic() ranges", () => {
  test("serveStatic() advertises Accept-Ranges: bytes", async () => {
    const { response, bytes } = await get("/data.bin");
    expect(response.status).toBe(200);
    expect(response.headers.get("accept-ranges")).toBe("bytes");
    expect(bytes).toEqual(DATA);
  });

  const single: [range: string, first: number, last: number][] = [
    ["bytes=0-0", 0, 0],
    ["bytes=10-19", 10, 19],
    ["bytes=-100", 900, 999],
    ["bytes=990-", 990, 999],
    ["bytes=995-5000", 995, 999],
  ];
  for (const [range, first, last] of single) {
    test(`serveStatic() answers Range: ${range} with 206 and bytes ${first}-${last}`, async () => {
      const { response, bytes } = await get("/data.bin", { range });
      expect(response.status).toBe(206);
      expect(response.headers.get("content-range")).toBe(`bytes ${first}-${last}/1000`);
      expect(response.headers.get("content-length")).toBe(String(last - first + 1));
      expect(bytes).toEqual(DATA.subarray(first, last + 1));
    });
  }

  test("serveStatic() answers an unsatisfiable range with 416 and bytes */size", async () => {
    const { response, bytes } = await get("/data.bin", { range: "bytes=1000-" });
    expect(response.status).toBe(416);
    expect(response.headers.get("content-range")).toBe("bytes */1000");
    expect(bytes.length).toBe(0);
  });

  test("serveStatic() ignores a malformed Range", async () => {
    const { response, bytes } = await get("/data.bin", { range: "bytes=5-1" });
    expect(response.status).toBe(200);
    expect(bytes).toEqual(DATA);
  });

  test("serveStatic() ignores Range on a HEAD", async () => {
    const { response, bytes } = await get("/data.bin", { range: "bytes=0-9" }, "HEAD");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe("1000");
    expect(bytes.length).toBe(0);
  });

  test("serveStatic() answers a matching If-None-Match before the Range, with 304", async () => {
    const etag = await etagOf("/data.bin");
    const { response } = await get("/data.bin", { range: "bytes=0-9", "if-none-match": etag });
    expect(response.status).toBe(304);
  });

  test("serveStatic() honours Range under If-Range with the Last-Modified date", async () => {
    const { response, bytes } = await get("/data.bin", {
      range: "bytes=0-9",
      "if-range": LAST_MODIFIED,
    });
    expect(response.status).toBe(206);
    expect(bytes).toEqual(DATA.subarray(0, 10));
  });

  test("serveStatic() sends the whole file under If-Range with an older date", async () => {
    const { response, bytes } = await get("/data.bin", { range: "bytes=0-9", "if-range": BEFORE });
    expect(response.status).toBe(200);
    expect(bytes).toEqual(DATA);
  });

  test("serveStatic() sends the whole file under If-Range with its (weak) ETag", async () => {
    const etag = await etagOf("/data.bin");
    const { response, bytes } = await get("/data.bin", { range: "bytes=0-9", "if-range": etag });
    expect(response.status).toBe(200);
    expect(bytes).toEqual(DATA);
  });

  test("serveStatic() answers several ranges with multipart/byteranges", async () => {
    const { response, bytes } = await get("/data.bin", { range: "bytes=0-9,500-509,-5" });
    expect(response.status).toBe(206);
    const boundary = /^multipart\/byteranges; boundary=(\S+)$/.exec(
      response.headers.get("content-type")!,
    )?.[1];
    expect(boundary).toBeDefined();
    expect(response.headers.get("content-length")).toBe(String(bytes.length));
    expect(parseMultipart(bytes, boundary!)).toEqual([
      { range: "bytes 0-9/1000", type: "application/octet-stream", bytes: DATA.subarray(0, 10) },
      {
        range: "bytes 500-509/1000",
        type: "application/octet-stream",
        bytes: DATA.subarray(500, 510),
      },
      {
        range: "bytes 995-999/1000",
        type: "application/octet-stream",
        bytes: DATA.subarray(995),
      },
    ]);
  });

  test("serveStatic() sends the whole file for overlapping ranges", async () => {
    const { response, bytes } = await get("/data.bin", { range: "bytes=0-10,5-20" });
    expect(response.status).toBe(200);
    expect(bytes).toEqual(DATA);
  });

  test("serveStatic() sends the whole file for too many ranges", async () => {
    const range = "bytes=" + Array.from({ length: 17 }, (_, i) => `${i * 10}-${i * 10}`).join(",");
    const { response, bytes } = await get("/data.bin", { range });
    expect(response.status).toBe(200);
    expect(bytes).toEqual(DATA);
  });

  test("serveStatic() reads a range from disk when nothing is cached", async () => {
    const { response, bytes } = await fetchFrom(appWith({ cacheTtlMs: 0 }), "/data.bin", {
      headers: { range: "bytes=100-199" },
    });
    expect(response.status).toBe(206);
    expect(bytes).toEqual(DATA.subarray(100, 200));
  });

  test("serveStatic() reads several ranges from disk when nothing is cached", async () => {
    const { response, bytes } = await fetchFrom(appWith({ cacheTtlMs: 0 }), "/data.bin", {
      headers: { range: "bytes=1-2,998-" },
    });
    expect(response.status).toBe(206);
    const boundary = response.headers.get("content-type")!.split("boundary=")[1];
    expect(response.headers.get("content-length")).toBe(String(bytes.length));
    expect(parseMultipart(bytes, boundary).map((part) => part.bytes)).toEqual([
      DATA.subarray(1, 3),
      DATA.subarray(998),
    ]);
  });

  test("serveStatic() applies a range to the precompressed file it sends", async () => {
    const { response, text } = await get("/x.js", { "accept-encoding": "br", range: "bytes=0-5" });
    const brotli = FILES["x.js.br"] as string;
    expect(response.status).toBe(206);
    expect(response.headers.get("content-encoding")).toBe("br");
    expect(response.headers.get("content-range")).toBe(`bytes 0-5/${brotli.length}`);
    expect(text).toBe(brotli.slice(0, 6));
  });
});

/** Parses a multipart/byteranges body back into its parts. */
function parseMultipart(body: Uint8Array, boundary: string) {
  const text = String.fromCharCode(...body); // latin-1: one character per byte
  const delimiter = `\r\n--${boundary}`;
  expect(text.startsWith(`--${boundary}\r\n`)).toBe(true);
  expect(text.endsWith(`${delimiter}--\r\n`)).toBe(true);
  const parts: { range: string; type: string; bytes: Uint8Array }[] = [];
  let at = boundary.length + 4;
  while (at < text.length - delimiter.length - 4) {
    const headEnd = text.indexOf("\r\n\r\n", at);
    const headers = new Headers(
      text.slice(at, headEnd).split("\r\n").map((line) => {
        const colon = line.indexOf(":");
        return [line.slice(0, colon), line.slice(colon + 1).trim()] as [string, string];
      }),
    );
    const end = text.indexOf(delimiter, headEnd + 4);
    parts.push({
      range: headers.get("content-range")!,
      type: headers.get("content-type")!,
      bytes: body.subarray(headEnd + 4, end),
    });
    at = end + delimiter.length + 2;
  }
  return parts;
}

describe("serveStatic() precompressed siblings", () => {
  const chosen: [acceptEncoding: string | undefined, file: string, coding: string | null][] = [
    ["br, gzip", "x.js.br", "br"],
    ["gzip, deflate, br", "x.js.br", "br"],
    ["gzip", "x.js.gz", "gzip"],
    ["br;q=0.5, gzip", "x.js.gz", "gzip"],
    ["x-gzip", "x.js.gz", "gzip"],
    ["gzip;q=0", "x.js", null],
    ["*;q=0", "x.js", null],
    ["identity", "x.js", null],
    ["zstd", "x.js", null],
    [undefined, "x.js", null],
  ];
  for (const [acceptEncoding, file, coding] of chosen) {
    test(`serveStatic() sends ${file} for Accept-Encoding: ${acceptEncoding ?? "(none)"}`, async () => {
      const headers: Record<string, string> = acceptEncoding === undefined
        ? {}
        : { "accept-encoding": acceptEncoding };
      const { response, text } = await get("/x.js", headers);
      expect(response.status).toBe(200);
      expect(text).toBe(FILES[file] as string);
      expect(response.headers.get("content-encoding")).toBe(coding);
      expect(response.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
      expect(response.headers.get("vary")).toBe("Accept-Encoding");
      expect(response.headers.get("content-length")).toBe(String(text.length));
    });
  }

  test("serveStatic() gives each coding its own ETag", async () => {
    const identity = await etagOf("/x.js");
    const brotli = await etagOf("/x.js", { "accept-encoding": "br" });
    const gzip = await etagOf("/x.js", { "accept-encoding": "gzip" });
    expect(new Set([identity, brotli, gzip]).size).toBe(3);
  });

  test("serveStatic() does not answer 304 for the tag of another coding", async () => {
    const identity = await etagOf("/x.js");
    const { response, text } = await get("/x.js", {
      "accept-encoding": "br",
      "if-none-match": identity,
    });
    expect(response.status).toBe(200);
    expect(text).toBe(FILES["x.js.br"] as string);
  });

  test("serveStatic() sends a direct request for x.js.br as it is, not as x.js", async () => {
    const { response, text } = await get("/x.js.br", { "accept-encoding": "br, gzip" });
    expect(response.status).toBe(200);
    expect(text).toBe(FILES["x.js.br"] as string);
    expect(response.headers.get("content-encoding")).toBeNull();
    expect(response.headers.get("content-type")).not.toContain("javascript");
  });

  test("serveStatic() never uses a sibling linked outside the root", async () => {
    const { response, text } = await get("/leak.js", { "accept-encoding": "br" });
    expect(response.status).toBe(200);
    expect(text).toBe(FILES["leak.js"] as string);
    expect(response.headers.get("content-encoding")).toBeNull();
  });

  const vary: [target: string, method: string, varies: boolean][] = [
    ["/a.txt", "GET", true],
    ["/a.txt", "HEAD", true],
    ["/index.html", "GET", true],
    ["/x.js", "GET", true],
    ["/data.bin", "GET", false],
  ];
  for (const [target, method, varies] of vary) {
    test(`serveStatic() ${varies ? "sends" : "omits"} Vary: Accept-Encoding for ${method} ${target}`, async () => {
      const { response } = await get(target, {}, method);
      expect(response.headers.get("vary")).toBe(varies ? "Accept-Encoding" : null);
    });
  }
});

describe("serveStatic() Content-Type", () => {
  const types: [target: string, type: string][] = [
    ["/a.txt", "text/plain; charset=utf-8"],
    ["/index.html", "text/html; charset=utf-8"],
    ["/app.3f9a2c1b.js", "text/javascript; charset=utf-8"],
    ["/data.bin", "application/octet-stream"],
  ];
  for (const [target, type] of types) {
    test(`serveStatic() sends ${target} as ${type}`, async () => {
      const { response } = await get(target);
      expect(response.headers.get("content-type")).toBe(type);
    });
  }

  test("serveStatic() sends a page declaring <meta charset=gbk> with charset=gbk", async () => {
    const { response, bytes } = await get("/gbk.html");
    expect(response.headers.get("content-type")).toBe("text/html; charset=gbk");
    expect(bytes).toEqual(GBK_PAGE);
  });

  test("serveStatic() sends a GBK page read from disk with charset=gbk", async () => {
    const { response, bytes } = await fetchFrom(appWith({ cacheTtlMs: 0 }), "/gbk.html");
    expect(response.headers.get("content-type")).toBe("text/html; charset=gbk");
    expect(bytes).toEqual(GBK_PAGE);
  });
});

describe("serveStatic() directories, clean URLs and SPA fallback", () => {
  const pages: [target: string, body: string][] = [
    ["/", "index.html"],
    ["/index.html", "index.html"],
    ["/sub/", "sub/index.html"],
    ["/sub/index.html", "sub/index.html"],
  ];
  for (const [target, file] of pages) {
    test(`serveStatic() answers ${target} with ${file}`, async () => {
      const { response, text } = await get(target);
      expect(response.status).toBe(200);
      expect(text).toBe(FILES[file] as string);
    });
  }

  const redirects: [target: string, location: string][] = [
    ["/sub", "/sub/"],
    ["/sub?x=1&y=2", "/sub/?x=1&y=2"],
    ["/nodir", "/nodir/"],
    ["/nodir/inner", "/nodir/inner/"],
    ["/nodir/%3Ci%3Edir", "/nodir/%3Ci%3Edir/"],
    ["//sub", "/sub/"],
    ["//evil.com", "/evil.com/"],
    ["///evil.com", "/evil.com/"],
    ["/%2Fevil.com", "/evil.com/"],
  ];
  for (const [target, location] of redirects) {
    test(`serveStatic() redirects ${target} to ${location} with 301`, async () => {
      const { response } = await get(target);
      expect(response.status).toBe(301);
      expect(response.headers.get("location")).toBe(location);
      expect(response.headers.get("location")).not.toMatch(/^\/\//);
    });
  }

  test("serveStatic() answers a directory without index with 404 by default", async () => {
    const { response, text } = await get("/nodir/");
    expect(response.status).toBe(404);
    expect(text).toBe(FILES["404.html"] as string);
  });

  test("serveStatic() does not serve /about from about.html by default", async () => {
    const { response } = await get("/about");
    expect(response.status).toBe(404);
  });

  test("serveStatic() serves /about from about.html with cleanUrls", async () => {
    const { response, text } = await fetchFrom(appWith({ cleanUrls: true }), "/about");
    expect(response.status).toBe(200);
    expect(text).toBe(FILES["about.html"] as string);
  });

  test("serveStatic() has no SPA fallback by default", async () => {
    const { response, text } = await get("/app/some/route");
    expect(response.status).toBe(404);
    expect(text).toBe(FILES["404.html"] as string);
  });

  test("serveStatic() serves the spaFallback page for a missing path", async () => {
    const spa = appWith({ spaFallback: "index.html" });
    const { response, text } = await fetchFrom(spa, "/app/some/route");
    expect(response.status).toBe(200);
    expect(text).toBe(FILES["index.html"] as string);
  });

  test("serveStatic() does not fall back to the SPA page for a refused path", async () => {
    const spa = appWith({ spaFallback: "index.html" });
    const { response } = await fetchFrom(spa, "/.env");
    expect(response.status).toBe(404);
  });
});

describe("serveStatic() trailing slashes", () => {
  test("serveStatic() answers a file's URL with a trailing slash (/a.txt/) with 404", async () => {
    const { response, text } = await get("/a.txt/");
    expect(response.status).toBe(404);
    expect(text).not.toContain("hello from a.txt");
  });
});

describe("serveStatic() Cache-Control", () => {
  test('serveStatic() sends Cache-Control: "no-cache" by default', async () => {
    const { response } = await get("/a.txt");
    expect(response.headers.get("cache-control")).toBe("no-cache");
  });

  test("serveStatic() marks a fingerprinted name immutable for a year", async () => {
    const { response } = await get("/app.3f9a2c1b.js");
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });

  test("serveStatic() sends the cacheControl option for other files", async () => {
    const custom = appWith({ cacheControl: "public, max-age=60" });
    const plain = await fetchFrom(custom, "/a.txt");
    const fingerprinted = await fetchFrom(custom, "/app.3f9a2c1b.js");
    expect(plain.response.headers.get("cache-control")).toBe("public, max-age=60");
    expect(fingerprinted.response.headers.get("cache-control")).toContain("immutable");
  });
});

describe("serveStatic() 404", () => {
  test("serveStatic() sends 404.html with a 404 when it exists", async () => {
    const { response, text } = await get("/missing.txt");
    expect(response.status).toBe(404);
    expect(text).toBe(FILES["404.html"] as string);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  test("serveStatic() sends 404.html without a body to a HEAD", async () => {
    const { response, bytes } = await get("/missing.txt", {}, "HEAD");
    expect(response.status).toBe(404);
    expect(bytes.length).toBe(0);
  });

  test("serveStatic() sends the whole 404.html whatever the Range", async () => {
    const { response, text } = await get("/missing.txt", { range: "bytes=0-1" });
    expect(response.status).toBe(404);
    expect(text).toBe(FILES["404.html"] as string);
  });

  test("serveStatic() sends a small plain 404 when there is no 404.html", async () => {
    const { response, text } = await fetchFrom(appWith({}, bareRoot), "/missing.txt");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(text).toBe("404 Not Found\n");
  });
});

describe("serveStatic() methods", () => {
  for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
    test(`serveStatic() answers ${method} with 405 and Allow`, async () => {
      const { response } = await get("/a.txt", {}, method);
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    });
  }

  test("serveStatic() answers OPTIONS with 204 and Allow", async () => {
    const { response, bytes } = await get("/a.txt", {}, "OPTIONS");
    expect(response.status).toBe(204);
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect(bytes.length).toBe(0);
  });

  test("serveStatic() answers HEAD with the headers of GET and no body", async () => {
    const { response, bytes } = await get("/a.txt", {}, "HEAD");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe(String((FILES["a.txt"] as string).length));
    expect(response.headers.get("etag")).toBe(await etagOf("/a.txt"));
    expect(bytes.length).toBe(0);
  });

  for (const cacheTtlMs of [0, 1000]) {
    test(`serveStatic() sends an empty file with cacheTtlMs: ${cacheTtlMs}`, async () => {
      const { response, bytes } = await fetchFrom(appWith({ cacheTtlMs }), "/empty.txt");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-length")).toBe("0");
      expect(bytes.length).toBe(0);
    });
  }

  test("serveStatic() leaves a POST under a mount to the mounted app", async () => {
    const { response, text } = await get("/api/x", {}, "POST");
    expect(response.status).toBe(200);
    expect(text).toBe("POST /x");
  });
});

describe("serveStatic() directory listing", () => {
  test("serveStatic() lists a directory without index when directoryListing is on", async () => {
    const { response, text } = await fetchFrom(appWith({ directoryListing: true }), "/nodir/");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(text).toContain('<a href="plain.txt">plain.txt</a>');
    expect(text).toContain('<a href="inner/">inner/</a>');
    expect(text).toContain('<a href="../">../</a>');
  });

  test("serveStatic() HTML-escapes the names it lists", async () => {
    const { text } = await fetchFrom(appWith({ directoryListing: true }), "/nodir/");
    expect(text).toContain('<a href="%3Cscript%3Ex.txt">&lt;script&gt;x.txt</a>');
    expect(text).toContain('<a href="a%26b.txt">a&amp;b.txt</a>');
    expect(text).not.toContain("<script>");
  });

  test("serveStatic() HTML-escapes a directory's name in the listing title", async () => {
    const listing = appWith({ directoryListing: true });
    const { response, text } = await fetchFrom(listing, "/nodir/%3Ci%3Edir/");
    expect(response.status).toBe(200);
    expect(text).toContain("<title>Index of /nodir/&lt;i&gt;dir/</title>");
    expect(text).not.toContain("<i>");
  });

  test("serveStatic() leaves hidden names out of a listing", async () => {
    const { text } = await fetchFrom(appWith({ directoryListing: true }), "/nodir/");
    expect(text).not.toContain(".hidden");
  });

  test("serveStatic() serves the index rather than a listing when there is one", async () => {
    const { text } = await fetchFrom(appWith({ directoryListing: true }), "/sub/");
    expect(text).toBe(FILES["sub/index.html"] as string);
  });

  test("serveStatic() does not list a hidden directory", async () => {
    const { response } = await fetchFrom(appWith({ directoryListing: true }), "/.git/");
    expect(response.status).toBe(404);
  });
});

describe("serveStatic() never serves anything outside the root", () => {
  const refused: [attack: string, target: string, status: number][] = [
    ["dotfile /.env", "/.env", 404],
    ["dot-dir /.git/config", "/.git/config", 404],
    ["encoded dotfile /%2eenv", "/%2eenv", 404],
    ["symlink to a file outside the root", "/link.txt", 404],
    ["symlink to a folder outside the root", "/linkdir/inner.txt", 404],
    ["sibling folder sharing the root's prefix via ../", "/../public-secret/secret.txt", 404],
    ["sibling folder via %2e%2e", "/%2e%2e/public-secret/secret.txt", 404],
    ["sibling folder via ..%2f", "/..%2fpublic-secret%2fsecret.txt", 404],
    ["sibling folder via ..%5c", "/..%5cpublic-secret%5csecret.txt", 404],
    ["sibling folder via %252e%252e", "/%252e%252e/public-secret/secret.txt", 404],
    ["outside file via %2e%2e%2f", "/%2e%2e%2foutside.txt", 404],
    ["Windows drive name C:", "/C:/Windows/win.ini", 404],
    ["NTFS stream ::$DATA", "/a.txt::$DATA", 404],
    ["trailing dot", "/a.txt.", 404],
    ["very long path", "/" + "a/".repeat(3000) + "a.txt", 404],
    ["very long name", "/" + "a".repeat(1000) + ".txt", 404],
    ["lone %", "/%", 400],
    ["truncated escape /%E0%A4%A", "/%E0%A4%A", 400],
    ["NUL byte", "/a.txt%00.html", 400],
  ];
  for (const [attack, target, status] of refused) {
    test(`serveStatic() answers ${status} to ${attack}`, async () => {
      const { response } = await get(target);
      expect(response.status).toBe(status);
    });
  }

  test("serveStatic() serves /.well-known/", async () => {
    const { response, text } = await get("/.well-known/security.txt");
    expect(response.status).toBe(200);
    expect(text).toBe(FILES[".well-known/security.txt"] as string);
  });

  test("serveStatic() follows a symlink that stays inside the root", async () => {
    const { response, text } = await get("/inside-link.txt");
    expect(response.status).toBe(200);
    expect(text).toBe(FILES["a.txt"] as string);
  });
});

describe("serveStatic() metadata cache", () => {
  test("serveStatic() sees a modified file at once with cacheTtlMs: 0", async () => {
    const path = join(root, "mutable-now.txt");
    await writeFile(path, "first\n");
    const fresh = appWith({ cacheTtlMs: 0 });
    const before = await fetchFrom(fresh, "/mutable-now.txt");
    await writeFile(path, "second, longer\n");
    const after = await fetchFrom(fresh, "/mutable-now.txt");
    expect(before.text).toBe("first\n");
    expect(after.text).toBe("second, longer\n");
    expect(after.response.headers.get("etag")).not.toBe(before.response.headers.get("etag"));
  });

  test("serveStatic() sees a modified file once the default TTL has passed", async () => {
    const path = join(root, "mutable-later.txt");
    await writeFile(path, "first\n");
    const cached = appWith();
    const before = await fetchFrom(cached, "/mutable-later.txt");
    await writeFile(path, "second, longer\n");
    const within = await fetchFrom(cached, "/mutable-later.txt");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const after = await fetchFrom(cached, "/mutable-later.txt");
    expect(before.text).toBe("first\n");
    expect(within.text).toBe("first\n");
    expect(after.text).toBe("second, longer\n");
    expect(after.response.headers.get("etag")).not.toBe(before.response.headers.get("etag"));
  });

  test("serveStatic() sees a deleted file at once with cacheTtlMs: 0", async () => {
    const path = join(root, "deleted.txt");
    await writeFile(path, "here\n");
    const fresh = appWith({ cacheTtlMs: 0 });
    expect((await fetchFrom(fresh, "/deleted.txt")).response.status).toBe(200);
    await rm(path);
    expect((await fetchFrom(fresh, "/deleted.txt")).response.status).toBe(404);
  });
});
