/* The thread-local last error, return-code names and the small helpers of error.h. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"

static iotnet_net *net;
/* A second model and a message: freed by the fixture even when an assertion ends the test. */
static iotnet_net *other;
static char *why;

static void setup(void)
{
    net = other = NULL;
    why = NULL;
    expect_ok(iotnet_net_new(&net));
    iotnet_error_clear();
}

static void teardown(void)
{
    iotnet_net_free(net);
    iotnet_net_free(other);
    iotnet_string_free(why);
    net = other = NULL;
    why = NULL;
}

TestSuite(error, .init = setup, .fini = teardown);

static void add_camera(iotnet_net *n, const char *id)
{
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    s.id = id;
    s.kind = "camera";
    expect_ok(iotnet_node_add(n, NULL, &s));
}

Test(error, failure_records_code_and_message)
{
    iotnet_index ix;
    cr_assert_eq(iotnet_node_find(net, &ix, "doorbell"), IOTNET_ENOTFOUND);
    const iotnet_error *e = iotnet_error_last();
    cr_assert_not_null(e);
    cr_assert_eq(e->code, IOTNET_ENOTFOUND);
    cr_assert_not_null(e->message);
    cr_assert(strstr(e->message, "doorbell"), "\"%s\" names the id", e->message);
    cr_assert_null(strchr(e->message, '\n'), "one line");
    cr_assert_null(e->file, "no file is involved");
    cr_assert_eq(e->line, 0);
}

Test(error, each_failure_replaces_the_last)
{
    add_camera(net, "cam");
    iotnet_index ix;
    cr_assert_eq(iotnet_node_find(net, &ix, "ghost"), IOTNET_ENOTFOUND);
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    s.id = "cam";
    s.kind = "camera";
    cr_assert_eq(iotnet_node_add(net, NULL, &s), IOTNET_EEXISTS);
    cr_assert_eq(iotnet_error_last()->code, IOTNET_EEXISTS);
    cr_assert(strstr(iotnet_error_last()->message, "cam"));
    cr_assert_null(strstr(iotnet_error_last()->message, "ghost"));
}

Test(error, success_keeps_the_last_error)
{
    iotnet_index ix;
    cr_assert_eq(iotnet_node_find(net, &ix, "ghost"), IOTNET_ENOTFOUND);
    add_camera(net, "cam");
    expect_ok(iotnet_node_find(net, &ix, "cam"));
    cr_assert_eq(iotnet_error_last()->code, IOTNET_ENOTFOUND,
                 "the last error stays until the next failure");
    cr_assert(strstr(iotnet_error_last()->message, "ghost"));
}

Test(error, clear_forgets_it)
{
    iotnet_index ix;
    cr_assert_eq(iotnet_node_find(net, &ix, "ghost"), IOTNET_ENOTFOUND);
    iotnet_error_clear();
    const iotnet_error *e = iotnet_error_last();
    cr_assert_eq(e->code, IOTNET_OK);
    cr_assert_not_null(e->message);
    cr_assert_str_eq(e->message, "");
    cr_assert_null(e->file);
    cr_assert_null(e->path);
    cr_assert_eq(e->line, 0);
}

Test(error, long_ids_are_kept_on_one_bounded_line)
{
    char id[4096];
    memset(id, 'x', sizeof id - 1);
    id[sizeof id - 1] = '\0';
    id[100] = '\n';
    iotnet_index ix;
    cr_assert_eq(iotnet_node_find(net, &ix, id), IOTNET_ENOTFOUND);
    const char *msg = iotnet_error_last()->message;
    cr_assert_null(strchr(msg, '\n'), "the message stays on one line");
    cr_assert_gt(strlen(msg), 0);
}

/* ---- return-code names ----------------------------------------------- */

typedef struct code_case {
    int code;
    char name[32]; /* exact text where error.h gives it, else "" (held inline: parameters
                      are copied into the test process) */
} code_case;

ParameterizedTestParameters(error, every_code_has_a_name)
{
    static code_case cases[] = {
        {IOTNET_OK, ""},       {IOTNET_ERROR, ""},  {IOTNET_ENOMEM, ""},
        {IOTNET_EINVAL, ""},   {IOTNET_ENOTFOUND, "not found"},
        {IOTNET_EEXISTS, "already exists"},         {IOTNET_EINUSE, ""},
        {IOTNET_EKIND, ""},    {IOTNET_ETYPE, ""},  {IOTNET_EPARSE, ""},
        {IOTNET_EVALIDATION, ""},                   {IOTNET_EIO, ""},
    };
    return cr_make_param_array(code_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(code_case *p, error, every_code_has_a_name)
{
    const char *name = iotnet_strerror(p->code);
    cr_assert_not_null(name);
    cr_assert_gt(strlen(name), 0, "code %d has an empty name", p->code);
    if (p->name[0])
        cr_assert_str_eq(name, p->name);
}

Test(error, code_names_are_distinct)
{
    const int codes[] = {IOTNET_OK,    IOTNET_ERROR,     IOTNET_ENOMEM,     IOTNET_EINVAL,
                         IOTNET_ENOTFOUND, IOTNET_EEXISTS, IOTNET_EINUSE,  IOTNET_EKIND,
                         IOTNET_ETYPE, IOTNET_EPARSE,    IOTNET_EVALIDATION, IOTNET_EIO};
    const size_t n = sizeof codes / sizeof codes[0];
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            cr_assert_str_neq(iotnet_strerror(codes[i]), iotnet_strerror(codes[j]),
                              "codes %d and %d share a name", codes[i], codes[j]);
}

Test(error, unknown_codes_still_have_a_name)
{
    cr_assert_not_null(iotnet_strerror(-999));
    cr_assert_not_null(iotnet_strerror(42));
    cr_assert_gt(strlen(iotnet_strerror(-999)), 0);
}

/* ---- per thread ------------------------------------------------------ */

typedef struct thread_result {
    int initial_code;
    char initial_message[64];
    int code_after_failure;
    char message[256];
} thread_result;

static void *fail_in_thread(void *arg)
{
    thread_result *r = arg;
    const iotnet_error *e = iotnet_error_last();
    r->initial_code = e->code;
    snprintf(r->initial_message, sizeof r->initial_message, "%s",
             e->message ? e->message : "(null)");
    iotnet_net *own = NULL;
    if (iotnet_net_new(&own) == 0) {
        iotnet_zone_spec z = IOTNET_ZONE_SPEC_INIT;
        z.id = "worker-zone";
        z.kind = "no-such-zone-kind";
        iotnet_zone_add(own, NULL, &z);
        iotnet_net_free(own);
    }
    e = iotnet_error_last();
    r->code_after_failure = e->code;
    snprintf(r->message, sizeof r->message, "%s", e->message ? e->message : "(null)");
    return NULL;
}

Test(error, errors_are_per_thread)
{
    iotnet_index ix;
    cr_assert_eq(iotnet_node_find(net, &ix, "main-thread-id"), IOTNET_ENOTFOUND);

    thread_result r;
    memset(&r, 0, sizeof r);
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, fail_in_thread, &r), 0);
    cr_assert_eq(pthread_join(t, NULL), 0);

    cr_assert_eq(r.initial_code, IOTNET_OK, "a new thread starts without an error");
    cr_assert_str_eq(r.initial_message, "");
    cr_assert_eq(r.code_after_failure, IOTNET_EKIND);
    cr_assert(strstr(r.message, "no-such-zone-kind"), "worker saw \"%s\"", r.message);

    const iotnet_error *e = iotnet_error_last();
    cr_assert_eq(e->code, IOTNET_ENOTFOUND, "another thread's failure left this one alone");
    cr_assert(strstr(e->message, "main-thread-id"), "main thread sees \"%s\"", e->message);
}

#define WORKERS 4
#define ROUNDS 2000

typedef struct worker {
    int id;
    int mismatches;
} worker;

/* Each thread fails repeatedly with its own id and checks it reads back its own message. */
static void *fail_repeatedly(void *arg)
{
    worker *w = arg;
    iotnet_net *own = NULL;
    if (iotnet_net_new(&own) != 0) {
        w->mismatches = -1;
        return NULL;
    }
    char id[32];
    snprintf(id, sizeof id, "worker-%d-node", w->id);
    for (int i = 0; i < ROUNDS; i++) {
        iotnet_index ix;
        int rc = iotnet_node_find(own, &ix, id);
        const iotnet_error *e = iotnet_error_last();
        if (rc != IOTNET_ENOTFOUND || e->code != IOTNET_ENOTFOUND || !strstr(e->message, id))
            w->mismatches++;
    }
    iotnet_net_free(own);
    return NULL;
}

Test(error, concurrent_failures_do_not_mix)
{
    pthread_t t[WORKERS];
    worker w[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        w[i] = (worker){i, 0};
        cr_assert_eq(pthread_create(&t[i], NULL, fail_repeatedly, &w[i]), 0);
    }
    for (int i = 0; i < WORKERS; i++)
        cr_assert_eq(pthread_join(t[i], NULL), 0);
    for (int i = 0; i < WORKERS; i++)
        cr_assert_eq(w[i].mismatches, 0, "worker %d read %d foreign errors", i, w[i].mismatches);
}

/* ---- small helpers ---------------------------------------------------- */

Test(error, string_free_accepts_null)
{
    iotnet_string_free(NULL);
    expect_ok(iotnet_net_new(&other));
    add_camera(other, "cam");
    cr_assert_eq(iotnet_net_equal(net, other, &why), 0);
    cr_assert_not_null(why, "a returned message is the caller's to free");
}
