import { describe, expect, test } from "bun:test";
import type { AppResult, WsgiApp } from "../../src/core/types.ts";
import { testEnviron } from "../../src/wsgiref/test_environ.ts";
import { validator } from "../../src/wsgiref/validator.ts";
import { bytes, callDirect, callHandler, directError, TEXT, tick } from "./_validator_support.ts";

function returning(result: unknown): WsgiApp {
  return (_environ, startResponse) => {
    startResponse("200 OK", TEXT);
    return result as AppResult;
  };
}

/** Calls the validated app, leaving the body to the test. */
async function open(app: WsgiApp, graceMs = 10) {
  const environ = testEnviron();
  const result = await validator(app, { closeGraceMs: graceMs })(environ, () => () => {});
  return { result, errors: environ["edge_wsgi.test_errors"] as string[] };
}

describe("validator() body checks", () => {
  const NOT_BODIES: [label: string, value: unknown, message: string][] = [
    ["null", null, "not null"],
    ["undefined", undefined, "not undefined"],
    ["a string", "hello", "not string: wrap a single string in [ ]"],
    ["a Uint8Array", bytes("hello"), "not a Uint8Array: wrap it in [ ]"],
    ["a number", 42, "not number"],
    ["a plain object", {}, "not Object"],
  ];
  for (const [label, value, message] of NOT_BODIES) {
    test(`body.type: throws for ${label}`, async () => {
      const error = await directError(returning(value));
      expect(error.rule).toBe("body.type");
      expect(error.message).toContain(message);
      const { status, log } = await callHandler(returning(value));
      expect(status).toBe(500);
      expect(log).toContain("rule body.type");
    });
  }

  const BODIES: [label: string, make: () => unknown][] = [
    ["an empty array", () => []],
    ["an array of bytes", () => [bytes("a"), bytes("b")]],
    ["a Set", () => new Set([bytes("a")])],
    ["a generator", () =>
      (function* () {
        yield bytes("a");
      })()],
    ["an async generator", () =>
      (async function* () {
        yield bytes("a");
      })()],
  ];
  for (const [label, make] of BODIES) {
    test(`body.type: passes ${label}`, async () => {
      expect((await callDirect(returning(make()))).errors).toEqual([]);
      const { status, lines } = await callHandler(returning(make()));
      expect(status).toBe(200);
      expect(lines).toEqual([]);
    });
  }

  test("body.chunk: throws for a chunk that is not bytes", async () => {
    const app = returning((function* () {
      yield bytes("a");
      yield { not: "bytes" };
    })());
    const error = await directError(app);
    expect(error.message).toContain(
      "The body gave a Object chunk; chunks must be Uint8Array (or string)",
    );
    const { status, body, log } = await callHandler(returning([{ not: "bytes" }]));
    expect(status).toBe(500);
    expect(body).toBe("Internal Server Error\n");
    expect(log).toContain("rule body.chunk");
  });

  test("body.string: accepts string chunks as this API does, and throws in strict mode", async () => {
    const { errors, chunks } = await callDirect(returning(["a", "b"]));
    expect(chunks).toEqual(["a", "b"]);
    expect(errors).toEqual([]);
    const strict = await directError(returning(["a"]), testEnviron(), { strict: true });
    expect(strict.rule).toBe("body.string");
    expect(strict.message).toContain('The body gave a string chunk "a"; WSGI bodies are bytes');
    expect((await callHandler(returning(["a"]))).body).toBe("a");
  });

  test("body.before_start_response: throws for a generator that yields before start_response", async () => {
    const app: WsgiApp = (_environ, startResponse) =>
      (function* () {
        yield bytes("too early");
        startResponse("200 OK", TEXT);
      })();
    expect((await directError(app)).message).toContain(
      "The body sent body data before start_response()",
    );
    const { status, log } = await callHandler(app);
    expect(status).toBe(500);
    expect(log).toContain("rule body.before_start_response");
  });

  test("body.before_start_response: passes start_response in the body's first step (PEP 3333)", async () => {
    const app: WsgiApp = (_environ, startResponse) =>
      (function* () {
        yield bytes("");
        startResponse("200 OK", TEXT);
        yield bytes("in time");
      })();
    const { status, body } = await callHandler(app);
    expect(status).toBe(200);
    expect(body).toBe("in time");
  });

  test("body.before_start_response: throws for a list returned without start_response", async () => {
    const app: WsgiApp = () => [];
    expect((await directError(app)).message).toContain(
      "The app returned a list body without calling start_response()",
    );
    expect((await callHandler(app)).log).toContain("rule body.before_start_response");
  });

  test("body.before_start_response: throws for an iterable that ends without start_response", async () => {
    const app: WsgiApp = () => new Set<Uint8Array>();
    expect((await directError(app)).message).toContain(
      "The body ended without start_response() being called",
    );
  });

  test("headers.content_type: warns for a body without Content-Type, not for an empty one", async () => {
    const app = (body: Uint8Array[]): WsgiApp => (_environ, startResponse) => {
      startResponse("302 Found", [["Location", "/"]]);
      return body;
    };
    expect((await callDirect(app([]))).errors).toEqual([]);
    const { errors } = await callDirect(app([bytes("x")]));
    expect(errors.join("\n")).toContain(
      "headers.content_type: A 302 response has a body but no Content-Type",
    );
  });

  test("body.close: throws for a close that is not a function", async () => {
    const error = await directError(returning(Object.assign([], { close: "nope" })));
    expect(error.message).toContain("The body's close must be a function, not string");
  });

  test("body.close_missing: warns when the server never calls close()", async () => {
    const { result, errors } = await open(returning([bytes("a")]));
    for await (const _ of result) { /* read it all, then forget close() */ }
    await tick(30);
    expect(errors.join("\n")).toContain(
      "WSGI warning: the server broke rule body.close_missing: close() was not called within 10 ms after the body ended",
    );
  });

  test("body.close_missing: warns for an iterator read to its end and never closed", async () => {
    const { result, errors } = await open(returning(new Set([bytes("a")])));
    for await (const _ of result) { /* no close() */ }
    await tick(30);
    expect(errors.join("\n")).toContain("rule body.close_missing");
  });

  test("body.close_missing: stays quiet when the server closes the body", async () => {
    let closed = 0;
    const app = returning(Object.assign(new Set([bytes("a")]), { close: () => void closed++ }));
    const { errors } = await callDirect(app);
    await tick(30);
    expect(errors).toEqual([]);
    expect(closed).toBe(1);
  });

  test("toFetchHandler() closes every validated body: no close_missing warning", async () => {
    const { lines } = await callHandler(returning((async function* () {
      yield bytes("a");
    })()));
    await tick(30);
    expect(lines).toEqual([]);
  });

  test("body.close_twice: warns when the server calls close() twice", async () => {
    const { result, errors } = await open(returning([]));
    await result.close!();
    await result.close!();
    expect(errors.join("\n")).toContain("the server broke rule body.close_twice");
  });

  test("body.read_after_close: throws when the server reads after close()", async () => {
    const { result } = await open(returning(new Set([bytes("a")])));
    const iterator = (result as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    await result.close!();
    await expect(iterator.next()).rejects.toThrow(
      "The server broke WSGI rule body.read_after_close",
    );
  });

  test("passes the app's close() and generator return() through", async () => {
    let finalized = false;
    let closed = false;
    const generator = (async function* () {
      try {
        yield bytes("a");
        yield bytes("b");
      } finally {
        finalized = true;
      }
    })();
    const { result } = await open(
      returning(Object.assign(generator, { close: () => void (closed = true) })),
    );
    const iterator = (result as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.return!();
    await result.close!();
    expect(finalized).toBe(true);
    expect(closed).toBe(true);
  });
});
