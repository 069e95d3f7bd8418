/* Topology files: every field of a small network read back through the API,
 * round trips through JSON and XML, loading from memory, dates and durations,
 * users' kind modules, and what saving refuses. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

#define GOOD IOTNET_TEST_DIR "/data/good"
#define SMALL GOOD "/small.json"
#define ACME GOOD "/acme.json"
#define ACME_YANG GOOD "/yang"

static iotnet_net *net;

static void setup(void)
{
    net = NULL;
    iotnet_error_clear();
}

static void teardown(void)
{
    iotnet_net_free(net);
}

TestSuite(yangio, .init = setup, .fini = teardown);

static iotnet_net *load_small(void)
{
    iotnet_net *n = NULL;
    expect_ok(iotnet_net_load(&n, SMALL, NULL));
    cr_assert_not_null(n);
    return n;
}

static iotnet_index node_at(const iotnet_net *n, const char *id)
{
    iotnet_index ix = IOTNET_NONE;
    expect_ok(iotnet_node_find(n, &ix, id));
    return ix;
}

static iotnet_index zone_at(const iotnet_net *n, const char *id)
{
    iotnet_index ix = IOTNET_NONE;
    expect_ok(iotnet_zone_find(n, &ix, id));
    return ix;
}

static iotnet_index link_at(const iotnet_net *n, const char *id)
{
    iotnet_index ix = IOTNET_NONE;
    expect_ok(iotnet_link_find(n, &ix, id));
    return ix;
}

/* ------------------------------------------------------------------ */
/* Every field of the small network                                    */

Test(yangio, zones_read_back)
{
    net = load_small();
    expect_str(iotnet_net_name(net), "small test network");
    cr_assert_eq(iotnet_zone_count(net), 3);

    iotnet_zone_spec z = IOTNET_ZONE_SPEC_INIT;
    expect_ok(iotnet_zone_get(net, zone_at(net, "lan"), &z));
    expect_str(z.kind, "home-lan");
    cr_assert_float_eq(z.purdue_level, 4.0, 1e-9);
    cr_assert_eq(z.target_sl, 2);
    cr_assert_eq(z.target_sl_fr[0], 3);
    cr_assert_eq(z.target_sl_fr[6], 1);
    for (int fr = 1; fr < 6; fr++)
        cr_assert_eq(z.target_sl_fr[fr], 0, "FR%d has a target it was not given", fr + 1);

    expect_ok(iotnet_zone_get(net, zone_at(net, "iot"), &z));
    expect_str(z.kind, "iot-lan");
    cr_assert_float_eq(z.purdue_level, 3.5, 1e-9);
    cr_assert_eq(z.target_sl, 0);

    expect_ok(iotnet_zone_get(net, zone_at(net, "internet"), &z));
    expect_str(z.description, "everything outside");
    cr_assert_lt(z.purdue_level, 0.0, "an absent Purdue level reads as unset");
}

Test(yangio, conduits_read_back)
{
    net = load_small();
    cr_assert_eq(iotnet_conduit_count(net), 2);
    iotnet_index c = IOTNET_NONE;
    iotnet_conduit_spec s = IOTNET_CONDUIT_SPEC_INIT;
    expect_ok(iotnet_conduit_find(net, &c, "lan-to-iot"));
    expect_ok(iotnet_conduit_get(net, c, &s));
    expect_str(s.from_zone, "lan");
    expect_str(s.to_zone, "iot");
    expect_str(s.services, "tcp/443 udp/5683 tcp/8000-8100 icmp");
    cr_assert(s.bidirectional);
    expect_str(s.description, "apps control devices");

    expect_ok(iotnet_conduit_find(net, &c, "iot-out"));
    expect_ok(iotnet_conduit_get(net, c, &s));
    cr_assert(!s.services || !*s.services, "a conduit without services carries any");
    cr_assert(!s.bidirectional);
}

Test(yangio, nodes_and_interfaces_read_back)
{
    net = load_small();
    cr_assert_eq(iotnet_node_count(net), 4);
    iotnet_index gw = node_at(net, "router");
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    expect_ok(iotnet_node_get(net, gw, &s));
    expect_str(s.kind, "home-router");
    expect_str(s.zone, "lan");
    expect_str(s.vendor, "Acme");
    expect_str(s.model, "R100");
    expect_str(s.firmware, "1.2.3");
    expect_str(s.implementation, "linux-netfilter");
    expect_str(s.description, "the home gateway");
    expect_str(s.mud_url, NULL);
    cr_assert(iotnet_node_is_forwarding(net, gw));

    cr_assert_eq(iotnet_interface_count(net, gw), 3);
    iotnet_interface i = IOTNET_INTERFACE_INIT;
    expect_ok(iotnet_interface_get(net, gw, 1, &i));
    expect_str(i.name, "lan0");
    cr_assert_eq(i.ipv4, 0xC0A80101u);
    cr_assert_eq(i.prefix_len, 24);
    expect_str(i.description, "main LAN");

    expect_ok(iotnet_node_get(net, node_at(net, "camera"), &s));
    expect_str(s.mud_url, "https://camco.example/mud/cam1.json");
    iotnet_index phone = node_at(net, "phone");
    expect_ok(iotnet_interface_get(net, phone, 0, &i));
    expect_str(i.name, "wlan0");
    cr_assert_eq(i.ipv4, 0, "an interface without an address has none");
}

Test(yangio, services_read_back)
{
    net = load_small();
    iotnet_index gw = node_at(net, "router");
    cr_assert_eq(iotnet_service_count(net, gw), 3);
    iotnet_service v = IOTNET_SERVICE_INIT;
    expect_ok(iotnet_service_get(net, gw, 0, &v));
    expect_str(v.name, "web-ui");
    cr_assert_eq(v.protocol, IOTNET_PROTO_TCP);
    cr_assert_eq(v.port, 443);
    cr_assert_eq(v.authentication, IOTNET_AUTH_DEFAULT_PASSWORD);
    cr_assert_eq(v.transport, IOTNET_TRANSPORT_TLS1_2);
    expect_str(v.cipher_suites,
               "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 TLS_RSA_WITH_AES_128_CBC_SHA");
    cr_assert(v.management);
    cr_assert_eq(v.nat_traversal, IOTNET_TRAVERSAL_NONE);

    expect_ok(iotnet_service_get(net, gw, 2, &v));
    expect_str(v.name, "ping");
    cr_assert_eq(v.protocol, IOTNET_PROTO_ICMP);
    cr_assert_eq(v.port, 0);
    cr_assert_eq(v.authentication, IOTNET_AUTH_UNSPECIFIED);
    cr_assert(!v.management);

    iotnet_index cam = node_at(net, "camera");
    expect_ok(iotnet_service_get(net, cam, 0, &v));
    cr_assert_eq(v.transport, IOTNET_TRANSPORT_TLS1_3);
    expect_str(v.cipher_suites, "TLS_AES_128_CCM_8_SHA256");
    cr_assert_eq(v.nat_traversal, IOTNET_TRAVERSAL_UPNP);
    expect_ok(iotnet_service_get(net, cam, 1, &v));
    cr_assert_eq(v.protocol, IOTNET_PROTO_UDP);
    cr_assert_eq(v.authentication, IOTNET_AUTH_PSK);
    cr_assert_eq(v.nat_traversal, IOTNET_TRAVERSAL_HOLE_PUNCH);

    expect_ok(iotnet_service_get(net, node_at(net, "phone"), 0, &v));
    cr_assert_eq(v.protocol, IOTNET_PROTO_SCTP);
    cr_assert_eq(v.transport, IOTNET_TRANSPORT_DTLS1_3);
    cr_assert_eq(v.nat_traversal, IOTNET_TRAVERSAL_PCP);
}

Test(yangio, lifecycle_read_back)
{
    net = load_small();
    iotnet_lifecycle lc = IOTNET_LIFECYCLE_INIT;
    expect_ok(iotnet_lifecycle_get(net, node_at(net, "camera"), &lc));
    /* 2030-01-01T00:00:00+02:00 */
    cr_assert_eq(lc.certificate_not_after, 1893448800);
    /* P10Y: ten years of 365 days */
    cr_assert_eq(lc.signed_artifact_lifetime, 3650LL * 86400);
    /* 2028-06-30T12:30:00.5Z: the fraction is dropped */
    cr_assert_eq(lc.end_of_support, 1845981000);
    cr_assert_eq(lc.update_mechanism, IOTNET_UPDATE_SUIT);
    expect_str(lc.owner, "previous tenant");
    cr_assert_eq(lc.ownership_statement, IOTNET_NO);
    cr_assert_eq(lc.reset_method, IOTNET_RESET_BUTTON);
    cr_assert_eq(lc.vendor_cloud_dependency, IOTNET_YES);
    cr_assert_eq(lc.credentials_escrowed, IOTNET_NO);
    cr_assert_eq(lc.attestation, IOTNET_ATTEST_RATS);

    expect_ok(iotnet_lifecycle_get(net, node_at(net, "phone"), &lc));
    cr_assert_eq(lc.certificate_not_after, IOTNET_TIME_UNSET);
    cr_assert_eq(lc.signed_artifact_lifetime, IOTNET_TIME_UNSET);
    cr_assert_eq(lc.ownership_statement, IOTNET_YES);
    cr_assert_eq(lc.vendor_cloud_dependency, IOTNET_UNKNOWN, "an absent tristate is unknown");
    cr_assert_eq(lc.update_mechanism, IOTNET_UPDATE_AUTOMATIC);
    cr_assert_eq(lc.reset_method, IOTNET_RESET_APP);
    cr_assert_eq(lc.attestation, IOTNET_ATTEST_VENDOR);

    cr_assert_neq(iotnet_lifecycle_get(net, node_at(net, "router"), &lc), 0,
                  "a node without a lifecycle container has no lifecycle facts");
}

static iotnet_value attr(const iotnet_net *n, iotnet_entity e, iotnet_index ix, const char *key)
{
    iotnet_value v;
    memset(&v, 0, sizeof v);
    expect_ok(iotnet_attr_get(n, e, ix, key, &v));
    return v;
}

Test(yangio, attributes_of_every_type)
{
    net = load_small();
    iotnet_index gw = node_at(net, "router");
    iotnet_value v = attr(net, IOTNET_ENTITY_NODE, gw, "rack");
    cr_assert_eq(v.type, IOTNET_ATTR_STRING);
    expect_str(v.string, "hallway");
    v = attr(net, IOTNET_ENTITY_NODE, gw, "uptime-days");
    cr_assert_eq(v.type, IOTNET_ATTR_INT);
    cr_assert_eq(v.integer, -12);
    v = attr(net, IOTNET_ENTITY_NODE, gw, "cpu-load");
    cr_assert_eq(v.type, IOTNET_ATTR_FLOAT);
    cr_assert_eq(v.real, 0.125);
    v = attr(net, IOTNET_ENTITY_NODE, gw, "wps");
    cr_assert_eq(v.type, IOTNET_ATTR_BOOL);
    cr_assert(v.boolean);
    v = attr(net, IOTNET_ENTITY_NODE, gw, "installed");
    cr_assert_eq(v.type, IOTNET_ATTR_DATE);
    cr_assert_eq(v.integer, 1614834367);
    v = attr(net, IOTNET_ENTITY_NODE, gw, "warranty");
    cr_assert_eq(v.type, IOTNET_ATTR_DURATION);
    cr_assert_eq(v.integer, 2 * 365 * 86400LL);

    iotnet_index cam = node_at(net, "camera");
    cr_assert_eq(attr(net, IOTNET_ENTITY_NODE, cam, "cpu-load").real, -3.5);
    /* 2022-12-31T23:59:59-05:00 */
    cr_assert_eq(attr(net, IOTNET_ENTITY_NODE, cam, "installed").integer, 1672549199);
    cr_assert_eq(attr(net, IOTNET_ENTITY_NODE, cam, "retention").integer, 36 * 3600);

    v = attr(net, IOTNET_ENTITY_ZONE, zone_at(net, "lan"), "floors");
    cr_assert_eq(v.type, IOTNET_ATTR_INT);
    cr_assert_eq(v.integer, 2);
    iotnet_index uplink = link_at(net, "uplink");
    cr_assert_eq(attr(net, IOTNET_ENTITY_LINK, uplink, "bandwidth-mbps").integer, 1000);
    v = attr(net, IOTNET_ENTITY_LINK, uplink, "metered");
    cr_assert_eq(v.type, IOTNET_ATTR_BOOL);
    cr_assert(!v.boolean);
}

static iotnet_rule rule_at(const iotnet_net *n, iotnet_index node, size_t i)
{
    iotnet_rule r = IOTNET_RULE_INIT;
    expect_ok(iotnet_policy_get_rule(n, node, i, &r));
    return r;
}

Test(yangio, policy_rules_in_order_with_every_selector)
{
    net = load_small();
    iotnet_index gw = node_at(net, "router");
    cr_assert(iotnet_policy_exists(net, gw));
    cr_assert(!iotnet_policy_exists(net, node_at(net, "camera")));
    iotnet_action def;
    expect_ok(iotnet_policy_get_default(net, gw, &def));
    cr_assert_eq(def, IOTNET_ACTION_DROP);
    cr_assert_eq(iotnet_policy_rule_count(net, gw), 5);

    iotnet_rule r = rule_at(net, gw, 0);
    expect_str(r.name, "lan-out");
    cr_assert_eq(r.from.type, IOTNET_SELECT_ZONE);
    expect_str(r.from.value, "lan");
    cr_assert_eq(r.to.type, IOTNET_SELECT_INTERNET);
    cr_assert_eq(r.protocol, IOTNET_PROTO_ANY);
    cr_assert_eq(r.port_lo, 0);
    cr_assert_eq(r.port_hi, 0);
    cr_assert_eq(r.action, IOTNET_ACTION_ACCEPT);

    r = rule_at(net, gw, 1);
    expect_str(r.name, "camera-feed");
    cr_assert_eq(r.from.type, IOTNET_SELECT_NODE);
    expect_str(r.from.value, "phone");
    cr_assert_eq(r.to.type, IOTNET_SELECT_KIND);
    expect_str(r.to.value, "camera");
    cr_assert_eq(r.protocol, IOTNET_PROTO_TCP);
    cr_assert_eq(r.port_lo, 554, "a lower port alone is one port");
    cr_assert_eq(r.port_hi, 554);
    cr_assert_eq(r.initiated_by, IOTNET_INITIATED_FROM);
    expect_str(r.description, "RTSP from the phone");

    r = rule_at(net, gw, 2);
    cr_assert_eq(r.from.type, IOTNET_SELECT_CIDR);
    expect_str(r.from.value, "192.168.2.0/24");
    cr_assert_eq(r.to.type, IOTNET_SELECT_NODE);
    cr_assert_eq(r.port_lo, 8000);
    cr_assert_eq(r.port_hi, 8100);
    cr_assert_eq(r.action, IOTNET_ACTION_REJECT);

    r = rule_at(net, gw, 3);
    cr_assert_eq(r.from.type, IOTNET_SELECT_ANY);
    cr_assert_eq(r.to.type, IOTNET_SELECT_ZONE);
    cr_assert_eq(r.protocol, IOTNET_PROTO_UDP);
    cr_assert_eq(r.initiated_by, IOTNET_INITIATED_TO);

    r = rule_at(net, gw, 4);
    expect_str(r.name, "default-selectors");
    cr_assert_eq(r.from.type, IOTNET_SELECT_ANY, "a missing from container matches any");
    cr_assert_eq(r.to.type, IOTNET_SELECT_ANY);
    cr_assert_eq(r.protocol, IOTNET_PROTO_ICMP);
    cr_assert_eq(r.action, IOTNET_ACTION_DROP);
}

Test(yangio, nat44_and_port_forwards)
{
    net = load_small();
    iotnet_index gw = node_at(net, "router");
    iotnet_nat nat = IOTNET_NAT_INIT;
    expect_ok(iotnet_nat_get(net, gw, &nat));
    expect_str(nat.inside, "lan0 iot0");
    expect_str(nat.outside, "wan0");
    cr_assert_eq(nat.mapping, IOTNET_NAT_MAPPING_AD);
    cr_assert_eq(nat.filtering, IOTNET_NAT_FILTER_EI);
    cr_assert(nat.hairpinning);
    cr_assert(nat.upnp);
    cr_assert(!nat.pcp);
    cr_assert(!nat.cgnat);

    cr_assert_eq(iotnet_nat_forward_count(net, gw), 3);
    iotnet_port_forward f = IOTNET_PORT_FORWARD_INIT;
    expect_ok(iotnet_nat_get_forward(net, gw, 0, &f));
    expect_str(f.name, "cam-rtsp");
    cr_assert_eq(f.protocol, IOTNET_PROTO_TCP);
    cr_assert_eq(f.external_port, 8554);
    expect_str(f.to_node, "camera");
    cr_assert_eq(f.internal_port, 554);
    expect_ok(iotnet_nat_get_forward(net, gw, 1, &f));
    cr_assert_eq(f.protocol, IOTNET_PROTO_UDP);
    cr_assert_eq(f.internal_port, 0, "no internal port means the external one");
    expect_ok(iotnet_nat_get_forward(net, gw, 2, &f));
    cr_assert_eq(f.protocol, IOTNET_PROTO_ANY);
}

Test(yangio, links_read_back)
{
    net = load_small();
    cr_assert_eq(iotnet_link_count(net), 3);
    iotnet_link_spec l = IOTNET_LINK_SPEC_INIT;
    expect_ok(iotnet_link_get(net, link_at(net, "uplink"), &l));
    expect_str(l.a, "router");
    expect_str(l.a_interface, "wan0");
    expect_str(l.b, "wan");
    expect_str(l.b_interface, NULL);
    cr_assert_eq(l.medium, IOTNET_MEDIUM_FIBRE);
    cr_assert_float_eq(l.latency_ms, 4.25, 1e-12);
    cr_assert_eq(l.encryption, IOTNET_LINKENC_NONE);
    expect_str(l.description, "FTTH");

    expect_ok(iotnet_link_get(net, link_at(net, "cam-wifi"), &l));
    expect_str(l.b_interface, "iot0");
    cr_assert_eq(l.latency_ms, 0.0, "a zero latency is stated, not unset");
    cr_assert_eq(l.encryption, IOTNET_LINKENC_WPA3);

    expect_ok(iotnet_link_get(net, link_at(net, "phone-wifi"), &l));
    cr_assert_lt(l.latency_ms, 0.0);
    cr_assert_eq(l.medium, IOTNET_MEDIUM_WIFI);
}

/* ------------------------------------------------------------------ */
/* Round trips                                                         */

Test(yangio, round_trip_json)
{
    net = load_small();
    char *text = save_model_text(net, IOTNET_FORMAT_JSON, NULL);
    iotnet_net *again = load_model_text(text, NULL);
    expect_models_equal(net, again);
    iotnet_net_free(again);
    iotnet_string_free(text);
}

Test(yangio, round_trip_json_xml_json)
{
    net = load_small();
    char *xml = save_model_text(net, IOTNET_FORMAT_XML, NULL);
    cr_assert(strstr(xml, "<topology xmlns=\"urn:libiotnet:yang:iotnet-topology\">"), "%s", xml);
    iotnet_net *from_xml = load_model_text(xml, NULL);
    expect_models_equal(net, from_xml);
    char *json = save_model_text(from_xml, IOTNET_FORMAT_JSON, NULL);
    cr_assert(strstr(json, "\"iotnet-topology:topology\""));
    iotnet_net *from_json = load_model_text(json, NULL);
    expect_models_equal(net, from_json);
    iotnet_net_free(from_xml);
    iotnet_net_free(from_json);
    iotnet_string_free(xml);
    iotnet_string_free(json);
}

Test(yangio, saved_text_is_normalised_and_leaves_out_unset_fields)
{
    net = load_small();
    char *text = save_model_text(net, IOTNET_FORMAT_AUTO, NULL);
    /* dates in UTC whatever the time zone, durations in days or seconds */
    cr_assert(strstr(text, "\"certificate-not-after\": \"2029-12-31T22:00:00Z\""), "%s", text);
    cr_assert(strstr(text, "\"end-of-support\": \"2028-06-30T12:30:00Z\""));
    cr_assert(strstr(text, "\"signed-artifact-lifetime\": \"P3650D\""));
    cr_assert(strstr(text, "\"duration\": \"PT129600S\""));
    /* the topology module's own kinds are written bare */
    cr_assert(strstr(text, "\"kind\": \"home-router\""));
    cr_assert(!strstr(text, "iotnet-topology:home-router"));
    /* phone-wifi has no latency; the ping service no port or authentication */
    const char *phone_wifi = strstr(text, "\"id\": \"phone-wifi\"");
    cr_assert_not_null(phone_wifi);
    cr_assert_null(strstr(phone_wifi, "latency-ms"));
    const char *ping = strstr(text, "\"name\": \"ping\"");
    cr_assert_not_null(ping);
    const char *ping_end = strchr(ping, '}');
    const char *auth = strstr(ping, "authentication");
    cr_assert(!auth || auth > ping_end, "an unspecified authentication was written");
    iotnet_string_free(text);
}

static char *temp_dir(void)
{
    char tmpl[] = "/tmp/iotnet-yangio-XXXXXX";
    char *dir = mkdtemp(tmpl);
    cr_assert_not_null(dir);
    return strdup(dir);
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    snprintf(path, n, "%s/%s", dir, name);
    return path;
}

Test(yangio, save_and_load_files_by_extension_and_content)
{
    net = load_small();
    char *dir = temp_dir();
    char *xml = join(dir, "net.xml");
    char *plain = join(dir, "net.topology");
    expect_ok(iotnet_net_save(net, xml, NULL));
    expect_ok(iotnet_net_save(net, plain, NULL));

    FILE *f = fopen(xml, "r");
    cr_assert_not_null(f);
    int first = fgetc(f);
    fclose(f);
    cr_assert_eq(first, '<', "a .xml name saves XML");
    f = fopen(plain, "r");
    first = fgetc(f);
    fclose(f);
    cr_assert_eq(first, '{', "other names save JSON");

    iotnet_net *from_xml = NULL, *from_plain = NULL;
    expect_ok(iotnet_net_load(&from_xml, xml, NULL));
    expect_ok(iotnet_net_load(&from_plain, plain, NULL));
    expect_models_equal(net, from_xml);
    expect_models_equal(net, from_plain);

    /* saving over an existing file replaces it whole */
    iotnet_net *empty = NULL;
    expect_ok(iotnet_net_new(&empty));
    expect_ok(iotnet_net_save(empty, plain, NULL));
    iotnet_net *reloaded = NULL;
    expect_ok(iotnet_net_load(&reloaded, plain, NULL));
    cr_assert_eq(iotnet_node_count(reloaded), 0);

    iotnet_net_free(from_xml);
    iotnet_net_free(from_plain);
    iotnet_net_free(empty);
    iotnet_net_free(reloaded);
    unlink(xml);
    unlink(plain);
    rmdir(dir);
    free(xml);
    free(plain);
    free(dir);
}

Test(yangio, load_data_detects_format_and_needs_no_terminator)
{
    static const char xml[] =
        "  \n<topology xmlns=\"urn:libiotnet:yang:iotnet-topology\">"
        "<node><id>cam</id><kind>camera</kind></node></topology>";
    static const char json[] =
        "{\"iotnet-topology:topology\": {\"node\": [{\"id\": \"cam\", \"kind\": \"camera\"}]}}";
    /* the text is followed by bytes that are not part of it */
    char buf[512];
    memset(buf, '#', sizeof buf);
    memcpy(buf, xml, strlen(xml));
    expect_ok(iotnet_net_load_data(&net, buf, strlen(xml), "memory.xml", NULL));
    cr_assert_eq(iotnet_node_count(net), 1);
    iotnet_net *from_json = NULL;
    memset(buf, '#', sizeof buf);
    memcpy(buf, json, strlen(json));
    expect_ok(iotnet_net_load_data(&from_json, buf, strlen(json), NULL, NULL));
    expect_models_equal(net, from_json);
    iotnet_net_free(from_json);
}

Test(yangio, forced_format_is_obeyed)
{
    static const char json[] =
        "{\"iotnet-topology:topology\": {\"node\": [{\"id\": \"cam\", \"kind\": \"camera\"}]}}";
    iotnet_load_options lo = IOTNET_LOAD_OPTIONS_INIT;
    lo.format = IOTNET_FORMAT_XML;
    static int sentinel;
    iotnet_net *n = (iotnet_net *)&sentinel; /* a failed load must reset it to NULL */
    int rc = iotnet_net_load_data(&n, json, strlen(json), "forced", &lo);
    cr_assert(rc == IOTNET_EPARSE || rc == IOTNET_EVALIDATION, "JSON read as XML: %d %s", rc,
              iotnet_error_last()->message);
    cr_assert_null(n);
    expect_str(iotnet_error_last()->file, "forced");
}

Test(yangio, dates_and_durations_convert)
{
    static const char text[] =
        "{\"iotnet-topology:topology\": {\"node\": [{\"id\": \"t\", \"kind\": \"sensor\",\n"
        " \"attribute\": [\n"
        "  {\"name\": \"leap\", \"date\": \"2024-02-29T14:00:00+02:00\"},\n"
        "  {\"name\": \"moon\", \"date\": \"1969-07-20T20:17:40.999Z\"},\n"
        "  {\"name\": \"first\", \"date\": \"0001-01-01T00:00:00Z\"},\n"
        "  {\"name\": \"last\", \"date\": \"9999-12-31T23:59:59Z\"},\n"
        "  {\"name\": \"west\", \"date\": \"2021-03-04T00:06:07-05:00\"},\n"
        "  {\"name\": \"all-units\", \"duration\": \"P1Y2M3W4DT5H6M7S\"},\n"
        "  {\"name\": \"weeks\", \"duration\": \"P2W\"},\n"
        "  {\"name\": \"months\", \"duration\": \"P18M\"},\n"
        "  {\"name\": \"minutes\", \"duration\": \"PT90M\"},\n"
        "  {\"name\": \"zero\", \"duration\": \"P0D\"},\n"
        "  {\"name\": \"precise\", \"float\": \"1234567.123456\"}\n"
        " ]}]}}";
    net = load_model_text(text, NULL);
    iotnet_index t = node_at(net, "t");
    cr_assert_eq(attr(net, IOTNET_ENTITY_NODE, t, "leap").integer, 1709208000);
    cr_assert_eq(attr(net, IOTNET_ENTITY_NODE, t, "moon").integer, -14182940);
    cr_assert_eq(attr(net, IOTNET_ENTITY_NODE, t, "first").integer, -62135596800LL);
    cr_assert_eq(attr(net, IOTNET_ENTITY_NODE, t, "last").integer, 253402300799LL);
    cr_assert_eq(attr(net, IOTNET_ENTITY_NODE, t, "west").integer, 1614834367);
    cr_assert_eq(attr(net, IOTNET_ENTITY_NODE, t, "all-units").integer,
                 (365 + 2 * 30 + 3 * 7 + 4) * 86400LL + 5 * 3600 + 6 * 60 + 7);
    cr_assert_eq(attr(net, IOTNET_ENTITY_NODE, t, "weeks").integer, 14 * 86400);
    cr_assert_eq(attr(net, IOTNET_ENTITY_NODE, t, "months").integer, 540 * 86400);
    cr_assert_eq(attr(net, IOTNET_ENTITY_NODE, t, "minutes").integer, 5400);
    cr_assert_eq(attr(net, IOTNET_ENTITY_NODE, t, "zero").integer, 0);
    cr_assert_eq(attr(net, IOTNET_ENTITY_NODE, t, "precise").real, 1234567.123456);

    char *saved = save_model_text(net, IOTNET_FORMAT_JSON, NULL);
    cr_assert(strstr(saved, "\"2024-02-29T12:00:00Z\""), "%s", saved);
    cr_assert(strstr(saved, "\"1969-07-20T20:17:40Z\""));
    cr_assert(strstr(saved, "\"0001-01-01T00:00:00Z\""));
    cr_assert(strstr(saved, "\"9999-12-31T23:59:59Z\""));
    cr_assert(strstr(saved, "\"P14D\""));
    cr_assert(strstr(saved, "\"PT5400S\""));
    cr_assert(strstr(saved, "\"P0D\""));
    iotnet_net *again = load_model_text(saved, NULL);
    expect_models_equal(net, again);
    iotnet_net_free(again);
    iotnet_string_free(saved);
}

/* ------------------------------------------------------------------ */
/* Users' kinds                                                        */

Test(yangio, user_module_extends_the_kinds)
{
    iotnet_load_options lo = IOTNET_LOAD_OPTIONS_INIT;
    lo.yang_path = "/nonexistent-yang-dir:" ACME_YANG;
    int rc = iotnet_net_load(&net, ACME, &lo);
    cr_assert_eq(rc, IOTNET_EIO, "a yang_path directory that does not exist is an error");
    cr_assert_null(net);

    lo.yang_path = ACME_YANG;
    expect_ok(iotnet_net_load(&net, ACME, &lo));
    cr_assert_eq(iotnet_kind_is(net, "robot-vacuum", "iot-device"), 1);
    cr_assert_eq(iotnet_kind_is(net, "docking-robot-vacuum", "robot-vacuum"), 1);
    cr_assert_eq(iotnet_kind_is(net, "docking-robot-vacuum", "device"), 1);
    cr_assert_eq(iotnet_kind_is(net, "robot-vacuum", "forwarding"), 0);
    cr_assert_eq(iotnet_kind_is(net, "cleaning-zone", IOTNET_KIND_ZONE_ROOT), 1);
    /* from a submodule, which is found through its module's include */
    cr_assert_eq(iotnet_kind_is(net, "window-robot", "robot-vacuum"), 1);

    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    expect_ok(iotnet_node_get(net, node_at(net, "vac"), &s));
    expect_str(s.kind, "robot-vacuum");
    iotnet_rule r = rule_at(net, node_at(net, "dock"), 0);
    cr_assert_eq(r.from.type, IOTNET_SELECT_KIND);
    expect_str(r.from.value, "robot-vacuum");
}

Test(yangio, saving_keeps_the_user_module_prefix)
{
    iotnet_load_options lo = IOTNET_LOAD_OPTIONS_INIT;
    lo.yang_path = ACME_YANG;
    expect_ok(iotnet_net_load(&net, ACME, &lo));
    char *json = save_model_text(net, IOTNET_FORMAT_JSON, ACME_YANG);
    cr_assert(strstr(json, "\"kind\": \"acme-kinds:robot-vacuum\""), "%s", json);
    cr_assert(strstr(json, "\"kind\": \"acme-kinds:cleaning-zone\""));
    cr_assert(strstr(json, "\"kind\": \"home-router\""));
    char *xml = save_model_text(net, IOTNET_FORMAT_XML, ACME_YANG);
    cr_assert(strstr(xml, "urn:example:acme-kinds"), "%s", xml);

    iotnet_net *from_json = load_model_text(json, ACME_YANG);
    iotnet_net *from_xml = load_model_text(xml, ACME_YANG);
    expect_models_equal(net, from_json);
    expect_models_equal(net, from_xml);
    iotnet_net_free(from_json);
    iotnet_net_free(from_xml);
    iotnet_string_free(json);
    iotnet_string_free(xml);

    /* without the module the kinds cannot be written */
    char *text = NULL;
    expect_error(iotnet_net_save_data(net, &text, NULL), IOTNET_EVALIDATION, "cleaning-zone");
    cr_assert_null(text);
}

Test(yangio, user_kind_without_its_module_is_named)
{
    expect_error(iotnet_net_load(&net, ACME, NULL), IOTNET_EVALIDATION,
                 "acme-kinds:cleaning-zone");
    cr_assert_null(net);
    cr_assert(strstr(iotnet_error_last()->message, "yang_path"), "the message says where to look");
    expect_str(iotnet_error_last()->path, "/iotnet-topology:topology/zone[id='robots']/kind");
}

Test(yangio, broken_user_module_is_reported)
{
    iotnet_load_options lo = IOTNET_LOAD_OPTIONS_INIT;
    lo.yang_path = IOTNET_TEST_DIR "/data/bad/yang";
    expect_error(iotnet_net_load(&net, SMALL, &lo), IOTNET_EVALIDATION, "broken-kinds.yang");
    cr_assert_null(net);
    cr_assert(strstr(iotnet_error_last()->message, "no-such-kind"), "%s",
              iotnet_error_last()->message);
}

Test(yangio, kind_without_identity_cannot_be_saved)
{
    expect_ok(iotnet_net_new(&net));
    expect_ok(iotnet_kind_add(net, NULL, "gizmo", "iot-device"));
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    s.id = "g1";
    s.kind = "gizmo";
    expect_ok(iotnet_node_add(net, NULL, &s));
    char *text = NULL;
    expect_error(iotnet_net_save_data(net, &text, NULL), IOTNET_EVALIDATION, "\"gizmo\"");
    cr_assert_null(text);
    expect_str(iotnet_error_last()->path, "/iotnet-topology:topology/node[id='g1']/kind");
}

/* ------------------------------------------------------------------ */
/* Models built through the API                                        */

Test(yangio, api_model_round_trips_with_unset_fields)
{
    expect_ok(iotnet_net_new(&net));
    iotnet_zone_spec z = IOTNET_ZONE_SPEC_INIT;
    z.id = "cell";
    z.kind = "control";
    z.target_sl_fr[2] = 4;
    expect_ok(iotnet_zone_add(net, NULL, &z));
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    s.id = "plc";
    s.kind = "virtual-plc";
    s.zone = "cell";
    iotnet_index plc, sw;
    expect_ok(iotnet_node_add(net, &plc, &s));
    s.id = "sw";
    s.kind = "switch";
    s.zone = NULL;
    expect_ok(iotnet_node_add(net, &sw, &s));
    iotnet_lifecycle lc = IOTNET_LIFECYCLE_INIT;
    lc.end_of_support = 0;
    expect_ok(iotnet_lifecycle_set(net, plc, &lc));
    iotnet_link_spec l = IOTNET_LINK_SPEC_INIT;
    l.id = "l";
    l.a = "plc";
    l.b = "sw";
    expect_ok(iotnet_link_add(net, NULL, &l));
    expect_ok(iotnet_policy_set_default(net, sw, IOTNET_ACTION_ACCEPT));

    char *json = save_model_text(net, IOTNET_FORMAT_JSON, NULL);
    cr_assert(strstr(json, "\"end-of-support\": \"1970-01-01T00:00:00Z\""), "%s", json);
    cr_assert(strstr(json, "\"default-action\": \"accept\""));
    cr_assert_null(strstr(json, "medium"));
    cr_assert_null(strstr(json, "purdue-level"));
    cr_assert_null(strstr(json, "\"target\": 0"));
    iotnet_net *again = load_model_text(json, NULL);
    expect_models_equal(net, again);
    iotnet_action def;
    expect_ok(iotnet_policy_get_default(again, node_at(again, "sw"), &def));
    cr_assert_eq(def, IOTNET_ACTION_ACCEPT);
    iotnet_net_free(again);
    iotnet_string_free(json);
}

Test(yangio, empty_model_round_trips)
{
    expect_ok(iotnet_net_new(&net));
    char *json = save_model_text(net, IOTNET_FORMAT_JSON, NULL);
    char *xml = save_model_text(net, IOTNET_FORMAT_XML, NULL);
    iotnet_net *from_json = load_model_text(json, NULL);
    iotnet_net *from_xml = load_model_text(xml, NULL);
    cr_assert_eq(iotnet_node_count(from_json) + iotnet_zone_count(from_xml), 0);
    expect_models_equal(net, from_json);
    expect_models_equal(net, from_xml);
    iotnet_net_free(from_json);
    iotnet_net_free(from_xml);
    iotnet_string_free(json);
    iotnet_string_free(xml);
}

/* Every finite double an attribute holds is written as the shortest text
 * that reads back as it, so JSON and XML files give back the same bits
 * (-0.0 and the smallest subnormal included); durations and dates at the
 * ends of what the model accepts come back too. */
static const double exact_floats[] = {1.0 / 3, 1e-10, -0.0, 0.0, 1e300, 5e-324, 0.1, 9.3e12, 1e15, -DBL_MAX,
                                      DBL_MAX, 2.5, 123456789.123456789};

static void expect_same_attributes(const iotnet_net *a, const iotnet_net *b, iotnet_index node)
{
    for (size_t i = 0; i < sizeof exact_floats / sizeof *exact_floats; i++) {
        char key[16];
        snprintf(key, sizeof key, "f%zu", i);
        iotnet_value got;
        expect_ok(iotnet_attr_get(b, IOTNET_ENTITY_NODE, node, key, &got));
        cr_assert_eq(got.type, IOTNET_ATTR_FLOAT);
        cr_assert(memcmp(&got.real, &exact_floats[i], sizeof got.real) == 0, "%s: %.17g came back as %.17g", key,
                  exact_floats[i], got.real);
    }
    expect_models_equal(a, b);
}

Test(yangio, floats_durations_and_dates_load_back_exactly)
{
    expect_ok(iotnet_net_new(&net));
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    s.id = "n";
    s.kind = "sensor";
    iotnet_index n;
    expect_ok(iotnet_node_add(net, &n, &s));
    for (size_t i = 0; i < sizeof exact_floats / sizeof *exact_floats; i++) {
        char key[16];
        snprintf(key, sizeof key, "f%zu", i);
        iotnet_value v = {.type = IOTNET_ATTR_FLOAT, .real = exact_floats[i]};
        expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_NODE, n, key, &v));
    }
    iotnet_value longest = {.type = IOTNET_ATTR_DURATION, .integer = INT64_MAX};
    iotnet_value first = {.type = IOTNET_ATTR_DATE, .integer = -62167219200}; /* 0000-01-01 */
    iotnet_value last = {.type = IOTNET_ATTR_DATE, .integer = 253402300799};  /* 9999-12-31T23:59:59Z */
    expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_NODE, n, "longest", &longest));
    expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_NODE, n, "first", &first));
    expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_NODE, n, "last", &last));
    iotnet_format formats[] = {IOTNET_FORMAT_JSON, IOTNET_FORMAT_XML};
    for (size_t f = 0; f < 2; f++) {
        char *text = save_model_text(net, formats[f], NULL);
        cr_assert(strstr(text, "0.3333333333333333") && strstr(text, "1e-10") && strstr(text, "5e-324") &&
                      strstr(text, "1e+300") && strstr(text, "-0"),
                  "%s", text);
        iotnet_net *back = load_model_text(text, NULL);
        expect_same_attributes(net, back, n);
        iotnet_net_free(back);
        iotnet_string_free(text);
    }
}

Test(yangio, a_float_beyond_a_double_is_refused_with_its_path)
{
    const char *xml = "<topology xmlns='urn:libiotnet:yang:iotnet-topology'><node><id>n</id><kind>sensor</kind>"
                      "<attribute><name>huge</name><float>1e400</float></attribute></node></topology>";
    expect_error(iotnet_net_load_data(&net, xml, strlen(xml), "huge.xml", NULL), IOTNET_EVALIDATION,
                 "huge.xml: float \"1e400\" is beyond the range of a double (at "
                 "/iotnet-topology:topology/node[id='n']/attribute[name='huge'])");
    cr_assert_null(net);
    const char *text = "<topology xmlns='urn:libiotnet:yang:iotnet-topology'><node><id>n</id><kind>sensor</kind>"
                       "<attribute><name>word</name><float>0x10</float></attribute></node></topology>";
    expect_error(iotnet_net_load_data(&net, text, strlen(text), "word.xml", NULL), IOTNET_EVALIDATION, "0x10");
    cr_assert_null(net);
}

/* ------------------------------------------------------------------ */
/* Options and files                                                   */

Test(yangio, options_are_checked)
{
    iotnet_load_options lo = IOTNET_LOAD_OPTIONS_INIT;
    lo.version = 99;
    expect_error(iotnet_net_load(&net, SMALL, &lo), IOTNET_EINVAL, "version");
    cr_assert_null(net);
    iotnet_save_options so = IOTNET_SAVE_OPTIONS_INIT;
    so.format = (iotnet_format)7;
    expect_ok(iotnet_net_new(&net));
    char *text = NULL;
    expect_error(iotnet_net_save_data(net, &text, &so), IOTNET_EINVAL, "format");
}

Test(yangio, yang_dir_comes_from_options_then_environment)
{
    setenv("IOTNET_YANG_DIR", "/nonexistent/iotnet-yang", 1);
    expect_error(iotnet_net_load(&net, SMALL, NULL), IOTNET_EIO, "/nonexistent/iotnet-yang");
    cr_assert_null(net);
    iotnet_load_options lo = IOTNET_LOAD_OPTIONS_INIT;
    lo.yang_dir = IOTNET_MODELS_DIR "/yang";
    expect_ok(iotnet_net_load(&net, SMALL, &lo));
    iotnet_save_options so = IOTNET_SAVE_OPTIONS_INIT;
    char *text = NULL;
    expect_error(iotnet_net_save_data(net, &text, &so), IOTNET_EIO, "/nonexistent/iotnet-yang");
    so.yang_dir = IOTNET_MODELS_DIR "/yang";
    expect_ok(iotnet_net_save_data(net, &text, &so));
    iotnet_string_free(text);
    unsetenv("IOTNET_YANG_DIR");
}

Test(yangio, missing_file_is_an_io_error)
{
    expect_error(iotnet_net_load(&net, GOOD "/no-such-file.json", NULL), IOTNET_EIO,
                 "no-such-file.json");
    cr_assert_null(net);
    expect_str(iotnet_error_last()->file, GOOD "/no-such-file.json");
    net = load_small();
    expect_error(iotnet_net_save(net, "/nonexistent-dir/out.json", NULL), IOTNET_EIO,
                 "/nonexistent-dir/out.json");
}
