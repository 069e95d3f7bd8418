/* iotnet compliance MODEL --framework NAME: the model's evidence mapped to
   the controls of a framework, the IEC 62443 zone levels, and the ISO/IEC
   27001:2022 statement of applicability. */
#include "cli.h"
#include "iotnet/comply.h"

#include <stdlib.h>
#include <string.h>

static const char *const compliance_formats[] = {"text", "json", "csv", "soa", "oscal", "oscal-xml", NULL};

#define ISO27001 "iso27001-2022"

/* The statuses in the order summaries name them. */
static const iotnet_control_status status_order[] = {
    IOTNET_CONTROL_ADDRESSED, IOTNET_CONTROL_PARTIAL,       IOTNET_CONTROL_GAP,
    IOTNET_CONTROL_NOT_APPLICABLE, IOTNET_CONTROL_NOT_ASSESSED,
};
#define STATUSES (sizeof status_order / sizeof status_order[0])

static const char *status_name(iotnet_control_status s)
{
    return cli_enum_name(IOTNET_ENUM_CONTROL_STATUS, (int)s, "?");
}

/* "A.5.1" for an ISO/IEC 27001 Annex A control, the id as written otherwise. */
static const char *display_id(char *buf, size_t size, const char *framework, const char *id)
{
    if (strcmp(framework, ISO27001) != 0)
        return id;
    snprintf(buf, size, "A.%s", id);
    return buf;
}

static const char *bare(const char *id)
{
    const char *colon = id ? strchr(id, ':') : NULL;
    return colon ? colon + 1 : id;
}

/* ------------------------------------------------------------------ */
/* Evidence and findings as text                                       */

/* "mitigation@target" words (mitigation ids without their namespace). */
static void evidence_words(iotnet__buf *b, const iotnet_compliance *c, size_t i, size_t count)
{
    for (size_t k = 0; k < count; k++) {
        iotnet_control_evidence e = {.version = IOTNET_CONTROL_EVIDENCE_VERSION};
        if (iotnet_compliance_evidence(c, i, k, &e) == 0)
            iotnet__buf_printf(b, "%s%s@%s%s", b->len ? " " : "", bare(e.mitigation), e.target,
                               e.assumed ? "(assumed)" : "");
    }
}

/* The ids of the control's findings with this status, space-separated. */
static void finding_words(iotnet__buf *b, const iotnet_compliance *c, size_t i, size_t count,
                          iotnet_finding_status status)
{
    for (size_t k = 0; k < count; k++) {
        iotnet_control_finding f = {.version = IOTNET_CONTROL_FINDING_VERSION};
        if (iotnet_compliance_finding(c, i, k, &f) == 0 && f.status == status)
            iotnet__buf_printf(b, "%s%s", b->len ? " " : "", f.id);
    }
}

/* ------------------------------------------------------------------ */
/* Tables                                                              */

static const cli_column control_columns[] = {
    {"id", CLI_CELL_TEXT, NULL},
    {"title", CLI_CELL_TEXT, NULL},
    {"group", CLI_CELL_TEXT, NULL},
    {"status", CLI_CELL_TEXT, NULL},
    {"reason", CLI_CELL_TEXT, NULL},
    {"mitigations", CLI_CELL_LIST, " "},
    {"evidence", CLI_CELL_LIST, " "},
    {"findings", CLI_CELL_INT, NULL},
    {"open", CLI_CELL_LIST, " "},
    {"accepted", CLI_CELL_LIST, " "},
};
#define CONTROL_COLUMNS (sizeof control_columns / sizeof control_columns[0])

static const cli_column brief_columns[] = {
    {"id", CLI_CELL_TEXT, NULL},
    {"status", CLI_CELL_TEXT, NULL},
    {"open", CLI_CELL_TEXT, NULL},
    {"evidence", CLI_CELL_INT, NULL},
    {"title", CLI_CELL_TEXT, NULL},
};
#define BRIEF_COLUMNS (sizeof brief_columns / sizeof brief_columns[0])

static const cli_column level_columns[] = {
    {"zone", CLI_CELL_TEXT, NULL},
    {"fr", CLI_CELL_INT, NULL},
    {"target", CLI_CELL_INT, NULL},
    {"achieved", CLI_CELL_INT, NULL},
    {"gap", CLI_CELL_TEXT, NULL},
    {"limiting", CLI_CELL_LIST, " "},
    {"reason", CLI_CELL_TEXT, NULL},
};
#define LEVEL_COLUMNS (sizeof level_columns / sizeof level_columns[0])

/* The text table leaves the reason to JSON and CSV. */
#define LEVEL_TEXT_COLUMNS (LEVEL_COLUMNS - 1)

static int add_control(cli_table *full, cli_table *brief, const iotnet_compliance *c, size_t i)
{
    iotnet_control_result r = {.version = IOTNET_CONTROL_RESULT_VERSION};
    int error = iotnet_compliance_get(c, i, &r);
    if (error)
        return error;
    iotnet__buf words = {0}, open = {0}, accepted = {0};
    evidence_words(&words, c, i, r.evidence_count);
    finding_words(&open, c, i, r.finding_count, IOTNET_FINDING_OPEN);
    finding_words(&accepted, c, i, r.finding_count, IOTNET_FINDING_ACCEPTED);
    char id[80], count[24], opened[48], pairs[24];
    const char *shown = display_id(id, sizeof id, iotnet_compliance_framework(c), r.id);
    snprintf(count, sizeof count, "%zu", r.finding_count);
    snprintf(opened, sizeof opened, "%zu/%zu", r.open_count, r.finding_count);
    snprintf(pairs, sizeof pairs, "%zu", r.evidence_count);
    const char *status = status_name(r.status);
    const char *full_cells[CONTROL_COLUMNS] = {
        shown, r.title, r.group, status, r.reason, r.mitigations, words.data ? words.data : "", count,
        open.data ? open.data : "", accepted.data ? accepted.data : "",
    };
    const char *brief_cells[BRIEF_COLUMNS] = {shown, status, opened, pairs, r.title};
    if (words.failed || open.failed || accepted.failed)
        error = IOTNET_ENOMEM;
    if (!error)
        error = cli_table_add(full, full_cells);
    if (!error)
        error = cli_table_add(brief, brief_cells);
    iotnet__buf_free(&words);
    iotnet__buf_free(&open);
    iotnet__buf_free(&accepted);
    return error;
}

static int add_levels(cli_table *t, cli_table *text, const iotnet_compliance *c)
{
    for (size_t i = 0; i < iotnet_compliance_zone_level_count(c); i++) {
        iotnet_zone_level l = {.version = IOTNET_ZONE_LEVEL_VERSION};
        int error = iotnet_compliance_zone_level(c, i, &l);
        if (error)
            return error;
        char fr[8], target[8], achieved[8];
        snprintf(fr, sizeof fr, "%d", l.fr);
        snprintf(target, sizeof target, "%d", l.target);
        snprintf(achieved, sizeof achieved, "%d", l.achieved);
        const char *cells[LEVEL_COLUMNS] = {l.zone, fr, target, achieved, l.gap ? "yes" : "no", l.limiting, l.reason};
        if ((error = cli_table_add(t, cells)) || (error = cli_table_add(text, cells)))
            return error;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* JSON: each control with its evidence and findings as arrays         */

/* A space-separated list as a JSON array of strings. */
static void json_words(cli_json *j, const char *key, const char *words)
{
    cli_json_begin_array(j, key);
    for (const char *p = words; p && *p;) {
        size_t n = strcspn(p, " ");
        char word[300];
        snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word ? n : sizeof word - 1), p);
        cli_json_string(j, NULL, word);
        p += n;
        p += strspn(p, " ");
    }
    cli_json_end_array(j);
}

static void json_evidence(cli_json *j, const iotnet_compliance *c, size_t i, size_t count)
{
    cli_json_begin_array(j, "evidence");
    for (size_t k = 0; k < count; k++) {
        iotnet_control_evidence e = {.version = IOTNET_CONTROL_EVIDENCE_VERSION};
        if (iotnet_compliance_evidence(c, i, k, &e) != 0)
            continue;
        cli_json_begin_object(j, NULL);
        cli_json_string(j, "mitigation", e.mitigation);
        cli_json_string(j, "target_kind", cli_enum_name(IOTNET_ENUM_TARGET, (int)e.target_kind, "?"));
        cli_json_string(j, "target", e.target);
        cli_json_bool(j, "assumed", e.assumed);
        cli_json_end_object(j);
    }
    cli_json_end_array(j);
}

static void json_findings(cli_json *j, const iotnet_compliance *c, size_t i, size_t count)
{
    cli_json_begin_array(j, "findings");
    for (size_t k = 0; k < count; k++) {
        iotnet_control_finding f = {.version = IOTNET_CONTROL_FINDING_VERSION};
        if (iotnet_compliance_finding(c, i, k, &f) != 0)
            continue;
        char until[32];
        cli_json_begin_object(j, NULL);
        cli_json_string(j, "id", f.id);
        cli_json_string(j, "threat", f.threat);
        cli_json_string(j, "target", f.target);
        cli_json_string(j, "status", cli_enum_name(IOTNET_ENUM_FINDING_STATUS, (int)f.status, "?"));
        cli_json_int(j, "residual_risk", f.residual_risk);
        json_words(j, "mitigations", f.mitigations);
        cli_json_string(j, "accepted_by", f.accepted_by);
        cli_json_string(j, "accepted_reason", f.accepted_reason);
        cli_json_string(j, "accepted_until", cli_date_text(until, sizeof until, f.accepted_until));
        cli_json_end_object(j);
    }
    cli_json_end_array(j);
}

static void json_control(cli_json *j, const iotnet_compliance *c, size_t i)
{
    iotnet_control_result r = {.version = IOTNET_CONTROL_RESULT_VERSION};
    if (iotnet_compliance_get(c, i, &r) != 0)
        return;
    cli_json_begin_object(j, NULL);
    cli_json_string(j, "id", r.id);
    cli_json_string(j, "title", r.title);
    cli_json_string(j, "group", r.group);
    cli_json_string(j, "status", status_name(r.status));
    cli_json_string(j, "reason", r.reason);
    if (r.min_sl)
        cli_json_int(j, "min_sl", r.min_sl);
    json_words(j, "mitigations", r.mitigations);
    json_evidence(j, c, i, r.evidence_count);
    json_findings(j, c, i, r.finding_count);
    cli_json_int(j, "open_count", (long long)r.open_count);
    cli_json_int(j, "answered_count", (long long)r.answered_count);
    cli_json_int(j, "accepted_count", (long long)r.accepted_count);
    cli_json_end_object(j);
}

static void render_json(iotnet__buf *out, const iotnet_compliance *c, const cli_table *levels,
                        const size_t summary[IOTNET_CONTROL_STATUS_SLOTS])
{
    cli_json j = {.b = out};
    cli_json_begin_object(&j, NULL);
    cli_json_string(&j, "framework", iotnet_compliance_framework(c));
    cli_json_begin_array(&j, "controls");
    for (size_t i = 0; i < iotnet_compliance_count(c); i++)
        json_control(&j, c, i);
    cli_json_end_array(&j);
    cli_json_begin_object(&j, "summary");
    cli_json_int(&j, "total", (long long)iotnet_compliance_count(c));
    for (size_t s = 0; s < STATUSES; s++)
        cli_json_int(&j, status_name(status_order[s]), (long long)summary[status_order[s]]);
    cli_json_end_object(&j);
    if (levels->rows)
        cli_table_json(levels, &j, "zone_levels");
    cli_json_end_object(&j);
    if (levels->failed)
        out->failed = 1;
}

static void summary_text(iotnet__buf *out, const iotnet_compliance *c, const size_t summary[IOTNET_CONTROL_STATUS_SLOTS])
{
    size_t total = iotnet_compliance_count(c);
    iotnet__buf_printf(out, "%s: %zu %s", iotnet_compliance_framework(c), total, total == 1 ? "control" : "controls");
    bool first = true;
    for (size_t s = 0; s < STATUSES; s++) {
        size_t n = summary[status_order[s]];
        if (!n)
            continue;
        iotnet__buf_printf(out, "%s%zu %s", first ? ": " : ", ", n, status_name(status_order[s]));
        first = false;
    }
    iotnet__buf_puts(out, "\n");
}

static void render(iotnet__buf *out, const cli_args *args, const iotnet_compliance *c, const cli_table *full,
                   const cli_table *brief, const cli_table *levels, const cli_table *level_text)
{
    size_t summary[IOTNET_CONTROL_STATUS_SLOTS];
    iotnet_compliance_summary(c, summary);
    if (strcmp(args->format, "json") == 0) {
        render_json(out, c, levels, summary);
    } else if (strcmp(args->format, "csv") == 0) {
        cli_table_render(full, "csv", out);
    } else if (strcmp(args->format, "soa") == 0) {
        char *soa = NULL;
        if (iotnet_compliance_soa(c, &soa) == 0)
            iotnet__buf_puts(out, soa);
        else
            out->failed = 1;
        iotnet_string_free(soa);
    } else {
        cli_table_render(brief, "text", out);
        iotnet__buf_puts(out, "\n");
        if (level_text->rows) {
            cli_table_render(level_text, "text", out);
            iotnet__buf_puts(out, "\n");
        }
        summary_text(out, c, summary);
    }
}

/* ------------------------------------------------------------------ */

static int compute(iotnet_compliance **out, const cli_args *args, const iotnet_net *net, const iotnet_catalog *cat)
{
    iotnet_compliance_options opts = IOTNET_COMPLIANCE_OPTIONS_INIT;
    if (args->now && !cli_parse_now(args->now, &opts.now))
        return cli_usage_error(args->command, "--now '%s': expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ", args->now);
    iotnet_assumption assume[CLI_MAX_MANY];
    char *store[CLI_MAX_MANY] = {0};
    int rc = cli_parse_assumptions(args, assume, store);
    opts.assume = args->assume_count ? assume : NULL;
    opts.assume_count = args->assume_count;
    if (rc == CLI_EXIT_OK) {
        int error = iotnet_compliance_compute(out, net, cat, args->framework, &opts);
        if (error == IOTNET_EINVAL)
            rc = cli_usage_error(args->command, "%s", cli_error_message(error));
        else if (error) {
            fprintf(stderr, "iotnet %s: %s: %s\n", args->command, args->operands[0], cli_error_message(error));
            rc = CLI_EXIT_INVALID;
        }
    }
    for (size_t i = 0; i < args->assume_count; i++)
        free(store[i]);
    return rc;
}

/* Whether the controls reach --fail-on: a gap, or an open finding of a
   control (of at least its risk; such a control is a gap or partially addressed). */
static bool controls_fail(const iotnet_compliance *c, const cli_fail_on *fail_on)
{
    size_t summary[IOTNET_CONTROL_STATUS_SLOTS];
    iotnet_compliance_summary(c, summary);
    switch (fail_on->kind) {
    case CLI_FAIL_NEVER:
        return false;
    case CLI_FAIL_GAP:
        return summary[IOTNET_CONTROL_GAP] != 0;
    case CLI_FAIL_OPEN:
        return summary[IOTNET_CONTROL_GAP] || summary[IOTNET_CONTROL_PARTIAL];
    case CLI_FAIL_RISK:
        break;
    }
    for (size_t i = 0; i < iotnet_compliance_count(c); i++) {
        iotnet_control_result r = {.version = IOTNET_CONTROL_RESULT_VERSION};
        if (iotnet_compliance_get(c, i, &r) != 0)
            continue;
        for (size_t k = 0; k < r.finding_count; k++) {
            iotnet_control_finding f = {.version = IOTNET_CONTROL_FINDING_VERSION};
            if (iotnet_compliance_finding(c, i, k, &f) == 0 && f.status == IOTNET_FINDING_OPEN &&
                f.residual_risk >= fail_on->risk)
                return true;
        }
    }
    return false;
}

static int run_compliance(const cli_args *args)
{
    if (!args->framework)
        return cli_usage_error(args->command, "--framework is required (iso27001-2022, iec62443-3-3, etsi-en303645 "
                                              "or nistir8259a)");
    if (strcmp(args->format, "soa") == 0 && strcmp(args->framework, ISO27001) != 0)
        return cli_usage_error(args->command, "--format soa is the ISO/IEC 27001:2022 statement of applicability: "
                                              "use it with --framework " ISO27001);
    cli_fail_on fail_on;
    int rc = cli_parse_fail_on(&fail_on, args,
                               CLI_FAIL_ALLOWS(CLI_FAIL_NEVER) | CLI_FAIL_ALLOWS(CLI_FAIL_OPEN) |
                                   CLI_FAIL_ALLOWS(CLI_FAIL_RISK) | CLI_FAIL_ALLOWS(CLI_FAIL_GAP));
    if (rc != CLI_EXIT_OK)
        return rc;
    if (strncmp(args->format, "oscal", 5) == 0 && fail_on.kind == CLI_FAIL_GAP)
        return cli_usage_error(args->command, "--fail-on gap needs the controls' statuses, which --format %s "
                                              "does not compute: use open or risk>=N",
                               args->format);
    if (strncmp(args->format, "oscal", 5) == 0)
        return cli_run_analyze(args, &fail_on); /* assessment results with this framework's controls */
    const char *path = args->operands[0];
    iotnet_net *net = NULL;
    iotnet_catalog *cat = NULL;
    iotnet_compliance *c = NULL;
    cli_table full = {0}, brief = {0}, levels = {0}, level_text = {0};
    cli_table_init(&full, control_columns, CONTROL_COLUMNS);
    cli_table_init(&brief, brief_columns, BRIEF_COLUMNS);
    cli_table_init(&levels, level_columns, LEVEL_COLUMNS);
    cli_table_init(&level_text, level_columns, LEVEL_TEXT_COLUMNS);
    iotnet__buf out = {0};
    if (cli_open_model(&net, args, path) != CLI_EXIT_OK) {
        rc = CLI_EXIT_INVALID;
        goto cleanup;
    }
    if ((rc = cli_load_catalogs(&cat, args)) != CLI_EXIT_OK || (rc = compute(&c, args, net, cat)) != CLI_EXIT_OK)
        goto cleanup;
    int error = 0;
    for (size_t i = 0; i < iotnet_compliance_count(c) && !error; i++)
        error = add_control(&full, &brief, c, i);
    if (!error)
        error = add_levels(&levels, &level_text, c);
    if (error) {
        fprintf(stderr, "iotnet %s: %s: %s\n", args->command, path, cli_error_message(error));
        rc = CLI_EXIT_INVALID;
        goto cleanup;
    }
    render(&out, args, c, &full, &brief, &levels, &level_text);
    rc = cli_write_output(args, &out);
    if (rc == CLI_EXIT_OK)
        rc = cli_findings_exit(controls_fail(c, &fail_on));

cleanup:
    iotnet__buf_free(&out);
    cli_table_free(&full);
    cli_table_free(&brief);
    cli_table_free(&levels);
    cli_table_free(&level_text);
    iotnet_compliance_free(c);
    iotnet_catalog_free(cat);
    iotnet_net_free(net);
    return rc;
}

const cli_command cli_compliance_command = {
    .name = "compliance",
    .summary = "map the model's evidence to the controls of a framework",
    .help =
        "Usage: iotnet compliance [OPTIONS] MODEL --framework FRAMEWORK\n"
        "\n"
        "Map what the model shows to the controls of a compliance framework:\n"
        "iso27001-2022 (ISO/IEC 27001:2022 Annex A), iec62443-3-3, etsi-en303645 or\n"
        "nistir8259a (or a framework of a --catalog). The threats are evaluated as by\n"
        "'iotnet analyze'; a control's mitigations are those whose catalog entry names\n"
        "it. Every control of the framework is listed with a status:\n"
        "  addressed            none of the findings it would answer is open, and its\n"
        "                       mitigations are present in the model\n"
        "  partially-addressed  some are open, though its mitigations are present\n"
        "  gap                  some are open and none of its mitigations is present\n"
        "  not-applicable       none is open and none of its mitigations is present\n"
        "  not-assessed         no mitigation evidences it: outside what a network\n"
        "                       model shows (policies, people, premises)\n"
        "with the reason, the (mitigation, target) evidence and the findings behind\n"
        "it. For iec62443-3-3 a second table gives, per zone and foundational\n"
        "requirement FR 1..7, the zone's target security level against the level\n"
        "the evidence achieves (see comply.h for the rules).\n"
        "\n"
        "Options:\n"
        "  --framework NAME        the framework (required)\n"
        "  --catalog PATH          also load this catalog file, or every *.xml of this\n"
        "                          directory (repeatable); ids must not repeat\n"
        "  --no-bundled            load only the --catalog catalogs, not the bundled ones\n"
        "  --assume MITIGATION[@TARGET]\n"
        "                          take a mitigation as present on TARGET, or wherever\n"
        "                          it is a candidate (repeatable): what-if questions\n"
        "  --now DATE              judge dates and risk acceptances at DATE (YYYY-MM-DD\n"
        "                          or YYYY-MM-DDTHH:MM:SSZ) instead of the clock\n"
        "  --fail-on WHAT          what exits 1: open (default) a control with an open\n"
        "                          finding (a gap or partially addressed), gap a\n"
        "                          control that is a gap, 'risk>=N' a control with an\n"
        "                          open finding of residual risk N (1..25) or more\n"
        "                          (quoted for the shell), never nothing (exit 0 once\n"
        "                          written)\n"
        "  --format text|json|csv|soa\n"
        "                          a table of the controls (and the zone levels) with a\n"
        "                          summary line (default); a JSON object with\n"
        "                          \"framework\", \"controls\" (each with its evidence and\n"
        "                          findings), \"summary\" and, for iec62443-3-3,\n"
        "                          \"zone_levels\"; CSV, one row per control; or soa,\n"
        "                          the ISO/IEC 27001:2022 statement of applicability\n"
        "                          (with --framework iso27001-2022): RFC 4180 CSV,\n"
        "                          UTF-8, a header row and one row per Annex A control\n"
        "                          (control, title, theme, applicable, justification,\n"
        "                          implementation_status, evidence, open_findings)\n"
        "  --format oscal|oscal-xml  OSCAL 1.1.2 assessment results with this\n"
        "                          framework's controls as findings (as 'iotnet oscal\n"
        "                          assessment-results'; --fail-on open or risk>=N\n"
        "                          judge the findings, as analyze)\n"
        "  -o, --output FILE       write to FILE (atomically) instead of stdout\n"
        "  --yang-path DIRS        ':'-separated directories with YANG modules that\n"
        "                          extend the kinds\n"
        "  -h, --help              show this help\n"
        "\n"
        "Exit status: 0 no control at or above --fail-on, 1 controls at or above it\n"
        "(by default a gap or partially addressed: findings it would answer are open),\n"
        "2 usage error (including an unknown framework, --assume mitigation or target),\n"
        "3 the model or a catalog failed to load, or the output could not be written.\n",
    .options = CLI_OPT_FORMAT | CLI_OPT_OUTPUT | CLI_OPT_YANG_PATH | CLI_OPT_CATALOG | CLI_OPT_ASSUME |
               CLI_OPT_NO_BUNDLED | CLI_OPT_NOW | CLI_OPT_FRAMEWORK | CLI_OPT_FAIL_ON,
    .formats = compliance_formats,
    .min_operands = 1,
    .max_operands = 1,
    .operand_name = "MODEL",
    .run = run_compliance,
};
