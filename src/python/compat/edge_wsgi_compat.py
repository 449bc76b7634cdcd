"""Puts back what Python 3.13 and 3.14 removed or broke and Debian bookworm's frameworks still
use, on import (idempotent; nothing changes where the names still exist or already work):

- ``ast.Str`` and ``ast.Constant.s`` (removed in 3.14), which Werkzeug 2.2's URL builder
  (``werkzeug/routing/rules.py``) uses to compile ``url_for``;
- ``pkgutil.get_loader`` and ``pkgutil.find_loader`` (removed in 3.14), which Flask 2.2 calls
  to find an app's root folder (``flask/helpers.py``, ``flask/scaffold.py``);
- zope.interface releases older than Python 3.13 (Pyramid's 5.5), which refuse the
  ``__firstlineno__`` and ``__static_attributes__`` that Python 3.13 adds to every class body,
  and 3.14's ``__classdictcell__`` ("InvalidInterface: Concrete attribute, __firstlineno__"):
  patched as ``zope.interface.interface`` is imported, and only if it still refuses them;
- Django's template contexts before 4.2.17 (Debian's 3.2), whose ``copy()`` copies ``super()``,
  which Python 3.14 no longer can ("'super' object has no attribute 'dicts'", in every admin
  page that renders an inclusion tag): patched as ``django.template.context`` is imported, and
  only if copying a context still fails.

The removed ``cgi`` module (Bottle 0.12, WebOb 1.8, Django 3.2, Falcon 3.1) is the separate
``cgi.py`` beside this file. edge-wsgi imports this module at start, unless
``--no-python-compat``.
"""

import ast
import copy
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


# The names Python 3.13 and 3.14 put in a class body's namespace, which an interface's is too.
CLASS_BODY_NAMES = (
    "__firstlineno__",
    "__static_attributes__",
    "__classdictcell__",
    "__annotate_func__",
)


def _patch_zope_interface(interface):
    """Makes zope.interface's InterfaceClass skip CLASS_BODY_NAMES, if it does not already."""
    InterfaceClass = interface.InterfaceClass
    try:
        InterfaceClass("Probe", (), dict.fromkeys(CLASS_BODY_NAMES, ()))
        return
    except interface.InvalidInterface:
        pass
    compute = InterfaceClass._InterfaceClass__compute_attrs

    def compute_attrs(self, attrs):
        return compute(self, {k: v for k, v in attrs.items() if k not in CLASS_BODY_NAMES})

    InterfaceClass._InterfaceClass__compute_attrs = compute_attrs


def _patch_django_context(context):
    """Makes Django's BaseContext copy itself without copying super(), if it cannot already."""
    BaseContext = context.BaseContext
    try:
        copy.copy(BaseContext())
        return
    except AttributeError:
        pass

    def __copy__(self):
        duplicate = object.__new__(type(self))
        duplicate.__dict__ = self.__dict__.copy()
        duplicate.dicts = self.dicts[:]
        return duplicate

    BaseContext.__copy__ = __copy__


class _PatchAfterImport:
    """A finder that lets the others find a module, then patches it once it has run."""

    def __init__(self, patches):
        self.patches = patches

    def find_spec(self, name, path=None, target=None):
        patch = self.patches.get(name)
        if patch is None:
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec = find(name, path, target)
            if spec is not None and spec.loader is not None:
                exec_module = spec.loader.exec_module

                def exec_and_patch(module):
                    exec_module(module)
                    patch(module)

                # A loader is made per module found, so this changes no other module's.
                spec.loader.exec_module = exec_and_patch
                return spec
        return None


if not any(isinstance(finder, _PatchAfterImport) for finder in sys.meta_path):
    sys.meta_path.insert(0, _PatchAfterImport({
        "zope.interface.interface": _patch_zope_interface,
        "django.template.context": _patch_django_context,
    }))
