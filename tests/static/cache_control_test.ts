import { describe, expect, test } from "bun:test";
import { IMMUTABLE, isFingerprinted, REVALIDATE } from "../../src/static/cache_control.ts";

describe("isFingerprinted()", () => {
  const cases: [name: string, expected: boolean][] = [
    ["app.3f9a2c1b.js", true],
    ["chunk-0a1b2c3d4e.css", true],
    ["app.3F9A2C1B.js", true],
    ["vendor.0123456789abcdef0123.js", true],
    ["logo.12345678.png", true],
    ["/srv/public/assets/app.3f9a2c1b.js", true],
    ["app.js", false],
    ["index.html", false],
    ["app.1234567.js", false],
    ["app.deadbeef.js", false],
    ["-facade.css", false],
    ["jquery-3.7.1.min.js", false],
    ["app.3f9a2c1g.js", false],
    ["app3f9a2c1b.js", false],
    ["app.3f9a2c1b", false],
    ["/srv/build.3f9a2c1b/app.js", false],
  ];
  for (const [name, expected] of cases) {
    test(`isFingerprinted() is ${expected} for ${name}`, () => {
      expect(isFingerprinted(name)).toBe(expected);
    });
  }
});

describe("Cache-Control values", () => {
  test("IMMUTABLE caches for a year and marks the response immutable", () => {
    expect(IMMUTABLE).toBe("public, max-age=31536000, immutable");
  });

  test('REVALIDATE is "no-cache"', () => {
    expect(REVALIDATE).toBe("no-cache");
  });
});
