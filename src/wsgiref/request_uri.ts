/**
 * `requestUri()`: the full URL of a request, as Python's `wsgiref.util.request_uri` builds it.
 *
 * @module
 */

import type { Environ } from "../core/types.ts";
import { quoteLatin1 } from "./_quote.ts";
import { applicationUri } from "./application_uri.ts";

/**
 * Rebuilds the URL the client asked for: {@linkcode applicationUri} followed by `PATH_INFO`,
 * percent-encoded byte by byte with `/;=,` left as they are, and `?QUERY_STRING` when there is
 * a query and `includeQuery` is true. The query is already raw, so it is not encoded again.
 *
 * @param environ The request environment
 * @param includeQuery Whether to add `?QUERY_STRING`; defaults to `true`
 * @returns For example `"http://127.0.0.1/spammity/sp%E4m?say=ni"`
 * @throws {TypeError} When the host keys are missing, or a path has a character above U+00FF
 * @example
 * ```ts
 * import { requestUri, testEnviron } from "./mod.ts";
 * const environ = testEnviron({ SCRIPT_NAME: "/app", PATH_INFO: "/caf\u00c3\u00a9", QUERY_STRING: "q=1" });
 * requestUri(environ); // "http://127.0.0.1/app/caf%C3%A9?q=1"
 * requestUri(environ, false); // "http://127.0.0.1/app/caf%C3%A9"
 * ```
 */
export function requestUri(environ: Environ, includeQuery = true): string {
  let url = applicationUri(environ);
  const rawPath = environ.PATH_INFO;
  const pathInfo = quoteLatin1(typeof rawPath === "string" ? rawPath : "", "/;=,", "PATH_INFO");
  // applicationUri() ended with the "/" that SCRIPT_NAME "" stands for.
  url += environ.SCRIPT_NAME ? pathInfo : pathInfo.slice(1);
  const query = environ.QUERY_STRING;
  if (includeQuery && typeof query === "string" && query !== "") url += "?" + query;
  return url;
}
