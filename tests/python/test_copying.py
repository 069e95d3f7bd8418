"""copy.copy(), copy.deepcopy() and pickle on the objects that own C memory:
a copy is independent (closing or changing it leaves the original whole),
or the call is refused with a TypeError that says what to do instead.

Each case runs in its own interpreter, so that a copy sharing C memory
(a crash when one of them is freed) fails the test instead of pytest."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import iotnet

MODELS = Path(__file__).resolve().parents[2] / "models"

_EVAL = pytest.mark.skipif(not iotnet.catalog.has_engine(),
                           reason="the catalog and evaluation engine is not in this build")


def run_script(body, *args):
    """Run `body` in a fresh interpreter; its stdout, after checking it exited 0."""
    script = "import copy, pickle, sys\nimport iotnet\n" + textwrap.dedent(body)
    done = subprocess.run([sys.executable, "-c", script, *map(str, args)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, "exit %d\n%s" % (done.returncode, done.stderr)
    return done.stdout


@pytest.mark.parametrize("how", ["copy.copy", "copy.deepcopy", "iotnet.Network.copy"])
def test_a_network_copy_is_independent(home_model, how):
    out = run_script("""
        net = iotnet.load(sys.argv[1])
        text = net.dumps()
        other = %s(net)
        assert other is not net and other == net
        other.add_node("extra", "host")
        other.nodes["cam-porch"].attributes["added"] = 1
        assert "extra" not in net and "added" not in net.nodes["cam-porch"].attributes
        other.close()
        del other
        assert net.dumps() == text and len(net.reach("internet")) > 0
        print("ok")
    """ % how, home_model)
    assert out == "ok\n"


def test_a_network_pickles_as_its_topology(home_model):
    out = run_script("""
        net = iotnet.load(sys.argv[1])
        net.nodes["cam-porch"].attributes["ratio"] = 1 / 3
        back = pickle.loads(pickle.dumps(net))
        assert back == net and back.nodes["cam-porch"].attributes["ratio"] == 1 / 3
        back.close()
        print(net.dumps() == iotnet.loads(net.dumps()).dumps())
    """, home_model)
    assert out == "True\n"


@_EVAL
@pytest.mark.parametrize("how", ["copy.copy", "copy.deepcopy", "pickle.dumps"])
def test_a_catalog_refuses_to_be_copied(how):
    verb = "pickled" if how == "pickle.dumps" else "copied"
    out = run_script("""
        cat = iotnet.Catalog.default()
        try:
            %s(cat)
        except TypeError as exc:
            print(exc)
        print(len(cat) > 0)
    """ % how)
    assert out == ("a catalog cannot be %s (it holds the parsed C catalogs): load it again "
                   "from its files, which .sources lists\nTrue\n" % verb)


@_EVAL
@pytest.mark.parametrize("how", ["copy.copy", "copy.deepcopy"])
def test_a_table_copy_is_independent(home_model, how):
    out = run_script("""
        table = iotnet.load(sys.argv[1]).analyze().to_table(sort="-residual_risk,target")
        rows, text = table.rows, table.to_xml2rfc()
        other = %s(table)
        assert other is not table
        assert (other.rows, other.spans, other.to_xml2rfc()) == (rows, table.spans, text)
        other.close()
        del other
        print(table.rows == rows and table.to_xml2rfc() == text)
    """ % how, home_model)
    assert out == "True\n"


def test_a_table_refuses_to_be_pickled():
    out = run_script("""
        table = iotnet.Table(["a", "b"], [["1", "2"]])
        try:
            pickle.dumps(table)
        except TypeError as exc:
            print(exc)
        print(table.rows)
    """)
    assert out == ("a table cannot be pickled (it holds a C table): pickle its to_json() or "
                   "to_records() instead\n[('1', '2')]\n")


@pytest.mark.parametrize("how", ["copy.copy", "copy.deepcopy"])
def test_a_mud_profile_copy_shares_the_unchanging_profile(how):
    out = run_script("""
        profile = iotnet.MudProfile.load(sys.argv[1])
        other = %s(profile)
        del profile
        import gc
        gc.collect()
        print(other.info.mud_url, len(other.aces) > 0)
        try:
            pickle.dumps(other)
        except TypeError as exc:
            print(exc)
    """ % how, MODELS / "mud" / "sprinkler.json")
    url, _, rest = out.partition(" ")
    assert url.startswith("https://")
    assert rest == ("True\na MudProfile cannot be pickled: pickle the MUD file's text and load it "
                    "again with MudProfile.loads()\n")
