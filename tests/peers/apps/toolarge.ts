/**
 * Our TypeScript port of waitress's toolarge fixture: six bytes with their length.
 *
 * @module
 */

import type { WsgiApp } from "../../../mod.ts";

/** `6bytes`. */
export const application: WsgiApp = function toolarge(_environ, startResponse) {
  startResponse("200 OK", [["Content-Length", "6"], ["Content-Type", "text/plain"]]);
  return ["6bytes"];
};
