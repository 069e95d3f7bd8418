/* iotnet table MODEL [--table findings|threats|exposure|zones]... [--format ...]:
   result tables for documents, one table or a whole Internet-Draft. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char *const table_formats[] = {"xml2rfc", "markdown", "draft-xml", "draft-markdown", "csv",
                                            "json", "html", NULL};

static const struct {
    const char *name;
    iotnet_table_kind kind;
} kind_names[] = {
    {"findings", IOTNET_TABLE_FINDINGS},
    {"threats", IOTNET_TABLE_THREATS},
    {"exposure", IOTNET_TABLE_EXPOSURE},
    {"zones", IOTNET_TABLE_ZONES},
};

#define KIND_NAMES (sizeof kind_names / sizeof kind_names[0])

/* What a whole draft shows when no --table is given. */
static const iotnet_table_kind draft_default[] = {
    IOTNET_TABLE_FINDINGS, IOTNET_TABLE_EXPOSURE, IOTNET_TABLE_ZONES, IOTNET_TABLE_THREATS,
};

#define DRAFT_DEFAULT (sizeof draft_default / sizeof draft_default[0])

/* What the command was asked for, and what it loaded to answer. */
typedef struct job {
    const cli_args *args;
    bool draft;
    iotnet_table_kind kinds[CLI_MAX_MANY];
    size_t count;
    iotnet_net *net;
    iotnet_catalog *cat;
    iotnet_findings *findings;
    iotnet_table *tables[CLI_MAX_MANY];
    int64_t date; /* --now, the draft's date; IOTNET_TIME_UNSET for today */
} job;

static bool is_draft(const char *format)
{
    return strncmp(format, "draft-", 6) == 0;
}

static int parse_kinds(job *j)
{
    const cli_args *a = j->args;
    if (a->table_count == 0) {
        if (j->draft)
            for (size_t i = 0; i < DRAFT_DEFAULT; i++)
                j->kinds[j->count++] = draft_default[i];
        else
            j->kinds[j->count++] = IOTNET_TABLE_FINDINGS;
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < a->table_count; i++) {
        size_t k = 0;
        while (k < KIND_NAMES && strcmp(kind_names[k].name, a->tables[i]) != 0)
            k++;
        if (k == KIND_NAMES)
            return cli_usage_error(a->command, "unknown table '%s' (choose findings, threats, exposure, zones)",
                                   a->tables[i]);
        for (size_t seen = 0; seen < j->count; seen++)
            if (j->kinds[seen] == kind_names[k].kind)
                return cli_usage_error(a->command, "table '%s' is named twice", a->tables[i]);
        j->kinds[j->count++] = kind_names[k].kind;
    }
    return CLI_EXIT_OK;
}

/* The per-table options name columns of one kind: they need a single table. */
static int check_combination(const job *j)
{
    const cli_args *a = j->args;
    if (!j->draft && j->count > 1)
        return cli_usage_error(a->command, "--format %s writes one table: give one --table (or a draft format)",
                               a->format);
    bool per_table = a->columns || a->sort || a->group || a->anchor;
    if (j->count > 1 && per_table)
        return cli_usage_error(a->command, "--columns, --sort, --group and --anchor need a single --table");
    if (!j->draft && (a->author || a->docname))
        return cli_usage_error(a->command, "--author and --docname are for the draft formats");
    return CLI_EXIT_OK;
}

static bool wants(const job *j, iotnet_table_kind kind)
{
    for (size_t i = 0; i < j->count; i++)
        if (j->kinds[i] == kind)
            return true;
    return false;
}

/* The model, and the catalogs and findings when a table needs them (the
   whole catalog's threats with --all need no analysis). */
static int load_inputs(job *j)
{
    const cli_args *a = j->args;
    const char *path = a->operands[0];
    if (cli_open_model(&j->net, a, path) != CLI_EXIT_OK)
        return CLI_EXIT_INVALID;
    bool threats = wants(j, IOTNET_TABLE_THREATS);
    if (!wants(j, IOTNET_TABLE_FINDINGS) && !threats)
        return CLI_EXIT_OK;
    int rc = cli_load_catalogs(&j->cat, a);
    if (rc == CLI_EXIT_OK && (wants(j, IOTNET_TABLE_FINDINGS) || !a->all))
        rc = cli_run_analysis(&j->findings, a, j->net, j->cat);
    return rc;
}

static int build_exposure(iotnet_table **out, const job *j, const iotnet_table_options *opts)
{
    iotnet_reach_options ro = IOTNET_REACH_OPTIONS_INIT;
    ro.from = j->args->from_count ? j->args->from[0] : "internet";
    ro.include_unreachable = j->args->all;
    iotnet_reach_result *rows = NULL;
    int error = iotnet_reach(&rows, j->net, &ro);
    if (error == IOTNET_ENOTFOUND && !j->args->from_count) {
        /* a model without an Internet node: the Internet reaches nothing */
        iotnet_table *empty = NULL;
        error = iotnet_table_new(&empty, IOTNET_TABLE_EXPOSURE, iotnet_net_name(j->net));
        if (!error)
            error = iotnet_table_arrange(out, empty, opts);
        iotnet_table_free(empty);
        return error;
    }
    if (!error)
        error = iotnet_table_reach(out, j->net, rows, opts);
    iotnet_reach_result_free(rows);
    return error;
}

static int build_zones(iotnet_table **out, const job *j, const iotnet_table_options *opts)
{
    iotnet_zone_matrix *m = NULL;
    int error = iotnet_zone_matrix_compute(&m, j->net);
    if (!error)
        error = iotnet_table_zone_matrix(out, j->net, m, opts);
    iotnet_zone_matrix_free(m);
    return error;
}

static int build(iotnet_table **out, const job *j, iotnet_table_kind kind)
{
    const cli_args *a = j->args;
    iotnet_table_options opts = IOTNET_TABLE_OPTIONS_INIT;
    opts.columns = a->columns;
    opts.sort = a->sort;
    opts.group = a->group && strcmp(a->group, "none") == 0 ? "" : a->group;
    opts.anchor = a->anchor;
    opts.title = j->draft ? NULL : a->title; /* in a draft, --title is the document's */
    switch (kind) {
    case IOTNET_TABLE_FINDINGS:
        return iotnet_table_findings(out, j->net, j->findings, j->cat, &opts);
    case IOTNET_TABLE_THREATS:
        return iotnet_table_threats(out, j->net, j->cat, j->findings, &opts);
    case IOTNET_TABLE_EXPOSURE:
        return build_exposure(out, j, &opts);
    case IOTNET_TABLE_ZONES:
        return build_zones(out, j, &opts);
    case IOTNET_TABLE_CUSTOM:
        break;
    }
    return IOTNET_EINVAL;
}

static int render(char **out, const job *j)
{
    const char *f = j->args->format;
    if (j->draft) {
        iotnet_draft_options d = IOTNET_DRAFT_OPTIONS_INIT;
        d.title = j->args->title;
        d.author = j->args->author;
        d.docname = j->args->docname;
        d.date = j->date;
        return iotnet_draft_render(out, (const iotnet_table *const *)j->tables, j->count,
                                   strcmp(f, "draft-xml") == 0 ? IOTNET_DRAFT_XML2RFC : IOTNET_DRAFT_MARKDOWN,
                                   &d);
    }
    iotnet_table_format format = strcmp(f, "xml2rfc") == 0    ? IOTNET_TABLE_XML2RFC
                                 : strcmp(f, "markdown") == 0 ? IOTNET_TABLE_MARKDOWN
                                 : strcmp(f, "csv") == 0      ? IOTNET_TABLE_CSV
                                 : strcmp(f, "json") == 0     ? IOTNET_TABLE_JSON
                                                              : IOTNET_TABLE_HTML;
    return iotnet_table_render(out, j->tables[0], format);
}

/* Options the user got wrong (a column, an anchor, a docname) are usage errors. */
static int report(const job *j, int error)
{
    if (error == IOTNET_EINVAL || error == IOTNET_ENOTFOUND)
        return cli_usage_error(j->args->command, "%s", cli_error_message(error));
    fprintf(stderr, "iotnet %s: %s: %s\n", j->args->command, j->args->operands[0], cli_error_message(error));
    return CLI_EXIT_INVALID;
}

static int run_table(const cli_args *args)
{
    job j = {.args = args, .draft = is_draft(args->format), .date = IOTNET_TIME_UNSET};
    char *text = NULL;
    int rc = parse_kinds(&j);
    if (rc == CLI_EXIT_OK)
        rc = check_combination(&j);
    if (rc == CLI_EXIT_OK && args->now && !cli_parse_now(args->now, &j.date))
        rc = cli_usage_error(args->command, "--now '%s': expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ", args->now);
    if (rc == CLI_EXIT_OK)
        rc = load_inputs(&j);
    int error = 0;
    for (size_t i = 0; rc == CLI_EXIT_OK && !error && i < j.count; i++)
        error = build(&j.tables[i], &j, j.kinds[i]);
    if (rc == CLI_EXIT_OK && !error)
        error = render(&text, &j);
    if (rc == CLI_EXIT_OK && error)
        rc = report(&j, error);
    if (rc == CLI_EXIT_OK)
        rc = cli_write_text(args, text, strlen(text));
    iotnet_string_free(text);
    for (size_t i = 0; i < j.count; i++)
        iotnet_table_free(j.tables[i]);
    iotnet_findings_free(j.findings);
    iotnet_catalog_free(j.cat);
    iotnet_net_free(j.net);
    return rc;
}

const cli_command cli_table_command = {
    .name = "table",
    .summary = "result tables for Internet-Drafts (xml2rfc, kramdown-rfc), CSV, JSON, HTML",
    .help =
        "Usage: iotnet table [OPTIONS] MODEL [--table findings|threats|exposure|zones]...\n"
        "\n"
        "Write a table of results, or a whole minimal Internet-Draft made of them:\n"
        "  findings  every threat that applies to the model: status, inherent and\n"
        "            residual risk, mitigations in place\n"
        "  threats   what can go wrong and which technologies fix it: each threat of\n"
        "            the model's findings (with --all: of the whole catalog), its\n"
        "            STRIDE letters and target, each candidate mitigation and its\n"
        "            technologies, references\n"
        "  exposure  what the Internet (or --from SRC) reaches: node, service, flow,\n"
        "            exposure class, entry point and port forward\n"
        "  zones     the zone matrix: services between zones, conduit, violations\n"
        "A single-table format writes the first --table (default findings); a draft\n"
        "has a section for each --table (default: findings, exposure, zones, threats).\n"
        "Anchors come from the table kind and the model's name, so they stay the same\n"
        "from one run to the next.\n"
        "\n"
        "Column keys (* shown by default):\n"
        "  findings  id threat* title target_kind target* status* likelihood impact\n"
        "            inherent_risk residual_likelihood residual_impact residual_risk*\n"
        "            mitigations* accepted_by accepted_reason accepted_until evidence\n"
        "  threats   threat* title* stride* target likelihood impact mitigation*\n"
        "            mitigation_title technologies* references (grouped by threat)\n"
        "  exposure  source node* service* flow* exposure* entry* forward* path\n"
        "            (grouped by node)\n"
        "  zones     from_zone* to_zone* services* conduit* violations* (grouped by\n"
        "            from_zone)\n"
        "\n"
        "Options:\n"
        "  --table KIND            findings, threats, exposure or zones (repeatable for\n"
        "                          a draft)\n"
        "  --format FORMAT         xml2rfc (a v3 <table>, default), markdown (kramdown-rfc),\n"
        "                          draft-xml (a whole xml2rfc v3 draft), draft-markdown\n"
        "                          (a whole kramdown-rfc draft), csv (RFC 4180), json, html\n"
        "  --columns KEYS          the columns to show, in order (comma-separated keys,\n"
        "                          e.g. threat,target,residual_risk); an unknown key is\n"
        "                          an error that lists the table's columns\n"
        "  --sort KEYS             sort by these columns, '-' before a key for\n"
        "                          descending (e.g. -residual_risk,target)\n"
        "  --group KEYS            rows with the same values here share one cell\n"
        "                          (rowspan in xml2rfc and HTML, the value on the first\n"
        "                          row in Markdown); 'none' for no grouping\n"
        "  --anchor ID             the table's anchor instead of the derived one\n"
        "  --title TEXT            the table's title; for a draft, the document's title\n"
        "  --author NAME           a draft's author (default libiotnet)\n"
        "  --docname NAME          a draft's name, draft-...-NN (default from the model)\n"
        "  --from SRC              the exposure table's source (default internet)\n"
        "  --all                   findings: also the threats that do not apply; threats:\n"
        "                          the whole catalog; exposure: also unreachable services\n"
        "  --catalog PATH          also load this catalog file or directory (repeatable)\n"
        "  --no-bundled            load only the --catalog catalogs\n"
        "  --assume MITIGATION[@TARGET]\n"
        "                          take a mitigation as present (repeatable)\n"
        "  --now DATE              judge dates at DATE (YYYY-MM-DD or\n"
        "                          YYYY-MM-DDTHH:MM:SSZ); also a draft's date (default\n"
        "                          today, as xml2rfc expects)\n"
        "  -o, --output FILE       write to FILE (atomically) instead of stdout\n"
        "  --yang-path DIRS        ':'-separated directories with YANG modules that\n"
        "                          extend the kinds\n"
        "  -h, --help              show this help\n"
        "\n"
        "Exit status: 0 the document was written (whatever it shows), 2 usage error\n"
        "(including an unknown column, a bad anchor or docname), 3 the model or a\n"
        "catalog failed to load or the output could not be written.\n",
    .options = CLI_OPT_FORMAT | CLI_OPT_OUTPUT | CLI_OPT_YANG_PATH | CLI_OPT_ALL | CLI_OPT_CATALOG |
               CLI_OPT_ASSUME | CLI_OPT_NO_BUNDLED | CLI_OPT_NOW | CLI_OPT_FROM | CLI_OPT_TABLE |
               CLI_OPT_COLUMNS | CLI_OPT_SORT | CLI_OPT_GROUP | CLI_OPT_ANCHOR | CLI_OPT_TITLE |
               CLI_OPT_AUTHOR | CLI_OPT_DOCNAME,
    .formats = table_formats,
    .min_operands = 1,
    .max_operands = 1,
    .operand_name = "MODEL",
    .run = run_table,
};
