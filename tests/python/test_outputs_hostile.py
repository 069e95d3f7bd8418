"""Tables, compliance results and exports under hostile use: wrong
arguments, results kept after their network is closed, and ids, titles and
descriptions full of markup, Unicode and line breaks, which every output
format must carry so that its usual reader reads the same values back."""

import csv
import datetime
import gc
import io
import json
import shutil
import subprocess

import pytest

import iotnet

lxml_etree = pytest.importorskip("lxml.etree")
lxml_html = pytest.importorskip("lxml.html")

pytestmark = pytest.mark.skipif(not iotnet.catalog.has_engine(),
                                reason="the catalog and evaluation engine is not in this build")

NOW = datetime.date(2026, 11, 18)

# ids a user may well write: markup, quotes, Markdown and CSV specials,
# Unicode beyond the BMP, a tab and a line break
ODD_IDS = ["cam|1", "cam<&>", 'cam"q', "cam é", "🐍", "cam\tx", "cam\nx", "a*b_c`d[e]{f}$",
           "-lead", "cam,x", "=x", "#x", "x" * 300]
ODD_TEXT = 'd|<&>"\n é 🐍 \u2028 <script>*_` {: #x}'


def odd_network():
    net = iotnet.Network(name='we|ird <&> "name" é 🐍')
    net.add_zone("lan", "home-lan", description=ODD_TEXT)
    net.add_zone('z|<&>"é', "iot-lan", description=ODD_TEXT)
    net.add_node("internet", "internet")
    net.add_node("router", "home-router", zone="lan",
                 interfaces=[{"name": "wan"}, {"name": "lan0", "address": "192.168.1.1/24"}])
    net.set_nat("router", inside=["lan0"], outside="wan", filtering="endpoint-independent", upnp=True)
    net.add_link("up", "router", "internet", a_interface="wan")
    for i, node_id in enumerate(ODD_IDS):
        net.add_node(node_id, "camera", zone="lan" if i % 2 else 'z|<&>"é', vendor=node_id,
                     description=ODD_TEXT,
                     services=[{"name": "web", "protocol": "tcp", "port": 80,
                                "authentication": "default-password", "management": True}])
        net.add_link("l%d" % i, "router", node_id, a_interface="lan0")
        net.add_port_forward("router", "f%d" % i, 8000 + i, node_id, internal_port=80)
    return net


@pytest.fixture(scope="module")
def odd():
    net = odd_network()
    yield net
    net.close()


def odd_tables(net):
    findings = net.analyze(now=NOW)
    return {
        "findings": findings.to_table(columns="id,threat,title,target,status,evidence,mitigations"),
        "exposure": net.reach("internet").to_table(columns="source,node,service,flow,exposure,entry,forward"),
        "zones": net.zone_matrix().to_table(),
        "threats": iotnet.Table.threats(findings=findings),
        "custom": iotnet.Table(["id", ("words", 'B|<&>"\n', "list")], [[i, i] for i in ODD_IDS],
                               title='T|<&>"\n🐍', description=ODD_TEXT),
    }


def unescaped_pipes(line):
    count, i = 0, 0
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        count += line[i] == "|"
        i += 1
    return count


@pytest.mark.parametrize("kind", ["findings", "exposure", "zones", "threats", "custom"])
def test_odd_text_survives_every_table_format(odd, kind):
    table = odd_tables(odd)[kind]
    assert len(table) > 0 or kind == "zones"
    root = lxml_etree.fromstring(table.to_xml2rfc().encode())
    assert root.tag == "table" and root.get("anchor") == table.anchor
    html = lxml_html.fromstring(table.to_html())
    assert html.tag == "table"
    csv_rows = list(csv.reader(io.StringIO(table.to_csv(), newline="")))
    assert csv_rows[0] == table.columns
    assert [tuple(r) for r in csv_rows[1:]] == table.rows
    data = json.loads(table.to_json())
    assert data["title"] == table.title and len(data["rows"]) == len(table)
    # every Markdown table line has exactly one cell per column
    lines = [line for line in table.to_markdown().split("\n") if line.startswith("|")]
    assert lines and all(unescaped_pipes(line) == len(table.columns) + 1 for line in lines), lines


def test_odd_ids_read_back_from_every_table_format(odd):
    table = odd_tables(odd)["custom"]
    assert [r["id"] for r in json.loads(table.to_json())["rows"]] == ODD_IDS
    assert [r[0] for r in list(csv.reader(io.StringIO(table.to_csv(), newline="")))[1:]] == ODD_IDS
    cells = [td.text_content() for td in lxml_html.fromstring(table.to_html()).iter("td")]
    assert cells[0] == ODD_IDS[0] and 'cam"q' in cells and "cam<&>" in cells


def test_odd_drafts_parse(odd):
    tables = list(odd_tables(odd).values())
    doc = iotnet.draft(tables, title='t<&>|"', author='a <&> "b"', abstract="x <&>\n|", date=NOW)
    root = lxml_etree.fromstring(doc.encode())
    assert root.tag == "rfc" and len(root.findall(".//table")) == len(tables)
    md = iotnet.draft(tables, format="markdown", title='t<&>|"', date=NOW)
    assert md.startswith("---")


def test_odd_model_exports_render_and_read_back(odd, tmp_path):
    dot = odd.export("dot", exposure=True, findings=True)
    if shutil.which("dot"):
        path = tmp_path / "odd.dot"
        path.write_text(dot)
        result = subprocess.run(["dot", "-Tsvg", str(path)], capture_output=True, text=True)
        assert result.returncode == 0 and not result.stderr, result.stderr
        lxml_etree.fromstring(result.stdout.encode())
    svg = lxml_etree.fromstring(odd.export("svg", exposure=True, findings=True).encode())
    assert svg.tag.endswith("svg")
    lxml_etree.fromstring(odd.export("graphml", exposure=True, findings=True).encode())
    graph = odd.to_networkx(exposure=True, findings=True)
    assert set(graph.nodes) == set(odd.nodes)


def test_odd_model_saves_and_loads_again(odd, tmp_path):
    path = tmp_path / "odd.json"
    odd.save(path)
    assert iotnet.load(path) == odd


@pytest.mark.parametrize("bad", ["cam\x01", "cam\x1b[31m", "cam\x7f"])
def test_ids_with_control_characters_are_refused(bad):
    with iotnet.Network() as net:
        net.add_zone("lan", "home-lan")
        net.add_node("router", "home-router")
        with pytest.raises(iotnet.IotnetError, match="control character"):
            net.add_node(bad, "camera")
        with pytest.raises(iotnet.IotnetError, match="control character"):
            net.add_zone(bad, "iot-lan")
        with pytest.raises(iotnet.IotnetError, match="control character"):
            net.add_link(bad, "router", "router")
        assert list(net.nodes) == ["router"] and len(net.zones) == 1 and len(net.links) == 0


@pytest.mark.parametrize("bad", ["bell\x07", "esc \x1b[31m red", "del\x7f"])
def test_free_text_with_control_characters_is_refused(bad):
    # a YANG string cannot hold them: such a model would save but never load
    with iotnet.Network() as net:
        net.add_node("router", "home-router")
        with pytest.raises(iotnet.InvalidArgumentError, match="control character"):
            net.add_node("cam", "camera", description=bad)
        with pytest.raises(iotnet.InvalidArgumentError, match="control character"):
            net.add_node("cam", "camera", vendor=bad)
        with pytest.raises(iotnet.InvalidArgumentError, match="control character"):
            net.add_node("cam", "camera", attributes={"note": bad})
        with pytest.raises(iotnet.InvalidArgumentError, match="control character"):
            net.name = bad
        assert list(net.nodes) == ["router"]
        net.add_node("cam", "camera", description="two\n\tlines")
        assert iotnet.loads(net.dumps("json"), "json") == net


# ---- results outlive their network ---------------------------------------------------


def test_tables_drafts_and_compliance_stay_valid_after_the_network_is_freed(home_model):
    net = iotnet.load(home_model)
    findings = net.analyze(now=NOW)
    reach = net.reach("internet")
    matrix = net.zone_matrix()
    iso = net.compliance("iso27001-2022", now=NOW)
    table = findings.to_table()
    expected = (table.to_json(), iso.summary(), iso.statement_of_applicability())
    net.close()
    del net
    gc.collect()
    assert (table.to_json(), iso.summary(), iso.statement_of_applicability()) == expected
    assert findings.to_table().to_json() == expected[0]
    assert reach.to_table().to_csv().startswith("node,service")
    assert matrix.to_table().rows
    assert iotnet.Table.threats(findings=findings).rows
    assert lxml_etree.fromstring(iotnet.draft([findings, reach, matrix], date=NOW).encode()).tag == "rfc"
    with pytest.raises(iotnet.ClosedError):
        findings.what_if("upnp-off", "home-router")


# ---- wrong arguments ----------------------------------------------------------------


def test_threats_table_checks_the_network_argument():
    with pytest.raises(TypeError, match="network must be a Network"):
        iotnet.Table.threats(network=1)
    net = iotnet.Network()
    net.close()
    with pytest.raises(iotnet.ClosedError):
        iotnet.Table.threats(network=net)


def test_custom_table_names_the_argument_of_the_wrong_type():
    with pytest.raises(TypeError, match="^title must be a str"):
        iotnet.Table(["a"], title=1)
    with pytest.raises(TypeError, match="^name must be a str"):
        iotnet.Table(["a"], name=1)


def test_a_table_without_columns_is_not_rendered():
    empty = iotnet.Table([])
    for fmt in iotnet.table.FORMATS:
        with pytest.raises(iotnet.InvalidArgumentError, match="has no columns"):
            empty.render(fmt)
    with pytest.raises(iotnet.InvalidArgumentError, match="has no columns"):
        iotnet.draft([empty])


def test_filtered_and_sliced_compliance_keep_their_statement_of_applicability(home_model):
    with iotnet.load(home_model) as net:
        iso = net.compliance("iso27001-2022", now=NOW)
    assert iso.filter().statement_of_applicability() == iso.statement_of_applicability()
    gaps = iso.gaps()
    rows = list(csv.reader(io.StringIO(gaps.statement_of_applicability(), newline="")))
    assert rows[0][0] == "control"
    assert [r[0] for r in rows[1:]] == ["A." + c.id for c in gaps]
    first = list(csv.reader(io.StringIO(iso[:2].statement_of_applicability(), newline="")))
    assert [r[0] for r in first[1:]] == ["A." + iso[0].id, "A." + iso[1].id]
    assert len(iso.filter(status="gap").statement_of_applicability(as_dataframe=True)) == \
        iso.summary()["gap"]


def test_compliance_filter_checks_its_arguments(home_model):
    with iotnet.load(home_model) as net:
        iso = net.compliance("iso27001-2022", now=NOW)
    with pytest.raises(TypeError, match="group must be a str"):
        iso.filter(group=1)
    with pytest.raises(ValueError, match="unknown status"):
        iso.filter(status="open")
