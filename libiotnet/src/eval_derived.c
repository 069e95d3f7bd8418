/* Derived columns for the evaluator, each computed once per call and only
 * when a condition reads it: service counts, exposure classes from a source
 * (one iotnet_reach each), link media, access gateways, zone counts and the
 * services other zones reach without a conduit. */
#include "eval_internal.h"
#include "error_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- derived columns --------------------------------------------------------- */

int iotnet__need_counts(eval_ctx *e)
{
    if (e->service_count)
        return 0;
    const iotnet_net *net = e->net;
    e->service_count = calloc((size_t)net->nodes.count + 1, sizeof(uint16_t));
    e->management_count = calloc((size_t)net->nodes.count + 1, sizeof(uint16_t));
    if (!e->service_count || !e->management_count)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for service counts");
    for (uint32_t s = 0; s < net->services.count; s++) {
        const service_rec *r = &net->services.items[s];
        if (r->node == IOTNET_NONE)
            continue;
        e->service_count[r->node]++;
        e->management_count[r->node] += r->management != 0;
    }
    return 0;
}

/* The service of node v whose name text is `name` (the row's borrowed text). */
static uint32_t service_named(const iotnet_net *net, uint32_t v, const char *name)
{
    for (uint32_t s = net->nodes.first_service[v]; s != IOTNET_NONE; s = net->services.items[s].next) {
        const char *t = iotnet__text(net, net->services.items[s].name);
        if (t == name || (t && !strcmp(t, name)))
            return s;
    }
    return IOTNET_NONE;
}

/* Fill a cache with the best class of every node and service that `from` reaches. */
static int reach_classes(const iotnet_net *net, const char *from, reach_cache *rc)
{
    rc->node_class = calloc((size_t)net->nodes.count + 1, 1);
    rc->service_class = calloc((size_t)net->services.count + 1, 1);
    if (!rc->node_class || !rc->service_class)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for reachability classes");
    iotnet_reach_options o = IOTNET_REACH_OPTIONS_INIT;
    o.from = from;
    iotnet_reach_result *r = NULL;
    int error = iotnet_reach(&r, net, &o);
    if (error == IOTNET_ENOTFOUND) {
        /* no such source in this model (no internet node, zone or node): nothing is reached */
        iotnet_error_clear();
        return 0;
    }
    if (error)
        return error;
    size_t count = iotnet_reach_count(r);
    for (size_t i = 0; i < count; i++) {
        iotnet_reach_row row;
        if (iotnet_reach_get(r, i, &row) != 0 || row.destination >= net->nodes.count)
            continue;
        uint8_t cls = (uint8_t)row.exposure;
        if (cls > rc->node_class[row.destination])
            rc->node_class[row.destination] = cls;
        if (row.service) {
            uint32_t s = service_named(net, row.destination, row.service);
            if (s != IOTNET_NONE && cls > rc->service_class[s])
                rc->service_class[s] = cls;
        }
    }
    iotnet_reach_result_free(r);
    return 0;
}

/* ---- the Internet's reach on a second thread ------------------------------------ */

/* Most catalogs ask what the Internet reaches, the costliest derived column.
 * It only reads the model, so a second thread computes it while the
 * evaluator works through the conditions that do not need it. */
struct reach_prefetch {
    pthread_t thread;
    const iotnet_net *net;
    iotnet__str from;     /* catalog string */
    const char *from_text;
    reach_cache cache;
    int error;
    char message[512];
};

static void *prefetch_run(void *arg)
{
    reach_prefetch *p = arg;
    p->error = reach_classes(p->net, p->from_text, &p->cache);
    if (p->error)
        snprintf(p->message, sizeof p->message, "%s", iotnet_error_last()->message);
    return NULL;
}

/* Whether some condition of the catalog reads the Internet's exposure classes. */
static bool catalog_reads_exposure(const iotnet_catalog *cat, iotnet__str internet)
{
    for (uint32_t i = 0; i < cat->conds.count; i++) {
        const cond *c = &cat->conds.items[i];
        if (c->type == C_REACH && c->attr == internet)
            return true;
        if (c->type == C_FIELD && (c->field == F_NODE_EXPOSURE || c->field == F_SVC_EXPOSURE ||
                                   c->field == F_NODE_EXPOSED_COUNT))
            return true;
    }
    return false;
}

int iotnet__prefetch_start(eval_ctx *e)
{
    iotnet__str internet = iotnet__strpool_lookup(&e->cat->strings, "internet");
    if (e->prefetch || !catalog_reads_exposure(e->cat, internet))
        return 0;
    reach_prefetch *p = calloc(1, sizeof *p);
    if (!p)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for reachability classes");
    p->net = e->net;
    p->from = internet;
    p->from_text = cat_text(e->cat, internet);
    if (pthread_create(&p->thread, NULL, prefetch_run, p) != 0) {
        free(p); /* no second thread: the classes are computed when first needed */
        return 0;
    }
    e->prefetch = p;
    return 0;
}

/* Wait for the second thread and keep what it computed. */
static int prefetch_finish(eval_ctx *e, bool keep)
{
    reach_prefetch *p = e->prefetch;
    e->prefetch = NULL;
    pthread_join(p->thread, NULL);
    int error = keep && p->error ? iotnet__error_set(p->error, "%s", p->message) : 0;
    if (keep && !error && !(error = IOTNET__VEC_PUSH_ROOM(e->reaches))) {
        p->cache.from = p->from;
        e->reaches.items[e->reaches.count++] = p->cache;
    } else {
        free(p->cache.node_class);
        free(p->cache.service_class);
    }
    free(p);
    return error;
}

void iotnet__prefetch_cancel(eval_ctx *e)
{
    /* after a failure elsewhere too: the thread's result and error are dropped,
       the caller's error stays */
    if (e->prefetch)
        prefetch_finish(e, false);
}

/* Classes of every node and service from `from` (one iotnet_reach per source). */
int iotnet__need_reach(eval_ctx *e, iotnet__str from, const reach_cache **out)
{
    if (e->prefetch && e->prefetch->from == from) {
        int error = prefetch_finish(e, true);
        if (error)
            return error;
    }
    for (uint32_t i = 0; i < e->reaches.count; i++)
        if (e->reaches.items[i].from == from) {
            *out = &e->reaches.items[i];
            return 0;
        }
    int error = IOTNET__VEC_PUSH_ROOM(e->reaches);
    if (error)
        return error;
    reach_cache *rc = &e->reaches.items[e->reaches.count++];
    memset(rc, 0, sizeof *rc);
    rc->from = from;
    *out = rc;
    return reach_classes(e->net, cat_text(e->cat, from), rc);
}

int iotnet__need_exposure(eval_ctx *e, const reach_cache **out)
{
    /* every set interns "internet" when it is made */
    iotnet__str internet = iotnet__strpool_lookup(&e->cat->strings, "internet");
    int error = iotnet__need_reach(e, internet, out);
    if (error || e->exposed_count)
        return error;
    const iotnet_net *net = e->net;
    e->exposed_count = calloc((size_t)net->nodes.count + 1, sizeof(uint32_t));
    if (!e->exposed_count)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for exposed service counts");
    for (uint32_t s = 0; s < net->services.count; s++)
        if (net->services.items[s].node != IOTNET_NONE && (*out)->service_class[s] > IOTNET_EXPOSURE_REPLY_ONLY)
            e->exposed_count[net->services.items[s].node]++;
    return 0;
}

int iotnet__need_media(eval_ctx *e)
{
    if (e->media)
        return 0;
    const iotnet_net *net = e->net;
    if (!(e->media = calloc((size_t)net->nodes.count + 1, sizeof(uint32_t))))
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for link media");
    for (uint32_t l = 0; l < net->links.count; l++)
        if (net->links.alive[l]) {
            uint32_t bit = net->links.medium[l] < 32 ? (uint32_t)1 << net->links.medium[l] : 0;
            e->media[net->links.a[l]] |= bit;
            e->media[net->links.b[l]] |= bit;
        }
    return 0;
}

/* Every node's access gateways, as the MUD layer finds them (reach_mud.c). */
int iotnet__need_gateways(eval_ctx *e)
{
    if (e->gw_first)
        return 0;
    const iotnet_net *net = e->net;
    uint32_t n = net->nodes.count;
    reach_ctx g;
    int error = iotnet__reach_graph_init(&g, net);
    if (error)
        return error;
    uint32_t *queue = malloc(((size_t)n + 1) * sizeof(uint32_t));
    uint8_t *seen = calloc((size_t)n + 1, 1);
    e->gw_first = calloc((size_t)n + 2, sizeof(uint32_t));
    iotnet__u32vec found = {0};
    if (!queue || !seen || !e->gw_first)
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory for access gateways");
    bool any_enforcement = false;
    for (uint32_t v = 0; v < n && !error; v++)
        any_enforcement |= g.enforce[v] && g.transit[v];
    for (uint32_t v = 0; v < n && !error && any_enforcement; v++) {
        e->gw_first[v] = found.count;
        if (net->nodes.alive[v])
            error = iotnet__nearest_gateways(&g, v, queue, seen, &found);
    }
    if (!error) {
        if (!any_enforcement)
            memset(e->gw_first, 0, ((size_t)n + 2) * sizeof(uint32_t));
        e->gw_first[n] = found.count;
        e->gw = found.items;
    } else
        free(found.items);
    free(queue);
    free(seen);
    iotnet__reach_ctx_free(&g);
    return error;
}

/* The zone matrix explores from every zone: past 512 zones, or past 20
 * million zone x node steps, it is not computed, and uncovered-flows counts
 * what the internet reaches instead. */
#define ZONE_MATRIX_LIMIT 512
#define ZONE_MATRIX_STEPS 20000000.0

typedef struct zone_service {
    uint32_t zone;
    int protocol;
    uint16_t port;
} zone_service;

static int zone_service_cmp(const void *x, const void *y)
{
    const zone_service *a = x, *b = y;
    if (a->zone != b->zone)
        return a->zone < b->zone ? -1 : 1;
    if (a->protocol != b->protocol)
        return a->protocol - b->protocol;
    return (int)a->port - (int)b->port;
}

typedef IOTNET__VEC(zone_service) zone_service_vec;

static int zone_service_push(zone_service_vec *v, uint32_t zone, int protocol, uint16_t port)
{
    int error = IOTNET__VEC_PUSH_ROOM(*v);
    if (!error)
        v->items[v->count++] = (zone_service){zone, protocol, port};
    return error;
}

/* Whether a conduit lets zone `from` open (protocol, port) in zone `to`. */
static bool conduit_covers(const iotnet_net *net, uint32_t from, uint32_t to, int protocol, uint16_t port)
{
    const conduit_table *t = &net->conduits;
    for (uint32_t c = 0; c < t->count; c++) {
        if (!t->alive[c] || !((t->from[c] == from && t->to[c] == to) ||
                              (t->bidirectional[c] && t->from[c] == to && t->to[c] == from)))
            continue;
        const char *p = iotnet__text(net, t->services[c]);
        if (!p || !*p)
            return true;
        while (*p) {
            while (*p == ' ')
                p++;
            size_t n = strcspn(p, " ");
            int proto, lo, hi;
            if (n && iotnet__service_parse(p, n, &proto, &lo, &hi) == 0 &&
                (proto == IOTNET_PROTO_ANY || proto == protocol) &&
                ((lo == 0 && hi == 0) || (port >= lo && port <= hi)))
                return true;
            p += n;
        }
    }
    return false;
}

/* Distinct (protocol, port) per zone, from the sorted list. */
static void zone_services_count(eval_ctx *e, zone_service *items, uint32_t count)
{
    if (count == 0) /* items is NULL then, which qsort must not be given */
        return;
    qsort(items, count, sizeof *items, zone_service_cmp);
    for (uint32_t i = 0; i < count; i++)
        if (i == 0 || zone_service_cmp(&items[i - 1], &items[i]) != 0)
            e->zone_uncovered[items[i].zone]++;
}

static int parse_flow_word(const char *p, size_t n, int *protocol, uint16_t *port)
{
    int lo, hi;
    if (iotnet__service_parse(p, n, protocol, &lo, &hi) != 0)
        return -1;
    *port = (uint16_t)lo;
    return 0;
}

/* The zone matrix's violations into each zone, distinct services counted once. */
static int uncovered_from_matrix(eval_ctx *e)
{
    iotnet_zone_matrix *m = NULL;
    int error = iotnet_zone_matrix_compute(&m, e->net);
    if (error)
        return error;
    zone_service_vec v = {0};
    for (size_t i = 0; i < iotnet_zone_matrix_count(m) && !error; i++) {
        iotnet_zone_flow f;
        if (iotnet_zone_matrix_get(m, i, &f) != 0 || f.to_zone >= e->net->zones.count)
            continue;
        for (const char *p = f.violations; p && *p && !error;) {
            while (*p == ' ')
                p++;
            size_t n = strcspn(p, " ");
            int protocol;
            uint16_t port;
            if (n && parse_flow_word(p, n, &protocol, &port) == 0)
                error = zone_service_push(&v, f.to_zone, protocol, port);
            p += n;
        }
    }
    iotnet_zone_matrix_free(m);
    if (!error)
        zone_services_count(e, v.items, v.count);
    free(v.items);
    return error;
}

/* Services the internet reaches (above reply-only) in a zone other than its
 * own without a conduit from the internet's zone. */
static int uncovered_from_internet(eval_ctx *e)
{
    const iotnet_net *net = e->net;
    const reach_cache *rc;
    int error = iotnet__need_exposure(e, &rc);
    if (error)
        return error;
    uint32_t from = IOTNET_NONE;
    for (uint32_t v = 0; v < net->nodes.count && from == IOTNET_NONE; v++)
        if (net->nodes.alive[v] && iotnet_kind_is_a(net, net->nodes.kind[v], net->kind_internet))
            from = net->nodes.zone[v];
    zone_service_vec list = {0};
    for (uint32_t s = 0; s < net->services.count && !error; s++) {
        const service_rec *r = &net->services.items[s];
        if (r->node == IOTNET_NONE || rc->service_class[s] <= IOTNET_EXPOSURE_REPLY_ONLY)
            continue;
        uint32_t z = net->nodes.zone[r->node];
        if (z == IOTNET_NONE || z == from || (from != IOTNET_NONE && conduit_covers(net, from, z, r->protocol, r->port)))
            continue;
        error = zone_service_push(&list, z, r->protocol, r->port);
    }
    if (!error)
        zone_services_count(e, list.items, list.count);
    free(list.items);
    return error;
}

int iotnet__need_zones(eval_ctx *e, bool uncovered)
{
    const iotnet_net *net = e->net;
    if (!e->zone_nodes) {
        if (!(e->zone_nodes = calloc((size_t)net->zones.count + 1, sizeof(uint32_t))))
            return iotnet__error_set(IOTNET_ENOMEM, "out of memory for zone counts");
        for (uint32_t v = 0; v < net->nodes.count; v++)
            if (net->nodes.alive[v] && net->nodes.zone[v] != IOTNET_NONE)
                e->zone_nodes[net->nodes.zone[v]]++;
    }
    if (!uncovered || e->zone_uncovered)
        return 0;
    if (!(e->zone_uncovered = calloc((size_t)net->zones.count + 1, sizeof(uint32_t))))
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for zone counts");
    bool exact = net->zones.live <= ZONE_MATRIX_LIMIT && (double)net->zones.live * net->nodes.live <= ZONE_MATRIX_STEPS;
    return exact ? uncovered_from_matrix(e) : uncovered_from_internet(e);
}
