/**
 * Reports the request as the app saw it, as JSON: the CGI keys, every `HTTP_*` key, and the body
 * it read from `wsgi.input` (as latin-1 text). The TypeScript half of the app the gunicorn
 * request corpus is compared against (tests/peers/gunicorn_valid_test.ts).
 *
 * @module
 */

import type { WsgiApp } from "../../../mod.ts";
import { bytesToLatin1 } from "../../../src/core/latin1.ts";

const KEYS = [
  "REQUEST_METHOD",
  "SCRIPT_NAME",
  "PATH_INFO",
  "QUERY_STRING",
  "SERVER_PROTOCOL",
  "CONTENT_TYPE",
  "CONTENT_LENGTH",
  "wsgi.url_scheme",
];

/** The environ's request keys and the body, as JSON. */
export const application: WsgiApp = async function environ(environ, startResponse) {
  const seen: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(environ)) {
    if (KEYS.includes(key) || key.startsWith("HTTP_")) seen[key] = value;
  }
  seen["wsgi.input"] = bytesToLatin1(await environ["wsgi.input"].read());
  startResponse("200 OK", [["Content-Type", "application/json"]]);
  return [JSON.stringify(seen)];
};
