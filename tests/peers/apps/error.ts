/**
 * Our TypeScript port of waitress's error fixture: an app that fails before `startResponse`,
 * after it, after `write("abc")` (`/after_write_cb`), or inside its body generator after
 * yielding `"abc"` (`/in_generator`). Strings are valid chunks here, unlike in Python 3.
 *
 * @module
 */

import type { WsgiApp } from "../../../mod.ts";
import { readBody } from "../support/read_body.ts";

/** Fails, in the place the path names. */
export const application: WsgiApp = async function error(environ, startResponse) {
  const body = await readBody(environ);
  const path = environ.PATH_INFO;
  if (path === "/before_start_response") throw new RangeError("failing on purpose");
  const write = startResponse("200 OK", [
    ["Content-Length", String(body.length)],
    ["Content-Type", "text/plain"],
  ]);
  if (path === "/after_write_cb") write("abc");
  if (path === "/in_generator") {
    return (function* failing() {
      yield "abc";
      throw new RangeError("failing on purpose");
    })();
  }
  throw new RangeError("failing on purpose");
};
