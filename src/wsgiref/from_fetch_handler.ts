/**
 * `fromFetchHandler()`: any Fetch handler (a Hono app's `fetch`, for one) as a WSGI app.
 *
 * @module
 */

import { isHopByHop } from "../core/response_rules.ts";
import type { AppResult, HeaderPair, WsgiApp } from "../core/types.ts";
import { environToRequest } from "./_environ_request.ts";
import { reasonPhrase } from "./_reason_phrases.ts";

/** Options for {@linkcode fromFetchHandler}. */
export interface FromFetchHandlerOptions {
  /**
   * Leaves `SCRIPT_NAME` out of the request's URL, so a handler written for the root routes on
   * `PATH_INFO` alone wherever it is mounted; defaults to `false`: the URL is the full path, as
   * the client sent it, and a Hono app mounted at `/api` uses `basePath("/api")`.
   */
  stripScriptName?: boolean;
}

/** A Fetch handler: a function of a `Request` to a `Response`. */
export type RequestHandler = (request: Request) => Response | Promise<Response>;

/**
 * Wraps a Fetch handler as a WSGI app, so it can be mounted with `dispatcher()` or
 * `createApp()` next to other WSGI apps.
 *
 * The handler gets a `Request` rebuilt from the environ: the URL from `wsgi.url_scheme`,
 * `HTTP_HOST` (or `SERVER_NAME` and `SERVER_PORT`), the percent-encoded `SCRIPT_NAME` and
 * `PATH_INFO` (dot segments resolved within `PATH_INFO`), and `QUERY_STRING`; the method; the
 * `HTTP_*` and `CONTENT_*` headers; a body streamed from `wsgi.input`, 64 KiB per read; and
 * `edge_wsgi.signal`. A `Host` that is not a valid host is replaced by `SERVER_NAME`, so it
 * cannot change the URL's path.
 *
 * Its `Response` becomes the status line (`statusText`, or the standard phrase when that is
 * empty), the headers (hop-by-hop ones dropped, each `Set-Cookie` kept apart) and a body that
 * is streamed chunk by chunk; the result's `close()` cancels the body if it is unfinished.
 *
 * On Bun, a `Response` made from a string has no `Content-Type` in its `headers` (Bun adds
 * `text/plain` only when it sends it), so none comes through here: set one explicitly (with
 * Hono, `c.header("Content-Type", ...)` or `c.json()`/`c.html()` rather than a bare `c.text()`).
 *
 * @param handler The Fetch handler, such as `honoApp.fetch`
 * @param options Whether to leave `SCRIPT_NAME` out of the URL
 * @returns A WSGI app
 * @throws {TypeError} When `handler` is not a function (at once), or when it resolves to
 * something other than a usable `Response` (from the app)
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { dispatcher, fromFetchHandler, toFetchHandler } from "./mod.ts";
 * const api = new Hono().basePath("/api");
 * api.get("/hello/:name", (c) => c.text(`Hello, ${c.req.param("name")}!`));
 * const handler = toFetchHandler(dispatcher({ "/api": fromFetchHandler(api.fetch) }));
 * const response = await handler(new Request("http://localhost/api/hello/Ada"));
 * await response.text(); // "Hello, Ada!"
 * ```
 */
export function fromFetchHandler(
  handler: RequestHandler,
  options: FromFetchHandlerOptions = {},
): WsgiApp {
  if (typeof handler !== "function") {
    throw new TypeError(`The handler must be a function of a Request, not ${typeof handler}`);
  }
  const stripScriptName = options.stripScriptName ?? false;
  return async function fetchApp(environ, startResponse) {
    const response: unknown = await handler(environToRequest(environ, { stripScriptName }));
    if (!(response instanceof Response)) {
      throw new TypeError(
        `The fetch handler must return a Response, not ${
          response === null ? "null" : typeof response
        }`,
      );
    }
    if (response.status < 200 || response.status > 599) {
      throw new TypeError(`The fetch handler returned a response with status ${response.status}`);
    }
    const reason = response.statusText || reasonPhrase(response.status);
    startResponse(`${response.status} ${reason}`, headersOf(response));
    return response.body ? streamBody(response.body) : [];
  };
}

function headersOf(response: Response): HeaderPair[] {
  const pairs: HeaderPair[] = [];
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie" && !isHopByHop(name)) pairs.push([name, value]);
  });
  // Fetch would join repeated fields with ", ", which breaks cookies: take them one by one.
  for (const cookie of response.headers.getSetCookie()) pairs.push(["set-cookie", cookie]);
  return pairs;
}

// The body as an async iterable that reads one chunk per step. Not an async generator: a
// generator's return() waits for a pending read, and a stalled stream would never end.
function streamBody(body: ReadableStream<Uint8Array>): AppResult {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let done = false;
  const finish = async () => {
    if (done) return;
    done = true;
    await (reader ? reader.cancel() : body.cancel()).catch(() => {});
  };
  const iterator: AsyncIterator<Uint8Array> = {
    async next() {
      if (done) return { done: true, value: undefined };
      reader ??= body.getReader();
      const step = await reader.read();
      if (step.done) {
        done = true;
        reader.releaseLock();
      }
      return step.done ? { done: true, value: undefined } : { done: false, value: step.value };
    },
    async return() {
      await finish();
      return { done: true, value: undefined };
    },
  };
  return {
    [Symbol.asyncIterator]: () => iterator,
    close: finish,
  };
}
