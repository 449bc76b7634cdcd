/**
 * A Python app whose body is an iterable but not a list, the shape of Werkzeug's (Flask's)
 * response: when its first chunk fills the Content-Length it declared, the body is whole and
 * crosses in one frame; otherwise it streams. Either way every byte arrives and close() runs
 * exactly once (PEP 3333).
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type CliProcess, runCli } from "../support/cli_process.ts";
import { RUNTIMES } from "../support/server_process.ts";
import { fromFileUrl } from "../../src/base/path.ts";

const FIXTURES = fromFileUrl(new URL("../fixtures/python/", import.meta.url));
const PYTHON_TIMEOUT = 90_000;
// The fixture's 3 MiB body: lines of a 15-digit number and a newline.
const BIG = new TextEncoder().encode(
  Array.from({ length: 3 << 16 }, (_, i) => `${String(i).padStart(15, "0")}\n`).join(""),
);

// path, body, Content-Length header
const CASES: [string, string, string | null][] = [
  ["one", "one whole chunk", "15"],
  ["two", "first half, second half", "23"],
  ["unsized", "no Content-Length", null],
  ["empty", "", "0"],
];

for (const runtime of RUNTIMES) {
  describe(`${runtime}: a body that is an iterable, not a list`, () => {
    let server: CliProcess;
    let url: string;
    beforeAll(async () => {
      server = runCli(runtime, {
        args: ["--mount", `/w=${FIXTURES}whole_bodies.py`, "--access-log", "off"],
      });
      ({ url } = await server.listening());
      await (await fetch(`${url}w/closes`)).text();
    }, PYTHON_TIMEOUT);
    afterAll(() => server?.child.kill("SIGKILL"));

    for (const [path, body, length] of CASES) {
      test(`/${path}: every byte arrives, with its Content-Length`, async () => {
        const response = await fetch(`${url}w/${path}`);
        expect(response.status).toBe(200);
        expect(await response.text()).toBe(body);
        if (length !== null) expect(response.headers.get("content-length")).toBe(length);
      });
    }

    // Past 1 MiB a whole body crosses in pieces on Deno (bridge.py's _whole()), with the framing
    // it has in one piece (as on Bun): its Content-Length, the app's or ours.
    for (const path of ["big", "big-list"]) {
      test(`/${path}: a 3 MiB body arrives whole, in order, with its Content-Length`, async () => {
        const response = await fetch(`${url}w/${path}`);
        expect(response.status).toBe(200);
        expect(response.headers.get("content-length")).toBe(String(BIG.length));
        expect(response.headers.get("transfer-encoding")).toBeNull();
        expect(new Uint8Array(await response.arrayBuffer())).toEqual(BIG);
        const head = await fetch(`${url}w/${path}`, { method: "HEAD" });
        expect(head.headers.get("content-length")).toBe(String(BIG.length));
        expect((await head.arrayBuffer()).byteLength).toBe(0);
      });
    }

    test("close() ran exactly once for each body", async () => {
      for (const [path] of CASES) await (await fetch(`${url}w/${path}`)).text();
      await (await fetch(`${url}w/big`)).arrayBuffer();
      const closes = await (await fetch(`${url}w/closes`)).json();
      // Each path was requested twice: once in its own test, once above (/big: and a HEAD).
      expect(closes).toEqual({ big: 3, empty: 2, one: 2, two: 2, unsized: 2 });
    });
  });
}
