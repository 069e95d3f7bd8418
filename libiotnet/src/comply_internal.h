/* Compliance results in memory: the framework's controls, the findings
 * that call for each (copied), and where the framework's mitigations are
 * present. Shared by comply.c (controls and status), comply_evidence.c
 * (presence) and comply_levels.c (IEC 62443 zone levels). */
#ifndef IOTNET_COMPLY_INTERNAL_H
#define IOTNET_COMPLY_INTERNAL_H

#include "iotnet/comply.h"
#include "catalog_internal.h"
#include "strpool.h"

/* A finding, copied from the evaluation. */
typedef struct cfinding {
    iotnet__str id, threat, target, by, reason;
    int64_t until;
    uint32_t threat_index;           /* in the catalog */
    uint32_t present_first, present_count; /* its present mitigations, in presents */
    uint32_t element;                /* its target in the model, or IOTNET_NONE */
    uint8_t table, status;           /* target kind, iotnet_finding_status */
    int residual;
} cfinding;

/* A finding that calls for a control, with the control's mitigations present on it. */
typedef struct clink {
    uint32_t finding;
    iotnet__str present;             /* space-separated, "" when none */
} clink;

/* A mitigation present (or assumed) on an element. */
typedef struct cpair {
    uint32_t mitigation;             /* in the catalog */
    uint32_t element;
    iotnet__str mitigation_id, target;
    uint8_t table, assumed;
} cpair;

typedef struct cctl {
    uint32_t control;                /* in the catalog */
    iotnet__str id, title, group, reason, mitigations;
    uint8_t status, min_sl;
    uint32_t mit_first, mit_count;   /* M(C) in ctl_mits */
    uint32_t link_first, link_count; /* in links */
    size_t pair_count;               /* over M(C) */
    size_t open, mitigated, answered, accepted;
} cctl;

typedef struct clevel {
    iotnet__str zone, limiting, reason;
    uint8_t fr, target, achieved, gap;
} clevel;

struct iotnet_compliance {
    iotnet__strpool strings;
    iotnet__str framework;
    IOTNET__VEC(cctl) controls;
    IOTNET__VEC(uint32_t) ctl_mits;  /* mitigation indexes, by control */
    IOTNET__VEC(cfinding) findings;
    IOTNET__VEC(uint32_t) presents;  /* mitigation indexes, by finding */
    IOTNET__VEC(clink) links;
    IOTNET__VEC(cpair) pairs;        /* grouped by mitigation */
    uint32_t *pair_first, *pair_count; /* by catalog mitigation */
    IOTNET__VEC(clevel) levels;
    size_t summary[IOTNET_CONTROL_STATUS_SLOTS];
};

static inline const char *comply_text(const iotnet_compliance *c, iotnet__str s)
{
    return s ? iotnet__str_text(&c->strings, s) : "";
}

/* ---- comply_evidence.c ------------------------------------------------- */

/* Where the mitigations flagged in `wanted` (by catalog index) are present
 * or assumed: c->pairs grouped by mitigation, c->pair_first/count, and each
 * finding's element. Assumptions are checked against the catalog and model. */
int iotnet__comply_presence(iotnet_compliance *c, const iotnet_net *net, const iotnet_catalog *cat,
                            const uint8_t *wanted, const iotnet_assumption *assume, size_t assume_count,
                            int64_t now);

/* The zones an element of `table` is in (a link or conduit has two); returns how many. */
int iotnet__comply_zones_of(const iotnet_net *net, int table, uint32_t element, uint32_t out[2]);

/* ---- comply_levels.c --------------------------------------------------- */

/* The IEC 62443 zone x FR rows of c->levels, from its controls, links and pairs. */
int iotnet__comply_levels(iotnet_compliance *c, const iotnet_net *net, const iotnet_catalog *cat);

#endif
