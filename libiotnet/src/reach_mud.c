/* MUD profiles compiled for the reachability engine: each ACE as atom
 * masks, and each device's access gateway. */
#include "reach_internal.h"
#include "mud_internal.h"
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

/* The attached profiles, read from the model's own records. */
static const mud_profile_rec *profile_at(const iotnet_net *net, uint32_t p)
{
    const mud_profile_rec *rec = &net->muds.items[p];
    return rec->node != IOTNET_NONE && iotnet__node_alive(net, rec->node) ? rec : NULL;
}

int iotnet__reach_mud_cuts(const iotnet_net *net, int (*cut)(void *, int, uint16_t, uint16_t), void *payload)
{
    int error = 0;
    for (uint32_t p = 0; p < net->muds.count && !error; p++) {
        const mud_profile_rec *rec = profile_at(net, p);
        for (uint32_t i = 0; rec && i < rec->aces.count && !error; i++) {
            const mud_ace_rec *a = &rec->aces.items[i];
            if (!(error = cut(payload, a->protocol, a->src_lo, a->src_hi)))
                error = cut(payload, a->protocol, a->dst_lo, a->dst_hi);
        }
    }
    return error;
}

/* Masks of an ACE: for the packet that opens a flow the responder's port is
 * the destination port; for a reply it is the source port. An ACE that
 * needs a particular opener port matches no packet in that role. */
static int ace_masks(reach_ctx *ctx, cace *a)
{
    const iotnet_mud_ace *x = &a->ace;
    bool ports = x->protocol == IOTNET_PROTO_TCP || x->protocol == IOTNET_PROTO_UDP || x->protocol == IOTNET_PROTO_SCTP;
    if (!ports) {
        a->mask_open = a->mask_reply = iotnet__mask_for(ctx, x->protocol, 0, 0);
    } else {
        a->mask_open = admits_ephemeral(x->src_port_lo, x->src_port_hi)
                           ? iotnet__mask_for(ctx, x->protocol, x->dst_port_lo, x->dst_port_hi)
                           : iotnet__mask_for(ctx, -1, 0, 0);
        a->mask_reply = admits_ephemeral(x->dst_port_lo, x->dst_port_hi)
                            ? iotnet__mask_for(ctx, x->protocol, x->src_port_lo, x->src_port_hi)
                            : iotnet__mask_for(ctx, -1, 0, 0);
    }
    return a->mask_open && a->mask_reply ? 0 : IOTNET_ENOMEM;
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
            if (v != device && !ctx_is_a(ctx, ctx->net->nodes.kind[v], ctx->net->kind_forwarding))
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

/* One device's profile into m, its entries into aces (room for all). */
static int profile_build(reach_ctx *ctx, const mud_profile_rec *rec, cmud *m, cace *aces, uint32_t *queue,
                         uint8_t *seen)
{
    uint32_t v = rec->node;
    ctx->mud[v] = m;
    m->aces = aces;
    m->mud_url = iotnet__text(ctx->net, ctx->net->nodes.mud_url[v]);
    int error = gateways_of(ctx, v, queue, seen, m);
    if (error)
        return error;
    for (uint32_t g = 0; g < m->ngateways; g++)
        ctx->mud_gateway[m->gateways[g]] = 1;
    for (uint32_t i = 0; i < rec->aces.count; i++) {
        cace *a = &m->aces[m->count];
        iotnet__mud_ace_read(&ctx->net->strings, &rec->aces.items[i], &a->ace);
        if (a->ace.peer == IOTNET_MUD_PEER_CIDR && a->ace.peer_value &&
            iotnet_ipv4_parse(&a->cidr, &a->prefix_len, a->ace.peer_value) != 0)
            continue; /* checked when the ACE was stored */
        if ((error = ace_masks(ctx, a)))
            return error;
        m->count++;
    }
    return 0;
}

/* Every profile compiled into two blocks, one of profiles and one of entries. */
int iotnet__reach_mud_build(reach_ctx *ctx)
{
    const iotnet_net *net = ctx->net;
    size_t profiles = 0, entries = 0;
    for (uint32_t p = 0; p < net->muds.count; p++) {
        const mud_profile_rec *rec = profile_at(net, p);
        profiles += rec != NULL;
        entries += rec ? rec->aces.count : 0;
    }
    ctx->dns_names = iotnet__attr_column(net, IOTNET_ENTITY_NODE, "dns-name");
    ctx->controllers = iotnet__attr_column(net, IOTNET_ENTITY_NODE, "mud-controller");
    ctx->mud = calloc(ctx->n + 1, sizeof(cmud *));
    ctx->mud_gateway = calloc(ctx->n + 1, 1);
    ctx->mud_profiles = calloc(profiles + 1, sizeof(cmud));
    ctx->mud_entries = calloc(entries + 1, sizeof(cace));
    uint32_t *queue = malloc(((size_t)ctx->n + 1) * sizeof(uint32_t));
    uint8_t *seen = calloc(ctx->n + 1, 1);
    int error = 0;
    if (!ctx->mud || !ctx->mud_gateway || !ctx->mud_profiles || !ctx->mud_entries || !queue || !seen)
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory for compiled MUD profiles");
    size_t k = 0, e = 0;
    for (uint32_t p = 0; p < net->muds.count && !error; p++) {
        const mud_profile_rec *rec = profile_at(net, p);
        if (!rec)
            continue;
        error = profile_build(ctx, rec, &ctx->mud_profiles[k++], ctx->mud_entries + e, queue, seen);
        e += rec->aces.count;
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
        if (ctx->mud[v])
            free(ctx->mud[v]->gateways);
    free(ctx->mud);
    free(ctx->mud_profiles);
    free(ctx->mud_entries);
    ctx->mud = NULL;
}
