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
 *
 * GraphML (read by NetworkX, yEd, Gephi): an undirected graph whose nodes and
 * edges carry one typed <key> per fact. Node keys: id, kind, family
 * (internet, forwarding, device, cloud-service or other), zone, vendor,
 * model, firmware, implementation, mud_url, description, forwarding,
 * enforcement (has a policy or NAT44), policy_default, policy_rules, nat,
 * nat_mapping, nat_filtering, nat_upnp, nat_pcp, nat_cgnat, port_forwards,
 * services (see iotnet_export_services()), interfaces ("wan0
 * 203.0.113.7/24; lan0"), and the lifecycle facts certificate_not_after,
 * signed_artifact_lifetime, end_of_support, update_mechanism, owner,
 * ownership_statement, reset_method, vendor_cloud_dependency,
 * credentials_escrowed, attestation. Edge keys: id, a, a_interface, b,
 * b_interface (the link's ends, which an undirected reader may swap as
 * source and target), medium, latency_ms, encryption, description. Every free
 * attribute becomes a key named "attr.<name>" of its column's type: string,
 * long, double or boolean; dates are ISO 8601 text in UTC
 * ("2030-01-01T00:00:00Z") and durations are seconds as long, as are the
 * lifecycle fields of those types. The graph carries the model's name and a
 * "zones" line ("lan (home-lan, Purdue 4, SL 2); ..."). Facts that are not
 * stated are left out rather than written empty.
 *
 * DOT (Graphviz): zones are clusters, nodes are shaped by kind family
 * (forwarding boxes, device ellipses, cloud-service cylinders, the Internet
 * an octagon), enforcement points have a double border and label lines for
 * their policy and NAT44, links are labelled with their medium.
 *
 * O(nodes + links + services + attributes).
 * @param[out] out the text, the caller's (iotnet_string_free())
 * @return 0, IOTNET_EINVAL, IOTNET_ENOMEM
 */
int iotnet_export(const iotnet_net *net, iotnet_export_format format, char **out);

/**
 * Render to a file, written atomically.
 * @return 0, IOTNET_EINVAL, IOTNET_EIO
 */
int iotnet_export_file(const iotnet_net *net, iotnet_export_format format, const char *path);

/**
 * A node's services as one compact line, the form used in GraphML and CSV:
 * "web-ui tcp/443 auth=default-password transport=tls1.2 management;
 * dns udp/53 auth=none; ping icmp". Facts that are not stated are left out;
 * cipher suites follow as "ciphers=A,B" and NAT traversal as "traversal=upnp".
 * @param[in] net the model
 * @param[in] node the node
 * @param[out] out the text ("" for a node without services), the caller's
 *             (iotnet_string_free())
 * @return 0, IOTNET_ENOTFOUND (node), IOTNET_ENOMEM
 */
int iotnet_export_services(const iotnet_net *net, iotnet_index node, char **out);

/**
 * The family of a node kind, by the built-in roots it derives from.
 * @param[in] net the model
 * @param[in] kind a kind of the model
 * @return a static string: "internet", "forwarding", "device",
 *         "cloud-service", or "other" (also for an unknown kind)
 */
const char *iotnet_export_kind_family(const iotnet_net *net, iotnet_kind kind);

#ifdef __cplusplus
}
#endif

#endif
