/* Parsing a command's options and operands, by hand. */
#include "cli.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

int cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "iotnet%s%s: ", command ? " " : "", command ? command : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'iotnet%s%s --help'.\n", command ? " " : "", command ? command : "");
    return CLI_EXIT_USAGE;
}

void cli_print_command_help(const cli_command *cmd, FILE *f)
{
    fputs(cmd->help, f);
}

static bool format_known(const cli_command *cmd, const char *format)
{
    for (const char *const *f = cmd->formats; f && *f; f++)
        if (strcmp(*f, format) == 0)
            return true;
    return false;
}

static void list_formats(const cli_command *cmd, char *buf, size_t size)
{
    buf[0] = '\0';
    for (const char *const *f = cmd->formats; f && *f; f++) {
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, "%s%s", f == cmd->formats ? "" : ", ", *f);
    }
}

/* An option that takes a value: which one, and whether `arg` spells it. */
typedef struct value_option {
    unsigned bit;
    const char *long_name;  /* "--format" */
    const char *short_name; /* "-o", or NULL */
} value_option;

static const value_option value_options[] = {
    {CLI_OPT_FORMAT, "--format", NULL},
    {CLI_OPT_OUTPUT, "--output", "-o"},
    {CLI_OPT_YANG_PATH, "--yang-path", NULL},
    {CLI_OPT_DEVICE, "--device", NULL},
    {CLI_OPT_INTO, "--into", NULL},
    {CLI_OPT_FROM, "--from", NULL},
    {CLI_OPT_TO, "--to", NULL},
    {CLI_OPT_SERVICE, "--service", NULL},
    {CLI_OPT_CATALOG, "--catalog", NULL},
    {CLI_OPT_ASSUME, "--assume", NULL},
    {CLI_OPT_NOW, "--now", NULL},
    {CLI_OPT_FRAMEWORK, "--framework", NULL},
    {CLI_OPT_TABLE, "--table", NULL},
    {CLI_OPT_COLUMNS, "--columns", NULL},
    {CLI_OPT_SORT, "--sort", NULL},
    {CLI_OPT_GROUP, "--group", NULL},
    {CLI_OPT_ANCHOR, "--anchor", NULL},
    {CLI_OPT_TITLE, "--title", NULL},
    {CLI_OPT_AUTHOR, "--author", NULL},
    {CLI_OPT_DOCNAME, "--docname", NULL},
    {CLI_OPT_FAIL_ON, "--fail-on", NULL},
};

/* Options without a value. */
static const value_option flag_options[] = {
    {CLI_OPT_LENIENT, "--lenient", NULL},
    {CLI_OPT_EXPLAIN, "--explain", NULL},
    {CLI_OPT_ALL, "--all", NULL},
    {CLI_OPT_NO_BUNDLED, "--no-bundled", NULL},
    {CLI_OPT_EXPOSURE, "--exposure", NULL},
    {CLI_OPT_FINDINGS, "--findings", NULL},
    {CLI_OPT_FULL, "--full", NULL},
};

/* Match `arg` against an option: 1 with *inline_value set for "--name=value",
   1 with *inline_value NULL for "--name" or the short name, 0 otherwise. */
static int option_matches(const value_option *opt, const char *arg, const char **inline_value)
{
    size_t n = strlen(opt->long_name);
    *inline_value = NULL;
    if (strncmp(arg, opt->long_name, n) == 0 && (arg[n] == '\0' || arg[n] == '=')) {
        if (arg[n] == '=')
            *inline_value = arg + n + 1;
        return 1;
    }
    return opt->short_name && strcmp(arg, opt->short_name) == 0;
}

static int store_table_option(cli_args *out, unsigned bit, const char *value);

/* Store an option's value; returns CLI_EXIT_OK or CLI_EXIT_USAGE. */
static int store_option(cli_args *out, const cli_command *cmd, const value_option *opt, const char *value)
{
    switch (opt->bit) {
    case CLI_OPT_FORMAT:
        out->format = value;
        out->format_given = true;
        break;
    case CLI_OPT_OUTPUT:
        out->output = value;
        break;
    case CLI_OPT_YANG_PATH:
        out->yang_path = value;
        break;
    case CLI_OPT_DEVICE:
        out->device = value;
        break;
    case CLI_OPT_INTO:
        out->into = value;
        break;
    case CLI_OPT_FROM:
        if (out->from_count && !(cmd->options & CLI_OPT_FROM_MANY))
            return cli_usage_error(cmd->name, "option '--from' may be given once");
        if (out->from_count == CLI_MAX_FROM)
            return cli_usage_error(cmd->name, "option '--from' given more than %d times", CLI_MAX_FROM);
        out->from[out->from_count++] = value;
        break;
    case CLI_OPT_TO:
        out->to = value;
        break;
    case CLI_OPT_SERVICE:
        out->service = value;
        break;
    case CLI_OPT_CATALOG:
        if (out->catalog_count == CLI_MAX_MANY)
            return cli_usage_error(cmd->name, "option '--catalog' given more than %d times", CLI_MAX_MANY);
        out->catalogs[out->catalog_count++] = value;
        break;
    case CLI_OPT_ASSUME:
        if (out->assume_count == CLI_MAX_MANY)
            return cli_usage_error(cmd->name, "option '--assume' given more than %d times", CLI_MAX_MANY);
        out->assume[out->assume_count++] = value;
        break;
    case CLI_OPT_NOW:
        out->now = value;
        break;
    case CLI_OPT_FRAMEWORK:
        out->framework = value;
        break;
    case CLI_OPT_FAIL_ON:
        out->fail_on = value;
        break;
    case CLI_OPT_TABLE:
        if (out->table_count == CLI_MAX_MANY)
            return cli_usage_error(cmd->name, "option '--table' given more than %d times", CLI_MAX_MANY);
        out->tables[out->table_count++] = value;
        break;
    default:
        return store_table_option(out, opt->bit, value);
    }
    return CLI_EXIT_OK;
}

/* The options of tables and drafts, which take their value as it is. */
static int store_table_option(cli_args *out, unsigned bit, const char *value)
{
    switch (bit) {
    case CLI_OPT_COLUMNS: out->columns = value; break;
    case CLI_OPT_SORT: out->sort = value; break;
    case CLI_OPT_GROUP: out->group = value; break;
    case CLI_OPT_ANCHOR: out->anchor = value; break;
    case CLI_OPT_TITLE: out->title = value; break;
    case CLI_OPT_AUTHOR: out->author = value; break;
    case CLI_OPT_DOCNAME: out->docname = value; break;
    default:
        break;
    }
    return CLI_EXIT_OK;
}

/* A flag option; returns 1 when `arg` is one this command takes, 0 when it is none,
   CLI_EXIT_USAGE (after the message) for "--flag=value". */
static int parse_flag(cli_args *out, const cli_command *cmd, const char *arg)
{
    for (size_t k = 0; k < sizeof flag_options / sizeof flag_options[0]; k++) {
        const value_option *opt = &flag_options[k];
        size_t n = strlen(opt->long_name);
        if (strncmp(arg, opt->long_name, n) != 0 || (arg[n] != '\0' && arg[n] != '='))
            continue;
        if (!(cmd->options & opt->bit))
            return 0;
        if (arg[n] == '=')
            return cli_usage_error(cmd->name, "option '%s' takes no value", opt->long_name);
        if (opt->bit == CLI_OPT_LENIENT)
            out->lenient = true;
        else if (opt->bit == CLI_OPT_EXPLAIN)
            out->explain = true;
        else if (opt->bit == CLI_OPT_NO_BUNDLED)
            out->no_bundled = true;
        else if (opt->bit == CLI_OPT_EXPOSURE)
            out->exposure = true;
        else if (opt->bit == CLI_OPT_FINDINGS)
            out->findings = true;
        else if (opt->bit == CLI_OPT_FULL)
            out->full = true;
        else
            out->all = true;
        return 1;
    }
    return 0;
}

/* Handle the option at argv[*i]; returns CLI_EXIT_OK or CLI_EXIT_USAGE. */
static int parse_option(cli_args *out, const cli_command *cmd, int argc, char **argv, int *i)
{
    const char *arg = argv[*i];
    for (size_t k = 0; k < sizeof value_options / sizeof value_options[0]; k++) {
        const value_option *opt = &value_options[k];
        const char *value;
        if (!option_matches(opt, arg, &value))
            continue;
        if (!(cmd->options & opt->bit))
            break; /* an option of other commands: unknown here */
        if (!value) {
            if (*i + 1 >= argc)
                return cli_usage_error(cmd->name, "option '%s' needs a value", arg);
            value = argv[++*i];
        }
        if (!value[0])
            return cli_usage_error(cmd->name, "option '%s' needs a non-empty value", opt->long_name);
        return store_option(out, cmd, opt, value);
    }
    int flag = parse_flag(out, cmd, arg);
    if (flag == 1)
        return CLI_EXIT_OK;
    if (flag == CLI_EXIT_USAGE)
        return flag;
    return cli_usage_error(cmd->name, "unknown option '%s'", arg);
}

static bool is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

/* Standard input can be read once: "-" may stand for one input only. */
static int check_stdin_once(const cli_args *out, const cli_command *cmd)
{
    size_t named = out->into && cli_is_stdin(out->into);
    for (size_t i = 0; i < out->operand_count; i++)
        named += cli_is_stdin(out->operands[i]);
    for (size_t i = 0; i < out->catalog_count; i++)
        named += cli_is_stdin(out->catalogs[i]);
    return named > 1 ? cli_usage_error(cmd->name, "'-' (standard input) names more than one input; it can be read once")
                     : CLI_EXIT_OK;
}

static int check_operands(const cli_args *out, const cli_command *cmd)
{
    if (out->operand_count < cmd->min_operands)
        return cli_usage_error(cmd->name, "missing %s", cmd->operand_name);
    if (out->operand_count > cmd->max_operands)
        return cli_usage_error(cmd->name, "too many arguments: expected %zu %s, got %zu",
                               cmd->max_operands, cmd->operand_name, out->operand_count);
    if (out->format_given && !format_known(cmd, out->format)) {
        char choices[256];
        list_formats(cmd, choices, sizeof choices);
        return cli_usage_error(cmd->name, "unknown format '%s' (choose %s)", out->format, choices);
    }
    return check_stdin_once(out, cmd);
}

int cli_parse_args(cli_args *out, const cli_command *cmd, int argc, char **argv)
{
    memset(out, 0, sizeof *out);
    out->command = cmd->name;
    out->format = cmd->formats ? cmd->formats[0] : NULL;
    /* operands are gathered in place: argv[1..] is reordered, never reallocated */
    out->operands = argv + 1;
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!options_done && is_help(arg)) {
            cli_print_command_help(cmd, stdout);
            return -1;
        }
        if (!options_done && strcmp(arg, "--") == 0) {
            options_done = true;
            continue;
        }
        if (!options_done && arg[0] == '-' && arg[1] != '\0') {
            int rc = parse_option(out, cmd, argc, argv, &i);
            if (rc != CLI_EXIT_OK)
                return rc;
            continue;
        }
        out->operands[out->operand_count++] = argv[i];
    }
    return check_operands(out, cmd);
}
