/**
 * The benchmark's WSGI side: the hello app served through edge-wsgi, in one of the response
 * shapes of `hello_shapes.ts` (`SHAPE`, default `string`). Every shape sends the same bytes as
 * `hello_raw.ts`.
 *
 * Run: `SHAPE=bytes_length PORT=0 deno run -A bench/hello_wsgi.ts` (or `bun run …`).
 * Prints `listening on http://127.0.0.1:PORT/` once it accepts connections.
 *
 * @module
 */

import { serve } from "../mod.ts";
import { SHAPES } from "./hello_shapes.ts";

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process
  ?.env;
const shape = env?.SHAPE ?? "string";
const app = SHAPES[shape];
if (!app) throw new Error(`Unknown SHAPE ${JSON.stringify(shape)}: one of ${Object.keys(SHAPES)}`);
const port = Number(env?.PORT ?? 0);
const server = serve(app, { port, hostname: "127.0.0.1" });
console.log(`listening on http://127.0.0.1:${server.port}/`);
