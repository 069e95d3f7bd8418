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
    bench_eval     iotnet_catalog_default() and iotnet_analyze() on the same ISP
                   network with lifecycle facts, 1,000,000 nodes; and at 10,000
                   nodes with a catalog of as many threats as pytm's library
                   (gen_catalog.py), next to pytm's TM.resolve() on the same
                   assets (peers/pytm_model.py)

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
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
BIN = OUT / "bin"
YANG_DIR = ROOT / "models" / "yang"
GENERATOR = HERE / "gen_topology.py"
REACH_PEER = HERE / "peers" / "reach_networkx.py"
PYTM_PEER = HERE / "peers" / "pytm_model.py"
CATALOG_GEN = HERE / "gen_catalog.py"
REPORT = HERE / "BENCHMARKS.md"
# the peers' packages (requirements.txt) are in the project's venv
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PEER_PYTHON = VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable)

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
MESH_GRID = 30            # a 30 x 30 grid of routers
MESH_FULL = 64            # a full mesh of 64 routers
MESH_PEER_GRID = 5        # the grid the peer walks (its simple paths grow exponentially)
# summary rows of the reachability benchmark start with these (for --only reach)
REACH_ROW_PREFIXES = ("Everything the Internet can reach", "Peak memory of iotnet_reach",
                      "The same at ", "Peer: NetworkX", "Reach on a ", "Mesh peer: NetworkX")
REACH_TITLE = "## Everything the Internet can reach"
EVAL_NODES = 1_000_000
EVAL_PEER_NODES = 10_000
EVAL_SECONDS_TARGET = 2.0
EVAL_SPEEDUP_TARGET = 100.0
EVAL_ROW_PREFIXES = ("A threat catalog against", "Peak memory of iotnet_analyze",
                     "The same evaluation at ", "Peer: pytm")
EVAL_TITLE = "## Evaluating a threat catalog"


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


def run_json_limited(cmd, limit):
    """As run_json, but give up after `limit` seconds: (result or None, seconds)."""
    start = datetime.datetime.now()
    try:
        result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return None, (datetime.datetime.now() - start).total_seconds()
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        sys.exit("run.py: %s failed (exit %d)" % (" ".join(str(c) for c in cmd), result.returncode))
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]), (datetime.datetime.now() - start).total_seconds()


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


def mesh_rows_of(path):
    with open(path) as f:
        return {(r["destination"], r["service"], r["port"], r["exposure"]) for r in map(json.loads, f)}


def bench_mesh(grid, full, peer_grid, runs):
    """Ours on a grid and a full mesh of routers with policies; ours and the
    peer (one run: it walks every simple path) on a small grid, rows compared."""
    print("bench_mesh: a %d x %d grid and a full mesh of %d routers, %d runs ..." % (grid, grid, full, runs),
          flush=True)
    on_grid = run_json([BIN / "bench_mesh", "--grid", grid, "--runs", runs])
    on_full = run_json([BIN / "bench_mesh", "--full", full, "--runs", runs])
    model = OUT / ("mesh-grid-%d.json" % peer_grid)
    rows_ours, rows_peer = OUT / "mesh-rows-iotnet.jsonl", OUT / "mesh-rows-networkx.jsonl"
    print("bench_mesh and the NetworkX peer: a %d x %d grid ..." % (peer_grid, peer_grid), flush=True)
    small = run_json([BIN / "bench_mesh", "--grid", peer_grid, "--runs", runs, "--save", model, "--rows", rows_ours])
    peer = run_json([sys.executable, REACH_PEER, model, "--rows", rows_peer])
    ours_rows, peer_rows = mesh_rows_of(rows_ours), mesh_rows_of(rows_peer)
    best = small["internet_best_s"]
    return {"grid": on_grid, "full": on_full, "small": small, "peer": peer,
            "speedup": peer["best_s"] / best if best > 0 else float("inf"),
            "same": ours_rows == peer_rows, "differ": len(ours_rows ^ peer_rows)}


def mesh_rows(mesh):
    grid, full, small, peer = mesh["grid"], mesh["full"], mesh["small"], mesh["peer"]

    def one(r, what):
        return ("Reach on a %s of routers, each with a policy (%s routers, %s links): iotnet_reach() from the "
                "Internet and from the middle router, every destination and service (the slower source's "
                "best of %d; medians %.3f s and %.3f s)"
                % (what, f"{r['routers']:,}", f"{r['links']:,}", r["runs"], r["internet_median_s"],
                   r["middle_median_s"]),
                "%.3f s" % r["best_s"], "≤ %.0f s" % REACH_SECONDS_TARGET, "—", r["best_s"] <= REACH_SECONDS_TARGET,
                False)

    same = "the same %d rows" % small["rows"] if mesh["same"] else "%d rows differ" % mesh["differ"]
    return [
        one(grid, "%d × %d grid" % (grid["size"], grid["size"])),
        one(full, "full mesh"),
        ("Reach on a %d × %d grid next to the peer: iotnet_reach() from the Internet (best of %d)"
         % (small["size"], small["size"], small["runs"]),
         "%.6f s" % small["internet_best_s"], "≥ %.0f × faster than NetworkX" % REACH_SPEEDUP_TARGET,
         "%.0f × faster" % mesh["speedup"], mesh["speedup"] >= REACH_SPEEDUP_TARGET and mesh["same"], True),
        ("Mesh peer: NetworkX %s on the same grid read from its topology file, every simple path (one run); %s"
         % (peer["networkx"], same), "%.2f s" % peer["best_s"], "—", "1 ×", None, True),
    ]


def mesh_section(mesh):
    grid, full, small, peer = mesh["grid"], mesh["full"], mesh["small"], mesh["peer"]
    return [
        "### Meshes of routers",
        "",
        "`bench_mesh` builds a grid or a full mesh of routers through the C API, each in one of four",
        "zones with a policy (drop by default; accept web and DNS, reject telnet, accept SSH from its",
        "own zone), the Internet linked to the first router and a camera (web, telnet) to the last.",
        "It times `iotnet_reach()` from the Internet and from the router in the middle, every",
        "destination and service. A model without NAT44 is explored by a fixpoint per destination",
        "(reach.h), so the cycles cost nothing extra. The peer walks every simple path from the",
        "Internet, which on a grid grows exponentially: it is measured on a %d × %d grid only, where"
        % (small["size"], small["size"]),
        "both give %s." % ("the same rows" if mesh["same"] else "different rows (%d)" % mesh["differ"]),
        "",
        "| Mesh | Routers | Links | From the Internet, best / median | From the middle, best / median | Rows |",
        "|---|---|---|---|---|---|",
    ] + ["| %s | %s | %s | %.4f s / %.4f s | %.4f s / %.4f s | %s |"
         % (name, f"{r['routers']:,}", f"{r['links']:,}", r["internet_best_s"], r["internet_median_s"],
            r["middle_best_s"], r["middle_median_s"], f"{r['rows']:,}")
         for name, r in (("%d × %d grid" % (grid["size"], grid["size"]), grid), ("full mesh", full),
                         ("%d × %d grid" % (small["size"], small["size"]), small))] + [
        "| %d × %d grid, peer | %s | %s | %.2f s | — | %s |"
        % (small["size"], small["size"], f"{small['routers']:,}", f"{small['links']:,}", peer["best_s"],
           f"{peer['rows']:,}"),
        "",
    ]


def eval_model(nodes, seed):
    """The ISP network of bench_eval (lifecycle facts, risk decisions) saved
    as a topology file, regenerated when bench_eval is newer."""
    path = OUT / ("eval-%d-s%d.json" % (nodes, seed))
    program = BIN / "bench_eval"
    fresh = path.exists() and path.stat().st_mtime >= program.stat().st_mtime
    if not fresh:
        print("saving the ISP network of %d nodes as %s ..." % (nodes, path.relative_to(ROOT)), flush=True)
        run_json([program, "--nodes", nodes, "--seed", seed, "--no-analyze", "--save", path])
    return path


# the derived zone field whose cost the diagnostic rows leave out
ZONE_MATRIX_FIELD = "uncovered-flows"
EVAL_SCALING_NODES = (1_000, 2_000, 4_000)


def bench_eval(nodes, peer_nodes, runs, peer_runs, seed, limit):
    """Ours alone at `nodes` with the bundled catalog; ours and pytm at
    `peer_nodes` on the same model, ours with a catalog of as many threats as
    pytm's library, generated into a temporary directory. A bench_eval
    process that needs more than `limit` seconds is stopped and recorded as
    such. Diagnostics: the same catalogs without the threats and mitigations
    that test the zone matrix's field, and the bundled catalog at a few small
    sizes (how its time grows)."""
    check = subprocess.run([str(PEER_PYTHON), "-c", "import pytm"], capture_output=True)
    if check.returncode != 0:
        sys.exit("run.py: pytm is not installed for %s; run `make -C bench peers`" % PEER_PYTHON)
    program = BIN / "bench_eval"
    budget = ["--max-seconds", max(1, limit // 4)]
    print("bench_eval: %d nodes, the bundled catalog, %d runs (at most %d s) ..." % (nodes, runs, limit), flush=True)
    full, full_wall = run_json_limited([program, "--nodes", nodes, "--seed", seed, "--runs", runs] + budget, limit)
    scaling = []
    for n in EVAL_SCALING_NODES:
        print("bench_eval: %d nodes, the bundled catalog, 1 run ..." % n, flush=True)
        r, _ = run_json_limited([program, "--nodes", n, "--seed", seed, "--runs", 1], limit)
        if r:
            scaling.append(r)
    model = eval_model(peer_nodes, seed)
    print("pytm: TM.resolve() on the same network of %d nodes, %d runs ..." % (peer_nodes, peer_runs), flush=True)
    peer = run_json([PEER_PYTHON, PYTM_PEER, model, "--repeat", peer_runs])
    with tempfile.TemporaryDirectory(prefix="iotnet-catalog-") as tmp:
        tmp = Path(tmp)
        same = run_json([sys.executable, CATALOG_GEN, "--threats", peer["threats"], "-o", tmp / "same"])
        rest = run_json([sys.executable, CATALOG_GEN, "--threats", peer["threats"], "-o", tmp / "rest",
                         "--without-field", ZONE_MATRIX_FIELD])
        bundled_rest = run_json([sys.executable, CATALOG_GEN, "-o", tmp / "bundled-rest",
                                 "--without-field", ZONE_MATRIX_FIELD])
        print("bench_eval: %d nodes, a catalog of %d threats, %d runs (at most %d s) ..."
              % (peer_nodes, same["threats"], runs, limit), flush=True)
        small, small_wall = run_json_limited([program, "--nodes", peer_nodes, "--seed", seed, "--runs", runs,
                                              "--catalog", tmp / "same"] + budget, limit)
        print("bench_eval: %d nodes, %d threats without those testing %s ..."
              % (peer_nodes, rest["threats"], ZONE_MATRIX_FIELD), flush=True)
        small_rest = run_json([program, "--nodes", peer_nodes, "--seed", seed, "--runs", runs,
                               "--catalog", tmp / "rest"])
        print("bench_eval: %d nodes, the bundled catalog without the threats testing %s ..."
              % (nodes, ZONE_MATRIX_FIELD), flush=True)
        full_rest, _ = run_json_limited([program, "--nodes", nodes, "--seed", seed, "--runs", runs,
                                         "--catalog", tmp / "bundled-rest"] + budget, limit)

    def ratio(a, b):
        return a / b if a and b and b > 0 else None

    result = {"full": full, "full_wall": full_wall, "full_rest": full_rest, "scaling": scaling,
            "small": small, "small_wall": small_wall, "small_rest": small_rest, "peer": peer,
            "catalog": same, "catalog_rest": rest, "limit": limit, "model": model,
            "model_bytes": model.stat().st_size,
            "speedup": ratio(peer["best_s"], small and small["best_s"]),
            "median_speedup": ratio(peer["median_s"], small and small["median_s"]),
            "rest_speedup": ratio(peer["best_s"], small_rest["best_s"])}
    (OUT / "eval-results.json").write_text(json.dumps(dict(result, model=str(model)), indent=1) + "\n")
    return result


def status_text(by_status):
    return ", ".join("%s %s" % (name.replace("_", " "), f"{n:,}") for name, n in by_status.items() if n) or "none"


def eval_total(full):
    """The 1M-node figure: the catalog loaded once plus the median analysis."""
    return full["catalog_load_s"] + full["median_s"]


def growth(scaling):
    """The exponent k of time ~ nodes^k between the smallest and largest of the small runs."""
    import math
    if len(scaling) < 2:
        return None
    a, b = scaling[0], scaling[-1]
    return math.log(b["best_s"] / a["best_s"]) / math.log(b["nodes"] / a["nodes"])


def eval_rows(ev):
    full, small, peer, rest, full_rest = ev["full"], ev["small"], ev["peer"], ev["small_rest"], ev["full_rest"]
    limit = ev["limit"]
    rows = []
    if full:
        rows.append(
            ("A threat catalog against %s nodes: iotnet_catalog_default() once (%.3f s) + iotnet_analyze() on the "
             "ISP network of %s homes with lifecycle facts (median of %d; best %.3f s; reading the findings "
             "afterwards took %.2f s more)"
             % (f"{full['nodes']:,}", full["catalog_load_s"], f"{full['homes']:,}", len(full["analyze_s"]),
                full["best_s"], statistics.median(full["read_s"])),
             "%.3f s" % eval_total(full), "≤ %.0f s" % EVAL_SECONDS_TARGET, "—",
             eval_total(full) <= EVAL_SECONDS_TARGET, False))
        rows.append(
            ("Peak memory of iotnet_analyze() over the process's with the model and catalog loaded, %s nodes "
             "(%s findings)" % (f"{full['nodes']:,}", f"{full['findings']:,}"),
             mib(full["peak_rss_delta"]), "—", "—", None, False))
    else:
        rows.append(
            ("A threat catalog against %s nodes: iotnet_catalog_default() + iotnet_analyze() on the ISP network "
             "with lifecycle facts (the process was stopped after %d s, before one analysis ended)"
             % (f"{EVAL_NODES:,}", limit),
             "> %d s" % limit, "≤ %.0f s" % EVAL_SECONDS_TARGET, "—", False, False))
    if full_rest:
        rows.append(
            ("A threat catalog against %s nodes, diagnostic: the bundled catalog without the %d threats and "
             "mitigations that test %s (median of %d; best %.3f s)"
             % (f"{full_rest['nodes']:,}", ev["catalog_rest"]["left_out"], ZONE_MATRIX_FIELD,
                len(full_rest["analyze_s"]), full_rest["best_s"]),
             "%.3f s" % eval_total(full_rest), "—", "—", None, False))
    if small:
        rows.append(
            ("The same evaluation at %s nodes with a catalog of %d threats, as many as pytm's library (best of %d; "
             "median %.3f s, %s than pytm's median)"
             % (f"{small['nodes']:,}", small["threats"], len(small["analyze_s"]), small["median_s"],
                speed_text(ev["median_speedup"])),
             "%.3f s" % small["best_s"], "≥ %.0f × faster than pytm" % EVAL_SPEEDUP_TARGET,
             speed_text(ev["speedup"]), ev["speedup"] >= EVAL_SPEEDUP_TARGET, False))
    else:
        rows.append(
            ("The same evaluation at %s nodes with a catalog of %d threats, as many as pytm's library (stopped "
             "after %d s)" % (f"{EVAL_PEER_NODES:,}", ev["catalog"]["threats"], limit),
             "> %d s" % limit, "≥ %.0f × faster than pytm" % EVAL_SPEEDUP_TARGET,
             "< %s" % speed_text(peer["best_s"] / limit), False, False))
    rows.append(
        ("The same evaluation at %s nodes, diagnostic: %d threats without those that test %s (best of %d; "
         "median %.3f s)" % (f"{rest['nodes']:,}", rest["threats"], ZONE_MATRIX_FIELD, len(rest["analyze_s"]),
                             rest["median_s"]),
         "%.3f s" % rest["best_s"], "—", speed_text(ev["rest_speedup"]), None, False))
    rows.append(
        ("Peer: pytm %s TM.resolve() on the same %s assets with %s flows, its %d threats (best of %d; median "
         "%.2f s)" % (peer["pytm"], f"{peer['assets']:,}", f"{peer['flows']:,}", peer["threats"],
                      len(peer["resolve_s"]), peer["median_s"]),
         "%.2f s" % peer["best_s"], "—", "1 ×", None, False))
    return rows


def speed_text(ratio):
    if ratio is None:
        return "—"
    return "%.0f × faster" % ratio if ratio >= 1 else "%.1f × slower" % (1 / ratio)


def eval_section(ev, mach, args):
    full, small, peer, cat = ev["full"], ev["small"], ev["peer"], ev["catalog"]
    rest, full_rest, limit = ev["small_rest"], ev["full_rest"], ev["limit"]

    def model_text(r):
        return ("%s homes: %s nodes, %s links, %s zones, %s services, %s firewall rules, %s port forwards, "
                "%s devices with MUD profiles, %s with lifecycle facts, %s risk decisions"
                % (f"{r['homes']:,}", f"{r['nodes']:,}", f"{r['links']:,}", f"{r['zones']:,}",
                   f"{r['services']:,}", f"{r['rules']:,}", f"{r['forwards']:,}", f"{r['mud_devices']:,}",
                   f"{r['lifecycles']:,}", f"{r['risk_decisions']:,}"))

    def times(samples, digits=3):
        return ", ".join("%.*f" % (digits, t) for t in samples)

    def targets(r):
        return ", ".join("%s %d" % (k, v) for k, v in r["threats_by_target"].items() if v)

    def row(r, program, catalog):
        return ("| %s nodes | %s | %s: %d threats (%s), %d mitigations; loaded in %.3f s | %s | %.3f s | %.3f s "
                "| %s: %s | +%s over the %s held |"
                % (f"{r['nodes']:,}", program, catalog, r["threats"], targets(r), r["mitigations"],
                   r["catalog_load_s"], times(r["analyze_s"]), r["best_s"], r["median_s"], f"{r['findings']:,}",
                   status_text(r["by_status"]), mib(r["peak_rss_delta"]), mib(r["rss_before"])))

    lines = [
        EVAL_TITLE,
        "",
        "Measured at commit %s, %s." % (mach["commit"] or "unknown", mach["date"]),
        "",
        "`bench_eval` builds the ISP network of `gen_isp.c` through the C API (seed %d), then gives" % args.seed,
        "three devices in four lifecycle facts (certificate expiry, signed-artifact lifetime, end of",
        "support, update mechanism, owner, ownership statement, reset method, vendor-cloud dependency,",
        "escrowed credentials, attestation) and records an acceptance for one UPnP-mapped service in 50",
        "(half of them expired). It loads the catalog once and times `iotnet_analyze()` with \"now\"",
        "fixed at 2026-12-01; after each timed call it reads every finding (timed apart) and frees them; runs",
        "stop early once they add up to %d s, and a process still running after %d s is stopped."
        % (max(1, limit // 4), limit),
        "Memory: the peak resident set during the runs (the kernel's peak reset first) over the",
        "resident set with the model and the catalog loaded.",
        "Times are wall-clock. When the catalog reads the Internet's exposure, `iotnet_analyze()`",
        "computes that reachability on a second thread while it evaluates the threats that do not",
        "need it (this machine has %d CPUs); everything else runs on the calling thread." % mach["nproc"],
        "",
        "The peer, `peers/pytm_model.py`, reads the topology file `bench_eval --save` wrote for the",
        "same network and builds it as a pytm model: every node one asset (phones and the Internet",
        "Actors, workstations Processes, servers Datastores, everything else Servers) in the Boundary",
        "of its zone, with attributes from the node and its services (protocol, port, authentication,",
        "encryption, lowest TLS version, hardening for default-deny gateways, code signing for SUIT",
        "updates), and Dataflows to every service from the home's phone (or router; from the Internet",
        "for the provider's and the clouds' services), from the Internet to every service a NAT",
        "traversal or port forward opens, and from every device to its vendor's cloud. Its time is",
        "`TM.resolve()` alone, after `TM.check()` ran once (%.1f s; building the model took %.1f s)."
        % (peer["check_s"], peer["build_s"]),
        "pytm's library has %d threats, all with a condition (%d comparisons in them); resolve() tried"
        % (peer["threats"], peer["comparisons"]),
        "%s (threat, element) pairs whose target type matched and reported %s findings."
        % (f"{peer['evaluations']:,}", f"{peer['findings']:,}"),
        "",
        "Our side at that scale: `gen_catalog.py` copied the bundled catalogs into a temporary",
        "directory and replicated the bundled threats (%d of them) into %d, as many as pytm's, each copy"
        % (cat["bundled_threats"], cat["threats"]),
        "with its own id and the original's condition (%d condition leaves in all), and `bench_eval`"
        % cat["condition_leaves"],
        "loaded that directory into an empty catalog set and analysed the same network, built in its",
        "own process. The diagnostic rows do the same with catalogs from which `gen_catalog.py",
        "--without-field %s` left out the %d threats and mitigations whose conditions test that zone"
        % (ZONE_MATRIX_FIELD, ev["catalog_rest"]["left_out"]),
        "field (%d threats at 10,000 nodes after replication)." % rest["threats"],
        "",
        "| Scale | Program | Catalog | Runs | Best | Median | Findings | Peak memory over the model's |",
        "|---|---|---|---|---|---|---|---|",
    ]
    if full:
        lines.append(row(full, "bench_eval (iotnet)", "bundled"))
    else:
        lines.append("| %s nodes | bench_eval (iotnet) | bundled | stopped after %d s, no analysis finished | — | — "
                     "| — | — |" % (f"{EVAL_NODES:,}", limit))
    if full_rest:
        lines.append(row(full_rest, "bench_eval (iotnet), diagnostic", "bundled without %s" % ZONE_MATRIX_FIELD))
    for r in ev["scaling"]:
        lines.append(row(r, "bench_eval (iotnet)", "bundled"))
    if small:
        lines.append(row(small, "bench_eval (iotnet)", "replicated"))
    else:
        lines.append("| %s nodes | bench_eval (iotnet) | replicated, %d threats | stopped after %d s | — | — | — | — |"
                     % (f"{EVAL_PEER_NODES:,}", cat["threats"], limit))
    lines.append(row(rest, "bench_eval (iotnet), diagnostic", "replicated without %s" % ZONE_MATRIX_FIELD))
    lines += [
        "| %s assets, %s flows, %s boundaries (%s elements) | pytm_model (peer) | pytm's %d threats | %s | "
        "%.2f s | %.2f s | %s | %s (process) |"
        % (f"{peer['assets']:,}", f"{peer['flows']:,}", f"{peer['boundaries']:,}", f"{peer['elements']:,}",
           peer["threats"], times(peer["resolve_s"], 2), peer["best_s"], peer["median_s"],
           f"{peer['findings']:,}", mib(peer["peak_rss"])),
        "",
    ]
    k = growth(ev["scaling"])
    if small:
        lines.append("The ratio is pytm's best resolve() over our best analysis (%s; medians %s). The findings"
                     % (speed_text(ev["speedup"]), speed_text(ev["median_speedup"])))
        lines.append("are not compared: the two catalogs ask different questions of the same assets.")
        lines.append("")
    if k is not None:
        lines.append("With the bundled catalog the analysis time grows as nodes^%.1f between %s and %s nodes;"
                     % (k, f"{ev['scaling'][0]['nodes']:,}", f"{ev['scaling'][-1]['nodes']:,}"))
        lines.append("without the threats that test `%s` (the zone matrix, or in large models its" % ZONE_MATRIX_FIELD)
        lines.append("stand-in from the Internet's reach) the rest of the catalog takes the diagnostic rows' times")
        lines.append("(at %s nodes %s than pytm)." % (f"{rest['nodes']:,}", speed_text(ev["rest_speedup"])))
        lines.append("")
    if full:
        lines.append("Models: %s, built in %.2f s and facts added in %.2f s (%s held); saved for the peer as %s (%s)."
                     % (model_text(full), full["build_s"], full["facts_s"], mib(full["rss_model"]),
                        ev["model"].name, mib(ev["model_bytes"])))
    else:
        lines.append("Models: %s at 10,000 nodes, saved for the peer as %s (%s)."
                     % (model_text(rest), ev["model"].name, mib(ev["model_bytes"])))
    lines.append("")
    return lines


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
    return reach_isp_rows(full, small, peer, same, reach) + mesh_rows(reach["mesh"])


def reach_isp_rows(full, small, peer, same, reach):
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
    ] + mesh_section(reach["mesh"])


def splice_report(rows, section, mach, prefixes=REACH_ROW_PREFIXES, title=REACH_TITLE):
    """Put one benchmark's rows and section (by default the reachability
    benchmark's) into an existing BENCHMARKS.md, keeping the rest."""
    text = REPORT.read_text()
    head, sep, rest = text.partition("\n## ")
    lines = head.split("\n")
    kept = [l for l in lines
            if not any(l.startswith("| " + p) for p in prefixes)]
    last = max(i for i, l in enumerate(kept) if l.startswith("|"))
    new = ["| %s | %s | %s | %s | %s |" % (what, measured, target, ratio, verdict(ok))
           for what, measured, target, ratio, ok, _ in rows]
    kept[last + 1:last + 1] = new
    sections = ("## " + rest).split("\n## ") if sep else []
    sections = [x if x.startswith("## ") else "## " + x for x in sections]
    sections = [x for x in sections if not x.startswith(title)]
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


def write_report(rows, build, load, topo, topo_path, mach, args, reach=None, ev=None):
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
    if ev:
        lines += eval_section(ev, mach, args)
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
    parser.add_argument("--mesh-grid", type=int, default=MESH_GRID, help="the grid's side (default %d)" % MESH_GRID)
    parser.add_argument("--mesh-full", type=int, default=MESH_FULL,
                        help="routers of the full mesh (default %d)" % MESH_FULL)
    parser.add_argument("--mesh-peer-grid", type=int, default=MESH_PEER_GRID,
                        help="the grid's side beside the peer (default %d)" % MESH_PEER_GRID)
    parser.add_argument("--peer-runs", type=int, default=3, help="NetworkX peer runs (default 3)")
    parser.add_argument("--eval-nodes", type=int, default=EVAL_NODES,
                        help="nodes of the model the bundled catalog is evaluated on (default %d)" % EVAL_NODES)
    parser.add_argument("--eval-peer-nodes", type=int, default=EVAL_PEER_NODES,
                        help="nodes (pytm assets) of the model both iotnet and pytm evaluate (default %d)"
                        % EVAL_PEER_NODES)
    parser.add_argument("--eval-runs", type=int, default=5, help="iotnet_analyze runs (default 5)")
    parser.add_argument("--pytm-runs", type=int, default=3, help="pytm resolve() runs (default 3)")
    parser.add_argument("--eval-limit", type=int, default=300,
                        help="seconds after which a bench_eval process is stopped (default 300)")
    parser.add_argument("--only", choices=["build", "load", "reach", "eval"],
                        help="run one benchmark; BENCHMARKS.md untouched, but for reach and eval at the "
                        "reference sizes, whose rows and section they replace")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-write", action="store_true", help="do not rewrite BENCHMARKS.md")
    args = parser.parse_args(argv)
    if args.quick:
        args.build_nodes, args.load_nodes, args.build_runs, args.load_rounds = 100_000, 10_000, 1, 2
        args.reach_homes, args.reach_peer_homes, args.reach_runs, args.peer_runs = 10_000, 500, 2, 1
        args.mesh_grid, args.mesh_full, args.mesh_peer_grid = 10, 16, 4
        args.eval_nodes, args.eval_peer_nodes, args.eval_runs, args.pytm_runs = 100_000, 1_000, 2, 1
        args.eval_limit = 60
    if args.build_links is None:
        args.build_links = args.build_nodes * 3 // 2
    reference = (args.build_nodes == BUILD_NODES and args.build_links == BUILD_LINKS
                 and args.load_nodes == LOAD_NODES and args.reach_homes == REACH_HOMES
                 and args.reach_peer_homes == REACH_PEER_HOMES and args.mesh_grid == MESH_GRID
                 and args.mesh_full == MESH_FULL and args.mesh_peer_grid == MESH_PEER_GRID
                 and args.eval_nodes == EVAL_NODES and args.eval_peer_nodes == EVAL_PEER_NODES)

    build_programs()
    rows, build, load, topo, topo_path, reach, ev = [], None, None, None, None, None, None
    if args.only in (None, "build"):
        build = bench_build(args.build_nodes, args.build_links, args.build_runs)
        rows += build_rows(build)
    if args.only in (None, "load"):
        topo_path, topo = topology(args.load_nodes, args.seed)
        load = bench_load(topo_path, args.load_rounds)
        rows += load_rows(load)
    if args.only in (None, "reach"):
        reach = bench_reach(args.reach_homes, args.reach_peer_homes, args.reach_runs, args.peer_runs, args.seed)
        reach["mesh"] = bench_mesh(args.mesh_grid, args.mesh_full, args.mesh_peer_grid, args.reach_runs)
        rows += reach_rows(reach)
    if args.only in (None, "eval"):
        ev = bench_eval(args.eval_nodes, args.eval_peer_nodes, args.eval_runs, args.pytm_runs, args.seed,
                        args.eval_limit)
        rows += eval_rows(ev)
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
        write_report(rows, build, load, topo, topo_path, mach, args, reach, ev)
        print("wrote %s" % REPORT.relative_to(ROOT))
    elif reference and args.only == "reach" and not args.no_write and REPORT.exists():
        splice_report(reach_rows(reach), reach_section(reach, mach, args), mach)
        print("wrote the reachability rows and section of %s" % REPORT.relative_to(ROOT))
    elif reference and args.only == "eval" and not args.no_write and REPORT.exists():
        splice_report(eval_rows(ev), eval_section(ev, mach, args), mach, EVAL_ROW_PREFIXES, EVAL_TITLE)
        print("wrote the threat-evaluation rows and section of %s" % REPORT.relative_to(ROOT))
    else:
        print("%s not rewritten (reduced sizes, --only or --no-write)" % REPORT.relative_to(ROOT))

    missed = [row for row in rows if row[4] is False and (reference or row[5])]
    for what, measured, target, _, _, _ in missed:
        print("MISSED: %s: %s, target %s" % (what, measured, target), file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
