import { describe, expect, test } from "bun:test";
import {
  type AccessRecord,
  compileAccessFormat,
  formatAccessLine,
  withAccessLog,
} from "../../src/server/access_log.ts";
import { GUNICORN_FORMAT } from "../../src/server/cli/options.ts";
import type { ConnInfo } from "../../src/core/types.ts";
import { noteBodyLength } from "../../src/core/body_length.ts";

// 2026-11-21 18:58:01.250 UTC
const START = Date.UTC(2026, 10, 21, 18, 58, 1, 250);

function record(overrides: Partial<AccessRecord> = {}): AccessRecord {
  return {
    request: new Request("http://example.com:8000/path/to?q=1&r=2", {
      headers: {
        "Referer": "http://example.com/from",
        "User-Agent": "curl/8.5.0",
        "Authorization": `Basic ${btoa("alice:s3cret:with:colons")}`,
        "X-Request-Id": "abc-123",
      },
    }),
    response: new Response("hello", { status: 201, headers: { "X-Served-By": "edge" } }),
    remoteAddr: "192.0.2.7",
    bytes: 5,
    start: START,
    durationMs: 1234.5,
    ...overrides,
  };
}

describe("formatAccessLine()", () => {
  test("formatAccessLine() writes gunicorn's default format exactly", () => {
    expect(formatAccessLine(GUNICORN_FORMAT, record(), 42)).toBe(
      '192.0.2.7 - alice [21/Nov/2026:18:58:01 +0000] "GET /path/to?q=1&r=2 HTTP/1.1" 201 5 ' +
        '"http://example.com/from" "curl/8.5.0"',
    );
  });

  test("formatAccessLine() writes - for what a bare request lacks", () => {
    const bare = record({
      request: new Request("http://example.com/", { method: "POST" }),
      response: new Response(null, { status: 204 }),
      bytes: 0,
    });
    expect(formatAccessLine(GUNICORN_FORMAT, bare, 42)).toBe(
      '192.0.2.7 - - [21/Nov/2026:18:58:01 +0000] "POST / HTTP/1.1" 204 - "-" "-"',
    );
  });

  test("formatAccessLine() fills every atom", () => {
    const cases: [string, string][] = [
      ["h", "192.0.2.7"],
      ["l", "-"],
      ["u", "alice"],
      ["t", "[21/Nov/2026:18:58:01 +0000]"],
      ["r", "GET /path/to?q=1&r=2 HTTP/1.1"],
      ["m", "GET"],
      ["U", "/path/to"],
      ["q", "q=1&r=2"],
      ["H", "HTTP/1.1"],
      ["s", "201"],
      ["B", "5"],
      ["b", "5"],
      ["f", "http://example.com/from"],
      ["a", "curl/8.5.0"],
      ["T", "1"],
      ["M", "1235"],
      ["D", "1234500"],
      ["L", "1.234500"],
      ["p", "<42>"],
      ["{x-request-id}i", "abc-123"],
      ["{X-Request-Id}i", "abc-123"],
      ["{x-served-by}o", "edge"],
      ["{x-missing}i", "-"],
      ["{x-missing}o", "-"],
      ["z", "-"],
    ];
    for (const [atom, expected] of cases) {
      expect({ atom, line: formatAccessLine(`%(${atom})s`, record(), 42) }).toEqual({
        atom,
        line: expected,
      });
    }
  });

  test("formatAccessLine() keeps the text around the atoms, and text that is no atom", () => {
    expect(formatAccessLine("<%(m)s|%(s)s> %(x %% %(h)", record(), 1)).toBe(
      "<GET|201> %(x %% %(h)",
    );
  });

  test("formatAccessLine() writes an empty query and the bare path without one", () => {
    const plain = record({ request: new Request("http://example.com/a/b") });
    expect(formatAccessLine("%(U)s|%(q)s|%(r)s", plain, 1)).toBe("/a/b||GET /a/b HTTP/1.1");
  });

  test("formatAccessLine() writes b as - and B as 0 for an empty body", () => {
    expect(formatAccessLine("%(b)s %(B)s", record({ bytes: 0 }), 1)).toBe("- 0");
  });

  test("formatAccessLine() pads the day and time, in UTC", () => {
    const early = record({ start: Date.UTC(2027, 0, 2, 3, 4, 5) });
    expect(formatAccessLine("%(t)s", early, 1)).toBe("[02/Jan/2027:03:04:05 +0000]");
  });

  test("formatAccessLine() takes the user of Basic auth only", () => {
    const user = (authorization: string) =>
      formatAccessLine(
        "%(u)s",
        record({ request: new Request("http://x/", { headers: { authorization } }) }),
        1,
      );
    expect(user(`Basic ${btoa("bob:pw")}`)).toBe("bob");
    expect(user(`basic ${btoa("bob:pw")}`)).toBe("bob");
    expect(user(`Basic ${btoa("nocolon")}`)).toBe("nocolon");
    expect(user("Basic !!!not-base64!!!")).toBe("-");
    expect(user("Bearer eyJhbGciOi")).toBe("-");
  });
});

describe("compileAccessFormat()", () => {
  test("compileAccessFormat() writes what formatAccessLine() writes, line after line", () => {
    const line = compileAccessFormat(GUNICORN_FORMAT, 42);
    for (const start of [START, START + 1000]) {
      for (const request of [record().request, new Request("http://x/a?b", { method: "PUT" })]) {
        const each = record({ start, request });
        expect(line(each)).toBe(formatAccessLine(GUNICORN_FORMAT, each, 42));
      }
    }
  });

  test("compileAccessFormat() writes each line's own second, formatted once a second", () => {
    const line = compileAccessFormat("%(t)s", 1);
    expect(line(record({ start: START }))).toBe("[21/Nov/2026:18:58:01 +0000]");
    expect(line(record({ start: START + 749 }))).toBe("[21/Nov/2026:18:58:01 +0000]");
    expect(line(record({ start: START + 750 }))).toBe("[21/Nov/2026:18:58:02 +0000]");
    expect(line(record({ start: START - 251 }))).toBe("[21/Nov/2026:18:58:00 +0000]");
    expect(line(record({ start: START }))).toBe("[21/Nov/2026:18:58:01 +0000]");
  });
});

function chunks(...parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
}

const PEER: ConnInfo = { remoteAddr: { hostname: "198.51.100.3", port: 50000 } };

function logged(
  respond: (request: Request) => Response,
  options: { clientAddress?: () => string } = {},
) {
  const lines: string[] = [];
  let wake: (() => void) | undefined;
  const handler = withAccessLog((request) => respond(request), {
    format: "%(h)s %(m)s %(U)s %(s)s %(B)s %(p)s",
    write: (line) => {
      lines.push(line);
      wake?.();
    },
    pid: 7,
    ...options,
  });
  // Resolves once a line has been written.
  const written = () =>
    lines.length > 0 ? Promise.resolve() : new Promise<void>((resolve) => wake = resolve);
  return { handler, lines, written };
}

describe("withAccessLog()", () => {
  test("withAccessLog() passes a body of known length through untouched, logged once", async () => {
    const original = new Response("hello", { headers: { "Content-Length": "5" } });
    const { handler, lines } = logged(() => original);
    const response = await handler(new Request("http://x/known"), PEER);
    expect(response).toBe(original);
    expect(lines).toEqual(["198.51.100.3 GET /known 200 5 <7>"]);
    expect(await response.text()).toBe("hello");
    expect(lines).toHaveLength(1);
  });

  test("withAccessLog() passes a noted string body through untouched, logged with its UTF-8 length", async () => {
    // The adapter's string bodies carry no Content-Length header: the runtime sets one as it
    // sends them, unless a wrapper turns the body into a stream (then it goes chunked).
    const original = noteBodyLength(new Response("héllo"), "héllo");
    const { handler, lines } = logged(() => original);
    const response = await handler(new Request("http://x/noted"), PEER);
    expect(response).toBe(original);
    expect(lines).toEqual(["198.51.100.3 GET /noted 200 6 <7>"]);
    expect(await response.text()).toBe("héllo");
  });

  test("withAccessLog() logs a 204 or 304 as 0 bytes, whatever its Content-Length", async () => {
    const { handler, lines } = logged(() =>
      new Response(null, { status: 304, headers: { "Content-Length": "1234" } })
    );
    await handler(new Request("http://x/cached"), PEER);
    expect(lines).toEqual(["198.51.100.3 GET /cached 304 0 <7>"]);
  });

  test("withAccessLog() counts a streamed body and logs once at its end", async () => {
    const { handler, lines } = logged(() => new Response(chunks("ab", "cde", "", "fghij")));
    const response = await handler(new Request("http://x/stream"), PEER);
    expect(lines).toEqual([]);
    expect(await response.text()).toBe("abcdefghij");
    expect(lines).toEqual(["198.51.100.3 GET /stream 200 10 <7>"]);
  });

  test("withAccessLog() logs a streamed body the client gave up on once, with what was sent", async () => {
    let pulls = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(new Uint8Array(4));
      },
    });
    const { handler, lines, written } = logged(() => new Response(endless));
    const response = await handler(new Request("http://x/endless"), PEER);
    const reader = response.body!.getReader();
    const { value } = await reader.read();
    expect(value).toHaveLength(4);
    await reader.cancel();
    await written();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^198\.51\.100\.3 GET \/endless 200 \d+ <7>$/);
    expect(pulls).toBeGreaterThan(0);
  });

  test("withAccessLog() logs a HEAD response as 0 bytes, whatever its Content-Length", async () => {
    const { handler, lines } = logged(() =>
      new Response(null, { headers: { "Content-Length": "1234" } })
    );
    await handler(new Request("http://x/file", { method: "HEAD" }), PEER);
    expect(lines).toEqual(["198.51.100.3 HEAD /file 200 0 <7>"]);
  });

  test("withAccessLog() logs a HEAD response with a streamed body as 0 bytes", async () => {
    const { handler, lines } = logged(() => new Response(chunks("never sent")));
    await handler(new Request("http://x/head", { method: "HEAD" }), PEER);
    expect(lines).toEqual(["198.51.100.3 HEAD /head 200 0 <7>"]);
  });

  test("withAccessLog() logs a response without a body as 0 bytes", async () => {
    const { handler, lines } = logged(() => new Response(null, { status: 304 }));
    await handler(new Request("http://x/cached"), PEER);
    expect(lines).toEqual(["198.51.100.3 GET /cached 304 0 <7>"]);
  });

  test("withAccessLog() keeps the status and headers of a streamed response", async () => {
    const { handler } = logged(() =>
      new Response(chunks("x"), { status: 202, headers: { "X-Kept": "yes" } })
    );
    const response = await handler(new Request("http://x/"), PEER);
    expect(response.status).toBe(202);
    expect(response.headers.get("x-kept")).toBe("yes");
    await response.text();
  });

  test("withAccessLog() gives a response the handler gave at once back at once, logged", () => {
    const original = new Response("hello", { headers: { "Content-Length": "5" } });
    const { handler, lines } = logged(() => original);
    expect(handler(new Request("http://x/now"), PEER)).toBe(original);
    expect(lines).toEqual(["198.51.100.3 GET /now 200 5 <7>"]);
  });

  test("withAccessLog() gives a promised response back as a promise, logged when it comes", async () => {
    const original = new Response("hello", { headers: { "Content-Length": "5" } });
    const lines: string[] = [];
    const handler = withAccessLog(() => Promise.resolve(original), {
      format: "%(U)s %(B)s",
      write: (line) => lines.push(line),
    });
    const promised = handler(new Request("http://x/later"), PEER);
    expect(promised).toBeInstanceOf(Promise);
    expect(await promised).toBe(original);
    expect(lines).toEqual(["/later 5"]);
  });

  test("withAccessLog() turns an error the handler throws into a rejected promise, unlogged", async () => {
    const { handler, lines } = logged(() => {
      throw new Error("boom");
    });
    const result = handler(new Request("http://x/"), PEER);
    expect(result).toBeInstanceOf(Promise);
    await expect(result).rejects.toThrow("boom");
    expect(lines).toEqual([]);
  });

  test("withAccessLog() names the client by clientAddress(), the peer, or -", async () => {
    const ok = () => new Response(null);
    const byOption = logged(ok, { clientAddress: () => "203.0.113.5" });
    await byOption.handler(new Request("http://x/"), PEER);
    expect(byOption.lines[0]).toStartWith("203.0.113.5 ");

    const mapped = logged(ok);
    await mapped.handler(new Request("http://x/"), {
      remoteAddr: { hostname: "::ffff:10.1.2.3", port: 1 },
    });
    expect(mapped.lines[0]).toStartWith("10.1.2.3 ");

    const unknown = logged(ok);
    await unknown.handler(new Request("http://x/"), {});
    expect(unknown.lines[0]).toStartWith("- ");
  });
});
