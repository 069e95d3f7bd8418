/* OSCAL output: SHA-1 and UUID v5 against their standards' vectors, control
 * ids, escaping, the statuses of risks and control findings, determinism,
 * the XML form, and arguments the writers refuse. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "oscal_internal.h"

#define HOME IOTNET_MODELS_DIR "/topologies/home.xml"
#define NOW 1796083200 /* 2026-12-01T00:00:00Z */

static iotnet_net *net;
static iotnet_catalog *cat;
static iotnet_findings *findings;

static void load_home(void)
{
    expect_ok(iotnet_net_load(&net, HOME, NULL));
    expect_ok(iotnet_catalog_default(&cat));
    iotnet_analyze_options opts = IOTNET_ANALYZE_OPTIONS_INIT;
    opts.now = NOW;
    expect_ok(iotnet_analyze(&findings, net, cat, &opts));
}

static void unload(void)
{
    iotnet_findings_free(findings);
    iotnet_catalog_free(cat);
    iotnet_net_free(net);
    findings = NULL;
    cat = NULL;
    net = NULL;
}

static char *results(iotnet_oscal_format format, int64_t now)
{
    iotnet_oscal_options opts = IOTNET_OSCAL_OPTIONS_INIT;
    opts.format = format;
    opts.now = now;
    char *text = NULL;
    expect_ok(iotnet_oscal_assessment_results(&text, net, cat, findings, &opts));
    return text;
}

static size_t occurrences(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* ---- SHA-1 (FIPS 180-4 examples) and UUID v5 (RFC 9562) ------------ */

/* Arrays, not pointers: Criterion hands parameters to a new process. */
typedef struct sha1_vector {
    char message[120];
    size_t repeat; /* the message repeated this many times */
    char digest[41];
} sha1_vector;

ParameterizedTestParameters(oscal, sha1)
{
    static sha1_vector vectors[] = {
        {"abc", 1, "a9993e364706816aba3e25717850c26c9cd0d89d"},
        {"", 1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
        {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
         "mnopqrstnopqrstu",
         1, "a49b2446a02c645bf419f995b67091253a04a259"},
        {"a", 1000000, "34aa973cd4c4daa4f61eeb2bdbad27316534016f"},
        /* 55, 56 and 64 bytes, the padding in one block, spilling into a second, or after a whole one
           (digests from an independent implementation) */
        {"0123456789012345678901234567890123456789012345678901234", 1, "9f3a4ce7f66b1b74c34da2c5d732c39f81e0f8df"},
        {"01234567890123456789012345678901234567890123456789012345", 1, "0a40b8fbdaafb7c29651618ac15d27e772287130"},
        {"0123456789012345678901234567890123456789012345678901234567890123", 1,
         "cf0800f7644ace3cb4c3fa33388d3ba0ea3c8b6e"},
    };
    return cr_make_param_array(sha1_vector, vectors, sizeof vectors / sizeof vectors[0]);
}

ParameterizedTest(sha1_vector *v, oscal, sha1)
{
    size_t len = strlen(v->message), total = len * v->repeat;
    char *data = malloc(total + 1);
    cr_assert_not_null(data);
    for (size_t i = 0; i < v->repeat; i++)
        memcpy(data + i * len, v->message, len);
    unsigned char digest[20];
    iotnet__sha1(data, total, digest);
    free(data);
    char hex[41];
    for (int i = 0; i < 20; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    cr_assert_str_eq(hex, v->digest, "SHA-1 of %zu x \"%.20s\"", v->repeat, v->message);
}

Test(oscal, uuid_v5_vectors)
{
    char u[IOTNET_UUID_TEXT_SIZE];
    /* RFC 9562 appendix A.4: the DNS namespace and www.example.com */
    expect_ok(iotnet_oscal_uuid(u, "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com"));
    cr_assert_str_eq(u, "2ed6657d-e927-568b-95e1-2665a8aea6a2");
    expect_ok(iotnet_oscal_uuid(u, "6BA7B810-9DAD-11D1-80B4-00C04FD430C8", "www.example.com"));
    cr_assert_str_eq(u, "2ed6657d-e927-568b-95e1-2665a8aea6a2", "namespaces are read in either case");
    /* libiotnet's namespace is itself v5 of IOTNET_OSCAL_NS in the URL namespace */
    expect_ok(iotnet_oscal_uuid(u, "6ba7b811-9dad-11d1-80b4-00c04fd430c8", IOTNET_OSCAL_NS));
    cr_assert_str_eq(u, "2119ed2f-592a-5ddb-a08a-560a47ea5022");
    expect_ok(iotnet_oscal_uuid(u, NULL, "finding/x"));
    cr_assert_eq(u[14], '5', "version 5: %s", u);
    cr_assert(strchr("89ab", u[19]) != NULL, "RFC 9562 variant: %s", u);
}

Test(oscal, uuid_rejects_what_is_not_a_uuid)
{
    char u[IOTNET_UUID_TEXT_SIZE];
    expect_error(iotnet_oscal_uuid(u, "6ba7b810-9dad-11d1-80b4-00c04fd430c", "x"), IOTNET_EINVAL, "not a UUID");
    expect_error(iotnet_oscal_uuid(u, "6ba7b810x9dad-11d1-80b4-00c04fd430c8", "x"), IOTNET_EINVAL, "not a UUID");
    expect_error(iotnet_oscal_uuid(u, "6ba7b810-9dad-11d1-80b4-00c04fd430cg", "x"), IOTNET_EINVAL, "not a UUID");
    expect_error(iotnet_oscal_uuid(u, NULL, NULL), IOTNET_EINVAL, "name is NULL");
    expect_error(iotnet_oscal_uuid(NULL, NULL, "x"), IOTNET_EINVAL, "out is NULL");
}

/* ---- control ids and escaping -------------------------------------- */

typedef struct control_case {
    char framework[24], id[16], oscal[24];
} control_case;

ParameterizedTestParameters(oscal, control_ids)
{
    static control_case cases[] = {
        {"iso27001-2022", "8.20", "a.8.20"},
        {"iso27001-2022", "5.1", "a.5.1"},
        {"iec62443-3-3", "SR 1.1", "sr-1.1"},
        {"iec62443-3-3", "SR 7.8", "sr-7.8"},
        {"etsi-en303645", "5.1-1", "provision-5.1-1"},
        {"etsi-en303645", "6-2", "provision-6-2"},
        {"nistir8259a", "1", "capability-1"},
        {"acme-baseline", "AC-2 (1)", "ac-2--1-"},
        {"acme-baseline", "12.4", "control-12.4"},
    };
    return cr_make_param_array(control_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(control_case *c, oscal, control_ids)
{
    char id[64];
    expect_ok(iotnet__os_control_id(id, sizeof id, c->framework, c->id));
    cr_assert_str_eq(id, c->oscal, "%s %s", c->framework, c->id);
}

Test(oscal, markdown_escape)
{
    iotnet__buf b = {0};
    expect_ok(iotnet__os_markdown_escape(&b, "a*b_c [x](y) <p> & #1 \\ `z`"));
    cr_assert_str_eq(b.data, "a\\*b\\_c \\[x\\](y) \\<p\\> \\& \\#1 \\\\ \\`z\\`");
    iotnet__buf_free(&b);
}

Test(oscal, json_and_xml_escape_what_they_must, .init = load_home, .fini = unload)
{
    /* quotes, a backslash, markup characters, a line break and a tab (the
       model refuses control characters and bytes that are not UTF-8) */
    expect_ok(iotnet_net_set_name(net, "Lab \"A\" \\ <b> & *x*\n\tnext"));
    char *json = results(IOTNET_OSCAL_JSON, NOW);
    /* markup: Markdown escapes first, then JSON's */
    cr_assert(strstr(json, "\"title\": \"Threat assessment of Lab \\\"A\\\" \\\\\\\\ \\\\<b\\\\> \\\\& \\\\*x\\\\* next\"")
                  != NULL,
              "%.400s", json);
    for (const char *p = json; *p; p++)
        cr_assert((unsigned char)*p >= 0x20 || *p == '\n', "raw control character in JSON");
    iotnet_string_free(json);

    char *xml = results(IOTNET_OSCAL_XML, NOW);
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "ar.xml", NULL, XML_PARSE_NONET);
    cr_assert_not_null(doc, "the XML is well-formed");
    xmlNodePtr title = xmlDocGetRootElement(doc)->children;
    while (title && !(title->type == XML_ELEMENT_NODE && !strcmp((const char *)title->name, "metadata")))
        title = title->next;
    cr_assert_not_null(title);
    for (title = title->children; title && title->type != XML_ELEMENT_NODE; title = title->next)
        ;
    xmlChar *content = xmlNodeGetContent(title);
    cr_assert_str_eq((const char *)content, "Threat assessment of Lab \"A\" \\ <b> & *x* next");
    xmlFree(content);
    xmlFreeDoc(doc);
    iotnet_string_free(xml);
}

/* ---- assessment results -------------------------------------------- */

Test(oscal, risk_statuses_follow_the_findings, .init = load_home, .fini = unload)
{
    size_t counts[5];
    iotnet_findings_summary(findings, counts);
    cr_assert(counts[IOTNET_FINDING_OPEN] && counts[IOTNET_FINDING_MITIGATED] && counts[IOTNET_FINDING_ACCEPTED],
              "the home network has open, mitigated and accepted findings");
    char *json = results(IOTNET_OSCAL_JSON, NOW);
    cr_assert_eq(occurrences(json, "\"status\": \"open\""), counts[IOTNET_FINDING_OPEN]);
    cr_assert_eq(occurrences(json, "\"status\": \"closed\""), counts[IOTNET_FINDING_MITIGATED]);
    cr_assert_eq(occurrences(json, "\"status\": \"deviation-approved\""), counts[IOTNET_FINDING_ACCEPTED]);
    cr_assert_eq(occurrences(json, "\"status-change\": \"deviation-approved\""), counts[IOTNET_FINDING_ACCEPTED],
                 "each acceptance is a risk-log entry");
    /* the accepted one: who, why and until when */
    cr_assert(strstr(json, "\"title\": \"Risk accepted by household (Dana Whitfield)\"") != NULL);
    cr_assert(strstr(json, "\"deadline\": \"2027-03-31T00:00:00Z\"") != NULL);
    cr_assert(strstr(json, "\"end\": \"2027-03-31T00:00:00Z\"") != NULL);
    cr_assert(strstr(json, "\"start\": \"2026-11-20T00:00:00Z\"") != NULL, "the decision's date starts the entry");
    cr_assert(strstr(json, "\"oscal-version\": \"1.1.2\"") != NULL);
    cr_assert(strstr(json, "\"last-modified\": \"2026-12-01T00:00:00Z\"") != NULL);
    cr_assert(strstr(json, "\"method\"") == NULL && strstr(json, "\"TEST\"") && strstr(json, "\"EXAMINE\""),
              "methods by what the threat's condition reads");
    cr_assert(strstr(json, "\"target-id\": \"a.8.20\"") != NULL, "ISO controls as a.N.M");
    cr_assert(strstr(json, "\"state\": \"not-satisfied\"") != NULL);
    cr_assert(strstr(json, "\"type\": \"objective-id\"") != NULL);
    iotnet_string_free(json);
}

Test(oscal, same_model_same_document_but_timestamps, .init = load_home, .fini = unload)
{
    char *a = results(IOTNET_OSCAL_JSON, NOW), *b = results(IOTNET_OSCAL_JSON, NOW);
    cr_assert_str_eq(a, b, "deterministic");
    char *later = results(IOTNET_OSCAL_JSON, NOW + 86400);
    cr_assert_str_neq(a, later);
    /* the same once the stamps are aligned: same length, and every difference
       lies in a "2026-12-0N" date */
    cr_assert_eq(strlen(a), strlen(later));
    for (size_t i = 0; a[i]; i++)
        if (a[i] != later[i])
            cr_assert(a[i] == '1' && later[i] == '2' && i >= 9 && strncmp(a + i - 9, "2026-12-0", 9) == 0,
                      "difference outside a timestamp at %zu: %.40s", i, a + (i > 20 ? i - 20 : 0));
    /* another model name names every element anew */
    expect_ok(iotnet_net_set_name(net, "another home"));
    char *other = results(IOTNET_OSCAL_JSON, NOW);
    const char *uuid_a = strstr(a, "\"uuid\": \""), *uuid_o = strstr(other, "\"uuid\": \"");
    cr_assert(strncmp(uuid_a, uuid_o, 45) != 0, "the document uuid depends on the model");
    iotnet_string_free(a);
    iotnet_string_free(b);
    iotnet_string_free(later);
    iotnet_string_free(other);
}

static size_t xpath_count(xmlDocPtr doc, const char *expr)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathRegisterNs(ctx, BAD_CAST "o", BAD_CAST "http://csrc.nist.gov/ns/oscal/1.0");
    xmlXPathObjectPtr res = xmlXPathEvalExpression(BAD_CAST expr, ctx);
    cr_assert_not_null(res, "%s", expr);
    size_t n = res->nodesetval ? (size_t)res->nodesetval->nodeNr : 0;
    xmlXPathFreeObject(res);
    xmlXPathFreeContext(ctx);
    return n;
}

Test(oscal, xml_in_the_oscal_namespace, .init = load_home, .fini = unload)
{
    char *xml = results(IOTNET_OSCAL_XML, NOW);
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "ar.xml", NULL, XML_PARSE_NONET);
    cr_assert_not_null(doc);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    cr_assert_str_eq((const char *)root->name, "assessment-results");
    cr_assert_str_eq((const char *)root->ns->href, "http://csrc.nist.gov/ns/oscal/1.0");
    size_t counts[5];
    iotnet_findings_summary(findings, counts);
    size_t n = iotnet_findings_count(findings);
    cr_assert_eq(xpath_count(doc, "/o:assessment-results/o:result/o:observation"), n);
    cr_assert_eq(xpath_count(doc, "/o:assessment-results/o:result/o:risk"), n - counts[IOTNET_FINDING_NOT_APPLICABLE]);
    cr_assert_eq(xpath_count(doc, "//o:risk/o:status[.='deviation-approved']"), counts[IOTNET_FINDING_ACCEPTED]);
    cr_assert_eq(xpath_count(doc, "//o:risk/o:characterization/o:facet[@name='likelihood']"),
                 2 * (n - counts[IOTNET_FINDING_NOT_APPLICABLE]), "inherent and residual");
    cr_assert(xpath_count(doc, "//o:finding/o:target[@type='objective-id']/o:status[@state]") > 0);
    cr_assert(xpath_count(doc, "//o:finding/o:associated-risk[@risk-uuid]") > 0, "related risks, as XML names them");
    cr_assert_eq(xpath_count(doc, "//o:observation/o:description/o:p"), n, "multi-line markup holds a <p>");
    cr_assert_eq(xpath_count(doc, "//o:port-range[@start and @transport]"),
                 xpath_count(doc, "//o:component[@type='service']/o:protocol/o:port-range"));
    xmlFreeDoc(doc);
    iotnet_string_free(xml);
}

Test(oscal, not_applicable_findings_are_observations_only)
{
    expect_ok(iotnet_net_load(&net, HOME, NULL));
    expect_ok(iotnet_catalog_default(&cat));
    iotnet_analyze_options opts = IOTNET_ANALYZE_OPTIONS_INIT;
    opts.now = NOW;
    opts.include_not_applicable = true;
    expect_ok(iotnet_analyze(&findings, net, cat, &opts));
    size_t counts[5];
    iotnet_findings_summary(findings, counts);
    cr_assert(counts[IOTNET_FINDING_NOT_APPLICABLE] > 0);
    char *json = results(IOTNET_OSCAL_JSON, NOW);
    cr_assert_eq(occurrences(json, "\"value\": \"not-applicable\""), counts[IOTNET_FINDING_NOT_APPLICABLE]);
    cr_assert_eq(occurrences(json, "\"statement\": "), iotnet_findings_count(findings) - counts[IOTNET_FINDING_NOT_APPLICABLE],
                 "a risk per applicable finding");
    cr_assert_eq(occurrences(json, "\"observations\": ["), 1);
    iotnet_string_free(json);
    unload();
}

Test(oscal, one_framework, .init = load_home, .fini = unload)
{
    iotnet_oscal_options opts = IOTNET_OSCAL_OPTIONS_INIT;
    opts.now = NOW;
    opts.framework = "nistir8259a";
    char *json = NULL;
    expect_ok(iotnet_oscal_assessment_results(&json, net, cat, findings, &opts));
    cr_assert(occurrences(json, "\"target-id\": \"capability-") > 0);
    cr_assert_eq(occurrences(json, "\"target-id\": "), occurrences(json, "\"target-id\": \"capability-"),
                 "no other framework's controls");
    iotnet_string_free(json);
    json = NULL;
    opts.framework = "iso9001";
    expect_error(iotnet_oscal_assessment_results(&json, net, cat, findings, &opts), IOTNET_EINVAL,
                 "no control catalog");
    cr_assert_null(json);
}

/* ---- component definition ------------------------------------------ */

Test(oscal, component_definition_maps_mitigations_to_controls)
{
    expect_ok(iotnet_catalog_default(&cat));
    iotnet_oscal_options opts = IOTNET_OSCAL_OPTIONS_INIT;
    opts.now = NOW;
    opts.format = IOTNET_OSCAL_XML;
    opts.document_version = "2026.12";
    char *xml = NULL;
    expect_ok(iotnet_oscal_component_definition(&xml, cat, &opts));
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "cd.xml", NULL, XML_PARSE_NONET);
    cr_assert_not_null(doc);
    cr_assert_eq(xpath_count(doc, "/o:component-definition/o:component"), iotnet_catalog_mitigation_count(cat));
    cr_assert_eq(xpath_count(doc, "/o:component-definition/o:metadata/o:version[.='2026.12']"), 1);
    /* upnp-off evidences ISO 8.9 among others; its IEC SRs are written sr-N.M */
    cr_assert_eq(xpath_count(doc, "//o:component[o:prop[@name='mitigation-id' and @value='iotnet:upnp-off']]"
                                  "/o:control-implementation/o:implemented-requirement[@control-id='a.8.9']"),
                 1);
    cr_assert(xpath_count(doc, "//o:implemented-requirement[starts-with(@control-id, 'sr-')]") > 0);
    cr_assert_eq(xpath_count(doc, "/o:component-definition/o:back-matter/o:resource"), 4, "one per framework");
    /* every source names a framework resource */
    cr_assert_eq(xpath_count(doc, "//o:control-implementation"),
                 xpath_count(doc, "//o:control-implementation[substring(@source, 2) = "
                                  "/o:component-definition/o:back-matter/o:resource/@uuid]"));
    xmlFreeDoc(doc);
    iotnet_string_free(xml);
    iotnet_catalog_free(cat);
    cat = NULL;
}

/* ---- what the writers refuse ----------------------------------------- */

Test(oscal, bad_arguments, .init = load_home, .fini = unload)
{
    char *text = (char *)"untouched";
    iotnet_oscal_options opts = IOTNET_OSCAL_OPTIONS_INIT;
    expect_error(iotnet_oscal_assessment_results(NULL, net, cat, findings, NULL), IOTNET_EINVAL, "out is NULL");
    expect_error(iotnet_oscal_assessment_results(&text, NULL, cat, findings, NULL), IOTNET_EINVAL, "net is NULL");
    cr_assert_null(text, "no partial output");
    expect_error(iotnet_oscal_assessment_results(&text, net, NULL, findings, NULL), IOTNET_EINVAL, "cat is NULL");
    expect_error(iotnet_oscal_assessment_results(&text, net, cat, NULL, NULL), IOTNET_EINVAL, "findings is NULL");
    expect_error(iotnet_oscal_component_definition(&text, NULL, NULL), IOTNET_EINVAL, "cat is NULL");
    opts.version = 99;
    expect_error(iotnet_oscal_component_definition(&text, cat, &opts), IOTNET_EINVAL, "options version");
    opts.version = IOTNET_OSCAL_OPTIONS_VERSION;
    opts.format = (iotnet_oscal_format)7;
    expect_error(iotnet_oscal_assessment_results(&text, net, cat, findings, &opts), IOTNET_EINVAL, "unknown format");
    opts.format = IOTNET_OSCAL_JSON;
    opts.document_version = " 1.0";
    expect_error(iotnet_oscal_assessment_results(&text, net, cat, findings, &opts), IOTNET_EINVAL,
                 "document version");
    opts.document_version = "1.0\n2";
    expect_error(iotnet_oscal_component_definition(&text, cat, &opts), IOTNET_EINVAL, "document version");
    cr_assert_null(text);
}

Test(oscal, findings_must_match_the_model_and_catalog, .init = load_home, .fini = unload)
{
    char *text = NULL;
    iotnet_catalog *empty = NULL;
    expect_ok(iotnet_catalog_new(&empty));
    expect_error(iotnet_oscal_assessment_results(&text, net, empty, findings, NULL), IOTNET_EINVAL,
                 "which the catalog lacks");
    iotnet_catalog_free(empty);
    iotnet_net *other = NULL;
    expect_ok(iotnet_net_new(&other));
    expect_error(iotnet_oscal_assessment_results(&text, other, cat, findings, NULL), IOTNET_EINVAL,
                 "is not in the model");
    iotnet_net_free(other);
    cr_assert_null(text);
}
