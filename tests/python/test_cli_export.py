"""iotnet export: SVG drawn by the tool itself, and the --exposure and
--findings marks on GraphML, DOT and SVG, run as a user would run it."""

import pathlib
import shutil
import subprocess
import sys

import pytest

from test_cli import expect_usage_error, run

REPO = pathlib.Path(__file__).resolve().parents[2]
IOTNET = REPO / "build" / "iotnet"  # run() starts it
HOME = REPO / "models" / "topologies" / "home.xml"
SUBSTATION = REPO / "models" / "topologies" / "substation.xml"
CATALOGS = REPO / "models" / "catalogs"
SVG = "{http://www.w3.org/2000/svg}"

pytestmark = pytest.mark.skipif(not IOTNET.exists(), reason="build/iotnet is not built")


def svg_titles(text, kind):
    etree = pytest.importorskip("lxml.etree")
    parser = etree.XMLParser(no_network=True, load_dtd=False, resolve_entities=False)
    root = etree.fromstring(text.encode("utf-8"), parser)
    return {g.find(SVG + "title").text for g in root.iter(SVG + "g") if g.get("class") == kind}


def test_svg_is_drawn_without_graphviz_programs(tmp_path):
    # no dot on PATH: the tool lays the drawing out itself
    result = subprocess.run([str(IOTNET), "export", str(HOME), "--format", "svg"],
                            capture_output=True, text=True, env={"PATH": "/nonexistent"})
    assert result.returncode == 0, result.stderr
    assert "cam-porch" in svg_titles(result.stdout, "node")
    assert "cluster_iot" in svg_titles(result.stdout, "cluster")


def test_svg_suffix_chooses_the_format(tmp_path):
    out = tmp_path / "home.svg"
    assert run("export", HOME, "-o", out).returncode == 0
    assert out.read_text(encoding="utf-8") == run("export", HOME, "--format", "svg").stdout


def test_exposure_marks_dot_and_graphml(tmp_path):
    nx = pytest.importorskip("networkx")
    dot = run("export", HOME, "--format", "dot", "--exposure")
    assert dot.returncode == 0, dot.stderr
    assert "exposure to the Internet" in dot.stdout
    assert "p2p udp/32100 hole-punchable via isp-router:32100" in dot.stdout
    out = tmp_path / "home.graphml"
    assert run("export", HOME, "--format", "graphml", "--exposure", "-o", out).returncode == 0
    g = nx.read_graphml(out)
    assert g.nodes["cam-garden"]["exposure"] == "hole-punchable"
    assert g.nodes["isp-router"]["exposure"] == "direct"
    assert "exposure" not in g.nodes["internet"]
    assert "open_findings" not in g.nodes["cam-garden"]


def test_findings_marks_with_the_bundled_and_given_catalogs(tmp_path):
    nx = pytest.importorskip("networkx")
    out = tmp_path / "home.graphml"
    result = run("export", HOME, "--format", "graphml", "--findings", "--now", "2027-01-01",
                 "-o", out)
    assert result.returncode == 0, result.stderr
    g = nx.read_graphml(out)
    assert g.nodes["cam-porch"]["open_findings"] > 0
    assert 1 <= g.nodes["cam-porch"]["max_residual_risk"] <= 25
    only = run("export", HOME, "--format", "graphml", "--findings", "--no-bundled",
               "--catalog", CATALOGS, "--now", "2027-01-01")
    assert only.returncode == 0, only.stderr
    assert only.stdout == out.read_text(encoding="utf-8")
    svg = run("export", HOME, "--format", "svg", "--exposure", "--findings")
    assert svg.returncode == 0, svg.stderr
    assert "open findings, max risk" in svg.stdout


def test_a_model_without_internet_exports_unmarked_exposure():
    result = run("export", SUBSTATION, "--format", "dot", "--exposure")
    assert result.returncode == 0, result.stderr
    assert "no internet node: exposure not computed" in result.stdout


def test_marked_exports_are_byte_identical():
    for fmt in ("graphml", "dot", "svg"):
        first = run("export", HOME, "--format", fmt, "--exposure", "--findings", "--now", "2027-01-01")
        again = run("export", HOME, "--format", fmt, "--exposure", "--findings", "--now", "2027-01-01")
        assert first.returncode == 0 and first.stdout == again.stdout


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_marked_dot_renders_with_graphviz():
    dot = run("export", HOME, "--format", "dot", "--exposure", "--findings").stdout
    done = subprocess.run(["dot", "-Tsvg", "-o", "/dev/null"], input=dot, capture_output=True,
                          text=True)
    assert done.returncode == 0 and done.stderr == ""


def test_overlay_usage_errors():
    expect_usage_error(run("export", HOME, "--format", "json", "--exposure"),
                       "--exposure and --findings mark a drawing or GraphML")
    expect_usage_error(run("export", HOME, "--format", "dot", "--catalog", CATALOGS),
                       "give --findings too")
    expect_usage_error(run("export", HOME, "--format", "dot", "--now", "2027-01-01"),
                       "give --findings too")
    expect_usage_error(run("export", HOME, "--format", "dot", "--findings", "--now", "soon"),
                       "--now 'soon'")
    expect_usage_error(run("export", HOME, "--format", "png"), "png")
    expect_usage_error(run("export", HOME, "--format", "dot", "--exposure=yes"), "takes no value")


def test_a_bad_catalog_is_reported(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<catalog><threat/>")
    result = run("export", HOME, "--format", "dot", "--findings", "--catalog", bad)
    assert result.returncode == 3
    assert str(bad) in result.stderr
    assert result.stdout == ""


def test_help_describes_the_marks():
    text = run("export", "--help").stdout
    for needle in ("svg", "--exposure", "--findings", "--catalog", "hole-punchable", "--full",
                   "zone view"):
        assert needle in text


@pytest.fixture(scope="module")
def large_model(tmp_path_factory):
    path = tmp_path_factory.mktemp("large") / "generated-1200.json"
    subprocess.run([sys.executable, str(REPO / "bench" / "gen_topology.py"), "--nodes", "1200",
                    "-o", str(path)], check=True, capture_output=True, timeout=120)
    return path


def test_a_large_model_is_drawn_as_its_zone_view_unless_full(large_model, tmp_path):
    zone_view = run("export", large_model, "--format", "svg")
    assert zone_view.returncode == 0, zone_view.stderr
    assert "(zone view)" in zone_view.stdout
    assert "h000001-lan" in svg_titles(zone_view.stdout, "node")
    out = tmp_path / "full.svg"
    full = run("export", large_model, "--full", "-o", out)
    assert full.returncode == 0, full.stderr
    drawn = svg_titles(out.read_text(encoding="utf-8"), "node")
    assert len(drawn) == 1200 and "h000001-gw" in drawn


def test_full_is_for_svg_only(tmp_path):
    out = tmp_path / "home.dot"
    expect_usage_error(run("export", HOME, "--format", "dot", "--full", "-o", out),
                       "--full asks for every node of an SVG drawing (--format svg), not dot")
    assert not out.exists()
