/**
 * The one gate between a URL path and the file system: which URL paths may name a file
 * under the static root, as path segments, and which are refused before any file is touched.
 *
 * @module
 */

/** A URL path that may name a file: its decoded segments. */
export interface SafePath {
  ok: true;
  /** The decoded segments, none empty, none a dot segment, none hidden (but `.well-known`). */
  segments: string[];
  /** Whether the URL path ended with `/`. */
  trailingSlash: boolean;
}

/** A URL path refused, with the status to answer. */
export interface RefusedPath {
  ok: false;
  status: 400 | 404;
  reason: string;
}

// Longer paths are refused outright (404, not 500): no file system accepts them anyway.
const MAX_PATH_LENGTH = 4096;
const MAX_SEGMENT_BYTES = 255;
const MALFORMED_ESCAPE = /%(?![0-9A-Fa-f]{2})/;
const utf8 = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

/**
 * Checks a raw URL path (still percent-encoded, dot segments already resolved) for the static
 * server.
 *
 * Refused with 400: malformed escapes (`/%`, `/%E0%A4%A`) and NUL bytes. Refused with 404:
 * bytes that are not UTF-8, `..` and `.` in any form (`%2e%2e%2f` decodes to one), hidden names
 * (`/.env`, `/.git/config`) except `/.well-known/`, backslashes, Windows drive and stream names
 * (`C:`, `::$DATA`), names ending in a dot or space (Windows ignores those), control characters,
 * and paths too long to be a file's.
 */
export function checkPath(rawPath: string): SafePath | RefusedPath {
  if (rawPath.length > MAX_PATH_LENGTH) return notFound("path too long");
  if (MALFORMED_ESCAPE.test(rawPath)) return { ok: false, status: 400, reason: "malformed escape" };
  let path: string;
  try {
    path = rawPath.includes("%") ? utf8.decode(percentBytes(rawPath)) : rawPath;
  } catch {
    return notFound("not UTF-8");
  }
  if (path.includes("\0")) return { ok: false, status: 400, reason: "NUL byte" };
  const parts = path.split("/");
  const trailingSlash = parts.length > 1 && parts[parts.length - 1] === "";
  // Empty segments (`//`) are merged away, as nginx's merge_slashes does.
  const segments = parts.filter((part) => part !== "");
  for (let i = 0; i < segments.length; i++) {
    const refusal = checkSegment(segments[i], i);
    if (refusal) return notFound(refusal);
  }
  return { ok: true, segments, trailingSlash };
}

// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;

function checkSegment(segment: string, index: number): string | undefined {
  if (segment === "." || segment === "..") return "dot segment";
  if (segment.startsWith(".") && !(index === 0 && segment === ".well-known")) return "hidden name";
  if (segment.includes("\\")) return "backslash";
  if (segment.includes(":")) return "drive or stream name";
  if (segment.endsWith(".") || segment.endsWith(" ")) return "trailing dot or space";
  if (CONTROL.test(segment)) return "control character";
  if (encoder.encode(segment).length > MAX_SEGMENT_BYTES) return "name too long";
  return undefined;
}

function notFound(reason: string): RefusedPath {
  return { ok: false, status: 404, reason };
}

function percentBytes(raw: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === "%") {
      bytes.push(parseInt(raw.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      const code = raw.charCodeAt(i);
      if (code < 0x80) bytes.push(code);
      else bytes.push(...encoder.encode(raw[i]));
    }
  }
  return new Uint8Array(bytes);
}
