/**
 * The server's side of the interface as `validator()` checks it: the environ.
 *
 * @module
 */

import type { Environ } from "../core/types.ts";
import { kindOf, quote, type Report } from "./_report.ts";

const REQUIRED = [
  "REQUEST_METHOD",
  "SCRIPT_NAME",
  "PATH_INFO",
  "SERVER_NAME",
  "SERVER_PORT",
  "SERVER_PROTOCOL",
  "wsgi.version",
  "wsgi.url_scheme",
  "wsgi.input",
  "wsgi.errors",
  "wsgi.multithread",
  "wsgi.multiprocess",
  "wsgi.run_once",
];
const FLAGS = ["wsgi.multithread", "wsgi.multiprocess", "wsgi.run_once"];
const METHODS = new Set(["GET", "HEAD", "POST", "OPTIONS", "PATCH", "PUT", "DELETE", "TRACE"]);
const NOT_LATIN1 = /[\u0100-\uffff]/;
const DECIMAL = /^\d+$/;

/**
 * Checks an environ as PEP 3333 and `docs/WSGI.md` define it. Throws at the first broken rule;
 * what only looks wrong (no `QUERY_STRING`, an unknown method) goes to `warn`.
 */
export function checkEnviron(environ: unknown, report: Report): asserts environ is Environ {
  const { fail } = report;
  if (environ === null || typeof environ !== "object" || Array.isArray(environ)) {
    fail("environ.type", "server", `The environ must be a plain object, not ${kindOf(environ)}`);
  }
  const env = environ as Record<string, unknown>;
  for (const key of REQUIRED) {
    if (!(key in env)) fail("environ.required", "server", `The environ has no ${key}`);
  }
  checkStreams(env, report);
  for (const [key, value] of Object.entries(env)) {
    // Keys with a dot are extensions (wsgi.*, edge_wsgi.*): any type. The rest are CGI strings.
    if (key.includes(".")) continue;
    if (typeof value !== "string") {
      fail("environ.cgi_string", "server", `${key} must be a string, not ${kindOf(value)}`);
    }
    if (NOT_LATIN1.test(value as string)) {
      fail(
        "environ.latin1",
        "server",
        `${key} must hold latin-1 characters only, not ${quote(value)}`,
      );
    }
  }
  for (const key of ["HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"]) {
    if (key in env) {
      fail("environ.http_content", "server", `The environ has ${key}: it must be ${key.slice(5)}`);
    }
  }
  const version = env["wsgi.version"];
  if (!Array.isArray(version) || version.length !== 2 || version[0] !== 1 || version[1] !== 0) {
    fail("environ.version", "server", `wsgi.version must be [1, 0], not ${quote(version)}`);
  }
  const scheme = env["wsgi.url_scheme"];
  if (scheme !== "http" && scheme !== "https") {
    fail(
      "environ.url_scheme",
      "server",
      `wsgi.url_scheme must be "http" or "https", not ${quote(scheme)}`,
    );
  }
  for (const key of FLAGS) {
    if (typeof env[key] !== "boolean") {
      fail("environ.flag", "server", `${key} must be a boolean, not ${kindOf(env[key])}`);
    }
  }
  checkPaths(env as unknown as Environ, report);
  if (env.SERVER_NAME === "" || env.SERVER_PORT === "") {
    fail("environ.server", "server", "SERVER_NAME and SERVER_PORT must not be empty");
  }
  const length = env.CONTENT_LENGTH;
  if (typeof length === "string" && length !== "" && !DECIMAL.test(length)) {
    fail(
      "environ.content_length",
      "server",
      `CONTENT_LENGTH must be a decimal number, not ${quote(length)}`,
    );
  }
  if (!("QUERY_STRING" in env)) {
    report.warn(
      "environ.query_string",
      "server",
      'The environ has no QUERY_STRING; it should be ""',
    );
  }
  if (!METHODS.has(env.REQUEST_METHOD as string)) {
    report.warn("environ.method", "server", `Unknown REQUEST_METHOD ${quote(env.REQUEST_METHOD)}`);
  }
}

function checkPaths(env: Environ, { fail }: Report): void {
  const { SCRIPT_NAME: script, PATH_INFO: path } = env;
  if (script === "/") {
    fail("environ.script_name", "server", 'SCRIPT_NAME must not be "/": use "" with PATH_INFO "/"');
  }
  if (script !== "" && !script.startsWith("/")) {
    fail(
      "environ.script_name",
      "server",
      `SCRIPT_NAME must be "" or start with "/", not ${quote(script)}`,
    );
  }
  if (path !== "" && !path.startsWith("/")) {
    fail(
      "environ.path_info",
      "server",
      `PATH_INFO must be "" or start with "/", not ${quote(path)}`,
    );
  }
}

function checkStreams(env: Record<string, unknown>, { fail }: Report): void {
  const input = env["wsgi.input"] as Record<string | symbol, unknown> | null;
  for (const method of ["read", "readline", "readlines", Symbol.asyncIterator]) {
    if (typeof input?.[method] !== "function") {
      fail("environ.input", "server", `wsgi.input has no ${String(method)}() method`);
    }
  }
  const errors = env["wsgi.errors"] as Record<string, unknown> | null;
  for (const method of ["write", "writelines", "flush"]) {
    if (typeof errors?.[method] !== "function") {
      fail("environ.errors", "server", `wsgi.errors has no ${method}() method`);
    }
  }
}
