"""iotnet compliance, run as a user would run it (build/iotnet), on the
bundled home network and plant: formats, exit codes, the statement of
applicability, what-if assumptions and usage errors."""

import csv
import io
import json
import pathlib
import subprocess

import pytest

import iotnet

REPO = pathlib.Path(__file__).resolve().parents[2]
IOTNET = REPO / "build" / "iotnet"
HOME = REPO / "models" / "topologies" / "home.xml"
PLANT = REPO / "models" / "topologies" / "plant.xml"
NOW = "2026-12-01"

pytestmark = pytest.mark.skipif(
    not IOTNET.exists() or subprocess.run([str(IOTNET), "help", "compliance"],
                                          capture_output=True).returncode != 0,
    reason="build/iotnet is not built with the compliance command")


def run(*args):
    return subprocess.run([str(IOTNET), "compliance", *map(str, args)], capture_output=True, text=True,
                          timeout=300)


def test_text_lists_every_control_and_exits_1_on_gaps():
    r = run(HOME, "--framework", "iso27001-2022", "--now", NOW)
    assert r.returncode == 1, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["id", "status", "open", "evidence", "title"]
    assert sum(1 for line in lines if line.startswith("A.")) == 93
    assert lines[-1].startswith("iso27001-2022: 93 controls: ")
    assert "gap" in lines[-1]


def test_help_documents_the_exit_status():
    r = subprocess.run([str(IOTNET), "compliance", "--help"], capture_output=True, text=True)
    assert r.returncode == 0
    assert "Exit status: 0 no control at or above --fail-on, 1 controls at or above it" in r.stdout
    assert "3 the model or a catalog failed to load" in r.stdout
    assert "--format text|json|csv|soa" in r.stdout


def test_json_matches_the_python_api():
    r = run(HOME, "--framework", "iso27001-2022", "--now", NOW, "--format", "json")
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    assert doc["framework"] == "iso27001-2022"
    assert doc["summary"]["total"] == len(doc["controls"]) == 93
    import datetime
    with iotnet.load(HOME) as net:
        api = net.compliance("iso27001-2022", now=datetime.date(2026, 12, 1))
    for control in doc["controls"]:
        row = api[control["id"]]
        assert control["status"] == row.status
        assert [f["id"] for f in control["findings"]] == [f.id for f in row.findings]
        assert [(e["mitigation"], e["target"]) for e in control["evidence"]] == \
            [(e.mitigation, e.target) for e in row.evidence]
    assert doc["summary"] == {"total": 93, **api.summary()}
    assert "zone_levels" not in doc


def test_soa_is_rfc4180_csv_with_the_93_controls():
    r = run(HOME, "--framework", "iso27001-2022", "--now", NOW, "--format", "soa")
    assert r.returncode == 1, r.stderr
    raw = subprocess.run([str(IOTNET), "compliance", str(HOME), "--framework", "iso27001-2022", "--now", NOW,
                          "--format", "soa"], capture_output=True).stdout
    assert raw.count(b"\r\n") == len(raw.splitlines()) and raw.decode("utf-8")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert rows[0][:4] == ["control", "title", "theme", "applicable"]
    ids = [c.id for c in iotnet.Catalog.default().controls if c.framework == "iso27001-2022"]
    assert [row[0] for row in rows[1:]] == ["A." + i for i in ids]
    assert {row[3] for row in rows[1:]} <= {"yes", "no"}
    assert {row[5] for row in rows[1:]} <= {"implemented", "partially implemented", "not implemented",
                                            "not applicable", "not assessed"}


def test_soa_needs_the_iso_framework(tmp_path):
    r = run(HOME, "--framework", "nistir8259a", "--format", "soa")
    assert r.returncode == 2
    assert "use it with --framework iso27001-2022" in r.stderr


def test_a_what_if_mitigation_turns_a_gap_into_addressed(tmp_path):
    doc = json.loads(run(HOME, "--framework", "iso27001-2022", "--now", NOW, "--format", "json").stdout)
    gap = next(c for c in doc["controls"] if c["status"] == "gap")
    assume = [a for m in gap["mitigations"] for a in ("--assume", m)]
    after = json.loads(run(HOME, "--framework", "iso27001-2022", "--now", NOW, "--format", "json",
                           *assume).stdout)
    row = next(c for c in after["controls"] if c["id"] == gap["id"])
    assert row["status"] == "addressed"
    assert row["evidence"] and all(e["assumed"] for e in row["evidence"])


def test_iec62443_prints_the_zone_table_and_puts_it_in_json(tmp_path):
    r = run(PLANT, "--framework", "iec62443-3-3", "--now", NOW)
    assert r.returncode == 1, r.stderr
    assert "zone" in r.stdout and "achieved" in r.stdout and "limiting" in r.stdout
    out = tmp_path / "plant.json"
    assert run(PLANT, "--framework", "iec62443-3-3", "--now", NOW, "--format", "json", "-o", out).returncode == 1
    levels = json.loads(out.read_text())["zone_levels"]
    assert levels and {row["fr"] for row in levels} == set(range(1, 8))
    assert all(row["gap"] == ("yes" if row["target"] and row["achieved"] < row["target"] else "no")
               for row in levels)


def test_csv_has_one_row_per_control():
    r = run(HOME, "--framework", "nistir8259a", "--format", "csv", "--now", NOW)
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [row["id"] for row in rows] == ["1", "2", "3", "4", "5", "6"]
    assert list(rows[0])[:4] == ["id", "title", "group", "status"]


@pytest.mark.parametrize("args, message", [
    ((HOME,), "--framework is required"),
    ((HOME, "--framework", "iso"), 'unknown framework "iso" (known: '),
    ((HOME, "--framework", "iso27001-2022", "--assume", "nothing"), 'no mitigation "nothing"'),
    ((HOME, "--framework", "iso27001-2022", "--now", "tomorrow"), "--now 'tomorrow'"),
    ((HOME, "--framework", "iso27001-2022", "--format", "xml"), "unknown format 'xml'"),
])
def test_usage_errors(args, message):
    r = run(*args)
    assert r.returncode == 2
    assert message in r.stderr


def test_a_model_that_does_not_load_is_invalid_input(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    r = run(bad, "--framework", "iso27001-2022")
    assert r.returncode == 3
    assert "bad.json" in r.stderr
