"""Catalogs from Python: loading files, directories and text, chained loads,
the entries as plain objects, lookups, the condition fields, errors that
name the file and line, and the bundled catalogs."""

import gc

import pytest

import iotnet
from conftest import LAB_CATALOG, LAB_CONTROLS

pytestmark = pytest.mark.skipif(not iotnet.catalog.has_engine(),
                                reason="this build has no threat catalogs")

FRAMEWORKS = {"iso27001-2022", "iec62443-3-3", "etsi-en303645", "nistir8259a"}


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def lab_catalog(lab_files):
    return iotnet.Catalog.load(lab_files["controls"]).load(lab_files["catalog"])


# ---- loading ---------------------------------------------------------------------


def test_an_empty_catalog():
    cat = iotnet.Catalog()
    assert len(cat) == 0
    assert (cat.threats, cat.mitigations, cat.controls) == ([], [], [])
    assert repr(cat) == "<iotnet.Catalog: 0 threats, 0 mitigations, 0 controls>"
    assert "nat-as-firewall" not in cat


def test_load_a_file_then_add_another(lab_files):
    cat = iotnet.Catalog.load(lab_files["controls"])
    assert (len(cat), len(cat.controls)) == (0, 2)
    same = cat.load(lab_files["catalog"])
    assert same is cat
    assert (len(cat), len(cat.mitigations), len(cat.controls)) == (6, 4, 2)
    assert cat.sources == [str(lab_files["controls"]), str(lab_files["catalog"])]


def test_load_a_directory_all_files_in_name_order(lab_files):
    cat = iotnet.Catalog.load(lab_files["dir"])
    assert (len(cat), len(cat.mitigations), len(cat.controls)) == (6, 4, 2)
    assert [t.id for t in cat.threats] == [
        "lab:forwarded-service", "lab:unauthenticated", "lab:default-password", "lab:nat-only",
        "lab:camera-without-mud", "lab:certificate-expiring"]
    assert [t.id for t in cat] == [t.id for t in cat.threats]


def test_loads_text_and_bytes():
    cat = iotnet.Catalog.loads(LAB_CONTROLS, name="controls")
    cat.loads(LAB_CATALOG.encode("utf-8"), name="threats")
    assert len(cat) == 6 and cat.sources == ["controls", "threats"]


def test_threat_fields(lab_files):
    cat = lab_catalog(lab_files)
    t = cat.threat("lab:unauthenticated")
    assert (t.id, t.title, t.target, t.likelihood, t.impact) == (
        "lab:unauthenticated", "Service without authentication", "service", 5, 4)
    assert t.inherent_risk == 20 and t.namespace == "lab"
    assert t.description == "Whoever reaches the service may use it."
    assert t.stride == "SI"
    assert (t.cwe, t.capec, t.attack_ics) == (("CWE-306", "CWE-287"), ("CAPEC-115",), ("T0859",))
    assert t.mitigations == ("lab:filtered",)      # bare ids are in the file's namespace
    assert t.references == ()
    assert isinstance(t.condition, str) and "authentication" in t.condition
    # STRIDE letters come back in STRIDE order, whatever the file's order
    assert cat.threat("forwarded-service").stride == "SE"
    assert cat.threat("forwarded-service").references == ("RFC4787",)
    assert cat.threat("default-password").mitigations == ("lab:pw-rotated", "lab:filtered")
    record = t.to_dict()
    assert record["cwe"] == ["CWE-306", "CWE-287"] and record["stride"] == "SI"


def test_mitigation_and_control_fields(lab_files):
    cat = lab_catalog(lab_files)
    m = cat.mitigation("mud")
    assert (m.id, m.title, m.target, m.likelihood_delta, m.impact_delta) == (
        "lab:mud", "MUD profile enforced", "node", -2, -1)
    assert m.technologies == ("MUD", "802.1X")
    assert m.controls == ("lab-fw:1", "lab-fw:2")
    assert "has-mud-profile" in m.condition
    assert cat.mitigation("lab:pw-rotated").technologies == ()
    c = cat.control("lab-fw:2")
    assert (c.framework, c.id, c.title, c.group, c.ref) == (
        "lab-fw", "2", "Credentials managed", "Access", "lab-fw:2")
    assert cat.control("lab-fw", "1").title == "Traffic filtered"
    assert [c.title for c in cat.controls_of("lab:mud")] == ["Traffic filtered",
                                                            "Credentials managed"]
    assert [x.id for x in cat.mitigations_of("default-password")] == ["lab:pw-rotated",
                                                                     "lab:filtered"]
    assert cat.frameworks == ["lab-fw"]


def test_lookups(lab_files):
    cat = lab_catalog(lab_files)
    assert cat.threat("nat-only") == cat.threat("lab:nat-only")
    assert "lab:nat-only" in cat and "filtered" in cat and "ghost" not in cat
    with pytest.raises(iotnet.NotFoundError) as exc:
        cat.threat("ghost")
    assert isinstance(exc.value, KeyError) and "ghost" in str(exc.value)
    with pytest.raises(iotnet.NotFoundError):
        cat.mitigation("nat-only")                 # a threat, not a mitigation
    with pytest.raises(iotnet.NotFoundError):
        cat.control("lab-fw:9")
    with pytest.raises(ValueError):
        cat.control("no-colon")
    for bad in (None, 3):
        with pytest.raises(TypeError):
            cat.threat(bad)


def test_tables(lab_files):
    pandas = pytest.importorskip("pandas")
    cat = lab_catalog(lab_files)
    threats = cat.to_dataframe()
    assert isinstance(threats, pandas.DataFrame) and len(threats) == 6
    assert list(threats.columns[:4]) == ["id", "title", "description", "stride"]
    assert threats.set_index("id").loc["lab:nat-only", "likelihood"] == 4
    assert len(cat.to_dataframe("mitigations")) == 4
    assert list(cat.to_dataframe("controls").id) == ["1", "2"]
    assert len(cat.to_dataframe("fields")) == len(iotnet.Catalog.fields())
    with pytest.raises(ValueError):
        cat.to_dataframe("rules")
    page = cat._repr_html_()
    assert "lab:forwarded-service" in page and "6 threats" in page


# ---- condition fields -----------------------------------------------------------------


def test_fields_conditions_may_test():
    found = iotnet.Catalog.fields()
    by_target = {(f.target, f.name): f for f in found}
    assert by_target[("node", "kind")].type == "string"
    assert ("node", "internet-exposure") in by_target
    assert ("service", "internet-exposure") in by_target
    assert by_target[("service", "port")].type == "int"
    assert by_target[("node", "lifecycle/certificate-not-after")].type == "date"
    assert all(f.description for f in found)
    service = iotnet.Catalog.fields("service")
    assert service and {f.target for f in service} == {"service"}
    assert iotnet.Catalog().fields("zone") == iotnet.Catalog.fields("zone")
    with pytest.raises(ValueError):
        iotnet.Catalog.fields("router")


# ---- errors ---------------------------------------------------------------------------


def _line_of(text, needle):
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_duplicate_id_is_an_error_and_adds_nothing(lab_files):
    cat = lab_catalog(lab_files)
    with pytest.raises(iotnet.ValidationError) as exc:
        cat.load(lab_files["catalog"])
    assert exc.value.file and exc.value.file.endswith("b-threats.xml")
    assert "forwarded-service" in str(exc.value) or "duplicate" in str(exc.value).lower()
    assert (len(cat), len(cat.mitigations)) == (6, 4)
    assert cat.sources == [str(lab_files["controls"]), str(lab_files["catalog"])]


def test_a_directory_loads_all_or_nothing(lab_files, tmp_path):
    write(lab_files["dir"], "c-broken.xml", "<catalog xmlns='urn:libiotnet:catalog'")
    cat = iotnet.Catalog()
    with pytest.raises(iotnet.ParseError):
        cat.load(lab_files["dir"])
    assert (len(cat), len(cat.controls)) == (0, 0)


def test_xml_that_is_not_well_formed(tmp_path):
    path = write(tmp_path, "bad.xml", "<?xml version='1.0'?>\n<catalog namespace='x'>\n<threat>\n")
    with pytest.raises(iotnet.ParseError) as exc:
        iotnet.Catalog.load(path)
    assert isinstance(exc.value, iotnet.ValidationError)
    assert exc.value.file.endswith("bad.xml") and exc.value.line is not None


def test_an_unknown_field_names_file_and_line(tmp_path):
    text = LAB_CATALOG.replace('<field name="has-nat"', '<field name="has-nap"')
    path = write(tmp_path, "typo.xml", text)
    cat = iotnet.Catalog.loads(LAB_CONTROLS)
    with pytest.raises(iotnet.ValidationError) as exc:
        cat.load(path)
    assert "has-nap" in str(exc.value)
    assert exc.value.file.endswith("typo.xml")
    assert exc.value.line in (_line_of(text, "has-nap"), _line_of(text, 'id="nat-only"'))
    assert len(cat) == 0


@pytest.mark.parametrize("change", [
    ('<likelihood>5</likelihood>', '<likelihood>7</likelihood>'),            # schema: 1..5
    ('<stride>S</stride>', '<stride>X</stride>'),                            # schema: STRIDE
    ('<mitigations>mud</mitigations>', '<mitigations>ghost</mitigations>'),  # no such mitigation
    ('<is-a kind="camera"/>', '<is-a kind="toaster"/>'),                     # no such kind
    ('op="=" value="none"', 'op="=" value="nobody"'),                        # not an authentication
    ('value="now+P1Y"', 'value="next year"'),                                # not a date
    ('<field name="attr:pw-rotated"', '<field name="attr:undeclared"'),      # undeclared attribute
])
def test_conditions_and_references_are_checked_when_loading(change, tmp_path):
    old, new = change
    assert old in LAB_CATALOG
    path = write(tmp_path, "wrong.xml", LAB_CATALOG.replace(old, new, 1))
    cat = iotnet.Catalog.loads(LAB_CONTROLS)
    with pytest.raises(iotnet.ValidationError) as exc:
        cat.load(path)
    assert exc.value.file.endswith("wrong.xml") and exc.value.line is not None
    assert len(cat) == 0 and len(cat.mitigations) == 0


def test_missing_files_and_wrong_arguments(tmp_path):
    with pytest.raises(iotnet.FileError):
        iotnet.Catalog.load(tmp_path / "nowhere.xml")
    with pytest.raises(TypeError):
        iotnet.Catalog.load(None)
    with pytest.raises(TypeError):
        iotnet.Catalog.loads(42)
    with pytest.raises(TypeError):
        iotnet.Catalog().loads("<x/>", name=None)


# ---- life ------------------------------------------------------------------------------


CLOSED_CALLS = [
    lambda c: len(c),
    lambda c: c.threats,
    lambda c: c.mitigations,
    lambda c: c.controls,
    lambda c: c.threat("nat-only"),
    lambda c: c.mitigation("mud"),
    lambda c: "mud" in c,
    lambda c: c.load("x.xml"),
    lambda c: c.loads(LAB_CONTROLS),
    lambda c: c.to_dataframe(),
    lambda c: c.__enter__(),
]


@pytest.mark.parametrize("call", CLOSED_CALLS)
def test_a_closed_catalog_raises(call, lab_files):
    cat = lab_catalog(lab_files)
    cat.close()
    with pytest.raises(iotnet.ClosedError):
        call(cat)
    assert repr(cat) == "<iotnet.Catalog (closed)>" and "closed" in cat._repr_html_()
    cat.close()


def test_entries_outlive_their_catalog(lab_files):
    with lab_catalog(lab_files) as cat:
        threats, controls = cat.threats, cat.controls
    assert cat.closed
    del cat
    gc.collect()
    assert threats[0].id == "lab:forwarded-service" and controls[0].title == "Traffic filtered"


# ---- the bundled catalogs ---------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled():
    return iotnet.Catalog.default()


def test_the_bundled_catalogs(bundled):
    assert len(bundled) > 0 and bundled.mitigations
    assert FRAMEWORKS <= set(bundled.frameworks)
    iso = [c for c in bundled.controls if c.framework == "iso27001-2022"]
    assert len(iso) == 93
    assert all(t.id.startswith("iotnet:") and t.stride for t in bundled.threats)
    assert all(1 <= t.likelihood <= 5 and 1 <= t.impact <= 5 for t in bundled.threats)
    assert "nat-as-firewall" in bundled
    assert bundled.threat("nat-as-firewall").id == "iotnet:nat-as-firewall"


def test_every_bundled_reference_resolves(bundled):
    for t in bundled.threats:
        assert t.mitigations, t.id
        for m in t.mitigations:
            bundled.mitigation(m)
    for m in bundled.mitigations:
        assert m.controls, m.id
        missing = [c.ref for c in bundled.controls_of(m) if c.title is None]
        assert missing == [], m.id


def test_a_user_catalog_beside_the_bundled_ones(tmp_path):
    user = write(tmp_path, "mine.xml", """<?xml version="1.0"?>
<catalog xmlns="urn:libiotnet:catalog" namespace="acme">
  <threat id="nat-as-firewall" target="node">
    <title>Our own view of the same thing</title>
    <description>Same bare id, another namespace: both are kept.</description>
    <stride>E</stride>
    <likelihood>2</likelihood>
    <impact>2</impact>
    <applies-when><field name="has-nat" op="=" value="true"/></applies-when>
    <mitigations>iotnet:upnp-off</mitigations>
  </threat>
</catalog>
""")
    cat = iotnet.Catalog.default()
    before = len(cat)
    cat.load(user)
    assert len(cat) == before + 1
    assert cat.threat("acme:nat-as-firewall").mitigations == ("iotnet:upnp-off",)
    assert cat.threat("iotnet:nat-as-firewall").title != "Our own view of the same thing"
    # the bare id is no longer unique
    with pytest.raises(iotnet.NotFoundError):
        cat.threat("nat-as-firewall")


def test_the_bundled_directory_twice_is_a_duplicate(bundled):
    cat = iotnet.Catalog.default()
    with pytest.raises(iotnet.ValidationError):
        cat.load(iotnet.catalog_dir())
    assert len(cat) == len(bundled)
