/**
 * Our TypeScript port of waitress's filewrapper fixture: `rings.jpg` (our own image) through
 * `wsgi.file_wrapper` in 8192-byte blocks, as a file path (`/filelike…`) or as an object with
 * only `read(n)` (`/notfilelike…`, `/notfilelike_iobase`), with its `Content-Length`, none
 * (`_nocl`), 1 (`_shortcl`) or 10 too many (`_longcl`).
 *
 * @module
 */

import { readFileSync, statSync } from "node:fs";
import type { FileLike, HeaderPair, WsgiApp } from "../../../mod.ts";

const IMAGE = new URL("./rings.jpg", import.meta.url).pathname;

function lengthHeaders(path: string, size: number): HeaderPair[] {
  if (path.endsWith("_nocl")) return [];
  if (path.endsWith("_shortcl")) return [["Content-Length", "1"]];
  if (path.endsWith("_longcl")) return [["Content-Length", String(size + 10)]];
  return [["Content-Length", String(size)]];
}

function readOnly(data: Uint8Array): FileLike {
  let rest = data;
  return {
    read(n) {
      const head = rest.subarray(0, n);
      rest = rest.subarray(n);
      return head;
    },
  };
}

/** The image, framed as the path says. */
export const application: WsgiApp = function filewrapper(environ, startResponse) {
  const path = environ.PATH_INFO;
  let body: FileLike | string;
  let size: number;
  if (path.startsWith("/filelike")) {
    body = IMAGE;
    size = statSync(IMAGE).size;
  } else {
    const data = new Uint8Array(readFileSync(IMAGE));
    size = data.length;
    body = readOnly(data);
  }
  startResponse("200 OK", [...lengthHeaders(path, size), ["Content-Type", "image/jpeg"]]);
  return environ["wsgi.file_wrapper"](body, 8192);
};
