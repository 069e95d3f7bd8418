#!/usr/bin/env python3
"""Run the libiotnet benchmarks, check their targets and rewrite BENCHMARKS.md.

    python3 bench/run.py            # what `make bench` runs
    python3 bench/run.py --quick    # small sizes, a smoke test; BENCHMARKS.md untouched

It builds the benchmark programs (make -C bench programs; the library must
be built: `make lib` at the top level), generates the topology file once
(cached in bench/out/), runs

    bench_build    1,000,000 nodes + 1,500,000 links through the C API,
                   in fresh processes (3 by default): time and memory
    bench_libyang  libyang alone parses and validates the topology file
    bench_load     iotnet_net_load() on the same file
    bench_reach    iotnet_reach() from the Internet on the ISP network of
                   gen_isp.c: 100,000 homes alone (time and memory targets), and
                   10,000 homes next to the NetworkX peer (peers/reach_networkx.py)
                   on the same model, saved once as a topology file

prints a summary, writes BENCHMARKS.md (only at the reference sizes) and
exits with status 1 when a target is missed, naming it.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
BIN = OUT / "bin"
YANG_DIR = ROOT / "models" / "yang"
GENERATOR = HERE / "gen_topology.py"
REACH_PEER = HERE / "peers" / "reach_networkx.py"
REPORT = HERE / "BENCHMARKS.md"

BUILD_NODES = 1_000_000
BUILD_LINKS = 1_500_000
LOAD_NODES = 100_000

BUILD_SECONDS_TARGET = 2.0
BYTES_PER_ELEMENT_TARGET = 300.0
LOAD_RATIO_TARGET = 1.5
REACH_HOMES = 100_000
REACH_PEER_HOMES = 10_000
REACH_SECONDS_TARGET = 1.0
REACH_MEMORY_TARGET = 1 << 30
REACH_SPEEDUP_TARGET = 50.0
# summary rows of the reachability benchmark start with these (for --only reach)
REACH_ROW_PREFIXES = ("Everything the Internet can reach", "Peak memory of iotnet_reach",
                      "The same at ", "Peer: NetworkX")


def run(cmd, **kwargs):
    """Run a command; on failure show its output and stop."""
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        sys.exit("run.py: %s failed (exit %d)" % (" ".join(str(c) for c in cmd), result.returncode))
    return result.stdout


def run_json(cmd):
    """Run a benchmark program and parse the JSON object it prints last."""
    lines = [line for line in run(cmd).splitlines() if line.startswith("{")]
    if not lines:
        sys.exit("run.py: %s printed no result" % " ".join(str(c) for c in cmd))
    return json.loads(lines[-1])


def build_programs():
    if not (ROOT / "build" / "libiotnet.a").exists():
        sys.exit("run.py: build/libiotnet.a is missing; run `make lib` at the top level first")
    run(["make", "--no-print-directory", "-C", HERE, "programs"])


def topology(nodes, seed):
    """The generated topology of `nodes` nodes, regenerated when the generator changed."""
    path = OUT / ("topology-%d-s%d.json" % (nodes, seed))
    meta = path.with_suffix(".meta.json")
    fresh = (path.exists() and meta.exists()
             and path.stat().st_mtime >= GENERATOR.stat().st_mtime)
    if not fresh:
        print("generating %s ..." % path.relative_to(ROOT), flush=True)
        stats = run_json([sys.executable, GENERATOR, "--nodes", nodes, "--seed", seed, "-o", path])
        meta.write_text(json.dumps(stats) + "\n")
    stats = json.loads(meta.read_text())
    stats["bytes"] = path.stat().st_size
    return path, stats


def summarise_build(results):
    times = [r["build_s"] for r in results]
    return {
        "runs": results,
        "best_s": min(times),
        "median_s": statistics.median(times),
        "rss_per_element": statistics.median(r["rss_bytes_per_element"] for r in results),
        "net_per_element": statistics.median(r["net_bytes_per_element"] for r in results),
    }


def bench_build(nodes, links, runs):
    """Fresh processes, alternating the build by ids and the bulk build
    (iotnet_net_reserve() first, links added by node index)."""
    print("bench_build: %d nodes, %d links, %d runs each by id and in bulk ..."
          % (nodes, links, runs), flush=True)
    command = [BIN / "bench_build", "--nodes", nodes, "--links", links]
    plain, reserved = [], []
    for _ in range(runs):
        plain.append(run_json(command))
        reserved.append(run_json(command + ["--bulk"]))
    return {"plain": summarise_build(plain), "reserved": summarise_build(reserved),
            "nodes": nodes, "links": links}


def merge_runs(results, samples_key):
    """One result from single-run processes: every time, best, median; memory of the first."""
    merged = dict(results[0])
    times = [r["best_s"] for r in results]
    merged[samples_key] = times
    merged["best_s"] = min(times)
    merged["median_s"] = statistics.median(times)
    merged["peak_rss"] = max(r["peak_rss"] for r in results)
    if "best_parse_s" in merged:
        merged["best_parse_s"] = min(r["best_parse_s"] for r in results)
    return merged


def bench_load(path, rounds):
    """Alternate libyang-alone and iotnet processes, one load each, so that
    drift in the machine's speed touches both alike."""
    print("bench_libyang and bench_load on %s, %d rounds ..." % (path.name, rounds), flush=True)
    programs = {
        "peer": [BIN / "bench_libyang", "--repeat", 1, "--yang-dir", YANG_DIR, path],
        "iotnet": [BIN / "bench_load", "--repeat", 1, "--yang-dir", YANG_DIR, path],
    }
    results = {"peer": [], "iotnet": []}
    for k in range(rounds):
        for name in (("peer", "iotnet") if k % 2 == 0 else ("iotnet", "peer")):
            results[name].append(run_json(programs[name]))
    peer = merge_runs(results["peer"], "total_s")
    iotnet = merge_runs(results["iotnet"], "load_s")
    return {"peer": peer, "iotnet": iotnet, "ratio": iotnet["best_s"] / peer["best_s"],
            "median_ratio": iotnet["median_s"] / peer["median_s"]}


def isp_model(homes, seed):
    """The ISP network of gen_isp.c saved as a topology file, regenerated
    when bench_reach is newer."""
    path = OUT / ("isp-%d-s%d.json" % (homes, seed))
    program = BIN / "bench_reach"
    fresh = path.exists() and path.stat().st_mtime >= program.stat().st_mtime
    if not fresh:
        print("saving the ISP network of %d homes as %s ..." % (homes, path.relative_to(ROOT)), flush=True)
        run_json([program, "--homes", homes, "--seed", seed, "--no-reach", "--save", path])
    return path


def read_rows(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


ROW_FIELDS = ("source", "exposure", "entry_node", "entry_port", "via", "path")


def compare_rows(ours, peer):
    """How iotnet's rows and the peer's differ: (rows of one side with no
    identical row on the other, the fields in which rows of the same
    destination service differ, whether the order is the same)."""
    def key(r):
        return (r["destination"], r["service"], r["protocol"], r["port"])

    theirs = {key(r): r for r in peer}
    differ, fields = 0, set()
    for r in ours:
        other = theirs.pop(key(r), None)
        if other is None:
            differ += 1
            fields.add("row")
            continue
        bad = [f for f in ROW_FIELDS if r[f] != other[f]]
        if bad:
            differ += 1
            fields.update(bad)
    if theirs:
        differ += len(theirs)
        fields.add("row")
    same_order = [key(r) for r in ours] == [key(r) for r in peer]
    return differ, sorted(fields), same_order


def bench_reach(homes, peer_homes, runs, peer_runs, seed):
    """Ours alone at `homes`; ours and the peer at `peer_homes` on the same
    model (ours built by gen_isp.c in the process, the peer reading the saved
    topology file), with their rows compared."""
    print("bench_reach: %d homes, %d runs ..." % (homes, runs), flush=True)
    full = run_json([BIN / "bench_reach", "--homes", homes, "--seed", seed, "--runs", runs])
    model = isp_model(peer_homes, seed)
    rows_ours = OUT / ("reach-rows-%d-iotnet.jsonl" % peer_homes)
    rows_peer = OUT / ("reach-rows-%d-networkx.jsonl" % peer_homes)
    print("bench_reach and the NetworkX peer: %d homes, %d and %d runs ..." % (peer_homes, runs, peer_runs),
          flush=True)
    small = run_json([BIN / "bench_reach", "--homes", peer_homes, "--seed", seed, "--runs", runs,
                      "--rows", rows_ours])
    peer = run_json([sys.executable, REACH_PEER, model, "--repeat", peer_runs,
                     "--rows", rows_peer])
    differ, fields, same_order = compare_rows(read_rows(rows_ours), read_rows(rows_peer))
    result = {"full": full, "small": small, "peer": peer, "model": model, "model_bytes": model.stat().st_size,
            "speedup": peer["best_s"] / small["best_s"] if small["best_s"] > 0 else float("inf"),
            "median_speedup": peer["median_s"] / small["median_s"] if small["median_s"] > 0 else float("inf"),
            "differ": differ, "fields": fields, "same_order": same_order}
    (OUT / "reach-results.json").write_text(json.dumps(dict(result, model=str(model)), indent=1) + "\n")
    return result


def classes_text(exposure):
    return ", ".join("%s %s" % (name, f"{n:,}") for name, n in exposure.items() if n)


def same_text(reach):
    if reach["differ"] == 0:
        return "the same %s rows, in the same order" % f"{reach['small']['rows']:,}" if reach["same_order"] \
            else "the same rows, in another order"
    return "%d of %s rows differ (in %s)" % (reach["differ"], f"{reach['small']['rows']:,}",
                                               ", ".join(reach["fields"]))


def reach_rows(reach):
    full, small, peer = reach["full"], reach["small"], reach["peer"]
    same = same_text(reach)
    return [
        ("Everything the Internet can reach, with exposure class: iotnet_reach() from \"internet\" on the ISP "
         "network of %s homes (%s nodes), every destination and service (best of %d; median %.3f s)"
         % (f"{full['homes']:,}", f"{full['nodes']:,}", len(full["reach_s"]), full["median_s"]),
         "%.3f s" % full["best_s"], "≤ %.0f s" % REACH_SECONDS_TARGET, "—",
         full["best_s"] <= REACH_SECONDS_TARGET, False),
        ("Peak memory of iotnet_reach() over the process's with the model built, %s homes (the rows "
         "returned hold %s)" % (f"{full['homes']:,}", mib(full["result_bytes"])),
         mib(full["peak_rss_delta"]), "≤ 1 GiB", "—", full["peak_rss_delta"] <= REACH_MEMORY_TARGET, False),
        ("The same at %s homes (%s nodes) next to the peer (best of %d; median %.3f s, %.0f × faster than the "
         "peer's median)"
         % (f"{small['homes']:,}", f"{small['nodes']:,}", len(small["reach_s"]), small["median_s"],
            reach["median_speedup"]),
         "%.3f s" % small["best_s"], "≥ %.0f × faster than NetworkX" % REACH_SPEEDUP_TARGET,
         "%.0f × faster" % reach["speedup"], reach["speedup"] >= REACH_SPEEDUP_TARGET, False),
        ("Peer: NetworkX %s on the same model read from its topology file (best of %d; median %.2f s); %s"
         % (peer["networkx"], len(peer["reach_s"]), peer["median_s"], same),
         "%.2f s" % peer["best_s"], "—", "1 ×", None, False),
    ]


def reach_section(reach, mach, args):
    full, small, peer = reach["full"], reach["small"], reach["peer"]

    def model_text(r):
        return ("%s homes: %s nodes, %s links, %s zones, %s services, %s firewall rules, %s port forwards, "
                "%s devices with MUD profiles (%s ACEs), %s switches and %s access points"
                % (f"{r['homes']:,}", f"{r['nodes']:,}", f"{r['links']:,}", f"{r['zones']:,}",
                   f"{r['services']:,}", f"{r['rules']:,}", f"{r['forwards']:,}", f"{r['mud_devices']:,}",
                   f"{r['aces']:,}", f"{r['switches']:,}", f"{r['access_points']:,}"))

    def times(r):
        return ", ".join("%.3f" % t for t in r["reach_s"])

    return [
        "## Everything the Internet can reach",
        "",
        "Measured at commit %s, %s." % (mach["commit"] or "unknown", mach["date"]),
        "",
        "`bench_reach` builds the ISP network of `gen_isp.c` through the C API (seed %d): the Internet"
        % args.seed,
        "with vendor clouds, one CGNAT (NAT44, endpoint-independent mapping and filtering, PCP, a",
        "policy of 8 rules, port forwards for business lines) and homes behind it, each a home router",
        "with NAT44 (mostly address-and-port-dependent filtering, UPnP in most, PCP in some, port",
        "forwards in some) and a policy of 2 to 13 rules (8.5 on average), a switch or access point",
        "in some, and 8 to 13 devices with 1 to 3 services (UPnP, PCP and hole-punch traversal among",
        "them) and, for a third of the IoT devices, a MUD profile of 4 to 8 ACEs. Then it times",
        "`iotnet_reach()` with `from = \"internet\"` and nothing else set (every destination, every",
        "declared service), %d runs in one process, each result freed before the next. Memory: the"
        % len(full["reach_s"]),
        "peak resident set during the runs (the kernel's peak reset first) over the resident set",
        "with the model built; the rows returned hold rows and paths (count × row size + path nodes).",
        "",
        "The peer, `peers/reach_networkx.py`, implements the same semantics (reach.h) in Python with",
        "NetworkX: the model read from the topology file `iotnet_net_save()` wrote (MUD profiles",
        "included) into a `networkx.MultiGraph`, a depth-first walk of the simple paths from",
        "the Internet over transit nodes, and for each destination and service each NAT, policy and",
        "MUD decision on the path. Its time is the walk and the decisions, not reading the file",
        "(%.1f s) or building the graph (%.1f s). The two were run on the same model, %s homes,"
        % (peer["json_s"], peer["graph_s"], f"{small['homes']:,}"),
        "and their rows compared: %s." % same_text(reach),
        "The %s-home figures are iotnet's alone: the peer, linear in the homes, would need about"
        % f"{full['homes']:,}",
        "%.0f times the time and memory it needed at %s homes."
        % (full["homes"] / small["homes"], f"{small['homes']:,}"),
        "",
        "| Scale | Program | Runs | Best | Median | Rows by exposure class | Peak memory |",
        "|---|---|---|---|---|---|---|",
        "| %s homes | bench_reach (iotnet) | %s | %.3f s | %.3f s | %s | +%s over the %s held with the model |"
        % (f"{full['homes']:,}", times(full), full["best_s"], full["median_s"], classes_text(full["exposure"]),
           mib(full["peak_rss_delta"]), mib(full["rss_before"])),
        "| %s homes | bench_reach (iotnet) | %s | %.3f s | %.3f s | %s | +%s over the %s held with the model |"
        % (f"{small['homes']:,}", times(small), small["best_s"], small["median_s"],
           classes_text(small["exposure"]), mib(small["peak_rss_delta"]), mib(small["rss_before"])),
        "| %s homes | reach_networkx (peer) | %s | %.3f s | %.3f s | %s | %s (process) |"
        % (f"{small['homes']:,}", times(peer), peer["best_s"], peer["median_s"],
           classes_text(peer["exposure"]), mib(peer["peak_rss"])),
        "",
        "Models: %s, built in %.2f s (%s held); %s, built in %.2f s, saved for the peer as %s (%s)."
        % (model_text(full), full["build_s"], mib(full["rss_model"]), model_text(small), small["build_s"],
           reach["model"].name, mib(reach["model_bytes"])),
        "",
    ]


def splice_report(rows, section, mach):
    """Put the reachability rows and section into an existing BENCHMARKS.md, keeping the rest."""
    text = REPORT.read_text()
    head, sep, rest = text.partition("\n## ")
    lines = head.split("\n")
    kept = [l for l in lines
            if not any(l.startswith("| " + p) for p in REACH_ROW_PREFIXES)]
    last = max(i for i, l in enumerate(kept) if l.startswith("|"))
    new = ["| %s | %s | %s | %s | %s |" % (what, measured, target, ratio, verdict(ok))
           for what, measured, target, ratio, ok, _ in rows]
    kept[last + 1:last + 1] = new
    sections = ("## " + rest).split("\n## ") if sep else []
    sections = [x if x.startswith("## ") else "## " + x for x in sections]
    sections = [x for x in sections if not x.startswith("## Everything the Internet can reach")]
    sections.append("\n".join(section))
    REPORT.write_text("\n".join(kept).rstrip("\n") + "\n\n" + "\n".join(x.rstrip("\n") + "\n" for x in sections))


def machine():
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = "%.1f GiB" % (int(line.split()[1]) / 1024 / 1024)
    except OSError:
        pass

    def first_line(cmd):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT).stdout
            return out.splitlines()[0].strip() if out else ""
        except OSError:
            return ""

    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": model,
        "memory": memory,
        "kernel": platform.release(),
        "compiler": first_line([os.environ.get("CC", "cc"), "--version"]),
        "libyang": first_line(["pkg-config", "--modversion", "libyang"]),
        "commit": first_line(["git", "rev-parse", "--short", "HEAD"]),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def memory_latency():
    """ns per random dependent load, by working-set size in KiB."""
    return run_json([BIN / "bench_latency"])["ns_per_load"]


def latency_text(latency):
    return ", ".join("%.0f ns at %s" % (ns, ("%d MiB" % (int(k) // 1024)) if int(k) >= 1024 else "%s KiB" % k)
                     for k, ns in latency.items())


def mib(n):
    return "%.1f MiB" % (n / 1024 / 1024)


def build_rows(build):
    """Rows: (what, measured, target, ratio to peer, met or None, size-independent)."""
    plain, reserved = build["plain"], build["reserved"]
    size = "%s nodes + %s links" % (f"{build['nodes']:,}", f"{build['links']:,}")
    return [
        ("Build %s through the C API as a bulk builder: iotnet_net_reserve(), then one call per "
         "element, links by node index (median of %d; best %.2f s)"
         % (size, len(reserved["runs"]), reserved["best_s"]),
         "%.2f s" % reserved["median_s"], "< %.0f s" % BUILD_SECONDS_TARGET, "—",
         reserved["median_s"] < BUILD_SECONDS_TARGET, False),
        ("The same with every link naming its endpoints by id, no reserve (median of %d; best %.2f s)"
         % (len(plain["runs"]), plain["best_s"]),
         "%.2f s" % plain["median_s"], "—", "—", None, False),
        ("Memory per node + link after the build: RSS growth",
         "%.1f B" % plain["rss_per_element"], "< %.0f B" % BYTES_PER_ELEMENT_TARGET, "—",
         plain["rss_per_element"] < BYTES_PER_ELEMENT_TARGET, True),
        ("Memory per node + link after the build: iotnet_net_memory()",
         "%.1f B" % plain["net_per_element"], "< %.0f B" % BYTES_PER_ELEMENT_TARGET, "—",
         plain["net_per_element"] < BYTES_PER_ELEMENT_TARGET, True),
    ]


def load_rows(load):
    i, p = load["iotnet"], load["peer"]
    elements = i["nodes"] + i["links"]
    return [
        ("Load a %s-node topology file with iotnet_net_load() (best of %d; median %.2f s, %.2f × the peer's)"
         % (f"{i['nodes']:,}", len(i["load_s"]), i["median_s"], load["median_ratio"]),
         "%.2f s" % i["best_s"], "≤ %.1f × libyang" % LOAD_RATIO_TARGET,
         "%.2f ×" % load["ratio"], load["ratio"] <= LOAD_RATIO_TARGET, True),
        ("Peer: libyang alone parses and validates the same file (best of %d; median %.2f s)"
         % (len(p["total_s"]), p["median_s"]),
         "%.2f s" % p["best_s"], "—", "1.00 ×", None, True),
        ("Memory of the loaded model per node + link: RSS growth (iotnet_net_memory() %.1f B)"
         % i["net_bytes_per_element"],
         "%.1f B" % i["rss_bytes_per_element"], "—",
         "%.2f × libyang's tree" % (i["rss_model"] / p["rss_tree"]) if p["rss_tree"] > 0 else "—",
         None, True),
        ("Peer: memory of libyang's data tree per node + link",
         "%.1f B" % (p["rss_tree"] / elements), "—", "1.00 ×", None, True),
    ]


def verdict(ok):
    return "—" if ok is None else ("met" if ok else "**missed**")


def build_section(build):
    m = build["plain"]["runs"][0]
    lines = [
        "## Building a model through the C API",
        "",
        "`bench_build` formats every id first, then times iotnet_net_new() and %s zones, %s nodes"
        % (f"{m['zones']:,}", f"{m['nodes']:,}"),
        "(a few kinds: home routers, hubs, phones, TVs, cameras, speakers, thermostats, lights,",
        "sensors, plugs; CGNAT routers), %s services and %s links added one by one. The"
        % (f"{m['services']:,}", f"{m['links']:,}"),
        "bulk runs call iotnet_net_reserve(nodes, links) first and add links with",
        "iotnet_link_add_between by the indexes iotnet_node_add returned; the by-id runs look",
        "both endpoints of every link up by id (iotnet_link_add). Each run is a fresh process;",
        "memory is the resident-set growth over the build (/proc/self/statm) and",
        "iotnet_net_memory(), divided by nodes + links. CPU times and page faults are the",
        "process's own over the build (getrusage).",
        "",
        "| Run | Total | Zones | Nodes + services | Links | User CPU | System CPU | Page faults "
        "| RSS growth | iotnet_net_memory() | Peak RSS |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for mode in ("plain", "reserved"):
        for k, r in enumerate(build[mode]["runs"], 1):
            lines.append("| %s %d | %.3f s | %.3f s | %.3f s | %.3f s | %.2f s | %.2f s | %s | %s | %s | %s |"
                         % ("by id" if mode == "plain" else "bulk", k, r["build_s"], r["zones_s"],
                            r["nodes_s"], r["links_s"], r["user_s"], r["sys_s"], f"{r['minor_faults']:,}",
                            mib(r["rss_growth"]), mib(r["net_memory"]), mib(r["peak_rss"])))
    return lines + [""]


def load_section(load, topo, topo_path, args):
    i, p = load["iotnet"], load["peer"]
    return [
        "## Loading a topology file",
        "",
        "`gen_topology.py --nodes %d --seed %d` wrote %s (%s): %s zones, %s conduits, %s nodes, %s links"
        % (args.load_nodes, args.seed, topo_path.name, mib(topo["bytes"]), f"{topo['zones']:,}",
           f"{topo['conduits']:,}", f"{topo['nodes']:,}", f"{topo['links']:,}"),
        "with interfaces on every link end (but the Internet's), services, lifecycle facts,",
        "firewall policies and NAT44. The two programs ran in alternation on the same file,",
        "one load per process, %d times each." % len(i["load_s"]),
        "",
        "| Program | Runs | Best | Median | libyang parse + validate (best) | Memory held | Peak RSS |",
        "|---|---|---|---|---|---|---|",
        "| bench_libyang (peer) | %s | %.3f s | %.3f s | %.3f s | %s (data tree) | %s |"
        % (", ".join("%.3f" % t for t in p["total_s"]), p["best_s"], p["median_s"], p["best_parse_s"],
           mib(p["rss_tree"]), mib(p["peak_rss"])),
        "| bench_load (iotnet) | %s | %.3f s | %.3f s | — | %s (model; iotnet_net_memory() %s) | %s |"
        % (", ".join("%.3f" % t for t in i["load_s"]), i["best_s"], i["median_s"], mib(i["rss_model"]),
           mib(i["net_memory"]), mib(i["peak_rss"])),
        "",
        "iotnet_net_load() does what bench_libyang does (read the file, create the libyang",
        "context, parse and validate) and then builds the model from the data tree and frees",
        "the tree; the ratio compares best times.",
        "",
    ]


def write_report(rows, build, load, topo, topo_path, mach, args, reach=None):
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (bench/run.py), which measures everything below in one run",
        "on one machine; do not edit by hand. How to run them and what they measure:",
        "[README.md](README.md).",
        "",
        "Machine: %d CPUs (nproc), %s, %s RAM, Linux %s, %s, libyang %s. Commit %s, %s."
        % (mach["nproc"], mach["cpu"], mach["memory"], mach["kernel"], mach["compiler"], mach["libyang"],
           mach["commit"] or "unknown", mach["date"]),
        "Latency of one random memory access (bench_latency, by working-set size): %s."
        % latency_text(mach["latency"]),
        "",
        "| What | Measured | Target | Ratio to peer | Result |",
        "|---|---|---|---|---|",
    ]
    for what, measured, target, ratio, ok, _ in rows:
        lines.append("| %s | %s | %s | %s | %s |" % (what, measured, target, ratio, verdict(ok)))
    lines.append("")
    lines += build_section(build)
    lines += load_section(load, topo, topo_path, args)
    if reach:
        lines += reach_section(reach, mach, args)
    REPORT.write_text("\n".join(lines))


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run the libiotnet benchmarks.")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes (100k build, 10k load), one run each; BENCHMARKS.md untouched")
    parser.add_argument("--build-nodes", type=int, default=BUILD_NODES)
    parser.add_argument("--build-links", type=int, default=None)
    parser.add_argument("--build-runs", type=int, default=3, help="runs of each build variant (default 3)")
    parser.add_argument("--load-nodes", type=int, default=LOAD_NODES)
    parser.add_argument("--load-rounds", type=int, default=5,
                        help="alternating libyang/iotnet rounds (default 5)")
    parser.add_argument("--reach-homes", type=int, default=REACH_HOMES)
    parser.add_argument("--reach-peer-homes", type=int, default=REACH_PEER_HOMES,
                        help="homes of the model both iotnet and the NetworkX peer run on (default %d)"
                        % REACH_PEER_HOMES)
    parser.add_argument("--reach-runs", type=int, default=5, help="iotnet_reach runs (default 5)")
    parser.add_argument("--peer-runs", type=int, default=3, help="NetworkX peer runs (default 3)")
    parser.add_argument("--only", choices=["build", "load", "reach"],
                        help="run one benchmark; BENCHMARKS.md untouched, but for reach at the reference "
                        "sizes, whose rows and section it replaces")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-write", action="store_true", help="do not rewrite BENCHMARKS.md")
    args = parser.parse_args(argv)
    if args.quick:
        args.build_nodes, args.load_nodes, args.build_runs, args.load_rounds = 100_000, 10_000, 1, 2
        args.reach_homes, args.reach_peer_homes, args.reach_runs, args.peer_runs = 10_000, 500, 2, 1
    if args.build_links is None:
        args.build_links = args.build_nodes * 3 // 2
    reference = (args.build_nodes == BUILD_NODES and args.build_links == BUILD_LINKS
                 and args.load_nodes == LOAD_NODES and args.reach_homes == REACH_HOMES
                 and args.reach_peer_homes == REACH_PEER_HOMES)

    build_programs()
    rows, build, load, topo, topo_path, reach = [], None, None, None, None, None
    if args.only in (None, "build"):
        build = bench_build(args.build_nodes, args.build_links, args.build_runs)
        rows += build_rows(build)
    if args.only in (None, "load"):
        topo_path, topo = topology(args.load_nodes, args.seed)
        load = bench_load(topo_path, args.load_rounds)
        rows += load_rows(load)
    if args.only in (None, "reach"):
        reach = bench_reach(args.reach_homes, args.reach_peer_homes, args.reach_runs, args.peer_runs, args.seed)
        rows += reach_rows(reach)
    mach = machine()
    mach["latency"] = memory_latency()

    print()
    for what, measured, target, ratio, ok, size_free in rows:
        status = verdict(ok).strip("*")
        if ok is not None and not (reference or size_free):
            status = "not checked at this size"
        print("%-110s %10s  target %-17s ratio %-21s %s" % (what, measured, target, ratio, status))
    print("machine: %d CPUs, %s, %s" % (mach["nproc"], mach["cpu"], mach["date"]))
    print("random-access latency: %s" % latency_text(mach["latency"]))

    if reference and not args.only and not args.no_write:
        write_report(rows, build, load, topo, topo_path, mach, args, reach)
        print("wrote %s" % REPORT.relative_to(ROOT))
    elif reference and args.only == "reach" and not args.no_write and REPORT.exists():
        splice_report(reach_rows(reach), reach_section(reach, mach, args), mach)
        print("wrote the reachability rows and section of %s" % REPORT.relative_to(ROOT))
    else:
        print("%s not rewritten (reduced sizes, --only or --no-write)" % REPORT.relative_to(ROOT))

    missed = [row for row in rows if row[4] is False and (reference or row[5])]
    for what, measured, target, _, _, _ in missed:
        print("MISSED: %s: %s, target %s" % (what, measured, target), file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
