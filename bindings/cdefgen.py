"""Generate the CFFI cdef of libiotnet from its public headers.

The bindings never carry a hand-written copy of the C declarations: this
script reads libiotnet/include/iotnet/iotnet.h, follows its includes in order
and turns each header into text that cffi's parser accepts:

* comments, include guards, includes and other preprocessor lines go;
* ``extern "C"`` blocks for C++ (inside ``#ifdef __cplusplus``) go;
* ``#define NAME value`` constants stay: integer-valued ones as
  ``#define NAME ...`` (the C compiler supplies the value in API mode),
  string literals as ``static const char *const NAME;``;
* ``*_INIT`` brace initialisers go (Python fills structs field by field);
* typedefs, enums, structs and prototypes stay as written.

Run it as a script to print the cdef, or import ``generate()``.
"""

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_INCLUDE_DIR = os.path.join(HERE, os.pardir, "libiotnet", "include")
UMBRELLA = os.path.join("iotnet", "iotnet.h")

_INCLUDE_RE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
_DEFINE_RE = re.compile(r"^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)(\(?)\s*(.*)$")
_STRING_RE = re.compile(r'^"(?:[^"\\]|\\.)*"$')


def strip_comments(text):
    """Remove C comments, leaving string and character literals intact."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise ValueError("unterminated comment")
            # keep line structure so that later steps see the same lines
            out.append("\n" * text.count("\n", i, end) or " ")
            i = end + 2
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _logical_lines(text):
    """Split into lines, joining backslash continuations."""
    return text.replace("\\\n", " ").split("\n")


def header_order(include_dir=DEFAULT_INCLUDE_DIR):
    """The public headers in the order the umbrella header includes them."""
    umbrella = os.path.join(include_dir, UMBRELLA)
    with open(umbrella, encoding="utf-8") as f:
        names = [m.group(1) for m in map(_INCLUDE_RE.match, f) if m]
    base = os.path.dirname(umbrella)
    return [os.path.join(base, name) for name in names]


def _define(name, is_function_like, value):
    """The cdef line for one #define, or None to drop it."""
    if is_function_like or not value or name.endswith("_INIT"):
        return None
    if _STRING_RE.match(value):
        return "static const char *const %s;" % name
    return "#define %s ..." % name


def convert_header(text):
    """The cdef text for one header's source."""
    lines = []
    skipping = []  # one entry per open #if: True inside a C++-only block
    for line in _logical_lines(strip_comments(text)):
        stripped = line.strip()
        if stripped.startswith("#"):
            directive = stripped[1:].strip()
            word = directive.split(None, 1)[0] if directive else ""
            if word in ("if", "ifdef", "ifndef"):
                skipping.append("__cplusplus" in directive)
            elif word == "endif":
                skipping.pop()
            elif word == "define" and not any(skipping):
                m = _DEFINE_RE.match(stripped)
                kept = _define(m.group(1), m.group(2) == "(", m.group(3).strip())
                if kept:
                    lines.append(kept)
            continue
        if any(skipping):
            continue
        lines.append(line.rstrip())
    return _squeeze_blank_lines(lines)


def _squeeze_blank_lines(lines):
    out = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def generate(include_dir=DEFAULT_INCLUDE_DIR):
    """The whole cdef: every public header, converted, in include order."""
    parts = []
    for path in header_order(include_dir):
        with open(path, encoding="utf-8") as f:
            body = convert_header(f.read())
        parts.append("/* %s */\n%s\n" % (os.path.basename(path), body))
    return "\n".join(parts)


def top_level_declarations(cdef):
    """Split a cdef into its top-level declarations (each ending with ';'),
    skipping #define lines."""
    decls, current, depth = [], [], 0
    for line in cdef.split("\n"):
        if line.lstrip().startswith("#"):
            continue
        for c in line + " ":
            current.append(c)
            depth += {"{": 1, "}": -1}.get(c, 0)
            if c == ";" and depth == 0:
                decls.append(" ".join("".join(current).split()))
                current = []
    return decls


_FUNCTION_RE = re.compile(r"^[^(]*?\b([A-Za-z_][A-Za-z0-9_]*)\s*\(")


def function_names(cdef):
    """Names of the functions a cdef declares (prototypes, not typedefs)."""
    names = []
    for decl in top_level_declarations(cdef):
        if decl.startswith(("typedef ", "static ", "struct ", "enum ", "extern ")):
            continue
        m = _FUNCTION_RE.match(decl)
        if m:
            names.append(m.group(1))
    return names


if __name__ == "__main__":
    sys.stdout.write(generate(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_INCLUDE_DIR))
