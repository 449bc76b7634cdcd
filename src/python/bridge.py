"""The Python side of edge-wsgi's bridge: PEP 3333 for an app running in Pyodide.

Loaded once per interpreter by python_runtime.ts. `install()` receives the JavaScript functions
the bridge calls back into, once; `handle()` runs one request; `next_chunk()` and `close_body()`
pull and end a streamed body. Their `_promising` twins are the same calls made through JSPI. Requests, apps and bodies are known on both sides by number, so
no call makes a proxy, and nothing crosses that could leak.

Each crossing costs, so the common response crosses once: `handle()` returns one "frame", a
str of fields joined by SEP: the kind, the status and headers start_response set (when
JavaScript has not had them yet), and the body as latin-1 text (one char per byte). The headers
are checked, by the TypeScript rules, when JavaScript reads the frame: before anything is sent.
"""

import errno
import importlib.util
import io
import itertools
import math
import os
import runpy
import signal
import sys
import time
from asyncio import _get_running_loop, _set_running_loop
from wsgiref.util import FileWrapper

from edge_wsgi_request_locals import acquire, release, running, switch
from pyodide import ffi, webloop
from pyodide.ffi import JsException, to_js

# The separator of the fields crossing to JavaScript: NUL, which the TypeScript rules refuse in a
# status or header anyway, and which keeps a frame latin-1 (one byte per character), the kind of
# str Pyodide hands to JavaScript fastest. The body comes last, so it may hold any byte. The
# environ text coming in names its own separator in its first character (see handle()).
SEP = "\0"
VERSION = (1, 0)
BYTES = (bytes, bytearray, memoryview)
JS_INPUT = 1
MULTIPROCESS = 2
WHOLE_IN_PIECES = 4
# Past this size a chunk crosses as bytes (one copy into a Uint8Array) rather than as text.
LARGE = 4096
# A whole body past this size crosses in pieces of PIECE bytes (see _whole()).
WHOLE = 1 << 20
PIECE = 1 << 20
# The statuses whose response has no body (RFC 9110 §15.3.5, §15.3.6, §15.4.5).
NO_BODY = ("204", "205", "304")
# wsgi.input's buffer: one crossing to JavaScript serves this many bytes of small reads.
BUFFER = 65536
# The most one read of the request body carries across, so a large read holds little memory on
# the JavaScript side (the bytes go straight into Python's).
CROSSING = 1 << 20

_js = {}
_apps = {}
_bodies = {}
_numbers = [0]
_cwd = [None]
_timeout = [0]
_preloaded = {}


class WorkerTimeout(BaseException):
    """A call held its worker past --timeout and was interrupted (gunicorn: WORKER TIMEOUT).

    A BaseException, like KeyboardInterrupt, so an app's `except Exception` does not swallow it.
    """


def install(js):
    """Keeps the JavaScript callbacks: write(), wsgi.input's reads, wsgi.errors, the watchdog's.

    Runs once the interpreter is ready to serve, which may be in a later process than the one
    that ran this module and imported the apps (restored from a start-up snapshot): what lives
    outside Python's memory is set again here.
    """
    for name in ("write", "read", "read1", "errors", "enter", "leave", "sleep"):
        _js[name] = getattr(js, name)
    _timeout[0] = js.timeout
    # The working directory lives in JavaScript's file system, which a snapshot does not hold.
    _cwd[0] = None
    # Every start from one snapshot would draw the same random numbers (as Pyodide notes).
    shared = getattr(sys.modules.get("random"), "_inst", None)
    if shared is not None:
        shared.seed()
    global handle_promising, next_chunk_promising, close_body_promising
    handle_promising = _watched(handle)
    next_chunk_promising = _watched(next_chunk)
    close_body_promising = _watched(close_body)


def _on_interrupt(signum, frame):
    raise WorkerTimeout(
        f"this call held its worker for more than {_timeout[0]} s (--timeout) and was interrupted"
    )


def _sleep(seconds):
    """time.sleep: waits without spinning, and the watchdog's interrupt ends it at once.

    It holds the worker while it waits, as a sleep holds a gunicorn sync worker (Pyodide's own
    sleep busy-waits outside JSPI, and suspends inside it, where --timeout cannot see it).
    """
    if isinstance(seconds, (str, bytes)):
        raise TypeError(f"'{type(seconds).__name__}' object cannot be interpreted as a number")
    seconds = float(seconds)
    if math.isnan(seconds) or seconds < 0:
        raise ValueError(f"sleep length must be non-negative, not {seconds}")
    if _js["sleep"](seconds):
        # The watchdog woke it. The eval loop looks at Pyodide's interrupt buffer every 50
        # instructions or so: these let it look here, so WorkerTimeout names the sleep.
        for _ in range(100):
            pass


def _watched(function):
    """`function` as JavaScript calls it through JSPI (callPromising), which starts it in a later
    task: it tells the watchdog itself when it takes the thread and gives it back."""
    enter = _js["enter"]
    leave = _js["leave"]

    def watched(*args):
        enter()
        try:
            return function(*args)
        finally:
            leave()

    return watched


def _synchronous(entry):
    """A bridge entry, run as synchronous WSGI code runs under gunicorn: with no running loop.

    Pyodide keeps its event loop installed as the running one at all times, so code that asks
    asyncio whether a loop runs (Django's async-unsafe guard, asgiref, any library choosing
    between sync and async) would take the WSGI call for async code: Django would refuse every
    database query (SynchronousOnlyOperation). The loop is put back when the entry returns.
    """

    def synchronous(*args):
        loop = _get_running_loop()
        _set_running_loop(None)
        try:
            return entry(*args)
        finally:
            _set_running_loop(loop)

    synchronous.__name__ = entry.__name__
    return synchronous


def _keeping_loop(run_sync):
    """`run_sync`, giving its caller back the running loop it had (none, in a WSGI call) and its
    thread's locals (request_locals.py).

    While a call waits in run_sync (JSPI), other Python runs: other requests, on threads of
    their own, and the tasks of async code, for which Pyodide's loop installs itself as the
    running loop again.
    """

    def run_sync_keeping_loop(awaitable):
        loop = _get_running_loop()
        thread = running()
        try:
            return run_sync(awaitable)
        finally:
            switch(thread)
            _set_running_loop(loop)

    return run_sync_keeping_loop


# Every way into run_sync: the bridge's own, pyodide.ffi's (for apps), and the loop module's,
# which its run_until_complete (asyncio.run) and time.sleep use.
run_sync = ffi.run_sync = webloop.run_sync = _keeping_loop(ffi.run_sync)


def _number():
    _numbers[0] += 1
    return _numbers[0]


@_synchronous
def preload_app(path, module_name, callable_name):
    """Imports an app before its first request (into a start-up snapshot); load_app() gives it
    out once."""
    _preloaded[(path, module_name, callable_name)] = _import_app(path, module_name, callable_name)


@_synchronous
def load_app(path, module_name, callable_name):
    """The number of the app at `path`: the one preload_app() imported, once, else imported now."""
    number = _preloaded.pop((path, module_name, callable_name), None)
    return number if number is not None else _import_app(path, module_name, callable_name)


def _import_app(path, module_name, callable_name):
    """Imports the module at `path` fresh; returns the number its WSGI callable is kept under.

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
    return _keep_app(module, callable_name, folder, path)


@_synchronous
def preload_module(module_name, callable_name, folder):
    """Imports a dotted module's app before its first request (into a start-up snapshot);
    load_module() gives it out once."""
    key = (module_name, callable_name, folder)
    _preloaded[key] = _import_module(module_name, callable_name, folder)


@_synchronous
def load_module(module_name, callable_name, folder):
    """The number of a dotted module's app: the one preload_module() imported, once, else
    imported now."""
    number = _preloaded.pop((module_name, callable_name, folder), None)
    return number if number is not None else _import_module(module_name, callable_name, folder)


def _import_module(module_name, callable_name, folder):
    """Imports a dotted module as gunicorn does (`mysite.wsgi`), fresh, from sys.path, on which
    `folder`, the working directory, comes first; returns the number of its WSGI callable."""
    if folder in sys.path:
        sys.path.remove(folder)
    sys.path.insert(0, folder)
    _enter(folder)
    sys.modules.pop(module_name, None)
    module = importlib.import_module(module_name)
    return _keep_app(module, callable_name, folder, module_name)


@_synchronous
def run_script(path, argv):
    """Runs a script as `python path argv...` does (Django's `manage.py migrate`), with its
    folder first on sys.path and as the working directory; returns its exit status."""
    folder = os.path.dirname(path)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    _enter(folder)
    sys.argv = [path, *argv]
    try:
        runpy.run_path(path, run_name="__main__")
    except SystemExit as exit:
        if exit.code is None or isinstance(exit.code, int):
            return exit.code or 0
        print(exit.code, file=sys.stderr)
        return 1
    return 0


def _keep_app(module, callable_name, folder, where):
    names = [callable_name] if callable_name else ["application", "app"]
    for name in names:
        app = getattr(module, name, None)
        if app is not None:
            if not callable(app):
                raise TypeError(f"{where}: {name} is not callable")
            number = _number()
            _apps[number] = (app, folder)
            return number
    raise AttributeError(f"{where} has no WSGI app: define {' or '.join(names)}")


def forget_app(number):
    """Drops an app that was loaded again."""
    _apps.pop(number, None)


def _enter(folder):
    # The app's folder is the working directory while its code runs (seed 000 opens './x').
    if _cwd[0] != folder:
        os.chdir(folder)
        _cwd[0] = folder


def _wait(read):
    """The bytes a read of the request body gives (a JsProxy of a Uint8Array), once they arrive
    (JSPI suspends till then).

    A client that leaves mid-body makes the read fail, so the app's frame does not wait for ever:
    with ConnectionResetError, the OSError a read from the client's reset socket raises under a
    socket server such as gunicorn, which is what apps are written to expect.
    """
    try:
        return run_sync(read)
    except JsException as error:
        if error.name == "ClientDisconnectedError":
            raise ConnectionResetError(errno.ECONNRESET, error.message) from None
        raise


class Input(io.RawIOBase):
    """The request body as a raw file, read from JavaScript: each readinto() is one crossing.

    wsgi.input is an io.BufferedReader over it (see _input()), so an app's small reads, lines
    and iteration are served from the buffer in C, and only a refill crosses: as gunicorn's
    body reader serves small reads from what one recv() gave. `run_sync` suspends the call
    (JSPI) until the bytes arrive; JavaScript never reads past CONTENT_LENGTH (PEP 3333), so
    neither can this.
    """

    def __init__(self, request, length, buffer_size):
        self._request = request
        # The declared bytes not read yet (None for a chunked body): readall() makes one bytes
        # of that size and reads into it, rather than joining chunks (twice the memory).
        self._left = length
        self._buffer_size = buffer_size

    def readable(self):
        return True

    def readinto(self, buffer):
        view = memoryview(buffer).cast("B")
        size = min(len(view), CROSSING)
        if size == 0:
            return 0
        # The buffer's refill takes what is there (the app may be waiting on a line the client
        # has sent); a read larger than the buffer is the app's read(n), which needs all of it.
        whole = len(view) > self._buffer_size
        chunk = _wait(_js["read" if whole else "read1"](self._request, size))
        count = chunk.byteLength
        if count:
            chunk.assign_to(view[:count])
            if self._left is not None:
                self._left -= count
        return count

    def readall(self):
        if self._left is not None:
            # A reader with a one-byte buffer reads read(n) straight into the bytes it returns.
            reader = io.BufferedReader(self, 1)
            try:
                return reader.read(self._left)
            finally:
                reader.detach()
        chunks = []
        while True:
            chunk = _wait(_js["read"](self._request, CROSSING)).to_bytes()
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def _input(request, length_text):
    """wsgi.input for a body read from JavaScript on demand."""
    length = int(length_text) if length_text and length_text.isascii() and length_text.isdigit() else None
    buffer_size = max(1, min(length, BUFFER)) if length is not None else BUFFER
    return io.BufferedReader(Input(request, length, buffer_size), buffer_size)


class Errors:
    """wsgi.errors: a text stream whose lines go to the server's error log."""

    def __init__(self, request):
        self._request = request

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"wsgi.errors.write() takes str, not {type(text).__name__}")
        _js["errors"](self._request, text, False)
        return len(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        _js["errors"](self._request, "", True)


class Response:
    """One request's start_response and write(), and what JavaScript has not been told yet."""

    __slots__ = ("request", "status", "fields", "pending", "told", "sent", "length")

    def __init__(self, request):
        self.request = request
        self.status = None
        self.fields = None
        self.pending = False  # start_response was called since JavaScript was last told
        self.told = False  # JavaScript has a status: a new one replaces it (exc_info)
        self.sent = False  # the headers went out with a body byte
        self.length = None  # the Content-Length the app declared, as an int

    def start_response(self, status, headers, exc_info=None):
        if exc_info:
            try:
                if self.sent:
                    # PEP 3333: the headers are out; the app's error can only abort the response.
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None
        elif self.status is not None:
            raise TypeError("start_response() was called a second time without exc_info")
        if not isinstance(status, str):
            raise TypeError(f"The status must be str, not {type(status).__name__}")
        if not isinstance(headers, list):
            raise TypeError(f"The headers must be a list, not {type(headers).__name__}")
        fields = [status, str(len(headers))]
        length = None
        for pair in headers:
            if type(pair) is not tuple or len(pair) != 2:
                raise TypeError(f"Each header must be a (name, value) tuple, not {pair!r}")
            name, value = pair
            if not isinstance(name, str) or not isinstance(value, str):
                raise TypeError(f"Header names and values must be str: {pair!r}")
            fields.append(name)
            fields.append(value)
            if len(name) == 14 and name.lower() == "content-length" and value.isascii() and value.isdigit():
                length = int(value)
        text = SEP.join(fields)
        if text.count(SEP) != len(fields) - 1:
            raise TypeError(f"A status or header holds a NUL character: {headers!r}")
        self.status = status
        self.length = length
        self.fields = text
        self.pending = True
        return self.write

    def head(self):
        """The start JavaScript has not had: "" or "R" (replacing), then status and headers."""
        if not self.pending:
            return "-"
        self.pending = False
        kind = "R" if self.told else "S"
        self.told = True
        return kind + SEP + self.fields

    def declare_length(self, length):
        """Adds the Content-Length a server gives a body it holds whole (as JavaScript does for a
        whole body), unless the app gave one, the status has no body, or the head is out."""
        if self.length is not None or not self.pending or self.status[:3] in NO_BODY:
            return
        fields = self.fields.split(SEP)
        fields[1] = str(int(fields[1]) + 1)
        fields += ["Content-Length", str(length)]
        self.fields = SEP.join(fields)
        self.length = length

    def write(self, data):
        if not isinstance(data, BYTES):
            raise TypeError(f"write() takes bytes, not {type(data).__name__}")
        if data:
            self.sent = True
        _js["write"](self.request, self.head(), bytes(data).decode("latin-1"))


def _on_a_thread(entry):
    """handle(), on a pool thread of its own (request_locals.py), which a streamed body keeps
    until close_body() gives it back."""

    def on_a_thread(*args):
        thread = acquire()
        try:
            result = entry(*args)
        except BaseException:
            release(thread)
            raise
        if type(result) is not int:
            release(thread)
        return result

    on_a_thread.__name__ = entry.__name__
    return on_a_thread


@_synchronous
@_on_a_thread
def handle(app_number, text, request, flags, body):
    """Runs the app for one request; returns a frame (the whole body) or a streamed body's number.

    `text` is the environ's keys and str values, each preceded by the separator, which is its
    first character: NUL, or U+FFFF when a value holds a NUL (a percent-decoded %00 in
    PATH_INFO). With the JS_INPUT flag wsgi.input is read from JavaScript on demand; else `body`
    is the whole body (a Uint8Array, or None). With WHOLE_IN_PIECES a large whole body crosses
    back in pieces (see _whole()).
    """
    app, folder = _apps[app_number]
    parts = text.split(text[0])
    environ = dict(zip(parts[1::2], parts[2::2]))
    environ["wsgi.version"] = VERSION
    if flags & JS_INPUT:
        environ["wsgi.input"] = _input(request, environ.get("CONTENT_LENGTH"))
    else:
        environ["wsgi.input"] = io.BytesIO(b"" if body is None else body.to_bytes())
    environ["wsgi.errors"] = Errors(request)
    # True: another request may enter the app while this one waits for its body or between
    # two chunks of its response, as under a threaded server.
    environ["wsgi.multithread"] = True
    environ["wsgi.multiprocess"] = bool(flags & MULTIPROCESS)
    environ["wsgi.run_once"] = False
    environ["wsgi.input_terminated"] = True
    environ["wsgi.file_wrapper"] = FileWrapper
    _enter(folder)
    response = Response(request)
    result = app(environ, response.start_response)
    if type(result) is list or type(result) is tuple:
        # Whole in memory already: the body crosses with the status, in one frame.
        for chunk in result:
            if not isinstance(chunk, BYTES):
                raise TypeError(f"A body chunk must be bytes, not {type(chunk).__name__}")
        return _whole(response, b"".join(result), folder, flags)
    if isinstance(result, (str, *BYTES)):
        raise TypeError(
            f"The app must return an iterable of bytes, not a single {type(result).__name__}:"
            " wrap it in [ ]"
        )
    iterator = iter(result)
    if response.length is not None:
        # A framework's response (Werkzeug's, Bottle's file wrapper…) is an iterable, not a list,
        # but usually one chunk that fills its Content-Length: then the body is whole, and it
        # crosses in one frame like a list. Pulling that chunk now is what next_chunk() would do
        # at once anyway, so streaming is not delayed.
        chunk = next(iterator, None)
        if chunk is not None and not isinstance(chunk, BYTES):
            raise TypeError(f"A body chunk must be bytes, not {type(chunk).__name__}")
        if len(chunk or b"") == response.length:
            close = getattr(result, "close", None)
            if close is not None:
                close()
            return _whole(response, bytes(chunk or b""), folder, flags)
        if chunk is not None:
            iterator = itertools.chain((chunk,), iterator)
    number = _number()
    _bodies[number] = (result, iterator, folder, response, running())
    return number


def _whole(response, data, folder, flags):
    """A whole body: one frame, or past WHOLE bytes (with the WHOLE_IN_PIECES flag) a streamed
    body of PIECE-byte views of it.

    The frame copies the body into JavaScript at once (and the runtime may copy it again); in
    pieces, JavaScript holds one or two while the client takes them, and the body stays in
    Python's memory alone: a 200 MB echo on Deno peaks at about twice its size, not three times.
    """
    if len(data) <= WHOLE or not flags & WHOLE_IN_PIECES:
        return _frame(response.head(), data)
    response.declare_length(len(data))
    view = memoryview(data)
    pieces = (view[at : at + PIECE] for at in range(0, len(data), PIECE))
    number = _number()
    # Nothing to close(): the app's result was a list, or its close() has run.
    _bodies[number] = ((), pieces, folder, response, running())
    return number


@_synchronous
def next_chunk(number):
    """The next frame of a streamed body: its start if new, and a non-empty chunk or "" at the end.

    A frame is the head (see Response.head) and the chunk as latin-1 text; None at the end when
    nothing is left to tell.
    """
    result, iterator, folder, response, thread = _bodies[number]
    switch(thread)
    _enter(folder)
    for chunk in iterator:
        if not isinstance(chunk, BYTES):
            raise TypeError(f"A body chunk must be bytes, not {type(chunk).__name__}")
        if chunk:
            head = response.head()
            response.sent = True
            return _frame(head, chunk if type(chunk) is memoryview else bytes(chunk))
    return response.head() + SEP if response.pending else None


def _frame(head, data):
    """A frame: the head and the data as text, or for a large chunk [head, Uint8Array]."""
    if len(data) > LARGE:
        return to_js([head + SEP, data])
    return head + SEP + data.decode("latin-1")


@_synchronous
def close_body(number):
    """PEP 3333: calls the result's close(), once; JavaScript calls this exactly once."""
    entry = _bodies.pop(number, None)
    if entry is None:
        return
    switch(entry[4])
    try:
        close = getattr(entry[0], "close", None)
        if close is not None:
            _enter(entry[2])
            close()
    finally:
        release(entry[4])


# Set as this module is first run, before any app is imported (into a start-up snapshot too), so
# an app that imports `sleep` from time gets ours. Host folders are mounted read-only by default:
# no __pycache__ beside the user's files. Only the watchdog (watchdog.ts) writes SIGINT into
# Pyodide's interrupt buffer.
sys.dont_write_bytecode = True
time.sleep = _sleep
signal.signal(signal.SIGINT, _on_interrupt)
