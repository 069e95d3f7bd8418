"""Shared fixtures for the Python package tests: where things are, and a
network built through every add_* function."""

import datetime
import pathlib

import pytest

import iotnet

UTC = datetime.timezone.utc
REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def repo_root():
    return REPO_ROOT


@pytest.fixture(scope="session")
def models_dir(repo_root):
    return repo_root / "models"


@pytest.fixture(scope="session")
def test_data(repo_root):
    return repo_root / "tests" / "data"


@pytest.fixture(scope="session")
def home_model(models_dir):
    path = models_dir / "topologies" / "home.xml"
    assert path.exists(), "the reference home network %s is missing" % path
    return path


def build_full_network():
    """A small home network that uses every part of the model: zones with
    security levels, a conduit, nodes with interfaces, services, lifecycle
    and attributes of every type, links, a firewall policy and NAT44."""
    net = iotnet.Network("test home")
    net.add_zone("internet", "internet-zone", description="everything outside")
    net.add_zone("lan", "home-lan", purdue_level=4, target_sl=2, target_sl_fr={1: 3, 7: 1},
                 attributes={"owner": "family", "floors": 2})
    net.add_zone("iot", "iot-lan", purdue_level=3.5)
    net.add_conduit("lan-to-iot", "lan", "iot", services=["tcp/443", "udp/5683", "icmp"],
                    bidirectional=True, description="apps control devices")
    net.add_conduit("iot-out", "iot", "internet")

    net.add_node("wan", "internet", zone="internet")
    net.add_node(
        "router", "home-router", zone="lan", vendor="Acme", model="R100", firmware="1.2.3",
        implementation="linux-netfilter", description="the home gateway",
        interfaces=[
            {"name": "wan0", "address": "203.0.113.7/24"},
            iotnet.Interface("lan0", "192.168.1.1/24", "main LAN"),
            {"name": "iot0", "address": "192.168.2.1/24"},
        ],
        services=[
            iotnet.Service("web-ui", "tcp", 443, authentication="default-password",
                           transport="tls1.2",
                           cipher_suites=["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"],
                           management=True),
            {"name": "dns", "protocol": "udp", "port": 53, "authentication": "none",
             "transport": "none"},
            iotnet.Service("ping", "icmp"),
        ],
        attributes={
            "rack": "hallway",
            "uptime-days": -12,
            "cpu-load": 0.125,
            "wps": True,
            "installed": datetime.datetime(2021, 3, 4, 5, 6, 7, tzinfo=UTC),
            "warranty": datetime.timedelta(days=730),
        })
    net.add_node(
        "camera", "camera", zone="iot", vendor="Cam Co",
        mud_url="https://camco.example/mud/cam1.json",
        interfaces=[iotnet.Interface("eth0", "192.168.2.10/24")],
        services=[iotnet.Service("rtsp", "tcp", 554, authentication="password",
                                 transport="tls1.3", cipher_suites=["TLS_AES_128_CCM_8_SHA256"],
                                 nat_traversal="upnp")],
        lifecycle=iotnet.Lifecycle(
            certificate_not_after=datetime.datetime(2029, 12, 31, 22, 0, tzinfo=UTC),
            signed_artifact_lifetime=datetime.timedelta(days=3650),
            end_of_support=datetime.datetime(2028, 6, 30, 12, 30, tzinfo=UTC),
            update_mechanism="suit", owner="previous tenant", ownership_statement=False,
            reset_method="button", vendor_cloud_dependency=True, credentials_escrowed=False,
            attestation="rats"),
        attributes={"resolution": "1080p", "retention": datetime.timedelta(hours=36)})
    net.add_node("phone", "phone", zone="lan", interfaces=[{"name": "wlan0"}],
                 lifecycle={"update_mechanism": "automatic", "ownership_statement": True})

    net.add_link("uplink", "router", "wan", a_interface="wan0", medium="fibre",
                 latency_ms=4.25, encryption="none", description="FTTH",
                 attributes={"bandwidth-mbps": 1000, "metered": False})
    net.add_link("cam-wifi", "camera", "router", a_interface="eth0", b_interface="iot0",
                 medium="wifi", latency_ms=0, encryption="wpa3")
    net.add_link("phone-wifi", "phone", "router", a_interface="wlan0", b_interface="lan0",
                 medium="wifi", encryption="wpa2")

    net.set_policy("router", default="drop")
    net.add_rule("router", "lan-out", from_="zone:lan", to="internet", action="accept")
    net.add_rule("router", "camera-feed", from_="node:phone", to="kind:camera",
                 protocol="tcp", ports=554, initiated_by="from", action="accept",
                 description="RTSP from the phone")
    net.add_rule("router", "mgmt-block", from_="cidr:192.168.2.0/24", to="node:router",
                 protocol="tcp", ports=(8000, 8100), action="reject")
    net.set_nat("router", inside=["lan0", "iot0"], outside="wan0", mapping="address-dependent",
                filtering="endpoint-independent", hairpinning=True, upnp=True)
    net.add_port_forward("router", "cam-rtsp", 8554, "camera", internal_port=554)
    net.add_port_forward("router", "game", 3074, "phone", protocol="udp")
    return net


@pytest.fixture
def make_net():
    """build_full_network itself: each call gives a new network the test owns
    (the fixture keeps no reference, so tests can watch it being freed)."""
    return build_full_network


@pytest.fixture
def full_net():
    net = build_full_network()
    yield net
    net.close()


@pytest.fixture
def net():
    """An empty network, closed after the test."""
    with iotnet.Network() as n:
        yield n


# ---- a small lab network and catalog for the threat evaluation tests ------------

#: A control catalog of our own, so the lab catalog needs no bundled file.
LAB_CONTROLS = """<?xml version="1.0" encoding="UTF-8"?>
<controls xmlns="urn:libiotnet:catalog" framework="lab-fw" title="Lab framework">
  <control id="1" group="Network">Traffic filtered</control>
  <control id="2" group="Access">Credentials managed</control>
</controls>
"""

#: Six threats and four mitigations over the lab network. With now =
#: 2026-12-01 every threat applies exactly once and nothing is mitigated:
#:   lab:forwarded-service@cam/web      L5 I5  25  (port forward from the Internet)
#:   lab:unauthenticated@plug/telnet    L5 I4  20
#:   lab:default-password@cam/web       L4 I4  16
#:   lab:nat-only@router                L4 I3  12  (NAT, no filtering policy)
#:   lab:camera-without-mud@cam         L3 I3   9
#:   lab:certificate-expiring@cam       L2 I3   6  (not after 2027-06-01 < now + 1 year)
LAB_CATALOG = """<?xml version="1.0" encoding="UTF-8"?>
<catalog xmlns="urn:libiotnet:catalog" namespace="lab" title="Lab threats">
  <attribute name="pw-rotated" type="bool" target="node"/>

  <threat id="forwarded-service" target="service">
    <title>Service reachable through a port forward</title>
    <description>Anyone on the Internet can open the service.</description>
    <stride>E S</stride>
    <cwe>CWE-284</cwe>
    <likelihood>5</likelihood>
    <impact>5</impact>
    <applies-when>
      <reachable from="internet" min="port-forward"/>
    </applies-when>
    <mitigations>filtered</mitigations>
    <references>RFC4787</references>
  </threat>

  <threat id="unauthenticated" target="service">
    <title>Service without authentication</title>
    <description>Whoever reaches the service may use it.</description>
    <stride>S I</stride>
    <cwe>CWE-306 CWE-287</cwe>
    <capec>CAPEC-115</capec>
    <attack-ics>T0859</attack-ics>
    <likelihood>5</likelihood>
    <impact>4</impact>
    <applies-when>
      <field name="authentication" op="=" value="none"/>
    </applies-when>
    <mitigations>filtered</mitigations>
  </threat>

  <threat id="default-password" target="service">
    <title>Factory password still accepted</title>
    <description>The credential printed in the manual still works.</description>
    <stride>S</stride>
    <likelihood>4</likelihood>
    <impact>4</impact>
    <applies-when>
      <field name="authentication" op="=" value="default-password"/>
    </applies-when>
    <mitigations>pw-rotated lab:filtered</mitigations>
  </threat>

  <threat id="nat-only" target="node">
    <title>Address translation without a filtering policy</title>
    <description>The gateway translates but does not filter.</description>
    <stride>I E</stride>
    <likelihood>4</likelihood>
    <impact>3</impact>
    <applies-when>
      <all>
        <field name="has-nat" op="=" value="true"/>
        <field name="has-policy" op="=" value="false"/>
      </all>
    </applies-when>
    <mitigations>filtered</mitigations>
  </threat>

  <threat id="camera-without-mud" target="node">
    <title>Camera without a MUD profile</title>
    <description>Nothing tells the network what the camera needs.</description>
    <stride>T</stride>
    <likelihood>3</likelihood>
    <impact>3</impact>
    <applies-when>
      <is-a kind="camera"/>
    </applies-when>
    <mitigations>mud</mitigations>
  </threat>

  <threat id="certificate-expiring" target="node">
    <title>Device certificate expires within a year</title>
    <description>The device stops authenticating soon.</description>
    <stride>D</stride>
    <likelihood>2</likelihood>
    <impact>3</impact>
    <applies-when>
      <field name="lifecycle/certificate-not-after" op="&lt;" value="now+P1Y"/>
    </applies-when>
    <mitigations>auto-update</mitigations>
  </threat>

  <mitigation id="filtered" target="node">
    <title>Filtering policy</title>
    <description>The node filters what reaches it.</description>
    <technologies>firewall</technologies>
    <present-when>
      <field name="has-policy" op="=" value="true"/>
    </present-when>
    <effect likelihood="-2" impact="0"/>
    <controls>lab-fw:1</controls>
  </mitigation>

  <mitigation id="pw-rotated" target="node">
    <title>Passwords rotated by the owner</title>
    <description>Every factory credential was replaced.</description>
    <present-when>
      <field name="attr:pw-rotated" op="=" value="true"/>
    </present-when>
    <effect likelihood="-3" impact="0"/>
    <controls>lab-fw:2</controls>
  </mitigation>

  <mitigation id="mud" target="node">
    <title>MUD profile enforced</title>
    <description>The device's MUD profile is enforced at its gateway.</description>
    <technologies>MUD 802.1X</technologies>
    <present-when>
      <field name="has-mud-profile" op="=" value="true"/>
    </present-when>
    <effect likelihood="-2" impact="-1"/>
    <controls>lab-fw:1 lab-fw:2</controls>
  </mitigation>

  <mitigation id="auto-update" target="node">
    <title>Automatic updates</title>
    <description>Certificates and firmware are renewed without the owner.</description>
    <present-when>
      <field name="lifecycle/update-mechanism" op="=" value="automatic"/>
    </present-when>
    <effect likelihood="-1" impact="0"/>
    <controls>lab-fw:2</controls>
  </mitigation>
</catalog>
"""

#: The day the lab expectations are worked out for.
LAB_NOW = datetime.date(2026, 12, 1)


def build_lab_network():
    """The lab: a camera (web with its default password, forwarded from the
    Internet; rtsp with a password) and a smart plug (telnet without
    authentication) behind a NAT router with no filtering policy."""
    net = iotnet.Network("lab")
    net.add_zone("lan", "home-lan")
    net.add_node("internet", "internet")
    net.add_node("router", "home-router",
                 interfaces=[{"name": "wan"}, {"name": "lan0", "address": "192.168.1.1/24"}])
    net.set_nat("router", inside=["lan0"], outside="wan")
    net.add_node("cam", "camera", zone="lan", mud_url="https://cam.example/mud.json",
                 interfaces=[{"name": "eth0", "address": "192.168.1.10/24"}],
                 services=[{"name": "web", "protocol": "tcp", "port": 80,
                            "authentication": "default-password", "management": True},
                           {"name": "rtsp", "protocol": "tcp", "port": 554,
                            "authentication": "password"}],
                 lifecycle={"certificate_not_after": datetime.datetime(2027, 6, 1, tzinfo=UTC)})
    net.add_node("plug", "smart-plug", zone="lan",
                 interfaces=[{"name": "eth0", "address": "192.168.1.20/24"}],
                 services=[{"name": "telnet", "protocol": "tcp", "port": 23,
                            "authentication": "none"}])
    net.add_link("uplink", "router", "internet", a_interface="wan")
    net.add_link("cam-lan", "router", "cam", a_interface="lan0", b_interface="eth0")
    net.add_link("plug-lan", "router", "plug", a_interface="lan0", b_interface="eth0")
    net.add_port_forward("router", "cam-web", 8080, "cam", internal_port=80)
    return net


@pytest.fixture
def lab_net():
    net = build_lab_network()
    yield net
    net.close()


@pytest.fixture
def lab_files(tmp_path):
    """The lab catalog and its control catalog written to a directory:
    {"dir", "controls", "catalog"}."""
    folder = tmp_path / "lab-catalogs"
    folder.mkdir()
    (folder / "a-controls.xml").write_text(LAB_CONTROLS, encoding="utf-8")
    (folder / "b-threats.xml").write_text(LAB_CATALOG, encoding="utf-8")
    return {"dir": folder, "controls": folder / "a-controls.xml",
            "catalog": folder / "b-threats.xml"}
