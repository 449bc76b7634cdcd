/**
 * What to tell a user whose app fails to import because the running Python removed a module or
 * a name its packages still use (Python 3.12 to 3.14 removed dozens: PEP 594's "dead
 * batteries", `imp`, `distutils`, `ast.Str`…). Under gunicorn on an older Python the same app
 * works, so a bare `No module named 'cgi'` leaves a user guessing.
 *
 * @module
 */

// The standard library's modules removed since Python 3.10, by the version that removed them.
const REMOVED_MODULES: Record<string, string> = {
  ...Object.fromEntries(["formatter", "parser", "symbol", "_bootlocale"].map((m) => [m, "3.10"])),
  binhex: "3.11",
  ...Object.fromEntries(
    ["asynchat", "asyncore", "distutils", "imp", "smtpd"].map((m) => [m, "3.12"]),
  ),
  // PEP 594, and lib2to3.
  ...Object.fromEntries(
    [
      "aifc",
      "audioop",
      "cgi",
      "cgitb",
      "chunk",
      "crypt",
      "imghdr",
      "lib2to3",
      "mailcap",
      "msilib",
      "nis",
      "nntplib",
      "ossaudiodev",
      "pipes",
      "sndhdr",
      "spwd",
      "sunau",
      "telnetlib",
      "uu",
      "xdrlib",
    ].map((m) => [m, "3.13"]),
  ),
};

// Names removed from modules that remain, by the version that removed them.
const REMOVED_NAMES: Record<string, string> = {
  ...Object.fromEntries(
    ["Mapping", "MutableMapping", "Sequence", "MutableSequence", "Set", "MutableSet"]
      .concat(["Iterable", "Iterator", "Callable", "Hashable", "Sized", "Container"])
      .map((name) => [`collections.${name}`, "3.10"]),
  ),
  "asyncio.coroutine": "3.11",
  "inspect.getargspec": "3.11",
  "inspect.formatargspec": "3.11",
  "configparser.SafeConfigParser": "3.12",
  "pkgutil.ImpImporter": "3.12",
  "pkgutil.ImpLoader": "3.12",
  "ssl.wrap_socket": "3.12",
  "ssl.match_hostname": "3.12",
  "locale.resetlocale": "3.13",
  "unittest.makeSuite": "3.13",
  "unittest.findTestCases": "3.13",
  "unittest.getTestCaseNames": "3.13",
  ...Object.fromEntries(
    ["Str", "Num", "Bytes", "NameConstant", "Ellipsis"].map((name) => [`ast.${name}`, "3.14"]),
  ),
  "pkgutil.get_loader": "3.14",
  "pkgutil.find_loader": "3.14",
  "typing.ByteString": "3.14",
};

// What src/python/compat/ puts back (see edge_wsgi_compat.py and cgi.py).
const IN_COMPAT = new Set(["cgi", "ast.Str", "pkgutil.get_loader", "pkgutil.find_loader"]);

const PATTERNS = [
  // ModuleNotFoundError: No module named 'distutils.version'
  /^ModuleNotFoundError: No module named '([\w.]+)'$/,
  // AttributeError: module 'ast' has no attribute 'Str'
  /^AttributeError: module '([\w.]+)' has no attribute '(\w+)'/,
  // ImportError: cannot import name 'Mapping' from 'collections' (/lib/…/__init__.py)
  /^ImportError: cannot import name '(\w+)' from '([\w.]+)'/,
];

/**
 * Names the module or name a failed import missed when the running Python removed it from the
 * standard library, and says what to do; `undefined` for any other error.
 *
 * @param line The last line of a Python traceback, such as
 *   `ModuleNotFoundError: No module named 'cgi'`
 * @returns One sentence for the error log, or `undefined`
 * @example
 * ```ts
 * import { removedNameHint } from "./removed_names.ts";
 * removedNameHint("ModuleNotFoundError: No module named 'telnetlib'");
 * // "telnetlib was removed from Python's standard library in 3.13 …"
 * ```
 */
export function removedNameHint(line: string): string | undefined {
  const name = missingName(line.trim());
  if (name === undefined) return undefined;
  const removedIn = REMOVED_MODULES[name] ?? REMOVED_NAMES[name];
  if (removedIn === undefined) return undefined;
  const what = `${name} was removed from Python's standard library in ${removedIn}, and ` +
    "edge-wsgi runs a newer Python (Pyodide's)";
  if (IN_COMPAT.has(name)) {
    return `${what}: edge-wsgi's compatibility layer puts it back, but it is off here ` +
      "(--no-python-compat or PYTHON_COMPAT=0): leave it on";
  }
  return `${what}: use a release of the package that imports it made for Python ` +
    `${removedIn} or later, or vendor a backport of ${name} from PyPI beside it`;
}

function missingName(line: string): string | undefined {
  let match = PATTERNS[0].exec(line);
  if (match) {
    const module = match[1];
    // A submodule of a removed package (distutils.version) names the package.
    const top = module.split(".")[0];
    return REMOVED_MODULES[top] ? top : module;
  }
  match = PATTERNS[1].exec(line);
  if (match) return `${match[1]}.${match[2]}`;
  match = PATTERNS[2].exec(line);
  if (match) return `${match[2]}.${match[1]}`;
  return undefined;
}
