/**
 * `validator()`: a middleware that checks both sides of the WSGI interface, as Python's
 * `wsgiref.validate.validator`.
 *
 * @module
 */

import type { Environ, WsgiApp } from "../core/types.ts";
import { createReport } from "./_report.ts";
import { watchBody } from "./validate_body.ts";
import { checkEnviron } from "./validate_environ.ts";
import { type ResponseState, watchStartResponse } from "./validate_response.ts";
import { watchErrors, watchInput } from "./validate_streams.ts";

/** Options for {@linkcode validator}. */
export interface ValidatorOptions {
  /**
   * Checks PEP 3333 to the letter: warnings become errors, and string chunks (which this API
   * takes and sends as UTF-8) become errors too, as WSGI bodies are bytes. Defaults to `false`.
   */
  strict?: boolean;
  /**
   * How long the server may take, after the body ended, to call its `close()` before a
   * warning is logged; defaults to `1000` (milliseconds). For a list body the clock starts
   * when the app returns, as a server may send a list without iterating it.
   */
  closeGraceMs?: number;
}

/**
 * Wraps an app in checks of both sides of PEP 3333, for development and tests. It changes
 * nothing in the request or the response; it only throws a {@linkcode WsgiValidationError}
 * naming the broken rule (which `toFetchHandler()` turns into a 500 and a log line) or writes
 * a warning line to `wsgi.errors`.
 *
 * The server's side: the environ's keys and types (the CGI keys are latin-1 strings, no
 * `HTTP_CONTENT_TYPE`/`HTTP_CONTENT_LENGTH`, `SCRIPT_NAME` never `"/"`, `PATH_INFO` empty or
 * starting with `/`, `wsgi.version` `[1, 0]`, `wsgi.url_scheme` http or https, `wsgi.input`
 * and `wsgi.errors` with their methods), what `wsgi.input` returns, and that the body is not
 * read after `close()`, and `close()` is called once (a missing call can only be noticed late,
 * so it is a warning).
 *
 * The app's side: every `start_response` call (2 or 3 arguments; status `"NNN Reason"` with
 * NNN from 200 to 599; headers an array of string pairs with token names, no control or
 * non-latin-1 characters, no `Status` and no hop-by-hop header; a second call only with
 * `excInfo`), `write()` and body chunks (`Uint8Array`, or a string as this API allows; in
 * strict mode bytes only, as PEP 3333 has it), `start_response` before the first non-empty chunk, `wsgi.input` read with integer
 * sizes and never closed, `wsgi.errors` given strings. A body without `Content-Type`, a 204 or
 * 304 with one, a missing `QUERY_STRING` and an unknown method are warnings.
 *
 * `wsgi.input` and `wsgi.errors` are replaced, in the environ itself, by checking wrappers.
 *
 * @param app The app to check
 * @param options Strict mode, and the grace period for `close()`
 * @returns The checked app
 * @throws {TypeError} When `app` is not a function
 * @example
 * ```ts
 * import { toFetchHandler, validator, type WsgiApp } from "./mod.ts";
 * const app: WsgiApp = (_environ, startResponse) => {
 *   startResponse("200 OK", [["Content-Type", "text/plain"], ["Connection", "close"]]);
 *   return [new TextEncoder().encode("hi\n")];
 * };
 * const lines: string[] = [];
 * const response = await toFetchHandler(validator(app), { logger: (line) => lines.push(line) })(
 *   new Request("http://localhost/"),
 * );
 * response.status; // 500, and lines[0] says: The app broke WSGI rule headers.hop_by_hop: ...
 * ```
 */
export function validator(app: WsgiApp, options: ValidatorOptions = {}): WsgiApp {
  if (typeof app !== "function") {
    throw new TypeError(`validator() takes a WSGI app function, not ${typeof app}`);
  }
  const strict = options.strict ?? false;
  const graceMs = options.closeGraceMs ?? 1000;
  return async function validated(...args: unknown[]) {
    // Warnings go to the request's wsgi.errors, once the environ checks found it usable.
    const report = createReport(() => (args[0] as Environ)["wsgi.errors"], strict);
    if (args.length !== 2) {
      report.fail("app.args", "server", `A WSGI app takes 2 arguments, not ${args.length}`);
    }
    const [environ, startResponse] = args;
    if (typeof startResponse !== "function") {
      report.fail(
        "app.args",
        "server",
        `start_response must be a function, not ${typeof startResponse}`,
      );
    }
    checkEnviron(environ, report);
    const state: ResponseState = {
      headers: [],
      bodyStarted: false,
      closed: false,
    };
    const env: Environ = environ;
    env["wsgi.input"] = watchInput(env["wsgi.input"], report);
    env["wsgi.errors"] = watchErrors(env["wsgi.errors"], report);
    const result = await app(env, watchStartResponse(startResponse as never, state, report));
    return watchBody(result, state, report, graceMs);
  } as WsgiApp;
}
