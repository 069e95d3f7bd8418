/*
 * bench_mesh: reachability on a mesh of routers, each with a policy, as one
 * JSON line: a K x K grid (--grid K) or a full mesh of M routers (--full M).
 *
 *     bench_mesh (--grid K | --full M) [--runs R] [--save FILE] [--rows FILE]
 *
 * The Internet is linked to the first router, a camera (web and telnet) to
 * the last. Every router drops by default, accepts web and DNS, rejects
 * telnet and accepts SSH from its own zone (the routers are spread over
 * four zones). iotnet_reach() runs R times from the Internet and R times
 * from the router in the middle, every destination and service each time;
 * each run is timed alone. best_s is the slower of the two sources' best
 * runs. --save writes the model (JSON) for the NetworkX peer, --rows the
 * rows from the Internet of the last run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "iotnet/iotnet.h"
#include "iotnet/reach.h"

#define MAX_RUNS 64

static void die_on(int rc, const char *what)
{
    if (rc < 0) {
        const iotnet_error *e = iotnet_error_last();
        fprintf(stderr, "bench_mesh: %s: %s\n", what, e && e->message ? e->message : iotnet_strerror(rc));
        exit(1);
    }
}

static void add_node(iotnet_net *net, const char *id, const char *kind, const char *zone)
{
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    s.id = id;
    s.kind = kind;
    s.zone = zone;
    die_on(iotnet_node_add(net, NULL, &s), id);
}

static void add_link(iotnet_net *net, const char *a, const char *b)
{
    char id[64];
    snprintf(id, sizeof id, "%s~%s", a, b);
    iotnet_link_spec l = IOTNET_LINK_SPEC_INIT;
    l.id = id;
    l.a = a;
    l.b = b;
    die_on(iotnet_link_add(net, NULL, &l), id);
}

static void add_rule(iotnet_net *net, iotnet_index n, const char *name, iotnet_selector from, int proto,
                     uint16_t port, iotnet_action action)
{
    iotnet_rule r = IOTNET_RULE_INIT;
    r.name = name;
    r.from = from;
    r.to = (iotnet_selector){IOTNET_SELECT_ANY, NULL};
    r.protocol = proto;
    r.port_lo = r.port_hi = port;
    r.action = action;
    die_on(iotnet_policy_add_rule(net, n, &r), name);
}

static void add_router(iotnet_net *net, const char *id, unsigned k)
{
    static const char *zones[] = {"ops-a", "ops-b", "ops-c", "ops-d"};
    const char *zone = zones[k % 4];
    add_node(net, id, "router", zone);
    iotnet_index n;
    die_on(iotnet_node_find(net, &n, id), id);
    die_on(iotnet_policy_set_default(net, n, IOTNET_ACTION_DROP), id);
    iotnet_selector any = {IOTNET_SELECT_ANY, NULL}, own = {IOTNET_SELECT_ZONE, zone};
    add_rule(net, n, "web", any, IOTNET_PROTO_TCP, 80, IOTNET_ACTION_ACCEPT);
    add_rule(net, n, "dns", any, IOTNET_PROTO_UDP, 53, IOTNET_ACTION_ACCEPT);
    add_rule(net, n, "no-telnet", any, IOTNET_PROTO_TCP, 23, IOTNET_ACTION_REJECT);
    add_rule(net, n, "ssh-in-zone", own, IOTNET_PROTO_TCP, 22, IOTNET_ACTION_ACCEPT);
}

static void add_service(iotnet_net *net, const char *node, const char *name, uint16_t port)
{
    iotnet_index n;
    die_on(iotnet_node_find(net, &n, node), node);
    iotnet_service s = IOTNET_SERVICE_INIT;
    s.name = name;
    s.protocol = IOTNET_PROTO_TCP;
    s.port = port;
    die_on(iotnet_service_add(net, n, &s), name);
}

/* The mesh; *middle gets the id of the router in its middle. */
static iotnet_net *build(unsigned grid, unsigned full, char *middle, size_t cap)
{
    iotnet_net *net = NULL;
    die_on(iotnet_net_new(&net), "new");
    const char *zones[] = {"ops-a", "ops-b", "ops-c", "ops-d"};
    for (int z = 0; z < 4; z++) {
        iotnet_zone_spec zs = IOTNET_ZONE_SPEC_INIT;
        zs.id = zones[z];
        zs.kind = "control";
        die_on(iotnet_zone_add(net, NULL, &zs), zones[z]);
    }
    unsigned count = grid ? grid * grid : full;
    char id[32], other[32];
    for (unsigned k = 0; k < count; k++) {
        snprintf(id, sizeof id, "r%u", k);
        add_router(net, id, grid ? (k / grid / (grid / 2 + 1)) * 2 + (k % grid) / (grid / 2 + 1) : k);
    }
    for (unsigned k = 0; k < count; k++) {
        snprintf(id, sizeof id, "r%u", k);
        if (grid) {
            if (k % grid + 1 < grid) {
                snprintf(other, sizeof other, "r%u", k + 1);
                add_link(net, id, other);
            }
            if (k + grid < count) {
                snprintf(other, sizeof other, "r%u", k + grid);
                add_link(net, id, other);
            }
        } else {
            for (unsigned j = k + 1; j < count; j++) {
                snprintf(other, sizeof other, "r%u", j);
                add_link(net, id, other);
            }
        }
    }
    add_node(net, "internet", "internet", NULL);
    add_link(net, "internet", "r0");
    add_node(net, "cam", "camera", NULL);
    snprintf(id, sizeof id, "r%u", count - 1);
    add_link(net, id, "cam");
    add_service(net, "cam", "web", 80);
    add_service(net, "cam", "telnet", 23);
    snprintf(middle, cap, "r%u", grid ? (grid / 2) * grid + grid / 2 : count / 2);
    return net;
}

static void write_rows(const iotnet_net *net, const iotnet_reach_result *res, const char *path)
{
    FILE *out = bench_open_rows(path);
    for (size_t i = 0; i < iotnet_reach_count(res); i++) {
        iotnet_reach_row r;
        memset(&r, 0, sizeof r);
        r.version = IOTNET_REACH_ROW_VERSION;
        die_on(iotnet_reach_get(res, i, &r), "row");
        fprintf(out, "{\"destination\": \"%s\", \"service\": %s%s%s, \"port\": %u, \"exposure\": \"%s\"}\n",
                bench_node_id(net, r.destination), r.service ? "\"" : "", r.service ? r.service : "null",
                r.service ? "\"" : "", r.port, iotnet_enum_name(IOTNET_ENUM_EXPOSURE, (int)r.exposure));
    }
    fclose(out);
}

/* Best and median of `runs` timed reach calls from `from`; the last result is kept. */
static void time_reach(const iotnet_net *net, const char *from, unsigned runs, double *best, double *median,
                       iotnet_reach_result **last)
{
    double t[MAX_RUNS];
    iotnet_reach_options o = IOTNET_REACH_OPTIONS_INIT;
    o.from = from;
    for (unsigned i = 0; i < runs; i++) {
        iotnet_reach_result_free(*last);
        *last = NULL;
        double start = bench_now();
        die_on(iotnet_reach(last, net, &o), from);
        t[i] = bench_now() - start;
    }
    *median = bench_median(t, runs); /* sorts them */
    *best = t[0];
}

int main(int argc, char **argv)
{
    unsigned grid = 0, full = 0, runs = 3;
    const char *save = NULL, *rows = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--grid") && i + 1 < argc)
            grid = (unsigned)atoi(argv[++i]);
        else if (!strcmp(argv[i], "--full") && i + 1 < argc)
            full = (unsigned)atoi(argv[++i]);
        else if (!strcmp(argv[i], "--runs") && i + 1 < argc)
            runs = (unsigned)atoi(argv[++i]);
        else if (!strcmp(argv[i], "--save") && i + 1 < argc)
            save = argv[++i];
        else if (!strcmp(argv[i], "--rows") && i + 1 < argc)
            rows = argv[++i];
        else {
            fprintf(stderr, "usage: bench_mesh (--grid K | --full M) [--runs R] [--save FILE] [--rows FILE]\n");
            return 2;
        }
    }
    if ((!grid) == (!full) || grid > 200 || full > 400 || (grid && grid < 2) || (full && full < 2) || !runs ||
        runs > MAX_RUNS) {
        fprintf(stderr, "bench_mesh: one of --grid 2..200 or --full 2..400, and --runs 1..%d\n", MAX_RUNS);
        return 2;
    }
    char middle[32];
    iotnet_net *net = build(grid, full, middle, sizeof middle);
    if (save)
        die_on(iotnet_net_save(net, save, NULL), save);
    iotnet_reach_result *from_internet = NULL, *from_middle = NULL;
    double best_i, median_i, best_m, median_m;
    time_reach(net, "internet", runs, &best_i, &median_i, &from_internet);
    time_reach(net, middle, runs, &best_m, &median_m, &from_middle);
    if (rows)
        write_rows(net, from_internet, rows);
    printf("{\"program\": \"bench_mesh\", \"shape\": \"%s\", \"size\": %u, \"routers\": %u, \"links\": %zu, "
           "\"runs\": %u, \"internet_best_s\": %.6f, \"internet_median_s\": %.6f, \"middle\": \"%s\", "
           "\"middle_best_s\": %.6f, \"middle_median_s\": %.6f, \"best_s\": %.6f, \"median_s\": %.6f, "
           "\"rows\": %zu, \"middle_rows\": %zu}\n",
           grid ? "grid" : "full", grid ? grid : full, grid ? grid * grid : full, iotnet_link_count(net), runs,
           best_i, median_i, middle, best_m, median_m, best_i > best_m ? best_i : best_m,
           median_i > median_m ? median_i : median_m, iotnet_reach_count(from_internet),
           iotnet_reach_count(from_middle));
    iotnet_reach_result_free(from_internet);
    iotnet_reach_result_free(from_middle);
    iotnet_net_free(net);
    return 0;
}
