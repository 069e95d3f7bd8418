"""Compliance: a model's evidence mapped to the controls of a framework.

    c = net.compliance("iso27001-2022")          # every Annex A control
    c.summary()                                  # {"addressed": 2, "gap": 4, ...}
    c.gaps().to_dataframe()                      # controls with open findings
    c["A.8.20"].findings                         # the findings behind a control
    c.statement_of_applicability()               # the SoA as RFC 4180 CSV text
    net.compliance("iec62443-3-3").zone_levels() # SL-T against SL-A per zone and FR

A control's status is "addressed" (none of the findings it would answer is
open and its mitigations are present), "partially-addressed" (some are open,
though its mitigations are present), "gap" (some are open, none of its
mitigations is present), "not-applicable" (none is open, none of its
mitigations is present) or "not-assessed" (no mitigation of the catalogs
evidences it: outside what a network model shows). libiotnet's comply.h
gives the rules and the IEC 62443 security level ones.

Results are snapshots in plain Python values: they stay valid after the
network changes or is closed.
"""

import collections.abc
import csv
import html
import io
from dataclasses import dataclass, fields
from typing import Optional, Tuple

from . import enums
from ._ffi import CArgs, ffi, lib, text
from .errors import NotFoundError, check
from .display import html_table, text_table
from .findings import _pandas, _time_or_none, _words, assumptions, time_to_c

__all__ = ["Compliance", "ControlRow", "ControlEvidence", "ControlFinding", "ZoneLevel"]

STATUSES = ("addressed", "partially-addressed", "gap", "not-applicable", "not-assessed")
_HTML_ROWS = 200


@dataclass(frozen=True)
class ControlEvidence:
    """A mitigation of the control present on a target (node,
    "node/service", link, zone or conduit id); assumed: taken as present for
    a what-if question rather than shown by the model."""
    mitigation: str
    target_kind: str
    target: str
    assumed: bool


@dataclass(frozen=True)
class ControlFinding:
    """A finding that calls for the control: its id "threat@target", status
    ("open", "mitigated", "accepted"), the control's mitigations present on
    it (empty when open, accepted or mitigated by other measures), who
    accepted it, why and until when, and its residual risk."""
    id: str
    threat: str
    target_kind: str
    target: str
    status: str
    mitigations: Tuple[str, ...]
    accepted_by: Optional[str]
    accepted_reason: Optional[str]
    accepted_until: Optional[object]
    residual_risk: int


@dataclass(frozen=True)
class ControlRow:
    """One control of the framework: id as the framework numbers it ("5.1",
    "SR 1.1"), title and group (theme or FR), status and the reason for it,
    mitigations (the catalog's mitigations that evidence it), evidence
    (ControlEvidence), findings (ControlFinding) and, for IEC 62443, min_sl
    (the lowest SL the SR is selected at; 0 when not given)."""
    id: str
    title: str
    group: Optional[str]
    status: str
    reason: str
    mitigations: Tuple[str, ...]
    evidence: Tuple[ControlEvidence, ...]
    findings: Tuple[ControlFinding, ...]
    min_sl: int

    def _with_status(self, status):
        return tuple(f.id for f in self.findings if f.status == status)

    @property
    def open_findings(self):
        """The ids of the open findings that call for it."""
        return self._with_status("open")

    @property
    def accepted_findings(self):
        return self._with_status("accepted")

    def to_dict(self):
        return {
            "id": self.id, "title": self.title, "group": self.group, "status": self.status,
            "reason": self.reason, "mitigations": list(self.mitigations),
            "evidence": ["%s@%s" % (e.mitigation, e.target) for e in self.evidence],
            "findings": len(self.findings), "open_findings": list(self.open_findings),
            "accepted_findings": list(self.accepted_findings), "min_sl": self.min_sl,
        }


CONTROL_COLUMNS = ["id", "title", "group", "status", "reason", "mitigations", "evidence",
                   "findings", "open_findings", "accepted_findings", "min_sl"]


@dataclass(frozen=True)
class ZoneLevel:
    """IEC 62443-3-3: a zone's target security level (SL-T, 0 when none is
    set) against the achieved level (SL-A) for one foundational requirement
    (fr 1..7); gap when the target is not reached; limiting: the SRs that
    hold it down."""
    zone: str
    fr: int
    target: int
    achieved: int
    gap: bool
    limiting: Tuple[str, ...]
    reason: str

    def to_dict(self):
        return {f.name: (list(getattr(self, f.name)) if f.name == "limiting" else getattr(self, f.name))
                for f in fields(self)}


LEVEL_COLUMNS = [f.name for f in fields(ZoneLevel)]


# ---- reading the C result ------------------------------------------------------------


def _each(ctype, version, count, get):
    """Each of `count` C structs read by get(k, struct), reusing one struct."""
    x = ffi.new(ctype)
    for k in range(count):
        x.version = version
        check(get(k, x))
        yield x


def _evidence(c, i, count):
    return tuple(
        ControlEvidence(text(e.mitigation), enums.name_of(lib.IOTNET_ENUM_TARGET, e.target_kind),
                        text(e.target), bool(e.assumed))
        for e in _each("iotnet_control_evidence *", lib.IOTNET_CONTROL_EVIDENCE_VERSION, count,
                       lambda k, e: lib.iotnet_compliance_evidence(c, i, k, e)))


def _findings(c, i, count):
    return tuple(
        ControlFinding(
            text(f.id), text(f.threat), enums.name_of(lib.IOTNET_ENUM_TARGET, f.target_kind), text(f.target),
            enums.name_of(lib.IOTNET_ENUM_FINDING_STATUS, f.status), _words(f.mitigations),
            text(f.accepted_by), text(f.accepted_reason), _time_or_none(f.accepted_until),
            int(f.residual_risk))
        for f in _each("iotnet_control_finding *", lib.IOTNET_CONTROL_FINDING_VERSION, count,
                       lambda k, f: lib.iotnet_compliance_finding(c, i, k, f)))


def _rows(c):
    return [
        ControlRow(
            text(r.id), text(r.title), text(r.group),
            enums.name_of(lib.IOTNET_ENUM_CONTROL_STATUS, r.status), text(r.reason),
            _words(r.mitigations), _evidence(c, i, r.evidence_count),
            _findings(c, i, r.finding_count), int(r.min_sl))
        for i, r in enumerate(_each("iotnet_control_result *", lib.IOTNET_CONTROL_RESULT_VERSION,
                                    lib.iotnet_compliance_count(c),
                                    lambda k, r: lib.iotnet_compliance_get(c, k, r)))]


def _levels(c):
    return [
        ZoneLevel(text(z.zone), int(z.fr), int(z.target), int(z.achieved), bool(z.gap),
                  _words(z.limiting), text(z.reason))
        for z in _each("iotnet_zone_level *", lib.IOTNET_ZONE_LEVEL_VERSION,
                       lib.iotnet_compliance_zone_level_count(c),
                       lambda k, z: lib.iotnet_compliance_zone_level(c, k, z))]


def _soa(c):
    if not text(lib.iotnet_compliance_framework(c)).startswith("iso27001"):
        return None
    out = ffi.new("char **")
    check(lib.iotnet_compliance_soa(c, out))
    try:
        return ffi.string(out[0]).decode("utf-8", "replace")
    finally:
        lib.iotnet_string_free(out[0])


def compute_compliance(network, catalog, framework, assume, now):
    """net.compliance(): one evaluation, mapped to the framework's controls."""
    from .catalog import coerce_catalog, require_engine
    require_engine()
    if not isinstance(framework, str):
        raise TypeError("framework must be a str such as 'iso27001-2022', not %s" % type(framework).__name__)
    pairs = assumptions(assume)
    now = time_to_c(now, "now")
    catalog = coerce_catalog(catalog)
    args = CArgs()
    opts = args.new("iotnet_compliance_options *")
    opts.version = lib.IOTNET_COMPLIANCE_OPTIONS_VERSION
    opts.findings = ffi.NULL
    opts.assume = ffi.NULL
    if pairs:
        array = args.new("iotnet_assumption[]", len(pairs))
        for i, (mitigation, target) in enumerate(pairs):
            array[i].mitigation = args.string(mitigation, "assumed mitigation")
            array[i].target = args.string(target, "assumed target", optional=True)
        opts.assume = array
    opts.assume_count = len(pairs)
    opts.now = now
    c_framework = args.string(framework, "framework")
    out = ffi.new("iotnet_compliance **")
    with network._use() as p, catalog._use() as cat:
        check(lib.iotnet_compliance_compute(out, p, cat, c_framework, opts))
    c = out[0]
    try:
        return Compliance(framework, _rows(c), _levels(c), _soa(c))
    finally:
        lib.iotnet_compliance_free(c)


# ---- the result ----------------------------------------------------------------------


def _soa_of(soa, rows):
    """The statement of applicability's header and the rows of these
    controls (its first field is the control id, "A." and the row's id)."""
    if soa is None:
        return None
    wanted = {"A." + r.id for r in rows}
    lines = list(csv.reader(io.StringIO(soa, newline="")))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(lines[0])
    writer.writerows(line for line in lines[1:] if line and line[0] in wanted)
    return out.getvalue()


def _summary_text(counts):
    parts = ["%d %s" % (counts[s], s) for s in STATUSES if counts.get(s)]
    return ", ".join(parts) if parts else "none"


class Compliance(collections.abc.Sequence):
    """The controls of one framework with their status and evidence, in
    catalog order: a sequence of ControlRow. compliance["8.20"] looks a
    control up by id (spaces do not matter; for ISO/IEC 27001 "A.8.20" works
    too)."""

    __slots__ = ("framework", "_rows", "_levels", "_soa")

    def __init__(self, framework, rows, levels=(), soa=None):
        self.framework = framework
        self._rows = list(rows)
        self._levels = list(levels)
        self._soa = soa

    def __len__(self):
        return len(self._rows)

    def _key(self, control_id):
        key = control_id.replace(" ", "")
        if self.framework.startswith("iso27001") and key[:2] in ("A.", "a."):
            key = key[2:]
        return key

    def get(self, control_id, default=None):
        """The ControlRow with this id, or default."""
        if not isinstance(control_id, str):
            raise TypeError("control id must be a str, not %s" % type(control_id).__name__)
        key = self._key(control_id)
        for row in self._rows:
            if row.id.replace(" ", "") == key:
                return row
        return default

    def __getitem__(self, i):
        if isinstance(i, str):
            row = self.get(i)
            if row is None:
                raise NotFoundError("no control %r in %s" % (i, self.framework))
            return row
        if isinstance(i, slice):
            return self._subset(self._rows[i])
        return self._rows[i]

    def _subset(self, rows):
        """A Compliance of some of these controls, with the statement of
        applicability of those controls only."""
        return Compliance(self.framework, rows, self._levels, _soa_of(self._soa, rows))

    def __iter__(self):
        return iter(self._rows)

    def __contains__(self, item):
        if isinstance(item, str):
            return self.get(item) is not None
        return item in self._rows

    def filter(self, status=None, group=None):
        """The controls with this status (or one of a list of them) and/or group."""
        statuses = None
        if status is not None:
            statuses = {status} if isinstance(status, str) else set(status)
            unknown = statuses - set(STATUSES)
            if unknown:
                raise ValueError("unknown status %s (expected: %s)"
                                 % (", ".join(sorted(map(repr, unknown))), ", ".join(STATUSES)))
        if group is not None and not isinstance(group, str):
            raise TypeError("group must be a str such as 'Technological', not %s" % type(group).__name__)
        rows = [r for r in self._rows if (statuses is None or r.status in statuses)
                and (group is None or r.group == group)]
        return self._subset(rows)

    def gaps(self):
        """The controls that findings they would answer are open for: gaps
        and partially addressed ones (what makes `iotnet compliance` exit 1)."""
        return self.filter(status=("gap", "partially-addressed"))

    def summary(self):
        """Counts by status: {"addressed": n, "partially-addressed": n, "gap": n,
        "not-applicable": n, "not-assessed": n}."""
        counts = dict.fromkeys(STATUSES, 0)
        for r in self._rows:
            counts[r.status] = counts.get(r.status, 0) + 1
        return counts

    def to_records(self):
        return [r.to_dict() for r in self._rows]

    def to_dataframe(self):
        """One row per control, the control id first (needs pandas)."""
        pandas = _pandas("to_dataframe()")
        return pandas.DataFrame(self.to_records(), columns=CONTROL_COLUMNS)

    def statement_of_applicability(self, as_dataframe=False):
        """The ISO/IEC 27001:2022 statement of applicability: RFC 4180 CSV
        text (a header row, one row per Annex A control: control "A.5.1",
        title, theme, applicable, justification, implementation_status,
        evidence, open_findings), or that table as a DataFrame. Only for an
        iso27001-2022 result (ValueError otherwise)."""
        if self._soa is None:
            raise ValueError("a statement of applicability is for ISO/IEC 27001 (iso27001-2022), not %s"
                             % self.framework)
        if not as_dataframe:
            return self._soa
        pandas = _pandas("statement_of_applicability(as_dataframe=True)")
        return pandas.read_csv(io.StringIO(self._soa), dtype=str, keep_default_na=False)

    def zone_levels(self, as_dataframe=False):
        """IEC 62443-3-3: per zone with a target and FR 1..7, the target
        security level against the achieved one (ZoneLevel objects, or a
        DataFrame). Empty for other frameworks."""
        if not as_dataframe:
            return list(self._levels)
        pandas = _pandas("zone_levels(as_dataframe=True)")
        return pandas.DataFrame([z.to_dict() for z in self._levels], columns=LEVEL_COLUMNS)

    # ---- display ----------------------------------------------------------------------

    _HEADER = ["id", "status", "open", "evidence", "title"]

    def _cells(self, rows):
        return [(r.id, r.status, "%d/%d" % (len(r.open_findings), len(r.findings)), len(r.evidence), r.title)
                for r in rows]

    def __repr__(self):
        head = "<Compliance %s: %d controls (%s)>" % (self.framework, len(self._rows),
                                                      _summary_text(self.summary()))
        if not self._rows:
            return head
        return "%s\n%s" % (head, text_table(self._HEADER, self._cells(self._rows)))

    def _repr_html_(self):
        header = ["id", "title", "group", "status", "open / findings", "evidence", "reason"]
        rows = [(r.id, r.title, r.group, r.status, "%d / %d" % (len(r.open_findings), len(r.findings)),
                 len(r.evidence), r.reason) for r in self._rows[:_HTML_ROWS]]
        out = "<p>%s: %d controls: %s</p>%s" % (
            html.escape(self.framework), len(self._rows), html.escape(_summary_text(self.summary())),
            html_table(header, rows, len(self._rows), "controls"))
        if self._levels:
            lv = [(z.zone, z.fr, z.target, z.achieved, "yes" if z.gap else "no", " ".join(z.limiting))
                  for z in self._levels]
            out += "<p>Security levels by zone and FR</p>" + html_table(
                ["zone", "FR", "target", "achieved", "gap", "limiting"], lv, len(lv))
        return out
