/**
 * The command line: `deno run -A mod.ts [options]` or `bun run mod.ts [options]`.
 *
 * @module
 */

import process from "node:process";
import { serve } from "../serve.ts";
import { errorLog, info } from "./log.ts";
import { type Config, UsageError } from "./options.ts";
import { checkPaths } from "./check_paths.ts";
import { checkHostname } from "./check_hostname.ts";
import { helpText, parseConfig, sourceOf } from "./parse_config.ts";
import { buildSite } from "./site.ts";
import { superviseReload, superviseWorkers } from "./supervisor.ts";

/** Runs the server the command line and environment describe, until SIGINT or SIGTERM. */
export async function main(args: string[] = process.argv.slice(2)): Promise<void> {
  let config: Config;
  try {
    config = process.env.EDGE_WSGI_CONFIG
      ? JSON.parse(process.env.EDGE_WSGI_CONFIG)
      : parseConfig(args, process.env);
    if (!config.help && !process.env.EDGE_WSGI_CONFIG) {
      checkPaths(config, args, process.env);
      await checkHostname(config.hostname, sourceOf("hostname", args, process.env));
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`edge-wsgi: ${error.message}`);
    return process.exit(2);
  }
  if (config.help) {
    process.stdout.write(helpText());
    return process.exit(0);
  }
  const supervised = process.env.EDGE_WSGI_CONFIG !== undefined;
  if (!supervised && config.reload) return process.exit(await superviseReload(config, args));
  if (!supervised && config.workers > 1) return process.exit(await superviseWorkers(config));

  let server;
  try {
    server = serve(buildSite(config, config.workers > 1), {
      port: config.port,
      hostname: config.hostname,
      reusePort: config.workers > 1,
      accessLog: config.accessLog ?? undefined,
      forwardedAllowIps: config.forwardedAllowIps,
      logger: errorLog,
    });
  } catch (error) {
    console.error(
      `edge-wsgi: cannot listen on ${config.hostname}:${config.port}: ${(error as Error).message}`,
    );
    return process.exit(1);
  }

  // Listen for the signals before announcing the URL: whoever reads it may signal at once.
  const stopped = new Promise<string>((resolve) => {
    const stop = (signal: string) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(signal);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  console.log(`edge-wsgi listening on ${server.url}`);
  const signal = await stopped;
  if (!supervised) info(`${signal}: finishing the requests in flight, then stopping`);
  // Stop accepting, let requests in flight finish (their close() runs as they do), but not forever.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), config.gracefulTimeout * 1000);
  });
  const late = await Promise.race([server.shutdown().then(() => false), timedOut]);
  clearTimeout(timer);
  if (late) errorLog(`Requests still in flight after ${config.gracefulTimeout} s were cut short`);
  process.exit(0);
}
