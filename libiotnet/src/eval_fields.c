/* Field access and derived attributes for the evaluator: each leaf is one
 * pass over its table, reading a column of the model (or a derived column
 * computed once per call) and comparing it with literals resolved once. */
#include "eval_internal.h"
#include "error_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the context ----------------------------------------------------------- */

static int bits_alloc(const eval_ctx *e, int table, word **out)
{
    *out = calloc((size_t)e->words[table] + 1, sizeof(word));
    return *out ? 0 : iotnet__error_set(IOTNET_ENOMEM, "out of memory evaluating conditions");
}

word *iotnet__eval_bits(const eval_ctx *e, int table)
{
    word *b;
    return bits_alloc(e, table, &b) ? NULL : b;
}

bool iotnet__eval_alive(const eval_ctx *e, int table, uint32_t i)
{
    return i < e->n[table] && bit_get(e->alive[table], i);
}

int iotnet__eval_init(eval_ctx *e, const iotnet_net *net, const iotnet_catalog *cat, int64_t now)
{
    memset(e, 0, sizeof *e);
    e->net = net;
    e->cat = cat;
    e->now = now;
    e->n[IOTNET_TARGET_NODE] = net->nodes.count;
    e->n[IOTNET_TARGET_SERVICE] = net->services.count;
    e->n[IOTNET_TARGET_LINK] = net->links.count;
    e->n[IOTNET_TARGET_ZONE] = net->zones.count;
    e->n[IOTNET_TARGET_CONDUIT] = net->conduits.count;
    int error = 0;
    for (int t = 1; t < TABLE_COUNT && !error; t++) {
        e->words[t] = (e->n[t] + 63) / 64;
        error = bits_alloc(e, t, &e->alive[t]);
    }
    if (!error && !(e->memo = calloc((size_t)cat->memo_count + 1, sizeof(word *))))
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory evaluating conditions");
    if (error) {
        iotnet__eval_free(e);
        return error;
    }
    for (uint32_t v = 0; v < net->nodes.count; v++)
        if (net->nodes.alive[v])
            bit_put(e->alive[IOTNET_TARGET_NODE], v);
    for (uint32_t s = 0; s < net->services.count; s++)
        if (net->services.items[s].node != IOTNET_NONE)
            bit_put(e->alive[IOTNET_TARGET_SERVICE], s);
    for (uint32_t l = 0; l < net->links.count; l++)
        if (net->links.alive[l])
            bit_put(e->alive[IOTNET_TARGET_LINK], l);
    for (uint32_t z = 0; z < net->zones.count; z++)
        if (net->zones.alive[z])
            bit_put(e->alive[IOTNET_TARGET_ZONE], z);
    for (uint32_t c = 0; c < net->conduits.count; c++)
        if (net->conduits.alive[c])
            bit_put(e->alive[IOTNET_TARGET_CONDUIT], c);
    return 0;
}

void iotnet__eval_free(eval_ctx *e)
{
    for (int t = 1; t < TABLE_COUNT; t++)
        free(e->alive[t]);
    if (e->memo)
        for (uint32_t i = 0; i < e->cat->memo_count; i++)
            free(e->memo[i]);
    free(e->memo);
    free(e->service_count);
    free(e->management_count);
    free(e->exposed_count);
    free(e->media);
    free(e->gw_first);
    free(e->gw);
    free(e->zone_nodes);
    free(e->zone_uncovered);
    for (uint32_t i = 0; i < e->reaches.count; i++) {
        free(e->reaches.items[i].node_class);
        free(e->reaches.items[i].service_class);
    }
    free(e->reaches.items);
    memset(e, 0, sizeof *e);
}

/* ---- derived columns --------------------------------------------------------- */

static int need_counts(eval_ctx *e)
{
    if (e->service_count)
        return 0;
    const iotnet_net *net = e->net;
    e->service_count = calloc((size_t)net->nodes.count + 1, sizeof(uint16_t));
    e->management_count = calloc((size_t)net->nodes.count + 1, sizeof(uint16_t));
    if (!e->service_count || !e->management_count)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for service counts");
    for (uint32_t s = 0; s < net->services.count; s++) {
        const service_rec *r = &net->services.items[s];
        if (r->node == IOTNET_NONE)
            continue;
        e->service_count[r->node]++;
        e->management_count[r->node] += r->management != 0;
    }
    return 0;
}

/* The service of node v whose name text is `name` (the row's borrowed text). */
static uint32_t service_named(const iotnet_net *net, uint32_t v, const char *name)
{
    for (uint32_t s = net->nodes.first_service[v]; s != IOTNET_NONE; s = net->services.items[s].next) {
        const char *t = iotnet__text(net, net->services.items[s].name);
        if (t == name || (t && !strcmp(t, name)))
            return s;
    }
    return IOTNET_NONE;
}

/* Classes of every node and service from `from` (one iotnet_reach per source). */
static int need_reach(eval_ctx *e, iotnet__str from, const reach_cache **out)
{
    for (uint32_t i = 0; i < e->reaches.count; i++)
        if (e->reaches.items[i].from == from) {
            *out = &e->reaches.items[i];
            return 0;
        }
    const iotnet_net *net = e->net;
    int error = IOTNET__VEC_PUSH_ROOM(e->reaches);
    if (error)
        return error;
    reach_cache *rc = &e->reaches.items[e->reaches.count];
    rc->from = from;
    rc->node_class = calloc((size_t)net->nodes.count + 1, 1);
    rc->service_class = calloc((size_t)net->services.count + 1, 1);
    if (!rc->node_class || !rc->service_class) {
        free(rc->node_class);
        free(rc->service_class);
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for reachability classes");
    }
    e->reaches.count++;
    *out = rc;
    iotnet_reach_options o = IOTNET_REACH_OPTIONS_INIT;
    o.from = cat_text(e->cat, from);
    iotnet_reach_result *r = NULL;
    error = iotnet_reach(&r, net, &o);
    if (error == IOTNET_ENOTFOUND) {
        /* no such source in this model (no internet node, zone or node): nothing is reached */
        iotnet_error_clear();
        return 0;
    }
    if (error)
        return error;
    size_t count = iotnet_reach_count(r);
    for (size_t i = 0; i < count; i++) {
        iotnet_reach_row row;
        if (iotnet_reach_get(r, i, &row) != 0 || row.destination >= net->nodes.count)
            continue;
        uint8_t cls = (uint8_t)row.exposure;
        if (cls > rc->node_class[row.destination])
            rc->node_class[row.destination] = cls;
        if (row.service) {
            uint32_t s = service_named(net, row.destination, row.service);
            if (s != IOTNET_NONE && cls > rc->service_class[s])
                rc->service_class[s] = cls;
        }
    }
    iotnet_reach_result_free(r);
    return 0;
}

static int need_exposure(eval_ctx *e, const reach_cache **out)
{
    /* every set interns "internet" when it is made */
    iotnet__str internet = iotnet__strpool_lookup(&e->cat->strings, "internet");
    int error = need_reach(e, internet, out);
    if (error || e->exposed_count)
        return error;
    const iotnet_net *net = e->net;
    e->exposed_count = calloc((size_t)net->nodes.count + 1, sizeof(uint32_t));
    if (!e->exposed_count)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for exposed service counts");
    for (uint32_t s = 0; s < net->services.count; s++)
        if (net->services.items[s].node != IOTNET_NONE && (*out)->service_class[s] > IOTNET_EXPOSURE_REPLY_ONLY)
            e->exposed_count[net->services.items[s].node]++;
    return 0;
}

static int need_media(eval_ctx *e)
{
    if (e->media)
        return 0;
    const iotnet_net *net = e->net;
    if (!(e->media = calloc((size_t)net->nodes.count + 1, sizeof(uint32_t))))
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for link media");
    for (uint32_t l = 0; l < net->links.count; l++)
        if (net->links.alive[l]) {
            uint32_t bit = net->links.medium[l] < 32 ? (uint32_t)1 << net->links.medium[l] : 0;
            e->media[net->links.a[l]] |= bit;
            e->media[net->links.b[l]] |= bit;
        }
    return 0;
}

/* Every node's access gateways, as the MUD layer finds them (reach_mud.c). */
static int need_gateways(eval_ctx *e)
{
    if (e->gw_first)
        return 0;
    const iotnet_net *net = e->net;
    uint32_t n = net->nodes.count;
    reach_ctx g;
    int error = iotnet__reach_graph_init(&g, net);
    if (error)
        return error;
    uint32_t *queue = malloc(((size_t)n + 1) * sizeof(uint32_t));
    uint8_t *seen = calloc((size_t)n + 1, 1);
    e->gw_first = calloc((size_t)n + 2, sizeof(uint32_t));
    iotnet__u32vec found = {0};
    if (!queue || !seen || !e->gw_first)
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory for access gateways");
    bool any_enforcement = false;
    for (uint32_t v = 0; v < n && !error; v++)
        any_enforcement |= g.enforce[v] && g.transit[v];
    for (uint32_t v = 0; v < n && !error && any_enforcement; v++) {
        e->gw_first[v] = found.count;
        if (net->nodes.alive[v])
            error = iotnet__nearest_gateways(&g, v, queue, seen, &found);
    }
    if (!error) {
        if (!any_enforcement)
            memset(e->gw_first, 0, ((size_t)n + 2) * sizeof(uint32_t));
        e->gw_first[n] = found.count;
        e->gw = found.items;
    } else
        free(found.items);
    free(queue);
    free(seen);
    iotnet__reach_ctx_free(&g);
    return error;
}

static uint32_t word_count(const char *s)
{
    uint32_t n = 0;
    for (const char *p = s; p && *p;) {
        while (*p == ' ')
            p++;
        if (*p)
            n++;
        while (*p && *p != ' ')
            p++;
    }
    return n;
}

static int need_zones(eval_ctx *e, bool uncovered)
{
    const iotnet_net *net = e->net;
    if (!e->zone_nodes) {
        if (!(e->zone_nodes = calloc((size_t)net->zones.count + 1, sizeof(uint32_t))))
            return iotnet__error_set(IOTNET_ENOMEM, "out of memory for zone counts");
        for (uint32_t v = 0; v < net->nodes.count; v++)
            if (net->nodes.alive[v] && net->nodes.zone[v] != IOTNET_NONE)
                e->zone_nodes[net->nodes.zone[v]]++;
    }
    if (!uncovered || e->zone_uncovered)
        return 0;
    if (!(e->zone_uncovered = calloc((size_t)net->zones.count + 1, sizeof(uint32_t))))
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for zone counts");
    iotnet_zone_matrix *m = NULL;
    int error = iotnet_zone_matrix_compute(&m, net);
    if (error)
        return error;
    for (size_t i = 0; i < iotnet_zone_matrix_count(m); i++) {
        iotnet_zone_flow f;
        if (iotnet_zone_matrix_get(m, i, &f) == 0 && f.to_zone < net->zones.count)
            e->zone_uncovered[f.to_zone] += word_count(f.violations);
    }
    iotnet_zone_matrix_free(m);
    return 0;
}

/* ---- field values ---------------------------------------------------------------- */

typedef struct fval {
    int64_t i;
    double f;
    iotnet__str s;
} fval;

/* What a leaf needs resolved against the model once. */
typedef struct leaf {
    const cond *c;
    const cval *vals;
    const attr_column *col;
    const reach_cache *exposure;
    uint8_t *kinds;          /* FT_KIND: by model kind, whether the literal test holds */
    iotnet__str lit[16];     /* strings: the literals as model strings (0: not in the model) */
    int64_t ints[16];        /* dates resolved against now */
    iotnet__str last;        /* word lists: the last string tested, and the answer */
    bool last_answer;
} leaf;

static const lifecycle_rec *lifecycle_of(const iotnet_net *net, uint32_t v)
{
    uint32_t l = net->nodes.lifecycle[v];
    return l == IOTNET_NONE ? NULL : &net->lifecycles.items[l];
}

static const nat_rec *nat_of(const iotnet_net *net, uint32_t v)
{
    uint32_t n = net->nodes.nat[v];
    return n == IOTNET_NONE ? NULL : &net->nats.items[n];
}

static bool node_value(const eval_ctx *e, const leaf *lf, uint32_t v, fval *x)
{
    const iotnet_net *net = e->net;
    const lifecycle_rec *lc;
    const nat_rec *nat;
    uint32_t z;
    switch (lf->c->field) {
    case F_NODE_ID: return (x->s = net->nodes.id[v]) != 0;
    case F_NODE_KIND: x->i = net->nodes.kind[v]; return true;
    case F_NODE_ZONE: z = net->nodes.zone[v]; return z != IOTNET_NONE && (x->s = net->zones.id[z]) != 0;
    case F_NODE_ZONE_KIND: z = net->nodes.zone[v]; x->i = z == IOTNET_NONE ? 0 : net->zones.kind[z]; return z != IOTNET_NONE;
    case F_NODE_VENDOR: return (x->s = net->nodes.vendor[v]) != 0;
    case F_NODE_MODEL: return (x->s = net->nodes.model[v]) != 0;
    case F_NODE_FIRMWARE: return (x->s = net->nodes.firmware[v]) != 0;
    case F_NODE_IMPLEMENTATION: return (x->s = net->nodes.implementation[v]) != 0;
    case F_NODE_MUD_URL: return (x->s = net->nodes.mud_url[v]) != 0;
    case F_NODE_DESCRIPTION: return (x->s = net->nodes.description[v]) != 0;
    case F_NODE_FORWARDING:
        x->i = iotnet_kind_is_a(net, net->nodes.kind[v], net->kind_forwarding) ||
               iotnet_kind_is_a(net, net->nodes.kind[v], net->kind_internet);
        return true;
    case F_NODE_HAS_POLICY: x->i = net->nodes.policy[v] != IOTNET_NONE; return true;
    case F_NODE_HAS_NAT: x->i = net->nodes.nat[v] != IOTNET_NONE; return true;
    case F_NODE_HAS_MUD: x->i = net->nodes.mud[v] != IOTNET_NONE; return true;
    case F_NODE_DEFAULT_ACTION:
        if (net->nodes.policy[v] == IOTNET_NONE)
            return false;
        x->i = net->policies.items[net->nodes.policy[v]].default_action;
        return true;
    case F_NODE_NAT_FILTERING: return (nat = nat_of(net, v)) && ((x->i = nat->filtering), true);
    case F_NODE_NAT_MAPPING: return (nat = nat_of(net, v)) && ((x->i = nat->mapping), true);
    case F_NODE_NAT_UPNP: return (nat = nat_of(net, v)) && ((x->i = nat->upnp != 0), true);
    case F_NODE_NAT_PCP: return (nat = nat_of(net, v)) && ((x->i = nat->pcp != 0), true);
    case F_NODE_NAT_CGNAT: return (nat = nat_of(net, v)) && ((x->i = nat->cgnat != 0), true);
    case F_NODE_NAT_HAIRPINNING: return (nat = nat_of(net, v)) && ((x->i = nat->hairpinning != 0), true);
    case F_NODE_NAT_FORWARDS: return (nat = nat_of(net, v)) && ((x->i = nat->forwards.count), true);
    case F_NODE_CERT_NOT_AFTER:
        return (lc = lifecycle_of(net, v)) && (x->i = lc->certificate_not_after) != IOTNET_TIME_UNSET;
    case F_NODE_ARTIFACT_LIFETIME:
        return (lc = lifecycle_of(net, v)) && (x->i = lc->signed_artifact_lifetime) != IOTNET_TIME_UNSET;
    case F_NODE_END_OF_SUPPORT:
        return (lc = lifecycle_of(net, v)) && (x->i = lc->end_of_support) != IOTNET_TIME_UNSET;
    /* without lifecycle facts the enumerations read as unspecified/unknown */
    case F_NODE_UPDATE: lc = lifecycle_of(net, v); x->i = lc ? lc->update : 0; return true;
    case F_NODE_OWNER: return (lc = lifecycle_of(net, v)) && (x->s = lc->owner) != 0;
    case F_NODE_OWNERSHIP: lc = lifecycle_of(net, v); x->i = lc ? lc->ownership : 0; return true;
    case F_NODE_RESET: lc = lifecycle_of(net, v); x->i = lc ? lc->reset : 0; return true;
    case F_NODE_CLOUD: lc = lifecycle_of(net, v); x->i = lc ? lc->cloud : 0; return true;
    case F_NODE_ESCROWED: lc = lifecycle_of(net, v); x->i = lc ? lc->escrowed : 0; return true;
    case F_NODE_ATTESTATION: lc = lifecycle_of(net, v); x->i = lc ? lc->attestation : 0; return true;
    case F_NODE_CERT_OUTLIVED:
        lc = lifecycle_of(net, v);
        x->i = lc && lc->certificate_not_after != IOTNET_TIME_UNSET && lc->signed_artifact_lifetime != IOTNET_TIME_UNSET &&
               lc->certificate_not_after < e->now + lc->signed_artifact_lifetime;
        return true;
    case F_NODE_SERVICE_COUNT: x->i = e->service_count[v]; return true;
    case F_NODE_MGMT_COUNT: x->i = e->management_count[v]; return true;
    case F_NODE_EXPOSURE: x->i = lf->exposure->node_class[v]; return true;
    case F_NODE_EXPOSED_COUNT: x->i = e->exposed_count[v]; return true;
    case F_NODE_LINK_MEDIA: x->i = e->media[v]; return true;
    }
    return false;
}

static bool service_value(const eval_ctx *e, const leaf *lf, uint32_t s, fval *x)
{
    const service_rec *r = &e->net->services.items[s];
    switch (lf->c->field) {
    case F_SVC_NAME: return (x->s = r->name) != 0;
    case F_SVC_PROTOCOL: x->i = r->protocol; return true;
    case F_SVC_PORT: x->i = r->port; return true;
    case F_SVC_AUTH: x->i = r->auth; return true;
    case F_SVC_TRANSPORT: x->i = r->transport; return true;
    case F_SVC_CIPHERS: return (x->s = r->cipher_suites) != 0;
    case F_SVC_MANAGEMENT: x->i = r->management != 0; return true;
    case F_SVC_TRAVERSAL: x->i = r->traversal; return true;
    case F_SVC_EXPOSURE: x->i = lf->exposure->service_class[s]; return true;
    }
    return false;
}

static bool link_value(const eval_ctx *e, const leaf *lf, uint32_t l, fval *x)
{
    const link_table *t = &e->net->links;
    switch (lf->c->field) {
    case F_LINK_ID: return (x->s = t->id[l]) != 0;
    case F_LINK_MEDIUM: x->i = t->medium[l]; return true;
    case F_LINK_ENCRYPTION: x->i = t->encryption[l]; return true;
    case F_LINK_LATENCY: x->f = t->latency_ms[l]; return x->f >= 0;
    }
    return false;
}

static bool zone_value(const eval_ctx *e, const leaf *lf, uint32_t z, fval *x)
{
    const zone_table *t = &e->net->zones;
    switch (lf->c->field) {
    case F_ZONE_ID: return (x->s = t->id[z]) != 0;
    case F_ZONE_KIND: x->i = t->kind[z]; return true;
    case F_ZONE_PURDUE: x->f = t->purdue[z]; return x->f >= 0;
    case F_ZONE_TARGET_SL: x->i = t->target_sl[z]; return x->i > 0;
    case F_ZONE_NODE_COUNT: x->i = e->zone_nodes[z]; return true;
    case F_ZONE_UNCOVERED: x->i = e->zone_uncovered[z]; return true;
    }
    return false;
}

static bool conduit_value(const eval_ctx *e, const leaf *lf, uint32_t c, fval *x)
{
    const iotnet_net *net = e->net;
    const conduit_table *t = &net->conduits;
    const char *svc;
    switch (lf->c->field) {
    case F_CONDUIT_ID: return (x->s = t->id[c]) != 0;
    case F_CONDUIT_FROM: return (x->s = net->zones.id[t->from[c]]) != 0;
    case F_CONDUIT_TO: return (x->s = net->zones.id[t->to[c]]) != 0;
    case F_CONDUIT_SERVICES: x->s = t->services[c]; return true;
    case F_CONDUIT_ANY:
        svc = iotnet__text(net, t->services[c]);
        x->i = !svc || !*svc;
        return true;
    case F_CONDUIT_BIDIR: x->i = t->bidirectional[c] != 0; return true;
    }
    return false;
}

static bool attr_value(const leaf *lf, uint32_t i, fval *x)
{
    const attr_column *col = lf->col;
    if (!col || i >= col->cap || !col->present[i])
        return false;
    switch (col->type) {
    case IOTNET_ATTR_STRING: x->s = col->v.string[i]; return true;
    case IOTNET_ATTR_FLOAT: x->f = col->v.real[i]; return true;
    default: x->i = col->v.integer[i]; return true;
    }
}

static bool value_of(const eval_ctx *e, const leaf *lf, uint32_t i, fval *x)
{
    if (lf->c->field == F_ATTR)
        return attr_value(lf, i, x);
    switch (lf->c->table) {
    case IOTNET_TARGET_NODE: return node_value(e, lf, i, x);
    case IOTNET_TARGET_SERVICE: return service_value(e, lf, i, x);
    case IOTNET_TARGET_LINK: return link_value(e, lf, i, x);
    case IOTNET_TARGET_ZONE: return zone_value(e, lf, i, x);
    default: return conduit_value(e, lf, i, x);
    }
}

/* ---- comparisons ------------------------------------------------------------------ */

static bool order(int op, int cmp)
{
    switch (op) {
    case OP_EQ: return cmp == 0;
    case OP_NE: return cmp != 0;
    case OP_LT: return cmp < 0;
    case OP_LE: return cmp <= 0;
    case OP_GT: return cmp > 0;
    case OP_GE: return cmp >= 0;
    default: return false;
    }
}

static bool compare(const eval_ctx *e, leaf *lf, const fval *x)
{
    const cond *c = lf->c;
    const iotnet_net *net = e->net;
    uint32_t n = c->nvals < 16 ? c->nvals : 16;
    switch (c->ftype) {
    case FT_KIND:
        return x->i >= 0 && (size_t)x->i < net->kinds.count && lf->kinds[x->i];
    case FT_ENUM:
        if (c->op == OP_IN)
            return x->i >= 0 && x->i < 64 && ((c->mask >> x->i) & 1);
        return order(c->op, (x->i > lf->vals[0].i) - (x->i < lf->vals[0].i));
    case FT_MEDIA:
        if (c->op == OP_CONTAINS)
            return (x->i & c->mask) != 0;
        return order(c->op, x->i == (int64_t)c->mask ? 0 : 1);
    case FT_INT:
    case FT_BOOL:
    case FT_DATE:
    case FT_DURATION:
        if (c->op == OP_IN) {
            for (uint32_t k = 0; k < n; k++)
                if (x->i == lf->ints[k])
                    return true;
            return false;
        }
        return order(c->op, (x->i > lf->ints[0]) - (x->i < lf->ints[0]));
    case FT_FLOAT:
        if (c->op == OP_IN) {
            for (uint32_t k = 0; k < n; k++)
                if (x->f == lf->vals[k].f)
                    return true;
            return false;
        }
        return order(c->op, (x->f > lf->vals[0].f) - (x->f < lf->vals[0].f));
    case FT_WORDS:
        if (c->op == OP_CONTAINS) {
            if (x->s != lf->last) {
                lf->last = x->s;
                lf->last_answer = iotnet__words_contain(iotnet__text(net, x->s), cat_text(e->cat, lf->vals[0].s));
            }
            return lf->last_answer;
        }
        break; /* = and != on the whole text, as strings */
    default:
        break;
    }
    {
        if (c->op == OP_IN) {
            for (uint32_t k = 0; k < n; k++)
                if (lf->lit[k] && x->s == lf->lit[k])
                    return true;
            return false;
        }
        if (c->op == OP_EQ || c->op == OP_NE)
            return (x->s == lf->lit[0] && lf->lit[0]) == (c->op == OP_EQ);
        return order(c->op, strcmp(iotnet__text(net, x->s), cat_text(e->cat, lf->vals[0].s)));
    }
}

/* Resolve what the leaf compares against in this model, and the derived columns it reads. */
static int leaf_prepare(eval_ctx *e, const cond *c, leaf *lf)
{
    const iotnet_net *net = e->net;
    const iotnet_catalog *cat = e->cat;
    memset(lf, 0, sizeof *lf);
    lf->c = c;
    lf->vals = cat->vals.items + c->vals;
    uint32_t n = c->nvals < 16 ? c->nvals : 16;
    int error = 0;
    for (uint32_t k = 0; k < n; k++) {
        const cval *v = &lf->vals[k];
        lf->ints[k] = v->now ? e->now + v->i : v->i;
        if (v->s)
            lf->lit[k] = iotnet__strpool_lookup(&net->strings, cat_text(cat, v->s));
    }
    if (c->field == F_ATTR) {
        static const iotnet_entity entity[TABLE_COUNT] = {0, IOTNET_ENTITY_NODE, IOTNET_ENTITY_LINK, 0,
                                                          IOTNET_ENTITY_ZONE, 0};
        lf->col = iotnet__attr_column(net, entity[c->table], cat_text(cat, c->attr));
        if (lf->col && lf->col->type != c->attr_type)
            lf->col = NULL; /* the model holds another type under that name: no value matches */
    } else
        switch (c->field) {
        case F_NODE_SERVICE_COUNT:
        case F_NODE_MGMT_COUNT: error = need_counts(e); break;
        case F_NODE_EXPOSURE:
        case F_SVC_EXPOSURE:
        case F_NODE_EXPOSED_COUNT: error = need_exposure(e, &lf->exposure); break;
        case F_NODE_LINK_MEDIA: error = need_media(e); break;
        case F_ZONE_NODE_COUNT: error = need_zones(e, false); break;
        case F_ZONE_UNCOVERED: error = need_zones(e, true); break;
        default: break;
        }
    if (error || c->ftype != FT_KIND)
        return error;
    if (!(lf->kinds = calloc(net->kinds.count + 1, 1)))
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory evaluating kinds");
    for (uint32_t k = 0; k < net->kinds.count; k++) {
        bool hit = false;
        for (uint32_t j = 0; j < n && !hit; j++) {
            iotnet_kind want;
            if (iotnet_kind_find(net, &want, cat_text(cat, lf->vals[j].s)) != 0)
                continue;
            hit = c->op == OP_ISA ? iotnet_kind_is_a(net, k, want) : k == want;
        }
        lf->kinds[k] = c->op == OP_NE ? !hit : hit;
    }
    iotnet_error_clear();
    return 0;
}

static int leaf_eval(eval_ctx *e, const cond *c, word *out)
{
    leaf lf;
    int error = leaf_prepare(e, c, &lf);
    if (error) {
        free(lf.kinds);
        return error;
    }
    int table = c->table;
    const word *alive = e->alive[table];
    for (uint32_t w = 0; w < e->words[table]; w++) {
        word live = alive[w], bits = 0;
        while (live) {
            int b = __builtin_ctzll(live);
            live &= live - 1;
            uint32_t i = w * 64 + (uint32_t)b;
            fval x = {0, 0, 0};
            bool hit;
            if (!value_of(e, &lf, i, &x))
                hit = c->op == OP_NE; /* an unset value differs from every literal and matches nothing else */
            else if (c->op == OP_EXISTS)
                hit = c->ftype == FT_MEDIA ? x.i != 0
                    : (c->ftype == FT_WORDS) ? (x.s && *iotnet__text(e->net, x.s))
                                             : true;
            else
                hit = compare(e, &lf, &x);
            if (hit)
                bits |= (word)1 << b;
        }
        out[w] = bits;
    }
    free(lf.kinds);
    return 0;
}

static int reach_eval(eval_ctx *e, const cond *c, word *out)
{
    const reach_cache *rc;
    int error = need_reach(e, c->attr, &rc);
    if (error)
        return error;
    int64_t min = e->cat->vals.items[c->vals].i;
    const uint8_t *cls = c->table == IOTNET_TARGET_NODE ? rc->node_class : rc->service_class;
    for (uint32_t i = 0; i < e->n[c->table]; i++)
        if (bit_get(e->alive[c->table], i) && cls[i] >= min)
            bit_put(out, i);
    return 0;
}

/* ---- hops ---------------------------------------------------------------------------- */

int iotnet__hop_source(int hop, int to)
{
    switch (hop) {
    case HOP_SERVICE_NODE:
    case HOP_GATEWAY:
    case HOP_LINK_A:
    case HOP_LINK_B:
    case HOP_LINK_EITHER:
    case HOP_ZONE_NODES: return IOTNET_TARGET_NODE;
    case HOP_CONDUIT_FROM:
    case HOP_CONDUIT_TO:
    case HOP_NODE_ZONE:
    case HOP_LINK_ZONES:
    case HOP_CONDUIT_EITHER:
    case HOP_SERVICE_ZONE: return IOTNET_TARGET_ZONE;
    case HOP_NODE_SERVICES: return IOTNET_TARGET_SERVICE;
    case HOP_NODE_LINKS: return IOTNET_TARGET_LINK;
    default: return to;
    }
}

static bool zone_bit(const iotnet_net *net, const word *z, uint32_t node)
{
    uint32_t zone = net->nodes.zone[node];
    return zone != IOTNET_NONE && bit_get(z, zone);
}

int iotnet__eval_hop(eval_ctx *e, int hop, const word *in, word *out)
{
    const iotnet_net *net = e->net;
    int error = 0;
    uint32_t i;
    switch (hop) {
    case HOP_SERVICE_NODE:
    case HOP_SERVICE_ZONE:
        for (i = 0; i < net->services.count; i++) {
            uint32_t v = net->services.items[i].node;
            if (v != IOTNET_NONE && (hop == HOP_SERVICE_NODE ? bit_get(in, v) : zone_bit(net, in, v)))
                bit_put(out, i);
        }
        return 0;
    case HOP_NODE_SERVICES:
        for (i = 0; i < net->services.count; i++) {
            uint32_t v = net->services.items[i].node;
            if (v != IOTNET_NONE && bit_get(in, i))
                bit_put(out, v);
        }
        return 0;
    case HOP_GATEWAY:
        if ((error = need_gateways(e)))
            return error;
        for (i = 0; i < net->nodes.count; i++)
            for (uint32_t k = e->gw_first[i]; k < e->gw_first[i + 1]; k++)
                if (bit_get(in, e->gw[k])) {
                    bit_put(out, i);
                    break;
                }
        return 0;
    case HOP_NODE_ZONE:
        for (i = 0; i < net->nodes.count; i++)
            if (net->nodes.alive[i] && zone_bit(net, in, i))
                bit_put(out, i);
        return 0;
    case HOP_ZONE_NODES:
        for (i = 0; i < net->nodes.count; i++)
            if (net->nodes.alive[i] && net->nodes.zone[i] != IOTNET_NONE && bit_get(in, i))
                bit_put(out, net->nodes.zone[i]);
        return 0;
    case HOP_LINK_A:
    case HOP_LINK_B:
    case HOP_LINK_EITHER:
    case HOP_LINK_ZONES:
        for (i = 0; i < net->links.count; i++) {
            if (!net->links.alive[i])
                continue;
            uint32_t a = net->links.a[i], b = net->links.b[i];
            bool hit = hop == HOP_LINK_A ? bit_get(in, a)
                     : hop == HOP_LINK_B ? bit_get(in, b)
                     : hop == HOP_LINK_EITHER ? bit_get(in, a) || bit_get(in, b)
                                              : zone_bit(net, in, a) || zone_bit(net, in, b);
            if (hit)
                bit_put(out, i);
        }
        return 0;
    case HOP_NODE_LINKS:
        for (i = 0; i < net->links.count; i++)
            if (net->links.alive[i] && bit_get(in, i)) {
                bit_put(out, net->links.a[i]);
                bit_put(out, net->links.b[i]);
            }
        return 0;
    case HOP_CONDUIT_FROM:
    case HOP_CONDUIT_TO:
    case HOP_CONDUIT_EITHER:
        for (i = 0; i < net->conduits.count; i++) {
            if (!net->conduits.alive[i])
                continue;
            bool f = bit_get(in, net->conduits.from[i]), t = bit_get(in, net->conduits.to[i]);
            if (hop == HOP_CONDUIT_FROM ? f : hop == HOP_CONDUIT_TO ? t : (f || t))
                bit_put(out, i);
        }
        return 0;
    }
    return iotnet__error_set(IOTNET_ERROR, "unknown hop %d", hop);
}

/* ---- conditions ------------------------------------------------------------------------ */

int iotnet__eval_cond(eval_ctx *e, uint32_t ci, const word **out)
{
    const cond *c = &e->cat->conds.items[ci];
    if (e->memo[c->memo]) {
        *out = e->memo[c->memo];
        return 0;
    }
    int table = c->table;
    uint32_t words = e->words[table];
    word *bits;
    int error = bits_alloc(e, table, &bits);
    if (error)
        return error;
    const word *child;
    switch (c->type) {
    case C_TRUE:
        memcpy(bits, e->alive[table], words * sizeof(word));
        break;
    case C_ALL:
        memcpy(bits, e->alive[table], words * sizeof(word));
        for (uint32_t k = c->child; k != IOTNET_NONE && !error; k = e->cat->conds.items[k].next) {
            if (!(error = iotnet__eval_cond(e, k, &child))) {
                word any = 0;
                for (uint32_t w = 0; w < words; w++)
                    any |= (bits[w] &= child[w]);
                if (!any)
                    break; /* nothing left to hold: the rest need not be evaluated */
            }
        }
        break;
    case C_ANY:
        for (uint32_t k = c->child; k != IOTNET_NONE && !error; k = e->cat->conds.items[k].next)
            if (!(error = iotnet__eval_cond(e, k, &child)))
                for (uint32_t w = 0; w < words; w++)
                    bits[w] |= child[w];
        break;
    case C_NOT:
        if (!(error = iotnet__eval_cond(e, c->child, &child)))
            for (uint32_t w = 0; w < words; w++)
                bits[w] = ~child[w] & e->alive[table][w];
        break;
    case C_FIELD:
        error = leaf_eval(e, c, bits);
        break;
    case C_HOP:
        if (!(error = iotnet__eval_cond(e, c->child, &child)))
            error = iotnet__eval_hop(e, c->field, child, bits);
        break;
    case C_REACH:
        error = reach_eval(e, c, bits);
        break;
    }
    if (error) {
        free(bits);
        return error;
    }
    e->memo[c->memo] = bits;
    *out = bits;
    return 0;
}

/* ---- ids ---------------------------------------------------------------------------------- */

void iotnet__eval_target_id(const eval_ctx *e, int table, uint32_t i, iotnet__buf *out)
{
    const iotnet_net *net = e->net;
    const service_rec *s;
    switch (table) {
    case IOTNET_TARGET_NODE: iotnet__buf_puts(out, iotnet__text(net, net->nodes.id[i])); break;
    case IOTNET_TARGET_LINK: iotnet__buf_puts(out, iotnet__text(net, net->links.id[i])); break;
    case IOTNET_TARGET_ZONE: iotnet__buf_puts(out, iotnet__text(net, net->zones.id[i])); break;
    case IOTNET_TARGET_CONDUIT: iotnet__buf_puts(out, iotnet__text(net, net->conduits.id[i])); break;
    case IOTNET_TARGET_SERVICE:
        s = &net->services.items[i];
        iotnet__buf_printf(out, "%s/%s", iotnet__text(net, net->nodes.id[s->node]), iotnet__text(net, s->name));
        break;
    }
}

uint32_t iotnet__eval_find(const eval_ctx *e, int table, const char *id)
{
    const iotnet_net *net = e->net;
    iotnet_index x;
    switch (table) {
    case IOTNET_TARGET_NODE: return iotnet_node_find(net, &x, id) == 0 ? x : IOTNET_NONE;
    case IOTNET_TARGET_LINK: return iotnet_link_find(net, &x, id) == 0 ? x : IOTNET_NONE;
    case IOTNET_TARGET_ZONE: return iotnet_zone_find(net, &x, id) == 0 ? x : IOTNET_NONE;
    case IOTNET_TARGET_CONDUIT: return iotnet_conduit_find(net, &x, id) == 0 ? x : IOTNET_NONE;
    default:
        /* "node/service": node ids may hold '/', so try every split */
        for (const char *slash = strchr(id, '/'); slash; slash = strchr(slash + 1, '/')) {
            char node[512];
            size_t n = (size_t)(slash - id);
            if (n >= sizeof node)
                break;
            memcpy(node, id, n);
            node[n] = '\0';
            iotnet__str name = iotnet__strpool_lookup(&net->strings, slash + 1);
            if (!name || iotnet_node_find(net, &x, node) != 0)
                continue;
            for (uint32_t s = net->nodes.first_service[x]; s != IOTNET_NONE; s = net->services.items[s].next)
                if (net->services.items[s].name == name)
                    return s;
        }
        return IOTNET_NONE;
    }
}

/* ---- evidence ------------------------------------------------------------------------------ */

static void value_text(const eval_ctx *e, const cond *c, const fval *x, iotnet__buf *out)
{
    const iotnet_net *net = e->net;
    char buf[64];
    switch (c->ftype) {
    case FT_KIND:
        iotnet__buf_puts(out, iotnet_kind_name(net, (iotnet_kind)x->i));
        break;
    case FT_ENUM: {
        const char *name = iotnet_enum_name((iotnet_enum)c->enumeration, (int)x->i);
        if (name)
            iotnet__buf_puts(out, name);
        else
            iotnet__buf_printf(out, "%lld", (long long)x->i);
        break;
    }
    case FT_MEDIA: {
        bool first = true;
        for (int m = 0; m < 32; m++)
            if ((x->i >> m) & 1) {
                iotnet__buf_printf(out, "%s%s", first ? "" : " ", iotnet_enum_name(IOTNET_ENUM_MEDIUM, m));
                first = false;
            }
        break;
    }
    case FT_BOOL: iotnet__buf_puts(out, x->i ? "true" : "false"); break;
    case FT_INT: iotnet__buf_printf(out, "%lld", (long long)x->i); break;
    case FT_FLOAT: iotnet__buf_printf(out, "%g", x->f); break;
    case FT_DATE:
        if (iotnet__date_format(buf, sizeof buf, x->i) == 0)
            iotnet__buf_puts(out, buf);
        break;
    case FT_DURATION:
        if (iotnet__duration_format(buf, sizeof buf, x->i) == 0)
            iotnet__buf_puts(out, buf);
        break;
    default: {
        const char *t = iotnet__text(net, x->s);
        iotnet__buf_puts(out, t && *t ? t : "\"\"");
    }
    }
}

static void fact_sep(iotnet__buf *out)
{
    if (out->len)
        iotnet__buf_puts(out, "; ");
}

static void evidence(eval_ctx *e, uint32_t ci, uint32_t i, const char *prefix, iotnet__buf *out, int depth)
{
    const cond *c = &e->cat->conds.items[ci];
    const word *bits = e->memo[c->memo];
    if (!bits || !bit_get(bits, i) || depth > 32)
        return;
    const iotnet_net *net = e->net;
    switch (c->type) {
    case C_ALL:
    case C_ANY:
        for (uint32_t k = c->child; k != IOTNET_NONE; k = e->cat->conds.items[k].next)
            evidence(e, k, i, prefix, out, depth + 1);
        return;
    case C_NOT:
        fact_sep(out);
        iotnet__buf_printf(out, "%s%s", prefix, cat_text(e->cat, c->text));
        return;
    case C_REACH: {
        const reach_cache *rc = NULL;
        for (uint32_t k = 0; k < e->reaches.count; k++)
            if (e->reaches.items[k].from == c->attr)
                rc = &e->reaches.items[k];
        int cls = !rc ? 0 : c->table == IOTNET_TARGET_NODE ? rc->node_class[i] : rc->service_class[i];
        fact_sep(out);
        iotnet__buf_printf(out, "%sreachable from %s %s", prefix, cat_text(e->cat, c->attr),
                           iotnet_enum_name(IOTNET_ENUM_EXPOSURE, cls));
        return;
    }
    case C_FIELD: {
        leaf lf;
        memset(&lf, 0, sizeof lf);
        lf.c = c;
        if (c->field == F_NODE_EXPOSURE || c->field == F_SVC_EXPOSURE)
            for (uint32_t k = 0; k < e->reaches.count; k++)
                if (!strcmp(cat_text(e->cat, e->reaches.items[k].from), "internet"))
                    lf.exposure = &e->reaches.items[k];
        if (c->field == F_ATTR) {
            static const iotnet_entity entity[TABLE_COUNT] = {0, IOTNET_ENTITY_NODE, IOTNET_ENTITY_LINK, 0,
                                                              IOTNET_ENTITY_ZONE, 0};
            lf.col = iotnet__attr_column(net, entity[c->table], cat_text(e->cat, c->attr));
        }
        if ((c->field == F_NODE_EXPOSURE || c->field == F_SVC_EXPOSURE) && !lf.exposure)
            return;
        fval x = {0, 0, 0};
        bool present = value_of(e, &lf, i, &x);
        fact_sep(out);
        const char *name = c->field == F_ATTR ? NULL : iotnet__fields[c->field].name;
        if (name)
            iotnet__buf_printf(out, "%s%s ", prefix, name);
        else
            iotnet__buf_printf(out, "%sattr:%s ", prefix, cat_text(e->cat, c->attr));
        if (present)
            value_text(e, c, &x, out);
        else
            iotnet__buf_puts(out, "unset");
        return;
    }
    case C_HOP: {
        char sub[300];
        uint32_t j = IOTNET_NONE;
        const word *inner = e->memo[e->cat->conds.items[c->child].memo];
        switch (c->field) {
        case HOP_SERVICE_NODE:
            evidence(e, c->child, net->services.items[i].node, prefix, out, depth + 1);
            return;
        case HOP_GATEWAY:
            for (uint32_t k = e->gw_first ? e->gw_first[i] : 0; e->gw_first && k < e->gw_first[i + 1]; k++)
                if (inner && bit_get(inner, e->gw[k])) {
                    j = e->gw[k];
                    break;
                }
            if (j == IOTNET_NONE)
                return;
            snprintf(sub, sizeof sub, "%sgateway %s ", prefix, iotnet__text(net, net->nodes.id[j]));
            break;
        case HOP_NODE_SERVICES:
            for (uint32_t s = net->nodes.first_service[i]; s != IOTNET_NONE; s = net->services.items[s].next)
                if (inner && bit_get(inner, s)) {
                    j = s;
                    break;
                }
            if (j == IOTNET_NONE)
                return;
            snprintf(sub, sizeof sub, "%sservice %s ", prefix, iotnet__text(net, net->services.items[j].name));
            break;
        case HOP_LINK_A:
        case HOP_LINK_B:
            j = c->field == HOP_LINK_A ? net->links.a[i] : net->links.b[i];
            snprintf(sub, sizeof sub, "%s%s %s ", prefix, c->field == HOP_LINK_A ? "a" : "b",
                     iotnet__text(net, net->nodes.id[j]));
            break;
        case HOP_CONDUIT_FROM:
        case HOP_CONDUIT_TO:
            j = c->field == HOP_CONDUIT_FROM ? net->conduits.from[i] : net->conduits.to[i];
            snprintf(sub, sizeof sub, "%s%s %s ", prefix, c->field == HOP_CONDUIT_FROM ? "from" : "to",
                     iotnet__text(net, net->zones.id[j]));
            break;
        default:
            return;
        }
        evidence(e, c->child, j, sub, out, depth + 1);
        return;
    }
    default:
        return;
    }
}

void iotnet__eval_evidence(eval_ctx *e, uint32_t ci, uint32_t i, iotnet__buf *out)
{
    evidence(e, ci, i, "", out, 0);
}
