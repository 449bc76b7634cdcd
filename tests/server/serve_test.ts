import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import { createApp } from "../../src/server/app.ts";
import { serve, type Server } from "../../src/server/serve.ts";
import type { WsgiApp } from "../../src/core/types.ts";

const CONNECTION_KEYS = ["REMOTE_ADDR", "REMOTE_PORT", "SERVER_NAME", "SERVER_PORT"] as const;

const reporter: WsgiApp = function report(environ, startResponse) {
  startResponse("200 OK", [["Content-Type", "application/json"]]);
  const seen: Record<string, unknown> = {
    SCRIPT_NAME: environ.SCRIPT_NAME,
    PATH_INFO: environ.PATH_INFO,
  };
  for (const key of CONNECTION_KEYS) seen[key] = environ[key];
  return [JSON.stringify(seen)];
};

/** Resolves true when a TCP connection to the port is accepted, false when it is refused. */
function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.on("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

function expectServerShape(server: Server) {
  expect(server.hostname).toBe("127.0.0.1");
  expect(server.port).toBeGreaterThan(0);
  expect(server.port).toBeLessThanOrEqual(65535);
  expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
}

describe("serve() a WSGI app", () => {
  let server: Server;
  beforeAll(() => {
    server = serve(reporter, { port: 0, logger: () => {} });
  });
  afterAll(() => server?.shutdown());

  test("serve() on port 0 picks a free port and reports its URL", () => {
    expectServerShape(server);
  });

  test("serve() answers real HTTP requests with the app's response", async () => {
    const response = await fetch(new URL("hello/there", server.url));
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/json");
    expect(await response.json()).toMatchObject({ SCRIPT_NAME: "", PATH_INFO: "/hello/there" });
  });

  test("serve() gives the app the connection's addresses", async () => {
    const seen = await (await fetch(server.url)).json();
    expect(seen.REMOTE_ADDR).toBe("127.0.0.1");
    expect(Number(seen.REMOTE_PORT)).toBeGreaterThan(0);
    expect(Number(seen.REMOTE_PORT)).not.toBe(server.port);
    expect(seen.SERVER_NAME).toBe("127.0.0.1");
    expect(seen.SERVER_PORT).toBe(String(server.port));
  });
});

describe("serve() a Fetch app", () => {
  let server: Server;
  beforeAll(() => {
    const app = createApp({ root: false, mounts: { "/apps/r": reporter }, logger: () => {} });
    server = serve(app, { port: 0 });
  });
  afterAll(() => server?.shutdown());

  test("serve() on port 0 picks a free port for a createApp() app", () => {
    expectServerShape(server);
  });

  test("serve() passes real requests to the app's fetch()", async () => {
    const response = await fetch(new URL("apps/r/x", server.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ SCRIPT_NAME: "/apps/r", PATH_INFO: "/x" });
    const missing = await fetch(new URL("nothing", server.url));
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe("404 Not Found\n");
  });

  test("serve() passes the connection info on to a Fetch app's mounts", async () => {
    const seen = await (await fetch(new URL("apps/r", server.url))).json();
    expect(seen.REMOTE_ADDR).toBe("127.0.0.1");
    expect(seen.SERVER_NAME).toBe("127.0.0.1");
    expect(seen.SERVER_PORT).toBe(String(server.port));
  });
});

describe("serve() shutdown", () => {
  test("serve() shutdown() resolves and then refuses connections", async () => {
    const server = serve(reporter, { port: 0, logger: () => {} });
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    await response.text();
    expect(await canConnect(server.port)).toBe(true);
    await server.shutdown();
    expect(await canConnect(server.port)).toBe(false);
    // The first fetch's kept-alive connection must not outlive the server either.
    await expect(fetch(server.url)).rejects.toThrow();
  });

  test("serve() shutdown() of a Fetch app resolves and then refuses connections", async () => {
    const server = serve(createApp({ root: false }), { port: 0 });
    expect(await canConnect(server.port)).toBe(true);
    await server.shutdown();
    expect(await canConnect(server.port)).toBe(false);
  });
});

describe("serve() ports", () => {
  for (const [port, shown] of [[-1, "-1"], [70000, "70000"], [1.5, "1.5"], [NaN, "NaN"]] as const) {
    test(`serve() rejects port ${shown} with a RangeError naming it`, () => {
      let error: unknown;
      try {
        const server = serve(reporter, { port });
        server.shutdown();
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toContain(shown);
    });
  }
});

describe("serve() when a Fetch app throws", () => {
  test("answers 500 and logs the error: no request ends in an unlogged 500", async () => {
    const lines: string[] = [];
    const server = serve({
      fetch() {
        throw new Error("the Fetch app broke");
      },
    }, { port: 0, logger: (line) => lines.push(line) });
    try {
      const response = await fetch(server.url);
      expect(response.status).toBe(500);
      expect(await response.text()).toBe("Internal Server Error\n");
      expect(lines.length).toBe(1);
      expect(lines[0]).toContain("Error: the Fetch app broke");
    } finally {
      await server.shutdown();
    }
  });
});
