"""iotnet table and iotnet analyze --format markdown|xml2rfc, run as a user
would run them (build/iotnet) on the bundled reference networks."""

import csv
import io
import json
import pathlib
import subprocess
import xml.etree.ElementTree as ET

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
IOTNET = REPO / "build" / "iotnet"
HOME = REPO / "models" / "topologies" / "home.xml"
SUBSTATION = REPO / "models" / "topologies" / "substation.xml"
BROKEN = REPO / "tests" / "data" / "cli" / "broken.json"
NOW = "2026-11-18"


def _has_table_command():
    return IOTNET.exists() and subprocess.run([str(IOTNET), "help", "table"],
                                              capture_output=True).returncode == 0


pytestmark = pytest.mark.skipif(not _has_table_command(), reason="build/iotnet has no table command")


def run(*args):
    return subprocess.run([str(IOTNET), *map(str, args)], capture_output=True, text=True, timeout=300)


def table(*args, model=HOME):
    result = run("table", model, "--now", NOW, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_default_is_the_findings_table_as_xml2rfc():
    root = ET.fromstring(table())
    assert root.tag == "table" and root.get("anchor") == "findings-connected-home-behind-cgnat"
    assert root.find("name").text == "Findings for Connected home behind CGNAT"
    assert [th.text for th in root.find("thead/tr")] == ["Threat", "Target", "Status", "Residual risk",
                                                         "Mitigations"]


@pytest.mark.parametrize("kind,anchor", [("findings", "findings"), ("threats", "threats"),
                                         ("exposure", "exposure"), ("zones", "zones")])
def test_every_kind_in_every_single_table_format(kind, anchor):
    full = "%s-connected-home-behind-cgnat" % anchor
    assert ET.fromstring(table("--table", kind)).get("anchor") == full
    assert table("--table", kind, "--format", "markdown").rstrip().endswith("}")
    assert ET.fromstring(table("--table", kind, "--format", "html")).get("id") == full
    data = json.loads(table("--table", kind, "--format", "json"))
    assert data["anchor"] == full and data["rows"]
    rows = list(csv.reader(io.StringIO(table("--table", kind, "--format", "csv"), newline="")))
    assert rows[0] == [c["key"] for c in data["columns"]] and len(rows) == len(data["rows"]) + 1


def test_columns_sort_group_anchor_and_title():
    out = table("--table", "exposure", "--format", "json", "--columns", "node,flow,exposure",
                "--sort", "-flow", "--group", "none", "--anchor", "internet-view", "--title", "Seen")
    data = json.loads(out)
    assert data["anchor"] == "internet-view" and data["title"] == "Seen"
    assert [c["key"] for c in data["columns"]] == ["node", "flow", "exposure"]
    assert not any(c["grouped"] for c in data["columns"])
    flows = [r["flow"] for r in data["rows"]]
    assert flows == sorted(flows, reverse=True)
    root = ET.fromstring(table("--table", "zones", "--group", "to_zone", "--sort", "to_zone"))
    assert any(td.get("rowspan") for td in root.iter("td"))


def test_markdown_repeats_no_group_value():
    md = table("--table", "exposure", "--format", "markdown", "--columns", "node,service")
    rows = [line for line in md.splitlines() if line.startswith("| ") and "Node" not in line]
    nodes = [r.split("|")[1].strip() for r in rows]
    named = [n for n in nodes if n]
    assert len(named) == len(set(named)), "each node named once, on its group's first row"
    assert "" in nodes


def test_whole_drafts():
    xml = table("--format", "draft-xml", "--author", "A. Author", "--title", "Home tables",
                "--docname", "draft-author-home-tables-00")
    root = ET.fromstring(xml)
    assert root.get("docName") == "draft-author-home-tables-00"
    assert root.find("front/title").text == "Home tables"
    assert root.find("front/date").attrib == {"year": "2026", "month": "11", "day": "18"}
    assert [t.get("anchor").split("-")[0] for t in root.iter("table")] == \
        ["findings", "exposure", "zones", "threats"]
    md = table("--format", "draft-markdown", "--table", "zones", "--table", "findings")
    assert md.startswith("---\n") and md.index("# Zone matrix") < md.index("# Findings")


def test_a_model_without_internet_has_an_empty_exposure_table():
    root = ET.fromstring(table("--table", "exposure", model=SUBSTATION))
    assert [td.text for td in root.iter("td")] == ["(none)"]


def test_output_file_is_written_atomically(tmp_path):
    out = tmp_path / "t.md"
    out.write_text("old")
    result = run("table", HOME, "--format", "markdown", "-o", out)
    assert result.returncode == 0 and result.stdout == ""
    assert out.read_text().startswith("| Threat |")
    assert list(tmp_path.iterdir()) == [out], "no temporary file left behind"
    missing = run("table", HOME, "-o", tmp_path / "no" / "such" / "dir.xml")
    assert missing.returncode == 3 and "no/such" in missing.stderr


@pytest.mark.parametrize("args,message", [
    (["--table", "risks"], "unknown table 'risks'"),
    (["--table", "zones", "--table", "zones", "--format", "draft-xml"], "named twice"),
    (["--table", "zones", "--table", "findings"], "give one --table"),
    (["--format", "draft-xml", "--columns", "threat"], "need a single --table"),
    (["--columns", "threat,colour"], "unknown column 'colour'"),
    (["--group", "status", "--columns", "threat"], "not among the columns shown"),
    (["--anchor", "section-2"], "reserves"),
    (["--format", "draft-xml", "--docname", "mine"], "docname 'mine'"),
    (["--author", "me"], "draft formats"),
    (["--format", "pdf"], "unknown format 'pdf'"),
    (["--now", "tomorrow"], "--now 'tomorrow'"),
    (["--table", "exposure", "--from", "nobody"], "nobody"),
])
def test_usage_errors_exit_2(args, message):
    result = run("table", HOME, *args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr


def test_invalid_model_exits_3():
    result = run("table", BROKEN)
    assert result.returncode == 3 and str(BROKEN) in result.stderr


def test_help_lists_the_command():
    assert "table" in run("--help").stdout
    assert "--columns KEYS" in run("table", "--help").stdout


def test_analyze_writes_markdown_and_xml2rfc():
    md = run("analyze", HOME, "--now", NOW, "--format", "markdown")
    assert md.returncode == 1, "open findings still exit 1"
    assert md.stdout.startswith("| Threat | Target | Status | Residual risk | Mitigations |\n")
    xml = run("analyze", HOME, "--now", NOW, "--format", "xml2rfc")
    assert xml.returncode == 1
    root = ET.fromstring(xml.stdout)
    assert root.tag == "table"
    text = run("analyze", HOME, "--now", NOW, "--format", "json")
    assert len(root.findall("tbody/tr")) == len(json.loads(text.stdout)["findings"])
