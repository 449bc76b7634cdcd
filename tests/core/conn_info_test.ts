import { describe, expect, test } from "bun:test";
import { connInfoOf } from "../../src/core/conn_info.ts";

const request = new Request("http://example.com/");

describe("connInfoOf()", () => {
  test("keeps our own ConnInfo", () => {
    const info = {
      remoteAddr: { hostname: "203.0.113.7", port: 5000 },
      localAddr: { hostname: "10.0.0.2", port: 8000 },
      protocol: "HTTP/2",
    };
    expect(connInfoOf(request, info)).toEqual(info);
  });

  test("reads remoteAddr from Deno's ServeHandlerInfo", () => {
    const denoInfo = {
      remoteAddr: { transport: "tcp", hostname: "::1", port: 51234 },
      completed: Promise.resolve(),
    };
    const info = connInfoOf(request, denoInfo);
    expect(info.remoteAddr?.hostname).toBe("::1");
    expect(info.remoteAddr?.port).toBe(51234);
    expect(info.localAddr).toBeUndefined();
    expect(info.protocol).toBeUndefined();
  });

  test("reads the peer from a Bun Server's requestIP() only when asked, and the local address", () => {
    const seen: Request[] = [];
    const bunServer = {
      hostname: "127.0.0.1",
      port: 3000,
      requestIP(req: Request) {
        seen.push(req);
        return { address: "::ffff:192.0.2.1", family: "IPv6", port: 40000 };
      },
    };
    const info = connInfoOf(request, bunServer);
    expect(info.localAddr).toEqual({ hostname: "127.0.0.1", port: 3000 });
    expect(seen).toEqual([]);
    expect(info.peer?.()).toEqual({ hostname: "::ffff:192.0.2.1", port: 40000 });
    expect(seen).toEqual([request]);
    expect(seen[0]).toBe(request);
  });

  test("gives no peer when a Bun Server's requestIP() returns null", () => {
    const bunServer = { hostname: "0.0.0.0", port: 3000, requestIP: () => null };
    const info = connInfoOf(request, bunServer);
    expect(info.peer?.()).toBeUndefined();
    expect(info.localAddr).toEqual({ hostname: "0.0.0.0", port: 3000 });
  });

  test("gives no localAddr when a Bun Server has no hostname or port", () => {
    const info = connInfoOf(request, { requestIP: () => ({ address: "192.0.2.1", port: 1 }) });
    expect(info.peer?.()).toEqual({ hostname: "192.0.2.1", port: 1 });
    expect(info.localAddr).toBeUndefined();
  });

  const garbage: [name: string, value: unknown][] = [
    ["undefined", undefined],
    ["null", null],
    ["a number", 42],
    ["a string", "127.0.0.1:80"],
    ["an empty object", {}],
    ["a requestIP that is not a function", { requestIP: "192.0.2.1" }],
    ["a remoteAddr string", { remoteAddr: "192.0.2.1" }],
    ["a remoteAddr with a string port", { remoteAddr: { hostname: "192.0.2.1", port: "80" } }],
    ["a localAddr with a numeric hostname", { localAddr: { hostname: 1, port: 80 } }],
    ["a protocol that is not a string", { protocol: 2 }],
  ];
  for (const [name, value] of garbage) {
    test(`gives {} for ${name}`, () => {
      const info = connInfoOf(request, value);
      expect(info).toEqual({});
      expect(info.remoteAddr).toBeUndefined();
      expect(info.localAddr).toBeUndefined();
      expect(info.protocol).toBeUndefined();
    });
  }
});
