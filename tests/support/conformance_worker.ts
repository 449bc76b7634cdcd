/**
 * The conformance apps as a Cloudflare Worker, for tests/workerd_test.ts (`wrangler dev -c
 * tests/support/conformance.wrangler.toml`): under `/t/` through the Workers `createApp()`, and
 * under `/single/` one app through `toWorker()` alone, the two ways a Worker uses the library.
 *
 * @module
 */

import { createApp, type ExecutionContext, toWorker, type WsgiApp } from "../../workers.ts";
import { conformanceApps } from "./conformance_apps.ts";

const logger = (line: string) => console.error(line);
const router = createApp({ mounts: conformanceApps, assets: false, logger });

// One WSGI app as the whole Worker: what it saw of the client, or one of the conformance apps.
const whoami: WsgiApp = (environ, startResponse) => {
  const app = conformanceApps[`/t${environ.PATH_INFO.slice("/single".length)}`];
  if (app) return app({ ...environ, SCRIPT_NAME: "/single" }, startResponse);
  startResponse("200 OK", [["Content-Type", "application/json"]]);
  const keys = ["REMOTE_ADDR", "REMOTE_PORT", "SERVER_NAME", "SERVER_PORT", "wsgi.url_scheme"];
  return [JSON.stringify(Object.fromEntries(keys.map((key) => [key, environ[key] ?? null])))];
};
const single = toWorker(whoami, { logger });

export default {
  fetch(request: Request, env: unknown, ctx: ExecutionContext) {
    const { pathname } = new URL(request.url);
    const worker = pathname.startsWith("/single") ? single : router;
    return worker.fetch(request, env, ctx);
  },
};
