/* GraphML and DOT export: typed keys, values, escaping, clusters, and that
 * libxml2 and Graphviz accept what is written. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "emit_internal.h"
#include "helpers.h"

/* Ids that need escaping in XML attributes, XML text and DOT strings. */
#define CAMERA_ID "cam <1> & \"front\" 'door'"
#define ODD_ID "back\\slash \"quoted\""
#define IOT_ZONE "iot & <things>"

static iotnet_net *net;

/* ---- building the model ------------------------------------------- */

static void add_zone(const char *id, const char *kind, double purdue, uint8_t sl)
{
    iotnet_zone_spec z = IOTNET_ZONE_SPEC_INIT;
    z.id = id;
    z.kind = kind;
    z.purdue_level = purdue;
    z.target_sl = sl;
    expect_ok(iotnet_zone_add(net, NULL, &z));
}

static iotnet_index add_node(const char *id, const char *kind, const char *zone)
{
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    iotnet_index ix;
    s.id = id;
    s.kind = kind;
    s.zone = zone;
    expect_ok(iotnet_node_add(net, &ix, &s));
    return ix;
}

static void add_iface(iotnet_index node, const char *name, const char *cidr)
{
    iotnet_interface i = IOTNET_INTERFACE_INIT;
    i.name = name;
    if (cidr)
        expect_ok(iotnet_ipv4_parse(&i.ipv4, &i.prefix_len, cidr));
    expect_ok(iotnet_interface_add(net, node, &i));
}

static void add_link(const char *id, const char *a, const char *b, iotnet_medium medium, double latency)
{
    iotnet_link_spec l = IOTNET_LINK_SPEC_INIT;
    l.id = id;
    l.a = a;
    l.b = b;
    l.medium = medium;
    l.latency_ms = latency;
    expect_ok(iotnet_link_add(net, NULL, &l));
}

static void set_attr(iotnet_entity entity, iotnet_index ix, const char *key, iotnet_value v)
{
    expect_ok(iotnet_attr_set(net, entity, ix, key, &v));
}

static void build_router(void)
{
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    iotnet_index router;
    s.id = "router";
    s.kind = "home-router";
    s.zone = "lan";
    s.vendor = "Acme";
    s.model = "R100";
    s.implementation = "linux-netfilter";
    expect_ok(iotnet_node_add(net, &router, &s));
    add_iface(router, "wan0", "100.64.0.7/10");
    add_iface(router, "lan0", "192.168.1.1/24");
    iotnet_service web = IOTNET_SERVICE_INIT;
    web.name = "web-ui";
    web.port = 80;
    web.authentication = IOTNET_AUTH_DEFAULT_PASSWORD;
    web.management = true;
    expect_ok(iotnet_service_add(net, router, &web));
    iotnet_rule rule = IOTNET_RULE_INIT;
    rule.name = "lan-out";
    rule.from = (iotnet_selector){IOTNET_SELECT_ZONE, "lan"};
    rule.to = (iotnet_selector){IOTNET_SELECT_INTERNET, NULL};
    expect_ok(iotnet_policy_add_rule(net, router, &rule));
    rule.name = "replies";
    rule.from = (iotnet_selector){IOTNET_SELECT_INTERNET, NULL};
    rule.to = (iotnet_selector){IOTNET_SELECT_ZONE, "lan"};
    rule.initiated_by = IOTNET_INITIATED_TO;
    expect_ok(iotnet_policy_add_rule(net, router, &rule));
    iotnet_nat nat = IOTNET_NAT_INIT;
    nat.inside = "lan0";
    nat.outside = "wan0";
    nat.filtering = IOTNET_NAT_FILTER_EI;
    nat.upnp = true;
    expect_ok(iotnet_nat_set(net, router, &nat));
    set_attr(IOTNET_ENTITY_NODE, router, "floors", (iotnet_value){.type = IOTNET_ATTR_INT, .integer = 2});
    set_attr(IOTNET_ENTITY_NODE, router, "wps", (iotnet_value){.type = IOTNET_ATTR_BOOL, .boolean = true});
}

/* A NAT gateway with an outside and an inside interface. */
static iotnet_index add_nat_gateway(const char *id, const char *kind, const char *zone, const char *outside,
                                    const char *outside_cidr, const char *inside, const char *inside_cidr,
                                    bool upnp, bool cgnat)
{
    iotnet_index gw = add_node(id, kind, zone);
    add_iface(gw, outside, outside_cidr);
    add_iface(gw, inside, inside_cidr);
    iotnet_nat nat = IOTNET_NAT_INIT;
    nat.inside = inside;
    nat.outside = outside;
    nat.upnp = upnp;
    nat.cgnat = cgnat;
    expect_ok(iotnet_nat_set(net, gw, &nat));
    return gw;
}

static void build_cgnat(void)
{
    add_nat_gateway("cgnat", "isp-router", "isp", "up", "198.51.100.1/24", "down", "100.64.0.1/10", false, true);
}

static void build_camera(void)
{
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    iotnet_index cam;
    s.id = CAMERA_ID;
    s.kind = "camera";
    s.zone = IOT_ZONE;
    s.vendor = "Cam & Co";
    s.description = "watches <everything>\nsecond line";
    expect_ok(iotnet_node_add(net, &cam, &s));
    iotnet_service rtsp = IOTNET_SERVICE_INIT;
    rtsp.name = "rtsp";
    rtsp.port = 554;
    rtsp.authentication = IOTNET_AUTH_PASSWORD;
    rtsp.transport = IOTNET_TRANSPORT_TLS1_3;
    rtsp.cipher_suites = "TLS_AES_128_GCM_SHA256 TLS_AES_128_CCM_8_SHA256";
    rtsp.nat_traversal = IOTNET_TRAVERSAL_UPNP;
    expect_ok(iotnet_service_add(net, cam, &rtsp));
    iotnet_service ping = IOTNET_SERVICE_INIT;
    ping.name = "ping";
    ping.protocol = IOTNET_PROTO_ICMP;
    expect_ok(iotnet_service_add(net, cam, &ping));
    iotnet_lifecycle lc = IOTNET_LIFECYCLE_INIT;
    lc.certificate_not_after = 1893456000; /* 2030-01-01T00:00:00Z */
    lc.signed_artifact_lifetime = 10LL * 365 * 86400;
    lc.update_mechanism = IOTNET_UPDATE_SUIT;
    lc.owner = "previous tenant";
    lc.vendor_cloud_dependency = IOTNET_YES;
    lc.ownership_statement = IOTNET_NO;
    expect_ok(iotnet_lifecycle_set(net, cam, &lc));
    set_attr(IOTNET_ENTITY_NODE, cam, "floors", (iotnet_value){.type = IOTNET_ATTR_INT, .integer = -3});
    set_attr(IOTNET_ENTITY_NODE, cam, "cpu-load", (iotnet_value){.type = IOTNET_ATTR_FLOAT, .real = 0.1});
    set_attr(IOTNET_ENTITY_NODE, cam, "installed", (iotnet_value){.type = IOTNET_ATTR_DATE, .integer = 1672531199});
    set_attr(IOTNET_ENTITY_NODE, cam, "retention", (iotnet_value){.type = IOTNET_ATTR_DURATION, .integer = 129600});
    set_attr(IOTNET_ENTITY_NODE, cam, "note <x>", (iotnet_value){.type = IOTNET_ATTR_STRING, .string = "a & b"});
}

static void setup(void)
{
    net = NULL;
    expect_ok(iotnet_net_new(&net));
    expect_ok(iotnet_net_set_name(net, "test <home> & \"garden\""));
    add_zone("internet", "internet-zone", -1, 0);
    add_zone("isp", "provider-zone", -1, 0);
    add_zone("lan", "home-lan", 4, 2);
    add_zone(IOT_ZONE, "iot-lan", 3.5, 1);
    add_zone("empty", "guest-lan", -1, 0);
    add_node("internet", "internet", "internet");
    add_node("cloud", "vendor-cloud", "internet");
    build_cgnat();
    build_router();
    build_camera();
    add_node(ODD_ID, "sensor", NULL);
    add_link("backbone", "cgnat", "internet", IOTNET_MEDIUM_FIBRE, 2.5);
    add_link("cloud-link", "cloud", "internet", IOTNET_MEDIUM_INTERNET, -1);
    add_link("access", "router", "cgnat", IOTNET_MEDIUM_DSL, -1);
    add_link("cam <wifi>", CAMERA_ID, "router", IOTNET_MEDIUM_WIFI, 0.125);
    add_link("odd", ODD_ID, "router", IOTNET_MEDIUM_ZIGBEE, 0.1);
    iotnet_index wifi;
    expect_ok(iotnet_link_find(net, &wifi, "cam <wifi>"));
    set_attr(IOTNET_ENTITY_LINK, wifi, "bandwidth-mbps", (iotnet_value){.type = IOTNET_ATTR_INT, .integer = 300});
    set_attr(IOTNET_ENTITY_LINK, wifi, "metered", (iotnet_value){.type = IOTNET_ATTR_BOOL, .boolean = false});
}

static void teardown(void)
{
    iotnet_net_free(net);
    net = NULL;
}

TestSuite(emit, .init = setup, .fini = teardown);

/* ---- reading GraphML back ----------------------------------------- */

static xmlDocPtr export_graphml(void)
{
    char *text = NULL;
    expect_ok(iotnet_export(net, IOTNET_EXPORT_GRAPHML, &text));
    cr_assert_not_null(text);
    xmlDocPtr doc = xmlReadMemory(text, (int)strlen(text), "export.graphml", NULL, XML_PARSE_NONET);
    cr_assert_not_null(doc, "the GraphML does not parse:\n%s", text);
    iotnet_string_free(text);
    return doc;
}

static int is_element(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST name) == 0;
}

/* An attribute's value as a C string the caller frees with xmlFree, or NULL. */
static char *attr(xmlNodePtr n, const char *name)
{
    return (char *)xmlGetProp(n, BAD_CAST name);
}

static int attr_is(xmlNodePtr n, const char *name, const char *value)
{
    char *v = attr(n, name);
    int same = v && strcmp(v, value) == 0;
    xmlFree(v);
    return same;
}

static xmlNodePtr graph_element(xmlDocPtr doc)
{
    for (xmlNodePtr c = xmlDocGetRootElement(doc)->children; c; c = c->next)
        if (is_element(c, "graph"))
            return c;
    cr_assert_fail("no <graph> element");
    return NULL;
}

/* The <key> declared for (domain, attr.name), or NULL. */
static xmlNodePtr find_key(xmlDocPtr doc, const char *domain, const char *name)
{
    for (xmlNodePtr c = xmlDocGetRootElement(doc)->children; c; c = c->next)
        if (is_element(c, "key") && attr_is(c, "for", domain) && attr_is(c, "attr.name", name))
            return c;
    return NULL;
}

/* The <node> or <edge> with that id. */
static xmlNodePtr find_element(xmlDocPtr doc, const char *element, const char *id)
{
    for (xmlNodePtr c = graph_element(doc)->children; c; c = c->next)
        if (is_element(c, element) && attr_is(c, "id", id))
            return c;
    cr_assert_fail("no <%s id=\"%s\">", element, id);
    return NULL;
}

/* The text of the <data> of `owner` for the key named `name`, or NULL (xmlFree). */
static char *data_of(xmlDocPtr doc, xmlNodePtr owner, const char *domain, const char *name)
{
    xmlNodePtr key = find_key(doc, domain, name);
    cr_assert_not_null(key, "no key for %s '%s'", domain, name);
    char *key_id = attr(key, "id");
    char *text = NULL;
    for (xmlNodePtr c = owner->children; c && !text; c = c->next)
        if (is_element(c, "data") && attr_is(c, "key", key_id))
            text = (char *)xmlNodeGetContent(c);
    xmlFree(key_id);
    return text;
}

static void expect_data(xmlDocPtr doc, xmlNodePtr owner, const char *domain, const char *name,
                        const char *expected)
{
    char *text = data_of(doc, owner, domain, name);
    if (!expected) {
        cr_expect_null(text, "%s '%s' should be absent, is '%s'", domain, name, text);
    } else {
        cr_expect_not_null(text, "%s '%s' is missing", domain, name);
        if (text)
            cr_expect_str_eq(text, expected, "%s '%s'", domain, name);
    }
    xmlFree(text);
}

/* ---- GraphML ------------------------------------------------------ */

typedef struct key_case {
    char domain[8];
    char name[32];
    char type[8];
} key_case;

ParameterizedTestParameters(emit, graphml_key_types)
{
    static key_case cases[] = {
        {"graph", "name", "string"},
        {"node", "id", "string"},
        {"node", "kind", "string"},
        {"node", "zone", "string"},
        {"node", "forwarding", "boolean"},
        {"node", "enforcement", "boolean"},
        {"node", "nat", "boolean"},
        {"node", "policy_rules", "long"},
        {"node", "services", "string"},
        {"node", "certificate_not_after", "string"},
        {"node", "signed_artifact_lifetime", "long"},
        {"node", "vendor_cloud_dependency", "boolean"},
        {"node", "attr.floors", "long"},
        {"node", "attr.cpu-load", "double"},
        {"node", "attr.wps", "boolean"},
        {"node", "attr.installed", "string"},
        {"node", "attr.retention", "long"},
        {"node", "attr.note <x>", "string"},
        {"edge", "id", "string"},
        {"edge", "medium", "string"},
        {"edge", "latency_ms", "double"},
        {"edge", "attr.bandwidth-mbps", "long"},
        {"edge", "attr.metered", "boolean"},
    };
    return cr_make_param_array(key_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(key_case *p, emit, graphml_key_types)
{
    xmlDocPtr doc = export_graphml();
    xmlNodePtr key = find_key(doc, p->domain, p->name);
    cr_assert_not_null(key, "no <key for=\"%s\" attr.name=\"%s\">", p->domain, p->name);
    cr_expect(attr_is(key, "attr.type", p->type), "key %s '%s' should be %s", p->domain, p->name, p->type);
    xmlFreeDoc(doc);
}

Test(emit, graphml_keys_are_unique_and_every_data_is_declared)
{
    xmlDocPtr doc = export_graphml();
    xmlNodePtr root = xmlDocGetRootElement(doc);
    cr_assert(xmlStrcmp(root->name, BAD_CAST "graphml") == 0);
    cr_assert_not_null(root->ns);
    cr_expect_str_eq((const char *)root->ns->href, "http://graphml.graphdrawing.org/xmlns");
    size_t keys = 0;
    for (xmlNodePtr a = root->children; a; a = a->next) {
        if (!is_element(a, "key"))
            continue;
        keys++;
        for (xmlNodePtr b = a->next; b; b = b->next)
            if (is_element(b, "key")) {
                char *id = attr(b, "id");
                cr_expect(!attr_is(a, "id", id), "key id %s declared twice", id);
                xmlFree(id);
            }
    }
    cr_expect_gt(keys, 40);
    for (xmlNodePtr el = graph_element(doc)->children; el; el = el->next) {
        if (el->type != XML_ELEMENT_NODE)
            continue;
        for (xmlNodePtr d = el->children; d; d = d->next) {
            if (!is_element(d, "data"))
                continue;
            char *id = attr(d, "key");
            int declared = 0;
            for (xmlNodePtr k = root->children; k && !declared; k = k->next)
                declared = is_element(k, "key") && attr_is(k, "id", id) &&
                           attr_is(k, "for", (const char *)el->name);
            cr_expect(declared, "<data key=\"%s\"> in <%s> has no key for %s", id, el->name, el->name);
            xmlFree(id);
        }
    }
    xmlFreeDoc(doc);
}

Test(emit, graphml_escapes_ids_and_text)
{
    xmlDocPtr doc = export_graphml();
    xmlNodePtr cam = find_element(doc, "node", CAMERA_ID);
    expect_data(doc, cam, "node", "id", CAMERA_ID);
    expect_data(doc, cam, "node", "zone", IOT_ZONE);
    expect_data(doc, cam, "node", "vendor", "Cam & Co");
    expect_data(doc, cam, "node", "description", "watches <everything>\nsecond line");
    expect_data(doc, cam, "node", "attr.note <x>", "a & b");
    xmlNodePtr odd = find_element(doc, "node", ODD_ID);
    expect_data(doc, odd, "node", "zone", NULL);
    xmlNodePtr wifi = find_element(doc, "edge", "cam <wifi>");
    cr_expect(attr_is(wifi, "source", CAMERA_ID));
    cr_expect(attr_is(wifi, "target", "router"));
    char *graph_name = data_of(doc, graph_element(doc), "graph", "name");
    cr_expect_str_eq(graph_name, "test <home> & \"garden\"");
    xmlFree(graph_name);
    xmlFreeDoc(doc);
}

Test(emit, graphml_device_facts)
{
    xmlDocPtr doc = export_graphml();
    xmlNodePtr cam = find_element(doc, "node", CAMERA_ID);
    expect_data(doc, cam, "node", "kind", "camera");
    expect_data(doc, cam, "node", "family", "device");
    expect_data(doc, cam, "node", "forwarding", "false");
    expect_data(doc, cam, "node", "enforcement", "false");
    expect_data(doc, cam, "node", "nat", "false");
    expect_data(doc, cam, "node", "services",
                "rtsp tcp/554 auth=password transport=tls1.3 "
                "ciphers=TLS_AES_128_GCM_SHA256,TLS_AES_128_CCM_8_SHA256 traversal=upnp; ping icmp");
    expect_data(doc, cam, "node", "certificate_not_after", "2030-01-01T00:00:00Z");
    expect_data(doc, cam, "node", "signed_artifact_lifetime", "315360000");
    expect_data(doc, cam, "node", "update_mechanism", "suit");
    expect_data(doc, cam, "node", "owner", "previous tenant");
    expect_data(doc, cam, "node", "vendor_cloud_dependency", "true");
    expect_data(doc, cam, "node", "ownership_statement", "false");
    expect_data(doc, cam, "node", "credentials_escrowed", NULL);
    expect_data(doc, cam, "node", "end_of_support", NULL);
    expect_data(doc, cam, "node", "attr.floors", "-3");
    expect_data(doc, cam, "node", "attr.cpu-load", "0.1");
    expect_data(doc, cam, "node", "attr.installed", "2022-12-31T23:59:59Z");
    expect_data(doc, cam, "node", "attr.retention", "129600");
    expect_data(doc, cam, "node", "attr.wps", NULL);
    xmlFreeDoc(doc);
}

Test(emit, graphml_enforcement_facts)
{
    xmlDocPtr doc = export_graphml();
    xmlNodePtr router = find_element(doc, "node", "router");
    expect_data(doc, router, "node", "family", "forwarding");
    expect_data(doc, router, "node", "forwarding", "true");
    expect_data(doc, router, "node", "enforcement", "true");
    expect_data(doc, router, "node", "policy_default", "drop");
    expect_data(doc, router, "node", "policy_rules", "2");
    expect_data(doc, router, "node", "nat", "true");
    expect_data(doc, router, "node", "nat_filtering", "endpoint-independent");
    expect_data(doc, router, "node", "nat_upnp", "true");
    expect_data(doc, router, "node", "nat_cgnat", "false");
    expect_data(doc, router, "node", "interfaces", "wan0 100.64.0.7/10; lan0 192.168.1.1/24");
    expect_data(doc, router, "node", "services", "web-ui tcp/80 auth=default-password management");
    expect_data(doc, router, "node", "implementation", "linux-netfilter");
    expect_data(doc, router, "node", "attr.floors", "2");
    expect_data(doc, router, "node", "attr.wps", "true");
    xmlNodePtr isp = find_element(doc, "node", "cgnat");
    expect_data(doc, isp, "node", "enforcement", "true");
    expect_data(doc, isp, "node", "nat_cgnat", "true");
    expect_data(doc, isp, "node", "policy_rules", NULL);
    xmlNodePtr inet = find_element(doc, "node", "internet");
    expect_data(doc, inet, "node", "family", "internet");
    xmlNodePtr cloud = find_element(doc, "node", "cloud");
    expect_data(doc, cloud, "node", "family", "cloud-service");
    xmlFreeDoc(doc);
}

Test(emit, graphml_edge_facts)
{
    xmlDocPtr doc = export_graphml();
    xmlNodePtr wifi = find_element(doc, "edge", "cam <wifi>");
    expect_data(doc, wifi, "edge", "id", "cam <wifi>");
    expect_data(doc, wifi, "edge", "a", CAMERA_ID);
    expect_data(doc, wifi, "edge", "b", "router");
    expect_data(doc, wifi, "edge", "a_interface", NULL);
    expect_data(doc, wifi, "edge", "medium", "wifi");
    expect_data(doc, wifi, "edge", "latency_ms", "0.125");
    expect_data(doc, wifi, "edge", "attr.bandwidth-mbps", "300");
    expect_data(doc, wifi, "edge", "attr.metered", "false");
    /* latency is kept as a float: written as the short decimal it came from */
    expect_data(doc, find_element(doc, "edge", "odd"), "edge", "latency_ms", "0.1");
    xmlNodePtr access = find_element(doc, "edge", "access");
    expect_data(doc, access, "edge", "medium", "dsl");
    expect_data(doc, access, "edge", "latency_ms", NULL);
    expect_data(doc, access, "edge", "attr.metered", NULL);
    xmlFreeDoc(doc);
}

Test(emit, text_xml_cannot_carry_never_enters_the_model)
{
    /* a YANG string (and XML) cannot hold a control character or bytes that
       are not UTF-8: the model refuses them, so no export has to guess */
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    s.id = "ctl";
    s.kind = "plc";
    s.description = "bell\x07 and bad \xff byte";
    size_t before = iotnet_node_count(net);
    cr_assert_eq(iotnet_node_add(net, NULL, &s), IOTNET_EINVAL);
    cr_assert(strstr(iotnet_error_last()->message, "control character") != NULL);
    cr_assert_eq(iotnet_node_count(net), before);
    s.description = "line one\n\tline two";
    expect_ok(iotnet_node_add(net, NULL, &s));
    xmlDocPtr doc = export_graphml();
    expect_data(doc, find_element(doc, "node", "ctl"), "node", "description", "line one\n\tline two");
    xmlFreeDoc(doc);
}

Test(emit, graphml_of_an_empty_model)
{
    teardown();
    expect_ok(iotnet_net_new(&net));
    xmlDocPtr doc = export_graphml();
    xmlNodePtr graph = graph_element(doc);
    cr_expect(attr_is(graph, "edgedefault", "undirected"));
    size_t elements = 0;
    for (xmlNodePtr c = graph->children; c; c = c->next)
        elements += is_element(c, "node") || is_element(c, "edge");
    cr_expect_eq(elements, 0);
    cr_expect_null(find_key(doc, "node", "attr.floors"));
    xmlFreeDoc(doc);
}

/* ---- DOT ---------------------------------------------------------- */

static char *export_dot(void)
{
    char *text = NULL;
    expect_ok(iotnet_export(net, IOTNET_EXPORT_DOT, &text));
    cr_assert_not_null(text);
    return text;
}

/* The line of `text` that contains `needle`, copied (free()), or NULL. */
static char *line_with(const char *text, const char *needle)
{
    const char *hit = strstr(text, needle);
    if (!hit)
        return NULL;
    const char *start = hit;
    while (start > text && start[-1] != '\n')
        start--;
    const char *end = strchr(hit, '\n');
    size_t len = end ? (size_t)(end - start) : strlen(start);
    char *line = malloc(len + 1);
    memcpy(line, start, len);
    line[len] = '\0';
    return line;
}

Test(emit, dot_zones_are_clusters)
{
    char *dot = export_dot();
    cr_expect(strncmp(dot, "graph \"test <home> & \\\"garden\\\"\" {", 34) == 0, "header: %.60s", dot);
    cr_expect_not_null(strstr(dot, "subgraph \"cluster_lan\" {"));
    cr_expect_not_null(strstr(dot, "subgraph \"cluster_iot & <things>\" {"));
    cr_expect_not_null(strstr(dot, "label=\"lan\\nhome-lan, Purdue 4, SL 2\""));
    /* the camera sits inside its zone's cluster, before the cluster closes */
    const char *cluster = strstr(dot, "subgraph \"cluster_iot & <things>\"");
    const char *camera = strstr(dot, "\"cam <1> & \\\"front\\\" 'door'\" [");
    cr_assert_not_null(camera);
    cr_expect(cluster && camera > cluster && !memchr(cluster, '}', (size_t)(camera - cluster)));
    iotnet_string_free(dot);
}

Test(emit, dot_marks_enforcement_points_and_shapes_by_family)
{
    char *dot = export_dot();
    char *router = line_with(dot, "\"router\" [");
    cr_assert_not_null(router);
    cr_expect_not_null(strstr(router, "shape=box"));
    cr_expect_not_null(strstr(router, "peripheries=2"));
    cr_expect_not_null(strstr(router, "firewall: 2 rules, default drop"));
    cr_expect_not_null(strstr(router, "NAT44\\nUPnP, endpoint-independent filtering"));
    char *isp = line_with(dot, "\"cgnat\" [");
    cr_expect_not_null(strstr(isp, "NAT44 (CGNAT)"));
    char *cam = line_with(dot, "\"cam <1>");
    cr_expect_not_null(strstr(cam, "shape=ellipse"));
    cr_expect_null(strstr(cam, "peripheries"));
    char *cloud = line_with(dot, "\"cloud\" [");
    cr_expect_not_null(strstr(cloud, "shape=cylinder"));
    char *inet = line_with(dot, "\"internet\" [");
    cr_expect_not_null(strstr(inet, "shape=octagon"));
    free(router);
    free(isp);
    free(cam);
    free(cloud);
    free(inet);
    iotnet_string_free(dot);
}

Test(emit, dot_edges_are_labelled_and_ids_escaped)
{
    /* external labels: dot's ranking fails on labels proper in clusters (below) */
    char *dot = export_dot();
    cr_expect_not_null(strstr(dot, "\"cam <1> & \\\"front\\\" 'door'\" -- \"router\" [tooltip=\"cam <wifi>\", "
                                   "xlabel=\"wifi\\n0.125 ms\", style=dashed];"));
    cr_expect_not_null(strstr(dot, "\"back\\\\slash \\\"quoted\\\"\" -- \"router\""));
    cr_expect_not_null(strstr(dot, "xlabel=\"fibre\\n2.5 ms\""));
    cr_expect_not_null(strstr(dot, "xlabel=\"dsl\""));
    cr_expect_not_null(strstr(dot, "xlabel=\"zigbee\\n0.1 ms\""));
    /* a node without a zone is outside every cluster */
    char *odd = line_with(dot, "\"back\\\\slash \\\"quoted\\\"\" [");
    cr_assert_not_null(odd);
    cr_expect(strncmp(odd, "  \"", 3) == 0, "unzoned node indented as top level: '%s'", odd);
    free(odd);
    iotnet_string_free(dot);
}

/* Run Graphviz on the text; returns its exit status, or -1 without Graphviz. */
static int run_dot(const char *text)
{
    if (system("command -v dot >/dev/null 2>&1") != 0)
        return -1;
    char path[] = "/tmp/iotnet-emit-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    char command[128];
    snprintf(command, sizeof command, "dot -Tsvg %s -o /dev/null 2>/dev/null", path);
    int status = system(command);
    unlink(path);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

Test(emit, dot_is_accepted_by_graphviz)
{
    char *dot = export_dot();
    int status = run_dot(dot);
    iotnet_string_free(dot);
    if (status < 0)
        cr_skip_test("Graphviz is not installed");
    cr_expect_eq(status, 0, "dot -Tsvg rejected the export");
}

Test(emit, dot_of_an_empty_model_is_accepted)
{
    teardown();
    expect_ok(iotnet_net_new(&net));
    char *dot = export_dot();
    cr_expect_str_eq(dot, "graph \"network\" {\n  graph [fontname=\"Helvetica\", labelloc=t];\n"
                          "  node [fontname=\"Helvetica\", fontsize=10];\n"
                          "  edge [fontname=\"Helvetica\", fontsize=9];\n}\n");
    int status = run_dot(dot);
    cr_expect(status <= 0);
    iotnet_string_free(dot);
}

/* ---- files, helpers and errors ------------------------------------ */

static size_t count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

Test(emit, export_file_writes_the_same_text_atomically)
{
    char dir[] = "/tmp/iotnet-emit-dir-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/net.graphml", dir);
    expect_ok(iotnet_export_file(net, IOTNET_EXPORT_GRAPHML, path));
    char *expected = NULL;
    expect_ok(iotnet_export(net, IOTNET_EXPORT_GRAPHML, &expected));
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    size_t len = strlen(expected);
    char *got = calloc(1, len + 2);
    size_t n = fread(got, 1, len + 1, f);
    fclose(f);
    cr_expect_eq(n, len);
    cr_expect(memcmp(got, expected, len) == 0);
    cr_expect_eq(count_entries(dir), 1, "a temporary file was left beside the export");
    free(got);
    iotnet_string_free(expected);
    unlink(path);
    rmdir(dir);
}

Test(emit, export_file_reports_unwritable_paths)
{
    expect_error(iotnet_export_file(net, IOTNET_EXPORT_DOT, "/nonexistent-dir/x.dot"), IOTNET_EIO,
                 "/nonexistent-dir/x.dot");
}

Test(emit, export_rejects_bad_arguments)
{
    char *out = (char *)"untouched";
    expect_error(iotnet_export(NULL, IOTNET_EXPORT_DOT, &out), IOTNET_EINVAL, "net");
    cr_expect_null(out);
    expect_error(iotnet_export(net, (iotnet_export_format)99, &out), IOTNET_EINVAL, "format");
    cr_expect_null(out);
    expect_error(iotnet_export(net, IOTNET_EXPORT_GRAPHML, NULL), IOTNET_EINVAL, "out");
}

Test(emit, services_line_of_a_node)
{
    iotnet_index router;
    expect_ok(iotnet_node_find(net, &router, "router"));
    char *text = NULL;
    expect_ok(iotnet_export_services(net, router, &text));
    cr_expect_str_eq(text, "web-ui tcp/80 auth=default-password management");
    iotnet_string_free(text);
    iotnet_index inet;
    expect_ok(iotnet_node_find(net, &inet, "internet"));
    expect_ok(iotnet_export_services(net, inet, &text));
    cr_expect_str_eq(text, "");
    iotnet_string_free(text);
    cr_expect_neq(iotnet_export_services(net, 12345, &text), 0);
    cr_expect_null(text);
}

typedef struct family_case {
    char kind[32];
    char family[16];
} family_case;

ParameterizedTestParameters(emit, kind_families)
{
    static family_case cases[] = {
        {"internet", "internet"},     {"home-router", "forwarding"}, {"switch", "forwarding"},
        {"camera", "device"},         {"virtual-plc", "device"},     {"workstation", "device"},
        {"vendor-cloud", "cloud-service"}, {"node-kind", "other"},
    };
    return cr_make_param_array(family_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(family_case *p, emit, kind_families)
{
    iotnet_kind kind;
    expect_ok(iotnet_kind_find(net, &kind, p->kind));
    cr_expect_str_eq(iotnet_export_kind_family(net, kind), p->family);
}

Test(emit, user_kinds_take_their_parents_family)
{
    iotnet_kind kind;
    expect_ok(iotnet_kind_add(net, &kind, "robot-mower", "iot-device"));
    cr_expect_str_eq(iotnet_export_kind_family(net, kind), "device");
    expect_ok(iotnet_kind_add(net, &kind, "mystery", IOTNET_KIND_NODE_ROOT));
    cr_expect_str_eq(iotnet_export_kind_family(net, kind), "other");
    cr_expect_str_eq(iotnet_export_kind_family(net, 999999), "other");
}

/* ---- rules, forwards, NAT and conduits in GraphML ----------------- */

Test(emit, graphml_lists_rules_forwards_and_nat_interfaces)
{
    iotnet_index router;
    expect_ok(iotnet_node_find(net, &router, "router"));
    iotnet_port_forward fwd = IOTNET_PORT_FORWARD_INIT;
    fwd.name = "cam-rtsp";
    fwd.external_port = 8554;
    fwd.to_node = CAMERA_ID;
    fwd.internal_port = 554;
    expect_ok(iotnet_nat_add_forward(net, router, &fwd));
    iotnet_conduit_spec c = IOTNET_CONDUIT_SPEC_INIT;
    c.id = "lan-iot";
    c.from_zone = "lan";
    c.to_zone = IOT_ZONE;
    c.services = "tcp/554 icmp";
    c.bidirectional = true;
    c.description = "the \"app\" path";
    expect_ok(iotnet_conduit_add(net, NULL, &c));
    xmlDocPtr doc = export_graphml();
    xmlNodePtr r = find_element(doc, "node", "router");
    expect_data(doc, r, "node", "rules",
                "lan-out: zone:lan -> internet any accept; "
                "replies: internet -> zone:lan any initiated-by=to accept");
    expect_data(doc, r, "node", "nat_inside", "lan0");
    expect_data(doc, r, "node", "nat_outside", "wan0");
    expect_data(doc, r, "node", "nat_hairpinning", "false");
    expect_data(doc, r, "node", "forwards", "cam-rtsp tcp/8554 -> " CAMERA_ID ":554");
    expect_data(doc, r, "node", "mud_gateway", "false");
    expect_data(doc, find_element(doc, "node", "internet"), "node", "rules", NULL);
    char *conduits = data_of(doc, graph_element(doc), "graph", "conduits");
    cr_expect_str_eq(conduits, "lan-iot: lan -> " IOT_ZONE " tcp/554 icmp bidirectional \"the \\\"app\\\" path\"");
    xmlFree(conduits);
    xmlFreeDoc(doc);
}

Test(emit, graphml_interface_descriptions_are_quoted)
{
    iotnet_index odd;
    expect_ok(iotnet_node_find(net, &odd, ODD_ID));
    iotnet_interface i = IOTNET_INTERFACE_INIT;
    i.name = "radio";
    i.description = "zigbee \"coordinator\" \\ side";
    expect_ok(iotnet_interface_add(net, odd, &i));
    xmlDocPtr doc = export_graphml();
    expect_data(doc, find_element(doc, "node", ODD_ID), "node", "interfaces",
                "radio \"zigbee \\\"coordinator\\\" \\\\ side\"");
    xmlFreeDoc(doc);
}

/* ---- SVG through Graphviz ----------------------------------------- */

static xmlDocPtr parse_svg(const char *svg)
{
    /* the DOCTYPE names an external DTD: not loaded (no network, no entities) */
    xmlDocPtr doc = xmlReadMemory(svg, (int)strlen(svg), "export.svg", NULL, XML_PARSE_NONET);
    cr_assert_not_null(doc, "the SVG does not parse");
    return doc;
}

/* The <title>s of the <g class="KIND"> groups, counted, and whether `wanted` is one. */
static size_t count_groups(xmlNodePtr n, const char *kind, const char *wanted, int *found)
{
    size_t count = 0;
    for (; n; n = n->next) {
        if (is_element(n, "g") && attr_is(n, "class", kind)) {
            count++;
            for (xmlNodePtr c = n->children; c; c = c->next)
                if (is_element(c, "title") && wanted) {
                    char *title = (char *)xmlNodeGetContent(c);
                    *found |= strcmp(title, wanted) == 0;
                    xmlFree(title);
                }
        }
        count += count_groups(n->children, kind, wanted, found);
    }
    return count;
}

Test(emit, svg_has_a_cluster_per_zone_and_a_node_per_node)
{
    char *svg = NULL;
    expect_ok(iotnet_export(net, IOTNET_EXPORT_SVG, &svg));
    cr_assert(strncmp(svg, "<?xml", 5) == 0);
    xmlDocPtr doc = parse_svg(svg);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    cr_expect(xmlStrcmp(root->name, BAD_CAST "svg") == 0);
    int found = 0;
    /* Graphviz draws no box for the zone without nodes ("empty") */
    cr_expect_eq(count_groups(root, "cluster", "cluster_" IOT_ZONE, &found), 4);
    cr_expect(found, "no cluster titled with the IoT zone's id");
    found = 0;
    cr_expect_eq(count_groups(root, "node", CAMERA_ID, &found), iotnet_node_count(net));
    cr_expect(found, "no node titled with the camera's id");
    cr_expect_eq(count_groups(root, "edge", NULL, &found), iotnet_link_count(net));
    xmlFreeDoc(doc);
    iotnet_string_free(svg);
}

Test(emit, svg_is_the_same_each_time_and_written_to_files)
{
    char *first = NULL, *second = NULL;
    expect_ok(iotnet_export(net, IOTNET_EXPORT_SVG, &first));
    expect_ok(iotnet_export(net, IOTNET_EXPORT_SVG, &second));
    cr_expect_str_eq(first, second);
    char path[] = "/tmp/iotnet-emit-svg-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    expect_ok(iotnet_export_file(net, IOTNET_EXPORT_SVG, path));
    FILE *f = fopen(path, "rb");
    size_t len = strlen(first);
    char *got = calloc(1, len + 2);
    cr_expect_eq(fread(got, 1, len + 1, f), len);
    fclose(f);
    cr_expect(memcmp(got, first, len) == 0);
    free(got);
    unlink(path);
    iotnet_string_free(first);
    iotnet_string_free(second);
}

/* Sensors without a zone, beyond what is drawn node by node. */
static void add_unzoned_sensors(int count)
{
    char id[32];
    for (int i = 0; i < count; i++) {
        snprintf(id, sizeof id, "s%d", i);
        add_node(id, "sensor", NULL);
    }
}

Test(emit, svg_in_full_refuses_a_model_too_large_to_lay_out)
{
    add_unzoned_sensors(IOTNET_EXPORT_SVG_MAX_NODES);
    iotnet_export_options opts = IOTNET_EXPORT_OPTIONS_INIT;
    opts.full = true;
    char *svg = (char *)"untouched";
    expect_error(iotnet_export_ext(&svg, net, IOTNET_EXPORT_SVG, &opts), IOTNET_EINVAL, "too many to lay out");
    cr_expect_null(svg);
    /* without full it is the zone view */
    expect_ok(iotnet_export(net, IOTNET_EXPORT_SVG, &svg));
    cr_expect(strstr(svg, "(zone view)") != NULL);
    iotnet_string_free(svg);
}

Test(emit, export_ext_checks_its_options)
{
    char *out = (char *)"untouched";
    iotnet_export_options opts = IOTNET_EXPORT_OPTIONS_INIT;
    opts.version = 99;
    expect_error(iotnet_export_ext(&out, net, IOTNET_EXPORT_DOT, &opts), IOTNET_EINVAL, "version");
    cr_expect_null(out);
    expect_error(iotnet_export_ext(&out, net, (iotnet_export_format)0, NULL), IOTNET_EINVAL, "format");
    expect_error(iotnet_export_file_ext(net, IOTNET_EXPORT_DOT, NULL, NULL), IOTNET_EINVAL, "path");
    /* no marks asked for: the plain export */
    char *plain = NULL;
    opts.version = IOTNET_EXPORT_OPTIONS_VERSION;
    expect_ok(iotnet_export_ext(&out, net, IOTNET_EXPORT_DOT, &opts));
    expect_ok(iotnet_export(net, IOTNET_EXPORT_DOT, &plain));
    cr_expect_str_eq(out, plain);
    iotnet_string_free(out);
    iotnet_string_free(plain);
}

/* ---- marks: exposure, findings, MUD gateways ----------------------- */

/* A link from an interface of a to b. */
static void add_link_at(const char *id, const char *a, const char *a_interface, const char *b,
                        iotnet_medium medium)
{
    iotnet_link_spec l = IOTNET_LINK_SPEC_INIT;
    l.id = id;
    l.a = a;
    l.a_interface = a_interface;
    l.b = b;
    l.medium = medium;
    expect_ok(iotnet_link_add(net, NULL, &l));
}

/* The Internet, a NAT router with a forward and UPnP, a camera behind it
   (a forward and a pinhole), a sensor without services, and a server on
   the Internet side. */
static void build_exposed(void)
{
    expect_ok(iotnet_net_new(&net));
    expect_ok(iotnet_net_set_name(net, "exposed"));
    add_zone("outside", "internet-zone", -1, 0);
    add_zone("lan", "home-lan", 4, 2);
    add_node("internet", "internet", "outside");
    iotnet_index router =
        add_nat_gateway("router", "home-router", "lan", "wan0", "203.0.113.1/24", "lan0", "192.168.1.1/24", true, false);
    iotnet_index cam = add_node("cam", "camera", "lan");
    iotnet_service web = IOTNET_SERVICE_INIT;
    web.name = "web";
    web.port = 80;
    web.authentication = IOTNET_AUTH_DEFAULT_PASSWORD;
    web.management = true;
    expect_ok(iotnet_service_add(net, cam, &web));
    iotnet_service rtsp = IOTNET_SERVICE_INIT;
    rtsp.name = "rtsp";
    rtsp.port = 554;
    rtsp.nat_traversal = IOTNET_TRAVERSAL_UPNP;
    expect_ok(iotnet_service_add(net, cam, &rtsp));
    iotnet_port_forward fwd = IOTNET_PORT_FORWARD_INIT;
    fwd.name = "cam-web";
    fwd.external_port = 8080;
    fwd.to_node = "cam";
    fwd.internal_port = 80;
    expect_ok(iotnet_nat_add_forward(net, router, &fwd));
    add_node("sensor", "sensor", "lan");
    iotnet_index server = add_node("server", "server", "outside");
    iotnet_service ssh = IOTNET_SERVICE_INIT;
    ssh.name = "ssh";
    ssh.port = 22;
    expect_ok(iotnet_service_add(net, server, &ssh));
    add_link_at("uplink", "router", "wan0", "internet", IOTNET_MEDIUM_FIBRE);
    add_link_at("cam-link", "router", "lan0", "cam", IOTNET_MEDIUM_ETHERNET);
    add_link_at("sensor-link", "router", "lan0", "sensor", IOTNET_MEDIUM_WIFI);
    add_link_at("server-link", "internet", NULL, "server", IOTNET_MEDIUM_ETHERNET);
}

TestSuite(export_marks, .init = build_exposed, .fini = teardown);

static char *export_with(iotnet_export_format format, bool exposure, const iotnet_findings *findings)
{
    iotnet_export_options opts = IOTNET_EXPORT_OPTIONS_INIT;
    opts.exposure = exposure;
    opts.findings = findings;
    char *text = NULL;
    expect_ok(iotnet_export_ext(&text, net, format, &opts));
    return text;
}

static xmlDocPtr graphml_with(bool exposure, const iotnet_findings *findings)
{
    char *text = export_with(IOTNET_EXPORT_GRAPHML, exposure, findings);
    xmlDocPtr doc = xmlReadMemory(text, (int)strlen(text), "export.graphml", NULL, XML_PARSE_NONET);
    cr_assert_not_null(doc);
    iotnet_string_free(text);
    return doc;
}

Test(export_marks, graphml_exposure_per_node)
{
    xmlDocPtr doc = graphml_with(true, NULL);
    xmlNodePtr cam = find_element(doc, "node", "cam");
    expect_data(doc, cam, "node", "exposure", "port-forward");
    expect_data(doc, cam, "node", "exposed_services",
                "web tcp/80 port-forward via router:8080; rtsp tcp/554 pinhole via router:554");
    xmlNodePtr server = find_element(doc, "node", "server");
    expect_data(doc, server, "node", "exposure", "direct");
    expect_data(doc, server, "node", "exposed_services", "ssh tcp/22 direct");
    /* a host without services: its class, and nothing listed */
    xmlNodePtr sensor = find_element(doc, "node", "sensor");
    expect_data(doc, sensor, "node", "exposure", "reply-only");
    expect_data(doc, sensor, "node", "exposed_services", NULL);
    /* the source itself has no exposure */
    expect_data(doc, find_element(doc, "node", "internet"), "node", "exposure", NULL);
    char *source = data_of(doc, graph_element(doc), "graph", "exposure_source");
    cr_expect_str_eq(source, "internet");
    xmlFree(source);
    cr_expect_not_null(find_key(doc, "node", "open_findings"));
    xmlFreeDoc(doc);
}

Test(export_marks, plain_graphml_declares_no_overlay_keys)
{
    xmlDocPtr doc = graphml_with(false, NULL);
    cr_expect_null(find_key(doc, "node", "exposure"));
    cr_expect_null(find_key(doc, "graph", "exposure_source"));
    cr_expect_null(find_key(doc, "edge", "open_findings"));
    xmlFreeDoc(doc);
}

Test(export_marks, dot_colours_nodes_by_exposure_and_has_a_legend)
{
    char *dot = export_with(IOTNET_EXPORT_DOT, true, NULL);
    char *cam = line_with(dot, "\"cam\" [");
    cr_assert_not_null(cam);
    cr_expect_not_null(strstr(cam, "fillcolor=\"#f8c08a\""), "%s", cam);
    cr_expect_not_null(strstr(cam, "internet: port-forward\\nweb tcp/80 port-forward via router:8080\\n"
                                   "rtsp tcp/554 pinhole via router:554"), "%s", cam);
    char *server = line_with(dot, "\"server\" [");
    cr_expect_not_null(strstr(server, "fillcolor=\"#f4a3a3\""), "%s", server);
    char *inet = line_with(dot, "\"internet\" [");
    cr_expect_null(strstr(inet, "internet: "), "%s", inet);
    cr_expect_not_null(strstr(dot, "exposure to the Internet"));
    cr_expect_not_null(strstr(dot, "<td bgcolor=\"#e0c8f0\">hole-punchable</td>"));
    cr_expect_not_null(strstr(dot, "<b>exposed</b>"));
    cr_expect_null(strstr(dot, "open findings"));
    free(cam);
    free(server);
    free(inet);
    iotnet_string_free(dot);
}

Test(export_marks, a_model_without_internet_is_drawn_without_exposure)
{
    iotnet_index inet;
    expect_ok(iotnet_node_find(net, &inet, "internet"));
    expect_ok(iotnet_node_remove(net, inet));
    char *dot = export_with(IOTNET_EXPORT_DOT, true, NULL);
    cr_expect_not_null(strstr(dot, "no internet node: exposure not computed"));
    cr_expect_null(strstr(dot, "internet: "));
    iotnet_string_free(dot);
    xmlDocPtr doc = graphml_with(true, NULL);
    expect_data(doc, find_element(doc, "node", "cam"), "node", "exposure", NULL);
    /* the key is there, and empty: asked for, nothing to reach from */
    cr_expect_not_null(find_key(doc, "graph", "exposure_source"));
    xmlFreeDoc(doc);
}

/* Open findings and the highest residual risk on a node and its services. */
static void expected_marks(const iotnet_findings *f, const char *node, long *open, long *risk)
{
    *open = *risk = 0;
    size_t len = strlen(node);
    for (size_t i = 0; i < iotnet_findings_count(f); i++) {
        iotnet_finding x = {.version = IOTNET_FINDING_VERSION};
        expect_ok(iotnet_findings_get(f, i, &x));
        int on_node = (x.target_kind == IOTNET_TARGET_NODE && strcmp(x.target, node) == 0) ||
                      (x.target_kind == IOTNET_TARGET_SERVICE && strncmp(x.target, node, len) == 0 &&
                       x.target[len] == '/');
        if (!on_node || x.status != IOTNET_FINDING_OPEN)
            continue;
        (*open)++;
        if (x.residual_risk > *risk)
            *risk = x.residual_risk;
    }
}

static iotnet_findings *analyze_bundled(void)
{
    iotnet_catalog *cat = NULL;
    iotnet_findings *f = NULL;
    expect_ok(iotnet_catalog_default(&cat));
    expect_ok(iotnet_analyze(&f, net, cat, NULL));
    iotnet_catalog_free(cat);
    return f;
}

Test(export_marks, graphml_counts_open_findings_per_node)
{
    iotnet_findings *f = analyze_bundled();
    xmlDocPtr doc = graphml_with(false, f);
    static const char *const nodes[] = {"cam", "router", "sensor", "server", "internet"};
    long total = 0;
    for (size_t i = 0; i < sizeof nodes / sizeof nodes[0]; i++) {
        long open, risk;
        expected_marks(f, nodes[i], &open, &risk);
        total += open;
        char text[32];
        xmlNodePtr el = find_element(doc, "node", nodes[i]);
        snprintf(text, sizeof text, "%ld", open);
        expect_data(doc, el, "node", "open_findings", text);
        snprintf(text, sizeof text, "%ld", risk);
        expect_data(doc, el, "node", "max_residual_risk", open ? text : NULL);
    }
    cr_expect_gt(total, 0, "the camera with a default password should have open findings");
    /* the exposure keys are declared, but nothing was asked of them */
    expect_data(doc, find_element(doc, "node", "cam"), "node", "exposure", NULL);
    xmlFreeDoc(doc);
    iotnet_findings_free(f);
}

Test(export_marks, dot_marks_nodes_with_open_findings)
{
    iotnet_findings *f = analyze_bundled();
    long open, risk;
    expected_marks(f, "cam", &open, &risk);
    cr_assert_gt(open, 0);
    char *dot = export_with(IOTNET_EXPORT_DOT, true, f);
    char *cam = line_with(dot, "\"cam\" [");
    char expected[64];
    snprintf(expected, sizeof expected, "%ld open finding%s, max risk %ld", open, open == 1 ? "" : "s", risk);
    cr_expect_not_null(strstr(cam, expected), "%s lacks %s", cam, expected);
    cr_expect_not_null(strstr(cam, "fontcolor=\"#8b0000\""));
    cr_expect_not_null(strstr(dot, "dark red: open findings"));
    free(cam);
    iotnet_string_free(dot);
    iotnet_findings_free(f);
}

Test(export_marks, findings_of_another_model_are_refused)
{
    iotnet_findings *f = analyze_bundled();
    iotnet_index cam;
    expect_ok(iotnet_node_find(net, &cam, "cam"));
    /* the default password on cam/web is a finding; the service goes */
    expect_ok(iotnet_service_remove(net, cam, "web"));
    iotnet_export_options opts = IOTNET_EXPORT_OPTIONS_INIT;
    opts.findings = f;
    char *out = NULL;
    expect_error(iotnet_export_ext(&out, net, IOTNET_EXPORT_GRAPHML, &opts), IOTNET_EINVAL,
                 "which this model does not have");
    cr_expect_null(out);
    iotnet_findings_free(f);
}

Test(export_marks, marked_exports_are_byte_identical_each_time)
{
    iotnet_findings *f = analyze_bundled();
    for (iotnet_export_format fmt = IOTNET_EXPORT_GRAPHML; fmt <= IOTNET_EXPORT_DOT; fmt++) {
        char *a = export_with(fmt, true, f);
        char *b = export_with(fmt, true, f);
        cr_expect_str_eq(a, b);
        iotnet_string_free(a);
        iotnet_string_free(b);
    }
    iotnet_findings_free(f);
}

Test(export_marks, mud_gateways_are_enforcement_points)
{
    iotnet_index cam;
    expect_ok(iotnet_node_find(net, &cam, "cam"));
    iotnet_node_spec spec;
    expect_ok(iotnet_node_get(net, cam, &spec));
    spec.mud_url = "https://cam.example/cam.json";
    expect_ok(iotnet_node_update(net, cam, &spec));
    iotnet_mud_ace ace = IOTNET_MUD_ACE_INIT;
    ace.acl = "from-cam";
    ace.name = "cloud";
    ace.peer = IOTNET_MUD_PEER_DNSNAME;
    ace.peer_value = "cloud.example";
    ace.protocol = IOTNET_PROTO_TCP;
    ace.dst_port_lo = ace.dst_port_hi = 443;
    expect_ok(iotnet_node_mud_add_ace(net, cam, &ace));
    char *dot = export_with(IOTNET_EXPORT_DOT, false, NULL);
    char *router = line_with(dot, "\"router\" [");
    cr_expect_not_null(strstr(router, "MUD gateway (1 device)"), "%s", router);
    cr_expect_not_null(strstr(router, "peripheries=2"));
    free(router);
    iotnet_string_free(dot);
    xmlDocPtr doc = graphml_with(false, NULL);
    expect_data(doc, find_element(doc, "node", "router"), "node", "mud_gateway", "true");
    expect_data(doc, find_element(doc, "node", "cam"), "node", "mud_gateway", "false");
    expect_data(doc, find_element(doc, "node", "cam"), "node", "mud_aces",
                "from-cam/cloud from-device dnsname:cloud.example tcp/443 accept");
    xmlFreeDoc(doc);
}

/* Graphviz's exit status with what it wrote on stderr, or -1 without Graphviz. */
static int run_dot_quietly(const char *text, char *said, size_t size)
{
    if (system("command -v dot >/dev/null 2>&1") != 0)
        return -1;
    char in[] = "/tmp/iotnet-emit-in-XXXXXX", err[] = "/tmp/iotnet-emit-err-XXXXXX";
    int fd = mkstemp(in), efd = mkstemp(err);
    cr_assert(fd >= 0 && efd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    close(efd);
    char command[160];
    snprintf(command, sizeof command, "dot -Tsvg %s -o /dev/null 2>%s", in, err);
    int status = system(command);
    f = fopen(err, "r");
    size_t n = fread(said, 1, size - 1, f);
    said[n] = '\0';
    fclose(f);
    unlink(in);
    unlink(err);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

Test(export_marks, marked_dot_is_accepted_by_graphviz_without_warnings)
{
    iotnet_findings *f = analyze_bundled();
    char *dot = export_with(IOTNET_EXPORT_DOT, true, f);
    char said[1024];
    int status = run_dot_quietly(dot, said, sizeof said);
    iotnet_string_free(dot);
    iotnet_findings_free(f);
    if (status < 0)
        cr_skip_test("Graphviz is not installed");
    cr_expect_eq(status, 0);
    cr_expect_str_eq(said, "", "dot said: %s", said);
}

Test(export_marks, marked_svg_parses)
{
    iotnet_findings *f = analyze_bundled();
    char *svg = export_with(IOTNET_EXPORT_SVG, true, f);
    xmlDocPtr doc = parse_svg(svg);
    int found = 0;
    cr_expect_eq(count_groups(xmlDocGetRootElement(doc), "node", "cam", &found), iotnet_node_count(net));
    cr_expect(found);
    cr_expect_not_null(strstr(svg, "port&#45;forward via router:8080") ? svg : strstr(svg, "port-forward via router:8080"));
    xmlFreeDoc(doc);
    iotnet_string_free(svg);
    iotnet_findings_free(f);
}

/* ---- generated models of 10 to 1,000 nodes ------------------------- */

/* Homes behind one provider router, as bench/gen_topology.py builds them:
   a LAN zone and, every other home, an IoT zone with a conduit; phones on
   Wi-Fi, a camera, a Zigbee hub with lights in a mesh, and Bluetooth links
   from the phones to the lights across the two zones, labelled links all. */
#define HOME_SIZE 8

static void generated_node(const char *zone, const char *kind, const char *fmt, int home)
{
    char id[48];
    snprintf(id, sizeof id, fmt, home);
    add_node(id, kind, zone);
}

static void generated_link(const char *a, const char *b, iotnet_medium medium, int home, int n)
{
    char id[32], ida[48], idb[48];
    snprintf(id, sizeof id, "h%d-l%d", home, n);
    snprintf(ida, sizeof ida, a, home);
    snprintf(idb, sizeof idb, b, home);
    add_link(id, ida, idb, medium, medium == IOTNET_MEDIUM_WIFI ? 2.5 : -1);
}

/* One home of at most `room` nodes; returns how many it has. */
static int generated_home(int home, int room)
{
    static const struct { const char *kind, *id; bool iot; } devices[HOME_SIZE] = {
        {"home-router", "h%d-gw", false}, {"phone", "h%d-phone-0", false}, {"camera", "h%d-camera", true},
        {"hub", "h%d-hub", true},         {"light", "h%d-light-0", true},  {"light", "h%d-light-1", true},
        {"phone", "h%d-phone-1", false},  {"light", "h%d-light-2", true},
    };
    static const struct { const char *a, *b; iotnet_medium medium; int needs; } links[] = {
        {"h%d-gw", "isp", IOTNET_MEDIUM_DSL, 1},               {"h%d-phone-0", "h%d-gw", IOTNET_MEDIUM_WIFI, 2},
        {"h%d-camera", "h%d-gw", IOTNET_MEDIUM_WIFI, 3},       {"h%d-hub", "h%d-gw", IOTNET_MEDIUM_ETHERNET, 4},
        {"h%d-light-0", "h%d-hub", IOTNET_MEDIUM_ZIGBEE, 5},   {"h%d-light-1", "h%d-hub", IOTNET_MEDIUM_ZIGBEE, 6},
        {"h%d-light-1", "h%d-light-0", IOTNET_MEDIUM_ZIGBEE, 6}, {"h%d-phone-1", "h%d-gw", IOTNET_MEDIUM_WIFI, 7},
        {"h%d-phone-1", "h%d-light-1", IOTNET_MEDIUM_BLE, 7},  {"h%d-phone-0", "h%d-light-0", IOTNET_MEDIUM_BLE, 7},
        {"h%d-light-2", "h%d-light-1", IOTNET_MEDIUM_ZIGBEE, 8}, {"h%d-phone-1", "h%d-light-2", IOTNET_MEDIUM_BLE, 8},
    };
    char lan[32], iot[32];
    snprintf(lan, sizeof lan, "h%d-lan", home);
    snprintf(iot, sizeof iot, home % 2 ? "h%d-iot" : "h%d-lan", home);
    add_zone(lan, "home-lan", -1, 0);
    if (home % 2) {
        add_zone(iot, "iot-lan", -1, 0);
        char conduit[32];
        snprintf(conduit, sizeof conduit, "h%d-lan-iot", home);
        iotnet_conduit_spec c = IOTNET_CONDUIT_SPEC_INIT;
        c.id = conduit;
        c.from_zone = lan;
        c.to_zone = iot;
        c.services = "tcp/443";
        expect_ok(iotnet_conduit_add(net, NULL, &c));
    }
    int size = room < HOME_SIZE ? room : HOME_SIZE;
    for (int d = 0; d < size; d++)
        generated_node(devices[d].iot ? iot : lan, devices[d].kind, devices[d].id, home);
    for (size_t l = 0; l < sizeof links / sizeof links[0]; l++)
        if (links[l].needs <= size)
            generated_link(links[l].a, links[l].b, links[l].medium, home, (int)l);
    return size;
}

/* A model of exactly `nodes` nodes (at least 3): the Internet, a cloud
   service, the provider's router, and homes. */
static void generate_model(int nodes)
{
    net = NULL;
    expect_ok(iotnet_net_new(&net));
    expect_ok(iotnet_net_set_name(net, "generated"));
    add_zone("internet", "internet-zone", -1, 0);
    add_zone("isp", "provider-zone", -1, 0);
    add_node("internet", "internet", "internet");
    add_node("cloud", "vendor-cloud", "internet");
    add_node("isp", "isp-router", "isp");
    add_link("cloud-link", "cloud", "internet", IOTNET_MEDIUM_INTERNET, 12);
    add_link("backbone", "isp", "internet", IOTNET_MEDIUM_FIBRE, 2.5);
    for (int made = 3, home = 1; made < nodes; home++)
        made += generated_home(home, nodes - made);
    cr_assert_eq(iotnet_node_count(net), (size_t)nodes);
}

ParameterizedTestParameters(emit_sizes, generated_models_are_drawn)
{
    static int sizes[] = {10, 25, 50, 75, 100, 150, 200, 300, 400, 500, 600, 700, 800, 900, 1000};
    return cr_make_param_array(int, sizes, sizeof sizes / sizeof sizes[0]);
}

/* Graphviz lays out the DOT and the SVG of each size, saying nothing: no
   error ("trouble in init_rank" and the crash after it) and no warning. */
ParameterizedTest(int *nodes, emit_sizes, generated_models_are_drawn, .fini = teardown, .timeout = 120)
{
    generate_model(*nodes);
    char *svg = NULL;
    expect_ok(iotnet_export(net, IOTNET_EXPORT_SVG, &svg));
    xmlDocPtr doc = parse_svg(svg);
    int found = 0;
    cr_expect_eq(count_groups(xmlDocGetRootElement(doc), "node", "isp", &found), (size_t)*nodes);
    cr_expect(found, "no node titled isp");
    xmlFreeDoc(doc);
    iotnet_string_free(svg);
    char *dot = NULL;
    expect_ok(iotnet_export(net, IOTNET_EXPORT_DOT, &dot));
    char said[1024];
    int status = run_dot_quietly(dot, said, sizeof said);
    iotnet_string_free(dot);
    cr_assert_geq(status, 0, "Graphviz's dot is not installed (APT_PACKAGES has graphviz)");
    cr_expect_eq(status, 0, "dot -Tsvg failed on %d nodes: %s", *nodes, said);
    cr_expect_str_eq(said, "", "dot said on %d nodes: %s", *nodes, said);
}

/* The smallest graph found of a generated model's drawing with edge labels
   proper: a path that leaves a cluster and comes back into it. Graphviz 2.42
   reports "trouble in init_rank", returns success from gvLayout() and then
   corrupts the heap (a double free when the layout is freed). */
static const char failing_rank_dot[] =
    "graph g { subgraph cluster_a { n0; } subgraph cluster_b { n1; n2; n3; } n1 -- n0 [label=x]; "
    "n4 -- n1 [label=x]; n5 -- n1 [label=x]; n3 -- n1 [label=x]; n6 -- n0 [label=x]; n2 -- n3 [label=x]; "
    "n7 -- n8 [label=x]; n9 -- n10 [label=x]; n11 -- n4 [label=x]; n12 -- n13 [label=x]; "
    "n14 -- n15 [label=x]; n2 -- n12 [label=x]; n7 -- n16 [label=x]; n17 -- n15 [label=x]; "
    "n7 -- n18 [label=x]; n13 -- n19 [label=x]; n19 -- n11 [label=x]; n20 -- n15 [label=x]; "
    "n3 -- n12 [label=x]; n21 -- n18 [label=x]; }\n";

Test(emit_graphviz, a_layout_graphviz_reports_failed_is_an_error_not_a_crash)
{
    char *svg = (char *)"untouched";
    expect_error(iotnet__emit_svg(failing_rank_dot, &svg), IOTNET_ERROR,
                 "Graphviz could not lay out the drawing: trouble in init_rank");
    cr_expect_null(svg);
    /* Graphviz is left fit for the next drawing */
    expect_ok(iotnet__emit_svg("graph g { a -- b [xlabel=x]; }\n", &svg));
    cr_expect(strstr(svg, "<svg") != NULL);
    free(svg);
}

Test(emit_graphviz, dot_graphviz_cannot_read_is_an_error)
{
    char *svg = (char *)"untouched";
    expect_error(iotnet__emit_svg("graph g { a -- ; }\n", &svg), IOTNET_ERROR, "Graphviz could not read the drawing");
    cr_expect_null(svg);
}

/* ---- the zone view of large models --------------------------------- */

/* The text lines of the SVG node group titled `title`, joined by '|', or NULL. */
static char *node_text(xmlNodePtr n, const char *title)
{
    for (; n; n = n->next) {
        if (is_element(n, "g") && attr_is(n, "class", "node")) {
            xmlNodePtr t = n->children;
            while (t && !is_element(t, "title"))
                t = t->next;
            char *name = t ? (char *)xmlNodeGetContent(t) : NULL;
            bool match = name && strcmp(name, title) == 0;
            xmlFree(name);
            if (!match)
                continue;
            size_t cap = 1024, len = 0;
            char *text = calloc(1, cap);
            for (xmlNodePtr c = n->children; c; c = c->next) {
                if (!is_element(c, "text"))
                    continue;
                char *line = (char *)xmlNodeGetContent(c);
                len += (size_t)snprintf(text + len, cap - len, "%s%s", len ? "|" : "", line);
                xmlFree(line);
            }
            return text;
        }
        char *inner = node_text(n->children, title);
        if (inner)
            return inner;
    }
    return NULL;
}

/* The title of the SVG's graph: Graphviz's name of the drawing. */
static char *graph_title(xmlDocPtr doc)
{
    for (xmlNodePtr g = xmlDocGetRootElement(doc)->children; g; g = g->next)
        if (is_element(g, "g") && attr_is(g, "class", "graph"))
            for (xmlNodePtr t = g->children; t; t = t->next)
                if (is_element(t, "title"))
                    return (char *)xmlNodeGetContent(t);
    return NULL;
}

static void expect_node_text(xmlDocPtr doc, const char *title, const char *want)
{
    char *text = node_text(xmlDocGetRootElement(doc), title);
    cr_assert_not_null(text, "no node titled %s", title);
    cr_expect_str_eq(text, want);
    free(text);
}

Test(emit, svg_of_a_large_model_is_its_zone_view)
{
    add_unzoned_sensors(IOTNET_EXPORT_SVG_DETAIL_MAX_NODES);
    char *svg = NULL;
    expect_ok(iotnet_export(net, IOTNET_EXPORT_SVG, &svg));
    xmlDocPtr doc = parse_svg(svg);
    char *title = graph_title(doc);
    cr_expect_str_eq(title, "test <home> & \"garden\" (zone view)");
    xmlFree(title);
    cr_expect(strstr(svg, "zone view: 1006 nodes and 5 links in 5 zones, too many to draw one by one in a few "
                          "seconds: ask for the full drawing to see every node") != NULL);
    /* a node per zone, the empty one too, and one for the nodes without a zone */
    int found = 0;
    cr_expect_eq(count_groups(xmlDocGetRootElement(doc), "node", IOT_ZONE, &found), 6);
    cr_expect(found, "no node for the IoT zone");
    cr_expect_eq(count_groups(xmlDocGetRootElement(doc), "cluster", NULL, &found), 0);
    expect_node_text(doc, "lan", "lan|home-lan, Purdue 4, SL 2|1 node, 0 links inside");
    expect_node_text(doc, IOT_ZONE, IOT_ZONE "|iot-lan, Purdue 3.5, SL 1|1 node, 0 links inside");
    expect_node_text(doc, "internet", "internet|internet-zone|2 nodes, 1 link inside");
    expect_node_text(doc, "empty", "empty|guest-lan|0 nodes, 0 links inside");
    expect_node_text(doc, "(no zone)", "(no zone)|1001 nodes, 0 links inside");
    /* links between zones: one edge per pair with their number */
    cr_expect_eq(count_groups(xmlDocGetRootElement(doc), "edge", NULL, &found), 4);
    cr_expect(strstr(svg, "<title>lan&#45;&#45;(no zone)</title>") != NULL);
    xmlFreeDoc(doc);
    iotnet_string_free(svg);
}

Test(emit, svg_zone_view_shows_conduits_and_never_takes_a_zone_id)
{
    add_zone("(no zone)", "guest-lan", -1, 0);
    iotnet_conduit_spec c = IOTNET_CONDUIT_SPEC_INIT;
    c.id = "lan-iot";
    c.from_zone = "lan";
    c.to_zone = IOT_ZONE;
    c.services = "tcp/443 udp/5353";
    expect_ok(iotnet_conduit_add(net, NULL, &c));
    add_unzoned_sensors(IOTNET_EXPORT_SVG_DETAIL_MAX_NODES);
    char *svg = NULL;
    expect_ok(iotnet_export(net, IOTNET_EXPORT_SVG, &svg));
    xmlDocPtr doc = parse_svg(svg);
    expect_node_text(doc, "(no zone)", "(no zone)|guest-lan|0 nodes, 0 links inside");
    expect_node_text(doc, "(no zone)'", "(no zone)'|1001 nodes, 0 links inside");
    cr_expect(strstr(svg, ">conduit lan&#45;iot</text>") != NULL);
    cr_expect(strstr(svg, ">tcp/443 udp/5353</text>") != NULL);
    xmlFreeDoc(doc);
    iotnet_string_free(svg);
}

Test(emit, svg_zone_view_marks_exposure_and_findings)
{
    add_unzoned_sensors(IOTNET_EXPORT_SVG_DETAIL_MAX_NODES);
    iotnet_findings *f = analyze_bundled();
    iotnet_export_options opts = IOTNET_EXPORT_OPTIONS_INIT;
    opts.exposure = true;
    opts.findings = f;
    char *svg = NULL;
    expect_ok(iotnet_export_ext(&svg, net, IOTNET_EXPORT_SVG, &opts));
    xmlDocPtr doc = parse_svg(svg);
    char *lan = node_text(xmlDocGetRootElement(doc), "lan");
    cr_assert_not_null(lan);
    cr_expect(strstr(lan, "|internet: ") != NULL, "no exposure on the LAN zone: %s", lan);
    free(lan);
    cr_expect(strstr(svg, "filled: the most open exposure to the Internet among a zone&#39;s nodes") != NULL);
    xmlFreeDoc(doc);
    iotnet_string_free(svg);
    iotnet_findings_free(f);
}

Test(emit, svg_zone_view_refuses_too_many_zones)
{
    char id[32];
    for (int i = 0; i < IOTNET_EXPORT_SVG_ZONE_VIEW_MAX_ZONES; i++) {
        snprintf(id, sizeof id, "z%d", i);
        add_zone(id, "guest-lan", -1, 0);
        add_node(id, "sensor", id);
    }
    char *svg = (char *)"untouched";
    expect_error(iotnet_export(net, IOTNET_EXPORT_SVG, &svg), IOTNET_EINVAL,
                 "the model has 2006 nodes in 2005 zones with 4 edges between them, too many to draw "
                 "even as its zone view (at most 2000 zones and 4000 edges): export DOT or GraphML");
    cr_expect_null(svg);
}

Test(emit_sizes, a_generated_model_past_the_limit_is_its_zone_view_unless_full_is_asked, .fini = teardown,
     .timeout = 120)
{
    generate_model(IOTNET_EXPORT_SVG_DETAIL_MAX_NODES + 1);
    char *svg = NULL;
    expect_ok(iotnet_export(net, IOTNET_EXPORT_SVG, &svg));
    xmlDocPtr doc = parse_svg(svg);
    int found = 0;
    cr_expect_eq(count_groups(xmlDocGetRootElement(doc), "node", "h1-iot", &found), iotnet_zone_count(net));
    expect_node_text(doc, "h1-iot", "h1-iot|iot-lan|5 nodes, 4 links inside");
    expect_node_text(doc, "h1-lan", "h1-lan|home-lan|3 nodes, 2 links inside");
    expect_node_text(doc, "h2-lan", "h2-lan|home-lan|8 nodes, 11 links inside");
    cr_expect(strstr(svg, ">5 links</text>") != NULL, "the links between h1-lan and h1-iot are not counted");
    cr_expect(strstr(svg, ">conduit h1&#45;lan&#45;iot</text>") != NULL);
    xmlFreeDoc(doc);
    iotnet_string_free(svg);
    iotnet_export_options opts = IOTNET_EXPORT_OPTIONS_INIT;
    opts.full = true;
    expect_ok(iotnet_export_ext(&svg, net, IOTNET_EXPORT_SVG, &opts));
    doc = parse_svg(svg);
    cr_expect_eq(count_groups(xmlDocGetRootElement(doc), "node", "h1-iot", &found), iotnet_node_count(net));
    char *title = graph_title(doc);
    cr_expect_str_eq(title, "generated");
    xmlFree(title);
    xmlFreeDoc(doc);
    iotnet_string_free(svg);
}
