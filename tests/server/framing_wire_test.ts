// How every body shape the adapter has is framed on the wire, read off a raw socket of a real
// `mod.ts` process on each runtime, with the access log on (the default) and off:
// - a body whose length is known goes out with one Content-Length, equal to its bytes, and
//   never with Transfer-Encoding; a body of unknown length goes out chunked; never both;
// - a HEAD announces the GET's Content-Length, or none when the GET streams, and sends nothing;
// - an HTTP/1.0 client asking for keep-alive has it honoured (a Content-Length, the connection
//   answers again) or refused cleanly (the whole body, then the connection closes);
// - after each response the connection is in step: the next request gets its own answer.
// Where a runtime does otherwise, the test asserts what it does, so that an upgrade that
// changes it is noticed (docs/WSGI.md, "Where Deno and Bun differ").

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type CliProcess, runCli } from "../support/cli_process.ts";
import {
  openConnection,
  type RawConnection,
  type WireResponse,
} from "../support/raw_connection.ts";
import { type RuntimeName, RUNTIMES } from "../support/server_process.ts";
import { expectedBody, SHAPES } from "../fixtures/apps/shapes.ts";

const START_TIMEOUT = 60_000;
const MOUNT = ["--mount", "/shapes=tests/fixtures/apps/shapes.ts"];

// Streams whose app declared a Content-Length: Bun drops the header and sends them chunked
// (oven-sh/bun#10507), and Deno answers an HTTP/1.0 keep-alive for them with
// `Connection: keep-alive`, then closes the connection after the body.
const DECLARED_STREAMS = new Set(["long_generator_length", "async_length"]);

function framingHeaders(response: WireResponse) {
  return { lengths: response.all("content-length"), encodings: response.all("transfer-encoding") };
}

// The one check every response passes: at most one framing header, and never two lengths.
function expectOneFraming(response: WireResponse): void {
  const { lengths, encodings } = framingHeaders(response);
  expect(lengths.length + encodings.length).toBeLessThanOrEqual(1);
}

// The connection is still in step: another request on it gets exactly its own answer.
async function expectAnswersAgain(connection: RawConnection, version = "HTTP/1.1") {
  const keepAlive = version === "HTTP/1.0" ? "Connection: keep-alive\r\n" : "";
  connection.send(`GET /shapes/string ${version}\r\nHost: x\r\n${keepAlive}\r\n`);
  const again = await connection.response();
  expect(again.status).toBe(200);
  expect(new TextDecoder().decode(again.body)).toBe("Hello, web!\n");
}

function noBodyStatus(shape: string): boolean {
  return shape === "no_content" || shape === "not_modified";
}

function expectedFraming(runtime: RuntimeName, shape: string): string {
  if (noBodyStatus(shape)) return "none";
  if (runtime === "bun" && DECLARED_STREAMS.has(shape)) return "chunked";
  return SHAPES[shape].known ? "content-length" : "chunked";
}

for (const runtime of RUNTIMES) {
  for (const accessLog of ["on", "off"] as const) {
    describe(`${runtime}, access log ${accessLog}: the framing of every body shape`, () => {
      let server: CliProcess;
      let port: number;
      const open: RawConnection[] = [];
      const connect = async () => {
        const connection = await openConnection(port);
        open.push(connection);
        return connection;
      };
      beforeAll(async () => {
        const args = accessLog === "off" ? [...MOUNT, "--access-log", "off"] : MOUNT;
        server = runCli(runtime, { args });
        ({ port } = await server.listening());
      }, START_TIMEOUT);
      afterAll(async () => {
        for (const connection of open) connection.destroy();
        server.child.kill("SIGKILL");
        await server.exited;
      });

      for (const shape of Object.keys(SHAPES)) {
        test(`${shape}: GET over HTTP/1.1 is framed ${expectedFraming(runtime, shape)}`, async () => {
          const connection = await connect();
          connection.send(`GET /shapes/${shape} HTTP/1.1\r\nHost: x\r\n\r\n`);
          const response = await connection.response();
          const body = await expectedBody(shape);
          expect([...response.body]).toEqual([...body]);
          expectOneFraming(response);
          expect(response.framing).toBe(expectedFraming(runtime, shape));
          const { lengths } = framingHeaders(response);
          // RFC 9110 §8.6: never a Content-Length on a 204; on a 304 only the GET's.
          if (shape === "no_content") expect(lengths).toEqual([]);
          if (response.framing === "content-length") expect(lengths).toEqual([String(body.length)]);
          await expectAnswersAgain(connection);
        });

        test(`${shape}: HEAD has the GET's length, or none when the GET streams`, async () => {
          const connection = await connect();
          connection.send(`HEAD /shapes/${shape} HTTP/1.1\r\nHost: x\r\n\r\n`);
          const response = await connection.response({ noBody: true });
          expectOneFraming(response);
          const { lengths, encodings } = framingHeaders(response);
          const framing = expectedFraming(runtime, shape);
          if (framing === "content-length" || DECLARED_STREAMS.has(shape)) {
            expect(lengths).toEqual([String((await expectedBody(shape)).length)]);
          } else if (framing === "chunked") {
            // Deno says nothing of the length; Bun announces chunked, as for the GET.
            expect(lengths).toEqual([]);
            expect(encodings).toEqual(runtime === "bun" ? ["chunked"] : []);
          } else {
            expect(lengths).toEqual([]);
          }
          // No body bytes followed the head: the next answer parses from its first byte.
          await expectAnswersAgain(connection);
        });

        test(`${shape}: HTTP/1.0 keep-alive is honoured or refused cleanly`, async () => {
          const connection = await connect();
          connection.send(
            `GET /shapes/${shape} HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n`,
          );
          const response = await connection.response();
          expect([...response.body]).toEqual([...(await expectedBody(shape))]);
          expectOneFraming(response);
          // An HTTP/1.0 client cannot read chunks.
          expect(response.framing).not.toBe("chunked");
          const keptAlive = response.all("connection").some((v) => /keep-alive/i.test(v));
          if (runtime === "deno" && DECLARED_STREAMS.has(shape)) {
            // Deno's deviation: it says keep-alive, then closes after the whole body.
            expect(keptAlive).toBe(true);
            await connection.closed();
          } else if (keptAlive) {
            expect(response.framing === "content-length" || response.framing === "none").toBe(true);
            await expectAnswersAgain(connection, "HTTP/1.0");
          } else {
            await connection.closed();
          }
          // Which of the two each runtime does, so that a change is noticed.
          const honoured = runtime === "deno" && expectedFraming(runtime, shape) !== "chunked";
          expect(keptAlive).toBe(honoured || (runtime === "deno" && DECLARED_STREAMS.has(shape)));
        });
      }
    });
  }
}
