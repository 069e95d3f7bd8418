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
Internet) depth first. Each path that ends at a node is evaluated for each
service the node declares: at every node on the path, in the order reach.h
gives, NAT44 inbound (port forwards, UPnP/PCP pinholes, hole punching by
filtering behaviour), the firewall policy (first matching rule, else the
default action) and, at a MUD device's access gateway, its ACEs in both
directions; the path's class is the least open mechanism any NAT needed, the
service's the most open over its paths. A destination with no service row
that can open some flow towards the source (tried on one representative of
every protocol and port interval the rules and ACEs on the path separate) is
reply-only and gets one host row.

Where reach.h leaves a choice the peer reads it so: the source's and the
destination's own policies apply; a NAT crossing is read from the interfaces
the path's links name at the NAT; a NAT standing for the traffic it
translates matches CIDRs by its outside address; a device's access gateways
are all the nearest enforcement points; an ACE that restricts an ephemeral
port (the initiator's source port, the reply's destination port) does not
match. Only the Internet as source is implemented (no hairpinning, no zone
sources). Prints one JSON object: load, graph and reach times, row counts
by exposure class, peak memory.
"""

import argparse
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
        for link in top.get("link", []):
            a, b = link["a"], link["b"]
            self.graph.add_edge(a["node"], b["node"], key=link["id"],
                                ifaces={a["node"]: a.get("interface"), b["node"]: b.get("interface")}
                                if a["node"] != b["node"] else {})
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

    def gateways(self, device):
        """The device's access gateways: the nearest enforcement points reached
        through forwarding nodes (breadth first; all of them when several are
        equally near)."""
        if device in self._gateway:
            return self._gateway[device]
        seen, frontier, found = {device}, [device], set()
        while frontier and not found:
            nxt = []
            for u in frontier:
                for v in self.graph.neighbors(u):
                    if v in seen:
                        continue
                    seen.add(v)
                    if self.enforcement(v):
                        found.add(v)
                    elif self.is_a(self.node(v)["kind"], "forwarding"):
                        nxt.append(v)
            frontier = nxt
        self._gateway[device] = found
        return found

    # -- selectors ---------------------------------------------------------

    def addresses(self, n, translated):
        """A node's addresses; only its outside address when it stands for
        the traffic it translates (the apparent source or destination)."""
        d = self.node(n)
        return d["outside_addrs"] if translated else d["addrs"]

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
            return value in re.split(r"[\s,]+", d["attrs"].get("dns-name", ""))
        if kind == "cidr":
            net = ipaddress.IPv4Network(value, strict=False)
            return any(a & int(net.netmask) == int(net.network_address)
                       for a in self.addresses(peer, translated))
        if kind == "manufacturer":
            return authority(d["mud_url"]) == value
        if kind == "same-manufacturer":
            mine = authority(self.node(device)["mud_url"])
            return mine is not None and authority(d["mud_url"]) == mine
        if kind == "model":
            return d["mud_url"] == value
        if kind == "local-networks":
            return not self.internet_side(peer)
        if kind == "controller":
            return value in d["attrs"].get("mud-controller", "").split()
        if kind == "my-controller":
            mine = self.node(device)["mud_url"]
            return mine is not None and mine in d["attrs"].get("mud-controller", "").split()
        return False


def authority(url):
    if not url or "://" not in url:
        return None
    return url.split("://", 1)[1].split("/", 1)[0]


# --------------------------------------------------------------------------
# Decisions


def firewall(model, node, src, dst, proto, port, src_nat=False, dst_nat=False):
    """Whether node's policy admits a new flow src -> dst on (proto, port);
    src_nat, dst_nat: that end is a NAT standing for the real one."""
    policy = model.node(node)["policy"]
    if policy is None:
        return True
    for r in policy["rules"]:
        if r["initiated"] == "to":
            continue
        if r["protocol"] != ANY and r["protocol"] != proto:
            continue
        if (r["lo"] or r["hi"]) and not (r["lo"] <= port <= r["hi"]):
            continue
        if model.matches(r["from"], src, src_nat) and model.matches(r["to"], dst, dst_nat):
            return r["action"] == "accept"
    return policy["default"] == "accept"


def ace_decision(model, device, policy, peer, proto, src_port, dst_port, device_initiated, peer_nat):
    """First matching ACE of the device's from-device or to-device policy; no match drops.
    A port of None is an ephemeral one, unknown: an ACE restricting it does not match."""
    for ace in model.node(device)["aces"]:
        if ace["policy"] != policy:
            continue
        if ace["protocol"] != ANY and ace["protocol"] != proto:
            continue
        if proto in PORTED:
            if any((lo or hi) and (p is None or not (lo <= p <= hi))
                   for (lo, hi), p in ((ace["src"], src_port), (ace["dst"], dst_port))):
                continue
        elif ace["src"] != (0, 0) or ace["dst"] != (0, 0):
            continue
        if proto == TCP and ace["initiated"] != "any":
            if (ace["initiated"] == "from-device") != device_initiated:
                continue
        if not model.mud_peer(ace, peer, device, peer_nat):
            continue
        return ace["action"] == "accept"
    return False


def mud_admits(model, device, peer, proto, device_port, device_initiated, peer_nat=False):
    """Both directions of a flow between a MUD device and a peer; device_port is
    the device's end of the flow's port (its service port, or the port it opens to)."""
    if device_initiated:
        out = ace_decision(model, device, "from-device", peer, proto, None, device_port, True, peer_nat)
        back = ace_decision(model, device, "to-device", peer, proto, device_port, None, True, peer_nat)
    else:
        out = ace_decision(model, device, "to-device", peer, proto, None, device_port, False, peer_nat)
        back = ace_decision(model, device, "from-device", peer, proto, device_port, None, False, peer_nat)
    return out and back


def nat_direction(model, path, links, i):
    """'in', 'out' or None: how the path crosses the NAT at inner node i."""
    nat = model.node(path[i])["nat"]
    if nat is None or i == 0 or i == len(path) - 1:
        return None
    came = links[i - 1][path[i]]
    goes = links[i][path[i]]
    if came == nat["outside"] and goes in nat["inside"]:
        return "in"
    if came in nat["inside"] and goes == nat["outside"]:
        return "out"
    return None


def mechanisms(model, nat_node, target, service, proto, port):
    """How a NAT lets an unsolicited flow to `target` on (proto, port) in:
    (class, upstream port, forward name) choices."""
    nat = model.node(nat_node)["nat"]
    out = []
    for f in nat["forwards"]:
        if f["to"] == target and f["internal"] == port and proto in (TCP, UDP) \
                and f["protocol"] in (ANY, proto):
            out.append((PORT_FORWARD, f["external"], f["name"]))
    if service is not None:
        t = service["traversal"]
        if (t == "upnp" and nat["upnp"]) or (t == "pcp" and nat["pcp"]):
            out.append((PINHOLE, port, None))
        elif t == "hole-punch" and proto == UDP:
            out.append((HOLE_PUNCHABLE if nat["filtering"] == FILTER_EI else REPLY_ONLY, port, None))
    return out


def evaluate(model, path, links, service, proto, port):
    """The best (class, entry node, entry port, via) of a flow from path[0] to
    path[-1] on (proto, port at the destination) along this path, or None."""
    src, dst = path[0], path[-1]
    k = len(path)
    dirs = [nat_direction(model, path, links, i) for i in range(k)]
    ins = [i for i in range(k) if dirs[i] == "in"]
    # apparent source at each node (before its own outbound NAT)
    app_src, cur = [], src
    for i in range(k):
        app_src.append(cur)
        if dirs[i] == "out":
            cur = path[i]
    dst_gw = model.gateways(dst) if model.node(dst)["aces"] else ()
    src_gw = model.gateways(src) if model.node(src)["aces"] else ()

    best = None
    # choices of mechanism at each inbound NAT, from the last to the first
    def assign(j, port_down, chosen):
        nonlocal best
        if j < 0:
            consider(port_down, list(reversed(chosen)))
            return
        i = ins[j]
        target = path[ins[j + 1]] if j + 1 < len(ins) else dst
        for cls, up, via in mechanisms(model, path[i], target, service, proto, port_down):
            chosen.append((i, cls, up, port_down, via))
            assign(j - 1, up, chosen)
            chosen.pop()

    def consider(entry_port, chosen):
        nonlocal best
        cls = DIRECT
        for _, c, _, _, _ in chosen:
            cls = min(cls, c)
        if best is not None and cls <= best[0]:
            return
        # destination and port as seen at each node, after its inbound NAT
        down = {i: (p_down, path[ins[n + 1]] if n + 1 < len(ins) else dst)
                for n, (i, _, _, p_down, _) in enumerate(chosen)}
        cur_dst = path[chosen[0][0]] if chosen else dst
        cur_port = entry_port
        for i in range(k):
            if i in down:
                cur_port, cur_dst = down[i]
            node = path[i]
            src_nat, dst_nat = app_src[i] != src, cur_dst != dst
            if not firewall(model, node, app_src[i], cur_dst, proto, cur_port, src_nat, dst_nat):
                return
            if node in dst_gw and not mud_admits(model, dst, app_src[i], proto, cur_port, False, src_nat):
                return
            if node in src_gw and not mud_admits(model, src, cur_dst, proto, cur_port, True, dst_nat):
                return
        entry = path[chosen[0][0]] if chosen else dst
        via = next((v for _, _, _, _, v in chosen if v is not None), None)
        best = (cls, entry, entry_port, via)

    assign(len(ins) - 1, port, [])
    return best


def breakpoints(model, path):
    """One port of every interval the rules and ACEs on the path separate."""
    points = {1}
    for n in path:
        d = model.node(n)
        if d["policy"]:
            for r in d["policy"]["rules"]:
                if r["lo"] or r["hi"]:
                    points.update((r["lo"], r["hi"] + 1))
        for ace in d["aces"]:
            for lo, hi in (ace["src"], ace["dst"]):
                if lo or hi:
                    points.update((lo, hi + 1))
    return sorted(p for p in points if 1 <= p <= 65535)


def opens_towards(model, path, links):
    """Whether path[-1] can open some flow towards path[0] along the path reversed."""
    rpath = path[::-1]
    rlinks = links[::-1]
    k = len(rpath)
    dirs = [nat_direction(model, rpath, rlinks, i) for i in range(k)]
    if "in" in dirs:
        return False
    device, peer = rpath[0], rpath[-1]
    dev_gw = model.gateways(device) if model.node(device)["aces"] else ()
    app_src, cur = [], device
    for i in range(k):
        app_src.append(cur)
        if dirs[i] == "out":
            cur = rpath[i]
    ports = breakpoints(model, rpath)
    for proto in (TCP, UDP, ICMP, SCTP):
        for port in (ports if proto in PORTED else [0]):
            ok = True
            for i in range(k):
                node = rpath[i]
                if not firewall(model, node, app_src[i], peer, proto, port, app_src[i] != device):
                    ok = False
                    break
                if node in dev_gw and not mud_admits(model, device, peer, proto, port, True):
                    ok = False
                    break
            if ok:
                return True
    return False


def simple_paths(model, source):
    """(path, links) for every simple path from source whose inner nodes are transit;
    links[i] maps the two ends of the i-th link to their interfaces."""
    g = model.graph
    stack = [(source, [source], [])]
    while stack:
        node, path, links = stack.pop()
        if len(path) > 1:
            yield path, links
            if not model.transit(node):
                continue
        on_path = set(path)
        nexts = []
        for _, v, data in g.edges(node, data=True):
            if v not in on_path:
                nexts.append((v, data["ifaces"]))
        for v, ifaces in reversed(nexts):
            stack.append((v, path + [v], links + [ifaces]))


def reach_internet(model):
    """Rows for everything the Internet can reach, ordered as iotnet_reach orders them."""
    sources = [n for n in model.order if model.is_a(model.node(n)["kind"], "internet")]
    best = {}      # (destination, service name) -> (class, -len, source, entry, port, via, path)
    host = {}      # destination -> (path length, source, path) of a reply-only path
    for source in sources:
        for path, links in simple_paths(model, source):
            dst = path[-1]
            if dst in sources:
                continue
            d = model.node(dst)
            found = False
            for s in d["services"]:
                r = evaluate(model, path, links, s, s["protocol"], s["port"])
                if r is None or r[0] <= REPLY_ONLY:
                    continue
                found = True
                key = (dst, s["name"])
                old = best.get(key)
                if old is None or (r[0], -len(path)) > (old[0], old[1]):
                    best[key] = (r[0], -len(path), source, r[1], r[2], r[3], path)
            if not found and dst not in host and opens_towards(model, path, links):
                host[dst] = (source, path)
    rows = []
    position = {n: i for i, n in enumerate(model.order)}
    with_service = {dst for dst, _ in best}
    for (dst, name), (cls, _, source, entry, eport, via, path) in best.items():
        svc = next(s for s in model.node(dst)["services"] if s["name"] == name)
        rows.append({
            "source": source, "destination": dst, "service": name,
            "protocol": PROTOCOL_NAMES.get(svc["protocol"], str(svc["protocol"])), "port": svc["port"],
            "exposure": EXPOSURES[cls], "entry_node": entry, "entry_port": eport, "via": via,
            "path": list(path),
        })
    for dst, (source, path) in host.items():
        if dst in with_service:
            continue
        rows.append({
            "source": source, "destination": dst, "service": None, "protocol": "any", "port": 0,
            "exposure": "reply-only", "entry_node": None, "entry_port": 0, "via": None,
            "path": list(path),
        })
    rows.sort(key=lambda r: (position[r["destination"]], PROTOCOLS.get(r["protocol"], 0), r["port"],
                             r["service"] or ""))
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
