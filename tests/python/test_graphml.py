"""GraphML export read back by NetworkX: every node and link fact and free
attribute arrives, with the Python type its key declares, and ids that need
XML escaping survive. The network is built through the Python API; the same
model saved as a topology file and exported by the CLI reads back the same."""

import datetime
import pathlib
import subprocess
import xml.etree.ElementTree as ET

import pytest

import iotnet

nx = pytest.importorskip("networkx")

UTC = datetime.timezone.utc
REPO = pathlib.Path(__file__).resolve().parents[2]
IOTNET = REPO / "build" / "iotnet"
GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"
PY_TYPES = {"string": str, "long": int, "int": int, "double": float, "boolean": bool}

CAMERA = "cam <1> & \"front\" 'door'"
IOT = "iot & <things>"


def build_network():
    net = iotnet.Network('graph <test> & "types"')
    net.add_zone("internet", "internet-zone")
    net.add_zone("lan", "home-lan", purdue_level=4, target_sl=2)
    net.add_zone(IOT, "iot-lan", purdue_level=3.5)
    net.add_node("wan", "internet", zone="internet")
    net.add_node(
        "router", "home-router", zone="lan", vendor="Acme", model="R100", firmware="1.2.3",
        implementation="linux-netfilter", description="the <only> firewall & NAT",
        interfaces=[{"name": "wan0", "address": "203.0.113.7/24"},
                    {"name": "lan0", "address": "192.168.1.1/24"}],
        services=[iotnet.Service("web-ui", "tcp", 80, authentication="default-password",
                                 management=True)],
        attributes={"rack": "hallway", "floors": 2, "load": 0.5, "wps": True,
                    "installed": datetime.datetime(2021, 3, 4, 5, 6, 7, tzinfo=UTC),
                    "warranty": datetime.timedelta(days=730)})
    net.set_policy("router", default="drop")
    net.add_rule("router", "lan-out", from_="zone:lan", to="internet", action="accept")
    net.set_nat("router", inside=["lan0"], outside="wan0", filtering="endpoint-independent",
                upnp=True)
    net.add_node(
        CAMERA, "camera", zone=IOT, vendor="Cam & Co",
        mud_url="https://camco.example/mud/cam1.json",
        services=[iotnet.Service("rtsp", "tcp", 554, authentication="password",
                                 transport="tls1.3", nat_traversal="upnp")],
        lifecycle=iotnet.Lifecycle(
            certificate_not_after=datetime.datetime(2030, 1, 1, tzinfo=UTC),
            signed_artifact_lifetime=datetime.timedelta(days=3650),
            update_mechanism="suit", owner="previous tenant", ownership_statement=False,
            vendor_cloud_dependency=True, attestation="rats"),
        attributes={"floors": -1, "load": 0.125, "note": "a <b> & 'c'"})
    net.add_port_forward("router", "cam", 8554, CAMERA, internal_port=554)
    net.add_link("uplink", "router", "wan", a_interface="wan0", medium="fibre",
                 latency_ms=4.25, encryption="none",
                 attributes={"bandwidth-mbps": 1000, "metered": False})
    net.add_link("cam <wifi>", CAMERA, "router", b_interface="lan0", medium="wifi",
                 encryption="wpa3")
    return net


@pytest.fixture
def built():
    net = build_network()
    yield net
    net.close()


@pytest.fixture
def graphml_path(built, tmp_path):
    path = tmp_path / "net.graphml"
    built.export("graphml", path=path)
    return path


def declared_types(path):
    """(domain, attr.name) -> Python type, from the <key> declarations."""
    root = ET.parse(path).getroot()
    return {(k.get("for"), k.get("attr.name")): PY_TYPES[k.get("attr.type")]
            for k in root.findall(GRAPHML_NS + "key")}


def data_names(path, element, element_id):
    """The attr.names of the <data> an element carries, straight from the XML."""
    root = ET.parse(path).getroot()
    names = {k.get("id"): k.get("attr.name") for k in root.findall(GRAPHML_NS + "key")}
    graph = root.find(GRAPHML_NS + "graph")
    for el in graph.findall(GRAPHML_NS + element):
        if el.get("id") == element_id:
            return {names[d.get("key")] for d in el.findall(GRAPHML_NS + "data")}
    raise AssertionError("no %s %r" % (element, element_id))


def test_every_value_has_its_declared_type(graphml_path):
    g = nx.read_graphml(graphml_path)
    types = declared_types(graphml_path)
    seen = 0
    for _, data in g.nodes(data=True):
        for name, value in data.items():
            assert type(value) is types[("node", name)], (name, value)
            seen += 1
    for _, _, data in g.edges(data=True):
        for name, value in data.items():
            assert type(value) is types[("edge", name)], (name, value)
            seen += 1
    assert seen > 60


def test_no_attribute_is_lost(graphml_path):
    g = nx.read_graphml(graphml_path)
    for node in ("wan", "router", CAMERA):
        assert set(g.nodes[node]) == data_names(graphml_path, "node", node)
    edges = {d["id"]: d for _, _, d in g.edges(data=True)}
    for link in ("uplink", "cam <wifi>"):
        assert set(edges[link]) == data_names(graphml_path, "edge", link)


def test_node_facts(graphml_path):
    g = nx.read_graphml(graphml_path)
    assert g.graph["name"] == 'graph <test> & "types"'
    assert set(g.nodes) == {"wan", "router", CAMERA}
    router = g.nodes["router"]
    assert router["kind"] == "home-router" and router["family"] == "forwarding"
    assert router["zone"] == "lan"
    assert (router["vendor"], router["model"], router["firmware"]) == ("Acme", "R100", "1.2.3")
    assert router["implementation"] == "linux-netfilter"
    assert router["description"] == "the <only> firewall & NAT"
    assert router["forwarding"] is True and router["enforcement"] is True
    assert router["policy_default"] == "drop" and router["policy_rules"] == 1
    assert router["nat"] is True and router["nat_cgnat"] is False
    assert router["nat_filtering"] == "endpoint-independent" and router["nat_upnp"] is True
    assert router["port_forwards"] == 1
    assert router["services"] == "web-ui tcp/80 auth=default-password management"
    assert router["interfaces"] == "wan0 203.0.113.7/24; lan0 192.168.1.1/24"
    wan = g.nodes["wan"]
    assert wan["family"] == "internet" and wan["enforcement"] is False
    assert "vendor" not in wan and "policy_rules" not in wan and "services" not in wan


def test_lifecycle_facts(graphml_path):
    camera = nx.read_graphml(graphml_path).nodes[CAMERA]
    assert camera["zone"] == IOT and camera["vendor"] == "Cam & Co"
    assert camera["mud_url"] == "https://camco.example/mud/cam1.json"
    assert camera["services"] == "rtsp tcp/554 auth=password transport=tls1.3 traversal=upnp"
    assert camera["certificate_not_after"] == "2030-01-01T00:00:00Z"
    assert camera["signed_artifact_lifetime"] == 3650 * 86400
    assert camera["update_mechanism"] == "suit"
    assert camera["owner"] == "previous tenant"
    assert camera["ownership_statement"] is False
    assert camera["vendor_cloud_dependency"] is True
    assert camera["attestation"] == "rats"
    assert "credentials_escrowed" not in camera and "end_of_support" not in camera


def test_free_attributes_keep_their_types(graphml_path):
    g = nx.read_graphml(graphml_path)
    router, camera = g.nodes["router"], g.nodes[CAMERA]
    assert router["attr.rack"] == "hallway"
    assert router["attr.floors"] == 2 and camera["attr.floors"] == -1
    assert router["attr.load"] == 0.5 and camera["attr.load"] == 0.125
    assert router["attr.wps"] is True
    assert router["attr.installed"] == "2021-03-04T05:06:07Z"
    assert router["attr.warranty"] == 730 * 86400
    assert camera["attr.note"] == "a <b> & 'c'"
    assert "attr.wps" not in camera


def test_edge_facts(graphml_path):
    g = nx.read_graphml(graphml_path)
    uplink = g.edges["router", "wan"]
    assert uplink["id"] == "uplink"
    assert uplink["medium"] == "fibre" and uplink["encryption"] == "none"
    assert uplink["latency_ms"] == 4.25
    assert (uplink["a"], uplink["a_interface"], uplink["b"]) == ("router", "wan0", "wan")
    assert "b_interface" not in uplink
    assert uplink["attr.bandwidth-mbps"] == 1000 and uplink["attr.metered"] is False
    wifi = g.edges[CAMERA, "router"]
    assert wifi["id"] == "cam <wifi>" and wifi["medium"] == "wifi"
    assert (wifi["a"], wifi["b"], wifi["b_interface"]) == (CAMERA, "router", "lan0")
    assert "latency_ms" not in wifi and "attr.metered" not in wifi


def test_parallel_links_read_as_a_multigraph(built, tmp_path):
    built.add_link("backup", "router", "wan", medium="lte")
    path = tmp_path / "multi.graphml"
    built.export("graphml", path=path)
    g = nx.read_graphml(path)
    assert g.is_multigraph()
    between = g.get_edge_data("router", "wan")
    assert {d["medium"] for d in between.values()} == {"fibre", "lte"}
    assert set(between) == {"uplink", "backup"}


def comparable(g):
    nodes = {n: dict(d) for n, d in g.nodes(data=True)}
    edges = {d["id"]: dict(d) for _, _, d in g.edges(data=True)}
    return g.graph.get("name"), nodes, edges


@pytest.mark.skipif(not IOTNET.exists(), reason="build/iotnet is not built")
def test_cli_export_of_the_saved_model_reads_the_same(built, graphml_path, tmp_path):
    topology = tmp_path / "net.json"
    built.save(topology)
    out = tmp_path / "cli.graphml"
    result = subprocess.run([str(IOTNET), "export", str(topology), "--format", "graphml",
                             "-o", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert comparable(nx.read_graphml(out)) == comparable(nx.read_graphml(graphml_path))


def test_text_export_equals_file_export(built, graphml_path):
    assert built.export("graphml") == graphml_path.read_text(encoding="utf-8")
