/**
 * The benchmark's WSGI side: the hello app served through edge-wsgi, in one of the response
 * shapes of `hello_shapes.ts` (`SHAPE`, default `string`). Every shape sends the same bytes as
 * `hello_raw.ts`. With `ACCESS_LOG=1`, as the command line serves by default: an access-log line
 * per request in gunicorn's format, to standard output (the listening line then goes to standard
 * error, so that the bench can send the log to `/dev/null` and still find the URL).
 *
 * Run: `SHAPE=bytes_length PORT=0 deno run -A bench/hello_wsgi.ts` (or `bun run …`).
 * Prints `listening on http://127.0.0.1:PORT/` once it accepts connections.
 *
 * @module
 */

import { serve } from "../mod.ts";
import { GUNICORN_FORMAT } from "../src/server/cli/options.ts";
import { SHAPES } from "./hello_shapes.ts";

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process
  ?.env;
const shape = env?.SHAPE ?? "string";
const app = SHAPES[shape];
if (!app) throw new Error(`Unknown SHAPE ${JSON.stringify(shape)}: one of ${Object.keys(SHAPES)}`);
const port = Number(env?.PORT ?? 0);
const logged = env?.ACCESS_LOG === "1";
const server = serve(app, {
  port,
  hostname: "127.0.0.1",
  accessLog: logged ? GUNICORN_FORMAT : undefined,
  onListen() {},
});
const listening = `listening on http://127.0.0.1:${server.port}/`;
if (logged) console.error(listening);
else console.log(listening);
