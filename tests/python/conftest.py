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
    if not path.exists():
        pytest.skip("the reference home network %s does not exist yet" % path)
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
