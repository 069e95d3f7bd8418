/* iotnet validate FILE...: load each file and report it ok or the first error.
   Every file is read once, before any is checked: a threat catalog is checked
   beside the control catalogs named with it, from their copies in memory. */
#include "cli.h"
#include "iotnet/catalog.h"

#include <dirent.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const validate_formats[] = {"text", "json", NULL};

#define MAX_FACTS 4

/* A count that a valid file reports, e.g. 12 nodes. */
typedef struct fact {
    const char *singular;
    const char *plural;
    size_t value;
} fact;

typedef struct validate_result {
    const char *file;
    const char *type;
    bool ok;
    fact facts[MAX_FACTS];
    size_t fact_count;
    /* copies of the error, which the next failure on this thread overwrites */
    char *error_text; /* "FILE:LINE: message (path P)" */
    char *message;
    char *path;
    long line;
    int code;
} validate_result;

/* The files of one run, each read once. */
typedef struct validate_run {
    const cli_args *args;
    cli_input *inputs; /* one per operand; data NULL when reading it failed */
    size_t count;
} validate_run;

/* A kind of input file: whether it claims a file, and how to check it. */
typedef struct file_type {
    const char *name;
    bool (*claims)(const cli_input *in);
    int (*check)(validate_result *r, const validate_run *run, const cli_input *in);
} file_type;

static void add_fact(validate_result *r, const char *singular, const char *plural, size_t value)
{
    if (r->fact_count < MAX_FACTS)
        r->facts[r->fact_count++] = (fact){singular, plural, value};
}

static int record_error(validate_result *r, int code)
{
    const iotnet_error *e = iotnet_error_last();
    iotnet__buf text = {0};
    cli_format_error(&text, r->file);
    r->error_text = iotnet__buf_detach(&text);
    r->message = strdup(e->message);
    r->path = e->path ? strdup(e->path) : NULL;
    r->line = e->line;
    r->code = code;
    return code;
}

static bool claims_any(const cli_input *in)
{
    (void)in;
    return true;
}

static bool claims_catalog(const cli_input *in)
{
    return cli_catalog_type(in) != CLI_NOT_CATALOG;
}

static int check_topology(validate_result *r, const validate_run *run, const cli_input *in)
{
    iotnet_net *net = NULL;
    int error = cli_load_model_input(&net, run->args, in);
    if (error)
        return record_error(r, error);
    add_fact(r, "node", "nodes", iotnet_node_count(net));
    add_fact(r, "link", "links", iotnet_link_count(net));
    add_fact(r, "zone", "zones", iotnet_zone_count(net));
    iotnet_net_free(net);
    return 0;
}

static int check_mud(validate_result *r, const validate_run *run, const cli_input *in)
{
    iotnet_mud *mud = NULL;
    int error = cli_load_mud_input(&mud, run->args, in);
    if (error)
        return record_error(r, error);
    add_fact(r, "entry", "entries", iotnet_mud_ace_count(mud));
    add_fact(r, "note", "notes", iotnet_mud_note_count(mud));
    iotnet_mud_free(mud);
    return 0;
}

/* The directory of the bundled catalogs, in the library's data directory. */
static const char *bundled_catalog_dir(void)
{
    static char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/catalogs", iotnet_data_dir());
    return dir;
}

/* Whether two paths name the same file. */
static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Whether a file lies in the directory of the bundled catalogs. */
static bool is_bundled(const char *path)
{
    if (cli_is_stdin(path))
        return false;
    char *copy = strdup(path);
    if (!copy)
        return false;
    bool found = same_file(dirname(copy), bundled_catalog_dir());
    free(copy);
    return found;
}

/* Load the control catalogs of the bundled directory into `cat`, each file read once. */
static int load_bundled_controls(iotnet_catalog *cat)
{
    DIR *dir = opendir(bundled_catalog_dir());
    if (!dir)
        return 0; /* the references will name what is missing */
    int error = 0;
    iotnet__buf path = {0};
    for (struct dirent *e; !error && (e = readdir(dir));) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 4, ".xml") != 0)
            continue;
        path.len = 0;
        iotnet__buf_printf(&path, "%s/%s", bundled_catalog_dir(), e->d_name);
        if (path.failed) {
            error = IOTNET_ENOMEM;
            break;
        }
        cli_input in;
        error = cli_input_read(&in, path.data, IOTNET_CATALOG_MAX_BYTES, CLI_CATALOG_LIMIT);
        if (!error && cli_catalog_type(&in) == CLI_CATALOG_CONTROLS)
            error = iotnet_catalog_loads(cat, in.data, in.len, in.label);
        cli_input_free(&in);
    }
    closedir(dir);
    iotnet__buf_free(&path);
    return error;
}

/* The set a catalog file is checked in, as it would be used: a control
   catalog on its own; a threat catalog of the bundled directory beside the
   bundled control catalogs, any other beside all the bundled catalogs; and
   beside the other control catalogs named on the command line. */
static int catalog_context(iotnet_catalog **out, const validate_run *run, const cli_input *in)
{
    int type = cli_catalog_type(in);
    bool bundled = is_bundled(in->path);
    int error = type == CLI_CATALOG_CONTROLS || bundled ? iotnet_catalog_new(out) : iotnet_catalog_default(out);
    if (error || type == CLI_CATALOG_CONTROLS)
        return error;
    if (bundled && (error = load_bundled_controls(*out)) != 0)
        return error;
    for (size_t i = 0; i < run->count; i++) {
        const cli_input *other = &run->inputs[i];
        if (other != in && other->data && cli_catalog_type(other) == CLI_CATALOG_CONTROLS &&
            !is_bundled(other->path) && !same_file(other->path, in->path))
            (void)iotnet_catalog_loads(*out, other->data, other->len, other->label); /* its own check reports its errors */
    }
    return 0;
}

static int check_catalog(validate_result *r, const validate_run *run, const cli_input *in)
{
    iotnet_catalog *cat = NULL;
    int error = catalog_context(&cat, run, in);
    size_t before[3] = {0};
    if (!error) {
        before[0] = iotnet_catalog_threat_count(cat);
        before[1] = iotnet_catalog_mitigation_count(cat);
        before[2] = iotnet_catalog_control_count(cat);
        error = iotnet_catalog_loads(cat, in->data, in->len, in->label);
    }
    if (error) {
        iotnet_catalog_free(cat);
        return record_error(r, error);
    }
    size_t threats = iotnet_catalog_threat_count(cat) - before[0];
    size_t mitigations = iotnet_catalog_mitigation_count(cat) - before[1];
    size_t controls = iotnet_catalog_control_count(cat) - before[2];
    if (threats || !controls)
        add_fact(r, "threat", "threats", threats);
    if (mitigations || !controls)
        add_fact(r, "mitigation", "mitigations", mitigations);
    if (controls)
        add_fact(r, "control", "controls", controls);
    iotnet_catalog_free(cat);
    return 0;
}

/* Probed in order; the first type that claims a file checks it. Topology
   files claim everything, so more specific types go before them. */
static const file_type file_types[] = {
    {"mud", cli_is_mud_input, check_mud},
    {"catalog", claims_catalog, check_catalog},
    {"topology", claims_any, check_topology},
};

static const file_type *detect_type(const cli_input *in)
{
    for (size_t i = 0; i < sizeof file_types / sizeof file_types[0]; i++)
        if (file_types[i].claims(in))
            return &file_types[i];
    return &file_types[0];
}

/* Read operand i into run->inputs[i]; a failure is that file's result. */
static void read_file(validate_result *r, validate_run *run, size_t i)
{
    const char *path = run->args->operands[i];
    memset(r, 0, sizeof *r);
    r->file = cli_input_label(path);
    r->type = "unknown"; /* until it is read */
    if (cli_input_read(&run->inputs[i], path, IOTNET_LOAD_MAX_BYTES_DEFAULT, CLI_INPUT_LIMIT) != 0)
        record_error(r, iotnet_error_last()->code);
}

static void validate_file(validate_result *r, const validate_run *run, const cli_input *in)
{
    const file_type *type = detect_type(in);
    r->type = type->name;
    r->ok = type->check(r, run, in) == 0;
}

static void result_free(validate_result *r)
{
    free(r->error_text);
    free(r->message);
    free(r->path);
}

static void render_text(iotnet__buf *b, const validate_result *r)
{
    if (!r->ok) {
        iotnet__buf_printf(b, "%s\n", r->error_text ? r->error_text : r->file);
        return;
    }
    iotnet__buf_printf(b, "%s: ok (", r->file);
    for (size_t i = 0; i < r->fact_count; i++)
        iotnet__buf_printf(b, "%s%zu %s", i ? ", " : "", r->facts[i].value,
                           r->facts[i].value == 1 ? r->facts[i].singular : r->facts[i].plural);
    iotnet__buf_puts(b, ")\n");
}

static void render_json(cli_json *j, const validate_result *r)
{
    cli_json_begin_object(j, NULL);
    cli_json_string(j, "file", r->file);
    cli_json_string(j, "type", r->type);
    cli_json_bool(j, "ok", r->ok);
    if (r->ok) {
        for (size_t i = 0; i < r->fact_count; i++)
            cli_json_int(j, r->facts[i].plural, (long long)r->facts[i].value);
    } else {
        cli_json_file_error(j, r->code, r->message, r->line, r->path, r->error_text);
    }
    cli_json_end_object(j);
}

static int run_validate(const cli_args *args)
{
    bool json = strcmp(args->format, "json") == 0;
    validate_run run = {args, calloc(args->operand_count, sizeof(cli_input)), args->operand_count};
    validate_result *results = calloc(args->operand_count, sizeof *results);
    if (!run.inputs || !results) {
        free(run.inputs);
        free(results);
        fprintf(stderr, "iotnet %s: out of memory\n", args->command);
        return CLI_EXIT_INVALID;
    }
    for (size_t i = 0; i < run.count; i++)
        read_file(&results[i], &run, i);
    iotnet__buf out = {0};
    cli_json j = {.b = &out};
    size_t failed = 0;
    cli_files_report_begin(&j, json);
    for (size_t i = 0; i < run.count; i++) {
        validate_result *r = &results[i];
        if (run.inputs[i].data)
            validate_file(r, &run, &run.inputs[i]);
        failed += !r->ok;
        if (json)
            render_json(&j, r);
        else
            render_text(&out, r);
    }
    for (size_t i = 0; i < run.count; i++) {
        result_free(&results[i]);
        cli_input_free(&run.inputs[i]);
    }
    free(results);
    free(run.inputs);
    return cli_files_report_end(args, &out, &j, json, failed);
}

const cli_command cli_validate_command = {
    .name = "validate",
    .summary = "check topology, MUD or catalog files against their schemas and the model rules",
    .help =
        "Usage: iotnet validate [OPTIONS] FILE...\n"
        "\n"
        "Load each topology file (JSON per RFC 7951 or XML, module iotnet-topology) and\n"
        "report it as 'FILE: ok (N nodes, M links, Z zones)' or with its first error as\n"
        "'FILE:LINE: message (path DATA-PATH)'. A JSON file with a top-level\n"
        "\"ietf-mud:mud\" member is checked as a MUD file (RFC 8520, strictly; see\n"
        "'iotnet mud check'). An XML file whose root element is <catalog> or <controls>\n"
        "is checked as a catalog (RELAX NG schema, conditions, ids and references) the\n"
        "way it is used: a control catalog on its own, a threat catalog beside the\n"
        "bundled catalogs and the control catalogs named with it, and reported as\n"
        "'FILE: ok (N threats, M mitigations)'. Each file is read once, so pipes and FIFOs\n"
        "work; '-' reads standard input. The format is detected from the content.\n"
        "Exits 3 when any file fails.\n"
        "\n"
        "Options:\n"
        "  --format text|json   report format (default text)\n"
        "  -o, --output FILE    write the report to FILE (atomically) instead of stdout\n"
        "  --yang-path DIRS     ':'-separated directories with YANG modules that extend\n"
        "                       the kinds, or of MUD extensions\n"
        "  -h, --help           show this help\n",
    .options = CLI_OPT_FORMAT | CLI_OPT_OUTPUT | CLI_OPT_YANG_PATH,
    .formats = validate_formats,
    .min_operands = 1,
    .max_operands = SIZE_MAX,
    .operand_name = "FILE",
    .run = run_validate,
};
