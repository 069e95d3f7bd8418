"""OSCAL's XML form turned into its JSON form, as the OSCAL metaschema
defines the correspondence, for the tests: the XML we write must say what
our JSON says, and what trestle (which reads only JSON and YAML) accepts.

Written from the metaschema's rules, independently of the C writer: flags
are attributes, a repeated element becomes an array under its group name
(which may differ from the element's: <associated-risk> is "related-risks"),
markup-line and markup-multiline become Markdown strings (a multi-line
field's <p> paragraphs joined by a blank line), port ranges are integers.
"""

import re

from lxml import etree

OSCAL_NS = "http://csrc.nist.gov/ns/oscal/1.0"

#: element -> the JSON array it is an item of
GROUPS = {
    "prop": "props", "link": "links", "party": "parties", "role": "roles",
    "result": "results", "component": "components", "inventory-item": "inventory-items",
    "implemented-component": "implemented-components", "protocol": "protocols",
    "port-range": "port-ranges", "assessment-platform": "assessment-platforms",
    "uses-component": "uses-components", "control-selection": "control-selections",
    "include-control": "include-controls", "observation": "observations", "method": "methods",
    "type": "types", "origin": "origins", "actor": "actors", "subject": "subjects",
    "relevant-evidence": "relevant-evidence", "risk": "risks",
    "characterization": "characterizations", "facet": "facets",
    "mitigating-factor": "mitigating-factors", "entry": "entries", "logged-by": "logged-by",
    "related-observation": "related-observations", "finding": "findings",
    "associated-risk": "related-risks", "resource": "resources",
    "control-implementation": "control-implementations",
    "implemented-requirement": "implemented-requirements", "threat-id": "threat-ids",
}
#: (parent, element) pairs that occur once, though the element repeats elsewhere
SINGLE = {("characterization", "origin")}
#: fields whose value is markup: Markdown in JSON
MARKUP = {"title", "description", "remarks", "statement"}
#: flags that are integers
INTEGER_FLAGS = {("port-range", "start"), ("port-range", "end")}

_MARKDOWN = re.compile(r"([\\`*_\[\]<>#&!|~])")


def markdown(text):
    """Plain text as CommonMark that reads back as the same text."""
    return _MARKDOWN.sub(r"\\\1", text)


def _local(el):
    qname = etree.QName(el)
    if qname.namespace != OSCAL_NS:
        raise ValueError("element %s is not in the OSCAL namespace" % el.tag)
    return qname.localname


def _value(el, name):
    children = [c for c in el if isinstance(c.tag, str)]
    if name in MARKUP:
        if children:
            if any(_local(c) != "p" for c in children):
                raise ValueError("<%s> holds other markup than <p>" % name)
            return "\n\n".join(markdown("".join(c.itertext())) for c in children)
        return markdown(el.text or "")
    if not children and not el.attrib:
        return el.text or ""
    out = {}
    for key, value in el.attrib.items():
        out[key] = int(value) if (name, key) in INTEGER_FLAGS else value
    for child in children:
        cname = _local(child)
        value = _value(child, cname)
        group = GROUPS.get(cname)
        if group is None or (name, cname) in SINGLE:
            if cname in out:
                raise ValueError("<%s> repeats in <%s>, which holds one" % (cname, name))
            out[cname] = value
        else:
            out.setdefault(group, []).append(value)
    return out


def to_json(xml_text):
    """The JSON form ({"ROOT": {...}}) of an OSCAL XML document."""
    root = etree.fromstring(xml_text.encode("utf-8"),
                            etree.XMLParser(resolve_entities=False, no_network=True))
    name = _local(root)
    return {name: _value(root, name)}
