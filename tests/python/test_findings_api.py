"""Evaluating a catalog from Python: findings on the lab network (see
conftest.py for the network, the catalog and the findings worked out by
hand), what-if assumptions, comparisons and risk decisions."""

import datetime
import gc

import pytest

import iotnet
from conftest import LAB_NOW, build_lab_network

UTC = datetime.timezone.utc

pytestmark = pytest.mark.skipif(not iotnet.catalog.has_engine(),
                                reason="this build has no threat evaluation")

#: (id, status, inherent, residual) on the lab network at LAB_NOW, in order
EXPECTED = [
    ("lab:forwarded-service@cam/web", "open", 25, 25),
    ("lab:unauthenticated@plug/telnet", "open", 20, 20),
    ("lab:default-password@cam/web", "open", 16, 16),
    ("lab:nat-only@router", "open", 12, 12),
    ("lab:camera-without-mud@cam", "open", 9, 9),
    ("lab:certificate-expiring@cam", "open", 6, 6),
]


@pytest.fixture
def lab_catalog(lab_files):
    cat = iotnet.Catalog.load(lab_files["dir"])
    yield cat
    cat.close()


def rows(findings):
    return [(f.id, f.status, f.inherent_risk, f.residual_risk) for f in findings]


def analyze(net, cat, **kwargs):
    kwargs.setdefault("now", LAB_NOW)
    return net.analyze(cat, **kwargs)


# ---- the findings ----------------------------------------------------------------------


def test_findings_of_the_lab(lab_net, lab_catalog):
    found = analyze(lab_net, lab_catalog)
    assert rows(found) == EXPECTED
    assert isinstance(found, iotnet.Findings) and len(found) == 6
    assert found.summary() == {"open": 6, "mitigated": 0, "accepted": 0, "not-applicable": 0}
    assert len(found.open) == 6 and len(found.mitigated) == 0


def test_a_finding_in_full(lab_net, lab_catalog):
    f = analyze(lab_net, lab_catalog)["lab:default-password@cam/web"]
    assert isinstance(f, iotnet.Finding)
    assert (f.threat, f.title, f.target_kind, f.target) == (
        "lab:default-password", "Factory password still accepted", "service", "cam/web")
    assert (f.likelihood, f.impact, f.residual_likelihood, f.residual_impact) == (4, 4, 4, 4)
    assert f.mitigations == () and f.is_open
    assert (f.accepted_by, f.accepted_reason, f.accepted_until) == (None, None, None)
    assert isinstance(f.evidence, str) and f.evidence


def test_lookup_by_id_with_or_without_namespace(lab_net, lab_catalog):
    found = analyze(lab_net, lab_catalog)
    assert found["nat-only@router"] is found["lab:nat-only@router"]
    assert "camera-without-mud@cam" in found and "ghost@cam" not in found
    assert found.get("ghost@cam") is None
    with pytest.raises(iotnet.NotFoundError):
        found["ghost@cam"]
    assert found[0].id == EXPECTED[0][0] and [f.id for f in found[-2:]] == [
        EXPECTED[4][0], EXPECTED[5][0]]


def test_filters(lab_net, lab_catalog):
    found = analyze(lab_net, lab_catalog)
    assert [f.target for f in found.filter(target_kind="service")] == [
        "cam/web", "plug/telnet", "cam/web"]
    assert [f.id for f in found.filter(target="cam")] == [
        "lab:camera-without-mud@cam", "lab:certificate-expiring@cam"]
    assert [f.id for f in found.filter(threat="nat-only")] == ["lab:nat-only@router"]
    with pytest.raises(ValueError):
        found.filter(status="closed")


def test_records_and_dataframe(lab_net, lab_catalog):
    pandas = pytest.importorskip("pandas")
    found = analyze(lab_net, lab_catalog)
    records = found.to_records()
    assert records[0]["id"] == EXPECTED[0][0] and records[0]["mitigations"] == []
    frame = found.to_dataframe()
    assert isinstance(frame, pandas.DataFrame) and len(frame) == 6
    for column in ("id", "threat", "target_kind", "target", "status", "likelihood", "impact",
                   "inherent_risk", "residual_likelihood", "residual_impact", "residual_risk",
                   "mitigations", "accepted_by", "accepted_reason", "accepted_until",
                   "evidence"):
        assert column in frame.columns
    assert list(frame.residual_risk) == [e[3] for e in EXPECTED]
    assert "lab:forwarded-service" in found._repr_html_()
    assert repr(found).startswith("<Findings: 6 (6 open)>")


def test_the_date_conditions_are_judged_at(lab_net, lab_catalog):
    long_ago = analyze(lab_net, lab_catalog, now=datetime.date(2025, 1, 1))
    assert "certificate-expiring@cam" not in long_ago and len(long_ago) == 5
    as_datetime = analyze(lab_net, lab_catalog,
                          now=datetime.datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    assert rows(as_datetime) == EXPECTED


def test_not_applicable_on_request(lab_net, lab_catalog):
    found = analyze(lab_net, lab_catalog, include_not_applicable=True)
    applicable = [f for f in found if f.status != "not-applicable"]
    assert rows(applicable) == EXPECTED
    assert found.not_applicable and all(f.threat.startswith("lab:") for f in found.not_applicable)
    assert found.summary()["not-applicable"] == len(found) - 6


def test_the_model_changes_what_applies_and_what_mitigates(lab_net, lab_catalog):
    before = analyze(lab_net, lab_catalog)
    lab_net.nodes["cam"].attributes["pw-rotated"] = True
    lab_net.add_mud_ace("cam", "to-cloud", peer="dnsname", peer_value="cloud.example",
                        protocol="tcp", dst_ports=443)
    after = analyze(lab_net, lab_catalog)
    f = after["default-password@cam/web"]
    # pw-rotated: likelihood 4 - 3 = 1, impact 4
    assert (f.status, f.mitigations, f.residual_likelihood, f.residual_impact,
            f.residual_risk) == ("mitigated", ("lab:pw-rotated",), 1, 4, 4)
    f = after["camera-without-mud@cam"]
    # mud: likelihood 3 - 2 = 1, impact 3 - 1 = 2
    assert (f.status, f.mitigations, f.residual_risk) == ("mitigated", ("lab:mud",), 2)
    # the MUD profile admits nothing from the Internet: the forward no longer reaches the camera
    assert "forwarded-service@cam/web" not in after
    changes = before.compare(after)
    assert isinstance(changes, iotnet.Comparison)
    assert [(c.id, c.status_before, c.status_after, c.residual_risk_before,
             c.residual_risk_after) for c in changes] == [
        ("lab:forwarded-service@cam/web", "open", None, 25, None),
        ("lab:default-password@cam/web", "open", "mitigated", 16, 4),
        ("lab:camera-without-mud@cam", "open", "mitigated", 9, 2),
    ]
    assert changes.risk_before == 88 and changes.risk_after == 20 + 12 + 6
    assert changes[1].mitigations_after == ("lab:pw-rotated",) and changes[1].risk_delta == -12


# ---- what-if -----------------------------------------------------------------------------


@pytest.mark.parametrize("assume", [
    [("lab:filtered", "plug")],
    [("filtered", "plug")],
    ["filtered@plug"],
    {"filtered": "plug"},
    {"lab:filtered": ["plug"]},
])
def test_assuming_a_mitigation_on_one_target(lab_net, lab_catalog, assume):
    found = analyze(lab_net, lab_catalog, assume=assume)
    f = found["unauthenticated@plug/telnet"]
    # filtered: likelihood 5 - 2 = 3, impact 4
    assert (f.status, f.mitigations, f.residual_risk) == ("mitigated", ("lab:filtered",), 12)
    assert found.summary()["mitigated"] == 1
    # the model itself did not change
    assert lab_net.nodes["plug"].policy is None


def test_assuming_a_mitigation_everywhere(lab_net, lab_catalog):
    found = analyze(lab_net, lab_catalog, assume={"filtered": None})
    # filtered lowers likelihood by 2 wherever it is a candidate
    assert [(f.id, f.status, f.residual_risk) for f in found] == [
        ("lab:forwarded-service@cam/web", "mitigated", 15),      # 3 x 5
        ("lab:unauthenticated@plug/telnet", "mitigated", 12),    # 3 x 4
        ("lab:camera-without-mud@cam", "open", 9),
        ("lab:default-password@cam/web", "mitigated", 8),        # 2 x 4
        ("lab:certificate-expiring@cam", "open", 6),             # ties by threat id
        ("lab:nat-only@router", "mitigated", 6),                 # 2 x 3
    ]
    assert all(f.mitigations == ("lab:filtered",) for f in found.mitigated)
    assert analyze(lab_net, lab_catalog, assume=["filtered"]).summary() == found.summary()


def test_what_if_compares(lab_net, lab_catalog):
    found = analyze(lab_net, lab_catalog)
    change = found.what_if("filtered", "plug")
    assert [(c.id, c.status_before, c.status_after, c.residual_risk_before,
             c.residual_risk_after) for c in change] == [
        ("lab:unauthenticated@plug/telnet", "open", "mitigated", 20, 12)]
    assert change.before is found and len(change.after) == 6
    assert change.summary()["after"]["mitigated"] == 1
    assert "unauthenticated" in repr(change) and "open -&gt; mitigated" in change._repr_html_()
    pandas = pytest.importorskip("pandas")
    frame = change.to_dataframe()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == ["id", "threat", "title", "target", "status_before",
                                   "status_after", "residual_risk_before", "residual_risk_after",
                                   "mitigations_before", "mitigations_after"]
    # the same from the network, and a what-if that changes nothing
    again = lab_net.what_if("filtered", "plug", catalog=lab_catalog, now=LAB_NOW)
    assert again.to_records() == change.to_records()
    assert len(found.what_if("auto-update", "plug")) == 0
    assert repr(found.what_if("auto-update", "plug")) == "<Comparison: no finding changes>"


def test_what_if_keeps_earlier_assumptions(lab_net, lab_catalog):
    found = analyze(lab_net, lab_catalog, assume=["filtered@plug"])
    change = found.what_if("mud", "cam")
    assert [c.id for c in change] == ["lab:camera-without-mud@cam"]
    assert change.after["unauthenticated@plug/telnet"].status == "mitigated"


def test_what_if_on_a_subset_compares_the_same_findings(lab_net, lab_catalog):
    found = analyze(lab_net, lab_catalog)
    change = found.filter(target="cam").what_if("filtered")
    assert len(change) == 0 and len(change.after) == 2


@pytest.mark.parametrize("assume", [["ghost@plug"], [("filtered", "ghost")], ["filtered@"]])
def test_unknown_assumptions_are_refused(lab_net, lab_catalog, assume):
    with pytest.raises(iotnet.IotnetError):
        analyze(lab_net, lab_catalog, assume=assume)


@pytest.mark.parametrize("kwargs, error", [
    ({"assume": 3}, TypeError),
    ({"assume": [("filtered",)]}, TypeError),
    ({"assume": [(3, "plug")]}, TypeError),
    ({"assume": [("", "plug")]}, ValueError),
    ({"include_not_applicable": "yes"}, TypeError),
    ({"now": "2026-12-01"}, TypeError),
    ({"catalog": 3}, TypeError),
])
def test_wrong_arguments(lab_net, lab_catalog, kwargs, error):
    kwargs.setdefault("catalog", lab_catalog)
    with pytest.raises(error):
        lab_net.analyze(**kwargs)


def test_a_catalog_path_or_paths(lab_net, lab_files):
    assert rows(lab_net.analyze(lab_files["dir"], now=LAB_NOW)) == EXPECTED
    both = [lab_files["controls"], lab_files["catalog"]]
    assert rows(lab_net.analyze(both, now=LAB_NOW)) == EXPECTED


def test_the_bundled_catalogs_by_default(lab_net):
    found = lab_net.analyze()
    assert all(f.threat.startswith("iotnet:") for f in found)
    assert sum(found.summary().values()) == len(found)


# ---- risk decisions ------------------------------------------------------------------------


def test_accepting_a_risk(lab_net, lab_catalog):
    decision = lab_net.accept_risk("lab:nat-only@router", by="owner", reason="the ISP's box",
                                   until=datetime.date(2027, 6, 30),
                                   decided=datetime.date(2026, 11, 1))
    assert decision == iotnet.RiskDecision(
        "lab:nat-only@router", "owner", "the ISP's box",
        datetime.datetime(2026, 11, 1, tzinfo=UTC), datetime.datetime(2027, 6, 30, tzinfo=UTC))
    assert lab_net.risk_decisions == [decision]
    f = analyze(lab_net, lab_catalog)["nat-only@router"]
    assert (f.status, f.accepted_by, f.accepted_reason, f.accepted_until) == (
        "accepted", "owner", "the ISP's box", datetime.datetime(2027, 6, 30, tzinfo=UTC))
    assert f.residual_risk == f.inherent_risk == 12
    # an expired acceptance reopens the finding
    later = analyze(lab_net, lab_catalog, now=datetime.date(2027, 7, 1))["nat-only@router"]
    assert (later.status, later.accepted_by) == ("open", None)


def test_accepting_a_finding_object_replacing_and_removing(lab_net, lab_catalog):
    finding = analyze(lab_net, lab_catalog)["camera-without-mud@cam"]
    lab_net.accept_risk(finding, by="owner", reason="no profile published")
    lab_net.accept_risk(finding.id, by="installer", reason="replaced next year")
    assert [(d.finding, d.by, d.until) for d in lab_net.risk_decisions] == [
        ("lab:camera-without-mud@cam", "installer", None)]
    found = analyze(lab_net, lab_catalog)
    assert found["camera-without-mud@cam"].status == "accepted"
    assert found.summary() == {"open": 5, "mitigated": 0, "accepted": 1, "not-applicable": 0}
    lab_net.remove_risk_decision(finding)
    assert lab_net.risk_decisions == []
    with pytest.raises(iotnet.NotFoundError):
        lab_net.remove_risk_decision(finding.id)


def test_decisions_that_accept_nothing(lab_net, lab_catalog):
    lab_net.accept_risk("lab:nat-only@router", by="owner", reason="ISP box")
    lab_net.accept_risk("lab:renamed-threat@router", by="owner", reason="old name")
    lab_net.accept_risk("lab:nat-only@cam", by="owner", reason="does not apply there")
    found = analyze(lab_net, lab_catalog)
    assert [d.finding for d in found.unmatched_decisions] == [
        "lab:renamed-threat@router", "lab:nat-only@cam"]
    assert found["nat-only@router"].status == "accepted"
    with pytest.raises(ValueError):
        found.open.unmatched_decisions


def test_risk_decisions_are_saved_with_the_model(lab_net, tmp_path):
    lab_net.accept_risk("lab:nat-only@router", by="owner", reason="ISP box",
                        until=datetime.date(2030, 1, 1))
    for name in ("lab.json", "lab.xml"):
        lab_net.save(tmp_path / name)
        again = iotnet.load(tmp_path / name)
        assert again.risk_decisions == lab_net.risk_decisions and again == lab_net


@pytest.mark.parametrize("kwargs, error", [
    ({"finding": None}, TypeError),
    ({"finding": 3}, TypeError),
    ({"by": None}, TypeError),
    ({"reason": None}, TypeError),
    ({"until": "2027-01-01"}, TypeError),
    ({"finding": "no-target"}, iotnet.InvalidArgumentError),
    ({"by": ""}, iotnet.InvalidArgumentError),
    ({"until": datetime.date(2026, 1, 1), "decided": datetime.date(2026, 6, 1)},
     iotnet.InvalidArgumentError),
])
def test_bad_risk_decisions(lab_net, kwargs, error):
    args = {"finding": "lab:nat-only@router", "by": "owner", "reason": "why"}
    args.update(kwargs)
    with pytest.raises(error):
        lab_net.accept_risk(**args)
    assert lab_net.risk_decisions == []


# ---- life -----------------------------------------------------------------------------------


def test_findings_outlive_their_network(lab_catalog):
    net = build_lab_network()
    found = analyze(net, lab_catalog)
    net.close()
    assert rows(found) == EXPECTED and found.to_records()
    with pytest.raises(iotnet.ClosedError):
        found.what_if("filtered", "plug")
    del net
    gc.collect()
    assert found[0].id == EXPECTED[0][0]


def test_a_closed_catalog_cannot_be_used(lab_net, lab_files):
    cat = iotnet.Catalog.load(lab_files["dir"])
    cat.close()
    with pytest.raises(iotnet.ClosedError):
        lab_net.analyze(cat)
