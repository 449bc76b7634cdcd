/**
 * Honouring `X-Forwarded-For`, `-Proto` and `-Host` from trusted proxies only, as gunicorn's
 * `forwarded_allow_ips` and werkzeug's `ProxyFix` do.
 *
 * @module
 */

import type { Environ } from "./types.ts";
import type { IpMatcher } from "./ip_matcher.ts";
import { DEFAULT_PORTS, unmapIpv4 } from "./address.ts";
import { isValidHost } from "./bad_request.ts";

/**
 * The client's address as a trusted proxy chain reports it: walking `X-Forwarded-For` from the
 * right, the first address that is not itself a trusted proxy (the rightmost untrusted one).
 * A client can put anything on the left of that list; only what trusted hops added counts.
 */
export function forwardedClient(forwardedFor: string, isTrusted: IpMatcher): string | undefined {
  const hops = forwardedFor.split(",").map((hop) => hop.trim()).filter((hop) => hop !== "");
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isTrusted(hops[i]) || i === 0) return hops[i];
  }
  return undefined;
}

/**
 * Applies the forwarded headers to an environ when its peer (`REMOTE_ADDR`) is a trusted proxy:
 * `REMOTE_ADDR` from `X-Forwarded-For`, `wsgi.url_scheme` from `X-Forwarded-Proto` (`http` or
 * `https` only), and `HTTP_HOST`, `SERVER_NAME`, `SERVER_PORT` from `X-Forwarded-Host`. From an
 * untrusted peer the headers stay plain `HTTP_X_FORWARDED_*` keys and change nothing.
 */
export function applyForwarded(environ: Environ, isTrusted: IpMatcher): void {
  const peer = environ.REMOTE_ADDR;
  if (peer === undefined || !isTrusted(peer)) return;
  const forwardedFor = environ.HTTP_X_FORWARDED_FOR as string | undefined;
  if (forwardedFor) {
    const client = forwardedClient(forwardedFor, isTrusted);
    if (client) {
      environ.REMOTE_ADDR = unmapIpv4(client);
      delete environ.REMOTE_PORT;
    }
  }
  // With several proxies each appends; the last value is the one our trusted peer set.
  const proto = lastValue(environ.HTTP_X_FORWARDED_PROTO)?.toLowerCase();
  if (proto === "http" || proto === "https") environ["wsgi.url_scheme"] = proto;
  const host = lastValue(environ.HTTP_X_FORWARDED_HOST);
  // A forwarded host that is not a host is ignored, as the request's own Host would be refused.
  if (host && isValidHost(host)) {
    environ.HTTP_HOST = host;
    const colon = host.lastIndexOf(":");
    const hasPort = colon > host.lastIndexOf("]");
    environ.SERVER_NAME = hasPort ? host.slice(0, colon) : host;
    environ.SERVER_PORT = hasPort
      ? host.slice(colon + 1)
      : DEFAULT_PORTS[environ["wsgi.url_scheme"]];
  }
}

function lastValue(header: unknown): string | undefined {
  if (typeof header !== "string") return undefined;
  const value = header.split(",").at(-1)?.trim();
  return value || undefined;
}
