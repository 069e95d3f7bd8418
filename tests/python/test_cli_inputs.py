"""Inputs of the iotnet command-line tool: every command reads each input
once, so pipes, /dev/stdin and FIFOs work; '-' is standard input, with the
format detected from the content; devices, directories, text after a JSON
document and DOCTYPEs get messages naming the file and what was expected.

Error cases assert a non-zero exit and the message, not the exact code."""

import json
import pathlib
import shutil
import subprocess

import pytest

from fifos import fifo_written

REPO = pathlib.Path(__file__).resolve().parents[2]
IOTNET = REPO / "build" / "iotnet"
MODELS = REPO / "models"
HOME_XML = MODELS / "topologies" / "home.xml"
THERMOSTAT = MODELS / "mud" / "thermostat.json"
THREATS = MODELS / "catalogs" / "threats.xml"
ISO_CONTROLS = MODELS / "catalogs" / "controls-iso27001-2022.xml"
CLI_HOME = REPO / "tests" / "data" / "cli" / "home.json"
TRAILING = REPO / "tests" / "data" / "bad" / "trailing-text.json"
DOCTYPE_TOPOLOGY = REPO / "tests" / "data" / "bad" / "dtd.xml"
SMALL_CATALOG = REPO / "tests" / "data" / "catalogs" / "small.xml"
TEST_CONTROLS = REPO / "tests" / "data" / "catalogs" / "controls-test.xml"
# a hang (a second read of a FIFO waiting for a writer that is gone) fails the test
TIMEOUT = 30

pytestmark = pytest.mark.skipif(not IOTNET.exists(), reason="build/iotnet is not built")


def run(*args, stdin=None, cwd=None):
    return subprocess.run([str(IOTNET), *map(str, args)], input=stdin, capture_output=True,
                          cwd=cwd, timeout=TIMEOUT)


def out(result):
    return result.stdout.decode()


def err(result):
    return result.stderr.decode()


# ---- pipes and /dev/stdin -------------------------------------------------------


def test_validate_reads_a_piped_mud_file_once():
    result = run("validate", "/dev/stdin", stdin=THERMOSTAT.read_bytes())
    assert result.returncode == 0, err(result) + out(result)
    assert out(result) == "/dev/stdin: ok (12 entries, 0 notes)\n"


@pytest.mark.parametrize("source, line", [
    (HOME_XML, "<stdin>: ok (17 nodes, 17 links, 6 zones)"),
    (CLI_HOME, "<stdin>: ok (7 nodes, 6 links, 4 zones)"),
    (THERMOSTAT, "<stdin>: ok (12 entries, 0 notes)"),
    (ISO_CONTROLS, "<stdin>: ok (93 controls)"),
])
def test_validate_dash_reads_standard_input_of_any_kind(source, line):
    result = run("validate", "-", stdin=source.read_bytes())
    assert result.returncode == 0, err(result) + out(result)
    assert out(result) == line + "\n"


def test_every_model_command_reads_a_dash_like_the_file():
    for args in (["info"], ["export", "--format", "json"], ["zones"], ["analyze"],
                 ["reach", "--from", "internet"]):
        from_file = run(*args, HOME_XML)
        from_stdin = run(*args, "-", stdin=HOME_XML.read_bytes())
        assert from_stdin.returncode == from_file.returncode, (args, err(from_stdin))
        assert out(from_stdin) == out(from_file).replace(str(HOME_XML), "<stdin>"), args


def test_a_catalog_from_standard_input():
    with_dash = run("analyze", HOME_XML, "--catalog", "-", stdin=ISO_CONTROLS.read_bytes())
    with_file = run("analyze", HOME_XML, "--catalog", ISO_CONTROLS)
    # the bundled catalogs hold these controls already: both say so, naming the input
    assert with_dash.returncode != 0 and with_file.returncode != 0
    assert err(with_dash) == err(with_file).replace(str(ISO_CONTROLS), "<stdin>")
    assert "duplicate control" in err(with_dash)


def test_mud_commands_read_standard_input(tmp_path):
    check = run("mud", "check", "-", stdin=THERMOSTAT.read_bytes())
    assert check.returncode == 0, err(check)
    assert out(check).startswith("<stdin>: ok (12 entries")
    model = tmp_path / "home.json"
    shutil.copy(CLI_HOME, model)
    device = json.loads(CLI_HOME.read_text())["iotnet-topology:topology"]["node"][1]["id"]
    result = run("mud", "import", "-", "--device", device, "--into", model,
                 stdin=THERMOSTAT.read_bytes())
    assert result.returncode == 0, err(result)


def test_a_model_from_standard_input_needs_o_for_the_import(tmp_path):
    result = run("mud", "import", THERMOSTAT, "--device", "x", "--into", "-", stdin=b"{}")
    assert result.returncode != 0
    assert "--into - reads the model from standard input: name the result with -o FILE" in err(result)
    assert not (pathlib.Path.cwd() / "-").exists()


def test_standard_input_named_twice_is_refused():
    result = run("validate", "-", "-", stdin=THERMOSTAT.read_bytes())
    assert result.returncode != 0
    assert "'-' (standard input) names more than one input; it can be read once" in err(result)
    assert out(result) == ""
    result = run("analyze", "-", "--catalog", "-", stdin=HOME_XML.read_bytes())
    assert result.returncode != 0
    assert "names more than one input" in err(result)


def test_empty_standard_input_is_named():
    result = run("validate", "-", stdin=b"")
    assert result.returncode != 0
    assert out(result) == "<stdin>: empty input, expected a topology in JSON or XML\n"


# ---- FIFOs ----------------------------------------------------------------------


@pytest.mark.parametrize("source, line", [
    (THERMOSTAT, ": ok (12 entries, 0 notes)"),
    (HOME_XML, ": ok (17 nodes, 17 links, 6 zones)"),
    (ISO_CONTROLS, ": ok (93 controls)"),
])
def test_validate_reads_a_fifo_written_once(tmp_path, source, line):
    with fifo_written(tmp_path, source.read_bytes()) as fifo:
        result = run("validate", fifo)
    assert result.returncode == 0, err(result) + out(result)
    assert out(result) == str(fifo) + line + "\n"


def test_validate_reads_a_control_catalog_fifo_once_for_a_threat_catalog(tmp_path):
    # a threat catalog is checked beside the control catalogs named with it,
    # and the control catalog is reported too, from the one read of the FIFO
    with fifo_written(tmp_path, TEST_CONTROLS.read_bytes(), "controls.fifo") as fifo:
        result = run("validate", SMALL_CATALOG, fifo)
    assert result.returncode == 0, err(result) + out(result)
    assert out(result).splitlines() == ["%s: ok (2 threats, 2 mitigations)" % SMALL_CATALOG,
                                        "%s: ok (2 controls)" % fifo]


def test_other_commands_read_a_fifo_written_once(tmp_path):
    expected = run("info", HOME_XML)
    with fifo_written(tmp_path, HOME_XML.read_bytes()) as fifo:
        result = run("info", fifo)
    assert result.returncode == 0, err(result)
    assert out(result) == out(expected).replace(str(HOME_XML), str(fifo))
    with fifo_written(tmp_path, THERMOSTAT.read_bytes(), "mud.fifo") as fifo:
        result = run("mud", "check", fifo)
    assert result.returncode == 0, err(result)


# ---- what is not a model --------------------------------------------------------


def test_a_directory_as_the_model_says_so(tmp_path):
    for args in (["info", tmp_path], ["validate", tmp_path], ["analyze", tmp_path]):
        result = run(*args)
        assert result.returncode != 0, args
        assert "cannot read %s: it is a directory, not a file" % tmp_path in err(result) + out(result)


def test_an_empty_catalog_directory_is_refused(tmp_path):
    empty = tmp_path / "emptydir"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a catalog")
    result = run("analyze", HOME_XML, "--catalog", empty)
    assert result.returncode != 0
    assert err(result) == "%s: no catalog files (*.xml) in the directory\n" % empty
    assert out(result) == ""


def test_text_after_a_json_document_is_refused(tmp_path):
    result = run("validate", TRAILING)
    assert result.returncode != 0
    assert out(result) == ('%s:6: "}" after the end of the JSON document, expected nothing more '
                           '(one document per file)\n' % TRAILING)
    mud = tmp_path / "two.json"
    mud.write_bytes(THERMOSTAT.read_bytes() + b"\n{}\n")
    result = run("mud", "check", mud)
    assert result.returncode != 0
    assert '"{}" after the end of the JSON document' in out(result)


def test_a_doctype_gets_the_same_message_from_validate_and_analyze(tmp_path):
    catalog = tmp_path / "doctype.xml"
    catalog.write_text('<?xml version="1.0"?>\n<!DOCTYPE catalog [<!ENTITY x "y">]>\n'
                       '<catalog xmlns="urn:libiotnet:catalog" namespace="x"/>\n')
    validate = run("validate", catalog)
    analyze = run("analyze", HOME_XML, "--catalog", catalog)
    assert validate.returncode != 0 and analyze.returncode != 0
    assert out(validate) == err(analyze) == (
        "%s:2: a DOCTYPE is not allowed in a catalog (no DTDs, external entities or network "
        "access are read)\n" % catalog)
    validate = run("validate", DOCTYPE_TOPOLOGY)
    analyze = run("analyze", DOCTYPE_TOPOLOGY)
    assert validate.returncode != 0 and analyze.returncode != 0
    assert out(validate) == err(analyze)
    assert out(validate).startswith("%s:2: " % DOCTYPE_TOPOLOGY)


def test_a_link_from_a_node_to_itself_is_named_with_its_line():
    bad = REPO / "tests" / "data" / "bad" / "link-to-itself.json"
    result = run("validate", bad)
    assert result.returncode != 0
    assert out(result) == ('%s:7: link "loop" connects node "gw" to itself; a link joins two different '
                           "nodes (at /iotnet-topology:topology/link[id='loop'])\n" % bad)
