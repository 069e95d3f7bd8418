/* The network model: zones, conduits, nodes, interfaces, services, lifecycle,
 * links, iteration, removal, equality and the failures a caller must see. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helpers.h"

static iotnet_net *net;
/* Second and third models of a test, and the last difference message: held
 * here so that the fixture frees them even when an assertion ends the test. */
static iotnet_net *aux[2];
static char *why;

static void setup(void)
{
    net = aux[0] = aux[1] = NULL;
    why = NULL;
    expect_ok(iotnet_net_new(&net));
    cr_assert_not_null(net);
}

static void teardown(void)
{
    iotnet_net_free(net);
    iotnet_net_free(aux[0]);
    iotnet_net_free(aux[1]);
    iotnet_string_free(why);
    net = aux[0] = aux[1] = NULL;
    why = NULL;
}

/* A new empty model in aux[slot]. */
static iotnet_net *new_aux(int slot)
{
    expect_ok(iotnet_net_new(&aux[slot]));
    return aux[slot];
}

/* Compare two models, keeping the reason in `why`. */
static int compare(const iotnet_net *a, const iotnet_net *b)
{
    iotnet_string_free(why);
    why = NULL;
    return iotnet_net_equal(a, b, &why);
}

TestSuite(net, .init = setup, .fini = teardown);

/* ---- builders (fail the test on error) ---------------------------- */

static iotnet_index zone_in(iotnet_net *n, const char *id, const char *kind)
{
    iotnet_zone_spec z = IOTNET_ZONE_SPEC_INIT;
    iotnet_index ix = IOTNET_NONE;
    z.id = id;
    z.kind = kind;
    expect_ok(iotnet_zone_add(n, &ix, &z));
    cr_assert_neq(ix, IOTNET_NONE);
    return ix;
}

static iotnet_index node_in(iotnet_net *n, const char *id, const char *kind, const char *zone)
{
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    iotnet_index ix = IOTNET_NONE;
    s.id = id;
    s.kind = kind;
    s.zone = zone;
    expect_ok(iotnet_node_add(n, &ix, &s));
    cr_assert_neq(ix, IOTNET_NONE);
    return ix;
}

static iotnet_index link_in(iotnet_net *n, const char *id, const char *a, const char *b)
{
    iotnet_link_spec l = IOTNET_LINK_SPEC_INIT;
    iotnet_index ix = IOTNET_NONE;
    l.id = id;
    l.a = a;
    l.b = b;
    expect_ok(iotnet_link_add(n, &ix, &l));
    cr_assert_neq(ix, IOTNET_NONE);
    return ix;
}

static void iface_in(iotnet_net *n, iotnet_index node, const char *name, const char *cidr)
{
    iotnet_interface i = IOTNET_INTERFACE_INIT;
    i.name = name;
    if (cidr)
        expect_ok(iotnet_ipv4_parse(&i.ipv4, &i.prefix_len, cidr));
    expect_ok(iotnet_interface_add(n, node, &i));
}

static iotnet_index add_zone(const char *id, const char *kind)
{
    return zone_in(net, id, kind);
}
static iotnet_index add_node(const char *id, const char *kind, const char *zone_id)
{
    return node_in(net, id, kind, zone_id);
}
static iotnet_index add_link(const char *id, const char *a, const char *b)
{
    return link_in(net, id, a, b);
}

/* How many times `ix` occurs when walking a table with `next`. */
typedef iotnet_index (*next_fn)(const iotnet_net *, iotnet_index);

static size_t walk_count(next_fn next, size_t *visits, size_t nvisits)
{
    size_t steps = 0;
    for (iotnet_index i = next(net, IOTNET_NONE); i != IOTNET_NONE; i = next(net, i)) {
        cr_assert_lt(i, nvisits, "iteration returned index %u beyond the table", i);
        visits[i]++;
        cr_assert_lt(++steps, 100000, "iteration does not end");
    }
    return steps;
}

/* ---- model name and initialisers ---------------------------------- */

Test(net, new_model_is_empty)
{
    cr_assert_eq(iotnet_zone_count(net), 0);
    cr_assert_eq(iotnet_conduit_count(net), 0);
    cr_assert_eq(iotnet_node_count(net), 0);
    cr_assert_eq(iotnet_link_count(net), 0);
    cr_assert_eq(iotnet_node_next(net, IOTNET_NONE), IOTNET_NONE);
    cr_assert_eq(iotnet_zone_next(net, IOTNET_NONE), IOTNET_NONE);
    cr_assert_eq(iotnet_conduit_next(net, IOTNET_NONE), IOTNET_NONE);
    cr_assert_eq(iotnet_link_next(net, IOTNET_NONE), IOTNET_NONE);
    cr_assert_null(iotnet_net_name(net));
}

Test(net, name_is_copied_and_can_be_cleared)
{
    char buf[16] = "my home";
    expect_ok(iotnet_net_set_name(net, buf));
    strcpy(buf, "changed");
    cr_assert_str_eq(iotnet_net_name(net), "my home");
    expect_ok(iotnet_net_set_name(net, "plant"));
    cr_assert_str_eq(iotnet_net_name(net), "plant");
    expect_ok(iotnet_net_set_name(net, NULL));
    cr_assert_null(iotnet_net_name(net));
}

Test(net, initialisers_give_valid_defaults)
{
    iotnet_zone_spec z = IOTNET_ZONE_SPEC_INIT;
    iotnet_node_spec n = IOTNET_NODE_SPEC_INIT;
    iotnet_link_spec l = IOTNET_LINK_SPEC_INIT;
    iotnet_conduit_spec c = IOTNET_CONDUIT_SPEC_INIT;
    iotnet_service s = IOTNET_SERVICE_INIT;
    iotnet_interface i = IOTNET_INTERFACE_INIT;
    iotnet_lifecycle lc = IOTNET_LIFECYCLE_INIT;
    iotnet_index zi, ni;

    z.id = "lan";
    z.kind = "home-lan";
    expect_ok(iotnet_zone_add(net, &zi, &z));
    memset(&z, 0xA5, sizeof z);
    expect_ok(iotnet_zone_get(net, zi, &z));
    cr_assert_lt(z.purdue_level, 0.0, "purdue level unset by default");
    cr_assert_eq(z.target_sl, 0);
    for (int fr = 0; fr < 7; fr++)
        cr_assert_eq(z.target_sl_fr[fr], 0);
    cr_assert_null(z.description);

    n.id = "cam";
    n.kind = "camera";
    expect_ok(iotnet_node_add(net, &ni, &n));
    cr_assert_eq(iotnet_node_zone(net, ni), IOTNET_NONE);
    memset(&n, 0xA5, sizeof n);
    expect_ok(iotnet_node_get(net, ni, &n));
    cr_assert_null(n.zone);
    cr_assert_null(n.vendor);
    cr_assert_null(n.mud_url);

    add_node("gw", "home-router", "lan");
    l.id = "l1";
    l.a = "cam";
    l.b = "gw";
    iotnet_index li;
    expect_ok(iotnet_link_add(net, &li, &l));
    memset(&l, 0xA5, sizeof l);
    expect_ok(iotnet_link_get(net, li, &l));
    cr_assert_eq(l.medium, IOTNET_MEDIUM_UNSPECIFIED);
    cr_assert_lt(l.latency_ms, 0.0, "latency unset by default");
    cr_assert_eq(l.encryption, IOTNET_LINKENC_UNSPECIFIED);
    cr_assert_null(l.a_interface);
    cr_assert_null(l.b_interface);

    c.id = "c1";
    c.from_zone = "lan";
    c.to_zone = "lan";
    expect_ok(iotnet_conduit_add(net, NULL, &c));

    s.name = "web";
    expect_ok(iotnet_service_add(net, ni, &s));
    memset(&s, 0xA5, sizeof s);
    expect_ok(iotnet_service_get(net, ni, 0, &s));
    cr_assert_eq(s.protocol, IOTNET_PROTO_TCP);
    cr_assert_eq(s.port, 0);
    cr_assert_eq(s.management, false);
    cr_assert_eq(s.nat_traversal, IOTNET_TRAVERSAL_NONE);

    i.name = "eth0";
    expect_ok(iotnet_interface_add(net, ni, &i));
    memset(&i, 0xA5, sizeof i);
    expect_ok(iotnet_interface_get(net, ni, 0, &i));
    cr_assert_eq(i.ipv4, 0);
    cr_assert_null(i.description);

    expect_ok(iotnet_lifecycle_set(net, ni, &lc));
    memset(&lc, 0xA5, sizeof lc);
    expect_ok(iotnet_lifecycle_get(net, ni, &lc));
    cr_assert_eq(lc.certificate_not_after, IOTNET_TIME_UNSET);
    cr_assert_eq(lc.signed_artifact_lifetime, IOTNET_TIME_UNSET);
    cr_assert_eq(lc.end_of_support, IOTNET_TIME_UNSET);
    cr_assert_null(lc.owner);
    cr_assert_eq(lc.ownership_statement, IOTNET_UNKNOWN);
}

/* ---- zones -------------------------------------------------------- */

Test(net, zone_fields_round_trip)
{
    iotnet_zone_spec z = IOTNET_ZONE_SPEC_INIT, got;
    iotnet_index ix, found;
    z.id = "dmz";
    z.kind = "industrial-dmz";
    z.description = "IT/OT boundary";
    z.purdue_level = 3.5;
    z.target_sl = 3;
    z.target_sl_fr[0] = 4;
    z.target_sl_fr[6] = 2;
    expect_ok(iotnet_zone_add(net, &ix, &z));
    expect_ok(iotnet_zone_find(net, &found, "dmz"));
    cr_assert_eq(found, ix);
    expect_ok(iotnet_zone_get(net, ix, &got));
    cr_assert_str_eq(got.id, "dmz");
    cr_assert_str_eq(got.kind, "industrial-dmz");
    cr_assert_str_eq(got.description, "IT/OT boundary");
    cr_assert_float_eq(got.purdue_level, 3.5, 1e-9);
    cr_assert_eq(got.target_sl, 3);
    cr_assert_eq(got.target_sl_fr[0], 4);
    cr_assert_eq(got.target_sl_fr[1], 0);
    cr_assert_eq(got.target_sl_fr[6], 2);
    cr_assert_eq(iotnet_zone_count(net), 1);
}

Test(net, zone_strings_are_copied)
{
    char id[8] = "lan", kind[16] = "home-lan", desc[16] = "first floor";
    iotnet_zone_spec z = IOTNET_ZONE_SPEC_INIT, got;
    iotnet_index ix;
    z.id = id;
    z.kind = kind;
    z.description = desc;
    expect_ok(iotnet_zone_add(net, &ix, &z));
    memset(id, 'x', sizeof id - 1);
    memset(kind, 'x', sizeof kind - 1);
    memset(desc, 'x', sizeof desc - 1);
    expect_ok(iotnet_zone_get(net, ix, &got));
    cr_assert_str_eq(got.id, "lan");
    cr_assert_str_eq(got.kind, "home-lan");
    cr_assert_str_eq(got.description, "first floor");
}

Test(net, zone_duplicate_id_fails_and_names_it)
{
    add_zone("plant-floor", "control");
    iotnet_zone_spec z = IOTNET_ZONE_SPEC_INIT;
    z.id = "plant-floor";
    z.kind = "field";
    expect_error(iotnet_zone_add(net, NULL, &z), IOTNET_EEXISTS, "plant-floor");
    cr_assert_eq(iotnet_zone_count(net), 1);
    iotnet_zone_spec got;
    iotnet_index ix;
    expect_ok(iotnet_zone_find(net, &ix, "plant-floor"));
    expect_ok(iotnet_zone_get(net, ix, &got));
    cr_assert_str_eq(got.kind, "control", "the failed add must not touch the existing zone");
}

Test(net, zone_unknown_or_node_kind_fails)
{
    iotnet_zone_spec z = IOTNET_ZONE_SPEC_INIT;
    z.id = "z";
    z.kind = "moon-base";
    expect_error(iotnet_zone_add(net, NULL, &z), IOTNET_EKIND, "moon-base");
    z.kind = "camera";
    expect_error(iotnet_zone_add(net, NULL, &z), IOTNET_EKIND, "camera");
    cr_assert_eq(iotnet_zone_count(net), 0);
    iotnet_index ix;
    cr_assert_eq(iotnet_zone_find(net, &ix, "z"), IOTNET_ENOTFOUND);
    z.kind = "home-lan";
    expect_ok(iotnet_zone_add(net, NULL, &z));
}

Test(net, zone_missing_fields_are_invalid)
{
    iotnet_zone_spec z = IOTNET_ZONE_SPEC_INIT;
    z.kind = "home-lan";
    cr_assert_eq(iotnet_zone_add(net, NULL, &z), IOTNET_EINVAL);
    z.id = "lan";
    z.kind = NULL;
    cr_assert_eq(iotnet_zone_add(net, NULL, &z), IOTNET_EINVAL);
    cr_assert_eq(iotnet_zone_count(net), 0);
}

/* Text a YANG string cannot hold would make a model that saves but never
   loads, and would be written as '?' by every export, where two ids could
   then look alike. */
Test(net, ids_must_be_utf8_without_control_characters)
{
    static const char *const bad[] = {"cam\x01", "cam\x1b[31m", "cam\x7f", "cam\xff", "cam\xc3", "\xed\xa0\x80"};
    add_zone("lan", "home-lan");
    add_node("router", "home-router", "lan");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        iotnet_zone_spec z = IOTNET_ZONE_SPEC_INIT;
        z.id = bad[i];
        z.kind = "home-lan";
        expect_error(iotnet_zone_add(net, NULL, &z), IOTNET_EINVAL, "zone: the id is not UTF-8 text");
        iotnet_node_spec n = IOTNET_NODE_SPEC_INIT;
        n.id = bad[i];
        n.kind = "camera";
        expect_error(iotnet_node_add(net, NULL, &n), IOTNET_EINVAL, "node: the id is not UTF-8 text");
        iotnet_link_spec l = IOTNET_LINK_SPEC_INIT;
        l.id = bad[i];
        l.a = "router";
        l.b = "router";
        expect_error(iotnet_link_add(net, NULL, &l), IOTNET_EINVAL, "link: the id is not UTF-8 text");
    }
    cr_assert_eq(iotnet_zone_count(net), 1);
    cr_assert_eq(iotnet_node_count(net), 1);
    cr_assert_eq(iotnet_link_count(net), 0);
    /* tab, line breaks, spaces, markup and any Unicode letter stay allowed */
    add_node("cam\tporch", "camera", "lan");
    add_node("cam <\"porch\">\n2", "camera", "lan");
    add_node("caméra \xf0\x9f\x90\x8d", "camera", "lan");
    cr_assert_eq(iotnet_node_count(net), 4);
}

Test(net, zone_find_unknown_names_it)
{
    iotnet_index ix;
    expect_error(iotnet_zone_find(net, &ix, "nowhere"), IOTNET_ENOTFOUND, "nowhere");
}

Test(net, zone_used_by_node_is_in_use)
{
    iotnet_index z = add_zone("iot-zone", "iot-lan");
    iotnet_index n = add_node("cam1", "camera", "iot-zone");
    expect_error(iotnet_zone_remove(net, z), IOTNET_EINUSE, "iot-zone");
    cr_assert_eq(iotnet_zone_count(net), 1);
    iotnet_index found;
    expect_ok(iotnet_zone_find(net, &found, "iot-zone"));
    cr_assert_eq(iotnet_node_zone(net, n), z);
    expect_ok(iotnet_node_remove(net, n));
    expect_ok(iotnet_zone_remove(net, z));
    cr_assert_eq(iotnet_zone_count(net), 0);
    cr_assert_eq(iotnet_zone_find(net, &found, "iot-zone"), IOTNET_ENOTFOUND);
    cr_assert_eq(iotnet_zone_remove(net, z), IOTNET_ENOTFOUND);
}

Test(net, zone_used_by_conduit_is_in_use)
{
    iotnet_index a = add_zone("office", "enterprise");
    add_zone("ops", "operations");
    iotnet_conduit_spec c = IOTNET_CONDUIT_SPEC_INIT;
    iotnet_index ci;
    c.id = "office-ops";
    c.from_zone = "office";
    c.to_zone = "ops";
    expect_ok(iotnet_conduit_add(net, &ci, &c));
    expect_error(iotnet_zone_remove(net, a), IOTNET_EINUSE, "office");
    expect_ok(iotnet_conduit_remove(net, ci));
    expect_ok(iotnet_zone_remove(net, a));
}

/* ---- conduits ----------------------------------------------------- */

Test(net, conduit_fields_round_trip)
{
    add_zone("ops", "operations");
    add_zone("ctl", "control");
    iotnet_conduit_spec c = IOTNET_CONDUIT_SPEC_INIT, got;
    iotnet_index ix, found;
    c.id = "ops-ctl";
    c.from_zone = "ops";
    c.to_zone = "ctl";
    c.services = "tcp/502 udp/47808 icmp";
    c.bidirectional = true;
    c.description = "Modbus and BACnet";
    expect_ok(iotnet_conduit_add(net, &ix, &c));
    expect_ok(iotnet_conduit_find(net, &found, "ops-ctl"));
    cr_assert_eq(found, ix);
    expect_ok(iotnet_conduit_get(net, ix, &got));
    cr_assert_str_eq(got.id, "ops-ctl");
    cr_assert_str_eq(got.from_zone, "ops");
    cr_assert_str_eq(got.to_zone, "ctl");
    cr_assert_str_eq(got.services, "tcp/502 udp/47808 icmp");
    cr_assert_eq(got.bidirectional, true);
    cr_assert_str_eq(got.description, "Modbus and BACnet");
    cr_assert_eq(iotnet_conduit_count(net), 1);
}

Test(net, conduit_port_range_and_any_are_accepted)
{
    add_zone("a", "home-lan");
    add_zone("b", "iot-lan");
    iotnet_conduit_spec c = IOTNET_CONDUIT_SPEC_INIT;
    c.from_zone = "a";
    c.to_zone = "b";
    c.id = "range";
    c.services = "tcp/8000-8100 sctp/2905";
    expect_ok(iotnet_conduit_add(net, NULL, &c));
    c.id = "any";
    c.services = "any";
    expect_ok(iotnet_conduit_add(net, NULL, &c));
    c.id = "empty";
    c.services = "";
    expect_ok(iotnet_conduit_add(net, NULL, &c));
    cr_assert_eq(iotnet_conduit_count(net), 3);
}

/* Parameters are copied into the test process: strings are held inline. */
typedef struct bad_service_list {
    char services[32];
} bad_service_list;

ParameterizedTestParameters(net, conduit_bad_service_list_is_invalid)
{
    static bad_service_list cases[] = {
        {"tcp/99999"}, {"ftp/21"}, {"tcp/"}, {"tcp"}, {"udp/abc"}, {"tcp/9000-8000"}, {"icmp/1"},
    };
    return cr_make_param_array(bad_service_list, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(bad_service_list *p, net, conduit_bad_service_list_is_invalid)
{
    add_zone("a", "home-lan");
    add_zone("b", "iot-lan");
    iotnet_conduit_spec c = IOTNET_CONDUIT_SPEC_INIT;
    c.id = "c";
    c.from_zone = "a";
    c.to_zone = "b";
    c.services = p->services;
    int rc = iotnet_conduit_add(net, NULL, &c);
    cr_assert_eq(rc, IOTNET_EINVAL, "services \"%s\" gave %d", p->services, rc);
    cr_assert_eq(iotnet_conduit_count(net), 0);
}

Test(net, conduit_to_unknown_zone_names_it)
{
    add_zone("a", "home-lan");
    iotnet_conduit_spec c = IOTNET_CONDUIT_SPEC_INIT;
    c.id = "c";
    c.from_zone = "a";
    c.to_zone = "atlantis";
    expect_error(iotnet_conduit_add(net, NULL, &c), IOTNET_ENOTFOUND, "atlantis");
    c.from_zone = "lemuria";
    c.to_zone = "a";
    expect_error(iotnet_conduit_add(net, NULL, &c), IOTNET_ENOTFOUND, "lemuria");
    cr_assert_eq(iotnet_conduit_count(net), 0);
    iotnet_index ix;
    cr_assert_eq(iotnet_conduit_find(net, &ix, "c"), IOTNET_ENOTFOUND);
}

Test(net, conduit_duplicate_id_names_it)
{
    add_zone("a", "home-lan");
    iotnet_conduit_spec c = IOTNET_CONDUIT_SPEC_INIT;
    c.id = "loop";
    c.from_zone = "a";
    c.to_zone = "a";
    expect_ok(iotnet_conduit_add(net, NULL, &c));
    expect_error(iotnet_conduit_add(net, NULL, &c), IOTNET_EEXISTS, "loop");
    cr_assert_eq(iotnet_conduit_count(net), 1);
}

/* ---- nodes -------------------------------------------------------- */

Test(net, node_fields_round_trip)
{
    iotnet_index z = add_zone("lan", "home-lan");
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT, got;
    iotnet_index ix, found;
    s.id = "gw";
    s.kind = "home-router";
    s.zone = "lan";
    s.vendor = "Acme";
    s.model = "R100";
    s.firmware = "1.2.3";
    s.implementation = "acme-fw";
    s.mud_url = "https://mud.example.com/r100.json";
    s.description = "the home gateway";
    expect_ok(iotnet_node_add(net, &ix, &s));
    expect_ok(iotnet_node_find(net, &found, "gw"));
    cr_assert_eq(found, ix);
    expect_ok(iotnet_node_get(net, ix, &got));
    cr_assert_str_eq(got.id, "gw");
    cr_assert_str_eq(got.kind, "home-router");
    cr_assert_str_eq(got.zone, "lan");
    cr_assert_str_eq(got.vendor, "Acme");
    cr_assert_str_eq(got.model, "R100");
    cr_assert_str_eq(got.firmware, "1.2.3");
    cr_assert_str_eq(got.implementation, "acme-fw");
    cr_assert_str_eq(got.mud_url, "https://mud.example.com/r100.json");
    cr_assert_str_eq(got.description, "the home gateway");
    cr_assert_eq(iotnet_node_zone(net, ix), z);
    iotnet_kind k;
    expect_ok(iotnet_kind_find(net, &k, "home-router"));
    cr_assert_eq(iotnet_node_kind(net, ix), k);
}

Test(net, node_strings_are_copied)
{
    char id[8] = "cam", vendor[8] = "Acme";
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT, got;
    iotnet_index ix;
    s.id = id;
    s.kind = "camera";
    s.vendor = vendor;
    expect_ok(iotnet_node_add(net, &ix, &s));
    strcpy(id, "xyz");
    strcpy(vendor, "Other");
    expect_ok(iotnet_node_get(net, ix, &got));
    cr_assert_str_eq(got.id, "cam");
    cr_assert_str_eq(got.vendor, "Acme");
    iotnet_index found;
    expect_ok(iotnet_node_find(net, &found, "cam"));
    cr_assert_eq(iotnet_node_find(net, &found, "xyz"), IOTNET_ENOTFOUND);
}

Test(net, node_duplicate_id_names_it)
{
    add_node("cam1", "camera", NULL);
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    s.id = "cam1";
    s.kind = "thermostat";
    expect_error(iotnet_node_add(net, NULL, &s), IOTNET_EEXISTS, "cam1");
    cr_assert_eq(iotnet_node_count(net), 1);
    iotnet_index ix;
    iotnet_node_spec got;
    expect_ok(iotnet_node_find(net, &ix, "cam1"));
    expect_ok(iotnet_node_get(net, ix, &got));
    cr_assert_str_eq(got.kind, "camera");
}

Test(net, tables_have_separate_id_spaces)
{
    add_zone("x", "home-lan");
    add_node("x", "camera", "x");
    add_node("y", "hub", "x");
    add_link("x", "x", "y");
    iotnet_conduit_spec c = IOTNET_CONDUIT_SPEC_INIT;
    c.id = "x";
    c.from_zone = "x";
    c.to_zone = "x";
    expect_ok(iotnet_conduit_add(net, NULL, &c));
    cr_assert_eq(iotnet_zone_count(net), 1);
    cr_assert_eq(iotnet_node_count(net), 2);
    cr_assert_eq(iotnet_link_count(net), 1);
    cr_assert_eq(iotnet_conduit_count(net), 1);
}

Test(net, node_in_unknown_zone_names_it)
{
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    s.id = "cam1";
    s.kind = "camera";
    s.zone = "basement";
    expect_error(iotnet_node_add(net, NULL, &s), IOTNET_ENOTFOUND, "basement");
    cr_assert_eq(iotnet_node_count(net), 0);
    iotnet_index ix;
    cr_assert_eq(iotnet_node_find(net, &ix, "cam1"), IOTNET_ENOTFOUND);
    cr_assert_eq(iotnet_node_next(net, IOTNET_NONE), IOTNET_NONE);
    /* the id was not taken by the failed call */
    s.zone = NULL;
    expect_ok(iotnet_node_add(net, NULL, &s));
}

typedef struct bad_kind {
    char kind[32];
} bad_kind;

ParameterizedTestParameters(net, node_kind_must_be_a_node_kind)
{
    /* unknown names, zone kinds and the zone root are all refused */
    static bad_kind cases[] = {
        {"toaster-9000"}, {"home-lan"}, {"industrial-dmz"}, {"zone-kind"}, {"Camera"},
    };
    return cr_make_param_array(bad_kind, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(bad_kind *p, net, node_kind_must_be_a_node_kind)
{
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    s.id = "n1";
    s.kind = p->kind;
    expect_error(iotnet_node_add(net, NULL, &s), IOTNET_EKIND, p->kind);
    cr_assert_eq(iotnet_node_count(net), 0);
}

Test(net, node_missing_fields_are_invalid)
{
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    s.kind = "camera";
    cr_assert_eq(iotnet_node_add(net, NULL, &s), IOTNET_EINVAL);
    s.id = "";
    cr_assert_eq(iotnet_node_add(net, NULL, &s), IOTNET_EINVAL, "an empty id is refused");
    s.id = "cam";
    s.kind = NULL;
    cr_assert_eq(iotnet_node_add(net, NULL, &s), IOTNET_EINVAL);
    cr_assert_eq(iotnet_node_count(net), 0);
}

Test(net, spec_with_unknown_version_is_invalid)
{
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    s.version = 99;
    s.id = "cam";
    s.kind = "camera";
    cr_assert_eq(iotnet_node_add(net, NULL, &s), IOTNET_EINVAL);
    cr_assert_eq(iotnet_node_count(net), 0);
}

Test(net, node_update_changes_fields)
{
    add_zone("lan", "home-lan");
    iotnet_index iot = add_zone("iot", "iot-lan");
    iotnet_index ix = add_node("dev", "home-router", "lan");
    cr_assert(iotnet_node_is_forwarding(net, ix));
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT, got;
    s.id = "dev";
    s.kind = "camera";
    s.zone = "iot";
    s.vendor = "Acme";
    s.firmware = "2.0";
    expect_ok(iotnet_node_update(net, ix, &s));
    expect_ok(iotnet_node_get(net, ix, &got));
    cr_assert_str_eq(got.kind, "camera");
    cr_assert_str_eq(got.zone, "iot");
    cr_assert_str_eq(got.vendor, "Acme");
    cr_assert_str_eq(got.firmware, "2.0");
    cr_assert_null(got.model);
    cr_assert_eq(iotnet_node_zone(net, ix), iot);
    cr_assert_not(iotnet_node_is_forwarding(net, ix));
    iotnet_index found;
    expect_ok(iotnet_node_find(net, &found, "dev"));
    cr_assert_eq(found, ix);
}

Test(net, node_update_failure_changes_nothing)
{
    add_zone("lan", "home-lan");
    iotnet_index ix = add_node("dev", "camera", "lan");
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT, got;
    s.id = "dev";
    s.kind = "camera";
    s.vendor = "Changed";
    s.zone = "attic";
    expect_error(iotnet_node_update(net, ix, &s), IOTNET_ENOTFOUND, "attic");
    s.zone = "lan";
    s.kind = "unicorn";
    expect_error(iotnet_node_update(net, ix, &s), IOTNET_EKIND, "unicorn");
    s.kind = "camera";
    s.id = "other";
    cr_assert_eq(iotnet_node_update(net, ix, &s), IOTNET_EINVAL, "the id cannot change");
    expect_ok(iotnet_node_get(net, ix, &got));
    cr_assert_str_eq(got.id, "dev");
    cr_assert_str_eq(got.kind, "camera");
    cr_assert_str_eq(got.zone, "lan");
    cr_assert_null(got.vendor, "no field changed after failed updates");
    s.id = "dev";
    cr_assert_eq(iotnet_node_update(net, 4242, &s), IOTNET_ENOTFOUND);
}

Test(net, zone_in_use_after_node_update_moves_with_it)
{
    iotnet_index lan = add_zone("lan", "home-lan");
    iotnet_index iot = add_zone("iot", "iot-lan");
    iotnet_index ix = add_node("cam", "camera", "lan");
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    s.id = "cam";
    s.kind = "camera";
    s.zone = "iot";
    expect_ok(iotnet_node_update(net, ix, &s));
    expect_ok(iotnet_zone_remove(net, lan));
    cr_assert_eq(iotnet_zone_remove(net, iot), IOTNET_EINUSE);
}

typedef struct forwarding_case {
    char kind[32];
    bool forwarding;
} forwarding_case;

ParameterizedTestParameters(net, node_is_forwarding_follows_its_kind)
{
    static forwarding_case cases[] = {
        {"home-router", true}, {"router", true},     {"switch", true},   {"firewall", true},
        {"access-point", true}, {"iot-gateway", true}, {"isp-router", true},
        {"camera", false},     {"plc", false},       {"virtual-plc", false},
        {"workstation", false}, {"vendor-cloud", false},
    };
    return cr_make_param_array(forwarding_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(forwarding_case *p, net, node_is_forwarding_follows_its_kind)
{
    iotnet_index ix = add_node("n", p->kind, NULL);
    cr_assert_eq(iotnet_node_is_forwarding(net, ix), p->forwarding, "%s", p->kind);
}

Test(net, bad_index_queries_are_harmless)
{
    iotnet_index ix = add_node("n", "camera", NULL);
    iotnet_node_spec s;
    cr_assert_eq(iotnet_node_get(net, ix + 100, &s), IOTNET_ENOTFOUND);
    cr_assert_eq(iotnet_node_get(net, IOTNET_NONE, &s), IOTNET_ENOTFOUND);
    cr_assert_eq(iotnet_node_kind(net, ix + 100), IOTNET_NONE);
    cr_assert_eq(iotnet_node_zone(net, ix + 100), IOTNET_NONE);
    cr_assert_not(iotnet_node_is_forwarding(net, ix + 100));
    cr_assert_eq(iotnet_node_next_link(net, ix + 100, IOTNET_NONE), IOTNET_NONE);
    cr_assert_eq(iotnet_node_remove(net, ix + 100), IOTNET_ENOTFOUND);
    iotnet_zone_spec z;
    cr_assert_eq(iotnet_zone_get(net, 7, &z), IOTNET_ENOTFOUND);
    iotnet_link_spec l;
    cr_assert_eq(iotnet_link_get(net, 7, &l), IOTNET_ENOTFOUND);
    iotnet_conduit_spec c;
    cr_assert_eq(iotnet_conduit_get(net, 7, &c), IOTNET_ENOTFOUND);
    iotnet_index a, b;
    cr_assert_eq(iotnet_link_ends(net, 7, &a, &b), IOTNET_ENOTFOUND);
    cr_assert_eq(iotnet_node_count(net), 1);
}

/* ---- find at scale ------------------------------------------------ */

static iotnet_net *model_of_size(int slot, size_t count)
{
    iotnet_net *n = new_aux(slot);
    char id[32];
    for (size_t i = 0; i < count; i++) {
        snprintf(id, sizeof id, "node-%zu", i);
        iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
        s.id = id;
        s.kind = (i % 7) ? "camera" : "switch";
        int rc = iotnet_node_add(n, NULL, &s);
        if (rc != 0)
            cr_assert_fail("adding %s failed: %s", id, iotnet_error_last()->message);
    }
    return n;
}

/* The id index stays exact through growth and many removals (its deletions
 * shift entries back rather than leaving tombstones). Speed is measured in bench/. */
Test(net, find_stays_exact_through_growth_and_removals, .timeout = 120)
{
    const size_t count = 200000;
    iotnet_net *n = model_of_size(0, count);
    char id[32];
    for (size_t i = 0; i < count; i += 3) {
        iotnet_index ix;
        snprintf(id, sizeof id, "node-%zu", i);
        expect_ok(iotnet_node_find(n, &ix, id));
        expect_ok(iotnet_node_remove(n, ix));
    }
    cr_assert_eq(iotnet_node_count(n), count - (count + 2) / 3);
    for (size_t i = 0; i < count; i++) {
        iotnet_index ix = IOTNET_NONE;
        snprintf(id, sizeof id, "node-%zu", i);
        int rc = iotnet_node_find(n, &ix, id);
        if (i % 3 == 0 && rc != IOTNET_ENOTFOUND)
            cr_assert_fail("removed %s is still found", id);
        if (i % 3 != 0 && (rc != 0 || ix != i))
            cr_assert_fail("%s: rc %d, index %u, expected %zu", id, rc, ix, i);
    }
}

Test(net, memory_grows_with_the_model)
{
    size_t empty = iotnet_net_memory(net);
    char id[16];
    for (int i = 0; i < 1000; i++) {
        snprintf(id, sizeof id, "n%d", i);
        add_node(id, "sensor", NULL);
    }
    cr_assert_gt(iotnet_net_memory(net), empty);
}

/* ---- iteration and removal ---------------------------------------- */

Test(net, node_iteration_skips_removed_and_visits_each_once)
{
    char id[16];
    iotnet_index ix[10];
    for (int i = 0; i < 10; i++) {
        snprintf(id, sizeof id, "n%d", i);
        ix[i] = add_node(id, "sensor", NULL);
    }
    expect_ok(iotnet_node_remove(net, ix[0]));
    expect_ok(iotnet_node_remove(net, ix[4]));
    expect_ok(iotnet_node_remove(net, ix[9]));
    cr_assert_eq(iotnet_node_count(net), 7);
    size_t visits[64] = {0};
    for (int i = 0; i < 10; i++)
        cr_assert_lt(ix[i], 64);
    cr_assert_eq(walk_count(iotnet_node_next, visits, 64), 7);
    for (int i = 0; i < 10; i++) {
        size_t expected = (i == 0 || i == 4 || i == 9) ? 0 : 1;
        cr_assert_eq(visits[ix[i]], expected, "node n%d visited %zu times", i, visits[ix[i]]);
    }
}

Test(net, zone_link_conduit_iteration_skips_removed)
{
    iotnet_index z[4];
    char id[16];
    for (int i = 0; i < 4; i++) {
        snprintf(id, sizeof id, "z%d", i);
        z[i] = add_zone(id, "home-lan");
    }
    add_node("a", "switch", NULL);
    add_node("b", "camera", NULL);
    add_node("c", "camera", NULL);
    iotnet_index l0 = add_link("ab", "a", "b");
    iotnet_index l1 = add_link("ac", "a", "c");
    iotnet_index l2 = add_link("bc", "b", "c");
    iotnet_conduit_spec cs = IOTNET_CONDUIT_SPEC_INIT;
    iotnet_index c0, c1;
    cs.id = "c0";
    cs.from_zone = "z0";
    cs.to_zone = "z1";
    expect_ok(iotnet_conduit_add(net, &c0, &cs));
    cs.id = "c1";
    cs.from_zone = "z2";
    cs.to_zone = "z3";
    expect_ok(iotnet_conduit_add(net, &c1, &cs));

    expect_ok(iotnet_conduit_remove(net, c0));
    expect_ok(iotnet_zone_remove(net, z[1]));
    expect_ok(iotnet_link_remove(net, l1));

    size_t zv[64] = {0}, lv[64] = {0}, cv[64] = {0};
    cr_assert_eq(walk_count(iotnet_zone_next, zv, 64), 3);
    cr_assert_eq(zv[z[0]] + zv[z[2]] + zv[z[3]], 3);
    cr_assert_eq(zv[z[1]], 0);
    cr_assert_eq(iotnet_zone_count(net), 3);

    cr_assert_eq(walk_count(iotnet_link_next, lv, 64), 2);
    cr_assert_eq(lv[l0], 1);
    cr_assert_eq(lv[l2], 1);
    cr_assert_eq(lv[l1], 0);
    cr_assert_eq(iotnet_link_count(net), 2);

    cr_assert_eq(walk_count(iotnet_conduit_next, cv, 64), 1);
    cr_assert_eq(cv[c1], 1);
    cr_assert_eq(iotnet_conduit_count(net), 1);
    iotnet_index found;
    cr_assert_eq(iotnet_conduit_find(net, &found, "c0"), IOTNET_ENOTFOUND);
    cr_assert_eq(iotnet_link_find(net, &found, "ac"), IOTNET_ENOTFOUND);
    cr_assert_eq(iotnet_link_remove(net, l1), IOTNET_ENOTFOUND);
    cr_assert_eq(iotnet_conduit_remove(net, c0), IOTNET_ENOTFOUND);
}

Test(net, indexes_stay_valid_and_are_not_reused)
{
    iotnet_index a = add_node("a", "camera", NULL);
    iotnet_index b = add_node("b", "camera", NULL);
    iotnet_index c = add_node("c", "camera", NULL);
    expect_ok(iotnet_node_remove(net, b));
    iotnet_index d = add_node("d", "camera", NULL);
    iotnet_index b2 = add_node("b", "thermostat", NULL);
    cr_assert_neq(d, b, "a removed slot is not reused");
    cr_assert_neq(b2, b, "a removed slot is not reused");
    iotnet_node_spec got;
    expect_ok(iotnet_node_get(net, a, &got));
    cr_assert_str_eq(got.id, "a");
    expect_ok(iotnet_node_get(net, c, &got));
    cr_assert_str_eq(got.id, "c");
    cr_assert_eq(iotnet_node_get(net, b, &got), IOTNET_ENOTFOUND);
    expect_ok(iotnet_node_get(net, b2, &got));
    cr_assert_str_eq(got.kind, "thermostat");
    iotnet_index found;
    expect_ok(iotnet_node_find(net, &found, "b"));
    cr_assert_eq(found, b2);
}

Test(net, removing_a_node_removes_its_links)
{
    iotnet_index hub = add_node("hub", "switch", NULL);
    iotnet_index a = add_node("a", "camera", NULL);
    iotnet_index b = add_node("b", "camera", NULL);
    add_node("c", "camera", NULL);
    add_link("hub-a", "hub", "a");
    add_link("b-hub", "b", "hub");
    add_link("hub-c", "hub", "c");
    iotnet_index ab = add_link("a-b", "a", "b");
    cr_assert_eq(iotnet_link_count(net), 4);

    expect_ok(iotnet_node_remove(net, hub));
    cr_assert_eq(iotnet_node_count(net), 3);
    cr_assert_eq(iotnet_link_count(net), 1);
    iotnet_index found;
    cr_assert_eq(iotnet_link_find(net, &found, "hub-a"), IOTNET_ENOTFOUND);
    cr_assert_eq(iotnet_link_find(net, &found, "b-hub"), IOTNET_ENOTFOUND);
    cr_assert_eq(iotnet_link_find(net, &found, "hub-c"), IOTNET_ENOTFOUND);
    expect_ok(iotnet_link_find(net, &found, "a-b"));
    cr_assert_eq(found, ab);
    cr_assert_eq(iotnet_link_next(net, IOTNET_NONE), ab);
    cr_assert_eq(iotnet_link_next(net, ab), IOTNET_NONE);
    /* the neighbours no longer list the removed links */
    cr_assert_eq(iotnet_node_next_link(net, a, IOTNET_NONE), ab);
    cr_assert_eq(iotnet_node_next_link(net, a, ab), IOTNET_NONE);
    cr_assert_eq(iotnet_node_next_link(net, b, IOTNET_NONE), ab);
    cr_assert_eq(iotnet_node_next_link(net, b, ab), IOTNET_NONE);
    /* the link ids are free again */
    add_link("hub-a", "a", "b");
}

Test(net, removing_a_node_removes_what_it_owns)
{
    iotnet_index ix = add_node("cam", "camera", NULL);
    iface_in(net, ix, "eth0", "192.168.1.20/24");
    iotnet_service s = IOTNET_SERVICE_INIT;
    s.name = "rtsp";
    s.port = 554;
    expect_ok(iotnet_service_add(net, ix, &s));
    iotnet_lifecycle lc = IOTNET_LIFECYCLE_INIT;
    lc.owner = "alice";
    expect_ok(iotnet_lifecycle_set(net, ix, &lc));
    iotnet_value v = {.type = IOTNET_ATTR_INT, .integer = 5};
    expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_NODE, ix, "risk", &v));

    expect_ok(iotnet_node_remove(net, ix));
    cr_assert_eq(iotnet_interface_count(net, ix), 0);
    cr_assert_eq(iotnet_service_count(net, ix), 0);
    iotnet_lifecycle got;
    cr_assert_eq(iotnet_lifecycle_get(net, ix, &got), IOTNET_ENOTFOUND);
    iotnet_value gv;
    cr_assert_eq(iotnet_attr_get(net, IOTNET_ENTITY_NODE, ix, "risk", &gv), IOTNET_ENOTFOUND);

    /* a new node under the same id starts empty */
    iotnet_index again = add_node("cam", "camera", NULL);
    cr_assert_eq(iotnet_interface_count(net, again), 0);
    cr_assert_eq(iotnet_service_count(net, again), 0);
    cr_assert_eq(iotnet_lifecycle_get(net, again, &got), IOTNET_ENOTFOUND);
    cr_assert_eq(iotnet_attr_get(net, IOTNET_ENTITY_NODE, again, "risk", &gv), IOTNET_ENOTFOUND);
    /* its interface and service names are free */
    iface_in(net, again, "eth0", NULL);
    expect_ok(iotnet_service_add(net, again, &s));
}

/* ---- links -------------------------------------------------------- */

/* A file holds a Purdue level in tenths and a latency in microseconds: a
 * value it would round is refused when added, and nothing is added. */
Test(net, numbers_a_file_would_round_are_refused)
{
    iotnet_zone_spec z = IOTNET_ZONE_SPEC_INIT;
    z.id = "dmz";
    z.kind = "industrial-dmz";
    double bad_levels[] = {3.25, 5.1, 1.0 / 3};
    const char *level_messages[] = {
        "zone \"dmz\": Purdue level 3.25 is not one of 0 to 5 in tenths (such as 3 or 3.5)",
        "zone \"dmz\": Purdue level 5.1 is not one of 0 to 5 in tenths (such as 3 or 3.5)",
        "zone \"dmz\": Purdue level 0.3333333333333333 is not one of 0 to 5 in tenths (such as 3 or 3.5)",
    };
    for (int i = 0; i < 3; i++) {
        z.purdue_level = bad_levels[i];
        cr_assert_eq(iotnet_zone_add(net, NULL, &z), IOTNET_EINVAL);
        expect_str(iotnet_error_last()->message, level_messages[i]);
    }
    cr_assert_eq(iotnet_zone_count(net), 0);
    z.purdue_level = 3.5;
    expect_ok(iotnet_zone_add(net, NULL, &z));

    add_node("gw", "home-router", NULL);
    add_node("cam", "camera", NULL);
    iotnet_link_spec l = IOTNET_LINK_SPEC_INIT;
    l.id = "gw-cam";
    l.a = "gw";
    l.b = "cam";
    double bad_latencies[] = {1.0 / 3, 0.0005, 1e15};
    const char *latency_messages[] = {
        "link \"gw-cam\": latency 0.3333333333333333 ms is not a whole number of microseconds (at most 3 decimals) "
        "below 1e15 ms",
        "link \"gw-cam\": latency 0.0005 ms is not a whole number of microseconds (at most 3 decimals) below 1e15 ms",
        "link \"gw-cam\": latency 1000000000000000 ms is not a whole number of microseconds (at most 3 decimals) "
        "below 1e15 ms",
    };
    for (int i = 0; i < 3; i++) {
        l.latency_ms = bad_latencies[i];
        cr_assert_eq(iotnet_link_add(net, NULL, &l), IOTNET_EINVAL);
        expect_str(iotnet_error_last()->message, latency_messages[i]);
    }
    cr_assert_eq(iotnet_link_count(net), 0);
    l.latency_ms = 0.001;
    expect_ok(iotnet_link_add(net, NULL, &l));
}

Test(net, equal_tells_close_numbers_apart)
{
    iotnet_net *other = new_aux(1);
    iotnet_index a = add_node("n", "sensor", NULL);
    iotnet_index b = node_in(other, "n", "sensor", NULL);
    iotnet_value tiny = {.type = IOTNET_ATTR_FLOAT, .real = 1e-10}, zero = {.type = IOTNET_ATTR_FLOAT, .real = 0};
    expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_NODE, a, "drift", &tiny));
    expect_ok(iotnet_attr_set(other, IOTNET_ENTITY_NODE, b, "drift", &zero));
    expect_models_differ(net, other, "drift");
}

Test(net, link_fields_round_trip)
{
    iotnet_index gw = add_node("gw", "home-router", NULL);
    iotnet_index cam = add_node("cam", "camera", NULL);
    iface_in(net, gw, "lan0", "192.168.1.1/24");
    iface_in(net, cam, "wlan0", "192.168.1.20/24");
    iotnet_link_spec l = IOTNET_LINK_SPEC_INIT, got;
    iotnet_index ix, found, ea, eb;
    l.id = "gw-cam";
    l.a = "gw";
    l.a_interface = "lan0";
    l.b = "cam";
    l.b_interface = "wlan0";
    l.medium = IOTNET_MEDIUM_WIFI;
    l.latency_ms = 2.5;
    l.encryption = IOTNET_LINKENC_WPA3;
    l.description = "2.4 GHz";
    expect_ok(iotnet_link_add(net, &ix, &l));
    expect_ok(iotnet_link_find(net, &found, "gw-cam"));
    cr_assert_eq(found, ix);
    expect_ok(iotnet_link_get(net, ix, &got));
    cr_assert_str_eq(got.id, "gw-cam");
    cr_assert_str_eq(got.a, "gw");
    cr_assert_str_eq(got.a_interface, "lan0");
    cr_assert_str_eq(got.b, "cam");
    cr_assert_str_eq(got.b_interface, "wlan0");
    cr_assert_eq(got.medium, IOTNET_MEDIUM_WIFI);
    cr_assert_float_eq(got.latency_ms, 2.5, 1e-9);
    cr_assert_eq(got.encryption, IOTNET_LINKENC_WPA3);
    cr_assert_str_eq(got.description, "2.4 GHz");
    expect_ok(iotnet_link_ends(net, ix, &ea, &eb));
    cr_assert_eq(ea, gw);
    cr_assert_eq(eb, cam);
}

Test(net, link_to_unknown_node_names_it)
{
    add_node("a", "camera", NULL);
    iotnet_link_spec l = IOTNET_LINK_SPEC_INIT;
    l.id = "l";
    l.a = "a";
    l.b = "ghost";
    expect_error(iotnet_link_add(net, NULL, &l), IOTNET_ENOTFOUND, "ghost");
    l.a = "phantom";
    l.b = "a";
    expect_error(iotnet_link_add(net, NULL, &l), IOTNET_ENOTFOUND, "phantom");
    cr_assert_eq(iotnet_link_count(net), 0);
    iotnet_index found;
    cr_assert_eq(iotnet_link_find(net, &found, "l"), IOTNET_ENOTFOUND);
}

Test(net, link_to_unknown_interface_names_it)
{
    iotnet_index a = add_node("a", "switch", NULL);
    iotnet_index b = add_node("b", "camera", NULL);
    iface_in(net, a, "port1", NULL);
    iotnet_link_spec l = IOTNET_LINK_SPEC_INIT;
    l.id = "l";
    l.a = "a";
    l.a_interface = "port9";
    l.b = "b";
    expect_error(iotnet_link_add(net, NULL, &l), IOTNET_ENOTFOUND, "port9");
    l.a_interface = "port1";
    l.b_interface = "port1"; /* exists on a, not on b */
    expect_error(iotnet_link_add(net, NULL, &l), IOTNET_ENOTFOUND, "port1");
    cr_assert_eq(iotnet_link_count(net), 0);
    cr_assert_eq(iotnet_node_next_link(net, a, IOTNET_NONE), IOTNET_NONE);
    cr_assert_eq(iotnet_node_next_link(net, b, IOTNET_NONE), IOTNET_NONE);
    l.b_interface = NULL;
    expect_ok(iotnet_link_add(net, NULL, &l));
}

Test(net, link_to_itself_is_invalid)
{
    add_node("a", "switch", NULL);
    iotnet_link_spec l = IOTNET_LINK_SPEC_INIT;
    l.id = "loop";
    l.a = "a";
    l.b = "a";
    cr_assert_eq(iotnet_link_add(net, NULL, &l), IOTNET_EINVAL);
    cr_assert_eq(iotnet_error_last()->code, IOTNET_EINVAL);
    cr_assert_eq(iotnet_link_count(net), 0);
}

Test(net, link_missing_fields_are_invalid)
{
    add_node("a", "switch", NULL);
    add_node("b", "camera", NULL);
    iotnet_link_spec l = IOTNET_LINK_SPEC_INIT;
    l.a = "a";
    l.b = "b";
    cr_assert_eq(iotnet_link_add(net, NULL, &l), IOTNET_EINVAL);
    l.id = "l";
    l.b = NULL;
    cr_assert_eq(iotnet_link_add(net, NULL, &l), IOTNET_EINVAL);
    cr_assert_eq(iotnet_link_count(net), 0);
}

Test(net, link_duplicate_id_names_it)
{
    add_node("a", "switch", NULL);
    add_node("b", "camera", NULL);
    add_node("c", "camera", NULL);
    add_link("uplink", "a", "b");
    iotnet_link_spec l = IOTNET_LINK_SPEC_INIT;
    l.id = "uplink";
    l.a = "a";
    l.b = "c";
    expect_error(iotnet_link_add(net, NULL, &l), IOTNET_EEXISTS, "uplink");
    cr_assert_eq(iotnet_link_count(net), 1);
}

Test(net, parallel_links_are_distinct)
{
    iotnet_index a = add_node("a", "switch", NULL);
    add_node("b", "switch", NULL);
    iotnet_index l1 = add_link("l1", "a", "b");
    iotnet_index l2 = add_link("l2", "b", "a");
    cr_assert_neq(l1, l2);
    size_t seen = 0;
    for (iotnet_index l = iotnet_node_next_link(net, a, IOTNET_NONE); l != IOTNET_NONE;
         l = iotnet_node_next_link(net, a, l))
        seen++;
    cr_assert_eq(seen, 2);
}

Test(net, node_next_link_visits_each_link_of_the_node_once)
{
    iotnet_index hub = add_node("hub", "switch", NULL);
    char id[16], lid[16];
    iotnet_index links[6];
    for (int i = 0; i < 6; i++) {
        snprintf(id, sizeof id, "d%d", i);
        snprintf(lid, sizeof lid, "l%d", i);
        add_node(id, "sensor", NULL);
        /* alternate which end the hub is on */
        links[i] = (i % 2) ? add_link(lid, id, "hub") : add_link(lid, "hub", id);
    }
    add_node("x", "sensor", NULL);
    add_link("unrelated", "d0", "x");
    expect_ok(iotnet_link_remove(net, links[3]));

    size_t visits[64] = {0}, steps = 0;
    for (iotnet_index l = iotnet_node_next_link(net, hub, IOTNET_NONE); l != IOTNET_NONE;
         l = iotnet_node_next_link(net, hub, l)) {
        cr_assert_lt(l, 64);
        visits[l]++;
        cr_assert_lt(++steps, 100);
        iotnet_index a, b;
        expect_ok(iotnet_link_ends(net, l, &a, &b));
        cr_assert(a == hub || b == hub, "link %u does not touch the hub", l);
    }
    cr_assert_eq(steps, 5);
    for (int i = 0; i < 6; i++)
        cr_assert_eq(visits[links[i]], i == 3 ? 0 : 1, "link l%d", i);
}

/* ---- interfaces and addresses ------------------------------------- */

typedef struct ipv4_case {
    char text[24];
    uint32_t addr;
    uint8_t prefix_len;
    char formatted[24];
} ipv4_case;

ParameterizedTestParameters(net, ipv4_parse_and_format)
{
    static ipv4_case cases[] = {
        {"192.168.1.10", 0xC0A8010Au, 32, "192.168.1.10"},
        {"192.168.1.10/24", 0xC0A8010Au, 24, "192.168.1.10/24"},
        {"10.0.0.0/8", 0x0A000000u, 8, "10.0.0.0/8"},
        {"0.0.0.0/0", 0x00000000u, 0, "0.0.0.0/0"},
        {"255.255.255.255", 0xFFFFFFFFu, 32, "255.255.255.255"},
        {"255.255.255.255/32", 0xFFFFFFFFu, 32, "255.255.255.255"},
        {"100.64.0.1/10", 0x64400001u, 10, "100.64.0.1/10"},
    };
    return cr_make_param_array(ipv4_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(ipv4_case *p, net, ipv4_parse_and_format)
{
    uint32_t addr = 1;
    uint8_t len = 99;
    expect_ok(iotnet_ipv4_parse(&addr, &len, p->text));
    cr_assert_eq(addr, p->addr, "%s: 0x%08x", p->text, addr);
    cr_assert_eq(len, p->prefix_len, "%s: /%u", p->text, len);
    char buf[19];
    iotnet_ipv4_format(buf, addr, len);
    cr_assert_str_eq(buf, p->formatted);
}

typedef struct bad_ipv4 {
    char text[24];
} bad_ipv4;

ParameterizedTestParameters(net, ipv4_parse_refuses_bad_addresses)
{
    static bad_ipv4 cases[] = {
        {""},          {"1.2.3"},       {"1.2.3.4.5"}, {"256.1.1.1"},  {"1.2.3.4/33"},
        {"a.b.c.d"},   {"1.2.3.4/"},    {"1..2.3"},    {"1.2.3.-4"},   {"1.2.3.4/8x"},
        {" 1.2.3.4"},  {"1.2.3.4 "},    {"1.2.3.4/-1"}, {"::1"},       {"1.2.3.4/24/8"},
        /* the length is digits only: no sign or space */
        {"1.2.3.4/ 8"}, {"1.2.3.4/+8"},  {"1.2.3.4/-0"}, {"1.2.3.4/8 "},
    };
    return cr_make_param_array(bad_ipv4, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(bad_ipv4 *p, net, ipv4_parse_refuses_bad_addresses)
{
    uint32_t addr;
    uint8_t len;
    int rc = iotnet_ipv4_parse(&addr, &len, p->text);
    cr_assert_eq(rc, IOTNET_EINVAL, "\"%s\" gave %d", p->text, rc);
}

Test(net, ipv4_format_fits_the_longest_address)
{
    char buf[19];
    memset(buf, 'x', sizeof buf);
    iotnet_ipv4_format(buf, 0xFFFFFFFFu, 31);
    cr_assert_str_eq(buf, "255.255.255.255/31");
}

Test(net, interfaces_add_get_remove)
{
    iotnet_index gw = add_node("gw", "home-router", NULL);
    iotnet_interface i = IOTNET_INTERFACE_INIT, got;
    i.name = "lan0";
    expect_ok(iotnet_ipv4_parse(&i.ipv4, &i.prefix_len, "192.168.1.1/24"));
    i.description = "inside";
    expect_ok(iotnet_interface_add(net, gw, &i));
    iface_in(net, gw, "wan0", "203.0.113.2/30");
    iface_in(net, gw, "mgmt", NULL);
    cr_assert_eq(iotnet_interface_count(net, gw), 3);

    expect_ok(iotnet_interface_get(net, gw, 0, &got));
    cr_assert_str_eq(got.name, "lan0");
    cr_assert_eq(got.ipv4, 0xC0A80101u);
    cr_assert_eq(got.prefix_len, 24);
    cr_assert_str_eq(got.description, "inside");
    expect_ok(iotnet_interface_get(net, gw, 1, &got));
    cr_assert_str_eq(got.name, "wan0");
    cr_assert_eq(got.prefix_len, 30);
    expect_ok(iotnet_interface_get(net, gw, 2, &got));
    cr_assert_str_eq(got.name, "mgmt");
    cr_assert_eq(got.ipv4, 0);
    cr_assert_eq(iotnet_interface_get(net, gw, 3, &got), IOTNET_ENOTFOUND);

    expect_ok(iotnet_interface_remove(net, gw, "wan0"));
    cr_assert_eq(iotnet_interface_count(net, gw), 2);
    expect_ok(iotnet_interface_get(net, gw, 1, &got));
    cr_assert_str_eq(got.name, "mgmt", "order is kept after a removal");
    expect_error(iotnet_interface_remove(net, gw, "wan0"), IOTNET_ENOTFOUND, "wan0");
}

Test(net, interface_errors)
{
    iotnet_index gw = add_node("gw", "home-router", NULL);
    iface_in(net, gw, "lan0", NULL);
    iotnet_interface i = IOTNET_INTERFACE_INIT;
    i.name = "lan0";
    expect_error(iotnet_interface_add(net, gw, &i), IOTNET_EEXISTS, "lan0");
    i.name = NULL;
    cr_assert_eq(iotnet_interface_add(net, gw, &i), IOTNET_EINVAL);
    i.name = "wan0";
    i.prefix_len = 33;
    cr_assert_eq(iotnet_interface_add(net, gw, &i), IOTNET_EINVAL);
    i.prefix_len = 24;
    cr_assert_eq(iotnet_interface_add(net, gw + 50, &i), IOTNET_ENOTFOUND);
    cr_assert_eq(iotnet_interface_count(net, gw), 1);
    /* the same name on another node is fine */
    iotnet_index sw = add_node("sw", "switch", NULL);
    iface_in(net, sw, "lan0", NULL);
}

Test(net, interface_used_by_a_link_is_in_use)
{
    iotnet_index gw = add_node("gw", "home-router", NULL);
    add_node("cam", "camera", NULL);
    iface_in(net, gw, "lan0", NULL);
    iotnet_link_spec l = IOTNET_LINK_SPEC_INIT;
    iotnet_index li;
    l.id = "l";
    l.a = "cam";
    l.b = "gw";
    l.b_interface = "lan0";
    expect_ok(iotnet_link_add(net, &li, &l));
    expect_error(iotnet_interface_remove(net, gw, "lan0"), IOTNET_EINUSE, "lan0");
    cr_assert_eq(iotnet_interface_count(net, gw), 1);
    expect_ok(iotnet_link_remove(net, li));
    expect_ok(iotnet_interface_remove(net, gw, "lan0"));
}

/* ---- services ----------------------------------------------------- */

Test(net, services_keep_fields_and_order)
{
    iotnet_index cam = add_node("cam", "camera", NULL);
    iotnet_service s = IOTNET_SERVICE_INIT, got;
    s.name = "https";
    s.port = 443;
    s.authentication = IOTNET_AUTH_CERTIFICATE;
    s.transport = IOTNET_TRANSPORT_TLS1_3;
    s.cipher_suites = "TLS_AES_128_GCM_SHA256 TLS_AES_128_CCM_8_SHA256";
    s.management = true;
    expect_ok(iotnet_service_add(net, cam, &s));
    iotnet_service t = IOTNET_SERVICE_INIT;
    t.name = "stun";
    t.protocol = IOTNET_PROTO_UDP;
    t.port = 3478;
    t.nat_traversal = IOTNET_TRAVERSAL_HOLE_PUNCH;
    expect_ok(iotnet_service_add(net, cam, &t));
    iotnet_service u = IOTNET_SERVICE_INIT;
    u.name = "ping";
    u.protocol = IOTNET_PROTO_ICMP;
    expect_ok(iotnet_service_add(net, cam, &u));
    cr_assert_eq(iotnet_service_count(net, cam), 3);

    expect_ok(iotnet_service_get(net, cam, 0, &got));
    cr_assert_str_eq(got.name, "https");
    cr_assert_eq(got.protocol, IOTNET_PROTO_TCP);
    cr_assert_eq(got.port, 443);
    cr_assert_eq(got.authentication, IOTNET_AUTH_CERTIFICATE);
    cr_assert_eq(got.transport, IOTNET_TRANSPORT_TLS1_3);
    cr_assert_str_eq(got.cipher_suites, "TLS_AES_128_GCM_SHA256 TLS_AES_128_CCM_8_SHA256");
    cr_assert_eq(got.management, true);
    cr_assert_eq(got.nat_traversal, IOTNET_TRAVERSAL_NONE);
    expect_ok(iotnet_service_get(net, cam, 1, &got));
    cr_assert_str_eq(got.name, "stun");
    cr_assert_eq(got.protocol, IOTNET_PROTO_UDP);
    cr_assert_eq(got.port, 3478);
    cr_assert_eq(got.nat_traversal, IOTNET_TRAVERSAL_HOLE_PUNCH);
    cr_assert_null(got.cipher_suites);
    expect_ok(iotnet_service_get(net, cam, 2, &got));
    cr_assert_str_eq(got.name, "ping");
    cr_assert_eq(got.protocol, IOTNET_PROTO_ICMP);
    cr_assert_eq(iotnet_service_get(net, cam, 3, &got), IOTNET_ENOTFOUND);

    expect_ok(iotnet_service_remove(net, cam, "stun"));
    cr_assert_eq(iotnet_service_count(net, cam), 2);
    expect_ok(iotnet_service_get(net, cam, 1, &got));
    cr_assert_str_eq(got.name, "ping");
    expect_error(iotnet_service_remove(net, cam, "stun"), IOTNET_ENOTFOUND, "stun");
}

Test(net, service_errors)
{
    iotnet_index cam = add_node("cam", "camera", NULL);
    iotnet_service s = IOTNET_SERVICE_INIT;
    s.name = "http";
    s.port = 80;
    expect_ok(iotnet_service_add(net, cam, &s));
    s.port = 8080;
    expect_error(iotnet_service_add(net, cam, &s), IOTNET_EEXISTS, "http");
    iotnet_service got;
    expect_ok(iotnet_service_get(net, cam, 0, &got));
    cr_assert_eq(got.port, 80, "the failed add left the service alone");
    s.name = NULL;
    cr_assert_eq(iotnet_service_add(net, cam, &s), IOTNET_EINVAL);
    s.name = "odd";
    s.protocol = 99;
    cr_assert_eq(iotnet_service_add(net, cam, &s), IOTNET_EINVAL, "99 is not an iotnet_protocol");
    s.protocol = IOTNET_PROTO_TCP;
    cr_assert_eq(iotnet_service_add(net, cam + 10, &s), IOTNET_ENOTFOUND);
    cr_assert_eq(iotnet_service_count(net, cam), 1);
    cr_assert_eq(iotnet_service_count(net, cam + 10), 0);
}

/* ---- lifecycle ---------------------------------------------------- */

Test(net, lifecycle_unset_is_not_found_and_all_unset)
{
    iotnet_index cam = add_node("cam", "camera", NULL);
    iotnet_lifecycle lc;
    memset(&lc, 0x5A, sizeof lc);
    expect_error(iotnet_lifecycle_get(net, cam, &lc), IOTNET_ENOTFOUND, "cam");
    cr_assert_eq(lc.certificate_not_after, IOTNET_TIME_UNSET);
    cr_assert_eq(lc.signed_artifact_lifetime, IOTNET_TIME_UNSET);
    cr_assert_eq(lc.end_of_support, IOTNET_TIME_UNSET);
    cr_assert_eq(lc.update_mechanism, IOTNET_UPDATE_UNSPECIFIED);
    cr_assert_null(lc.owner);
    cr_assert_eq(lc.ownership_statement, IOTNET_UNKNOWN);
    cr_assert_eq(lc.reset_method, IOTNET_RESET_UNSPECIFIED);
    cr_assert_eq(lc.vendor_cloud_dependency, IOTNET_UNKNOWN);
    cr_assert_eq(lc.credentials_escrowed, IOTNET_UNKNOWN);
    cr_assert_eq(lc.attestation, IOTNET_ATTEST_UNSPECIFIED);
}

Test(net, lifecycle_set_get_and_replace)
{
    iotnet_index cam = add_node("cam", "camera", NULL);
    char owner[16] = "alice";
    iotnet_lifecycle lc = IOTNET_LIFECYCLE_INIT, got;
    lc.certificate_not_after = 1893456000;     /* 2030-01-01 */
    lc.signed_artifact_lifetime = 10 * 365 * 86400LL;
    lc.end_of_support = 1767225600;            /* 2026-01-01 */
    lc.update_mechanism = IOTNET_UPDATE_SUIT;
    lc.owner = owner;
    lc.ownership_statement = IOTNET_YES;
    lc.reset_method = IOTNET_RESET_VENDOR_CLOUD;
    lc.vendor_cloud_dependency = IOTNET_YES;
    lc.credentials_escrowed = IOTNET_NO;
    lc.attestation = IOTNET_ATTEST_RATS;
    expect_ok(iotnet_lifecycle_set(net, cam, &lc));
    strcpy(owner, "mallory");
    expect_ok(iotnet_lifecycle_get(net, cam, &got));
    cr_assert_eq(got.certificate_not_after, 1893456000);
    cr_assert_eq(got.signed_artifact_lifetime, 10 * 365 * 86400LL);
    cr_assert_eq(got.end_of_support, 1767225600);
    cr_assert_eq(got.update_mechanism, IOTNET_UPDATE_SUIT);
    cr_assert_str_eq(got.owner, "alice");
    cr_assert_eq(got.ownership_statement, IOTNET_YES);
    cr_assert_eq(got.reset_method, IOTNET_RESET_VENDOR_CLOUD);
    cr_assert_eq(got.vendor_cloud_dependency, IOTNET_YES);
    cr_assert_eq(got.credentials_escrowed, IOTNET_NO);
    cr_assert_eq(got.attestation, IOTNET_ATTEST_RATS);

    iotnet_lifecycle second = IOTNET_LIFECYCLE_INIT;
    second.update_mechanism = IOTNET_UPDATE_MANUAL;
    expect_ok(iotnet_lifecycle_set(net, cam, &second));
    expect_ok(iotnet_lifecycle_get(net, cam, &got));
    cr_assert_eq(got.update_mechanism, IOTNET_UPDATE_MANUAL);
    cr_assert_null(got.owner, "set replaces every field");
    cr_assert_eq(got.certificate_not_after, IOTNET_TIME_UNSET);
    cr_assert_eq(got.attestation, IOTNET_ATTEST_UNSPECIFIED);
}

Test(net, lifecycle_errors)
{
    iotnet_index cam = add_node("cam", "camera", NULL);
    iotnet_lifecycle lc = IOTNET_LIFECYCLE_INIT;
    cr_assert_eq(iotnet_lifecycle_set(net, cam + 3, &lc), IOTNET_ENOTFOUND);
    cr_assert_eq(iotnet_lifecycle_set(net, cam, NULL), IOTNET_EINVAL);
    cr_assert_eq(iotnet_lifecycle_get(net, cam, NULL), IOTNET_EINVAL);
}

/* ---- NULL arguments ----------------------------------------------- */

Test(net, null_arguments_are_invalid_not_fatal)
{
    iotnet_index ix;
    iotnet_node_spec ns = IOTNET_NODE_SPEC_INIT;
    iotnet_zone_spec zs = IOTNET_ZONE_SPEC_INIT;
    iotnet_link_spec ls = IOTNET_LINK_SPEC_INIT;
    iotnet_conduit_spec cs = IOTNET_CONDUIT_SPEC_INIT;
    ns.id = "n";
    ns.kind = "camera";
    zs.id = "z";
    zs.kind = "home-lan";
    iotnet_index n = add_node("cam", "camera", NULL);

    cr_expect_eq(iotnet_net_new(NULL), IOTNET_EINVAL);
    iotnet_net_free(NULL);
    cr_expect_eq(iotnet_net_set_name(NULL, "x"), IOTNET_EINVAL);
    cr_expect_null(iotnet_net_name(NULL));

    cr_expect_eq(iotnet_node_add(NULL, &ix, &ns), IOTNET_EINVAL);
    cr_expect_eq(iotnet_node_add(net, &ix, NULL), IOTNET_EINVAL);
    cr_expect_eq(iotnet_node_find(NULL, &ix, "cam"), IOTNET_EINVAL);
    cr_expect_eq(iotnet_node_find(net, &ix, NULL), IOTNET_EINVAL);
    cr_expect_eq(iotnet_node_get(NULL, n, &ns), IOTNET_EINVAL);
    cr_expect_eq(iotnet_node_get(net, n, NULL), IOTNET_EINVAL);
    cr_expect_eq(iotnet_node_update(net, n, NULL), IOTNET_EINVAL);
    cr_expect_eq(iotnet_node_update(NULL, n, &ns), IOTNET_EINVAL);
    cr_expect_eq(iotnet_node_remove(NULL, n), IOTNET_EINVAL);
    cr_expect_eq(iotnet_node_count(NULL), 0);
    cr_expect_eq(iotnet_node_next(NULL, IOTNET_NONE), IOTNET_NONE);
    cr_expect_eq(iotnet_node_kind(NULL, n), IOTNET_NONE);
    cr_expect_eq(iotnet_node_zone(NULL, n), IOTNET_NONE);
    cr_expect_not(iotnet_node_is_forwarding(NULL, n));
    cr_expect_eq(iotnet_node_next_link(NULL, n, IOTNET_NONE), IOTNET_NONE);

    cr_expect_eq(iotnet_zone_add(NULL, &ix, &zs), IOTNET_EINVAL);
    cr_expect_eq(iotnet_zone_add(net, &ix, NULL), IOTNET_EINVAL);
    cr_expect_eq(iotnet_zone_find(net, &ix, NULL), IOTNET_EINVAL);
    iotnet_index zi = add_zone("lan", "home-lan");
    cr_expect_eq(iotnet_zone_get(net, zi, NULL), IOTNET_EINVAL);
    cr_expect_eq(iotnet_zone_remove(NULL, zi), IOTNET_EINVAL);
    cr_expect_eq(iotnet_zone_count(NULL), 0);
    cr_expect_eq(iotnet_zone_next(NULL, IOTNET_NONE), IOTNET_NONE);

    cr_expect_eq(iotnet_conduit_add(net, &ix, NULL), IOTNET_EINVAL);
    cr_expect_eq(iotnet_conduit_add(NULL, &ix, &cs), IOTNET_EINVAL);
    cr_expect_eq(iotnet_conduit_find(net, &ix, NULL), IOTNET_EINVAL);
    cr_expect_eq(iotnet_conduit_count(NULL), 0);
    cr_expect_eq(iotnet_conduit_next(NULL, IOTNET_NONE), IOTNET_NONE);

    cr_expect_eq(iotnet_link_add(net, &ix, NULL), IOTNET_EINVAL);
    cr_expect_eq(iotnet_link_add(NULL, &ix, &ls), IOTNET_EINVAL);
    cr_expect_eq(iotnet_link_find(net, &ix, NULL), IOTNET_EINVAL);
    cr_expect_eq(iotnet_link_count(NULL), 0);
    cr_expect_eq(iotnet_link_next(NULL, IOTNET_NONE), IOTNET_NONE);

    iface_in(net, n, "eth0", NULL);
    iotnet_service web = IOTNET_SERVICE_INIT;
    web.name = "web";
    expect_ok(iotnet_service_add(net, n, &web));
    cr_expect_eq(iotnet_interface_add(net, n, NULL), IOTNET_EINVAL);
    cr_expect_eq(iotnet_interface_get(net, n, 0, NULL), IOTNET_EINVAL);
    cr_expect_eq(iotnet_interface_remove(net, n, NULL), IOTNET_EINVAL);
    cr_expect_eq(iotnet_interface_count(NULL, n), 0);
    cr_expect_eq(iotnet_service_add(net, n, NULL), IOTNET_EINVAL);
    cr_expect_eq(iotnet_service_get(net, n, 0, NULL), IOTNET_EINVAL);
    cr_expect_eq(iotnet_service_remove(net, n, NULL), IOTNET_EINVAL);
    cr_expect_eq(iotnet_service_count(NULL, n), 0);
    cr_expect_eq(iotnet_lifecycle_set(NULL, n, NULL), IOTNET_EINVAL);

    uint32_t addr;
    uint8_t len;
    cr_expect_eq(iotnet_ipv4_parse(&addr, &len, NULL), IOTNET_EINVAL);
    cr_expect_eq(iotnet_ipv4_parse(NULL, &len, "1.2.3.4"), IOTNET_EINVAL);

    cr_expect_eq(iotnet_kind_add(NULL, NULL, "x", "device"), IOTNET_EINVAL);
    cr_expect_eq(iotnet_kind_add(net, NULL, NULL, "device"), IOTNET_EINVAL);
    iotnet_kind k;
    cr_expect_eq(iotnet_kind_find(net, &k, NULL), IOTNET_EINVAL);
    cr_expect_eq(iotnet_kind_count(NULL), 0);
    cr_expect_null(iotnet_kind_name(NULL, 0));

    cr_expect_neq(iotnet_net_equal(NULL, net, NULL), 1);
    cr_expect_neq(iotnet_net_equal(net, NULL, NULL), 1);

    /* none of it changed the model */
    cr_expect_eq(iotnet_node_count(net), 1);
    cr_expect_eq(iotnet_zone_count(net), 1);
    cr_expect_eq(iotnet_error_last()->code, IOTNET_EINVAL);
}

/* ---- equality ----------------------------------------------------- */

typedef enum mutation {
    SAME = 0,
    NODE_FIELD,
    SERVICE_PORT,
    NODE_ATTRIBUTE,
    LINK_ATTRIBUTE,
    ZONE_ATTRIBUTE,
    RULE_ACTION,
    RULE_ORDER,
    POLICY_DEFAULT,
    NAT_FLAG,
    FORWARD_PORT,
    EXTRA_NODE,
    LIFECYCLE_OWNER,
    ZONE_LEVEL,
    LINK_LATENCY,
    INTERFACE_ADDRESS,
    CONDUIT_SERVICES,
} mutation;

static void add_value(iotnet_net *n, iotnet_entity e, iotnet_index ix, const char *key,
                      iotnet_attr_type type, const char *s, int64_t i)
{
    iotnet_value v = {.type = type, .string = s, .integer = i};
    expect_ok(iotnet_attr_set(n, e, ix, key, &v));
}

static void build_zones(iotnet_net *n, bool reverse, mutation m)
{
    const char *ids[] = {"lan-zone", "iot-zone", "wan-zone"};
    const char *kinds[] = {"home-lan", "iot-lan", "internet-zone"};
    for (int k = 0; k < 3; k++) {
        int i = reverse ? 2 - k : k;
        iotnet_zone_spec z = IOTNET_ZONE_SPEC_INIT;
        z.id = ids[i];
        z.kind = kinds[i];
        if (i == 1)
            z.purdue_level = m == ZONE_LEVEL ? 2.0 : 1.0;
        expect_ok(iotnet_zone_add(n, NULL, &z));
    }
    iotnet_index iot;
    expect_ok(iotnet_zone_find(n, &iot, "iot-zone"));
    add_value(n, IOTNET_ENTITY_ZONE, iot, "owner", IOTNET_ATTR_STRING,
              m == ZONE_ATTRIBUTE ? "it" : "facilities", 0);
    iotnet_conduit_spec c = IOTNET_CONDUIT_SPEC_INIT;
    c.id = "iot-to-lan";
    c.from_zone = "iot-zone";
    c.to_zone = "lan-zone";
    c.services = m == CONDUIT_SERVICES ? "tcp/554 tcp/80" : "tcp/554";
    expect_ok(iotnet_conduit_add(n, NULL, &c));
}

static void build_node(iotnet_net *n, int which, mutation m)
{
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    iotnet_index ix;
    switch (which) {
    case 0:
        s.id = "gw1";
        s.kind = "home-router";
        s.zone = "lan-zone";
        s.vendor = "Acme";
        s.implementation = "acme-fw";
        expect_ok(iotnet_node_add(n, &ix, &s));
        iface_in(n, ix, "lan0", "192.168.1.1/24");
        iface_in(n, ix, "iot0", "192.168.2.1/24");
        iface_in(n, ix, "wan0", "203.0.113.2/30");
        break;
    case 1: {
        s.id = "cam1";
        s.kind = "camera";
        s.zone = "iot-zone";
        s.vendor = m == NODE_FIELD ? "Other" : "Hikam";
        expect_ok(iotnet_node_add(n, &ix, &s));
        iface_in(n, ix, "eth0", m == INTERFACE_ADDRESS ? "192.168.2.21/24" : "192.168.2.20/24");
        iotnet_service rtsp = IOTNET_SERVICE_INIT, http = IOTNET_SERVICE_INIT;
        rtsp.name = "rtsp";
        rtsp.port = 554;
        http.name = "http";
        http.port = m == SERVICE_PORT ? 8080 : 80;
        expect_ok(iotnet_service_add(n, ix, &rtsp));
        expect_ok(iotnet_service_add(n, ix, &http));
        iotnet_lifecycle lc = IOTNET_LIFECYCLE_INIT;
        lc.owner = m == LIFECYCLE_OWNER ? "bob" : "alice";
        lc.certificate_not_after = 1893456000;
        expect_ok(iotnet_lifecycle_set(n, ix, &lc));
        break;
    }
    case 2:
        s.id = "phone1";
        s.kind = "phone";
        s.zone = "lan-zone";
        expect_ok(iotnet_node_add(n, &ix, &s));
        break;
    default:
        s.id = "inet1";
        s.kind = "internet";
        s.zone = "wan-zone";
        expect_ok(iotnet_node_add(n, &ix, &s));
        break;
    }
}

static void build_links(iotnet_net *n, bool reverse, mutation m)
{
    iotnet_link_spec l[3] = {IOTNET_LINK_SPEC_INIT, IOTNET_LINK_SPEC_INIT, IOTNET_LINK_SPEC_INIT};
    l[0].id = "gw-cam";
    l[0].a = "gw1";
    l[0].a_interface = "iot0";
    l[0].b = "cam1";
    l[0].b_interface = "eth0";
    l[0].medium = IOTNET_MEDIUM_WIFI;
    l[1].id = "gw-phone";
    l[1].a = "gw1";
    l[1].a_interface = "lan0";
    l[1].b = "phone1";
    l[2].id = "gw-inet";
    l[2].a = "gw1";
    l[2].a_interface = "wan0";
    l[2].b = "inet1";
    l[2].latency_ms = m == LINK_LATENCY ? 9.0 : 8.0;
    for (int k = 0; k < 3; k++)
        expect_ok(iotnet_link_add(n, NULL, &l[reverse ? 2 - k : k]));
    iotnet_index gc;
    expect_ok(iotnet_link_find(n, &gc, "gw-cam"));
    add_value(n, IOTNET_ENTITY_LINK, gc, "vlan", IOTNET_ATTR_INT, NULL,
              m == LINK_ATTRIBUTE ? 30 : 20);
}

static void build_attributes(iotnet_net *n, bool reverse, mutation m)
{
    iotnet_index cam;
    expect_ok(iotnet_node_find(n, &cam, "cam1"));
    for (int k = 0; k < 2; k++) {
        if ((k == 0) != reverse)
            add_value(n, IOTNET_ENTITY_NODE, cam, "criticality", IOTNET_ATTR_INT, NULL,
                      m == NODE_ATTRIBUTE ? 4 : 3);
        else
            add_value(n, IOTNET_ENTITY_NODE, cam, "note", IOTNET_ATTR_STRING, "porch", 0);
    }
}

static void build_policy(iotnet_net *n, mutation m)
{
    iotnet_index gw;
    expect_ok(iotnet_node_find(n, &gw, "gw1"));
    expect_ok(iotnet_policy_set_default(n, gw, m == POLICY_DEFAULT ? IOTNET_ACTION_REJECT
                                                                     : IOTNET_ACTION_DROP));
    iotnet_rule r[2] = {IOTNET_RULE_INIT, IOTNET_RULE_INIT};
    r[0].name = "allow-phone-cam";
    r[0].from = (iotnet_selector){IOTNET_SELECT_NODE, "phone1"};
    r[0].to = (iotnet_selector){IOTNET_SELECT_NODE, "cam1"};
    r[0].protocol = IOTNET_PROTO_TCP;
    r[0].port_lo = r[0].port_hi = 554;
    r[0].action = IOTNET_ACTION_ACCEPT;
    r[1].name = "drop-cam-wan";
    r[1].from = (iotnet_selector){IOTNET_SELECT_ZONE, "iot-zone"};
    r[1].to = (iotnet_selector){IOTNET_SELECT_INTERNET, NULL};
    r[1].action = m == RULE_ACTION ? IOTNET_ACTION_REJECT : IOTNET_ACTION_DROP;
    bool swap = m == RULE_ORDER;
    expect_ok(iotnet_policy_add_rule(n, gw, &r[swap ? 1 : 0]));
    expect_ok(iotnet_policy_add_rule(n, gw, &r[swap ? 0 : 1]));

    iotnet_nat nat = IOTNET_NAT_INIT;
    nat.inside = "lan0 iot0";
    nat.outside = "wan0";
    nat.hairpinning = m == NAT_FLAG;
    expect_ok(iotnet_nat_set(n, gw, &nat));
    iotnet_port_forward f = IOTNET_PORT_FORWARD_INIT;
    f.name = "fw-rtsp";
    f.external_port = m == FORWARD_PORT ? 8555 : 8554;
    f.to_node = "cam1";
    f.internal_port = 554;
    expect_ok(iotnet_nat_add_forward(n, gw, &f));
}

/* The same home network, its tables filled in forward or reverse order. */
static iotnet_net *build_home(int slot, bool reverse, mutation m)
{
    iotnet_net *n = new_aux(slot);
    build_zones(n, reverse, m);
    for (int k = 0; k < 4; k++)
        build_node(n, reverse ? 3 - k : k, m);
    if (m == EXTRA_NODE)
        node_in(n, "lamp1", "light", "lan-zone");
    build_links(n, reverse, m);
    build_attributes(n, reverse, m);
    build_policy(n, m);
    return n;
}

Test(net, equal_ignores_table_order)
{
    iotnet_net *a = build_home(0, false, SAME);
    iotnet_net *b = build_home(1, true, SAME);
    cr_assert_eq(compare(a, b), 1, "models differ: %s", why ? why : "(no reason)");
    cr_assert_eq(compare(b, a), 1, "models differ: %s", why ? why : "(no reason)");
    cr_assert_eq(iotnet_net_equal(a, a, NULL), 1);
}

Test(net, equal_ignores_removed_elements)
{
    iotnet_net *a = build_home(0, false, SAME);
    iotnet_net *b = new_aux(1);
    zone_in(b, "scratch", "guest-lan");
    iotnet_index tmp = node_in(b, "tmp", "camera", "scratch");
    build_zones(b, false, SAME);
    for (int k = 0; k < 4; k++)
        build_node(b, k, SAME);
    link_in(b, "tmp-gw", "tmp", "gw1");
    build_links(b, false, SAME);
    build_attributes(b, false, SAME);
    build_policy(b, SAME);
    expect_ok(iotnet_node_remove(b, tmp));
    iotnet_index z;
    expect_ok(iotnet_zone_find(b, &z, "scratch"));
    expect_ok(iotnet_zone_remove(b, z));
    cr_assert_eq(compare(a, b), 1, "models differ: %s", why ? why : "");
}

typedef struct difference {
    mutation m;
    char element[32]; /* the element the message must name */
    char detail[32];  /* and, when not empty, the part of it */
} difference;

ParameterizedTestParameters(net, equal_names_the_difference)
{
    static difference cases[] = {
        {NODE_FIELD, "cam1", ""},
        {SERVICE_PORT, "cam1", ""},
        {NODE_ATTRIBUTE, "cam1", "criticality"},
        {LINK_ATTRIBUTE, "gw-cam", "vlan"},
        {ZONE_ATTRIBUTE, "iot-zone", "owner"},
        {RULE_ACTION, "gw1", ""},
        {RULE_ORDER, "gw1", ""},
        {POLICY_DEFAULT, "gw1", ""},
        {NAT_FLAG, "gw1", ""},
        {FORWARD_PORT, "gw1", ""},
        {EXTRA_NODE, "lamp1", ""},
        {LIFECYCLE_OWNER, "cam1", ""},
        {ZONE_LEVEL, "iot-zone", ""},
        {LINK_LATENCY, "gw-inet", ""},
        {INTERFACE_ADDRESS, "cam1", ""},
        {CONDUIT_SERVICES, "iot-to-lan", ""},
    };
    return cr_make_param_array(difference, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(difference *p, net, equal_names_the_difference)
{
    iotnet_net *a = build_home(0, false, SAME);
    iotnet_net *b = build_home(1, true, p->m);
    cr_assert_eq(compare(a, b), 0, "mutation %d not noticed", (int)p->m);
    cr_assert_not_null(why, "no reason given");
    cr_assert(strstr(why, p->element) != NULL, "\"%s\" does not name %s", why, p->element);
    if (p->detail[0])
        cr_assert(strstr(why, p->detail) != NULL, "\"%s\" does not name %s", why, p->detail);
    cr_assert_eq(compare(b, a), 0, "equality is not symmetric");
    cr_assert_eq(iotnet_net_equal(a, b, NULL), 0);
}

/* ---- failed calls leave the model as it was ------------------------ */

Test(net, failed_calls_change_nothing)
{
    iotnet_index lan = add_zone("lan", "home-lan");
    iotnet_index gw = add_node("gw", "home-router", "lan");
    iotnet_index cam = add_node("cam", "camera", "lan");
    iface_in(net, gw, "lan0", NULL);
    add_link("gw-cam", "gw", "cam");
    iotnet_net *copy = new_aux(0);
    zone_in(copy, "lan", "home-lan");
    iotnet_index cgw = node_in(copy, "gw", "home-router", "lan");
    node_in(copy, "cam", "camera", "lan");
    iface_in(copy, cgw, "lan0", NULL);
    link_in(copy, "gw-cam", "gw", "cam");

    iotnet_node_spec ns = IOTNET_NODE_SPEC_INIT;
    ns.id = "new";
    ns.kind = "camera";
    ns.zone = "nowhere";
    cr_assert_lt(iotnet_node_add(net, NULL, &ns), 0);
    ns.id = "gw";
    ns.zone = NULL;
    cr_assert_lt(iotnet_node_add(net, NULL, &ns), 0);
    iotnet_link_spec ls = IOTNET_LINK_SPEC_INIT;
    ls.id = "gw-x";
    ls.a = "gw";
    ls.a_interface = "lan9";
    ls.b = "cam";
    cr_assert_lt(iotnet_link_add(net, NULL, &ls), 0);
    ls.id = "gw-cam";
    ls.a_interface = NULL;
    cr_assert_lt(iotnet_link_add(net, NULL, &ls), 0);
    cr_assert_lt(iotnet_zone_remove(net, lan), 0);
    iotnet_interface i = IOTNET_INTERFACE_INIT;
    i.name = "lan0";
    cr_assert_lt(iotnet_interface_add(net, gw, &i), 0);
    iotnet_service s = IOTNET_SERVICE_INIT;
    s.name = "bad";
    s.protocol = 1000;
    cr_assert_lt(iotnet_service_add(net, cam, &s), 0);

    cr_assert_eq(iotnet_node_count(net), 2);
    cr_assert_eq(iotnet_link_count(net), 1);
    cr_assert_eq(iotnet_zone_count(net), 1);
    cr_assert_eq(iotnet_interface_count(net, gw), 1);
    cr_assert_eq(iotnet_service_count(net, cam), 0);
    iotnet_index found;
    cr_assert_eq(iotnet_node_find(net, &found, "new"), IOTNET_ENOTFOUND);
    cr_assert_eq(iotnet_link_find(net, &found, "gw-x"), IOTNET_ENOTFOUND);
    cr_assert_eq(compare(net, copy), 1, "model changed: %s", why ? why : "");
}
