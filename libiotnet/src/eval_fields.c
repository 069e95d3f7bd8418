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
    if (!error && (!(e->memo = calloc((size_t)cat->memo_count + 1, sizeof(word *))) ||
                   !(e->partial = calloc((size_t)cat->memo_count + 1, sizeof(word *)))))
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
    for (uint32_t i = 0; i < e->cat->memo_count; i++) {
        if (e->memo)
            free(e->memo[i]);
        if (e->partial)
            free(e->partial[i]);
    }
    free(e->memo);
    free(e->partial);
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

/* ---- field values ---------------------------------------------------------------- */

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

bool iotnet__leaf_value(const eval_ctx *e, const leaf *lf, uint32_t i, fval *x)
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
        case F_NODE_MGMT_COUNT: error = iotnet__need_counts(e); break;
        case F_NODE_EXPOSURE:
        case F_SVC_EXPOSURE:
        case F_NODE_EXPOSED_COUNT: error = iotnet__need_exposure(e, &lf->exposure); break;
        case F_NODE_LINK_MEDIA: error = iotnet__need_media(e); break;
        case F_ZONE_NODE_COUNT: error = iotnet__need_zones(e, false); break;
        case F_ZONE_UNCOVERED: error = iotnet__need_zones(e, true); break;
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

/* A leaf over the elements of `within` (NULL: every live element). */
static int leaf_eval(eval_ctx *e, const cond *c, const word *within, word *out)
{
    leaf lf;
    int error = leaf_prepare(e, c, &lf);
    if (error) {
        free(lf.kinds);
        return error;
    }
    int table = c->table;
    const word *alive = within ? within : e->alive[table];
    if (c->field == F_NODE_KIND && table == IOTNET_TARGET_NODE && c->op != OP_EXISTS) {
        /* the commonest leaf, is-a on the node's kind: one table lookup per node */
        const uint16_t *kind = e->net->nodes.kind;
        for (uint32_t w = 0; w < e->words[table]; w++) {
            word live = alive[w], bits = 0;
            while (live) {
                int b = __builtin_ctzll(live);
                live &= live - 1;
                bits |= (word)lf.kinds[kind[w * 64 + (uint32_t)b]] << b;
            }
            out[w] = bits;
        }
        free(lf.kinds);
        return 0;
    }
    /* an enumeration whose 0 is "unspecified" or "unknown" does not exist there */
    const char *zero = c->ftype == FT_ENUM ? iotnet_enum_name((iotnet_enum)c->enumeration, 0) : NULL;
    bool unstated_zero = zero && (!strcmp(zero, "unspecified") || !strcmp(zero, "unknown"));
    for (uint32_t w = 0; w < e->words[table]; w++) {
        word live = alive[w], bits = 0;
        while (live) {
            int b = __builtin_ctzll(live);
            live &= live - 1;
            uint32_t i = w * 64 + (uint32_t)b;
            fval x = {0, 0, 0};
            bool hit;
            if (!iotnet__leaf_value(e, &lf, i, &x))
                hit = c->op == OP_NE; /* an unset value differs from every literal and matches nothing else */
            else if (c->op == OP_EXISTS)
                hit = c->ftype == FT_MEDIA ? x.i != 0
                    : c->ftype == FT_WORDS ? (x.s && *iotnet__text(e->net, x.s))
                    : c->ftype == FT_ENUM  ? !(x.i == 0 && unstated_zero)
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
    int error = iotnet__need_reach(e, c->attr, &rc);
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
        if ((error = iotnet__need_gateways(e)))
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

/* How much a subtree costs to evaluate the first time: plain columns, hops
 * to gateways, reachability, the zone matrix. <all> evaluates its cheap
 * children first, so that an empty result spares the expensive ones. */
static int cost(const iotnet_catalog *cat, uint32_t ci, int depth)
{
    const cond *c = &cat->conds.items[ci];
    int worst = 0;
    switch (c->type) {
    case C_REACH: return 3;
    case C_FIELD:
        switch (c->field) {
        case F_NODE_EXPOSURE:
        case F_SVC_EXPOSURE:
        case F_NODE_EXPOSED_COUNT: return 3;
        case F_ZONE_UNCOVERED: return 4;
        default: return 0;
        }
    case C_HOP: worst = c->field == HOP_GATEWAY ? 2 : 1; break;
    default: break;
    }
    for (uint32_t k = c->child; k != IOTNET_NONE && depth < 64; k = cat->conds.items[k].next) {
        int x = cost(cat, k, depth + 1);
        worst = x > worst ? x : worst;
    }
    return worst;
}

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
    case C_ALL: {
        memcpy(bits, e->alive[table], words * sizeof(word));
        bool empty = false, narrowed = false;
        word *scratch = NULL;
        for (int level = 0; level <= 4 && !empty && !error; level++)
            for (uint32_t k = c->child; k != IOTNET_NONE && !empty && !error; k = e->cat->conds.items[k].next) {
                if (cost(e->cat, k, 0) != level)
                    continue;
                const cond *kc = &e->cat->conds.items[k];
                if (narrowed && kc->type == C_FIELD && !e->memo[kc->memo]) {
                    /* a leaf nobody has computed yet: only where the others hold so far */
                    if (!scratch && (error = bits_alloc(e, table, &scratch)))
                        break;
                    if ((error = leaf_eval(e, kc, bits, scratch)))
                        break;
                    /* kept for the evidence, exact where it was evaluated */
                    word **part = &e->partial[kc->memo];
                    if (!*part && (error = bits_alloc(e, table, part)))
                        break;
                    for (uint32_t w = 0; w < words; w++)
                        (*part)[w] |= scratch[w];
                    child = scratch;
                } else if ((error = iotnet__eval_cond(e, k, &child))) {
                    break;
                }
                word any = 0;
                for (uint32_t w = 0; w < words; w++)
                    any |= (bits[w] &= child[w]);
                empty = !any; /* nothing left to hold: the rest need not be evaluated */
                narrowed = true;
            }
        free(scratch);
        break;
    }
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
        error = leaf_eval(e, c, NULL, bits);
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

