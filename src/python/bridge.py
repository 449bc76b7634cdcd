"""The Python side of edge-wsgi's bridge: PEP 3333 for an app running in Pyodide.

Loaded once per interpreter by interpreter.ts. `install()` receives the JavaScript functions the
bridge calls back into (one set for the whole interpreter, so no request makes proxies of its
own); `handle()` runs one request; `next_chunk()` and `close_body()` pull and end a streamed body.
Every value handed to JavaScript is a JavaScript value already (`to_js`), so JavaScript never
holds a proxy of a Python object it would have to destroy.
"""

import importlib.util
import io
import os
import sys
from wsgiref.util import FileWrapper

from pyodide.ffi import JsException, run_sync, to_js

# The separator of the environ text JavaScript sends: CGI values are latin-1 "bytes as text"
# (U+0000-U+00FF), so U+FFFF never occurs in one.
SEP = "\uffff"
VERSION = (1, 0)
BYTES = (bytes, bytearray, memoryview)

_js = {}
_bodies = {}
_next_id = [0]
_cwd = [None]


def install(start, write, read, readline, errors):
    """Keeps the JavaScript callbacks: start_response, write(), wsgi.input, wsgi.errors."""
    _js["start"] = start
    _js["write"] = write
    _js["read"] = read
    _js["readline"] = readline
    _js["errors"] = errors
    # Host folders are mounted read-only by default: no __pycache__ beside the user's files.
    sys.dont_write_bytecode = True


def load_app(path, module_name, callable_name):
    """Imports the module at `path` fresh and returns its WSGI callable.

    The app's folder becomes first on sys.path, so it imports its neighbours as it would under
    any WSGI server. Without `callable_name`: `application`, else `app` (seed 000 names it so).
    """
    folder = os.path.dirname(path)
    if folder in sys.path:
        sys.path.remove(folder)
    sys.path.insert(0, folder)
    _enter(folder)
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    names = [callable_name] if callable_name else ["application", "app"]
    for name in names:
        app = getattr(module, name, None)
        if app is not None:
            if not callable(app):
                raise TypeError(f"{path}: {name} is not callable")
            return app
    raise AttributeError(f"{path} has no WSGI app: define {' or '.join(names)}")


def _enter(folder):
    # The app's folder is the working directory while its code runs (seed 000 opens './x').
    if _cwd[0] != folder:
        os.chdir(folder)
        _cwd[0] = folder


class Input(io.RawIOBase):
    """wsgi.input: a blocking file over the request body, read from JavaScript on demand.

    `run_sync` suspends this call (JSPI) until the bytes arrive; JavaScript never reads past
    CONTENT_LENGTH (PEP 3333), so neither can this.
    """

    def __init__(self, ctx):
        self._ctx = ctx

    def readable(self):
        return True

    def read(self, size=-1):
        if size is None:
            size = -1
        return run_sync(_js["read"](self._ctx, size)).to_bytes()

    def readinto(self, buffer):
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readall(self):
        return self.read(-1)

    def readline(self, size=-1):
        if size is None:
            size = -1
        return run_sync(_js["readline"](self._ctx, size)).to_bytes()

    def readlines(self, hint=-1):
        lines = []
        total = 0
        while hint is None or hint <= 0 or total < hint:
            line = self.readline()
            if not line:
                break
            lines.append(line)
            total += len(line)
        return lines

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line


class Errors:
    """wsgi.errors: a text stream whose lines go to the server's error log."""

    def __init__(self, ctx):
        self._ctx = ctx

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"wsgi.errors.write() takes str, not {type(text).__name__}")
        _js["errors"](self._ctx, text, False)
        return len(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        _js["errors"](self._ctx, "", True)


def handle(app, folder, text, ctx, multiprocess, body):
    """Runs the app for one request.

    `text` is the environ's str values, joined with SEP. `body` is None when the input is read
    from JavaScript on demand, else the whole body as a Uint8Array (no JSPI: buffered). Returns
    the body as a JavaScript array of Uint8Array when the app returned a list or tuple (whole in
    memory: one crossing), else the number of a streamed body for next_chunk() and close_body().
    """
    parts = text.split(SEP)
    environ = dict(zip(parts[::2], parts[1::2]))
    environ["wsgi.version"] = VERSION
    environ["wsgi.input"] = Input(ctx) if body is None else io.BytesIO(body.to_bytes())
    environ["wsgi.errors"] = Errors(ctx)
    # True: another request may enter the app while this one waits for its body or between
    # two chunks of its response, as under a threaded server.
    environ["wsgi.multithread"] = True
    environ["wsgi.multiprocess"] = bool(multiprocess)
    environ["wsgi.run_once"] = False
    environ["wsgi.input_terminated"] = True
    environ["wsgi.file_wrapper"] = FileWrapper
    _enter(folder)
    result = app(environ, _start_response(ctx))
    if type(result) is list or type(result) is tuple:
        for chunk in result:
            if not isinstance(chunk, BYTES):
                raise TypeError(f"A body chunk must be bytes, not {type(chunk).__name__}")
        return to_js([bytes(chunk) for chunk in result])
    if isinstance(result, (str, *BYTES)):
        raise TypeError(
            f"The app must return an iterable of bytes, not a single {type(result).__name__}:"
            " wrap it in [ ]"
        )
    _next_id[0] += 1
    number = _next_id[0]
    _bodies[number] = [result, iter(result), folder]
    return number


def next_chunk(number):
    """The next non-empty chunk of a streamed body as a Uint8Array, or None at its end."""
    entry = _bodies[number]
    _enter(entry[2])
    for chunk in entry[1]:
        if not isinstance(chunk, BYTES):
            raise TypeError(f"A body chunk must be bytes, not {type(chunk).__name__}")
        if chunk:
            return to_js(chunk)
    return None


def close_body(number):
    """PEP 3333: calls the result's close(), once; JavaScript calls this exactly once."""
    entry = _bodies.pop(number, None)
    if entry is None:
        return
    close = getattr(entry[0], "close", None)
    if close is not None:
        _enter(entry[2])
        close()


def _start_response(ctx):
    def start_response(status, headers, exc_info=None):
        if not isinstance(status, str):
            raise TypeError(f"The status must be str, not {type(status).__name__}")
        if not isinstance(headers, list):
            raise TypeError(f"The headers must be a list, not {type(headers).__name__}")
        fields = []
        for pair in headers:
            if type(pair) is not tuple or len(pair) != 2:
                raise TypeError(f"Each header must be a (name, value) tuple, not {pair!r}")
            name, value = pair
            if not isinstance(name, str) or not isinstance(value, str):
                raise TypeError(f"Header names and values must be str: {pair!r}")
            fields.append(name)
            fields.append(value)
        text = SEP.join(fields)
        if text.count(SEP) != max(len(fields) - 1, 0):
            raise TypeError(f"A header holds a character outside latin-1: {headers!r}")
        try:
            sent = _js["start"](ctx, status, text, len(fields), exc_info is not None)
        except JsException as error:
            raise TypeError(str(error).removeprefix("TypeError: ")) from None
        if sent:
            # PEP 3333: the headers are out, so the app's error can only abort the response.
            try:
                raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None
        return write

    def write(data):
        if not isinstance(data, BYTES):
            raise TypeError(f"write() takes bytes, not {type(data).__name__}")
        _js["write"](ctx, to_js(bytes(data)))

    return start_response
