/**
 * WSGI apps loaded from modules: one named by its path (`--mount /api=./api.ts`), or any of a
 * folder's (`--apps DIR`), imported on first request.
 *
 * @module
 */

import { pathToFileURL } from "node:url";
import { join, resolve } from "./path.ts";
import { statPath } from "./runtime/file_system.ts";
import type { WsgiApp } from "./types.ts";

/**
 * A WSGI app that imports `path` on its first request and then hands every request to the
 * module's `application` export (or its default export). A module that cannot be loaded, or
 * exports no app, fails that request with a 500 whose cause goes to the error log; the next
 * request tries again, so a fixed module is picked up without a restart.
 *
 * @param path The module's path, relative to the working directory
 */
export function moduleApp(path: string): WsgiApp {
  const url = pathToFileURL(resolve(path)).href;
  let loaded: WsgiApp | undefined;
  return async function lazyModule(environ, startResponse) {
    if (!loaded) {
      const module = await import(url).catch((error) => {
        throw new Error(`Cannot load the app module ${path}: ${(error as Error).message}`, {
          cause: error,
        });
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
const EXTENSIONS = [".ts", ".js"];

/**
 * Finds the module of the app `name` in `dir` (`name.ts`, then `name.js`): its path, or `null`
 * when there is none. Names are letters, digits, `_` and `-` only, so no request can name a
 * file outside the folder.
 */
export async function findAppModule(dir: string, name: string): Promise<string | null> {
  if (!APP_NAME.test(name)) return null;
  for (const extension of EXTENSIONS) {
    const path = join(resolve(dir), name + extension);
    if ((await statPath(path))?.isFile) return path;
  }
  return null;
}
