/**
 * An error as one entry of the error log.
 *
 * @module
 */

/** Describes a thrown value: its stack where it has one, else its JSON or string form. */
export function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  try {
    return `Thrown value: ${JSON.stringify(error)}`;
  } catch {
    return `Thrown value: ${String(error)}`;
  }
}
