#!/usr/bin/env python3
"""Generate a large, realistic iotnet-topology JSON file for the benchmarks.

The network is what an access provider, a utility or a large integrator
would model: thousands of homes behind carrier-grade NAT, a few factories
zoned along the Purdue model, and office buildings with building
automation, all reaching vendor clouds over the Internet.

    homes      a home router (NAT44 + firewall policy, sometimes port
               forwards), phones, computers, TVs, cameras, speakers,
               thermostats and a Zigbee hub with its mesh of lights,
               plugs, sensors and locks; a LAN zone and usually an IoT zone
    plants     six Purdue zones with conduits, three firewalls of different
               implementations, a switch per zone, control cells with PLCs,
               HMIs, drives and remote I/O, dual-homed PLCs, a switch ring
    buildings  office and building-automation zones behind a firewall,
               BACnet controllers, sensors, lights and badge readers

Every link names the interfaces it attaches to (except at the Internet
node, which has none), so the file exercises the interface leafrefs.
The output is deterministic for a given seed and valid against
models/yang/iotnet-topology@2026-11-22.yang.

    gen_topology.py --nodes 100000 -o bench/out/topology-100000.json
"""

import argparse
import json
import os
import random
import sys

VENDORS = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne"]
ROUTER_IMPLS = ["linux-netfilter", "openwrt", "vendor-rtos", "bsd-pf"]
FIREWALL_IMPLS = ["fortinet-fortios", "paloalto-panos", "cisco-asa", "linux-nftables", "bsd-pf"]
CLOUD_SERVICES = [
    ("mud", "mud-server"),
    ("updates", "update-server"),
    ("dns", "dns-server"),
    ("ntp", "time-server"),
    ("remote-support", "remote-maintenance"),
]
TLS13_SUITES = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]
CCM8_SUITES = ["TLS_AES_128_CCM_8_SHA256", "TLS_AES_128_CCM_SHA256"]
TLS12_SUITES = ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA"]

# Home devices: kind, radio ("wifi", "ethernet" or "zigbee"), relative weight.
HOME_DEVICES = [
    ("phone", "wifi", 14),
    ("workstation", "ethernet", 6),
    ("tv", "wifi", 7),
    ("camera", "wifi", 9),
    ("smart-speaker", "wifi", 8),
    ("thermostat", "wifi", 4),
    ("printer", "wifi", 3),
    ("sprinkler-controller", "wifi", 1),
    ("light", "zigbee", 16),
    ("smart-plug", "zigbee", 9),
    ("sensor", "zigbee", 10),
    ("smart-lock", "zigbee", 3),
]
HOME_KINDS = [d[0] for d in HOME_DEVICES]
HOME_RADIO = {d[0]: d[1] for d in HOME_DEVICES}
HOME_WEIGHTS = [d[2] for d in HOME_DEVICES]

# Kinds that also pair over Bluetooth LE (with phones, and with each other).
BLE_KINDS = {"phone", "smart-lock", "smart-speaker", "thermostat", "light"}

HOMES_PER_ISP_ROUTER = 400


def ipv4(value):
    """Dotted quad of a 32-bit integer."""
    return "%d.%d.%d.%d" % ((value >> 24) & 255, (value >> 16) & 255, (value >> 8) & 255, value & 255)


def date(rng, first_year, last_year):
    return "%04d-%02d-%02dT00:00:00Z" % (rng.randint(first_year, last_year), rng.randint(1, 12), rng.randint(1, 28))


class Topology:
    """Collects zones, conduits, nodes and links, and the spare endpoints
    from which extra (mesh, ring, redundant) links are drawn."""

    def __init__(self, rng):
        self.rng = rng
        self.zones = []
        self.conduits = []
        self.nodes = []
        self.links = []
        self.link_pairs = set()
        self.mesh_groups = []  # lists of (node id, interface, medium, encryption)

    def zone(self, zid, kind, **fields):
        zone = {"id": zid, "kind": kind}
        zone.update(fields)
        self.zones.append(zone)
        return zid

    def conduit(self, cid, src, dst, services=None, bidirectional=False):
        conduit = {"id": cid, "from-zone": src, "to-zone": dst}
        if services:
            conduit["service"] = services
        if bidirectional:
            conduit["bidirectional"] = True
        self.conduits.append(conduit)

    def node(self, nid, kind, zone=None, **fields):
        node = {"id": nid, "kind": kind}
        if zone:
            node["zone"] = zone
        node.update(fields)
        self.nodes.append(node)
        return node

    def link(self, a, a_if, b, b_if, medium, encryption=None, latency=None):
        pair = (a, b) if a < b else (b, a)
        if pair in self.link_pairs or a == b:
            return False
        self.link_pairs.add(pair)
        link = {"id": "l%d" % len(self.links), "a": {"node": a}, "b": {"node": b}, "medium": medium}
        if a_if:
            link["a"]["interface"] = a_if
        if b_if:
            link["b"]["interface"] = b_if
        if encryption:
            link["encryption"] = encryption
        if latency is not None:
            link["latency-ms"] = "%.3f" % latency
        self.links.append(link)
        return True

    def document(self, name):
        return {
            "iotnet-topology:topology": {
                "name": name,
                "zone": self.zones,
                "conduit": self.conduits,
                "node": self.nodes,
                "link": self.links,
            }
        }


def interface(name, address=None, prefix=None, description=None):
    iface = {"name": name}
    if address is not None:
        iface["ipv4-address"] = ipv4(address)
        iface["prefix-length"] = prefix
    if description:
        iface["description"] = description
    return iface


def service(name, protocol, port, auth=None, transport=None, suites=None, management=False,
            traversal=None):
    svc = {"name": name, "protocol": protocol}
    if port:
        svc["port"] = port
    if auth:
        svc["authentication"] = auth
    if transport:
        svc["transport"] = transport
    if suites:
        svc["cipher-suite"] = suites
    if management:
        svc["management"] = True
    if traversal:
        svc["nat-traversal"] = traversal
    return svc


def rule(name, action, src=None, dst=None, protocol=None, ports=None, initiated=None):
    r = {"name": name}
    if src:
        r["from"] = src
    if dst:
        r["to"] = dst
    if protocol:
        r["protocol"] = protocol
    if ports:
        r["lower-port"] = ports[0]
        if len(ports) > 1:
            r["upper-port"] = ports[1]
    if initiated:
        r["initiated-by"] = initiated
    r["action"] = action
    return r


EMPTY = [None]  # how RFC 7951 writes a leaf of type empty


def lifecycle(rng):
    lc = {}
    if rng.random() < 0.7:
        lc["certificate-not-after"] = date(rng, 2025, 2040)
    if rng.random() < 0.4:
        lc["signed-artifact-lifetime"] = rng.choice(["P5Y", "P10Y", "P15Y", "P18M"])
    if rng.random() < 0.3:
        lc["end-of-support"] = date(rng, 2026, 2035)
    lc["update-mechanism"] = rng.choice(["none", "manual", "automatic", "automatic", "suit"])
    if rng.random() < 0.1:
        lc["owner"] = "previous occupant"
    if rng.random() < 0.5:
        lc["ownership-statement"] = rng.random() < 0.3
    lc["reset-method"] = rng.choice(["button", "app", "vendor-cloud", "none"])
    lc["vendor-cloud-dependency"] = rng.random() < 0.7
    if rng.random() < 0.3:
        lc["attestation"] = rng.choice(["none", "rats", "vendor"])
    return lc


class Generator:
    def __init__(self, nodes, links, seed):
        self.target_nodes = nodes
        self.target_links = links
        self.rng = random.Random(seed)
        self.topo = Topology(self.rng)
        self.homes = 0
        self.plants = 0
        self.buildings = 0
        self.isp_router = None
        self.isp_count = 0

    # -- shared core -----------------------------------------------------

    def core(self):
        t = self.topo
        t.zone("internet", "internet-zone", description="everything beyond the model")
        t.zone("cloud", "cloud-zone", description="vendor and infrastructure services")
        t.zone("isp", "provider-zone", description="the access provider's core")
        t.node("internet", "internet", "internet")
        address = 0xC6336400  # 198.51.100.0
        for vendor in VENDORS:
            nid = "cloud-%s" % vendor.lower()
            address += 1
            t.node(nid, "vendor-cloud", "cloud", vendor=vendor,
                   interface=[interface("eth0", address, 24)],
                   service=[service("api", "tcp", 443, "certificate", "tls1.3", TLS13_SUITES[:2])])
            t.link(nid, "eth0", "internet", None, "internet", latency=12.0)
        for name, kind in CLOUD_SERVICES:
            nid = "cloud-%s" % name
            address += 1
            port, proto = {"dns-server": (53, "udp"), "time-server": (123, "udp")}.get(kind, (443, "tcp"))
            t.node(nid, kind, "cloud", interface=[interface("eth0", address, 24)],
                   service=[service(name, proto, port, "none" if proto == "udp" else "certificate",
                                    "none" if proto == "udp" else "tls1.3")])
            t.link(nid, "eth0", "internet", None, "internet", latency=8.0)

    def isp_router_for_home(self):
        if self.homes % HOMES_PER_ISP_ROUTER == 0:
            t = self.topo
            self.isp_count += 1
            nid = "isp-cgnat-%03d" % self.isp_count
            t.node(nid, "isp-router", "isp", vendor="Globex", model="CG-9000", firmware="17.4.2",
                   implementation="carrier-nat",
                   interface=[interface("core0", 0xCB007100 + self.isp_count, 24, "to the Internet"),
                              interface("access0", 0x64400001, 10, "subscriber side")],
                   nat44={"inside-interface": ["access0"], "outside-interface": "core0",
                          "mapping": "endpoint-independent",
                          "filtering": "endpoint-independent", "cgnat": True})
            t.link(nid, "core0", "internet", None, "fibre", "none", 2.0)
            self.isp_router = nid
        return self.isp_router

    # -- homes -------------------------------------------------------------

    def home(self, size):
        """A home of `size` nodes (>= 2): the router and size - 1 devices."""
        rng, t = self.rng, self.topo
        isp = self.isp_router_for_home()
        self.homes += 1
        h = "h%06d" % self.homes
        lan = t.zone(h + "-lan", "home-lan")
        split_iot = rng.random() < 0.6
        iot = t.zone(h + "-iot", "iot-lan") if split_iot else lan
        if split_iot:
            t.conduit(h + "-lan-iot", lan, iot, ["tcp/443", "tcp/8008-8009", "udp/5353"], True)
        kinds = rng.choices(HOME_KINDS, HOME_WEIGHTS, k=size - 1)
        zigbee = [k for k in kinds if HOME_RADIO[k] == "zigbee"]
        if zigbee:
            # a Zigbee network needs its coordinator; a lone device is a phone
            kinds[kinds.index(zigbee[0])] = "hub" if len(kinds) > 1 else "phone"

        gw = h + "-gw"
        wan = 0x64400000 + (self.homes % (1 << 22)) + 2
        ifaces = [interface("wan0", wan, 10), interface("lan0", 0xC0A80101, 24)]
        if split_iot:
            ifaces.append(interface("iot0", 0xC0A80201, 24))
        vendor = rng.choice(VENDORS)
        router = t.node(gw, "home-router", lan, vendor=vendor, model="HR-%d" % rng.randint(100, 999),
                        firmware="%d.%d.%d" % (rng.randint(1, 9), rng.randint(0, 20), rng.randint(0, 99)),
                        implementation=rng.choice(ROUTER_IMPLS), interface=ifaces,
                        service=[service("web-ui", "tcp", rng.choice([80, 443]),
                                         rng.choice(["default-password", "password", "password"]),
                                         rng.choice(["none", "tls1.2", "tls1.3"]), management=True),
                                 service("dns", "udp", 53, "none", "none")])
        rules = [rule("lan-out", "accept", {"zone": lan}, {"internet": EMPTY}, initiated="from")]
        if split_iot:
            rules.append(rule("iot-out", "accept", {"zone": iot}, {"internet": EMPTY}, initiated="from"))
            rules.append(rule("lan-to-iot", "accept", {"zone": lan}, {"zone": iot}, initiated="from"))
            rules.append(rule("iot-to-lan", "drop", {"zone": iot}, {"zone": lan}))
        rules.append(rule("no-remote-admin", "reject", {"internet": EMPTY}, {"node": gw}, "tcp", [1, 1024]))
        router["policy"] = {"default-action": "drop", "rule": rules}
        nat = {"inside-interface": ["lan0", "iot0"] if split_iot else ["lan0"],
               "outside-interface": "wan0",
               "mapping": "endpoint-independent",
               "filtering": rng.choice(["endpoint-independent", "address-dependent",
                                        "address-and-port-dependent", "address-and-port-dependent"]),
               "upnp": rng.random() < 0.7}
        router["nat44"] = nat
        t.link(gw, "wan0", isp, "access0", rng.choice(["dsl", "cable", "fibre"]), "none",
               round(rng.uniform(2, 15), 3))

        hub, mesh, ble, host = None, [], [], {"lan": 10, "iot": 10}
        forwards = []
        for n, kind in enumerate(kinds):
            nid = "%s-%s-%d" % (h, kind, n)
            radio = "zigbee" if kind == "hub" else HOME_RADIO[kind]
            on_iot = kind not in ("phone", "workstation", "printer")
            zone = iot if on_iot else lan
            node = t.node(nid, kind, zone, vendor=rng.choice(VENDORS))
            if kind == "hub":
                hub = nid
                side = "iot" if split_iot and on_iot else "lan"
                host[side] += 1
                node["interface"] = [interface("eth0", (0xC0A80200 if side == "iot" else 0xC0A80100) + host[side], 24),
                                     interface("zb0")]
                node["service"] = [service("api", "tcp", 443, "certificate", "tls1.2", TLS12_SUITES[:1], True)]
                node["lifecycle"] = lifecycle(rng)
                t.link(nid, "eth0", gw, "iot0" if side == "iot" else "lan0", "ethernet")
                mesh.append((nid, "zb0"))
                continue
            if radio == "zigbee":
                node["interface"] = [interface("zb0")]
                if kind in BLE_KINDS:
                    node["interface"].append(interface("bt0"))
                    ble.append((nid, "bt0", "ble", "link-layer"))
                if rng.random() < 0.5:
                    node["lifecycle"] = lifecycle(rng)
                mesh.append((nid, "zb0"))
                continue
            side = "iot" if split_iot and on_iot else "lan"
            host[side] += 1
            name = "eth0" if radio == "ethernet" else "wlan0"
            node["interface"] = [interface(name, (0xC0A80200 if side == "iot" else 0xC0A80100) + host[side], 24)]
            if kind in BLE_KINDS:
                node["interface"].append(interface("bt0"))
                ble.append((nid, "bt0", "ble", "link-layer"))
            self.home_services(node, kind, forwards)
            if on_iot:
                node["lifecycle"] = lifecycle(rng)
                if rng.random() < 0.25:
                    node["mud-url"] = "https://mud.%s.example/%s.json" % (node["vendor"].lower(), kind)
            gw_if = "iot0" if side == "iot" else "lan0"
            if radio == "ethernet":
                t.link(nid, name, gw, gw_if, "ethernet", "none")
            else:
                t.link(nid, name, gw, gw_if, "wifi", rng.choice(["wpa2", "wpa2", "wpa3"]),
                       round(rng.uniform(1, 5), 3))
        if hub is None:
            mesh = []
        for nid, ifname in mesh:
            if nid != hub:
                t.link(nid, ifname, hub, "zb0", "zigbee", "link-layer")
        if len(mesh) > 2:
            t.mesh_groups.append([(nid, ifname, "zigbee", "link-layer") for nid, ifname in mesh])
        if len(ble) > 2:
            t.mesh_groups.append(ble)
        if forwards and rng.random() < 0.3:
            target, port = rng.choice(forwards)
            nat["port-forward"] = [{"name": "fwd-%d" % port, "protocol": "tcp",
                                    "external-port": 8000 + port % 1000, "to-node": target,
                                    "internal-port": port}]

    def home_services(self, node, kind, forwards):
        rng = self.rng
        nid = node["id"]
        if kind == "camera":
            node["service"] = [
                service("rtsp", "tcp", 554, rng.choice(["default-password", "password"]),
                        rng.choice(["none", "tls1.2"]), traversal=rng.choice([None, "upnp"])),
                service("p2p", "udp", 32100, "psk", "dtls1.2", CCM8_SUITES[:1], traversal="hole-punch"),
                service("web-ui", "tcp", 80, "default-password", "none", management=True),
            ]
            forwards.append((nid, 554))
        elif kind == "smart-speaker":
            node["service"] = [service("cast", "tcp", 8009, "certificate", "tls1.2", TLS12_SUITES[:1])]
        elif kind == "tv":
            node["service"] = [service("dial", "tcp", 8008, "none", "none"),
                               service("upnp", "udp", 1900, "none", "none")]
        elif kind == "thermostat":
            node["service"] = [service("coap", "udp", 5684, "psk", "dtls1.2", CCM8_SUITES)]
        elif kind == "printer":
            node["service"] = [service("ipp", "tcp", 631, "none", "none"),
                               service("web-ui", "tcp", 80, "default-password", "none", management=True)]
        elif kind == "workstation" and rng.random() < 0.2:
            node["service"] = [service("ssh", "tcp", 22, "password", "ssh", management=True)]
            forwards.append((nid, 22))
        elif kind == "sprinkler-controller":
            node["service"] = [service("http", "tcp", 80, "none", "none", management=True)]

    # -- plants --------------------------------------------------------------

    PLANT_ZONES = [
        ("ent", "enterprise", "4", 1),
        ("dmz", "industrial-dmz", "3.5", 2),
        ("ops", "operations", "3", 2),
        ("sup", "supervisory", "2", 3),
        ("ctl", "control", "1", 3),
        ("field", "field", "0", 2),
    ]

    def plant(self, size):
        """A plant of about `size` nodes (>= 40)."""
        rng, t = self.rng, self.topo
        self.plants += 1
        p = "p%04d" % self.plants
        net = 0x0A000000 + ((self.plants % 250) << 16)  # 10.<plant>.0.0/16
        zones = {}
        for i, (short, kind, level, sl) in enumerate(self.PLANT_ZONES):
            fields = {"purdue-level": level, "security-level": {"target": sl}}
            if short == "ctl":
                fields["security-level"]["foundational-requirement"] = [{"fr": 7, "target": 4}]
            zones[short] = t.zone("%s-%s" % (p, short), kind, **fields)
        t.conduit(p + "-ent-dmz", zones["ent"], zones["dmz"], ["tcp/443", "tcp/3389"])
        t.conduit(p + "-dmz-ops", zones["dmz"], zones["ops"], ["tcp/1433", "tcp/443"], True)
        t.conduit(p + "-ops-sup", zones["ops"], zones["sup"], ["tcp/4840", "tcp/102"])
        t.conduit(p + "-sup-ctl", zones["sup"], zones["ctl"], ["tcp/502", "tcp/44818", "udp/2222"], True)
        t.conduit(p + "-ctl-field", zones["ctl"], zones["field"])

        def addr(zone_no, host):
            return net + (zone_no << 8) + host

        count = 0
        # one switch per zone, three firewalls of different families
        switches = {}
        for i, (short, _, _, _) in enumerate(self.PLANT_ZONES):
            sid = "%s-sw-%s" % (p, short)
            t.node(sid, "switch", zones[short], vendor=rng.choice(VENDORS), model="SW-24",
                   interface=[interface("ge%d" % k) for k in range(8)] + [interface("mgmt", addr(i, 2), 24)],
                   service=[service("snmp", "udp", 161, "password", "none", management=True)])
            switches[short] = sid
            count += 1
        impls = rng.sample(FIREWALL_IMPLS, 3)
        boundaries = [("edge", None, "ent"), ("it-ot", "ent", "ops"), ("cell", "ops", "sup")]
        firewalls = []
        for (name, outer, inner), impl in zip(boundaries, impls):
            fid = "%s-fw-%s" % (p, name)
            ifaces = [interface("outside", addr(10 + len(firewalls), 1) if outer else
                                0xCB007100 + 100 + self.plants % 100, 24),
                      interface("inside", addr(dict((z[0], k) for k, z in enumerate(self.PLANT_ZONES))[inner], 1), 24)]
            if name == "it-ot":
                ifaces.append(interface("dmz", addr(1, 1), 24))
            node = t.node(fid, "firewall", zones[inner], vendor=rng.choice(VENDORS), implementation=impl,
                          interface=ifaces,
                          service=[service("mgmt", "tcp", 443, "certificate", "tls1.3", TLS13_SUITES[:1], True)])
            node["policy"] = {"default-action": "drop", "rule": self.plant_rules(p, zones, name)}
            if name == "edge":
                node["nat44"] = {"inside-interface": ["inside"], "outside-interface": "outside",
                                 "filtering": "address-and-port-dependent"}
                t.link(fid, "outside", "internet", None, "fibre", "none", 3.0)
            else:
                t.link(fid, "outside", switches[outer], "ge7", "ethernet", "macsec")
            t.link(fid, "inside", switches[inner], "ge6", "ethernet", "none")
            if name == "it-ot":
                t.link(fid, "dmz", switches["dmz"], "ge6", "ethernet", "none")
            firewalls.append(fid)
            count += 1
        # supervisory and control zones: switch ring of the control cells
        t.link(switches["sup"], "ge5", switches["ctl"], "ge5", "fibre", "none", 0.1)
        t.link(switches["ctl"], "ge4", switches["field"], "ge4", "ethernet", "none", 0.1)

        # fixed hosts of the upper zones
        fixed = [("ent", "workstation", 4), ("ent", "server", 2), ("dmz", "historian", 1), ("dmz", "server", 2),
                 ("ops", "scada-server", 2), ("ops", "engineering-workstation", 2), ("ops", "historian", 1),
                 ("sup", "hmi", 3)]
        zone_no = dict((z[0], k) for k, z in enumerate(self.PLANT_ZONES))
        host = dict((z[0], 10) for z in self.PLANT_ZONES)
        for short, kind, n in fixed:
            for k in range(n):
                nid = "%s-%s-%s%d" % (p, short, kind, k)
                host[short] += 1
                svc = {"scada-server": [service("opc-ua", "tcp", 4840, "certificate", "tls1.2", TLS12_SUITES[:1])],
                       "historian": [service("sql", "tcp", 1433, "password", "tls1.2")],
                       "engineering-workstation": [service("rdp", "tcp", 3389, "password", "tls1.2", None, True)],
                       "hmi": [service("vnc", "tcp", 5900, "default-password", "none", None, True)]}.get(kind)
                node = t.node(nid, kind, zones[short], vendor=rng.choice(VENDORS),
                              interface=[interface("eth0", addr(zone_no[short], host[short]), 24)])
                if svc:
                    node["service"] = svc
                t.link(nid, "eth0", switches[short], "ge%d" % (k % 4), "ethernet", "none", 0.2)
                count += 1

        # control cells until the plant has `size` nodes
        cell = 0
        while size - count >= 12:
            cell += 1
            cell_sw = "%s-c%02d-sw" % (p, cell)
            t.node(cell_sw, "switch", zones["ctl"], vendor=rng.choice(VENDORS), model="SW-8",
                   interface=[interface("ge%d" % k) for k in range(8)])
            t.link(cell_sw, "ge0", switches["ctl"], "ge%d" % (cell % 4), "ethernet", "none", 0.05)
            count += 1
            plc_kind = "virtual-plc" if rng.random() < 0.2 else "plc"
            plcs = []
            for k in range(2):
                host["ctl"] += 1
                nid = "%s-c%02d-plc%d" % (p, cell, k)
                node = t.node(nid, plc_kind, zones["ctl"], vendor=rng.choice(VENDORS),
                              model="CPU-%d" % rng.randint(1500, 1518),
                              firmware="V%d.%d" % (rng.randint(2, 4), rng.randint(0, 9)),
                              interface=[interface("x1", addr(4, host["ctl"] % 250 + 2), 24), interface("x2")],
                              service=[service("modbus", "tcp", 502, "none", "none"),
                                       service("enip", "tcp", 44818, "none", "none"),
                                       service("s7", "tcp", 102, rng.choice(["none", "password"]), "none",
                                               management=True)],
                              lifecycle={"update-mechanism": "manual", "reset-method": "console",
                                         "end-of-support": date(rng, 2027, 2040)})
                # dual-homed: to the cell switch and, redundantly, to the control switch
                t.link(nid, "x1", cell_sw, "ge%d" % (1 + k), "ethernet", "none", 0.05)
                t.link(nid, "x2", switches["ctl"], "ge%d" % (4 + k), "ethernet", "none", 0.05)
                plcs.append(nid)
                count += 1
            host["sup"] += 1
            nid = "%s-c%02d-hmi" % (p, cell)
            t.node(nid, "hmi", zones["sup"], vendor=rng.choice(VENDORS),
                   interface=[interface("eth0", addr(3, host["sup"] % 250 + 2), 24)],
                   service=[service("web", "tcp", 443, "password", "tls1.2", TLS12_SUITES, True)])
            t.link(nid, "eth0", switches["sup"], "ge%d" % (cell % 4), "ethernet", "none", 0.1)
            t.link(nid, "eth0", cell_sw, "ge3", "ethernet", "none", 0.1)
            count += 1
            ring = []
            for k in range(8):
                kind = ["io-module", "io-module", "drive", "drive", "sensor", "io-module", "drive", "rtu"][k]
                nid = "%s-c%02d-%s%d" % (p, cell, kind, k)
                zone = zones["field"] if kind in ("io-module", "sensor") else zones["ctl"]
                node = t.node(nid, kind, zone, vendor=rng.choice(VENDORS), interface=[interface("p1"), interface("p2")])
                if kind in ("drive", "rtu"):
                    node["service"] = [service("modbus", "tcp", 502, "none", "none")]
                t.link(nid, "p1", plcs[k % 2], "x2", "ethernet", "none", 0.01)
                ring.append((nid, "p2", "ethernet", "none"))
                count += 1
            t.mesh_groups.append(ring)
        return count

    def plant_rules(self, p, zones, name):
        if name == "edge":
            return [rule("ent-out", "accept", {"zone": zones["ent"]}, {"internet": EMPTY}, "tcp", [443],
                         "from"),
                    rule("vendor-vpn", "accept", {"internet": EMPTY}, {"node": p + "-fw-edge"}, "udp", [51820]),
                    rule("no-inbound", "drop", {"internet": EMPTY}, {"any": EMPTY})]
        if name == "it-ot":
            return [rule("ent-to-dmz", "accept", {"zone": zones["ent"]}, {"zone": zones["dmz"]}, "tcp", [443]),
                    rule("rdp-jump", "accept", {"zone": zones["ent"]}, {"kind": "server"}, "tcp", [3389]),
                    rule("historian", "accept", {"zone": zones["ops"]}, {"kind": "historian"}, "tcp", [1433]),
                    rule("no-ent-to-ops", "drop", {"zone": zones["ent"]}, {"zone": zones["ops"]}),
                    rule("ops-updates", "accept", {"zone": zones["ops"]}, {"cidr": "10.0.0.0/8"}, "tcp", [80, 443],
                         "from")]
        return [rule("opc-ua", "accept", {"zone": zones["ops"]}, {"zone": zones["sup"]}, "tcp", [4840]),
                rule("eng-s7", "accept", {"kind": "engineering-workstation"}, {"kind": "plc"}, "tcp", [102]),
                rule("modbus", "accept", {"zone": zones["sup"]}, {"zone": zones["ctl"]}, "tcp", [502]),
                rule("enip", "accept", {"zone": zones["sup"]}, {"zone": zones["ctl"]}, "udp", [2222]),
                rule("ping", "accept", {"zone": zones["ops"]}, {"any": EMPTY}, "icmp"),
                rule("log-drop", "reject", {"any": EMPTY}, {"zone": zones["field"]})]

    # -- buildings -------------------------------------------------------------

    def building(self, size):
        """An office building of about `size` nodes (>= 20)."""
        rng, t = self.rng, self.topo
        self.buildings += 1
        b = "b%04d" % self.buildings
        office = t.zone(b + "-office", "enterprise", **{"purdue-level": "4"})
        bms = t.zone(b + "-bms", "building-automation", **{"security-level": {"target": 2}})
        t.conduit(b + "-office-bms", office, bms, ["tcp/443", "udp/47808"])
        fw = b + "-fw"
        node = t.node(fw, "firewall", office, vendor=rng.choice(VENDORS), implementation=rng.choice(FIREWALL_IMPLS),
                      interface=[interface("wan"), interface("office", 0xAC100001, 22),
                                 interface("bms", 0xAC140001, 22)])
        node["policy"] = {"default-action": "drop", "rule": [
            rule("office-out", "accept", {"zone": office}, {"internet": EMPTY}, initiated="from"),
            rule("bms-cloud", "accept", {"zone": bms}, {"node": "cloud-remote-support"}, "tcp", [443], "from"),
            rule("office-bacnet", "accept", {"kind": "bms-server"}, {"zone": bms}, "udp", [47808]),
            rule("no-bms-to-office", "drop", {"zone": bms}, {"zone": office})]}
        t.link(fw, "wan", "internet", None, "fibre", "none", 4.0)
        sw_office, sw_bms = b + "-sw-office", b + "-sw-bms"
        t.node(sw_office, "switch", office, interface=[interface("ge%d" % k) for k in range(4)])
        t.node(sw_bms, "switch", bms, interface=[interface("ge%d" % k) for k in range(4)])
        t.link(fw, "office", sw_office, "ge0", "ethernet", "none")
        t.link(fw, "bms", sw_bms, "ge0", "ethernet", "none")
        count = 3
        host = {"office": 10, "bms": 10}
        server = b + "-bms-server"
        t.node(server, "bms-server", office, vendor=rng.choice(VENDORS),
               interface=[interface("eth0", 0xAC100000 + 5, 22)],
               service=[service("web", "tcp", 443, "password", "tls1.2", TLS12_SUITES[:1], True)])
        t.link(server, "eth0", sw_office, "ge1", "ethernet", "none")
        count += 1
        controllers = []
        while size - count > 0:
            if not controllers or rng.random() < 0.15:
                host["bms"] += 1
                nid = "%s-ddc%d" % (b, len(controllers))
                t.node(nid, "bacnet-controller", bms, vendor=rng.choice(VENDORS),
                       interface=[interface("eth0", 0xAC140000 + host["bms"], 22), interface("mstp")],
                       service=[service("bacnet", "udp", 47808, "none", "none")],
                       lifecycle={"update-mechanism": "manual", "end-of-support": date(rng, 2026, 2034)})
                t.link(nid, "eth0", sw_bms, "ge%d" % (1 + len(controllers) % 3), "ethernet", "none")
                controllers.append(nid)
            else:
                kind = rng.choice(["sensor", "sensor", "light", "access-control", "io-module"])
                nid = "%s-%s%d" % (b, kind, count)
                t.node(nid, kind, bms, vendor=rng.choice(VENDORS), interface=[interface("mstp")])
                t.link(nid, "mstp", controllers[-1], "mstp", "serial", "none")
            count += 1
        return count

    # -- the whole network ------------------------------------------------------

    def generate(self):
        rng = self.rng
        self.core()
        while True:
            left = self.target_nodes - len(self.topo.nodes)
            if left <= 0:
                break
            pick = rng.random()
            if pick < 0.02 and left >= 400:
                self.plant(rng.randint(100, 400))
            elif pick < 0.04 and left >= 120:
                self.building(rng.randint(20, 120))
            else:
                # a home needs its CGNAT router when it is the first behind it
                extra = 1 if self.homes % HOMES_PER_ISP_ROUTER == 0 else 0
                size = max(2, min(rng.randint(5, 18), left - extra))
                if left - extra < 2:
                    self.topo.node("cloud-extra-%d" % left, "server", "cloud")
                    continue
                self.home(size)
        self.add_extra_links()
        return self.topo

    def add_extra_links(self):
        """Mesh links inside Zigbee networks and plant device rings until the
        link count reaches the target."""
        t, rng = self.topo, self.rng
        groups = [g for g in t.mesh_groups if len(g) > 2]
        rounds = 0
        while len(t.links) < self.target_links:
            if not groups or rounds > 50:
                raise SystemExit("gen_topology: cannot reach %d links (have %d)" % (self.target_links, len(t.links)))
            rng.shuffle(groups)
            before = len(t.links)
            for group in groups:
                if len(t.links) >= self.target_links:
                    break
                (a, a_if, medium, enc), (b, b_if, _, _) = rng.sample(group, 2)
                t.link(a, a_if, b, b_if, medium, enc)
            rounds = rounds + 1 if len(t.links) == before else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=100000, help="number of nodes (default 100000)")
    parser.add_argument("--links", type=int, default=None, help="number of links (default 1.5 x nodes)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    parser.add_argument("-o", "--output", required=True, help="JSON file to write")
    args = parser.parse_args(argv)
    if args.nodes < 30:
        parser.error("--nodes must be at least 30")
    links = args.links if args.links is not None else args.nodes * 3 // 2
    topo = Generator(args.nodes, links, args.seed).generate()
    doc = topo.document("generated: %d nodes, %d links (seed %d)" % (len(topo.nodes), len(topo.links), args.seed))
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    tmp = args.output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    os.replace(tmp, args.output)
    print(json.dumps({"file": args.output, "zones": len(topo.zones), "conduits": len(topo.conduits),
                      "nodes": len(topo.nodes), "links": len(topo.links)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
