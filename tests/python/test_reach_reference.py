"""The brute-force reachability reference (reach_reference.py) on hand-worked
models, and its agreement with the engine (Network.reach) on random ones."""

import json
import os
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import iotnet  # noqa: E402

import random_models as rm  # noqa: E402
import reach_reference as ref  # noqa: E402
from reach_reference import Ace, Interface, Link, Nat, Node, Policy, PortForward, Rule, \
    Service  # noqa: E402

SEEDS = range(int(os.environ.get("IOTNET_REACH_SEEDS", "1200")))


def model(nodes, links, zones=None):
    return ref.Model(kinds=rm.builtin_kinds(), zones=dict(zones or {}),
                     nodes={n.id: n for n in nodes}, links=links)


def home(filtering="address-and-port-dependent", upnp=False, pcp=False, hairpinning=False,
         forwards=(), router_policy=None, cam_services=None):
    """inet -- router (NAT44: wan outside, lan inside) -- cam."""
    cam_services = cam_services if cam_services is not None else [
        Service("web", "tcp", 80),
        Service("rtsp", "tcp", 554, "upnp"),
        Service("voip", "udp", 3478, "hole-punch"),
    ]
    router = Node("router", "home-router",
                  interfaces=[Interface("wan", "203.0.113.7/24"),
                              Interface("lan", "192.168.1.1/24")],
                  nat=Nat(["lan"], "wan", filtering=filtering, upnp=upnp, pcp=pcp,
                          hairpinning=hairpinning, forwards=list(forwards)),
                  policy=router_policy)
    return [Node("inet", "internet", interfaces=[Interface("p1", "203.0.113.1/24")]),
            router,
            Node("cam", "camera", interfaces=[Interface("eth0", "192.168.1.10/24")],
                 services=cam_services)], \
        [Link("uplink", "router", "inet", "wan", "p1"),
         Link("cam-lan", "cam", "router", "eth0", "lan")]


def rows(m, src, **kw):
    return ref.Reference(m).reach(src, **kw)


# ---- (a) the reference on hand-worked models ------------------------------

def test_nat_endpoint_independent_filtering():
    m = model(*home(filtering="endpoint-independent", upnp=True))
    # web: nothing admits it; rtsp: UPnP pinhole on the same port; voip: a
    # hole-punched UDP mapping that EIF filtering opens to anyone. The router
    # itself declares nothing but can open flows to the internet: reply-only.
    assert rows(m, "internet") == {
        ("cam", "rtsp", "tcp", 554, "pinhole"),
        ("cam", "voip", "udp", 3478, "hole-punchable"),
        ("router", None, "any", 0, "reply-only"),
    }


@pytest.mark.parametrize("filtering", ["address-dependent", "address-and-port-dependent"])
def test_nat_dependent_filtering_is_not_hole_punchable(filtering):
    m = model(*home(filtering=filtering, upnp=True))
    # ADF/APDF admit only the peer the camera talks to: voip is no row; rtsp
    # still gets its pinhole, so the camera has no reply-only host row.
    assert rows(m, "internet") == {
        ("cam", "rtsp", "tcp", 554, "pinhole"),
        ("router", None, "any", 0, "reply-only"),
    }


def test_nat_without_mechanisms_is_reply_only():
    m = model(*home())
    # APDF, no UPnP/PCP, no forward: every service is dropped inbound, but
    # the camera opens flows outwards, so the internet sees it reply-only.
    assert rows(m, "internet") == {
        ("cam", None, "any", 0, "reply-only"),
        ("router", None, "any", 0, "reply-only"),
    }
    # from the inside the camera's services are direct (no NAT crossed)
    assert rows(m, "router") == {("cam", "web", "tcp", 80, "direct"),
                                 ("cam", "rtsp", "tcp", 554, "direct"),
                                 ("cam", "voip", "udp", 3478, "direct"),
                                 ("inet", None, "any", 0, "reply-only")}


def test_pcp_needs_the_nat_to_speak_pcp():
    svc = [Service("coap", "udp", 5683, "pcp")]
    assert rows(model(*home(pcp=True, cam_services=svc)), "internet", dst="cam") == {
        ("cam", "coap", "udp", 5683, "pinhole")}
    # upnp on the NAT does not serve a PCP service
    assert rows(model(*home(upnp=True, cam_services=svc)), "internet", dst="cam") == {
        ("cam", None, "any", 0, "reply-only")}


def test_port_forward_translates_the_port():
    fwd = [PortForward("cam-web", 8080, "cam", "tcp", 80),
           PortForward("wrong-port", 8081, "cam", "tcp", 81)]
    m = model(*home(forwards=fwd))
    # 8080 -> cam:80 carries the web service; 8081 -> cam:81 reaches no service
    assert rows(m, "internet", dst="cam") == {("cam", "web", "tcp", 80, "port-forward")}
    # the asked flow is the port at the destination, not the external one
    assert rows(m, "internet", dst="cam", service="tcp/80") == {
        ("cam", "web", "tcp", 80, "port-forward")}
    assert rows(m, "internet", dst="cam", service="tcp/81") == {
        ("cam", None, "tcp", 81, "port-forward")}
    assert rows(m, "internet", dst="cam", service="tcp/8080") == {
        ("cam", None, "any", 0, "reply-only")}


def test_forward_protocol_must_match():
    m = model(*home(forwards=[PortForward("udp-only", 80, "cam", "udp")]))
    assert rows(m, "internet", dst="cam") == {("cam", None, "any", 0, "reply-only")}
    m = model(*home(forwards=[PortForward("both", 80, "cam", "any")]))
    assert rows(m, "internet", dst="cam") == {("cam", "web", "tcp", 80, "port-forward")}


def test_firewall_upstream_sees_the_nat_as_destination():
    nodes, links = home(forwards=[PortForward("cam-web", 8080, "cam", "tcp", 80)])
    fw = Node("fw", "firewall", interfaces=[Interface("a"), Interface("b")],
              policy=Policy("accept", [
                  # never matches: upstream of the NAT the destination is the router
                  Rule("no-cam", to="node:cam", action="drop"),
                  Rule("no-8080", to="node:router", protocol="tcp", ports=(8080, 8080),
                       action="reject")]))
    links = [Link("up", "fw", "inet", "a", "p1"), Link("down", "router", "fw", "wan", "b"),
             links[1]]
    m = model(nodes + [fw], links)
    # the forward is blocked at the firewall by the rule on the router's port
    assert rows(m, "internet", dst="cam") == {("cam", None, "any", 0, "reply-only")}
    fw.policy.rules.pop()
    assert rows(m, "internet", dst="cam") == {("cam", "web", "tcp", 80, "port-forward")}


def test_selectors_match_the_apparent_node():
    nodes, links = home(forwards=[PortForward("cam-web", 8080, "cam", "tcp", 80)])
    fw = Node("fw", "firewall", interfaces=[Interface("a"), Interface("b")],
              policy=Policy("accept"))
    links = [Link("up", "fw", "inet", "a", "p1"), Link("down", "router", "fw", "wan", "b"),
             links[1]]
    m = model(nodes + [fw], links, zones={"wan": "internet-zone", "lan": "home-lan"})
    m.nodes["router"].zone = "lan"

    def web(rule):
        fw.policy.rules[:] = [rule]
        return ("cam", "web", "tcp", 80, "port-forward") in rows(m, "inet", dst="cam")

    # upstream of the NAT the destination is the router, by its outside address
    assert web(Rule("x", to="cidr:192.168.1.10/32", action="drop"))
    assert not web(Rule("x", to="cidr:203.0.113.7/32", action="drop"))
    # ... not by its inside one, which the NAT does not stand for
    assert web(Rule("x", to="cidr:192.168.1.1/32", action="drop"))
    assert not web(Rule("x", to="zone:lan", action="drop"))
    assert not web(Rule("x", to="kind:router", action="drop"))   # home-router is-a router
    assert web(Rule("x", to="kind:camera", action="drop"))
    # the source: the internet node, by kind
    assert not web(Rule("x", from_="internet", action="drop"))
    m.nodes["inet"].kind = "isp-router"   # no longer internet by kind ...
    assert web(Rule("x", from_="internet", action="drop"))
    m.nodes["inet"].zone = "wan"          # ... but in an internet-zone
    assert not web(Rule("x", from_="internet", action="drop"))


def test_firewall_at_the_nat_sees_the_translated_destination():
    policy = Policy("accept", [Rule("no-cam-web", to="node:cam", protocol="tcp", ports=(80, 80),
                                    action="drop")])
    m = model(*home(forwards=[PortForward("cam-web", 8080, "cam", "tcp", 80)],
                    router_policy=policy))
    assert rows(m, "internet", dst="cam") == {("cam", None, "any", 0, "reply-only")}


def test_outbound_nat_changes_the_apparent_source():
    nodes, links = home()
    srv = Node("srv", "vendor-cloud", interfaces=[Interface("e0", "198.51.100.5/24")],
               services=[Service("https", "tcp", 443)],
               policy=Policy("drop", [
                   # the camera's own address is hidden behind the NAT
                   Rule("lan", from_="cidr:192.168.1.0/24", action="accept"),
                   # the router's inside address does not stand for its NAT either
                   Rule("lan-gw", from_="cidr:192.168.1.1/32", action="accept"),
               ]))
    m = model(nodes + [srv], links + [Link("cloud", "srv", "inet", "e0", None)])
    assert ("srv", "https", "tcp", 443, "direct") not in rows(m, "cam")
    srv.policy.rules.append(Rule("wan", from_="cidr:203.0.113.7/32", action="accept"))
    assert ("srv", "https", "tcp", 443, "direct") in rows(m, "cam")
    # the router's own flows come from the router itself: its inside address counts
    srv.policy.rules[:] = [Rule("lan-gw", from_="cidr:192.168.1.1/32", action="accept")]
    assert ("srv", "https", "tcp", 443, "direct") in rows(m, "router")
    assert ("srv", "https", "tcp", 443, "direct") not in rows(m, "cam")


def test_initiated_by_to_never_matches_a_new_flow():
    policy = Policy("accept", [Rule("replies", initiated_by="to", action="drop"),
                               Rule("opened", from_="internet", initiated_by="from",
                                    protocol="tcp", ports=(8080, 8080), action="drop")])
    m = model(*home(forwards=[PortForward("cam-web", 8080, "cam", "tcp", 80)],
                    router_policy=policy))
    # the "to" rule is skipped; the "from" rule is about port 8080, while the
    # router's firewall sees the translated port 80
    assert rows(m, "internet", dst="cam") == {("cam", "web", "tcp", 80, "port-forward")}


def test_hairpin():
    def build(hairpinning):
        router = Node("router", "home-router",
                      interfaces=[Interface("wan", "203.0.113.7/24"),
                                  Interface("lan0", "192.168.1.1/24"),
                                  Interface("lan1", "192.168.2.1/24")],
                      nat=Nat(["lan0", "lan1"], "wan", hairpinning=hairpinning,
                              forwards=[PortForward("cam-web", 8080, "cam", "tcp", 80)]))
        fw = Node("fw", "firewall", interfaces=[Interface("a"), Interface("b")],
                  policy=Policy("accept", [Rule("no-cam", to="node:cam", action="drop")]))
        phone = Node("phone", "phone", interfaces=[Interface("w", "192.168.1.20/24")])
        cam = Node("cam", "camera", interfaces=[Interface("e", "192.168.2.10/24")],
                   services=[Service("web", "tcp", 80)])
        inet = Node("inet", "internet", interfaces=[Interface("p1")])
        return model([inet, router, fw, phone, cam],
                     [Link("up", "router", "inet", "wan", "p1"),
                      Link("l1", "phone", "fw", "w", "a"), Link("l2", "fw", "router", "b", "lan0"),
                      Link("l3", "cam", "router", "e", "lan1")])
    # the firewall drops what is addressed to the camera; with hairpinning the
    # phone addresses the router's outside address, port 8080, instead
    assert rows(build(True), "phone", dst="cam") == {("cam", "web", "tcp", 80, "port-forward")}
    # without it the camera is unreachable; it can open flows to the phone
    # (the firewall only stops traffic to the camera), hence reply-only
    assert rows(build(False), "phone", dst="cam") == {("cam", None, "any", 0, "reply-only")}


def chained(outer_forward_to="home", outer_filtering="endpoint-independent",
            outer_upnp=False, inner_upnp=False, inner_filtering="endpoint-independent"):
    """inet -- isp (CGNAT) -- home (NAT) -- cam."""
    isp = Node("isp", "isp-router",
               interfaces=[Interface("up", "203.0.113.2/24"), Interface("down", "100.64.0.1/10")],
               nat=Nat(["down"], "up", filtering=outer_filtering, upnp=outer_upnp, cgnat=True,
                       forwards=[PortForward("to-home", 8443, outer_forward_to, "tcp", 8080)]))
    homer = Node("home", "home-router",
                 interfaces=[Interface("wan", "100.64.0.2/10"), Interface("lan", "192.168.1.1/24")],
                 nat=Nat(["lan"], "wan", filtering=inner_filtering, upnp=inner_upnp,
                         forwards=[PortForward("to-cam", 8080, "cam", "tcp", 80)]))
    cam = Node("cam", "camera", interfaces=[Interface("e", "192.168.1.10/24")],
               services=[Service("web", "tcp", 80), Service("rtsp", "tcp", 554, "upnp"),
                         Service("voip", "udp", 3478, "hole-punch")])
    inet = Node("inet", "internet", interfaces=[Interface("p1", "203.0.113.1/24")])
    return model([inet, isp, homer, cam],
                 [Link("l1", "isp", "inet", "up", "p1"), Link("l2", "home", "isp", "wan", "down"),
                  Link("l3", "cam", "home", "e", "lan")])


def test_chained_nat():
    # 8443 at the CGNAT -> home:8080 -> cam:80; both EIF: voip hole-punchable
    assert rows(chained(), "internet", dst="cam") == {
        ("cam", "web", "tcp", 80, "port-forward"),
        ("cam", "voip", "udp", 3478, "hole-punchable")}
    # a forward at the CGNAT that names the camera itself skips the home NAT: no
    assert rows(chained(outer_forward_to="cam"), "internet", dst="cam") == {
        ("cam", "voip", "udp", 3478, "hole-punchable")}
    # one APDF NAT on the way is enough to stop hole punching
    assert rows(chained(outer_filtering="address-and-port-dependent"), "internet",
                dst="cam") == {("cam", "web", "tcp", 80, "port-forward")}
    # a pinhole needs both NATs to take UPnP: the class is the least open used
    assert ("cam", "rtsp", "tcp", 554, "pinhole") not in rows(chained(inner_upnp=True),
                                                              "internet", dst="cam")
    assert ("cam", "rtsp", "tcp", 554, "pinhole") in rows(
        chained(inner_upnp=True, outer_upnp=True), "internet", dst="cam")
    # between the two NATs the camera is reached through the home NAT only
    assert rows(chained(), "isp", dst="cam") == {
        ("cam", "web", "tcp", 80, "port-forward"),
        ("cam", "voip", "udp", 3478, "hole-punchable")}


def test_reply_only_needs_a_flow_the_destination_opens():
    policy = Policy("accept", [Rule("cam-silent", from_="node:cam", action="drop")])
    m = model(*home(router_policy=policy))
    # the camera can open nothing through its router: no row at all
    assert rows(m, "internet", dst="cam") == set()
    assert rows(m, "internet", dst="cam", include_unreachable=True) == {
        ("cam", None, "any", 0, "none")}
    # any one flow is enough, e.g. only DNS towards the internet
    policy.rules.insert(0, Rule("dns", from_="node:cam", to="internet", protocol="udp",
                                ports=(53, 53)))
    assert rows(m, "internet", dst="cam") == {("cam", None, "any", 0, "reply-only")}


def mud_home(aces, cam_url="https://acme.example/mud/cam.json"):
    nodes, links = home(cam_services=[Service("web", "tcp", 80)])
    nodes[2].mud_url = cam_url
    nodes[2].mud = aces
    acme = Node("acme", "vendor-cloud", mud_url="https://acme.example/mud/cloud.json",
                interfaces=[Interface("e", "198.51.100.10/24")],
                services=[Service("https", "tcp", 443)])
    globex = Node("globex", "vendor-cloud", mud_url="https://globex.example/mud/cloud.json",
                  interfaces=[Interface("e", "198.51.100.20/24")],
                  services=[Service("https", "tcp", 443)])
    phone = Node("phone", "phone", interfaces=[Interface("w", "192.168.1.20/24")],
                 services=[Service("app", "tcp", 8000)])
    return model(nodes + [acme, globex, phone],
                 links + [Link("a", "acme", "inet", "e", None), Link("g", "globex", "inet", "e", None),
                          Link("p", "phone", "router", "w", "lan")])


def test_mud_manufacturer_both_directions():
    aces = [Ace("out", "to-acme", "from-device", "manufacturer", "acme.example", "tcp",
                dst_ports=(443, 443)),
            Ace("in", "from-acme", "to-device", "manufacturer", "acme.example", "tcp",
                src_ports=(443, 443))]
    m = mud_home(aces)
    # the router is the camera's access gateway; only acme's cloud passes the
    # from-device ACL, and its replies pass the to-device one. The router and
    # the phone get nothing from the camera (and cannot open flows to it).
    assert rows(m, "cam") == {("acme", "https", "tcp", 443, "direct")}
    # without the to-device ACE the replies are dropped (MUD is stateless)
    m = mud_home(aces[:1])
    assert rows(m, "cam") == set()
    # the phone is not the camera's peer on any ACE: it reaches the router's
    # other devices but not the camera, which cannot answer
    assert ("cam", "web", "tcp", 80, "direct") not in rows(mud_home(aces), "phone")


def test_mud_local_networks_and_same_manufacturer():
    aces = [Ace("out", "lan", "from-device", "local-networks"),
            Ace("in", "lan", "to-device", "local-networks")]
    # the phone is local; the clouds (kind cloud-service) are not
    assert rows(mud_home(aces), "cam") == {("phone", "app", "tcp", 8000, "direct"),
                                          ("router", None, "any", 0, "reply-only")}
    assert rows(mud_home(aces), "phone", dst="cam") == {("cam", "web", "tcp", 80, "direct")}
    aces = [Ace("out", "same", "from-device", "same-manufacturer"),
            Ace("in", "same", "to-device", "same-manufacturer")]
    assert rows(mud_home(aces), "cam") == {("acme", "https", "tcp", 443, "direct")}


def test_mud_direction_initiated():
    aces = [Ace("out", "o", "from-device", "any", protocol="tcp", initiated="from-device"),
            Ace("in", "i", "to-device", "any", protocol="tcp", initiated="from-device")]
    m = mud_home(aces)
    # the camera may open TCP flows (both packets match: it opened them) ...
    assert ("globex", "https", "tcp", 443, "direct") in rows(m, "cam")
    # ... but no flow opened towards it matches: the phone cannot reach it,
    # and as it can open TCP to the phone, the phone sees it reply-only
    assert rows(m, "phone", dst="cam") == {("cam", None, "any", 0, "reply-only")}


# ---- the generator -------------------------------------------------------------

def test_generator_is_deterministic_and_valid():
    for seed in range(40):
        a = rm.describe(seed, mud=True)
        b = rm.describe(seed, mud=True)
        assert a == b
        assert 3 <= len(a.nodes) <= 12
        _, net = rm.generate(seed)
        assert len(net) == len(a.nodes)
        assert iotnet.loads(net.dumps("json"), "json") == net
        net.close()


def test_generator_covers_the_features():
    seen = set()
    for seed in range(300):
        m = rm.describe(seed, mud=True)
        R = ref.Reference(m)
        for n in m.nodes.values():
            if n.nat:
                seen.add("nat-" + n.nat.filtering)
                seen.update(f for f in ("hairpinning", "upnp", "pcp") if getattr(n.nat, f))
                if n.nat.forwards:
                    seen.add("forward")
                if any(f.internal_port for f in n.nat.forwards):
                    seen.add("port-translation")
            if n.policy:
                for r in n.policy.rules:
                    seen.add("sel-" + r.from_.partition(":")[0])
                    seen.add("sel-" + r.to.partition(":")[0])
                    seen.add("init-" + r.initiated_by)
                    seen.add("act-" + r.action)
                    if r.ports and r.ports[0] != r.ports[1]:
                        seen.add("range")
            for s in n.services:
                seen.add("trav-" + s.nat_traversal)
            for a in n.mud:
                seen.add("peer-" + a.peer)
        for src in R.sources("internet"):
            for paths in R.paths_from(src).values():
                for p in paths:
                    if len(p.inbound) >= 2:
                        seen.add("two-nats")
        for row in R.reach("internet"):
            seen.add("exp-" + row[4])
        if len(m.links) >= len(m.nodes):
            seen.add("cycle")
    want = {"nat-endpoint-independent", "nat-address-dependent",
            "nat-address-and-port-dependent", "hairpinning", "upnp", "pcp", "forward",
            "port-translation", "two-nats", "range", "cycle"}
    want |= {"sel-" + s for s in ("any", "internet", "zone", "node", "kind", "cidr")}
    want |= {"init-" + s for s in ("any", "from", "to")}
    want |= {"act-" + s for s in ("accept", "drop", "reject")}
    want |= {"trav-" + s for s in ("none", "upnp", "pcp", "hole-punch")}
    want |= {"peer-" + s for s in ("any", "cidr", "dnsname", "manufacturer", "same-manufacturer",
                                   "model", "local-networks", "controller", "my-controller")}
    want |= {"exp-" + s for s in ref.EXPOSURES if s != "none"}
    assert want <= seen, sorted(want - seen)


# ---- (b) agreement with the engine -------------------------------------------

_PROTOCOLS = {0: "any", 1: "icmp", 6: "tcp", 17: "udp", 132: "sctp"}


def _name(value):
    if value is None or isinstance(value, str):
        return value
    for attr in ("id", "name"):
        if hasattr(value, attr):
            return getattr(value, attr)
    return str(value)


def engine_rows(net, src, service=None):
    out = set()
    for r in net.reach(src, service=service):
        proto = r.protocol
        if isinstance(proto, int):
            proto = _PROTOCOLS.get(proto, str(proto))
        exposure = r.exposure
        if isinstance(exposure, int):
            exposure = ref.EXPOSURES[exposure]
        out.add((_name(r.destination), _name(r.service), proto or "any", int(r.port or 0),
                 exposure))
    return out


def _key(row):
    return tuple("" if v is None else str(v) for v in row)


def disagreements(seed, services=True):
    """[(source, service, only in engine, only in reference)] for one seed."""
    m, net = rm.generate(seed)
    try:
        R = ref.Reference(m)
        out = []
        asks = [None]
        if services:
            asks += probe_services(m, seed)
        for src in ["internet"] + list(m.nodes):
            for ask in asks:
                got = engine_rows(net, src, ask)
                want = R.reach(src, service=ask)
                if got != want:
                    out.append((src, ask, sorted(got - want, key=_key),
                                sorted(want - got, key=_key)))
        return out, net.dumps("json")
    finally:
        net.close()


def probe_services(m, seed):
    """A few explicit flows per model on its rule and forward boundaries."""
    ports = set()
    for n in m.nodes.values():
        if n.nat:
            for f in n.nat.forwards:
                ports.add((f.protocol if f.protocol != "any" else "tcp", f.external_port))
        if n.policy:
            for r in n.policy.rules:
                if r.ports and r.protocol in ("tcp", "udp"):
                    ports.add((r.protocol, r.ports[0]))
                    ports.add((r.protocol, r.ports[1] + 1))
    ports = sorted(ports)
    picked = [ports[(seed * 7 + k * 13) % len(ports)] for k in range(min(2, len(ports)))]
    return sorted({"%s/%d" % p for p in picked}) + (["icmp"] if seed % 5 == 0 else [])


def test_agreement_with_engine():
    from iotnet._ffi import lib
    if not hasattr(iotnet.Network, "reach") or not hasattr(lib, "iotnet_reach"):
        pytest.skip("Network.reach or the engine (iotnet_reach) is not in this build yet")
    start = time.monotonic()
    failures = []
    for seed in SEEDS:
        diffs, dump = disagreements(seed)
        if diffs:
            failures.append((seed, diffs, dump))
            if len(failures) >= 3:
                break
    elapsed = time.monotonic() - start
    if failures:
        lines = []
        for seed, diffs, dump in failures:
            lines.append("seed %d disagrees (reproduce: tests/python/random_models.py "
                         "generate(%d)); model:\n%s" % (seed, seed, dump))
            for src, ask, engine_only, ref_only in diffs[:6]:
                lines.append("  reach(%r, service=%r):\n    engine only:    %s\n"
                             "    reference only: %s" % (src, ask, engine_only, ref_only))
        pytest.fail("\n".join(lines), pytrace=False)
    assert elapsed < 120, "the agreement test took %.1f s" % elapsed


def _cli():
    """python tests/python/test_reach_reference.py SEED...: print the
    disagreements of these seeds with their models."""
    for arg in sys.argv[1:]:
        diffs, dump = disagreements(int(arg))
        print("seed", arg, "agrees" if not diffs else "DISAGREES")
        if diffs:
            print(json.dumps(json.loads(dump), indent=1))
            for d in diffs:
                print(" ", d)


if __name__ == "__main__":
    _cli()
