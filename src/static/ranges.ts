/**
 * `Range: bytes=…` (RFC 9110 §14): which byte ranges of a representation to send.
 *
 * @module
 */

/** An inclusive byte range, `[first, last]`. */
export type ByteRange = [first: number, last: number];

/** What a `Range` header asks of a representation of `size` bytes. */
export type RangeRequest =
  | { kind: "whole" }
  | { kind: "unsatisfiable" }
  | { kind: "ranges"; ranges: ByteRange[] };

/** More ranges than this in one request are answered with the whole representation. */
export const MAX_RANGES = 16;

const SPEC = /^(\d*)-(\d*)$/;

/**
 * Parses a `Range` header against a size. A header that is absent, not `bytes=`, or has any
 * malformed range is ignored (the whole representation is sent, §14.2). Ranges are clamped to the
 * size; none satisfiable gives `unsatisfiable` (416). Overlapping ranges, or more than
 * {@linkcode MAX_RANGES}, are answered whole: that is the defence §14.2 suggests against
 * range requests built to multiply the work.
 */
export function parseRange(header: string | null, size: number): RangeRequest {
  if (header === null) return { kind: "whole" };
  const match = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!match) return { kind: "whole" };
  const specs = match[1].split(",").map((spec) => spec.trim()).filter((spec) => spec !== "");
  if (specs.length === 0) return { kind: "whole" };
  const ranges: ByteRange[] = [];
  for (const spec of specs) {
    const parts = SPEC.exec(spec);
    if (!parts || (parts[1] === "" && parts[2] === "")) return { kind: "whole" };
    const [, first, last] = parts;
    if (first === "") {
      const suffix = Number(last);
      if (suffix > 0 && size > 0) ranges.push([Math.max(0, size - suffix), size - 1]);
      continue;
    }
    const start = Number(first);
    if (last !== "" && Number(last) < start) return { kind: "whole" };
    if (start < size) {
      ranges.push([start, last === "" ? size - 1 : Math.min(Number(last), size - 1)]);
    }
  }
  if (ranges.length === 0) return { kind: "unsatisfiable" };
  if (ranges.length > MAX_RANGES) return { kind: "whole" };
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i][0] <= sorted[i - 1][1]) return { kind: "whole" };
  }
  return { kind: "ranges", ranges };
}
