/**
 * The static bench's ceiling: a raw `Deno.serve` or `Bun.serve` handler that answers the bench's
 * two files with the least a runtime can do. `1k.txt` comes from memory with the same headers
 * edge-wsgi sends (validators, caching, `Vary`…), and a 304 when `If-None-Match` is its ETag;
 * `big.bin` is the runtime's own file body. No path safety, no ranges, no precompressed
 * siblings, no change on disk: it only shows what the runtime's HTTP server costs, so that
 * edge-wsgi can be read against the runtime as well as against nginx.
 *
 * Run: `STATIC_ROOT=dir PORT=0 deno run -A bench/static_raw.ts` (or `bun run …`).
 * Prints `listening on http://127.0.0.1:PORT/` once it accepts connections.
 *
 * @module
 */

import { readFileSync, statSync } from "node:fs";
import process from "node:process";

// Bun's API, declared with just what this file uses, so `deno check` needs no Bun types.
interface BunGlobal {
  serve(options: {
    port: number;
    hostname: string;
    fetch(request: Request): Response;
  }): { port: number };
  file(path: string): Blob;
}

const root = process.env.STATIC_ROOT;
if (!root) throw new Error("Set STATIC_ROOT to the folder to serve");
const small = readFileSync(`${root}/1k.txt`);
const modified = statSync(`${root}/1k.txt`).mtime;
const etag = `W/"${small.length.toString(16)}-${modified.getTime().toString(16)}"`;
const validators = {
  "ETag": etag,
  "Last-Modified": modified.toUTCString(),
  "Cache-Control": "public, max-age=0",
  "Vary": "Accept-Encoding",
};
const ok = new Headers({
  ...validators,
  "Content-Type": "text/plain; charset=utf-8",
  "Accept-Ranges": "bytes",
  "X-Content-Type-Options": "nosniff",
  "Content-Length": String(small.length),
});
const notModified = new Headers(validators);
const body = new Uint8Array(small);
const bigPath = `${root}/big.bin`;
const bun = (globalThis as { Bun?: BunGlobal }).Bun;

function handler(request: Request): Response {
  if (request.url.endsWith("/big.bin")) {
    const file = bun ? bun.file(bigPath) : Deno.openSync(bigPath).readable;
    return new Response(file, { headers: { "Content-Type": "application/octet-stream" } });
  }
  if (request.headers.get("if-none-match") === etag) {
    return new Response(null, { status: 304, headers: notModified });
  }
  return new Response(body, { headers: ok });
}

const port = Number(process.env.PORT ?? 0);
const hostname = "127.0.0.1";
let listening: number;
if (bun) {
  listening = bun.serve({ port, hostname, fetch: handler }).port;
} else {
  const server = Deno.serve({ port, hostname, onListen: () => {} }, handler);
  listening = (server.addr as Deno.NetAddr).port;
}
console.log(`listening on http://${hostname}:${listening}/`);
