/*
 * bench_load: load a topology file with iotnet_net_load() several times and
 * report, as one JSON line, every run's time and the memory the loaded
 * model holds. bench_libyang is its peer: libyang alone on the same file.
 *
 *     bench_load [--repeat R] [--yang-dir DIR] FILE
 *
 * Memory (first run): resident growth while the model is held, after the
 * heap gave back what the parser freed, and iotnet_net_memory(); the peak
 * resident size covers the parse itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "iotnet/iotnet.h"

#define MAX_REPEAT 50

typedef struct run_result {
    double load_s;
    double free_s;
    long rss_model;     /* resident growth while the model is held */
    size_t net_memory;  /* iotnet_net_memory() */
    size_t nodes, links, zones;
} run_result;

static run_result run_once(const char *path, const iotnet_load_options *opts, int measure_memory)
{
    run_result r;
    memset(&r, 0, sizeof r);
    iotnet_net *net = NULL;
    long rss_before = measure_memory ? bench_rss_trimmed() : 0;
    double t0 = bench_now();
    int rc = iotnet_net_load(&net, path, opts);
    double t1 = bench_now();
    if (rc < 0) {
        fprintf(stderr, "bench_load: %s (%s)\n", iotnet_error_last()->message, iotnet_strerror(rc));
        exit(1);
    }
    if (measure_memory) {
        r.rss_model = bench_rss_trimmed() - rss_before;
        r.net_memory = iotnet_net_memory(net);
        r.nodes = iotnet_node_count(net);
        r.links = iotnet_link_count(net);
        r.zones = iotnet_zone_count(net);
    }
    double t2 = bench_now();
    iotnet_net_free(net);
    double t3 = bench_now();
    r.load_s = t1 - t0;
    r.free_s = t3 - t2;
    return r;
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_load [--repeat R] [--yang-dir DIR] FILE\n");
    exit(2);
}

int main(int argc, char **argv)
{
    long repeat = 3;
    iotnet_load_options opts = IOTNET_LOAD_OPTIONS_INIT;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = bench_parse_count(argv[++i], "repeat count");
        else if (strcmp(argv[i], "--yang-dir") == 0 && i + 1 < argc)
            opts.yang_dir = argv[++i];
        else if (argv[i][0] != '-' && path == NULL)
            path = argv[i];
        else
            usage();
    }
    if (path == NULL || repeat > MAX_REPEAT)
        usage();

    double load[MAX_REPEAT], freeing[MAX_REPEAT];
    run_result first;
    memset(&first, 0, sizeof first);
    for (long i = 0; i < repeat; i++) {
        run_result r = run_once(path, &opts, i == 0);
        if (i == 0)
            first = r;
        load[i] = r.load_s;
        freeing[i] = r.free_s;
    }
    double median = bench_median(load, (size_t)repeat); /* sorts: [0] is the best */
    double median_free = bench_median(freeing, (size_t)repeat);
    double elements = (double)(first.nodes + first.links);
    printf("{\"program\": \"bench_load\", \"file\": \"%s\", \"nodes\": %zu, \"links\": %zu, \"zones\": %zu, ", path,
           first.nodes, first.links, first.zones);
    bench_print_samples("load_s", load, (size_t)repeat);
    printf(", \"best_s\": %.6f, \"median_s\": %.6f, \"median_free_s\": %.6f, \"rss_model\": %ld, "
           "\"net_memory\": %zu, \"rss_bytes_per_element\": %.1f, \"net_bytes_per_element\": %.1f, "
           "\"peak_rss\": %ld}\n",
           load[0], median, median_free, first.rss_model, first.net_memory,
           elements > 0 ? (double)first.rss_model / elements : 0.0,
           elements > 0 ? (double)first.net_memory / elements : 0.0, bench_peak_rss_bytes());
    return 0;
}
