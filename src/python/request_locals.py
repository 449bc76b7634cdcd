"""``threading.local`` kept per request, the way a threaded WSGI server keeps it per thread.

Requests share Pyodide's one thread, and interleave where one waits (for its body, between the
chunks of its response: wsgi.multithread is True). Frameworks built for threaded servers keep
the request they serve in a ``threading.local`` (CherryPy's ``cherrypy.serving``, Bottle's
``bottle.request``, Pyramid's ``get_current_request()``): with one thread for all, a request
that waited would wake up holding the one that ran meanwhile. So ``threading.local`` (and
``_threading_local.local``, ``_thread._local``) is replaced, before any app is imported, by
``local`` below, whose attributes are kept per *request thread*: a ``RequestThread`` that
bridge.py makes for each request and names in ``CURRENT`` whenever Python runs for it. Code
outside any request (imports, start-up) runs on ``MAIN``.

Like CPython's pure-Python ``_threading_local``, an instance swaps in the calling thread's
``__dict__`` before each attribute access, and a thread's first access calls the subclass's
``__init__`` again with the constructor's arguments. A request's attributes go when its
RequestThread does, at the end of the request. Loaded once per interpreter by
request_locals.ts, which registers it as ``edge_wsgi_request_locals`` for bridge.py.
"""

import _thread
import _threading_local
import threading
from contextvars import ContextVar


class RequestThread:
    """One request's stand-in for a thread: what its thread-locals' attributes are kept under."""

    __slots__ = ("dicts",)

    def __init__(self):
        # Each local's attributes for this thread, by the local's _Impl.
        self.dicts = {}


# The thread Python runs for now; None (outside any request) means MAIN.
CURRENT = ContextVar("edge_wsgi_request_thread", default=None)
MAIN = RequestThread()
_current = CURRENT.get


class _Impl:
    __slots__ = ("args", "thread", "__weakref__")

    def __init__(self, args):
        self.args = args
        self.thread = None  # the thread whose __dict__ the instance holds now


class local:
    """Thread-local data, one set of attributes per request thread (see the module)."""

    __slots__ = ("_local__impl", "__dict__", "__weakref__")

    def __new__(cls, /, *args, **kwargs):
        if (args or kwargs) and cls.__init__ is object.__init__:
            raise TypeError("Initialization arguments are not supported")
        self = object.__new__(cls)
        impl = _Impl((args, kwargs))
        object.__setattr__(self, "_local__impl", impl)
        # The creating thread's attributes are the ones __init__ is about to set.
        thread = _current() or MAIN
        thread.dicts[impl] = object.__getattribute__(self, "__dict__")
        impl.thread = thread
        return self

    def __getattribute__(self, name):
        _enter(self)
        return object.__getattribute__(self, name)

    def __setattr__(self, name, value):
        if name == "__dict__":
            raise AttributeError(f"{type(self).__name__!r} object attribute '__dict__' is read-only")
        _enter(self)
        return object.__setattr__(self, name, value)

    def __delattr__(self, name):
        if name == "__dict__":
            raise AttributeError(f"{type(self).__name__!r} object attribute '__dict__' is read-only")
        _enter(self)
        return object.__delattr__(self, name)


def _enter(self):
    """Puts the current thread's attributes in place, making them on its first access."""
    impl = object.__getattribute__(self, "_local__impl")
    thread = _current() or MAIN
    if impl.thread is thread:
        return
    attributes = thread.dicts.get(impl)
    fresh = attributes is None
    if fresh:
        attributes = thread.dicts[impl] = {}
    object.__setattr__(self, "__dict__", attributes)
    impl.thread = thread
    cls = type(self)
    if fresh and cls.__init__ is not object.__init__:
        args, kwargs = impl.args
        cls.__init__(self, *args, **kwargs)


def install():
    """Makes ``local`` the ``threading.local`` of every module imported from now on."""
    threading.local = _threading_local.local = _thread._local = local
