/* Model -> topology data tree, through the public API only; libyang validates the result.
 *
 * Fields that are not set (UNSPECIFIED enumerations, IOTNET_TIME_UNSET, negative
 * latency or Purdue level, NULL strings) are left out; so are false booleans and
 * values equal to the module's defaults where leaving them out loses nothing. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error_internal.h"
#include "iotnet/eval.h"
#include "iotnet/mud.h"
#include "iotnet/names.h"
#include "iotnet/policy.h"
#include "util.h"
#include "yangio_internal.h"

#define MESSAGE_MAX 1024

typedef struct writer {
    const iotnet_net *net;
    const iotnet__yang *y;
    const char *label;
    /* for each kind of the model, the module defining its identity (NULL: none) */
    const struct lys_module **kind_module;
    size_t kind_count;
    iotnet__buf scratch;
} writer;

/* ------------------------------------------------------------------ */
/* Errors                                                              */

static void child_path(char *buf, size_t size, const struct lyd_node *parent, const char *name)
{
    char *path = lyd_path(parent, LYD_PATH_STD, NULL, 0);
    snprintf(buf, size, "%s/%s", path ? path : "", name);
    free(path);
}

/* libyang refused a value for leaf `name` under `parent`. */
static int fail_libyang(const writer *w, const struct lyd_node *parent, const char *name)
{
    char path[MESSAGE_MAX];
    child_path(path, sizeof path, parent, name);
    return iotnet__yang_error(w->y->ctx, w->label, IOTNET_EVALIDATION, path);
}

/* The model holds something the file format cannot: "LABEL: message (at PATH)". */
static int fail_model(const writer *w, const struct lyd_node *parent, const char *name, int error)
{
    char message[MESSAGE_MAX], path[MESSAGE_MAX];
    snprintf(message, sizeof message, "%s", iotnet_error_last()->message);
    child_path(path, sizeof path, parent, name);
    iotnet__error_set(error, "%s: %s (at %s)", w->label, message, path);
    iotnet__error_locate(w->label, 0, path);
    return error;
}

/* ------------------------------------------------------------------ */
/* Leaves                                                              */

static int put(writer *w, struct lyd_node *parent, const char *name, const char *text)
{
    if (!text)
        return 0;
    if (lyd_new_term(parent, NULL, name, text, 0, NULL) != LY_SUCCESS)
        return fail_libyang(w, parent, name);
    return 0;
}

static int put_number(writer *w, struct lyd_node *parent, const char *name, long long number)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", number);
    return put(w, parent, name, buf);
}

static int put_bool(writer *w, struct lyd_node *parent, const char *name, bool flag)
{
    return put(w, parent, name, flag ? "true" : "false");
}

static int put_tristate(writer *w, struct lyd_node *parent, const char *name, iotnet_tristate t)
{
    return t == IOTNET_UNKNOWN ? 0 : put_bool(w, parent, name, t == IOTNET_YES);
}

/* A decimal64 leaf with `digits` fraction digits. */
static int put_decimal(writer *w, struct lyd_node *parent, const char *name, double number,
                       int digits)
{
    /* beyond 1e15 no decimal64 can hold it; libyang reports the exact range below that */
    if (!isfinite(number) || fabs(number) >= 1e15) {
        iotnet__error_set(IOTNET_EVALIDATION, "%g cannot be written as a decimal number", number);
        return fail_model(w, parent, name, IOTNET_EVALIDATION);
    }
    char buf[64];
    iotnet__decimal_format(buf, sizeof buf, number, digits);
    return put(w, parent, name, buf);
}

/* A real leaf (the module's `real` type): the shortest text that reads back
 * as the same double, so a file holds exactly what the model does. */
static int put_real(writer *w, struct lyd_node *parent, const char *name, double number)
{
    if (!isfinite(number)) {
        iotnet__error_set(IOTNET_EVALIDATION, "%g is not a finite number", number);
        return fail_model(w, parent, name, IOTNET_EVALIDATION);
    }
    char buf[IOTNET__DOUBLE_TEXT_MAX];
    iotnet__double_format(buf, number);
    return put(w, parent, name, buf);
}

/* An enumeration leaf; `unset` (the model's "not stated" value) writes nothing. */
static int put_enum(writer *w, struct lyd_node *parent, const char *name, iotnet_enum type,
                    int number, int unset)
{
    if (number == unset)
        return 0;
    const char *text = iotnet_enum_name(type, number);
    if (!text) {
        iotnet__error_set(IOTNET_EVALIDATION, "%d is not a value of %s", number, name);
        return fail_model(w, parent, name, IOTNET_EVALIDATION);
    }
    return put(w, parent, name, text);
}

/* libyang's date-and-time type would rewrite the value in the process's local
 * time zone; handing it over as canonical keeps files the same everywhere (UTC). */
static int put_date(writer *w, struct lyd_node *parent, const char *name, int64_t seconds)
{
    char buf[32];
    if (seconds == IOTNET_TIME_UNSET)
        return 0;
    if (iotnet__date_format(buf, sizeof buf, seconds))
        return fail_model(w, parent, name, IOTNET_EVALIDATION);
    if (lyd_new_term_canon(parent, NULL, name, buf, 0, NULL) != LY_SUCCESS)
        return fail_libyang(w, parent, name);
    return 0;
}

static int put_duration(writer *w, struct lyd_node *parent, const char *name, int64_t seconds)
{
    char buf[32];
    if (seconds == IOTNET_TIME_UNSET)
        return 0;
    if (iotnet__duration_format(buf, sizeof buf, seconds))
        return fail_model(w, parent, name, IOTNET_EVALIDATION);
    return put(w, parent, name, buf);
}

/* A leaf-list from the model's space-separated text. */
static int put_items(writer *w, struct lyd_node *parent, const char *name, const char *list)
{
    const char *p = list ? list : "";
    int error = 0;
    while (!error) {
        p += strspn(p, " \t\r\n");
        size_t n = strcspn(p, " \t\r\n");
        if (n == 0)
            break;
        w->scratch.len = 0;
        error = iotnet__buf_append(&w->scratch, p, n);
        if (!error)
            error = put(w, parent, name, w->scratch.data);
        p += n;
    }
    return error;
}

/* A kind as an identityref: bare for iotnet-topology's identities, "module:name" otherwise. */
static int put_kind(writer *w, struct lyd_node *parent, const char *name, const char *kind)
{
    iotnet_kind k;
    const struct lys_module *module = NULL;
    if (kind && iotnet_kind_find(w->net, &k, kind) == 0 && k < w->kind_count)
        module = w->kind_module[k];
    if (!module) {
        iotnet__error_set(IOTNET_EVALIDATION,
                          "kind \"%s\" is not an identity of %s or of a module in yang_path",
                          kind ? kind : "", IOTNET__TOPOLOGY_MODULE);
        return fail_model(w, parent, name, IOTNET_EVALIDATION);
    }
    if (module == w->y->topology)
        return put(w, parent, name, kind);
    w->scratch.len = 0;
    int error = iotnet__buf_printf(&w->scratch, "%s:%s", module->name, kind);
    return error ? error : put(w, parent, name, w->scratch.data);
}

/* ------------------------------------------------------------------ */
/* Inner nodes                                                         */

static int new_inner(writer *w, struct lyd_node *parent, const char *name, struct lyd_node **out)
{
    if (lyd_new_inner(parent, NULL, name, 0, out) != LY_SUCCESS)
        return fail_libyang(w, parent, name);
    return 0;
}

static int new_entry(writer *w, struct lyd_node *parent, const char *name, const char *key,
                     struct lyd_node **out)
{
    if (lyd_new_list(parent, NULL, name, 0, out, key ? key : "") != LY_SUCCESS)
        return fail_libyang(w, parent, name);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Attributes                                                          */

static int write_value(writer *w, struct lyd_node *entry, const iotnet_value *v)
{
    switch (v->type) {
    case IOTNET_ATTR_STRING:
        return put(w, entry, "string", v->string ? v->string : "");
    case IOTNET_ATTR_INT:
        return put_number(w, entry, "int", (long long)v->integer);
    case IOTNET_ATTR_FLOAT:
        return put_real(w, entry, "float", v->real);
    case IOTNET_ATTR_BOOL:
        return put_bool(w, entry, "bool", v->boolean);
    case IOTNET_ATTR_DATE:
        return put_date(w, entry, "date", v->integer);
    case IOTNET_ATTR_DURATION:
        return put_duration(w, entry, "duration", v->integer);
    }
    iotnet__error_set(IOTNET_EVALIDATION, "attribute of unknown type %d", (int)v->type);
    return fail_model(w, entry, "value", IOTNET_EVALIDATION);
}

static int write_attributes(writer *w, struct lyd_node *parent, iotnet_entity entity,
                            iotnet_index index)
{
    size_t cursor = 0;
    const char *key = NULL;
    iotnet_value v;
    int rc = 0, error = 0;
    while (!error && (rc = iotnet_attr_next(w->net, entity, index, &cursor, &key, &v)) == 1) {
        struct lyd_node *entry;
        error = new_entry(w, parent, "attribute", key, &entry);
        if (!error)
            error = write_value(w, entry, &v);
    }
    return error ? error : rc < 0 ? rc : 0;
}

/* ------------------------------------------------------------------ */
/* Zones and conduits                                                  */

static int write_security_level(writer *w, struct lyd_node *zone, const iotnet_zone_spec *spec)
{
    bool any = spec->target_sl != 0;
    for (int i = 0; i < 7; i++)
        any = any || spec->target_sl_fr[i] != 0;
    if (!any)
        return 0;
    struct lyd_node *level;
    int error = new_inner(w, zone, "security-level", &level);
    if (!error && spec->target_sl)
        error = put_number(w, level, "target", spec->target_sl);
    for (int i = 0; i < 7 && !error; i++) {
        if (!spec->target_sl_fr[i])
            continue;
        char fr[16];
        struct lyd_node *entry;
        snprintf(fr, sizeof fr, "%d", i + 1);
        error = new_entry(w, level, "foundational-requirement", fr, &entry);
        if (!error)
            error = put_number(w, entry, "target", spec->target_sl_fr[i]);
    }
    return error;
}

static int write_zone(writer *w, struct lyd_node *top, iotnet_index zone)
{
    iotnet_zone_spec spec = IOTNET_ZONE_SPEC_INIT;
    struct lyd_node *entry = NULL;
    int error = iotnet_zone_get(w->net, zone, &spec);
    if (!error)
        error = new_entry(w, top, "zone", spec.id, &entry);
    if (!error)
        error = put_kind(w, entry, "kind", spec.kind);
    if (!error)
        error = put(w, entry, "description", spec.description);
    if (!error && spec.purdue_level >= 0)
        error = put_decimal(w, entry, "purdue-level", spec.purdue_level, 1);
    if (!error)
        error = write_security_level(w, entry, &spec);
    if (!error)
        error = write_attributes(w, entry, IOTNET_ENTITY_ZONE, zone);
    return error;
}

static int write_conduit(writer *w, struct lyd_node *top, iotnet_index conduit)
{
    iotnet_conduit_spec spec = IOTNET_CONDUIT_SPEC_INIT;
    struct lyd_node *entry = NULL;
    int error = iotnet_conduit_get(w->net, conduit, &spec);
    if (!error)
        error = new_entry(w, top, "conduit", spec.id, &entry);
    if (!error)
        error = put(w, entry, "from-zone", spec.from_zone);
    if (!error)
        error = put(w, entry, "to-zone", spec.to_zone);
    if (!error)
        error = put_items(w, entry, "service", spec.services);
    if (!error && spec.bidirectional)
        error = put_bool(w, entry, "bidirectional", true);
    if (!error)
        error = put(w, entry, "description", spec.description);
    return error;
}

/* ------------------------------------------------------------------ */
/* Nodes                                                               */

static int write_interface(writer *w, struct lyd_node *node, const iotnet_interface *iface)
{
    struct lyd_node *entry;
    int error = new_entry(w, node, "interface", iface->name, &entry);
    if (!error && iface->ipv4) {
        char address[20];
        iotnet_ipv4_format(address, iface->ipv4, 32);
        error = put(w, entry, "ipv4-address", address);
        if (!error)
            error = put_number(w, entry, "prefix-length", iface->prefix_len);
    }
    if (!error)
        error = put(w, entry, "description", iface->description);
    return error;
}

static int write_service(writer *w, struct lyd_node *node, const iotnet_service *svc)
{
    struct lyd_node *entry;
    int error = new_entry(w, node, "service", svc->name, &entry);
    if (!error)
        error = put_enum(w, entry, "protocol", IOTNET_ENUM_PROTOCOL, svc->protocol, -1);
    if (!error && svc->port)
        error = put_number(w, entry, "port", svc->port);
    if (!error)
        error = put_enum(w, entry, "authentication", IOTNET_ENUM_AUTH, (int)svc->authentication,
                         IOTNET_AUTH_UNSPECIFIED);
    if (!error)
        error = put_enum(w, entry, "transport", IOTNET_ENUM_TRANSPORT, (int)svc->transport,
                         IOTNET_TRANSPORT_UNSPECIFIED);
    if (!error)
        error = put_items(w, entry, "cipher-suite", svc->cipher_suites);
    if (!error && svc->management)
        error = put_bool(w, entry, "management", true);
    if (!error)
        error = put_enum(w, entry, "nat-traversal", IOTNET_ENUM_NAT_TRAVERSAL,
                         (int)svc->nat_traversal, IOTNET_TRAVERSAL_NONE);
    return error;
}

static bool lifecycle_is_empty(const iotnet_lifecycle *lc)
{
    return lc->certificate_not_after == IOTNET_TIME_UNSET &&
           lc->signed_artifact_lifetime == IOTNET_TIME_UNSET &&
           lc->end_of_support == IOTNET_TIME_UNSET &&
           lc->update_mechanism == IOTNET_UPDATE_UNSPECIFIED && !lc->owner &&
           lc->ownership_statement == IOTNET_UNKNOWN &&
           lc->reset_method == IOTNET_RESET_UNSPECIFIED &&
           lc->vendor_cloud_dependency == IOTNET_UNKNOWN &&
           lc->credentials_escrowed == IOTNET_UNKNOWN &&
           lc->attestation == IOTNET_ATTEST_UNSPECIFIED;
}

static int write_lifecycle(writer *w, struct lyd_node *node, iotnet_index index)
{
    iotnet_lifecycle lc = IOTNET_LIFECYCLE_INIT;
    if (iotnet_lifecycle_get(w->net, index, &lc) != 0 || lifecycle_is_empty(&lc))
        return 0;
    struct lyd_node *c;
    int error = new_inner(w, node, "lifecycle", &c);
    if (!error)
        error = put_date(w, c, "certificate-not-after", lc.certificate_not_after);
    if (!error)
        error = put_duration(w, c, "signed-artifact-lifetime", lc.signed_artifact_lifetime);
    if (!error)
        error = put_date(w, c, "end-of-support", lc.end_of_support);
    if (!error)
        error = put_enum(w, c, "update-mechanism", IOTNET_ENUM_UPDATE, (int)lc.update_mechanism,
                         IOTNET_UPDATE_UNSPECIFIED);
    if (!error)
        error = put(w, c, "owner", lc.owner);
    if (!error)
        error = put_tristate(w, c, "ownership-statement", lc.ownership_statement);
    if (!error)
        error = put_enum(w, c, "reset-method", IOTNET_ENUM_RESET, (int)lc.reset_method,
                         IOTNET_RESET_UNSPECIFIED);
    if (!error)
        error = put_tristate(w, c, "vendor-cloud-dependency", lc.vendor_cloud_dependency);
    if (!error)
        error = put_tristate(w, c, "credentials-escrowed", lc.credentials_escrowed);
    if (!error)
        error = put_enum(w, c, "attestation", IOTNET_ENUM_ATTESTATION, (int)lc.attestation,
                         IOTNET_ATTEST_UNSPECIFIED);
    return error;
}

static int write_selector(writer *w, struct lyd_node *rule, const char *side,
                          const iotnet_selector *sel)
{
    if (sel->type == IOTNET_SELECT_ANY)
        return 0; /* the choice's default */
    struct lyd_node *c;
    int error = new_inner(w, rule, side, &c);
    if (error)
        return error;
    switch (sel->type) {
    case IOTNET_SELECT_ZONE:
        return put(w, c, "zone", sel->value);
    case IOTNET_SELECT_NODE:
        return put(w, c, "node", sel->value);
    case IOTNET_SELECT_KIND:
        return put_kind(w, c, "kind", sel->value);
    case IOTNET_SELECT_CIDR:
        return put(w, c, "cidr", sel->value);
    case IOTNET_SELECT_INTERNET:
        return put(w, c, "internet", "");
    case IOTNET_SELECT_ANY:
        break;
    }
    iotnet__error_set(IOTNET_EVALIDATION, "selector of unknown type %d", (int)sel->type);
    return fail_model(w, c, "selector", IOTNET_EVALIDATION);
}

static int write_rule(writer *w, struct lyd_node *policy, const iotnet_rule *rule)
{
    struct lyd_node *entry;
    int error = new_entry(w, policy, "rule", rule->name, &entry);
    if (!error)
        error = write_selector(w, entry, "from", &rule->from);
    if (!error)
        error = write_selector(w, entry, "to", &rule->to);
    if (!error)
        error = put_enum(w, entry, "protocol", IOTNET_ENUM_PROTOCOL, rule->protocol,
                         IOTNET_PROTO_ANY);
    /* 0..0 is any port; a single port is written as lower-port alone */
    if (!error && (rule->port_lo || rule->port_hi)) {
        error = put_number(w, entry, "lower-port", rule->port_lo);
        if (!error && rule->port_hi != rule->port_lo)
            error = put_number(w, entry, "upper-port", rule->port_hi);
    }
    if (!error)
        error = put_enum(w, entry, "initiated-by", IOTNET_ENUM_INITIATED, (int)rule->initiated_by,
                         IOTNET_INITIATED_ANY);
    if (!error)
        error = put_enum(w, entry, "action", IOTNET_ENUM_ACTION, (int)rule->action, -1);
    if (!error)
        error = put(w, entry, "description", rule->description);
    return error;
}

static int write_policy(writer *w, struct lyd_node *node, iotnet_index index)
{
    iotnet_action default_action;
    if (!iotnet_policy_exists(w->net, index))
        return 0;
    struct lyd_node *policy;
    int error = iotnet_policy_get_default(w->net, index, &default_action);
    if (!error)
        error = new_inner(w, node, "policy", &policy);
    if (!error)
        error = put_enum(w, policy, "default-action", IOTNET_ENUM_ACTION, (int)default_action, -1);
    size_t count = iotnet_policy_rule_count(w->net, index);
    for (size_t i = 0; i < count && !error; i++) {
        iotnet_rule rule = IOTNET_RULE_INIT;
        error = iotnet_policy_get_rule(w->net, index, i, &rule);
        if (!error)
            error = write_rule(w, policy, &rule);
    }
    return error;
}

static int write_forward(writer *w, struct lyd_node *nat, const iotnet_port_forward *fwd)
{
    struct lyd_node *entry;
    int error = new_entry(w, nat, "port-forward", fwd->name, &entry);
    if (!error)
        error = put_enum(w, entry, "protocol", IOTNET_ENUM_PROTOCOL, fwd->protocol, -1);
    if (!error)
        error = put_number(w, entry, "external-port", fwd->external_port);
    if (!error)
        error = put(w, entry, "to-node", fwd->to_node);
    if (!error && fwd->internal_port)
        error = put_number(w, entry, "internal-port", fwd->internal_port);
    return error;
}

static int write_nat(writer *w, struct lyd_node *node, iotnet_index index)
{
    iotnet_nat nat = IOTNET_NAT_INIT;
    if (iotnet_nat_get(w->net, index, &nat) != 0)
        return 0;
    struct lyd_node *c;
    int error = new_inner(w, node, "nat44", &c);
    if (!error)
        error = put_items(w, c, "inside-interface", nat.inside);
    if (!error)
        error = put(w, c, "outside-interface", nat.outside);
    if (!error)
        error = put_enum(w, c, "mapping", IOTNET_ENUM_NAT_MAPPING, (int)nat.mapping, -1);
    if (!error)
        error = put_enum(w, c, "filtering", IOTNET_ENUM_NAT_FILTERING, (int)nat.filtering, -1);
    if (!error && nat.hairpinning)
        error = put_bool(w, c, "hairpinning", true);
    if (!error && nat.upnp)
        error = put_bool(w, c, "upnp", true);
    if (!error && nat.pcp)
        error = put_bool(w, c, "pcp", true);
    if (!error && nat.cgnat)
        error = put_bool(w, c, "cgnat", true);
    size_t count = iotnet_nat_forward_count(w->net, index);
    for (size_t i = 0; i < count && !error; i++) {
        iotnet_port_forward fwd = IOTNET_PORT_FORWARD_INIT;
        error = iotnet_nat_get_forward(w->net, index, i, &fwd);
        if (!error)
            error = write_forward(w, c, &fwd);
    }
    return error;
}

/* A port range: nothing for any port (0..0), a lower port alone for one port. */
static int write_ports(writer *w, struct lyd_node *entry, const char *lower, const char *upper, uint16_t lo,
                       uint16_t hi)
{
    if (!lo && !hi)
        return 0;
    int error = put_number(w, entry, lower, lo);
    if (!error && hi != lo)
        error = put_number(w, entry, upper, hi);
    return error;
}

static int write_mud_ace(writer *w, struct lyd_node *profile, size_t position, const iotnet_mud_ace *ace)
{
    char key[32];
    struct lyd_node *entry;
    snprintf(key, sizeof key, "%zu", position);
    int error = new_entry(w, profile, "ace", key, &entry);
    if (!error)
        error = put_enum(w, entry, "policy", IOTNET_ENUM_MUD_DIRECTION, (int)ace->policy, -1);
    if (!error)
        error = put(w, entry, "acl", ace->acl);
    if (!error)
        error = put(w, entry, "name", ace->name);
    if (!error)
        error = put_enum(w, entry, "peer", IOTNET_ENUM_MUD_PEER, (int)ace->peer, IOTNET_MUD_PEER_ANY);
    if (!error)
        error = put(w, entry, "peer-value", ace->peer_value);
    if (!error)
        error = put_enum(w, entry, "protocol", IOTNET_ENUM_PROTOCOL, ace->protocol, IOTNET_PROTO_ANY);
    if (!error)
        error = write_ports(w, entry, "source-lower-port", "source-upper-port", ace->src_port_lo, ace->src_port_hi);
    if (!error)
        error = write_ports(w, entry, "destination-lower-port", "destination-upper-port", ace->dst_port_lo,
                            ace->dst_port_hi);
    if (!error)
        error = put_enum(w, entry, "initiated", IOTNET_ENUM_MUD_DIRECTION, (int)ace->initiated,
                         IOTNET_MUD_DIRECTION_ANY);
    if (!error)
        error = put_enum(w, entry, "action", IOTNET_ENUM_ACTION, (int)ace->action, -1);
    return error;
}

static int write_mud_profile(writer *w, struct lyd_node *node, iotnet_index index)
{
    iotnet_mud_info info;
    if (iotnet_node_mud_info(w->net, index, &info) != 0)
        return 0;
    struct lyd_node *c;
    int error = new_inner(w, node, "mud-profile", &c);
    if (!error)
        error = put(w, c, "mud-url", info.mud_url);
    if (!error)
        error = put(w, c, "last-update", info.last_update);
    if (!error)
        error = put(w, c, "systeminfo", info.systeminfo);
    if (!error)
        error = put(w, c, "mfg-name", info.mfg_name);
    if (!error)
        error = put(w, c, "model-name", info.model_name);
    if (!error)
        error = put(w, c, "documentation", info.documentation);
    if (!error && info.cache_validity > 0)
        error = put_number(w, c, "cache-validity", info.cache_validity);
    if (!error)
        error = put_tristate(w, c, "is-supported", info.is_supported);
    size_t count = iotnet_node_mud_ace_count(w->net, index);
    for (size_t i = 0; i < count && !error; i++) {
        iotnet_mud_ace ace = IOTNET_MUD_ACE_INIT;
        error = iotnet_node_mud_ace_get(w->net, index, i, &ace);
        if (!error)
            error = write_mud_ace(w, c, i, &ace);
    }
    return error;
}

static int write_node_parts(writer *w, struct lyd_node *entry, iotnet_index node)
{
    int error = 0;
    size_t count = iotnet_interface_count(w->net, node);
    for (size_t i = 0; i < count && !error; i++) {
        iotnet_interface iface = IOTNET_INTERFACE_INIT;
        error = iotnet_interface_get(w->net, node, i, &iface);
        if (!error)
            error = write_interface(w, entry, &iface);
    }
    count = iotnet_service_count(w->net, node);
    for (size_t i = 0; i < count && !error; i++) {
        iotnet_service svc = IOTNET_SERVICE_INIT;
        error = iotnet_service_get(w->net, node, i, &svc);
        if (!error)
            error = write_service(w, entry, &svc);
    }
    if (!error)
        error = write_lifecycle(w, entry, node);
    if (!error)
        error = write_policy(w, entry, node);
    if (!error)
        error = write_nat(w, entry, node);
    if (!error)
        error = write_mud_profile(w, entry, node);
    if (!error)
        error = write_attributes(w, entry, IOTNET_ENTITY_NODE, node);
    return error;
}

static int write_node(writer *w, struct lyd_node *top, iotnet_index node)
{
    iotnet_node_spec spec = IOTNET_NODE_SPEC_INIT;
    struct lyd_node *entry = NULL;
    int error = iotnet_node_get(w->net, node, &spec);
    if (!error)
        error = new_entry(w, top, "node", spec.id, &entry);
    if (!error)
        error = put_kind(w, entry, "kind", spec.kind);
    if (!error)
        error = put(w, entry, "zone", spec.zone);
    if (!error)
        error = put(w, entry, "vendor", spec.vendor);
    if (!error)
        error = put(w, entry, "model", spec.model);
    if (!error)
        error = put(w, entry, "firmware", spec.firmware);
    if (!error)
        error = put(w, entry, "implementation", spec.implementation);
    if (!error)
        error = put(w, entry, "mud-url", spec.mud_url);
    if (!error)
        error = put(w, entry, "description", spec.description);
    if (!error)
        error = write_node_parts(w, entry, node);
    return error;
}

/* ------------------------------------------------------------------ */
/* Links                                                               */

static int write_endpoint(writer *w, struct lyd_node *link, const char *side, const char *node,
                          const char *iface)
{
    struct lyd_node *c;
    int error = new_inner(w, link, side, &c);
    if (!error)
        error = put(w, c, "node", node);
    if (!error)
        error = put(w, c, "interface", iface);
    return error;
}

static int write_link(writer *w, struct lyd_node *top, iotnet_index link)
{
    iotnet_link_spec spec = IOTNET_LINK_SPEC_INIT;
    struct lyd_node *entry = NULL;
    int error = iotnet_link_get(w->net, link, &spec);
    if (!error)
        error = new_entry(w, top, "link", spec.id, &entry);
    if (!error)
        error = write_endpoint(w, entry, "a", spec.a, spec.a_interface);
    if (!error)
        error = write_endpoint(w, entry, "b", spec.b, spec.b_interface);
    if (!error)
        error = put_enum(w, entry, "medium", IOTNET_ENUM_MEDIUM, (int)spec.medium,
                         IOTNET_MEDIUM_UNSPECIFIED);
    if (!error && spec.latency_ms >= 0)
        error = put_decimal(w, entry, "latency-ms", spec.latency_ms, 3);
    if (!error)
        error = put_enum(w, entry, "encryption", IOTNET_ENUM_LINK_ENCRYPTION, (int)spec.encryption,
                         IOTNET_LINKENC_UNSPECIFIED);
    if (!error)
        error = put(w, entry, "description", spec.description);
    if (!error)
        error = write_attributes(w, entry, IOTNET_ENTITY_LINK, link);
    return error;
}

/* ------------------------------------------------------------------ */
/* Kinds and the whole topology                                        */

static void map_derived(writer *w, const struct lysc_ident *base)
{
    LY_ARRAY_COUNT_TYPE i;
    LY_ARRAY_FOR(base->derived, i) {
        const struct lysc_ident *ident = base->derived[i];
        iotnet_kind k;
        if (!ident->module->implemented)
            continue;
        if (iotnet_kind_find(w->net, &k, ident->name) == 0 && k < w->kind_count &&
            !w->kind_module[k])
            w->kind_module[k] = ident->module;
        map_derived(w, ident);
    }
}

/* Which module defines each of the model's kinds, from the context's identities. */
static int map_kinds(writer *w)
{
    w->kind_count = iotnet_kind_count(w->net);
    w->kind_module = calloc(w->kind_count ? w->kind_count : 1, sizeof *w->kind_module);
    if (!w->kind_module)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    const struct lys_module *topology = w->y->topology;
    LY_ARRAY_COUNT_TYPE i;
    LY_ARRAY_FOR(topology->identities, i) {
        const struct lysc_ident *root = &topology->identities[i];
        if (strcmp(root->name, IOTNET_KIND_NODE_ROOT) != 0 &&
            strcmp(root->name, IOTNET_KIND_ZONE_ROOT) != 0)
            continue;
        iotnet_kind k;
        if (iotnet_kind_find(w->net, &k, root->name) == 0 && k < w->kind_count)
            w->kind_module[k] = topology;
        map_derived(w, root);
    }
    return 0;
}

static int write_risk_decision(writer *w, struct lyd_node *top, size_t i)
{
    iotnet_risk_decision d = IOTNET_RISK_DECISION_INIT;
    struct lyd_node *entry;
    int error = iotnet_risk_decision_get(w->net, i, &d);
    if (!error)
        error = new_entry(w, top, "risk-decision", d.finding, &entry);
    if (!error)
        error = put(w, entry, "by", d.by);
    if (!error)
        error = put(w, entry, "reason", d.reason);
    if (!error)
        error = put_date(w, entry, "decided", d.decided);
    if (!error)
        error = put_date(w, entry, "until", d.until);
    return error;
}

static int write_elements(writer *w, struct lyd_node *top)
{
    int error = 0;
    const char *name = iotnet_net_name(w->net);
    if (name)
        error = put(w, top, "name", name);
    for (iotnet_index i = iotnet_zone_next(w->net, IOTNET_NONE); i != IOTNET_NONE && !error;
         i = iotnet_zone_next(w->net, i))
        error = write_zone(w, top, i);
    for (iotnet_index i = iotnet_conduit_next(w->net, IOTNET_NONE); i != IOTNET_NONE && !error;
         i = iotnet_conduit_next(w->net, i))
        error = write_conduit(w, top, i);
    for (iotnet_index i = iotnet_node_next(w->net, IOTNET_NONE); i != IOTNET_NONE && !error;
         i = iotnet_node_next(w->net, i))
        error = write_node(w, top, i);
    for (iotnet_index i = iotnet_link_next(w->net, IOTNET_NONE); i != IOTNET_NONE && !error;
         i = iotnet_link_next(w->net, i))
        error = write_link(w, top, i);
    for (size_t i = 0; i < iotnet_risk_decision_count(w->net) && !error; i++)
        error = write_risk_decision(w, top, i);
    return error;
}

int iotnet__yang_build(struct lyd_node **out, const iotnet_net *net, const iotnet__yang *y,
                       const char *label)
{
    writer w = {net, y, label, NULL, 0, {0}};
    struct lyd_node *top = NULL;
    *out = NULL;
    int error = map_kinds(&w);
    if (error)
        goto cleanup;
    if (lyd_new_inner(NULL, y->topology, "topology", 0, &top) != LY_SUCCESS) {
        error = iotnet__yang_error(y->ctx, label, IOTNET_EVALIDATION, NULL);
        goto cleanup;
    }
    error = write_elements(&w, top);
    if (error)
        goto cleanup;
    if (lyd_validate_all(&top, y->ctx, LYD_VALIDATE_PRESENT, NULL) != LY_SUCCESS) {
        error = iotnet__yang_error(y->ctx, label, IOTNET_EVALIDATION, NULL);
        goto cleanup;
    }
    *out = top;
    top = NULL;
cleanup:
    lyd_free_all(top);
    free(w.kind_module);
    iotnet__buf_free(&w.scratch);
    return error;
}
