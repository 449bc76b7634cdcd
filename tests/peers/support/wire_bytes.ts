/**
 * Bytes off the wire: latin-1 text, searching, joining, and chunked framing, for the raw-socket
 * clients of the tests.
 *
 * @module
 */

/**
 * Where a chunked body that starts at byte 0 ends (after its last chunk and trailer section),
 * or `undefined` while it is incomplete.
 *
 * @example
 * ```ts
 * chunkedEnd(latin1Bytes("1\r\na\r\n0\r\n\r\n")); // 13
 * ```
 */
export function chunkedEnd(bytes: Uint8Array): number | undefined {
  let at = 0;
  for (;;) {
    const lineEnd = indexOf(bytes, [13, 10], at);
    if (lineEnd === -1) return undefined;
    const size = parseInt(latin1(bytes.subarray(at, lineEnd)), 16);
    if (Number.isNaN(size)) throw new Error(`Bad chunk size line: ${latin1(bytes.subarray(at))}`);
    if (size === 0) {
      // Trailer fields, then an empty line.
      let line = lineEnd + 2;
      for (;;) {
        const end = indexOf(bytes, [13, 10], line);
        if (end === -1) return undefined;
        if (end === line) return end + 2;
        line = end + 2;
      }
    }
    at = lineEnd + 2 + size + 2;
    if (at > bytes.length) return undefined;
  }
}

/**
 * The data of a chunked body, and the size of each chunk as framed.
 *
 * @example
 * ```ts
 * dechunk(latin1Bytes("1\r\na\r\n0\r\n\r\n")); // { body: "a" as bytes, sizes: [1] }
 * ```
 */
export function dechunk(bytes: Uint8Array): { body: Uint8Array; sizes: number[] } {
  const parts: Uint8Array[] = [];
  const sizes: number[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = indexOf(bytes, [13, 10], at);
    if (lineEnd === -1) break;
    const size = parseInt(latin1(bytes.subarray(at, lineEnd)), 16);
    if (!(size > 0)) break;
    sizes.push(size);
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return { body: concat(parts), sizes };
}

/**
 * Bytes as latin-1 text, one character per byte.
 *
 * @example
 * ```ts
 * latin1(new Uint8Array([104, 105])); // "hi"
 * ```
 */
export function latin1(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return text;
}

/**
 * Where `needle` first occurs in `bytes` from `from` on, or -1.
 *
 * @example
 * ```ts
 * indexOf(new Uint8Array([1, 13, 10]), [13, 10]); // 1
 * ```
 */
export function indexOf(bytes: Uint8Array, needle: number[], from = 0): number {
  outer: for (let i = from; i <= bytes.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * The chunks joined into one array.
 *
 * @example
 * ```ts
 * concat([new Uint8Array([1]), new Uint8Array([2])]); // Uint8Array [1, 2]
 * ```
 */
export function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
