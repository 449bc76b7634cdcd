import { describe, expect, test } from "bun:test";
import { createStartResponse } from "../../src/core/start_response.ts";
import { createErrors } from "../../src/core/errors_stream.ts";
import { createInput } from "../../src/core/input.ts";
import { latin1Bytes, RequestContext } from "../../src/python/request_context.ts";

const S = "\0";

function contextOf() {
  const start = createStartResponse();
  const lines: string[] = [];
  const context = new RequestContext(
    start.startResponse,
    createInput(null),
    createErrors((line) => lines.push(line)),
  );
  return { start, context, lines };
}

describe("RequestContext.take()", () => {
  test("take() returns the data of a frame with nothing new", () => {
    const { start, context } = contextOf();
    expect(context.take(`-${S}body`)).toBe("body");
    expect(start.status()).toBeUndefined();
  });

  test("take() starts the response with the frame's status and headers, in order", () => {
    const { start, context } = contextOf();
    const frame = `S${S}201 Created${S}3${S}Content-Type${S}text/plain${S}Set-Cookie${S}a=1${S}` +
      `Set-Cookie${S}b=2${S}\u00ff\u00e4`;
    expect(context.take(frame)).toBe("\u00ff\u00e4");
    expect(start.status()?.code).toBe(201);
    expect(start.headers()).toEqual([
      ["Content-Type", "text/plain"],
      ["Set-Cookie", "a=1"],
      ["Set-Cookie", "b=2"],
    ]);
  });

  test("take() replaces a status with R, as start_response with exc_info does", () => {
    const { start, context } = contextOf();
    context.take(`S${S}200 OK${S}0${S}`);
    context.take(`R${S}503 Busy${S}1${S}Retry-After${S}5${S}`);
    expect(start.status()?.code).toBe(503);
    expect(() => context.take(`S${S}200 OK${S}0${S}`)).toThrow(/second time/);
  });

  test("take() applies the TypeScript rules: a CR/LF in a value is refused", () => {
    const { context } = contextOf();
    expect(() => context.take(`S${S}200 OK${S}1${S}X-A${S}a\r\nSet-Cookie: x=1${S}`)).toThrow(
      TypeError,
    );
  });

  test("take() applies the TypeScript rules: a hop-by-hop header is refused", () => {
    const { context } = contextOf();
    expect(() => context.take(`S${S}200 OK${S}1${S}Connection${S}close${S}`)).toThrow(TypeError);
  });

  test("write() starts the response if its head says so, then queues the bytes", () => {
    const { start, context } = contextOf();
    context.write(`S${S}200 OK${S}0`, "ab\u00ff");
    expect(start.takeWritten()).toEqual(Uint8Array.of(97, 98, 255));
  });

  test("log() writes lines to wsgi.errors, and flushes", () => {
    const { context, lines } = contextOf();
    context.log("one\ntw", false);
    context.log("", true);
    expect(lines).toEqual(["one", "tw"]);
  });
});

describe("latin1Bytes()", () => {
  test("latin1Bytes() turns each character into its byte", () => {
    const text = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));
    expect(latin1Bytes(text)).toEqual(Uint8Array.from({ length: 256 }, (_, i) => i));
  });
});
