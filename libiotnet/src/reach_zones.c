/* The zone matrix: what each zone can open towards each other zone, and
 * what of it no declared conduit covers. */
#include "reach_internal.h"
#include "error_internal.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct zone_cell {
    iotnet_zone_flow flow;
    char *services, *violations;
} zone_cell;

struct iotnet_zone_matrix {
    zone_cell *cells;
    size_t count, cap, violating;
};

/* Whether a conduit's service list ("" = any) covers protocol/port. */
static bool services_cover(const char *list, int protocol, uint16_t port)
{
    if (!list || !*list)
        return true;
    for (const char *p = list; *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        int proto, lo, hi;
        if (n && iotnet__service_parse(p, n, &proto, &lo, &hi) == 0 &&
            (proto == IOTNET_PROTO_ANY || (proto == protocol && (proto == IOTNET_PROTO_ICMP || (port >= lo && port <= hi)))))
            return true;
        p += n;
    }
    return false;
}

/* The conduit covering a flow from zone a to zone b, or IOTNET_NONE. */
static uint32_t covering_conduit(const iotnet_net *net, uint32_t a, uint32_t b, int protocol, uint16_t port)
{
    for (uint32_t c = 0; c < net->conduits.count; c++) {
        if (!net->conduits.alive[c])
            continue;
        bool forward = net->conduits.from[c] == a && net->conduits.to[c] == b;
        bool back = net->conduits.bidirectional[c] && net->conduits.from[c] == b && net->conduits.to[c] == a;
        if ((forward || back) && services_cover(iotnet__text(net, net->conduits.services[c]), protocol, port))
            return c;
    }
    return IOTNET_NONE;
}

static uint32_t conduit_between(const iotnet_net *net, uint32_t a, uint32_t b)
{
    for (uint32_t c = 0; c < net->conduits.count; c++)
        if (net->conduits.alive[c] && net->conduits.from[c] == a && net->conduits.to[c] == b)
            return c;
    return IOTNET_NONE;
}

typedef struct flow_key {
    uint32_t zone;
    int protocol;
    uint16_t port;
} flow_key;

static int key_cmp(const void *x, const void *y)
{
    const flow_key *a = x, *b = y;
    if (a->zone != b->zone)
        return a->zone < b->zone ? -1 : 1;
    if (a->protocol != b->protocol)
        return a->protocol - b->protocol;
    return (int)a->port - (int)b->port;
}

static void service_word(iotnet__buf *b, int protocol, uint16_t port)
{
    if (b->len)
        iotnet__buf_puts(b, " ");
    if (protocol == IOTNET_PROTO_ICMP)
        iotnet__buf_puts(b, "icmp");
    else
        iotnet__buf_printf(b, "%s/%u", iotnet_enum_name(IOTNET_ENUM_PROTOCOL, protocol), port);
}

static int cell_add(iotnet_zone_matrix *m, const iotnet_net *net, uint32_t from, uint32_t to, iotnet__buf *svc,
                    iotnet__buf *bad)
{
    if (m->count == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        zone_cell *cells = realloc(m->cells, cap * sizeof *cells);
        if (!cells)
            return iotnet__error_set(IOTNET_ENOMEM, "out of memory for the zone matrix");
        m->cells = cells;
        m->cap = cap;
    }
    zone_cell *c = &m->cells[m->count];
    c->services = iotnet__buf_detach(svc);
    c->violations = bad->len ? iotnet__buf_detach(bad) : iotnet__strdup("");
    if (!c->services || !c->violations) {
        free(c->services);
        free(c->violations);
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for the zone matrix");
    }
    c->flow = (iotnet_zone_flow){IOTNET_ZONE_FLOW_VERSION, from, to, c->services, c->violations,
                                 conduit_between(net, from, to)};
    m->violating += *c->violations != '\0';
    m->count++;
    return 0;
}

/* Rows of one source zone: the flows it opens, grouped by destination zone. */
static int zone_rows(iotnet_zone_matrix *m, const iotnet_net *net, uint32_t zone, flow_key *keys, size_t n)
{
    qsort(keys, n, sizeof *keys, key_cmp);
    int error = 0;
    for (size_t i = 0; i < n && !error;) {
        uint32_t to = keys[i].zone;
        iotnet__buf svc = {0}, bad = {0};
        for (; i < n && keys[i].zone == to; i++) {
            if (i && !key_cmp(&keys[i], &keys[i - 1]))
                continue;
            service_word(&svc, keys[i].protocol, keys[i].port);
            if (covering_conduit(net, zone, to, keys[i].protocol, keys[i].port) == IOTNET_NONE)
                service_word(&bad, keys[i].protocol, keys[i].port);
        }
        error = svc.failed || bad.failed ? iotnet__error_set(IOTNET_ENOMEM, "out of memory for the zone matrix")
                                         : cell_add(m, net, zone, to, &svc, &bad);
        iotnet__buf_free(&svc);
        iotnet__buf_free(&bad);
    }
    return error;
}

/* Flows zone `zone` can open (more than replies) towards nodes of other zones. */
static int zone_flows(const iotnet_net *net, uint32_t zone, flow_key **out, size_t *count)
{
    char from[512];
    snprintf(from, sizeof from, "zone:%s", iotnet__text(net, net->zones.id[zone]));
    iotnet_reach_options opts = IOTNET_REACH_OPTIONS_INIT;
    opts.from = from;
    iotnet_reach_result *rows;
    int error = iotnet_reach(&rows, net, &opts);
    if (error)
        return error;
    size_t n = iotnet_reach_count(rows), k = 0;
    flow_key *keys = malloc((n + 1) * sizeof *keys);
    if (!keys) {
        iotnet_reach_result_free(rows);
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for the zone matrix");
    }
    for (size_t i = 0; i < n; i++) {
        iotnet_reach_row r;
        iotnet_reach_get(rows, i, &r);
        uint32_t to = net->nodes.zone[r.destination];
        if (to == IOTNET_NONE || to == zone || !r.service || r.exposure <= IOTNET_EXPOSURE_REPLY_ONLY)
            continue;
        keys[k++] = (flow_key){to, r.protocol, r.port};
    }
    iotnet_reach_result_free(rows);
    *out = keys;
    *count = k;
    return 0;
}

int iotnet_zone_matrix_compute(iotnet_zone_matrix **out, const iotnet_net *net)
{
    if (!out || !net)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_zone_matrix_compute: out and net are required");
    *out = NULL;
    iotnet_zone_matrix *m = calloc(1, sizeof *m);
    if (!m)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for the zone matrix");
    int error = 0;
    for (uint32_t z = 0; z < net->zones.count && !error; z++) {
        if (!net->zones.alive[z])
            continue;
        bool populated = false;
        for (uint32_t v = 0; v < net->nodes.count && !populated; v++)
            populated = net->nodes.alive[v] && net->nodes.zone[v] == z;
        if (!populated)
            continue;
        flow_key *keys;
        size_t n;
        if (!(error = zone_flows(net, z, &keys, &n))) {
            error = zone_rows(m, net, z, keys, n);
            free(keys);
        }
    }
    if (error) {
        iotnet_zone_matrix_free(m);
        return error;
    }
    *out = m;
    return 0;
}

size_t iotnet_zone_matrix_count(const iotnet_zone_matrix *m)
{
    return m ? m->count : 0;
}

int iotnet_zone_matrix_get(const iotnet_zone_matrix *m, size_t i, iotnet_zone_flow *out)
{
    if (!m || !out || i >= m->count)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_zone_matrix_get: no row %zu", i);
    *out = m->cells[i].flow;
    return 0;
}

size_t iotnet_zone_matrix_violation_count(const iotnet_zone_matrix *m)
{
    return m ? m->violating : 0;
}

void iotnet_zone_matrix_free(iotnet_zone_matrix *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->count; i++) {
        free(m->cells[i].services);
        free(m->cells[i].violations);
    }
    free(m->cells);
    free(m);
}
