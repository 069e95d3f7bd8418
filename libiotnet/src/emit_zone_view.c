/* The zone view: what SVG draws instead of every node when a model is too
 * large for dot to lay out node by node in a few seconds (emit.c). Each zone
 * is one node saying how many nodes and links it holds, conduits join zones
 * as declared, and the links between the nodes of two zones are one edge
 * with their number. Without clusters and with a node per zone, dot lays
 * out a thousand zones in about a second. */
#include "emit_internal.h"
#include "error_internal.h"
#include "iotnet/names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINKS_COLOUR "#888888"
#define CONDUIT_COLOUR "#1f5fa8"

typedef struct zone_view {
    iotnet__zone_groups groups;
    size_t buckets;          /* zones, and a last one for the nodes without a zone */
    size_t *bucket_of_node;  /* by node index */
    size_t node_slots;
    size_t *inner_links;     /* by bucket: links within the zone */
    uint64_t *between;       /* per link between zones: lower bucket << 32 | higher */
    size_t between_count;
    size_t edge_count;       /* distinct zone pairs joined by links, and conduits */
    char *unzoned;           /* the name of the bucket without a zone */
} zone_view;

static void zone_view_free(zone_view *v)
{
    iotnet__zone_groups_free(&v->groups);
    free(v->bucket_of_node);
    free(v->inner_links);
    free(v->between);
    free(v->unzoned);
}

static int no_memory(void)
{
    return iotnet__error_set(IOTNET_ENOMEM, "out of memory drawing the zone view");
}

static int place_nodes(zone_view *v)
{
    const iotnet__zone_groups *zg = &v->groups;
    size_t nodes = zg->start[v->buckets];
    for (size_t i = 0; i < nodes; i++)
        if ((size_t)zg->order[i] + 1 > v->node_slots)
            v->node_slots = (size_t)zg->order[i] + 1;
    v->bucket_of_node = calloc(v->node_slots + 1, sizeof *v->bucket_of_node);
    if (!v->bucket_of_node)
        return no_memory();
    for (size_t b = 0; b < v->buckets; b++)
        for (size_t i = zg->start[b]; i < zg->start[b + 1]; i++)
            v->bucket_of_node[zg->order[i]] = b;
    return 0;
}

static int compare_pairs(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Links within a zone are counted on it; links between zones are sorted by
   the pair they join, so that equal pairs are neighbours. */
static int sort_links(zone_view *v, const iotnet_net *net)
{
    v->inner_links = calloc(v->buckets, sizeof *v->inner_links);
    v->between = malloc((iotnet_link_count(net) + 1) * sizeof *v->between);
    if (!v->inner_links || !v->between)
        return no_memory();
    for (iotnet_index l = iotnet_link_next(net, IOTNET_NONE); l != IOTNET_NONE; l = iotnet_link_next(net, l)) {
        iotnet_index a, b;
        int error = iotnet_link_ends(net, l, &a, &b);
        if (error)
            return error;
        size_t za = v->bucket_of_node[a], zb = v->bucket_of_node[b];
        if (za == zb) {
            v->inner_links[za]++;
            continue;
        }
        size_t low = za < zb ? za : zb, high = za < zb ? zb : za;
        v->between[v->between_count++] = (uint64_t)low << 32 | high;
    }
    qsort(v->between, v->between_count, sizeof *v->between, compare_pairs);
    v->edge_count = iotnet_conduit_count(net);
    for (size_t i = 0; i < v->between_count; i++)
        v->edge_count += i == 0 || v->between[i] != v->between[i - 1];
    return 0;
}

/* "(no zone)", primed until no zone has that id. */
static int name_unzoned(zone_view *v, const iotnet_net *net)
{
    iotnet__buf name = {0};
    iotnet__buf_puts(&name, "(no zone)");
    iotnet_index found;
    while (!name.failed && iotnet_zone_find(net, &found, name.data) == 0)
        iotnet__buf_puts(&name, "'");
    if (name.failed) {
        iotnet__buf_free(&name);
        return no_memory();
    }
    v->unzoned = iotnet__buf_detach(&name);
    return v->unzoned ? 0 : no_memory();
}

static int build_view(zone_view *v, const iotnet_net *net)
{
    int error = iotnet__group_by_zone(&v->groups, net);
    if (error)
        return error;
    v->buckets = v->groups.zone_count + 1;
    error = place_nodes(v);
    if (!error)
        error = sort_links(v, net);
    if (!error)
        error = name_unzoned(v, net);
    return error;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

static const char *bucket_name(const zone_view *v, const iotnet_net *net, size_t bucket)
{
    iotnet_zone_spec spec;
    if (bucket < v->groups.zone_count && iotnet_zone_get(net, v->groups.zones[bucket], &spec) == 0)
        return spec.id;
    return v->unzoned;
}

static size_t nodes_in(const zone_view *v, size_t bucket)
{
    return v->groups.start[bucket + 1] - v->groups.start[bucket];
}

static void plural(iotnet__buf *b, size_t count, const char *what)
{
    iotnet__buf_printf(b, "%zu %s%s", count, what, count == 1 ? "" : "s");
}

static void write_header(iotnet__buf *b, const iotnet_net *net, const zone_view *v, const iotnet__overlay *ov)
{
    const char *name = iotnet_net_name(net);
    iotnet__buf title = {0};
    iotnet__buf_printf(&title, "%s (zone view)", name ? name : "network");
    iotnet__buf_puts(b, "graph ");
    iotnet__dot_quoted(b, title.failed ? "zone view" : title.data);
    iotnet__buf_puts(b, " {\n  graph [fontname=\"Helvetica\", labelloc=t, label=\"");
    iotnet__dot_escaped(b, title.failed ? "zone view" : title.data);
    iotnet__buf_free(&title);
    iotnet__buf_puts(b, "\\nzone view: ");
    plural(b, iotnet_node_count(net), "node");
    iotnet__buf_puts(b, " and ");
    plural(b, iotnet_link_count(net), "link");
    iotnet__buf_puts(b, " in ");
    plural(b, v->groups.zone_count, "zone");
    iotnet__buf_puts(b, ", too many to draw one by one in a few seconds: ask for the full drawing to see every node");
    if (ov->exposure)
        iotnet__buf_puts(b, "\\nfilled: the most open exposure to the Internet among a zone's nodes");
    if (ov->findings)
        iotnet__buf_puts(b, "\\ndark red: open findings on a zone and its nodes, with the highest residual risk");
    iotnet__buf_puts(b, "\"];\n  node [fontname=\"Helvetica\", fontsize=10, shape=box, style=\"rounded,filled\", "
                        "fillcolor=\"#ffffff\"];\n  edge [fontname=\"Helvetica\", fontsize=9];\n");
}

/* The most open exposure among the bucket's nodes, and its open findings
   with those of its nodes. */
static void bucket_marks(const zone_view *v, const iotnet__overlay *ov, size_t bucket, int *exposure,
                         uint32_t *open, uint8_t *risk)
{
    *exposure = IOTNET__NOT_EXPOSED;
    *open = 0;
    *risk = 0;
    iotnet_index zone = bucket < v->groups.zone_count ? v->groups.zones[bucket] : IOTNET_NONE;
    if (ov->findings && zone < ov->zone_slots) {
        *open = ov->zone_open[zone];
        *risk = ov->zone_risk[zone];
    }
    for (size_t i = v->groups.start[bucket]; i < v->groups.start[bucket + 1]; i++) {
        iotnet_index node = v->groups.order[i];
        int e = iotnet__overlay_node_exposure(ov, node);
        if (e > *exposure)
            *exposure = e;
        if (ov->findings && node < ov->node_slots && ov->node_open[node]) {
            *open += ov->node_open[node];
            if (ov->node_risk[node] > *risk)
                *risk = ov->node_risk[node];
        }
    }
}

static int write_zone(iotnet__buf *b, const iotnet_net *net, const iotnet__overlay *ov, const zone_view *v,
                      size_t bucket)
{
    const char *name = bucket_name(v, net, bucket);
    iotnet__buf_puts(b, "  ");
    iotnet__dot_quoted(b, name);
    iotnet__buf_puts(b, " [label=\"");
    iotnet__dot_escaped(b, name);
    if (bucket < v->groups.zone_count) {
        iotnet__buf summary = {0};
        int error = iotnet__emit_zone_summary(&summary, net, v->groups.zones[bucket]);
        if (!error && summary.data) {
            iotnet__buf_puts(b, "\\n");
            iotnet__dot_escaped(b, summary.data);
        }
        iotnet__buf_free(&summary);
        if (error)
            return error;
    }
    iotnet__buf_puts(b, "\\n");
    plural(b, nodes_in(v, bucket), "node");
    iotnet__buf_puts(b, ", ");
    plural(b, v->inner_links[bucket], "link");
    iotnet__buf_puts(b, " inside");
    int exposure;
    uint32_t open;
    uint8_t risk;
    bucket_marks(v, ov, bucket, &exposure, &open, &risk);
    if (exposure != IOTNET__NOT_EXPOSED)
        iotnet__buf_printf(b, "\\ninternet: %s", iotnet_enum_name(IOTNET_ENUM_EXPOSURE, exposure));
    if (open) {
        char line[64];
        iotnet__dot_findings_text(line, sizeof line, open, risk);
        iotnet__buf_printf(b, "\\n%s", line);
    }
    iotnet__buf_puts(b, "\"");
    const char *fill = iotnet__dot_exposure_fill(exposure);
    if (fill)
        iotnet__buf_printf(b, ", fillcolor=\"%s\"", fill);
    if (open)
        iotnet__buf_puts(b, ", color=\"" IOTNET__DOT_FINDINGS_COLOUR "\", fontcolor=\"" IOTNET__DOT_FINDINGS_COLOUR "\"");
    iotnet__buf_puts(b, "];\n");
    return 0;
}

/* One edge per pair of zones joined by links, with their number. */
static void write_links_between(iotnet__buf *b, const iotnet_net *net, const zone_view *v)
{
    for (size_t i = 0; i < v->between_count;) {
        size_t run = i;
        while (run < v->between_count && v->between[run] == v->between[i])
            run++;
        iotnet__dot_edge_start(b, bucket_name(v, net, (size_t)(v->between[i] >> 32)),
                               bucket_name(v, net, (size_t)(v->between[i] & 0xffffffffu)));
        iotnet__buf_puts(b, "xlabel=\"");
        plural(b, run - i, "link");
        iotnet__buf_puts(b, "\", color=\"" LINKS_COLOUR "\"];\n");
        i = run;
    }
}

/* Conduits as declared, with an arrow towards the zone they open and a
   second one when either side may initiate. */
static int write_conduits(iotnet__buf *b, const iotnet_net *net)
{
    for (iotnet_index c = iotnet_conduit_next(net, IOTNET_NONE); c != IOTNET_NONE; c = iotnet_conduit_next(net, c)) {
        iotnet_conduit_spec spec;
        int error = iotnet_conduit_get(net, c, &spec);
        if (error)
            return error;
        iotnet__dot_edge_start(b, spec.from_zone, spec.to_zone);
        iotnet__buf_puts(b, "xlabel=\"conduit ");
        iotnet__dot_escaped(b, spec.id);
        iotnet__buf_puts(b, "\\n");
        iotnet__dot_escaped(b, spec.services && spec.services[0] ? spec.services : "any");
        iotnet__buf_printf(b, "\", dir=%s, style=bold, color=\"" CONDUIT_COLOUR "\", fontcolor=\"" CONDUIT_COLOUR
                              "\"];\n", spec.bidirectional ? "both" : "forward");
    }
    return 0;
}

static int write_view(iotnet__buf *b, const iotnet_net *net, const iotnet__overlay *ov, const zone_view *v)
{
    write_header(b, net, v, ov);
    int error = 0;
    for (size_t z = 0; z < v->groups.zone_count && !error; z++)
        error = write_zone(b, net, ov, v, z);
    if (!error && nodes_in(v, v->groups.zone_count))
        error = write_zone(b, net, ov, v, v->groups.zone_count);
    if (!error)
        error = write_conduits(b, net);
    write_links_between(b, net, v);
    iotnet__buf_puts(b, "}\n");
    return error;
}

int iotnet__emit_zone_view(const iotnet_net *net, const iotnet__overlay *ov, char **out)
{
    zone_view v = {0};
    iotnet__buf b = {0};
    int error = build_view(&v, net);
    if (!error && (v.groups.zone_count > IOTNET_EXPORT_SVG_ZONE_VIEW_MAX_ZONES ||
                   v.edge_count > IOTNET_EXPORT_SVG_ZONE_VIEW_MAX_EDGES))
        error = iotnet__error_set(IOTNET_EINVAL,
                                  "the model has %zu nodes in %zu zones with %zu edges between them, too "
                                  "many to draw even as its zone view (at most %d zones and %d edges): "
                                  "export DOT or GraphML and lay it out with a tool for large graphs",
                                  iotnet_node_count(net), v.groups.zone_count, v.edge_count,
                                  IOTNET_EXPORT_SVG_ZONE_VIEW_MAX_ZONES, IOTNET_EXPORT_SVG_ZONE_VIEW_MAX_EDGES);
    if (!error)
        error = write_view(&b, net, ov, &v);
    if (!error && b.failed)
        error = no_memory();
    if (!error)
        *out = iotnet__buf_detach(&b);
    iotnet__buf_free(&b);
    zone_view_free(&v);
    return error;
}
