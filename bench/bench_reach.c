/*
 * bench_reach: "everything the Internet can reach, with exposure class" on
 * the ISP network of gen_isp.h, as one JSON line.
 *
 *     bench_reach [--homes N] [--seed S] [--runs R] [--save FILE] [--rows FILE] [--no-reach]
 *
 * The model is built once through the C API (gen_isp_build, timed apart).
 * Then iotnet_reach() runs R times with options.from = "internet" and no
 * destination or service given: every destination, every declared service.
 * Each run is timed alone (the call, then reading every row as a separate
 * figure) and its result freed before the next. Memory: the peak resident
 * set of the runs over the resident set before them (the kernel's peak is
 * reset through /proc/self/clear_refs first, so the build's peak does not
 * count; getrusage's peak is the fallback), and what a result holds.
 *
 * --save FILE writes the model as a topology file (JSON, iotnet_net_save)
 * (with the devices' MUD profiles) for the NetworkX peer; --rows FILE writes the rows of the last run as
 * JSON lines, one per row, for comparing answers; --no-reach stops after
 * the build (and the save).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "gen_isp.h"
#include "iotnet/iotnet.h"
#include "iotnet/mud.h"
#include "iotnet/reach.h"

#define MAX_RUNS 64
#define CLASSES (IOTNET_EXPOSURE_DIRECT + 1)

static void die_on(int rc, const char *what)
{
    if (rc < 0) {
        const iotnet_error *e = iotnet_error_last();
        fprintf(stderr, "bench_reach: %s: %s (%s)\n", what, e && e->message ? e->message : "?", iotnet_strerror(rc));
        exit(1);
    }
}

static void json_string(FILE *out, const char *s)
{
    if (!s) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

/* One row a line: {"source":..., "destination":..., "service":..., ...} with ids for nodes. */
static void write_rows(const iotnet_net *net, const iotnet_reach_result *res, const char *path)
{
    FILE *out = bench_open_rows(path);
    size_t n = iotnet_reach_count(res);
    for (size_t i = 0; i < n; i++) {
        iotnet_reach_row row;
        die_on(iotnet_reach_get(res, i, &row), "iotnet_reach_get");
        fputs("{\"source\": ", out);
        json_string(out, bench_node_id(net, row.source));
        fputs(", \"destination\": ", out);
        json_string(out, bench_node_id(net, row.destination));
        fputs(", \"service\": ", out);
        json_string(out, row.service);
        fprintf(out, ", \"protocol\": ");
        json_string(out, iotnet_enum_name(IOTNET_ENUM_PROTOCOL, row.protocol));
        fprintf(out, ", \"port\": %u, \"exposure\": ", (unsigned)row.port);
        json_string(out, iotnet_enum_name(IOTNET_ENUM_EXPOSURE, (int)row.exposure));
        fputs(", \"entry_node\": ", out);
        json_string(out, bench_node_id(net, row.entry_node));
        fprintf(out, ", \"entry_port\": %u, \"via\": ", (unsigned)row.entry_port);
        json_string(out, row.via);
        fputs(", \"path\": [", out);
        for (size_t k = 0; k < row.path_length; k++) {
            if (k)
                fputs(", ", out);
            json_string(out, bench_node_id(net, row.path[k]));
        }
        fputs("]}\n", out);
    }
    if (fclose(out) != 0) {
        perror(path);
        exit(1);
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_reach [--homes N] [--seed S] [--runs R] [--save FILE] [--rows FILE] [--no-reach]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    bench_isp_args isp = {.homes = 100000, .seed = 2026, .runs = 5, .save = NULL};
    const char *rows_path = NULL;
    bool reach = true;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--no-reach") == 0) {
            reach = false;
            continue;
        }
        if (i + 1 >= argc)
            usage();
        if (bench_isp_arg(&isp, argv, &i))
            continue;
        if (strcmp(argv[i], "--rows") == 0)
            rows_path = argv[++i];
        else
            usage();
    }
    if (isp.runs > MAX_RUNS)
        isp.runs = MAX_RUNS;

    /* the model */
    iotnet_net *net = NULL;
    gen_isp_stats st;
    long rss0 = bench_rss_trimmed();
    double t0 = bench_now();
    int rc = gen_isp_new(&net, isp.homes, isp.seed, &st);
    if (rc < 0)
        die_on(rc, st.failed ? st.failed : "gen_isp_new");
    double build_s = bench_now() - t0;
    long rss_model = bench_rss_trimmed() - rss0;
    size_t net_memory = iotnet_net_memory(net);

    double save_s = 0;
    if (isp.save)
        die_on(gen_isp_save(net, isp.save, &save_s), "iotnet_net_save");

    printf("{\"program\": \"bench_reach\", \"homes\": %zu, \"seed\": %llu, \"nodes\": %zu, \"links\": %zu, "
           "\"zones\": %zu, \"interfaces\": %zu, \"services\": %zu, \"rules\": %zu, \"forwards\": %zu, "
           "\"mud_devices\": %zu, \"aces\": %zu, \"switches\": %zu, \"access_points\": %zu, "
           "\"build_s\": %.6f, \"rss_model\": %ld, \"net_memory\": %zu, \"save_s\": %.6f",
           st.homes, (unsigned long long)isp.seed, iotnet_node_count(net), iotnet_link_count(net), iotnet_zone_count(net),
           st.interfaces, st.services, st.rules, st.forwards, st.mud_devices, st.aces, st.switches,
           st.access_points, build_s, rss_model, net_memory, save_s);
    if (!reach) {
        printf("}\n");
        iotnet_net_free(net);
        return 0;
    }

    /* the timed part */
    double reach_s[MAX_RUNS], read_s[MAX_RUNS];
    size_t count = 0, classes[CLASSES] = {0}, services_rows = 0, host_rows = 0;
    long rss_before = bench_rss_trimmed();
    bool peak_reset = bench_reset_peak();
    long held = 0;
    size_t result_bytes = 0;
    iotnet_reach_options opts = IOTNET_REACH_OPTIONS_INIT;
    opts.from = "internet";
    for (size_t r = 0; r < isp.runs; r++) {
        iotnet_reach_result *res = NULL;
        double a = bench_now();
        die_on(iotnet_reach(&res, net, &opts), "iotnet_reach");
        double z = bench_now();
        reach_s[r] = z - a;
        /* reading every row, as a caller does */
        size_t n = iotnet_reach_count(res);
        size_t cls[CLASSES] = {0}, svc = 0, host = 0;
        for (size_t i = 0; i < n; i++) {
            iotnet_reach_row row;
            die_on(iotnet_reach_get(res, i, &row), "iotnet_reach_get");
            if ((unsigned)row.exposure < CLASSES)
                cls[row.exposure]++;
            if (row.service)
                svc++;
            else
                host++;
            if (r == 0)
                result_bytes += sizeof row + row.path_length * sizeof *row.path;
        }
        read_s[r] = bench_now() - z;
        if (r == 0) {
            held = bench_rss_bytes() - rss_before;
        } else if (n != count) {
            fprintf(stderr, "bench_reach: run %zu found %zu rows, run 1 %zu\n", r + 1, n, count);
            return 1;
        }
        count = n;
        memcpy(classes, cls, sizeof cls);
        services_rows = svc;
        host_rows = host;
        if (r + 1 == isp.runs && rows_path)
            write_rows(net, res, rows_path);
        iotnet_reach_result_free(res);
    }
    long peak = peak_reset ? bench_status_bytes("VmHWM:") : bench_peak_rss_bytes();

    double sorted[MAX_RUNS];
    memcpy(sorted, reach_s, isp.runs * sizeof *sorted);
    double median = bench_median(sorted, isp.runs);
    printf(", \"runs\": %zu, ", isp.runs);
    bench_print_samples("reach_s", reach_s, isp.runs);
    printf(", \"best_s\": %.6f, \"median_s\": %.6f, ", sorted[0], median);
    bench_print_samples("read_s", read_s, isp.runs);
    printf(", \"rows\": %zu, \"service_rows\": %zu, \"host_rows\": %zu, \"exposure\": {", count, services_rows,
           host_rows);
    for (int c = CLASSES - 1; c >= 0; c--)
        printf("%s\"%s\": %zu", c == CLASSES - 1 ? "" : ", ", iotnet_enum_name(IOTNET_ENUM_EXPOSURE, c), classes[c]);
    printf("}, \"rss_before\": %ld, \"peak_rss\": %ld, \"peak_rss_delta\": %ld, \"peak_reset\": %s, "
           "\"result_rss\": %ld, \"result_bytes\": %zu}\n",
           rss_before, peak, peak - rss_before, peak_reset ? "true" : "false", held, result_bytes);
    iotnet_net_free(net);
    return 0;
}
