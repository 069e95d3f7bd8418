/* Compact one-line forms of a node's lists (rules, port forwards, MUD
 * entries) and of the conduits, for GraphML: each item of a list is
 * separated by "; " and every fact of the item is in it. */
#include "emit_internal.h"
#include "iotnet/mud.h"
#include "iotnet/names.h"

#include <string.h>

static const char *name_or(iotnet_enum type, int value, const char *fallback)
{
    const char *name = iotnet_enum_name(type, value);
    return name ? name : fallback;
}

void iotnet__emit_note(iotnet__buf *b, const char *text)
{
    if (!text || !text[0])
        return;
    iotnet__buf_puts(b, " \"");
    for (const char *run = text, *p = text;; p++) {
        if (*p && *p != '"' && *p != '\\')
            continue;
        iotnet__buf_append(b, run, (size_t)(p - run));
        if (!*p)
            break;
        iotnet__buf_append(b, "\\", 1);
        iotnet__buf_append(b, p, 1);
        run = p + 1;
    }
    iotnet__buf_puts(b, "\"");
}

/* "tcp/80", "tcp/80-443", "udp" (any port), "any" */
static void append_ports(iotnet__buf *b, int protocol, unsigned lo, unsigned hi)
{
    iotnet__buf_puts(b, name_or(IOTNET_ENUM_PROTOCOL, protocol, "?"));
    if (lo == 0 && hi == 0)
        return;
    iotnet__buf_printf(b, "/%u", lo);
    if (hi != lo)
        iotnet__buf_printf(b, "-%u", hi);
}

/* "zone:lan", "internet", "any": the form rules are written in Python too */
static void append_selector(iotnet__buf *b, const iotnet_selector *sel)
{
    iotnet__buf_puts(b, name_or(IOTNET_ENUM_SELECTOR, (int)sel->type, "?"));
    if (sel->value)
        iotnet__buf_printf(b, ":%s", sel->value);
}

static void separate(iotnet__buf *b, size_t i)
{
    if (i > 0)
        iotnet__buf_puts(b, "; ");
}

int iotnet__emit_rules(iotnet__buf *b, const iotnet_net *net, iotnet_index node)
{
    size_t count = iotnet_policy_rule_count(net, node);
    for (size_t i = 0; i < count; i++) {
        iotnet_rule r = {.version = IOTNET_RULE_VERSION};
        int error = iotnet_policy_get_rule(net, node, i, &r);
        if (error)
            return error;
        separate(b, i);
        iotnet__buf_printf(b, "%s: ", r.name);
        append_selector(b, &r.from);
        iotnet__buf_puts(b, " -> ");
        append_selector(b, &r.to);
        iotnet__buf_puts(b, " ");
        append_ports(b, r.protocol, r.port_lo, r.port_hi);
        if (r.initiated_by != IOTNET_INITIATED_ANY)
            iotnet__buf_printf(b, " initiated-by=%s", name_or(IOTNET_ENUM_INITIATED, (int)r.initiated_by, "?"));
        iotnet__buf_printf(b, " %s", name_or(IOTNET_ENUM_ACTION, (int)r.action, "?"));
        iotnet__emit_note(b, r.description);
    }
    return b->failed ? IOTNET_ENOMEM : 0;
}

int iotnet__emit_forwards(iotnet__buf *b, const iotnet_net *net, iotnet_index node)
{
    size_t count = iotnet_nat_forward_count(net, node);
    for (size_t i = 0; i < count; i++) {
        iotnet_port_forward f = {.version = IOTNET_PORT_FORWARD_VERSION};
        int error = iotnet_nat_get_forward(net, node, i, &f);
        if (error)
            return error;
        separate(b, i);
        iotnet__buf_printf(b, "%s %s/%u -> %s", f.name, name_or(IOTNET_ENUM_PROTOCOL, f.protocol, "?"),
                           (unsigned)f.external_port, f.to_node);
        if (f.internal_port)
            iotnet__buf_printf(b, ":%u", (unsigned)f.internal_port);
    }
    return b->failed ? IOTNET_ENOMEM : 0;
}

int iotnet__emit_mud_aces(iotnet__buf *b, const iotnet_net *net, iotnet_index node)
{
    size_t count = iotnet_node_mud_ace_count(net, node);
    for (size_t i = 0; i < count; i++) {
        iotnet_mud_ace a = {.version = IOTNET_MUD_ACE_VERSION};
        int error = iotnet_node_mud_ace_get(net, node, i, &a);
        if (error)
            return error;
        separate(b, i);
        iotnet__buf_printf(b, "%s%s%s %s %s", a.acl ? a.acl : "", a.acl ? "/" : "", a.name,
                           name_or(IOTNET_ENUM_MUD_DIRECTION, (int)a.policy, "?"),
                           name_or(IOTNET_ENUM_MUD_PEER, (int)a.peer, "?"));
        if (a.peer_value)
            iotnet__buf_printf(b, ":%s", a.peer_value);
        iotnet__buf_puts(b, " ");
        append_ports(b, a.protocol, a.dst_port_lo, a.dst_port_hi);
        if (a.src_port_lo || a.src_port_hi)
            iotnet__buf_printf(b, " src=%u-%u", (unsigned)a.src_port_lo, (unsigned)a.src_port_hi);
        if (a.initiated != IOTNET_MUD_DIRECTION_ANY)
            iotnet__buf_printf(b, " initiated=%s", name_or(IOTNET_ENUM_MUD_DIRECTION, (int)a.initiated, "?"));
        iotnet__buf_printf(b, " %s", name_or(IOTNET_ENUM_ACTION, (int)a.action, "?"));
    }
    return b->failed ? IOTNET_ENOMEM : 0;
}

int iotnet__emit_conduits(iotnet__buf *b, const iotnet_net *net)
{
    size_t i = 0;
    for (iotnet_index c = iotnet_conduit_next(net, IOTNET_NONE); c != IOTNET_NONE;
         c = iotnet_conduit_next(net, c), i++) {
        iotnet_conduit_spec spec;
        int error = iotnet_conduit_get(net, c, &spec);
        if (error)
            return error;
        separate(b, i);
        iotnet__buf_printf(b, "%s: %s -> %s %s", spec.id, spec.from_zone, spec.to_zone,
                           spec.services && spec.services[0] ? spec.services : "any");
        if (spec.bidirectional)
            iotnet__buf_puts(b, " bidirectional");
        iotnet__emit_note(b, spec.description);
    }
    return b->failed ? IOTNET_ENOMEM : 0;
}
