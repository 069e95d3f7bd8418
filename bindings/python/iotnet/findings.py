"""Findings: a catalog evaluated against a network.

    findings = net.analyze()                     # the bundled catalogs
    findings.summary()                           # {"open": 9, "mitigated": 4, ...}
    findings.open.to_dataframe()                 # sorted by residual risk
    findings.what_if("upnp-off", "home-router")  # what that would change
    net.accept_risk("iotnet:hole-punchable@cam-garden", by="owner",
                    reason="vendor P2P needed", until=datetime.date(2027, 6, 30))

A finding's id is "threat@target" ("iotnet:upnp-pinhole@cam-garden/rtsp");
its status is "open", "mitigated" (a candidate mitigation is present, or
assumed), "accepted" (a risk decision in the model accepts it, until a date
not yet passed) or "not-applicable" (asked for with
include_not_applicable=True). Risk is likelihood x impact (1..25); residual
risk counts the present mitigations' effects.

Findings are snapshots in plain Python values: the C result is copied and
freed when analyze() returns, so they stay valid after the network changes
or is closed.
"""

import collections.abc
import contextlib
import datetime
import html
from dataclasses import dataclass, fields
from typing import Optional, Tuple

from . import enums
from ._ffi import CArgs, boolean, ffi, lib, text
from .display import html_table, text_table
from .errors import InvalidArgumentError, NotFoundError, check
from .table import Table, TableViews
from .values import date_to_seconds, seconds_to_date

__all__ = ["Finding", "Findings", "Change", "Comparison", "RiskDecision"]

STATUSES = ("open", "mitigated", "accepted", "not-applicable")
_HTML_ROWS = 200


def _pandas(what):
    try:
        import pandas
    except ImportError as exc:
        raise ImportError("%s needs pandas: pip install pandas" % what) from exc
    return pandas


def _time_or_none(seconds):
    return None if seconds == lib.IOTNET_TIME_UNSET else seconds_to_date(seconds)


def time_to_c(value, what):
    """Seconds since the epoch for a datetime or date (None: unset)."""
    if value is None:
        return lib.IOTNET_TIME_UNSET
    if not isinstance(value, (datetime.datetime, datetime.date)):
        raise TypeError("%s must be a datetime or date, not %s" % (what, type(value).__name__))
    return date_to_seconds(value, what)


def _words(ptr):
    value = text(ptr)
    return tuple(value.split()) if value else ()


# ---- one finding -------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One threat on one target.

    id: "threat@target"; threat: the namespaced threat id; title: the
    threat's title; target_kind: "node", "link", "service" (target
    "node/service"), "zone" or "conduit"; status: "open", "mitigated",
    "accepted" or "not-applicable"; likelihood, impact and inherent_risk:
    the threat's; residual_likelihood, residual_impact and residual_risk:
    with the present mitigations' effects (the inherent values for open and
    accepted findings); mitigations: the ids of the mitigations present or
    assumed; accepted_by, accepted_reason and accepted_until: the risk
    decision of an accepted finding (accepted_until a UTC datetime, or None
    for no end); evidence: the facts that made the threat apply.
    """
    id: str
    threat: str
    title: Optional[str]
    target_kind: str
    target: str
    status: str
    likelihood: int
    impact: int
    inherent_risk: int
    residual_likelihood: int
    residual_impact: int
    residual_risk: int
    mitigations: Tuple[str, ...]
    accepted_by: Optional[str]
    accepted_reason: Optional[str]
    accepted_until: Optional[datetime.datetime]
    evidence: Optional[str]

    @property
    def is_open(self):
        return self.status == "open"

    def to_dict(self):
        return {name: (list(v) if isinstance(v, tuple) else v)
                for name, v in ((n, getattr(self, n)) for n in FINDING_COLUMNS)}


FINDING_COLUMNS = [f.name for f in fields(Finding)]
_TABLE = ["residual_risk", "status", "threat", "target", "inherent_risk", "mitigations"]


def _finding(c, titles):
    threat = text(c.threat)
    return Finding(
        id=text(c.id),
        threat=threat,
        title=titles.get(threat),
        target_kind=enums.name_of(lib.IOTNET_ENUM_TARGET, c.target_kind),
        target=text(c.target),
        status=enums.name_of(lib.IOTNET_ENUM_FINDING_STATUS, c.status),
        likelihood=int(c.likelihood),
        impact=int(c.impact),
        inherent_risk=int(c.inherent_risk),
        residual_likelihood=int(c.residual_likelihood),
        residual_impact=int(c.residual_impact),
        residual_risk=int(c.residual_risk),
        mitigations=_words(c.mitigations),
        accepted_by=text(c.accepted_by),
        accepted_reason=text(c.accepted_reason),
        accepted_until=_time_or_none(c.accepted_until),
        evidence=text(c.evidence),
    )


# ---- assumptions -------------------------------------------------------------------


def _assumption(mitigation, target, what):
    from .views import id_of
    if not isinstance(mitigation, str):
        raise TypeError("%s: the mitigation must be an id (str), not %s"
                        % (what, type(mitigation).__name__))
    if not mitigation:
        raise ValueError("%s: the mitigation id is empty" % what)
    if target is not None:
        target = id_of(target, what + " target")
    return (mitigation, target)


def assumptions(assume):
    """[(mitigation, target or None)] from the forms analyze() accepts:
    pairs, "MITIGATION" or "MITIGATION@TARGET" strings, or a dict
    {mitigation: target, None (everywhere) or a list of targets}."""
    if assume is None:
        return []
    if isinstance(assume, str):
        assume = [assume]
    if isinstance(assume, collections.abc.Mapping):
        out = []
        for mitigation, targets in assume.items():
            if targets is None or isinstance(targets, str) or not isinstance(
                    targets, collections.abc.Iterable):
                targets = [targets]
            for target in targets:
                out.append(_assumption(mitigation, target, "assume[%r]" % (mitigation,)))
        return out
    if not isinstance(assume, collections.abc.Iterable):
        raise TypeError("assume must be (mitigation, target) pairs, strings or a dict, not %s"
                        % type(assume).__name__)
    out = []
    for item in assume:
        if isinstance(item, str):
            mitigation, at, target = item.partition("@")
            out.append(_assumption(mitigation, target if at else None, "assume %r" % item))
        elif isinstance(item, (tuple, list)) and len(item) == 2:
            out.append(_assumption(item[0], item[1], "assume %r" % (tuple(item),)))
        else:
            raise TypeError("each assumption is a (mitigation, target) pair or a "
                            "'MITIGATION[@TARGET]' string, not %r" % (item,))
    return out


# ---- evaluation -----------------------------------------------------------------------


def assumption_array(args, pairs):
    """An iotnet_assumption[] for (mitigation, target or None) pairs (NULL
    when there are none), kept alive by args."""
    if not pairs:
        return ffi.NULL
    array = args.new("iotnet_assumption[]", len(pairs))
    for i, (mitigation, target) in enumerate(pairs):
        array[i].mitigation = args.string(mitigation, "assumed mitigation")
        array[i].target = args.string(target, "assumed target", optional=True)
    return array


def analyze_c(net_ptr, cat_ptr, pairs, include_not_applicable, now):
    """iotnet_analyze(): the C findings, the caller's (iotnet_findings_free)."""
    args = CArgs()
    opts = args.new("iotnet_analyze_options *")
    opts.version = lib.IOTNET_ANALYZE_OPTIONS_VERSION
    opts.include_not_applicable = include_not_applicable
    opts.assume = assumption_array(args, pairs)
    opts.assume_count = len(pairs)
    opts.now = now
    out = ffi.new("iotnet_findings **")
    check(lib.iotnet_analyze(out, net_ptr, cat_ptr, opts))
    return out[0]


def read_findings(f, titles):
    """The C findings as Finding objects."""
    rows = []
    c = ffi.new("iotnet_finding *")
    for i in range(lib.iotnet_findings_count(f)):
        c.version = lib.IOTNET_FINDING_VERSION
        check(lib.iotnet_findings_get(f, i, c))
        rows.append(_finding(c, titles))
    return rows


def compute_findings(net_ptr, cat_ptr, pairs, include_not_applicable, now, titles):
    """The findings of iotnet_analyze() as Finding objects (the C result freed)."""
    f = analyze_c(net_ptr, cat_ptr, pairs, include_not_applicable, now)
    try:
        return read_findings(f, titles)
    finally:
        lib.iotnet_findings_free(f)


def _same(rows, again):
    key = [(f.id, f.status, f.residual_risk, f.mitigations) for f in rows]
    return key == [(f.id, f.status, f.residual_risk, f.mitigations) for f in again]


class _Query:
    """What a Findings answered: the network, the catalog and the options,
    so that what_if() can ask again with one more assumption."""

    __slots__ = ("network", "catalog", "assume", "include_not_applicable", "now", "name")

    def __init__(self, network, catalog, assume, include_not_applicable, now):
        self.network = network
        self.catalog = catalog
        self.assume = list(assume)
        self.include_not_applicable = include_not_applicable
        self.now = now
        #: the model's name when it was evaluated, for tables
        self.name = None

    def run(self, extra=()):
        titles = {t.id: t.title for t in self.catalog.threats}
        pairs = self.assume + list(extra)
        with self.network._use() as p, self.catalog._use() as c:
            rows = compute_findings(p, c, pairs, self.include_not_applicable, self.now, titles)
            decisions = read_decisions(p)
            name = text(lib.iotnet_net_name(p))
        query = _Query(self.network, self.catalog, pairs, self.include_not_applicable, self.now)
        query.name = name
        out = Findings(rows, query)
        out._decisions = decisions
        return out

    def oscal(self, rows, format, now, document_version, framework):
        """The assessment results of `rows`, evaluated again in C with the
        same options (the writer needs the library's findings), refused
        when the network no longer gives the same findings."""
        from . import oscal
        stamp = oscal.stamp(now, self.now)
        with self.network._use() as p, self.c_findings(p) as f, self.catalog._use() as c:
            if not _same(rows, read_findings(f, {})):
                raise InvalidArgumentError(
                    "the network changed since these findings were computed: analyze() again",
                    lib.IOTNET_EINVAL)
            return oscal.assessment_results(p, c, f, format, stamp, document_version, framework,
                                            self.assume)

    @contextlib.contextmanager
    def c_findings(self, net_ptr):
        """The evaluation again, as C findings for the time of a with block
        (net_ptr: the network, held by the caller)."""
        with self.catalog._use() as c:
            f = analyze_c(net_ptr, c, self.assume, self.include_not_applicable, self.now)
            try:
                yield f
            finally:
                lib.iotnet_findings_free(f)


def _query(network, catalog, assume, include_not_applicable, now):
    from .catalog import coerce_catalog, require_engine
    require_engine()
    pairs = assumptions(assume)
    include_not_applicable = boolean(include_not_applicable, "include_not_applicable")
    now = time_to_c(now, "now")
    return _Query(network, coerce_catalog(catalog), pairs, include_not_applicable, now)


def analyze(network, catalog, assume, include_not_applicable, now):
    return _query(network, catalog, assume, include_not_applicable, now).run()


def query_of(network, findings):
    """What marking `findings` on a drawing of `network` evaluates: None for
    None or False; the bundled catalogs for True; a Catalog, or a catalog
    file or directory (or a list of them), evaluated; or the evaluation a
    Findings of this network came from."""
    if findings is None or findings is False:
        return None
    if findings is True:
        return _query(network, None, (), False, None)
    if isinstance(findings, Findings):
        query = findings._query
        if query is None or query.network is not network:
            raise ValueError("findings must come from this network's analyze()")
        return query
    return _query(network, findings, (), False, None)


# ---- results ---------------------------------------------------------------------------


def _summary_text(counts):
    parts = ["%d %s" % (counts[s], s) for s in STATUSES if counts.get(s)]
    return ", ".join(parts) if parts else "none"


class Findings(TableViews, collections.abc.Sequence):
    """The findings of one evaluation, highest residual risk first (then
    threat and target id). A sequence of Finding; findings["threat@target"]
    (namespace optional) looks one up by id."""

    __slots__ = ("_rows", "_query", "_subset", "_index", "_decisions")

    def __init__(self, rows, query=None, subset=False):
        self._rows = list(rows)
        self._query = query
        self._subset = subset
        self._index = None
        self._decisions = ()

    def __len__(self):
        return len(self._rows)

    def __getitem__(self, i):
        if isinstance(i, str):
            found = self.get(i)
            if found is None:
                raise NotFoundError("no finding %r" % i)
            return found
        if isinstance(i, slice):
            return Findings(self._rows[i], self._query, True)
        return self._rows[i]

    def __iter__(self):
        return iter(self._rows)

    def __contains__(self, item):
        if isinstance(item, str):
            return self.get(item) is not None
        return item in self._rows

    def get(self, finding_id, default=None):
        """The Finding with this id ("threat@target", namespace optional), or default."""
        if not isinstance(finding_id, str):
            raise TypeError("finding id must be a str, not %s" % type(finding_id).__name__)
        if self._index is None:
            exact, bare = {}, {}
            for f in self._rows:
                exact.setdefault(f.id, f)
                if ":" in f.id:
                    bare.setdefault(f.id.split(":", 1)[1], []).append(f)
            self._index = (exact, bare)
        exact, bare = self._index
        found = exact.get(finding_id)
        if found is not None:
            return found
        loose = bare.get(finding_id, ())
        return loose[0] if len(loose) == 1 else default

    def filter(self, status=None, threat=None, target=None, target_kind=None):
        """The findings that match every criterion given: a status (or a list
        of them), a threat id (namespace optional), a target id, a target kind."""
        statuses = None
        if status is not None:
            statuses = {status} if isinstance(status, str) else set(status)
            unknown = statuses - set(STATUSES)
            if unknown:
                raise ValueError("unknown status %s (expected: %s)"
                                 % (", ".join(sorted(map(repr, unknown))), ", ".join(STATUSES)))

        def keep(f):
            return ((statuses is None or f.status in statuses)
                    and (threat is None or f.threat == threat or f.threat.endswith(":" + threat))
                    and (target is None or f.target == target)
                    and (target_kind is None or f.target_kind == target_kind))
        return Findings([f for f in self._rows if keep(f)], self._query, True)

    @property
    def open(self):
        """The open findings."""
        return self.filter(status="open")

    @property
    def mitigated(self):
        return self.filter(status="mitigated")

    @property
    def accepted(self):
        return self.filter(status="accepted")

    @property
    def not_applicable(self):
        return self.filter(status="not-applicable")

    def summary(self):
        """Counts by status: {"open": n, "mitigated": n, "accepted": n,
        "not-applicable": n}."""
        counts = dict.fromkeys(STATUSES, 0)
        for f in self._rows:
            counts[f.status] = counts.get(f.status, 0) + 1
        return counts

    @property
    def unmatched_decisions(self):
        """The model's risk decisions (when evaluated) that name no finding
        of this evaluation: a renamed threat, a removed element, a threat
        that no longer applies. They accept nothing."""
        if self._subset:
            raise ValueError("a subset of findings cannot tell which decisions match nothing")
        return [d for d in self._decisions if self.get(d.finding) is None
                or self.get(d.finding).id != d.finding]

    @property
    def total_residual_risk(self):
        """The sum of the residual risk of the open and accepted findings."""
        return sum(f.residual_risk for f in self._rows if f.status in ("open", "accepted"))

    def to_records(self):
        """One dict per finding (lists for mitigations)."""
        return [f.to_dict() for f in self._rows]

    def to_dataframe(self):
        """One row per finding, in this order (needs pandas)."""
        pandas = _pandas("to_dataframe()")
        return pandas.DataFrame(self.to_records(), columns=FINDING_COLUMNS)

    # ---- OSCAL ------------------------------------------------------------------------

    def to_oscal(self, format="json", now=None, document_version=None, framework=None):
        """These findings as NIST OSCAL 1.1.2 assessment results: "json" or
        "xml" text, or "dict" (the JSON parsed). An observation per finding,
        a risk per applicable one (open, closed when mitigated,
        deviation-approved when accepted, the decision in its risk log) and
        a finding per control with the compliance mapping's status
        (satisfied when addressed, not-satisfied when partially addressed or
        a gap), of every framework or of `framework` alone. now: the
        timestamps (a datetime or date; default the now the findings were
        evaluated at, else the clock); document_version: metadata/version
        (default "1.0"). UUIDs derive from the model's name and the finding
        ids, so the same model gives the same document but for its
        timestamps.

        The document is written from the network as it is now: raises
        InvalidArgumentError when it no longer gives these findings, and
        ValueError for a subset (filter(), a slice) or findings made by hand."""
        if self._query is None or self._subset:
            raise ValueError("OSCAL assessment results describe a whole evaluation: call to_oscal() "
                             "on the findings analyze() returned, not on a subset")
        return self._query.oscal(self._rows, format, now, document_version, framework)

    # ---- what-if --------------------------------------------------------------------

    def what_if(self, mitigation, target=None):
        """Evaluate again with one more mitigation assumed present (on
        `target`, or wherever it is a candidate when None) and compare: a
        Comparison of the findings whose status or residual risk changes.
        The network is evaluated as it is now, with this result's catalog
        and options."""
        if self._query is None:
            raise ValueError("these findings do not come from an evaluation (a slice of "
                             "them, or made by hand): use net.what_if()")
        extra = [_assumption(mitigation, target, "what_if")]
        after = self._query.run(extra)
        if self._subset:  # compare like with like: the same findings after
            ids = {f.id for f in self._rows}
            after = Findings([f for f in after if f.id in ids], after._query, True)
        return compare(self, after)

    def compare(self, other):
        """A Comparison from these findings (before) to other (after)."""
        if not isinstance(other, Findings):
            raise TypeError("can only compare with Findings, not %s" % type(other).__name__)
        return compare(self, other)

    # ---- tables for documents --------------------------------------------------------

    @property
    def model_name(self):
        """The name of the model these findings are of (None when unnamed)."""
        return self._query.name if self._query is not None else None

    def to_table(self, **options):
        """These findings as a Table (options: columns, sort, group, anchor,
        title, description); to_xml2rfc(), to_markdown() and to_draft() render it."""
        return Table.findings(self, **options)

    # ---- display ----------------------------------------------------------------------

    def _cells(self, rows):
        return [(f.residual_risk, f.status, f.threat, f.target, f.inherent_risk,
                 " ".join(f.mitigations) or None) for f in rows]

    def __repr__(self):
        head = "<Findings: %d (%s)>" % (len(self._rows), _summary_text(self.summary()))
        if not self._rows:
            return head
        shown = self._rows[:20]
        more = "\n... %d more" % (len(self._rows) - len(shown)) if len(self._rows) > 20 else ""
        return "%s\n%s%s" % (head, text_table(_TABLE, self._cells(shown)), more)

    def _repr_html_(self):
        header = ["residual", "status", "threat", "title", "target", "inherent", "mitigations",
                  "evidence"]
        rows = [(f.residual_risk, f.status, f.threat, f.title, f.target, f.inherent_risk,
                 " ".join(f.mitigations), f.evidence) for f in self._rows[:_HTML_ROWS]]
        return "<p>%d findings: %s</p>%s" % (
            len(self._rows), html.escape(_summary_text(self.summary())),
            html_table(header, rows, len(self._rows), "findings"))


# ---- comparing two evaluations ------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """How one finding differs between two evaluations: status and residual
    risk before and after (None where the finding is absent on that side)
    and the mitigations present on each side."""
    id: str
    threat: str
    title: Optional[str]
    target: str
    status_before: Optional[str]
    status_after: Optional[str]
    residual_risk_before: Optional[int]
    residual_risk_after: Optional[int]
    mitigations_before: Tuple[str, ...]
    mitigations_after: Tuple[str, ...]

    @property
    def risk_delta(self):
        """After minus before (a missing side counts as 0)."""
        return (self.residual_risk_after or 0) - (self.residual_risk_before or 0)

    def to_dict(self):
        return {name: (list(v) if isinstance(v, tuple) else v)
                for name, v in ((n, getattr(self, n)) for n in CHANGE_COLUMNS)}


CHANGE_COLUMNS = [f.name for f in fields(Change)]


def compare(before, after):
    old = {f.id: f for f in before}
    new = {f.id: f for f in after}
    changes = []
    for fid in list(old) + [k for k in new if k not in old]:
        b, a = old.get(fid), new.get(fid)
        if b is not None and a is not None and b.status == a.status \
                and b.residual_risk == a.residual_risk:
            continue
        some = b or a
        changes.append(Change(
            id=fid, threat=some.threat, title=some.title, target=some.target,
            status_before=b.status if b else None, status_after=a.status if a else None,
            residual_risk_before=b.residual_risk if b else None,
            residual_risk_after=a.residual_risk if a else None,
            mitigations_before=b.mitigations if b else (),
            mitigations_after=a.mitigations if a else ()))
    changes.sort(key=lambda c: (-(c.residual_risk_before or 0), c.threat, c.target))
    return Comparison(before, after, changes)


class Comparison(collections.abc.Sequence):
    """The findings that change between two evaluations (before -> after):
    a sequence of Change, highest risk before first. .before and .after
    are the two Findings."""

    __slots__ = ("before", "after", "_changes")

    def __init__(self, before, after, changes):
        self.before = before
        self.after = after
        self._changes = list(changes)

    def __len__(self):
        return len(self._changes)

    def __getitem__(self, i):
        return self._changes[i]

    def __iter__(self):
        return iter(self._changes)

    def summary(self):
        """{"before": counts by status, "after": counts by status}."""
        return {"before": self.before.summary(), "after": self.after.summary()}

    @property
    def risk_before(self):
        """Total residual risk of the open and accepted findings, before."""
        return self.before.total_residual_risk

    @property
    def risk_after(self):
        return self.after.total_residual_risk

    def to_records(self):
        return [c.to_dict() for c in self._changes]

    def to_dataframe(self):
        """One row per changed finding (needs pandas)."""
        pandas = _pandas("to_dataframe()")
        return pandas.DataFrame(self.to_records(), columns=CHANGE_COLUMNS)

    _HEADER = ["threat", "target", "status", "residual risk", "mitigations"]

    @staticmethod
    def _arrow(a, b):
        return "%s -> %s" % ("-" if a is None else a, "-" if b is None else b)

    def _cells(self, rows):
        return [(c.threat, c.target, self._arrow(c.status_before, c.status_after),
                 self._arrow(c.residual_risk_before, c.residual_risk_after),
                 " ".join(c.mitigations_after) or None) for c in rows]

    def _headline(self):
        return "%d %s change; open and accepted residual risk %d -> %d" % (
            len(self._changes), "finding" if len(self._changes) == 1 else "findings",
            self.risk_before, self.risk_after)

    def __repr__(self):
        if not self._changes:
            return "<Comparison: no finding changes>"
        return "<Comparison: %s>\n%s" % (self._headline(),
                                         text_table(self._HEADER, self._cells(self._changes)))

    def _repr_html_(self):
        return "<p>%s</p>%s" % (html.escape(self._headline()),
                                html_table(self._HEADER, self._cells(self._changes[:_HTML_ROWS]),
                                            len(self._changes), "changes"))


# ---- risk decisions ------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskDecision:
    """A recorded acceptance of a finding's risk: who decided, why, when
    (a UTC datetime or None) and until when (None: no end). An acceptance
    whose end has passed no longer counts: the finding is open again."""
    finding: str
    by: str
    reason: str
    decided: Optional[datetime.datetime] = None
    until: Optional[datetime.datetime] = None

    def to_dict(self):
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def to_c(self, args):
        c = args.new("iotnet_risk_decision *")
        c.version = lib.IOTNET_RISK_DECISION_VERSION
        c.finding = args.string(self.finding, "finding")
        c.by = args.string(self.by, "by")
        c.reason = args.string(self.reason, "reason")
        c.decided = time_to_c(self.decided, "decided")
        c.until = time_to_c(self.until, "until")
        return c

    @classmethod
    def from_c(cls, c):
        return cls(text(c.finding), text(c.by), text(c.reason), _time_or_none(c.decided),
                   _time_or_none(c.until))


def finding_id(value):
    """A finding id from a str or a Finding."""
    if isinstance(value, Finding):
        return value.id
    if not isinstance(value, str):
        raise TypeError("finding must be a finding id (str) or a Finding, not %s"
                        % type(value).__name__)
    return value


def read_decisions(p):
    out = []
    c = ffi.new("iotnet_risk_decision *")
    for i in range(lib.iotnet_risk_decision_count(p)):
        c.version = lib.IOTNET_RISK_DECISION_VERSION
        check(lib.iotnet_risk_decision_get(p, i, c))
        out.append(RiskDecision.from_c(c))
    return out
