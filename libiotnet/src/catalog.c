/* Catalog files through libxml2: hardened parsing (no network, no DTD, no
 * entity substitution, libxml2's limits on), RELAX NG validation against
 * the data directory's catalogs/schema/catalog.rng, then threats, mitigations, controls
 * and declarations into the set. A load is a transaction: on any error the
 * set is rolled back to what it held before. */
#include "catalog_internal.h"
#include "error_internal.h"
#include "library_internal.h"
#include "locks.h"
#include "util.h"

#include <dirent.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#define CATALOG_NS "urn:libiotnet:catalog"
#define SCHEMA_PATH "catalogs/schema/catalog.rng" /* in the data directory */
/* how size messages name the limit */
#define CATALOG_LIMIT "IOTNET_CATALOG_MAX_BYTES, the limit for a catalog file"

/* ---- libxml2 errors ------------------------------------------------------ */

typedef struct xml_errors {
    char message[512];
    long line;
    int count;
} xml_errors;

static void keep_first(void *payload, xmlErrorPtr e)
{
    xml_errors *x = payload;
    if (!e || x->count++)
        return;
    snprintf(x->message, sizeof x->message, "%s", e->message ? e->message : "error");
    size_t n = strlen(x->message);
    while (n && (x->message[n - 1] == '\n' || x->message[n - 1] == ' '))
        x->message[--n] = '\0';
    x->line = e->line;
    if (e->node && e->domain == XML_FROM_RELAXNGV)
        x->line = xmlGetLineNo((xmlNodePtr)e->node);
}

static int xml_fail(int code, const char *name, const xml_errors *x, const char *what)
{
    if (x->line > 0)
        iotnet__error_set(code, "%s:%ld: %s: %s", name, x->line, what, x->message[0] ? x->message : "error");
    else
        iotnet__error_set(code, "%s: %s: %s", name, what, x->message[0] ? x->message : "error");
    iotnet__error_locate(name, x->line, NULL);
    return code;
}

/* ---- the schema, parsed once ---------------------------------------------- */

static xmlRelaxNGPtr schema;

/* Parse the schema of the data directory into `schema` (under the lock). */
static int load_schema(xml_errors *x, const char *name)
{
    char path[PATH_MAX];
    int error = iotnet__data_path(path, sizeof path, SCHEMA_PATH);
    if (error)
        return error;
    xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewParserCtxt(path);
    if (pc) {
        xmlRelaxNGSetParserStructuredErrors(pc, keep_first, x);
        schema = xmlRelaxNGParse(pc);
        xmlRelaxNGFreeParserCtxt(pc);
    }
    if (!schema) {
        error = iotnet__error_set(IOTNET_EIO, "%s: the catalog schema %s could not be loaded: %s", name, path,
                                  x->message[0] ? x->message : "no such file");
        iotnet__error_locate(name, 0, NULL);
    }
    return error;
}

/* Validate (under IOTNET__LOCK_CATALOG_SCHEMA: the schema is shared by
 * every thread). */
static int validate(xmlDocPtr doc, const char *name)
{
    xml_errors x = {{0}, 0, 0};
    int error = 0;
    xmlStructuredErrorFunc old = xmlStructuredError;
    void *old_ctx = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(&x, keep_first);
    if (!schema)
        error = load_schema(&x, name);
    if (!error) {
        x.count = 0;
        x.message[0] = '\0';
        x.line = 0;
        xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(schema);
        if (!vc)
            error = iotnet__error_set(IOTNET_ENOMEM, "out of memory validating %s", name);
        else {
            xmlRelaxNGSetValidStructuredErrors(vc, keep_first, &x);
            int rc = xmlRelaxNGValidateDoc(vc, doc);
            xmlRelaxNGFreeValidCtxt(vc);
            if (rc != 0)
                error = xml_fail(IOTNET_EVALIDATION, name, &x, "does not follow the catalog schema");
        }
    }
    xmlSetStructuredErrorFunc(old_ctx, old);
    return error;
}

/* The line of the first "<!" declaration, for refusing DTDs and entities. */
static long doctype_line(const char *data, size_t len)
{
    long line = 1;
    for (size_t i = 0; i + 2 < len; i++) {
        if (data[i] == '\n')
            line++;
        else if (data[i] == '<' && data[i + 1] == '!' && data[i + 2] != '-' && data[i + 2] != '[')
            return line;
    }
    return 1;
}

static int parse(xmlDocPtr *out, const char *data, size_t len, const char *name)
{
    *out = NULL;
    if (len > INT_MAX)
        return iotnet__error_set(IOTNET_EPARSE, "%s: %zu bytes is too large for a catalog", name, len);
    if (len == 0) {
        iotnet__error_set(IOTNET_EPARSE, "%s: empty input, expected a catalog in XML", name);
        iotnet__error_locate(name, 0, NULL);
        return IOTNET_EPARSE;
    }
    xml_errors x = {{0}, 0, 0};
    xmlStructuredErrorFunc old = xmlStructuredError;
    void *old_ctx = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(&x, keep_first);
    /* no XML_PARSE_NOENT, DTDLOAD, DTDATTR or HUGE: entities stay references,
     * no external subset is read, and libxml2's size limits hold */
    int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES;
    xmlDocPtr doc = xmlReadMemory(data, (int)len, name, NULL, options);
    xmlSetStructuredErrorFunc(old_ctx, old);
    if (!doc) {
        if (!x.message[0])
            snprintf(x.message, sizeof x.message, "not well-formed");
        return xml_fail(IOTNET_EPARSE, name, &x, "malformed XML");
    }
    if (doc->intSubset || doc->extSubset) {
        xmlFreeDoc(doc);
        long line = doctype_line(data, len);
        iotnet__error_set(IOTNET_EVALIDATION,
                          "%s:%ld: a DOCTYPE is not allowed in a catalog (no DTDs, external entities or network "
                          "access are read)",
                          name, line);
        iotnet__error_locate(name, line, NULL);
        return IOTNET_EVALIDATION;
    }
    *out = doc;
    return 0;
}

/* ---- the set --------------------------------------------------------------- */

int iotnet_catalog_new(iotnet_catalog **out)
{
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_catalog_new: out is required");
    *out = calloc(1, sizeof **out);
    if (!*out)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for a catalog set");
    /* the source of the derived internet exposure, looked up while evaluating */
    iotnet__str internet;
    int error = iotnet__strpool_intern(&(*out)->strings, "internet", &internet);
    if (error) {
        iotnet_catalog_free(*out);
        *out = NULL;
    }
    return error;
}

static void maps_free(iotnet_catalog *cat)
{
    iotnet__idmap_free(&cat->threat_by_id);
    iotnet__idmap_free(&cat->threat_by_bare);
    iotnet__idmap_free(&cat->mit_by_id);
    iotnet__idmap_free(&cat->mit_by_bare);
    iotnet__idmap_free(&cat->control_by_key);
}

void iotnet_catalog_free(iotnet_catalog *cat)
{
    if (!cat)
        return;
    maps_free(cat);
    iotnet__idmap_free(&cat->memo_by_key);
    free(cat->threats.items);
    free(cat->mitigations.items);
    free(cat->controls.items);
    free(cat->conds.items);
    free(cat->vals.items);
    free(cat->refs.items);
    free(cat->attrs.items);
    free(cat->kinds.items);
    iotnet__strpool_free(&cat->strings);
    free(cat);
}

typedef struct mark {
    uint32_t threats, mitigations, controls, conds, vals, refs, attrs, kinds;
} mark;

static mark mark_of(const iotnet_catalog *cat)
{
    return (mark){cat->threats.count, cat->mitigations.count, cat->controls.count, cat->conds.count,
                  cat->vals.count,    cat->refs.count,        cat->attrs.count,    cat->kinds.count};
}

static int maps_rebuild(iotnet_catalog *cat)
{
    maps_free(cat);
    int error = 0;
    if ((error = iotnet__idmap_reserve(&cat->threat_by_id, cat->threats.count)) ||
        (error = iotnet__idmap_reserve(&cat->threat_by_bare, cat->threats.count)) ||
        (error = iotnet__idmap_reserve(&cat->mit_by_id, cat->mitigations.count)) ||
        (error = iotnet__idmap_reserve(&cat->mit_by_bare, cat->mitigations.count)) ||
        (error = iotnet__idmap_reserve(&cat->control_by_key, cat->controls.count)))
        return error;
    for (uint32_t i = 0; i < cat->threats.count; i++) {
        iotnet__idmap_put(&cat->threat_by_id, cat->threats.items[i].id, i);
        iotnet__catalog_bare_put(&cat->threat_by_bare, cat->threats.items[i].bare, i);
    }
    for (uint32_t i = 0; i < cat->mitigations.count; i++) {
        iotnet__idmap_put(&cat->mit_by_id, cat->mitigations.items[i].id, i);
        iotnet__catalog_bare_put(&cat->mit_by_bare, cat->mitigations.items[i].bare, i);
    }
    for (uint32_t i = 0; i < cat->controls.count; i++)
        iotnet__idmap_put(&cat->control_by_key, cat->controls.items[i].key, i);
    return 0;
}

static void rollback(iotnet_catalog *cat, mark m)
{
    cat->threats.count = m.threats;
    cat->mitigations.count = m.mitigations;
    cat->controls.count = m.controls;
    cat->conds.count = m.conds;
    cat->vals.count = m.vals;
    cat->refs.count = m.refs;
    cat->attrs.count = m.attrs;
    cat->kinds.count = m.kinds;
    /* shrinking needs no memory: reserve only grows the maps back to what they were */
    (void)maps_rebuild(cat);
}

/* Parse, validate and read one file into the set (references not yet
 * resolved). All of it holds the lock: the schema is shared, and fork()
 * waits for the lock, so no child starts while this thread is inside
 * libxml2 (whose own locks a child would find held). */
static int load_one(iotnet_catalog *cat, const char *data, size_t len, const char *name)
{
    xmlDocPtr doc;
    iotnet__lock(IOTNET__LOCK_CATALOG_SCHEMA);
    int error = parse(&doc, data, len, name);
    if (!error) {
        if (!(error = validate(doc, name)))
            error = iotnet__catalog_read_root(cat, name, xmlDocGetRootElement(doc));
        xmlFreeDoc(doc);
    }
    iotnet__unlock(IOTNET__LOCK_CATALOG_SCHEMA);
    return error;
}

/* ---- loading ------------------------------------------------------------------ */

int iotnet_catalog_loads(iotnet_catalog *cat, const char *data, size_t length, const char *name)
{
    if (!cat || (!data && length))
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_catalog_loads: cat and data are required");
    if (!name)
        name = "<memory>";
    if (length > IOTNET_CATALOG_MAX_BYTES)
        return iotnet__too_big(name, length, IOTNET_CATALOG_MAX_BYTES, CATALOG_LIMIT);
    mark m = mark_of(cat);
    int error = load_one(cat, data ? data : "", length, name);
    if (!error)
        error = iotnet__catalog_resolve(cat, m.threats, m.mitigations);
    if (error)
        rollback(cat, m);
    return error;
}

int iotnet_catalog_load_file(iotnet_catalog *cat, const char *path)
{
    if (!cat || !path)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_catalog_load_file: cat and path are required");
    char *data;
    size_t len;
    int error = iotnet__read_file(path, IOTNET_CATALOG_MAX_BYTES, CATALOG_LIMIT, &data, &len);
    if (error)
        return error;
    error = iotnet_catalog_loads(cat, data, len, path);
    free(data);
    return error;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int iotnet_catalog_load_dir(iotnet_catalog *cat, const char *dir)
{
    if (!cat || !dir)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_catalog_load_dir: cat and dir are required");
    DIR *d = opendir(dir);
    if (!d) {
        iotnet__error_set(IOTNET_EIO, "%s: cannot open the catalog directory", dir);
        iotnet__error_locate(dir, 0, NULL);
        return IOTNET_EIO;
    }
    IOTNET__VEC(char *) names = {0};
    int error = 0;
    struct dirent *e;
    while (!error && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".xml") || e->d_name[0] == '.')
            continue;
        if (!(error = IOTNET__VEC_PUSH_ROOM(names))) {
            iotnet__buf p = {0};
            iotnet__buf_printf(&p, "%s/%s", dir, e->d_name);
            if (!(names.items[names.count] = iotnet__buf_detach(&p)))
                error = iotnet__error_set(IOTNET_ENOMEM, "out of memory");
            else
                names.count++;
        }
    }
    closedir(d);
    if (!error && !names.count) {
        /* a mistyped directory would otherwise add nothing and say nothing */
        iotnet__error_set(IOTNET_EIO, "%s: no catalog files (*.xml) in the directory", dir);
        iotnet__error_locate(dir, 0, NULL);
        error = IOTNET_EIO;
    }
    if (names.count)
        qsort(names.items, names.count, sizeof(char *), cmp_names);
    mark m = mark_of(cat);
    for (uint32_t i = 0; i < names.count && !error; i++) {
        char *data;
        size_t len;
        if (!(error = iotnet__read_file(names.items[i], IOTNET_CATALOG_MAX_BYTES, CATALOG_LIMIT, &data, &len))) {
            error = load_one(cat, data, len, names.items[i]);
            free(data);
        }
    }
    if (!error)
        error = iotnet__catalog_resolve(cat, m.threats, m.mitigations);
    if (error)
        rollback(cat, m);
    for (uint32_t i = 0; i < names.count; i++)
        free(names.items[i]);
    free(names.items);
    return error;
}

int iotnet_catalog_default(iotnet_catalog **out)
{
    int error = iotnet_catalog_new(out);
    if (error)
        return error;
    char dir[PATH_MAX];
    if ((error = iotnet__data_path(dir, sizeof dir, "catalogs")) || (error = iotnet_catalog_load_dir(*out, dir))) {
        iotnet_catalog_free(*out);
        *out = NULL;
    }
    return error;
}

/* ---- reading the set ---------------------------------------------------------- */

size_t iotnet_catalog_threat_count(const iotnet_catalog *cat)
{
    return cat ? cat->threats.count : 0;
}

size_t iotnet_catalog_mitigation_count(const iotnet_catalog *cat)
{
    return cat ? cat->mitigations.count : 0;
}

size_t iotnet_catalog_control_count(const iotnet_catalog *cat)
{
    return cat ? cat->controls.count : 0;
}

int iotnet_catalog_threat(const iotnet_catalog *cat, size_t i, iotnet_threat_info *out)
{
    if (!cat || !out || i >= cat->threats.count)
        return iotnet__error_set(IOTNET_EINVAL, "no threat %zu", i);
    const threat_rec *t = &cat->threats.items[i];
    *out = (iotnet_threat_info){IOTNET_THREAT_INFO_VERSION,
                                cat_text(cat, t->id),
                                cat_text(cat, t->title),
                                cat_text(cat, t->description) ? cat_text(cat, t->description) : "",
                                t->stride,
                                cat_text(cat, t->cwe),
                                cat_text(cat, t->capec),
                                cat_text(cat, t->attack_ics),
                                (iotnet_target)t->target,
                                t->likelihood,
                                t->impact,
                                cat_text(cat, t->mitigations) ? cat_text(cat, t->mitigations) : "",
                                cat_text(cat, t->references),
                                cat_text(cat, cat->conds.items[t->cond].text)};
    return 0;
}

int iotnet_catalog_mitigation(const iotnet_catalog *cat, size_t i, iotnet_mitigation_info *out)
{
    if (!cat || !out || i >= cat->mitigations.count)
        return iotnet__error_set(IOTNET_EINVAL, "no mitigation %zu", i);
    const mitigation_rec *m = &cat->mitigations.items[i];
    *out = (iotnet_mitigation_info){IOTNET_MITIGATION_INFO_VERSION,
                                    cat_text(cat, m->id),
                                    cat_text(cat, m->title),
                                    cat_text(cat, m->description) ? cat_text(cat, m->description) : "",
                                    cat_text(cat, m->technologies),
                                    (iotnet_target)m->target,
                                    m->likelihood_delta,
                                    m->impact_delta,
                                    cat_text(cat, m->controls) ? cat_text(cat, m->controls) : "",
                                    cat_text(cat, cat->conds.items[m->cond].text),
                                    m->sl ? m->sl : 1};
    return 0;
}

int iotnet_catalog_control(const iotnet_catalog *cat, size_t i, iotnet_control_info *out)
{
    if (!cat || !out || i >= cat->controls.count)
        return iotnet__error_set(IOTNET_EINVAL, "no control %zu", i);
    const control_rec *c = &cat->controls.items[i];
    *out = (iotnet_control_info){IOTNET_CONTROL_INFO_VERSION, cat_text(cat, c->framework), cat_text(cat, c->id),
                                 cat_text(cat, c->title) ? cat_text(cat, c->title) : "", cat_text(cat, c->group),
                                 c->min_sl};
    return 0;
}

long iotnet_catalog_find_threat(const iotnet_catalog *cat, const char *id)
{
    uint32_t i = cat ? iotnet__catalog_find(cat, &cat->threat_by_id, &cat->threat_by_bare, id) : UINT32_MAX;
    return i == UINT32_MAX ? -1 : (long)i;
}

long iotnet_catalog_find_mitigation(const iotnet_catalog *cat, const char *id)
{
    uint32_t i = cat ? iotnet__catalog_find(cat, &cat->mit_by_id, &cat->mit_by_bare, id) : UINT32_MAX;
    return i == UINT32_MAX ? -1 : (long)i;
}
