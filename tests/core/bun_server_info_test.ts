/**
 * `toFetchHandler(app)` given straight to `Bun.serve`, as Bun's documentation passes a fetch
 * handler: Bun's `Server` is its second argument, and the peer is asked of it only when the app
 * reads REMOTE_ADDR or REMOTE_PORT. (The tests run in Bun, so this is the real Bun.serve.)
 */

import { afterAll, expect, test } from "bun:test";
import { toFetchHandler } from "../../src/core/handler.ts";
import type { WsgiApp } from "../../src/core/types.ts";

const report: WsgiApp = (environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  return [`${environ.REMOTE_ADDR} ${environ.REMOTE_PORT} ${environ.SERVER_PORT}`];
};

const bun = (globalThis as unknown as {
  Bun: { serve(options: object): { port: number; stop(force?: boolean): void } };
}).Bun;
const server = bun.serve({ port: 0, hostname: "127.0.0.1", fetch: toFetchHandler(report) });
afterAll(() => server.stop(true));

test("REMOTE_ADDR and REMOTE_PORT come from Bun's Server when the app reads them", async () => {
  const text = await (await fetch(`http://127.0.0.1:${server.port}/`)).text();
  const [address, port, serverPort] = text.split(" ");
  expect(address).toBe("127.0.0.1");
  expect(Number(port)).toBeGreaterThan(0);
  expect(serverPort).toBe(String(server.port));
});
