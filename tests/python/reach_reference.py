"""A slow, obviously-correct reference of the reachability semantics of
libiotnet/include/iotnet/reach.h (with the MUD peers of mud.h), written from
those headers alone, to check the engine against.

It works on a plain description of a model (the dataclasses below) and does
everything by brute force: every simple path from the source to the
destination, every rule, NAT crossing and MUD entry on it, for every flow.

Rows are (destination, service name or None, protocol name, port, exposure
name), the fields the engine's rows are compared on.

How reach.h is read here. Where it leaves a choice, the choice is marked
AMBIGUOUS and listed in AMBIGUITIES (with those reach.h has since settled);
READINGS holds switches for other readings (all False is this module's
reading), so that a disagreement with an engine can be traced to one point.

Paths
  * A path is a sequence of links; it visits a node at most once; its inner
    nodes are of a forwarding kind or of kind internet (is-a). Two links
    between the same nodes give two paths (their interfaces may differ).
  * "internet" as a source means every node whose kind is-a internet,
    "zone:ID" every node of the zone; a lone source is not a destination,
    the nodes of a source set are destinations for each other (reach.h).
    A destination's class is the best over sources and paths.

At each inner node of a path (steps 1-4), and at both ends (their own
policy only):
  * The NAT crossing of an inner node N with NAT44 is read from the
    interfaces the path uses at N (the interface N's end of each link
    names): entering on the outside interface and leaving on an inside one
    is inbound; entering inside and leaving outside is outbound; inside to
    inside is plain, or a hairpin when N hairpins; any other combination (a
    link end without an interface, an interface the NAT does not name,
    outside to outside) is plain transit (AMBIGUOUS). The ends of a path
    never cross their own NAT.
  * Inbound: the traffic is addressed to N (apparent destination N, entry
    port x). N admits it by one mechanism and sends it on to T, the next NAT
    the path crosses inbound (or by hairpin), else the destination:
      port-forward   a forward of N with the flow's protocol (a forward of
                     protocol any matches tcp, udp and sctp), external port
                     x, to_node T; the port becomes the forward's internal
                     port (the external one when it has none). N's policy
                     must accept the translated flow.
      pinhole        T is the destination (AMBIGUOUS: a UPnP or PCP request
                     only reaches the NAT in front of the device, so chained
                     NATs give no pinhole), which declares the flow's service
                     with upnp traversal and N has upnp, or pcp and N has
                     pcp; the port stays x, the service's port.
      hole-punchable the destination declares the flow's service with
                     hole-punch traversal, the flow is UDP, and N filters
                     endpoint-independently; the port stays (AMBIGUOUS: a
                     mapping is taken as port-preserving). ADF/APDF NATs
                     admit nothing here: for their one peer it is a reply.
                     Chained EIF NATs all pass the mapping. Every NAT after
                     N on the path must keep the port.
    A mapping or pinhole exists only when the destination made it (reach.h,
    NAT state): for a mapping its UDP flow towards the path's source, back
    along the path, passes every node up to and including the outermost NAT
    the path enters from outside; for a pinhole its TCP (UPnP, any port) or
    udp/5351 (PCP) flow reaches the NAT in front of it, whose own policy for
    traffic to itself admits it.
    Pinholes and mappings are NAT state: N's own policy does not filter
    them (reach.h).
  * Hairpin (inside to inside, N hairpins): besides the plain crossing, the
    inside source may send to N's outside address and an external port x
    that a forward of N sends to T, as above; class port-forward. After N
    the source is N's outside address, as RFC 4787 REQ-9 has it (AMBIGUOUS:
    reach.h does not say).
  * The apparent destination at a node is the first NAT crossed inbound (or
    by hairpin) after it on the path, else the destination; the port seen
    there is that NAT's entry port, else the service port. At the NAT itself
    the firewall and MUD see the translated destination and port (step 1
    comes before steps 2 and 3).
  * Outbound: always admitted; at the nodes after N the apparent source is
    N. At N itself the firewall and MUD see the untranslated source (step 4
    comes after them).
  * Selectors and MUD peers match the apparent node. An apparent NAT node
    matches a CIDR only through the address of its outside interface; a node
    seen as itself matches through any of its interface addresses
    (AMBIGUOUS: not only the one it sends from). zone / node / kind /
    internet selectors match the apparent node by its own zone, id and kind.
  * Firewall: the first rule whose from, to, protocol (any matches all) and
    port range (0..0 any; else lo <= port <= hi; an ICMP flow has port 0)
    match, and whose initiated-by is not "to", decides; else the default
    action. reject and drop both stop the flow. Replies of an admitted flow
    pass every firewall (stateful).
  * The internet selector matches nodes whose kind is-a internet or
    cloud-service, and nodes in a zone whose kind is-a internet-zone or
    cloud-zone. MUD local-networks is every other node.

MUD
  * A device has a MUD profile when it has at least one ACE.
  * Its access gateways: a breadth-first search from the device (itself
    excluded) through nodes of a forwarding kind (not across the internet,
    reach.h); the first transit
    nodes with a policy or a NAT met, all of those at the smallest distance
    (reach.h). AMBIGUOUS: a device with a host policy is an enforcement point
    but no gateway, as no path crosses it.
  * At a gateway that is an inner node of the path, when the device is the
    flow's source or destination and the gateway sees the device's own
    address there (no NAT between them has translated it, reach.h), two
    packets are checked: the initiating one and the reply. From-device
    packets are matched against the from-device ACEs, to-device packets
    against the to-device ACEs, first match decides, no match drops. The peer
    is the apparent other end at the gateway. The opener's port is
    ephemeral: an ACE that restricts it matches only if it admits all of
    1024-65535 (reach.h). An ACE with direction-initiated from-device
    matches only the packets of flows the device opened, to-device only
    those of flows opened towards it. AMBIGUOUS: no MUD when the gateway is
    the flow's other end (the device talking to its own router).
  * Peers: manufacturer (the authority of a node's MUD URL), same-manufacturer
    (the device's authority), model (the MUD URL), local-networks, controller
    / my-controller (the string attribute "mud-controller", space-separated
    URIs), dnsname (the string attribute "dns-name", space-separated names),
    cidr (an interface address in the network, as for selectors), any.

Exposure and rows
  * A path's class is the least open mechanism any NAT on it used (direct
    when none did); a flow's class is the most open over sources, paths and
    mechanisms. When no path admits it and the destination can open some
    new flow (any protocol and port, probed on every port boundary of the
    model, any class) towards a source, the class is reply-only.
  * One row per declared service of each destination, or per destination
    for an asked flow ("tcp/443", naming the destination's service of that
    protocol and port if it declares one), of class reply-only or better
    (none too with include_unreachable). A destination that declares no
    service has one host row (service None, protocol any, port 0) whose
    class is the best over every flow.
"""

import ipaddress
import itertools
import urllib.parse
from collections import deque
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

__all__ = ["Interface", "Service", "Rule", "Policy", "PortForward", "Nat", "Ace", "Node",
           "Link", "Model", "Reference", "EXPOSURES", "AMBIGUITIES", "parse_service"]

#: exposure classes, least open first (index = rank)
EXPOSURES = ["none", "reply-only", "hole-punchable", "pinhole", "port-forward", "direct"]
NONE, REPLY_ONLY, HOLE_PUNCHABLE, PINHOLE, PORT_FORWARD, DIRECT = range(6)

PROTOCOLS = ("icmp", "tcp", "udp", "sctp")
PORTED = ("tcp", "udp", "sctp")
EPHEMERAL = None  # the opener's port: any of EPHEMERAL_RANGE
EPHEMERAL_RANGE = (1024, 65535)
PCP_PORT = 5351   # RFC 6887: where a NAT's PCP server listens

#: other readings of the points reach.h leaves open, to tell which one an
#: engine follows (all False is the reading this module defends)
READINGS = {
    "mud_at_ends": False,                # MUD also when the gateway is the flow's other end
    "hairpin_keeps_source": False,       # a hairpinned flow keeps its source address
    "nat_state_filtered": False,         # the NAT's policy filters pinholes and mappings too
    "gateway_through_internet": False,   # the MUD gateway search crosses internet nodes
    "pinhole_any_nat": False,            # UPnP/PCP pinholes at every NAT of the path
    "mud_real_endpoint": False,          # MUD also where a NAT hides the device's address
    "mud_source_real": False,            # ... but only for the device as the source
    "gateway_any_kind": False,           # a non-transit enforcement point can be a MUD gateway
    "reply_only_direct_only": False,     # reply-only needs a direct flow back, not a NAT mechanism
    "way_back_same_path": False,         # reply-only only by a flow back along the same path
}

#: where reach.h left a choice: (the point, how it is read here, "open" or
#: "settled" when reach.h has since said it)
AMBIGUITIES = [
    ("whether the source's and the destination's own policies apply",
     "yes, as the flow leaves and arrives", "settled"),
    ("how a NAT crossing is recognised",
     "by the interfaces the path's links name at the NAT; a link end without an interface, "
     "or outside to outside, is plain transit", "open"),
    ("whether the MUD gateway search goes across internet nodes", "no", "settled"),
    ("several equally near MUD gateways", "every one enforces", "settled"),
    ("whether a non-transit enforcement point (a device with a host policy) can be a MUD "
     "gateway", "no: no path crosses it", "open"),
    ("MUD when the gateway is the flow's other end (the device and its own router)",
     "not enforced: steps 1-4 are for the nodes a path crosses", "open"),
    ("MUD where a NAT between the device and its gateway has translated the device's "
     "address", "not enforced, for the device as source and as destination", "settled"),
    ("MUD peers of translated traffic", "the apparent node (the NAT), as for rules", "open"),
    ("the opener's ephemeral port in MUD ACEs", "must admit all of 1024-65535", "settled"),
    ("pinholes and mappings against the NAT's own policy", "NAT state, not filtered",
     "settled"),
    ("UPnP/PCP pinholes at a NAT that is not the one in front of the device (chained NATs)",
     "none", "open"),
    ("the port of a hole-punched mapping; hole punching over TCP; chained NATs",
     "port-preserving; UDP only; every EIF NAT on the path passes it", "open"),
    ("whether the device can actually open the session or reach the UPnP/PCP server that "
     "creates a mapping or pinhole (e.g. its outbound traffic dropped by a policy)",
     "yes: a mapping needs the device's UDP (any port) towards the other end out through every "
     "NAT the path enters from outside; a UPnP pinhole its TCP (any port), a PCP pinhole its "
     "udp/5351, to the NAT in front of it, that NAT's own policy included", "settled"),
    ("a mapping further out and a NAT further in",
     "the mapping holds the device's own port: every NAT after it must keep the port (its own "
     "mapping, or a forward with the same external and internal port)", "settled"),
    ("whether hairpinning also translates the source", "yes (RFC 4787 REQ-9)", "open"),
    ("CIDR selectors on a node seen as itself",
     "at the ends of the path, the address of the interface the path's link names there (any "
     "of the node's addresses when it names none); a NAT seen as itself in between: any", "settled"),
    ("whether the flow back that makes reply-only may use forwards, pinholes or mappings",
     "yes, any way", "settled"),
    ("'some flow' for reply-only", "any protocol (icmp, tcp, udp, sctp) and port", "open"),
    ("rows: a row per declared service of its own class, reply-only included; host rows "
     "only for destinations without services, of the best class over every flow",
     "as said", "settled"),
    ("whether a source is its own destination; several sources", "no; the nodes of a zone "
     "(and the internet nodes) are destinations for each other", "settled"),
    ("port forwards of protocol any", "match tcp, udp and sctp", "open"),
    ("a forward of an outer NAT naming the destination behind a further NAT",
     "does not count: a forward sends to the next NAT on the path or the destination",
     "open"),
]


# ---------------------------------------------------------------------------
# The description of a model


@dataclass
class Interface:
    name: str
    address: Optional[str] = None  # "a.b.c.d/len" or None


@dataclass
class Service:
    name: str
    protocol: str = "tcp"
    port: Optional[int] = None
    nat_traversal: str = "none"


@dataclass
class Rule:
    name: str
    from_: str = "any"
    to: str = "any"
    protocol: str = "any"
    ports: Optional[Tuple[int, int]] = None
    initiated_by: str = "any"
    action: str = "accept"


@dataclass
class Policy:
    default: str = "drop"
    rules: List[Rule] = field(default_factory=list)


@dataclass
class PortForward:
    name: str
    external_port: int
    to_node: str
    protocol: str = "tcp"
    internal_port: Optional[int] = None


@dataclass
class Nat:
    inside: List[str]
    outside: str
    mapping: str = "endpoint-independent"
    filtering: str = "address-and-port-dependent"
    hairpinning: bool = False
    upnp: bool = False
    pcp: bool = False
    cgnat: bool = False
    forwards: List[PortForward] = field(default_factory=list)


@dataclass
class Ace:
    acl: str
    name: str
    policy: str = "from-device"      # from-device / to-device
    peer: str = "any"
    peer_value: Optional[str] = None
    protocol: str = "any"
    src_ports: Optional[Tuple[int, int]] = None
    dst_ports: Optional[Tuple[int, int]] = None
    initiated: str = "any"           # any / from-device / to-device
    action: str = "accept"


@dataclass
class Node:
    id: str
    kind: str
    zone: Optional[str] = None
    vendor: Optional[str] = None
    mud_url: Optional[str] = None
    interfaces: List[Interface] = field(default_factory=list)
    services: List[Service] = field(default_factory=list)
    attributes: Dict[str, object] = field(default_factory=dict)
    policy: Optional[Policy] = None
    nat: Optional[Nat] = None
    mud: List[Ace] = field(default_factory=list)


@dataclass
class Link:
    id: str
    a: str
    b: str
    a_interface: Optional[str] = None
    b_interface: Optional[str] = None


@dataclass
class Model:
    kinds: Dict[str, Optional[str]]   # kind -> parent (node and zone kinds)
    zones: Dict[str, str]             # zone id -> zone kind
    nodes: Dict[str, Node]            # in table order
    links: List[Link]


def parse_service(text):
    """("tcp", 443) for "tcp/443", ("icmp", 0) for "icmp"."""
    proto, _, port = text.partition("/")
    return proto, int(port) if port else 0


def _ports_match(ports, port):
    if ports is None or tuple(ports) == (0, 0):
        return True
    if port is EPHEMERAL:   # an ephemeral port: the range must hold all of them
        return ports[0] <= EPHEMERAL_RANGE[0] and ports[1] >= EPHEMERAL_RANGE[1]
    return ports[0] <= port <= ports[1]


def _keeps_mapped_port(chain, port):
    """A mapping holds the device's own port: every crossing after one that
    used a mapping keeps the port it receives (entry port == port it sends on)."""
    for k, (_, mech) in enumerate(chain):
        if mech != HOLE_PUNCHABLE:
            continue
        for j in range(k + 1, len(chain)):
            out = chain[j + 1][0] if j + 1 < len(chain) else port
            if chain[j][0] != out:
                return False
    return True


def _dns_name(name):
    """A DNS name as it compares (RFC 4343, RFC 1034): without case, and
    without one trailing dot."""
    if name is None:
        return None
    if len(name) > 1 and name.endswith("."):
        name = name[:-1]
    return name.lower()


def _url_key(url):
    """A URL as it compares (RFC 3986 6.2.2.1): scheme and host without case,
    the rest as written."""
    if url is None:
        return None
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    netloc = parts.netloc
    if host:
        userinfo, at, hostport = netloc.rpartition("@")
        netloc = userinfo + at + hostport.lower()[:len(host)] + hostport[len(host):]
    return (parts.scheme.lower(), netloc, parts.path, parts.query, parts.fragment)


def _authority(url):
    if not url:
        return None
    host = urllib.parse.urlsplit(url).hostname
    return _dns_name(host) if host else None


def _words(value):
    return value.split() if isinstance(value, str) else []


# ---------------------------------------------------------------------------
# The reference


class _Path:
    """One simple path: nodes, and at each inner node the NAT crossing."""
    __slots__ = ("nodes", "crossing", "inbound", "hairpins", "outbound", "src_if", "dst_if",
                 "ins", "outs")

    def __init__(self, nodes, crossing, src_if=None, dst_if=None, ins=(), outs=()):
        self.nodes = nodes          # node ids, source first
        self.ins, self.outs = list(ins), list(outs)   # interfaces each node uses (paths_from)
        # the interfaces the path leaves the source and reaches the
        # destination by (False: the link names none): CIDR selectors see
        # the address there (reach.h)
        self.src_if = src_if or False
        self.dst_if = dst_if or False
        self.crossing = crossing    # per index: None (no NAT) / "in" / "out" / "hairpin"
        self.inbound = [i for i, c in enumerate(crossing) if c == "in"]
        self.hairpins = [i for i, c in enumerate(crossing) if c == "hairpin"]
        self.outbound = [i for i, c in enumerate(crossing) if c == "out"]


class Reference:
    """Reachability of one model, by brute force."""

    def __init__(self, model):
        self.m = model
        self.nodes = model.nodes
        self._isa = {}
        self.adj = {n: [] for n in model.nodes}   # node -> [(neighbour, my_if, its_if)]
        for link in model.links:
            self.adj[link.a].append((link.b, link.a_interface, link.b_interface))
            self.adj[link.b].append((link.a, link.b_interface, link.a_interface))
        self._paths = {}
        self._gateways = {}
        self._initiate = {}
        self._exposure = {}
        self._probes = None
        self._cidr = {}

    # ---- kinds and selectors ---------------------------------------------

    def is_a(self, kind, ancestor):
        key = (kind, ancestor)
        hit = self._isa.get(key)
        if hit is None:
            k, hit = kind, False
            while k is not None:
                if k == ancestor:
                    hit = True
                    break
                k = self.m.kinds.get(k)
            self._isa[key] = hit
        return hit

    def transit(self, n):
        kind = self.nodes[n].kind
        return self.is_a(kind, "forwarding") or self.is_a(kind, "internet")

    def forwarding(self, n):
        return self.is_a(self.nodes[n].kind, "forwarding")

    def enforcing(self, n):
        node = self.nodes[n]
        return node.policy is not None or node.nat is not None

    def internet_side(self, n):
        node = self.nodes[n]
        if self.is_a(node.kind, "internet") or self.is_a(node.kind, "cloud-service"):
            return True
        if node.zone is not None:
            zk = self.m.zones.get(node.zone)
            if zk and (self.is_a(zk, "internet-zone") or self.is_a(zk, "cloud-zone")):
                return True
        return False

    def addresses(self, n, as_nat):
        """The IPv4 addresses a node is matched by: only its NAT's outside
        interface when it stands for translated traffic (as_nat True); only
        the interface the path uses at an end of the path (as_nat that
        interface's name, when the node has it); else any of them."""
        node = self.nodes[n]
        names = {i.name for i in node.interfaces}
        only = node.nat.outside if as_nat is True else \
            as_nat if isinstance(as_nat, str) and as_nat in names else None
        out = []
        for iface in node.interfaces:
            if iface.address is None:
                continue
            if only is not None and iface.name != only:
                continue
            out.append(ipaddress.ip_interface(iface.address).ip)
        return out

    def in_cidr(self, n, as_nat, cidr):
        key = (n, as_nat, cidr)
        hit = self._cidr.get(key)
        if hit is None:
            net = ipaddress.ip_network(cidr, strict=False)
            hit = self._cidr[key] = any(a in net for a in self.addresses(n, as_nat))
        return hit

    def selector_match(self, sel, n, as_nat):
        kind, _, value = sel.partition(":")
        if kind == "any":
            return True
        if kind == "internet":
            return self.internet_side(n)
        if kind == "zone":
            return self.nodes[n].zone == value
        if kind == "node":
            return n == value
        if kind == "kind":
            return self.is_a(self.nodes[n].kind, value)
        if kind == "cidr":
            return self.in_cidr(n, as_nat, value)
        raise ValueError("unknown selector %r" % sel)

    # ---- paths -------------------------------------------------------------

    def paths_from(self, src):
        """{destination: [_Path]} for every simple path from src."""
        cached = self._paths.get(src)
        if cached is not None:
            return cached
        out = {}
        nodes, ins, outs = [src], [None], []   # ins[i] / outs[i]: interfaces nodes[i] uses

        def visit(v):
            for nb, my_if, its_if in self.adj[v]:
                if nb in nodes:
                    continue
                nodes.append(nb)
                ins.append(its_if)
                outs.append(my_if)
                out.setdefault(nb, []).append(self._make_path(nodes, ins, outs))
                if self.transit(nb):
                    visit(nb)
                nodes.pop()
                ins.pop()
                outs.pop()

        visit(src)
        self._paths[src] = out
        return out

    def _make_path(self, nodes, ins, outs):
        crossing = [None] * len(nodes)
        for i in range(1, len(nodes) - 1):
            nat = self.nodes[nodes[i]].nat
            if nat is None:
                continue
            came, left = ins[i], outs[i]
            inside = set(nat.inside)
            if came == nat.outside and left in inside:
                crossing[i] = "in"
            elif came in inside and left == nat.outside:
                crossing[i] = "out"
            elif came in inside and left in inside and nat.hairpinning:
                crossing[i] = "hairpin"
        return _Path(list(nodes), crossing, outs[0], ins[-1], ins, outs)

    # ---- MUD -----------------------------------------------------------------

    def gateways(self, device):
        hit = self._gateways.get(device)
        if hit is not None:
            return hit
        seen, frontier, found = {device}, [device], set()
        while frontier and not found:
            nxt = []
            for v in frontier:
                for nb, _, _ in self.adj[v]:
                    if nb in seen:
                        continue
                    seen.add(nb)
                    if self.enforcing(nb) and (self.transit(nb) or READINGS["gateway_any_kind"]):
                        found.add(nb)
                    elif self.forwarding(nb) or (READINGS["gateway_through_internet"]
                                                 and self.transit(nb)):
                        nxt.append(nb)
            frontier = nxt
        self._gateways[device] = found
        return found

    def peer_match(self, ace, device, n, as_nat):
        peer, value = ace.peer, ace.peer_value
        node = self.nodes[n]
        if peer == "any":
            return True
        if peer == "cidr":
            return self.in_cidr(n, as_nat, value)
        if peer == "dnsname":
            return _dns_name(value) in {_dns_name(w) for w in _words(node.attributes.get("dns-name"))}
        if peer == "manufacturer":
            return _authority(node.mud_url) is not None and _authority(node.mud_url) == _dns_name(value)
        if peer == "same-manufacturer":
            mine = _authority(self.nodes[device].mud_url)
            return mine is not None and _authority(node.mud_url) == mine
        if peer == "model":
            return node.mud_url is not None and _url_key(node.mud_url) == _url_key(value)
        if peer == "local-networks":
            return not self.internet_side(n)
        if peer == "controller":
            return _url_key(value) in {_url_key(w) for w in _words(node.attributes.get("mud-controller"))}
        if peer == "my-controller":
            url = self.nodes[device].mud_url
            return url is not None and \
                _url_key(url) in {_url_key(w) for w in _words(node.attributes.get("mud-controller"))}
        raise ValueError("unknown MUD peer %r" % peer)

    def mud_packet(self, device, direction, peer, peer_nat, proto, sport, dport, opened_by_device):
        for ace in self.nodes[device].mud:
            if ace.policy != direction:
                continue
            if ace.protocol != "any" and ace.protocol != proto:
                continue
            if not _ports_match(ace.src_ports, sport) or not _ports_match(ace.dst_ports, dport):
                continue
            if ace.initiated == "from-device" and not opened_by_device:
                continue
            if ace.initiated == "to-device" and opened_by_device:
                continue
            if not self.peer_match(ace, device, peer, peer_nat):
                continue
            return ace.action == "accept"
        return False

    def mud_admits(self, device, is_source, peer, peer_nat, proto, port):
        """Both packets of a flow of `device` (its source or its destination)
        with `peer` on destination port `port`."""
        if is_source:
            first = self.mud_packet(device, "from-device", peer, peer_nat, proto, EPHEMERAL, port,
                                    True)
            return first and self.mud_packet(device, "to-device", peer, peer_nat, proto, port,
                                              EPHEMERAL, True)
        first = self.mud_packet(device, "to-device", peer, peer_nat, proto, EPHEMERAL, port, False)
        return first and self.mud_packet(device, "from-device", peer, peer_nat, proto, port,
                                          EPHEMERAL, False)

    # ---- one flow on one path ----------------------------------------------

    def policy_admits(self, n, src, src_nat, dst, dst_nat, proto, port):
        policy = self.nodes[n].policy
        if policy is None:
            return True
        for rule in policy.rules:
            if rule.initiated_by == "to":
                continue
            if rule.protocol != "any" and rule.protocol != proto:
                continue
            if not _ports_match(rule.ports, port):
                continue
            if not self.selector_match(rule.from_, src, src_nat):
                continue
            if not self.selector_match(rule.to, dst, dst_nat):
                continue
            return rule.action == "accept"
        return policy.default == "accept"

    def service_of(self, n, proto, port):
        for svc in self.nodes[n].services:
            if svc.protocol == proto and (svc.port or 0) == port:
                return svc
        return None

    def _chains(self, path, dnat, proto, port, svc):
        """Every way the NATs at the path indexes `dnat` (inbound or hairpin
        crossings, in path order) can carry the flow to the destination's
        `port`: lists of (entry port, mechanism class) per crossing."""
        dst = path.nodes[-1]

        def options(k, y):
            i = dnat[k]
            nat = self.nodes[path.nodes[i]].nat
            target = path.nodes[dnat[k + 1]] if k + 1 < len(dnat) else dst
            found = []
            for f in nat.forwards:
                proto_ok = f.protocol == proto or (f.protocol == "any" and proto in PORTED)
                if proto_ok and f.to_node == target and (f.internal_port or f.external_port) == y:
                    found.append((f.external_port, PORT_FORWARD))
            if path.crossing[i] == "in" and svc is not None and y == port:
                # a UPnP/PCP request reaches the NAT in front of the device only
                if (target == dst or READINGS["pinhole_any_nat"]) and \
                        ((svc.nat_traversal == "upnp" and nat.upnp) or
                         (svc.nat_traversal == "pcp" and nat.pcp)) and \
                        self.request_reaches(path, i, svc.nat_traversal):
                    found.append((y, PINHOLE))
                if svc.nat_traversal == "hole-punch" and proto == "udp" and \
                        nat.filtering == "endpoint-independent" and self.udp_out(path):
                    found.append((y, HOLE_PUNCHABLE))
            return found

        def walk(k, y):
            if k < 0:
                yield []
                return
            for x, mech in options(k, y):
                for rest in walk(k - 1, x):
                    yield rest + [(x, mech)]

        return walk(len(dnat) - 1, port)

    def path_class(self, path, proto, port, first_hairpins_only=False):
        """The path's class for the flow; first_hairpins_only: hairpin only
        at NATs with no other NAT crossed before them (the way back of
        reach.h)."""
        nodes = path.nodes
        src, dst = nodes[0], nodes[-1]
        svc = self.service_of(dst, proto, port)
        inbound, hairpins, outbound = path.inbound, path.hairpins, path.outbound
        if first_hairpins_only:
            crossed = [i for i, c in enumerate(path.crossing) if c in ("in", "out")]
            hairpins = [h for h in hairpins if not crossed or h < min(crossed)]
        muds = [(d, d == src) for d in (src, dst) if self.nodes[d].mud]
        best = NONE
        for chosen in itertools.product((False, True), repeat=len(hairpins)):
            dnat = sorted(inbound + [h for h, on in zip(hairpins, chosen) if on])
            for chain in self._chains(path, dnat, proto, port, svc):
                cls = min([DIRECT] + [mech for _, mech in chain])
                if cls <= best or not _keeps_mapped_port(chain, port):
                    continue
                # a hairpinned packet leaves with the NAT's external address
                # as its source (RFC 4787 REQ-9), like an outbound one
                snat = outbound if READINGS["hairpin_keeps_source"] else \
                    sorted(outbound + [h for h, on in zip(hairpins, chosen) if on])
                if self._admits(path, dnat, chain, snat, muds, proto, port):
                    best = cls
                    if best == DIRECT:
                        return best
        return best

    def _admits(self, path, dnat, chain, outbound, muds, proto, port):
        nodes = path.nodes
        src, dst = nodes[0], nodes[-1]
        # pinholes and hole-punched mappings are NAT state the NAT's own policy does not filter
        nat_state = {j for j, (_, mech) in zip(dnat, chain) if mech in (PINHOLE, HOLE_PUNCHABLE)}
        last = len(nodes) - 1
        for i, n in enumerate(nodes):
            # the apparent source: the last outbound NAT before i
            a_src, s_nat = src, path.src_if
            for j in outbound:
                if j < i:
                    a_src, s_nat = nodes[j], True
            # the apparent destination: the first inbound / hairpin NAT after i
            a_dst, d_nat, a_port = dst, path.dst_if, port
            for k, j in enumerate(dnat):
                if j > i:
                    a_dst, d_nat, a_port = nodes[j], True, chain[k][0]
                    break
            if (i not in nat_state or READINGS["nat_state_filtered"]) and \
                    not self.policy_admits(n, a_src, s_nat, a_dst, d_nat, proto, a_port):
                return False
            if (i == 0 or i == last) and not READINGS["mud_at_ends"]:
                continue    # MUD is enforced where the path crosses a gateway, not at its ends
            for device, is_source in muds:
                if n in self.gateways(device):
                    # the gateway matches the device's ACLs on the device's own
                    # address: not on traffic a NAT between them has translated
                    if not READINGS["mud_real_endpoint"] and \
                            (a_src if is_source else a_dst) != device and \
                            not (is_source and READINGS["mud_source_real"]):
                        continue
                    if is_source:
                        ok = self.mud_admits(device, True, a_dst, d_nat, proto, a_port)
                    else:
                        ok = self.mud_admits(device, False, a_src, s_nat, proto, a_port)
                    if not ok:
                        return False
        return True

    # ---- NAT state the destination makes ------------------------------------

    def _opens(self, device, far, to, to_nat, stretch, path, proto, port):
        """Whether a flow `device` (the path's destination) opens towards
        `to` passes its own policy and the path's nodes at the indexes
        `stretch` (walked from the device back): policies with the apparent
        source (the device, or the last NAT it left through), MUD of the
        device while untranslated and of `far` where addressed to it."""
        nodes = path.nodes
        if not self.policy_admits(device, device, path.dst_if, to, to_nat, proto, port):
            return False
        for j in stretch:
            n = nodes[j]
            left = [k for k in path.inbound if k > j]
            a_src, s_nat = (nodes[min(left)], True) if left else (device, path.dst_if)
            if not self.policy_admits(n, a_src, s_nat, to, to_nat, proto, port):
                return False
            if self.nodes[device].mud and n in self.gateways(device) and a_src == device and \
                    not self.mud_admits(device, True, to, to_nat, proto, port):
                return False
            if far is not None and self.nodes[far].mud and n in self.gateways(far) and \
                    to == far and to_nat is not True and \
                    not self.mud_admits(far, False, a_src, s_nat, proto, port):
                return False
        return True

    def udp_out(self, path):
        """Whether the destination can send UDP out through every NAT the
        path enters from outside, towards the path's source."""
        if not path.inbound:
            return True
        stop, last = min(path.inbound), len(path.nodes) - 1
        if any(j > stop for j in path.outbound):
            return False    # it would have to enter a NAT from outside on the way
        to, to_nat = path.nodes[0], path.src_if
        if path.outbound:
            to, to_nat = path.nodes[max(path.outbound)], True
        stretch = range(last - 1, stop - 1, -1)
        return any(self._opens(path.nodes[-1], path.nodes[0], to, to_nat, stretch, path, "udp", p)
                   for proto, p in self.probes() if proto == "udp")

    def request_reaches(self, path, i, traversal):
        """Whether the destination's UPnP (TCP, any port) or PCP (udp/5351)
        request reaches the NAT at path index i, in front of it."""
        nodes, last = path.nodes, len(path.nodes) - 1
        if any(c in ("in", "out") for c in path.crossing[i + 1:last]):
            return False
        nat, device = nodes[i], nodes[-1]
        flows = [("udp", PCP_PORT)] if traversal == "pcp" else \
            [(proto, p) for proto, p in self.probes() if proto == "tcp"]
        stretch = range(last - 1, i, -1)
        return any(self._opens(device, None, nat, False, stretch, path, proto, p) and
                   self.policy_admits(nat, device, path.dst_if, nat, False, proto, p)
                   for proto, p in flows)

    def exposure(self, src, dst, proto, port):
        """The best class of new flows (protocol, port) from src to dst,
        over paths (NONE when no path admits it; never REPLY_ONLY)."""
        key = (src, dst, proto, port)
        hit = self._exposure.get(key)
        if hit is None:
            hit = NONE
            for path in self.paths_from(src).get(dst, ()):
                hit = max(hit, self.path_class(path, proto, port))
                if hit == DIRECT:
                    break
            self._exposure[key] = hit
        return hit

    # ---- reply-only ----------------------------------------------------------

    def probes(self):
        """(protocol, port) flows covering every port boundary of the model."""
        if self._probes is None:
            ports = {1, 65535}

            def add_range(r):
                if r is not None and tuple(r) != (0, 0):
                    ports.update((r[0] - 1, r[0], r[1], r[1] + 1))

            for node in self.nodes.values():
                for svc in node.services:
                    if svc.port:
                        ports.add(svc.port)
                if node.policy:
                    for rule in node.policy.rules:
                        add_range(rule.ports)
                if node.nat:
                    for f in node.nat.forwards:
                        ports.add(f.external_port)
                        if f.internal_port:
                            ports.add(f.internal_port)
                for ace in node.mud:
                    add_range(ace.src_ports)
                    add_range(ace.dst_ports)
            ports = sorted(p for p in ports if 1 <= p <= 65535)
            self._probes = [("icmp", 0)] + [(proto, p) for proto in PORTED for p in ports]
        return self._probes

    def reversed_path(self, path):
        """The same path walked from its destination back to its source."""
        n = len(path.nodes)
        ins = [None] + [path.outs[n - 1 - j] for j in range(1, n)]
        outs = [path.ins[n - 1 - j] for j in range(n - 1)]
        return self._make_path(path.nodes[::-1], ins, outs)

    def can_answer_along(self, path):
        """Whether the path's destination can open some new flow to its
        source along the same path backwards (READINGS way_back_same_path)."""
        back = self.reversed_path(path)
        return any(self.path_class(back, proto, port, first_hairpins_only=True) > NONE
                   for proto, port in self.probes())

    def can_initiate(self, a, b):
        """Whether a can open some new flow towards b."""
        key = (a, b)
        hit = self._initiate.get(key)
        if hit is None:
            hit = False
            if self.paths_from(a).get(b):
                floor = PORT_FORWARD if READINGS["reply_only_direct_only"] else NONE
                hit = any(self.exposure(a, b, proto, port) > floor
                          for proto, port in self.probes())
            self._initiate[key] = hit
        return hit

    def _answers(self, d, srcs):
        """Whether d can open a flow towards one of the sources: along any
        path, or (way_back_same_path) back along a path they reach it by."""
        if READINGS["way_back_same_path"]:
            return any(self.can_answer_along(p) for s in srcs for p in self.paths_from(s).get(d, ()))
        return any(self.can_initiate(d, s) for s in srcs)

    # ---- rows ------------------------------------------------------------------

    def sources(self, spec):
        if spec == "internet":
            return [n for n, node in self.nodes.items() if self.is_a(node.kind, "internet")]
        if spec.startswith("zone:"):
            zone = spec[5:]
            return [n for n, node in self.nodes.items() if node.zone == zone]
        if spec not in self.nodes:
            raise KeyError(spec)
        return [spec]

    def reach(self, source, dst=None, service=None, include_unreachable=False):
        """Rows (destination, service, protocol, port, exposure) as a set."""
        all_srcs = self.sources(source)
        # a lone source is not its own destination; the nodes of a zone (or
        # the internet nodes) are destinations for each other
        if dst is None:
            dsts = list(self.nodes)
        elif dst.startswith("zone:"):
            dsts = self.sources(dst)
        else:
            dsts = [dst]
        asked = parse_service(service) if service is not None else None
        rows = set()
        for d in dsts:
            srcs = [s for s in all_srcs if s != d]
            if not srcs:
                continue
            if asked is not None:
                svc = self.service_of(d, *asked)
                flows = [(svc.name if svc else None, asked[0], asked[1])]
            elif self.nodes[d].services:
                flows = [(s.name, s.protocol, s.port or 0) for s in self.nodes[d].services]
            else:
                flows = [(None, "any", 0)]     # the host row: any flow at all
            for name, proto, port in flows:
                if proto == "any":
                    cls = max([NONE] + [self.exposure(s, d, pr, po) for s in srcs
                                        for pr, po in self.probes()])
                else:
                    cls = max([NONE] + [self.exposure(s, d, proto, port) for s in srcs])
                if cls == NONE and self._answers(d, srcs):
                    cls = REPLY_ONLY
                if cls > NONE or include_unreachable:
                    rows.add((d, name, proto, port, EXPOSURES[cls]))
        return rows
