"""Network.reach(), explain() and zone_matrix() on small networks built by
hand. Every expected row is worked out from the semantics in
libiotnet/include/iotnet/reach.h; the comments say which rule gives it."""

import pytest

import iotnet
from iotnet._ffi import lib

engine = pytest.mark.skipif(not hasattr(lib, "iotnet_reach"),
                            reason="the reachability engine is not in this build")


def row(source, destination, service, protocol, port, exposure, entry_node, entry_port, via,
        path):
    return iotnet.ReachRow(source, destination, service, protocol, port, exposure, entry_node,
                           entry_port, via, tuple(path))


# ---- networks -------------------------------------------------------------------


def flat_lan():
    """One switch, three hosts, no enforcement point anywhere."""
    net = iotnet.Network("flat")
    net.add_zone("lan", "home-lan")
    net.add_node("switch", "switch", zone="lan")
    net.add_node("laptop", "workstation", zone="lan",
                 interfaces=[{"name": "eth0", "address": "192.168.1.10/24"}])
    net.add_node("cam", "camera", zone="lan",
                 interfaces=[{"name": "eth0", "address": "192.168.1.20/24"}],
                 services=[{"name": "web", "protocol": "tcp", "port": 80},
                           {"name": "rtsp", "protocol": "tcp", "port": 554}])
    net.add_node("printer", "printer", zone="lan",
                 interfaces=[{"name": "eth0", "address": "192.168.1.30/24"}],
                 services=[{"name": "ipp", "protocol": "tcp", "port": 631}])
    for host in ("laptop", "cam", "printer"):
        net.add_link(host + "-sw", host, "switch", a_interface="eth0")
    return net


def home_nat(filtering="endpoint-independent", upnp=True):
    """A home router doing NAT44 and nothing else (no firewall policy):
    a port forward to the camera's web UI, the camera's RTSP opened by UPnP,
    a doorbell that keeps a hole-punched UDP mapping, a NAS with no way in,
    and a sensor that is not connected at all."""
    net = iotnet.Network("home")
    net.add_zone("internet", "internet-zone")
    net.add_zone("lan", "home-lan")
    net.add_node("internet", "internet", zone="internet")
    net.add_node("router", "home-router", zone="lan",
                 interfaces=[{"name": "wan", "address": "203.0.113.2/24"},
                             {"name": "lan0", "address": "192.168.1.1/24"}],
                 services=[{"name": "admin", "protocol": "tcp", "port": 443}])
    net.add_node("cam", "camera", zone="lan",
                 interfaces=[{"name": "eth0", "address": "192.168.1.10/24"}],
                 services=[{"name": "web", "protocol": "tcp", "port": 80},
                           {"name": "rtsp", "protocol": "tcp", "port": 554,
                            "nat_traversal": "upnp"}])
    net.add_node("doorbell", "camera", zone="lan",
                 interfaces=[{"name": "eth0", "address": "192.168.1.11/24"}],
                 services=[{"name": "p2p", "protocol": "udp", "port": 32100,
                            "nat_traversal": "hole-punch"}])
    net.add_node("nas", "server", zone="lan",
                 interfaces=[{"name": "eth0", "address": "192.168.1.20/24"}],
                 services=[{"name": "smb", "protocol": "tcp", "port": 445}])
    net.add_node("sensor", "sensor", zone="lan",
                 services=[{"name": "coap", "protocol": "udp", "port": 5683}])
    net.add_link("uplink", "router", "internet", a_interface="wan")
    for host in ("cam", "doorbell", "nas"):
        net.add_link(host + "-lan", "router", host, a_interface="lan0", b_interface="eth0")
    net.set_nat("router", inside=["lan0"], outside="wan", mapping="endpoint-independent",
                filtering=filtering, upnp=upnp)
    net.add_port_forward("router", "cam-web", 8080, "cam", internal_port=80)
    return net


def segmented():
    """A firewall between a LAN and an IoT zone; the conduit allows web only."""
    net = iotnet.Network("segmented")
    net.add_zone("lan", "home-lan")
    net.add_zone("iot", "iot-lan")
    net.add_conduit("lan-iot-web", "lan", "iot", services=["tcp/80"])
    net.add_node("fw", "firewall",
                 interfaces=[{"name": "in", "address": "192.168.1.1/24"},
                             {"name": "out", "address": "192.168.2.1/24"}])
    net.add_node("laptop", "workstation", zone="lan",
                 interfaces=[{"name": "eth0", "address": "192.168.1.10/24"}],
                 services=[{"name": "ssh", "protocol": "tcp", "port": 22}])
    net.add_node("cam", "camera", zone="iot",
                 interfaces=[{"name": "eth0", "address": "192.168.2.20/24"}],
                 services=[{"name": "web", "protocol": "tcp", "port": 80},
                           {"name": "telnet", "protocol": "tcp", "port": 23}])
    net.add_link("laptop-fw", "laptop", "fw", a_interface="eth0", b_interface="in")
    net.add_link("fw-cam", "fw", "cam", a_interface="out", b_interface="eth0")
    net.set_policy("fw", default="drop")
    net.add_rule("fw", "lan-to-cam-web", from_="zone:lan", to="node:cam", protocol="tcp",
                 ports=80, action="accept")
    return net


@pytest.fixture
def flat():
    with flat_lan() as net:
        yield net


@pytest.fixture
def home():
    with home_nat() as net:
        yield net


@pytest.fixture
def seg():
    with segmented() as net:
        yield net


# ---- a flat LAN -----------------------------------------------------------------


@engine
def test_flat_lan_everything_is_direct(flat):
    # No NAT and no policy on any path: every declared service is reachable,
    # class direct, sent to the destination itself on its own port. The only
    # transit node is the switch (a forwarding kind); it declares no service,
    # so it has one host row (no service, protocol any). Rows come in table
    # order of the destination (switch, cam, printer), then protocol and port;
    # the source is not one of its own destinations.
    assert list(flat.reach("laptop")) == [
        row("laptop", "switch", None, "any", None, "direct", "switch", None, None,
            ["laptop", "switch"]),
        row("laptop", "cam", "web", "tcp", 80, "direct", "cam", 80, None,
            ["laptop", "switch", "cam"]),
        row("laptop", "cam", "rtsp", "tcp", 554, "direct", "cam", 554, None,
            ["laptop", "switch", "cam"]),
        row("laptop", "printer", "ipp", "tcp", 631, "direct", "printer", 631, None,
            ["laptop", "switch", "printer"]),
    ]


@engine
def test_flat_lan_filters(flat):
    # dst narrows the destinations
    assert [(r.destination, r.service) for r in flat.reach("laptop", dst="printer")] == [
        ("printer", "ipp")]
    # a flow asked of every destination: undeclared ports have no service name
    rows = flat.reach("laptop", service="udp/9999")
    assert {"cam", "printer"} <= {r.destination for r in rows}
    assert all(r.service is None and r.protocol == "udp" and r.port == 9999
               and r.exposure == "direct" for r in rows)
    # a declared port asked for by flow keeps the service's name
    rows = flat.reach("laptop", dst="cam", service="tcp/554")
    assert [(r.service, r.flow, r.exposure) for r in rows] == [("rtsp", "tcp/554", "direct")]


@engine
def test_flat_lan_zone_source(flat):
    # "zone:lan" starts from every node of the zone; a row names the source
    # of its best path, which is some node of the zone
    rows = flat.reach("zone:lan", dst="cam")
    assert [(r.service, r.exposure) for r in rows] == [("web", "direct"), ("rtsp", "direct")]
    assert all(r.source in {"switch", "laptop", "printer"} for r in rows)
    assert flat.reach(flat.zones["lan"], dst="cam") == rows  # a Zone view works as well


@engine
def test_flat_lan_explain(flat):
    ex = flat.explain("laptop", "cam", "rtsp")
    assert ex.exposure == "direct" and ex.reachable
    assert ex.path == ("laptop", "switch", "cam")
    # nothing refuses the flow; the switch enforces nothing (layer transit)
    assert all(hop.action == "accept" for hop in ex.hops)
    assert all(hop.node in ex.path for hop in ex.hops)
    assert all(hop.layer == "transit" for hop in ex.hops if hop.node == "switch")
    text = str(ex)
    assert text.splitlines()[0] == "laptop -> cam rtsp: direct"
    assert "laptop > switch > cam" in text
    assert len(text.splitlines()) == 3 + len(ex.hops)  # headline, path, header, one per hop
    frame = ex.to_dataframe()
    assert list(frame.columns) == ["node", "layer", "action", "rule", "detail"]
    assert len(frame) == len(ex.hops)


@engine
def test_flat_lan_has_no_zone_pairs(flat):
    # one zone: the matrix only holds pairs of distinct zones
    matrix = flat.zone_matrix()
    assert len(matrix) == 0 and matrix.violations == []
    assert matrix.zones == ["lan"]


@engine
def test_unknown_ids_and_bad_service_text(flat):
    with pytest.raises(iotnet.NotFoundError):
        flat.reach("nope")
    with pytest.raises(iotnet.NotFoundError):
        flat.reach("zone:nope")
    with pytest.raises(iotnet.NotFoundError):
        flat.reach("laptop", dst="nope")
    with pytest.raises(KeyError):  # NotFoundError is a KeyError too
        flat.explain("laptop", "nope", "tcp/80")
    for bad in ("tcp/abc", "tcp/70000", "frobnicate/1", ""):
        with pytest.raises(ValueError):
            flat.reach("laptop", service=bad)
    with pytest.raises(iotnet.IotnetError):
        flat.explain("laptop", "cam", "no-such-service")


# ---- a home router with NAT44 ----------------------------------------------------


@engine
def test_home_router_from_the_internet(home):
    rows = home.reach("internet")
    by_dest = {}
    for r in rows:
        by_dest.setdefault(r.destination, []).append(r)
    # The router's own admin port: the path ends at the router, so the flow
    # never leaves on an inside interface and NAT44 inbound does not apply;
    # there is no policy. Direct, to the router itself.
    assert by_dest["router"] == [
        row("internet", "router", "admin", "tcp", 443, "direct", "router", 443, None,
            ["internet", "router"])]
    # The camera: tcp/80 only through the port forward, sent to the router's
    # outside address on the external port 8080 (entry router:8080 via
    # cam-web); RTSP declares UPnP traversal and the NAT accepts UPnP: a
    # pinhole on the same port.
    assert by_dest["cam"] == [
        row("internet", "cam", "web", "tcp", 80, "port-forward", "router", 8080, "cam-web",
            ["internet", "router", "cam"]),
        row("internet", "cam", "rtsp", "tcp", 554, "pinhole", "router", 554, None,
            ["internet", "router", "cam"]),
    ]
    # The doorbell keeps a hole-punched UDP mapping and the NAT filters
    # endpoint-independently: any outside host can send to the mapping.
    [bell] = by_dest["doorbell"]
    assert (bell.service, bell.flow, bell.exposure, bell.entry_node, bell.via, bell.path) == (
        "p2p", "udp/32100", "hole-punchable", "router", None, ("internet", "router", "doorbell"))
    # Nothing lets the NAS's smb port in, but the NAS can open flows out, so
    # the Internet reaches it only by replies to those.
    [nas] = by_dest["nas"]
    assert (nas.service, nas.flow, nas.exposure, nas.path) == (
        "smb", "tcp/445", "reply-only", ("internet", "router", "nas"))
    # The unlinked sensor cannot be reached at all: no row by default.
    assert "sensor" not in by_dest
    # rows are in destination table order
    assert [r.destination for r in rows] == ["router", "cam", "cam", "doorbell", "nas"]


@engine
def test_home_router_unreachable_rows():
    with home_nat() as net:
        default = list(net.reach("internet"))
        everything = list(net.reach("internet", include_unreachable=True))
    # include_unreachable adds rows of class none, and only those
    assert [r for r in everything if r.exposure != "none"] == default
    sensor = [r for r in everything if r.destination == "sensor"]
    assert sensor and all(r.exposure == "none" and r.path == () for r in sensor)


@engine
def test_filtering_decides_hole_punching():
    # Address-dependent filtering admits only the peer the doorbell talks
    # to: for any other source that is a reply, so the doorbell becomes a
    # reply-only destination.
    with home_nat(filtering="address-dependent") as net:
        bell = [r for r in net.reach("internet") if r.destination == "doorbell"]
    assert [(r.service, r.flow, r.exposure) for r in bell] == [("p2p", "udp/32100", "reply-only")]


@engine
def test_upnp_off_closes_the_pinhole():
    # Without UPnP on the NAT the camera's RTSP has no way in: only replies
    # to flows the camera opens itself; its web UI still comes through the
    # forward.
    with home_nat(upnp=False) as net:
        cam = [(r.service, r.exposure) for r in net.reach("internet", dst="cam")]
    assert cam == [("web", "port-forward"), ("rtsp", "reply-only")]


@engine
def test_inside_flows_cross_no_nat(home):
    # NAS to camera: both behind lan0, the router is only transit between
    # two inside interfaces, so no NAT mechanism is needed: direct, to the
    # camera's own ports.
    assert list(home.reach("nas", dst="cam")) == [
        row("nas", "cam", "web", "tcp", 80, "direct", "cam", 80, None, ["nas", "router", "cam"]),
        row("nas", "cam", "rtsp", "tcp", 554, "direct", "cam", 554, None,
            ["nas", "router", "cam"]),
    ]
    # Outbound through the NAT is always admitted (a port the Internet node
    # does not declare, so no service name).
    [out] = home.reach("nas", dst="internet", service="tcp/443")
    assert (out.service, out.flow, out.path) == (None, "tcp/443", ("nas", "router", "internet"))
    assert out.exposure not in ("none", "reply-only")


@engine
def test_explain_a_port_forward(home):
    ex = home.explain("internet", "cam", "web")
    assert ex.exposure == "port-forward"
    assert ex.path == ("internet", "router", "cam")
    nat = [h for h in ex.hops if h.layer == "nat"]
    assert nat and nat[0].node == "router" and nat[0].action == "accept"
    assert nat[0].rule == "cam-web"  # the forward decided
    assert "cam-web" in str(ex)


@engine
def test_explain_where_a_flow_stops(home):
    # Unsolicited tcp/445 towards the NAS: the NAT drops it on the way in
    # (no forward, pinhole or mapping). The NAS can open flows out, so the
    # flow's class is reply-only, and the explanation says so last.
    ex = home.explain("internet", "nas", "tcp/445")
    assert ex.exposure == "reply-only" and ex.reachable
    assert ex.path == ("internet", "router", "nas")
    drops = [(h.node, h.layer, h.rule) for h in ex.hops if h.action == "drop"]
    assert drops[0] == ("router", "nat", None)
    assert all(h.detail for h in ex.hops)  # a line for a reader, never empty
    # a port nothing on the way admits, towards a device that cannot open
    # anything itself: class none, stopped at the NAT
    ex = home.explain("internet", "sensor", "udp/5683")
    assert ex.exposure == "none" and not ex.reachable


@engine
def test_home_zone_matrix(home):
    # From the Internet zone into the LAN: the router's admin port (direct),
    # the camera's web UI (forward), RTSP (pinhole) and the doorbell's P2P
    # port (hole-punchable); canonical order, protocol then port. No conduit
    # is declared, so all of it is a violation. Nothing flows the other way:
    # the Internet node declares no service.
    matrix = home.zone_matrix()
    assert list(matrix) == [iotnet.ZoneFlow("internet", "lan",
                                            ["tcp/80", "tcp/443", "tcp/554", "udp/32100"],
                                            ["tcp/80", "tcp/443", "tcp/554", "udp/32100"],
                                            None)]
    assert matrix.violations == list(matrix)


# ---- a firewall between zones ----------------------------------------------------


@engine
def test_firewall_admits_only_its_rules(seg):
    # The first matching rule admits tcp/80 from the LAN zone to the camera;
    # telnet falls to the default drop.
    assert list(seg.reach("laptop")) == [
        row("laptop", "cam", "web", "tcp", 80, "direct", "cam", 80, None,
            ["laptop", "fw", "cam"])]
    # The camera cannot open anything towards the laptop (default drop),
    # but the laptop opens flows towards the camera, and replies pass a
    # stateful policy: reply-only.
    [back] = seg.reach("cam", dst="laptop")
    assert (back.destination, back.service, back.flow, back.exposure) == (
        "laptop", "ssh", "tcp/22", "reply-only")


@engine
def test_explain_a_default_drop_and_then_a_rule(seg):
    ex = seg.explain("laptop", "cam", "tcp/23")
    assert ex.exposure == "none" and not ex.reachable
    last = ex.hops[-1]
    # decided by the default action: no rule named
    assert (last.node, last.layer, last.action, last.rule) == ("fw", "firewall", "drop", None)
    seg.add_rule("fw", "lan-to-cam-telnet", from_="zone:lan", to="node:cam", protocol="tcp",
                 ports=23)
    ex = seg.explain("laptop", "cam", "telnet")
    assert ex.exposure == "direct"
    fw = [h for h in ex.hops if h.node == "fw"]
    assert [(h.layer, h.action, h.rule) for h in fw] == [
        ("firewall", "accept", "lan-to-cam-telnet")]


@engine
def test_zone_matrix_and_conduit_violations(seg):
    # LAN -> IoT: web only, which the conduit covers; IoT -> LAN: nothing
    # (the camera cannot open towards the laptop's ssh).
    matrix = seg.zone_matrix()
    assert list(matrix) == [iotnet.ZoneFlow("lan", "iot", ["tcp/80"], [], "lan-iot-web")]
    assert matrix.violations == []
    # open telnet as well: the conduit does not cover it
    seg.add_rule("fw", "lan-to-cam-telnet", from_="zone:lan", to="node:cam", protocol="tcp",
                 ports=23)
    matrix = seg.zone_matrix()
    flow = matrix.get("lan", "iot")
    assert flow == iotnet.ZoneFlow("lan", "iot", ["tcp/23", "tcp/80"], ["tcp/23"],
                                   "lan-iot-web")
    assert matrix.violations == [flow]
    assert matrix.get("iot", "lan") is None
    pivot = matrix.pivot()
    assert list(pivot.index) == ["lan", "iot"] and list(pivot.columns) == ["lan", "iot"]
    assert pivot.loc["lan", "iot"] == "tcp/23 tcp/80" and pivot.loc["iot", "lan"] == ""
    assert matrix.pivot("violations").loc["lan", "iot"] == "tcp/23"
    frame = matrix.to_dataframe()
    assert list(frame.columns) == ["from_zone", "to_zone", "services", "violations", "conduit"]


@engine
def test_results_are_snapshots(seg):
    rows = seg.reach("laptop")
    ex = seg.explain("laptop", "cam", "web")
    matrix = seg.zone_matrix()
    seg.remove_link("fw-cam")
    assert len(seg.reach("laptop")) == 0  # the network changed...
    seg.close()
    # ...the results did not, and they outlive the network
    assert rows[0].path == ("laptop", "fw", "cam")
    assert ex.path == ("laptop", "fw", "cam") and str(ex)
    assert matrix[0].from_zone == "lan"


# ---- the result containers (no engine needed) ------------------------------------


SAMPLE = [
    row("internet", "router", "admin", "tcp", 443, "direct", "router", 443, None,
        ["internet", "router"]),
    row("internet", "cam", "web", "tcp", 80, "port-forward", "router", 8080, "cam-web",
        ["internet", "router", "cam"]),
    row("internet", "nas", None, "any", None, "reply-only", None, None, None, []),
]


def test_reach_rows_are_a_sequence():
    rows = iotnet.ReachRows(SAMPLE, {"src": "internet"})
    assert len(rows) == 3 and list(rows) == SAMPLE and rows[1] is SAMPLE[1]
    assert rows[-1].destination == "nas"
    assert isinstance(rows[:2], iotnet.ReachRows) and list(rows[:2]) == SAMPLE[:2]
    assert rows == SAMPLE and rows == iotnet.ReachRows(SAMPLE)
    with pytest.raises(IndexError):
        rows[3]
    assert [r.flow for r in rows] == ["tcp/443", "tcp/80", "any"]


def test_reach_rows_records_and_dataframe():
    rows = iotnet.ReachRows(SAMPLE)
    records = rows.to_records()
    assert records[1] == {"source": "internet", "destination": "cam", "service": "web",
                          "protocol": "tcp", "port": 80, "exposure": "port-forward",
                          "entry_node": "router", "entry_port": 8080, "via": "cam-web",
                          "path": ("internet", "router", "cam")}
    frame = rows.to_dataframe()
    assert list(frame.columns) == ["source", "destination", "service", "protocol", "port",
                                   "exposure", "entry_node", "entry_port", "via", "path"]
    assert len(frame) == 3 and frame["exposure"].tolist() == ["direct", "port-forward",
                                                              "reply-only"]
    assert frame["port"].tolist()[:2] == [443, 80] and frame["port"].isna().tolist()[2]
    assert str(frame["entry_port"].dtype) == "Int64"
    empty = iotnet.ReachRows([]).to_dataframe()
    assert len(empty) == 0 and "exposure" in empty.columns


def test_reach_rows_show_themselves():
    rows = iotnet.ReachRows(SAMPLE, {"src": "internet", "dst": None, "service": None})
    text = repr(rows)
    assert text.startswith("<ReachRows from internet: 3 rows>")
    assert "router:8080" in text and "internet > router > cam" in text
    assert repr(iotnet.ReachRows([], {"src": "x"})) == "<ReachRows from x: none>"
    html = iotnet.ReachRows([row("a<b", "c&d", None, "any", None, "none", None, None, None,
                                 [])])._repr_html_()
    assert html.startswith("<table>") and "a&lt;b" in html and "c&amp;d" in html


def test_rows_are_frozen():
    with pytest.raises(AttributeError):
        SAMPLE[0].exposure = "none"


def test_explanation_text():
    ex = iotnet.Explanation("internet", "cam", "tcp/80", "port-forward",
                            ["internet", "router", "cam"],
                            [iotnet.Hop("router", "nat", "accept", "cam-web",
                                        "forward tcp/8080 to cam:80"),
                             iotnet.Hop("router", "firewall", "accept", None,
                                        "default accept")])
    lines = str(ex).splitlines()
    assert lines[0] == "internet -> cam tcp/80: port-forward"
    assert lines[1] == "path: internet > router > cam"
    assert lines[2].split() == ["node", "layer", "action", "rule", "detail"]
    assert lines[3].split(None, 4) == ["router", "nat", "accept", "cam-web",
                                       "forward tcp/8080 to cam:80"]
    assert lines[4].split(None, 4) == ["router", "firewall", "accept", "-", "default accept"]
    assert repr(ex) == "<Explanation internet -> cam tcp/80: port-forward, 2 hops>"
    assert ex.to_records()[0]["rule"] == "cam-web"
    assert "<table>" in ex._repr_html_()
    stopped = iotnet.Explanation("a", "b", "icmp", "none", [], [])
    assert str(stopped) == "a -> b icmp: none\npath: none"


def test_zone_matrix_pivot_covers_every_zone():
    matrix = iotnet.ZoneMatrix([iotnet.ZoneFlow("lan", "iot", ["tcp/80", "tcp/443"],
                                                ["tcp/443"], None)],
                               zones=["internet", "lan", "iot"])
    pivot = matrix.pivot()
    assert list(pivot.index) == ["internet", "lan", "iot"]
    assert pivot.loc["lan", "iot"] == "tcp/80 tcp/443"
    assert (pivot.drop(index="lan") == "").all().all()
    with pytest.raises(ValueError):
        matrix.pivot("colour")
    assert "1 with violations" in repr(matrix)
    assert repr(iotnet.ZoneMatrix([])) == "<ZoneMatrix: no flows between zones>"
