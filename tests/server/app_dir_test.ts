import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { relative } from "node:path";
import process from "node:process";
import { createApp } from "../../src/server/app.ts";
import { join } from "../../src/base/path.ts";

// Each module records its loads here, under a key unique to this run.
const LOADS = `__edgeWsgiAppDirLoads_${crypto.randomUUID().replaceAll("-", "")}`;
const loads = () => (globalThis as Record<string, unknown>)[LOADS] ?? 0;

/** A module whose app answers `text` with its SCRIPT_NAME and PATH_INFO, counting its loads. */
function reporterModule(text: string, exportAs = "export const application ="): string {
  return `globalThis.${LOADS} = (globalThis.${LOADS} ?? 0) + 1;
${exportAs} function app(environ, startResponse) {
  startResponse("200 OK", [["Content-Type", "application/json"]]);
  return [JSON.stringify({
    text: ${JSON.stringify(text)},
    SCRIPT_NAME: environ.SCRIPT_NAME,
    PATH_INFO: environ.PATH_INFO,
  })];
};
`;
}

const MODULES: Record<string, string> = {
  "named.ts": reporterModule("named export"),
  "default.ts": reporterModule("default export", "export default"),
  "plain.js": reporterModule("javascript", "export const application ="),
  "not_a_function.ts": "export const application = 42;\n",
  "no_export.ts": "export const something = () => {};\n",
  "syntax.ts": "export const application = (;\n",
  "throws.ts": 'throw new Error("this module fails as it loads");\n',
  "a.b.ts": reporterModule("a dotted name"),
  "both.ts": reporterModule("the .ts one"),
  "both.js": reporterModule("the .js one"),
};

describe("createApp() apps", () => {
  let dir: string;
  let app: ReturnType<typeof createApp>;
  const lines: string[] = [];
  const get = (path: string) => app.fetch(new Request(`http://localhost${path}`));
  const json = async (path: string) => {
    const response = await get(path);
    expect({ path, status: response.status }).toEqual({ path, status: 200 });
    return await response.json();
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "edge-wsgi-apps-"));
    for (const [name, source] of Object.entries(MODULES)) await writeFile(join(dir, name), source);
    app = createApp({ root: false, apps: dir, logger: (line) => lines.push(line) });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test("createApp() loads an app module on its first request, and once", async () => {
    expect(loads()).toBe(0);
    await json("/named");
    expect(loads()).toBe(1);
    await json("/named/again");
    expect(loads()).toBe(1);
  });

  test("createApp() serves a module's `application` at /name", async () => {
    // path, SCRIPT_NAME, PATH_INFO
    const cases: [string, string, string][] = [
      ["/named", "/named", ""],
      ["/named/", "/named", "/"],
      ["/named/x/y", "/named", "/x/y"],
    ];
    for (const [path, SCRIPT_NAME, PATH_INFO] of cases) {
      expect({ path, ...(await json(path)) }).toEqual({
        path,
        text: "named export",
        SCRIPT_NAME,
        PATH_INFO,
      });
    }
  });

  test("createApp() serves a module's default export", async () => {
    expect(await json("/default/x")).toEqual({
      text: "default export",
      SCRIPT_NAME: "/default",
      PATH_INFO: "/x",
    });
  });

  test("createApp() serves a .js module", async () => {
    expect((await json("/plain")).text).toBe("javascript");
  });

  test("createApp() prefers name.ts to name.js", async () => {
    expect((await json("/both")).text).toBe("the .ts one");
  });

  test("createApp() loads concurrent first requests' module once", async () => {
    const before = loads() as number;
    await Promise.all([json("/both"), json("/both/1"), json("/plain"), json("/default")]);
    expect(loads()).toBe(before);
  });

  test("createApp() answers 404 for a name with no module", async () => {
    for (const path of ["/missing", "/missing/x", "/named.ts", "/a.b", "/a.b/x", "/", "/.."]) {
      const response = await get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
    }
    expect(lines).toEqual([]);
  });

  test("createApp() answers 500 for a broken module, logs why, and goes on serving", async () => {
    // name, what the log must say
    const cases: [string, string][] = [
      ["not_a_function", "exports no WSGI app"],
      ["no_export", "exports no WSGI app"],
      ["syntax", "Cannot load the app module"],
      ["throws", "this module fails as it loads"],
    ];
    for (const [name, cause] of cases) {
      lines.length = 0;
      const response = await get(`/${name}/x`);
      expect({ name, status: response.status }).toEqual({ name, status: 500 });
      const body = await response.text();
      expect(body).not.toContain(cause);
      expect({ name, logged: lines.join("\n") }).toEqual({
        name,
        logged: expect.stringContaining(cause),
      });
      expect(lines.join("\n")).toContain(`/${name}/x`);
      expect((await json("/named")).text).toBe("named export");
    }
  });

  test("createApp() serves a module created after a 404 for its name", async () => {
    expect((await get("/late")).status).toBe(404);
    await writeFile(join(dir, "late.ts"), reporterModule("late"));
    expect((await json("/late")).text).toBe("late");
  });

  test("createApp() picks up a module fixed after it failed to load (syntax error)", async () => {
    await writeFile(join(dir, "fixme_syntax.ts"), "export const application = (;\n");
    expect((await get("/fixme_syntax")).status).toBe(500);
    await writeFile(join(dir, "fixme_syntax.ts"), reporterModule("fixed syntax"));
    expect((await json("/fixme_syntax")).text).toBe("fixed syntax");
  });

  test("createApp() picks up a module fixed after it failed to load (export)", async () => {
    await writeFile(join(dir, "fixme_export.ts"), "export const application = 42;\n");
    expect((await get("/fixme_export")).status).toBe(500);
    await writeFile(join(dir, "fixme_export.ts"), reporterModule("fixed export"));
    expect((await json("/fixme_export")).text).toBe("fixed export");
  });

  test("createApp() picks up a module fixed after it threw as it loaded", async () => {
    await writeFile(join(dir, "fixme_throw.ts"), 'throw new Error("not yet");\n');
    expect((await get("/fixme_throw")).status).toBe(500);
    await writeFile(join(dir, "fixme_throw.ts"), reporterModule("fixed throw"));
    expect((await json("/fixme_throw")).text).toBe("fixed throw");
  });

  test("createApp() puts the root path before an app's name", async () => {
    const prefixed = createApp({ root: false, apps: dir, rootPath: "/p" });
    for (const path of ["/p/named/x", "/named/x"]) {
      const response = await prefixed.fetch(new Request(`http://localhost${path}`));
      expect({ path, environ: await response.json() }).toEqual({
        path,
        environ: { text: "named export", SCRIPT_NAME: "/p/named", PATH_INFO: "/x" },
      });
    }
  });
});

describe("createApp() apps and static files", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "edge-wsgi-apps-static-"));
    await writeFile(join(dir, "hello.ts"), reporterModule("hello"));
    await writeFile(join(dir, "about.txt"), "about\n");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test("createApp() lets a name with no module fall through to the static files", async () => {
    const app = createApp({ root: dir, apps: dir });
    const about = await app.fetch(new Request("http://localhost/about.txt"));
    expect(about.status).toBe(200);
    expect(await about.text()).toBe("about\n");
    const missing = await app.fetch(new Request("http://localhost/nothing"));
    expect(missing.status).toBe(404);
    const hello = await app.fetch(new Request("http://localhost/hello/x"));
    expect((await hello.json()).SCRIPT_NAME).toBe("/hello");
  });

  test("createApp() gives an explicit mount precedence over an app of the folder", async () => {
    const mounted = createApp({
      root: false,
      apps: dir,
      mounts: {
        "/hello": (_environ, startResponse) => {
          startResponse("200 OK", []);
          return ["mounted"];
        },
      },
    });
    const response = await mounted.fetch(new Request("http://localhost/hello"));
    expect(await response.text()).toBe("mounted");
  });
});

describe("createApp() mounts by module path", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "edge-wsgi-mount-module-"));
    await writeFile(join(dir, "api.ts"), reporterModule("api"));
    await writeFile(join(dir, "broken.ts"), "export default 'not an app';\n");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test("createApp() mounts the app of a module given by its absolute path", async () => {
    const before = loads() as number;
    const app = createApp({ root: false, mounts: { "/api": join(dir, "api.ts") } });
    expect(loads()).toBe(before);
    const response = await app.fetch(new Request("http://localhost/api/users/1"));
    expect(await response.json()).toEqual({
      text: "api",
      SCRIPT_NAME: "/api",
      PATH_INFO: "/users/1",
    });
    expect(loads()).toBe(before + 1);
  });

  test("createApp() resolves a module path against the working directory", async () => {
    const path = relative(process.cwd(), join(dir, "api.ts"));
    const app = createApp({ root: false, mounts: { "/v1/api": path } });
    const response = await app.fetch(new Request("http://localhost/v1/api/x"));
    expect((await response.json()).SCRIPT_NAME).toBe("/v1/api");
  });

  test("createApp() answers 500 for a mounted module with no app, and logs why", async () => {
    const lines: string[] = [];
    const app = createApp({
      root: false,
      mounts: { "/broken": join(dir, "broken.ts"), "/missing": join(dir, "missing.ts") },
      logger: (line) => lines.push(line),
    });
    expect((await app.fetch(new Request("http://localhost/broken"))).status).toBe(500);
    expect(lines.join("\n")).toContain("exports no WSGI app");
    expect((await app.fetch(new Request("http://localhost/missing"))).status).toBe(500);
    expect(lines.join("\n")).toContain("missing.ts");
  });
});
