/* Reading catalog documents into the set: declarations, threats,
 * mitigations and control catalogs; then the references between them
 * (candidate mitigations, controls), resolved when a load call ends. */
#include "catalog_internal.h"
#include "error_internal.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#define CATALOG_NS "urn:libiotnet:catalog"
#define MAX_CANDIDATES 32

void iotnet__catalog_bare_put(iotnet__idmap *m, iotnet__str bare, uint32_t index)
{
    uint32_t old = iotnet__idmap_get(m, bare);
    iotnet__idmap_put(m, bare, old == UINT32_MAX || old == index ? index : BARE_AMBIGUOUS);
}

/* ---- reading elements ------------------------------------------------------- */

static bool is_ours(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href && !strcmp((const char *)n->ns->href, CATALOG_NS) &&
           (!name || !strcmp((const char *)n->name, name));
}

static int load_error(const char *file, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int load_error(const char *file, long line, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    iotnet__error_set(IOTNET_EVALIDATION, "%s:%ld: %s", file, line, msg);
    iotnet__error_locate(file, line, NULL);
    return IOTNET_EVALIDATION;
}

/* Text content with runs of white space folded to one space, trimmed, interned. */
static int text_of(iotnet_catalog *cat, const xmlNode *n, iotnet__str *out)
{
    *out = 0;
    xmlChar *raw = xmlNodeGetContent(n);
    if (!raw)
        return 0;
    char *s = (char *)raw, *w = s;
    bool space = false;
    for (const char *r = s; *r; r++) {
        if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r') {
            space = w != s;
            continue;
        }
        if (space)
            *w++ = ' ';
        space = false;
        *w++ = *r;
    }
    *w = '\0';
    int error = *s ? iotnet__strpool_intern(&cat->strings, s, out) : 0;
    xmlFree(raw);
    return error;
}

static int attr_of(iotnet_catalog *cat, const xmlNode *n, const char *name, iotnet__str *out)
{
    *out = 0;
    xmlChar *v = xmlGetNoNsProp(n, BAD_CAST name);
    if (!v)
        return 0;
    int error = iotnet__strpool_intern(&cat->strings, (const char *)v, out);
    xmlFree(v);
    return error;
}

static int target_of(const char *file, const xmlNode *n, uint8_t *out)
{
    xmlChar *v = xmlGetNoNsProp(n, BAD_CAST "target");
    int t = 0;
    int rc = v ? iotnet_enum_parse(IOTNET_ENUM_TARGET, (const char *)v, &t) : -1;
    xmlFree(v);
    if (rc != 0)
        return load_error(file, xmlGetLineNo(n), "<%s> needs target=\"node|link|service|zone|conduit\"", n->name);
    *out = (uint8_t)t;
    return 0;
}

static int small_int(const char *file, const xmlNode *n, const char *text, int lo, int hi, int *out)
{
    char *end = NULL;
    long v = text ? strtol(text, &end, 10) : 0;
    if (!text || !*text || *end || v < lo || v > hi)
        return load_error(file, xmlGetLineNo(n), "<%s>: \"%s\" is not an integer from %d to %d", n->name,
                          text ? text : "", lo, hi);
    *out = (int)v;
    return 0;
}

/* An optional IEC 62443 security level attribute (1..4); 0 when absent. */
static int level_of(const char *file, const xmlNode *n, const char *name, uint8_t *out)
{
    *out = 0;
    xmlChar *v = xmlGetNoNsProp(n, BAD_CAST name);
    if (!v)
        return 0;
    const char *s = (const char *)v;
    int ok = s[0] >= '1' && s[0] <= '4' && !s[1];
    if (ok)
        *out = (uint8_t)(s[0] - '0');
    int error = ok ? 0 : load_error(file, xmlGetLineNo(n), "<%s %s=\"%s\">: a security level is 1, 2, 3 or 4", n->name,
                                    name, s);
    xmlFree(v);
    return error;
}

static int namespaced(iotnet_catalog *cat, iotnet__str ns, iotnet__str bare, iotnet__str *out)
{
    iotnet__buf b = {0};
    iotnet__buf_printf(&b, "%s:%s", cat_text(cat, ns), cat_text(cat, bare));
    if (b.failed)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    int error = iotnet__strpool_intern(&cat->strings, b.data, out);
    iotnet__buf_free(&b);
    return error;
}

static int condition_of(cond_scope *sc, const xmlNode *holder, int table, uint32_t *out)
{
    const xmlNode *first = NULL;
    int count = 0;
    for (const xmlNode *k = holder->children; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE) {
            first = first ? first : k;
            count++;
        }
    if (count > 1)
        return load_error(sc->file, xmlGetLineNo(holder), "<%s> takes one condition (use <all> or <any>)", holder->name);
    if (!first)
        return iotnet__cond_true(sc, table, (uint32_t)xmlGetLineNo(holder), out);
    return iotnet__cond_compile(sc, first, table, out);
}

static unsigned stride_bits(const char *s)
{
    unsigned bits = 0;
    for (; s && *s; s++)
        switch (*s) {
        case 'S': bits |= IOTNET_STRIDE_S; break;
        case 'T': bits |= IOTNET_STRIDE_T; break;
        case 'R': bits |= IOTNET_STRIDE_R; break;
        case 'I': bits |= IOTNET_STRIDE_I; break;
        case 'D': bits |= IOTNET_STRIDE_D; break;
        case 'E': bits |= IOTNET_STRIDE_E; break;
        case ' ': break;
        default: return 0;
        }
    return bits;
}

static int read_threat(cond_scope *sc, iotnet__str ns, const xmlNode *el)
{
    iotnet_catalog *cat = sc->cat;
    const char *file = sc->file;
    long line = xmlGetLineNo(el);
    threat_rec t;
    memset(&t, 0, sizeof t);
    t.ns = ns;
    t.line = (uint32_t)line;
    t.cond = IOTNET_NONE;
    int error = attr_of(cat, el, "id", &t.bare);
    if (!error)
        error = target_of(file, el, &t.target);
    if (!error && !t.bare)
        error = load_error(file, line, "<threat> needs an id");
    if (!error)
        error = namespaced(cat, ns, t.bare, &t.id);
    if (!error && iotnet__idmap_get(&cat->threat_by_id, t.id) != UINT32_MAX)
        error = load_error(file, line, "duplicate threat id \"%s\" (already loaded)", cat_text(cat, t.id));
    iotnet__str *slot = NULL;
    int likelihood = 0, impact = 0;
    for (const xmlNode *k = el->children; k && !error; k = k->next) {
        if (!is_ours(k, NULL))
            continue;
        const char *name = (const char *)k->name;
        slot = !strcmp(name, "title") ? &t.title : !strcmp(name, "description") ? &t.description
             : !strcmp(name, "cwe") ? &t.cwe : !strcmp(name, "capec") ? &t.capec
             : !strcmp(name, "attack-ics") ? &t.attack_ics : !strcmp(name, "references") ? &t.references
             : !strcmp(name, "mitigations") ? &t.mit_text : NULL;
        if (slot) {
            error = text_of(cat, k, slot);
            if (slot == &t.mit_text)
                t.ref_line = (uint32_t)xmlGetLineNo(k);
        } else if (!strcmp(name, "stride")) {
            iotnet__str s;
            if (!(error = text_of(cat, k, &s)) && !(t.stride = (uint8_t)stride_bits(cat_text(cat, s))))
                error = load_error(file, xmlGetLineNo(k), "<stride> holds the letters S T R I D E");
        } else if (!strcmp(name, "likelihood") || !strcmp(name, "impact")) {
            iotnet__str s;
            if (!(error = text_of(cat, k, &s)))
                error = small_int(file, k, cat_text(cat, s), 1, 5, name[0] == 'l' ? &likelihood : &impact);
        } else if (!strcmp(name, "applies-when"))
            error = condition_of(sc, k, t.target, &t.cond);
    }
    if (!error && (!t.title || !likelihood || !impact || t.cond == IOTNET_NONE || !t.stride))
        error = load_error(file, line, "threat \"%s\" needs title, stride, likelihood, impact and applies-when",
                           cat_text(cat, t.bare));
    if (error)
        return error;
    t.likelihood = (uint8_t)likelihood;
    t.impact = (uint8_t)impact;
    if ((error = iotnet__strpool_intern(&cat->strings, file, &t.file)) || (error = IOTNET__VEC_PUSH_ROOM(cat->threats)) ||
        (error = iotnet__idmap_reserve(&cat->threat_by_id, 1)) || (error = iotnet__idmap_reserve(&cat->threat_by_bare, 1)))
        return error;
    uint32_t index = cat->threats.count++;
    cat->threats.items[index] = t;
    iotnet__idmap_put(&cat->threat_by_id, t.id, index);
    iotnet__catalog_bare_put(&cat->threat_by_bare, t.bare, index);
    return 0;
}

static int read_mitigation(cond_scope *sc, iotnet__str ns, const xmlNode *el)
{
    iotnet_catalog *cat = sc->cat;
    const char *file = sc->file;
    long line = xmlGetLineNo(el);
    mitigation_rec m;
    memset(&m, 0, sizeof m);
    m.ns = ns;
    m.line = (uint32_t)line;
    m.cond = IOTNET_NONE;
    int error = attr_of(cat, el, "id", &m.bare);
    if (!error)
        error = target_of(file, el, &m.target);
    if (!error)
        error = level_of(file, el, "sl", &m.sl);
    if (!error && !m.bare)
        error = load_error(file, line, "<mitigation> needs an id");
    if (!error)
        error = namespaced(cat, ns, m.bare, &m.id);
    if (!error && iotnet__idmap_get(&cat->mit_by_id, m.id) != UINT32_MAX)
        error = load_error(file, line, "duplicate mitigation id \"%s\" (already loaded)", cat_text(cat, m.id));
    bool effect = false;
    for (const xmlNode *k = el->children; k && !error; k = k->next) {
        if (!is_ours(k, NULL))
            continue;
        const char *name = (const char *)k->name;
        if (!strcmp(name, "title"))
            error = text_of(cat, k, &m.title);
        else if (!strcmp(name, "description"))
            error = text_of(cat, k, &m.description);
        else if (!strcmp(name, "technologies"))
            error = text_of(cat, k, &m.technologies);
        else if (!strcmp(name, "controls")) {
            error = text_of(cat, k, &m.controls);
            m.ref_line = (uint32_t)xmlGetLineNo(k);
        } else if (!strcmp(name, "present-when"))
            error = condition_of(sc, k, m.target, &m.cond);
        else if (!strcmp(name, "effect")) {
            int l = 0, i = 0;
            xmlChar *lv = xmlGetNoNsProp(k, BAD_CAST "likelihood"), *iv = xmlGetNoNsProp(k, BAD_CAST "impact");
            error = small_int(file, k, lv ? (const char *)lv : "0", -4, 0, &l);
            if (!error)
                error = small_int(file, k, iv ? (const char *)iv : "0", -4, 0, &i);
            xmlFree(lv);
            xmlFree(iv);
            m.likelihood_delta = (int8_t)l;
            m.impact_delta = (int8_t)i;
            effect = true;
        }
    }
    if (!error && (!m.title || m.cond == IOTNET_NONE || !effect))
        error = load_error(file, line, "mitigation \"%s\" needs title, present-when and effect", cat_text(cat, m.bare));
    if (error)
        return error;
    if ((error = iotnet__strpool_intern(&cat->strings, file, &m.file)) ||
        (error = IOTNET__VEC_PUSH_ROOM(cat->mitigations)) || (error = iotnet__idmap_reserve(&cat->mit_by_id, 1)) ||
        (error = iotnet__idmap_reserve(&cat->mit_by_bare, 1)))
        return error;
    uint32_t index = cat->mitigations.count++;
    cat->mitigations.items[index] = m;
    iotnet__idmap_put(&cat->mit_by_id, m.id, index);
    iotnet__catalog_bare_put(&cat->mit_by_bare, m.bare, index);
    return 0;
}

static int read_declaration(iotnet_catalog *cat, const char *file, const xmlNode *el)
{
    long line = xmlGetLineNo(el);
    iotnet__str name, parent, type_s;
    int error = attr_of(cat, el, "name", &name);
    if (error)
        return error;
    if (!name)
        return load_error(file, line, "<%s> needs a name", el->name);
    if (!strcmp((const char *)el->name, "kind")) {
        if ((error = attr_of(cat, el, "parent", &parent)))
            return error;
        if (!parent || !iotnet__catalog_kind_known(cat, cat_text(cat, parent)))
            return load_error(file, line, "kind \"%s\": unknown parent kind \"%s\"", cat_text(cat, name),
                              parent ? cat_text(cat, parent) : "");
        for (uint32_t i = 0; i < cat->kinds.count; i++)
            if (cat->kinds.items[i].name == name) {
                if (cat->kinds.items[i].parent != parent)
                    return load_error(file, line, "kind \"%s\" is declared already under \"%s\"", cat_text(cat, name),
                                      cat_text(cat, cat->kinds.items[i].parent));
                return 0;
            }
        if ((error = IOTNET__VEC_PUSH_ROOM(cat->kinds)))
            return error;
        cat->kinds.items[cat->kinds.count++] = (kind_decl){name, parent};
        return 0;
    }
    uint8_t target;
    int type = 0;
    if ((error = attr_of(cat, el, "type", &type_s)) || (error = target_of(file, el, &target)))
        return error;
    if (!type_s || iotnet_enum_parse(IOTNET_ENUM_ATTR_TYPE, cat_text(cat, type_s), &type) != 0)
        return load_error(file, line, "attribute \"%s\": type must be string, int, float, bool, date or duration",
                          cat_text(cat, name));
    if (target != IOTNET_TARGET_NODE && target != IOTNET_TARGET_LINK && target != IOTNET_TARGET_ZONE)
        return load_error(file, line, "attribute \"%s\": target must be node, link or zone", cat_text(cat, name));
    for (uint32_t i = 0; i < cat->attrs.count; i++)
        if (cat->attrs.items[i].name == name && cat->attrs.items[i].target == target) {
            if (cat->attrs.items[i].type != type)
                return load_error(file, line, "attribute \"%s\" is declared already as %s", cat_text(cat, name),
                                  iotnet_attr_type_name((iotnet_attr_type)cat->attrs.items[i].type));
            return 0;
        }
    if ((error = IOTNET__VEC_PUSH_ROOM(cat->attrs)))
        return error;
    cat->attrs.items[cat->attrs.count++] = (attr_decl){name, target, (uint8_t)type};
    return 0;
}

static int read_catalog(iotnet_catalog *cat, const char *file, const xmlNode *root)
{
    iotnet__str ns;
    int error = attr_of(cat, root, "namespace", &ns);
    if (error)
        return error;
    if (!ns)
        return load_error(file, xmlGetLineNo(root), "<catalog> needs a namespace");
    /* declarations first: conditions anywhere in the file may use them */
    for (const xmlNode *k = root->children; k && !error; k = k->next)
        if (is_ours(k, "attribute") || is_ours(k, "kind"))
            error = read_declaration(cat, file, k);
    cond_scope sc = {cat, file};
    for (const xmlNode *k = root->children; k && !error; k = k->next) {
        if (is_ours(k, "threat"))
            error = read_threat(&sc, ns, k);
        else if (is_ours(k, "mitigation"))
            error = read_mitigation(&sc, ns, k);
    }
    return error;
}

static int read_controls(iotnet_catalog *cat, const char *file, const xmlNode *root)
{
    iotnet__str framework;
    int error = attr_of(cat, root, "framework", &framework);
    if (!error && !framework)
        error = load_error(file, xmlGetLineNo(root), "<controls> needs a framework");
    for (const xmlNode *k = root->children; k && !error; k = k->next) {
        if (!is_ours(k, "control"))
            continue;
        control_rec c = {framework, 0, 0, 0, 0, 0};
        if ((error = attr_of(cat, k, "id", &c.id)) || (error = attr_of(cat, k, "group", &c.group)) ||
            (error = text_of(cat, k, &c.title)) || (error = level_of(file, k, "min-sl", &c.min_sl)))
            break;
        if (!c.id) {
            error = load_error(file, xmlGetLineNo(k), "<control> needs an id");
            break;
        }
        char key[256];
        size_t n = (size_t)snprintf(key, sizeof key, "%s:", cat_text(cat, framework));
        for (const char *p = cat_text(cat, c.id); *p && n + 1 < sizeof key; p++)
            if (*p != ' ')
                key[n++] = *p;
        key[n] = '\0';
        if ((error = iotnet__strpool_intern(&cat->strings, key, &c.key)))
            break;
        if (iotnet__idmap_get(&cat->control_by_key, c.key) != UINT32_MAX) {
            error = load_error(file, xmlGetLineNo(k), "duplicate control \"%s\" of %s", cat_text(cat, c.id),
                               cat_text(cat, framework));
            break;
        }
        if ((error = IOTNET__VEC_PUSH_ROOM(cat->controls)) || (error = iotnet__idmap_reserve(&cat->control_by_key, 1)))
            break;
        iotnet__idmap_put(&cat->control_by_key, c.key, cat->controls.count);
        cat->controls.items[cat->controls.count++] = c;
    }
    return error;
}

/* ---- references -------------------------------------------------------------- */

uint32_t iotnet__catalog_find(const iotnet_catalog *cat, const iotnet__idmap *by_id, const iotnet__idmap *by_bare,
                        const char *id)
{
    iotnet__str s = id ? iotnet__strpool_lookup(&cat->strings, id) : 0;
    if (!s)
        return UINT32_MAX;
    uint32_t i = iotnet__idmap_get(by_id, s);
    if (i != UINT32_MAX || strchr(id, ':'))
        return i;
    i = iotnet__idmap_get(by_bare, s);
    return i == BARE_AMBIGUOUS ? UINT32_MAX : i;
}

/* Each word of a space-separated list, copied into word[256]. */
static const char *next_word(const char *p, char *word, size_t size)
{
    while (p && *p == ' ')
        p++;
    if (!p || !*p)
        return NULL;
    size_t n = strcspn(p, " ");
    size_t k = n < size - 1 ? n : size - 1;
    memcpy(word, p, k);
    word[k] = '\0';
    return p + n;
}

static int resolve_threat(iotnet_catalog *cat, threat_rec *t)
{
    const char *file = cat_text(cat, t->file);
    char word[300];
    iotnet__buf ids = {0};
    t->mit_first = cat->refs.count;
    t->mit_count = 0;
    int error = 0;
    for (const char *p = cat_text(cat, t->mit_text); !error && (p = next_word(p, word, sizeof word));) {
        uint32_t m = UINT32_MAX;
        if (!strchr(word, ':')) {
            char full[600];
            snprintf(full, sizeof full, "%s:%s", cat_text(cat, t->ns), word);
            m = iotnet__catalog_find(cat, &cat->mit_by_id, &cat->mit_by_bare, full);
        } else
            m = iotnet__catalog_find(cat, &cat->mit_by_id, &cat->mit_by_bare, word);
        if (m == UINT32_MAX) {
            error = load_error(file, t->ref_line, "threat \"%s\" names mitigation \"%s\", which no loaded catalog has",
                               cat_text(cat, t->id), word);
            break;
        }
        const mitigation_rec *mr = &cat->mitigations.items[m];
        if (iotnet__mitigation_hop(mr->target, t->target) < 0) {
            error = load_error(file, t->ref_line, "threat \"%s\" (a %s target) cannot be mitigated by \"%s\" (a %s target)",
                               cat_text(cat, t->id), iotnet_enum_name(IOTNET_ENUM_TARGET, t->target), word,
                               iotnet_enum_name(IOTNET_ENUM_TARGET, mr->target));
            break;
        }
        bool dup = false;
        for (uint32_t k = 0; k < t->mit_count; k++)
            dup |= cat->refs.items[t->mit_first + k] == m;
        if (dup)
            continue;
        if (t->mit_count == MAX_CANDIDATES) {
            error = load_error(file, t->ref_line, "threat \"%s\" names more than %d mitigations", cat_text(cat, t->id),
                               MAX_CANDIDATES);
            break;
        }
        if ((error = IOTNET__VEC_PUSH_ROOM(cat->refs)))
            break;
        cat->refs.items[cat->refs.count++] = m;
        t->mit_count++;
        iotnet__buf_printf(&ids, "%s%s", t->mit_count > 1 ? " " : "", cat_text(cat, mr->id));
    }
    if (!error && ids.failed)
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    if (!error)
        error = iotnet__strpool_intern(&cat->strings, ids.data ? ids.data : "", &t->mitigations);
    iotnet__buf_free(&ids);
    return error;
}

static int resolve_controls(iotnet_catalog *cat, const mitigation_rec *m)
{
    char word[300];
    for (const char *p = cat_text(cat, m->controls); (p = next_word(p, word, sizeof word));) {
        iotnet__str k = iotnet__strpool_lookup(&cat->strings, word);
        if (!k || iotnet__idmap_get(&cat->control_by_key, k) == UINT32_MAX)
            return load_error(cat_text(cat, m->file), m->ref_line ? m->ref_line : m->line,
                              "mitigation \"%s\" names control \"%s\", which no loaded control catalog has",
                              cat_text(cat, m->id), word);
    }
    return 0;
}

int iotnet__catalog_resolve(iotnet_catalog *cat, uint32_t first_threat, uint32_t first_mitigation)
{
    int error = 0;
    for (uint32_t i = first_mitigation; i < cat->mitigations.count && !error; i++)
        error = resolve_controls(cat, &cat->mitigations.items[i]);
    for (uint32_t i = first_threat; i < cat->threats.count && !error; i++)
        error = resolve_threat(cat, &cat->threats.items[i]);
    return error;
}

int iotnet__catalog_read_root(iotnet_catalog *cat, const char *file, const void *node)
{
    const xmlNode *root = node;
    if (is_ours(root, "catalog"))
        return read_catalog(cat, file, root);
    if (is_ours(root, "controls"))
        return read_controls(cat, file, root);
    return load_error(file, root ? xmlGetLineNo(root) : 1, "expected <catalog> or <controls> in namespace " CATALOG_NS);
}
