"""iotnet analyze (and validate on catalog files), run as a user would run
them (build/iotnet), on the lab network and catalog of conftest.py, saved
to files, and on the bundled home network."""

import csv
import datetime
import io
import json
import pathlib
import subprocess

import pytest

import iotnet
from conftest import LAB_CATALOG, build_lab_network

REPO = pathlib.Path(__file__).resolve().parents[2]
IOTNET = REPO / "build" / "iotnet"
HOME = REPO / "models" / "topologies" / "home.xml"
BUNDLED = REPO / "models" / "catalogs"
BROKEN = REPO / "tests" / "data" / "cli" / "broken.json"
NOW = "2026-12-01"
COLUMNS = ["id", "threat", "title", "target_kind", "target", "status", "likelihood", "impact",
           "inherent_risk", "residual_likelihood", "residual_impact", "residual_risk",
           "mitigations", "accepted_by", "accepted_reason", "accepted_until", "evidence"]
#: (id, status, residual risk) of the lab at NOW, in order (worked out in conftest.py)
EXPECTED = [
    ("lab:forwarded-service@cam/web", "open", 25),
    ("lab:unauthenticated@plug/telnet", "open", 20),
    ("lab:default-password@cam/web", "open", 16),
    ("lab:nat-only@router", "open", 12),
    ("lab:camera-without-mud@cam", "open", 9),
    ("lab:certificate-expiring@cam", "open", 6),
]


def _has_command(name):
    if not IOTNET.exists():
        return False
    return subprocess.run([str(IOTNET), "help", name], capture_output=True).returncode == 0


pytestmark = pytest.mark.skipif(not _has_command("analyze"),
                                reason="build/iotnet is not built with the analyze command")


def run(*args):
    return subprocess.run([str(IOTNET), *map(str, args)], capture_output=True, text=True,
                          timeout=300)


@pytest.fixture
def lab(tmp_path, lab_files):
    """A saved lab model and a function running analyze on it with the lab
    catalog only."""
    model = tmp_path / "lab.json"
    with build_lab_network() as net:
        net.save(model)

    def analyze(*args, model=model, now=NOW):
        return run("analyze", model, "--no-bundled", "--catalog", lab_files["dir"],
                   "--now", now, *args)
    analyze.model = model
    return analyze


def as_json(result, code=1):
    assert result.returncode == code, result.stderr
    return json.loads(result.stdout)


def triples(document):
    return [(f["id"], f["status"], f["residual_risk"]) for f in document["findings"]]


# ---- help and usage ---------------------------------------------------------------


def test_help():
    result = run("analyze", "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: iotnet analyze ")
    for option in ("--catalog", "--assume", "--all", "--format", "--output", "--now",
                   "--no-bundled", "Exit status"):
        assert option in result.stdout
    assert run("help", "analyze").stdout == result.stdout
    assert run("--help").stdout.count("\n  analyze ") == 1


@pytest.mark.parametrize("args, needle", [
    ([], "missing MODEL"),
    (["a.json", "b.json"], "too many arguments"),
    (["MODEL", "--format", "markdown-ish"], "unknown format"),
    (["MODEL", "--catalog"], "'--catalog' needs a value"),
    (["MODEL", "--assume", "@cam"], "MITIGATION@TARGET"),
    (["MODEL", "--assume", "filtered@"], "MITIGATION@TARGET"),
    (["MODEL", "--now", "tomorrow"], "--now"),
    (["MODEL", "--now", "2026-02-30"], "--now"),
    (["MODEL", "--from", "internet"], "unknown option '--from'"),
    (["MODEL", "--all=yes"], "takes no value"),
])
def test_usage_errors(args, needle, lab):
    args = [lab.model if a == "MODEL" else a for a in args]
    result = run("analyze", *args)
    assert result.returncode == 2, result
    assert needle in result.stderr and "--help" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("assume", ["ghost", "ghost@plug", "filtered@ghost"])
def test_unknown_assumptions_are_usage_errors(lab, assume):
    result = lab("--assume", assume)
    assert result.returncode == 2 and result.stdout == ""
    assert "ghost" in result.stderr


def test_a_broken_model_or_catalog_exits_3(lab, tmp_path):
    result = run("analyze", BROKEN)
    assert result.returncode == 3 and str(BROKEN) in result.stderr and result.stdout == ""
    bad = tmp_path / "bad.xml"
    bad.write_text(LAB_CATALOG.replace("<likelihood>5</likelihood>",
                                       "<likelihood>9</likelihood>", 1), encoding="utf-8")
    result = run("analyze", lab.model, "--catalog", bad)
    assert result.returncode == 3 and result.stdout == ""
    assert "bad.xml:" in result.stderr


# ---- output ---------------------------------------------------------------------------


def test_json(lab):
    document = as_json(lab("--format", "json"))
    assert set(document) == {"findings", "summary"}
    assert triples(document) == EXPECTED
    assert document["summary"] == {"total": 6, "open": 6, "mitigated": 0, "accepted": 0,
                                   "not-applicable": 0}
    first = document["findings"][0]
    assert list(first) == COLUMNS
    assert (first["threat"], first["title"], first["target_kind"], first["target"]) == (
        "lab:forwarded-service", "Service reachable through a port forward", "service",
        "cam/web")
    assert (first["likelihood"], first["impact"], first["inherent_risk"]) == (5, 5, 25)
    assert first["mitigations"] == [] and first["accepted_by"] is None
    assert isinstance(first["evidence"], str) and first["evidence"]


def test_csv(lab):
    result = lab("--format", "csv")
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0] == ",".join(COLUMNS)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["id"], r["status"], int(r["residual_risk"])) for r in rows] == EXPECTED
    assert rows[3]["target_kind"] == "node" and rows[3]["mitigations"] == ""


def test_text(lab):
    result = lab()
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["risk", "inherent", "status", "threat", "target", "mitigations"]
    assert [line.split()[:5] for line in lines[1:7]] == [
        [str(r), str(r), "open", i.split("@")[0], i.split("@")[1]] for i, _, r in EXPECTED]
    assert lines[7] == ""
    assert lines[8] == "6 findings: 6 open"
    assert len(lines) == 9


def test_output_file(lab, tmp_path):
    out = tmp_path / "findings.json"
    result = lab("--format", "json", "-o", out)
    assert result.returncode == 1 and result.stdout == ""
    assert triples(json.loads(out.read_text())) == EXPECTED


# ---- what-if and exit codes --------------------------------------------------------------


def test_assume_mitigations(lab):
    document = as_json(lab("--format", "json", "--assume", "filtered@plug"))
    by_id = {f["id"]: f for f in document["findings"]}
    telnet = by_id["lab:unauthenticated@plug/telnet"]
    # filtered: likelihood 5 - 2 = 3, impact 4
    assert (telnet["status"], telnet["residual_likelihood"], telnet["residual_risk"],
            telnet["mitigations"]) == ("mitigated", 3, 12, ["lab:filtered"])
    assert document["summary"]["mitigated"] == 1
    # everywhere it is a candidate, and several at once
    document = as_json(lab("--format", "json", "--assume", "filtered", "--assume", "mud@cam",
                           "--assume", "pw-rotated@cam", "--assume", "auto-update"), code=0)
    assert document["summary"]["open"] == 0 and document["summary"]["mitigated"] == 6


def test_exit_0_when_nothing_is_open(lab):
    args = ["--assume", "filtered", "--assume", "mud", "--assume", "auto-update"]
    result = lab(*args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "6 findings: 6 mitigated"
    assert as_json(lab("--format", "json", *args), code=0)["summary"]["open"] == 0


def test_all_adds_not_applicable(lab):
    document = as_json(lab("--format", "json", "--all"))
    applicable = [(f["id"], f["status"], f["residual_risk"]) for f in document["findings"]
                  if f["status"] != "not-applicable"]
    assert applicable == EXPECTED
    assert document["summary"]["not-applicable"] > 0
    assert document["summary"]["total"] == len(document["findings"])


def result_notes(result):
    return [line for line in result.stderr.splitlines() if "note:" in line]


def test_a_decision_that_accepts_nothing_is_noted(lab, tmp_path):
    net = iotnet.load(lab.model)
    net.accept_risk("lab:renamed@router", by="owner", reason="old id")
    stale = tmp_path / "stale.json"
    net.save(stale)
    net.close()
    result = lab(model=stale)
    assert result.returncode == 1
    assert result_notes(result) == [
        "iotnet analyze: note: the risk decision on lab:renamed@router accepts no finding"]


def test_risk_decisions_in_the_model(lab, tmp_path):
    net = iotnet.load(lab.model)
    net.accept_risk("lab:nat-only@router", by="owner", reason="the ISP's box",
                    until=datetime.date(2027, 6, 30))
    accepted = tmp_path / "accepted.json"
    net.save(accepted)
    net.close()
    document = as_json(lab("--format", "json", model=accepted))
    [router] = [f for f in document["findings"] if f["target"] == "router"]
    assert (router["status"], router["accepted_by"], router["accepted_reason"],
            router["accepted_until"]) == ("accepted", "owner", "the ISP's box",
                                          "2027-06-30T00:00:00Z")
    assert document["summary"]["accepted"] == 1
    assert result_notes(lab("--format", "json", model=accepted)) == []
    # once the acceptance has expired, the finding is open again
    later = as_json(lab("--format", "json", model=accepted, now="2027-07-01"))
    [router] = [f for f in later["findings"] if f["target"] == "router"]
    assert (router["status"], router["accepted_by"]) == ("open", None)


# ---- catalogs beside the bundled ones ------------------------------------------------------


def test_a_user_catalog_beside_the_bundled_one(lab, lab_files):
    result = run("analyze", lab.model, "--catalog", lab_files["dir"], "--now", NOW,
                 "--format", "json")
    document = as_json(result)
    threats = {f["threat"].split(":")[0] for f in document["findings"]}
    assert threats == {"lab", "iotnet"}
    ours = [(f["id"], f["status"], f["residual_risk"]) for f in document["findings"]
            if f["threat"].startswith("lab:")]
    assert ours == EXPECTED


def test_duplicate_ids_are_an_error(lab, lab_files):
    result = run("analyze", lab.model, "--no-bundled", "--catalog", lab_files["dir"],
                 "--catalog", lab_files["catalog"])
    assert result.returncode == 3 and result.stdout == ""
    assert "b-threats.xml" in result.stderr
    result = run("analyze", lab.model, "--catalog", BUNDLED)
    assert result.returncode == 3 and result.stdout == ""


def test_the_home_network():
    result = run("analyze", HOME)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["risk", "inherent", "status", "threat"]
    assert lines[-1].startswith("%d findings: " % (len(lines) - 3)) and " open" in lines[-1]
    risks = [int(line.split()[0]) for line in lines[1:-2]]
    assert risks == sorted(risks, reverse=True)
    document = as_json(run("analyze", HOME, "--format", "json"))
    assert document["summary"]["open"] > 0
    assert all(f["id"] == "%s@%s" % (f["threat"], f["target"]) for f in document["findings"])


# ---- validate --------------------------------------------------------------------------------


def test_validate_catalog_files(lab_files, tmp_path):
    result = run("validate", lab_files["controls"], *sorted(BUNDLED.glob("controls-*.xml")))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[0] == "%s: ok (2 controls)" % lab_files["controls"]
    result = run("validate", "--format", "json", lab_files["controls"])
    [entry] = json.loads(result.stdout)["files"]
    assert (entry["type"], entry["ok"], entry["controls"]) == ("catalog", True, 2)
    bad = tmp_path / "bad.xml"
    bad.write_text(LAB_CATALOG.replace('<stride>S</stride>', '<stride>X</stride>'),
                   encoding="utf-8")
    result = run("validate", "--format", "json", bad)
    assert result.returncode == 3
    [entry] = json.loads(result.stdout)["files"]
    assert entry["type"] == "catalog" and not entry["ok"] and entry["error"]["line"]
