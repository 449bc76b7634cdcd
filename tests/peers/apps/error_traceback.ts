/**
 * Our TypeScript port of waitress's error_traceback fixture: fails at once, with a non-ASCII
 * message.
 *
 * @module
 */

import type { WsgiApp } from "../../../mod.ts";

/** Throws. */
export const application: WsgiApp = function errorTraceback() {
  throw new RangeError("broken on purpose: \u20ac");
};
