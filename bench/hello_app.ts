/**
 * The benchmark's TypeScript hello as an app module, for `--mount /app=bench/hello_app.ts`: the
 * same app and bytes as bench/hello_wsgi.ts, served by the command line (so `--workers 2`
 * applies), to compare with gunicorn in bench/python.sh.
 *
 * @module
 */

import type { WsgiApp } from "../mod.ts";

/** Answers every request with the benchmark's hello page. */
export const application: WsgiApp = (_environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "text/html; charset=utf-8"]]);
  return ["<h1>Hello, web!</h1>\n"];
};
