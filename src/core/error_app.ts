/**
 * The error page, itself a tiny WSGI app (as in wsgiref's `BaseHandler.error_output`).
 *
 * @module
 */

import { describe } from "./describe_error.ts";
import type { WsgiApp } from "./types.ts";

/**
 * Creates the app that answers when another app failed before sending its headers: a 500 that
 * reveals nothing, unless `debug` asks for the error's detail.
 *
 * @param error What the failed app threw
 * @param debug Whether to show the error and its stack in the body
 */
export function internalErrorApp(error: unknown, debug: boolean): WsgiApp {
  return function internalError(_environ, startResponse) {
    const detail = debug ? `\n\n${describe(error)}\n` : "\n";
    startResponse("500 Internal Server Error", [["Content-Type", "text/plain; charset=utf-8"]]);
    return [`Internal Server Error${detail}`];
  };
}
