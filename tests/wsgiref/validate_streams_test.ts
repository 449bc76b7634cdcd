import { describe, expect, test } from "bun:test";
import type { Environ, WsgiApp, WsgiInput } from "../../src/core/types.ts";
import { testEnviron } from "../../src/wsgiref/test_environ.ts";
import {
  bytes,
  callDirect,
  callHandler,
  corrupt,
  directError,
  TEXT,
} from "./_validator_support.ts";

const text = (data: Uint8Array) => new TextDecoder().decode(data);

/** An app that does something with the environ, then answers 200. */
function using(use: (environ: Environ) => unknown): WsgiApp {
  return async (environ, startResponse) => {
    await use(environ);
    startResponse("200 OK", TEXT);
    return [bytes("ok")];
  };
}

const post = () => new Request("http://localhost/", { method: "POST", body: "line1\nline2\n" });
const postEnviron = () => testEnviron({}, { body: "line1\nline2\n" });

describe("validator() wsgi.input checks", () => {
  const BAD_READS: [label: string, use: (input: WsgiInput) => unknown, message: string][] = [
    [
      "read() with a string size",
      (i) => i.read("10" as never),
      'wsgi.input.read() takes an integer size, not string "10"',
    ],
    [
      "read() with a fraction",
      (i) => i.read(1.5),
      "wsgi.input.read() takes an integer size, not number 1.5",
    ],
    [
      "read() with null",
      (i) => i.read(null as never),
      "wsgi.input.read() takes an integer size, not null null",
    ],
    [
      "read() with two arguments",
      (i) => (i.read as (...args: number[]) => unknown)(1, 2),
      "wsgi.input.read() takes at most one argument, not 2",
    ],
    [
      "readline() with a string size",
      (i) => i.readline("5" as never),
      'wsgi.input.readline() takes an integer size, not string "5"',
    ],
    [
      "readlines() with an object hint",
      (i) => i.readlines({} as never),
      "wsgi.input.readlines() takes an integer size, not Object {}",
    ],
  ];
  for (const [label, use, message] of BAD_READS) {
    test(`input.args: throws for ${label}`, async () => {
      const error = await directError(using((e) => use(e["wsgi.input"])), postEnviron());
      expect(error.rule).toBe("input.args");
      expect(error.message).toContain(message);
      const { status, log } = await callHandler(using((e) => use(e["wsgi.input"])), {
        request: post(),
      });
      expect(status).toBe(500);
      expect(log).toContain(message);
    });
  }

  test("input.args: passes read(), read(n), readline(), readlines() and iteration", async () => {
    const seen: string[] = [];
    const app = using(async (environ) => {
      const input = environ["wsgi.input"];
      seen.push(text(await input.read(2)));
      seen.push(text(await input.readline()));
      seen.push(text(await input.readline(-1)));
      seen.push(String((await input.readlines()).length));
      for await (const line of input) seen.push(text(line));
      seen.push(String((await input.read()).length));
    });
    const { status, lines } = await callHandler(app, { request: post() });
    expect(status).toBe(200);
    expect(lines).toEqual([]);
    expect(seen).toEqual(["li", "ne1\n", "line2\n", "0", "0"]);
  });

  test("input.close: throws when the app closes wsgi.input", async () => {
    const app = using((e) => (e["wsgi.input"] as unknown as { close(): void }).close());
    expect((await directError(app)).message).toContain("wsgi.input.close() must not be called");
    expect((await callHandler(app)).log).toContain("rule input.close");
  });

  test("input.result: throws when the server's input gives a string", async () => {
    const fake = {
      read: () => Promise.resolve("text"),
      readline: () => Promise.resolve("text"),
      readlines: () => Promise.resolve([]),
      [Symbol.asyncIterator]: async function* () {},
    };
    const app = using((e) => e["wsgi.input"].read(4));
    const error = await directError(app, testEnviron({ "wsgi.input": fake as never }));
    expect(error.side).toBe("server");
    expect(error.message).toContain("wsgi.input.read() must give a Uint8Array, not string");
    const { status, log } = await callHandler(app, {
      wrap: corrupt((environ) => (environ["wsgi.input"] = fake as never)),
    });
    expect(status).toBe(500);
    expect(log).toContain("The server broke WSGI rule input.result");
  });
});

describe("validator() wsgi.errors checks", () => {
  const BAD_WRITES: [label: string, use: (environ: Environ) => unknown, message: string][] = [
    [
      "write() of a number",
      (e) => e["wsgi.errors"].write(42 as never),
      "wsgi.errors.write() takes strings, not number",
    ],
    [
      "write() of bytes",
      (e) => e["wsgi.errors"].write(bytes("x") as never),
      "wsgi.errors.write() takes strings, not Uint8Array",
    ],
    [
      "writelines() of a string",
      (e) => e["wsgi.errors"].writelines("abc"),
      "writelines() takes an iterable of strings, not string",
    ],
    [
      "writelines() with a number line",
      (e) => e["wsgi.errors"].writelines(["a", 1 as never]),
      "wsgi.errors.writelines() takes strings, not number",
    ],
  ];
  for (const [label, use, message] of BAD_WRITES) {
    test(`errors.write: throws for ${label}`, async () => {
      const error = await directError(using(use));
      expect(error.rule).toBe("errors.write");
      expect(error.message).toContain(message);
      const { status, log } = await callHandler(using(use));
      expect(status).toBe(500);
      expect(log).toContain(message);
    });
  }

  test("errors.write: passes write(), writelines() and flush() of text", async () => {
    const app = using((e) => {
      e["wsgi.errors"].write("one\n");
      e["wsgi.errors"].writelines(["two", "\n"]);
      e["wsgi.errors"].write("three");
      e["wsgi.errors"].flush();
    });
    expect((await callDirect(app)).errors).toEqual(["one", "two", "three"]);
    const { status, lines } = await callHandler(app);
    expect(status).toBe(200);
    // The adapter may prefix each line with the request it belongs to.
    expect(lines.length).toBe(3);
    ["one", "two", "three"].forEach((line, i) => expect(lines[i]).toEndWith(line));
  });

  test("errors.close: throws when the app closes wsgi.errors", async () => {
    const app = using((e) => (e["wsgi.errors"] as unknown as { close(): void }).close());
    expect((await directError(app)).message).toContain("wsgi.errors.close() must not be called");
  });
});
