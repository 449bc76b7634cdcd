import { describe, expect, test } from "bun:test";
import { toFetchHandler } from "../../src/core/handler.ts";
import type { Environ } from "../../src/core/types.ts";
import { testEnviron } from "../../src/wsgiref/test_environ.ts";
import { validator } from "../../src/wsgiref/validator.ts";
import { callDirect, callHandler, corrupt, directError, goodApp } from "./_validator_support.ts";

type Env = Record<string, unknown>;

// [rule, what breaks it, words of the message]
const BROKEN: [rule: string, mutate: (environ: Env) => void, message: string][] = [
  ["environ.required", (e) => delete e.SERVER_NAME, "The environ has no SERVER_NAME"],
  ["environ.required", (e) => delete e["wsgi.version"], "The environ has no wsgi.version"],
  ["environ.cgi_string", (e) => (e.SERVER_PORT = 80), "SERVER_PORT must be a string, not number"],
  ["environ.cgi_string", (e) => (e.HTTP_X = undefined), "HTTP_X must be a string, not undefined"],
  [
    "environ.latin1",
    (e) => (e.PATH_INFO = "/\u20ac"),
    'PATH_INFO must hold latin-1 characters only, not "/\u20ac"',
  ],
  [
    "environ.http_content",
    (e) => (e.HTTP_CONTENT_TYPE = "text/plain"),
    "The environ has HTTP_CONTENT_TYPE: it must be CONTENT_TYPE",
  ],
  [
    "environ.http_content",
    (e) => (e.HTTP_CONTENT_LENGTH = "1"),
    "The environ has HTTP_CONTENT_LENGTH: it must be CONTENT_LENGTH",
  ],
  [
    "environ.version",
    (e) => (e["wsgi.version"] = [1, 1]),
    "wsgi.version must be [1, 0], not [1,1]",
  ],
  [
    "environ.url_scheme",
    (e) => (e["wsgi.url_scheme"] = "ftp"),
    'wsgi.url_scheme must be "http" or "https", not "ftp"',
  ],
  ["environ.flag", (e) => (e["wsgi.run_once"] = 0), "wsgi.run_once must be a boolean, not number"],
  [
    "environ.input",
    (e) => (e["wsgi.input"] = { read() {} }),
    "wsgi.input has no readline() method",
  ],
  [
    "environ.errors",
    (e) => (e["wsgi.errors"] = { write() {} }),
    "wsgi.errors has no writelines() method",
  ],
  ["environ.script_name", (e) => (e.SCRIPT_NAME = "/"), 'SCRIPT_NAME must not be "/"'],
  [
    "environ.script_name",
    (e) => (e.SCRIPT_NAME = "app"),
    'SCRIPT_NAME must be "" or start with "/", not "app"',
  ],
  [
    "environ.path_info",
    (e) => (e.PATH_INFO = "x"),
    'PATH_INFO must be "" or start with "/", not "x"',
  ],
  ["environ.server", (e) => (e.SERVER_PORT = ""), "SERVER_NAME and SERVER_PORT must not be empty"],
  [
    "environ.content_length",
    (e) => (e.CONTENT_LENGTH = "-1"),
    'CONTENT_LENGTH must be a decimal number, not "-1"',
  ],
];

describe("validator() environ checks", () => {
  for (const [rule, mutate, message] of BROKEN) {
    test(`${rule}: throws for a server that sends ${message}`, async () => {
      const environ = testEnviron();
      mutate(environ);
      const error = await directError(goodApp, environ);
      expect(error.rule).toBe(rule);
      expect(error.side).toBe("server");
      expect(error.message).toContain(message);
    });

    test(`${rule}: gives a 500 through toFetchHandler() and logs the rule`, async () => {
      const { status, log } = await callHandler(goodApp, {
        wrap: corrupt(mutate as (e: Environ) => void),
      });
      expect(status).toBe(500);
      expect(log).toContain(`WsgiValidationError: The server broke WSGI rule ${rule}: ${message}`);
    });
  }

  test("passes the environ toFetchHandler() builds, with a body and a mount", async () => {
    const { status, body, lines } = await callHandler(goodApp, {
      request: new Request("http://localhost:8080/caf%C3%A9?q=1", {
        method: "POST",
        body: "x",
        headers: { "Content-Type": "text/plain", "X-A": "1" },
      }),
    });
    expect(status).toBe(200);
    expect(body).toBe("ok");
    expect(lines).toEqual([]);
  });

  test("passes the environ testEnviron() builds, untouched", async () => {
    const { errors, chunks } = await callDirect(
      goodApp,
      testEnviron({ SCRIPT_NAME: "/a", PATH_INFO: "" }),
    );
    expect(chunks.length).toBe(1);
    expect(errors).toEqual([]);
  });

  test("environ.type: throws for an environ that is not an object", async () => {
    const app = validator(goodApp);
    await expect(app(null as never, () => () => {})).rejects.toThrow(
      "The server broke WSGI rule environ.type: The environ must be a plain object, not null",
    );
  });

  test("app.args: throws when the server passes no start_response", async () => {
    const app = validator(goodApp) as (...args: unknown[]) => Promise<unknown>;
    await expect(app(testEnviron())).rejects.toThrow("A WSGI app takes 2 arguments, not 1");
  });

  const WARNED: [rule: string, mutate: (environ: Env) => void][] = [
    ["environ.query_string", (e) => delete e.QUERY_STRING],
    ["environ.method", (e) => (e.REQUEST_METHOD = "BREW")],
  ];
  for (const [rule, mutate] of WARNED) {
    test(`${rule}: warns in wsgi.errors and goes on`, async () => {
      const environ = testEnviron();
      mutate(environ);
      const { errors, chunks } = await callDirect(goodApp, environ);
      expect(chunks.length).toBe(1);
      expect(errors.join("\n")).toContain(`WSGI warning: the server broke rule ${rule}`);
    });

    test(`${rule}: throws in strict mode`, async () => {
      const environ = testEnviron();
      mutate(environ);
      expect((await directError(goodApp, environ, { strict: true })).rule).toBe(rule);
    });
  }

  test("the warnings of a real request reach the logger", async () => {
    const lines: string[] = [];
    const handler = toFetchHandler(validator(goodApp), { logger: (line) => lines.push(line) });
    const response = await handler(new Request("http://localhost/", { method: "PROPFIND" }));
    expect(response.status).toBe(200);
    expect(lines.join("\n")).toContain('environ.method: Unknown REQUEST_METHOD "PROPFIND"');
  });
});
