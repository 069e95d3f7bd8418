/* Shared pieces of the GraphML and DOT writers. */
#ifndef IOTNET_EMIT_INTERNAL_H
#define IOTNET_EMIT_INTERNAL_H

#include "iotnet/emit.h"
#include "iotnet/policy.h"
#include "util.h"

/** GraphML text of a model into *out (malloc'd). */
int iotnet__emit_graphml(const iotnet_net *net, char **out);

/** DOT text of a model into *out (malloc'd). */
int iotnet__emit_dot(const iotnet_net *net, char **out);

/** Append the compact services line of a node (see iotnet_export_services()). */
int iotnet__emit_services(iotnet__buf *b, const iotnet_net *net, iotnet_index node);

/** Append "wan0 203.0.113.7/24; lan0" for a node's interfaces. */
int iotnet__emit_interfaces(iotnet__buf *b, const iotnet_net *net, iotnet_index node);

/** Append a short description of a zone: "home-lan, Purdue 4, SL 2". */
int iotnet__emit_zone_summary(iotnet__buf *b, const iotnet_net *net, iotnet_index zone);

/** Write an ISO 8601 UTC timestamp ("2030-01-01T00:00:00Z") into buf[32]. */
void iotnet__emit_date(char *buf, int64_t seconds);

/** Write a double that reads back to the same value into buf[32]. */
void iotnet__emit_double(char *buf, double value);

/** Write the shortest text that reads back to the same single-precision
 *  value into buf[32]: for columns the model keeps as float (latency). */
void iotnet__emit_float(char *buf, double value);

/**
 * Copy `s` with every byte that is not valid UTF-8, and every control
 * character but tab, newline and carriage return, replaced by '?', so that
 * XML and Graphviz accept it. Returns NULL (ENOMEM recorded) on failure.
 */
char *iotnet__emit_clean_text(const char *s);

/** Whether `s` needs iotnet__emit_clean_text(). */
int iotnet__emit_text_is_clean(const char *s);

#endif
