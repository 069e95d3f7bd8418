"""The library itself: its versions, and the data directory (the bundled
YANG modules, catalogs and catalog schema; see library.h).

The package ships its data (iotnet/data/, or a source checkout's models/)
and tells the C library at import, so that loading, analysis and the
bundled catalogs work wherever pip put the package."""

import os

from ._ffi import ffi, lib, text
from .errors import check

__all__ = ["data_dir", "versions"]

_HERE = os.path.dirname(os.path.abspath(__file__))
#: where the data is in an installed package, then in a source checkout
_CANDIDATES = (os.path.join(_HERE, "data"),
               os.path.join(_HERE, os.pardir, os.pardir, os.pardir, "models"))


def _shipped_data_dir():
    for candidate in _CANDIDATES:
        if all(os.path.isdir(os.path.join(candidate, part)) for part in ("yang", "catalogs")):
            return os.path.normpath(candidate)
    return None


def use_shipped_data():
    """Point the C library at the package's data (called once, at import)."""
    found = _shipped_data_dir()
    if found is not None:
        check(lib.iotnet_data_dir_set(os.fsencode(found)))


def data_dir():
    """The data directory the library reads: yang/ (the bundled YANG
    modules) and catalogs/ (the bundled catalogs and their schema)."""
    return os.fsdecode(ffi.string(lib.iotnet_data_dir()))


def versions():
    """The versions of libiotnet and of the libraries it runs on:
    {"iotnet": "0.1.0", "libyang": ..., "libxml2": ..., "igraph": ..., "Graphviz": ...}."""
    found = {"iotnet": text(lib.iotnet_version())}
    dep = ffi.new("iotnet_dependency *")
    i = 0
    while lib.iotnet_dependency_next(i, dep) == 0:
        found[text(dep.name)] = text(dep.version)
        i += 1
    return found
