/* MUD profiles compiled for the reachability engine: each ACE as atom
 * masks, and each device's access gateway. */
#include "reach_internal.h"
#include "error_internal.h"

#include <stdlib.h>
#include <string.h>

/* The initiator of a flow picks its port from the ephemeral range; an entry
 * that needs a particular initiator port cannot be relied on, so it matches
 * only when it admits all of 1024..65535. */
#define EPHEMERAL_LO 1024

static bool admits_ephemeral(uint16_t lo, uint16_t hi)
{
    return (lo == 0 && hi == 0) || (lo <= EPHEMERAL_LO && hi == 65535);
}

int iotnet__reach_mud_cuts(const iotnet_net *net, int (*cut)(void *, int, uint16_t, uint16_t), void *payload)
{
    int error = 0;
    for (iotnet_index v = iotnet_node_next(net, IOTNET_NONE); v != IOTNET_NONE && !error; v = iotnet_node_next(net, v)) {
        size_t count = iotnet_node_mud_ace_count(net, v);
        for (size_t i = 0; i < count && !error; i++) {
            iotnet_mud_ace ace;
            if (iotnet_node_mud_ace_get(net, v, i, &ace) != 0)
                continue;
            if (!(error = cut(payload, ace.protocol, ace.src_port_lo, ace.src_port_hi)))
                error = cut(payload, ace.protocol, ace.dst_port_lo, ace.dst_port_hi);
        }
    }
    return error;
}

/* Masks of an ACE: for the packet opening a flow the responder's port is the
 * destination port; for a reply it is the source port. */
static void ace_masks(const reach_ctx *ctx, cace *a)
{
    const iotnet_mud_ace *x = &a->ace;
    bool ports = x->protocol == IOTNET_PROTO_TCP || x->protocol == IOTNET_PROTO_UDP || x->protocol == IOTNET_PROTO_SCTP;
    if (!ports) {
        iotnet__mask_range(ctx, a->mask_open, x->protocol, 0, 0);
        iotnet__mask_range(ctx, a->mask_reply, x->protocol, 0, 0);
        return;
    }
    if (admits_ephemeral(x->src_port_lo, x->src_port_hi))
        iotnet__mask_range(ctx, a->mask_open, x->protocol, x->dst_port_lo, x->dst_port_hi);
    if (admits_ephemeral(x->dst_port_lo, x->dst_port_hi))
        iotnet__mask_range(ctx, a->mask_reply, x->protocol, x->src_port_lo, x->src_port_hi);
}

/* The enforcement points nearest a device through forwarding nodes (all of
 * them when several are equally near: a device homed on two routers is
 * enforced at both), breadth first by hops; appended to `found`. */
int iotnet__nearest_gateways(const reach_ctx *ctx, uint32_t device, uint32_t *queue, uint8_t *seen,
                             iotnet__u32vec *found)
{
    uint32_t head = 0, tail = 0, level_end, start = found->count;
    queue[tail++] = device;
    seen[device] = 1;
    int error = 0;
    while (head < tail && found->count == start && !error) {
        level_end = tail;
        for (; head < level_end && !error; head++) {
            uint32_t v = queue[head];
            /* the search goes on through forwarding nodes only, not across the Internet */
            if (v != device && !iotnet_kind_is_a(ctx->net, ctx->net->nodes.kind[v], ctx->net->kind_forwarding))
                continue;
            for (uint32_t k = ctx->adj_first[v]; k < ctx->adj_first[v + 1] && !error; k++) {
                uint32_t w = ctx->adjs[k].node;
                if (seen[w] || !ctx->transit[w])
                    continue;
                seen[w] = 1;
                queue[tail++] = w;
                if (ctx->enforce[w] && !(error = IOTNET__VEC_PUSH_ROOM(*found)))
                    found->items[found->count++] = w;
            }
        }
    }
    for (uint32_t i = 0; i < tail; i++)
        seen[queue[i]] = 0;
    return error;
}

static int gateways_of(const reach_ctx *ctx, uint32_t device, uint32_t *queue, uint8_t *seen, cmud *m)
{
    iotnet__u32vec found = {0};
    int error = iotnet__nearest_gateways(ctx, device, queue, seen, &found);
    m->gateways = found.items;
    m->ngateways = found.count;
    return error;
}

static int profile_build(reach_ctx *ctx, uint32_t v, size_t count, uint32_t *queue, uint8_t *seen)
{
    cmud *m = calloc(1, sizeof *m);
    word *masks = m ? iotnet__bits_new(ctx, 2 * count + 1) : NULL;
    if (m)
        m->aces = calloc(count + 1, sizeof(cace));
    if (!m || !masks || !m->aces) {
        free(masks);
        if (m)
            free(m->aces);
        free(m);
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for compiled MUD profiles");
    }
    ctx->mud[v] = m;
    m->masks = masks;
    m->mud_url = iotnet__text(ctx->net, ctx->net->nodes.mud_url[v]);
    int error = gateways_of(ctx, v, queue, seen, m);
    if (error)
        return error;
    for (uint32_t g = 0; g < m->ngateways; g++)
        ctx->mud_gateway[m->gateways[g]] = 1;
    for (size_t i = 0; i < count; i++) {
        cace *a = &m->aces[m->count];
        if (iotnet_node_mud_ace_get(ctx->net, v, i, &a->ace) != 0)
            continue;
        a->mask_open = masks + 2 * i * ctx->atoms.words;
        a->mask_reply = a->mask_open + ctx->atoms.words;
        if (a->ace.peer == IOTNET_MUD_PEER_CIDR && a->ace.peer_value &&
            iotnet_ipv4_parse(&a->cidr, &a->prefix_len, a->ace.peer_value) != 0)
            continue; /* checked when the ACE was stored */
        ace_masks(ctx, a);
        m->count++;
    }
    return 0;
}

int iotnet__reach_mud_build(reach_ctx *ctx)
{
    ctx->dns_names = iotnet__attr_column(ctx->net, IOTNET_ENTITY_NODE, "dns-name");
    ctx->controllers = iotnet__attr_column(ctx->net, IOTNET_ENTITY_NODE, "mud-controller");
    ctx->mud = calloc(ctx->n + 1, sizeof(cmud *));
    ctx->mud_gateway = calloc(ctx->n + 1, 1);
    uint32_t *queue = malloc(((size_t)ctx->n + 1) * sizeof(uint32_t));
    uint8_t *seen = calloc(ctx->n + 1, 1);
    int error = 0;
    if (!ctx->mud || !ctx->mud_gateway || !queue || !seen)
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory for compiled MUD profiles");
    for (uint32_t v = 0; v < ctx->n && !error; v++) {
        if (!ctx->net->nodes.alive[v] || !iotnet_node_mud_exists(ctx->net, v))
            continue;
        error = profile_build(ctx, v, iotnet_node_mud_ace_count(ctx->net, v), queue, seen);
    }
    free(queue);
    free(seen);
    return error;
}

void iotnet__reach_mud_free(reach_ctx *ctx)
{
    free(ctx->mud_gateway);
    ctx->mud_gateway = NULL;
    if (!ctx->mud)
        return;
    for (uint32_t v = 0; v < ctx->n; v++)
        if (ctx->mud[v]) {
            free(ctx->mud[v]->masks);
            free(ctx->mud[v]->gateways);
            free(ctx->mud[v]->aces);
            free(ctx->mud[v]);
        }
    free(ctx->mud);
    ctx->mud = NULL;
}
