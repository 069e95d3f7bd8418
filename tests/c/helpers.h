/* Shared helpers for the Criterion suites. */
#ifndef IOTNET_TEST_HELPERS_H
#define IOTNET_TEST_HELPERS_H

#include <criterion/criterion.h>
#include <string.h>
#include <unistd.h>

#include "iotnet/iotnet.h"

/* Assert that `expr` returned `code` and the last error's message contains `needle`. */
#define expect_error(expr, code, needle)                                                     \
    do {                                                                                     \
        int rc_ = (expr);                                                                    \
        cr_assert_eq(rc_, (code), "%s returned %d (%s), expected %d; message: %s", #expr,    \
                     rc_, iotnet_strerror(rc_), (code), iotnet_error_last()->message);       \
        cr_assert(strstr(iotnet_error_last()->message, (needle)) != NULL,                    \
                  "message \"%s\" lacks \"%s\"", iotnet_error_last()->message, (needle));    \
    } while (0)

/* Assert that `expr` succeeded, printing the last error when it did not. */
#define expect_ok(expr)                                                                      \
    do {                                                                                     \
        int rc_ = (expr);                                                                    \
        cr_assert_eq(rc_, 0, "%s failed: %d %s", #expr, rc_, iotnet_error_last()->message);  \
    } while (0)

/* Assert that a string is `want`, or absent when `want` is NULL. */
static inline void expect_str(const char *got, const char *want)
{
    if (!want)
        cr_assert_null(got, "expected no value, got \"%s\"", got);
    else
        cr_assert(got && strcmp(got, want) == 0, "got \"%s\", expected \"%s\"", got ? got : "(null)", want);
}

/* Assert that iotnet_net_equal() finds two models the same, printing its reason when not. */
static inline void expect_models_equal(const iotnet_net *a, const iotnet_net *b)
{
    char *why = NULL;
    int same = iotnet_net_equal(a, b, &why);
    cr_assert_eq(same, 1, "models differ: %s", why ? why : "?");
    iotnet_string_free(why);
}

/* Assert that iotnet_net_equal() finds two models different, with `needle` in its reason. */
static inline void expect_models_differ(const iotnet_net *a, const iotnet_net *b, const char *needle)
{
    char *why = NULL;
    cr_assert_eq(iotnet_net_equal(a, b, &why), 0, "models should differ (%s)", needle);
    cr_assert(why && strstr(why, needle), "difference \"%s\" lacks \"%s\"", why ? why : "(null)", needle);
    iotnet_string_free(why);
}

/* A model saved as text (iotnet_string_free() it); `yang_path` may be NULL. */
static inline char *save_model_text(const iotnet_net *n, iotnet_format format, const char *yang_path)
{
    iotnet_save_options so = IOTNET_SAVE_OPTIONS_INIT;
    so.format = format;
    so.yang_path = yang_path;
    char *text = NULL;
    expect_ok(iotnet_net_save_data(n, &text, &so));
    cr_assert_not_null(text);
    return text;
}

/* A model loaded from text named "saved" (iotnet_net_free() it); `yang_path` may be NULL. */
static inline iotnet_net *load_model_text(const char *text, const char *yang_path)
{
    iotnet_load_options lo = IOTNET_LOAD_OPTIONS_INIT;
    lo.yang_path = yang_path;
    iotnet_net *n = NULL;
    expect_ok(iotnet_net_load_data(&n, text, strlen(text), "saved", &lo));
    return n;
}

/* Add a node in a zone with a vendor (each may be NULL) to `n`, failing the test on error. */
static inline void add_vendor_node(iotnet_net *n, const char *id, const char *kind, const char *zone,
                                   const char *vendor)
{
    iotnet_node_spec spec = IOTNET_NODE_SPEC_INIT;
    spec.id = id;
    spec.kind = kind;
    spec.zone = zone;
    spec.vendor = vendor;
    expect_ok(iotnet_node_add(n, NULL, &spec));
}

/* Under AddressSanitizer, fail the test when memory it allocated is no longer
 * reachable: Criterion reports a test passed before LeakSanitizer's check at
 * the worker's exit, so the check runs here. Without ASan it checks nothing. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
static inline void expect_no_leaks(void)
{
    cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "memory leaked (LeakSanitizer's report is above)");
}
#else
static inline void expect_no_leaks(void)
{
}
#endif

/* Whether ../shared (the corpus, reference modules) is beside the checkout. */
static inline int shared_available(void)
{
    return access(IOTNET_SHARED_DIR "/corpus", R_OK) == 0;
}

#endif
