/* Rendering entry points, and the front matter drafts of both formats share. */
#include "error_internal.h"
#include "table_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const iotnet__draft_security_text =
    "This document lists threats to a network and the mitigations that address them; it defines "
    "no protocol. A table of open findings and of what the Internet reaches tells an attacker where "
    "the network is weak: publish it only about networks that are examples, or once the findings "
    "are fixed.";

const char *const iotnet__draft_iana_text = "This document has no IANA actions.";

typedef int (*table_renderer)(const iotnet_table *t, iotnet__buf *out);

/* A table without columns has no header row: xml2rfc, Markdown and HTML
   would get an empty row that breaks the document, CSV an empty line. */
static int require_columns(const iotnet_table *t)
{
    if (iotnet_table_column_count(t) == 0)
        return iotnet__error_set(IOTNET_EINVAL, "table '%s' has no columns to render", t->anchor);
    return 0;
}

static int render_with(char **out, iotnet__buf *b, int error)
{
    if (!error) {
        *out = iotnet__buf_detach(b);
        if (!*out)
            error = iotnet__error_set(IOTNET_ENOMEM, "out of memory rendering a table");
    }
    iotnet__buf_free(b);
    return error;
}

int iotnet_table_render(char **out, const iotnet_table *t, iotnet_table_format format)
{
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_table_render: out is NULL");
    *out = NULL;
    if (!t)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_table_render: table is NULL");
    table_renderer render = NULL;
    switch (format) {
    case IOTNET_TABLE_XML2RFC: render = iotnet__table_xml2rfc; break;
    case IOTNET_TABLE_MARKDOWN: render = iotnet__table_markdown; break;
    case IOTNET_TABLE_CSV: render = iotnet__table_csv; break;
    case IOTNET_TABLE_JSON: render = iotnet__table_json; break;
    case IOTNET_TABLE_HTML: render = iotnet__table_html; break;
    }
    if (!render)
        return iotnet__error_set(IOTNET_EINVAL, "unknown table format %d", (int)format);
    int error = require_columns(t);
    if (error)
        return error;
    iotnet__buf b = {0};
    return render_with(out, &b, render(t, &b));
}

/* Every anchor of the draft: the fixed sections', each table's and its
   section's ("sec-" and the table's) must differ. */
static int check_anchors(const iotnet_table *const *tables, size_t count)
{
    static const char *const fixed[] = {"introduction", "security-considerations", "iana-considerations"};
    for (size_t i = 0; i < count; i++) {
        if (!tables[i])
            return iotnet__error_set(IOTNET_EINVAL, "draft: table %zu is NULL", i);
        int error = require_columns(tables[i]);
        if (error)
            return error;
        const char *a = tables[i]->anchor;
        for (size_t k = 0; k < sizeof fixed / sizeof fixed[0]; k++)
            if (strcmp(a, fixed[k]) == 0)
                return iotnet__error_set(IOTNET_EINVAL, "draft: anchor '%s' is that of a section", a);
        for (size_t j = 0; j < count; j++) {
            const char *b = tables[j] ? tables[j]->anchor : "";
            if (j < i && strcmp(a, b) == 0)
                return iotnet__error_set(IOTNET_EINVAL, "draft: tables %zu and %zu have the same anchor '%s'",
                                         j, i, a);
            if (strncmp(a, "sec-", 4) == 0 && strcmp(a + 4, b) == 0)
                return iotnet__error_set(IOTNET_EINVAL,
                                         "draft: anchor '%s' is that of the section of table '%s'", a, b);
        }
    }
    return 0;
}

int iotnet_draft_render(char **out, const iotnet_table *const *tables, size_t count,
                        iotnet_draft_format format, const iotnet_draft_options *opts)
{
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_draft_render: out is NULL");
    *out = NULL;
    if (!tables || count == 0)
        return iotnet__error_set(IOTNET_EINVAL, "a draft needs at least one table");
    if (opts && opts->version != IOTNET_DRAFT_OPTIONS_VERSION)
        return iotnet__error_set(IOTNET_EINVAL, "draft options version %u, expected %u", opts->version,
                                 IOTNET_DRAFT_OPTIONS_VERSION);
    if (format != IOTNET_DRAFT_XML2RFC && format != IOTNET_DRAFT_MARKDOWN)
        return iotnet__error_set(IOTNET_EINVAL, "unknown draft format %d", (int)format);
    int error = check_anchors(tables, count);
    if (error)
        return error;
    iotnet__buf b = {0};
    error = format == IOTNET_DRAFT_XML2RFC ? iotnet__draft_xml2rfc(tables, count, opts, &b)
                                           : iotnet__draft_markdown(tables, count, opts, &b);
    return render_with(out, &b, error);
}

/* ------------------------------------------------------------------ */
/* Front matter                                                        */

/* "draft-" then lower-case letters, digits and '-', ending in "-NN". */
static int check_docname(const char *name)
{
    size_t n = strlen(name);
    bool ok = n > 9 && strncmp(name, "draft-", 6) == 0 && name[n - 3] == '-' && name[n - 2] >= '0' &&
              name[n - 2] <= '9' && name[n - 1] >= '0' && name[n - 1] <= '9';
    for (size_t i = 0; ok && i < n; i++)
        ok = (name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') || name[i] == '-';
    if (!ok)
        return iotnet__error_set(IOTNET_EINVAL,
                                 "docname '%s' must be 'draft-' and lower-case letters, digits and '-', "
                                 "ending in a two-digit revision ('-00')",
                                 name);
    return 0;
}

static char *option_or(const char *value, const char *fallback)
{
    return iotnet__strdup(value ? value : fallback);
}

/* The defaults that depend on the tables: from the first one's model name. */
static void derive_defaults(iotnet__draft_front *f, const iotnet_table *const *tables, size_t count,
                           const iotnet_draft_options *o)
{
    const char *name = tables[0]->name;
    iotnet__buf b = {0};
    if (!o->title) {
        iotnet__buf_printf(&b, "Threats and Exposure of %s", name[0] ? name : "an IoT Network");
        f->title = iotnet__buf_detach(&b);
    }
    if (!o->docname) {
        iotnet__buf_puts(&b, "draft-iotnet-");
        size_t before = b.len;
        iotnet__table_slug(&b, name);
        iotnet__buf_puts(&b, b.len == before ? "tables-00" : "-00");
        f->docname = iotnet__buf_detach(&b);
    }
    if (!o->abstract) {
        iotnet__buf_printf(&b, "This document gives the results of an analysis of %s%s%s by libiotnet as tables: ",
                           name[0] ? "the network model \"" : "a network model", name, name[0] ? "\"" : "");
        for (size_t i = 0; i < count; i++)
            iotnet__buf_printf(&b, "%s%s", i ? (i + 1 == count ? "; and " : "; ") : "", tables[i]->title);
        iotnet__buf_puts(&b, ".");
        f->abstract = iotnet__buf_detach(&b);
    }
    iotnet__buf_puts(&b, "Each section below shows one table generated from the model and the threat "
                         "catalog; the identifiers in them are those of the model's nodes, services and "
                         "zones and of the catalog's threats and mitigations. Risk is likelihood times "
                         "impact, each from 1 to 5.");
    f->introduction = iotnet__buf_detach(&b);
    iotnet__buf_free(&b);
}

/* xml2rfc wants page headers of at most 40 characters: a longer title gets
   an abbreviation, its words up to that length. */
#define ABBREV_MAX 40

static char *abbreviate(const char *title)
{
    size_t n = strlen(title);
    if (n <= ABBREV_MAX)
        return NULL;
    n = ABBREV_MAX;
    while (n > 0 && title[n] != ' ')
        n--;
    return strndup(title, n ? n : ABBREV_MAX);
}

static int resolve_date(iotnet__draft_front *f, int64_t date)
{
    time_t t = date == IOTNET_TIME_UNSET ? time(NULL) : (time_t)date;
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return iotnet__error_set(IOTNET_EINVAL, "draft: the date is out of range");
    f->year = tm.tm_year + 1900;
    f->month = tm.tm_mon + 1;
    f->day = tm.tm_mday;
    return 0;
}

int iotnet__draft_front_init(iotnet__draft_front *f, const iotnet_table *const *tables, size_t count,
                             const iotnet_draft_options *opts)
{
    iotnet_draft_options defaults = IOTNET_DRAFT_OPTIONS_INIT;
    const iotnet_draft_options *o = opts ? opts : &defaults;
    memset(f, 0, sizeof *f);
    int error = o->docname ? check_docname(o->docname) : 0;
    if (!error)
        error = resolve_date(f, o->date);
    if (error)
        return error;
    f->title = o->title ? iotnet__strdup(o->title) : NULL;
    f->docname = o->docname ? iotnet__strdup(o->docname) : NULL;
    f->abstract = o->abstract ? iotnet__strdup(o->abstract) : NULL;
    f->abbrev = o->abbrev ? iotnet__strdup(o->abbrev) : NULL;
    f->author = option_or(o->author, "libiotnet");
    f->organization = o->organization ? iotnet__strdup(o->organization) : NULL;
    f->email = o->email ? iotnet__strdup(o->email) : NULL;
    derive_defaults(f, tables, count, o);
    if (!o->abbrev && f->title)
        f->abbrev = abbreviate(f->title);
    bool abbrev_lost = !f->abbrev && (o->abbrev || (f->title && strlen(f->title) > ABBREV_MAX));
    if (!f->title || !f->docname || !f->abstract || !f->introduction || !f->author || abbrev_lost ||
        (o->organization && !f->organization) || (o->email && !f->email)) {
        iotnet__draft_front_free(f);
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory writing a draft");
    }
    return 0;
}

void iotnet__draft_front_free(iotnet__draft_front *f)
{
    free(f->title);
    free(f->abbrev);
    free(f->docname);
    free(f->author);
    free(f->organization);
    free(f->email);
    free(f->abstract);
    free(f->introduction);
    memset(f, 0, sizeof *f);
}
