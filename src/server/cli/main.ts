/**
 * The command line: `deno run -A mod.ts [options]` or `bun run mod.ts [options]`.
 *
 * @module
 */

import process from "node:process";
import { serve } from "../serve.ts";
import { readEnv, readEnvVars } from "./env.ts";
import { errorLog, info } from "./log.ts";
import { type Config, UsageError } from "./options.ts";
import { CONFIG_VARIABLES, helpText, parseConfig } from "./parse_config.ts";
import { buildSite, pythonHostOf } from "./site.ts";
import { superviseReload, superviseWorkers } from "./supervisor.ts";

/** Runs the server the command line and environment describe, until SIGINT or SIGTERM. */
export async function main(args: string[] = process.argv.slice(2)): Promise<void> {
  // Every read goes through readEnv: without --allow-env, Deno throws even for unset names.
  const passedOn = readEnv("EDGE_WSGI_CONFIG");
  let config: Config;
  try {
    config = passedOn ? JSON.parse(passedOn) : parseConfig(args, readEnvVars(CONFIG_VARIABLES));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`edge-wsgi: ${error.message}`);
    return process.exit(2);
  }
  if (config.help) {
    process.stdout.write(helpText());
    return process.exit(0);
  }
  const supervised = passedOn !== undefined;
  if (!supervised && config.reload) return process.exit(await superviseReload(config, args));
  if (!supervised && config.workers > 1) return process.exit(await superviseWorkers(config));

  const python = pythonHostOf(config);
  if (config.preload) await python.ready();
  let server;
  try {
    server = serve(buildSite(config, config.workers > 1, python), {
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
