/**
 * One request's state while its app runs: the request, the error log and the app's error
 * stream, and the disconnect signal, made only if the app asks for it (or the client leaves
 * first).
 *
 * @module
 */

import { describe } from "./describe_error.ts";
import { createErrors } from "./errors_stream.ts";
import { requestTarget } from "./request_target.ts";
import type { ParsedStatus } from "./response_rules.ts";
import type { Logger, WsgiErrors } from "./types.ts";

// One request's state: its error stream, and its disconnect signal, made only if the app asks
// for it (or the client leaves first).
export class RequestRun {
  readonly request: Request;
  readonly logger: Logger;
  readonly errors: WsgiErrors;
  readonly statuses: Map<string, ParsedStatus>;
  /** Keeps work after the response alive where the runtime would stop it (Workers). */
  readonly waitUntil: ((work: Promise<unknown>) => void) | undefined;
  #disconnect: AbortController | undefined;
  #gone = false;

  constructor(
    request: Request,
    logger: Logger,
    statuses: Map<string, ParsedStatus>,
    waitUntil?: (work: Promise<unknown>) => void,
  ) {
    this.request = request;
    this.logger = logger;
    this.statuses = statuses;
    this.waitUntil = waitUntil;
    this.errors = createErrors(logger, request);
  }

  signal(): AbortSignal {
    this.#disconnect ??= new AbortController();
    if (this.#gone) this.#disconnect.abort();
    return this.#disconnect.signal;
  }

  onDisconnect(): void {
    this.#gone = true;
    this.#disconnect?.abort();
  }

  /** Logs an app error with the request it happened in. */
  report(error: unknown): void {
    const { method, url } = this.request;
    this.logger(`Error in app for ${method} ${requestTarget(url)}: ${describe(error)}`);
  }
}
