/**
 * Splits a request's URL into `PATH_INFO` and `QUERY_STRING` as PEP 3333 servers fill them.
 *
 * @module
 */

import { percentDecodeToLatin1 } from "./latin1.ts";

/** The path and query of a request as WSGI sees them. */
export interface RequestTarget {
  /** The path, percent-decoded once at the byte level into latin-1 characters. */
  path: string;
  /** Everything after the first `?`, raw; `""` when there is none. */
  query: string;
}

// A dot segment (`.`, `..`, `%2e`…), a backslash or a non-ASCII character:
// the cases where the URL standard's path parser changes the path.
// deno-lint-ignore no-control-regex
const NEEDS_URL_PARSER = /(?:^|\/)(?:\.|%2e)|\\|[^\x00-\x7f]/i;

/**
 * Reads the path and query from `request.url`.
 *
 * Dot segments are resolved by the URL standard's rules before decoding (`/a/%2e%2e/b` is
 * `/b`). Bun does this before the request reaches us and Deno does not, so doing it here
 * gives apps the same `PATH_INFO` on both. `%2F` is decoded after that step, so it never
 * acts as a separator.
 */
export function splitRequestTarget(url: string): RequestTarget {
  // A fragment is never part of the request target; drop one a client sent by mistake.
  const hashAt = url.indexOf("#");
  if (hashAt !== -1) url = url.slice(0, hashAt);
  const pathStart = url.indexOf("/", url.indexOf("//") + 2);
  if (pathStart === -1) return { path: "/", query: "" };
  const queryStart = url.indexOf("?", pathStart);
  let rawPath = queryStart === -1 ? url.slice(pathStart) : url.slice(pathStart, queryStart);
  const query = queryStart === -1 ? "" : url.slice(queryStart + 1);
  if (NEEDS_URL_PARSER.test(rawPath)) rawPath = new URL(url).pathname;
  return { path: percentDecodeToLatin1(rawPath), query };
}
