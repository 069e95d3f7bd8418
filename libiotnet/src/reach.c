/* The reachability engine's front: endpoints, path exploration, and the
 * rows of iotnet_reach(). Decisions are in reach_eval.c. */
#include "reach_internal.h"
#include "reach_explore.h"
#include "error_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- endpoints ----------------------------------------------------------- */

int iotnet__endpoint_nodes(const iotnet_net *net, const char *text, const char *what, uint32_t **out, uint32_t *count)
{
    *out = NULL;
    *count = 0;
    if (!text || !*text)
        return iotnet__error_set(IOTNET_EINVAL, "%s is required: a node id, zone:ID or internet", what);
    uint32_t *nodes = malloc(((size_t)net->nodes.count + 1) * sizeof(uint32_t));
    if (!nodes)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    uint32_t n = 0;
    iotnet_index idx;
    if (!strcmp(text, "internet")) {
        for (uint32_t v = 0; v < net->nodes.count; v++)
            if (net->nodes.alive[v] && iotnet_kind_is_a(net, net->nodes.kind[v], net->kind_internet))
                nodes[n++] = v;
        if (!n) {
            free(nodes);
            return iotnet__error_set(IOTNET_ENOTFOUND, "%s \"internet\": the model has no node of kind internet", what);
        }
    } else if (!strncmp(text, "zone:", 5)) {
        if (iotnet_zone_find(net, &idx, text + 5) != 0) {
            free(nodes);
            return iotnet__error_set(IOTNET_ENOTFOUND, "%s: zone \"%s\" does not exist", what, text + 5);
        }
        for (uint32_t v = 0; v < net->nodes.count; v++)
            if (net->nodes.alive[v] && net->nodes.zone[v] == idx)
                nodes[n++] = v;
    } else {
        if (iotnet_node_find(net, &idx, text) != 0) {
            free(nodes);
            return iotnet__error_set(IOTNET_ENOTFOUND, "%s: node \"%s\" does not exist (a node id, zone:ID or internet)",
                                     what, text);
        }
        nodes[n++] = idx;
    }
    *out = nodes;
    *count = n;
    return 0;
}

/* ---- exploring paths ---------------------------------------------------- */

typedef struct frame {
    uint32_t node, chain, next, end;
    endpoint src;                 /* apparent source arriving at node */
    uint8_t role_in;
    uint32_t alt_chain;           /* a second way through the node before this one (hairpin) */
    endpoint alt_src;
} frame;

/* How a path crosses `node` entering on role_in and leaving on role_out:
 * one or two element kinds (routing and hairpinning through the NAT). */
static int crossing_types(const reach_ctx *ctx, uint32_t node, uint8_t role_in, uint8_t role_out, uint8_t types[2])
{
    const iotnet_net *net = ctx->net;
    uint32_t n = net->nodes.nat[node];
    types[0] = EL_ROUTE;
    if (n == IOTNET_NONE)
        return 1;
    if (role_in == ROLE_OUTSIDE && role_out == ROLE_INSIDE)
        types[0] = EL_NAT_IN;
    else if (role_in == ROLE_INSIDE && role_out == ROLE_OUTSIDE)
        types[0] = EL_NAT_OUT;
    else if (role_in == ROLE_INSIDE && role_out == ROLE_INSIDE && net->nats.items[n].hairpinning &&
             net->nats.items[n].forwards.count) {
        types[1] = EL_HAIRPIN;
        return 2;
    }
    return 1;
}

static bool is_element(const reach_ctx *ctx, uint32_t node)
{
    return ctx->enforce[node] || (ctx->mud_gateway && ctx->mud_gateway[node]);
}

typedef struct explorer {
    frame *stack;
    uint32_t *path;
    uint8_t *on_path;
} explorer;

/* Chains and apparent sources for flows leaving frame f towards a
 * neighbour over adjacency a; returns how many ways (1 or 2). */
static int next_ways(reach_ctx *ctx, const frame *f, const adj *a, uint32_t chains[2], endpoint srcs[2])
{
    if (f->node == ctx->source || !is_element(ctx, f->node)) {
        chains[0] = f->chain;
        srcs[0] = f->src;
        return 1;
    }
    uint8_t types[2];
    int n = crossing_types(ctx, f->node, f->role_in, a->role_here, types);
    for (int k = 0; k < n; k++) {
        int error = iotnet__chain_child(ctx, f->chain, f->node, types[k], f->src, &chains[k]);
        if (error)
            return error;
        bool translated = types[k] == EL_NAT_OUT || types[k] == EL_HAIRPIN;
        srcs[k] = translated ? (endpoint){f->node, ctx->nat_outside_iface[f->node]} : f->src;
    }
    return n;
}

static void frame_init(const reach_ctx *ctx, frame *f, uint32_t node, uint32_t chain, endpoint src, uint8_t role_in)
{
    *f = (frame){node, chain, ctx->adj_first[node], ctx->adj_first[node + 1], src, role_in, IOTNET_NONE, {0, 0}};
}

/* The paths that leave `source` by its interface ctx->source_iface. */
static int explore_from(reach_ctx *ctx, explorer *x, iotnet__visit_fn visit, void *payload)
{
    uint32_t source = ctx->source;
    int error;
    iotnet__chain_reset(ctx);
    if ((error = iotnet__chain_root(ctx)))
        return error;
    size_t depth = 1;
    frame_init(ctx, &x->stack[0], source, 0, SOURCE_END(ctx), ROLE_PLAIN);
    x->path[0] = source;
    x->on_path[source] = 1;
    while (depth && !error) {
        frame *f = &x->stack[depth - 1];
        if (f->next == f->end) {
            if (f->alt_chain != IOTNET_NONE) { /* the node's second way through */
                f->chain = f->alt_chain;
                f->src = f->alt_src;
                f->alt_chain = IOTNET_NONE;
                f->next = ctx->adj_first[f->node];
                continue;
            }
            x->on_path[f->node] = 0;
            depth--;
            continue;
        }
        const adj *a = &ctx->adjs[f->next++];
        if (x->on_path[a->node] || (depth == 1 && a->iface_here != ctx->source_ord))
            continue;
        if (++ctx->steps > ctx->step_limit) {
            error = iotnet__error_set(IOTNET_ERROR, "more than %llu path steps: the model has too many loops to explore",
                                      (unsigned long long)ctx->step_limit);
            break;
        }
        uint32_t chains[2];
        endpoint srcs[2];
        int ways = next_ways(ctx, f, a, chains, srcs);
        if (ways < 0) {
            error = ways;
            break;
        }
        x->path[depth] = a->node;
        ctx->dest_iface = adj_iface(ctx->net, a->node, a->iface_there);
        for (int k = 0; k < ways && !error; k++)
            error = visit(ctx, a->node, chains[k], x->path, depth + 1, payload);
        if (error || !ctx->transit[a->node])
            continue;
        frame *g = &x->stack[depth++];
        frame_init(ctx, g, a->node, chains[0], srcs[0], a->role_there);
        if (ways == 2) {
            g->alt_chain = chains[1];
            g->alt_src = srcs[1];
        }
        x->on_path[a->node] = 1;
    }
    while (depth) /* after an error: leave on_path clear */
        x->on_path[x->stack[--depth].node] = 0;
    return error;
}

int iotnet__explore(reach_ctx *ctx, uint32_t source, iotnet__visit_fn visit, void *payload)
{
    if (ctx->mesh)
        return iotnet__mesh_explore(ctx, source, visit, payload);
    explorer x = {malloc(((size_t)ctx->n + 1) * sizeof(frame)), malloc(((size_t)ctx->n + 1) * sizeof(uint32_t)),
                  calloc(ctx->n + 1, 1)};
    int error = 0;
    if (!x.stack || !x.path || !x.on_path) {
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory for path exploration");
        goto cleanup;
    }
    ctx->source = source;
    /* once per interface the source's links leave by: CIDR selectors see
     * the address of that interface (a link naming none: any address) */
    for (uint32_t i = ctx->adj_first[source]; i < ctx->adj_first[source + 1] && !error; i++) {
        iface_ord ord = ctx->adjs[i].iface_here;
        bool seen = false;
        for (uint32_t j = ctx->adj_first[source]; j < i && !seen; j++)
            seen = ctx->adjs[j].iface_here == ord;
        if (seen)
            continue;
        ctx->source_ord = ord;
        ctx->source_iface = adj_iface(ctx->net, source, ord);
        error = explore_from(ctx, &x, visit, payload);
    }
cleanup:
    free(x.stack);
    free(x.path);
    free(x.on_path);
    return error;
}

/* ---- classes ------------------------------------------------------------- */

iotnet_exposure iotnet__classify(const reach_ctx *ctx, const word *bits, uint32_t atom)
{
    for (int l = LEVELS - 1; l >= 0; l--) {
        const word *b = bits + (size_t)l * ctx->atoms.words;
        if (atom == IOTNET_NONE ? iotnet__bits_any(b, ctx->atoms.words) : bit_test(b, atom))
            return iotnet__level_class[l];
    }
    return IOTNET_EXPOSURE_NONE;
}

/* Where the source sends a flow of class `cls` to reach `dest` on `atom`
 * along chain c: the outermost NAT it crosses inbound, and its port. */
void iotnet__entry_of(const reach_ctx *ctx, uint32_t c, uint32_t dest, uint32_t atom, uint16_t port,
                      iotnet_exposure cls, iotnet__entry *out)
{
    *out = (iotnet__entry){dest, port, NULL};
    if (cls == IOTNET_EXPOSURE_DIRECT || cls == IOTNET_EXPOSURE_REPLY_ONLY || cls == IOTNET_EXPOSURE_NONE ||
        atom == IOTNET_NONE)
        return;
    uint32_t target = dest;
    for (uint32_t i = c; i != 0; i = ctx->chain.items[i].parent) {
        const chain_el *e = &ctx->chain.items[i];
        if (e->type != EL_NAT_IN && e->type != EL_HAIRPIN)
            continue;
        const forward_rec *fw = iotnet__forward_for(ctx, e->node, target, atom);
        if (fw) {
            out->port = fw->external_port;
            out->via = iotnet__text(ctx->net, fw->name);
            atom = iotnet__forward_outer_atom(ctx, fw, atom);
        }
        out->node = e->node;
        target = e->node;
    }
}
