/* libFuzzer harness: any bytes given to the catalog loader must load or
 * fail with an error, never crash or leak; a failed load leaves the set as
 * it was, and whatever loads must evaluate against a small model. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "iotnet/iotnet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char CONTROLS[] =
    "<controls xmlns='urn:libiotnet:catalog' framework='test'><control id='1'>One</control></controls>";

static void evaluate(const iotnet_catalog *cat)
{
    iotnet_net *net = NULL;
    iotnet_node_spec spec = IOTNET_NODE_SPEC_INIT;
    iotnet_service svc = IOTNET_SERVICE_INIT;
    iotnet_index node;
    spec.id = "device";
    spec.kind = "camera";
    svc.name = "web";
    svc.port = 80;
    if (iotnet_net_new(&net) == 0 && iotnet_node_add(net, &node, &spec) == 0 &&
        iotnet_service_add(net, node, &svc) == 0) {
        iotnet_analyze_options o = IOTNET_ANALYZE_OPTIONS_INIT;
        o.include_not_applicable = true;
        o.now = 1796083200;
        iotnet_findings *f = NULL;
        if (iotnet_analyze(&f, net, cat, &o) == 0)
            for (size_t i = 0; i < iotnet_findings_count(f); i++) {
                iotnet_finding x;
                (void)iotnet_findings_get(f, i, &x);
            }
        iotnet_findings_free(f);
    }
    iotnet_net_free(net);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    iotnet_catalog *cat = NULL;
    if (iotnet_catalog_new(&cat) != 0)
        return 0;
    (void)iotnet_catalog_loads(cat, CONTROLS, strlen(CONTROLS), "controls");
    size_t threats = iotnet_catalog_threat_count(cat);
    if (iotnet_catalog_loads(cat, (const char *)data, size, "fuzz-input") == 0) {
        for (size_t i = 0; i < iotnet_catalog_threat_count(cat); i++) {
            iotnet_threat_info t;
            (void)iotnet_catalog_threat(cat, i, &t);
        }
        evaluate(cat);
    } else if (iotnet_catalog_threat_count(cat) != threats) {
        __builtin_trap(); /* a failed load must add nothing */
    }
    iotnet_catalog_free(cat);
    return 0;
}
