"""Python's warnings as lines of the server's log, at their own level.

CPython prints a warning to standard error, which the server logs as an error, one line per
line of text. Python 3.12 and later warn at compile time about what older packages do (an
invalid escape in a string: SyntaxWarning), and nothing here caches bytecode, so every start
would log each of those as errors. Each warning becomes one entry of the warning log instead,
in the form `warnings` gives it. Loaded once per interpreter by log_warnings.ts.
"""

import warnings

_log = [None]
# The warnings shown before install(): while the interpreter was prepared, its apps imported
# (into a start-up snapshot, which keeps them too). install() logs them, at every start.
_early = []


def collect():
    """Keeps every warning shown from now on until install() gives the log (no JavaScript yet)."""
    warnings.showwarning = _showwarning


def install(log):
    """Sends every warning shown from now on to `log` (a JavaScript function), one call each,
    after those collect() kept."""
    _log[0] = log
    warnings.showwarning = _showwarning
    for text in _early:
        log(text)


def _showwarning(message, category, filename, lineno, file=None, line=None):
    text = warnings.formatwarning(message, category, filename, lineno, line).rstrip("\n")
    if _log[0] is None:
        _early.append(text)
    else:
        _log[0](text)
