"""Seeded random small models for the reachability agreement test.

generate(seed) gives a model twice: as the plain description the reference
(reach_reference.py) reads, and as an iotnet.Network built from that
description through the public Python API (build_network). The same seed
always gives the same model.

A model has 3-12 nodes: one internet node, forwarding nodes (routers,
firewalls, switches, access points) linked in a tree below it with a few
extra links (cycles, parallel links), devices and cloud services on the
leaves, random zones, policies with every selector type, port ranges,
initiated-by and all three actions, NAT44 on some routers (chained when a
NATting router sits below another) with random RFC 4787 behaviour,
hairpinning, UPnP, PCP and port forwards, services with random NAT
traversal, and MUD entries on some devices when the Network can take them
(Network.add_mud_ace).
"""

import random

import iotnet

import reach_reference as ref

__all__ = ["generate", "build_network", "describe", "describe_mesh", "mud_supported", "builtin_kinds"]

PORTS = [22, 53, 80, 443, 502, 554, 1883, 3478, 5683, 8080]
EXTRA_PORTS = [2222, 8443, 10000, 40000]
FORWARDING = ["home-router", "home-router", "isp-router", "router", "firewall", "switch",
              "access-point"]
ROUTERS = ("home-router", "isp-router", "router")
DEVICES = ["camera", "thermostat", "plc", "server", "phone", "workstation", "hub", "smart-plug"]
CLOUDS = ["vendor-cloud", "update-server", "dns-server"]
ZONE_KINDS = ["home-lan", "iot-lan", "guest-lan", "control", "dmz", "internet-zone",
              "cloud-zone", "enterprise"]
SELECTOR_KINDS = ["device", "iot-device", "camera", "host", "plc", "router", "forwarding",
                  "internet", "cloud-service", "switch"]
VENDORS = ["acme", "globex", "initech"]
DNS_NAMES = ["cloud.acme.example", "ntp.example", "updates.globex.example"]

_KINDS = None


def builtin_kinds():
    """{kind: parent} of the built-in vocabulary (read once from the library)."""
    global _KINDS
    if _KINDS is None:
        with iotnet.Network() as net:
            _KINDS = dict(net.kinds)
    return dict(_KINDS)


def mud_supported():
    """Whether MUD entries can be added: the library has
    iotnet_node_mud_add_ace (Network.add_mud_ace calls it when it exists)."""
    return hasattr(_lib(), "iotnet_node_mud_add_ace")


def _lib():
    from iotnet._ffi import lib
    return lib


def _pick(rng, weighted):
    """One value of [(value, weight)]."""
    total = sum(w for _, w in weighted)
    r = rng.random() * total
    for value, w in weighted:
        r -= w
        if r < 0:
            return value
    return weighted[-1][0]


def _ports(rng, p_none=0.4):
    r = rng.random()
    if r < p_none:
        return None
    pool = PORTS + EXTRA_PORTS
    if r < p_none + (1 - p_none) * 0.55:
        p = rng.choice(pool)
        return (p, p)
    a, b = sorted(rng.sample(pool, 2))
    if rng.random() < 0.3:
        a = max(1, a - rng.randint(0, 3))
    return (a, b)


def generate(seed, mud=None, mesh=False):
    """(description, Network) of the model of `seed`. mud: whether to give
    devices MUD entries (default: when Network.add_mud_ace exists); mesh:
    the mesh variant (describe_mesh)."""
    model = (describe_mesh if mesh else describe)(seed, mud_supported() if mud is None else mud)
    return model, build_network(model, name="random-%s%d" % ("mesh-" if mesh else "", seed))


def describe(seed, mud=False):
    """The description of the model of `seed` (no library needed but kinds)."""
    rng = random.Random(seed)
    mrng = random.Random(seed * 7919 + 17)   # MUD entries only: the rest stays the same
    kinds = builtin_kinds()
    total = rng.randint(3, 12)
    n_fwd = rng.randint(1, max(1, (total - 1) // 2 + 1))
    n_fwd = min(n_fwd, total - 2) if total >= 3 else 1
    n_cloud = 1 if total - 1 - n_fwd >= 2 and rng.random() < 0.35 else 0
    n_dev = total - 1 - n_fwd - n_cloud

    zones = {}
    for i in range(rng.randint(0, 4)):
        zones["z%d" % (i + 1)] = rng.choice(ZONE_KINDS)
    zone_ids = list(zones)

    def zone():
        return rng.choice(zone_ids) if zone_ids and rng.random() < 0.7 else None

    nodes = {}

    def add(nid, kind):
        nodes[nid] = ref.Node(nid, kind, zone=zone())
        return nodes[nid]

    add("inet", "internet")
    fwd = ["r%d" % (i + 1) for i in range(n_fwd)]
    for f in fwd:
        add(f, rng.choice(FORWARDING))
    clouds = ["c%d" % (i + 1) for i in range(n_cloud)]
    for c in clouds:
        add(c, rng.choice(CLOUDS))
    devs = ["d%d" % (i + 1) for i in range(n_dev)]
    for d in devs:
        add(d, rng.choice(DEVICES))

    # links: a tree of forwarding nodes below the internet, leaves, extras
    edges = []          # (a, b): a is the upstream end for tree links
    parent = {}
    for i, f in enumerate(fwd):
        up = "inet" if i == 0 or rng.random() < 0.2 else rng.choice(fwd[:i])
        parent[f] = up
        edges.append((f, up))
    for c in clouds:
        edges.append((c, "inet"))
    for d in devs:
        r = rng.random()
        if r < 0.06:
            up = "inet"
        elif r < 0.1 and devs.index(d) > 0:
            up = rng.choice(devs[:devs.index(d)])
        else:
            up = rng.choice(fwd)
        parent[d] = up
        edges.append((d, up))
        if rng.random() < 0.08 and len(fwd) > 1:
            other = rng.choice([f for f in fwd if f != up])
            edges.append((d, other))
    for _ in range(_pick(rng, [(0, 0.45), (1, 0.35), (2, 0.2)])):
        pool = ["inet"] + fwd
        if len(pool) < 2:
            break
        a, b = rng.sample(pool, 2)
        edges.append((a, b))
    if rng.random() < 0.05 and fwd:
        edges.append(edges[0])   # a parallel link

    links = []
    for k, (a, b) in enumerate(edges, 1):
        public = "inet" in (a, b)
        subnet = ("203.0.%d." % k) if public else ("10.%d.0." % k)
        ends = []
        for host, node in ((1, nodes[a]), (2, nodes[b])):
            name = "p%d" % (len(node.interfaces) + 1)
            address = None if rng.random() < 0.15 else "%s%d/24" % (subnet, host)
            node.interfaces.append(ref.Interface(name, address))
            ends.append(None if rng.random() < 0.04 else name)
        links.append(ref.Link("l%d" % k, a, b, ends[0], ends[1]))

    all_addresses = [i.address for n in nodes.values() for i in n.interfaces if i.address]

    # services
    def services(node, count):
        used = set()
        for i in range(count):
            proto = _pick(rng, [("tcp", 0.6), ("udp", 0.3), ("icmp", 0.1)])
            port = None if proto == "icmp" else rng.choice(PORTS)
            if (proto, port) in used:
                continue
            used.add((proto, port))
            if proto == "icmp":
                trav = "none"
            elif proto == "udp":
                trav = _pick(rng, [("none", 0.45), ("upnp", 0.15), ("pcp", 0.12),
                                   ("hole-punch", 0.28)])
            else:
                trav = _pick(rng, [("none", 0.55), ("upnp", 0.2), ("pcp", 0.17),
                                   ("hole-punch", 0.08)])
            node.services.append(ref.Service("s%d" % (i + 1), proto, port, trav))

    for d in devs:
        services(nodes[d], rng.randint(0, 3))
    for c in clouds:
        services(nodes[c], rng.randint(0, 2))
    for f in fwd:
        if rng.random() < 0.3:
            services(nodes[f], 1)

    # attributes the MUD peers resolve
    for n in nodes.values():
        if rng.random() < 0.15:
            n.attributes["dns-name"] = " ".join(rng.sample(DNS_NAMES, rng.randint(1, 2)))

    # MUD URLs (manufacturer / model peers) and controllers
    urls = []
    for d in devs + clouds:
        if rng.random() < 0.4:
            vendor = rng.choice(VENDORS)
            nodes[d].vendor = vendor
            nodes[d].mud_url = "https://%s.example/mud/%s.json" % (vendor, rng.choice(["m1", "m2"]))
            urls.append(nodes[d].mud_url)
    for n in nodes.values():
        if urls and rng.random() < 0.12:
            n.attributes["mud-controller"] = " ".join(sorted(set(rng.sample(urls, 1))))

    # NAT44 on some routers, forwards to nodes below them
    children = {}
    for child, up in parent.items():
        children.setdefault(up, []).append(child)

    def below(n):
        out, todo = [], list(children.get(n, []))
        while todo:
            v = todo.pop()
            out.append(v)
            todo.extend(children.get(v, []))
        return out

    uplink = {}
    for link in links:
        if parent.get(link.a) == link.b and link.a not in uplink:
            uplink[link.a] = link.a_interface
    for f in fwd:
        node = nodes[f]
        if node.kind not in ROUTERS or rng.random() > 0.65:
            continue
        outside = uplink.get(f)
        names = [i.name for i in node.interfaces]
        if outside is None:
            outside = rng.choice(names)
        others = [n for n in names if n != outside]
        if not others:
            continue
        inside = sorted(rng.sample(others, rng.randint(1, len(others)))) \
            if rng.random() < 0.3 else others
        nat = ref.Nat(
            inside=inside, outside=outside,
            mapping=rng.choice(["endpoint-independent", "address-dependent",
                                "address-and-port-dependent"]),
            filtering=rng.choice(["endpoint-independent", "address-dependent",
                                  "address-and-port-dependent"]),
            hairpinning=rng.random() < 0.35, upnp=rng.random() < 0.45, pcp=rng.random() < 0.3,
            cgnat=node.kind == "isp-router" and rng.random() < 0.5)
        targets = below(f)
        for k in range(rng.randint(0, 3) if targets else 0):
            to = rng.choice(targets)
            svc_ports = [s.port for s in nodes[to].services if s.port]
            proto = _pick(rng, [("tcp", 0.6), ("udp", 0.3), ("any", 0.1)])
            ext = rng.choice(PORTS + EXTRA_PORTS)
            r = rng.random()
            if r < 0.45:
                internal = None
            elif r < 0.85 and svc_ports:
                internal = rng.choice(svc_ports)
            else:
                internal = rng.choice(PORTS)
            nat.forwards.append(ref.PortForward("f%d" % (k + 1), ext, to, proto, internal))
        node.nat = nat

    # policies
    def selector():
        choice = _pick(rng, [("any", 0.25), ("internet", 0.12), ("zone", 0.15),
                             ("node", 0.18), ("kind", 0.15), ("cidr", 0.15)])
        if choice == "zone":
            return "zone:%s" % rng.choice(zone_ids) if zone_ids else "any"
        if choice == "node":
            return "node:%s" % rng.choice(list(nodes))
        if choice == "kind":
            return "kind:%s" % rng.choice(SELECTOR_KINDS)
        if choice == "cidr":
            r = rng.random()
            if r < 0.3 or not all_addresses:
                return "cidr:%s" % rng.choice(["10.0.0.0/8", "203.0.0.0/16", "0.0.0.0/0"])
            addr = rng.choice(all_addresses).split("/")[0]
            if r < 0.65:
                return "cidr:%s/32" % addr
            return "cidr:%s.0/24" % addr.rsplit(".", 1)[0]
        return choice

    for n in nodes.values():
        is_fw = n.kind == "firewall"
        forwarding = n.kind in FORWARDING
        p = 0.9 if is_fw else 0.4 if n.kind in ROUTERS else 0.1 if forwarding else \
            0.03 if n.kind == "internet" else 0.1
        if rng.random() > p:
            continue
        policy = ref.Policy(default=_pick(rng, [("accept", 0.4), ("drop", 0.45),
                                                ("reject", 0.15)]))
        for k in range(rng.randint(0, 5)):
            proto = _pick(rng, [("any", 0.35), ("tcp", 0.35), ("udp", 0.2), ("icmp", 0.1)])
            policy.rules.append(ref.Rule(
                "rule%d" % (k + 1), selector(), selector(), proto,
                None if proto == "icmp" else _ports(rng),
                _pick(rng, [("any", 0.6), ("from", 0.2), ("to", 0.2)]),
                _pick(rng, [("accept", 0.5), ("drop", 0.35), ("reject", 0.15)])))
        n.policy = policy

    # MUD entries
    if mud:
        for d in devs + clouds:
            node = nodes[d]
            if node.mud_url is None or mrng.random() > 0.65:
                continue
            for k in range(mrng.randint(1, 4)):
                peer = _pick(mrng, [("any", 0.2), ("cidr", 0.12), ("dnsname", 0.1),
                                    ("manufacturer", 0.12), ("same-manufacturer", 0.1),
                                    ("model", 0.08), ("local-networks", 0.14),
                                    ("controller", 0.07), ("my-controller", 0.07)])
                value = None
                if peer == "cidr":
                    value = mrng.choice(["10.0.0.0/8", "203.0.0.0/16"] +
                                        [a.split("/")[0] + "/32" for a in all_addresses[:3]])
                elif peer == "dnsname":
                    value = mrng.choice(DNS_NAMES)
                elif peer == "manufacturer":
                    value = "%s.example" % mrng.choice(VENDORS)
                elif peer in ("model", "controller"):
                    value = mrng.choice(urls)
                proto = _pick(mrng, [("any", 0.3), ("tcp", 0.4), ("udp", 0.2), ("icmp", 0.1)])
                ported = proto in ("tcp", "udp")
                policy = mrng.choice(["from-device", "to-device"])
                dst_ports = _ports(mrng, 0.5) if ported else None
                src_ports = _ports(mrng, 0.8) if ported else None
                initiated = _pick(mrng, [("any", 0.6), ("from-device", 0.2),
                                         ("to-device", 0.2)]) if proto == "tcp" else "any"
                action = _pick(mrng, [("accept", 0.75), ("drop", 0.18), ("reject", 0.07)])
                node.mud.append(ref.Ace("acl-%s" % policy[:2], "ace%d" % (k + 1), policy, peer,
                                        value, proto, src_ports, dst_ports, initiated, action))

    return ref.Model(kinds=kinds, zones=zones, nodes=nodes, links=links)


def _add_ace(net, node, ace):
    """One MUD entry: Network.add_mud_ace when the Python API has it, else
    the C call iotnet_node_mud_add_ace."""
    if hasattr(net, "add_mud_ace"):
        net.add_mud_ace(node, acl=ace.acl, name=ace.name, policy=ace.policy, peer=ace.peer,
                        peer_value=ace.peer_value, protocol=ace.protocol,
                        src_ports=ace.src_ports, dst_ports=ace.dst_ports,
                        initiated=ace.initiated, action=ace.action)
        return
    from iotnet import enums
    from iotnet._ffi import CArgs, ffi, lib
    from iotnet.errors import check
    args = CArgs()
    c = args.new("iotnet_mud_ace *")
    c.version = lib.IOTNET_MUD_ACE_VERSION
    c.acl = args.string(ace.acl, "acl")
    c.name = args.string(ace.name, "name")
    c.policy = enums.value_of(lib.IOTNET_ENUM_MUD_DIRECTION, ace.policy, "policy")
    c.peer = enums.value_of(lib.IOTNET_ENUM_MUD_PEER, ace.peer, "peer")
    c.peer_value = args.string(ace.peer_value, "peer_value", optional=True)
    c.protocol = enums.value_of(lib.IOTNET_ENUM_PROTOCOL, ace.protocol, "protocol")
    c.src_port_lo, c.src_port_hi = ace.src_ports or (0, 0)
    c.dst_port_lo, c.dst_port_hi = ace.dst_ports or (0, 0)
    c.initiated = enums.value_of(lib.IOTNET_ENUM_MUD_DIRECTION, ace.initiated, "initiated")
    c.action = enums.value_of(lib.IOTNET_ENUM_ACTION, ace.action, "action")
    index = ffi.new("iotnet_index *")
    with net._use() as p:
        check(lib.iotnet_node_find(p, index, args.string(node, "node")))
        check(lib.iotnet_node_mud_add_ace(p, index[0], c))


def describe_mesh(seed, mud=False):
    """A model of `seed` whose forwarding nodes form a mesh: the model of
    describe(seed) without NAT44, its forwarding nodes linked into a ring
    with random chords (a grid or full mesh when there are few), each link
    end an interface of its own. Reachability there is explored by
    fixpoints rather than by paths."""
    model = describe(seed, mud)
    rng = random.Random(seed * 104729 + 3)
    for node in model.nodes.values():
        node.nat = None
    fwd = [n for n, node in model.nodes.items() if n.startswith("r")]
    pairs = set()
    if len(fwd) >= 3:
        pairs.update((fwd[i], fwd[(i + 1) % len(fwd)]) for i in range(len(fwd)))
    for _ in range(rng.randint(1, 3) if len(fwd) >= 2 else 0):
        pairs.add(tuple(rng.sample(fwd, 2)))
    k = len(model.links)
    for a, b in sorted(pairs):
        k += 1
        ends = []
        for node in (model.nodes[a], model.nodes[b]):
            name = "m%d" % (len(node.interfaces) + 1)
            address = None if rng.random() < 0.2 else "10.%d.%d.%d/24" % (100 + k % 100, k // 100,
                                                                         1 + len(ends))
            node.interfaces.append(ref.Interface(name, address))
            ends.append(name)
        model.links.append(ref.Link("m%d" % k, a, b, ends[0], ends[1]))
    return model


def build_network(model, name=None):
    """An iotnet.Network holding the described model, built through the
    public API."""
    net = iotnet.Network(name=name)
    for zid, zkind in model.zones.items():
        net.add_zone(zid, zkind)
    for n in model.nodes.values():
        net.add_node(
            n.id, n.kind, zone=n.zone, vendor=n.vendor, mud_url=n.mud_url,
            interfaces=[{"name": i.name, "address": i.address} for i in n.interfaces],
            services=[{"name": s.name, "protocol": s.protocol, "port": s.port,
                       "nat_traversal": s.nat_traversal} for s in n.services],
            attributes=dict(n.attributes) or None)
    for link in model.links:
        net.add_link(link.id, link.a, link.b, a_interface=link.a_interface,
                     b_interface=link.b_interface)
    for n in model.nodes.values():
        if n.policy is not None:
            net.set_policy(n.id, default=n.policy.default)
            for r in n.policy.rules:
                net.add_rule(n.id, r.name, from_=r.from_, to=r.to, protocol=r.protocol,
                             ports=r.ports, initiated_by=r.initiated_by, action=r.action)
        if n.nat is not None:
            nat = n.nat
            net.set_nat(n.id, inside=nat.inside, outside=nat.outside, mapping=nat.mapping,
                        filtering=nat.filtering, hairpinning=nat.hairpinning, upnp=nat.upnp,
                        pcp=nat.pcp, cgnat=nat.cgnat)
            for f in nat.forwards:
                net.add_port_forward(n.id, f.name, f.external_port, f.to_node,
                                     protocol=f.protocol, internal_port=f.internal_port)
    for n in model.nodes.values():
        for ace in n.mud:
            _add_ace(net, n.id, ace)
    return net
