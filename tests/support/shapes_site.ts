/**
 * A server of the hello app in every response shape of `bench/hello_shapes.ts`, at `/<shape>`,
 * plus `/long`: a generator too long to be read in one tick, which must stream.
 * Run like the real server: `deno run -A tests/support/shapes_site.ts`, `bun run …`.
 *
 * @module
 */

import process from "node:process";
import { serve, type WsgiApp } from "../../mod.ts";
import { SHAPES } from "../../bench/hello_shapes.ts";

const long: WsgiApp = function* (_environ, startResponse) {
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  for (let i = 0; i < 100; i++) yield `line ${i}\n`;
};

const app: WsgiApp = (environ, startResponse) => {
  const name = environ.PATH_INFO.slice(1);
  if (name === "long") return long(environ, startResponse);
  const shape = SHAPES[name];
  if (shape) return shape(environ, startResponse);
  startResponse("404 Not Found", [["Content-Type", "text/plain"]]);
  return ["no such shape\n"];
};

const server = serve(app, { port: Number(process.env.PORT ?? 0), hostname: "127.0.0.1" });
console.log(`listening on ${server.url}`);
