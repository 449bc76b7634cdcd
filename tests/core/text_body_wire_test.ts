// Whole bodies in bytes, on the wire of both runtimes: on Deno a short UTF-8 body of a textual
// type goes to the runtime as text (src/core/text_body.ts); a client must see exactly the
// app's bytes, one Content-Length equal to their number, and the app's Content-Type or none.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { BODIES } from "../support/bodies_site.ts";
import { rawRequest } from "../support/raw_http.ts";
import { RUNTIMES, type ServerProcess, startServer } from "../support/server_process.ts";

for (const runtime of RUNTIMES) {
  describe(`${runtime}: whole byte bodies on the wire`, () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startServer(runtime, { entry: "tests/support/bodies_site.ts" });
    });
    afterAll(() => server.stop());

    for (const [name, body] of Object.entries(BODIES)) {
      test(`${name}: the app's bytes, one Content-Length, its Content-Type`, async () => {
        const response = await rawRequest(server.port, [`GET /${name} HTTP/1.1`, "Host: x"]);
        expect(response.status).toBe(200);
        expect([...response.body]).toEqual([...body.bytes]);
        const lengths = response.headers.filter(([field]) => field === "content-length");
        expect(lengths).toEqual([["content-length", String(body.bytes.length)]]);
        expect(response.header("transfer-encoding")).toBeUndefined();
        const types = response.headers.filter(([field]) => field === "content-type");
        // Bun types an untyped body itself (docs/WSGI.md, "Where Deno and Bun differ").
        const runtimeType = runtime === "bun" ? [["content-type", "application/octet-stream"]] : [];
        expect(types).toEqual(body.type ? [["content-type", body.type]] : runtimeType);
      });

      test(`${name}: HEAD has the same Content-Length and no body`, async () => {
        const response = await rawRequest(server.port, [`HEAD /${name} HTTP/1.1`, "Host: x"]);
        expect(response.status).toBe(200);
        expect(response.body.length).toBe(0);
        if (body.declare) expect(response.header("content-length")).toBe(String(body.bytes.length));
      });
    }
  });
}
