import { describe, expect, test } from "bun:test";
import { checkPath } from "../../src/static/safe_path.ts";

// What checkPath() must answer: a refusal with this status, or these decoded segments (which
// then name a file inside the root, never outside it).
type Expected = { status: 400 | 404 } | { segments: string[] };

describe("checkPath() refuses or confines every devious path", () => {
  const cases: [attack: string, rawPath: string, expected: Expected][] = [
    // Dot segments, raw and encoded in every way
    ["raw ../ at the start", "/../etc/passwd", { status: 404 }],
    ["raw ../ after a folder, climbing twice", "/sub/../../etc/passwd", { status: 404 }],
    ["raw ./ segment", "/./a.txt", { status: 404 }],
    ["raw .. as the last segment", "/sub/..", { status: 404 }],
    ["%2e%2e lower case", "/%2e%2e/etc/passwd", { status: 404 }],
    ["%2E%2E upper case", "/%2E%2E/etc/passwd", { status: 404 }],
    ["%2E%2e mixed case", "/%2E%2e/etc/passwd", { status: 404 }],
    [".%2e half encoded", "/.%2e/etc/passwd", { status: 404 }],
    ["%2e. half encoded", "/%2e./etc/passwd", { status: 404 }],
    ["%2e single dot", "/%2e/a.txt", { status: 404 }],
    ["..%2f with an encoded slash", "/..%2fetc%2fpasswd", { status: 404 }],
    ["..%2F upper-case encoded slash", "/..%2Fetc%2Fpasswd", { status: 404 }],
    ["%2e%2e%2f fully encoded", "/%2e%2e%2fetc%2fpasswd", { status: 404 }],
    ["%2f inside a name then ..", "/sub%2f..%2f..%2fetc%2fpasswd", { status: 404 }],
    ["..%5c with an encoded backslash", "/..%5cetc%5cpasswd", { status: 404 }],
    ["..%5C upper-case encoded backslash", "/..%5Cetc%5Cpasswd", { status: 404 }],
    ["%5c..%5c inside a name", "/sub%5c..%5c..%5cetc", { status: 404 }],
    ["raw backslash ..\\", "/..\\etc\\passwd", { status: 404 }],
    ["raw backslash inside a name", "/sub\\a.txt", { status: 404 }],
    ["sibling folder sharing the root's prefix", "/../public-secret/secret.txt", {
      status: 404,
    }],
    ["sibling folder through %2e%2e%2f", "/%2e%2e%2fpublic-secret%2fsecret.txt", {
      status: 404,
    }],
    // Double encoding decodes once only, to a literal name that stays inside the root
    ["%252e%252e double encoding", "/%252e%252e/etc/passwd", {
      segments: ["%2e%2e", "etc", "passwd"],
    }],
    ["%252f double-encoded slash", "/..%252fetc", { status: 404 }],
    ["%25%32%65 encoded percent and digits", "/%25%32%65%25%32%65/x", {
      segments: ["%2e%2e", "x"],
    }],
    // Bytes that are not UTF-8
    ["overlong UTF-8 dot %c0%ae", "/%c0%ae%c0%ae/etc/passwd", { status: 404 }],
    ["overlong UTF-8 slash %c0%af", "/..%c0%afetc", { status: 404 }],
    ["lone continuation byte %80", "/%80", { status: 404 }],
    ["latin-1 byte %e9", "/caf%e9", { status: 404 }],
    // NUL and malformed escapes
    ["encoded NUL %00", "/a.txt%00.html", { status: 400 }],
    ["raw NUL", "/a.txt\0.html", { status: 400 }],
    ["lone % at the end", "/%", { status: 400 }],
    ["% followed by one hex digit", "/%2", { status: 400 }],
    ["% followed by non-hex", "/%zz", { status: 400 }],
    ["truncated UTF-8 escape %E0%A4%A", "/%E0%A4%A", { status: 400 }],
    ["malformed escape after a valid path", "/sub/a%.txt", { status: 400 }],
    // Control characters
    ["encoded newline (header injection)", "/a%0d%0aSet-Cookie:x", { status: 404 }],
    ["encoded DEL", "/a%7f.txt", { status: 404 }],
    ["raw tab", "/a\t.txt", { status: 404 }],
    // Hidden names
    ["dotfile /.env", "/.env", { status: 404 }],
    ["dot-dir /.git/config", "/.git/config", { status: 404 }],
    ["dot-dir below a folder", "/sub/.git/config", { status: 404 }],
    ["encoded dotfile %2eenv", "/%2eenv", { status: 404 }],
    ["encoded dot-dir %2Egit", "/%2Egit/config", { status: 404 }],
    ["hidden name inside .well-known", "/.well-known/.secret", { status: 404 }],
    [".well-known below a folder", "/sub/.well-known/x", { status: 404 }],
    ["dotfile reached from .well-known with ..", "/.well-known/../.env", { status: 404 }],
    // Windows names
    ["drive letter C:", "/C:/Windows/win.ini", { status: 404 }],
    ["drive letter with encoded colon", "/C%3a/Windows/win.ini", { status: 404 }],
    ["drive letter and backslash", "/c:%5cwindows%5cwin.ini", { status: 404 }],
    ["NTFS stream ::$DATA", "/a.txt::$DATA", { status: 404 }],
    ["NTFS stream, encoded", "/a.txt%3a%3a$DATA", { status: 404 }],
    ["trailing dot", "/a.txt.", { status: 404 }],
    ["trailing dots", "/a.txt...", { status: 404 }],
    ["trailing encoded space", "/a.txt%20", { status: 404 }],
    ["trailing dot on a folder", "/sub./index.html", { status: 404 }],
    // Length
    ["very long path", "/" + "a".repeat(5000), { status: 404 }],
    ["very long path of short segments", "/a".repeat(3000), { status: 404 }],
    ["very long segment", "/" + "a".repeat(300) + ".txt", { status: 404 }],
    ["very long segment of multi-byte characters", "/" + "%C3%A9".repeat(200), {
      status: 404,
    }],
    // Slashes that would make the path absolute
    ["leading // (protocol-relative)", "//etc/passwd", { segments: ["etc", "passwd"] }],
    ["many leading slashes", "////etc/passwd", { segments: ["etc", "passwd"] }],
    ["%2f%2f leading", "/%2f%2fetc/passwd", { segments: ["etc", "passwd"] }],
    // Look-alikes that are only names
    ["fullwidth dots U+FF0E", "/%EF%BC%8E%EF%BC%8E/etc", { segments: ["\uff0e\uff0e", "etc"] }],
    ["three dots", "/.../etc", { status: 404 }],
  ];
  for (const [attack, rawPath, expected] of cases) {
    test(`checkPath() ${"status" in expected ? `refuses with ${expected.status}` : "confines"}: ${attack}`, () => {
      const result = checkPath(rawPath);
      if ("status" in expected) {
        expect(result.ok).toBe(false);
        expect(result.ok === false && result.status).toBe(expected.status);
      } else {
        expect(result.ok).toBe(true);
        expect(result.ok && result.segments).toEqual(expected.segments);
      }
    });
  }
});

describe("checkPath() accepts ordinary paths", () => {
  const cases: [rawPath: string, segments: string[], trailingSlash: boolean][] = [
    ["/", [], true],
    ["/a.txt", ["a.txt"], false],
    ["/sub/", ["sub"], true],
    ["/sub", ["sub"], false],
    ["/sub/index.html", ["sub", "index.html"], false],
    ["/sub//index.html", ["sub", "index.html"], false],
    ["/caf%C3%A9.txt", ["café.txt"], false],
    ["/café.txt", ["café.txt"], false],
    ["/hello%20world.txt", ["hello world.txt"], false],
    ["/100%25.txt", ["100%.txt"], false],
    ["/.well-known/security.txt", [".well-known", "security.txt"], false],
    ["/%2Ewell-known/security.txt", [".well-known", "security.txt"], false],
    ["/app.3f9a2c1b.js", ["app.3f9a2c1b.js"], false],
    ["/a..b.txt", ["a..b.txt"], false],
    ["/sub%2findex.html", ["sub", "index.html"], false],
  ];
  for (const [rawPath, segments, trailingSlash] of cases) {
    test(`checkPath() reads ${JSON.stringify(rawPath)} as ${JSON.stringify(segments)}`, () => {
      expect(checkPath(rawPath)).toEqual({ ok: true, segments, trailingSlash });
    });
  }

  test("checkPath() accepts a segment of exactly 255 bytes", () => {
    const name = "a".repeat(251) + ".txt";
    expect(checkPath("/" + name)).toEqual({ ok: true, segments: [name], trailingSlash: false });
  });

  test("checkPath() gives a reason with each refusal", () => {
    const result = checkPath("/.env");
    expect(result).toEqual({ ok: false, status: 404, reason: "hidden name" });
  });
});
