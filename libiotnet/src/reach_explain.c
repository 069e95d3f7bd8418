/* iotnet_explain(): one flow, its best path, and every decision on it. */
#include "reach_explore.h"
#include "error_internal.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct iotnet_explanation {
    iotnet_exposure exposure;
    iotnet_index *path;
    size_t path_len;
    iotnet_hop *hops;
    char **details;
    size_t count, cap;
};

/* The candidate being written and the best so far. */
typedef struct explain_job {
    uint32_t dest, atom;
    int protocol;
    uint16_t port;
    word *bits;
    iotnet_explanation *best, *work;
    size_t best_passed;
    int error;
} explain_job;

static void explanation_clear(iotnet_explanation *ex)
{
    for (size_t i = 0; i < ex->count; i++)
        free(ex->details[i]);
    ex->count = 0;
    free(ex->path);
    ex->path = NULL;
    ex->path_len = 0;
}

void iotnet_explanation_free(iotnet_explanation *ex)
{
    if (!ex)
        return;
    explanation_clear(ex);
    free(ex->hops);
    free(ex->details);
    free(ex);
}

static const char *node_id(const reach_ctx *ctx, uint32_t v)
{
    return iotnet__text(ctx->net, ctx->net->nodes.id[v]);
}

__attribute__((format(printf, 6, 7)))
static int hop_add(iotnet_explanation *ex, uint32_t node, iotnet_layer layer, bool accept, const char *rule,
                   const char *fmt, ...)
{
    if (ex->count == ex->cap) {
        size_t cap = ex->cap ? ex->cap * 2 : 16;
        iotnet_hop *hops = realloc(ex->hops, cap * sizeof *hops);
        if (hops)
            ex->hops = hops;
        char **details = hops ? realloc(ex->details, cap * sizeof *details) : NULL;
        if (!details)
            return iotnet__error_set(IOTNET_ENOMEM, "out of memory for an explanation");
        ex->details = details;
        ex->cap = cap;
    }
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *detail = iotnet__strdup(buf);
    if (!detail)
        return IOTNET_ENOMEM;
    ex->details[ex->count] = detail;
    ex->hops[ex->count++] = (iotnet_hop){IOTNET_HOP_VERSION, node, layer,
                                         accept ? IOTNET_ACTION_ACCEPT : IOTNET_ACTION_DROP, rule, detail};
    return 0;
}

/* ---- scalar decisions for one flow -------------------------------------- */

/* The action a node's policy takes when no rule matches. */
static iotnet_action default_action(const reach_ctx *ctx, uint32_t node)
{
    const iotnet_net *net = ctx->net;
    uint32_t p = net->nodes.policy[node];
    return p == IOTNET_NONE ? IOTNET_ACTION_ACCEPT : (iotnet_action)net->policies.items[p].default_action;
}

static int policy_hop(reach_ctx *ctx, iotnet_explanation *ex, uint32_t node, endpoint src, endpoint dst,
                      uint32_t atom, bool *pass)
{
    word *mask = ctx->scratch + 2 * ctx->atoms.words;
    const rule_rec *rule;
    iotnet__policy_eval(ctx, node, src, dst, mask, atom, &rule);
    *pass = bit_test(mask, atom);
    const char *name = rule ? iotnet__text(ctx->net, rule->name) : NULL;
    iotnet_action action = rule ? (iotnet_action)rule->action : default_action(ctx, node);
    int error = hop_add(ex, node, IOTNET_LAYER_FIREWALL, *pass, name, "%s %s -> %s: %s", rule ? "rule" : "default",
                        node_id(ctx, src.node), node_id(ctx, dst.node), iotnet_enum_name(IOTNET_ENUM_ACTION, action));
    if (!error && action == IOTNET_ACTION_REJECT)
        ex->hops[ex->count - 1].action = IOTNET_ACTION_REJECT;
    return error;
}

static int mud_hop(reach_ctx *ctx, iotnet_explanation *ex, uint32_t node, uint32_t device, endpoint peer, bool opens,
                   uint32_t atom, bool *pass)
{
    word *mask = ctx->scratch + 2 * ctx->atoms.words;
    const cace *ace;
    iotnet__mud_eval(ctx, device, peer, opens, mask, atom, &ace);
    *pass = bit_test(mask, atom);
    if (ace) {
        char name[256];
        snprintf(name, sizeof name, "%s/%s", ace->ace.acl ? ace->ace.acl : "", ace->ace.name ? ace->ace.name : "");
        return hop_add(ex, node, IOTNET_LAYER_MUD, *pass, ace->ace.name, "MUD of %s, entry %s (%s peer %s): %s",
                       node_id(ctx, device), name, iotnet_enum_name(IOTNET_ENUM_MUD_DIRECTION, ace->ace.policy),
                       node_id(ctx, peer.node), *pass ? "accept" : "drop");
    }
    return hop_add(ex, node, IOTNET_LAYER_MUD, false, NULL, "MUD of %s: no entry admits the flow with %s (dropped)",
                   node_id(ctx, device), node_id(ctx, peer.node));
}

/* A pinhole hop: opened when the device's request reached the NAT. */
static int pinhole_hop(reach_ctx *ctx, iotnet_explanation *ex, uint32_t node, uint32_t device,
                       const service_rec *svc, bool *pass)
{
    bool upnp = svc->traversal == IOTNET_TRAVERSAL_UPNP;
    *pass = (ctx->pinholes_ok & (upnp ? PINHOLE_UPNP : PINHOLE_PCP)) != 0;
    if (*pass)
        return hop_add(ex, node, IOTNET_LAYER_NAT, true, NULL, "%s pinhole opened by %s for %s", upnp ? "UPnP" : "PCP",
                       node_id(ctx, device), iotnet__text(ctx->net, svc->name));
    return hop_add(ex, node, IOTNET_LAYER_NAT, false, NULL, "no %s pinhole for %s: %s's %s cannot reach %s",
                   upnp ? "UPnP" : "PCP", iotnet__text(ctx->net, svc->name), node_id(ctx, device),
                   upnp ? "UPnP IGD control (tcp)" : "PCP request (udp/5351)", node_id(ctx, node));
}

/* A hop through a hole-punched mapping: held only once the destination
 * has sent UDP out through every NAT on the way. */
static int mapping_hop(reach_ctx *ctx, iotnet_explanation *ex, uint32_t node, uint32_t dest, bool *pass,
                       const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static int mapping_hop(reach_ctx *ctx, iotnet_explanation *ex, uint32_t node, uint32_t dest, bool *pass,
                       const char *fmt, ...)
{
    *pass = ctx->mapping_ok;
    if (!*pass)
        return hop_add(ex, node, IOTNET_LAYER_NAT, false, NULL,
                       "no hole-punched mapping: %s cannot send UDP out through every NAT on the way",
                       node_id(ctx, dest));
    char text[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return hop_add(ex, node, IOTNET_LAYER_NAT, true, NULL, "%s", text);
}

/* How a NAT lets the flow in towards `target`, as one hop; *state tells the
 * node's policy to stand aside. */
static int nat_in_hop(reach_ctx *ctx, iotnet_explanation *ex, const chain_el *e, uint32_t target, uint32_t dest,
                      uint32_t atom, bool punched, uint32_t *outer_atom, bool *pass, bool *state)
{
    const iotnet_net *net = ctx->net;
    const nat_rec *nat = &net->nats.items[net->nodes.nat[e->node]];
    const forward_rec *fw = iotnet__forward_for(ctx, e->node, target, atom);
    *state = false;
    *outer_atom = atom;
    *pass = true;
    if (fw) {
        *outer_atom = iotnet__forward_outer_atom(ctx, fw, atom);
        return hop_add(ex, e->node, IOTNET_LAYER_NAT, true, iotnet__text(net, fw->name),
                       "port forward%s: external port %u to %s port %u", e->type == EL_HAIRPIN ? ", hairpinned" : "",
                       fw->external_port, node_id(ctx, target),
                       fw->internal_port ? fw->internal_port : fw->external_port);
    }
    *state = true;
    bool eif = nat->filtering == IOTNET_NAT_FILTER_EI;
    if (e->type == EL_NAT_IN && target != dest && eif && punched)
        return mapping_hop(ctx, ex, e->node, dest, pass,
                           "endpoint-independent filtering: the mapping held open from inside lets any source in");
    for (uint32_t s = e->type == EL_NAT_IN && target == dest ? net->nodes.first_service[target] : IOTNET_NONE;
         s != IOTNET_NONE; s = net->services.items[s].next) {
        const service_rec *svc = &net->services.items[s];
        if (iotnet__atom_of(&ctx->atoms, svc->protocol, svc->port) != atom)
            continue;
        if ((svc->traversal == IOTNET_TRAVERSAL_UPNP && nat->upnp) || (svc->traversal == IOTNET_TRAVERSAL_PCP && nat->pcp))
            return pinhole_hop(ctx, ex, e->node, target, svc, pass);
        if (svc->traversal == IOTNET_TRAVERSAL_HOLE_PUNCH && svc->protocol == IOTNET_PROTO_UDP && eif)
            return mapping_hop(ctx, ex, e->node, dest, pass,
                               "hole-punched mapping of %s, and endpoint-independent filtering lets any source use it",
                               node_id(ctx, target));
    }
    *pass = false;
    return hop_add(ex, e->node, IOTNET_LAYER_NAT, false, NULL,
                   "unsolicited inbound to %s: no port forward, pinhole or usable mapping (%s filtering)",
                   node_id(ctx, target), iotnet_enum_name(IOTNET_ENUM_NAT_FILTERING, nat->filtering));
}

/* ---- one candidate path --------------------------------------------------- */

typedef struct plan_step {
    uint32_t el, target, atom;
} plan_step;

/* Elements from the root to c, each with what it sees: the target it is
 * addressed to and the atom, worked out from the destination backwards. */
static size_t plan_build(const reach_ctx *ctx, uint32_t c, uint32_t dest, uint32_t atom, plan_step *plan,
                         uint32_t *root_target, uint32_t *root_atom)
{
    size_t n = 0;
    for (uint32_t i = c; i != 0; i = ctx->chain.items[i].parent)
        n++;
    uint32_t target = dest;
    size_t k = n;
    for (uint32_t i = c; i != 0; i = ctx->chain.items[i].parent) {
        const chain_el *e = &ctx->chain.items[i];
        plan[--k] = (plan_step){i, target, atom};
        if (e->type == EL_NAT_IN || e->type == EL_HAIRPIN) {
            const forward_rec *fw = iotnet__forward_for(ctx, e->node, target, atom);
            if (fw)
                atom = iotnet__forward_outer_atom(ctx, fw, atom);
            target = e->node;
        }
    }
    *root_target = target;
    *root_atom = atom;
    return n;
}

static endpoint addressed(const reach_ctx *ctx, uint32_t target, uint32_t dest)
{
    return target == dest ? DEST_END(ctx, dest) : (endpoint){target, ctx->nat_outside_iface[target]};
}

/* The decisions at one element; *passed counts accepting hops. */
static int element_hops(reach_ctx *ctx, iotnet_explanation *ex, const plan_step *p, uint32_t dest, bool punched,
                        bool *pass)
{
    const chain_el *e = &ctx->chain.items[p->el];
    bool state = false;
    int error = 0;
    uint32_t outer;
    *pass = true;
    if (e->type == EL_NAT_IN || e->type == EL_HAIRPIN)
        error = nat_in_hop(ctx, ex, e, p->target, dest, p->atom, punched, &outer, pass, &state);
    if (!error && *pass && !state && ctx->has_policy[e->node])
        error = policy_hop(ctx, ex, e->node, e->src, addressed(ctx, p->target, dest), p->atom, pass);
    const cmud *ms = ctx->mud[ctx->source];
    if (!error && *pass && mud_enforced_at(ms, e->node))
        error = mud_hop(ctx, ex, e->node, ctx->source, addressed(ctx, p->target, dest), true, p->atom, pass);
    const cmud *md = p->target == dest ? ctx->mud[dest] : NULL;
    if (!error && *pass && mud_enforced_at(md, e->node))
        error = mud_hop(ctx, ex, e->node, dest, e->src, false, p->atom, pass);
    if (!error && *pass && e->type == EL_NAT_OUT)
        error = hop_add(ex, e->node, IOTNET_LAYER_NAT, true, NULL, "source translated to %s's outside address",
                        node_id(ctx, e->node));
    return error;
}

/* Whether the flow may lean on the destination's hole-punched mapping at
 * the endpoint-independent NATs further out: the atom is a hole-punch UDP
 * service of the destination, and every NAT crossed inbound after the
 * first one keeps the port (a mapping holds the device's own port). */
static bool hole_punched(const reach_ctx *ctx, uint32_t c, uint32_t dest, uint32_t atom)
{
    const iotnet_net *net = ctx->net;
    bool service = false;
    for (uint32_t s = net->nodes.first_service[dest]; s != IOTNET_NONE; s = net->services.items[s].next) {
        const service_rec *svc = &net->services.items[s];
        service = service || (svc->traversal == IOTNET_TRAVERSAL_HOLE_PUNCH && svc->protocol == IOTNET_PROTO_UDP &&
                              ctx->service_atom[s] == atom);
    }
    if (!service)
        return false;
    uint32_t target = dest;
    for (uint32_t i = c; i != 0; i = ctx->chain.items[i].parent) {
        const chain_el *e = &ctx->chain.items[i];
        if (e->type == EL_HAIRPIN)
            return false;
        if (e->type != EL_NAT_IN)
            continue;
        const forward_rec *fw = iotnet__forward_for(ctx, e->node, target, atom);
        if (fw && fw->internal_port && fw->internal_port != fw->external_port)
            return false;
        target = e->node;
    }
    return true;
}

/* Hops along the path; returns the number of accepting decisions, or negative. */
static int walk(reach_ctx *ctx, iotnet_explanation *ex, uint32_t c, const uint32_t *path, size_t len, uint32_t dest,
                uint32_t atom, size_t *passed)
{
    plan_step *plan = malloc((len + 1) * sizeof *plan);
    if (!plan)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for an explanation");
    uint32_t root_target, root_atom;
    size_t n = plan_build(ctx, c, dest, atom, plan, &root_target, &root_atom), k = 0;
    bool punched = hole_punched(ctx, c, dest, atom);
    bool pass = true;
    int error = 0;
    *passed = 0;
    if (ctx->has_policy[path[0]])
        error = policy_hop(ctx, ex, path[0], SOURCE_END(ctx), addressed(ctx, root_target, dest),
                           root_atom, &pass);
    for (size_t i = 1; i + 1 < len && !error && pass; i++) {
        *passed += 1;
        if (k < n && ctx->chain.items[plan[k].el].node == path[i])
            error = element_hops(ctx, ex, &plan[k++], dest, punched, &pass);
        else
            error = hop_add(ex, path[i], IOTNET_LAYER_TRANSIT, true, NULL, "forwards");
    }
    if (!error && pass && ctx->has_policy[dest])
        error = policy_hop(ctx, ex, dest, iotnet__chain_src_after(ctx, c), DEST_END(ctx, dest), atom, &pass);
    free(plan);
    if (!error && pass)
        *passed += 1;
    return error;
}

static int keep_path(iotnet_explanation *ex, const uint32_t *path, size_t len)
{
    ex->path = malloc(len * sizeof *ex->path);
    if (!ex->path)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for an explanation");
    memcpy(ex->path, path, len * sizeof *ex->path);
    ex->path_len = len;
    return 0;
}

static int visit_explain(reach_ctx *ctx, uint32_t dest, uint32_t chain, const uint32_t *path, size_t len, void *payload)
{
    explain_job *job = payload;
    if (dest != job->dest)
        return 0;
    iotnet__flow_eval(ctx, chain, dest, job->bits);
    ctx->mapping_ok = iotnet__dest_udp_out(ctx, chain, dest);
    ctx->pinholes_ok = iotnet__dest_pinholes(ctx, chain, dest);
    iotnet_exposure cls = iotnet__classify(ctx, job->bits, job->atom);
    if (cls == IOTNET_EXPOSURE_NONE && iotnet__chain_reverse(ctx, chain, dest))
        cls = IOTNET_EXPOSURE_REPLY_ONLY;
    iotnet_explanation *w = job->work;
    explanation_clear(w);
    size_t passed = 0;
    int error = walk(ctx, w, chain, path, len, dest, job->atom, &passed);
    if (!error && cls == IOTNET_EXPOSURE_REPLY_ONLY)
        error = hop_add(w, dest, IOTNET_LAYER_NAT, false, NULL,
                        "only replies reach %s: it can open flows towards %s itself", node_id(ctx, dest),
                        node_id(ctx, ctx->source));
    if (!error)
        error = keep_path(w, path, len);
    if (error)
        return error;
    w->exposure = cls;
    bool better = !job->best->path || cls > job->best->exposure ||
                  (cls == job->best->exposure && passed > job->best_passed);
    if (better) {
        job->work = job->best;
        job->best = w;
        job->best_passed = passed;
    }
    return 0;
}

/* The atom asked for: a protocol/port text, or a service name of the destination. */
static int explain_probe(const iotnet_net *net, uint32_t dest, const char *service, int *proto, uint16_t *port)
{
    if (!service)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_explain: service is required (tcp/443, udp/53, icmp or a service name)");
    for (uint32_t s = net->nodes.first_service[dest]; s != IOTNET_NONE; s = net->services.items[s].next)
        if (!strcmp(iotnet__text(net, net->services.items[s].name), service)) {
            *proto = net->services.items[s].protocol;
            *port = net->services.items[s].port;
            return 0;
        }
    return iotnet__probe_parse(service, proto, port);
}

int iotnet_explain(iotnet_explanation **out, const iotnet_net *net, const char *from, const char *to,
                   const char *service)
{
    if (!out || !net)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_explain: out and net are required");
    *out = NULL;
    uint32_t *src = NULL, *dst = NULL, nsrc = 0, ndst = 0;
    reach_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    explain_job job;
    memset(&job, 0, sizeof job);
    int proto = 0, error;
    uint16_t port = 0;
    if ((error = iotnet__endpoint_nodes(net, from, "from", &src, &nsrc)) ||
        (error = iotnet__endpoint_nodes(net, to, "to", &dst, &ndst)))
        goto cleanup;
    if (ndst != 1 || (to && !strncmp(to, "zone:", 5))) {
        error = iotnet__error_set(IOTNET_EINVAL, "iotnet_explain: to must name one node");
        goto cleanup;
    }
    if ((error = explain_probe(net, dst[0], service, &proto, &port)) ||
        (error = iotnet__reach_ctx_init(&ctx, net, proto, port)))
        goto cleanup;
    job.dest = dst[0];
    ctx.only_dest = job.dest;
    job.atom = iotnet__atom_of(&ctx.atoms, proto, port);
    job.bits = iotnet__bits_new(&ctx, LEVELS);
    job.best = calloc(1, sizeof *job.best);
    job.work = calloc(1, sizeof *job.work);
    if (!job.bits || !job.best || !job.work) {
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory for an explanation");
        goto cleanup;
    }
    for (uint32_t i = 0; i < nsrc && !error; i++)
        if (src[i] != job.dest)
            error = iotnet__explore(&ctx, src[i], visit_explain, &job);
    if (!error) {
        *out = job.best;
        job.best = NULL;
    }
cleanup:
    iotnet_explanation_free(job.best);
    iotnet_explanation_free(job.work);
    free(job.bits);
    iotnet__reach_ctx_free(&ctx);
    free(src);
    free(dst);
    return error;
}

iotnet_exposure iotnet_explanation_exposure(const iotnet_explanation *ex)
{
    return ex ? ex->exposure : IOTNET_EXPOSURE_NONE;
}

const iotnet_index *iotnet_explanation_path(const iotnet_explanation *ex, size_t *out_length)
{
    if (out_length)
        *out_length = ex ? ex->path_len : 0;
    return ex ? ex->path : NULL;
}

size_t iotnet_explanation_hop_count(const iotnet_explanation *ex)
{
    return ex ? ex->count : 0;
}

int iotnet_explanation_hop(const iotnet_explanation *ex, size_t i, iotnet_hop *out)
{
    if (!ex || !out || i >= ex->count)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_explanation_hop: no hop %zu", i);
    *out = ex->hops[i];
    return 0;
}
