/* libFuzzer harness: two fuzzed models must compare, by content and by what
 * each source reaches in both, or fail with an error; never crash or leak.
 * The input holds the old and the new model split at FUZZ_DIFF_SEPARATOR;
 * without one, the new model is the old one without its first link and
 * its first node, so that every seed of one model compares with a change. */
#include <stdio.h>
#include <string.h>

#include "fuzz_model.h"

#define FUZZ_DIFF_SEPARATOR "\n----\n"

static const uint8_t *find_separator(const uint8_t *data, size_t size)
{
    size_t n = strlen(FUZZ_DIFF_SEPARATOR);
    for (size_t i = 0; i + n <= size; i++)
        if (memcmp(data + i, FUZZ_DIFF_SEPARATOR, n) == 0)
            return data + i;
    return NULL;
}

/* The old model, changed: a removal may be refused (a rule names the
 * node), which leaves the model as it was. */
static void change(iotnet_net *net)
{
    iotnet_index link = iotnet_link_next(net, IOTNET_NONE);
    if (link != IOTNET_NONE)
        (void)iotnet_link_remove(net, link);
    iotnet_index node = iotnet_node_next(net, IOTNET_NONE);
    if (node != IOTNET_NONE)
        (void)iotnet_node_remove(net, node);
}

/* What `from` reaches in both models, row against row as a diff pairs them. */
static void compare_reach(const iotnet_net *a, const iotnet_net *b, const char *from)
{
    iotnet_reach_options opts = IOTNET_REACH_OPTIONS_INIT;
    opts.from = from;
    iotnet_reach_result *ra = NULL, *rb = NULL;
    if (iotnet_reach(&ra, a, &opts) != 0)
        ra = NULL;
    if (iotnet_reach(&rb, b, &opts) != 0)
        rb = NULL;
    for (size_t i = 0; ra && rb && i < iotnet_reach_count(ra); i++) {
        iotnet_reach_row x, y;
        x.version = y.version = IOTNET_REACH_ROW_VERSION;
        if (iotnet_reach_get(ra, i, &x) != 0)
            continue;
        for (size_t j = 0; j < iotnet_reach_count(rb); j++)
            if (iotnet_reach_get(rb, j, &y) == 0 && x.protocol == y.protocol && x.port == y.port)
                (void)(x.exposure == y.exposure);
    }
    iotnet_reach_result_free(ra);
    iotnet_reach_result_free(rb);
}

/* The sources a diff compares: internet and every zone of either model. */
static void diff(const iotnet_net *a, const iotnet_net *b)
{
    char *why = NULL;
    if (iotnet_net_equal(a, b, &why) == 0)
        iotnet_string_free(why);
    if (iotnet_net_equal(a, a, NULL) != 1)
        __builtin_trap(); /* a model equals itself */
    compare_reach(a, b, "internet");
    const iotnet_net *both[2] = {a, b};
    for (size_t m = 0; m < 2; m++)
        for (iotnet_index z = iotnet_zone_next(both[m], IOTNET_NONE); z != IOTNET_NONE;
             z = iotnet_zone_next(both[m], z)) {
            iotnet_zone_spec spec;
            if (iotnet_zone_get(both[m], z, &spec) != 0)
                continue;
            char source[256];
            if ((size_t)snprintf(source, sizeof source, "zone:%s", spec.id) < sizeof source)
                compare_reach(a, b, source);
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *sep = find_separator(data, size);
    size_t old_size = sep ? (size_t)(sep - data) : size;
    iotnet_net *old_net = fuzz_load_model(data, old_size);
    if (!old_net)
        return 0;
    iotnet_net *new_net;
    if (sep) {
        size_t skip = old_size + strlen(FUZZ_DIFF_SEPARATOR);
        new_net = fuzz_load_model(data + skip, size - skip);
    } else {
        new_net = fuzz_load_model(data, size);
        if (new_net)
            change(new_net);
    }
    if (new_net) {
        diff(old_net, new_net);
        iotnet_net_free(new_net);
    }
    iotnet_net_free(old_net);
    return 0;
}
