"""iotnet.Table and the tables of Findings, ReachRows and ZoneMatrix:
building, arranging, rendering, drafts, and misuse that raises instead of
crashing. The Python tables must be those the CLI writes from C."""

import datetime
import json
import pathlib
import subprocess
import xml.etree.ElementTree as ET

import pytest

import iotnet
from iotnet import ClosedError, InvalidArgumentError, Table

REPO = pathlib.Path(__file__).resolve().parents[2]
IOTNET = REPO / "build" / "iotnet"
DAY = datetime.date(2026, 11, 18)


@pytest.fixture(scope="module")
def home(home_model):
    net = iotnet.load(home_model)
    yield net
    net.close()


@pytest.fixture(scope="module")
def findings(home):
    return home.analyze(now=DAY)


def test_findings_table_defaults(findings):
    t = findings.to_table()
    assert t.kind == "findings"
    assert t.anchor == "findings-connected-home-behind-cgnat"
    assert t.title == "Findings for Connected home behind CGNAT"
    assert t.columns == ["threat", "target", "status", "residual_risk", "mitigations"]
    assert t.labels[3] == "Residual risk"
    assert len(t) == len(findings)
    first = findings[0]
    assert t.rows[0][:3] == (first.threat.split(":", 1)[1], first.target, first.status)
    assert t.rows[0][3] == str(first.residual_risk)


def test_findings_to_xml2rfc_and_markdown(findings):
    root = ET.fromstring(findings.to_xml2rfc())
    assert root.tag == "table" and root.get("anchor") == "findings-connected-home-behind-cgnat"
    assert [th.text for th in root.find("thead/tr")] == ["Threat", "Target", "Status",
                                                         "Residual risk", "Mitigations"]
    assert len(root.findall("tbody/tr")) == len(findings)
    md = findings.open.to_markdown(columns="threat,target")
    lines = md.splitlines()
    assert lines[0] == "| Threat | Target |" and lines[1] == "|:---|:---|"
    assert len(lines) == 2 + len(findings.open) + 1
    assert lines[-1] == '{: #findings-connected-home-behind-cgnat title="Findings for Connected home behind CGNAT"}'


def test_options_choose_sort_and_group(findings):
    t = findings.to_table(columns=["target", "threat", "residual_risk"], sort="-residual_risk,threat",
                          group="target")
    assert t.columns == ["target", "threat", "residual_risk"]
    assert t.grouped == ["target"]
    rows, spans = t.rows, t.spans
    assert sum(s for s in spans) == len(rows)
    for i, s in enumerate(spans):  # each group's rows share its target
        assert all(rows[i + k][0] == rows[i][0] for k in range(s))
    targets = [r[0] for r, s in zip(rows, spans) if s]
    assert len(targets) == len(set(targets)), "one group per target"
    root = ET.fromstring(t.to_xml2rfc())
    spanned = [td for td in root.iter("td") if td.get("rowspan")]
    assert spanned and all(int(td.get("rowspan")) > 1 for td in spanned)


def test_errors_name_what_was_wrong(findings):
    with pytest.raises(InvalidArgumentError, match="unknown column 'risk'.*residual_risk"):
        findings.to_table(columns="threat,risk")
    with pytest.raises(InvalidArgumentError, match="'status' is not among the columns shown"):
        findings.to_table(columns="threat", group="status")
    with pytest.raises(InvalidArgumentError, match="reserves"):
        findings.to_table(anchor="table-1")
    with pytest.raises(TypeError, match="unknown table options: colour"):
        findings.to_table(colour="red")
    with pytest.raises(TypeError):
        findings.to_table(columns=3)
    with pytest.raises(ValueError, match="names no column"):
        findings.to_table(columns=[])


def test_threat_table_of_the_model_and_of_the_catalog(findings, home):
    mine = Table.threats(findings=findings)
    assert mine.title == "Threats to Connected home behind CGNAT and the technologies that mitigate them"
    assert mine.columns == ["threat", "title", "stride", "mitigation", "technologies"]
    assert mine.grouped == ["threat", "title", "stride"]
    applied = {f.threat.split(":", 1)[1] for f in findings}
    assert {r[0] for r in mine.rows} == applied
    whole = Table.threats(network=home)
    assert whole.title == "Threats and the technologies that mitigate them"
    assert whole.anchor == mine.anchor
    assert len(whole) > len(mine)
    stride = iotnet.Catalog.default().threat("upnp-pinhole").stride
    upnp = [r for r in whole.rows if r[0] == "upnp-pinhole"]
    assert upnp and upnp[0][2] == " ".join(stride), "the STRIDE letters, space-separated"


def test_exposure_and_zone_tables(home):
    ex = home.reach("internet").to_table()
    assert ex.title == "What the Internet reaches in Connected home behind CGNAT"
    assert ex.grouped == ["node"]
    rec = [r for r in ex.to_records() if r["node"] == "cam-garden" and r["service"] == "p2p"]
    assert rec == [{"node": "cam-garden", "service": "p2p", "flow": "udp/32100",
                    "exposure": "hole-punchable", "entry": "isp-router:32100", "forward": ""}]
    other = home.reach("cgnat-neighbour").to_table()
    assert other.title == "What cgnat-neighbour reaches in Connected home behind CGNAT"
    z = home.zone_matrix().to_table()
    assert z.columns == ["from_zone", "to_zone", "services", "conduit", "violations"]
    frame = z.to_dataframe()
    row = frame[(frame.from_zone == "home") & (frame.to_zone == "iot")].iloc[0]
    assert row.conduit == "home-to-iot" and "tcp/554" in row.services


def test_python_tables_are_the_ones_the_cli_writes(home_model, findings, home):
    """Python builds tables from its snapshots, the CLI from the C results:
    the same rows either way."""
    if not IOTNET.exists():
        pytest.skip("build/iotnet is not built")

    def cli(kind):
        out = subprocess.run([str(IOTNET), "table", str(home_model), "--table", kind, "--format",
                              "json", "--now", DAY.isoformat()], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    assert json.loads(findings.to_table().to_json()) == cli("findings")
    assert json.loads(home.reach("internet").to_table().to_json()) == cli("exposure")
    assert json.loads(home.zone_matrix().to_table().to_json()) == cli("zones")
    assert json.loads(Table.threats(findings=findings).to_json()) == cli("threats")


def test_custom_table_escaping_in_every_format():
    t = Table([("what", "What"), ("n", "Count", "int"), ("tags", "Tags", "list")],
              [['a <b> & "c" | d', 1, ["x", "y"]], {"what": "two\nlines"}, ["", None, []]],
              title="Odd cells")
    assert t.anchor == "odd-cells"
    root = ET.fromstring(t.to_xml2rfc())
    tds = root.findall("tbody/tr/td")
    assert tds[0].text == 'a <b> & "c" | d' and tds[2].text == "x, y"
    assert root.find("tbody/tr[2]/td[1]/br") is not None
    md = t.to_markdown()
    assert '| a &lt;b&gt; &amp; "c" \\| d | 1 | x, y |' in md and "| two<br>lines |  |  |" in md
    assert t.to_csv().split("\r\n")[:3] == ["what,n,tags", '"a <b> & ""c"" | d",1,x y',
                                            '"two\nlines",,']
    assert t.to_records() == [{"what": 'a <b> & "c" | d', "n": 1, "tags": ["x", "y"]},
                              {"what": "two\nlines", "n": None, "tags": []},
                              {"what": "", "n": None, "tags": []}]
    assert t._repr_html_().startswith('<table id="odd-cells">')
    frame = t.to_dataframe()
    assert str(frame["n"].dtype) == "Int64" and frame["n"].iloc[0] == 1 and frame["n"].isna().sum() == 2
    assert frame["tags"].iloc[0] == ["x", "y"]


def test_custom_tables_refuse_bad_input():
    with pytest.raises(InvalidArgumentError, match="holds integers"):
        Table([("n", "N", "int")], [["many"]])
    with pytest.raises(InvalidArgumentError, match="1 cells for a table of 2"):
        Table(["a", "b"], [["x"]])
    with pytest.raises(ValueError, match="unknown columns c"):
        Table(["a", "b"], [{"c": 1}])
    with pytest.raises(ValueError, match="expected text, int or list"):
        Table([("a", "A", "float")])
    with pytest.raises(TypeError):
        Table("a,b")
    with pytest.raises(TypeError):
        Table(["a"], [[object()]])
    with pytest.raises(InvalidArgumentError, match="exists already"):
        Table(["a", "a"])


def test_closed_tables_raise(findings):
    t = findings.to_table()
    t.close()
    t.close()
    with pytest.raises(ClosedError):
        t.to_markdown()
    with pytest.raises(ClosedError):
        len(t)
    assert "closed" in repr(t)
    with pytest.raises(ClosedError):
        iotnet.draft([t])


def test_tables_outlive_the_network(home_model):
    net = iotnet.load(home_model)
    rows, matrix = net.reach("internet"), net.zone_matrix()
    found = net.analyze(now=DAY)
    net.close()
    assert rows.to_table().anchor == "exposure-connected-home-behind-cgnat"
    assert matrix.to_table().anchor == "zones-connected-home-behind-cgnat"
    assert found.to_table().anchor == "findings-connected-home-behind-cgnat"


def test_drafts(findings, home):
    xml = iotnet.draft([findings, home.reach("internet"), home.zone_matrix()],
                       author="A. Author", organization="Example", email="a@example.org",
                       date=DAY)
    root = ET.fromstring(xml)
    assert root.get("version") == "3"
    assert root.find("front/author").get("fullname") == "A. Author"
    assert root.find("front/date").attrib == {"year": "2026", "month": "11", "day": "18"}
    anchors = [t.get("anchor") for t in root.iter("table")]
    assert anchors == ["findings-connected-home-behind-cgnat", "exposure-connected-home-behind-cgnat",
                       "zones-connected-home-behind-cgnat"]
    assert [x.get("target") for x in root.iter("xref")] == anchors
    assert xml == iotnet.draft([findings, home.reach("internet"), home.zone_matrix()],
                               author="A. Author", organization="Example", email="a@example.org",
                               date=DAY), "the same input, the same document"
    md = findings.to_draft("markdown", title="Home", docname="draft-home-tables-01", date=DAY)
    assert md.startswith('---\ntitle: "Home"\n') and "docname: draft-home-tables-01\n" in md
    assert "{{findings-connected-home-behind-cgnat}} lists" in md
    with pytest.raises(InvalidArgumentError, match="same anchor"):
        iotnet.draft([findings, findings])
    with pytest.raises(InvalidArgumentError, match="docname 'home'"):
        iotnet.draft([findings], docname="home")
    with pytest.raises(ValueError, match="unknown draft format"):
        iotnet.draft([findings], format="pdf")
    with pytest.raises(ValueError, match="at least one"):
        iotnet.draft([])
    with pytest.raises(TypeError, match="Table objects"):
        iotnet.draft([42])
    with pytest.raises(TypeError, match="date"):
        iotnet.draft([findings], date="2026-11-18")


def test_a_finding_list_and_its_catalog(findings):
    t = Table.findings(list(findings.open), catalog=iotnet.Catalog.default(), name="Lab",
                       columns="id,title")
    assert t.anchor == "findings-lab" and len(t) == len(findings.open)
    assert t.rows[0][1], "titles come from the catalog"
    bare = Table.findings(list(findings)[:2], columns="threat,title")
    assert bare.rows[0][0].startswith("iotnet:"), "without a catalog ids stay as they are"
    with pytest.raises(TypeError, match="list of Finding"):
        Table.findings([1, 2])
    with pytest.raises(TypeError, match="ReachRows"):
        Table.exposure([])
    with pytest.raises(TypeError, match="ZoneMatrix"):
        Table.zones([])
