/* Sources that every policy, NAT and MUD entry treats alike share one
 * computation: end devices hanging off the same port of the same node, with
 * the same zone, kind, addresses as far as any CIDR selector can tell,
 * services and MUD identity, reach the same services with the same classes. */
#include "reach_explore.h"
#include "error_internal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_PREFIXES 256

typedef struct prefix {
    uint32_t addr;
    uint8_t len;
} prefix;

/* Everything the engine can tell a source by. */
typedef struct signature {
    uint32_t attach, zone, kind, mud_url, dns, controllers;
    uint8_t role_here, role_there, internet_side;
    uint64_t prefixes[MAX_PREFIXES / 64];
    uint64_t services;
} signature;

typedef struct grouping {
    prefix *prefixes;
    uint32_t nprefixes;
    uint8_t *named;     /* nodes some rule or forward names: never grouped */
} grouping;

static void prefix_add(grouping *g, const selector_rec *sel)
{
    if (sel->type != IOTNET_SELECT_CIDR || g->nprefixes > MAX_PREFIXES)
        return;
    uint32_t mask = sel->prefix_len ? ~(uint32_t)0 << (32 - sel->prefix_len) : 0;
    for (uint32_t i = 0; i < g->nprefixes; i++)
        if (g->prefixes[i].addr == (sel->ipv4 & mask) && g->prefixes[i].len == sel->prefix_len)
            return;
    if (g->nprefixes < MAX_PREFIXES)
        g->prefixes[g->nprefixes] = (prefix){sel->ipv4 & mask, sel->prefix_len};
    g->nprefixes++; /* past MAX_PREFIXES: no node with an address is grouped */
}

static void name_node(const iotnet_net *net, grouping *g, const selector_rec *sel)
{
    if (sel->type != IOTNET_SELECT_NODE)
        return;
    uint32_t v = iotnet__idmap_get(&net->nodes.by_id, sel->value);
    if (v != UINT32_MAX)
        g->named[v] = 1;
}

static int grouping_init(const reach_ctx *ctx, grouping *g)
{
    const iotnet_net *net = ctx->net;
    g->prefixes = malloc(MAX_PREFIXES * sizeof(prefix));
    g->named = calloc(ctx->n + 1, 1);
    g->nprefixes = 0;
    if (!g->prefixes || !g->named)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for source groups");
    for (uint32_t p = 0; p < net->policies.count; p++) {
        const policy_rec *pol = &net->policies.items[p];
        if (pol->node == IOTNET_NONE)
            continue;
        for (uint32_t r = 0; r < pol->rules.count; r++) {
            prefix_add(g, &pol->rules.items[r].from);
            prefix_add(g, &pol->rules.items[r].to);
            name_node(net, g, &pol->rules.items[r].from);
            name_node(net, g, &pol->rules.items[r].to);
        }
    }
    for (uint32_t n = 0; n < net->nats.count; n++)
        for (uint32_t f = 0; f < net->nats.items[n].forwards.count; f++)
            if (net->nats.items[n].forwards.items[f].to_node < ctx->n)
                g->named[net->nats.items[n].forwards.items[f].to_node] = 1;
    /* MUD entries naming a network */
    for (uint32_t v = 0; v < ctx->n; v++)
        for (uint32_t i = 0; ctx->mud[v] && i < ctx->mud[v]->count; i++)
            if (ctx->mud[v]->aces[i].ace.peer == IOTNET_MUD_PEER_CIDR) {
                selector_rec sel = {IOTNET_SELECT_CIDR, 0, ctx->mud[v]->aces[i].cidr, ctx->mud[v]->aces[i].prefix_len};
                prefix_add(g, &sel);
            }
    return 0;
}

static uint32_t attr_string(const attr_column *col, uint32_t v)
{
    return col && col->type == IOTNET_ATTR_STRING && v < col->cap && col->present[v] ? col->v.string[v] : 0;
}

static uint64_t mix(uint64_t h, uint64_t x)
{
    h ^= x + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    return h * 0xFF51AFD7ED558CCDull;
}

/* The signature of a node that may share a computation; false when the node
 * must be computed on its own. */
static bool signature_of(const reach_ctx *ctx, const grouping *g, uint32_t v, signature *s)
{
    const iotnet_net *net = ctx->net;
    if (ctx->transit[v] || ctx->enforce[v] || ctx->mud[v] || g->named[v] ||
        ctx->adj_first[v + 1] - ctx->adj_first[v] != 1)
        return false;
    memset(s, 0, sizeof *s);
    const adj *a = &ctx->adjs[ctx->adj_first[v]];
    s->attach = a->node;
    s->role_here = a->role_here;
    s->role_there = a->role_there;
    s->zone = net->nodes.zone[v];
    s->kind = net->nodes.kind[v];
    s->internet_side = ctx->internet_side[v];
    s->mud_url = net->nodes.mud_url[v];
    s->dns = attr_string(ctx->dns_names, v);
    s->controllers = attr_string(ctx->controllers, v);
    bool addressed = false;
    /* the address CIDR selectors see: the link's interface, or any */
    uint32_t named = adj_iface(net, v, a->iface_here);
    uint32_t first = named != IOTNET_NONE ? named : net->nodes.first_iface[v];
    for (uint32_t i = first; i != IOTNET_NONE; i = named != IOTNET_NONE ? IOTNET_NONE : net->ifaces.items[i].next) {
        uint32_t ip = net->ifaces.items[i].ipv4;
        addressed = addressed || ip;
        for (uint32_t p = 0; ip && p < g->nprefixes && p < MAX_PREFIXES; p++) {
            uint32_t mask = g->prefixes[p].len ? ~(uint32_t)0 << (32 - g->prefixes[p].len) : 0;
            if ((ip & mask) == g->prefixes[p].addr)
                s->prefixes[p / 64] |= (uint64_t)1 << (p % 64);
        }
    }
    if (addressed && g->nprefixes > MAX_PREFIXES)
        return false;
    uint64_t h = 0;
    for (uint32_t k = net->nodes.first_service[v]; k != IOTNET_NONE; k = net->services.items[k].next) {
        const service_rec *svc = &net->services.items[k];
        h = mix(h, (uint64_t)svc->protocol << 32 | (uint64_t)svc->port << 8 | svc->traversal);
    }
    s->services = h;
    return true;
}

static uint64_t signature_hash(const signature *s)
{
    const uint64_t *w = (const uint64_t *)(const void *)s;
    uint64_t h = 0;
    for (size_t i = 0; i < sizeof *s / sizeof *w; i++)
        h = mix(h, w[i]);
    return h;
}

typedef struct keyed {
    uint64_t hash;
    uint32_t node, sig;
} keyed;

static int keyed_cmp(const void *x, const void *y)
{
    const keyed *a = x, *b = y;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    return a->node < b->node ? -1 : a->node > b->node;
}

int iotnet__source_representatives(const reach_ctx *ctx, const uint32_t *nodes, uint32_t n, uint32_t *out,
                                   uint32_t *count)
{
    grouping g;
    signature *sigs = malloc(((size_t)n + 1) * sizeof *sigs);
    keyed *keys = malloc(((size_t)n + 1) * sizeof *keys);
    int error = sigs && keys ? grouping_init(ctx, &g) : iotnet__error_set(IOTNET_ENOMEM, "out of memory for source groups");
    uint32_t k = 0, m = 0;
    for (uint32_t i = 0; i < n && !error; i++) {
        if (signature_of(ctx, &g, nodes[i], &sigs[k])) {
            keys[k] = (keyed){signature_hash(&sigs[k]), nodes[i], k};
            k++;
        } else {
            out[m++] = nodes[i];
        }
    }
    if (!error) {
        qsort(keys, k, sizeof *keys, keyed_cmp);
        /* a run of equal signatures: its first member, and a second one so
         * that the first is a destination of the group too */
        for (uint32_t i = 0; i < k;) {
            uint32_t j = i + 1, taken = 1;
            out[m++] = keys[i].node;
            for (; j < k && keys[j].hash == keys[i].hash; j++) {
                bool same = !memcmp(&sigs[keys[j].sig], &sigs[keys[i].sig], sizeof(signature));
                if (!same || taken < 2) {
                    out[m++] = keys[j].node; /* a hash collision is computed on its own */
                    taken += same;
                }
            }
            i = j;
        }
        *count = m;
    }
    free(sigs);
    free(keys);
    if (sigs && keys) {
        free(g.prefixes);
        free(g.named);
    }
    return error;
}
