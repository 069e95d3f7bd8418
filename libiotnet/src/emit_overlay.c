/* What an export marks beside the model's own facts: exposure to the
 * Internet, open findings, and the gateways that enforce MUD profiles. */
#include "emit_internal.h"
#include "error_internal.h"
#include "iotnet/mud.h"
#include "iotnet/names.h"
#include "iotnet/reach.h"
#include "net_internal.h"
#include "reach_internal.h"

#include <stdlib.h>
#include <string.h>

static int out_of_memory(void)
{
    return iotnet__error_set(IOTNET_ENOMEM, "out of memory marking the export");
}

/* ------------------------------------------------------------------ */
/* MUD gateways                                                        */

static bool any_mud_profile(const iotnet_net *net)
{
    for (iotnet_index n = iotnet_node_next(net, IOTNET_NONE); n != IOTNET_NONE; n = iotnet_node_next(net, n))
        if (iotnet_node_mud_exists(net, n))
            return true;
    return false;
}

/* For each node, how many devices' MUD profiles it enforces: the devices'
   access gateways, found as the reachability engine finds them. */
static int count_mud_gateways(iotnet__overlay *ov, const iotnet_net *net)
{
    if (!any_mud_profile(net))
        return 0;
    reach_ctx g;
    int error = iotnet__reach_graph_init(&g, net);
    if (error)
        return error;
    uint32_t *queue = malloc((ov->node_slots + 1) * sizeof *queue);
    uint8_t *seen = calloc(ov->node_slots + 1, 1);
    iotnet__u32vec found = {0};
    if (!queue || !seen)
        error = out_of_memory();
    for (iotnet_index n = iotnet_node_next(net, IOTNET_NONE); n != IOTNET_NONE && !error;
         n = iotnet_node_next(net, n)) {
        if (!iotnet_node_mud_exists(net, n))
            continue;
        found.count = 0;
        error = iotnet__nearest_gateways(&g, n, queue, seen, &found);
        for (uint32_t i = 0; i < found.count && !error; i++)
            ov->mud_devices[found.items[i]]++;
    }
    free(found.items);
    free(queue);
    free(seen);
    iotnet__reach_ctx_free(&g);
    return error;
}

/* ------------------------------------------------------------------ */
/* Exposure                                                            */

static bool has_internet_node(const iotnet_net *net)
{
    for (iotnet_index n = iotnet_node_next(net, IOTNET_NONE); n != IOTNET_NONE; n = iotnet_node_next(net, n))
        if (strcmp(iotnet_export_kind_family(net, iotnet_node_kind(net, n)), "internet") == 0)
            return true;
    return false;
}

/* "web tcp/80 port-forward via router:8080" */
static void append_exposed(iotnet__buf *b, const iotnet_net *net, const iotnet_reach_row *row)
{
    const char *proto = iotnet_enum_name(IOTNET_ENUM_PROTOCOL, row->protocol);
    if (b->len)
        iotnet__buf_puts(b, "; ");
    iotnet__buf_printf(b, "%s %s", row->service, proto ? proto : "?");
    if (row->port)
        iotnet__buf_printf(b, "/%u", (unsigned)row->port);
    iotnet__buf_printf(b, " %s", iotnet_enum_name(IOTNET_ENUM_EXPOSURE, (int)row->exposure));
    iotnet_node_spec entry;
    if (row->entry_node != row->destination && iotnet_node_get(net, row->entry_node, &entry) == 0) {
        iotnet__buf_printf(b, " via %s", entry.id);
        if (row->entry_port)
            iotnet__buf_printf(b, ":%u", (unsigned)row->entry_port);
    }
}

/* The exposed services gathered for `node` become its line. */
static int flush_exposed(iotnet__overlay *ov, iotnet__buf *b, iotnet_index node)
{
    if (b->failed)
        return out_of_memory();
    if (node == IOTNET_NONE || b->len == 0)
        return 0;
    ov->exposed[node] = iotnet__buf_detach(b);
    return ov->exposed[node] ? 0 : out_of_memory();
}

/* Rows come ordered by destination: one line per destination in turn. */
static int read_exposure(iotnet__overlay *ov, const iotnet_net *net, const iotnet_reach_result *rows)
{
    iotnet__buf b = {0};
    iotnet_index current = IOTNET_NONE;
    size_t count = iotnet_reach_count(rows);
    int error = 0;
    for (size_t i = 0; i < count && !error; i++) {
        iotnet_reach_row row = {.version = IOTNET_REACH_ROW_VERSION};
        if ((error = iotnet_reach_get(rows, i, &row)))
            break;
        if (row.destination >= ov->node_slots)
            continue;
        if (row.destination != current) {
            error = flush_exposed(ov, &b, current);
            current = row.destination;
        }
        if ((int)row.exposure > ov->node_exposure[row.destination])
            ov->node_exposure[row.destination] = (int8_t)row.exposure;
        if (row.service && row.exposure > IOTNET_EXPOSURE_REPLY_ONLY)
            append_exposed(&b, net, &row);
    }
    if (!error)
        error = flush_exposed(ov, &b, current);
    iotnet__buf_free(&b);
    return error;
}

static int compute_exposure(iotnet__overlay *ov, const iotnet_net *net)
{
    ov->node_exposure = malloc((ov->node_slots + 1) * sizeof *ov->node_exposure);
    ov->exposed = calloc(ov->node_slots + 1, sizeof *ov->exposed);
    if (!ov->node_exposure || !ov->exposed)
        return out_of_memory();
    for (iotnet_index n = iotnet_node_next(net, IOTNET_NONE); n != IOTNET_NONE; n = iotnet_node_next(net, n)) {
        int source = strcmp(iotnet_export_kind_family(net, iotnet_node_kind(net, n)), "internet") == 0;
        ov->node_exposure[n] = source ? IOTNET__NOT_EXPOSED : IOTNET_EXPOSURE_NONE;
    }
    iotnet_reach_options q = IOTNET_REACH_OPTIONS_INIT;
    q.from = "internet";
    iotnet_reach_result *rows = NULL;
    int error = iotnet_reach(&rows, net, &q);
    if (!error)
        error = read_exposure(ov, net, rows);
    iotnet_reach_result_free(rows);
    return error;
}

/* ------------------------------------------------------------------ */
/* Findings                                                            */

/* The node of a service target "node/service": node ids may hold '/', so
   the longest prefix that names a node with that service wins. */
static int service_node(const iotnet_net *net, const char *target, iotnet_index *out)
{
    char *copy = iotnet__strdup(target);
    if (!copy)
        return IOTNET_ENOMEM;
    int error = IOTNET_ENOTFOUND;
    for (char *slash = strrchr(copy, '/'); slash && error; slash = strrchr(copy, '/')) {
        *slash = '\0';
        iotnet_index node;
        if (iotnet_node_find(net, &node, copy) != 0)
            continue;
        for (size_t i = 0; i < iotnet_service_count(net, node) && error; i++) {
            iotnet_service svc;
            if (iotnet_service_get(net, node, i, &svc) == 0 && strcmp(svc.name, slash + 1) == 0) {
                *out = node;
                error = 0;
            }
        }
    }
    free(copy);
    return error;
}

static void mark(uint32_t *open, uint8_t *risk, iotnet_index at, int residual)
{
    open[at]++;
    if (residual > risk[at])
        risk[at] = (uint8_t)(residual > 255 ? 255 : residual);
}

static int mark_finding(iotnet__overlay *ov, const iotnet_net *net, const iotnet_finding *f)
{
    iotnet_index at = IOTNET_NONE;
    int error = 0;
    switch (f->target_kind) {
    case IOTNET_TARGET_NODE:
        error = iotnet_node_find(net, &at, f->target);
        break;
    case IOTNET_TARGET_SERVICE:
        error = service_node(net, f->target, &at);
        break;
    case IOTNET_TARGET_LINK:
        error = iotnet_link_find(net, &at, f->target);
        break;
    case IOTNET_TARGET_ZONE:
        error = iotnet_zone_find(net, &at, f->target);
        break;
    case IOTNET_TARGET_CONDUIT:
        return 0; /* conduits are not drawn */
    }
    if (error == IOTNET_ENOMEM)
        return out_of_memory();
    if (error || at == IOTNET_NONE)
        return iotnet__error_set(IOTNET_EINVAL, "finding '%s' names '%s', which this model does not have",
                                 f->id, f->target);
    if (f->target_kind == IOTNET_TARGET_LINK)
        mark(ov->link_open, ov->link_risk, at, f->residual_risk);
    else if (f->target_kind == IOTNET_TARGET_ZONE)
        mark(ov->zone_open, ov->zone_risk, at, f->residual_risk);
    else
        mark(ov->node_open, ov->node_risk, at, f->residual_risk);
    return 0;
}

static int count_findings(iotnet__overlay *ov, const iotnet_net *net, const iotnet_findings *findings)
{
    ov->node_open = calloc(ov->node_slots + 1, sizeof *ov->node_open);
    ov->link_open = calloc(ov->link_slots + 1, sizeof *ov->link_open);
    ov->zone_open = calloc(ov->zone_slots + 1, sizeof *ov->zone_open);
    ov->node_risk = calloc(ov->node_slots + 1, 1);
    ov->link_risk = calloc(ov->link_slots + 1, 1);
    ov->zone_risk = calloc(ov->zone_slots + 1, 1);
    if (!ov->node_open || !ov->link_open || !ov->zone_open || !ov->node_risk || !ov->link_risk ||
        !ov->zone_risk)
        return out_of_memory();
    size_t count = iotnet_findings_count(findings);
    for (size_t i = 0; i < count; i++) {
        iotnet_finding f = {.version = IOTNET_FINDING_VERSION};
        int error = iotnet_findings_get(findings, i, &f);
        if (!error && f.status == IOTNET_FINDING_OPEN)
            error = mark_finding(ov, net, &f);
        if (error)
            return error;
    }
    return 0;
}

/* ------------------------------------------------------------------ */

/* One past the highest index `next` gives. */
static size_t slots_of(const iotnet_net *net, iotnet_index (*next)(const iotnet_net *, iotnet_index))
{
    size_t slots = 0;
    for (iotnet_index i = next(net, IOTNET_NONE); i != IOTNET_NONE; i = next(net, i))
        if ((size_t)i + 1 > slots)
            slots = (size_t)i + 1;
    return slots;
}

int iotnet__overlay_build(iotnet__overlay *ov, const iotnet_net *net, const iotnet_export_options *opts)
{
    memset(ov, 0, sizeof *ov);
    ov->node_slots = slots_of(net, iotnet_node_next);
    ov->link_slots = slots_of(net, iotnet_link_next);
    ov->zone_slots = slots_of(net, iotnet_zone_next);
    ov->mud_devices = calloc(ov->node_slots + 1, sizeof *ov->mud_devices);
    int error = ov->mud_devices ? count_mud_gateways(ov, net) : out_of_memory();
    if (!error && opts && opts->exposure) {
        ov->exposure_asked = true;
        ov->exposure = has_internet_node(net);
        if (ov->exposure)
            error = compute_exposure(ov, net);
    }
    if (!error && opts && opts->findings) {
        ov->findings = true;
        error = count_findings(ov, net, opts->findings);
    }
    if (error)
        iotnet__overlay_free(ov);
    return error;
}

void iotnet__overlay_free(iotnet__overlay *ov)
{
    if (ov->exposed)
        for (size_t i = 0; i < ov->node_slots; i++)
            free(ov->exposed[i]);
    free(ov->exposed);
    free(ov->node_exposure);
    free(ov->mud_devices);
    free(ov->node_open);
    free(ov->link_open);
    free(ov->zone_open);
    free(ov->node_risk);
    free(ov->link_risk);
    free(ov->zone_risk);
    memset(ov, 0, sizeof *ov);
}

int iotnet__overlay_node_exposure(const iotnet__overlay *ov, iotnet_index node)
{
    if (!ov->exposure || node >= ov->node_slots)
        return IOTNET__NOT_EXPOSED;
    return ov->node_exposure[node];
}

const char *iotnet__overlay_exposed(const iotnet__overlay *ov, iotnet_index node)
{
    return ov->exposure && node < ov->node_slots ? ov->exposed[node] : NULL;
}
