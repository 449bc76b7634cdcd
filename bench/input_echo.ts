/**
 * The TypeScript twin of bench/python/input.py's `/echo`, for bench/python_input.sh: the request
 * body read whole from `wsgi.input`, and sent back.
 *
 * @module
 */

import type { WsgiApp } from "../mod.ts";

/** Reads the body whole and answers with it. */
export const application: WsgiApp = async (environ, startResponse) => {
  const data = await environ["wsgi.input"].read();
  startResponse("200 OK", [
    ["Content-Type", "application/octet-stream"],
    ["Content-Length", String(data.length)],
  ]);
  return [data];
};
