/**
 * `WsgiValidationError`: what `validator()` throws when either side breaks PEP 3333.
 *
 * @module
 */

/** Which side of the interface broke the rule. */
export type WsgiSide = "app" | "server";

/**
 * A broken WSGI rule, found by {@linkcode validator}: the Python validator's `AssertionError`.
 * `rule` is a short stable name such as `"headers.hop_by_hop"`, `side` says who is at fault,
 * and the message names the rule and the bad value.
 *
 * @example
 * ```ts
 * import { WsgiValidationError } from "./mod.ts";
 * const error = new WsgiValidationError("status.format", "app", 'Status must be "NNN Reason", not "200"');
 * error.message; // 'The app broke WSGI rule status.format: Status must be "NNN Reason", not "200"'
 * error instanceof Error; // true
 * ```
 */
export class WsgiValidationError extends Error {
  /** The rule's name, such as `"environ.script_name"`. */
  readonly rule: string;
  /** Who broke it: the app, or the server that called the app. */
  readonly side: WsgiSide;

  /**
   * @param rule The rule's name
   * @param side Who broke it
   * @param detail What is wrong, quoting the bad value
   */
  constructor(rule: string, side: WsgiSide, detail: string) {
    super(`The ${side} broke WSGI rule ${rule}: ${detail}`);
    this.name = "WsgiValidationError";
    this.rule = rule;
    this.side = side;
  }
}
