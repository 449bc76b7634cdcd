/**
 * The command line: `deno run -A mod.ts [options]` or `bun run mod.ts [options]`.
 *
 * One program, four parts: the arbiter (the process a user starts), its workers (the same
 * program, started by the arbiter with `EDGE_WSGI_CONFIG` and an IPC channel), `--reload`'s
 * watch mode, and the whole server in one process where no worker can be started. Each part
 * loads only its own modules: the arbiter never loads the site.
 *
 * @module
 */

import process from "node:process";
import { readEnv, readEnvVars } from "./env.ts";
import { type Config, UsageError } from "./options.ts";
import { checkPaths, enterFolder } from "./check_paths.ts";
import { checkHostname } from "./check_hostname.ts";
import { CONFIG_VARIABLES, helpText, parseConfig, sourceOf } from "./parse_config.ts";
import { currentRuntime } from "../../runtime/mod.ts";
import { fromFileUrl } from "../../base/path.ts";

const MOD_TS = fromFileUrl(new URL("../../../mod.ts", import.meta.url));

/**
 * Starts the server the command line and environment describe; it runs until SIGINT or SIGTERM,
 * then finishes the requests in flight and exits.
 *
 * @param args The command line's arguments
 * @example
 * ```ts ignore
 * import { main } from "./main.ts";
 * await main(["--port", "8080", "--workers", "2"]);
 * ```
 */
export async function main(args: string[] = process.argv.slice(2)): Promise<void> {
  // Every read goes through readEnv: without --allow-env, Deno throws even for unset names.
  const passedOn = readEnv("EDGE_WSGI_CONFIG");
  let config: Config;
  let env: Record<string, string>;
  try {
    env = readEnvVars(CONFIG_VARIABLES);
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
  if (passedOn) {
    // Started by the arbiter (with an IPC channel), or by --reload's watch mode (without).
    const { serveAsWorker, serveInProcess } = await import("./worker.ts");
    return process.send ? serveAsWorker(config) : serveInProcess(config, "");
  }
  if (config.reload) {
    const { superviseReload } = await import("./reload.ts");
    return process.exit(await superviseReload(config, args));
  }
  // Deno Deploy starts, scales and restarts instances itself, and runs no subprocess.
  const command = env.DENO_DEPLOY === "true"
    ? undefined
    : currentRuntime().processCommand(MOD_TS, { lowMemory: config.lowMemory });
  if (!command) {
    if (config.workers > 1) {
      console.error(
        `edge-wsgi: --workers ${config.workers} starts each worker with every permission ` +
          "(deno run -A): run with -A too",
      );
      return process.exit(2);
    }
    const { serveInProcess } = await import("./worker.ts");
    return serveInProcess(
      config,
      env.DENO_DEPLOY === "true" ? "" : "Without every permission (-A) no worker can be started",
    );
  }
  const { runArbiter } = await import("./arbiter.ts");
  process.exit(await runArbiter(config, command));
}
