import { describe, expect, test } from "bun:test";
import { createErrors } from "../../src/core/errors_stream.ts";

function recording() {
  const lines: string[] = [];
  const errors = createErrors((line) => lines.push(line));
  return { errors, lines };
}

describe("createErrors()", () => {
  test("write() logs a complete line without its newline", () => {
    const { errors, lines } = recording();
    errors.write("boom\n");
    expect(lines).toEqual(["boom"]);
  });

  test("write() holds a partial line until its newline", () => {
    const { errors, lines } = recording();
    errors.write("Trace");
    errors.write("back: ");
    expect(lines).toEqual([]);
    errors.write("oops\n");
    expect(lines).toEqual(["Traceback: oops"]);
  });

  test("write() splits several lines written at once", () => {
    const { errors, lines } = recording();
    errors.write("one\ntwo\n\nthree\nfour");
    expect(lines).toEqual(["one", "two", "", "three"]);
    errors.flush();
    expect(lines).toEqual(["one", "two", "", "three", "four"]);
  });

  test("writelines() writes each string without adding newlines", () => {
    const { errors, lines } = recording();
    errors.writelines(["a", "b\n", "c\nd\n"]);
    expect(lines).toEqual(["ab", "c", "d"]);
  });

  test("writelines() takes any iterable of strings", () => {
    const { errors, lines } = recording();
    errors.writelines(new Set(["x\n", "y\n"]));
    expect(lines).toEqual(["x", "y"]);
  });

  test("flush() logs the pending partial line once", () => {
    const { errors, lines } = recording();
    errors.write("no newline");
    errors.flush();
    errors.flush();
    expect(lines).toEqual(["no newline"]);
  });

  test("flush() logs nothing when nothing is pending", () => {
    const { errors, lines } = recording();
    errors.write("done\n");
    errors.flush();
    expect(lines).toEqual(["done"]);
  });

  const notStrings: [name: string, value: unknown][] = [
    ["bytes", new Uint8Array([104, 105])],
    ["a number", 42],
    ["undefined", undefined],
    ["null", null],
    ["an object", { toString: () => "x" }],
  ];
  for (const [name, value] of notStrings) {
    test(`write() throws a TypeError for ${name}`, () => {
      const { errors, lines } = recording();
      expect(() => errors.write(value as string)).toThrow(TypeError);
      errors.flush();
      expect(lines).toEqual([]);
    });
  }

  test("writelines() throws a TypeError for a non-string line", () => {
    const { errors } = recording();
    expect(() => errors.writelines([1 as unknown as string])).toThrow(TypeError);
  });

  test("keeps separate streams apart", () => {
    const { errors: a, lines } = recording();
    const b = createErrors((line) => lines.push(`b:${line}`));
    a.write("from a");
    b.write("from b\n");
    a.flush();
    expect(lines).toEqual(["b:from b", "from a"]);
  });
});
