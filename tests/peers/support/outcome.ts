/**
 * What a server did with a request, as {@linkcode Outcome} names it, and the check against what
 * a runtime is expected to do.
 *
 * @module
 */

import { expect } from "bun:test";
import type { RawConnection } from "./connection.ts";
import type { Outcome } from "./differences.ts";

/** A refusal comes at once; waiting longer would only hide a hang behind a test's time limit. */
export const ANSWER_WAIT = 4_000;

/**
 * The first answer on `conn`: `"served"` when the app answered (200 with `servedType`, the
 * fixture's Content-Type), else its status; `"closed"` when the connection closed first.
 *
 * @example
 * ```ts
 * await outcomeOf(conn, "application/json"); // 400, "served" or "closed"
 * ```
 */
export async function outcomeOf(
  conn: RawConnection,
  servedType: string,
): Promise<number | "served" | "closed"> {
  try {
    const response = await conn.read({ ms: ANSWER_WAIT });
    const fromApp = response.status === 200 && response.header("content-type") === servedType;
    return fromApp ? "served" : response.status;
  } catch (error) {
    if (conn.isClosed()) return "closed";
    throw error;
  }
}

/** Asserts that `actual` is `expected`, or one of them when timing decides. */
export function expectOutcome(actual: number | "served" | "closed", expected: Outcome): void {
  expect(Array.isArray(expected) ? expected : [expected]).toContain(actual);
}
