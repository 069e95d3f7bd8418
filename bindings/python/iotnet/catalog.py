"""Threat, mitigation and control catalogs.

    cat = iotnet.Catalog.default()               # the bundled catalogs
    cat.load("my-catalogs/")                     # a user's own beside them
    cat = iotnet.Catalog.load("only-mine.xml")   # or instead of them
    cat.threat("nat-as-firewall").mitigations
    cat.to_dataframe("mitigations")

A catalog file declares a namespace; ids are "NAMESPACE:ID" and the bare id
works wherever it is unique. Loading an id the set already holds, a
condition that names an unknown field, kind or enumeration value, or a file
that breaks the schema raises ValidationError (ParseError for XML that is
not well-formed) with .file and .line; the set is then as it was.

Threats, mitigations and controls are read into plain Python objects when
asked for: they stay valid after the catalog is closed.
"""

import html
import os
import threading
from dataclasses import dataclass, fields
from typing import Optional, Tuple

from . import enums
from ._ffi import CArgs, ffi, input_bytes, lib, text
from .errors import IotnetError, NotFoundError, check
from .library import data_dir
from .owned import Owned

__all__ = ["Catalog", "Threat", "Mitigation", "Control", "Field", "catalog_dir"]

_STRIDE = "STRIDE"
_HTML_ROWS = 200


def has_engine():
    """Whether this build of the extension has catalogs and evaluation."""
    return hasattr(lib, "iotnet_catalog_new") and hasattr(lib, "iotnet_analyze")


def require_engine():
    if not has_engine():
        raise IotnetError("this build of libiotnet has no threat catalogs or evaluation "
                          "(catalog.h and eval.h are not in the library yet)")


def catalog_dir():
    """The directory of the bundled catalogs and their schema: catalogs/ of
    the data directory (the package's own, see iotnet.data_dir())."""
    return os.path.join(data_dir(), "catalogs")


def _words(ptr):
    value = text(ptr)
    return value.split() if value else []


def stride_text(bits):
    """IOTNET_STRIDE_* bits as letters in STRIDE order ("TIE")."""
    return "".join(letter for i, letter in enumerate(_STRIDE) if bits & (1 << i))


def target_name(value):
    return enums.name_of(lib.IOTNET_ENUM_TARGET, value)


# ---- entries ---------------------------------------------------------------------


@dataclass(frozen=True)
class Threat:
    """A threat of a catalog.

    id: namespaced ("iotnet:nat-as-firewall"); stride: the STRIDE letters it
    is tagged with, in STRIDE order ("TIE"); cwe, capec, attack_ics and
    references: lists of ids ("CWE-284", "T0883", "RFC8520"); target: what
    it is evaluated against ("node", "link", "service", "zone", "conduit");
    likelihood and impact: 1..5; mitigations: the namespaced ids of its
    candidate mitigations; condition: its applies-when condition as text.
    """
    id: str
    title: str
    description: Optional[str]
    stride: str
    cwe: Tuple[str, ...]
    capec: Tuple[str, ...]
    attack_ics: Tuple[str, ...]
    target: str
    likelihood: int
    impact: int
    mitigations: Tuple[str, ...]
    references: Tuple[str, ...]
    condition: Optional[str]

    @property
    def inherent_risk(self):
        """likelihood x impact, 1..25."""
        return self.likelihood * self.impact

    @property
    def namespace(self):
        return self.id.partition(":")[0] if ":" in self.id else None

    def to_dict(self):
        return {f: _plain(getattr(self, f)) for f in THREAT_COLUMNS}

    @classmethod
    def from_c(cls, c):
        return cls(text(c.id), text(c.title), text(c.description), stride_text(c.stride),
                   tuple(_words(c.cwe)), tuple(_words(c.capec)), tuple(_words(c.attack_ics)),
                   target_name(c.target), int(c.likelihood), int(c.impact),
                   tuple(_words(c.mitigations)), tuple(_words(c.references)), text(c.condition))


@dataclass(frozen=True)
class Mitigation:
    """A mitigation of a catalog.

    technologies: the technologies it rests on ("MUD", "SUIT", "RATS",
    "TLS1.3"...); target: what its present-when condition is evaluated
    against; likelihood_delta and impact_delta: what it adds to a finding's
    likelihood and impact when present (usually negative); controls: the
    controls it evidences as "framework:control" words
    ("iso27001-2022:8.20", "iec62443-3-3:SR5.1"); condition: its
    present-when condition as text.
    """
    id: str
    title: str
    description: Optional[str]
    technologies: Tuple[str, ...]
    target: str
    likelihood_delta: int
    impact_delta: int
    controls: Tuple[str, ...]
    condition: Optional[str]

    @property
    def namespace(self):
        return self.id.partition(":")[0] if ":" in self.id else None

    def to_dict(self):
        return {f: _plain(getattr(self, f)) for f in MITIGATION_COLUMNS}

    @classmethod
    def from_c(cls, c):
        return cls(text(c.id), text(c.title), text(c.description),
                   tuple(_words(c.technologies)), target_name(c.target),
                   int(c.likelihood_delta), int(c.impact_delta), tuple(_words(c.controls)),
                   text(c.condition))


@dataclass(frozen=True)
class Control:
    """A control of a compliance framework: framework ("iso27001-2022",
    "iec62443-3-3", "etsi-en303645", "nistir8259a"), id as the framework
    numbers it ("5.1", "SR 1.1", "5.1-1", "1"), our own short label and its
    group (theme or foundational requirement), or None."""
    framework: str
    id: str
    title: Optional[str]
    group: Optional[str]

    @property
    def ref(self):
        """The control as mitigations name it: "iso27001-2022:8.20",
        "iec62443-3-3:SR1.1" (spaces in the id left out)."""
        return "%s:%s" % (self.framework, self.id.replace(" ", ""))

    def to_dict(self):
        return {f: getattr(self, f) for f in CONTROL_COLUMNS}

    @classmethod
    def from_c(cls, c):
        return cls(text(c.framework), text(c.id), text(c.title), text(c.group))


@dataclass(frozen=True)
class Field:
    """A field catalog conditions may test: its name ("kind",
    "internet-exposure", "lifecycle/update-mechanism"), the target it
    belongs to, its type ("string", "int", "bool", "date", ...;
    enumerations compare as strings) and what it means."""
    name: str
    target: str
    type: str
    description: Optional[str]

    def to_dict(self):
        return {f: getattr(self, f) for f in FIELD_COLUMNS}


THREAT_COLUMNS = [f.name for f in fields(Threat)]
MITIGATION_COLUMNS = [f.name for f in fields(Mitigation)]
CONTROL_COLUMNS = [f.name for f in fields(Control)]
FIELD_COLUMNS = [f.name for f in fields(Field)]


def _plain(value):
    return list(value) if isinstance(value, tuple) else value


def _pandas(what):
    try:
        import pandas
    except ImportError as exc:
        raise ImportError("%s needs pandas: pip install pandas" % what) from exc
    return pandas


def _read_all(count, get, spec, version, cls):
    out = []
    c = ffi.new(spec)
    for i in range(count):
        c.version = version
        check(get(i, c))
        out.append(cls.from_c(c))
    return out


_FIELDS = None


def _all_fields():
    global _FIELDS
    if _FIELDS is None:
        require_engine()
        out, i = [], 0
        c = ffi.new("iotnet_catalog_field *")
        while lib.iotnet_catalog_field_next(i, c) == 0:
            out.append(Field(text(c.name), target_name(c.target),
                             enums.name_of(lib.IOTNET_ENUM_ATTR_TYPE, c.type),
                             text(c.description)))
            i += 1
        _FIELDS = out
    return list(_FIELDS)


# ---- the catalog set ------------------------------------------------------------------


class _Hybrid:
    """A method that works on the class (a new Catalog is made first) and on
    an instance (which it adds to): Catalog.load(path) and cat.load(path)."""

    def __init__(self, func):
        self.func = func
        self.__doc__ = func.__doc__

    def __get__(self, obj, owner):
        func = self.func
        if obj is None:
            def on_class(*args, **kwargs):
                return func(owner(), *args, **kwargs)
            on_class.__doc__ = func.__doc__
            return on_class
        return func.__get__(obj, owner)


class Catalog(Owned):
    """A set of catalogs: threats, mitigations and compliance controls.

    Catalog() is empty; Catalog.default() holds the bundled catalogs;
    Catalog.load(path) a file or a directory of them. cat.load(path) adds
    to an existing set and returns it, so calls chain:
    Catalog.default().load("mine/"). len(cat) is the number of threats.

    The C set is freed by the garbage collector or at once by close() (or
    leaving a `with` block); a closed Catalog raises ClosedError.
    """

    def __init__(self):
        require_engine()
        out = ffi.new("iotnet_catalog **")
        check(lib.iotnet_catalog_new(out))
        self._own(out[0], lib.iotnet_catalog_free)
        self._cache = {}
        #: what was loaded, in order (paths, or names of text loaded with loads())
        self.sources = []

    @classmethod
    def default(cls):
        """A new set with the bundled catalogs: the threats, mitigations and
        control catalogs shipped with the package (in catalog_dir())."""
        return cls().load(catalog_dir())

    _what = "catalog"
    _instead = (" (it holds the parsed C catalogs): load it again from its files, "
                "which .sources lists")

    def _forget(self):
        self._cache = {}

    # ---- loading ------------------------------------------------------------------

    @_Hybrid
    def load(self, path):
        """Add a catalog file, or every *.xml of a directory (in name order,
        all or nothing), to the set; returns the set. On the class,
        Catalog.load(path) starts from an empty set. Raises ValidationError
        or ParseError (with .file and .line), FileError (also for a directory
        without a *.xml file) and InvalidArgumentError for a file over
        IOTNET_CATALOG_MAX_BYTES (64 MiB); nothing is added then."""
        args = CArgs()
        c_path = args.path(path)
        is_dir = os.path.isdir(path)
        with self._use() as p:
            try:
                check((lib.iotnet_catalog_load_dir if is_dir else lib.iotnet_catalog_load_file)(
                    p, c_path))
            finally:
                self._cache = {}
        self.sources.append(os.fsdecode(path))
        return self

    @_Hybrid
    def loads(self, data, name="<string>"):
        """Add a catalog from a str or bytes (XML); `name` labels it in
        errors. Returns the set; on the class it starts from an empty set."""
        data = input_bytes(data)
        args = CArgs()
        c_name = args.string(name, "name")
        with self._use() as p:
            try:
                check(lib.iotnet_catalog_loads(p, data, len(data), c_name))
            finally:
                self._cache = {}
        self.sources.append(name)
        return self

    # ---- contents -------------------------------------------------------------------

    def to_oscal(self, format="json", now=None, document_version=None):
        """The mitigations and the controls they evidence as a NIST OSCAL
        1.1.2 component definition: "json" or "xml" text, or "dict" (the
        JSON parsed). A component per mitigation, a control-implementation
        per framework, an implemented requirement per control (ISO 8.20 as
        "a.8.20", IEC SR 1.1 as "sr-1.1", ETSI 5.1-1 as "provision-5.1-1",
        NISTIR 1 as "capability-1"). now: last-modified (a datetime or date;
        default the clock); document_version: metadata/version (default "1.0")."""
        from . import oscal
        stamp = oscal.stamp(now, lib.IOTNET_TIME_UNSET)
        with self._use() as p:
            return oscal.component_definition(p, format, stamp, document_version)

    def _cached(self, key, read):
        with self._use() as p:
            value = self._cache.get(key)
            if value is None:
                value = self._cache[key] = read(p)
            return value

    @property
    def threats(self):
        """The threats (Threat objects), in load order."""
        return list(self._cached("threats", lambda p: _read_all(
            lib.iotnet_catalog_threat_count(p), lambda i, c: lib.iotnet_catalog_threat(p, i, c),
            "iotnet_threat_info *", lib.IOTNET_THREAT_INFO_VERSION, Threat)))

    @property
    def mitigations(self):
        """The mitigations (Mitigation objects), in load order."""
        return list(self._cached("mitigations", lambda p: _read_all(
            lib.iotnet_catalog_mitigation_count(p),
            lambda i, c: lib.iotnet_catalog_mitigation(p, i, c),
            "iotnet_mitigation_info *", lib.IOTNET_MITIGATION_INFO_VERSION, Mitigation)))

    @property
    def controls(self):
        """The controls of every loaded framework (Control objects)."""
        return list(self._cached("controls", lambda p: _read_all(
            lib.iotnet_catalog_control_count(p),
            lambda i, c: lib.iotnet_catalog_control(p, i, c),
            "iotnet_control_info *", lib.IOTNET_CONTROL_INFO_VERSION, Control)))

    @property
    def frameworks(self):
        """The frameworks of the loaded control catalogs, in load order."""
        seen = []
        for c in self.controls:
            if c.framework not in seen:
                seen.append(c.framework)
        return seen

    @staticmethod
    def fields(target=None):
        """The fields conditions may test (Field objects), all or those of
        one target ("node", "service", "link", "zone", "conduit")."""
        found = _all_fields()
        if target is None:
            return found
        if not isinstance(target, str):
            raise TypeError("target must be a str, not %s" % type(target).__name__)
        enums.value_of(lib.IOTNET_ENUM_TARGET, target, "target")
        return [f for f in found if f.target == target]

    def __len__(self):
        """The number of threats."""
        with self._use() as p:
            return lib.iotnet_catalog_threat_count(p)

    def __iter__(self):
        """The threats."""
        return iter(self.threats)

    def _find(self, what, find, items, entry_id):
        if not isinstance(entry_id, str):
            raise TypeError("%s id must be a str, not %s" % (what, type(entry_id).__name__))
        if "\0" in entry_id:
            raise ValueError("%s id must not contain NUL characters" % what)
        with self._use() as p:
            index = find(p, entry_id.encode("utf-8"))
            if index < 0:
                raise NotFoundError("no %s %r in the catalog" % (what, entry_id))
            return items()[index]

    def threat(self, threat_id):
        """The Threat with this id (namespaced, or bare when unique);
        NotFoundError (a KeyError) when there is none."""
        return self._find("threat", lib.iotnet_catalog_find_threat,
                          lambda: self.threats, threat_id)

    def mitigation(self, mitigation_id):
        """The Mitigation with this id; NotFoundError when there is none."""
        return self._find("mitigation", lib.iotnet_catalog_find_mitigation,
                          lambda: self.mitigations, mitigation_id)

    def control(self, ref, control_id=None):
        """A Control by reference: control("iso27001-2022:8.20") or
        control("iec62443-3-3", "SR 1.1"); NotFoundError when there is none."""
        if not isinstance(ref, str):
            raise TypeError("ref must be a str, not %s" % type(ref).__name__)
        if control_id is None:
            framework, colon, control_id = ref.partition(":")
            if not colon:
                raise ValueError("a control reference is 'FRAMEWORK:ID', not %r" % ref)
        else:
            framework = ref
        if not isinstance(control_id, str):
            raise TypeError("control id must be a str, not %s" % type(control_id).__name__)
        want = control_id.replace(" ", "")
        for c in self.controls:
            if c.framework == framework and c.id.replace(" ", "") == want:
                return c
        raise NotFoundError("no control %s:%s in the catalog" % (framework, control_id))

    def controls_of(self, mitigation):
        """The Controls a mitigation evidences (a Mitigation or its id), in
        the order it names them; a control whose framework catalog is not
        loaded is given with title None."""
        if not isinstance(mitigation, Mitigation):
            mitigation = self.mitigation(mitigation)
        out = []
        for ref in mitigation.controls:
            try:
                out.append(self.control(ref))
            except (NotFoundError, ValueError):
                framework, _, cid = ref.partition(":")
                out.append(Control(framework, cid, None, None))
        return out

    def mitigations_of(self, threat):
        """The Mitigation objects of a threat's candidates (a Threat or its id)."""
        if not isinstance(threat, Threat):
            threat = self.threat(threat)
        return [self.mitigation(m) for m in threat.mitigations]

    def __contains__(self, entry_id):
        """Whether a threat or mitigation has this id."""
        if not isinstance(entry_id, str) or "\0" in entry_id:
            return False
        with self._use() as p:
            raw = entry_id.encode("utf-8")
            return (lib.iotnet_catalog_find_threat(p, raw) >= 0
                    or lib.iotnet_catalog_find_mitigation(p, raw) >= 0)

    # ---- tables ---------------------------------------------------------------------

    def to_records(self, what="threats"):
        """One dict per threat, mitigation, control or field (what=
        "threats", "mitigations", "controls", "fields")."""
        if what == "fields":
            return [f.to_dict() for f in self.fields()]
        if what not in ("threats", "mitigations", "controls"):
            raise ValueError("what must be 'threats', 'mitigations', 'controls' or 'fields', "
                             "not %r" % (what,))
        return [entry.to_dict() for entry in getattr(self, what)]

    def to_dataframe(self, what="threats"):
        """A DataFrame of the threats (or "mitigations", "controls",
        "fields"); lists stay Python lists (needs pandas)."""
        pandas = _pandas("to_dataframe()")
        columns = {"threats": THREAT_COLUMNS, "mitigations": MITIGATION_COLUMNS,
                   "controls": CONTROL_COLUMNS, "fields": FIELD_COLUMNS}
        return pandas.DataFrame(self.to_records(what), columns=columns.get(what))

    def _counts(self, p):
        return (lib.iotnet_catalog_threat_count(p), lib.iotnet_catalog_mitigation_count(p),
                lib.iotnet_catalog_control_count(p))

    def __repr__(self):
        with self._lock:
            if self._ptr is None:
                return "<iotnet.Catalog (closed)>"
            return "<iotnet.Catalog: %d threats, %d mitigations, %d controls>" % self._counts(
                self._ptr)

    def _repr_html_(self):
        with self._lock:
            if self._ptr is None:
                return "<p>iotnet.Catalog (closed)</p>"
            counts = self._counts(self._ptr)
        threats = self.threats
        head = ["id", "title", "stride", "target", "likelihood", "impact", "mitigations"]
        out = ["<p><b>Catalog</b>: %d threats, %d mitigations, %d controls%s</p>" % (
            counts + (" (%s)" % html.escape(", ".join(self.frameworks))
                      if counts[2] else "",)), "<table><thead><tr>"]
        out += ["<th>%s</th>" % h for h in head]
        out.append("</tr></thead><tbody>")
        for t in threats[:_HTML_ROWS]:
            cells = (t.id, t.title, t.stride, t.target, t.likelihood, t.impact,
                     " ".join(t.mitigations))
            out.append("<tr>%s</tr>" % "".join("<td>%s</td>" % html.escape(str(v))
                                              for v in cells))
        out.append("</tbody></table>")
        if len(threats) > _HTML_ROWS:
            out.append("<p>... %d more threats</p>" % (len(threats) - _HTML_ROWS))
        return "".join(out)


_DEFAULT = None
_DEFAULT_LOCK = threading.Lock()


def _fresh_default_lock():
    """In a forked child, as the owners' locks (owned.py)."""
    global _DEFAULT_LOCK
    _DEFAULT_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_fresh_default_lock)


def shared_default():
    """The bundled catalogs, loaded once per process, for analyze() without
    a catalog. Never handed to users (they could load into it)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = Catalog.default()
        return _DEFAULT


def coerce_catalog(catalog):
    """A Catalog from None (the bundled ones), itself, a path or a list of paths."""
    if catalog is None:
        return shared_default()
    if isinstance(catalog, Catalog):
        return catalog
    if isinstance(catalog, (str, bytes, os.PathLike)):
        return Catalog.load(catalog)
    if isinstance(catalog, (list, tuple)):
        cat = Catalog()
        for path in catalog:
            if not isinstance(path, (str, bytes, os.PathLike)):
                raise TypeError("catalog paths must be str or os.PathLike, not %s"
                                % type(path).__name__)
            cat.load(path)
        return cat
    raise TypeError("catalog must be a Catalog, a path or a list of paths, not %s"
                    % type(catalog).__name__)
