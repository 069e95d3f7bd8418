/* The model: kinds, zones, conduits, nodes and links in struct-of-arrays tables. */
#include "net_internal.h"
#include "error_internal.h"
#include "kinds_builtin.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* ---- shared helpers ------------------------------------------------- */

int iotnet__vec_grow(void **items, uint32_t *cap, uint32_t count, size_t item_size)
{
    if (count < *cap)
        return 0;
    uint32_t ncap = *cap ? *cap * 2 : 8;
    void *p = realloc(*items, (size_t)ncap * item_size);
    if (!p)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    *items = p;
    *cap = ncap;
    return 0;
}

/* Grow every column of a table to `ncap` rows; the table's cap is set by the caller. */
typedef struct column_ref {
    void **array;
    size_t size;
} column_ref;

static int grow_columns(const column_ref *cols, size_t ncols, uint32_t ncap)
{
    for (size_t i = 0; i < ncols; i++) {
        void *p = realloc(*cols[i].array, (size_t)ncap * cols[i].size);
        if (!p)
            return iotnet__error_set(IOTNET_ENOMEM, "out of memory growing the model to %u rows", ncap);
        *cols[i].array = p;
    }
    return 0;
}

static void free_columns(const column_ref *cols, size_t ncols)
{
    for (size_t i = 0; i < ncols; i++) {
        free(*cols[i].array);
        *cols[i].array = NULL;
    }
}

static size_t columns_memory(const column_ref *cols, size_t ncols, uint32_t cap)
{
    size_t total = 0;
    for (size_t i = 0; i < ncols; i++)
        total += cols[i].size * cap;
    return total;
}

#define COL(table, field) {(void **)&(table)->field, sizeof *(table)->field}
#define NCOLS(a) (sizeof(a) / sizeof *(a))

int iotnet__intern(iotnet_net *net, const char *s, iotnet__str *out)
{
    /* a YANG string cannot hold such text: the model would save but never load again */
    if (s && !iotnet__text_is_clean(s)) {
        char *shown = iotnet__text_clean(s);
        int error = iotnet__error_set(IOTNET_EINVAL, "text \"%s\" is not UTF-8 or holds a control character "
                                      "(of those only tab, newline and carriage return may appear)",
                                      shown ? shown : "?");
        free(shown);
        return error;
    }
    return iotnet__strpool_intern(&net->strings, s, out);
}

const char *iotnet__text(const iotnet_net *net, iotnet__str s)
{
    return iotnet__str_text(&net->strings, s);
}

static uint32_t lookup_id(const iotnet_net *net, const iotnet__idmap *map, const char *id)
{
    return iotnet__idmap_get(map, iotnet__strpool_lookup(&net->strings, id));
}

/* Interns several optional strings at once; all or nothing is not needed
 * because interned strings are shared and harmless when unused. */
static int intern_all(iotnet_net *net, const char *const *texts, iotnet__str *const *outs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int error = iotnet__intern(net, texts[i], outs[i]);
        if (error)
            return error;
    }
    return 0;
}

int iotnet__version_check(unsigned int got, unsigned int known, const char *what)
{
    if (got != known)
        return iotnet__error_set(IOTNET_EINVAL, "%s has version %u; this library knows version %u", what, got, known);
    return 0;
}

static uint32_t recall(const iotnet_net *net, const recent_lookup *r, const char *text)
{
    return r->key && strcmp(iotnet__text(net, r->key), text) == 0 ? r->value : UINT32_MAX;
}

static void remember(recent_lookup *r, iotnet__str key, uint32_t value)
{
    r->key = key;
    r->value = value;
}

/* Look an id up in a map through the recent entry, updating it on a miss. */
static uint32_t lookup_recent(iotnet_net *net, recent_lookup *r, const iotnet__idmap *map, const char *id)
{
    uint32_t found = recall(net, r, id);
    if (found != UINT32_MAX)
        return found;
    iotnet__str key = iotnet__strpool_lookup(&net->strings, id);
    found = iotnet__idmap_get(map, key);
    if (found != UINT32_MAX)
        remember(r, key, found);
    return found;
}

static void forget_nodes(iotnet_net *net)
{
    memset(net->recent_endpoint, 0, sizeof net->recent_endpoint);
}

static int require_id(const char *id, const char *what)
{
    if (!id || !*id)
        return iotnet__error_set(IOTNET_EINVAL, "%s: an id is required", what);
    /* a YANG string cannot hold it, so the model could not be saved and
       loaded again, and every export would write it as '?' (two ids could
       then look alike) */
    if (!iotnet__text_is_clean(id))
        return iotnet__error_set(IOTNET_EINVAL, "%s: the id is not UTF-8 text or holds a control character "
                                 "(of those only tab, newline and carriage return may appear)", what);
    return 0;
}

/* ---- column sets per table ------------------------------------------ */

#define KIND_COLUMNS(t) {COL(t, name), COL(t, parent)}
#define ZONE_COLUMNS(t) \
    {COL(t, id), COL(t, description), COL(t, kind), COL(t, purdue), COL(t, target_sl), \
     COL(t, target_sl_fr), COL(t, alive)}
#define CONDUIT_COLUMNS(t) \
    {COL(t, id), COL(t, services), COL(t, description), COL(t, from), COL(t, to), \
     COL(t, bidirectional), COL(t, alive)}
#define NODE_COLUMNS(t) \
    {COL(t, id), COL(t, vendor), COL(t, model), COL(t, firmware), COL(t, implementation), \
     COL(t, mud_url), COL(t, description), COL(t, kind), COL(t, zone), COL(t, first_link), \
     COL(t, first_service), COL(t, first_iface), COL(t, lifecycle), COL(t, policy), \
     COL(t, nat), COL(t, mud), COL(t, alive)}
#define LINK_COLUMNS(t) \
    {COL(t, id), COL(t, a_iface), COL(t, b_iface), COL(t, description), COL(t, a), COL(t, b), \
     COL(t, latency_ms), COL(t, medium), COL(t, encryption), COL(t, alive)}

/* Make room for one more row in a table with `cols`; links' `next` has two entries per row. */
static int table_room(const column_ref *cols, size_t ncols, uint32_t count, uint32_t *cap)
{
    if (count < *cap)
        return 0;
    if (count >= IOTNET_NONE / 2 - 1)
        return iotnet__error_set(IOTNET_ENOMEM, "table is full (%u rows)", count);
    uint32_t ncap = *cap ? *cap + *cap / 2 : 64;
    int error = grow_columns(cols, ncols, ncap);
    if (!error)
        *cap = ncap;
    return error;
}

/* ---- model ---------------------------------------------------------- */

static int kind_add(iotnet_net *net, iotnet_kind *out, const char *name, const char *parent);

static int register_builtin_kinds(iotnet_net *net)
{
    for (const iotnet__builtin_kind *k = iotnet__builtin_kinds; k->name; k++) {
        int error = kind_add(net, NULL, k->name, k->parent);
        if (error)
            return error;
    }
    iotnet_kind_find(net, &net->kind_node_root, IOTNET_KIND_NODE_ROOT);
    iotnet_kind_find(net, &net->kind_zone_root, IOTNET_KIND_ZONE_ROOT);
    iotnet_kind_find(net, &net->kind_forwarding, IOTNET_KIND_FORWARDING);
    iotnet_kind_find(net, &net->kind_internet, "internet");
    return 0;
}

int iotnet_net_new(iotnet_net **out)
{
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_net_new: out is required");
    *out = NULL;
    iotnet__init();
    iotnet_net *net = calloc(1, sizeof *net);
    if (!net)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory creating a model");
    int error = register_builtin_kinds(net);
    if (error) {
        iotnet_net_free(net);
        return error;
    }
    *out = net;
    return 0;
}

void iotnet_net_free(iotnet_net *net)
{
    if (!net)
        return;
    column_ref kinds[] = KIND_COLUMNS(&net->kinds);
    column_ref zones[] = ZONE_COLUMNS(&net->zones);
    column_ref conduits[] = CONDUIT_COLUMNS(&net->conduits);
    column_ref nodes[] = NODE_COLUMNS(&net->nodes);
    column_ref links[] = LINK_COLUMNS(&net->links);
    free_columns(kinds, NCOLS(kinds));
    free_columns(zones, NCOLS(zones));
    free_columns(conduits, NCOLS(conduits));
    free_columns(nodes, NCOLS(nodes));
    free_columns(links, NCOLS(links));
    free(net->links.next);
    iotnet__idmap_free(&net->kinds.by_name);
    iotnet__idmap_free(&net->zones.by_id);
    iotnet__idmap_free(&net->conduits.by_id);
    iotnet__idmap_free(&net->nodes.by_id);
    iotnet__idmap_free(&net->links.by_id);
    free(net->services.items);
    free(net->ifaces.items);
    free(net->lifecycles.items);
    iotnet__policies_free(net);
    iotnet__muds_free(net);
    iotnet__risks_free(net);
    iotnet__attrs_free(net);
    iotnet__strpool_free(&net->strings);
    free(net);
}

int iotnet_net_set_name(iotnet_net *net, const char *name)
{
    if (!net)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_net_set_name: net is required");
    iotnet__str s;
    int error = iotnet__intern(net, name, &s);
    if (!error)
        net->name = s;
    return error;
}

const char *iotnet_net_name(const iotnet_net *net)
{
    return net ? iotnet__text(net, net->name) : NULL;
}

size_t iotnet_net_memory(const iotnet_net *net)
{
    if (!net)
        return 0;
    column_ref kinds[] = KIND_COLUMNS((kind_table *)&net->kinds);
    column_ref zones[] = ZONE_COLUMNS((zone_table *)&net->zones);
    column_ref conduits[] = CONDUIT_COLUMNS((conduit_table *)&net->conduits);
    column_ref nodes[] = NODE_COLUMNS((node_table *)&net->nodes);
    column_ref links[] = LINK_COLUMNS((link_table *)&net->links);
    size_t total = sizeof *net + iotnet__strpool_memory(&net->strings);
    total += columns_memory(kinds, NCOLS(kinds), net->kinds.cap);
    total += columns_memory(zones, NCOLS(zones), net->zones.cap);
    total += columns_memory(conduits, NCOLS(conduits), net->conduits.cap);
    total += columns_memory(nodes, NCOLS(nodes), net->nodes.cap);
    total += columns_memory(links, NCOLS(links), net->links.cap) + 2 * sizeof(uint32_t) * net->links.cap;
    total += iotnet__idmap_memory(&net->kinds.by_name) + iotnet__idmap_memory(&net->zones.by_id) +
             iotnet__idmap_memory(&net->conduits.by_id) + iotnet__idmap_memory(&net->nodes.by_id) +
             iotnet__idmap_memory(&net->links.by_id);
    total += (size_t)net->services.cap * sizeof(service_rec) + (size_t)net->ifaces.cap * sizeof(iface_rec) +
             (size_t)net->lifecycles.cap * sizeof(lifecycle_rec) +
             (size_t)net->policies.cap * sizeof(policy_rec) + (size_t)net->nats.cap * sizeof(nat_rec);
    return total + iotnet__attrs_memory(net) + iotnet__muds_memory(net) + iotnet__risks_memory(net);
}

/* Grow a table's columns to hold `extra` more rows. */
static int table_reserve(const column_ref *cols, size_t ncols, uint32_t count, uint32_t *cap, size_t extra)
{
    if ((uint64_t)count + extra >= IOTNET_NONE / 2 - 1)
        return iotnet__error_set(IOTNET_ENOMEM, "cannot reserve %zu more rows", extra);
    uint32_t want = count + (uint32_t)extra;
    if (want <= *cap)
        return 0;
    int error = grow_columns(cols, ncols, want);
    if (!error)
        *cap = want;
    return error;
}

int iotnet_net_reserve(iotnet_net *net, size_t nodes, size_t links)
{
    if (!net)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_net_reserve: net is required");
    node_table *n = &net->nodes;
    link_table *l = &net->links;
    column_ref node_cols[] = NODE_COLUMNS(n);
    column_ref link_cols[] = LINK_COLUMNS(l);
    column_ref link_next[] = {{(void **)&l->next, 2 * sizeof *l->next}};
    uint32_t link_cap = l->cap;
    int error;
    if ((error = table_reserve(node_cols, NCOLS(node_cols), n->count, &n->cap, nodes)) ||
        (error = table_reserve(link_cols, NCOLS(link_cols), l->count, &link_cap, links)) ||
        (error = grow_columns(link_next, 1, link_cap)))
        return error;
    l->cap = link_cap;
    if ((error = iotnet__idmap_reserve(&n->by_id, (uint32_t)nodes)) ||
        (error = iotnet__idmap_reserve(&l->by_id, (uint32_t)links)) ||
        (error = iotnet__strpool_reserve(&net->strings, nodes + links)))
        return error;
    return 0;
}

/* ---- kinds ---------------------------------------------------------- */

/* Add a kind; a NULL parent makes a root, which only the built-in table may do. */
static int kind_add(iotnet_net *net, iotnet_kind *out, const char *name, const char *parent)
{
    uint32_t parent_kind = IOTNET_NONE;
    if (parent && iotnet_kind_find(net, &parent_kind, parent) != 0)
        return iotnet__error_set(IOTNET_EKIND, "kind \"%s\": unknown parent kind \"%s\"", name, parent);
    uint32_t existing;
    if (iotnet_kind_find(net, &existing, name) == 0) {
        if (net->kinds.parent[existing] != parent_kind)
            return iotnet__error_set(IOTNET_EEXISTS, "kind \"%s\" exists already under \"%s\"", name,
                                     iotnet_kind_name(net, net->kinds.parent[existing]));
        if (out)
            *out = existing;
        return 0;
    }
    kind_table *t = &net->kinds;
    column_ref cols[] = KIND_COLUMNS(t);
    iotnet__str s;
    int error;
    if ((error = table_room(cols, NCOLS(cols), t->count, &t->cap)) ||
        (error = iotnet__idmap_reserve(&t->by_name, 1)) || (error = iotnet__intern(net, name, &s)))
        return error;
    uint32_t k = t->count++;
    t->name[k] = s;
    t->parent[k] = parent_kind;
    iotnet__idmap_put(&t->by_name, s, k);
    if (out)
        *out = k;
    return 0;
}

int iotnet_kind_add(iotnet_net *net, iotnet_kind *out, const char *name, const char *parent)
{
    if (!net || !name || !*name || !parent)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_kind_add: net, name and parent are required");
    return kind_add(net, out, name, parent);
}

int iotnet_kind_find(const iotnet_net *net, iotnet_kind *out, const char *name)
{
    if (!net || !name)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_kind_find: net and name are required");
    uint32_t k = lookup_id(net, &net->kinds.by_name, name);
    if (k == UINT32_MAX)
        return iotnet__error_set(IOTNET_EKIND, "unknown kind \"%s\"", name);
    if (out)
        *out = k;
    return 0;
}

const char *iotnet_kind_name(const iotnet_net *net, iotnet_kind kind)
{
    if (!net || kind >= net->kinds.count)
        return NULL;
    return iotnet__text(net, net->kinds.name[kind]);
}

iotnet_kind iotnet_kind_parent(const iotnet_net *net, iotnet_kind kind)
{
    if (!net || kind >= net->kinds.count)
        return IOTNET_NONE;
    return net->kinds.parent[kind];
}

size_t iotnet_kind_count(const iotnet_net *net)
{
    return net ? net->kinds.count : 0;
}

bool iotnet_kind_is_a(const iotnet_net *net, iotnet_kind kind, iotnet_kind ancestor)
{
    if (!net || ancestor >= net->kinds.count)
        return false;
    for (uint32_t k = kind; k < net->kinds.count; k = net->kinds.parent[k])
        if (k == ancestor)
            return true;
    return false;
}

int iotnet_kind_is(const iotnet_net *net, const char *kind, const char *ancestor)
{
    iotnet_kind k, a;
    int error;
    if ((error = iotnet_kind_find(net, &k, kind)) || (error = iotnet_kind_find(net, &a, ancestor)))
        return error;
    return iotnet_kind_is_a(net, k, a) ? 1 : 0;
}

/* A kind by name that must derive from `root`; `what` names the element for messages. */
static int kind_of_family(const iotnet_net *net, uint32_t *out, const char *name, uint32_t root,
                          const char *what, const char *id)
{
    if (!name || !*name)
        return iotnet__error_set(IOTNET_EINVAL, "%s \"%s\": a kind is required", what, id);
    if (iotnet_kind_find(net, out, name) != 0)
        return iotnet__error_set(IOTNET_EKIND, "%s \"%s\": unknown kind \"%s\"", what, id, name);
    if (!iotnet_kind_is_a(net, *out, root))
        return iotnet__error_set(IOTNET_EKIND, "%s \"%s\": kind \"%s\" is not a %s", what, id, name,
                                 iotnet_kind_name(net, root));
    return 0;
}

/* ---- zones ---------------------------------------------------------- */

static bool zone_alive(const iotnet_net *net, iotnet_index z)
{
    return net && z < net->zones.count && net->zones.alive[z];
}

static int zone_check(const iotnet_net *net, iotnet_index z)
{
    if (!net)
        return iotnet__error_set(IOTNET_EINVAL, "net is required");
    if (!zone_alive(net, z))
        return iotnet__error_set(IOTNET_ENOTFOUND, "no zone at index %u", z);
    return 0;
}

static int zone_spec_check(const iotnet_zone_spec *spec)
{
    if (spec->target_sl > 4)
        return iotnet__error_set(IOTNET_EINVAL, "zone \"%s\": target security level %u is not 1..4",
                                 spec->id, spec->target_sl);
    for (int i = 0; i < 7; i++)
        if (spec->target_sl_fr[i] > 4)
            return iotnet__error_set(IOTNET_EINVAL, "zone \"%s\": FR%d target level %u is not 1..4",
                                     spec->id, i + 1, spec->target_sl_fr[i]);
    /* what the file's decimal64 with one fraction digit holds, and nothing it would round */
    if (spec->purdue_level >= 0 && (spec->purdue_level > 5 || !iotnet__decimal_holds(spec->purdue_level, 1))) {
        char level[IOTNET__DOUBLE_TEXT_MAX];
        iotnet__double_format(level, spec->purdue_level);
        return iotnet__error_set(IOTNET_EINVAL, "zone \"%s\": Purdue level %s is not one of 0 to 5 in tenths "
                                 "(such as 3 or 3.5)", spec->id, level);
    }
    return 0;
}

int iotnet_zone_add(iotnet_net *net, iotnet_index *out, const iotnet_zone_spec *spec)
{
    int error;
    if (!net || !spec)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_zone_add: net and spec are required");
    if ((error = iotnet__version_check(spec->version, IOTNET_ZONE_SPEC_VERSION, "iotnet_zone_spec")) ||
        (error = require_id(spec->id, "zone")))
        return error;
    if (lookup_id(net, &net->zones.by_id, spec->id) != UINT32_MAX)
        return iotnet__error_set(IOTNET_EEXISTS, "zone \"%s\" exists already", spec->id);
    uint32_t kind;
    if ((error = kind_of_family(net, &kind, spec->kind, net->kind_zone_root, "zone", spec->id)) ||
        (error = zone_spec_check(spec)))
        return error;
    zone_table *t = &net->zones;
    column_ref cols[] = ZONE_COLUMNS(t);
    iotnet__str id, desc;
    const char *texts[] = {spec->id, spec->description};
    iotnet__str *outs[] = {&id, &desc};
    if ((error = table_room(cols, NCOLS(cols), t->count, &t->cap)) ||
        (error = iotnet__idmap_reserve(&t->by_id, 1)) || (error = intern_all(net, texts, outs, 2)))
        return error;
    uint32_t z = t->count++;
    t->id[z] = id;
    t->description[z] = desc;
    t->kind[z] = kind;
    /* + 0.0 makes -0.0 the 0 a file gives back */
    t->purdue[z] = spec->purdue_level < 0 ? -1.0f : (float)(spec->purdue_level + 0.0);
    t->target_sl[z] = spec->target_sl;
    memcpy(t->target_sl_fr[z], spec->target_sl_fr, 7);
    t->alive[z] = 1;
    t->live++;
    iotnet__idmap_put(&t->by_id, id, z);
    if (out)
        *out = z;
    return 0;
}

int iotnet_zone_find(const iotnet_net *net, iotnet_index *out, const char *id)
{
    if (!net || !id)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_zone_find: net and id are required");
    uint32_t z = lookup_id(net, &net->zones.by_id, id);
    if (z == UINT32_MAX)
        return iotnet__error_set(IOTNET_ENOTFOUND, "no zone \"%s\"", id);
    if (out)
        *out = z;
    return 0;
}

int iotnet_zone_get(const iotnet_net *net, iotnet_index zone, iotnet_zone_spec *out)
{
    int error = zone_check(net, zone);
    if (error)
        return error;
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_zone_get: out is required");
    const zone_table *t = &net->zones;
    out->version = IOTNET_ZONE_SPEC_VERSION;
    out->id = iotnet__text(net, t->id[zone]);
    out->kind = iotnet_kind_name(net, t->kind[zone]);
    out->description = iotnet__text(net, t->description[zone]);
    out->purdue_level = t->purdue[zone] < 0 ? -1.0 : (double)t->purdue[zone];
    out->target_sl = t->target_sl[zone];
    memcpy(out->target_sl_fr, t->target_sl_fr[zone], 7);
    return 0;
}

int iotnet_zone_remove(iotnet_net *net, iotnet_index zone)
{
    int error = zone_check(net, zone);
    if (error)
        return error;
    const char *id = iotnet__text(net, net->zones.id[zone]);
    for (uint32_t n = 0; n < net->nodes.count; n++)
        if (net->nodes.alive[n] && net->nodes.zone[n] == zone)
            return iotnet__error_set(IOTNET_EINUSE, "zone \"%s\" still holds node \"%s\"", id,
                                     iotnet__text(net, net->nodes.id[n]));
    for (uint32_t c = 0; c < net->conduits.count; c++)
        if (net->conduits.alive[c] && (net->conduits.from[c] == zone || net->conduits.to[c] == zone))
            return iotnet__error_set(IOTNET_EINUSE, "zone \"%s\" is an end of conduit \"%s\"", id,
                                     iotnet__text(net, net->conduits.id[c]));
    if ((error = iotnet__policy_check_unreferenced(net, IOTNET_NONE, IOTNET_SELECT_ZONE, net->zones.id[zone], "zone")))
        return error;
    iotnet__attrs_drop(net, IOTNET_ENTITY_ZONE, zone);
    iotnet__idmap_remove(&net->zones.by_id, net->zones.id[zone]);
    memset(&net->recent_zone, 0, sizeof net->recent_zone);
    net->zones.alive[zone] = 0;
    net->zones.live--;
    return 0;
}

size_t iotnet_zone_count(const iotnet_net *net)
{
    return net ? net->zones.live : 0;
}

static iotnet_index next_alive(const uint8_t *alive, uint32_t count, iotnet_index prev)
{
    for (uint32_t i = prev == IOTNET_NONE ? 0 : prev + 1; i < count; i++)
        if (alive[i])
            return i;
    return IOTNET_NONE;
}

iotnet_index iotnet_zone_next(const iotnet_net *net, iotnet_index prev)
{
    return net ? next_alive(net->zones.alive, net->zones.count, prev) : IOTNET_NONE;
}

/* ---- conduits ------------------------------------------------------- */

static int conduit_check(const iotnet_net *net, iotnet_index c)
{
    if (!net)
        return iotnet__error_set(IOTNET_EINVAL, "net is required");
    if (c >= net->conduits.count || !net->conduits.alive[c])
        return iotnet__error_set(IOTNET_ENOTFOUND, "no conduit at index %u", c);
    return 0;
}

static int conduit_zone(const iotnet_net *net, uint32_t *out, const char *zone, const char *id, const char *end)
{
    if (!zone || !*zone)
        return iotnet__error_set(IOTNET_EINVAL, "conduit \"%s\": %s is required", id, end);
    *out = lookup_id(net, &net->zones.by_id, zone);
    if (*out == UINT32_MAX)
        return iotnet__error_set(IOTNET_ENOTFOUND, "conduit \"%s\": %s \"%s\" is not a zone", id, end, zone);
    return 0;
}

int iotnet_conduit_add(iotnet_net *net, iotnet_index *out, const iotnet_conduit_spec *spec)
{
    int error;
    if (!net || !spec)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_conduit_add: net and spec are required");
    if ((error = iotnet__version_check(spec->version, IOTNET_CONDUIT_SPEC_VERSION, "iotnet_conduit_spec")) ||
        (error = require_id(spec->id, "conduit")))
        return error;
    if (lookup_id(net, &net->conduits.by_id, spec->id) != UINT32_MAX)
        return iotnet__error_set(IOTNET_EEXISTS, "conduit \"%s\" exists already", spec->id);
    uint32_t from, to;
    iotnet__str id, desc, services;
    if ((error = conduit_zone(net, &from, spec->from_zone, spec->id, "from-zone")) ||
        (error = conduit_zone(net, &to, spec->to_zone, spec->id, "to-zone")))
        return error;
    if ((error = iotnet__services_normalise(net, spec->services, &services))) {
        iotnet__error_prefix(spec->id);
        iotnet__error_prefix("conduit");
        return error;
    }
    conduit_table *t = &net->conduits;
    column_ref cols[] = CONDUIT_COLUMNS(t);
    const char *texts[] = {spec->id, spec->description};
    iotnet__str *outs[] = {&id, &desc};
    if ((error = table_room(cols, NCOLS(cols), t->count, &t->cap)) ||
        (error = iotnet__idmap_reserve(&t->by_id, 1)) || (error = intern_all(net, texts, outs, 2)))
        return error;
    uint32_t c = t->count++;
    t->id[c] = id;
    t->description[c] = desc;
    t->services[c] = services;
    t->from[c] = from;
    t->to[c] = to;
    t->bidirectional[c] = spec->bidirectional;
    t->alive[c] = 1;
    t->live++;
    iotnet__idmap_put(&t->by_id, id, c);
    if (out)
        *out = c;
    return 0;
}

int iotnet_conduit_find(const iotnet_net *net, iotnet_index *out, const char *id)
{
    if (!net || !id)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_conduit_find: net and id are required");
    uint32_t c = lookup_id(net, &net->conduits.by_id, id);
    if (c == UINT32_MAX)
        return iotnet__error_set(IOTNET_ENOTFOUND, "no conduit \"%s\"", id);
    if (out)
        *out = c;
    return 0;
}

int iotnet_conduit_get(const iotnet_net *net, iotnet_index conduit, iotnet_conduit_spec *out)
{
    int error = conduit_check(net, conduit);
    if (error)
        return error;
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_conduit_get: out is required");
    const conduit_table *t = &net->conduits;
    out->version = IOTNET_CONDUIT_SPEC_VERSION;
    out->id = iotnet__text(net, t->id[conduit]);
    out->from_zone = iotnet__text(net, net->zones.id[t->from[conduit]]);
    out->to_zone = iotnet__text(net, net->zones.id[t->to[conduit]]);
    out->services = iotnet__text(net, t->services[conduit]);
    out->bidirectional = t->bidirectional[conduit];
    out->description = iotnet__text(net, t->description[conduit]);
    return 0;
}

int iotnet_conduit_remove(iotnet_net *net, iotnet_index conduit)
{
    int error = conduit_check(net, conduit);
    if (error)
        return error;
    iotnet__idmap_remove(&net->conduits.by_id, net->conduits.id[conduit]);
    net->conduits.alive[conduit] = 0;
    net->conduits.live--;
    return 0;
}

size_t iotnet_conduit_count(const iotnet_net *net)
{
    return net ? net->conduits.live : 0;
}

iotnet_index iotnet_conduit_next(const iotnet_net *net, iotnet_index prev)
{
    return net ? next_alive(net->conduits.alive, net->conduits.count, prev) : IOTNET_NONE;
}

/* ---- nodes ---------------------------------------------------------- */

bool iotnet__node_alive(const iotnet_net *net, iotnet_index node)
{
    return net && node < net->nodes.count && net->nodes.alive[node];
}

int iotnet__node_check(const iotnet_net *net, iotnet_index node)
{
    if (!net)
        return iotnet__error_set(IOTNET_EINVAL, "net is required");
    if (!iotnet__node_alive(net, node))
        return iotnet__error_set(IOTNET_ENOTFOUND, "no node at index %u", node);
    return 0;
}

/* The checked, interned form of a node spec, ready to store. */
typedef struct node_values {
    uint32_t kind, zone;
    iotnet__str id, vendor, model, firmware, implementation, mud_url, description;
} node_values;

static int node_values_prepare(iotnet_net *net, const iotnet_node_spec *spec, node_values *v)
{
    int error;
    if ((error = iotnet__version_check(spec->version, IOTNET_NODE_SPEC_VERSION, "iotnet_node_spec")) ||
        (error = require_id(spec->id, "node")))
        return error;
    v->kind = spec->kind ? recall(net, &net->recent_kind, spec->kind) : UINT32_MAX;
    if (v->kind == UINT32_MAX) {
        if ((error = kind_of_family(net, &v->kind, spec->kind, net->kind_node_root, "node", spec->id)))
            return error;
        remember(&net->recent_kind, net->kinds.name[v->kind], v->kind);
    }
    v->zone = IOTNET_NONE;
    if (spec->zone && (v->zone = lookup_recent(net, &net->recent_zone, &net->zones.by_id, spec->zone)) == UINT32_MAX)
        return iotnet__error_set(IOTNET_ENOTFOUND, "node \"%s\": zone \"%s\" does not exist", spec->id, spec->zone);
    const char *texts[] = {spec->vendor, spec->model, spec->firmware,
                           spec->implementation, spec->mud_url, spec->description};
    iotnet__str *outs[] = {&v->vendor, &v->model, &v->firmware,
                           &v->implementation, &v->mud_url, &v->description};
    return intern_all(net, texts, outs, NCOLS(texts));
}

static void node_values_store(node_table *t, uint32_t n, const node_values *v)
{
    t->id[n] = v->id;
    t->vendor[n] = v->vendor;
    t->model[n] = v->model;
    t->firmware[n] = v->firmware;
    t->implementation[n] = v->implementation;
    t->mud_url[n] = v->mud_url;
    t->description[n] = v->description;
    t->kind[n] = (uint16_t)v->kind;
    t->zone[n] = v->zone;
}

int iotnet_node_add(iotnet_net *net, iotnet_index *out, const iotnet_node_spec *spec)
{
    int error;
    if (!net || !spec)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_node_add: net and spec are required");
    node_values v;
    bool new_id;
    if ((error = node_values_prepare(net, spec, &v)) ||
        (error = iotnet__strpool_intern_new(&net->strings, spec->id, &v.id, &new_id)))
        return error;
    /* an id string never seen before cannot name an existing node */
    if (!new_id && iotnet__idmap_get(&net->nodes.by_id, v.id) != UINT32_MAX)
        return iotnet__error_set(IOTNET_EEXISTS, "node \"%s\" exists already", spec->id);
    if (v.kind > UINT16_MAX)
        return iotnet__error_set(IOTNET_EKIND, "node \"%s\": too many kinds", spec->id);
    node_table *t = &net->nodes;
    column_ref cols[] = NODE_COLUMNS(t);
    if ((error = table_room(cols, NCOLS(cols), t->count, &t->cap)) ||
        (error = iotnet__idmap_reserve(&t->by_id, 1)))
        return error;
    uint32_t n = t->count++;
    node_values_store(t, n, &v);
    t->first_link[n] = t->first_service[n] = t->first_iface[n] = IOTNET_NONE;
    t->lifecycle[n] = t->policy[n] = t->nat[n] = t->mud[n] = IOTNET_NONE;
    t->alive[n] = 1;
    t->live++;
    iotnet__idmap_put(&t->by_id, v.id, n);
    if (out)
        *out = n;
    return 0;
}

int iotnet_node_find(const iotnet_net *net, iotnet_index *out, const char *id)
{
    if (!net || !id)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_node_find: net and id are required");
    uint32_t n = lookup_id(net, &net->nodes.by_id, id);
    if (n == UINT32_MAX)
        return iotnet__error_set(IOTNET_ENOTFOUND, "no node \"%s\"", id);
    if (out)
        *out = n;
    return 0;
}

int iotnet_node_get(const iotnet_net *net, iotnet_index node, iotnet_node_spec *out)
{
    int error = iotnet__node_check(net, node);
    if (error)
        return error;
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_node_get: out is required");
    const node_table *t = &net->nodes;
    out->version = IOTNET_NODE_SPEC_VERSION;
    out->id = iotnet__text(net, t->id[node]);
    out->kind = iotnet_kind_name(net, t->kind[node]);
    out->zone = t->zone[node] == IOTNET_NONE ? NULL : iotnet__text(net, net->zones.id[t->zone[node]]);
    out->vendor = iotnet__text(net, t->vendor[node]);
    out->model = iotnet__text(net, t->model[node]);
    out->firmware = iotnet__text(net, t->firmware[node]);
    out->implementation = iotnet__text(net, t->implementation[node]);
    out->mud_url = iotnet__text(net, t->mud_url[node]);
    out->description = iotnet__text(net, t->description[node]);
    return 0;
}

int iotnet_node_update(iotnet_net *net, iotnet_index node, const iotnet_node_spec *spec)
{
    int error = iotnet__node_check(net, node);
    if (error)
        return error;
    if (!spec)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_node_update: spec is required");
    const char *id = iotnet__text(net, net->nodes.id[node]);
    if (!spec->id || strcmp(spec->id, id) != 0)
        return iotnet__error_set(IOTNET_EINVAL, "node \"%s\": an update cannot change the id (to \"%s\")",
                                 id, spec->id ? spec->id : "");
    node_values v;
    if ((error = node_values_prepare(net, spec, &v)))
        return error;
    v.id = net->nodes.id[node];
    node_values_store(&net->nodes, node, &v);
    return 0;
}

size_t iotnet_node_count(const iotnet_net *net)
{
    return net ? net->nodes.live : 0;
}

iotnet_index iotnet_node_next(const iotnet_net *net, iotnet_index prev)
{
    return net ? next_alive(net->nodes.alive, net->nodes.count, prev) : IOTNET_NONE;
}

iotnet_kind iotnet_node_kind(const iotnet_net *net, iotnet_index node)
{
    return iotnet__node_alive(net, node) ? net->nodes.kind[node] : IOTNET_NONE;
}

iotnet_index iotnet_node_zone(const iotnet_net *net, iotnet_index node)
{
    return iotnet__node_alive(net, node) ? net->nodes.zone[node] : IOTNET_NONE;
}

bool iotnet_node_is_forwarding(const iotnet_net *net, iotnet_index node)
{
    return iotnet__node_alive(net, node) &&
           iotnet_kind_is_a(net, net->nodes.kind[node], net->kind_forwarding);
}

/* ---- links ---------------------------------------------------------- */

#define END_LINK(end) ((end) >> 1)

iotnet_index iotnet_node_next_link(const iotnet_net *net, iotnet_index node, iotnet_index prev)
{
    if (!iotnet__node_alive(net, node))
        return IOTNET_NONE;
    uint32_t end;
    if (prev == IOTNET_NONE) {
        end = net->nodes.first_link[node];
    } else {
        if (prev >= net->links.count || !net->links.alive[prev])
            return IOTNET_NONE;
        uint32_t side = net->links.a[prev] == node ? 0 : 1;
        end = net->links.next[2 * prev + side];
    }
    return end == IOTNET_NONE ? IOTNET_NONE : END_LINK(end);
}

static int link_check(const iotnet_net *net, iotnet_index link)
{
    if (!net)
        return iotnet__error_set(IOTNET_EINVAL, "net is required");
    if (link >= net->links.count || !net->links.alive[link])
        return iotnet__error_set(IOTNET_ENOTFOUND, "no link at index %u", link);
    return 0;
}

static int link_endpoint(iotnet_net *net, const char *link_id, uint32_t node, const char *iface,
                         iotnet__str *out_iface)
{
    *out_iface = 0;
    if (!iface)
        return 0;
    if (iotnet__iface_find(net, node, iface) == IOTNET_NONE)
        return iotnet__error_set(IOTNET_ENOTFOUND, "link \"%s\": node \"%s\" has no interface \"%s\"",
                                 link_id, iotnet__text(net, net->nodes.id[node]), iface);
    return iotnet__intern(net, iface, out_iface);
}

static int endpoint_by_id(iotnet_net *net, const char *link_id, const char *node_id, int side, uint32_t *out)
{
    const char *end = side ? "b" : "a";
    if (!node_id || !*node_id)
        return iotnet__error_set(IOTNET_EINVAL, "link \"%s\": endpoint %s needs a node", link_id, end);
    *out = lookup_recent(net, &net->recent_endpoint[side], &net->nodes.by_id, node_id);
    if (*out == UINT32_MAX)
        return iotnet__error_set(IOTNET_ENOTFOUND, "link \"%s\": endpoint %s names node \"%s\", which does not exist",
                                 link_id, end, node_id);
    return 0;
}

static int link_room(iotnet_net *net)
{
    link_table *t = &net->links;
    if (t->count < t->cap)
        return 0;
    column_ref cols[] = LINK_COLUMNS(t);
    uint32_t cap = t->cap;
    int error = table_room(cols, NCOLS(cols), t->count, &cap);
    if (error)
        return error;
    uint32_t *next = realloc(t->next, (size_t)cap * 2 * sizeof *next);
    if (!next)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory growing the link table");
    t->next = next;
    t->cap = cap;
    return 0;
}

int iotnet_link_add(iotnet_net *net, iotnet_index *out, const iotnet_link_spec *spec)
{
    int error;
    if (!net || !spec)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_link_add: net and spec are required");
    if ((error = require_id(spec->id, "link")))
        return error;
    uint32_t a, b;
    if ((error = endpoint_by_id(net, spec->id, spec->a, 0, &a)) ||
        (error = endpoint_by_id(net, spec->id, spec->b, 1, &b)))
        return error;
    return iotnet_link_add_between(net, out, spec, a, b);
}

/* What the file's decimal64 with three fraction digits holds, and nothing it would round. */
static int latency_check(const iotnet_link_spec *spec)
{
    if (spec->latency_ms < 0 || iotnet__decimal_holds(spec->latency_ms, 3))
        return 0;
    char latency[IOTNET__DOUBLE_TEXT_MAX];
    iotnet__double_format(latency, spec->latency_ms);
    return iotnet__error_set(IOTNET_EINVAL, "link \"%s\": latency %s ms is not a whole number of microseconds "
                             "(at most 3 decimals) below 1e15 ms", spec->id, latency);
}

int iotnet_link_add_between(iotnet_net *net, iotnet_index *out, const iotnet_link_spec *spec,
                            iotnet_index a, iotnet_index b)
{
    int error;
    if (!net || !spec)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_link_add: net and spec are required");
    iotnet__str id, desc, a_iface, b_iface;
    bool new_id;
    if ((error = iotnet__version_check(spec->version, IOTNET_LINK_SPEC_VERSION, "iotnet_link_spec")) ||
        (error = require_id(spec->id, "link")))
        return error;
    if (!iotnet__node_alive(net, a) || !iotnet__node_alive(net, b))
        return iotnet__error_set(IOTNET_ENOTFOUND, "link \"%s\": endpoint %s is not a node index", spec->id,
                                 iotnet__node_alive(net, a) ? "b" : "a");
    if (a == b)
        return iotnet__error_set(IOTNET_EINVAL, "link \"%s\": both ends are node \"%s\"", spec->id,
                                 iotnet__text(net, net->nodes.id[a]));
    if (!iotnet_enum_name(IOTNET_ENUM_MEDIUM, (int)spec->medium) ||
        !iotnet_enum_name(IOTNET_ENUM_LINK_ENCRYPTION, (int)spec->encryption))
        return iotnet__error_set(IOTNET_EINVAL, "link \"%s\": medium or encryption out of range", spec->id);
    if ((error = latency_check(spec)))
        return error;
    if ((error = link_endpoint(net, spec->id, a, spec->a_interface, &a_iface)) ||
        (error = link_endpoint(net, spec->id, b, spec->b_interface, &b_iface)) ||
        (error = iotnet__strpool_intern_new(&net->strings, spec->id, &id, &new_id)))
        return error;
    if (!new_id && iotnet__idmap_get(&net->links.by_id, id) != UINT32_MAX)
        return iotnet__error_set(IOTNET_EEXISTS, "link \"%s\" exists already", spec->id);
    link_table *t = &net->links;
    if ((error = link_room(net)) || (error = iotnet__idmap_reserve(&t->by_id, 1)) ||
        (error = iotnet__intern(net, spec->description, &desc)))
        return error;
    uint32_t l = t->count++;
    t->id[l] = id;
    t->description[l] = desc;
    t->a[l] = a;
    t->b[l] = b;
    t->a_iface[l] = a_iface;
    t->b_iface[l] = b_iface;
    t->medium[l] = (uint8_t)spec->medium;
    t->encryption[l] = (uint8_t)spec->encryption;
    t->latency_ms[l] = spec->latency_ms < 0 ? -1.0 : spec->latency_ms + 0.0; /* -0.0 as 0, as a file gives it back */
    t->alive[l] = 1;
    t->next[2 * l] = net->nodes.first_link[a];
    net->nodes.first_link[a] = 2 * l;
    t->next[2 * l + 1] = net->nodes.first_link[b];
    net->nodes.first_link[b] = 2 * l + 1;
    t->live++;
    iotnet__idmap_put(&t->by_id, id, l);
    if (out)
        *out = l;
    return 0;
}

int iotnet_link_find(const iotnet_net *net, iotnet_index *out, const char *id)
{
    if (!net || !id)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_link_find: net and id are required");
    uint32_t l = lookup_id(net, &net->links.by_id, id);
    if (l == UINT32_MAX)
        return iotnet__error_set(IOTNET_ENOTFOUND, "no link \"%s\"", id);
    if (out)
        *out = l;
    return 0;
}

int iotnet_link_get(const iotnet_net *net, iotnet_index link, iotnet_link_spec *out)
{
    int error = link_check(net, link);
    if (error)
        return error;
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_link_get: out is required");
    const link_table *t = &net->links;
    out->version = IOTNET_LINK_SPEC_VERSION;
    out->id = iotnet__text(net, t->id[link]);
    out->a = iotnet__text(net, net->nodes.id[t->a[link]]);
    out->a_interface = iotnet__text(net, t->a_iface[link]);
    out->b = iotnet__text(net, net->nodes.id[t->b[link]]);
    out->b_interface = iotnet__text(net, t->b_iface[link]);
    out->medium = (iotnet_medium)t->medium[link];
    out->latency_ms = t->latency_ms[link] < 0 ? -1.0 : t->latency_ms[link];
    out->encryption = (iotnet_link_encryption)t->encryption[link];
    out->description = iotnet__text(net, t->description[link]);
    return 0;
}

int iotnet_link_ends(const iotnet_net *net, iotnet_index link, iotnet_index *out_a, iotnet_index *out_b)
{
    int error = link_check(net, link);
    if (error)
        return error;
    if (out_a)
        *out_a = net->links.a[link];
    if (out_b)
        *out_b = net->links.b[link];
    return 0;
}

/* Unlink one end of a link from its node's list. O(degree). */
static void unlink_end(iotnet_net *net, uint32_t node, uint32_t end)
{
    uint32_t *p = &net->nodes.first_link[node];
    while (*p != IOTNET_NONE && *p != end)
        p = &net->links.next[*p];
    if (*p == end)
        *p = net->links.next[end];
}

int iotnet_link_remove(iotnet_net *net, iotnet_index link)
{
    int error = link_check(net, link);
    if (error)
        return error;
    link_table *t = &net->links;
    unlink_end(net, t->a[link], 2 * link);
    unlink_end(net, t->b[link], 2 * link + 1);
    iotnet__attrs_drop(net, IOTNET_ENTITY_LINK, link);
    iotnet__idmap_remove(&t->by_id, t->id[link]);
    t->alive[link] = 0;
    t->live--;
    return 0;
}

size_t iotnet_link_count(const iotnet_net *net)
{
    return net ? net->links.live : 0;
}

iotnet_index iotnet_link_next(const iotnet_net *net, iotnet_index prev)
{
    return net ? next_alive(net->links.alive, net->links.count, prev) : IOTNET_NONE;
}

/* ---- node removal --------------------------------------------------- */

static void node_drop_parts(iotnet_net *net, iotnet_index node)
{
    for (uint32_t s = net->nodes.first_service[node]; s != IOTNET_NONE; s = net->services.items[s].next)
        net->services.items[s].node = IOTNET_NONE;
    for (uint32_t i = net->nodes.first_iface[node]; i != IOTNET_NONE; i = net->ifaces.items[i].next)
        net->ifaces.items[i].node = IOTNET_NONE;
    net->nodes.first_service[node] = net->nodes.first_iface[node] = IOTNET_NONE;
    net->nodes.lifecycle[node] = IOTNET_NONE;
    if (net->nodes.policy[node] != IOTNET_NONE)
        iotnet_policy_remove(net, node);
    if (net->nodes.nat[node] != IOTNET_NONE)
        iotnet_nat_remove(net, node);
    iotnet__node_mud_drop(net, node);
    iotnet__attrs_drop(net, IOTNET_ENTITY_NODE, node);
}

int iotnet_node_remove(iotnet_net *net, iotnet_index node)
{
    int error = iotnet__node_check(net, node);
    if (error)
        return error;
    if ((error = iotnet__policy_check_unreferenced(net, node, IOTNET_SELECT_NODE, net->nodes.id[node], "node")) ||
        (error = iotnet__nat_check_node_unreferenced(net, node)))
        return error;
    while (net->nodes.first_link[node] != IOTNET_NONE)
        iotnet_link_remove(net, END_LINK(net->nodes.first_link[node]));
    node_drop_parts(net, node);
    iotnet__idmap_remove(&net->nodes.by_id, net->nodes.id[node]);
    forget_nodes(net);
    net->nodes.alive[node] = 0;
    net->nodes.live--;
    return 0;
}
