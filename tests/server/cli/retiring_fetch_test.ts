import { describe, expect, test } from "bun:test";
import { createRetiringFetch } from "../../../src/server/cli/retiring_fetch.ts";

const request = () => new Request("http://localhost/");

describe("createRetiringFetch()", () => {
  test("createRetiringFetch() calls onLimit once, at the maxRequests-th request", async () => {
    let calls = 0;
    const worker = createRetiringFetch(() => new Response("ok"), {
      maxRequests: 3,
      onLimit: () => calls++,
    });
    for (let i = 1; i <= 5; i++) {
      await worker.fetch(request(), {});
      expect({ request: i, calls }).toEqual({ request: i, calls: i >= 3 ? 1 : 0 });
    }
  });

  test("createRetiringFetch() adds no Connection header until it drains", async () => {
    const worker = createRetiringFetch(() => new Response("ok"));
    expect((await worker.fetch(request(), {})).headers.get("connection")).toBeNull();
  });

  test("createRetiringFetch() answers with Connection: close once draining, sync or async", async () => {
    let later: (response: Response) => void = () => {};
    const pending = new Promise<Response>((resolve) => later = resolve);
    let call = 0;
    const worker = createRetiringFetch(() => call++ === 0 ? pending : new Response("now"));
    // A request in flight when the drain starts is told to close too.
    const inFlight = worker.fetch(request(), {});
    const drained = worker.drain(10_000);
    const sync = await worker.fetch(request(), {});
    expect(sync.headers.get("connection")).toBe("close");
    later(new Response("later"));
    expect((await inFlight).headers.get("connection")).toBe("close");
    await drained;
  });

  test("createRetiringFetch() copies a response whose headers are immutable", async () => {
    const worker = createRetiringFetch(() => Response.redirect("http://localhost/next", 302));
    void worker.drain(0);
    const response = await worker.fetch(request(), {});
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("http://localhost/next");
    expect(response.headers.get("connection")).toBe("close");
  });

  test("createRetiringFetch() drain() waits for the requests pending", async () => {
    let finish: (response: Response) => void = () => {};
    const worker = createRetiringFetch(() => new Promise((resolve) => finish = resolve));
    const inFlight = worker.fetch(request(), {});
    let drained = false;
    const draining = worker.drain(10_000).then(() => drained = true);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(drained).toBe(false);
    finish(new Response("done"));
    expect((await inFlight).headers.get("connection")).toBe("close");
    await draining;
  });

  test("createRetiringFetch() drain() waits until no request has come for a while", async () => {
    const worker = createRetiringFetch(() => new Response("ok"));
    const started = Date.now();
    let lastAt = started;
    let drained = false;
    const draining = worker.drain(10_000).then(() => drained = true);
    // Requests keep coming for 600 ms: the drain waits past the last one.
    while (Date.now() - started < 600) {
      await worker.fetch(request(), {});
      lastAt = Date.now();
      expect(drained).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await draining;
    expect(Date.now() - lastAt).toBeGreaterThanOrEqual(450);
  });

  test("createRetiringFetch() drain() gives up at its limit", async () => {
    const worker = createRetiringFetch(() => new Promise<Response>(() => {}));
    void worker.fetch(request(), {});
    const started = Date.now();
    await worker.drain(200);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test("createRetiringFetch() passes a handler's error on", async () => {
    const worker = createRetiringFetch(() => Promise.reject(new Error("boom 4d1a")));
    expect(worker.fetch(request(), {})).rejects.toThrow("boom 4d1a");
    await worker.drain(2000);
  });
});
