/* MUD profiles held by the model: attach, detach, read, and build by hand. */
#include "mud_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error_internal.h"
#include "iotnet/names.h"

/* ---- entries and facts, in any pool ----------------------------------- */

/* Peers that name something (a DNS name, a network, a URI) and those that do not. */
static bool peer_has_value(int peer)
{
    return peer == IOTNET_MUD_PEER_DNSNAME || peer == IOTNET_MUD_PEER_CIDR ||
           peer == IOTNET_MUD_PEER_MANUFACTURER || peer == IOTNET_MUD_PEER_MODEL ||
           peer == IOTNET_MUD_PEER_CONTROLLER;
}

int iotnet__mud_ace_check(const iotnet_mud_ace *ace, const char *where)
{
    if (!ace)
        return iotnet__error_set(IOTNET_EINVAL, "%s: an entry is required", where);
    if (iotnet__version_check(ace->version, IOTNET_MUD_ACE_VERSION, "iotnet_mud_ace"))
        return IOTNET_EINVAL;
    if (!ace->name || !*ace->name)
        return iotnet__error_set(IOTNET_EINVAL, "%s: a MUD entry needs a name", where);
    const char *name = ace->name;
    if (ace->policy != IOTNET_MUD_FROM_DEVICE && ace->policy != IOTNET_MUD_TO_DEVICE)
        return iotnet__error_set(IOTNET_EINVAL, "%s entry \"%s\": policy must be from-device or to-device",
                                 where, name);
    const char *peer = iotnet_enum_name(IOTNET_ENUM_MUD_PEER, (int)ace->peer);
    if (!peer)
        return iotnet__error_set(IOTNET_EINVAL, "%s entry \"%s\": peer %d is not a MUD peer", where, name,
                                 (int)ace->peer);
    if (peer_has_value((int)ace->peer) && (!ace->peer_value || !*ace->peer_value))
        return iotnet__error_set(IOTNET_EINVAL, "%s entry \"%s\": a %s peer needs a value", where, name, peer);
    if (!peer_has_value((int)ace->peer) && ace->peer_value)
        return iotnet__error_set(IOTNET_EINVAL, "%s entry \"%s\": a %s peer takes no value (got \"%s\")", where,
                                 name, peer, ace->peer_value);
    uint32_t addr;
    uint8_t len;
    if (ace->peer == IOTNET_MUD_PEER_CIDR && iotnet_ipv4_parse(&addr, &len, ace->peer_value) != 0) {
        char prefix[600];
        snprintf(prefix, sizeof prefix, "%s entry \"%s\": peer", where, name);
        iotnet__error_prefix(prefix);
        return IOTNET_EINVAL;
    }
    if (!iotnet_enum_name(IOTNET_ENUM_PROTOCOL, ace->protocol))
        return iotnet__error_set(IOTNET_EINVAL, "%s entry \"%s\": protocol %d is not any, icmp, tcp, udp or sctp",
                                 where, name, ace->protocol);
    if (ace->src_port_lo > ace->src_port_hi || ace->dst_port_lo > ace->dst_port_hi)
        return iotnet__error_set(IOTNET_EINVAL, "%s entry \"%s\": port range %u-%u is empty", where, name,
                                 ace->src_port_lo > ace->src_port_hi ? ace->src_port_lo : ace->dst_port_lo,
                                 ace->src_port_lo > ace->src_port_hi ? ace->src_port_hi : ace->dst_port_hi);
    if (!iotnet_enum_name(IOTNET_ENUM_MUD_DIRECTION, (int)ace->initiated))
        return iotnet__error_set(IOTNET_EINVAL, "%s entry \"%s\": initiated %d is not any, from-device or to-device",
                                 where, name, (int)ace->initiated);
    if (!iotnet_enum_name(IOTNET_ENUM_ACTION, (int)ace->action))
        return iotnet__error_set(IOTNET_EINVAL, "%s entry \"%s\": action %d is not accept, drop or reject", where,
                                 name, (int)ace->action);
    return 0;
}

int iotnet__mud_ace_store(iotnet__strpool *pool, const iotnet_mud_ace *ace, mud_ace_rec *out)
{
    int error;
    memset(out, 0, sizeof *out);
    if ((error = iotnet__strpool_intern(pool, ace->acl, &out->acl)) ||
        (error = iotnet__strpool_intern(pool, ace->name, &out->name)) ||
        (error = iotnet__strpool_intern(pool, ace->peer_value, &out->peer_value)))
        return error;
    out->src_lo = ace->src_port_lo;
    out->src_hi = ace->src_port_hi;
    out->dst_lo = ace->dst_port_lo;
    out->dst_hi = ace->dst_port_hi;
    out->policy = (uint8_t)ace->policy;
    out->peer = (uint8_t)ace->peer;
    out->protocol = (uint8_t)ace->protocol;
    out->initiated = (uint8_t)ace->initiated;
    out->action = (uint8_t)ace->action;
    return 0;
}

void iotnet__mud_ace_read(const iotnet__strpool *pool, const mud_ace_rec *rec, iotnet_mud_ace *out)
{
    out->version = IOTNET_MUD_ACE_VERSION;
    out->acl = iotnet__str_text(pool, rec->acl);
    out->name = iotnet__str_text(pool, rec->name);
    out->policy = (iotnet_mud_direction)rec->policy;
    out->peer = (iotnet_mud_peer)rec->peer;
    out->peer_value = iotnet__str_text(pool, rec->peer_value);
    out->protocol = rec->protocol;
    out->src_port_lo = rec->src_lo;
    out->src_port_hi = rec->src_hi;
    out->dst_port_lo = rec->dst_lo;
    out->dst_port_hi = rec->dst_hi;
    out->initiated = (iotnet_mud_direction)rec->initiated;
    out->action = (iotnet_action)rec->action;
}

int iotnet__mud_info_check(const iotnet_mud_info *info, const char *where)
{
    if (!info)
        return iotnet__error_set(IOTNET_EINVAL, "%s: the profile's facts are required", where);
    if (iotnet__version_check(info->version, IOTNET_MUD_INFO_VERSION, "iotnet_mud_info"))
        return IOTNET_EINVAL;
    if (!info->mud_url || !*info->mud_url)
        return iotnet__error_set(IOTNET_EINVAL, "%s: a MUD profile needs a MUD URL", where);
    if (info->cache_validity < 0)
        return iotnet__error_set(IOTNET_EINVAL, "%s: cache validity %d is negative", where, info->cache_validity);
    if (!iotnet_enum_name(IOTNET_ENUM_TRISTATE, (int)info->is_supported))
        return iotnet__error_set(IOTNET_EINVAL, "%s: is_supported %d is not unknown, no or yes", where,
                                 (int)info->is_supported);
    return 0;
}

int iotnet__mud_info_store(iotnet__strpool *pool, const iotnet_mud_info *info, mud_info_rec *out)
{
    const char *texts[] = {info->mud_url, info->last_update, info->systeminfo,
                           info->mfg_name, info->model_name, info->documentation};
    iotnet__str *outs[] = {&out->mud_url, &out->last_update, &out->systeminfo,
                           &out->mfg_name, &out->model_name, &out->documentation};
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        int error = iotnet__strpool_intern(pool, texts[i], outs[i]);
        if (error)
            return error;
    }
    out->cache_validity = info->cache_validity;
    out->is_supported = (uint8_t)info->is_supported;
    return 0;
}

void iotnet__mud_info_read(const iotnet__strpool *pool, const mud_info_rec *rec, iotnet_mud_info *out)
{
    out->version = IOTNET_MUD_INFO_VERSION;
    out->mud_url = iotnet__str_text(pool, rec->mud_url);
    out->last_update = iotnet__str_text(pool, rec->last_update);
    out->systeminfo = iotnet__str_text(pool, rec->systeminfo);
    out->mfg_name = iotnet__str_text(pool, rec->mfg_name);
    out->model_name = iotnet__str_text(pool, rec->model_name);
    out->documentation = iotnet__str_text(pool, rec->documentation);
    out->cache_validity = rec->cache_validity;
    out->is_supported = (iotnet_tristate)rec->is_supported;
}

/* ---- profiles of nodes ------------------------------------------------ */

static const char *node_name(const iotnet_net *net, iotnet_index node)
{
    return iotnet__text(net, net->nodes.id[node]);
}

static mud_profile_rec *profile_of(const iotnet_net *net, iotnet_index node)
{
    uint32_t m = net->nodes.mud[node];
    return m == IOTNET_NONE ? NULL : &net->muds.items[m];
}

static int profile_require(const iotnet_net *net, iotnet_index node, mud_profile_rec **out)
{
    int error = iotnet__node_check(net, node);
    if (error)
        return error;
    *out = profile_of(net, node);
    if (!*out)
        return iotnet__error_set(IOTNET_ENOTFOUND, "node \"%s\" has no MUD profile", node_name(net, node));
    return 0;
}

static void where_node(char *buf, size_t size, const iotnet_net *net, iotnet_index node)
{
    snprintf(buf, size, "node \"%s\"", node_name(net, node));
}

/* Put a prepared profile on a node: into its old slot, or a new one (room made already). */
static void profile_install(iotnet_net *net, iotnet_index node, mud_profile_rec *rec)
{
    rec->node = node;
    mud_profile_rec *old = profile_of(net, node);
    if (old) {
        free(old->aces.items);
        *old = *rec;
        return;
    }
    net->nodes.mud[node] = net->muds.count;
    net->muds.items[net->muds.count++] = *rec;
}

/* Room for one more profile, unless the node has one whose slot is reused. */
static int profile_room(iotnet_net *net, iotnet_index node)
{
    return profile_of(net, node) ? 0 : IOTNET__VEC_PUSH_ROOM(net->muds);
}

int iotnet_node_mud_attach(iotnet_net *net, iotnet_index node, const iotnet_mud *mud)
{
    int error = iotnet__node_check(net, node);
    if (error)
        return error;
    if (!mud)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_node_mud_attach: mud is required");
    mud_profile_rec rec;
    memset(&rec, 0, sizeof rec);
    iotnet_mud_info info;
    iotnet__mud_info_read(&mud->strings, &mud->info, &info);
    if ((error = iotnet__mud_info_store(&net->strings, &info, &rec.info)) || (error = profile_room(net, node)))
        goto cleanup;
    if (mud->aces.count) {
        rec.aces.items = malloc((size_t)mud->aces.count * sizeof *rec.aces.items);
        if (!rec.aces.items) {
            error = iotnet__error_set(IOTNET_ENOMEM, "out of memory copying %u MUD entries", mud->aces.count);
            goto cleanup;
        }
        rec.aces.cap = mud->aces.count;
    }
    for (uint32_t i = 0; i < mud->aces.count; i++) {
        iotnet_mud_ace ace;
        iotnet__mud_ace_read(&mud->strings, &mud->aces.items[i], &ace);
        if ((error = iotnet__mud_ace_store(&net->strings, &ace, &rec.aces.items[i])))
            goto cleanup;
        rec.aces.count++;
    }
    profile_install(net, node, &rec);
    net->nodes.mud_url[node] = rec.info.mud_url;
    rec.aces.items = NULL;
cleanup:
    free(rec.aces.items);
    return error;
}

int iotnet__node_mud_set_info(iotnet_net *net, iotnet_index node, const iotnet_mud_info *info)
{
    char where[512];
    int error = iotnet__node_check(net, node);
    if (error)
        return error;
    where_node(where, sizeof where, net, node);
    mud_profile_rec rec;
    memset(&rec, 0, sizeof rec);
    if ((error = iotnet__mud_info_check(info, where)) ||
        (error = iotnet__mud_info_store(&net->strings, info, &rec.info)) || (error = profile_room(net, node)))
        return error;
    profile_install(net, node, &rec);
    return 0;
}

int iotnet_node_mud_detach(iotnet_net *net, iotnet_index node)
{
    mud_profile_rec *p;
    int error = profile_require(net, node, &p);
    if (error)
        return error;
    iotnet__node_mud_drop(net, node);
    return 0;
}

bool iotnet_node_mud_exists(const iotnet_net *net, iotnet_index node)
{
    return iotnet__node_alive(net, node) && profile_of(net, node) != NULL;
}

int iotnet_node_mud_info(const iotnet_net *net, iotnet_index node, iotnet_mud_info *out)
{
    mud_profile_rec *p;
    int error = profile_require(net, node, &p);
    if (error)
        return error;
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_node_mud_info: out is required");
    iotnet__mud_info_read(&net->strings, &p->info, out);
    return 0;
}

size_t iotnet_node_mud_ace_count(const iotnet_net *net, iotnet_index node)
{
    const mud_profile_rec *p = iotnet__node_alive(net, node) ? profile_of(net, node) : NULL;
    return p ? p->aces.count : 0;
}

int iotnet_node_mud_ace_get(const iotnet_net *net, iotnet_index node, size_t i, iotnet_mud_ace *out)
{
    mud_profile_rec *p;
    int error = profile_require(net, node, &p);
    if (error)
        return error;
    if (i >= p->aces.count || !out)
        return iotnet__error_set(i >= p->aces.count ? IOTNET_ENOTFOUND : IOTNET_EINVAL,
                                 "node \"%s\": no MUD entry number %zu", node_name(net, node), i);
    iotnet__mud_ace_read(&net->strings, &p->aces.items[i], out);
    return 0;
}

int iotnet_node_mud_add_ace(iotnet_net *net, iotnet_index node, const iotnet_mud_ace *ace)
{
    char where[512];
    int error = iotnet__node_check(net, node);
    if (error)
        return error;
    where_node(where, sizeof where, net, node);
    mud_ace_rec rec;
    if ((error = iotnet__mud_ace_check(ace, where)) || (error = iotnet__mud_ace_store(&net->strings, ace, &rec)))
        return error;
    mud_profile_rec *p = profile_of(net, node);
    if (p) {
        if ((error = IOTNET__VEC_PUSH_ROOM(p->aces)))
            return error;
        p->aces.items[p->aces.count++] = rec;
        return 0;
    }
    /* a profile of the node's MUD URL, made complete before it is installed */
    if (!net->nodes.mud_url[node])
        return iotnet__error_set(IOTNET_EINVAL,
                                 "%s has no MUD URL: set its mud_url or attach a profile before adding entries",
                                 where);
    mud_profile_rec fresh;
    memset(&fresh, 0, sizeof fresh);
    fresh.info.mud_url = net->nodes.mud_url[node];
    fresh.info.is_supported = IOTNET_UNKNOWN;
    if ((error = IOTNET__VEC_PUSH_ROOM(fresh.aces)))
        return error;
    if ((error = profile_room(net, node))) {
        free(fresh.aces.items);
        return error;
    }
    fresh.aces.items[fresh.aces.count++] = rec;
    profile_install(net, node, &fresh);
    return 0;
}

void iotnet__node_mud_drop(iotnet_net *net, iotnet_index node)
{
    mud_profile_rec *p = profile_of(net, node);
    if (!p)
        return;
    free(p->aces.items);
    memset(p, 0, sizeof *p);
    p->node = IOTNET_NONE;
    net->nodes.mud[node] = IOTNET_NONE;
}

void iotnet__muds_free(iotnet_net *net)
{
    for (uint32_t m = 0; m < net->muds.count; m++)
        free(net->muds.items[m].aces.items);
    free(net->muds.items);
    net->muds.items = NULL;
    net->muds.count = net->muds.cap = 0;
}

size_t iotnet__muds_memory(const iotnet_net *net)
{
    size_t total = (size_t)net->muds.cap * sizeof(mud_profile_rec);
    for (uint32_t m = 0; m < net->muds.count; m++)
        total += (size_t)net->muds.items[m].aces.cap * sizeof(mud_ace_rec);
    return total;
}
