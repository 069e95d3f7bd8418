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
REPORT = HERE / "BENCHMARKS.md"

BUILD_NODES = 1_000_000
BUILD_LINKS = 1_500_000
LOAD_NODES = 100_000

BUILD_SECONDS_TARGET = 2.0
BYTES_PER_ELEMENT_TARGET = 300.0
LOAD_RATIO_TARGET = 1.5


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


def bench_build(nodes, links, runs):
    print("bench_build: %d nodes, %d links, %d runs ..." % (nodes, links, runs), flush=True)
    results = [run_json([BIN / "bench_build", "--nodes", nodes, "--links", links]) for _ in range(runs)]
    times = sorted(r["build_s"] for r in results)
    median_run = sorted(results, key=lambda r: r["build_s"])[len(results) // 2]
    return {
        "runs": results,
        "best_s": times[0],
        "median_s": statistics.median(times),
        "median_run": median_run,
        "rss_per_element": statistics.median(r["rss_bytes_per_element"] for r in results),
        "net_per_element": statistics.median(r["net_bytes_per_element"] for r in results),
    }


def bench_load(path, repeat):
    print("bench_libyang and bench_load on %s, best of %d each ..." % (path.name, repeat), flush=True)
    peer = run_json([BIN / "bench_libyang", "--repeat", repeat, "--yang-dir", YANG_DIR, path])
    iotnet = run_json([BIN / "bench_load", "--repeat", repeat, "--yang-dir", YANG_DIR, path])
    return {"peer": peer, "iotnet": iotnet, "ratio": iotnet["best_s"] / peer["best_s"]}


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


def mib(n):
    return "%.1f MiB" % (n / 1024 / 1024)


def summary_rows(build, load, args):
    b, i, p = build, load["iotnet"], load["peer"]
    rows = []
    # (what, measured, target, ratio to peer, met, size-independent)
    rows.append(("Build %s nodes + %s links through the C API (median of %d; best %.2f s)"
                 % (f"{args.build_nodes:,}", f"{args.build_links:,}", len(b["runs"]), b["best_s"]),
                 "%.2f s" % b["median_s"], "< %.0f s" % BUILD_SECONDS_TARGET, "—",
                 b["median_s"] < BUILD_SECONDS_TARGET, False))
    rows.append(("Memory per node + link after the build: RSS growth",
                 "%.1f B" % b["rss_per_element"], "< %.0f B" % BYTES_PER_ELEMENT_TARGET, "—",
                 b["rss_per_element"] < BYTES_PER_ELEMENT_TARGET, True))
    rows.append(("Memory per node + link after the build: iotnet_net_memory()",
                 "%.1f B" % b["net_per_element"], "< %.0f B" % BYTES_PER_ELEMENT_TARGET, "—",
                 b["net_per_element"] < BYTES_PER_ELEMENT_TARGET, True))
    rows.append(("Load a %s-node topology file with iotnet_net_load() (best of %d)"
                 % (f"{i['nodes']:,}", len(i["load_s"])),
                 "%.2f s" % i["best_s"], "≤ %.1f × libyang" % LOAD_RATIO_TARGET,
                 "%.2f ×" % load["ratio"], load["ratio"] <= LOAD_RATIO_TARGET, True))
    rows.append(("Peer: libyang alone parses and validates the same file (best of %d)" % len(p["total_s"]),
                 "%.2f s" % p["best_s"], "—", "1.00 ×", None, True))
    elements = i["nodes"] + i["links"]
    rows.append(("Memory of the loaded model per node + link: RSS growth (iotnet_net_memory() %.1f B)"
                 % i["net_bytes_per_element"],
                 "%.1f B" % i["rss_bytes_per_element"], "—",
                 "%.2f × libyang's tree" % (i["rss_model"] / p["rss_tree"]) if p["rss_tree"] > 0 else "—",
                 None, True))
    rows.append(("Peer: memory of libyang's data tree per node + link",
                 "%.1f B" % (p["rss_tree"] / elements), "—", "1.00 ×", None, True))
    return rows


def verdict(ok):
    return "—" if ok is None else ("met" if ok else "**missed**")


def write_report(rows, build, load, topo, topo_path, mach, args):
    b, i, p = build, load["iotnet"], load["peer"]
    m = b["median_run"]
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
        "",
        "| What | Measured | Target | Ratio to peer | Result |",
        "|---|---|---|---|---|",
    ]
    for what, measured, target, ratio, ok, _ in rows:
        lines.append("| %s | %s | %s | %s | %s |" % (what, measured, target, ratio, verdict(ok)))
    lines += [
        "",
        "## Building a model through the C API",
        "",
        "`bench_build` formats every id first, then times iotnet_net_new() and %s zones, %s nodes"
        % (f"{m['zones']:,}", f"{m['nodes']:,}"),
        "(a few kinds: home routers, hubs, phones, TVs, cameras, speakers, thermostats, lights,",
        "sensors, plugs; CGNAT routers), %s services and %s links added one by one."
        % (f"{m['services']:,}", f"{m['links']:,}"),
        "Each run is a fresh process; memory is the resident-set growth over the build",
        "(/proc/self/statm) and iotnet_net_memory(), divided by nodes + links.",
        "",
        "| Run | Total | Zones | Nodes + services | Links | Free | RSS growth | iotnet_net_memory() | Peak RSS |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for k, r in enumerate(b["runs"], 1):
        lines.append("| %d | %.3f s | %.3f s | %.3f s | %.3f s | %.3f s | %s | %s | %s |"
                     % (k, r["build_s"], r["zones_s"], r["nodes_s"], r["links_s"], r["free_s"],
                        mib(r["rss_growth"]), mib(r["net_memory"]), mib(r["peak_rss"])))
    lines += [
        "",
        "## Loading a topology file",
        "",
        "`gen_topology.py --nodes %d --seed %d` wrote %s (%s): %s zones, %s conduits, %s nodes, %s links"
        % (args.load_nodes, args.seed, topo_path.name, mib(topo["bytes"]), f"{topo['zones']:,}",
           f"{topo['conduits']:,}", f"{topo['nodes']:,}", f"{topo['links']:,}"),
        "with interfaces on every link end (but the Internet's), services, lifecycle facts,",
        "firewall policies and NAT44. Both programs read the same file in the same run.",
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
        "The ratio compares best times: iotnet_net_load() does what bench_libyang does (read",
        "the file, create the libyang context, parse and validate) and then builds the model",
        "from the data tree, so the ratio above 1 is the cost of building the model.",
        "",
    ]
    REPORT.write_text("\n".join(lines))


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run the libiotnet benchmarks.")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes (100k build, 10k load), one build run; BENCHMARKS.md untouched")
    parser.add_argument("--build-nodes", type=int, default=BUILD_NODES)
    parser.add_argument("--build-links", type=int, default=None)
    parser.add_argument("--build-runs", type=int, default=3)
    parser.add_argument("--load-nodes", type=int, default=LOAD_NODES)
    parser.add_argument("--load-repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-write", action="store_true", help="do not rewrite BENCHMARKS.md")
    args = parser.parse_args(argv)
    if args.quick:
        args.build_nodes, args.load_nodes, args.build_runs, args.load_repeat = 100_000, 10_000, 1, 2
    if args.build_links is None:
        args.build_links = args.build_nodes * 3 // 2
    reference = (args.build_nodes == BUILD_NODES and args.build_links == BUILD_LINKS
                 and args.load_nodes == LOAD_NODES)

    build_programs()
    topo_path, topo = topology(args.load_nodes, args.seed)
    build = bench_build(args.build_nodes, args.build_links, args.build_runs)
    load = bench_load(topo_path, args.load_repeat)
    rows = summary_rows(build, load, args)
    mach = machine()

    print()
    for what, measured, target, ratio, ok, size_free in rows:
        status = verdict(ok).strip("*")
        if ok is not None and not (reference or size_free):
            status = "not checked at this size"
        print("%-100s %12s  target %-18s ratio %-22s %s" % (what, measured, target, ratio, status))
    print("machine: %d CPUs, %s, %s" % (mach["nproc"], mach["cpu"], mach["date"]))

    if reference and not args.no_write:
        write_report(rows, build, load, topo, topo_path, mach, args)
        print("wrote %s" % REPORT.relative_to(ROOT))
    elif not reference:
        print("reduced sizes: %s not rewritten" % REPORT.relative_to(ROOT))

    missed = [row for row in rows if row[4] is False and (reference or row[5])]
    for what, measured, target, _, _, _ in missed:
        print("MISSED: %s: %s, target %s" % (what, measured, target), file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
