/* libFuzzer harness: on every model that loads, what the Internet and the
 * first node reach, one flow explained and the zone matrix must compute or
 * fail with an error; never crash or leak. */
#include "fuzz_model.h"

static void reach_from(const iotnet_net *net, const char *from, const char *service)
{
    iotnet_reach_options opts = IOTNET_REACH_OPTIONS_INIT;
    opts.from = from;
    opts.service = service;
    opts.include_unreachable = true;
    iotnet_reach_result *rows = NULL;
    if (iotnet_reach(&rows, net, &opts) != 0)
        return;
    for (size_t i = 0; i < iotnet_reach_count(rows); i++) {
        iotnet_reach_row row;
        row.version = IOTNET_REACH_ROW_VERSION;
        (void)iotnet_reach_get(rows, i, &row);
    }
    iotnet_reach_result_free(rows);
}

/* The first node to the last, on the last node's first service (the flow a
 * reader asks about most), else on tcp/443. */
static void explain_one(const iotnet_net *net)
{
    const char *from = fuzz_first_node(net), *to = fuzz_last_node(net);
    if (!from || !to)
        return;
    iotnet_index dest;
    iotnet_service svc = IOTNET_SERVICE_INIT;
    const char *service = "tcp/443";
    if (iotnet_node_find(net, &dest, to) == 0 && iotnet_service_get(net, dest, 0, &svc) == 0 && svc.name)
        service = svc.name;
    iotnet_explanation *ex = NULL;
    if (iotnet_explain(&ex, net, from, to, service) != 0)
        return;
    (void)iotnet_explanation_exposure(ex);
    size_t length;
    (void)iotnet_explanation_path(ex, &length);
    for (size_t i = 0; i < iotnet_explanation_hop_count(ex); i++) {
        iotnet_hop hop;
        hop.version = IOTNET_HOP_VERSION;
        (void)iotnet_explanation_hop(ex, i, &hop);
    }
    iotnet_explanation_free(ex);
}

static void zone_matrix(const iotnet_net *net)
{
    iotnet_zone_matrix *m = NULL;
    if (iotnet_zone_matrix_compute(&m, net) != 0)
        return;
    for (size_t i = 0; i < iotnet_zone_matrix_count(m); i++) {
        iotnet_zone_flow flow;
        flow.version = IOTNET_ZONE_FLOW_VERSION;
        (void)iotnet_zone_matrix_get(m, i, &flow);
    }
    (void)iotnet_zone_matrix_violation_count(m);
    iotnet_zone_matrix_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    iotnet_net *net = fuzz_load_model(data, size);
    if (!net)
        return 0;
    reach_from(net, "internet", NULL);
    reach_from(net, "internet", "tcp/80");
    const char *first = fuzz_first_node(net);
    if (first)
        reach_from(net, first, NULL);
    explain_one(net);
    zone_matrix(net);
    iotnet_net_free(net);
    return 0;
}
