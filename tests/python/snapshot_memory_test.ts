/**
 * A snapshot's memory kept without its zero pages (src/python/snapshot_memory.ts): what is
 * written back into a module's memory is the snapshot's memory exactly, whatever the fresh module
 * had written there, and only the pages that are not zeros are stored.
 */

import { describe, expect, test } from "bun:test";
import { keptPages, PAGE, splitSnapshot, writeMemory } from "../../src/python/snapshot_memory.ts";

const WASM_PAGE = 65536;

// Pyodide's layout: a header whose second word says where the memory starts, then the memory.
function pyodideSnapshot(memory: Uint8Array, headLength = 256): Uint8Array {
  const bytes = new Uint8Array(headLength + memory.length);
  const head = new Uint32Array(bytes.buffer, 0, 4);
  head[0] = 0x0ddba11;
  head[1] = headLength;
  bytes.fill(7, 16, headLength);
  bytes.set(memory, headLength);
  return bytes;
}

// A module as Emscripten makes it: its memory, and growMemory() to enlarge it.
function fakeModule(length: number) {
  const module = {
    HEAP8: new Int8Array(length),
    HEAPU8: new Uint8Array(0),
    growMemory(size: number) {
      const grown = new Int8Array(size);
      grown.set(module.HEAP8);
      module.HEAP8 = grown;
      module.HEAPU8 = new Uint8Array(grown.buffer);
      return 1;
    },
  };
  module.HEAPU8 = new Uint8Array(module.HEAP8.buffer);
  return module;
}

describe("splitSnapshot() and writeMemory()", () => {
  test("the memory written back is the snapshot's, zero pages included", () => {
    const memory = new Uint8Array(3 * WASM_PAGE);
    for (const page of [0, 1, 5, 6, 7, 20, 47]) {
      memory.fill(page + 1, page * PAGE, page * PAGE + 100);
    }
    const split = splitSnapshot(pyodideSnapshot(memory))!;
    expect(split.head.length).toBe(256);
    expect(keptPages(split.memory.map)).toBe(7);
    expect(split.memory.data.length).toBe(7 * PAGE);
    // The fresh module is smaller than the snapshot, and has written where the snapshot has
    // zeros (pages 2 and 30), which must not survive the restore.
    const module = fakeModule(2 * WASM_PAGE);
    module.HEAPU8.fill(9, 2 * PAGE, 2 * PAGE + 10);
    module.HEAPU8.fill(9, 30 * PAGE + 4000, 30 * PAGE + 4096);
    module.HEAPU8.fill(9, 0, 50);
    writeMemory(module, split.memory);
    expect(module.HEAPU8.length).toBe(memory.length);
    expect(module.HEAPU8).toEqual(memory);
  });

  test("bytes not laid out as Pyodide's are left whole", () => {
    const memory = new Uint8Array(WASM_PAGE);
    const odd = pyodideSnapshot(memory);
    new Uint32Array(odd.buffer, 0, 4)[1] = 100; // the memory would not be whole wasm pages
    expect(splitSnapshot(odd)).toBeUndefined();
  });
});
