/**
 * Our TypeScript port of waitress's echo fixture (`tests/fixtureapps/echo.py`, `app`): reads the
 * body and answers with what the request looked like, as JSON, a blank line, then the body.
 *
 * @module
 */

import type { WsgiApp } from "../../../mod.ts";
import { readBody } from "../support/read_body.ts";

const encoder = new TextEncoder();

/** The request, as JSON, then the body. */
export const application: WsgiApp = async function echo(environ, startResponse) {
  const body = await readBody(environ);
  const headers: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(environ)) {
    if (key.startsWith("HTTP_")) headers[key.slice(5)] = value;
  }
  const seen = {
    method: environ.REQUEST_METHOD,
    path_info: environ.PATH_INFO,
    script_name: environ.SCRIPT_NAME,
    query_string: environ.QUERY_STRING,
    content_length: String(body.length),
    scheme: environ["wsgi.url_scheme"],
    remote_addr: environ.REMOTE_ADDR,
    // waitress sets REMOTE_HOST (to the address); gunicorn and wsgiref do not, nor do we.
    remote_host: environ.REMOTE_HOST ?? null,
    server_port: environ.SERVER_PORT,
    server_name: environ.SERVER_NAME,
    headers,
  };
  const answer = new Uint8Array([...encoder.encode(JSON.stringify(seen) + "\r\n\r\n"), ...body]);
  startResponse("200 OK", [
    ["Content-Length", String(answer.length)],
    ["Content-Type", "text/plain"],
  ]);
  return [answer];
};
