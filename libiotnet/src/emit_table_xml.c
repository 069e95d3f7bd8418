/* Tables as XML through libxml2's xmlTextWriter, which does the escaping:
   xml2rfc v3 <table> (RFC 7991), whole xml2rfc v3 drafts, and HTML tables. */
#include "emit_internal.h"
#include "error_internal.h"
#include "table_internal.h"

#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct xw {
    xmlTextWriterPtr w;
    int failed;   /* an xmlTextWriter call failed: out of memory */
    bool started; /* something was written: a line break may precede the next element */
} xw;

static void check(xw *x, int rc)
{
    if (rc < 0)
        x->failed = 1;
}

/* Line breaks and indentation by hand: libxml2's indenting would add white
   space inside cells that hold text and <br/>. */
static void newline(xw *x, int depth)
{
    static const char spaces[] = "\n                    ";
    int n = depth < 0 ? 0 : depth > 10 ? 10 : depth;
    if (x->started)
        check(x, xmlTextWriterWriteRawLen(x->w, BAD_CAST spaces, 1 + 2 * n));
}

/* Start an element on a line of its own at `depth`, or inline (depth < 0). */
static void start(xw *x, const char *name, int depth)
{
    if (depth >= 0)
        newline(x, depth);
    check(x, xmlTextWriterStartElement(x->w, BAD_CAST name));
    x->started = true;
}

static void end(xw *x)
{
    check(x, xmlTextWriterEndElement(x->w));
}

/* Close an element whose children started on lines of their own. */
static void end_block(xw *x, int depth)
{
    newline(x, depth);
    end(x);
}

/* Text with what XML cannot carry replaced by '?' (the writer escapes the rest). */
static void write_clean(xw *x, const char *s, size_t n)
{
    char *copy = strndup(s, n);
    char *clean = copy && !iotnet__text_is_clean(copy) ? iotnet__text_clean(copy) : NULL;
    if (!copy || (!clean && !iotnet__text_is_clean(copy)))
        x->failed = 1;
    else
        check(x, xmlTextWriterWriteString(x->w, BAD_CAST(clean ? clean : copy)));
    free(clean);
    free(copy);
}

static void write_line(xw *x, const char *s, size_t n, bool soft_breaks)
{
    size_t from = 0;
    for (size_t i = 0; soft_breaks && i < n; i++)
        if (iotnet__table_soft_break(s, i)) {
            write_clean(x, s + from, i + 1 - from);
            check(x, xmlTextWriterWriteRaw(x->w, BAD_CAST "&#8203;"));
            from = i + 1;
        }
    if (n > from)
        write_clean(x, s + from, n - from);
}

/* Element content: each line break between lines is a <br/>. */
static void content(xw *x, const char *s, const char *br, bool soft_breaks)
{
    for (const char *p = s; *p;) {
        size_t n = strcspn(p, "\r\n");
        write_line(x, p, n, soft_breaks);
        p += n;
        if (!*p)
            break;
        p += (p[0] == '\r' && p[1] == '\n') ? 2 : 1;
        if (*p) {
            check(x, xmlTextWriterStartElement(x->w, BAD_CAST br));
            end(x);
        }
    }
}

static void text(xw *x, const char *s, const char *br)
{
    content(x, s, br, false);
}

static void attribute(xw *x, const char *name, const char *value)
{
    check(x, xmlTextWriterStartAttribute(x->w, BAD_CAST name));
    write_clean(x, value, strlen(value));
    check(x, xmlTextWriterEndAttribute(x->w));
}

static void element_text(xw *x, const char *name, const char *value, int depth)
{
    start(x, name, depth);
    text(x, value, "br");
    end(x);
}

/* libxml2 output callback: append to the text buffer. */
static int append_output(void *context, const char *data, int len)
{
    return iotnet__buf_append(context, data, (size_t)len) == 0 ? len : -1;
}

static int xw_open(xw *x, iotnet__buf *out)
{
    /* the writer owns the output buffer from here and closes it when freed */
    xmlOutputBufferPtr output = xmlOutputBufferCreateIO(append_output, NULL, out, NULL);
    x->w = output ? xmlNewTextWriter(output) : NULL;
    x->failed = 0;
    x->started = false;
    if (!x->w) {
        if (output)
            xmlOutputBufferClose(output);
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory writing XML");
    }
    return 0;
}

static int xw_close(xw *x, iotnet__buf *out, int error)
{
    check(x, xmlTextWriterEndDocument(x->w));
    xmlFreeTextWriter(x->w); /* flushes the last bytes into out */
    x->w = NULL;
    if (!error && (x->failed || out->failed))
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory writing XML");
    return error;
}

/* ------------------------------------------------------------------ */
/* One table                                                           */

/* How the XML dialects differ: element names for a line break, the
   attribute that right-aligns numbers, where the title goes. */
typedef struct dialect {
    const char *id_attribute;  /* "anchor" or "id" */
    const char *title_element; /* "name" or "caption" */
    const char *br;
    bool html;
    bool soft_breaks;          /* zero-width spaces where ids may wrap */
} dialect;

static const dialect xml2rfc_dialect = {"anchor", "name", "br", false, true};
static const dialect html_dialect = {"id", "caption", "br", true, false};

static void align(xw *x, const dialect *d, iotnet_table_cell type)
{
    if (d->html)
        attribute(x, "style", type == IOTNET_TABLE_INT ? "text-align: right" : "text-align: left");
    else
        attribute(x, "align", type == IOTNET_TABLE_INT ? "right" : "left");
}

static void cell(xw *x, const dialect *d, const iotnet_table *t, size_t r, size_t c, int depth,
                 iotnet__buf *scratch)
{
    const iotnet__table_col *col = &t->cols[c];
    if (col->grouped && !iotnet__table_starts_group(t, r))
        return; /* covered by the group's cell above */
    start(x, "td", depth);
    if (col->grouped && t->span && t->span[r] > 1) {
        char span[32];
        snprintf(span, sizeof span, "%zu", t->span[r]);
        attribute(x, "rowspan", span);
    }
    if (col->type == IOTNET_TABLE_INT)
        align(x, d, col->type);
    const char *value = iotnet__table_at(t, r, c);
    if (col->type == IOTNET_TABLE_LIST) {
        scratch->len = 0;
        if (scratch->data)
            scratch->data[0] = '\0';
        iotnet__table_join_words(scratch, value);
        value = scratch->data ? scratch->data : "";
        if (scratch->failed)
            x->failed = 1;
    }
    content(x, value, d->br, d->soft_breaks);
    end(x);
}

static void header(xw *x, const dialect *d, const iotnet_table *t, int depth)
{
    start(x, "thead", depth);
    start(x, "tr", depth + 1);
    for (size_t c = 0; c < t->ncols; c++) {
        start(x, "th", depth + 2);
        align(x, d, t->cols[c].type);
        text(x, t->cols[c].label, d->br);
        end(x);
    }
    end_block(x, depth + 1);
    end_block(x, depth);
}

static void body(xw *x, const dialect *d, const iotnet_table *t, int depth)
{
    iotnet__buf scratch = {0};
    start(x, "tbody", depth);
    for (size_t r = 0; r < t->nrows; r++) {
        start(x, "tr", depth + 1);
        for (size_t c = 0; c < t->ncols; c++)
            cell(x, d, t, r, c, depth + 2, &scratch);
        end_block(x, depth + 1);
    }
    if (t->nrows == 0) { /* a body needs a row */
        char span[32];
        snprintf(span, sizeof span, "%zu", t->ncols ? t->ncols : 1);
        start(x, "tr", depth + 1);
        start(x, "td", depth + 2);
        attribute(x, "colspan", span);
        text(x, "(none)", d->br);
        end(x);
        end_block(x, depth + 1);
    }
    end_block(x, depth);
    iotnet__buf_free(&scratch);
}

static void table(xw *x, const dialect *d, const iotnet_table *t, int depth)
{
    start(x, "table", depth);
    attribute(x, d->id_attribute, t->anchor);
    element_text(x, d->title_element, t->title, depth + 1);
    header(x, d, t, depth + 1);
    body(x, d, t, depth + 1);
    end_block(x, depth);
}

static int render_one(const iotnet_table *t, const dialect *d, iotnet__buf *out)
{
    xw x;
    int error = xw_open(&x, out);
    if (error)
        return error;
    table(&x, d, t, 0);
    check(&x, xmlTextWriterWriteRaw(x.w, BAD_CAST "\n"));
    return xw_close(&x, out, 0);
}

int iotnet__table_xml2rfc(const iotnet_table *t, iotnet__buf *out)
{
    return render_one(t, &xml2rfc_dialect, out);
}

int iotnet__table_html(const iotnet_table *t, iotnet__buf *out)
{
    return render_one(t, &html_dialect, out);
}

/* ------------------------------------------------------------------ */
/* A whole draft                                                       */

static void paragraph(xw *x, const char *s, int depth)
{
    element_text(x, "t", s, depth);
}

static void front(xw *x, const iotnet__draft_front *f)
{
    start(x, "front", 1);
    start(x, "title", 2);
    if (f->abbrev)
        attribute(x, "abbrev", f->abbrev);
    text(x, f->title, "br");
    end(x);
    start(x, "seriesInfo", 2);
    attribute(x, "name", "Internet-Draft");
    attribute(x, "value", f->docname);
    end(x);
    start(x, "author", 2);
    attribute(x, "fullname", f->author);
    if (f->organization)
        element_text(x, "organization", f->organization, 3);
    if (f->email) {
        start(x, "address", 3);
        element_text(x, "email", f->email, 4);
        end_block(x, 3);
    }
    end_block(x, 2);
    char year[8], month[4], day[4];
    snprintf(year, sizeof year, "%d", f->year);
    snprintf(month, sizeof month, "%d", f->month);
    snprintf(day, sizeof day, "%d", f->day);
    start(x, "date", 2);
    attribute(x, "year", year);
    attribute(x, "month", month);
    attribute(x, "day", day);
    end(x);
    start(x, "abstract", 2);
    paragraph(x, f->abstract, 3);
    end_block(x, 2);
    end_block(x, 1);
}

static void section_start(xw *x, const char *anchor, const char *name)
{
    start(x, "section", 2);
    attribute(x, "anchor", anchor);
    element_text(x, "name", name, 3);
}

static void table_section(xw *x, const iotnet_table *t)
{
    char anchor[512];
    snprintf(anchor, sizeof anchor, "sec-%s", t->anchor);
    section_start(x, anchor, t->title);
    start(x, "t", 3);
    start(x, "xref", -1);
    attribute(x, "target", t->anchor);
    end(x);
    check(x, xmlTextWriterWriteString(x->w, BAD_CAST " "));
    text(x, t->description, "br");
    end(x);
    table(x, &xml2rfc_dialect, t, 3);
    end_block(x, 2);
}

int iotnet__draft_xml2rfc(const iotnet_table *const *tables, size_t count, const iotnet_draft_options *opts,
                          iotnet__buf *out)
{
    iotnet__draft_front f;
    int error = iotnet__draft_front_init(&f, tables, count, opts);
    if (error)
        return error;
    xw x;
    error = xw_open(&x, out);
    if (error) {
        iotnet__draft_front_free(&f);
        return error;
    }
    check(&x, xmlTextWriterWriteRaw(x.w, BAD_CAST "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    start(&x, "rfc", 0);
    attribute(&x, "version", "3");
    attribute(&x, "category", "info");
    attribute(&x, "docName", f.docname);
    attribute(&x, "ipr", "trust200902");
    attribute(&x, "submissionType", "IETF");
    attribute(&x, "xml:lang", "en");
    front(&x, &f);
    start(&x, "middle", 1);
    section_start(&x, "introduction", "Introduction");
    paragraph(&x, f.introduction, 3);
    end_block(&x, 2);
    for (size_t i = 0; i < count; i++)
        table_section(&x, tables[i]);
    section_start(&x, "security-considerations", "Security Considerations");
    paragraph(&x, iotnet__draft_security_text, 3);
    end_block(&x, 2);
    section_start(&x, "iana-considerations", "IANA Considerations");
    paragraph(&x, iotnet__draft_iana_text, 3);
    end_block(&x, 2);
    end_block(&x, 1);
    start(&x, "back", 1);
    end(&x);
    end_block(&x, 0);
    check(&x, xmlTextWriterWriteRaw(x.w, BAD_CAST "\n"));
    error = xw_close(&x, out, 0);
    iotnet__draft_front_free(&f);
    return error;
}
