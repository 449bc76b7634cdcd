/**
 * A hello app that names the worker process answering, for bench/worker_faults.ts: it tells
 * which worker served and when a replacement starts serving.
 *
 * @module
 */

import process from "node:process";
import type { WsgiApp } from "../mod.ts";

const body = `{"pid":${process.pid}}`;

/** `{"pid":1234}`. */
export const application: WsgiApp = function pid(_environ, startResponse) {
  startResponse("200 OK", [
    ["Content-Type", "application/json"],
    ["Content-Length", String(body.length)],
  ]);
  return [body];
};
