"""net.compliance(): the bundled catalogs mapped to ISO/IEC 27001:2022 Annex A
on the home network, the statement of applicability, what-if questions,
IEC 62443 zone levels on the plant, and misuse."""

import csv
import datetime
import io

import pytest

import iotnet

NOW = datetime.date(2026, 12, 1)
STATUSES = {"addressed", "partially-addressed", "gap", "not-applicable", "not-assessed"}


@pytest.fixture(scope="module")
def home(home_model):
    with iotnet.load(home_model) as net:
        yield net.compliance("iso27001-2022", now=NOW), net.analyze(now=NOW)


@pytest.fixture(scope="module")
def annex_a_ids():
    return [c.id for c in iotnet.Catalog.default().controls if c.framework == "iso27001-2022"]


def test_every_annex_a_control_is_listed_once(home, annex_a_ids):
    c, _ = home
    assert len(annex_a_ids) == 93
    assert [row.id for row in c] == annex_a_ids
    assert sum(c.summary().values()) == 93
    assert {row.status for row in c} <= STATUSES
    # controls no mitigation evidences are listed, with a reason a reader understands
    policy = c["A.5.1"]
    assert policy.status == "not-assessed"
    assert "outside what a network model shows" in policy.reason


def test_a_control_by_annex_id_and_its_evidence(home):
    c, findings = home
    row = c["A.8.20"]
    assert row is c["8.20"] and "A.8.20" in c
    assert row.group == "Technological"
    assert "iotnet:upnp-off" in row.mitigations
    assert row.evidence and all(e.mitigation in row.mitigations for e in row.evidence)
    # the findings behind it are the analysis' own, with the same status
    for f in row.findings:
        assert findings[f.id].status == f.status
        assert set(f.mitigations) <= set(findings[f.id].mitigations)
    assert row.open_findings == tuple(f.id for f in row.findings if f.status == "open")
    with pytest.raises(iotnet.NotFoundError):
        c["A.9.99"]
    with pytest.raises(KeyError):
        c["9.99"]


def test_accepted_findings_name_who_accepted_them(home):
    c, findings = home
    accepted = [f for row in c for f in row.findings if f.status == "accepted"]
    assert accepted, "the home network's sprinkler acceptance is in force on %s" % NOW
    assert all(f.accepted_by and f.accepted_reason for f in accepted)
    assert {f.id for f in accepted} <= {f.id for f in findings.accepted}


def test_statuses_follow_the_rules(home):
    c, _ = home
    for row in c:
        has_open = bool(row.open_findings)
        in_evidence = bool(row.evidence)
        if not row.mitigations:
            assert row.status == "not-assessed"
        elif has_open:
            assert row.status == ("partially-addressed" if in_evidence else "gap"), row.id
        else:
            assert row.status == ("addressed" if in_evidence else "not-applicable"), row.id
    assert {r.status for r in c.gaps()} <= {"gap", "partially-addressed"}
    assert len(c.gaps()) == c.summary()["gap"] + c.summary()["partially-addressed"]


def test_statement_of_applicability_lists_exactly_the_bundled_controls(home, annex_a_ids):
    c, _ = home
    text = c.statement_of_applicability()
    assert text.endswith("\r\n")
    assert all(line.endswith("\r") for line in text.split("\n")[:-1])  # CRLF (RFC 4180)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["control", "title", "theme", "applicable", "justification",
                       "implementation_status", "evidence", "open_findings"]
    body = rows[1:]
    assert [r[0] for r in body] == ["A." + i for i in annex_a_ids]
    for r in body:
        row = c[r[0]]
        assert r[3] == ("no" if row.status == "not-applicable" else "yes")
        assert r[4]  # every inclusion or exclusion is justified
        assert r[7].split() == list(row.open_findings)
    frame = c.statement_of_applicability(as_dataframe=True)
    assert list(frame["control"]) == ["A." + i for i in annex_a_ids]


def test_to_dataframe_starts_with_the_control_id(home):
    c, _ = home
    frame = c.to_dataframe()
    assert frame.columns[0] == "id"
    assert len(frame) == 93
    assert "<table>" in c._repr_html_()
    assert repr(c).startswith("<Compliance iso27001-2022: 93 controls")


def test_what_if_turns_a_gap_into_addressed(home_model, home):
    c, _ = home
    gap = next(row for row in c if row.status == "gap")
    with iotnet.load(home_model) as net:
        after = net.compliance("iso27001-2022", assume=list(gap.mitigations), now=NOW)
    row = after[gap.id]
    assert row.status == "addressed", row.reason
    assert row.evidence and all(e.assumed for e in row.evidence)
    assert after.summary()["gap"] < c.summary()["gap"]


def test_what_if_on_one_target(full_net):
    """A candidate mitigation assumed on the target of one open finding."""
    net = full_net
    before = net.compliance("iso27001-2022")
    target_rows = [row for row in before if row.open_findings]
    assert target_rows
    row = target_rows[0]
    finding = next(f for f in row.findings if f.status == "open")
    threat = iotnet.Catalog.default().threat(finding.threat)
    mitigation = next(m for m in threat.mitigations if m in row.mitigations)
    after = net.compliance("iso27001-2022", assume=["%s@%s" % (mitigation, finding.target)])
    moved = next(f for f in after[row.id].findings if f.id == finding.id)
    assert moved.status == "mitigated" and mitigation in moved.mitigations


def test_zone_levels_on_the_plant(models_dir):
    with iotnet.load(models_dir / "topologies" / "plant.xml") as plant:
        c = plant.compliance("iec62443-3-3", now=NOW)
        assert plant.compliance("iso27001-2022", now=NOW).zone_levels() == []
    levels = c.zone_levels()
    zones = {z.zone for z in levels}
    assert zones and len(levels) == 7 * len(zones)
    assert {z.fr for z in levels} == set(range(1, 8))
    assert all(z.gap == (z.target > 0 and z.achieved < z.target) for z in levels)
    assert any(z.gap for z in levels) and any(z.target and not z.gap for z in levels)
    assert all(lim.startswith("SR") for z in levels for lim in z.limiting)
    frame = c.zone_levels(as_dataframe=True)
    assert list(frame.columns[:4]) == ["zone", "fr", "target", "achieved"]
    assert c["SR1.2"].min_sl == 2 and c["SR 1.1"].min_sl == 1
    with pytest.raises(ValueError, match="ISO/IEC 27001"):
        c.statement_of_applicability()


def test_misuse(net):
    with pytest.raises(iotnet.InvalidArgumentError, match="known: .*iso27001-2022"):
        net.compliance("iso27001")
    with pytest.raises(TypeError):
        net.compliance(27001)
    with pytest.raises(iotnet.InvalidArgumentError, match="no mitigation"):
        net.compliance("nistir8259a", assume=["no-such-mitigation"])
    with pytest.raises(TypeError):
        net.compliance("nistir8259a", now="2026-12-01")
    c = net.compliance("nistir8259a")
    with pytest.raises(TypeError):
        c.get(5)
    with pytest.raises(ValueError, match="unknown status"):
        c.filter(status="done")
    net.close()
    with pytest.raises(iotnet.ClosedError):
        net.compliance("nistir8259a")
    assert len(c) == 6  # the result outlives the network
