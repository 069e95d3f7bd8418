/* Path exploration and the bookkeeping shared by reach rows, explanations
 * and the zone matrix. */
#ifndef IOTNET_REACH_EXPLORE_H
#define IOTNET_REACH_EXPLORE_H

#include "reach_internal.h"

/* Called for every destination a path from the source reaches, with the
 * chain of decisions on the way and the path (source first). Non-zero stops. */
typedef int (*iotnet__visit_fn)(reach_ctx *ctx, uint32_t dest, uint32_t chain, const uint32_t *path, size_t len,
                                void *payload);

/* Explore every path from `source` (resets the chains). O(paths); in a
 * model without NAT44 whose transit nodes have cycles, one witness path per
 * destination and atom asked about instead (iotnet__mesh_explore). */
int iotnet__explore(reach_ctx *ctx, uint32_t source, iotnet__visit_fn visit, void *payload);
/* The same by fixpoints, for ctx->mesh models: polynomial whatever the
 * cycles. O(destinations x (links x atom words + nodes x decision)). */
int iotnet__mesh_explore(reach_ctx *ctx, uint32_t source, iotnet__visit_fn visit, void *payload);

/* The nodes an endpoint text names: a node id, "zone:ID" or "internet".
 * *out is malloc'd. `what` names the argument in messages. */
int iotnet__endpoint_nodes(const iotnet_net *net, const char *text, const char *what, uint32_t **out, uint32_t *count);

/* The sources among `nodes` that must be explored: one (or two, so that it
 * is a destination too) of each group of nodes that no policy, NAT or MUD
 * entry can tell apart; out may be nodes itself. */
int iotnet__source_representatives(const reach_ctx *ctx, const uint32_t *nodes, uint32_t n, uint32_t *out,
                                   uint32_t *count);

/* The class of `atom` (IOTNET_NONE: of any atom) in a levels vector. */
iotnet_exposure iotnet__classify(const reach_ctx *ctx, const word *bits, uint32_t atom);

typedef struct iotnet__entry {
    uint32_t node;
    uint16_t port;
    const char *via;
} iotnet__entry;

void iotnet__entry_of(const reach_ctx *ctx, uint32_t c, uint32_t dest, uint32_t atom, uint16_t port,
                      iotnet_exposure cls, iotnet__entry *out);

#endif
