"""CFFI builder for iotnet._native (API mode, out of line).

The extension compiles libiotnet's C sources itself, so the Python package
does not depend on an installed libiotnet; it links against igraph, libyang,
libxml2 and Graphviz as pkg-config reports them. The cdef is generated from the
public headers by cdefgen.py, so bindings and headers cannot drift.
"""

import glob
import os
import shlex
import subprocess
import sys

from cffi import FFI

BINDINGS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BINDINGS)
sys.path.insert(0, BINDINGS)
import cdefgen  # noqa: E402  (lives next to this file)

PKG_CONFIG_PACKAGES = ["igraph", "libyang", "libxml-2.0", "libgvc", "libcgraph"]
#: Graphviz's dot layout and core renderer, linked in for SVG (as the Makefile
#: does); they live in the graphviz directory below libgvc's libdir.
GRAPHVIZ_PLUGINS = ["gvplugin_dot_layout", "gvplugin_core"]
C_STANDARD = ["-std=c11", "-D_POSIX_C_SOURCE=200809L", "-D_DEFAULT_SOURCE"]


def _relative(path):
    """Paths relative to the working directory when they are below it, so
    that object files land inside the build tree."""
    rel = os.path.relpath(path)
    return path if rel.startswith(os.pardir) else rel


def pkg_config():
    """include_dirs, library_dirs, libraries and other flags of the C dependencies."""
    try:
        out = subprocess.run(["pkg-config", "--cflags", "--libs"] + PKG_CONFIG_PACKAGES,
                             check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise RuntimeError("pkg-config could not find %s (install libigraph-dev, libyang2-dev, "
                           "libxml2-dev and libgraphviz-dev): %s"
                           % (", ".join(PKG_CONFIG_PACKAGES), exc))
    found = {"include_dirs": [], "library_dirs": [], "libraries": [], "extra_compile_args": []}
    for flag in shlex.split(out):
        if flag.startswith("-I"):
            found["include_dirs"].append(flag[2:])
        elif flag.startswith("-L"):
            found["library_dirs"].append(flag[2:])
        elif flag.startswith("-l"):
            found["libraries"].append(flag[2:])
        else:
            found["extra_compile_args"].append(flag)
    return found


def graphviz_plugin_dir():
    """Where Graphviz keeps the plugins the library links in."""
    libdir = subprocess.run(["pkg-config", "--variable=libdir", "libgvc"], check=True,
                            capture_output=True, text=True).stdout.strip()
    return os.path.join(libdir, "graphviz")


CDEF = cdefgen.generate(os.path.join(ROOT, "libiotnet", "include"))

ffibuilder = FFI()
ffibuilder.cdef(CDEF)


def _files(*pattern):
    return sorted(_relative(p) for p in glob.glob(os.path.join(ROOT, "libiotnet", *pattern)))


def libyang_version():
    """libyang's release, which it does not report at run time (iotnet --version shows it)."""
    return subprocess.run(["pkg-config", "--modversion", "libyang"], check=True,
                          capture_output=True, text=True).stdout.strip()


_deps = pkg_config()
_plugin_dir = graphviz_plugin_dir()
ffibuilder.set_source(
    "iotnet._native",
    '#include "iotnet/iotnet.h"',
    sources=_files("src", "*.c"),
    # headers too: a change to any of them rebuilds the extension
    depends=_files("include", "iotnet", "*.h") + _files("src", "*.h"),
    include_dirs=[_relative(os.path.join(ROOT, "libiotnet", "include")),
                  _relative(os.path.join(ROOT, "libiotnet", "src"))] + _deps["include_dirs"],
    library_dirs=_deps["library_dirs"] + [_plugin_dir],
    runtime_library_dirs=[_plugin_dir],
    libraries=_deps["libraries"] + GRAPHVIZ_PLUGINS + ["m", "pthread"],
    extra_compile_args=C_STANDARD + _deps["extra_compile_args"],
    # no data directory is compiled in: the package names its own at import
    # (iotnet/library.py), and runs its CLI with IOTNET_DATA_DIR (iotnet/cli.py)
    define_macros=[("IOTNET_LIBYANG_VERSION", '"%s"' % libyang_version())],
)

if __name__ == "__main__":
    ffibuilder.compile(verbose=True)
