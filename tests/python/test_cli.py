"""The iotnet command-line tool: exit codes, help, validate, info, export
and atomic output, run as a user would run it (build/iotnet)."""

import csv
import io
import json
import os
import pathlib
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
IOTNET = REPO / "build" / "iotnet"
DATA = REPO / "tests" / "data" / "cli"
HOME = DATA / "home.json"
OFFICE = DATA / "office.xml"
BROKEN = DATA / "broken.json"
INVALID = DATA / "invalid.json"
YANG_NS = "urn:libiotnet:yang:iotnet-topology"
COMMANDS = ["validate", "info", "export"]

pytestmark = pytest.mark.skipif(not IOTNET.exists(), reason="build/iotnet is not built")


def run(*args, cwd=None):
    return subprocess.run([str(IOTNET), *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def expect_usage_error(result, *needles):
    assert result.returncode == 2, result
    assert "--help" in result.stderr
    for needle in needles:
        assert needle in result.stderr
    assert result.stdout == ""


# ---- global options and usage errors ------------------------------------------


def pkg_config_version(package):
    return subprocess.run(["pkg-config", "--modversion", package], capture_output=True,
                          text=True, check=True).stdout.strip()


def graphviz_version():
    """What Graphviz's own dot says ("dot - graphviz version 2.43.0 (0)")."""
    said = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=True).stderr
    return re.search(r"version (\S+)", said).group(1)


@pytest.mark.parametrize("option", ["--version", "-V"])
def test_version_names_the_libraries_underneath_and_the_data_directory(option):
    result = run(option)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.splitlines() == [
        "iotnet 0.1.0",
        "libyang " + pkg_config_version("libyang"),
        "libxml2 " + pkg_config_version("libxml-2.0"),
        "igraph " + pkg_config_version("igraph"),
        "Graphviz " + graphviz_version(),
        "data directory %s" % (REPO / "models"),
    ]


def test_iotnet_data_dir_names_where_the_data_is(tmp_path):
    assert "IOTNET_DATA_DIR" in run("--help").stdout
    env = dict(os.environ, IOTNET_DATA_DIR=str(tmp_path))
    said = subprocess.run([str(IOTNET), "--version"], capture_output=True, text=True, env=env)
    assert said.stdout.splitlines()[-1] == "data directory %s" % tmp_path
    lost = subprocess.run([str(IOTNET), "analyze", str(HOME)], capture_output=True, text=True,
                          env=env)
    assert lost.returncode != 0 and lost.stdout == ""
    assert lost.stderr == "%s/yang: cannot use the YANG module directory %s/yang\n" % (
        tmp_path, tmp_path)
    (tmp_path / "yang").symlink_to(REPO / "models" / "yang")
    (tmp_path / "catalogs").symlink_to(REPO / "models" / "catalogs")
    moved = subprocess.run([str(IOTNET), "analyze", str(HOME)], capture_output=True, text=True,
                           env=env)
    assert (moved.returncode, moved.stdout) == (run("analyze", HOME).returncode,
                                                run("analyze", HOME).stdout)


def test_main_help_lists_the_commands():
    result = run("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("Usage: iotnet COMMAND")
    for command in COMMANDS + ["help"]:
        assert re.search(r"^  %s " % command, result.stdout, re.M), command
    assert run("help").stdout == result.stdout


def test_no_arguments_is_a_usage_error():
    result = run()
    assert result.returncode == 2
    assert "Usage: iotnet" in result.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: iotnet %s " % command)
    assert "--output" in result.stdout and "--yang-path" in result.stdout
    assert run("help", command).stdout == result.stdout
    assert run(command, "-h").stdout == result.stdout


@pytest.mark.parametrize("args, needles", [
    (["frobnicate"], ["unknown command 'frobnicate'"]),
    (["--frobnicate"], ["unknown option '--frobnicate'"]),
    (["help", "frobnicate"], ["unknown command 'frobnicate'"]),
    (["validate"], ["missing FILE"]),
    (["info"], ["missing MODEL"]),
    (["export", "--format", "dot"], ["missing MODEL"]),
    (["info", HOME, HOME], ["too many arguments"]),
    (["info", HOME, "--colour"], ["unknown option '--colour'"]),
    (["info", HOME, "--format"], ["'--format' needs a value"]),
    (["info", HOME, "-o"], ["'-o' needs a value"]),
    (["info", HOME, "--format", "xml"], ["unknown format 'xml'", "text, json, csv"]),
    (["validate", HOME, "--format=csv"], ["unknown format 'csv'", "text, json"]),
    (["export", HOME, "--format", "png"], ["unknown format 'png'"]),
    (["export", HOME], ["missing --format"]),
])
def test_usage_errors_exit_2_with_a_hint(args, needles):
    expect_usage_error(run(*args), *needles)


def test_usage_errors_come_before_loading():
    # the model is never read: a usage error wins over a broken file
    expect_usage_error(run("info", BROKEN, "--bogus"), "--bogus")


# ---- validate -------------------------------------------------------------------


def test_validate_reports_counts_for_valid_files():
    result = run("validate", HOME, OFFICE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "%s: ok (7 nodes, 6 links, 4 zones)" % HOME,
        "%s: ok (3 nodes, 2 links, 2 zones)" % OFFICE,
    ]


def test_validate_names_file_and_line_of_a_syntax_error():
    result = run("validate", BROKEN)
    assert result.returncode == 3
    line = result.stdout.strip()
    assert line.startswith("%s:6: " % BROKEN), line


def test_validate_names_file_line_and_path_of_a_schema_error():
    result = run("validate", INVALID)
    assert result.returncode == 3
    line = result.stdout.strip()
    assert line.startswith("%s:8: " % INVALID), line
    assert "toaster" in line
    assert "/iotnet-topology:topology/node[id='toaster']/kind" in line


def test_validate_reports_every_file_and_fails_if_one_fails():
    result = run("validate", HOME, BROKEN, OFFICE)
    assert result.returncode == 3
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("%s: ok" % HOME)
    assert lines[1].startswith("%s:6: " % BROKEN)
    assert lines[2].startswith("%s: ok" % OFFICE)


def test_validate_a_missing_file(tmp_path):
    missing = tmp_path / "nope.json"
    result = run("validate", missing)
    assert result.returncode == 3
    assert result.stdout.startswith("%s: " % missing)


def test_validate_json_report():
    result = run("validate", "--format", "json", HOME, INVALID)
    assert result.returncode == 3
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["failed"] == 1
    good, bad = report["files"]
    assert good == {"file": str(HOME), "type": "topology", "ok": True,
                    "nodes": 7, "links": 6, "zones": 4}
    assert bad["ok"] is False
    assert bad["error"]["line"] == 8
    assert bad["error"]["path"] == "/iotnet-topology:topology/node[id='toaster']/kind"
    assert "toaster" in bad["error"]["message"]


def write_extension(directory):
    (directory / "garden-kinds.yang").write_text(
        'module garden-kinds {\n'
        '  yang-version 1.1;\n'
        '  namespace "urn:example:garden-kinds";\n'
        '  prefix garden;\n'
        '  import iotnet-topology { prefix iotnet; }\n'
        '  identity robot-mower { base iotnet:iot-device; }\n'
        '}\n')
    model = directory / "garden.json"
    model.write_text(json.dumps({"iotnet-topology:topology": {
        "name": "garden",
        "node": [{"id": "mower", "kind": "garden-kinds:robot-mower"}]}}))
    return model


def test_yang_path_extends_the_kinds(tmp_path):
    model = write_extension(tmp_path)
    assert run("validate", model).returncode == 3
    result = run("validate", "--yang-path", tmp_path, model)
    assert result.returncode == 0, result.stdout
    assert result.stdout == "%s: ok (1 node, 0 links, 0 zones)\n" % model
    info = json.loads(run("info", model, "--yang-path=%s" % tmp_path, "--format", "json").stdout)
    assert info["kinds"] == {"robot-mower": 1}
    assert info["families"] == {"device": 1}


# ---- info -----------------------------------------------------------------------


def test_info_text_summary():
    result = run("info", HOME)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    expected_lines = [
        "model: cli test home",
        "nodes: 7, links: 6, zones: 4, conduits: 1, services: 6",
        "  lan: home-lan, Purdue level 4, target SL 2, 2 nodes",
        "  iot: iot-lan, target SL 1, 2 nodes",
        "  cgnat (isp-router): NAT44 (CGNAT), mapping endpoint-independent, "
        "filtering address-and-port-dependent",
        "  router (home-router): firewall 3 rules, default drop; NAT44, mapping "
        "endpoint-independent, filtering endpoint-independent, UPnP",
        "    port forward cam-rtsp: tcp/8554 -> camera:554",
        "  camera rtsp tcp/554 via upnp",
        "  doorbell p2p udp/32100 via hole-punch",
        "  router web-ui tcp/80 authentication default-password",
        "  camera telnet tcp/23 authentication none",
    ]
    lines = text.splitlines()
    for line in expected_lines:
        assert line in lines, line
    assert re.search(r"^  camera +2$", text, re.M)
    assert re.search(r"^  device +3$", text, re.M)
    assert re.search(r"^  wifi +3$", text, re.M)


def test_info_json_has_the_same_facts():
    result = run("info", HOME, "--format", "json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["name"] == "cli test home"
    assert info["counts"] == {"nodes": 7, "links": 6, "zones": 4, "conduits": 1, "services": 6}
    assert info["families"] == {"device": 3, "forwarding": 2, "cloud-service": 1, "internet": 1}
    assert info["kinds"]["camera"] == 2 and info["kinds"]["home-router"] == 1
    assert info["media"] == {"wifi": 3, "dsl": 1, "fibre": 1, "internet": 1}
    zones = {z["id"]: z for z in info["zones"]}
    assert zones["lan"] == {"id": "lan", "kind": "home-lan", "purdue_level": 4,
                            "target_sl": 2, "nodes": 2}
    assert zones["isp"]["purdue_level"] is None and zones["isp"]["target_sl"] is None
    points = {p["node"]: p for p in info["enforcement_points"]}
    assert set(points) == {"cgnat", "router"}
    assert points["cgnat"]["policy"] is None
    assert points["cgnat"]["nat44"]["cgnat"] is True
    router = points["router"]
    assert router["policy"] == {"rules": 3, "default_action": "drop"}
    assert router["nat44"]["filtering"] == "endpoint-independent"
    assert router["nat44"]["upnp"] is True
    assert router["nat44"]["port_forwards"] == [{
        "name": "cam-rtsp", "protocol": "tcp", "external_port": 8554,
        "to_node": "camera", "internal_port": 554}]
    traversal = {(s["node"], s["service"]): s["nat_traversal"]
                 for s in info["nat_traversal_services"]}
    assert traversal == {("camera", "rtsp"): "upnp", ("doorbell", "p2p"): "hole-punch"}
    weak = {(s["node"], s["service"]): s["authentication"]
            for s in info["weak_management_services"]}
    assert weak == {("router", "web-ui"): "default-password", ("camera", "telnet"): "none"}


def test_info_csv_has_a_row_per_node():
    result = run("info", HOME, "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == ["internet", "vendor-cloud", "cgnat", "router", "camera",
                                       "doorbell", "laptop"]
    router = rows[3]
    assert router["kind"] == "home-router" and router["family"] == "forwarding"
    assert router["zone"] == "lan" and router["vendor"] == "Acme" and router["model"] == "R100"
    assert router["enforcement"] == "policy+nat44"
    assert router["services"] == ("web-ui tcp/80 auth=default-password transport=none "
                                  "management; dns udp/53 auth=none")
    assert rows[2]["enforcement"] == "nat44"
    assert rows[4]["model"] == 'C1, "outdoor"'
    assert rows[4]["services"] == ("rtsp tcp/554 auth=password traversal=upnp; "
                                   "telnet tcp/23 auth=none management")
    assert rows[6]["services"] == "" and rows[6]["enforcement"] == ""


def test_info_reads_xml_topologies():
    info = json.loads(run("info", OFFICE, "--format", "json").stdout)
    assert info["name"] == "cli test office"
    fw = info["enforcement_points"][0]
    assert fw["node"] == "fw" and fw["policy"] == {"rules": 1, "default_action": "reject"}
    assert fw["implementation"] == "pf"
    assert [z["purdue_level"] for z in info["zones"]] == [4.5, 2]
    assert info["weak_management_services"] == []


def test_info_on_a_broken_file_exits_3():
    result = run("info", BROKEN)
    assert result.returncode == 3
    assert result.stdout == ""
    assert result.stderr.startswith("%s:6: " % BROKEN)


# ---- export ---------------------------------------------------------------------


def test_export_json_loads_back_and_validates(tmp_path):
    result = run("export", HOME, "--format", "json")
    assert result.returncode == 0, result.stderr
    topology = json.loads(result.stdout)["iotnet-topology:topology"]
    assert topology["name"] == "cli test home"
    assert len(topology["node"]) == 7
    again = tmp_path / "again.json"
    again.write_text(result.stdout)
    check = run("validate", again)
    assert check.stdout == "%s: ok (7 nodes, 6 links, 4 zones)\n" % again
    info_before = json.loads(run("info", HOME, "--format", "json").stdout)
    info_after = json.loads(run("info", again, "--format", "json").stdout)
    assert info_after == info_before


def test_export_xml_is_namespaced_and_validates(tmp_path):
    result = run("export", OFFICE, "--format", "xml")
    assert result.returncode == 0, result.stderr
    root = ET.fromstring(result.stdout)
    assert root.tag == "{%s}topology" % YANG_NS
    assert len(root.findall("{%s}node" % YANG_NS)) == 3
    again = tmp_path / "again.xml"
    again.write_text(result.stdout)
    assert run("validate", again).stdout == "%s: ok (3 nodes, 2 links, 2 zones)\n" % again


@pytest.mark.skipif(shutil.which("yanglint") is None, reason="yanglint is not installed")
def test_exported_json_passes_yanglint(tmp_path):
    out = tmp_path / "home.json"
    assert run("export", HOME, "--format", "json", "-o", out).returncode == 0
    check = subprocess.run(["yanglint", "-p", str(REPO / "models" / "yang"),
                            str(REPO / "models" / "yang" / "iotnet-topology@2026-11-22.yang"),
                            str(out)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_export_graphml_reads_into_networkx(tmp_path):
    nx = pytest.importorskip("networkx")
    out = tmp_path / "home.graphml"
    result = run("export", HOME, "--format", "graphml", "-o", out)
    assert result.returncode == 0, result.stderr
    g = nx.read_graphml(out)
    assert g.graph["name"] == "cli test home"
    assert g.number_of_nodes() == 7 and g.number_of_edges() == 6
    assert g.nodes["router"]["description"] == 'gateway <main> & "only" firewall'
    assert g.nodes["router"]["enforcement"] is True
    assert g.nodes["cgnat"]["nat_cgnat"] is True


def test_export_dot_has_clusters_and_renders(tmp_path):
    result = run("export", HOME, "--format", "dot")
    assert result.returncode == 0, result.stderr
    dot = result.stdout
    assert dot.startswith('graph "cli test home" {')
    for zone in ("internet", "isp", "lan", "iot"):
        assert 'subgraph "cluster_%s" {' % zone in dot
    assert "NAT44 (CGNAT)" in dot
    assert r'label="camera\nCam Co C1, \"outdoor\""' in dot  # id and kind alike: said once
    assert "firewall: 3 rules, default drop" in dot
    assert '"camera" -- "router" [tooltip="cam-wifi", xlabel="wifi (wpa2)", style=dashed];' in dot
    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed")
    svg = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True)
    assert svg.returncode == 0, svg.stderr
    assert "<svg" in svg.stdout and "cgnat" in svg.stdout


def test_export_format_follows_the_output_suffix(tmp_path):
    for name, start in (("net.dot", "graph "), ("net.gv", "graph "),
                        ("net.graphml", "<?xml"), ("net.json", "{")):
        out = tmp_path / name
        result = run("export", HOME, "-o", out)
        assert result.returncode == 0, result.stderr
        assert out.read_text().startswith(start), name


def test_export_of_a_broken_model_exits_3(tmp_path):
    out = tmp_path / "never.graphml"
    result = run("export", INVALID, "--format", "graphml", "-o", out)
    assert result.returncode == 3
    assert result.stderr.startswith("%s:8: " % INVALID)
    assert not out.exists()


# ---- -o writes atomically --------------------------------------------------------


@pytest.mark.parametrize("args", [
    ["info", HOME],
    ["info", HOME, "--format", "csv"],
    ["validate", HOME, OFFICE],
    ["export", HOME, "--format", "dot"],
])
def test_output_file_matches_stdout_and_leaves_no_temporary(tmp_path, args):
    out = tmp_path / "report"
    out.write_text("stale content that must be replaced")
    to_file = run(*args, "-o", out)
    assert to_file.returncode == 0, to_file.stderr
    assert to_file.stdout == ""
    assert out.read_text() == run(*args).stdout
    assert os.listdir(tmp_path) == ["report"]


def test_output_into_a_missing_directory_fails_cleanly(tmp_path):
    out = tmp_path / "missing" / "out.dot"
    result = run("export", HOME, "--format", "dot", "--output", out)
    assert result.returncode == 3
    assert str(out) in result.stderr
    assert not (tmp_path / "missing").exists()


def test_relative_paths_are_reported_as_given(tmp_path):
    shutil.copy(BROKEN, tmp_path / "b.json")
    result = run("validate", "b.json", cwd=tmp_path)
    assert result.stdout.startswith("b.json:6: ")
