import { describe, expect, test } from "bun:test";
import {
  badRequest,
  createHostCheck,
  hostProblem,
  isValidHost,
  requestProblem,
} from "../../src/core/bad_request.ts";

describe("isValidHost()", () => {
  const cases: [host: string, valid: boolean][] = [
    ["example.com", true],
    ["example.com:8000", true],
    ["EXAMPLE.com.", true],
    ["localhost:0080", true],
    ["127.0.0.1:8000", true],
    ["[::1]", true],
    ["[::1]:8080", true],
    ["xn--caf-dma.example", true],
    ["a b", false],
    ["[::1", false],
    ["::1", false],
    ["a%zz", false],
    ["a%20b", false],
    ["a:99999", false],
    ["a:b", false],
    [":80", false],
    ["", false],
    ["@x", false],
    ["user@x", false],
    ["x/y", false],
    ["x?y", false],
    ["x#y", false],
    ["x\\y", false],
    ["999.1.1.1", false],
  ];
  for (const [host, valid] of cases) {
    test(`${JSON.stringify(host)} is ${valid ? "" : "not "}a host`, () => {
      expect(isValidHost(host)).toBe(valid);
    });
  }
});

describe("requestProblem()", () => {
  const withHost = (url: string, host: string) => new Request(url, { headers: { Host: host } });

  test("finds nothing wrong with a request whose Host is its URL's host", () => {
    expect(requestProblem(withHost("http://x:8000/a/../b", "x:8000"))).toBeUndefined();
  });

  test("names a Host header that is not a host, quoting it", () => {
    expect(requestProblem(withHost("http://x/", "a b"))).toBe(
      'the Host header "a b" is not a valid host',
    );
  });

  test("names an absolute-form target's host that is not a host, even with a good Host", () => {
    // Deno hands this over from `GET http://x:99999/ HTTP/1.1`; the Request constructor refuses it.
    const request = { url: "http://x:99999/", headers: new Headers({ Host: "x" }) } as Request;
    expect(requestProblem(request)).toBe(
      `the request target's host "x:99999" is not a valid host`,
    );
  });

  test("accepts a request with no Host header", () => {
    expect(requestProblem(new Request("http://localhost:8000/"))).toBeUndefined();
  });
});

describe("badRequest()", () => {
  test("answers 400 with a body that reveals nothing, and logs one line naming the request", async () => {
    const lines: string[] = [];
    const request = new Request("http://x/a?b", { headers: { Host: "x" } });
    const response = badRequest("the Host header is bad", request, (line) => lines.push(line));
    expect(response.status).toBe(400);
    expect(await response.text()).toBe("400 Bad Request\n");
    expect(lines).toEqual(["Bad request GET /a?b: the Host header is bad"]);
  });
});

describe("createHostCheck()", () => {
  test("createHostCheck() finds the same problems as hostProblem(), before and after a host is known", () => {
    const check = createHostCheck();
    for (let round = 0; round < 2; round++) {
      expect(check("http://x:8000/a", "x:8000")).toBeUndefined();
      expect(check("http://x:8000?q", "x:8000")).toBeUndefined();
      // A known Host does not vouch for another host in the URL (an absolute-form target).
      expect(check("http://x:99999/a", "x:8000")).toBe(hostProblem("http://x:99999/a", "x:8000"));
      expect(check("http://x:8000/a", "a b")).toBe('the Host header "a b" is not a valid host');
    }
  });
});
