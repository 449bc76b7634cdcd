import { describe, expect, test } from "bun:test";
import { removedNameHint } from "../../src/python/removed_names.ts";
import { readOnlyHint } from "../../src/python/read_only_hint.ts";
import { fromPythonError } from "../../src/python/python_error.ts";

describe("removedNameHint()", () => {
  // The last line of a traceback, what the hint names, and what it advises.
  const cases: [string, RegExp][] = [
    [
      "ModuleNotFoundError: No module named 'cgi'",
      /^cgi was removed from Python's standard library in 3\.13, and edge-wsgi runs a newer Python \(Pyodide's\): edge-wsgi's compatibility layer puts it back, but it is off here \(--no-python-compat or PYTHON_COMPAT=0\): leave it on$/,
    ],
    [
      "ModuleNotFoundError: No module named 'telnetlib'",
      /^telnetlib was removed [^:]* in 3\.13, [^:]*: use a release of the package that imports it made for Python 3\.13 or later, or vendor a backport of telnetlib from PyPI beside it$/,
    ],
    [
      "ModuleNotFoundError: No module named 'distutils.version'",
      /^distutils was removed [^]* in 3\.12/,
    ],
    ["ModuleNotFoundError: No module named 'imp'", /^imp was removed [^]* in 3\.12/],
    [
      "AttributeError: module 'ast' has no attribute 'Str'",
      /^ast\.Str was removed [^]* in 3\.14[^]*compatibility layer puts it back/,
    ],
    [
      "AttributeError: module 'pkgutil' has no attribute 'ImpImporter'",
      /^pkgutil\.ImpImporter was removed [^]* in 3\.12[^]*use a release/,
    ],
    [
      "ImportError: cannot import name 'Mapping' from 'collections' (/lib/python3.14/collections/__init__.py)",
      /^collections\.Mapping was removed [^]* in 3\.10/,
    ],
    [
      "ImportError: cannot import name 'getargspec' from 'inspect' (/lib/x.py)",
      /^inspect\.getargspec was removed [^]* in 3\.11/,
    ],
  ];
  for (const [line, hint] of cases) {
    test(`removedNameHint() explains ${JSON.stringify(line)}`, () => {
      expect(removedNameHint(line)).toMatch(hint);
    });
  }

  for (
    const line of [
      "ModuleNotFoundError: No module named 'no_such_module'",
      "ModuleNotFoundError: No module named 'cgi_tools'",
      "AttributeError: module 'ast' has no attribute 'Constant2'",
      "AttributeError: 'NoneType' object has no attribute 'Str'",
      "ValueError: No module named 'cgi'",
    ]
  ) {
    test(`removedNameHint() says nothing of ${JSON.stringify(line)}`, () => {
      expect(removedNameHint(line)).toBeUndefined();
    });
  }

  test("fromPythonError() puts the hint after the traceback", () => {
    const traceback = 'Traceback (most recent call last):\n  File "app.py", line 1, in <module>\n' +
      "ModuleNotFoundError: No module named 'asyncore'\n";
    const thrown = Object.assign(new Error(traceback), { type: "ModuleNotFoundError" });
    thrown.name = "PythonError";
    const error = fromPythonError(thrown) as Error;
    expect(error.message).toBe("ModuleNotFoundError: No module named 'asyncore'");
    expect(error.stack).toBe(`${traceback}${removedNameHint(error.message)}`);
    expect(error.stack).toContain("asyncore was removed from Python's standard library in 3.12");
  });
});

describe("readOnlyHint()", () => {
  for (
    const line of [
      "sqlite3.OperationalError: attempt to write a readonly database",
      "OSError: [Errno 69] Read-only file system: '/srv/app/x.txt'",
      "PermissionError: [Errno 69] Read-only file system: '/srv/app'",
    ]
  ) {
    test(`readOnlyHint() names --python-writable for ${JSON.stringify(line)}`, () => {
      expect(readOnlyHint(line)).toContain("start the server with --python-writable");
    });
  }

  test("readOnlyHint() says nothing of other errors", () => {
    expect(readOnlyHint("OSError: [Errno 2] No such file or directory: 'x'")).toBeUndefined();
    expect(readOnlyHint("sqlite3.OperationalError: no such table: x")).toBeUndefined();
  });
});
