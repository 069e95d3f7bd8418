/* Firewall policies and NAT44 configuration held by the model. */
#include "net_internal.h"
#include "error_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *node_name(const iotnet_net *net, iotnet_index node)
{
    return iotnet__text(net, net->nodes.id[node]);
}

static policy_rec *policy_of(const iotnet_net *net, iotnet_index node)
{
    uint32_t p = net->nodes.policy[node];
    return p == IOTNET_NONE ? NULL : &net->policies.items[p];
}

static nat_rec *nat_of(const iotnet_net *net, iotnet_index node)
{
    uint32_t n = net->nodes.nat[node];
    return n == IOTNET_NONE ? NULL : &net->nats.items[n];
}

/* ---- policies ------------------------------------------------------- */

static int action_check(const iotnet_net *net, iotnet_index node, int action)
{
    if (!iotnet_enum_name(IOTNET_ENUM_ACTION, action))
        return iotnet__error_set(IOTNET_EINVAL, "node \"%s\": action %d is not accept, drop or reject",
                                 node_name(net, node), action);
    return 0;
}

static int policy_create(iotnet_net *net, iotnet_index node, iotnet_action default_action, policy_rec **out)
{
    int error = IOTNET__VEC_PUSH_ROOM(net->policies);
    if (error)
        return error;
    uint32_t p = net->policies.count++;
    policy_rec *rec = &net->policies.items[p];
    memset(rec, 0, sizeof *rec);
    rec->node = node;
    rec->default_action = (uint8_t)default_action;
    net->nodes.policy[node] = p;
    *out = rec;
    return 0;
}

int iotnet_policy_set_default(iotnet_net *net, iotnet_index node, iotnet_action default_action)
{
    int error = iotnet__node_check(net, node);
    if (error || (error = action_check(net, node, (int)default_action)))
        return error;
    policy_rec *rec = policy_of(net, node);
    if (rec) {
        rec->default_action = (uint8_t)default_action;
        return 0;
    }
    return policy_create(net, node, default_action, &rec);
}

bool iotnet_policy_exists(const iotnet_net *net, iotnet_index node)
{
    return iotnet__node_alive(net, node) && policy_of(net, node) != NULL;
}

static int policy_require(const iotnet_net *net, iotnet_index node, policy_rec **out)
{
    int error = iotnet__node_check(net, node);
    if (error)
        return error;
    *out = policy_of(net, node);
    if (!*out)
        return iotnet__error_set(IOTNET_ENOTFOUND, "node \"%s\" has no policy", node_name(net, node));
    return 0;
}

int iotnet_policy_get_default(const iotnet_net *net, iotnet_index node, iotnet_action *out)
{
    policy_rec *rec;
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_policy_get_default: out is required");
    int error = policy_require(net, node, &rec);
    if (error)
        return error;
    *out = (iotnet_action)rec->default_action;
    return 0;
}

/* Check a selector and resolve it to its stored form. */
static int selector_prepare(iotnet_net *net, const char *where, const char *side, const iotnet_selector *sel,
                            selector_rec *out)
{
    memset(out, 0, sizeof *out);
    out->type = (uint8_t)sel->type;
    iotnet_index found;
    switch (sel->type) {
    case IOTNET_SELECT_ANY:
    case IOTNET_SELECT_INTERNET:
        return 0;
    case IOTNET_SELECT_ZONE:
    case IOTNET_SELECT_NODE:
    case IOTNET_SELECT_KIND:
    case IOTNET_SELECT_CIDR:
        break;
    default:
        return iotnet__error_set(IOTNET_EINVAL, "%s: %s selector type %d is unknown", where, side, (int)sel->type);
    }
    if (!sel->value || !*sel->value)
        return iotnet__error_set(IOTNET_EINVAL, "%s: %s selector needs a value", where, side);
    if (sel->type == IOTNET_SELECT_ZONE && iotnet_zone_find(net, &found, sel->value) != 0)
        return iotnet__error_set(IOTNET_ENOTFOUND, "%s: %s zone \"%s\" does not exist", where, side, sel->value);
    if (sel->type == IOTNET_SELECT_NODE && iotnet_node_find(net, &found, sel->value) != 0)
        return iotnet__error_set(IOTNET_ENOTFOUND, "%s: %s node \"%s\" does not exist", where, side, sel->value);
    if (sel->type == IOTNET_SELECT_KIND && iotnet_kind_is(net, sel->value, IOTNET_KIND_NODE_ROOT) != 1)
        return iotnet__error_set(IOTNET_EKIND, "%s: %s kind \"%s\" is not a node kind", where, side, sel->value);
    if (sel->type == IOTNET_SELECT_CIDR && iotnet_ipv4_parse(&out->ipv4, &out->prefix_len, sel->value) != 0) {
        iotnet__error_prefix(side);
        iotnet__error_prefix(where);
        return IOTNET_EINVAL;
    }
    return iotnet__intern(net, sel->value, &out->value);
}

static int rule_prepare(iotnet_net *net, iotnet_index node, const iotnet_rule *rule, rule_rec *out)
{
    char where[512];
    const char *id = node_name(net, node);
    if (!rule || !rule->name || !*rule->name)
        return iotnet__error_set(IOTNET_EINVAL, "node \"%s\": a rule needs a name", id);
    snprintf(where, sizeof where, "node \"%s\" rule \"%s\"", id, rule->name);
    if (iotnet__version_check(rule->version, IOTNET_RULE_VERSION, "iotnet_rule"))
        return IOTNET_EINVAL;
    if (!iotnet_enum_name(IOTNET_ENUM_PROTOCOL, rule->protocol) ||
        !iotnet_enum_name(IOTNET_ENUM_INITIATED, (int)rule->initiated_by) ||
        !iotnet_enum_name(IOTNET_ENUM_ACTION, (int)rule->action))
        return iotnet__error_set(IOTNET_EINVAL, "%s: protocol, initiated-by or action out of range", where);
    if (rule->port_lo > rule->port_hi)
        return iotnet__error_set(IOTNET_EINVAL, "%s: port range %u-%u is empty", where, rule->port_lo, rule->port_hi);
    int error;
    memset(out, 0, sizeof *out);
    if ((error = selector_prepare(net, where, "from", &rule->from, &out->from)) ||
        (error = selector_prepare(net, where, "to", &rule->to, &out->to)) ||
        (error = iotnet__intern(net, rule->name, &out->name)) ||
        (error = iotnet__intern(net, rule->description, &out->description)))
        return error;
    out->protocol = (uint8_t)rule->protocol;
    out->port_lo = rule->port_lo;
    out->port_hi = rule->port_hi;
    out->initiated = (uint8_t)rule->initiated_by;
    out->action = (uint8_t)rule->action;
    return 0;
}

int iotnet_policy_add_rule(iotnet_net *net, iotnet_index node, const iotnet_rule *rule)
{
    int error = iotnet__node_check(net, node);
    rule_rec rec;
    if (error || (error = rule_prepare(net, node, rule, &rec)))
        return error;
    policy_rec *p = policy_of(net, node);
    for (uint32_t i = 0; p && i < p->rules.count; i++)
        if (p->rules.items[i].name == rec.name)
            return iotnet__error_set(IOTNET_EEXISTS, "node \"%s\" has a rule \"%s\" already", node_name(net, node),
                                     rule->name);
    if (!p && (error = policy_create(net, node, IOTNET_ACTION_DROP, &p)))
        return error;
    if ((error = IOTNET__VEC_PUSH_ROOM(p->rules)))
        return error;
    p->rules.items[p->rules.count++] = rec;
    return 0;
}

size_t iotnet_policy_rule_count(const iotnet_net *net, iotnet_index node)
{
    const policy_rec *p = iotnet__node_alive(net, node) ? policy_of(net, node) : NULL;
    return p ? p->rules.count : 0;
}

static void selector_read(const iotnet_net *net, const selector_rec *s, iotnet_selector *out)
{
    out->type = (iotnet_selector_type)s->type;
    out->value = iotnet__text(net, s->value);
}

int iotnet_policy_get_rule(const iotnet_net *net, iotnet_index node, size_t i, iotnet_rule *out)
{
    policy_rec *p;
    int error = policy_require(net, node, &p);
    if (error)
        return error;
    if (i >= p->rules.count || !out)
        return iotnet__error_set(i >= p->rules.count ? IOTNET_ENOTFOUND : IOTNET_EINVAL,
                                 "node \"%s\": no rule number %zu", node_name(net, node), i);
    const rule_rec *r = &p->rules.items[i];
    out->version = IOTNET_RULE_VERSION;
    out->name = iotnet__text(net, r->name);
    selector_read(net, &r->from, &out->from);
    selector_read(net, &r->to, &out->to);
    out->protocol = r->protocol;
    out->port_lo = r->port_lo;
    out->port_hi = r->port_hi;
    out->initiated_by = (iotnet_initiated)r->initiated;
    out->action = (iotnet_action)r->action;
    out->description = iotnet__text(net, r->description);
    return 0;
}

int iotnet_policy_remove(iotnet_net *net, iotnet_index node)
{
    policy_rec *p;
    int error = policy_require(net, node, &p);
    if (error)
        return error;
    free(p->rules.items);
    memset(p, 0, sizeof *p);
    p->node = IOTNET_NONE;
    net->nodes.policy[node] = IOTNET_NONE;
    return 0;
}

int iotnet__policy_check_unreferenced(const iotnet_net *net, iotnet_index except_owner, iotnet_selector_type type,
                                      iotnet__str value, const char *what)
{
    for (uint32_t p = 0; p < net->policies.count; p++) {
        const policy_rec *rec = &net->policies.items[p];
        if (rec->node == IOTNET_NONE || rec->node == except_owner)
            continue;
        for (uint32_t i = 0; i < rec->rules.count; i++) {
            const rule_rec *r = &rec->rules.items[i];
            if ((r->from.type == type && r->from.value == value) || (r->to.type == type && r->to.value == value))
                return iotnet__error_set(IOTNET_EINUSE, "%s \"%s\" is named by rule \"%s\" of node \"%s\"", what,
                                         iotnet__text(net, value), iotnet__text(net, r->name),
                                         node_name(net, rec->node));
        }
    }
    return 0;
}

void iotnet__policies_free(iotnet_net *net)
{
    for (uint32_t p = 0; p < net->policies.count; p++)
        free(net->policies.items[p].rules.items);
    free(net->policies.items);
    for (uint32_t n = 0; n < net->nats.count; n++)
        free(net->nats.items[n].forwards.items);
    free(net->nats.items);
}

/* ---- NAT44 ---------------------------------------------------------- */

/* Every word of a space-separated interface list must be an interface of the node. */
static int nat_interfaces_check(const iotnet_net *net, iotnet_index node, const char *list, const char *role)
{
    int words = 0;
    for (const char *p = list; *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (!n)
            break;
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(n < 255 ? n : 255), p);
        if (iotnet__iface_find(net, node, name) == IOTNET_NONE)
            return iotnet__error_set(IOTNET_ENOTFOUND, "node \"%s\": NAT44 %s interface \"%s\" does not exist",
                                     node_name(net, node), role, name);
        words++;
        p += n;
    }
    if (!words)
        return iotnet__error_set(IOTNET_EINVAL, "node \"%s\": NAT44 needs an %s interface", node_name(net, node), role);
    return 0;
}

static int nat_check(const iotnet_net *net, iotnet_index node, const iotnet_nat *nat)
{
    if (!nat || !nat->inside || !nat->outside)
        return iotnet__error_set(IOTNET_EINVAL, "node \"%s\": NAT44 needs inside and outside interfaces",
                                 node_name(net, node));
    if (iotnet__version_check(nat->version, IOTNET_NAT_VERSION, "iotnet_nat"))
        return IOTNET_EINVAL;
    if (!iotnet_enum_name(IOTNET_ENUM_NAT_MAPPING, (int)nat->mapping) ||
        !iotnet_enum_name(IOTNET_ENUM_NAT_FILTERING, (int)nat->filtering))
        return iotnet__error_set(IOTNET_EINVAL, "node \"%s\": NAT44 mapping or filtering out of range",
                                 node_name(net, node));
    int error;
    if ((error = nat_interfaces_check(net, node, nat->inside, "inside")) ||
        (error = nat_interfaces_check(net, node, nat->outside, "outside")))
        return error;
    if (strchr(nat->outside, ' '))
        return iotnet__error_set(IOTNET_EINVAL, "node \"%s\": NAT44 has one outside interface, not \"%s\"",
                                 node_name(net, node), nat->outside);
    if (iotnet__words_contain(nat->inside, nat->outside))
        return iotnet__error_set(IOTNET_EINVAL, "node \"%s\": interface \"%s\" cannot be inside and outside",
                                 node_name(net, node), nat->outside);
    return 0;
}

int iotnet_nat_set(iotnet_net *net, iotnet_index node, const iotnet_nat *nat)
{
    int error = iotnet__node_check(net, node);
    if (error || (error = nat_check(net, node, nat)))
        return error;
    iotnet__str inside, outside;
    if ((error = iotnet__intern(net, nat->inside, &inside)) || (error = iotnet__intern(net, nat->outside, &outside)))
        return error;
    nat_rec *rec = nat_of(net, node);
    if (!rec) {
        if ((error = IOTNET__VEC_PUSH_ROOM(net->nats)))
            return error;
        uint32_t n = net->nats.count++;
        rec = &net->nats.items[n];
        memset(rec, 0, sizeof *rec);
        rec->node = node;
        net->nodes.nat[node] = n;
    }
    rec->inside = inside;
    rec->outside = outside;
    rec->mapping = (uint8_t)nat->mapping;
    rec->filtering = (uint8_t)nat->filtering;
    rec->hairpinning = nat->hairpinning;
    rec->upnp = nat->upnp;
    rec->pcp = nat->pcp;
    rec->cgnat = nat->cgnat;
    return 0;
}

bool iotnet_nat_exists(const iotnet_net *net, iotnet_index node)
{
    return iotnet__node_alive(net, node) && nat_of(net, node) != NULL;
}

static int nat_require(const iotnet_net *net, iotnet_index node, nat_rec **out)
{
    int error = iotnet__node_check(net, node);
    if (error)
        return error;
    *out = nat_of(net, node);
    if (!*out)
        return iotnet__error_set(IOTNET_ENOTFOUND, "node \"%s\" has no NAT44", node_name(net, node));
    return 0;
}

int iotnet_nat_get(const iotnet_net *net, iotnet_index node, iotnet_nat *out)
{
    nat_rec *rec;
    int error = nat_require(net, node, &rec);
    if (error)
        return error;
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_nat_get: out is required");
    out->version = IOTNET_NAT_VERSION;
    out->inside = iotnet__text(net, rec->inside);
    out->outside = iotnet__text(net, rec->outside);
    out->mapping = (iotnet_nat_mapping)rec->mapping;
    out->filtering = (iotnet_nat_filtering)rec->filtering;
    out->hairpinning = rec->hairpinning;
    out->upnp = rec->upnp;
    out->pcp = rec->pcp;
    out->cgnat = rec->cgnat;
    return 0;
}

int iotnet_nat_remove(iotnet_net *net, iotnet_index node)
{
    nat_rec *rec;
    int error = nat_require(net, node, &rec);
    if (error)
        return error;
    free(rec->forwards.items);
    memset(rec, 0, sizeof *rec);
    rec->node = IOTNET_NONE;
    net->nodes.nat[node] = IOTNET_NONE;
    return 0;
}

static int forward_prepare(iotnet_net *net, iotnet_index node, const nat_rec *nat, const iotnet_port_forward *fwd,
                           forward_rec *out)
{
    const char *id = node_name(net, node);
    if (!fwd || !fwd->name || !*fwd->name)
        return iotnet__error_set(IOTNET_EINVAL, "node \"%s\": a port forward needs a name", id);
    if (iotnet__version_check(fwd->version, IOTNET_PORT_FORWARD_VERSION, "iotnet_port_forward"))
        return IOTNET_EINVAL;
    if (fwd->protocol != IOTNET_PROTO_TCP && fwd->protocol != IOTNET_PROTO_UDP && fwd->protocol != IOTNET_PROTO_ANY)
        return iotnet__error_set(IOTNET_EINVAL, "node \"%s\" port forward \"%s\": protocol must be tcp, udp or any",
                                 id, fwd->name);
    if (fwd->external_port == 0)
        return iotnet__error_set(IOTNET_EINVAL, "node \"%s\" port forward \"%s\": external port must be 1..65535",
                                 id, fwd->name);
    if (!fwd->to_node || !*fwd->to_node)
        return iotnet__error_set(IOTNET_EINVAL, "node \"%s\" port forward \"%s\": a target node is required", id, fwd->name);
    if (iotnet_node_find(net, &out->to_node, fwd->to_node) != 0)
        return iotnet__error_set(IOTNET_ENOTFOUND, "node \"%s\" port forward \"%s\": node \"%s\" does not exist",
                                 id, fwd->name, fwd->to_node);
    int error = iotnet__intern(net, fwd->name, &out->name);
    if (error)
        return error;
    for (uint32_t i = 0; i < nat->forwards.count; i++)
        if (nat->forwards.items[i].name == out->name)
            return iotnet__error_set(IOTNET_EEXISTS, "node \"%s\" has a port forward \"%s\" already", id, fwd->name);
    out->protocol = (uint8_t)fwd->protocol;
    out->external_port = fwd->external_port;
    out->internal_port = fwd->internal_port;
    return 0;
}

int iotnet_nat_add_forward(iotnet_net *net, iotnet_index node, const iotnet_port_forward *fwd)
{
    nat_rec *rec;
    forward_rec f;
    int error = nat_require(net, node, &rec);
    if (error || (error = forward_prepare(net, node, rec, fwd, &f)) || (error = IOTNET__VEC_PUSH_ROOM(rec->forwards)))
        return error;
    rec->forwards.items[rec->forwards.count++] = f;
    return 0;
}

size_t iotnet_nat_forward_count(const iotnet_net *net, iotnet_index node)
{
    const nat_rec *rec = iotnet__node_alive(net, node) ? nat_of(net, node) : NULL;
    return rec ? rec->forwards.count : 0;
}

int iotnet_nat_get_forward(const iotnet_net *net, iotnet_index node, size_t i, iotnet_port_forward *out)
{
    nat_rec *rec;
    int error = nat_require(net, node, &rec);
    if (error)
        return error;
    if (i >= rec->forwards.count || !out)
        return iotnet__error_set(i >= rec->forwards.count ? IOTNET_ENOTFOUND : IOTNET_EINVAL,
                                 "node \"%s\": no port forward number %zu", node_name(net, node), i);
    const forward_rec *f = &rec->forwards.items[i];
    out->version = IOTNET_PORT_FORWARD_VERSION;
    out->name = iotnet__text(net, f->name);
    out->protocol = f->protocol;
    out->external_port = f->external_port;
    out->to_node = node_name(net, f->to_node);
    out->internal_port = f->internal_port;
    return 0;
}

int iotnet__nat_check_node_unreferenced(const iotnet_net *net, iotnet_index node)
{
    for (uint32_t n = 0; n < net->nats.count; n++) {
        const nat_rec *rec = &net->nats.items[n];
        if (rec->node == IOTNET_NONE || rec->node == node)
            continue;
        for (uint32_t i = 0; i < rec->forwards.count; i++)
            if (rec->forwards.items[i].to_node == node)
                return iotnet__error_set(IOTNET_EINUSE, "node \"%s\" is the target of port forward \"%s\" on node \"%s\"",
                                         node_name(net, node), iotnet__text(net, rec->forwards.items[i].name),
                                         node_name(net, rec->node));
    }
    return 0;
}
