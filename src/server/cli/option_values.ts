/**
 * The kinds of value an option takes (flags, whole numbers, sizes, `PREFIX=MODULE` pairs), each
 * parsed strictly, with the error a user sees when one is wrong.
 *
 * @module
 */

/** A bad option or value: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

const TRUE = new Set(["1", "true", "yes", "on"]);
const FALSE = new Set(["0", "false", "no", "off", ""]);

/** Parses a flag: `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off`/empty. */
export function flag(value: string, name: string): boolean {
  const lower = value.toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  throw new UsageError(`${name} must be true or false, not ${JSON.stringify(value)}`);
}

/** Parses a whole number from `min` to `max`. */
export function integer(value: string, name: string, min: number, max: number): number {
  const number = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(number >= min && number <= max)) {
    throw new UsageError(
      `${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}`,
    );
  }
  return number;
}

const SIZE_UNITS: Record<string, number> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Parses a size such as `1048576`, `512K`, `10M`, `1G` or `1GiB`. */
export function parseSize(value: string, name = "size"): number {
  const match = /^(\d+)\s*([kmg]?)(?:i?b)?$/i.exec(value.trim());
  if (!match) {
    throw new UsageError(
      `${name} must be a size such as 1048576, 512K, 10M or 1G, not ${JSON.stringify(value)}`,
    );
  }
  return Number(match[1]) * SIZE_UNITS[match[2].toLowerCase()];
}

/** Parses `PREFIX=MODULE` (`/api=./api.ts`, `/=mysite.wsgi`) into its two parts. */
export function mountPair(value: string, label: string): [string, string] {
  const at = value.indexOf("=");
  const prefix = value.slice(0, at);
  if (at <= 0 || !/^(\/[^/=]+)+$|^\/$/.test(prefix) || at === value.length - 1) {
    throw new UsageError(
      `${label} must be PREFIX=MODULE such as /api=./api.ts, not ${JSON.stringify(value)}`,
    );
  }
  return [prefix, value.slice(at + 1)];
}
