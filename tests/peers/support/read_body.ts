/**
 * What every TypeScript fixture app (tests/peers/apps) reads first, as waitress's fixtures do:
 * the request body, no further than `CONTENT_LENGTH` when there is one.
 *
 * @module
 */

import type { Environ } from "../../../mod.ts";

/**
 * The request body, read as `environ["wsgi.input"].read(int(CONTENT_LENGTH))` reads it.
 *
 * @example
 * ```ts
 * const body = await readBody(environ); // Uint8Array
 * ```
 */
export function readBody(environ: Environ): Promise<Uint8Array> {
  const length = environ.CONTENT_LENGTH as string | undefined;
  return environ["wsgi.input"].read(length === undefined ? undefined : Number(length));
}
