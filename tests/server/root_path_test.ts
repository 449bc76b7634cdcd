import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { createApp } from "../../src/server/app.ts";
import { toEnviron } from "../../src/core/environ.ts";
import { toFetchHandler } from "../../src/core/handler.ts";
import { join } from "../../src/base/path.ts";
import type { WsgiApp } from "../../src/core/types.ts";

const paths: WsgiApp = function paths(environ, startResponse) {
  startResponse("200 OK", [["Content-Type", "application/json"]]);
  return [JSON.stringify({ SCRIPT_NAME: environ.SCRIPT_NAME, PATH_INFO: environ.PATH_INFO })];
};

describe("toEnviron() rootPath", () => {
  test("toEnviron() starts SCRIPT_NAME with the root path, kept in the path by the proxy or not", () => {
    // path, scriptName, SCRIPT_NAME, PATH_INFO
    const cases: [string, string, string, string][] = [
      ["/prefix/apps/x/y", "/apps/x", "/prefix/apps/x", "/y"],
      ["/apps/x/y", "/apps/x", "/prefix/apps/x", "/y"],
      ["/prefix/apps/x", "/apps/x", "/prefix/apps/x", ""],
      ["/apps/x/", "/apps/x", "/prefix/apps/x", "/"],
      ["/prefix/other", "/apps/x", "/prefix", "/other"],
      ["/prefix/a.txt", "", "/prefix", "/a.txt"],
      ["/a.txt", "", "/prefix", "/a.txt"],
      ["/prefix", "", "/prefix", ""],
      ["/prefix/", "", "/prefix", "/"],
      // Only a whole segment is the root path.
      ["/prefixed/a", "", "/prefix", "/prefixed/a"],
    ];
    for (const [path, scriptName, SCRIPT_NAME, PATH_INFO] of cases) {
      const environ = toEnviron(new Request(`http://localhost${path}`), {
        rootPath: "/prefix",
        scriptName,
      });
      expect({ path, SCRIPT_NAME: environ.SCRIPT_NAME, PATH_INFO: environ.PATH_INFO }).toEqual({
        path,
        SCRIPT_NAME,
        PATH_INFO,
      });
    }
  });

  test("toEnviron() takes a root path of several segments", () => {
    const environ = toEnviron(new Request("http://localhost/a/b/apps/x/y"), {
      rootPath: "/a/b",
      scriptName: "/apps/x",
    });
    expect([environ.SCRIPT_NAME, environ.PATH_INFO]).toEqual(["/a/b/apps/x", "/y"]);
  });

  test("toFetchHandler() passes rootPath on to the environ", async () => {
    const handler = toFetchHandler(paths, { rootPath: "/prefix", scriptName: "/apps/x" });
    const response = await handler(new Request("http://localhost/prefix/apps/x/y"));
    expect(await response.json()).toEqual({ SCRIPT_NAME: "/prefix/apps/x", PATH_INFO: "/y" });
  });
});

describe("createApp() rootPath", () => {
  let dir: string;
  let app: ReturnType<typeof createApp>;
  const get = (path: string) => app.fetch(new Request(`http://localhost${path}`));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "edge-wsgi-root-path-"));
    await mkdir(join(dir, "sub"));
    await writeFile(join(dir, "a.txt"), "file a\n");
    await writeFile(join(dir, "index.html"), "<p>home</p>\n");
    await writeFile(join(dir, "sub", "index.html"), "<p>sub</p>\n");
    app = createApp({ root: dir, rootPath: "/prefix", mounts: { "/apps/x": paths } });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test("createApp() routes to a mount under the root path, whether or not the proxy stripped it", async () => {
    for (const path of ["/prefix/apps/x/y", "/apps/x/y"]) {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect({ path, environ: await response.json() }).toEqual({
        path,
        environ: { SCRIPT_NAME: "/prefix/apps/x", PATH_INFO: "/y" },
      });
    }
  });

  test("createApp() serves a static file under the root path, whether or not the proxy stripped it", async () => {
    for (const path of ["/prefix/a.txt", "/a.txt"]) {
      const response = await get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expect(await response.text()).toBe("file a\n");
    }
  });

  test("createApp() serves the index at the root path", async () => {
    for (const path of ["/prefix/", "/prefix", "/"]) {
      const response = await get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expect(await response.text()).toBe("<p>home</p>\n");
    }
  });

  test("createApp() redirects a directory to a Location under the root path", async () => {
    for (const path of ["/prefix/sub", "/sub", "/prefix/sub?q=1"]) {
      const response = await get(path);
      expect(response.status).toBe(301);
      const location = response.headers.get("location");
      expect({ path, location }).toEqual({
        path,
        location: path.endsWith("?q=1") ? "/prefix/sub/?q=1" : "/prefix/sub/",
      });
    }
  });

  test("createApp() throws a TypeError on a root path that is not /prefix", () => {
    for (const rootPath of ["prefix", "/prefix/", "//", "prefix/"]) {
      expect(() => createApp({ root: false, rootPath }), rootPath).toThrow(TypeError);
      expect(() => createApp({ root: false, rootPath }), rootPath).toThrow(
        JSON.stringify(rootPath),
      );
    }
  });

  test("createApp() takes an empty root path as none", async () => {
    const plain = createApp({ root: false, rootPath: "", mounts: { "/apps/x": paths } });
    const response = await plain.fetch(new Request("http://localhost/apps/x/y"));
    expect(await response.json()).toEqual({ SCRIPT_NAME: "/apps/x", PATH_INFO: "/y" });
  });
});
