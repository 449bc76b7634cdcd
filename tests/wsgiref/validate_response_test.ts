import { describe, expect, test } from "bun:test";
import type { HeaderPair, StartResponse, WsgiApp } from "../../src/core/types.ts";
import { testEnviron } from "../../src/wsgiref/test_environ.ts";
import { validator } from "../../src/wsgiref/validator.ts";
import { bytes, callDirect, callHandler, directError, TEXT } from "./_validator_support.ts";

/** An app that calls start_response with the given arguments and returns a small body. */
function starting(status: unknown, headers: unknown): WsgiApp {
  return (_environ, startResponse) => {
    (startResponse as (...args: unknown[]) => void)(status, headers);
    return [bytes("body")];
  };
}

// [rule, bad start_response arguments, good ones, words of the message]
const CASES: [
  rule: string,
  bad: [unknown, unknown],
  good: [string, HeaderPair[]],
  message: string,
][] = [
  ["status.type", [200, TEXT], ["200 OK", TEXT], "Status must be a string, not number"],
  ["status.format", ["200", TEXT], ["200 OK", TEXT], 'not "200"'],
  ["status.format", ["200OK", TEXT], ["200 OK", TEXT], 'not "200OK"'],
  ["status.format", ["200  OK", TEXT], ["200 OK", TEXT], 'not "200  OK"'],
  ["status.format", ["200 OK ", TEXT], ["200 OK", TEXT], 'not "200 OK "'],
  ["status.format", ["2000 OK", TEXT], ["200 Fine By Me", TEXT], 'not "2000 OK"'],
  ["status.code", ["101 Switching Protocols", TEXT], ["200 OK", TEXT], "not 101"],
  ["status.code", ["600 Odd", TEXT], ["599 Odd", TEXT], "not 600"],
  [
    "status.control",
    ["200 OK\r\nX-Evil: 1", TEXT],
    ["200 OK\tfine", TEXT],
    "control or non-latin-1",
  ],
  [
    "headers.type",
    ["200 OK", { "Content-Type": "text/plain" }],
    ["200 OK", TEXT],
    "Headers must be an array, not Object",
  ],
  [
    "headers.type",
    ["200 OK", new Headers(TEXT)],
    ["200 OK", TEXT],
    "Headers must be an array, not Headers",
  ],
  ["headers.pair", ["200 OK", [["Content-Type"]]], ["200 OK", TEXT], 'not ["Content-Type"]'],
  [
    "headers.string",
    ["200 OK", [["X-N", 1]]],
    ["200 OK", [["X-N", "1"], ...TEXT]],
    'not ["X-N",1]',
  ],
  [
    "headers.name",
    ["200 OK", [["X Bad", "1"]]],
    ["200 OK", [["X-Good", "1"], ...TEXT]],
    '"X Bad" is not a token',
  ],
  ["headers.name", ["200 OK", [["X:Y", "1"]]], ["200 OK", TEXT], '"X:Y" is not a token'],
  [
    "headers.status",
    ["200 OK", [["Status", "404 Not Found"]]],
    ["404 Not Found", TEXT],
    "A Status header is CGI",
  ],
  ["headers.value", ["200 OK", [["X-A", "1\r\nSet-Cookie: evil=1"]]], ["200 OK", [
    ["X-A", "1\t2"],
    ...TEXT,
  ]], "control or non-latin-1"],
  [
    "headers.value",
    ["200 OK", [["X-A", "\u20ac"]]],
    ["200 OK", [["X-A", "\u00e9"], ...TEXT]],
    "control or non-latin-1",
  ],
  ["headers.value", ["200 OK", [["X-A", "a\0b"]]], ["200 OK", TEXT], "control or non-latin-1"],
  [
    "headers.hop_by_hop",
    ["200 OK", [["Connection", "close"], ...TEXT]],
    ["200 OK", TEXT],
    '"Connection" is hop-by-hop',
  ],
  [
    "headers.hop_by_hop",
    ["200 OK", [["Transfer-Encoding", "chunked"], ...TEXT]],
    ["200 OK", TEXT],
    '"Transfer-Encoding" is hop-by-hop',
  ],
  ["headers.content_length", ["200 OK", [["Content-Length", "4 "], ...TEXT]], ["200 OK", [[
    "Content-Length",
    "4",
  ], ...TEXT]], 'not "4 "'],
];

describe("validator() start_response checks", () => {
  for (const [rule, bad, good, message] of CASES) {
    const label = JSON.stringify(bad[0]) + " " + JSON.stringify(bad[1]);
    test(`${rule}: throws for ${label}`, async () => {
      const error = await directError(starting(...bad));
      expect(error.rule).toBe(rule);
      expect(error.side).toBe("app");
      expect(error.message).toContain(message);
    });

    test(`${rule}: gives a 500 through toFetchHandler() for ${label}`, async () => {
      const { status, log } = await callHandler(starting(...bad));
      expect(status).toBe(500);
      expect(log).toContain(`WsgiValidationError: The app broke WSGI rule ${rule}: `);
      expect(log).toContain(message);
    });

    test(`${rule}: passes ${JSON.stringify(good[0])} ${JSON.stringify(good[1])}`, async () => {
      const { calls, errors } = await callDirect(starting(...good));
      expect(calls).toEqual([good]);
      expect(errors).toEqual([]);
      const { status, body } = await callHandler(starting(...good));
      expect(status).toBe(Number(good[0].slice(0, 3)));
      expect(body).toBe("body");
    });
  }

  test("start_response.args: throws for one argument", async () => {
    const app: WsgiApp = (_environ, startResponse) => {
      (startResponse as unknown as (status: string) => void)("200 OK");
      return [];
    };
    expect((await directError(app)).message).toContain(
      "start_response() takes 2 or 3 arguments, not 1",
    );
    expect((await callHandler(app)).log).toContain("rule start_response.args");
  });

  test("start_response.twice: throws for a second call without excInfo", async () => {
    const app: WsgiApp = (_environ, startResponse) => {
      startResponse("200 OK", TEXT);
      startResponse("500 Oops", TEXT);
      return [];
    };
    expect((await directError(app)).message).toContain(
      'start_response("500 Oops") was called a second time without excInfo',
    );
    const { status, log } = await callHandler(app);
    expect(status).toBe(500);
    expect(log).toContain("rule start_response.twice");
  });

  test("start_response.twice: passes a second call with excInfo before the headers went out", async () => {
    const app: WsgiApp = (_environ, startResponse) => {
      startResponse("200 OK", TEXT);
      startResponse("503 Busy", TEXT, new Error("database down"));
      return [bytes("try later")];
    };
    const { calls } = await callDirect(app);
    expect(calls.map((call) => call[0])).toEqual(["200 OK", "503 Busy"]);
    const { status, body } = await callHandler(app);
    expect(status).toBe(503);
    expect(body).toBe("try later");
  });

  test("start_response.after_close: throws when the app calls it after close()", async () => {
    let saved: StartResponse | undefined;
    const app: WsgiApp = (_environ, startResponse) => {
      saved = startResponse;
      startResponse("200 OK", TEXT);
      return [];
    };
    await callDirect(app);
    expect(() => saved!("500 Late", TEXT, new Error("x"))).toThrow(
      "The app broke WSGI rule start_response.after_close",
    );
  });

  test("start_response.result: throws when the server's start_response returns no write()", async () => {
    const app = validator((_environ, startResponse) => {
      startResponse("200 OK", TEXT);
      return [];
    });
    await expect(app(testEnviron(), (() => undefined) as never)).rejects.toThrow(
      "The server broke WSGI rule start_response.result: start_response() must return write(), not undefined",
    );
  });

  test("headers.content_type: warns for a 204 with a Content-Type", async () => {
    const { errors } = await callDirect(starting("204 No Content", TEXT));
    expect(errors.join("\n")).toContain(
      "headers.content_type: A 204 response has no content, but has Content-Type",
    );
  });
});

describe("validator() write() checks", () => {
  function writing(...chunks: unknown[]): WsgiApp {
    return (_environ, startResponse) => {
      const write = startResponse("200 OK", TEXT) as (...args: unknown[]) => void;
      for (const chunk of chunks) write(chunk);
      return [];
    };
  }

  test("write.args: throws for two chunks in one call", async () => {
    const app: WsgiApp = (_environ, startResponse) => {
      (startResponse("200 OK", TEXT) as (...args: unknown[]) => void)(bytes("a"), bytes("b"));
      return [];
    };
    expect((await directError(app)).message).toContain("write() takes one chunk, not 2");
    expect((await callHandler(app)).log).toContain("rule write.args");
  });

  test("body.chunk: throws for write() of a number", async () => {
    const error = await directError(writing(42));
    expect(error.rule).toBe("body.chunk");
    expect(error.message).toContain("write() gave a number chunk");
    expect((await callHandler(writing(42))).status).toBe(500);
  });

  test("body.chunk: passes write() of bytes, which go out first", async () => {
    const { written } = await callDirect(writing(bytes("a"), bytes("b")));
    expect(written.length).toBe(2);
    const { status, body, lines } = await callHandler(writing(bytes("a"), bytes("b")));
    expect(status).toBe(200);
    expect(body).toBe("ab");
    expect(lines).toEqual([]);
  });

  test("body.string: accepts write() of strings, and throws for them in strict mode", async () => {
    const { errors } = await callDirect(writing("a", "b"));
    expect(errors).toEqual([]);
    const { body, lines } = await callHandler(writing("a", "b"));
    expect(body).toBe("ab");
    expect(lines).toEqual([]);
    const strict = await directError(writing("a"), testEnviron(), { strict: true });
    expect(strict.rule).toBe("body.string");
    expect(strict.message).toContain('write() gave a string chunk "a"');
  });

  test("write.after_close: throws when the app writes after close()", async () => {
    let write: ((chunk: Uint8Array) => void) | undefined;
    const app: WsgiApp = (_environ, startResponse) => {
      write = startResponse("200 OK", TEXT);
      return [];
    };
    await callDirect(app);
    expect(() => write!(bytes("late"))).toThrow("The app broke WSGI rule write.after_close");
  });
});
