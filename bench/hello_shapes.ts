/**
 * The hello app in each response shape real apps use, all sending the same bytes as
 * `hello_raw.ts`: `<h1>Hello, web!</h1>\n` as `text/html; charset=utf-8`.
 *
 * - `string`: `return [body]` with the body as a string;
 * - `bytes`: `return [body]` with the body as a `Uint8Array`;
 * - `bytes_length`: the idiomatic WSGI hello, bytes and an explicit `Content-Length`;
 * - `chunks`: a list of three string chunks;
 * - `generator`: a generator yielding those three chunks.
 *
 * @example
 * ```ts
 * import { SHAPES } from "./hello_shapes.ts";
 * import { serve } from "../mod.ts";
 * const server = serve(SHAPES.bytes_length, { port: 0 });
 * await server.shutdown();
 * ```
 *
 * @module
 */

import type { WsgiApp } from "../mod.ts";

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
