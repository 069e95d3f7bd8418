/* iotnet reach MODEL --from SRC [--to DST] [--service FLOW] [--explain] [--all] */
#include "cli.h"
#include "iotnet/reach.h"

#include <string.h>

static const char *const reach_formats[] = {"text", "json", "csv", NULL};

static const cli_column reach_columns[] = {
    {"source", CLI_CELL_TEXT, NULL},
    {"destination", CLI_CELL_TEXT, NULL},
    {"service", CLI_CELL_TEXT, NULL},
    {"protocol", CLI_CELL_TEXT, NULL},
    {"port", CLI_CELL_INT, NULL},
    {"exposure", CLI_CELL_TEXT, NULL},
    {"entry_node", CLI_CELL_TEXT, NULL},
    {"entry_port", CLI_CELL_INT, NULL},
    {"via", CLI_CELL_TEXT, NULL},
    {"path", CLI_CELL_LIST, " > "},
};
#define REACH_COLUMNS (sizeof reach_columns / sizeof reach_columns[0])

static const cli_column hop_columns[] = {
    {"node", CLI_CELL_TEXT, NULL},
    {"layer", CLI_CELL_TEXT, NULL},
    {"action", CLI_CELL_TEXT, NULL},
    {"rule", CLI_CELL_TEXT, NULL},
    {"detail", CLI_CELL_TEXT, NULL},
};
#define HOP_COLUMNS (sizeof hop_columns / sizeof hop_columns[0])

/* The node ids of a path joined by `sep`, into b (reset first). */
static const char *path_words(iotnet__buf *b, const iotnet_net *net, const iotnet_index *path, size_t n,
                              const char *sep)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const char *id = cli_node_id(net, path[i]);
        iotnet__buf_printf(b, "%s%s", i ? sep : "", id ? id : "?");
    }
    return b->data ? b->data : "";
}

/* One table row per reach row. Returns an iotnet code. */
static int reach_table(cli_table *t, const iotnet_net *net, const iotnet_reach_result *result)
{
    cli_table_init(t, reach_columns, REACH_COLUMNS);
    iotnet__buf path = {0};
    int error = 0;
    size_t count = iotnet_reach_count(result);
    for (size_t i = 0; i < count && !error; i++) {
        iotnet_reach_row row = {.version = IOTNET_REACH_ROW_VERSION};
        error = iotnet_reach_get(result, i, &row);
        if (error)
            break;
        char port[8], entry_port[8];
        snprintf(port, sizeof port, "%u", (unsigned)row.port);
        snprintf(entry_port, sizeof entry_port, "%u", (unsigned)row.entry_port);
        const char *cells[REACH_COLUMNS] = {
            cli_node_id(net, row.source),
            cli_node_id(net, row.destination),
            row.service,
            cli_enum_name(IOTNET_ENUM_PROTOCOL, row.protocol, "?"),
            row.port ? port : NULL,
            cli_enum_name(IOTNET_ENUM_EXPOSURE, (int)row.exposure, "?"),
            cli_node_id(net, row.entry_node),
            row.entry_port ? entry_port : NULL,
            row.via,
            path_words(&path, net, row.path, row.path_length, " "),
        };
        error = cli_table_add(t, cells);
    }
    if (!error && path.failed)
        error = IOTNET_ENOMEM;
    iotnet__buf_free(&path);
    return error;
}

static int hop_table(cli_table *t, const iotnet_net *net, const iotnet_explanation *ex)
{
    cli_table_init(t, hop_columns, HOP_COLUMNS);
    size_t count = iotnet_explanation_hop_count(ex);
    for (size_t i = 0; i < count; i++) {
        iotnet_hop hop = {.version = IOTNET_HOP_VERSION};
        int error = iotnet_explanation_hop(ex, i, &hop);
        const char *cells[HOP_COLUMNS] = {
            cli_node_id(net, hop.node),
            cli_enum_name(IOTNET_ENUM_LAYER, (int)hop.layer, "?"),
            cli_enum_name(IOTNET_ENUM_ACTION, (int)hop.action, "?"),
            hop.rule,
            hop.detail,
        };
        if (!error)
            error = cli_table_add(t, cells);
        if (error)
            return error;
    }
    return 0;
}

/* A failed query: EINVAL (bad --service or endpoint text) is a usage error,
   anything else (an unknown node or zone) invalid input. */
static int query_failed(const cli_args *args, int error)
{
    const char *message = cli_error_message(error);
    if (error == IOTNET_EINVAL)
        return cli_usage_error(args->command, "%s", message);
    fprintf(stderr, "iotnet %s: %s: %s\n", args->command, args->operands[0], message);
    return CLI_EXIT_INVALID;
}

static void explain_json(iotnet__buf *out, const cli_args *args, const char *exposure,
                         const iotnet_net *net, const iotnet_index *path, size_t length,
                         const cli_table *hops)
{
    cli_json j = {.b = out};
    cli_json_begin_object(&j, NULL);
    cli_json_string(&j, "source", args->from[0]);
    cli_json_string(&j, "destination", args->to);
    cli_json_string(&j, "service", args->service);
    cli_json_string(&j, "exposure", exposure);
    cli_json_begin_array(&j, "path");
    for (size_t i = 0; i < length; i++)
        cli_json_string(&j, NULL, cli_node_id(net, path[i]));
    cli_json_end_array(&j);
    cli_table_json(hops, &j, "hops");
    cli_json_end_object(&j);
}

static void explain_text(iotnet__buf *out, const cli_args *args, const char *exposure,
                         const char *path_text, const cli_table *hops)
{
    iotnet__buf_printf(out, "%s -> %s %s: %s\n", args->from[0], args->to, args->service, exposure);
    iotnet__buf_printf(out, "path: %s\n", path_text[0] ? path_text : "none");
    if (hops->rows)
        cli_table_render(hops, "text", out);
}

static int run_explain(const cli_args *args, const iotnet_net *net, iotnet__buf *out)
{
    iotnet_explanation *ex = NULL;
    int error = iotnet_explain(&ex, net, args->from[0], args->to, args->service);
    if (error)
        return query_failed(args, error);
    cli_table hops;
    error = hop_table(&hops, net, ex);
    size_t length = 0;
    const iotnet_index *path = iotnet_explanation_path(ex, &length);
    const char *exposure = cli_enum_name(IOTNET_ENUM_EXPOSURE, (int)iotnet_explanation_exposure(ex), "?");
    iotnet__buf words = {0};
    if (!error) {
        if (strcmp(args->format, "json") == 0) {
            explain_json(out, args, exposure, net, path, length, &hops);
        } else if (strcmp(args->format, "csv") == 0) {
            cli_table_render(&hops, "csv", out);
        } else {
            explain_text(out, args, exposure, path_words(&words, net, path, length, " > "), &hops);
        }
    }
    iotnet__buf_free(&words);
    cli_table_free(&hops);
    iotnet_explanation_free(ex);
    if (error) {
        fprintf(stderr, "iotnet %s: %s\n", args->command, cli_error_message(error));
        return CLI_EXIT_INVALID;
    }
    return CLI_EXIT_OK;
}

static int run_rows(const cli_args *args, const iotnet_net *net, iotnet__buf *out)
{
    iotnet_reach_options opts = IOTNET_REACH_OPTIONS_INIT;
    opts.from = args->from[0];
    opts.to = args->to;
    opts.service = args->service;
    opts.include_unreachable = args->all;
    iotnet_reach_result *result = NULL;
    int error = iotnet_reach(&result, net, &opts);
    if (error)
        return query_failed(args, error);
    cli_table rows;
    error = reach_table(&rows, net, result);
    if (!error) {
        if (strcmp(args->format, "text") == 0 && rows.rows == 0)
            iotnet__buf_printf(out, "%s reaches nothing%s%s%s%s\n", args->from[0], args->to ? " in " : "",
                               args->to ? args->to : "", args->service ? " on " : "",
                               args->service ? args->service : "");
        else
            cli_table_render(&rows, args->format, out);
    }
    cli_table_free(&rows);
    iotnet_reach_result_free(result);
    if (error) {
        fprintf(stderr, "iotnet %s: %s\n", args->command, cli_error_message(error));
        return CLI_EXIT_INVALID;
    }
    return CLI_EXIT_OK;
}

static int run_reach(const cli_args *args)
{
    if (!args->from_count)
        return cli_usage_error(args->command, "missing --from SRC");
    if (args->explain && (!args->to || !args->service))
        return cli_usage_error(args->command, "--explain needs --to DST and --service FLOW");
    if (args->explain && args->all)
        return cli_usage_error(args->command, "--all does not apply to --explain");
    const char *path = args->operands[0];
    iotnet_net *net = NULL;
    if (cli_open_model(&net, args, path) != CLI_EXIT_OK)
        return CLI_EXIT_INVALID;
    iotnet__buf out = {0};
    int rc = args->explain ? run_explain(args, net, &out) : run_rows(args, net, &out);
    if (rc == CLI_EXIT_OK)
        rc = cli_write_output(args, &out);
    iotnet__buf_free(&out);
    iotnet_net_free(net);
    return rc;
}

const cli_command cli_reach_command = {
    .name = "reach",
    .summary = "what a source can reach across firewall, NAT44 and MUD, and how exposed",
    .help =
        "Usage: iotnet reach [OPTIONS] MODEL --from SRC [--to DST] [--service FLOW]\n"
        "\n"
        "List the services SRC can open across the model's firewall policies, NAT44 and\n"
        "MUD profiles: one row per destination service with its exposure class (direct,\n"
        "port-forward, pinhole, hole-punchable, reply-only, none), the node and port the\n"
        "source sends to, the port forward used and the path. With --explain, show how\n"
        "one flow goes: every enforcement point on the path and the rule, port forward,\n"
        "NAT state or MUD entry that decided.\n"
        "\n"
        "SRC is a node id, zone:ID (every node of the zone) or internet; DST a node id\n"
        "or zone:ID; FLOW tcp/443, udp/53, icmp (or, with --explain, a service name of\n"
        "DST).\n"
        "\n"
        "Options:\n"
        "  --from SRC              where flows start (required)\n"
        "  --to DST                only these destinations (default: every node)\n"
        "  --service FLOW          ask this flow of every destination instead of the\n"
        "                          services they declare\n"
        "  --all                   also list destinations that cannot be reached\n"
        "  --explain               explain one flow (needs --to and --service)\n"
        "  --format text|json|csv  a table (default), a JSON array of row objects, or\n"
        "                          CSV with a header; with --explain a JSON object with\n"
        "                          the path and hops, or CSV of the hops. In CSV the\n"
        "                          path is the node ids separated by spaces.\n"
        "  -o, --output FILE       write to FILE (atomically) instead of stdout\n"
        "  --yang-path DIRS        ':'-separated directories with YANG modules that\n"
        "                          extend the kinds\n"
        "  -h, --help              show this help\n"
        "\n"
        "Exit status: 0 answered, 2 usage error (including FLOW text that does not\n"
        "parse), 3 the model failed to load or has no such node or zone, or the\n"
        "output could not be written.\n",
    .options = CLI_OPT_FORMAT | CLI_OPT_OUTPUT | CLI_OPT_YANG_PATH | CLI_OPT_FROM | CLI_OPT_TO |
               CLI_OPT_SERVICE | CLI_OPT_EXPLAIN | CLI_OPT_ALL,
    .formats = reach_formats,
    .min_operands = 1,
    .max_operands = 1,
    .operand_name = "MODEL",
    .run = run_reach,
};
