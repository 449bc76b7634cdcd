/**
 * `Cache-Control` for static files.
 *
 * @module
 */

/** Files named with a content hash never change under that name: cache them for a year. */
export const IMMUTABLE = "public, max-age=31536000, immutable";

/** Everything else may be stored but is revalidated each time: a cheap 304 when unchanged. */
export const REVALIDATE = "no-cache";

// `app.3f9a2c1b.js`, `chunk-0a1b2c3d4e.css`: 8 or more hex digits, at least one of them a
// digit (so a word like `-facade.css` is not taken for a hash), just before the extension.
const FINGERPRINT = /[.-](?=[0-9a-f]*\d)[0-9a-f]{8,}\.[A-Za-z0-9]+$/i;

/** Whether a file name carries a content hash. */
export function isFingerprinted(name: string): boolean {
  return FINGERPRINT.test(name);
}
