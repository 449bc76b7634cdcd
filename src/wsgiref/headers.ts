/**
 * `WsgiHeaders`: a `Headers`-style view of a WSGI header list, as Python's
 * `wsgiref.headers.Headers`.
 *
 * @module
 */

import type { HeaderPair } from "../core/types.ts";

// RFC 9110 §5.6.2: a field name is a token.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Characters that would split the header block (response splitting).
const LINE_BREAK = /[\r\n\0]/;

/** Parameters for {@linkcode WsgiHeaders.addHeader}: `undefined`/`null` adds the bare name. */
export type HeaderParams = Record<string, string | null | undefined>;

/**
 * Reads and edits a `[name, value][]` header list in place, with case-insensitive names,
 * repeated headers kept in order, and the wire format from `toString()`.
 *
 * The list is live: `headers.list` is the very array given to the constructor, so an app can
 * build its headers with this class and pass the array to `start_response`.
 *
 * @example
 * ```ts
 * import { WsgiHeaders, type WsgiApp } from "./mod.ts";
 * const app: WsgiApp = (_environ, startResponse) => {
 *   const headers = new WsgiHeaders();
 *   headers.set("Content-Type", "text/plain");
 *   headers.addHeader("Content-Disposition", "attachment", { filename: "bud.gif" });
 *   headers.append("Set-Cookie", "a=1");
 *   headers.append("Set-Cookie", "b=2");
 *   startResponse("200 OK", headers.list);
 *   return ["hi\n"];
 * };
 * ```
 */
export class WsgiHeaders implements Iterable<HeaderPair> {
  #list: HeaderPair[];

  /**
   * @param list The header list to work on, kept (not copied); defaults to a new empty array
   * @throws {TypeError} When `list` is not an array of string pairs
   */
  constructor(list: HeaderPair[] = []) {
    if (!Array.isArray(list)) {
      throw new TypeError(`Headers must be an array of [name, value] pairs, not ${typeof list}`);
    }
    for (const pair of list) {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new TypeError(`A header must be a [name, value] pair, not ${JSON.stringify(pair)}`);
      }
      checkName(pair[0]);
      checkValue(pair[0], pair[1]);
    }
    this.#list = list;
  }

  /** The underlying array, the same one given to the constructor. */
  get list(): HeaderPair[] {
    return this.#list;
  }

  /** The number of headers, repeated ones included. */
  get size(): number {
    return this.#list.length;
  }

  /** The first value of `name` (any case), or `undefined` when it is absent. */
  get(name: string): string | undefined {
    const lower = checkName(name).toLowerCase();
    return this.#list.find(([key]) => key.toLowerCase() === lower)?.[1];
  }

  /** Every value of `name` (any case), in order; `[]` when it is absent. */
  getAll(name: string): string[] {
    const lower = checkName(name).toLowerCase();
    return this.#list.filter(([key]) => key.toLowerCase() === lower).map(([, value]) => value);
  }

  /** Whether a header `name` (any case) is present. */
  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Removes every `name` header (any case) and adds one with `value` at the end. */
  set(name: string, value: string): void {
    this.delete(name);
    this.append(name, value);
  }

  /** Adds a header at the end, keeping any with the same name. */
  append(name: string, value: string): void {
    this.#list.push([checkName(name), checkValue(name, value)]);
  }

  /** Removes every `name` header (any case); does nothing when there is none. */
  delete(name: string): void {
    const lower = checkName(name).toLowerCase();
    const kept = this.#list.filter(([key]) => key.toLowerCase() !== lower);
    // Replace the contents, not the array: the caller may hold it for start_response.
    this.#list.splice(0, this.#list.length, ...kept);
  }

  /** Returns the first value of `name`, first adding `name: value` when there is none. */
  setDefault(name: string, value: string): string {
    const existing = this.get(name);
    if (existing !== undefined) return existing;
    this.append(name, value);
    return value;
  }

  /**
   * Adds a header with parameters, as wsgiref's `add_header`: each parameter becomes
   * `; key="value"` (quoted, `\` and `"` escaped), or `; key` when its value is `null` or
   * `undefined`; `_` in a parameter name becomes `-`.
   *
   * @param name The header name
   * @param value The main value, or `null`/`undefined` for parameters only
   * @param params The parameters, in order
   */
  addHeader(name: string, value: string | null | undefined, params: HeaderParams = {}): void {
    const parts: string[] = [];
    if (value !== null && value !== undefined) parts.push(checkValue(name, value));
    for (const [key, param] of Object.entries(params)) {
      const paramName = key.replaceAll("_", "-");
      if (param === null || param === undefined) parts.push(paramName);
      else parts.push(formatParam(paramName, checkValue(name, param)));
    }
    this.append(name, parts.join("; "));
  }

  /** The headers as they go on the wire: `Name: value\r\n` each, then a blank line. */
  toString(): string {
    return this.#list.map(([name, value]) => `${name}: ${value}\r\n`).join("") + "\r\n";
  }

  /** Iterates over the `[name, value]` pairs, in order. */
  [Symbol.iterator](): Iterator<HeaderPair> {
    return this.#list[Symbol.iterator]();
  }
}

// wsgiref's _formatparam with quote=1: a non-empty value is always quoted.
function formatParam(name: string, value: string): string {
  if (value === "") return name;
  return `${name}="${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

function checkName(name: unknown): string {
  if (typeof name !== "string" || !TOKEN.test(name)) {
    throw new TypeError(`Header name ${JSON.stringify(name)} is not a valid token`);
  }
  return name;
}

function checkValue(name: unknown, value: unknown): string {
  if (typeof value !== "string") {
    throw new TypeError(
      `Header ${JSON.stringify(name)} must have a string value, not ${typeof value}`,
    );
  }
  if (LINE_BREAK.test(value)) {
    throw new TypeError(
      `Header ${JSON.stringify(name)} has a line break or NUL in ${JSON.stringify(value)}`,
    );
  }
  return value;
}
