/**
 * A third baseline: what a Deno or Bun user would write instead of a WSGI app — a Hono route,
 * `app.get("/", …)`, answering the same bytes as `hello_raw.ts`, served by the runtime itself.
 * With `READ_HEADERS=1` (the `hono_headers` baseline) the route also reads every request header
 * into a record, which a WSGI environ must hold and a bare Hono route never touches.
 *
 * Run: `PORT=0 deno run -A bench/hello_hono.ts` or `PORT=0 bun run bench/hello_hono.ts`.
 * Prints `listening on http://127.0.0.1:PORT/` once it accepts connections.
 *
 * @module
 */

import { Hono } from "hono";

// Bun's API, declared with just what this file uses, so `deno check` needs no Bun types.
interface BunGlobal {
  serve(options: {
    port: number;
    hostname: string;
    fetch(request: Request): Response | Promise<Response>;
  }): { port: number };
}

const BODY = "<h1>Hello, web!</h1>\n";
const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process
  ?.env;
const readHeaders = env?.READ_HEADERS === "1";

const app = new Hono();
app.get("/", (c) => {
  if (readHeaders) {
    // What an environ's HTTP_* keys need from the request: every name and value.
    const seen: Record<string, string> = {};
    c.req.raw.headers.forEach((value, name) => seen[name] = value);
  }
  return c.body(BODY, 200, { "Content-Type": "text/html; charset=utf-8" });
});

const port = Number(env?.PORT ?? 0);
const hostname = "127.0.0.1";
const bun = (globalThis as { Bun?: BunGlobal }).Bun;

let listening: number;
if (typeof bun !== "undefined") {
  listening = bun.serve({ port, hostname, fetch: app.fetch }).port;
} else {
  const server = Deno.serve({ port, hostname, onListen: () => {} }, app.fetch);
  listening = (server.addr as Deno.NetAddr).port;
}
console.log(`listening on http://${hostname}:${listening}/`);
