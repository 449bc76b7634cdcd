/**
 * The entry `deno serve --parallel` runs for `--workers N` on Deno: its default export is the
 * site, built in every worker from the configuration the command line passed on.
 *
 * @module
 */

import process from "node:process";
import { readEnv } from "./env.ts";
import { withAccessLog } from "../access_log.ts";
import { writeStdoutLine } from "../stdout_line.ts";
import { createIpMatcher } from "../../core/ip_matcher.ts";
import { clientAddress } from "../serve.ts";
import { connInfoOf } from "../../core/conn_info.ts";
import { buildSite, pythonHostOf } from "./site.ts";
import type { Config } from "./options.ts";

const config: Config = JSON.parse(readEnv("EDGE_WSGI_CONFIG") ?? "null");
if (!config) {
  throw new Error("serve_entry.ts is started by mod.ts --workers, which sets EDGE_WSGI_CONFIG");
}
const python = pythonHostOf(config);
// --preload: each worker loads its own interpreter before it serves.
if (config.preload) await python.ready();
const site = buildSite(config, true, python);
const trusted = createIpMatcher(config.forwardedAllowIps);
const siteFetch = (request: Request, info: unknown) =>
  site.fetch(request, connInfoOf(request, info));

export default {
  fetch: config.accessLog
    ? withAccessLog(siteFetch, {
      format: config.accessLog,
      write: writeStdoutLine,
      clientAddress: (request, info) => clientAddress(request, info, trusted),
      pid: process.pid,
    })
    : siteFetch,
};
