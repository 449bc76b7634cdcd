import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rawRequest } from "../support/raw_http.ts";
import { RUNTIMES, type ServerProcess, startServer } from "../support/server_process.ts";

const START_TIMEOUT = 60_000;
const BODY = "<h1>Hello, web!</h1>\n";
const SHAPES = ["string", "bytes", "bytes_length", "chunks", "generator"];

for (const runtime of RUNTIMES) {
  describe(`${runtime}: every response shape goes out in one piece, with its length`, () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startServer(runtime, { entry: "tests/support/shapes_site.ts" });
    }, START_TIMEOUT);
    afterAll(() => server?.stop());

    const raw = (path: string, method = "GET") =>
      rawRequest(server.port, [`${method} ${path} HTTP/1.1`, "Host: x"]);

    for (const shape of SHAPES) {
      test(`the ${shape} hello app sends exactly its bytes with Content-Length 21`, async () => {
        const response = await raw(`/${shape}`);
        expect(response.status).toBe(200);
        expect(response.header("content-type")).toBe("text/html; charset=utf-8");
        expect(response.header("content-length")).toBe("21");
        expect(response.header("transfer-encoding")).toBeUndefined();
        expect(response.headers.filter(([name]) => name === "content-length")).toHaveLength(1);
        expect(new TextDecoder().decode(response.body)).toBe(BODY);
      });

      test(`HEAD of the ${shape} hello app has the headers of GET and no body`, async () => {
        const response = await raw(`/${shape}`, "HEAD");
        expect(response.status).toBe(200);
        expect(response.header("content-type")).toBe("text/html; charset=utf-8");
        expect(response.header("content-length")).toBe("21");
        expect(response.body.length).toBe(0);
      });
    }

    test("a long generator still streams, chunked, every line in order", async () => {
      const response = await raw("/long");
      expect(response.status).toBe(200);
      expect(response.header("transfer-encoding")).toBe("chunked");
      const expected = Array.from({ length: 100 }, (_, i) => `line ${i}\n`).join("");
      expect(new TextDecoder().decode(response.body)).toBe(expected);
    });
  });
}
