"""MUD profiles from Python: MudProfile.load(), Network.attach_mud(),
add_mud_ace(), Node.mud, and what a profile does to reachability (reach.h:
the device's ACLs are enforced at its access gateway, statelessly)."""

import copy
import json

import pytest

import iotnet
from iotnet._ffi import lib

pytestmark = pytest.mark.skipif(not hasattr(lib, "iotnet_mud_load"),
                                reason="MUD support is not in this build")
engine = pytest.mark.skipif(not hasattr(lib, "iotnet_reach"),
                            reason="the reachability engine is not in this build")

# The light bulb of RFC 8520's example: it may open TCP to port 443 of
# test.example.com, and take the replies.
BULB = {
    "ietf-mud:mud": {
        "mud-version": 1,
        "mud-url": "https://lighting.example.com/lightbulb2000",
        "last-update": "2019-01-28T11:20:51+01:00",
        "cache-validity": 48,
        "is-supported": True,
        "systeminfo": "The BMS Example Light Bulb",
        "from-device-policy": {"access-lists": {"access-list": [{"name": "mud-76100-v4fr"}]}},
        "to-device-policy": {"access-lists": {"access-list": [{"name": "mud-76100-v4to"}]}},
    },
    "ietf-access-control-list:acls": {
        "acl": [
            {"name": "mud-76100-v4to", "type": "ipv4-acl-type",
             "aces": {"ace": [{
                 "name": "cl0-todev",
                 "matches": {"ipv4": {"ietf-acldns:src-dnsname": "test.example.com",
                                      "protocol": 6},
                             "tcp": {"ietf-mud:direction-initiated": "from-device",
                                     "source-port": {"operator": "eq", "port": 443}}},
                 "actions": {"forwarding": "accept"}}]}},
            {"name": "mud-76100-v4fr", "type": "ipv4-acl-type",
             "aces": {"ace": [{
                 "name": "cl0-frdev",
                 "matches": {"ipv4": {"ietf-acldns:dst-dnsname": "test.example.com",
                                      "protocol": 6},
                             "tcp": {"ietf-mud:direction-initiated": "from-device",
                                     "destination-port": {"operator": "eq", "port": 443}}},
                 "actions": {"forwarding": "accept"}}]}},
        ]
    },
}

# from-device entries first, each policy's ACLs in order
BULB_ACES = [
    iotnet.MudAce("mud-76100-v4fr", "cl0-frdev", "from-device", "dnsname", "test.example.com",
                  "tcp", None, (443, 443), "from-device", "accept"),
    iotnet.MudAce("mud-76100-v4to", "cl0-todev", "to-device", "dnsname", "test.example.com",
                  "tcp", (443, 443), None, "from-device", "accept"),
]


@pytest.fixture
def bulb_file(tmp_path):
    path = tmp_path / "bulb.json"
    path.write_text(json.dumps(BULB, indent=2))
    return path


@pytest.fixture
def draft_file(tmp_path):
    """The same profile written against the draft ACL model: the old root."""
    draft = copy.deepcopy(BULB)
    draft["ietf-access-control-list:access-lists"] = draft.pop("ietf-access-control-list:acls")
    path = tmp_path / "bulb-draft.json"
    path.write_text(json.dumps(draft, indent=2))
    return path


def test_load_a_profile(bulb_file):
    profile = iotnet.MudProfile.load(bulb_file)
    assert profile.info == iotnet.MudInfo(
        mud_url="https://lighting.example.com/lightbulb2000",
        last_update="2019-01-28T11:20:51+01:00", systeminfo="The BMS Example Light Bulb",
        cache_validity=48, is_supported=True)
    assert profile.aces == BULB_ACES
    assert profile.changes == []
    assert "lightbulb2000" in repr(profile) and "2 entries" in repr(profile)
    assert list(profile.to_dataframe()["name"]) == ["cl0-frdev", "cl0-todev"]
    again = iotnet.MudProfile.loads(bulb_file.read_text(), name="bulb")
    assert again.aces == profile.aces and again.info == profile.info


def test_lenient_load_normalises_the_draft_model(draft_file):
    with pytest.raises(iotnet.ValidationError):
        iotnet.MudProfile.load(draft_file)
    profile = iotnet.MudProfile.load(draft_file, lenient=True)
    assert profile.changes and all(isinstance(c, str) and c for c in profile.changes)
    assert profile.aces == BULB_ACES


@pytest.mark.parametrize("call, error", [
    (lambda: iotnet.MudProfile.load(None), TypeError),
    (lambda: iotnet.MudProfile.load("x.json", lenient="yes"), TypeError),
    (lambda: iotnet.MudProfile.loads(42), TypeError),
    (lambda: iotnet.MudProfile.loads("{", name=None), TypeError),
    (lambda: iotnet.MudProfile.loads("{"), iotnet.ParseError),
    (lambda: iotnet.MudProfile.loads("{}"), iotnet.ValidationError),
    (lambda: iotnet.MudProfile(), TypeError),
])
def test_bad_profiles_raise(call, error):
    with pytest.raises(error):
        call()


def test_missing_file_raises_file_error(tmp_path):
    with pytest.raises(iotnet.FileError):
        iotnet.MudProfile.load(tmp_path / "nope.json")


def _bulb_network():
    net = iotnet.Network("bulb")
    net.add_node("bulb", "light")
    net.add_node("plug", "smart-plug", mud_url="https://plugs.example/p1")
    return net


def test_attach_and_read_back(bulb_file, tmp_path):
    with _bulb_network() as net:
        bulb = net.nodes["bulb"]
        assert bulb.mud is None
        assert net.attach_mud("bulb", bulb_file) == []
        mud = bulb.mud
        assert mud.info.mud_url == "https://lighting.example.com/lightbulb2000"
        assert mud.aces == BULB_ACES
        assert bulb.mud_url == mud.info.mud_url  # attaching sets the MUD URL
        assert mud == iotnet.MudProfile.load(bulb_file)
        # the profile is saved with the model
        net.save(tmp_path / "with-mud.json")
        loaded = iotnet.load(tmp_path / "with-mud.json")
        assert loaded == net and loaded.nodes["bulb"].mud.aces == BULB_ACES
        loaded.close()
        net.detach_mud("bulb")
        assert bulb.mud is None
        with pytest.raises(iotnet.NotFoundError):
            net.detach_mud("bulb")


def test_attach_a_loaded_or_lenient_profile(bulb_file, draft_file):
    with _bulb_network() as net:
        profile = iotnet.MudProfile.load(bulb_file)
        assert net.attach_mud(net.nodes["plug"], profile) == []
        assert net.nodes["plug"].mud.aces == BULB_ACES
        changes = net.attach_mud("bulb", draft_file, lenient=True)
        assert changes and net.nodes["bulb"].mud.aces == BULB_ACES
        with pytest.raises(TypeError):
            net.attach_mud("bulb", profile, lenient=True)


def test_add_aces_by_hand():
    with _bulb_network() as net:
        net.add_mud_ace("plug", "to-hub", acl="plug-out", peer="local-networks", protocol="udp",
                        dst_ports=5683)
        net.add_mud_ace("plug", "from-hub", acl="plug-in", policy="to-device",
                        peer="local-networks", protocol="udp", src_ports=(5683, 5684))
        net.add_mud_ace("plug", "cloud", peer="cidr", peer_value="198.51.100.0/24",
                        protocol="tcp", dst_ports=443, initiated="from-device",
                        action="accept")
        mud = net.nodes["plug"].mud
        assert mud.info.mud_url == "https://plugs.example/p1"
        assert mud.aces == [
            iotnet.MudAce("plug-out", "to-hub", "from-device", "local-networks", None, "udp",
                          None, (5683, 5683)),
            iotnet.MudAce("plug-in", "from-hub", "to-device", "local-networks", None, "udp",
                          (5683, 5684), None),
            iotnet.MudAce(None, "cloud", "from-device", "cidr", "198.51.100.0/24", "tcp", None,
                          (443, 443), "from-device", "accept"),
        ]


@pytest.mark.parametrize("call, error", [
    (lambda n: n.add_mud_ace("bulb", "x"), ValueError),            # no MUD URL, no profile
    (lambda n: n.add_mud_ace("ghost", "x"), iotnet.NotFoundError),
    (lambda n: n.add_mud_ace("plug", None), TypeError),
    (lambda n: n.add_mud_ace("plug", "x", peer="neighbours"), ValueError),
    (lambda n: n.add_mud_ace("plug", "x", policy="sideways"), ValueError),
    (lambda n: n.add_mud_ace("plug", "x", peer="cidr"), ValueError),  # needs a value
    (lambda n: n.add_mud_ace("plug", "x", peer="cidr", peer_value="10.0.0.0/33"), ValueError),
    (lambda n: n.add_mud_ace("plug", "x", peer="any", peer_value="extra"), ValueError),
    (lambda n: n.add_mud_ace("plug", "x", dst_ports=(10, 5)), ValueError),
    (lambda n: n.add_mud_ace("plug", "x", src_ports="443"), TypeError),
    (lambda n: n.add_mud_ace("plug", "x", action="allow"), ValueError),
    (lambda n: n.attach_mud("plug", 3), TypeError),
    (lambda n: n.attach_mud("ghost", iotnet.MudProfile.loads(json.dumps(BULB))),
     iotnet.NotFoundError),
    (lambda n: n.detach_mud(None), TypeError),
])
def test_bad_mud_calls_raise(call, error):
    with _bulb_network() as net:
        before = net.dumps()
        with pytest.raises(error):
            call(net)
        assert net.dumps() == before


@pytest.mark.parametrize("call", [
    lambda n: n.add_mud_ace("plug", "x"),
    lambda n: n.attach_mud("plug", iotnet.MudProfile.loads(json.dumps(BULB))),
    lambda n: n.detach_mud("plug"),
    lambda n: n.nodes["plug"].mud,
])
def test_mud_calls_on_a_closed_network_raise(call):
    net = _bulb_network()
    plug = net.nodes["plug"]
    net.close()
    with pytest.raises(iotnet.ClosedError):
        call(net)
    with pytest.raises(iotnet.ClosedError):
        plug.mud


# ---- MUD and reachability --------------------------------------------------------


def mud_home(with_mud=True):
    """A camera behind a home router (NAT44, a port forward to its web UI,
    an accept-all policy so the router is plainly an enforcement point) and
    two clouds on the Internet; the camera's MUD profile allows only TCP to
    port 443 of cloud.example, opened by the camera, and its replies."""
    net = iotnet.Network("mud home")
    net.add_zone("internet", "internet-zone")
    net.add_zone("lan", "home-lan")
    net.add_node("internet", "internet", zone="internet")
    for cloud in ("cloud", "other"):
        net.add_node(cloud, "vendor-cloud", zone="internet",
                     services=[{"name": "api", "protocol": "tcp", "port": 443}],
                     attributes={"dns-name": cloud + ".example"})
        net.add_link(cloud + "-hosting", cloud, "internet")
    net.add_node("router", "home-router", zone="lan",
                 interfaces=[{"name": "wan", "address": "203.0.113.2/24"},
                             {"name": "lan0", "address": "192.168.1.1/24"}])
    net.add_node("cam", "camera", zone="lan", mud_url="https://cams.example/c1",
                 interfaces=[{"name": "eth0", "address": "192.168.1.10/24"}],
                 services=[{"name": "web", "protocol": "tcp", "port": 80}])
    net.add_link("uplink", "router", "internet", a_interface="wan")
    net.add_link("cam-lan", "router", "cam", a_interface="lan0", b_interface="eth0")
    net.set_nat("router", inside=["lan0"], outside="wan")
    net.add_port_forward("router", "cam-web", 8080, "cam", internal_port=80)
    net.set_policy("router", default="accept")
    if with_mud:
        net.add_mud_ace("cam", "to-cloud", acl="cam-from", peer="dnsname",
                        peer_value="cloud.example", protocol="tcp", dst_ports=443,
                        initiated="from-device")
        net.add_mud_ace("cam", "from-cloud", acl="cam-to", policy="to-device", peer="dnsname",
                        peer_value="cloud.example", protocol="tcp", src_ports=443,
                        initiated="from-device")
    return net


@engine
def test_without_mud_the_forward_is_open():
    with mud_home(with_mud=False) as net:
        rows = net.reach("internet", dst="cam")
        assert [(r.service, r.exposure, r.via) for r in rows] == [
            ("web", "port-forward", "cam-web")]
        assert [r.destination for r in net.reach("cam", service="tcp/443")
                if r.destination in ("cloud", "other")] == ["cloud", "other"]


@engine
def test_mud_narrows_the_device_to_its_cloud():
    with mud_home() as net:
        # out: only cloud.example on tcp/443 (its api), both directions accepted
        [up] = net.reach("cam", dst="cloud")
        assert (up.service, up.flow, up.path) == ("api", "tcp/443",
                                                  ("cam", "router", "internet", "cloud"))
        assert up.exposure != "none"
        assert list(net.reach("cam", dst="other")) == []
        # in: the forward still translates, but no to-device entry accepts
        # tcp/80 from anyone, so the access gateway drops it
        assert list(net.reach("internet", dst="cam")) == []
        ex = net.explain("internet", "cam", "web")
        assert ex.exposure == "none"
        last = ex.hops[-1]
        assert (last.node, last.layer, last.action) == ("router", "mud", "drop")
        # the accepted flow names the entry that decided (reach.h: "acl/ace";
        # the engine names the entry alone)
        ex = net.explain("cam", "cloud", "tcp/443")
        mud_hops = [h for h in ex.hops if h.layer == "mud"]
        assert mud_hops and mud_hops[0].node == "router" and mud_hops[0].action == "accept"
        assert mud_hops[0].rule in ("cam-from/to-cloud", "to-cloud")
