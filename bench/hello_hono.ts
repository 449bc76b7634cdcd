/**
 * A third baseline: what a Deno or Bun user would write instead of a WSGI app — a Hono route,
 * `app.get("/", …)`, answering the same bytes as `hello_raw.ts`, served by the runtime itself.
 * With `READ_HEADERS=1` (the `hono_headers` baseline) the route also reads every request header
 * into a record, which a WSGI environ must hold and a bare Hono route never touches. With
 * `ACCESS_LOG=1` too (`hono_headers+log`), the route is served by edge-wsgi's `serve()` with the
 * access log the command line writes by default, so that the shapes' `+log` runs are compared
 * with a route paying for the same log (its lines on standard output, the listening line then on
 * standard error).
 *
 * Run: `PORT=0 deno run -A bench/hello_hono.ts` or `PORT=0 bun run bench/hello_hono.ts`.
 * Prints `listening on http://127.0.0.1:PORT/` once it accepts connections.
 *
 * @module
 */

import { Hono } from "hono";
import { serve } from "../mod.ts";
import { GUNICORN_FORMAT } from "../src/server/cli/options.ts";

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
const logged = env?.ACCESS_LOG === "1";
const LENGTH = String(new TextEncoder().encode(BODY).length);

const app = new Hono();
app.get("/", (c) => {
  if (readHeaders) {
    // What an environ's HTTP_* keys need from the request: every name and value.
    const seen: Record<string, string> = {};
    c.req.raw.headers.forEach((value, name) => seen[name] = value);
  }
  // Logged, the route says its length, as the adapter notes its own: the access log otherwise
  // cannot see a string body's length and counts it through a stream, which costs Deno dearly.
  return logged
    ? c.body(BODY, 200, { "Content-Type": "text/html; charset=utf-8", "Content-Length": LENGTH })
    : c.body(BODY, 200, { "Content-Type": "text/html; charset=utf-8" });
});

const port = Number(env?.PORT ?? 0);
const hostname = "127.0.0.1";
const bun = (globalThis as { Bun?: BunGlobal }).Bun;

let listening: number;
if (logged) {
  listening = serve(app, { port, hostname, accessLog: GUNICORN_FORMAT, onListen() {} }).port;
} else if (typeof bun !== "undefined") {
  listening = bun.serve({ port, hostname, fetch: app.fetch }).port;
} else {
  const server = Deno.serve({ port, hostname, onListen: () => {} }, app.fetch);
  listening = (server.addr as Deno.NetAddr).port;
}
const line = `listening on http://${hostname}:${listening}/`;
if (logged) console.error(line);
else console.log(line);
