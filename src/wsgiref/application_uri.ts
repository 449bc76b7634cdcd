/**
 * `applicationUri()`: the app's base URL, as Python's `wsgiref.util.application_uri` builds it.
 *
 * @module
 */

import type { Environ } from "../core/types.ts";
import { quoteLatin1 } from "./_quote.ts";
import { DEFAULT_PORTS } from "../core/address.ts";

/**
 * Builds the URL the app is mounted at: scheme, host, and `SCRIPT_NAME` (or `/`), without
 * `PATH_INFO` or the query.
 *
 * The host is `HTTP_HOST` when it is set, else `SERVER_NAME` with `:SERVER_PORT` unless the
 * port is the scheme's default. `SCRIPT_NAME` is percent-encoded byte by byte (its latin-1
 * characters are bytes), leaving `/` as it is. `HTTP_HOST` is used as sent: do not trust it
 * for anything security-sensitive.
 *
 * @param environ The request environment
 * @returns For example `"http://127.0.0.1/app"`
 * @throws {TypeError} When `wsgi.url_scheme` or the host keys are missing, or `SCRIPT_NAME`
 * has a character above U+00FF
 * @example
 * ```ts
 * import { applicationUri, testEnviron } from "./mod.ts";
 * applicationUri(testEnviron({ SCRIPT_NAME: "/sp\u00e4m" })); // "http://127.0.0.1/sp%E4m"
 * applicationUri(testEnviron({ HTTP_HOST: "", SERVER_PORT: "8000" })); // "http://127.0.0.1:8000/"
 * ```
 */
export function applicationUri(environ: Environ): string {
  const scheme = required(environ, "wsgi.url_scheme");
  let url = scheme + "://";
  const host = environ.HTTP_HOST;
  if (typeof host === "string" && host !== "") {
    url += host;
  } else {
    url += required(environ, "SERVER_NAME");
    const port = required(environ, "SERVER_PORT");
    if (port !== DEFAULT_PORTS[scheme === "https" ? "https" : "http"]) url += ":" + port;
  }
  const scriptName = environ.SCRIPT_NAME;
  return url +
    quoteLatin1(
      typeof scriptName === "string" && scriptName !== "" ? scriptName : "/",
      "/",
      "SCRIPT_NAME",
    );
}

function required(environ: Environ, key: string): string {
  const value = environ?.[key];
  if (typeof value !== "string") {
    throw new TypeError(
      `The environ must have a string ${key}, not ${value === null ? "null" : typeof value}`,
    );
  }
  return value;
}
