/* iotnet oscal assessment-results|component-definition: OSCAL documents of
   the findings of a model, or of the catalog's mapping of mitigations to
   controls. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char *const oscal_formats[] = {"json", "xml", NULL};

int cli_oscal_assessment_results(iotnet__buf *out, const cli_args *args, const iotnet_net *net,
                                 const iotnet_catalog *cat, const iotnet_findings *findings)
{
    iotnet_oscal_options opts = IOTNET_OSCAL_OPTIONS_INIT;
    opts.format = strcmp(args->format, "oscal-xml") == 0 ? IOTNET_OSCAL_XML : IOTNET_OSCAL_JSON;
    opts.framework = args->framework; /* compliance --framework: its controls only */
    /* the analysis' --now and --assume, which it has already checked */
    if (args->now)
        cli_parse_now(args->now, &opts.now);
    iotnet_assumption assume[CLI_MAX_MANY];
    char *store[CLI_MAX_MANY] = {0};
    int error = cli_parse_assumptions(args, assume, store) == CLI_EXIT_OK ? 0 : IOTNET_ENOMEM;
    opts.assume = args->assume_count ? assume : NULL;
    opts.assume_count = args->assume_count;
    char *text = NULL;
    if (!error)
        error = iotnet_oscal_assessment_results(&text, net, cat, findings, &opts);
    if (!error)
        iotnet__buf_puts(out, text);
    iotnet_string_free(text);
    for (size_t i = 0; i < args->assume_count; i++)
        free(store[i]);
    return error;
}

/* The analysis with its OSCAL output: the same options; a document writer,
   it exits 0 once the document is written, whatever the findings. */
static int run_assessment_results(const cli_args *args)
{
    cli_args analysis = *args;
    analysis.format = strcmp(args->format, "xml") == 0 ? "oscal-xml" : "oscal";
    const cli_fail_on never = {CLI_FAIL_NEVER, 0};
    return cli_run_analyze(&analysis, &never);
}

static int run_component_definition(const cli_args *args)
{
    iotnet_oscal_options opts = IOTNET_OSCAL_OPTIONS_INIT;
    opts.format = strcmp(args->format, "xml") == 0 ? IOTNET_OSCAL_XML : IOTNET_OSCAL_JSON;
    if (args->now && !cli_parse_now(args->now, &opts.now))
        return cli_usage_error(args->command, "--now '%s': expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ",
                               args->now);
    iotnet_catalog *cat = NULL;
    int rc = cli_load_catalogs(&cat, args);
    if (rc != CLI_EXIT_OK)
        return rc;
    char *text = NULL;
    int error = iotnet_oscal_component_definition(&text, cat, &opts);
    if (error) {
        fprintf(stderr, "iotnet %s: %s\n", args->command, cli_error_message(error));
        rc = CLI_EXIT_INVALID;
    } else {
        rc = cli_write_text(args, text, strlen(text));
    }
    iotnet_string_free(text);
    iotnet_catalog_free(cat);
    return rc;
}

static const cli_command oscal_assessment_results_command = {
    .name = "oscal assessment-results",
    .summary = "the findings of a model as OSCAL assessment results",
    .help =
        "Usage: iotnet oscal assessment-results [OPTIONS] MODEL [--catalog PATH]... [--assume M[@T]]...\n"
        "\n"
        "Evaluate the threat catalogs against the model, as 'iotnet analyze' does, and\n"
        "write the findings as NIST OSCAL 1.1.2 assessment results: an observation per\n"
        "finding (evidence, method, the target as subject), a risk per applicable\n"
        "finding (status open, closed when mitigated, deviation-approved when accepted,\n"
        "with the decision in its risk log; likelihood and impact before and after the\n"
        "mitigations in place) and a finding per control the candidate mitigations\n"
        "evidence (satisfied or not). UUIDs are derived from the model's name and the\n"
        "finding ids, so the same model gives the same document but for its timestamps.\n"
        "Same as 'iotnet analyze MODEL --format oscal' (json) or 'oscal-xml' (xml).\n"
        "\n"
        "Options:\n"
        "  --catalog PATH          also load this catalog file or directory (repeatable)\n"
        "  --no-bundled            load only the --catalog catalogs\n"
        "  --assume MITIGATION[@TARGET]  take a mitigation as present (repeatable)\n"
        "  --all                   also record the threats that do not apply\n"
        "  --now DATE              judge dates at DATE and stamp the document with it\n"
        "                          (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ; default the clock)\n"
        "  --format json|xml       OSCAL JSON (default) or XML\n"
        "  -o, --output FILE       write to FILE (atomically) instead of stdout\n"
        "  --yang-path DIRS        ':'-separated directories with YANG modules\n"
        "  -h, --help              show this help\n"
        "\n"
        "Exit status: 0 the document was written (whatever the findings: 'iotnet\n"
        "analyze MODEL --format oscal' exits 1 on open findings), 2 usage error, 3 the\n"
        "model or a catalog failed to load, or the output could not be written.\n",
    .options = CLI_OPT_FORMAT | CLI_OPT_OUTPUT | CLI_OPT_YANG_PATH | CLI_OPT_ALL | CLI_OPT_CATALOG |
               CLI_OPT_ASSUME | CLI_OPT_NO_BUNDLED | CLI_OPT_NOW,
    .formats = oscal_formats,
    .min_operands = 1,
    .max_operands = 1,
    .operand_name = "MODEL",
    .run = run_assessment_results,
};

static const cli_command oscal_component_definition_command = {
    .name = "oscal component-definition",
    .summary = "the catalog's mitigations and the controls they evidence as an OSCAL component definition",
    .help =
        "Usage: iotnet oscal component-definition [OPTIONS] [--catalog PATH]...\n"
        "\n"
        "Write the mitigations of the bundled catalogs (and any given with --catalog) as\n"
        "a NIST OSCAL 1.1.2 component definition: a component per mitigation, with a\n"
        "control-implementation per framework (ISO/IEC 27001:2022, IEC 62443-3-3,\n"
        "ETSI EN 303 645, NISTIR 8259A, or your own) listing the controls it evidences.\n"
        "Control ids: ISO 8.20 is a.8.20, IEC SR 1.1 is sr-1.1, ETSI 5.1-1 is\n"
        "provision-5.1-1, NISTIR 1 is capability-1.\n"
        "\n"
        "Options:\n"
        "  --catalog PATH          also load this catalog file or directory (repeatable)\n"
        "  --no-bundled            load only the --catalog catalogs\n"
        "  --now DATE              the last-modified stamp (default the clock)\n"
        "  --format json|xml       OSCAL JSON (default) or XML\n"
        "  -o, --output FILE       write to FILE (atomically) instead of stdout\n"
        "  -h, --help              show this help\n"
        "\n"
        "Exit status: 0 written, 2 usage error, 3 a catalog failed to load or the\n"
        "output could not be written.\n",
    .options = CLI_OPT_FORMAT | CLI_OPT_OUTPUT | CLI_OPT_CATALOG | CLI_OPT_NO_BUNDLED | CLI_OPT_NOW,
    .formats = oscal_formats,
    .min_operands = 0,
    .max_operands = 0,
    .operand_name = "",
    .run = run_component_definition,
};

static const cli_command *const oscal_subcommands[] = {&oscal_assessment_results_command,
                                                        &oscal_component_definition_command, NULL};

const cli_command cli_oscal_command = {
    .name = "oscal",
    .summary = "OSCAL documents: assessment results of a model, the catalog's component definition",
    .help =
        "Usage: iotnet oscal assessment-results [OPTIONS] MODEL\n"
        "       iotnet oscal component-definition [OPTIONS]\n"
        "\n"
        "Write NIST OSCAL 1.1.2 documents (JSON, or XML with --format xml) for\n"
        "compliance tooling:\n"
        "  assessment-results      the findings of MODEL: observations, risks and a\n"
        "                          finding per control (as analyze --format oscal)\n"
        "  component-definition    the catalog's mitigations and the controls each\n"
        "                          evidences, per framework\n"
        "\n"
        "Run 'iotnet oscal SUBCOMMAND --help' for its options.\n",
    .subcommands = oscal_subcommands,
};
