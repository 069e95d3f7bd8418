/* Reading results back: target ids, elements by id, and evidence, the
 * facts that made a condition hold for one element. */
#include "eval_internal.h"
#include "error_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- ids ---------------------------------------------------------------------------------- */

void iotnet__eval_target_id(const eval_ctx *e, int table, uint32_t i, iotnet__buf *out)
{
    const iotnet_net *net = e->net;
    const service_rec *s;
    switch (table) {
    case IOTNET_TARGET_NODE: iotnet__buf_puts(out, iotnet__text(net, net->nodes.id[i])); break;
    case IOTNET_TARGET_LINK: iotnet__buf_puts(out, iotnet__text(net, net->links.id[i])); break;
    case IOTNET_TARGET_ZONE: iotnet__buf_puts(out, iotnet__text(net, net->zones.id[i])); break;
    case IOTNET_TARGET_CONDUIT: iotnet__buf_puts(out, iotnet__text(net, net->conduits.id[i])); break;
    case IOTNET_TARGET_SERVICE:
        s = &net->services.items[i];
        iotnet__buf_puts(out, iotnet__text(net, net->nodes.id[s->node]));
        iotnet__buf_puts(out, "/");
        iotnet__buf_puts(out, iotnet__text(net, s->name));
        break;
    }
}

uint32_t iotnet__eval_find(const eval_ctx *e, int table, const char *id)
{
    const iotnet_net *net = e->net;
    iotnet_index x;
    switch (table) {
    case IOTNET_TARGET_NODE: return iotnet_node_find(net, &x, id) == 0 ? x : IOTNET_NONE;
    case IOTNET_TARGET_LINK: return iotnet_link_find(net, &x, id) == 0 ? x : IOTNET_NONE;
    case IOTNET_TARGET_ZONE: return iotnet_zone_find(net, &x, id) == 0 ? x : IOTNET_NONE;
    case IOTNET_TARGET_CONDUIT: return iotnet_conduit_find(net, &x, id) == 0 ? x : IOTNET_NONE;
    default:
        /* "node/service": node ids may hold '/', so try every split */
        for (const char *slash = strchr(id, '/'); slash; slash = strchr(slash + 1, '/')) {
            char node[512];
            size_t n = (size_t)(slash - id);
            if (n >= sizeof node)
                break;
            memcpy(node, id, n);
            node[n] = '\0';
            iotnet__str name = iotnet__strpool_lookup(&net->strings, slash + 1);
            if (!name || iotnet_node_find(net, &x, node) != 0)
                continue;
            for (uint32_t s = net->nodes.first_service[x]; s != IOTNET_NONE; s = net->services.items[s].next)
                if (net->services.items[s].name == name)
                    return s;
        }
        return IOTNET_NONE;
    }
}

/* ---- evidence ------------------------------------------------------------------------------ */

static void value_text(const eval_ctx *e, const cond *c, const fval *x, iotnet__buf *out)
{
    const iotnet_net *net = e->net;
    char buf[64];
    switch (c->ftype) {
    case FT_KIND:
        iotnet__buf_puts(out, iotnet_kind_name(net, (iotnet_kind)x->i));
        break;
    case FT_ENUM: {
        const char *name = iotnet_enum_name((iotnet_enum)c->enumeration, (int)x->i);
        if (name)
            iotnet__buf_puts(out, name);
        else
            iotnet__buf_printf(out, "%lld", (long long)x->i);
        break;
    }
    case FT_MEDIA: {
        bool first = true;
        for (int m = 0; m < 32; m++)
            if ((x->i >> m) & 1) {
                iotnet__buf_printf(out, "%s%s", first ? "" : " ", iotnet_enum_name(IOTNET_ENUM_MEDIUM, m));
                first = false;
            }
        break;
    }
    case FT_BOOL: iotnet__buf_puts(out, x->i ? "true" : "false"); break;
    case FT_INT: {
        char digits[24];
        int n = 0;
        uint64_t u = x->i < 0 ? (uint64_t)0 - (uint64_t)x->i : (uint64_t)x->i;
        do
            digits[sizeof digits - 1 - n++] = (char)('0' + u % 10);
        while ((u /= 10) && n < 21);
        if (x->i < 0)
            digits[sizeof digits - 1 - n++] = '-';
        iotnet__buf_append(out, digits + sizeof digits - n, (size_t)n);
        break;
    }
    case FT_FLOAT: iotnet__buf_printf(out, "%g", x->f); break;
    case FT_DATE:
        if (iotnet__date_format(buf, sizeof buf, x->i) == 0)
            iotnet__buf_puts(out, buf);
        break;
    case FT_DURATION:
        if (iotnet__duration_format(buf, sizeof buf, x->i) == 0)
            iotnet__buf_puts(out, buf);
        break;
    default: {
        const char *t = iotnet__text(net, x->s);
        iotnet__buf_puts(out, t && *t ? t : "\"\"");
    }
    }
}

static void fact_sep(iotnet__buf *out)
{
    if (out->len)
        iotnet__buf_puts(out, "; ");
}

static void evidence(eval_ctx *e, uint32_t ci, uint32_t i, const char *prefix, iotnet__buf *out, int depth)
{
    const cond *c = &e->cat->conds.items[ci];
    const word *bits = e->memo[c->memo] ? e->memo[c->memo] : e->partial[c->memo];
    if (!bits || !bit_get(bits, i) || depth > 32)
        return;
    const iotnet_net *net = e->net;
    switch (c->type) {
    case C_ALL:
    case C_ANY:
        for (uint32_t k = c->child; k != IOTNET_NONE; k = e->cat->conds.items[k].next)
            evidence(e, k, i, prefix, out, depth + 1);
        return;
    case C_NOT:
        fact_sep(out);
        iotnet__buf_puts(out, prefix);
        iotnet__buf_puts(out, cat_text(e->cat, c->text));
        return;
    case C_REACH: {
        const reach_cache *rc = NULL;
        for (uint32_t k = 0; k < e->reaches.count; k++)
            if (e->reaches.items[k].from == c->attr)
                rc = &e->reaches.items[k];
        int cls = !rc ? 0 : c->table == IOTNET_TARGET_NODE ? rc->node_class[i] : rc->service_class[i];
        fact_sep(out);
        iotnet__buf_printf(out, "%sreachable from %s %s", prefix, cat_text(e->cat, c->attr),
                           iotnet_enum_name(IOTNET_ENUM_EXPOSURE, cls));
        return;
    }
    case C_FIELD: {
        leaf lf;
        memset(&lf, 0, sizeof lf);
        lf.c = c;
        if (c->field == F_NODE_EXPOSURE || c->field == F_SVC_EXPOSURE)
            for (uint32_t k = 0; k < e->reaches.count; k++)
                if (!strcmp(cat_text(e->cat, e->reaches.items[k].from), "internet"))
                    lf.exposure = &e->reaches.items[k];
        if (c->field == F_ATTR) {
            static const iotnet_entity entity[TABLE_COUNT] = {0, IOTNET_ENTITY_NODE, IOTNET_ENTITY_LINK, 0,
                                                              IOTNET_ENTITY_ZONE, 0};
            lf.col = iotnet__attr_column(net, entity[c->table], cat_text(e->cat, c->attr));
        }
        if ((c->field == F_NODE_EXPOSURE || c->field == F_SVC_EXPOSURE) && !lf.exposure)
            return;
        fval x = {0, 0, 0};
        bool present = iotnet__leaf_value(e, &lf, i, &x);
        fact_sep(out);
        const char *name = c->field == F_ATTR ? NULL : iotnet__fields[c->field].name;
        if (name) {
            iotnet__buf_puts(out, prefix);
            iotnet__buf_puts(out, name);
            iotnet__buf_puts(out, " ");
        } else
            iotnet__buf_printf(out, "%sattr:%s ", prefix, cat_text(e->cat, c->attr));
        if (present)
            value_text(e, c, &x, out);
        else
            iotnet__buf_puts(out, "unset");
        return;
    }
    case C_HOP: {
        char sub[300];
        uint32_t j = IOTNET_NONE;
        const word *inner = e->memo[e->cat->conds.items[c->child].memo];
        switch (c->field) {
        case HOP_SERVICE_NODE:
            evidence(e, c->child, net->services.items[i].node, prefix, out, depth + 1);
            return;
        case HOP_GATEWAY:
            for (uint32_t k = e->gw_first ? e->gw_first[i] : 0; e->gw_first && k < e->gw_first[i + 1]; k++)
                if (inner && bit_get(inner, e->gw[k])) {
                    j = e->gw[k];
                    break;
                }
            if (j == IOTNET_NONE)
                return;
            snprintf(sub, sizeof sub, "%sgateway %s ", prefix, iotnet__text(net, net->nodes.id[j]));
            break;
        case HOP_NODE_SERVICES:
            for (uint32_t s = net->nodes.first_service[i]; s != IOTNET_NONE; s = net->services.items[s].next)
                if (inner && bit_get(inner, s)) {
                    j = s;
                    break;
                }
            if (j == IOTNET_NONE)
                return;
            snprintf(sub, sizeof sub, "%sservice %s ", prefix, iotnet__text(net, net->services.items[j].name));
            break;
        case HOP_LINK_A:
        case HOP_LINK_B:
            j = c->field == HOP_LINK_A ? net->links.a[i] : net->links.b[i];
            snprintf(sub, sizeof sub, "%s%s %s ", prefix, c->field == HOP_LINK_A ? "a" : "b",
                     iotnet__text(net, net->nodes.id[j]));
            break;
        case HOP_CONDUIT_FROM:
        case HOP_CONDUIT_TO:
            j = c->field == HOP_CONDUIT_FROM ? net->conduits.from[i] : net->conduits.to[i];
            snprintf(sub, sizeof sub, "%s%s %s ", prefix, c->field == HOP_CONDUIT_FROM ? "from" : "to",
                     iotnet__text(net, net->zones.id[j]));
            break;
        default:
            return;
        }
        evidence(e, c->child, j, sub, out, depth + 1);
        return;
    }
    default:
        return;
    }
}

void iotnet__eval_evidence(eval_ctx *e, uint32_t ci, uint32_t i, iotnet__buf *out)
{
    evidence(e, ci, i, "", out, 0);
}
