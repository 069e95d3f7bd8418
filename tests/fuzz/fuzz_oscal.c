/* libFuzzer harness: the findings of every model that loads must write as
 * OSCAL assessment results, in JSON and XML, for every framework and for
 * one, or fail with an error; never crash or leak. */
#include "fuzz_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    iotnet_net *net = fuzz_load_model(data, size);
    if (!net)
        return 0;
    iotnet_findings *findings = fuzz_analyze(net);
    if (findings) {
        static const iotnet_oscal_format formats[] = {IOTNET_OSCAL_JSON, IOTNET_OSCAL_XML};
        static const char *const frameworks[] = {NULL, "iec62443-3-3"};
        for (size_t f = 0; f < sizeof formats / sizeof *formats; f++)
            for (size_t w = 0; w < sizeof frameworks / sizeof *frameworks; w++) {
                iotnet_oscal_options opts = IOTNET_OSCAL_OPTIONS_INIT;
                opts.format = formats[f];
                opts.now = 1796083200;
                opts.framework = frameworks[w];
                char *text = NULL;
                if (iotnet_oscal_assessment_results(&text, net, fuzz_default_catalog(), findings, &opts) == 0)
                    iotnet_string_free(text);
            }
        iotnet_findings_free(findings);
    }
    iotnet_net_free(net);
    return 0;
}
