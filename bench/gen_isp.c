/*
 * gen_isp.c: the ISP network of gen_isp.h, built through the public API.
 */
#include "gen_isp.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bench_util.h"

/* ------------------------------------------------------------------ */
/* Randomness                                                          */

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

typedef struct rng {
    uint64_t s;
} rng;

static uint32_t rnd(rng *r)
{
    /* xorshift64* */
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return (uint32_t)((r->s * 2685821657736338717ull) >> 32);
}

/* 0..n-1 */
static uint32_t below(rng *r, uint32_t n)
{
    return (uint32_t)(((uint64_t)rnd(r) * n) >> 32);
}

/* true with probability percent/100 */
static bool chance(rng *r, uint32_t percent)
{
    return below(r, 100) < percent;
}

/* ------------------------------------------------------------------ */
/* The vocabulary                                                      */

typedef struct vendor {
    const char *name;
    const char *domain;   /* api.DOMAIN is its cloud, mud.DOMAIN serves its MUD files */
    bool rendezvous;      /* its cloud runs a UDP P2P rendezvous service */
    bool mqtt;            /* its cloud runs MQTT over TLS */
} vendor;

static const vendor VENDORS[] = {
    {"Hikvision", "hikvision.example", false, false},
    {"Reolink", "reolink.example", true, false},
    {"Google", "google-home.example", false, true},
    {"Amazon", "amazon-devices.example", false, true},
    {"TP-Link", "tplink-cloud.example", false, true},
    {"ecobee", "ecobee.example", false, true},
    {"Signify", "meethue.example", false, false},
    {"Samsung", "samsung-iot.example", true, true},
    {"HP", "hp-printing.example", false, false},
    {"Netatmo", "netatmo.example", true, true},
    {"Synology", "synology.example", true, false},
    {"Apple", "apple-devices.example", false, false},
    {"Dell", "dell.example", false, false},
};
enum { V_HIKVISION, V_REOLINK, V_GOOGLE, V_AMAZON, V_TPLINK, V_ECOBEE, V_SIGNIFY, V_SAMSUNG, V_HP,
       V_NETATMO, V_SYNOLOGY, V_APPLE, V_DELL, V_COUNT };

typedef struct svc_tmpl {
    const char *name;
    int protocol;
    uint16_t port;
    iotnet_auth auth;
    iotnet_transport transport;
    bool management;
    /* percent of instances asking for UPnP, for PCP, for hole punching */
    uint8_t upnp, pcp, punch;
} svc_tmpl;

#define MAX_TMPL_SVCS 4

typedef struct dev_tmpl {
    const char *kind;
    const char *label;        /* in the node id */
    bool lan;                 /* in the main LAN rather than the IoT VLAN */
    bool wired;               /* may hang off the home's switch */
    bool mud;                 /* may carry a MUD profile */
    uint8_t weight;
    uint8_t min_services;     /* always the first ones; the others with probability 1/2 */
    uint8_t vendors[3];
    uint8_t nvendors;
    svc_tmpl services[MAX_TMPL_SVCS];
    uint8_t nservices;
} dev_tmpl;

#define TCP IOTNET_PROTO_TCP
#define UDP IOTNET_PROTO_UDP
#define A_NONE IOTNET_AUTH_NONE
#define A_DEF IOTNET_AUTH_DEFAULT_PASSWORD
#define A_PW IOTNET_AUTH_PASSWORD
#define A_CERT IOTNET_AUTH_CERTIFICATE
#define A_PSK IOTNET_AUTH_PSK
#define T_NONE IOTNET_TRANSPORT_NONE
#define T_TLS12 IOTNET_TRANSPORT_TLS1_2
#define T_TLS13 IOTNET_TRANSPORT_TLS1_3
#define T_DTLS12 IOTNET_TRANSPORT_DTLS1_2

static const dev_tmpl DEVICES[] = {
    {"camera", "cam", false, true, true, 20, 2, {V_HIKVISION, V_REOLINK, V_NETATMO}, 3,
     {{"rtsp", TCP, 554, A_PW, T_NONE, false, 35, 15, 0},
      {"web-ui", TCP, 80, A_DEF, T_NONE, true, 0, 0, 0},
      {"p2p", UDP, 32100, A_PSK, T_NONE, false, 0, 0, 70},
      {"onvif", TCP, 8000, A_DEF, T_NONE, true, 20, 10, 0}}, 4},
    {"smart-speaker", "speaker", false, false, true, 15, 1, {V_GOOGLE, V_AMAZON, V_APPLE}, 3,
     {{"cast", TCP, 8009, A_CERT, T_TLS12, false, 0, 0, 0},
      {"cast-setup", TCP, 8008, A_NONE, T_NONE, true, 0, 0, 0},
      {"spotify-connect", TCP, 4070, A_NONE, T_NONE, false, 30, 0, 0}}, 3},
    {"smart-plug", "plug", false, false, true, 15, 1, {V_TPLINK, V_AMAZON, V_SAMSUNG}, 3,
     {{"local-api", TCP, 9999, A_NONE, T_NONE, true, 0, 0, 0},
      {"coap", UDP, 5683, A_NONE, T_NONE, false, 0, 0, 40}}, 2},
    {"thermostat", "thermostat", false, false, true, 7, 1, {V_ECOBEE, V_NETATMO, V_GOOGLE}, 3,
     {{"homekit", TCP, 51826, A_PSK, T_NONE, false, 0, 0, 0},
      {"coaps", UDP, 5684, A_PSK, T_DTLS12, false, 0, 0, 50},
      {"web-ui", TCP, 80, A_PW, T_NONE, true, 0, 0, 0}}, 3},
    {"light", "light", false, false, true, 10, 1, {V_SIGNIFY, V_TPLINK, V_SAMSUNG}, 3,
     {{"lan-control", UDP, 56700, A_NONE, T_NONE, false, 0, 0, 30},
      {"http", TCP, 80, A_NONE, T_NONE, true, 0, 0, 0}}, 2},
    {"tv", "tv", false, true, false, 10, 1, {V_SAMSUNG, V_GOOGLE, V_APPLE}, 3,
     {{"dial", TCP, 8008, A_NONE, T_NONE, false, 0, 0, 0},
      {"airplay", TCP, 7000, A_PSK, T_TLS12, false, 20, 10, 0},
      {"remote", TCP, 8001, A_NONE, T_NONE, true, 0, 0, 0}}, 3},
    {"printer", "printer", true, true, false, 5, 2, {V_HP, V_SAMSUNG, V_HP}, 3,
     {{"ipp", TCP, 631, A_NONE, T_NONE, false, 0, 0, 0},
      {"jetdirect", TCP, 9100, A_NONE, T_NONE, false, 0, 0, 0},
      {"web-ui", TCP, 443, A_DEF, T_TLS12, true, 0, 0, 0}}, 3},
    {"hub", "hub", false, true, true, 5, 2, {V_SIGNIFY, V_SAMSUNG, V_AMAZON}, 3,
     {{"api", TCP, 443, A_CERT, T_TLS12, false, 0, 0, 0},
      {"coap", UDP, 5683, A_NONE, T_NONE, false, 0, 0, 50},
      {"zigbee-bridge", TCP, 8080, A_PSK, T_NONE, true, 25, 10, 0}}, 3},
    {"phone", "phone", true, false, false, 20, 1, {V_APPLE, V_SAMSUNG, V_GOOGLE}, 3,
     {{"companion", TCP, 49152, A_CERT, T_TLS13, false, 0, 30, 0},
      {"voip", UDP, 5060, A_PW, T_NONE, false, 0, 0, 60}}, 2},
    {"workstation", "pc", true, true, false, 10, 1, {V_DELL, V_APPLE, V_HP}, 3,
     {{"smb", TCP, 445, A_PW, T_NONE, false, 0, 0, 0},
      {"rdp", TCP, 3389, A_PW, T_TLS12, true, 30, 10, 0},
      {"game", UDP, 3074, A_NONE, T_NONE, false, 40, 10, 40},
      {"ssh", TCP, 22, A_PW, IOTNET_TRANSPORT_SSH, true, 0, 0, 0}}, 4},
    {"sensor", "sensor", false, false, true, 5, 1, {V_NETATMO, V_SAMSUNG, V_TPLINK}, 3,
     {{"coap", UDP, 5683, A_NONE, T_NONE, false, 0, 0, 50}}, 1},
    {"server", "nas", true, true, false, 3, 2, {V_SYNOLOGY, V_SYNOLOGY, V_DELL}, 3,
     {{"smb", TCP, 445, A_PW, T_NONE, false, 0, 0, 0},
      {"dsm", TCP, 5001, A_PW, T_TLS12, true, 40, 20, 0},
      {"plex", TCP, 32400, A_PW, T_TLS12, false, 40, 30, 0}}, 3},
};
#define DEVICE_KINDS (sizeof DEVICES / sizeof DEVICES[0])

static const char *const ROUTER_VENDORS[][2] = {
    {"AVM", "fritzos"}, {"ASUS", "asuswrt-netfilter"}, {"TP-Link", "tplink-router"},
    {"Netgear", "netgear-router"}, {"Ubiquiti", "edgeos"}, {"OpenWrt", "openwrt-fw4"},
};
#define ROUTER_VENDOR_COUNT (sizeof ROUTER_VENDORS / sizeof ROUTER_VENDORS[0])

/* ------------------------------------------------------------------ */
/* Building                                                            */

typedef struct builder {
    iotnet_net *net;
    gen_isp_stats *st;
    iotnet_index internet, cgnat;
    uint32_t cgnat_forward_port;   /* next external port of a CGNAT forward */
    char buf[8][96];
} builder;

#define TRY(call, what)                \
    do {                               \
        int rc_ = (call);              \
        if (rc_ < 0) {                 \
            if (!b->st->failed)        \
                b->st->failed = (what);\
            return rc_;                \
        }                              \
    } while (0)

static uint32_t ipv4(unsigned a, unsigned b_, unsigned c, unsigned d)
{
    return (uint32_t)a << 24 | (uint32_t)b_ << 16 | (uint32_t)c << 8 | (uint32_t)d;
}

static int add_node(builder *b, iotnet_index *out, const char *id, const char *kind, const char *zone,
                    const char *maker, const char *implementation, const char *mud_url)
{
    iotnet_node_spec spec = IOTNET_NODE_SPEC_INIT;
    spec.id = id;
    spec.kind = kind;
    spec.zone = zone;
    spec.vendor = maker;
    spec.implementation = implementation;
    spec.mud_url = mud_url;
    TRY(iotnet_node_add(b->net, out, &spec), "iotnet_node_add");
    b->st->nodes++;
    return 0;
}

static int add_iface(builder *b, iotnet_index node, const char *name, uint32_t addr, uint8_t len)
{
    iotnet_interface iface = IOTNET_INTERFACE_INIT;
    iface.name = name;
    iface.ipv4 = addr;
    iface.prefix_len = len;
    TRY(iotnet_interface_add(b->net, node, &iface), "iotnet_interface_add");
    b->st->interfaces++;
    return 0;
}

static int add_service(builder *b, iotnet_index node, const char *name, int protocol, uint16_t port,
                       iotnet_auth auth, iotnet_transport transport, bool management,
                       iotnet_nat_traversal traversal)
{
    iotnet_service svc = IOTNET_SERVICE_INIT;
    svc.name = name;
    svc.protocol = protocol;
    svc.port = port;
    svc.authentication = auth;
    svc.transport = transport;
    svc.management = management;
    svc.nat_traversal = traversal;
    TRY(iotnet_service_add(b->net, node, &svc), "iotnet_service_add");
    b->st->services++;
    return 0;
}

static int add_link(builder *b, const char *id, iotnet_index a, const char *a_if, iotnet_index z,
                    const char *z_if, iotnet_medium medium, iotnet_link_encryption enc)
{
    iotnet_link_spec spec = IOTNET_LINK_SPEC_INIT;
    spec.id = id;
    spec.a_interface = a_if;
    spec.b_interface = z_if;
    spec.medium = medium;
    spec.encryption = enc;
    TRY(iotnet_link_add_between(b->net, NULL, &spec, a, z), "iotnet_link_add_between");
    b->st->links++;
    return 0;
}

static int add_zone(builder *b, const char *id, const char *kind)
{
    iotnet_zone_spec spec = IOTNET_ZONE_SPEC_INIT;
    spec.id = id;
    spec.kind = kind;
    TRY(iotnet_zone_add(b->net, NULL, &spec), "iotnet_zone_add");
    b->st->zones++;
    return 0;
}

static int add_string_attr(builder *b, iotnet_index node, const char *key, const char *value)
{
    iotnet_value v = {IOTNET_ATTR_STRING, value, 0, 0.0, false};
    TRY(iotnet_attr_set(b->net, IOTNET_ENTITY_NODE, node, key, &v), "iotnet_attr_set");
    b->st->attributes++;
    return 0;
}

static iotnet_selector sel(iotnet_selector_type type, const char *value)
{
    iotnet_selector s = {type, value};
    return s;
}

static int add_rule(builder *b, iotnet_index node, const char *name, iotnet_selector from, iotnet_selector to,
                    int protocol, uint16_t lo, uint16_t hi, iotnet_initiated initiated, iotnet_action action)
{
    iotnet_rule rule = IOTNET_RULE_INIT;
    rule.name = name;
    rule.from = from;
    rule.to = to;
    rule.protocol = protocol;
    rule.port_lo = lo;
    rule.port_hi = hi;
    rule.initiated_by = initiated;
    rule.action = action;
    TRY(iotnet_policy_add_rule(b->net, node, &rule), "iotnet_policy_add_rule");
    b->st->rules++;
    return 0;
}

static int add_forward(builder *b, iotnet_index nat, const char *name, int protocol, uint16_t external,
                       const char *to, uint16_t internal)
{
    iotnet_port_forward fwd = IOTNET_PORT_FORWARD_INIT;
    fwd.name = name;
    fwd.protocol = protocol;
    fwd.external_port = external;
    fwd.to_node = to;
    fwd.internal_port = internal;
    TRY(iotnet_nat_add_forward(b->net, nat, &fwd), "iotnet_nat_add_forward");
    b->st->forwards++;
    return 0;
}

static int add_ace(builder *b, iotnet_index node, const char *acl, const char *name, iotnet_mud_direction policy,
                   iotnet_mud_peer peer, const char *peer_value, int protocol, uint16_t src_port,
                   uint16_t dst_port, iotnet_mud_direction initiated)
{
    iotnet_mud_ace ace = IOTNET_MUD_ACE_INIT;
    ace.acl = acl;
    ace.name = name;
    ace.policy = policy;
    ace.peer = peer;
    ace.peer_value = peer_value;
    ace.protocol = protocol;
    ace.src_port_lo = ace.src_port_hi = src_port;
    ace.dst_port_lo = ace.dst_port_hi = dst_port;
    ace.initiated = protocol == IOTNET_PROTO_TCP ? initiated : IOTNET_MUD_DIRECTION_ANY;
    ace.action = IOTNET_ACTION_ACCEPT;
    TRY(iotnet_node_mud_add_ace(b->net, node, &ace), "iotnet_node_mud_add_ace");
    b->st->aces++;
    return 0;
}

/* The Internet side: the Internet node, vendor clouds, the provider's CGNAT and servers. */
static int build_core(builder *b)
{
    iotnet_net *net = b->net;
    TRY(iotnet_net_set_name(net, "Access provider with CGNAT"), "iotnet_net_set_name");
    TRY(add_zone(b, "internet", "internet-zone"), "zone");
    TRY(add_zone(b, "cloud", "cloud-zone"), "zone");
    TRY(add_zone(b, "isp", "provider-zone"), "zone");

    TRY(add_node(b, &b->internet, "internet", "internet", "internet", NULL, NULL, NULL), "node");
    TRY(add_iface(b, b->internet, "transit", 0, 0), "iface");
    TRY(add_iface(b, b->internet, "cloud-edge", 0, 0), "iface");

    /* vendor clouds, each on its own /24 of 198.51.100.0/22-like documentation space */
    for (unsigned v = 0; v < V_COUNT; v++) {
        const vendor *ven = &VENDORS[v];
        iotnet_index cloud;
        char id[128], dns[96];
        snprintf(id, sizeof id, "cloud-%s", ven->domain);
        *strchr(id, '.') = '\0';
        TRY(add_node(b, &cloud, id, "vendor-cloud", "cloud", ven->name, NULL, NULL), "node");
        TRY(add_iface(b, cloud, "eth0", ipv4(198, 51, 100, 10 + v), 24), "iface");
        snprintf(dns, sizeof dns, "api.%s", ven->domain);
        TRY(add_string_attr(b, cloud, "dns-name", dns), "attr");
        TRY(add_service(b, cloud, "api", TCP, 443, A_CERT, T_TLS13, false, IOTNET_TRAVERSAL_NONE), "svc");
        if (ven->mqtt)
            TRY(add_service(b, cloud, "mqtt", TCP, 8883, A_CERT, T_TLS12, false, IOTNET_TRAVERSAL_NONE), "svc");
        if (ven->rendezvous)
            TRY(add_service(b, cloud, "p2p-rendezvous", UDP, 32100, A_PSK, T_NONE, false, IOTNET_TRAVERSAL_NONE),
                "svc");
        snprintf(id, sizeof id, "%s-hosting", dns);
        TRY(add_link(b, id, cloud, "eth0", b->internet, "cloud-edge", IOTNET_MEDIUM_INTERNET, IOTNET_LINKENC_NONE),
            "link");
    }
    static const struct {
        const char *id, *kind, *dns, *svc;
        int protocol;
        uint16_t port;
    } SERVERS[] = {
        {"ntp-pool", "time-server", "pool.ntp.example", "ntp", UDP, 123},
        {"mud-server", "mud-server", "mud.devices.example", "https", TCP, 443},
        {"update-server", "update-server", "updates.devices.example", "https", TCP, 443},
    };
    for (unsigned s = 0; s < sizeof SERVERS / sizeof SERVERS[0]; s++) {
        iotnet_index node;
        char link[64];
        TRY(add_node(b, &node, SERVERS[s].id, SERVERS[s].kind, "cloud", NULL, NULL, NULL), "node");
        TRY(add_iface(b, node, "eth0", ipv4(198, 51, 100, 200 + s), 24), "iface");
        TRY(add_string_attr(b, node, "dns-name", SERVERS[s].dns), "attr");
        TRY(add_service(b, node, SERVERS[s].svc, SERVERS[s].protocol, SERVERS[s].port, A_NONE,
                        SERVERS[s].protocol == TCP ? T_TLS13 : T_NONE, false, IOTNET_TRAVERSAL_NONE),
            "svc");
        snprintf(link, sizeof link, "%s-hosting", SERVERS[s].id);
        TRY(add_link(b, link, node, "eth0", b->internet, "cloud-edge", IOTNET_MEDIUM_INTERNET, IOTNET_LINKENC_NONE),
            "link");
    }

    /* the CGNAT: public pool 203.0.113.0/24, subscribers in 100.64.0.0/10, servers on svc0 */
    TRY(add_node(b, &b->cgnat, "isp-cgnat", "isp-router", "isp", "Juniper Networks", "junos", NULL), "node");
    TRY(add_iface(b, b->cgnat, "core0", ipv4(203, 0, 113, 1), 24), "iface");
    TRY(add_iface(b, b->cgnat, "sub0", ipv4(100, 64, 0, 1), 10), "iface");
    TRY(add_iface(b, b->cgnat, "svc0", ipv4(192, 0, 2, 1), 24), "iface");
    TRY(add_service(b, b->cgnat, "ssh", TCP, 22, A_CERT, IOTNET_TRANSPORT_SSH, true, IOTNET_TRAVERSAL_NONE), "svc");
    TRY(add_service(b, b->cgnat, "pcp", UDP, 5351, A_NONE, T_NONE, true, IOTNET_TRAVERSAL_NONE), "svc");
    TRY(add_link(b, "isp-transit", b->cgnat, "core0", b->internet, "transit", IOTNET_MEDIUM_FIBRE,
                 IOTNET_LINKENC_NONE), "link");
    iotnet_nat nat = IOTNET_NAT_INIT;
    nat.inside = "sub0";
    nat.outside = "core0";
    nat.mapping = IOTNET_NAT_MAPPING_EI;
    nat.filtering = IOTNET_NAT_FILTER_EI;
    nat.hairpinning = true;
    nat.pcp = true;
    nat.cgnat = true;
    TRY(iotnet_nat_set(net, b->cgnat, &nat), "iotnet_nat_set");

    static const struct {
        const char *id, *svc;
        int protocol;
        uint16_t port;
        uint8_t last_octet;
    } ISP_SERVERS[] = {
        {"isp-dns", "dns", UDP, 53, 53},
        {"isp-portal", "https", TCP, 443, 80},
    };
    for (unsigned s = 0; s < 2; s++) {
        iotnet_index node;
        char link[64];
        TRY(add_node(b, &node, ISP_SERVERS[s].id, "server", "isp", "Dell", NULL, NULL), "node");
        TRY(add_iface(b, node, "eth0", ipv4(192, 0, 2, ISP_SERVERS[s].last_octet), 24), "iface");
        TRY(add_service(b, node, ISP_SERVERS[s].svc, ISP_SERVERS[s].protocol, ISP_SERVERS[s].port, A_NONE,
                        ISP_SERVERS[s].protocol == TCP ? T_TLS12 : T_NONE, false, IOTNET_TRAVERSAL_NONE),
            "svc");
        snprintf(link, sizeof link, "%s-link", ISP_SERVERS[s].id);
        TRY(add_link(b, link, node, "eth0", b->cgnat, "svc0", IOTNET_MEDIUM_ETHERNET, IOTNET_LINKENC_NONE), "link");
    }

    /* the provider's policy: default accept, a few filters, its own management */
    iotnet_index c = b->cgnat;
    TRY(iotnet_policy_set_default(net, c, IOTNET_ACTION_ACCEPT), "iotnet_policy_set_default");
    TRY(add_rule(b, c, "mgmt-ssh", sel(IOTNET_SELECT_CIDR, "192.0.2.0/24"), sel(IOTNET_SELECT_NODE, "isp-cgnat"),
                 TCP, 22, 22, IOTNET_INITIATED_ANY, IOTNET_ACTION_ACCEPT), "rule");
    TRY(add_rule(b, c, "pcp-from-subscribers", sel(IOTNET_SELECT_CIDR, "100.64.0.0/10"),
                 sel(IOTNET_SELECT_NODE, "isp-cgnat"), UDP, 5351, 5351, IOTNET_INITIATED_ANY, IOTNET_ACTION_ACCEPT),
        "rule");
    TRY(add_rule(b, c, "protect-cgnat", sel(IOTNET_SELECT_ANY, NULL), sel(IOTNET_SELECT_NODE, "isp-cgnat"),
                 IOTNET_PROTO_ANY, 0, 0, IOTNET_INITIATED_ANY, IOTNET_ACTION_DROP), "rule");
    TRY(add_rule(b, c, "block-smb", sel(IOTNET_SELECT_INTERNET, NULL), sel(IOTNET_SELECT_ANY, NULL), TCP, 445, 445,
                 IOTNET_INITIATED_ANY, IOTNET_ACTION_DROP), "rule");
    TRY(add_rule(b, c, "block-telnet", sel(IOTNET_SELECT_INTERNET, NULL), sel(IOTNET_SELECT_ANY, NULL), TCP, 23, 23,
                 IOTNET_INITIATED_ANY, IOTNET_ACTION_REJECT), "rule");
    TRY(add_rule(b, c, "block-netbios", sel(IOTNET_SELECT_ANY, NULL), sel(IOTNET_SELECT_CIDR, "100.64.0.0/10"),
                 UDP, 137, 138, IOTNET_INITIATED_ANY, IOTNET_ACTION_DROP), "rule");
    TRY(add_rule(b, c, "portal-https", sel(IOTNET_SELECT_ANY, NULL), sel(IOTNET_SELECT_NODE, "isp-portal"), TCP,
                 443, 443, IOTNET_INITIATED_ANY, IOTNET_ACTION_ACCEPT), "rule");
    TRY(add_rule(b, c, "dns-subscribers-only", sel(IOTNET_SELECT_INTERNET, NULL), sel(IOTNET_SELECT_NODE, "isp-dns"),
                 IOTNET_PROTO_ANY, 0, 0, IOTNET_INITIATED_FROM, IOTNET_ACTION_DROP), "rule");
    return 0;
}

/* One home's device while the home is being built. */
typedef struct device {
    const dev_tmpl *t;
    iotnet_index node;
    char id[32];
    uint8_t vendor;
    uint8_t svc_mask;            /* which of the template's services it has */
    uint8_t traversal[MAX_TMPL_SVCS];
    bool iot;                    /* in the IoT VLAN */
} device;

#define MAX_DEVICES 13

static const dev_tmpl *draw_device(rng *r)
{
    static unsigned total = 0;
    if (total == 0)
        for (size_t k = 0; k < DEVICE_KINDS; k++)
            total += DEVICES[k].weight;
    unsigned x = below(r, total);
    for (size_t k = 0; k < DEVICE_KINDS; k++) {
        if (x < DEVICES[k].weight)
            return &DEVICES[k];
        x -= DEVICES[k].weight;
    }
    return &DEVICES[0];
}

static int build_mud(builder *b, const device *d, rng *r)
{
    const vendor *ven = &VENDORS[d->vendor];
    char dns[96];
    snprintf(dns, sizeof dns, "api.%s", ven->domain);
    const char *FR = "from-ipv4", *TO = "to-ipv4";
    /* the vendor's cloud, by name, over HTTPS the device opens */
    TRY(add_ace(b, d->node, FR, "cl0-frdev", IOTNET_MUD_FROM_DEVICE, IOTNET_MUD_PEER_DNSNAME, dns, TCP, 0, 443,
                IOTNET_MUD_FROM_DEVICE), "ace");
    TRY(add_ace(b, d->node, TO, "cl0-todev", IOTNET_MUD_TO_DEVICE, IOTNET_MUD_PEER_DNSNAME, dns, TCP, 443, 0,
                IOTNET_MUD_FROM_DEVICE), "ace");
    /* local control of its first service from the local networks */
    const svc_tmpl *s = &d->t->services[0];
    TRY(add_ace(b, d->node, TO, "loc0-todev", IOTNET_MUD_TO_DEVICE, IOTNET_MUD_PEER_LOCAL_NETWORKS, NULL,
                s->protocol, 0, s->port, IOTNET_MUD_TO_DEVICE), "ace");
    TRY(add_ace(b, d->node, FR, "loc0-frdev", IOTNET_MUD_FROM_DEVICE, IOTNET_MUD_PEER_LOCAL_NETWORKS, NULL,
                s->protocol, s->port, 0, IOTNET_MUD_TO_DEVICE), "ace");
    if (chance(r, 50)) {
        /* devices of the same maker talk to each other (a hub and its bulbs) */
        TRY(add_ace(b, d->node, FR, "man0-frdev", IOTNET_MUD_FROM_DEVICE, IOTNET_MUD_PEER_SAME_MANUFACTURER, NULL,
                    IOTNET_PROTO_ANY, 0, 0, IOTNET_MUD_DIRECTION_ANY), "ace");
        TRY(add_ace(b, d->node, TO, "man0-todev", IOTNET_MUD_TO_DEVICE, IOTNET_MUD_PEER_SAME_MANUFACTURER, NULL,
                    IOTNET_PROTO_ANY, 0, 0, IOTNET_MUD_DIRECTION_ANY), "ace");
    }
    if (chance(r, 40)) {
        /* NTP to any server: the one thing that lets it open flows to arbitrary hosts */
        TRY(add_ace(b, d->node, FR, "ntp0-frdev", IOTNET_MUD_FROM_DEVICE, IOTNET_MUD_PEER_ANY, NULL, UDP, 0, 123,
                    IOTNET_MUD_DIRECTION_ANY), "ace");
        TRY(add_ace(b, d->node, TO, "ntp0-todev", IOTNET_MUD_TO_DEVICE, IOTNET_MUD_PEER_ANY, NULL, UDP, 123, 0,
                    IOTNET_MUD_DIRECTION_ANY), "ace");
    } else if (d->t->services[0].protocol == UDP && chance(r, 30)) {
        /* a vendor that lets anyone reach its UDP service (P2P apps) */
        TRY(add_ace(b, d->node, TO, "p2p0-todev", IOTNET_MUD_TO_DEVICE, IOTNET_MUD_PEER_ANY, NULL, UDP, 0, s->port,
                    IOTNET_MUD_DIRECTION_ANY), "ace");
        TRY(add_ace(b, d->node, FR, "p2p0-frdev", IOTNET_MUD_FROM_DEVICE, IOTNET_MUD_PEER_ANY, NULL, UDP, s->port, 0,
                    IOTNET_MUD_DIRECTION_ANY), "ace");
    }
    b->st->mud_devices++;
    return 0;
}

static int build_home(builder *b, size_t h, uint64_t seed)
{
    iotnet_net *net = b->net;
    rng r = {splitmix64(seed * 0x100000001B3ull ^ (uint64_t)h) | 1};
    char lan_zone[32], iot_zone[32], gw_id[32], sw_id[32], ap_id[32], name[96];
    snprintf(lan_zone, sizeof lan_zone, "h%06zu-lan", h);
    snprintf(iot_zone, sizeof iot_zone, "h%06zu-iot", h);
    snprintf(gw_id, sizeof gw_id, "h%06zu-gw", h);
    snprintf(sw_id, sizeof sw_id, "h%06zu-sw", h);
    snprintf(ap_id, sizeof ap_id, "h%06zu-ap", h);

    bool vlan = chance(&r, 65);          /* a separate IoT VLAN */
    bool has_switch = chance(&r, 30);
    bool has_ap = chance(&r, 20);
    bool upnp = chance(&r, 80);
    bool pcp = chance(&r, 20);
    unsigned f = below(&r, 100);
    iotnet_nat_filtering filtering = f < 75 ? IOTNET_NAT_FILTER_APD : f < 93 ? IOTNET_NAT_FILTER_EI : IOTNET_NAT_FILTER_AD;
    bool business = h % 97 == 3;         /* a business line: forwards through the CGNAT too */
    bool remote_admin = business || chance(&r, 3);
    bool wan_ping = chance(&r, 50);
    bool block_telnet = chance(&r, 25);
    bool forwards = business || chance(&r, 10);
    const char *const *rv = ROUTER_VENDORS[below(&r, ROUTER_VENDOR_COUNT)];

    TRY(add_zone(b, lan_zone, "home-lan"), "zone");
    if (vlan)
        TRY(add_zone(b, iot_zone, "iot-lan"), "zone");
    const char *dev_zone_iot = vlan ? iot_zone : lan_zone;

    /* the home router */
    iotnet_index gw;
    TRY(add_node(b, &gw, gw_id, "home-router", lan_zone, rv[0], rv[1], NULL), "node");
    uint32_t wan = ipv4(100, 64, 0, 0) + 2 + (uint32_t)h;
    TRY(add_iface(b, gw, "wan0", wan, 10), "iface");
    TRY(add_iface(b, gw, "lan0", ipv4(192, 168, 1, 1), 24), "iface");
    if (vlan)
        TRY(add_iface(b, gw, "iot0", ipv4(192, 168, 20, 1), 24), "iface");
    TRY(add_service(b, gw, "web-ui", TCP, 443, chance(&r, 15) ? A_DEF : A_PW, T_TLS12, true, IOTNET_TRAVERSAL_NONE),
        "svc");
    TRY(add_service(b, gw, "dns", UDP, 53, A_NONE, T_NONE, false, IOTNET_TRAVERSAL_NONE), "svc");
    if (upnp)
        TRY(add_service(b, gw, "upnp-igd", TCP, 5000, A_NONE, T_NONE, true, IOTNET_TRAVERSAL_NONE), "svc");
    snprintf(name, sizeof name, "h%06zu-access", h);
    static const iotnet_medium ACCESS[] = {IOTNET_MEDIUM_FIBRE, IOTNET_MEDIUM_CABLE, IOTNET_MEDIUM_DSL};
    TRY(add_link(b, name, gw, "wan0", b->cgnat, "sub0", ACCESS[below(&r, 3)], IOTNET_LINKENC_NONE), "link");

    iotnet_nat nat = IOTNET_NAT_INIT;
    nat.inside = vlan ? "lan0 iot0" : "lan0";
    nat.outside = "wan0";
    nat.mapping = filtering == IOTNET_NAT_FILTER_EI ? IOTNET_NAT_MAPPING_EI
                                                     : (chance(&r, 50) ? IOTNET_NAT_MAPPING_EI : IOTNET_NAT_MAPPING_APD);
    nat.filtering = filtering;
    nat.hairpinning = chance(&r, 60);
    nat.upnp = upnp;
    nat.pcp = pcp;
    TRY(iotnet_nat_set(net, gw, &nat), "iotnet_nat_set");

    /* switch and access point */
    iotnet_index sw = IOTNET_NONE, ap = IOTNET_NONE;
    if (has_switch) {
        TRY(add_node(b, &sw, sw_id, "switch", dev_zone_iot, "TP-Link", NULL, NULL), "node");
        snprintf(name, sizeof name, "h%06zu-sw-up", h);
        TRY(add_link(b, name, sw, NULL, gw, vlan ? "iot0" : "lan0", IOTNET_MEDIUM_ETHERNET, IOTNET_LINKENC_NONE),
            "link");
        b->st->switches++;
    }
    if (has_ap) {
        TRY(add_node(b, &ap, ap_id, "access-point", lan_zone, "Ubiquiti", NULL, NULL), "node");
        snprintf(name, sizeof name, "h%06zu-ap-up", h);
        TRY(add_link(b, name, ap, NULL, gw, "lan0", IOTNET_MEDIUM_ETHERNET, IOTNET_LINKENC_NONE), "link");
        b->st->access_points++;
    }

    /* devices */
    device devs[MAX_DEVICES];
    unsigned ndev = 8 + below(&r, 6);
    unsigned counts[DEVICE_KINDS] = {0};
    for (unsigned k = 0; k < ndev; k++) {
        device *d = &devs[k];
        d->t = draw_device(&r);
        unsigned kno = (unsigned)(d->t - DEVICES);
        snprintf(d->id, sizeof d->id, "h%06zu-%s%u", h, d->t->label, ++counts[kno]);
        d->vendor = d->t->vendors[below(&r, d->t->nvendors)];
        d->iot = vlan && !d->t->lan;
        const char *zone = d->iot ? iot_zone : lan_zone;
        char mud_url[128];
        bool mud = d->t->mud && chance(&r, 33);
        if (mud)
            snprintf(mud_url, sizeof mud_url, "https://mud.%s/%s-%u.json", VENDORS[d->vendor].domain,
                     d->t->label, 1 + below(&r, 3));
        TRY(add_node(b, &d->node, d->id, d->t->kind, zone, VENDORS[d->vendor].name, NULL, mud ? mud_url : NULL),
            "node");
        bool wired = d->t->wired && sw != IOTNET_NONE && chance(&r, 60) && (d->iot || !vlan);
        bool via_ap = !wired && !d->iot && ap != IOTNET_NONE && chance(&r, 70);
        const char *if_name = wired ? "eth0" : "wlan0";
        TRY(add_iface(b, d->node, if_name, ipv4(192, 168, d->iot ? 20 : 1, 10 + k), 24), "iface");
        d->svc_mask = 0;
        for (unsigned s = 0; s < d->t->nservices; s++) {
            const svc_tmpl *t = &d->t->services[s];
            if (s >= d->t->min_services && !chance(&r, 50))
                continue;
            if (__builtin_popcount(d->svc_mask) == 3)
                break;
            unsigned x = below(&r, 100);
            iotnet_nat_traversal trav = x < t->upnp                       ? IOTNET_TRAVERSAL_UPNP
                                        : x < (unsigned)t->upnp + t->pcp ? IOTNET_TRAVERSAL_PCP
                                        : x < (unsigned)t->upnp + t->pcp + t->punch ? IOTNET_TRAVERSAL_HOLE_PUNCH
                                                                                     : IOTNET_TRAVERSAL_NONE;
            d->traversal[s] = (uint8_t)trav;
            d->svc_mask |= (uint8_t)(1u << s);
            TRY(add_service(b, d->node, t->name, t->protocol, t->port, t->auth, t->transport, t->management, trav),
                "svc");
        }
        snprintf(name, sizeof name, "%s-link", d->id);
        if (wired)
            TRY(add_link(b, name, d->node, if_name, sw, NULL, IOTNET_MEDIUM_ETHERNET, IOTNET_LINKENC_NONE), "link");
        else if (via_ap)
            TRY(add_link(b, name, d->node, if_name, ap, NULL, IOTNET_MEDIUM_WIFI, IOTNET_LINKENC_WPA3), "link");
        else
            TRY(add_link(b, name, d->node, if_name, gw, d->iot ? "iot0" : "lan0", IOTNET_MEDIUM_WIFI,
                         d->iot ? IOTNET_LINKENC_WPA2 : IOTNET_LINKENC_WPA3), "link");
        if (mud)
            TRY(build_mud(b, d, &r), "mud");
    }

    /* port forwards: a camera's web UI, a NAS, a PC's remote desktop or game port */
    unsigned nfwd = 0;
    const device *fwd_dev[2] = {NULL, NULL};
    uint16_t fwd_ext[2] = {0, 0};
    int fwd_proto[2] = {0, 0};
    uint16_t fwd_int[2] = {0, 0};
    if (forwards) {
        for (unsigned k = 0; k < ndev && nfwd < 2; k++) {
            const device *d = &devs[k];
            for (unsigned s = 0; s < d->t->nservices && nfwd < 2; s++) {
                const svc_tmpl *t = &d->t->services[s];
                if (!(d->svc_mask & (1u << s)))
                    continue;
                bool pick = (strcmp(t->name, "web-ui") == 0 && strcmp(d->t->kind, "camera") == 0) ||
                            strcmp(t->name, "dsm") == 0 || strcmp(t->name, "plex") == 0 ||
                            strcmp(t->name, "rdp") == 0 || strcmp(t->name, "game") == 0;
                if (!pick || !chance(&r, 70))
                    continue;
                uint16_t ext = t->port == 80 ? 8080 : t->port == 3389 ? 33890 : t->port;
                if (nfwd == 1 && ext == fwd_ext[0])
                    ext++;
                snprintf(name, sizeof name, "%s-%s", d->id + 8, t->name);
                int proto = t->protocol == UDP && chance(&r, 50) ? IOTNET_PROTO_ANY : t->protocol;
                TRY(add_forward(b, gw, name, proto, ext, d->id, ext == t->port ? 0 : t->port), "fwd");
                fwd_dev[nfwd] = d;
                fwd_ext[nfwd] = ext;
                fwd_int[nfwd] = t->port;
                fwd_proto[nfwd] = t->protocol;
                nfwd++;
                break;
            }
        }
    }

    /* the home policy: default drop, first match */
    TRY(iotnet_policy_set_default(net, gw, IOTNET_ACTION_DROP), "iotnet_policy_set_default");
    if (block_telnet)
        TRY(add_rule(b, gw, "no-telnet", sel(IOTNET_SELECT_ANY, NULL), sel(IOTNET_SELECT_ANY, NULL), TCP, 23, 23,
                     IOTNET_INITIATED_ANY, IOTNET_ACTION_REJECT), "rule");
    TRY(add_rule(b, gw, "lan-to-router", sel(IOTNET_SELECT_ZONE, lan_zone), sel(IOTNET_SELECT_NODE, gw_id),
                 IOTNET_PROTO_ANY, 0, 0, IOTNET_INITIATED_ANY, IOTNET_ACTION_ACCEPT), "rule");
    TRY(add_rule(b, gw, "lan-to-internet", sel(IOTNET_SELECT_ZONE, lan_zone), sel(IOTNET_SELECT_INTERNET, NULL),
                 IOTNET_PROTO_ANY, 0, 0, IOTNET_INITIATED_FROM, IOTNET_ACTION_ACCEPT), "rule");
    if (vlan) {
        TRY(add_rule(b, gw, "iot-dns", sel(IOTNET_SELECT_ZONE, iot_zone), sel(IOTNET_SELECT_NODE, gw_id), UDP, 53, 53,
                     IOTNET_INITIATED_ANY, IOTNET_ACTION_ACCEPT), "rule");
        if (upnp)
            TRY(add_rule(b, gw, "iot-upnp", sel(IOTNET_SELECT_ZONE, iot_zone), sel(IOTNET_SELECT_NODE, gw_id), TCP,
                         5000, 5000, IOTNET_INITIATED_ANY, IOTNET_ACTION_ACCEPT), "rule");
        TRY(add_rule(b, gw, "lan-to-cameras", sel(IOTNET_SELECT_CIDR, "192.168.1.0/24"),
                     sel(IOTNET_SELECT_KIND, "camera"), TCP, 554, 554, IOTNET_INITIATED_FROM, IOTNET_ACTION_ACCEPT),
            "rule");
        TRY(add_rule(b, gw, "lan-to-iot", sel(IOTNET_SELECT_ZONE, lan_zone), sel(IOTNET_SELECT_ZONE, iot_zone),
                     IOTNET_PROTO_ANY, 0, 0, IOTNET_INITIATED_FROM, IOTNET_ACTION_ACCEPT), "rule");
        TRY(add_rule(b, gw, "iot-isolation", sel(IOTNET_SELECT_ZONE, iot_zone), sel(IOTNET_SELECT_ZONE, lan_zone),
                     IOTNET_PROTO_ANY, 0, 0, IOTNET_INITIATED_FROM, IOTNET_ACTION_DROP), "rule");
        TRY(add_rule(b, gw, "iot-to-internet", sel(IOTNET_SELECT_ZONE, iot_zone), sel(IOTNET_SELECT_INTERNET, NULL),
                     IOTNET_PROTO_ANY, 0, 0, IOTNET_INITIATED_FROM, IOTNET_ACTION_ACCEPT), "rule");
    }
    for (unsigned k = 0; k < nfwd; k++) {
        snprintf(name, sizeof name, "fwd-%s", fwd_dev[k]->id + 8);
        TRY(add_rule(b, gw, name, sel(IOTNET_SELECT_ANY, NULL), sel(IOTNET_SELECT_NODE, fwd_dev[k]->id),
                     fwd_proto[k], fwd_int[k], fwd_int[k], IOTNET_INITIATED_ANY, IOTNET_ACTION_ACCEPT), "rule");
    }
    if (upnp || pcp || filtering == IOTNET_NAT_FILTER_EI) {
        /* what the UPnP/PCP daemon or the "open NAT" setting lets in: unprivileged ports only */
        const char *to = vlan && chance(&r, 50) ? iot_zone : NULL;
        iotnet_selector dst = to ? sel(IOTNET_SELECT_ZONE, to) : sel(IOTNET_SELECT_ANY, NULL);
        TRY(add_rule(b, gw, "mapped-tcp", sel(IOTNET_SELECT_INTERNET, NULL), dst, TCP, 1024, 65535,
                     IOTNET_INITIATED_ANY, IOTNET_ACTION_ACCEPT), "rule");
        TRY(add_rule(b, gw, "mapped-udp", sel(IOTNET_SELECT_INTERNET, NULL), dst, UDP, 1024, 65535,
                     IOTNET_INITIATED_ANY, IOTNET_ACTION_ACCEPT), "rule");
    }
    if (remote_admin)
        TRY(add_rule(b, gw, "remote-admin", sel(IOTNET_SELECT_ANY, NULL), sel(IOTNET_SELECT_NODE, gw_id), TCP, 443,
                     443, IOTNET_INITIATED_ANY, IOTNET_ACTION_ACCEPT), "rule");
    if (wan_ping)
        TRY(add_rule(b, gw, "wan-ping", sel(IOTNET_SELECT_INTERNET, NULL), sel(IOTNET_SELECT_NODE, gw_id),
                     IOTNET_PROTO_ICMP, 0, 0, IOTNET_INITIATED_ANY, IOTNET_ACTION_ACCEPT), "rule");

    /* the provider forwards a port to a few subscribers that pay for it */
    if (business || (nfwd > 0 && chance(&r, 15)) || (remote_admin && chance(&r, 30))) {
        uint16_t ext = (uint16_t)(20000 + b->cgnat_forward_port++ % 40000);
        snprintf(name, sizeof name, "h%06zu-%s", h, nfwd > 0 ? "fwd" : "admin");
        TRY(add_forward(b, b->cgnat, name, nfwd > 0 ? fwd_proto[0] : TCP, ext, gw_id, nfwd > 0 ? fwd_ext[0] : 443),
            "fwd");
    }
    b->st->homes++;
    return 0;
}

void gen_isp_estimate(size_t homes, size_t *nodes, size_t *links)
{
    /* a router, 10 devices on average, a switch in 30 % and an access point in 20 % of the homes */
    *nodes = homes * 23 / 2 + 64;
    *links = homes * 23 / 2 + 64;
}

int gen_isp_build(iotnet_net *net, size_t homes, uint64_t seed, gen_isp_stats *stats)
{
    gen_isp_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    builder bb = {.net = net, .st = stats, .internet = IOTNET_NONE, .cgnat = IOTNET_NONE};
    builder *b = &bb;
    TRY(build_core(b), "core");
    for (size_t h = 0; h < homes; h++)
        TRY(build_home(b, h, seed), "home");
    return 0;
}

int gen_isp_new(iotnet_net **out, size_t homes, uint64_t seed, gen_isp_stats *stats)
{
    gen_isp_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    *out = NULL;
    iotnet_net *net = NULL;
    size_t nodes, links;
    int rc = iotnet_net_new(&net);
    if (rc < 0) {
        stats->failed = "iotnet_net_new";
        return rc;
    }
    /* reserving up front keeps the tables from growing, and being copied, while the homes are added */
    gen_isp_estimate(homes, &nodes, &links);
    rc = iotnet_net_reserve(net, nodes, links);
    if (rc < 0)
        stats->failed = "iotnet_net_reserve";
    else
        rc = gen_isp_build(net, homes, seed, stats);
    if (rc < 0) {
        iotnet_net_free(net);
        return rc;
    }
    *out = net;
    return rc;
}

int gen_isp_save(const iotnet_net *net, const char *path, double *seconds)
{
    iotnet_save_options so = IOTNET_SAVE_OPTIONS_INIT;
    so.format = IOTNET_FORMAT_JSON;
    double s0 = bench_now();
    int rc = iotnet_net_save(net, path, &so);
    *seconds = bench_now() - s0;
    return rc;
}
