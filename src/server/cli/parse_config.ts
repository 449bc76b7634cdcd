/**
 * Reading the command line and the environment into a {@linkcode Config}, and `--help`.
 *
 * @module
 */

import { type Config, defaultConfig, OPTIONS, UsageError } from "./options.ts";

/**
 * Every environment variable {@linkcode parseConfig} reads: the options' own, and `DENO_DEPLOY`,
 * which Deno Deploy sets to `true` in every app it runs.
 */
export const CONFIG_VARIABLES: readonly string[] = [
  ...OPTIONS.map((option) => option.env).filter(Boolean),
  "DENO_DEPLOY",
];

/**
 * Reads the configuration from the environment, then the command line (which wins).
 *
 * @throws {UsageError} On an unknown option, a missing or bad value, or a stray argument
 */
export function parseConfig(args: string[], env: Record<string, string | undefined>): Config {
  const config = defaultConfig();
  for (const option of OPTIONS) {
    const value = option.env ? env[option.env] : undefined;
    if (value !== undefined && value !== "") option.apply(config, value, option.env);
  }
  const fromArgs: Config = { ...config, mounts: [], pythonPath: [] };
  for (let i = 0; i < args.length; i++) {
    // -h is the one short option: what a user types first (as for gunicorn and uwsgi).
    const arg = args[i] === "-h" ? "--help" : args[i];
    if (!arg.startsWith("--")) {
      throw new UsageError(`Unexpected argument ${JSON.stringify(arg)}; see --help`);
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const negated = !OPTIONS.some((o) => o.name === name) && name.startsWith("no-");
    const option = OPTIONS.find((o) => o.name === (negated ? name.slice(3) : name));
    if (!option || (negated && option.value)) {
      throw new UsageError(`Unknown option --${name}; see --help`);
    }
    let value: string;
    if (!option.value) {
      if (eq !== -1) value = arg.slice(eq + 1);
      else value = negated ? "false" : "true";
    } else if (eq !== -1) value = arg.slice(eq + 1);
    else if (i + 1 < args.length) value = args[++i];
    else throw new UsageError(`--${name} needs a value (${option.value})`);
    option.apply(fromArgs, value, `--${option.name}`);
  }
  // Mounts from the command line replace those from MOUNTS.
  if (fromArgs.mounts.length === 0) fromArgs.mounts = config.mounts;
  // So do --python-path folders those of PYTHONPATH.
  if (fromArgs.pythonPath.length === 0) fromArgs.pythonPath = config.pythonPath;
  if (fromArgs.reload && fromArgs.workers > 1) {
    throw new UsageError("--reload runs one process; leave out --workers");
  }
  // Deno Deploy runs one process per instance and starts, scales and restarts instances
  // itself, with no runtime flags: a second process or a file watcher cannot run there.
  if (env.DENO_DEPLOY === "true" && (fromArgs.workers > 1 || fromArgs.reload)) {
    throw new UsageError(
      `${fromArgs.reload ? "--reload" : "--workers"} cannot run on Deno Deploy (DENO_DEPLOY is ` +
        "set), which starts and scales instances itself",
    );
  }
  return fromArgs;
}

/**
 * Where an option's value came from, for messages: `--name` when the command line gives it
 * (it wins), else its variable when that is set, else `--name` (the default).
 *
 * @example
 * ```ts
 * import { sourceOf } from "./parse_config.ts";
 * sourceOf("hostname", [], { HOSTNAME: "box" }); // "HOSTNAME"
 * ```
 */
export function sourceOf(
  name: string,
  args: string[],
  env: Record<string, string | undefined>,
): string {
  const flag = `--${name}`;
  if (args.some((arg) => arg === flag || arg.startsWith(`${flag}=`))) return flag;
  const variable = OPTIONS.find((option) => option.name === name)?.env;
  return variable && env[variable] ? variable : flag;
}

/** The text of --help. */
export function helpText(): string {
  const lines = [
    "edge-wsgi: WSGI-style apps and static files on Deno and Bun",
    "",
    "Usage: deno run -A mod.ts [options]    bun run mod.ts [options]",
    "",
    "Options (each also from the environment variable shown; the command line wins):",
  ];
  for (const option of OPTIONS) {
    const left = `  --${option.name}${option.value ? ` ${option.value}` : ""}`;
    lines.push(left);
    lines.push(`      ${option.help}`);
    const details = [
      option.env ? `env ${option.env}` : "",
      option.defaultText ? `default: ${option.defaultText}` : "",
    ]
      .filter(Boolean).join("; ");
    if (details) lines.push(`      (${details})`);
  }
  return lines.join("\n") + "\n";
}
