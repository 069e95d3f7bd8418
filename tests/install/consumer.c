/* A program written as a C user writes one against an installed libiotnet:
 * load a model, analyse it with the bundled catalogs, say what was found.
 * tests/python/test_make_install.py builds it with the installed iotnet.pc. */
#include <iotnet/iotnet.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: consumer MODEL\n");
        return 2;
    }
    iotnet_net *net = NULL;
    iotnet_catalog *cat = NULL;
    iotnet_findings *findings = NULL;
    int error = iotnet_net_load(&net, argv[1], NULL);
    if (!error)
        error = iotnet_catalog_default(&cat);
    if (!error)
        error = iotnet_analyze(&findings, net, cat, NULL);
    if (error)
        fprintf(stderr, "consumer: %s\n", iotnet_error_last()->message);
    else
        printf("iotnet %s, data %s: %zu threats, %zu findings\n", iotnet_version(), iotnet_data_dir(),
               iotnet_catalog_threat_count(cat), iotnet_findings_count(findings));
    iotnet_findings_free(findings);
    iotnet_catalog_free(cat);
    iotnet_net_free(net);
    return error ? 1 : 0;
}
