/* libFuzzer harness: any bytes given to the topology loader, as JSON and as XML,
 * must give a model or an error, never a crash or a leak. */
#include <stddef.h>
#include <stdint.h>

#include "iotnet/iotnet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const iotnet_format formats[] = {IOTNET_FORMAT_JSON, IOTNET_FORMAT_XML};
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
        iotnet_load_options opts = IOTNET_LOAD_OPTIONS_INIT;
        opts.format = formats[i];
        iotnet_net *net = NULL;
        if (iotnet_net_load_data(&net, (const char *)data, size, "fuzz-input", &opts) == 0) {
            char *text = NULL;
            iotnet_save_options save = IOTNET_SAVE_OPTIONS_INIT;
            save.format = formats[i];
            if (iotnet_net_save_data(net, &text, &save) == 0)
                iotnet_string_free(text);
            iotnet_net_free(net);
        }
    }
    return 0;
}
