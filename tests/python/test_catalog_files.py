"""The bundled catalogs in models/catalogs, checked without the C library:
every file validates against the RELAX NG schema (lxml, or xmllint when lxml
is missing), the counts are what the documentation promises, every
reference resolves, and every condition uses only the fields, operators,
enumeration names and kinds the condition vocabulary defines, with values of
the right type. The vocabulary is kept here and in models/catalogs/README.md;
a test checks that the two agree."""

import pathlib
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
CATALOGS = REPO_ROOT / "models" / "catalogs"
SCHEMA = CATALOGS / "schema" / "catalog.rng"
README = CATALOGS / "README.md"
YANG_DIR = REPO_ROOT / "models" / "yang"
NS = "{urn:libiotnet:catalog}"

CATALOG_FILES = sorted(CATALOGS.glob("*.xml"))

# ---------------------------------------------------------------------------
# The condition vocabulary (models/catalogs/README.md, "Fields")

ENUMS = {
    "action": "accept drop reject",
    "nat-filtering": "endpoint-independent address-dependent address-and-port-dependent",
    "nat-mapping": "endpoint-independent address-dependent address-and-port-dependent",
    "update-mechanism": "unspecified none manual automatic suit",
    "tristate": "unknown no yes",
    "reset-method": "unspecified none button app vendor-cloud console",
    "attestation": "unspecified none rats vendor",
    "exposure": "none reply-only hole-punchable pinhole port-forward direct",
    "protocol": "any icmp tcp udp sctp",
    "authentication": "unspecified none default-password password certificate psk",
    "transport": "unspecified none tls1.0 tls1.1 tls1.2 tls1.3 dtls1.0 dtls1.2 dtls1.3 ssh",
    "nat-traversal": "none upnp pcp hole-punch",
    "medium": "unspecified ethernet wifi ble zigbee thread zwave lte 5g fibre dsl cable serial "
              "lorawan powerline vpn virtual internet",
    "link-encryption": "unspecified none wpa2 wpa3 macsec ipsec wireguard link-layer",
}
ENUMS = {k: set(v.split()) for k, v in ENUMS.items()}

# type names: int float bool string words (space-separated, op contains) date
# duration kind enum:NAME
NODE_FIELDS = {
    "id": "string", "kind": "kind", "zone": "string", "zone-kind": "kind",
    "vendor": "string", "model": "string", "firmware": "string", "implementation": "string",
    "mud-url": "string", "description": "string",
    "forwarding": "bool", "has-policy": "bool", "has-nat": "bool", "has-mud-profile": "bool",
    "policy/default-action": "enum:action",
    "nat/filtering": "enum:nat-filtering", "nat/mapping": "enum:nat-mapping",
    "nat/upnp": "bool", "nat/pcp": "bool", "nat/cgnat": "bool", "nat/hairpinning": "bool",
    "nat/forward-count": "int",
    "lifecycle/certificate-not-after": "date", "lifecycle/signed-artifact-lifetime": "duration",
    "lifecycle/end-of-support": "date", "lifecycle/update-mechanism": "enum:update-mechanism",
    "lifecycle/owner": "string", "lifecycle/ownership-statement": "enum:tristate",
    "lifecycle/reset-method": "enum:reset-method",
    "lifecycle/vendor-cloud-dependency": "enum:tristate",
    "lifecycle/credentials-escrowed": "enum:tristate", "lifecycle/attestation": "enum:attestation",
    "lifecycle/certificate-outlived": "bool",
    "service-count": "int", "management-service-count": "int",
    "internet-exposure": "enum:exposure", "exposed-service-count": "int",
    "link-media": "words",
}
SERVICE_FIELDS = {
    "name": "string", "protocol": "enum:protocol", "port": "int",
    "authentication": "enum:authentication", "transport": "enum:transport",
    "cipher-suites": "words", "management": "bool", "nat-traversal": "enum:nat-traversal",
    "internet-exposure": "enum:exposure",
}
LINK_FIELDS = {
    "id": "string", "medium": "enum:medium", "encryption": "enum:link-encryption",
    "latency-ms": "float",
}
ZONE_FIELDS = {
    "id": "string", "kind": "kind", "purdue-level": "float", "target-sl": "int",
    "node-count": "int", "uncovered-flows": "int",
}
CONDUIT_FIELDS = {
    "id": "string", "from-zone": "string", "to-zone": "string", "services": "words",
    "any-service": "bool", "bidirectional": "bool",
}
ORDERED = {"int", "float", "date", "duration", "enum:exposure"}
NUMERIC = {"int", "float"}
DATE_RE = re.compile(r"^(now([+-]P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?)?|\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2}))?)$")
DURATION_RE = re.compile(r"^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")


def resolve_field(target, name, attrs, depth=0):
    """The type of field `name` on a target kind, or None when unknown.
    attrs: {(attribute name, target): type} from the catalogs' declarations."""
    if depth > 4:
        return None
    if name.startswith("attr:") and target in ("node", "link", "zone"):
        return attrs.get((name[5:], target))
    table = {"node": NODE_FIELDS, "service": SERVICE_FIELDS, "link": LINK_FIELDS,
             "zone": ZONE_FIELDS, "conduit": CONDUIT_FIELDS}[target]
    if name in table:
        return table[name]
    head, _, rest = name.partition("/")
    if not rest:
        return None
    sub = {("node", "gateway"): "node", ("service", "node"): "node", ("link", "a"): "node",
           ("link", "b"): "node", ("conduit", "from"): "zone", ("conduit", "to"): "zone"}.get((target, head))
    return resolve_field(sub, rest, attrs, depth + 1) if sub else None


# ---------------------------------------------------------------------------
# helpers


def local(el):
    return el.tag[len(NS):] if el.tag.startswith(NS) else el.tag


def parse(path):
    return ET.parse(str(path)).getroot()


@pytest.fixture(scope="module")
def roots():
    return {p.name: parse(p) for p in CATALOG_FILES}


@pytest.fixture(scope="module")
def kinds():
    """Built-in kinds: the identities of the iotnet-topology YANG module."""
    modules = sorted(YANG_DIR.glob("iotnet-topology@*.yang"))
    assert modules, "no iotnet-topology module in %s" % YANG_DIR
    return set(re.findall(r"^\s*identity\s+([A-Za-z0-9_.-]+)", modules[-1].read_text(), re.M))


def catalogs(roots):
    return [(n, r) for n, r in roots.items() if local(r) == "catalog"]


def control_sets(roots):
    out = {}
    for _, r in roots.items():
        if local(r) == "controls":
            out.setdefault(r.get("framework"), set()).update(c.get("id") for c in r.iter(NS + "control"))
    return out


def all_of(roots, tag):
    for name, r in catalogs(roots):
        ns = r.get("namespace")
        for el in r.findall(NS + tag):
            yield name, ns, el


# ---------------------------------------------------------------------------
# schema validation


def test_there_are_catalog_files():
    assert SCHEMA.exists()
    assert len(CATALOG_FILES) >= 5


@pytest.mark.parametrize("path", CATALOG_FILES, ids=lambda p: p.name)
def test_file_validates_against_schema(path):
    try:
        from lxml import etree
    except ImportError:
        etree = None
    if etree is not None:
        schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        doc = etree.parse(str(path), parser)
        assert schema.validate(doc), str(schema.error_log)
        return
    xmllint = shutil.which("xmllint")
    if xmllint is None:
        pytest.skip("neither lxml nor xmllint is available to validate against the RELAX NG schema")
    res = subprocess.run([xmllint, "--noout", "--nonet", "--relaxng", str(SCHEMA), str(path)],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_schema_rejects_bad_input(tmp_path):
    """A few things the schema must refuse: out-of-range scores, unknown
    elements and attributes, a value on exists, a positive delta."""
    xmllint = shutil.which("xmllint")
    good = (
        '<catalog xmlns="urn:libiotnet:catalog" namespace="t">'
        '<threat id="x" target="node"><title>t</title><description>d</description>'
        '<stride>S</stride><likelihood>{l}</likelihood><impact>1</impact>'
        '<applies-when><field name="has-nat" op="{op}"{value}/></applies-when>'
        '<mitigations>m</mitigations>{extra}</threat>'
        '<mitigation id="m" target="node"{sl}><title>t</title><description>d</description>'
        '<present-when><is-a kind="camera"/></present-when>'
        '<effect likelihood="{dl}" impact="0"/><controls>nistir8259a:1</controls></mitigation>'
        '</catalog>')
    base = dict(l=3, op="=", value=' value="true"', extra="", dl=-1, sl="")
    cases = [({}, True), ({"l": 6}, False), ({"l": 0}, False), ({"extra": "<bogus/>"}, False),
             ({"op": "exists"}, False), ({"op": "exists", "value": ""}, True), ({"op": "~"}, False),
             ({"dl": 1}, False), ({"dl": -5}, False),
             ({"sl": ' sl="4"'}, True), ({"sl": ' sl="5"'}, False), ({"sl": ' sl="0"'}, False)]
    try:
        from lxml import etree
        schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
        check = lambda text: schema.validate(etree.fromstring(text.encode()))
    except ImportError:
        if xmllint is None:
            pytest.skip("neither lxml nor xmllint is available")

        def check(text):
            f = tmp_path / "c.xml"
            f.write_text(text)
            return subprocess.run([xmllint, "--noout", "--nonet", "--relaxng", str(SCHEMA), str(f)],
                                  capture_output=True).returncode == 0
    for change, ok in cases:
        args = dict(base, **change)
        assert check(good.format(**args)) == ok, change
    controls = ('<controls xmlns="urn:libiotnet:catalog" framework="x">'
                '<control id="SR 1.1" group="FR 1"{}>t</control></controls>')
    assert check(controls.format(""))
    assert check(controls.format(' min-sl="2"'))
    assert not check(controls.format(' min-sl="5"'))
    assert not check(controls.format(' min-sl="two"'))


# ---------------------------------------------------------------------------
# counts


def test_counts(roots):
    threats = list(all_of(roots, "threat"))
    mitigations = list(all_of(roots, "mitigation"))
    assert len(threats) >= 60
    assert len(mitigations) >= 40
    assert all(ns == "iotnet" for _, ns, _ in threats + mitigations)


def test_iec62443_srs_carry_their_lowest_security_level(roots):
    """min-sl of every SR; those first selected above SL 1 per IEC 62443-3-3."""
    srs = {c.get("id"): c.get("min-sl") for r in roots.values() if local(r) == "controls"
           and r.get("framework") == "iec62443-3-3" for c in r.iter(NS + "control")}
    assert len(srs) == 51 and all(v in ("1", "2", "3", "4") for v in srs.values())
    higher = {k for k, v in srs.items() if v != "1"}
    assert higher == {"SR 1.2", "SR 1.8", "SR 1.9", "SR 2.6", "SR 2.7", "SR 2.12", "SR 3.4", "SR 3.8",
                      "SR 3.9", "SR 4.2", "SR 6.2", "SR 7.8"}


def test_iso27001_has_all_93_annex_a_controls(roots):
    want = (["5.%d" % i for i in range(1, 38)] + ["6.%d" % i for i in range(1, 9)]
            + ["7.%d" % i for i in range(1, 15)] + ["8.%d" % i for i in range(1, 35)])
    assert len(want) == 93
    got = [c.get("id") for r in roots.values() if local(r) == "controls"
           and r.get("framework") == "iso27001-2022" for c in r.iter(NS + "control")]
    assert got == want
    groups = {c.get("id").split(".")[0]: c.get("group") for r in roots.values()
              if r.get("framework") == "iso27001-2022" for c in r.iter(NS + "control")}
    assert groups == {"5": "Organizational", "6": "People", "7": "Physical", "8": "Technological"}


def test_iec62443_srs(roots):
    want = {1: 13, 2: 12, 3: 9, 4: 3, 5: 4, 6: 2, 7: 8}
    ids = control_sets(roots)["iec62443-3-3"]
    assert ids == {"SR %d.%d" % (fr, i) for fr, n in want.items() for i in range(1, n + 1)}


def test_etsi_and_nist(roots):
    sets = control_sets(roots)
    etsi = sets["etsi-en303645"]
    clauses = {i.split("-")[0] for i in etsi}
    assert clauses == {"5.%d" % i for i in range(1, 14)} | {"6"}
    assert sets["nistir8259a"] == {"1", "2", "3", "4", "5", "6"}


def test_control_labels_are_short_and_unique(roots):
    for r in roots.values():
        if local(r) != "controls":
            continue
        ids = [c.get("id") for c in r.iter(NS + "control")]
        assert len(ids) == len(set(ids)), r.get("framework")
        for c in r.iter(NS + "control"):
            assert 0 < len(c.text.split()) <= 10, (r.get("framework"), c.get("id"), c.text)


# ---------------------------------------------------------------------------
# references


def test_ids_are_unique(roots):
    seen = set()
    for _, ns, el in list(all_of(roots, "threat")) + list(all_of(roots, "mitigation")):
        key = (local(el), ns, el.get("id"))
        assert key not in seen, key
        seen.add(key)


def test_every_threat_has_stride_and_a_resolvable_mitigation(roots):
    mitigations = {(ns, el.get("id")) for _, ns, el in all_of(roots, "mitigation")}
    used = set()
    for _, ns, t in all_of(roots, "threat"):
        stride = t.findtext(NS + "stride").split()
        assert stride and set(stride) <= set("STRIDE"), t.get("id")
        refs = t.findtext(NS + "mitigations").split()
        assert refs, t.get("id")
        for ref in refs:
            key = tuple(ref.split(":", 1)) if ":" in ref else (ns, ref)
            assert key in mitigations, (t.get("id"), ref)
            used.add(key)
    assert mitigations - used == set(), "mitigations no threat names"


def test_every_control_reference_resolves(roots):
    sets = control_sets(roots)
    for _, _, m in all_of(roots, "mitigation"):
        words = m.findtext(NS + "controls").split()
        frameworks = {w.split(":")[0] for w in words}
        assert {"iso27001-2022", "iec62443-3-3", "nistir8259a"} & frameworks, m.get("id")
        for w in words:
            fw, _, cid = w.partition(":")
            assert fw in sets, (m.get("id"), w)
            # SR1.1 in a reference is "SR 1.1" in the control catalog
            cid = re.sub(r"^SR(\d)", r"SR \1", cid)
            assert cid in sets[fw], (m.get("id"), w)


def test_ids_look_right(roots):
    for _, _, t in all_of(roots, "threat"):
        for tag, pat in (("cwe", r"CWE-\d+"), ("capec", r"CAPEC-\d+"), ("attack-ics", r"T0\d{3}")):
            for word in (t.findtext(NS + tag) or "").split():
                assert re.fullmatch(pat, word), (t.get("id"), word)
        for l in ("likelihood", "impact"):
            assert 1 <= int(t.findtext(NS + l)) <= 5


# ---------------------------------------------------------------------------
# conditions


def declared_attributes(roots):
    attrs = {}
    for _, r in catalogs(roots):
        for a in r.findall(NS + "attribute"):
            key = (a.get("name"), a.get("target"))
            assert attrs.get(key, a.get("type")) == a.get("type"), key
            attrs[key] = a.get("type")
    return attrs


def declared_kinds(roots):
    return {k.get("name") for _, r in catalogs(roots) for k in r.findall(NS + "kind")}


def check_value(ftype, op, value, where):
    values = value.split() if op == "in" else [value]
    assert values, where
    for v in values:
        if ftype in NUMERIC:
            assert re.fullmatch(r"-?\d+" if ftype == "int" else r"-?\d+(\.\d+)?", v), where
        elif ftype == "bool":
            assert v in ("true", "false"), where
        elif ftype == "date":
            assert DATE_RE.match(v), where
        elif ftype == "duration":
            assert DURATION_RE.match(v), where
        elif ftype.startswith("enum:"):
            assert v in ENUMS[ftype[5:]], (where, v, sorted(ENUMS[ftype[5:]]))


def walk(cond, target, attrs, kinds, where, in_service=False):
    tag = local(cond)
    kids = list(cond)
    if tag in ("all", "any"):
        assert kids, where
        for k in kids:
            walk(k, target, attrs, kinds, where, in_service)
    elif tag == "not":
        assert len(kids) == 1, where
        walk(kids[0], target, attrs, kinds, where, in_service)
    elif tag == "service":
        assert target == "node" and not in_service, where
        assert len(kids) == 1, where
        walk(kids[0], "service", attrs, kinds, where, True)
    elif tag == "is-a":
        field = cond.get("field")
        if field is not None:
            assert resolve_field(target, field, attrs) == "kind", (where, field)
        assert cond.get("kind") in kinds, (where, cond.get("kind"))
    elif tag == "reachable":
        assert target in ("node", "service"), where
        assert cond.get("min") in ENUMS["exposure"], where
    elif tag == "field":
        name, op, value = cond.get("name"), cond.get("op"), cond.get("value")
        ftype = resolve_field(target, name, attrs)
        assert ftype is not None, "%s: unknown field %r on a %s" % (where, name, target)
        w = "%s: %s %s %r" % (where, name, op, value)
        if op == "exists":
            assert value is None, w
            return
        assert value is not None, w
        if op == "contains":
            assert ftype == "words", w
            assert value and " " not in value, w
            return
        assert ftype != "words", w  # word lists are tested with contains
        if op in ("<", "<=", ">", ">="):
            assert ftype in ORDERED, w
        elif op == "in":
            assert ftype != "bool", w
        else:
            assert op in ("=", "!="), w
        if ftype in ("string", "kind"):
            if ftype == "kind":
                for v in (value.split() if op == "in" else [value]):
                    assert v in kinds, w
            return
        check_value(ftype, op, value, w)
    else:
        raise AssertionError("%s: unknown condition element %s" % (where, tag))


def test_conditions_use_the_vocabulary(roots, kinds):
    attrs = declared_attributes(roots)
    all_kinds = kinds | declared_kinds(roots)
    for element, wrapper in (("threat", "applies-when"), ("mitigation", "present-when")):
        for fname, _, el in all_of(roots, element):
            target = el.get("target")
            cond = el.find(NS + wrapper)
            assert cond is not None and len(cond) == 1
            walk(cond[0], target, attrs, all_kinds, "%s %s %s" % (fname, element, el.get("id")))


def test_declared_attributes_are_used_and_match_the_models(roots):
    attrs = declared_attributes(roots)
    text = "".join(ET.tostring(r, encoding="unicode") for _, r in catalogs(roots))
    for name, _target in attrs:
        assert "attr:%s\"" % name in text, "declared but unused: %s" % name
    # where a bundled model carries the attribute, its type is the declared one
    tag_of = {"string": "string", "int": "int", "float": "float", "bool": "bool",
              "date": "date", "duration": "duration"}
    topo = REPO_ROOT / "models" / "topologies"
    for path in sorted(topo.glob("*.xml")):
        for m in re.finditer(r"<attribute>\s*<name>([^<]+)</name>\s*<([a-z]+)>", path.read_text()):
            for (name, _t), typ in attrs.items():
                if name == m.group(1):
                    assert tag_of[typ] == m.group(2), (path.name, name, typ, m.group(2))


def test_mitigation_targets_fit_their_threats(roots):
    """How a mitigation is evaluated for a finding: same target kind; a node
    mitigation for service and link threats; a zone mitigation for node,
    service and zone threats."""
    mits = {(ns, el.get("id")): el.get("target") for _, ns, el in all_of(roots, "mitigation")}
    fits = {"node": {"node", "zone"}, "service": {"service", "node", "zone"},
            "link": {"link", "node"}, "zone": {"zone"}, "conduit": {"conduit"}}
    for _, ns, t in all_of(roots, "threat"):
        for ref in t.findtext(NS + "mitigations").split():
            key = tuple(ref.split(":", 1)) if ":" in ref else (ns, ref)
            assert mits[key] in fits[t.get("target")], (t.get("id"), ref, mits[key])


def test_readme_documents_the_fields():
    text = README.read_text()
    for table in (NODE_FIELDS, SERVICE_FIELDS, LINK_FIELDS, ZONE_FIELDS, CONDUIT_FIELDS):
        for name in table:
            assert "`%s`" % name in text, name
    for values in ENUMS.values():
        for v in values:
            assert v in text, v


def test_readme_lists_every_threat(roots):
    text = README.read_text()
    for _, _, t in all_of(roots, "threat"):
        assert "| `%s` |" % t.get("id") in text, t.get("id")
