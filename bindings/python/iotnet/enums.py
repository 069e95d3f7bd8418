"""Enumerations by name: Python speaks the names topology files use
("wifi", "tls1.3", "endpoint-independent"); the library's names table is the
only list of them."""

from ._ffi import ffi, lib, text
from .errors import check

__all__ = ["choices", "ENUMS"]

#: The enumerations, by the name Python code uses for them.
ENUMS = {
    "protocol": lib.IOTNET_ENUM_PROTOCOL,
    "tristate": lib.IOTNET_ENUM_TRISTATE,
    "medium": lib.IOTNET_ENUM_MEDIUM,
    "link-encryption": lib.IOTNET_ENUM_LINK_ENCRYPTION,
    "authentication": lib.IOTNET_ENUM_AUTH,
    "transport": lib.IOTNET_ENUM_TRANSPORT,
    "nat-traversal": lib.IOTNET_ENUM_NAT_TRAVERSAL,
    "update-mechanism": lib.IOTNET_ENUM_UPDATE,
    "reset-method": lib.IOTNET_ENUM_RESET,
    "attestation": lib.IOTNET_ENUM_ATTESTATION,
    "entity": lib.IOTNET_ENUM_ENTITY,
    "attribute-type": lib.IOTNET_ENUM_ATTR_TYPE,
    "action": lib.IOTNET_ENUM_ACTION,
    "selector": lib.IOTNET_ENUM_SELECTOR,
    "initiated-by": lib.IOTNET_ENUM_INITIATED,
    "nat-mapping": lib.IOTNET_ENUM_NAT_MAPPING,
    "nat-filtering": lib.IOTNET_ENUM_NAT_FILTERING,
    "exposure": lib.IOTNET_ENUM_EXPOSURE,
    "layer": lib.IOTNET_ENUM_LAYER,
    "mud-direction": lib.IOTNET_ENUM_MUD_DIRECTION,
    "mud-peer": lib.IOTNET_ENUM_MUD_PEER,
    "target": lib.IOTNET_ENUM_TARGET,
    "finding-status": lib.IOTNET_ENUM_FINDING_STATUS,
}


def choices(enum):
    """The names an enumeration accepts, in the library's order, e.g.
    choices("medium") -> ["unspecified", "ethernet", "wifi", ...]."""
    try:
        kind = ENUMS[enum]
    except (KeyError, TypeError):
        raise ValueError("unknown enumeration %r (expected one of: %s)"
                         % (enum, ", ".join(ENUMS))) from None
    return list(_values(kind))


_VALUES = {}


def _values(kind):
    """{name: value} of an enumeration, read once from the library's table."""
    table = _VALUES.get(kind)
    if table is None:
        table, i = {}, 0
        value = ffi.new("int *")
        while True:
            name = lib.iotnet_enum_entry(kind, i, value)
            if name == ffi.NULL:
                break
            table[text(name)] = value[0]
            i += 1
        _VALUES[kind] = table
    return table


def value_of(kind, name, what):
    """The C value of an enumeration name; ValueError (InvalidArgumentError,
    listing the valid names) for an unknown one."""
    if not isinstance(name, str):
        raise TypeError("%s must be a str, not %s" % (what, type(name).__name__))
    value = _values(kind).get(name)
    if value is not None:
        return value
    if "\0" in name:
        raise ValueError("%s must not contain NUL characters" % what)
    out = ffi.new("int *")
    check(lib.iotnet_enum_parse(kind, name.encode("utf-8"), out))  # raises, naming the choices
    return out[0]


def name_of(kind, value):
    """The name of a C enumeration value (its number as text if the table
    does not know it)."""
    name = lib.iotnet_enum_name(kind, int(value))
    return str(int(value)) if name == ffi.NULL else text(name)


def tristate_value(value, what):
    """None/False/True as IOTNET_UNKNOWN/NO/YES."""
    if value is None:
        return lib.IOTNET_UNKNOWN
    if not isinstance(value, bool):
        raise TypeError("%s must be a bool or None, not %s" % (what, type(value).__name__))
    return lib.IOTNET_YES if value else lib.IOTNET_NO


def tristate_of(value):
    if value == lib.IOTNET_YES:
        return True
    if value == lib.IOTNET_NO:
        return False
    return None
