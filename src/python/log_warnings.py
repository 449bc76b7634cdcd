"""Python's warnings as lines of the server's log, at their own level.

CPython prints a warning to standard error, which the server logs as an error, one line per
line of text. Python 3.12 and later warn at compile time about what older packages do (an
invalid escape in a string: SyntaxWarning), and nothing here caches bytecode, so every start
would log each of those as errors. Each warning becomes one entry of the warning log instead,
in the form `warnings` gives it. Loaded once per interpreter by log_warnings.ts.
"""

import warnings


def install(log):
    """Sends every warning shown from now on to `log` (a JavaScript function), one call each."""

    def showwarning(message, category, filename, lineno, file=None, line=None):
        text = warnings.formatwarning(message, category, filename, lineno, line)
        log(text.rstrip("\n"))

    warnings.showwarning = showwarning
