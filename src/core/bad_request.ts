/**
 * Requests no server should act on: a `Host` header, or the host of an absolute-form request
 * target, that is not a host. They get a 400, as nginx answers, and one line in the error log,
 * before any routing or app sees them.
 *
 * @module
 */

import { requestTarget } from "./request_target.ts";
import type { Logger } from "./types.ts";
import { noteBodyLength } from "./body_length.ts";

// The hosts nearly every request carries, checked without the URL parser: a name whose last
// label starts with a letter (so the URL standard never reads it as an IPv4 number), or a
// dotted IPv4 address, with an optional port.
const NAME = /^(?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*\.?(?::(\d{1,5}))?$/i;
const IPV4 =
  /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?::(\d{1,5}))?$/;
// RFC 3986 §3.2.2: never part of a host. The URL standard would take them as the start of the
// path, query or fragment, or as userinfo, so `Host: x/y` would move `/y` into every path.
const NEVER_IN_HOST = /[/?#@\\\s]/;
const SLASH = 47;

/**
 * Why a request is malformed in a way the runtime let through, or `undefined` when it is not.
 * Checks the `Host` header and, when the runtime took the URL's host from an absolute-form
 * request target (`GET http://x:99999/ HTTP/1.1`), that host too.
 *
 * @param request The request as the runtime handed it over
 * @returns A sentence for the error log, quoting the bad value, or `undefined`
 * @example
 * ```ts
 * import { requestProblem } from "./bad_request.ts";
 * const request = new Request("http://x/", { headers: { Host: "a b" } });
 * requestProblem(request); // 'the Host header "a b" is not a valid host'
 * ```
 */
export function requestProblem(request: Request): string | undefined {
  return hostProblem(request.url, request.headers.get("host"));
}

/**
 * {@linkcode requestProblem} for a request's URL and `Host` header, for a caller that has read
 * the header already (the WSGI handler has, as `HTTP_HOST`).
 *
 * @example
 * ```ts
 * import { hostProblem } from "./bad_request.ts";
 * hostProblem("http://x/y/a", "x/y"); // 'the Host header "x/y" is not a valid host'
 * ```
 */
export function hostProblem(url: string, host: string | null | undefined): string | undefined {
  if (host && !isValidHost(host)) {
    return `the Host header ${JSON.stringify(host)} is not a valid host`;
  }
  // Bun gives a bare path when the Host header is empty or missing (HTTP/1.0): nothing to check.
  if (url.charCodeAt(0) === SLASH) return undefined;
  // The common case, at the cost of a comparison: the URL's host is the Host header just checked.
  if (host && hasAuthority(url, host)) return undefined;
  const start = url.indexOf("//") + 2;
  let end = start;
  while (end < url.length && url[end] !== "/" && url[end] !== "?" && url[end] !== "#") end++;
  const authority = url.slice(start, end);
  if (isValidHost(authority)) return undefined;
  return `the request target's host ${JSON.stringify(authority)} is not a valid host`;
}

// Whether the URL's authority is exactly `host`.
function hasAuthority(url: string, host: string): boolean {
  const start = url.indexOf("//") + 2;
  if (!url.startsWith(host, start)) return false;
  const next = url[start + host.length];
  return next === undefined || next === "/" || next === "?";
}

/**
 * Whether `value` is a `host[:port]` as RFC 3986 §3.2.2 and the URL standard both accept it: a
 * name, an IPv4 address or a bracketed IPv6 address, and a port up to 65535.
 *
 * @example
 * ```ts
 * import { isValidHost } from "./bad_request.ts";
 * isValidHost("example.com:8000"); // true
 * isValidHost("[::1"); // false
 * ```
 */
export function isValidHost(value: string): boolean {
  const plain = NAME.exec(value) ?? IPV4.exec(value);
  if (plain) return plain[1] === undefined || Number(plain[1]) <= 65535;
  if (value === "" || NEVER_IN_HOST.test(value)) return false;
  try {
    new URL(`http://${value}/`);
    return true;
  } catch {
    return false;
  }
}

/**
 * A {@linkcode hostProblem} that remembers the last few hosts it found valid, for one handler:
 * a server sees the same few Host values again and again, and a string comparison is cheaper
 * than checking one.
 *
 * @example
 * ```ts
 * import { createHostCheck } from "./bad_request.ts";
 * const check = createHostCheck();
 * check("http://x:8000/", "x:8000"); // undefined: nothing wrong
 * ```
 */
export function createHostCheck(): (
  url: string,
  host: string | null | undefined,
) => string | undefined {
  const known = new Set<string>();
  return function checkHost(url, host) {
    if (host && known.has(host) && hasAuthority(url, host)) return undefined;
    const problem = hostProblem(url, host);
    if (problem === undefined && host) {
      if (known.size >= KNOWN_HOSTS) known.clear();
      known.add(host);
    }
    return problem;
  };
}

const KNOWN_HOSTS = 16;
const BAD_REQUEST = "400 Bad Request\n";

/**
 * The 400 for a malformed request, after one line in the error log naming the request and
 * the problem. The body says no more than the status: the detail is the log's.
 *
 * @param problem What {@linkcode requestProblem} found
 * @param request The request, for the log line
 * @param logger The error log
 * @example
 * ```ts
 * import { badRequest } from "./bad_request.ts";
 * const request = new Request("http://x/", { headers: { Host: "a b" } });
 * const response = badRequest("the Host header is not a valid host", request, console.error);
 * response.status; // 400
 * ```
 */
export function badRequest(problem: string, request: Request, logger: Logger): Response {
  logger(`Bad request ${request.method} ${targetOf(request)}: ${problem}`);
  const response = new Response(BAD_REQUEST, {
    status: 400,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Connection": "close" },
  });
  return noteBodyLength(response, BAD_REQUEST.length);
}

// The request target for the log. Deno builds the URL as "http://" + Host + target, so a Host
// such as "x/y" would otherwise show up as the start of the path.
function targetOf(request: Request): string {
  const url = request.url;
  const host = request.headers.get("host");
  const at = host ? url.indexOf(host) : -1;
  if (at === -1 || !url.startsWith("//", at - 2)) return requestTarget(url);
  const target = url.slice(at + host!.length);
  return target === "" ? "/" : target[0] === "/" || target[0] === "?" ? target : requestTarget(url);
}
