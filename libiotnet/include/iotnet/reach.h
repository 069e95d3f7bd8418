/**
 * @file reach.h
 * Reachability across the firewall, NAT44 and MUD layers of a model: who can
 * open what towards whom, with which exposure, and which rule decided.
 *
 * Semantics
 * ---------
 * A flow is a new connection (or UDP exchange) opened by a source node
 * towards a destination node on a protocol and destination port. It is
 * possible when some path of links from the source to the destination has
 * every enforcement point on it admitting the flow. Transit nodes (the
 * inner nodes of a path) are nodes of a forwarding kind or of kind internet;
 * a path visits a node at most once.
 *
 * At each node a path crosses, in this order:
 *  1. NAT44, inbound (entering on the outside interface, leaving on an
 *     inside one): unsolicited traffic is dropped unless
 *       - a port forward sends (protocol, external port) to the destination
 *         (or to the next NAT on the way to it), translating the port;
 *       - the destination declares the service with UPnP (NAT has upnp) or
 *         PCP (NAT has pcp) traversal: a pinhole on the same port;
 *       - the destination keeps a hole-punched UDP mapping (service with
 *         hole-punch traversal) and the NAT filters endpoint-independently
 *         (RFC 4787 EIF); address-dependent or address-and-port-dependent
 *         filtering admits only the peer the device talks to, which for any
 *         other source is a reply;
 *     Upstream of a NAT the destination is the NAT node itself (its outside
 *     address, and the external port of a forward). Pinholes and hole-punched
 *     mappings are NAT state that the node's own policy (step 2) does not
 *     filter, as a UPnP daemon inserts its own accept ahead of the rules;
 *     a port forward needs the policy to accept the translated flow.
 *     NAT state exists only when the device made it (see "NAT state" below).
 *     Hairpinning: with hairpinning on, an inside source also reaches a
 *     forward's target through the NAT's outside address.
 *  2. Firewall policy: the first rule whose from and to selectors match the
 *     apparent source and destination, whose protocol and port range match
 *     and whose initiated-by is not "to" decides; otherwise the default
 *     action. Rules with initiated-by "to" describe reply traffic only.
 *     Policies are stateful: replies of an admitted flow pass.
 *  3. MUD (RFC 8520): when the node is the access gateway of a device with a
 *     MUD profile (the nearest enforcement point reached from the device
 *     through forwarding nodes, not across the Internet; every one of them
 *     when several are equally near) and the device is the flow's source
 *     (with its own address there, not translated by a NAT) or its
 *     destination, the device's ACLs must accept the flow's packets in both
 *     directions (MUD ACLs are stateless: the initiating packets and the
 *     replies each need an accepting ACE; anything else is dropped). The
 *     port of the side that opens the flow is ephemeral: an ACE that
 *     restricts it matches only if it admits all of 1024-65535.
 *  4. NAT44, outbound (entering inside, leaving outside): always admitted;
 *     downstream the apparent source is the NAT node (its outside address).
 *
 * The source's and the destination's own policies (a host firewall, or a
 * router's rules for traffic to itself) apply as the flow leaves and
 * arrives, with the apparent source and destination there.
 *
 * NAT state
 * ---------
 * A NAT holds state only for flows the device behind it sends itself, and
 * those flows cross every policy and MUD profile on their way like any other
 * (the device's own policy, the nodes between, MUD while its address is
 * untranslated):
 *   - a hole-punched mapping (RFC 4787 §4.1) exists once the device can send
 *     UDP (to some port) towards the other end of the flow, along the same
 *     path, out through every NAT the path enters from outside; a path with a
 *     NAT on that stretch that the device's UDP would have to enter from
 *     outside holds no mapping;
 *   - a UPnP pinhole exists once the device can open TCP (IGD control, on
 *     any port) to the NAT in front of it, that NAT's own policy for traffic
 *     to itself included; a PCP pinhole once it can send udp/5351 there
 *     (RFC 6887). The multicast discovery before it stays on the link and is
 *     not modelled.
 * The same holds on the way back for the source's own mappings and
 * pinholes. Without that outbound flow the class is at best reply-only.
 *
 * Mixed chains: a path's class is the least open mechanism any NAT on it
 * needed, in whatever order they come. A mapping holds the device's own
 * port, so a NAT further in carries what came through a mapping further out
 * only when it keeps the port: by the device's own mapping, or by a forward
 * whose external and internal ports are the same. A mapping at a CGNAT with
 * a same-port forward at the home router, and a forward at the CGNAT with
 * the device's mapping at home, are both hole-punchable.
 *
 * The internet selector of a rule matches nodes of kind internet or
 * cloud-service and nodes in zones of kind internet-zone or cloud-zone.
 *
 * Exposure classes, from most to least open: direct (no NAT in the way),
 * port-forward, pinhole, hole-punchable, reply-only (the destination can only
 * be reached by replies to flows it opens itself towards the source, by any
 * of the ways above, along the same path backwards; it may hairpin at a NAT
 * on that path only before crossing any other NAT; a flow it could open
 * only along another path, or by hairpinning beyond another NAT, is not
 * looked for), none.
 * A path's class is the least open mechanism any NAT on it needed; a
 * destination's class is the most open over its paths.
 *
 * Engine: the (protocol, port) space is split into atoms, the coarsest
 * intervals every rule, forward, service and MUD entry respects; a decision
 * is a bitset of atoms. Paths from the source are explored once, sharing
 * the chain of enforcement decisions they pass; what lies before a NAT is
 * evaluated once per NAT, not once per device behind it.
 * A model without NAT44 whose transit nodes form cycles (rings, grids,
 * full meshes) is not explored path by path: no flow is translated there,
 * so a walk that comes back to a node meets the same decisions again, the
 * walks between two nodes admit exactly what the simple paths admit, and
 * one fixpoint over the nodes per destination finds it, in O(links x atom
 * words + nodes x one decision) whatever the cycles. A row's path is then
 * a shortest one along which its service passes (for reply-only, one the
 * destination's flow back takes). A model with NAT44 is still explored path
 * by path, which grows with the number of cycles.
 */
#ifndef IOTNET_REACH_H
#define IOTNET_REACH_H

#include "net.h"
#include "policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Exposure classes, ordered from least to most open. */
typedef enum iotnet_exposure {
    IOTNET_EXPOSURE_NONE = 0,
    IOTNET_EXPOSURE_REPLY_ONLY,
    IOTNET_EXPOSURE_HOLE_PUNCHABLE,
    IOTNET_EXPOSURE_PINHOLE,
    IOTNET_EXPOSURE_PORT_FORWARD,
    IOTNET_EXPOSURE_DIRECT
} iotnet_exposure;

/* Names: iotnet_enum_name(IOTNET_ENUM_EXPOSURE, ...) ("direct", "port-forward"...). */

typedef struct iotnet_reach_options {
    unsigned int version;
    /** required: a node id, "zone:ID" (every node of the zone) or "internet"
     *  (every node of kind internet) */
    const char *from;
    /** NULL for every destination, or a node id or "zone:ID" */
    const char *to;
    /** NULL for every service the destinations declare; or "tcp/443",
     *  "udp/53", "icmp": that flow towards every destination (a port from
     *  1 to 65535: port 0 is no service, and is refused as the model
     *  refuses it) */
    const char *service;
    /** also return rows of class none (destinations that cannot be reached) */
    bool include_unreachable;
} iotnet_reach_options;

#define IOTNET_REACH_OPTIONS_VERSION 1
#define IOTNET_REACH_OPTIONS_INIT {IOTNET_REACH_OPTIONS_VERSION, NULL, NULL, NULL, false}

/** A set of reachability rows (opaque). */
typedef struct iotnet_reach_result iotnet_reach_result;

/** One destination service and how the source reaches it. */
typedef struct iotnet_reach_row {
    unsigned int version;
    iotnet_index source;       /**< the source node of the best path (first internet node for "internet") */
    iotnet_index destination;
    /** the destination's service name, or NULL: a flow to an undeclared port
     *  (asked for with options.service), or the host row of a destination
     *  that declares no service (its class is then the best over every
     *  protocol and port) */
    const char *service;
    int protocol;              /**< iotnet_protocol; ANY on a host row */
    uint16_t port;             /**< destination port at the destination; 0 when none */
    iotnet_exposure exposure;
    iotnet_index entry_node;   /**< the node whose address the source sends to (a NAT for forwards
                                    and pinholes), the destination when direct */
    uint16_t entry_port;       /**< the port the source sends to (a forward's external port) */
    const char *via;           /**< the forward's name, or NULL */
    size_t path_length;        /**< nodes on the path, source and destination included; 0 for none */
    const iotnet_index *path;  /**< borrowed from the result */
} iotnet_reach_row;

#define IOTNET_REACH_ROW_VERSION 1

/**
 * Compute what a source can reach: one row per service each destination
 * declares (reply-only when only replies reach it), or one host row for a
 * destination without services; rows of class none only with
 * include_unreachable. The source itself is not a destination (the nodes of
 * a zone source are, for each other). Rows are ordered by destination
 * (table order), then protocol and port.
 * @param[out] out the rows, the caller's; free with iotnet_reach_result_free()
 * @param[in] net the model (not changed)
 * @param[in] opts what to ask
 * @return 0, IOTNET_EINVAL (bad options or service text), IOTNET_ENOTFOUND
 *         (unknown node or zone), IOTNET_ENOMEM. Time O(paths x chain) with
 *         decisions shared between destinations behind the same NAT; in a
 *         cyclic model without NAT44, O(destinations x links x atom words).
 */
int iotnet_reach(iotnet_reach_result **out, const iotnet_net *net, const iotnet_reach_options *opts);

size_t iotnet_reach_count(const iotnet_reach_result *result);
/** The i-th row; strings and path are borrowed from the result. @return 0 or IOTNET_EINVAL */
int iotnet_reach_get(const iotnet_reach_result *result, size_t i, iotnet_reach_row *out);
/** Free a result (NULL-safe). */
void iotnet_reach_result_free(iotnet_reach_result *result);

/* ------------------------------------------------------------------ */
/* Explanations                                                        */

/** Which layer took a decision at a hop. */
typedef enum iotnet_layer {
    IOTNET_LAYER_TRANSIT = 0,  /* a forwarding node with nothing to enforce */
    IOTNET_LAYER_FIREWALL,
    IOTNET_LAYER_NAT,
    IOTNET_LAYER_MUD
} iotnet_layer;

/* Names: iotnet_enum_name(IOTNET_ENUM_LAYER, ...). */

/** One decision on the path. */
typedef struct iotnet_hop {
    unsigned int version;
    iotnet_index node;
    iotnet_layer layer;
    iotnet_action action;      /**< ACCEPT, DROP or REJECT */
    /** the rule, port forward or MUD entry name that decided (borrowed from
     *  the model), or NULL for a default action or NAT state */
    const char *rule;
    const char *detail;        /**< one line for a reader, never NULL */
} iotnet_hop;

#define IOTNET_HOP_VERSION 1

/** An explained flow (opaque). */
typedef struct iotnet_explanation iotnet_explanation;

/**
 * Explain one flow: the best path and each decision on it. When the flow is
 * impossible, the path explained is the one that got furthest, and its last
 * hop is the decision that stopped it; for a reply-only flow one more hop at
 * the destination says that only replies reach it.
 * @param[in] from a node id or "internet"
 * @param[in] to a node id
 * @param[in] service "tcp/443", "udp/53", "icmp" or a service name of `to`
 * @return 0, IOTNET_EINVAL, IOTNET_ENOTFOUND, IOTNET_ENOMEM
 */
int iotnet_explain(iotnet_explanation **out, const iotnet_net *net, const char *from, const char *to,
                   const char *service);
/** The flow's exposure class. */
iotnet_exposure iotnet_explanation_exposure(const iotnet_explanation *ex);
/** The explained path (borrowed) and its length. */
const iotnet_index *iotnet_explanation_path(const iotnet_explanation *ex, size_t *out_length);
size_t iotnet_explanation_hop_count(const iotnet_explanation *ex);
/** The i-th decision; strings borrowed from the explanation. */
int iotnet_explanation_hop(const iotnet_explanation *ex, size_t i, iotnet_hop *out);
void iotnet_explanation_free(iotnet_explanation *ex);

/* ------------------------------------------------------------------ */
/* Zone matrix                                                         */

/** The services one zone can open towards another. */
typedef struct iotnet_zone_flow {
    unsigned int version;
    iotnet_index from_zone;
    iotnet_index to_zone;
    /** canonical services, "tcp/80 tcp/443 udp/53", declared by nodes of
     *  to_zone and reachable from some node of from_zone (borrowed) */
    const char *services;
    /** the subset no declared conduit covers (borrowed); "" when none */
    const char *violations;
    iotnet_index conduit;      /**< a conduit from from_zone to to_zone, or IOTNET_NONE */
} iotnet_zone_flow;

#define IOTNET_ZONE_FLOW_VERSION 1

typedef struct iotnet_zone_matrix iotnet_zone_matrix;

/**
 * For every ordered pair of distinct zones with a reachable service, what
 * flows and which of it no conduit covers (a conduit covers flows from its
 * from-zone to its to-zone on its services, and back when bidirectional).
 * @return 0, IOTNET_ENOMEM
 */
int iotnet_zone_matrix_compute(iotnet_zone_matrix **out, const iotnet_net *net);
size_t iotnet_zone_matrix_count(const iotnet_zone_matrix *m);
int iotnet_zone_matrix_get(const iotnet_zone_matrix *m, size_t i, iotnet_zone_flow *out);
/** Number of pairs with violations. */
size_t iotnet_zone_matrix_violation_count(const iotnet_zone_matrix *m);
void iotnet_zone_matrix_free(iotnet_zone_matrix *m);

#ifdef __cplusplus
}
#endif

#endif
