import { describe, expect, test } from "bun:test";
import { createStartResponse } from "../../src/core/start_response.ts";
import { createErrors } from "../../src/core/errors_stream.ts";
import { createInput } from "../../src/core/input.ts";
import type { PythonRuntime } from "../../src/python/interpreter.ts";
import { pythonBody } from "../../src/python/python_body.ts";
import { RequestContext } from "../../src/python/request_context.ts";

// A runtime whose next_chunk() stays suspended (as on a read of wsgi.input, JSPI) until the
// test settles it, and which records every call in order.
function suspendedRuntime() {
  const calls: string[] = [];
  let settle!: (frame: string | undefined) => void;
  let fail!: (error: unknown) => void;
  const runtime = {
    nextChunkPromising: (number: number) => {
      calls.push(`next ${number}`);
      return new Promise((resolve, reject) => {
        settle = (frame) => {
          calls.push("next settled");
          resolve(frame);
        };
        fail = (error) => {
          calls.push("next failed");
          reject(error);
        };
      });
    },
    closeBodyPromising: (number: number) => {
      calls.push(`close ${number}`);
      return Promise.resolve();
    },
  } as unknown as PythonRuntime;
  return {
    runtime,
    calls,
    settle: (frame?: string) => settle(frame),
    fail: (e: unknown) => fail(e),
  };
}

function bodyOf(runtime: PythonRuntime, calls: string[]) {
  const context = new RequestContext(
    createStartResponse().startResponse,
    createInput(null),
    createErrors(() => {}),
  );
  return pythonBody(runtime, 7, {
    suspending: true,
    context,
    failure: (error) => error,
    onClosed: () => calls.push("onClosed"),
  }) as AsyncIterable<Uint8Array> & { close(): Promise<void> };
}

describe("pythonBody()", () => {
  test("close() during a suspended next() waits for it to settle, then closes once", async () => {
    const { runtime, calls, settle } = suspendedRuntime();
    const body = bodyOf(runtime, calls);
    const pulled = body[Symbol.asyncIterator]().next();
    const closing = body.close();
    const again = body.close();
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Python cannot close a generator that is running: nothing happens until next() settles.
    expect(calls).toEqual(["next 7"]);
    settle(`-\0data`);
    await Promise.all([pulled, closing, again]);
    expect(calls).toEqual(["next 7", "next settled", "close 7", "onClosed"]);
  });

  test("close() after a next() that failed (the client left) closes once", async () => {
    const { runtime, calls, fail } = suspendedRuntime();
    const body = bodyOf(runtime, calls);
    const pulled = body[Symbol.asyncIterator]().next().catch((error) => error);
    const closing = body.close();
    fail(new Error("ConnectionResetError"));
    expect((await pulled).message).toBe("ConnectionResetError");
    await closing;
    expect(calls).toEqual(["next 7", "next failed", "close 7", "onClosed"]);
  });

  test("a next() after close() does not call into Python, which forgot the body", async () => {
    const { runtime, calls } = suspendedRuntime();
    const body = bodyOf(runtime, calls);
    await body.close();
    expect(await body[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined });
    expect(calls).toEqual(["close 7", "onClosed"]);
  });
});
