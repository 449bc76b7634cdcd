/** Runs apps through validator(): directly, with a recording start_response, and via toFetchHandler(). */

import { toFetchHandler } from "../../src/core/handler.ts";
import type { AppResult, Environ, StartResponse, WsgiApp } from "../../src/core/types.ts";
import { testEnviron } from "../../src/wsgiref/test_environ.ts";
import { validator, type ValidatorOptions } from "../../src/wsgiref/validator.ts";
import { WsgiValidationError } from "../../src/wsgiref/wsgi_validation_error.ts";

export const TEXT: [string, string][] = [["Content-Type", "text/plain"]];
export const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
export const bytes = (text: string) => new TextEncoder().encode(text);

/** A valid app: bytes, a Content-Type, start_response first. */
export const goodApp: WsgiApp = (_environ, startResponse) => {
  startResponse("200 OK", TEXT);
  return [bytes("ok")];
};

/** A middleware that breaks the environ before the validator sees it, as a faulty server would. */
export function corrupt(mutate: (environ: Environ) => void): (app: WsgiApp) => WsgiApp {
  return (app) => (environ, startResponse) => {
    mutate(environ);
    return app(environ, startResponse);
  };
}

/** Calls validator(app) as a minimal server would: iterate the body, then close() it. */
export async function callDirect(
  app: WsgiApp,
  environ: Environ = testEnviron(),
  options: ValidatorOptions = {},
) {
  const calls: unknown[][] = [];
  const written: unknown[] = [];
  const startResponse = ((...args: unknown[]) => {
    calls.push(args);
    return (chunk: unknown) => written.push(chunk);
  }) as StartResponse;
  const result: AppResult = await validator(app, options)(environ, startResponse);
  const chunks: unknown[] = [];
  try {
    for await (const chunk of result) chunks.push(chunk);
  } finally {
    await result.close?.();
  }
  return { calls, chunks, written, errors: environ["edge_wsgi.test_errors"] as string[] };
}

/** The WsgiValidationError that calling validator(app) directly ends with. */
export async function directError(
  app: WsgiApp,
  environ: Environ = testEnviron(),
  options: ValidatorOptions = {},
): Promise<WsgiValidationError> {
  try {
    await callDirect(app, environ, options);
  } catch (error) {
    if (error instanceof WsgiValidationError) return error;
    throw error;
  }
  throw new Error("The validator found nothing");
}

/** How {@linkcode callHandler} serves the app. */
export interface HandlerCall {
  request?: Request;
  options?: ValidatorOptions;
  /** A middleware put between the server and the validator. */
  wrap?: (app: WsgiApp) => WsgiApp;
}

/** Serves validator(app) through toFetchHandler() with a logger, and reads the whole response. */
export async function callHandler(app: WsgiApp, call: HandlerCall = {}) {
  const lines: string[] = [];
  const validated = validator(app, { closeGraceMs: 10, ...call.options });
  const handler = toFetchHandler(call.wrap ? call.wrap(validated) : validated, {
    logger: (line) => lines.push(line),
  });
  const request = call.request ?? new Request("http://localhost/");
  const response = await handler(request);
  const body = await response.text().catch((error) => `<aborted: ${error}>`);
  return { status: response.status, body, lines, log: lines.join("\n") };
}
