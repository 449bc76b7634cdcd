/**
 * Answers a GET or HEAD for one file: picks the representation, evaluates the preconditions
 * and the range, and builds the response.
 *
 * @module
 */

import type { Runtime } from "../runtime/types.ts";
import { IMMUTABLE, isFingerprinted } from "./cache_control.ts";
import { evaluatePreconditions, httpDate, rangeStillValid } from "./conditional.ts";
import { chooseCoding, type Coding } from "./encoding.ts";
import type { FileEntry, Representation } from "./file_index.ts";
import { multipartByteranges } from "./multipart.ts";
import { type ByteRange, parseRange } from "./ranges.ts";

const MAX_JOINED_MULTIPART = 1024 * 1024;

/** How files are sent. */
export interface SendOptions {
  /** `Cache-Control` for most files. */
  cacheControl: string;
  /** `Cache-Control` for fingerprinted names (`app.3f9a2c1b.js`); defaults to a year, immutable. */
  immutableCacheControl?: string;
  runtime: Runtime;
}

/** Sends `file` in answer to `request` (GET or HEAD), with `status` for a whole response. */
export function sendFile(
  request: Request,
  file: FileEntry,
  options: SendOptions,
  status = 200,
): Response | Promise<Response> {
  const coding = file.codings.length > 0
    ? chooseCoding(request.headers.get("accept-encoding"), file.codings)
    : null;
  const rep: Representation = coding ? file.variants[coding]! : file;
  const prepared = preparedHeaders(file, rep, coding, options);

  if (status === 200) {
    const precondition = evaluatePreconditions(request.headers, rep);
    if (precondition === "not-modified") {
      return new Response(null, { status: 304, headers: prepared.notModified });
    }
    if (precondition === "failed") return empty(412, new Headers(prepared.base));
  }

  const head = request.method === "HEAD";
  // The common case, a whole file: its headers were worked out when it was first sent.
  if (head || status !== 200 || request.headers.get("range") === null) {
    if (head) return new Response(null, { status, headers: prepared.ok });
    const text = options.runtime.textBodies ? rep.text : undefined;
    const body = text ?? rep.bytes ?? options.runtime.fileBody(rep.path, 0, rep.size - 1, true);
    return new Response(body as BodyInit, { status, headers: prepared.ok });
  }
  const headers = new Headers(prepared.base);
  if (!rep.bytes) headers.set("Content-Disposition", "inline");

  // RFC 9110 §14.2: Range is defined for GET only.
  const range = rangeStillValid(request.headers, rep)
    ? parseRange(request.headers.get("range"), rep.size)
    : { kind: "whole" as const };

  if (range.kind === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${rep.size}`);
    return empty(416, headers);
  }
  if (range.kind === "ranges" && range.ranges.length === 1) {
    const [first, last] = range.ranges[0];
    headers.set("Content-Range", `bytes ${first}-${last}/${rep.size}`);
    headers.set("Content-Length", String(last - first + 1));
    const body = slice(rep, range.ranges[0], options.runtime) as BodyInit;
    return new Response(body, { status: 206, headers });
  }
  if (range.kind === "ranges") {
    const multipart = multipartByteranges(range.ranges, rep.size, file.contentType, (r) => {
      const body = slice(rep, r, options.runtime);
      if (body instanceof Uint8Array) return new Blob([body as Uint8Array<ArrayBuffer>]).stream();
      return body instanceof Blob ? body.stream() : body;
    });
    headers.set("Content-Type", multipart.contentType);
    headers.set("Content-Length", String(multipart.length));
    // Bun drops a Content-Length it cannot see through a stream and sends the parts chunked;
    // a small multipart body is joined in memory so that both runtimes announce its length.
    if (multipart.length > MAX_JOINED_MULTIPART) {
      return new Response(multipart.body, { status: 206, headers });
    }
    return new Response(multipart.body).arrayBuffer().then((joined) =>
      new Response(joined, { status: 206, headers })
    );
  }

  headers.set("Content-Length", String(rep.size));
  const body = rep.bytes ?? options.runtime.fileBody(rep.path, 0, rep.size - 1, true);
  return new Response(body as BodyInit, { status, headers });
}

// The headers of a representation for one Cache-Control setting, made once and kept on it:
// `base` for partial and failed responses, `ok` with its Content-Length, and `notModified` with
// only what RFC 9110 §15.4.5 has a 304 carry (validators, Cache-Control, Vary).
function preparedHeaders(
  file: FileEntry,
  rep: Representation,
  coding: Coding | null,
  options: SendOptions,
): NonNullable<Representation["sendHeaders"]> {
  if (rep.sendHeaders?.cacheControl === options.cacheControl) return rep.sendHeaders;
  const headerCacheControl = isFingerprinted(file.path)
    ? options.immutableCacheControl ?? IMMUTABLE
    : options.cacheControl;
  const base: Record<string, string> = {
    "Content-Type": file.contentType,
    "ETag": rep.etag,
    "Last-Modified": httpDate(rep.modifiedSeconds),
    "Cache-Control": headerCacheControl,
    "Accept-Ranges": "bytes",
    "X-Content-Type-Options": "nosniff",
  };
  // Every compressible response varies on Accept-Encoding, compressed or not, so that a cache
  // never hands the identity file to a client that asked for br, or the reverse.
  if (file.compressible) base["Vary"] = "Accept-Encoding";
  if (coding) base["Content-Encoding"] = coding;
  const ok: Record<string, string> = { ...base, "Content-Length": String(rep.size) };
  const notModified: Record<string, string> = {
    "ETag": rep.etag,
    "Last-Modified": base["Last-Modified"],
    "Cache-Control": headerCacheControl,
  };
  if (file.compressible) notModified["Vary"] = "Accept-Encoding";
  // Bun names the file on disk in a Content-Disposition of its own unless one is set; the name
  // on disk is not the URL's (think of symlinks), and Deno adds none. Bodies from memory get none.
  if (!rep.bytes) ok["Content-Disposition"] = "inline";
  // Kept as Headers, which a Response copies faster than a record; never handed out or changed.
  return rep.sendHeaders = {
    cacheControl: options.cacheControl,
    ok: new Headers(ok),
    base: new Headers(base),
    notModified: new Headers(notModified),
  };
}

function slice(
  rep: Representation,
  [first, last]: ByteRange,
  runtime: Runtime,
): ReadableStream<Uint8Array> | Blob | Uint8Array {
  if (rep.bytes) return rep.bytes.subarray(first, last + 1);
  return runtime.fileBody(rep.path, first, last);
}

function empty(status: number, headers: Headers): Response {
  headers.set("Content-Length", "0");
  return new Response(null, { status, headers });
}
