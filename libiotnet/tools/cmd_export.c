/* iotnet export MODEL --format json|xml|graphml|dot */
#include "cli.h"

#include <string.h>

static const char *const export_formats[] = {"json", "xml", "graphml", "dot", NULL};

/* The format an output file name implies, or NULL. */
static const char *format_from_name(const char *path)
{
    static const struct {
        const char *suffix;
        const char *format;
    } suffixes[] = {{".json", "json"}, {".xml", "xml"}, {".graphml", "graphml"},
                    {".dot", "dot"}, {".gv", "dot"}};
    size_t len = strlen(path);
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        size_t n = strlen(suffixes[i].suffix);
        if (len > n && strcmp(path + len - n, suffixes[i].suffix) == 0)
            return suffixes[i].format;
    }
    return NULL;
}

/* Render the model; returns an iotnet code with *out the caller's. */
static int render(const iotnet_net *net, const char *format, char **out)
{
    if (strcmp(format, "graphml") == 0)
        return iotnet_export(net, IOTNET_EXPORT_GRAPHML, out);
    if (strcmp(format, "dot") == 0)
        return iotnet_export(net, IOTNET_EXPORT_DOT, out);
    iotnet_save_options opts = IOTNET_SAVE_OPTIONS_INIT;
    opts.format = strcmp(format, "xml") == 0 ? IOTNET_FORMAT_XML : IOTNET_FORMAT_JSON;
    return iotnet_net_save_data(net, out, &opts);
}

static int run_export(const cli_args *args)
{
    const char *format = args->format_given ? args->format : NULL;
    if (!format && args->output)
        format = format_from_name(args->output);
    if (!format)
        return cli_usage_error(args->command, "missing --format (json, xml, graphml or dot)");
    const char *path = args->operands[0];
    iotnet_net *net = NULL;
    if (cli_load_model(&net, args, path) != 0) {
        cli_report_error(path);
        return CLI_EXIT_INVALID;
    }
    char *text = NULL;
    int rc;
    if (render(net, format, &text) != 0) {
        fprintf(stderr, "iotnet export: %s: %s\n", path, iotnet_error_last()->message);
        rc = CLI_EXIT_INVALID;
    } else {
        rc = cli_write_text(args, text, strlen(text));
    }
    iotnet_string_free(text);
    iotnet_net_free(net);
    return rc;
}

const cli_command cli_export_command = {
    .name = "export",
    .summary = "write a model as a topology file (json, xml), GraphML or Graphviz DOT",
    .help =
        "Usage: iotnet export [OPTIONS] MODEL --format json|xml|graphml|dot\n"
        "\n"
        "Write the model read from MODEL in another form:\n"
        "  json, xml   a topology file (RFC 7951 JSON or XML) that validates against the\n"
        "              iotnet-topology module\n"
        "  graphml     GraphML with typed keys for every node and link fact and free\n"
        "              attribute (for NetworkX, yEd, Gephi)\n"
        "  dot         Graphviz DOT: zones as clusters, nodes shaped by kind family,\n"
        "              enforcement points with a double border, links labelled by medium\n"
        "Without --format the suffix of -o FILE decides (.json .xml .graphml .dot .gv).\n"
        "\n"
        "Options:\n"
        "  --format FORMAT      json, xml, graphml or dot\n"
        "  -o, --output FILE    write to FILE (atomically) instead of stdout\n"
        "  --yang-path DIRS     ':'-separated directories with YANG modules that extend\n"
        "                       the kinds\n"
        "  -h, --help           show this help\n",
    .options = CLI_OPT_FORMAT | CLI_OPT_OUTPUT | CLI_OPT_YANG_PATH,
    .formats = export_formats,
    .min_operands = 1,
    .max_operands = 1,
    .operand_name = "MODEL",
    .run = run_export,
};
