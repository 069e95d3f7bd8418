"""OSCAL output checked by compliance-trestle's OSCAL models: the assessment
results of the four reference networks and the component definition of the
bundled catalog load; a broken document does not; the XML says what the
JSON says; the Python API and the CLI behave as documented."""

import copy
import datetime
import json
import pathlib
import subprocess
import uuid

import pytest

import iotnet
from oscal_xml import OSCAL_NS, markdown, to_json

trestle_ar = pytest.importorskip("trestle.oscal.assessment_results")
trestle_cd = pytest.importorskip("trestle.oscal.component")
import pydantic.v1 as pydantic  # noqa: E402  (trestle's models are pydantic v1)

REPO = pathlib.Path(__file__).resolve().parents[2]
IOTNET = REPO / "build" / "iotnet"
TOPOLOGIES = sorted((REPO / "models" / "topologies").glob("*.xml"))
HOME = REPO / "models" / "topologies" / "home.xml"
NOW = datetime.date(2026, 12, 1)
UUID_RE = r"^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"


def accept_ar(document):
    """trestle's AssessmentResults of a {"assessment-results": ...} dict."""
    return trestle_ar.AssessmentResults.parse_obj(document["assessment-results"])


def accept_cd(document):
    return trestle_cd.ComponentDefinition.parse_obj(document["component-definition"])


@pytest.fixture(scope="module")
def home_findings():
    net = iotnet.load(HOME)
    return net, net.analyze(now=NOW)


# ---- trestle accepts what we write ------------------------------------------------------


@pytest.mark.parametrize("path", TOPOLOGIES, ids=lambda p: p.stem)
@pytest.mark.parametrize("include_not_applicable", [False, True])
def test_trestle_accepts_the_assessment_results(path, include_not_applicable, tmp_path):
    assert len(TOPOLOGIES) == 4
    net = iotnet.load(path)
    findings = net.analyze(now=NOW, include_not_applicable=include_not_applicable)
    text = findings.to_oscal()
    model = accept_ar(json.loads(text))
    result = model.results[0]
    assert len(result.observations) == len(findings)
    applicable = [f for f in findings if f.status != "not-applicable"]
    assert len(result.risks or []) == len(applicable)
    # trestle's own reader, from a file, as a user would run it
    file = tmp_path / ("%s-ar.json" % path.stem)
    file.write_text(text, encoding="utf-8")
    assert trestle_ar.AssessmentResults.oscal_read(file).uuid == model.uuid


def expected_control_id(control):
    """The OSCAL id of a control as oscal.h documents the scheme."""
    prefix = {"iso27001-2022": "a.", "etsi-en303645": "provision-", "nistir8259a": "capability-"}
    if control.framework in prefix:
        return prefix[control.framework] + control.id
    cid = control.id.lower().replace(" ", "-")
    return cid if cid[0].isalpha() else "control-" + cid


def test_trestle_accepts_the_component_definition(tmp_path):
    cat = iotnet.Catalog.default()
    text = cat.to_oscal(now=NOW)
    model = accept_cd(json.loads(text))
    assert len(model.components) == len(cat.mitigations)
    file = tmp_path / "cd.json"
    file.write_text(text, encoding="utf-8")
    assert trestle_cd.ComponentDefinition.oscal_read(file).uuid == model.uuid
    sources = {r.uuid: next(p.value for p in r.props if p.name == "framework")
               for r in model.back_matter.resources}
    assert sorted(sources.values()) == sorted(cat.frameworks)
    for component, mitigation in zip(model.components, cat.mitigations):
        assert next(p.value for p in component.props if p.name == "mitigation-id") == mitigation.id
        implemented = {(sources[ci.source.lstrip("#")], r.control_id)
                       for ci in component.control_implementations or []
                       for r in ci.implemented_requirements}
        expected = {(c.framework, expected_control_id(c)) for c in cat.controls_of(mitigation)}
        assert implemented == expected, mitigation.id


BREAKAGES = [
    ("no uuid", lambda d: d["assessment-results"].pop("uuid")),
    ("a uuid that is not one", lambda d: d["assessment-results"].update(uuid="not-a-uuid")),
    ("a field OSCAL does not have", lambda d: d["assessment-results"]["metadata"].update(colour="red")),
    ("a last-modified that is no date", lambda d: d["assessment-results"]["metadata"].update(
        {"last-modified": "yesterday"})),
    ("a risk status that is no token", lambda d: d["assessment-results"]["results"][0]["risks"][
        0].update(status="risk accepted")),
    ("a risk without its status", lambda d: d["assessment-results"]["results"][0]["risks"][0].pop(
        "status")),
    ("an observation without methods", lambda d: d["assessment-results"]["results"][0][
        "observations"][0].pop("methods")),
    ("a finding target of an unknown type", lambda d: d["assessment-results"]["results"][0][
        "findings"][0]["target"].update(type="control")),
    ("a control id OSCAL cannot carry", lambda d: d["assessment-results"]["results"][0][
        "findings"][0]["target"].update({"target-id": "8.20"})),
]


@pytest.mark.parametrize("what,break_it", BREAKAGES, ids=[b[0] for b in BREAKAGES])
def test_trestle_rejects_a_broken_document(home_findings, what, break_it):
    document = home_findings[1].to_oscal(format="dict")
    accept_ar(document)  # as written it passes
    broken = copy.deepcopy(document)
    break_it(broken)
    with pytest.raises(pydantic.ValidationError):
        accept_ar(broken)


# ---- XML: the same document -------------------------------------------------------------


@pytest.mark.parametrize("path", TOPOLOGIES, ids=lambda p: p.stem)
def test_xml_says_what_json_says(path):
    findings = iotnet.load(path).analyze(now=NOW, include_not_applicable=True)
    xml = findings.to_oscal("xml", now=NOW)
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<assessment-results xmlns="%s"'
                          % OSCAL_NS)
    converted = to_json(xml)
    assert converted == findings.to_oscal("dict", now=NOW)
    accept_ar(converted)


def test_component_definition_xml_says_what_json_says():
    cat = iotnet.Catalog.default()
    converted = to_json(cat.to_oscal("xml", now=NOW))
    assert converted == cat.to_oscal("dict", now=NOW)
    accept_cd(converted)


def test_text_that_needs_escaping_survives_both_forms(tmp_path):
    net = iotnet.load(HOME)
    name = 'Lab "A" \\ <b> & *x* [y](z) #1 \u00e9\u4e2d'
    net.name = name
    findings = net.analyze(now=NOW)
    document = findings.to_oscal("dict")
    title = document["assessment-results"]["metadata"]["title"]
    assert title == markdown("Threat assessment of " + name)
    assert to_json(findings.to_oscal("xml")) == document
    accept_ar(document)


# ---- identifiers ------------------------------------------------------------------------------


def test_uuids_are_version_5_and_deterministic(home_findings):
    net, findings = home_findings
    a = findings.to_oscal(now=NOW)
    assert a == findings.to_oscal(now=NOW)
    later = findings.to_oscal(now=datetime.datetime(2027, 1, 2, 3, 4, 5,
                                                     tzinfo=datetime.timezone.utc))
    assert later != a
    assert later.replace("2027-01-02T03:04:05Z", "2026-12-01T00:00:00Z") == a
    document = json.loads(a)
    uuids = []

    def walk(x):
        if isinstance(x, dict):
            for k, v in x.items():
                if k == "uuid":
                    uuids.append(v)
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(document)
    assert len(uuids) == len(set(uuids)), "every element has its own uuid"
    import re
    assert all(re.match(UUID_RE, u) for u in uuids)
    # an observation's uuid is derived from the model's name and the finding id
    obs = document["assessment-results"]["results"][0]["observations"][0]
    fid = next(p["value"] for p in obs["props"] if p["name"] == "finding-id")
    scope = "assessment-results/%s/observation/%s" % (net.name, fid)
    assert obs["uuid"] == iotnet.oscal_uuid(scope)


def test_oscal_uuid_is_rfc_9562_version_5():
    namespace = iotnet.oscal_uuid("https://libiotnet.org/ns/oscal", uuid.NAMESPACE_URL)
    for name in ["", "www.example.com", "iotnet:nat-as-firewall@router", "\u00e9\u4e2d" * 40]:
        assert iotnet.oscal_uuid(name, uuid.NAMESPACE_DNS) == str(uuid.uuid5(uuid.NAMESPACE_DNS, name))
        assert iotnet.oscal_uuid(name) == str(uuid.uuid5(uuid.UUID(namespace), name))
    with pytest.raises(iotnet.InvalidArgumentError, match="not a UUID"):
        iotnet.oscal_uuid("x", "not-a-uuid")
    with pytest.raises(TypeError):
        iotnet.oscal_uuid(b"x")


# ---- what the documents hold ------------------------------------------------------------------


def _risk(document, finding_id):
    for risk in document["assessment-results"]["results"][0]["risks"]:
        if any(p["name"] == "finding-id" and p["value"] == finding_id for p in risk["props"]):
            return risk
    raise KeyError(finding_id)


def test_risk_statuses_and_the_recorded_decision():
    net = iotnet.load(HOME)
    findings = net.analyze(now=NOW)
    target = findings.open[0]
    net.accept_risk(target.id, by="Site owner", reason="compensated by the ISP's filtering",
                    until=datetime.date(2027, 6, 30), decided=datetime.date(2026, 11, 2))
    findings = net.analyze(now=NOW)
    document = findings.to_oscal("dict")
    statuses = {"open": "open", "mitigated": "closed", "accepted": "deviation-approved"}
    for f in findings:
        assert _risk(document, f.id)["status"] == statuses[f.status]
    risk = _risk(document, target.id)
    entry = risk["risk-log"]["entries"][0]
    assert entry["status-change"] == "deviation-approved"
    assert entry["description"] == markdown("compensated by the ISP's filtering")
    assert entry["start"] == "2026-11-02T00:00:00Z" and entry["end"] == "2027-06-30T00:00:00Z"
    assert risk["deadline"] == "2027-06-30T00:00:00Z"
    parties = {p["uuid"]: p["name"] for p in document["assessment-results"]["metadata"]["parties"]}
    assert parties[entry["logged-by"][0]["party-uuid"]] == "Site owner"
    facets = {(c["props"][0]["value"], f["name"]): f["value"]
              for c in risk["characterizations"] for f in c["facets"]}
    assert facets[("inherent", "likelihood")] == str(target.likelihood)
    assert facets[("inherent", "impact")] == str(target.impact)
    assert facets[("residual", "risk")] == str(target.residual_risk)
    mitigated = findings.mitigated[0]
    factors = _risk(document, mitigated.id)["mitigating-factors"]
    assert {next(p["value"] for p in m["props"]) for m in factors} == set(mitigated.mitigations)
    accept_ar(document)


def test_observations_name_their_subjects(home_findings):
    _, findings = home_findings
    result = findings.to_oscal("dict")["assessment-results"]["results"][0]
    defs = result["local-definitions"]
    items = {i["uuid"]: i for i in defs["inventory-items"]}
    components = {c["uuid"]: c for c in defs["components"]}
    for obs, f in zip(result["observations"], findings):
        kinds = [s["type"] for s in obs["subjects"]]
        for s in obs["subjects"]:
            assert s["subject-uuid"] in (items if s["type"] == "inventory-item" else components)
        if f.target_kind == "service":
            assert kinds == ["component", "inventory-item"]
            service = components[obs["subjects"][0]["subject-uuid"]]
            node = items[obs["subjects"][1]["subject-uuid"]]
            assert service["uuid"] in [c["component-uuid"] for c in node["implemented-components"]]
        elif f.target_kind == "node":
            assert kinds == ["inventory-item"]
        assert obs["methods"][0] in ("TEST", "EXAMINE")
        if f.evidence:
            assert obs["relevant-evidence"][0]["description"] == markdown(f.evidence)
    # exposure to the internet is what reachability derived: such threats are tested
    methods = {o["title"]: o["methods"][0] for o in result["observations"]}
    assert "TEST" in methods.values() and "EXAMINE" in methods.values()


STATES = {"addressed": ("satisfied", "pass"), "not-applicable": ("satisfied", "other"),
          "partially-addressed": ("not-satisfied", "fail"), "gap": ("not-satisfied", "fail")}


def test_control_findings_carry_the_compliance_mapping(home_findings):
    net, findings = home_findings
    result = findings.to_oscal("dict")["assessment-results"]["results"][0]
    observation_of = {}
    for o in result["observations"]:
        observation_of[next(p["value"] for p in o["props"] if p["name"] == "finding-id")] = o["uuid"]
    risk_of = {next(p["value"] for p in r["props"] if p["name"] == "finding-id"): r["uuid"]
               for r in result["risks"]}
    reviewed = {c["control-id"] for s in result["reviewed-controls"]["control-selections"]
                for c in s.get("include-controls", [])}
    written = {}
    for finding in result["findings"]:
        props = {p["name"]: p["value"] for p in finding["props"]}
        written[(props["framework"], props["control"])] = finding
    frameworks = {framework for framework, _ in written}
    assert frameworks == {"iso27001-2022", "iec62443-3-3", "etsi-en303645", "nistir8259a"}
    for framework in frameworks:
        for row in net.compliance(framework, now=NOW):
            finding = written.get((framework, row.id))
            if row.status == "not-assessed" or (row.status == "not-applicable" and not row.findings):
                assert finding is None, row.id
                continue
            target = finding["target"]
            assert target["type"] == "objective-id"
            assert target["target-id"] == expected_control_id(iotnet.Control(framework, row.id, None, None))
            assert target["target-id"] in reviewed
            assert (target["status"]["state"], target["status"]["reason"]) == STATES[row.status]
            assert target["status"]["remarks"] == markdown(row.reason)
            assert {p["value"] for p in finding["props"] if p["name"] == "status"} == {row.status}
            assert [r["observation-uuid"] for r in finding.get("related-observations", [])] == \
                [observation_of[f.id] for f in row.findings]
            assert [r["risk-uuid"] for r in finding.get("related-risks", [])] == \
                [risk_of[f.id] for f in row.findings]


def test_assumed_mitigations_are_evidence():
    net = iotnet.load(HOME)
    findings = net.analyze(now=NOW, assume=[("upnp-off", "home-router")])
    described = [f["description"] for f in findings.to_oscal("dict")["assessment-results"][
        "results"][0]["findings"]]
    assert any("iotnet:upnp-off on " in d and "home-router (assumed)" in d for d in described)
    assert not any("(assumed)" in f["description"] for f in net.analyze(now=NOW).to_oscal(
        "dict")["assessment-results"]["results"][0]["findings"])


def test_one_framework_only(home_findings):
    _, findings = home_findings
    document = findings.to_oscal("dict", framework="nistir8259a")
    result = document["assessment-results"]["results"][0]
    assert {f["target"]["target-id"].split("-")[0] for f in result["findings"]} == {"capability"}
    accept_ar(document)
    with pytest.raises(iotnet.InvalidArgumentError, match="no control catalog"):
        findings.to_oscal(framework="iso9001")


# ---- the API refuses what it cannot do ------------------------------------------------------------


def test_bad_arguments(home_findings):
    net, findings = home_findings
    with pytest.raises(ValueError, match="unknown OSCAL format"):
        findings.to_oscal("yaml")
    with pytest.raises(TypeError):
        findings.to_oscal(1)
    with pytest.raises(TypeError):
        findings.to_oscal(now="2026-12-01")
    with pytest.raises(TypeError):
        findings.to_oscal(document_version=2)
    with pytest.raises(iotnet.InvalidArgumentError, match="document version"):
        findings.to_oscal(document_version=" 2 ")
    with pytest.raises(ValueError, match="subset"):
        findings.open.to_oscal()
    with pytest.raises(ValueError, match="subset"):
        findings[:3].to_oscal()
    with pytest.raises(ValueError):
        iotnet.Findings(list(findings)).to_oscal()
    with pytest.raises(ValueError, match="unknown OSCAL format"):
        iotnet.Catalog.default().to_oscal("csv")
    assert findings.to_oscal(document_version="2026.12", format="dict")[
        "assessment-results"]["metadata"]["version"] == "2026.12"


def test_a_changed_or_closed_network():
    net = iotnet.load(HOME)
    findings = net.analyze(now=NOW)
    net.accept_risk(findings.open[0].id, by="x", reason="y")
    with pytest.raises(iotnet.InvalidArgumentError, match="changed"):
        findings.to_oscal()
    net.close()
    with pytest.raises(iotnet.ClosedError):
        findings.to_oscal()
    cat = iotnet.Catalog.default()
    cat.close()
    with pytest.raises(iotnet.ClosedError):
        cat.to_oscal()


# ---- the command line ---------------------------------------------------------------------------

needs_cli = pytest.mark.skipif(
    not IOTNET.exists() or subprocess.run([str(IOTNET), "help", "oscal"],
                                          capture_output=True).returncode != 0,
    reason="build/iotnet is not built with the oscal command")


def run(*args):
    return subprocess.run([str(IOTNET), *map(str, args)], capture_output=True, text=True, timeout=300)


@needs_cli
def test_cli_analyze_format_oscal_is_the_python_document():
    done = run("analyze", HOME, "--format", "oscal", "--now", "2026-12-01")
    assert done.returncode == 1, done.stderr  # open findings, as analyze says
    python = iotnet.load(HOME).analyze(now=NOW).to_oscal()
    assert done.stdout == python
    same = run("oscal", "assessment-results", HOME, "--now", "2026-12-01")
    assert same.returncode == 0 and same.stdout == done.stdout  # a document writer: 0 once written
    xml = run("analyze", HOME, "--format", "oscal-xml", "--now", "2026-12-01")
    assert to_json(xml.stdout) == json.loads(done.stdout)


@needs_cli
def test_cli_compliance_format_oscal_is_one_framework():
    done = run("compliance", HOME, "--framework", "iec62443-3-3", "--format", "oscal", "--now", "2026-12-01")
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout) == iotnet.load(HOME).analyze(now=NOW).to_oscal(
        "dict", framework="iec62443-3-3")
    xml = run("compliance", HOME, "--framework", "iec62443-3-3", "--format", "oscal-xml", "--now",
              "2026-12-01")
    assert to_json(xml.stdout) == json.loads(done.stdout)
    unknown = run("compliance", HOME, "--framework", "iso9001", "--format", "oscal")
    assert unknown.returncode == 2 and "iso9001" in unknown.stderr


@needs_cli
def test_cli_writes_files_atomically(tmp_path):
    out = tmp_path / "ar.xml"
    done = run("oscal", "assessment-results", HOME, "--format", "xml", "--all", "--now",
               "2026-12-01", "-o", out)
    assert done.returncode == 0 and done.stdout == ""
    accept_ar(to_json(out.read_text(encoding="utf-8")))
    cd = tmp_path / "cd.json"
    done = run("oscal", "component-definition", "-o", cd, "--now", "2026-12-01")
    assert done.returncode == 0, done.stderr
    assert cd.read_text(encoding="utf-8") == iotnet.Catalog.default().to_oscal(now=NOW)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ar.xml", "cd.json"]
    accept_cd(json.loads(cd.read_text(encoding="utf-8")))


@needs_cli
def test_cli_component_definition_of_ones_own_framework(lab_files):
    done = run("oscal", "component-definition", "--no-bundled", "--catalog", lab_files["dir"],
               "--format", "xml", "--now", "2026-12-01")
    assert done.returncode == 0, done.stderr
    document = to_json(done.stdout)
    accept_cd(document)
    ids = {r["control-id"] for c in document["component-definition"]["components"]
           for ci in c.get("control-implementations", []) for r in ci["implemented-requirements"]}
    assert ids <= {"control-1", "control-2"} and ids
    assert document == iotnet.Catalog().load(lab_files["dir"]).to_oscal("dict", now=NOW)


@needs_cli
@pytest.mark.parametrize("args,message", [
    (["oscal"], "missing subcommand"),
    (["oscal", "plan"], "unknown subcommand"),
    (["oscal", "assessment-results"], "MODEL"),
    (["oscal", "component-definition", HOME], "argument"),
    (["oscal", "component-definition", "--format", "csv"], "unknown format"),
    (["oscal", "component-definition", "--now", "tomorrow"], "--now"),
    (["analyze", HOME, "--format", "oscal-yaml"], "unknown format"),
])
def test_cli_usage_errors(args, message):
    done = run(*args)
    assert done.returncode == 2
    assert message in done.stderr


@needs_cli
def test_cli_help_names_the_documents():
    done = run("oscal", "--help")
    assert done.returncode == 0
    assert "assessment-results" in done.stdout and "component-definition" in done.stdout
    assert "oscal" in run("--help").stdout
    assert "oscal|oscal-xml" in run("analyze", "--help").stdout
