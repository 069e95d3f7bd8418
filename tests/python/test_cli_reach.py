"""iotnet reach, zones and diff, run as a user would run them (build/iotnet),
on the reference home network and the small models in tests/data/reach/.

tests/data/reach/segmented.json is the firewall network of test_reach_api.py:
a laptop in zone lan, a camera (web tcp/80, telnet tcp/23) in zone iot and a
zoneless firewall between them whose policy drops by default and accepts
only tcp/80 from zone lan to the camera; the conduit lan -> iot allows
tcp/80. segmented-telnet.json adds a rule accepting tcp/23 as well.
home-nat.json is the home router of test_reach_api.py (NAT44, a port forward,
a UPnP pinhole, a hole-punched doorbell)."""

import csv
import io
import json
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
IOTNET = REPO / "build" / "iotnet"
DATA = REPO / "tests" / "data" / "reach"
SEGMENTED = DATA / "segmented.json"
TELNET = DATA / "segmented-telnet.json"
HOME_NAT = DATA / "home-nat.json"
HOME = REPO / "models" / "topologies" / "home.xml"
BROKEN = REPO / "tests" / "data" / "cli" / "broken.json"
COMMANDS = ["reach", "zones", "diff"]
REACH_COLUMNS = ["source", "destination", "service", "protocol", "port", "exposure",
                 "entry_node", "entry_port", "via", "path"]


def _has_command(name):
    if not IOTNET.exists():
        return False
    return subprocess.run([str(IOTNET), "help", name], capture_output=True).returncode == 0


pytestmark = pytest.mark.skipif(not _has_command("reach"),
                                reason="build/iotnet is not built with the reach commands")


def run(*args):
    return subprocess.run([str(IOTNET), *map(str, args)], capture_output=True, text=True,
                          timeout=120)


def ok_json(*args, code=0):
    result = run(*args, "--format", "json")
    assert result.returncode == code, result.stderr
    return json.loads(result.stdout)


def csv_rows(text):
    return list(csv.DictReader(io.StringIO(text)))


# ---- help and usage ------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_help(command):
    result = run(command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: iotnet %s " % command)
    for option in ("--format", "--output", "--yang-path", "Exit status"):
        assert option in result.stdout
    assert run("help", command).stdout == result.stdout
    assert run("--help").stdout.count("\n  %s " % command) == 1


@pytest.mark.parametrize("args, needle", [
    (["reach", SEGMENTED], "missing --from"),
    (["reach", "--from", "laptop"], "missing MODEL"),
    (["reach", SEGMENTED, "--from", "laptop", "--from", "cam"], "'--from' may be given once"),
    (["reach", SEGMENTED, "--from", "laptop", "--explain"], "--explain needs --to"),
    (["reach", SEGMENTED, "--from", "laptop", "--to", "cam", "--explain"], "--service"),
    (["reach", SEGMENTED, "--from", "laptop", "--all=yes"], "takes no value"),
    (["reach", SEGMENTED, "--from", "laptop", "--format", "xml"], "unknown format 'xml'"),
    (["reach", SEGMENTED, "--from"], "'--from' needs a value"),
    (["zones", SEGMENTED, "--from", "laptop"], "unknown option '--from'"),
    (["zones"], "missing MODEL"),
    (["diff", SEGMENTED], "missing OLD and NEW"),
    (["diff", SEGMENTED, TELNET, HOME], "too many arguments"),
    (["diff", SEGMENTED, TELNET, "--explain"], "unknown option '--explain'"),
])
def test_usage_errors(args, needle):
    result = run(*args)
    assert result.returncode == 2, result
    assert needle in result.stderr and "--help" in result.stderr
    assert result.stdout == ""


def test_bad_service_text_is_a_usage_error():
    result = run("reach", SEGMENTED, "--from", "laptop", "--service", "tcp/notaport")
    assert result.returncode == 2 and result.stdout == ""


@pytest.mark.parametrize("service", ["tcp/ 80", "tcp/+80", "udp/-0", "tcp/80-+81"])
def test_a_port_is_digits_only(service):
    result = run("reach", SEGMENTED, "--from", "laptop", "--service", service)
    assert result.returncode == 2 and result.stdout == ""
    assert (f'iotnet reach: service "{service}" is not tcp/PORT, udp/PORT, sctp/PORT or icmp'
            in result.stderr)


def test_unknown_node_and_broken_model_exit_3():
    result = run("reach", SEGMENTED, "--from", "ghost")
    assert result.returncode == 3 and "ghost" in result.stderr and result.stdout == ""
    for args in (["reach", BROKEN, "--from", "x"], ["zones", BROKEN], ["diff", BROKEN, SEGMENTED],
                 ["diff", SEGMENTED, BROKEN]):
        result = run(*args)
        assert result.returncode == 3 and str(BROKEN) in result.stderr, args


# ---- reach ---------------------------------------------------------------------


# The only flow the laptop can open: tcp/80 to the camera, admitted by the
# firewall's first rule; telnet falls to its default drop.
LAPTOP_ROW = {"source": "laptop", "destination": "cam", "service": "web", "protocol": "tcp",
              "port": 80, "exposure": "direct", "entry_node": "cam", "entry_port": 80,
              "via": None, "path": ["laptop", "fw", "cam"]}


def test_reach_json():
    assert ok_json("reach", SEGMENTED, "--from", "laptop") == [LAPTOP_ROW]


def test_reach_csv_has_a_header_and_the_same_row():
    result = run("reach", SEGMENTED, "--from", "laptop", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == ",".join(REACH_COLUMNS)
    rows = csv_rows(result.stdout)
    assert rows == [{**{k: str(v) for k, v in LAPTOP_ROW.items()}, "via": "",
                     "path": "laptop fw cam"}]


def test_reach_text_table():
    result = run("reach", SEGMENTED, "--from", "laptop")
    assert result.returncode == 0, result.stderr
    header, line = result.stdout.splitlines()
    assert header.split() == REACH_COLUMNS
    assert line.split(None, 9) == ["laptop", "cam", "web", "tcp", "80", "direct", "cam", "80",
                                   "-", "laptop > fw > cam"]


def test_reach_filters_and_all():
    # the camera cannot open anything towards the laptop, but the laptop
    # opens flows to it: its ssh is reply-only
    [back] = ok_json("reach", SEGMENTED, "--from", "cam", "--to", "laptop")
    assert (back["service"], back["protocol"], back["port"], back["exposure"]) == (
        "ssh", "tcp", 22, "reply-only")
    # --all adds the rows of class none, and only those
    everything = ok_json("reach", SEGMENTED, "--from", "laptop", "--all")
    assert [r for r in everything if r["exposure"] != "none"] == [LAPTOP_ROW]
    # a flow asked of every destination: the camera's telnet stays closed
    rows = ok_json("reach", SEGMENTED, "--from", "laptop", "--to", "cam", "--service", "tcp/23")
    assert rows == []
    text = run("reach", SEGMENTED, "--from", "laptop", "--to", "cam", "--service", "tcp/23")
    assert text.returncode == 0 and text.stdout == "laptop reaches nothing in cam on tcp/23\n"


def test_reach_zone_source():
    rows = ok_json("reach", SEGMENTED, "--from", "zone:lan")
    assert [(r["source"], r["destination"], r["service"]) for r in rows] == [
        ("laptop", "cam", "web")]


def test_reach_home_router_from_the_internet():
    rows = ok_json("reach", HOME_NAT, "--from", "internet", "--to", "cam")
    # tcp/80 through the forward (sent to the router on 8080), RTSP through
    # a UPnP pinhole on its own port
    assert [(r["service"], r["exposure"], r["entry_node"], r["entry_port"], r["via"])
            for r in rows] == [("web", "port-forward", "router", 8080, "cam-web"),
                               ("rtsp", "pinhole", "router", 554, None)]
    [bell] = ok_json("reach", HOME_NAT, "--from", "internet", "--to", "doorbell")
    assert (bell["service"], bell["exposure"]) == ("p2p", "hole-punchable")


def test_reach_explain():
    base = ["reach", SEGMENTED, "--from", "laptop", "--to", "cam", "--explain"]
    result = run(*base, "--service", "tcp/23")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "laptop -> cam tcp/23: none"
    assert lines[1].startswith("path: laptop > fw")
    assert lines[2].split() == ["node", "layer", "action", "rule", "detail"]
    # the default action of the firewall stopped it: no rule named
    assert lines[-1].split()[:4] == ["fw", "firewall", "drop", "-"]
    ex = ok_json(*base, "--service", "tcp/23")
    assert ex["exposure"] == "none" and ex["path"][:2] == ["laptop", "fw"]
    assert {k: ex["hops"][-1][k] for k in ("node", "layer", "action", "rule")} == {
        "node": "fw", "layer": "firewall", "action": "drop", "rule": None}
    assert ex["hops"][-1]["detail"]
    ex = ok_json(*base, "--service", "web")
    assert ex["exposure"] == "direct" and ex["path"] == ["laptop", "fw", "cam"]
    assert [(h["layer"], h["action"], h["rule"]) for h in ex["hops"] if h["node"] == "fw"] == [
        ("firewall", "accept", "lan-to-cam-web")]
    hops = csv_rows(run(*base, "--service", "web", "--format", "csv").stdout)
    assert [h["rule"] for h in hops if h["node"] == "fw"] == ["lan-to-cam-web"]


def test_reach_home_reference_network():
    # The porch camera's forward on the home router does not reach the
    # Internet: the CGNAT in front has no forward and the camera opens no
    # traversal, so from the Internet each of its services is reachable
    # only by replies to the flows it opens itself (its VLAN may go out).
    rows = ok_json("reach", HOME, "--from", "internet", "--to", "cam-porch")
    assert [(r["service"], r["port"], r["exposure"]) for r in rows] == [
        ("web-ui", 80, "reply-only"), ("rtsp", 554, "reply-only"), ("sdk", 8000, "reply-only")]
    # Another subscriber of the same CGNAT sends to the router's WAN
    # address: no NAT in between, the ISP lets subscribers reach each
    # other, the forward sends tcp/8080 to the camera's port 80 and the
    # router's rule porch-camera-forward admits it.
    rows = ok_json("reach", HOME, "--from", "cgnat-neighbour", "--to", "cam-porch")
    assert rows == [{"source": "cgnat-neighbour", "destination": "cam-porch",
                     "service": "web-ui", "protocol": "tcp", "port": 80,
                     "exposure": "port-forward", "entry_node": "home-router", "entry_port": 8080,
                     "via": "porch-camera-web",
                     "path": ["cgnat-neighbour", "isp-router", "home-router", "poe-switch",
                              "cam-porch"]}]
    ex = ok_json("reach", HOME, "--from", "cgnat-neighbour", "--to", "cam-porch", "--service",
                 "web-ui", "--explain")
    assert ex["exposure"] == "port-forward"
    rules = {(h["node"], h["layer"]): h["rule"] for h in ex["hops"]}
    assert rules[("home-router", "nat")] == "porch-camera-web"
    assert rules[("home-router", "firewall")] == "porch-camera-forward"
    assert rules[("isp-router", "firewall")] == "subscriber-to-subscriber"


def test_reach_output_file(tmp_path):
    out = tmp_path / "rows.csv"
    result = run("reach", SEGMENTED, "--from", "laptop", "--format", "csv", "-o", out)
    assert result.returncode == 0 and result.stdout == ""
    assert csv_rows(out.read_text())[0]["destination"] == "cam"
    assert [p.name for p in tmp_path.iterdir()] == ["rows.csv"]  # no temporary left behind
    result = run("reach", SEGMENTED, "--from", "laptop", "-o", tmp_path / "no" / "such" / "dir")
    assert result.returncode == 3


# ---- zones ---------------------------------------------------------------------


def test_zones_without_violations():
    # lan -> iot: web only, which the conduit covers; nothing the other way
    assert ok_json("zones", SEGMENTED) == [{"from_zone": "lan", "to_zone": "iot",
                                            "services": ["tcp/80"], "violations": [],
                                            "conduit": "lan-iot-web"}]
    result = run("zones", SEGMENTED)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["from_zone", "to_zone", "services", "violations", "conduit"]
    assert lines[1].split() == ["lan", "iot", "tcp/80", "-", "lan-iot-web"]
    assert lines[-1] == "1 zone pair, 0 with violations"


def test_zones_violation_exits_1():
    # the telnet rule opens tcp/23, which no conduit covers
    assert ok_json("zones", TELNET, code=1) == [{"from_zone": "lan", "to_zone": "iot",
                                                 "services": ["tcp/23", "tcp/80"],
                                                 "violations": ["tcp/23"],
                                                 "conduit": "lan-iot-web"}]
    result = run("zones", TELNET, "--format", "csv")
    assert result.returncode == 1
    assert csv_rows(result.stdout) == [{"from_zone": "lan", "to_zone": "iot",
                                        "services": "tcp/23 tcp/80", "violations": "tcp/23",
                                        "conduit": "lan-iot-web"}]
    assert run("zones", TELNET).stdout.splitlines()[-1] == "1 zone pair, 1 with violations"


def test_zones_home_reference_network():
    # CGNAT neighbours (zone isp) reach the porch camera's web UI in zone
    # iot through the port forward, and no conduit goes from isp to iot
    flows = ok_json("zones", HOME, code=1)
    pairs = {(f["from_zone"], f["to_zone"]): f for f in flows}
    isp_iot = pairs[("isp", "iot")]
    assert "tcp/80" in isp_iot["services"] and "tcp/80" in isp_iot["violations"]
    assert isp_iot["conduit"] is None
    assert all(f["from_zone"] != f["to_zone"] for f in flows)


# ---- diff ----------------------------------------------------------------------


def changed_copy(tmp_path):
    """segmented.json with one rule changed: the web rule drops instead."""
    model = json.loads(SEGMENTED.read_text())
    topology = model["iotnet-topology:topology"]
    [fw] = [n for n in topology["node"] if n["id"] == "fw"]
    fw["policy"]["rule"][0]["action"] = "drop"
    path = tmp_path / "segmented-web-dropped.json"
    path.write_text(json.dumps(model))
    return path


def test_diff_of_identical_models_exits_0():
    result = run("diff", SEGMENTED, SEGMENTED)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "no changes in reachability\n"
    assert ok_json("diff", HOME, HOME) == []


def test_diff_with_one_rule_changed(tmp_path):
    new = changed_copy(tmp_path)
    # Default sources: every zone (no internet node in either model).
    # From zone lan the camera's web UI is no longer reachable; from zone
    # iot the laptop's ssh was reply-only (the laptop opened flows to the
    # camera) and is now not reachable at all: the laptop opens nothing.
    changes = ok_json("diff", SEGMENTED, new, code=1)
    assert changes == [
        {"change": "removed", "source": "zone:lan", "destination": "cam", "service": "web",
         "protocol": "tcp", "port": 80, "old_exposure": "direct", "new_exposure": "none"},
        {"change": "removed", "source": "zone:iot", "destination": "laptop", "service": "ssh",
         "protocol": "tcp", "port": 22, "old_exposure": "reply-only", "new_exposure": "none"},
    ]
    # and back again: the same flows, added
    back = ok_json("diff", new, SEGMENTED, code=1)
    assert [(c["change"], c["old_exposure"], c["new_exposure"]) for c in back] == [
        ("added", "none", "direct"), ("added", "none", "reply-only")]
    result = run("diff", SEGMENTED, new)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == \
        "0 flows became possible, 2 impossible, 0 changed exposure"
    rows = csv_rows(run("diff", SEGMENTED, new, "--format", "csv").stdout)
    assert [r["source"] for r in rows] == ["zone:lan", "zone:iot"] and rows[1]["port"] == "22"


def test_diff_from_given_sources(tmp_path):
    new = changed_copy(tmp_path)
    changes = ok_json("diff", SEGMENTED, new, "--from", "laptop", code=1)
    assert [(c["source"], c["destination"], c["service"]) for c in changes] == [
        ("laptop", "cam", "web")]
    # the laptop no longer opens flows to the camera, so the camera loses
    # its replies from it too; sources come in the order given
    assert [(c["source"], c["destination"], c["old_exposure"])
            for c in ok_json("diff", SEGMENTED, new, "--from", "zone:iot", "--from", "cam",
                             code=1)] == [("zone:iot", "laptop", "reply-only"),
                                          ("cam", "laptop", "reply-only")]
    # a source for which nothing changed
    assert ok_json("diff", SEGMENTED, TELNET, "--from", "cam") == []
    result = run("diff", SEGMENTED, new, "--from", "ghost")
    assert result.returncode == 3 and "ghost" in result.stderr


def test_diff_a_new_rule_and_changed_exposure(tmp_path):
    # one rule more: telnet becomes possible from the LAN zone
    changes = ok_json("diff", SEGMENTED, TELNET, code=1)
    assert changes == [
        {"change": "added", "source": "zone:lan", "destination": "cam", "service": "telnet",
         "protocol": "tcp", "port": 23, "old_exposure": "none", "new_exposure": "direct"}]
    # the home router without UPnP: RTSP loses its pinhole from the Internet
    # and is left with replies to what the camera opens itself
    model = json.loads(HOME_NAT.read_text())
    [router] = [n for n in model["iotnet-topology:topology"]["node"] if n["id"] == "router"]
    router["nat44"]["upnp"] = False
    new = tmp_path / "no-upnp.json"
    new.write_text(json.dumps(model))
    changes = ok_json("diff", HOME_NAT, new, "--from", "internet", code=1)
    assert [(c["destination"], c["service"], c["old_exposure"], c["new_exposure"])
            for c in changes] == [("cam", "rtsp", "pinhole", "reply-only")]
    assert changes[0]["change"] == "changed"
