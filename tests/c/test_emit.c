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

static void build_cgnat(void)
{
    iotnet_index isp = add_node("cgnat", "isp-router", "isp");
    add_iface(isp, "up", "198.51.100.1/24");
    add_iface(isp, "down", "100.64.0.1/10");
    iotnet_nat nat = IOTNET_NAT_INIT;
    nat.inside = "down";
    nat.outside = "up";
    nat.cgnat = true;
    expect_ok(iotnet_nat_set(net, isp, &nat));
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

Test(emit, graphml_replaces_what_xml_cannot_carry)
{
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    s.id = "ctl";
    s.kind = "plc";
    s.description = "bell\x07 and bad \xff byte";
    expect_ok(iotnet_node_add(net, NULL, &s));
    xmlDocPtr doc = export_graphml();
    expect_data(doc, find_element(doc, "node", "ctl"), "node", "description", "bell? and bad ? byte");
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
    char *dot = export_dot();
    cr_expect_not_null(strstr(dot, "\"cam <1> & \\\"front\\\" 'door'\" -- \"router\" [tooltip=\"cam <wifi>\", "
                                   "label=\"wifi\\n0.125 ms\", style=dashed];"));
    cr_expect_not_null(strstr(dot, "\"back\\\\slash \\\"quoted\\\"\" -- \"router\""));
    cr_expect_not_null(strstr(dot, "label=\"fibre\\n2.5 ms\""));
    cr_expect_not_null(strstr(dot, "label=\"dsl\""));
    cr_expect_not_null(strstr(dot, "label=\"zigbee\\n0.1 ms\""));
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
