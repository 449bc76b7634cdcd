/**
 * One line to standard output, as `console.log(line)` writes it, for the access log: a line a
 * request.
 *
 * @module
 */

import { writeSync } from "node:fs";
import { utf8Length } from "../base/utf8_length.ts";

const STDOUT = 1;
const encoder = new TextEncoder();

// POSIX: a write of at most PIPE_BUF (4096 on Linux) bytes to a pipe goes out whole or not at
// all, also when the pipe is full or non-blocking. A line of this many UTF-16 code units and
// its newline is at most 3 × 1364 + 1 = 4093 bytes.
const ATOMIC_LINE = 1364;

/**
 * Writes `line` and a newline to standard output: the bytes `console.log(line)` writes, in
 * order with it (both write at once), without what `console.log` does around the write (on
 * Deno that cost about 9 µs a line, the write itself about 2).
 *
 * A line that might not go out in one write (past 4 KB), and one the output does not take at
 * once (a full non-blocking pipe: Bun's `console.log` waits, Deno's throws), goes to
 * `console.log`, which does what it always did. A terminal or socket may take part of a line:
 * the rest follows, and is dropped if the output is gone, as `console.log` drops lines on a
 * closed pipe.
 *
 * @param line The line, without its newline
 * @example
 * ```ts
 * import { writeStdoutLine } from "./stdout_line.ts";
 * writeStdoutLine('127.0.0.1 - - [06/Dec/2026:21:11:35 +0000] "GET / HTTP/1.1" 200 21 "-" "-"');
 * ```
 */
export function writeStdoutLine(line: string): void {
  if (line.length > ATOMIC_LINE) {
    console.log(line);
    return;
  }
  const text = line + "\n";
  let written: number;
  try {
    written = writeSync(STDOUT, text);
  } catch {
    console.log(line);
    return;
  }
  if (written !== utf8Length(text)) writeRest(encoder.encode(text), written);
}

// A write cut short: the rest of the line's bytes, in as many writes as it takes.
function writeRest(bytes: Uint8Array, offset: number): void {
  while (offset < bytes.length) {
    let written: number;
    try {
      written = writeSync(STDOUT, bytes, offset);
    } catch {
      return;
    }
    if (written <= 0) return;
    offset += written;
  }
}
