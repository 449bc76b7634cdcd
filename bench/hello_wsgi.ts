/**
 * The benchmark's WSGI side: the classic hello app served through edge-wsgi.
 *
 * Run: `PORT=0 deno run -A bench/hello_wsgi.ts` or `PORT=0 bun run bench/hello_wsgi.ts`.
 * Prints `listening on http://127.0.0.1:PORT/` once it accepts connections.
 *
 * @module
 */

import { serve, type WsgiApp } from "../mod.ts";

const app: WsgiApp = (_environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "text/html; charset=utf-8"]]);
  return ["<h1>Hello, web!</h1>\n"];
};

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process
  ?.env;
const port = Number(env?.PORT ?? 0);
const server = serve(app, { port, hostname: "127.0.0.1" });
console.log(`listening on http://127.0.0.1:${server.port}/`);
