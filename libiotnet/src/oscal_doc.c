/* The OSCAL document tree and its two writers. A builder adds nodes in the
 * order OSCAL's metaschema gives them, which is the order XML requires;
 * JSON writes the same nodes as objects, and neighbouring items of one
 * group as an array. */
#include "emit_internal.h"
#include "error_internal.h"
#include "oscal_internal.h"

#include <libxml/xmlwriter.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Building                                                            */

static void doc_fail(os_doc *d)
{
    if (!d->failed)
        iotnet__error_set(IOTNET_ENOMEM, "out of memory building an OSCAL document");
    d->failed = 1;
}

/* Nodes and their text come from large blocks: a document of a big model
   has tens of millions of them, and one allocation each would cost more
   than the text they hold. */
struct os_block {
    os_block *next;
    size_t used, size;
    max_align_t data[];
};

#define BLOCK_SIZE ((size_t)1 << 20)

static void *doc_alloc(os_doc *d, size_t size)
{
    size = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    os_block *b = d->blocks;
    if (!b || b->size - b->used < size) {
        size_t capacity = size > BLOCK_SIZE ? size : BLOCK_SIZE;
        b = malloc(sizeof *b + capacity);
        if (!b) {
            doc_fail(d);
            return NULL;
        }
        b->next = d->blocks;
        b->used = 0;
        b->size = capacity;
        d->blocks = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    return p;
}

void iotnet__os_free(os_doc *d)
{
    while (d->blocks) {
        os_block *next = d->blocks->next;
        free(d->blocks);
        d->blocks = next;
    }
    d->root = NULL;
}

static os_node *new_node(os_doc *d, os_kind kind, const char *group, const char *name)
{
    os_node *n = doc_alloc(d, sizeof *n);
    if (n) {
        memset(n, 0, sizeof *n);
        n->kind = (uint8_t)kind;
        n->group = group;
        n->name = name;
    }
    return n;
}

static os_node *add(os_doc *d, os_node *parent, os_kind kind, const char *group, const char *name)
{
    if (d->failed || !parent)
        return NULL;
    os_node *n = new_node(d, kind, group, name);
    if (!n)
        return NULL;
    if (parent->last)
        parent->last->next = n;
    else
        parent->first = n;
    parent->last = n;
    return n;
}

os_node *iotnet__os_begin(os_doc *d, const char *name)
{
    d->failed = 0;
    d->root = new_node(d, OS_ASSEMBLY, NULL, name);
    return d->root;
}

os_node *iotnet__os_assembly(os_doc *d, os_node *parent, const char *name)
{
    return add(d, parent, OS_ASSEMBLY, NULL, name);
}

os_node *iotnet__os_item(os_doc *d, os_node *parent, const char *group, const char *name)
{
    return add(d, parent, OS_ASSEMBLY, group, name);
}

/* One line of text in the document's blocks: runs of white space as one
   space, trimmed, and what XML cannot carry replaced. NULL when nothing is
   left (or on ENOMEM, with the document failed). */
static char *one_line(os_doc *d, const char *text)
{
    char *unclean = NULL;
    if (!iotnet__text_is_clean(text)) {
        text = unclean = iotnet__text_clean(text);
        if (!text) {
            doc_fail(d);
            return NULL;
        }
    }
    char *out = doc_alloc(d, strlen(text) + 1), *w = out;
    int space = 0;
    for (const char *r = text; out && *r; r++) {
        if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r') {
            space = w > out;
            continue;
        }
        if (space)
            *w++ = ' ';
        space = 0;
        *w++ = *r;
    }
    free(unclean);
    if (!out)
        return NULL;
    *w = '\0';
    return out[0] ? out : NULL;
}

static void add_text(os_doc *d, os_node *parent, os_kind kind, const char *group, const char *name,
                     const char *value)
{
    if (d->failed || !parent || !value)
        return;
    char *text = one_line(d, value);
    os_node *n = text ? add(d, parent, kind, group, name) : NULL;
    if (n)
        n->value = text;
}

void iotnet__os_flag(os_doc *d, os_node *parent, const char *name, const char *value)
{
    add_text(d, parent, OS_FLAG, NULL, name, value);
}

void iotnet__os_flag_int(os_doc *d, os_node *parent, const char *name, long long value)
{
    os_node *n = add(d, parent, OS_FLAG_INT, NULL, name);
    if (n)
        n->number = value;
}

void iotnet__os_field(os_doc *d, os_node *parent, const char *name, const char *value)
{
    add_text(d, parent, OS_FIELD, NULL, name, value);
}

void iotnet__os_field_item(os_doc *d, os_node *parent, const char *group, const char *name,
                           const char *value)
{
    add_text(d, parent, OS_FIELD, group, name, value);
}

void iotnet__os_markup(os_doc *d, os_node *parent, const char *name, const char *text, int multiline)
{
    add_text(d, parent, multiline ? OS_MARKUP_MULTI : OS_MARKUP_LINE, NULL, name, text);
}

void iotnet__os_prop(os_doc *d, os_node *parent, const char *name, const char *value, const char *ns)
{
    if (!value || !value[0])
        return;
    os_node *p = iotnet__os_item(d, parent, "props", "prop");
    iotnet__os_flag(d, p, "name", name);
    iotnet__os_flag(d, p, "ns", ns);
    iotnet__os_flag(d, p, "value", value);
}

int iotnet__os_next_word(const char **p, char *word, size_t size)
{
    for (;;) {
        while (**p == ' ')
            (*p)++;
        if (!**p)
            return 0;
        size_t len = strcspn(*p, " ");
        const char *start = *p;
        *p += len;
        if (len < size) {
            memcpy(word, start, len);
            word[len] = '\0';
            return 1;
        }
    }
}

const char *iotnet__os_printf(os_doc *d, iotnet__buf *scratch, const char *fmt, ...)
{
    if (d->failed)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n >= 0 && scratch->cap < (size_t)n + 1) {
        char *data = realloc(scratch->data, (size_t)n + 1);
        if (!data)
            n = -1;
        else {
            scratch->data = data;
            scratch->cap = (size_t)n + 1;
        }
    }
    if (n < 0) {
        doc_fail(d);
        return NULL;
    }
    va_start(ap, fmt);
    vsnprintf(scratch->data, (size_t)n + 1, fmt, ap);
    va_end(ap);
    scratch->len = (size_t)n;
    return scratch->data;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */

int iotnet__os_markdown_escape(iotnet__buf *b, const char *text)
{
    /* CommonMark's inline markup, entity references, headings and raw
       HTML start with one of these; a backslash makes each literal */
    static const char special[] = "\\`*_[]<>#&!|~";
    const char *run = text;
    for (const char *p = text; *p; p++) {
        if (!strchr(special, *p))
            continue;
        iotnet__buf_append(b, run, (size_t)(p - run));
        iotnet__buf_append(b, "\\", 1);
        run = p;
    }
    iotnet__buf_puts(b, run);
    return b->failed ? IOTNET_ENOMEM : 0;
}

static void json_string(iotnet__buf *b, const char *s)
{
    iotnet__buf_append(b, "\"", 1);
    const char *run = s;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        iotnet__buf_append(b, run, (size_t)(p - run));
        run = p + 1;
        switch (c) {
        case '"':
            iotnet__buf_puts(b, "\\\"");
            break;
        case '\\':
            iotnet__buf_puts(b, "\\\\");
            break;
        case '\n':
            iotnet__buf_puts(b, "\\n");
            break;
        case '\r':
            iotnet__buf_puts(b, "\\r");
            break;
        case '\t':
            iotnet__buf_puts(b, "\\t");
            break;
        default:
            iotnet__buf_printf(b, "\\u%04x", c);
        }
    }
    iotnet__buf_puts(b, run);
    iotnet__buf_append(b, "\"", 1);
}

/* A line break and two spaces a level (deeper levels than the run holds,
   which OSCAL documents do not reach, indent no further). */
static const char line_break[] = "\n                                                                ";

static size_t indent_length(int depth)
{
    size_t n = 1 + 2 * (size_t)depth;
    return n < sizeof line_break - 1 ? n : sizeof line_break - 1;
}

static void json_indent(iotnet__buf *b, int depth)
{
    iotnet__buf_append(b, line_break, indent_length(depth));
}

static void json_assembly(iotnet__buf *b, const os_node *n, int depth);

static void json_value(iotnet__buf *b, const os_node *n, int depth)
{
    switch (n->kind) {
    case OS_ASSEMBLY:
        json_assembly(b, n, depth);
        return;
    case OS_FLAG_INT:
        iotnet__buf_printf(b, "%lld", n->number);
        return;
    case OS_MARKUP_LINE:
    case OS_MARKUP_MULTI: {
        iotnet__buf md = {0};
        iotnet__os_markdown_escape(&md, n->value);
        if (md.failed)
            b->failed = 1;
        else
            json_string(b, md.data ? md.data : "");
        iotnet__buf_free(&md);
        return;
    }
    default:
        json_string(b, n->value);
    }
}

static void json_assembly(iotnet__buf *b, const os_node *n, int depth)
{
    iotnet__buf_append(b, "{", 1);
    int first = 1;
    for (const os_node *c = n->first; c;) {
        iotnet__buf_append(b, first ? "" : ",", first ? 0 : 1);
        first = 0;
        json_indent(b, depth + 1);
        json_string(b, c->group ? c->group : c->name);
        iotnet__buf_puts(b, ": ");
        if (!c->group) {
            json_value(b, c, depth + 1);
            c = c->next;
            continue;
        }
        /* the neighbours of one group form its array */
        const char *group = c->group;
        iotnet__buf_append(b, "[", 1);
        int item = 0;
        for (; c && c->group && strcmp(c->group, group) == 0; c = c->next) {
            iotnet__buf_append(b, item ? "," : "", item ? 1 : 0);
            item = 1;
            json_indent(b, depth + 2);
            json_value(b, c, depth + 2);
        }
        json_indent(b, depth + 1);
        iotnet__buf_append(b, "]", 1);
    }
    if (!first)
        json_indent(b, depth);
    iotnet__buf_append(b, "}", 1);
}

int iotnet__os_write_json(const os_doc *d, char **out)
{
    if (d->failed || !d->root)
        return IOTNET_ENOMEM;
    iotnet__buf b = {0};
    iotnet__buf_append(&b, "{", 1);
    json_indent(&b, 1);
    json_string(&b, d->root->name);
    iotnet__buf_puts(&b, ": ");
    json_assembly(&b, d->root, 1);
    iotnet__buf_puts(&b, "\n}\n");
    *out = iotnet__buf_detach(&b);
    return *out ? 0 : iotnet__error_set(IOTNET_ENOMEM, "out of memory writing OSCAL JSON");
}

/* ------------------------------------------------------------------ */
/* XML                                                                 */

typedef struct xml_out {
    xmlTextWriterPtr w;
    int failed;
} xml_out;

static void xcheck(xml_out *x, int rc)
{
    if (rc < 0)
        x->failed = 1;
}

static void xml_newline(xml_out *x, int depth)
{
    xcheck(x, xmlTextWriterWriteRawLen(x->w, BAD_CAST line_break, (int)indent_length(depth)));
}

static void xml_text_element(xml_out *x, const char *name, const char *text)
{
    xcheck(x, xmlTextWriterStartElement(x->w, BAD_CAST name));
    xcheck(x, xmlTextWriterWriteString(x->w, BAD_CAST text));
    xcheck(x, xmlTextWriterEndElement(x->w));
}

static void xml_node(xml_out *x, const os_node *n, int depth)
{
    if (n->kind == OS_MARKUP_MULTI) {
        xcheck(x, xmlTextWriterStartElement(x->w, BAD_CAST n->name));
        xml_text_element(x, "p", n->value);
        xcheck(x, xmlTextWriterEndElement(x->w));
        return;
    }
    if (n->kind != OS_ASSEMBLY) {
        xml_text_element(x, n->name, n->value);
        return;
    }
    xcheck(x, xmlTextWriterStartElement(x->w, BAD_CAST n->name));
    if (depth == 0)
        xcheck(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST "xmlns", BAD_CAST OSCAL_XML_NS));
    /* flags are attributes, wherever the builder put them */
    for (const os_node *c = n->first; c; c = c->next) {
        if (c->kind == OS_FLAG) {
            xcheck(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST c->name, BAD_CAST c->value));
        } else if (c->kind == OS_FLAG_INT) {
            char number[32];
            snprintf(number, sizeof number, "%lld", c->number);
            xcheck(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST c->name, BAD_CAST number));
        }
    }
    int children = 0;
    for (const os_node *c = n->first; c; c = c->next) {
        if (c->kind == OS_FLAG || c->kind == OS_FLAG_INT)
            continue;
        xml_newline(x, depth + 1);
        xml_node(x, c, depth + 1);
        children = 1;
    }
    if (children)
        xml_newline(x, depth);
    /* an assembly with no content is written <include-all/> */
    xcheck(x, children ? xmlTextWriterFullEndElement(x->w) : xmlTextWriterEndElement(x->w));
}

/* libxml2 output callback: append to the text of the document. */
static int append_output(void *context, const char *data, int len)
{
    return iotnet__buf_append(context, data, (size_t)len) == 0 ? len : -1;
}

int iotnet__os_write_xml(const os_doc *d, char **out)
{
    if (d->failed || !d->root)
        return IOTNET_ENOMEM;
    iotnet__buf text = {0};
    /* the writer owns the output buffer and closes it when freed */
    xmlOutputBufferPtr output = xmlOutputBufferCreateIO(append_output, NULL, &text, NULL);
    xml_out x = {.w = output ? xmlNewTextWriter(output) : NULL};
    if (!x.w) {
        if (output)
            xmlOutputBufferClose(output);
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory writing OSCAL XML");
    }
    /* the declaration by hand, as emit_graphml.c does: naming the encoding
       would route the output through a UTF-8 to UTF-8 converter */
    xcheck(&x, xmlTextWriterWriteRaw(x.w, BAD_CAST "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    xml_node(&x, d->root, 0);
    xcheck(&x, xmlTextWriterEndDocument(x.w));
    xmlFreeTextWriter(x.w); /* flushes the last bytes into text */
    int error = 0;
    if (x.failed || text.failed)
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory writing OSCAL XML");
    else
        *out = iotnet__buf_detach(&text);
    iotnet__buf_free(&text);
    return error;
}
