/* Where each condition field's value lives in the model. Most fields are a
 * column: an array, a member of a record array, or a member of a record
 * that the element points to (a node's lifecycle, NAT or policy). A leaf
 * reads such a column in a tight loop (eval_fields.c) and the evidence one
 * element at a time, through the same description. The few fields that
 * combine several facts, and floating-point fields, are computed. */
#include "eval_internal.h"

#include <stddef.h>
#include <string.h>

static bool array_column(field_column *out, const void *base, uint8_t width, uint8_t flags)
{
    out->base = base;
    out->stride = width;
    out->width = width;
    out->flags = flags;
    return true;
}

/* a member of the record `via[i]` in a record array (of `stride` bytes) */
static bool record_column(field_column *out, const uint32_t *via, const void *records, size_t stride,
                          size_t offset, uint8_t width, uint8_t flags)
{
    out->via = via;
    out->base = records;
    out->stride = stride;
    out->offset = offset;
    out->width = width;
    out->flags = flags;
    return true;
}

#define STR (uint8_t)sizeof(iotnet__str)
#define MEMBER(type, member) sizeof(type), offsetof(type, member), (uint8_t)sizeof(((type *)0)->member)

static bool node_column(const eval_ctx *e, const leaf *lf, field_column *out)
{
    const node_table *t = &e->net->nodes;
    const void *lcs = e->net->lifecycles.items, *nats = e->net->nats.items;
    switch (lf->c->field) {
    case F_NODE_ID: return array_column(out, t->id, STR, COL_ZERO_UNSET);
    case F_NODE_KIND: return array_column(out, t->kind, sizeof *t->kind, 0);
    case F_NODE_ZONE:
        return record_column(out, t->zone, e->net->zones.id, STR, 0, STR, COL_NONE_UNSET | COL_ZERO_UNSET);
    case F_NODE_ZONE_KIND:
        return record_column(out, t->zone, e->net->zones.kind, sizeof(uint32_t), 0, sizeof(uint32_t),
                             COL_NONE_UNSET);
    case F_NODE_VENDOR: return array_column(out, t->vendor, STR, COL_ZERO_UNSET);
    case F_NODE_MODEL: return array_column(out, t->model, STR, COL_ZERO_UNSET);
    case F_NODE_FIRMWARE: return array_column(out, t->firmware, STR, COL_ZERO_UNSET);
    case F_NODE_IMPLEMENTATION: return array_column(out, t->implementation, STR, COL_ZERO_UNSET);
    case F_NODE_MUD_URL: return array_column(out, t->mud_url, STR, COL_ZERO_UNSET);
    case F_NODE_DESCRIPTION: return array_column(out, t->description, STR, COL_ZERO_UNSET);
    case F_NODE_HAS_POLICY: return array_column(out, t->policy, sizeof(uint32_t), COL_NOT_NONE);
    case F_NODE_HAS_NAT: return array_column(out, t->nat, sizeof(uint32_t), COL_NOT_NONE);
    case F_NODE_HAS_MUD: return array_column(out, t->mud, sizeof(uint32_t), COL_NOT_NONE);
    case F_NODE_DEFAULT_ACTION:
        return record_column(out, t->policy, e->net->policies.items, MEMBER(policy_rec, default_action),
                             COL_NONE_UNSET);
    case F_NODE_NAT_FILTERING: return record_column(out, t->nat, nats, MEMBER(nat_rec, filtering), COL_NONE_UNSET);
    case F_NODE_NAT_MAPPING: return record_column(out, t->nat, nats, MEMBER(nat_rec, mapping), COL_NONE_UNSET);
    case F_NODE_NAT_UPNP:
        return record_column(out, t->nat, nats, MEMBER(nat_rec, upnp), COL_NONE_UNSET | COL_NONZERO);
    case F_NODE_NAT_PCP:
        return record_column(out, t->nat, nats, MEMBER(nat_rec, pcp), COL_NONE_UNSET | COL_NONZERO);
    case F_NODE_NAT_CGNAT:
        return record_column(out, t->nat, nats, MEMBER(nat_rec, cgnat), COL_NONE_UNSET | COL_NONZERO);
    case F_NODE_NAT_HAIRPINNING:
        return record_column(out, t->nat, nats, MEMBER(nat_rec, hairpinning), COL_NONE_UNSET | COL_NONZERO);
    case F_NODE_NAT_FORWARDS:
        return record_column(out, t->nat, nats, MEMBER(nat_rec, forwards.count), COL_NONE_UNSET);
    case F_NODE_CERT_NOT_AFTER:
        return record_column(out, t->lifecycle, lcs, MEMBER(lifecycle_rec, certificate_not_after),
                             COL_NONE_UNSET | COL_TIME_UNSET);
    case F_NODE_ARTIFACT_LIFETIME:
        return record_column(out, t->lifecycle, lcs, MEMBER(lifecycle_rec, signed_artifact_lifetime),
                             COL_NONE_UNSET | COL_TIME_UNSET);
    case F_NODE_END_OF_SUPPORT:
        return record_column(out, t->lifecycle, lcs, MEMBER(lifecycle_rec, end_of_support),
                             COL_NONE_UNSET | COL_TIME_UNSET);
    case F_NODE_OWNER:
        return record_column(out, t->lifecycle, lcs, MEMBER(lifecycle_rec, owner), COL_NONE_UNSET | COL_ZERO_UNSET);
    /* without lifecycle facts the enumerations read as unspecified/unknown (0) */
    case F_NODE_UPDATE: return record_column(out, t->lifecycle, lcs, MEMBER(lifecycle_rec, update), 0);
    case F_NODE_OWNERSHIP: return record_column(out, t->lifecycle, lcs, MEMBER(lifecycle_rec, ownership), 0);
    case F_NODE_RESET: return record_column(out, t->lifecycle, lcs, MEMBER(lifecycle_rec, reset), 0);
    case F_NODE_CLOUD: return record_column(out, t->lifecycle, lcs, MEMBER(lifecycle_rec, cloud), 0);
    case F_NODE_ESCROWED: return record_column(out, t->lifecycle, lcs, MEMBER(lifecycle_rec, escrowed), 0);
    case F_NODE_ATTESTATION: return record_column(out, t->lifecycle, lcs, MEMBER(lifecycle_rec, attestation), 0);
    /* derived columns: present once the leaf has been prepared */
    case F_NODE_SERVICE_COUNT: return e->service_count && array_column(out, e->service_count, sizeof(uint16_t), 0);
    case F_NODE_MGMT_COUNT: return e->management_count && array_column(out, e->management_count, sizeof(uint16_t), 0);
    case F_NODE_EXPOSURE: return lf->exposure && array_column(out, lf->exposure->node_class, 1, 0);
    case F_NODE_EXPOSED_COUNT: return e->exposed_count && array_column(out, e->exposed_count, sizeof(uint32_t), 0);
    case F_NODE_LINK_MEDIA: return e->media && array_column(out, e->media, sizeof(uint32_t), 0);
    default: return false;
    }
}

static bool service_column(const eval_ctx *e, const leaf *lf, field_column *out)
{
    const service_rec *s = e->net->services.items;
    switch (lf->c->field) {
    case F_SVC_NAME: return record_column(out, NULL, s, MEMBER(service_rec, name), COL_ZERO_UNSET);
    case F_SVC_PROTOCOL: return record_column(out, NULL, s, MEMBER(service_rec, protocol), 0);
    case F_SVC_PORT: return record_column(out, NULL, s, MEMBER(service_rec, port), 0);
    case F_SVC_AUTH: return record_column(out, NULL, s, MEMBER(service_rec, auth), 0);
    case F_SVC_TRANSPORT: return record_column(out, NULL, s, MEMBER(service_rec, transport), 0);
    case F_SVC_CIPHERS: return record_column(out, NULL, s, MEMBER(service_rec, cipher_suites), COL_ZERO_UNSET);
    case F_SVC_MANAGEMENT: return record_column(out, NULL, s, MEMBER(service_rec, management), COL_NONZERO);
    case F_SVC_TRAVERSAL: return record_column(out, NULL, s, MEMBER(service_rec, traversal), 0);
    case F_SVC_EXPOSURE: return lf->exposure && array_column(out, lf->exposure->service_class, 1, 0);
    default: return false;
    }
}

static bool link_column(const eval_ctx *e, const leaf *lf, field_column *out)
{
    const link_table *t = &e->net->links;
    switch (lf->c->field) {
    case F_LINK_ID: return array_column(out, t->id, STR, COL_ZERO_UNSET);
    case F_LINK_MEDIUM: return array_column(out, t->medium, 1, 0);
    case F_LINK_ENCRYPTION: return array_column(out, t->encryption, 1, 0);
    default: return false;
    }
}

static bool zone_column(const eval_ctx *e, const leaf *lf, field_column *out)
{
    const zone_table *t = &e->net->zones;
    switch (lf->c->field) {
    case F_ZONE_ID: return array_column(out, t->id, STR, COL_ZERO_UNSET);
    case F_ZONE_KIND: return array_column(out, t->kind, sizeof *t->kind, 0);
    case F_ZONE_TARGET_SL: return array_column(out, t->target_sl, 1, COL_ZERO_UNSET);
    case F_ZONE_NODE_COUNT: return e->zone_nodes && array_column(out, e->zone_nodes, sizeof(uint32_t), 0);
    case F_ZONE_UNCOVERED: return e->zone_uncovered && array_column(out, e->zone_uncovered, sizeof(uint32_t), 0);
    default: return false;
    }
}

static bool conduit_column(const eval_ctx *e, const leaf *lf, field_column *out)
{
    const conduit_table *t = &e->net->conduits;
    const iotnet__str *zone_ids = e->net->zones.id;
    switch (lf->c->field) {
    case F_CONDUIT_ID: return array_column(out, t->id, STR, COL_ZERO_UNSET);
    case F_CONDUIT_FROM: return record_column(out, t->from, zone_ids, STR, 0, STR, COL_NONE_UNSET | COL_ZERO_UNSET);
    case F_CONDUIT_TO: return record_column(out, t->to, zone_ids, STR, 0, STR, COL_NONE_UNSET | COL_ZERO_UNSET);
    case F_CONDUIT_SERVICES: return array_column(out, t->services, STR, 0); /* "" reads as a value */
    case F_CONDUIT_BIDIR: return array_column(out, t->bidirectional, 1, COL_NONZERO);
    default: return false;
    }
}

static bool attr_column_of(const leaf *lf, field_column *out)
{
    const attr_column *col = lf->col;
    if (!col)
        return false;
    switch (col->type) {
    case IOTNET_ATTR_FLOAT: return false;
    case IOTNET_ATTR_STRING: array_column(out, col->v.string, STR, 0); break;
    default: array_column(out, col->v.integer, sizeof(int64_t), 0); break;
    }
    out->present = col->present;
    out->present_count = col->cap;
    return true;
}

bool iotnet__field_column(const eval_ctx *e, const leaf *lf, field_column *out)
{
    memset(out, 0, sizeof *out);
    if (lf->c->field == F_ATTR)
        return attr_column_of(lf, out);
    switch (lf->c->table) {
    case IOTNET_TARGET_NODE: return node_column(e, lf, out);
    case IOTNET_TARGET_SERVICE: return service_column(e, lf, out);
    case IOTNET_TARGET_LINK: return link_column(e, lf, out);
    case IOTNET_TARGET_ZONE: return zone_column(e, lf, out);
    default: return conduit_column(e, lf, out);
    }
}

/* Fields with no column of their own. */
static bool computed_value(const eval_ctx *e, const leaf *lf, uint32_t i, fval *x)
{
    const iotnet_net *net = e->net;
    switch (lf->c->field) {
    case F_NODE_FORWARDING:
        x->i = iotnet_kind_is_a(net, net->nodes.kind[i], net->kind_forwarding) ||
               iotnet_kind_is_a(net, net->nodes.kind[i], net->kind_internet);
        return true;
    case F_NODE_CERT_OUTLIVED: {
        uint32_t l = net->nodes.lifecycle[i];
        const lifecycle_rec *lc = l == IOTNET_NONE ? NULL : &net->lifecycles.items[l];
        x->i = lc && lc->certificate_not_after != IOTNET_TIME_UNSET && lc->signed_artifact_lifetime != IOTNET_TIME_UNSET &&
               lc->certificate_not_after < e->now + lc->signed_artifact_lifetime;
        return true;
    }
    case F_LINK_LATENCY: x->f = net->links.latency_ms[i]; return x->f >= 0;
    case F_ZONE_PURDUE: x->f = net->zones.purdue[i]; return x->f >= 0;
    case F_CONDUIT_ANY: {
        const char *svc = iotnet__text(net, net->conduits.services[i]);
        x->i = !svc || !*svc;
        return true;
    }
    case F_ATTR: /* floating-point attributes */
        if (!lf->col || i >= lf->col->cap || !lf->col->present[i])
            return false;
        x->f = lf->col->v.real[i];
        return true;
    default: return false; /* a derived column not computed: no value */
    }
}

bool iotnet__leaf_value(const eval_ctx *e, const leaf *lf, uint32_t i, fval *x)
{
    field_column col;
    if (!iotnet__field_column(e, lf, &col))
        return computed_value(e, lf, i, x);
    int64_t v;
    if (!iotnet__column_read(&col, i, &v))
        return false;
    x->i = v;
    x->s = (iotnet__str)v;
    return true;
}
