/* Compliance mapping: each status rule of comply.h on a small hand-built
 * plant, the evidence behind a control, risk decisions, what-if
 * assumptions, ISO Annex A ids, unknown frameworks, IEC 62443 levels per
 * zone and FR, and the bundled catalogs on the reference topologies.
 *
 * The model:
 *   zones  plant (target SL 2, FR 5 target 3), office (target SL 1)
 *   nodes  plc (plc, plant, Acme), hmi (workstation, plant), pc (workstation, office)
 * The catalog (namespace t), threats on nodes:
 *   t1 kind plc          candidates m1        m1: vendor Acme (plc)   -> 8.1, SR5.1 (sl 3)
 *   t2 kind workstation  candidates m2        m2: id hmi              -> 8.2, SR5.2 (sl 2)
 *   t3 zone office       candidates m3        m3: vendor Nobody       -> 8.3, SR1.1
 *   t4 vendor Nobody     candidates m4        m4: vendor Nobody       -> 8.4
 *   t5 kind plc          candidates m5 m1     m5: vendor Nobody       -> 8.5
 * so that 8.1 is addressed (t1@plc, t5@plc answered by m1), 8.2 partially
 * addressed (t2@hmi answered, t2@pc open), 8.3 a gap (t3@pc open, m3
 * nowhere), 8.4 not applicable (nothing applies), 8.5 not applicable (t5@plc
 * is mitigated by m1, another control's measure) and 5.1 not assessed. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"

#define MODELS IOTNET_MODELS_DIR "/topologies"
#define D_2026_12_01 1796083200LL

static iotnet_net *net;
static iotnet_catalog *cat;
static iotnet_compliance *res;

static const char controls_iso[] =
    "<controls xmlns='urn:libiotnet:catalog' framework='iso27001-2022'>"
    "<control id='5.1' group='Organizational'>Policy</control>"
    "<control id='8.1' group='Technological'>One</control>"
    "<control id='8.2' group='Technological'>Two</control>"
    "<control id='8.3' group='Technological'>Three</control>"
    "<control id='8.4' group='Technological'>Four</control>"
    "<control id='8.5' group='Technological'>Five</control>"
    "</controls>";

static const char controls_iec[] =
    "<controls xmlns='urn:libiotnet:catalog' framework='iec62443-3-3'>"
    "<control id='SR 1.1' group='FR 1'>Users</control>"
    "<control id='SR 5.1' group='FR 5' min-sl='1'>Segments</control>"
    "<control id='SR 5.2' group='FR 5' min-sl='2'>Boundary</control>"
    "</controls>";

#define THREAT(id, cond, mits)                                                                                     \
    "<threat id='" id "' target='node'><title>" id "</title><description>d</description><stride>T</stride>"       \
    "<likelihood>3</likelihood><impact>3</impact><applies-when>" cond "</applies-when>"                           \
    "<mitigations>" mits "</mitigations></threat>"
#define MITIGATION(id, sl, cond, controls)                                                                         \
    "<mitigation id='" id "' target='node'" sl "><title>" id "</title><description>d</description>"               \
    "<present-when>" cond "</present-when><effect likelihood='-1' impact='0'/>"                                    \
    "<controls>" controls "</controls></mitigation>"

static const char threats[] =
    "<catalog xmlns='urn:libiotnet:catalog' namespace='t'>"
    THREAT("t1", "<is-a kind='plc'/>", "m1")
    THREAT("t2", "<is-a kind='workstation'/>", "m2")
    THREAT("t3", "<field name='zone' op='=' value='office'/>", "m3")
    THREAT("t4", "<field name='vendor' op='=' value='Nobody'/>", "m4")
    THREAT("t5", "<is-a kind='plc'/>", "m5 m1")
    MITIGATION("m1", " sl='3'", "<field name='vendor' op='=' value='Acme'/>",
               "iso27001-2022:8.1 iec62443-3-3:SR5.1")
    MITIGATION("m2", " sl='2'", "<field name='id' op='=' value='hmi'/>", "iso27001-2022:8.2 iec62443-3-3:SR5.2")
    MITIGATION("m3", "", "<field name='vendor' op='=' value='Nobody'/>", "iso27001-2022:8.3 iec62443-3-3:SR1.1")
    MITIGATION("m4", "", "<field name='vendor' op='=' value='Nobody'/>", "iso27001-2022:8.4")
    MITIGATION("m5", "", "<field name='vendor' op='=' value='Nobody'/>", "iso27001-2022:8.5")
    "</catalog>";

static void zone(const char *id, uint8_t sl, int fr, uint8_t fr_sl)
{
    iotnet_zone_spec z = IOTNET_ZONE_SPEC_INIT;
    z.id = id;
    z.kind = "operations";
    z.target_sl = sl;
    if (fr)
        z.target_sl_fr[fr - 1] = fr_sl;
    expect_ok(iotnet_zone_add(net, NULL, &z));
}

static void load(const char *text, const char *name)
{
    expect_ok(iotnet_catalog_loads(cat, text, strlen(text), name));
}

static void setup(void)
{
    res = NULL;
    iotnet_error_clear();
    expect_ok(iotnet_net_new(&net));
    zone("plant", 2, 5, 3);
    zone("office", 1, 0, 0);
    add_vendor_node(net, "plc", "plc", "plant", "Acme");
    add_vendor_node(net, "hmi", "workstation", "plant", NULL);
    add_vendor_node(net, "pc", "workstation", "office", NULL);
    expect_ok(iotnet_catalog_new(&cat));
    load(controls_iso, "iso.xml");
    load(controls_iec, "iec.xml");
    load(threats, "t.xml");
}

static void teardown(void)
{
    iotnet_compliance_free(res);
    iotnet_catalog_free(cat);
    iotnet_net_free(net);
}

TestSuite(comply, .init = setup, .fini = teardown);

static void compute(const char *framework, const iotnet_assumption *assume, size_t n)
{
    iotnet_compliance_free(res);
    res = NULL;
    iotnet_compliance_options o = IOTNET_COMPLIANCE_OPTIONS_INIT;
    o.now = D_2026_12_01;
    o.assume = assume;
    o.assume_count = n;
    expect_ok(iotnet_compliance_compute(&res, net, cat, framework, &o));
}

static iotnet_control_result control(const char *id, size_t *index)
{
    size_t i;
    expect_ok(iotnet_compliance_find(res, id, &i));
    iotnet_control_result r = {.version = IOTNET_CONTROL_RESULT_VERSION};
    expect_ok(iotnet_compliance_get(res, i, &r));
    if (index)
        *index = i;
    return r;
}

Test(comply, each_status_rule)
{
    compute("iso27001-2022", NULL, 0);
    cr_assert_str_eq(iotnet_compliance_framework(res), "iso27001-2022");
    cr_assert_eq(iotnet_compliance_count(res), 6);
    iotnet_control_result r = control("8.1", NULL);
    cr_assert_eq(r.status, IOTNET_CONTROL_ADDRESSED, "8.1: %s", r.reason);
    cr_assert_eq(r.finding_count, 2);
    cr_assert_eq(r.answered_count, 2);
    cr_assert_eq(r.evidence_count, 1);
    r = control("8.2", NULL);
    cr_assert_eq(r.status, IOTNET_CONTROL_PARTIAL, "8.2: %s", r.reason);
    cr_assert_eq(r.open_count, 1);
    cr_assert_eq(r.answered_count, 1);
    r = control("8.3", NULL);
    cr_assert_eq(r.status, IOTNET_CONTROL_GAP, "8.3: %s", r.reason);
    cr_assert_str_eq(r.reason, "1 of the 1 finding it would answer is open and none of its mitigations (m3) is present.");
    r = control("8.4", NULL);
    cr_assert_eq(r.status, IOTNET_CONTROL_NOT_APPLICABLE);
    cr_assert_eq(r.finding_count, 0);
    cr_assert(strstr(r.reason, "No threat its mitigations (m4) answer applies"), "%s", r.reason);
    r = control("8.5", NULL);
    cr_assert_eq(r.status, IOTNET_CONTROL_NOT_APPLICABLE, "8.5: %s", r.reason);
    cr_assert_eq(r.finding_count, 1);
    cr_assert_eq(r.mitigated_count, 1);
    cr_assert_eq(r.answered_count, 0);
    cr_assert(strstr(r.reason, "treated otherwise"), "%s", r.reason);
    r = control("5.1", NULL);
    cr_assert_eq(r.status, IOTNET_CONTROL_NOT_ASSESSED);
    cr_assert_str_eq(r.mitigations, "");
    cr_assert(strstr(r.reason, "outside what a network model shows"), "%s", r.reason);
    size_t s[IOTNET_CONTROL_STATUS_SLOTS];
    iotnet_compliance_summary(res, s);
    cr_assert_eq(s[IOTNET_CONTROL_ADDRESSED], 1);
    cr_assert_eq(s[IOTNET_CONTROL_PARTIAL], 1);
    cr_assert_eq(s[IOTNET_CONTROL_GAP], 1);
    cr_assert_eq(s[IOTNET_CONTROL_NOT_APPLICABLE], 2);
    cr_assert_eq(s[IOTNET_CONTROL_NOT_ASSESSED], 1);
    cr_assert_str_eq(iotnet_enum_name(IOTNET_ENUM_CONTROL_STATUS, IOTNET_CONTROL_PARTIAL), "partially-addressed");
}

Test(comply, evidence_pairs_and_findings)
{
    compute("iso27001-2022", NULL, 0);
    size_t i;
    iotnet_control_result r = control("8.2", &i);
    cr_assert_str_eq(r.mitigations, "t:m2");
    iotnet_control_evidence e = {.version = IOTNET_CONTROL_EVIDENCE_VERSION};
    expect_ok(iotnet_compliance_evidence(res, i, 0, &e));
    cr_assert_str_eq(e.mitigation, "t:m2");
    cr_assert_eq(e.target_kind, IOTNET_TARGET_NODE);
    cr_assert_str_eq(e.target, "hmi");
    cr_assert(!e.assumed);
    expect_error(iotnet_compliance_evidence(res, i, 1, &e), IOTNET_EINVAL, "no evidence 1");
    /* the findings, with the control's mitigations present on each */
    iotnet_control_finding f = {.version = IOTNET_CONTROL_FINDING_VERSION};
    bool seen_open = false, seen_answered = false;
    for (size_t k = 0; k < r.finding_count; k++) {
        expect_ok(iotnet_compliance_finding(res, i, k, &f));
        cr_assert_str_eq(f.threat, "t:t2");
        if (!strcmp(f.id, "t:t2@pc")) {
            seen_open = f.status == IOTNET_FINDING_OPEN && !strcmp(f.mitigations, "");
        } else {
            cr_assert_str_eq(f.id, "t:t2@hmi");
            seen_answered = f.status == IOTNET_FINDING_MITIGATED && !strcmp(f.mitigations, "t:m2");
        }
        cr_assert_null(f.accepted_by);
    }
    cr_assert(seen_open && seen_answered);
    expect_error(iotnet_compliance_finding(res, i, 2, &f), IOTNET_EINVAL, "no finding 2");
    /* 8.5: its finding is mitigated, by a measure that is not its own */
    r = control("8.5", &i);
    expect_ok(iotnet_compliance_finding(res, i, 0, &f));
    cr_assert_str_eq(f.id, "t:t5@plc");
    cr_assert_eq(f.status, IOTNET_FINDING_MITIGATED);
    cr_assert_str_eq(f.mitigations, "");
}

Test(comply, accepted_findings_are_treated_and_name_who)
{
    iotnet_risk_decision d = IOTNET_RISK_DECISION_INIT;
    d.finding = "t:t3@pc";
    d.by = "plant manager";
    d.reason = "office PC replaced in spring";
    expect_ok(iotnet_risk_decision_set(net, &d));
    compute("iso27001-2022", NULL, 0);
    size_t i;
    iotnet_control_result r = control("8.3", &i);
    cr_assert_eq(r.status, IOTNET_CONTROL_NOT_APPLICABLE, "%s", r.reason);
    cr_assert_eq(r.accepted_count, 1);
    iotnet_control_finding f = {.version = IOTNET_CONTROL_FINDING_VERSION};
    expect_ok(iotnet_compliance_finding(res, i, 0, &f));
    cr_assert_eq(f.status, IOTNET_FINDING_ACCEPTED);
    cr_assert_str_eq(f.accepted_by, "plant manager");
    cr_assert_str_eq(f.accepted_reason, "office PC replaced in spring");
    cr_assert_eq(f.accepted_until, IOTNET_TIME_UNSET);
}

Test(comply, what_if_turns_a_gap_into_addressed)
{
    iotnet_assumption a[] = {{"m3", "pc"}};
    compute("iso27001-2022", a, 1);
    size_t i;
    iotnet_control_result r = control("8.3", &i);
    cr_assert_eq(r.status, IOTNET_CONTROL_ADDRESSED, "%s", r.reason);
    iotnet_control_evidence e = {.version = IOTNET_CONTROL_EVIDENCE_VERSION};
    expect_ok(iotnet_compliance_evidence(res, i, 0, &e));
    cr_assert_str_eq(e.target, "pc");
    cr_assert(e.assumed);
    /* without a target: wherever it was taken as a candidate */
    iotnet_assumption everywhere[] = {{"t:m3", NULL}};
    compute("iso27001-2022", everywhere, 1);
    r = control("8.3", &i);
    cr_assert_eq(r.status, IOTNET_CONTROL_ADDRESSED, "%s", r.reason);
    expect_ok(iotnet_compliance_evidence(res, i, 0, &e));
    cr_assert_str_eq(e.target, "pc");
    cr_assert(e.assumed);
}

Test(comply, findings_given_are_not_evaluated_again)
{
    iotnet_findings *f = NULL;
    iotnet_analyze_options a = IOTNET_ANALYZE_OPTIONS_INIT;
    a.now = D_2026_12_01;
    expect_ok(iotnet_analyze(&f, net, cat, &a));
    iotnet_compliance_options o = IOTNET_COMPLIANCE_OPTIONS_INIT;
    o.findings = f;
    o.now = D_2026_12_01;
    expect_ok(iotnet_compliance_compute(&res, net, cat, "iso27001-2022", &o));
    iotnet_findings_free(f); /* the result keeps copies */
    iotnet_net_free(net);    /* and is independent of the model */
    net = NULL;
    iotnet_control_result r = control("8.2", NULL);
    cr_assert_eq(r.status, IOTNET_CONTROL_PARTIAL);
    size_t i;
    control("8.2", &i);
    iotnet_control_finding x = {.version = IOTNET_CONTROL_FINDING_VERSION};
    expect_ok(iotnet_compliance_finding(res, i, 0, &x));
    cr_assert(!strcmp(x.id, "t:t2@pc") || !strcmp(x.id, "t:t2@hmi"), "%s", x.id);
}

Test(comply, annex_a_ids_and_spaces)
{
    compute("iso27001-2022", NULL, 0);
    size_t a, b;
    expect_ok(iotnet_compliance_find(res, "A.8.2", &a));
    expect_ok(iotnet_compliance_find(res, "8.2", &b));
    cr_assert_eq(a, b);
    expect_ok(iotnet_compliance_find(res, "a.8.2", &b));
    cr_assert_eq(a, b);
    expect_error(iotnet_compliance_find(res, "A.9.9", &b), IOTNET_ENOTFOUND, "no control \"A.9.9\" in iso27001-2022");
    compute("iec62443-3-3", NULL, 0);
    expect_ok(iotnet_compliance_find(res, "SR5.2", &a));
    expect_ok(iotnet_compliance_find(res, "SR 5.2", &b));
    cr_assert_eq(a, b);
    /* the Annex A prefix is ISO's alone */
    expect_error(iotnet_compliance_find(res, "A.SR5.2", &b), IOTNET_ENOTFOUND, "no control");
}

Test(comply, unknown_framework_lists_the_known_ones)
{
    expect_error(iotnet_compliance_compute(&res, net, cat, "iso27001", NULL), IOTNET_EINVAL,
                 "unknown framework \"iso27001\" (known: iso27001-2022, iec62443-3-3)");
    cr_assert_null(res);
    iotnet_catalog *empty = NULL;
    expect_ok(iotnet_catalog_new(&empty));
    expect_error(iotnet_compliance_compute(&res, net, empty, "iso27001-2022", NULL), IOTNET_EINVAL,
                 "no control catalog is loaded");
    iotnet_catalog_free(empty);
}

Test(comply, bad_arguments)
{
    expect_error(iotnet_compliance_compute(NULL, net, cat, "iso27001-2022", NULL), IOTNET_EINVAL, "required");
    expect_error(iotnet_compliance_compute(&res, net, cat, NULL, NULL), IOTNET_EINVAL, "required");
    iotnet_compliance_options o = IOTNET_COMPLIANCE_OPTIONS_INIT;
    o.version = 99;
    expect_error(iotnet_compliance_compute(&res, net, cat, "iso27001-2022", &o), IOTNET_EINVAL, "version 99");
    o = (iotnet_compliance_options)IOTNET_COMPLIANCE_OPTIONS_INIT;
    o.assume_count = 1;
    expect_error(iotnet_compliance_compute(&res, net, cat, "iso27001-2022", &o), IOTNET_EINVAL, "assume is NULL");
    iotnet_assumption unknown[] = {{"nothing", NULL}};
    o.assume = unknown;
    expect_error(iotnet_compliance_compute(&res, net, cat, "iso27001-2022", &o), IOTNET_EINVAL,
                 "no mitigation \"nothing\"");
    iotnet_assumption nowhere[] = {{"m3", "ghost"}};
    o.assume = nowhere;
    expect_error(iotnet_compliance_compute(&res, net, cat, "iso27001-2022", &o), IOTNET_EINVAL, "no element \"ghost\"");
    cr_assert_null(res);
    iotnet_control_result r;
    expect_error(iotnet_compliance_get(NULL, 0, &r), IOTNET_EINVAL, "no control 0");
    cr_assert_eq(iotnet_compliance_count(NULL), 0);
    iotnet_compliance_free(NULL);
}

Test(comply, statement_of_applicability)
{
    iotnet_assumption a[] = {{"m2", "pc"}};
    compute("iso27001-2022", a, 1);
    char *soa = NULL;
    expect_ok(iotnet_compliance_soa(res, &soa));
    const char *expected =
        "control,title,theme,applicable,justification,implementation_status,evidence,open_findings\r\n"
        "A.5.1,Policy,Organizational,yes,\"Included by default. No mitigation of the loaded catalogs evidences this "
        "control: it is outside what a network model shows (policies, people, premises, contracts) and is assessed "
        "from other records.\",not assessed,,\r\n";
    cr_assert(!strncmp(soa, expected, strlen(expected)), "%s", soa);
    cr_assert(strstr(soa, "\r\nA.8.2,Two,Technological,yes,\"Included: 2 findings of the model call for it. "));
    cr_assert(strstr(soa, ",implemented,\"m2: hmi, pc (assumed)\",\r\n"), "%s", soa);
    cr_assert(strstr(soa, "\r\nA.8.3,Three,Technological,yes,"));
    cr_assert(strstr(soa, ",not implemented,,t:t3@pc\r\n"), "%s", soa);
    cr_assert(strstr(soa, "\r\nA.8.4,Four,Technological,no,\"Excluded. No threat"), "%s", soa);
    size_t lines = 0;
    for (const char *p = soa; (p = strstr(p, "\r\n")); p += 2)
        lines++;
    cr_assert_eq(lines, 7); /* the header and the six controls */
    iotnet_string_free(soa);
    compute("iec62443-3-3", NULL, 0);
    expect_error(iotnet_compliance_soa(res, &soa), IOTNET_EINVAL, "not iec62443-3-3");
    cr_assert_null(soa);
}

static iotnet_zone_level level(const char *zone_id, int fr)
{
    iotnet_zone_level l = {.version = IOTNET_ZONE_LEVEL_VERSION};
    for (size_t i = 0; i < iotnet_compliance_zone_level_count(res); i++) {
        expect_ok(iotnet_compliance_zone_level(res, i, &l));
        if (!strcmp(l.zone, zone_id) && l.fr == fr)
            return l;
    }
    cr_assert_fail("no level row for %s FR %d", zone_id, fr);
    return l;
}

Test(comply, security_levels_per_zone_and_fr)
{
    compute("iso27001-2022", NULL, 0);
    cr_assert_eq(iotnet_compliance_zone_level_count(res), 0); /* only for IEC 62443 */
    compute("iec62443-3-3", NULL, 0);
    cr_assert_eq(iotnet_compliance_zone_level_count(res), 14); /* two zones with targets x 7 */
    /* plant FR 5: SR 5.1 evidenced by m1 at 3, SR 5.2 by m2 at 2: 2, below the FR target 3 */
    iotnet_zone_level l = level("plant", 5);
    cr_assert_eq(l.target, 3);
    cr_assert_eq(l.achieved, 2, "%s", l.reason);
    cr_assert(l.gap);
    cr_assert_str_eq(l.limiting, "SR5.2");
    cr_assert_str_eq(l.reason, "SL 2 is below the target 3: SR 5.2 is evidenced to SL 2.");
    /* plant FR 1: nothing in the zone shows SR 1.1: 0 against the zone's target 2 */
    l = level("plant", 1);
    cr_assert_eq(l.target, 2);
    cr_assert_eq(l.achieved, 0);
    cr_assert(l.gap);
    cr_assert_str_eq(l.limiting, "");
    /* office FR 1: t3@pc is open: SR 1.1 contradicted, held at 0 */
    l = level("office", 1);
    cr_assert_eq(l.achieved, 0);
    cr_assert_str_eq(l.limiting, "SR1.1");
    cr_assert(strstr(l.reason, "SR 1.1 has open or accepted findings (holds SL 0)"), "%s", l.reason);
    /* what-if: m2 on the pc answers t2@pc; m1 and m2 evidence FR 5 of the office */
    iotnet_assumption a[] = {{"m2", "pc"}};
    compute("iec62443-3-3", a, 1);
    l = level("office", 5);
    cr_assert_eq(l.achieved, 2, "%s", l.reason);
    cr_assert(!l.gap);
    cr_assert_str_eq(l.reason, "SL 2 meets the target 1.");
}

Test(comply, security_level_attributes_are_checked)
{
    static const char bad[] = "<controls xmlns='urn:libiotnet:catalog' framework='x'>"
                              "<control id='1' min-sl='5'>Too high</control></controls>";
    expect_error(iotnet_catalog_loads(cat, bad, strlen(bad), "bad.xml"), IOTNET_EVALIDATION, "bad.xml");
    iotnet_mitigation_info m = {.version = IOTNET_MITIGATION_INFO_VERSION};
    expect_ok(iotnet_catalog_mitigation(cat, (size_t)iotnet_catalog_find_mitigation(cat, "m1"), &m));
    cr_assert_eq(m.security_level, 3);
    expect_ok(iotnet_catalog_mitigation(cat, (size_t)iotnet_catalog_find_mitigation(cat, "m3"), &m));
    cr_assert_eq(m.security_level, 1); /* not given */
}

/* A reference topology and the bundled catalogs instead of the small plant. */
static void use_bundled(const char *model)
{
    iotnet_net_free(net);
    iotnet_catalog_free(cat);
    net = NULL;
    cat = NULL;
    expect_ok(iotnet_net_load(&net, model, NULL));
    expect_ok(iotnet_catalog_default(&cat));
}

Test(comply, bundled_catalog_on_the_home_network)
{
    use_bundled(MODELS "/home.xml");
    compute("iso27001-2022", NULL, 0);
    cr_assert_eq(iotnet_compliance_count(res), 93);
    size_t s[IOTNET_CONTROL_STATUS_SLOTS], total = 0;
    iotnet_compliance_summary(res, s);
    for (int k = 1; k < IOTNET_CONTROL_STATUS_SLOTS; k++)
        total += s[k];
    cr_assert_eq(total, 93);
    cr_assert_gt(s[IOTNET_CONTROL_NOT_ASSESSED], 0); /* organisational, people, physical controls */
    iotnet_control_result r = control("A.8.20", NULL);
    cr_assert_str_eq(r.id, "8.20");
    cr_assert_str_eq(r.group, "Technological");
    cr_assert_gt(r.evidence_count, 0);
    cr_assert_gt(r.finding_count, 0);
}

Test(comply, bundled_catalog_on_the_plant)
{
    use_bundled(MODELS "/plant.xml");
    compute("iec62443-3-3", NULL, 0);
    size_t rows = iotnet_compliance_zone_level_count(res), gaps = 0, met = 0;
    cr_assert_gt(rows, 0);
    cr_assert_eq(rows % 7, 0);
    for (size_t i = 0; i < rows; i++) {
        iotnet_zone_level l = {.version = IOTNET_ZONE_LEVEL_VERSION};
        expect_ok(iotnet_compliance_zone_level(res, i, &l));
        cr_assert(l.fr >= 1 && l.fr <= 7 && l.achieved >= 0 && l.achieved <= 4);
        cr_assert_eq(l.gap, l.target > 0 && l.achieved < l.target);
        gaps += l.gap;
        met += l.target > 0 && !l.gap;
    }
    /* the reference plant both falls short and meets its targets somewhere */
    cr_assert_gt(gaps, 0);
    cr_assert_gt(met, 0);
}
