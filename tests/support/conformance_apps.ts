/**
 * Small WSGI apps, each breaking or stretching one rule, for the wire tests: served by
 * conformance_site.ts on Deno and Bun, and by conformance_worker.ts on workerd.
 *
 * @module
 */

import type { WsgiApp } from "../../mod.ts";

// Which tracked responses have had close() called, by id. A test fixture may keep this
// across requests: it is how a test asks the server what happened to an earlier response.
const closed = new Set<string>();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const text: [string, string] = ["Content-Type", "text/plain; charset=utf-8"];
const query = (environ: { QUERY_STRING: string }) => new URLSearchParams(environ.QUERY_STRING);

/** The apps, by the prefix they are mounted at. */
export const conformanceApps: Record<string, WsgiApp> = {
  "/t/cookies": (_environ, startResponse) => {
    startResponse("200 OK", [text, ["Set-Cookie", "a=1; Path=/"], ["Set-Cookie", "b=2"]]);
    return ["two cookies\n"];
  },
  "/t/crash": () => {
    throw new Error("secret detail 42");
  },
  "/t/crash-late": (_environ, startResponse) => {
    startResponse("200 OK", [text]);
    return (async function* () {
      yield "first part\n";
      await sleep(10);
      throw new Error("late failure");
    })();
  },
  "/t/write": (_environ, startResponse) => {
    const write = startResponse("200 OK", [text]);
    write("a");
    return (function* () {
      yield "b";
      write("c");
      yield "d";
    })();
  },
  "/t/length": (environ, startResponse) => {
    const q = query(environ);
    startResponse("200 OK", [text, ["Content-Length", q.get("declared")!]]);
    return (function* () {
      for (let i = 0; i < Number(q.get("actual")); i++) yield "x";
    })();
  },
  "/t/status": (environ, startResponse) => {
    const code = query(environ).get("code")!;
    startResponse(`${code} Status`, [text]);
    return ["this body must not be sent\n"];
  },
  "/t/tracked": (environ, startResponse) => {
    const id = query(environ).get("id")!;
    startResponse("200 OK", [text]);
    const body = (async function* () {
      for (let i = 0; i < 1000; i++) {
        yield `line ${i}\n`;
        await sleep(20);
      }
    })();
    return Object.assign(body, { close: () => void closed.add(id) });
  },
  // close() finishes well after the last byte went out: on Workers only ctx.waitUntil keeps it
  // running then.
  "/t/slow-close": (environ, startResponse) => {
    const id = query(environ).get("id")!;
    startResponse("200 OK", [text]);
    const body = (async function* () {
      yield "sent\n";
    })();
    return Object.assign(body, {
      close: async () => {
        await sleep(300);
        closed.add(id);
      },
    });
  },
  "/t/closed": (environ, startResponse) => {
    startResponse("200 OK", [text]);
    return [closed.has(query(environ).get("id")!) ? "closed" : "open"];
  },
  "/t/bad-header": (_environ, startResponse) => {
    startResponse("200 OK", [["X-Injected", "a\r\nSet-Cookie: evil=1"]]);
    return ["never\n"];
  },
  "/t/hop": (_environ, startResponse) => {
    startResponse("200 OK", [["Connection", "close"]]);
    return ["never\n"];
  },
  "/t/signal": (environ, startResponse) => {
    const id = query(environ).get("id")!;
    environ["edge_wsgi.signal"].addEventListener("abort", () => closed.add(`signal:${id}`));
    startResponse("200 OK", [text]);
    return (async function* () {
      for (let i = 0; i < 1000; i++) {
        yield `tick ${i}\n`;
        await sleep(20);
      }
    })();
  },
};
