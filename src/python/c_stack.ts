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

/** A C-stack budget found in one interpreter, given afresh to each call into Python. */
export interface CStackBudget {
  /**
   * Gives the call beginning now `budget` bytes of C stack below `top` (default: the current
   * stack pointer); for a call from JavaScript that is not a JSPI call (those get theirs
   * themselves). Calls suspended on JSPI keep their C stacks in place and share CPython's one
   * thread state (Pyodide 314), so a call that starts while others wait starts lower, and one
   * that resumes needs its own limits back: a budget counted once from the stack's base shrank
   * with every request waiting for its body.
   */
  rebase(top?: number): number;
}

/**
 * Finds CPython's C-stack limits in the thread state and returns the means to give each call
 * into Python `budget` bytes of C stack below where it starts, which the engine's stack can
 * hold (each JSPI call runs on an engine stack of its own, but all share one C stack and one
 * thread state), and gives a call resuming after a wait its own budget back.
 *
 * @param pyodide The interpreter, freshly loaded (or restored from a snapshot)
 * @param budget Bytes of C stack a call may use, margins included
 * @returns The budget, already given to the code running now; `undefined` when the limits were
 *   not found (the interpreter is left as it was)
 * @example
 * ```ts ignore
 * const budget = limitCStack(pyodide, DEFAULT_C_STACK_BUDGET);
 * budget?.rebase();
 * pyodide.runPython("import json; json.loads('[' * 10**5)"); // RecursionError, not a crash
 * ```
 */
export function limitCStack(pyodide: Pyodide, budget: number): CStackBudget | undefined {
  // deno-lint-ignore no-explicit-any
  const module = (pyodide as any)._module;
  const base: number = module._emscripten_stack_get_base();
  const end: number = module._emscripten_stack_get_end();
  if (base - budget <= end + 3 * MARGIN) return undefined;
  const state: number = module._PyThreadState_GetUnchecked();
  const words = new Uint32Array(module.HEAPU8.buffer);
  const first = state >>> 2;
  for (let i = first; i < first + SEARCH_WORDS; i++) {
    const [top, soft, hard] = [words[i], words[i + 1], words[i + 2]];
    if (top !== base || soft - hard !== MARGIN || hard < end || hard - end > 8 * MARGIN) continue;
    // Where the three words sit in a thread state, and the margins CPython keeps above the end.
    const offset = i - first;
    const softMargin = soft - end;
    const hardMargin = hard - end;
    // The lowest a budget may reach: the real end of the stack, with CPython's margins.
    const floor = end + 3 * MARGIN;
    const rebase = (top: number = module._emscripten_stack_get_current()) => {
      const limit = Math.max(top - budget, floor);
      const at = (module._PyThreadState_GetUnchecked() >>> 2) + offset;
      // HEAPU32 is Emscripten's view, renewed when the memory grows.
      const heap: Uint32Array = module.HEAPU32;
      heap[at] = top;
      heap[at + 1] = limit + softMargin;
      heap[at + 2] = limit + hardMargin;
      return top;
    };
    // A JSPI call begins in Pyodide's promisingApply(), at the C-stack position it found for
    // it, and resumes after a wait where Pyodide copies its C stack back (StackState's
    // restore()); both are per interpreter. Each gets its budget there, counted from the top of
    // its stack, before any of its Python runs.
    const StackState = module.StackState;
    const restore = StackState?.prototype?.restore;
    const promisingApply = module.promisingApply;
    if (typeof restore !== "function" || typeof promisingApply !== "function") return undefined;
    module.promisingApply = function applyWithBudget(...args: unknown[]) {
      rebase();
      return promisingApply.apply(this, args);
    };
    StackState.prototype.restore = function restoreWithBudget(this: { stop: number }) {
      const copied = restore.call(this);
      rebase(this.stop);
      return copied;
    };
    rebase();
    return { rebase };
  }
  return undefined;
}
