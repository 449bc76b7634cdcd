/**
 * A rough, in-process look at the adapter's own cost per request, for a busy machine where wrk's
 * figures swing: each handler (raw, Hono, edge-wsgi in every shape of `hello_shapes.ts`) is
 * called with a fresh `Request` and its body read, in interleaved rounds, and the median time
 * per call is printed with its ratio to raw and to Hono. No sockets: the runtime's HTTP work,
 * the same for all, is left out, so the ratios here are wider than wrk's.
 *
 * Run: `deno run -A bench/handler_micro.ts` or `bun run bench/handler_micro.ts`
 * (`N` calls per round, default 20000; `ROUNDS`, default 5).
 *
 * @module
 */

import process from "node:process";
import { Hono } from "hono";
import { toFetchHandler } from "../mod.ts";
import { SHAPES } from "./hello_shapes.ts";

const BODY = "<h1>Hello, web!</h1>\n";
const HEADERS = { "Content-Type": "text/html; charset=utf-8" };
const hono = new Hono();
hono.get("/", (c) => c.body(BODY, 200, HEADERS));

type Handler = (request: Request, info?: unknown) => Response | Promise<Response>;
const handlers: Record<string, Handler> = {
  raw: () => new Response(BODY, { status: 200, statusText: "OK", headers: HEADERS }),
  hono: (request) => hono.fetch(request),
};
const info = {
  remoteAddr: { hostname: "127.0.0.1", port: 40000 },
  localAddr: { hostname: "127.0.0.1", port: 8000 },
};
for (const [shape, app] of Object.entries(SHAPES)) {
  const handler = toFetchHandler(app);
  handlers[shape] = (request) => handler(request, info);
}

const n = Number(process.env.N ?? 20000);
const rounds = Number(process.env.ROUNDS ?? 5);
const expected = BODY;

async function once(handler: Handler): Promise<void> {
  const request = new Request("http://127.0.0.1:8000/", {
    headers: { host: "127.0.0.1:8000", "user-agent": "wrk", accept: "*/*" },
  });
  const response = await handler(request);
  const text = await response.text();
  if (text !== expected) throw new Error(`Wrong body ${JSON.stringify(text)}`);
}

const times: Record<string, number[]> = {};
for (let round = 0; round < rounds; round++) {
  for (const [name, handler] of Object.entries(handlers)) {
    for (let i = 0; i < n / 10; i++) await once(handler);
    const start = performance.now();
    for (let i = 0; i < n; i++) await once(handler);
    (times[name] ??= []).push((performance.now() - start) * 1000 / n);
  }
}
const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const raw = median(times.raw);
const honoTime = median(times.hono);
console.log(`${"name".padEnd(14)} µs/call  × raw  × Hono (higher is slower)`);
for (const [name, values] of Object.entries(times)) {
  const t = median(values);
  console.log(
    `${name.padEnd(14)} ${t.toFixed(2).padStart(7)}  ${(t / raw).toFixed(2)}  ${
      (t / honoTime).toFixed(2)
    }`,
  );
}
