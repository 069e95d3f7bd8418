/* Shared pieces of the GraphML and DOT writers. */
#ifndef IOTNET_EMIT_INTERNAL_H
#define IOTNET_EMIT_INTERNAL_H

#include "iotnet/emit.h"
#include "iotnet/policy.h"
#include "util.h"

#include <stdbool.h>
#include <stdint.h>

/* A node's exposure when none was computed for it (the Internet itself, or
   an export without the exposure overlay). */
#define IOTNET__NOT_EXPOSED (-1)

/** What an export marks beside the model's facts, by element index. */
typedef struct iotnet__overlay {
    size_t node_slots, link_slots, zone_slots;
    uint32_t *mud_devices;   /* by node: devices whose MUD profile it enforces */
    bool exposure_asked;     /* the caller asked for exposure */
    bool exposure;           /* ... and it was computed (an internet node exists) */
    int8_t *node_exposure;   /* iotnet_exposure, or IOTNET__NOT_EXPOSED */
    char **exposed;          /* "web tcp/80 port-forward via router:8080; ...", or NULL */
    bool findings;           /* open findings were counted */
    uint32_t *node_open, *link_open, *zone_open;
    uint8_t *node_risk, *link_risk, *zone_risk; /* highest residual risk of those */
} iotnet__overlay;

/** Compute the marks `opts` asks for (NULL: only the MUD gateways); nothing
 *  is left to free on failure. */
int iotnet__overlay_build(iotnet__overlay *ov, const iotnet_net *net, const iotnet_export_options *opts);
void iotnet__overlay_free(iotnet__overlay *ov);
/** A node's exposure class, or IOTNET__NOT_EXPOSED. */
int iotnet__overlay_node_exposure(const iotnet__overlay *ov, iotnet_index node);
/** A node's exposed services line (borrowed), or NULL. */
const char *iotnet__overlay_exposed(const iotnet__overlay *ov, iotnet_index node);

/** GraphML text of a model into *out (malloc'd). */
int iotnet__emit_graphml(const iotnet_net *net, const iotnet__overlay *ov, char **out);

/** DOT text of a model into *out (malloc'd). */
int iotnet__emit_dot(const iotnet_net *net, const iotnet__overlay *ov, char **out);

/** The DOT of a model's zone view into *out (malloc'd): a node per zone
 *  with how many nodes it holds, its conduits and the links between zones. */
int iotnet__emit_zone_view(const iotnet_net *net, const iotnet__overlay *ov, char **out);

/** Nodes grouped by zone: order[] holds node indexes, bucket b's nodes are
 *  order[start[b] .. start[b+1]); the last bucket holds nodes without a zone. */
typedef struct iotnet__zone_groups {
    iotnet_index *zones;  /* zone indexes in table order */
    size_t zone_count;
    iotnet_index *order;
    size_t *start;        /* zone_count + 2 entries */
} iotnet__zone_groups;

/** Group the nodes by zone, O(nodes + zones); free with iotnet__zone_groups_free()
 *  (also after a failure). */
int iotnet__group_by_zone(iotnet__zone_groups *zg, const iotnet_net *net);
void iotnet__zone_groups_free(iotnet__zone_groups *zg);

/** Append text for a DOT quoted string (without / with the quotes). */
void iotnet__dot_escaped(iotnet__buf *b, const char *s);
void iotnet__dot_quoted(iotnet__buf *b, const char *s);

/** Append `  "a" -- "z" [`, for the edge's attributes to follow. */
void iotnet__dot_edge_start(iotnet__buf *b, const char *a, const char *z);

/** "3 open findings, max risk 12" into buf. */
void iotnet__dot_findings_text(char *buf, size_t size, uint32_t open, uint8_t risk);

/** The fill colour of an exposure class in drawings, or NULL for none. */
const char *iotnet__dot_exposure_fill(int exposure);

#define IOTNET__DOT_FINDINGS_COLOUR "#8b0000"

/** SVG drawn by Graphviz from DOT text into *out (malloc'd). */
int iotnet__emit_svg(const char *dot, char **out);

/** Append ` "text"` (quotes and backslashes escaped) for a description; nothing for NULL or "". */
void iotnet__emit_note(iotnet__buf *b, const char *text);

/** Append the firewall rules of a node: "NAME: FROM -> TO PROTO/PORTS ACTION; ...". */
int iotnet__emit_rules(iotnet__buf *b, const iotnet_net *net, iotnet_index node);

/** Append the port forwards of a node: "NAME tcp/8080 -> cam:80; ...". */
int iotnet__emit_forwards(iotnet__buf *b, const iotnet_net *net, iotnet_index node);

/** Append the entries of a node's MUD profile: "ACL/ACE from-device PEER PROTO/PORTS ACTION; ...". */
int iotnet__emit_mud_aces(iotnet__buf *b, const iotnet_net *net, iotnet_index node);

/** Append the conduits: "ID: FROM -> TO SERVICES[ bidirectional][ \"description\"]; ...". */
int iotnet__emit_conduits(iotnet__buf *b, const iotnet_net *net);

/** Append the compact services line of a node (see iotnet_export_services()). */
int iotnet__emit_services(iotnet__buf *b, const iotnet_net *net, iotnet_index node);

/** Append "wan0 203.0.113.7/24; lan0 \"main LAN\"" for a node's interfaces. */
int iotnet__emit_interfaces(iotnet__buf *b, const iotnet_net *net, iotnet_index node);

/** Append a short description of a zone: "home-lan, Purdue 4, SL 2". */
int iotnet__emit_zone_summary(iotnet__buf *b, const iotnet_net *net, iotnet_index zone);

/** Write an ISO 8601 UTC timestamp ("2030-01-01T00:00:00Z") into buf[32]. */
void iotnet__emit_date(char *buf, int64_t seconds);

/** Write a double that reads back to the same value into buf[32]. */
void iotnet__emit_double(char *buf, double value);

#endif
