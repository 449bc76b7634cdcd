/**
 * `dispatcher()`: several WSGI apps under one, chosen by path prefix, as werkzeug's
 * `DispatcherMiddleware`.
 *
 * @module
 */

import type { WsgiApp } from "../core/types.ts";

/**
 * Combines apps mounted at path prefixes into one app. The longest prefix that matches whole
 * segments of `PATH_INFO` wins (`/api` matches `/api` and `/api/x`, never `/apix`); the prefix
 * moves from `PATH_INFO` to the end of `SCRIPT_NAME`, so the mounted app sees its own paths and
 * can still build full URLs. Requests that match no prefix go to `fallback` unchanged.
 *
 * Prefixes are written as `PATH_INFO` spells paths: percent-decoded, with characters above
 * U+007F as latin-1 bytes. A trailing `/` is ignored. The environ is changed in place, as
 * werkzeug does.
 *
 * @param apps The apps, keyed by mount prefix (`"/api"`, `"/api/v2"`)
 * @param fallback The app for every other path; defaults to a plain-text 404
 * @returns The combined app
 * @throws {TypeError} When a prefix does not start with `/`, is `/` alone (use `fallback`),
 * appears twice, or its app is not a function
 * @example
 * ```ts
 * import { dispatcher, toFetchHandler, type WsgiApp } from "./mod.ts";
 * const where: WsgiApp = (environ, startResponse) => {
 *   startResponse("200 OK", [["Content-Type", "text/plain"]]);
 *   return [`${environ.SCRIPT_NAME} ${environ.PATH_INFO}\n`];
 * };
 * const app = dispatcher({ "/api": where, "/api/v2": where }, where);
 * const response = await toFetchHandler(app)(new Request("http://localhost/api/v2/users"));
 * await response.text(); // "/api/v2 /users\n"
 * ```
 */
export function dispatcher(apps: Record<string, WsgiApp>, fallback?: WsgiApp): WsgiApp {
  if (apps === null || typeof apps !== "object") {
    throw new TypeError(
      `The apps must be an object of prefix: app, not ${apps === null ? "null" : typeof apps}`,
    );
  }
  if (fallback !== undefined && typeof fallback !== "function") {
    throw new TypeError(`The fallback must be a WSGI app function, not ${typeof fallback}`);
  }
  const mounts = new Map<string, WsgiApp>();
  for (const [key, app] of Object.entries(apps)) {
    const prefix = key.replace(/\/+$/, "");
    if (!key.startsWith("/") || prefix === "") {
      throw new TypeError(
        `A mount prefix must start with "/" and not be "/" alone (use the fallback), not ${
          JSON.stringify(key)
        }`,
      );
    }
    if (mounts.has(prefix)) {
      throw new TypeError(`Mount prefix ${JSON.stringify(key)} is given twice`);
    }
    if (typeof app !== "function") {
      throw new TypeError(
        `The app at ${JSON.stringify(key)} must be a function, not ${typeof app}`,
      );
    }
    mounts.set(prefix, app);
  }
  const other = fallback ?? notFound;

  return function dispatch(environ, startResponse) {
    const path = typeof environ.PATH_INFO === "string" ? environ.PATH_INFO : "";
    // Try the whole path, then cut one segment at a time from the end: the longest prefix wins.
    let script = path;
    while (script.includes("/")) {
      const app = mounts.get(script);
      if (app) {
        environ.SCRIPT_NAME = (environ.SCRIPT_NAME ?? "") + script;
        environ.PATH_INFO = path.slice(script.length);
        return app(environ, startResponse);
      }
      script = script.slice(0, script.lastIndexOf("/"));
    }
    return other(environ, startResponse);
  };
}

const notFound: WsgiApp = function notFound(_environ, startResponse) {
  startResponse("404 Not Found", [["Content-Type", "text/plain; charset=utf-8"]]);
  return [new TextEncoder().encode("Not Found\n")];
};
