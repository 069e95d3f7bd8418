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

/* Whether ../shared (the corpus, reference modules) is beside the checkout. */
static inline int shared_available(void)
{
    return access(IOTNET_SHARED_DIR "/corpus", R_OK) == 0;
}

#endif
