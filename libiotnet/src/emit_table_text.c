/* Tables as text: kramdown-rfc Markdown (a table and a whole draft),
   CSV (RFC 4180) and JSON. */
#include "emit_internal.h"
#include "error_internal.h"
#include "table_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reset(iotnet__buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

/* Append `text` with invalid UTF-8 and control characters other than tab
   and line breaks written as '?'. */
static void append_clean(iotnet__buf *b, const char *text)
{
    if (iotnet__text_is_clean(text)) {
        iotnet__buf_puts(b, text);
        return;
    }
    char *clean = iotnet__text_clean(text);
    if (!clean) {
        b->failed = 1;
        return;
    }
    iotnet__buf_puts(b, clean);
    free(clean);
}

/* The text a cell shows: list words joined by ", ". */
static const char *shown_text(const iotnet_table *t, size_t r, size_t c, iotnet__buf *scratch)
{
    const char *value = iotnet__table_at(t, r, c);
    if (t->cols[c].type != IOTNET_TABLE_LIST)
        return value;
    reset(scratch);
    iotnet__table_join_words(scratch, value);
    return scratch->data ? scratch->data : "";
}

/* ------------------------------------------------------------------ */
/* Markdown (kramdown, as kramdown-rfc reads it)                       */

/* Escape what kramdown would read as markup. `in_cell`: line breaks are
   <br>, otherwise spaces; leading and trailing spaces are kept as
   character references, which kramdown does not strip. */
static void md_escape(iotnet__buf *b, const char *s, bool in_cell)
{
    size_t len = strlen(s), lead = strspn(s, " ");
    size_t trail = 0;
    while (trail < len - lead && s[len - 1 - trail] == ' ')
        trail++;
    for (size_t i = 0; i < lead; i++)
        iotnet__buf_puts(b, "&#32;");
    for (size_t i = lead; i < len - trail; i++) {
        char c = s[i];
        bool first = i == lead;
        if (c == '\r' || c == '\n') {
            if (c == '\r' && s[i + 1] == '\n')
                i++;
            iotnet__buf_puts(b, in_cell ? "<br>" : " ");
        } else if (c == '<') {
            iotnet__buf_puts(b, "&lt;");
        } else if (c == '>') {
            iotnet__buf_puts(b, "&gt;");
        } else if (c == '&') {
            iotnet__buf_puts(b, "&amp;");
        } else if (strchr("\\|*_`[]{}$#", c) || (first && strchr("-+=:", c))) {
            char esc[2] = {'\\', c};
            iotnet__buf_append(b, esc, 2);
        } else {
            iotnet__buf_append(b, &c, 1);
        }
        if (in_cell && i >= lead && iotnet__table_soft_break(s + lead, i - lead))
            iotnet__buf_puts(b, "&#8203;");
    }
    for (size_t i = 0; i < trail; i++)
        iotnet__buf_puts(b, "&#32;");
}

/* Escaped and cleaned, through a scratch buffer. */
static void md_append(iotnet__buf *b, const char *s, bool in_cell, iotnet__buf *scratch)
{
    reset(scratch);
    md_escape(scratch, s, in_cell);
    if (scratch->failed)
        b->failed = 1;
    else
        append_clean(b, scratch->data ? scratch->data : "");
}

/* A double-quoted attribute value of an inline attribute list. */
static void ial_value(iotnet__buf *b, const char *s)
{
    iotnet__buf_puts(b, "\"");
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '"': iotnet__buf_puts(b, "\\\""); break;
        case '\\': iotnet__buf_puts(b, "\\\\"); break;
        case '&': iotnet__buf_puts(b, "&amp;"); break;
        case '<': iotnet__buf_puts(b, "&lt;"); break;
        case '>': iotnet__buf_puts(b, "&gt;"); break;
        case '\r':
        case '\n': iotnet__buf_puts(b, " "); break;
        default: iotnet__buf_append(b, p, 1); break;
        }
    }
    iotnet__buf_puts(b, "\"");
}

static void md_row_start(iotnet__buf *b)
{
    iotnet__buf_puts(b, "|");
}

static void md_cell(iotnet__buf *b, const char *text, iotnet__buf *scratch)
{
    iotnet__buf_puts(b, " ");
    if (text)
        md_append(b, text, true, scratch);
    iotnet__buf_puts(b, " |");
}

static void md_table(iotnet__buf *b, const iotnet_table *t)
{
    iotnet__buf scratch = {0}, words = {0};
    md_row_start(b);
    for (size_t c = 0; c < t->ncols; c++)
        md_cell(b, t->cols[c].label, &scratch);
    iotnet__buf_puts(b, "\n|");
    for (size_t c = 0; c < t->ncols; c++)
        iotnet__buf_puts(b, t->cols[c].type == IOTNET_TABLE_INT ? "---:|" : ":---|");
    iotnet__buf_puts(b, "\n");
    for (size_t r = 0; r < t->nrows; r++) {
        md_row_start(b);
        bool starts = iotnet__table_starts_group(t, r);
        for (size_t c = 0; c < t->ncols; c++) /* a group's value on its first row only */
            md_cell(b, t->cols[c].grouped && !starts ? NULL : shown_text(t, r, c, &words), &scratch);
        iotnet__buf_puts(b, "\n");
    }
    if (t->nrows == 0) { /* kramdown-rfc needs a body row */
        md_row_start(b);
        for (size_t c = 0; c < t->ncols; c++)
            md_cell(b, c == 0 ? "(none)" : NULL, &scratch);
        iotnet__buf_puts(b, "\n");
    }
    iotnet__buf_printf(b, "{: #%s title=", t->anchor);
    ial_value(b, t->title);
    iotnet__buf_puts(b, "}\n");
    if (scratch.failed || words.failed)
        b->failed = 1;
    iotnet__buf_free(&scratch);
    iotnet__buf_free(&words);
}

int iotnet__table_markdown(const iotnet_table *t, iotnet__buf *out)
{
    md_table(out, t);
    return out->failed ? iotnet__error_set(IOTNET_ENOMEM, "out of memory writing Markdown") : 0;
}

/* A YAML double-quoted scalar. */
static void yaml_string(iotnet__buf *b, const char *s)
{
    iotnet__buf_puts(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            iotnet__buf_printf(b, "\\%c", *p);
        else if (*p == '\n')
            iotnet__buf_puts(b, "\\n");
        else if (*p < 0x20 || *p == 0x7f)
            iotnet__buf_printf(b, "\\x%02x", *p);
        else
            iotnet__buf_append(b, (const char *)p, 1);
    }
    iotnet__buf_puts(b, "\"");
}

static void yaml_field(iotnet__buf *b, const char *indent, const char *key, const char *value,
                       iotnet__buf *scratch)
{
    if (!value)
        return;
    reset(scratch);
    append_clean(scratch, value);
    iotnet__buf_printf(b, "%s%s: ", indent, key);
    yaml_string(b, scratch->data ? scratch->data : "");
    iotnet__buf_puts(b, "\n");
}

static void md_paragraph(iotnet__buf *b, const char *text, iotnet__buf *scratch)
{
    md_append(b, text, false, scratch);
    iotnet__buf_puts(b, "\n\n");
}

static void md_heading(iotnet__buf *b, const char *title, const char *anchor, iotnet__buf *scratch)
{
    iotnet__buf_puts(b, "# ");
    md_append(b, title, false, scratch);
    iotnet__buf_printf(b, " {#%s}\n\n", anchor);
}

static void md_front(iotnet__buf *b, const iotnet__draft_front *f, iotnet__buf *scratch)
{
    iotnet__buf_puts(b, "---\n");
    yaml_field(b, "", "title", f->title, scratch);
    yaml_field(b, "", "abbrev", f->abbrev, scratch);
    iotnet__buf_printf(b, "docname: %s\ncategory: info\nipr: trust200902\nsubmissiontype: IETF\n"
                          "date: %04d-%02d-%02d\n",
                       f->docname, f->year, f->month, f->day);
    iotnet__buf_puts(b, "author:\n  -\n");
    yaml_field(b, "    ", "fullname", f->author, scratch);
    yaml_field(b, "    ", "organization", f->organization, scratch);
    yaml_field(b, "    ", "email", f->email, scratch);
    iotnet__buf_puts(b, "\n--- abstract\n\n");
    md_paragraph(b, f->abstract, scratch);
}

int iotnet__draft_markdown(const iotnet_table *const *tables, size_t count, const iotnet_draft_options *opts,
                           iotnet__buf *out)
{
    iotnet__draft_front f;
    int error = iotnet__draft_front_init(&f, tables, count, opts);
    if (error)
        return error;
    iotnet__buf scratch = {0};
    md_front(out, &f, &scratch);
    iotnet__buf_puts(out, "--- middle\n\n");
    md_heading(out, "Introduction", "introduction", &scratch);
    md_paragraph(out, f.introduction, &scratch);
    for (size_t i = 0; i < count; i++) {
        char anchor[512];
        snprintf(anchor, sizeof anchor, "sec-%s", tables[i]->anchor);
        md_heading(out, tables[i]->title, anchor, &scratch);
        iotnet__buf_printf(out, "{{%s}} ", tables[i]->anchor);
        md_paragraph(out, tables[i]->description, &scratch);
        md_table(out, tables[i]);
        iotnet__buf_puts(out, "\n");
    }
    md_heading(out, "Security Considerations", "security-considerations", &scratch);
    md_paragraph(out, iotnet__draft_security_text, &scratch);
    md_heading(out, "IANA Considerations", "iana-considerations", &scratch);
    md_paragraph(out, iotnet__draft_iana_text, &scratch);
    iotnet__buf_puts(out, "--- back\n");
    if (scratch.failed)
        out->failed = 1;
    iotnet__buf_free(&scratch);
    iotnet__draft_front_free(&f);
    return out->failed ? iotnet__error_set(IOTNET_ENOMEM, "out of memory writing Markdown") : 0;
}

/* ------------------------------------------------------------------ */
/* CSV (RFC 4180)                                                      */

static void csv_field(iotnet__buf *b, const char *value, iotnet__buf *scratch)
{
    reset(scratch);
    append_clean(scratch, value);
    const char *v = scratch->data ? scratch->data : "";
    if (!strpbrk(v, ",\"\r\n")) {
        iotnet__buf_puts(b, v);
        return;
    }
    iotnet__buf_puts(b, "\"");
    for (const char *p = v; *p; p++) {
        if (*p == '"')
            iotnet__buf_puts(b, "\"");
        iotnet__buf_append(b, p, 1);
    }
    iotnet__buf_puts(b, "\"");
}

int iotnet__table_csv(const iotnet_table *t, iotnet__buf *out)
{
    iotnet__buf scratch = {0};
    for (size_t c = 0; c < t->ncols; c++) {
        if (c)
            iotnet__buf_puts(out, ",");
        csv_field(out, t->cols[c].key, &scratch);
    }
    iotnet__buf_puts(out, "\r\n");
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            if (c)
                iotnet__buf_puts(out, ",");
            csv_field(out, iotnet__table_at(t, r, c), &scratch);
        }
        iotnet__buf_puts(out, "\r\n");
    }
    if (scratch.failed)
        out->failed = 1;
    iotnet__buf_free(&scratch);
    return out->failed ? iotnet__error_set(IOTNET_ENOMEM, "out of memory writing CSV") : 0;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */

static void json_escape(iotnet__buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': iotnet__buf_puts(b, "\\\""); break;
        case '\\': iotnet__buf_puts(b, "\\\\"); break;
        case '\b': iotnet__buf_puts(b, "\\b"); break;
        case '\f': iotnet__buf_puts(b, "\\f"); break;
        case '\n': iotnet__buf_puts(b, "\\n"); break;
        case '\r': iotnet__buf_puts(b, "\\r"); break;
        case '\t': iotnet__buf_puts(b, "\\t"); break;
        default:
            if (c < 0x20)
                iotnet__buf_printf(b, "\\u%04x", c);
            else
                iotnet__buf_append(b, (const char *)&c, 1);
        }
    }
}

/* A JSON string: control characters escaped, then what is not UTF-8 made '?'. */
static void json_string(iotnet__buf *b, const char *s, size_t n, iotnet__buf *scratch)
{
    reset(scratch);
    json_escape(scratch, s, n);
    iotnet__buf_puts(b, "\"");
    append_clean(b, scratch->data ? scratch->data : "");
    iotnet__buf_puts(b, "\"");
}

static void json_member(iotnet__buf *b, const char *indent, const char *key, const char *value,
                        iotnet__buf *scratch)
{
    iotnet__buf_printf(b, "%s", indent);
    json_string(b, key, strlen(key), scratch);
    iotnet__buf_puts(b, ": ");
    json_string(b, value, strlen(value), scratch);
}

static const char *const cell_types[] = {"text", "int", "list"};

static void json_columns(iotnet__buf *b, const iotnet_table *t, iotnet__buf *scratch)
{
    iotnet__buf_puts(b, "  \"columns\": [");
    for (size_t c = 0; c < t->ncols; c++) {
        iotnet__buf_puts(b, c ? ",\n    {" : "\n    {");
        json_member(b, "", "key", t->cols[c].key, scratch);
        json_member(b, ", ", "label", t->cols[c].label, scratch);
        json_member(b, ", ", "type", cell_types[t->cols[c].type], scratch);
        iotnet__buf_printf(b, ", \"grouped\": %s}", t->cols[c].grouped ? "true" : "false");
    }
    iotnet__buf_puts(b, t->ncols ? "\n  ],\n" : "],\n");
}

static void json_value(iotnet__buf *b, iotnet_table_cell type, const char *v, iotnet__buf *scratch)
{
    if (type == IOTNET_TABLE_INT) {
        iotnet__buf_puts(b, v[0] ? v : "null");
        return;
    }
    if (type == IOTNET_TABLE_TEXT) {
        json_string(b, v, strlen(v), scratch);
        return;
    }
    iotnet__buf_puts(b, "[");
    size_t n;
    bool first = true;
    for (const char *w; (w = iotnet__table_next_word(&v, &n)); first = false) {
        iotnet__buf_puts(b, first ? "" : ", ");
        json_string(b, w, n, scratch);
    }
    iotnet__buf_puts(b, "]");
}

int iotnet__table_json(const iotnet_table *t, iotnet__buf *out)
{
    iotnet__buf scratch = {0};
    iotnet__buf_puts(out, "{\n");
    json_member(out, "  ", "anchor", t->anchor, &scratch);
    json_member(out, ",\n  ", "title", t->title, &scratch);
    json_member(out, ",\n  ", "description", t->description, &scratch);
    iotnet__buf_puts(out, ",\n");
    json_columns(out, t, &scratch);
    iotnet__buf_puts(out, "  \"rows\": [");
    for (size_t r = 0; r < t->nrows; r++) {
        iotnet__buf_puts(out, r ? ",\n    {" : "\n    {");
        for (size_t c = 0; c < t->ncols; c++) {
            iotnet__buf_puts(out, c ? ", " : "");
            json_string(out, t->cols[c].key, strlen(t->cols[c].key), &scratch);
            iotnet__buf_puts(out, ": ");
            json_value(out, t->cols[c].type, iotnet__table_at(t, r, c), &scratch);
        }
        iotnet__buf_puts(out, "}");
    }
    iotnet__buf_puts(out, t->nrows ? "\n  ]\n}\n" : "]\n}\n");
    if (scratch.failed)
        out->failed = 1;
    iotnet__buf_free(&scratch);
    return out->failed ? iotnet__error_set(IOTNET_ENOMEM, "out of memory writing JSON") : 0;
}
