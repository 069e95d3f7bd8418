/**
 * @file net.h
 * The network model: kinds, zones, conduits, nodes, interfaces, services,
 * lifecycle, links and free typed attributes.
 *
 * Elements live in struct-of-arrays tables addressed by an iotnet_index; ids
 * are interned and found in O(1). Indexes stay valid until the element is
 * removed (removed slots are not reused while the model lives).
 */
#ifndef IOTNET_NET_H
#define IOTNET_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Position of a zone, conduit, node or link in its table. */
typedef uint32_t iotnet_index;
/** A kind (node kind or zone kind) registered in a model. */
typedef uint32_t iotnet_kind;

#define IOTNET_NONE 0xFFFFFFFFu
/** "Not stated" for date and duration fields (seconds). */
#define IOTNET_TIME_UNSET INT64_MIN

/** A network model (opaque). */
typedef struct iotnet_net iotnet_net;

/* ------------------------------------------------------------------ */
/* Enumerations                                                        */

/** IP protocols by their IANA number; ANY matches every protocol. */
typedef enum iotnet_protocol {
    IOTNET_PROTO_ANY = 0,
    IOTNET_PROTO_ICMP = 1,
    IOTNET_PROTO_TCP = 6,
    IOTNET_PROTO_UDP = 17,
    IOTNET_PROTO_SCTP = 132
} iotnet_protocol;

/** A yes/no fact that may be unknown. */
typedef enum iotnet_tristate {
    IOTNET_UNKNOWN = 0,
    IOTNET_NO = 1,
    IOTNET_YES = 2
} iotnet_tristate;

typedef enum iotnet_medium {
    IOTNET_MEDIUM_UNSPECIFIED = 0,
    IOTNET_MEDIUM_ETHERNET,
    IOTNET_MEDIUM_WIFI,
    IOTNET_MEDIUM_BLE,
    IOTNET_MEDIUM_ZIGBEE,
    IOTNET_MEDIUM_THREAD,
    IOTNET_MEDIUM_ZWAVE,
    IOTNET_MEDIUM_LTE,
    IOTNET_MEDIUM_5G,
    IOTNET_MEDIUM_FIBRE,
    IOTNET_MEDIUM_DSL,
    IOTNET_MEDIUM_CABLE,
    IOTNET_MEDIUM_SERIAL,
    IOTNET_MEDIUM_LORAWAN,
    IOTNET_MEDIUM_POWERLINE,
    IOTNET_MEDIUM_VPN,
    IOTNET_MEDIUM_VIRTUAL,
    IOTNET_MEDIUM_INTERNET
} iotnet_medium;

typedef enum iotnet_link_encryption {
    IOTNET_LINKENC_UNSPECIFIED = 0,
    IOTNET_LINKENC_NONE,
    IOTNET_LINKENC_WPA2,
    IOTNET_LINKENC_WPA3,
    IOTNET_LINKENC_MACSEC,
    IOTNET_LINKENC_IPSEC,
    IOTNET_LINKENC_WIREGUARD,
    IOTNET_LINKENC_LINK_LAYER /* e.g. BLE, Zigbee, Thread link-layer security */
} iotnet_link_encryption;

typedef enum iotnet_auth {
    IOTNET_AUTH_UNSPECIFIED = 0,
    IOTNET_AUTH_NONE,
    IOTNET_AUTH_DEFAULT_PASSWORD,
    IOTNET_AUTH_PASSWORD,
    IOTNET_AUTH_CERTIFICATE,
    IOTNET_AUTH_PSK
} iotnet_auth;

typedef enum iotnet_transport {
    IOTNET_TRANSPORT_UNSPECIFIED = 0,
    IOTNET_TRANSPORT_NONE,
    IOTNET_TRANSPORT_TLS1_0,
    IOTNET_TRANSPORT_TLS1_1,
    IOTNET_TRANSPORT_TLS1_2,
    IOTNET_TRANSPORT_TLS1_3,
    IOTNET_TRANSPORT_DTLS1_0,
    IOTNET_TRANSPORT_DTLS1_2,
    IOTNET_TRANSPORT_DTLS1_3,
    IOTNET_TRANSPORT_SSH
} iotnet_transport;

/** How a service asks the NAT in front of it to be reachable from outside. */
typedef enum iotnet_nat_traversal {
    IOTNET_TRAVERSAL_NONE = 0,
    IOTNET_TRAVERSAL_UPNP,       /* UPnP IGD port mapping (pinhole) */
    IOTNET_TRAVERSAL_PCP,        /* Port Control Protocol mapping (pinhole) */
    IOTNET_TRAVERSAL_HOLE_PUNCH  /* keeps an outbound UDP mapping open (STUN/ICE) */
} iotnet_nat_traversal;

typedef enum iotnet_update_mechanism {
    IOTNET_UPDATE_UNSPECIFIED = 0,
    IOTNET_UPDATE_NONE,
    IOTNET_UPDATE_MANUAL,
    IOTNET_UPDATE_AUTOMATIC,
    IOTNET_UPDATE_SUIT
} iotnet_update_mechanism;

typedef enum iotnet_reset_method {
    IOTNET_RESET_UNSPECIFIED = 0,
    IOTNET_RESET_NONE,
    IOTNET_RESET_BUTTON,
    IOTNET_RESET_APP,
    IOTNET_RESET_VENDOR_CLOUD,
    IOTNET_RESET_CONSOLE
} iotnet_reset_method;

typedef enum iotnet_attestation {
    IOTNET_ATTEST_UNSPECIFIED = 0,
    IOTNET_ATTEST_NONE,
    IOTNET_ATTEST_RATS,
    IOTNET_ATTEST_VENDOR
} iotnet_attestation;

/** Which table an attribute belongs to. */
typedef enum iotnet_entity {
    IOTNET_ENTITY_NODE = 0,
    IOTNET_ENTITY_LINK,
    IOTNET_ENTITY_ZONE
} iotnet_entity;

typedef enum iotnet_attr_type {
    IOTNET_ATTR_STRING = 1,
    IOTNET_ATTR_INT,
    IOTNET_ATTR_FLOAT,
    IOTNET_ATTR_BOOL,
    IOTNET_ATTR_DATE,    /* seconds since 1970-01-01T00:00:00Z, in `integer` */
    IOTNET_ATTR_DURATION /* seconds, in `integer` */
} iotnet_attr_type;

/* ------------------------------------------------------------------ */
/* Model                                                               */

/**
 * Create an empty model with the built-in kind vocabulary.
 * @param[out] out the new model, the caller's; free with iotnet_net_free()
 * @return 0 or IOTNET_ENOMEM
 */
int iotnet_net_new(iotnet_net **out);

/** Free a model and everything it owns (NULL-safe). */
void iotnet_net_free(iotnet_net *net);

/**
 * Set or clear (NULL) the model's name, a free label kept in the topology file.
 * @return 0 or IOTNET_ENOMEM
 */
int iotnet_net_set_name(iotnet_net *net, const char *name);

/** The model's name (borrowed, owned by the model), or NULL. */
const char *iotnet_net_name(const iotnet_net *net);

/**
 * Compare two models by content: same elements under the same ids with the
 * same fields, services, attributes, policies and NAT. Table order is ignored.
 * O(n) in the size of the models.
 * @return 1 when equal, 0 when not; when not equal and `why` is not NULL,
 *         *why receives a message naming the first difference (caller frees
 *         it with iotnet_string_free()).
 */
int iotnet_net_equal(const iotnet_net *a, const iotnet_net *b, char **why);

/**
 * Make room for `nodes` more nodes and `links` more links, so that adding
 * them does not grow (and rehash) the tables on the way. Optional; bulk
 * builders and loaders that know their sizes call it first.
 * @return 0 or IOTNET_ENOMEM
 */
int iotnet_net_reserve(iotnet_net *net, size_t nodes, size_t links);

/** Bytes of memory held by the model's tables (approximate, for benchmarks). */
size_t iotnet_net_memory(const iotnet_net *net);

/* ------------------------------------------------------------------ */
/* Kinds: a hierarchy of names (YANG identities)                       */

/** Root of the node-kind hierarchy. */
#define IOTNET_KIND_NODE_ROOT "node-kind"
/** Root of the zone-kind hierarchy. */
#define IOTNET_KIND_ZONE_ROOT "zone-kind"
/** Kinds derived from this one may forward traffic between links (transit). */
#define IOTNET_KIND_FORWARDING "forwarding"

/**
 * Register a kind under a parent kind (a user's extension of the vocabulary).
 * Registering an existing kind with the same parent is not an error.
 * @param[out] out the kind (may be NULL)
 * @param[in] name the kind's name
 * @param[in] parent an existing kind
 * @return 0, IOTNET_EKIND when parent is unknown, IOTNET_EEXISTS when name
 *         exists under another parent
 */
int iotnet_kind_add(iotnet_net *net, iotnet_kind *out, const char *name, const char *parent);

/**
 * Find a kind by name. O(1).
 * @return 0 or IOTNET_EKIND
 */
int iotnet_kind_find(const iotnet_net *net, iotnet_kind *out, const char *name);

/** A kind's name (borrowed), or NULL for an unknown kind. */
const char *iotnet_kind_name(const iotnet_net *net, iotnet_kind kind);

/** A kind's parent, or IOTNET_NONE for a root. */
iotnet_kind iotnet_kind_parent(const iotnet_net *net, iotnet_kind kind);

/** Number of registered kinds; kinds are numbered 0..count-1. */
size_t iotnet_kind_count(const iotnet_net *net);

/** Whether `kind` is `ancestor` or derives from it. O(depth). */
bool iotnet_kind_is_a(const iotnet_net *net, iotnet_kind kind, iotnet_kind ancestor);

/**
 * Is-a by names.
 * @return 1 or 0, or IOTNET_EKIND when either name is unknown
 */
int iotnet_kind_is(const iotnet_net *net, const char *kind, const char *ancestor);

/* ------------------------------------------------------------------ */
/* Zones and conduits                                                  */

typedef struct iotnet_zone_spec {
    unsigned int version;
    const char *id;           /**< required, unique among zones */
    const char *kind;         /**< required, a zone kind */
    const char *description;  /**< optional */
    double purdue_level;      /**< 0..5 in tenths (3.5 for an industrial DMZ); negative when unset */
    uint8_t target_sl;        /**< IEC 62443 target security level 1..4; 0 when unset */
    uint8_t target_sl_fr[7];  /**< per foundational requirement FR1..FR7; 0 = use target_sl */
} iotnet_zone_spec;

#define IOTNET_ZONE_SPEC_VERSION 1
#define IOTNET_ZONE_SPEC_INIT {IOTNET_ZONE_SPEC_VERSION, NULL, NULL, NULL, -1.0, 0, {0, 0, 0, 0, 0, 0, 0}}

/**
 * Add a zone. O(1).
 * @param[out] out the new zone's index (may be NULL)
 * @return 0, IOTNET_EINVAL, IOTNET_EEXISTS, IOTNET_EKIND
 */
int iotnet_zone_add(iotnet_net *net, iotnet_index *out, const iotnet_zone_spec *spec);
/** Find a zone by id. O(1). @return 0 or IOTNET_ENOTFOUND */
int iotnet_zone_find(const iotnet_net *net, iotnet_index *out, const char *id);
/** Fill `out` with the zone's fields; strings are borrowed from the model. */
int iotnet_zone_get(const iotnet_net *net, iotnet_index zone, iotnet_zone_spec *out);
/** Remove a zone. @return 0, IOTNET_ENOTFOUND, or IOTNET_EINUSE while nodes, conduits or rules name it */
int iotnet_zone_remove(iotnet_net *net, iotnet_index zone);
/** Number of zones. */
size_t iotnet_zone_count(const iotnet_net *net);
/** The zone after `prev` (IOTNET_NONE to start), or IOTNET_NONE at the end. */
iotnet_index iotnet_zone_next(const iotnet_net *net, iotnet_index prev);

typedef struct iotnet_conduit_spec {
    unsigned int version;
    const char *id;           /**< required, unique among conduits */
    const char *from_zone;    /**< required zone id */
    const char *to_zone;      /**< required zone id */
    const char *services;     /**< space-separated "tcp/502 udp/47808 icmp"; NULL or "" = any */
    bool bidirectional;       /**< also allows flows initiated from to_zone */
    const char *description;  /**< optional */
} iotnet_conduit_spec;

#define IOTNET_CONDUIT_SPEC_VERSION 1
#define IOTNET_CONDUIT_SPEC_INIT {IOTNET_CONDUIT_SPEC_VERSION, NULL, NULL, NULL, NULL, false, NULL}

/** Add a conduit. @return 0, IOTNET_EINVAL (bad service list), IOTNET_EEXISTS, IOTNET_ENOTFOUND (zone) */
int iotnet_conduit_add(iotnet_net *net, iotnet_index *out, const iotnet_conduit_spec *spec);
int iotnet_conduit_find(const iotnet_net *net, iotnet_index *out, const char *id);
/** Fill `out`; strings are borrowed from the model. */
int iotnet_conduit_get(const iotnet_net *net, iotnet_index conduit, iotnet_conduit_spec *out);
int iotnet_conduit_remove(iotnet_net *net, iotnet_index conduit);
size_t iotnet_conduit_count(const iotnet_net *net);
iotnet_index iotnet_conduit_next(const iotnet_net *net, iotnet_index prev);

/* ------------------------------------------------------------------ */
/* Nodes                                                               */

typedef struct iotnet_node_spec {
    unsigned int version;
    const char *id;             /**< required, unique among nodes */
    const char *kind;           /**< required, a node kind */
    const char *zone;           /**< optional zone id */
    const char *vendor;         /**< optional: manufacturer */
    const char *model;          /**< optional */
    const char *firmware;       /**< optional firmware version */
    const char *implementation; /**< optional product family of an enforcement point */
    const char *mud_url;        /**< optional MUD URL the device emits (RFC 8520) */
    const char *description;    /**< optional */
} iotnet_node_spec;

#define IOTNET_NODE_SPEC_VERSION 1
#define IOTNET_NODE_SPEC_INIT {IOTNET_NODE_SPEC_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}

/**
 * Add a node. Amortised O(1).
 * @param[out] out the new node's index (may be NULL)
 * @return 0, IOTNET_EINVAL (no id/kind), IOTNET_EEXISTS, IOTNET_EKIND (unknown
 *         or not a node kind), IOTNET_ENOTFOUND (zone)
 */
int iotnet_node_add(iotnet_net *net, iotnet_index *out, const iotnet_node_spec *spec);
/** Find a node by id. O(1). @return 0 or IOTNET_ENOTFOUND */
int iotnet_node_find(const iotnet_net *net, iotnet_index *out, const char *id);
/** Fill `out` with the node's fields; strings are borrowed from the model. */
int iotnet_node_get(const iotnet_net *net, iotnet_index node, iotnet_node_spec *out);
/**
 * Change a node's fields (all but its id, which must match). Nothing changes on error.
 * @return 0, IOTNET_EINVAL, IOTNET_EKIND, IOTNET_ENOTFOUND
 */
int iotnet_node_update(iotnet_net *net, iotnet_index node, const iotnet_node_spec *spec);
/**
 * Remove a node with its links, interfaces, services, lifecycle, attributes,
 * policy and NAT. O(degree + rules).
 * @return 0, IOTNET_ENOTFOUND, or IOTNET_EINUSE while a rule or port forward elsewhere names it
 */
int iotnet_node_remove(iotnet_net *net, iotnet_index node);
size_t iotnet_node_count(const iotnet_net *net);
iotnet_index iotnet_node_next(const iotnet_net *net, iotnet_index prev);
/** The node's kind (IOTNET_NONE for a bad index). O(1). */
iotnet_kind iotnet_node_kind(const iotnet_net *net, iotnet_index node);
/** The node's zone, or IOTNET_NONE. O(1). */
iotnet_index iotnet_node_zone(const iotnet_net *net, iotnet_index node);
/** Whether the node's kind is a forwarding (transit) kind. O(depth). */
bool iotnet_node_is_forwarding(const iotnet_net *net, iotnet_index node);
/** The links of a node: the link after `prev` (IOTNET_NONE to start). O(1) per step. */
iotnet_index iotnet_node_next_link(const iotnet_net *net, iotnet_index node, iotnet_index prev);

/* Interfaces ------------------------------------------------------- */

typedef struct iotnet_interface {
    unsigned int version;
    const char *name;     /**< required, unique on the node */
    uint32_t ipv4;        /**< address in host byte order; 0 when none */
    uint8_t prefix_len;   /**< 0..32 */
    const char *description;
} iotnet_interface;

#define IOTNET_INTERFACE_VERSION 1
#define IOTNET_INTERFACE_INIT {IOTNET_INTERFACE_VERSION, NULL, 0, 0, NULL}

/**
 * Parse "a.b.c.d" or "a.b.c.d/len".
 * @return 0 or IOTNET_EINVAL (prefix_len is 32 when no length is given)
 */
int iotnet_ipv4_parse(uint32_t *out_addr, uint8_t *out_prefix_len, const char *text);
/** Write "a.b.c.d/len" (or "a.b.c.d" when prefix_len is 32) into buf[19]. */
void iotnet_ipv4_format(char *buf, uint32_t addr, uint8_t prefix_len);

/** Add an interface to a node. @return 0, IOTNET_EINVAL, IOTNET_EEXISTS, IOTNET_ENOTFOUND */
int iotnet_interface_add(iotnet_net *net, iotnet_index node, const iotnet_interface *iface);
size_t iotnet_interface_count(const iotnet_net *net, iotnet_index node);
/** The i-th interface of a node, in insertion order; strings borrowed. */
int iotnet_interface_get(const iotnet_net *net, iotnet_index node, size_t i, iotnet_interface *out);
/** Remove an interface. @return 0, IOTNET_ENOTFOUND, IOTNET_EINUSE while a link or NAT names it */
int iotnet_interface_remove(iotnet_net *net, iotnet_index node, const char *name);

/* Services --------------------------------------------------------- */

typedef struct iotnet_service {
    unsigned int version;
    const char *name;                  /**< required, unique on the node */
    int protocol;                      /**< an iotnet_protocol */
    uint16_t port;                     /**< 0 for none (e.g. ICMP) */
    iotnet_auth authentication;
    iotnet_transport transport;
    const char *cipher_suites;         /**< space-separated IANA names, or NULL */
    bool management;                   /**< a management interface (web UI, SSH...) */
    iotnet_nat_traversal nat_traversal;
} iotnet_service;

#define IOTNET_SERVICE_VERSION 1
#define IOTNET_SERVICE_INIT {IOTNET_SERVICE_VERSION, NULL, IOTNET_PROTO_TCP, 0, IOTNET_AUTH_UNSPECIFIED, IOTNET_TRANSPORT_UNSPECIFIED, NULL, false, IOTNET_TRAVERSAL_NONE}

/** Add a service to a node. @return 0, IOTNET_EINVAL, IOTNET_EEXISTS, IOTNET_ENOTFOUND */
int iotnet_service_add(iotnet_net *net, iotnet_index node, const iotnet_service *svc);
size_t iotnet_service_count(const iotnet_net *net, iotnet_index node);
/** The i-th service of a node, in insertion order; strings borrowed. */
int iotnet_service_get(const iotnet_net *net, iotnet_index node, size_t i, iotnet_service *out);
int iotnet_service_remove(iotnet_net *net, iotnet_index node, const char *name);

/* Lifecycle -------------------------------------------------------- */

typedef struct iotnet_lifecycle {
    unsigned int version;
    int64_t certificate_not_after;     /**< date (s since epoch) or IOTNET_TIME_UNSET */
    int64_t signed_artifact_lifetime;  /**< how long signed SBOM/firmware must verify, s, or IOTNET_TIME_UNSET */
    int64_t end_of_support;            /**< date or IOTNET_TIME_UNSET */
    iotnet_update_mechanism update_mechanism;
    const char *owner;                 /**< current owner, or NULL */
    iotnet_tristate ownership_statement;
    iotnet_reset_method reset_method;
    iotnet_tristate vendor_cloud_dependency;
    iotnet_tristate credentials_escrowed;
    iotnet_attestation attestation;
} iotnet_lifecycle;

#define IOTNET_LIFECYCLE_VERSION 1
#define IOTNET_LIFECYCLE_INIT {IOTNET_LIFECYCLE_VERSION, IOTNET_TIME_UNSET, IOTNET_TIME_UNSET, IOTNET_TIME_UNSET, IOTNET_UPDATE_UNSPECIFIED, NULL, IOTNET_UNKNOWN, IOTNET_RESET_UNSPECIFIED, IOTNET_UNKNOWN, IOTNET_UNKNOWN, IOTNET_ATTEST_UNSPECIFIED}

/** Set (replace) a node's lifecycle facts. */
int iotnet_lifecycle_set(iotnet_net *net, iotnet_index node, const iotnet_lifecycle *lc);
/** Whether a node has lifecycle facts. O(1). */
bool iotnet_lifecycle_exists(const iotnet_net *net, iotnet_index node);
/**
 * A node's lifecycle facts; strings borrowed.
 * @return 0, or IOTNET_ENOTFOUND when the node has none (out is then all unset)
 */
int iotnet_lifecycle_get(const iotnet_net *net, iotnet_index node, iotnet_lifecycle *out);

/* ------------------------------------------------------------------ */
/* Links                                                               */

typedef struct iotnet_link_spec {
    unsigned int version;
    const char *id;           /**< required, unique among links */
    const char *a;            /**< required node id */
    const char *a_interface;  /**< optional interface of a */
    const char *b;            /**< required node id */
    const char *b_interface;  /**< optional interface of b */
    iotnet_medium medium;
    double latency_ms;        /**< one-way latency in whole microseconds (at most 3 decimals),
                                   below 1e15; negative when unset */
    iotnet_link_encryption encryption;
    const char *description;
} iotnet_link_spec;

#define IOTNET_LINK_SPEC_VERSION 1
#define IOTNET_LINK_SPEC_INIT {IOTNET_LINK_SPEC_VERSION, NULL, NULL, NULL, NULL, NULL, IOTNET_MEDIUM_UNSPECIFIED, -1.0, IOTNET_LINKENC_UNSPECIFIED, NULL}

/**
 * Add a link between two nodes. Amortised O(1).
 * @return 0, IOTNET_EINVAL (missing field, a == b), IOTNET_EEXISTS,
 *         IOTNET_ENOTFOUND (node or interface)
 */
int iotnet_link_add(iotnet_net *net, iotnet_index *out, const iotnet_link_spec *spec);
/**
 * Add a link whose endpoints are given by index (spec->a and spec->b are
 * ignored): what bulk builders use, as they hold the indexes iotnet_node_add
 * returned and need no id lookups. Same checks and errors as iotnet_link_add().
 */
int iotnet_link_add_between(iotnet_net *net, iotnet_index *out, const iotnet_link_spec *spec,
                            iotnet_index a, iotnet_index b);
int iotnet_link_find(const iotnet_net *net, iotnet_index *out, const char *id);
/** Fill `out`; strings are borrowed from the model. */
int iotnet_link_get(const iotnet_net *net, iotnet_index link, iotnet_link_spec *out);
/** The two endpoint nodes of a link. O(1). */
int iotnet_link_ends(const iotnet_net *net, iotnet_index link, iotnet_index *out_a, iotnet_index *out_b);
int iotnet_link_remove(iotnet_net *net, iotnet_index link);
size_t iotnet_link_count(const iotnet_net *net);
iotnet_index iotnet_link_next(const iotnet_net *net, iotnet_index prev);

/* ------------------------------------------------------------------ */
/* Free typed attributes                                               */

/** An attribute value. `string` for STRING; `integer` for INT, DATE and
 *  DURATION; `real` for FLOAT; `boolean` for BOOL. */
typedef struct iotnet_value {
    iotnet_attr_type type;
    const char *string;
    int64_t integer;
    double real;
    bool boolean;
} iotnet_value;

/**
 * Set an attribute. Attributes are stored column-wise: a key has one type per
 * table, fixed by its first value. What a topology file cannot hold is
 * refused here, so that every model saves and loads back exactly: a float
 * must be finite (any finite double is kept to the bit), a duration 0 s or
 * more, a date in the years 0000 to 9999.
 * @return 0, IOTNET_EINVAL (also for such a value: the message names the
 *         element, the attribute and the accepted range), IOTNET_ENOTFOUND
 *         (element), IOTNET_ETYPE (the key's column holds another type)
 */
int iotnet_attr_set(iotnet_net *net, iotnet_entity entity, iotnet_index index,
                    const char *key, const iotnet_value *value);
/** Get an attribute; strings borrowed. @return 0 or IOTNET_ENOTFOUND */
int iotnet_attr_get(const iotnet_net *net, iotnet_entity entity, iotnet_index index,
                    const char *key, iotnet_value *out);
/** Remove an attribute. @return 0 or IOTNET_ENOTFOUND */
int iotnet_attr_unset(iotnet_net *net, iotnet_entity entity, iotnet_index index, const char *key);
/**
 * Iterate an element's attributes: start with *cursor = 0.
 * @param[out] out_key the key (borrowed)
 * @return 1 while an attribute was returned, 0 at the end, negative on error
 */
int iotnet_attr_next(const iotnet_net *net, iotnet_entity entity, iotnet_index index,
                     size_t *cursor, const char **out_key, iotnet_value *out);

/** Attribute type name ("string", "int", "float", "bool", "date", "duration"). */
const char *iotnet_attr_type_name(iotnet_attr_type type);

#ifdef __cplusplus
}
#endif

#endif
