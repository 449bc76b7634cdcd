"""``hashlib.pbkdf2_hmac`` and ``hashlib.scrypt`` for Pyodide, computed by the JavaScript runtime.

CPython takes both from OpenSSL (its ``_hashlib`` module), which Pyodide does not build, so
they are missing there: Django's default password hasher and Werkzeug's
``generate_password_hash`` fail with ``AttributeError``. A key derivation written in Python
would take seconds for the iterations a password hasher asks (Django 3.2: 260 000; Django 5:
870 000), so the work is done by ``node:crypto`` (``pbkdf2Sync``, ``scryptSync``), native code
on Deno and on Bun. Every other name of ``hashlib.algorithms_guaranteed`` Pyodide has already.

Loaded once per interpreter by native_hashlib.ts, which passes the two JavaScript functions to
``install()``. The arguments are checked here, as CPython checks them, so a bad call raises
the same exception natively and under edge-wsgi.
"""

import hashlib
import hmac
from operator import index

from pyodide import ffi
from pyodide.ffi import JsException, to_js

_js = {}
# The largest value OpenSSL's C int parameters take, as CPython checks them.
_INT_MAX = 2**31 - 1
_UINT_MAX = 2**32 - 1
# Python's names of the hashes whose OpenSSL name differs (what node:crypto takes).
_OPENSSL_NAMES = {
    "sha3_224": "sha3-224",
    "sha3_256": "sha3-256",
    "sha3_384": "sha3-384",
    "sha3_512": "sha3-512",
    "sha512_224": "sha512-224",
    "sha512_256": "sha512-256",
    "blake2b": "blake2b512",
    "blake2s": "blake2s256",
}


def install(js_pbkdf2, js_scrypt, js_pbkdf2_waiting):
    """Keeps the runtime's functions, which the names patch() adds call.

    `js_pbkdf2_waiting` (None where the synchronous one is as fast: see native_hashlib.ts) gives
    a promise of the key, or None for a hash it lacks: a call that can wait (JSPI) waits for it,
    letting other requests run.
    """
    _js["pbkdf2"] = js_pbkdf2
    _js["scrypt"] = js_scrypt
    _js["pbkdf2_waiting"] = js_pbkdf2_waiting
    patch()


def patch():
    """Adds to hashlib what it lacks (nothing where it has them, or once they are added).

    Done before any app is imported (a start-up snapshot holds it), so an app that imports the
    names from hashlib gets these; the runtime's functions come with install(), later.
    """
    for function in (pbkdf2_hmac, scrypt):
        name = function.__name__
        if not hasattr(hashlib, name):
            function.__module__ = "hashlib"
            setattr(hashlib, name, function)
            hashlib.__all__ += (name,)


def _buffer(value):
    """Any bytes-like object's bytes, as CPython accepts them; anything else is a TypeError."""
    try:
        return bytes(memoryview(value))
    except TypeError:
        raise TypeError(f"a bytes-like object is required, not '{type(value).__name__}'") from None


def pbkdf2_hmac(hash_name, password, salt, iterations, dklen=None):
    """Password-based key derivation function 2 (RFC 8018), with HMAC as the pseudo-random function."""
    if not isinstance(hash_name, str):
        raise TypeError(f"pbkdf2_hmac() argument 'hash_name' must be str, not {type(hash_name).__name__}")
    password, salt = _buffer(password), _buffer(salt)
    try:
        size = hashlib.new(hash_name).digest_size
    except ValueError:
        size = 0
    if not size:
        # Unknown, or of no fixed size (shake_128): no HMAC to build on.
        raise ValueError(f"unsupported hash type {hash_name}")
    iterations = index(iterations)
    if iterations < 1:
        raise ValueError("iteration value must be greater than 0.")
    if iterations > _UINT_MAX:
        raise OverflowError("iteration value is too great.")
    dklen = size if dklen is None else index(dklen)
    if dklen < 1:
        raise ValueError("key length must be greater than 0.")
    if dklen > _UINT_MAX:
        raise OverflowError("key length is too great.")
    name = _OPENSSL_NAMES.get(hash_name.lower(), hash_name.lower())
    waiting = _js["pbkdf2_waiting"]
    if waiting is not None and ffi.can_run_sync():
        # ffi.run_sync as bridge.py leaves it: the request's locals and loop come back with it.
        derived = waiting(name, to_js(password), to_js(salt), iterations, dklen)
        if derived is not None:
            return ffi.run_sync(derived).to_bytes()
    try:
        return _js["pbkdf2"](name, to_js(password), to_js(salt), iterations, dklen).to_bytes()
    except JsException:
        # A hash the runtime's crypto lacks (Bun's BoringSSL has no SHA-3): slow, but right.
        return _pbkdf2_in_python(hash_name, password, salt, iterations, dklen, size)


def _pbkdf2_in_python(hash_name, password, salt, iterations, dklen, size):
    """RFC 8018, section 5.2: T_i = U_1 ^ U_2 ^ ... ^ U_c, with U_1 = PRF(P, S || INT(i))."""
    prf = hmac.new(password, digestmod=hash_name)
    blocks = []
    for index in range(1, -(-dklen // size) + 1):
        mac = prf.copy()
        mac.update(salt + index.to_bytes(4, "big"))
        u = mac.digest()
        block = int.from_bytes(u, "big")
        for _ in range(iterations - 1):
            mac = prf.copy()
            mac.update(u)
            u = mac.digest()
            block ^= int.from_bytes(u, "big")
        blocks.append(block.to_bytes(size, "big"))
    return b"".join(blocks)[:dklen]


def scrypt(password, *, salt=None, n=None, r=None, p=None, maxmem=0, dklen=64):
    """The scrypt password-based key derivation function (RFC 7914)."""
    if salt is None:
        raise TypeError("salt is required")
    if n is None or r is None or p is None:
        raise TypeError("n, r and p are required")
    password, salt = _buffer(password), _buffer(salt)
    n, r, p, maxmem, dklen = index(n), index(r), index(p), index(maxmem), index(dklen)
    if n < 2 or n & (n - 1):
        raise ValueError("n must be a power of 2.")
    if maxmem < 0 or maxmem > _INT_MAX:
        raise ValueError(f"maxmem must be positive and smaller than {_INT_MAX}")
    if dklen < 1 or dklen > _INT_MAX:
        raise ValueError(f"dklen must be greater than 0 and smaller than {_INT_MAX}")
    try:
        return _js["scrypt"](to_js(password), to_js(salt), n, r, p, maxmem, dklen).to_bytes()
    except JsException:
        # node:crypto refuses what OpenSSL refuses: a memory need past maxmem, r * p too large.
        raise ValueError("Invalid parameter combination for n, r, p, maxmem.") from None
