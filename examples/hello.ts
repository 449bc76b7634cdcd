/**
 * The classic first WSGI app: `Hello, web!`, or `Hello, NAME!` at `/apps/hello/NAME`.
 *
 * @module
 */

import type { WsgiApp } from "../mod.ts";
import { latin1ToText } from "../src/core/latin1.ts";
import { escapeHtml } from "../src/base/escape_html.ts";

/** Greets the name in `PATH_INFO`, or the web. */
export const application: WsgiApp = function hello(environ, startResponse) {
  // PATH_INFO holds bytes as latin-1 characters; the name was sent as UTF-8.
  const name = latin1ToText(environ.PATH_INFO.slice(1)) || "web";
  startResponse("200 OK", [["Content-Type", "text/html; charset=utf-8"]]);
  return [`<h1>Hello, ${escapeHtml(name)}!</h1>\n`];
};
