import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { toFetchHandler } from "../../src/core/handler.ts";
import type { WsgiApp } from "../../src/core/types.ts";
import { dispatcher } from "../../src/wsgiref/dispatcher.ts";
import { fromFetchHandler } from "../../src/wsgiref/from_fetch_handler.ts";
import { testEnviron } from "../../src/wsgiref/test_environ.ts";
import { validator } from "../../src/wsgiref/validator.ts";
import { bytes, callHandler, TEXT, tick } from "./_validator_support.ts";

describe("validator()", () => {
  test("changes nothing in a valid list response, Content-Length included", async () => {
    const app: WsgiApp = (_environ, startResponse) => {
      startResponse("201 Created", [...TEXT, ["Set-Cookie", "a=1"], ["Set-Cookie", "b=2"]]);
      return [bytes("hello")];
    };
    const plain = await toFetchHandler(app)(new Request("http://localhost/"));
    const checked = await toFetchHandler(validator(app))(new Request("http://localhost/"));
    expect(checked.status).toBe(plain.status);
    expect(checked.statusText).toBe(plain.statusText);
    expect([...checked.headers]).toEqual([...plain.headers]);
    expect(checked.headers.get("content-length")).toBe("5");
    expect(await checked.text()).toBe(await plain.text());
  });

  test("streams an async body chunk by chunk", async () => {
    let produced = 0;
    const app: WsgiApp = (_environ, startResponse) => {
      startResponse("200 OK", TEXT);
      return (async function* () {
        for (let i = 1; i <= 3; i++) {
          await tick(5);
          produced = i;
          yield bytes(`${i};`);
        }
      })();
    };
    const response = await toFetchHandler(validator(app))(new Request("http://localhost/"));
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("1;");
    expect(produced).toBe(1);
    let rest = "";
    for (let step = await reader.read(); !step.done; step = await reader.read()) {
      rest += new TextDecoder().decode(step.value);
    }
    expect(rest).toBe("2;3;");
  });

  test("awaits an async app", async () => {
    const app: WsgiApp = async (_environ, startResponse) => {
      await tick();
      startResponse("200 OK", TEXT);
      return [bytes("later")];
    };
    expect((await callHandler(app)).body).toBe("later");
  });

  test("passes wsgi.file_wrapper bodies", async () => {
    const app: WsgiApp = (environ, startResponse) => {
      startResponse("200 OK", TEXT);
      let sent = false;
      return environ["wsgi.file_wrapper"]({
        read: () => (sent ? new Uint8Array() : (sent = true, bytes("file"))),
      });
    };
    const { status, body, lines } = await callHandler(app);
    expect(status).toBe(200);
    expect(body).toBe("file");
    expect(lines).toEqual([]);
  });

  test("lets the app's own errors through unchanged", async () => {
    const app: WsgiApp = () => {
      throw new RangeError("app bug");
    };
    const { status, log } = await callHandler(app);
    expect(status).toBe(500);
    expect(log).toContain("RangeError: app bug");
  });

  test("replaces wsgi.input and wsgi.errors in the environ with checking wrappers", async () => {
    const environ = testEnviron();
    const input = environ["wsgi.input"];
    const errors = environ["wsgi.errors"];
    await validator((_environ, startResponse) => {
      startResponse("200 OK", TEXT);
      return [];
    })(environ, () => () => {});
    expect(environ["wsgi.input"]).not.toBe(input);
    expect(environ["wsgi.errors"]).not.toBe(errors);
  });

  test("finds nothing wrong with a Hono app under fromFetchHandler() and dispatcher()", async () => {
    const hono = new Hono().basePath("/api");
    // Not c.text(): on Bun its Content-Type only exists on the wire (see fromFetchHandler()).
    hono.get("/hi", (c) => c.html("hi"));
    hono.post("/echo", async (c) => c.json({ got: await c.req.text() }));
    const app = validator(dispatcher({ "/api": validator(fromFetchHandler(hono.fetch)) }));
    const lines: string[] = [];
    const handler = toFetchHandler(app, { logger: (line) => lines.push(line) });
    const hi = await handler(new Request("http://localhost/api/hi"));
    expect(await hi.text()).toBe("hi");
    const echo = await handler(
      new Request("http://localhost/api/echo", { method: "POST", body: "x" }),
    );
    expect(await echo.json()).toEqual({ got: "x" });
    const missing = await handler(new Request("http://localhost/nope", { method: "HEAD" }));
    expect(missing.status).toBe(404);
    await tick(1100);
    expect(lines).toEqual([]);
  });

  test("start_response with excInfo after the headers went out re-throws the app's error", async () => {
    const app: WsgiApp = (_environ, startResponse) => {
      startResponse("200 OK", TEXT);
      return (async function* () {
        yield bytes("partial");
        try {
          throw new Error("late failure");
        } catch (error) {
          startResponse("500 Oops", TEXT, error);
        }
      })();
    };
    const { status, body, log } = await callHandler(app);
    expect(status).toBe(200);
    expect(body).toContain("<aborted");
    expect(log).toContain("late failure");
  });

  test("throws a TypeError when the app is not a function", () => {
    expect(() => validator("app" as never)).toThrow(
      "validator() takes a WSGI app function, not string",
    );
  });
});
