/* Topology data tree -> model, through the public API only.
 *
 * The tree was validated by libyang, so types, keys and references hold; this
 * walk reads values straight from the data nodes (no XPath per element), which
 * keeps loading close to libyang's own parse time. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error_internal.h"
#include "iotnet/eval.h"
#include "iotnet/mud.h"
#include "iotnet/names.h"
#include "iotnet/policy.h"
#include "mud_internal.h"
#include "util.h"
#include "yangio_internal.h"

#define MESSAGE_MAX 1024

/* A node with a policy or NAT44, read once all nodes exist. */
typedef struct enforcer {
    const struct lyd_node *node;
    iotnet_index index;
} enforcer;

typedef struct reader {
    iotnet_net *net;
    const char *label;
    iotnet__buf items; /* a leaf-list's values joined by single spaces */
    enforcer *enforcers;
    size_t enforcer_count, enforcer_cap;
} reader;

/* ------------------------------------------------------------------ */
/* Values of data nodes                                                */

static bool is(const struct lyd_node *node, const char *name)
{
    return node->schema && strcmp(node->schema->name, name) == 0;
}

static const char *text(const struct lyd_node *node)
{
    return lyd_get_value(node);
}

static const struct lyd_value *value(const struct lyd_node *node)
{
    return &((const struct lyd_node_term *)node)->value;
}

/* An identityref's identity, by its bare name (the model has no module prefixes). */
static const char *identity(const struct lyd_node *node)
{
    return value(node)->ident->name;
}

/* A decimal64 with `scale` = 10^fraction-digits: the integer is exact, so one
 * division gives the double nearest the decimal, as strtod() would. */
static double decimal(const struct lyd_node *node, double scale)
{
    return (double)value(node)->dec64 / scale;
}

static iotnet_tristate tristate(const struct lyd_node *node)
{
    return value(node)->boolean ? IOTNET_YES : IOTNET_NO;
}

/* Replace the error just recorded by "LABEL: message (at PATH)", located at `node`. */
static int fail_at(const reader *r, const struct lyd_node *node, int error)
{
    char message[MESSAGE_MAX];
    snprintf(message, sizeof message, "%s", iotnet_error_last()->message);
    char *path = lyd_path(node, LYD_PATH_STD, NULL, 0);
    iotnet__error_set(error, "%s: %s (at %s)", r->label, message, path ? path : "?");
    iotnet__error_locate(r->label, 0, path);
    free(path);
    return error;
}

/* An enumeration leaf as the model's value; the first failure is kept in *error. */
static int enum_value(const reader *r, const struct lyd_node *node, iotnet_enum type, int *error)
{
    int out = 0;
    if (*error)
        return 0;
    int rc = iotnet_enum_parse(type, text(node), &out);
    if (rc)
        *error = fail_at(r, node, rc);
    return out;
}

static void items_clear(reader *r)
{
    r->items.len = 0;
    if (r->items.data)
        r->items.data[0] = '\0';
}

static int items_add(reader *r, const struct lyd_node *node)
{
    if (r->items.len && iotnet__buf_append(&r->items, " ", 1))
        return IOTNET_ENOMEM;
    return iotnet__buf_puts(&r->items, text(node));
}

/* The joined leaf-list, or NULL when it had no values. */
static const char *items(const reader *r)
{
    return r->items.len ? r->items.data : NULL;
}

/* ------------------------------------------------------------------ */
/* Attributes                                                          */

static int read_attribute(reader *r, const struct lyd_node *attr, iotnet_entity entity,
                          iotnet_index index)
{
    const char *key = NULL;
    iotnet_value v = {0};
    int error = 0;
    for (const struct lyd_node *c = lyd_child(attr); c && !error; c = c->next) {
        if (is(c, "name")) {
            key = text(c);
        } else if (is(c, "string")) {
            v.type = IOTNET_ATTR_STRING;
            v.string = text(c);
        } else if (is(c, "int")) {
            v.type = IOTNET_ATTR_INT;
            v.integer = value(c)->int64;
        } else if (is(c, "float")) {
            v.type = IOTNET_ATTR_FLOAT;
            if (iotnet__double_parse(text(c), &v.real))
                error = iotnet__error_set(IOTNET_EVALIDATION, "float \"%s\" is beyond the range of a double",
                                          text(c));
        } else if (is(c, "bool")) {
            v.type = IOTNET_ATTR_BOOL;
            v.boolean = value(c)->boolean;
        } else if (is(c, "date")) {
            v.type = IOTNET_ATTR_DATE;
            if (iotnet__date_parse(&v.integer, text(c)))
                error = IOTNET_EVALIDATION;
        } else if (is(c, "duration")) {
            v.type = IOTNET_ATTR_DURATION;
            if (iotnet__duration_parse(&v.integer, text(c)))
                error = IOTNET_EVALIDATION;
        }
    }
    if (!error)
        error = iotnet_attr_set(r->net, entity, index, key, &v);
    return error ? fail_at(r, attr, error) : 0;
}

static int read_attributes(reader *r, const struct lyd_node *parent, iotnet_entity entity,
                           iotnet_index index)
{
    int error = 0;
    for (const struct lyd_node *c = lyd_child(parent); c && !error; c = c->next)
        if (is(c, "attribute"))
            error = read_attribute(r, c, entity, index);
    return error;
}

/* ------------------------------------------------------------------ */
/* Zones and conduits                                                  */

static void read_security_level(const struct lyd_node *level, iotnet_zone_spec *spec)
{
    for (const struct lyd_node *c = lyd_child(level); c; c = c->next) {
        if (is(c, "target")) {
            spec->target_sl = value(c)->uint8;
        } else if (is(c, "foundational-requirement")) {
            uint8_t fr = 0, target = 0;
            for (const struct lyd_node *f = lyd_child(c); f; f = f->next) {
                if (is(f, "fr"))
                    fr = value(f)->uint8;
                else if (is(f, "target"))
                    target = value(f)->uint8;
            }
            if (fr >= 1 && fr <= 7)
                spec->target_sl_fr[fr - 1] = target;
        }
    }
}

static int read_zone(reader *r, const struct lyd_node *zone)
{
    iotnet_zone_spec spec = IOTNET_ZONE_SPEC_INIT;
    for (const struct lyd_node *c = lyd_child(zone); c; c = c->next) {
        if (is(c, "id"))
            spec.id = text(c);
        else if (is(c, "kind"))
            spec.kind = identity(c);
        else if (is(c, "description"))
            spec.description = text(c);
        else if (is(c, "purdue-level"))
            spec.purdue_level = decimal(c, 10.0);
        else if (is(c, "security-level"))
            read_security_level(c, &spec);
    }
    iotnet_index index;
    int error = iotnet_zone_add(r->net, &index, &spec);
    if (error)
        return fail_at(r, zone, error);
    return read_attributes(r, zone, IOTNET_ENTITY_ZONE, index);
}

static int read_conduit(reader *r, const struct lyd_node *conduit)
{
    iotnet_conduit_spec spec = IOTNET_CONDUIT_SPEC_INIT;
    int error = 0;
    items_clear(r);
    for (const struct lyd_node *c = lyd_child(conduit); c && !error; c = c->next) {
        if (is(c, "id"))
            spec.id = text(c);
        else if (is(c, "from-zone"))
            spec.from_zone = text(c);
        else if (is(c, "to-zone"))
            spec.to_zone = text(c);
        else if (is(c, "service"))
            error = items_add(r, c);
        else if (is(c, "bidirectional"))
            spec.bidirectional = value(c)->boolean;
        else if (is(c, "description"))
            spec.description = text(c);
    }
    spec.services = items(r);
    if (!error)
        error = iotnet_conduit_add(r->net, NULL, &spec);
    return error ? fail_at(r, conduit, error) : 0;
}

/* ------------------------------------------------------------------ */
/* Nodes                                                               */

static int read_interface(reader *r, const struct lyd_node *node, iotnet_index index)
{
    iotnet_interface iface = IOTNET_INTERFACE_INIT;
    uint8_t address_len = 32;
    int prefix_len = -1;
    int error = 0;
    for (const struct lyd_node *c = lyd_child(node); c && !error; c = c->next) {
        if (is(c, "name"))
            iface.name = text(c);
        else if (is(c, "ipv4-address"))
            error = iotnet_ipv4_parse(&iface.ipv4, &address_len, text(c));
        else if (is(c, "prefix-length"))
            prefix_len = value(c)->uint8;
        else if (is(c, "description"))
            iface.description = text(c);
    }
    /* an address alone is a host address */
    if (iface.ipv4)
        iface.prefix_len = prefix_len >= 0 ? (uint8_t)prefix_len : address_len;
    if (!error)
        error = iotnet_interface_add(r->net, index, &iface);
    return error ? fail_at(r, node, error) : 0;
}

static int read_service(reader *r, const struct lyd_node *node, iotnet_index index)
{
    iotnet_service svc = IOTNET_SERVICE_INIT;
    int error = 0;
    items_clear(r);
    for (const struct lyd_node *c = lyd_child(node); c && !error; c = c->next) {
        if (is(c, "name"))
            svc.name = text(c);
        else if (is(c, "protocol"))
            svc.protocol = enum_value(r, c, IOTNET_ENUM_PROTOCOL, &error);
        else if (is(c, "port"))
            svc.port = value(c)->uint16;
        else if (is(c, "authentication"))
            svc.authentication = (iotnet_auth)enum_value(r, c, IOTNET_ENUM_AUTH, &error);
        else if (is(c, "transport"))
            svc.transport = (iotnet_transport)enum_value(r, c, IOTNET_ENUM_TRANSPORT, &error);
        else if (is(c, "cipher-suite"))
            error = items_add(r, c);
        else if (is(c, "management"))
            svc.management = value(c)->boolean;
        else if (is(c, "nat-traversal"))
            svc.nat_traversal =
                (iotnet_nat_traversal)enum_value(r, c, IOTNET_ENUM_NAT_TRAVERSAL, &error);
    }
    if (error)
        return error;
    svc.cipher_suites = items(r);
    error = iotnet_service_add(r->net, index, &svc);
    return error ? fail_at(r, node, error) : 0;
}

static int read_date(reader *r, const struct lyd_node *node, int64_t *out, int *error)
{
    if (!*error && iotnet__date_parse(out, text(node)))
        *error = fail_at(r, node, IOTNET_EVALIDATION);
    return *error;
}

static int read_lifecycle(reader *r, const struct lyd_node *node, iotnet_index index)
{
    /* validation creates the container empty when the file has none */
    if (!lyd_child(node))
        return 0;
    iotnet_lifecycle lc = IOTNET_LIFECYCLE_INIT;
    int error = 0;
    for (const struct lyd_node *c = lyd_child(node); c && !error; c = c->next) {
        if (is(c, "certificate-not-after")) {
            read_date(r, c, &lc.certificate_not_after, &error);
        } else if (is(c, "signed-artifact-lifetime")) {
            if (iotnet__duration_parse(&lc.signed_artifact_lifetime, text(c)))
                error = fail_at(r, c, IOTNET_EVALIDATION);
        } else if (is(c, "end-of-support")) {
            read_date(r, c, &lc.end_of_support, &error);
        } else if (is(c, "update-mechanism")) {
            lc.update_mechanism = (iotnet_update_mechanism)enum_value(r, c, IOTNET_ENUM_UPDATE, &error);
        } else if (is(c, "owner")) {
            lc.owner = text(c);
        } else if (is(c, "ownership-statement")) {
            lc.ownership_statement = tristate(c);
        } else if (is(c, "reset-method")) {
            lc.reset_method = (iotnet_reset_method)enum_value(r, c, IOTNET_ENUM_RESET, &error);
        } else if (is(c, "vendor-cloud-dependency")) {
            lc.vendor_cloud_dependency = tristate(c);
        } else if (is(c, "credentials-escrowed")) {
            lc.credentials_escrowed = tristate(c);
        } else if (is(c, "attestation")) {
            lc.attestation = (iotnet_attestation)enum_value(r, c, IOTNET_ENUM_ATTESTATION, &error);
        }
    }
    if (error)
        return error;
    error = iotnet_lifecycle_set(r->net, index, &lc);
    return error ? fail_at(r, node, error) : 0;
}

/* A port range: no leaves is any port (0..0), a lower port alone one port. */
static void read_ports(const struct lyd_node *c, const char *lower, const char *upper, uint16_t *lo, uint16_t *hi,
                       int *seen_upper)
{
    if (is(c, lower)) {
        *lo = value(c)->uint16;
        if (!*seen_upper)
            *hi = *lo;
    } else if (is(c, upper)) {
        *hi = value(c)->uint16;
        *seen_upper = 1;
    }
}

static int read_mud_ace(reader *r, const struct lyd_node *node, iotnet_index index)
{
    iotnet_mud_ace ace = IOTNET_MUD_ACE_INIT;
    int error = 0, src_upper = 0, dst_upper = 0;
    for (const struct lyd_node *c = lyd_child(node); c && !error; c = c->next) {
        if (is(c, "policy"))
            ace.policy = (iotnet_mud_direction)enum_value(r, c, IOTNET_ENUM_MUD_DIRECTION, &error);
        else if (is(c, "acl"))
            ace.acl = text(c);
        else if (is(c, "name"))
            ace.name = text(c);
        else if (is(c, "peer"))
            ace.peer = (iotnet_mud_peer)enum_value(r, c, IOTNET_ENUM_MUD_PEER, &error);
        else if (is(c, "peer-value"))
            ace.peer_value = text(c);
        else if (is(c, "protocol"))
            ace.protocol = enum_value(r, c, IOTNET_ENUM_PROTOCOL, &error);
        else if (is(c, "initiated"))
            ace.initiated = (iotnet_mud_direction)enum_value(r, c, IOTNET_ENUM_MUD_DIRECTION, &error);
        else if (is(c, "action"))
            ace.action = (iotnet_action)enum_value(r, c, IOTNET_ENUM_ACTION, &error);
        else {
            read_ports(c, "source-lower-port", "source-upper-port", &ace.src_port_lo, &ace.src_port_hi, &src_upper);
            read_ports(c, "destination-lower-port", "destination-upper-port", &ace.dst_port_lo, &ace.dst_port_hi,
                       &dst_upper);
        }
    }
    if (error)
        return error;
    error = iotnet_node_mud_add_ace(r->net, index, &ace);
    return error ? fail_at(r, node, error) : 0;
}

static int read_mud_profile(reader *r, const struct lyd_node *node, iotnet_index index)
{
    iotnet_mud_info info = {IOTNET_MUD_INFO_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, 0, IOTNET_UNKNOWN};
    for (const struct lyd_node *c = lyd_child(node); c; c = c->next) {
        if (is(c, "mud-url"))
            info.mud_url = text(c);
        else if (is(c, "last-update"))
            info.last_update = text(c);
        else if (is(c, "systeminfo"))
            info.systeminfo = text(c);
        else if (is(c, "mfg-name"))
            info.mfg_name = text(c);
        else if (is(c, "model-name"))
            info.model_name = text(c);
        else if (is(c, "documentation"))
            info.documentation = text(c);
        else if (is(c, "cache-validity"))
            info.cache_validity = value(c)->uint32 > INT32_MAX ? INT32_MAX : (int)value(c)->uint32;
        else if (is(c, "is-supported"))
            info.is_supported = tristate(c);
    }
    int error = iotnet__node_mud_set_info(r->net, index, &info);
    if (error)
        return fail_at(r, node, error);
    for (const struct lyd_node *c = lyd_child(node); c && !error; c = c->next)
        if (is(c, "ace"))
            error = read_mud_ace(r, c, index);
    return error;
}

static int remember_enforcer(reader *r, const struct lyd_node *node, iotnet_index index)
{
    if (r->enforcer_count == r->enforcer_cap) {
        size_t cap = r->enforcer_cap ? 2 * r->enforcer_cap : 64;
        enforcer *grown = realloc(r->enforcers, cap * sizeof *grown);
        if (!grown)
            return iotnet__error_set(IOTNET_ENOMEM, "out of memory");
        r->enforcers = grown;
        r->enforcer_cap = cap;
    }
    r->enforcers[r->enforcer_count++] = (enforcer){node, index};
    return 0;
}

/* The node's own leaves; interfaces, services, lifecycle and attributes follow it. */
static int read_node(reader *r, const struct lyd_node *node)
{
    iotnet_node_spec spec = IOTNET_NODE_SPEC_INIT;
    for (const struct lyd_node *c = lyd_child(node); c; c = c->next) {
        if (!c->schema || c->schema->nodetype != LYS_LEAF)
            continue;
        if (is(c, "id"))
            spec.id = text(c);
        else if (is(c, "kind"))
            spec.kind = identity(c);
        else if (is(c, "zone"))
            spec.zone = text(c);
        else if (is(c, "vendor"))
            spec.vendor = text(c);
        else if (is(c, "model"))
            spec.model = text(c);
        else if (is(c, "firmware"))
            spec.firmware = text(c);
        else if (is(c, "implementation"))
            spec.implementation = text(c);
        else if (is(c, "mud-url"))
            spec.mud_url = text(c);
        else if (is(c, "description"))
            spec.description = text(c);
    }
    iotnet_index index;
    int error = iotnet_node_add(r->net, &index, &spec);
    if (error)
        return fail_at(r, node, error);
    bool enforces = false;
    for (const struct lyd_node *c = lyd_child(node); c && !error; c = c->next) {
        if (!c->schema || c->schema->nodetype == LYS_LEAF)
            continue;
        if (is(c, "interface"))
            error = read_interface(r, c, index);
        else if (is(c, "service"))
            error = read_service(r, c, index);
        else if (is(c, "lifecycle"))
            error = read_lifecycle(r, c, index);
        else if (is(c, "attribute"))
            error = read_attribute(r, c, IOTNET_ENTITY_NODE, index);
        else if (is(c, "mud-profile"))
            error = read_mud_profile(r, c, index);
        else if (is(c, "policy") || is(c, "nat44"))
            enforces = true;
    }
    if (!error && enforces)
        error = remember_enforcer(r, node, index);
    return error;
}

/* ------------------------------------------------------------------ */
/* Policies and NAT44: they name other nodes, so they come after all nodes */

static void read_selector(const struct lyd_node *side, iotnet_selector *out)
{
    out->type = IOTNET_SELECT_ANY;
    out->value = NULL;
    for (const struct lyd_node *c = lyd_child(side); c; c = c->next) {
        if (is(c, "zone")) {
            out->type = IOTNET_SELECT_ZONE;
            out->value = text(c);
        } else if (is(c, "node")) {
            out->type = IOTNET_SELECT_NODE;
            out->value = text(c);
        } else if (is(c, "kind")) {
            out->type = IOTNET_SELECT_KIND;
            out->value = identity(c);
        } else if (is(c, "cidr")) {
            out->type = IOTNET_SELECT_CIDR;
            out->value = text(c);
        } else if (is(c, "internet")) {
            out->type = IOTNET_SELECT_INTERNET;
        }
    }
}

static int read_rule(reader *r, const struct lyd_node *node, iotnet_index index)
{
    iotnet_rule rule = IOTNET_RULE_INIT;
    int lower = -1, upper = -1;
    int error = 0;
    for (const struct lyd_node *c = lyd_child(node); c && !error; c = c->next) {
        if (is(c, "name"))
            rule.name = text(c);
        else if (is(c, "from"))
            read_selector(c, &rule.from);
        else if (is(c, "to"))
            read_selector(c, &rule.to);
        else if (is(c, "protocol"))
            rule.protocol = enum_value(r, c, IOTNET_ENUM_PROTOCOL, &error);
        else if (is(c, "lower-port"))
            lower = value(c)->uint16;
        else if (is(c, "upper-port"))
            upper = value(c)->uint16;
        else if (is(c, "initiated-by"))
            rule.initiated_by = (iotnet_initiated)enum_value(r, c, IOTNET_ENUM_INITIATED, &error);
        else if (is(c, "action"))
            rule.action = (iotnet_action)enum_value(r, c, IOTNET_ENUM_ACTION, &error);
        else if (is(c, "description"))
            rule.description = text(c);
    }
    if (error)
        return error;
    /* a lower port alone is one port */
    if (lower >= 0) {
        rule.port_lo = (uint16_t)lower;
        rule.port_hi = (uint16_t)(upper >= 0 ? upper : lower);
    }
    error = iotnet_policy_add_rule(r->net, index, &rule);
    return error ? fail_at(r, node, error) : 0;
}

static int read_policy(reader *r, const struct lyd_node *policy, iotnet_index index)
{
    iotnet_action default_action = IOTNET_ACTION_DROP;
    int error = 0;
    for (const struct lyd_node *c = lyd_child(policy); c; c = c->next)
        if (is(c, "default-action"))
            default_action = (iotnet_action)enum_value(r, c, IOTNET_ENUM_ACTION, &error);
    if (error)
        return error;
    error = iotnet_policy_set_default(r->net, index, default_action);
    if (error)
        return fail_at(r, policy, error);
    for (const struct lyd_node *c = lyd_child(policy); c && !error; c = c->next)
        if (is(c, "rule"))
            error = read_rule(r, c, index);
    return error;
}

static int read_forward(reader *r, const struct lyd_node *node, iotnet_index index)
{
    iotnet_port_forward fwd = IOTNET_PORT_FORWARD_INIT;
    int error = 0;
    for (const struct lyd_node *c = lyd_child(node); c && !error; c = c->next) {
        if (is(c, "name"))
            fwd.name = text(c);
        else if (is(c, "protocol"))
            fwd.protocol = enum_value(r, c, IOTNET_ENUM_PROTOCOL, &error);
        else if (is(c, "external-port"))
            fwd.external_port = value(c)->uint16;
        else if (is(c, "to-node"))
            fwd.to_node = text(c);
        else if (is(c, "internal-port"))
            fwd.internal_port = value(c)->uint16;
    }
    if (error)
        return error;
    error = iotnet_nat_add_forward(r->net, index, &fwd);
    return error ? fail_at(r, node, error) : 0;
}

static int read_nat(reader *r, const struct lyd_node *node, iotnet_index index)
{
    iotnet_nat nat = IOTNET_NAT_INIT;
    int error = 0;
    items_clear(r);
    for (const struct lyd_node *c = lyd_child(node); c && !error; c = c->next) {
        if (is(c, "inside-interface"))
            error = items_add(r, c);
        else if (is(c, "outside-interface"))
            nat.outside = text(c);
        else if (is(c, "mapping"))
            nat.mapping = (iotnet_nat_mapping)enum_value(r, c, IOTNET_ENUM_NAT_MAPPING, &error);
        else if (is(c, "filtering"))
            nat.filtering = (iotnet_nat_filtering)enum_value(r, c, IOTNET_ENUM_NAT_FILTERING, &error);
        else if (is(c, "hairpinning"))
            nat.hairpinning = value(c)->boolean;
        else if (is(c, "upnp"))
            nat.upnp = value(c)->boolean;
        else if (is(c, "pcp"))
            nat.pcp = value(c)->boolean;
        else if (is(c, "cgnat"))
            nat.cgnat = value(c)->boolean;
    }
    if (error)
        return error;
    nat.inside = items(r);
    error = iotnet_nat_set(r->net, index, &nat);
    if (error)
        return fail_at(r, node, error);
    for (const struct lyd_node *c = lyd_child(node); c && !error; c = c->next)
        if (is(c, "port-forward"))
            error = read_forward(r, c, index);
    return error;
}

static int read_enforcement(reader *r, const enforcer *e)
{
    const struct lyd_node *policy = NULL, *nat = NULL;
    for (const struct lyd_node *c = lyd_child(e->node); c; c = c->next) {
        if (is(c, "policy"))
            policy = c;
        else if (is(c, "nat44"))
            nat = c;
    }
    int error = 0;
    if (policy)
        error = read_policy(r, policy, e->index);
    if (!error && nat)
        error = read_nat(r, nat, e->index);
    return error;
}

/* ------------------------------------------------------------------ */
/* Links                                                               */

static void read_endpoint(const struct lyd_node *end, const char **node, const char **iface)
{
    for (const struct lyd_node *c = lyd_child(end); c; c = c->next) {
        if (is(c, "node"))
            *node = text(c);
        else if (is(c, "interface"))
            *iface = text(c);
    }
}

static int read_link(reader *r, const struct lyd_node *link)
{
    iotnet_link_spec spec = IOTNET_LINK_SPEC_INIT;
    int error = 0;
    for (const struct lyd_node *c = lyd_child(link); c && !error; c = c->next) {
        if (is(c, "id"))
            spec.id = text(c);
        else if (is(c, "a"))
            read_endpoint(c, &spec.a, &spec.a_interface);
        else if (is(c, "b"))
            read_endpoint(c, &spec.b, &spec.b_interface);
        else if (is(c, "medium"))
            spec.medium = (iotnet_medium)enum_value(r, c, IOTNET_ENUM_MEDIUM, &error);
        else if (is(c, "latency-ms"))
            spec.latency_ms = decimal(c, 1000.0);
        else if (is(c, "encryption"))
            spec.encryption =
                (iotnet_link_encryption)enum_value(r, c, IOTNET_ENUM_LINK_ENCRYPTION, &error);
        else if (is(c, "description"))
            spec.description = text(c);
    }
    if (error)
        return error;
    iotnet_index index;
    error = iotnet_link_add(r->net, &index, &spec);
    if (error)
        return fail_at(r, link, error);
    return read_attributes(r, link, IOTNET_ENTITY_LINK, index);
}

/* ------------------------------------------------------------------ */
/* Risk decisions                                                      */

static int read_risk_decision(reader *r, const struct lyd_node *node)
{
    iotnet_risk_decision d = IOTNET_RISK_DECISION_INIT;
    int error = 0;
    for (const struct lyd_node *c = lyd_child(node); c && !error; c = c->next) {
        if (is(c, "finding"))
            d.finding = text(c);
        else if (is(c, "by"))
            d.by = text(c);
        else if (is(c, "reason"))
            d.reason = text(c);
        else if (is(c, "decided"))
            read_date(r, c, &d.decided, &error);
        else if (is(c, "until"))
            read_date(r, c, &d.until, &error);
    }
    if (error)
        return error;
    error = iotnet_risk_decision_set(r->net, &d);
    return error ? fail_at(r, node, error) : 0;
}

/* ------------------------------------------------------------------ */
/* The whole topology                                                  */

typedef int (*element_reader)(reader *r, const struct lyd_node *node);

/* Apply `read` to every child of the topology named `name`. */
static int read_each(reader *r, const struct lyd_node *top, const char *name, element_reader read)
{
    int error = 0;
    for (const struct lyd_node *c = lyd_child(top); c && !error; c = c->next)
        if (is(c, name))
            error = read(r, c);
    return error;
}

static const struct lyd_node *find_topology(const struct lyd_node *tree)
{
    for (const struct lyd_node *n = lyd_first_sibling(tree); n; n = n->next)
        if (is(n, "topology") && strcmp(n->schema->module->name, IOTNET__TOPOLOGY_MODULE) == 0)
            return n;
    return NULL;
}

static int read_name(reader *r, const struct lyd_node *top)
{
    for (const struct lyd_node *c = lyd_child(top); c; c = c->next) {
        if (is(c, "name")) {
            int error = iotnet_net_set_name(r->net, text(c));
            return error ? fail_at(r, c, error) : 0;
        }
    }
    return 0;
}

/* Size the model's tables once instead of growing them element by element. */
static int reserve(reader *r, const struct lyd_node *top)
{
    size_t nodes = 0, links = 0;
    for (const struct lyd_node *c = lyd_child(top); c; c = c->next) {
        if (is(c, "node"))
            nodes++;
        else if (is(c, "link"))
            links++;
    }
    int error = iotnet_net_reserve(r->net, nodes, links);
    return error ? fail_at(r, top, error) : 0;
}

int iotnet__yang_read(iotnet_net *net, const struct lyd_node *tree, const char *label)
{
    const struct lyd_node *top = tree ? find_topology(tree) : NULL;
    if (!top)
        return 0; /* valid data without a topology: an empty model */
    reader r = {net, label, {0}, NULL, 0, 0};
    /* zones before the conduits and nodes that name them, all nodes before
     * the policies, NAT and links that name other nodes */
    int error = reserve(&r, top);
    if (!error)
        error = read_name(&r, top);
    if (!error)
        error = read_each(&r, top, "zone", read_zone);
    if (!error)
        error = read_each(&r, top, "conduit", read_conduit);
    if (!error)
        error = read_each(&r, top, "node", read_node);
    for (size_t i = 0; i < r.enforcer_count && !error; i++)
        error = read_enforcement(&r, &r.enforcers[i]);
    if (!error)
        error = read_each(&r, top, "link", read_link);
    if (!error)
        error = read_each(&r, top, "risk-decision", read_risk_decision);
    iotnet__buf_free(&r.items);
    free(r.enforcers);
    return error;
}
