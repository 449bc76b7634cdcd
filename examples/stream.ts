/**
 * A body produced over time: an async generator yielding one line per tick.
 * `?n=COUNT&interval=MS` change how many lines (at most 100) and how far apart (at most 2000 ms).
 *
 * @module
 */

import type { WsgiApp } from "../mod.ts";

/** Streams `n` numbered lines, `interval` milliseconds apart. */
export const application: WsgiApp = function stream(environ, startResponse) {
  const query = new URLSearchParams(environ.QUERY_STRING);
  const count = clamp(query.get("n"), 5, 100);
  const interval = clamp(query.get("interval"), 200, 2000);
  const signal = environ["edge_wsgi.signal"];
  startResponse("200 OK", [
    ["Content-Type", "text/plain; charset=utf-8"],
    ["Cache-Control", "no-store"],
    // Tell proxies such as nginx not to hold the chunks back.
    ["X-Accel-Buffering", "no"],
  ]);
  return (async function* lines() {
    for (let i = 1; i <= count && !signal.aborted; i++) {
      if (i > 1) await new Promise((resolve) => setTimeout(resolve, interval));
      yield `chunk ${i} of ${count} at ${new Date().toISOString()}\n`;
    }
  })();
};

function clamp(text: string | null, fallback: number, max: number): number {
  const value = text === null ? NaN : Number(text);
  return Number.isInteger(value) && value >= 0 ? Math.min(value, max) : fallback;
}
