"""Building a network from Python and reading every field back."""

import datetime

import pytest

import iotnet

UTC = datetime.timezone.utc


# ---- zones and conduits -----------------------------------------------------

def test_zone_fields_read_back(full_net):
    lan = full_net.zones["lan"]
    assert (lan.id, lan.kind, lan.purdue_level, lan.target_sl) == ("lan", "home-lan", 4.0, 2)
    assert lan.target_sl_fr == {1: 3, 7: 1}
    assert lan.description is None
    internet = full_net.zones["internet"]
    assert internet.description == "everything outside"
    assert internet.purdue_level is None and internet.target_sl is None
    assert internet.target_sl_fr == {}
    assert full_net.zones["iot"].purdue_level == 3.5


def test_zone_lists_its_nodes(full_net):
    assert sorted(n.id for n in full_net.zones["lan"].nodes) == ["phone", "router"]
    assert [n.id for n in full_net.zones["iot"].nodes] == ["camera"]


def test_conduit_fields_read_back(full_net):
    c = full_net.conduits["lan-to-iot"]
    assert (c.from_zone, c.to_zone, c.bidirectional) == ("lan", "iot", True)
    assert c.services == ["tcp/443", "udp/5683", "icmp"]
    assert c.description == "apps control devices"
    out = full_net.conduits["iot-out"]
    assert out.services == [] and out.bidirectional is False


@pytest.mark.parametrize("kwargs, error", [
    ({"purdue_level": 6}, ValueError),
    ({"purdue_level": float("nan")}, ValueError),
    ({"purdue_level": "4"}, TypeError),
    ({"target_sl": 5}, ValueError),
    ({"target_sl": 0}, ValueError),
    ({"target_sl_fr": {8: 1}}, ValueError),
    ({"target_sl_fr": {1: 9}}, ValueError),
    ({"target_sl_fr": [1, 2]}, TypeError),
    ({"description": 3}, TypeError),
])
def test_zone_arguments_checked_before_c(net, kwargs, error):
    with pytest.raises(error):
        net.add_zone("z", "home-lan", **kwargs)
    assert "z" not in net.zones


def test_conduit_needs_existing_zones(net):
    net.add_zone("a", "home-lan")
    with pytest.raises(iotnet.NotFoundError) as exc:
        net.add_conduit("c", "a", "nowhere")
    assert "nowhere" in str(exc.value)
    with pytest.raises(ValueError):
        net.add_conduit("c", "a", "a", services=["tcp 443"])


# ---- nodes ----------------------------------------------------------------------

def test_node_fields_read_back(full_net):
    r = full_net.nodes["router"]
    assert r.as_dict() == {
        "id": "router", "kind": "home-router", "zone": "lan", "vendor": "Acme",
        "model": "R100", "firmware": "1.2.3", "implementation": "linux-netfilter",
        "mud_url": None, "description": "the home gateway"}
    cam = full_net.nodes["camera"]
    assert cam.mud_url == "https://camco.example/mud/cam1.json"
    assert cam.vendor == "Cam Co" and cam.model is None


def test_interfaces_read_back(full_net):
    assert full_net.nodes["router"].interfaces == [
        iotnet.Interface("wan0", "203.0.113.7/24"),
        iotnet.Interface("lan0", "192.168.1.1/24", "main LAN"),
        iotnet.Interface("iot0", "192.168.2.1/24"),
    ]
    assert full_net.nodes["phone"].interfaces == [iotnet.Interface("wlan0")]


def test_interface_address_without_length_is_a_host(net):
    net.add_node("h", "host", interfaces=[{"name": "eth0", "address": "10.0.0.1"}])
    assert net.nodes["h"].interfaces[0].address == "10.0.0.1"


def test_services_read_back(full_net):
    web, dns, ping = full_net.nodes["router"].services
    assert web == iotnet.Service("web-ui", "tcp", 443, "default-password", "tls1.2",
                                 ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"], True, "none")
    assert (dns.protocol, dns.port, dns.authentication, dns.transport) == \
        ("udp", 53, "none", "none")
    assert (ping.protocol, ping.port, ping.authentication, ping.cipher_suites) == \
        ("icmp", None, "unspecified", [])
    (rtsp,) = full_net.nodes["camera"].services
    assert rtsp.nat_traversal == "upnp" and rtsp.transport == "tls1.3"


def test_lifecycle_read_back(full_net):
    lc = full_net.nodes["camera"].lifecycle
    assert lc == iotnet.Lifecycle(
        certificate_not_after=datetime.datetime(2029, 12, 31, 22, 0, tzinfo=UTC),
        signed_artifact_lifetime=datetime.timedelta(days=3650),
        end_of_support=datetime.datetime(2028, 6, 30, 12, 30, tzinfo=UTC),
        update_mechanism="suit", owner="previous tenant", ownership_statement=False,
        reset_method="button", vendor_cloud_dependency=True, credentials_escrowed=False,
        attestation="rats")
    assert lc.certificate_not_after.tzinfo is not None
    phone = full_net.nodes["phone"].lifecycle
    assert phone.update_mechanism == "automatic" and phone.ownership_statement is True
    assert phone.certificate_not_after is None and phone.vendor_cloud_dependency is None
    assert full_net.nodes["router"].lifecycle is None


def test_lifecycle_takes_other_time_zones_as_utc(net):
    cet = datetime.timezone(datetime.timedelta(hours=2))
    net.add_node("d", "sensor", lifecycle={
        "certificate_not_after": datetime.datetime(2030, 1, 1, 0, 0, tzinfo=cet)})
    assert net.nodes["d"].lifecycle.certificate_not_after == \
        datetime.datetime(2029, 12, 31, 22, 0, tzinfo=UTC)


def test_node_views_are_live(full_net):
    cam = full_net.nodes["camera"]
    cam.update(firmware="2.0", description="front door")
    assert (cam.firmware, cam.description, cam.vendor) == ("2.0", "front door", "Cam Co")
    cam.update(vendor=None)
    assert full_net.nodes["camera"].vendor is None
    cam.add_service(iotnet.Service("onvif", "tcp", 80, authentication="none"))
    assert [s.name for s in cam.services] == ["rtsp", "onvif"]
    cam.remove_service("onvif")
    assert [s.name for s in cam.services] == ["rtsp"]
    cam.add_interface({"name": "wlan1"})
    cam.remove_interface("wlan1")
    assert [i.name for i in cam.interfaces] == ["eth0"]
    cam.set_lifecycle({"attestation": "vendor"})
    assert cam.lifecycle.attestation == "vendor" and cam.lifecycle.owner is None


def test_node_update_checks_fields(full_net):
    cam = full_net.nodes["camera"]
    with pytest.raises(TypeError):
        cam.update(colour="red")
    with pytest.raises(iotnet.KindError):
        cam.update(kind="no-such-kind")
    assert cam.kind == "camera"


def test_node_links_and_is_a(full_net):
    router = full_net.nodes["router"]
    assert sorted(link.id for link in router.links) == ["cam-wifi", "phone-wifi", "uplink"]
    assert router.is_forwarding and not full_net.nodes["camera"].is_forwarding
    assert full_net.nodes["camera"].is_a("iot-device")
    assert full_net.nodes["camera"].is_a("camera")
    assert not full_net.nodes["camera"].is_a("forwarding")


# ---- services, interfaces: bad input ------------------------------------------

@pytest.mark.parametrize("service, error", [
    ({"name": "x", "port": 70000}, ValueError),
    ({"name": "x", "port": -1}, ValueError),
    ({"name": "x", "port": "80"}, TypeError),
    ({"name": "x", "port": True}, TypeError),
    ({"name": "x", "protocol": "tcpp"}, ValueError),
    ({"name": "x", "transport": "tls9"}, ValueError),
    ({"name": "x", "cipher_suites": ["A B"]}, ValueError),
    ({"name": "x", "cipher_suites": [1]}, TypeError),
    ({"name": "x", "management": "yes"}, TypeError),
    ({"name": "x", "colour": "red"}, TypeError),
    ({"name": None}, TypeError),
    ("web", TypeError),
])
def test_bad_services_are_refused_and_add_nothing(net, service, error):
    with pytest.raises(error):
        net.add_node("n", "host", services=[service])
    assert "n" not in net.nodes and len(net) == 0


def test_unknown_enum_names_list_the_choices(net):
    with pytest.raises(iotnet.InvalidArgumentError) as exc:
        net.add_node("n", "host", services=[{"name": "x", "authentication": "magic"}])
    assert "certificate" in str(exc.value)
    assert exc.value.code < 0


@pytest.mark.parametrize("address", ["300.1.1.1/24", "10.0.0.1/33", "hello", "10.0.0/8"])
def test_bad_interface_addresses(net, address):
    with pytest.raises(ValueError):
        net.add_node("n", "host", interfaces=[{"name": "eth0", "address": address}])
    assert len(net) == 0


def test_failure_after_add_leaves_no_half_node(net):
    """The node is added before its interfaces; a duplicate interface name
    fails in C, and the node must be gone again."""
    with pytest.raises(iotnet.AlreadyExistsError):
        net.add_node("n", "host", interfaces=[{"name": "eth0"}, {"name": "eth0"}])
    assert "n" not in net.nodes
    net.add_node("n", "host")
    assert net.nodes["n"].interfaces == []


def test_choices_come_from_the_library():
    assert "wifi" in iotnet.choices("medium")
    assert iotnet.choices("nat-filtering") == [
        "endpoint-independent", "address-dependent", "address-and-port-dependent"]
    with pytest.raises(ValueError):
        iotnet.choices("colour")


# ---- links ----------------------------------------------------------------------

def test_link_fields_read_back(full_net):
    up = full_net.links["uplink"]
    assert up.as_dict() == {
        "id": "uplink", "a": "router", "a_interface": "wan0", "b": "wan", "b_interface": None,
        "medium": "fibre", "latency_ms": 4.25, "encryption": "none", "description": "FTTH"}
    assert [n.id for n in up.nodes] == ["router", "wan"]
    wifi = full_net.links["phone-wifi"]
    assert wifi.latency_ms is None and wifi.encryption == "wpa2"
    assert full_net.links["cam-wifi"].latency_ms == 0.0


def test_link_defaults_are_unspecified(net):
    net.add_node("a", "host")
    net.add_node("b", "switch")
    link = net.add_link("l", "a", "b")
    assert (link.medium, link.encryption, link.latency_ms) == ("unspecified", "unspecified", None)


@pytest.mark.parametrize("kwargs, error", [
    ({"b": "a"}, iotnet.InvalidArgumentError),
    ({"b": "ghost"}, iotnet.NotFoundError),
    ({"a_interface": "eth9"}, iotnet.NotFoundError),
    ({"medium": "carrier-pigeon"}, ValueError),
    ({"latency_ms": -1}, ValueError),
    ({"latency_ms": float("inf")}, ValueError),
    ({"b": 7}, TypeError),
])
def test_bad_links(net, kwargs, error):
    net.add_node("a", "host")
    net.add_node("b", "switch")
    args = {"a": "a", "b": "b", **kwargs}
    with pytest.raises(error):
        net.add_link("l", **args)
    assert "l" not in net.links


# ---- attributes -------------------------------------------------------------------

def test_attributes_of_every_type(full_net):
    attrs = full_net.nodes["router"].attributes
    assert attrs.to_dict() == {
        "rack": "hallway", "uptime-days": -12, "cpu-load": 0.125, "wps": True,
        "installed": datetime.datetime(2021, 3, 4, 5, 6, 7, tzinfo=UTC),
        "warranty": datetime.timedelta(days=730)}
    assert attrs.types() == {"rack": "string", "uptime-days": "int", "cpu-load": "float",
                             "wps": "bool", "installed": "date", "warranty": "duration"}
    assert type(attrs["wps"]) is bool and type(attrs["uptime-days"]) is int
    assert full_net.zones["lan"].attributes == {"owner": "family", "floors": 2}
    assert full_net.links["uplink"].attributes == {"bandwidth-mbps": 1000, "metered": False}


def test_attributes_mapping_protocol(full_net):
    attrs = full_net.nodes["camera"].attributes
    assert len(attrs) == 2 and set(attrs) == {"resolution", "retention"}
    assert "resolution" in attrs and "colour" not in attrs and 3 not in attrs
    attrs["colour"] = "white"
    attrs["resolution"] = "4k"
    assert full_net.nodes["camera"].attributes["resolution"] == "4k"
    del attrs["colour"]
    assert "colour" not in attrs
    assert attrs.get("colour", "none") == "none"
    with pytest.raises(KeyError):
        attrs["colour"]
    with pytest.raises(iotnet.NotFoundError):
        del attrs["colour"]
    attrs.update({"pixels": 2073600, "night-vision": True})
    assert attrs["pixels"] == 2073600


def test_attribute_type_conflicts(full_net):
    cam = full_net.nodes["camera"].attributes
    with pytest.raises(iotnet.AttributeTypeError) as exc:
        cam["cpu-load"] = "high"   # the node table's cpu-load column holds floats
    assert isinstance(exc.value, TypeError)
    assert "cpu-load" in str(exc.value)
    cam["cpu-load"] = 0.5
    with pytest.raises(iotnet.AttributeTypeError):
        cam["cpu-load"] = 1        # an int is not a float column
    with pytest.raises(iotnet.AttributeTypeError):
        full_net.nodes["phone"].attributes["installed"] = datetime.timedelta(1)
    # columns are per table: a link may use the same key with another type
    full_net.links["uplink"].attributes["cpu-load"] = "n/a"
    with pytest.raises(iotnet.AttributeTypeError):
        full_net.add_node("x", "host", attributes={"rack": 3})
    assert "x" not in full_net.nodes


@pytest.mark.parametrize("value, error", [
    (None, TypeError),
    ([1, 2], TypeError),
    (b"bytes", TypeError),
    (2 ** 63, ValueError),
    (float("nan"), ValueError),
    (datetime.timedelta(seconds=1.5), ValueError),
    ("nul\0inside", ValueError),
])
def test_bad_attribute_values(net, value, error):
    node = net.add_node("n", "host")
    with pytest.raises(error):
        node.attributes["k"] = value
    assert "k" not in node.attributes


def test_attribute_keys_must_be_text(net):
    node = net.add_node("n", "host")
    with pytest.raises(TypeError):
        node.attributes[1] = "x"
    with pytest.raises(TypeError):
        net.add_zone("z", "home-lan", attributes={2: "x"})


def test_naive_datetimes_are_utc_and_dates_midnight(net):
    node = net.add_node("n", "host")
    node.attributes["a"] = datetime.datetime(2024, 5, 6, 7, 8, 9, 999999)
    node.attributes["b"] = datetime.date(2024, 5, 6)
    assert node.attributes["a"] == datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    assert node.attributes["b"] == datetime.datetime(2024, 5, 6, tzinfo=UTC)
    node.attributes["old"] = datetime.datetime(1901, 1, 1, tzinfo=UTC)
    assert node.attributes["old"].year == 1901


# ---- policy and NAT ------------------------------------------------------------------

def test_policy_read_back(full_net):
    policy = full_net.nodes["router"].policy
    assert policy.default == "drop"
    assert policy.rules == [
        iotnet.Rule("lan-out", "zone:lan", "internet", "any", None, "any", "accept"),
        iotnet.Rule("camera-feed", "node:phone", "kind:camera", "tcp", (554, 554), "from",
                    "accept", "RTSP from the phone"),
        iotnet.Rule("mgmt-block", "cidr:192.168.2.0/24", "node:router", "tcp", (8000, 8100),
                    "any", "reject"),
    ]
    assert full_net.nodes["camera"].policy is None


def test_policy_default_and_removal(full_net):
    full_net.set_policy("router", default="reject")
    assert full_net.nodes["router"].policy.default == "reject"
    assert len(full_net.nodes["router"].policy.rules) == 3
    full_net.remove_policy("router")
    assert full_net.nodes["router"].policy is None
    full_net.add_rule("camera", "only", action="accept")
    assert full_net.nodes["camera"].policy.default == "drop"


@pytest.mark.parametrize("kwargs, error", [
    ({"from_": "zone:nowhere"}, iotnet.NotFoundError),
    ({"to": "kind:unicorn"}, iotnet.KindError),
    ({"from_": "zone"}, ValueError),
    ({"from_": "any:thing"}, ValueError),
    ({"to": "planet:mars"}, ValueError),
    ({"to": "cidr:10.0.0.0/40"}, ValueError),
    ({"from_": 3}, TypeError),
    ({"ports": 65536}, ValueError),
    ({"ports": (-1, 5)}, ValueError),
    ({"ports": (100, 10)}, ValueError),
    ({"ports": "80"}, TypeError),
    ({"ports": (1, 2, 3)}, TypeError),
    ({"action": "allow"}, ValueError),
    ({"initiated_by": "nobody"}, ValueError),
])
def test_bad_rules(full_net, kwargs, error):
    with pytest.raises(error):
        full_net.add_rule("router", "new", **kwargs)
    assert [r.name for r in full_net.nodes["router"].policy.rules] == \
        ["lan-out", "camera-feed", "mgmt-block"]


def test_duplicate_rule_names(full_net):
    with pytest.raises(iotnet.AlreadyExistsError) as exc:
        full_net.add_rule("router", "lan-out")
    assert "lan-out" in str(exc.value)


def test_nat_read_back(full_net):
    nat = full_net.nodes["router"].nat
    assert nat == iotnet.Nat(
        inside=["lan0", "iot0"], outside="wan0", mapping="address-dependent",
        filtering="endpoint-independent", hairpinning=True, upnp=True, pcp=False, cgnat=False,
        forwards=[iotnet.PortForward("cam-rtsp", 8554, "camera", "tcp", 554),
                  iotnet.PortForward("game", 3074, "phone", "udp", None)])
    assert full_net.nodes["camera"].nat is None


def test_nat_replacement_keeps_forwards(full_net):
    full_net.set_nat("router", inside=["lan0"], outside="wan0", cgnat=True)
    nat = full_net.nodes["router"].nat
    assert nat.inside == ["lan0"] and nat.cgnat and nat.mapping == "endpoint-independent"
    assert [f.name for f in nat.forwards] == ["cam-rtsp", "game"]
    full_net.remove_nat("router")
    assert full_net.nodes["router"].nat is None


@pytest.mark.parametrize("kwargs, error", [
    ({"inside": ["eth7"]}, iotnet.NotFoundError),
    ({"inside": []}, ValueError),
    ({"inside": ["lan 0"]}, ValueError),
    ({"outside": None}, TypeError),
    ({"mapping": "random"}, ValueError),
    ({"upnp": 1}, TypeError),
])
def test_bad_nat(full_net, kwargs, error):
    args = {"inside": ["lan0"], "outside": "wan0", **kwargs}
    with pytest.raises(error):
        full_net.set_nat("camera" if "eth7" in str(kwargs) else "router", **args)


@pytest.mark.parametrize("kwargs, error", [
    ({"external_port": 0}, ValueError),
    ({"external_port": 65536}, ValueError),
    ({"internal_port": 0}, ValueError),
    ({"to_node": "ghost"}, iotnet.NotFoundError),
    ({"name": "game"}, iotnet.AlreadyExistsError),
    ({"protocol": "icmp"}, ValueError),
])
def test_bad_port_forwards(full_net, kwargs, error):
    args = {"name": "new", "external_port": 8080, "to_node": "camera", **kwargs}
    with pytest.raises(error):
        full_net.add_port_forward("router", **args)
    assert len(full_net.nodes["router"].nat.forwards) == 2


def test_port_forward_needs_nat(full_net):
    with pytest.raises(iotnet.NotFoundError):
        full_net.add_port_forward("camera", "x", 80, "phone")


# ---- ids, kinds, removal ----------------------------------------------------------------

@pytest.mark.parametrize("add", [
    lambda n: n.add_zone("lan", "guest-lan"),
    lambda n: n.add_conduit("iot-out", "lan", "iot"),
    lambda n: n.add_node("camera", "camera"),
    lambda n: n.add_link("uplink", "camera", "phone"),
])
def test_duplicate_ids(full_net, add):
    with pytest.raises(iotnet.AlreadyExistsError) as exc:
        add(full_net)
    assert exc.value.code == -5
    assert any(word in str(exc.value) for word in ("lan", "iot-out", "camera", "uplink"))


def test_duplicate_node_keeps_the_original(full_net):
    with pytest.raises(iotnet.AlreadyExistsError):
        full_net.add_node("camera", "plc", vendor="Other")
    assert full_net.nodes["camera"].kind == "camera"
    assert full_net.nodes["camera"].vendor == "Cam Co"


def test_unknown_and_wrong_family_kinds(net):
    with pytest.raises(iotnet.KindError) as exc:
        net.add_node("n", "toaster")
    assert "toaster" in str(exc.value)
    with pytest.raises(iotnet.KindError):
        net.add_node("n", "home-lan")      # a zone kind
    with pytest.raises(iotnet.KindError):
        net.add_zone("z", "camera")        # a node kind
    assert len(net) == 0 and len(net.zones) == 0


def test_user_kinds(net):
    net.add_kind("doorbell", "camera")
    assert net.kind_is_a("doorbell", "iot-device")
    assert not net.kind_is_a("camera", "doorbell")
    assert net.kinds["doorbell"] == "camera"
    assert net.kinds["node-kind"] is None
    net.add_kind("doorbell", "camera")   # again, same parent: fine
    with pytest.raises(iotnet.AlreadyExistsError):
        net.add_kind("doorbell", "sensor")
    with pytest.raises(iotnet.KindError):
        net.add_kind("gadget", "no-such-parent")
    with pytest.raises(iotnet.KindError):
        net.kind_is_a("gadget", "device")
    door = net.add_node("door", "doorbell")
    assert door.is_a("camera")


def test_remove_node_takes_its_links(full_net):
    full_net.add_node("laptop", "workstation", zone="lan")
    full_net.add_link("laptop-eth", "laptop", "router")
    full_net.remove_node("laptop")
    assert "laptop" not in full_net.nodes and "laptop-eth" not in full_net.links
    assert len(full_net) == 4


def test_remove_in_use(full_net):
    with pytest.raises(iotnet.InUseError):
        full_net.remove_node("phone")     # a rule and a port forward name it
    with pytest.raises(iotnet.InUseError):
        full_net.remove_zone("iot")       # nodes and conduits in it
    assert "phone" in full_net.nodes and "iot" in full_net.zones
    full_net.remove_conduit("iot-out")
    full_net.remove_conduit("lan-to-iot")
    full_net.remove_link("cam-wifi")
    assert "cam-wifi" not in full_net.links
    assert [link.id for link in full_net.nodes["camera"].links] == []


def test_remove_missing(full_net):
    for remove in (full_net.remove_node, full_net.remove_link, full_net.remove_zone,
                   full_net.remove_conduit):
        with pytest.raises(iotnet.NotFoundError) as exc:
            remove("ghost")
        assert isinstance(exc.value, KeyError)
        assert "ghost" in str(exc.value)


def test_not_found_message_is_not_quoted(full_net):
    with pytest.raises(KeyError) as exc:
        full_net.nodes["ghost"]
    assert str(exc.value) == exc.value.message
    assert not str(exc.value).startswith(("'", '"'))


# ---- the network as a whole ----------------------------------------------------------

def test_mappings(full_net):
    assert len(full_net) == 4 and len(full_net.nodes) == 4
    assert len(full_net.zones) == 3 and len(full_net.links) == 3 and len(full_net.conduits) == 2
    assert sorted(full_net.nodes) == ["camera", "phone", "router", "wan"]
    assert sorted(n.id for n in full_net) == ["camera", "phone", "router", "wan"]
    assert "router" in full_net and "ghost" not in full_net and None not in full_net.nodes
    assert full_net.nodes["router"] in full_net.nodes
    assert full_net.nodes["router"] not in full_net.links
    assert dict(full_net.links.items())["uplink"] == full_net.links["uplink"]
    with pytest.raises(TypeError):
        full_net.nodes[1]


def test_views_compare_by_network_and_id(full_net, make_net):
    other = make_net()
    try:
        assert full_net.nodes["camera"] == full_net.nodes["camera"]
        assert full_net.nodes["camera"] != other.nodes["camera"]
        assert len({full_net.nodes["camera"], full_net.nodes["camera"]}) == 1
    finally:
        other.close()


def test_name(net):
    assert net.name is None
    net.name = "lab"
    assert net.name == "lab" and "lab" in repr(net)
    net.name = None
    assert net.name is None
    with pytest.raises(TypeError):
        net.name = 5
    assert iotnet.Network("n2").name == "n2"


def test_equality(full_net, make_net):
    same = make_net()
    try:
        assert full_net == same and full_net.difference(same) is None
        same.nodes["camera"].attributes["resolution"] = "720p"
        assert full_net != same
        assert "resolution" in same.difference(full_net)
        assert full_net != "a network"
        with pytest.raises(TypeError):
            full_net.difference(3)
    finally:
        same.close()


def test_equality_ignores_insertion_order():
    a, b = iotnet.Network(), iotnet.Network()
    a.add_node("x", "host")
    a.add_node("y", "switch")
    b.add_node("y", "switch")
    b.add_node("x", "host")
    assert a == b


def test_reprs_describe_elements(full_net):
    assert repr(full_net) == "<iotnet.Network 'test home': 3 zones, 4 nodes, 3 links>"
    assert repr(full_net.nodes["camera"]) == "<Node 'camera' kind=camera zone=iot>"
    assert repr(full_net.zones["lan"]) == "<Zone 'lan' kind=home-lan>"
    assert repr(full_net.links["uplink"]) == "<Link 'uplink' router -- wan medium=fibre>"
    assert repr(full_net.conduits["lan-to-iot"]) == "<Conduit 'lan-to-iot' lan <-> iot>"
    assert "wps" in repr(full_net.nodes["router"].attributes)
    assert repr(full_net.nodes).startswith("<4 nodes: ")
    assert "Service(name='rtsp'" in repr(full_net.nodes["camera"].services)


def test_to_dataframe(full_net):
    pandas = pytest.importorskip("pandas")
    nodes = full_net.nodes.to_dataframe()
    assert isinstance(nodes, pandas.DataFrame)
    assert list(nodes.columns[:3]) == ["id", "kind", "zone"]
    assert nodes.loc["camera", "vendor"] == "Cam Co"
    links = full_net.links.to_dataframe()
    assert links.loc["uplink", "latency_ms"] == 4.25


def test_memory_grows_with_the_model(net):
    before = net.memory()
    for i in range(200):
        net.add_node("n%d" % i, "sensor", attributes={"i": i})
    assert net.memory() > before


def test_reserve_before_a_bulk_build(net):
    before = net.memory()
    net.reserve(nodes=5000, links=5000)
    assert net.memory() > before
    for i in range(5000):
        net.add_node("n%d" % i, "sensor")
    assert len(net) == 5000
    with pytest.raises(ValueError):
        net.reserve(nodes=-1)
