/**
 * Joining byte chunks.
 *
 * @module
 */

/** Copies `parts`, whose lengths add up to `length`, into one new array. */
export function joinBytes(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
