/**
 * Our TypeScript port of waitress's badcl fixture: nine bytes, with a `Content-Length` one too
 * many (`/short_body`), one too few (`/long_body`), or right.
 *
 * @module
 */

import type { WsgiApp } from "../../../mod.ts";

/** `123456789`, with a length that may lie. */
export const application: WsgiApp = function badcl(environ, startResponse) {
  const body = "123456789";
  let length = body.length;
  if (environ.PATH_INFO === "/short_body") length += 1;
  else if (environ.PATH_INFO === "/long_body") length -= 1;
  startResponse("200 OK", [["Content-Length", String(length)], ["Content-Type", "text/plain"]]);
  return [body];
};
