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

/* Cut points of the port domains as bitmaps: a range cuts at its first port
 * and after its last. Setting a bit is O(1) whatever the number of rules. */
typedef struct cuts {
    uint64_t *bits[PORT_DOMAINS]; /* 65,536 bits each */
} cuts;

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

static void cut_at(cuts *c, int dom, uint32_t port)
{
    if (port <= 65535)
        c->bits[dom][port >> 6] |= (uint64_t)1 << (port & 63);
}

/* Cut the port domains a (protocol, lo..hi) range touches; 0..0 is every port. */
static void cut_range(cuts *c, int protocol, uint16_t lo, uint16_t hi)
{
    if (lo == 0 && hi == 0)
        return;
    for (int d = 0; d < PORT_DOMAINS; d++)
        if (protocol == IOTNET_PROTO_ANY || domain_of(protocol) == d) {
            cut_at(c, d, lo);
            cut_at(c, d, (uint32_t)hi + 1);
        }
}

/* Forwards chain when one forwards to a NAT that forwards again: the first
 * one's internal port must be the second one's external port exactly, so
 * both are cuts. Other forward ports are not: an external port is tested
 * against the interval that holds it, which every rule treats alike, and an
 * internal port lands in the interval of the service there (services are
 * cuts of their own). So the space does not grow with the forwards of a
 * carrier's many subscribers. */
static void cut_chained_forwards(const iotnet_net *net, cuts *c)
{
    for (uint32_t n = 0; n < net->nats.count; n++) {
        const nat_rec *nat = &net->nats.items[n];
        if (nat->node == IOTNET_NONE)
            continue;
        for (uint32_t f = 0; f < nat->forwards.count; f++) {
            const forward_rec *fw = &nat->forwards.items[f];
            uint32_t to = fw->to_node;
            if (to >= net->nodes.count || net->nodes.nat[to] == IOTNET_NONE)
                continue;
            uint16_t inner = fw->internal_port ? fw->internal_port : fw->external_port;
            cut_range(c, fw->protocol, inner, inner);
            const nat_rec *next = &net->nats.items[net->nodes.nat[to]];
            for (uint32_t g = 0; g < next->forwards.count; g++)
                cut_range(c, next->forwards.items[g].protocol, next->forwards.items[g].external_port,
                          next->forwards.items[g].external_port);
        }
    }
}

/* Rules, services, MUD entries and chained forwards cut the space. */
static void cuts_collect(const iotnet_net *net, cuts *c, int probe_proto, uint16_t probe_port)
{
    for (int d = 0; d < PORT_DOMAINS; d++)
        cut_at(c, d, 0);
    if (probe_proto)
        cut_range(c, probe_proto, probe_port, probe_port);
    for (uint32_t p = 0; p < net->policies.count; p++) {
        const policy_rec *pol = &net->policies.items[p];
        if (pol->node == IOTNET_NONE)
            continue;
        for (uint32_t r = 0; r < pol->rules.count; r++)
            cut_range(c, pol->rules.items[r].protocol, pol->rules.items[r].port_lo, pol->rules.items[r].port_hi);
    }
    for (uint32_t s = 0; s < net->services.count; s++) {
        const service_rec *svc = &net->services.items[s];
        if (svc->node != IOTNET_NONE && svc->port)
            cut_range(c, svc->protocol ? svc->protocol : IOTNET_PROTO_TCP, svc->port, svc->port);
    }
    cut_chained_forwards(net, c);
    for (uint32_t n = 0; n < net->nats.count; n++) /* PCP requests go to the NAT's udp/5351 */
        if (net->nats.items[n].node != IOTNET_NONE && net->nats.items[n].pcp)
            cut_range(c, IOTNET_PROTO_UDP, IOTNET_PCP_PORT, IOTNET_PCP_PORT);
}

static int cut_cb(void *payload, int protocol, uint16_t lo, uint16_t hi)
{
    cut_range(payload, protocol, lo, hi);
    return 0;
}

static int atoms_build(atom_space *a, const cuts *c)
{
    uint32_t next = 0;
    for (int d = 0; d < PORT_DOMAINS; d++) {
        uint32_t k = 0;
        for (uint32_t w = 0; w < 1024; w++)
            k += (uint32_t)__builtin_popcountll(c->bits[d][w]);
        if (!(a->cut[d] = malloc(k * sizeof(uint16_t))))
            return iotnet__error_set(IOTNET_ENOMEM, "out of memory for the atoms of the port space");
        k = 0;
        for (uint32_t w = 0; w < 1024; w++)
            for (uint64_t b = c->bits[d][w]; b; b &= b - 1)
                a->cut[d][k++] = (uint16_t)(w * 64 + (uint32_t)__builtin_ctzll(b));
        a->ncut[d] = k;
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

int iotnet__atom_protocol(const atom_space *a, uint32_t atom)
{
    static const int protocols[DOM_COUNT] = {IOTNET_PROTO_TCP, IOTNET_PROTO_UDP, IOTNET_PROTO_SCTP, IOTNET_PROTO_ICMP,
                                             IOTNET_PROTO_ANY};
    int d = 0;
    while (d + 1 < DOM_COUNT && atom >= a->first[d + 1])
        d++;
    return protocols[d];
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

/* Set atoms from..to (inclusive), a word at a time. */
static void bits_set_span(word *b, uint32_t from, uint32_t to)
{
    for (uint32_t w = from >> 6; w <= to >> 6; w++) {
        word m = ~(word)0;
        if (w == from >> 6)
            m &= ~(word)0 << (from & 63);
        if (w == to >> 6 && (to & 63) != 63)
            m &= ((word)1 << ((to & 63) + 1)) - 1;
        b[w] |= m;
    }
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
        if (ours)
            bits_set_span(mask, d < PORT_DOMAINS ? port_atom(a, d, lo) : a->first[d],
                          d < PORT_DOMAINS ? port_atom(a, d, hi) : a->first[d]);
    }
}

/* ---- masks, one per distinct (protocol, range) --------------------------- */

#define MASKS_PER_BLOCK 256

typedef struct mask_pool {
    word **blocks;                 /* masks never move: rules hold pointers */
    uint32_t nblocks, count;
    uint64_t *keys;                /* open addressing: key + 1, 0 empty */
    uint32_t *index;
    uint32_t nslots;
} mask_pool;

static uint64_t mask_key(int protocol, uint16_t lo, uint16_t hi)
{
    return ((uint64_t)(uint32_t)protocol << 32 | (uint64_t)lo << 16 | hi) + 1;
}

static word *pool_mask(const reach_ctx *ctx, uint32_t i)
{
    return ctx->masks->blocks[i / MASKS_PER_BLOCK] + (size_t)(i % MASKS_PER_BLOCK) * ctx->atoms.words;
}

static int pool_grow(reach_ctx *ctx)
{
    mask_pool *p = ctx->masks;
    uint32_t n = p->nslots ? p->nslots * 2 : 256;
    uint64_t *keys = calloc(n, sizeof *keys);
    uint32_t *index = malloc(n * sizeof *index);
    if (!keys || !index) {
        free(keys);
        free(index);
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for rule masks");
    }
    for (uint32_t i = 0; i < p->nslots; i++)
        if (p->keys[i]) {
            uint32_t s = (uint32_t)((p->keys[i] * 0x9E3779B97F4A7C15ull) >> 40) & (n - 1);
            while (keys[s])
                s = (s + 1) & (n - 1);
            keys[s] = p->keys[i];
            index[s] = p->index[i];
        }
    free(p->keys);
    free(p->index);
    p->keys = keys;
    p->index = index;
    p->nslots = n;
    return 0;
}

const word *iotnet__mask_for(reach_ctx *ctx, int protocol, uint16_t lo, uint16_t hi)
{
    mask_pool *p = ctx->masks;
    if ((p->count + 1) * 2 > p->nslots && pool_grow(ctx) != 0)
        return NULL;
    uint64_t key = mask_key(protocol, lo, hi);
    uint32_t s = (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 40) & (p->nslots - 1);
    for (; p->keys[s]; s = (s + 1) & (p->nslots - 1))
        if (p->keys[s] == key)
            return pool_mask(ctx, p->index[s]);
    if (p->count % MASKS_PER_BLOCK == 0) {
        word **blocks = realloc(p->blocks, (p->nblocks + 1) * sizeof *blocks);
        word *block = blocks ? iotnet__bits_new(ctx, MASKS_PER_BLOCK) : NULL;
        if (blocks)
            p->blocks = blocks;
        if (!block)
            return NULL;
        p->blocks[p->nblocks++] = block;
    }
    uint32_t i = p->count++;
    p->keys[s] = key;
    p->index[s] = i;
    word *mask = pool_mask(ctx, i);
    if (protocol >= 0)
        mask_range(&ctx->atoms, mask, protocol, lo, hi);
    return mask;
}

static void pool_free(mask_pool *p)
{
    if (!p)
        return;
    for (uint32_t b = 0; b < p->nblocks; b++)
        free(p->blocks[b]);
    free(p->blocks);
    free(p->keys);
    free(p->index);
    free(p);
}

int iotnet__probe_parse(const char *text, int *protocol, uint16_t *port)
{
    int lo, hi;
    if (iotnet__service_parse(text, strlen(text), protocol, &lo, &hi) != 0 || lo != hi || *protocol == IOTNET_PROTO_ANY)
        return iotnet__error_set(IOTNET_EINVAL, "service \"%s\" is not tcp/PORT, udp/PORT, sctp/PORT or icmp", text);
    if (*protocol != IOTNET_PROTO_ICMP && lo == 0) /* as the model refuses a service on port 0 */
        return iotnet__error_set(IOTNET_EINVAL, "service \"%s\": port 0 is not a service (1-65535)", text);
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

/* The place of the interface a link end names on `node` (adj): any for a
 * node with one interface, whose address is the same either way. */
static iface_ord end_iface(const iotnet_net *net, uint32_t node, iotnet__str name)
{
    uint32_t first = net->nodes.first_iface[node];
    if (!name || first == IOTNET_NONE || net->ifaces.items[first].next == IOTNET_NONE)
        return ADJ_ANY_IFACE;
    iface_ord k = 0;
    for (uint32_t i = first; i != IOTNET_NONE && k < ADJ_ANY_IFACE; i = net->ifaces.items[i].next, k++)
        if (net->ifaces.items[i].name == name)
            return k;
    return ADJ_ANY_IFACE;
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
        iface_ord ia = end_iface(net, a, net->links.a_iface[l]), ib = end_iface(net, b, net->links.b_iface[l]);
        ctx->adjs[fill[a]++] = (adj){b, ia, ib, ra, rb};
        ctx->adjs[fill[b]++] = (adj){a, ib, ia, rb, ra};
    }
    free(fill);
    return 0;
}

/* Nodes the internet selector and local-networks see as the internet side. */
static bool on_internet_side(const reach_ctx *ctx, uint32_t v, iotnet_kind internet_zone, iotnet_kind cloud_zone,
                             iotnet_kind cloud_service)
{
    const iotnet_net *net = ctx->net;
    iotnet_kind k = net->nodes.kind[v];
    if (ctx_is_a(ctx, k, net->kind_internet) || (cloud_service != IOTNET_NONE && ctx_is_a(ctx, k, cloud_service)))
        return true;
    uint32_t z = net->nodes.zone[v];
    if (z == IOTNET_NONE)
        return false;
    return (internet_zone != IOTNET_NONE && ctx_is_a(ctx, net->zones.kind[z], internet_zone)) ||
           (cloud_zone != IOTNET_NONE && ctx_is_a(ctx, net->zones.kind[z], cloud_zone));
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
        ctx->transit[v] = ctx_is_a(ctx, k, net->kind_forwarding) || ctx_is_a(ctx, k, net->kind_internet);
        ctx->internet_side[v] = on_internet_side(ctx, v, iz, cz, cs);
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
        if (!(cp->rules = calloc(pol->rules.count, sizeof(crule))))
            return iotnet__error_set(IOTNET_ENOMEM, "out of memory for compiled policies");
        for (uint32_t r = 0; r < pol->rules.count; r++) {
            const rule_rec *rule = &pol->rules.items[r];
            if (rule->initiated == IOTNET_INITIATED_TO)
                continue; /* reply traffic only: never opens a flow */
            crule *cr = &cp->rules[cp->count++];
            cr->rule = rule;
            cr->from = iotnet__side_of(net, &rule->from);
            cr->to = iotnet__side_of(net, &rule->to);
            if (!(cr->mask = iotnet__mask_for(ctx, rule->protocol, rule->port_lo, rule->port_hi)))
                return IOTNET_ENOMEM;
        }
    }
    return 0;
}

/* The flows a device sends to create NAT state: any UDP (a mapping), any
 * TCP (UPnP IGD control) and udp/5351 (PCP). */
static int request_masks_build(reach_ctx *ctx)
{
    ctx->udp_mask = iotnet__mask_for(ctx, IOTNET_PROTO_UDP, 0, 0);
    ctx->tcp_mask = iotnet__mask_for(ctx, IOTNET_PROTO_TCP, 0, 0);
    ctx->pcp_mask = iotnet__mask_for(ctx, IOTNET_PROTO_UDP, IOTNET_PCP_PORT, IOTNET_PCP_PORT);
    return ctx->udp_mask && ctx->tcp_mask && ctx->pcp_mask ? 0 : IOTNET_ENOMEM;
}

/* is-a as a bit matrix over the kinds, looked up once rather than per rule. */
static int kinds_build(reach_ctx *ctx)
{
    const iotnet_net *net = ctx->net;
    uint32_t nk = net->kinds.count;
    ctx->kind_words = (nk + 63) / 64;
    ctx->kind_isa = calloc((size_t)nk * ctx->kind_words + 1, sizeof(uint64_t));
    if (!ctx->kind_isa)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for reachability lookups");
    for (uint32_t k = 0; k < nk; k++)
        for (uint32_t a = k; a < nk; a = net->kinds.parent[a])
            ctx->kind_isa[(size_t)k * ctx->kind_words + (a >> 6)] |= (uint64_t)1 << (a & 63);
    return 0;
}

/* Every service's atom, looked up once rather than per flow. */
static int service_atoms_build(reach_ctx *ctx)
{
    const iotnet_net *net = ctx->net;
    ctx->service_atom = malloc(((size_t)net->services.count + 1) * sizeof(uint32_t));
    if (!ctx->service_atom)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for reachability lookups");
    for (uint32_t s = 0; s < net->services.count; s++) {
        const service_rec *svc = &net->services.items[s];
        ctx->service_atom[s] = iotnet__atom_of(&ctx->atoms, svc->protocol, svc->port);
    }
    return 0;
}

static int fwd_cmp(const void *a, const void *b)
{
    const fwd_ref *x = a, *y = b;
    return x->to < y->to ? -1 : x->to > y->to;
}

/* Each NAT's forwards sorted by target: a carrier NAT has thousands, and a
 * flow looks up the few towards the node it goes to. */
static int forwards_build(reach_ctx *ctx)
{
    const iotnet_net *net = ctx->net;
    size_t total = 0;
    ctx->fwd_first = calloc((size_t)ctx->n + 1, sizeof(uint32_t));
    if (!ctx->fwd_first)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for port forwards");
    for (uint32_t v = 0; v < ctx->n; v++) {
        ctx->fwd_first[v] = (uint32_t)total;
        if (net->nodes.alive[v] && net->nodes.nat[v] != IOTNET_NONE)
            total += net->nats.items[net->nodes.nat[v]].forwards.count;
    }
    ctx->fwd_first[ctx->n] = (uint32_t)total;
    if (!(ctx->fwds = malloc((total + 1) * sizeof(fwd_ref))))
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for port forwards");
    for (uint32_t v = 0; v < ctx->n; v++) {
        uint32_t k = ctx->fwd_first[v], end = ctx->fwd_first[v + 1];
        if (k == end)
            continue;
        const nat_rec *nat = &net->nats.items[net->nodes.nat[v]];
        for (uint32_t f = 0; f < nat->forwards.count; f++)
            ctx->fwds[k + f] = (fwd_ref){nat->forwards.items[f].to_node, &nat->forwards.items[f]};
        qsort(ctx->fwds + k, end - k, sizeof(fwd_ref), fwd_cmp);
    }
    return 0;
}

size_t iotnet__forwards_to(const reach_ctx *ctx, uint32_t nat, uint32_t target, const fwd_ref **out)
{
    uint32_t lo = ctx->fwd_first[nat], hi = ctx->fwd_first[nat + 1];
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ctx->fwds[mid].to < target)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint32_t end = lo;
    while (end < ctx->fwd_first[nat + 1] && ctx->fwds[end].to == target)
        end++;
    *out = ctx->fwds + lo;
    return end - lo;
}

int iotnet__reach_ctx_init(reach_ctx *ctx, const iotnet_net *net, int probe_proto, uint16_t probe_port)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->net = net;
    ctx->n = net->nodes.count;
    ctx->step_limit = 200000000ull;
    cuts c;
    int error = 0;
    memset(&c, 0, sizeof c);
    for (int d = 0; d < PORT_DOMAINS && !error; d++)
        if (!(c.bits[d] = calloc(1024, sizeof(uint64_t))))
            error = iotnet__error_set(IOTNET_ENOMEM, "out of memory for the atoms of the port space");
    if (!error) {
        cuts_collect(net, &c, probe_proto, probe_port);
        error = iotnet__reach_mud_cuts(net, cut_cb, &c);
    }
    if (!error)
        error = atoms_build(&ctx->atoms, &c);
    for (int d = 0; d < PORT_DOMAINS; d++)
        free(c.bits[d]);
    if (!error && !(ctx->masks = calloc(1, sizeof *ctx->masks)))
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory for rule masks");
    if (error)
        goto cleanup;
    if (!(ctx->all = iotnet__bits_new(ctx, 1))) {
        error = IOTNET_ENOMEM;
        goto cleanup;
    }
    for (uint32_t x = 0; x < ctx->atoms.first[DOM_COUNT]; x++)
        bit_set(ctx->all, x);
    if (!(ctx->scratch = iotnet__bits_new(ctx, SCRATCH_SETS)) ||
        !(ctx->walk = malloc(((size_t)ctx->n + 1) * sizeof(uint32_t)))) {
        error = IOTNET_ENOMEM;
        goto cleanup;
    }
    if ((error = graph_build(ctx)) || (error = kinds_build(ctx)) || (error = flags_build(ctx)) ||
        (error = service_atoms_build(ctx)) ||
        (error = policies_build(ctx)) ||
        (error = forwards_build(ctx)) || (error = request_masks_build(ctx)) ||
        (error = iotnet__reach_mud_build(ctx)))
        goto cleanup;
    ctx->mesh = iotnet__mesh_applies(ctx);
    ctx->only_dest = IOTNET_NONE;
    ctx->probe_atom = probe_proto ? iotnet__atom_of(&ctx->atoms, probe_proto, probe_port) : IOTNET_NONE;
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
        error = kinds_build(ctx);
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
            free(ctx->policies[v].rules);
        }
    iotnet__reach_mud_free(ctx);
    pool_free(ctx->masks);
    free(ctx->fwd_first);
    free(ctx->kind_isa);
    free(ctx->service_atom);
    free(ctx->fwds);
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
    free(ctx->walk);
    memset(ctx, 0, sizeof *ctx);
}
