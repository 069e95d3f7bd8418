/* Loading models, reporting errors, writing output, JSON and CSV. */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

bool cli_has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), k = strlen(suffix);
    return n > k && strcmp(name + n - k, suffix) == 0;
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
    if (args->output)
        return cli_write_file(args->command, args->output, data, len);
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

int cli_open_model(iotnet_net **out, const cli_args *args, const char *path)
{
    if (cli_load_model(out, args, path) == 0)
        return CLI_EXIT_OK;
    cli_report_error(cli_input_label(path));
    return CLI_EXIT_INVALID;
}

void cli_json_file_error(cli_json *j, int code, const char *message, long line, const char *path,
                         const char *text)
{
    cli_json_begin_object(j, "error");
    cli_json_string(j, "code", iotnet_strerror(code));
    cli_json_string(j, "message", message);
    if (line > 0)
        cli_json_int(j, "line", line);
    else
        cli_json_null(j, "line");
    cli_json_string(j, "path", path);
    cli_json_string(j, "text", text);
    cli_json_end_object(j);
}

void cli_files_report_begin(cli_json *j, bool json)
{
    if (!json)
        return;
    cli_json_begin_object(j, NULL);
    cli_json_begin_array(j, "files");
}

int cli_files_report_end(const cli_args *args, iotnet__buf *out, cli_json *j, bool json, size_t failed)
{
    if (json) {
        cli_json_end_array(j);
        cli_json_bool(j, "ok", failed == 0);
        cli_json_int(j, "failed", (long long)failed);
        cli_json_end_object(j);
    }
    int rc = cli_write_output(args, out);
    iotnet__buf_free(out);
    if (rc != CLI_EXIT_OK)
        return rc;
    return failed ? CLI_EXIT_INVALID : CLI_EXIT_OK;
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
    iotnet__buf_csv(b, value);
}

/* ------------------------------------------------------------------ */
/* Result tables                                                       */

void cli_table_init(cli_table *t, const cli_column *columns, size_t column_count)
{
    memset(t, 0, sizeof *t);
    t->columns = columns;
    t->column_count = column_count;
}

int cli_table_add(cli_table *t, const char *const *values)
{
    if (t->failed)
        return IOTNET_ENOMEM;
    if (t->rows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 32;
        char **cells = realloc(t->cells, cap * t->column_count * sizeof *cells);
        if (!cells) {
            t->failed = true;
            return IOTNET_ENOMEM;
        }
        t->cells = cells;
        t->cap = cap;
    }
    char **row = t->cells + t->rows * t->column_count;
    for (size_t c = 0; c < t->column_count; c++) {
        row[c] = values[c] ? strdup(values[c]) : NULL;
        if (values[c] && !row[c]) {
            while (c--)
                free(row[c]);
            t->failed = true;
            return IOTNET_ENOMEM;
        }
    }
    t->rows++;
    return 0;
}

const char *cli_table_cell(const cli_table *t, size_t row, size_t column)
{
    if (row >= t->rows || column >= t->column_count)
        return NULL;
    return t->cells[row * t->column_count + column];
}

void cli_table_free(cli_table *t)
{
    for (size_t i = 0; i < t->rows * t->column_count; i++)
        free(t->cells[i]);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

/* A list cell's words joined by `sep` ("" stays ""). */
static void append_words(iotnet__buf *b, const char *words, const char *sep)
{
    bool first = true;
    for (const char *p = words; *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (!n)
            break;
        if (!first)
            iotnet__buf_puts(b, sep);
        iotnet__buf_append(b, p, n);
        first = false;
        p += n;
    }
}

/* A cell as text output shows it, into a scratch buffer (reset first). */
static const char *text_cell(iotnet__buf *scratch, const cli_column *col, const char *value)
{
    scratch->len = 0;
    if (scratch->data)
        scratch->data[0] = '\0';
    if (!value || (col->type == CLI_CELL_LIST && !value[strspn(value, " ")]))
        return "-";
    if (col->type != CLI_CELL_LIST)
        return value;
    append_words(scratch, value, col->separator ? col->separator : " ");
    return scratch->data ? scratch->data : "";
}

static size_t text_width(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xC0) != 0x80; /* count UTF-8 characters, not bytes */
    return n;
}

static void render_table_text(const cli_table *t, iotnet__buf *b)
{
    size_t *width = calloc(t->column_count ? t->column_count : 1, sizeof *width);
    if (!width) {
        b->failed = 1;
        return;
    }
    iotnet__buf scratch = {0};
    for (size_t c = 0; c < t->column_count; c++) {
        width[c] = text_width(t->columns[c].name);
        for (size_t r = 0; r < t->rows; r++) {
            size_t w = text_width(text_cell(&scratch, &t->columns[c], cli_table_cell(t, r, c)));
            if (w > width[c])
                width[c] = w;
        }
    }
    for (size_t r = 0; r <= t->rows; r++) {
        for (size_t c = 0; c < t->column_count; c++) {
            const char *cell = r == 0 ? t->columns[c].name
                                      : text_cell(&scratch, &t->columns[c], cli_table_cell(t, r - 1, c));
            bool last = c + 1 == t->column_count;
            iotnet__buf_puts(b, cell);
            if (!last)
                iotnet__buf_printf(b, "%*s", (int)(width[c] - text_width(cell) + 2), "");
        }
        iotnet__buf_puts(b, "\n");
    }
    iotnet__buf_free(&scratch);
    free(width);
}

static void json_cell(cli_json *j, const cli_column *col, const char *value)
{
    if (col->type == CLI_CELL_LIST) {
        cli_json_begin_array(j, col->name);
        for (const char *p = value ? value : ""; *p;) {
            while (*p == ' ')
                p++;
            size_t n = strcspn(p, " ");
            if (!n)
                break;
            char *word = strndup(p, n);
            if (!word) {
                j->b->failed = 1;
                break;
            }
            cli_json_string(j, NULL, word);
            free(word);
            p += n;
        }
        cli_json_end_array(j);
    } else if (!value) {
        cli_json_null(j, col->name);
    } else if (col->type == CLI_CELL_INT) {
        cli_json_int(j, col->name, strtoll(value, NULL, 10));
    } else {
        cli_json_string(j, col->name, value);
    }
}

void cli_table_json(const cli_table *t, cli_json *j, const char *key)
{
    cli_json_begin_array(j, key);
    for (size_t r = 0; r < t->rows; r++) {
        cli_json_begin_object(j, NULL);
        for (size_t c = 0; c < t->column_count; c++)
            json_cell(j, &t->columns[c], cli_table_cell(t, r, c));
        cli_json_end_object(j);
    }
    cli_json_end_array(j);
}

static void render_table_csv(const cli_table *t, iotnet__buf *b)
{
    for (size_t c = 0; c < t->column_count; c++) {
        if (c)
            iotnet__buf_puts(b, ",");
        cli_csv_field(b, t->columns[c].name);
    }
    iotnet__buf_puts(b, "\n");
    for (size_t r = 0; r < t->rows; r++) {
        for (size_t c = 0; c < t->column_count; c++) {
            if (c)
                iotnet__buf_puts(b, ",");
            cli_csv_field(b, cli_table_cell(t, r, c));
        }
        iotnet__buf_puts(b, "\n");
    }
}

void cli_table_render(const cli_table *t, const char *format, iotnet__buf *b)
{
    if (t->failed) {
        b->failed = 1;
        return;
    }
    if (strcmp(format, "json") == 0) {
        cli_json j = {.b = b};
        cli_table_json(t, &j, NULL);
    } else if (strcmp(format, "csv") == 0) {
        render_table_csv(t, b);
    } else {
        render_table_text(t, b);
    }
}

/* ------------------------------------------------------------------ */
/* Model lookups                                                       */

const char *cli_node_id(const iotnet_net *net, iotnet_index node)
{
    iotnet_node_spec spec = {.version = IOTNET_NODE_SPEC_VERSION};
    if (node == IOTNET_NONE || iotnet_node_get(net, node, &spec) != 0)
        return NULL;
    return spec.id;
}

const char *cli_zone_id(const iotnet_net *net, iotnet_index zone)
{
    iotnet_zone_spec spec = {.version = IOTNET_ZONE_SPEC_VERSION};
    if (zone == IOTNET_NONE || iotnet_zone_get(net, zone, &spec) != 0)
        return NULL;
    return spec.id;
}

const char *cli_conduit_id(const iotnet_net *net, iotnet_index conduit)
{
    iotnet_conduit_spec spec = {.version = IOTNET_CONDUIT_SPEC_VERSION};
    if (conduit == IOTNET_NONE || iotnet_conduit_get(net, conduit, &spec) != 0)
        return NULL;
    return spec.id;
}

const char *cli_error_message(int code)
{
    const iotnet_error *e = iotnet_error_last();
    if (e && e->code == code && e->message && e->message[0])
        return e->message;
    return iotnet_strerror(code);
}

const char *cli_enum_name(iotnet_enum type, int value, const char *fallback)
{
    const char *name = iotnet_enum_name(type, value);
    return name ? name : fallback;
}

const char *cli_flow_text(char *buf, size_t size, int protocol, unsigned port)
{
    const char *name = cli_enum_name(IOTNET_ENUM_PROTOCOL, protocol, "?");
    if (port)
        snprintf(buf, size, "%s/%u", name, port);
    else
        snprintf(buf, size, "%s", name);
    return buf;
}
