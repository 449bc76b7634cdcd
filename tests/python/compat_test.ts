/**
 * The Python compatibility folder (src/python/compat/), inside Pyodide: the `cgi` module
 * Bottle 0.12, WebOb 1.8 and Django 3.2 need, the `ast`/`pkgutil` names Flask 2.2 and
 * Werkzeug 2.2 need under Python 3.14, and the patches zope.interface 5.5 and Django 3.2's
 * template contexts need, applied only where still needed. Each check is a function in
 * tests/fixtures/python/compat_checks.py. (The real frameworks over HTTP:
 * tests/python/frameworks_test.ts.)
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { loadPyodide, type PyodideAPI } from "pyodide";
import { fromFileUrl } from "../../src/base/path.ts";

const ROOT = fromFileUrl(new URL("../../", import.meta.url));
const CHECKS = [
  "check_parse_header",
  "check_multipart_fields_and_file",
  "check_multipart_drops_blank_values_unless_asked",
  "check_multipart_without_boundary_is_an_error",
  "check_urlencoded_form",
  "check_ast_str",
  "check_pkgutil_get_loader",
  "check_valid_boundary",
  "check_zope_interface_learns_the_new_class_attributes",
  "check_zope_interface_that_knows_them_is_left_alone",
  "check_django_template_context_copies_again",
];

let pyodide: PyodideAPI;
let missing: string[];
beforeAll(async () => {
  pyodide = await loadPyodide({ indexURL: `${ROOT}node_modules/pyodide/` });
  for (const [host, mount] of [["src/python/compat", "/compat"], ["tests/fixtures/python", "/t"]]) {
    pyodide.FS.mkdirTree(mount);
    pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: ROOT + host }, mount);
  }
  missing = pyodide.runPython(`
import ast, importlib.util, pkgutil
[name for name, gone in [
  ("cgi", importlib.util.find_spec("cgi") is None),
  ("ast.Str", not hasattr(ast, "Str")),
  ("pkgutil.get_loader", not hasattr(pkgutil, "get_loader")),
] if gone]`).toJs();
  pyodide.runPython("import sys; sys.path[0:0] = ['/compat', '/t']; import compat_checks");
}, 120_000);

describe("src/python/compat", () => {
  test("provides exactly what Pyodide's Python lacks", () => {
    expect(missing).toEqual(["cgi", "ast.Str", "pkgutil.get_loader"]);
  });
  for (const check of CHECKS) {
    test(check.replace("check_", "").replaceAll("_", " "), () => {
      expect(() => pyodide.runPython(`compat_checks.${check}()`)).not.toThrow();
    });
  }
});
