"""Reachability results: rows of who reaches what, explanations of one flow
and the zone matrix.

Every object here is a snapshot in plain Python values: the C result is
copied when the call returns and freed at once, so nothing keeps a pointer
into the library and a result stays valid after its network changes or is
closed.
"""

import collections.abc
import html
from dataclasses import dataclass, fields
from typing import List, Optional, Tuple

from . import enums
from ._ffi import CArgs, NONE, ffi, lib, text
from .display import html_table, text_table
from .errors import check
from .table import Table, TableViews

__all__ = ["ReachRow", "ReachRows", "Hop", "Explanation", "ZoneFlow", "ZoneMatrix"]

_HTML_ROWS = 200  # rows a notebook shows before "... more"


def _pandas(what):
    try:
        import pandas
    except ImportError as exc:
        raise ImportError("%s needs pandas: pip install pandas" % what) from exc
    return pandas


class _Names:
    """Element ids by index, looked up once each while converting a result."""

    def __init__(self, p, spec, version, get):
        self._p, self._spec, self._version, self._get = p, spec, version, get
        self._cache = {}

    def __call__(self, index):
        if index == NONE:
            return None
        name = self._cache.get(index)
        if name is None:
            c = ffi.new(self._spec)
            c.version = self._version
            check(self._get(self._p, index, c))
            name = self._cache[index] = text(c.id)
        return name


def node_names(p):
    return _Names(p, "iotnet_node_spec *", lib.IOTNET_NODE_SPEC_VERSION, lib.iotnet_node_get)


def zone_names(p):
    return _Names(p, "iotnet_zone_spec *", lib.IOTNET_ZONE_SPEC_VERSION, lib.iotnet_zone_get)


def conduit_names(p):
    return _Names(p, "iotnet_conduit_spec *", lib.IOTNET_CONDUIT_SPEC_VERSION,
                  lib.iotnet_conduit_get)


def _protocol(value):
    return enums.name_of(lib.IOTNET_ENUM_PROTOCOL, value)


# ---- reach --------------------------------------------------------------------


@dataclass(frozen=True)
class ReachRow:
    """One destination service and how the source reaches it.

    source: the node the best path starts at (the first internet node when
    asked from "internet"); service: the destination's service name, or None
    for a flow to an undeclared port or the host row of a reply-only or
    unreachable destination; protocol: "tcp", "udp", "icmp", "sctp" or "any";
    port: the destination port at the destination (None when it has none);
    exposure: "direct", "port-forward", "pinhole", "hole-punchable",
    "reply-only" or "none"; entry_node and entry_port: where the source
    sends to (a NAT for forwards and pinholes); via: the port forward's
    name or None; path: node ids from source to destination (empty for none).
    """
    source: str
    destination: str
    service: Optional[str]
    protocol: str
    port: Optional[int]
    exposure: str
    entry_node: Optional[str]
    entry_port: Optional[int]
    via: Optional[str]
    path: Tuple[str, ...]

    @property
    def flow(self):
        """The flow as text: "tcp/443", "icmp", or "any" for a host row."""
        return self.protocol if self.port is None else "%s/%d" % (self.protocol, self.port)

    def to_dict(self):
        return {name: getattr(self, name) for name in REACH_COLUMNS}


REACH_COLUMNS = [f.name for f in fields(ReachRow)]


def _reach_row(c, names):
    return ReachRow(
        source=names(c.source),
        destination=names(c.destination),
        service=text(c.service),
        protocol=_protocol(c.protocol),
        port=c.port or None,
        exposure=enums.name_of(lib.IOTNET_ENUM_EXPOSURE, c.exposure),
        entry_node=names(c.entry_node),
        entry_port=c.entry_port or None,
        via=text(c.via),
        path=tuple(names(c.path[i]) for i in range(c.path_length)),
    )


def compute_reach(p, src, dst, service, include_unreachable):
    """The rows of iotnet_reach() as ReachRow objects (the C result freed)."""
    args = CArgs()
    c_src = args.string(src, "src")
    c_dst = args.string(dst, "dst", optional=True)
    c_service = args.string(service, "service", optional=True)
    opts = args.new("iotnet_reach_options *")
    opts.version = lib.IOTNET_REACH_OPTIONS_VERSION
    setattr(opts, "from", c_src)  # a keyword in Python
    opts.to = c_dst
    opts.service = c_service
    opts.include_unreachable = include_unreachable
    out = ffi.new("iotnet_reach_result **")
    check(lib.iotnet_reach(out, p, opts))
    result = out[0]
    try:
        names = node_names(p)
        rows = []
        c = ffi.new("iotnet_reach_row *")
        for i in range(lib.iotnet_reach_count(result)):
            c.version = lib.IOTNET_REACH_ROW_VERSION
            check(lib.iotnet_reach_get(result, i, c))
            rows.append(_reach_row(c, names))
        return rows
    finally:
        lib.iotnet_reach_result_free(result)


class ReachRows(TableViews, collections.abc.Sequence):
    """What a source can reach: a sequence of ReachRow, ordered by
    destination, then protocol and port. A snapshot: it does not follow
    later changes to the network."""

    __slots__ = ("_rows", "query", "model")

    def __init__(self, rows, query=None, model=None):
        self._rows = list(rows)
        #: what was asked: {"src", "dst", "service", "include_unreachable"}
        self.query = dict(query or {})
        #: the name of the model the rows come from, for tables (or None)
        self.model = model

    def __len__(self):
        return len(self._rows)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return ReachRows(self._rows[i], self.query, self.model)
        return self._rows[i]

    def __iter__(self):
        return iter(self._rows)

    def __eq__(self, other):
        if isinstance(other, ReachRows):
            return self._rows == other._rows
        if isinstance(other, collections.abc.Sequence) and not isinstance(other, str):
            return self._rows == list(other)
        return NotImplemented

    __hash__ = None

    def to_records(self):
        """A list of dicts, one per row (path as a tuple of ids)."""
        return [row.to_dict() for row in self._rows]

    def to_table(self, **options):
        """An exposure Table of these rows (options: columns, sort, group,
        anchor, title, description)."""
        return Table.exposure(self, **options)

    def to_dataframe(self):
        """A pandas DataFrame with one row per ReachRow (needs pandas); port
        and entry_port are nullable integers."""
        pandas = _pandas("to_dataframe()")
        frame = pandas.DataFrame.from_records([tuple(getattr(r, c) for c in REACH_COLUMNS)
                                               for r in self._rows], columns=REACH_COLUMNS)
        for column in ("port", "entry_port"):  # whole numbers, <NA> where there is none
            frame[column] = frame[column].astype("Int64")
        return frame

    def _cells(self, rows):
        return [(r.source, r.destination, r.service, r.flow, r.exposure,
                 _entry(r), r.via, " > ".join(r.path)) for r in rows]

    _HEADER = ["source", "destination", "service", "flow", "exposure", "entry", "via", "path"]

    def __repr__(self):
        what = self._describe()
        if not self._rows:
            return "<ReachRows%s: none>" % what
        shown = self._rows[:20]
        more = "\n... %d more rows" % (len(self._rows) - 20) if len(self._rows) > 20 else ""
        return "<ReachRows%s: %d rows>\n%s%s" % (what, len(self._rows),
                                                 text_table(self._HEADER, self._cells(shown)),
                                                 more)

    def _describe(self):
        q = self.query
        if not q:
            return ""
        parts = [" from %s" % q.get("src")]
        if q.get("dst"):
            parts.append(" to %s" % q["dst"])
        if q.get("service"):
            parts.append(" on %s" % q["service"])
        return "".join(parts)

    def _repr_html_(self):
        return html_table(self._HEADER, self._cells(self._rows[:_HTML_ROWS]), len(self._rows))


def _entry(row):
    if row.entry_node is None:
        return None
    if row.entry_port is None:
        return row.entry_node
    return "%s:%d" % (row.entry_node, row.entry_port)


# ---- explanations -------------------------------------------------------------


@dataclass(frozen=True)
class Hop:
    """One decision on an explained path: the node, the layer that decided
    ("transit", "firewall", "nat", "mud"), the action ("accept", "drop",
    "reject"), the rule, port forward or MUD entry ("acl/ace") that decided
    (None for a default action or NAT state) and a line for a reader."""
    node: str
    layer: str
    action: str
    rule: Optional[str]
    detail: str

    def to_dict(self):
        return {name: getattr(self, name) for name in HOP_COLUMNS}


HOP_COLUMNS = [f.name for f in fields(Hop)]


class Explanation:
    """How one flow goes, or where it stops: the exposure class, the path
    explained (the best one, or the one that got furthest when the flow is
    impossible) and each decision on it."""

    __slots__ = ("source", "destination", "service", "exposure", "path", "hops")

    def __init__(self, source, destination, service, exposure, path, hops):
        self.source = source
        self.destination = destination
        self.service = service
        self.exposure = exposure
        self.path = tuple(path)
        self.hops = list(hops)

    @property
    def reachable(self):
        """Whether the flow can be opened (its class is not "none")."""
        return self.exposure != "none"

    def to_records(self):
        return [hop.to_dict() for hop in self.hops]

    def to_dataframe(self):
        """One row per hop: node, layer, action, rule, detail (needs pandas)."""
        pandas = _pandas("to_dataframe()")
        return pandas.DataFrame(self.to_records(), columns=HOP_COLUMNS)

    def _headline(self):
        return "%s -> %s %s: %s" % (self.source, self.destination, self.service, self.exposure)

    def __str__(self):
        lines = [self._headline()]
        lines.append("path: %s" % (" > ".join(self.path) if self.path else "none"))
        if self.hops:
            lines.append(text_table(HOP_COLUMNS,
                                     [(h.node, h.layer, h.action, h.rule, h.detail)
                                      for h in self.hops]))
        return "\n".join(lines)

    def __repr__(self):
        return "<Explanation %s, %d hops>" % (self._headline(), len(self.hops))

    def _repr_html_(self):
        return "<p>%s<br>path: %s</p>%s" % (
            html.escape(self._headline()), html.escape(" > ".join(self.path) or "none"),
            html_table(HOP_COLUMNS, [(h.node, h.layer, h.action, h.rule, h.detail)
                                      for h in self.hops], len(self.hops)))


def compute_explanation(p, src, dst, service):
    args = CArgs()
    c_src = args.string(src, "src")
    c_dst = args.string(dst, "dst")
    c_service = args.string(service, "service")
    out = ffi.new("iotnet_explanation **")
    check(lib.iotnet_explain(out, p, c_src, c_dst, c_service))
    ex = out[0]
    try:
        names = node_names(p)
        length = ffi.new("size_t *")
        path = lib.iotnet_explanation_path(ex, length)
        hops = []
        c = ffi.new("iotnet_hop *")
        for i in range(lib.iotnet_explanation_hop_count(ex)):
            c.version = lib.IOTNET_HOP_VERSION
            check(lib.iotnet_explanation_hop(ex, i, c))
            hops.append(Hop(names(c.node), enums.name_of(lib.IOTNET_ENUM_LAYER, c.layer),
                            enums.name_of(lib.IOTNET_ENUM_ACTION, c.action), text(c.rule),
                            text(c.detail) or ""))
        return Explanation(src, dst, service,
                           enums.name_of(lib.IOTNET_ENUM_EXPOSURE,
                                         lib.iotnet_explanation_exposure(ex)),
                           [names(path[i]) for i in range(length[0])], hops)
    finally:
        lib.iotnet_explanation_free(ex)


# ---- zone matrix --------------------------------------------------------------


@dataclass(frozen=True)
class ZoneFlow:
    """What one zone can open towards another: services ("tcp/80"...) that
    nodes of to_zone declare and some node of from_zone reaches, the subset
    no conduit covers (violations), and a conduit between them (id or None)."""
    from_zone: str
    to_zone: str
    services: List[str]
    violations: List[str]
    conduit: Optional[str]

    def to_dict(self):
        return {"from_zone": self.from_zone, "to_zone": self.to_zone,
                "services": list(self.services), "violations": list(self.violations),
                "conduit": self.conduit}


ZONE_COLUMNS = [f.name for f in fields(ZoneFlow)]


class ZoneMatrix(TableViews, collections.abc.Sequence):
    """The zone matrix: one ZoneFlow per ordered pair of distinct zones with
    a reachable service. A snapshot of the network when it was computed."""

    __slots__ = ("_rows", "zones", "model")

    def __init__(self, rows, zones=(), model=None):
        self._rows = list(rows)
        #: every zone id of the network, in table order
        self.zones = list(zones)
        #: the name of the model, for tables (or None)
        self.model = model

    def __len__(self):
        return len(self._rows)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return ZoneMatrix(self._rows[i], self.zones, self.model)
        return self._rows[i]

    def __iter__(self):
        return iter(self._rows)

    @property
    def violations(self):
        """The rows with services that no conduit covers."""
        return [row for row in self._rows if row.violations]

    def get(self, from_zone, to_zone, default=None):
        """The ZoneFlow from one zone to another, or default."""
        for row in self._rows:
            if row.from_zone == from_zone and row.to_zone == to_zone:
                return row
        return default

    def to_records(self):
        return [row.to_dict() for row in self._rows]

    def to_table(self, **options):
        """A zones Table of this matrix (options: columns, sort, group,
        anchor, title, description)."""
        return Table.zones(self, **options)

    def to_dataframe(self):
        """One row per zone pair (needs pandas)."""
        pandas = _pandas("to_dataframe()")
        return pandas.DataFrame(self.to_records(), columns=ZONE_COLUMNS)

    def pivot(self, what="services"):
        """A from-zone x to-zone DataFrame over every zone whose cells are
        the services ("tcp/80 tcp/443") one zone opens towards the other, ""
        for none; what="violations" shows the uncovered services instead."""
        if what not in ("services", "violations"):
            raise ValueError("what must be 'services' or 'violations', not %r" % (what,))
        pandas = _pandas("pivot()")
        zones = list(self.zones)
        for row in self._rows:
            for z in (row.from_zone, row.to_zone):
                if z not in zones:
                    zones.append(z)
        frame = pandas.DataFrame("", index=pandas.Index(zones, name="from"),
                                 columns=pandas.Index(zones, name="to"), dtype=object)
        for row in self._rows:
            frame.loc[row.from_zone, row.to_zone] = " ".join(getattr(row, what))
        return frame

    _HEADER = ["from", "to", "services", "violations", "conduit"]

    def _cells(self, rows):
        return [(r.from_zone, r.to_zone, " ".join(r.services) or None,
                 " ".join(r.violations) or None, r.conduit) for r in rows]

    def __repr__(self):
        if not self._rows:
            return "<ZoneMatrix: no flows between zones>"
        return "<ZoneMatrix: %d zone %s, %d with violations>\n%s" % (
            len(self._rows), "pair" if len(self._rows) == 1 else "pairs", len(self.violations),
            text_table(self._HEADER, self._cells(self._rows)))

    def _repr_html_(self):
        return html_table(self._HEADER, self._cells(self._rows[:_HTML_ROWS]), len(self._rows))


def compute_zone_matrix(p):
    out = ffi.new("iotnet_zone_matrix **")
    check(lib.iotnet_zone_matrix_compute(out, p))
    m = out[0]
    try:
        zones, conduits = zone_names(p), conduit_names(p)
        rows = []
        c = ffi.new("iotnet_zone_flow *")
        for i in range(lib.iotnet_zone_matrix_count(m)):
            c.version = lib.IOTNET_ZONE_FLOW_VERSION
            check(lib.iotnet_zone_matrix_get(m, i, c))
            rows.append(ZoneFlow(zones(c.from_zone), zones(c.to_zone),
                                 (text(c.services) or "").split(),
                                 (text(c.violations) or "").split(), conduits(c.conduit)))
    finally:
        lib.iotnet_zone_matrix_free(m)
    all_zones, prev = [], NONE
    while True:
        prev = lib.iotnet_zone_next(p, prev)
        if prev == NONE:
            break
        all_zones.append(zones(prev))
    return ZoneMatrix(rows, all_zones, text(lib.iotnet_net_name(p)))
