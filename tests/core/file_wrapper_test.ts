import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileWrapper } from "../../src/core/file_wrapper.ts";
import type { AppResult, BodyChunk } from "../../src/core/types.ts";

let dir: string;
let path: string;
const content = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 13 + 7) % 256);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edge-wsgi-file-wrapper-"));
  path = join(dir, "data.bin");
  await writeFile(path, content);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(body: AppResult): Promise<BodyChunk[]> {
  const chunks: BodyChunk[] = [];
  for await (const chunk of body as AsyncIterable<BodyChunk>) chunks.push(chunk);
  return chunks;
}

function concat(chunks: BodyChunk[]): Uint8Array {
  const bytes = chunks.map((chunk) => chunk as Uint8Array);
  const out = new Uint8Array(bytes.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of bytes) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

// Open file descriptors of this process, where the platform lists them.
const FD_DIR = "/proc/self/fd";
// The descriptors open on the test's file: counting every descriptor of the process would also
// count the pipes of child processes other test files leave closing in the background.
async function openFds(): Promise<number> {
  let count = 0;
  for (const fd of await readdir(FD_DIR)) {
    if ((await readlink(`${FD_DIR}/${fd}`).catch(() => "")) === path) count++;
  }
  return count;
}

describe("fileWrapper() with a path", () => {
  test("yields the file's exact bytes in blocks of blockSize", async () => {
    const body = fileWrapper(path, 4096);
    const chunks = await collect(body);
    await body.close?.();
    expect(chunks.map((chunk) => chunk.length)).toEqual([4096, 4096, 1808]);
    expect(concat(chunks)).toEqual(content);
  });

  test("reads in 64 KiB blocks by default", async () => {
    const big = join(dir, "big.bin");
    await writeFile(big, new Uint8Array(70_000).fill(1));
    const body = fileWrapper(big);
    const chunks = await collect(body);
    await body.close?.();
    expect(chunks.map((chunk) => chunk.length)).toEqual([65536, 4464]);
  });

  test("yields nothing for an empty file", async () => {
    const empty = join(dir, "empty.bin");
    await writeFile(empty, new Uint8Array(0));
    const body = fileWrapper(empty);
    expect(await collect(body)).toEqual([]);
    await body.close?.();
  });

  test.skipIf(!existsSync(FD_DIR))("close() closes the file", async () => {
    const before = await openFds();
    const body = fileWrapper(path, 100);
    const iterator = (body as AsyncIterable<BodyChunk>)[Symbol.asyncIterator]();
    await iterator.next();
    expect(await openFds()).toBe(before + 1);
    await body.close?.();
    expect(await openFds()).toBe(before);
  });

  test.skipIf(!existsSync(FD_DIR))("close() closes a file that was never read", async () => {
    const before = await openFds();
    const body = fileWrapper(path);
    await body.close?.();
    expect(await openFds()).toBe(before);
  });

  test("close() can be called twice", async () => {
    const body = fileWrapper(path);
    await body.close?.();
    await expect(Promise.resolve(body.close?.())).resolves.toBeUndefined();
  });

  test("a missing path rejects on the first iteration, with no unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const body = fileWrapper(join(dir, "missing.bin"));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
      await expect(collect(body)).rejects.toMatchObject({ code: "ENOENT" });
      await body.close?.();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});

describe("fileWrapper() with a file-like object", () => {
  function fileLike(blocks: BodyChunk[], asyncRead: boolean) {
    const sizes: number[] = [];
    let closes = 0;
    const file = {
      read(size: number) {
        sizes.push(size);
        const block = blocks.shift() ?? new Uint8Array(0);
        return asyncRead ? Promise.resolve(block) : block;
      },
      close() {
        closes++;
      },
    };
    return { file, sizes, closes: () => closes };
  }

  for (const asyncRead of [false, true]) {
    const kind = asyncRead ? "an async" : "a sync";
    test(`yields the blocks of ${kind} read(size), passing blockSize`, async () => {
      const { file, sizes } = fileLike(
        [new Uint8Array([1, 2]), "text", new Uint8Array([3])],
        asyncRead,
      );
      const chunks = await collect(fileWrapper(file, 2));
      expect(chunks).toEqual([new Uint8Array([1, 2]), "text", new Uint8Array([3])]);
      expect(sizes).toEqual([2, 2, 2, 2]);
    });

    test(`calls close() of ${kind}-read file exactly once`, async () => {
      const { file, closes } = fileLike([new Uint8Array([1])], asyncRead);
      const body = fileWrapper(file);
      await collect(body);
      await body.close?.();
      await body.close?.();
      expect(closes()).toBe(1);
    });
  }

  test("stops at an empty string", async () => {
    const { file } = fileLike(["ab", "", "never"], false);
    expect(await collect(fileWrapper(file))).toEqual(["ab"]);
  });

  test("does not call close() before the body is closed", async () => {
    const { file, closes } = fileLike([new Uint8Array([1])], true);
    await collect(fileWrapper(file));
    expect(closes()).toBe(0);
  });

  test("close() works on an object without close()", async () => {
    const body = fileWrapper({ read: () => new Uint8Array(0) });
    await body.close?.();
    expect(await collect(body)).toEqual([]);
  });
});

describe("fileWrapper() arguments", () => {
  const bad: [name: string, value: unknown][] = [
    ["a number", 42],
    ["null", null],
    ["undefined", undefined],
    ["an object without read()", { close() {} }],
    ["an object whose read is not a function", { read: "yes" }],
    ["bytes", new Uint8Array([1])],
  ];
  for (const [name, value] of bad) {
    test(`throws a TypeError for ${name}`, () => {
      expect(() => fileWrapper(value as string)).toThrow(TypeError);
    });
  }
});
