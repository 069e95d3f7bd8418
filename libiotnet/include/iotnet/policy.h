/**
 * @file policy.h
 * Enforcement configuration held by the model: firewall policies (ordered
 * rules with a default action) and NAT44 (RFC 4787 behaviour, port forwards).
 * Their traffic semantics belong to the reachability engine.
 */
#ifndef IOTNET_POLICY_H
#define IOTNET_POLICY_H

#include "net.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum iotnet_action {
    IOTNET_ACTION_ACCEPT = 1,
    IOTNET_ACTION_DROP,
    IOTNET_ACTION_REJECT
} iotnet_action;

/** What a rule's from/to side matches. */
typedef enum iotnet_selector_type {
    IOTNET_SELECT_ANY = 0,   /* every source or destination */
    IOTNET_SELECT_ZONE,      /* nodes in a zone (value: zone id) */
    IOTNET_SELECT_NODE,      /* one node (value: node id) */
    IOTNET_SELECT_KIND,      /* nodes whose kind is-a value */
    IOTNET_SELECT_CIDR,      /* interface addresses inside an IPv4 prefix */
    IOTNET_SELECT_INTERNET   /* nodes of kind internet and everything beyond */
} iotnet_selector_type;

typedef struct iotnet_selector {
    iotnet_selector_type type;
    const char *value;       /**< NULL for ANY and INTERNET */
} iotnet_selector;

/** Which side must have opened the connection for a rule to match. */
typedef enum iotnet_initiated {
    IOTNET_INITIATED_ANY = 0,
    IOTNET_INITIATED_FROM,   /* new flows opened by the rule's from side */
    IOTNET_INITIATED_TO      /* traffic of flows the to side opened (replies) */
} iotnet_initiated;

typedef struct iotnet_rule {
    unsigned int version;
    const char *name;        /**< required, unique within the policy */
    iotnet_selector from;
    iotnet_selector to;
    int protocol;            /**< an iotnet_protocol; ANY matches all */
    uint16_t port_lo;        /**< destination port range; 0..0 = any */
    uint16_t port_hi;
    iotnet_initiated initiated_by;
    iotnet_action action;
    const char *description;
} iotnet_rule;

#define IOTNET_RULE_VERSION 1
#define IOTNET_RULE_INIT {IOTNET_RULE_VERSION, NULL, {IOTNET_SELECT_ANY, NULL}, {IOTNET_SELECT_ANY, NULL}, IOTNET_PROTO_ANY, 0, 0, IOTNET_INITIATED_ANY, IOTNET_ACTION_ACCEPT, NULL}

/**
 * Give a node a policy (or change its default action). The node becomes an
 * enforcement point.
 * @return 0, IOTNET_ENOTFOUND, IOTNET_EINVAL
 */
int iotnet_policy_set_default(iotnet_net *net, iotnet_index node, iotnet_action default_action);
/** Whether a node has a policy. */
bool iotnet_policy_exists(const iotnet_net *net, iotnet_index node);
/** A node's default action. @return 0 or IOTNET_ENOTFOUND (no policy) */
int iotnet_policy_get_default(const iotnet_net *net, iotnet_index node, iotnet_action *out);
/**
 * Append a rule to a node's policy (creating a drop-by-default policy if the
 * node has none). Selectors naming a zone, node or kind must exist.
 * @return 0, IOTNET_EINVAL (bad port range, CIDR), IOTNET_EEXISTS (name),
 *         IOTNET_ENOTFOUND (node, zone), IOTNET_EKIND
 */
int iotnet_policy_add_rule(iotnet_net *net, iotnet_index node, const iotnet_rule *rule);
size_t iotnet_policy_rule_count(const iotnet_net *net, iotnet_index node);
/** The i-th rule of a node's policy, in order; strings borrowed. */
int iotnet_policy_get_rule(const iotnet_net *net, iotnet_index node, size_t i, iotnet_rule *out);
/** Remove a node's policy and its rules. @return 0 or IOTNET_ENOTFOUND */
int iotnet_policy_remove(iotnet_net *net, iotnet_index node);

/* ------------------------------------------------------------------ */
/* NAT44                                                               */

/** RFC 4787 section 4.1 mapping behaviour. */
typedef enum iotnet_nat_mapping {
    IOTNET_NAT_MAPPING_EI = 1,   /* endpoint-independent */
    IOTNET_NAT_MAPPING_AD,       /* address-dependent */
    IOTNET_NAT_MAPPING_APD       /* address-and-port-dependent */
} iotnet_nat_mapping;

/** RFC 4787 section 5 filtering behaviour. */
typedef enum iotnet_nat_filtering {
    IOTNET_NAT_FILTER_EI = 1,    /* endpoint-independent */
    IOTNET_NAT_FILTER_AD,        /* address-dependent */
    IOTNET_NAT_FILTER_APD        /* address-and-port-dependent */
} iotnet_nat_filtering;

typedef struct iotnet_nat {
    unsigned int version;
    const char *inside;          /**< required: space-separated inside interface names */
    const char *outside;         /**< required: the outside interface name */
    iotnet_nat_mapping mapping;
    iotnet_nat_filtering filtering;
    bool hairpinning;            /**< inside hosts reach forwards via the outside address */
    bool upnp;                   /**< accepts UPnP IGD mapping requests from inside */
    bool pcp;                    /**< accepts PCP (RFC 6887) mapping requests from inside */
    bool cgnat;                  /**< carrier-grade (shared address space, RFC 6598) */
} iotnet_nat;

#define IOTNET_NAT_VERSION 1
#define IOTNET_NAT_INIT {IOTNET_NAT_VERSION, NULL, NULL, IOTNET_NAT_MAPPING_EI, IOTNET_NAT_FILTER_APD, false, false, false, false}

/**
 * Configure NAT44 on a node (replacing an earlier configuration but keeping
 * its port forwards). Interfaces must exist on the node.
 * @return 0, IOTNET_EINVAL, IOTNET_ENOTFOUND (node or interface)
 */
int iotnet_nat_set(iotnet_net *net, iotnet_index node, const iotnet_nat *nat);
/** Whether a node has NAT44. O(1). */
bool iotnet_nat_exists(const iotnet_net *net, iotnet_index node);
/** A node's NAT44; strings borrowed. @return 0 or IOTNET_ENOTFOUND */
int iotnet_nat_get(const iotnet_net *net, iotnet_index node, iotnet_nat *out);
/** Remove NAT44 and its port forwards from a node. */
int iotnet_nat_remove(iotnet_net *net, iotnet_index node);

typedef struct iotnet_port_forward {
    unsigned int version;
    const char *name;            /**< required, unique on the NAT */
    int protocol;                /**< TCP, UDP or ANY */
    uint16_t external_port;      /**< required, 1..65535 */
    const char *to_node;         /**< required inside node id */
    uint16_t internal_port;      /**< 0 = same as external */
} iotnet_port_forward;

#define IOTNET_PORT_FORWARD_VERSION 1
#define IOTNET_PORT_FORWARD_INIT {IOTNET_PORT_FORWARD_VERSION, NULL, IOTNET_PROTO_TCP, 0, NULL, 0}

/** Add a port forward to a node's NAT. @return 0, IOTNET_EINVAL, IOTNET_EEXISTS, IOTNET_ENOTFOUND */
int iotnet_nat_add_forward(iotnet_net *net, iotnet_index node, const iotnet_port_forward *fwd);
size_t iotnet_nat_forward_count(const iotnet_net *net, iotnet_index node);
int iotnet_nat_get_forward(const iotnet_net *net, iotnet_index node, size_t i, iotnet_port_forward *out);

#ifdef __cplusplus
}
#endif

#endif
