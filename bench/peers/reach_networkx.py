#!/usr/bin/env python3
"""What the Internet can reach, with exposure class: a straightforward
NetworkX implementation of the semantics of libiotnet/include/iotnet/reach.h,
the peer of bench_reach.

    python3 bench/peers/reach_networkx.py MODEL.json [--rows OUT.jsonl] [--repeat N] [--yang-dir DIR]

MODEL.json is a topology file (RFC 7951 JSON of module iotnet-topology, as
iotnet_net_save() or Network.dumps("json") write it). The model becomes a
networkx.MultiGraph (one edge per link, the interfaces at its two ends on
the edge), the devices' MUD profiles with their nodes; the node kinds'
hierarchy is read from the YANG modules.

For the Internet as source (every node of kind internet), the peer walks the
simple paths from the source over transit nodes (forwarding kinds and the
Internet) depth first, links in table order. Each path that ends at a node
is evaluated for each service the node declares: at every node on the path,
in the order reach.h gives, NAT44 inbound (port forwards, UPnP/PCP
pinholes, hole punching by filtering behaviour), the firewall policy (first
matching rule, else the default action) and, at a MUD device's access
gateway, its ACEs in both directions; the path's class is the least open
mechanism any NAT needed, the service's the most open over its paths. A
service no path reaches is reply-only when the destination can open some
flow back towards the source along the path, entering the NATs the way out
left through by the same mechanisms (tried on one flow of every protocol and
port interval the decisions on the path tell apart).

NAT state counts only when the device made it (reach.h): a pinhole once
its UPnP (TCP) or PCP (udp/5351) request reaches the NAT in front of it, a
hole-punched mapping once its UDP gets out through every NAT the path
enters; a forward further in carries what a mapping brought only when it
keeps the port. At the ends of a path CIDR selectors see the address of the
interface the path uses there.

Where reach.h leaves a choice the peer reads it as the engine does: the
source's and the destination's own policies apply; a NAT crossing is read
from the interfaces the path's links name at the NAT; a NAT standing for
the traffic it translates matches CIDRs by its outside address; pinholes and
hole-punched mappings are NAT state at the NAT in front of the destination,
admitted ahead of that NAT's policy, and only hole-punched flows pass an
endpoint-independent NAT further out; a device's access gateways are the
enforcement points a breadth-first search through forwarding nodes meets
first; a device's MUD applies to flows it opens while its address is its own;
every declared service gets a row (reply-only when the destination can open
a flow back), a node without services one host row. Only the Internet as
source is implemented (zone sources are not).

Prints one JSON object: load, graph and reach times, row counts
by exposure class, peak memory.
"""

import argparse
import collections
import ipaddress
import json
import re
import resource
import statistics
import sys
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[2]
YANG_DIR = ROOT / "models" / "yang"

EXPOSURES = ["none", "reply-only", "hole-punchable", "pinhole", "port-forward", "direct"]
NONE, REPLY_ONLY, HOLE_PUNCHABLE, PINHOLE, PORT_FORWARD, DIRECT = range(6)
PROTOCOLS = {"any": 0, "icmp": 1, "tcp": 6, "udp": 17, "sctp": 132}
PROTOCOL_NAMES = {v: k for k, v in PROTOCOLS.items()}
ANY, ICMP, TCP, UDP, SCTP = 0, 1, 6, 17, 132
PORTED = (TCP, UDP, SCTP)
FILTER_EI = "endpoint-independent"


def bare(identity):
    """An identity without its module prefix ("iotnet-topology:camera" -> "camera")."""
    return identity.split(":", 1)[-1] if identity else identity


def kind_parents(yang_dir=YANG_DIR):
    """identity -> base, from the YANG modules of a directory."""
    parents = {}
    for path in sorted(Path(yang_dir).glob("iotnet-*.yang")):
        text = path.read_text()
        starts = [m for m in re.finditer(r"\bidentity\s+([\w.-]+)\s*[{;]", text)]
        for k, m in enumerate(starts):
            end = starts[k + 1].start() if k + 1 < len(starts) else len(text)
            body = text[m.end():end]
            base = re.search(r"\bbase\s+([\w.:-]+)\s*;", body)
            parents[m.group(1)] = bare(base.group(1)) if base else None
    return parents


# --------------------------------------------------------------------------
# The model


class Model:
    """A topology file read into a networkx.MultiGraph and a few tables."""

    def __init__(self, data, yang_dir=YANG_DIR):
        top = data.get("iotnet-topology:topology", data.get("topology", data))
        self.parents = kind_parents(yang_dir)
        self.zone_kind = {z["id"]: bare(z["kind"]) for z in top.get("zone", [])}
        self.graph = nx.MultiGraph()
        self.order = []  # node ids in table order
        for n in top.get("node", []):
            self.order.append(n["id"])
            self.graph.add_node(n["id"], **self._node(n))
        for index, link in enumerate(top.get("link", [])):
            a, b = link["a"], link["b"]
            self.graph.add_edge(a["node"], b["node"], key=link["id"], index=index,
                                ifaces={a["node"]: a.get("interface"), b["node"]: b.get("interface")})
        self.data = dict(self.graph.nodes(data=True))  # node id -> its attributes
        self._is_a = {}
        self._gateway = {}

    def _node(self, n):
        addrs, by_name = [], {}
        for i in n.get("interface", []):
            if "ipv4-address" in i:
                addrs.append(int(ipaddress.IPv4Address(i["ipv4-address"])))
                by_name[i["name"]] = addrs[-1]
        services = []
        for s in n.get("service", []):
            services.append({
                "name": s["name"],
                "protocol": PROTOCOLS[s.get("protocol", "tcp")],
                "port": int(s.get("port", 0)),
                "traversal": s.get("nat-traversal", "none"),
            })
        policy = None
        if "policy" in n:
            p = n["policy"]
            rules = []
            for r in p.get("rule", []):
                lo = int(r.get("lower-port", 0))
                hi = int(r.get("upper-port", lo))
                rules.append({
                    "name": r["name"],
                    "from": self._selector(r.get("from", {})),
                    "to": self._selector(r.get("to", {})),
                    "protocol": PROTOCOLS[r.get("protocol", "any")],
                    "lo": lo, "hi": hi,
                    "initiated": r.get("initiated-by", "any"),
                    "action": r["action"],
                })
            policy = {"default": p.get("default-action", "drop"), "rules": rules}
        nat = None
        if "nat44" in n:
            x = n["nat44"]
            nat = {
                "inside": set(x.get("inside-interface", [])),
                "outside": x["outside-interface"],
                "filtering": x.get("filtering", "address-and-port-dependent"),
                "upnp": bool(x.get("upnp", False)),
                "hairpinning": bool(x.get("hairpinning", False)),
                "pcp": bool(x.get("pcp", False)),
                "forwards": [{
                    "name": f["name"],
                    "protocol": PROTOCOLS[f.get("protocol", "tcp")],
                    "external": int(f["external-port"]),
                    "to": f["to-node"],
                    "internal": int(f.get("internal-port", f["external-port"])),
                } for f in x.get("port-forward", [])],
            }
        attrs = {}
        for a in n.get("attribute", []):
            if "string" in a:
                attrs[a["name"]] = a["string"]
        return {
            "kind": bare(n["kind"]),
            "zone": n.get("zone"),
            "mud_url": n.get("mud-url"),
            "addrs": addrs,
            "addr_by_iface": by_name,
            "iface_names": [i["name"] for i in n.get("interface", [])],
            # the address a NAT translates to and from (its outside interface's)
            "outside_addrs": [by_name[nat["outside"]]] if nat and nat["outside"] in by_name else [],
            "services": services,
            "policy": policy,
            "nat": nat,
            "attrs": attrs,
            "aces": self._aces(n),
        }

    @staticmethod
    def _selector(s):
        if not s or "any" in s:
            return ("any", None)
        if "internet" in s:
            return ("internet", None)
        for key in ("zone", "node", "kind"):
            if key in s:
                return (key, bare(s[key]) if key == "kind" else s[key])
        if "cidr" in s:
            net = ipaddress.IPv4Network(s["cidr"], strict=False)
            return ("cidr", (int(net.network_address), int(net.netmask)))
        return ("any", None)

    @staticmethod
    def _aces(n):
        """The ACEs of the node's MUD profile (mud-profile/ace), in order."""
        out = []
        for ace in n.get("mud-profile", {}).get("ace", []):
            def ports(side):
                lo = int(ace.get(side + "-lower-port", 0))
                return lo, int(ace.get(side + "-upper-port", lo))
            out.append({
                "name": "%s/%s" % (ace.get("acl", ""), ace["name"]),
                "policy": ace["policy"],
                "peer": ace.get("peer", "any"),
                "value": ace.get("peer-value"),
                "protocol": PROTOCOLS[ace.get("protocol", "any")],
                "src": ports("source"), "dst": ports("destination"),
                "initiated": ace.get("initiated", "any"),
                "action": ace["action"],
            })
        return out

    # -- kinds -------------------------------------------------------------

    def is_a(self, kind, ancestor):
        key = (kind, ancestor)
        hit = self._is_a.get(key)
        if hit is None:
            k, hit = kind, False
            while k is not None:
                if k == ancestor:
                    hit = True
                    break
                k = self.parents.get(k)
            self._is_a[key] = hit
        return hit

    def node(self, n):
        return self.data[n]

    def transit(self, n):
        kind = self.node(n)["kind"]
        return self.is_a(kind, "forwarding") or self.is_a(kind, "internet")

    def internet_side(self, n):
        d = self.node(n)
        if self.is_a(d["kind"], "internet") or self.is_a(d["kind"], "cloud-service"):
            return True
        zk = self.zone_kind.get(d["zone"])
        return zk is not None and (self.is_a(zk, "internet-zone") or self.is_a(zk, "cloud-zone"))

    def enforcement(self, n):
        d = self.node(n)
        return d["policy"] is not None or d["nat"] is not None

    def neighbours(self, n):
        """(neighbour, interfaces of the link's ends) for each link of n, in link order."""
        edges = sorted(self.graph.edges(n, keys=True, data=True), key=lambda e: e[3]["index"])
        return [(v, data["ifaces"]) for _, v, _, data in edges]

    def gateways(self, device):
        """The device's access gateways: the enforcement points nearest to it
        through forwarding nodes (breadth first over transit nodes, not across
        the Internet; all of them at the same distance)."""
        if device not in self._gateway:
            found, seen, level = set(), {device}, [device]
            while level and not found:
                nxt = []
                for v in level:
                    if v != device and not self.is_a(self.node(v)["kind"], "forwarding"):
                        continue  # not across the Internet
                    for w, _ in self.neighbours(v):
                        if w in seen or not self.transit(w):
                            continue
                        seen.add(w)
                        nxt.append(w)
                        if self.enforcement(w):
                            found.add(w)
                level = nxt
            self._gateway[device] = found
        return self._gateway[device]

    # -- selectors ---------------------------------------------------------

    def addresses(self, n, translated):
        """A node's addresses; only its outside address when it stands for
        the traffic it translates (the apparent source or destination,
        translated True); only the address of the interface a path uses at
        its end (translated that interface's name, on a node with more than
        one interface); else all of them."""
        d = self.node(n)
        if translated is True:
            return d["outside_addrs"]
        if isinstance(translated, str) and len(d["iface_names"]) > 1 and translated in d["iface_names"]:
            a = d["addr_by_iface"].get(translated)
            return [a] if a is not None else []
        return d["addrs"]

    def matches(self, selector, n, translated=False):
        what, value = selector
        if what == "any":
            return True
        d = self.node(n)
        if what == "internet":
            return self.internet_side(n)
        if what == "zone":
            return d["zone"] == value
        if what == "node":
            return n == value
        if what == "kind":
            return self.is_a(d["kind"], value)
        if what == "cidr":
            net, mask = value
            return any(a & mask == net for a in self.addresses(n, translated))
        return False

    def mud_peer(self, ace, peer, device, translated=False):
        kind, value = ace["peer"], ace["value"]
        if kind == "any":
            return True
        d = self.node(peer)
        if kind == "dnsname":
            return dns_name(value) in {dns_name(w) for w in d["attrs"].get("dns-name", "").split()}
        if kind == "cidr":
            net = ipaddress.IPv4Network(value, strict=False)
            return any(a & int(net.netmask) == int(net.network_address)
                       for a in self.addresses(peer, translated))
        if kind == "manufacturer":
            return authority(d["mud_url"]) is not None and authority(d["mud_url"]) == dns_name(value)
        if kind == "same-manufacturer":
            mine = authority(self.node(device)["mud_url"])
            return mine is not None and authority(d["mud_url"]) == mine
        if kind == "model":
            return d["mud_url"] is not None and url_key(d["mud_url"]) == url_key(value)
        if kind == "local-networks":
            return not self.internet_side(peer)
        if kind == "controller":
            return url_key(value) in {url_key(w) for w in d["attrs"].get("mud-controller", "").split()}
        if kind == "my-controller":
            mine = self.node(device)["mud_url"]
            return mine is not None and \
                url_key(mine) in {url_key(w) for w in d["attrs"].get("mud-controller", "").split()}
        return False


def _url_parts(url):
    """(scheme, text before the host, host, rest) of a URL (RFC 3986): the
    host only after "scheme://" and any userinfo; None for no URL."""
    if not url:
        return None
    m = re.match(r"[^:/?#]*:", url)
    scheme = url[:m.end() - 1] if m else ""
    rest = url[m.end():] if m else url
    if not rest.startswith("//"):
        return scheme, rest, "", ""
    auth_end = len(rest)
    for k in range(2, len(rest)):
        if rest[k] in "/?#":
            auth_end = k
            break
    auth = rest[2:auth_end]
    userinfo, at, hostport = auth.rpartition("@")
    host = re.split(r"[:]", hostport, 1)[0]
    before = "//" + userinfo + at
    return scheme, before, host, hostport[len(host):] + rest[auth_end:]


def dns_name(name):
    """A DNS name as names compare (RFC 4343): without case or one trailing dot."""
    if name is None:
        return None
    if len(name) > 1 and name.endswith("."):
        name = name[:-1]
    return name.lower()


def url_key(url):
    """A URL as URLs compare (RFC 3986 6.2.2.1): scheme and host without case."""
    parts = _url_parts(url)
    if parts is None:
        return None
    scheme, before, host, rest = parts
    return scheme.lower(), before, host.lower(), rest


def authority(url):
    """The host of a MUD URL as a DNS name, or None."""
    parts = _url_parts(url)
    return dns_name(parts[2]) if parts and parts[2] else None


# --------------------------------------------------------------------------
# Flows
#
# A flow is (protocol, port); a service of protocol any counts as tcp. The
# levels a flow can still reach a point with: DIRECT 3, forwarded 2, through a
# pinhole 1, hole-punched 0, none -1. A forward or a pinhole takes flows that
# crossed the NATs before it at level 1 or more (not hole-punched ones); a
# hole-punched mapping takes whatever arrives.

L_NONE, L_PUNCH, L_PINHOLE, L_FORWARD, L_DIRECT = -1, 0, 1, 2, 3
LEVEL_CLASS = {L_PUNCH: HOLE_PUNCHABLE, L_PINHOLE: PINHOLE, L_FORWARD: PORT_FORWARD, L_DIRECT: DIRECT}
OTHER = 255  # a protocol no rule names by number: stands for every other one
EPHEMERAL_LO = 1024
PCP_PORT = 5351  # RFC 6887: where a NAT's PCP server listens


def covers(protocol, lo, hi, proto, port):
    """Whether a rule's (protocol, lo..hi) covers the flow: 0..0 is every port
    (and with protocol any every protocol); a port range covers tcp, udp and
    sctp flows only, except that it is ignored on icmp."""
    if protocol != ANY and protocol != proto:
        return False
    if lo == 0 and hi == 0:
        return True
    if proto in PORTED:
        return lo <= port <= hi
    return protocol != ANY


def admits_ephemeral(lo, hi):
    """An opener's port is ephemeral: a range restricting it must admit all of 1024-65535."""
    return (lo == 0 and hi == 0) or (lo <= EPHEMERAL_LO and hi == 65535)


def ace_covers(ace, proto, port, opening):
    """An ACE's match on a packet of the flow: for the opening packet the
    responder's port is the destination port and the initiator's source port
    is ephemeral; for a reply it is the other way round."""
    if ace["protocol"] not in PORTED:
        return covers(ace["protocol"], 0, 0, proto, port)
    if ace["protocol"] != proto:
        return False
    (slo, shi), (dlo, dhi) = ace["src"], ace["dst"]
    if opening:
        return admits_ephemeral(slo, shi) and covers(proto, dlo, dhi, proto, port)
    return admits_ephemeral(dlo, dhi) and covers(proto, slo, shi, proto, port)


def firewall(model, node, src, dst, proto, port):
    """Whether node's policy admits a new flow between two endpoints
    ((node, translated): translated ends match CIDRs by the NAT's outside address)."""
    policy = model.node(node)["policy"]
    if policy is None:
        return True
    for r in policy["rules"]:
        if r["initiated"] == "to" or not covers(r["protocol"], r["lo"], r["hi"], proto, port):
            continue
        if model.matches(r["from"], src[0], src[1]) and model.matches(r["to"], dst[0], dst[1]):
            return r["action"] == "accept"
    return policy["default"] == "accept"


def mud_policy(model, device, policy, opening, device_opens, peer, proto, port):
    opener = "from-device" if device_opens else "to-device"
    for ace in model.node(device)["aces"]:
        if ace["policy"] != policy or ace["initiated"] not in ("any", opener):
            continue
        if not model.mud_peer(ace, peer[0], device, peer[1]):
            continue
        if ace_covers(ace, proto, port, opening):
            return ace["action"] == "accept"
    return False


def mud_admits(model, device, peer, device_opens, proto, port):
    """The device's ACEs on both packets of a flow with a peer endpoint."""
    opening = "from-device" if device_opens else "to-device"
    reply = "to-device" if device_opens else "from-device"
    return (mud_policy(model, device, opening, True, device_opens, peer, proto, port)
            and mud_policy(model, device, reply, False, device_opens, peer, proto, port))


# --------------------------------------------------------------------------
# Paths

def crossings(model, path, links):
    """For each node of the path, the ways the path crosses it: ("route",),
    ("in",), ("out",) or ("route", "hairpin") at a NAT that hairpins
    between two inside interfaces. Endpoints are ("end",)."""
    out = []
    for i, node in enumerate(path):
        nat = model.node(node)["nat"]
        if i == 0 or i == len(path) - 1:
            out.append(("end",))
            continue
        if nat is None:
            out.append(("route",))
            continue
        came, goes = links[i - 1][node], links[i][node]
        came_role = "out" if came == nat["outside"] else "in" if came in nat["inside"] else None
        goes_role = "out" if goes == nat["outside"] else "in" if goes in nat["inside"] else None
        if came_role == "out" and goes_role == "in":
            out.append(("in",))
        elif came_role == "in" and goes_role == "out":
            out.append(("out",))
        elif came_role == "in" and goes_role == "in" and nat["hairpinning"] and nat["forwards"]:
            out.append(("route", "hairpin"))
        else:
            out.append(("route",))
    return out


class Way:
    """One way along a path: how each node is crossed, and the apparent
    source arriving at each node."""

    def __init__(self, model, path, types, links):
        self.model, self.path, self.types = model, path, types
        # the interfaces the path leaves the source and reaches the
        # destination by: CIDR selectors see their addresses
        self.src_if = links[0][path[0]] or False
        self.dst_if = links[-1][path[-1]] or False
        self.src = []
        cur = (path[0], self.src_if)
        for i, node in enumerate(path):
            self.src.append(cur)
            if types[i] in ("out", "hairpin"):
                cur = (node, True)
        self.src_after = cur
        self.gw = {}
        for end in (path[0], path[-1]):
            if model.node(end)["aces"]:
                self.gw[end] = model.gateways(end)

    def level(self, i, target, dest, proto, port):
        """The level at which a flow to `target` (dest when it is the
        destination itself, else a NAT in front of it) on (proto, port)
        leaves node i of the path."""
        m, path, node = self.model, self.path, self.path[i]
        tgt = self.addressed(target, dest)
        if i == 0:
            return L_DIRECT if firewall(m, node, self.src[0], tgt, proto, port) else L_NONE
        kind = self.types[i]
        if kind in ("in", "hairpin"):
            level = L_NONE
            nat = m.node(node)["nat"]
            for f in nat["forwards"]:
                if f["to"] != target or f["internal"] != port or proto not in (TCP, UDP) \
                        or f["protocol"] not in (ANY, proto):
                    continue
                up = self.level(i - 1, node, None, proto, f["external"])
                # what came by a mapping further out keeps the device's port
                if up >= (L_PUNCH if f["internal"] == f["external"] else L_PINHOLE):
                    level = max(level, min(up, L_FORWARD))
            if level > L_NONE and not firewall(m, node, self.src[i], tgt, proto, port):
                level = L_NONE
            if kind == "in":
                level = max(level, self.state(i, target, dest, proto, port))
        else:
            level = self.level(i - 1, target, dest, proto, port)
            if level > L_NONE and not firewall(m, node, self.src[i], tgt, proto, port):
                level = L_NONE
        if level > L_NONE and not self.mud_ok(i, target, dest, proto, port):
            level = L_NONE
        return level

    def state(self, i, target, dest, proto, port):
        """What NAT state lets in at inbound NAT i, ahead of its policy:
        pinholes and hole-punched mappings of the destination at its NAT;
        an endpoint-independent mapping in front of a further NAT."""
        nat = self.model.node(self.path[i])["nat"]
        eif = nat["filtering"] == FILTER_EI
        node = self.path[i]
        if target != dest:
            if eif and self.level(i - 1, node, None, proto, port) >= L_PUNCH:
                return L_PUNCH
            return L_NONE
        best = L_NONE
        for svc in self.model.node(target)["services"]:
            if flow_of(svc) != (proto, port):
                continue
            t = svc["traversal"]
            if (t == "upnp" and nat["upnp"]) or (t == "pcp" and nat["pcp"]):
                up = self.level(i - 1, node, None, proto, port)
                if up >= L_PINHOLE and self.request_ok(i, t):
                    best = max(best, min(up, L_PINHOLE))
            elif t == "hole-punch" and svc["protocol"] == UDP and eif:
                if self.level(i - 1, node, None, proto, port) >= L_PUNCH:
                    best = max(best, L_PUNCH)
        return best

    def mud_ok(self, i, target, dest, proto, port):
        """The source's ACEs at its gateway, the destination's at its gateway
        when the flow is addressed to it."""
        node, src = self.path[i], self.path[0]
        if self.src[i][0] == src and node in self.gw.get(src, ()):
            if not mud_admits(self.model, src, self.addressed(target, dest), True, proto, port):
                return False
        dst = self.path[-1]
        if dest is not None and target == dest and node in self.gw.get(dst, ()):
            if not mud_admits(self.model, dst, self.src[i], False, proto, port):
                return False
        return True

    def addressed(self, target, dest):
        """Where a flow is addressed: the destination by the interface the
        path reaches it by, or a NAT in front of it by its outside address."""
        return (dest, self.dst_if) if target == dest else (target, True)

    def flow(self, proto, port):
        """The level a flow to the destination on (proto, port) arrives with."""
        dest, last = self.path[-1], len(self.path) - 2
        level = self.level(last, dest, dest, proto, port)
        if level > L_NONE and not firewall(self.model, dest, self.src_after_index(last), (dest, self.dst_if),
                                           proto, port):
            level = L_NONE
        # a mapping exists only for a hole-punch UDP service whose device
        # sent UDP out through every NAT on the way
        if level == L_PUNCH and not (self.hole_punch_service(proto, port) and self.udp_out()):
            level = L_NONE
        return level

    def hole_punch_service(self, proto, port):
        return any(svc["traversal"] == "hole-punch" and svc["protocol"] == UDP and flow_of(svc) == (proto, port)
                   for svc in self.model.node(self.path[-1])["services"])

    # -- NAT state made by the devices (reach.h, NAT state) ------------------

    def _opens(self, device, start, far, to, indexes, outward, proto, port):
        """Whether a flow `device` opens from endpoint `start` towards `to`
        passes its own policy and the path's nodes at `indexes` (in the order
        it crosses them): a crossing of kind `outward` leaves a NAT outwards
        (translated after it), any other NAT crossing it would have to enter
        from outside; MUD of the device while untranslated, of `far` where
        the flow is addressed to it."""
        m = self.model
        if not firewall(m, device, start, to, proto, port):
            return False
        src = start
        for i in indexes:
            node, kind = self.path[i], self.types[i]
            if kind not in ("route", "hairpin", outward):
                return False
            if not firewall(m, node, src, to, proto, port):
                return False
            if src[0] == device and node in self.gw.get(device, ()) and \
                    not mud_admits(m, device, to, True, proto, port):
                return False
            if far is not None and to[0] == far and to[1] is not True and node in self.gw.get(far, ()) and \
                    not mud_admits(m, far, src, False, proto, port):
                return False
            if kind == outward:
                src = (node, True)
        return True

    def _ports(self, proto):
        return [p for q, p in cut_flows(self.model, self.path) if q == proto]

    def udp_out(self):
        """The destination's UDP out through every NAT the path enters."""
        ins = [i for i, t in enumerate(self.types) if t == "in"]
        if not ins:
            return True
        last, dest = len(self.path) - 2, self.path[-1]
        to = self._back_target(last)
        return any(self._opens(dest, (dest, self.dst_if), self.path[0], to, range(last, min(ins) - 1, -1), "in",
                               UDP, p) for p in self._ports(UDP))

    def _request(self, device, start, nat_index, indexes, traversal):
        nat = self.path[nat_index]
        to = (nat, False)
        flows = [(UDP, PCP_PORT)] if traversal == "pcp" else [(TCP, p) for p in self._ports(TCP)]
        return any(self._opens(device, start, None, to, indexes, None, proto, p) and
                   firewall(self.model, nat, start, to, proto, p) for proto, p in flows)

    def request_ok(self, i, traversal):
        """The destination's UPnP (TCP) or PCP (udp/5351) request reaches the NAT at i."""
        dest, last = self.path[-1], len(self.path) - 2
        return self._request(dest, (dest, self.dst_if), i, range(last, i, -1), traversal)

    def source_request_ok(self, traversal):
        """The source's request reaches the NAT it sits behind on the path."""
        outs = [i for i, t in enumerate(self.types) if t == "out"]
        if not outs:
            return False
        k = min(outs)
        return self._request(self.path[0], (self.path[0], self.src_if), k, range(1, k), traversal)

    def source_udp_out(self):
        """The source's UDP out through every NAT it leaves on the path."""
        outs = [i for i, t in enumerate(self.types) if t == "out"]
        if not outs:
            return True
        stop = max(outs)
        ins = [i for i, t in enumerate(self.types) if t == "in"]
        if ins and min(ins) < stop:
            return False
        dest, source = self.path[-1], self.path[0]
        to = (self.path[min(ins)], True) if ins else (dest, self.dst_if)
        return any(self._opens(source, (source, self.src_if), dest, to, range(1, stop + 1), "out", UDP, p)
                   for p in self._ports(UDP))

    def src_after_index(self, i):
        """The apparent source after node i."""
        if self.types[i] in ("out", "hairpin"):
            return (self.path[i], True)
        return self.src[i]

    def back(self, flows):
        """Whether the destination can open one of the flows towards the source."""
        m, path = self.model, self.path
        dest, source = path[-1], path[0]
        to_source = (source, self.src_if)
        for proto, port in flows:
            if self._back(proto, port, dest, source, to_source):
                return True
        return False

    def _back_target(self, i):
        """Where the way back is addressed when it leaves node i towards the
        source: the nearest NAT it must enter from outside (crossed outbound
        on the way out), else the source."""
        for k in range(i, 0, -1):
            if self.types[k] == "out":
                return (self.path[k], True)
        return (self.path[0], self.src_if)

    def _back(self, proto, port, dest, source, to_source):
        """A flow the destination opens on (proto, port) back along the path:
        NATs crossed outbound on the way out are entered from outside (by
        forwards, which change the port, or by the source's pinholes and
        hole-punched mappings, ahead of the NAT's policy); `plain` are the
        ports still passing, `punched` those only a hole-punched mapping
        further in could carry on."""
        m, path = self.model, self.path
        last = len(path) - 2
        src, opener = (dest, self.dst_if), dest
        plain, punched = {port}, set()
        if not firewall(m, dest, src, self._back_target(last), proto, port):
            return False
        for i in range(last, 0, -1):
            if not plain:
                return False
            node, kind = path[i], self.types[i]
            if kind == "out":
                dst = self._back_target(i - 1)
                nat = m.node(node)["nat"]
                eif = nat["filtering"] == FILTER_EI
                entered = {f["internal"] for f in nat["forwards"] for q in plain
                           if f["to"] == dst[0] and f["external"] == q and proto in (TCP, UDP)
                           and f["protocol"] in (ANY, proto)}
                state = set()
                if dst[0] == source:
                    for svc in m.node(source)["services"]:
                        sp, sport = flow_of(svc)
                        if sp != proto:
                            continue
                        t = svc["traversal"]
                        if (t == "upnp" and nat["upnp"]) or (t == "pcp" and nat["pcp"]):
                            if sport in plain and self.source_request_ok(t):
                                state.add(sport)
                        elif t == "hole-punch" and svc["protocol"] == UDP and eif and \
                                (sport in plain or sport in punched) and self.source_udp_out():
                            state.add(sport)
                punched = plain | punched if dst[0] != source and eif else set()
                plain = {q for q in entered if firewall(m, node, src, dst, proto, q)} | state
            else:
                dst = self._back_target(i)
                plain = {q for q in plain if firewall(m, node, src, dst, proto, q)}
                punched = {q for q in punched if firewall(m, node, src, dst, proto, q)}
            if src[0] == opener and node in self.gw.get(opener, ()):
                plain = {q for q in plain if mud_admits(m, opener, dst, True, proto, q)}
                punched = {q for q in punched if mud_admits(m, opener, dst, True, proto, q)}
            if dst[0] == source and node in self.gw.get(source, ()):
                plain = {q for q in plain if mud_admits(m, source, src, False, proto, q)}
                punched = {q for q in punched if mud_admits(m, source, src, False, proto, q)}
            if kind == "in":
                src, punched = (node, True), set()
        return any(firewall(m, source, src, to_source, proto, q) for q in plain)

    def entry(self, dest, proto, port, cls):
        """Where the source sends: the outermost NAT crossed inbound and the
        port there, with the outermost port forward on the way."""
        if cls in (DIRECT, REPLY_ONLY, NONE) or proto is None:
            return dest, port, None
        node, via, target = dest, None, dest
        for i in range(len(self.path) - 2, 0, -1):
            if self.types[i] not in ("in", "hairpin"):
                continue
            here = self.path[i]
            for f in self.model.node(here)["nat"]["forwards"]:
                if f["to"] == target and f["internal"] == port and proto in (TCP, UDP) \
                        and f["protocol"] in (ANY, proto):
                    port, via = f["external"], f["name"]
                    break
            node = target = here
        return node, port, via


def flow_of(svc):
    proto = svc["protocol"] or TCP
    return proto, svc["port"] if proto in PORTED else 0


def ways(model, path, links):
    """Every way along a path (a hairpinning NAT gives two)."""
    types = [[]]
    for choice in crossings(model, path, links):
        types = [t + [c] for t in types for c in choice]
    return [Way(model, path, t, links) for t in types]


def cut_flows(model, path, forwards=False):
    """One flow of every (protocol, port) interval the decisions on the path
    tell apart: the rules of its policies, the ACEs of its ends and, with
    forwards, the port forwards of its NATs towards nodes on the path (what
    the way back never meets)."""
    cuts = {TCP: {0}, UDP: {0}, SCTP: {0}}

    def cut(protocol, lo, hi):
        if lo == 0 and hi == 0:
            return
        for p in cuts:
            if protocol in (ANY, p):
                cuts[p].update((lo, hi + 1))

    on_path = set(path)
    for n in path:
        d = model.node(n)
        if d["policy"]:
            for r in d["policy"]["rules"]:
                cut(r["protocol"], r["lo"], r["hi"])
        if forwards and d["nat"]:
            for f in d["nat"]["forwards"]:
                if f["to"] in on_path:
                    cut(f["protocol"], f["external"], f["external"])
                    cut(f["protocol"], f["internal"], f["internal"])
    for n in (path[0], path[-1]):
        for ace in model.node(n)["aces"]:
            cut(ace["protocol"], *ace["src"])
            cut(ace["protocol"], *ace["dst"])
    flows = [(p, port) for p in (TCP, UDP, SCTP) for port in sorted(cuts[p]) if port <= 65535]
    return flows + [(ICMP, 0), (OTHER, 0)]


def simple_paths(model, source):
    """(path, links) for every simple path from source whose inner nodes are
    transit, depth first in link order; links[i] maps the two ends of the
    i-th link to their interfaces."""
    stack = [(source, [source], [])]
    while stack:
        node, path, links = stack.pop()
        if len(path) > 1:
            yield path, links
            if not model.transit(node):
                continue
        on_path = set(path)
        nexts = [(v, ifaces) for v, ifaces in model.neighbours(node) if v not in on_path]
        for v, ifaces in reversed(nexts):
            stack.append((v, path + [v], links + [ifaces]))


def reach_internet(model):
    """Rows for everything the Internet can reach, ordered as iotnet_reach orders them."""
    sources = [n for n in model.order if model.is_a(model.node(n)["kind"], "internet")]
    source_set = set(sources)
    best = {}  # (destination, slot) -> [class, source, entry, port, via, path]
    for source in sources:
        for path, links in simple_paths(model, source):
            dst = path[-1]
            if dst in source_set:
                continue
            services = model.node(dst)["services"]
            for way in ways(model, path, links):
                back = None
                slots = list(enumerate(services)) if services else [(None, None)]
                for k, svc in slots:
                    if svc is None:  # a node without services: any flow
                        level = max(way.flow(p, port) for p, port in cut_flows(model, path, True))
                        proto = None
                        port = 0
                    else:
                        proto, port = flow_of(svc)
                        level = way.flow(proto, port)
                    cls = LEVEL_CLASS.get(level, NONE)
                    old = best.get((dst, k))
                    if cls == NONE and old is None:
                        if back is None:
                            back = way.back(cut_flows(model, path))
                        cls = REPLY_ONLY if back else NONE
                    if cls == NONE or (old is not None and cls <= old[0]):
                        continue
                    entry, eport, via = way.entry(dst, proto, port, cls)
                    best[(dst, k)] = [cls, source, entry, eport, via, list(path)]
    rows = []
    position = {n: i for i, n in enumerate(model.order)}
    for (dst, k), (cls, source, entry, eport, via, path) in best.items():
        svc = model.node(dst)["services"][k] if k is not None else None
        rows.append({
            "source": source, "destination": dst, "service": svc["name"] if svc else None,
            "protocol": PROTOCOL_NAMES.get(svc["protocol"], str(svc["protocol"])) if svc else "any",
            "port": svc["port"] if svc else 0,
            "exposure": EXPOSURES[cls], "entry_node": entry, "entry_port": eport, "via": via,
            "path": path, "_key": (position[dst], svc["protocol"] if svc else 0, svc["port"] if svc else 0,
                                   k if k is not None else -1),
        })
    rows.sort(key=lambda r: r["_key"])
    for r in rows:
        del r["_key"]
    return rows


def peak_rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="topology file (JSON)")
    parser.add_argument("--rows", help="write the rows here, one JSON object a line")
    parser.add_argument("--yang-dir", default=str(YANG_DIR))
    parser.add_argument("--repeat", type=int, default=1, help="run the reachability this many times (default 1)")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    with open(args.model) as f:
        data = json.load(f)
    t1 = time.perf_counter()
    model = Model(data, args.yang_dir)
    del data
    t2 = time.perf_counter()
    rss_before = peak_rss()
    times = []
    for _ in range(max(1, args.repeat)):
        a = time.perf_counter()
        rows = reach_internet(model)
        times.append(time.perf_counter() - a)
        model._gateway.clear()
    counts = {name: 0 for name in reversed(EXPOSURES)}
    for r in rows:
        counts[r["exposure"]] += 1
    if args.rows:
        with open(args.rows, "w") as out:
            for r in rows:
                out.write(json.dumps(r) + "\n")
    print(json.dumps({
        "program": "reach_networkx", "networkx": nx.__version__,
        "nodes": model.graph.number_of_nodes(), "links": model.graph.number_of_edges(),
        "json_s": t1 - t0, "graph_s": t2 - t1, "reach_s": times,
        "best_s": min(times), "median_s": statistics.median(times),
        "rows": len(rows), "service_rows": sum(1 for r in rows if r["service"]),
        "host_rows": sum(1 for r in rows if not r["service"]), "exposure": counts,
        "peak_rss": peak_rss(), "peak_rss_before_reach": rss_before,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
