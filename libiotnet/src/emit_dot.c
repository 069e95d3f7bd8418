/* Graphviz DOT export: zones as clusters, enforcement points marked, and
 * on request what the Internet reaches and where findings are open. */
#include "emit_internal.h"
#include "error_internal.h"
#include "iotnet/names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Quoting                                                             */

/* Append text for a DOT quoted string: quotes and backslashes escaped (so
   labels show them literally), newlines as \n, what Graphviz cannot read as '?'. */
void iotnet__dot_escaped(iotnet__buf *b, const char *s)
{
    char *clean = NULL;
    if (!iotnet__text_is_clean(s)) {
        clean = iotnet__text_clean(s);
        if (!clean) {
            b->failed = 1;
            return;
        }
        s = clean;
    }
    const char *run = s;
    for (const char *p = s;; p++) {
        const char *escape = NULL;
        switch (*p) {
        case '"': escape = "\\\""; break;
        case '\\': escape = "\\\\"; break;
        case '\n': escape = "\\n"; break;
        case '\r': escape = ""; break;
        case '\t': escape = " "; break;
        default: break;
        }
        if (!escape && *p)
            continue;
        iotnet__buf_append(b, run, (size_t)(p - run));
        if (!*p)
            break;
        iotnet__buf_puts(b, escape);
        run = p + 1;
    }
    free(clean);
}

void iotnet__dot_quoted(iotnet__buf *b, const char *s)
{
    iotnet__buf_puts(b, "\"");
    iotnet__dot_escaped(b, s);
    iotnet__buf_puts(b, "\"");
}

void iotnet__dot_edge_start(iotnet__buf *b, const char *a, const char *z)
{
    iotnet__buf_puts(b, "  ");
    iotnet__dot_quoted(b, a);
    iotnet__buf_puts(b, " -- ");
    iotnet__dot_quoted(b, z);
    iotnet__buf_puts(b, " [");
}

/* One more line of a label: lines are joined with the DOT newline escape. */
static void label_line(iotnet__buf *label, const char *text)
{
    if (!text)
        return;
    if (label->len)
        iotnet__buf_puts(label, "\\n");
    iotnet__dot_escaped(label, text);
}

/* ------------------------------------------------------------------ */
/* Grouping nodes by zone                                              */

void iotnet__zone_groups_free(iotnet__zone_groups *zg)
{
    free(zg->zones);
    free(zg->order);
    free(zg->start);
}

/* Bucket of a node: the position of its zone, or zone_count for none. */
static size_t zone_bucket(const iotnet__zone_groups *zg, const size_t *pos_of_zone, size_t slots,
                          iotnet_index zone)
{
    return zone < slots ? pos_of_zone[zone] : zg->zone_count;
}

/* Counting sort of the nodes by zone: O(nodes + zones). */
int iotnet__group_by_zone(iotnet__zone_groups *zg, const iotnet_net *net)
{
    size_t slots = 0, nodes = iotnet_node_count(net);
    zg->zone_count = iotnet_zone_count(net);
    zg->zones = malloc((zg->zone_count + 1) * sizeof *zg->zones);
    zg->order = malloc((nodes + 1) * sizeof *zg->order);
    zg->start = calloc(zg->zone_count + 2, sizeof *zg->start);
    if (!zg->zones || !zg->order || !zg->start)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory writing DOT");
    size_t z = 0;
    for (iotnet_index i = iotnet_zone_next(net, IOTNET_NONE); i != IOTNET_NONE && z < zg->zone_count;
         i = iotnet_zone_next(net, i)) {
        zg->zones[z++] = i;
        if (i + 1 > slots)
            slots = (size_t)i + 1;
    }
    zg->zone_count = z;
    size_t *pos_of_zone = malloc((slots + 1) * sizeof *pos_of_zone);
    if (!pos_of_zone)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory writing DOT");
    for (size_t s = 0; s < slots; s++)
        pos_of_zone[s] = zg->zone_count; /* removed zone slots hold no nodes */
    for (size_t p = 0; p < zg->zone_count; p++)
        pos_of_zone[zg->zones[p]] = p;
    size_t *fill = zg->start + 1;
    for (iotnet_index n = iotnet_node_next(net, IOTNET_NONE); n != IOTNET_NONE; n = iotnet_node_next(net, n))
        fill[zone_bucket(zg, pos_of_zone, slots, iotnet_node_zone(net, n))]++;
    for (size_t bkt = 1; bkt <= zg->zone_count + 1; bkt++)
        zg->start[bkt] += zg->start[bkt - 1];
    /* start[b] is where bucket b begins; a cursor per bucket places the nodes */
    size_t *cursor = malloc((zg->zone_count + 1) * sizeof *cursor);
    if (!cursor) {
        free(pos_of_zone);
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory writing DOT");
    }
    memcpy(cursor, zg->start, (zg->zone_count + 1) * sizeof *cursor);
    for (iotnet_index n = iotnet_node_next(net, IOTNET_NONE); n != IOTNET_NONE; n = iotnet_node_next(net, n)) {
        size_t bkt = zone_bucket(zg, pos_of_zone, slots, iotnet_node_zone(net, n));
        if (cursor[bkt] < nodes)
            zg->order[cursor[bkt]++] = n;
    }
    free(cursor);
    free(pos_of_zone);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Nodes                                                               */

typedef struct family_look {
    const char *shape, *style, *fill; /* fill NULL: not filled */
} family_look;

static family_look family_style(const char *family)
{
    if (strcmp(family, "forwarding") == 0)
        return (family_look){"box", "rounded,filled", "#dce6f2"};
    if (strcmp(family, "device") == 0)
        return (family_look){"ellipse", "filled", "#ffffff"};
    if (strcmp(family, "cloud-service") == 0)
        return (family_look){"cylinder", "filled", "#e3f1df"};
    if (strcmp(family, "internet") == 0)
        return (family_look){"octagon", "filled", "#eeeeee"};
    return (family_look){"box", "dashed", NULL};
}

static void policy_lines(iotnet__buf *label, const iotnet_net *net, iotnet_index node)
{
    iotnet_action action;
    if (iotnet_policy_get_default(net, node, &action) != 0)
        return;
    size_t rules = iotnet_policy_rule_count(net, node);
    const char *name = iotnet_enum_name(IOTNET_ENUM_ACTION, (int)action);
    iotnet__buf line = {0};
    iotnet__buf_printf(&line, "firewall: %zu rule%s, default %s", rules, rules == 1 ? "" : "s",
                       name ? name : "?");
    if (line.data)
        label_line(label, line.data);
    label->failed |= line.failed;
    iotnet__buf_free(&line);
}

static void nat_lines(iotnet__buf *label, const iotnet_net *net, iotnet_index node)
{
    iotnet_nat nat;
    if (!iotnet_nat_exists(net, node) || iotnet_nat_get(net, node, &nat) != 0)
        return;
    label_line(label, nat.cgnat ? "NAT44 (CGNAT)" : "NAT44");
    /* the behaviours that let traffic in: worth seeing on a diagram */
    iotnet__buf line = {0};
    if (nat.upnp)
        iotnet__buf_puts(&line, "UPnP");
    if (nat.pcp)
        iotnet__buf_printf(&line, "%sPCP", line.len ? ", " : "");
    if (nat.filtering == IOTNET_NAT_FILTER_EI)
        iotnet__buf_printf(&line, "%sendpoint-independent filtering", line.len ? ", " : "");
    size_t forwards = iotnet_nat_forward_count(net, node);
    if (forwards)
        iotnet__buf_printf(&line, "%s%zu port forward%s", line.len ? ", " : "", forwards,
                           forwards == 1 ? "" : "s");
    if (line.len)
        label_line(label, line.data);
    label->failed |= line.failed;
    iotnet__buf_free(&line);
}

/* Fill colours of the exposure classes, least open first (index by iotnet_exposure). */
static const char *const exposure_fill[] = {"#ffffff", "#d6e9f8", "#e0c8f0",
                                            "#f9e08b", "#f8c08a", "#f4a3a3"};
#define EXPOSURE_CLASSES (sizeof exposure_fill / sizeof exposure_fill[0])
#define FINDINGS_COLOUR IOTNET__DOT_FINDINGS_COLOUR

const char *iotnet__dot_exposure_fill(int exposure)
{
    return exposure >= 0 && (size_t)exposure < EXPOSURE_CLASSES ? exposure_fill[exposure] : NULL;
}
/* exposed services shown in a label; the rest are counted */
#define EXPOSED_LINES 4

static void mud_line(iotnet__buf *label, const iotnet__overlay *ov, iotnet_index node)
{
    uint32_t devices = node < ov->node_slots ? ov->mud_devices[node] : 0;
    if (!devices)
        return;
    char line[64];
    snprintf(line, sizeof line, "MUD gateway (%u device%s)", (unsigned)devices, devices == 1 ? "" : "s");
    label_line(label, line);
}

/* "internet: port-forward" and one line per exposed service. */
static void exposure_lines(iotnet__buf *label, const iotnet__overlay *ov, iotnet_index node)
{
    int exposure = iotnet__overlay_node_exposure(ov, node);
    if (exposure == IOTNET__NOT_EXPOSED)
        return;
    iotnet__buf_printf(label, "%sinternet: %s", label->len ? "\\n" : "",
                       iotnet_enum_name(IOTNET_ENUM_EXPOSURE, exposure));
    const char *exposed = iotnet__overlay_exposed(ov, node);
    size_t shown = 0, more = 0;
    for (const char *p = exposed; p && *p;) {
        const char *end = strstr(p, "; ");
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (shown < EXPOSED_LINES) {
            iotnet__buf_puts(label, "\\n");
            char *item = strndup(p, len);
            if (!item) {
                label->failed = 1;
                return;
            }
            iotnet__dot_escaped(label, item);
            free(item);
            shown++;
        } else {
            more++;
        }
        p = end ? end + 2 : p + len;
    }
    if (more)
        iotnet__buf_printf(label, "\\n+%zu more exposed", more);
}

void iotnet__dot_findings_text(char *buf, size_t size, uint32_t open, uint8_t risk)
{
    snprintf(buf, size, "%u open finding%s, max risk %u", (unsigned)open, open == 1 ? "" : "s",
             (unsigned)risk);
}

static uint32_t node_open_findings(const iotnet__overlay *ov, iotnet_index node)
{
    return ov->findings && node < ov->node_slots ? ov->node_open[node] : 0;
}

static int node_label(iotnet__buf *label, const iotnet_net *net, const iotnet__overlay *ov,
                      iotnet_index node, const iotnet_node_spec *spec)
{
    label_line(label, spec->id);
    if (strcmp(spec->id, spec->kind) != 0) /* "internet" need not say so twice */
        label_line(label, spec->kind);
    if (spec->vendor || spec->model) {
        iotnet__buf line = {0};
        iotnet__buf_printf(&line, "%s%s%s", spec->vendor ? spec->vendor : "",
                           spec->vendor && spec->model ? " " : "", spec->model ? spec->model : "");
        if (line.data)
            label_line(label, line.data);
        label->failed |= line.failed;
        iotnet__buf_free(&line);
    }
    policy_lines(label, net, node);
    nat_lines(label, net, node);
    mud_line(label, ov, node);
    exposure_lines(label, ov, node);
    uint32_t open = node_open_findings(ov, node);
    if (open) {
        char line[64];
        iotnet__dot_findings_text(line, sizeof line, open, ov->node_risk[node]);
        label_line(label, line);
    }
    return label->failed ? iotnet__error_set(IOTNET_ENOMEM, "out of memory writing DOT") : 0;
}

static int is_enforcement_point(const iotnet_net *net, const iotnet__overlay *ov, iotnet_index node)
{
    return iotnet_policy_exists(net, node) || iotnet_nat_exists(net, node) ||
           (node < ov->node_slots && ov->mud_devices[node]);
}

/* The family's shape and style, filled with the exposure colour when there is one. */
static void node_style(iotnet__buf *b, const char *family, int exposure)
{
    family_look look = family_style(family);
    const char *fill = look.fill;
    if (exposure != IOTNET__NOT_EXPOSED && (size_t)exposure < EXPOSURE_CLASSES) {
        fill = exposure_fill[exposure];
        if (!look.fill)
            look.style = "filled,dashed";
    }
    iotnet__buf_printf(b, "shape=%s, style=\"%s\"", look.shape, look.style);
    if (fill)
        iotnet__buf_printf(b, ", fillcolor=\"%s\"", fill);
}

static void buf_reset(iotnet__buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static int write_node(iotnet__buf *b, const iotnet_net *net, const iotnet__overlay *ov,
                      iotnet_index node, const char *indent, iotnet__buf *scratch)
{
    iotnet_node_spec spec;
    int error = iotnet_node_get(net, node, &spec);
    if (error)
        return error;
    iotnet__buf label = {0};
    error = node_label(&label, net, ov, node, &spec);
    if (error)
        goto cleanup;
    const char *family = iotnet_export_kind_family(net, iotnet_node_kind(net, node));
    iotnet__buf_puts(b, indent);
    iotnet__dot_quoted(b, spec.id);
    iotnet__buf_puts(b, " [");
    node_style(b, family, iotnet__overlay_node_exposure(ov, node));
    iotnet__buf_printf(b, ", label=\"%s\"", label.data);
    if (is_enforcement_point(net, ov, node))
        iotnet__buf_puts(b, ", peripheries=2, color=\"#b22222\", penwidth=1.5");
    if (node_open_findings(ov, node))
        iotnet__buf_puts(b, ", fontcolor=\"" FINDINGS_COLOUR "\"");
    buf_reset(scratch);
    error = iotnet__emit_services(scratch, net, node);
    if (error)
        goto cleanup;
    if (scratch->len) {
        iotnet__buf_puts(b, ", tooltip=");
        iotnet__dot_quoted(b, scratch->data);
    }
    iotnet__buf_puts(b, "];\n");
cleanup:
    iotnet__buf_free(&label);
    return error;
}

/* ------------------------------------------------------------------ */
/* Zones and links                                                     */

static int write_zone(iotnet__buf *b, const iotnet_net *net, const iotnet__overlay *ov,
                      const iotnet__zone_groups *zg, size_t pos, iotnet__buf *scratch)
{
    iotnet_zone_spec spec;
    int error = iotnet_zone_get(net, zg->zones[pos], &spec);
    if (error)
        return error;
    /* Graphviz draws a subgraph as a box only when its name starts with "cluster" */
    iotnet__buf_puts(b, "  subgraph \"cluster_");
    iotnet__dot_escaped(b, spec.id);
    iotnet__buf_puts(b, "\" {\n    label=\"");
    iotnet__dot_escaped(b, spec.id);
    buf_reset(scratch);
    error = iotnet__emit_zone_summary(scratch, net, zg->zones[pos]);
    if (error)
        return error;
    iotnet__buf_puts(b, "\\n");
    iotnet__dot_escaped(b, scratch->data);
    iotnet_index zone = zg->zones[pos];
    int marked = ov->findings && zone < ov->zone_slots && ov->zone_open[zone];
    if (marked) {
        char line[64];
        iotnet__dot_findings_text(line, sizeof line, ov->zone_open[zone], ov->zone_risk[zone]);
        iotnet__buf_printf(b, "\\n%s", line);
    }
    iotnet__buf_puts(b, "\";\n    style=rounded;\n    color=\"#888888\";\n");
    if (marked)
        iotnet__buf_puts(b, "    fontcolor=\"" FINDINGS_COLOUR "\";\n");
    for (size_t i = zg->start[pos]; i < zg->start[pos + 1] && !error; i++)
        error = write_node(b, net, ov, zg->order[i], "    ", scratch);
    iotnet__buf_puts(b, "  }\n");
    return error;
}

static int is_radio(iotnet_medium medium)
{
    switch (medium) {
    case IOTNET_MEDIUM_WIFI:
    case IOTNET_MEDIUM_BLE:
    case IOTNET_MEDIUM_ZIGBEE:
    case IOTNET_MEDIUM_THREAD:
    case IOTNET_MEDIUM_ZWAVE:
    case IOTNET_MEDIUM_LTE:
    case IOTNET_MEDIUM_5G:
    case IOTNET_MEDIUM_LORAWAN:
        return 1;
    default:
        return 0;
    }
}

/* "wifi (wpa3)" and, on a second line, "2.5 ms". */
static void edge_label(iotnet__buf *label, const iotnet_link_spec *spec)
{
    const char *medium = spec->medium ? iotnet_enum_name(IOTNET_ENUM_MEDIUM, (int)spec->medium) : NULL;
    const char *enc = spec->encryption
                          ? iotnet_enum_name(IOTNET_ENUM_LINK_ENCRYPTION, (int)spec->encryption)
                          : NULL;
    if (medium)
        iotnet__buf_puts(label, medium);
    if (enc)
        iotnet__buf_printf(label, "%s(%s)", medium ? " " : "",
                           spec->encryption == IOTNET_LINKENC_NONE ? "unencrypted" : enc);
    if (spec->latency_ms >= 0) {
        char latency[IOTNET__DOUBLE_TEXT_MAX];
        iotnet__double_format(latency, spec->latency_ms);
        iotnet__buf_printf(label, "%s%s ms", label->len ? "\\n" : "", latency);
    }
}

static int write_edge(iotnet__buf *b, const iotnet_net *net, const iotnet__overlay *ov, iotnet_index link,
                      iotnet__buf *scratch)
{
    iotnet_link_spec spec;
    int error = iotnet_link_get(net, link, &spec);
    if (error)
        return error;
    iotnet__dot_edge_start(b, spec.a, spec.b);
    iotnet__buf_puts(b, "tooltip=");
    iotnet__dot_quoted(b, spec.id);
    buf_reset(scratch);
    edge_label(scratch, &spec); /* enumeration names and numbers: nothing to escape */
    uint32_t open = ov->findings && link < ov->link_slots ? ov->link_open[link] : 0;
    if (open) {
        char line[64];
        iotnet__dot_findings_text(line, sizeof line, open, ov->link_risk[link]);
        iotnet__buf_printf(scratch, "%s%s", scratch->len ? "\\n" : "", line);
    }
    /* An external label: a label proper becomes a virtual node in the middle
       of the edge, and with clusters those nodes make dot's ranking fail
       ("trouble in init_rank") on models of a hundred nodes and more. */
    if (scratch->len)
        iotnet__buf_printf(b, ", xlabel=\"%s\"", scratch->data);
    if (is_radio(spec.medium))
        iotnet__buf_puts(b, ", style=dashed");
    if (open)
        iotnet__buf_puts(b, ", color=\"" FINDINGS_COLOUR "\", fontcolor=\"" FINDINGS_COLOUR "\", penwidth=2");
    iotnet__buf_puts(b, "];\n");
    return scratch->failed ? iotnet__error_set(IOTNET_ENOMEM, "out of memory writing DOT") : 0;
}

/* Text for an HTML-like label: markup characters as entities. */
static void append_html(iotnet__buf *b, const char *s)
{
    char *clean = iotnet__text_is_clean(s) ? NULL : iotnet__text_clean(s);
    const char *text = clean ? clean : s;
    for (const char *p = text; *p; p++) {
        switch (*p) {
        case '&': iotnet__buf_puts(b, "&amp;"); break;
        case '<': iotnet__buf_puts(b, "&lt;"); break;
        case '>': iotnet__buf_puts(b, "&gt;"); break;
        case '"': iotnet__buf_puts(b, "&quot;"); break;
        case '\n': case '\r': case '\t': iotnet__buf_puts(b, " "); break;
        default: iotnet__buf_append(b, p, 1);
        }
    }
    free(clean);
}

/* The graph's label with a legend of what the marks mean: an HTML-like
   table, as plain labels cannot hold colour swatches. */
static void write_legend(iotnet__buf *b, const char *name, const iotnet__overlay *ov)
{
    iotnet__buf_puts(b, ", label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"3\">");
    if (name) {
        iotnet__buf_printf(b, "<tr><td colspan=\"%zu\" border=\"0\"><b>", EXPOSURE_CLASSES);
        append_html(b, name);
        iotnet__buf_puts(b, "</b></td></tr>");
    }
    if (ov->exposure) {
        iotnet__buf_printf(b, "<tr><td colspan=\"%zu\" border=\"0\">exposure to the Internet</td></tr><tr>",
                           EXPOSURE_CLASSES);
        for (size_t c = EXPOSURE_CLASSES; c-- > 0;)
            iotnet__buf_printf(b, "<td bgcolor=\"%s\">%s</td>", exposure_fill[c],
                               iotnet_enum_name(IOTNET_ENUM_EXPOSURE, (int)c));
        iotnet__buf_puts(b, "</tr>");
    } else if (ov->exposure_asked) {
        iotnet__buf_printf(b, "<tr><td colspan=\"%zu\" border=\"0\">no internet node: exposure not "
                              "computed</td></tr>", EXPOSURE_CLASSES);
    }
    iotnet__buf_printf(b, "<tr><td colspan=\"%zu\" border=\"0\">double red border: enforcement point "
                          "(firewall policy, NAT44, MUD gateway)</td></tr>", EXPOSURE_CLASSES);
    if (ov->findings)
        iotnet__buf_printf(b, "<tr><td colspan=\"%zu\" border=\"0\"><font color=\"" FINDINGS_COLOUR
                              "\">dark red: open findings, with the highest residual risk</font></td></tr>",
                           EXPOSURE_CLASSES);
    iotnet__buf_puts(b, "</table>>");
}

static void write_header(iotnet__buf *b, const iotnet_net *net, const iotnet__overlay *ov)
{
    const char *name = iotnet_net_name(net);
    iotnet__buf_puts(b, "graph ");
    iotnet__dot_quoted(b, name ? name : "network");
    iotnet__buf_puts(b, " {\n  graph [fontname=\"Helvetica\", labelloc=t");
    if (ov->exposure_asked || ov->findings) {
        write_legend(b, name, ov);
    } else if (name) {
        iotnet__buf_puts(b, ", label=");
        iotnet__dot_quoted(b, name);
    }
    iotnet__buf_puts(b, "];\n  node [fontname=\"Helvetica\", fontsize=10];\n"
                        "  edge [fontname=\"Helvetica\", fontsize=9];\n");
}

static int write_body(iotnet__buf *b, const iotnet_net *net, const iotnet__overlay *ov,
                      const iotnet__zone_groups *zg)
{
    iotnet__buf scratch = {0};
    int error = 0;
    for (size_t z = 0; z < zg->zone_count && !error; z++)
        error = write_zone(b, net, ov, zg, z, &scratch);
    size_t none = zg->zone_count;
    for (size_t i = zg->start[none]; i < zg->start[none + 1] && !error; i++)
        error = write_node(b, net, ov, zg->order[i], "  ", &scratch);
    for (iotnet_index l = iotnet_link_next(net, IOTNET_NONE); l != IOTNET_NONE && !error;
         l = iotnet_link_next(net, l))
        error = write_edge(b, net, ov, l, &scratch);
    iotnet__buf_free(&scratch);
    return error;
}

int iotnet__emit_dot(const iotnet_net *net, const iotnet__overlay *ov, char **out)
{
    iotnet__zone_groups zg = {0};
    iotnet__buf b = {0};
    int error = iotnet__group_by_zone(&zg, net);
    if (error)
        goto cleanup;
    write_header(&b, net, ov);
    error = write_body(&b, net, ov, &zg);
    if (error)
        goto cleanup;
    iotnet__buf_puts(&b, "}\n");
    if (b.failed) {
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory writing DOT");
        goto cleanup;
    }
    *out = iotnet__buf_detach(&b);
cleanup:
    iotnet__buf_free(&b);
    iotnet__zone_groups_free(&zg);
    return error;
}
