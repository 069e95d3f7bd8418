/**
 * @file emit.h
 * Writing the model for other tools: GraphML (NetworkX, yEd, Gephi),
 * Graphviz DOT, and SVG drawn by Graphviz inside the library; optionally
 * with what the Internet reaches and the open findings marked on it.
 */
#ifndef IOTNET_EMIT_H
#define IOTNET_EMIT_H

#include "eval.h"
#include "net.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum iotnet_export_format {
    IOTNET_EXPORT_GRAPHML = 1,
    IOTNET_EXPORT_DOT,
    IOTNET_EXPORT_SVG
} iotnet_export_format;

/** What an export marks on the model besides its own facts. */
typedef struct iotnet_export_options {
    unsigned int version;
    /** what the Internet reaches: one iotnet_reach() from "internet"; nothing
     *  is marked when the model has no node of kind internet */
    bool exposure;
    /** findings of this model (borrowed, kept by the caller) whose open ones
     *  are marked on their nodes, links and zones; NULL for none */
    const iotnet_findings *findings;
    /** SVG: draw every node of a model larger than IOTNET_EXPORT_SVG_DETAIL_MAX_NODES
     *  nodes or IOTNET_EXPORT_SVG_DETAIL_MAX_LINKS links (up to
     *  IOTNET_EXPORT_SVG_MAX_NODES), however long the layout takes; false
     *  draws such a model as its zone view */
    bool full;
} iotnet_export_options;

#define IOTNET_EXPORT_OPTIONS_VERSION 1
#define IOTNET_EXPORT_OPTIONS_INIT {IOTNET_EXPORT_OPTIONS_VERSION, false, NULL, false}

/** SVG draws every node of models up to this many nodes and
 *  IOTNET_EXPORT_SVG_DETAIL_MAX_LINKS links: dot lays out a generated model
 *  of 1,000 nodes and 1,500 links in under a second, 2,000 nodes in about
 *  three and 3,000 in about eight. Larger models are drawn as their zone
 *  view unless iotnet_export_options.full asks for every node. */
#define IOTNET_EXPORT_SVG_DETAIL_MAX_NODES 1000
#define IOTNET_EXPORT_SVG_DETAIL_MAX_LINKS 2000

/** The zone view takes at most this many zones and edges (conduits, and
 *  pairs of zones joined by links): dot lays out the zone view of a
 *  generated model of 10,000 nodes (1,168 zones, 1,623 edges) in about a
 *  second. */
#define IOTNET_EXPORT_SVG_ZONE_VIEW_MAX_ZONES 2000
#define IOTNET_EXPORT_SVG_ZONE_VIEW_MAX_EDGES 4000

/** SVG is laid out by Graphviz's dot in the library; models with more nodes
 *  than this are refused even in full (export DOT and use a layout for
 *  large graphs). */
#define IOTNET_EXPORT_SVG_MAX_NODES 5000

/**
 * Render a model as GraphML, DOT or SVG.
 *
 * GraphML (read by NetworkX, yEd, Gephi): an undirected graph whose nodes and
 * edges carry one typed <key> per fact. Node keys: id, kind, family
 * (internet, forwarding, device, cloud-service or other), zone, vendor,
 * model, firmware, implementation, mud_url, description, forwarding,
 * enforcement (has a policy or NAT44), mud_gateway (the access gateway that
 * enforces some device's MUD profile), policy_default, policy_rules (their
 * number) and rules ("lan-out: zone:lan -> internet tcp/80-443
 * initiated-by=from accept; ..."), nat, nat_inside, nat_outside,
 * nat_mapping, nat_filtering, nat_hairpinning, nat_upnp, nat_pcp, nat_cgnat,
 * port_forwards (their number) and forwards ("cam-web tcp/8080 -> cam:80"),
 * services (see iotnet_export_services()), interfaces ("wan0
 * 203.0.113.7/24; lan0 \"main LAN\""), mud_aces (the attached MUD
 * profile's entries: "ACL/ACE from-device dnsname:cloud.example tcp/443
 * accept; ..."), and the lifecycle facts certificate_not_after,
 * signed_artifact_lifetime, end_of_support, update_mechanism, owner,
 * ownership_statement, reset_method, vendor_cloud_dependency,
 * credentials_escrowed, attestation. Descriptions of interfaces and rules
 * follow them in double quotes (with \" and \\ escaped). Edge keys: id, a,
 * a_interface, b, b_interface (the link's ends, which an undirected reader
 * may swap as source and target), medium, latency_ms, encryption,
 * description. Every free attribute becomes a key named "attr.<name>" of its
 * column's type: string, long, double or boolean; dates are ISO 8601 text in
 * UTC ("2030-01-01T00:00:00Z") and durations are seconds as long, as are the
 * lifecycle fields of those types. The graph carries the model's name, a
 * "zones" line ("lan (home-lan, Purdue 4, SL 2 (FR1 SL 3)) \"main LAN\";
 * ...") and a "conduits" line ("lan-iot: lan -> iot tcp/443 icmp
 * bidirectional; ..."); the free attributes of zones and conduits and the
 * risk decisions stay in the topology file. Facts that are not stated are
 * left out rather than written empty.
 *
 * DOT (Graphviz): zones are clusters labelled with their kind, Purdue level
 * and security level; nodes are shaped by kind family (forwarding boxes,
 * device ellipses, cloud-service cylinders, the Internet an octagon);
 * enforcement points (firewall policy, NAT44, MUD gateway) have a double
 * red border and label lines for what they enforce; links are labelled with
 * their medium, dashed when radio. Link labels are external (xlabel): dot
 * makes a label proper a node of its own in the middle of the edge, and
 * with clusters its placement fails ("trouble in init_rank") on models of
 * a hundred nodes and more.
 *
 * SVG: the DOT laid out by Graphviz's dot and rendered in the library (no
 * external program); text is measured with Graphviz's built-in font
 * metrics. A model of more than IOTNET_EXPORT_SVG_DETAIL_MAX_NODES nodes or
 * IOTNET_EXPORT_SVG_DETAIL_MAX_LINKS links is drawn as its zone view, so
 * that a drawing takes a few seconds at most: one box per zone with its
 * kind, Purdue and security level and how many nodes and links it holds (a
 * box "(no zone)" for the nodes without one), the conduits between zones
 * (bold blue, arrows towards the zone they open, both ways when
 * bidirectional, labelled with their id and services), and one grey edge
 * per pair of zones joined by links, labelled with their number; with the
 * marks, a zone is filled with the most open exposure among its nodes and
 * counts the open findings on it and on its nodes. The drawing's title
 * (graph name and label) ends in "(zone view)" and says why. A model with
 * more than IOTNET_EXPORT_SVG_ZONE_VIEW_MAX_ZONES zones or
 * IOTNET_EXPORT_SVG_ZONE_VIEW_MAX_EDGES edges between them fails with
 * IOTNET_EINVAL; iotnet_export_ext()
 * with full draws every node up to IOTNET_EXPORT_SVG_MAX_NODES nodes, and
 * more nodes than that are refused. DOT export always holds every node.
 * Any error Graphviz reports fails the export with its message (IOTNET_ERROR,
 * "Graphviz could not lay out the drawing: ...").
 *
 * The same model gives byte-identical GraphML and DOT (and SVG, for one
 * Graphviz version). O(nodes + links + services + attributes) for GraphML
 * and DOT; SVG adds the layout, roughly quadratic in the nodes.
 * @param[in] net the model
 * @param[in] format IOTNET_EXPORT_GRAPHML, _DOT or _SVG
 * @param[out] out the text, the caller's (iotnet_string_free())
 * @return 0, IOTNET_EINVAL (arguments, a model too large for SVG even as its zone view),
 *         IOTNET_ENOMEM, IOTNET_ERROR (Graphviz failed; the message says why)
 */
int iotnet_export(const iotnet_net *net, iotnet_export_format format, char **out);

/**
 * Render to a file, written atomically: iotnet_export() to a path.
 * @return 0, IOTNET_EINVAL, IOTNET_ENOMEM, IOTNET_ERROR, IOTNET_EIO
 */
int iotnet_export_file(const iotnet_net *net, iotnet_export_format format, const char *path);

/**
 * iotnet_export() with marks on what the Internet reaches and on open
 * findings.
 *
 * With opts->exposure, every node but the Internet's own gets its exposure
 * class towards the Internet, the most open over its services (direct,
 * port-forward, pinhole, hole-punchable, reply-only or none; see reach.h),
 * and the services the Internet can open unsolicited (above reply-only) as
 * "web tcp/80 port-forward via router:8080; ssh tcp/22 direct". With
 * opts->findings, every node counts the open findings on it and on its
 * services, every link and zone those on it, with the highest residual
 * risk among them (findings on conduits are not drawn).
 *
 * DOT and SVG fill each node with the colour of its exposure class, list its
 * exposed services and open findings in its label, colour links with open
 * findings, and add a legend to the graph's label. GraphML adds the node
 * keys exposure, exposed_services, open_findings and max_residual_risk (long;
 * the last only where some finding is open) and the edge keys open_findings
 * and max_residual_risk; the graph carries "exposure_source" ("internet", or
 * "" when the model has no internet node, in which case no node has an
 * exposure).
 * @param[out] out the text, the caller's (iotnet_string_free())
 * @param[in] net the model
 * @param[in] format IOTNET_EXPORT_GRAPHML, _DOT or _SVG
 * @param[in] opts NULL for IOTNET_EXPORT_OPTIONS_INIT (a plain export)
 * @return as iotnet_export(); also IOTNET_EINVAL for an unknown options
 *         version or a finding whose target this model lacks, and what
 *         iotnet_reach() returns. Time: the export plus one iotnet_reach()
 *         from the Internet and O(findings).
 */
int iotnet_export_ext(char **out, const iotnet_net *net, iotnet_export_format format,
                      const iotnet_export_options *opts);

/**
 * iotnet_export_ext() written atomically to a file.
 * @return as iotnet_export_ext(), and IOTNET_EIO
 */
int iotnet_export_file_ext(const iotnet_net *net, iotnet_export_format format, const char *path,
                           const iotnet_export_options *opts);

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
