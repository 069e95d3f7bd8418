"""The Network: a model you build, load, change, compare and save."""

import contextlib
import os

from . import comply, enums, findings, mud, reach
from . import findings as findings_module
from ._ffi import CArgs, boolean, ffi, input_bytes, integer, lib, real, text
from .errors import ClosedError, IotnetError, check
from .library import data_dir
from .values import Interface, Lifecycle, Nat, PortForward, Rule, Service, attributes_to_c, \
    coerce
from .owned import Owned
from .views import TABLES, Conduit, ElementMap, Link, Node, Zone, _View, find, id_of

__all__ = ["Network", "load", "loads", "yang_dir"]

_FORMATS = {None: lib.IOTNET_FORMAT_AUTO, "auto": lib.IOTNET_FORMAT_AUTO,
            "json": lib.IOTNET_FORMAT_JSON, "xml": lib.IOTNET_FORMAT_XML}
_EXPORTS = {"graphml": lib.IOTNET_EXPORT_GRAPHML, "dot": lib.IOTNET_EXPORT_DOT,
            "svg": lib.IOTNET_EXPORT_SVG}


def yang_dir():
    """The directory of the bundled YANG modules: yang/ of the data
    directory (the package's own, see iotnet.data_dir())."""
    return os.path.join(data_dir(), "yang")


def _format(value, choices=_FORMATS):
    if value is not None and not isinstance(value, str):
        raise TypeError("format must be a str, not %s" % type(value).__name__)
    try:
        return choices[value.lower() if value else value]
    except KeyError:
        names = ", ".join(repr(k) for k in choices if k)
        raise ValueError("unknown format %r (expected one of: %s)" % (value, names)) from None


def _joined_yang_path(yang_path):
    """A ':'-separated str from a str, a path or a list of them (or None)."""
    if yang_path is not None and not isinstance(yang_path, (str, bytes, os.PathLike)):
        yang_path = os.pathsep.join(os.fsdecode(p) for p in yang_path)
    return yang_path or None


def _load_options(args, format, yang_path=None, max_bytes=None):
    opts = args.new("iotnet_load_options *")
    opts.version = lib.IOTNET_LOAD_OPTIONS_VERSION
    opts.format = _format(format)
    yang_path = _joined_yang_path(yang_path)
    opts.yang_path = args.path(yang_path, "yang_path") if yang_path else ffi.NULL
    opts.max_bytes = 0 if max_bytes is None else integer(max_bytes, "max_bytes", 1, 2 ** 63)
    return opts


def _save_options(args, format, yang_path=None):
    opts = args.new("iotnet_save_options *")
    opts.version = lib.IOTNET_SAVE_OPTIONS_VERSION
    opts.format = _format(format)
    yang_path = _joined_yang_path(yang_path)
    opts.yang_path = args.path(yang_path, "yang_path") if yang_path else ffi.NULL
    return opts


def load(path, format=None, yang_path=None, max_bytes=None):
    """Load a topology file (JSON per RFC 7951 or XML, validated against the
    iotnet-topology YANG module) into a new Network.

    format: None (from the file name, else the content), "json" or "xml".
    yang_path: extra directories (a list, or a ':'-separated str) with YANG
    modules that extend the kind vocabulary. max_bytes: refuse larger files.
    Raises ParseError, ValidationError (with .file, .line, .path), FileError...
    """
    args = CArgs()
    c_path = args.path(path)
    opts = _load_options(args, format, yang_path, max_bytes)
    out = ffi.new("iotnet_net **")
    check(lib.iotnet_net_load(out, c_path, opts))
    return Network._adopt(out[0], yang_path)


def loads(data, format=None, name="<string>", yang_path=None, max_bytes=None):
    """Load a topology from a str or bytes; `name` labels it in errors."""
    data = input_bytes(data)
    args = CArgs()
    c_name = args.string(name, "name")
    opts = _load_options(args, format, yang_path, max_bytes)
    out = ffi.new("iotnet_net **")
    check(lib.iotnet_net_load_data(out, data, len(data), c_name, opts))
    return Network._adopt(out[0], yang_path)


def _take_string(out):
    """The text of a char* the library returned as the caller's, freed."""
    try:
        return text(out[0])
    finally:
        lib.iotnet_string_free(out[0])


class Network(Owned):
    """A network model: zones, conduits, nodes, links, policies and NAT.

    Build one with the add_* methods, or load() a topology file. The model's
    memory is freed when the Network is garbage-collected, or at once by
    close() (or leaving a `with` block); a closed Network raises ClosedError.
    """

    def __init__(self, name=None, yang_path=None):
        """yang_path: directories with the YANG modules that define kinds you
        add with add_kind(), so that save() can write them."""
        self._yang_path = _joined_yang_path(yang_path)
        args = CArgs()
        c_name = args.string(name, "name", optional=True)
        out = ffi.new("iotnet_net **")
        check(lib.iotnet_net_new(out))
        self._attach(out[0])
        if name is not None:
            self._set_name(c_name)

    @classmethod
    def _adopt(cls, raw, yang_path=None):
        net = cls.__new__(cls)
        net._yang_path = _joined_yang_path(yang_path)
        net._attach(raw)
        return net

    def _attach(self, raw):
        self._own(raw, lib.iotnet_net_free)

    _what = "network"

    # ---- whole model --------------------------------------------------------

    @property
    def name(self):
        """The model's name (a free label), or None."""
        with self._use() as p:
            return text(lib.iotnet_net_name(p))

    @name.setter
    def name(self, value):
        self._set_name(CArgs().string(value, "name", optional=True))

    def _set_name(self, c_name):
        with self._use() as p:
            check(lib.iotnet_net_set_name(p, c_name))

    @property
    def zones(self):
        """The zones by id (a Mapping of Zone views)."""
        return ElementMap(self, "zone", Zone)

    @property
    def conduits(self):
        return ElementMap(self, "conduit", Conduit)

    @property
    def nodes(self):
        return ElementMap(self, "node", Node)

    @property
    def links(self):
        return ElementMap(self, "link", Link)

    def __len__(self):
        """The number of nodes."""
        with self._use() as p:
            return lib.iotnet_node_count(p)

    def __iter__(self):
        """The nodes (views)."""
        return iter(self.nodes.values())

    def __contains__(self, node_id):
        return node_id in self.nodes

    @contextlib.contextmanager
    def _use_pair(self, other):
        first, second = sorted((self, other), key=id)
        with first._use(), second._use():
            yield self._ptr, other._ptr

    def __eq__(self, other):
        """Same content: elements, fields, services, attributes, policies, NAT."""
        if not isinstance(other, Network):
            return NotImplemented
        return self.difference(other) is None

    __hash__ = None

    def difference(self, other):
        """None when both models are equal, else a message naming the first
        difference."""
        if not isinstance(other, Network):
            raise TypeError("can only compare with a Network, not %s" % type(other).__name__)
        with self._use_pair(other) as (a, b):
            why = ffi.new("char **")
            if check(lib.iotnet_net_equal(a, b, why)):
                return None
            return _take_string(why) or "the models differ"

    def reserve(self, nodes=0, links=0):
        """Make room for this many more nodes and links before a bulk build,
        so the tables do not grow on the way. Optional."""
        nodes = integer(nodes, "nodes", 0, 2 ** 32 - 1)
        links = integer(links, "links", 0, 2 ** 32 - 1)
        with self._use() as p:
            check(lib.iotnet_net_reserve(p, nodes, links))

    def memory(self):
        """Approximate bytes held by the model's tables."""
        with self._use() as p:
            return lib.iotnet_net_memory(p)

    def __repr__(self):
        with self._lock:
            if self._ptr is None:
                return "<iotnet.Network (closed)>"
            p = self._ptr
            name = text(lib.iotnet_net_name(p))
            return "<iotnet.Network%s: %d zones, %d nodes, %d links>" % (
                " %r" % name if name else "", lib.iotnet_zone_count(p),
                lib.iotnet_node_count(p), lib.iotnet_link_count(p))

    # ---- kinds --------------------------------------------------------------

    def add_kind(self, name, parent):
        """Register a kind below an existing one (e.g. add_kind("doorbell",
        "camera")). KindError when parent is unknown."""
        args = CArgs()
        c_name, c_parent = args.string(name, "kind"), args.string(parent, "parent")
        with self._use() as p:
            check(lib.iotnet_kind_add(p, ffi.NULL, c_name, c_parent))

    def kind_is_a(self, kind, ancestor):
        """Whether `kind` is `ancestor` or derives from it (KindError when
        either is unknown)."""
        args = CArgs()
        c_kind, c_ancestor = args.string(kind, "kind"), args.string(ancestor, "ancestor")
        with self._use() as p:
            return bool(check(lib.iotnet_kind_is(p, c_kind, c_ancestor)))

    @property
    def kinds(self):
        """{kind: parent kind or None} for every registered kind."""
        with self._use() as p:
            out = {}
            for k in range(lib.iotnet_kind_count(p)):
                parent = lib.iotnet_kind_parent(p, k)
                out[text(lib.iotnet_kind_name(p, k))] = (
                    None if parent == lib.IOTNET_NONE else text(lib.iotnet_kind_name(p, parent)))
            return out

    # ---- building -----------------------------------------------------------

    def _add_with_extras(self, add, undo, extras):
        """Add an element, then its extras (attributes, services...); if an
        extra fails the element is removed again, so nothing half-built stays."""
        with self._use() as p:
            index = ffi.new("iotnet_index *")
            check(add(p, index))
            try:
                for extra in extras:
                    check(extra(p, index[0]))
            except BaseException:
                undo(p, index[0])
                raise
        return index[0]

    @staticmethod
    def _attribute_setters(entity, attributes):
        return [lambda p, i, k=key, v=value: lib.iotnet_attr_set(p, entity, i, k, v)
                for key, value in attributes]

    def add_zone(self, id, kind, description=None, purdue_level=None, target_sl=None,
                 target_sl_fr=None, attributes=None):
        """Add a zone of a zone kind ("home-lan", "control"...).

        purdue_level: 0..5 in tenths (3.5 for an industrial DMZ). target_sl: IEC 62443
        target security level 1..4; target_sl_fr: {FR number 1..7: level}.
        """
        args = CArgs()
        spec = args.new("iotnet_zone_spec *")
        spec.version = lib.IOTNET_ZONE_SPEC_VERSION
        spec.id = args.string(id, "zone id")
        spec.kind = args.string(kind, "zone kind")
        spec.description = args.string(description, "description", optional=True)
        spec.purdue_level = -1.0 if purdue_level is None else real(purdue_level, "purdue_level",
                                                                   0, 5)
        spec.target_sl = 0 if target_sl is None else integer(target_sl, "target_sl", 1, 4)
        for fr, level in _security_levels(target_sl_fr).items():
            spec.target_sl_fr[fr - 1] = level
        attrs = attributes_to_c(attributes, "attributes", args)
        self._add_with_extras(lambda p, out: lib.iotnet_zone_add(p, out, spec),
                              lib.iotnet_zone_remove,
                              self._attribute_setters(lib.IOTNET_ENTITY_ZONE, attrs))
        return Zone(self, id)

    def add_conduit(self, id, from_zone, to_zone, services=(), bidirectional=False,
                    description=None):
        """Declare a conduit: flows from one zone to another on some services
        ("tcp/502", "udp/47808", "tcp/8000-8100", "icmp"; none means any)."""
        args = CArgs()
        spec = args.new("iotnet_conduit_spec *")
        spec.version = lib.IOTNET_CONDUIT_SPEC_VERSION
        spec.id = args.string(id, "conduit id")
        spec.from_zone = args.string(id_of(from_zone, "from_zone"), "from_zone")
        spec.to_zone = args.string(id_of(to_zone, "to_zone"), "to_zone")
        spec.services = args.words(services, "services")
        if not isinstance(bidirectional, bool):
            raise TypeError("bidirectional must be a bool")
        spec.bidirectional = bidirectional
        spec.description = args.string(description, "description", optional=True)
        with self._use() as p:
            check(lib.iotnet_conduit_add(p, ffi.NULL, spec))
        return Conduit(self, id)

    def add_node(self, id, kind, zone=None, vendor=None, model=None, firmware=None,
                 implementation=None, mud_url=None, description=None, interfaces=(),
                 services=(), lifecycle=None, attributes=None):
        """Add a node of a node kind ("camera", "home-router", "plc"...) with
        its interfaces, services, lifecycle and attributes, all or nothing.

        interfaces: Interface objects or dicts {"name", "address", ...};
        services: Service objects or dicts; lifecycle: a Lifecycle or a dict.
        """
        args = CArgs()
        spec = args.new("iotnet_node_spec *")
        spec.version = lib.IOTNET_NODE_SPEC_VERSION
        spec.id = args.string(id, "node id")
        spec.kind = args.string(kind, "node kind")
        spec.zone = args.string(None if zone is None else id_of(zone, "zone"), "zone",
                                optional=True)
        for name, value in (("vendor", vendor), ("model", model), ("firmware", firmware),
                            ("implementation", implementation), ("mud_url", mud_url),
                            ("description", description)):
            setattr(spec, name, args.string(value, name, optional=True))
        extras = []
        for iface in _sequence(interfaces, "interfaces"):
            c = coerce(Interface, iface, "interface").to_c(args)
            extras.append(lambda p, i, c=c: lib.iotnet_interface_add(p, i, c))
        for svc in _sequence(services, "services"):
            c = coerce(Service, svc, "service").to_c(args)
            extras.append(lambda p, i, c=c: lib.iotnet_service_add(p, i, c))
        if lifecycle is not None:
            c = coerce(Lifecycle, lifecycle, "lifecycle").to_c(args)
            extras.append(lambda p, i, c=c: lib.iotnet_lifecycle_set(p, i, c))
        attrs = attributes_to_c(attributes, "attributes", args)
        extras += self._attribute_setters(lib.IOTNET_ENTITY_NODE, attrs)
        self._add_with_extras(lambda p, out: lib.iotnet_node_add(p, out, spec),
                              lib.iotnet_node_remove, extras)
        return Node(self, id)

    def add_link(self, id, a, b, a_interface=None, b_interface=None, medium=None,
                 latency_ms=None, encryption=None, description=None, attributes=None):
        """Link two nodes, optionally naming their interfaces. medium:
        "ethernet", "wifi", "ble", "zigbee", "fibre"...; encryption: "wpa3",
        "macsec", "ipsec", "none"...; latency_ms: one-way latency in whole
        microseconds (at most 3 decimals; InvalidArgumentError otherwise)."""
        args = CArgs()
        spec = args.new("iotnet_link_spec *")
        spec.version = lib.IOTNET_LINK_SPEC_VERSION
        spec.id = args.string(id, "link id")
        spec.a = args.string(id_of(a, "a"), "a")
        spec.b = args.string(id_of(b, "b"), "b")
        spec.a_interface = args.string(a_interface, "a_interface", optional=True)
        spec.b_interface = args.string(b_interface, "b_interface", optional=True)
        spec.medium = (lib.IOTNET_MEDIUM_UNSPECIFIED if medium is None
                       else enums.value_of(lib.IOTNET_ENUM_MEDIUM, medium, "medium"))
        spec.latency_ms = -1.0 if latency_ms is None else real(latency_ms, "latency_ms", 0)
        spec.encryption = (lib.IOTNET_LINKENC_UNSPECIFIED if encryption is None
                           else enums.value_of(lib.IOTNET_ENUM_LINK_ENCRYPTION, encryption,
                                               "encryption"))
        spec.description = args.string(description, "description", optional=True)
        attrs = attributes_to_c(attributes, "attributes", args)
        self._add_with_extras(lambda p, out: lib.iotnet_link_add(p, out, spec),
                              lib.iotnet_link_remove,
                              self._attribute_setters(lib.IOTNET_ENTITY_LINK, attrs))
        return Link(self, id)

    # ---- enforcement ----------------------------------------------------------

    def _on_node(self, node, call):
        node_id = id_of(node, "node")
        with self._use() as p:
            return check(call(p, find(p, TABLES["node"], node_id)))

    def set_policy(self, node, default="drop"):
        """Make a node an enforcement point with a default action ("accept",
        "drop", "reject"), or change its default action."""
        action = enums.value_of(lib.IOTNET_ENUM_ACTION, default, "default")
        self._on_node(node, lambda p, i: lib.iotnet_policy_set_default(p, i, action))

    def add_rule(self, node, name, from_="any", to="any", protocol="any", ports=None,
                 initiated_by="any", action="accept", description=None):
        """Append a rule to a node's policy (a drop-by-default policy is
        created if it has none). Selectors: "any", "internet", "zone:NAME",
        "node:NAME", "kind:NAME", "cidr:10.0.0.0/8". ports: None (any), a
        port, or a (low, high) range. initiated_by: "any", "from", "to"."""
        args = CArgs()
        c = Rule(name, from_, to, protocol, ports, initiated_by, action, description).to_c(args)
        self._on_node(node, lambda p, i: lib.iotnet_policy_add_rule(p, i, c))

    def remove_policy(self, node):
        self._on_node(node, lib.iotnet_policy_remove)

    def set_nat(self, node, inside, outside, mapping="endpoint-independent",
                filtering="address-and-port-dependent", hairpinning=False, upnp=False,
                pcp=False, cgnat=False):
        """Configure NAT44 on a node: inside interface names, the outside
        interface, RFC 4787 mapping and filtering behaviour, and whether it
        hairpins, accepts UPnP IGD / PCP requests, or is a carrier-grade NAT.
        Replaces an earlier configuration but keeps its port forwards."""
        args = CArgs()
        c = Nat(inside, outside, mapping, filtering, hairpinning, upnp, pcp, cgnat).to_c(args)
        self._on_node(node, lambda p, i: lib.iotnet_nat_set(p, i, c))

    def remove_nat(self, node):
        self._on_node(node, lib.iotnet_nat_remove)

    def add_port_forward(self, node, name, external_port, to_node, protocol="tcp",
                         internal_port=None):
        """Forward an external port of a node's NAT to an inside node."""
        args = CArgs()
        c = PortForward(name, external_port, id_of(to_node, "to_node"), protocol,
                        internal_port).to_c(args)
        self._on_node(node, lambda p, i: lib.iotnet_nat_add_forward(p, i, c))

    # ---- MUD ------------------------------------------------------------------

    def attach_mud(self, node, path, lenient=False, yang_path=None):
        """Attach a MUD profile (RFC 8520) to a device, replacing any earlier
        one; the node's MUD URL becomes the profile's. path: a MUD file or a
        MudProfile already loaded. lenient and yang_path as in
        MudProfile.load(). Returns what a lenient load normalised, one line
        per change (empty for a file written to the RFCs)."""
        profile = mud.coerce_profile(path, lenient, yang_path)
        self._on_node(node, lambda p, i: lib.iotnet_node_mud_attach(p, i, profile._ptr))
        return list(profile.changes)

    def detach_mud(self, node):
        """Remove a device's MUD profile (NotFoundError when it has none)."""
        self._on_node(node, lib.iotnet_node_mud_detach)

    def add_mud_ace(self, node, name, acl=None, policy="from-device", peer="any",
                    peer_value=None, protocol="any", src_ports=None, dst_ports=None,
                    initiated="any", action="accept"):
        """Append one access-control entry to a device's MUD profile, building
        a profile by hand (the node needs a MUD URL or an attached profile).

        policy: "from-device" or "to-device"; peer: "any", "dnsname", "cidr",
        "manufacturer", "same-manufacturer", "model", "local-networks",
        "controller", "my-controller", with peer_value the name, URI or CIDR
        the peer needs; ports: None, a port or a (low, high) range;
        initiated: TCP direction-initiated ("any", "from-device",
        "to-device"); action: "accept", "drop" or "reject"."""
        args = CArgs()
        c = mud.MudAce(acl, name, policy, peer, peer_value, protocol, src_ports, dst_ports,
                       initiated, action).to_c(args)
        self._on_node(node, lambda p, i: lib.iotnet_node_mud_add_ace(p, i, c))

    # ---- removal --------------------------------------------------------------

    def _remove(self, table, element_id):
        element_id = id_of(element_id, "%s id" % table)
        with self._use() as p:
            t = TABLES[table]
            check(t.remove(p, find(p, t, element_id)))

    def remove_node(self, id):
        """Remove a node with its links, services, attributes, policy and NAT.
        InUseError while a rule or port forward elsewhere names it."""
        self._remove("node", id)

    def remove_link(self, id):
        self._remove("link", id)

    def remove_zone(self, id):
        """Remove a zone. InUseError while nodes, conduits or rules name it."""
        self._remove("zone", id)

    def remove_conduit(self, id):
        self._remove("conduit", id)

    # ---- reachability ---------------------------------------------------------

    def reach(self, src, dst=None, service=None, include_unreachable=False):
        """What `src` can open across the firewall, NAT44 and MUD layers:
        ReachRows, one per destination service (see ReachRow).

        src: a node id, "zone:ID" (every node of the zone) or "internet"
        (every node of kind internet); a Node or Zone view works too.
        dst: None (every destination), a node id or "zone:ID". service:
        None (every service the destinations declare) or a flow such as
        "tcp/443", "udp/53", "icmp" asked of every destination.
        include_unreachable: also give rows of class "none". Raises
        NotFoundError for an unknown node or zone, InvalidArgumentError
        (a ValueError) for service text that does not parse.
        """
        src = _endpoint(src, "src")
        dst = None if dst is None else _endpoint(dst, "dst")
        if service is not None and not isinstance(service, str):
            raise TypeError("service must be a str such as 'tcp/443', not %s"
                            % type(service).__name__)
        include_unreachable = boolean(include_unreachable, "include_unreachable")
        with self._use() as p:
            rows = reach.compute_reach(p, src, dst, service, include_unreachable)
            model = text(lib.iotnet_net_name(p))
        return reach.ReachRows(rows, {"src": src, "dst": dst, "service": service,
                                      "include_unreachable": include_unreachable}, model)

    def explain(self, src, dst, service):
        """How one flow goes through each enforcement point, or where it
        stops: an Explanation (exposure, path, hops). src: a node id or
        "internet"; dst: a node id; service: "tcp/443", "udp/53", "icmp" or
        the name of one of dst's services."""
        src, dst = _endpoint(src, "src"), _endpoint(dst, "dst")
        if not isinstance(service, str):
            raise TypeError("service must be a str such as 'tcp/443', not %s"
                            % type(service).__name__)
        with self._use() as p:
            return reach.compute_explanation(p, src, dst, service)

    def zone_matrix(self):
        """Which services each zone can open towards each other zone, and
        which of them no declared conduit covers: a ZoneMatrix."""
        with self._use() as p:
            return reach.compute_zone_matrix(p)

    # ---- threats and risk ------------------------------------------------------

    def analyze(self, catalog=None, assume=(), include_not_applicable=False, now=None):
        """Evaluate a threat catalog against the model: Findings, one per
        threat and target it applies to, highest residual risk first.

        catalog: None (the bundled catalogs), a Catalog, or a catalog file
        or directory (or a list of them). assume: mitigations to take as
        present, for what-if questions: (mitigation, target) pairs (target
        None: wherever it is a candidate), "MITIGATION@TARGET" strings, or a
        dict {mitigation: target, list of targets or None}.
        include_not_applicable: also give the threats whose condition does
        not hold (status "not-applicable"). now: the date conditions and
        risk acceptances are judged at (a datetime or date; None: the
        clock). Raises InvalidArgumentError for an unknown assumed
        mitigation or target.
        """
        with self._use():
            pass
        return findings.analyze(self, catalog, assume, include_not_applicable, now)

    def what_if(self, mitigation, target=None, catalog=None, assume=(),
                include_not_applicable=False, now=None):
        """What assuming one mitigation present (on `target`, or wherever it
        is a candidate) would change: a Comparison of the findings whose
        status or residual risk moves, before -> after. The other arguments
        are those of analyze()."""
        before = self.analyze(catalog, assume, include_not_applicable, now)
        return before.what_if(mitigation, target)

    def compliance(self, framework, catalog=None, assume=(), now=None):
        """The model's evidence mapped to the controls of a framework
        ("iso27001-2022", "iec62443-3-3", "etsi-en303645", "nistir8259a",
        or one of a loaded catalog): a Compliance, one ControlRow per control
        with its status, evidence and findings. catalog, assume and now are
        those of analyze(). Raises InvalidArgumentError for an unknown
        framework (the message lists the known ones), assumed mitigation or
        target."""
        with self._use():
            pass
        return comply.compute_compliance(self, catalog, framework, assume, now)

    def accept_risk(self, finding, by, reason, until=None, decided=None):
        """Record a risk decision accepting a finding (its id
        "threat@target" or the Finding): who decided, why, until when (a
        datetime or date; None for no end) and when it was decided. It
        replaces an earlier decision on the same finding and is saved with
        the model; once `until` has passed the finding is open again.
        Returns the RiskDecision."""
        decision = findings.RiskDecision(findings.finding_id(finding), by, reason, decided,
                                         until)
        args = CArgs()
        c = decision.to_c(args)
        with self._use() as p:
            check(lib.iotnet_risk_decision_set(p, c))
            stored = [d for d in findings.read_decisions(p) if d.finding == decision.finding]
        return stored[0] if stored else decision

    @property
    def risk_decisions(self):
        """The recorded risk decisions (RiskDecision objects, a snapshot)."""
        with self._use() as p:
            return findings.read_decisions(p)

    def remove_risk_decision(self, finding):
        """Remove the decision on a finding (NotFoundError when there is none)."""
        c_id = CArgs().string(findings.finding_id(finding), "finding")
        with self._use() as p:
            check(lib.iotnet_risk_decision_remove(p, c_id))

    # ---- files ----------------------------------------------------------------

    def save(self, path, format=None, yang_path=None):
        """Write the model as a topology file, atomically. format: None (from
        the file name, JSON by default), "json" or "xml". yang_path: modules
        defining users' kinds; by default those the model was loaded with."""
        args = CArgs()
        c_path = args.path(path)
        opts = _save_options(args, format, yang_path or self._yang_path)
        with self._use() as p:
            check(lib.iotnet_net_save(p, c_path, opts))

    def dumps(self, format="json", yang_path=None):
        """The model as topology text ("json" or "xml"); yang_path as in save()."""
        args = CArgs()
        opts = _save_options(args, format, yang_path or self._yang_path)
        out = ffi.new("char **")
        with self._use() as p:
            check(lib.iotnet_net_save_data(p, out, opts))
        return _take_string(out)

    def copy(self):
        """An independent copy of the model (also copy.copy() and
        copy.deepcopy()), made through its topology text: what save()
        cannot write (a kind without its YANG module) cannot be copied."""
        return loads(self.dumps("json"), "json", name="<copy>", yang_path=self._yang_path)

    _copied = copy

    def __reduce_ex__(self, protocol):
        """Pickled as its topology text (JSON) and the YANG path it needs."""
        return _unpickled, (self.dumps("json"), self._yang_path)

    def export(self, format="graphml", path=None, exposure=False, findings=None, full=False):
        """Render the model as GraphML (NetworkX, yEd, Gephi), Graphviz DOT or
        SVG (laid out by Graphviz in the library): the text, or written
        atomically to `path` when one is given.

        SVG of a model of more than 1,000 nodes or 2,000 links is its zone
        view, drawn in a few seconds at most: a box per zone with how many
        nodes and links it holds, the conduits, and one edge per pair of
        zones joined by links; its title ends in "(zone view)". full=True
        draws every node instead (up to 5,000), however long the layout
        takes. DOT and GraphML always hold every node.

        exposure=True marks what the Internet reaches: each node's most open
        exposure class and its exposed services (colours and a legend in
        DOT and SVG; the keys exposure and exposed_services in GraphML).
        findings marks the open findings on nodes, links and zones with the
        highest residual risk (GraphML: open_findings, max_residual_risk):
        True for the bundled catalogs, a Catalog or catalog path to
        evaluate, or a Findings from this network's analyze() (evaluated
        again with its catalog, assumptions and date). Raises
        InvalidArgumentError for a model too large to lay out as SVG (in
        full, or with too many zones for its zone view).
        """
        fmt = _format(format, _EXPORTS)
        args = CArgs()
        opts = args.new("iotnet_export_options *")
        opts.version = lib.IOTNET_EXPORT_OPTIONS_VERSION
        opts.exposure = boolean(exposure, "exposure")
        opts.full = boolean(full, "full")
        if opts.full and fmt != lib.IOTNET_EXPORT_SVG:
            raise ValueError("full=True asks for every node of an SVG drawing, not of %s" % format)
        query = findings_module.query_of(self, findings)
        c_path = args.path(path) if path is not None else None
        out = ffi.new("char **")
        with self._use() as p:
            with query.c_findings(p) if query else contextlib.nullcontext(ffi.NULL) as marked:
                opts.findings = marked
                if c_path is not None:
                    check(lib.iotnet_export_file_ext(p, fmt, c_path, opts))
                    return None
                check(lib.iotnet_export_ext(out, p, fmt, opts))
        return _take_string(out)

    def to_graphml(self, path=None, exposure=False, findings=None):
        """export("graphml", ...): the GraphML text, or written to `path`."""
        return self.export("graphml", path, exposure, findings)

    def to_svg(self, path=None, exposure=False, findings=None, full=False):
        """export("svg", ...): the SVG text, or written to `path`. In Jupyter,
        IPython.display.SVG(net.to_svg(full=True)) shows every node of a
        model that displays itself as its zone view."""
        return self.export("svg", path, exposure, findings, full)

    def to_networkx(self, exposure=False, findings=None):
        """The model as a networkx graph, read from its GraphML: a
        MultiGraph when two links join the same nodes, else a Graph, with
        every fact (and the marks asked for) as typed node and edge data.
        Needs the networkx package."""
        try:
            import networkx
        except ImportError:
            raise ImportError("to_networkx() needs the networkx package "
                              "(pip install networkx)") from None
        return networkx.parse_graphml(self.to_graphml(None, exposure, findings))

    def _repr_svg_(self):
        """Jupyter shows a network as its drawing: SVG laid out by Graphviz
        in the library, the zone view past 1,000 nodes or 2,000 links so
        that it takes a few seconds at most (None, so that Jupyter shows the
        text instead, for a closed network or one with too many zones even
        for that); to_svg(full=True) draws every node."""
        if self.closed:
            return None
        try:
            return self.export("svg")
        except (IotnetError, ClosedError):
            return None


def _unpickled(topology, yang_path):
    return loads(topology, "json", name="<pickle>", yang_path=yang_path)


def _endpoint(value, what):
    """A reach endpoint as text: a node id, "zone:ID" or "internet"; Node
    views give their id and Zone views "zone:ID"."""
    if isinstance(value, Zone):
        return "zone:%s" % value.id
    if isinstance(value, _View) and not isinstance(value, Node):
        raise TypeError("%s must be a node id, 'zone:ID' or 'internet', not a %s"
                        % (what, type(value).__name__))
    return id_of(value, what)


def _sequence(values, what):
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError("%s must be a list, not %s" % (what, type(values).__name__))
    return list(values)


def _security_levels(levels):
    """{FR number: level} checked: FR 1..7, level 1..4."""
    if levels is None:
        return {}
    if not hasattr(levels, "items"):
        raise TypeError("target_sl_fr must be a dict {FR 1..7: level 1..4}, not %s"
                        % type(levels).__name__)
    return {integer(fr, "target_sl_fr key", 1, 7): integer(level, "target_sl_fr[%r]" % fr, 1, 4)
            for fr, level in levels.items()}
