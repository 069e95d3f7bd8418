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
    iotnet__prefetch_cancel(e);
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

/* Whether a leaf holds for a value that is set: its comparison, or exists. */
static bool leaf_holds(const eval_ctx *e, leaf *lf, const fval *x, bool unstated_zero)
{
    const cond *c = lf->c;
    if (c->op != OP_EXISTS)
        return compare(e, lf, x);
    switch (c->ftype) {
    case FT_MEDIA: return x->i != 0;
    case FT_WORDS: return x->s && *iotnet__text(e->net, x->s);
    case FT_ENUM: return !(x->i == 0 && unstated_zero);
    default: return true;
    }
}

/* A leaf over a column of the model. Values of one byte, and kinds, are
 * looked up in a table of answers per value, worked out once. */
static void column_scan(eval_ctx *e, leaf *lf, const field_column *col, bool unstated_zero,
                        const word *alive, word *out)
{
    const cond *c = lf->c;
    bool unset_hit = c->op == OP_NE; /* an unset value differs from every literal and matches nothing else */
    uint8_t by_byte[256];
    const uint8_t *answer = NULL;
    uint64_t domain = 0;
    if (c->ftype == FT_KIND && c->op != OP_EXISTS) {
        answer = lf->kinds;
        domain = e->net->kinds.count;
    } else if (col->width == 1) {
        for (int v = 0; v < 256; v++) {
            fval x = {v, 0, (iotnet__str)v};
            by_byte[v] = leaf_holds(e, lf, &x, unstated_zero);
        }
        answer = by_byte;
        domain = 256;
    }
    for (uint32_t w = 0; w < e->words[c->table]; w++) {
        word live = alive[w], bits = 0;
        while (live) {
            int b = __builtin_ctzll(live);
            live &= live - 1;
            int64_t v;
            bool hit;
            if (!iotnet__column_read(col, w * 64 + (uint32_t)b, &v))
                hit = unset_hit;
            else if (answer)
                hit = (uint64_t)v < domain && answer[v];
            else {
                fval x = {v, 0, (iotnet__str)v};
                hit = leaf_holds(e, lf, &x, unstated_zero);
            }
            bits |= (word)hit << b;
        }
        out[w] = bits;
    }
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
    const word *alive = within ? within : e->alive[c->table];
    /* an enumeration whose 0 is "unspecified" or "unknown" does not exist there */
    const char *zero = c->ftype == FT_ENUM ? iotnet_enum_name((iotnet_enum)c->enumeration, 0) : NULL;
    bool unstated_zero = zero && (!strcmp(zero, "unspecified") || !strcmp(zero, "unknown"));
    field_column col;
    if (iotnet__field_column(e, &lf, &col)) {
        column_scan(e, &lf, &col, unstated_zero, alive, out);
        free(lf.kinds);
        return 0;
    }
    for (uint32_t w = 0; w < e->words[c->table]; w++) {
        word live = alive[w], bits = 0;
        while (live) {
            int b = __builtin_ctzll(live);
            live &= live - 1;
            fval x = {0, 0, 0};
            bool hit = iotnet__leaf_value(e, &lf, w * 64 + (uint32_t)b, &x) ? leaf_holds(e, &lf, &x, unstated_zero)
                                                                             : c->op == OP_NE;
            bits |= (word)hit << b;
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

int iotnet__cond_cost(const iotnet_catalog *cat, uint32_t ci)
{
    return cost(cat, ci, 0);
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

