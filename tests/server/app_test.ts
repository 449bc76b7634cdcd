import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { createApp, type CreateAppOptions } from "../../src/server/app.ts";
import { join } from "../../src/base/path.ts";
import type { WsgiApp } from "../../src/core/types.ts";

/** An app that answers with its name and the environ keys a mount decides. */
function reporter(name: string): WsgiApp {
  return function report(environ, startResponse) {
    startResponse("200 OK", [["Content-Type", "application/json"]]);
    return [JSON.stringify({
      app: name,
      SCRIPT_NAME: environ.SCRIPT_NAME,
      PATH_INFO: environ.PATH_INFO,
      REMOTE_ADDR: environ.REMOTE_ADDR ?? null,
    })];
  };
}

function setup(options: CreateAppOptions) {
  const lines: string[] = [];
  const app = createApp({ root: false, logger: (line) => lines.push(line), ...options });
  const get = (path: string, env?: unknown) =>
    app.fetch(new Request(`http://localhost${path}`), env);
  const json = async (path: string, env?: unknown) => {
    const response = await get(path, env);
    expect(response.status).toBe(200);
    return await response.json();
  };
  return { app, get, json, lines };
}

describe("createApp() mounts", () => {
  const { get, json } = setup({
    mounts: { "/apps/x": reporter("x"), "/apps/y": reporter("y") },
  });

  test("createApp() moves the mount prefix into SCRIPT_NAME", async () => {
    const cases: [string, string, string][] = [
      // path, SCRIPT_NAME, PATH_INFO
      ["/apps/x", "/apps/x", ""],
      ["/apps/x/", "/apps/x", "/"],
      ["/apps/x/y/z", "/apps/x", "/y/z"],
      ["/apps/y/q", "/apps/y", "/q"],
    ];
    for (const [path, scriptName, pathInfo] of cases) {
      expect({ path, ...(await json(path)) }).toEqual({
        path,
        app: path.startsWith("/apps/x") ? "x" : "y",
        SCRIPT_NAME: scriptName,
        PATH_INFO: pathInfo,
        REMOTE_ADDR: null,
      });
    }
  });

  test("createApp() does not send /apps/xy to the /apps/x mount", async () => {
    const response = await get("/apps/xy");
    expect(response.status).toBe(404);
    expect(await response.text()).toBe("404 Not Found\n");
  });

  test("createApp() routes /apps/x/%2e%2e/y as /apps/y after resolving dot segments", async () => {
    expect(await json("/apps/x/%2e%2e/y")).toMatchObject({
      app: "y",
      SCRIPT_NAME: "/apps/y",
      PATH_INFO: "",
    });
    expect(await json("/apps/x/./../y/z")).toMatchObject({
      app: "y",
      SCRIPT_NAME: "/apps/y",
      PATH_INFO: "/z",
    });
  });

  test("createApp() passes the connection info of c.env to the app as REMOTE_ADDR", async () => {
    const body = await json("/apps/x/who", {
      remoteAddr: { hostname: "::ffff:10.1.2.3", port: 5 },
    });
    expect(body.REMOTE_ADDR).toBe("10.1.2.3");
  });
});

describe("createApp() overlapping mounts", () => {
  // The longest prefix wins, whatever the order, as in werkzeug's DispatcherMiddleware.
  test("createApp() gives /a/b/c to /a/b even when /a is listed first", async () => {
    const { json } = setup({ mounts: { "/a": reporter("a"), "/a/b": reporter("ab") } });
    expect(await json("/a/b/c")).toMatchObject({ app: "ab", SCRIPT_NAME: "/a/b", PATH_INFO: "/c" });
    expect(await json("/a/b")).toMatchObject({ app: "ab", SCRIPT_NAME: "/a/b", PATH_INFO: "" });
    expect(await json("/a/x")).toMatchObject({ app: "a", SCRIPT_NAME: "/a", PATH_INFO: "/x" });
  });

  test("createApp() lets a root mount listed first leave longer prefixes to their apps", async () => {
    const { json } = setup({ mounts: { "/": reporter("root"), "/a": reporter("a") } });
    expect(await json("/a/x")).toMatchObject({ app: "a", SCRIPT_NAME: "/a", PATH_INFO: "/x" });
    expect(await json("/b")).toMatchObject({ app: "root", SCRIPT_NAME: "", PATH_INFO: "/b" });
  });

  test("createApp() gives /a/b/c to /a/b when /a/b is listed before /a", async () => {
    const { json } = setup({ mounts: { "/a/b": reporter("ab"), "/a": reporter("a") } });
    expect(await json("/a/b/c")).toMatchObject({ app: "ab", SCRIPT_NAME: "/a/b", PATH_INFO: "/c" });
    expect(await json("/a/bc")).toMatchObject({ app: "a", SCRIPT_NAME: "/a", PATH_INFO: "/bc" });
  });
});

describe("createApp() root mount", () => {
  test('createApp() gives a "/" mount an empty SCRIPT_NAME and the whole path', async () => {
    const { json } = setup({ mounts: { "/": reporter("root") } });
    expect(await json("/")).toMatchObject({ app: "root", SCRIPT_NAME: "", PATH_INFO: "/" });
    expect(await json("/q/r")).toMatchObject({ app: "root", SCRIPT_NAME: "", PATH_INFO: "/q/r" });
  });
});

describe("createApp() mount prefixes", () => {
  for (const prefix of ["apps", "/apps/", "", "//x", "/a//b"]) {
    test(`createApp() rejects the mount prefix ${JSON.stringify(prefix)} with a TypeError`, () => {
      expect(() => createApp({ root: false, mounts: { [prefix]: reporter("bad") } }))
        .toThrow(TypeError);
      expect(() => createApp({ root: false, mounts: { [prefix]: reporter("bad") } }))
        .toThrow(JSON.stringify(prefix));
    });
  }
});

describe("createApp() static files", () => {
  let root: string;
  let site: ReturnType<typeof setup>;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "edge-wsgi-app-"));
    await mkdir(join(root, "sub"));
    await writeFile(join(root, "index.html"), "<h1>home</h1>\n");
    await writeFile(join(root, "a.txt"), "plain text\n");
    await writeFile(join(root, "sub", "index.html"), "<h1>sub</h1>\n");
    site = setup({ root, mounts: { "/apps/x": reporter("x"), "/apps/boom": boom } });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const boom: WsgiApp = () => {
    throw new Error("boom 42");
  };

  test("createApp() serves index.html at /", async () => {
    const response = await site.get("/");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("text/html");
    expect(await response.text()).toBe("<h1>home</h1>\n");
  });

  test("createApp() serves a text file with its type and Content-Length", async () => {
    const response = await site.get("/a.txt");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toStartWith("text/plain");
    expect(response.headers.get("Content-Length")).toBe("11");
    expect(await response.text()).toBe("plain text\n");
  });

  test("createApp() serves sub/index.html at /sub/", async () => {
    const response = await site.get("/sub/");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("<h1>sub</h1>\n");
  });

  test("createApp() answers a missing file with a plain 404", async () => {
    const response = await site.get("/missing.txt");
    expect(response.status).toBe(404);
    expect(response.headers.get("Content-Type")).toStartWith("text/plain");
    expect(await response.text()).toBe("404 Not Found\n");
  });

  test("createApp() serves mounts next to the static files", async () => {
    expect(await site.json("/apps/x/a.txt")).toMatchObject({ app: "x", PATH_INFO: "/a.txt" });
  });

  test("createApp() turns an error in a mounted app into a 500 and keeps serving files", async () => {
    const response = await site.get("/apps/boom");
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(body).toBe("Internal Server Error\n");
    expect(body).not.toContain("boom 42");
    expect(site.lines.join("\n")).toContain("boom 42");
    const after = await site.get("/a.txt");
    expect(after.status).toBe(200);
    expect(await after.text()).toBe("plain text\n");
  });

  test("createApp() serves no files with root: false", async () => {
    const { get } = setup({ root: false });
    for (const path of ["/", "/a.txt", "/index.html"]) {
      const response = await get(path);
      expect(response.status).toBe(404);
      expect(await response.text()).toBe("404 Not Found\n");
    }
  });
});
