/**
 * The benchmark's static server: `createApp()` over `STATIC_ROOT`, no apps, no access log.
 *
 * Run: `STATIC_ROOT=dir PORT=0 deno run -A bench/static_server.ts` (or `bun run …`).
 * Prints `listening on http://127.0.0.1:PORT/` once it accepts connections.
 *
 * @module
 */

import process from "node:process";
import { createApp, serve } from "../mod.ts";

const root = process.env.STATIC_ROOT;
if (!root) throw new Error("Set STATIC_ROOT to the folder to serve");
const server = serve(createApp({ root }), {
  port: Number(process.env.PORT ?? 0),
  hostname: "127.0.0.1",
});
console.log(`listening on ${server.url}`);
process.on("SIGTERM", () => server.shutdown().then(() => process.exit(0)));
