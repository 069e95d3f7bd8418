"""OSCAL documents: findings as assessment results, a catalog as a
component definition (NIST OSCAL 1.1.2, JSON or XML).

    findings = net.analyze()
    text = findings.to_oscal()                   # JSON assessment results
    doc = findings.to_oscal(format="dict")       # the same, parsed
    xml = findings.to_oscal(format="xml")
    cd = iotnet.Catalog.default().to_oscal()     # mitigations -> controls

UUIDs are version 5 over stable names (the model's name, finding ids,
control ids): the same model gives the same document but for its
timestamps. oscal_uuid(name) computes one in libiotnet's namespace.
"""

import datetime
import json

from ._ffi import CArgs, ffi, lib, text
from .errors import check
from .findings import assumption_array, time_to_c

__all__ = ["FORMATS", "oscal_uuid"]

#: what to_oscal() returns for each format
FORMATS = ("json", "xml", "dict")

#: the namespace of libiotnet's OSCAL props
NS = text(lib.IOTNET_OSCAL_NS)


def _format(format):
    if not isinstance(format, str):
        raise TypeError("format must be a str, not %s" % type(format).__name__)
    if format not in FORMATS:
        raise ValueError("unknown OSCAL format %r (expected one of: %s)" % (format, ", ".join(FORMATS)))
    return format


def options(args, format, now, document_version, framework=None, assume=()):
    """An iotnet_oscal_options for to_oscal()'s arguments (now in seconds
    since the epoch, or IOTNET_TIME_UNSET; assume: (mitigation, target or
    None) pairs)."""
    opts = args.new("iotnet_oscal_options *")
    opts.version = lib.IOTNET_OSCAL_OPTIONS_VERSION
    opts.format = lib.IOTNET_OSCAL_XML if format == "xml" else lib.IOTNET_OSCAL_JSON
    opts.now = now
    opts.document_version = args.string(document_version, "document_version", optional=True)
    opts.framework = args.string(framework, "framework", optional=True)
    opts.assume = assumption_array(args, assume)
    opts.assume_count = len(assume)
    return opts


def take(out, format):
    """The document a writer returned (freed), as text or parsed."""
    try:
        document = text(out[0])
    finally:
        lib.iotnet_string_free(out[0])
    return json.loads(document) if format == "dict" else document


def stamp(now, default):
    """Seconds for the timestamps: now (a datetime or date), else default."""
    if now is None:
        return default
    if not isinstance(now, (datetime.datetime, datetime.date)):
        raise TypeError("now must be a datetime or date, not %s" % type(now).__name__)
    return time_to_c(now, "now")


def assessment_results(net_ptr, cat_ptr, findings_ptr, format, now, document_version, framework, assume):
    """iotnet_oscal_assessment_results() on C findings computed with `assume`."""
    format = _format(format)
    args = CArgs()
    opts = options(args, format, now, document_version, framework, assume)
    out = ffi.new("char **")
    check(lib.iotnet_oscal_assessment_results(out, net_ptr, cat_ptr, findings_ptr, opts))
    return take(out, format)


def component_definition(cat_ptr, format, now, document_version):
    """iotnet_oscal_component_definition() of a catalog set."""
    format = _format(format)
    args = CArgs()
    opts = options(args, format, now, document_version)
    out = ffi.new("char **")
    check(lib.iotnet_oscal_component_definition(out, cat_ptr, opts))
    return take(out, format)


def oscal_uuid(name, namespace=None):
    """The UUID version 5 of `name` (str) in `namespace` (a UUID as str or
    uuid.UUID; None: libiotnet's OSCAL namespace), as text."""
    if not isinstance(name, str):
        raise TypeError("name must be a str, not %s" % type(name).__name__)
    if namespace is not None and not isinstance(namespace, str):
        namespace = str(namespace)
    args = CArgs()
    out = ffi.new("char[]", lib.IOTNET_UUID_TEXT_SIZE)
    check(lib.iotnet_oscal_uuid(out, args.string(namespace, "namespace", optional=True),
                                args.string(name, "name")))
    return text(out)
