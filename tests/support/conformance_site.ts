/**
 * A server of small WSGI apps, each breaking or stretching one rule, for the wire tests.
 * Run like the real server: `deno run -A tests/support/conformance_site.ts`, `bun run …`.
 *
 * @module
 */

import process from "node:process";
import { createApp, serve } from "../../mod.ts";
import { conformanceApps } from "./conformance_apps.ts";

const server = serve(
  createApp({ root: false, mounts: conformanceApps, logger: (line) => console.error(line) }),
  {
    port: Number(process.env.PORT ?? 0),
    hostname: "127.0.0.1",
  },
);
console.log(`listening on ${server.url}`);
const stop = () => server.shutdown().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
