"""Plain values of the model (interfaces, services, lifecycle, rules, NAT) as
dataclasses, and their conversion to and from the C structs.

Dates are timezone-aware datetimes in UTC (a naive datetime is taken as
UTC), durations are timedeltas of whole seconds, enumerations are their
names and tristate facts are None (unknown), False or True.
"""

import collections.abc
import dataclasses
import datetime
import numbers
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from . import enums
from ._ffi import boolean, ffi, integer, lib, real, text
from .errors import check

__all__ = ["Interface", "Service", "Lifecycle", "Rule", "Policy", "PortForward", "Nat"]

UTC = datetime.timezone.utc
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)
_SECOND = datetime.timedelta(seconds=1)
_INT64 = (-(1 << 63), (1 << 63) - 1)
_PORT = (0, 65535)


# ---- dates and durations ------------------------------------------------

def date_to_seconds(value, what):
    """Seconds since the epoch of a datetime (or date, taken as midnight UTC);
    sub-second parts are dropped."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            value = value.replace(tzinfo=UTC)
    elif isinstance(value, datetime.date):
        value = datetime.datetime.combine(value, datetime.time(), tzinfo=UTC)
    else:
        raise TypeError("%s must be a datetime, not %s" % (what, type(value).__name__))
    return (value - _EPOCH) // _SECOND


def seconds_to_date(seconds):
    return _EPOCH + datetime.timedelta(seconds=seconds)


def duration_to_seconds(value, what):
    if not isinstance(value, datetime.timedelta):
        raise TypeError("%s must be a timedelta, not %s" % (what, type(value).__name__))
    seconds, rest = divmod(value, _SECOND)
    if rest:
        raise ValueError("%s must be a whole number of seconds, not %s" % (what, value))
    return seconds


def seconds_to_duration(seconds):
    return datetime.timedelta(seconds=seconds)


def _optional_time(value, convert, what):
    return lib.IOTNET_TIME_UNSET if value is None else convert(value, what)


def _time_or_none(seconds, convert):
    return None if seconds == lib.IOTNET_TIME_UNSET else convert(seconds)


# ---- typed attribute values ---------------------------------------------

def attr_to_c(value, what, args):
    """An iotnet_value for a Python value: str, bool, int, float, datetime
    (date) or timedelta (duration)."""
    out = args.new("iotnet_value *")
    if isinstance(value, str):
        out.type = lib.IOTNET_ATTR_STRING
        out.string = args.string(value, what)
    elif isinstance(value, bool):
        out.type = lib.IOTNET_ATTR_BOOL
        out.boolean = value
    elif isinstance(value, numbers.Integral):
        out.type = lib.IOTNET_ATTR_INT
        out.integer = integer(value, what, *_INT64)
    elif isinstance(value, numbers.Real):
        out.type = lib.IOTNET_ATTR_FLOAT
        out.real = real(value, what)
    elif isinstance(value, (datetime.datetime, datetime.date)):
        out.type = lib.IOTNET_ATTR_DATE
        out.integer = date_to_seconds(value, what)
    elif isinstance(value, datetime.timedelta):
        out.type = lib.IOTNET_ATTR_DURATION
        out.integer = duration_to_seconds(value, what)
    else:
        raise TypeError("%s: attribute values are str, bool, int, float, datetime or "
                        "timedelta, not %s" % (what, type(value).__name__))
    return out


def attr_from_c(value):
    """The Python value of an iotnet_value (strings copied)."""
    t = value.type
    if t == lib.IOTNET_ATTR_STRING:
        return text(value.string)
    if t == lib.IOTNET_ATTR_INT:
        return int(value.integer)
    if t == lib.IOTNET_ATTR_FLOAT:
        return float(value.real)
    if t == lib.IOTNET_ATTR_BOOL:
        return bool(value.boolean)
    if t == lib.IOTNET_ATTR_DATE:
        return seconds_to_date(value.integer)
    if t == lib.IOTNET_ATTR_DURATION:
        return seconds_to_duration(value.integer)
    raise ValueError("attribute of unknown type %d" % t)


def attributes_to_c(attributes, what, args):
    """[(key char*, iotnet_value*)] for a dict of attributes (None: none)."""
    if attributes is None:
        return []
    if not isinstance(attributes, collections.abc.Mapping):
        raise TypeError("%s must be a dict, not %s" % (what, type(attributes).__name__))
    return [(args.string(key, "%s key" % what),
             attr_to_c(value, "%s[%r]" % (what, key), args))
            for key, value in attributes.items()]


# ---- records ------------------------------------------------------------

def coerce(cls, value, what):
    """An instance of the dataclass `cls` from itself or a dict of its fields."""
    if isinstance(value, cls):
        return value
    if isinstance(value, collections.abc.Mapping):
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(value) - names, key=str)
        if unknown:
            raise TypeError("%s: unknown field(s) %s (expected: %s)"
                            % (what, ", ".join(map(repr, unknown)), ", ".join(sorted(names))))
        return cls(**value)
    raise TypeError("%s must be a %s or a dict, not %s"
                    % (what, cls.__name__, type(value).__name__))


def _optional_port(value, what, lo=0):
    return 0 if value is None else integer(value, what, lo, _PORT[1])


@dataclass
class Interface:
    """A network interface of a node; address is "a.b.c.d/len" (or "a.b.c.d"
    for a /32) or None."""
    name: str
    address: Optional[str] = None
    description: Optional[str] = None

    def to_c(self, args):
        c = args.new("iotnet_interface *")
        c.version = lib.IOTNET_INTERFACE_VERSION
        c.name = args.string(self.name, "interface name")
        if self.address is not None:
            addr, plen = ffi.new("uint32_t *"), ffi.new("uint8_t *")
            check(lib.iotnet_ipv4_parse(addr, plen,
                                        args.string(self.address, "interface address")))
            c.ipv4, c.prefix_len = addr[0], plen[0]
        c.description = args.string(self.description, "interface description", optional=True)
        return c

    @classmethod
    def from_c(cls, c):
        address = None
        if c.ipv4:
            buf = ffi.new("char[24]")
            lib.iotnet_ipv4_format(buf, c.ipv4, c.prefix_len)
            address = text(buf)
        return cls(text(c.name), address, text(c.description))


@dataclass
class Service:
    """A service a node offers. port is None when the protocol has none."""
    name: str
    protocol: str = "tcp"
    port: Optional[int] = None
    authentication: str = "unspecified"
    transport: str = "unspecified"
    cipher_suites: List[str] = field(default_factory=list)
    management: bool = False
    nat_traversal: str = "none"

    def to_c(self, args):
        c = args.new("iotnet_service *")
        c.version = lib.IOTNET_SERVICE_VERSION
        c.name = args.string(self.name, "service name")
        c.protocol = enums.value_of(lib.IOTNET_ENUM_PROTOCOL, self.protocol, "service protocol")
        c.port = _optional_port(self.port, "service port")
        c.authentication = enums.value_of(lib.IOTNET_ENUM_AUTH, self.authentication,
                                          "service authentication")
        c.transport = enums.value_of(lib.IOTNET_ENUM_TRANSPORT, self.transport,
                                     "service transport")
        c.cipher_suites = args.words(self.cipher_suites, "service cipher_suites")
        c.management = boolean(self.management, "service management")
        c.nat_traversal = enums.value_of(lib.IOTNET_ENUM_NAT_TRAVERSAL, self.nat_traversal,
                                         "service nat_traversal")
        return c

    @classmethod
    def from_c(cls, c):
        suites = text(c.cipher_suites)
        return cls(
            name=text(c.name),
            protocol=enums.name_of(lib.IOTNET_ENUM_PROTOCOL, c.protocol),
            port=c.port or None,
            authentication=enums.name_of(lib.IOTNET_ENUM_AUTH, c.authentication),
            transport=enums.name_of(lib.IOTNET_ENUM_TRANSPORT, c.transport),
            cipher_suites=suites.split() if suites else [],
            management=bool(c.management),
            nat_traversal=enums.name_of(lib.IOTNET_ENUM_NAT_TRAVERSAL, c.nat_traversal),
        )


@dataclass
class Lifecycle:
    """Lifecycle facts of a device: certificate and support dates, how long
    signed artifacts must verify, updates, ownership, reset, attestation."""
    certificate_not_after: Optional[datetime.datetime] = None
    signed_artifact_lifetime: Optional[datetime.timedelta] = None
    end_of_support: Optional[datetime.datetime] = None
    update_mechanism: str = "unspecified"
    owner: Optional[str] = None
    ownership_statement: Optional[bool] = None
    reset_method: str = "unspecified"
    vendor_cloud_dependency: Optional[bool] = None
    credentials_escrowed: Optional[bool] = None
    attestation: str = "unspecified"

    def to_c(self, args):
        c = args.new("iotnet_lifecycle *")
        c.version = lib.IOTNET_LIFECYCLE_VERSION
        c.certificate_not_after = _optional_time(self.certificate_not_after, date_to_seconds,
                                                 "certificate_not_after")
        c.signed_artifact_lifetime = _optional_time(self.signed_artifact_lifetime,
                                                    duration_to_seconds,
                                                    "signed_artifact_lifetime")
        c.end_of_support = _optional_time(self.end_of_support, date_to_seconds, "end_of_support")
        c.update_mechanism = enums.value_of(lib.IOTNET_ENUM_UPDATE, self.update_mechanism,
                                            "update_mechanism")
        c.owner = args.string(self.owner, "owner", optional=True)
        c.ownership_statement = enums.tristate_value(self.ownership_statement,
                                                     "ownership_statement")
        c.reset_method = enums.value_of(lib.IOTNET_ENUM_RESET, self.reset_method, "reset_method")
        c.vendor_cloud_dependency = enums.tristate_value(self.vendor_cloud_dependency,
                                                         "vendor_cloud_dependency")
        c.credentials_escrowed = enums.tristate_value(self.credentials_escrowed,
                                                      "credentials_escrowed")
        c.attestation = enums.value_of(lib.IOTNET_ENUM_ATTESTATION, self.attestation,
                                       "attestation")
        return c

    @classmethod
    def from_c(cls, c):
        return cls(
            certificate_not_after=_time_or_none(c.certificate_not_after, seconds_to_date),
            signed_artifact_lifetime=_time_or_none(c.signed_artifact_lifetime,
                                                   seconds_to_duration),
            end_of_support=_time_or_none(c.end_of_support, seconds_to_date),
            update_mechanism=enums.name_of(lib.IOTNET_ENUM_UPDATE, c.update_mechanism),
            owner=text(c.owner),
            ownership_statement=enums.tristate_of(c.ownership_statement),
            reset_method=enums.name_of(lib.IOTNET_ENUM_RESET, c.reset_method),
            vendor_cloud_dependency=enums.tristate_of(c.vendor_cloud_dependency),
            credentials_escrowed=enums.tristate_of(c.credentials_escrowed),
            attestation=enums.name_of(lib.IOTNET_ENUM_ATTESTATION, c.attestation),
        )


# ---- policies -----------------------------------------------------------

def selector_to_c(c, value, what, args):
    """Fill an iotnet_selector from "any", "internet", "zone:NAME",
    "node:NAME", "kind:NAME" or "cidr:a.b.c.d/len"."""
    if not isinstance(value, str):
        raise TypeError("%s must be a str such as 'any', 'internet', 'zone:lan', not %s"
                        % (what, type(value).__name__))
    kind, colon, name = value.partition(":")
    c.type = enums.value_of(lib.IOTNET_ENUM_SELECTOR, kind, what)
    bare = c.type in (lib.IOTNET_SELECT_ANY, lib.IOTNET_SELECT_INTERNET)
    if bare and colon:
        raise ValueError("%s: %r takes no value (write %r)" % (what, value, kind))
    if not bare and not name:
        raise ValueError("%s: %r needs a value, e.g. '%s:NAME'" % (what, value, kind))
    c.value = ffi.NULL if bare else args.string(name, what)


def selector_from_c(c):
    kind = enums.name_of(lib.IOTNET_ENUM_SELECTOR, c.type)
    return kind if c.value == ffi.NULL else "%s:%s" % (kind, text(c.value))


def ports_to_c(ports, what="ports"):
    """(lo, hi) for None (any), a port, or a (lo, hi) pair."""
    if ports is None:
        return 0, 0
    if isinstance(ports, numbers.Integral) and not isinstance(ports, bool):
        port = integer(ports, what, *_PORT)
        return port, port
    if isinstance(ports, (tuple, list)) and len(ports) == 2:
        lo, hi = (integer(p, what, *_PORT) for p in ports)
        if lo > hi:
            raise ValueError("%s: lower port %d is above upper port %d" % (what, lo, hi))
        return lo, hi
    raise TypeError("%s must be None, a port or a (low, high) pair, not %r" % (what, ports))


@dataclass
class Rule:
    """A firewall rule. Selectors are strings ("any", "internet",
    "zone:NAME", "node:NAME", "kind:NAME", "cidr:10.0.0.0/8"); ports is None
    (any) or an inclusive (low, high) range of destination ports."""
    name: str
    from_: str = "any"
    to: str = "any"
    protocol: str = "any"
    ports: Optional[Tuple[int, int]] = None
    initiated_by: str = "any"
    action: str = "accept"
    description: Optional[str] = None

    def to_c(self, args):
        c = args.new("iotnet_rule *")
        c.version = lib.IOTNET_RULE_VERSION
        c.name = args.string(self.name, "rule name")
        selector_to_c(getattr(c, "from"), self.from_, "rule from_", args)
        selector_to_c(c.to, self.to, "rule to", args)
        c.protocol = enums.value_of(lib.IOTNET_ENUM_PROTOCOL, self.protocol, "rule protocol")
        c.port_lo, c.port_hi = ports_to_c(self.ports, "rule ports")
        c.initiated_by = enums.value_of(lib.IOTNET_ENUM_INITIATED, self.initiated_by,
                                        "rule initiated_by")
        c.action = enums.value_of(lib.IOTNET_ENUM_ACTION, self.action, "rule action")
        c.description = args.string(self.description, "rule description", optional=True)
        return c

    @classmethod
    def from_c(cls, c):
        lo, hi = c.port_lo, c.port_hi
        return cls(
            name=text(c.name),
            from_=selector_from_c(getattr(c, "from")),
            to=selector_from_c(c.to),
            protocol=enums.name_of(lib.IOTNET_ENUM_PROTOCOL, c.protocol),
            ports=None if lo == 0 and hi == 0 else (lo, hi),
            initiated_by=enums.name_of(lib.IOTNET_ENUM_INITIATED, c.initiated_by),
            action=enums.name_of(lib.IOTNET_ENUM_ACTION, c.action),
            description=text(c.description),
        )


@dataclass
class Policy:
    """A node's firewall policy: the default action and the ordered rules."""
    default: str
    rules: List[Rule] = field(default_factory=list)


# ---- NAT44 --------------------------------------------------------------

@dataclass
class PortForward:
    """A NAT44 port forward; internal_port None means the external port."""
    name: str
    external_port: int
    to_node: str
    protocol: str = "tcp"
    internal_port: Optional[int] = None

    def to_c(self, args):
        c = args.new("iotnet_port_forward *")
        c.version = lib.IOTNET_PORT_FORWARD_VERSION
        c.name = args.string(self.name, "port forward name")
        c.protocol = enums.value_of(lib.IOTNET_ENUM_PROTOCOL, self.protocol,
                                    "port forward protocol")
        c.external_port = integer(self.external_port, "external_port", 1, _PORT[1])
        c.to_node = args.string(self.to_node, "to_node")
        c.internal_port = _optional_port(self.internal_port, "internal_port", lo=1)
        return c

    @classmethod
    def from_c(cls, c):
        return cls(text(c.name), c.external_port, text(c.to_node),
                   enums.name_of(lib.IOTNET_ENUM_PROTOCOL, c.protocol), c.internal_port or None)


@dataclass
class Nat:
    """NAT44 on a gateway: interfaces, RFC 4787 behaviour, port forwards."""
    inside: List[str]
    outside: str
    mapping: str = "endpoint-independent"
    filtering: str = "address-and-port-dependent"
    hairpinning: bool = False
    upnp: bool = False
    pcp: bool = False
    cgnat: bool = False
    forwards: List[PortForward] = field(default_factory=list)

    def to_c(self, args):
        c = args.new("iotnet_nat *")
        c.version = lib.IOTNET_NAT_VERSION
        c.inside = args.words(self.inside, "inside")
        if c.inside == ffi.NULL:
            raise ValueError("inside must name at least one interface")
        c.outside = args.string(self.outside, "outside")
        c.mapping = enums.value_of(lib.IOTNET_ENUM_NAT_MAPPING, self.mapping, "mapping")
        c.filtering = enums.value_of(lib.IOTNET_ENUM_NAT_FILTERING, self.filtering, "filtering")
        for flag in ("hairpinning", "upnp", "pcp", "cgnat"):
            setattr(c, flag, boolean(getattr(self, flag), flag))
        return c

    @classmethod
    def from_c(cls, c, forwards):
        return cls(
            inside=(text(c.inside) or "").split(),
            outside=text(c.outside),
            mapping=enums.name_of(lib.IOTNET_ENUM_NAT_MAPPING, c.mapping),
            filtering=enums.name_of(lib.IOTNET_ENUM_NAT_FILTERING, c.filtering),
            hairpinning=bool(c.hairpinning), upnp=bool(c.upnp), pcp=bool(c.pcp),
            cgnat=bool(c.cgnat), forwards=forwards,
        )
