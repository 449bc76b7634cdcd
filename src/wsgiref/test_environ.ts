/**
 * `testEnviron()`: a complete environ for tests, as Python's
 * `wsgiref.util.setup_testing_defaults` fills one.
 *
 * @module
 */

import { toEnviron } from "../core/environ.ts";
import type { Environ } from "../core/types.ts";
import { requestUri } from "./request_uri.ts";

/** The environ keys to set; a key set to `undefined` is left out of the environ. */
export type EnvironOverrides = { [K in keyof Environ]?: Environ[K] | undefined };

/** Options for {@linkcode testEnviron}. */
export interface TestEnvironOptions {
  /**
   * The request body that `wsgi.input` reads; defaults to none. With a body,
   * `REQUEST_METHOD` defaults to `"POST"`, and a string or `Uint8Array` body sets
   * `CONTENT_LENGTH` (a string is sent as UTF-8).
   */
  body?: string | Uint8Array | ReadableStream<Uint8Array>;
}

// Where testEnviron() collects what the app wrote to wsgi.errors.
const TEST_ERRORS_KEY = "edge_wsgi.test_errors";

const HTTPS_ON = new Set(["yes", "on", "1"]);

/**
 * Builds a valid environ for unit tests of apps and middleware, with wsgiref's defaults:
 * `SERVER_NAME` `"127.0.0.1"`, `SERVER_PORT` `"80"` (`"443"` for https), `HTTP_HOST` as
 * `SERVER_NAME`, `SERVER_PROTOCOL` `"HTTP/1.0"`, `REQUEST_METHOD` `"GET"`, `SCRIPT_NAME` `""`
 * and `PATH_INFO` `"/"` (when neither is given; else the missing one is `""`), `QUERY_STRING`
 * `""`, and `wsgi.url_scheme` `"https"` when `HTTPS` is `"on"`, `"yes"` or `"1"`.
 *
 * The `wsgi.*` and `edge_wsgi.*` keys come from {@linkcode toEnviron}, so the environ has the
 * same shape a real request gets: `wsgi.input` reads the `body` option (empty by default), and
 * each complete line written to `wsgi.errors` (the rest after `flush()`) is collected in the
 * array at `environ["edge_wsgi.test_errors"]`. `edge_wsgi.request` is a stand-in `Request` with
 * the method, URL and body.
 *
 * @param overrides Keys to set instead of the defaults
 * @param options The request body
 * @returns A fresh environ
 * @throws {TypeError} When a body is given for a `GET` or `HEAD` request
 * @example
 * ```ts
 * import { testEnviron } from "./mod.ts";
 * const environ = testEnviron({ PATH_INFO: "/hello", QUERY_STRING: "a=1" });
 * environ["wsgi.errors"].write("oops\n");
 * environ["edge_wsgi.test_errors"]; // ["oops"]
 * const post = testEnviron({}, { body: "name=Ada" });
 * await post["wsgi.input"].read(); // the 8 bytes of "name=Ada"
 * ```
 */
export function testEnviron(
  overrides: EnvironOverrides = {},
  options: TestEnvironOptions = {},
): Environ {
  const { body } = options;
  const cgi: Record<string, unknown> = { ...overrides };
  const setDefault = (key: string, value: unknown) => {
    if (!(key in cgi)) cgi[key] = value;
  };
  setDefault("SERVER_NAME", "127.0.0.1");
  setDefault("SERVER_PROTOCOL", "HTTP/1.0");
  setDefault("HTTP_HOST", cgi.SERVER_NAME);
  setDefault("REQUEST_METHOD", body === undefined ? "GET" : "POST");
  if (!("SCRIPT_NAME" in cgi) && !("PATH_INFO" in cgi)) cgi.PATH_INFO = "/";
  setDefault("SCRIPT_NAME", "");
  setDefault("PATH_INFO", "");
  setDefault("QUERY_STRING", "");
  setDefault("wsgi.url_scheme", HTTPS_ON.has(String(cgi.HTTPS)) ? "https" : "http");
  setDefault("SERVER_PORT", cgi["wsgi.url_scheme"] === "https" ? "443" : "80");

  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  if (bytes instanceof Uint8Array) setDefault("CONTENT_LENGTH", String(bytes.length));
  const method = String(cgi.REQUEST_METHOD);
  if (bytes !== undefined && (method === "GET" || method === "HEAD")) {
    throw new TypeError(`A ${method} request cannot have a body; set REQUEST_METHOD`);
  }

  const errors: string[] = [];
  const request = new Request(standInUrl(cgi), {
    method,
    body: bytes as BodyInit | undefined,
    headers: bytes instanceof Uint8Array ? { "content-length": String(bytes.length) } : {},
    duplex: "half",
  } as RequestInit);
  const environ = toEnviron(request, {
    logger: (line) => errors.push(line),
    info: { protocol: String(cgi.SERVER_PROTOCOL) },
  });
  delete environ.CONTENT_LENGTH;
  Object.assign(environ, cgi, { [TEST_ERRORS_KEY]: errors });
  for (const key of Object.keys(environ)) {
    if (environ[key] === undefined) delete environ[key];
  }
  return environ;
}

// The request URL the environ describes, or a plain one when its keys cannot make a URL.
function standInUrl(cgi: Record<string, unknown>): string {
  try {
    return new URL(requestUri(cgi as Environ)).href;
  } catch {
    return "http://127.0.0.1/";
  }
}
