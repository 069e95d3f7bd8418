/* Catalog sets in memory: threats, mitigations, controls, declared
 * attributes and kinds, and conditions compiled to trees of typed leaves
 * that eval.c evaluates column-wise. Shared by catalog*.c and eval*.c. */
#ifndef IOTNET_CATALOG_INTERNAL_H
#define IOTNET_CATALOG_INTERNAL_H

#include "iotnet/catalog.h"
#include "iotnet/reach.h"
#include "net_internal.h"
#include "strpool.h"
#include "yangio_time.h"

/* Tables a condition is evaluated over; the values are iotnet_target's. */
#define TABLE_COUNT 6 /* index 0 unused */

/* How a field's values compare. */
typedef enum ftype {
    FT_STRING = 1,
    FT_INT,
    FT_FLOAT,
    FT_BOOL,
    FT_DATE,
    FT_DURATION,
    FT_ENUM,   /* an iotnet_enum value */
    FT_KIND,   /* a kind of the model */
    FT_WORDS,  /* a space-separated word list (string) */
    FT_MEDIA   /* a node's set of link media (bitmask of iotnet_medium) */
} ftype;

/* The fields conditions know, by table. */
typedef enum field_id {
    /* node */
    F_NODE_ID = 0, F_NODE_KIND, F_NODE_ZONE, F_NODE_ZONE_KIND, F_NODE_VENDOR, F_NODE_MODEL, F_NODE_FIRMWARE,
    F_NODE_IMPLEMENTATION, F_NODE_MUD_URL, F_NODE_DESCRIPTION, F_NODE_FORWARDING, F_NODE_HAS_POLICY,
    F_NODE_HAS_NAT, F_NODE_HAS_MUD, F_NODE_DEFAULT_ACTION, F_NODE_NAT_FILTERING, F_NODE_NAT_MAPPING,
    F_NODE_NAT_UPNP, F_NODE_NAT_PCP, F_NODE_NAT_CGNAT, F_NODE_NAT_HAIRPINNING, F_NODE_NAT_FORWARDS,
    F_NODE_CERT_NOT_AFTER, F_NODE_ARTIFACT_LIFETIME, F_NODE_END_OF_SUPPORT, F_NODE_UPDATE, F_NODE_OWNER,
    F_NODE_OWNERSHIP, F_NODE_RESET, F_NODE_CLOUD, F_NODE_ESCROWED, F_NODE_ATTESTATION, F_NODE_CERT_OUTLIVED,
    F_NODE_SERVICE_COUNT, F_NODE_MGMT_COUNT, F_NODE_EXPOSURE, F_NODE_EXPOSED_COUNT, F_NODE_LINK_MEDIA,
    /* service */
    F_SVC_NAME, F_SVC_PROTOCOL, F_SVC_PORT, F_SVC_AUTH, F_SVC_TRANSPORT, F_SVC_CIPHERS, F_SVC_MANAGEMENT,
    F_SVC_TRAVERSAL, F_SVC_EXPOSURE,
    /* link */
    F_LINK_ID, F_LINK_MEDIUM, F_LINK_ENCRYPTION, F_LINK_LATENCY,
    /* zone */
    F_ZONE_ID, F_ZONE_KIND, F_ZONE_PURDUE, F_ZONE_TARGET_SL, F_ZONE_NODE_COUNT, F_ZONE_UNCOVERED,
    /* conduit */
    F_CONDUIT_ID, F_CONDUIT_FROM, F_CONDUIT_TO, F_CONDUIT_SERVICES, F_CONDUIT_ANY, F_CONDUIT_BIDIR,
    F_COUNT,
    F_ATTR = 1000 /* attr:NAME: a declared free attribute */
} field_id;

typedef struct field_def {
    const char *name;
    uint8_t table;    /* iotnet_target */
    uint8_t type;     /* ftype */
    int8_t enumeration; /* iotnet_enum for FT_ENUM, else -1 */
    const char *description;
} field_def;

extern const field_def iotnet__fields[F_COUNT];

/* Prefixes of field names that move to another table. */
typedef struct prefix_def {
    const char *prefix;
    uint8_t from, to, hop;
    const char *description;
} prefix_def;

extern const prefix_def iotnet__prefixes[];
extern const size_t iotnet__prefix_count;

/* Hops from one table to another: a prefix of a field name. */
typedef enum hop_id {
    HOP_SERVICE_NODE = 1, /* service: node/ */
    HOP_GATEWAY,          /* node: gateway/ (the nearest enforcement points) */
    HOP_LINK_A,           /* link: a/ */
    HOP_LINK_B,           /* link: b/ */
    HOP_CONDUIT_FROM,     /* conduit: from/ */
    HOP_CONDUIT_TO,       /* conduit: to/ */
    /* how a mitigation of another target kind is carried to a threat's target */
    HOP_NODE_ZONE,        /* node -> its zone */
    HOP_NODE_SERVICES,    /* node <- any of its services (<service>) */
    HOP_LINK_EITHER,      /* link -> either end node */
    HOP_LINK_ZONES,       /* link -> the zone of either end */
    HOP_CONDUIT_EITHER,   /* conduit -> from or to zone */
    HOP_SERVICE_ZONE,     /* service -> its node's zone */
    HOP_NODE_LINKS,       /* node <- any of its links */
    HOP_ZONE_NODES        /* zone <- any of its nodes */
} hop_id;

/* Condition elements. */
enum {
    C_TRUE = 0, C_ALL, C_ANY, C_NOT,
    C_FIELD,   /* a comparison on a field of the table */
    C_HOP,     /* the child, evaluated on another table, carried over (hop) */
    C_REACH    /* reached from `text` with a class >= num */
};

/* Operators. */
enum { OP_EQ = 1, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IN, OP_EXISTS, OP_CONTAINS, OP_ISA };

/* A literal: a number (int, bool, enum, date offset, duration), a real, or a string. */
typedef struct cval {
    int64_t i;
    double f;
    iotnet__str s;   /* catalog string: the text of strings and kinds */
    uint8_t now;     /* dates: i is an offset from "now" */
} cval;

typedef struct cond {
    uint8_t type, table, op, ftype;
    uint16_t field;      /* field_id, or the hop for C_HOP */
    uint32_t child;      /* first child, or IOTNET_NONE */
    uint32_t next;       /* next sibling, or IOTNET_NONE */
    uint32_t vals, nvals; /* literals in the catalog's value pool */
    uint64_t mask;       /* enumerations and media: the set the literals name */
    iotnet__str attr;    /* attr:NAME: the attribute's name */
    int8_t enumeration;
    uint8_t attr_type;   /* iotnet_attr_type of a declared attribute */
    uint32_t memo;       /* identical subtrees over the same table share a slot */
    iotnet__str text;    /* this subtree rendered for readers */
    uint32_t line;
} cond;

typedef struct threat_rec {
    iotnet__str id, bare, ns, title, description, cwe, capec, attack_ics, mitigations, references, file;
    uint32_t line, ref_line, cond;
    uint32_t mit_first, mit_count; /* resolved candidate mitigations in refs */
    iotnet__str mit_text;          /* the ids as written, until resolved */
    uint8_t target, stride, likelihood, impact;
} threat_rec;

typedef struct mitigation_rec {
    iotnet__str id, bare, ns, title, description, technologies, controls, file;
    uint32_t line, ref_line, cond;
    int8_t likelihood_delta, impact_delta;
    uint8_t target;
    uint8_t sl; /* IEC 62443 security level the measure supports, 1..4 */
} mitigation_rec;

typedef struct control_rec {
    iotnet__str framework, id, title, group, key; /* key: "framework:id" without spaces */
    uint8_t min_sl; /* lowest security level the framework selects it at, 0 when not given */
} control_rec;

typedef struct attr_decl {
    iotnet__str name;
    uint8_t target, type; /* iotnet_target (node, link, zone), iotnet_attr_type */
} attr_decl;

typedef struct kind_decl {
    iotnet__str name, parent;
} kind_decl;

struct iotnet_catalog {
    iotnet__strpool strings;
    IOTNET__VEC(threat_rec) threats;
    IOTNET__VEC(mitigation_rec) mitigations;
    IOTNET__VEC(control_rec) controls;
    IOTNET__VEC(cond) conds;
    IOTNET__VEC(cval) vals;
    IOTNET__VEC(uint32_t) refs;
    IOTNET__VEC(attr_decl) attrs;
    IOTNET__VEC(kind_decl) kinds;
    iotnet__idmap threat_by_id, threat_by_bare, mit_by_id, mit_by_bare, control_by_key, memo_by_key;
    uint32_t memo_count;
};

#define BARE_AMBIGUOUS 0xFFFFFFFEu

static inline const char *cat_text(const iotnet_catalog *cat, iotnet__str s)
{
    return iotnet__str_text(&cat->strings, s);
}

/* ---- catalog_read.c --------------------------------------------------- */
/* Read a parsed document's root (an xmlNode) into the set. */
int iotnet__catalog_read_root(iotnet_catalog *cat, const char *file, const void *root);
/* Resolve the references of the threats and mitigations from these on. */
int iotnet__catalog_resolve(iotnet_catalog *cat, uint32_t first_threat, uint32_t first_mitigation);
/* An index by namespaced id, or by bare id when unique; UINT32_MAX when none. */
uint32_t iotnet__catalog_find(const iotnet_catalog *cat, const iotnet__idmap *by_id, const iotnet__idmap *by_bare,
                              const char *id);
/* Record a bare id (BARE_AMBIGUOUS once two entries share it). */
void iotnet__catalog_bare_put(iotnet__idmap *m, iotnet__str bare, uint32_t index);

/* ---- catalog_cond.c --------------------------------------------------- */

/* What a condition is being compiled in: for messages and declarations. */
typedef struct cond_scope {
    iotnet_catalog *cat;
    const char *file;
} cond_scope;

/* Compile the condition element `node` (an xmlNode) over `table`;
 * *out receives the root cond. Records IOTNET_EVALIDATION with file:line. */
int iotnet__cond_compile(cond_scope *scope, const void *node, int table, uint32_t *out);
/* A condition that always holds, for an empty applies-when. */
int iotnet__cond_true(cond_scope *scope, int table, uint32_t line, uint32_t *out);
/* Parse a date literal ("2027-01-01", "2027-01-01T00:00:00Z", "now", "now+P2Y"). */
int iotnet__cond_date(const char *text, int64_t *out, uint8_t *now);
/* Find a kind declared by the catalog or built in. */
bool iotnet__catalog_kind_known(const iotnet_catalog *cat, const char *name);
/* How a mitigation of target `m` is carried to a threat of target `t`: 0 when
 * the same, a hop_id, or -1 when it cannot be. */
int iotnet__mitigation_hop(int m, int t);

/* Seconds since the epoch from time(). */
int64_t iotnet__clock_now(void);

#endif
