/* NAT state exists only when a device made it (RFC 4787 §4.1, RFC 6887,
 * UPnP IGD): a hole-punched mapping after the device has sent UDP out
 * through every NAT on the way, a pinhole after its UPnP or PCP request has
 * reached the NAT in front of it. These are flows the device opens itself,
 * and every policy and MUD profile on the way decides them as any other. */
#include "reach_internal.h"

#include <stdlib.h>
#include <string.h>

#define W(ctx) ((ctx)->atoms.words)

/* The device's own flow of `kind` leaving it from `from`: its host policy. */
static word *device_start(reach_ctx *ctx, endpoint from, endpoint to, const word *kind)
{
    word *bits = ctx->scratch + (size_t)SCRATCH_DEVICE * W(ctx);
    memcpy(bits, kind, W(ctx) * sizeof(word));
    iotnet__policy_narrow(ctx, from.node, from, to, bits);
    return bits;
}

/* The flow a pinhole request needs, arriving at the NAT `nat` itself: its
 * own policy for traffic to itself (no MUD: the NAT is the flow's end). */
static bool request_arrives(reach_ctx *ctx, uint32_t nat, endpoint src, word *bits)
{
    iotnet__policy_narrow(ctx, nat, src, (endpoint){nat, IOTNET_NONE}, bits);
    return iotnet__bits_any(bits, W(ctx));
}

/* Which of the pinhole requests `node`'s services need at NAT node `nat`. */
static uint8_t requests_needed(const reach_ctx *ctx, uint32_t node, uint32_t nat_node)
{
    const iotnet_net *net = ctx->net;
    const nat_rec *nat = &net->nats.items[net->nodes.nat[nat_node]];
    uint8_t need = 0;
    for (uint32_t s = net->nodes.first_service[node]; s != IOTNET_NONE; s = net->services.items[s].next) {
        uint8_t t = net->services.items[s].traversal;
        if (t == IOTNET_TRAVERSAL_UPNP && nat->upnp)
            need |= PINHOLE_UPNP;
        else if (t == IOTNET_TRAVERSAL_PCP && nat->pcp)
            need |= PINHOLE_PCP;
    }
    return need;
}

/* Whether `node` declares a service opened by UPnP or PCP. */
static bool has_pinhole_service(const iotnet_net *net, uint32_t node)
{
    for (uint32_t s = net->nodes.first_service[node]; s != IOTNET_NONE; s = net->services.items[s].next)
        if (net->services.items[s].traversal == IOTNET_TRAVERSAL_UPNP ||
            net->services.items[s].traversal == IOTNET_TRAVERSAL_PCP)
            return true;
    return false;
}

static bool has_hole_punch(const iotnet_net *net, uint32_t node)
{
    for (uint32_t s = net->nodes.first_service[node]; s != IOTNET_NONE; s = net->services.items[s].next)
        if (net->services.items[s].traversal == IOTNET_TRAVERSAL_HOLE_PUNCH &&
            net->services.items[s].protocol == IOTNET_PROTO_UDP)
            return true;
    return false;
}

static const word *request_kind(const reach_ctx *ctx, uint8_t which)
{
    return which == PINHOLE_UPNP ? ctx->tcp_mask : ctx->pcp_mask;
}

/* ---- the destination, walking the chain from its end back -------------- */

uint8_t iotnet__dest_pinholes(reach_ctx *ctx, uint32_t c, uint32_t dest)
{
    uint32_t nat_el = IOTNET_NONE;
    for (uint32_t i = c; i != 0 && nat_el == IOTNET_NONE; i = ctx->chain.items[i].parent) {
        uint8_t t = ctx->chain.items[i].type;
        if (t == EL_HAIRPIN || t == EL_NAT_OUT)
            return 0;
        if (t == EL_NAT_IN)
            nat_el = i;
    }
    if (nat_el == IOTNET_NONE)
        return 0;
    uint32_t nat = ctx->chain.items[nat_el].node;
    uint8_t need = requests_needed(ctx, dest, nat), ok = 0;
    endpoint to = {nat, IOTNET_NONE}, src = DEST_END(ctx, dest);
    for (uint8_t which = PINHOLE_UPNP; which <= PINHOLE_PCP; which <<= 1) {
        if (!(need & which))
            continue;
        word *bits = device_start(ctx, src, to, request_kind(ctx, which));
        for (uint32_t i = c; i != nat_el; i = ctx->chain.items[i].parent)
            iotnet__node_narrow(ctx, ctx->chain.items[i].node, src, to, dest, IOTNET_NONE, bits);
        if (request_arrives(ctx, nat, src, bits))
            ok |= which;
    }
    return ok;
}

bool iotnet__dest_udp_out(reach_ctx *ctx, uint32_t c, uint32_t dest)
{
    uint32_t stop = IOTNET_NONE; /* the outermost NAT the chain enters */
    for (uint32_t i = c; i != 0; i = ctx->chain.items[i].parent)
        if (ctx->chain.items[i].type == EL_NAT_IN)
            stop = i;
    if (stop == IOTNET_NONE)
        return true;
    endpoint to = iotnet__back_target(ctx, c), src = DEST_END(ctx, dest);
    word *bits = device_start(ctx, src, to, ctx->udp_mask);
    for (uint32_t i = c;; i = ctx->chain.items[i].parent) {
        const chain_el *e = &ctx->chain.items[i];
        if (e->type == EL_NAT_OUT) /* a NAT it would have to enter from outside */
            return false;
        iotnet__node_narrow(ctx, e->node, src, to, dest, ctx->source, bits);
        if (!iotnet__bits_any(bits, W(ctx)))
            return false;
        if (i == stop)
            return true;
        if (e->type == EL_NAT_IN) /* leaving through it: its outside address from here */
            src = (endpoint){e->node, ctx->nat_outside_iface[e->node]};
    }
}

/* ---- the source, walking the chain from its root ----------------------- */

/* The elements of chain c in the order the source crosses them, into
 * ctx->walk; their number. */
static size_t chain_order(reach_ctx *ctx, uint32_t c)
{
    size_t n = 0;
    for (uint32_t i = c; i != 0; i = ctx->chain.items[i].parent)
        ctx->walk[n++] = i;
    for (size_t a = 0, b = n; a + 1 < b; a++, b--) {
        uint32_t t = ctx->walk[a];
        ctx->walk[a] = ctx->walk[b - 1];
        ctx->walk[b - 1] = t;
    }
    return n;
}

uint8_t iotnet__source_pinholes(reach_ctx *ctx, uint32_t c)
{
    uint32_t src_node = ctx->source;
    if (!has_pinhole_service(ctx->net, src_node))
        return 0;
    size_t n = chain_order(ctx, c), k = 0;
    while (k < n && ctx->chain.items[ctx->walk[k]].type != EL_NAT_OUT) {
        if (ctx->chain.items[ctx->walk[k]].type == EL_NAT_IN)
            return 0;
        k++;
    }
    if (k == n)
        return 0;
    uint32_t nat = ctx->chain.items[ctx->walk[k]].node;
    uint8_t need = requests_needed(ctx, src_node, nat), ok = 0;
    endpoint to = {nat, IOTNET_NONE}, src = SOURCE_END(ctx);
    for (uint8_t which = PINHOLE_UPNP; which <= PINHOLE_PCP; which <<= 1) {
        if (!(need & which))
            continue;
        word *bits = device_start(ctx, src, to, request_kind(ctx, which));
        for (size_t j = 0; j < k; j++)
            iotnet__node_narrow(ctx, ctx->chain.items[ctx->walk[j]].node, src, to, src_node, IOTNET_NONE, bits);
        if (request_arrives(ctx, nat, src, bits))
            ok |= which;
    }
    return ok;
}

bool iotnet__source_udp_out(reach_ctx *ctx, uint32_t c, uint32_t dest)
{
    uint32_t src_node = ctx->source;
    if (!has_hole_punch(ctx->net, src_node))
        return false;
    size_t n = chain_order(ctx, c), stop = n, first_in = n;
    for (size_t k = 0; k < n; k++) {
        uint8_t t = ctx->chain.items[ctx->walk[k]].type;
        if (t == EL_NAT_OUT)
            stop = k;
        else if (t == EL_NAT_IN && first_in == n)
            first_in = k;
    }
    if (stop == n)
        return true;
    if (first_in < stop) /* a NAT it would have to enter from outside */
        return false;
    uint32_t far_nat = first_in < n ? ctx->chain.items[ctx->walk[first_in]].node : IOTNET_NONE;
    endpoint to = far_nat != IOTNET_NONE ? (endpoint){far_nat, ctx->nat_outside_iface[far_nat]}
                                         : DEST_END(ctx, dest);
    endpoint src = SOURCE_END(ctx);
    word *bits = device_start(ctx, src, to, ctx->udp_mask);
    for (size_t k = 0; k <= stop; k++) {
        const chain_el *e = &ctx->chain.items[ctx->walk[k]];
        iotnet__node_narrow(ctx, e->node, src, to, src_node, dest, bits);
        if (!iotnet__bits_any(bits, W(ctx)))
            return false;
        if (e->type == EL_NAT_OUT)
            src = (endpoint){e->node, ctx->nat_outside_iface[e->node]};
    }
    return true;
}
