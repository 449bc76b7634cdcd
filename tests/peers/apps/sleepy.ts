/**
 * Our TypeScript port of waitress's sleepy fixture: `/sleepy` takes two seconds, anything else
 * answers at once.
 *
 * @module
 */

import type { WsgiApp } from "../../../mod.ts";

/** Slow at /sleepy. */
export const application: WsgiApp = async function sleepy(environ, startResponse) {
  let body = "quick answer";
  if (environ.PATH_INFO === "/sleepy") {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    body = "slow answer";
  }
  startResponse("200 OK", [
    ["Content-Length", String(body.length)],
    ["Content-Type", "text/plain"],
  ]);
  return [body];
};
