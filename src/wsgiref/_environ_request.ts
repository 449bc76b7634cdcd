/**
 * A Fetch `Request` rebuilt from a WSGI environ: the inverse of `toEnviron()`.
 *
 * @module
 */

import { isHopByHop } from "../core/response_rules.ts";
import type { Environ } from "../core/types.ts";
import { quoteLatin1 } from "./_quote.ts";
import { DEFAULT_PORTS } from "../core/address.ts";

// RFC 3986 pchar besides unreserved: these stay as they are in the path we rebuild.
const PATH_SAFE = "/:@!$&'()*+,;=";
// A host and optional port as RFC 3986 allows: a reg-name or IPv4 address, or an IP literal.
// Anything else ("evil/admin?", "a@b") could move the path or the authority of the URL.
const HOST = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=%]+|\[[0-9A-Fa-f:.]+\])(?::\d*)?$/;
const READ_SIZE = 65536;

/** How {@linkcode environToRequest} builds the URL. */
export interface EnvironRequestOptions {
  /** Leaves `SCRIPT_NAME` out of the URL's path. */
  stripScriptName: boolean;
}

/**
 * Builds the `Request` an environ describes: URL, method, headers (from `HTTP_*` and
 * `CONTENT_*`, hop-by-hop ones dropped), a body streamed from `wsgi.input`, and
 * `edge_wsgi.signal` as its signal.
 *
 * @throws {TypeError} When the environ's keys cannot make a request
 */
export function environToRequest(environ: Environ, options: EnvironRequestOptions): Request {
  const method = stringOf(environ, "REQUEST_METHOD") || "GET";
  const headers = new Headers();
  for (const [key, value] of Object.entries(environ)) {
    if (typeof value !== "string") continue;
    let name: string;
    if (key === "CONTENT_TYPE" || key === "CONTENT_LENGTH") {
      if (value === "") continue;
      name = key.replace("_", "-").toLowerCase();
    } else if (
      key.startsWith("HTTP_") && key !== "HTTP_CONTENT_TYPE" && key !== "HTTP_CONTENT_LENGTH"
    ) {
      name = key.slice(5).replaceAll("_", "-").toLowerCase();
    } else continue;
    if (isHopByHop(name)) continue;
    try {
      headers.set(name, value);
    } catch {
      throw new TypeError(`Environ key ${key} cannot be a header value: ${JSON.stringify(value)}`);
    }
  }
  const signal = environ["edge_wsgi.signal"];
  return new Request(urlOf(environ, options), {
    method,
    headers,
    body: bodyOf(environ, method),
    signal: signal instanceof AbortSignal ? signal : undefined,
    duplex: "half",
  } as RequestInit);
}

function urlOf(environ: Environ, options: EnvironRequestOptions): string {
  const scheme = environ["wsgi.url_scheme"] === "https" ? "https" : "http";
  const scriptName = options.stripScriptName ? "" : stringOf(environ, "SCRIPT_NAME");
  // Dot segments are resolved in PATH_INFO alone, so the URL cannot climb out of SCRIPT_NAME.
  const path = scriptName + removeDotSegments(stringOf(environ, "PATH_INFO"));
  const query = stringOf(environ, "QUERY_STRING");
  return `${scheme}://${hostOf(environ, scheme)}${quoteLatin1(path || "/", PATH_SAFE, "The path")}${
    query ? "?" + query.replaceAll("#", "%23") : ""
  }`;
}

function hostOf(environ: Environ, scheme: string): string {
  const host = stringOf(environ, "HTTP_HOST");
  if (HOST.test(host)) return host;
  const name = stringOf(environ, "SERVER_NAME");
  const port = stringOf(environ, "SERVER_PORT");
  const bracketed = name.includes(":") && !name.startsWith("[") ? `[${name}]` : name;
  const withPort = port && port !== DEFAULT_PORTS[scheme] ? `${bracketed}:${port}` : bracketed;
  return HOST.test(withPort) ? withPort : "localhost";
}

function bodyOf(environ: Environ, method: string): ReadableStream<Uint8Array> | null {
  const upper = method.toUpperCase();
  if (upper === "GET" || upper === "HEAD" || environ.CONTENT_LENGTH === "0") return null;
  const input = environ["wsgi.input"];
  if (typeof input?.read !== "function") {
    const request = environ["edge_wsgi.request"];
    return request instanceof Request && !request.bodyUsed ? request.body : null;
  }
  // One read of wsgi.input per pull: the handler's reads drive the app's, nothing is buffered.
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const chunk = await input.read(READ_SIZE);
      if (chunk.length === 0) controller.close();
      else controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
}

// RFC 3986 §5.2.4, for a path that starts with "/" (or is empty).
function removeDotSegments(path: string): string {
  if (!/(?:^|\/)\.\.?(?:\/|$)/.test(path)) return path;
  const out: string[] = [];
  const parts = path.split("/").slice(1);
  parts.forEach((part, index) => {
    const last = index === parts.length - 1;
    if (part === "..") out.pop();
    if (part === "." || part === "..") {
      if (last) out.push("");
    } else out.push(part);
  });
  return "/" + out.join("/");
}

function stringOf(environ: Environ, key: string): string {
  const value = environ[key];
  return typeof value === "string" ? value : "";
}
