/* iotnet analyze MODEL [--catalog PATH]... [--assume MITIGATION[@TARGET]]... [--all]:
   a threat catalog evaluated against a model, findings by residual risk. */
#include "cli.h"
#include "iotnet/catalog.h"
#include "iotnet/eval.h"

#include <stdlib.h>
#include <string.h>

static const char *const analyze_formats[] = {"text", "json", "csv", "markdown", "xml2rfc", "oscal", "oscal-xml",
                                               NULL};

/* Every field of a finding, for JSON and CSV. */
static const cli_column finding_columns[] = {
    {"id", CLI_CELL_TEXT, NULL},
    {"threat", CLI_CELL_TEXT, NULL},
    {"title", CLI_CELL_TEXT, NULL},
    {"target_kind", CLI_CELL_TEXT, NULL},
    {"target", CLI_CELL_TEXT, NULL},
    {"status", CLI_CELL_TEXT, NULL},
    {"likelihood", CLI_CELL_INT, NULL},
    {"impact", CLI_CELL_INT, NULL},
    {"inherent_risk", CLI_CELL_INT, NULL},
    {"residual_likelihood", CLI_CELL_INT, NULL},
    {"residual_impact", CLI_CELL_INT, NULL},
    {"residual_risk", CLI_CELL_INT, NULL},
    {"mitigations", CLI_CELL_LIST, " "},
    {"accepted_by", CLI_CELL_TEXT, NULL},
    {"accepted_reason", CLI_CELL_TEXT, NULL},
    {"accepted_until", CLI_CELL_TEXT, NULL},
    {"evidence", CLI_CELL_TEXT, NULL},
};
#define FINDING_COLUMNS (sizeof finding_columns / sizeof finding_columns[0])

/* What the text table shows: the columns a reader scans. */
static const cli_column text_columns[] = {
    {"risk", CLI_CELL_INT, NULL},
    {"inherent", CLI_CELL_INT, NULL},
    {"status", CLI_CELL_TEXT, NULL},
    {"threat", CLI_CELL_TEXT, NULL},
    {"target", CLI_CELL_TEXT, NULL},
    {"mitigations", CLI_CELL_LIST, ", "},
};
#define TEXT_COLUMNS (sizeof text_columns / sizeof text_columns[0])

/* ------------------------------------------------------------------ */
/* Output                                                              */

static const char *int_text(char *buf, size_t size, int value)
{
    snprintf(buf, size, "%d", value);
    return buf;
}

/* The title of a finding's threat (borrowed from the catalog), or NULL. */
static const char *threat_title(const iotnet_catalog *cat, const char *threat)
{
    long index = threat ? iotnet_catalog_find_threat(cat, threat) : -1;
    iotnet_threat_info info = {.version = IOTNET_THREAT_INFO_VERSION};
    if (index < 0 || iotnet_catalog_threat(cat, (size_t)index, &info) != 0)
        return NULL;
    return info.title;
}

static int finding_tables(cli_table *full, cli_table *brief, const iotnet_findings *f,
                          const iotnet_catalog *cat)
{
    cli_table_init(full, finding_columns, FINDING_COLUMNS);
    cli_table_init(brief, text_columns, TEXT_COLUMNS);
    size_t count = iotnet_findings_count(f);
    for (size_t i = 0; i < count; i++) {
        iotnet_finding x = {.version = IOTNET_FINDING_VERSION};
        int error = iotnet_findings_get(f, i, &x);
        if (error)
            return error;
        char num[6][16], until[32];
        const char *status = cli_enum_name(IOTNET_ENUM_FINDING_STATUS, (int)x.status, "?");
        const char *cells[FINDING_COLUMNS] = {
            x.id,
            x.threat,
            threat_title(cat, x.threat),
            cli_enum_name(IOTNET_ENUM_TARGET, (int)x.target_kind, "?"),
            x.target,
            status,
            int_text(num[0], sizeof num[0], x.likelihood),
            int_text(num[1], sizeof num[1], x.impact),
            int_text(num[2], sizeof num[2], x.inherent_risk),
            int_text(num[3], sizeof num[3], x.residual_likelihood),
            int_text(num[4], sizeof num[4], x.residual_impact),
            int_text(num[5], sizeof num[5], x.residual_risk),
            x.mitigations,
            x.accepted_by,
            x.accepted_reason,
            cli_date_text(until, sizeof until, x.accepted_until),
            x.evidence,
        };
        const char *short_cells[TEXT_COLUMNS] = {
            num[5], num[2], status, x.threat, x.target, x.mitigations,
        };
        error = cli_table_add(full, cells);
        if (!error)
            error = cli_table_add(brief, short_cells);
        if (error)
            return error;
    }
    return 0;
}

/* The statuses in the order the summary names them. */
static const iotnet_finding_status summary_order[] = {
    IOTNET_FINDING_OPEN, IOTNET_FINDING_MITIGATED, IOTNET_FINDING_ACCEPTED, IOTNET_FINDING_NOT_APPLICABLE,
};
#define SUMMARY_STATUSES (sizeof summary_order / sizeof summary_order[0])

static void summary_text(iotnet__buf *out, const size_t counts[5], size_t total)
{
    iotnet__buf_printf(out, "%zu %s", total, total == 1 ? "finding" : "findings");
    bool first = true;
    for (size_t i = 0; i < SUMMARY_STATUSES; i++) {
        size_t n = counts[summary_order[i]];
        if (!n)
            continue;
        iotnet__buf_printf(out, "%s%zu %s", first ? ": " : ", ", n,
                           cli_enum_name(IOTNET_ENUM_FINDING_STATUS, (int)summary_order[i], "?"));
        first = false;
    }
    iotnet__buf_puts(out, "\n");
}

static void render(iotnet__buf *out, const cli_args *args, const cli_table *full, const cli_table *brief,
                   const size_t counts[5])
{
    if (strcmp(args->format, "json") == 0) {
        cli_json j = {.b = out};
        cli_json_begin_object(&j, NULL);
        cli_table_json(full, &j, "findings");
        cli_json_begin_object(&j, "summary");
        cli_json_int(&j, "total", (long long)full->rows);
        for (size_t i = 0; i < SUMMARY_STATUSES; i++)
            cli_json_int(&j, cli_enum_name(IOTNET_ENUM_FINDING_STATUS, (int)summary_order[i], "?"),
                         (long long)counts[summary_order[i]]);
        cli_json_end_object(&j);
        cli_json_end_object(&j);
        if (full->failed)
            out->failed = 1;
    } else if (strcmp(args->format, "csv") == 0) {
        cli_table_render(full, "csv", out);
    } else {
        if (brief->rows) {
            cli_table_render(brief, "text", out);
            iotnet__buf_puts(out, "\n");
        }
        summary_text(out, counts, brief->rows);
    }
}

/* A note on stderr for each risk decision of the model that names no finding:
   it accepts nothing (a renamed threat, a removed element). */
static void note_unmatched_decisions(const cli_args *args, const iotnet_net *net, const iotnet_findings *f)
{
    size_t decisions = iotnet_risk_decision_count(net), count = iotnet_findings_count(f);
    for (size_t d = 0; d < decisions; d++) {
        iotnet_risk_decision rd = {.version = IOTNET_RISK_DECISION_VERSION};
        if (iotnet_risk_decision_get(net, d, &rd) != 0 || !rd.finding)
            continue;
        bool found = false;
        for (size_t i = 0; i < count && !found; i++) {
            iotnet_finding x = {.version = IOTNET_FINDING_VERSION};
            found = iotnet_findings_get(f, i, &x) == 0 && x.id && strcmp(x.id, rd.finding) == 0;
        }
        if (!found)
            fprintf(stderr, "iotnet %s: note: the risk decision on %s accepts no finding\n", args->command,
                    rd.finding);
    }
}

/* ------------------------------------------------------------------ */

int cli_run_analysis(iotnet_findings **out, const cli_args *args, const iotnet_net *net,
                     const iotnet_catalog *cat)
{
    iotnet_analyze_options opts = IOTNET_ANALYZE_OPTIONS_INIT;
    opts.include_not_applicable = args->all;
    if (args->now && !cli_parse_now(args->now, &opts.now))
        return cli_usage_error(args->command, "--now '%s': expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ",
                               args->now);
    iotnet_assumption assume[CLI_MAX_MANY];
    char *store[CLI_MAX_MANY] = {0};
    int rc = cli_parse_assumptions(args, assume, store);
    opts.assume = args->assume_count ? assume : NULL;
    opts.assume_count = args->assume_count;
    int error = rc == CLI_EXIT_OK ? iotnet_analyze(out, net, cat, &opts) : 0;
    if (error == IOTNET_EINVAL) {
        rc = cli_usage_error(args->command, "%s", cli_error_message(error));
    } else if (error) {
        fprintf(stderr, "iotnet %s: %s: %s\n", args->command, args->operands[0], cli_error_message(error));
        rc = CLI_EXIT_INVALID;
    }
    for (size_t i = 0; i < args->assume_count; i++)
        free(store[i]);
    return rc;
}

/* The findings as an xml2rfc or Markdown table (the table command's defaults),
   or as OSCAL assessment results. */
static int render_document(iotnet__buf *out, const cli_args *args, const iotnet_net *net,
                           const iotnet_findings *findings, const iotnet_catalog *cat)
{
    if (strncmp(args->format, "oscal", 5) == 0)
        return cli_oscal_assessment_results(out, args, net, cat, findings);
    iotnet_table *t = NULL;
    char *text = NULL;
    bool xml = strcmp(args->format, "xml2rfc") == 0;
    int error = iotnet_table_findings(&t, net, findings, cat, NULL);
    if (!error)
        error = iotnet_table_render(&text, t, xml ? IOTNET_TABLE_XML2RFC : IOTNET_TABLE_MARKDOWN);
    if (!error)
        iotnet__buf_puts(out, text);
    iotnet_string_free(text);
    iotnet_table_free(t);
    return error;
}

static bool is_document_format(const char *format)
{
    return strcmp(format, "markdown") == 0 || strcmp(format, "xml2rfc") == 0 || strncmp(format, "oscal", 5) == 0;
}

/* Whether the findings reach --fail-on: an open one (of at least its risk). */
static bool findings_fail(const iotnet_findings *f, const cli_fail_on *fail_on)
{
    if (fail_on->kind == CLI_FAIL_NEVER)
        return false;
    size_t count = iotnet_findings_count(f);
    for (size_t i = 0; i < count; i++) {
        iotnet_finding x = {.version = IOTNET_FINDING_VERSION};
        if (iotnet_findings_get(f, i, &x) == 0 && x.status == IOTNET_FINDING_OPEN &&
            (fail_on->kind != CLI_FAIL_RISK || x.residual_risk >= fail_on->risk))
            return true;
    }
    return false;
}

int cli_run_analyze(const cli_args *args, const cli_fail_on *fail_on)
{
    const char *path = args->operands[0];
    iotnet_net *net = NULL;
    iotnet_catalog *cat = NULL;
    iotnet_findings *findings = NULL;
    cli_table full = {0}, brief = {0};
    iotnet__buf out = {0};
    size_t counts[5] = {0};
    int rc = CLI_EXIT_OK;
    if (cli_open_model(&net, args, path) != CLI_EXIT_OK) {
        rc = CLI_EXIT_INVALID;
        goto cleanup;
    }
    rc = cli_load_catalogs(&cat, args);
    if (rc == CLI_EXIT_OK)
        rc = cli_run_analysis(&findings, args, net, cat);
    if (rc != CLI_EXIT_OK)
        goto cleanup;
    int error = is_document_format(args->format) ? render_document(&out, args, net, findings, cat)
                                                 : finding_tables(&full, &brief, findings, cat);
    if (error == IOTNET_EINVAL) { /* what the command line asked for (an unknown framework) */
        rc = cli_usage_error(args->command, "%s", cli_error_message(error));
        goto cleanup;
    }
    if (error) {
        fprintf(stderr, "iotnet %s: %s: %s\n", args->command, path, cli_error_message(error));
        rc = CLI_EXIT_INVALID;
        goto cleanup;
    }
    iotnet_findings_summary(findings, counts);
    note_unmatched_decisions(args, net, findings);
    if (!is_document_format(args->format))
        render(&out, args, &full, &brief, counts);
    rc = cli_write_output(args, &out);
    if (rc == CLI_EXIT_OK)
        rc = cli_findings_exit(findings_fail(findings, fail_on));

cleanup:
    iotnet__buf_free(&out);
    cli_table_free(&full);
    cli_table_free(&brief);
    iotnet_findings_free(findings);
    iotnet_catalog_free(cat);
    iotnet_net_free(net);
    return rc;
}

static int run_analyze(const cli_args *args)
{
    cli_fail_on fail_on;
    int rc = cli_parse_fail_on(&fail_on, args,
                               CLI_FAIL_ALLOWS(CLI_FAIL_NEVER) | CLI_FAIL_ALLOWS(CLI_FAIL_OPEN) |
                                   CLI_FAIL_ALLOWS(CLI_FAIL_RISK));
    return rc == CLI_EXIT_OK ? cli_run_analyze(args, &fail_on) : rc;
}

const cli_command cli_analyze_command = {
    .name = "analyze",
    .summary = "evaluate threat catalogs against a model: findings, status and risk",
    .help =
        "Usage: iotnet analyze [OPTIONS] MODEL [--catalog PATH]... [--assume MITIGATION[@TARGET]]...\n"
        "\n"
        "Evaluate the bundled threat catalog (and any given with --catalog) against the\n"
        "model. Every threat whose condition holds on a node, service, link, zone or\n"
        "conduit gives a finding 'threat@target' with a status: open, mitigated (a\n"
        "candidate mitigation is present, or assumed with --assume), accepted (a risk\n"
        "decision in the model accepts it and has not expired) or, with --all,\n"
        "not-applicable. Risk is likelihood x impact (1..25); the residual risk counts\n"
        "the present mitigations. Findings are listed highest residual risk first,\n"
        "with a summary of the counts by status. A risk decision of the model that\n"
        "names no finding is noted on stderr: it accepts nothing.\n"
        "\n"
        "Options:\n"
        "  --catalog PATH          also load this catalog file, or every *.xml of this\n"
        "                          directory (repeatable); ids must not repeat\n"
        "  --no-bundled            load only the --catalog catalogs, not the bundled ones\n"
        "  --assume MITIGATION[@TARGET]\n"
        "                          take a mitigation as present on TARGET (a node,\n"
        "                          node/service, link, zone or conduit id), or wherever\n"
        "                          it is a candidate (repeatable): what-if questions\n"
        "  --all                   also list the threats that do not apply\n"
        "  --now DATE              judge dates and risk acceptances at DATE (YYYY-MM-DD\n"
        "                          or YYYY-MM-DDTHH:MM:SSZ) instead of the clock\n"
        "  --fail-on WHAT          what exits 1: open (default) any open finding,\n"
        "                          'risk>=N' an open finding of residual risk N (1..25)\n"
        "                          or more (quoted for the shell), never nothing (exit\n"
        "                          0 once written)\n"
        "  --format text|json|csv|markdown|xml2rfc\n"
        "                          a table and a summary line (default), a JSON object\n"
        "                          with \"findings\" (an array) and \"summary\" (counts by\n"
        "                          status), CSV with a header, one row per finding\n"
        "                          (mitigations separated by spaces), or the findings\n"
        "                          table for an Internet-Draft: kramdown-rfc Markdown or\n"
        "                          an xml2rfc v3 <table> ('iotnet table' chooses columns\n"
        "                          and writes whole drafts)\n"
        "  --format oscal|oscal-xml  OSCAL 1.1.2 assessment results in JSON or XML\n"
        "                          (see 'iotnet help oscal')\n"
        "  -o, --output FILE       write to FILE (atomically) instead of stdout\n"
        "  --yang-path DIRS        ':'-separated directories with YANG modules that\n"
        "                          extend the kinds\n"
        "  -h, --help              show this help\n"
        "\n"
        "Exit status: 0 no finding at or above --fail-on, 1 findings at or above it,\n"
        "2 usage error (including an unknown --assume mitigation or target), 3 the\n"
        "model or a catalog failed to load, or the output could not be written.\n",
    .options = CLI_OPT_FORMAT | CLI_OPT_OUTPUT | CLI_OPT_YANG_PATH | CLI_OPT_ALL | CLI_OPT_CATALOG |
               CLI_OPT_ASSUME | CLI_OPT_NO_BUNDLED | CLI_OPT_NOW | CLI_OPT_FAIL_ON,
    .formats = analyze_formats,
    .min_operands = 1,
    .max_operands = 1,
    .operand_name = "MODEL",
    .run = run_analyze,
};
