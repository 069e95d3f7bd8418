"""The bindings are generated from the public headers and cannot drift from them."""

import importlib.util
import re

import pytest

import iotnet
from iotnet import _cdef
from iotnet._ffi import ffi, lib


@pytest.fixture(scope="module")
def cdefgen(repo_root):
    spec = importlib.util.spec_from_file_location("cdefgen", repo_root / "bindings" / "cdefgen.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def include_dir(repo_root):
    return repo_root / "libiotnet" / "include"


@pytest.fixture(scope="module")
def header_text(cdefgen, include_dir):
    parts = []
    for path in cdefgen.header_order(include_dir):
        with open(path, encoding="utf-8") as f:
            parts.append(f.read())
    return "\n".join(parts)


def test_module_was_built_from_the_current_headers(cdefgen, include_dir):
    assert _cdef.CDEF == cdefgen.generate(include_dir), \
        "the headers changed since the extension was built: reinstall the package"


def test_headers_in_umbrella_order(cdefgen, include_dir):
    names = [p.rsplit("/", 1)[-1] for p in map(str, cdefgen.header_order(include_dir))]
    assert names[0] == "error.h"
    assert {"net.h", "names.h", "policy.h", "reach.h", "yangio.h", "mud.h", "emit.h",
            "catalog.h", "eval.h"} <= set(names)
    on_disk = {p.name for p in (include_dir / "iotnet").glob("*.h")} - {"iotnet.h"}
    assert set(names) == on_disk, "iotnet.h must include every public header"


def test_every_prototype_is_on_the_lib(cdefgen, header_text):
    generated = cdefgen.function_names(_cdef.CDEF)
    # an independent, cruder scan of the raw headers: a name followed by "("
    # in a declaration that is not a typedef or a macro
    declared = set()
    code = cdefgen.strip_comments(header_text).replace('extern "C" {', "")
    for decl in code.split(";"):
        decl = decl.strip().rsplit("}", 1)[-1].strip()
        lines = [ln for ln in decl.splitlines() if not ln.lstrip().startswith("#")]
        decl = " ".join(lines).strip()
        if not decl or decl.startswith(("typedef", "extern")):
            continue
        m = re.search(r"\b(iotnet_\w+)\s*\(", decl)
        if m:
            declared.add(m.group(1))
    assert declared and set(generated) == declared
    missing = [name for name in generated if not callable(getattr(lib, name, None))]
    assert missing == []


def test_constants_and_enums_reach_python():
    assert lib.IOTNET_ENOTFOUND == -4 and lib.IOTNET_EIO == -11
    assert lib.IOTNET_NONE == 0xFFFFFFFF
    assert lib.IOTNET_TIME_UNSET == -(2 ** 63)
    assert lib.IOTNET_PROTO_UDP == 17
    assert ffi.string(lib.IOTNET_KIND_FORWARDING) == b"forwarding"
    assert lib.IOTNET_LOAD_MAX_BYTES_DEFAULT == 1 << 30
    assert (lib.IOTNET_EXPOSURE_NONE, lib.IOTNET_EXPOSURE_DIRECT) == (0, 5)
    assert lib.IOTNET_LAYER_MUD == 3 and lib.IOTNET_MUD_TO_DEVICE == 2
    for struct in ("iotnet_reach_options", "iotnet_reach_row", "iotnet_hop", "iotnet_zone_flow",
                   "iotnet_mud_ace", "iotnet_mud_info", "iotnet_mud_load_options",
                   "iotnet_threat_info", "iotnet_mitigation_info", "iotnet_control_info",
                   "iotnet_analyze_options", "iotnet_finding", "iotnet_risk_decision"):
        assert "version" in dict(ffi.typeof(struct).fields), struct


def test_catalog_and_evaluation_constants():
    assert (lib.IOTNET_STRIDE_S, lib.IOTNET_STRIDE_E) == (0x01, 0x20)
    assert (lib.IOTNET_TARGET_NODE, lib.IOTNET_TARGET_CONDUIT) == (1, 5)
    assert (lib.IOTNET_FINDING_OPEN, lib.IOTNET_FINDING_NOT_APPLICABLE) == (1, 4)
    assert "assume_count" in dict(ffi.typeof("iotnet_analyze_options").fields)
    assert ffi.typeof("iotnet_catalog_field").fields


def test_generator_rules(cdefgen):
    header = "\n".join([
        "/* doc */",
        "#ifndef X_H",
        "#define X_H",
        "#include <stdint.h>",
        '#define X_NAME "a /* not a comment */ b"',
        "#define X_LIMIT ((size_t)1 << 4) // trailing comment",
        "#define X_INIT {1, 2}",
        "#define X_MACRO(a) ((a) + 1)",
        "#ifdef __cplusplus",
        'extern "C" {',
        "#endif",
        "typedef struct x { int a; /* field */ } x;",
        "int x_get(const x *p,",
        "          int flag);",
        "#ifdef __cplusplus",
        "}",
        "#endif",
        "#endif",
    ])
    out = cdefgen.convert_header(header)
    assert [" ".join(line.split()) for line in out.splitlines()] == [
        "static const char *const X_NAME;",
        "#define X_LIMIT ...",
        "typedef struct x { int a; } x;",
        "int x_get(const x *p,",
        "int flag);",
    ]
    assert cdefgen.function_names(out) == ["x_get"]


def test_library_version_matches_the_package():
    assert iotnet.library_version == iotnet.__version__
