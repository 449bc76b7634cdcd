/**
 * The environ keys of the request headers most requests carry.
 *
 * @module
 */

/**
 * Header name (as the Fetch `Headers` gives it, lower case) to its environ key, for the names
 * most requests carry: worked out once, a lookup costs less than upper-casing and replacing on
 * every request. Read-only: it is never changed after it is built.
 *
 * @example
 * ```ts
 * import { COMMON_KEYS } from "./header_keys.ts";
 * COMMON_KEYS.get("user-agent"); // "HTTP_USER_AGENT"
 * ```
 */
export const COMMON_KEYS: ReadonlyMap<string, string> = new Map(
  [
    "host",
    "user-agent",
    "accept",
    "accept-encoding",
    "accept-language",
    "connection",
    "cookie",
    "referer",
    "origin",
    "cache-control",
    "pragma",
    "upgrade-insecure-requests",
    "if-none-match",
    "if-modified-since",
    "x-forwarded-for",
    "x-forwarded-proto",
    "x-forwarded-host",
    "x-requested-with",
    "sec-fetch-site",
    "sec-fetch-mode",
    "sec-fetch-dest",
    "sec-fetch-user",
    "sec-ch-ua",
    "sec-ch-ua-mobile",
    "sec-ch-ua-platform",
    "priority",
    "dnt",
    "authorization",
  ].map((name) => [name, "HTTP_" + name.toUpperCase().replaceAll("-", "_")]),
);
