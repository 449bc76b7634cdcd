/**
 * Our TypeScript port of waitress's writecb fixture: the body goes through `write()`, with
 * `Content-Length: 9` (none at `/no_content_length`) and 10 bytes (`/long_body`), 8
 * (`/short_body`) or 9.
 *
 * @module
 */

import type { HeaderPair, WsgiApp } from "../../../mod.ts";

/** Nine bytes, or not, through write(). */
export const application: WsgiApp = function writecb(environ, startResponse) {
  const path = environ.PATH_INFO;
  const headers: HeaderPair[] = path === "/no_content_length" ? [] : [["Content-Length", "9"]];
  const write = startResponse("200 OK", headers);
  if (path === "/long_body") write("1234567890");
  else if (path === "/short_body") write("12345678");
  else write("123456789");
  return [];
};
