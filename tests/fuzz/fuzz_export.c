/* libFuzzer harness: every model that loads must export as GraphML, DOT and
 * SVG, plain and with its exposure and findings marked, or fail with an
 * error; never crash or leak. */
#include "fuzz_model.h"

/* Graphviz's layout time grows fast with the nodes: larger models are
 * exported as GraphML and DOT only, so each input stays quick. */
#define FUZZ_SVG_MAX_NODES 60

static void export_all(const iotnet_net *net, const iotnet_export_options *opts)
{
    static const iotnet_export_format formats[] = {IOTNET_EXPORT_GRAPHML, IOTNET_EXPORT_DOT, IOTNET_EXPORT_SVG};
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
        if (formats[i] == IOTNET_EXPORT_SVG && iotnet_node_count(net) > FUZZ_SVG_MAX_NODES)
            continue;
        char *text = NULL;
        if (iotnet_export_ext(&text, net, formats[i], opts) == 0)
            iotnet_string_free(text);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    iotnet_net *net = fuzz_load_model(data, size);
    if (!net)
        return 0;
    export_all(net, NULL);
    iotnet_findings *findings = fuzz_analyze(net);
    iotnet_export_options marked = IOTNET_EXPORT_OPTIONS_INIT;
    marked.exposure = true;
    marked.findings = findings;
    export_all(net, &marked);
    for (iotnet_index n = iotnet_node_next(net, IOTNET_NONE); n != IOTNET_NONE; n = iotnet_node_next(net, n)) {
        char *services = NULL;
        if (iotnet_export_services(net, n, &services) == 0)
            iotnet_string_free(services);
    }
    iotnet_findings_free(findings);
    iotnet_net_free(net);
    return 0;
}
