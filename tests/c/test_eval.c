/* Evaluation: conditions table by table on a small hand-built home (the
 * expected matches worked out by hand from the model below), statuses,
 * residual risk with clamping, risk decisions and their expiry, what-if
 * assumptions, and the bundled catalog on the bundled home network.
 *
 * The model, "now" being 2026-12-01:
 *   zones  wan (internet-zone), lan (home-lan), iot (iot-lan, SL 2, Purdue 1.5, owner-team facilities)
 *   inet   internet, wan                      --fibre-- rtr
 *   rtr    home-router, lan: NAT44 wan0 -> lan0, APD filtering, UPnP on, forward tcp/8080 -> cam:80
 *   cam    camera, iot, Acme, floor 2: web-ui tcp/80 default-password management (no TLS),
 *          rtsp tcp/554 password with UPnP; certificate until 2027-06-01, artifacts P5Y, no updates
 *   hub    hub, iot, Globex, floor 0: api tcp/443 certificate tls1.3 with a CCM_8 suite; SUIT, RATS
 *   bulb   light, iot, Globex, behind the hub over Zigbee (the hub does not forward)
 *   laptop workstation, lan
 *   links  l-wan inet-rtr fibre; l-cam rtr-cam wifi wpa2 2.5 ms; l-hub rtr-hub ethernet;
 *          l-bulb hub-bulb zigbee link-layer 15 ms (mesh); l-laptop rtr-laptop wifi wpa3
 *   conduits c1 lan -> iot tcp/443; c2 iot -> lan any service, bidirectional
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define CATALOGS IOTNET_TEST_DIR "/data/catalogs"
#define HOME IOTNET_MODELS_DIR "/topologies/home.xml"

#define D_2026_12_01 1796083200LL
#define D_2027_01_01 1798761600LL
#define D_2027_02_01 1801440000LL
#define D_2027_06_01 1811808000LL
#define YEAR (365LL * 86400)

static iotnet_net *net;
static iotnet_catalog *cat;
static iotnet_findings *found;

static iotnet_index node_of(const char *id)
{
    iotnet_index i;
    expect_ok(iotnet_node_find(net, &i, id));
    return i;
}

static void zone(const char *id, const char *kind, uint8_t sl, double purdue)
{
    iotnet_zone_spec z = IOTNET_ZONE_SPEC_INIT;
    z.id = id;
    z.kind = kind;
    z.target_sl = sl;
    z.purdue_level = purdue;
    expect_ok(iotnet_zone_add(net, NULL, &z));
}

static void iface(const char *node_id, const char *name, const char *cidr)
{
    iotnet_interface i = IOTNET_INTERFACE_INIT;
    i.name = name;
    expect_ok(iotnet_ipv4_parse(&i.ipv4, &i.prefix_len, cidr));
    expect_ok(iotnet_interface_add(net, node_of(node_id), &i));
}

static void link_(const char *id, const char *a, const char *a_if, const char *b, iotnet_medium m,
                  iotnet_link_encryption enc, double latency)
{
    iotnet_link_spec l = IOTNET_LINK_SPEC_INIT;
    l.id = id;
    l.a = a;
    l.a_interface = a_if;
    l.b = b;
    l.medium = m;
    l.encryption = enc;
    l.latency_ms = latency;
    expect_ok(iotnet_link_add(net, NULL, &l));
}

static void service(const char *node_id, const char *name, uint16_t port, iotnet_auth auth, iotnet_transport tr,
                    bool mgmt, iotnet_nat_traversal trav, const char *ciphers)
{
    iotnet_service s = IOTNET_SERVICE_INIT;
    s.name = name;
    s.port = port;
    s.authentication = auth;
    s.transport = tr;
    s.management = mgmt;
    s.nat_traversal = trav;
    s.cipher_suites = ciphers;
    expect_ok(iotnet_service_add(net, node_of(node_id), &s));
}

static void int_attr(iotnet_entity e, iotnet_index i, const char *key, int64_t v)
{
    iotnet_value x = {IOTNET_ATTR_INT, NULL, v, 0, false};
    expect_ok(iotnet_attr_set(net, e, i, key, &x));
}

static void build_home(void)
{
    expect_ok(iotnet_net_new(&net));
    zone("wan", "internet-zone", 0, -1);
    zone("lan", "home-lan", 0, -1);
    zone("iot", "iot-lan", 2, 1.5);
    add_vendor_node(net, "inet", "internet", "wan", NULL);
    add_vendor_node(net, "rtr", "home-router", "lan", NULL);
    add_vendor_node(net, "cam", "camera", "iot", "Acme");
    add_vendor_node(net, "hub", "hub", "iot", "Globex");
    add_vendor_node(net, "bulb", "light", "iot", "Globex");
    add_vendor_node(net, "laptop", "workstation", "lan", NULL);
    iface("rtr", "wan0", "203.0.113.2/24");
    iface("rtr", "lan0", "192.168.1.1/24");
    iotnet_nat x = IOTNET_NAT_INIT;
    x.inside = "lan0";
    x.outside = "wan0";
    x.filtering = IOTNET_NAT_FILTER_APD;
    x.upnp = true;
    expect_ok(iotnet_nat_set(net, node_of("rtr"), &x));
    iotnet_port_forward f = IOTNET_PORT_FORWARD_INIT;
    f.name = "cam-web";
    f.external_port = 8080;
    f.to_node = "cam";
    f.internal_port = 80;
    expect_ok(iotnet_nat_add_forward(net, node_of("rtr"), &f));
    link_("l-wan", "rtr", "wan0", "inet", IOTNET_MEDIUM_FIBRE, IOTNET_LINKENC_UNSPECIFIED, -1);
    link_("l-cam", "rtr", "lan0", "cam", IOTNET_MEDIUM_WIFI, IOTNET_LINKENC_WPA2, 2.5);
    link_("l-hub", "rtr", "lan0", "hub", IOTNET_MEDIUM_ETHERNET, IOTNET_LINKENC_UNSPECIFIED, -1);
    link_("l-bulb", "hub", NULL, "bulb", IOTNET_MEDIUM_ZIGBEE, IOTNET_LINKENC_LINK_LAYER, 15);
    link_("l-laptop", "rtr", "lan0", "laptop", IOTNET_MEDIUM_WIFI, IOTNET_LINKENC_WPA3, -1);
    service("cam", "web-ui", 80, IOTNET_AUTH_DEFAULT_PASSWORD, IOTNET_TRANSPORT_NONE, true, IOTNET_TRAVERSAL_NONE, NULL);
    service("cam", "rtsp", 554, IOTNET_AUTH_PASSWORD, IOTNET_TRANSPORT_NONE, false, IOTNET_TRAVERSAL_UPNP, NULL);
    service("hub", "api", 443, IOTNET_AUTH_CERTIFICATE, IOTNET_TRANSPORT_TLS1_3, false, IOTNET_TRAVERSAL_NONE,
            "TLS_AES_128_GCM_SHA256 TLS_AES_128_CCM_8_SHA256");
    iotnet_lifecycle lc = IOTNET_LIFECYCLE_INIT;
    lc.certificate_not_after = D_2027_06_01;
    lc.signed_artifact_lifetime = 5 * YEAR;
    lc.update_mechanism = IOTNET_UPDATE_NONE;
    lc.ownership_statement = IOTNET_NO;
    expect_ok(iotnet_lifecycle_set(net, node_of("cam"), &lc));
    iotnet_lifecycle lh = IOTNET_LIFECYCLE_INIT;
    lh.update_mechanism = IOTNET_UPDATE_SUIT;
    lh.attestation = IOTNET_ATTEST_RATS;
    expect_ok(iotnet_lifecycle_set(net, node_of("hub"), &lh));
    int_attr(IOTNET_ENTITY_NODE, node_of("cam"), "floor", 2);
    int_attr(IOTNET_ENTITY_NODE, node_of("hub"), "floor", 0);
    iotnet_index l, z;
    expect_ok(iotnet_link_find(net, &l, "l-bulb"));
    iotnet_value mesh = {IOTNET_ATTR_BOOL, NULL, 0, 0, true};
    expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_LINK, l, "mesh", &mesh));
    expect_ok(iotnet_zone_find(net, &z, "iot"));
    iotnet_value team = {IOTNET_ATTR_STRING, "facilities", 0, 0, false};
    expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_ZONE, z, "owner-team", &team));
    iotnet_conduit_spec c = IOTNET_CONDUIT_SPEC_INIT;
    c.id = "c1";
    c.from_zone = "lan";
    c.to_zone = "iot";
    c.services = "tcp/443";
    expect_ok(iotnet_conduit_add(net, NULL, &c));
    c.id = "c2";
    c.from_zone = "iot";
    c.to_zone = "lan";
    c.services = NULL;
    c.bidirectional = true;
    expect_ok(iotnet_conduit_add(net, NULL, &c));
}

static void setup(void)
{
    net = NULL;
    cat = NULL;
    found = NULL;
    iotnet_error_clear();
    build_home();
    expect_ok(iotnet_catalog_new(&cat));
    expect_ok(iotnet_catalog_load_file(cat, CATALOGS "/controls-test.xml"));
}

static void teardown(void)
{
    iotnet_findings_free(found);
    iotnet_catalog_free(cat);
    iotnet_net_free(net);
}

TestSuite(eval, .init = setup, .fini = teardown);

static iotnet_findings *analyze_at(int64_t now, const iotnet_assumption *assume, size_t n, bool na)
{
    iotnet_analyze_options o = IOTNET_ANALYZE_OPTIONS_INIT;
    o.now = now;
    o.assume = assume;
    o.assume_count = n;
    o.include_not_applicable = na;
    iotnet_findings_free(found);
    found = NULL;
    expect_ok(iotnet_analyze(&found, net, cat, &o));
    return found;
}

/* The findings' targets of a threat, space-separated, in their order. */
static void targets_of(const char *threat, char *out, size_t size)
{
    out[0] = '\0';
    size_t used = 0;
    for (size_t i = 0; i < iotnet_findings_count(found); i++) {
        iotnet_finding f;
        expect_ok(iotnet_findings_get(found, i, &f));
        if (strcmp(f.threat, threat))
            continue;
        used += (size_t)snprintf(out + used, size - used, "%s%s", used ? " " : "", f.target);
    }
}

static iotnet_finding finding(const char *id)
{
    for (size_t i = 0; i < iotnet_findings_count(found); i++) {
        iotnet_finding f;
        expect_ok(iotnet_findings_get(found, i, &f));
        if (!strcmp(f.id, id))
            return f;
    }
    cr_assert_fail("no finding %s", id);
    iotnet_finding none;
    memset(&none, 0, sizeof none);
    return none;
}

/* ---- conditions, one threat each ------------------------------------------ */

typedef struct cond_case {
    char target[10];
    char condition[200];
    char expected[80]; /* the matching targets in id order */
} cond_case;

ParameterizedTestParameters(eval, conditions)
{
    static cond_case cases[] = {
        /* kinds */
        {"node", "<is-a kind='iot-device'/>", "bulb cam hub"},
        {"node", "<is-a kind='camera'/>", "cam"},
        {"node", "<field name='kind' op='=' value='hub'/>", "hub"},
        {"node", "<field name='kind' op='!=' value='hub'/>", "bulb cam inet laptop rtr"},
        {"node", "<field name='kind' op='in' value='camera light'/>", "bulb cam"},
        {"node", "<is-a field='zone-kind' kind='home-lan'/>", "laptop rtr"},
        {"node", "<field name='forwarding' op='=' value='true'/>", "inet rtr"},
        /* strings: unset values differ from every literal and match nothing else */
        {"node", "<field name='vendor' op='=' value='Acme'/>", "cam"},
        {"node", "<field name='vendor' op='!=' value='Acme'/>", "bulb hub inet laptop rtr"},
        {"node", "<field name='vendor' op='exists'/>", "bulb cam hub"},
        {"node", "<field name='vendor' op='in' value='Acme Globex'/>", "bulb cam hub"},
        {"node", "<field name='zone' op='=' value='iot'/>", "bulb cam hub"},
        {"node", "<field name='description' op='exists'/>", ""},
        /* NAT and policy */
        {"node", "<field name='has-nat' op='=' value='true'/>", "rtr"},
        {"node", "<field name='nat/upnp' op='=' value='true'/>", "rtr"},
        {"node", "<field name='nat/upnp' op='=' value='false'/>", ""},
        {"node", "<field name='nat/upnp' op='!=' value='true'/>", "bulb cam hub inet laptop"},
        {"node", "<field name='nat/forward-count' op='&gt;' value='0'/>", "rtr"},
        {"node", "<field name='nat/filtering' op='=' value='address-and-port-dependent'/>", "rtr"},
        {"node", "<field name='has-policy' op='=' value='false'/>", "bulb cam hub inet laptop rtr"},
        /* counts */
        {"node", "<field name='service-count' op='=' value='2'/>", "cam"},
        {"node", "<field name='service-count' op='&gt;=' value='1'/>", "cam hub"},
        {"node", "<field name='management-service-count' op='&gt;' value='0'/>", "cam"},
        /* lifecycle: enumerations read unspecified without lifecycle facts */
        {"node", "<field name='lifecycle/update-mechanism' op='=' value='none'/>", "cam"},
        {"node", "<field name='lifecycle/update-mechanism' op='=' value='unspecified'/>", "bulb inet laptop rtr"},
        {"node", "<field name='lifecycle/update-mechanism' op='in' value='suit automatic'/>", "hub"},
        {"node", "<field name='lifecycle/attestation' op='=' value='rats'/>", "hub"},
        {"node", "<field name='lifecycle/ownership-statement' op='=' value='no'/>", "cam"},
        {"node", "<field name='lifecycle/ownership-statement' op='=' value='unknown'/>", "bulb hub inet laptop rtr"},
        {"node", "<field name='lifecycle/ownership-statement' op='exists'/>", "cam"},
        {"node", "<field name='lifecycle/update-mechanism' op='exists'/>", "cam hub"},
        {"node", "<field name='nat/mapping' op='exists'/>", "rtr"},
        /* dates against now = 2026-12-01; the certificate ends 2027-06-01 */
        {"node", "<field name='lifecycle/certificate-not-after' op='&lt;' value='2027-01-01'/>", ""},
        {"node", "<field name='lifecycle/certificate-not-after' op='&lt;' value='2028-01-01T00:00:00Z'/>", "cam"},
        {"node", "<field name='lifecycle/certificate-not-after' op='&lt;' value='now+P1Y'/>", "cam"},
        {"node", "<field name='lifecycle/certificate-not-after' op='&lt;' value='now+P30D'/>", ""},
        {"node", "<field name='lifecycle/certificate-not-after' op='&gt;' value='now-P30D'/>", "cam"},
        {"node", "<field name='lifecycle/certificate-not-after' op='&lt;=' value='now'/>", ""},
        {"node", "<field name='lifecycle/certificate-not-after' op='exists'/>", "cam"},
        {"node", "<field name='lifecycle/end-of-support' op='!=' value='2030-01-01'/>", "bulb cam hub inet laptop rtr"},
        /* durations: a year is 365 days, a month 30 */
        {"node", "<field name='lifecycle/signed-artifact-lifetime' op='&gt;=' value='P5Y'/>", "cam"},
        {"node", "<field name='lifecycle/signed-artifact-lifetime' op='&gt;' value='P5Y'/>", ""},
        {"node", "<field name='lifecycle/signed-artifact-lifetime' op='=' value='P1825D'/>", "cam"},
        {"node", "<field name='lifecycle/signed-artifact-lifetime' op='=' value='P60M'/>", ""},
        {"node", "<field name='lifecycle/signed-artifact-lifetime' op='&lt;' value='PT43800H1S'/>", "cam"},
        {"node", "<field name='lifecycle/certificate-outlived' op='=' value='true'/>", "cam"},
        /* free attributes */
        {"node", "<field name='attr:floor' op='&gt;=' value='1'/>", "cam"},
        {"node", "<field name='attr:floor' op='=' value='0'/>", "hub"},
        {"node", "<field name='attr:floor' op='exists'/>", "cam hub"},
        {"node", "<field name='attr:floor' op='!=' value='2'/>", "bulb hub inet laptop rtr"},
        {"node", "<field name='attr:floor' op='in' value='0 7'/>", "hub"},
        /* link media */
        {"node", "<field name='link-media' op='contains' value='zigbee'/>", "bulb hub"},
        {"node", "<field name='link-media' op='contains' value='wifi'/>", "cam laptop rtr"},
        {"node", "<field name='link-media' op='=' value='wifi ethernet fibre'/>", "rtr"},
        /* services */
        {"node", "<service><field name='authentication' op='=' value='default-password'/></service>", "cam"},
        {"node", "<service><all><field name='protocol' op='=' value='tcp'/><field name='port' op='=' value='443'/></all></service>", "hub"},
        {"node", "<service><field name='cipher-suites' op='contains' value='TLS_AES_128_CCM_8_SHA256'/></service>", "hub"},
        {"node", "<not><service><field name='port' op='exists'/></service></not>", "bulb inet laptop rtr"},
        /* gateways: the nearest enforcement point through forwarding nodes */
        {"node", "<field name='gateway/has-nat' op='=' value='true'/>", "cam hub inet laptop"},
        {"node", "<is-a field='gateway/kind' kind='router'/>", "cam hub inet laptop"},
        {"node", "<not><field name='gateway/has-nat' op='=' value='true'/></not>", "bulb rtr"},
        {"node", "<field name='gateway/nat/forward-count' op='=' value='1'/>", "cam hub inet laptop"},
        /* derived exposure from the internet */
        {"node", "<field name='internet-exposure' op='&gt;=' value='pinhole'/>", "cam rtr"},
        {"node", "<field name='internet-exposure' op='=' value='direct'/>", "rtr"},
        {"node", "<field name='internet-exposure' op='=' value='port-forward'/>", "cam"},
        {"node", "<field name='internet-exposure' op='=' value='none'/>", "bulb inet"},
        {"node", "<field name='exposed-service-count' op='=' value='2'/>", "cam"},
        {"node", "<reachable from='internet' min='port-forward'/>", "cam rtr"},
        {"node", "<reachable from='ghost' min='none'/>", "bulb cam hub inet laptop rtr"},
        {"node", "<reachable from='ghost' min='reply-only'/>", ""},
        {"node", "<reachable from='hub' min='direct'/>", "bulb cam inet laptop rtr"},
        /* groups */
        {"node", "<any><is-a kind='camera'/><is-a kind='light'/></any>", "bulb cam"},
        {"node", "<all><is-a kind='iot-device'/><field name='vendor' op='=' value='Globex'/></all>", "bulb hub"},
        {"node", "<not><is-a kind='iot-device'/></not>", "inet laptop rtr"},
        /* service targets */
        {"service", "<field name='authentication' op='=' value='default-password'/>", "cam/web-ui"},
        {"service", "<field name='transport' op='=' value='none'/>", "cam/rtsp cam/web-ui"},
        {"service", "<field name='port' op='in' value='80 443'/>", "cam/web-ui hub/api"},
        {"service", "<field name='port' op='&gt;' value='100'/>", "cam/rtsp hub/api"},
        {"service", "<field name='nat-traversal' op='=' value='upnp'/>", "cam/rtsp"},
        {"service", "<is-a kind='camera'/>", "cam/rtsp cam/web-ui"},
        {"service", "<field name='node/vendor' op='=' value='Globex'/>", "hub/api"},
        {"service", "<field name='node/gateway/nat/upnp' op='=' value='true'/>", "cam/rtsp cam/web-ui hub/api"},
        {"service", "<field name='internet-exposure' op='=' value='pinhole'/>", "cam/rtsp"},
        {"service", "<field name='internet-exposure' op='=' value='port-forward'/>", "cam/web-ui"},
        {"service", "<field name='internet-exposure' op='=' value='reply-only'/>", "hub/api"},
        {"service", "<reachable from='internet' min='pinhole'/>", "cam/rtsp cam/web-ui"},
        {"service", "<field name='name' op='=' value='api'/>", "hub/api"},
        {"service", "<field name='management' op='=' value='true'/>", "cam/web-ui"},
        {"service", "<field name='protocol' op='=' value='tcp'/>", "cam/rtsp cam/web-ui hub/api"},
        {"service", "<field name='transport' op='exists'/>", "cam/rtsp cam/web-ui hub/api"},
        /* links */
        {"link", "<field name='medium' op='=' value='zigbee'/>", "l-bulb"},
        {"link", "<field name='encryption' op='in' value='none unspecified'/>", "l-hub l-wan"},
        {"link", "<field name='latency-ms' op='&gt;' value='10'/>", "l-bulb"},
        {"link", "<field name='latency-ms' op='exists'/>", "l-bulb l-cam"},
        {"link", "<is-a field='a/kind' kind='router'/>", "l-cam l-hub l-laptop l-wan"},
        {"link", "<is-a field='b/kind' kind='iot-device'/>", "l-bulb l-cam l-hub"},
        {"link", "<field name='attr:mesh' op='=' value='true'/>", "l-bulb"},
        {"link", "<field name='id' op='=' value='l-wan'/>", "l-wan"},
        /* zones */
        {"zone", "<field name='kind' op='=' value='iot-lan'/>", "iot"},
        {"zone", "<field name='node-count' op='=' value='3'/>", "iot"},
        {"zone", "<field name='node-count' op='&gt;=' value='2'/>", "iot lan"},
        {"zone", "<field name='target-sl' op='exists'/>", "iot"},
        {"zone", "<field name='purdue-level' op='&lt;' value='2'/>", "iot"},
        {"zone", "<field name='attr:owner-team' op='=' value='facilities'/>", "iot"},
        {"zone", "<field name='uncovered-flows' op='&gt;' value='0'/>", "iot"},
        /* conduits */
        {"conduit", "<field name='any-service' op='=' value='true'/>", "c2"},
        {"conduit", "<field name='services' op='contains' value='tcp/443'/>", "c1"},
        {"conduit", "<field name='bidirectional' op='=' value='true'/>", "c2"},
        {"conduit", "<field name='from-zone' op='=' value='lan'/>", "c1"},
        {"conduit", "<is-a field='from/kind' kind='home-lan'/>", "c1"},
        {"conduit", "<field name='to/node-count' op='=' value='3'/>", "c1"},
        {"conduit", "<field name='id' op='!=' value='c1'/>", "c2"},
    };
    return cr_make_param_array(cond_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(cond_case *c, eval, conditions)
{
    char text[2048];
    snprintf(text, sizeof text,
             "<catalog xmlns='urn:libiotnet:catalog' namespace='c'>"
             "<attribute name='floor' type='int' target='node'/><attribute name='mesh' type='bool' target='link'/>"
             "<attribute name='owner-team' type='string' target='zone'/>"
             "<threat id='t' target='%s'><title>t</title><description>d</description><stride>S</stride>"
             "<likelihood>1</likelihood><impact>1</impact><applies-when>%s</applies-when>"
             "<mitigations>m</mitigations></threat>"
             "<mitigation id='m' target='%s'><title>m</title><description>d</description><present-when>"
             "<field name='id' op='=' value='nothing'/></present-when><effect likelihood='0' impact='0'/>"
             "<controls>test:1</controls></mitigation></catalog>",
             c->target, c->condition, !strcmp(c->target, "service") ? "node" : c->target);
    expect_ok(iotnet_catalog_loads(cat, text, strlen(text), "case.xml"));
    analyze_at(D_2026_12_01, NULL, 0, false);
    char got[512];
    targets_of("c:t", got, sizeof got);
    cr_assert_str_eq(got, c->expected, "%s on %s: got \"%s\", expected \"%s\"", c->condition, c->target, got,
                     c->expected);
    for (size_t i = 0; i < iotnet_findings_count(found); i++) {
        iotnet_finding f;
        expect_ok(iotnet_findings_get(found, i, &f));
        cr_assert_eq(f.status, IOTNET_FINDING_OPEN);
        cr_assert((f.evidence && *f.evidence) || !strncmp(c->condition, "<reachable from='ghost' min='none'", 30),
                  "%s: no evidence for %s", f.id, c->condition);
    }
}

/* ---- statuses and risk ----------------------------------------------------------- */

Test(eval, statuses_and_residual_risk)
{
    expect_ok(iotnet_catalog_load_file(cat, CATALOGS "/eval.xml"));
    analyze_at(D_2026_12_01, NULL, 0, false);
    /* open: no candidate present; residual is the inherent risk */
    iotnet_finding f = finding("ev:t-web@cam/web-ui");
    cr_assert_eq(f.status, IOTNET_FINDING_OPEN);
    cr_assert_eq(f.target_kind, IOTNET_TARGET_SERVICE);
    cr_assert_str_eq(f.target, "cam/web-ui");
    cr_assert_eq(f.inherent_risk, 20);
    cr_assert_eq(f.residual_risk, 20);
    cr_assert_str_eq(f.mitigations, "");
    cr_assert_str_eq(f.evidence, "management true");
    /* mitigated: floor 2 lowers likelihood 4 -> 2 and impact 5 -> 4 */
    f = finding("ev:t-cam@cam");
    cr_assert_eq(f.status, IOTNET_FINDING_MITIGATED);
    cr_assert_str_eq(f.mitigations, "ev:m-floor");
    cr_assert_eq(f.likelihood, 4);
    cr_assert_eq(f.impact, 5);
    cr_assert_eq(f.residual_likelihood, 2);
    cr_assert_eq(f.residual_impact, 4);
    cr_assert_eq(f.residual_risk, 8);
    cr_assert_str_eq(f.evidence, "kind camera");
    /* clamped: 2 - 4 and 2 - 4 stay at 1 */
    f = finding("ev:t-hub@hub");
    cr_assert_eq(f.status, IOTNET_FINDING_MITIGATED);
    cr_assert_str_eq(f.mitigations, "ev:m-big");
    cr_assert_eq(f.residual_likelihood, 1);
    cr_assert_eq(f.residual_impact, 1);
    cr_assert_eq(f.residual_risk, 1);
    /* a node mitigation for a link holds on either end (hub and bulb are Globex's) */
    f = finding("ev:t-link@l-bulb");
    cr_assert_eq(f.status, IOTNET_FINDING_MITIGATED);
    /* zones: SL 2 is below the mitigation's 3 */
    cr_assert_eq(finding("ev:t-zone@iot").status, IOTNET_FINDING_OPEN);
    cr_assert_eq(finding("ev:t-zone@lan").status, IOTNET_FINDING_OPEN);
    cr_assert_str_eq(finding("ev:t-zone@iot").evidence, "node-count 3");
    /* sorted by residual risk, then threat id, then target id */
    const char *order[] = {"ev:t-web@cam/web-ui", "ev:t-zone@iot", "ev:t-zone@lan",   "ev:t-zone@wan",
                           "ev:t-cam@cam",        "ev:t-light@bulb", "ev:t-hub@hub", "ev:t-link@l-bulb"};
    cr_assert_eq(iotnet_findings_count(found), 8);
    for (size_t i = 0; i < 8; i++) {
        expect_ok(iotnet_findings_get(found, i, &f));
        cr_assert_str_eq(f.id, order[i], "finding %zu is %s, expected %s", i, f.id, order[i]);
    }
    size_t s[5];
    iotnet_findings_summary(found, s);
    cr_assert_eq(s[IOTNET_FINDING_OPEN], 5);
    cr_assert_eq(s[IOTNET_FINDING_MITIGATED], 3);
    cr_assert_eq(s[IOTNET_FINDING_ACCEPTED], 0);
    cr_assert_eq(s[IOTNET_FINDING_NOT_APPLICABLE], 0);
}

Test(eval, not_applicable)
{
    expect_ok(iotnet_catalog_load_file(cat, CATALOGS "/eval.xml"));
    analyze_at(D_2026_12_01, NULL, 0, true);
    iotnet_finding f = finding("ev:t-cam@hub");
    cr_assert_eq(f.status, IOTNET_FINDING_NOT_APPLICABLE);
    cr_assert_eq(f.residual_risk, 0);
    cr_assert_eq(f.inherent_risk, 20);
    size_t s[5];
    iotnet_findings_summary(found, s);
    /* six threats over their tables: 6 + 6 + 3 + 3 + 5 + 6 elements, 8 of them applicable */
    cr_assert_eq(s[IOTNET_FINDING_NOT_APPLICABLE], 29 - 8);
    expect_ok(iotnet_findings_get(found, iotnet_findings_count(found) - 1, &f));
    cr_assert_eq(f.status, IOTNET_FINDING_NOT_APPLICABLE, "not-applicable findings sort last");
}

Test(eval, accepted_and_expired)
{
    expect_ok(iotnet_catalog_load_file(cat, CATALOGS "/eval.xml"));
    iotnet_risk_decision d = IOTNET_RISK_DECISION_INIT;
    d.finding = "ev:t-light@bulb";
    d.by = "Sam";
    d.reason = "the bulb is in the garden shed";
    d.until = D_2027_01_01;
    expect_ok(iotnet_risk_decision_set(net, &d));
    d.finding = "ev:t-web@cam/web-ui";
    d.by = "Alex";
    d.reason = "replaced next spring";
    d.until = IOTNET_TIME_UNSET;
    expect_ok(iotnet_risk_decision_set(net, &d));
    d.finding = "other:thing@cam";
    expect_ok(iotnet_risk_decision_set(net, &d));
    analyze_at(D_2026_12_01, NULL, 0, false);
    iotnet_finding f = finding("ev:t-light@bulb");
    cr_assert_eq(f.status, IOTNET_FINDING_ACCEPTED);
    cr_assert_str_eq(f.accepted_by, "Sam");
    cr_assert_str_eq(f.accepted_reason, "the bulb is in the garden shed");
    cr_assert_eq(f.accepted_until, D_2027_01_01);
    cr_assert_eq(f.residual_risk, f.inherent_risk);
    f = finding("ev:t-web@cam/web-ui");
    cr_assert_eq(f.status, IOTNET_FINDING_ACCEPTED);
    cr_assert_eq(f.accepted_until, IOTNET_TIME_UNSET);
    /* a month later the first acceptance has run out: the finding is open again */
    analyze_at(D_2027_02_01, NULL, 0, false);
    f = finding("ev:t-light@bulb");
    cr_assert_eq(f.status, IOTNET_FINDING_OPEN);
    cr_assert_null(f.accepted_by);
    cr_assert_eq(f.accepted_until, IOTNET_TIME_UNSET);
    cr_assert(strstr(f.evidence, "the acceptance by Sam expired 2027-01-01"), "%s", f.evidence);
    cr_assert_eq(finding("ev:t-web@cam/web-ui").status, IOTNET_FINDING_ACCEPTED);
}

Test(eval, what_if)
{
    expect_ok(iotnet_catalog_load_file(cat, CATALOGS "/eval.xml"));
    /* m-never assumed on the camera: 4 - 2 - 4 and 5 - 1 - 4 clamp to 1 */
    iotnet_assumption a[] = {{"ev:m-never", "cam"}, {"m-tls", "cam/web-ui"}, {"m-zone", NULL}};
    analyze_at(D_2026_12_01, a, 1, false);
    iotnet_finding f = finding("ev:t-cam@cam");
    cr_assert_eq(f.status, IOTNET_FINDING_MITIGATED);
    cr_assert_str_eq(f.mitigations, "ev:m-floor ev:m-never");
    cr_assert_eq(f.residual_risk, 1);
    cr_assert_eq(finding("ev:t-light@bulb").status, IOTNET_FINDING_OPEN, "assumed on the camera only");
    /* a node mitigation assumed for one service of the node, by the service's id */
    analyze_at(D_2026_12_01, a + 1, 1, false);
    f = finding("ev:t-web@cam/web-ui");
    cr_assert_eq(f.status, IOTNET_FINDING_MITIGATED);
    cr_assert_str_eq(f.mitigations, "ev:m-tls");
    cr_assert_eq(f.residual_risk, 12);
    /* everywhere */
    analyze_at(D_2026_12_01, a + 2, 1, false);
    cr_assert_eq(finding("ev:t-zone@lan").status, IOTNET_FINDING_MITIGATED);
    cr_assert_eq(finding("ev:t-zone@lan").residual_risk, 6);
    /* unknown names */
    iotnet_analyze_options o = IOTNET_ANALYZE_OPTIONS_INIT;
    iotnet_assumption bad[] = {{"ev:m-nothing", NULL}, {"m-tls", "nowhere"}};
    iotnet_findings *x = NULL;
    o.assume = bad;
    o.assume_count = 1;
    expect_error(iotnet_analyze(&x, net, cat, &o), IOTNET_EINVAL, "no mitigation \"ev:m-nothing\"");
    o.assume = bad + 1;
    expect_error(iotnet_analyze(&x, net, cat, &o), IOTNET_EINVAL, "no element \"nowhere\"");
    cr_assert_null(x);
    o.version = 99;
    expect_error(iotnet_analyze(&x, net, cat, &o), IOTNET_EINVAL, "version");
}

Test(eval, evidence_names_the_facts)
{
    const char *text =
        "<catalog xmlns='urn:libiotnet:catalog' namespace='e'>"
        "<threat id='t' target='node'><title>t</title><description>d</description><stride>S</stride>"
        "<likelihood>5</likelihood><impact>4</impact><applies-when><all><is-a kind='camera'/>"
        "<service><field name='authentication' op='=' value='default-password'/></service>"
        "<field name='internet-exposure' op='&gt;=' value='port-forward'/>"
        "<field name='gateway/nat/upnp' op='=' value='true'/></all></applies-when>"
        "<mitigations>m</mitigations></threat>"
        "<mitigation id='m' target='node'><title>m</title><description>d</description><present-when>"
        "<field name='id' op='=' value='nothing'/></present-when><effect likelihood='0' impact='0'/>"
        "<controls>test:1</controls></mitigation></catalog>";
    expect_ok(iotnet_catalog_loads(cat, text, strlen(text), "e.xml"));
    analyze_at(D_2026_12_01, NULL, 0, false);
    iotnet_finding f = finding("e:t@cam");
    cr_assert_str_eq(f.evidence, "kind camera; service web-ui authentication default-password; "
                                 "internet-exposure port-forward; gateway rtr nat/upnp true");
}

Test(eval, no_internet_node)
{
    expect_ok(iotnet_link_remove(net, 0));
    iotnet_index inet = node_of("inet");
    expect_ok(iotnet_node_remove(net, inet));
    const char *text =
        "<catalog xmlns='urn:libiotnet:catalog' namespace='n'>"
        "<threat id='t' target='node'><title>t</title><description>d</description><stride>S</stride>"
        "<likelihood>1</likelihood><impact>1</impact><applies-when>"
        "<field name='internet-exposure' op='=' value='none'/></applies-when>"
        "<mitigations>m</mitigations></threat>"
        "<mitigation id='m' target='node'><title>m</title><description>d</description><present-when>"
        "<field name='id' op='=' value='nothing'/></present-when><effect likelihood='0' impact='0'/>"
        "<controls>test:1</controls></mitigation></catalog>";
    expect_ok(iotnet_catalog_loads(cat, text, strlen(text), "n.xml"));
    analyze_at(D_2026_12_01, NULL, 0, false);
    char got[256];
    targets_of("n:t", got, sizeof got);
    cr_assert_str_eq(got, "bulb cam hub laptop rtr");
}

/* Zones without a flow between them: nothing is uncovered, and counting
   nothing must not hand qsort a NULL array (UBSan in the ASan suite). */
Test(eval, zones_without_flows_uncover_nothing)
{
    iotnet_net_free(net);
    expect_ok(iotnet_net_new(&net));
    zone("lan", "home-lan", 0, -1);
    zone("iot", "iot-lan", 0, -1);
    add_vendor_node(net, "bulb", "camera", "iot", NULL);
    const char *text =
        "<catalog xmlns='urn:libiotnet:catalog' namespace='n'>"
        "<threat id='t' target='zone'><title>t</title><description>d</description><stride>T</stride>"
        "<likelihood>1</likelihood><impact>1</impact><applies-when>"
        "<field name='uncovered-flows' op='&gt;' value='0'/></applies-when>"
        "<mitigations>m</mitigations></threat>"
        "<mitigation id='m' target='zone'><title>m</title><description>d</description><present-when>"
        "<field name='id' op='=' value='nothing'/></present-when><effect likelihood='0' impact='0'/>"
        "<controls>test:1</controls></mitigation></catalog>";
    expect_ok(iotnet_catalog_loads(cat, text, strlen(text), "n.xml"));
    analyze_at(D_2026_12_01, NULL, 0, true);
    cr_assert_eq(iotnet_findings_count(found), 2, "one not-applicable finding per zone");
    for (size_t i = 0; i < iotnet_findings_count(found); i++) {
        iotnet_finding x;
        expect_ok(iotnet_findings_get(found, i, &x));
        cr_assert_eq(x.status, IOTNET_FINDING_NOT_APPLICABLE, "%s", x.id);
    }
}

/* ---- the bundled catalog on the bundled home network ----------------------------------- */

Test(eval, bundled_home_network)
{
    iotnet_catalog *d = NULL;
    iotnet_net *home = NULL;
    expect_ok(iotnet_catalog_default(&d));
    expect_ok(iotnet_net_load(&home, HOME, NULL));
    iotnet_analyze_options o = IOTNET_ANALYZE_OPTIONS_INIT;
    o.now = D_2026_12_01;
    iotnet_findings *f = NULL;
    expect_ok(iotnet_analyze(&f, home, d, &o));
    cr_assert_gt(iotnet_findings_count(f), 0);
    int last = 26;
    bool camera = false;
    for (size_t i = 0; i < iotnet_findings_count(f); i++) {
        iotnet_finding x;
        expect_ok(iotnet_findings_get(f, i, &x));
        cr_assert_leq(x.residual_risk, last, "sorted by residual risk");
        last = x.residual_risk;
        cr_assert(x.evidence && *x.evidence, "%s has evidence", x.id);
        if (!strcmp(x.id, "iotnet:default-password-forwarded@cam-porch")) {
            camera = true;
            cr_assert_eq(x.status, IOTNET_FINDING_OPEN);
            cr_assert_geq(x.residual_risk, 16);
            cr_assert(strstr(x.evidence, "default-password"), "%s", x.evidence);
        }
    }
    cr_assert(camera, "the default-password camera behind a port forward is a finding");
    iotnet_findings_free(f);
    iotnet_net_free(home);
    iotnet_catalog_free(d);
}

/* Past 100,000 findings the strings are rendered when read, from the model. */
Test(eval, large_results_render_on_read)
{
    iotnet_net *big = NULL;
    expect_ok(iotnet_net_new(&big));
    expect_ok(iotnet_net_reserve(big, 20000, 0));
    char id[32];
    for (int i = 0; i < 20000; i++) {
        iotnet_node_spec n = IOTNET_NODE_SPEC_INIT;
        snprintf(id, sizeof id, "n%05d", 19999 - i);
        n.id = id;
        n.kind = i % 2 ? "camera" : "light";
        expect_ok(iotnet_node_add(big, NULL, &n));
    }
    char text[4096];
    size_t used = (size_t)snprintf(text, sizeof text, "<catalog xmlns='urn:libiotnet:catalog' namespace='b'>");
    for (int t = 0; t < 6; t++)
        used += (size_t)snprintf(text + used, sizeof text - used,
                                 "<threat id='t%d' target='node'><title>t</title><description>d</description>"
                                 "<stride>S</stride><likelihood>%d</likelihood><impact>2</impact><applies-when>"
                                 "<is-a kind='iot-device'/></applies-when><mitigations>m</mitigations></threat>",
                                 t, 1 + t % 5);
    snprintf(text + used, sizeof text - used,
             "<mitigation id='m' target='node'><title>m</title><description>d</description><present-when>"
             "<is-a kind='camera'/></present-when><effect likelihood='-1' impact='0'/>"
             "<controls>test:1</controls></mitigation></catalog>");
    expect_ok(iotnet_catalog_loads(cat, text, strlen(text), "big.xml"));
    iotnet_analyze_options o = IOTNET_ANALYZE_OPTIONS_INIT;
    o.now = D_2026_12_01;
    iotnet_findings *f = NULL;
    expect_ok(iotnet_analyze(&f, big, cat, &o));
    cr_assert_eq(iotnet_findings_count(f), 120000);
    iotnet_finding x, again;
    /* highest first: t4 (likelihood 5, residual 5 x 2 for lights) before the rest; targets in id order */
    expect_ok(iotnet_findings_get(f, 0, &x));
    cr_assert_str_eq(x.id, "b:t4@n00001");
    cr_assert_eq(x.status, IOTNET_FINDING_OPEN);
    cr_assert_str_eq(x.evidence, "kind light");
    expect_ok(iotnet_findings_get(f, 1, &x));
    cr_assert_str_eq(x.id, "b:t4@n00003");
    /* last: residual 2, the highest threat id and node id, a light */
    expect_ok(iotnet_findings_get(f, 119999, &x));
    cr_assert_str_eq(x.id, "b:t5@n19999");
    cr_assert_eq(x.residual_risk, 2);
    cr_assert_eq(x.status, IOTNET_FINDING_OPEN);
    cr_assert_str_eq(x.mitigations, "");
    expect_ok(iotnet_findings_get(f, 119998, &x));
    cr_assert_str_eq(x.id, "b:t5@n19998");
    cr_assert_eq(x.status, IOTNET_FINDING_MITIGATED);
    cr_assert_str_eq(x.mitigations, "b:m");
    expect_ok(iotnet_findings_get(f, 0, &again));
    cr_assert_eq(again.id, iotnet_findings_get(f, 0, &x) == 0 ? x.id : NULL, "rendered once, the same string after");
    size_t s[5];
    iotnet_findings_summary(f, s);
    cr_assert_eq(s[IOTNET_FINDING_OPEN], 60000);
    cr_assert_eq(s[IOTNET_FINDING_MITIGATED], 60000);
    iotnet_findings_free(f);
    iotnet_net_free(big);
}
