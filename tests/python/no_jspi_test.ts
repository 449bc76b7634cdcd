/**
 * Where the runtime has no JSPI (`jspi: false`), a Python app still reads its request body:
 * the body is read first, up to the size limit. Runs in this process through `createApp`,
 * which is also how a library user mounts a `.py` file.
 */

import { afterAll, describe, expect, test } from "bun:test";
import { createApp, createPythonHost } from "../../mod.ts";

const FIXTURES = new URL("../fixtures/python/", import.meta.url).pathname;
const logged: string[] = [];
const python = createPythonHost({ jspi: false, logger: (line) => logged.push(line) });
const app = createApp({
  root: false,
  mounts: { "/b": `${FIXTURES}behave.py` },
  maxBodySize: 1000,
  logger: (line) => logged.push(line),
  python: { host: python },
});
const request = (path: string, init?: RequestInit) =>
  app.fetch(new Request(`http://localhost/b${path}`, init));

describe("createApp() with a .py mount and no JSPI", () => {
  afterAll(() => {
    logged.length = 0;
  });

  test("a form POST is read whole before the app runs", async () => {
    const response = await request("/form", {
      method: "POST",
      body: new URLSearchParams({ a: "1", b: "two" }),
    });
    expect(await response.text()).toBe("a=1\nb=two\n");
    expect(python.loaded()?.jspi).toBe(false);
  }, 90_000);

  test("a streamed upload too, line by line", async () => {
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("one\ntw"));
        controller.enqueue(new TextEncoder().encode("o\n"));
        controller.close();
      },
    });
    const response = await request(
      "/echo",
      { method: "POST", body, duplex: "half" } as RequestInit,
    );
    expect(await response.text()).toBe("one\ntwo\n");
  });

  test("a body over the limit is a 413, before the app runs", async () => {
    const response = await request("/echo", { method: "POST", body: "x".repeat(2000) });
    expect(response.status).toBe(413);
  });

  test("print() goes to the logger it was given", async () => {
    expect(await (await request("/print")).text()).toBe("logged\n");
    expect(logged).toContain("printed by the app");
  });
});
