import { describe, expect, test } from "bun:test";
import { type FetchHandlerOptions, toFetchHandler } from "../../src/core/handler.ts";
import type {
  AppResult,
  BodyChunk,
  Environ,
  StartResponse,
  WsgiApp,
} from "../../src/core/types.ts";

const TEXT = [["Content-Type", "text/plain"]] as [string, string][];
const ERROR_PAGE = "Internal Server Error\n";
const encoder = new TextEncoder();

function setup(app: WsgiApp, options: FetchHandlerOptions = {}) {
  const lines: string[] = [];
  const handler = toFetchHandler(app, { logger: (line) => lines.push(line), ...options });
  const fetch = (path = "/", init?: RequestInit) =>
    handler(new Request(`http://localhost${path}`, init));
  return { handler, fetch, lines };
}

/** Gives a body a `close()` that counts its calls. */
function closable<T extends object>(body: T): { body: T & AppResult; closes: () => number } {
  let count = 0;
  const result = Object.assign(body, {
    close() {
      count++;
    },
  }) as T & AppResult;
  return { body: result, closes: () => count };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

async function readChunks(response: Response, count: number): Promise<string[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const { value, done } = await reader.read();
    if (done) break;
    out.push(decoder.decode(value));
  }
  reader.releaseLock();
  return out;
}

describe("toFetchHandler() bodies", () => {
  test("toFetchHandler() sends a one-chunk array body", async () => {
    const { fetch } = setup((_environ, startResponse) => {
      startResponse("200 OK", TEXT);
      return ["hello"];
    });
    const response = await fetch();
    expect(response.status).toBe(200);
    expect(response.statusText).toBe("OK");
    expect(response.headers.get("Content-Type")).toBe("text/plain");
    expect(await response.text()).toBe("hello");
  });

  test("toFetchHandler() joins a several-chunk array body in order", async () => {
    const { fetch } = setup((_environ, startResponse) => {
      startResponse("200 OK", TEXT);
      return ["a", new Uint8Array([98, 99]), "", "d"];
    });
    expect(await (await fetch()).text()).toBe("abcd");
  });

  test("toFetchHandler() sends an array body with a Content-Length on the wire", async () => {
    const { handler } = setup((environ, startResponse) => {
      startResponse("200 OK", TEXT);
      return environ.PATH_INFO === "/one" ? ["h\u00e9llo"] : ["ab", "c\u00e9"];
    });
    const bun = (globalThis as unknown as { Bun: BunLike }).Bun;
    const server = bun.serve({ port: 0, hostname: "127.0.0.1", fetch: (r) => handler(r) });
    try {
      for (
        const [path, length, text] of [["/one", "6", "h\u00e9llo"], ["/two", "5", "abc\u00e9"]]
      ) {
        const response = await fetch(`http://127.0.0.1:${server.port}${path}`);
        expect(response.headers.get("Content-Length")).toBe(length);
        expect(response.headers.get("Transfer-Encoding")).toBeNull();
        expect(await response.text()).toBe(text);
      }
    } finally {
      server.stop(true);
    }
  });

  test("toFetchHandler() sends a sync iterable body", async () => {
    const { fetch } = setup((_environ, startResponse) => {
      startResponse("200 OK", TEXT);
      return new Set(["x", "y", "z"]);
    });
    expect(await (await fetch()).text()).toBe("xyz");
  });

  test("toFetchHandler() sends a sync generator body", async () => {
    const { fetch } = setup(function* (_environ, startResponse) {
      startResponse("200 OK", TEXT);
      yield "one ";
      yield new Uint8Array([50]);
      yield "";
      yield " three";
    });
    expect(await (await fetch()).text()).toBe("one 2 three");
  });

  test("toFetchHandler() sends an async generator body", async () => {
    const { fetch } = setup(async function* (_environ, startResponse) {
      startResponse("200 OK", TEXT);
      await tick();
      yield "a";
      await tick();
      yield "b";
    });
    expect(await (await fetch()).text()).toBe("ab");
  });

  test("toFetchHandler() sends a ReadableStream body", async () => {
    const { fetch } = setup((_environ, startResponse) => {
      startResponse("200 OK", TEXT);
      return new ReadableStream<BodyChunk>({
        start(controller) {
          controller.enqueue("stream ");
          controller.enqueue(encoder.encode("body"));
          controller.close();
        },
      }) as unknown as AppResult;
    });
    expect(await (await fetch()).text()).toBe("stream body");
  });

  test("toFetchHandler() sends strings as UTF-8", async () => {
    const text = "h\u00e9llo \u4e2d \u{1f600}";
    const { fetch } = setup(function* (_environ, startResponse) {
      startResponse("200 OK", TEXT);
      yield text;
    });
    const bytes = new Uint8Array(await (await fetch()).arrayBuffer());
    expect(Array.from(bytes)).toEqual(Array.from(encoder.encode(text)));
  });

  test("toFetchHandler() sends write() output before later yields, in order", async () => {
    const { fetch } = setup(function* (_environ, startResponse) {
      const write = startResponse("200 OK", TEXT);
      write("a");
      yield "b";
      write("c");
      yield "d";
      write("e");
      write("f");
      yield "g";
    });
    expect(await (await fetch()).text()).toBe("abcdefg");
  });

  test("toFetchHandler() sends write() output when the app returns an empty array", async () => {
    const { fetch } = setup((_environ, startResponse) => {
      const write = startResponse("200 OK", TEXT);
      write("written ");
      write("only");
      return [];
    });
    expect(await (await fetch()).text()).toBe("written only");
  });

  test("toFetchHandler() sends write() output before an array body", async () => {
    const { fetch } = setup((_environ, startResponse) => {
      const write = startResponse("200 OK", TEXT);
      write("a");
      return ["b", "c"];
    });
    expect(await (await fetch()).text()).toBe("abc");
  });

  test("toFetchHandler() sends an empty body when the app yields nothing", async () => {
    const { fetch } = setup(function* (_environ, startResponse) {
      startResponse("201 Created", [["X-A", "1"]]);
      yield "";
    });
    const response = await fetch();
    expect(response.status).toBe(201);
    expect(response.headers.get("X-A")).toBe("1");
    expect(await response.text()).toBe("");
  });

  test("toFetchHandler() accepts start_response called lazily inside a generator", async () => {
    const { fetch } = setup(function* (environ, startResponse) {
      startResponse("202 Accepted", [["X-Path", environ.PATH_INFO]]);
      yield "lazy";
    });
    const response = await fetch("/p");
    expect(response.status).toBe(202);
    expect(response.headers.get("X-Path")).toBe("/p");
    expect(await response.text()).toBe("lazy");
  });

  test("toFetchHandler() keeps several Set-Cookie headers separate and in order", async () => {
    const { fetch } = setup((_environ, startResponse) => {
      startResponse("200 OK", [
        ["Set-Cookie", "b=2; Path=/"],
        ["Content-Type", "text/plain"],
        ["Set-Cookie", "a=1, c=3"],
        ["set-cookie", "z=26"],
      ]);
      return ["ok"];
    });
    const response = await fetch();
    expect(response.headers.getSetCookie()).toEqual(["b=2; Path=/", "a=1, c=3", "z=26"]);
  });

  test("toFetchHandler() keeps several Set-Cookie headers on a streamed body", async () => {
    const { fetch } = setup(function* (_environ, startResponse) {
      startResponse("200 OK", [["Set-Cookie", "b=2"], ["Set-Cookie", "a=1"]]);
      yield "ok";
    });
    expect((await fetch()).headers.getSetCookie()).toEqual(["b=2", "a=1"]);
  });
});

describe("toFetchHandler() excInfo", () => {
  test("toFetchHandler() lets excInfo replace the status before the first chunk", async () => {
    const { fetch, lines } = setup(function* (_environ, startResponse) {
      startResponse("200 OK", [["X-Old", "1"]]);
      try {
        throw new Error("database is down");
      } catch (error) {
        startResponse("503 Service Unavailable", [["X-New", "1"]], error);
      }
      yield "app error page";
    });
    const response = await fetch();
    expect(response.status).toBe(503);
    expect(response.headers.get("X-Old")).toBeNull();
    expect(response.headers.get("X-New")).toBe("1");
    expect(await response.text()).toBe("app error page");
    expect(lines).toEqual([]);
  });

  test("toFetchHandler() gives the app's own 500 from an excInfo call", async () => {
    const { fetch } = setup(function* (_environ, startResponse) {
      startResponse("200 OK", TEXT);
      try {
        throw new Error("boom");
      } catch (error) {
        startResponse("500 Internal Server Error", TEXT, error);
      }
      yield "custom 500";
    });
    const response = await fetch();
    expect(response.status).toBe(500);
    expect(await response.text()).toBe("custom 500");
  });

  test("toFetchHandler() re-throws excInfo after the first chunk and aborts the stream", async () => {
    let rethrown: unknown;
    const error = new Error("late failure");
    const { fetch, lines } = setup(function* (_environ, startResponse) {
      startResponse("200 OK", TEXT);
      yield "first";
      try {
        startResponse("500 Internal Server Error", TEXT, error);
      } catch (caught) {
        rethrown = caught;
        throw caught;
      }
      yield "never";
    });
    const response = await fetch();
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    expect(rethrown).toBe(error);
    expect(lines.some((line) => line.includes("late failure"))).toBe(true);
  });
});

describe("toFetchHandler() close()", () => {
  test("toFetchHandler() calls close() once after an array body", async () => {
    const { body, closes } = closable(["a", "b"]);
    const { fetch } = setup((_environ, startResponse) => {
      startResponse("200 OK", TEXT);
      return body;
    });
    expect(await (await fetch()).text()).toBe("ab");
    expect(closes()).toBe(1);
  });

  test("toFetchHandler() calls close() once after a generator body", async () => {
    const counted = closable((function* () {
      yield "a";
      yield "b";
    })());
    const { fetch } = setup((_environ, startResponse) => {
      startResponse("200 OK", TEXT);
      return counted.body;
    });
    const response = await fetch();
    expect(counted.closes()).toBe(0);
    expect(await response.text()).toBe("ab");
    expect(counted.closes()).toBe(1);
  });

  test("toFetchHandler() calls close() once after an error thrown mid-stream", async () => {
    const counted = closable((function* () {
      yield "a";
      throw new Error("mid-stream failure");
    })());
    const { fetch, lines } = setup((_environ, startResponse) => {
      startResponse("200 OK", TEXT);
      return counted.body;
    });
    const response = await fetch();
    await expect(response.text()).rejects.toThrow();
    await tick();
    expect(counted.closes()).toBe(1);
    expect(lines.some((line) => line.includes("mid-stream failure"))).toBe(true);
  });

  test("toFetchHandler() calls close() once after an error before the first chunk", async () => {
    const counted = closable((function* () {
      yield "";
      throw new Error("early failure");
    })());
    const { fetch } = setup((_environ, startResponse) => {
      startResponse("200 OK", TEXT);
      return counted.body;
    });
    const response = await fetch();
    expect(response.status).toBe(500);
    expect(await response.text()).toBe(ERROR_PAGE);
    expect(counted.closes()).toBe(1);
  });

  test("toFetchHandler() calls close() once after a bad first chunk", async () => {
    let finished = false;
    const counted = closable((function* () {
      try {
        yield 42 as unknown as string;
      } finally {
        finished = true;
      }
    })());
    const { fetch, lines } = setup((_environ, startResponse) => {
      startResponse("200 OK", TEXT);
      return counted.body;
    });
    const response = await fetch();
    expect(response.status).toBe(500);
    expect(await response.text()).toBe(ERROR_PAGE);
    expect(counted.closes()).toBe(1);
    expect(finished).toBe(true);
    expect(lines.some((line) => line.includes("TypeError") && line.includes("number"))).toBe(
      true,
    );
  });

  test("toFetchHandler() calls close() once after a bad chunk mid-stream", async () => {
    const counted = closable((function* () {
      yield "a";
      yield { not: "bytes" } as unknown as string;
    })());
    const { fetch, lines } = setup((_environ, startResponse) => {
      startResponse("200 OK", TEXT);
      return counted.body;
    });
    const response = await fetch();
    expect(response.status).toBe(200);
    // Aborted with no reason (which Bun would print again): the TypeError is in the log, once.
    await expect(response.text()).rejects.toBeUndefined();
    await tick();
    expect(counted.closes()).toBe(1);
    expect(lines.filter((line) => line.includes("TypeError") && line.includes("Object")))
      .toHaveLength(1);
  });

  test("toFetchHandler() calls close() once when the consumer cancels the body", async () => {
    const counted = closable((function* () {
      for (;;) yield "x";
    })());
    const { fetch } = setup((_environ, startResponse) => {
      startResponse("200 OK", TEXT);
      return counted.body;
    });
    const response = await fetch();
    await response.body!.cancel();
    await tick();
    expect(counted.closes()).toBe(1);
  });

  test("toFetchHandler() calls close() once when the consumer cancels after reading", async () => {
    const counted = closable((async function* () {
      for (;;) yield "x";
    })());
    const { fetch } = setup((_environ, startResponse) => {
      startResponse("200 OK", TEXT);
      return counted.body;
    });
    const response = await fetch();
    const reader = response.body!.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    await tick();
    expect(counted.closes()).toBe(1);
  });

  /** An app whose second chunk waits until `release()`, so the consumer can cancel mid-read. */
  async function cancelDuringPendingRead() {
    let release!: () => void;
    let signal: AbortSignal | undefined;
    const counted = closable((async function* () {
      yield "a";
      await new Promise<void>((resolve) => release = resolve);
      yield "b";
    })());
    const { fetch, lines } = setup((environ, startResponse) => {
      signal = environ["edge_wsgi.signal"];
      startResponse("200 OK", TEXT);
      return counted.body;
    });
    const reader = (await fetch()).body!.getReader();
    await reader.read();
    const pending = reader.read();
    await tick();
    const cancelled = reader.cancel();
    await tick();
    release();
    await cancelled;
    const last = await pending;
    await tick();
    return { last, signal: signal!, closes: counted.closes(), lines };
  }

  test("toFetchHandler() calls close() once when the consumer cancels during a pending read", async () => {
    const { last, signal, closes } = await cancelDuringPendingRead();
    expect(last).toEqual({ done: true, value: undefined });
    expect(signal.aborted).toBe(true);
    expect(closes).toBe(1);
  });

  test("toFetchHandler() logs no app error when the consumer cancels during a pending read", async () => {
    const { lines } = await cancelDuringPendingRead();
    // The client went away; the app did nothing wrong.
    expect(lines).toEqual([]);
  });

  test("toFetchHandler() ends a generator with return() when the consumer cancels", async () => {
    let finallyRuns = 0;
    const { fetch } = setup(function* (_environ, startResponse) {
      startResponse("200 OK", TEXT);
      try {
        for (;;) yield "x";
      } finally {
        finallyRuns++;
      }
    });
    const response = await fetch();
    await response.body!.cancel();
    await tick();
    expect(finallyRuns).toBe(1);
  });

  test("toFetchHandler() ends an async generator with return() when the consumer cancels", async () => {
    let finallyRuns = 0;
    const { fetch } = setup(async function* (_environ, startResponse) {
      startResponse("200 OK", TEXT);
      try {
        for (;;) {
          await tick();
          yield "x";
        }
      } finally {
        finallyRuns++;
      }
    });
    const response = await fetch();
    await readChunks(response, 2);
    await response.body!.cancel();
    await tick();
    expect(finallyRuns).toBe(1);
  });

  const noBody: [string, string, string][] = [
    ["HEAD", "HEAD", "200 OK"],
    ["204", "GET", "204 No Content"],
    ["205", "GET", "205 Reset Content"],
    ["304", "GET", "304 Not Modified"],
  ];
  for (const [what, method, status] of noBody) {
    test(`toFetchHandler() sends no body and calls close() once for ${what} (array)`, async () => {
      const counted = closable(["body bytes"]);
      const { fetch } = setup((_environ, startResponse) => {
        startResponse(status, TEXT);
        return counted.body;
      });
      const response = await fetch("/", { method });
      expect(response.status).toBe(Number(status.slice(0, 3)));
      expect(response.body).toBeNull();
      expect(counted.closes()).toBe(1);
    });

    test(`toFetchHandler() sends no body and calls close() once for ${what} (generator)`, async () => {
      let finallyRuns = 0;
      const counted = closable((function* () {
        try {
          yield "body ";
          yield "bytes";
        } finally {
          finallyRuns++;
        }
      })());
      const { fetch } = setup((_environ, startResponse) => {
        startResponse(status, TEXT);
        return counted.body;
      });
      const response = await fetch("/", { method });
      expect(response.status).toBe(Number(status.slice(0, 3)));
      // A HEAD whose GET would stream has a body stream that ends empty: with none, the
      // runtimes would announce `Content-Length: 0` (tests/server/framing_wire_test.ts).
      if (method === "HEAD") expect(new Uint8Array(await response.arrayBuffer())).toHaveLength(0);
      else expect(response.body).toBeNull();
      await tick();
      expect(counted.closes()).toBe(1);
      expect(finallyRuns).toBe(1);
    });
  }
});

describe("toFetchHandler() backpressure and Content-Length", () => {
  test("toFetchHandler() pulls an infinite generator only as far as the consumer reads", async () => {
    let yields = 0;
    const { fetch } = setup(function* (_environ, startResponse) {
      startResponse("200 OK", TEXT);
      for (;;) {
        yields++;
        yield `chunk ${yields};`;
      }
    });
    const response = await fetch();
    const chunks = await readChunks(response, 3);
    await tick();
    await tick();
    expect(chunks).toEqual(["chunk 1;", "chunk 2;", "chunk 3;"]);
    expect(yields).toBeLessThanOrEqual(5);
    await response.body!.cancel();
  });

  test("toFetchHandler() pulls an infinite async generator only as far as the consumer reads", async () => {
    let yields = 0;
    const { fetch } = setup(async function* (_environ, startResponse) {
      startResponse("200 OK", TEXT);
      for (;;) {
        yields++;
        await tick();
        yield "x";
      }
    });
    const response = await fetch();
    await readChunks(response, 3);
    for (let i = 0; i < 5; i++) await tick();
    expect(yields).toBeLessThanOrEqual(5);
    await response.body!.cancel();
  });

  test("toFetchHandler() cuts a generator body at the app's Content-Length", async () => {
    let yields = 0;
    const { fetch } = setup(function* (_environ, startResponse) {
      startResponse("200 OK", [["Content-Length", "5"]]);
      for (;;) {
        yields++;
        yield "abc";
      }
    });
    const response = await fetch();
    expect(response.headers.get("Content-Length")).toBe("5");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes.length).toBe(5);
    expect(new TextDecoder().decode(bytes)).toBe("abcab");
    await tick();
    expect(yields).toBe(2);
  });

  test("toFetchHandler() cuts a first chunk longer than the app's Content-Length", async () => {
    const { fetch } = setup(function* (_environ, startResponse) {
      startResponse("200 OK", [["Content-Length", "3"]]);
      yield "abcdef";
    });
    expect(await (await fetch()).text()).toBe("abc");
  });

  test("toFetchHandler() cuts an array body at the app's Content-Length", async () => {
    const { fetch } = setup((_environ, startResponse) => {
      startResponse("200 OK", [["Content-Length", "4"]]);
      return ["ab", "cdef", "gh"];
    });
    const response = await fetch();
    expect(await response.text()).toBe("abcd");
  });

  test("toFetchHandler() aborts a generator body shorter than its Content-Length, with a log line", async () => {
    const { fetch, lines } = setup(function* (_environ, startResponse) {
      startResponse("200 OK", [["Content-Length", "10"]]);
      yield "abc";
    });
    const response = await fetch();
    await expect(response.arrayBuffer()).rejects.toThrow();
    expect(lines.some((line) => line.includes("10") && line.includes("3"))).toBe(true);
  });

  test("toFetchHandler() aborts an array body shorter than its Content-Length, with a log line", async () => {
    const { fetch, lines } = setup((_environ, startResponse) => {
      startResponse("200 OK", [["Content-Length", "10"]]);
      return ["ab", "c"];
    });
    const response = await fetch();
    await expect(response.arrayBuffer()).rejects.toThrow();
    expect(lines.some((line) => line.includes("Content-Length 10"))).toBe(true);
  });

  test("toFetchHandler() aborts an empty body with a non-zero Content-Length", async () => {
    const { fetch, lines } = setup((_environ, startResponse) => {
      startResponse("200 OK", [["Content-Length", "2"]]);
      return [];
    });
    const response = await fetch();
    await expect(response.arrayBuffer()).rejects.toThrow();
    expect(lines.length).toBeGreaterThan(0);
  });

  test("toFetchHandler() sends HEAD of an array body with its Content-Length and no body", async () => {
    const { fetch } = setup((_environ, startResponse) => {
      startResponse("200 OK", TEXT);
      return ["h\u00e9llo", " world"];
    });
    const response = await fetch("/", { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Length")).toBe("12");
    expect(response.body).toBeNull();
  });

  test("toFetchHandler() keeps the app's Content-Length on HEAD", async () => {
    const { fetch } = setup((_environ, startResponse) => {
      startResponse("200 OK", [["Content-Length", "1000"]]);
      return [];
    });
    const response = await fetch("/", { method: "HEAD" });
    expect(response.headers.get("Content-Length")).toBe("1000");
    expect(response.body).toBeNull();
  });

  // respond.ts builds its header record without Content-Length and puts the app's back for a
  // body sent as bytes: once, as spelled, whatever the other headers.
  const lengthCases: [string, [string, string][]][] = [
    ["as usually spelled", [["Content-Type", "image/png"], ["Content-Length", "5"]]],
    ["in lower case, first", [["content-length", "5"], ["Content-Type", "image/png"]]],
    ["beside two Set-Cookie fields", [
      ["Set-Cookie", "a=1"],
      ["Content-Length", "5"],
      ["Set-Cookie", "b=2"],
      ["Content-Type", "image/png"],
    ]],
  ];
  for (const [name, headers] of lengthCases) {
    test(`toFetchHandler() sends the app's Content-Length once, ${name}`, async () => {
      const { fetch } = setup((_environ, startResponse) => {
        startResponse("200 OK", headers);
        return [new Uint8Array([1, 2, 3, 4, 5])];
      });
      const response = await fetch();
      expect(response.headers.get("Content-Length")).toBe("5");
      expect(response.headers.get("Content-Type")).toBe("image/png");
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3, 4, 5]));
      const cookies = headers.filter(([key]) => key === "Set-Cookie").map(([, value]) => value);
      expect(response.headers.getSetCookie()).toEqual(cookies);
    });
  }

  test("toFetchHandler() keeps the app's Content-Length on a 304", async () => {
    const { fetch } = setup((_environ, startResponse) => {
      startResponse("304 Not Modified", [["ETag", '"x"'], ["Content-Length", "42"]]);
      return [];
    });
    const response = await fetch();
    expect(response.status).toBe(304);
    expect(response.headers.get("Content-Length")).toBe("42");
    expect(response.body).toBeNull();
  });
});

describe("toFetchHandler() app errors", () => {
  const cases: [string, WsgiApp, string][] = [
    ["a sync throw", () => {
      throw new Error("sync secret");
    }, "sync secret"],
    ["an async throw", async () => {
      await tick();
      throw new Error("async secret");
    }, "async secret"],
    ["a rejected promise", () => Promise.reject(new Error("rejected secret")), "rejected secret"],
    ["a thrown non-Error", () => {
      throw { code: "thrown-object-secret" };
    }, "thrown-object-secret"],
    ["a string result", (_environ, startResponse) => {
      startResponse("200 OK", TEXT);
      return "a string" as unknown as AppResult;
    }, "not a single string"],
    ["a null result", (_environ, startResponse) => {
      startResponse("200 OK", TEXT);
      return null as unknown as AppResult;
    }, "not null"],
    ["a number result", (_environ, startResponse) => {
      startResponse("200 OK", TEXT);
      return 42 as unknown as AppResult;
    }, "not number"],
    ["returning before start_response", () => [], "without calling start_response"],
    ["returning an array before start_response", () => ["x"], "before calling start_response"],
    ["yielding before start_response", function* () {
      yield "too early";
    }, "before calling start_response"],
    ["a bad status", (_environ, startResponse) => {
      startResponse("200", TEXT);
      return ["x"];
    }, "Status must be"],
    ["a 1xx status", (_environ, startResponse) => {
      startResponse("101 Switching Protocols", TEXT);
      return [];
    }, "101 Switching Protocols"],
    ["CR LF in a header value", (_environ, startResponse) => {
      startResponse("200 OK", [["X-A", "a\r\nSet-Cookie: evil=1"]]);
      return ["x"];
    }, "control or non-latin-1"],
    ["a hop-by-hop header", (_environ, startResponse) => {
      startResponse("200 OK", [["Transfer-Encoding", "chunked"]]);
      return ["x"];
    }, "hop-by-hop"],
    ["start_response called twice", (_environ, startResponse) => {
      startResponse("200 OK", TEXT);
      startResponse("404 Not Found", TEXT);
      return ["x"];
    }, "second time"],
    ["a bad chunk in an array", (_environ, startResponse) => {
      startResponse("200 OK", TEXT);
      return [null as unknown as string];
    }, "not null"],
  ];
  for (const [what, app, message] of cases) {
    test(`toFetchHandler() answers ${what} with a 500 that reveals nothing`, async () => {
      const { fetch, lines } = setup(app);
      const response = await fetch("/some/path?q=1", { method: "POST", body: "data" });
      expect(response.status).toBe(500);
      expect(response.headers.get("Set-Cookie")).toBeNull();
      expect(response.headers.get("X-A")).toBeNull();
      const body = await response.text();
      expect(body).toBe(ERROR_PAGE);
      expect(body).not.toContain(message);
      expect(body).not.toContain("    at ");
      const logged = lines.find((line) => line.includes(message));
      expect(logged).toBeDefined();
      expect(logged).toContain("POST /some/path?q=1");
    });
  }

  test("toFetchHandler() shows the error in the 500 body with debug: true", async () => {
    const { fetch, lines } = setup(() => {
      throw new Error("debug detail");
    }, { debug: true });
    const response = await fetch("/");
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(body).toStartWith("Internal Server Error");
    expect(body).toContain("debug detail");
    expect(lines.some((line) => line.includes("debug detail"))).toBe(true);
  });

  test("toFetchHandler() serves the next request after an error", async () => {
    const { fetch } = setup(function* (environ, startResponse) {
      if (environ.PATH_INFO === "/boom") throw new Error("boom");
      startResponse("200 OK", TEXT);
      yield `fine ${environ.PATH_INFO}`;
    });
    expect((await fetch("/boom")).status).toBe(500);
    const after = await fetch("/next");
    expect(after.status).toBe(200);
    expect(await after.text()).toBe("fine /next");
    expect((await fetch("/boom")).status).toBe(500);
    expect(await (await fetch("/again")).text()).toBe("fine /again");
  });

  test("toFetchHandler() serves the next request after a mid-stream abort", async () => {
    const { fetch } = setup(function* (environ, startResponse) {
      startResponse("200 OK", TEXT);
      yield "a";
      if (environ.PATH_INFO === "/boom") throw new Error("boom");
      yield "b";
    });
    await expect((await fetch("/boom")).text()).rejects.toThrow();
    expect(await (await fetch("/ok")).text()).toBe("ab");
  });
});

describe("toFetchHandler() environ extras", () => {
  test("toFetchHandler() sends wsgi.errors lines to the logger with the request, flushing the last one", async () => {
    const { fetch, lines } = setup((environ, startResponse) => {
      const errors = environ["wsgi.errors"];
      errors.write("first line\nsecond ");
      errors.write("part");
      startResponse("200 OK", TEXT);
      return ["ok"];
    });
    expect(await (await fetch()).text()).toBe("ok");
    expect(lines).toEqual(["GET /: first line", "GET /: second part"]);
  });

  test("toFetchHandler() flushes wsgi.errors at the end of a streamed body", async () => {
    const { fetch, lines } = setup(function* (environ, startResponse) {
      startResponse("200 OK", TEXT);
      yield "a";
      environ["wsgi.errors"].write("no newline");
      yield "b";
    });
    const response = await fetch();
    expect(await response.text()).toBe("ab");
    await tick();
    expect(lines).toEqual(["GET /: no newline"]);
  });

  test("toFetchHandler() aborts edge_wsgi.signal when the consumer cancels the body", async () => {
    let signal: AbortSignal | undefined;
    const { fetch } = setup(function* (environ, startResponse) {
      signal = environ["edge_wsgi.signal"];
      startResponse("200 OK", TEXT);
      for (;;) yield "x";
    });
    const response = await fetch();
    expect(signal!.aborted).toBe(false);
    await response.body!.cancel();
    expect(signal!.aborted).toBe(true);
  });

  test("toFetchHandler() leaves edge_wsgi.signal alone when the body completes", async () => {
    let signal: AbortSignal | undefined;
    const { fetch } = setup(function* (environ, startResponse) {
      signal = environ["edge_wsgi.signal"];
      startResponse("200 OK", TEXT);
      yield "x";
    });
    expect(await (await fetch()).text()).toBe("x");
    expect(signal!.aborted).toBe(false);
  });

  test("toFetchHandler() gives each of 1000 concurrent requests its own environ", async () => {
    const app: WsgiApp = async (environ: Environ, startResponse: StartResponse) => {
      const path = environ.PATH_INFO;
      const query = environ.QUERY_STRING;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
      const code = new URLSearchParams(environ.QUERY_STRING).get("status");
      startResponse(`${code} Status`, [["X-Query", environ.QUERY_STRING]]);
      await tick();
      return (async function* () {
        yield `${environ.PATH_INFO}|`;
        await tick();
        yield `${path}?${query}`;
      })();
    };
    const { fetch } = setup(app);
    const statuses = [200, 201, 202, 404, 418, 500, 503];
    const results = await Promise.all(
      Array.from({ length: 1000 }, async (_, i) => {
        const status = statuses[i % statuses.length];
        const response = await fetch(`/item/${i}?n=${i}&status=${status}`);
        return { i, status, response, text: await response.text() };
      }),
    );
    for (const { i, status, response, text } of results) {
      expect(response.status).toBe(status);
      expect(response.headers.get("X-Query")).toBe(`n=${i}&status=${status}`);
      expect(text).toBe(`/item/${i}|/item/${i}?n=${i}&status=${status}`);
    }
  });
});

interface BunLike {
  serve(options: {
    port: number;
    hostname: string;
    fetch: (request: Request) => Promise<Response>;
  }): { port: number; stop(force?: boolean): void };
}
