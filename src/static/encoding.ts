/**
 * Choosing a precompressed sibling (`x.js.br`, `.zst`, `.gz`) by the client's
 * `Accept-Encoding` and its q-values (RFC 9110 §12.5.3).
 *
 * @module
 */

import { parseAccept } from "hono/utils/accept";

/** The content codings we serve precompressed, in our order of preference, with their suffix. */
export const CODINGS = [
  { coding: "br", suffix: ".br" },
  { coding: "zstd", suffix: ".zst" },
  { coding: "gzip", suffix: ".gz" },
] as const;

export type Coding = typeof CODINGS[number]["coding"];

/**
 * Picks the coding to send among those `available`: the client's highest q-value wins, ours
 * breaks ties; `q=0` means "not this one"; `*` speaks for codings not named. `null` means send
 * the file as it is.
 */
export function chooseCoding(acceptEncoding: string | null, available: Coding[]): Coding | null {
  if (!acceptEncoding || available.length === 0) return null;
  const weights = new Map<string, number>();
  for (const { type, q } of parseAccept(acceptEncoding)) {
    const name = type.toLowerCase() === "x-gzip" ? "gzip" : type.toLowerCase();
    if (!weights.has(name)) weights.set(name, q);
  }
  let best: Coding | null = null;
  let bestQ = 0;
  for (const { coding } of CODINGS) {
    if (!available.includes(coding)) continue;
    const q = weights.get(coding) ?? weights.get("*") ?? 0;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  return best;
}
