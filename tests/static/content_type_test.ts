import { describe, expect, test } from "bun:test";
import {
  isCompressible,
  SNIFF_BYTES,
  typeByName,
  withDeclaredCharset,
} from "../../src/static/content_type.ts";

const HTML = "text/html; charset=utf-8";
const encoder = new TextEncoder();

describe("typeByName()", () => {
  const cases: [name: string, type: string][] = [
    ["index.html", HTML],
    ["INDEX.HTML", HTML],
    ["a.txt", "text/plain; charset=utf-8"],
    ["style.css", "text/css; charset=utf-8"],
    ["app.js", "text/javascript; charset=utf-8"],
    ["module.mjs", "text/javascript; charset=utf-8"],
    ["app.3f9a2c1b.js", "text/javascript; charset=utf-8"],
    ["data.json", "application/json"],
    ["README.md", "text/markdown; charset=utf-8"],
    ["app.js.map", "application/json"],
    ["module.wasm", "application/wasm"],
    ["site.webmanifest", "application/manifest+json"],
    ["logo.png", "image/png"],
    ["x.js.br", "application/octet-stream"],
    ["x.js.zst", "application/octet-stream"],
    ["x.js.gz", "application/gzip"],
    ["unknown.xyz", "application/octet-stream"],
    ["README", "application/octet-stream"],
    ["/srv/public/sub/page.html", HTML],
  ];
  for (const [name, type] of cases) {
    test(`typeByName() gives ${JSON.stringify(type)} for ${name}`, () => {
      expect(typeByName(name)).toBe(type);
    });
  }

  test("typeByName() never gives a precompressed sibling its original's type", () => {
    for (const name of ["x.js.br", "x.js.zst", "x.js.gz", "page.html.br", "style.css.gz"]) {
      expect(typeByName(name)).not.toMatch(/javascript|html|css/);
    }
  });
});

describe("withDeclaredCharset()", () => {
  const cases: [name: string, type: string, head: string, expected: string][] = [
    [
      '<meta charset="gbk">',
      HTML,
      '<!DOCTYPE html><meta charset="gbk"><p>',
      "text/html; charset=gbk",
    ],
    ["<meta charset=gbk> unquoted", HTML, "<meta charset=gbk>", "text/html; charset=gbk"],
    ["<meta charset='gbk'> single-quoted", HTML, "<meta charset='gbk'>", "text/html; charset=gbk"],
    ['<META CHARSET="GBK"> upper case', HTML, '<META CHARSET="GBK">', "text/html; charset=gbk"],
    [
      '<meta charset = "gbk"> with spaces',
      HTML,
      '<meta charset = "gbk">',
      "text/html; charset=gbk",
    ],
    [
      '<meta http-equiv=Content-Type content="text/html;charset=gbk">',
      HTML,
      '<meta http-equiv=Content-Type content="text/html;charset=gbk">',
      "text/html; charset=gbk",
    ],
    [
      "<meta http-equiv> with a space before charset",
      HTML,
      '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
      "text/html; charset=gb2312",
    ],
    [
      '<meta charset="shift_jis">',
      HTML,
      '<meta charset="shift_jis">',
      "text/html; charset=shift_jis",
    ],
    [
      '<meta charset="iso-8859-1">',
      HTML,
      '<meta charset="iso-8859-1">',
      "text/html; charset=iso-8859-1",
    ],
    ["an unknown label, ignored", HTML, '<meta charset="klingon-8">', HTML],
    ["utf-8, unchanged", HTML, '<meta charset="utf-8">', HTML],
    ["UTF-8 upper case, unchanged", HTML, '<meta charset="UTF-8">', HTML],
    ["utf8, unchanged", HTML, '<meta charset="utf8">', HTML],
    ["no <meta>, unchanged", HTML, "<!DOCTYPE html><title>x</title>", HTML],
    [
      "a <meta> without a charset, unchanged",
      HTML,
      '<meta name="viewport" content="width=device-width">',
      HTML,
    ],
    [
      "a text/plain file mentioning a gbk <meta>, unchanged",
      "text/plain; charset=utf-8",
      '<meta charset="gbk">',
      "text/plain; charset=utf-8",
    ],
    [
      "a script mentioning a gbk <meta>, unchanged",
      "text/javascript; charset=utf-8",
      "document.write('<meta charset=\"gbk\">')",
      "text/javascript; charset=utf-8",
    ],
  ];
  for (const [name, type, head, expected] of cases) {
    test(`withDeclaredCharset() gives ${JSON.stringify(expected)} for ${name}`, () => {
      expect(withDeclaredCharset(type, encoder.encode(head))).toBe(expected);
    });
  }

  test("withDeclaredCharset() reads GBK bytes around the <meta> without harm", () => {
    const head = new Uint8Array([
      ...encoder.encode('<html><head><meta charset="gbk"><title>'),
      0xb1,
      0xcf,
      ...encoder.encode("</title>"),
    ]);
    expect(withDeclaredCharset(HTML, head)).toBe("text/html; charset=gbk");
  });

  test("withDeclaredCharset() ignores a <meta> beyond the first 1024 bytes", () => {
    const head = encoder.encode(" ".repeat(SNIFF_BYTES) + '<meta charset="gbk">');
    expect(withDeclaredCharset(HTML, head)).toBe(HTML);
  });

  test("withDeclaredCharset() finds a <meta> ending within the first 1024 bytes", () => {
    const meta = '<meta charset="gbk">';
    const head = encoder.encode(" ".repeat(SNIFF_BYTES - meta.length) + meta);
    expect(withDeclaredCharset(HTML, head)).toBe("text/html; charset=gbk");
  });

  test("withDeclaredCharset() leaves an empty file's type unchanged", () => {
    expect(withDeclaredCharset(HTML, new Uint8Array())).toBe(HTML);
  });
});

describe("isCompressible()", () => {
  const cases: [type: string, expected: boolean][] = [
    [HTML, true],
    ["text/plain; charset=utf-8", true],
    ["text/css; charset=utf-8", true],
    ["text/javascript; charset=utf-8", true],
    ["application/json", true],
    ["application/manifest+json", true],
    ["image/svg+xml", true],
    ["image/svg+xml; charset=utf-8", true],
    ["application/wasm", true],
    ["text/event-stream", false],
    ["image/png", false],
    ["image/jpeg", false],
    ["font/woff2", false],
    ["application/gzip", false],
    ["application/octet-stream", false],
  ];
  for (const [type, expected] of cases) {
    test(`isCompressible() is ${expected} for ${type}`, () => {
      expect(isCompressible(type)).toBe(expected);
    });
  }
});
