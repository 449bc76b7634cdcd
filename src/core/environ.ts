/**
 * `toEnviron()`: a Fetch `Request` as a PEP 3333 `environ`.
 *
 * @module
 */

import { createErrors, stderrLogger } from "./errors_stream.ts";
import { fileWrapper } from "./file_wrapper.ts";
import { createInput } from "./input.ts";
import { applyForwarded } from "./forwarded.ts";
import type { IpMatcher } from "./ip_matcher.ts";
import { splitRequestTarget } from "./request_target.ts";
import { LAZY_ACCESSORS, setRemote } from "./environ_remote.ts";
import { COMMON_KEYS } from "./header_keys.ts";
import type { ConnInfo, Environ, Logger, NetAddr, WsgiErrors, WsgiInput } from "./types.ts";
import { DEFAULT_PORTS } from "./address.ts";

/** Options for {@linkcode toEnviron}. */
export interface ToEnvironOptions {
  /** The mount prefix, moved out of `PATH_INFO` into `SCRIPT_NAME`; defaults to `""`. */
  scriptName?: string;
  /**
   * The sub-path a proxy serves the whole server under (`/prefix`); defaults to `""`. It starts
   * every `SCRIPT_NAME`, and is taken off `PATH_INFO` when the proxy kept it in the path.
   */
  rootPath?: string;
  /** What the runtime knows of the connection: peer and server address. */
  info?: ConnInfo;
  /** Sets `wsgi.multiprocess`, true when several worker processes serve the app; defaults to `false`. */
  multiprocess?: boolean;
  /** Receives the lines written to `wsgi.errors`; defaults to standard error. */
  logger?: Logger;
  /** Becomes `wsgi.errors`, instead of a stream on `logger`. */
  errors?: WsgiErrors;
  /**
   * Becomes `edge_wsgi.signal`, or makes it when an app first reads it; defaults to a fresh
   * signal that never fires.
   */
  signal?: AbortSignal | (() => AbortSignal);
  /**
   * Which peers are trusted proxies, whose `X-Forwarded-For`, `-Proto` and `-Host` are applied.
   * Defaults to none: the headers stay plain `HTTP_X_FORWARDED_*` keys.
   */
  trustedProxy?: IpMatcher;
  /** `wsgi.input` throws past this many bytes of a body without a length; defaults to no limit. */
  maxBodySize?: number;
}

const WILDCARDS = new Set(["0.0.0.0", "::", "[::]", ""]);
const DECIMAL = /^\d+$/;
// One frozen [1, 0] for every request: nothing can change it, so sharing it shares no state.
const WSGI_VERSION = Object.freeze([1, 0]) as [1, 0];
const TRAILING_SLASHES = /\/+$/;
/**
 * Builds the WSGI `environ` for a request, as Python's WSGI servers fill it.
 *
 * `PATH_INFO` is percent-decoded once into latin-1 characters (`%FF` → `"\u00ff"`), the query
 * stays raw, `Content-Type`/`Content-Length` lose their `HTTP_` prefix, and header names that
 * contain `_` are dropped so they cannot impersonate dashed ones. `wsgi.input` streams the body.
 *
 * @param request The incoming request
 * @param options Mount prefix, connection info, logger
 * @returns A fresh environ: nothing in it that can change is shared with any other request
 * @example
 * ```ts
 * import { toEnviron } from "../mod.ts";
 * const environ = toEnviron(new Request("http://localhost:8000/caf%C3%A9?q=1"));
 * environ.PATH_INFO; // "/caf\u00c3\u00a9"
 * environ.QUERY_STRING; // "q=1"
 * ```
 */
export function toEnviron(request: Request, options: ToEnvironOptions = {}): Environ {
  const url = request.url;
  const method = request.method;
  const info = options.info;
  // The connection's scheme when the server knows it: a client must not be able to claim
  // https for a plain connection with an absolute-form request target.
  const scheme = info?.scheme ?? (url.startsWith("https:") ? "https" : "http");
  const { path, query } = splitRequestTarget(url);
  // SCRIPT_NAME is "" at the root and never ends with "/"; a request outside the prefix keeps
  // its whole path in PATH_INFO, so SCRIPT_NAME + PATH_INFO always rebuild the path.
  const rootPath = options.rootPath ? options.rootPath.replace(TRAILING_SLASHES, "") : "";
  const rest = rootPath && (path === rootPath || path.startsWith(rootPath + "/"))
    ? path.slice(rootPath.length)
    : path;
  const prefix = options.scriptName ? options.scriptName.replace(TRAILING_SLASHES, "") : "";
  const mounted = prefix !== "" && (rest === prefix || rest.startsWith(prefix + "/"));
  const local = info?.localAddr;
  const [serverName, serverPort] = local && !WILDCARDS.has(local.hostname)
    ? [local.hostname, String(local.port)]
    : addressedHost(url, scheme, local);
  const scriptName = rootPath + (mounted ? prefix : "");
  const pathInfo = mounted ? rest.slice(prefix.length) : rest;
  const protocol = info?.protocol ?? "HTTP/1.1";
  const errors = options.errors ?? createErrors(options.logger ?? stderrLogger);
  const multiprocess = options.multiprocess ?? false;

  // On Bun the signal is made when an app first reads it, by an accessor written in the literal:
  // JavaScriptCore makes an AbortController costly (1.6 µs a request over HTTP), a literal's
  // accessor cheap, and one added by Object.defineProperty about a third of the controller. On
  // Deno it is made at once: V8 makes any accessor costly. Either way the key has its place
  // among the fixed keys.
  const given = options.signal;
  let signal: AbortSignal | undefined;
  const environ: Environ = LAZY_ACCESSORS && typeof given === "function"
    ? {
      REQUEST_METHOD: method,
      SCRIPT_NAME: scriptName,
      PATH_INFO: pathInfo,
      QUERY_STRING: query,
      SERVER_NAME: serverName,
      SERVER_PORT: serverPort,
      SERVER_PROTOCOL: protocol,
      "wsgi.version": WSGI_VERSION,
      "wsgi.url_scheme": scheme,
      "wsgi.input": undefined as unknown as WsgiInput,
      "wsgi.errors": errors,
      "wsgi.multithread": false,
      "wsgi.multiprocess": multiprocess,
      "wsgi.run_once": false,
      "wsgi.input_terminated": true,
      "wsgi.file_wrapper": fileWrapper,
      "edge_wsgi.request": request,
      get "edge_wsgi.signal"() {
        return signal ??= given();
      },
      set "edge_wsgi.signal"(value: AbortSignal) {
        signal = value;
      },
    }
    : {
      REQUEST_METHOD: method,
      SCRIPT_NAME: scriptName,
      PATH_INFO: pathInfo,
      QUERY_STRING: query,
      SERVER_NAME: serverName,
      SERVER_PORT: serverPort,
      SERVER_PROTOCOL: protocol,
      "wsgi.version": WSGI_VERSION,
      "wsgi.url_scheme": scheme,
      "wsgi.input": undefined as unknown as WsgiInput,
      "wsgi.errors": errors,
      "wsgi.multithread": false,
      "wsgi.multiprocess": multiprocess,
      "wsgi.run_once": false,
      "wsgi.input_terminated": true,
      "wsgi.file_wrapper": fileWrapper,
      "edge_wsgi.request": request,
      "edge_wsgi.signal": typeof given === "function"
        ? given()
        : given ?? new AbortController().signal,
    };
  let contentType: string | undefined;
  let contentLength: string | undefined;
  let chunked = false;
  request.headers.forEach((value, name) => {
    const common = COMMON_KEYS.get(name);
    if (common !== undefined) {
      environ[common] = value;
      return;
    }
    // gunicorn >= 22 and waitress drop these: `X_Forwarded_For` must not pass for `X-Forwarded-For`.
    if (name.includes("_")) return;
    if (name === "content-type") contentType = value;
    else if (name === "content-length") contentLength = value;
    else {
      if (name === "transfer-encoding") chunked = true;
      environ["HTTP_" + name.toUpperCase().replaceAll("-", "_")] = value;
    }
  });
  // RFC 9110 §9.3.6: a CONNECT has no content; what follows its head is a tunnel's, which Bun
  // never hands over (its read would wait forever: oven-sh/bun#43552). A GET or HEAD has no
  // body in a Fetch Request (see below), so it is not asked for: on Bun, asking costs.
  const body = method === "GET" || method === "HEAD" || method === "CONNECT" ? null : request.body;
  // A GET or HEAD may carry a body on the wire, but a Fetch Request has none for them: both
  // runtimes drop it (and skip its bytes). The app then gets what such a request is for it,
  // a request without a body: no CONTENT_LENGTH or CONTENT_TYPE promising bytes wsgi.input
  // will never give (werkzeug, for one, would call that a client gone mid-body). The fields
  // are still in `edge_wsgi.request.headers`.
  if (body !== null || !declaresBody(contentLength, chunked)) {
    if (contentType !== undefined) environ.CONTENT_TYPE = contentType;
    if (contentLength !== undefined) environ.CONTENT_LENGTH = contentLength;
  }
  // Reads nothing until the app does, and never past CONTENT_LENGTH.
  environ["wsgi.input"] = createInput(
    body,
    contentLength !== undefined && DECIMAL.test(contentLength) ? Number(contentLength) : undefined,
    options.maxBodySize,
  );
  // Last: on Bun these may be accessors, and plain keys are added faster before them.
  setRemote(environ, info);
  // Only forwarded headers can change anything, and reading REMOTE_ADDR may cost a lookup.
  if (
    options.trustedProxy &&
    (environ.HTTP_X_FORWARDED_FOR || environ.HTTP_X_FORWARDED_PROTO ||
      environ.HTTP_X_FORWARDED_HOST)
  ) {
    applyForwarded(environ, options.trustedProxy);
  }
  return environ;
}

// Whether the request said it has a body: a Content-Length other than 0, or a
// Transfer-Encoding (chunked).
function declaresBody(contentLength: string | undefined, chunked: boolean): boolean {
  if (contentLength !== undefined) return !/^0+$/.test(contentLength);
  return chunked;
}

// The host and port the client addressed, for when the server's own address is unknown or a
// wildcard. Bun gives a bare path when the client named no host (HTTP/1.0, or an empty Host):
// then "localhost" and the port it came in on, as Deno's URL says for the same request.
function addressedHost(url: string, scheme: string, local: NetAddr | undefined): [string, string] {
  if (url.charCodeAt(0) === 47) return ["localhost", String(local?.port ?? DEFAULT_PORTS[scheme])];
  const hostStart = url.indexOf("//") + 2;
  let hostEnd = url.indexOf("/", hostStart);
  if (hostEnd === -1) hostEnd = url.length;
  const host = url.slice(hostStart, hostEnd);
  const colon = host.lastIndexOf(":");
  if (colon > host.lastIndexOf("]")) return [host.slice(0, colon), host.slice(colon + 1)];
  return [host, DEFAULT_PORTS[scheme]];
}
