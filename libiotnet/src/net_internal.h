/* The model's tables, shared by the modules that implement net.h and policy.h. */
#ifndef IOTNET_NET_INTERNAL_H
#define IOTNET_NET_INTERNAL_H

#include "iotnet/net.h"
#include "iotnet/names.h"
#include "iotnet/policy.h"
#include "strpool.h"

/* Growable vectors of plain structs (services, interfaces, rules...). */
#define IOTNET__VEC(type) struct { type *items; uint32_t count, cap; }

typedef struct kind_table {
    iotnet__str *name;
    uint32_t *parent;
    uint32_t count, cap;
    iotnet__idmap by_name;
} kind_table;

typedef struct zone_table {
    iotnet__str *id, *description;
    uint32_t *kind;
    float *purdue;
    uint8_t *target_sl;
    uint8_t (*target_sl_fr)[7];
    uint8_t *alive;
    uint32_t count, cap, live;
    iotnet__idmap by_id;
} zone_table;

typedef struct conduit_table {
    iotnet__str *id, *services, *description;
    uint32_t *from, *to;
    uint8_t *bidirectional, *alive;
    uint32_t count, cap, live;
    iotnet__idmap by_id;
} conduit_table;

/* Node fields are columns; the optional parts (services, interfaces,
 * lifecycle, policy, NAT) are found through per-node heads into side tables. */
typedef struct node_table {
    iotnet__str *id, *vendor, *model, *firmware, *implementation, *mud_url, *description;
    uint16_t *kind;
    uint32_t *zone;
    uint32_t *first_link;    /* link end (2 * link + side), or IOTNET_NONE */
    uint32_t *first_service; /* index into services, or IOTNET_NONE */
    uint32_t *first_iface;
    uint32_t *lifecycle;     /* index into lifecycles, or IOTNET_NONE */
    uint32_t *policy;        /* index into policies, or IOTNET_NONE */
    uint32_t *nat;           /* index into nats, or IOTNET_NONE */
    uint32_t *mud;           /* index into muds (attached MUD profile), or IOTNET_NONE */
    uint8_t *alive;
    uint32_t count, cap, live;
    iotnet__idmap by_id;
} node_table;

typedef struct link_table {
    iotnet__str *id, *a_iface, *b_iface, *description;
    uint32_t *a, *b;
    uint32_t *next;          /* by link end: next end in the same node's list */
    double *latency_ms;
    uint8_t *medium, *encryption, *alive;
    uint32_t count, cap, live;
    iotnet__idmap by_id;
} link_table;

typedef struct service_rec {
    uint32_t node, next;
    iotnet__str name, cipher_suites;
    uint16_t port;
    uint8_t protocol, auth, transport, management, traversal;
} service_rec;

typedef struct iface_rec {
    uint32_t node, next;
    iotnet__str name, description;
    uint32_t ipv4;
    uint8_t prefix_len;
} iface_rec;

typedef struct lifecycle_rec {
    int64_t certificate_not_after, signed_artifact_lifetime, end_of_support;
    iotnet__str owner;
    uint8_t update, ownership, reset, cloud, escrowed, attestation;
} lifecycle_rec;

typedef struct selector_rec {
    uint8_t type;
    iotnet__str value;
    uint32_t ipv4;           /* CIDR selectors */
    uint8_t prefix_len;
} selector_rec;

typedef struct rule_rec {
    iotnet__str name, description;
    selector_rec from, to;
    uint16_t port_lo, port_hi;
    uint8_t protocol, initiated, action;
} rule_rec;

typedef struct policy_rec {
    uint32_t node;
    uint8_t default_action;
    IOTNET__VEC(rule_rec) rules;
} policy_rec;

typedef struct forward_rec {
    iotnet__str name;
    uint32_t to_node;
    uint16_t external_port, internal_port;
    uint8_t protocol;
} forward_rec;

typedef struct nat_rec {
    uint32_t node;
    iotnet__str inside, outside;
    uint8_t mapping, filtering, hairpinning, upnp, pcp, cgnat;
    IOTNET__VEC(forward_rec) forwards;
} nat_rec;

/* A MUD profile's entry and facts (mud.h); strings in the pool of their owner
 * (the model, or a loaded iotnet_mud). */
typedef struct mud_ace_rec {
    iotnet__str acl, name, peer_value;
    uint16_t src_lo, src_hi, dst_lo, dst_hi;
    uint8_t policy, peer, protocol, initiated, action;
} mud_ace_rec;

typedef struct mud_info_rec {
    iotnet__str mud_url, last_update, systeminfo, mfg_name, model_name, documentation;
    int32_t cache_validity;
    uint8_t is_supported;
} mud_info_rec;

typedef struct mud_profile_rec {
    uint32_t node;           /* IOTNET_NONE once detached */
    mud_info_rec info;
    IOTNET__VEC(mud_ace_rec) aces;
} mud_profile_rec;

/* A risk decision (eval.h): the finding it accepts, who and why, and when. */
typedef struct risk_rec {
    iotnet__str finding, by, reason;
    int64_t decided, until;
} risk_rec;

/* One column of attributes: values for every element of a table. */
typedef struct attr_column {
    iotnet__str key;
    iotnet_attr_type type;
    uint32_t cap, used;      /* used: elements that have a value */
    uint8_t *present;
    union {
        int64_t *integer;
        double *real;
        iotnet__str *string;
    } v;
} attr_column;

typedef struct attr_table {
    attr_column *cols;
    uint32_t count, cap;
} attr_table;

/* The last id looked up for a purpose, with what it resolved to: consecutive
 * adds usually name the same kind, zone or router, and a hit skips two
 * random memory accesses. */
typedef struct recent_lookup {
    iotnet__str key;
    uint32_t value;
} recent_lookup;

struct iotnet_net {
    iotnet__strpool strings;
    recent_lookup recent_kind, recent_zone, recent_endpoint[2];
    iotnet__str name;
    kind_table kinds;
    uint32_t kind_node_root, kind_zone_root, kind_forwarding, kind_internet;
    zone_table zones;
    conduit_table conduits;
    node_table nodes;
    link_table links;
    IOTNET__VEC(service_rec) services;
    IOTNET__VEC(iface_rec) ifaces;
    IOTNET__VEC(lifecycle_rec) lifecycles;
    IOTNET__VEC(policy_rec) policies;   /* removed entries have node == IOTNET_NONE */
    IOTNET__VEC(nat_rec) nats;
    IOTNET__VEC(mud_profile_rec) muds;  /* detached entries have node == IOTNET_NONE */
    attr_table attrs[3];                /* by iotnet_entity */
    IOTNET__VEC(risk_rec) risks;        /* in the order they were first set */
};

/* Grow a vector to hold one more item; records IOTNET_ENOMEM. */
int iotnet__vec_grow(void **items, uint32_t *cap, uint32_t count, size_t item_size);
#define IOTNET__VEC_PUSH_ROOM(vec) \
    iotnet__vec_grow((void **)&(vec).items, &(vec).cap, (vec).count, sizeof *(vec).items)

/* A versioned struct from the caller must be of the version this library knows. */
int iotnet__version_check(unsigned int got, unsigned int known, const char *what);

/* Element checks shared by the modules. */
int iotnet__node_check(const iotnet_net *net, iotnet_index node);
bool iotnet__node_alive(const iotnet_net *net, iotnet_index node);
int iotnet__intern(iotnet_net *net, const char *s, iotnet__str *out);
const char *iotnet__text(const iotnet_net *net, iotnet__str s);
/* The interface named `name` on a node, or IOTNET_NONE. */
uint32_t iotnet__iface_find(const iotnet_net *net, iotnet_index node, const char *name);
/* Parse "tcp/502 udp/47808-47810 icmp any" into canonical text; records IOTNET_EINVAL. */
int iotnet__services_normalise(iotnet_net *net, const char *text, iotnet__str *out);
/* Parse one service word ("tcp/80", "udp/1000-2000", "icmp", "any") of n
 * bytes; 0 or -1 when it is none of these (nothing recorded). */
int iotnet__service_parse(const char *word, size_t n, int *protocol, int *lo, int *hi);
/* Whether a space-separated word list contains `word`. */
bool iotnet__words_contain(const char *list, const char *word);
/* Attribute clean-up when an element is removed. */
void iotnet__attrs_drop(iotnet_net *net, iotnet_entity entity, iotnet_index index);
void iotnet__attrs_free(iotnet_net *net);
/* An attribute column by key, or NULL. */
const attr_column *iotnet__attr_column(const iotnet_net *net, iotnet_entity entity, const char *key);
size_t iotnet__attrs_memory(const iotnet_net *net);
/* Policy/NAT parts of node removal and reference checks. */
int iotnet__policy_check_unreferenced(const iotnet_net *net, iotnet_index except_owner, iotnet_selector_type type,
                                      iotnet__str value, const char *what);
int iotnet__nat_check_node_unreferenced(const iotnet_net *net, iotnet_index node);
void iotnet__policies_free(iotnet_net *net);
/* MUD profiles held by the model (mud_store.c). */
void iotnet__node_mud_drop(iotnet_net *net, iotnet_index node);
void iotnet__muds_free(iotnet_net *net);
size_t iotnet__muds_memory(const iotnet_net *net);
/* Risk decisions held by the model (risk.c). */
void iotnet__risks_free(iotnet_net *net);
size_t iotnet__risks_memory(const iotnet_net *net);

#endif
