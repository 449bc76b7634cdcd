import { describe, expect, test } from "bun:test";
import { toEnviron } from "../../src/core/environ.ts";
import { toFetchHandler } from "../../src/core/handler.ts";
import { forwardedClient } from "../../src/core/forwarded.ts";
import { createIpMatcher } from "../../src/core/ip_matcher.ts";
import type { Environ, WsgiApp } from "../../src/core/types.ts";

describe("createIpMatcher()", () => {
  test("createIpMatcher() matches addresses and networks", () => {
    // trusted list, address, trusted?
    const cases: [string[], string, boolean][] = [
      [["127.0.0.1"], "127.0.0.1", true],
      [["127.0.0.1"], "127.0.0.2", false],
      [["127.0.0.1"], "::1", false],
      [["10.0.0.0/8"], "10.255.1.2", true],
      [["10.0.0.0/8"], "11.0.0.1", false],
      [["192.168.1.0/24"], "192.168.1.254", true],
      [["192.168.1.0/24"], "192.168.2.1", false],
      [["172.16.0.0/12"], "172.31.255.255", true],
      [["172.16.0.0/12"], "172.32.0.0", false],
      [["10.1.2.3/32"], "10.1.2.3", true],
      [["10.1.2.3/32"], "10.1.2.4", false],
      [["0.0.0.0/0"], "203.0.113.9", true],
      [["0.0.0.0/0"], "::1", false],
      [[" 10.0.0.1 "], "10.0.0.1", true],
      [["10.0.0.1", "10.0.0.2"], "10.0.0.2", true],
      [["::1"], "::1", true],
      [["::1"], "0:0:0:0:0:0:0:1", true],
      [["::1"], "[::1]", true],
      [["::1"], "::2", false],
      [["::1"], "127.0.0.1", false],
      [["::"], "::", true],
      [["::"], "0::0", true],
      [["::"], "::1", false],
      [["fd00::/8"], "fd12:3456:789a::1", true],
      [["fd00::/8"], "fe80::1", false],
      [["2001:db8::/32"], "2001:DB8:ffff::1", true],
      [["2001:db8::/32"], "2001:db9::1", false],
      [["2001:db8::1/128"], "2001:db8::1", true],
      [["2001:db8::1/128"], "2001:db8::2", false],
      [["2001:db8::1"], "2001:0db8:0000:0000:0000:0000:0000:0001", true],
      [["::/0"], "2001:db8::1", true],
      [["::/0"], "10.0.0.1", false],
      [["fe80::1"], "fe80::1%eth0", true],
      [["fe80::1%eth0"], "fe80::1", true],
      [["1.2.3.4"], "::ffff:1.2.3.4", true],
      [["1.2.3.0/24"], "::ffff:1.2.3.200", true],
      [["1.2.3.4"], "::ffff:1.2.3.5", false],
      [["*"], "203.0.113.9", true],
      [["*"], "not an address", true],
      [[], "127.0.0.1", false],
      [["127.0.0.1"], "", false],
      [["127.0.0.1"], "localhost", false],
      [["127.0.0.1"], "127.0.0.1.5", false],
      [["::1"], "::1::", false],
      [["::1"], "1:2:3:4:5:6:7:8:9", false],
    ];
    for (const [list, address, trusted] of cases) {
      expect({ list, address, trusted: createIpMatcher(list)(address) }).toEqual({
        list,
        address,
        trusted,
      });
    }
  });

  test("createIpMatcher() matches a peer as the runtime reports it to an IPv4-mapped entry", () => {
    // Bun reports an IPv4 peer of a dual-stack socket as ::ffff:a.b.c.d; the same entry must
    // match it whichever way it is written.
    const cases: [string[], string, boolean][] = [
      [["::ffff:1.2.3.4"], "::ffff:1.2.3.4", true],
      [["::ffff:1.2.3.4"], "1.2.3.4", true],
      [["::ffff:1.2.3.0/120"], "::ffff:1.2.3.9", true],
    ];
    for (const [list, address, trusted] of cases) {
      expect({ list, address, trusted: createIpMatcher(list)(address) }).toEqual({
        list,
        address,
        trusted,
      });
    }
  });

  test("createIpMatcher() throws a TypeError naming a bad entry", () => {
    const bad = [
      "nope",
      "localhost",
      "1.2.3",
      "1.2.3.256",
      "1.2.3.4.5",
      "10.0.0.0/33",
      "10.0.0.0/-1",
      "10.0.0.0/8x",
      "::1/129",
      "1::2::3",
      "12345::1",
      "g::1",
      "::ffff:1.2.3.999",
    ];
    for (const entry of bad) {
      expect(() => createIpMatcher([entry]), entry).toThrow(TypeError);
      expect(() => createIpMatcher(["127.0.0.1", entry]), entry).toThrow(JSON.stringify(entry));
    }
  });

  test("createIpMatcher() refuses a network with an empty prefix length rather than trust all", () => {
    // "10.0.0.0/" is a typo, not 10.0.0.0/0: read as /0 it would trust every peer.
    for (const entry of ["10.0.0.0/", "::/"]) {
      let matcher: ((address: string) => boolean) | undefined;
      try {
        matcher = createIpMatcher([entry]);
      } catch (error) {
        expect(error).toBeInstanceOf(TypeError);
      }
      expect({ entry, trustsAnyone: matcher?.("203.0.113.9") || matcher?.("2001:db8::1") })
        .toEqual({ entry, trustsAnyone: undefined });
    }
  });

  test("createIpMatcher() refuses a network with two prefix lengths", () => {
    expect(() => createIpMatcher(["10.0.0.0/8/9"])).toThrow(TypeError);
  });
});

describe("forwardedClient()", () => {
  const trusted = createIpMatcher(["10.0.0.0/8"]);

  test("forwardedClient() takes the rightmost address that is not a trusted proxy", () => {
    const cases: [string, string | undefined][] = [
      ["203.0.113.9", "203.0.113.9"],
      ["203.0.113.9, 10.0.0.1", "203.0.113.9"],
      ["203.0.113.9,10.0.0.1,10.0.0.2", "203.0.113.9"],
      ["6.6.6.6, 203.0.113.9, 10.0.0.1", "203.0.113.9"],
      ["10.0.0.3, 10.0.0.1", "10.0.0.3"],
      ["  203.0.113.9 ,  ", "203.0.113.9"],
      ["", undefined],
      [" , ", undefined],
    ];
    for (const [header, client] of cases) {
      expect({ header, client: forwardedClient(header, trusted) }).toEqual({ header, client });
    }
  });
});

const FORWARDED = {
  "X-Forwarded-For": "6.6.6.6, 203.0.113.9",
  "X-Forwarded-Proto": "https",
  "X-Forwarded-Host": "www.example.com",
};

function environOf(
  headers: Record<string, string>,
  peer: string,
  trusted: string[] | undefined,
): Environ {
  const request = new Request("http://internal:8080/path", {
    headers: { Host: "internal:8080", ...headers },
  });
  return toEnviron(request, {
    info: { remoteAddr: { hostname: peer, port: 41000 } },
    trustedProxy: trusted ? createIpMatcher(trusted) : undefined,
  });
}

describe("toEnviron() with trustedProxy", () => {
  test("toEnviron() applies the forwarded headers of a trusted peer", () => {
    const environ = environOf(FORWARDED, "10.0.0.1", ["10.0.0.0/8"]);
    expect(environ.REMOTE_ADDR).toBe("203.0.113.9");
    expect(environ.REMOTE_PORT).toBeUndefined();
    expect(environ["wsgi.url_scheme"]).toBe("https");
    expect(environ.HTTP_HOST).toBe("www.example.com");
    expect(environ.SERVER_NAME).toBe("www.example.com");
    expect(environ.SERVER_PORT).toBe("443");
  });

  test("toEnviron() ignores the forwarded headers of an untrusted peer", () => {
    const environ = environOf(FORWARDED, "192.0.2.50", ["10.0.0.0/8"]);
    expect(environ.REMOTE_ADDR).toBe("192.0.2.50");
    expect(environ.REMOTE_PORT).toBe("41000");
    expect(environ["wsgi.url_scheme"]).toBe("http");
    expect(environ.HTTP_HOST).toBe("internal:8080");
    expect(environ.SERVER_NAME).toBe("internal");
    expect(environ.SERVER_PORT).toBe("8080");
    expect(environ.HTTP_X_FORWARDED_FOR).toBe("6.6.6.6, 203.0.113.9");
    expect(environ.HTTP_X_FORWARDED_PROTO).toBe("https");
    expect(environ.HTTP_X_FORWARDED_HOST).toBe("www.example.com");
  });

  test("toEnviron() without trustedProxy trusts no one, not even localhost", () => {
    const environ = environOf(FORWARDED, "127.0.0.1", undefined);
    expect(environ.REMOTE_ADDR).toBe("127.0.0.1");
    expect(environ["wsgi.url_scheme"]).toBe("http");
    expect(environ.HTTP_HOST).toBe("internal:8080");
  });

  test("toEnviron() ignores entries a client put left of the trusted hops (spoofing)", () => {
    const headers = { "X-Forwarded-For": "127.0.0.1, 10.9.9.9, 198.51.100.1, 10.0.0.2" };
    const environ = environOf(headers, "10.0.0.1", ["10.0.0.0/8", "127.0.0.1"]);
    expect(environ.REMOTE_ADDR).toBe("198.51.100.1");
  });

  test("toEnviron() ignores X-Forwarded-Proto: javascript", () => {
    const environ = environOf({ "X-Forwarded-Proto": "javascript" }, "10.0.0.1", ["10.0.0.1"]);
    expect(environ["wsgi.url_scheme"]).toBe("http");
  });

  test("toEnviron() reads the scheme and host a trusted proxy appended last", () => {
    const headers = {
      "X-Forwarded-Proto": "http, HTTPS",
      "X-Forwarded-Host": "evil.example, good.example:8443",
    };
    const environ = environOf(headers, "10.0.0.1", ["10.0.0.1"]);
    expect(environ["wsgi.url_scheme"]).toBe("https");
    expect(environ.HTTP_HOST).toBe("good.example:8443");
    expect(environ.SERVER_NAME).toBe("good.example");
    expect(environ.SERVER_PORT).toBe("8443");
  });

  test("toEnviron() ignores a forwarded host that is not a host", () => {
    for (const host of ["a b", "[::1", "x/y", "x:99999", "user@x"]) {
      const environ = environOf({ "X-Forwarded-Host": host }, "10.0.0.1", ["10.0.0.1"]);
      expect({ host, HTTP_HOST: environ.HTTP_HOST, SERVER_NAME: environ.SERVER_NAME }).toEqual({
        host,
        HTTP_HOST: "internal:8080",
        SERVER_NAME: "internal",
      });
    }
  });

  test("toEnviron() splits a forwarded IPv6 host from its port", () => {
    const cases: [string, string, string, string][] = [
      // X-Forwarded-Host, scheme, SERVER_NAME, SERVER_PORT
      ["[2001:db8::1]:8443", "https", "[2001:db8::1]", "8443"],
      ["[2001:db8::1]", "https", "[2001:db8::1]", "443"],
      ["example.com", "http", "example.com", "80"],
    ];
    for (const [host, proto, name, port] of cases) {
      const environ = environOf(
        { "X-Forwarded-Host": host, "X-Forwarded-Proto": proto },
        "10.0.0.1",
        ["10.0.0.1"],
      );
      expect({ host, name: environ.SERVER_NAME, port: environ.SERVER_PORT }).toEqual({
        host,
        name,
        port,
      });
    }
  });

  test("toEnviron() trusts an IPv4-mapped peer by its IPv4 address", () => {
    const headers = { "X-Forwarded-For": "::ffff:203.0.113.9" };
    const environ = environOf(headers, "::ffff:10.0.0.1", ["10.0.0.1"]);
    expect(environ.REMOTE_ADDR).toBe("203.0.113.9");
  });

  test("toEnviron() keeps REMOTE_ADDR when X-Forwarded-For is empty", () => {
    const environ = environOf({ "X-Forwarded-For": " , " }, "10.0.0.1", ["10.0.0.1"]);
    expect(environ.REMOTE_ADDR).toBe("10.0.0.1");
  });
});

const showEnviron: WsgiApp = function showEnviron(environ, startResponse) {
  startResponse("200 OK", [["Content-Type", "application/json"]]);
  return [JSON.stringify({
    REMOTE_ADDR: environ.REMOTE_ADDR,
    scheme: environ["wsgi.url_scheme"],
    HTTP_HOST: environ.HTTP_HOST,
    SERVER_NAME: environ.SERVER_NAME,
    SERVER_PORT: environ.SERVER_PORT,
    HTTP_X_FORWARDED_FOR: environ.HTTP_X_FORWARDED_FOR ?? null,
  })];
};

async function fetchEnviron(forwardedAllowIps: string[] | undefined, peer: string) {
  const handler = toFetchHandler(showEnviron, { forwardedAllowIps });
  const request = new Request("http://internal:8080/", {
    headers: { Host: "internal:8080", ...FORWARDED },
  });
  const response = await handler(request, { remoteAddr: { hostname: peer, port: 41000 } });
  expect(response.status).toBe(200);
  return await response.json();
}

describe("toFetchHandler() with forwardedAllowIps", () => {
  test("toFetchHandler() applies the forwarded headers of a trusted peer", async () => {
    expect(await fetchEnviron(["127.0.0.1", "::1"], "127.0.0.1")).toEqual({
      REMOTE_ADDR: "203.0.113.9",
      scheme: "https",
      HTTP_HOST: "www.example.com",
      SERVER_NAME: "www.example.com",
      SERVER_PORT: "443",
      HTTP_X_FORWARDED_FOR: "6.6.6.6, 203.0.113.9",
    });
  });

  test("toFetchHandler() ignores the forwarded headers of an untrusted peer", async () => {
    expect(await fetchEnviron(["10.9.9.9"], "127.0.0.1")).toEqual({
      REMOTE_ADDR: "127.0.0.1",
      scheme: "http",
      HTTP_HOST: "internal:8080",
      SERVER_NAME: "internal",
      SERVER_PORT: "8080",
      HTTP_X_FORWARDED_FOR: "6.6.6.6, 203.0.113.9",
    });
  });

  test("toFetchHandler() trusts no proxy by default", async () => {
    expect((await fetchEnviron(undefined, "127.0.0.1")).REMOTE_ADDR).toBe("127.0.0.1");
    expect((await fetchEnviron([], "127.0.0.1")).REMOTE_ADDR).toBe("127.0.0.1");
  });

  test("toFetchHandler() trusts any peer with *, and then every hop", async () => {
    expect((await fetchEnviron(["*"], "198.51.100.77")).REMOTE_ADDR).toBe("6.6.6.6");
  });

  test("toFetchHandler() throws a TypeError on a bad forwardedAllowIps entry", () => {
    expect(() => toFetchHandler(showEnviron, { forwardedAllowIps: ["nope"] })).toThrow(TypeError);
  });
});
