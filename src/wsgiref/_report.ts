/**
 * How `validator()` reports what it finds: errors are thrown, warnings go to `wsgi.errors`.
 *
 * @module
 */

import type { WsgiErrors } from "../core/types.ts";
import { type WsgiSide, WsgiValidationError } from "./wsgi_validation_error.ts";

/** Reports one finding of a rule. */
export type Finding = (rule: string, side: WsgiSide, detail: string) => void;

/** The two ways of reporting for one request. */
export interface Report {
  /** Throws a {@linkcode WsgiValidationError}. */
  fail: (rule: string, side: WsgiSide, detail: string) => never;
  /** Writes a warning line to `wsgi.errors`, or throws in strict mode. */
  warn: Finding;
  /** Whether PEP 3333 is checked to the letter: every warning an error, bodies bytes only. */
  strict: boolean;
}

/** Creates the report of one request; `errors` is the server's own `wsgi.errors`. */
export function createReport(errors: () => WsgiErrors | undefined, strict: boolean): Report {
  const fail = (rule: string, side: WsgiSide, detail: string): never => {
    throw new WsgiValidationError(rule, side, detail);
  };
  return {
    fail,
    strict,
    warn(rule, side, detail) {
      if (strict) fail(rule, side, detail);
      try {
        errors()?.write(`WSGI warning: the ${side} broke rule ${rule}: ${detail}\n`);
      } catch {
        // A broken wsgi.errors is reported by the environ checks; a warning must not throw.
      }
    },
  };
}

/** A value's type, for messages: `"null"`, `"array"`, a class name, or `typeof`. */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return (value as object).constructor?.name ?? "object";
  return typeof value;
}

/** A value quoted for a message, never throwing and never very long. */
export function quote(value: unknown): string {
  let text: string;
  try {
    text = typeof value === "string" ? JSON.stringify(value) : String(JSON.stringify(value));
  } catch {
    text = String(value);
  }
  return text.length > 80 ? text.slice(0, 77) + "..." : text;
}
