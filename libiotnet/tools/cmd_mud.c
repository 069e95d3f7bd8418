/* iotnet mud check FILE... and iotnet mud import FILE --device NODE --into MODEL. */
#include "cli.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const mud_formats[] = {"text", "json", NULL};

static void json_lines(cli_json *j, const char *key, const iotnet_mud *mud, size_t count,
                       const char *(*line)(const iotnet_mud *, size_t))
{
    cli_json_begin_array(j, key);
    for (size_t i = 0; i < count; i++)
        cli_json_string(j, NULL, line(mud, i));
    cli_json_end_array(j);
}

static void text_lines(iotnet__buf *b, const char *label, const iotnet_mud *mud, size_t count,
                       const char *(*line)(const iotnet_mud *, size_t))
{
    for (size_t i = 0; i < count; i++)
        iotnet__buf_printf(b, "  %s: %s\n", label, line(mud, i));
}

static void json_error(cli_json *j, const char *file)
{
    const iotnet_error *e = iotnet_error_last();
    iotnet__buf text = {0};
    cli_format_error(&text, file);
    cli_json_file_error(j, e->code, e->message, e->line, e->path, text.data);
    iotnet__buf_free(&text);
}

/* The profile's facts: entries, changes and notes. */
static void describe(iotnet__buf *b, cli_json *j, const iotnet_mud *mud, bool json)
{
    size_t entries = iotnet_mud_ace_count(mud), changes = iotnet_mud_change_count(mud),
           notes = iotnet_mud_note_count(mud);
    if (json) {
        iotnet_mud_info info;
        iotnet_mud_get_info(mud, &info);
        cli_json_string(j, "mud-url", info.mud_url);
        cli_json_int(j, "entries", (long long)entries);
        json_lines(j, "changes", mud, changes, iotnet_mud_change);
        json_lines(j, "notes", mud, notes, iotnet_mud_note);
        return;
    }
    iotnet__buf_printf(b, "%zu %s", entries, entries == 1 ? "entry" : "entries");
    if (changes)
        iotnet__buf_printf(b, ", %zu lenient %s", changes, changes == 1 ? "change" : "changes");
    if (notes)
        iotnet__buf_printf(b, ", %zu %s", notes, notes == 1 ? "note" : "notes");
}

static void describe_lines(iotnet__buf *b, const iotnet_mud *mud)
{
    text_lines(b, "changed", mud, iotnet_mud_change_count(mud), iotnet_mud_change);
    text_lines(b, "note", mud, iotnet_mud_note_count(mud), iotnet_mud_note);
}

/* ------------------------------------------------------------------ */
/* mud check                                                           */

static int run_check(const cli_args *args)
{
    bool json = strcmp(args->format, "json") == 0;
    iotnet__buf out = {0};
    cli_json j = {.b = &out};
    size_t failed = 0;
    cli_files_report_begin(&j, json);
    for (size_t i = 0; i < args->operand_count; i++) {
        const char *file = cli_input_label(args->operands[i]);
        iotnet_mud *mud = NULL;
        bool ok = cli_load_mud(&mud, args, args->operands[i]) == 0;
        failed += !ok;
        if (json) {
            cli_json_begin_object(&j, NULL);
            cli_json_string(&j, "file", file);
            cli_json_bool(&j, "ok", ok);
            if (ok)
                describe(&out, &j, mud, true);
            else
                json_error(&j, file);
            cli_json_end_object(&j);
        } else if (ok) {
            iotnet__buf_printf(&out, "%s: ok (", file);
            describe(&out, &j, mud, false);
            iotnet__buf_puts(&out, ")\n");
            describe_lines(&out, mud);
        } else {
            cli_format_error(&out, file);
            iotnet__buf_puts(&out, "\n");
        }
        iotnet_mud_free(mud);
    }
    return cli_files_report_end(args, &out, &j, json, failed);
}

static const cli_command mud_check_command = {
    .name = "mud check",
    .summary = "validate MUD files",
    .help =
        "Usage: iotnet mud check [OPTIONS] FILE...\n"
        "\n"
        "Load each MUD file (RFC 8520, JSON) with the ietf-mud, ietf-acldns and\n"
        "ietf-access-control-list modules and report it as 'FILE: ok (N entries...)'\n"
        "or with its first error as 'FILE:LINE: message (path DATA-PATH)'. Under an ok\n"
        "file, 'changed:' lines say what --lenient rewrote and 'note:' lines what the\n"
        "model cannot express exactly (entries left out, conditions ignored). Files\n"
        "written against the draft ACL model (root access-lists, ethertype strings,\n"
        "ethernet-acl-type) fail unless --lenient is given. Exits 3 when any file fails.\n"
        "\n"
        "Options:\n"
        "  --lenient            normalise the known pre-RFC 8519 differences, listing each\n"
        "  --format text|json   report format (default text)\n"
        "  -o, --output FILE    write the report to FILE (atomically) instead of stdout\n"
        "  --yang-path DIRS     ':'-separated directories with YANG modules of MUD\n"
        "                       extensions the files use\n"
        "  -h, --help           show this help\n",
    .options = CLI_OPT_FORMAT | CLI_OPT_OUTPUT | CLI_OPT_YANG_PATH | CLI_OPT_LENIENT,
    .formats = mud_formats,
    .min_operands = 1,
    .max_operands = SIZE_MAX,
    .operand_name = "FILE",
    .run = run_check,
};

/* ------------------------------------------------------------------ */
/* mud import                                                          */

/* ---- writing the model back ---- */

/* The text of a file (NUL-terminated), or NULL. */
static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    iotnet__buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        iotnet__buf_append(&b, chunk, n);
    bool failed = ferror(f) || b.failed;
    fclose(f);
    if (failed) {
        iotnet__buf_free(&b);
        return NULL;
    }
    return b.data ? b.data : strdup("");
}

/* XML when the first character after a byte order mark and white space is '<'. */
static iotnet_format format_of_text(const char *text)
{
    if (strncmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3;
    text += strspn(text, " \t\r\n");
    return *text == '<' ? IOTNET_FORMAT_XML : IOTNET_FORMAT_JSON;
}

/* The format of -o OUT by its suffix (.xml, .json), or AUTO. */
static iotnet_format format_of_name(const char *name)
{
    if (name && cli_has_suffix(name, ".xml"))
        return IOTNET_FORMAT_XML;
    if (name && cli_has_suffix(name, ".json"))
        return IOTNET_FORMAT_JSON;
    return IOTNET_FORMAT_AUTO;
}

static size_t count_comments(const char *text)
{
    size_t n = 0;
    for (const char *p = strstr(text, "<!--"); p; p = strstr(p + 4, "<!--"))
        n++;
    return n;
}

/* Write the model to `target`: in -o OUT's format by its suffix, else in the
   one MODEL is written in, whatever its name. The model is rewritten from its
   data, so a note says when rewriting MODEL in place loses its comments.
   Returns an exit code. */
static int save_model(const iotnet_net *net, const cli_args *args, const char *target)
{
    iotnet_save_options opts = IOTNET_SAVE_OPTIONS_INIT;
    opts.yang_path = args->yang_path;
    opts.format = format_of_name(args->output);
    size_t comments = 0;
    if (!args->output || opts.format == IOTNET_FORMAT_AUTO) {
        char *model_text = read_text(args->into);
        if (!model_text) {
            fprintf(stderr, "iotnet %s: cannot read %s: %s\n", args->command, args->into, strerror(errno));
            return CLI_EXIT_INVALID;
        }
        if (opts.format == IOTNET_FORMAT_AUTO)
            opts.format = format_of_text(model_text);
        comments = args->output ? 0 : count_comments(model_text);
        free(model_text);
    }
    char *text = NULL;
    if (iotnet_net_save_data(net, &text, &opts) != 0) {
        cli_report_error(target);
        return CLI_EXIT_INVALID;
    }
    int rc = cli_write_file(args->command, target, text, strlen(text));
    iotnet_string_free(text);
    if (rc == CLI_EXIT_OK && comments)
        fprintf(stderr, "iotnet %s: note: %s was rewritten from its data: its %zu %s not kept\n", args->command,
                args->into, comments, comments == 1 ? "comment is" : "comments are");
    return rc;
}

static int run_import(const cli_args *args)
{
    if (!args->device)
        return cli_usage_error(args->command, "missing --device NODE");
    if (!args->into)
        return cli_usage_error(args->command, "missing --into MODEL");
    if (cli_is_stdin(args->into) && !args->output)
        return cli_usage_error(args->command, "--into - reads the model from standard input: name the result with -o FILE");
    const char *file = args->operands[0], *target = args->output ? args->output : args->into;
    bool json = strcmp(args->format, "json") == 0;
    iotnet_net *net = NULL;
    iotnet_mud *mud = NULL;
    iotnet_index node;
    int rc = CLI_EXIT_INVALID;
    if (cli_open_model(&net, args, args->into) != CLI_EXIT_OK)
        goto cleanup;
    if (iotnet_node_find(net, &node, args->device) != 0) {
        fprintf(stderr, "iotnet %s: %s has no node \"%s\"\n", args->command, args->into, args->device);
        goto cleanup;
    }
    if (cli_load_mud(&mud, args, file) != 0) {
        cli_report_error(cli_input_label(file));
        goto cleanup;
    }
    if (iotnet_node_mud_attach(net, node, mud) != 0) {
        fprintf(stderr, "iotnet %s: %s\n", args->command, iotnet_error_last()->message);
        goto cleanup;
    }
    if (save_model(net, args, target) != CLI_EXIT_OK)
        goto cleanup;
    iotnet__buf out = {0};
    cli_json j = {.b = &out};
    if (json) {
        cli_json_begin_object(&j, NULL);
        cli_json_string(&j, "file", file);
        cli_json_string(&j, "device", args->device);
        cli_json_string(&j, "model", target);
        describe(&out, &j, mud, true);
        cli_json_end_object(&j);
    } else {
        iotnet__buf_printf(&out, "%s: attached %s to %s (", target, file, args->device);
        describe(&out, &j, mud, false);
        iotnet__buf_puts(&out, ")\n");
        describe_lines(&out, mud);
    }
    rc = out.failed ? CLI_EXIT_INVALID : CLI_EXIT_OK;
    if (out.data && fputs(out.data, stdout) == EOF)
        rc = CLI_EXIT_INVALID;
    iotnet__buf_free(&out);
cleanup:
    iotnet_mud_free(mud);
    iotnet_net_free(net);
    return rc;
}

static const cli_command mud_import_command = {
    .name = "mud import",
    .summary = "attach a MUD file's profile to a device of a model",
    .help =
        "Usage: iotnet mud import [OPTIONS] FILE --device NODE --into MODEL\n"
        "\n"
        "Load the MUD file FILE, attach its profile (facts and flattened entries) to\n"
        "node NODE of the model MODEL, set the node's MUD URL to the profile's, and\n"
        "write the model back: to -o OUT, or over MODEL (atomically, keeping its mode,\n"
        "owner and links) in the format MODEL is written in (XML or JSON, told by its\n"
        "content, not its name). The model is written from its data: comments and\n"
        "layout of MODEL are not kept (a note on stderr says how many comments a\n"
        "rewrite in place drops). Reports the number of entries, what --lenient\n"
        "changed and what the model cannot express exactly.\n"
        "\n"
        "Options:\n"
        "  --device NODE        the node the profile belongs to (required)\n"
        "  --into MODEL         the topology file to attach it in (required; '-' reads\n"
        "                       it from standard input, and then -o OUT is needed)\n"
        "  --lenient            normalise the known pre-RFC 8519 differences, listing each\n"
        "  -o, --output OUT     write the model to OUT instead of over MODEL: XML for a\n"
        "                       .xml name, JSON for .json, else MODEL's format\n"
        "  --format text|json   report format (default text)\n"
        "  --yang-path DIRS     ':'-separated directories with YANG modules: kinds of\n"
        "                       the model, MUD extensions of the file\n"
        "  -h, --help           show this help\n"
        "\n"
        "Exit status: 0 attached and written, 2 usage error (including -o naming FILE),\n"
        "3 FILE or MODEL failed to load, MODEL has no node NODE, or the model could not\n"
        "be written (MODEL is then as it was).\n",
    .options = CLI_OPT_FORMAT | CLI_OPT_OUTPUT | CLI_OPT_YANG_PATH | CLI_OPT_LENIENT | CLI_OPT_DEVICE |
               CLI_OPT_INTO,
    .formats = mud_formats,
    .min_operands = 1,
    .max_operands = 1,
    .operand_name = "FILE",
    .run = run_import,
};

/* ------------------------------------------------------------------ */
/* mud                                                                 */

static const cli_command *const mud_subcommands[] = {&mud_check_command, &mud_import_command, NULL};

const cli_command cli_mud_command = {
    .name = "mud",
    .summary = "check MUD files, or import one into a model (mud check|import)",
    .help =
        "Usage: iotnet mud check [OPTIONS] FILE...\n"
        "       iotnet mud import [OPTIONS] FILE --device NODE --into MODEL\n"
        "\n"
        "Manufacturer Usage Descriptions (RFC 8520) and their access lists (RFC 8519).\n"
        "\n"
        "Subcommands:\n"
        "  check    validate MUD files and show what loading them keeps\n"
        "  import   attach a MUD file's profile to a device of a model\n"
        "\n"
        "Run 'iotnet mud SUBCOMMAND --help' for a subcommand's options.\n",
    .options = 0,
    .formats = NULL,
    .min_operands = 0,
    .max_operands = 0,
    .operand_name = "SUBCOMMAND",
    .run = NULL,
    .subcommands = mud_subcommands,
};
