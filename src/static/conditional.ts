/**
 * Conditional requests (RFC 9110 §13): `If-Match`, `If-Unmodified-Since`, `If-None-Match`,
 * `If-Modified-Since` and `If-Range`, evaluated in the order §13.2.2 gives.
 *
 * @module
 */

/** A representation's validators. */
export interface Validators {
  /** A weak entity tag, such as `W/"1a2b-5f3c"`. */
  etag: string;
  /** The modification time in whole seconds since the epoch (HTTP dates have no finer grain). */
  modifiedSeconds: number;
}

/** What the preconditions decide: go on, answer 304 Not Modified, or 412 Precondition Failed. */
export type Precondition = "proceed" | "not-modified" | "failed";

/**
 * Evaluates the preconditions of a GET or HEAD against a representation.
 *
 * @param headers The request headers
 * @param validators The representation's entity tag and modification time
 */
export function evaluatePreconditions(headers: Headers, validators: Validators): Precondition {
  const ifMatch = headers.get("if-match");
  if (ifMatch !== null) {
    // §13.1.1: strong comparison, which a weak tag never passes; only `*` matches.
    if (!matchesStrongly(ifMatch, validators.etag)) return "failed";
  } else {
    const since = parseHttpDate(headers.get("if-unmodified-since"));
    if (since !== undefined && validators.modifiedSeconds > since) return "failed";
  }
  const ifNoneMatch = headers.get("if-none-match");
  if (ifNoneMatch !== null) {
    if (matchesWeakly(ifNoneMatch, validators.etag)) return "not-modified";
  } else {
    const since = parseHttpDate(headers.get("if-modified-since"));
    if (since !== undefined && validators.modifiedSeconds <= since) return "not-modified";
  }
  return "proceed";
}

/**
 * Tells whether a `Range` may be honoured under `If-Range` (§13.1.5): only when the validator
 * given is still current. An entity tag must match strongly, so our weak tags never do; a date
 * must equal `Last-Modified` exactly.
 */
export function rangeStillValid(headers: Headers, validators: Validators): boolean {
  const ifRange = headers.get("if-range");
  if (ifRange === null) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith("W/")) {
    return matchesStrongly(value, validators.etag);
  }
  return parseHttpDate(value) === validators.modifiedSeconds;
}

/** Formats seconds since the epoch as an IMF-fixdate. */
export function httpDate(seconds: number): string {
  return new Date(seconds * 1000).toUTCString();
}

/** Parses an HTTP date to whole seconds, or `undefined` when it is absent or not a date. */
export function parseHttpDate(value: string | null): number | undefined {
  if (value === null) return undefined;
  const millis = Date.parse(value);
  return Number.isNaN(millis) ? undefined : Math.floor(millis / 1000);
}

function tags(list: string): string[] {
  return list.split(",").map((tag) => tag.trim()).filter((tag) => tag !== "");
}

function opaque(tag: string): string {
  return tag.startsWith("W/") ? tag.slice(2) : tag;
}

function matchesWeakly(list: string, etag: string): boolean {
  if (list.trim() === "*") return true;
  return tags(list).some((tag) => opaque(tag) === opaque(etag));
}

function matchesStrongly(list: string, etag: string): boolean {
  if (list.trim() === "*") return true;
  if (etag.startsWith("W/")) return false;
  return tags(list).some((tag) => !tag.startsWith("W/") && tag === etag);
}
