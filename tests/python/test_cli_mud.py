"""iotnet mud check and iotnet mud import, and MUD files in iotnet validate,
run as a user would run them (build/iotnet)."""

import json
import pathlib
import shutil
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
IOTNET = REPO / "build" / "iotnet"
MUD_DATA = REPO / "tests" / "data" / "mud"
EXAMPLES = REPO / "models" / "mud"
HOME = REPO / "models" / "topologies" / "home.xml"
FLATTEN = MUD_DATA / "good" / "flatten.json"
EXTENSION = MUD_DATA / "good" / "extension.json"
EXTENSION_YANG = MUD_DATA / "yang"
DRAFT = MUD_DATA / "pre-rfc" / "draft-style.json"
MALFORMED = MUD_DATA / "bad" / "malformed.json"
WRONG_TYPE = MUD_DATA / "bad" / "wrong-type.json"
CORPUS = REPO.parent / "shared" / "corpus" / "mud"

pytestmark = pytest.mark.skipif(not IOTNET.exists(), reason="build/iotnet is not built")


def run(*args, cwd=None):
    return subprocess.run([str(IOTNET), *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def expect_usage_error(result, *needles):
    assert result.returncode == 2, result
    assert "--help" in result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr
    assert result.stdout == ""


# ---- help and usage -------------------------------------------------------------


def test_mud_is_listed_with_its_subcommands():
    assert "  mud " in run("--help").stdout
    result = run("mud", "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("Usage: iotnet mud check")
    assert "import" in result.stdout
    assert run("help", "mud").stdout == result.stdout


@pytest.mark.parametrize("sub", ["check", "import"])
def test_every_subcommand_has_help(sub):
    result = run("mud", sub, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: iotnet mud %s " % sub)
    for option in ["--lenient", "--yang-path", "--format", "--output"]:
        assert option in result.stdout
    assert run("mud", sub, "-h").stdout == result.stdout


@pytest.mark.parametrize("args, needles", [
    (["mud"], ["iotnet mud: missing subcommand"]),
    (["mud", "frobnicate"], ["unknown subcommand 'frobnicate'"]),
    (["mud", "check"], ["iotnet mud check: missing FILE"]),
    (["mud", "check", FLATTEN, "--format", "csv"], ["unknown format 'csv'"]),
    (["mud", "check", FLATTEN, "--device", "x"], ["unknown option '--device'"]),
    (["mud", "import", FLATTEN, "--into", HOME], ["missing --device NODE"]),
    (["mud", "import", FLATTEN, "--device", "thermostat"], ["missing --into MODEL"]),
    (["mud", "import", "--device", "thermostat", "--into", HOME], ["missing FILE"]),
    (["mud", "import", FLATTEN, FLATTEN, "--device", "t", "--into", HOME], ["too many arguments"]),
    (["validate", FLATTEN, "--lenient"], ["unknown option '--lenient'"]),
])
def test_usage_errors_exit_2(args, needles):
    expect_usage_error(run(*args), *needles)


# ---- mud check ------------------------------------------------------------------


def test_check_our_examples():
    files = sorted(EXAMPLES.glob("*.json"))
    assert len(files) >= 2
    result = run("mud", "check", *files)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(files)
    for path, line in zip(files, lines):
        assert line.startswith("%s: ok (" % path), line
        assert "entries" in line and "note" not in line


def test_check_lists_notes_under_an_ok_file():
    result = run("mud", "check", FLATTEN)
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert lines[0] == "%s: ok (9 entries, 6 notes)" % FLATTEN
    assert len(lines) == 7
    assert all(line.startswith("  note: /ietf-access-control-list:acls/acl[name=") for line in lines[1:])
    assert any("protocol 2 is not modelled" in line for line in lines)


def test_check_names_file_line_and_path_of_errors():
    result = run("mud", "check", FLATTEN, MALFORMED, WRONG_TYPE)
    assert result.returncode == 3
    lines = result.stdout.splitlines()
    assert lines[0].startswith("%s: ok" % FLATTEN)
    errors = [line for line in lines if not line.startswith("  ")][1:]
    assert errors[0].startswith("%s:5: " % MALFORMED), errors[0]
    assert errors[1].startswith("%s:6: " % WRONG_TYPE), errors[1]
    assert "/ietf-mud:mud/cache-validity" in errors[1]


def test_check_pre_rfc_strictly_and_leniently():
    strict = run("mud", "check", DRAFT)
    assert strict.returncode == 3
    assert strict.stdout.startswith("%s:19: pre-RFC 8519 construct: root member "
                                    "\"ietf-access-control-list:access-lists\"" % DRAFT), strict.stdout
    assert "lenient" in strict.stdout
    lenient = run("mud", "check", "--lenient", DRAFT)
    assert lenient.returncode == 0, lenient.stdout
    lines = lenient.stdout.splitlines()
    assert lines[0] == "%s: ok (1 entry, 5 lenient changes, 4 notes)" % DRAFT
    changes = [line for line in lines if line.startswith("  changed: ")]
    assert changes[0] == ("  changed: renamed ietf-access-control-list:access-lists to "
                          "ietf-access-control-list:acls")
    assert any("ethertype \"0x0800\"" in line and "written as 2048" in line for line in changes)
    assert len(changes) == 5


def test_check_missing_extension_and_yang_path():
    result = run("mud", "check", EXTENSION)
    assert result.returncode == 3
    assert "extension module \"example-mud-ext\"" in result.stdout
    assert "example-mud-ext:labels" in result.stdout
    result = run("mud", "check", "--yang-path", EXTENSION_YANG, EXTENSION)
    assert result.returncode == 0, result.stdout
    assert result.stdout == "%s: ok (1 entry)\n" % EXTENSION


def test_check_json_report(tmp_path):
    out = tmp_path / "report.json"
    result = run("mud", "check", "--lenient", "--format", "json", "-o", out, DRAFT, MALFORMED)
    assert result.returncode == 3
    assert result.stdout == ""
    report = json.loads(out.read_text())
    assert report["ok"] is False and report["failed"] == 1
    good, bad = report["files"]
    assert good["ok"] is True and good["entries"] == 1
    assert good["mud-url"] == "https://devices.example.com/draft-style"
    assert len(good["changes"]) == 5 and len(good["notes"]) == 4
    assert bad["ok"] is False
    assert bad["error"]["line"] == 5
    assert bad["error"]["code"]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared MUD corpus is not beside the checkout")
def test_check_the_corpus():
    rfc = sorted((CORPUS / "rfc8520").glob("*.json"))
    assert run("mud", "check", *rfc).returncode == 0
    pre = sorted((CORPUS / "pre-rfc").glob("*.json"))
    assert run("mud", "check", *pre).returncode == 3
    result = run("mud", "check", "--lenient", *pre)
    assert result.returncode == 0, result.stdout
    ext = sorted((CORPUS / "needs-extension").glob("*.json"))
    result = run("mud", "check", *ext)
    assert result.returncode == 3
    assert result.stdout.count("extension module") == len(ext)


# ---- mud import -----------------------------------------------------------------


def profile_of(model_json, node_id):
    topology = json.loads(model_json.read_text())["iotnet-topology:topology"]
    node = next(n for n in topology["node"] if n["id"] == node_id)
    return node, node.get("mud-profile")


def test_import_over_the_model_atomically(tmp_path):
    model = tmp_path / "home.json"
    assert run("export", HOME, "--format", "json", "-o", model).returncode == 0
    result = run("mud", "import", EXAMPLES / "garden-camera.json", "--device", "cam-garden",
                 "--into", model)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "%s: attached %s to cam-garden (14 entries)\n" % (
        model, EXAMPLES / "garden-camera.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home.json"]
    node, profile = profile_of(model, "cam-garden")
    assert node["mud-url"] == "https://mud.camera-vendor.example/e1-outdoor/3.1.json"
    assert profile["mud-url"] == node["mud-url"]
    assert profile["model-name"] == "E1 Outdoor"
    assert len(profile["ace"]) == 14
    first = profile["ace"][0]
    assert first == {"position": 0, "policy": "from-device", "acl": "garden-camera-from",
                     "name": "api-fr", "peer": "dnsname", "peer-value": "api.camera-vendor.example",
                     "protocol": "tcp", "destination-lower-port": 443, "initiated": "from-device",
                     "action": "accept"}
    # the result is a valid model that keeps the profile
    assert run("validate", model).returncode == 0
    again = tmp_path / "again.xml"
    assert run("export", model, "--format", "xml", "-o", again).returncode == 0
    assert "<mud-profile>" in again.read_text()


def test_import_to_another_file_keeps_the_model(tmp_path):
    model = tmp_path / "home.xml"
    shutil.copy(HOME, model)
    before = model.read_bytes()
    out = tmp_path / "with-mud.xml"
    result = run("mud", "import", "--lenient", DRAFT, "--device", "thermostat", "--into", model,
                 "-o", out)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "%s: attached %s to thermostat (1 entry, 5 lenient changes, 4 notes)" % (out, DRAFT)
    assert sum(line.startswith("  changed: ") for line in lines) == 5
    assert model.read_bytes() == before
    text = out.read_text()
    assert text.lstrip().startswith("<")
    assert "https://devices.example.com/draft-style" in text
    assert run("validate", out).returncode == 0


def test_import_json_report(tmp_path):
    model = tmp_path / "home.json"
    assert run("export", HOME, "--format", "json", "-o", model).returncode == 0
    result = run("mud", "import", FLATTEN, "--device", "thermostat", "--into", model,
                 "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["device"] == "thermostat" and report["model"] == str(model)
    assert report["entries"] == 9 and len(report["notes"]) == 6 and report["changes"] == []


@pytest.mark.parametrize("mud, device, needle", [
    (FLATTEN, "no-such-node", "has no node \"no-such-node\""),
    (MALFORMED, "thermostat", "%s:5: " % MALFORMED),
    (DRAFT, "thermostat", "pre-RFC 8519 construct"),
])
def test_import_failures_leave_the_model_alone(tmp_path, mud, device, needle):
    model = tmp_path / "home.xml"
    shutil.copy(HOME, model)
    before = model.read_bytes()
    result = run("mud", "import", mud, "--device", device, "--into", model)
    assert result.returncode == 3
    assert needle in result.stderr, result.stderr
    assert result.stdout == ""
    assert model.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home.xml"]


def test_import_into_a_broken_model(tmp_path):
    model = tmp_path / "broken.json"
    model.write_text("{ not json")
    result = run("mud", "import", FLATTEN, "--device", "x", "--into", model)
    assert result.returncode == 3
    assert str(model) in result.stderr


# ---- validate -------------------------------------------------------------------


def test_validate_recognises_mud_files(tmp_path):
    result = run("validate", HOME, EXAMPLES / "thermostat.json", WRONG_TYPE)
    assert result.returncode == 3
    lines = result.stdout.splitlines()
    assert lines[0].startswith("%s: ok (" % HOME) and "nodes" in lines[0]
    assert lines[1] == "%s: ok (12 entries, 0 notes)" % (EXAMPLES / "thermostat.json")
    assert lines[2].startswith("%s:6: " % WRONG_TYPE)
    report = json.loads(run("validate", "--format", "json", EXAMPLES / "thermostat.json").stdout)
    assert report["files"][0]["type"] == "mud"
    assert report["files"][0]["entries"] == 12
