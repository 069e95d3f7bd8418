/* iotnet diff OLD NEW: the flows that became possible or impossible, or
   changed exposure, between two models. */
#include "cli.h"
#include "iotnet/reach.h"

#include <stdlib.h>
#include <string.h>

static const char *const diff_formats[] = {"text", "json", "csv", NULL};

static const cli_column diff_columns[] = {
    {"change", CLI_CELL_TEXT, NULL}, /* added, removed, changed */
    {"source", CLI_CELL_TEXT, NULL}, /* as asked: a node id, zone:ID or internet */
    {"destination", CLI_CELL_TEXT, NULL},
    {"service", CLI_CELL_TEXT, NULL},
    {"protocol", CLI_CELL_TEXT, NULL},
    {"port", CLI_CELL_INT, NULL},
    {"old_exposure", CLI_CELL_TEXT, NULL},
    {"new_exposure", CLI_CELL_TEXT, NULL},
};
#define DIFF_COLUMNS (sizeof diff_columns / sizeof diff_columns[0])

/* One flow a source can open in one model, keyed by what it reaches. */
typedef struct flow {
    const char *destination; /* borrowed from the model */
    const char *service;     /* borrowed from the result; NULL for host rows and bare ports */
    int protocol;
    unsigned port;
    iotnet_exposure exposure;
} flow;

typedef struct flow_set {
    flow *items;
    size_t count;
    iotnet_reach_result *result;
    bool source_found; /* the model has the source */
} flow_set;

static int strcmp_null(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int compare_flows(const void *pa, const void *pb)
{
    const flow *a = pa, *b = pb;
    int c = strcmp_null(a->destination, b->destination);
    if (c)
        return c;
    if (a->protocol != b->protocol)
        return a->protocol < b->protocol ? -1 : 1;
    if (a->port != b->port)
        return a->port < b->port ? -1 : 1;
    return strcmp_null(a->service, b->service);
}

static void flow_set_free(flow_set *s)
{
    free(s->items);
    iotnet_reach_result_free(s->result);
    memset(s, 0, sizeof *s);
}

/* What `source` reaches in `net`, sorted. A source the model does not have
   reaches nothing. Returns an iotnet code. */
static int collect(flow_set *s, const iotnet_net *net, const char *source)
{
    memset(s, 0, sizeof *s);
    iotnet_reach_options opts = IOTNET_REACH_OPTIONS_INIT;
    opts.from = source;
    int error = iotnet_reach(&s->result, net, &opts);
    if (error == IOTNET_ENOTFOUND)
        return 0;
    if (error)
        return error;
    s->source_found = true;
    size_t count = iotnet_reach_count(s->result);
    s->items = calloc(count ? count : 1, sizeof *s->items);
    if (!s->items)
        return IOTNET_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        iotnet_reach_row row = {.version = IOTNET_REACH_ROW_VERSION};
        error = iotnet_reach_get(s->result, i, &row);
        if (error)
            return error;
        s->items[s->count++] = (flow){cli_node_id(net, row.destination), row.service, row.protocol,
                                      row.port, row.exposure};
    }
    qsort(s->items, s->count, sizeof *s->items, compare_flows);
    return 0;
}

static int add_change(cli_table *t, const char *change, const char *source, const flow *f,
                      const flow *old_flow, const flow *new_flow)
{
    char port[8];
    snprintf(port, sizeof port, "%u", f->port);
    const char *cells[DIFF_COLUMNS] = {
        change,
        source,
        f->destination,
        f->service,
        cli_enum_name(IOTNET_ENUM_PROTOCOL, f->protocol, "?"),
        f->port ? port : NULL,
        old_flow ? cli_enum_name(IOTNET_ENUM_EXPOSURE, (int)old_flow->exposure, "?") : "none",
        new_flow ? cli_enum_name(IOTNET_ENUM_EXPOSURE, (int)new_flow->exposure, "?") : "none",
    };
    return cli_table_add(t, cells);
}

/* Merge two sorted flow sets into rows of changes. */
static int compare_sets(cli_table *t, const char *source, const flow_set *a, const flow_set *b)
{
    size_t i = 0, k = 0;
    int error = 0;
    while (!error && (i < a->count || k < b->count)) {
        int c = i == a->count ? 1 : k == b->count ? -1 : compare_flows(&a->items[i], &b->items[k]);
        if (c < 0) {
            error = add_change(t, "removed", source, &a->items[i], &a->items[i], NULL);
            i++;
        } else if (c > 0) {
            error = add_change(t, "added", source, &b->items[k], NULL, &b->items[k]);
            k++;
        } else {
            if (a->items[i].exposure != b->items[k].exposure)
                error = add_change(t, "changed", source, &b->items[k], &a->items[i], &b->items[k]);
            i++;
            k++;
        }
    }
    return error;
}

/* A list of owned strings: the default sources. */
typedef struct source_list {
    char **items;
    size_t count;
} source_list;

static void source_list_free(source_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
}

static bool source_listed(const source_list *l, const char *s)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i], s) == 0)
            return true;
    return false;
}

static int add_source(source_list *l, const char *prefix, const char *id)
{
    size_t n = strlen(prefix) + strlen(id) + 1;
    char *s = malloc(n);
    if (!s)
        return IOTNET_ENOMEM;
    snprintf(s, n, "%s%s", prefix, id);
    if (source_listed(l, s)) {
        free(s);
        return 0;
    }
    char **items = realloc(l->items, (l->count + 1) * sizeof *items);
    if (!items) {
        free(s);
        return IOTNET_ENOMEM;
    }
    l->items = items;
    l->items[l->count++] = s;
    return 0;
}

/* Whether a model has a node of kind internet. */
static bool has_internet(const iotnet_net *net)
{
    iotnet_kind internet;
    if (iotnet_kind_find(net, &internet, "internet") != 0)
        return false;
    for (iotnet_index n = iotnet_node_next(net, IOTNET_NONE); n != IOTNET_NONE; n = iotnet_node_next(net, n))
        if (iotnet_kind_is_a(net, iotnet_node_kind(net, n), internet))
            return true;
    return false;
}

/* internet (when either model has it), then zone:ID for every zone of
   either model (the old model's order first). */
static int default_sources(source_list *l, const iotnet_net *old_net, const iotnet_net *new_net)
{
    int error = has_internet(old_net) || has_internet(new_net) ? add_source(l, "", "internet") : 0;
    const iotnet_net *nets[] = {old_net, new_net};
    for (size_t m = 0; m < 2 && !error; m++)
        for (iotnet_index z = iotnet_zone_next(nets[m], IOTNET_NONE); z != IOTNET_NONE && !error;
             z = iotnet_zone_next(nets[m], z))
            error = add_source(l, "zone:", cli_zone_id(nets[m], z));
    return error;
}

/* Compare what each source reaches; returns an exit code, the table filled. */
static int diff_models(cli_table *t, const cli_args *args, const iotnet_net *old_net, const iotnet_net *new_net)
{
    source_list defaults = {0};
    const char *const *sources = args->from;
    size_t source_count = args->from_count;
    int error = 0;
    if (!source_count) {
        error = default_sources(&defaults, old_net, new_net);
        sources = (const char *const *)defaults.items;
        source_count = defaults.count;
    }
    int rc = CLI_EXIT_OK;
    for (size_t s = 0; s < source_count && !error && rc == CLI_EXIT_OK; s++) {
        flow_set a, b;
        error = collect(&a, old_net, sources[s]);
        if (!error)
            error = collect(&b, new_net, sources[s]);
        else
            memset(&b, 0, sizeof b);
        if (!error && args->from_count && !a.source_found && !b.source_found) {
            fprintf(stderr, "iotnet diff: neither model has a node or zone '%s'\n", sources[s]);
            rc = CLI_EXIT_INVALID;
        } else if (!error) {
            error = compare_sets(t, sources[s], &a, &b);
        }
        flow_set_free(&a);
        flow_set_free(&b);
    }
    source_list_free(&defaults);
    if (error == IOTNET_EINVAL)
        return cli_usage_error(args->command, "%s", cli_error_message(error));
    if (error) {
        fprintf(stderr, "iotnet diff: %s\n", cli_error_message(error));
        return CLI_EXIT_INVALID;
    }
    return rc;
}

static void summary(iotnet__buf *b, const cli_table *t)
{
    size_t added = 0, removed = 0, changed = 0;
    for (size_t r = 0; r < t->rows; r++) {
        const char *change = cli_table_cell(t, r, 0);
        added += strcmp(change, "added") == 0;
        removed += strcmp(change, "removed") == 0;
        changed += strcmp(change, "changed") == 0;
    }
    iotnet__buf_printf(b, "\n%zu %s became possible, %zu impossible, %zu changed exposure\n", added,
                       added == 1 ? "flow" : "flows", removed, changed);
}

static int run_diff(const cli_args *args)
{
    cli_fail_on fail_on;
    int rc = cli_parse_fail_on(&fail_on, args, CLI_FAIL_ALLOWS(CLI_FAIL_NEVER) | CLI_FAIL_ALLOWS(CLI_FAIL_OPEN));
    if (rc != CLI_EXIT_OK)
        return rc;
    iotnet_net *nets[2] = {NULL, NULL};
    for (size_t i = 0; i < 2; i++) {
        if (cli_open_model(&nets[i], args, args->operands[i]) != CLI_EXIT_OK) {
            iotnet_net_free(nets[0]);
            return CLI_EXIT_INVALID;
        }
    }
    cli_table table;
    cli_table_init(&table, diff_columns, DIFF_COLUMNS);
    rc = diff_models(&table, args, nets[0], nets[1]);
    if (rc == CLI_EXIT_OK) {
        iotnet__buf out = {0};
        bool text = strcmp(args->format, "text") == 0;
        if (text && table.rows == 0) {
            iotnet__buf_puts(&out, "no changes in reachability\n");
        } else {
            cli_table_render(&table, args->format, &out);
            if (text)
                summary(&out, &table);
        }
        rc = cli_write_output(args, &out);
        iotnet__buf_free(&out);
        if (rc == CLI_EXIT_OK)
            rc = cli_findings_exit(table.rows && fail_on.kind != CLI_FAIL_NEVER); /* a change */
    }
    cli_table_free(&table);
    iotnet_net_free(nets[0]);
    iotnet_net_free(nets[1]);
    return rc;
}

const cli_command cli_diff_command = {
    .name = "diff",
    .summary = "what became reachable, unreachable or differently exposed between two models",
    .help =
        "Usage: iotnet diff [OPTIONS] OLD NEW\n"
        "\n"
        "Compare what can be reached in two models: for each source, every flow\n"
        "(destination, service, protocol and port) that NEW allows and OLD did not\n"
        "(added), that OLD allowed and NEW does not (removed), or whose exposure class\n"
        "changed (changed), with the old and new exposure. Destinations are matched by\n"
        "node id. By default the sources are internet and every zone (zone:ID) of either\n"
        "model; a source only one model has reaches nothing in the other.\n"
        "\n"
        "Options:\n"
        "  --from SRC              compare what SRC reaches (a node id, zone:ID or\n"
        "                          internet); may be given more than once\n"
        "  --fail-on WHAT          what exits 1: open (default) any change, never\n"
        "                          nothing (exit 0 once written)\n"
        "  --format text|json|csv  a table (default), a JSON array of change objects, or\n"
        "                          CSV with a header\n"
        "  -o, --output FILE       write to FILE (atomically) instead of stdout\n"
        "  --yang-path DIRS        ':'-separated directories with YANG modules that\n"
        "                          extend the kinds\n"
        "  -h, --help              show this help\n"
        "\n"
        "Exit status: 0 no change (or --fail-on never), 1 something changed, 2 usage\n"
        "error, 3 a model failed to load, neither model has a source given with\n"
        "--from, or the output could not be written.\n",
    .options = CLI_OPT_FORMAT | CLI_OPT_OUTPUT | CLI_OPT_YANG_PATH | CLI_OPT_FROM | CLI_OPT_FROM_MANY |
               CLI_OPT_FAIL_ON,
    .formats = diff_formats,
    .min_operands = 2,
    .max_operands = 2,
    .operand_name = "OLD and NEW models",
    .run = run_diff,
};
