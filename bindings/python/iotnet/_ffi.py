"""The compiled extension and helpers for moving values across it."""

import math
import numbers
import os

from ._native import ffi, lib

#: The "no element" index of the C API.
NONE = lib.IOTNET_NONE


def text(ptr):
    """A borrowed C string as a Python str (None for NULL). Copies it, so the
    result stays valid after the model changes."""
    if ptr == ffi.NULL:
        return None
    return ffi.string(ptr).decode("utf-8", "replace")


class CArgs:
    """Converts and checks Python arguments and keeps the C buffers made for
    them alive until the call that uses them has returned.

    Every check happens in Python, before anything reaches C: wrong types
    raise TypeError, wrong values ValueError.
    """

    def __init__(self):
        self._buffers = []

    def keep(self, cdata):
        self._buffers.append(cdata)
        return cdata

    def new(self, ctype, init=None):
        return self.keep(ffi.new(ctype, init))

    def string(self, value, what, optional=False):
        """A char* for a str (ffi.NULL for None when optional)."""
        if value is None:
            if optional:
                return ffi.NULL
            raise TypeError("%s is required (a str), not None" % what)
        if not isinstance(value, str):
            raise TypeError("%s must be a str, not %s" % (what, type(value).__name__))
        if "\0" in value:
            raise ValueError("%s must not contain NUL characters" % what)
        return self.keep(ffi.new("char[]", value.encode("utf-8")))

    def path(self, value, what="path"):
        """A char* for a file name (str, bytes or os.PathLike)."""
        if not isinstance(value, (str, bytes, os.PathLike)):
            raise TypeError("%s must be a str or os.PathLike, not %s" % (what, type(value).__name__))
        raw = os.fsencode(value)
        if b"\0" in raw:
            raise ValueError("%s must not contain NUL characters" % what)
        if not raw:
            raise ValueError("%s must not be empty" % what)
        return self.keep(ffi.new("char[]", raw))

    def words(self, values, what):
        """A space-separated char* for a list of words (NULL when empty)."""
        if isinstance(values, str):
            values = [values]
        try:
            values = list(values)
        except TypeError:
            raise TypeError("%s must be a list of str, not %s" % (what, type(values).__name__)) from None
        for v in values:
            if not isinstance(v, str):
                raise TypeError("%s must hold str, not %s" % (what, type(v).__name__))
            if not v or any(c.isspace() for c in v) or "\0" in v:
                raise ValueError("%s: %r is not a single word" % (what, v))
        return self.string(" ".join(values), what) if values else ffi.NULL


def input_bytes(data):
    """A document given as str (UTF-8) or bytes-like, as bytes; TypeError otherwise."""
    if isinstance(data, str):
        return data.encode("utf-8")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("data must be str or bytes, not %s" % type(data).__name__)
    return bytes(data)


def integer(value, what, lo, hi):
    """Check an int argument (bools are refused) and its range."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError("%s must be an int, not %s" % (what, type(value).__name__))
    value = int(value)
    if not lo <= value <= hi:
        raise ValueError("%s must be in %d..%d, not %d" % (what, lo, hi, value))
    return value


def real(value, what, lo=-math.inf, hi=math.inf):
    """Check a finite float argument and its range."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError("%s must be a number, not %s" % (what, type(value).__name__))
    value = float(value)
    if not math.isfinite(value) or not lo <= value <= hi:
        raise ValueError("%s must be a finite number in %g..%g, not %r" % (what, lo, hi, value))
    return value


def boolean(value, what):
    if not isinstance(value, bool):
        raise TypeError("%s must be a bool, not %s" % (what, type(value).__name__))
    return value
