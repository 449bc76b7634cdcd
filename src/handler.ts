/**
 * `toFetchHandler()`: the whole request cycle of a WSGI app on a Fetch runtime, in one
 * pipeline (wsgiref's `BaseHandler.run`): build environ, call the app, send its response, and
 * on any error hand over to one error path.
 *
 * @module
 */

import { openBody } from "./body_source.ts";
import { connInfoOf } from "./conn_info.ts";
import { describe } from "./describe_error.ts";
import { toEnviron } from "./environ.ts";
import { internalErrorApp } from "./error_app.ts";
import { createErrors, stderrLogger } from "./errors_stream.ts";
import { BodyTooLargeError } from "./input.ts";
import { createIpMatcher } from "./proxy/ip_matcher.ts";
import { respondWithChunks, respondWithStream, type ResponseParts } from "./respond.ts";
import { createStartResponse } from "./start_response.ts";
import type { AppResult, Environ, Logger, WsgiApp } from "./types.ts";

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

/** A Fetch handler; `info` is what the runtime passes beside the request. */
export type FetchHandler = (request: Request, info?: unknown) => Promise<Response>;

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
 * import { toFetchHandler, type WsgiApp } from "./mod.ts";
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
  return async function wsgiHandler(request, info) {
    // The disconnect signal is made only if the app asks for it (or the client leaves first).
    let disconnect: AbortController | undefined;
    let gone = false;
    const errors = createErrors((line) =>
      logger(`${request.method} ${requestTarget(request.url)}: ${line}`)
    );
    const run: RequestRun = {
      request,
      logger,
      flushErrors: () => errors.flush(),
      onDisconnect() {
        gone = true;
        disconnect?.abort();
      },
    };
    const environ = toEnviron(request, {
      scriptName: options.scriptName,
      rootPath: options.rootPath,
      multiprocess: options.multiprocess,
      info: connInfoOf(request, info),
      errors,
      signal() {
        disconnect ??= new AbortController();
        if (gone) disconnect.abort();
        return disconnect.signal;
      },
      trustedProxy,
      maxBodySize,
    });
    // waitress: a declared body over the limit is refused before the app runs.
    if (environ.CONTENT_LENGTH !== undefined && Number(environ.CONTENT_LENGTH) > maxBodySize) {
      return tooLarge(maxBodySize);
    }
    try {
      return await runApp(app, environ, run);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return tooLarge(maxBodySize);
      report(run, error);
      try {
        return await runApp(internalErrorApp(error, debug), environ, run);
      } catch {
        return new Response("Internal Server Error\n", { status: 500 });
      }
    }
  };
}

// One request's run: what the error path and the body stream need to know of it.
interface RequestRun {
  request: Request;
  logger: Logger;
  /** Logs a partial last line of wsgi.errors, if the app wrote one. */
  flushErrors(): void;
  onDisconnect(): void;
}

// Logs an app error with the request it happened in.
function report(run: RequestRun, error: unknown): void {
  const { request } = run;
  run.logger(
    `Error in app for ${request.method} ${requestTarget(request.url)}: ${describe(error)}`,
  );
}

/**
 * Calls the app and builds its response. Throws whatever fails before the headers are final,
 * after closing the body.
 */
async function runApp(app: WsgiApp, environ: Environ, run: RequestRun): Promise<Response> {
  const start = createStartResponse();
  let result = app(environ, start.startResponse);
  if (result instanceof Promise) result = await result;
  const status = start.status();

  // A list of chunks is already whole in memory: send it in one piece, the common fast path.
  if (status && Array.isArray(result) && !start.hasWritten()) {
    let response: Response | undefined;
    try {
      response = respondWithChunks(result, environ.REQUEST_METHOD, status, start.headers());
    } catch (error) {
      await closeList(result, run.logger);
      throw error;
    }
    if (response) {
      if (typeof (result as AppResult).close === "function") await closeList(result, run.logger);
      run.flushErrors();
      return response;
    }
  }

  const body = openBody(result, start, run.logger, run.flushErrors);
  try {
    // PEP 3333: the headers are final, and sent, with the first non-empty chunk.
    const first = await body.next();
    if (!start.status()) {
      throw new TypeError(
        first === null
          ? "The app returned without calling start_response()"
          : "The app sent body data before calling start_response()",
      );
    }
    start.markSent();
    return respondWithStream(first, body, {
      method: environ.REQUEST_METHOD,
      status: start.status()!,
      headers: start.headers(),
      report: (error) => report(run, error),
      onDisconnect: run.onDisconnect,
    });
  } catch (error) {
    await body.close();
    throw error;
  }
}

async function closeList(result: AppResult, logger: Logger): Promise<void> {
  if (typeof result.close !== "function") return;
  try {
    await result.close();
  } catch (error) {
    logger(`Error in the app's close(): ${describe(error)}`);
  }
}

function tooLarge(limit: number): Response {
  return new Response(`413 Content Too Large: the limit is ${limit} bytes\n`, {
    status: 413,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Connection": "close" },
  });
}

function requestTarget(url: string): string {
  const pathStart = url.indexOf("/", url.indexOf("//") + 2);
  return pathStart === -1 ? "/" : url.slice(pathStart);
}
