/**
 * Calls a WSGI app and turns what it produced into a `Response`: a list (or a short sync
 * generator, read at once) in one piece, anything else streamed with the headers going out with
 * the first non-empty chunk (PEP 3333).
 *
 * @module
 */

import { type BodySource, openBody } from "./body_source.ts";
import { describe } from "./describe_error.ts";
import type { RequestRun } from "./request_run.ts";
import { respondWithChunks } from "./respond.ts";
import { respondWithStream } from "./respond_stream.ts";
import { createStartResponse, type ResponseStart } from "./start_response.ts";
import { drainSyncBody } from "./sync_body.ts";
import type { AppResult, BodyChunk, Environ, Logger, WsgiApp } from "./types.ts";

/**
 * Calls the app and builds its response: at once when the app returns a list, else a promise.
 * Throws (or rejects with) whatever fails before the headers are final, after closing the body.
 */
export function runApp(
  app: WsgiApp,
  environ: Environ,
  run: RequestRun,
): Response | Promise<Response> {
  const start = createStartResponse(run.statuses);
  const result = app(environ, start.startResponse);
  if (result instanceof Promise) return result.then((value) => finish(value, environ, run, start));
  return finish(result, environ, run, start);
}

function finish(
  result: AppResult,
  environ: Environ,
  run: RequestRun,
  start: ResponseStart,
): Response | Promise<Response> {
  // A short sync body without close() (a generator) is read now and sent like a list.
  if (!Array.isArray(result) && isPlainSyncIterable(result)) {
    const drained = drainSyncBody(result, start, (error) => {
      run.logger(`Error while ending the app's body: ${describe(error)}`);
    });
    if (drained.rest) return stream(drained.rest, environ, run, start);
    result = drained.whole;
  }
  const status = start.status();
  const head = start.head();
  // A list of chunks is already whole in memory: send it in one piece, the common fast path.
  // So is what write() holds, which goes out first (PEP 3333): with it the body's length is
  // known too, and a client gets it as a Content-Length rather than chunks.
  if (status && head && Array.isArray(result)) {
    const chunks = start.hasWritten() ? [...start.pendingWritten(), ...result] : result;
    let response: Response | undefined;
    try {
      response = respondWithChunks(chunks, environ.REQUEST_METHOD, status, head);
    } catch (error) {
      return closeList(result, run.logger).then(() => Promise.reject(error));
    }
    if (response) {
      const sent = response;
      if (typeof (result as AppResult).close === "function") {
        return closeList(result, run.logger).then(() => {
          run.errors.flush();
          return sent;
        });
      }
      run.errors.flush();
      return response;
    }
  }
  return stream(result, environ, run, start);
}

async function stream(
  result: AppResult,
  environ: Environ,
  run: RequestRun,
  start: ResponseStart,
): Promise<Response> {
  const body = keptAlive(openBody(result, start, run.logger, () => run.errors.flush()), run);
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
      report: (error) => run.report(error),
      onDisconnect: () => run.onDisconnect(),
    });
  } catch (error) {
    await body.close();
    throw error;
  }
}

// The body's close() may still be running when the last byte has gone out (it is awaited
// after the stream closes, and an app's close() may be async): where the runtime ends a
// request with its response (Workers), it is handed to waitUntil to finish.
function keptAlive(body: BodySource, run: RequestRun): BodySource {
  const waitUntil = run.waitUntil;
  if (!waitUntil) return body;
  return {
    next: () => body.next(),
    close() {
      const closing = body.close();
      waitUntil(closing);
      return closing;
    },
  };
}

function isPlainSyncIterable(result: AppResult): result is Iterable<BodyChunk> {
  return typeof result === "object" && result !== null && !ArrayBuffer.isView(result) &&
    typeof result.close !== "function" &&
    typeof (result as Iterable<BodyChunk>)[Symbol.iterator] === "function" &&
    typeof (result as AsyncIterable<BodyChunk>)[Symbol.asyncIterator] !== "function";
}

async function closeList(result: AppResult, logger: Logger): Promise<void> {
  if (typeof result.close !== "function") return;
  try {
    await result.close();
  } catch (error) {
    logger(`Error in the app's close(): ${describe(error)}`);
  }
}
