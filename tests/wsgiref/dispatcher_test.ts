import { describe, expect, test } from "bun:test";
import { toFetchHandler } from "../../src/core/handler.ts";
import type { WsgiApp } from "../../src/core/types.ts";
import { dispatcher } from "../../src/wsgiref/dispatcher.ts";
import { testEnviron } from "../../src/wsgiref/test_environ.ts";

/** An app that answers with its name, SCRIPT_NAME and PATH_INFO. */
function echo(name: string): WsgiApp {
  return (environ, startResponse) => {
    startResponse("200 OK", [["Content-Type", "text/plain"]]);
    return [`${name} ${JSON.stringify(environ.SCRIPT_NAME)} ${JSON.stringify(environ.PATH_INFO)}`];
  };
}

async function call(app: WsgiApp, path: string, scriptName?: string): Promise<string> {
  const response = await toFetchHandler(app, { scriptName })(new Request(`http://x${path}`));
  return await response.text();
}

describe("dispatcher()", () => {
  const app = dispatcher({
    "/a": echo("a"),
    "/a/b": echo("ab"),
    "/a/b/c/": echo("abc"),
    "/x y": echo("space"),
  }, echo("root"));

  const ROUTES: [path: string, expected: string][] = [
    ["/a", 'a "/a" ""'],
    ["/a/", 'a "/a" "/"'],
    ["/a/z", 'a "/a" "/z"'],
    ["/a/b", 'ab "/a/b" ""'],
    ["/a/b/z/y", 'ab "/a/b" "/z/y"'],
    ["/a/b/c", 'abc "/a/b/c" ""'],
    ["/a/b/c/d", 'abc "/a/b/c" "/d"'],
    ["/a/bc", 'a "/a" "/bc"'],
    ["/ab", 'root "" "/ab"'],
    ["/", 'root "" "/"'],
    ["/b/a", 'root "" "/b/a"'],
    ["/a//b", 'a "/a" "//b"'],
    ["/x%20y/1", 'space "/x y" "/1"'],
  ];
  for (const [path, expected] of ROUTES) {
    test(`routes ${path} to ${expected}`, async () => {
      expect(await call(app, path)).toBe(expected);
    });
  }

  test("matches whole segments only: /a does not take /ab", async () => {
    const only = dispatcher({ "/a": echo("a") });
    const response = await toFetchHandler(only)(new Request("http://x/ab"));
    expect(response.status).toBe(404);
    expect(await response.text()).toBe("Not Found\n");
  });

  test("appends the prefix to an existing SCRIPT_NAME", async () => {
    expect(await call(app, "/mount/a/b/z", "/mount")).toBe('ab "/mount/a/b" "/z"');
  });

  test("nests: an inner dispatcher routes what the outer one left", async () => {
    const inner = dispatcher({ "/v1": echo("v1"), "/v2": echo("v2") }, echo("api"));
    const outer = dispatcher({ "/api": inner }, echo("site"));
    expect(await call(outer, "/api/v2/users")).toBe('v2 "/api/v2" "/users"');
    expect(await call(outer, "/api/v3")).toBe('api "/api" "/v3"');
    expect(await call(outer, "/apiv1")).toBe('site "" "/apiv1"');
  });

  test("gives an empty PATH_INFO to the fallback unchanged", () => {
    const environ = testEnviron({ SCRIPT_NAME: "/s", PATH_INFO: "" });
    dispatcher({ "/a": echo("a") }, echo("root"))(environ, () => () => {});
    expect(environ.SCRIPT_NAME).toBe("/s");
    expect(environ.PATH_INFO).toBe("");
  });

  test("matches latin-1 prefixes as PATH_INFO spells them", async () => {
    const latin = dispatcher({ "/caf\u00c3\u00a9": echo("cafe") });
    expect(await call(latin, "/caf%C3%A9/x")).toBe('cafe "/caf\u00c3\u00a9" "/x"');
  });

  const BAD: [apps: Record<string, unknown>, message: string][] = [
    [{ "a": echo("a") }, 'A mount prefix must start with "/" and not be "/" alone'],
    [{ "/": echo("a") }, 'A mount prefix must start with "/" and not be "/" alone'],
    [{ "": echo("a") }, 'A mount prefix must start with "/" and not be "/" alone'],
    [{ "/a": echo("a"), "/a/": echo("b") }, 'Mount prefix "/a/" is given twice'],
    [{ "/a": "nope" }, 'The app at "/a" must be a function, not string'],
  ];
  for (const [apps, message] of BAD) {
    test(`throws a TypeError for ${JSON.stringify(Object.keys(apps))}: ${message}`, () => {
      expect(() => dispatcher(apps as Record<string, WsgiApp>)).toThrow(message);
    });
  }
});
