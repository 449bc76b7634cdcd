"""Puts back what Python 3.14 removed from the standard library and Debian bookworm's Flask 2.2
stack still uses, on import (idempotent; nothing changes where the names still exist):

- ``ast.Str`` and ``ast.Constant.s`` (removed in 3.14), which Werkzeug 2.2's URL builder
  (``werkzeug/routing/rules.py``) uses to compile ``url_for``;
- ``pkgutil.get_loader`` and ``pkgutil.find_loader`` (removed in 3.14), which Flask 2.2 calls
  to find an app's root folder (``flask/helpers.py``, ``flask/scaffold.py``).

The removed ``cgi`` module (Bottle 0.12) is the separate ``cgi.py`` beside this file.
edge-wsgi imports this module when started with ``--python-compat``.
"""

import ast
import importlib.util
import pkgutil
import sys
import types

if not hasattr(ast, "Str"):

    class _StrType(type):
        # Old code asks isinstance(node, ast.Str): a Constant holding text is one.
        def __instancecheck__(cls, node):
            return isinstance(node, ast.Constant) and isinstance(node.value, str)

    class Str(metaclass=_StrType):
        """``ast.Str(s)`` as before 3.8: builds an ``ast.Constant``."""

        def __new__(cls, s="", *args, **kwargs):
            return ast.Constant(s, *args, **kwargs)

    ast.Str = Str

if not hasattr(ast.Constant, "s"):
    ast.Constant.s = property(
        lambda node: node.value, lambda node, value: setattr(node, "value", value)
    )

if not hasattr(pkgutil, "find_loader"):

    def find_loader(fullname):
        """The loader that would import ``fullname``, or ``None`` (``pkgutil`` before 3.14)."""
        if fullname.startswith("."):
            raise ImportError(f"Relative module name {fullname!r} is not supported")
        try:
            spec = importlib.util.find_spec(fullname)
        except (ImportError, AttributeError, TypeError, ValueError) as error:
            raise ImportError(f"Error while finding loader for {fullname!r}") from error
        return spec.loader if spec is not None else None

    pkgutil.find_loader = find_loader

if not hasattr(pkgutil, "get_loader"):

    def get_loader(module_or_name):
        """The loader of a module or module name, or ``None`` (``pkgutil`` before 3.14)."""
        module = module_or_name
        if isinstance(module, str):
            if module not in sys.modules:
                return pkgutil.find_loader(module)
            module = sys.modules[module]
            if module is None:
                return None
        if isinstance(module, types.ModuleType):
            loader = getattr(module, "__loader__", None)
            if loader is not None:
                return loader
            if getattr(module, "__spec__", None) is None:
                return None
            return pkgutil.find_loader(module.__name__)
        return pkgutil.find_loader(module)

    pkgutil.get_loader = get_loader
