/*
 * bench_eval: a threat catalog evaluated against the ISP network of
 * gen_isp.h, as one JSON line.
 *
 *     bench_eval [--homes N | --nodes N] [--seed S] [--runs R] [--max-seconds T]
 *                [--catalog DIR] [--save FILE] [--no-analyze]
 *
 * The model is built once through the C API (gen_isp_build, then lifecycle
 * facts on most devices and a few risk decisions, timed apart). The catalog
 * is loaded once: the bundled one (iotnet_catalog_default) or, with
 * --catalog, every file of DIR into an empty set (iotnet_catalog_load_dir).
 * Then iotnet_analyze() runs R times with the default options; each run is
 * timed alone (the call, then reading every finding as a caller does) and
 * its findings freed before the next. Memory: the peak resident set of the
 * runs over the resident set before them (the kernel's peak reset through
 * /proc/self/clear_refs first), and the process's peak.
 *
 * "evaluations" counts the (threat, element of its target kind) pairs one
 * analysis decides: what a rule engine that tries every rule on every
 * element would evaluate.
 *
 * --max-seconds T stops after the run that brings the analyses' time to T
 * (at least one run); --nodes N builds the fewest homes that give at least N nodes (about 12 a home);
 * --save FILE writes the model as a topology file (JSON) for the pytm peer;
 * --no-analyze stops after the build (and the save) without a catalog.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "gen_isp.h"
#include "iotnet/eval.h"
#include "iotnet/iotnet.h"

#define MAX_RUNS 64
#define NODES_PER_HOME 12.0

static void die_on(int rc, const char *what)
{
    if (rc < 0) {
        const iotnet_error *e = iotnet_error_last();
        fprintf(stderr, "bench_eval: %s: %s (%s)\n", what, e && e->message ? e->message : "?", iotnet_strerror(rc));
        exit(1);
    }
}

/* ------------------------------------------------------------------ */
/* Facts gen_isp does not add: lifecycle and risk decisions            */

static uint64_t mix(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

#define DAY INT64_C(86400)
#define YEAR (365 * DAY)
#define Y2026 INT64_C(1767225600) /* 2026-01-01T00:00:00Z */

typedef struct facts {
    size_t lifecycles, decisions;
} facts;

/* Devices (not forwarding nodes, clouds or the Internet) get lifecycle facts
 * in 3 of 4 cases, drawn from (seed, node index); one UPnP-mapped service in
 * 50 has a recorded acceptance, half of them already expired. */
static facts add_facts(iotnet_net *net, uint64_t seed)
{
    facts out = {0, 0};
    static const char *const OWNERS[] = {"household", "previous owner", "landlord", NULL};
    const char *last_kind = NULL;
    int last_device = 0;
    char finding[160];
    for (iotnet_index n = iotnet_node_next(net, IOTNET_NONE); n != IOTNET_NONE; n = iotnet_node_next(net, n)) {
        iotnet_node_spec spec;
        die_on(iotnet_node_get(net, n, &spec), "iotnet_node_get");
        if (spec.kind != last_kind) {
            /* kinds are interned: equal names are equal pointers */
            last_kind = spec.kind;
            last_device = iotnet_kind_is(net, spec.kind, "device") == 1 && iotnet_kind_is(net, spec.kind, "forwarding") != 1;
        }
        if (!last_device)
            continue;
        uint64_t r = mix(seed * 0x100000001B3ull ^ n);
        if (r % 4 != 0) {
            iotnet_lifecycle lc = IOTNET_LIFECYCLE_INIT;
            uint64_t s = mix(r);
            lc.certificate_not_after = Y2026 + (int64_t)(s % (12 * 365)) * DAY;   /* 2026..2037 */
            lc.signed_artifact_lifetime = (int64_t)(3 + (s >> 16) % 13) * YEAR;   /* 3..15 years */
            if ((s >> 24) % 3)
                lc.end_of_support = Y2026 + (int64_t)((s >> 28) % (8 * 365)) * DAY;
            lc.update_mechanism = (iotnet_update_mechanism)(1 + (s >> 36) % 4);
            lc.owner = OWNERS[(s >> 40) % 4];
            lc.ownership_statement = (iotnet_tristate)((s >> 42) % 3);
            lc.reset_method = (iotnet_reset_method)(1 + (s >> 44) % 5);
            lc.vendor_cloud_dependency = (iotnet_tristate)((s >> 47) % 3);
            lc.credentials_escrowed = (iotnet_tristate)((s >> 50) % 3);
            lc.attestation = (iotnet_attestation)(1 + (s >> 53) % 3);
            die_on(iotnet_lifecycle_set(net, n, &lc), "iotnet_lifecycle_set");
            out.lifecycles++;
        }
        size_t count = iotnet_service_count(net, n);
        for (size_t i = 0; i < count; i++) {
            iotnet_service svc;
            die_on(iotnet_service_get(net, n, i, &svc), "iotnet_service_get");
            if (svc.nat_traversal != IOTNET_TRAVERSAL_UPNP || mix(r + i) % 50 != 0)
                continue;
            snprintf(finding, sizeof finding, "iotnet:upnp-pinhole@%s/%s", spec.id, svc.name);
            iotnet_risk_decision d = IOTNET_RISK_DECISION_INIT;
            d.finding = finding;
            d.by = "household";
            d.reason = "the port mapping is wanted while the household is away";
            d.decided = Y2026;
            d.until = Y2026 + (mix(r + i + 1) % 2 ? 2 * YEAR : 180 * DAY); /* 2028, or mid-2026 (expired) */
            die_on(iotnet_risk_decision_set(net, &d), "iotnet_risk_decision_set");
            out.decisions++;
        }
    }
    return out;
}

/* ------------------------------------------------------------------ */
/* The catalog                                                         */

typedef struct catalog_stats {
    size_t threats, mitigations, controls;
    size_t by_target[IOTNET_TARGET_CONDUIT + 1];
} catalog_stats;

static catalog_stats describe(const iotnet_catalog *cat)
{
    catalog_stats s;
    memset(&s, 0, sizeof s);
    s.threats = iotnet_catalog_threat_count(cat);
    s.mitigations = iotnet_catalog_mitigation_count(cat);
    s.controls = iotnet_catalog_control_count(cat);
    for (size_t i = 0; i < s.threats; i++) {
        iotnet_threat_info t;
        t.version = IOTNET_THREAT_INFO_VERSION;
        die_on(iotnet_catalog_threat(cat, i, &t), "iotnet_catalog_threat");
        if ((int)t.target >= IOTNET_TARGET_NODE && (int)t.target <= IOTNET_TARGET_CONDUIT)
            s.by_target[t.target]++;
    }
    return s;
}

/* Elements of each target kind: nodes, links, services, zones, conduits. */
static void targets(const iotnet_net *net, size_t out[IOTNET_TARGET_CONDUIT + 1])
{
    memset(out, 0, (IOTNET_TARGET_CONDUIT + 1) * sizeof *out);
    out[IOTNET_TARGET_NODE] = iotnet_node_count(net);
    out[IOTNET_TARGET_LINK] = iotnet_link_count(net);
    out[IOTNET_TARGET_ZONE] = iotnet_zone_count(net);
    out[IOTNET_TARGET_CONDUIT] = iotnet_conduit_count(net);
    for (iotnet_index n = iotnet_node_next(net, IOTNET_NONE); n != IOTNET_NONE; n = iotnet_node_next(net, n))
        out[IOTNET_TARGET_SERVICE] += iotnet_service_count(net, n);
}

static const char *const TARGET_NAMES[] = {"", "node", "link", "service", "zone", "conduit"};
static const char *const STATUS_NAMES[] = {"", "open", "mitigated", "accepted", "not_applicable"};

static void usage(void)
{
    fprintf(stderr, "usage: bench_eval [--homes N | --nodes N] [--seed S] [--runs R] [--max-seconds T] "
                    "[--catalog DIR] [--save FILE] [--no-analyze]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    bench_isp_args isp = {.homes = 83334, .seed = 2026, .runs = 5, .save = NULL}; /* about 1,000,000 nodes */
    size_t want_nodes = 0;
    const char *catalog_dir = NULL;
    bool analyze = true;
    double max_seconds = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--no-analyze") == 0) {
            analyze = false;
            continue;
        }
        if (i + 1 >= argc)
            usage();
        if (bench_isp_arg(&isp, argv, &i))
            continue;
        if (strcmp(argv[i], "--nodes") == 0)
            want_nodes = (size_t)bench_parse_count(argv[++i], "node count");
        else if (strcmp(argv[i], "--max-seconds") == 0)
            max_seconds = (double)bench_parse_count(argv[++i], "seconds");
        else if (strcmp(argv[i], "--catalog") == 0)
            catalog_dir = argv[++i];
        else
            usage();
    }
    if (isp.runs > MAX_RUNS)
        isp.runs = MAX_RUNS;

    /* the model: with --nodes, the fewest homes (by 12 a home, then one by one) that reach the count */
    iotnet_net *net = NULL;
    gen_isp_stats st;
    long rss0 = bench_rss_trimmed();
    double t0, build_s;
    if (want_nodes)
        isp.homes = (size_t)((double)want_nodes / NODES_PER_HOME + 0.5);
    for (;;) {
        t0 = bench_now();
        int rc = gen_isp_new(&net, isp.homes, isp.seed, &st);
        if (rc < 0)
            die_on(rc, st.failed ? st.failed : "gen_isp_new");
        build_s = bench_now() - t0;
        if (iotnet_node_count(net) >= want_nodes)
            break;
        isp.homes += (want_nodes - iotnet_node_count(net) + 11) / 12;
        iotnet_net_free(net);
        net = NULL;
    }
    t0 = bench_now();
    facts fx = add_facts(net, isp.seed);
    double facts_s = bench_now() - t0;
    long rss_model = bench_rss_trimmed() - rss0;
    size_t net_memory = iotnet_net_memory(net);

    double save_s = 0;
    if (isp.save)
        die_on(gen_isp_save(net, isp.save, &save_s), "iotnet_net_save");

    size_t elements[IOTNET_TARGET_CONDUIT + 1];
    targets(net, elements);
    printf("{\"program\": \"bench_eval\", \"homes\": %zu, \"seed\": %llu, \"nodes\": %zu, \"links\": %zu, "
           "\"zones\": %zu, \"conduits\": %zu, \"services\": %zu, \"rules\": %zu, \"forwards\": %zu, "
           "\"mud_devices\": %zu, \"aces\": %zu, \"lifecycles\": %zu, \"risk_decisions\": %zu, "
           "\"build_s\": %.6f, \"facts_s\": %.6f, \"rss_model\": %ld, \"net_memory\": %zu, \"save_s\": %.6f",
           st.homes, (unsigned long long)isp.seed, elements[IOTNET_TARGET_NODE], elements[IOTNET_TARGET_LINK],
           elements[IOTNET_TARGET_ZONE], elements[IOTNET_TARGET_CONDUIT], elements[IOTNET_TARGET_SERVICE], st.rules,
           st.forwards, st.mud_devices, st.aces, fx.lifecycles, fx.decisions, build_s, facts_s, rss_model,
           net_memory, save_s);
    if (!analyze) {
        printf("}\n");
        iotnet_net_free(net);
        return 0;
    }

    /* the catalog, loaded once */
    iotnet_catalog *cat = NULL;
    double c0 = bench_now();
    if (catalog_dir) {
        die_on(iotnet_catalog_new(&cat), "iotnet_catalog_new");
        die_on(iotnet_catalog_load_dir(cat, catalog_dir), "iotnet_catalog_load_dir");
    } else {
        die_on(iotnet_catalog_default(&cat), "iotnet_catalog_default");
    }
    double catalog_s = bench_now() - c0;
    catalog_stats cs = describe(cat);
    size_t evaluations = 0;
    for (int t = IOTNET_TARGET_NODE; t <= IOTNET_TARGET_CONDUIT; t++)
        evaluations += cs.by_target[t] * elements[t];

    /* the timed part */
    double analyze_s[MAX_RUNS], read_s[MAX_RUNS], spent = 0;
    size_t count = 0, status[5] = {0}, by_target[IOTNET_TARGET_CONDUIT + 1] = {0};
    long rss_before = bench_rss_trimmed();
    bool peak_reset = bench_reset_peak();
    long held = 0;
    iotnet_analyze_options opts = IOTNET_ANALYZE_OPTIONS_INIT;
    opts.now = INT64_C(1796083200); /* 2026-12-01T00:00:00Z: the same answer on any day */
    for (size_t r = 0; r < isp.runs; r++) {
        iotnet_findings *f = NULL;
        double a = bench_now();
        die_on(iotnet_analyze(&f, net, cat, &opts), "iotnet_analyze");
        double z = bench_now();
        analyze_s[r] = z - a;
        size_t n = iotnet_findings_count(f);
        size_t tg[IOTNET_TARGET_CONDUIT + 1] = {0};
        for (size_t i = 0; i < n; i++) {
            iotnet_finding row;
            row.version = IOTNET_FINDING_VERSION;
            die_on(iotnet_findings_get(f, i, &row), "iotnet_findings_get");
            if ((int)row.target_kind >= IOTNET_TARGET_NODE && (int)row.target_kind <= IOTNET_TARGET_CONDUIT)
                tg[row.target_kind]++;
        }
        read_s[r] = bench_now() - z;
        if (r == 0) {
            held = bench_rss_bytes() - rss_before;
        } else if (n != count) {
            fprintf(stderr, "bench_eval: run %zu found %zu findings, run 1 %zu\n", r + 1, n, count);
            return 1;
        }
        count = n;
        iotnet_findings_summary(f, status);
        memcpy(by_target, tg, sizeof tg);
        iotnet_findings_free(f);
        spent += analyze_s[r];
        if (max_seconds > 0 && spent >= max_seconds && r + 1 < isp.runs) {
            isp.runs = r + 1;
            break;
        }
    }
    long peak = peak_reset ? bench_status_bytes("VmHWM:") : bench_peak_rss_bytes();

    double sorted[MAX_RUNS];
    memcpy(sorted, analyze_s, isp.runs * sizeof *sorted);
    double median = bench_median(sorted, isp.runs);
    printf(", \"catalog\": \"%s\", \"catalog_load_s\": %.6f, \"threats\": %zu, \"mitigations\": %zu, "
           "\"controls\": %zu, \"threats_by_target\": {",
           catalog_dir ? "directory" : "default", catalog_s, cs.threats, cs.mitigations, cs.controls);
    for (int t = IOTNET_TARGET_NODE; t <= IOTNET_TARGET_CONDUIT; t++)
        printf("%s\"%s\": %zu", t == IOTNET_TARGET_NODE ? "" : ", ", TARGET_NAMES[t], cs.by_target[t]);
    printf("}, \"evaluations\": %zu, \"runs\": %zu, ", evaluations, isp.runs);
    bench_print_samples("analyze_s", analyze_s, isp.runs);
    printf(", \"best_s\": %.6f, \"median_s\": %.6f, ", sorted[0], median);
    bench_print_samples("read_s", read_s, isp.runs);
    printf(", \"findings\": %zu, \"by_status\": {", count);
    for (int s = IOTNET_FINDING_OPEN; s <= IOTNET_FINDING_NOT_APPLICABLE; s++)
        printf("%s\"%s\": %zu", s == IOTNET_FINDING_OPEN ? "" : ", ", STATUS_NAMES[s], status[s]);
    printf("}, \"findings_by_target\": {");
    for (int t = IOTNET_TARGET_NODE; t <= IOTNET_TARGET_CONDUIT; t++)
        printf("%s\"%s\": %zu", t == IOTNET_TARGET_NODE ? "" : ", ", TARGET_NAMES[t], by_target[t]);
    printf("}, \"rss_before\": %ld, \"peak_rss\": %ld, \"peak_rss_delta\": %ld, \"peak_reset\": %s, "
           "\"result_rss\": %ld, \"process_peak_rss\": %ld}\n",
           rss_before, peak, peak - rss_before, peak_reset ? "true" : "false", held, bench_peak_rss_bytes());
    iotnet_catalog_free(cat);
    iotnet_net_free(net);
    return 0;
}
