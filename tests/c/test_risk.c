/* Risk decisions in the model: set, replace, read, remove; what set refuses
 * (and that it changes nothing then); decisions kept through save and load
 * in JSON and XML; files with bad decisions; comparing models. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "iotnet/eval.h"

#define HOME IOTNET_MODELS_DIR "/topologies/home.xml"

/* Seconds since the epoch at 00:00 UTC. */
#define D_2025_05_01 INT64_C(1746057600)
#define D_2026_06_01 INT64_C(1780272000)
#define D_2026_11_15 INT64_C(1794700800)
#define D_2027_06_30 INT64_C(1814313600)

static iotnet_net *net, *other;

static void setup(void)
{
    net = other = NULL;
    iotnet_error_clear();
    expect_ok(iotnet_net_new(&net));
}

static void teardown(void)
{
    iotnet_net_free(other);
    iotnet_net_free(net);
}

TestSuite(risk, .init = setup, .fini = teardown);

static iotnet_risk_decision decision(const char *finding, const char *by, const char *reason, int64_t decided,
                                     int64_t until)
{
    iotnet_risk_decision d = IOTNET_RISK_DECISION_INIT;
    d.finding = finding;
    d.by = by;
    d.reason = reason;
    d.decided = decided;
    d.until = until;
    return d;
}

static void expect_decision(const iotnet_net *n, size_t i, const iotnet_risk_decision *want)
{
    iotnet_risk_decision got = IOTNET_RISK_DECISION_INIT;
    expect_ok(iotnet_risk_decision_get(n, i, &got));
    cr_assert_eq(got.version, IOTNET_RISK_DECISION_VERSION);
    expect_str(got.finding, want->finding);
    expect_str(got.by, want->by);
    expect_str(got.reason, want->reason);
    cr_assert_eq(got.decided, want->decided, "decided %lld, expected %lld", (long long)got.decided,
                 (long long)want->decided);
    cr_assert_eq(got.until, want->until, "until %lld, expected %lld", (long long)got.until,
                 (long long)want->until);
}

static void set_three(iotnet_net *n)
{
    iotnet_risk_decision a = decision("iotnet:upnp-pinhole@cam-garden/rtsp", "household", "the camera needs it",
                                      D_2026_11_15, D_2027_06_30);
    iotnet_risk_decision b = decision("iotnet:no-update-path@sprinkler", "household", "no replacement yet",
                                      IOTNET_TIME_UNSET, IOTNET_TIME_UNSET);
    iotnet_risk_decision c = decision("iotnet:flat-ot-network@zone:plant", "plant manager", "migration planned",
                                      D_2025_05_01, D_2026_06_01);
    expect_ok(iotnet_risk_decision_set(n, &a));
    expect_ok(iotnet_risk_decision_set(n, &b));
    expect_ok(iotnet_risk_decision_set(n, &c));
}

/* ------------------------------------------------------------------ */
/* Set, replace, get, remove                                           */

Test(risk, empty_model_has_none)
{
    cr_assert_eq(iotnet_risk_decision_count(net), 0);
    cr_assert_eq(iotnet_risk_decision_count(NULL), 0);
    iotnet_risk_decision d;
    expect_error(iotnet_risk_decision_get(net, 0, &d), IOTNET_ENOTFOUND, "no risk decision number 0");
}

Test(risk, set_and_get)
{
    iotnet_risk_decision a = decision("iotnet:upnp-pinhole@cam-garden/rtsp", "household", "the camera needs it",
                                      D_2026_11_15, D_2027_06_30);
    expect_ok(iotnet_risk_decision_set(net, &a));
    cr_assert_eq(iotnet_risk_decision_count(net), 1);
    expect_decision(net, 0, &a);
}

Test(risk, strings_are_copied)
{
    char finding[64], by[16], reason[32];
    snprintf(finding, sizeof finding, "%s", "iotnet:telnet-open@router");
    snprintf(by, sizeof by, "%s", "alice");
    snprintf(reason, sizeof reason, "%s", "lab network");
    iotnet_risk_decision a = decision(finding, by, reason, IOTNET_TIME_UNSET, D_2027_06_30);
    expect_ok(iotnet_risk_decision_set(net, &a));
    memset(finding, 'x', sizeof finding - 1);
    memset(by, 'x', sizeof by - 1);
    memset(reason, 'x', sizeof reason - 1);
    iotnet_risk_decision want = decision("iotnet:telnet-open@router", "alice", "lab network", IOTNET_TIME_UNSET,
                                         D_2027_06_30);
    expect_decision(net, 0, &want);
}

Test(risk, same_finding_replaces_in_place)
{
    set_three(net);
    iotnet_risk_decision b2 = decision("iotnet:no-update-path@sprinkler", "new owner", "reviewed after the move",
                                       D_2026_06_01, D_2026_11_15);
    expect_ok(iotnet_risk_decision_set(net, &b2));
    cr_assert_eq(iotnet_risk_decision_count(net), 3);
    expect_decision(net, 1, &b2);
    iotnet_risk_decision d;
    expect_ok(iotnet_risk_decision_get(net, 0, &d));
    expect_str(d.finding, "iotnet:upnp-pinhole@cam-garden/rtsp");
    expect_ok(iotnet_risk_decision_get(net, 2, &d));
    expect_str(d.finding, "iotnet:flat-ot-network@zone:plant");
}

Test(risk, remove_keeps_the_order_of_the_others)
{
    set_three(net);
    expect_ok(iotnet_risk_decision_remove(net, "iotnet:upnp-pinhole@cam-garden/rtsp"));
    cr_assert_eq(iotnet_risk_decision_count(net), 2);
    iotnet_risk_decision d;
    expect_ok(iotnet_risk_decision_get(net, 0, &d));
    expect_str(d.finding, "iotnet:no-update-path@sprinkler");
    expect_ok(iotnet_risk_decision_get(net, 1, &d));
    expect_str(d.finding, "iotnet:flat-ot-network@zone:plant");
    expect_error(iotnet_risk_decision_remove(net, "iotnet:upnp-pinhole@cam-garden/rtsp"), IOTNET_ENOTFOUND,
                 "no risk decision on finding \"iotnet:upnp-pinhole@cam-garden/rtsp\"");
    expect_ok(iotnet_risk_decision_remove(net, "iotnet:flat-ot-network@zone:plant"));
    expect_ok(iotnet_risk_decision_remove(net, "iotnet:no-update-path@sprinkler"));
    cr_assert_eq(iotnet_risk_decision_count(net), 0);
    /* set again after removing everything */
    set_three(net);
    cr_assert_eq(iotnet_risk_decision_count(net), 3);
}

Test(risk, remove_of_an_unknown_or_never_interned_id)
{
    set_three(net);
    expect_error(iotnet_risk_decision_remove(net, "iotnet:never-seen@anything"), IOTNET_ENOTFOUND,
                 "no risk decision on finding");
    /* a string the model holds for another reason is not a decision */
    expect_error(iotnet_risk_decision_remove(net, "household"), IOTNET_ENOTFOUND, "no risk decision on finding");
    cr_assert_eq(iotnet_risk_decision_count(net), 3);
}

Test(risk, memory_counts_decisions)
{
    size_t before = iotnet_net_memory(net);
    set_three(net);
    cr_assert_gt(iotnet_net_memory(net), before);
}

Test(risk, many_decisions)
{
    char finding[64];
    for (int i = 0; i < 1000; i++) {
        snprintf(finding, sizeof finding, "iotnet:weak-password@dev-%d", i);
        iotnet_risk_decision d = decision(finding, "ops", "bulk", IOTNET_TIME_UNSET, IOTNET_TIME_UNSET);
        expect_ok(iotnet_risk_decision_set(net, &d));
    }
    cr_assert_eq(iotnet_risk_decision_count(net), 1000);
    expect_ok(iotnet_risk_decision_remove(net, "iotnet:weak-password@dev-500"));
    iotnet_risk_decision d;
    expect_ok(iotnet_risk_decision_get(net, 500, &d));
    expect_str(d.finding, "iotnet:weak-password@dev-501");
}

/* ------------------------------------------------------------------ */
/* What set refuses                                                    */

/* Strings are held in the struct: Criterion runs each case in a new process.
 * NO marks a field that is NULL. */
#define NO "\x01"

typedef struct bad_case {
    char finding[40], by[8], reason[8];
    int64_t decided, until;
    char message[80];
} bad_case;

static const char *field(const char *s)
{
    return strcmp(s, NO) == 0 ? NULL : s;
}

ParameterizedTestParameters(risk, bad_decisions_are_refused)
{
    static bad_case cases[] = {
        {NO, "a", "b", IOTNET_TIME_UNSET, IOTNET_TIME_UNSET, "needs the id of the finding"},
        {"", "a", "b", IOTNET_TIME_UNSET, IOTNET_TIME_UNSET, "needs the id of the finding"},
        {"no-at-sign", "a", "b", IOTNET_TIME_UNSET, IOTNET_TIME_UNSET, "must be \"threat@target\""},
        {"@router", "a", "b", IOTNET_TIME_UNSET, IOTNET_TIME_UNSET, "must be \"threat@target\""},
        {"iotnet:telnet@", "a", "b", IOTNET_TIME_UNSET, IOTNET_TIME_UNSET, "must be \"threat@target\""},
        {"iotnet: telnet@router", "a", "b", IOTNET_TIME_UNSET, IOTNET_TIME_UNSET, "the threat id has a blank"},
        {"iotnet:telnet@rou\nter", "a", "b", IOTNET_TIME_UNSET, IOTNET_TIME_UNSET, "control character"},
        {"iotnet:telnet@router", NO, "b", IOTNET_TIME_UNSET, IOTNET_TIME_UNSET, "who decided (by) is required"},
        {"iotnet:telnet@router", "", "b", IOTNET_TIME_UNSET, IOTNET_TIME_UNSET, "who decided (by) is required"},
        {"iotnet:telnet@router", "a", NO, IOTNET_TIME_UNSET, IOTNET_TIME_UNSET, "a reason is required"},
        {"iotnet:telnet@router", "a", "", IOTNET_TIME_UNSET, IOTNET_TIME_UNSET, "a reason is required"},
        {"iotnet:telnet@router", "a", "b", D_2027_06_30, D_2026_11_15,
         "until (2026-11-15T00:00:00Z) must be after decided (2027-06-30T00:00:00Z)"},
        {"iotnet:telnet@router", "a", "b", D_2026_11_15, D_2026_11_15, "must be after decided"},
        {"iotnet:telnet@router", "a", "b", INT64_MAX, IOTNET_TIME_UNSET, "decided"},
        {"iotnet:telnet@router", "a", "b", IOTNET_TIME_UNSET, INT64_C(400000000000), "until"},
    };
    return cr_make_param_array(bad_case, cases, sizeof cases / sizeof *cases);
}

ParameterizedTest(bad_case *c, risk, bad_decisions_are_refused)
{
    /* an existing decision on the same finding stays as it was */
    iotnet_risk_decision keep = decision("iotnet:telnet@router", "owner", "kept", D_2026_06_01, D_2027_06_30);
    expect_ok(iotnet_risk_decision_set(net, &keep));
    iotnet_risk_decision d = decision(field(c->finding), field(c->by), field(c->reason), c->decided, c->until);
    expect_error(iotnet_risk_decision_set(net, &d), IOTNET_EINVAL, c->message);
    cr_assert_eq(iotnet_risk_decision_count(net), 1);
    expect_decision(net, 0, &keep);
}

Test(risk, bad_arguments)
{
    iotnet_risk_decision d = decision("iotnet:telnet@router", "a", "b", IOTNET_TIME_UNSET, IOTNET_TIME_UNSET);
    expect_error(iotnet_risk_decision_set(NULL, &d), IOTNET_EINVAL, "net is required");
    expect_error(iotnet_risk_decision_set(net, NULL), IOTNET_EINVAL, "the decision is required");
    d.version = 99;
    expect_error(iotnet_risk_decision_set(net, &d), IOTNET_EINVAL, "iotnet_risk_decision has version 99");
    expect_error(iotnet_risk_decision_get(NULL, 0, &d), IOTNET_EINVAL, "required");
    expect_error(iotnet_risk_decision_get(net, 0, NULL), IOTNET_EINVAL, "required");
    expect_error(iotnet_risk_decision_remove(NULL, "x@y"), IOTNET_EINVAL, "required");
    expect_error(iotnet_risk_decision_remove(net, NULL), IOTNET_EINVAL, "required");
    cr_assert_eq(iotnet_risk_decision_count(net), 0);
}

Test(risk, a_target_may_hold_an_at_sign_and_blanks)
{
    /* only the threat part is a token; targets are whatever ids the model has */
    iotnet_risk_decision d = decision("iotnet:weak-password@living room/admin@8080", "a", "b", IOTNET_TIME_UNSET,
                                      IOTNET_TIME_UNSET);
    expect_ok(iotnet_risk_decision_set(net, &d));
    expect_decision(net, 0, &d);
}

/* ------------------------------------------------------------------ */
/* Save and load                                                       */

/* The two decisions the home network records. */
static void expect_home_decisions(const iotnet_net *n)
{
    iotnet_risk_decision want =
        decision("iotnet:local-management-plain-http@sprinkler/modem-admin", "household (Dana Whitfield)",
                 "Reachable only inside the mobile operator's APN, which isolates subscribers; no firmware disables "
                 "the page; the aircard is replaced before the 2027 season.",
                 INT64_C(1795132800), INT64_C(1806451200));
    expect_decision(n, 0, &want);
    want = decision("iotnet:upnp-pinhole@cam-garden/rtsp", "household (Dana Whitfield)",
                    "Remote viewing of the garden during the summer holidays.", INT64_C(1781481600),
                    INT64_C(1788220800));
    expect_decision(n, 1, &want);
}

Test(risk, home_network_records_two)
{
    iotnet_net_free(net);
    net = NULL;
    expect_ok(iotnet_net_load(&net, HOME, NULL));
    cr_assert_eq(iotnet_risk_decision_count(net), 2);
    expect_home_decisions(net);
}

static void round_trip(iotnet_format format, const char *marker)
{
    iotnet_net_free(net);
    net = NULL;
    expect_ok(iotnet_net_load(&net, HOME, NULL));
    iotnet_risk_decision added[] = {
        decision("iotnet:weak-tls@thermostat/homekit-hap", "installer", "the vendor's next release fixes it",
                 D_2026_11_15, D_2027_06_30),
        decision("iotnet:no-attestation@speaker", "household", "no alternative", IOTNET_TIME_UNSET,
                 IOTNET_TIME_UNSET),
    };
    for (size_t i = 0; i < 2; i++)
        expect_ok(iotnet_risk_decision_set(net, &added[i]));
    char *text = save_model_text(net, format, NULL);
    cr_assert(strstr(text, marker), "saved text lacks %s", marker);
    cr_assert(strstr(text, "2027-06-30T00:00:00Z"), "saved text lacks the until date");
    other = load_model_text(text, NULL);
    iotnet_string_free(text);
    cr_assert_eq(iotnet_risk_decision_count(other), 4);
    expect_home_decisions(other);
    expect_decision(other, 2, &added[0]);
    expect_decision(other, 3, &added[1]);
    expect_models_equal(net, other);
}

Test(risk, round_trip_json)
{
    round_trip(IOTNET_FORMAT_JSON, "\"risk-decision\"");
}

Test(risk, round_trip_xml)
{
    round_trip(IOTNET_FORMAT_XML, "<risk-decision>");
}

Test(risk, model_with_only_decisions)
{
    set_three(net);
    char *text = save_model_text(net, IOTNET_FORMAT_JSON, NULL);
    other = load_model_text(text, NULL);
    iotnet_string_free(text);
    expect_models_equal(net, other);
}

static void expect_load_error(const char *json, int code, const char *needle)
{
    iotnet_net *n = NULL;
    expect_error(iotnet_net_load_data(&n, json, strlen(json), "bad.json", NULL), code, needle);
    cr_assert_null(n);
}

Test(risk, files_with_bad_decisions)
{
    expect_load_error("{\"iotnet-topology:topology\": {\"risk-decision\": [{\"finding\": \"no-at\", "
                      "\"by\": \"a\", \"reason\": \"b\"}]}}",
                      IOTNET_EVALIDATION, "threat@target");
    expect_load_error("{\"iotnet-topology:topology\": {\"risk-decision\": [{\"finding\": \"t@x\", "
                      "\"reason\": \"b\"}]}}",
                      IOTNET_EVALIDATION, "by");
    expect_load_error("{\"iotnet-topology:topology\": {\"risk-decision\": [{\"finding\": \"t@x\", "
                      "\"by\": \"a\", \"reason\": \"b\", \"decided\": \"2027-01-01T00:00:00Z\", "
                      "\"until\": \"2026-01-01T00:00:00Z\"}]}}",
                      IOTNET_EINVAL, "must be after decided");
    /* the data path of the decision is in the message */
    cr_assert(strstr(iotnet_error_last()->message, "risk-decision[finding='t@x']"), "message: %s",
              iotnet_error_last()->message);
}

Test(risk, dates_in_other_offsets_are_read_as_utc)
{
    const char *json = "{\"iotnet-topology:topology\": {\"risk-decision\": [{\"finding\": \"t@x\", "
                       "\"by\": \"a\", \"reason\": \"b\", \"until\": \"2027-06-30T02:00:00+02:00\"}]}}";
    other = load_model_text(json, NULL);
    iotnet_risk_decision d;
    expect_ok(iotnet_risk_decision_get(other, 0, &d));
    cr_assert_eq(d.until, D_2027_06_30);
    cr_assert_eq(d.decided, IOTNET_TIME_UNSET);
}

/* ------------------------------------------------------------------ */
/* Comparing models                                                    */

Test(risk, equal_sees_decisions)
{
    expect_ok(iotnet_net_new(&other));
    set_three(net);
    expect_models_differ(net, other, "risk decision \"iotnet:upnp-pinhole@cam-garden/rtsp\" is only in the first model");
    expect_models_differ(other, net, "risk decision \"iotnet:upnp-pinhole@cam-garden/rtsp\" is only in the second model");
    set_three(other);
    expect_models_equal(net, other);
    iotnet_risk_decision changed = decision("iotnet:no-update-path@sprinkler", "household", "another reason",
                                            IOTNET_TIME_UNSET, IOTNET_TIME_UNSET);
    expect_ok(iotnet_risk_decision_set(other, &changed));
    expect_models_differ(net, other, "risk decision \"iotnet:no-update-path@sprinkler\" differs");
    changed.reason = "no replacement yet";
    changed.until = D_2027_06_30;
    expect_ok(iotnet_risk_decision_set(other, &changed));
    expect_models_differ(net, other, "risk decision \"iotnet:no-update-path@sprinkler\" differs");
}

Test(risk, equal_ignores_the_order)
{
    expect_ok(iotnet_net_new(&other));
    set_three(net);
    iotnet_risk_decision d[3];
    for (size_t i = 0; i < 3; i++)
        expect_ok(iotnet_risk_decision_get(net, i, &d[i]));
    for (size_t i = 3; i-- > 0;)
        expect_ok(iotnet_risk_decision_set(other, &d[i]));
    expect_models_equal(net, other);
}
