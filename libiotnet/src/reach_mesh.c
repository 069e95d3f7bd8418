/* Reachability in models without NAT44, whatever their cycles (rings,
 * meshes, spine-leaf). No flow is ever translated there, so a walk that
 * comes back to a node meets the same decisions again: cutting the loop out
 * keeps every decision the rest of it meets, and the walks between two
 * nodes admit exactly what reach.h's simple paths admit. One least fixpoint
 * over the nodes per destination finds what arrives, in O(links x atom
 * words) plus one decision per node, instead of enumerating paths; the
 * visitors of iotnet__explore then see one witness path per atom asked
 * about (and, for replies, one the destination's flow back takes), each as
 * an ordinary chain. */
#include "reach_explore.h"
#include "error_internal.h"

#include <stdlib.h>
#include <string.h>

#define W(ctx) ((ctx)->atoms.words)

/* One flood: a flow `opener` opens from `from` towards `to`. */
typedef struct flood {
    uint32_t from, to;
    iface_ord from_iface, to_iface; /* the interfaces the walk leaves and arrives by */
    endpoint src, dst;       /* how the flow is addressed: the ends as seen */
    uint32_t opener, peer;   /* whose MUD profiles apply where */
} flood;

typedef struct mesh {
    reach_ctx *ctx;
    word *arrive, *decided;  /* by node (n x words): what arrives, what its decisions admit */
    uint8_t *known, *queued;
    uint32_t *queue, *touched, *parent, *stamp, *path;
    uint32_t ntouched, run;
    word *leave, *acc;       /* what leaves the opener; what reaches the other end */
} mesh;

static word *row(const mesh *m, word *base, uint32_t v)
{
    return base + (size_t)v * W(m->ctx);
}

static int mesh_init(mesh *m, reach_ctx *ctx)
{
    size_t n = (size_t)ctx->n + 1;
    memset(m, 0, sizeof *m);
    m->ctx = ctx;
    m->arrive = calloc(n * W(ctx), sizeof(word));
    m->decided = calloc(n * W(ctx), sizeof(word));
    m->known = calloc(n, 1);
    m->queued = calloc(n, 1);
    m->queue = malloc(n * sizeof(uint32_t));
    m->touched = malloc(n * sizeof(uint32_t));
    m->parent = malloc(n * sizeof(uint32_t));
    m->stamp = calloc(n, sizeof(uint32_t));
    m->path = malloc(n * sizeof(uint32_t));
    m->leave = iotnet__bits_new(ctx, 2);
    m->acc = m->leave ? m->leave + W(ctx) : NULL;
    if (!m->arrive || !m->decided || !m->known || !m->queued || !m->queue || !m->touched || !m->parent ||
        !m->stamp || !m->path || !m->leave)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for reachability on a mesh");
    return 0;
}

static void mesh_free(mesh *m)
{
    free(m->arrive);
    free(m->decided);
    free(m->known);
    free(m->queued);
    free(m->queue);
    free(m->touched);
    free(m->parent);
    free(m->stamp);
    free(m->path);
    free(m->leave);
}

/* What an inner node admits of the flood's flow, worked out once per flood. */
static const word *decisions(mesh *m, uint32_t v, const flood *f)
{
    reach_ctx *ctx = m->ctx;
    word *d = row(m, m->decided, v);
    if (!m->known[v]) {
        m->known[v] = 1;
        memcpy(d, ctx->all, W(ctx) * sizeof(word));
        iotnet__node_narrow(ctx, v, f->src, f->dst, f->opener, f->peer, d);
    }
    return d;
}

static void reset(mesh *m)
{
    for (uint32_t i = 0; i < m->ntouched; i++) {
        uint32_t v = m->touched[i];
        memset(row(m, m->arrive, v), 0, W(m->ctx) * sizeof(word));
        m->known[v] = 0;
    }
    m->ntouched = 0;
}

/* Add `bits` to what arrives at v; queue v when that grew. */
static void arrive(mesh *m, uint32_t v, const word *bits, uint32_t *tail)
{
    word *a = row(m, m->arrive, v);
    bool grew = false, fresh = true;
    for (uint32_t w = 0; w < W(m->ctx); w++) {
        fresh = fresh && !a[w];
        grew = grew || (bits[w] & ~a[w]);
        a[w] |= bits[w];
    }
    if (!grew)
        return;
    if (fresh && !m->known[v])
        m->touched[m->ntouched++] = v;
    if (!m->queued[v]) {
        m->queued[v] = 1;
        m->queue[(*tail)++ % (m->ctx->n + 1)] = v;
    }
}

/* Whether a walk of the flood may go on through v. */
static bool inner(const reach_ctx *ctx, const flood *f, uint32_t v)
{
    return ctx->transit[v] && v != f->from && v != f->to;
}

static bool arrives_at_end(const flood *f, const adj *a)
{
    return a->node == f->to && a->iface_there == f->to_iface;
}

/* The least fixpoint: m->acc gets what reaches f->to, its own policy applied. */
static void flood_run(mesh *m, const flood *f)
{
    reach_ctx *ctx = m->ctx;
    uint32_t words = W(ctx), head = 0, tail = 0, n1 = ctx->n + 1;
    reset(m);
    memcpy(m->leave, ctx->all, words * sizeof(word));
    iotnet__policy_narrow(ctx, f->from, f->src, f->dst, m->leave);
    memset(m->acc, 0, words * sizeof(word));
    for (uint32_t i = ctx->adj_first[f->from]; i < ctx->adj_first[f->from + 1]; i++) {
        const adj *a = &ctx->adjs[i];
        if (a->iface_here != f->from_iface)
            continue;
        if (arrives_at_end(f, a))
            for (uint32_t w = 0; w < words; w++)
                m->acc[w] |= m->leave[w];
        else if (inner(ctx, f, a->node))
            arrive(m, a->node, m->leave, &tail);
    }
    word *out = ctx->scratch + (size_t)SCRATCH_DEVICE * words;
    while (head != tail) {
        uint32_t u = m->queue[head++ % n1];
        m->queued[u] = 0;
        const word *d = decisions(m, u, f), *a_u = row(m, m->arrive, u);
        for (uint32_t w = 0; w < words; w++)
            out[w] = a_u[w] & d[w];
        if (!iotnet__bits_any(out, words))
            continue;
        for (uint32_t i = ctx->adj_first[u]; i < ctx->adj_first[u + 1]; i++) {
            const adj *a = &ctx->adjs[i];
            if (arrives_at_end(f, a))
                for (uint32_t w = 0; w < words; w++)
                    m->acc[w] |= out[w];
            else if (inner(ctx, f, a->node))
                arrive(m, a->node, out, &tail);
        }
    }
    iotnet__policy_narrow(ctx, f->to, f->src, f->dst, m->acc);
}

/* Whether atom `atom` (IOTNET_NONE: any) leaves node u in the last flood. */
static bool passes(const mesh *m, uint32_t u, uint32_t atom, const flood *f)
{
    const word *a = u == f->from ? m->leave : row(m, m->arrive, u);
    if (u != f->from && !m->known[u])
        return false;
    const word *d = u == f->from ? m->leave : row(m, m->decided, u);
    if (atom != IOTNET_NONE)
        return bit_test(a, atom) && bit_test(d, atom);
    for (uint32_t w = 0; w < W(m->ctx); w++)
        if (a[w] & d[w])
            return true;
    return false;
}

/* A shortest path from f->from to f->to along which `atom` passes every
 * decision of the last flood (`open`: any transit path at all); its length
 * in m->path, 0 when there is none. */
static size_t witness(mesh *m, const flood *f, uint32_t atom, bool open)
{
    reach_ctx *ctx = m->ctx;
    uint32_t head = 0, tail = 0, run = ++m->run;
    m->stamp[f->from] = run;
    m->queue[tail++] = f->from;
    while (head != tail) {
        uint32_t u = m->queue[head++];
        if (!open && !passes(m, u, atom, f))
            continue;
        for (uint32_t i = ctx->adj_first[u]; i < ctx->adj_first[u + 1]; i++) {
            const adj *a = &ctx->adjs[i];
            if (u == f->from && a->iface_here != f->from_iface)
                continue;
            if (arrives_at_end(f, a)) {
                size_t len = 0;
                m->path[len++] = f->to;
                for (uint32_t v = u;; v = m->parent[v]) {
                    m->path[len++] = v;
                    if (v == f->from)
                        break;
                }
                return len; /* destination first */
            }
            if (!inner(ctx, f, a->node) || m->stamp[a->node] == run)
                continue;
            m->stamp[a->node] = run;
            m->parent[a->node] = u;
            m->queue[tail++] = a->node;
        }
    }
    return 0;
}

/* Hand a path (m->path, `len` nodes, source first) to the visitor as a chain. */
static int visit_path(mesh *m, uint32_t dest, size_t len, iotnet__visit_fn visit, void *payload)
{
    reach_ctx *ctx = m->ctx;
    uint32_t chain = 0;
    for (size_t i = 1; i + 1 < len; i++) {
        uint32_t v = m->path[i];
        if (!ctx->enforce[v] && !(ctx->mud_gateway && ctx->mud_gateway[v]))
            continue;
        int error = iotnet__chain_child(ctx, chain, v, EL_ROUTE, SOURCE_END(ctx), &chain);
        if (error)
            return error;
    }
    return visit(ctx, dest, chain, m->path, len, payload);
}

static void reverse_path(uint32_t *path, size_t len)
{
    for (size_t a = 0, b = len; a + 1 < b; a++, b--) {
        uint32_t t = path[a];
        path[a] = path[b - 1];
        path[b - 1] = t;
    }
}

/* The atoms the destination's rows ask about: its services', the probe's,
 * or (a node without services) any. */
static size_t atoms_asked(const reach_ctx *ctx, uint32_t dest, uint32_t *out, size_t cap)
{
    const iotnet_net *net = ctx->net;
    size_t n = 0;
    if (ctx->probe_atom != IOTNET_NONE) {
        out[n++] = ctx->probe_atom;
        return n;
    }
    for (uint32_t s = net->nodes.first_service[dest]; s != IOTNET_NONE && n < cap; s = net->services.items[s].next) {
        bool seen = false;
        for (size_t k = 0; k < n && !seen; k++)
            seen = out[k] == ctx->service_atom[s];
        if (!seen)
            out[n++] = ctx->service_atom[s];
    }
    if (!n)
        out[n++] = IOTNET_NONE;
    return n;
}

#define MAX_ASKED 64

/* One destination reached by one interface: witnesses for what arrives,
 * a path the flow back takes when something does not, and (explanations)
 * any path when nothing does either way. */
static int reach_dest(mesh *m, uint32_t dest, iface_ord dest_ord, iotnet__visit_fn visit, void *payload)
{
    reach_ctx *ctx = m->ctx;
    ctx->dest_iface = adj_iface(ctx->net, dest, dest_ord);
    flood f = {ctx->source, dest, ctx->source_ord, dest_ord, SOURCE_END(ctx), DEST_END(ctx, dest),
               ctx->source, dest};
    flood_run(m, &f);
    uint32_t asked[MAX_ASKED], done[MAX_ASKED];
    size_t nasked = atoms_asked(ctx, dest, asked, MAX_ASKED), ndone = 0, len;
    bool missing = false;
    int error = 0;
    for (size_t k = 0; k < nasked && !error; k++) {
        uint32_t a = asked[k];
        bool got = a == IOTNET_NONE ? iotnet__bits_any(m->acc, W(ctx)) : bit_test(m->acc, a);
        if (!got) {
            missing = true;
            continue;
        }
        if (a == IOTNET_NONE) /* any atom that arrives */
            for (uint32_t x = 0; x < ctx->atoms.first[DOM_COUNT] && a == IOTNET_NONE; x++)
                if (bit_test(m->acc, x))
                    a = x;
        bool seen = false;
        for (size_t j = 0; j < ndone && !seen; j++)
            seen = done[j] == a;
        if (seen || !(len = witness(m, &f, a, false)))
            continue;
        done[ndone++] = a;
        reverse_path(m->path, len);
        error = visit_path(m, dest, len, visit, payload);
    }
    if (error || !missing)
        return error;
    flood back = {dest, ctx->source, dest_ord, ctx->source_ord, DEST_END(ctx, dest), SOURCE_END(ctx),
                  dest, ctx->source};
    flood_run(m, &back);
    uint32_t any = IOTNET_NONE;
    for (uint32_t x = 0; x < ctx->atoms.first[DOM_COUNT] && any == IOTNET_NONE; x++)
        if (bit_test(m->acc, x))
            any = x;
    if (any != IOTNET_NONE && (len = witness(m, &back, any, false)))
        return visit_path(m, dest, len, visit, payload); /* m->path runs from the source already */
    if (ctx->only_dest == dest && (len = witness(m, &f, IOTNET_NONE, true))) {
        reverse_path(m->path, len);
        return visit_path(m, dest, len, visit, payload);
    }
    return 0;
}

bool iotnet__mesh_applies(const reach_ctx *ctx)
{
    const iotnet_net *net = ctx->net;
    for (uint32_t n = 0; n < net->nats.count; n++)
        if (net->nats.items[n].node != IOTNET_NONE)
            return false;
    /* a forest of transit nodes has one simple path per pair: nothing to gain */
    uint32_t transit = 0, links = 0;
    for (uint32_t v = 0; v < ctx->n; v++)
        if (net->nodes.alive[v] && ctx->transit[v]) {
            transit++;
            for (uint32_t i = ctx->adj_first[v]; i < ctx->adj_first[v + 1]; i++)
                links += ctx->transit[ctx->adjs[i].node];
        }
    return links / 2 >= transit && transit > 2;
}

/* Whether adjacency i of node v is the first of v's links to name its
 * interface at v: each interface is reached (and left) once. */
static bool first_of_iface(const reach_ctx *ctx, uint32_t v, uint32_t i)
{
    for (uint32_t j = ctx->adj_first[v]; j < i; j++)
        if (ctx->adjs[j].iface_here == ctx->adjs[i].iface_here)
            return false;
    return true;
}

int iotnet__mesh_explore(reach_ctx *ctx, uint32_t source, iotnet__visit_fn visit, void *payload)
{
    mesh m;
    int error = mesh_init(&m, ctx);
    ctx->source = source;
    for (uint32_t g = ctx->adj_first[source]; g < ctx->adj_first[source + 1] && !error; g++) {
        if (!first_of_iface(ctx, source, g))
            continue;
        ctx->source_ord = ctx->adjs[g].iface_here;
        ctx->source_iface = adj_iface(ctx->net, source, ctx->source_ord);
        iotnet__chain_reset(ctx);
        if ((error = iotnet__chain_root(ctx)))
            break;
        for (uint32_t d = 0; d < ctx->n && !error; d++) {
            if (d == source || !ctx->net->nodes.alive[d] || (ctx->wanted && !ctx->wanted[d]) ||
                (ctx->only_dest != IOTNET_NONE && d != ctx->only_dest))
                continue;
            for (uint32_t k = ctx->adj_first[d]; k < ctx->adj_first[d + 1] && !error; k++)
                if (first_of_iface(ctx, d, k))
                    error = reach_dest(&m, d, ctx->adjs[k].iface_here, visit, payload);
        }
    }
    mesh_free(&m);
    return error;
}
