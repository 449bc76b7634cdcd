import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { createFileApp } from "../examples/files.ts";
import { toEnviron } from "../src/core/environ.ts";
import { toFetchHandler } from "../src/core/handler.ts";
import { join } from "../src/base/path.ts";
import type { AppResult, BodyChunk, HeaderPair, WsgiApp } from "../src/core/types.ts";

// Content that lives outside the root: no response may ever contain any of it.
const OUTSIDE = "OUTSIDE-CONTENT-7f3a";
const SIBLING = "SIBLING-SECRET-91c2";
const DOTFILE = "DOTFILE-SECRET-44be";
const LEAKS = [OUTSIDE, SIBLING, DOTFILE];

let base: string;
let root: string;
let app: WsgiApp;
let handler: (request: Request) => Promise<Response>;

beforeAll(async () => {
  // base/
  //   outside.txt               outside the root
  //   outside-dir/inner.txt     outside the root
  //   root-secret/x.html        a sibling sharing the root's name as a prefix
  //   root/
  //     page.html, simple_navbar.html, .secret, sub/p.html
  //     link.txt -> ../outside.txt
  //     linkdir  -> ../outside-dir
  base = await mkdtemp(join(tmpdir(), "edge-wsgi-files-"));
  root = join(base, "root");
  await mkdir(join(root, "sub"), { recursive: true });
  await mkdir(join(base, "root-secret"));
  await mkdir(join(base, "outside-dir"));
  await writeFile(join(root, "page.html"), "<p>page</p>\n");
  await writeFile(join(root, "simple_navbar.html"), "<nav>navbar</nav>\n");
  await writeFile(join(root, ".secret"), DOTFILE);
  await writeFile(join(root, "sub", "p.html"), "<p>sub page</p>\n");
  await writeFile(join(base, "root-secret", "x.html"), SIBLING);
  await writeFile(join(base, "outside.txt"), OUTSIDE);
  await writeFile(join(base, "outside-dir", "inner.txt"), OUTSIDE);
  await symlink(join(base, "outside.txt"), join(root, "link.txt"));
  await symlink(join(base, "outside-dir"), join(root, "linkdir"));
  app = createFileApp(root);
  const wsgiHandler = toFetchHandler(app, { scriptName: "/f", logger: () => {} });
  handler = (request) => wsgiHandler(request);
});
afterAll(() => base && rm(base, { recursive: true, force: true }));

/** Requests `/f` + `path` through the adapter. */
async function get(path: string) {
  const response = await handler(new Request(`http://localhost/f${path}`));
  return { response, text: await response.text() };
}

/** Calls the app itself with PATH_INFO set as given, bypassing the adapter's URL handling. */
async function callWith(pathInfo: string) {
  const environ = toEnviron(new Request("http://localhost/f/page.html"), { scriptName: "/f" });
  environ.PATH_INFO = pathInfo;
  let status = "";
  let headers: HeaderPair[] = [];
  const result: AppResult = await app(environ, (givenStatus, givenHeaders) => {
    status = givenStatus;
    headers = givenHeaders;
    return () => {};
  });
  const chunks: Uint8Array[] = [];
  const encoder = new TextEncoder();
  const add = (chunk: BodyChunk) =>
    chunks.push(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
  try {
    if (Symbol.asyncIterator in result) { for await (const chunk of result) add(chunk); }
    else for (const chunk of result as Iterable<BodyChunk>) add(chunk);
  } finally {
    await result.close?.();
  }
  const text = new TextDecoder().decode(
    chunks.reduce((all, chunk) => new Uint8Array([...all, ...chunk]), new Uint8Array()),
  );
  return { status, headers, text };
}

function expectNoLeak(text: string) {
  for (const secret of LEAKS) expect(text).not.toContain(secret);
}

describe("createFileApp() serves pages", () => {
  test("createFileApp() serves /page.html as UTF-8 HTML with its length", async () => {
    const { response, text } = await get("/page.html");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("Content-Length")).toBe("12");
    expect(text).toBe("<p>page</p>\n");
  });

  test("createFileApp() serves a page in a subfolder", async () => {
    const { response, text } = await get("/sub/p.html");
    expect(response.status).toBe(200);
    expect(text).toBe("<p>sub page</p>\n");
  });

  test("createFileApp() serves the navigation-bar page at /", async () => {
    const { response, text } = await get("/");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    expect(text).toBe("<nav>navbar</nav>\n");
  });

  test("createFileApp() called directly returns the page through wsgi.file_wrapper", async () => {
    const { status, headers, text } = await callWith("/sub/p.html");
    expect(status).toBe("200 OK");
    expect(headers).toContainEqual(["Content-Length", "16"]);
    expect(text).toBe("<p>sub page</p>\n");
  });

  test("createFileApp() redirects an empty PATH_INFO to SCRIPT_NAME + /", async () => {
    const { response } = await get("");
    expect(response.status).toBe(301);
    expect(response.headers.get("Location")).toBe("/f/");
    const withQuery = await get("?lang=en");
    expect(withQuery.response.status).toBe(301);
    expect(withQuery.response.headers.get("Location")).toBe("/f/?lang=en");
  });

  test("createFileApp() answers a missing page with a plain 404", async () => {
    const { response, text } = await get("/nope.html");
    expect(response.status).toBe(404);
    expect(response.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    expect(text).toContain('"/nope.html"');
  });
});

describe("createFileApp() refuses paths outside its folder", () => {
  test("createFileApp() refuses %2e%2e%2f in the URL (PATH_INFO /../outside.txt)", async () => {
    const { response, text } = await get("/%2e%2e%2foutside.txt");
    expect(response.status).toBe(404);
    expectNoLeak(text);
  });

  test("createFileApp() refuses PATH_INFO /../outside.txt", async () => {
    const { status, text } = await callWith("/../outside.txt");
    expect(status).toBe("404 Not Found");
    expectNoLeak(text);
  });

  test("createFileApp() refuses ..%2f in the URL", async () => {
    const { response, text } = await get("/..%2f..%2foutside.txt");
    expect(response.status).toBe(404);
    expectNoLeak(text);
  });

  test("createFileApp() refuses PATH_INFO /sub/../../outside.txt", async () => {
    const { status, text } = await callWith("/sub/..\u002f..\u002foutside.txt");
    expect(status).toBe("404 Not Found");
    expectNoLeak(text);
  });

  test("createFileApp() refuses PATH_INFO /../root-secret/x.html (a sibling sharing its prefix)", async () => {
    const { status, text } = await callWith("/../root-secret/x.html");
    expect(status).toBe("404 Not Found");
    expectNoLeak(text);
  });

  test("createFileApp() refuses %2e%2e%2froot-secret in the URL", async () => {
    const { response, text } = await get("/%2e%2e%2froot-secret%2fx.html");
    expect(response.status).toBe(404);
    expectNoLeak(text);
  });

  test("createFileApp() refuses backslashes in PATH_INFO \\..\\outside.txt", async () => {
    const { status, text } = await callWith("\\..\\outside.txt");
    expect(status).toBe("404 Not Found");
    expectNoLeak(text);
    const slashed = await callWith("/..\\outside.txt");
    expect(slashed.status).toBe("404 Not Found");
    expectNoLeak(slashed.text);
  });

  test("createFileApp() refuses %5c (backslash) in the URL", async () => {
    const { response, text } = await get("/..%5coutside.txt");
    expect(response.status).toBe(404);
    expectNoLeak(text);
  });

  test("createFileApp() refuses a NUL byte after a real page name", async () => {
    const { status } = await callWith("/page.html\u0000");
    expect(status).toBe("404 Not Found");
    const { response } = await get("/page.html%00");
    expect(response.status).toBe(404);
  });

  test("createFileApp() refuses a dotfile", async () => {
    const { response, text } = await get("/.secret");
    expect(response.status).toBe(404);
    expectNoLeak(text);
    const direct = await callWith("/.secret");
    expect(direct.status).toBe("404 Not Found");
    expectNoLeak(direct.text);
  });

  test("createFileApp() refuses a symlink to a file outside its folder", async () => {
    const { response, text } = await get("/link.txt");
    expect(response.status).toBe(404);
    expectNoLeak(text);
  });

  test("createFileApp() refuses a file under a symlink to a folder outside", async () => {
    const { response, text } = await get("/linkdir/inner.txt");
    expect(response.status).toBe(404);
    expectNoLeak(text);
  });

  test("createFileApp() refuses a name that is not UTF-8", async () => {
    const { status } = await callWith("/\u00ff");
    expect(status).toBe("404 Not Found");
    const { response } = await get("/%ff");
    expect(response.status).toBe(404);
  });

  test("createFileApp() answers a 10 000-character name with 404, not 500", async () => {
    const { response } = await get(`/${"a".repeat(10_000)}`);
    expect(response.status).toBe(404);
    const direct = await callWith(`/${"a".repeat(10_000)}.html`);
    expect(direct.status).toBe("404 Not Found");
  });

  test("createFileApp() answers a folder with 404", async () => {
    const { response } = await get("/sub");
    expect(response.status).toBe(404);
    const trailing = await get("/sub/");
    expect(trailing.response.status).toBe(404);
  });

  test("createFileApp() refuses an absolute path in PATH_INFO (//tmp/…/outside.txt)", async () => {
    const { status, text } = await callWith(`/${base}/outside.txt`);
    expect(status).toBe("404 Not Found");
    expectNoLeak(text);
  });
});
