/**
 * A static site for the wire tests: `createApp()` serving the folder in `STATIC_ROOT`, with
 * directory listings when `LISTING=1`. Run like the real server:
 * `STATIC_ROOT=/tmp/x deno run -A tests/support/static_site.ts`, `bun run …`.
 *
 * @module
 */

import process from "node:process";
import { createApp, serve } from "../../mod.ts";

const root = process.env.STATIC_ROOT;
if (!root) throw new TypeError("STATIC_ROOT must name the folder to serve");

const app = createApp({
  root,
  static: { directoryListing: process.env.LISTING === "1" },
  logger: (line) => console.error(line),
});
const server = serve(app, { port: Number(process.env.PORT ?? 0), hostname: "127.0.0.1" });
console.log(`listening on ${server.url}`);
const stop = () => server.shutdown().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
