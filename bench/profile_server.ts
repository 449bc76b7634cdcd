/**
 * The server `bench/profile.sh` profiles: the hello app (in the shape `SHAPE`, as
 * `hello_wsgi.ts` has them) or, with `STATIC_ROOT` set, `createApp()` over that folder. On
 * SIGTERM or SIGINT it shuts down and lets the process end by itself, so that the runtime's
 * `--cpu-prof` writes its profile (a process killed outright writes none).
 *
 * Run: `PORT=0 deno run -A --cpu-prof bench/profile_server.ts`, then `kill -TERM <pid>`.
 * Prints `listening on http://127.0.0.1:PORT/` once it accepts connections.
 *
 * @module
 */

import process from "node:process";
import { createApp, serve } from "../mod.ts";
import { SHAPES } from "./hello_shapes.ts";

const root = process.env.STATIC_ROOT;
const shape = process.env.SHAPE ?? "string";
if (!root && !SHAPES[shape]) throw new Error(`Unknown SHAPE ${JSON.stringify(shape)}`);
const server = serve(root ? createApp({ root }) : SHAPES[shape], {
  port: Number(process.env.PORT ?? 0),
  hostname: "127.0.0.1",
});
console.log(`listening on ${server.url}`);

function stop(): void {
  process.off("SIGTERM", stop);
  process.off("SIGINT", stop);
  // No process.exit(): the profile is written when the event loop ends by itself.
  server.shutdown().then(() => console.log("stopped"));
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
