import { describe, expect, test } from "bun:test";
import { testEnviron } from "../../src/wsgiref/test_environ.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("testEnviron()", () => {
  // CPython Lib/test/test_wsgiref.py, testDefaults.
  const DEFAULTS: [key: string, value: unknown][] = [
    ["SERVER_NAME", "127.0.0.1"],
    ["SERVER_PORT", "80"],
    ["SERVER_PROTOCOL", "HTTP/1.0"],
    ["HTTP_HOST", "127.0.0.1"],
    ["REQUEST_METHOD", "GET"],
    ["SCRIPT_NAME", ""],
    ["PATH_INFO", "/"],
    ["QUERY_STRING", ""],
    ["wsgi.version", [1, 0]],
    ["wsgi.run_once", false],
    ["wsgi.multithread", false],
    ["wsgi.multiprocess", false],
    ["wsgi.url_scheme", "http"],
    ["wsgi.input_terminated", true],
  ];
  for (const [key, value] of DEFAULTS) {
    test(`defaults ${key} to ${JSON.stringify(value)} and keeps a given value`, () => {
      expect(testEnviron()[key]).toEqual(value);
      expect(testEnviron({ [key]: "given" })[key]).toBe("given");
    });
  }

  // CPython Lib/test/test_wsgiref.py, testCrossDefaults.
  const CROSS: [key: string, value: string, overrides: Record<string, string>][] = [
    ["HTTP_HOST", "foo.bar", { SERVER_NAME: "foo.bar" }],
    ["wsgi.url_scheme", "https", { HTTPS: "on" }],
    ["wsgi.url_scheme", "https", { HTTPS: "1" }],
    ["wsgi.url_scheme", "https", { HTTPS: "yes" }],
    ["wsgi.url_scheme", "http", { HTTPS: "foo" }],
    ["SERVER_PORT", "80", { HTTPS: "foo" }],
    ["SERVER_PORT", "443", { HTTPS: "on" }],
  ];
  for (const [key, value, overrides] of CROSS) {
    test(`derives ${key} ${value} from ${JSON.stringify(overrides)}`, () => {
      expect(testEnviron(overrides)[key]).toBe(value);
    });
  }

  test("has the wsgi.* keys of a real environ", () => {
    const environ = testEnviron();
    expect(typeof environ["wsgi.input"].read).toBe("function");
    expect(typeof environ["wsgi.errors"].write).toBe("function");
    expect(typeof environ["wsgi.file_wrapper"]).toBe("function");
    expect(environ["edge_wsgi.request"]).toBeInstanceOf(Request);
    expect(environ["edge_wsgi.signal"]).toBeInstanceOf(AbortSignal);
    expect("CONTENT_LENGTH" in environ).toBe(false);
    expect("CONTENT_TYPE" in environ).toBe(false);
  });

  test("gives an empty wsgi.input by default", async () => {
    expect((await testEnviron()["wsgi.input"].read()).length).toBe(0);
  });

  test("collects wsgi.errors lines in edge_wsgi.test_errors", () => {
    const environ = testEnviron();
    environ["wsgi.errors"].write("one\ntw");
    environ["wsgi.errors"].write("o\nthree");
    expect(environ["edge_wsgi.test_errors"]).toEqual(["one", "two"]);
    environ["wsgi.errors"].flush();
    expect(environ["edge_wsgi.test_errors"]).toEqual(["one", "two", "three"]);
  });

  test("defaults only the missing one of SCRIPT_NAME and PATH_INFO to empty", () => {
    expect(testEnviron({ SCRIPT_NAME: "/app" }).PATH_INFO).toBe("");
    expect(testEnviron({ PATH_INFO: "/x" }).SCRIPT_NAME).toBe("");
  });

  test("leaves out a key overridden with undefined", () => {
    const environ = testEnviron({ HTTP_HOST: undefined });
    expect("HTTP_HOST" in environ).toBe(false);
  });

  test("reads a string body as UTF-8 and sets POST and CONTENT_LENGTH", async () => {
    const environ = testEnviron({}, { body: "caf\u00e9" });
    expect(environ.REQUEST_METHOD).toBe("POST");
    expect(environ.CONTENT_LENGTH).toBe("5");
    expect(text(await environ["wsgi.input"].read())).toBe("caf\u00e9");
  });

  test("streams a ReadableStream body without a CONTENT_LENGTH", async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("a\nb\n"));
        controller.close();
      },
    });
    const environ = testEnviron({ REQUEST_METHOD: "PUT" }, { body });
    expect("CONTENT_LENGTH" in environ).toBe(false);
    expect((await environ["wsgi.input"].readlines()).map(text)).toEqual(["a\n", "b\n"]);
  });

  test("gives a stand-in request with the environ's URL", () => {
    const environ = testEnviron({ SCRIPT_NAME: "/app", PATH_INFO: "/x", QUERY_STRING: "q=1" });
    expect(environ["edge_wsgi.request"].url).toBe("http://127.0.0.1/app/x?q=1");
  });

  test("throws a TypeError for a GET with a body", () => {
    expect(() => testEnviron({ REQUEST_METHOD: "GET" }, { body: "x" })).toThrow(
      "A GET request cannot have a body; set REQUEST_METHOD",
    );
  });

  test("gives a fresh environ each call", () => {
    const a = testEnviron();
    const b = testEnviron();
    expect(a).not.toBe(b);
    expect(a["edge_wsgi.test_errors"]).not.toBe(b["edge_wsgi.test_errors"]);
  });
});
