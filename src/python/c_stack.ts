/**
 * A C-stack budget for Pyodide, so deep recursion in C ends in Python's `RecursionError` rather
 * than in the engine's stack overflow, which kills the interpreter for good.
 *
 * CPython 3.14 guards C recursion (a JSON decoder nested 10 000 deep, `repr` of a deep list) by
 * the stack pointer: `RecursionError` once the stack in use reaches the thread's limit. In
 * Pyodide that stack is the 10 MB C stack in WebAssembly memory, but every C frame also takes a
 * frame on the engine's own stack (about 1 MB on Deno's main thread), and that one runs out
 * first: "RangeError: Maximum call stack size exceeded", a fatal error (pyodide#5959). Telling
 * CPython its C stack is small makes its own check fire while the engine still has room, for
 * the recursion that uses that C stack as it goes (the JSON decoder, calls through C such as
 * `functools.partial`, `__getattr__`). Some recursion keeps all it needs in WebAssembly locals
 * (`repr`, `pickle` of deep lists) and no budget can see it: there the fatal error stays
 * possible, and the host replaces the interpreter (interpreter.ts).
 *
 * @module
 */

import type { Pyodide } from "./pyodide_loader.ts";

/**
 * The default budget, in bytes of C stack, measured on Deno 2.9 and Bun 1.4 at their default
 * stack sizes: a JSON array nested until `RecursionError` used 111 KB (Deno) and 96–136 KB (Bun)
 * of C stack when the engine's stack ran out, so 96 KB (of which CPython keeps 24 KB as its
 * margin: `RecursionError` at 72 KB) stops it with room to spare. Less is too little for real
 * frameworks: Django's, Pyramid's and CherryPy's imports compile standard modules (`sysconfig`,
 * `plistlib`) some 20 imports deep, which needs more than the 48 KB a 72 KB budget leaves
 * ("RecursionError: Stack overflow (used 48 kB) during compilation").
 */
export const DEFAULT_C_STACK_BUDGET = 96 * 1024;

// CPython keeps its limits as addresses in the thread state: the stack's top, then the soft
// limit (RecursionError), then the hard limit (fatal), each one margin apart: 8 KB on a 32-bit
// build (_PyOS_STACK_MARGIN_BYTES).
const MARGIN = 8192;
// How far into the thread state to look for them (the struct is under 1 KB in 3.14).
const SEARCH_WORDS = 1024;

/**
 * Gives CPython a C stack of `budget` bytes below the current stack base: the stack Emscripten
 * reports (`emscripten_stack_set_limits`), which every new thread state (each JSPI call makes
 * one) reads for its limits, and the limits the main thread state already holds.
 *
 * @param pyodide The interpreter, freshly loaded (or restored from a snapshot)
 * @param budget Bytes of C stack Python may use, margins included
 * @returns Whether the limits were found and set; `false` leaves the interpreter as it was
 * @example
 * ```ts ignore
 * if (!limitCStack(pyodide, DEFAULT_C_STACK_BUDGET)) console.error("no C stack budget");
 * pyodide.runPython("import json; json.loads('[' * 10**5)"); // RecursionError, not a crash
 * ```
 */
export function limitCStack(pyodide: Pyodide, budget: number): boolean {
  // deno-lint-ignore no-explicit-any
  const module = (pyodide as any)._module;
  const base: number = module._emscripten_stack_get_base();
  const end: number = module._emscripten_stack_get_end();
  const newEnd = base - budget;
  if (newEnd <= end + 3 * MARGIN) return false;
  const state: number = module._PyThreadState_GetUnchecked();
  const words = new Uint32Array(module.HEAPU8.buffer);
  const first = state >>> 2;
  for (let i = first; i < first + SEARCH_WORDS; i++) {
    const [top, soft, hard] = [words[i], words[i + 1], words[i + 2]];
    if (top !== base || soft - hard !== MARGIN || hard < end || hard - end > 8 * MARGIN) continue;
    module._emscripten_stack_set_limits(base, newEnd);
    words[i + 1] = newEnd + (soft - end);
    words[i + 2] = newEnd + (hard - end);
    return true;
  }
  return false;
}
