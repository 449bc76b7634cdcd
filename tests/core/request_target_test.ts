import { describe, expect, test } from "bun:test";
import { splitRequestTarget } from "../../src/core/request_target.ts";

describe("splitRequestTarget()", () => {
  const cases: [url: string, path: string, query: string][] = [
    ["http://example.com/", "/", ""],
    ["http://example.com/a/b", "/a/b", ""],
    ["http://example.com/search?q=a+b&x=%20y", "/search", "q=a+b&x=%20y"],
    ["http://example.com/a?", "/a", ""],
    ["http://example.com/a?b?c=d", "/a", "b?c=d"],
    ["http://example.com/a?x=/../y", "/a", "x=/../y"],
    ["http://example.com/a%3Fb?c=d", "/a?b", "c=d"],
    ["http://example.com/caf%C3%A9", "/caf\u00c3\u00a9", ""],
    ["http://example.com/%FF", "/\u00ff", ""],
    ["http://example.com/a%2Fb", "/a/b", ""],
    ["http://example.com/100%25", "/100%", ""],
    ["http://example.com/a%5Cb", "/a\\b", ""],
    ["http://example.com/a?q=1#frag", "/a", "q=1"],
    ["http://example.com/a#frag?q=1", "/a", ""],
    ["http://example.com:8080/a?q", "/a", "q"],
    ["http://[::1]:8080/a?q", "/a", "q"],
    // Deno hands over unencoded UTF-8 as text: the app gets the bytes, as from Python servers.
    ["http://example.com/a?v=\u00e9", "/a", "v=\u00c3\u00a9"],
    ["http://example.com/\u00e9?\u{1F600}=%E9", "/\u00c3\u00a9", "\u00f0\u009f\u0098\u0080=%E9"],
    ["http://example.com/a/../b?v=\u00e9", "/b", "v=\u00c3\u00a9"],
    // Bun gives a bare path when the client named no host (HTTP/1.0, or an empty Host).
    ["/", "/", ""],
    ["/a/b?c=d&e=/f", "/a/b", "c=d&e=/f"],
    ["/a/./b?q", "/a/b", "q"],
    ["/a%20b?q#f", "/a b", "q"],
    ["http://example.com/.well-known/x", "/.well-known/x", ""],
    ["http://example.com/a.b/c.d?e.f", "/a.b/c.d", "e.f"],
  ];
  for (const [url, path, query] of cases) {
    test(`splits ${url} into ${JSON.stringify(path)} and ${JSON.stringify(query)}`, () => {
      expect(splitRequestTarget(url)).toEqual({ path, query });
    });
  }

  const dotSegments: [url: string, path: string][] = [
    ["http://example.com/a/../b", "/b"],
    ["http://example.com/a/%2e%2e/b", "/b"],
    ["http://example.com/a/%2E%2E/b", "/b"],
    ["http://example.com/a/.%2E/b", "/b"],
    ["http://example.com/a/./b", "/a/b"],
    ["http://example.com/a/%2e/b", "/a/b"],
    ["http://example.com/a/..", "/"],
    ["http://example.com/a/b/..", "/a/"],
    ["http://example.com/../../etc/passwd", "/etc/passwd"],
    ["http://example.com/a/.hidden", "/a/.hidden"],
    ["http://example.com/a/..b", "/a/..b"],
  ];
  for (const [url, path] of dotSegments) {
    test(`resolves dot segments in ${url} to ${JSON.stringify(path)}`, () => {
      expect(splitRequestTarget(url).path).toBe(path);
    });
  }

  test("resolves dot segments but keeps the raw query", () => {
    expect(splitRequestTarget("http://example.com/a/../b?x=%2e%2e&y=a+b")).toEqual({
      path: "/b",
      query: "x=%2e%2e&y=a+b",
    });
  });

  test("does not treat %2e%2e%2f as a separator: the decoded path keeps ../", () => {
    expect(splitRequestTarget("http://example.com/a/%2e%2e%2fb").path).toBe("/a/../b");
  });

  test("does not resolve ..%2f..%2f into parent directories", () => {
    expect(splitRequestTarget("http://example.com/static/..%2f..%2fetc/passwd").path)
      .toBe("/static/../../etc/passwd");
  });

  test("treats a backslash as a separator, as the URL standard does for http", () => {
    expect(splitRequestTarget("http://example.com/a\\b").path).toBe("/a/b");
    expect(splitRequestTarget("http://example.com/a\\..\\b").path).toBe("/b");
  });

  test("takes raw non-ASCII characters as their UTF-8 bytes, in the path and the query", () => {
    expect(splitRequestTarget("http://example.com/é?q=é")).toEqual({
      path: "/\u00c3\u00a9",
      query: "q=\u00c3\u00a9",
    });
  });

  test("gives / for a URL without a path", () => {
    expect(splitRequestTarget("http://example.com")).toEqual({ path: "/", query: "" });
  });

  test("keeps the query of a URL without a path", () => {
    expect(splitRequestTarget("http://example.com?q=1")).toEqual({ path: "/", query: "q=1" });
  });

  test("does not take a / inside the query of a URL without a path as the path", () => {
    expect(splitRequestTarget("http://example.com?next=/admin")).toEqual({
      path: "/",
      query: "next=/admin",
    });
  });
});
