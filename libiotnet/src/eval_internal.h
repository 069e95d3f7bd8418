/* Evaluating compiled conditions column-wise: every condition over the whole
 * table of its target at once, as a bitset of the elements where it holds.
 * Leaves are one pass over a column; all/any/not are bitset operations;
 * identical subtrees are evaluated once per call. Derived attributes are
 * computed on first use. Shared by eval.c and eval_fields.c. */
#ifndef IOTNET_EVAL_INTERNAL_H
#define IOTNET_EVAL_INTERNAL_H

#include "catalog_internal.h"
#include "iotnet/eval.h"
#include "reach_internal.h"
#include "util.h"

#include <string.h>

/* Exposure classes of every node and service from one source. */
typedef struct reach_cache {
    iotnet__str from;      /* catalog string */
    uint8_t *node_class;   /* best class over the node's rows */
    uint8_t *service_class;
} reach_cache;

typedef struct reach_prefetch reach_prefetch;

typedef struct eval_ctx {
    const iotnet_net *net;
    const iotnet_catalog *cat;
    int64_t now;
    uint32_t n[TABLE_COUNT];     /* table sizes, removed slots included */
    uint32_t words[TABLE_COUNT];
    word *alive[TABLE_COUNT];
    word **memo;                 /* by memo slot; NULL until computed */
    word **partial;              /* leaves computed only where an <all> still held, for evidence */
    /* derived, on first use */
    uint16_t *service_count, *management_count;
    uint32_t *exposed_count;
    uint32_t *media;             /* bitmask of iotnet_medium by node */
    uint32_t *gw_first, *gw;     /* nearest enforcement points by node (CSR), gw_first NULL until computed */
    uint32_t *zone_nodes, *zone_uncovered;
    IOTNET__VEC(reach_cache) reaches;
    reach_prefetch *prefetch;    /* the Internet's reach being computed on a second thread, or NULL */
} eval_ctx;

static inline bool bit_get(const word *b, uint32_t i)
{
    return (b[i >> 6] >> (i & 63)) & 1;
}

static inline void bit_put(word *b, uint32_t i)
{
    b[i >> 6] |= (word)1 << (i & 63);
}

/* ---- eval_derived.c --------------------------------------------------- */
int iotnet__need_counts(eval_ctx *e);
int iotnet__need_reach(eval_ctx *e, iotnet__str from, const reach_cache **out);
int iotnet__need_exposure(eval_ctx *e, const reach_cache **out);
int iotnet__need_media(eval_ctx *e);
int iotnet__need_gateways(eval_ctx *e);
int iotnet__need_zones(eval_ctx *e, bool uncovered);
/* Start computing the Internet's reach on a second thread when the catalog
 * reads it; need_reach then waits for it. */
int iotnet__prefetch_start(eval_ctx *e);
/* Wait for that thread and drop its result (before freeing the context). */
void iotnet__prefetch_cancel(eval_ctx *e);

/* ---- eval_fields.c ---------------------------------------------------- */
typedef struct fval {
    int64_t i;
    double f;
    iotnet__str s;
} fval;

/* Where a field's value lives (eval_columns.c): element i reads
 * base + r * stride + offset, where r is i, or via[i] for a field of a
 * record the element points to (IOTNET_NONE: the element has none). */
typedef struct field_column {
    const void *base;
    size_t stride, offset;
    const uint32_t *via;      /* NULL: r = i */
    const uint8_t *present;   /* free attributes: which elements hold a value */
    uint32_t present_count;
    uint8_t width;            /* 1, 2 or 4 bytes unsigned, or 8 (int64_t) */
    uint8_t flags;            /* COL_* */
} field_column;

enum {
    COL_NONE_UNSET = 1,  /* no record: unset (else it reads as 0) */
    COL_ZERO_UNSET = 2,  /* 0 is unset: strings, security levels */
    COL_TIME_UNSET = 4,  /* IOTNET_TIME_UNSET is unset: dates, durations */
    COL_NONZERO = 8,     /* read as value != 0 */
    COL_NOT_NONE = 16    /* read as value != IOTNET_NONE: a part is present */
};

/* The value of element i in a column; false when unset. */
static inline bool iotnet__column_read(const field_column *col, uint32_t i, int64_t *out)
{
    if (col->present && (i >= col->present_count || !col->present[i]))
        return false;
    uint32_t r = i;
    if (col->via && (r = col->via[i]) == IOTNET_NONE) {
        *out = 0;
        return !(col->flags & COL_NONE_UNSET);
    }
    const uint8_t *p = (const uint8_t *)col->base + (size_t)r * col->stride + col->offset;
    int64_t v;
    switch (col->width) {
    case 1: v = *p; break;
    case 2: { uint16_t u; memcpy(&u, p, 2); v = u; break; }
    case 4: { uint32_t u; memcpy(&u, p, 4); v = u; break; }
    default: memcpy(&v, p, 8); break;
    }
    if (((col->flags & COL_ZERO_UNSET) && v == 0) || ((col->flags & COL_TIME_UNSET) && v == IOTNET_TIME_UNSET))
        return false;
    if (col->flags & COL_NONZERO)
        v = v != 0;
    else if (col->flags & COL_NOT_NONE)
        v = v != IOTNET_NONE;
    *out = v;
    return true;
}

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

/* ---- eval_columns.c ---------------------------------------------------- */
/* The column of the leaf's field; false for fields computed per element
 * (and derived columns not yet computed). */
bool iotnet__field_column(const eval_ctx *e, const leaf *lf, field_column *out);
/* The value of the leaf's field for element i; false when unset. */
bool iotnet__leaf_value(const eval_ctx *e, const leaf *lf, uint32_t i, fval *x);
int iotnet__eval_init(eval_ctx *e, const iotnet_net *net, const iotnet_catalog *cat, int64_t now);
void iotnet__eval_free(eval_ctx *e);
word *iotnet__eval_bits(const eval_ctx *e, int table);
/* How costly a condition is to evaluate first: 0 plain columns, 2 gateways,
 * 3 reachability, 4 the zone matrix. */
int iotnet__cond_cost(const iotnet_catalog *cat, uint32_t ci);
/* The condition's bitset (memoised; borrowed from the context). */
int iotnet__eval_cond(eval_ctx *e, uint32_t ci, const word **out);
/* Carry a bitset over table `from` to `out` over another table along `hop`. */
int iotnet__eval_hop(eval_ctx *e, int hop, const word *in, word *out);
/* The table a hop reads from, given the table it leads to. */
int iotnet__hop_source(int hop, int to);
/* Whether element i of `table` is alive. */
bool iotnet__eval_alive(const eval_ctx *e, int table, uint32_t i);

/* ---- eval_evidence.c -------------------------------------------------- */
/* The id of element i: a node, link, zone or conduit id, or "node/service". */
void iotnet__eval_target_id(const eval_ctx *e, int table, uint32_t i, iotnet__buf *out);
/* The facts that made condition ci hold for element i, "; "-separated. */
void iotnet__eval_evidence(eval_ctx *e, uint32_t ci, uint32_t i, iotnet__buf *out);
/* The element of `table` named by `id`, or IOTNET_NONE. */
uint32_t iotnet__eval_find(const eval_ctx *e, int table, const char *id);

#endif
