/**
 * Shows exactly what an app receives: every environ entry whose value is a string, number,
 * boolean or array, plus `"wsgi.input"`: the request body it read, as latin-1 text.
 *
 * @module
 */

import type { WsgiApp } from "../mod.ts";
import { bytesToLatin1 } from "../src/core/latin1.ts";

/** Answers any method with the environ as JSON. */
export const application: WsgiApp = async function environ(environ, startResponse) {
  const shown: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(environ)) {
    const kind = typeof value;
    if (kind === "string" || kind === "number" || kind === "boolean" || Array.isArray(value)) {
      shown[key] = value;
    }
  }
  shown["wsgi.input"] = bytesToLatin1(await environ["wsgi.input"].read());
  startResponse("200 OK", [
    ["Content-Type", "application/json"],
    ["Cache-Control", "no-store"],
  ]);
  return [JSON.stringify(shown, Object.keys(shown).sort(), 2) + "\n"];
};
