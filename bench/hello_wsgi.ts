/**
 * The benchmark's WSGI side: the hello app served through edge-wsgi, in one of the response
 * shapes real apps use. Every shape sends the same bytes as `hello_raw.ts`.
 *
 * Run: `SHAPE=bytes_length PORT=0 deno run -A bench/hello_wsgi.ts` (or `bun run …`).
 * Prints `listening on http://127.0.0.1:PORT/` once it accepts connections.
 *
 * `SHAPE` (default `string`):
 * - `string`: `return [body]` with the body as a string;
 * - `bytes`: `return [body]` with the body as a `Uint8Array`;
 * - `bytes_length`: the idiomatic WSGI hello, bytes and an explicit `Content-Length`;
 * - `chunks`: a list of three string chunks;
 * - `generator`: a generator yielding those three chunks.
 *
 * @module
 */

import { serve, type WsgiApp } from "../mod.ts";

const BODY = "<h1>Hello, web!</h1>\n";
const BYTES = new TextEncoder().encode(BODY);
const CHUNKS = ["<h1>", "Hello, web!", "</h1>\n"];
const TYPE: [string, string] = ["Content-Type", "text/html; charset=utf-8"];

/** The hello app of each shape. */
export const SHAPES: Record<string, WsgiApp> = {
  string: (_environ, startResponse) => {
    startResponse("200 OK", [TYPE]);
    return [BODY];
  },
  bytes: (_environ, startResponse) => {
    startResponse("200 OK", [TYPE]);
    return [BYTES];
  },
  bytes_length: (_environ, startResponse) => {
    startResponse("200 OK", [TYPE, ["Content-Length", String(BYTES.length)]]);
    return [BYTES];
  },
  chunks: (_environ, startResponse) => {
    startResponse("200 OK", [TYPE]);
    return CHUNKS;
  },
  generator: function* (_environ, startResponse) {
    startResponse("200 OK", [TYPE]);
    yield* CHUNKS;
  },
};

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process
  ?.env;
const shape = env?.SHAPE ?? "string";
const app = SHAPES[shape];
if (!app) throw new Error(`Unknown SHAPE ${JSON.stringify(shape)}: one of ${Object.keys(SHAPES)}`);
const port = Number(env?.PORT ?? 0);
const server = serve(app, { port, hostname: "127.0.0.1" });
console.log(`listening on http://127.0.0.1:${server.port}/`);
