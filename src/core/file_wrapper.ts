/**
 * `wsgi.file_wrapper`: a file as a response body, read block by block.
 *
 * @module
 */

import type { AppResult, BodyChunk, FileLike } from "./types.ts";

const DEFAULT_BLOCK_SIZE = 64 * 1024;

/**
 * Wraps a file-like object (anything with `read(size)`) or a file path as a body that is read
 * one block per pull, so a large file streams in constant memory. `close()` closes the file,
 * as PEP 3333 requires of the wrapper.
 *
 * @param file A file-like object, or the path of a file to open
 * @param blockSize How many bytes to read at a time; defaults to 65536
 * @returns A body to return from an app
 * @example
 * ```ts
 * import type { WsgiApp } from "../mod.ts";
 * const app: WsgiApp = (environ, startResponse) => {
 *   startResponse("200 OK", [["Content-Type", "text/plain"]]);
 *   return environ["wsgi.file_wrapper"]("./README.md");
 * };
 * ```
 */
export function fileWrapper(file: FileLike | string, blockSize = DEFAULT_BLOCK_SIZE): AppResult {
  if (typeof file !== "string" && typeof file?.read !== "function") {
    throw new TypeError("wsgi.file_wrapper() takes a file path or an object with read(size)");
  }
  const source = typeof file === "string" ? openPath(file) : Promise.resolve(file);
  // A failed open is reported by the first read; it must never become an unhandled rejection.
  source.catch(() => {});
  let closed = false;
  return {
    async *[Symbol.asyncIterator](): AsyncGenerator<BodyChunk> {
      for (;;) {
        const block = await (await source).read(blockSize);
        if (block.length === 0) return;
        yield block;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      const opened = await source.catch(() => undefined);
      await opened?.close?.();
    },
  };
}

async function openPath(path: string): Promise<FileLike> {
  const handle = await nodeFs().open(path, "r");
  return {
    async read(size) {
      const { bytesRead, buffer } = await handle.read(new Uint8Array(size), 0, size, null);
      return bytesRead === size ? buffer : buffer.subarray(0, bytesRead);
    },
    close: () => handle.close(),
  };
}

type NodeFs = typeof import("node:fs/promises");

// node:fs through process.getBuiltinModule() (Node >= 20.16, Deno, Bun), which Node made for
// modules that must also load where there is no node:fs: a Worker without nodejs_compat has
// no file system, and a bundler resolves even a lazy import("node:fs/promises") for it.
function nodeFs(): NodeFs {
  const process = (globalThis as {
    process?: { getBuiltinModule?: (id: string) => unknown };
  }).process;
  const fs = process?.getBuiltinModule?.("node:fs/promises") as NodeFs | undefined;
  if (!fs) {
    throw new TypeError(
      "wsgi.file_wrapper() cannot open a path on a runtime without a file system (such as " +
        "Cloudflare Workers): pass an object with read(size)",
    );
  }
  return fs;
}
