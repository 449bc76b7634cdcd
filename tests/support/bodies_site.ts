/**
 * A server of whole bodies in bytes whose exact bytes and Content-Length the wire must show:
 * on Deno, short UTF-8 bodies of a textual type are handed to the runtime as text
 * (src/core/text_body.ts), which must change nothing a client sees.
 * Run like the real server: `deno run -A tests/support/bodies_site.ts`, `bun run …`.
 *
 * @module
 */

import process from "node:process";
import { serve, type WsgiApp } from "../../mod.ts";

const utf8 = (text: string) => new TextEncoder().encode(text);

/** Each body: its Content-Type, whether the app declares its Content-Length, and its bytes. */
export const BODIES: Record<string, { type?: string; declare?: boolean; bytes: Uint8Array }> = {
  // Multi-byte UTF-8: a Content-Length counted in characters would be wrong.
  "utf8": { type: "text/html; charset=utf-8", bytes: utf8("<p>café 東京 🎉</p>\n") },
  "utf8-declared": { type: "text/plain", declare: true, bytes: utf8("naïve ☕\n") },
  // A leading BOM must stay: a decoder that eats it would send three bytes fewer.
  "bom": { type: "text/plain; charset=utf-8", bytes: utf8("\ufeffwith a BOM\n") },
  // Latin-1 text is not UTF-8: it goes out as the bytes it is.
  "latin1": {
    type: "text/plain; charset=iso-8859-1",
    bytes: Uint8Array.of(0x63, 0x61, 0x66, 0xe9, 0x0a),
  },
  // UTF-8 that spells U+FFFD itself: text on Deno, byte for byte.
  "replacement": { type: "text/plain; charset=utf-8", bytes: utf8("a \ufffd b\n") },
  // Cut short inside a character: not UTF-8, so it goes out as the bytes it is.
  "cut-short": { type: "text/plain", bytes: Uint8Array.of(0x61, 0x62, 0xe2, 0x82) },
  "json": { type: "application/problem+json", declare: true, bytes: utf8('{"title":"ü"}') },
  "binary": { type: "application/octet-stream", bytes: Uint8Array.of(0, 0xff, 0xfe, 0x80, 10) },
  // No Content-Type: the runtime must not add its text/plain.
  "untyped": { bytes: utf8("plain bytes\n") },
  "empty": { type: "text/plain", declare: true, bytes: new Uint8Array(0) },
};

const app: WsgiApp = (environ, startResponse) => {
  const body = BODIES[environ.PATH_INFO.slice(1)];
  if (!body) {
    startResponse("404 Not Found", [["Content-Type", "text/plain"]]);
    return ["no such body\n"];
  }
  const headers: [string, string][] = [];
  if (body.type) headers.push(["Content-Type", body.type]);
  if (body.declare) headers.push(["Content-Length", String(body.bytes.length)]);
  startResponse("200 OK", headers);
  return [body.bytes];
};

const server = serve(app, { port: Number(process.env.PORT ?? 0), hostname: "127.0.0.1" });
console.log(`listening on ${server.url}`);
