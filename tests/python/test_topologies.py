"""The reference networks in models/topologies: each validates against the
YANG module, loads, survives a JSON and an XML round trip unchanged, and
carries the facts its comments promise (the ones the analyses and the user
guide rely on)."""

import datetime
import ipaddress
import shutil
import subprocess

import pytest

import iotnet

TOPOLOGIES = ["home", "building", "plant", "substation"]
YANG_MODULE = "iotnet-topology@2026-11-22.yang"

# RFC 1918, RFC 6598 shared address space, and the RFC 5737 documentation ranges.
ALLOWED_RANGES = [ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
    "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]


@pytest.fixture(scope="module")
def topologies_dir(models_dir):
    return models_dir / "topologies"


@pytest.fixture(scope="module")
def networks(topologies_dir):
    """Each reference network, loaded once for the module."""
    loaded = {name: iotnet.load(str(topologies_dir / ("%s.xml" % name))) for name in TOPOLOGIES}
    yield loaded
    for net in loaded.values():
        net.close()


@pytest.fixture(params=TOPOLOGIES)
def name(request):
    return request.param


# ---- helpers ----------------------------------------------------------------

def nodes_of_kind(net, kind):
    return [node for node in net.nodes.values() if node.is_a(kind)]


def service_on(node, protocol, port):
    return [s for s in node.services if s.protocol == protocol and s.port == port]


def interface_network(address):
    return ipaddress.ip_interface(address).network


def rule_selector_types(rules):
    return {selector.partition(":")[0] for rule in rules for selector in (rule.from_, rule.to)}


# ---- every network ------------------------------------------------------------

def test_validates_with_yanglint(name, topologies_dir, models_dir):
    yanglint = shutil.which("yanglint")
    if yanglint is None:
        pytest.skip("yanglint is not installed")
    yang = models_dir / "yang"
    done = subprocess.run(
        [yanglint, "-p", str(yang), str(yang / YANG_MODULE),
         str(topologies_dir / ("%s.xml" % name))],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_round_trip_is_lossless(name, networks, tmp_path, fmt):
    net = networks[name]
    path = tmp_path / ("%s.%s" % (name, fmt))
    net.save(str(path))
    again = iotnet.load(str(path))
    assert again == net, net.difference(again)
    assert again.name == net.name


def test_is_a_realistic_model(name, networks):
    """Named, zoned, with conduits, several kinds of forwarding node, and
    every node in a zone."""
    net = networks[name]
    assert net.name
    assert len(net.zones) >= 5
    assert len(net.conduits) >= 4
    assert len(net.nodes) >= 15
    unzoned = [node.id for node in net.nodes.values() if node.zone is None]
    assert unzoned == []


def test_links_attach_to_named_interfaces(name, networks):
    """Every link names an interface on both ends, and every forwarding node
    has interfaces."""
    net = networks[name]
    for link in net.links.values():
        record = link.as_dict()
        for end in ("a", "b"):
            node = net.nodes[record[end]]
            assert record[end + "_interface"] in {i.name for i in node.interfaces}, \
                "%s: end %s has no interface" % (link.id, end)
    for node in net.nodes.values():
        if node.is_forwarding:
            assert node.interfaces, "%s forwards but has no interfaces" % node.id


def test_addresses_are_private_shared_or_documentation(name, networks):
    net = networks[name]
    addresses = [i.address for node in net.nodes.values() for i in node.interfaces if i.address]
    assert addresses
    for address in addresses:
        ip = ipaddress.ip_interface(address).ip
        assert any(ip in block for block in ALLOWED_RANGES), address


def test_services_are_fully_described(name, networks):
    """Services state protocol, authentication and transport; some are
    management services and some name their cipher suites."""
    net = networks[name]
    services = [s for node in net.nodes.values() for s in node.services]
    assert len(services) >= 10
    assert all(s.authentication != "unspecified" for s in services)
    assert any(s.management for s in services)
    assert any(s.cipher_suites for s in services)


def test_policies_use_several_selector_types(name, networks):
    net = networks[name]
    policies = [node.policy for node in net.nodes.values() if node.policy is not None]
    assert policies
    richest = max(policies, key=lambda p: (len(rule_selector_types(p.rules)), len(p.rules)))
    assert len(richest.rules) >= 4
    assert len(rule_selector_types(richest.rules)) >= 3
    all_types = set().union(*(rule_selector_types(p.rules) for p in policies))
    assert {"zone", "node", "kind", "cidr"} <= all_types


def test_links_state_latency(name, networks):
    net = networks[name]
    latencies = [link.latency_ms for link in net.links.values()]
    assert sum(latency is not None for latency in latencies) >= len(latencies) * 0.8


def test_exports_for_other_tools(name, networks):
    net = networks[name]
    dot = net.export("dot")
    graphml = net.export("graphml")
    assert dot.lstrip().startswith(("graph", "digraph", "strict"))
    assert "<graphml" in graphml
    for node_id in list(net.nodes)[:5]:
        assert node_id in graphml


# ---- home -------------------------------------------------------------------------

def test_home_isp_runs_cgnat_on_shared_address_space(networks):
    net = networks["home"]
    cgnats = [n for n in nodes_of_kind(net, "isp-router") if n.nat and n.nat.cgnat]
    assert [n.id for n in cgnats] == ["isp-router"]
    isp = cgnats[0]
    inside = {i.name: i.address for i in isp.interfaces}[isp.nat.inside[0]]
    assert interface_network(inside).subnet_of(ipaddress.ip_network("100.64.0.0/10"))
    # The home router's WAN address comes from that shared space.
    router = net.nodes["home-router"]
    wan = {i.name: i.address for i in router.interfaces}[router.nat.outside]
    assert ipaddress.ip_interface(wan).ip in ipaddress.ip_network("100.64.0.0/10")


def test_home_router_nat_upnp_and_forward_to_default_password_ui(networks):
    net = networks["home"]
    router = net.nodes["home-router"]
    assert router.is_a("home-router")
    nat = router.nat
    assert nat.upnp and not nat.cgnat
    assert nat.filtering in ("endpoint-independent", "address-and-port-dependent")
    assert set(nat.inside) == {"lan0", "iot0"}
    (forward,) = nat.forwards
    target = net.nodes[forward.to_node]
    assert target.is_a("camera")
    exposed = [s for s in target.services if s.port == forward.internal_port]
    assert exposed and exposed[0].authentication == "default-password"
    assert exposed[0].management


def test_home_router_policy_separates_lan_and_iot(networks):
    net = networks["home"]
    assert net.zones["home"].kind == "home-lan"
    assert net.zones["iot"].kind == "iot-lan"
    policy = net.nodes["home-router"].policy
    assert policy.default == "drop"
    between = [r for r in policy.rules
               if {r.from_, r.to} & {"zone:home", "zone:iot"} and r.to != "internet"
               and r.from_ != "internet"]
    assert any(r.from_ == "zone:iot" and r.to == "zone:home" and r.action == "drop"
               for r in between)
    assert any(r.action == "accept" and r.to in ("zone:iot", "kind:camera") for r in between)


def test_home_cameras_open_the_nat_themselves(networks):
    net = networks["home"]
    traversal = {s.nat_traversal for cam in nodes_of_kind(net, "camera") for s in cam.services}
    assert {"upnp", "hole-punch"} <= traversal
    garden = net.nodes["cam-garden"]
    assert service_on(garden, "tcp", 554)[0].nat_traversal == "upnp"


def test_home_devices_and_clouds(networks):
    net = networks["home"]
    for kind in ("smart-speaker", "thermostat", "sprinkler-controller", "phone", "mud-server"):
        assert nodes_of_kind(net, kind), kind
    assert len(nodes_of_kind(net, "vendor-cloud")) >= 4
    thermostat = nodes_of_kind(net, "thermostat")[0]
    assert thermostat.mud_url.startswith("https://")


def test_home_sprinkler_reaches_its_cloud_only_over_lte(networks):
    net = networks["home"]
    sprinkler = net.nodes["sprinkler"]
    (link,) = sprinkler.links
    assert link.medium == "lte"
    peer = next(n for n in link.nodes if n.id != "sprinkler")
    assert peer.is_a("cellular-network")
    assert peer.nat.cgnat


def test_home_phone_is_on_the_lan_and_roaming(networks):
    net = networks["home"]
    phone = net.nodes["phone"]
    peers = {next(n for n in link.nodes if n.id != "phone").kind for link in phone.links}
    assert peers == {"home-router", "cellular-network"}


def test_home_lifecycle_findings(networks):
    net = networks["home"]
    cycles = {n.id: n.lifecycle for n in net.nodes.values() if n.lifecycle}
    reference = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
    short_lived = [node for node, lc in cycles.items()
                   if lc.certificate_not_after and lc.signed_artifact_lifetime
                   and lc.certificate_not_after < reference + lc.signed_artifact_lifetime]
    assert short_lived == ["thermostat"]
    stuck = [node for node, lc in cycles.items()
             if lc.reset_method == "none" and lc.vendor_cloud_dependency]
    assert stuck == ["sprinkler"]
    assert any(lc.ownership_statement is False for lc in cycles.values())


# ---- building ----------------------------------------------------------------------

def test_building_bacnet_controllers_speak_bacnet_ip(networks):
    net = networks["building"]
    controllers = nodes_of_kind(net, "bacnet-controller")
    assert len(controllers) >= 4
    legacy = [c for c in controllers if service_on(c, "udp", 47808)]
    assert legacy and all(service_on(c, "udp", 47808)[0].authentication == "none"
                          for c in legacy)
    assert any(s.transport == "tls1.3" for c in controllers for s in c.services)


def test_building_has_lighting_access_control_and_bms(networks):
    net = networks["building"]
    assert len(nodes_of_kind(net, "light")) >= 3
    assert len(nodes_of_kind(net, "access-control")) >= 3
    assert nodes_of_kind(net, "bms-server")


def test_building_ot_firewall_sits_between_it_and_bas(networks):
    net = networks["building"]
    fw = net.nodes["ot-fw"]
    assert fw.is_a("firewall") and fw.policy.default == "drop"
    neighbour_zones = {net.nodes[n.id].zone for link in fw.links for n in link.nodes
                       if n.id != "ot-fw"}
    assert {"corporate", "bas-supervisory", "bas-dmz"} <= neighbour_zones
    implementations = {n.implementation for n in net.nodes.values()
                       if n.policy is not None and n.implementation}
    assert len(implementations) >= 3


def test_building_vendor_maintenance_path(networks):
    net = networks["building"]
    gateway = nodes_of_kind(net, "vpn-gateway")[0]
    peers = {n.id for link in gateway.links for n in link.nodes if n.id != gateway.id}
    assert "remote-maintenance" in peers
    assert net.nodes["remote-maintenance"].is_a("cloud-service")
    # the device port is the bypass the comments describe
    assert "bas-sup-switch" in peers


def test_building_conduits_connect_zones_on_services(networks):
    net = networks["building"]
    pairs = {(c.from_zone, c.to_zone) for c in net.conduits.values()}
    assert ("corporate", "bas-supervisory") in pairs
    assert ("bas-supervisory", "hvac") in pairs
    assert "udp/47808" in net.conduits["bms-to-hvac"].services


# ---- plant ---------------------------------------------------------------------------

def test_plant_follows_the_purdue_model(networks):
    net = networks["plant"]
    levels = {zone.kind: zone.purdue_level for zone in net.zones.values()}
    assert levels["enterprise"] == 4
    assert levels["industrial-dmz"] == 3.5
    assert levels["operations"] == 3
    assert levels["supervisory"] == 2
    assert levels["control"] == 1
    assert levels["field"] == 0
    assert "edge-datacentre" in levels


def test_plant_zones_have_security_level_targets(networks):
    net = networks["plant"]
    targeted = [z for z in net.zones.values() if z.kind != "internet-zone"]
    assert all(z.target_sl for z in targeted)
    assert sum(bool(z.target_sl_fr) for z in targeted) >= 3


def test_plant_hosts_per_level(networks):
    net = networks["plant"]
    by_zone = {}
    for node in net.nodes.values():
        by_zone.setdefault(net.zones[node.zone].kind, set()).add(node.kind)
    assert "historian" in by_zone["industrial-dmz"]
    assert {"historian", "engineering-workstation"} <= by_zone["operations"]
    assert {"hmi", "scada-server"} <= by_zone["supervisory"]
    assert "plc" in by_zone["control"]
    assert "virtual-plc" in by_zone["edge-datacentre"]
    assert "io-module" in by_zone["field"]


def test_plant_virtual_plc_has_cycle_time_and_latency_on_its_path(networks):
    net = networks["plant"]
    (vplc,) = nodes_of_kind(net, "virtual-plc")
    cycle = vplc.attributes["cycle-time-ms"]
    assert cycle > 0
    for link in vplc.links:
        assert link.latency_ms is not None
    # Primary I/O path: the one-way latencies from the vPLC to its I/O
    # module, doubled, fit well within one cycle.
    path = ["vplc-vnic", "vswitch-uplink", "edge-to-field-fw", "field-leg", "et200sp-port"]
    one_way = sum(net.links[link].latency_ms for link in path)
    assert 0 < 2 * one_way < cycle


def test_plant_field_protocols(networks):
    net = networks["plant"]
    field = [n for n in net.nodes.values() if n.zone == "field"]
    assert any(service_on(n, "tcp", 4840) for n in field)
    assert any(service_on(n, "tcp", 502) for n in field)


def test_plant_firewalls_of_different_implementations(networks):
    net = networks["plant"]
    firewalls = nodes_of_kind(net, "firewall")
    implementations = {fw.implementation for fw in firewalls}
    assert len(firewalls) >= 5
    assert len(implementations) == len(firewalls)


def test_plant_conduits_list_their_services(networks):
    net = networks["plant"]
    between_levels = [c for c in net.conduits.values() if c.from_zone != "enterprise"]
    assert all(c.services for c in between_levels)
    assert "tcp/502" in net.conduits["control-to-field"].services


# ---- substation ----------------------------------------------------------------------

def test_substation_protection_speaks_mms_and_goose(networks):
    net = networks["substation"]
    relays = nodes_of_kind(net, "protection-relay")
    assert len(relays) >= 3
    for relay in relays:
        assert service_on(relay, "tcp", 102), relay.id
        assert any(s.name == "goose" for s in relay.services), relay.id
    assert nodes_of_kind(net, "merging-unit")
    assert nodes_of_kind(net, "gps-clock")


def test_substation_gateway_speaks_telecontrol_over_the_wan(networks):
    net = networks["substation"]
    (rtu,) = nodes_of_kind(net, "rtu")
    assert service_on(rtu, "tcp", 2404) or service_on(rtu, "tcp", 20000)
    assert net.zones["control-centre"].kind == "control-centre"
    wan_links = [link for link in net.links.values()
                 if any(n.zone == "wan" for n in link.nodes)]
    assert wan_links and all(link.latency_ms for link in wan_links)


def test_substation_buses_are_built_twice(networks):
    net = networks["substation"]
    switches = {n.id for n in nodes_of_kind(net, "switch")}
    assert {"station-sw-a", "station-sw-b", "process-sw-a", "process-sw-b"} <= switches
    for relay in nodes_of_kind(net, "protection-relay"):
        peers = {n.id for link in relay.links for n in link.nodes if n.id != relay.id}
        assert {"station-sw-a", "station-sw-b"} <= peers, relay.id


def test_substation_has_exactly_one_single_path_protection_link(networks):
    net = networks["substation"]
    single = [mu.id for mu in nodes_of_kind(net, "merging-unit") if len(mu.links) == 1]
    assert single == ["mu-xfmr-1"]
    (link,) = net.nodes["mu-xfmr-1"].links
    assert link.attributes["single-path"] is True
    flagged = [l.id for l in net.links.values() if l.attributes.get("single-path")]
    assert flagged == [link.id]


def test_substation_engineering_access_path(networks):
    net = networks["substation"]
    (ews,) = nodes_of_kind(net, "engineering-workstation")
    assert net.zones[ews.zone].kind == "management"
    sub_fw = net.nodes["sub-fw"]
    assert any(r.from_ == "zone:%s" % ews.zone and r.to == "kind:protection-relay"
               for r in sub_fw.policy.rules)
