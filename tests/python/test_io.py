"""Topology files from Python: save, load, dumps, loads, their errors, exports."""

import datetime
import os
import xml.dom.minidom

import pytest

import iotnet

UTC = datetime.timezone.utc


@pytest.mark.parametrize("suffix, format", [(".json", None), (".xml", None),
                                            (".topo", "json"), (".topo", "xml")])
def test_save_load_round_trip(full_net, tmp_path, suffix, format):
    path = tmp_path / ("home" + suffix)
    full_net.save(path, format=format)
    with iotnet.load(path, format=format) as loaded:
        assert loaded == full_net, loaded.difference(full_net)
        assert loaded.name == "test home"
        cam = loaded.nodes["camera"]
        assert cam.lifecycle.end_of_support == datetime.datetime(2028, 6, 30, 12, 30, tzinfo=UTC)
        assert loaded.nodes["router"].attributes["warranty"] == datetime.timedelta(days=730)
        assert loaded.nodes["router"].nat.forwards[0].internal_port == 554


def test_format_follows_the_file_name(full_net, tmp_path):
    full_net.save(tmp_path / "a.xml")
    full_net.save(tmp_path / "a.json")
    assert (tmp_path / "a.xml").read_text().lstrip().startswith("<")
    assert (tmp_path / "a.json").read_text().lstrip().startswith("{")


@pytest.mark.parametrize("format", ["json", "xml"])
def test_dumps_loads_round_trip(full_net, format):
    text = full_net.dumps(format)
    assert isinstance(text, str)
    if format == "json":
        assert '"iotnet-topology:topology"' in text
    else:
        assert "urn:libiotnet:yang:iotnet-topology" in text
    assert iotnet.loads(text) == full_net
    assert iotnet.loads(text.encode("utf-8"), format=format) == full_net


EXACT_FLOATS = [1 / 3, 1e-10, -0.0, 1e300, 5e-324, 0.1, 9.3e12, 1.7976931348623157e308]


@pytest.mark.parametrize("format", ["json", "xml"])
def test_floats_load_back_exactly(format, tmp_path):
    net = iotnet.Network("numbers")
    node = net.add_node("meter", "sensor",
                        attributes={"f%d" % i: v for i, v in enumerate(EXACT_FLOATS)})
    path = tmp_path / ("numbers." + format)
    net.save(path)
    text = path.read_text()
    for written in ("0.3333333333333333", "1e-10", "5e-324", "1e+300"):
        assert written in text
    with iotnet.load(path) as back:
        got = back.nodes["meter"].attributes
        for i, value in enumerate(EXACT_FLOATS):
            assert got["f%d" % i].hex() == value.hex()  # -0.0 keeps its sign
        assert back == net
    assert node.attributes["f1"] == 1e-10


def test_equal_tells_close_floats_apart():
    a, b = iotnet.Network(), iotnet.Network()
    a.add_node("meter", "sensor", attributes={"drift": 1e-10})
    b.add_node("meter", "sensor", attributes={"drift": 0.0})
    assert a != b
    assert "drift" in a.difference(b)


@pytest.mark.parametrize("value, message", [
    (datetime.timedelta(seconds=-60),
     'node "meter": attribute "k": a duration must be 0 s or more, not -60 s'),
    (-datetime.timedelta(days=1),
     'node "meter": attribute "k": a duration must be 0 s or more, not -86400 s'),
])
def test_values_a_file_cannot_hold_are_refused_when_set(value, message):
    net = iotnet.Network()
    node = net.add_node("meter", "sensor")
    with pytest.raises(iotnet.InvalidArgumentError) as exc:
        node.attributes["k"] = value
    assert str(exc.value) == message
    assert "k" not in node.attributes
    with pytest.raises(iotnet.InvalidArgumentError):
        net.add_node("other", "sensor", attributes={"k": value})
    assert "other" not in net
    assert iotnet.loads(net.dumps()) == net


@pytest.mark.parametrize("call, message", [
    (lambda n: n.add_zone("dmz", "industrial-dmz", purdue_level=3.25),
     'zone "dmz": Purdue level 3.25 is not one of 0 to 5 in tenths (such as 3 or 3.5)'),
    (lambda n: n.add_link("l", "gw", "cam", latency_ms=1 / 3),
     'link "l": latency 0.3333333333333333 ms is not a whole number of microseconds '
     '(at most 3 decimals) below 1e15 ms'),
])
def test_numbers_a_file_would_round_are_refused(call, message):
    net = iotnet.Network()
    net.add_node("gw", "home-router")
    net.add_node("cam", "camera")
    before = net.dumps()
    with pytest.raises(iotnet.InvalidArgumentError) as exc:
        call(net)
    assert str(exc.value) == message
    assert net.dumps() == before


def test_copy_is_independent(full_net):
    twin = full_net.copy()
    assert twin == full_net
    twin.nodes["camera"].attributes["resolution"] = "720p"
    assert full_net.nodes["camera"].attributes["resolution"] == "1080p"
    twin.close()
    assert full_net.nodes["camera"].kind == "camera"


def test_load_reference_small_network(test_data):
    with iotnet.load(test_data / "good" / "small.json") as net:
        assert net.name == "small test network"
        router = net.nodes["router"]
        assert router.attributes["warranty"] == datetime.timedelta(days=730)
        assert router.attributes["installed"] == datetime.datetime(2021, 3, 4, 5, 6, 7,
                                                                   tzinfo=UTC)
        assert [r.name for r in router.policy.rules][-1] == "default-selectors"
        assert router.policy.rules[1].ports == (554, 554)
        assert net.nodes["camera"].lifecycle.certificate_not_after == \
            datetime.datetime(2029, 12, 31, 22, 0, tzinfo=UTC)
        assert net.nodes["phone"].services[0].protocol == "sctp"
        assert net == iotnet.loads(net.dumps("xml"))


def test_load_home_model(home_model):
    with iotnet.load(home_model) as net:
        assert len(net) > 0 and len(net.links) > 0
        assert any(node.kind == "internet" or node.is_a("internet") for node in net)
        assert net == iotnet.loads(net.dumps("json"))


@pytest.mark.parametrize("text, line", [
    ('{"iotnet-topology:topology": {\n"node": [\n{"id": "a",,}]}}', 3),
    ('{"iotnet-topology:topology": {\n"name": "x"\n', 3),
    ('<topology xmlns="urn:libiotnet:yang:iotnet-topology">\n<node>\n<id>a</id>\n</nod>\n'
     '</topology>', 4),
])
def test_malformed_text_raises_parse_error_with_line(text, line):
    with pytest.raises(iotnet.ParseError) as exc:
        iotnet.loads(text, name="broken.txt")
    err = exc.value
    assert isinstance(err, iotnet.ValidationError)
    assert err.code == -9 and err.line == line and err.file == "broken.txt"
    assert "broken.txt" in str(err) and "\n" not in str(err)


def test_xml_entities_are_refused():
    text = ('<!DOCTYPE t [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
            '<topology xmlns="urn:libiotnet:yang:iotnet-topology"><name>&e;</name></topology>')
    with pytest.raises(iotnet.ParseError):
        iotnet.loads(text)


def test_schema_errors_carry_the_data_path():
    text = ('<topology xmlns="urn:libiotnet:yang:iotnet-topology">\n'
            '<node><id>a</id>\n<kind>toaster</kind></node></topology>')
    with pytest.raises(iotnet.ValidationError) as exc:
        iotnet.loads(text)
    assert not isinstance(exc.value, iotnet.ParseError)
    assert exc.value.path == "/iotnet-topology:topology/node[id='a']/kind"
    assert exc.value.line == 3
    assert "toaster" in str(exc.value)


def test_dangling_reference_is_a_validation_error():
    text = ('{"iotnet-topology:topology": {"node": '
            '[{"id": "a", "kind": "host", "zone": "nowhere"}]}}')
    with pytest.raises(iotnet.ValidationError) as exc:
        iotnet.loads(text)
    assert "nowhere" in str(exc.value)
    assert exc.value.path.endswith("/zone")


def test_missing_file(tmp_path):
    missing = tmp_path / "missing.json"
    with pytest.raises(iotnet.FileError) as exc:
        iotnet.load(missing)
    assert isinstance(exc.value, OSError)
    assert exc.value.file == str(missing) and str(missing) in str(exc.value)


def test_save_into_missing_directory(full_net, tmp_path):
    with pytest.raises(iotnet.FileError):
        full_net.save(tmp_path / "no" / "such" / "dir.json")


def test_max_bytes(full_net, tmp_path):
    path = tmp_path / "n.json"
    full_net.save(path)
    size = os.path.getsize(path)
    with pytest.raises(iotnet.IotnetError) as exc:
        iotnet.load(path, max_bytes=size - 1)
    assert str(size - 1) in str(exc.value) or "large" in str(exc.value)
    assert iotnet.load(path, max_bytes=size) == full_net


def test_failed_load_leaves_no_trace(full_net):
    with pytest.raises(iotnet.ValidationError):
        iotnet.loads('{"iotnet-topology:topology": {"node": [{"id": "a"}]}}')
    assert len(full_net) == 4


def test_user_yang_modules_extend_the_kinds(tmp_path):
    (tmp_path / "acme-kinds.yang").write_text(
        "module acme-kinds {\n"
        "  yang-version 1.1;\n"
        '  namespace "urn:example:acme-kinds";\n'
        "  prefix acme;\n"
        "  import iotnet-topology { prefix iotnet; }\n"
        "  identity doorbell { base iotnet:camera; }\n"
        "}\n")
    text = ('{"iotnet-topology:topology": {"node": '
            '[{"id": "door", "kind": "acme-kinds:doorbell"}]}}')
    with pytest.raises(iotnet.ValidationError):
        iotnet.loads(text)
    with iotnet.loads(text, yang_path=[tmp_path]) as net:
        door = net.nodes["door"]
        assert door.is_a("camera") and door.is_a("iot-device")
        # the model remembers the modules, so saving writes the user's kind back
        saved = tmp_path / "door.json"
        net.save(saved)
        assert '"acme-kinds:doorbell"' in saved.read_text()
        assert iotnet.load(saved, yang_path=[tmp_path]) == net
        assert net.copy() == net


def test_bad_io_arguments(full_net):
    with pytest.raises(TypeError):
        iotnet.load(42)
    with pytest.raises(ValueError):
        iotnet.load("")
    with pytest.raises(ValueError):
        iotnet.load("a\0b.json")
    with pytest.raises(TypeError):
        iotnet.loads(12)
    with pytest.raises(ValueError):
        full_net.dumps("yaml")
    with pytest.raises(TypeError):
        full_net.dumps(1)
    with pytest.raises(ValueError):
        iotnet.loads("{}", max_bytes=0)


def test_package_ships_the_yang_modules():
    assert os.path.isfile(os.path.join(iotnet.yang_dir(), "iotnet-topology@2026-11-22.yang"))


# ---- exports ----------------------------------------------------------------------

def test_export_graphml(full_net, tmp_path):
    text = full_net.export("graphml")
    doc = xml.dom.minidom.parseString(text)
    assert len(doc.getElementsByTagName("node")) == 4
    assert len(doc.getElementsByTagName("edge")) == 3
    path = tmp_path / "home.graphml"
    assert full_net.export("graphml", path) is None
    assert path.read_text() == text


def test_export_dot(full_net):
    dot = full_net.export("dot")
    assert "graph" in dot and '"camera"' in dot


def test_graphml_reads_into_networkx(full_net, tmp_path):
    networkx = pytest.importorskip("networkx")
    path = tmp_path / "home.graphml"
    full_net.export("graphml", path)
    graph = networkx.read_graphml(path)
    assert sorted(graph.nodes) == ["camera", "phone", "router", "wan"]
    assert graph.nodes["camera"]["kind"] == "camera"
    assert graph.number_of_edges() == 3


def test_export_format_checked(full_net):
    with pytest.raises(ValueError):
        full_net.export("png")


def test_jupyter_svg(full_net):
    svg = full_net._repr_svg_()
    if svg is None:
        pytest.skip("Graphviz dot is not installed")
    assert "<svg" in svg and "camera" in svg


def test_round_trip_after_every_kind_of_change(tmp_path, make_net):
    net = make_net()
    net.nodes["camera"].update(firmware="9.9")
    net.remove_link("phone-wifi")
    net.links["uplink"].attributes["latency-class"] = "low"
    net.zones["iot"].attributes["vlan"] = 20
    assert iotnet.loads(net.dumps("xml")) == net
    assert iotnet.loads(net.dumps("json")) == net
