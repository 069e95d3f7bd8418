"""MUD profiles (RFC 8520) with their access lists (RFC 8519): load and
validate a MUD file, read its facts and flattened entries, attach it to a
device.

    profile = iotnet.MudProfile.load("models/mud/thermostat.json")
    profile.info.mud_url, [ace.name for ace in profile.aces]
    net.attach_mud("thermostat", profile)        # or a path
    net.nodes["thermostat"].mud.aces
"""

import os
from dataclasses import asdict, dataclass
from typing import Optional, Tuple

from . import enums
from ._ffi import CArgs, ffi, input_bytes, integer, lib, text
from .errors import check
from .values import ports_to_c

__all__ = ["MudInfo", "MudAce", "MudProfile", "NodeMud"]


@dataclass(frozen=True)
class MudInfo:
    """The profile's own facts (the ietf-mud:mud container). last_update is
    the text as written; cache_validity is in hours (None when not stated);
    is_supported is None when not stated."""
    mud_url: str
    last_update: Optional[str] = None
    systeminfo: Optional[str] = None
    mfg_name: Optional[str] = None
    model_name: Optional[str] = None
    documentation: Optional[str] = None
    cache_validity: Optional[int] = None
    is_supported: Optional[bool] = None

    @classmethod
    def from_c(cls, c):
        return cls(text(c.mud_url), text(c.last_update), text(c.systeminfo), text(c.mfg_name),
                   text(c.model_name), text(c.documentation), c.cache_validity or None,
                   enums.tristate_of(c.is_supported))

    def to_dict(self):
        return asdict(self)


@dataclass(frozen=True)
class MudAce:
    """One access-control entry of a profile.

    policy: "from-device" or "to-device"; peer: the other end ("any",
    "dnsname", "cidr", "manufacturer", "same-manufacturer", "model",
    "local-networks", "controller", "my-controller") with peer_value the name,
    URI or CIDR it needs (None for the others); protocol: "any", "tcp",
    "udp", "icmp", "sctp"; src_ports and dst_ports: None (any) or an
    inclusive (low, high) range; initiated: the TCP direction-initiated
    ("any", "from-device", "to-device"); action: "accept", "drop", "reject".
    """
    acl: Optional[str]
    name: str
    policy: str = "from-device"
    peer: str = "any"
    peer_value: Optional[str] = None
    protocol: str = "any"
    src_ports: Optional[Tuple[int, int]] = None
    dst_ports: Optional[Tuple[int, int]] = None
    initiated: str = "any"
    action: str = "accept"

    def to_c(self, args):
        c = args.new("iotnet_mud_ace *")
        c.version = lib.IOTNET_MUD_ACE_VERSION
        c.acl = args.string(self.acl, "acl", optional=True)
        c.name = args.string(self.name, "MUD entry name")
        c.policy = enums.value_of(lib.IOTNET_ENUM_MUD_DIRECTION, self.policy, "policy")
        c.peer = enums.value_of(lib.IOTNET_ENUM_MUD_PEER, self.peer, "peer")
        c.peer_value = args.string(self.peer_value, "peer_value", optional=True)
        c.protocol = enums.value_of(lib.IOTNET_ENUM_PROTOCOL, self.protocol, "protocol")
        c.src_port_lo, c.src_port_hi = ports_to_c(self.src_ports, "src_ports")
        c.dst_port_lo, c.dst_port_hi = ports_to_c(self.dst_ports, "dst_ports")
        c.initiated = enums.value_of(lib.IOTNET_ENUM_MUD_DIRECTION, self.initiated, "initiated")
        c.action = enums.value_of(lib.IOTNET_ENUM_ACTION, self.action, "action")
        return c

    @classmethod
    def from_c(cls, c):
        def ports(lo, hi):
            return None if lo == 0 and hi == 0 else (lo, hi)
        return cls(
            acl=text(c.acl),
            name=text(c.name),
            policy=enums.name_of(lib.IOTNET_ENUM_MUD_DIRECTION, c.policy),
            peer=enums.name_of(lib.IOTNET_ENUM_MUD_PEER, c.peer),
            peer_value=text(c.peer_value),
            protocol=enums.name_of(lib.IOTNET_ENUM_PROTOCOL, c.protocol),
            src_ports=ports(c.src_port_lo, c.src_port_hi),
            dst_ports=ports(c.dst_port_lo, c.dst_port_hi),
            initiated=enums.name_of(lib.IOTNET_ENUM_MUD_DIRECTION, c.initiated),
            action=enums.name_of(lib.IOTNET_ENUM_ACTION, c.action),
        )

    def to_dict(self):
        return asdict(self)


def _aces(count, get):
    out = []
    for i in range(count):
        c = ffi.new("iotnet_mud_ace *")
        c.version = lib.IOTNET_MUD_ACE_VERSION
        check(get(i, c))
        out.append(MudAce.from_c(c))
    return out


def _lines(count, get):
    return [text(get(i)) for i in range(count)]


def _aces_dataframe(aces):
    try:
        import pandas
    except ImportError as exc:
        raise ImportError("to_dataframe() needs pandas: pip install pandas") from exc
    columns = [name for name in MudAce.__dataclass_fields__]
    return pandas.DataFrame([a.to_dict() for a in aces], columns=columns)


def _mud_options(args, lenient, yang_path, max_bytes):
    from .network import _joined_yang_path  # one place that joins yang paths
    opts = args.new("iotnet_mud_load_options *")
    opts.version = lib.IOTNET_MUD_LOAD_OPTIONS_VERSION
    if not isinstance(lenient, bool):
        raise TypeError("lenient must be a bool, not %s" % type(lenient).__name__)
    opts.lenient = lenient
    yang_path = _joined_yang_path(yang_path)
    opts.yang_path = args.path(yang_path, "yang_path") if yang_path else ffi.NULL
    opts.max_bytes = 0 if max_bytes is None else integer(max_bytes, "max_bytes", 1, 2 ** 63)
    return opts


class MudProfile:
    """A loaded and validated MUD file: .info (MudInfo), .aces (MudAce list,
    from-device entries first), .changes (what a lenient load normalised,
    one line each) and .notes (what flattening could not keep exactly).
    Attach it with Network.attach_mud(node, profile)."""

    __slots__ = ("_ptr", "info", "aces", "changes", "notes", "source")

    def __init__(self):
        raise TypeError("use MudProfile.load(path) or MudProfile.loads(text)")

    def __copy__(self):
        return self  # a loaded profile never changes: a copy may share it

    def __deepcopy__(self, memo):
        return self

    def __reduce_ex__(self, protocol):
        raise TypeError("a MudProfile cannot be pickled: pickle the MUD file's text and load it again "
                        "with MudProfile.loads()")

    @classmethod
    def _adopt(cls, raw, source):
        self = object.__new__(cls)
        self._ptr = ffi.gc(raw, lib.iotnet_mud_free)
        self.source = source
        p = self._ptr
        info = ffi.new("iotnet_mud_info *")
        info.version = lib.IOTNET_MUD_INFO_VERSION
        check(lib.iotnet_mud_get_info(p, info))
        self.info = MudInfo.from_c(info)
        self.aces = _aces(lib.iotnet_mud_ace_count(p), lambda i, c: lib.iotnet_mud_ace_get(p, i, c))
        self.changes = _lines(lib.iotnet_mud_change_count(p), lambda i: lib.iotnet_mud_change(p, i))
        self.notes = _lines(lib.iotnet_mud_note_count(p), lambda i: lib.iotnet_mud_note(p, i))
        return self

    @classmethod
    def load(cls, path, lenient=False, yang_path=None, max_bytes=None):
        """Load and validate a MUD file (JSON, RFC 7951) against ietf-mud,
        ietf-access-control-list and ietf-acldns. lenient: accept files
        written against the draft ACL model and normalise the known
        differences (listed in .changes). yang_path: directories with
        extension modules. Raises ParseError or ValidationError naming the
        data path, FileError."""
        args = CArgs()
        c_path = args.path(path)
        opts = _mud_options(args, lenient, yang_path, max_bytes)
        out = ffi.new("iotnet_mud **")
        check(lib.iotnet_mud_load(out, c_path, opts))
        return cls._adopt(out[0], os.fsdecode(path))

    @classmethod
    def loads(cls, data, name="<string>", lenient=False, yang_path=None, max_bytes=None):
        """Load a MUD profile from a str or bytes; `name` labels it in errors."""
        data = input_bytes(data)
        args = CArgs()
        c_name = args.string(name, "name")
        opts = _mud_options(args, lenient, yang_path, max_bytes)
        out = ffi.new("iotnet_mud **")
        check(lib.iotnet_mud_loads(out, data, len(data), c_name, opts))
        return cls._adopt(out[0], name)

    def to_dataframe(self):
        """The entries, one row each (needs pandas)."""
        return _aces_dataframe(self.aces)

    def __repr__(self):
        return "<MudProfile %s: %d entries%s>" % (
            self.info.mud_url, len(self.aces),
            ", %d lenient changes" % len(self.changes) if self.changes else "")


class NodeMud:
    """The MUD profile attached to a node, as it was read (a snapshot):
    .info (MudInfo) and .aces (MudAce list)."""

    __slots__ = ("node", "info", "aces")

    def __init__(self, node, info, aces):
        self.node = node
        self.info = info
        self.aces = list(aces)

    def to_dataframe(self):
        return _aces_dataframe(self.aces)

    def __eq__(self, other):
        if not isinstance(other, (NodeMud, MudProfile)):
            return NotImplemented
        return self.info == other.info and self.aces == other.aces

    __hash__ = None

    def __repr__(self):
        return "<NodeMud of %r %s: %d entries>" % (self.node, self.info.mud_url, len(self.aces))


def node_mud(p, index, node_id):
    """The NodeMud of a node, or None when it has no profile."""
    if not lib.iotnet_node_mud_exists(p, index):
        return None
    info = ffi.new("iotnet_mud_info *")
    info.version = lib.IOTNET_MUD_INFO_VERSION
    check(lib.iotnet_node_mud_info(p, index, info))
    aces = _aces(lib.iotnet_node_mud_ace_count(p, index),
                 lambda i, c: lib.iotnet_node_mud_ace_get(p, index, i, c))
    return NodeMud(node_id, MudInfo.from_c(info), aces)


def coerce_profile(profile, lenient, yang_path):
    """A MudProfile from itself or a path."""
    if isinstance(profile, MudProfile):
        if lenient or yang_path is not None:
            raise TypeError("lenient and yang_path apply to loading: pass a path, or load the "
                            "MudProfile with them")
        return profile
    if not isinstance(profile, (str, bytes, os.PathLike)):
        raise TypeError("path must be a MUD file path or a MudProfile, not %s"
                        % type(profile).__name__)
    return MudProfile.load(profile, lenient=lenient, yang_path=yang_path)

