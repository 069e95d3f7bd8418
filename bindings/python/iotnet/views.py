"""Live views of a network's elements.

A view holds its Network and the element's id, and looks the element up on
every access: it always shows the current state, a view of an element that
was removed raises NotFoundError, and a view of a closed network raises
ClosedError. Nothing a view does can touch freed memory.
"""

import collections.abc
import itertools
from dataclasses import dataclass

from . import enums
from ._ffi import CArgs, NONE, ffi, lib, text
from .errors import IotnetError, check
from .mud import node_mud
from .values import Interface, Lifecycle, Nat, Policy, PortForward, Rule, Service, attr_from_c, \
    attr_to_c, coerce

__all__ = ["Node", "Zone", "Link", "Conduit", "Attributes", "ElementMap"]


@dataclass(frozen=True)
class _Table:
    name: str
    spec: str
    version: int
    find: object
    get: object
    remove: object
    count: object
    next: object
    entity: object = None


TABLES = {
    "zone": _Table("zone", "iotnet_zone_spec *", lib.IOTNET_ZONE_SPEC_VERSION,
                   lib.iotnet_zone_find, lib.iotnet_zone_get, lib.iotnet_zone_remove,
                   lib.iotnet_zone_count, lib.iotnet_zone_next, lib.IOTNET_ENTITY_ZONE),
    "conduit": _Table("conduit", "iotnet_conduit_spec *", lib.IOTNET_CONDUIT_SPEC_VERSION,
                      lib.iotnet_conduit_find, lib.iotnet_conduit_get,
                      lib.iotnet_conduit_remove, lib.iotnet_conduit_count,
                      lib.iotnet_conduit_next),
    "node": _Table("node", "iotnet_node_spec *", lib.IOTNET_NODE_SPEC_VERSION,
                   lib.iotnet_node_find, lib.iotnet_node_get, lib.iotnet_node_remove,
                   lib.iotnet_node_count, lib.iotnet_node_next, lib.IOTNET_ENTITY_NODE),
    "link": _Table("link", "iotnet_link_spec *", lib.IOTNET_LINK_SPEC_VERSION,
                   lib.iotnet_link_find, lib.iotnet_link_get, lib.iotnet_link_remove,
                   lib.iotnet_link_count, lib.iotnet_link_next, lib.IOTNET_ENTITY_LINK),
}


def id_of(value, what):
    """An element id from a str or a view."""
    if isinstance(value, _View):
        return value.id
    if not isinstance(value, str):
        raise TypeError("%s must be an id (str), not %s" % (what, type(value).__name__))
    return value


def find(p, table, element_id):
    """The index of an element; NotFoundError when there is none."""
    out = ffi.new("iotnet_index *")
    check(table.find(p, out, CArgs().string(element_id, "%s id" % table.name)))
    return out[0]


def read(p, table, index):
    """The element's spec struct; its strings are borrowed from the model,
    so convert them before releasing the network."""
    spec = ffi.new(table.spec)
    spec.version = table.version
    check(table.get(p, index, spec))
    return spec


def indexes(p, next_fn, *args):
    """All indexes a C *_next iterator yields."""
    out, prev = [], NONE
    while True:
        prev = next_fn(p, *args, prev)
        if prev == NONE:
            return out
        out.append(prev)


def ids(p, table):
    return [text(read(p, table, i).id) for i in indexes(p, table.next)]


def _items(p, index, count_fn, get_fn, ctype, version, convert):
    """Every item of a per-node list (interfaces, services, rules...), in order."""
    out = []
    for i in range(count_fn(p, index)):
        c = ffi.new(ctype)
        c.version = version
        check(get_fn(p, index, i, c))
        out.append(convert(c))
    return out


class _View:
    """Base of the element views: a network and an id."""

    __slots__ = ("_network", "_id")
    _table = None
    _fields = ()

    def __init__(self, network, element_id):
        self._network = network
        self._id = element_id

    @property
    def id(self):
        return self._id

    @property
    def network(self):
        return self._network

    def _index(self, p):
        return find(p, TABLES[self._table], self._id)

    def _record(self):
        with self._network._use() as p:
            return self._read(p, self._index(p))

    @property
    def attributes(self):
        """The element's free typed attributes, a live MutableMapping."""
        return Attributes(self._network, self._table, self._id)

    def as_dict(self):
        """The element's fields as a plain dict (a snapshot)."""
        record = self._record()
        return {"id": self._id, **{name: record[name] for name in self._fields}}

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return other._network is self._network and other._id == self._id

    def __hash__(self):
        return hash((type(self).__name__, id(self._network), self._id))

    def __repr__(self):
        try:
            record = self._record()
        except IotnetError as exc:
            return "<%s %r (%s)>" % (type(self).__name__, self._id, exc)
        return "<%s %r %s>" % (type(self).__name__, self._id, self._summary(record))

    def _summary(self, record):
        return ""


def _field(name, doc):
    return property(lambda self: self._record()[name], doc=doc)


class Zone(_View):
    """A zone: kind, Purdue level, IEC 62443 target security levels."""

    __slots__ = ()
    _table = "zone"
    _fields = ("kind", "description", "purdue_level", "target_sl", "target_sl_fr")

    kind = _field("kind", "The zone kind (a name of the zone-kind hierarchy).")
    description = _field("description", "Free text, or None.")
    purdue_level = _field("purdue_level", "Purdue level (0..5, 3.5 for a DMZ), or None.")
    target_sl = _field("target_sl", "IEC 62443 target security level 1..4, or None.")
    target_sl_fr = _field("target_sl_fr",
                          "Per-foundational-requirement targets {FR number: level}.")

    def _read(self, p, index):
        s = read(p, TABLES["zone"], index)
        return {
            "kind": text(s.kind),
            "description": text(s.description),
            "purdue_level": None if s.purdue_level < 0 else float(s.purdue_level),
            "target_sl": s.target_sl or None,
            "target_sl_fr": {fr + 1: s.target_sl_fr[fr] for fr in range(7) if s.target_sl_fr[fr]},
        }

    @property
    def nodes(self):
        """The nodes in this zone (views)."""
        with self._network._use() as p:
            zone = self._index(p)
            node_table = TABLES["node"]
            return [Node(self._network, text(read(p, node_table, n).id))
                    for n in indexes(p, node_table.next) if lib.iotnet_node_zone(p, n) == zone]

    def _summary(self, record):
        return "kind=%s" % record["kind"]


class Conduit(_View):
    """A declared conduit between two zones."""

    __slots__ = ()
    _table = "conduit"
    _fields = ("from_zone", "to_zone", "services", "bidirectional", "description")

    from_zone = _field("from_zone", "Id of the zone flows start from.")
    to_zone = _field("to_zone", "Id of the zone flows go to.")
    services = _field("services", 'Allowed services ["tcp/502", "icmp"]; empty means any.')
    bidirectional = _field("bidirectional", "Whether flows may also start from to_zone.")
    description = _field("description", "Free text, or None.")

    @property
    def attributes(self):
        raise AttributeError("conduits have no attributes")

    def _read(self, p, index):
        s = read(p, TABLES["conduit"], index)
        return {
            "from_zone": text(s.from_zone),
            "to_zone": text(s.to_zone),
            "services": (text(s.services) or "").split(),
            "bidirectional": bool(s.bidirectional),
            "description": text(s.description),
        }

    def _summary(self, record):
        arrow = "<->" if record["bidirectional"] else "->"
        return "%s %s %s" % (record["from_zone"], arrow, record["to_zone"])


class Link(_View):
    """A link between two nodes (ids in a and b)."""

    __slots__ = ()
    _table = "link"
    _fields = ("a", "a_interface", "b", "b_interface", "medium", "latency_ms", "encryption",
               "description")

    a = _field("a", "Id of the first endpoint node.")
    b = _field("b", "Id of the second endpoint node.")
    a_interface = _field("a_interface", "Interface of a, or None.")
    b_interface = _field("b_interface", "Interface of b, or None.")
    medium = _field("medium", 'The medium ("ethernet", "wifi"...; "unspecified").')
    latency_ms = _field("latency_ms", "One-way latency in milliseconds, or None.")
    encryption = _field("encryption", 'Link-layer encryption ("wpa3"...; "unspecified").')
    description = _field("description", "Free text, or None.")

    def _read(self, p, index):
        s = read(p, TABLES["link"], index)
        return {
            "a": text(s.a),
            "a_interface": text(s.a_interface),
            "b": text(s.b),
            "b_interface": text(s.b_interface),
            "medium": enums.name_of(lib.IOTNET_ENUM_MEDIUM, s.medium),
            "latency_ms": None if s.latency_ms < 0 else float(s.latency_ms),
            "encryption": enums.name_of(lib.IOTNET_ENUM_LINK_ENCRYPTION, s.encryption),
            "description": text(s.description),
        }

    @property
    def nodes(self):
        """The two endpoint nodes (views)."""
        record = self._record()
        return Node(self._network, record["a"]), Node(self._network, record["b"])

    def _summary(self, record):
        return "%s -- %s medium=%s" % (record["a"], record["b"], record["medium"])


class Node(_View):
    """A node: device, gateway, PLC, cloud service, the Internet..."""

    __slots__ = ()
    _table = "node"
    _fields = ("kind", "zone", "vendor", "model", "firmware", "implementation", "mud_url",
               "description")

    kind = _field("kind", "The node kind (a name of the node-kind hierarchy).")
    zone = _field("zone", "Id of the node's zone, or None.")
    vendor = _field("vendor", "Manufacturer, or None.")
    model = _field("model", "Model, or None.")
    firmware = _field("firmware", "Firmware version, or None.")
    implementation = _field("implementation",
                            "Product family of an enforcement point, or None.")
    mud_url = _field("mud_url", "MUD URL the device emits (RFC 8520), or None.")
    description = _field("description", "Free text, or None.")

    def _read(self, p, index):
        s = read(p, TABLES["node"], index)
        return {name: text(getattr(s, name)) for name in self._fields}

    def _summary(self, record):
        zone = " zone=%s" % record["zone"] if record["zone"] else ""
        return "kind=%s%s" % (record["kind"], zone)

    def _list(self, count_fn, get_fn, ctype, version, convert):
        with self._network._use() as p:
            return _items(p, self._index(p), count_fn, get_fn, ctype, version, convert)

    @property
    def interfaces(self):
        """The node's interfaces (list of Interface), in insertion order."""
        return self._list(lib.iotnet_interface_count, lib.iotnet_interface_get,
                          "iotnet_interface *", lib.IOTNET_INTERFACE_VERSION, Interface.from_c)

    @property
    def services(self):
        """The node's services (list of Service), in insertion order."""
        return self._list(lib.iotnet_service_count, lib.iotnet_service_get,
                          "iotnet_service *", lib.IOTNET_SERVICE_VERSION, Service.from_c)

    @property
    def lifecycle(self):
        """The node's Lifecycle facts, or None when none were set."""
        with self._network._use() as p:
            index = self._index(p)
            c = ffi.new("iotnet_lifecycle *")
            c.version = lib.IOTNET_LIFECYCLE_VERSION
            rc = lib.iotnet_lifecycle_get(p, index, c)
            if rc == lib.IOTNET_ENOTFOUND:
                return None
            check(rc)
            return Lifecycle.from_c(c)

    @property
    def links(self):
        """The node's links (views)."""
        with self._network._use() as p:
            table = TABLES["link"]
            return [Link(self._network, text(read(p, table, i).id))
                    for i in indexes(p, lib.iotnet_node_next_link, self._index(p))]

    @property
    def policy(self):
        """The node's firewall Policy (default action and rules), or None."""
        with self._network._use() as p:
            index = self._index(p)
            if not lib.iotnet_policy_exists(p, index):
                return None
            default = ffi.new("iotnet_action *")
            check(lib.iotnet_policy_get_default(p, index, default))
            rules = _items(p, index, lib.iotnet_policy_rule_count, lib.iotnet_policy_get_rule,
                           "iotnet_rule *", lib.IOTNET_RULE_VERSION, Rule.from_c)
            return Policy(enums.name_of(lib.IOTNET_ENUM_ACTION, default[0]), rules)

    @property
    def nat(self):
        """The node's NAT44 configuration with its port forwards, or None."""
        with self._network._use() as p:
            index = self._index(p)
            c = ffi.new("iotnet_nat *")
            c.version = lib.IOTNET_NAT_VERSION
            rc = lib.iotnet_nat_get(p, index, c)
            if rc == lib.IOTNET_ENOTFOUND:
                return None
            check(rc)
            forwards = _items(p, index, lib.iotnet_nat_forward_count, lib.iotnet_nat_get_forward,
                              "iotnet_port_forward *", lib.IOTNET_PORT_FORWARD_VERSION,
                              PortForward.from_c)
            return Nat.from_c(c, forwards)

    @property
    def mud(self):
        """The device's attached MUD profile (a NodeMud snapshot with .info
        and .aces), or None."""
        with self._network._use() as p:
            return node_mud(p, self._index(p), self._id)

    @property
    def is_forwarding(self):
        """Whether the node's kind forwards traffic (a transit node)."""
        with self._network._use() as p:
            return bool(lib.iotnet_node_is_forwarding(p, self._index(p)))

    def is_a(self, kind):
        """Whether the node's kind is `kind` or derives from it."""
        return self._network.kind_is_a(self.kind, kind)

    # ---- changes --------------------------------------------------------

    def update(self, **fields):
        """Change some of kind, zone, vendor, model, firmware, implementation,
        mud_url, description (None clears an optional field)."""
        unknown = sorted(set(fields) - set(self._fields))
        if unknown:
            raise TypeError("unknown node field(s): %s" % ", ".join(unknown))
        with self._network._use() as p:
            index = self._index(p)
            current = self._read(p, index)
            current.update(fields)
            args = CArgs()
            spec = args.new("iotnet_node_spec *")
            spec.version = lib.IOTNET_NODE_SPEC_VERSION
            spec.id = args.string(self._id, "id")
            for name in self._fields:
                spec_value = args.string(current[name], name, optional=name not in ("kind",))
                setattr(spec, name, spec_value)
            check(lib.iotnet_node_update(p, index, spec))

    def _apply(self, function, *c_args):
        """Call function(net, this node's index, *c_args) under the network's lock."""
        with self._network._use() as p:
            check(function(p, self._index(p), *c_args))

    def add_interface(self, interface):
        """Add an Interface (or a dict of its fields)."""
        args = CArgs()
        self._apply(lib.iotnet_interface_add, coerce(Interface, interface, "interface").to_c(args))

    def remove_interface(self, name):
        """Remove an interface; InUseError while a link or the NAT names it."""
        args = CArgs()
        self._apply(lib.iotnet_interface_remove, args.string(name, "interface name"))

    def add_service(self, service):
        """Add a Service (or a dict of its fields)."""
        args = CArgs()
        self._apply(lib.iotnet_service_add, coerce(Service, service, "service").to_c(args))

    def remove_service(self, name):
        """Remove a service by name."""
        args = CArgs()
        self._apply(lib.iotnet_service_remove, args.string(name, "service name"))

    def set_lifecycle(self, lifecycle):
        """Set (replace) the node's Lifecycle facts (a Lifecycle or a dict)."""
        args = CArgs()
        self._apply(lib.iotnet_lifecycle_set, coerce(Lifecycle, lifecycle, "lifecycle").to_c(args))


class Attributes(collections.abc.MutableMapping):
    """The free typed attributes of a node, link or zone, backed by the model.

    Values are str, bool, int, float, datetime (a date, UTC) or timedelta (a
    duration). A key has one type per table, fixed by its first value:
    setting another type raises AttributeTypeError. Every value saves and
    loads back exactly (a float to the bit); what a file cannot hold, a
    negative duration, raises InvalidArgumentError when it is set.
    """

    __slots__ = ("_network", "_table", "_id")

    def __init__(self, network, table, element_id):
        self._network = network
        self._table = table
        self._id = element_id

    def _entity(self):
        return TABLES[self._table].entity

    def _index(self, p):
        return find(p, TABLES[self._table], self._id)

    def _get(self, key, default, missing_raises):
        args = CArgs()
        c_key = args.string(key, "attribute name")
        with self._network._use() as p:
            index = self._index(p)
            out = ffi.new("iotnet_value *")
            rc = lib.iotnet_attr_get(p, self._entity(), index, c_key, out)
            if rc == lib.IOTNET_ENOTFOUND and not missing_raises:
                return default
            check(rc)
            return attr_from_c(out)

    def __getitem__(self, key):
        return self._get(key, None, True)

    def get(self, key, default=None):
        # resolves the element first, so a removed element still raises
        return self._get(key, default, False)

    def __contains__(self, key):
        if not isinstance(key, str):
            return False
        sentinel = object()
        return self._get(key, sentinel, False) is not sentinel

    def __setitem__(self, key, value):
        args = CArgs()
        c_key = args.string(key, "attribute name")
        c_value = attr_to_c(value, "attribute %r" % key, args)
        with self._network._use() as p:
            check(lib.iotnet_attr_set(p, self._entity(), self._index(p), c_key, c_value))

    def __delitem__(self, key):
        args = CArgs()
        c_key = args.string(key, "attribute name")
        with self._network._use() as p:
            check(lib.iotnet_attr_unset(p, self._entity(), self._index(p), c_key))

    def _snapshot(self):
        with self._network._use() as p:
            index = self._index(p)
            cursor = ffi.new("size_t *", 0)
            key = ffi.new("char **")
            value = ffi.new("iotnet_value *")
            out = {}
            while check(lib.iotnet_attr_next(p, self._entity(), index, cursor, key, value)) == 1:
                out[text(key[0])] = attr_from_c(value)
            return out

    def types(self):
        """{key: type name} ("string", "int", "float", "bool", "date", "duration")."""
        with self._network._use() as p:
            index = self._index(p)
            cursor = ffi.new("size_t *", 0)
            key = ffi.new("char **")
            value = ffi.new("iotnet_value *")
            out = {}
            while check(lib.iotnet_attr_next(p, self._entity(), index, cursor, key, value)) == 1:
                out[text(key[0])] = text(lib.iotnet_attr_type_name(value.type))
            return out

    def __iter__(self):
        return iter(list(self._snapshot()))

    def __len__(self):
        return len(self._snapshot())

    def to_dict(self):
        """A plain dict snapshot of the attributes."""
        return self._snapshot()

    def __eq__(self, other):
        if isinstance(other, collections.abc.Mapping):
            return self._snapshot() == dict(other.items())
        return NotImplemented

    __hash__ = None

    def __repr__(self):
        try:
            return "<Attributes of %s %r %r>" % (self._table, self._id, self._snapshot())
        except IotnetError as exc:
            return "<Attributes of %s %r (%s)>" % (self._table, self._id, exc)


class ElementMap(collections.abc.Mapping):
    """The zones, conduits, nodes or links of a network, by id: len(), `in`,
    iteration over ids, [id] -> view (NotFoundError when missing)."""

    __slots__ = ("_network", "_table", "_view")

    def __init__(self, network, table, view):
        self._network = network
        self._table = TABLES[table]
        self._view = view

    def __getitem__(self, element_id):
        element_id = id_of(element_id, "%s id" % self._table.name)
        with self._network._use() as p:
            find(p, self._table, element_id)
        return self._view(self._network, element_id)

    def __contains__(self, element_id):
        if isinstance(element_id, _View):
            if type(element_id) is not self._view or element_id.network is not self._network:
                return False
            element_id = element_id.id
        if not isinstance(element_id, str) or "\0" in element_id:
            return False
        with self._network._use() as p:
            out = ffi.new("iotnet_index *")
            return self._table.find(p, out, element_id.encode("utf-8")) == 0

    def __iter__(self):
        with self._network._use() as p:
            return iter(ids(p, self._table))

    def __len__(self):
        with self._network._use() as p:
            return self._table.count(p)

    def values(self):
        return [self._view(self._network, i) for i in self]

    def items(self):
        return [(i, self._view(self._network, i)) for i in self]

    def to_dataframe(self):
        """A pandas DataFrame with one row per element (needs pandas)."""
        rows = [view.as_dict() for view in self.values()]
        try:
            import pandas
        except ImportError as exc:
            raise ImportError("to_dataframe() needs pandas: pip install pandas") from exc
        columns = ["id"] + list(self._view._fields)
        return pandas.DataFrame(rows, columns=columns).set_index("id", drop=False)

    def __repr__(self):
        try:
            shown = list(itertools.islice(self, 10))
            more = ", ..." if len(self) > len(shown) else ""
        except IotnetError as exc:
            return "<%ss (%s)>" % (self._table.name, exc)
        return "<%d %ss: %s%s>" % (len(self), self._table.name, ", ".join(shown), more)
