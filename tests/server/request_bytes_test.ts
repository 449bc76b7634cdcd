/**
 * Bytes a client sends unencoded in the request line (`GET /é?v=é`), over raw sockets against
 * real `deno run -A mod.ts` and `bun run mod.ts` processes: the app gets them as Python's
 * servers give them, one latin-1 character per byte, as far as each runtime lets them through.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rawRequest } from "../support/raw_http.ts";
import { RUNTIMES, type ServerProcess, startServer } from "../support/server_process.ts";

// "é" as the two UTF-8 bytes a client puts on the wire (raw_http sends each character as a byte).
const E_ACUTE_BYTES = "\u00c3\u00a9";

for (const runtime of RUNTIMES) {
  describe(`${runtime}: unencoded bytes in the request line`, () => {
    let site: ServerProcess;
    beforeAll(async () => {
      site = await startServer(runtime);
    }, 60_000);
    afterAll(() => site?.stop());

    async function environOf(target: string) {
      const response = await rawRequest(site.port, [`GET ${target} HTTP/1.1`, "Host: x"]);
      expect(response.status).toBe(200);
      return JSON.parse(new TextDecoder().decode(response.body));
    }

    test("PATH_INFO holds the UTF-8 bytes of a raw é as latin-1 characters", async () => {
      const environ = await environOf(`/apps/environ/caf${E_ACUTE_BYTES}`);
      expect(environ.PATH_INFO).toBe("/caf\u00c3\u00a9");
    });

    test("PATH_INFO is the same for a raw é and for %C3%A9", async () => {
      const raw = await environOf(`/apps/environ/${E_ACUTE_BYTES}`);
      const escaped = await environOf("/apps/environ/%C3%A9");
      expect(raw.PATH_INFO).toBe(escaped.PATH_INFO);
    });

    if (runtime === "deno") {
      test("QUERY_STRING holds the bytes of a raw é as latin-1, as Python's servers give it", async () => {
        const environ = await environOf(`/apps/environ?v=${E_ACUTE_BYTES}&w=%C3%A9`);
        expect(environ.QUERY_STRING).toBe("v=\u00c3\u00a9&w=%C3%A9");
      });

      test("a request line that is not UTF-8 is refused by Deno with 400", async () => {
        const response = await rawRequest(site.port, [
          "GET /apps/environ?v=\u00ff HTTP/1.1",
          "Host: x",
        ]);
        expect(response.status).toBe(400);
      });
    } else {
      test("QUERY_STRING holds a raw é percent-encoded: Bun encodes it before any handler", async () => {
        const environ = await environOf(`/apps/environ?v=${E_ACUTE_BYTES}&w=%C3%A9`);
        expect(environ.QUERY_STRING).toBe("v=%C3%A9&w=%C3%A9");
      });

      test("a byte that is not UTF-8 reaches the app as Bun's U+FFFD, percent-encoded", async () => {
        const environ = await environOf("/apps/environ?v=\u00ff");
        expect(environ.QUERY_STRING).toBe("v=%EF%BF%BD");
      });
    }
  });
}
