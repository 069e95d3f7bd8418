"""Exit codes a CI step can trust, the same in every command: 0 ok, 1 findings
at or above --fail-on, 2 usage error, 3 invalid input or I/O error; and the
Makefile's demo tolerating findings but not a broken model."""

import pathlib
import re
import subprocess

import pytest

import iotnet

REPO = pathlib.Path(__file__).resolve().parents[2]
IOTNET = REPO / "build" / "iotnet"
HOME = REPO / "models" / "topologies" / "home.xml"
PLANT = REPO / "models" / "topologies" / "plant.xml"
BROKEN = REPO / "tests" / "data" / "cli" / "broken.json"
MUD_GOOD = REPO / "models" / "mud" / "thermostat.json"
MUD_BAD = REPO / "tests" / "data" / "mud" / "bad" / "malformed.json"
NOW = "2026-11-18"  # the home network's highest open residual risk is then 20

pytestmark = [
    pytest.mark.skipif(not IOTNET.exists(), reason="build/iotnet is not built"),
    pytest.mark.skipif(not iotnet.catalog.has_engine(),
                       reason="the catalog and evaluation engine is not in this build"),
]

ISO = ["--framework", "iso27001-2022", "--now", NOW]
NIST = ["--framework", "nistir8259a", "--now", NOW]

CODES = [
    # 0 ok, 3 invalid input: the commands that answer or write documents
    (["validate", HOME], 0), (["validate", HOME, BROKEN], 3),
    (["info", HOME], 0), (["info", BROKEN], 3),
    (["export", HOME, "--format", "dot"], 0), (["export", BROKEN, "--format", "dot"], 3),
    (["reach", HOME, "--from", "internet"], 0), (["reach", HOME, "--from", "ghost"], 3),
    (["reach", HOME], 2), (["reach", HOME, "--from", "internet", "--service", "tcp/x"], 2),
    (["table", HOME, "--now", NOW], 0), (["table", BROKEN], 3),
    (["mud", "check", MUD_GOOD], 0), (["mud", "check", MUD_BAD], 3),
    (["oscal", "component-definition"], 0),
    # oscal writes a document: 0 once written, whatever the findings
    (["oscal", "assessment-results", HOME, "--now", NOW], 0),
    (["oscal", "assessment-results", BROKEN], 3),
    # analyze: open findings by default, or those of at least a risk
    (["analyze", HOME, "--now", NOW], 1),
    (["analyze", HOME, "--now", NOW, "--fail-on", "open"], 1),
    (["analyze", HOME, "--now", NOW, "--fail-on", "never"], 0),
    (["analyze", HOME, "--now", NOW, "--fail-on", "risk>=20"], 1),
    (["analyze", HOME, "--now", NOW, "--fail-on", "risk>=21"], 0),
    (["analyze", HOME, "--now", NOW, "--format", "oscal"], 1),
    (["analyze", HOME, "--now", NOW, "--format", "oscal", "--fail-on", "never"], 0),
    (["analyze", BROKEN], 3), (["analyze", BROKEN, "--fail-on", "never"], 3),
    (["analyze", HOME, "--catalog", BROKEN], 3),
    # compliance: controls with open findings by default; gap only the gaps
    (["compliance", HOME, *ISO], 1),
    (["compliance", HOME, *ISO, "--fail-on", "never"], 0),
    (["compliance", HOME, *ISO, "--fail-on", "gap"], 1),
    (["compliance", HOME, *ISO, "--fail-on", "risk>=20"], 1),
    (["compliance", HOME, *ISO, "--fail-on", "risk>=21"], 0),
    (["compliance", HOME, *NIST, "--assume", "rats-attestation"], 1),  # partially addressed
    (["compliance", HOME, *NIST, "--assume", "rats-attestation", "--fail-on", "gap"], 0),
    (["compliance", HOME, *ISO, "--format", "oscal"], 1),
    (["compliance", HOME, *ISO, "--format", "oscal", "--fail-on", "risk>=21"], 0),
    (["compliance", BROKEN, *ISO], 3),
    # zones and diff: any violation, any change
    (["zones", HOME], 1), (["zones", HOME, "--fail-on", "never"], 0), (["zones", BROKEN], 3),
    (["diff", HOME, HOME], 0), (["diff", HOME, PLANT], 1),
    (["diff", HOME, PLANT, "--fail-on", "never"], 0), (["diff", BROKEN, HOME], 3),
]


def run(*args, cwd=None):
    return subprocess.run([str(IOTNET), *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=cwd)


@pytest.mark.parametrize("args, code", CODES, ids=[" ".join(map(str, a))[-70:] for a, _ in CODES])
def test_each_command_exits_with_its_code(args, code):
    result = run(*args)
    assert result.returncode == code, result.stderr
    if code == 3:  # the report of validate and mud check, else a message on stderr; no usage hint
        assert (result.stderr or result.stdout) and "--help" not in result.stderr


@pytest.mark.parametrize("args", [
    ["analyze", HOME, "--now", NOW],
    ["zones", HOME],
    ["diff", HOME, PLANT],
    ["compliance", HOME, *ISO],
])
def test_output_that_cannot_be_written_is_3_even_with_findings(args, tmp_path):
    result = run(*args, "-o", tmp_path / "missing" / "out.txt")
    assert result.returncode == 3
    assert "No such file or directory" in result.stderr


@pytest.mark.parametrize("command, value, expected", [
    (["analyze", HOME], "gap", "never, open or risk>=N (N 1..25)"),
    (["analyze", HOME], "risk>=0", "never, open or risk>=N (N 1..25)"),
    (["analyze", HOME], "risk>=26", "never, open or risk>=N (N 1..25)"),
    (["analyze", HOME], "risk>=5x", "never, open or risk>=N (N 1..25)"),
    (["compliance", HOME, *ISO], "always", "never, open, risk>=N (N 1..25) or gap"),
    (["zones", HOME], "risk>=3", "never or open"),
    (["diff", HOME, PLANT], "gap", "never or open"),
])
def test_an_unknown_fail_on_is_a_usage_error_naming_the_choices(command, value, expected):
    result = run(*command, "--fail-on", value)
    assert result.returncode == 2 and result.stdout == ""
    name = command[0]
    assert result.stderr == "iotnet %s: --fail-on '%s': expected %s\nTry 'iotnet %s --help'.\n" % (
        name, value, expected, name)


def test_fail_on_gap_needs_the_controls():
    result = run("compliance", HOME, *ISO, "--format", "oscal", "--fail-on", "gap")
    assert result.returncode == 2 and result.stdout == ""
    assert "--fail-on gap needs the controls' statuses" in result.stderr


@pytest.mark.parametrize("command", ["table", "info", "export", "oscal"])
def test_fail_on_belongs_to_the_checking_commands(command):
    args = {"oscal": ["oscal", "assessment-results", HOME]}.get(command, [command, HOME])
    result = run(*args, "--fail-on", "never")
    assert result.returncode == 2 and "unknown option '--fail-on'" in result.stderr


# ---- the help says it --------------------------------------------------------------


def help_of(*command):
    result = run(*command, "--help")
    assert result.returncode == 0
    return result.stdout


def test_main_help_lists_the_four_codes():
    text = help_of()
    assert "Exit status, the same in every command:\n  0  success\n  1  findings at or above --fail-on" in text
    assert "\n  2  usage error" in text and "\n  3  invalid input" in text


@pytest.mark.parametrize("command", [["analyze"], ["compliance"], ["zones"], ["diff"]])
def test_checking_commands_document_fail_on(command):
    text = help_of(*command)
    assert "--fail-on WHAT          what exits 1: open (default)" in text
    assert re.search(r"Exit status: 0 .*\n?.*1 ", text)
    assert ", 3 " in text or "\n3 " in text


@pytest.mark.parametrize("command", [
    ["validate"], ["info"], ["export"], ["reach"], ["table"], ["analyze"], ["compliance"], ["zones"],
    ["diff"], ["mud", "check"], ["mud", "import"], ["oscal", "assessment-results"],
    ["oscal", "component-definition"],
])
def test_every_help_names_exit_3_for_bad_input(command):
    text = help_of(*command)
    assert re.search(r"(Exits 3 when any file fails|\b3 [a-zA-Z]+)", text), text[-400:]
    assert not re.search(r"1 (the model|a catalog|an input)[^\n]*fail", text)


# ---- the demo --------------------------------------------------------------------


def demo_lines_tolerating_findings():
    """The demo's commands that accept exit 1, as the shell runs them."""
    text = (REPO / "Makefile").read_text()
    recipe = text.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    lines = [line.strip() for line in recipe.splitlines()[1:] if "|| [ $$? -eq 1 ]" in line]
    assert len(lines) >= 4
    return [line.replace("$(BUILD)", "build").replace("$(HOME_MODEL)", "models/topologies/home.xml")
            .replace("$$", "$") for line in lines]


def test_the_demo_passes_findings_but_not_a_broken_model(tmp_path):
    for line in demo_lines_tolerating_findings():
        line = re.sub(r"-o build/demo/(\S+)", lambda m: "-o %s" % (tmp_path / m.group(1)), line)
        ok = subprocess.run(["bash", "-c", line], cwd=REPO, capture_output=True, timeout=300)
        assert ok.returncode == 0, (line, ok.stderr)
        broken = re.sub(r"models/topologies/\w+\.xml", str(BROKEN), line)
        failed = subprocess.run(["bash", "-c", broken], cwd=REPO, capture_output=True, timeout=300)
        assert failed.returncode != 0, broken
