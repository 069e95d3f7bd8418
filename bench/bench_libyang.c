/*
 * bench_libyang: the peer of bench_load. Parse and validate a topology file
 * with libyang alone, exactly as iotnet_net_load does before it builds the
 * model (libiotnet/src/yangio.c): read the file into memory, create a
 * context on the bundled module directory with the same options, load
 * iotnet-topology, lyd_parse_data() with the same parse and validation
 * options, then free the tree and the context.
 *
 *     bench_libyang [--repeat R] [--yang-dir DIR] FILE
 *
 * Prints one JSON line: every run's time (the whole sequence, and the
 * parse alone), and the memory the data tree holds (first run).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libyang/libyang.h>

#include "bench_util.h"

#define MAX_REPEAT 50

/* The options yangio.c uses: keep them in step with iotnet__yang_open() and parse_tree(). */
#define CTX_OPTIONS (LY_CTX_NO_YANGLIBRARY | LY_CTX_DISABLE_SEARCHDIR_CWD)
#define PARSE_OPTIONS LYD_PARSE_STRICT
#define VALIDATE_OPTIONS LYD_VALIDATE_PRESENT

typedef struct run_result {
    double total_s;       /* read + context + parse/validate + free */
    double parse_s;       /* lyd_parse_data() alone */
    long rss_tree;        /* resident growth while the tree is held */
    size_t top_level;     /* number of nodes, links and zones in the tree */
} run_result;

static void fail(const struct ly_ctx *ctx, const char *what, const char *file)
{
    const struct ly_err_item *e = ctx ? ly_err_first(ctx) : NULL;
    fprintf(stderr, "bench_libyang: %s %s: %s%s%s\n", what, file, e && e->msg ? e->msg : "failed",
            e && e->path ? " at " : "", e && e->path ? e->path : "");
    exit(1);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        exit(1);
    }
    size_t cap = 1 << 20, used = 0;
    char *text = malloc(cap);
    while (text != NULL) {
        used += fread(text + used, 1, cap - used - 1, f);
        if (used < cap - 1)
            break;
        cap *= 2;
        char *bigger = realloc(text, cap);
        if (bigger == NULL)
            free(text);
        text = bigger;
    }
    if (text == NULL || ferror(f)) {
        fprintf(stderr, "bench_libyang: cannot read %s\n", path);
        exit(1);
    }
    fclose(f);
    text[used] = '\0';
    *len = used;
    return text;
}

/* Entries of the topology container's lists (zones, conduits, nodes, links). */
static size_t count_entries(const struct lyd_node *tree)
{
    size_t n = 0;
    const struct lyd_node *child;
    LY_LIST_FOR(lyd_child(tree), child)
        n++;
    return n;
}

static run_result run_once(const char *path, const char *yang_dir, int measure_memory)
{
    run_result r = {0, 0, 0, 0};
    long rss_ready = 0;
    struct ly_ctx *ctx = NULL;
    struct ly_in *in = NULL;
    struct lyd_node *tree = NULL;
    size_t len = 0;

    double t0 = bench_now();
    char *text = read_file(path, &len);
    if (ly_ctx_new(yang_dir, CTX_OPTIONS, &ctx) != LY_SUCCESS)
        fail(NULL, "cannot create a context on", yang_dir);
    if (ly_ctx_load_module(ctx, "iotnet-topology", NULL, NULL) == NULL)
        fail(ctx, "cannot load iotnet-topology from", yang_dir);
    if (ly_in_new_memory(text, &in) != LY_SUCCESS)
        fail(ctx, "cannot read", path);
    if (measure_memory)
        rss_ready = bench_rss_bytes();
    double p0 = bench_now();
    if (lyd_parse_data(ctx, NULL, in, LYD_JSON, PARSE_OPTIONS, VALIDATE_OPTIONS, &tree) != LY_SUCCESS)
        fail(ctx, "invalid", path);
    double p1 = bench_now();
    if (measure_memory) {
        r.rss_tree = bench_rss_trimmed() - rss_ready;
        r.top_level = count_entries(tree);
    }
    lyd_free_all(tree);
    ly_in_free(in, 0);
    ly_ctx_destroy(ctx);
    free(text);
    double t1 = bench_now();
    r.total_s = t1 - t0;
    r.parse_s = p1 - p0;
    return r;
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_libyang [--repeat R] [--yang-dir DIR] FILE\n");
    exit(2);
}

int main(int argc, char **argv)
{
    long repeat = 3;
    const char *yang_dir = NULL, *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = bench_parse_count(argv[++i], "repeat count");
        else if (strcmp(argv[i], "--yang-dir") == 0 && i + 1 < argc)
            yang_dir = argv[++i];
        else if (argv[i][0] != '-' && path == NULL)
            path = argv[i];
        else
            usage();
    }
    if (path == NULL || yang_dir == NULL || repeat > MAX_REPEAT)
        usage();
    ly_log_options(LY_LOSTORE); /* errors are stored in the context, not printed, as in yangio.c */

    double total[MAX_REPEAT], parse[MAX_REPEAT];
    run_result first = {0, 0, 0, 0};
    for (long i = 0; i < repeat; i++) {
        run_result r = run_once(path, yang_dir, i == 0);
        if (i == 0)
            first = r;
        total[i] = r.total_s;
        parse[i] = r.parse_s;
    }
    double median = bench_median(total, (size_t)repeat); /* sorts: [0] is the best */
    double median_parse = bench_median(parse, (size_t)repeat);
    printf("{\"program\": \"bench_libyang\", \"file\": \"%s\", \"top_level_entries\": %zu, ", path,
           first.top_level);
    bench_print_samples("total_s", total, (size_t)repeat);
    printf(", ");
    bench_print_samples("parse_s", parse, (size_t)repeat);
    printf(", \"best_s\": %.6f, \"median_s\": %.6f, \"best_parse_s\": %.6f, \"median_parse_s\": %.6f, "
           "\"rss_tree\": %ld, \"peak_rss\": %ld}\n",
           total[0], median, parse[0], median_parse, first.rss_tree, bench_peak_rss_bytes());
    return 0;
}
