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
 * (LEVELS), 9 the way back's result, 10 its hole-punched part, 11-12 the way
 * back by hairpinning, 13 a device's own flow (reach_nat_state.c). */
#define SCRATCH_BACK 10
#define SCRATCH_HAIRPIN 11
#define SCRATCH_DEVICE 13  /* a device's own flow that creates NAT state */
#define SCRATCH_SETS (SCRATCH_DEVICE + 1)

/* PCP servers listen on udp/5351 (RFC 6887 §19.1). */
#define IOTNET_PCP_PORT 5351
extern const iotnet_exposure iotnet__level_class[LEVELS];

/* ---- compiled policy and MUD ------------------------------------------ */

/* One side of a rule with its zone, node or kind resolved to an index. */
typedef struct cside {
    const selector_rec *sel;
    uint32_t ref;      /* zone, node or kind index; IOTNET_NONE when it names nothing */
} cside;

typedef struct crule {
    const rule_rec *rule;
    const word *mask;  /* shared by every rule of the same (protocol, range) */
    cside from, to;
} crule;

typedef struct cpolicy {
    crule *rules;
    uint32_t count;
    uint8_t default_accept;
} cpolicy;

/* A MUD ACE's atom masks for the packet that opens a flow (the responder's
 * port is the ACE's destination port) and for its replies (source port). */
typedef struct cace {
    iotnet_mud_ace ace;
    const word *mask_open, *mask_reply;
    uint32_t cidr;
    uint8_t prefix_len;
} cace;

typedef struct cmud {
    cace *aces;
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

/* The ends of the flow being evaluated, with the interfaces the path uses. */
#define SOURCE_END(ctx) ((endpoint){(ctx)->source, (ctx)->source_iface})
#define DEST_END(ctx, dest) ((endpoint){(dest), (ctx)->dest_iface})

/* Role of a link end at a NAT node. */
enum { ROLE_PLAIN = 0, ROLE_INSIDE, ROLE_OUTSIDE };

/* An interface as a link end names it: its place in its node's list of
 * interfaces (what keeps struct adj small), or ADJ_ANY_IFACE when the link
 * names none, the node has one interface, or the place does not fit. */
typedef uint16_t iface_ord;
#define ADJ_ANY_IFACE ((iface_ord)0xFFFF)

typedef struct adj {
    uint32_t node;
    iface_ord iface_here, iface_there; /* the interfaces the link's ends name */
    uint8_t role_here;   /* role of this end at the node whose list it is in */
    uint8_t role_there;  /* role of the far end at the neighbour */
} adj;

/* The iface_rec of a node's interface by its place, or IOTNET_NONE for
 * ADJ_ANY_IFACE (any of the node's addresses). */
static inline uint32_t adj_iface(const iotnet_net *net, uint32_t node, iface_ord ord)
{
    uint32_t i = ord == ADJ_ANY_IFACE ? IOTNET_NONE : net->nodes.first_iface[node];
    for (iface_ord k = 0; i != IOTNET_NONE && k < ord; k++)
        i = net->ifaces.items[i].next;
    return i;
}

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
    uint8_t nat_out_above;  /* some element before this one enters a NAT from inside out */
    uint64_t from_ok;  /* the node's first 64 rules whose from side matches src */
    /* for NAT_IN and HAIRPIN: what passes everything before, addressed to
     * this NAT (levels x words), computed on first use */
    word *upstream;
    /* for NAT_IN with no NAT_OUT before it: what passes everything before
     * for flows this NAT sends back to the source (words), on first use */
    word *back_up;
} chain_el;

typedef struct mask_pool mask_pool;

/* A port forward, filed by its NAT and the node it forwards to. */
typedef struct fwd_ref {
    uint32_t to;
    const forward_rec *fw;
} fwd_ref;

typedef struct reach_ctx {
    const iotnet_net *net;
    atom_space atoms;
    mask_pool *masks;              /* one mask per distinct (protocol, range) */
    uint32_t *fwd_first;           /* CSR by NAT node into fwds, n + 1 entries */
    fwd_ref *fwds;                 /* each NAT's forwards, by target node */
    word *all;                     /* every atom */
    uint32_t n;                    /* node table size */
    uint32_t *adj_first;           /* CSR: node -> first adj, n + 1 entries */
    adj *adjs;
    uint8_t *transit, *enforce, *internet_side;
    uint64_t *kind_isa;            /* kinds x kind_words: bit a of row k when k is-a a */
    uint32_t kind_words;
    uint32_t *service_atom;        /* by service record: the atom of its protocol and port */
    uint32_t *nat_outside_iface;   /* iface_rec of a NAT's outside interface, or IOTNET_NONE */
    cpolicy *policies;             /* by node; count 0 and default_accept 1 when none */
    uint8_t *has_policy;
    cmud **mud;                    /* by node, or NULL */
    cmud *mud_profiles;            /* the compiled profiles, one block */
    cace *mud_entries;             /* their entries, one block */
    uint8_t *mud_gateway;          /* nodes that are some device's access gateway */
    const attr_column *dns_names, *controllers;
    /* chains of the current source */
    IOTNET__VEC(chain_el) chain;
    uint32_t *chain_slots;         /* open-addressed (parent, node, type) -> element */
    uint32_t chain_nslots;
    word *scratch;                 /* LEVELS x words of working space per depth */
    uint32_t source;
    /* the interfaces the current path leaves the source and reaches the
     * destination by: CIDR selectors see the address there (IOTNET_NONE:
     * the link names none, any of the node's addresses) */
    uint32_t source_iface, dest_iface;
    iface_ord source_ord;          /* the source's interface as its links name it */
    uint32_t epoch;                /* counts chain resets: chain numbers are per epoch */
    uint64_t steps, step_limit;
    /* what a device sends to create NAT state (see reach_nat_state.c) */
    const word *udp_mask, *tcp_mask, *pcp_mask;
    /* for the flow being evaluated (chain flow_chain): whether the
     * destination's UPnP and PCP requests reach the NAT in front of it
     * (PINHOLE_UPNP, PINHOLE_PCP), worked out when a pinhole is first asked
     * about (pinholes_known) */
    uint32_t flow_chain;
    bool pinholes_known;
    uint8_t pinholes_ok;
    bool mapping_ok;               /* explanations: the destination's UDP gets out */
    /* the same for the source on the way back, and its UDP out */
    uint8_t source_pinholes_ok, source_udp_ok;
    uint32_t *walk;                /* n + 1 entries: one chain in the source's order */
    /* exploration: a model without NAT44 whose transit nodes form cycles is
     * explored by fixpoints (reach_mesh.c); the destinations asked about
     * (wanted: NULL for every node; only_dest: one, else IOTNET_NONE) and
     * the atom of the flow asked for (IOTNET_NONE: the services') */
    bool mesh;
    const uint8_t *wanted;
    uint32_t only_dest, probe_atom;
} reach_ctx;

enum { PINHOLE_UPNP = 1, PINHOLE_PCP = 2 };

/* ---- reach_compile.c -------------------------------------------------- */
int iotnet__reach_ctx_init(reach_ctx *ctx, const iotnet_net *net, int probe_proto, uint16_t probe_port);
void iotnet__reach_ctx_free(reach_ctx *ctx);
/* Only the link graph and the node flags (transit, enforce, internet side) of
 * a context, for analyses that need no decisions; freed by iotnet__reach_ctx_free. */
int iotnet__reach_graph_init(reach_ctx *ctx, const iotnet_net *net);
uint32_t iotnet__atom_of(const atom_space *a, int protocol, uint16_t port);
word *iotnet__bits_new(const reach_ctx *ctx, size_t sets);
/* The mask of (protocol, lo..hi), shared and owned by the context; protocol
 * -1 gives the empty mask. NULL when out of memory (recorded). */
const word *iotnet__mask_for(reach_ctx *ctx, int protocol, uint16_t lo, uint16_t hi);
/* The protocol of an atom's domain (ANY for other protocols). */
int iotnet__atom_protocol(const atom_space *a, uint32_t atom);
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

/* ---- reach_names.c: names as MUD peers compare them --------------------- */
/* DNS names: ASCII case-insensitive, one trailing dot ignored (RFC 4343). */
bool iotnet__dns_name_equal(const char *a, size_t alen, const char *b, size_t blen);
/* Whether a space-separated list of DNS names holds `name`. */
bool iotnet__dns_names_contain(const char *list, const char *name);
/* The host of a URL of `len` bytes (after "scheme://" and any userinfo),
 * and its length; NULL for a NULL url. */
const char *iotnet__url_host(const char *url, size_t len, size_t *host_len);
/* URLs equal with scheme and host compared without case (RFC 3986 §6.2.2.1). */
bool iotnet__url_equal(const char *a, const char *b);
/* Whether a space-separated list of URLs holds `url` (compared as above). */
bool iotnet__urls_contain(const char *list, const char *url);
/* Whether the host of `url` is the DNS name `name`. */
bool iotnet__url_host_is(const char *url, const char *name);
/* Whether two URLs name the same host. */
bool iotnet__url_same_host(const char *a, const char *b);

/* ---- reach_mesh.c: models without NAT44, whatever their cycles ------------ */
/* Whether the model has no NAT44 and its transit nodes form a cycle. */
bool iotnet__mesh_applies(const reach_ctx *ctx);

/* ---- reach_nat_state.c: NAT state exists only when a device made it ---- */
/* Which pinhole requests (PINHOLE_UPNP | PINHOLE_PCP) `dest` can send to the
 * NAT in front of it on chain c (its innermost NAT crossed inbound). */
uint8_t iotnet__dest_pinholes(reach_ctx *ctx, uint32_t c, uint32_t dest);
/* Whether `dest` can send UDP out through every NAT chain c enters from
 * outside (as a mapping needs). */
bool iotnet__dest_udp_out(reach_ctx *ctx, uint32_t c, uint32_t dest);
/* The same for the source of the chains, on the way back from `dest`:
 * its requests to the NAT it sits behind, and its UDP out through every NAT
 * chain c leaves from inside. */
uint8_t iotnet__source_pinholes(reach_ctx *ctx, uint32_t c);
bool iotnet__source_udp_out(reach_ctx *ctx, uint32_t c, uint32_t dest);

/* ---- reach_eval.c ----------------------------------------------------- */
static inline bool ctx_is_a(const reach_ctx *ctx, uint32_t kind, uint32_t ancestor)
{
    return (ctx->kind_isa[(size_t)kind * ctx->kind_words + (ancestor >> 6)] >> (ancestor & 63)) & 1;
}

/* Which of a node's first 64 rules match `src` on their from side. */
uint64_t iotnet__policy_from_mask(const reach_ctx *ctx, uint32_t node, endpoint src);
/* iotnet__policy_eval for a source whose from matches are known. */
void iotnet__policy_eval_from(const reach_ctx *ctx, uint32_t node, uint64_t from_ok, endpoint src, endpoint dst,
                              word *out);

/* A rule side resolved against the model. */
cside iotnet__side_of(const iotnet_net *net, const selector_rec *sel);
/* Accepting atoms of a node's policy for a flow; *decided (may be NULL)
 * receives the rule deciding `probe` (NULL for the default). */
void iotnet__policy_eval(const reach_ctx *ctx, uint32_t node, endpoint src, endpoint dst, word *out,
                         uint32_t probe, const rule_rec **decided);
/* Narrow `bits` to what `node`'s own policy admits of a flow from src to dst. */
void iotnet__policy_narrow(const reach_ctx *ctx, uint32_t node, endpoint src, endpoint dst, word *bits);
/* Narrow `bits` to what `node` admits of a flow `opener` opened from src to
 * dst: its policy, the opener's MUD profile while src is the opener itself,
 * and `peer`'s while dst is the peer itself, where the node is their access
 * gateway (reach.h step 3). opener and peer may be IOTNET_NONE. */
void iotnet__node_narrow(const reach_ctx *ctx, uint32_t node, endpoint src, endpoint dst, uint32_t opener,
                         uint32_t peer, word *bits);
/* Atoms a device's MUD profile admits for a flow with `peer`, in both
 * directions; device_opens: the device initiates. *decided names the
 * deciding ACE for `probe` (or NULL: none matched, default drop). */
void iotnet__mud_eval(const reach_ctx *ctx, uint32_t device, endpoint peer, bool device_opens, word *out,
                      uint32_t probe, const cace **decided);
/* Start the chains of the current source with its root element (0). */
int iotnet__chain_root(reach_ctx *ctx);
/* Chain element lookup-or-add; returns the element index. */
int iotnet__chain_child(reach_ctx *ctx, uint32_t parent, uint32_t node, uint8_t type, endpoint src, uint32_t *out);
/* The element (parent, node, type) if the explorer made it, else IOTNET_NONE. */
uint32_t iotnet__chain_find(const reach_ctx *ctx, uint32_t parent, uint32_t node, uint8_t type);
void iotnet__chain_reset(reach_ctx *ctx);
/* Atoms (levels x words) of a flow from the current source along chain
 * element `c`, addressed to `target`; `dest` is the flow's final destination. */
void iotnet__chain_eval(reach_ctx *ctx, uint32_t c, uint32_t target, uint32_t dest, word *out);
/* The apparent source of flows after chain element c. */
endpoint iotnet__chain_src_after(const reach_ctx *ctx, uint32_t c);
/* A whole flow to `dest` along chain c: the chain, then the destination's own policy. */
void iotnet__flow_eval(reach_ctx *ctx, uint32_t c, uint32_t dest, word *out);
/* Where a flow back to the source is addressed as it leaves chain element
 * c towards the root: the nearest NAT it enters from outside on the way
 * (a NAT_OUT element of the chain), else the source. */
endpoint iotnet__back_target(const reach_ctx *ctx, uint32_t c);
/* Whether `dest` can open some flow back to the source along chain `c`. */
bool iotnet__chain_reverse(reach_ctx *ctx, uint32_t c, uint32_t dest);
/* The port forward at NAT `nat` to `target` whose internal port is in atom `atom`, or NULL. */
/* The forwards of NAT `nat` towards `target`: *out and their number. O(log forwards). */
size_t iotnet__forwards_to(const reach_ctx *ctx, uint32_t nat, uint32_t target, const fwd_ref **out);
const forward_rec *iotnet__forward_for(const reach_ctx *ctx, uint32_t nat, uint32_t target, uint32_t atom);
/* The atom a forward's external port falls in, for a flow reaching `inner`
 * through it (a forward of any protocol keeps the flow's). */
uint32_t iotnet__forward_outer_atom(const reach_ctx *ctx, const forward_rec *fw, uint32_t inner);

#endif
