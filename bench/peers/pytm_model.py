#!/usr/bin/env python3
"""The threat-evaluation peer: the same network as a pytm model, and the time
of pytm's own threat evaluation, TM.resolve(), with its own threat library.

    python3 bench/peers/pytm_model.py MODEL.json [--repeat R] [--findings FILE]

MODEL.json is a topology file that iotnet_net_save() wrote (bench_eval
--save): the ISP network of gen_isp.c with lifecycle facts. Every node
becomes one pytm asset, so the two tools see the same assets:

    phones and the Internet              Actor (a person with a phone; everyone outside)
    workstations                         Process (the PC's software)
    servers (NAS, the provider's DNS)    Datastore
    everything else                      Server (devices, routers, switches, access
                                         points, clouds, time/MUD/update servers)

each in the Boundary of its zone, with attributes taken from the node and
its services: protocol and port (of its first service), whether every
service authenticates its clients and how (authenticatesSource,
hasAccessControl, implementsAuthenticationScheme, authenticationScheme),
encryption (isEncrypted, providesConfidentiality, providesIntegrity, the
lowest TLS version as minTLSVersion), isHardened for enforcement points
with a default-deny policy, usesCodeSigning for SUIT updates, OS from the
firmware or implementation, storesPII for NAS boxes, isAdmin for nobody.

Flows (Dataflow), with protocol, dstPort, tlsVersion, isEncrypted and
authenticatesSource/Destination from the service they reach:
  - to every service of a home's node from the home's first phone (or its
    router when it has none); to every other node's services (the
    provider's, the clouds') from the Internet; a home is a home router and
    what hangs off it, directly or through switches and access points;
  - from the Internet to every service a NAT traversal (UPnP, PCP, hole
    punching) or a port forward opens;
  - from every device with a vendor to that vendor's cloud (HTTPS, TLS 1.3).

The time is TM.resolve() alone (every threat of pytm's library tried on
every element), after TM.check() has matched flows and applied defaults
once, as pytm's own workflow does. The threat library is counted: threats,
threats with a condition, and the comparisons in the conditions.

Prints one JSON object.
"""

import argparse
import ast
import json
import resource
import statistics
import sys
import time
from importlib import metadata

from pytm import (TM, Actor, Boundary, Dataflow, Datastore, Process, Server, TLSVersion)

ACTOR_KINDS = {"phone", "internet"}
PROCESS_KINDS = {"workstation"}
DATASTORE_KINDS = {"server"}
ENFORCING_KINDS = {"home-router", "isp-router", "firewall"}
PASS_KINDS = {"switch", "access-point"}

TLS = {"tls1.0": TLSVersion.TLSv10, "tls1.1": TLSVersion.TLSv11, "tls1.2": TLSVersion.TLSv12,
       "tls1.3": TLSVersion.TLSv13, "dtls1.2": TLSVersion.TLSv12, "dtls1.3": TLSVersion.TLSv13,
       "ssh": TLSVersion.TLSv12}


def protocol_name(svc):
    """What pytm's conditions call a protocol: HTTP, HTTPS, or the service's own name."""
    encrypted = svc.get("transport", "none") != "none"
    name = svc["name"].lower()
    if svc.get("port") in (80, 8080, 8000, 8008) or name in ("http", "web-ui", "cast-setup"):
        return "HTTPS" if encrypted else "HTTP"
    if svc.get("port") == 443:
        return "HTTPS"
    return name.upper()


def library_counts(threats):
    """Threats, those with a condition, and the comparisons in the conditions."""
    with_condition, comparisons = 0, 0
    for t in threats:
        text = getattr(t, "condition", "") or ""
        if not text.strip():
            continue
        with_condition += 1
        try:
            tree = ast.parse(text, mode="eval")
        except SyntaxError:
            comparisons += 1
            continue
        leaves = sum(isinstance(n, (ast.Compare, ast.Call)) for n in ast.walk(tree))
        comparisons += max(leaves, 1)
    return len(threats), with_condition, comparisons


def target_types(threat):
    return [t if isinstance(t, str) else t.__name__ for t in (threat.target or [])]


def homes(top):
    """The home of every node in one: its home router (by id), for the router
    and what hangs off it directly or through switches and access points."""
    kinds = {n["id"]: n["kind"] for n in top.get("node", [])}
    neighbours = {}
    for link in top.get("link", []):
        a, b = link["a"]["node"], link["b"]["node"]
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    home_of = {}
    for router, kind in kinds.items():
        if kind != "home-router":
            continue
        home_of[router] = router
        stack = [router]
        while stack:
            here = stack.pop()
            for other in neighbours.get(here, []):
                if other in home_of or kinds.get(other) in ("home-router", "isp-router", "cellular-network",
                                                             "internet"):
                    continue
                home_of[other] = router
                if kinds.get(other) in PASS_KINDS:
                    stack.append(other)
    return home_of


def build(topology):
    """The pytm model of a topology file; returns (tm, counts)."""
    TM.reset()
    tm = TM("ISP network", description="An access provider with CGNAT and its subscribers' homes, "
            "from a libiotnet topology file.")
    top = topology["iotnet-topology:topology"]
    boundaries = {z["id"]: Boundary(z["id"]) for z in top.get("zone", [])}
    nodes = {n["id"]: n for n in top.get("node", [])}
    assets = {}
    home_of = homes(top)
    counts = {"server": 0, "process": 0, "datastore": 0, "actor": 0}
    for node in top.get("node", []):
        services = node.get("service", [])
        kind = node["kind"]
        boundary = boundaries.get(node.get("zone"))
        if kind in ACTOR_KINDS:
            element = Actor(node["id"], inBoundary=boundary, isAdmin=False)
            counts["actor"] += 1
        elif kind in PROCESS_KINDS:
            element = Process(node["id"], inBoundary=boundary)
            counts["process"] += 1
        elif kind in DATASTORE_KINDS:
            element = Datastore(node["id"], inBoundary=boundary)
            element.storesPII = node["id"] in home_of
            element.storesSensitiveData = element.storesPII
            element.hasWriteAccess = True
            counts["datastore"] += 1
        else:
            element = Server(node["id"], inBoundary=boundary)
            counts["server"] += 1
        element.description = "%s %s" % (node.get("vendor", ""), kind)
        if services:
            first = services[0]
            element.protocol = protocol_name(first)
            element.port = first.get("port", -1)
            auths = [s.get("authentication", "none") for s in services]
            transports = [s.get("transport", "none") for s in services]
            c = element.controls
            c.authenticatesSource = all(a in ("certificate", "psk") for a in auths)
            c.hasAccessControl = all(a != "none" for a in auths)
            c.implementsAuthenticationScheme = all(a in ("password", "certificate", "psk") for a in auths)
            c.authenticationScheme = auths[0]
            c.isEncrypted = all(t != "none" for t in transports)
            c.providesConfidentiality = c.isEncrypted
            c.providesIntegrity = c.isEncrypted
            versions = [TLS[t] for t in transports if t in TLS]
            if versions and len(versions) == len(transports):
                element.minTLSVersion = min(versions)
        if kind in ENFORCING_KINDS and node.get("policy", {}).get("default-action") in ("drop", "reject"):
            element.controls.isHardened = True
        if node.get("lifecycle", {}).get("update-mechanism") == "suit":
            element.controls.usesCodeSigning = True
        if hasattr(element, "OS"):
            element.OS = node.get("firmware") or node.get("implementation") or ""
        assets[node["id"]] = element

    # which node is a home's client, its router, and the clouds by vendor
    internet = assets.get("internet")
    home_of = homes(top)
    home_client, home_router, cloud_of = {}, {}, {}
    for node in top.get("node", []):
        home = home_of.get(node["id"])
        if node["kind"] == "vendor-cloud" and node.get("vendor"):
            cloud_of[node["vendor"]] = assets[node["id"]]
        if home is None:
            continue
        if node["kind"] == "home-router":
            home_router[home] = assets[node["id"]]
        elif node["kind"] == "phone" and home not in home_client:
            home_client[home] = assets[node["id"]]
    forwarded = set()
    for node in top.get("node", []):
        for fwd in node.get("nat44", {}).get("port-forward", []):
            forwarded.add(fwd.get("to-node"))

    flows = 0

    def flow(source, sink, svc, why):
        nonlocal flows
        f = Dataflow(source, sink, "%s %s %s" % (why, sink.name, svc["name"]))
        f.protocol = protocol_name(svc)
        f.dstPort = svc.get("port", -1)
        transport = svc.get("transport", "none")
        if transport in TLS:
            f.tlsVersion = TLS[transport]
        f.controls.isEncrypted = transport != "none"
        f.controls.authenticatesSource = svc.get("authentication", "none") in ("certificate", "psk")
        f.controls.authenticatesDestination = transport in TLS
        flows += 1
        return f

    for node in top.get("node", []):
        sink = assets[node["id"]]
        home = home_of.get(node["id"])
        client = (home_client.get(home) or home_router.get(home)) if home else internet
        for svc in node.get("service", []):
            if client is not None and client is not sink:
                flow(client, sink, svc, "use")
            exposed = svc.get("nat-traversal", "none") != "none" or node["id"] in forwarded
            if home and exposed and internet is not None:
                flow(internet, sink, svc, "exposed")
        cloud = cloud_of.get(node.get("vendor"))
        if home and cloud is not None and node["kind"] not in ("home-router", "switch", "access-point"):
            flow(sink, cloud, {"name": "api", "port": 443, "transport": "tls1.3", "authentication": "certificate"},
                 "cloud")
    counts["boundaries"] = len(boundaries)
    counts["flows"] = flows
    counts["assets"] = counts["server"] + counts["process"] + counts["datastore"] + counts["actor"]
    return tm, counts


def evaluations(threats, elements):
    """(threat, element) pairs whose target type matches: the conditions resolve() evaluates."""
    by_type = {}
    for e in elements:
        by_type[type(e).__name__] = by_type.get(type(e).__name__, 0) + 1
    return sum(by_type.get(name, 0) for t in threats for name in set(target_types(t)))


def main(argv=None):
    parser = argparse.ArgumentParser(description="pytm's resolve() on a libiotnet topology file.")
    parser.add_argument("model", help="topology file (JSON) written by iotnet_net_save()")
    parser.add_argument("--repeat", type=int, default=3, help="resolve() runs (default 3)")
    parser.add_argument("--findings", help="write the findings of the last run (element, threat) as JSON lines")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    with open(args.model) as f:
        topology = json.load(f)
    json_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    tm, counts = build(topology)
    build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    tm.check()
    check_s = time.perf_counter() - t0

    threats = list(TM._threats)
    n_threats, n_conditions, n_comparisons = library_counts(threats)
    elements = [e for e in TM._elements if getattr(e, "inScope", True)]
    pairs = evaluations(threats, elements)
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        tm.resolve()
        times.append(time.perf_counter() - t0)
    findings = tm.findings
    if args.findings:
        with open(args.findings, "w") as out:
            for f in findings:
                out.write(json.dumps({"element": f.element.name, "threat": f.threat_id}) + "\n")
    by_target = {}
    for f in findings:
        name = type(f.element).__name__
        by_target[name] = by_target.get(name, 0) + 1
    print(json.dumps({
        "program": "pytm_model", "pytm": metadata.version("pytm"),
        "python": "%d.%d.%d" % sys.version_info[:3],
        "nodes": len(topology["iotnet-topology:topology"].get("node", [])),
        **counts, "elements": len(elements),
        "threats": n_threats, "conditions": n_conditions, "comparisons": n_comparisons,
        "evaluations": pairs,
        "json_s": json_s, "build_s": build_s, "check_s": check_s,
        "runs": args.repeat, "resolve_s": times, "best_s": min(times), "median_s": statistics.median(times),
        "findings": len(findings), "findings_by_target": by_target,
        "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
