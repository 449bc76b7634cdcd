// Every runtime behaviour the peers' suites assert per runtime (support/differences.ts) is
// listed in docs/WSGI.md, "Where Deno and Bun differ", in a bullet or table row that names it
// and its upstream issue (or says there is none).

import { describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { DIFFERENCES } from "./support/differences.ts";

const CONTRACT = await readFile(new URL("../../docs/WSGI.md", import.meta.url), "utf8");
const SECTION = CONTRACT.slice(
  CONTRACT.indexOf("## Where Deno and Bun differ"),
  CONTRACT.indexOf("## Python apps"),
);
// The section's items: each bullet (with its continuation lines) and each table row.
const ITEMS = SECTION.split("\n").reduce<string[]>((items, line) => {
  if (line.startsWith("  ") && items.length) items[items.length - 1] += " " + line.trim();
  else items.push(line);
  return items;
}, []);

describe("docs/WSGI.md, Where Deno and Bun differ", () => {
  for (const [name, { doc, reference }] of Object.entries(DIFFERENCES)) {
    test(`lists ${name} with its upstream reference`, () => {
      const cited = reference.startsWith("http") ? `(${reference})` : reference;
      expect(ITEMS.some((item) => item.includes(doc) && item.includes(cited))).toBe(true);
    });
  }
});
