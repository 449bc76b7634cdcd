/**
 * Splits a request's URL into `PATH_INFO` and `QUERY_STRING` as PEP 3333 servers fill them.
 *
 * @module
 */

import { percentDecodeToLatin1, utf8ToLatin1 } from "./latin1.ts";

/** The path and query of a request as WSGI sees them. */
export interface RequestTarget {
  /** The path, percent-decoded once at the byte level into latin-1 characters. */
  path: string;
  /**
   * Everything after the first `?`, raw (never percent-decoded); `""` when there is none. Bytes
   * a client sent unencoded are latin-1 characters, as in Python's servers.
   */
  query: string;
}

// A dot segment (`.`, `..`, `%2e`…), a backslash or a non-ASCII character:
// the cases where the URL standard's path parser changes the path.
// deno-lint-ignore no-control-regex
const NEEDS_URL_PARSER = /(?:^|\/)(?:\.|%2e)|\\|[^\x00-\x7f]/i;
const SLASH = 47;

/**
 * Resolves the dot segments of a request URL's path by the URL standard's rules
 * (`/a/%2e%2e/b` is `/b`), leaving the query raw and dropping any fragment.
 *
 * Bun does this before the request reaches us and Deno does not, so doing it here gives apps
 * (and routing) the same path on both. `%2F` is not decoded, so it never acts as a separator.
 * Returns `url` itself when there is nothing to change.
 */
export function resolveDotSegments(url: string): string {
  // A fragment is never part of the request target; drop one a client sent by mistake.
  const hashAt = url.indexOf("#");
  if (hashAt !== -1) url = url.slice(0, hashAt);
  const { pathStart, queryStart } = locate(url);
  const rawPath = url.slice(pathStart, queryStart);
  if (rawPath === "") return url.slice(0, pathStart) + "/" + url.slice(queryStart);
  if (!NEEDS_URL_PARSER.test(rawPath)) return url;
  // Parsed under a placeholder origin: the path's dot segments resolve the same whatever the
  // request's host, and a host the URL parser refuses (`Host: a b`) cannot make it throw.
  const resolved = new URL(PLACEHOLDER_ORIGIN + rawPath).pathname;
  return url.slice(0, pathStart) + resolved + url.slice(queryStart);
}

const PLACEHOLDER_ORIGIN = "http://h";

/**
 * Reads the path and query from `request.url`: dot segments resolved (see
 * {@linkcode resolveDotSegments}), then the path percent-decoded once into latin-1 characters.
 */
export function splitRequestTarget(url: string): RequestTarget {
  const plain = plainTarget(url);
  if (plain !== undefined) return plain;
  const { pathStart, queryStart } = locate(url);
  const rawPath = url.slice(pathStart, queryStart);
  if (rawPath !== "" && !NEEDS_URL_PARSER.test(rawPath) && !url.includes("#", pathStart)) {
    return { path: percentDecodeToLatin1(rawPath), query: rawQuery(url, queryStart) };
  }
  const resolved = resolveDotSegments(url);
  const parts = locate(resolved);
  return {
    path: percentDecodeToLatin1(resolved.slice(parts.pathStart, parts.queryStart)),
    query: rawQuery(resolved, parts.queryStart),
  };
}

// The common case, in one look at each character after the host: a path that starts with "/",
// holds no "%", "\\", dot segment or non-ASCII character, and a query that is ASCII, without a
// fragment. Such a target is its own PATH_INFO and QUERY_STRING; anything else is `undefined`,
// for the general path above.
function plainTarget(url: string): RequestTarget | undefined {
  let i = url.charCodeAt(0) === SLASH ? 0 : url.indexOf("//") + 2;
  // The authority: up to the path's "/", which must come before any "?" or "#".
  for (;; i++) {
    if (i >= url.length) return undefined;
    const code = url.charCodeAt(i);
    if (code === SLASH) break;
    if (code === QUESTION || code === HASH) return undefined;
  }
  const pathStart = i;
  let queryStart = -1;
  let previous = 0;
  for (; i < url.length; i++) {
    const code = url.charCodeAt(i);
    if (code > 0x7f || code === HASH) return undefined;
    if (queryStart !== -1) continue;
    if (code === QUESTION) queryStart = i;
    else if (code === PERCENT || code === BACKSLASH || (code === DOT && previous === SLASH)) {
      return undefined;
    }
    previous = code;
  }
  return queryStart === -1
    ? { path: url.slice(pathStart), query: "" }
    : { path: url.slice(pathStart, queryStart), query: url.slice(queryStart + 1) };
}

const QUESTION = 63;
const HASH = 35;
const PERCENT = 37;
const BACKSLASH = 92;
const DOT = 46;

// PEP 3333 and CGI: QUERY_STRING is the bytes of the request line. Deno hands over unencoded
// UTF-8 there as text, so those characters go back to their bytes (Bun percent-encodes them).
function rawQuery(url: string, queryStart: number): string {
  return utf8ToLatin1(url.slice(queryStart + 1));
}

// Where the path starts (after the authority) and where the query's `?` is (or the end). Bun
// gives a bare path (`/a?b`) for a request with an empty or no Host header: no authority then.
function locate(url: string): { pathStart: number; queryStart: number } {
  // Two native searches rather than a loop over the authority's characters.
  const authorityStart = url.charCodeAt(0) === SLASH ? 0 : url.indexOf("//") + 2;
  const slashAt = url.indexOf("/", authorityStart);
  const queryAt = url.indexOf("?", authorityStart);
  if (queryAt === -1) {
    return { pathStart: slashAt === -1 ? url.length : slashAt, queryStart: url.length };
  }
  const pathStart = slashAt === -1 || queryAt < slashAt ? queryAt : slashAt;
  return { pathStart, queryStart: queryAt };
}

/** The request target of a URL, path and query, as a request line has it (for logs). */
export function requestTarget(url: string): string {
  if (url.charCodeAt(0) === SLASH) return url;
  const pathStart = url.indexOf("/", url.indexOf("//") + 2);
  return pathStart === -1 ? "/" : url.slice(pathStart);
}
