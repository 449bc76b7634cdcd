/**
 * WSGI apps loaded from modules: one named by its path (`--mount /api=./api.ts`), or any of a
 * folder's (`--apps DIR`), imported on first request.
 *
 * @module
 */

import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { join, resolve } from "../base/path.ts";
import { statPath } from "../runtime/file_system.ts";
import type { WsgiApp } from "../core/types.ts";

/**
 * A WSGI app that imports `path` on its first request and then hands every request to the
 * module's `application` export (or its default export). A module that cannot be loaded, or
 * exports no app, fails that request with a 500 whose cause goes to the error log; the next
 * request tries again, so a fixed module is picked up without a restart.
 *
 * @param path The module's path, relative to the working directory
 */
export function moduleApp(path: string): WsgiApp {
  const file = resolve(path);
  const url = pathToFileURL(file).href;
  let loaded: WsgiApp | undefined;
  let attempts = 0;
  return async function lazyModule(environ, startResponse) {
    if (!loaded) {
      // The runtimes keep the outcome of import() per module, failures included. To read a
      // module fixed on disk, a retry asks Deno for a new URL (it keys modules by URL, query
      // included) and drops the module from Bun's registry (which ignores the query).
      if (attempts > 0) delete createRequire(import.meta.url).cache[file];
      const specifier = attempts++ === 0 ? url : `${url}?attempt=${attempts}`;
      const module = await import(specifier).catch((error) => {
        // The retry's query is ours, not the user's: their file's URL is what the log names.
        const message = String((error as Error)?.message ?? error).replaceAll(specifier, url);
        throw new Error(`Cannot load the app module ${path}: ${message}`, { cause: error });
      });
      const app = module.application ?? module.default;
      if (typeof app !== "function") {
        throw new TypeError(
          `The module ${path} exports no WSGI app: export \`application\` or a default function`,
        );
      }
      loaded = app as WsgiApp;
    }
    return loaded(environ, startResponse);
  };
}

const APP_NAME = /^[A-Za-z0-9_-]+$/;
const EXTENSIONS = [".ts", ".js", ".py"];
const PYTHON = [".py"];

/**
 * Finds the module of the app `name` in `dir` (`name.ts`, then `name.js`, then `name.py`; for
 * `name.py`, as seed 002's server is asked, only that file): its path, or `null` when there is
 * none. Names are letters, digits, `_` and `-` only, so no request can name a file outside
 * the folder.
 */
export async function findAppModule(dir: string, name: string): Promise<string | null> {
  const python = name.endsWith(".py");
  const stem = python ? name.slice(0, -3) : name;
  if (!APP_NAME.test(stem)) return null;
  for (const extension of python ? PYTHON : EXTENSIONS) {
    const path = join(resolve(dir), stem + extension);
    if ((await statPath(path))?.isFile) return path;
  }
  return null;
}
