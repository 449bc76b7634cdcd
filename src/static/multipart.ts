/**
 * `multipart/byteranges` (RFC 9110 §14.6): several ranges of one representation in one body.
 *
 * @module
 */

import type { ByteRange } from "./ranges.ts";

const encoder = new TextEncoder();

/** A multipart body and what to announce of it. */
export interface MultipartBody {
  contentType: string;
  length: number;
  body: ReadableStream<Uint8Array>;
}

/**
 * Builds a `multipart/byteranges` body. `slice(range)` gives one range's bytes, read only
 * when that part is reached, so the parts stream one after another.
 */
export function multipartByteranges(
  ranges: ByteRange[],
  size: number,
  contentType: string,
  slice: (range: ByteRange) => ReadableStream<Uint8Array>,
): MultipartBody {
  const boundary = crypto.randomUUID().replaceAll("-", "");
  const heads = ranges.map(([first, last], i) =>
    encoder.encode(
      `${i === 0 ? "" : "\r\n"}--${boundary}\r\nContent-Type: ${contentType}\r\n` +
        `Content-Range: bytes ${first}-${last}/${size}\r\n\r\n`,
    )
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  let length = tail.length;
  ranges.forEach(([first, last], i) => length += heads[i].length + last - first + 1);

  let part = 0;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (reader) {
        const { done, value } = await reader.read();
        if (!done) return controller.enqueue(value);
        reader = undefined;
        part++;
      }
      if (part === ranges.length) {
        controller.enqueue(tail);
        controller.close();
        return;
      }
      reader = slice(ranges[part]).getReader();
      controller.enqueue(heads[part]);
    },
    async cancel(reason) {
      await reader?.cancel(reason);
    },
  }, { highWaterMark: 0 });
  return { contentType: `multipart/byteranges; boundary=${boundary}`, length, body };
}
