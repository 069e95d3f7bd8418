/* Flattening a validated MUD data tree: the device's ACLs (RFC 8519), as its
 * from-device and to-device policies name them, become the entries of a profile.
 *
 * Flattening keeps what the model can tell apart: the peer (one MUD
 * abstraction, DNS name or IPv4 network), the protocol, port ranges,
 * direction-initiated and the action. What it cannot express is reported as
 * a note, never silently:
 *  - an entry that can only match traffic the model has none of is left out:
 *    IP protocols other than ICMP, TCP, UDP and SCTP (IGMP, IPv6 extension
 *    headers), IPv6 networks as the only peer (the model has IPv4 addresses
 *    only), non-IP ethertypes, port 0 alone;
 *  - conditions finer than the model are ignored, which widens the entry:
 *    ICMP type and code, MAC addresses, DSCP/TTL and other header fields,
 *    TCP flags, interfaces, the device's own address or name, and every peer
 *    after the first when an entry names several (a MUD abstraction wins over
 *    a DNS name, which wins over a network);
 *  - `neq` on a port becomes two entries with the same names (below and
 *    above the port), which is exact;
 *  - ICMPv6 (58) in an IPv6 ACL is kept as icmp.
 * Ports an entry does not state are any port (0..0): the model has no
 * ephemeral range, and a reply ACE naming only the service's source port
 * matches whatever port the client chose. */
#include "mud_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libyang/libyang.h>

#include "error_internal.h"
#include "iotnet/names.h"

#define MESSAGE_MAX 1024
#define MUD_MODULE "ietf-mud"
#define ACL_MODULE "ietf-access-control-list"

/* ------------------------------------------------------------------ */
/* Data nodes                                                          */

static bool is(const struct lyd_node *node, const char *name)
{
    return node->schema && strcmp(node->schema->name, name) == 0;
}

static bool is_of(const struct lyd_node *node, const char *module, const char *name)
{
    return is(node, name) && strcmp(node->schema->module->name, module) == 0;
}

static const struct lyd_node *child(const struct lyd_node *parent, const char *name)
{
    for (const struct lyd_node *c = parent ? lyd_child(parent) : NULL; c; c = c->next)
        if (is(c, name))
            return c;
    return NULL;
}

static const char *text(const struct lyd_node *node)
{
    return node ? lyd_get_value(node) : NULL;
}

static const struct lyd_value *value(const struct lyd_node *node)
{
    return &((const struct lyd_node_term *)node)->value;
}

/* ------------------------------------------------------------------ */
/* Flattening                                                          */

typedef struct loader {
    iotnet_mud *mud;
    const char *label;
    const struct lyd_node *acls;
    const struct lyd_node **used;    /* ACLs a policy names */
    size_t used_count, used_cap;
} loader;

/* A note about the entry at `node`: "PATH: text". */
static int note(loader *l, const struct lyd_node *node, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int note(loader *l, const struct lyd_node *node, const char *fmt, ...)
{
    char what[MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    char *path = lyd_path(node, LYD_PATH_STD, NULL, 0);
    int error = iotnet__mud_add_line(l->mud, &l->mud->notes, "%s: %s", path ? path : "?", what);
    free(path);
    return error;
}

typedef struct port_range {
    uint16_t lo, hi;
} port_range;

/* What one ACE says, before it becomes one entry or a few (neq). */
typedef struct ace_parts {
    iotnet_mud_ace ace;
    port_range src[2], dst[2];
    int src_count, dst_count;
    bool split;      /* a neq made two ranges */
    bool skip;       /* matches nothing the model has */
} ace_parts;

/* The ranges of a source-port or destination-port container. */
static int read_ports(loader *l, const struct lyd_node *ace, const struct lyd_node *ports, const char *side,
                      port_range out[2], int *count, ace_parts *p)
{
    *count = 1;
    out[0] = (port_range){0, 0};
    if (!ports)
        return 0;
    const struct lyd_node *lower = child(ports, "lower-port"), *upper = child(ports, "upper-port");
    const struct lyd_node *port = child(ports, "port"), *op = child(ports, "operator");
    long lo, hi, lo2 = -1, hi2 = -1;
    if (lower) {
        lo = value(lower)->uint16;
        hi = upper ? value(upper)->uint16 : lo;
    } else if (port) {
        long n = value(port)->uint16;
        const char *o = op ? text(op) : "eq";
        lo = hi = n;
        if (strcmp(o, "lte") == 0)
            lo = 0;
        else if (strcmp(o, "gte") == 0)
            hi = 65535;
        else if (strcmp(o, "neq") == 0)
            lo = 0, hi = n - 1, lo2 = n + 1, hi2 = 65535;
    } else {
        return 0;
    }
    *count = 0;
    long pieces[2][2] = {{lo, hi}, {lo2, hi2}};
    for (int i = 0; i < 2; i++) {
        long a = pieces[i][0], b = pieces[i][1];
        if (a < 0 || b < a || b > 65535 || (a == 0 && b == 0))
            continue; /* empty, or port 0 alone, which no flow of the model uses */
        if (a == 0 && b == 65535)
            b = 0; /* every port */
        out[(*count)++] = (port_range){(uint16_t)a, (uint16_t)b};
    }
    if (*count == 2)
        p->split = true;
    if (*count == 0) {
        p->skip = true;
        return note(l, ace, "the %s port matches port 0 only, which the model has no flows on: entry left out", side);
    }
    return 0;
}

/* Header fields the model has no notion of, named in one note. */
static int ignored_fields(loader *l, const struct lyd_node *ace, const struct lyd_node *container,
                          const char *const *known, const char *what)
{
    char names[512] = "";
    size_t used = 0;
    for (const struct lyd_node *c = lyd_child(container); c; c = c->next) {
        if (!c->schema || (c->flags & LYD_DEFAULT))
            continue;
        bool listed = false;
        for (const char *const *k = known; *k && !listed; k++)
            listed = is(c, *k);
        if (!listed && used < sizeof names - 1)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "", c->schema->name);
    }
    if (!used)
        return 0;
    bool several = strchr(names, ',') != NULL;
    return note(l, ace, "%s%s %s %s not modelled: ignored, so the entry matches more", what, several ? "s" : "",
                names, several ? "are" : "is");
}

/* The peer named by the ietf-mud:mud container of the matches. */
static int read_abstraction(loader *l, const struct lyd_node *ace, const struct lyd_node *mud, ace_parts *p)
{
    static const struct {
        const char *name;
        iotnet_mud_peer peer;
        bool has_value;
    } kinds[] = {
        {"manufacturer", IOTNET_MUD_PEER_MANUFACTURER, true},
        {"same-manufacturer", IOTNET_MUD_PEER_SAME_MANUFACTURER, false},
        {"model", IOTNET_MUD_PEER_MODEL, true},
        {"local-networks", IOTNET_MUD_PEER_LOCAL_NETWORKS, false},
        {"controller", IOTNET_MUD_PEER_CONTROLLER, true},
        {"my-controller", IOTNET_MUD_PEER_MY_CONTROLLER, false},
    };
    int error = 0;
    for (const struct lyd_node *c = lyd_child(mud); c && !error; c = c->next) {
        for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
            if (!is(c, kinds[k].name))
                continue;
            if (p->ace.peer == IOTNET_MUD_PEER_ANY) {
                p->ace.peer = kinds[k].peer;
                p->ace.peer_value = kinds[k].has_value ? text(c) : NULL;
            } else {
                error = note(l, ace, "%s is ignored: an entry keeps one peer, here %s", kinds[k].name,
                             iotnet_enum_name(IOTNET_ENUM_MUD_PEER, (int)p->ace.peer));
            }
        }
    }
    return error;
}

/* The IPv4 or IPv6 matches: protocol, and the peer on the far side (destination
 * of from-device packets, source of to-device ones). */
static int read_ip(loader *l, const struct lyd_node *ace, const struct lyd_node *ip, ace_parts *p, int *protocol)
{
    bool v6 = is(ip, "ipv6"), from = p->ace.policy == IOTNET_MUD_FROM_DEVICE;
    const char *far_net = v6 ? (from ? "destination-ipv6-network" : "source-ipv6-network")
                             : (from ? "destination-ipv4-network" : "source-ipv4-network");
    const char *near_net = v6 ? (from ? "source-ipv6-network" : "destination-ipv6-network")
                              : (from ? "source-ipv4-network" : "destination-ipv4-network");
    const char *far_dns = from ? "dst-dnsname" : "src-dnsname", *near_dns = from ? "src-dnsname" : "dst-dnsname";
    const struct lyd_node *dns = child(ip, far_dns), *net = child(ip, far_net);
    const struct lyd_node *proto = child(ip, "protocol");
    int error = 0;
    if (proto)
        *protocol = value(proto)->uint8;
    if (v6 && *protocol == 58)
        *protocol = IOTNET_PROTO_ICMP;
    const struct lyd_node *near = child(ip, near_dns);
    if (!near)
        near = child(ip, near_net);
    if (near)
        error = note(l, ace, "%s %s names the device's own side, which the model does not check: ignored",
                     near->schema->name, text(near));
    const char *const known[] = {"protocol", "destination-ipv4-network", "source-ipv4-network",
                                 "destination-ipv6-network", "source-ipv6-network", "dst-dnsname",
                                 "src-dnsname", NULL};
    if (!error)
        error = ignored_fields(l, ace, ip, known, v6 ? "IPv6 field" : "IPv4 field");
    if (error)
        return error;
    if (p->ace.peer != IOTNET_MUD_PEER_ANY) {
        const struct lyd_node *dropped = dns ? dns : net;
        if (dropped)
            error = note(l, ace, "%s %s is ignored: an entry keeps one peer, here %s", dropped->schema->name,
                         text(dropped), iotnet_enum_name(IOTNET_ENUM_MUD_PEER, (int)p->ace.peer));
        return error;
    }
    if (dns) {
        p->ace.peer = IOTNET_MUD_PEER_DNSNAME;
        p->ace.peer_value = text(dns);
        if (net)
            error = note(l, ace, "%s %s is ignored: an entry keeps one peer, here dnsname", far_net, text(net));
    } else if (net && v6) {
        p->skip = true;
        error = note(l, ace, "the peer is the IPv6 network %s and the model has IPv4 addresses only: entry left out",
                     text(net));
    } else if (net) {
        uint32_t addr;
        uint8_t len;
        p->ace.peer = IOTNET_MUD_PEER_CIDR;
        p->ace.peer_value = text(net);
        if (iotnet_ipv4_parse(&addr, &len, p->ace.peer_value) != 0) {
            p->skip = true;
            error = note(l, ace, "the network %s cannot be read: entry left out", p->ace.peer_value);
        }
    }
    return error;
}

/* An ethertype, numeric or by name, is IP. */
static bool ethertype_is_ip(const char *t)
{
    return strcmp(t, "2048") == 0 || strcmp(t, "34525") == 0 || strcmp(t, "ipv4") == 0 || strcmp(t, "ipv6") == 0;
}

static int read_eth(loader *l, const struct lyd_node *ace, const struct lyd_node *eth, bool ip_matched, ace_parts *p)
{
    const struct lyd_node *type = child(eth, "ethertype");
    if (type && !ethertype_is_ip(text(type)) && !ip_matched) {
        p->skip = true;
        unsigned number = (unsigned)strtoul(text(type), NULL, 10);
        if (number)
            return note(l, ace, "ethertype 0x%04x is not IP, and the model has IP flows only: entry left out", number);
        return note(l, ace, "ethertype %s is not IP, and the model has IP flows only: entry left out", text(type));
    }
    const char *const known[] = {"ethertype", NULL};
    return ignored_fields(l, ace, eth, known, "Ethernet field");
}

/* TCP or UDP: ports, direction-initiated, and the fields the model ignores. */
static int read_transport(loader *l, const struct lyd_node *ace, const struct lyd_node *l4, ace_parts *p)
{
    int error = read_ports(l, ace, child(l4, "source-port"), "source", p->src, &p->src_count, p);
    if (!error && !p->skip)
        error = read_ports(l, ace, child(l4, "destination-port"), "destination", p->dst, &p->dst_count, p);
    const struct lyd_node *dir = child(l4, "direction-initiated");
    if (dir)
        p->ace.initiated = strcmp(text(dir), "from-device") == 0 ? IOTNET_MUD_FROM_DEVICE : IOTNET_MUD_TO_DEVICE;
    const char *const known[] = {"source-port", "destination-port", "direction-initiated", NULL};
    if (!error)
        error = ignored_fields(l, ace, l4, known, is(l4, "tcp") ? "TCP field" : "UDP field");
    return error;
}

static int read_action(loader *l, const struct lyd_node *ace, ace_parts *p)
{
    const struct lyd_node *forwarding = child(child(ace, "actions"), "forwarding");
    const char *name = forwarding ? value(forwarding)->ident->name : "";
    if (strcmp(name, "accept") == 0)
        p->ace.action = IOTNET_ACTION_ACCEPT;
    else if (strcmp(name, "drop") == 0)
        p->ace.action = IOTNET_ACTION_DROP;
    else if (strcmp(name, "reject") == 0)
        p->ace.action = IOTNET_ACTION_REJECT;
    else {
        p->skip = true;
        return note(l, ace, "forwarding action \"%s\" is not accept, drop or reject: entry left out", name);
    }
    return 0;
}

static bool protocol_modelled(int protocol)
{
    return protocol == IOTNET_PROTO_ANY || protocol == IOTNET_PROTO_ICMP || protocol == IOTNET_PROTO_TCP ||
           protocol == IOTNET_PROTO_UDP || protocol == IOTNET_PROTO_SCTP;
}

/* Read one ACE's matches into p. */
static int read_matches(loader *l, const struct lyd_node *ace, ace_parts *p)
{
    const struct lyd_node *matches = child(ace, "matches");
    const struct lyd_node *mud = NULL, *ip = NULL, *l4 = NULL, *eth = NULL;
    int error = 0;
    for (const struct lyd_node *c = matches ? lyd_child(matches) : NULL; c && !error; c = c->next) {
        if (!c->schema || (c->flags & LYD_DEFAULT))
            continue;
        if (is_of(c, MUD_MODULE, "mud"))
            mud = c;
        else if (is(c, "ipv4") || is(c, "ipv6"))
            ip = c;
        else if (is(c, "tcp") || is(c, "udp") || is(c, "icmp"))
            l4 = c;
        else if (is(c, "eth"))
            eth = c;
        else
            error = note(l, ace, "the match %s:%s is not modelled: ignored, so the entry matches more",
                         c->schema->module->name, c->schema->name);
    }
    int protocol = -1, implied = -1;
    if (!error && mud)
        error = read_abstraction(l, ace, mud, p);
    if (!error && ip)
        error = read_ip(l, ace, ip, p, &protocol);
    if (!error && eth)
        error = read_eth(l, ace, eth, ip || l4, p);
    if (error || p->skip)
        return error;
    if (l4) {
        implied = is(l4, "tcp") ? IOTNET_PROTO_TCP : is(l4, "udp") ? IOTNET_PROTO_UDP : IOTNET_PROTO_ICMP;
        if (is(l4, "icmp"))
            error = ignored_fields(l, ace, l4, (const char *const[]){NULL}, "ICMP field");
        else
            error = read_transport(l, ace, l4, p);
        if (error || p->skip)
            return error;
    }
    if (protocol >= 0 && implied >= 0 && protocol != implied) {
        p->skip = true;
        return note(l, ace, "protocol %d contradicts the %s match, so the entry matches nothing: left out",
                    protocol, l4->schema->name);
    }
    if (protocol < 0)
        protocol = implied >= 0 ? implied : IOTNET_PROTO_ANY;
    else if (protocol == 0 || !protocol_modelled(protocol)) {
        p->skip = true;
        return note(l, ace,
                    "protocol %d is not modelled (the model has icmp, tcp, udp and sctp flows): entry left out",
                    protocol);
    }
    p->ace.protocol = protocol;
    return 0;
}

static int push_ace(loader *l, const iotnet_mud_ace *ace)
{
    mud_ace_rec rec;
    int error = iotnet__mud_ace_store(&l->mud->strings, ace, &rec);
    if (!error)
        error = IOTNET__VEC_PUSH_ROOM(l->mud->aces);
    if (!error)
        l->mud->aces.items[l->mud->aces.count++] = rec;
    return error;
}

static int flatten_ace(loader *l, const char *acl_name, const struct lyd_node *ace, iotnet_mud_direction policy)
{
    ace_parts p;
    memset(&p, 0, sizeof p);
    p.ace = (iotnet_mud_ace)IOTNET_MUD_ACE_INIT;
    p.ace.acl = acl_name;
    p.ace.name = text(child(ace, "name"));
    p.ace.policy = policy;
    p.src_count = p.dst_count = 1;
    int error = read_action(l, ace, &p);
    if (!error && !p.skip)
        error = read_matches(l, ace, &p);
    if (error || p.skip)
        return error;
    if (p.split)
        error = note(l, ace, "neq on a port is written as the ranges below and above it: %d entries",
                     p.src_count * p.dst_count);
    for (int s = 0; s < p.src_count && !error; s++) {
        for (int d = 0; d < p.dst_count && !error; d++) {
            iotnet_mud_ace one = p.ace;
            one.src_port_lo = p.src[s].lo;
            one.src_port_hi = p.src[s].hi;
            one.dst_port_lo = p.dst[d].lo;
            one.dst_port_hi = p.dst[d].hi;
            error = push_ace(l, &one);
        }
    }
    return error;
}

static const struct lyd_node *find_acl(const loader *l, const char *name)
{
    for (const struct lyd_node *c = l->acls ? lyd_child(l->acls) : NULL; c; c = c->next)
        if (is(c, "acl") && strcmp(text(child(c, "name")), name) == 0)
            return c;
    return NULL;
}

static int mark_used(loader *l, const struct lyd_node *acl)
{
    if (l->used_count == l->used_cap) {
        size_t cap = l->used_cap ? 2 * l->used_cap : 16;
        const struct lyd_node **grown = realloc(l->used, cap * sizeof *grown);
        if (!grown)
            return iotnet__error_set(IOTNET_ENOMEM, "out of memory");
        l->used = grown;
        l->used_cap = cap;
    }
    l->used[l->used_count++] = acl;
    return 0;
}

static bool was_used(const loader *l, const struct lyd_node *acl)
{
    for (size_t i = 0; i < l->used_count; i++)
        if (l->used[i] == acl)
            return true;
    return false;
}

/* Every ACE of the ACLs that one policy names, in order. */
static int flatten_policy(loader *l, const struct lyd_node *mud, const char *name, iotnet_mud_direction policy)
{
    const struct lyd_node *lists = child(child(mud, name), "access-lists");
    int error = 0;
    for (const struct lyd_node *entry = lists ? lyd_child(lists) : NULL; entry && !error; entry = entry->next) {
        if (!is(entry, "access-list"))
            continue;
        const char *acl_name = text(child(entry, "name"));
        const struct lyd_node *acl = acl_name ? find_acl(l, acl_name) : NULL;
        if (!acl) {
            char *path = lyd_path(entry, LYD_PATH_STD, NULL, 0);
            error = iotnet__error_set(IOTNET_EVALIDATION, "%s: %s names ACL \"%s\", which the file does not have (at %s)",
                                      l->label, name, acl_name ? acl_name : "", path ? path : "?");
            iotnet__error_locate(l->label, 0, path);
            free(path);
            break;
        }
        error = mark_used(l, acl);
        const struct lyd_node *aces = child(acl, "aces");
        for (const struct lyd_node *ace = aces ? lyd_child(aces) : NULL; ace && !error; ace = ace->next)
            if (is(ace, "ace"))
                error = flatten_ace(l, acl_name, ace, policy);
    }
    return error;
}

static int read_info(loader *l, const struct lyd_node *mud)
{
    iotnet_mud_info info = {IOTNET_MUD_INFO_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, 0, IOTNET_UNKNOWN};
    for (const struct lyd_node *c = lyd_child(mud); c; c = c->next) {
        if (is(c, "mud-url"))
            info.mud_url = text(c);
        else if (is(c, "last-update"))
            info.last_update = l->mud->last_update_text ? iotnet__str_text(&l->mud->strings, l->mud->last_update_text)
                                                        : text(c);
        else if (is(c, "systeminfo"))
            info.systeminfo = text(c);
        else if (is(c, "mfg-name"))
            info.mfg_name = text(c);
        else if (is(c, "model-name"))
            info.model_name = text(c);
        else if (is(c, "documentation"))
            info.documentation = text(c);
        else if (is(c, "cache-validity") && !(c->flags & LYD_DEFAULT))
            info.cache_validity = value(c)->uint8;
        else if (is(c, "is-supported"))
            info.is_supported = value(c)->boolean ? IOTNET_YES : IOTNET_NO;
    }
    if (!info.mud_url || !*info.mud_url) {
        iotnet__error_set(IOTNET_EVALIDATION, "%s: the MUD file has no mud-url (at /" MUD_MODULE ":mud/mud-url)",
                          l->label);
        iotnet__error_locate(l->label, 0, "/" MUD_MODULE ":mud/mud-url");
        return IOTNET_EVALIDATION;
    }
    return iotnet__mud_info_store(&l->mud->strings, &info, &l->mud->info);
}

int iotnet__mud_flatten(iotnet_mud *mud, const struct lyd_node *tree, const char *label)
{
    loader l = {mud, label, NULL, NULL, 0, 0};
    const struct lyd_node *top = NULL;
    for (const struct lyd_node *n = tree ? lyd_first_sibling(tree) : NULL; n; n = n->next) {
        if (is_of(n, MUD_MODULE, "mud"))
            top = n;
        else if (is_of(n, ACL_MODULE, "acls"))
            l.acls = n;
    }
    if (!top) {
        iotnet__error_set(IOTNET_EVALIDATION,
                          "%s: not a MUD file: expected a top-level \"" MUD_MODULE ":mud\" member (at /" MUD_MODULE
                          ":mud)",
                          label);
        iotnet__error_locate(label, 0, "/" MUD_MODULE ":mud");
        return IOTNET_EVALIDATION;
    }
    int error = read_info(&l, top);
    if (!error)
        error = flatten_policy(&l, top, "from-device-policy", IOTNET_MUD_FROM_DEVICE);
    if (!error)
        error = flatten_policy(&l, top, "to-device-policy", IOTNET_MUD_TO_DEVICE);
    for (const struct lyd_node *acl = l.acls ? lyd_child(l.acls) : NULL; acl && !error; acl = acl->next)
        if (is(acl, "acl") && !was_used(&l, acl))
            error = note(&l, acl, "no policy of the device names this ACL: left out");
    free(l.used);
    return error;
}
