/* Firewall policies and NAT44 held by the model: defaults, ordered rules with
 * every selector, NAT configuration, port forwards and references between them. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"

static iotnet_net *net;
static iotnet_index gw, cam, inet, phone;

static iotnet_index add_node(const char *id, const char *kind, const char *zone)
{
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    iotnet_index ix = IOTNET_NONE;
    s.id = id;
    s.kind = kind;
    s.zone = zone;
    expect_ok(iotnet_node_add(net, &ix, &s));
    return ix;
}

static void add_zone(const char *id, const char *kind)
{
    iotnet_zone_spec z = IOTNET_ZONE_SPEC_INIT;
    z.id = id;
    z.kind = kind;
    expect_ok(iotnet_zone_add(net, NULL, &z));
}

static void add_iface(iotnet_index node, const char *name, const char *cidr)
{
    iotnet_interface i = IOTNET_INTERFACE_INIT;
    i.name = name;
    expect_ok(iotnet_ipv4_parse(&i.ipv4, &i.prefix_len, cidr));
    expect_ok(iotnet_interface_add(net, node, &i));
}

static void add_link(const char *id, const char *a, const char *a_if, const char *b)
{
    iotnet_link_spec l = IOTNET_LINK_SPEC_INIT;
    l.id = id;
    l.a = a;
    l.a_interface = a_if;
    l.b = b;
    expect_ok(iotnet_link_add(net, NULL, &l));
}

/* A home: gateway with LAN, IoT and WAN interfaces, a camera, a phone, the Internet. */
static void setup(void)
{
    net = NULL;
    expect_ok(iotnet_net_new(&net));
    add_zone("lan", "home-lan");
    add_zone("iot", "iot-lan");
    add_zone("wan", "internet-zone");
    gw = add_node("gw", "home-router", "lan");
    cam = add_node("cam", "camera", "iot");
    phone = add_node("phone", "phone", "lan");
    inet = add_node("internet", "internet", "wan");
    add_iface(gw, "lan0", "192.168.1.1/24");
    add_iface(gw, "iot0", "192.168.2.1/24");
    add_iface(gw, "wan0", "203.0.113.2/30");
    add_iface(cam, "eth0", "192.168.2.20/24");
    add_link("gw-cam", "gw", "iot0", "cam");
    add_link("gw-phone", "gw", "lan0", "phone");
    add_link("gw-inet", "gw", "wan0", "internet");
}

static void teardown(void)
{
    iotnet_net_free(net);
    net = NULL;
}

TestSuite(policy, .init = setup, .fini = teardown);

static iotnet_rule rule_named(const char *name)
{
    iotnet_rule r = IOTNET_RULE_INIT;
    r.name = name;
    return r;
}

/* ---- default action ------------------------------------------------ */

Test(policy, set_and_get_default)
{
    iotnet_action a;
    cr_assert_not(iotnet_policy_exists(net, gw));
    expect_error(iotnet_policy_get_default(net, gw, &a), IOTNET_ENOTFOUND, "gw");
    expect_ok(iotnet_policy_set_default(net, gw, IOTNET_ACTION_DROP));
    cr_assert(iotnet_policy_exists(net, gw));
    expect_ok(iotnet_policy_get_default(net, gw, &a));
    cr_assert_eq(a, IOTNET_ACTION_DROP);
    expect_ok(iotnet_policy_set_default(net, gw, IOTNET_ACTION_ACCEPT));
    expect_ok(iotnet_policy_get_default(net, gw, &a));
    cr_assert_eq(a, IOTNET_ACTION_ACCEPT);
    expect_ok(iotnet_policy_set_default(net, gw, IOTNET_ACTION_REJECT));
    expect_ok(iotnet_policy_get_default(net, gw, &a));
    cr_assert_eq(a, IOTNET_ACTION_REJECT);
    cr_assert_not(iotnet_policy_exists(net, cam), "policies are per node");
    cr_assert_eq(iotnet_policy_rule_count(net, gw), 0);
}

Test(policy, bad_default_changes_nothing)
{
    iotnet_action a;
    cr_assert_eq(iotnet_policy_set_default(net, gw, (iotnet_action)0), IOTNET_EINVAL);
    cr_assert_not(iotnet_policy_exists(net, gw), "a refused default creates no policy");
    expect_ok(iotnet_policy_set_default(net, gw, IOTNET_ACTION_DROP));
    cr_assert_eq(iotnet_policy_set_default(net, gw, (iotnet_action)99), IOTNET_EINVAL);
    expect_ok(iotnet_policy_get_default(net, gw, &a));
    cr_assert_eq(a, IOTNET_ACTION_DROP);
    cr_assert_eq(iotnet_policy_set_default(net, 999, IOTNET_ACTION_DROP), IOTNET_ENOTFOUND);
    cr_assert_eq(iotnet_policy_set_default(NULL, gw, IOTNET_ACTION_DROP), IOTNET_EINVAL);
    cr_expect_eq(iotnet_policy_get_default(net, gw, NULL), IOTNET_EINVAL);
    cr_assert_not(iotnet_policy_exists(NULL, gw));
    cr_assert_not(iotnet_policy_exists(net, 999));
}

Test(policy, changing_the_default_keeps_the_rules)
{
    iotnet_rule r = rule_named("allow-all");
    expect_ok(iotnet_policy_add_rule(net, gw, &r));
    expect_ok(iotnet_policy_set_default(net, gw, IOTNET_ACTION_REJECT));
    cr_assert_eq(iotnet_policy_rule_count(net, gw), 1);
}

/* ---- rules ---------------------------------------------------------- */

Test(policy, add_rule_creates_a_drop_by_default_policy)
{
    iotnet_rule r = rule_named("allow-phone");
    r.from = (iotnet_selector){IOTNET_SELECT_NODE, "phone"};
    expect_ok(iotnet_policy_add_rule(net, gw, &r));
    cr_assert(iotnet_policy_exists(net, gw));
    iotnet_action a;
    expect_ok(iotnet_policy_get_default(net, gw, &a));
    cr_assert_eq(a, IOTNET_ACTION_DROP);
    cr_assert_eq(iotnet_policy_rule_count(net, gw), 1);
}

Test(policy, rule_fields_round_trip)
{
    char name[16] = "rtsp-in", desc[32] = "phone watches the camera";
    iotnet_rule r = IOTNET_RULE_INIT, got;
    r.name = name;
    r.from = (iotnet_selector){IOTNET_SELECT_ZONE, "lan"};
    r.to = (iotnet_selector){IOTNET_SELECT_NODE, "cam"};
    r.protocol = IOTNET_PROTO_TCP;
    r.port_lo = 554;
    r.port_hi = 555;
    r.initiated_by = IOTNET_INITIATED_FROM;
    r.action = IOTNET_ACTION_ACCEPT;
    r.description = desc;
    expect_ok(iotnet_policy_add_rule(net, gw, &r));
    strcpy(name, "changed");
    strcpy(desc, "changed");
    memset(&got, 0, sizeof got);
    expect_ok(iotnet_policy_get_rule(net, gw, 0, &got));
    cr_assert_str_eq(got.name, "rtsp-in");
    cr_assert_eq(got.from.type, IOTNET_SELECT_ZONE);
    cr_assert_str_eq(got.from.value, "lan");
    cr_assert_eq(got.to.type, IOTNET_SELECT_NODE);
    cr_assert_str_eq(got.to.value, "cam");
    cr_assert_eq(got.protocol, IOTNET_PROTO_TCP);
    cr_assert_eq(got.port_lo, 554);
    cr_assert_eq(got.port_hi, 555);
    cr_assert_eq(got.initiated_by, IOTNET_INITIATED_FROM);
    cr_assert_eq(got.action, IOTNET_ACTION_ACCEPT);
    cr_assert_str_eq(got.description, "phone watches the camera");
}

/* Parameters are copied into the test process: strings are held inline,
 * "" standing for NULL. */
typedef struct selector_case {
    iotnet_selector_type type;
    char value[32];
} selector_case;

static const char *or_null(const char *s)
{
    return s[0] ? s : NULL;
}

ParameterizedTestParameters(policy, every_selector_type)
{
    static selector_case cases[] = {
        {IOTNET_SELECT_ANY, ""},
        {IOTNET_SELECT_ZONE, "iot"},
        {IOTNET_SELECT_NODE, "cam"},
        {IOTNET_SELECT_KIND, "iot-device"},
        {IOTNET_SELECT_KIND, "camera"},
        {IOTNET_SELECT_CIDR, "192.168.2.0/24"},
        {IOTNET_SELECT_CIDR, "0.0.0.0/0"},
        {IOTNET_SELECT_CIDR, "192.168.2.20/32"},
        {IOTNET_SELECT_INTERNET, ""},
    };
    return cr_make_param_array(selector_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(selector_case *p, policy, every_selector_type)
{
    iotnet_selector sel = {p->type, or_null(p->value)};
    iotnet_rule out = rule_named("outbound"), in = rule_named("inbound"), got;
    out.from = sel;
    in.to = sel;
    in.action = IOTNET_ACTION_DROP;
    expect_ok(iotnet_policy_add_rule(net, gw, &out));
    expect_ok(iotnet_policy_add_rule(net, gw, &in));
    expect_ok(iotnet_policy_get_rule(net, gw, 0, &got));
    cr_assert_eq(got.from.type, p->type);
    cr_assert_eq(got.to.type, IOTNET_SELECT_ANY);
    if (p->value[0])
        cr_assert_str_eq(got.from.value, p->value);
    expect_ok(iotnet_policy_get_rule(net, gw, 1, &got));
    cr_assert_eq(got.to.type, p->type);
    cr_assert_eq(got.from.type, IOTNET_SELECT_ANY);
    cr_assert_eq(got.action, IOTNET_ACTION_DROP);
    if (p->value[0])
        cr_assert_str_eq(got.to.value, p->value);
}

Test(policy, rule_names_are_unique_per_policy)
{
    iotnet_rule r = rule_named("r1");
    expect_ok(iotnet_policy_add_rule(net, gw, &r));
    r.action = IOTNET_ACTION_DROP;
    expect_error(iotnet_policy_add_rule(net, gw, &r), IOTNET_EEXISTS, "r1");
    cr_assert_eq(iotnet_policy_rule_count(net, gw), 1);
    iotnet_rule got;
    expect_ok(iotnet_policy_get_rule(net, gw, 0, &got));
    cr_assert_eq(got.action, IOTNET_ACTION_ACCEPT);
    /* the same name in another node's policy is fine */
    expect_ok(iotnet_policy_add_rule(net, cam, &r));
}

Test(policy, rule_order_is_kept)
{
    const char *names[] = {"first", "second", "third", "fourth", "fifth"};
    for (int i = 0; i < 5; i++) {
        iotnet_rule r = rule_named(names[i]);
        r.port_lo = r.port_hi = (uint16_t)(1000 + i);
        r.protocol = IOTNET_PROTO_UDP;
        expect_ok(iotnet_policy_add_rule(net, gw, &r));
    }
    cr_assert_eq(iotnet_policy_rule_count(net, gw), 5);
    for (int i = 0; i < 5; i++) {
        iotnet_rule got;
        expect_ok(iotnet_policy_get_rule(net, gw, (size_t)i, &got));
        cr_assert_str_eq(got.name, names[i]);
        cr_assert_eq(got.port_lo, 1000 + i);
    }
    iotnet_rule got;
    cr_assert_eq(iotnet_policy_get_rule(net, gw, 5, &got), IOTNET_ENOTFOUND);
    cr_assert_eq(iotnet_policy_get_rule(net, cam, 0, &got), IOTNET_ENOTFOUND);
}

typedef struct unknown_ref {
    iotnet_selector_type type;
    char value[32];
    int code;
} unknown_ref;

ParameterizedTestParameters(policy, selector_must_name_something_that_exists)
{
    static unknown_ref cases[] = {
        {IOTNET_SELECT_ZONE, "dungeon", IOTNET_ENOTFOUND},
        {IOTNET_SELECT_NODE, "toaster", IOTNET_ENOTFOUND},
        {IOTNET_SELECT_KIND, "hovercraft", IOTNET_EKIND},
        {IOTNET_SELECT_KIND, "home-lan", IOTNET_EKIND}, /* a zone kind */
    };
    return cr_make_param_array(unknown_ref, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(unknown_ref *p, policy, selector_must_name_something_that_exists)
{
    iotnet_rule r = rule_named("r");
    r.to = (iotnet_selector){p->type, p->value};
    expect_error(iotnet_policy_add_rule(net, gw, &r), p->code, p->value);
    cr_assert_not(iotnet_policy_exists(net, gw), "a refused first rule creates no policy");
    r.to = (iotnet_selector){IOTNET_SELECT_ANY, NULL};
    r.from = (iotnet_selector){p->type, p->value};
    expect_error(iotnet_policy_add_rule(net, gw, &r), p->code, p->value);
    cr_assert_eq(iotnet_policy_rule_count(net, gw), 0);
}

typedef struct invalid_rule {
    char why[32];
    iotnet_selector_type type;
    char value[32];
    uint16_t lo, hi;
    int action;
    int protocol;
} invalid_rule;

ParameterizedTestParameters(policy, invalid_rules_are_refused)
{
    static invalid_rule cases[] = {
        {"prefix too long", IOTNET_SELECT_CIDR, "10.0.0.0/33", 0, 0, IOTNET_ACTION_ACCEPT, 0},
        {"three octets", IOTNET_SELECT_CIDR, "10.0.0/8", 0, 0, IOTNET_ACTION_ACCEPT, 0},
        {"not an address", IOTNET_SELECT_CIDR, "lan", 0, 0, IOTNET_ACTION_ACCEPT, 0},
        {"octet too big", IOTNET_SELECT_CIDR, "300.0.0.0/8", 0, 0, IOTNET_ACTION_ACCEPT, 0},
        {"no CIDR", IOTNET_SELECT_CIDR, "", 0, 0, IOTNET_ACTION_ACCEPT, 0},
        {"no zone", IOTNET_SELECT_ZONE, "", 0, 0, IOTNET_ACTION_ACCEPT, 0},
        {"no node", IOTNET_SELECT_NODE, "", 0, 0, IOTNET_ACTION_ACCEPT, 0},
        {"no kind", IOTNET_SELECT_KIND, "", 0, 0, IOTNET_ACTION_ACCEPT, 0},
        {"unknown selector", (iotnet_selector_type)17, "x", 0, 0, IOTNET_ACTION_ACCEPT, 0},
        {"ports reversed", IOTNET_SELECT_ANY, "", 443, 80, IOTNET_ACTION_ACCEPT, 6},
        {"no action", IOTNET_SELECT_ANY, "", 0, 0, 0, 0},
        {"unknown action", IOTNET_SELECT_ANY, "", 0, 0, 12, 0},
        {"unknown protocol", IOTNET_SELECT_ANY, "", 0, 0, IOTNET_ACTION_ACCEPT, 99},
    };
    return cr_make_param_array(invalid_rule, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(invalid_rule *p, policy, invalid_rules_are_refused)
{
    expect_ok(iotnet_policy_set_default(net, gw, IOTNET_ACTION_DROP));
    iotnet_rule r = rule_named("bad");
    r.from = (iotnet_selector){p->type, or_null(p->value)};
    r.port_lo = p->lo;
    r.port_hi = p->hi;
    r.action = (iotnet_action)p->action;
    r.protocol = p->protocol;
    int rc = iotnet_policy_add_rule(net, gw, &r);
    cr_assert_eq(rc, IOTNET_EINVAL, "%s: %d (%s)", p->why, rc, iotnet_error_last()->message);
    cr_assert_eq(iotnet_policy_rule_count(net, gw), 0);
    /* the name was not taken */
    iotnet_rule ok = rule_named("bad");
    expect_ok(iotnet_policy_add_rule(net, gw, &ok));
}

Test(policy, rule_needs_a_name_and_a_node)
{
    iotnet_rule r = IOTNET_RULE_INIT;
    cr_assert_eq(iotnet_policy_add_rule(net, gw, &r), IOTNET_EINVAL);
    r.name = "";
    cr_assert_eq(iotnet_policy_add_rule(net, gw, &r), IOTNET_EINVAL);
    r.name = "r";
    cr_assert_eq(iotnet_policy_add_rule(net, 999, &r), IOTNET_ENOTFOUND);
    cr_assert_eq(iotnet_policy_add_rule(net, gw, NULL), IOTNET_EINVAL);
    cr_assert_eq(iotnet_policy_add_rule(NULL, gw, &r), IOTNET_EINVAL);
    cr_assert_not(iotnet_policy_exists(net, gw));
    expect_ok(iotnet_policy_add_rule(net, gw, &r));
    cr_assert_eq(iotnet_policy_get_rule(net, gw, 0, NULL), IOTNET_EINVAL);
    cr_assert_eq(iotnet_policy_rule_count(NULL, gw), 0);
}

Test(policy, single_port_and_any_port_ranges)
{
    iotnet_rule r = rule_named("one-port"), got;
    r.protocol = IOTNET_PROTO_TCP;
    r.port_lo = 8443;
    r.port_hi = 8443;
    expect_ok(iotnet_policy_add_rule(net, gw, &r));
    r = rule_named("all-ports");
    r.protocol = IOTNET_PROTO_UDP;
    expect_ok(iotnet_policy_add_rule(net, gw, &r));
    r = rule_named("full-range");
    r.protocol = IOTNET_PROTO_TCP;
    r.port_lo = 1;
    r.port_hi = 65535;
    expect_ok(iotnet_policy_add_rule(net, gw, &r));
    expect_ok(iotnet_policy_get_rule(net, gw, 1, &got));
    cr_assert_eq(got.port_lo, 0);
    cr_assert_eq(got.port_hi, 0);
    expect_ok(iotnet_policy_get_rule(net, gw, 2, &got));
    cr_assert_eq(got.port_hi, 65535);
}

Test(policy, kind_selector_accepts_user_kinds)
{
    expect_ok(iotnet_kind_add(net, NULL, "baby-monitor", "camera"));
    iotnet_rule r = rule_named("monitors");
    r.from = (iotnet_selector){IOTNET_SELECT_KIND, "baby-monitor"};
    expect_ok(iotnet_policy_add_rule(net, gw, &r));
}

Test(policy, policy_remove)
{
    iotnet_rule r = rule_named("r1");
    expect_ok(iotnet_policy_add_rule(net, gw, &r));
    r.name = "r2";
    expect_ok(iotnet_policy_add_rule(net, gw, &r));
    expect_ok(iotnet_policy_remove(net, gw));
    cr_assert_not(iotnet_policy_exists(net, gw));
    cr_assert_eq(iotnet_policy_rule_count(net, gw), 0);
    iotnet_action a;
    cr_assert_eq(iotnet_policy_get_default(net, gw, &a), IOTNET_ENOTFOUND);
    expect_error(iotnet_policy_remove(net, gw), IOTNET_ENOTFOUND, "gw");
    /* a new policy starts empty; old rule names are free */
    expect_ok(iotnet_policy_add_rule(net, gw, &r));
    cr_assert_eq(iotnet_policy_rule_count(net, gw), 1);
}

/* ---- NAT44 ---------------------------------------------------------- */

static iotnet_nat home_nat(void)
{
    iotnet_nat n = IOTNET_NAT_INIT;
    n.inside = "lan0 iot0";
    n.outside = "wan0";
    return n;
}

static void add_forward(const char *name, uint16_t port, const char *to)
{
    iotnet_port_forward f = IOTNET_PORT_FORWARD_INIT;
    f.name = name;
    f.external_port = port;
    f.to_node = to;
    expect_ok(iotnet_nat_add_forward(net, gw, &f));
}

Test(policy, nat_set_get)
{
    iotnet_nat n = home_nat(), got;
    expect_error(iotnet_nat_get(net, gw, &got), IOTNET_ENOTFOUND, "gw");
    n.mapping = IOTNET_NAT_MAPPING_APD;
    n.filtering = IOTNET_NAT_FILTER_EI;
    n.hairpinning = true;
    n.upnp = true;
    n.pcp = false;
    n.cgnat = false;
    expect_ok(iotnet_nat_set(net, gw, &n));
    expect_ok(iotnet_nat_get(net, gw, &got));
    cr_assert_str_eq(got.inside, "lan0 iot0");
    cr_assert_str_eq(got.outside, "wan0");
    cr_assert_eq(got.mapping, IOTNET_NAT_MAPPING_APD);
    cr_assert_eq(got.filtering, IOTNET_NAT_FILTER_EI);
    cr_assert_eq(got.hairpinning, true);
    cr_assert_eq(got.upnp, true);
    cr_assert_eq(got.pcp, false);
    cr_assert_eq(got.cgnat, false);
    cr_assert_eq(iotnet_nat_forward_count(net, gw), 0);
}

Test(policy, nat_init_defaults)
{
    iotnet_nat n = home_nat(), got;
    expect_ok(iotnet_nat_set(net, gw, &n));
    expect_ok(iotnet_nat_get(net, gw, &got));
    cr_assert_eq(got.mapping, IOTNET_NAT_MAPPING_EI);
    cr_assert_eq(got.filtering, IOTNET_NAT_FILTER_APD);
    cr_assert_not(got.hairpinning || got.upnp || got.pcp || got.cgnat);
}

Test(policy, nat_interfaces_must_exist_on_the_node)
{
    iotnet_nat n = home_nat(), got;
    n.inside = "lan0 lan9";
    expect_error(iotnet_nat_set(net, gw, &n), IOTNET_ENOTFOUND, "lan9");
    n.inside = "lan0";
    n.outside = "ppp0";
    expect_error(iotnet_nat_set(net, gw, &n), IOTNET_ENOTFOUND, "ppp0");
    n.outside = "eth0"; /* exists, but on the camera */
    expect_error(iotnet_nat_set(net, gw, &n), IOTNET_ENOTFOUND, "eth0");
    cr_assert_eq(iotnet_nat_get(net, gw, &got), IOTNET_ENOTFOUND, "nothing was configured");
}

Test(policy, nat_needs_inside_and_outside)
{
    iotnet_nat n = home_nat(), got;
    n.inside = NULL;
    cr_assert_eq(iotnet_nat_set(net, gw, &n), IOTNET_EINVAL);
    n.inside = "";
    cr_assert_eq(iotnet_nat_set(net, gw, &n), IOTNET_EINVAL);
    n.inside = "lan0";
    n.outside = NULL;
    cr_assert_eq(iotnet_nat_set(net, gw, &n), IOTNET_EINVAL);
    n.outside = "wan0";
    n.mapping = (iotnet_nat_mapping)9;
    cr_assert_eq(iotnet_nat_set(net, gw, &n), IOTNET_EINVAL);
    n.mapping = IOTNET_NAT_MAPPING_EI;
    n.filtering = (iotnet_nat_filtering)0;
    cr_assert_eq(iotnet_nat_set(net, gw, &n), IOTNET_EINVAL);
    cr_assert_eq(iotnet_nat_set(net, gw, NULL), IOTNET_EINVAL);
    cr_assert_eq(iotnet_nat_set(net, 999, &n), IOTNET_ENOTFOUND);
    cr_assert_eq(iotnet_nat_get(net, gw, &got), IOTNET_ENOTFOUND);
    n = home_nat();
    expect_ok(iotnet_nat_set(net, gw, &n));
    cr_assert_eq(iotnet_nat_get(net, gw, NULL), IOTNET_EINVAL);
}

Test(policy, failed_nat_set_keeps_the_previous_configuration)
{
    iotnet_nat n = home_nat(), got;
    expect_ok(iotnet_nat_set(net, gw, &n));
    n.outside = "ppp0";
    n.hairpinning = true;
    cr_assert_eq(iotnet_nat_set(net, gw, &n), IOTNET_ENOTFOUND);
    expect_ok(iotnet_nat_get(net, gw, &got));
    cr_assert_str_eq(got.outside, "wan0");
    cr_assert_eq(got.hairpinning, false);
}

Test(policy, nat_remove)
{
    iotnet_nat n = home_nat(), got;
    expect_ok(iotnet_nat_set(net, gw, &n));
    add_forward("cam-rtsp", 8554, "cam");
    expect_ok(iotnet_nat_remove(net, gw));
    cr_assert_eq(iotnet_nat_get(net, gw, &got), IOTNET_ENOTFOUND);
    cr_assert_eq(iotnet_nat_forward_count(net, gw), 0);
    cr_assert_eq(iotnet_nat_remove(net, gw), IOTNET_ENOTFOUND);
    /* a new NAT starts without the old forwards */
    expect_ok(iotnet_nat_set(net, gw, &n));
    cr_assert_eq(iotnet_nat_forward_count(net, gw), 0);
    add_forward("cam-rtsp", 8554, "cam");
}

Test(policy, port_forwards_round_trip_in_order)
{
    iotnet_nat n = home_nat();
    expect_ok(iotnet_nat_set(net, gw, &n));
    iotnet_port_forward f = IOTNET_PORT_FORWARD_INIT, got;
    f.name = "cam-rtsp";
    f.protocol = IOTNET_PROTO_TCP;
    f.external_port = 8554;
    f.to_node = "cam";
    f.internal_port = 554;
    expect_ok(iotnet_nat_add_forward(net, gw, &f));
    f.name = "game";
    f.protocol = IOTNET_PROTO_UDP;
    f.external_port = 3074;
    f.to_node = "phone";
    f.internal_port = 0;
    expect_ok(iotnet_nat_add_forward(net, gw, &f));
    cr_assert_eq(iotnet_nat_forward_count(net, gw), 2);

    expect_ok(iotnet_nat_get_forward(net, gw, 0, &got));
    cr_assert_str_eq(got.name, "cam-rtsp");
    cr_assert_eq(got.protocol, IOTNET_PROTO_TCP);
    cr_assert_eq(got.external_port, 8554);
    cr_assert_str_eq(got.to_node, "cam");
    cr_assert_eq(got.internal_port, 554);
    expect_ok(iotnet_nat_get_forward(net, gw, 1, &got));
    cr_assert_str_eq(got.name, "game");
    cr_assert_eq(got.protocol, IOTNET_PROTO_UDP);
    cr_assert_str_eq(got.to_node, "phone");
    cr_assert(got.internal_port == 0 || got.internal_port == 3074,
              "internal port 0 means the external one (got %u)", got.internal_port);
    cr_assert_eq(iotnet_nat_get_forward(net, gw, 2, &got), IOTNET_ENOTFOUND);
}

Test(policy, port_forward_refusals)
{
    iotnet_nat n = home_nat();
    iotnet_port_forward f = IOTNET_PORT_FORWARD_INIT;
    f.name = "fwd";
    f.external_port = 8080;
    f.to_node = "cam";
    cr_assert_eq(iotnet_nat_add_forward(net, gw, &f), IOTNET_ENOTFOUND, "no NAT on gw yet");
    expect_ok(iotnet_nat_set(net, gw, &n));
    expect_ok(iotnet_nat_add_forward(net, gw, &f));

    f.external_port = 8081;
    expect_error(iotnet_nat_add_forward(net, gw, &f), IOTNET_EEXISTS, "fwd");
    f.name = "ghost";
    f.to_node = "nas";
    expect_error(iotnet_nat_add_forward(net, gw, &f), IOTNET_ENOTFOUND, "nas");
    f.to_node = "cam";
    f.external_port = 0;
    cr_assert_eq(iotnet_nat_add_forward(net, gw, &f), IOTNET_EINVAL);
    f.external_port = 80;
    f.to_node = NULL;
    cr_assert_eq(iotnet_nat_add_forward(net, gw, &f), IOTNET_EINVAL);
    f.to_node = "cam";
    f.name = NULL;
    cr_assert_eq(iotnet_nat_add_forward(net, gw, &f), IOTNET_EINVAL);
    f.name = "icmp";
    f.protocol = IOTNET_PROTO_ICMP;
    cr_expect_eq(iotnet_nat_add_forward(net, gw, &f), IOTNET_EINVAL,
                 "forwards are TCP, UDP or ANY");
    cr_assert_eq(iotnet_nat_add_forward(net, gw, NULL), IOTNET_EINVAL);
    cr_assert_eq(iotnet_nat_forward_count(net, gw), 1);
    iotnet_port_forward got;
    expect_ok(iotnet_nat_get_forward(net, gw, 0, &got));
    cr_assert_eq(got.external_port, 8080, "refusals left the forward alone");
}

Test(policy, nat_set_again_keeps_forwards)
{
    iotnet_nat n = home_nat(), got;
    expect_ok(iotnet_nat_set(net, gw, &n));
    add_forward("cam-rtsp", 8554, "cam");
    add_forward("phone-ssh", 2222, "phone");
    n.inside = "iot0";
    n.filtering = IOTNET_NAT_FILTER_EI;
    n.upnp = true;
    expect_ok(iotnet_nat_set(net, gw, &n));
    expect_ok(iotnet_nat_get(net, gw, &got));
    cr_assert_str_eq(got.inside, "iot0");
    cr_assert_eq(got.filtering, IOTNET_NAT_FILTER_EI);
    cr_assert_eq(got.upnp, true);
    cr_assert_eq(iotnet_nat_forward_count(net, gw), 2);
    iotnet_port_forward f;
    expect_ok(iotnet_nat_get_forward(net, gw, 1, &f));
    cr_assert_str_eq(f.name, "phone-ssh");
}

/* ---- references between elements ----------------------------------- */

Test(policy, node_named_by_a_rule_elsewhere_is_in_use)
{
    iotnet_rule r = rule_named("to-cam");
    r.to = (iotnet_selector){IOTNET_SELECT_NODE, "cam"};
    expect_ok(iotnet_policy_add_rule(net, gw, &r));
    expect_error(iotnet_node_remove(net, cam), IOTNET_EINUSE, "cam");
    iotnet_index found;
    expect_ok(iotnet_node_find(net, &found, "cam"));
    cr_assert_eq(iotnet_link_count(net), 3, "the refused removal kept the links");
    cr_assert_eq(iotnet_interface_count(net, cam), 1);
    expect_ok(iotnet_policy_remove(net, gw));
    expect_ok(iotnet_node_remove(net, cam));
}

Test(policy, node_named_by_a_port_forward_is_in_use)
{
    iotnet_nat n = home_nat();
    expect_ok(iotnet_nat_set(net, gw, &n));
    add_forward("cam-rtsp", 8554, "cam");
    expect_error(iotnet_node_remove(net, cam), IOTNET_EINUSE, "cam");
    cr_assert_eq(iotnet_node_count(net), 4);
    expect_ok(iotnet_nat_remove(net, gw));
    expect_ok(iotnet_node_remove(net, cam));
}

Test(policy, node_named_only_by_its_own_policy_can_go)
{
    iotnet_rule r = rule_named("to-self");
    r.to = (iotnet_selector){IOTNET_SELECT_NODE, "gw"};
    expect_ok(iotnet_policy_add_rule(net, gw, &r));
    iotnet_nat n = home_nat();
    expect_ok(iotnet_nat_set(net, gw, &n));
    expect_ok(iotnet_node_remove(net, gw));
    cr_assert_not(iotnet_policy_exists(net, gw));
    iotnet_nat got;
    cr_assert_eq(iotnet_nat_get(net, gw, &got), IOTNET_ENOTFOUND);
    cr_assert_eq(iotnet_link_count(net), 0);
}

Test(policy, zone_named_by_a_rule_is_in_use)
{
    add_zone("guest", "guest-lan");
    iotnet_index guest;
    expect_ok(iotnet_zone_find(net, &guest, "guest"));
    iotnet_rule r = rule_named("guests-out");
    r.from = (iotnet_selector){IOTNET_SELECT_ZONE, "guest"};
    r.to = (iotnet_selector){IOTNET_SELECT_INTERNET, NULL};
    expect_ok(iotnet_policy_add_rule(net, gw, &r));
    expect_error(iotnet_zone_remove(net, guest), IOTNET_EINUSE, "guest");
    expect_ok(iotnet_policy_remove(net, gw));
    expect_ok(iotnet_zone_remove(net, guest));
}

Test(policy, interface_named_by_nat_is_in_use)
{
    iotnet_nat n = home_nat();
    /* detach the WAN link so that only the NAT names wan0 */
    iotnet_index l;
    expect_ok(iotnet_link_find(net, &l, "gw-inet"));
    expect_ok(iotnet_link_remove(net, l));
    expect_ok(iotnet_nat_set(net, gw, &n));
    expect_error(iotnet_interface_remove(net, gw, "wan0"), IOTNET_EINUSE, "wan0");
    expect_ok(iotnet_nat_remove(net, gw));
    expect_ok(iotnet_interface_remove(net, gw, "wan0"));
}

Test(policy, removing_the_enforcing_node_frees_what_it_named)
{
    /* a rule and a forward on gw name cam; once gw is gone, cam can go */
    iotnet_rule r = rule_named("to-cam");
    r.to = (iotnet_selector){IOTNET_SELECT_NODE, "cam"};
    expect_ok(iotnet_policy_add_rule(net, gw, &r));
    iotnet_nat n = home_nat();
    expect_ok(iotnet_nat_set(net, gw, &n));
    add_forward("cam-rtsp", 8554, "cam");
    expect_ok(iotnet_node_remove(net, gw));
    expect_ok(iotnet_node_remove(net, cam));
    cr_assert_eq(iotnet_node_count(net), 2);
}
