/**
 * The adapter's own cost per request, in process, for a busy machine where wrk's figures swing:
 * each handler (raw, Hono, Hono reading every header, edge-wsgi in every shape of
 * `hello_shapes.ts`, with the access log off and on) is called with fresh `Request`s carrying
 * the one header wrk sends, as the runtime module calls it (`src/runtime/bun.ts`: a `peer()`
 * closure and the local address; `deno.ts`: the same and the scheme), in short slices
 * interleaved round after round (ABBA order). It counts the process's CPU time, not the wall
 * clock, so that time the scheduler gives other processes is not counted. No sockets: the
 * runtime's HTTP work, the same for all, is left out, so the ratios here are wider than over
 * HTTP; differences between two versions of edge-wsgi are what it is for.
 *
 * Run: `deno run -A bench/handler_micro.ts` or `bun run bench/handler_micro.ts`.
 *
 * - `N` calls per slice (default 10000), `ROUNDS` (default 31);
 * - `SHAPES` (default all), `ACCESS_LOGS` (default `"off on"`; the access log's lines are
 *   formatted and dropped, not written);
 * - `ROOTS`: checkouts of edge-wsgi to compare, comma-separated (default: this one), each shape
 *   of each root as its own handler, e.g. `ROOTS=/tmp/before,$PWD`: the table then gives each
 *   one's median difference from the first root's, round by round.
 *
 * @module
 */

import process from "node:process";
import { Hono } from "hono";
import { fromFileUrl } from "../src/base/path.ts";
import type { WsgiApp } from "../mod.ts";

const BODY = "<h1>Hello, web!</h1>\n";
const HEADERS = { "Content-Type": "text/html; charset=utf-8" };
const N = Number(process.env.N ?? 10000);
const ROUNDS = Number(process.env.ROUNDS ?? 31);
const HERE = fromFileUrl(new URL("..", import.meta.url)).replace(/\/$/, "");
const ROOTS = (process.env.ROOTS ?? HERE).split(",");
const LOGS = (process.env.ACCESS_LOGS ?? "off on").split(/\s+/).filter(Boolean);

type Handler = (request: Request) => Response | Promise<Response>;
type Info = Record<string, unknown>;
type InnerHandler = (request: Request, info: Info) => Response | Promise<Response>;

const hono = new Hono();
hono.get("/", (c) => c.body(BODY, 200, HEADERS));
const honoHeaders = new Hono();
honoHeaders.get("/", (c) => {
  const seen: Record<string, string> = {};
  c.req.raw.headers.forEach((value, name) => seen[name] = value);
  return c.body(BODY, 200, HEADERS);
});
const handlers: Record<string, Handler> = {
  raw: () => new Response(BODY, { status: 200, statusText: "OK", headers: HEADERS }),
  hono: (request) => hono.fetch(request),
  hono_headers: (request) => honoHeaders.fetch(request),
};

// What the runtime module passes beside each request (see src/runtime/bun.ts and deno.ts).
const isBun = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined";
const local = { hostname: "127.0.0.1", port: 8000 };
const requestIP = (_request: Request) => ({ address: "::ffff:127.0.0.1", port: 40000 });
const infoOf = (request: Request): Info =>
  isBun
    ? {
      peer() {
        const peer = requestIP(request);
        return peer ? { hostname: peer.address, port: peer.port } : undefined;
      },
      localAddr: local,
    }
    : { peer: () => ({ hostname: "127.0.0.1", port: 40000 }), localAddr: local, scheme: "http" };

for (const [index, root] of ROOTS.entries()) {
  const { toFetchHandler } = await import(`${root}/mod.ts`);
  const { SHAPES } = await import(`${root}/bench/hello_shapes.ts`);
  const { withAccessLog } = await import(`${root}/src/server/access_log.ts`);
  const { GUNICORN_FORMAT } = await import(`${root}/src/server/cli/options.ts`);
  const shapes = (process.env.SHAPES ?? Object.keys(SHAPES).join(" ")).split(/\s+/);
  for (const shape of shapes.filter(Boolean)) {
    const app: WsgiApp | undefined = SHAPES[shape];
    if (!app) throw new Error(`Unknown shape ${JSON.stringify(shape)}`);
    for (const log of LOGS) {
      let inner: InnerHandler = toFetchHandler(app);
      if (log === "on") {
        inner = withAccessLog(inner, { format: GUNICORN_FORMAT, write: () => {}, pid: 1 });
      }
      const name = `${shape}${log === "on" ? "+log" : ""}${ROOTS.length > 1 ? `@${index}` : ""}`;
      handlers[name] = (request) => inner(request, infoOf(request));
    }
  }
}

const cpuMicroseconds = () => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};
const names = Object.keys(handlers);
const times: Record<string, number[]> = {};
// Two rounds of warm-up, then ROUNDS measured, every other one in reverse order.
for (let round = -2; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? names : [...names].reverse();
  for (const name of order) {
    const handler = handlers[name];
    const requests = Array.from(
      { length: N },
      () => new Request("http://127.0.0.1:8000/", { headers: { host: "127.0.0.1:8000" } }),
    );
    const start = cpuMicroseconds();
    for (const request of requests) {
      const response = handler(request);
      if (response instanceof Promise) await response;
    }
    const perCall = (cpuMicroseconds() - start) / N;
    if (round >= 0) (times[name] ??= []).push(perCall);
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
// Per round, then the median: a slice that the machine slowed slows its round's others alike.
const perRound = (name: string, f: (value: number, round: number) => number) =>
  median(times[name].map(f));
const runtime = isBun ? `bun ${process.versions.bun}` : `deno ${process.versions.deno}`;
console.log(`${runtime}: CPU µs per call, medians of ${ROUNDS} rounds of ${N} calls`);
console.log(
  `${"handler".padEnd(24)} µs/call  Hono reading headers' ÷ it` +
    (ROOTS.length > 1 ? "  − the first root's" : ""),
);
for (const name of names) {
  const ratio = perRound(name, (value, round) => times.hono_headers[round] / value);
  let line = `${name.padEnd(24)} ${median(times[name]).toFixed(3).padStart(7)}  ` +
    ratio.toFixed(2).padStart(26);
  const first = name.replace(/@\d+$/, "@0");
  if (name !== first && times[first]) {
    const difference = perRound(name, (value, round) => value - times[first][round]);
    line += `  ${difference >= 0 ? "+" : ""}${difference.toFixed(3)}`;
  }
  console.log(line);
}
