"""Using the package wrongly raises a Python exception; it never crashes or leaks."""

import gc
import pickle
import threading
import weakref

import pytest

import iotnet


# ---- closed networks -----------------------------------------------------------

NETWORK_CALLS = [
    lambda n: len(n),
    lambda n: list(n),
    lambda n: "camera" in n,
    lambda n: n.name,
    lambda n: setattr(n, "name", "x"),
    lambda n: n.nodes["camera"],
    lambda n: len(n.zones),
    lambda n: list(n.links),
    lambda n: "x" in n.conduits,
    lambda n: n.add_zone("z", "home-lan"),
    lambda n: n.add_conduit("c", "lan", "iot"),
    lambda n: n.add_node("x", "host"),
    lambda n: n.add_link("l", "camera", "phone"),
    lambda n: n.set_policy("router"),
    lambda n: n.add_rule("router", "r"),
    lambda n: n.remove_policy("router"),
    lambda n: n.set_nat("router", ["lan0"], "wan0"),
    lambda n: n.add_port_forward("router", "f", 80, "camera"),
    lambda n: n.remove_nat("router"),
    lambda n: n.remove_node("wan"),
    lambda n: n.remove_link("uplink"),
    lambda n: n.remove_zone("internet"),
    lambda n: n.remove_conduit("iot-out"),
    lambda n: n.add_kind("k", "device"),
    lambda n: n.kind_is_a("camera", "device"),
    lambda n: n.kinds,
    lambda n: n.save("/tmp/never-written.json"),
    lambda n: n.dumps(),
    lambda n: n.copy(),
    lambda n: n.export("dot"),
    lambda n: n.memory(),
    lambda n: n.reserve(10, 10),
    lambda n: n.difference(iotnet.Network()),
    lambda n: n == iotnet.Network(),
    lambda n: n.__enter__(),
    lambda n: n.reach("internet"),
    lambda n: n.reach("phone", dst="camera", service="tcp/554", include_unreachable=True),
    lambda n: n.explain("wan", "camera", "tcp/554"),
    lambda n: n.zone_matrix(),
]

_EVAL = pytest.mark.skipif(not iotnet.catalog.has_engine(),
                           reason="the catalog and evaluation engine is not in this build")

EVAL_CALLS = [
    lambda n: n.analyze(),
    lambda n: n.analyze(iotnet.Catalog(), assume=["x@camera"], now=None),
    lambda n: n.what_if("upnp-off", "router"),
    lambda n: n.accept_risk("iotnet:nat-as-firewall@router", by="me", reason="why"),
    lambda n: n.risk_decisions,
    lambda n: n.remove_risk_decision("iotnet:nat-as-firewall@router"),
]
NETWORK_CALLS += [pytest.param(call, marks=_EVAL) for call in EVAL_CALLS]


@pytest.mark.parametrize("call", NETWORK_CALLS)
def test_every_method_of_a_closed_network_raises(call, make_net):
    net = make_net()
    net.close()
    with pytest.raises(iotnet.ClosedError) as exc:
        call(net)
    assert isinstance(exc.value, ValueError)
    assert "closed" in str(exc.value)


VIEW_CALLS = [
    lambda v: v["node"].kind,
    lambda v: v["node"].as_dict(),
    lambda v: v["node"].services,
    lambda v: v["node"].interfaces,
    lambda v: v["node"].lifecycle,
    lambda v: v["node"].links,
    lambda v: v["node"].policy,
    lambda v: v["node"].nat,
    lambda v: v["node"].is_forwarding,
    lambda v: v["node"].is_a("device"),
    lambda v: v["node"].update(vendor="x"),
    lambda v: v["node"].add_service({"name": "s"}),
    lambda v: v["node"].remove_service("web-ui"),
    lambda v: v["node"].add_interface({"name": "i"}),
    lambda v: v["node"].remove_interface("lan0"),
    lambda v: v["node"].set_lifecycle({}),
    lambda v: v["attrs"]["rack"],
    lambda v: v["attrs"].get("rack"),
    lambda v: "rack" in v["attrs"],
    lambda v: v["attrs"].__setitem__("rack", "x"),
    lambda v: v["attrs"].__delitem__("rack"),
    lambda v: len(v["attrs"]),
    lambda v: list(v["attrs"]),
    lambda v: v["attrs"].types(),
    lambda v: v["zone"].kind,
    lambda v: v["zone"].nodes,
    lambda v: v["link"].medium,
    lambda v: v["link"].nodes,
    lambda v: v["conduit"].services,
    lambda v: len(v["nodes"]),
    lambda v: list(v["nodes"]),
    lambda v: v["nodes"]["router"],
    lambda v: v["nodes"].to_dataframe(),
]


def _views(net):
    return {"node": net.nodes["router"], "attrs": net.nodes["router"].attributes,
            "zone": net.zones["lan"], "link": net.links["uplink"],
            "conduit": net.conduits["lan-to-iot"], "nodes": net.nodes}


@pytest.mark.parametrize("call", VIEW_CALLS)
def test_views_of_a_closed_network_raise(call, make_net):
    net = make_net()
    views = _views(net)
    net.close()
    with pytest.raises(iotnet.ClosedError):
        call(views)


def test_reprs_of_closed_objects_do_not_raise(make_net):
    net = make_net()
    views = _views(net)
    net.close()
    assert repr(net) == "<iotnet.Network (closed)>"
    for view in views.values():
        assert "closed" in repr(view)
    assert net._repr_svg_() is None


def test_close_twice_and_context_manager(make_net):
    net = make_net()
    with net as same:
        assert same is net and len(net) == 4
    assert net.closed
    net.close()
    net.close()
    assert net.closed


def test_context_manager_closes_on_error(make_net):
    with pytest.raises(RuntimeError):
        with make_net() as net:
            raise RuntimeError("boom")
    assert net.closed


def test_comparing_with_a_closed_network_raises(make_net):
    a, b = make_net(), make_net()
    b.close()
    with pytest.raises(iotnet.ClosedError):
        a == b
    assert a == a
    a.close()


@_EVAL
def test_closed_catalogs_and_findings_of_closed_networks(make_net):
    cat = iotnet.Catalog()
    net = make_net()
    found = net.analyze(cat)
    cat.close()
    with pytest.raises(iotnet.ClosedError):
        net.analyze(cat)
    with pytest.raises(iotnet.ClosedError):
        found.what_if("upnp-off")
    net.close()
    assert list(found) == [] and repr(found) and repr(cat) == "<iotnet.Catalog (closed)>"


@_EVAL
def test_bad_catalog_input_raises_and_never_crashes(tmp_path):
    cat = iotnet.Catalog()
    for text in ("", "<", "<catalog/>", "\0\0\0", "<catalog xmlns='urn:libiotnet:catalog' "
                 "namespace='x'><threat id='t' target='node'/></catalog>",
                 "<!DOCTYPE c [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><c>&e;</c>",
                 "<controls xmlns='urn:libiotnet:catalog' framework='f'></controls>"):
        with pytest.raises(iotnet.IotnetError):
            cat.loads(text)
    (tmp_path / "empty-dir").mkdir()
    try:
        cat.load(tmp_path / "empty-dir")       # nothing to load: fine, or an error
    except iotnet.IotnetError:
        pass
    assert (len(cat), len(cat.mitigations), len(cat.controls)) == (0, 0, 0)


# ---- removed elements --------------------------------------------------------------

def test_views_of_removed_elements_raise_not_found(make_net):
    net = make_net()
    node, link = net.nodes["camera"], net.links["cam-wifi"]
    attrs = node.attributes
    net.remove_nat("router")
    net.remove_policy("router")
    net.remove_node("camera")
    for get in (lambda: node.kind, lambda: node.services, lambda: node.lifecycle,
                lambda: node.links, lambda: node.policy, lambda: attrs["resolution"],
                lambda: attrs.get("resolution"), lambda: "resolution" in attrs,
                lambda: len(attrs), lambda: link.a):
        with pytest.raises(iotnet.NotFoundError):
            get()
    assert "camera" in repr(node) and "no node" in repr(node)
    # the same id added again is what the old view shows from then on
    net.add_node("camera", "sensor")
    assert node.kind == "sensor" and attrs.to_dict() == {}
    net.close()


def test_iterating_while_removing(make_net):
    net = make_net()
    net.remove_nat("router")
    net.remove_policy("router")
    seen = []
    for node in net:
        seen.append(node.id)
        if node.id != "router" and "router" in net:
            net.remove_node("router")
    assert sorted(seen) == ["camera", "phone", "router", "wan"]
    assert len(net) == 3
    net.close()


# ---- wrong arguments -----------------------------------------------------------------

@pytest.mark.parametrize("call, error", [
    (lambda n: n.add_node(None, "host"), TypeError),
    (lambda n: n.add_node(5, "host"), TypeError),
    (lambda n: n.add_node("x", None), TypeError),
    (lambda n: n.add_node("x\0y", "host"), ValueError),
    (lambda n: n.add_node("x", "host", zone=3), TypeError),
    (lambda n: n.add_node("x", "host", interfaces="eth0"), TypeError),
    (lambda n: n.add_node("x", "host", services=None), TypeError),
    (lambda n: n.add_node("x", "host", lifecycle="old"), TypeError),
    (lambda n: n.add_node("x", "host", lifecycle={"owner": 3}), TypeError),
    (lambda n: n.add_node("x", "host", lifecycle={"ownership_statement": "yes"}), TypeError),
    (lambda n: n.add_node("x", "host", lifecycle={"end_of_support": "2030-01-01"}), TypeError),
    (lambda n: n.add_node("x", "host", lifecycle={"signed_artifact_lifetime": 3600}), TypeError),
    (lambda n: n.add_node("x", "host", attributes=[("a", 1)]), TypeError),
    (lambda n: n.add_zone("z", "home-lan", purdue_level=True), TypeError),
    (lambda n: n.add_conduit("c", "lan", "iot", bidirectional="yes"), TypeError),
    (lambda n: n.add_conduit("c", "lan", "iot", services=[443]), TypeError),
    (lambda n: n.add_link("l", "camera", None), TypeError),
    (lambda n: n.add_rule("router", "r", ports=(1.5, 2)), TypeError),
    (lambda n: n.add_port_forward("router", "f", 2 ** 40, "camera"), ValueError),
    (lambda n: n.set_policy("router", default=None), TypeError),
    (lambda n: n.remove_node(None), TypeError),
    (lambda n: n.kind_is_a(None, "device"), TypeError),
    (lambda n: n.nodes[None], TypeError),
    (lambda n: iotnet.load(None), TypeError),
    (lambda n: iotnet.load("x.json", max_bytes=-1), ValueError),
    (lambda n: iotnet.loads("{}", name=None), TypeError),
    (lambda n: n.reach(None), TypeError),
    (lambda n: n.reach(3), TypeError),
    (lambda n: n.reach("phone", dst=["camera"]), TypeError),
    (lambda n: n.reach("phone", service=554), TypeError),
    (lambda n: n.reach("phone", include_unreachable="yes"), TypeError),
    (lambda n: n.reach("ph\0one"), ValueError),
    (lambda n: n.reach(n.links["uplink"]), TypeError),
    (lambda n: n.explain("phone", None, "tcp/554"), TypeError),
    (lambda n: n.explain("phone", "camera", None), TypeError),
    (lambda n: n.explain("phone", "camera", 554), TypeError),
    pytest.param(lambda n: n.analyze(catalog=3), TypeError, marks=_EVAL),
    pytest.param(lambda n: n.analyze(iotnet.Catalog(), assume=5), TypeError, marks=_EVAL),
    pytest.param(lambda n: n.analyze(iotnet.Catalog(), assume=[("a", "b", "c")]), TypeError,
                 marks=_EVAL),
    pytest.param(lambda n: n.analyze(iotnet.Catalog(), assume=[(None, "b")]), TypeError,
                 marks=_EVAL),
    pytest.param(lambda n: n.analyze(iotnet.Catalog(), include_not_applicable=1), TypeError,
                 marks=_EVAL),
    pytest.param(lambda n: n.analyze(iotnet.Catalog(), now="today"), TypeError, marks=_EVAL),
    pytest.param(lambda n: n.analyze(iotnet.Catalog(), now=1700000000), TypeError, marks=_EVAL),
    pytest.param(lambda n: n.accept_risk(None, by="me", reason="why"), TypeError, marks=_EVAL),
    pytest.param(lambda n: n.accept_risk("t@router", by=None, reason="why"), TypeError,
                 marks=_EVAL),
    pytest.param(lambda n: n.accept_risk("t@router", by="me", reason=3), TypeError, marks=_EVAL),
    pytest.param(lambda n: n.accept_risk("t@router", by="me", reason="why", until="2030"),
                 TypeError, marks=_EVAL),
    pytest.param(lambda n: n.accept_risk("t\0@router", by="me", reason="why"), ValueError,
                 marks=_EVAL),
    pytest.param(lambda n: n.remove_risk_decision(3), TypeError, marks=_EVAL),
])
def test_wrong_arguments_raise_before_c(full_net, call, error):
    before = full_net.dumps()
    with pytest.raises(error):
        call(full_net)
    assert full_net.dumps() == before


_ENGINE = pytest.mark.skipif(not hasattr(iotnet._ffi.lib, "iotnet_reach"),
                             reason="the reachability engine is not in this build")


@_ENGINE
@pytest.mark.parametrize("call, error", [
    (lambda n: n.reach("ghost"), iotnet.NotFoundError),
    (lambda n: n.reach("zone:ghost"), iotnet.NotFoundError),
    (lambda n: n.reach("phone", dst="ghost"), iotnet.NotFoundError),
    (lambda n: n.reach("phone", dst="zone:ghost"), iotnet.NotFoundError),
    (lambda n: n.explain("ghost", "camera", "tcp/554"), iotnet.NotFoundError),
    (lambda n: n.explain("phone", "ghost", "tcp/554"), iotnet.NotFoundError),
    (lambda n: n.reach("phone", service="tcp/"), ValueError),
    (lambda n: n.reach("phone", service="tcp/65536"), ValueError),
    (lambda n: n.reach("phone", service="tcp/554/1"), ValueError),
    (lambda n: n.reach("phone", service="\u2615/1"), ValueError),
    (lambda n: n.reach(""), iotnet.IotnetError),
    (lambda n: n.reach("zone:"), iotnet.IotnetError),
    (lambda n: n.explain("phone", "camera", ""), iotnet.IotnetError),
    (lambda n: n.explain("phone", "camera", "no-such-service"), iotnet.IotnetError),
])
def test_bad_reach_queries_raise(full_net, call, error):
    with pytest.raises(error):
        call(full_net)
    # the network is still usable after a refused query
    assert full_net.reach("phone", dst="camera") is not None


@_ENGINE
def test_reach_results_outlive_their_network(make_net):
    net = make_net()
    rows, matrix = net.reach("phone"), net.zone_matrix()
    ex = net.explain("phone", "camera", "rtsp")
    del net
    gc.collect()
    assert [r.destination for r in rows] == [r["destination"] for r in rows.to_records()]
    assert str(ex) and repr(rows) and repr(matrix)


def test_views_accepted_where_ids_are(full_net):
    cam, phone = full_net.nodes["camera"], full_net.nodes["phone"]
    full_net.add_link("direct", cam, phone, medium="ble")
    assert full_net.links["direct"].a == "camera"
    full_net.add_node("hub", "hub", zone=full_net.zones["iot"])
    assert full_net.nodes[cam] == cam
    full_net.remove_link(full_net.links["direct"])
    assert "direct" not in full_net.links


def test_unicode_ids_and_text(net):
    node = net.add_node("caf\u00e9-\u2615", "smart-plug", description="K\u00fcche \U0001F50C")
    assert net.nodes["caf\u00e9-\u2615"].description == "K\u00fcche \U0001F50C"
    node.attributes["\u540d\u524d"] = "\u5024"
    assert dict(node.attributes) == {"\u540d\u524d": "\u5024"}
    assert iotnet.loads(net.dumps("xml")) == net


# ---- exceptions ----------------------------------------------------------------------

def test_exception_hierarchy():
    assert issubclass(iotnet.ParseError, iotnet.ValidationError)
    assert issubclass(iotnet.ValidationError, iotnet.IotnetError)
    assert issubclass(iotnet.NotFoundError, KeyError)
    assert issubclass(iotnet.AttributeTypeError, TypeError)
    assert issubclass(iotnet.ClosedError, ValueError)
    for cls in (iotnet.AlreadyExistsError, iotnet.KindError, iotnet.InUseError):
        assert issubclass(cls, iotnet.IotnetError)


def test_exceptions_survive_pickling(full_net):
    with pytest.raises(iotnet.NotFoundError) as exc:
        full_net.remove_node("ghost")
    copy = pickle.loads(pickle.dumps(exc.value))
    assert type(copy) is iotnet.NotFoundError
    assert (copy.code, copy.message, str(copy)) == (exc.value.code, exc.value.message,
                                                   str(exc.value))


def test_errors_are_per_thread(full_net):
    """An error recorded on one thread never shows up in another thread's exception."""
    messages = {}

    def fail(tag):
        try:
            full_net.remove_node("ghost-%s" % tag)
        except iotnet.NotFoundError as exc:
            messages[tag] = str(exc)

    threads = [threading.Thread(target=fail, args=(str(i),)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all("ghost-%s" % tag in message for tag, message in messages.items())
    assert len(messages) == 8


def test_concurrent_use_and_close_never_crash():
    net = iotnet.Network()
    net.add_zone("lan", "home-lan")
    outcomes = []

    def worker(w):
        try:
            for i in range(300):
                node = net.add_node("n%d-%d" % (w, i), "sensor", zone="lan",
                                    attributes={"i": i})
                node.attributes["j"] = i
                _ = node.as_dict()
            outcomes.append("done")
        except iotnet.ClosedError:
            outcomes.append("closed")

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    net.close()
    for t in threads:
        t.join()
    assert len(outcomes) == 4 and set(outcomes) <= {"done", "closed"}


# ---- memory --------------------------------------------------------------------------

def test_garbage_collection_frees_networks(make_net):
    net = make_net()
    ref = weakref.ref(net)
    del net
    gc.collect()
    assert ref() is None


def test_views_keep_their_network_alive():
    node = iotnet.Network().add_node("lonely", "sensor")
    gc.collect()
    assert node.kind == "sensor"
    assert node.network.nodes["lonely"] == node


def _rss_kib():
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    import resource
    return pages * resource.getpagesize() // 1024


@pytest.mark.skipif(not __import__("os").path.exists("/proc/self/statm"),
                    reason="needs /proc to measure memory")
def test_many_networks_do_not_leak():
    def churn(count):
        for i in range(count):
            net = iotnet.Network("n%d" % i)
            net.add_zone("lan", "home-lan")
            for j in range(50):
                net.add_node("d%d" % j, "sensor", zone="lan", attributes={"k": "v" * 100},
                             services=[{"name": "s", "port": 80}])
            if i % 2:
                net.close()    # half freed at once, half by the garbage collector
        gc.collect()

    churn(100)   # warm up allocator pools
    before = _rss_kib()
    churn(600)
    grown = _rss_kib() - before
    # 600 networks of 50 nodes each hold over 20 MiB: leaking them would show
    assert grown < 8 * 1024, "resident memory grew by %d KiB" % grown
