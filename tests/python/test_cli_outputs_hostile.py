"""iotnet table, compliance and export with bad input, as a script would
meet it: exit 3 for what cannot be loaded or written, 2 for usage errors,
each with a message naming what was wrong, and -o never leaving a partial
file; and the CLI answers as the Python API does."""

import datetime
import json
import pathlib
import subprocess

import pytest

import iotnet

REPO = pathlib.Path(__file__).resolve().parents[2]
IOTNET = REPO / "build" / "iotnet"
TOPOLOGIES = REPO / "models" / "topologies"
HOME = TOPOLOGIES / "home.xml"
PLANT = TOPOLOGIES / "plant.xml"
BROKEN = REPO / "tests" / "data" / "cli" / "broken.json"
NOW = "2026-11-18"

pytestmark = [
    pytest.mark.skipif(not IOTNET.exists(), reason="build/iotnet is not built"),
    pytest.mark.skipif(not iotnet.catalog.has_engine(),
                       reason="the catalog and evaluation engine is not in this build"),
]

ISO = ["--framework", "iso27001-2022"]

CASES = [
    # (arguments, exit code, what the message must name)
    (["table", "/nonexistent.xml"], 3, ["/nonexistent.xml", "No such file"]),
    (["table", BROKEN], 3, ["broken.json"]),
    (["table", HOME, "--table", "nope"], 2, ["unknown table 'nope'", "findings"]),
    (["table", HOME, "--columns", "nope"], 2, ["unknown column 'nope'", "residual_risk"]),
    (["table", HOME, "--sort", "-nope"], 2, ["sort", "'nope'"]),
    (["table", HOME, "--group", "title"], 2, ["'title' is not among the columns shown"]),
    (["table", HOME, "--anchor", "section-1"], 2, ["section-1", "reserves"]),
    (["table", HOME, "--format", "pdf"], 2, ["unknown format 'pdf'"]),
    (["table", HOME, "--format", "draft-xml", "--docname", "my draft"], 2, ["docname 'my draft'"]),
    (["table", HOME, "--now", "2026-02-30"], 2, ["--now '2026-02-30'", "YYYY-MM-DD"]),
    (["table", HOME, "--table", "exposure", "--from", "nope"], 2, ["\"nope\""]),
    (["table", HOME, "--catalog", "/nonexistent"], 3, ["/nonexistent"]),
    (["compliance", HOME], 2, ["--framework is required"]),
    (["compliance", "/nonexistent.xml", *ISO], 3, ["/nonexistent.xml"]),
    (["compliance", BROKEN, *ISO], 3, ["broken.json"]),
    (["compliance", HOME, "--framework", "iso27001"], 2, ["unknown framework \"iso27001\"", "iso27001-2022"]),
    (["compliance", HOME, "--framework", "iec62443-3-3", "--format", "soa"], 2, ["--framework iso27001-2022"]),
    (["compliance", HOME, *ISO, "--format", "xml"], 2, ["unknown format 'xml'"]),
    (["compliance", HOME, *ISO, "--now", "tomorrow"], 2, ["--now 'tomorrow'"]),
    (["compliance", HOME, *ISO, "--assume", "nope"], 2, ["no mitigation \"nope\""]),
    (["compliance", HOME, *ISO, "--assume", "upnp-off@nope"], 2, ["no element \"nope\""]),
    (["compliance", HOME, *ISO, "--catalog", "/nonexistent"], 3, ["/nonexistent"]),
    (["export", HOME], 2, ["missing --format"]),
    (["export", "/nonexistent.xml", "--format", "svg"], 3, ["/nonexistent.xml"]),
    (["export", BROKEN, "--format", "dot"], 3, ["broken.json"]),
    (["export", HOME, "--format", "png"], 2, ["unknown format 'png'"]),
    (["export", HOME, "-o", "home.png"], 2, ["--format"]),
    (["export", HOME, "--format", "json", "--exposure"], 2, ["--exposure", "not json"]),
    (["export", HOME, "--format", "dot", "--catalog", "x"], 2, ["give --findings too"]),
    (["export", HOME, "--format", "svg", "--findings", "--now", "2026-13-01"], 2, ["--now '2026-13-01'"]),
]


def run(*args, cwd=None):
    return subprocess.run([str(IOTNET), *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=cwd)


@pytest.mark.parametrize("args,code,needles", CASES, ids=[" ".join(map(str, c[0]))[-60:] for c in CASES])
def test_bad_input_exits_with_its_code_and_names_the_problem(args, code, needles, tmp_path):
    result = run(*args, cwd=tmp_path)
    assert result.returncode == code, result.stderr
    assert result.stdout == ""
    for needle in needles:
        assert needle in result.stderr, result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [
    ["table", HOME, "--now", NOW],
    ["compliance", HOME, *ISO, "--now", NOW],
    ["export", HOME, "--format", "svg", "--exposure", "--findings", "--now", NOW],
])
def test_output_into_a_missing_directory_fails_and_writes_nothing(command, tmp_path):
    target = tmp_path / "missing" / "out.txt"
    result = run(*command, "-o", target)
    assert result.returncode == 3
    assert str(target) in result.stderr and "No such file or directory" in result.stderr
    assert not target.parent.exists()


@pytest.mark.parametrize("command", [
    ["table", HOME, "--now", NOW, "--catalog", BROKEN],
    ["compliance", HOME, *ISO, "--now", NOW, "--catalog", BROKEN],
    ["export", HOME, "--format", "svg", "--findings", "--catalog", BROKEN],
    ["table", HOME, "--columns", "nope"],
])
def test_a_failed_run_leaves_the_previous_output_as_it_was(command, tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("previous")
    result = run(*command, "-o", target)
    assert result.returncode in (2, 3) and result.stderr
    assert target.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_output_onto_a_directory_names_it(tmp_path):
    result = run("export", HOME, "--format", "dot", "-o", tmp_path)
    assert result.returncode == 3 and "Is a directory" in result.stderr
    assert list(tmp_path.iterdir()) == []


# ---- the CLI and Python give the same answers ------------------------------------------


@pytest.fixture(scope="module", params=[HOME, PLANT], ids=["home", "plant"])
def model(request):
    net = iotnet.load(request.param)
    yield request.param, net
    net.close()


def cli_text(*args):
    result = subprocess.run([str(IOTNET), *map(str, args)], capture_output=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout.decode("utf-8")


@pytest.mark.parametrize("framework", ["iso27001-2022", "iec62443-3-3", "etsi-en303645", "nistir8259a"])
def test_compliance_json_matches_python(model, framework):
    path, net = model
    data = json.loads(cli_text("compliance", path, "--framework", framework, "--format", "json", "--now", NOW))
    result = net.compliance(framework, now=datetime.date(2026, 11, 18))
    assert [(c["id"], c["status"]) for c in data["controls"]] == [(r.id, r.status) for r in result]
    assert {k: v for k, v in data["summary"].items() if k != "total"} == result.summary()
    assert data["summary"]["total"] == len(result)
    if framework == "iec62443-3-3":
        assert [(z["zone"], z["fr"], z["target"], z["achieved"]) for z in data["zone_levels"]] == \
            [(z.zone, z.fr, z.target, z.achieved) for z in result.zone_levels()]
    if framework == "iso27001-2022":
        soa = cli_text("compliance", path, "--framework", framework, "--format", "soa", "--now", NOW)
        assert soa == result.statement_of_applicability()


@pytest.mark.parametrize("fmt", ["json", "csv", "xml2rfc", "markdown", "html"])
def test_tables_match_python(model, fmt):
    path, net = model
    findings = net.analyze(now=datetime.date(2026, 11, 18))
    tables = {"findings": findings.to_table(), "exposure": net.reach("internet").to_table(),
              "zones": net.zone_matrix().to_table(), "threats": iotnet.Table.threats(findings=findings)}
    for kind, table in tables.items():
        assert cli_text("table", path, "--table", kind, "--format", fmt, "--now", NOW) == table.render(fmt), kind


@pytest.mark.parametrize("fmt", ["dot", "svg", "graphml"])
def test_exports_match_python(model, fmt):
    path, net = model
    assert cli_text("export", path, "--format", fmt) == net.export(fmt)
    marked = net.export(fmt, exposure=True, findings=net.analyze(now=datetime.date(2026, 11, 18)))
    assert cli_text("export", path, "--format", fmt, "--exposure", "--findings", "--now", NOW) == marked
