/* iotnet info MODEL: a summary of a model as text, JSON or CSV. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char *const info_formats[] = {"text", "json", "csv", NULL};

static const char *const families[] = {"forwarding", "device", "cloud-service", "internet", "other"};
#define FAMILY_COUNT (sizeof families / sizeof families[0])
#define MEDIUM_SLOTS 64 /* more than the iotnet_medium values */

typedef struct tally {
    const char *name;
    size_t count;
} tally;

typedef struct zone_fact {
    iotnet_zone_spec spec;
    size_t nodes;
} zone_fact;

/* A service worth naming: opened through NAT or weakly protected management. */
typedef struct service_fact {
    const char *node;
    iotnet_service svc;
} service_fact;

typedef struct list {
    void *items;
    size_t count;
    size_t cap;
} list;

/* The facts of a model that every output format shows. */
typedef struct model_info {
    const iotnet_net *net;
    size_t services;
    tally families[FAMILY_COUNT];
    size_t family_count;
    list kinds;          /* tally */
    list media;          /* tally */
    list zones;          /* zone_fact */
    list enforcers;      /* iotnet_index */
    list traversal;      /* service_fact */
    list weak_management; /* service_fact */
} model_info;

/* ------------------------------------------------------------------ */
/* Gathering                                                           */

static void *list_push(list *l, size_t size)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        void *items = realloc(l->items, cap * size);
        if (!items)
            return NULL;
        l->items = items;
        l->cap = cap;
    }
    return (char *)l->items + size * l->count++;
}

static int push_tally(list *l, const char *name, size_t count)
{
    tally *t = list_push(l, sizeof *t);
    if (!t)
        return IOTNET_ENOMEM;
    *t = (tally){name, count};
    return 0;
}

static int by_count_then_name(const void *a, const void *b)
{
    const tally *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->name, y->name);
}

static size_t family_slot(const char *family)
{
    for (size_t i = 0; i < FAMILY_COUNT; i++)
        if (strcmp(families[i], family) == 0)
            return i;
    return FAMILY_COUNT - 1;
}

static int gather_kinds(model_info *info, const size_t *per_kind, const size_t *per_family)
{
    const iotnet_net *net = info->net;
    for (size_t k = 0; k < iotnet_kind_count(net); k++)
        if (per_kind[k] && push_tally(&info->kinds, iotnet_kind_name(net, (iotnet_kind)k), per_kind[k]))
            return IOTNET_ENOMEM;
    qsort(info->kinds.items, info->kinds.count, sizeof(tally), by_count_then_name);
    for (size_t f = 0; f < FAMILY_COUNT; f++)
        if (per_family[f])
            info->families[info->family_count++] = (tally){families[f], per_family[f]};
    qsort(info->families, info->family_count, sizeof(tally), by_count_then_name);
    return 0;
}

static int push_service(list *l, const char *node, const iotnet_service *svc)
{
    service_fact *s = list_push(l, sizeof *s);
    if (!s)
        return IOTNET_ENOMEM;
    *s = (service_fact){node, *svc};
    return 0;
}

static int gather_services(model_info *info, iotnet_index node, const char *id)
{
    size_t count = iotnet_service_count(info->net, node);
    info->services += count;
    for (size_t i = 0; i < count; i++) {
        iotnet_service svc;
        int error = iotnet_service_get(info->net, node, i, &svc);
        if (!error && svc.nat_traversal != IOTNET_TRAVERSAL_NONE)
            error = push_service(&info->traversal, id, &svc);
        if (!error && svc.management &&
            (svc.authentication == IOTNET_AUTH_NONE || svc.authentication == IOTNET_AUTH_DEFAULT_PASSWORD))
            error = push_service(&info->weak_management, id, &svc);
        if (error)
            return error;
    }
    return 0;
}

static bool has_nat(const iotnet_net *net, iotnet_index node)
{
    return iotnet_nat_exists(net, node);
}

/* Zones in table order, with a map from zone index to position for counting. */
static int gather_zones(model_info *info, size_t **out_pos, size_t *out_slots)
{
    size_t slots = 0;
    for (iotnet_index z = iotnet_zone_next(info->net, IOTNET_NONE); z != IOTNET_NONE;
         z = iotnet_zone_next(info->net, z)) {
        zone_fact *f = list_push(&info->zones, sizeof *f);
        if (!f)
            return IOTNET_ENOMEM;
        int error = iotnet_zone_get(info->net, z, &f->spec);
        if (error)
            return error;
        f->nodes = 0;
        if ((size_t)z + 1 > slots)
            slots = (size_t)z + 1;
    }
    size_t *pos = malloc((slots + 1) * sizeof *pos);
    if (!pos)
        return IOTNET_ENOMEM;
    size_t p = 0;
    for (iotnet_index z = iotnet_zone_next(info->net, IOTNET_NONE); z != IOTNET_NONE;
         z = iotnet_zone_next(info->net, z))
        pos[z] = p++;
    *out_pos = pos;
    *out_slots = slots;
    return 0;
}

static int gather_nodes(model_info *info, const size_t *zone_pos, size_t zone_slots)
{
    const iotnet_net *net = info->net;
    size_t per_family[FAMILY_COUNT] = {0};
    size_t *per_kind = calloc(iotnet_kind_count(net) + 1, sizeof *per_kind);
    if (!per_kind)
        return IOTNET_ENOMEM;
    int error = 0;
    for (iotnet_index n = iotnet_node_next(net, IOTNET_NONE); n != IOTNET_NONE && !error;
         n = iotnet_node_next(net, n)) {
        iotnet_node_spec spec;
        error = iotnet_node_get(net, n, &spec);
        if (error)
            break;
        iotnet_kind kind = iotnet_node_kind(net, n);
        if (kind < iotnet_kind_count(net))
            per_kind[kind]++;
        per_family[family_slot(iotnet_export_kind_family(net, kind))]++;
        iotnet_index zone = iotnet_node_zone(net, n);
        if (zone < zone_slots)
            ((zone_fact *)info->zones.items)[zone_pos[zone]].nodes++;
        if (iotnet_policy_exists(net, n) || has_nat(net, n)) {
            iotnet_index *e = list_push(&info->enforcers, sizeof *e);
            if (!e)
                error = IOTNET_ENOMEM;
            else
                *e = n;
        }
        if (!error)
            error = gather_services(info, n, spec.id);
    }
    if (!error)
        error = gather_kinds(info, per_kind, per_family);
    free(per_kind);
    return error;
}

static int gather_media(model_info *info)
{
    size_t per_medium[MEDIUM_SLOTS] = {0};
    for (iotnet_index l = iotnet_link_next(info->net, IOTNET_NONE); l != IOTNET_NONE;
         l = iotnet_link_next(info->net, l)) {
        iotnet_link_spec spec;
        if (iotnet_link_get(info->net, l, &spec) == 0 && (unsigned)spec.medium < MEDIUM_SLOTS)
            per_medium[spec.medium]++;
    }
    for (int m = 0; m < MEDIUM_SLOTS; m++) {
        if (!per_medium[m])
            continue;
        const char *name = m == IOTNET_MEDIUM_UNSPECIFIED ? NULL : iotnet_enum_name(IOTNET_ENUM_MEDIUM, m);
        if (push_tally(&info->media, name ? name : "unspecified", per_medium[m]))
            return IOTNET_ENOMEM;
    }
    qsort(info->media.items, info->media.count, sizeof(tally), by_count_then_name);
    return 0;
}

static void info_free(model_info *info)
{
    free(info->kinds.items);
    free(info->media.items);
    free(info->zones.items);
    free(info->enforcers.items);
    free(info->traversal.items);
    free(info->weak_management.items);
}

static int gather(model_info *info, const iotnet_net *net)
{
    memset(info, 0, sizeof *info);
    info->net = net;
    size_t *zone_pos = NULL, zone_slots = 0;
    int error = gather_zones(info, &zone_pos, &zone_slots);
    if (!error)
        error = gather_nodes(info, zone_pos, zone_slots);
    if (!error)
        error = gather_media(info);
    free(zone_pos);
    return error;
}

/* ------------------------------------------------------------------ */
/* Shared wording                                                      */

static const char *enum_or(iotnet_enum type, int value, const char *fallback)
{
    const char *name = value ? iotnet_enum_name(type, value) : NULL;
    return name ? name : fallback;
}

static const char *protocol_name(int protocol)
{
    const char *name = iotnet_enum_name(IOTNET_ENUM_PROTOCOL, protocol);
    return name ? name : "?";
}

/* "tcp/443", "icmp" */
static void append_service_address(iotnet__buf *b, const iotnet_service *svc)
{
    iotnet__buf_puts(b, protocol_name(svc->protocol));
    if (svc->port)
        iotnet__buf_printf(b, "/%u", (unsigned)svc->port);
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* ------------------------------------------------------------------ */
/* Text                                                                */

static void text_tallies(iotnet__buf *b, const char *title, const tally *t, size_t count)
{
    iotnet__buf_printf(b, "\n%s:\n", title);
    if (!count)
        iotnet__buf_puts(b, "  none\n");
    int width = 0;
    for (size_t i = 0; i < count; i++)
        if ((int)strlen(t[i].name) > width)
            width = (int)strlen(t[i].name);
    for (size_t i = 0; i < count; i++)
        iotnet__buf_printf(b, "  %-*s %zu\n", width, t[i].name, t[i].count);
}

static void text_zones(iotnet__buf *b, const model_info *info)
{
    const zone_fact *zones = info->zones.items;
    iotnet__buf_puts(b, "\nzones:\n");
    if (!info->zones.count)
        iotnet__buf_puts(b, "  none\n");
    for (size_t i = 0; i < info->zones.count; i++) {
        const iotnet_zone_spec *z = &zones[i].spec;
        iotnet__buf_printf(b, "  %s: %s", z->id, z->kind);
        if (z->purdue_level >= 0)
            iotnet__buf_printf(b, ", Purdue level %g", z->purdue_level);
        if (z->target_sl)
            iotnet__buf_printf(b, ", target SL %u", (unsigned)z->target_sl);
        iotnet__buf_printf(b, ", %zu %s\n", zones[i].nodes, plural(zones[i].nodes, "node", "nodes"));
    }
}

static void text_nat(iotnet__buf *b, const iotnet_net *net, iotnet_index node, const iotnet_nat *nat)
{
    iotnet__buf_printf(b, "NAT44%s, mapping %s, filtering %s", nat->cgnat ? " (CGNAT)" : "",
                       enum_or(IOTNET_ENUM_NAT_MAPPING, (int)nat->mapping, "?"),
                       enum_or(IOTNET_ENUM_NAT_FILTERING, (int)nat->filtering, "?"));
    if (nat->hairpinning)
        iotnet__buf_puts(b, ", hairpinning");
    if (nat->upnp)
        iotnet__buf_puts(b, ", UPnP");
    if (nat->pcp)
        iotnet__buf_puts(b, ", PCP");
    iotnet__buf_puts(b, "\n");
    size_t forwards = iotnet_nat_forward_count(net, node);
    for (size_t i = 0; i < forwards; i++) {
        iotnet_port_forward f;
        if (iotnet_nat_get_forward(net, node, i, &f) != 0)
            continue;
        iotnet__buf_printf(b, "    port forward %s: %s/%u -> %s:%u\n", f.name, protocol_name(f.protocol),
                           (unsigned)f.external_port, f.to_node,
                           (unsigned)(f.internal_port ? f.internal_port : f.external_port));
    }
}

static void text_enforcers(iotnet__buf *b, const model_info *info)
{
    const iotnet_index *nodes = info->enforcers.items;
    iotnet__buf_puts(b, "\nenforcement points:\n");
    if (!info->enforcers.count)
        iotnet__buf_puts(b, "  none\n");
    for (size_t i = 0; i < info->enforcers.count; i++) {
        iotnet_node_spec spec;
        if (iotnet_node_get(info->net, nodes[i], &spec) != 0)
            continue;
        iotnet__buf_printf(b, "  %s (%s): ", spec.id, spec.kind);
        iotnet_action action;
        bool policy = iotnet_policy_get_default(info->net, nodes[i], &action) == 0;
        if (policy) {
            size_t rules = iotnet_policy_rule_count(info->net, nodes[i]);
            iotnet__buf_printf(b, "firewall %zu %s, default %s", rules, plural(rules, "rule", "rules"),
                               enum_or(IOTNET_ENUM_ACTION, (int)action, "?"));
        }
        iotnet_nat nat;
        if (iotnet_nat_get(info->net, nodes[i], &nat) == 0) {
            iotnet__buf_puts(b, policy ? "; " : "");
            text_nat(b, info->net, nodes[i], &nat);
        } else {
            iotnet__buf_puts(b, "\n");
        }
    }
}

static void text_services(iotnet__buf *b, const char *title, const list *l, bool traversal)
{
    const service_fact *s = l->items;
    iotnet__buf_printf(b, "\n%s:\n", title);
    if (!l->count)
        iotnet__buf_puts(b, "  none\n");
    for (size_t i = 0; i < l->count; i++) {
        iotnet__buf_printf(b, "  %s %s ", s[i].node, s[i].svc.name);
        append_service_address(b, &s[i].svc);
        if (traversal)
            iotnet__buf_printf(b, " via %s\n",
                               enum_or(IOTNET_ENUM_NAT_TRAVERSAL, (int)s[i].svc.nat_traversal, "?"));
        else
            iotnet__buf_printf(b, " authentication %s\n",
                               enum_or(IOTNET_ENUM_AUTH, (int)s[i].svc.authentication, "?"));
    }
}

static void render_text(iotnet__buf *b, const model_info *info)
{
    const iotnet_net *net = info->net;
    const char *name = iotnet_net_name(net);
    iotnet__buf_printf(b, "model: %s\n", name ? name : "(unnamed)");
    iotnet__buf_printf(b, "nodes: %zu, links: %zu, zones: %zu, conduits: %zu, services: %zu\n",
                       iotnet_node_count(net), iotnet_link_count(net), iotnet_zone_count(net),
                       iotnet_conduit_count(net), info->services);
    text_tallies(b, "nodes by family", info->families, info->family_count);
    text_tallies(b, "nodes by kind", info->kinds.items, info->kinds.count);
    text_zones(b, info);
    text_enforcers(b, info);
    text_services(b, "services opened through NAT (UPnP, PCP, hole punching)", &info->traversal, true);
    text_services(b, "management services without authentication or with a default password",
                  &info->weak_management, false);
    text_tallies(b, "link media", info->media.items, info->media.count);
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */

static void json_tallies(cli_json *j, const char *key, const tally *t, size_t count)
{
    cli_json_begin_object(j, key);
    for (size_t i = 0; i < count; i++)
        cli_json_int(j, t[i].name, (long long)t[i].count);
    cli_json_end_object(j);
}

static void json_zones(cli_json *j, const model_info *info)
{
    const zone_fact *zones = info->zones.items;
    cli_json_begin_array(j, "zones");
    for (size_t i = 0; i < info->zones.count; i++) {
        const iotnet_zone_spec *z = &zones[i].spec;
        cli_json_begin_object(j, NULL);
        cli_json_string(j, "id", z->id);
        cli_json_string(j, "kind", z->kind);
        if (z->purdue_level >= 0)
            cli_json_double(j, "purdue_level", z->purdue_level);
        else
            cli_json_null(j, "purdue_level");
        if (z->target_sl)
            cli_json_int(j, "target_sl", z->target_sl);
        else
            cli_json_null(j, "target_sl");
        cli_json_int(j, "nodes", (long long)zones[i].nodes);
        cli_json_end_object(j);
    }
    cli_json_end_array(j);
}

static void json_forwards(cli_json *j, const iotnet_net *net, iotnet_index node)
{
    cli_json_begin_array(j, "port_forwards");
    size_t forwards = iotnet_nat_forward_count(net, node);
    for (size_t i = 0; i < forwards; i++) {
        iotnet_port_forward f;
        if (iotnet_nat_get_forward(net, node, i, &f) != 0)
            continue;
        cli_json_begin_object(j, NULL);
        cli_json_string(j, "name", f.name);
        cli_json_string(j, "protocol", protocol_name(f.protocol));
        cli_json_int(j, "external_port", f.external_port);
        cli_json_string(j, "to_node", f.to_node);
        cli_json_int(j, "internal_port", f.internal_port ? f.internal_port : f.external_port);
        cli_json_end_object(j);
    }
    cli_json_end_array(j);
}

static void json_enforcer(cli_json *j, const iotnet_net *net, iotnet_index node)
{
    iotnet_node_spec spec;
    if (iotnet_node_get(net, node, &spec) != 0)
        return;
    cli_json_begin_object(j, NULL);
    cli_json_string(j, "node", spec.id);
    cli_json_string(j, "kind", spec.kind);
    cli_json_string(j, "implementation", spec.implementation);
    iotnet_action action;
    if (iotnet_policy_get_default(net, node, &action) == 0) {
        cli_json_begin_object(j, "policy");
        cli_json_int(j, "rules", (long long)iotnet_policy_rule_count(net, node));
        cli_json_string(j, "default_action", enum_or(IOTNET_ENUM_ACTION, (int)action, NULL));
        cli_json_end_object(j);
    } else {
        cli_json_null(j, "policy");
    }
    iotnet_nat nat;
    if (iotnet_nat_get(net, node, &nat) == 0) {
        cli_json_begin_object(j, "nat44");
        cli_json_string(j, "mapping", enum_or(IOTNET_ENUM_NAT_MAPPING, (int)nat.mapping, NULL));
        cli_json_string(j, "filtering", enum_or(IOTNET_ENUM_NAT_FILTERING, (int)nat.filtering, NULL));
        cli_json_bool(j, "hairpinning", nat.hairpinning);
        cli_json_bool(j, "upnp", nat.upnp);
        cli_json_bool(j, "pcp", nat.pcp);
        cli_json_bool(j, "cgnat", nat.cgnat);
        json_forwards(j, net, node);
        cli_json_end_object(j);
    } else {
        cli_json_null(j, "nat44");
    }
    cli_json_end_object(j);
}

static void json_services(cli_json *j, const char *key, const list *l)
{
    const service_fact *s = l->items;
    cli_json_begin_array(j, key);
    for (size_t i = 0; i < l->count; i++) {
        cli_json_begin_object(j, NULL);
        cli_json_string(j, "node", s[i].node);
        cli_json_string(j, "service", s[i].svc.name);
        cli_json_string(j, "protocol", protocol_name(s[i].svc.protocol));
        if (s[i].svc.port)
            cli_json_int(j, "port", s[i].svc.port);
        else
            cli_json_null(j, "port");
        cli_json_string(j, "authentication", enum_or(IOTNET_ENUM_AUTH, (int)s[i].svc.authentication, NULL));
        cli_json_bool(j, "management", s[i].svc.management);
        cli_json_string(j, "nat_traversal",
                        enum_or(IOTNET_ENUM_NAT_TRAVERSAL, (int)s[i].svc.nat_traversal, NULL));
        cli_json_end_object(j);
    }
    cli_json_end_array(j);
}

static void render_json(iotnet__buf *b, const model_info *info)
{
    const iotnet_net *net = info->net;
    cli_json j = {.b = b};
    cli_json_begin_object(&j, NULL);
    cli_json_string(&j, "name", iotnet_net_name(net));
    cli_json_begin_object(&j, "counts");
    cli_json_int(&j, "nodes", (long long)iotnet_node_count(net));
    cli_json_int(&j, "links", (long long)iotnet_link_count(net));
    cli_json_int(&j, "zones", (long long)iotnet_zone_count(net));
    cli_json_int(&j, "conduits", (long long)iotnet_conduit_count(net));
    cli_json_int(&j, "services", (long long)info->services);
    cli_json_end_object(&j);
    json_tallies(&j, "families", info->families, info->family_count);
    json_tallies(&j, "kinds", info->kinds.items, info->kinds.count);
    json_zones(&j, info);
    cli_json_begin_array(&j, "enforcement_points");
    for (size_t i = 0; i < info->enforcers.count; i++)
        json_enforcer(&j, net, ((const iotnet_index *)info->enforcers.items)[i]);
    cli_json_end_array(&j);
    json_services(&j, "nat_traversal_services", &info->traversal);
    json_services(&j, "weak_management_services", &info->weak_management);
    json_tallies(&j, "media", info->media.items, info->media.count);
    cli_json_end_object(&j);
}

/* ------------------------------------------------------------------ */
/* CSV: one row per node                                               */

static const char *enforcement_label(const iotnet_net *net, iotnet_index node)
{
    bool policy = iotnet_policy_exists(net, node), nat = has_nat(net, node);
    return policy && nat ? "policy+nat44" : policy ? "policy" : nat ? "nat44" : "";
}

static int render_csv(iotnet__buf *b, const iotnet_net *net)
{
    iotnet__buf_puts(b, "id,kind,family,zone,vendor,model,firmware,enforcement,services\n");
    for (iotnet_index n = iotnet_node_next(net, IOTNET_NONE); n != IOTNET_NONE; n = iotnet_node_next(net, n)) {
        iotnet_node_spec spec;
        char *services = NULL;
        int error = iotnet_node_get(net, n, &spec);
        if (!error)
            error = iotnet_export_services(net, n, &services);
        if (error)
            return error;
        const char *fields[] = {spec.id, spec.kind, iotnet_export_kind_family(net, iotnet_node_kind(net, n)),
                                spec.zone, spec.vendor, spec.model, spec.firmware,
                                enforcement_label(net, n), services};
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
            if (i)
                iotnet__buf_puts(b, ",");
            cli_csv_field(b, fields[i]);
        }
        iotnet__buf_puts(b, "\n");
        iotnet_string_free(services);
    }
    return 0;
}

/* ------------------------------------------------------------------ */

static int run_info(const cli_args *args)
{
    const char *path = args->operands[0];
    iotnet_net *net = NULL;
    if (cli_open_model(&net, args, path) != CLI_EXIT_OK)
        return CLI_EXIT_INVALID;
    iotnet__buf out = {0};
    int error = 0;
    if (strcmp(args->format, "csv") == 0) {
        error = render_csv(&out, net);
    } else {
        model_info info;
        error = gather(&info, net);
        if (!error && strcmp(args->format, "json") == 0)
            render_json(&out, &info);
        else if (!error)
            render_text(&out, &info);
        info_free(&info);
    }
    int rc;
    if (error) {
        fprintf(stderr, "iotnet info: %s: %s\n", path, iotnet_strerror(error));
        rc = CLI_EXIT_INVALID;
    } else {
        rc = cli_write_output(args, &out);
    }
    iotnet__buf_free(&out);
    iotnet_net_free(net);
    return rc;
}

const cli_command cli_info_command = {
    .name = "info",
    .summary = "summarise a model: counts, kinds, zones, enforcement points, exposures",
    .help =
        "Usage: iotnet info [OPTIONS] MODEL\n"
        "\n"
        "Summarise a topology file: counts of nodes, links, zones, conduits and services;\n"
        "nodes per kind family and per kind; zones with their kind, Purdue level, target\n"
        "security level and node count; enforcement points (firewall policies with their\n"
        "rule counts and default action, NAT44 behaviour and port forwards); services\n"
        "opened through NAT by UPnP, PCP or hole punching; management services without\n"
        "authentication or with a default password; link media.\n"
        "\n"
        "Options:\n"
        "  --format text|json|csv  text (default), a JSON object with the same facts, or\n"
        "                          CSV with one row per node (id, kind, family, zone,\n"
        "                          vendor, model, firmware, enforcement, services)\n"
        "  -o, --output FILE       write to FILE (atomically) instead of stdout\n"
        "  --yang-path DIRS        ':'-separated directories with YANG modules that\n"
        "                          extend the kinds\n"
        "  -h, --help              show this help\n"
        "\n"
        "Exit status: 0 written, 2 usage error, 3 the model failed to load or the\n"
        "output could not be written.\n",
    .options = CLI_OPT_FORMAT | CLI_OPT_OUTPUT | CLI_OPT_YANG_PATH,
    .formats = info_formats,
    .min_operands = 1,
    .max_operands = 1,
    .operand_name = "MODEL",
    .run = run_info,
};
