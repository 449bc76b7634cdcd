/**
 * Our TypeScript port of waitress's nocl fixture: the request body back without a
 * `Content-Length`, as a generator of 10-byte pieces (`/`), a one-item list (`/list`) or a
 * two-item list (`/list_lentwo`).
 *
 * @module
 */

import type { WsgiApp } from "../../../mod.ts";
import { readBody } from "../support/read_body.ts";

function* pieces(body: Uint8Array) {
  for (let start = 0; start < body.length; start += 10) yield body.subarray(start, start + 10);
}

/** The body, in the shape the path names. */
export const application: WsgiApp = async function nocl(environ, startResponse) {
  const body = await readBody(environ);
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  if (environ.PATH_INFO === "/list") return [body];
  if (environ.PATH_INFO === "/list_lentwo") return [body.subarray(0, 1), body.subarray(1)];
  return pieces(body);
};
