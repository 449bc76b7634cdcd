/**
 * The benchmark's baseline: a raw Fetch handler that sends exactly the bytes the WSGI hello
 * app sends through edge-wsgi (status, headers, body), on `Deno.serve` or `Bun.serve`.
 *
 * Run: `PORT=0 deno run -A bench/hello_raw.ts` or `PORT=0 bun run bench/hello_raw.ts`.
 * Prints `listening on http://127.0.0.1:PORT/` once it accepts connections.
 *
 * @module
 */

// Bun's API, declared with just what this file uses, so `deno check` needs no Bun types.
interface BunGlobal {
  serve(options: {
    port: number;
    hostname: string;
    fetch(request: Request): Response | Promise<Response>;
  }): { port: number };
}

const BODY = "<h1>Hello, web!</h1>\n";

function handler(_request: Request): Response {
  return new Response(BODY, {
    status: 200,
    statusText: "OK",
    headers: { "Content-Type": "text/html; charset=utf-8" },
  });
}

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process
  ?.env;
const port = Number(env?.PORT ?? 0);
const hostname = "127.0.0.1";
const bun = (globalThis as { Bun?: BunGlobal }).Bun;

let listening: number;
if (typeof bun !== "undefined") {
  listening = bun.serve({ port, hostname, fetch: handler }).port;
} else {
  const server = Deno.serve({ port, hostname, onListen: () => {} }, handler);
  listening = (server.addr as Deno.NetAddr).port;
}
console.log(`listening on http://127.0.0.1:${listening}/`);
