/**
 * @file emit.h
 * Writing the model for other tools: GraphML (NetworkX, yEd, Gephi) and
 * Graphviz DOT.
 */
#ifndef IOTNET_EMIT_H
#define IOTNET_EMIT_H

#include "net.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum iotnet_export_format {
    IOTNET_EXPORT_GRAPHML = 1,
    IOTNET_EXPORT_DOT
} iotnet_export_format;

/**
 * Render a model as GraphML or DOT.
 * @param[out] out the text, the caller's (iotnet_string_free())
 * @return 0, IOTNET_EINVAL, IOTNET_ENOMEM
 */
int iotnet_export(const iotnet_net *net, iotnet_export_format format, char **out);

/**
 * Render to a file, written atomically.
 * @return 0, IOTNET_EINVAL, IOTNET_EIO
 */
int iotnet_export_file(const iotnet_net *net, iotnet_export_format format, const char *path);

#ifdef __cplusplus
}
#endif

#endif
