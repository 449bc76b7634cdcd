/**
 * A Pyodide snapshot's memory without its pages of zeros, and its restore page by page.
 *
 * A snapshot is Pyodide's header, then the interpreter's whole memory, of which about a third is
 * zeros (the unused part of the 10 MB C stack, freed heap). Pyodide copies it all in, which
 * touches every page: each worker then holds those zeros as resident memory. Kept apart, the
 * zeros are neither stored, read nor written: a restored worker's memory is zero there untouched,
 * as fresh memory is.
 *
 * @module
 */

/** The memory of a snapshot, its zero pages left out. */
export interface SparseMemory {
  /** The memory's length in bytes. */
  length: number;
  /** One bit per page of {@linkcode PAGE} bytes, lowest bit first: set where `data` has it. */
  map: Uint8Array;
  /** The pages that are not all zeros, in order. */
  data: Uint8Array;
}

/** The page size of the map: the system's, so a page left out is a page never touched. */
export const PAGE = 4096;
// WebAssembly memory grows in pages of 64 KiB: a memory's length is a multiple of it.
const WASM_PAGE = 65536;

/**
 * Splits Pyodide's snapshot bytes into its header (which Pyodide still reads: its magic number,
 * build id and JavaScript references) and its memory, without the zero pages.
 *
 * @param bytes What `makeMemorySnapshot()` returned
 * @returns The header and the memory, or `undefined` when the bytes are not laid out as
 *   Pyodide 314 lays them out (the header's second word is where the memory starts)
 * @example
 * ```ts ignore
 * const split = splitSnapshot(pyodide.makeMemorySnapshot());
 * ```
 */
export function splitSnapshot(
  bytes: Uint8Array,
): { head: Uint8Array; memory: SparseMemory } | undefined {
  if (bytes.byteOffset % 4 !== 0 || bytes.length < 16) return undefined;
  const start = new Uint32Array(bytes.buffer, bytes.byteOffset, 4)[1];
  const length = bytes.length - start;
  if (start % 8 !== 0 || start >= bytes.length || length % WASM_PAGE !== 0) return undefined;
  const memory = bytes.subarray(start);
  const pages = length / PAGE;
  const map = new Uint8Array(Math.ceil(pages / 8));
  const words = new Uint32Array(memory.buffer, memory.byteOffset, length / 4);
  const kept: number[] = [];
  for (let page = 0; page < pages; page++) {
    if (isZero(words, page)) continue;
    map[page >> 3] |= 1 << (page & 7);
    kept.push(page);
  }
  const data = new Uint8Array(kept.length * PAGE);
  kept.forEach((page, i) => data.set(memory.subarray(page * PAGE, (page + 1) * PAGE), i * PAGE));
  return { head: bytes.slice(0, start), memory: { length, map, data } };
}

/**
 * Writes a snapshot's memory into a freshly made module's, before Pyodide restores the rest
 * (its header, given without memory, so Pyodide copies nothing): grows the memory to the
 * snapshot's length, copies the pages that are not zeros, and zeroes the few the fresh module
 * has written to (its static data, its start-up) where the snapshot has zeros.
 *
 * @param module Pyodide's Emscripten module, not yet bootstrapped
 * @param memory The snapshot's memory
 * @throws {RangeError} When the memory cannot grow to the snapshot's length
 * @example
 * ```ts ignore
 * writeMemory(module, snapshot.memory);
 * ```
 */
// deno-lint-ignore no-explicit-any
export function writeMemory(module: any, memory: SparseMemory): void {
  const fresh: number = module.HEAP8.length;
  if (memory.length > fresh && !module.growMemory(memory.length)) {
    throw new RangeError(`Cannot grow the interpreter's memory to ${memory.length} bytes`);
  }
  const heap: Uint8Array = module.HEAPU8;
  const words = new Uint32Array(heap.buffer, 0, fresh / 4);
  const pages = memory.length / PAGE;
  let at = 0;
  for (let page = 0; page < pages;) {
    const kept = (memory.map[page >> 3] & (1 << (page & 7))) !== 0;
    let end = page + 1;
    while (end < pages && ((memory.map[end >> 3] & (1 << (end & 7))) !== 0) === kept) end++;
    if (kept) {
      const size = (end - page) * PAGE;
      heap.set(memory.data.subarray(at, at + size), page * PAGE);
      at += size;
    } else {
      // Past the fresh module's length the memory is new, hence zero: nothing to look at.
      for (let zero = page; zero < end && zero * PAGE < fresh; zero++) {
        if (!isZero(words, zero)) heap.fill(0, zero * PAGE, (zero + 1) * PAGE);
      }
    }
    page = end;
  }
}

/**
 * How many pages of {@linkcode PAGE} bytes a map marks as kept.
 *
 * @param map A {@linkcode SparseMemory}'s map
 * @returns The count
 * @example
 * ```ts
 * keptPages(new Uint8Array([0b101])); // 2
 * ```
 */
export function keptPages(map: Uint8Array): number {
  let count = 0;
  for (let byte of map) {
    for (; byte; byte &= byte - 1) count++;
  }
  return count;
}

function isZero(words: Uint32Array, page: number): boolean {
  const end = (page + 1) * (PAGE / 4);
  for (let i = page * (PAGE / 4); i < end; i++) if (words[i] !== 0) return false;
  return true;
}
