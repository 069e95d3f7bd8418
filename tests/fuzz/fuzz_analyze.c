/* libFuzzer harness: every model that loads must evaluate against the
 * bundled catalog, with and without the not-applicable threats, and give
 * the SoA of a framework, or fail with an error; never crash or leak. */
#include "fuzz_model.h"

static void read_findings(const iotnet_findings *findings)
{
    for (size_t i = 0; i < iotnet_findings_count(findings); i++) {
        iotnet_finding f;
        f.version = IOTNET_FINDING_VERSION;
        (void)iotnet_findings_get(findings, i, &f);
    }
    size_t summary[5];
    iotnet_findings_summary(findings, summary);
}

static void open_only(const iotnet_net *net)
{
    iotnet_analyze_options opts = IOTNET_ANALYZE_OPTIONS_INIT;
    opts.now = 1796083200;
    iotnet_findings *findings = NULL;
    if (iotnet_analyze(&findings, net, fuzz_default_catalog(), &opts) == 0) {
        read_findings(findings);
        iotnet_findings_free(findings);
    }
}

static void compliance(const iotnet_net *net)
{
    iotnet_compliance *c = NULL;
    if (iotnet_compliance_compute(&c, net, fuzz_default_catalog(), "iec62443-3-3", NULL) != 0)
        return;
    char *soa = NULL;
    if (iotnet_compliance_soa(c, &soa) == 0)
        iotnet_string_free(soa);
    iotnet_compliance_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    iotnet_net *net = fuzz_load_model(data, size);
    if (!net)
        return 0;
    iotnet_findings *findings = fuzz_analyze(net);
    if (findings) {
        read_findings(findings);
        iotnet_findings_free(findings);
    }
    open_only(net);
    compliance(net);
    iotnet_net_free(net);
    return 0;
}
