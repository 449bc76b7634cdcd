// Every runtime behaviour the peers' suites assert per runtime (support/differences.ts) is
// listed in docs/WSGI.md, "Where Deno and Bun differ", on a line that names it and its upstream
// issue (or says there is none).

import { describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { DIFFERENCES } from "./support/differences.ts";

const CONTRACT = await readFile(new URL("../../docs/WSGI.md", import.meta.url), "utf8");
const SECTION = CONTRACT.slice(
  CONTRACT.indexOf("## Where Deno and Bun differ"),
  CONTRACT.indexOf("## Python apps"),
);

describe("docs/WSGI.md, Where Deno and Bun differ", () => {
  for (const [name, { doc, reference }] of Object.entries(DIFFERENCES)) {
    test(`lists ${name} with its upstream reference`, () => {
      const lines = SECTION.split("\n").filter((line) => line.includes(doc));
      const cited = reference.startsWith("http") ? `(${reference})` : reference;
      expect(lines.some((line) => line.includes(cited))).toBe(true);
    });
  }
});
