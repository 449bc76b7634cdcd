/**
 * The adapter's contract lives in the project's own `docs/WSGI.md`: the README and the sources
 * point there (never at a file outside the repository), and it documents every key the adapter
 * puts in an `environ`.
 */

import { describe, expect, test } from "bun:test";
import { readdir, readFile } from "node:fs/promises";
import { toEnviron } from "../mod.ts";
import { fromFileUrl, join } from "../src/base/path.ts";

const ROOT = fromFileUrl(new URL("../", import.meta.url));
const CONTRACT = await readFile(join(ROOT, "docs", "WSGI.md"), "utf8");

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, dir), { recursive: true });
  return entries.filter((name) => name.endsWith(".ts")).map((name) => join(dir, name));
}

describe("docs/WSGI.md", () => {
  test("is what the README, mod.ts and src/ point at for the contract", async () => {
    const files = ["README.md", "mod.ts", ...await sources("src")];
    const outside: string[] = [];
    for (const file of files) {
      if ((await readFile(join(ROOT, file), "utf8")).includes("shared/WSGI.md")) outside.push(file);
    }
    expect(outside).toEqual([]);
    expect(await readFile(join(ROOT, "README.md"), "utf8")).toContain("(docs/WSGI.md)");
    expect(await readFile(join(ROOT, "src", "core", "types.ts"), "utf8")).toContain(
      "`docs/WSGI.md`",
    );
  });

  test("documents every key toEnviron() fills", () => {
    const environ = toEnviron(
      new Request("http://example.com/a?b=1", {
        method: "POST",
        headers: { "Content-Type": "text/plain", "Content-Length": "1", "X-Custom": "1" },
        body: "x",
      }),
      { info: { remoteAddr: { hostname: "10.0.0.1", port: 5000 } } },
    );
    const missing = Object.keys(environ)
      .map((key) => key.startsWith("HTTP_") ? "HTTP_*" : key)
      .filter((key) => !CONTRACT.includes(`\`${key}\``));
    expect(missing).toEqual([]);
  });
});
