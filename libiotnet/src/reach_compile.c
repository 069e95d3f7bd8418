/* Compiling a model for the reachability engine: the atoms every rule,
 * forward, service and MUD entry respects, link roles at NATs, transit and
 * enforcement flags, and policies as atom masks. */
#include "reach_internal.h"
#include "error_internal.h"

#include <stdlib.h>
#include <string.h>

const iotnet_exposure iotnet__level_class[LEVELS] = {
    IOTNET_EXPOSURE_HOLE_PUNCHABLE, IOTNET_EXPOSURE_PINHOLE, IOTNET_EXPOSURE_PORT_FORWARD,
    IOTNET_EXPOSURE_DIRECT};

/* ---- atoms ------------------------------------------------------------- */

typedef struct cuts {
    IOTNET__VEC(uint16_t) dom[PORT_DOMAINS];
} cuts;

static int cut_add(cuts *c, int dom, uint32_t port)
{
    if (port > 65535)
        return 0;
    int error = IOTNET__VEC_PUSH_ROOM(c->dom[dom]);
    if (!error)
        c->dom[dom].items[c->dom[dom].count++] = (uint16_t)port;
    return error;
}

static int domain_of(int protocol)
{
    switch (protocol) {
    case IOTNET_PROTO_UDP: return DOM_UDP;
    case IOTNET_PROTO_SCTP: return DOM_SCTP;
    case IOTNET_PROTO_ICMP: return DOM_ICMP;
    case IOTNET_PROTO_TCP:
    case IOTNET_PROTO_ANY: return DOM_TCP;
    default: return DOM_OTHER;
    }
}

/* Cut the port domains a (protocol, lo..hi) range touches; 0..0 is every port. */
static int cut_range(cuts *c, int protocol, uint16_t lo, uint16_t hi)
{
    if (lo == 0 && hi == 0)
        return 0;
    int error = 0;
    for (int d = 0; d < PORT_DOMAINS && !error; d++)
        if (protocol == IOTNET_PROTO_ANY || domain_of(protocol) == d)
            if (!(error = cut_add(c, d, lo)))
                error = cut_add(c, d, (uint32_t)hi + 1);
    return error;
}

static int cmp_u16(const void *a, const void *b)
{
    return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static int cuts_collect(const iotnet_net *net, cuts *c, int probe_proto, uint16_t probe_port)
{
    int error = 0;
    for (int d = 0; d < PORT_DOMAINS && !error; d++)
        error = cut_add(c, d, 0);
    if (!error && probe_proto)
        error = cut_range(c, probe_proto, probe_port, probe_port);
    for (uint32_t p = 0; p < net->policies.count && !error; p++) {
        const policy_rec *pol = &net->policies.items[p];
        if (pol->node == IOTNET_NONE)
            continue;
        for (uint32_t r = 0; r < pol->rules.count && !error; r++)
            error = cut_range(c, pol->rules.items[r].protocol, pol->rules.items[r].port_lo,
                              pol->rules.items[r].port_hi);
    }
    for (uint32_t n = 0; n < net->nats.count && !error; n++)
        for (uint32_t f = 0; f < net->nats.items[n].forwards.count && !error; f++) {
            const forward_rec *fw = &net->nats.items[n].forwards.items[f];
            uint16_t inner = fw->internal_port ? fw->internal_port : fw->external_port;
            if (!(error = cut_range(c, fw->protocol, fw->external_port, fw->external_port)))
                error = cut_range(c, fw->protocol, inner, inner);
        }
    for (uint32_t s = 0; s < net->services.count && !error; s++) {
        const service_rec *svc = &net->services.items[s];
        if (svc->node != IOTNET_NONE && svc->port)
            error = cut_range(c, svc->protocol ? svc->protocol : IOTNET_PROTO_TCP, svc->port, svc->port);
    }
    return error;
}

static int cut_cb(void *payload, int protocol, uint16_t lo, uint16_t hi)
{
    return cut_range(payload, protocol, lo, hi);
}

static int atoms_build(atom_space *a, cuts *c)
{
    uint32_t next = 0;
    for (int d = 0; d < PORT_DOMAINS; d++) {
        qsort(c->dom[d].items, c->dom[d].count, sizeof(uint16_t), cmp_u16);
        uint32_t k = 0;
        for (uint32_t i = 0; i < c->dom[d].count; i++)
            if (k == 0 || c->dom[d].items[i] != c->dom[d].items[k - 1])
                c->dom[d].items[k++] = c->dom[d].items[i];
        a->cut[d] = c->dom[d].items;
        a->ncut[d] = k;
        c->dom[d].items = NULL;
        a->first[d] = next;
        next += k;
    }
    a->first[DOM_ICMP] = next++;
    a->first[DOM_OTHER] = next++;
    a->first[DOM_COUNT] = next;
    a->words = (next + 63) / 64;
    return 0;
}

/* The atom of a port in a port domain: the last cut not above it. */
static uint32_t port_atom(const atom_space *a, int d, uint16_t port)
{
    uint32_t lo = 0, hi = a->ncut[d];
    while (hi - lo > 1) {
        uint32_t mid = (lo + hi) / 2;
        if (a->cut[d][mid] <= port)
            lo = mid;
        else
            hi = mid;
    }
    return a->first[d] + lo;
}

uint32_t iotnet__atom_of(const atom_space *a, int protocol, uint16_t port)
{
    int d = domain_of(protocol);
    return d < PORT_DOMAINS ? port_atom(a, d, port) : a->first[d];
}

bool iotnet__bits_any(const word *b, uint32_t words)
{
    for (uint32_t w = 0; w < words; w++)
        if (b[w])
            return true;
    return false;
}

word *iotnet__bits_new(const reach_ctx *ctx, size_t sets)
{
    word *b = calloc(sets * ctx->atoms.words, sizeof(word));
    if (!b)
        iotnet__error_set(IOTNET_ENOMEM, "out of memory for reachability bitsets");
    return b;
}

/* Set the atoms of (protocol, lo..hi) in `mask`; 0..0 is every port, and with
 * protocol ANY and every port also ICMP and other protocols. */
static void mask_range(const atom_space *a, word *mask, int protocol, uint16_t lo, uint16_t hi)
{
    bool every_port = lo == 0 && hi == 0;
    if (every_port)
        hi = 65535;
    for (int d = 0; d < DOM_COUNT; d++) {
        bool ours = protocol == IOTNET_PROTO_ANY ? (d < PORT_DOMAINS || every_port) : domain_of(protocol) == d;
        if (!ours)
            continue;
        uint32_t from = d < PORT_DOMAINS ? port_atom(a, d, lo) : a->first[d];
        uint32_t to = d < PORT_DOMAINS ? port_atom(a, d, hi) : a->first[d];
        for (uint32_t x = from; x <= to; x++)
            bit_set(mask, x);
    }
}

void iotnet__mask_range(const reach_ctx *ctx, word *mask, int protocol, uint16_t lo, uint16_t hi)
{
    mask_range(&ctx->atoms, mask, protocol, lo, hi);
}

int iotnet__probe_parse(const char *text, int *protocol, uint16_t *port)
{
    int lo, hi;
    if (iotnet__service_parse(text, strlen(text), protocol, &lo, &hi) != 0 || lo != hi || *protocol == IOTNET_PROTO_ANY)
        return iotnet__error_set(IOTNET_EINVAL, "service \"%s\" is not tcp/PORT, udp/PORT, sctp/PORT or icmp", text);
    *port = (uint16_t)lo;
    return 0;
}

/* ---- graph ------------------------------------------------------------- */

static uint8_t end_role(const iotnet_net *net, uint32_t node, iotnet__str iface)
{
    uint32_t n = net->nodes.nat[node];
    if (n == IOTNET_NONE || !iface)
        return ROLE_PLAIN;
    const nat_rec *nat = &net->nats.items[n];
    const char *name = iotnet__text(net, iface);
    if (iface == nat->outside)
        return ROLE_OUTSIDE;
    return iotnet__words_contain(iotnet__text(net, nat->inside), name) ? ROLE_INSIDE : ROLE_PLAIN;
}

static int graph_build(reach_ctx *ctx)
{
    const iotnet_net *net = ctx->net;
    ctx->adj_first = calloc((size_t)ctx->n + 1, sizeof(uint32_t));
    ctx->adjs = malloc(((size_t)net->links.live * 2 + 1) * sizeof(adj));
    if (!ctx->adj_first || !ctx->adjs)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for the link graph");
    for (uint32_t l = 0; l < net->links.count; l++)
        if (net->links.alive[l]) {
            ctx->adj_first[net->links.a[l] + 1]++;
            ctx->adj_first[net->links.b[l] + 1]++;
        }
    for (uint32_t v = 0; v < ctx->n; v++)
        ctx->adj_first[v + 1] += ctx->adj_first[v];
    uint32_t *fill = malloc(((size_t)ctx->n + 1) * sizeof(uint32_t));
    if (!fill)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for the link graph");
    memcpy(fill, ctx->adj_first, ((size_t)ctx->n + 1) * sizeof(uint32_t));
    for (uint32_t l = 0; l < net->links.count; l++) {
        if (!net->links.alive[l])
            continue;
        uint32_t a = net->links.a[l], b = net->links.b[l];
        uint8_t ra = end_role(net, a, net->links.a_iface[l]), rb = end_role(net, b, net->links.b_iface[l]);
        ctx->adjs[fill[a]++] = (adj){b, l, ra, rb};
        ctx->adjs[fill[b]++] = (adj){a, l, rb, ra};
    }
    free(fill);
    return 0;
}

/* Nodes the internet selector and local-networks see as the internet side. */
static bool on_internet_side(const iotnet_net *net, uint32_t v, iotnet_kind internet_zone, iotnet_kind cloud_zone,
                             iotnet_kind cloud_service)
{
    iotnet_kind k = net->nodes.kind[v];
    if (iotnet_kind_is_a(net, k, net->kind_internet) || iotnet_kind_is_a(net, k, cloud_service))
        return true;
    uint32_t z = net->nodes.zone[v];
    if (z == IOTNET_NONE)
        return false;
    return iotnet_kind_is_a(net, net->zones.kind[z], internet_zone) ||
           iotnet_kind_is_a(net, net->zones.kind[z], cloud_zone);
}

static int flags_build(reach_ctx *ctx)
{
    const iotnet_net *net = ctx->net;
    iotnet_kind iz = IOTNET_NONE, cz = IOTNET_NONE, cs = IOTNET_NONE;
    iotnet_kind_find(net, &iz, "internet-zone");
    iotnet_kind_find(net, &cz, "cloud-zone");
    iotnet_kind_find(net, &cs, "cloud-service");
    iotnet_error_clear();
    ctx->transit = calloc(ctx->n + 1, 1);
    ctx->enforce = calloc(ctx->n + 1, 1);
    ctx->internet_side = calloc(ctx->n + 1, 1);
    ctx->has_policy = calloc(ctx->n + 1, 1);
    ctx->nat_outside_iface = malloc(((size_t)ctx->n + 1) * sizeof(uint32_t));
    if (!ctx->transit || !ctx->enforce || !ctx->internet_side || !ctx->has_policy || !ctx->nat_outside_iface)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for node flags");
    for (uint32_t v = 0; v < ctx->n; v++) {
        ctx->nat_outside_iface[v] = IOTNET_NONE;
        if (!net->nodes.alive[v])
            continue;
        iotnet_kind k = net->nodes.kind[v];
        ctx->transit[v] = iotnet_kind_is_a(net, k, net->kind_forwarding) || iotnet_kind_is_a(net, k, net->kind_internet);
        ctx->internet_side[v] = on_internet_side(net, v, iz, cz, cs);
        ctx->has_policy[v] = net->nodes.policy[v] != IOTNET_NONE;
        ctx->enforce[v] = ctx->has_policy[v] || net->nodes.nat[v] != IOTNET_NONE;
        if (net->nodes.nat[v] != IOTNET_NONE)
            ctx->nat_outside_iface[v] = iotnet__iface_find(net, v, iotnet__text(net, net->nats.items[net->nodes.nat[v]].outside));
    }
    return 0;
}

static int policies_build(reach_ctx *ctx)
{
    const iotnet_net *net = ctx->net;
    ctx->policies = calloc(ctx->n + 1, sizeof(cpolicy));
    if (!ctx->policies)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for compiled policies");
    for (uint32_t v = 0; v < ctx->n; v++) {
        if (!ctx->has_policy[v])
            continue;
        const policy_rec *pol = &net->policies.items[net->nodes.policy[v]];
        cpolicy *cp = &ctx->policies[v];
        cp->default_accept = pol->default_action == IOTNET_ACTION_ACCEPT;
        if (!pol->rules.count)
            continue;
        cp->rules = calloc(pol->rules.count, sizeof(crule));
        word *masks = cp->masks = iotnet__bits_new(ctx, pol->rules.count);
        if (!cp->rules || !masks)
            return iotnet__error_set(IOTNET_ENOMEM, "out of memory for compiled policies");
        for (uint32_t r = 0; r < pol->rules.count; r++) {
            const rule_rec *rule = &pol->rules.items[r];
            if (rule->initiated == IOTNET_INITIATED_TO)
                continue; /* reply traffic only: never opens a flow */
            crule *cr = &cp->rules[cp->count++];
            cr->rule = rule;
            cr->mask = masks + (size_t)r * ctx->atoms.words;
            mask_range(&ctx->atoms, cr->mask, rule->protocol, rule->port_lo, rule->port_hi);
        }
    }
    return 0;
}

int iotnet__reach_ctx_init(reach_ctx *ctx, const iotnet_net *net, int probe_proto, uint16_t probe_port)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->net = net;
    ctx->n = net->nodes.count;
    ctx->step_limit = 200000000ull;
    cuts c;
    memset(&c, 0, sizeof c);
    int error = cuts_collect(net, &c, probe_proto, probe_port);
    if (!error)
        error = iotnet__reach_mud_cuts(net, cut_cb, &c);
    if (!error)
        error = atoms_build(&ctx->atoms, &c);
    for (int d = 0; d < PORT_DOMAINS; d++)
        free(c.dom[d].items);
    if (error)
        goto cleanup;
    if (!(ctx->all = iotnet__bits_new(ctx, 1))) {
        error = IOTNET_ENOMEM;
        goto cleanup;
    }
    for (uint32_t x = 0; x < ctx->atoms.first[DOM_COUNT]; x++)
        bit_set(ctx->all, x);
    if (!(ctx->scratch = iotnet__bits_new(ctx, SCRATCH_SETS))) {
        error = IOTNET_ENOMEM;
        goto cleanup;
    }
    if ((error = graph_build(ctx)) || (error = flags_build(ctx)) || (error = policies_build(ctx)) ||
        (error = iotnet__reach_mud_build(ctx)))
        goto cleanup;
    return 0;
cleanup:
    iotnet__reach_ctx_free(ctx);
    return error;
}

int iotnet__reach_graph_init(reach_ctx *ctx, const iotnet_net *net)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->net = net;
    ctx->n = net->nodes.count;
    int error = graph_build(ctx);
    if (!error)
        error = flags_build(ctx);
    if (error)
        iotnet__reach_ctx_free(ctx);
    return error;
}

void iotnet__reach_ctx_free(reach_ctx *ctx)
{
    for (int d = 0; d < PORT_DOMAINS; d++)
        free(ctx->atoms.cut[d]);
    if (ctx->policies)
        for (uint32_t v = 0; v < ctx->n; v++) {
            free(ctx->policies[v].masks);
            free(ctx->policies[v].rules);
        }
    iotnet__reach_mud_free(ctx);
    iotnet__chain_reset(ctx);
    free(ctx->chain.items);
    free(ctx->chain_slots);
    free(ctx->policies);
    free(ctx->all);
    free(ctx->adj_first);
    free(ctx->adjs);
    free(ctx->transit);
    free(ctx->enforce);
    free(ctx->internet_side);
    free(ctx->has_policy);
    free(ctx->nat_outside_iface);
    free(ctx->scratch);
    memset(ctx, 0, sizeof *ctx);
}
