/**
 * The paths the command line names, checked before the server starts: a `--root` or `--apps`
 * that is not a folder, or a `--mount` module that is not a file, is a bad value like any other
 * (one line, exit code 2), not a server that answers 404 or 500 to everything later.
 *
 * @module
 */

import { statSync } from "node:fs";
import process from "node:process";
import { join, resolve } from "../../base/path.ts";
import { isPythonTarget, parsePythonTarget } from "../../python/python_target.ts";
import { type Config, UsageError } from "./options.ts";
import { sourceOf } from "./parse_config.ts";

// A module may name the callable in it after a colon (`app.py:application`, as gunicorn takes
// it): the file is the part before.
const CALLABLE_SUFFIX = /^(.+):[A-Za-z_][\w.]*$/;

/**
 * Checks that `--root` and `--apps` name folders and every `--mount` a file, or for a dotted
 * Python module (`mysite.wsgi`), that its package is in the working folder or `--python-path`.
 *
 * @param config The parsed configuration
 * @param args The command line, to name the option (`--root`) or variable (`ROOT`) it came from
 * @param env The environment, likewise
 * @throws {UsageError} Naming the option and the path, on the first path that does not fit
 * @example
 * ```ts
 * import { checkPaths } from "./check_paths.ts";
 * import { parseConfig } from "./parse_config.ts";
 * const args = ["--root", "/nonexistent"];
 * checkPaths(parseConfig(args, {}), args, {}); // throws: --root must name a folder; "/nonexistent" does not exist
 * ```
 */
export function checkPaths(
  config: Config,
  args: string[],
  env: Record<string, string | undefined>,
): void {
  if (config.root !== null) expectKind(config.root, "folder", sourceOf("root", args, env));
  if (config.apps !== null) expectKind(config.apps, "folder", sourceOf("apps", args, env));
  const mountLabel = sourceOf("mount", args, env);
  for (const [prefix, module] of config.mounts) {
    const target = isPythonTarget(module) ? parsePythonTarget(module) : undefined;
    if (target && "module" in target) {
      expectModule(target.module, config.pythonPath, `${mountLabel} ${prefix}`);
      continue;
    }
    const file = kindOf(module) === null ? CALLABLE_SUFFIX.exec(module)?.[1] ?? module : module;
    expectKind(file, "file", `${mountLabel} ${prefix}`);
  }
}

/**
 * Makes `--chdir` the working folder, as gunicorn does before it loads apps, and keeps it as
 * an absolute path (so workers, which start in it, enter the same folder).
 *
 * @param config The parsed configuration; its `chdir` becomes absolute
 * @param label The option or variable `chdir` came from, for the error
 * @throws {UsageError} When the folder does not exist or is not a folder
 * @example
 * ```ts ignore
 * enterFolder({ ...config, chdir: "mysite" }, "--chdir"); // process.cwd() ends in /mysite
 * ```
 */
export function enterFolder(config: Config, label: string): void {
  if (config.chdir === null) return;
  config.chdir = resolve(config.chdir);
  expectKind(config.chdir, "folder", label);
  process.chdir(config.chdir);
}

// A dotted module's top-level package or module must be in the working folder or a
// --python-path folder: where the interpreter will look (besides the standard library).
function expectModule(module: string, pythonPath: string[], label: string): void {
  const top = module.split(".")[0];
  for (const folder of [process.cwd(), ...pythonPath]) {
    if (kindOf(join(resolve(folder), top)) === "folder") return;
    if (kindOf(join(resolve(folder), `${top}.py`)) === "file") return;
  }
  throw new UsageError(
    `${label} names the Python module ${JSON.stringify(module)}, but neither ${top}/ nor ` +
      `${top}.py is in ${process.cwd()} (see --chdir) or a --python-path folder`,
  );
}

function expectKind(path: string, kind: "file" | "folder", label: string): void {
  const found = kindOf(path);
  if (found === kind) return;
  const what = kind === "file" ? "a module file" : "a folder";
  const why = found === null ? "does not exist" : `is a ${found}`;
  throw new UsageError(`${label} must name ${what}; ${JSON.stringify(path)} ${why}`);
}

function kindOf(path: string): "file" | "folder" | null {
  try {
    const stat = statSync(path);
    return stat.isDirectory() ? "folder" : "file";
  } catch {
    return null;
  }
}
