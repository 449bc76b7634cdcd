"""``threading.local`` kept per request, the way a threaded WSGI server keeps it per thread.

Requests share Pyodide's one thread, and interleave where one waits (for its body, between the
chunks of its response: wsgi.multithread is True). Frameworks built for threaded servers keep
the request they serve in a ``threading.local`` (CherryPy's ``cherrypy.serving``, Bottle's
``bottle.request``, Pyramid's ``get_current_request()``): with one thread for all, a request
that waited would wake up holding the one that ran meanwhile.

So ``threading.local`` (and ``_threading_local.local``, ``_thread._local``) is replaced, before
any app is imported, by ``local`` below, and requests run on a pool of pretend threads, as under
gunicorn's threaded workers: a request takes a thread no other request holds, keeps it while it
waits, and gives it back when it is over. Each ``local`` has one ``__dict__`` per thread, and
the thread running now has its own in place, so an attribute access costs what it costs on any
object. Only a switch of thread, which happens only when requests interleave, swaps the dicts of
every ``local`` (and, as CPython does for a thread's first access, calls a subclass's
``__init__`` with the constructor's arguments for a thread new to it). Requests that do not
interleave all run on the first thread, as on gunicorn's sync worker, with what imports left
there. Loaded once per interpreter by request_locals.ts, which makes it importable as
``edge_wsgi_request_locals`` for bridge.py.
"""

import _thread
import _threading_local
import threading
import weakref


class PoolThread:
    """A pretend thread of the pool: each local's attributes while it runs, and whether a request
    holds it."""

    __slots__ = ("dicts", "busy")

    def __init__(self):
        # By the local's _Impl: a local that goes takes its attributes with it.
        self.dicts = weakref.WeakKeyDictionary()
        self.busy = False


_threads = [PoolThread()]
_locals = weakref.WeakSet()
_running = [_threads[0]]


class _Impl:
    __slots__ = ("args", "__weakref__")

    def __init__(self, args):
        self.args = args


class local:
    """Thread-local data, one set of attributes per pool thread (see the module)."""

    __slots__ = ("_local__impl", "__dict__", "__weakref__")

    def __new__(cls, /, *args, **kwargs):
        if (args or kwargs) and cls.__init__ is object.__init__:
            raise TypeError("Initialization arguments are not supported")
        self = object.__new__(cls)
        impl = _Impl((args, kwargs))
        object.__setattr__(self, "_local__impl", impl)
        # The running thread's attributes are the ones __init__ is about to set.
        _running[0].dicts[impl] = object.__getattribute__(self, "__dict__")
        _locals.add(self)
        return self


def running():
    """The pool thread running now."""
    return _running[0]


def switch(thread):
    """Makes `thread` the running one: every local's attributes become its own."""
    if thread is _running[0]:
        return
    _running[0] = thread
    for instance in list(_locals):
        impl = object.__getattribute__(instance, "_local__impl")
        attributes = thread.dicts.get(impl)
        fresh = attributes is None
        if fresh:
            attributes = thread.dicts[impl] = {}
        object.__setattr__(instance, "__dict__", attributes)
        cls = type(instance)
        if fresh and cls.__init__ is not object.__init__:
            args, kwargs = impl.args
            cls.__init__(instance, *args, **kwargs)


def acquire():
    """A thread for a new request, running and held: the running one when it is free (no switch
    at all while requests do not interleave), else any free one, else a new one."""
    thread = _running[0]
    if thread.busy:
        thread = next((t for t in _threads if not t.busy), None)
        if thread is None:
            thread = PoolThread()
            _threads.append(thread)
        switch(thread)
    thread.busy = True
    return thread


def release(thread):
    """Gives a request's thread back to the pool, its attributes as the request left them."""
    thread.busy = False


def install():
    """Makes ``local`` the ``threading.local`` of every module imported from now on."""
    threading.local = _threading_local.local = _thread._local = local
