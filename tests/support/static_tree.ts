/**
 * A temporary folder tree for the static wire tests: a `public/` root full of the files a static
 * server must serve, refuse or negotiate, with secrets beside and above it for the traversal tests.
 *
 * @module
 */

import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { dirname, join } from "../../src/base/path.ts";

/** Strings that must never appear in a response: each file holding one is off limits. */
export const SECRETS = {
  outside: "TOP-SECRET-OUTSIDE",
  sibling: "TOP-SECRET-SIBLING",
  env: "TOP-SECRET-ENV",
  git: "TOP-SECRET-GIT",
} as const;

/** A file name that is an HTML injection, for the directory listing test. */
export const EVIL_NAME = "<img src=x onerror=alert(1)>.txt";

/** The tree built by {@linkcode makeStaticTree}. */
export interface StaticTree {
  /** The temporary folder holding everything. */
  dir: string;
  /** The folder to serve: `<dir>/public`. */
  root: string;
  /** The bytes of the files the tests compare byte for byte, by URL path. */
  bytes: Record<string, Uint8Array>;
  /** Removes the whole tree. */
  remove(): Promise<void>;
}

/** Bytes `0, 1, …, 250, 0, 1, …`: a pattern in which a shifted or dropped byte shows. */
export function patternBytes(length: number, seed = 0): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i + seed) % 251);
}

const encoder = new TextEncoder();

/**
 * Builds, under a fresh temporary folder:
 *
 * - `public/`: `index.html`, `page.html`, `a.txt`, `kb.txt` (1024 bytes), `thousand.bin`
 *   (1000 bytes), `x.js` with real `x.js.br` and `x.js.gz` of different text,
 *   `app.3f9a2c1b.js`, `sub/index.html`, `.env`, `.git/config`, `.well-known/security.txt`,
 *   `big.bin` (3 MB), `plain/` (no index, holding {@linkcode EVIL_NAME}), and the symlinks
 *   `link.txt` → `../outside.txt` and `linkdir` → `..`;
 * - `public-secret/secret.txt` and `outside.txt`, which must stay unreachable.
 */
export async function makeStaticTree(): Promise<StaticTree> {
  const dir = await mkdtemp(join(tmpdir(), "edge-wsgi-static-"));
  const root = join(dir, "public");
  const js = {
    identity: "console.log('identity');\n",
    br: "console.log('brotli');\n",
    gzip: "console.log('gzip');\n",
  };
  const bytes: Record<string, Uint8Array> = {
    "/a.txt": encoder.encode("hello from a.txt\n"),
    "/kb.txt": encoder.encode("k".repeat(1023) + "\n"),
    "/thousand.bin": patternBytes(1000),
    "/x.js": encoder.encode(js.identity),
    "/x.js.br": new Uint8Array(brotliCompressSync(js.br)),
    "/x.js.gz": new Uint8Array(gzipSync(js.gzip)),
    "/app.3f9a2c1b.js": encoder.encode("console.log('fingerprinted');\n"),
    "/big.bin": patternBytes(3 * 1024 * 1024, 7),
  };
  const files: Record<string, string | Uint8Array> = {
    "public/index.html": "<!DOCTYPE html><title>home</title><p>static home</p>\n",
    "public/page.html": "<!DOCTYPE html><title>page</title><p>a page</p>\n",
    "public/sub/index.html": "<!DOCTYPE html><title>sub</title><p>sub index</p>\n",
    "public/.env": `API_KEY=${SECRETS.env}\n`,
    "public/.git/config": `[remote "origin"]\n\turl = ${SECRETS.git}\n`,
    "public/.well-known/security.txt": "Contact: mailto:security@example.com\n",
    [`public/plain/${EVIL_NAME}`]: "just text\n",
    "public-secret/secret.txt": SECRETS.sibling,
    "outside.txt": SECRETS.outside,
  };
  for (const [path, content] of Object.entries(bytes)) files[`public${path}`] = content;
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
  }
  await symlink("../outside.txt", join(root, "link.txt"));
  await symlink("..", join(root, "linkdir"));
  return { dir, root, bytes, remove: () => rm(dir, { recursive: true, force: true }) };
}
