/**
 * The README as a new user reads it on a machine with only Node.js and npm: setting up is the
 * two commands of "Set up", and every `deno …` or `bun …` command in a code block has its `npx`
 * form (or an `npm run` script that runs exactly it) beside it.
 */

import { describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { fromFileUrl, join } from "../src/base/path.ts";

const ROOT = fromFileUrl(new URL("../", import.meta.url));
const README = await readFile(join(ROOT, "README.md"), "utf8");
const SCRIPTS: Record<string, string> = JSON.parse(
  await readFile(join(ROOT, "package.json"), "utf8"),
).scripts;

interface CodeBlock {
  lang: string;
  lines: string[];
  /** The `##` section the block is in. */
  section: string;
}

/** The README's fenced code blocks, with the section each is in. */
function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let section = "";
  let open: CodeBlock | null = null;
  for (const line of markdown.split("\n")) {
    if (open) {
      if (line.startsWith("```")) {
        blocks.push(open);
        open = null;
      } else open.lines.push(line);
    } else if (line.startsWith("```")) {
      open = { lang: line.slice(3).trim(), lines: [], section };
    } else if (line.startsWith("## ")) section = line.slice(3).trim();
  }
  return blocks;
}

const SHELL = new Set(["sh", "bash", "shell", ""]);
const shellBlocks = codeBlocks(README).filter((block) => SHELL.has(block.lang));

/** A line's command, without its comment and leading `NAME=value` assignments. */
function command(line: string): string {
  return line.replace(/\s+#.*$/, "").replace(/^(\w+=\S*\s+)*/, "").trim();
}

/** The comment at the end of a line, if any. */
function comment(line: string): string {
  return /\s#\s?(.*)$/.exec(line)?.[1] ?? "";
}

const needsRuntime = (line: string) => /^(deno|bun)\s/.test(command(line));

describe("README.md", () => {
  test("has shell blocks with bare deno and bun commands to check", () => {
    const bare = shellBlocks.flatMap((block) => block.lines.filter(needsRuntime));
    expect(bare.length).toBeGreaterThan(5);
  });

  test("gives every bare deno or bun command an npx or npm run form beside it", () => {
    const missing: string[] = [];
    for (const block of shellBlocks) {
      block.lines.forEach((line, i) => {
        if (!needsRuntime(line)) return;
        const bare = command(line);
        const next = block.lines.slice(i + 1).find((l) => l.trim() && !l.trim().startsWith("#"));
        if (next && command(next) === `npx ${bare}`) return;
        const script = /npm (?:run (\S+)|(start))/.exec(comment(line));
        if (script && SCRIPTS[script[1] ?? script[2]] === bare) return;
        missing.push(`${block.section}: ${line}`);
      });
    }
    expect(missing).toEqual([]);
  });

  test("holds exactly two set-up commands, the two lines of Set up", () => {
    const setUp = codeBlocks(README).filter((block) => block.section === "Set up");
    expect(setUp.length).toBe(1);
    const commands = setUp[0].lines.filter((line) => line.trim()).map(command);
    expect(commands).toEqual(["npx --yes deno run -A mod.ts", "npm ci && npm test"]);
    // No other block asks the reader to install or prepare anything for this repository.
    const install = /\b(npm (ci|install|i)|apt(-get)? install|bun install|deno install)\b/;
    const elsewhere = shellBlocks
      .filter((block) => block.section !== "Set up")
      .flatMap((block) => block.lines.filter((line) => install.test(command(line))));
    expect(elsewhere).toEqual([]);
  });

  test("has npm scripts that start the server on each runtime", () => {
    expect(SCRIPTS.start).toBe("deno run -A mod.ts");
    expect(SCRIPTS["start:bun"]).toBe("bun run mod.ts");
  });
});
