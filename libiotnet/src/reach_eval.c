/* Decisions of the reachability engine as atom bitsets: firewall policies
 * (first match), MUD profiles (stateless, both directions), NAT44 admission
 * of inbound flows, and the chains of decisions that paths share. */
#include "reach_internal.h"
#include "error_internal.h"

#include <stdlib.h>
#include <string.h>

/* Levels of the bitset vectors (see reach_internal.h). Forwards and
 * pinholes need the flow to have passed every NAT before them without hole
 * punching; a hole-punched mapping only carries hole-punched flows on. */
enum { LV_HOLE_PUNCH = 0, LV_PINHOLE = 1, LV_FORWARD = 2, LV_DIRECT = 3 };

#define W(ctx) ((ctx)->atoms.words)

/* ---- selectors ----------------------------------------------------------- */

static bool address_in(const iotnet_net *net, endpoint e, uint32_t prefix, uint8_t len)
{
    uint32_t mask = len ? ~(uint32_t)0 << (32 - len) : 0;
    if (e.iface != IOTNET_NONE) {
        const iface_rec *i = &net->ifaces.items[e.iface];
        return i->ipv4 && (i->ipv4 & mask) == (prefix & mask);
    }
    for (uint32_t i = net->nodes.first_iface[e.node]; i != IOTNET_NONE; i = net->ifaces.items[i].next)
        if (net->ifaces.items[i].ipv4 && (net->ifaces.items[i].ipv4 & mask) == (prefix & mask))
            return true;
    return false;
}

cside iotnet__side_of(const iotnet_net *net, const selector_rec *sel)
{
    uint32_t ref = IOTNET_NONE;
    switch (sel->type) {
    case IOTNET_SELECT_ZONE: ref = iotnet__idmap_get(&net->zones.by_id, sel->value); break;
    case IOTNET_SELECT_NODE: ref = iotnet__idmap_get(&net->nodes.by_id, sel->value); break;
    case IOTNET_SELECT_KIND: ref = iotnet__idmap_get(&net->kinds.by_name, sel->value); break;
    default: break;
    }
    return (cside){sel, ref == UINT32_MAX ? IOTNET_NONE : ref};
}

static inline bool side_ok(const reach_ctx *ctx, const cside *side, endpoint e)
{
    const iotnet_net *net = ctx->net;
    switch (side->sel->type) {
    case IOTNET_SELECT_ANY: return true;
    case IOTNET_SELECT_ZONE: return side->ref != IOTNET_NONE && net->nodes.zone[e.node] == side->ref;
    case IOTNET_SELECT_NODE: return e.node == side->ref;
    case IOTNET_SELECT_KIND: return side->ref != IOTNET_NONE && ctx_is_a(ctx, net->nodes.kind[e.node], side->ref);
    case IOTNET_SELECT_CIDR: return address_in(net, e, side->sel->ipv4, side->sel->prefix_len);
    case IOTNET_SELECT_INTERNET: return ctx->internet_side[e.node];
    default: return false;
    }
}

/* ---- first-match evaluation ---------------------------------------------- */

/* One step of first-match: the atoms of `mask` still undecided are decided
 * by this entry. Returns whether `probe` was among them. */
static inline bool decide(word *remaining, const word *mask, bool accept, word *out, uint32_t words, uint32_t probe)
{
    bool hit = probe != IOTNET_NONE && bit_test(remaining, probe) && bit_test(mask, probe);
    for (uint32_t w = 0; w < words; w++) {
        word taken = remaining[w] & mask[w];
        if (accept)
            out[w] |= taken;
        remaining[w] &= ~mask[w];
    }
    return hit;
}

/* First match over a node's rules; with from_ok, rules below 64 whose bit
 * is clear are skipped without looking at their from side, otherwise each
 * from side is checked as it comes. */
static void first_match(const reach_ctx *ctx, uint32_t node, const uint64_t *from_ok, endpoint src, endpoint dst,
                        word *out, uint32_t probe, const rule_rec **decided)
{
    const cpolicy *cp = &ctx->policies[node];
    uint32_t words = W(ctx);
    word *remaining = ctx->scratch;
    memcpy(remaining, ctx->all, words * sizeof(word));
    memset(out, 0, words * sizeof(word));
    if (decided)
        *decided = NULL;
    for (uint32_t r = 0; r < cp->count; r++) {
        const crule *cr = &cp->rules[r];
        bool from = from_ok && r < 64 ? (*from_ok >> r) & 1 : side_ok(ctx, &cr->from, src);
        if (!from || !side_ok(ctx, &cr->to, dst))
            continue;
        if (decide(remaining, cr->mask, cr->rule->action == IOTNET_ACTION_ACCEPT, out, words, probe) && decided)
            *decided = cr->rule;
        if (!iotnet__bits_any(remaining, words))
            return;
    }
    if (cp->default_accept)
        for (uint32_t w = 0; w < words; w++)
            out[w] |= remaining[w];
}

uint64_t iotnet__policy_from_mask(const reach_ctx *ctx, uint32_t node, endpoint src)
{
    const cpolicy *cp = &ctx->policies[node];
    uint64_t ok = 0;
    for (uint32_t r = 0; r < cp->count && r < 64; r++)
        if (side_ok(ctx, &cp->rules[r].from, src))
            ok |= (uint64_t)1 << r;
    return ok;
}

void iotnet__policy_eval(const reach_ctx *ctx, uint32_t node, endpoint src, endpoint dst, word *out,
                         uint32_t probe, const rule_rec **decided)
{
    first_match(ctx, node, NULL, src, dst, out, probe, decided);
}

void iotnet__policy_eval_from(const reach_ctx *ctx, uint32_t node, uint64_t from_ok, endpoint src, endpoint dst,
                              word *out)
{
    first_match(ctx, node, &from_ok, src, dst, out, IOTNET_NONE, NULL);
}

/* ---- one node's decisions on a flow --------------------------------------- */

void iotnet__policy_narrow(const reach_ctx *ctx, uint32_t node, endpoint src, endpoint dst, word *bits)
{
    word *mask = ctx->scratch + 2 * (size_t)W(ctx);
    if (!ctx->has_policy[node])
        return;
    iotnet__policy_eval(ctx, node, src, dst, mask, IOTNET_NONE, NULL);
    for (uint32_t w = 0; w < W(ctx); w++)
        bits[w] &= mask[w];
}

void iotnet__node_narrow(const reach_ctx *ctx, uint32_t node, endpoint src, endpoint dst, uint32_t opener,
                         uint32_t peer, word *bits)
{
    word *mask = ctx->scratch + 2 * (size_t)W(ctx);
    iotnet__policy_narrow(ctx, node, src, dst, bits);
    if (opener != IOTNET_NONE && src.node == opener && mud_enforced_at(ctx->mud[opener], node)) {
        iotnet__mud_eval(ctx, opener, dst, true, mask, IOTNET_NONE, NULL);
        for (uint32_t w = 0; w < W(ctx); w++)
            bits[w] &= mask[w];
    }
    if (peer != IOTNET_NONE && dst.node == peer && mud_enforced_at(ctx->mud[peer], node)) {
        iotnet__mud_eval(ctx, peer, src, false, mask, IOTNET_NONE, NULL);
        for (uint32_t w = 0; w < W(ctx); w++)
            bits[w] &= mask[w];
    }
}

/* ---- MUD --------------------------------------------------------------- */

/* Whether a node's string attribute (a space-separated list) holds `item`,
 * compared by `contains`. */
static bool attr_lists(const iotnet_net *net, const attr_column *col, uint32_t node, const char *item,
                       bool (*contains)(const char *, const char *))
{
    if (!col || !item || col->type != IOTNET_ATTR_STRING || node >= col->cap || !col->present[node])
        return false;
    return contains(iotnet__text(net, col->v.string[node]), item);
}

static bool peer_match(const reach_ctx *ctx, const cmud *m, const cace *a, endpoint peer)
{
    const iotnet_net *net = ctx->net;
    const char *peer_url = iotnet__text(net, net->nodes.mud_url[peer.node]);
    switch (a->ace.peer) {
    case IOTNET_MUD_PEER_ANY: return true;
    case IOTNET_MUD_PEER_DNSNAME:
        return attr_lists(net, ctx->dns_names, peer.node, a->ace.peer_value, iotnet__dns_names_contain);
    case IOTNET_MUD_PEER_CIDR: return address_in(net, peer, a->cidr, a->prefix_len);
    case IOTNET_MUD_PEER_MANUFACTURER: return iotnet__url_host_is(peer_url, a->ace.peer_value);
    case IOTNET_MUD_PEER_SAME_MANUFACTURER: return iotnet__url_same_host(peer_url, m->mud_url);
    case IOTNET_MUD_PEER_MODEL: return iotnet__url_equal(peer_url, a->ace.peer_value);
    case IOTNET_MUD_PEER_LOCAL_NETWORKS: return !ctx->internet_side[peer.node];
    case IOTNET_MUD_PEER_CONTROLLER:
        return attr_lists(net, ctx->controllers, peer.node, a->ace.peer_value, iotnet__urls_contain);
    case IOTNET_MUD_PEER_MY_CONTROLLER:
        return attr_lists(net, ctx->controllers, peer.node, m->mud_url, iotnet__urls_contain);
    default: return false;
    }
}

/* First match over one of the device's policies for one kind of packet. */
static void mud_policy(const reach_ctx *ctx, const cmud *m, iotnet_mud_direction policy, bool opening,
                       bool device_opens, endpoint peer, word *out, word *remaining, uint32_t probe,
                       const cace **decided)
{
    uint32_t words = W(ctx);
    memcpy(remaining, ctx->all, words * sizeof(word));
    memset(out, 0, words * sizeof(word));
    iotnet_mud_direction opener = device_opens ? IOTNET_MUD_FROM_DEVICE : IOTNET_MUD_TO_DEVICE;
    for (uint32_t i = 0; i < m->count; i++) {
        const cace *a = &m->aces[i];
        if (a->ace.policy != policy || (a->ace.initiated && a->ace.initiated != opener))
            continue;
        if (!peer_match(ctx, m, a, peer))
            continue;
        bool accept = a->ace.action == IOTNET_ACTION_ACCEPT;
        if (decide(remaining, opening ? a->mask_open : a->mask_reply, accept, out, words, probe) && decided &&
            (!*decided || !accept))
            *decided = a;
    }
}

void iotnet__mud_eval(const reach_ctx *ctx, uint32_t device, endpoint peer, bool device_opens, word *out,
                      uint32_t probe, const cace **decided)
{
    const cmud *m = ctx->mud[device];
    uint32_t words = W(ctx);
    word *remaining = ctx->scratch, *replies = ctx->scratch + words;
    iotnet_mud_direction open_policy = device_opens ? IOTNET_MUD_FROM_DEVICE : IOTNET_MUD_TO_DEVICE;
    iotnet_mud_direction reply_policy = device_opens ? IOTNET_MUD_TO_DEVICE : IOTNET_MUD_FROM_DEVICE;
    if (decided)
        *decided = NULL;
    mud_policy(ctx, m, open_policy, true, device_opens, peer, out, remaining, probe, decided);
    mud_policy(ctx, m, reply_policy, false, device_opens, peer, replies, remaining, probe, decided);
    for (uint32_t w = 0; w < words; w++)
        out[w] &= replies[w];
}

/* ---- chains -------------------------------------------------------------- */

static uint64_t chain_key_hash(uint32_t parent, uint32_t node, uint8_t type)
{
    uint64_t h = ((uint64_t)parent << 32 | node) * 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 29) ^ type;
}

void iotnet__chain_reset(reach_ctx *ctx)
{
    for (uint32_t i = 0; i < ctx->chain.count; i++) {
        free(ctx->chain.items[i].upstream);
        free(ctx->chain.items[i].back_up);
    }
    ctx->chain.count = 0;
    ctx->epoch++;
    if (ctx->chain_slots)
        memset(ctx->chain_slots, 0xFF, ctx->chain_nslots * sizeof(uint32_t));
}

static int chain_rehash(reach_ctx *ctx)
{
    uint32_t nslots = ctx->chain_nslots ? ctx->chain_nslots * 2 : 1024;
    uint32_t *slots = malloc(nslots * sizeof(uint32_t));
    if (!slots)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for reachability chains");
    memset(slots, 0xFF, nslots * sizeof(uint32_t));
    for (uint32_t i = 1; i < ctx->chain.count; i++) {
        const chain_el *e = &ctx->chain.items[i];
        uint64_t s = chain_key_hash(e->parent, e->node, e->type) & (nslots - 1);
        while (slots[s] != IOTNET_NONE)
            s = (s + 1) & (nslots - 1);
        slots[s] = i;
    }
    free(ctx->chain_slots);
    ctx->chain_slots = slots;
    ctx->chain_nslots = nslots;
    return 0;
}

int iotnet__chain_root(reach_ctx *ctx)
{
    int error = IOTNET__VEC_PUSH_ROOM(ctx->chain);
    if (!error)
        ctx->chain.items[ctx->chain.count++] = (chain_el){0, ctx->source, EL_ROOT, SOURCE_END(ctx), 0,
            ctx->has_policy[ctx->source] ? iotnet__policy_from_mask(ctx, ctx->source, SOURCE_END(ctx)) : 0,
            NULL, NULL};
    return error;
}

uint32_t iotnet__chain_find(const reach_ctx *ctx, uint32_t parent, uint32_t node, uint8_t type)
{
    uint64_t s = chain_key_hash(parent, node, type) & (ctx->chain_nslots - 1);
    for (uint32_t i; (i = ctx->chain_slots[s]) != IOTNET_NONE; s = (s + 1) & (ctx->chain_nslots - 1)) {
        const chain_el *e = &ctx->chain.items[i];
        if (e->parent == parent && e->node == node && e->type == type)
            return i;
    }
    return IOTNET_NONE;
}

int iotnet__chain_child(reach_ctx *ctx, uint32_t parent, uint32_t node, uint8_t type, endpoint src, uint32_t *out)
{
    int error;
    if ((ctx->chain.count + 1) * 2 > ctx->chain_nslots && (error = chain_rehash(ctx)))
        return error;
    uint32_t found = iotnet__chain_find(ctx, parent, node, type);
    if (found != IOTNET_NONE) {
        *out = found;
        return 0;
    }
    uint64_t s = chain_key_hash(parent, node, type) & (ctx->chain_nslots - 1);
    while (ctx->chain_slots[s] != IOTNET_NONE)
        s = (s + 1) & (ctx->chain_nslots - 1);
    if ((error = IOTNET__VEC_PUSH_ROOM(ctx->chain)))
        return error;
    uint32_t i = ctx->chain.count++;
    const chain_el *up = &ctx->chain.items[parent];
    uint8_t nat_out_above = parent && (up->nat_out_above || up->type == EL_NAT_OUT);
    uint64_t from_ok = ctx->has_policy[node] ? iotnet__policy_from_mask(ctx, node, src) : 0;
    ctx->chain.items[i] = (chain_el){parent, node, type, src, nat_out_above, from_ok, NULL, NULL};
    ctx->chain_slots[s] = i;
    *out = i;
    return 0;
}

const forward_rec *iotnet__forward_for(const reach_ctx *ctx, uint32_t nat, uint32_t target, uint32_t atom)
{
    const fwd_ref *refs;
    size_t n = iotnet__forwards_to(ctx, nat, target, &refs);
    for (size_t f = 0; f < n; f++) {
        const forward_rec *fw = refs[f].fw;
        uint16_t inner = fw->internal_port ? fw->internal_port : fw->external_port;
        if (fw->protocol == IOTNET_PROTO_ANY ? (iotnet__atom_of(&ctx->atoms, IOTNET_PROTO_TCP, inner) == atom ||
                                                iotnet__atom_of(&ctx->atoms, IOTNET_PROTO_UDP, inner) == atom)
                                             : iotnet__atom_of(&ctx->atoms, fw->protocol, inner) == atom)
            return fw;
    }
    return NULL;
}

uint32_t iotnet__forward_outer_atom(const reach_ctx *ctx, const forward_rec *fw, uint32_t inner)
{
    int proto = fw->protocol == IOTNET_PROTO_ANY ? iotnet__atom_protocol(&ctx->atoms, inner) : fw->protocol;
    return iotnet__atom_of(&ctx->atoms, proto, fw->external_port);
}

/* Set `inner` at the levels a mechanism gives when `outer` passed upstream:
 * a path's class is the least open mechanism on it, in whatever order.
 * A mapping further out holds the destination's own port, so only a
 * crossing that keeps the port (`keeps_port`) carries what passed there by
 * a mapping alone; hole punching takes everything. */
static void admit(const reach_ctx *ctx, const word *up, word *out, uint32_t outer, uint32_t inner, int mechanism,
                  bool keeps_port)
{
    uint32_t words = W(ctx);
    if (mechanism == LV_HOLE_PUNCH) {
        if (bit_test(up, outer))
            bit_set(out, inner);
        return;
    }
    for (int l = LV_HOLE_PUNCH; l <= mechanism; l++)
        if (bit_test(up + (size_t)(l == LV_HOLE_PUNCH && !keeps_port ? LV_PINHOLE : l) * words, outer))
            bit_set(out + (size_t)l * words, inner);
}

static void forward_atoms(const reach_ctx *ctx, const forward_rec *fw, uint32_t *outer, uint32_t *inner, int *n)
{
    uint16_t in_port = fw->internal_port ? fw->internal_port : fw->external_port;
    *n = 0;
    for (int p = 0; p < 2; p++) {
        int proto = fw->protocol == IOTNET_PROTO_ANY ? (p ? IOTNET_PROTO_UDP : IOTNET_PROTO_TCP) : fw->protocol;
        if (p && fw->protocol != IOTNET_PROTO_ANY)
            break;
        outer[*n] = iotnet__atom_of(&ctx->atoms, proto, fw->external_port);
        inner[*n] = iotnet__atom_of(&ctx->atoms, proto, in_port);
        (*n)++;
    }
}

/* Whether the destination's request made the pinhole of `which` for atom
 * `a`; asked only when something would reach it, and worked out once per
 * flow (the walk back to the NAT costs a few policy decisions). */
static bool pinhole_made(reach_ctx *ctx, const word *up, uint32_t a, uint32_t dest, uint8_t which)
{
    if (!bit_test(up + (size_t)LV_PINHOLE * W(ctx), a))
        return false;
    if (!ctx->pinholes_known) {
        ctx->pinholes_ok = iotnet__dest_pinholes(ctx, ctx->flow_chain, dest);
        ctx->pinholes_known = true;
    }
    return (ctx->pinholes_ok & which) != 0;
}

/* What NAT element `e` lets in towards `target`, given what passed before:
 * through port forwards (`out`, still subject to the node's policy) and
 * through NAT state, pinholes and hole-punched mappings (`state`, which the
 * node's own policy does not see: a UPnP daemon or the connection tracking
 * admits them ahead of it). */
static void nat_admit(reach_ctx *ctx, const chain_el *e, uint32_t target, uint32_t dest, word *out,
                      word *state)
{
    const iotnet_net *net = ctx->net;
    const nat_rec *nat = &net->nats.items[net->nodes.nat[e->node]];
    uint32_t words = W(ctx);
    const word *up = e->upstream;
    memset(out, 0, LEVELS * words * sizeof(word));
    memset(state, 0, LEVELS * words * sizeof(word));
    const fwd_ref *refs;
    size_t nf = iotnet__forwards_to(ctx, e->node, target, &refs);
    for (size_t f = 0; f < nf; f++) {
        uint32_t outer[2], inner[2];
        int n;
        const forward_rec *fw = refs[f].fw;
        bool keeps_port = !fw->internal_port || fw->internal_port == fw->external_port;
        forward_atoms(ctx, fw, outer, inner, &n);
        for (int k = 0; k < n; k++)
            admit(ctx, up, out, outer[k], inner[k], LV_FORWARD, keeps_port);
    }
    if (e->type == EL_HAIRPIN)
        return;
    bool eif = nat->filtering == IOTNET_NAT_FILTER_EI;
    if (target != dest) {
        /* towards a NAT further in: an endpoint-independent mapping carries
         * whatever that NAT's inside keeps hole-punched */
        if (eif)
            for (uint32_t w = 0; w < words; w++)
                state[w] |= up[w];
        return;
    }
    for (uint32_t s = net->nodes.first_service[target]; s != IOTNET_NONE; s = net->services.items[s].next) {
        const service_rec *svc = &net->services.items[s];
        uint32_t a = ctx->service_atom[s];
        /* a pinhole once the destination's request reached this NAT; a
         * mapping is checked against its UDP out in iotnet__flow_eval */
        if ((svc->traversal == IOTNET_TRAVERSAL_UPNP && nat->upnp && pinhole_made(ctx, up, a, dest, PINHOLE_UPNP)) ||
            (svc->traversal == IOTNET_TRAVERSAL_PCP && nat->pcp && pinhole_made(ctx, up, a, dest, PINHOLE_PCP)))
            admit(ctx, up, state, a, a, LV_PINHOLE, false);
        else if (svc->traversal == IOTNET_TRAVERSAL_HOLE_PUNCH && svc->protocol == IOTNET_PROTO_UDP && eif)
            admit(ctx, up, state, a, a, LV_HOLE_PUNCH, true);
    }
}

static void and_levels(word *bits, const word *mask, uint32_t words)
{
    for (int l = 0; l < LEVELS; l++)
        for (uint32_t w = 0; w < words; w++)
            bits[(size_t)l * words + w] &= mask[w];
}

static endpoint target_endpoint(const reach_ctx *ctx, uint32_t target, uint32_t dest)
{
    return target == dest ? DEST_END(ctx, dest) : (endpoint){target, ctx->nat_outside_iface[target]};
}

/* The firewall decision of element `e` for a flow addressed to `target`. */
static void element_policy(reach_ctx *ctx, const chain_el *e, uint32_t target, uint32_t dest, word *bits)
{
    if (!ctx->has_policy[e->node])
        return;
    word *mask = ctx->scratch + 2 * W(ctx);
    iotnet__policy_eval_from(ctx, e->node, e->from_ok, e->src, target_endpoint(ctx, target, dest), mask);
    and_levels(bits, mask, W(ctx));
}

/* The MUD decisions at element `e`: the source's profile when the node is
 * its gateway, the destination's when the flow is addressed to it. */
static void element_mud(reach_ctx *ctx, const chain_el *e, uint32_t target, uint32_t dest, word *bits)
{
    uint32_t words = W(ctx);
    word *mask = ctx->scratch + 2 * words;
    const cmud *ms = e->src.node == ctx->source ? ctx->mud[ctx->source] : NULL;
    if (mud_enforced_at(ms, e->node)) {
        iotnet__mud_eval(ctx, ctx->source, target_endpoint(ctx, target, dest), true, mask, IOTNET_NONE, NULL);
        and_levels(bits, mask, words);
    }
    const cmud *md = dest != IOTNET_NONE && target == dest ? ctx->mud[dest] : NULL;
    if (mud_enforced_at(md, e->node)) {
        iotnet__mud_eval(ctx, dest, e->src, false, mask, IOTNET_NONE, NULL);
        and_levels(bits, mask, words);
    }
}

static int upstream_fill(reach_ctx *ctx, uint32_t c)
{
    chain_el *e = &ctx->chain.items[c];
    if (e->upstream)
        return 0;
    word *up = iotnet__bits_new(ctx, LEVELS);
    if (!up)
        return IOTNET_ENOMEM;
    uint32_t parent = e->parent, node = e->node;
    iotnet__chain_eval(ctx, parent, node, IOTNET_NONE, up);
    ctx->chain.items[c].upstream = up; /* the vector may have moved: index again */
    return 0;
}

void iotnet__chain_eval(reach_ctx *ctx, uint32_t c, uint32_t target, uint32_t dest, word *out)
{
    uint32_t words = W(ctx);
    if (c == 0) { /* leaving the source: its own policy */
        for (int l = 0; l < LEVELS; l++)
            memcpy(out + (size_t)l * words, ctx->all, words * sizeof(word));
        element_policy(ctx, &ctx->chain.items[0], target, dest, out);
        return;
    }
    const chain_el *e = &ctx->chain.items[c];
    if (e->type == EL_NAT_IN || e->type == EL_HAIRPIN) {
        if (upstream_fill(ctx, c) != 0) {
            memset(out, 0, LEVELS * words * sizeof(word));
            return;
        }
        e = &ctx->chain.items[c];
        word *state = ctx->scratch + 5 * words;
        nat_admit(ctx, e, target, dest, out, state);
        element_policy(ctx, e, target, dest, out);
        for (size_t w = 0; w < LEVELS * (size_t)words; w++)
            out[w] |= state[w];
    } else {
        iotnet__chain_eval(ctx, e->parent, target, dest, out);
        e = &ctx->chain.items[c];
        element_policy(ctx, e, target, dest, out);
    }
    element_mud(ctx, e, target, dest, out);
}

endpoint iotnet__chain_src_after(const reach_ctx *ctx, uint32_t c)
{
    const chain_el *e = &ctx->chain.items[c];
    if (e->type == EL_NAT_OUT || e->type == EL_HAIRPIN)
        return (endpoint){e->node, ctx->nat_outside_iface[e->node]};
    return e->src;
}

/* What passed only by hole-punched mappings stays only where they exist:
 * on the destination's hole-punch UDP services, once it has sent UDP out
 * through every NAT on the way. */
static void mappings_check(reach_ctx *ctx, uint32_t c, uint32_t dest, word *out)
{
    const iotnet_net *net = ctx->net;
    uint32_t words = W(ctx);
    word *punched = out + (size_t)LV_HOLE_PUNCH * words, *pinhole = out + (size_t)LV_PINHOLE * words;
    bool any = false;
    for (uint32_t w = 0; w < words && !any; w++)
        any = (punched[w] & ~pinhole[w]) != 0;
    if (!any)
        return;
    word *held = ctx->scratch + (size_t)SCRATCH_DEVICE * words;
    bool udp_out = iotnet__dest_udp_out(ctx, c, dest);
    memset(held, 0, words * sizeof(word));
    for (uint32_t s = net->nodes.first_service[dest]; udp_out && s != IOTNET_NONE; s = net->services.items[s].next)
        if (net->services.items[s].traversal == IOTNET_TRAVERSAL_HOLE_PUNCH &&
            net->services.items[s].protocol == IOTNET_PROTO_UDP)
            bit_set(held, ctx->service_atom[s]);
    for (uint32_t w = 0; w < words; w++)
        punched[w] = pinhole[w] | (punched[w] & held[w]);
}

void iotnet__flow_eval(reach_ctx *ctx, uint32_t c, uint32_t dest, word *out)
{
    ctx->flow_chain = c;
    ctx->pinholes_known = false;
    iotnet__chain_eval(ctx, c, dest, dest, out);
    if (ctx->has_policy[dest]) { /* arriving: the destination's own policy */
        word *mask = ctx->scratch + 2 * W(ctx);
        iotnet__policy_eval(ctx, dest, iotnet__chain_src_after(ctx, c), DEST_END(ctx, dest), mask,
                            IOTNET_NONE, NULL);
        and_levels(out, mask, W(ctx));
    }
    mappings_check(ctx, c, dest, out);
}

/* ---- the way back: can the destination open a flow to the source? -------- */

endpoint iotnet__back_target(const reach_ctx *ctx, uint32_t c)
{
    for (uint32_t i = c; i != 0; i = ctx->chain.items[i].parent)
        if (ctx->chain.items[i].type == EL_NAT_OUT)
            return (endpoint){ctx->chain.items[i].node, ctx->nat_outside_iface[ctx->chain.items[i].node]};
    return SOURCE_END(ctx);
}

static void and_mask(word *bits, const word *mask, uint32_t words)
{
    for (uint32_t w = 0; w < words; w++)
        bits[w] &= mask[w];
}

/* The firewall of element `e` for a flow from `src` addressed to `dst` on its way back. */
static void back_policy(reach_ctx *ctx, const chain_el *e, endpoint src, endpoint dst, word *bits, word *also)
{
    word *mask = ctx->scratch + 2 * W(ctx);
    if (ctx->has_policy[e->node]) {
        iotnet__policy_eval(ctx, e->node, src, dst, mask, IOTNET_NONE, NULL);
        and_mask(bits, mask, W(ctx));
        if (also)
            and_mask(also, mask, W(ctx));
    }
}

/* MUD at element `e` on the way back: the opener's profile while its
 * address is untranslated, the source's when the flow is addressed to it. */
static void back_mud(reach_ctx *ctx, const chain_el *e, endpoint src, endpoint dst, uint32_t opener, word *bits,
                     word *also)
{
    uint32_t words = W(ctx);
    word *mask = ctx->scratch + 2 * words;
    const cmud *mo = opener != IOTNET_NONE && src.node == opener ? ctx->mud[opener] : NULL;
    if (mud_enforced_at(mo, e->node)) {
        iotnet__mud_eval(ctx, opener, dst, true, mask, IOTNET_NONE, NULL);
        and_mask(bits, mask, words);
        and_mask(also, mask, words);
    }
    const cmud *ms = dst.node == ctx->source ? ctx->mud[ctx->source] : NULL;
    if (mud_enforced_at(ms, e->node)) {
        iotnet__mud_eval(ctx, ctx->source, src, false, mask, IOTNET_NONE, NULL);
        and_mask(bits, mask, words);
        and_mask(also, mask, words);
    }
}

/* Add to `inner` the atoms the NAT's forwards to `target` carry in from
 * the `outer` atoms (external ports) that reach it. */
static void forward_inwards(const reach_ctx *ctx, uint32_t nat_node, uint32_t target, const word *outer, word *inner)
{
    const fwd_ref *refs;
    size_t nf = iotnet__forwards_to(ctx, nat_node, target, &refs);
    for (size_t f = 0; f < nf; f++) {
        uint32_t out_atoms[2], in_atoms[2];
        int n;
        forward_atoms(ctx, refs[f].fw, out_atoms, in_atoms, &n);
        for (int k = 0; k < n; k++)
            if (bit_test(outer, out_atoms[k]))
                bit_set(inner, in_atoms[k]);
    }
}

/* A NAT the way back enters from outside, towards `target`: forwards map
 * their external port to the internal one; the source's pinholes and
 * hole-punched mappings keep the port. `plain` is what passed without
 * leaning on a hole-punched mapping, `punched` what an endpoint-independent
 * NAT further out carried only because some mapping might exist. */
static void back_enter(reach_ctx *ctx, uint32_t nat_node, uint32_t target, word *plain, word *punched, word *state)
{
    const iotnet_net *net = ctx->net;
    const nat_rec *nat = &net->nats.items[net->nodes.nat[nat_node]];
    uint32_t words = W(ctx);
    word *p = ctx->scratch + 3 * words, *h = ctx->scratch + 4 * words;
    memset(p, 0, 2 * words * sizeof(word));
    memset(state, 0, words * sizeof(word));
    forward_inwards(ctx, nat_node, target, plain, p);
    bool eif = nat->filtering == IOTNET_NAT_FILTER_EI;
    for (uint32_t s = target == ctx->source ? net->nodes.first_service[target] : IOTNET_NONE; s != IOTNET_NONE;
         s = net->services.items[s].next) {
        const service_rec *svc = &net->services.items[s];
        uint32_t a = ctx->service_atom[s];
        if ((svc->traversal == IOTNET_TRAVERSAL_UPNP && nat->upnp && (ctx->source_pinholes_ok & PINHOLE_UPNP)) ||
            (svc->traversal == IOTNET_TRAVERSAL_PCP && nat->pcp && (ctx->source_pinholes_ok & PINHOLE_PCP))) {
            if (bit_test(plain, a))
                bit_set(state, a);
        } else if (svc->traversal == IOTNET_TRAVERSAL_HOLE_PUNCH && svc->protocol == IOTNET_PROTO_UDP && eif &&
                   ctx->source_udp_ok && (bit_test(plain, a) || bit_test(punched, a))) {
            bit_set(state, a);
        }
    }
    if (target != ctx->source && eif) /* NAT state as well: carried past the policy */
        for (uint32_t w = 0; w < words; w++)
            h[w] = plain[w] | punched[w];
    memcpy(plain, p, words * sizeof(word));
    memcpy(punched, h, words * sizeof(word));
}

/* The atoms of a flow from `src` (opened by `opener`) back to the source
 * along the chain from element c to the root: `plain` ends with what
 * arrives (in the ports of the last segment; only its emptiness is used). */
static void back_into(reach_ctx *ctx, uint32_t c, endpoint src, uint32_t opener, word *plain);

/* What passes the part of the chain before NAT element c for flows the NAT
 * sends back towards the source from its outside address. Only for
 * elements with no NAT to enter on that part: no forward changes ports
 * there, so the result is in the ports of c's segment. Computed once. */
static const word *back_above(reach_ctx *ctx, uint32_t c)
{
    if (ctx->chain.items[c].back_up)
        return ctx->chain.items[c].back_up;
    word *b = iotnet__bits_new(ctx, 1);
    if (!b)
        return NULL;
    const chain_el *e = &ctx->chain.items[c];
    back_into(ctx, e->parent, (endpoint){e->node, ctx->nat_outside_iface[e->node]}, IOTNET_NONE, b);
    ctx->chain.items[c].back_up = b;
    return b;
}

/* Walk the way back from element c to the root with `plain` (and
 * `punched`) passing so far, then arrive at the source. */
static void back_walk(reach_ctx *ctx, uint32_t c, endpoint src, uint32_t opener, word *plain, word *punched)
{
    uint32_t words = W(ctx);
    word *mask = ctx->scratch + 2 * words;
    /* go on while something passes: plainly, or on a hole-punched mapping further in */
    for (uint32_t i = c; i != 0 && (iotnet__bits_any(plain, words) || iotnet__bits_any(punched, words));
         i = ctx->chain.items[i].parent) {
        const chain_el *e = &ctx->chain.items[i];
        endpoint dst = iotnet__back_target(ctx, e->type == EL_NAT_OUT ? e->parent : i);
        word *state = ctx->scratch + 5 * words; /* NAT state admits past the node's policy */
        if (e->type == EL_NAT_OUT) {
            back_enter(ctx, e->node, dst.node, plain, punched, state);
            back_policy(ctx, e, src, dst, plain, NULL);
            for (uint32_t w = 0; w < words; w++)
                plain[w] |= state[w];
        } else {
            back_policy(ctx, e, src, dst, plain, punched);
        }
        back_mud(ctx, e, src, dst, opener, plain, punched);
        if (e->type == EL_NAT_IN && !e->nat_out_above) { /* the rest is shared by all behind this NAT */
            const word *above = back_above(ctx, i);
            for (uint32_t w = 0; w < words; w++)
                plain[w] = above ? plain[w] & above[w] : 0;
            return;
        }
        if (e->type == EL_NAT_IN) /* leaving through this NAT: its outside address from here */
            src = (endpoint){e->node, ctx->nat_outside_iface[e->node]};
    }
    if (ctx->has_policy[ctx->source] && iotnet__bits_any(plain, words)) { /* arriving at the source */
        iotnet__policy_eval(ctx, ctx->source, src, SOURCE_END(ctx), mask, IOTNET_NONE, NULL);
        and_mask(plain, mask, words);
    }
}

/* Whether the outgoing chain crosses element h's NAT from inside to inside
 * where it hairpins: the explorer then made a hairpin sibling of h. */
static bool hairpins_at(const reach_ctx *ctx, uint32_t h)
{
    const chain_el *e = &ctx->chain.items[h];
    if (e->type != EL_ROUTE || ctx->net->nodes.nat[e->node] == IOTNET_NONE)
        return false;
    return iotnet__chain_find(ctx, e->parent, e->node, EL_HAIRPIN) != IOTNET_NONE;
}

/* The way back by hairpinning at element h's NAT: the opener addresses
 * the NAT's outside address on a forward's external port (so the elements
 * between see that address), the NAT forwards to the way back's target and
 * shows the opener's flow as coming from its outside address. Only for
 * hairpins with no NAT entered or left between them and the opener. */
static bool back_by_hairpin(reach_ctx *ctx, uint32_t c, uint32_t h, endpoint src, uint32_t opener)
{
    uint32_t words = W(ctx);
    word *alt = ctx->scratch + (size_t)SCRATCH_HAIRPIN * words, *inner = alt + words;
    word *mask = ctx->scratch + 2 * words, *punched = ctx->scratch + (size_t)SCRATCH_BACK * words;
    const chain_el *e = &ctx->chain.items[h];
    endpoint nat_addr = {e->node, ctx->nat_outside_iface[e->node]};
    memcpy(alt, ctx->all, words * sizeof(word));
    memset(punched, 0, words * sizeof(word)); /* no hole-punched mapping on this way */
    if (ctx->has_policy[opener]) {
        iotnet__policy_eval(ctx, opener, src, nat_addr, mask, IOTNET_NONE, NULL);
        and_mask(alt, mask, words);
    }
    for (uint32_t i = c; i != h && iotnet__bits_any(alt, words); i = ctx->chain.items[i].parent) {
        back_policy(ctx, &ctx->chain.items[i], src, nat_addr, alt, NULL);
        back_mud(ctx, &ctx->chain.items[i], src, nat_addr, opener, alt, punched);
    }
    endpoint dst = iotnet__back_target(ctx, h);
    memset(inner, 0, words * sizeof(word));
    forward_inwards(ctx, e->node, dst.node, alt, inner);
    e = &ctx->chain.items[h];
    back_policy(ctx, e, src, dst, inner, NULL);
    back_mud(ctx, e, src, dst, opener, inner, punched);
    back_walk(ctx, e->parent, nat_addr, opener, inner, punched);
    return iotnet__bits_any(inner, words);
}

static void back_into(reach_ctx *ctx, uint32_t c, endpoint src, uint32_t opener, word *plain)
{
    uint32_t words = W(ctx);
    word *mask = ctx->scratch + 2 * words, *punched = ctx->scratch + (size_t)SCRATCH_BACK * words;
    memcpy(plain, ctx->all, words * sizeof(word));
    memset(punched, 0, words * sizeof(word));
    if (opener != IOTNET_NONE && ctx->has_policy[opener]) { /* leaving the opener */
        iotnet__policy_eval(ctx, opener, src, iotnet__back_target(ctx, c), mask, IOTNET_NONE, NULL);
        and_mask(plain, mask, words);
    }
    back_walk(ctx, c, src, opener, plain, punched);
    if (opener == IOTNET_NONE || iotnet__bits_any(plain, words))
        return;
    for (uint32_t h = c; h != 0; h = ctx->chain.items[h].parent) {
        uint8_t type = ctx->chain.items[h].type;
        if (type == EL_NAT_IN || type == EL_NAT_OUT)
            return;
        if (hairpins_at(ctx, h) && back_by_hairpin(ctx, c, h, src, opener)) {
            memcpy(plain, ctx->scratch + (size_t)(SCRATCH_HAIRPIN + 1) * words, words * sizeof(word));
            return;
        }
    }
}

bool iotnet__chain_reverse(reach_ctx *ctx, uint32_t c, uint32_t dest)
{
    ctx->source_pinholes_ok = iotnet__source_pinholes(ctx, c);
    ctx->source_udp_ok = iotnet__source_udp_out(ctx, c, dest);
    word *bits = ctx->scratch + (size_t)(SCRATCH_BACK - 1) * W(ctx);
    back_into(ctx, c, DEST_END(ctx, dest), dest, bits);
    return iotnet__bits_any(bits, W(ctx));
}
