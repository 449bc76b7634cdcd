/**
 * Our TypeScript port of waitress's `echo.app_body_only`: the request body back, with its length.
 *
 * @module
 */

import type { WsgiApp } from "../../../mod.ts";
import { readBody } from "../support/read_body.ts";

/** The body, as sent. */
export const application: WsgiApp = async function echoBody(environ, startResponse) {
  const body = await readBody(environ);
  startResponse("200 OK", [
    ["Content-Length", String(body.length)],
    ["Content-Type", "text/plain"],
  ]);
  return [body];
};
