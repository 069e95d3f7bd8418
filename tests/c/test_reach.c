/* Reachability across firewall, NAT44 and MUD: every NAT filtering behaviour,
 * forwards, pinholes, chained NAT, reply-only, firewall rule semantics, MUD
 * abstractions, explanations and the zone matrix. Each expected class is
 * worked out by hand in the comment next to it. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"

static iotnet_net *net;

static void fresh(void)
{
    net = NULL;
    expect_ok(iotnet_net_new(&net));
}

static void teardown(void)
{
    iotnet_net_free(net);
}

static void zone(const char *id, const char *kind)
{
    iotnet_zone_spec z = IOTNET_ZONE_SPEC_INIT;
    z.id = id;
    z.kind = kind;
    expect_ok(iotnet_zone_add(net, NULL, &z));
}

static iotnet_index node(const char *id, const char *kind, const char *zone_id)
{
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    iotnet_index ix = IOTNET_NONE;
    s.id = id;
    s.kind = kind;
    s.zone = zone_id;
    expect_ok(iotnet_node_add(net, &ix, &s));
    return ix;
}

static void iface(const char *node_id, const char *name, const char *cidr)
{
    iotnet_index n;
    expect_ok(iotnet_node_find(net, &n, node_id));
    iotnet_interface i = IOTNET_INTERFACE_INIT;
    i.name = name;
    if (cidr)
        expect_ok(iotnet_ipv4_parse(&i.ipv4, &i.prefix_len, cidr));
    expect_ok(iotnet_interface_add(net, n, &i));
}

static void link_(const char *a, const char *a_if, const char *b, const char *b_if)
{
    char id[128];
    snprintf(id, sizeof id, "%s-%s", a, b);
    iotnet_link_spec l = IOTNET_LINK_SPEC_INIT;
    l.id = id;
    l.a = a;
    l.a_interface = a_if;
    l.b = b;
    l.b_interface = b_if;
    expect_ok(iotnet_link_add(net, NULL, &l));
}

static void service(const char *node_id, const char *name, int proto, uint16_t port, iotnet_nat_traversal t)
{
    iotnet_index n;
    expect_ok(iotnet_node_find(net, &n, node_id));
    iotnet_service s = IOTNET_SERVICE_INIT;
    s.name = name;
    s.protocol = proto;
    s.port = port;
    s.nat_traversal = t;
    expect_ok(iotnet_service_add(net, n, &s));
}

static void nat(const char *node_id, iotnet_nat_filtering filtering, bool upnp, bool pcp)
{
    iotnet_index n;
    expect_ok(iotnet_node_find(net, &n, node_id));
    iotnet_nat x = IOTNET_NAT_INIT;
    x.inside = "lan";
    x.outside = "wan";
    x.filtering = filtering;
    x.upnp = upnp;
    x.pcp = pcp;
    expect_ok(iotnet_nat_set(net, n, &x));
}

static void forward_of(const char *nat_node, const char *name, int proto, uint16_t ext, const char *to,
                       uint16_t internal)
{
    iotnet_index n;
    expect_ok(iotnet_node_find(net, &n, nat_node));
    iotnet_port_forward f = IOTNET_PORT_FORWARD_INIT;
    f.name = name;
    f.protocol = proto;
    f.external_port = ext;
    f.to_node = to;
    f.internal_port = internal;
    expect_ok(iotnet_nat_add_forward(net, n, &f));
}

static void forward(const char *nat_node, const char *name, uint16_t ext, const char *to, uint16_t internal)
{
    forward_of(nat_node, name, IOTNET_PROTO_TCP, ext, to, internal);
}

static void nat_filtering(const char *nat_node, iotnet_nat_filtering filtering)
{
    iotnet_index n;
    expect_ok(iotnet_node_find(net, &n, nat_node));
    iotnet_nat x;
    expect_ok(iotnet_nat_get(net, n, &x));
    x.filtering = filtering;
    expect_ok(iotnet_nat_set(net, n, &x));
}

static void policy_default(const char *node_id, iotnet_action action)
{
    iotnet_index n;
    expect_ok(iotnet_node_find(net, &n, node_id));
    expect_ok(iotnet_policy_set_default(net, n, action));
}

static void rule(const char *node_id, const char *name, iotnet_selector from, iotnet_selector to, int proto,
                 uint16_t lo, uint16_t hi, iotnet_initiated init, iotnet_action action)
{
    iotnet_index n;
    expect_ok(iotnet_node_find(net, &n, node_id));
    iotnet_rule r = IOTNET_RULE_INIT;
    r.name = name;
    r.from = from;
    r.to = to;
    r.protocol = proto;
    r.port_lo = lo;
    r.port_hi = hi;
    r.initiated_by = init;
    r.action = action;
    expect_ok(iotnet_policy_add_rule(net, n, &r));
}

#define ANY_SEL ((iotnet_selector){IOTNET_SELECT_ANY, NULL})
#define SEL(type, value) ((iotnet_selector){IOTNET_SELECT_##type, value})

/* The class with which `from` reaches `to` on `svc` (IOTNET_EXPOSURE_NONE
 * when there is no row); the row is copied to *row_out when given. */
static iotnet_exposure reach_class(const char *from, const char *to, const char *svc, iotnet_reach_row *row_out)
{
    iotnet_reach_options o = IOTNET_REACH_OPTIONS_INIT;
    o.from = from;
    o.to = to;
    o.service = svc;
    iotnet_reach_result *r = NULL;
    expect_ok(iotnet_reach(&r, net, &o));
    iotnet_exposure cls = IOTNET_EXPOSURE_NONE;
    if (iotnet_reach_count(r) > 0) {
        iotnet_reach_row row;
        expect_ok(iotnet_reach_get(r, 0, &row));
        cls = row.exposure;
        if (row_out)
            *row_out = row;
    }
    iotnet_reach_result_free(r);
    return cls;
}

#define expect_class(from, to, svc, want)                                                               \
    do {                                                                                                \
        iotnet_exposure got_ = reach_class(from, to, svc, NULL);                                        \
        cr_assert_eq(got_, (want), "%s -> %s %s: %s, expected %s", from, to, svc,                       \
                     iotnet_enum_name(IOTNET_ENUM_EXPOSURE, got_), iotnet_enum_name(IOTNET_ENUM_EXPOSURE, want)); \
    } while (0)

/* internet - router (NAT44 wan/lan) - dev; the router has no policy. */
static void home(iotnet_nat_filtering filtering, bool upnp, bool pcp)
{
    fresh();
    zone("lan", "home-lan");
    node("internet", "internet", NULL);
    node("router", "home-router", "lan");
    node("dev", "camera", "lan");
    iface("router", "wan", "203.0.113.10/24");
    iface("router", "lan", "192.168.1.1/24");
    iface("dev", "eth0", "192.168.1.20/24");
    link_("internet", NULL, "router", "wan");
    link_("router", "lan", "dev", "eth0");
    nat("router", filtering, upnp, pcp);
    service("dev", "plain", IOTNET_PROTO_TCP, 80, IOTNET_TRAVERSAL_NONE);
    service("dev", "p2p", IOTNET_PROTO_UDP, 5000, IOTNET_TRAVERSAL_HOLE_PUNCH);
    service("dev", "rtsp", IOTNET_PROTO_TCP, 554, IOTNET_TRAVERSAL_UPNP);
    service("dev", "pcp-svc", IOTNET_PROTO_TCP, 7000, IOTNET_TRAVERSAL_PCP);
}

typedef struct nat_case {
    iotnet_nat_filtering filtering;
    bool upnp, pcp;
    char svc[16]; /* parameters reach the test's process by value */
    iotnet_exposure want;
} nat_case;

/* RFC 4787: only endpoint-independent filtering lets a source other than the
 * one the device talks to use a hole-punched mapping; with AD and APD
 * filtering only replies come in. UPnP and PCP pinholes exist only where the
 * NAT accepts those requests. The device can open flows outwards through
 * the NAT, so without any inbound mechanism the class is reply-only. */
ParameterizedTestParameters(reach, nat_behaviour)
{
    static nat_case cases[] = {
        {IOTNET_NAT_FILTER_EI, false, false, "udp/5000", IOTNET_EXPOSURE_HOLE_PUNCHABLE},
        {IOTNET_NAT_FILTER_AD, false, false, "udp/5000", IOTNET_EXPOSURE_REPLY_ONLY},
        {IOTNET_NAT_FILTER_APD, false, false, "udp/5000", IOTNET_EXPOSURE_REPLY_ONLY},
        {IOTNET_NAT_FILTER_EI, false, false, "tcp/80", IOTNET_EXPOSURE_REPLY_ONLY},
        {IOTNET_NAT_FILTER_APD, true, false, "tcp/554", IOTNET_EXPOSURE_PINHOLE},
        {IOTNET_NAT_FILTER_APD, false, false, "tcp/554", IOTNET_EXPOSURE_REPLY_ONLY},
        {IOTNET_NAT_FILTER_APD, false, true, "tcp/7000", IOTNET_EXPOSURE_PINHOLE},
        {IOTNET_NAT_FILTER_APD, true, false, "tcp/7000", IOTNET_EXPOSURE_REPLY_ONLY},
        {IOTNET_NAT_FILTER_EI, true, true, "tcp/9999", IOTNET_EXPOSURE_REPLY_ONLY},
    };
    return cr_make_param_array(nat_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(nat_case *c, reach, nat_behaviour, .fini = teardown)
{
    home(c->filtering, c->upnp, c->pcp);
    expect_class("internet", "dev", c->svc, c->want);
}

Test(reach, lan_hosts_reach_the_outside_directly, .fini = teardown)
{
    /* from inside, the NAT only translates: the internet node is reached directly */
    home(IOTNET_NAT_FILTER_APD, false, false);
    expect_class("dev", "internet", "tcp/443", IOTNET_EXPOSURE_DIRECT);
}

Test(reach, port_forward_translates_the_port, .fini = teardown)
{
    home(IOTNET_NAT_FILTER_APD, false, false);
    forward("router", "cam-web", 8080, "dev", 80);
    iotnet_reach_row row;
    cr_assert_eq(reach_class("internet", "dev", "tcp/80", &row), IOTNET_EXPOSURE_PORT_FORWARD);
    iotnet_index router;
    expect_ok(iotnet_node_find(net, &router, "router"));
    cr_assert_eq(row.entry_node, router);
    cr_assert_eq(row.entry_port, 8080);
    cr_assert_str_eq(row.via, "cam-web");
    cr_assert_str_eq(row.service, "plain");
    cr_assert_eq(row.path_length, 3);
    /* the forward opens tcp/80 at the device and nothing else */
    expect_class("internet", "dev", "tcp/8080", IOTNET_EXPOSURE_REPLY_ONLY);
}

Test(reach, forward_needs_the_policy_pinhole_does_not, .fini = teardown)
{
    /* a drop-by-default policy on the NAT: the forwarded flow is filtered
     * after translation and dropped, the UPnP pinhole is NAT state ahead of
     * the rules and still admitted once the camera's request reaches the
     * router's UPnP control */
    home(IOTNET_NAT_FILTER_APD, true, false);
    forward("router", "cam-web", 8080, "dev", 80);
    policy_default("router", IOTNET_ACTION_DROP);
    rule("router", "out", SEL(ZONE, "lan"), SEL(INTERNET, NULL), IOTNET_PROTO_ANY, 0, 0, IOTNET_INITIATED_FROM,
         IOTNET_ACTION_ACCEPT);
    rule("router", "igd", SEL(ZONE, "lan"), SEL(NODE, "router"), IOTNET_PROTO_TCP, 5000, 5000, IOTNET_INITIATED_ANY,
         IOTNET_ACTION_ACCEPT);
    expect_class("internet", "dev", "tcp/80", IOTNET_EXPOSURE_REPLY_ONLY);
    expect_class("internet", "dev", "tcp/554", IOTNET_EXPOSURE_PINHOLE);
    rule("router", "fwd", ANY_SEL, SEL(NODE, "dev"), IOTNET_PROTO_TCP, 80, 80, IOTNET_INITIATED_ANY,
         IOTNET_ACTION_ACCEPT);
    expect_class("internet", "dev", "tcp/80", IOTNET_EXPOSURE_PORT_FORWARD);
}

Test(reach, no_way_out_means_no_replies, .fini = teardown)
{
    /* the policy drops what the device opens: not even replies reach it */
    home(IOTNET_NAT_FILTER_APD, false, false);
    policy_default("router", IOTNET_ACTION_DROP);
    expect_class("internet", "dev", "tcp/80", IOTNET_EXPOSURE_NONE);
}

/* internet - cgnat (NAT44) - router (NAT44) - dev, and a neighbour on the
 * CGNAT's inside. */
static void chained(iotnet_nat_filtering cgnat_filtering)
{
    home(IOTNET_NAT_FILTER_EI, true, false);
    iotnet_link_spec drop = IOTNET_LINK_SPEC_INIT;
    (void)drop;
    iotnet_index l;
    expect_ok(iotnet_link_find(net, &l, "internet-router"));
    expect_ok(iotnet_link_remove(net, l));
    zone("isp", "provider-zone");
    node("cgnat", "isp-router", "isp");
    node("neighbour", "host", "isp");
    iface("cgnat", "wan", "198.51.100.1/24");
    iface("cgnat", "lan", "100.64.0.1/16");
    iface("neighbour", "eth0", "100.64.9.9/16");
    link_("internet", NULL, "cgnat", "wan");
    link_("cgnat", "lan", "router", "wan");
    link_("cgnat", "lan", "neighbour", "eth0");
    nat("cgnat", cgnat_filtering, false, false);
    forward("router", "cam-web", 8080, "dev", 80);
}

Test(reach, chained_nat, .fini = teardown)
{
    chained(IOTNET_NAT_FILTER_EI);
    /* the CGNAT has no forward: the home's forward and pinhole reach only
     * the CGNAT's other subscribers */
    expect_class("internet", "dev", "tcp/80", IOTNET_EXPOSURE_REPLY_ONLY);
    expect_class("internet", "dev", "tcp/554", IOTNET_EXPOSURE_REPLY_ONLY);
    expect_class("neighbour", "dev", "tcp/80", IOTNET_EXPOSURE_PORT_FORWARD);
    expect_class("neighbour", "dev", "tcp/554", IOTNET_EXPOSURE_PINHOLE);
    /* both NATs filter endpoint-independently: the hole-punched mapping is
     * usable from anywhere */
    expect_class("internet", "dev", "udp/5000", IOTNET_EXPOSURE_HOLE_PUNCHABLE);
}

Test(reach, chained_nat_with_a_strict_outer_filter, .fini = teardown)
{
    chained(IOTNET_NAT_FILTER_APD);
    expect_class("internet", "dev", "udp/5000", IOTNET_EXPOSURE_REPLY_ONLY);
    expect_class("neighbour", "dev", "udp/5000", IOTNET_EXPOSURE_HOLE_PUNCHABLE);
}

Test(reach, forwards_chain_through_two_nats, .fini = teardown)
{
    /* a forward on the CGNAT to the router's external port, which the
     * router forwards on: the Internet reaches tcp/80 through both */
    chained(IOTNET_NAT_FILTER_APD);
    forward("cgnat", "to-home", 18080, "router", 8080);
    iotnet_reach_row row;
    cr_assert_eq(reach_class("internet", "dev", "tcp/80", &row), IOTNET_EXPOSURE_PORT_FORWARD);
    iotnet_index cgnat;
    expect_ok(iotnet_node_find(net, &cgnat, "cgnat"));
    cr_assert_eq(row.entry_node, cgnat);
    cr_assert_eq(row.entry_port, 18080);
    cr_assert_str_eq(row.via, "to-home");
}

/* RFC 4787 §4.1: a mapping exists only once the device has sent UDP out;
 * a UPnP or PCP pinhole only once its request reached the NAT. */
Test(reach, a_mapping_needs_the_device_to_send_udp_out, .fini = teardown)
{
    home(IOTNET_NAT_FILTER_EI, false, false);
    policy_default("router", IOTNET_ACTION_DROP); /* nothing may leave */
    expect_class("internet", "dev", "udp/5000", IOTNET_EXPOSURE_NONE);
    rule("router", "tcp-out", SEL(ZONE, "lan"), SEL(INTERNET, NULL), IOTNET_PROTO_TCP, 0, 0, IOTNET_INITIATED_FROM,
         IOTNET_ACTION_ACCEPT);
    /* TCP may leave: replies, but no UDP mapping */
    expect_class("internet", "dev", "udp/5000", IOTNET_EXPOSURE_REPLY_ONLY);
    rule("router", "udp-out", SEL(ZONE, "lan"), SEL(INTERNET, NULL), IOTNET_PROTO_UDP, 3478, 3478,
         IOTNET_INITIATED_FROM, IOTNET_ACTION_ACCEPT);
    expect_class("internet", "dev", "udp/5000", IOTNET_EXPOSURE_HOLE_PUNCHABLE);
}

Test(reach, a_pinhole_needs_the_devices_request, .fini = teardown)
{
    home(IOTNET_NAT_FILTER_APD, true, true);
    policy_default("router", IOTNET_ACTION_DROP);
    rule("router", "out", SEL(ZONE, "lan"), SEL(INTERNET, NULL), IOTNET_PROTO_ANY, 0, 0, IOTNET_INITIATED_FROM,
         IOTNET_ACTION_ACCEPT);
    /* the router's UPnP control and PCP server are out of the device's reach */
    expect_class("internet", "dev", "tcp/554", IOTNET_EXPOSURE_REPLY_ONLY);
    expect_class("internet", "dev", "tcp/7000", IOTNET_EXPOSURE_REPLY_ONLY);
    rule("router", "pcp", SEL(NODE, "dev"), SEL(NODE, "router"), IOTNET_PROTO_UDP, 5351, 5351, IOTNET_INITIATED_ANY,
         IOTNET_ACTION_ACCEPT);
    expect_class("internet", "dev", "tcp/554", IOTNET_EXPOSURE_REPLY_ONLY);
    expect_class("internet", "dev", "tcp/7000", IOTNET_EXPOSURE_PINHOLE);
    rule("router", "igd", SEL(NODE, "dev"), SEL(NODE, "router"), IOTNET_PROTO_TCP, 49152, 49152,
         IOTNET_INITIATED_ANY, IOTNET_ACTION_ACCEPT);
    expect_class("internet", "dev", "tcp/554", IOTNET_EXPOSURE_PINHOLE);
}

Test(reach, a_device_whose_own_firewall_sends_nothing_makes_no_nat_state, .fini = teardown)
{
    home(IOTNET_NAT_FILTER_EI, true, false);
    policy_default("dev", IOTNET_ACTION_ACCEPT);
    rule("dev", "no-udp-out", ANY_SEL, ANY_SEL, IOTNET_PROTO_UDP, 0, 0, IOTNET_INITIATED_ANY, IOTNET_ACTION_DROP);
    expect_class("internet", "dev", "udp/5000", IOTNET_EXPOSURE_REPLY_ONLY);
    expect_class("internet", "dev", "tcp/554", IOTNET_EXPOSURE_PINHOLE);
}

/* A mapping on the outer NAT and a forward on the inner one, and the
 * mirror: the least open mechanism decides either way. */
static void cgnat_and_home(bool mapping_outside)
{
    chained(mapping_outside ? IOTNET_NAT_FILTER_EI : IOTNET_NAT_FILTER_APD);
    service("dev", "p2p-video", IOTNET_PROTO_UDP, 32100, IOTNET_TRAVERSAL_HOLE_PUNCH);
    nat_filtering("router", mapping_outside ? IOTNET_NAT_FILTER_APD : IOTNET_NAT_FILTER_EI);
    forward_of(mapping_outside ? "router" : "cgnat", "p2p", IOTNET_PROTO_UDP, 32100,
               mapping_outside ? "dev" : "router", 0);
}

Test(reach, a_mapping_outside_and_a_forward_inside, .fini = teardown)
{
    cgnat_and_home(true);
    expect_class("internet", "dev", "udp/32100", IOTNET_EXPOSURE_HOLE_PUNCHABLE);
}

Test(reach, a_forward_outside_and_a_mapping_inside, .fini = teardown)
{
    cgnat_and_home(false);
    expect_class("internet", "dev", "udp/32100", IOTNET_EXPOSURE_HOLE_PUNCHABLE);
}

Test(reach, a_mapping_outside_does_not_carry_a_port_a_forward_changes, .fini = teardown)
{
    /* the mapping holds the device's own port: a forward of another port
     * on the inner NAT is not reached through it */
    chained(IOTNET_NAT_FILTER_EI);
    service("dev", "p2p-video", IOTNET_PROTO_UDP, 32100, IOTNET_TRAVERSAL_HOLE_PUNCH);
    nat_filtering("router", IOTNET_NAT_FILTER_APD);
    forward_of("router", "p2p", IOTNET_PROTO_UDP, 40000, "dev", 32100);
    expect_class("internet", "dev", "udp/32100", IOTNET_EXPOSURE_REPLY_ONLY);
    expect_class("neighbour", "dev", "udp/32100", IOTNET_EXPOSURE_PORT_FORWARD);
}

/* ---- meshes ---------------------------------------------------------------- */

static iotnet_hop last_hop(const char *from, const char *to, const char *svc, iotnet_explanation **ex);

/* A k x k grid of routers, each dropping by default and admitting tcp/80
 * and tcp/22, except that the routers of column `cut` (none when -1) drop
 * tcp/80 but in the last row; a camera on the far corner with web and
 * telnet. */
static void grid(int k, int cut)
{
    fresh();
    char id[32], other[32];
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++) {
            snprintf(id, sizeof id, "r%d_%d", i, j);
            node(id, "router", NULL);
            policy_default(id, IOTNET_ACTION_DROP);
            iotnet_action web = j == cut && i < k - 1 ? IOTNET_ACTION_DROP : IOTNET_ACTION_ACCEPT;
            rule(id, "web", ANY_SEL, ANY_SEL, IOTNET_PROTO_TCP, 80, 80, IOTNET_INITIATED_ANY, web);
            rule(id, "ssh", ANY_SEL, ANY_SEL, IOTNET_PROTO_TCP, 22, 22, IOTNET_INITIATED_ANY, IOTNET_ACTION_ACCEPT);
        }
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++) {
            snprintf(id, sizeof id, "r%d_%d", i, j);
            if (i + 1 < k) {
                snprintf(other, sizeof other, "r%d_%d", i + 1, j);
                link_(id, NULL, other, NULL);
            }
            if (j + 1 < k) {
                snprintf(other, sizeof other, "r%d_%d", i, j + 1);
                link_(id, NULL, other, NULL);
            }
        }
    node("cam", "camera", NULL);
    snprintf(id, sizeof id, "r%d_%d", k - 1, k - 1);
    link_(id, NULL, "cam", NULL);
    service("cam", "web", IOTNET_PROTO_TCP, 80, IOTNET_TRAVERSAL_NONE);
    service("cam", "telnet", IOTNET_PROTO_TCP, 23, IOTNET_TRAVERSAL_NONE);
}

Test(reach, a_router_grid_is_reached_across, .fini = teardown)
{
    /* 900 routers: far too many paths to walk one by one */
    grid(30, -1);
    iotnet_reach_row row;
    cr_assert_eq(reach_class("r0_0", "cam", "tcp/80", &row), IOTNET_EXPOSURE_DIRECT);
    cr_assert_eq(row.path_length, 2 * 29 + 2, "a shortest path: %zu nodes", row.path_length);
    /* telnet: every router drops it; the camera can open web back */
    expect_class("r0_0", "cam", "tcp/23", IOTNET_EXPOSURE_REPLY_ONLY);
    iotnet_reach_options o = IOTNET_REACH_OPTIONS_INIT;
    o.from = "r0_0";
    iotnet_reach_result *r = NULL;
    expect_ok(iotnet_reach(&r, net, &o));
    cr_assert_eq(iotnet_reach_count(r), 30 * 30 - 1 + 2, "every other router, and the camera's web and telnet");
    iotnet_reach_result_free(r);
}

Test(reach, a_grid_cut_by_policies_is_reached_around_the_cut, .fini = teardown)
{
    /* the routers of the middle column drop web but the one in the last row */
    grid(9, 4);
    iotnet_reach_options o = IOTNET_REACH_OPTIONS_INIT;
    o.from = "r0_0";
    o.to = "cam";
    o.service = "tcp/80";
    iotnet_reach_result *r = NULL;
    expect_ok(iotnet_reach(&r, net, &o));
    iotnet_reach_row row;
    expect_ok(iotnet_reach_get(r, 0, &row));
    cr_assert_eq(row.exposure, IOTNET_EXPOSURE_DIRECT);
    iotnet_index gap;
    expect_ok(iotnet_node_find(net, &gap, "r8_4"));
    bool through_gap = false;
    for (size_t i = 0; i < row.path_length; i++) /* the path is the result's: read before freeing it */
        through_gap = through_gap || row.path[i] == gap;
    iotnet_reach_result_free(r);
    cr_assert(through_gap, "the only way across is r8_4");
    /* from the other side of the cut the shortest path stays there */
    cr_assert_eq(reach_class("r0_8", "cam", "tcp/80", &row), IOTNET_EXPOSURE_DIRECT);
    cr_assert_eq(row.path_length, 8 + 2);
}

Test(reach, a_full_mesh_and_its_explanation, .fini = teardown)
{
    fresh();
    char id[32], other[32];
    for (int i = 0; i < 64; i++) {
        snprintf(id, sizeof id, "m%d", i);
        node(id, "router", NULL);
        policy_default(id, IOTNET_ACTION_REJECT);
        rule(id, "web", ANY_SEL, ANY_SEL, IOTNET_PROTO_TCP, 80, 80, IOTNET_INITIATED_ANY, IOTNET_ACTION_ACCEPT);
    }
    for (int i = 0; i < 64; i++)
        for (int j = i + 1; j < 64; j++) {
            snprintf(id, sizeof id, "m%d", i);
            snprintf(other, sizeof other, "m%d", j);
            link_(id, NULL, other, NULL);
        }
    node("srv", "server", NULL);
    link_("m63", NULL, "srv", NULL);
    service("srv", "web", IOTNET_PROTO_TCP, 80, IOTNET_TRAVERSAL_NONE);
    service("srv", "ssh", IOTNET_PROTO_TCP, 22, IOTNET_TRAVERSAL_NONE);
    expect_class("m0", "srv", "tcp/80", IOTNET_EXPOSURE_DIRECT);
    iotnet_explanation *ex;
    expect_ok(iotnet_explain(&ex, net, "m0", "srv", "web"));
    cr_assert_eq(iotnet_explanation_exposure(ex), IOTNET_EXPOSURE_DIRECT);
    size_t len;
    iotnet_explanation_path(ex, &len);
    cr_assert_eq(len, 3, "m0 - m63 - srv");
    iotnet_explanation_free(ex);
    /* telnet: the first router on the way rejects it, and says so; the
     * server can open web back, so replies reach it */
    iotnet_hop h = last_hop("m0", "srv", "tcp/23", &ex);
    cr_assert_eq(iotnet_explanation_exposure(ex), IOTNET_EXPOSURE_REPLY_ONLY);
    cr_assert(strstr(h.detail, "only replies"), "%s", h.detail);
    expect_ok(iotnet_explanation_hop(ex, 0, &h));
    cr_assert_eq(h.layer, IOTNET_LAYER_FIREWALL);
    cr_assert_eq(h.action, IOTNET_ACTION_REJECT);
    iotnet_explanation_free(ex);
    /* and with the server's own firewall closed, nothing at all: the
     * explanation still follows a path to where the flow stopped */
    policy_default("srv", IOTNET_ACTION_DROP);
    h = last_hop("m0", "srv", "tcp/23", &ex);
    cr_assert_eq(iotnet_explanation_exposure(ex), IOTNET_EXPOSURE_NONE);
    cr_assert_eq(h.layer, IOTNET_LAYER_FIREWALL);
    cr_assert_eq(h.action, IOTNET_ACTION_REJECT);
    iotnet_explanation_free(ex);
}

/* A firewall between two LANs: first match, initiated-by, reject, CIDR. */
static void two_lans(void)
{
    fresh();
    zone("a", "home-lan");
    zone("b", "iot-lan");
    node("fw", "firewall", NULL);
    node("pc", "workstation", "a");
    node("cam", "camera", "b");
    iface("fw", "ea", "10.0.1.1/24");
    iface("fw", "eb", "10.0.2.1/24");
    iface("pc", "eth0", "10.0.1.5/24");
    iface("cam", "eth0", "10.0.2.5/24");
    link_("pc", "eth0", "fw", "ea");
    link_("fw", "eb", "cam", "eth0");
    service("cam", "web", IOTNET_PROTO_TCP, 80, IOTNET_TRAVERSAL_NONE);
    service("cam", "rtsp", IOTNET_PROTO_TCP, 554, IOTNET_TRAVERSAL_NONE);
    service("cam", "telnet", IOTNET_PROTO_TCP, 23, IOTNET_TRAVERSAL_NONE);
    iotnet_index fw;
    expect_ok(iotnet_node_find(net, &fw, "fw"));
    expect_ok(iotnet_policy_set_default(net, fw, IOTNET_ACTION_DROP));
}

Test(reach, first_match_decides, .fini = teardown)
{
    two_lans();
    rule("fw", "no-telnet", ANY_SEL, SEL(KIND, "iot-device"), IOTNET_PROTO_TCP, 23, 23, IOTNET_INITIATED_ANY,
         IOTNET_ACTION_REJECT);
    rule("fw", "web", SEL(CIDR, "10.0.1.0/24"), SEL(ZONE, "b"), IOTNET_PROTO_TCP, 1, 1024, IOTNET_INITIATED_FROM,
         IOTNET_ACTION_ACCEPT);
    /* web and rtsp are within 1..1024 from the LAN's prefix; telnet was
     * rejected by the earlier rule */
    expect_class("pc", "cam", "tcp/80", IOTNET_EXPOSURE_DIRECT);
    expect_class("pc", "cam", "tcp/554", IOTNET_EXPOSURE_DIRECT);
    expect_class("pc", "cam", "tcp/23", IOTNET_EXPOSURE_NONE);
    /* the camera cannot open anything towards the PC (default drop); the PC
     * opens web flows to the camera, so only replies reach the PC */
    expect_class("cam", "pc", "tcp/22", IOTNET_EXPOSURE_REPLY_ONLY);
}

Test(reach, rules_for_replies_never_open_a_flow, .fini = teardown)
{
    two_lans();
    rule("fw", "replies", SEL(ZONE, "b"), SEL(ZONE, "a"), IOTNET_PROTO_ANY, 0, 0, IOTNET_INITIATED_TO,
         IOTNET_ACTION_ACCEPT);
    rule("fw", "open", SEL(ZONE, "a"), SEL(ZONE, "b"), IOTNET_PROTO_ANY, 0, 0, IOTNET_INITIATED_FROM,
         IOTNET_ACTION_ACCEPT);
    /* pc opens to cam; cam cannot open to pc, only reply: reply-only */
    expect_class("pc", "cam", "tcp/80", IOTNET_EXPOSURE_DIRECT);
    expect_class("cam", "pc", "tcp/22", IOTNET_EXPOSURE_REPLY_ONLY);
}

Test(reach, every_service_and_zone_sources, .fini = teardown)
{
    two_lans();
    rule("fw", "web", SEL(ZONE, "a"), SEL(NODE, "cam"), IOTNET_PROTO_TCP, 80, 80, IOTNET_INITIATED_ANY,
         IOTNET_ACTION_ACCEPT);
    iotnet_reach_options o = IOTNET_REACH_OPTIONS_INIT;
    o.from = "zone:a";
    o.to = "cam";
    iotnet_reach_result *r;
    expect_ok(iotnet_reach(&r, net, &o));
    /* one row: web (tcp/80); rtsp and telnet are not reachable and the
     * camera cannot open flows back, so they are left out */
    cr_assert_eq(iotnet_reach_count(r), 1);
    iotnet_reach_row row;
    expect_ok(iotnet_reach_get(r, 0, &row));
    cr_assert_str_eq(row.service, "web");
    iotnet_reach_result_free(r);
    o.include_unreachable = true;
    expect_ok(iotnet_reach(&r, net, &o));
    cr_assert_eq(iotnet_reach_count(r), 3);
    /* ordered by protocol and port: telnet (23), web (80), rtsp (554) */
    expect_ok(iotnet_reach_get(r, 0, &row));
    cr_assert_str_eq(row.service, "telnet");
    cr_assert_eq(row.exposure, IOTNET_EXPOSURE_NONE);
    cr_assert_eq(row.path_length, 0);
    iotnet_reach_result_free(r);
}

Test(reach, own_policies_apply, .fini = teardown)
{
    /* a host firewall on the camera drops rtsp even though the network
     * firewall accepts it; the camera can still open flows to the PC, so
     * rtsp is reachable by replies only */
    two_lans();
    rule("fw", "all", ANY_SEL, ANY_SEL, IOTNET_PROTO_ANY, 0, 0, IOTNET_INITIATED_ANY, IOTNET_ACTION_ACCEPT);
    iotnet_index cam;
    expect_ok(iotnet_node_find(net, &cam, "cam"));
    expect_ok(iotnet_policy_set_default(net, cam, IOTNET_ACTION_ACCEPT));
    rule("cam", "host-fw", ANY_SEL, ANY_SEL, IOTNET_PROTO_TCP, 554, 554, IOTNET_INITIATED_ANY, IOTNET_ACTION_DROP);
    expect_class("pc", "cam", "tcp/80", IOTNET_EXPOSURE_DIRECT);
    expect_class("pc", "cam", "tcp/554", IOTNET_EXPOSURE_REPLY_ONLY);
}

Test(reach, cidr_after_nat_is_the_outside_address, .fini = teardown)
{
    /* behind the NAT the device's 192.168.1.20 is translated to the router's
     * 203.0.113.10: a firewall upstream matching 192.168.0.0/16 no longer
     * sees it, one matching 203.0.113.0/24 does */
    home(IOTNET_NAT_FILTER_APD, false, false);
    iotnet_index l;
    expect_ok(iotnet_link_find(net, &l, "internet-router"));
    expect_ok(iotnet_link_remove(net, l));
    node("edge", "firewall", NULL);
    node("server", "server", NULL);
    service("server", "https", IOTNET_PROTO_TCP, 443, IOTNET_TRAVERSAL_NONE);
    link_("router", "wan", "edge", NULL);
    link_("edge", NULL, "server", NULL);
    iotnet_index edge;
    expect_ok(iotnet_node_find(net, &edge, "edge"));
    expect_ok(iotnet_policy_set_default(net, edge, IOTNET_ACTION_DROP));
    rule("edge", "private", SEL(CIDR, "192.168.0.0/16"), ANY_SEL, IOTNET_PROTO_ANY, 0, 0, IOTNET_INITIATED_ANY,
         IOTNET_ACTION_ACCEPT);
    expect_class("dev", "server", "tcp/443", IOTNET_EXPOSURE_NONE);
    rule("edge", "public", SEL(CIDR, "203.0.113.0/24"), ANY_SEL, IOTNET_PROTO_ANY, 0, 0, IOTNET_INITIATED_ANY,
         IOTNET_ACTION_ACCEPT);
    expect_class("dev", "server", "tcp/443", IOTNET_EXPOSURE_DIRECT);
}

Test(reach, devices_do_not_forward, .fini = teardown)
{
    /* pc - cam - other: the camera is not a transit node */
    fresh();
    node("pc", "workstation", NULL);
    node("cam", "camera", NULL);
    node("other", "camera", NULL);
    service("other", "web", IOTNET_PROTO_TCP, 80, IOTNET_TRAVERSAL_NONE);
    link_("pc", NULL, "cam", NULL);
    link_("cam", NULL, "other", NULL);
    expect_class("pc", "other", "tcp/80", IOTNET_EXPOSURE_NONE);
    expect_class("pc", "cam", "tcp/80", IOTNET_EXPOSURE_DIRECT);
}

Test(reach, bad_arguments, .fini = teardown)
{
    home(IOTNET_NAT_FILTER_APD, false, false);
    iotnet_reach_result *r = NULL;
    iotnet_reach_options o = IOTNET_REACH_OPTIONS_INIT;
    expect_error(iotnet_reach(&r, net, &o), IOTNET_EINVAL, "from is required");
    o.from = "nobody";
    expect_error(iotnet_reach(&r, net, &o), IOTNET_ENOTFOUND, "node \"nobody\" does not exist");
    o.from = "zone:nowhere";
    expect_error(iotnet_reach(&r, net, &o), IOTNET_ENOTFOUND, "zone \"nowhere\"");
    o.from = "internet";
    o.service = "tcp/99999";
    expect_error(iotnet_reach(&r, net, &o), IOTNET_EINVAL, "tcp/99999");
    o.service = "tcp/1-5";
    expect_error(iotnet_reach(&r, net, &o), IOTNET_EINVAL, "tcp/1-5");
    /* a port is digits only: no sign or space */
    static const char *const not_ports[] = {"tcp/ 443", "tcp/+443", "udp/-0", "tcp/443 ", "tcp/443-+443"};
    for (size_t i = 0; i < sizeof not_ports / sizeof *not_ports; i++) {
        o.service = not_ports[i];
        expect_error(iotnet_reach(&r, net, &o), IOTNET_EINVAL, not_ports[i]);
        cr_assert_null(r);
    }
    /* port 0 is no service, as the model refuses a service on port 0 */
    o.service = "tcp/0";
    expect_error(iotnet_reach(&r, net, &o), IOTNET_EINVAL, "port 0 is not a service");
    o.service = "udp/0";
    expect_error(iotnet_reach(&r, net, &o), IOTNET_EINVAL, "port 0 is not a service");
    iotnet_explanation *ex = NULL;
    expect_error(iotnet_explain(&ex, net, "internet", "dev", "sctp/0"), IOTNET_EINVAL, "port 0 is not a service");
    cr_assert_null(ex);
    o.service = NULL;
    o.version = 99;
    cr_assert_lt(iotnet_reach(&r, net, &o), 0);
    cr_assert_null(r);
    cr_assert_lt(iotnet_reach(NULL, net, &o), 0);
}

/* ---- MUD ----------------------------------------------------------------- */

static void mud_ace(const char *node_id, const char *name, iotnet_mud_direction policy, iotnet_mud_peer peer,
                    const char *value, int proto, uint16_t sport, uint16_t dport)
{
    iotnet_index n;
    expect_ok(iotnet_node_find(net, &n, node_id));
    iotnet_mud_ace a = IOTNET_MUD_ACE_INIT;
    a.acl = policy == IOTNET_MUD_FROM_DEVICE ? "from" : "to";
    a.name = name;
    a.policy = policy;
    a.peer = peer;
    a.peer_value = value;
    a.protocol = proto;
    a.src_port_lo = a.src_port_hi = sport;
    a.dst_port_lo = a.dst_port_hi = dport;
    expect_ok(iotnet_node_mud_add_ace(net, n, &a));
}

static void set_mud_url(const char *node_id, const char *url)
{
    iotnet_index n;
    iotnet_node_spec s;
    expect_ok(iotnet_node_find(net, &n, node_id));
    expect_ok(iotnet_node_get(net, n, &s));
    s.mud_url = url;
    expect_ok(iotnet_node_update(net, n, &s));
}

static void string_attr(const char *node_id, const char *key, const char *value)
{
    iotnet_index n;
    expect_ok(iotnet_node_find(net, &n, node_id));
    iotnet_value v = {IOTNET_ATTR_STRING, value, 0, 0, false};
    expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_NODE, n, key, &v));
}

/* internet with two clouds; a router without policy; the MUD device, a
 * sibling of the same manufacturer, a device of another maker, a controller. */
static void mud_home(void)
{
    home(IOTNET_NAT_FILTER_APD, false, false);
    zone("cloud", "cloud-zone");
    node("acme-cloud", "vendor-cloud", "cloud");
    node("evil", "server", "cloud");
    link_("internet", NULL, "acme-cloud", NULL);
    link_("internet", NULL, "evil", NULL);
    service("acme-cloud", "api", IOTNET_PROTO_TCP, 443, IOTNET_TRAVERSAL_NONE);
    service("evil", "api", IOTNET_PROTO_TCP, 443, IOTNET_TRAVERSAL_NONE);
    string_attr("acme-cloud", "dns-name", "api.acme.example www.acme.example");
    node("plug", "smart-plug", "lan");
    node("bulb", "light", "lan");
    node("ctl", "hub", "lan");
    link_("router", "lan", "plug", NULL);
    link_("router", "lan", "bulb", NULL);
    link_("router", "lan", "ctl", NULL);
    service("plug", "http", IOTNET_PROTO_TCP, 80, IOTNET_TRAVERSAL_NONE);
    service("bulb", "http", IOTNET_PROTO_TCP, 80, IOTNET_TRAVERSAL_NONE);
    service("ctl", "http", IOTNET_PROTO_TCP, 80, IOTNET_TRAVERSAL_NONE);
    set_mud_url("dev", "https://acme.example/cam.json");
    set_mud_url("plug", "https://acme.example/plug.json");
    set_mud_url("bulb", "https://lights.example/bulb.json");
    string_attr("ctl", "mud-controller", "urn:example:bridge https://acme.example/cam.json");
}

/* RFC 4343: DNS names compare without case; one trailing dot (the root)
 * changes nothing, on either side. */
Test(reach, mud_dns_names_compare_as_dns_does, .fini = teardown)
{
    mud_home();
    string_attr("acme-cloud", "dns-name", "API.Acme.Example. www.acme.example");
    mud_ace("dev", "cloud-out", IOTNET_MUD_FROM_DEVICE, IOTNET_MUD_PEER_DNSNAME, "api.acme.example",
            IOTNET_PROTO_TCP, 0, 443);
    mud_ace("dev", "cloud-in", IOTNET_MUD_TO_DEVICE, IOTNET_MUD_PEER_DNSNAME, "api.ACME.example.",
            IOTNET_PROTO_TCP, 443, 0);
    expect_class("dev", "acme-cloud", "tcp/443", IOTNET_EXPOSURE_DIRECT);
    string_attr("acme-cloud", "dns-name", "api.acme.example.. api.acme.examples");
    expect_class("dev", "acme-cloud", "tcp/443", IOTNET_EXPOSURE_NONE);
}

Test(reach, mud_dns_names_need_both_directions, .fini = teardown)
{
    mud_home();
    /* to the cloud by DNS name, with the reply entry: allowed; the other
     * cloud is not named: MUD's default drop */
    mud_ace("dev", "cloud-out", IOTNET_MUD_FROM_DEVICE, IOTNET_MUD_PEER_DNSNAME, "api.acme.example",
            IOTNET_PROTO_TCP, 0, 443);
    expect_class("dev", "acme-cloud", "tcp/443", IOTNET_EXPOSURE_NONE); /* no reply entry yet */
    mud_ace("dev", "cloud-in", IOTNET_MUD_TO_DEVICE, IOTNET_MUD_PEER_DNSNAME, "api.acme.example",
            IOTNET_PROTO_TCP, 443, 0);
    expect_class("dev", "acme-cloud", "tcp/443", IOTNET_EXPOSURE_DIRECT);
    expect_class("dev", "evil", "tcp/443", IOTNET_EXPOSURE_NONE);
    /* and the device is no longer reply-reachable from the Internet on
     * plain tcp/80: it can open nothing towards the internet node itself */
    expect_class("internet", "dev", "tcp/80", IOTNET_EXPOSURE_NONE);
}

typedef struct mud_case {
    iotnet_mud_peer peer;
    char value[64]; /* "" for none */
    bool plug, bulb, ctl;    /* which local devices the camera may open tcp/80 to */
} mud_case;

/* Each abstraction resolved against the model: same-manufacturer and
 * manufacturer match MUD URL authorities, model the whole URL,
 * local-networks everything not on the internet side, controller and
 * my-controller the mud-controller attribute. */
ParameterizedTestParameters(reach, mud_abstractions)
{
    static mud_case cases[] = {
        {IOTNET_MUD_PEER_SAME_MANUFACTURER, "", true, false, false},
        {IOTNET_MUD_PEER_MANUFACTURER, "lights.example", false, true, false},
        {IOTNET_MUD_PEER_MODEL, "https://acme.example/plug.json", true, false, false},
        {IOTNET_MUD_PEER_LOCAL_NETWORKS, "", true, true, true},
        {IOTNET_MUD_PEER_CONTROLLER, "urn:example:bridge", false, false, true},
        {IOTNET_MUD_PEER_MY_CONTROLLER, "", false, false, true},
        {IOTNET_MUD_PEER_CIDR, "192.168.1.0/24", false, false, false}, /* the others have no address */
        /* hosts compare without case (RFC 3986 §3.2.2), DNS names also
         * without one trailing dot (RFC 4343, RFC 1034) */
        {IOTNET_MUD_PEER_MANUFACTURER, "Lights.EXAMPLE", false, true, false},
        {IOTNET_MUD_PEER_MANUFACTURER, "lights.example.", false, true, false},
        {IOTNET_MUD_PEER_MANUFACTURER, "lights.example.org", false, false, false},
        {IOTNET_MUD_PEER_MODEL, "HTTPS://ACME.example/plug.json", true, false, false},
        {IOTNET_MUD_PEER_MODEL, "https://acme.example/PLUG.json", false, false, false}, /* the path keeps case */
        {IOTNET_MUD_PEER_CONTROLLER, "URN:example:bridge", false, false, true}, /* the scheme has no case */
        {IOTNET_MUD_PEER_CONTROLLER, "urn:example:BRIDGE", false, false, false}, /* the rest keeps it */
        {IOTNET_MUD_PEER_CONTROLLER, "https://ACME.example/cam.json", false, false, true},
    };
    return cr_make_param_array(mud_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(mud_case *c, reach, mud_abstractions, .fini = teardown)
{
    mud_home();
    const char *value = *c->value ? c->value : NULL;
    mud_ace("dev", "out", IOTNET_MUD_FROM_DEVICE, c->peer, value, IOTNET_PROTO_TCP, 0, 80);
    mud_ace("dev", "back", IOTNET_MUD_TO_DEVICE, c->peer, value, IOTNET_PROTO_TCP, 80, 0);
    /* the camera's profile is enforced at the router, which the LAN devices
     * share as their gateway too: the camera's flows cross it */
    policy_default("router", IOTNET_ACTION_ACCEPT);
    /* the links to the LAN devices run through the router, so paths cross it */
    expect_class("dev", "plug", "tcp/80", c->plug ? IOTNET_EXPOSURE_DIRECT : IOTNET_EXPOSURE_NONE);
    expect_class("dev", "bulb", "tcp/80", c->bulb ? IOTNET_EXPOSURE_DIRECT : IOTNET_EXPOSURE_NONE);
    expect_class("dev", "ctl", "tcp/80", c->ctl ? IOTNET_EXPOSURE_DIRECT : IOTNET_EXPOSURE_NONE);
}

/* ---- explanations and the zone matrix ----------------------------------- */

Test(reach, explain_names_each_decision, .fini = teardown)
{
    home(IOTNET_NAT_FILTER_APD, false, false);
    forward("router", "cam-web", 8080, "dev", 80);
    policy_default("router", IOTNET_ACTION_DROP);
    rule("router", "fwd", ANY_SEL, SEL(NODE, "dev"), IOTNET_PROTO_TCP, 80, 80, IOTNET_INITIATED_ANY,
         IOTNET_ACTION_ACCEPT);
    iotnet_explanation *ex;
    expect_ok(iotnet_explain(&ex, net, "internet", "dev", "plain"));
    cr_assert_eq(iotnet_explanation_exposure(ex), IOTNET_EXPOSURE_PORT_FORWARD);
    size_t len;
    iotnet_explanation_path(ex, &len);
    cr_assert_eq(len, 3);
    cr_assert_eq(iotnet_explanation_hop_count(ex), 2);
    iotnet_hop h;
    expect_ok(iotnet_explanation_hop(ex, 0, &h));
    cr_assert_eq(h.layer, IOTNET_LAYER_NAT);
    cr_assert_str_eq(h.rule, "cam-web");
    expect_ok(iotnet_explanation_hop(ex, 1, &h));
    cr_assert_eq(h.layer, IOTNET_LAYER_FIREWALL);
    cr_assert_str_eq(h.rule, "fwd");
    cr_assert_eq(h.action, IOTNET_ACTION_ACCEPT);
    iotnet_explanation_free(ex);
    /* rtsp is not forwarded: the NAT stops it, and that is the last hop */
    expect_ok(iotnet_explain(&ex, net, "internet", "dev", "tcp/554"));
    cr_assert_eq(iotnet_explanation_exposure(ex), IOTNET_EXPOSURE_NONE);
    size_t n = iotnet_explanation_hop_count(ex);
    expect_ok(iotnet_explanation_hop(ex, n - 1, &h));
    cr_assert_eq(h.layer, IOTNET_LAYER_NAT);
    cr_assert_eq(h.action, IOTNET_ACTION_DROP);
    cr_assert(strstr(h.detail, "unsolicited") != NULL, "%s", h.detail);
    iotnet_explanation_free(ex);
    expect_error(iotnet_explain(&ex, net, "internet", "dev", "no-such-service"), IOTNET_EINVAL, "no-such-service");
    expect_error(iotnet_explain(&ex, net, "internet", "ghost", "tcp/80"), IOTNET_ENOTFOUND, "ghost");
}

/* The hop that stopped a flow names the action taken, reject included. */
static iotnet_hop last_hop(const char *from, const char *to, const char *svc, iotnet_explanation **ex)
{
    iotnet_hop h;
    expect_ok(iotnet_explain(ex, net, from, to, svc));
    size_t n = iotnet_explanation_hop_count(*ex);
    cr_assert_gt(n, 0);
    expect_ok(iotnet_explanation_hop(*ex, n - 1, &h));
    return h;
}

Test(reach, explain_names_a_default_reject, .fini = teardown)
{
    two_lans();
    iotnet_index fw;
    expect_ok(iotnet_node_find(net, &fw, "fw"));
    expect_ok(iotnet_policy_set_default(net, fw, IOTNET_ACTION_REJECT));
    iotnet_explanation *ex;
    iotnet_hop h = last_hop("pc", "cam", "tcp/80", &ex);
    cr_assert_eq(h.layer, IOTNET_LAYER_FIREWALL);
    cr_assert_null(h.rule);
    cr_assert_eq(h.action, IOTNET_ACTION_REJECT);
    cr_assert(strstr(h.detail, "default") && strstr(h.detail, "reject"), "%s", h.detail);
    iotnet_explanation_free(ex);
    expect_ok(iotnet_policy_set_default(net, fw, IOTNET_ACTION_DROP));
    h = last_hop("pc", "cam", "tcp/80", &ex);
    cr_assert_eq(h.action, IOTNET_ACTION_DROP);
    cr_assert(strstr(h.detail, "drop"), "%s", h.detail);
    iotnet_explanation_free(ex);
}

Test(reach, explain_says_why_there_is_no_nat_state, .fini = teardown)
{
    home(IOTNET_NAT_FILTER_EI, true, false);
    policy_default("router", IOTNET_ACTION_DROP);
    iotnet_explanation *ex;
    iotnet_hop h = last_hop("internet", "dev", "udp/5000", &ex);
    cr_assert_eq(h.layer, IOTNET_LAYER_NAT);
    cr_assert_eq(h.action, IOTNET_ACTION_DROP);
    cr_assert(strstr(h.detail, "cannot send UDP out"), "%s", h.detail);
    iotnet_explanation_free(ex);
    h = last_hop("internet", "dev", "tcp/554", &ex);
    cr_assert_eq(h.action, IOTNET_ACTION_DROP);
    cr_assert(strstr(h.detail, "no UPnP pinhole") && strstr(h.detail, "cannot reach router"), "%s", h.detail);
    iotnet_explanation_free(ex);
}

Test(reach, zone_matrix_reports_flows_no_conduit_covers, .fini = teardown)
{
    two_lans();
    rule("fw", "web", SEL(ZONE, "a"), SEL(ZONE, "b"), IOTNET_PROTO_TCP, 0, 1000, IOTNET_INITIATED_ANY,
         IOTNET_ACTION_ACCEPT);
    iotnet_conduit_spec c = IOTNET_CONDUIT_SPEC_INIT;
    c.id = "a-to-b-web";
    c.from_zone = "a";
    c.to_zone = "b";
    c.services = "tcp/80";
    expect_ok(iotnet_conduit_add(net, NULL, &c));
    iotnet_zone_matrix *m;
    expect_ok(iotnet_zone_matrix_compute(&m, net));
    /* a opens telnet, web and rtsp towards b; the conduit covers web */
    cr_assert_eq(iotnet_zone_matrix_count(m), 1);
    iotnet_zone_flow f;
    expect_ok(iotnet_zone_matrix_get(m, 0, &f));
    cr_assert_str_eq(f.services, "tcp/23 tcp/80 tcp/554");
    cr_assert_str_eq(f.violations, "tcp/23 tcp/554");
    cr_assert_neq(f.conduit, IOTNET_NONE);
    cr_assert_eq(iotnet_zone_matrix_violation_count(m), 1);
    iotnet_zone_matrix_free(m);
}

Test(reach, bundled_home_network, .fini = teardown)
{
    /* the stories the home model's comments tell */
    net = NULL;
    expect_ok(iotnet_net_load(&net, IOTNET_MODELS_DIR "/topologies/home.xml", NULL));
    expect_class("internet", "cam-garden", "udp/32100", IOTNET_EXPOSURE_HOLE_PUNCHABLE);
    expect_class("internet", "cam-porch", "tcp/80", IOTNET_EXPOSURE_REPLY_ONLY);
    expect_class("cgnat-neighbour", "cam-porch", "tcp/80", IOTNET_EXPOSURE_PORT_FORWARD);
    expect_class("cgnat-neighbour", "cam-garden", "tcp/554", IOTNET_EXPOSURE_PINHOLE);
    expect_class("phone", "cam-porch", "tcp/80", IOTNET_EXPOSURE_DIRECT);
}

Test(reach, a_mud_file_on_the_home_network, .fini = teardown)
{
    /* models/mud/garden-camera.json allows HTTPS to api.camera-vendor.example
     * and UDP to p2p.camera-vendor.example (names the camera cloud carries
     * in its dns-name attribute), and nothing towards other clouds */
    net = NULL;
    expect_ok(iotnet_net_load(&net, IOTNET_MODELS_DIR "/topologies/home.xml", NULL));
    expect_class("cam-garden", "speaker-cloud", "tcp/443", IOTNET_EXPOSURE_DIRECT);
    iotnet_mud *mud;
    expect_ok(iotnet_mud_load(&mud, IOTNET_MODELS_DIR "/mud/garden-camera.json", NULL));
    iotnet_index cam;
    expect_ok(iotnet_node_find(net, &cam, "cam-garden"));
    expect_ok(iotnet_node_mud_attach(net, cam, mud));
    iotnet_mud_free(mud);
    expect_class("cam-garden", "camera-cloud", "tcp/443", IOTNET_EXPOSURE_DIRECT);
    expect_class("cam-garden", "camera-cloud", "udp/32100", IOTNET_EXPOSURE_DIRECT);
    expect_class("cam-garden", "speaker-cloud", "tcp/443", IOTNET_EXPOSURE_NONE);
    /* the hole-punched mapping no longer serves any Internet host: the
     * to-device ACL names only the rendezvous server */
    expect_class("internet", "cam-garden", "udp/32100", IOTNET_EXPOSURE_NONE);
}

/* The best class of (destination, protocol, port) over the rows of a query. */
typedef struct best_of {
    iotnet_index dest;
    int protocol;
    uint16_t port;
    iotnet_exposure best;
} best_of;

static size_t collect(const char *from, best_of *out, size_t n, size_t cap)
{
    iotnet_reach_options o = IOTNET_REACH_OPTIONS_INIT;
    o.from = from;
    iotnet_reach_result *r;
    expect_ok(iotnet_reach(&r, net, &o));
    for (size_t i = 0; i < iotnet_reach_count(r); i++) {
        iotnet_reach_row row;
        expect_ok(iotnet_reach_get(r, i, &row));
        size_t k = 0;
        while (k < n && !(out[k].dest == row.destination && out[k].protocol == row.protocol && out[k].port == row.port))
            k++;
        if (k == n) {
            cr_assert_lt(n, cap);
            out[n++] = (best_of){row.destination, row.protocol, row.port, IOTNET_EXPOSURE_NONE};
        }
        if (row.exposure > out[k].best)
            out[k].best = row.exposure;
    }
    iotnet_reach_result_free(r);
    return n;
}

Test(reach, a_zone_reaches_what_its_nodes_reach, .fini = teardown)
{
    /* zone sources share computations between nodes no rule can tell
     * apart: the answer must be the best over the zone's nodes one by one */
    static best_of each[4096], zone_rows[4096];
    net = NULL;
    expect_ok(iotnet_net_load(&net, IOTNET_MODELS_DIR "/topologies/plant.xml", NULL));
    for (iotnet_index z = iotnet_zone_next(net, IOTNET_NONE); z != IOTNET_NONE; z = iotnet_zone_next(net, z)) {
        iotnet_zone_spec zs;
        expect_ok(iotnet_zone_get(net, z, &zs));
        size_t n_each = 0, n_zone;
        for (iotnet_index v = iotnet_node_next(net, IOTNET_NONE); v != IOTNET_NONE; v = iotnet_node_next(net, v))
            if (iotnet_node_zone(net, v) == z) {
                iotnet_node_spec ns;
                expect_ok(iotnet_node_get(net, v, &ns));
                n_each = collect(ns.id, each, n_each, 4096);
            }
        char from[300];
        snprintf(from, sizeof from, "zone:%s", zs.id);
        n_zone = collect(from, zone_rows, 0, 4096);
        cr_assert_eq(n_zone, n_each, "zone %s: %zu rows, its nodes one by one %zu", zs.id, n_zone, n_each);
        for (size_t i = 0; i < n_zone; i++) {
            size_t k = 0;
            while (k < n_each && !(each[k].dest == zone_rows[i].dest && each[k].protocol == zone_rows[i].protocol &&
                                   each[k].port == zone_rows[i].port))
                k++;
            cr_assert_lt(k, n_each);
            cr_assert_eq(zone_rows[i].best, each[k].best, "zone %s", zs.id);
        }
    }
}

Test(reach, a_crowded_zone_is_computed_once_per_kind_of_device, .fini = teardown)
{
    /* 3000 cameras on one router port: one computation stands for them */
    fresh();
    zone("lan", "home-lan");
    node("internet", "internet", NULL);
    node("router", "home-router", "lan");
    iface("router", "wan", NULL);
    iface("router", "lan", "192.168.0.1/16");
    link_("internet", NULL, "router", "wan");
    nat("router", IOTNET_NAT_FILTER_APD, false, false);
    for (int i = 0; i < 3000; i++) {
        char id[32], addr[32];
        snprintf(id, sizeof id, "cam%d", i);
        snprintf(addr, sizeof addr, "192.168.%d.%d/16", i / 250, i % 250 + 2);
        node(id, "camera", "lan");
        iface(id, "eth0", addr);
        link_("router", "lan", id, "eth0");
        service(id, "web", IOTNET_PROTO_TCP, 80, IOTNET_TRAVERSAL_NONE);
    }
    expect_class("zone:lan", "cam2999", "tcp/80", IOTNET_EXPOSURE_DIRECT);
    expect_class("zone:lan", "internet", "tcp/443", IOTNET_EXPOSURE_DIRECT);
    iotnet_zone_matrix *m;
    expect_ok(iotnet_zone_matrix_compute(&m, net));
    iotnet_zone_matrix_free(m);
}

Test(reach, a_forward_of_any_protocol_keeps_the_flows_protocol, .fini = teardown)
{
    /* a forward of every protocol from 20004 to the device's udp/3074: the
     * UDP flow enters at router:20004 by that forward */
    home(IOTNET_NAT_FILTER_APD, false, false);
    service("dev", "game", IOTNET_PROTO_UDP, 3074, IOTNET_TRAVERSAL_NONE);
    iotnet_index router;
    expect_ok(iotnet_node_find(net, &router, "router"));
    iotnet_port_forward f = IOTNET_PORT_FORWARD_INIT;
    f.name = "game";
    f.protocol = IOTNET_PROTO_ANY;
    f.external_port = 20004;
    f.to_node = "dev";
    f.internal_port = 3074;
    expect_ok(iotnet_nat_add_forward(net, router, &f));
    iotnet_reach_row row;
    cr_assert_eq(reach_class("internet", "dev", "udp/3074", &row), IOTNET_EXPOSURE_PORT_FORWARD);
    cr_assert_eq(row.entry_port, 20004);
    cr_assert_str_eq(row.via, "game");
    cr_assert_eq(reach_class("internet", "dev", "tcp/3074", &row), IOTNET_EXPOSURE_PORT_FORWARD);
}
