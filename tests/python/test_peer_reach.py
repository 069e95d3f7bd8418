"""The NetworkX peer of the reachability benchmark (bench/peers/reach_networkx.py)
gives the same rows as the engine: Network.reach("internet") on the bundled
reference networks, and on the benchmark's ISP network at a small scale.

The peer reads what the library writes: Network.dumps("json") for the
reference networks; for the ISP network, the topology file bench_reach
saves (the builder is C, so the program has to be built).
"""

import importlib.util
import json
import pathlib
import subprocess

import pytest

import iotnet

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
PEER_PATH = REPO_ROOT / "bench" / "peers" / "reach_networkx.py"
TOPOLOGIES = sorted((REPO_ROOT / "models" / "topologies").glob("*.xml"))
BENCH_REACH = REPO_ROOT / "bench" / "out" / "bin" / "bench_reach"
ISP_HOMES = 20

try:
    from iotnet._ffi import lib as _lib
    ENGINE = hasattr(_lib, "iotnet_reach")
except ImportError:
    ENGINE = False

pytestmark = pytest.mark.skipif(not (hasattr(iotnet.Network, "reach") and ENGINE),
                                reason="Network.reach does not exist yet (the reachability API "
                                       "and engine)")


@pytest.fixture(scope="module")
def peer():
    pytest.importorskip("networkx")
    spec = importlib.util.spec_from_file_location("reach_networkx", PEER_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def normalised(row):
    """A row as a comparable tuple; the Python API writes 0 ports as None."""
    if not isinstance(row, dict):
        row = row.to_dict()
    return (row["source"], row["destination"], row["service"], row["protocol"], row["port"] or 0,
            row["exposure"], row["entry_node"], row["entry_port"] or 0, row["via"],
            tuple(row["path"]))


def engine_rows(net):
    return [normalised(r) for r in net.reach("internet")]


def differences(ours, theirs):
    a, b = set(ours), set(theirs)
    return ["engine only: %r" % (r,) for r in ours if r not in b] + \
           ["peer only:   %r" % (r,) for r in theirs if r not in a]


@pytest.mark.parametrize("path", TOPOLOGIES, ids=[p.stem for p in TOPOLOGIES])
def test_reference_networks(peer, path):
    net = iotnet.load(path)
    model = peer.Model(json.loads(net.dumps("json")))
    theirs = [normalised(r) for r in peer.reach_internet(model)]
    if not any(model.is_a(model.node(n)["kind"], "internet") for n in model.order):
        # nothing to reach from: the peer finds no rows, the engine names the missing source
        assert theirs == []
        with pytest.raises(iotnet.NotFoundError, match="no node of kind internet"):
            net.reach("internet")
        return
    ours = engine_rows(net)
    assert differences(ours, theirs) == []
    assert ours == theirs  # the same order too


@pytest.fixture(scope="module")
def isp_files(tmp_path_factory):
    if not BENCH_REACH.exists():
        pytest.skip("%s is not built (make -C bench programs)" % BENCH_REACH)
    out = tmp_path_factory.mktemp("isp")
    model, rows = out / "isp.json", out / "rows.jsonl"
    subprocess.run([str(BENCH_REACH), "--homes", str(ISP_HOMES), "--runs", "1", "--save", str(model),
                    "--rows", str(rows)],
                   check=True, capture_output=True, text=True)
    return model, rows


def test_isp_network_against_bench_reach(peer, isp_files):
    model, rows = isp_files
    with open(rows) as f:
        ours = [normalised(json.loads(line)) for line in f]
    m = peer.Model(json.loads(model.read_text()))
    theirs = [normalised(r) for r in peer.reach_internet(m)]
    assert differences(ours, theirs) == []
    assert ours == theirs
    # the model exercises the classes the Internet gets behind a CGNAT (a
    # pinhole on a home router needs a forward on the CGNAT in front of it,
    # which 20 homes do not have)
    classes = {r[5] for r in ours}
    assert {"direct", "port-forward", "hole-punchable", "reply-only"} <= classes


def test_isp_network_through_the_python_api(peer, isp_files):
    # the saved topology file loaded again and dumped by the Python API
    model, _ = isp_files
    net = iotnet.load(model)
    ours = engine_rows(net)
    m = peer.Model(json.loads(net.dumps("json")))
    theirs = [normalised(r) for r in peer.reach_internet(m)]
    assert differences(ours, theirs) == []
