/* iotnet_reach(): the best way from a source to every destination service. */
#include "reach_explore.h"
#include "error_internal.h"

#include <stdlib.h>
#include <string.h>

/* One destination service being asked about, and the best way found so far. */
typedef struct slot {
    uint32_t dest, atom;          /* atom IOTNET_NONE: the host row of a node without services */
    const char *service;
    int protocol;
    uint16_t port;
    iotnet_exposure best;
    bool found;
    uint32_t source;
    iotnet__entry entry;
    size_t path_off, path_len;
} slot;

struct iotnet_reach_result {
    iotnet_reach_row *rows;
    size_t count;
    iotnet_index *paths;
};

typedef struct reach_job {
    slot *slots;
    uint32_t *first;              /* by node: first slot, n + 1 entries */
    uint8_t *wanted;              /* destinations asked about */
    IOTNET__VEC(iotnet_index) paths;
    /* by node: (epoch << 32 | chain) and the arrival interface of the last
     * evaluation, so a destination reached again the same way is skipped */
    uint64_t *last_seen;
    uint32_t *last_iface;
    word *bits;                   /* LEVELS x words */
} reach_job;

static int slot_cmp(const void *a, const void *b)
{
    const slot *x = a, *y = b;
    if (x->protocol != y->protocol)
        return x->protocol - y->protocol;
    return (int)x->port - (int)y->port;
}

/* Slots for one destination: its services, or the asked-for probe. */
static size_t slots_of(const reach_ctx *ctx, uint32_t v, int probe_proto, uint16_t probe_port, slot *out)
{
    const iotnet_net *net = ctx->net;
    size_t n = 0;
    if (probe_proto) {
        if (!out)
            return 1;
        out[0] = (slot){v, iotnet__atom_of(&ctx->atoms, probe_proto, probe_port), NULL, probe_proto, probe_port,
                        IOTNET_EXPOSURE_NONE, false, IOTNET_NONE, {v, probe_port, NULL}, 0, 0};
        for (uint32_t s = net->nodes.first_service[v]; s != IOTNET_NONE; s = net->services.items[s].next)
            if (net->services.items[s].protocol == probe_proto && net->services.items[s].port == probe_port)
                out[0].service = iotnet__text(net, net->services.items[s].name);
        return 1;
    }
    for (uint32_t s = net->nodes.first_service[v]; s != IOTNET_NONE; s = net->services.items[s].next) {
        const service_rec *svc = &net->services.items[s];
        if (out)
            out[n] = (slot){v, ctx->service_atom[s], iotnet__text(net, svc->name),
                            svc->protocol, svc->port, IOTNET_EXPOSURE_NONE, false, IOTNET_NONE, {v, svc->port, NULL}, 0, 0};
        n++;
    }
    if (!n && out)
        out[0] = (slot){v, IOTNET_NONE, NULL, IOTNET_PROTO_ANY, 0, IOTNET_EXPOSURE_NONE, false, IOTNET_NONE, {v, 0, NULL}, 0, 0};
    for (size_t i = 1; out && i < n; i++) /* a few services: insertion sort */
        for (size_t j = i; j > 0 && slot_cmp(&out[j - 1], &out[j]) > 0; j--) {
            slot t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    return n ? n : 1;
}

static int job_init(reach_job *job, const reach_ctx *ctx, const uint32_t *to, uint32_t nto, int probe_proto,
                    uint16_t probe_port)
{
    memset(job, 0, sizeof *job);
    job->first = calloc((size_t)ctx->n + 1, sizeof(uint32_t));
    job->wanted = calloc(ctx->n + 1, 1);
    job->bits = iotnet__bits_new(ctx, LEVELS);
    job->last_seen = calloc((size_t)ctx->n + 1, sizeof(uint64_t));
    job->last_iface = calloc((size_t)ctx->n + 1, sizeof(uint32_t));
    if (!job->first || !job->wanted || !job->bits || !job->last_seen || !job->last_iface)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for reachability rows");
    for (uint32_t v = 0; v < ctx->n; v++)
        job->wanted[v] = !to && ctx->net->nodes.alive[v];
    for (uint32_t i = 0; to && i < nto; i++)
        job->wanted[to[i]] = 1;
    /* services per node, counted over the service table in order */
    for (uint32_t s = 0; !probe_proto && s < ctx->net->services.count; s++)
        if (ctx->net->services.items[s].node < ctx->n)
            job->first[ctx->net->services.items[s].node]++;
    size_t total = 0;
    for (uint32_t v = 0; v < ctx->n; v++) {
        size_t mine = job->first[v] ? job->first[v] : 1;
        job->first[v] = (uint32_t)total;
        if (job->wanted[v])
            total += mine;
    }
    job->first[ctx->n] = (uint32_t)total;
    if (!(job->slots = malloc((total + 1) * sizeof(slot))))
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for reachability rows");
    for (uint32_t v = 0; v < ctx->n; v++)
        if (job->wanted[v])
            slots_of(ctx, v, probe_proto, probe_port, job->slots + job->first[v]);
    return 0;
}

static void job_free(reach_job *job)
{
    free(job->slots);
    free(job->first);
    free(job->wanted);
    free(job->paths.items);
    free(job->bits);
    free(job->last_seen);
    free(job->last_iface);
}

static int remember_path(reach_job *job, slot *s, const uint32_t *path, size_t len)
{
    if (job->paths.count + len > job->paths.cap) {
        size_t cap = (size_t)job->paths.cap * 2 + len + 64;
        iotnet_index *items = cap <= UINT32_MAX ? realloc(job->paths.items, cap * sizeof *items) : NULL;
        if (!items)
            return iotnet__error_set(IOTNET_ENOMEM, "out of memory for reachability paths");
        job->paths.items = items;
        job->paths.cap = (uint32_t)cap;
    }
    s->path_off = job->paths.count;
    s->path_len = len;
    memcpy(job->paths.items + job->paths.count, path, len * sizeof(uint32_t));
    job->paths.count += (uint32_t)len;
    return 0;
}

static int visit_rows(reach_ctx *ctx, uint32_t dest, uint32_t chain, const uint32_t *path, size_t len, void *payload)
{
    reach_job *job = payload;
    if (!job->wanted[dest])
        return 0;
    uint64_t key = (uint64_t)ctx->epoch << 32 | chain;
    if (job->last_seen[dest] == key && job->last_iface[dest] == ctx->dest_iface)
        return 0;
    job->last_seen[dest] = key;
    job->last_iface[dest] = ctx->dest_iface;
    iotnet__flow_eval(ctx, chain, dest, job->bits);
    int back = -1; /* whether dest can open a flow back: computed when needed */
    for (uint32_t k = job->first[dest]; k < job->first[dest + 1]; k++) {
        slot *s = &job->slots[k];
        iotnet_exposure cls = iotnet__classify(ctx, job->bits, s->atom);
        if (cls == IOTNET_EXPOSURE_NONE && s->best == IOTNET_EXPOSURE_NONE) {
            if (back < 0)
                back = iotnet__chain_reverse(ctx, chain, dest);
            cls = back ? IOTNET_EXPOSURE_REPLY_ONLY : IOTNET_EXPOSURE_NONE;
        }
        if (cls == IOTNET_EXPOSURE_NONE || (s->found && cls <= s->best))
            continue;
        s->best = cls;
        s->found = true;
        s->source = ctx->source;
        iotnet__entry_of(ctx, chain, dest, s->atom, s->port, cls, &s->entry);
        int error = remember_path(job, s, path, len);
        if (error)
            return error;
    }
    return 0;
}

static bool row_wanted(const reach_job *job, const slot *s, bool include_unreachable)
{
    return job->wanted[s->dest] && (s->found || include_unreachable);
}

/* The rows, taking the job's paths over rather than copying them. */
static int result_build(reach_job *job, const reach_ctx *ctx, bool include_unreachable, uint32_t first_source,
                        iotnet_reach_result **out)
{
    size_t total = job->first[ctx->n], count = 0;
    for (size_t k = 0; k < total; k++)
        count += row_wanted(job, &job->slots[k], include_unreachable);
    iotnet_reach_result *r = calloc(1, sizeof *r);
    if (r)
        r->rows = malloc((count + 1) * sizeof(iotnet_reach_row));
    if (!r || !r->rows) {
        iotnet_reach_result_free(r);
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for reachability rows");
    }
    r->paths = job->paths.items;
    job->paths.items = NULL;
    for (size_t k = 0; k < total; k++) {
        const slot *s = &job->slots[k];
        if (!row_wanted(job, s, include_unreachable))
            continue;
        r->rows[r->count++] = (iotnet_reach_row){
            IOTNET_REACH_ROW_VERSION, s->found ? s->source : first_source, s->dest, s->service, s->protocol, s->port,
            s->best, s->entry.node, s->entry.port, s->entry.via, s->path_len, s->path_len ? r->paths + s->path_off : NULL};
    }
    *out = r;
    return 0;
}

static int options_check(const iotnet_net *net, const iotnet_reach_options *opts, int *proto, uint16_t *port)
{
    int error;
    if (!net || !opts)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_reach: net and opts are required");
    if ((error = iotnet__version_check(opts->version, IOTNET_REACH_OPTIONS_VERSION, "iotnet_reach_options")))
        return error;
    *proto = 0;
    *port = 0;
    if (opts->service && (error = iotnet__probe_parse(opts->service, proto, port)))
        return error;
    return 0;
}

int iotnet_reach(iotnet_reach_result **out, const iotnet_net *net, const iotnet_reach_options *opts)
{
    int proto, error;
    uint16_t port;
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_reach: out is required");
    *out = NULL;
    if ((error = options_check(net, opts, &proto, &port)))
        return error;
    uint32_t *from = NULL, *to = NULL, nfrom = 0, nto = 0;
    reach_ctx ctx;
    reach_job job;
    memset(&ctx, 0, sizeof ctx);
    memset(&job, 0, sizeof job);
    if ((error = iotnet__endpoint_nodes(net, opts->from, "from", &from, &nfrom)) ||
        (opts->to && (error = iotnet__endpoint_nodes(net, opts->to, "to", &to, &nto))))
        goto cleanup;
    if ((error = iotnet__reach_ctx_init(&ctx, net, proto, port)) ||
        (error = job_init(&job, &ctx, opts->to ? to : NULL, nto, proto, port)))
        goto cleanup;
    if (strncmp(opts->from, "zone:", 5) != 0) /* a zone's nodes may reach each other */
        for (uint32_t i = 0; i < nfrom; i++)
            job.wanted[from[i]] = 0;
    ctx.wanted = job.wanted;
    uint32_t nsources = nfrom;
    if (nfrom > 1 && (error = iotnet__source_representatives(&ctx, from, nfrom, from, &nsources)))
        goto cleanup;
    for (uint32_t i = 0; i < nsources && !error; i++)
        error = iotnet__explore(&ctx, from[i], visit_rows, &job);
    if (!error)
        error = result_build(&job, &ctx, opts->include_unreachable, nfrom ? from[0] : IOTNET_NONE, out);
cleanup:
    job_free(&job);
    iotnet__reach_ctx_free(&ctx);
    free(from);
    free(to);
    return error;
}

size_t iotnet_reach_count(const iotnet_reach_result *result)
{
    return result ? result->count : 0;
}

int iotnet_reach_get(const iotnet_reach_result *result, size_t i, iotnet_reach_row *out)
{
    if (!result || !out || i >= result->count)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_reach_get: no row %zu", i);
    *out = result->rows[i];
    return 0;
}

void iotnet_reach_result_free(iotnet_reach_result *result)
{
    if (!result)
        return;
    free(result->rows);
    free(result->paths);
    free(result);
}
