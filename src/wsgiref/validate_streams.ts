/**
 * The app's use of `wsgi.input` and `wsgi.errors` as `validator()` checks it: both are wrapped,
 * and each call is checked on the way in and on the way out.
 *
 * @module
 */

import type { WsgiErrors, WsgiInput } from "../core/types.ts";
import { kindOf, quote, type Report } from "./_report.ts";

/** Wraps `wsgi.input` to check how the app reads it, and what the server's input returns. */
export function watchInput(input: WsgiInput, { fail }: Report): WsgiInput {
  const checkArgs = (method: string, args: unknown[]) => {
    if (args.length > 1) {
      fail(
        "input.args",
        "app",
        `wsgi.input.${method}() takes at most one argument, not ${args.length}`,
      );
    }
    const [size] = args;
    if (size !== undefined && !Number.isInteger(size)) {
      fail(
        "input.args",
        "app",
        `wsgi.input.${method}() takes an integer size, not ${kindOf(size)} ${quote(size)}`,
      );
    }
  };
  const checkBytes = (method: string, value: unknown): Uint8Array => {
    if (!(value instanceof Uint8Array)) {
      fail(
        "input.result",
        "server",
        `wsgi.input.${method}() must give a Uint8Array, not ${kindOf(value)}`,
      );
    }
    return value as Uint8Array;
  };
  const promised = (method: string, result: unknown): Promise<unknown> => {
    if (typeof (result as Promise<unknown>)?.then !== "function") {
      fail(
        "input.result",
        "server",
        `wsgi.input.${method}() must return a promise, not ${kindOf(result)}`,
      );
    }
    return result as Promise<unknown>;
  };
  const watched = {
    async read(...args: unknown[]) {
      checkArgs("read", args);
      return checkBytes("read", await promised("read", input.read(...(args as [number?]))));
    },
    async readline(...args: unknown[]) {
      checkArgs("readline", args);
      return checkBytes(
        "readline",
        await promised("readline", input.readline(...(args as [number?]))),
      );
    },
    async readlines(...args: unknown[]) {
      checkArgs("readlines", args);
      const lines = await promised("readlines", input.readlines(...(args as [number?])));
      if (!Array.isArray(lines)) {
        fail(
          "input.result",
          "server",
          `wsgi.input.readlines() must give an array, not ${kindOf(lines)}`,
        );
      }
      return (lines as unknown[]).map((line) => checkBytes("readlines", line));
    },
    async *[Symbol.asyncIterator]() {
      for await (const line of input) yield checkBytes("iteration", line);
    },
    close(): never {
      return fail(
        "input.close",
        "app",
        "wsgi.input.close() must not be called: the server owns the input",
      );
    },
  };
  return watched;
}

/** Wraps `wsgi.errors` to check that the app writes text to it. */
export function watchErrors(errors: WsgiErrors, { fail }: Report): WsgiErrors {
  const checkText = (method: string, text: unknown) => {
    if (typeof text !== "string") {
      fail("errors.write", "app", `wsgi.errors.${method}() takes strings, not ${kindOf(text)}`);
    }
  };
  const watched = {
    write(...args: unknown[]) {
      if (args.length !== 1) {
        fail("errors.write", "app", `wsgi.errors.write() takes one argument, not ${args.length}`);
      }
      checkText("write", args[0]);
      errors.write(args[0] as string);
    },
    writelines(lines: Iterable<string>) {
      if (
        typeof (lines as Iterable<string>)?.[Symbol.iterator] !== "function" ||
        typeof lines === "string"
      ) {
        fail(
          "errors.write",
          "app",
          `wsgi.errors.writelines() takes an iterable of strings, not ${kindOf(lines)}`,
        );
      }
      for (const line of lines) {
        checkText("writelines", line);
        errors.write(line);
      }
    },
    flush() {
      errors.flush();
    },
    close(): never {
      return fail(
        "errors.close",
        "app",
        "wsgi.errors.close() must not be called: the server owns it",
      );
    },
  };
  return watched;
}
