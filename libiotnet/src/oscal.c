/* OSCAL entry points and what both documents share: options, metadata,
 * timestamps, control ids and the back-matter resources that stand for
 * the frameworks. */
#include "catalog_internal.h"
#include "error_internal.h"
#include "oscal_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t iotnet__os_now(const iotnet_oscal_options *opts)
{
    return opts->now != IOTNET_TIME_UNSET ? opts->now : iotnet__clock_now();
}

void iotnet__os_datetime(char *buf, int64_t seconds)
{
    time_t t = (time_t)seconds;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        strcpy(buf, "1970-01-01T00:00:00Z");
}

os_node *iotnet__os_metadata(os_doc *d, os_node *root, const char *title, int64_t now,
                             const iotnet_oscal_options *opts)
{
    char stamp[32];
    iotnet__os_datetime(stamp, now);
    os_node *m = iotnet__os_assembly(d, root, "metadata");
    iotnet__os_markup(d, m, "title", title, 0);
    iotnet__os_field(d, m, "last-modified", stamp);
    iotnet__os_field(d, m, "version", opts->document_version ? opts->document_version : "1.0");
    iotnet__os_field(d, m, "oscal-version", OSCAL_VERSION);
    return m;
}

/* ------------------------------------------------------------------ */
/* Frameworks and control ids                                          */

typedef struct framework_def {
    const char *id;
    const char *title;
    const char *prefix; /* put before the framework's own number */
} framework_def;

static const framework_def frameworks[] = {
    {"iso27001-2022", "ISO/IEC 27001:2022 Annex A", "a."},
    {"iec62443-3-3", "IEC 62443-3-3 system security requirements", ""},
    {"etsi-en303645", "ETSI EN 303 645 provisions", "provision-"},
    {"nistir8259a", "NISTIR 8259A device cybersecurity capabilities", "capability-"},
};
#define FRAMEWORK_COUNT (sizeof frameworks / sizeof frameworks[0])

static const framework_def *framework_find(const char *id)
{
    for (size_t i = 0; i < FRAMEWORK_COUNT; i++)
        if (strcmp(frameworks[i].id, id) == 0)
            return &frameworks[i];
    return NULL;
}

const char *iotnet__os_framework_title(const char *framework)
{
    const framework_def *f = framework_find(framework);
    return f ? f->title : NULL;
}

int iotnet__os_control_id(char *out, size_t size, const char *framework, const char *id)
{
    const framework_def *f = framework_find(framework);
    const char *prefix = f ? f->prefix : "";
    /* OSCAL's token: a letter or '_' first, then letters, digits, '.', '-', '_' */
    if (!f && !(isalpha((unsigned char)id[0]) || id[0] == '_'))
        prefix = "control-";
    size_t n = strlen(prefix);
    if (n + strlen(id) + 1 > size || !id[0])
        return iotnet__error_set(IOTNET_EINVAL, "control \"%.80s\" of %.40s: id too long for OSCAL", id, framework);
    memcpy(out, prefix, n);
    for (const char *p = id; *p; p++) {
        unsigned char c = (unsigned char)*p;
        out[n++] = isalnum(c) || c == '.' || c == '_' ? (char)tolower(c) : '-';
    }
    out[n] = '\0';
    return 0;
}

void iotnet__os_framework_href(char out[IOTNET_UUID_TEXT_SIZE + 1], const char *framework)
{
    char name[300];
    snprintf(name, sizeof name, "framework/%s", framework);
    out[0] = '#';
    iotnet_oscal_uuid(out + 1, NULL, name);
}

void iotnet__os_framework_resource(os_doc *d, os_node *back_matter, const char *framework)
{
    char href[IOTNET_UUID_TEXT_SIZE + 1];
    iotnet__os_framework_href(href, framework);
    const char *title = iotnet__os_framework_title(framework);
    os_node *r = iotnet__os_item(d, back_matter, "resources", "resource");
    iotnet__os_flag(d, r, "uuid", href + 1);
    iotnet__os_markup(d, r, "title", title ? title : framework, 0);
    iotnet__os_markup(d, r, "description",
                      "The control catalog of this framework as libiotnet's catalogs number it; "
                      "the controls' OSCAL ids are derived from those numbers.",
                      1);
    iotnet__os_prop(d, r, "framework", framework, IOTNET_OSCAL_NS);
}

int iotnet__os_mitigation_controls(const iotnet_catalog *cat, size_t mitigation, uint32_t **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    const mitigation_rec *m = &cat->mitigations.items[mitigation];
    const char *words = cat_text(cat, m->controls);
    size_t cap = 1;
    for (const char *p = words; *p; p++)
        cap += *p == ' ';
    uint32_t *list = malloc(cap * sizeof *list);
    if (!list)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    size_t n = 0;
    /* the words were resolved when the catalog loaded: "framework:id" keys */
    char word[300];
    for (const char *p = words; iotnet__os_next_word(&p, word, sizeof word);) {
        iotnet__str key = iotnet__strpool_lookup(&cat->strings, word);
        uint32_t c = key ? iotnet__idmap_get(&cat->control_by_key, key) : UINT32_MAX;
        if (c != UINT32_MAX && n < cap)
            list[n++] = c;
    }
    if (n == 0) {
        free(list);
        return 0;
    }
    *out = list;
    *count = n;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Entry points                                                        */

/* What OSCAL's string types accept for the version: one line, no white
   space at either end. */
static int version_ok(const char *v)
{
    size_t n = strlen(v);
    if (n == 0 || isspace((unsigned char)v[0]) || isspace((unsigned char)v[n - 1]))
        return 0;
    return strpbrk(v, "\n\r") == NULL;
}

static int check_options(const char *what, const iotnet_oscal_options *opts)
{
    if (opts->version != IOTNET_OSCAL_OPTIONS_VERSION)
        return iotnet__error_set(IOTNET_EINVAL, "%s: options version %u (expected %d)", what, opts->version,
                                 IOTNET_OSCAL_OPTIONS_VERSION);
    if (opts->format != IOTNET_OSCAL_JSON && opts->format != IOTNET_OSCAL_XML)
        return iotnet__error_set(IOTNET_EINVAL, "%s: unknown format %d (expected JSON or XML)", what,
                                 (int)opts->format);
    if (opts->document_version && !version_ok(opts->document_version))
        return iotnet__error_set(IOTNET_EINVAL,
                                 "%s: document version \"%.60s\" must be one line without white space at its ends",
                                 what, opts->document_version);
    return 0;
}

/* The options in force: the caller's, checked, or the defaults for NULL. */
static int options_in_force(const char *what, const iotnet_oscal_options **opts, iotnet_oscal_options *defaults)
{
    *defaults = (iotnet_oscal_options)IOTNET_OSCAL_OPTIONS_INIT;
    if (!*opts)
        *opts = defaults;
    return check_options(what, *opts);
}

/* Write a built document in the options' format (unless building failed)
   and free it. */
static int render(os_doc *d, int error, const iotnet_oscal_options *opts, char **out)
{
    if (!error)
        error = opts->format == IOTNET_OSCAL_XML ? iotnet__os_write_xml(d, out) : iotnet__os_write_json(d, out);
    iotnet__os_free(d);
    return error;
}

int iotnet_oscal_assessment_results(char **out, const iotnet_net *net, const iotnet_catalog *cat,
                                    const iotnet_findings *findings, const iotnet_oscal_options *opts)
{
    static const char what[] = "iotnet_oscal_assessment_results";
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "%s: out is NULL", what);
    *out = NULL;
    if (!net || !cat || !findings)
        return iotnet__error_set(IOTNET_EINVAL, "%s: %s is NULL", what, !net ? "net" : !cat ? "cat" : "findings");
    iotnet_oscal_options defaults;
    int error = options_in_force(what, &opts, &defaults);
    if (error)
        return error;
    os_doc d = {0};
    return render(&d, iotnet__oscal_ar_build(&d, net, cat, findings, opts), opts, out);
}

int iotnet_oscal_component_definition(char **out, const iotnet_catalog *cat, const iotnet_oscal_options *opts)
{
    static const char what[] = "iotnet_oscal_component_definition";
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "%s: out is NULL", what);
    *out = NULL;
    if (!cat)
        return iotnet__error_set(IOTNET_EINVAL, "%s: cat is NULL", what);
    iotnet_oscal_options defaults;
    int error = options_in_force(what, &opts, &defaults);
    if (error)
        return error;
    os_doc d = {0};
    return render(&d, iotnet__oscal_cd_build(&d, cat, opts), opts, out);
}
