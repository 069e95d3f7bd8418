/* iotnet zones MODEL: the zone matrix and the flows no conduit covers. */
#include "cli.h"
#include "iotnet/reach.h"

#include <string.h>

static const char *const zones_formats[] = {"text", "json", "csv", NULL};

static const cli_column zone_columns[] = {
    {"from_zone", CLI_CELL_TEXT, NULL},
    {"to_zone", CLI_CELL_TEXT, NULL},
    {"services", CLI_CELL_LIST, " "},
    {"violations", CLI_CELL_LIST, " "},
    {"conduit", CLI_CELL_TEXT, NULL},
};
#define ZONE_COLUMNS (sizeof zone_columns / sizeof zone_columns[0])

static int zone_table(cli_table *t, const iotnet_net *net, const iotnet_zone_matrix *m)
{
    cli_table_init(t, zone_columns, ZONE_COLUMNS);
    size_t count = iotnet_zone_matrix_count(m);
    for (size_t i = 0; i < count; i++) {
        iotnet_zone_flow flow = {.version = IOTNET_ZONE_FLOW_VERSION};
        int error = iotnet_zone_matrix_get(m, i, &flow);
        const char *cells[ZONE_COLUMNS] = {
            cli_zone_id(net, flow.from_zone),
            cli_zone_id(net, flow.to_zone),
            flow.services,
            flow.violations,
            cli_conduit_id(net, flow.conduit),
        };
        if (!error)
            error = cli_table_add(t, cells);
        if (error)
            return error;
    }
    return 0;
}

static int run_zones(const cli_args *args)
{
    cli_fail_on fail_on;
    int rc = cli_parse_fail_on(&fail_on, args, CLI_FAIL_ALLOWS(CLI_FAIL_NEVER) | CLI_FAIL_ALLOWS(CLI_FAIL_OPEN));
    if (rc != CLI_EXIT_OK)
        return rc;
    const char *path = args->operands[0];
    iotnet_net *net = NULL;
    if (cli_open_model(&net, args, path) != CLI_EXIT_OK)
        return CLI_EXIT_INVALID;
    iotnet_zone_matrix *m = NULL;
    cli_table table = {0};
    size_t violations = 0;
    int error = iotnet_zone_matrix_compute(&m, net);
    if (!error) {
        violations = iotnet_zone_matrix_violation_count(m);
        error = zone_table(&table, net, m);
    }
    iotnet__buf out = {0};
    if (!error) {
        bool text = strcmp(args->format, "text") == 0;
        if (text && table.rows == 0) {
            iotnet__buf_puts(&out, "no flows between zones\n");
        } else {
            cli_table_render(&table, args->format, &out);
            if (text)
                iotnet__buf_printf(&out, "\n%zu zone %s, %zu with violations\n", table.rows,
                                   table.rows == 1 ? "pair" : "pairs", violations);
        }
    }
    if (error) {
        fprintf(stderr, "iotnet zones: %s: %s\n", path, cli_error_message(error));
        rc = CLI_EXIT_INVALID;
    } else {
        rc = cli_write_output(args, &out);
        if (rc == CLI_EXIT_OK)
            rc = cli_findings_exit(violations && fail_on.kind != CLI_FAIL_NEVER);
    }
    iotnet__buf_free(&out);
    cli_table_free(&table);
    iotnet_zone_matrix_free(m);
    iotnet_net_free(net);
    return rc;
}

const cli_command cli_zones_command = {
    .name = "zones",
    .summary = "the zone matrix: what zones reach in each other, and conduit violations",
    .help =
        "Usage: iotnet zones [OPTIONS] MODEL\n"
        "\n"
        "For every ordered pair of distinct zones with a reachable service: the services\n"
        "(tcp/80 udp/53 ...) that nodes of the second zone declare and some node of the\n"
        "first can open, across firewall policies, NAT44 and MUD profiles; the subset no\n"
        "declared conduit covers (violations); and a conduit between them, if any.\n"
        "\n"
        "Options:\n"
        "  --fail-on WHAT          what exits 1: open (default) a violation, never\n"
        "                          nothing (exit 0 once written)\n"
        "  --format text|json|csv  a table (default), a JSON array of objects (services\n"
        "                          and violations as arrays), or CSV with a header\n"
        "                          (services and violations separated by spaces)\n"
        "  -o, --output FILE       write to FILE (atomically) instead of stdout\n"
        "  --yang-path DIRS        ':'-separated directories with YANG modules that\n"
        "                          extend the kinds\n"
        "  -h, --help              show this help\n"
        "\n"
        "Exit status: 0 no violations (or --fail-on never), 1 a violation, 2 usage\n"
        "error, 3 the model failed to load or the output could not be written.\n",
    .options = CLI_OPT_FORMAT | CLI_OPT_OUTPUT | CLI_OPT_YANG_PATH | CLI_OPT_FAIL_ON,
    .formats = zones_formats,
    .min_operands = 1,
    .max_operands = 1,
    .operand_name = "MODEL",
    .run = run_zones,
};
