/**
 * A second baseline: the raw handler of `hello_raw.ts`, plus reading everything a WSGI environ
 * is built from (the URL, the method, every header, the peer's address), and nothing else. The
 * gap between it and the raw handler is what any WSGI adapter must pay on this runtime; the gap
 * between it and edge-wsgi is the adapter's own cost.
 *
 * Run: `PORT=0 deno run -A bench/hello_reads.ts` or `PORT=0 bun run bench/hello_reads.ts`.
 * Prints `listening on http://127.0.0.1:PORT/` once it accepts connections.
 *
 * @module
 */

// Bun's API, declared with just what this file uses, so `deno check` needs no Bun types.
interface BunServer {
  requestIP(request: Request): { address: string; port: number } | null;
}
interface BunGlobal {
  serve(options: {
    port: number;
    hostname: string;
    fetch(request: Request, server: BunServer): Response | Promise<Response>;
  }): { port: number };
}

const BODY = "<h1>Hello, web!</h1>\n";

function handler(request: Request, peer: string | undefined): Response {
  const seen: Record<string, string | undefined> = {
    url: request.url,
    method: request.method,
    peer,
  };
  request.headers.forEach((value, name) => seen[name] = value);
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
  listening = bun.serve({
    port,
    hostname,
    fetch: (request, server) => handler(request, server.requestIP(request)?.address),
  }).port;
} else {
  const server = Deno.serve(
    { port, hostname, onListen: () => {} },
    (request, info) => handler(request, info.remoteAddr.hostname),
  );
  listening = (server.addr as Deno.NetAddr).port;
}
console.log(`listening on http://${hostname}:${listening}/`);
