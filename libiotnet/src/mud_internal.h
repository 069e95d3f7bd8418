/* MUD profiles: the pieces shared by mud_load.c, mud_scan.c, mud_store.c and yangio. */
#ifndef IOTNET_MUD_INTERNAL_H
#define IOTNET_MUD_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "iotnet/mud.h"
#include "net_internal.h"
#include "strpool.h"

/** Lines a load wrote about a profile. */
typedef IOTNET__VEC(iotnet__str) iotnet__mud_lines;

/** A loaded profile: its facts and entries, with the lines a load wrote
 *  about it, all strings in its own pool. */
struct iotnet_mud {
    iotnet__strpool strings;
    mud_info_rec info;
    IOTNET__VEC(mud_ace_rec) aces;
    iotnet__mud_lines changes; /* what a lenient load rewrote */
    iotnet__mud_lines notes;   /* what the flattening left out or widened */
    iotnet__str last_update_text; /* last-update as written (libyang keeps it in UTC) */
};

/** Append a line (printf-style) to the changes or notes of a profile; records IOTNET_ENOMEM. */
int iotnet__mud_add_line(iotnet_mud *mud, iotnet__mud_lines *lines, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/**
 * Check an entry given by a caller: version, policy, peer and its value
 * (a CIDR must parse), protocol, port ranges, initiated, action, a name.
 * `where` names the node or profile in messages. Records IOTNET_EINVAL.
 */
int iotnet__mud_ace_check(const iotnet_mud_ace *ace, const char *where);

/** Store a checked entry, interning its strings into `pool`. */
int iotnet__mud_ace_store(iotnet__strpool *pool, const iotnet_mud_ace *ace, mud_ace_rec *out);

/** Read an entry back; strings borrowed from `pool`. */
void iotnet__mud_ace_read(const iotnet__strpool *pool, const mud_ace_rec *rec, iotnet_mud_ace *out);

/** Check a profile's facts (version, a MUD URL, is_supported). Records IOTNET_EINVAL. */
int iotnet__mud_info_check(const iotnet_mud_info *info, const char *where);

/** Store facts, interning their strings into `pool`. */
int iotnet__mud_info_store(iotnet__strpool *pool, const iotnet_mud_info *info, mud_info_rec *out);

/** Read facts back; strings borrowed from `pool`. */
void iotnet__mud_info_read(const iotnet__strpool *pool, const mud_info_rec *rec, iotnet_mud_info *out);

/**
 * Give a node an empty profile with these facts, replacing any earlier one,
 * without touching the node's own MUD URL (the topology reader keeps both as
 * written). Entries follow with iotnet_node_mud_add_ace().
 * @return 0, IOTNET_ENOTFOUND, IOTNET_EINVAL, IOTNET_ENOMEM
 */
int iotnet__node_mud_set_info(iotnet_net *net, iotnet_index node, const iotnet_mud_info *info);

/**
 * Look for the constructs of the draft ACL model (before RFC 8519) in a MUD
 * file's JSON text: the root ietf-access-control-list:access-lists, ethertypes
 * written as strings ("0x0800"), the identity ethernet-acl-type, Ethernet
 * matches in IPv4/IPv6-typed ACLs, networks without a prefix length.
 *
 * Ethernet matches in IPv4/IPv6-typed ACLs only count when no ACL has an
 * Ethernet type (RFC 8519 then admits them). Also keeps the profile's
 * last-update as written in mud->last_update_text.
 *
 * Strict (`lenient` false) with `report`: when one is found, record
 * IOTNET_EVALIDATION naming the first (file, line, data path) and return it.
 * Lenient: set *normalised to a rewritten copy of the text with the same
 * lines (the caller frees it) and add one line per change to mud->changes.
 * Returns 0 with *normalised NULL when there is nothing to rewrite or report,
 * or the text is not JSON that can be scanned (libyang then reports what is
 * wrong with it).
 */
int iotnet__mud_scan(iotnet_mud *mud, const char *text, size_t len, const char *label, bool lenient,
                     bool report, char **normalised);

struct lyd_node;

/**
 * Fill an empty profile from a validated MUD data tree (mud_flatten.c): its
 * facts, and the entries of the ACLs its policies name, with a note for what
 * the model cannot express exactly. Errors name `label` and the data path.
 */
int iotnet__mud_flatten(iotnet_mud *mud, const struct lyd_node *tree, const char *label);

#endif
