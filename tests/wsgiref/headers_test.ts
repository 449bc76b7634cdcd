import { describe, expect, test } from "bun:test";
import { toFetchHandler } from "../../src/core/handler.ts";
import type { HeaderPair, WsgiApp } from "../../src/core/types.ts";
import { WsgiHeaders } from "../../src/wsgiref/headers.ts";

describe("WsgiHeaders", () => {
  test("gets the first value of a name in any case", () => {
    const headers = new WsgiHeaders([["Foo", "bar"], ["FOO", "baz"]]);
    for (const name of ["foo", "Foo", "FOO"]) {
      expect(headers.get(name)).toBe("bar");
      expect(headers.has(name)).toBe(true);
      expect(headers.getAll(name)).toEqual(["bar", "baz"]);
    }
    expect(headers.get("bar")).toBeUndefined();
    expect(headers.has("bar")).toBe(false);
    expect(headers.getAll("bar")).toEqual([]);
  });

  test("set() replaces every value and appends at the end", () => {
    const headers = new WsgiHeaders([["X-A", "1"], ["Foo", "bar"], ["foo", "baz"], ["X-B", "2"]]);
    headers.set("FOO", "qux");
    expect(headers.list).toEqual([["X-A", "1"], ["X-B", "2"], ["FOO", "qux"]]);
  });

  test("append() keeps duplicates in order", () => {
    const headers = new WsgiHeaders();
    headers.append("Set-Cookie", "a=1");
    headers.append("Content-Type", "text/plain");
    headers.append("Set-Cookie", "b=2");
    expect(headers.getAll("set-cookie")).toEqual(["a=1", "b=2"]);
    expect([...headers]).toEqual([
      ["Set-Cookie", "a=1"],
      ["Content-Type", "text/plain"],
      ["Set-Cookie", "b=2"],
    ]);
    expect(headers.size).toBe(3);
  });

  test("delete() removes every value and does nothing for a missing name", () => {
    const headers = new WsgiHeaders([["A", "1"], ["a", "2"], ["B", "3"]]);
    headers.delete("zzz");
    headers.delete("A");
    expect(headers.list).toEqual([["B", "3"]]);
  });

  test("setDefault() returns the existing value or adds the default", () => {
    const headers = new WsgiHeaders([["Foo", "baz"]]);
    expect(headers.setDefault("foo", "whee")).toBe("baz");
    expect(headers.setDefault("zoo", "whee")).toBe("whee");
    expect(headers.get("zoo")).toBe("whee");
    expect(headers.size).toBe(2);
  });

  test("works on the very array it was given", () => {
    const list: HeaderPair[] = [["A", "1"]];
    const headers = new WsgiHeaders(list);
    headers.append("B", "2");
    headers.delete("A");
    headers.set("C", "3");
    expect(headers.list).toBe(list);
    expect(list).toEqual([["B", "2"], ["C", "3"]]);
  });

  // CPython Lib/test/test_wsgiref.py, HeaderTests.testExtras.
  test("addHeader() formats parameters and toString() the wire format as wsgiref", () => {
    const headers = new WsgiHeaders();
    expect(headers.toString()).toBe("\r\n");
    headers.addHeader("foo", "bar", { baz: "spam" });
    expect(headers.get("foo")).toBe('bar; baz="spam"');
    expect(headers.toString()).toBe('foo: bar; baz="spam"\r\n\r\n');
    headers.addHeader("Foo", "bar", { cheese: null });
    expect(headers.getAll("foo")).toEqual(['bar; baz="spam"', "bar; cheese"]);
    expect(headers.toString()).toBe('foo: bar; baz="spam"\r\nFoo: bar; cheese\r\n\r\n');
  });

  const PARAMS: [params: Record<string, string | null | undefined>, expected: string][] = [
    [{ filename: "bud.gif" }, 'attachment; filename="bud.gif"'],
    [{ file_name: "a" }, 'attachment; file-name="a"'],
    [{ filename: 'say "hi"\\' }, 'attachment; filename="say \\"hi\\"\\\\"'],
    [{ empty: "" }, "attachment; empty"],
    [{ flag: undefined, size: "1" }, 'attachment; flag; size="1"'],
  ];
  for (const [params, expected] of PARAMS) {
    test(`addHeader() gives ${expected}`, () => {
      const headers = new WsgiHeaders();
      headers.addHeader("Content-Disposition", "attachment", params);
      expect(headers.get("content-disposition")).toBe(expected);
    });
  }

  test("addHeader() takes parameters alone when the value is null", () => {
    const headers = new WsgiHeaders();
    headers.addHeader("X-Params", null, { a: "1" });
    expect(headers.get("x-params")).toBe('a="1"');
  });

  test("throws a TypeError when the list is not an array", () => {
    expect(() => new WsgiHeaders("foo" as never)).toThrow(
      "Headers must be an array of [name, value] pairs, not string",
    );
  });

  test("throws a TypeError naming a value that is not a string", () => {
    expect(() => new WsgiHeaders([["A", 1 as never]])).toThrow(
      'Header "A" must have a string value, not number',
    );
  });

  test("refuses a value with CR LF (response splitting)", () => {
    const headers = new WsgiHeaders();
    expect(() => headers.set("Location", "/x\r\nSet-Cookie: evil=1")).toThrow(
      'Header "Location" has a line break or NUL in "/x\\r\\nSet-Cookie: evil=1"',
    );
    expect(headers.size).toBe(0);
  });

  test("refuses a name that is not a token", () => {
    expect(() => new WsgiHeaders().append("Bad Name", "x")).toThrow(
      'Header name "Bad Name" is not a valid token',
    );
  });

  test("list goes to start_response with duplicates kept", async () => {
    const app: WsgiApp = (_environ, startResponse) => {
      const headers = new WsgiHeaders();
      headers.set("Content-Type", "text/plain");
      headers.append("Set-Cookie", "a=1");
      headers.append("Set-Cookie", "b=2");
      startResponse("200 OK", headers.list);
      return ["ok"];
    };
    const response = await toFetchHandler(app)(new Request("http://localhost/"));
    expect(response.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(await response.text()).toBe("ok");
  });
});
