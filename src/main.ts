/**
 * The runnable server: `deno run -A mod.ts` or `bun run mod.ts` serves the demo site.
 *
 * @module
 */

import process from "node:process";
import { createDemoSite } from "../examples/site.ts";
import { serve } from "./serve.ts";

/** Serves the demo site on `PORT` (default 8000) and `HOSTNAME` (default 127.0.0.1) until a signal. */
export async function main(): Promise<void> {
  const portText = process.env.PORT ?? "8000";
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    console.error(
      `edge-wsgi: PORT must be a number from 0 to 65535, not ${JSON.stringify(portText)}`,
    );
    process.exit(2);
  }
  const hostname = process.env.HOSTNAME || "127.0.0.1";
  let server;
  try {
    server = serve(createDemoSite(), { port, hostname });
  } catch (error) {
    console.error(`edge-wsgi: cannot listen on ${hostname}:${port}: ${(error as Error).message}`);
    process.exit(1);
  }
  // Listen for the signals before announcing the URL: whoever reads it may signal at once.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  console.log(`edge-wsgi listening on ${server.url}`);
  await stopped;
  await server.shutdown();
  process.exit(0);
}
