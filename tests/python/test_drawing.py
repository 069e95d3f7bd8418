"""Drawing a Network: DOT that the real Graphviz renders without a warning,
SVG laid out by the library itself (a cluster per zone, a node per node),
generated models of hundreds of nodes, the zone view of large models, the
exposure and findings marks, Jupyter's _repr_svg_, and misuse."""

import collections
import pathlib
import shutil
import subprocess
import sys
import time

import pytest

import iotnet
from iotnet._ffi import lib

etree = pytest.importorskip("lxml.etree")

REPO = pathlib.Path(__file__).resolve().parents[2]
TOPOLOGIES = sorted((REPO / "models" / "topologies").glob("*.xml"))
SVG = "{http://www.w3.org/2000/svg}"
OVERLAYS = [{}, {"exposure": True}, {"exposure": True, "findings": True}]


def overlay_id(kwargs):
    return "+".join(sorted(kwargs)) or "plain"


def parse_svg(text):
    # the SVG names an external DTD: it is not fetched
    parser = etree.XMLParser(no_network=True, load_dtd=False, resolve_entities=False)
    return etree.fromstring(text.encode("utf-8"), parser)


def groups(root, kind):
    """{title: <g>} of the groups Graphviz draws for clusters, nodes or edges."""
    return {g.find(SVG + "title").text: g
            for g in root.iter(SVG + "g") if g.get("class") == kind}


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
@pytest.mark.parametrize("overlay", OVERLAYS, ids=overlay_id)
@pytest.mark.parametrize("topology", TOPOLOGIES, ids=lambda p: p.stem)
def test_graphviz_renders_the_dot_without_warnings(topology, overlay):
    dot = iotnet.load(topology).export("dot", **overlay)
    done = subprocess.run(["dot", "-Tsvg"], input=dot.encode("utf-8"), capture_output=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    parse_svg(done.stdout.decode("utf-8"))


@pytest.mark.parametrize("overlay", OVERLAYS, ids=overlay_id)
@pytest.mark.parametrize("topology", TOPOLOGIES, ids=lambda p: p.stem)
def test_svg_has_a_cluster_per_zone_and_a_node_per_node(topology, overlay):
    net = iotnet.load(topology)
    root = parse_svg(net.export("svg", **overlay))
    assert root.tag == SVG + "svg"
    zones_with_nodes = {n.zone for n in net.nodes.values() if n.zone}
    assert set(groups(root, "cluster")) == {"cluster_" + z for z in zones_with_nodes}
    assert set(zones_with_nodes) == set(net.zones), "every reference zone holds a node"
    assert set(groups(root, "node")) == set(net.nodes)
    edges = [g for g in root.iter(SVG + "g") if g.get("class") == "edge"]
    assert len(edges) == len(net.links)


def test_svg_carries_the_marks(home_model):
    net = iotnet.load(home_model)
    root = parse_svg(net.export("svg", exposure=True, findings=True))
    garden = groups(root, "node")["cam-garden"]
    text = " ".join(t.text or "" for t in garden.iter(SVG + "text"))
    assert "internet: hole-punchable" in text
    assert "p2p udp/32100 hole-punchable via isp-router:32100" in text
    assert "open findings, max risk" in text
    legend = " ".join(t.text or "" for t in root.iter(SVG + "text"))
    assert "exposure to the Internet" in legend and "port-forward" in legend


def test_repr_svg_draws_in_process(full_net, monkeypatch):
    """Jupyter's drawing needs no dot program."""
    def no_programs(*args, **kwargs):
        raise AssertionError("a program was started: %r" % (args,))
    monkeypatch.setattr(subprocess, "run", no_programs)
    monkeypatch.setattr(subprocess, "Popen", no_programs)
    monkeypatch.setenv("PATH", "/nonexistent")
    svg = full_net._repr_svg_()
    assert svg == full_net.export("svg")
    assert set(groups(parse_svg(svg), "node")) == set(full_net.nodes)


def test_svg_file_export(full_net, tmp_path):
    path = tmp_path / "home.svg"
    assert full_net.export("svg", path=path, exposure=True) is None
    assert path.read_text(encoding="utf-8") == full_net.export("svg", exposure=True)


def test_a_model_too_large_to_lay_out_in_full():
    net = iotnet.Network("big")
    for i in range(lib.IOTNET_EXPORT_SVG_MAX_NODES + 1):
        net.add_node("n%d" % i, "sensor")
    with pytest.raises(iotnet.InvalidArgumentError, match="too many to lay out"):
        net.export("svg", full=True)
    assert "(zone view)" in net._repr_svg_()
    assert net.export("dot").count(" [shape=") == len(net.nodes)


def generated(tmp_path, nodes):
    """A model of bench/gen_topology.py: homes, plants and buildings."""
    path = tmp_path / ("generated-%d.json" % nodes)
    subprocess.run([sys.executable, str(REPO / "bench" / "gen_topology.py"), "--nodes", str(nodes),
                    "-o", str(path)], check=True, capture_output=True, timeout=120)
    return iotnet.load(path)


def node_text(group):
    return "|".join(t.text or "" for t in group.iter(SVG + "text"))


@pytest.mark.parametrize("nodes", [100, 200, 300, 500])
def test_generated_models_are_drawn(tmp_path, nodes):
    """These sizes crashed the process (a double free after Graphviz's
    "trouble in init_rank"); dot renders their DOT without a word."""
    net = generated(tmp_path, nodes)
    assert set(groups(parse_svg(net.export("svg")), "node")) == set(net.nodes)
    if shutil.which("dot"):
        done = subprocess.run(["dot", "-Tsvg", "-o", "/dev/null"], input=net.export("dot").encode(),
                              capture_output=True, timeout=120)
        assert (done.returncode, done.stderr) == (0, b"")


def test_a_large_model_displays_as_its_zone_view_in_seconds(tmp_path):
    net = generated(tmp_path, 2000)
    started = time.monotonic()
    svg = net._repr_svg_()
    assert time.monotonic() - started < 5
    root = parse_svg(svg)
    assert root.find(SVG + "g").find(SVG + "title").text.endswith("(zone view)")
    assert "ask for the full drawing" in svg
    drawn = groups(root, "node")
    assert set(drawn) == set(net.zones)
    members = collections.Counter(n.zone for n in net.nodes.values())
    for zone, group in drawn.items():
        count = members[zone]
        assert "|%d node%s, " % (count, "" if count == 1 else "s") in node_text(group), zone
    assert svg == net.to_svg() == net.export("svg")


def test_full_draws_every_node_of_a_large_model():
    net = iotnet.Network("big")
    net.add_zone("field", "guest-lan")
    for i in range(lib.IOTNET_EXPORT_SVG_DETAIL_MAX_NODES + 1):
        net.add_node("s%d" % i, "sensor", zone="field")
    zone_view = parse_svg(net.to_svg())
    assert node_text(groups(zone_view, "node")["field"]) == "field|guest-lan|1001 nodes, 0 links inside"
    full = parse_svg(net.to_svg(full=True))
    assert set(groups(full, "node")) == set(net.nodes)
    assert full.find(SVG + "g").find(SVG + "title").text == "big"


def test_too_many_zones_even_for_the_zone_view():
    net = iotnet.Network("zones")
    for i in range(lib.IOTNET_EXPORT_SVG_ZONE_VIEW_MAX_ZONES + 1):
        net.add_zone("z%d" % i, "guest-lan")
        net.add_node("n%d" % i, "sensor", zone="z%d" % i)
    with pytest.raises(iotnet.InvalidArgumentError, match="too many to draw even as its zone view"):
        net.export("svg")
    started = time.monotonic()
    assert net._repr_svg_() is None
    assert time.monotonic() - started < 5


def test_marks_change_the_drawing_only_when_asked(full_net):
    plain = full_net.export("dot")
    assert full_net.export("dot", exposure=False, findings=None) == plain
    marked = full_net.export("dot", exposure=True)
    assert "exposure to the Internet" in marked and "exposure to the Internet" not in plain


def test_export_misuse(full_net, tmp_path):
    with pytest.raises(ValueError, match="unknown format"):
        full_net.export("png")
    with pytest.raises(TypeError):
        full_net.export("svg", exposure="yes")
    with pytest.raises(TypeError):
        full_net.export("svg", full="yes")
    with pytest.raises(ValueError, match="full=True asks for every node of an SVG drawing"):
        full_net.export("dot", full=True)
    with pytest.raises(TypeError):
        full_net.export("dot", findings=42)
    other = iotnet.load(REPO / "models" / "topologies" / "home.xml")
    with pytest.raises(ValueError, match="this network"):
        full_net.export("dot", findings=other.analyze())
    full_net.close()
    with pytest.raises(iotnet.ClosedError):
        full_net.export("svg")
    with pytest.raises(iotnet.ClosedError):
        full_net.export("graphml", path=tmp_path / "x.graphml")
    assert full_net._repr_svg_() is None


def test_findings_from_a_catalog_path(full_net):
    catalogs = REPO / "models" / "catalogs"
    by_path = full_net.export("graphml", findings=catalogs)
    assert by_path == full_net.export("graphml", findings=iotnet.Catalog.load(catalogs))
