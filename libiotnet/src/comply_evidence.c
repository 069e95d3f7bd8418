/* Where a framework's mitigations are present: each one's present-when
 * condition over its own target table (the column-wise evaluators of the
 * eval module), plus what-if assumptions, as (mitigation, element) pairs.
 * Findings do not carry this: a mitigation that removes a cause leaves no
 * finding, yet it is the control at work. */
#include "comply_internal.h"
#include "error_internal.h"
#include "eval_internal.h"

#include <stdlib.h>
#include <string.h>

int iotnet__comply_zones_of(const iotnet_net *net, int table, uint32_t element, uint32_t out[2])
{
    uint32_t a = IOTNET_NONE, b = IOTNET_NONE;
    switch (table) {
    case IOTNET_TARGET_NODE: a = net->nodes.zone[element]; break;
    case IOTNET_TARGET_SERVICE: a = net->nodes.zone[net->services.items[element].node]; break;
    case IOTNET_TARGET_LINK:
        a = net->nodes.zone[net->links.a[element]];
        b = net->nodes.zone[net->links.b[element]];
        break;
    case IOTNET_TARGET_ZONE: a = element; break;
    case IOTNET_TARGET_CONDUIT:
        a = net->conduits.from[element];
        b = net->conduits.to[element];
        break;
    default: break;
    }
    int n = 0;
    if (a != IOTNET_NONE)
        out[n++] = a;
    if (b != IOTNET_NONE && b != a)
        out[n++] = b;
    return n;
}

/* Presence bitsets by mitigation x table, and which bits were assumed. */
typedef struct presence {
    eval_ctx e;
    word **bits, **assumed; /* [m * TABLE_COUNT + table], NULL until needed */
    size_t slots;
} presence;

static word **slot_of(word **set, uint32_t m, int table)
{
    return &set[(size_t)m * TABLE_COUNT + (size_t)table];
}

static int mark(presence *p, uint32_t m, int table, uint32_t element, bool assumed)
{
    word **b = slot_of(p->bits, m, table), **a = slot_of(p->assumed, m, table);
    if (!*b && !(*b = iotnet__eval_bits(&p->e, table)))
        return IOTNET_ENOMEM;
    if (bit_get(*b, element))
        return 0; /* shown by the model already, or assumed twice */
    bit_put(*b, element);
    if (assumed) {
        if (!*a && !(*a = iotnet__eval_bits(&p->e, table)))
            return IOTNET_ENOMEM;
        bit_put(*a, element);
    }
    return 0;
}

/* The model's own evidence: the present-when condition on its target table. */
static int evaluate(presence *p, const iotnet_catalog *cat, uint32_t m)
{
    const mitigation_rec *mr = &cat->mitigations.items[m];
    const word *holds;
    int error = iotnet__eval_cond(&p->e, mr->cond, &holds);
    if (error)
        return error;
    word **b = slot_of(p->bits, m, mr->target);
    if (!(*b = iotnet__eval_bits(&p->e, mr->target)))
        return IOTNET_ENOMEM;
    for (uint32_t w = 0; w < p->e.words[mr->target]; w++)
        (*b)[w] = holds[w] & p->e.alive[mr->target][w];
    return 0;
}

/* The element an assumption names: in the mitigation's own table first. */
static int assumed_element(presence *p, int own, const char *target, int *table, uint32_t *element)
{
    static const int tables[] = {IOTNET_TARGET_NODE, IOTNET_TARGET_SERVICE, IOTNET_TARGET_LINK, IOTNET_TARGET_ZONE,
                                 IOTNET_TARGET_CONDUIT};
    *table = own;
    *element = iotnet__eval_find(&p->e, own, target);
    for (size_t t = 0; t < sizeof tables / sizeof tables[0] && *element == IOTNET_NONE; t++) {
        *table = tables[t];
        *element = iotnet__eval_find(&p->e, tables[t], target);
    }
    iotnet_error_clear();
    return *element == IOTNET_NONE ? IOTNET_ENOTFOUND : 0;
}

static bool finding_has(const iotnet_compliance *c, const cfinding *f, uint32_t m)
{
    for (uint32_t k = 0; k < f->present_count; k++)
        if (c->presents.items[f->present_first + k] == m)
            return true;
    return false;
}

/* A what-if assumption: on its target, or (no target) on every finding it is
 * present on, which is where the evaluation took it as a candidate. */
static int assume_one(presence *p, iotnet_compliance *c, const iotnet_catalog *cat, const uint8_t *wanted,
                      const iotnet_assumption *a, size_t k)
{
    long m = a->mitigation ? iotnet_catalog_find_mitigation(cat, a->mitigation) : -1;
    if (m < 0)
        return iotnet__error_set(IOTNET_EINVAL, "assumption %zu: no mitigation \"%s\" in the catalog", k,
                                 a->mitigation ? a->mitigation : "");
    if (a->target) {
        int table;
        uint32_t element;
        if (assumed_element(p, cat->mitigations.items[m].target, a->target, &table, &element))
            return iotnet__error_set(IOTNET_EINVAL, "assumption %zu (%s): the model has no element \"%s\"", k,
                                     a->mitigation, a->target);
        return wanted[m] ? mark(p, (uint32_t)m, table, element, true) : 0;
    }
    int error = 0;
    for (uint32_t i = 0; i < c->findings.count && !error && wanted[m]; i++) {
        const cfinding *f = &c->findings.items[i];
        if (f->element != IOTNET_NONE && finding_has(c, f, (uint32_t)m))
            error = mark(p, (uint32_t)m, f->table, f->element, true);
    }
    return error;
}

/* The pairs of mitigation m, table by table in model order. */
static int collect(presence *p, iotnet_compliance *c, uint32_t m)
{
    c->pair_first[m] = c->pairs.count;
    iotnet__buf id = {0};
    iotnet__str mid;
    int error = iotnet__strpool_intern(&c->strings, cat_text(p->e.cat, p->e.cat->mitigations.items[m].id), &mid);
    for (int t = 1; t < TABLE_COUNT && !error; t++) {
        const word *b = *slot_of(p->bits, m, t), *a = *slot_of(p->assumed, m, t);
        for (uint32_t i = 0; b && i < p->e.n[t] && !error; i++) {
            if (!bit_get(b, i))
                continue;
            id.len = 0;
            iotnet__eval_target_id(&p->e, t, i, &id);
            iotnet__str s = 0;
            if (id.failed)
                error = iotnet__error_set(IOTNET_ENOMEM, "out of memory");
            if (!error && !(error = iotnet__strpool_intern(&c->strings, id.data ? id.data : "", &s)) &&
                !(error = IOTNET__VEC_PUSH_ROOM(c->pairs)))
                c->pairs.items[c->pairs.count++] = (cpair){m, i, mid, s, (uint8_t)t, (uint8_t)(a && bit_get(a, i))};
        }
    }
    iotnet__buf_free(&id);
    c->pair_count[m] = c->pairs.count - c->pair_first[m];
    return error;
}

static void presence_free(presence *p)
{
    for (size_t i = 0; i < p->slots; i++) {
        if (p->bits)
            free(p->bits[i]);
        if (p->assumed)
            free(p->assumed[i]);
    }
    free(p->bits);
    free(p->assumed);
    iotnet__eval_free(&p->e);
}

int iotnet__comply_presence(iotnet_compliance *c, const iotnet_net *net, const iotnet_catalog *cat,
                            const uint8_t *wanted, const iotnet_assumption *assume, size_t assume_count,
                            int64_t now)
{
    presence p;
    memset(&p, 0, sizeof p);
    uint32_t nmit = cat->mitigations.count;
    int error = iotnet__eval_init(&p.e, net, cat, now);
    if (error)
        return error;
    p.slots = (size_t)nmit * TABLE_COUNT;
    p.bits = calloc(p.slots + 1, sizeof *p.bits);
    p.assumed = calloc(p.slots + 1, sizeof *p.assumed);
    c->pair_first = calloc((size_t)nmit + 1, sizeof *c->pair_first);
    c->pair_count = calloc((size_t)nmit + 1, sizeof *c->pair_count);
    if (!p.bits || !p.assumed || !c->pair_first || !c->pair_count)
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory for compliance evidence");
    for (uint32_t m = 0; m < nmit && !error; m++)
        if (wanted[m])
            error = evaluate(&p, cat, m);
    for (uint32_t i = 0; i < c->findings.count && !error; i++) {
        cfinding *f = &c->findings.items[i];
        f->element = iotnet__eval_find(&p.e, f->table, comply_text(c, f->target));
    }
    iotnet_error_clear();
    for (size_t k = 0; k < assume_count && !error; k++)
        error = assume_one(&p, c, cat, wanted, &assume[k], k);
    for (uint32_t m = 0; m < nmit && !error; m++)
        if (wanted[m])
            error = collect(&p, c, m);
    presence_free(&p);
    return error;
}
