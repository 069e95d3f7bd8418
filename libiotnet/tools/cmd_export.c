/* iotnet export MODEL --format json|xml|graphml|dot|svg [--exposure] [--findings] [--full] */
#include "cli.h"

#include <string.h>

static const char *const export_formats[] = {"json", "xml", "graphml", "dot", "svg", NULL};

/* The drawings and GraphML take the overlays; topology files do not. */
static const struct {
    const char *name;
    iotnet_export_format format;
} graph_formats[] = {
    {"graphml", IOTNET_EXPORT_GRAPHML}, {"dot", IOTNET_EXPORT_DOT}, {"svg", IOTNET_EXPORT_SVG}};

/* The format an output file name implies, or NULL. */
static const char *format_from_name(const char *path)
{
    static const struct {
        const char *suffix;
        const char *format;
    } suffixes[] = {{".json", "json"}, {".xml", "xml"}, {".graphml", "graphml"},
                    {".dot", "dot"}, {".gv", "dot"}, {".svg", "svg"}};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
        if (cli_has_suffix(path, suffixes[i].suffix))
            return suffixes[i].format;
    return NULL;
}

/* The graph format named `format`; 0 for a topology format. */
static iotnet_export_format graph_format(const char *format)
{
    for (size_t i = 0; i < sizeof graph_formats / sizeof graph_formats[0]; i++)
        if (strcmp(format, graph_formats[i].name) == 0)
            return graph_formats[i].format;
    return (iotnet_export_format)0;
}

/* Render the model; returns an iotnet code with *out the caller's. */
static int render(const iotnet_net *net, const char *format, const iotnet_export_options *opts, char **out)
{
    iotnet_export_format graph = graph_format(format);
    if (graph)
        return iotnet_export_ext(out, net, graph, opts);
    iotnet_save_options save = IOTNET_SAVE_OPTIONS_INIT;
    save.format = strcmp(format, "xml") == 0 ? IOTNET_FORMAT_XML : IOTNET_FORMAT_JSON;
    return iotnet_net_save_data(net, out, &save);
}

/* Which overlay options go together; returns CLI_EXIT_OK or a usage error. */
static int check_overlay_options(const cli_args *args, const char *format)
{
    bool overlay = args->exposure || args->findings;
    if (overlay && !graph_format(format))
        return cli_usage_error(args->command, "--exposure and --findings mark a drawing or GraphML "
                                              "(--format graphml, dot or svg), not %s", format);
    if (args->full && strcmp(format, "svg") != 0)
        return cli_usage_error(args->command, "--full asks for every node of an SVG drawing "
                                              "(--format svg), not %s", format);
    if (!args->findings && (args->catalog_count || args->no_bundled || args->now))
        return cli_usage_error(args->command, "--catalog, --no-bundled and --now choose the findings: "
                                              "give --findings too");
    return CLI_EXIT_OK;
}

/* The findings --findings marks: the catalogs evaluated against the model. */
static int analyze_for_export(iotnet_findings **out, const cli_args *args, const iotnet_net *net)
{
    iotnet_analyze_options opts = IOTNET_ANALYZE_OPTIONS_INIT;
    if (args->now && !cli_parse_now(args->now, &opts.now))
        return cli_usage_error(args->command, "--now '%s': expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ",
                               args->now);
    iotnet_catalog *cat = NULL;
    int rc = cli_load_catalogs(&cat, args);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (iotnet_analyze(out, net, cat, &opts) != 0) {
        fprintf(stderr, "iotnet %s: %s\n", args->command, iotnet_error_last()->message);
        rc = CLI_EXIT_INVALID;
    }
    iotnet_catalog_free(cat);
    return rc;
}

static int run_export(const cli_args *args)
{
    const char *format = args->format_given ? args->format : NULL;
    if (!format && args->output)
        format = format_from_name(args->output);
    if (!format)
        return cli_usage_error(args->command, "missing --format (json, xml, graphml, dot or svg)");
    int rc = check_overlay_options(args, format);
    if (rc != CLI_EXIT_OK)
        return rc;
    const char *path = args->operands[0];
    iotnet_net *net = NULL;
    if (cli_open_model(&net, args, path) != CLI_EXIT_OK)
        return CLI_EXIT_INVALID;
    iotnet_export_options opts = IOTNET_EXPORT_OPTIONS_INIT;
    opts.exposure = args->exposure;
    opts.full = args->full;
    iotnet_findings *findings = NULL;
    if (args->findings)
        rc = analyze_for_export(&findings, args, net);
    opts.findings = findings;
    char *text = NULL;
    if (rc == CLI_EXIT_OK && render(net, format, &opts, &text) != 0) {
        fprintf(stderr, "iotnet export: %s: %s\n", path, iotnet_error_last()->message);
        rc = CLI_EXIT_INVALID;
    } else if (rc == CLI_EXIT_OK) {
        rc = cli_write_text(args, text, strlen(text));
    }
    iotnet_string_free(text);
    iotnet_findings_free(findings);
    iotnet_net_free(net);
    return rc;
}

const cli_command cli_export_command = {
    .name = "export",
    .summary = "write a model as a topology file (json, xml), GraphML, Graphviz DOT or SVG",
    .help =
        "Usage: iotnet export [OPTIONS] MODEL --format json|xml|graphml|dot|svg\n"
        "\n"
        "Write the model read from MODEL in another form:\n"
        "  json, xml   a topology file (RFC 7951 JSON or XML) that validates against the\n"
        "              iotnet-topology module\n"
        "  graphml     GraphML with typed keys for every node and link fact and free\n"
        "              attribute (for NetworkX, yEd, Gephi)\n"
        "  dot         Graphviz DOT: zones as clusters with their kind, Purdue level and\n"
        "              security level, nodes shaped by kind family, enforcement points\n"
        "              (firewall, NAT44, MUD gateway) with a double border, links\n"
        "              labelled by medium\n"
        "  svg         that drawing laid out by Graphviz (in the tool; no dot needed);\n"
        "              a model of more than 1,000 nodes or 2,000 links is drawn as its\n"
        "              zone view, in a few seconds at most: a box per zone with how\n"
        "              many nodes and links it holds, its conduits, and one edge per\n"
        "              pair of zones joined by links with their number (the title\n"
        "              says \"zone view\"); --full draws every node (up to 5,000),\n"
        "              however long dot takes. dot always holds every node.\n"
        "Without --format the suffix of -o FILE decides (.json .xml .graphml .dot .gv .svg).\n"
        "\n"
        "graphml, dot and svg can also mark:\n"
        "  --exposure   what the Internet reaches: each node coloured by its most open\n"
        "               exposure class (direct, port-forward, pinhole, hole-punchable,\n"
        "               reply-only, none) with its exposed services, and a legend;\n"
        "               GraphML gets the node keys exposure and exposed_services\n"
        "  --findings   the open findings of the bundled catalogs (and --catalog):\n"
        "               how many on each node, link and zone and the highest residual\n"
        "               risk; GraphML gets open_findings and max_residual_risk\n"
        "\n"
        "Options:\n"
        "  --format FORMAT      json, xml, graphml, dot or svg\n"
        "  --exposure           mark what the Internet reaches\n"
        "  --findings           mark open findings\n"
        "  --full               svg: draw every node of a large model, not its zone view\n"
        "  --catalog PATH       with --findings: a catalog file or directory beside the\n"
        "                       bundled ones (may be repeated)\n"
        "  --no-bundled         with --findings: only the --catalog catalogs\n"
        "  --now DATE           with --findings: judge dates and acceptances at DATE\n"
        "                       (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)\n"
        "  -o, --output FILE    write to FILE (atomically) instead of stdout\n"
        "  --yang-path DIRS     ':'-separated directories with YANG modules that extend\n"
        "                       the kinds\n"
        "  -h, --help           show this help\n"
        "\n"
        "Exit status: 0 written, 2 usage error, 3 the model (or, with --findings, a\n"
        "catalog) failed to load, the drawing failed, or the output could not be\n"
        "written.\n",
    .options = CLI_OPT_FORMAT | CLI_OPT_OUTPUT | CLI_OPT_YANG_PATH | CLI_OPT_EXPOSURE | CLI_OPT_FINDINGS |
               CLI_OPT_FULL | CLI_OPT_CATALOG | CLI_OPT_NO_BUNDLED | CLI_OPT_NOW,
    .formats = export_formats,
    .min_operands = 1,
    .max_operands = 1,
    .operand_name = "MODEL",
    .run = run_export,
};
