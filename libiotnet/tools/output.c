/* Loading models, reporting errors, writing output, JSON and CSV. */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int cli_load_model(iotnet_net **out, const cli_args *args, const char *path)
{
    iotnet_load_options opts = IOTNET_LOAD_OPTIONS_INIT;
    opts.yang_path = args->yang_path;
    return iotnet_net_load(out, path, &opts);
}

/* The message without a leading "FILE: " or "FILE:LINE: " that would repeat the location. */
static const char *strip_location(const char *message, const char *file)
{
    size_t n = strlen(file);
    if (n == 0 || strncmp(message, file, n) != 0 || message[n] != ':')
        return message;
    const char *p = message + n + 1;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == ':')
        p++;
    while (*p == ' ')
        p++;
    return *p ? p : message;
}

void cli_format_error(iotnet__buf *b, const char *file)
{
    const iotnet_error *e = iotnet_error_last();
    const char *where = e->file && e->file[0] ? e->file : file;
    iotnet__buf_puts(b, where);
    if (e->line > 0)
        iotnet__buf_printf(b, ":%ld", e->line);
    const char *message = strip_location(e->message, where);
    if (where != file)
        message = strip_location(message, file);
    iotnet__buf_printf(b, ": %s", message[0] ? message : iotnet_strerror(e->code));
    if (e->path && e->path[0] && !strstr(message, e->path))
        iotnet__buf_printf(b, " (path %s)", e->path);
}

void cli_report_error(const char *file)
{
    iotnet__buf b = {0};
    cli_format_error(&b, file);
    fprintf(stderr, "%s\n", b.data ? b.data : "error");
    iotnet__buf_free(&b);
}

int cli_write_text(const cli_args *args, const char *data, size_t len)
{
    if (args->output) {
        if (iotnet__write_file_atomic(args->output, data, len) != 0) {
            fprintf(stderr, "iotnet %s: %s\n", args->command, iotnet_error_last()->message);
            return CLI_EXIT_INVALID;
        }
        return CLI_EXIT_OK;
    }
    if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
        fprintf(stderr, "iotnet %s: cannot write to standard output: %s\n", args->command,
                strerror(errno));
        return CLI_EXIT_INVALID;
    }
    return CLI_EXIT_OK;
}

int cli_write_output(const cli_args *args, const iotnet__buf *text)
{
    if (text->failed) {
        fprintf(stderr, "iotnet %s: out of memory\n", args->command);
        return CLI_EXIT_INVALID;
    }
    return cli_write_text(args, text->data ? text->data : "", text->len);
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */

static void json_quote(iotnet__buf *b, const char *s)
{
    iotnet__buf_puts(b, "\"");
    const char *run = s;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x20 && *p != '"' && *p != '\\')
            continue;
        iotnet__buf_append(b, run, (size_t)((const char *)p - run));
        switch (*p) {
        case '"': iotnet__buf_puts(b, "\\\""); break;
        case '\\': iotnet__buf_puts(b, "\\\\"); break;
        case '\n': iotnet__buf_puts(b, "\\n"); break;
        case '\t': iotnet__buf_puts(b, "\\t"); break;
        case '\r': iotnet__buf_puts(b, "\\r"); break;
        default: iotnet__buf_printf(b, "\\u%04x", (unsigned)*p); break;
        }
        run = (const char *)p + 1;
    }
    iotnet__buf_puts(b, run);
    iotnet__buf_puts(b, "\"");
}

/* Separator, indentation and key of the next item of the open container. */
static void json_item(cli_json *j, const char *key)
{
    if (j->depth > 0) {
        iotnet__buf_puts(j->b, j->has_items[j->depth - 1] ? ",\n" : "\n");
        j->has_items[j->depth - 1] = true;
        iotnet__buf_printf(j->b, "%*s", 2 * j->depth, "");
    }
    if (key) {
        json_quote(j->b, key);
        iotnet__buf_puts(j->b, ": ");
    }
}

static void json_open(cli_json *j, const char *key, const char *bracket)
{
    json_item(j, key);
    iotnet__buf_puts(j->b, bracket);
    if (j->depth < CLI_JSON_MAX_DEPTH)
        j->has_items[j->depth] = false;
    j->depth++;
}

static void json_close(cli_json *j, const char *bracket)
{
    j->depth--;
    if (j->depth < CLI_JSON_MAX_DEPTH && j->has_items[j->depth])
        iotnet__buf_printf(j->b, "\n%*s", 2 * j->depth, "");
    iotnet__buf_puts(j->b, bracket);
    if (j->depth == 0)
        iotnet__buf_puts(j->b, "\n");
}

void cli_json_begin_object(cli_json *j, const char *key) { json_open(j, key, "{"); }
void cli_json_end_object(cli_json *j) { json_close(j, "}"); }
void cli_json_begin_array(cli_json *j, const char *key) { json_open(j, key, "["); }
void cli_json_end_array(cli_json *j) { json_close(j, "]"); }

void cli_json_string(cli_json *j, const char *key, const char *value)
{
    json_item(j, key);
    if (value)
        json_quote(j->b, value);
    else
        iotnet__buf_puts(j->b, "null");
}

void cli_json_int(cli_json *j, const char *key, long long value)
{
    json_item(j, key);
    iotnet__buf_printf(j->b, "%lld", value);
}

void cli_json_double(cli_json *j, const char *key, double value)
{
    json_item(j, key);
    if (!isfinite(value)) {
        iotnet__buf_puts(j->b, "null"); /* JSON has no infinities */
        return;
    }
    char text[32];
    snprintf(text, sizeof text, "%.15g", value);
    if (strtod(text, NULL) != value)
        snprintf(text, sizeof text, "%.17g", value);
    iotnet__buf_puts(j->b, text);
}

void cli_json_bool(cli_json *j, const char *key, bool value)
{
    json_item(j, key);
    iotnet__buf_puts(j->b, value ? "true" : "false");
}

void cli_json_null(cli_json *j, const char *key)
{
    json_item(j, key);
    iotnet__buf_puts(j->b, "null");
}

/* ------------------------------------------------------------------ */
/* CSV (RFC 4180)                                                      */

void cli_csv_field(iotnet__buf *b, const char *value)
{
    if (!value)
        return;
    if (!strpbrk(value, ",\"\r\n")) {
        iotnet__buf_puts(b, value);
        return;
    }
    iotnet__buf_puts(b, "\"");
    for (const char *p = value; *p; p++) {
        if (*p == '"')
            iotnet__buf_puts(b, "\"");
        iotnet__buf_append(b, p, 1);
    }
    iotnet__buf_puts(b, "\"");
}
