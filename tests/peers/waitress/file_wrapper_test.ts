// Our port of waitress's FileWrapperTests (tests/test_functional.py): a JPEG (our own
// tests/peers/apps/rings.jpg, 18 021 bytes, so several 8 KB blocks) through wsgi.file_wrapper,
// as a real file and as objects with only read(), with a right, missing, short or long
// Content-Length, over HTTP/1.1 (twice on one connection where it stays open) and HTTP/1.0.

import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import type { WireResponse } from "../support/connection.ts";
import { DIFFERENCES, on } from "../support/differences.ts";
import { CLOSE_WAIT, eachTarget, waitressPolicy } from "../support/waitress.ts";

const IMAGE = new Uint8Array(readFileSync(new URL("../apps/rings.jpg", import.meta.url)));
const SIZE = IMAGE.length;

for (const name of ["test_filelike_nocl_http11", "test_filelike_nocl_http10"]) {
  waitressPolicy(
    name,
    "a Content-Length for a file sent without one",
    "it measures a seekable file itself; we send what the app declared (here none)",
  );
}
waitressPolicy(
  "test_filelike_longcl_http11",
  "a Content-Length cut down to the file's size, and the connection kept",
  "it corrects the app's length from the file; we send the app's and end short: a close",
);
waitressPolicy(
  "test_notfilelike_nocl_http11",
  "a close after the chunked body",
  "it closes after every chunked response; we keep the connection",
);

// The bytes a path sends, and whether its Content-Length is the app's (`declared`).
interface Shape {
  path: string;
  declared: number | null;
  bytes: number;
}
const shape = (path: string): Shape => {
  if (path.endsWith("_nocl")) return { path, declared: null, bytes: SIZE };
  if (path.endsWith("_shortcl")) return { path, declared: 1, bytes: 1 };
  if (path.endsWith("_longcl")) return { path, declared: SIZE + 10, bytes: SIZE };
  return { path, declared: SIZE, bytes: SIZE };
};

eachTarget((target) => {
  const { runtime } = target;
  const app = target.app("filewrapper");

  function expectImage(response: WireResponse, { declared, bytes }: Shape) {
    expect([response.status, response.header("content-type")]).toEqual([200, "image/jpeg"]);
    expect(response.body).toEqual(IMAGE.subarray(0, bytes));
    const length = response.header("content-length");
    // Deno sends the app's Content-Length with a streamed body. Bun drops it: none, or the
    // length Bun measured itself when the whole body was ready at once.
    if (on(DIFFERENCES.streamedContentLength, runtime)) {
      expect(length).toBe(declared === null ? undefined : String(declared));
    } else if (length !== undefined) expect(Number(length)).toBe(bytes);
    // A body that ends short of its length is seen as cut (by its length, or its chunking).
    expect(response.truncated).toBe(declared !== null && bytes < declared);
  }

  // waitress FileWrapperTests.test_*_http11: twice on one connection, unless the body ends
  // short of its length, which closes it.
  for (const kind of ["filelike", "notfilelike"]) {
    for (const suffix of ["", "_iobase", "_nocl", "_shortcl", "_longcl"]) {
      if (kind === "filelike" && suffix === "_iobase") continue;
      const path = `/${kind}${suffix}`;
      test.concurrent(`test_${kind}${suffix}_http11`, async () => {
        const wanted = shape(path);
        const request = `GET ${app}${path} HTTP/1.1\r\nHost: peers\r\n\r\n`;
        const conn = await target.connect();
        const short = wanted.declared !== null && wanted.bytes < wanted.declared;
        for (let n = 0; n < (short ? 1 : 2); n++) {
          conn.send(request);
          expectImage(await conn.read(), wanted);
        }
        if (short) expect(await conn.closedWithin(CLOSE_WAIT)).toBe(true);
        conn.close();
      });
    }
  }

  // Ours, beside test_filelike_http10: a file streamed with its Content-Length to an HTTP/1.0
  // client asking for keep-alive. Deno answers `Connection: keep-alive`, then closes anyway.
  test.concurrent("test_filelike_http10, asking for keep-alive", async () => {
    const conn = await target.connect();
    conn.send(`GET ${app}/filelike HTTP/1.0\r\nConnection: keep-alive\r\n\r\n`);
    expectImage(await conn.read(), shape("/filelike"));
    const kept = on(DIFFERENCES.http10KeepAliveStreamed, runtime);
    expect(await conn.closedWithin(CLOSE_WAIT)).toBe(!kept);
  });

  // waitress FileWrapperTests.test_*_http10: one request, then the close.
  for (const path of ["/filelike", "/filelike_nocl", "/notfilelike", "/notfilelike_nocl"]) {
    test.concurrent(`test${path.replace("/", "_")}_http10`, async () => {
      const conn = await target.connect();
      conn.send(`GET ${app}${path} HTTP/1.0\r\n\r\n`);
      const response = await conn.read();
      expect(response.version).toBe(on(DIFFERENCES.statusLineToHttp10, runtime));
      expectImage(response, shape(path));
      expect(await conn.closedWithin(CLOSE_WAIT)).toBe(true);
    });
  }
});
