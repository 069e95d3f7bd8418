/* libFuzzer harness: any bytes given to the MUD loader, strict and lenient,
 * must give a profile or an error, never a crash or a leak; a profile must
 * attach to a device and survive a save of the model. */
#include <stddef.h>
#include <stdint.h>

#include "iotnet/iotnet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void attach_and_save(const iotnet_mud *mud)
{
    iotnet_net *net = NULL;
    iotnet_node_spec spec = IOTNET_NODE_SPEC_INIT;
    spec.id = "device";
    spec.kind = "iot-device";
    iotnet_index node;
    if (iotnet_net_new(&net) == 0 && iotnet_node_add(net, &node, &spec) == 0 &&
        iotnet_node_mud_attach(net, node, mud) == 0) {
        char *text = NULL;
        if (iotnet_net_save_data(net, &text, NULL) == 0)
            iotnet_string_free(text);
    }
    iotnet_net_free(net);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int lenient = 0; lenient <= 1; lenient++) {
        iotnet_mud_load_options opts = IOTNET_MUD_LOAD_OPTIONS_INIT;
        opts.lenient = lenient;
        iotnet_mud *mud = NULL;
        if (iotnet_mud_loads(&mud, (const char *)data, size, "fuzz-input", &opts) == 0) {
            for (size_t i = 0; i < iotnet_mud_change_count(mud); i++)
                (void)iotnet_mud_change(mud, i);
            attach_and_save(mud);
            iotnet_mud_free(mud);
        }
    }
    return 0;
}
