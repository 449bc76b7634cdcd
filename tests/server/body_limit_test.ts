import { describe, expect, test } from "bun:test";
import { toFetchHandler } from "../../src/core/handler.ts";
import { BodyTooLargeError } from "../../src/core/input.ts";
import type { WsgiApp } from "../../src/core/types.ts";

/** An app that reads the whole body and answers with its length; `calls` counts its runs. */
function reader() {
  const state = { calls: 0 };
  const app: WsgiApp = async function readAll(environ, startResponse) {
    state.calls++;
    const body = await environ["wsgi.input"].read();
    startResponse("200 OK", [["Content-Type", "text/plain"]]);
    return [`read ${body.length}`];
  };
  return { app, state };
}

/** A body without a declared length, as a chunked upload arrives. */
function chunked(...sizes: number[]): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at === sizes.length) return controller.close();
      controller.enqueue(new Uint8Array(sizes[at++]).fill(0x61));
    },
  });
}

function post(body: BodyInit | null, headers: Record<string, string> = {}): Request {
  return new Request("http://localhost/upload", {
    method: "POST",
    body,
    headers,
    // @ts-ignore: a stream body needs it in Deno and Node; Bun ignores it
    duplex: "half",
  });
}

describe("toFetchHandler() maxBodySize", () => {
  test("toFetchHandler() answers 413 to a declared Content-Length over the limit, before the app", async () => {
    const { app, state } = reader();
    const handler = toFetchHandler(app, { maxBodySize: 10 });
    const response = await handler(post("x".repeat(11), { "Content-Length": "11" }));
    expect(response.status).toBe(413);
    expect(response.headers.get("connection")).toBe("close");
    expect(await response.text()).toContain("10 bytes");
    expect(state.calls).toBe(0);
  });

  test("toFetchHandler() passes a body of exactly the limit", async () => {
    const { app, state } = reader();
    const handler = toFetchHandler(app, { maxBodySize: 10 });
    const response = await handler(post("x".repeat(10), { "Content-Length": "10" }));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("read 10");
    expect(state.calls).toBe(1);
  });

  test("toFetchHandler() answers 413 when a chunked body read by the app grows past the limit", async () => {
    const { app, state } = reader();
    const lines: string[] = [];
    const handler = toFetchHandler(app, { maxBodySize: 10, logger: (line) => lines.push(line) });
    const response = await handler(post(chunked(8, 8, 4)));
    expect(response.status).toBe(413);
    expect(await response.text()).toContain("10 bytes");
    expect(state.calls).toBe(1);
    // A client's oversized upload is not an app error.
    expect(lines.join("\n")).not.toContain("Error in app");
  });

  test("toFetchHandler() passes a chunked body of exactly the limit", async () => {
    const { app } = reader();
    const handler = toFetchHandler(app, { maxBodySize: 10 });
    const response = await handler(post(chunked(4, 6)));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("read 10");
  });

  test("toFetchHandler() answers 413 to a chunked body read line by line", async () => {
    const app: WsgiApp = async function readLines(environ, startResponse) {
      for await (const _line of environ["wsgi.input"]) {
        // Reads to the end.
      }
      startResponse("200 OK", []);
      return [];
    };
    const handler = toFetchHandler(app, { maxBodySize: 10 });
    const response = await handler(post(chunked(7, 7, 7)));
    expect(response.status).toBe(413);
  });

  test("toFetchHandler() lets the app answer for itself when it catches BodyTooLargeError", async () => {
    const app: WsgiApp = async function careful(environ, startResponse) {
      try {
        await environ["wsgi.input"].read();
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) throw error;
        startResponse("400 Bad Request", [["Content-Type", "text/plain"]]);
        return [`too big: ${error.message}`];
      }
      startResponse("200 OK", []);
      return ["fine"];
    };
    const handler = toFetchHandler(app, { maxBodySize: 10 });
    const response = await handler(post(chunked(20)));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("too big: ");
  });

  test("toFetchHandler() does not read a chunked body the app leaves alone", async () => {
    const app: WsgiApp = function ignoresBody(_environ, startResponse) {
      startResponse("200 OK", []);
      return ["ok"];
    };
    const handler = toFetchHandler(app, { maxBodySize: 10 });
    const response = await handler(post(chunked(20)));
    expect(response.status).toBe(200);
  });

  test("toFetchHandler() limits bodies to 1 GiB by default, without reading them", async () => {
    const { app, state } = reader();
    let pulled = false;
    const untouched = new ReadableStream<Uint8Array>({
      pull() {
        pulled = true;
      },
    }, { highWaterMark: 0 });
    const handler = toFetchHandler(app);
    const over = await handler(post(untouched, { "Content-Length": String(1024 ** 3 + 1) }));
    expect(over.status).toBe(413);
    expect(await over.text()).toContain(`${1024 ** 3} bytes`);
    expect(state.calls).toBe(0);
    expect(pulled).toBe(false);
  });

  test("toFetchHandler() lets a declared Content-Length of exactly 1 GiB reach the app", async () => {
    let reached = false;
    const app: WsgiApp = function noRead(_environ, startResponse) {
      reached = true;
      startResponse("200 OK", []);
      return [];
    };
    const handler = toFetchHandler(app);
    const response = await handler(post(chunked(1), { "Content-Length": String(1024 ** 3) }));
    expect(response.status).toBe(200);
    expect(reached).toBe(true);
  });
});
