"""The threat-evaluation benchmark's helpers: the pytm peer
(bench/peers/pytm_model.py) builds one asset per node with the flows the
docstring promises, and resolve() finds something; gen_catalog.py copies the
bundled catalogs with exactly the threats asked for.

pytm is a benchmark dependency (bench/requirements.txt, `make -C bench
peers`); without it the peer's tests are skipped.
"""

import importlib.util
import json
import pathlib
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

import iotnet

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
PEER_PATH = REPO_ROOT / "bench" / "peers" / "pytm_model.py"
GEN_CATALOG = REPO_ROOT / "bench" / "gen_catalog.py"
CATALOGS = REPO_ROOT / "models" / "catalogs"
NS = "{urn:libiotnet:catalog}"


@pytest.fixture(scope="module")
def peer():
    pytest.importorskip("pytm")
    spec = importlib.util.spec_from_file_location("pytm_model", PEER_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def home_topology(home_model):
    return json.loads(iotnet.load(home_model).dumps("json"))


def test_every_node_is_one_asset(peer, home_topology):
    tm, counts = peer.build(home_topology)
    nodes = home_topology["iotnet-topology:topology"]["node"]
    assert counts["assets"] == len(nodes)
    from pytm import TM, Actor, Server
    by_name = {e.name: e for e in TM._elements if hasattr(e, "inBoundary")}
    assert isinstance(by_name["internet"], Actor)
    assert isinstance(by_name["phone"], Actor)
    assert isinstance(by_name["cam-porch"], Server)
    # the porch camera's web UI is plain HTTP with its default password
    assert by_name["cam-porch"].controls.isEncrypted is False
    assert by_name["cam-porch"].controls.authenticatesSource is False
    assert by_name["cam-porch"].inBoundary.name == "iot"


def test_flows_and_resolve(peer, home_topology):
    tm, counts = peer.build(home_topology)
    from pytm import TM, Dataflow
    flows = [e for e in TM._elements if isinstance(e, Dataflow)]
    assert counts["flows"] == len(flows) > 0
    names = {f.name for f in flows}
    # the garden camera opens RTSP by UPnP: a flow from the Internet
    assert "exposed cam-garden rtsp" in names
    # the phone uses the porch camera's web UI
    assert "use cam-porch web-ui" in names
    tm.check()
    tm.resolve()
    assert len(tm.findings) > 0
    threats, with_condition, comparisons = peer.library_counts(list(TM._threats))
    assert threats == with_condition and comparisons >= threats


def test_peer_program_prints_one_result(peer, home_model, tmp_path):
    path = tmp_path / "home.json"
    iotnet.load(home_model).save(str(path))
    out = subprocess.run([sys.executable, str(PEER_PATH), str(path), "--repeat", "1"], capture_output=True,
                         text=True, check=True).stdout
    result = json.loads(out)
    assert result["program"] == "pytm_model"
    assert result["runs"] == 1 and result["best_s"] > 0
    assert result["evaluations"] >= result["threats"]


def write_catalog(tmp_path, threats):
    out = tmp_path / ("catalog-%d" % threats)
    text = subprocess.run([sys.executable, str(GEN_CATALOG), "--threats", str(threats), "-o", str(out)],
                          capture_output=True, text=True, check=True).stdout
    return out, json.loads(text)


def threat_ids(directory):
    ids = []
    for path in sorted(directory.glob("*.xml")):
        root = ET.parse(path).getroot()
        ids += [(root.get("namespace"), t.get("id")) for t in root.findall(NS + "threat")]
    return ids


@pytest.mark.skipif(not CATALOGS.is_dir(), reason="the bundled catalogs do not exist yet")
@pytest.mark.parametrize("extra", [0, 1, 150])
def test_catalog_copies(tmp_path, extra):
    bundled = len(threat_ids(CATALOGS))
    wanted = bundled + extra
    out, result = write_catalog(tmp_path, wanted)
    ids = threat_ids(out)
    assert result["threats"] == len(ids) == wanted
    assert len(set(ids)) == len(ids), "copies need ids of their own"
    assert sorted(p.name for p in out.glob("*.xml")) == sorted(p.name for p in CATALOGS.glob("*.xml"))


@pytest.mark.skipif(not CATALOGS.is_dir(), reason="the bundled catalogs do not exist yet")
def test_catalog_with_fewer_threats(tmp_path):
    out, result = write_catalog(tmp_path, 1)
    assert result["threats"] == len(threat_ids(out)) == 1


@pytest.mark.skipif(not CATALOGS.is_dir(), reason="the bundled catalogs do not exist yet")
def test_catalog_copies_load(tmp_path):
    if not hasattr(iotnet, "Catalog"):
        pytest.skip("iotnet.Catalog does not exist yet")
    bundled = len(threat_ids(CATALOGS))
    out, result = write_catalog(tmp_path, bundled * 2 + 1)
    cat = iotnet.Catalog.load(str(out))
    assert len(cat.threats) == bundled * 2 + 1
