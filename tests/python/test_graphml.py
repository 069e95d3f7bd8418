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


# ---- every fact of a model, read back by NetworkX and compared with the API ----
#
# The expected values come from the Python API's views (Node, Link, Zone,
# Conduit and their services, interfaces, policies, NAT, MUD profiles,
# lifecycle and attributes), in the documented GraphML forms: the lists
# are one line each, items separated by "; ".

TOPOLOGIES = sorted((REPO / "models" / "topologies").glob("*.xml"))


def _quoted(text):
    if not text:
        return ""
    return ' "%s"' % text.replace("\\", "\\\\").replace('"', '\\"')


def _iso(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _ports(protocol, ports):
    if ports is None:
        return protocol
    lo, hi = ports
    return "%s/%d" % (protocol, lo) if lo == hi else "%s/%d-%d" % (protocol, lo, hi)


def _service(s):
    text = s.name + " " + s.protocol + ("/%d" % s.port if s.port else "")
    if s.authentication != "unspecified":
        text += " auth=" + s.authentication
    if s.transport != "unspecified":
        text += " transport=" + s.transport
    if s.cipher_suites:
        text += " ciphers=" + ",".join(s.cipher_suites)
    if s.management:
        text += " management"
    if s.nat_traversal != "none":
        text += " traversal=" + s.nat_traversal
    return text


def _interface(i):
    return i.name + (" " + i.address if i.address else "") + _quoted(i.description)


def _rule(r):
    initiated = "" if r.initiated_by == "any" else " initiated-by=" + r.initiated_by
    return "%s: %s -> %s %s%s %s%s" % (r.name, r.from_, r.to, _ports(r.protocol, r.ports),
                                        initiated, r.action, _quoted(r.description))


def _forward(f):
    to = f.to_node + (":%d" % f.internal_port if f.internal_port else "")
    return "%s %s/%d -> %s" % (f.name, f.protocol, f.external_port, to)


def _ace(a):
    name = "%s/%s" % (a.acl, a.name) if a.acl else a.name
    peer = a.peer + (":" + a.peer_value if a.peer_value else "")
    text = "%s %s %s %s" % (name, a.policy, peer, _ports(a.protocol, a.dst_ports))
    if a.src_ports:
        text += " src=%d-%d" % a.src_ports
    if a.initiated != "any":
        text += " initiated=" + a.initiated
    return text + " " + a.action


def _joined(items, render):
    return "; ".join(render(x) for x in items)


def _attributes(view):
    """attr.<name> -> the value as GraphML carries it, from the typed attributes."""
    types = view.attributes.types()
    out = {}
    for key, value in view.attributes.items():
        if types[key] == "date":
            value = _iso(value)
        elif types[key] == "duration":
            value = int(value.total_seconds())
        out["attr." + key] = value
    return out


def _family(node):
    for family in ("internet", "forwarding", "device", "cloud-service"):
        if node.is_a(family):
            return family
    return "other"


def _stated(pairs):
    return {k: v for k, v in pairs.items() if v is not None and v != [] and v != ""}


def _lifecycle(lc):
    if lc is None:
        return {}
    lifetime = lc.signed_artifact_lifetime
    return _stated({
        "certificate_not_after": _iso(lc.certificate_not_after) if lc.certificate_not_after else None,
        "signed_artifact_lifetime": int(lifetime.total_seconds()) if lifetime is not None else None,
        "end_of_support": _iso(lc.end_of_support) if lc.end_of_support else None,
        "update_mechanism": None if lc.update_mechanism == "unspecified" else lc.update_mechanism,
        "owner": lc.owner,
        "ownership_statement": lc.ownership_statement,
        "reset_method": None if lc.reset_method == "unspecified" else lc.reset_method,
        "vendor_cloud_dependency": lc.vendor_cloud_dependency,
        "credentials_escrowed": lc.credentials_escrowed,
        "attestation": None if lc.attestation == "unspecified" else lc.attestation,
    })


def _enforcement(node, mud_gateway):
    policy, nat = node.policy, node.nat
    out = {"enforcement": bool(policy or nat or mud_gateway), "nat": nat is not None}
    if policy is not None:
        out.update(policy_default=policy.default, policy_rules=len(policy.rules),
                   rules=_joined(policy.rules, _rule) or None)
    if nat is not None:
        out.update(nat_inside=" ".join(nat.inside), nat_outside=nat.outside,
                   nat_mapping=nat.mapping, nat_filtering=nat.filtering,
                   nat_hairpinning=nat.hairpinning, nat_upnp=nat.upnp, nat_pcp=nat.pcp,
                   nat_cgnat=nat.cgnat, port_forwards=len(nat.forwards),
                   forwards=_joined(nat.forwards, _forward) or None)
    return out


def expected_node(node, mud_gateway):
    """What the GraphML of `node` must say. mud_gateway is derived (the
    gateways nearest a device with a MUD profile), so it is passed in."""
    mud = node.mud
    out = dict(node.as_dict(), family=_family(node), forwarding=node.is_forwarding,
               mud_gateway=mud_gateway,
               services=_joined(node.services, _service),
               interfaces=_joined(node.interfaces, _interface),
               mud_aces=_joined(mud.aces, _ace) if mud else None)
    out.update(_enforcement(node, mud_gateway))
    out.update(_lifecycle(node.lifecycle))
    out.update(_attributes(node))
    return _stated(out)


def expected_edge(link):
    fields = link.as_dict()
    for enum in ("medium", "encryption"):
        if fields[enum] == "unspecified":
            fields[enum] = None
    fields.update(_attributes(link))
    return _stated(fields)


def _zone(z):
    text = "%s (%s" % (z.id, z.kind)
    if z.purdue_level is not None:
        text += ", Purdue %g" % z.purdue_level
    if z.target_sl:
        text += ", SL %d" % z.target_sl
    if z.target_sl_fr:
        text += " (%s)" % ", ".join("FR%d SL %d" % (fr, sl) for fr, sl in sorted(z.target_sl_fr.items()))
    return text + ")" + _quoted(z.description)


def _conduit(c):
    services = " ".join(c.services) or "any"
    return "%s: %s -> %s %s%s%s" % (c.id, c.from_zone, c.to_zone, services,
                                    " bidirectional" if c.bidirectional else "",
                                    _quoted(c.description))


def expected_graph(net):
    return _stated({"name": net.name, "zones": _joined(net.zones.values(), _zone),
                    "conduits": _joined(net.conduits.values(), _conduit),
                    "generator": "libiotnet " + iotnet.__version__})


def assert_round_trip(net, tmp_path):
    """NetworkX reads back every node, edge and fact of `net`, each with
    the type its key declares and the value the API gives."""
    path = tmp_path / "model.graphml"
    net.export("graphml", path=path)
    g = nx.read_graphml(path)
    types = declared_types(path)
    graph = {k: v for k, v in g.graph.items() if k not in ("node_default", "edge_default")}
    assert graph == expected_graph(net)
    assert set(g.nodes) == set(net.nodes)
    for node in net.nodes.values():
        got = g.nodes[node.id]
        assert type(got["mud_gateway"]) is bool
        assert got == expected_node(node, got["mud_gateway"]), node.id
        for name, value in got.items():
            assert type(value) is types[("node", name)], (node.id, name, value)
    edges = {d["id"]: d for _, _, d in g.edges(data=True)}
    assert set(edges) == set(net.links)
    for link in net.links.values():
        assert edges[link.id] == expected_edge(link), link.id
        for name, value in edges[link.id].items():
            assert type(value) is types[("edge", name)], (link.id, name, value)
    return g


@pytest.mark.parametrize("topology", TOPOLOGIES, ids=lambda p: p.stem)
def test_reference_topology_reads_back_whole(topology, tmp_path):
    net = iotnet.load(topology)
    g = assert_round_trip(net, tmp_path)
    assert g.number_of_nodes() == len(net.nodes) >= 10


def test_the_built_network_reads_back_whole(built, tmp_path):
    built.nodes["router"].add_interface(iotnet.Interface("mgmt", None, 'out-of-band "oob" \\ port'))
    built.add_conduit("lan-iot", "lan", IOT, services=["tcp/554", "icmp"], bidirectional=True,
                      description="apps <-> cameras")
    assert_round_trip(built, tmp_path)


def decorate(net, seed):
    """Give a generated model what the generator leaves out: free attributes
    of every type on nodes and links, lifecycle facts, interface, zone and
    conduit descriptions."""
    import random
    rng = random.Random(seed)
    values = [
        lambda: rng.choice(["a", "b & <c>", 'quote " here']),
        lambda: rng.randint(-10 ** 12, 10 ** 12),
        lambda: rng.choice([0.1, -2.5, 1e-9, 12345.678, 1 / 3]),
        lambda: rng.random() < 0.5,
        lambda: datetime.datetime(rng.randint(1990, 2060), rng.randint(1, 12), rng.randint(1, 28),
                                  rng.randint(0, 23), tzinfo=UTC),
        lambda: datetime.timedelta(seconds=rng.randint(0, 10 ** 9)),
    ]
    names = ["s", "i", "f", "b", "d", "t"]
    for view in list(net.nodes.values()) + list(net.links.values()):
        for name, value in zip(names, values):
            if rng.random() < 0.7:
                view.attributes["x-" + name] = value()
    for node in net.nodes.values():
        if node.is_a("device") and rng.random() < 0.7:
            node.set_lifecycle(iotnet.Lifecycle(
                certificate_not_after=values[4](),
                signed_artifact_lifetime=values[5](),
                end_of_support=values[4]() if rng.random() < 0.5 else None,
                update_mechanism=rng.choice(["unspecified", "suit", "manual"]),
                owner=rng.choice([None, "tenant", "vendor"]),
                ownership_statement=rng.choice([None, True, False]),
                reset_method=rng.choice(["unspecified", "button", "console"]),
                vendor_cloud_dependency=rng.choice([None, True, False]),
                credentials_escrowed=rng.choice([None, True, False]),
                attestation=rng.choice(["unspecified", "none", "rats"])))
        if rng.random() < 0.3:
            node.add_interface(iotnet.Interface("extra", "10.9.8.7/30", 'described "x"'))
    zones = list(net.zones)
    if len(zones) >= 2:
        net.add_conduit("c-%d" % seed, zones[0], zones[1], services=["tcp/443"],
                        bidirectional=rng.random() < 0.5, description="conduit %d" % seed)


@pytest.mark.parametrize("seed", range(12))
def test_generated_model_reads_back_whole(seed, tmp_path):
    import random_models
    _, net = random_models.generate(seed)
    decorate(net, seed)
    assert_round_trip(net, tmp_path)


def test_generated_models_cover_every_kind_of_fact(tmp_path):
    """The seeds above hold NAT, policies, MUD, services, lifecycle and
    attributes of all six types, so the round trip checks each."""
    import random_models
    seen = set()
    for seed in range(12):
        _, net = random_models.generate(seed)
        decorate(net, seed)
        for node in net.nodes.values():
            seen |= {"nat"} if node.nat else set()
            seen |= {"forward"} if node.nat and node.nat.forwards else set()
            seen |= {"policy"} if node.policy and node.policy.rules else set()
            seen |= {"mud"} if node.mud and node.mud.aces else set()
            seen |= {"service"} if node.services else set()
            seen |= {"lifecycle"} if node.lifecycle else set()
            seen |= {"attr-" + t for t in node.attributes.types().values()}
    expected = {"nat", "forward", "policy", "service", "lifecycle"} | \
        {"attr-" + t for t in ("string", "int", "float", "bool", "date", "duration")}
    if random_models.mud_supported():
        expected.add("mud")
    assert expected <= seen


# ---- the overlays ----------------------------------------------------------------

EXPOSURE_ORDER = ["none", "reply-only", "hole-punchable", "pinhole", "port-forward", "direct"]


@pytest.mark.parametrize("topology", TOPOLOGIES, ids=lambda p: p.stem)
def test_exposure_keys_agree_with_reach(topology):
    net = iotnet.load(topology)
    g = nx.parse_graphml(net.export("graphml", exposure=True))
    if not any(node.is_a("internet") for node in net.nodes.values()):
        # the substation has no internet node: nothing is marked, and the graph says so
        assert g.graph["exposure_source"] == ""
        assert not any("exposure" in data for _, data in g.nodes(data=True))
        return
    assert g.graph["exposure_source"] == "internet"
    best, exposed = {}, {}
    for row in net.reach("internet"):
        rank = EXPOSURE_ORDER.index(row.exposure)
        best[row.destination] = max(best.get(row.destination, 0), rank)
        if row.service and rank > EXPOSURE_ORDER.index("reply-only"):
            text = "%s %s%s %s" % (row.service, row.protocol,
                                   "/%d" % row.port if row.port else "", row.exposure)
            if row.entry_node != row.destination:
                text += " via " + row.entry_node + (":%d" % row.entry_port if row.entry_port else "")
            exposed.setdefault(row.destination, []).append(text)
    for node in net.nodes.values():
        data = g.nodes[node.id]
        if node.is_a("internet"):
            assert "exposure" not in data
            continue
        assert data["exposure"] == EXPOSURE_ORDER[best.get(node.id, 0)], node.id
        assert data.get("exposed_services") == ("; ".join(exposed[node.id])
                                                 if node.id in exposed else None), node.id


def test_findings_keys_agree_with_analyze(home_model):
    net = iotnet.load(home_model)
    findings = net.analyze()
    g = nx.parse_graphml(net.export("graphml", findings=findings))
    per_node, per_link = {}, {}
    for f in findings.open:
        if f.target_kind in ("node", "service"):
            node = f.target if f.target_kind == "node" else f.target.rsplit("/", 1)[0]
            per_node.setdefault(node, []).append(f.residual_risk)
        elif f.target_kind == "link":
            per_link.setdefault(f.target, []).append(f.residual_risk)
    assert per_node, "the home network has open findings"
    for node in net.nodes:
        risks = per_node.get(node, [])
        assert g.nodes[node]["open_findings"] == len(risks)
        assert g.nodes[node].get("max_residual_risk") == (max(risks) if risks else None)
    for _, _, data in g.edges(data=True):
        assert data["open_findings"] == len(per_link.get(data["id"], []))
    # the same evaluation asked for by True
    assert net.export("graphml", findings=True) == net.export("graphml", findings=findings)


def test_overlay_exports_are_byte_identical(home_model):
    net = iotnet.load(home_model)
    for fmt in ("graphml", "dot", "svg"):
        first = net.export(fmt, exposure=True, findings=True)
        assert net.export(fmt, exposure=True, findings=True) == first
        assert iotnet.load(home_model).export(fmt, exposure=True, findings=True) == first


def test_to_networkx_and_to_graphml(built, tmp_path):
    g = built.to_networkx(exposure=True)
    assert set(g.nodes) == set(built.nodes)
    assert g.nodes["router"]["nat_upnp"] is True
    assert g.nodes[CAMERA]["exposure"] in EXPOSURE_ORDER
    assert built.to_graphml() == built.export("graphml")
    path = tmp_path / "x.graphml"
    assert built.to_graphml(path, findings=True) is None
    assert path.read_text(encoding="utf-8") == built.export("graphml", findings=True)
