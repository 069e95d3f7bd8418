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

/* Exposure classes of every node and service from one source. */
typedef struct reach_cache {
    iotnet__str from;      /* catalog string */
    uint8_t *node_class;   /* best class over the node's rows */
    uint8_t *service_class;
} reach_cache;

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

/* ---- eval_fields.c ---------------------------------------------------- */
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

/* The value of the leaf's field for element i; false when unset. */
bool iotnet__leaf_value(const eval_ctx *e, const leaf *lf, uint32_t i, fval *x);
int iotnet__eval_init(eval_ctx *e, const iotnet_net *net, const iotnet_catalog *cat, int64_t now);
void iotnet__eval_free(eval_ctx *e);
word *iotnet__eval_bits(const eval_ctx *e, int table);
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
