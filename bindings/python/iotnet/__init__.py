"""libiotnet for Python: model home and industrial IoT networks with their
firewall, NAT44 and MUD layers.

    import iotnet
    net = iotnet.load("models/topologies/home.json")
    for node in net:
        print(node.id, node.kind, node.zone)

    net = iotnet.Network("lab")
    net.add_zone("lan", "home-lan")
    net.add_node("cam", "camera", zone="lan",
                 services=[iotnet.Service("rtsp", "tcp", 554, authentication="password")])
    net.reach("internet").to_dataframe()      # who the Internet reaches, and how
    print(net.explain("internet", "cam", "tcp/554"))

    findings = net.analyze()                  # the bundled threat catalog against it
    findings.open.to_dataframe()              # what remains, highest residual risk first
    findings.what_if("upnp-off", "router")    # what a mitigation would change
    findings.to_xml2rfc()                     # a table for an Internet-Draft
    iotnet.draft([findings, net.reach("internet")], format="markdown")
    findings.to_oscal()                       # OSCAL assessment results (JSON)
"""

from ._ffi import lib as _lib, text as _text
from .library import data_dir, use_shipped_data as _use_shipped_data, versions

_use_shipped_data()  # before anything loads: the C library reads its data from the package

from .catalog import Catalog, Control, Field, Mitigation, Threat, catalog_dir
from .comply import Compliance, ControlEvidence, ControlFinding, ControlRow, ZoneLevel
from .enums import choices
from .errors import (AlreadyExistsError, AttributeTypeError, ClosedError, FileError, InUseError,
                     InvalidArgumentError, IotnetError, KindError, NotFoundError,
                     OutOfMemoryError, ParseError, ValidationError)
from .findings import Change, Comparison, Finding, Findings, RiskDecision
from .mud import MudAce, MudInfo, MudProfile, NodeMud
from .network import Network, load, loads, yang_dir
from .oscal import oscal_uuid
from .reach import Explanation, Hop, ReachRow, ReachRows, ZoneFlow, ZoneMatrix
from .table import Table, draft
from .values import Interface, Lifecycle, Nat, Policy, PortForward, Rule, Service
from .views import Attributes, Conduit, ElementMap, Link, Node, Zone

__version__ = "0.1.0"
#: The version of the C library compiled into the extension.
library_version = _text(_lib.iotnet_version())

__all__ = [
    "Network", "load", "loads", "choices", "yang_dir", "data_dir", "versions",
    "Interface", "Service", "Lifecycle", "Rule", "Policy", "PortForward", "Nat",
    "Node", "Zone", "Link", "Conduit", "Attributes", "ElementMap",
    "ReachRow", "ReachRows", "Hop", "Explanation", "ZoneFlow", "ZoneMatrix",
    "MudProfile", "MudInfo", "MudAce", "NodeMud",
    "Catalog", "Threat", "Mitigation", "Control", "Field", "catalog_dir",
    "Finding", "Findings", "Change", "Comparison", "RiskDecision", "Table", "draft",
    "Compliance", "ControlRow", "ControlEvidence", "ControlFinding", "ZoneLevel",
    "IotnetError", "ValidationError", "ParseError", "NotFoundError", "AlreadyExistsError",
    "KindError", "AttributeTypeError", "InUseError", "ClosedError", "InvalidArgumentError",
    "FileError", "OutOfMemoryError", "library_version", "oscal_uuid",
]
