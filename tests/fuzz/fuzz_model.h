/* What the harnesses over fuzzed models share: loading the input as a
 * topology (its format found from its content), the nodes to ask about,
 * and the bundled catalog. */
#ifndef FUZZ_MODEL_H
#define FUZZ_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "iotnet/iotnet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a model, or NULL when it does not load (which is fine). */
static inline iotnet_net *fuzz_load_model(const uint8_t *data, size_t size)
{
    iotnet_load_options opts = IOTNET_LOAD_OPTIONS_INIT;
    iotnet_net *net = NULL;
    if (iotnet_net_load_data(&net, (const char *)data, size, "fuzz-input", &opts) != 0)
        return NULL;
    return net;
}

/* The id of the first node in table order, or NULL for a model without nodes. */
static inline const char *fuzz_first_node(const iotnet_net *net)
{
    iotnet_index node = iotnet_node_next(net, IOTNET_NONE);
    iotnet_node_spec spec;
    if (node == IOTNET_NONE || iotnet_node_get(net, node, &spec) != 0)
        return NULL;
    return spec.id;
}

/* The id of the last node in table order, or NULL. */
static inline const char *fuzz_last_node(const iotnet_net *net)
{
    iotnet_index last = IOTNET_NONE;
    for (iotnet_index n = iotnet_node_next(net, IOTNET_NONE); n != IOTNET_NONE; n = iotnet_node_next(net, n))
        last = n;
    iotnet_node_spec spec;
    if (last == IOTNET_NONE || iotnet_node_get(net, last, &spec) != 0)
        return NULL;
    return spec.id;
}

/* The bundled catalog, loaded once: analyses only read it (const), so
 * sharing it keeps no state between inputs; it stays reachable, so the
 * leak checker does not count it. Aborts when it does not load, as every
 * later input would be tested against nothing. */
static inline const iotnet_catalog *fuzz_default_catalog(void)
{
    static iotnet_catalog *cat;
    if (!cat && iotnet_catalog_default(&cat) != 0)
        abort();
    return cat;
}

/* Findings of the model against the bundled catalog at a fixed "now", so
 * that the same input gives the same findings; NULL when analyze fails. */
static inline iotnet_findings *fuzz_analyze(const iotnet_net *net)
{
    iotnet_analyze_options opts = IOTNET_ANALYZE_OPTIONS_INIT;
    opts.include_not_applicable = true;
    opts.now = 1796083200; /* 2026-12-01 */
    iotnet_findings *findings = NULL;
    if (iotnet_analyze(&findings, net, fuzz_default_catalog(), &opts) != 0)
        return NULL;
    return findings;
}

#endif
