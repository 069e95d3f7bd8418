/* The condition compiler: CONDITION elements of a catalog checked against
 * the vocabulary (fields, kinds, enumerations, declared attributes) and
 * turned into a tree of typed leaves, each rendered as text for readers and
 * keyed so that identical subtrees share one evaluation. */
#include "catalog_internal.h"
#include "error_internal.h"
#include "kinds_builtin.h"
#include "util.h"

#include <libxml/tree.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const table_names[TABLE_COUNT] = {"", "node", "link", "service", "zone", "conduit"};

/* ---- helpers ------------------------------------------------------------ */

static int cat_error(const cond_scope *sc, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int cat_error(const cond_scope *sc, long line, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    iotnet__error_set(IOTNET_EVALIDATION, "%s:%ld: %s", sc->file, line, msg);
    iotnet__error_locate(sc->file, line, NULL);
    return IOTNET_EVALIDATION;
}

static long line_of(const xmlNode *n)
{
    return xmlGetLineNo(n);
}

static const char *prop(const xmlNode *n, const char *name, char **hold)
{
    *hold = (char *)xmlGetNoNsProp(n, BAD_CAST name);
    return *hold;
}

bool iotnet__catalog_kind_known(const iotnet_catalog *cat, const char *name)
{
    for (const iotnet__builtin_kind *k = iotnet__builtin_kinds; k->name; k++)
        if (!strcmp(k->name, name))
            return true;
    iotnet__str s = iotnet__strpool_lookup(&cat->strings, name);
    for (uint32_t i = 0; s && i < cat->kinds.count; i++)
        if (cat->kinds.items[i].name == s)
            return true;
    return false;
}

static int new_cond(cond_scope *sc, uint8_t type, int table, long line, uint32_t *out)
{
    iotnet_catalog *cat = sc->cat;
    int error = IOTNET__VEC_PUSH_ROOM(cat->conds);
    if (error)
        return error;
    cond *c = &cat->conds.items[cat->conds.count];
    memset(c, 0, sizeof *c);
    c->type = type;
    c->table = (uint8_t)table;
    c->child = c->next = IOTNET_NONE;
    c->enumeration = -1;
    c->line = (uint32_t)(line > 0 ? line : 0);
    *out = cat->conds.count++;
    return 0;
}

/* Name the subtree and give it its memo slot (shared by identical text over the same table). */
static int finish(cond_scope *sc, uint32_t ci, const char *text)
{
    iotnet_catalog *cat = sc->cat;
    iotnet__buf key = {0};
    iotnet__buf_printf(&key, "%d|%s", cat->conds.items[ci].table, text);
    if (key.failed)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory compiling a condition");
    iotnet__str t, k;
    int error = iotnet__strpool_intern(&cat->strings, text, &t);
    if (!error)
        error = iotnet__strpool_intern(&cat->strings, key.data, &k);
    iotnet__buf_free(&key);
    if (!error)
        error = iotnet__idmap_reserve(&cat->memo_by_key, 1);
    if (error)
        return error;
    uint32_t slot = iotnet__idmap_get(&cat->memo_by_key, k);
    if (slot == UINT32_MAX) {
        slot = cat->memo_count++;
        iotnet__idmap_put(&cat->memo_by_key, k, slot);
    }
    cat->conds.items[ci].text = t;
    cat->conds.items[ci].memo = slot;
    return 0;
}

static int push_val(iotnet_catalog *cat, cval v)
{
    int error = IOTNET__VEC_PUSH_ROOM(cat->vals);
    if (!error)
        cat->vals.items[cat->vals.count++] = v;
    return error;
}

/* ---- values ------------------------------------------------------------- */

int iotnet__cond_date(const char *text, int64_t *out, uint8_t *now)
{
    *now = 0;
    if (!strncmp(text, "now", 3)) {
        *now = 1;
        *out = 0;
        if (!text[3])
            return 0;
        if ((text[3] != '+' && text[3] != '-') || iotnet__duration_parse(out, text + 4) != 0)
            return -1;
        if (text[3] == '-')
            *out = -*out;
        return 0;
    }
    char buf[64];
    size_t n = strlen(text);
    if (n == 10 && n + 11 < sizeof buf) { /* a date alone is its first second, UTC */
        memcpy(buf, text, n);
        memcpy(buf + n, "T00:00:00Z", 11);
        text = buf;
    }
    return iotnet__date_parse(out, text) == 0 ? 0 : -1;
}

static const char *type_word(uint8_t ft)
{
    switch (ft) {
    case FT_STRING: return "a string";
    case FT_INT: return "an integer";
    case FT_FLOAT: return "a number";
    case FT_BOOL: return "true or false";
    case FT_DATE: return "a date (2027-01-01, 2027-01-01T00:00:00Z, now, now+P2Y, now-P30D)";
    case FT_DURATION: return "an ISO 8601 duration (P10Y, P90D, PT12H; a month is 30 days, a year 365)";
    case FT_KIND: return "a kind";
    case FT_WORDS: return "a word list";
    case FT_MEDIA: return "link media";
    default: return "an enumeration value";
    }
}

/* Parse one literal word of a field's type. */
static int parse_value(cond_scope *sc, cond *c, const char *name, const char *word, long line, cval *v)
{
    iotnet_catalog *cat = sc->cat;
    memset(v, 0, sizeof *v);
    char *end = NULL;
    int value;
    switch (c->ftype) {
    case FT_STRING:
    case FT_WORDS:
        return iotnet__strpool_intern(&cat->strings, word, &v->s);
    case FT_INT:
        v->i = strtoll(word, &end, 10);
        if (!*word || *end)
            return cat_error(sc, line, "field \"%s\" holds integers, not \"%s\"", name, word);
        return 0;
    case FT_FLOAT:
        v->f = strtod(word, &end);
        if (!*word || *end || !isfinite(v->f))
            return cat_error(sc, line, "field \"%s\" holds numbers, not \"%s\"", name, word);
        return 0;
    case FT_BOOL:
        if (strcmp(word, "true") && strcmp(word, "false"))
            return cat_error(sc, line, "field \"%s\" holds true or false, not \"%s\"", name, word);
        v->i = !strcmp(word, "true");
        return 0;
    case FT_DATE:
        if (iotnet__cond_date(word, &v->i, &v->now) != 0)
            return cat_error(sc, line, "field \"%s\" holds dates, not \"%s\" (expected %s)", name, word,
                             type_word(FT_DATE));
        return 0;
    case FT_DURATION:
        if (iotnet__duration_parse(&v->i, word) != 0)
            return cat_error(sc, line, "field \"%s\" holds durations, not \"%s\" (expected %s)", name, word,
                             type_word(FT_DURATION));
        return 0;
    case FT_ENUM:
    case FT_MEDIA: {
        iotnet_enum e = c->ftype == FT_MEDIA ? IOTNET_ENUM_MEDIUM : (iotnet_enum)c->enumeration;
        if (iotnet_enum_parse(e, word, &value) != 0 || value < 0 || value > 63) {
            char names[512] = "";
            size_t used = 0;
            int x;
            const char *nm;
            for (int i = 0; (nm = iotnet_enum_entry(e, i, &x)) && used + strlen(nm) + 2 < sizeof names; i++)
                used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? " " : "", nm);
            return cat_error(sc, line, "field \"%s\": unknown value \"%s\" (expected one of: %s)", name, word, names);
        }
        v->i = value;
        c->mask |= (uint64_t)1 << value;
        return 0;
    }
    case FT_KIND:
        if (!iotnet__catalog_kind_known(cat, word))
            return cat_error(sc, line,
                             "unknown kind \"%s\" (not a built-in kind and not declared with <kind name=\"%s\" parent=\"...\"/>)",
                             word, word);
        return iotnet__strpool_intern(&cat->strings, word, &v->s);
    }
    return cat_error(sc, line, "field \"%s\" cannot be compared", name);
}

static int parse_op(const char *s)
{
    static const char *const ops[] = {NULL, "=", "!=", "<", "<=", ">", ">=", "in", "exists", "contains"};
    for (int i = 1; i <= OP_CONTAINS; i++)
        if (!strcmp(s, ops[i]))
            return i;
    return 0;
}

static const char *op_text(int op)
{
    static const char *const ops[] = {"", "=", "!=", "<", "<=", ">", ">=", "in", "exists", "contains", "is-a"};
    return op >= 0 && op <= OP_ISA ? ops[op] : "?";
}

/* Which operators a type admits: ordering for numbers, dates, durations and
 * the exposure classes only. */
static bool op_allowed(uint8_t ft, int8_t enumeration, int op)
{
    if (op >= OP_LT && op <= OP_GE)
        return ft == FT_INT || ft == FT_FLOAT || ft == FT_DATE || ft == FT_DURATION ||
               (ft == FT_ENUM && enumeration == IOTNET_ENUM_EXPOSURE);
    switch (op) {
    case OP_EQ:
    case OP_NE:
    case OP_EXISTS: return true;
    case OP_IN: return ft != FT_BOOL && ft != FT_MEDIA && ft != FT_WORDS;
    case OP_CONTAINS: return ft == FT_WORDS || ft == FT_MEDIA;
    case OP_ISA: return ft == FT_KIND;
    default: return ft != FT_BOOL && ft != FT_KIND && ft != FT_WORDS && ft != FT_MEDIA;
    }
}

static const char *table_name(int table)
{
    return table > 0 && table < TABLE_COUNT ? table_names[table] : "?";
}

/* Resolve a (possibly prefixed) field name over `table`: the leaf is created
 * on the table the name ends at, and wrapped in hops back to `table`. */
static int field_leaf(cond_scope *sc, int table, const char *name, long line, int op, const char *value, uint32_t *out,
                      int depth)
{
    iotnet_catalog *cat = sc->cat;
    int error;
    if (depth > 8)
        return cat_error(sc, line, "field \"%s\": too many prefixes", name);
    for (size_t p = 0; p < iotnet__prefix_count; p++) {
        size_t n = strlen(iotnet__prefixes[p].prefix);
        if (iotnet__prefixes[p].from != table || strncmp(name, iotnet__prefixes[p].prefix, n) != 0)
            continue;
        uint32_t inner, hop;
        if ((error = field_leaf(sc, iotnet__prefixes[p].to, name + n, line, op, value, &inner, depth + 1)) ||
            (error = new_cond(sc, C_HOP, table, line, &hop)))
            return error;
        cond *h = &cat->conds.items[hop];
        h->field = iotnet__prefixes[p].hop;
        h->child = inner;
        const cond *in = &cat->conds.items[inner];
        const char *inner_text = cat_text(cat, in->text);
        /* a service's is-a is its node's: it reads the same without the prefix */
        bool plain = iotnet__prefixes[p].hop == HOP_SERVICE_NODE && in->op == OP_ISA && in->field == F_NODE_KIND &&
                     !strncmp(inner_text, "is-a ", 5);
        iotnet__buf t = {0};
        iotnet__buf_printf(&t, "%s%s", plain ? "" : iotnet__prefixes[p].prefix, inner_text);
        if (t.failed)
            return iotnet__error_set(IOTNET_ENOMEM, "out of memory compiling a condition");
        error = finish(sc, hop, t.data);
        iotnet__buf_free(&t);
        *out = hop;
        return error;
    }
    int field = -1;
    uint8_t ft = 0, attr_type = 0;
    int8_t enumeration = -1;
    iotnet__str attr = 0;
    if (!strncmp(name, "attr:", 5)) {
        if (table == IOTNET_TARGET_SERVICE || table == IOTNET_TARGET_CONDUIT)
            return cat_error(sc, line, "field \"%s\": %s targets have no free attributes", name, table_name(table));
        iotnet__str key = iotnet__strpool_lookup(&cat->strings, name + 5);
        for (uint32_t i = 0; key && i < cat->attrs.count; i++)
            if (cat->attrs.items[i].name == key && cat->attrs.items[i].target == table) {
                attr = key;
                attr_type = cat->attrs.items[i].type;
            }
        if (!attr)
            return cat_error(sc, line,
                             "field \"%s\": attribute \"%s\" is not declared for %s targets "
                             "(declare it with <attribute name=\"%s\" type=\"...\" target=\"%s\"/>)",
                             name, name + 5, table_name(table), name + 5, table_name(table));
        field = F_ATTR;
        static const uint8_t by_type[] = {0, FT_STRING, FT_INT, FT_FLOAT, FT_BOOL, FT_DATE, FT_DURATION};
        ft = attr_type < sizeof by_type ? by_type[attr_type] : FT_STRING;
    } else {
        for (int f = 0; f < F_COUNT; f++)
            if (iotnet__fields[f].table == table && !strcmp(iotnet__fields[f].name, name)) {
                field = f;
                ft = iotnet__fields[f].type;
                enumeration = iotnet__fields[f].enumeration;
            }
        if (field < 0)
            return cat_error(sc, line, "unknown field \"%s\" for a %s target (iotnet_catalog_field_next lists the fields)",
                             name, table_name(table));
    }
    if (!op_allowed(ft, enumeration, op))
        return cat_error(sc, line, "field \"%s\" (%s) does not take the operator \"%s\"", name, type_word(ft),
                         op_text(op));
    uint32_t ci;
    if ((error = new_cond(sc, C_FIELD, table, line, &ci)))
        return error;
    cond *c = &cat->conds.items[ci];
    c->op = (uint8_t)op;
    c->field = (uint16_t)field;
    c->ftype = ft;
    c->enumeration = enumeration;
    c->attr = attr;
    c->attr_type = attr_type;
    c->vals = cat->vals.count;
    if (op != OP_EXISTS) {
        if (!value)
            return cat_error(sc, line, "field \"%s\" %s needs a value", name, op_text(op));
        bool list = op == OP_IN || (ft == FT_MEDIA && op != OP_CONTAINS);
        if (!list) {
            cval v;
            if ((error = parse_value(sc, c, name, value, line, &v)) || (error = push_val(cat, v)))
                return error;
            cat->conds.items[ci].nvals = 1;
        } else {
            const char *p = value;
            while (*p) {
                while (*p == ' ' || *p == '\t' || *p == '\n')
                    p++;
                size_t n = strcspn(p, " \t\n");
                if (!n)
                    break;
                char word[256];
                if (n >= sizeof word)
                    return cat_error(sc, line, "field \"%s\": a value of %zu characters is too long", name, n);
                memcpy(word, p, n);
                word[n] = '\0';
                cval v;
                c = &cat->conds.items[ci];
                if ((error = parse_value(sc, c, name, word, line, &v)) || (error = push_val(cat, v)))
                    return error;
                cat->conds.items[ci].nvals++;
                p += n;
            }
            if (!cat->conds.items[ci].nvals && !(ft == FT_MEDIA && op != OP_IN))
                return cat_error(sc, line, "field \"%s\" %s needs at least one value", name, op_text(op));
        }
        if (op == OP_CONTAINS && strchr(value, ' '))
            return cat_error(sc, line, "field \"%s\" contains takes one word, not \"%s\"", name, value);
    }
    iotnet__buf t = {0};
    bool kind_field = field == F_NODE_KIND || field == F_ZONE_KIND;
    if (op == OP_ISA && kind_field)
        iotnet__buf_printf(&t, "is-a %s", value);
    else if (op == OP_EXISTS)
        iotnet__buf_printf(&t, "%s exists", name);
    else if (op == OP_IN)
        iotnet__buf_printf(&t, "%s in (%s)", name, value);
    else
        iotnet__buf_printf(&t, "%s %s %s", name, op_text(op), *value ? value : "\"\"");
    if (t.failed)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory compiling a condition");
    error = finish(sc, ci, t.data);
    iotnet__buf_free(&t);
    *out = ci;
    return error;
}

static bool is_element(const xmlNode *n)
{
    return n && n->type == XML_ELEMENT_NODE;
}

static const char *el_name(const xmlNode *n)
{
    return (const char *)n->name;
}

static int compile(cond_scope *sc, const xmlNode *el, int table, uint32_t *out, int depth);

/* The children of a group, each compiled over `table`, linked as siblings. */
static int children(cond_scope *sc, const xmlNode *el, int table, uint32_t parent, int depth, size_t *count)
{
    iotnet_catalog *cat = sc->cat;
    uint32_t last = IOTNET_NONE;
    *count = 0;
    for (const xmlNode *k = el->children; k; k = k->next) {
        if (k->type == XML_TEXT_NODE || k->type == XML_COMMENT_NODE || k->type == XML_PI_NODE)
            continue;
        if (!is_element(k))
            return cat_error(sc, line_of(k), "<%s>: unexpected content", el_name(el));
        uint32_t ci;
        int error = compile(sc, k, table, &ci, depth + 1);
        if (error)
            return error;
        if (last == IOTNET_NONE)
            cat->conds.items[parent].child = ci;
        else
            cat->conds.items[last].next = ci;
        last = ci;
        (*count)++;
    }
    return 0;
}

static int group_text(cond_scope *sc, uint32_t ci, const char *head)
{
    iotnet_catalog *cat = sc->cat;
    iotnet__buf t = {0};
    iotnet__buf_printf(&t, "%s(", head);
    bool first = true;
    for (uint32_t k = cat->conds.items[ci].child; k != IOTNET_NONE; k = cat->conds.items[k].next) {
        iotnet__buf_printf(&t, "%s%s", first ? "" : ", ", cat_text(cat, cat->conds.items[k].text));
        first = false;
    }
    iotnet__buf_puts(&t, ")");
    if (t.failed)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory compiling a condition");
    int error = finish(sc, ci, t.data);
    iotnet__buf_free(&t);
    return error;
}

static int compile_group(cond_scope *sc, const xmlNode *el, int table, uint8_t type, uint32_t *out, int depth)
{
    uint32_t ci;
    size_t count;
    int error = new_cond(sc, type, table, line_of(el), &ci);
    if (!error)
        error = children(sc, el, table, ci, depth, &count);
    if (error)
        return error;
    if (count == 0)
        return cat_error(sc, line_of(el), "<%s> needs a condition inside", el_name(el));
    if (type == C_NOT && count != 1)
        return cat_error(sc, line_of(el), "<not> takes exactly one condition, not %zu", count);
    *out = ci;
    return group_text(sc, ci, type == C_ALL ? "all" : type == C_ANY ? "any" : "not");
}

static int compile_service(cond_scope *sc, const xmlNode *el, int table, uint32_t *out, int depth)
{
    iotnet_catalog *cat = sc->cat;
    if (table != IOTNET_TARGET_NODE)
        return cat_error(sc, line_of(el), "<service> tests a node's services; here the target is a %s", table_name(table));
    uint32_t group, hop;
    size_t count;
    int error = new_cond(sc, C_ALL, IOTNET_TARGET_SERVICE, line_of(el), &group);
    if (!error)
        error = children(sc, el, IOTNET_TARGET_SERVICE, group, depth, &count);
    if (error)
        return error;
    if (!count)
        return cat_error(sc, line_of(el), "<service> needs a condition inside");
    uint32_t inner = group;
    if (count == 1)
        inner = cat->conds.items[group].child; /* the group is left unused */
    else if ((error = group_text(sc, group, "all")))
        return error;
    if ((error = new_cond(sc, C_HOP, table, line_of(el), &hop)))
        return error;
    cat->conds.items[hop].field = HOP_NODE_SERVICES;
    cat->conds.items[hop].child = inner;
    iotnet__buf t = {0};
    const char *it = cat_text(cat, cat->conds.items[inner].text);
    if (count > 1 && !strncmp(it, "all(", 4))
        iotnet__buf_printf(&t, "service%s", it + 3);
    else
        iotnet__buf_printf(&t, "service(%s)", it);
    if (t.failed)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory compiling a condition");
    error = finish(sc, hop, t.data);
    iotnet__buf_free(&t);
    *out = hop;
    return error;
}

static int compile_reach(cond_scope *sc, const xmlNode *el, int table, uint32_t *out)
{
    iotnet_catalog *cat = sc->cat;
    long line = line_of(el);
    if (table != IOTNET_TARGET_NODE && table != IOTNET_TARGET_SERVICE)
        return cat_error(sc, line, "<reachable> applies to node and service targets, not %s", table_name(table));
    char *from_h, *min_h;
    const char *from = prop(el, "from", &from_h), *min = prop(el, "min", &min_h);
    int error = 0, cls = IOTNET_EXPOSURE_REPLY_ONLY;
    uint32_t ci = IOTNET_NONE;
    if (!from || !*from)
        error = cat_error(sc, line, "<reachable> needs from=\"internet\", \"zone:ID\" or a node id");
    else if (min && iotnet_enum_parse(IOTNET_ENUM_EXPOSURE, min, &cls) != 0)
        error = cat_error(sc, line,
                          "<reachable>: unknown exposure class \"%s\" (expected none, reply-only, hole-punchable, "
                          "pinhole, port-forward or direct)",
                          min);
    if (!error)
        error = new_cond(sc, C_REACH, table, line, &ci);
    if (!error)
        error = iotnet__strpool_intern(&cat->strings, from, &cat->conds.items[ci].attr);
    if (!error) {
        cat->conds.items[ci].vals = cat->vals.count;
        cat->conds.items[ci].nvals = 1;
        error = push_val(cat, (cval){cls, 0, 0, 0});
    }
    if (!error) {
        iotnet__buf t = {0};
        iotnet__buf_printf(&t, "reachable from %s >= %s", from, iotnet_enum_name(IOTNET_ENUM_EXPOSURE, cls));
        error = t.failed ? iotnet__error_set(IOTNET_ENOMEM, "out of memory compiling a condition") : finish(sc, ci, t.data);
        iotnet__buf_free(&t);
    }
    xmlFree(from_h);
    xmlFree(min_h);
    *out = ci;
    return error;
}

static int compile(cond_scope *sc, const xmlNode *el, int table, uint32_t *out, int depth)
{
    long line = line_of(el);
    if (depth > 64)
        return cat_error(sc, line, "condition nested too deeply");
    const char *name = el_name(el);
    if (!strcmp(name, "all"))
        return compile_group(sc, el, table, C_ALL, out, depth);
    if (!strcmp(name, "any"))
        return compile_group(sc, el, table, C_ANY, out, depth);
    if (!strcmp(name, "not"))
        return compile_group(sc, el, table, C_NOT, out, depth);
    if (!strcmp(name, "service"))
        return compile_service(sc, el, table, out, depth);
    if (!strcmp(name, "reachable"))
        return compile_reach(sc, el, table, out);
    char *h1 = NULL, *h2 = NULL, *h3 = NULL;
    int error;
    if (!strcmp(name, "is-a")) {
        const char *field = prop(el, "field", &h1), *kind = prop(el, "kind", &h2);
        if (!field)
            field = table == IOTNET_TARGET_SERVICE ? "node/kind" : "kind";
        if (!kind)
            error = cat_error(sc, line, "<is-a> needs a kind");
        else if (table == IOTNET_TARGET_LINK || table == IOTNET_TARGET_CONDUIT) {
            if (!h1)
                error = cat_error(sc, line, "<is-a> on a %s target needs field=\"...\" naming a kind field",
                                  table_name(table));
            else
                error = field_leaf(sc, table, field, line, OP_ISA, kind, out, 0);
        } else
            error = field_leaf(sc, table, field, line, OP_ISA, kind, out, 0);
    } else if (!strcmp(name, "field")) {
        const char *fname = prop(el, "name", &h1), *op = prop(el, "op", &h2), *value = prop(el, "value", &h3);
        int o = op ? parse_op(op) : 0;
        if (!fname)
            error = cat_error(sc, line, "<field> needs a name");
        else if (!o)
            error = cat_error(sc, line, "<field name=\"%s\">: unknown operator \"%s\" (expected =, !=, <, <=, >, >=, in, "
                                        "exists or contains)",
                              fname, op ? op : "");
        else if (o == OP_EXISTS && value)
            error = cat_error(sc, line, "<field name=\"%s\" op=\"exists\"> takes no value", fname);
        else
            error = field_leaf(sc, table, fname, line, o, value, out, 0);
    } else
        error = cat_error(sc, line,
                          "unknown condition element <%s> (expected all, any, not, is-a, field, service or reachable)",
                          name);
    xmlFree(h1);
    xmlFree(h2);
    xmlFree(h3);
    return error;
}

int iotnet__cond_compile(cond_scope *scope, const void *node, int table, uint32_t *out)
{
    return compile(scope, node, table, out, 0);
}

int iotnet__cond_true(cond_scope *scope, int table, uint32_t line, uint32_t *out)
{
    int error = new_cond(scope, C_TRUE, table, line, out);
    return error ? error : finish(scope, *out, "true");
}

int iotnet__mitigation_hop(int m, int t)
{
    if (m == t)
        return 0;
    switch (m) {
    case IOTNET_TARGET_NODE:
        if (t == IOTNET_TARGET_SERVICE)
            return HOP_SERVICE_NODE;
        if (t == IOTNET_TARGET_LINK)
            return HOP_LINK_EITHER;
        if (t == IOTNET_TARGET_ZONE)
            return HOP_ZONE_NODES;
        return -1;
    case IOTNET_TARGET_ZONE:
        if (t == IOTNET_TARGET_NODE)
            return HOP_NODE_ZONE;
        if (t == IOTNET_TARGET_SERVICE)
            return HOP_SERVICE_ZONE;
        if (t == IOTNET_TARGET_LINK)
            return HOP_LINK_ZONES;
        if (t == IOTNET_TARGET_CONDUIT)
            return HOP_CONDUIT_EITHER;
        return -1;
    case IOTNET_TARGET_SERVICE:
        return t == IOTNET_TARGET_NODE ? HOP_NODE_SERVICES : -1;
    case IOTNET_TARGET_LINK:
        return t == IOTNET_TARGET_NODE ? HOP_NODE_LINKS : -1;
    default:
        return -1;
    }
}

int64_t iotnet__clock_now(void)
{
    return (int64_t)time(NULL);
}
