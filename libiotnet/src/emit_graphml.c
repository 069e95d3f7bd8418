/* GraphML export through libxml2's xmlTextWriter, which does the escaping. */
#include "emit_internal.h"
#include "error_internal.h"
#include "iotnet/library.h"
#include "iotnet/mud.h"
#include "iotnet/names.h"

#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GRAPHML_NS "http://graphml.graphdrawing.org/xmlns"
#define GRAPHML_SCHEMA GRAPHML_NS " http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
#define ATTR_PREFIX "attr."

typedef struct key_def {
    const char *name;
    const char *type; /* GraphML attr.type */
} key_def;

/* Keys are numbered by their place in these tables: new keys go at the
   end, so that the ids of the others stay what they were. */
enum graph_key { GK_NAME, GK_ZONES, GK_GENERATOR, GK_CONDUITS, GK_COUNT };

static const key_def graph_keys[GK_COUNT] = {
    [GK_NAME] = {"name", "string"},
    [GK_ZONES] = {"zones", "string"},
    [GK_GENERATOR] = {"generator", "string"},
    [GK_CONDUITS] = {"conduits", "string"},
};

enum node_key {
    NK_ID, NK_KIND, NK_FAMILY, NK_ZONE, NK_VENDOR, NK_MODEL, NK_FIRMWARE, NK_IMPLEMENTATION,
    NK_MUD_URL, NK_DESCRIPTION, NK_FORWARDING, NK_ENFORCEMENT, NK_POLICY_DEFAULT,
    NK_POLICY_RULES, NK_NAT, NK_NAT_MAPPING, NK_NAT_FILTERING, NK_NAT_UPNP, NK_NAT_PCP,
    NK_NAT_CGNAT, NK_PORT_FORWARDS, NK_SERVICES, NK_INTERFACES, NK_CERT_NOT_AFTER,
    NK_ARTIFACT_LIFETIME, NK_END_OF_SUPPORT, NK_UPDATE, NK_OWNER, NK_OWNERSHIP_STATEMENT,
    NK_RESET, NK_VENDOR_CLOUD, NK_ESCROWED, NK_ATTESTATION, NK_MUD_GATEWAY, NK_RULES,
    NK_NAT_INSIDE, NK_NAT_OUTSIDE, NK_NAT_HAIRPINNING, NK_FORWARDS, NK_MUD_ACES, NK_COUNT
};

static const key_def node_keys[NK_COUNT] = {
    [NK_ID] = {"id", "string"},
    [NK_KIND] = {"kind", "string"},
    [NK_FAMILY] = {"family", "string"},
    [NK_ZONE] = {"zone", "string"},
    [NK_VENDOR] = {"vendor", "string"},
    [NK_MODEL] = {"model", "string"},
    [NK_FIRMWARE] = {"firmware", "string"},
    [NK_IMPLEMENTATION] = {"implementation", "string"},
    [NK_MUD_URL] = {"mud_url", "string"},
    [NK_DESCRIPTION] = {"description", "string"},
    [NK_FORWARDING] = {"forwarding", "boolean"},
    [NK_ENFORCEMENT] = {"enforcement", "boolean"},
    [NK_POLICY_DEFAULT] = {"policy_default", "string"},
    [NK_POLICY_RULES] = {"policy_rules", "long"},
    [NK_NAT] = {"nat", "boolean"},
    [NK_NAT_MAPPING] = {"nat_mapping", "string"},
    [NK_NAT_FILTERING] = {"nat_filtering", "string"},
    [NK_NAT_UPNP] = {"nat_upnp", "boolean"},
    [NK_NAT_PCP] = {"nat_pcp", "boolean"},
    [NK_NAT_CGNAT] = {"nat_cgnat", "boolean"},
    [NK_PORT_FORWARDS] = {"port_forwards", "long"},
    [NK_SERVICES] = {"services", "string"},
    [NK_INTERFACES] = {"interfaces", "string"},
    [NK_CERT_NOT_AFTER] = {"certificate_not_after", "string"},
    [NK_ARTIFACT_LIFETIME] = {"signed_artifact_lifetime", "long"},
    [NK_END_OF_SUPPORT] = {"end_of_support", "string"},
    [NK_UPDATE] = {"update_mechanism", "string"},
    [NK_OWNER] = {"owner", "string"},
    [NK_OWNERSHIP_STATEMENT] = {"ownership_statement", "boolean"},
    [NK_RESET] = {"reset_method", "string"},
    [NK_VENDOR_CLOUD] = {"vendor_cloud_dependency", "boolean"},
    [NK_ESCROWED] = {"credentials_escrowed", "boolean"},
    [NK_ATTESTATION] = {"attestation", "string"},
    [NK_MUD_GATEWAY] = {"mud_gateway", "boolean"},
    [NK_RULES] = {"rules", "string"},
    [NK_NAT_INSIDE] = {"nat_inside", "string"},
    [NK_NAT_OUTSIDE] = {"nat_outside", "string"},
    [NK_NAT_HAIRPINNING] = {"nat_hairpinning", "boolean"},
    [NK_FORWARDS] = {"forwards", "string"},
    [NK_MUD_ACES] = {"mud_aces", "string"},
};

/* The overlay's keys, declared only when an export asks for the overlay
   (ids gx<i>, nx<i>, ex<i>). */
enum overlay_graph_key { OGK_EXPOSURE_SOURCE, OGK_COUNT };
enum overlay_node_key { ONK_EXPOSURE, ONK_EXPOSED, ONK_OPEN, ONK_MAX_RISK, ONK_COUNT };
enum overlay_edge_key { OEK_OPEN, OEK_MAX_RISK, OEK_COUNT };

static const key_def overlay_graph_keys[OGK_COUNT] = {
    [OGK_EXPOSURE_SOURCE] = {"exposure_source", "string"},
};
static const key_def overlay_node_keys[ONK_COUNT] = {
    [ONK_EXPOSURE] = {"exposure", "string"},
    [ONK_EXPOSED] = {"exposed_services", "string"},
    [ONK_OPEN] = {"open_findings", "long"},
    [ONK_MAX_RISK] = {"max_residual_risk", "long"},
};
static const key_def overlay_edge_keys[OEK_COUNT] = {
    [OEK_OPEN] = {"open_findings", "long"},
    [OEK_MAX_RISK] = {"max_residual_risk", "long"},
};

/* An undirected reader (NetworkX Graph) may swap source and target, so the
   ends are also written as data: a_interface is always a's interface. */
enum edge_key {
    EK_ID, EK_A, EK_A_IFACE, EK_B, EK_B_IFACE, EK_MEDIUM, EK_LATENCY, EK_ENCRYPTION,
    EK_DESCRIPTION, EK_COUNT
};

static const key_def edge_keys[EK_COUNT] = {
    [EK_ID] = {"id", "string"},
    [EK_A] = {"a", "string"},
    [EK_A_IFACE] = {"a_interface", "string"},
    [EK_B] = {"b", "string"},
    [EK_B_IFACE] = {"b_interface", "string"},
    [EK_MEDIUM] = {"medium", "string"},
    [EK_LATENCY] = {"latency_ms", "double"},
    [EK_ENCRYPTION] = {"encryption", "string"},
    [EK_DESCRIPTION] = {"description", "string"},
};

/* A free attribute column of one table: its name, type and GraphML key. */
typedef struct column {
    const char *name; /* borrowed from the model */
    iotnet_attr_type type;
} column;

typedef struct columns {
    column *items;
    size_t count;
    size_t cap;
} columns;

typedef struct graphml {
    const iotnet_net *net;
    const iotnet__overlay *ov;
    xmlTextWriterPtr w;
    columns node_attrs;
    columns link_attrs;
    int failed;     /* an xmlTextWriter call failed: out of memory */
    int data_depth; /* nesting of the <data> being written, for indentation */
} graphml;

/* ------------------------------------------------------------------ */
/* Attribute columns                                                   */

static size_t column_find(const columns *cols, const char *name)
{
    for (size_t i = 0; i < cols->count; i++)
        if (cols->items[i].name == name || strcmp(cols->items[i].name, name) == 0)
            return i;
    return cols->count;
}

static int column_add(columns *cols, const char *name, iotnet_attr_type type)
{
    if (column_find(cols, name) < cols->count)
        return 0;
    if (cols->count == cols->cap) {
        size_t cap = cols->cap ? cols->cap * 2 : 8;
        column *items = realloc(cols->items, cap * sizeof *items);
        if (!items)
            return iotnet__error_set(IOTNET_ENOMEM, "out of memory collecting attribute columns");
        cols->items = items;
        cols->cap = cap;
    }
    cols->items[cols->count++] = (column){name, type};
    return 0;
}

/* Gather the attribute columns used by one table, in order of first use. */
static int collect_columns(columns *cols, const iotnet_net *net, iotnet_entity entity)
{
    int is_node = entity == IOTNET_ENTITY_NODE;
    iotnet_index i = is_node ? iotnet_node_next(net, IOTNET_NONE) : iotnet_link_next(net, IOTNET_NONE);
    while (i != IOTNET_NONE) {
        size_t cursor = 0;
        const char *key;
        iotnet_value value;
        int more;
        while ((more = iotnet_attr_next(net, entity, i, &cursor, &key, &value)) == 1) {
            int error = column_add(cols, key, value.type);
            if (error)
                return error;
        }
        if (more < 0)
            return more;
        i = is_node ? iotnet_node_next(net, i) : iotnet_link_next(net, i);
    }
    return 0;
}

static const char *attr_graphml_type(iotnet_attr_type type)
{
    switch (type) {
    case IOTNET_ATTR_INT:
    case IOTNET_ATTR_DURATION:
        return "long";
    case IOTNET_ATTR_FLOAT:
        return "double";
    case IOTNET_ATTR_BOOL:
        return "boolean";
    case IOTNET_ATTR_STRING:
    case IOTNET_ATTR_DATE:
        break;
    }
    return "string";
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

static void check(graphml *g, int rc)
{
    if (rc < 0)
        g->failed = 1;
}

/* Write text through the writer, replacing what XML cannot carry. */
static void write_text(graphml *g, const char *text)
{
    if (iotnet__text_is_clean(text)) {
        check(g, xmlTextWriterWriteString(g->w, BAD_CAST text));
        return;
    }
    char *clean = iotnet__text_clean(text);
    if (!clean) {
        g->failed = 1;
        return;
    }
    check(g, xmlTextWriterWriteString(g->w, BAD_CAST clean));
    free(clean);
}

static void write_attribute(graphml *g, const char *name, const char *value)
{
    check(g, xmlTextWriterStartAttribute(g->w, BAD_CAST name));
    write_text(g, value);
    check(g, xmlTextWriterEndAttribute(g->w));
}

/* Line break and indentation by hand: libxml2's own indenting is slow
   enough to cost a large model a good part of the export's time. */
static void newline(graphml *g, int depth)
{
    static const char spaces[] = "\n        ";
    check(g, xmlTextWriterWriteRawLen(g->w, BAD_CAST spaces, 1 + 2 * depth));
}

static void start_element(graphml *g, const char *name, int depth)
{
    newline(g, depth);
    check(g, xmlTextWriterStartElement(g->w, BAD_CAST name));
}

/* Close an element whose children each started on a line of their own. */
static void end_parent(graphml *g, int depth)
{
    newline(g, depth);
    check(g, xmlTextWriterEndElement(g->w));
}

static void write_key(graphml *g, const char *id, const char *domain, const char *name,
                      const char *type)
{
    start_element(g, "key", 1);
    write_attribute(g, "id", id);
    write_attribute(g, "for", domain);
    write_attribute(g, "attr.name", name);
    write_attribute(g, "attr.type", type);
    check(g, xmlTextWriterEndElement(g->w));
}

/* GraphML key ids: g<i>, n<i>, e<i> for our keys; na<i>, ea<i> for attributes. */
static void key_id(char *buf, const char *prefix, size_t i)
{
    snprintf(buf, 32, "%s%zu", prefix, i);
}

static void buf_reset(iotnet__buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static void write_attr_keys(graphml *g, const columns *cols, const char *prefix, const char *domain)
{
    iotnet__buf name = {0};
    char id[32];
    for (size_t i = 0; i < cols->count; i++) {
        buf_reset(&name);
        iotnet__buf_printf(&name, ATTR_PREFIX "%s", cols->items[i].name);
        if (name.failed) {
            g->failed = 1;
            break;
        }
        key_id(id, prefix, i);
        write_key(g, id, domain, name.data, attr_graphml_type(cols->items[i].type));
    }
    iotnet__buf_free(&name);
}

static void write_key_table(graphml *g, const key_def *keys, size_t count, const char *prefix,
                            const char *domain)
{
    char id[32];
    for (size_t i = 0; i < count; i++) {
        key_id(id, prefix, i);
        write_key(g, id, domain, keys[i].name, keys[i].type);
    }
}

static bool has_overlay(const graphml *g)
{
    return g->ov->exposure_asked || g->ov->findings;
}

static void write_keys(graphml *g)
{
    write_key_table(g, graph_keys, GK_COUNT, "g", "graph");
    write_key_table(g, node_keys, NK_COUNT, "n", "node");
    write_key_table(g, edge_keys, EK_COUNT, "e", "edge");
    if (has_overlay(g)) {
        write_key_table(g, overlay_graph_keys, OGK_COUNT, "gx", "graph");
        write_key_table(g, overlay_node_keys, ONK_COUNT, "nx", "node");
        write_key_table(g, overlay_edge_keys, OEK_COUNT, "ex", "edge");
    }
    write_attr_keys(g, &g->node_attrs, "na", "node");
    write_attr_keys(g, &g->link_attrs, "ea", "edge");
}

/* <data key="...">text</data>; nothing for a fact that is not stated. */
static void data_text(graphml *g, const char *prefix, size_t key, const char *text)
{
    if (!text || !text[0])
        return;
    char id[32];
    key_id(id, prefix, key);
    start_element(g, "data", g->data_depth);
    write_attribute(g, "key", id);
    write_text(g, text);
    check(g, xmlTextWriterEndElement(g->w));
}

static void data_long(graphml *g, const char *prefix, size_t key, int64_t value)
{
    char text[32];
    snprintf(text, sizeof text, "%lld", (long long)value);
    data_text(g, prefix, key, text);
}

static void data_bool(graphml *g, const char *prefix, size_t key, int value)
{
    data_text(g, prefix, key, value ? "true" : "false");
}

static void data_tristate(graphml *g, size_t key, iotnet_tristate value)
{
    if (value != IOTNET_UNKNOWN)
        data_bool(g, "n", key, value == IOTNET_YES);
}

static void data_double(graphml *g, const char *prefix, size_t key, double value)
{
    char text[32];
    iotnet__emit_double(text, value);
    data_text(g, prefix, key, text);
}

static void data_date(graphml *g, const char *prefix, size_t key, int64_t seconds)
{
    if (seconds == IOTNET_TIME_UNSET)
        return;
    char text[32];
    iotnet__emit_date(text, seconds);
    data_text(g, prefix, key, text);
}

static void data_enum(graphml *g, const char *prefix, size_t key, iotnet_enum type, int value)
{
    if (value != 0) /* 0 is "not stated" in every enumeration written here */
        data_text(g, prefix, key, iotnet_enum_name(type, value));
}

/* An enumeration whose 0 is a value of its own (exposure none). */
static void data_enum_any(graphml *g, const char *prefix, size_t key, iotnet_enum type, int value)
{
    data_text(g, prefix, key, iotnet_enum_name(type, value));
}

static void data_value(graphml *g, const char *prefix, size_t key, const iotnet_value *v)
{
    switch (v->type) {
    case IOTNET_ATTR_STRING:
        data_text(g, prefix, key, v->string);
        return;
    case IOTNET_ATTR_INT:
    case IOTNET_ATTR_DURATION:
        data_long(g, prefix, key, v->integer);
        return;
    case IOTNET_ATTR_FLOAT:
        data_double(g, prefix, key, v->real);
        return;
    case IOTNET_ATTR_BOOL:
        data_bool(g, prefix, key, v->boolean);
        return;
    case IOTNET_ATTR_DATE:
        data_date(g, prefix, key, v->integer);
        return;
    }
}

static int write_attr_data(graphml *g, const columns *cols, const char *prefix,
                           iotnet_entity entity, iotnet_index index)
{
    size_t cursor = 0;
    const char *key;
    iotnet_value value;
    int more;
    while ((more = iotnet_attr_next(g->net, entity, index, &cursor, &key, &value)) == 1)
        data_value(g, prefix, column_find(cols, key), &value);
    return more < 0 ? more : 0;
}

/* ------------------------------------------------------------------ */
/* Graph, nodes and edges                                              */

static void write_exposure_source(graphml *g)
{
    char id[32];
    key_id(id, "gx", OGK_EXPOSURE_SOURCE);
    start_element(g, "data", g->data_depth);
    write_attribute(g, "key", id);
    write_text(g, g->ov->exposure ? "internet" : "");
    check(g, xmlTextWriterEndElement(g->w));
}

static int write_graph_data(graphml *g)
{
    data_text(g, "g", GK_NAME, iotnet_net_name(g->net));
    iotnet__buf zones = {0};
    int error = 0;
    for (iotnet_index z = iotnet_zone_next(g->net, IOTNET_NONE); z != IOTNET_NONE && !error;
         z = iotnet_zone_next(g->net, z)) {
        iotnet_zone_spec spec;
        error = iotnet_zone_get(g->net, z, &spec);
        if (error)
            break;
        iotnet__buf_printf(&zones, "%s%s (", zones.len ? "; " : "", spec.id);
        error = iotnet__emit_zone_summary(&zones, g->net, z);
        iotnet__buf_puts(&zones, ")");
        iotnet__emit_note(&zones, spec.description);
    }
    if (!error && zones.failed)
        error = IOTNET_ENOMEM;
    if (!error)
        data_text(g, "g", GK_ZONES, zones.data);
    iotnet__buf_free(&zones);
    char generator[64];
    snprintf(generator, sizeof generator, "libiotnet %s", iotnet_version());
    data_text(g, "g", GK_GENERATOR, generator);
    iotnet__buf conduits = {0};
    if (!error)
        error = iotnet__emit_conduits(&conduits, g->net);
    if (!error && conduits.data)
        data_text(g, "g", GK_CONDUITS, conduits.data);
    iotnet__buf_free(&conduits);
    if (g->ov->exposure_asked)
        /* written even when empty: "asked, but no internet node" */
        write_exposure_source(g);
    return error;
}

/* A node's list written by `line` into scratch, as one <data>. */
static int data_line(graphml *g, size_t key, int (*line)(iotnet__buf *, const iotnet_net *, iotnet_index),
                     iotnet_index node, iotnet__buf *scratch)
{
    buf_reset(scratch);
    int error = line(scratch, g->net, node);
    if (!error && scratch->data)
        data_text(g, "n", key, scratch->data);
    return error;
}

static int write_enforcement(graphml *g, iotnet_index node, iotnet__buf *scratch)
{
    int has_policy = iotnet_policy_exists(g->net, node);
    iotnet_nat nat;
    int has_nat = iotnet_nat_exists(g->net, node) && iotnet_nat_get(g->net, node, &nat) == 0;
    int mud_gateway = node < g->ov->node_slots && g->ov->mud_devices[node];
    data_bool(g, "n", NK_ENFORCEMENT, has_policy || has_nat || mud_gateway);
    data_bool(g, "n", NK_MUD_GATEWAY, mud_gateway);
    int error = 0;
    if (has_policy) {
        iotnet_action action;
        if (iotnet_policy_get_default(g->net, node, &action) == 0)
            data_enum(g, "n", NK_POLICY_DEFAULT, IOTNET_ENUM_ACTION, (int)action);
        data_long(g, "n", NK_POLICY_RULES, (int64_t)iotnet_policy_rule_count(g->net, node));
        error = data_line(g, NK_RULES, iotnet__emit_rules, node, scratch);
    }
    data_bool(g, "n", NK_NAT, has_nat);
    if (has_nat && !error) {
        data_text(g, "n", NK_NAT_INSIDE, nat.inside);
        data_text(g, "n", NK_NAT_OUTSIDE, nat.outside);
        data_enum(g, "n", NK_NAT_MAPPING, IOTNET_ENUM_NAT_MAPPING, (int)nat.mapping);
        data_enum(g, "n", NK_NAT_FILTERING, IOTNET_ENUM_NAT_FILTERING, (int)nat.filtering);
        data_bool(g, "n", NK_NAT_HAIRPINNING, nat.hairpinning);
        data_bool(g, "n", NK_NAT_UPNP, nat.upnp);
        data_bool(g, "n", NK_NAT_PCP, nat.pcp);
        data_bool(g, "n", NK_NAT_CGNAT, nat.cgnat);
        data_long(g, "n", NK_PORT_FORWARDS, (int64_t)iotnet_nat_forward_count(g->net, node));
        error = data_line(g, NK_FORWARDS, iotnet__emit_forwards, node, scratch);
    }
    return error;
}

static void write_lifecycle(graphml *g, iotnet_index node)
{
    iotnet_lifecycle lc;
    if (!iotnet_lifecycle_exists(g->net, node) || iotnet_lifecycle_get(g->net, node, &lc) != 0)
        return;
    data_date(g, "n", NK_CERT_NOT_AFTER, lc.certificate_not_after);
    if (lc.signed_artifact_lifetime != IOTNET_TIME_UNSET)
        data_long(g, "n", NK_ARTIFACT_LIFETIME, lc.signed_artifact_lifetime);
    data_date(g, "n", NK_END_OF_SUPPORT, lc.end_of_support);
    data_enum(g, "n", NK_UPDATE, IOTNET_ENUM_UPDATE, (int)lc.update_mechanism);
    data_text(g, "n", NK_OWNER, lc.owner);
    data_tristate(g, NK_OWNERSHIP_STATEMENT, lc.ownership_statement);
    data_enum(g, "n", NK_RESET, IOTNET_ENUM_RESET, (int)lc.reset_method);
    data_tristate(g, NK_VENDOR_CLOUD, lc.vendor_cloud_dependency);
    data_tristate(g, NK_ESCROWED, lc.credentials_escrowed);
    data_enum(g, "n", NK_ATTESTATION, IOTNET_ENUM_ATTESTATION, (int)lc.attestation);
}

/* The services, interfaces and MUD entries lines, built in a scratch buffer. */
static int write_node_lists(graphml *g, iotnet_index node, iotnet__buf *scratch)
{
    int error = data_line(g, NK_SERVICES, iotnet__emit_services, node, scratch);
    if (!error)
        error = data_line(g, NK_INTERFACES, iotnet__emit_interfaces, node, scratch);
    if (!error && iotnet_node_mud_exists(g->net, node))
        error = data_line(g, NK_MUD_ACES, iotnet__emit_mud_aces, node, scratch);
    return error;
}

static void write_findings(graphml *g, const char *prefix, size_t open_key, size_t risk_key,
                           uint32_t open, uint8_t risk)
{
    data_long(g, prefix, open_key, open);
    if (open)
        data_long(g, prefix, risk_key, risk);
}

static void write_node_overlay(graphml *g, iotnet_index node)
{
    const iotnet__overlay *ov = g->ov;
    int exposure = iotnet__overlay_node_exposure(ov, node);
    if (exposure != IOTNET__NOT_EXPOSED)
        data_enum_any(g, "nx", ONK_EXPOSURE, IOTNET_ENUM_EXPOSURE, exposure);
    data_text(g, "nx", ONK_EXPOSED, iotnet__overlay_exposed(ov, node));
    if (ov->findings && node < ov->node_slots)
        write_findings(g, "nx", ONK_OPEN, ONK_MAX_RISK, ov->node_open[node], ov->node_risk[node]);
}

static int write_node(graphml *g, iotnet_index node, iotnet__buf *scratch)
{
    iotnet_node_spec spec;
    int error = iotnet_node_get(g->net, node, &spec);
    if (error)
        return error;
    iotnet_kind kind = iotnet_node_kind(g->net, node);
    start_element(g, "node", 2);
    write_attribute(g, "id", spec.id);
    data_text(g, "n", NK_ID, spec.id);
    data_text(g, "n", NK_KIND, spec.kind);
    data_text(g, "n", NK_FAMILY, iotnet_export_kind_family(g->net, kind));
    data_text(g, "n", NK_ZONE, spec.zone);
    data_text(g, "n", NK_VENDOR, spec.vendor);
    data_text(g, "n", NK_MODEL, spec.model);
    data_text(g, "n", NK_FIRMWARE, spec.firmware);
    data_text(g, "n", NK_IMPLEMENTATION, spec.implementation);
    data_text(g, "n", NK_MUD_URL, spec.mud_url);
    data_text(g, "n", NK_DESCRIPTION, spec.description);
    data_bool(g, "n", NK_FORWARDING, iotnet_node_is_forwarding(g->net, node));
    error = write_enforcement(g, node, scratch);
    if (!error)
        error = write_node_lists(g, node, scratch);
    if (!error) {
        write_lifecycle(g, node);
        write_node_overlay(g, node);
        error = write_attr_data(g, &g->node_attrs, "na", IOTNET_ENTITY_NODE, node);
    }
    end_parent(g, 2);
    return error;
}

static int write_edge(graphml *g, iotnet_index link)
{
    iotnet_link_spec spec;
    int error = iotnet_link_get(g->net, link, &spec);
    if (error)
        return error;
    start_element(g, "edge", 2);
    write_attribute(g, "id", spec.id);
    write_attribute(g, "source", spec.a);
    write_attribute(g, "target", spec.b);
    data_text(g, "e", EK_ID, spec.id);
    data_text(g, "e", EK_A, spec.a);
    data_text(g, "e", EK_A_IFACE, spec.a_interface);
    data_text(g, "e", EK_B, spec.b);
    data_text(g, "e", EK_B_IFACE, spec.b_interface);
    data_enum(g, "e", EK_MEDIUM, IOTNET_ENUM_MEDIUM, (int)spec.medium);
    if (spec.latency_ms >= 0) {
        char latency[IOTNET__DOUBLE_TEXT_MAX];
        iotnet__double_format(latency, spec.latency_ms);
        data_text(g, "e", EK_LATENCY, latency);
    }
    data_enum(g, "e", EK_ENCRYPTION, IOTNET_ENUM_LINK_ENCRYPTION, (int)spec.encryption);
    data_text(g, "e", EK_DESCRIPTION, spec.description);
    if (g->ov->findings && link < g->ov->link_slots)
        write_findings(g, "ex", OEK_OPEN, OEK_MAX_RISK, g->ov->link_open[link], g->ov->link_risk[link]);
    error = write_attr_data(g, &g->link_attrs, "ea", IOTNET_ENTITY_LINK, link);
    end_parent(g, 2);
    return error;
}

static int write_elements(graphml *g)
{
    iotnet__buf scratch = {0};
    int error = 0;
    for (iotnet_index n = iotnet_node_next(g->net, IOTNET_NONE); n != IOTNET_NONE && !error;
         n = iotnet_node_next(g->net, n))
        error = write_node(g, n, &scratch);
    iotnet__buf_free(&scratch);
    for (iotnet_index l = iotnet_link_next(g->net, IOTNET_NONE); l != IOTNET_NONE && !error;
         l = iotnet_link_next(g->net, l))
        error = write_edge(g, l);
    return error;
}

static int write_document(graphml *g)
{
    /* the declaration by hand: naming the encoding in xmlTextWriterStartDocument
       would route all output through a UTF-8 to UTF-8 converter */
    check(g, xmlTextWriterWriteRaw(g->w, BAD_CAST "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    check(g, xmlTextWriterStartElement(g->w, BAD_CAST "graphml"));
    write_attribute(g, "xmlns", GRAPHML_NS);
    write_attribute(g, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
    write_attribute(g, "xsi:schemaLocation", GRAPHML_SCHEMA);
    write_keys(g);
    start_element(g, "graph", 1);
    write_attribute(g, "id", "G");
    write_attribute(g, "edgedefault", "undirected");
    g->data_depth = 2;
    int error = write_graph_data(g);
    g->data_depth = 3;
    if (!error)
        error = write_elements(g);
    end_parent(g, 1); /* </graph> */
    end_parent(g, 0); /* </graphml> */
    check(g, xmlTextWriterEndDocument(g->w)); /* ends with a newline */
    if (!error && g->failed)
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory writing GraphML");
    return error;
}

/* libxml2 output callback: append to the text buffer of the export. */
static int append_output(void *context, const char *data, int len)
{
    return iotnet__buf_append(context, data, (size_t)len) == 0 ? len : -1;
}

int iotnet__emit_graphml(const iotnet_net *net, const iotnet__overlay *ov, char **out)
{
    graphml g = {.net = net, .ov = ov};
    iotnet__buf text = {0};
    xmlOutputBufferPtr output = NULL;
    int error = collect_columns(&g.node_attrs, net, IOTNET_ENTITY_NODE);
    if (error)
        goto cleanup;
    error = collect_columns(&g.link_attrs, net, IOTNET_ENTITY_LINK);
    if (error)
        goto cleanup;
    /* the writer owns the output buffer from here and closes it when freed */
    output = xmlOutputBufferCreateIO(append_output, NULL, &text, NULL);
    g.w = output ? xmlNewTextWriter(output) : NULL;
    if (!g.w) {
        if (output)
            xmlOutputBufferClose(output);
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory writing GraphML");
        goto cleanup;
    }
    error = write_document(&g);
    xmlFreeTextWriter(g.w); /* flushes the last bytes into text */
    if (!error && text.failed)
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory writing GraphML");
    if (!error)
        *out = iotnet__buf_detach(&text);
cleanup:
    iotnet__buf_free(&text);
    free(g.node_attrs.items);
    free(g.link_attrs.items);
    return error;
}
