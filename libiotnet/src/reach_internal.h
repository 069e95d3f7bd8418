/* The reachability engine's compiled view of a model (see reach.h for the
 * semantics): atoms of the (protocol, port) space, bitsets over them,
 * policies and MUD profiles compiled to atom masks, and the decision chains
 * that paths share. */
#ifndef IOTNET_REACH_INTERNAL_H
#define IOTNET_REACH_INTERNAL_H

#include "iotnet/reach.h"
#include "iotnet/mud.h"
#include "net_internal.h"

/* ---- atoms and bitsets ------------------------------------------------ */

/* Protocol domains: three with ports, ICMP and everything else without. */
enum { DOM_TCP, DOM_UDP, DOM_SCTP, DOM_ICMP, DOM_OTHER, DOM_COUNT };
#define PORT_DOMAINS 3

typedef struct atom_space {
    uint16_t *cut[PORT_DOMAINS]; /* sorted lower bounds of the port atoms of a domain */
    uint32_t ncut[PORT_DOMAINS];
    uint32_t first[DOM_COUNT + 1]; /* first atom of each domain; first[DOM_COUNT] = atom count */
    uint32_t words;                /* 64-bit words in a bitset */
} atom_space;

typedef uint64_t word;

/* Exposure levels a bitset vector carries: bits[i] = atoms that pass with a
 * class at least as open as LEVEL_CLASS[i]. */
#define LEVELS 4

/* The working sets in reach_ctx.scratch (each `words` long): 0-1 first-match
 * state, 2 a decision's mask, 3-4 NAT entry on the way back, 5-8 NAT state
 * (LEVELS), 9 the way back's result, then one per nesting of the way back. */
#define SCRATCH_BACK 10
#define BACK_DEPTHS 16
#define SCRATCH_SETS (SCRATCH_BACK + BACK_DEPTHS)
extern const iotnet_exposure iotnet__level_class[LEVELS];

/* ---- compiled policy and MUD ------------------------------------------ */

typedef struct crule {
    const rule_rec *rule;
    word *mask;
} crule;

typedef struct cpolicy {
    crule *rules;
    word *masks;       /* one block for every rule's mask */
    uint32_t count;
    uint8_t default_accept;
} cpolicy;

/* A MUD ACE's atom masks for the packet that opens a flow (the responder's
 * port is the ACE's destination port) and for its replies (source port). */
typedef struct cace {
    iotnet_mud_ace ace;
    word *mask_open, *mask_reply;
    uint32_t cidr;
    uint8_t prefix_len;
} cace;

typedef struct cmud {
    cace *aces;
    word *masks;       /* one block for every ACE's masks */
    uint32_t count;
    const char *mud_url;
    uint32_t *gateways; /* access gateways: the enforcement points nearest the device */
    uint32_t ngateways;
} cmud;

static inline bool mud_enforced_at(const cmud *m, uint32_t node)
{
    for (uint32_t i = 0; m && i < m->ngateways; i++)
        if (m->gateways[i] == node)
            return true;
    return false;
}

/* Role of a link end at a NAT node. */
enum { ROLE_PLAIN = 0, ROLE_INSIDE, ROLE_OUTSIDE };

typedef struct adj {
    uint32_t node, link;
    uint8_t role_here;   /* role of this end at the node whose list it is in */
    uint8_t role_there;  /* role of the far end at the neighbour */
} adj;

/* Chain element kinds: what a path does at an enforcement node. */
enum { EL_ROOT = 0, EL_ROUTE, EL_NAT_IN, EL_NAT_OUT, EL_HAIRPIN };

typedef struct endpoint {
    uint32_t node;
    uint32_t iface;    /* an iface_rec index, or IOTNET_NONE for any of the node's addresses */
} endpoint;

typedef struct chain_el {
    uint32_t parent;
    uint32_t node;
    uint8_t type;
    endpoint src;      /* apparent source arriving at the node */
    /* for NAT_IN and HAIRPIN: what passes everything before, addressed to
     * this NAT (levels x words), computed on first use */
    word *upstream;
    /* for NAT_IN: atoms of flows from this NAT back to the source that pass
     * everything before (for reply-only), computed on first use */
    word *reverse_up;
} chain_el;

typedef struct reach_ctx {
    const iotnet_net *net;
    atom_space atoms;
    word *all;                     /* every atom */
    uint32_t n;                    /* node table size */
    uint32_t *adj_first;           /* CSR: node -> first adj, n + 1 entries */
    adj *adjs;
    uint8_t *transit, *enforce, *internet_side;
    uint32_t *nat_outside_iface;   /* iface_rec of a NAT's outside interface, or IOTNET_NONE */
    cpolicy *policies;             /* by node; count 0 and default_accept 1 when none */
    uint8_t *has_policy;
    cmud **mud;                    /* by node, or NULL */
    uint8_t *mud_gateway;          /* nodes that are some device's access gateway */
    const attr_column *dns_names, *controllers;
    /* chains of the current source */
    IOTNET__VEC(chain_el) chain;
    uint32_t *chain_slots;         /* open-addressed (parent, node, type) -> element */
    uint32_t chain_nslots;
    word *scratch;                 /* LEVELS x words of working space per depth */
    uint32_t source;
    uint64_t steps, step_limit;
} reach_ctx;

/* ---- reach_compile.c -------------------------------------------------- */
int iotnet__reach_ctx_init(reach_ctx *ctx, const iotnet_net *net, int probe_proto, uint16_t probe_port);
void iotnet__reach_ctx_free(reach_ctx *ctx);
/* Only the link graph and the node flags (transit, enforce, internet side) of
 * a context, for analyses that need no decisions; freed by iotnet__reach_ctx_free. */
int iotnet__reach_graph_init(reach_ctx *ctx, const iotnet_net *net);
uint32_t iotnet__atom_of(const atom_space *a, int protocol, uint16_t port);
word *iotnet__bits_new(const reach_ctx *ctx, size_t sets);
void iotnet__mask_range(const reach_ctx *ctx, word *mask, int protocol, uint16_t lo, uint16_t hi);
static inline bool bit_test(const word *b, uint32_t atom) { return (b[atom >> 6] >> (atom & 63)) & 1; }
static inline void bit_set(word *b, uint32_t atom) { b[atom >> 6] |= (word)1 << (atom & 63); }
bool iotnet__bits_any(const word *b, uint32_t words);
/* Parse "tcp/443", "udp/53", "icmp", "sctp/9899" into a protocol and port. */
int iotnet__probe_parse(const char *text, int *protocol, uint16_t *port);

/* ---- reach_mud.c: MUD profiles compiled for the engine ---------------- */
typedef IOTNET__VEC(uint32_t) iotnet__u32vec;
/* The enforcement points nearest `device` through forwarding nodes (every one
 * of them when several are equally near), appended to *found. queue holds n
 * entries; seen is n zero bytes and is left zero. O(nodes within that distance). */
int iotnet__nearest_gateways(const reach_ctx *ctx, uint32_t device, uint32_t *queue, uint8_t *seen,
                             iotnet__u32vec *found);
int iotnet__reach_mud_cuts(const iotnet_net *net, int (*cut)(void *, int, uint16_t, uint16_t), void *payload);
int iotnet__reach_mud_build(reach_ctx *ctx);
void iotnet__reach_mud_free(reach_ctx *ctx);

/* ---- reach_eval.c ----------------------------------------------------- */
/* A selector of a rule against an apparent endpoint. */
bool iotnet__selector_match(const reach_ctx *ctx, const selector_rec *sel, endpoint e);
/* Accepting atoms of a node's policy for a flow; *decided (may be NULL)
 * receives the rule deciding `probe` (NULL for the default). */
void iotnet__policy_eval(const reach_ctx *ctx, uint32_t node, endpoint src, endpoint dst, word *out,
                         uint32_t probe, const rule_rec **decided);
/* Atoms a device's MUD profile admits for a flow with `peer`, in both
 * directions; device_opens: the device initiates. *decided names the
 * deciding ACE for `probe` (or NULL: none matched, default drop). */
void iotnet__mud_eval(const reach_ctx *ctx, uint32_t device, endpoint peer, bool device_opens, word *out,
                      uint32_t probe, const cace **decided);
/* Start the chains of the current source with its root element (0). */
int iotnet__chain_root(reach_ctx *ctx);
/* Chain element lookup-or-add; returns the element index. */
int iotnet__chain_child(reach_ctx *ctx, uint32_t parent, uint32_t node, uint8_t type, endpoint src, uint32_t *out);
void iotnet__chain_reset(reach_ctx *ctx);
/* Atoms (levels x words) of a flow from the current source along chain
 * element `c`, addressed to `target`; `dest` is the flow's final destination. */
void iotnet__chain_eval(reach_ctx *ctx, uint32_t c, uint32_t target, uint32_t dest, word *out);
/* The apparent source of flows after chain element c. */
endpoint iotnet__chain_src_after(const reach_ctx *ctx, uint32_t c);
/* A whole flow to `dest` along chain c: the chain, then the destination's own policy. */
void iotnet__flow_eval(reach_ctx *ctx, uint32_t c, uint32_t dest, word *out);
/* Whether `dest` can open some flow back to the source along chain `c`. */
bool iotnet__chain_reverse(reach_ctx *ctx, uint32_t c, uint32_t dest);
/* The port forward at NAT `nat` to `target` whose internal port is in atom `atom`, or NULL. */
const forward_rec *iotnet__forward_for(const reach_ctx *ctx, uint32_t nat, uint32_t target, uint32_t atom);

#endif
