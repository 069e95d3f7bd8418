/* IEC 62443-3-3 achieved security levels: per zone and foundational
 * requirement, from the SRs the zone's findings contradict and the SRs its
 * present mitigations evidence, by the rules at the top of comply.h. */
#include "comply_internal.h"
#include "error_internal.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FR_COUNT 7

/* What the zones show of each SR: contradicted, and the best level evidenced. */
typedef struct zone_facts {
    uint32_t nctl;
    uint8_t *contradicted, *evidenced; /* [zone * nctl + control] */
} zone_facts;

static void mark_zones(const iotnet_net *net, uint8_t *column, uint32_t nctl, uint32_t k, int table,
                       uint32_t element, uint8_t level)
{
    uint32_t zones[2];
    int n = element == IOTNET_NONE ? 0 : iotnet__comply_zones_of(net, table, element, zones);
    for (int j = 0; j < n; j++) {
        uint8_t *v = &column[(size_t)zones[j] * nctl + k];
        if (*v < level)
            *v = level;
    }
}

static void gather(zone_facts *z, const iotnet_compliance *c, const iotnet_net *net, const iotnet_catalog *cat)
{
    for (uint32_t k = 0; k < c->controls.count; k++) {
        const cctl *x = &c->controls.items[k];
        for (uint32_t j = 0; j < x->link_count; j++) {
            const cfinding *f = &c->findings.items[c->links.items[x->link_first + j].finding];
            if (f->status == IOTNET_FINDING_OPEN || f->status == IOTNET_FINDING_ACCEPTED)
                mark_zones(net, z->contradicted, z->nctl, k, f->table, f->element, 1);
        }
        for (uint32_t j = 0; j < x->mit_count; j++) {
            uint32_t m = c->ctl_mits.items[x->mit_first + j];
            uint8_t sl = cat->mitigations.items[m].sl ? cat->mitigations.items[m].sl : 1;
            for (uint32_t p = 0; p < c->pair_count[m]; p++) {
                const cpair *pr = &c->pairs.items[c->pair_first[m] + p];
                mark_zones(net, z->evidenced, z->nctl, k, pr->table, pr->element, sl);
            }
        }
    }
}

/* The FR an SR belongs to, from its group ("FR 5"); 0 when none. */
static int fr_of(const iotnet_compliance *c, const cctl *x)
{
    int fr = 0;
    char tail = 0;
    if (!x->group || sscanf(comply_text(c, x->group), "FR %d%c", &fr, &tail) != 1 || fr < 1 || fr > FR_COUNT)
        return 0;
    return fr;
}

/* One zone x FR row. */
typedef struct level_calc {
    int target, achieved, best, relevant;
    iotnet__buf limiting, why;
} level_calc;

static int hold_of(const zone_facts *z, const cctl *x, uint32_t zone, uint32_t k, int *lambda)
{
    int lowest = x->min_sl ? x->min_sl : 1;
    *lambda = z->evidenced[(size_t)zone * z->nctl + k];
    if (z->contradicted[(size_t)zone * z->nctl + k])
        return lowest - 1;
    if (!*lambda)
        return -1; /* neither: does not constrain */
    return *lambda > lowest - 1 ? *lambda : lowest - 1;
}

static void calc_row(level_calc *r, const zone_facts *z, const iotnet_compliance *c, uint32_t zone, int fr)
{
    int lowest_hold = 4;
    r->best = r->relevant = 0;
    for (uint32_t k = 0; k < c->controls.count; k++) {
        const cctl *x = &c->controls.items[k];
        int lambda, hold = fr_of(c, x) == fr ? hold_of(z, x, zone, k, &lambda) : -1;
        if (hold < 0)
            continue;
        r->relevant++;
        if (!z->contradicted[(size_t)zone * z->nctl + k] && lambda > r->best)
            r->best = lambda;
        if (hold < lowest_hold)
            lowest_hold = hold;
    }
    r->achieved = r->best < lowest_hold ? r->best : lowest_hold;
    /* the SRs below target, each with what holds it there */
    for (uint32_t k = 0; k < c->controls.count && r->achieved < r->target; k++) {
        const cctl *x = &c->controls.items[k];
        int lambda, hold = fr_of(c, x) == fr ? hold_of(z, x, zone, k, &lambda) : -1;
        if (hold < 0 || hold >= r->target)
            continue;
        const char *id = comply_text(c, x->id);
        for (const char *p = id; *p; p++)
            if (*p != ' ')
                iotnet__buf_append(&r->limiting, p, 1);
        iotnet__buf_puts(&r->limiting, " ");
        if (z->contradicted[(size_t)zone * z->nctl + k])
            iotnet__buf_printf(&r->why, "%s%s has open or accepted findings (holds SL %d)", r->why.len ? "; " : "",
                               id, hold);
        else
            iotnet__buf_printf(&r->why, "%s%s is evidenced to SL %d", r->why.len ? "; " : "", id, lambda);
    }
    if (r->limiting.len)
        r->limiting.data[--r->limiting.len] = '\0';
}

static void row_reason(level_calc *r, int fr, iotnet__buf *out)
{
    if (!r->relevant)
        iotnet__buf_printf(out, "No requirement of FR %d is evidenced or contradicted in the zone.", fr);
    else if (!r->target)
        iotnet__buf_printf(out, "SL %d; the zone sets no target for FR %d.", r->achieved, fr);
    else if (r->achieved >= r->target)
        iotnet__buf_printf(out, "SL %d meets the target %d.", r->achieved, r->target);
    else if (r->why.len)
        iotnet__buf_printf(out, "SL %d is below the target %d: %s.", r->achieved, r->target, r->why.data);
    else
        iotnet__buf_printf(out, "SL %d is below the target %d: no requirement of FR %d is evidenced in the zone.",
                           r->achieved, r->target, fr);
}

static int add_row(iotnet_compliance *c, const iotnet_net *net, const zone_facts *z, uint32_t zone, int fr)
{
    level_calc r;
    memset(&r, 0, sizeof r);
    uint8_t per_fr = net->zones.target_sl_fr[zone][fr - 1];
    r.target = per_fr ? per_fr : net->zones.target_sl[zone];
    calc_row(&r, z, c, zone, fr);
    iotnet__buf reason = {0};
    row_reason(&r, fr, &reason);
    clevel l = {0, 0, 0, (uint8_t)fr, (uint8_t)r.target, (uint8_t)r.achieved, r.target && r.achieved < r.target};
    int error = r.limiting.failed || r.why.failed || reason.failed ? iotnet__error_set(IOTNET_ENOMEM, "out of memory")
                                                                     : 0;
    if (!error && !(error = iotnet__strpool_intern(&c->strings, iotnet__text(net, net->zones.id[zone]), &l.zone)) &&
        !(error = iotnet__strpool_intern(&c->strings, r.limiting.data ? r.limiting.data : "", &l.limiting)) &&
        !(error = iotnet__strpool_intern(&c->strings, reason.data, &l.reason)) &&
        !(error = IOTNET__VEC_PUSH_ROOM(c->levels)))
        c->levels.items[c->levels.count++] = l;
    iotnet__buf_free(&r.limiting);
    iotnet__buf_free(&r.why);
    iotnet__buf_free(&reason);
    return error;
}

static bool has_target(const iotnet_net *net, uint32_t zone)
{
    bool any = net->zones.target_sl[zone] != 0;
    for (int fr = 0; fr < FR_COUNT && !any; fr++)
        any = net->zones.target_sl_fr[zone][fr] != 0;
    return any;
}

int iotnet__comply_levels(iotnet_compliance *c, const iotnet_net *net, const iotnet_catalog *cat)
{
    zone_facts z = {c->controls.count, NULL, NULL};
    size_t cells = (size_t)net->zones.count * z.nctl + 1;
    z.contradicted = calloc(cells, 1);
    z.evidenced = calloc(cells, 1);
    int error = !z.contradicted || !z.evidenced ? iotnet__error_set(IOTNET_ENOMEM, "out of memory for zone levels") : 0;
    if (!error)
        gather(&z, c, net, cat);
    for (uint32_t zone = 0; zone < net->zones.count && !error; zone++) {
        if (!net->zones.alive[zone] || !has_target(net, zone))
            continue;
        for (int fr = 1; fr <= FR_COUNT && !error; fr++)
            error = add_row(c, net, &z, zone, fr);
    }
    free(z.contradicted);
    free(z.evidenced);
    return error;
}
