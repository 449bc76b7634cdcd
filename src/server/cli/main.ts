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
import { checkPaths, enterFolder } from "./check_paths.ts";
import { checkHostname } from "./check_hostname.ts";
import { CONFIG_VARIABLES, helpText, parseConfig, sourceOf } from "./parse_config.ts";
import { buildSite, pythonHostOf } from "./site.ts";
import { superviseReload, superviseWorkers } from "./supervisor.ts";
import { exitGracefullyOnSignal } from "../graceful.ts";

/**
 * Starts the server the command line and environment describe; it runs until SIGINT or SIGTERM,
 * then finishes the requests in flight and exits.
 */
export async function main(args: string[] = process.argv.slice(2)): Promise<void> {
  // Every read goes through readEnv: without --allow-env, Deno throws even for unset names.
  const passedOn = readEnv("EDGE_WSGI_CONFIG");
  let config: Config;
  try {
    const env = readEnvVars(CONFIG_VARIABLES);
    config = passedOn ? JSON.parse(passedOn) : parseConfig(args, env);
    if (!config.help) enterFolder(config, sourceOf("chdir", args, env));
    if (!config.help && !passedOn) {
      checkPaths(config, args, env);
      await checkHostname(config.hostname, sourceOf("hostname", args, env));
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
      // Announced below, once the signals are handled: whoever reads the URL may signal at once.
      onListen() {},
      handleSignals: false,
    });
  } catch (error) {
    console.error(
      `edge-wsgi: cannot listen on ${config.hostname}:${config.port}: ${(error as Error).message}`,
    );
    return process.exit(1);
  }

  // Listen for the signals before announcing the URL: whoever reads it may signal at once.
  exitGracefullyOnSignal(() => server.shutdown(), {
    timeoutSeconds: config.gracefulTimeout,
    onSignal: (signal) =>
      supervised || info(`${signal}: finishing the requests in flight, then stopping`),
    onTimeout: (seconds) => errorLog(`Requests still in flight after ${seconds} s were cut short`),
  });
  console.log(`edge-wsgi listening on ${server.url}`);
}
