/**
 * @file mud.h
 * Manufacturer Usage Descriptions (RFC 8520) with their access lists
 * (RFC 8519): load and validate MUD files with the ietf-mud, ietf-acldns and
 * ietf-access-control-list modules, and attach a profile to a device.
 *
 * A loaded profile is flattened into access-control entries (ACEs): one per
 * ACE of the ACLs the profile's from-device-policy and to-device-policy
 * name, in order, with the MUD abstractions kept as peers that the
 * reachability engine resolves against the model:
 *   manufacturer      nodes whose MUD URL has this authority (host)
 *   same-manufacturer nodes whose MUD URL has the device's authority
 *   model             nodes whose MUD URL is this URI
 *   local-networks    nodes not on the internet side (see reach.h)
 *   controller        nodes whose string attribute "mud-controller" lists this URI
 *   my-controller     nodes whose "mud-controller" lists the device's MUD URL
 *   dnsname           nodes whose string attribute "dns-name" lists this name
 *                     (src-dnsname / dst-dnsname of ietf-acldns)
 *   cidr              nodes with an interface inside the IPv4 network
 *
 * An entry's fields, as the loader fills them:
 *  - ports are inclusive ranges; 0..0 is any port, which is also what an
 *    ACE that states no port gets (the model has no ephemeral range: a
 *    reply ACE naming only the server's source port leaves the client's
 *    port open). eq p is p..p, lte p is 0..p, gte p is p..65535, a range is
 *    lower..upper; neq p becomes two entries with the same names, 0..p-1
 *    and p+1..65535. A range of port 0 alone matches no flow of the model
 *    and its ACE is left out.
 *  - protocol is the IANA number (icmp 1, tcp 6, udp 17, sctp 132), or
 *    ANY when the ACE names none; a tcp, udp or icmp match implies it;
 *    ICMPv6 (58) in an IPv6 ACL is icmp. ACEs of other protocols are left out.
 *  - one peer per entry: a MUD abstraction of the ietf-mud:mud match
 *    container wins over a DNS name, which wins over an IPv4 network; the
 *    rest are ignored. The device's own side (the source of from-device
 *    packets, the destination of to-device ones) is not kept.
 *  - initiated is the TCP direction-initiated: FROM_DEVICE when the device
 *    opens the connection, TO_DEVICE when the peer does; MUD ACLs are
 *    stateless, so the replies of a connection have entries of their own.
 * Everything the loader leaves out or widens is listed by iotnet_mud_note().
 */
#ifndef IOTNET_MUD_H
#define IOTNET_MUD_H

#include "net.h"
#include "policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Which of a device's policies an ACE belongs to; also direction-initiated. */
typedef enum iotnet_mud_direction {
    IOTNET_MUD_DIRECTION_ANY = 0,   /* direction-initiated not stated */
    IOTNET_MUD_FROM_DEVICE,
    IOTNET_MUD_TO_DEVICE
} iotnet_mud_direction;

/** The other end of an ACE (the destination of from-device packets, the source of to-device ones). */
typedef enum iotnet_mud_peer {
    IOTNET_MUD_PEER_ANY = 0,
    IOTNET_MUD_PEER_DNSNAME,
    IOTNET_MUD_PEER_CIDR,
    IOTNET_MUD_PEER_MANUFACTURER,
    IOTNET_MUD_PEER_SAME_MANUFACTURER,
    IOTNET_MUD_PEER_MODEL,
    IOTNET_MUD_PEER_LOCAL_NETWORKS,
    IOTNET_MUD_PEER_CONTROLLER,
    IOTNET_MUD_PEER_MY_CONTROLLER
} iotnet_mud_peer;

/** One access-control entry of a profile. */
typedef struct iotnet_mud_ace {
    unsigned int version;
    const char *acl;                 /**< the ACL's name */
    const char *name;                /**< the ACE's name */
    iotnet_mud_direction policy;     /**< FROM_DEVICE or TO_DEVICE */
    iotnet_mud_peer peer;
    const char *peer_value;          /**< name, URI or CIDR; NULL for ANY, SAME_MANUFACTURER,
                                          LOCAL_NETWORKS, MY_CONTROLLER */
    int protocol;                    /**< iotnet_protocol; ANY when the ACE names none */
    uint16_t src_port_lo, src_port_hi; /**< source-port range; 0..0 = any */
    uint16_t dst_port_lo, dst_port_hi; /**< destination-port range; 0..0 = any */
    iotnet_mud_direction initiated;  /**< TCP direction-initiated, or ANY */
    iotnet_action action;            /**< ACCEPT, DROP or REJECT */
} iotnet_mud_ace;

#define IOTNET_MUD_ACE_VERSION 1
#define IOTNET_MUD_ACE_INIT {IOTNET_MUD_ACE_VERSION, NULL, NULL, IOTNET_MUD_FROM_DEVICE, IOTNET_MUD_PEER_ANY, NULL, IOTNET_PROTO_ANY, 0, 0, 0, 0, IOTNET_MUD_DIRECTION_ANY, IOTNET_ACTION_ACCEPT}

/** The profile's own facts (the ietf-mud:mud container). */
typedef struct iotnet_mud_info {
    unsigned int version;
    const char *mud_url;             /**< required */
    const char *last_update;         /**< as written, or NULL */
    const char *systeminfo;
    const char *mfg_name;
    const char *model_name;
    const char *documentation;
    int cache_validity;              /**< hours; 0 when not stated */
    iotnet_tristate is_supported;
} iotnet_mud_info;

#define IOTNET_MUD_INFO_VERSION 1

/** A loaded MUD profile (opaque). */
typedef struct iotnet_mud iotnet_mud;

typedef struct iotnet_mud_load_options {
    unsigned int version;
    /** accept files written against the draft ACL model and normalise the
     *  known differences before validating (the access-lists root, ethertype
     *  strings such as "0x0800", the identity ethernet-acl-type, Ethernet
     *  matches in an IPv4/IPv6-typed ACL when no ACL has an Ethernet type,
     *  host addresses without a prefix length), recording each change */
    bool lenient;
    /** extra directories with YANG modules (extension modules), ':'-separated; NULL for none */
    const char *yang_path;
    size_t max_bytes;                /**< as in iotnet_load_options; 0 for the default limit */
} iotnet_mud_load_options;

#define IOTNET_MUD_LOAD_OPTIONS_VERSION 1
#define IOTNET_MUD_LOAD_OPTIONS_INIT {IOTNET_MUD_LOAD_OPTIONS_VERSION, false, NULL, 0}

/**
 * Load and validate a MUD file (JSON, RFC 7951) with the ietf-mud,
 * ietf-acldns and ietf-access-control-list modules of the bundled YANG
 * directory ($IOTNET_YANG_DIR, else the data directory's yang/, see
 * library.h) and those of opts->yang_path, then flatten its ACLs. O(size of the file).
 * @param[out] out the profile, the caller's; free with iotnet_mud_free(); NULL on error
 * @param[in] path the file
 * @param[in] opts options, or NULL for a strict load with the default size limit
 * @return 0, IOTNET_EIO, IOTNET_EPARSE, IOTNET_EVALIDATION (the message names
 *         the file, the line where known, the data path and what was
 *         expected; a pre-RFC construct or a missing extension module is
 *         named), IOTNET_EINVAL (bad arguments, or larger than max_bytes),
 *         IOTNET_ENOMEM
 */
int iotnet_mud_load(iotnet_mud **out, const char *path, const iotnet_mud_load_options *opts);
/**
 * Same from memory.
 * @param[out] out the profile, the caller's (iotnet_mud_free())
 * @param[in] data the text (need not be NUL-terminated; NUL bytes are refused)
 * @param[in] length its length in bytes
 * @param[in] name a label for messages, or NULL for "<data>"
 * @param[in] opts options, or NULL for defaults
 * @return as iotnet_mud_load()
 */
int iotnet_mud_loads(iotnet_mud **out, const char *data, size_t length, const char *name,
                     const iotnet_mud_load_options *opts);
/** Free a profile (NULL-safe). */
void iotnet_mud_free(iotnet_mud *mud);

/**
 * The profile's facts. O(1).
 * @param[out] out filled; strings borrowed from the profile
 * @return 0 or IOTNET_EINVAL
 */
int iotnet_mud_get_info(const iotnet_mud *mud, iotnet_mud_info *out);
/** Number of entries (0 for NULL). O(1). */
size_t iotnet_mud_ace_count(const iotnet_mud *mud);
/**
 * The i-th entry: from-device entries first, each policy's ACLs in the order
 * the policy names them, their ACEs in order. O(1).
 * @param[out] out filled; strings borrowed from the profile
 * @return 0, IOTNET_ENOTFOUND (i out of range) or IOTNET_EINVAL
 */
int iotnet_mud_ace_get(const iotnet_mud *mud, size_t i, iotnet_mud_ace *out);
/**
 * What a lenient load changed in the text before validating it: number of
 * changes and each as one line naming the data path (borrowed from the
 * profile), e.g. "ethertype "0x0800" at /ietf-access-control-list:acls/...
 * written as 2048". A strict load has none.
 */
size_t iotnet_mud_change_count(const iotnet_mud *mud);
const char *iotnet_mud_change(const iotnet_mud *mud, size_t i);
/**
 * What flattening could not keep exactly, each as one line starting with the
 * data path of the ACE or ACL (borrowed): entries left out because they can
 * only match traffic the model has none of (IP protocols other than icmp,
 * tcp, udp and sctp; an IPv6 network as the peer; non-IP ethertypes; ACLs no
 * policy names), conditions ignored so the entry matches more (ICMP type and
 * code, MAC addresses, other header fields, the device's own address, a
 * second peer), and `neq` ports written as two entries.
 */
size_t iotnet_mud_note_count(const iotnet_mud *mud);
const char *iotnet_mud_note(const iotnet_mud *mud, size_t i);

/**
 * Attach a copy of a profile to a device, replacing any earlier one, and
 * set the node's MUD URL to the profile's. The profile is saved with the
 * model (a mud-profile container under the node) and enforced at the
 * device's access gateway. The caller keeps `mud`. On error the model is
 * unchanged. O(entries).
 * @return 0, IOTNET_ENOTFOUND (no such node), IOTNET_EINVAL, IOTNET_ENOMEM
 */
int iotnet_node_mud_attach(iotnet_net *net, iotnet_index node, const iotnet_mud *mud);
/** Remove a node's profile; the node keeps its MUD URL. @return 0 or IOTNET_ENOTFOUND (none attached) */
int iotnet_node_mud_detach(iotnet_net *net, iotnet_index node);
/** Whether a node has a profile. O(1). */
bool iotnet_node_mud_exists(const iotnet_net *net, iotnet_index node);
/** A node's profile facts; strings borrowed from the model. O(1). @return 0 or IOTNET_ENOTFOUND */
int iotnet_node_mud_info(const iotnet_net *net, iotnet_index node, iotnet_mud_info *out);
/** Number of entries of a node's profile (0 without one). O(1). */
size_t iotnet_node_mud_ace_count(const iotnet_net *net, iotnet_index node);
/**
 * The i-th entry of a node's profile, in the order of iotnet_mud_ace_get(). O(1).
 * @param[out] out filled; strings borrowed from the model
 * @return 0, IOTNET_ENOTFOUND (no profile, or i out of range), IOTNET_EINVAL
 */
int iotnet_node_mud_ace_get(const iotnet_net *net, iotnet_index node, size_t i, iotnet_mud_ace *out);
/**
 * Add one ACE to a node's profile (building a profile by hand; the node
 * needs a MUD URL or an attached profile: without a profile, one with the
 * node's MUD URL and no other facts is created). The entry needs a name, a
 * policy FROM_DEVICE or TO_DEVICE, a peer_value exactly for the peers that
 * name something (a CIDR must parse), a known protocol and action, and
 * non-empty port ranges. Strings are copied. On error nothing is added.
 * @return 0, IOTNET_EINVAL, IOTNET_ENOTFOUND, IOTNET_ENOMEM
 */
int iotnet_node_mud_add_ace(iotnet_net *net, iotnet_index node, const iotnet_mud_ace *ace);

#ifdef __cplusplus
}
#endif

#endif
