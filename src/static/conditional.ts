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

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAY = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
const DAY_NAME = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const MONTH = `(${MONTHS.join("|")})`;
const TIME = "(\\d{2}):(\\d{2}):(\\d{2})";
// RFC 9110 §5.6.7: IMF-fixdate, and the obsolete RFC 850 and asctime forms, all in GMT.
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC_850 = new RegExp(`^${DAY_NAME}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

/**
 * Parses an HTTP date (IMF-fixdate, RFC 850 or asctime, always UTC) to whole seconds, or
 * `undefined` when it is absent or not one of those forms, which a condition then ignores
 * (RFC 9110 §13.1.3).
 */
export function parseHttpDate(value: string | null): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  let parts: [day: string, month: string, year: number, h: string, m: string, s: string];
  let match = IMF_FIXDATE.exec(text);
  if (match) parts = [match[1], match[2], Number(match[3]), match[4], match[5], match[6]];
  else if ((match = RFC_850.exec(text))) {
    // RFC 9110: a two-digit year more than 50 years in the future is in the past century.
    const year = 2000 + Number(match[3]);
    const nowYear = new Date().getUTCFullYear();
    parts = [
      match[1],
      match[2],
      year > nowYear + 50 ? year - 100 : year,
      match[4],
      match[5],
      match[6],
    ];
  } else if ((match = ASCTIME.exec(text))) {
    parts = [match[2].trim(), match[1], Number(match[6]), match[3], match[4], match[5]];
  } else return undefined;
  const [day, month, year, hours, minutes, seconds] = parts;
  const millis = Date.UTC(
    year,
    MONTHS.indexOf(month),
    Number(day),
    Number(hours),
    Number(minutes),
    Number(seconds),
  );
  const date = new Date(millis);
  // Reject dates that roll over, such as 31 Feb.
  if (
    date.getUTCDate() !== Number(day) || Number(hours) > 23 || Number(minutes) > 59 ||
    Number(seconds) > 60
  ) {
    return undefined;
  }
  return Math.floor(millis / 1000);
}

function tags(list: string): string[] {
  return list.split(",").map((tag) => tag.trim()).filter((tag) => tag !== "");
}

function opaque(tag: string): string {
  return tag.startsWith("W/") ? tag.slice(2) : tag;
}

function matchesWeakly(list: string, etag: string): boolean {
  // The usual revalidation: the client sends back exactly the tag it was given.
  if (list === etag) return true;
  if (list.trim() === "*") return true;
  return tags(list).some((tag) => opaque(tag) === opaque(etag));
}

function matchesStrongly(list: string, etag: string): boolean {
  if (list.trim() === "*") return true;
  if (etag.startsWith("W/")) return false;
  return tags(list).some((tag) => !tag.startsWith("W/") && tag === etag);
}
