/* Catalog loading: the bundled catalogs, a small catalog read back field by
 * field, namespaced and bare ids, the condition text, the field list, and
 * bad inputs that each name the file and line and leave the set unchanged,
 * and a child forked while another thread loads. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#define CATALOGS IOTNET_TEST_DIR "/data/catalogs"
#define BUNDLED IOTNET_MODELS_DIR "/catalogs"

static iotnet_catalog *cat;

static void setup(void)
{
    cat = NULL;
    iotnet_error_clear();
    expect_ok(iotnet_catalog_new(&cat));
    expect_ok(iotnet_catalog_load_file(cat, CATALOGS "/controls-test.xml"));
}

static void teardown(void)
{
    iotnet_catalog_free(cat);
}

TestSuite(catalog, .init = setup, .fini = teardown);

Test(catalog, bundled_catalogs_load)
{
    iotnet_catalog *d = NULL;
    expect_ok(iotnet_catalog_default(&d));
    cr_assert_gt(iotnet_catalog_threat_count(d), 0);
    cr_assert_gt(iotnet_catalog_mitigation_count(d), 0);
    /* at least the 93 ISO/IEC 27001:2022 Annex A controls */
    size_t iso = 0;
    for (size_t i = 0; i < iotnet_catalog_control_count(d); i++) {
        iotnet_control_info c;
        expect_ok(iotnet_catalog_control(d, i, &c));
        iso += !strcmp(c.framework, "iso27001-2022");
    }
    cr_assert_eq(iso, 93);
    for (size_t i = 0; i < iotnet_catalog_threat_count(d); i++) {
        iotnet_threat_info t;
        expect_ok(iotnet_catalog_threat(d, i, &t));
        cr_assert(!strncmp(t.id, "iotnet:", 7), "%s", t.id);
        cr_assert(t.stride != 0 && t.likelihood >= 1 && t.likelihood <= 5 && t.impact >= 1 && t.impact <= 5);
        cr_assert(t.condition && *t.condition);
        cr_assert_eq(iotnet_catalog_find_threat(d, t.id), (long)i);
    }
    /* the same directory again: every id is a duplicate, and nothing is added */
    size_t before = iotnet_catalog_threat_count(d);
    expect_error(iotnet_catalog_load_dir(d, BUNDLED), IOTNET_EVALIDATION, "duplicate");
    cr_assert_eq(iotnet_catalog_threat_count(d), before);
    iotnet_catalog_free(d);
}

Test(catalog, small_catalog_read_back)
{
    expect_ok(iotnet_catalog_load_file(cat, CATALOGS "/small.xml"));
    cr_assert_eq(iotnet_catalog_threat_count(cat), 2);
    cr_assert_eq(iotnet_catalog_mitigation_count(cat), 2);
    cr_assert_eq(iotnet_catalog_control_count(cat), 2);
    iotnet_threat_info t;
    expect_ok(iotnet_catalog_threat(cat, 0, &t));
    cr_assert_str_eq(t.id, "small:cam-default");
    cr_assert_str_eq(t.title, "Camera with a default password");
    cr_assert_eq(t.stride, IOTNET_STRIDE_S | IOTNET_STRIDE_E);
    cr_assert_str_eq(t.cwe, "CWE-1392");
    cr_assert_null(t.capec);
    cr_assert_eq(t.target, IOTNET_TARGET_NODE);
    cr_assert_eq(t.likelihood, 4);
    cr_assert_eq(t.impact, 4);
    cr_assert_str_eq(t.mitigations, "small:strong-login small:upstairs");
    cr_assert_str_eq(t.references, "RFC8520");
    cr_assert_str_eq(t.condition, "all(is-a camera, service(authentication = default-password))");
    expect_ok(iotnet_catalog_threat(cat, 1, &t));
    cr_assert_eq(t.target, IOTNET_TARGET_SERVICE);
    cr_assert_str_eq(t.condition, "all(management = true, transport in (none unspecified))");
    iotnet_mitigation_info m;
    expect_ok(iotnet_catalog_mitigation(cat, 1, &m));
    cr_assert_str_eq(m.id, "small:upstairs");
    cr_assert_eq(m.likelihood_delta, -1);
    cr_assert_eq(m.impact_delta, -1);
    cr_assert_str_eq(m.controls, "test:1");
    cr_assert_str_eq(m.condition, "attr:floor >= 1");
    iotnet_control_info c;
    expect_ok(iotnet_catalog_control(cat, 1, &c));
    cr_assert_str_eq(c.framework, "test");
    cr_assert_str_eq(c.id, "SR 2.1");
    cr_assert_str_eq(c.title, "Check who asks");
    cr_assert_str_eq(c.group, "Two");
    /* bare ids resolve while unique */
    cr_assert_eq(iotnet_catalog_find_threat(cat, "plain-web"), 1);
    cr_assert_eq(iotnet_catalog_find_mitigation(cat, "small:upstairs"), 1);
    cr_assert_eq(iotnet_catalog_find_mitigation(cat, "upstairs"), 1);
    cr_assert_eq(iotnet_catalog_find_threat(cat, "other:plain-web"), -1);
    cr_assert_eq(iotnet_catalog_find_threat(cat, NULL), -1);
}

static const char SECOND_NS[] =
    "<catalog xmlns='urn:libiotnet:catalog' namespace='other'>"
    "<threat id='plain-web' target='node'><title>t</title><description>d</description><stride>R</stride>"
    "<likelihood>1</likelihood><impact>1</impact><applies-when><field name='has-nat' op='=' value='true'/></applies-when>"
    "<mitigations>small:strong-login</mitigations></threat></catalog>";

Test(catalog, same_bare_id_in_two_namespaces)
{
    expect_ok(iotnet_catalog_load_file(cat, CATALOGS "/small.xml"));
    expect_ok(iotnet_catalog_loads(cat, SECOND_NS, strlen(SECOND_NS), "second.xml"));
    cr_assert_eq(iotnet_catalog_find_threat(cat, "small:plain-web"), 1);
    cr_assert_eq(iotnet_catalog_find_threat(cat, "other:plain-web"), 2);
    cr_assert_eq(iotnet_catalog_find_threat(cat, "plain-web"), -1, "a bare id naming two threats is ambiguous");
    iotnet_threat_info t;
    expect_ok(iotnet_catalog_threat(cat, 2, &t));
    cr_assert_str_eq(t.mitigations, "small:strong-login");
}

Test(catalog, field_list)
{
    iotnet_catalog_field f;
    bool kind = false, gateway_upnp = false, service_exposure = false, node_prefixed = false;
    size_t i = 0;
    for (; iotnet_catalog_field_next(i, &f) == 0; i++) {
        cr_assert(f.name && f.description && *f.description);
        kind |= !strcmp(f.name, "kind") && f.target == IOTNET_TARGET_NODE;
        gateway_upnp |= !strcmp(f.name, "gateway/nat/upnp") && f.type == IOTNET_ATTR_BOOL;
        service_exposure |= !strcmp(f.name, "internet-exposure") && f.target == IOTNET_TARGET_SERVICE;
        node_prefixed |= !strcmp(f.name, "node/lifecycle/certificate-not-after") && f.type == IOTNET_ATTR_DATE &&
                         f.target == IOTNET_TARGET_SERVICE;
    }
    cr_assert(kind && gateway_upnp && service_exposure && node_prefixed);
    cr_assert_gt(i, 60);
    expect_error(iotnet_catalog_field_next(i, &f), IOTNET_EINVAL, "no condition field");
}

/* ---- bad inputs ---------------------------------------------------------- */

/* Strings are held in the struct: Criterion runs each case in a new process. */
typedef struct bad_case {
    char file[40];      /* under tests/data/catalogs/bad */
    int code;
    long line;
    char needle[96];
} bad_case;

ParameterizedTestParameters(catalog, bad_files)
{
    static bad_case cases[] = {
        {"malformed.xml", IOTNET_EPARSE, 5, "malformed XML"},
        {"schema.xml", IOTNET_EVALIDATION, 7, "does not follow the catalog schema"},
        {"unknown-field.xml", IOTNET_EVALIDATION, 11, "unknown field \"colour\""},
        {"wrong-type.xml", IOTNET_EVALIDATION, 11, "holds integers, not \"many\""},
        {"unknown-enum.xml", IOTNET_EVALIDATION, 11, "unknown value \"carrier-pigeon\" (expected one of: unspecified"},
        {"unknown-kind.xml", IOTNET_EVALIDATION, 11, "unknown kind \"toaster\""},
        {"bad-date.xml", IOTNET_EVALIDATION, 11, "holds dates, not \"now+10 years\""},
        {"undeclared-attr.xml", IOTNET_EVALIDATION, 11, "attribute \"basement\" is not declared"},
        {"dangling-mitigation.xml", IOTNET_EVALIDATION, 13, "names mitigation \"nowhere\""},
        {"dangling-control.xml", IOTNET_EVALIDATION, 20, "names control \"test:99\""},
        {"incompatible-target.xml", IOTNET_EVALIDATION, 13, "cannot be mitigated by \"m\""},
        {"entity.xml", IOTNET_EPARSE, 5, "external entity"},
        {"network-dtd.xml", IOTNET_EVALIDATION, 2, "a DOCTYPE is not allowed"},
    };
    return cr_make_param_array(bad_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(bad_case *c, catalog, bad_files)
{
    char path[512];
    snprintf(path, sizeof path, "%s/bad/%s", CATALOGS, c->file);
    expect_ok(iotnet_catalog_load_file(cat, CATALOGS "/small.xml"));
    size_t t = iotnet_catalog_threat_count(cat), m = iotnet_catalog_mitigation_count(cat),
           k = iotnet_catalog_control_count(cat);
    expect_error(iotnet_catalog_load_file(cat, path), c->code, c->needle);
    const iotnet_error *e = iotnet_error_last();
    cr_assert_str_eq(e->file, path);
    cr_assert_eq(e->line, c->line, "%s: line %ld, expected %ld (%s)", c->file, e->line, c->line, e->message);
    char where[600];
    snprintf(where, sizeof where, "%s:%ld:", path, c->line);
    cr_assert(strstr(e->message, where), "message \"%s\" lacks \"%s\"", e->message, where);
    /* nothing was added, and the set still works */
    cr_assert_eq(iotnet_catalog_threat_count(cat), t);
    cr_assert_eq(iotnet_catalog_mitigation_count(cat), m);
    cr_assert_eq(iotnet_catalog_control_count(cat), k);
    cr_assert_eq(iotnet_catalog_find_threat(cat, "bad:t"), -1);
    cr_assert_eq(iotnet_catalog_find_mitigation(cat, "bad:m"), -1);
    cr_assert_eq(iotnet_catalog_find_threat(cat, "cam-default"), 0);
}

Test(catalog, duplicate_across_two_files)
{
    size_t k = iotnet_catalog_control_count(cat);
    /* the directory's own copy of the controls collides with the set's first */
    iotnet_catalog *fresh = NULL;
    expect_ok(iotnet_catalog_new(&fresh));
    expect_error(iotnet_catalog_load_dir(fresh, CATALOGS "/dup"), IOTNET_EVALIDATION, "duplicate threat id \"dup:twice\"");
    cr_assert_str_eq(iotnet_error_last()->file, CATALOGS "/dup/b.xml");
    cr_assert_eq(iotnet_error_last()->line, 3);
    cr_assert_eq(iotnet_catalog_threat_count(fresh), 0);
    cr_assert_eq(iotnet_catalog_mitigation_count(fresh), 0);
    cr_assert_eq(iotnet_catalog_control_count(fresh), 0, "a failed directory load adds nothing");
    iotnet_catalog_free(fresh);
    /* file by file: the first loads, the second is refused */
    expect_ok(iotnet_catalog_load_file(cat, CATALOGS "/dup/a.xml"));
    expect_error(iotnet_catalog_load_file(cat, CATALOGS "/dup/b.xml"), IOTNET_EVALIDATION, "b.xml:3: duplicate");
    cr_assert_eq(iotnet_catalog_threat_count(cat), 1);
    cr_assert_eq(iotnet_catalog_mitigation_count(cat), 1);
    cr_assert_eq(iotnet_catalog_control_count(cat), k);
    cr_assert_eq(iotnet_catalog_find_mitigation(cat, "fix-b"), -1);
}

static int loads(const char *text)
{
    return iotnet_catalog_loads(cat, text, strlen(text), "inline.xml");
}

#define THREAT(cond)                                                                                          \
    "<catalog xmlns='urn:libiotnet:catalog' namespace='x'>\n<threat id='t' target='node'><title>t</title>"     \
    "<description>d</description><stride>S</stride><likelihood>1</likelihood><impact>1</impact>\n"            \
    "<applies-when>" cond "</applies-when><mitigations>m</mitigations></threat>\n"                            \
    "<mitigation id='m' target='node'><title>m</title><description>d</description><present-when>"            \
    "<field name='has-nat' op='=' value='true'/></present-when><effect likelihood='0' impact='0'/>"            \
    "<controls>test:1</controls></mitigation></catalog>"

Test(catalog, condition_errors)
{
    expect_error(loads(THREAT("<field name='gateway/colour' op='=' value='x'/>")), IOTNET_EVALIDATION,
                 "inline.xml:3: unknown field \"colour\" for a node target");
    expect_error(loads(THREAT("<field name='kind' op='&lt;' value='camera'/>")), IOTNET_EVALIDATION,
                 "does not take the operator \"<\"");
    expect_error(loads(THREAT("<field name='vendor' op='&lt;' value='B'/>")), IOTNET_EVALIDATION,
                 "does not take the operator \"<\"");
    expect_error(loads(THREAT("<field name='lifecycle/update-mechanism' op='&gt;' value='none'/>")), IOTNET_EVALIDATION,
                 "does not take the operator \">\"");
    expect_error(loads(THREAT("<field name='has-nat' op='=' value='yes'/>")), IOTNET_EVALIDATION,
                 "holds true or false, not \"yes\"");
    expect_error(loads(THREAT("<field name='vendor' op='contains' value='Acme'/>")), IOTNET_EVALIDATION,
                 "does not take the operator \"contains\"");
    expect_error(loads(THREAT("<service><service><field name='port' op='=' value='1'/></service></service>")),
                 IOTNET_EVALIDATION, "inline.xml:3");
    expect_error(loads(THREAT("<field name='lifecycle/signed-artifact-lifetime' op='&gt;' value='10Y'/>")),
                 IOTNET_EVALIDATION, "holds durations, not \"10Y\"");
    expect_error(loads(THREAT("<is-a field='zone-kind' kind='toaster-lan'/>")), IOTNET_EVALIDATION,
                 "unknown kind \"toaster-lan\"");
    expect_error(loads(THREAT("<field name='internet-exposure' op='&gt;=' value='wide-open'/>")), IOTNET_EVALIDATION,
                 "unknown value \"wide-open\"");
    expect_error(loads(THREAT("<field name='link-media' op='contains' value='smoke-signal'/>")), IOTNET_EVALIDATION,
                 "unknown value \"smoke-signal\"");
    cr_assert_eq(iotnet_catalog_threat_count(cat), 0);
    /* and the same shapes with good values load */
    expect_ok(loads(THREAT("<all><field name='gateway/nat/upnp' op='=' value='true'/>"
                           "<field name='lifecycle/certificate-not-after' op='&lt;' value='now+P2Y'/>"
                           "<field name='lifecycle/end-of-support' op='&lt;' value='2027-01-01'/>"
                           "<field name='lifecycle/signed-artifact-lifetime' op='&gt;' value='P10Y'/>"
                           "<field name='link-media' op='contains' value='zigbee'/>"
                           "<is-a field='zone-kind' kind='iot-lan'/>"
                           "<reachable from='zone:guest' min='pinhole'/></all>")));
    iotnet_threat_info t;
    expect_ok(iotnet_catalog_threat(cat, 0, &t));
    cr_assert_str_eq(t.condition,
                     "all(gateway/nat/upnp = true, lifecycle/certificate-not-after < now+P2Y, "
                     "lifecycle/end-of-support < 2027-01-01, lifecycle/signed-artifact-lifetime > P10Y, "
                     "link-media contains zigbee, zone-kind is-a iot-lan, reachable from zone:guest >= pinhole)");
}

Test(catalog, declared_kind)
{
    expect_ok(iotnet_catalog_load_file(cat, CATALOGS "/small.xml"));
    expect_ok(loads("<catalog xmlns='urn:libiotnet:catalog' namespace='y'>"
                    "<threat id='bell' target='node'><title>t</title><description>d</description><stride>S</stride>"
                    "<likelihood>1</likelihood><impact>1</impact><applies-when><is-a kind='doorbell'/></applies-when>"
                    "<mitigations>small:upstairs</mitigations></threat></catalog>"));
    expect_error(loads("<catalog xmlns='urn:libiotnet:catalog' namespace='z'><kind name='k' parent='nothing'/></catalog>"),
                 IOTNET_EVALIDATION, "inline.xml:1: kind \"k\": unknown parent kind \"nothing\"");
}

Test(catalog, hardened_parsing_in_memory)
{
    /* an internal entity is not expanded, and a DOCTYPE is refused outright */
    const char *bomb = "<?xml version='1.0'?>\n<!DOCTYPE catalog [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;'>]>\n"
                       "<catalog xmlns='urn:libiotnet:catalog' namespace='e'>&b;</catalog>";
    int rc = loads(bomb);
    cr_assert(rc == IOTNET_EVALIDATION || rc == IOTNET_EPARSE, "rc %d: %s", rc, iotnet_error_last()->message);
    cr_assert_str_eq(iotnet_error_last()->file, "inline.xml");
    cr_assert_eq(iotnet_error_last()->line, 2);
    expect_error(iotnet_catalog_loads(cat, "", 0, "empty.xml"), IOTNET_EPARSE, "empty.xml: empty input");
    expect_error(loads("<threats/>"), IOTNET_EVALIDATION, "inline.xml:1: does not follow the catalog schema");
    expect_error(iotnet_catalog_load_file(cat, CATALOGS "/no-such-file.xml"), IOTNET_EIO, "no-such-file.xml");
    expect_error(iotnet_catalog_load_dir(cat, CATALOGS "/no-such-dir"), IOTNET_EIO, "no-such-dir");
    expect_error(iotnet_catalog_loads(NULL, "x", 1, "x"), IOTNET_EINVAL, "required");
    cr_assert_eq(iotnet_catalog_threat_count(cat), 0);
    cr_assert_eq(iotnet_catalog_control_count(cat), 2);
}

/* ---- fork() while another thread loads ---------------------------------------- */

static atomic_bool stop_loading;

static int load_bundled(void)
{
    iotnet_catalog *c = NULL;
    int error = iotnet_catalog_new(&c);
    if (!error)
        error = iotnet_catalog_load_dir(c, BUNDLED);
    iotnet_catalog_free(c);
    return error;
}

static void *load_until_stopped(void *unused)
{
    (void)unused;
    while (!atomic_load(&stop_loading))
        load_bundled();
    return NULL;
}

Test(catalog, a_child_forked_during_a_load_can_load, .timeout = 120)
{
#ifdef __SANITIZE_ADDRESS__
    cr_skip_test("AddressSanitizer's allocator does not take its own lock around fork(), "
                 "so a child forked while another thread allocates can hang inside it");
#endif
    /* a lock the loading thread held at the fork would stay held in the child */
    pthread_t loader;
    cr_assert_eq(pthread_create(&loader, NULL, load_until_stopped, NULL), 0);
    int finished = 0, status = 0;
    while (finished < 20) {
        usleep(3000);
        pid_t pid = fork();
        cr_assert_neq(pid, -1);
        if (pid == 0) {
            alarm(10); /* a hung child ends instead of hanging the suite */
            _exit(load_bundled() == 0 ? 0 : 1);
        }
        cr_assert_eq(waitpid(pid, &status, 0), pid);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            break;
        finished++;
    }
    atomic_store(&stop_loading, true);
    pthread_join(loader, NULL);
    cr_assert_eq(finished, 20, "child %d of 20 %s", finished + 1,
                 WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM ? "hung" : "failed to load the catalogs");
}
