/**
 * `toFetchHandler()`: the whole request cycle of a WSGI app on a Fetch runtime, in one
 * pipeline (wsgiref's `BaseHandler.run`): build environ, call the app, send its response, and
 * on any error hand over to one error path.
 *
 * @module
 */

import { badRequest, createHostCheck } from "./bad_request.ts";
import { connInfoOf } from "./conn_info.ts";
import { toEnviron } from "./environ.ts";
import { internalErrorApp } from "./error_app.ts";
import { stderrLogger } from "./errors_stream.ts";
import { BodyTooLargeError, ClientDisconnectedError } from "./input.ts";
import { createIpMatcher } from "./ip_matcher.ts";
import { RequestRun } from "./request_run.ts";
import type { ParsedStatus } from "./response_rules.ts";
import { runApp } from "./run_app.ts";
import type { Environ, Logger, WsgiApp } from "./types.ts";
import { noteBodyLength } from "./body_length.ts";

/** Options for {@linkcode toFetchHandler}. */
export interface FetchHandlerOptions {
  /** The mount prefix, moved from `PATH_INFO` to `SCRIPT_NAME`; defaults to `""`. */
  scriptName?: string;
  /** The sub-path a proxy serves the server under, starting every `SCRIPT_NAME`; defaults to `""`. */
  rootPath?: string;
  /** Shows the error and its stack in the 500 page; defaults to `false`. Never in production. */
  debug?: boolean;
  /** Receives error-log lines (app errors, `wsgi.errors`); defaults to standard error. */
  logger?: Logger;
  /** Sets `wsgi.multiprocess`; defaults to `false`. */
  multiprocess?: boolean;
  /**
   * Peers trusted as proxies (addresses, networks such as `10.0.0.0/8`, or `"*"`), like
   * gunicorn's `forwarded_allow_ips`. Defaults to `[]`: forwarded headers change nothing.
   */
  forwardedAllowIps?: string[];
  /**
   * The largest request body, in bytes; defaults to 1 GiB, like waitress. A larger declared
   * `Content-Length` gets 413 before the app runs; a chunked body that grows past it ends the
   * read with 413.
   */
  maxBodySize?: number;
}

const DEFAULT_MAX_BODY_SIZE = 1024 ** 3;
const INTERNAL_ERROR = "Internal Server Error\n";
const BAD_REQUEST = "400 Bad Request\n";

/**
 * A Fetch handler; `info` is what the runtime passes beside the request. It returns the
 * `Response` itself when the app answered synchronously, else a promise of it: `await` it.
 */
export type FetchHandler = (request: Request, info?: unknown) => Response | Promise<Response>;

/**
 * Turns a WSGI-style app into a Fetch handler for `Deno.serve`, `Bun.serve`, Hono or any
 * runtime that speaks `Request` → `Response`.
 *
 * An app error before the headers are sent gives a 500 that reveals nothing (the detail goes to
 * the error log); after they are sent it aborts the response and is logged. Either way the
 * server goes on serving, and the body's `close()` is called exactly once.
 *
 * @param app The WSGI-style app
 * @param options Mount prefix, debug, logger
 * @returns A handler taking `(request, info?)`, where `info` is our `ConnInfo`, Deno's
 * `ServeHandlerInfo` or Bun's `Server`
 * @example
 * ```ts
 * import { toFetchHandler, type WsgiApp } from "../mod.ts";
 * const hello: WsgiApp = (_environ, startResponse) => {
 *   startResponse("200 OK", [["Content-Type", "text/plain"]]);
 *   return ["Hello, World!\n"];
 * };
 * const handler = toFetchHandler(hello);
 * const response = await handler(new Request("http://localhost/"));
 * await response.text(); // "Hello, World!\n"
 * ```
 */
export function toFetchHandler(app: WsgiApp, options: FetchHandlerOptions = {}): FetchHandler {
  const logger = options.logger ?? stderrLogger;
  const debug = options.debug ?? false;
  const maxBodySize = options.maxBodySize ?? DEFAULT_MAX_BODY_SIZE;
  const trustedProxy = options.forwardedAllowIps?.length
    ? createIpMatcher(options.forwardedAllowIps)
    : undefined;
  // Parsed status lines, by their text: the same few for every request of this app.
  const statuses = new Map<string, ParsedStatus>();
  // Not async: an app that returns a list gets its Response back in the same tick, which the
  // runtimes answer faster than a promise. Anything asynchronous returns a promise.
  const checkHost = createHostCheck();
  return function wsgiHandler(request, info) {
    const connection = connInfoOf(request, info);
    const run = new RequestRun(request, logger, statuses, connection.waitUntil);
    const environ = toEnviron(request, {
      scriptName: options.scriptName,
      rootPath: options.rootPath,
      multiprocess: options.multiprocess,
      info: connection,
      errors: run.errors,
      signal: () => run.signal(),
      trustedProxy,
      maxBodySize,
    });
    // A Host that is not a host is the client's error, never the app's: 400 before the app runs.
    const problem = checkHost(request.url, environ.HTTP_HOST as string | undefined);
    if (problem) return badRequest(problem, request, logger);
    // waitress: a declared body over the limit is refused before the app runs.
    if (environ.CONTENT_LENGTH !== undefined && Number(environ.CONTENT_LENGTH) > maxBodySize) {
      return tooLarge(maxBodySize);
    }
    try {
      const response = runApp(app, environ, run);
      if (response instanceof Response) return response;
      return response.catch((error) => fail(error, environ, run, debug, maxBodySize));
    } catch (error) {
      return fail(error, environ, run, debug, maxBodySize);
    }
  };
}

// The one error path: 413 for a body over the limit, else a 500 from the error app, logged.
function fail(
  error: unknown,
  environ: Environ,
  run: RequestRun,
  debug: boolean,
  maxBodySize: number,
): Response | Promise<Response> {
  if (error instanceof BodyTooLargeError) return tooLarge(maxBodySize);
  if (error instanceof ClientDisconnectedError) return incomplete();
  run.report(error);
  const bare = () =>
    noteBodyLength(new Response(INTERNAL_ERROR, { status: 500 }), INTERNAL_ERROR.length);
  try {
    const response = runApp(internalErrorApp(error, debug), environ, run);
    return response instanceof Response ? response : response.catch(bare);
  } catch {
    return bare();
  }
}

// The client left before its request body was whole: no error of the app's, so nothing goes
// to the error log (gunicorn logs a reset connection at debug level only), and no one reads
// the answer: its 400 (an incomplete request, RFC 9110 §15.5.1) is for the access log.
function incomplete(): Response {
  const response = new Response(BAD_REQUEST, {
    status: 400,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Connection": "close" },
  });
  return noteBodyLength(response, BAD_REQUEST.length);
}

function tooLarge(limit: number): Response {
  const text = `413 Content Too Large: the limit is ${limit} bytes\n`;
  const response = new Response(text, {
    status: 413,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Connection": "close" },
  });
  return noteBodyLength(response, text.length);
}
