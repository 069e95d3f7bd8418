/* Findings as OSCAL assessment results: subjects, observations, risks and
 * the per-control findings (see oscal.h for what each holds). */
#include "error_internal.h"
#include "iotnet/library.h"
#include "iotnet/names.h"
#include "oscal_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef char uuid_t_[IOTNET_UUID_TEXT_SIZE];

/* A finding target (or a service target's node) as an OSCAL subject. */
typedef struct subject {
    int kind;          /* iotnet_target */
    const char *id;    /* target id, borrowed from the findings or the model */
    iotnet_index index; /* node, link, zone or conduit; for a service its node */
    size_t service;    /* the service's position on its node */
} subject;

/* A finding's id and position, sorted by id. */
struct finding_ref {
    const char *id;
    size_t index;
};

/* A service subject in the order of its node. */
struct service_ref {
    iotnet_index node;
    const char *id;
};

typedef struct ar {
    os_doc *d;
    const iotnet_net *net;
    const iotnet_catalog *cat;
    const iotnet_findings *f;
    size_t count;
    char now[32];
    uuid_t_ tool;
    iotnet__buf s1, s2;          /* scratch text */
    subject *subjects;
    size_t subject_count;
    struct service_ref *services; /* the service subjects, by their node's index */
    size_t service_count;
    os_controls *controls;       /* the compliance mapping of the findings */
    struct finding_ref *by_id;   /* the findings by id, for the control findings */
    int8_t *threat_test;         /* per threat: 1 TEST, 0 EXAMINE, -1 not yet known */
    uuid_t_ *observations;       /* per finding: its observation's uuid, and its risk's */
    uuid_t_ *risks;
} ar;

/* ------------------------------------------------------------------ */
/* Catalog lookups                                                     */

static int get_finding(const ar *a, size_t i, iotnet_finding *x)
{
    x->version = IOTNET_FINDING_VERSION;
    return iotnet_findings_get(a->f, i, x);
}

static int threat_of(const ar *a, const iotnet_finding *x, iotnet_threat_info *t, long *index)
{
    *index = x->threat ? iotnet_catalog_find_threat(a->cat, x->threat) : -1;
    t->version = IOTNET_THREAT_INFO_VERSION;
    if (*index < 0 || iotnet_catalog_threat(a->cat, (size_t)*index, t) != 0)
        return iotnet__error_set(IOTNET_EINVAL, "finding %s names threat %s, which the catalog lacks: "
                                 "analyze with the same catalog", x->id, x->threat ? x->threat : "(none)");
    return 0;
}

/* The i-th finding and its threat. */
static int finding_and_threat(const ar *a, size_t i, iotnet_finding *x, iotnet_threat_info *t, long *threat)
{
    int error = get_finding(a, i, x);
    return error ? error : threat_of(a, x, t, threat);
}

/* Whether `name` occurs in `text` as a field name (not inside a longer one). */
static int names_field(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strstr(text, name); p; p = strstr(p + 1, name)) {
        char before = p > text ? p[-1] : ' ', after = p[n];
        int inside_before = before == '-' || (before >= 'a' && before <= 'z') || (before >= '0' && before <= '9');
        int inside_after = after == '-' || (after >= 'a' && after <= 'z') || (after >= '0' && after <= '9');
        if (!inside_before && !inside_after)
            return 1;
    }
    return 0;
}

/* TEST when the threat's condition rests on what the analyses derived
   (reachability exercised the model), EXAMINE when it reads declared facts. */
static const char *method_of(ar *a, long threat, const iotnet_threat_info *t)
{
    if (a->threat_test[threat] < 0) {
        const char *cond = t->condition ? t->condition : "";
        int test = strstr(cond, "reachable from") != NULL;
        iotnet_catalog_field field;
        for (size_t i = 0; !test && iotnet_catalog_field_next(i, &field) == 0; i++)
            test = field.description && strncmp(field.description, "derived:", 8) == 0 &&
                   names_field(cond, field.name);
        a->threat_test[threat] = (int8_t)test;
    }
    return a->threat_test[threat] ? "TEST" : "EXAMINE";
}

static int prepare_threats(ar *a)
{
    size_t n = iotnet_catalog_threat_count(a->cat) + 1;
    a->threat_test = malloc(n);
    if (!a->threat_test)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    memset(a->threat_test, -1, n);
    return 0;
}

/* Each finding's observation and risk uuids, named once: the control
   findings refer to them many times. */
static int ref_cmp(const void *pa, const void *pb)
{
    return strcmp(((const struct finding_ref *)pa)->id, ((const struct finding_ref *)pb)->id);
}

static int name_findings(ar *a)
{
    a->observations = malloc((a->count + 1) * sizeof *a->observations);
    a->risks = malloc((a->count + 1) * sizeof *a->risks);
    a->by_id = malloc((a->count + 1) * sizeof *a->by_id);
    if (!a->observations || !a->risks || !a->by_id)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    for (size_t i = 0; i < a->count; i++) {
        iotnet_finding x;
        int error = get_finding(a, i, &x);
        if (error)
            return error;
        iotnet__os_uuid(a->d, a->observations[i], "observation/%s", x.id);
        iotnet__os_uuid(a->d, a->risks[i], "risk/%s", x.id);
        a->by_id[i] = (struct finding_ref){x.id, i};
    }
    qsort(a->by_id, a->count, sizeof *a->by_id, ref_cmp);
    return 0;
}

/* Every finding names a threat of the catalog: findings of another catalog are refused. */
static int check_threats(ar *a)
{
    for (size_t i = 0; i < a->count; i++) {
        iotnet_finding x;
        iotnet_threat_info t;
        long threat;
        int error = finding_and_threat(a, i, &x, &t, &threat);
        if (error)
            return error;
    }
    return 0;
}

/* os_finding_refs: the observation or risk uuid of a finding id. */
static const char *finding_uuid(void *context, const char *finding_id, int risk)
{
    const ar *a = context;
    struct finding_ref key = {finding_id, 0};
    const struct finding_ref *found = bsearch(&key, a->by_id, a->count, sizeof key, ref_cmp);
    if (!found)
        return NULL;
    return risk ? a->risks[found->index] : a->observations[found->index];
}

/* ------------------------------------------------------------------ */
/* Subjects                                                            */

static int subject_cmp(const void *pa, const void *pb)
{
    const subject *x = pa, *y = pb;
    if (x->kind != y->kind)
        return x->kind - y->kind;
    return strcmp(x->id, y->id);
}

/* A service target "node/service": node ids may hold '/', so try each split. */
static int find_service(const iotnet_net *net, const char *target, subject *out)
{
    for (const char *slash = strchr(target, '/'); slash; slash = strchr(slash + 1, '/')) {
        char node[512];
        size_t n = (size_t)(slash - target);
        iotnet_index x;
        if (n >= sizeof node)
            break;
        memcpy(node, target, n);
        node[n] = '\0';
        if (iotnet_node_find(net, &x, node) != 0)
            continue;
        size_t count = iotnet_service_count(net, x);
        for (size_t i = 0; i < count; i++) {
            iotnet_service svc = {.version = IOTNET_SERVICE_VERSION};
            if (iotnet_service_get(net, x, i, &svc) == 0 && strcmp(svc.name, slash + 1) == 0) {
                out->index = x;
                out->service = i;
                return 0;
            }
        }
    }
    return IOTNET_ENOTFOUND;
}

static int resolve_target(const ar *a, int kind, const char *id, subject *out)
{
    *out = (subject){kind, id, IOTNET_NONE, 0};
    int rc;
    switch (kind) {
    case IOTNET_TARGET_NODE: rc = iotnet_node_find(a->net, &out->index, id); break;
    case IOTNET_TARGET_LINK: rc = iotnet_link_find(a->net, &out->index, id); break;
    case IOTNET_TARGET_ZONE: rc = iotnet_zone_find(a->net, &out->index, id); break;
    case IOTNET_TARGET_CONDUIT: rc = iotnet_conduit_find(a->net, &out->index, id); break;
    case IOTNET_TARGET_SERVICE: rc = find_service(a->net, id, out); break;
    default: rc = IOTNET_ENOTFOUND;
    }
    if (rc != 0)
        return iotnet__error_set(IOTNET_EINVAL, "finding target %s is not in the model: "
                                 "analyze the model the document describes", id);
    return 0;
}

static int service_cmp(const void *pa, const void *pb)
{
    const struct service_ref *x = pa, *y = pb;
    if (x->node != y->node)
        return x->node < y->node ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* The service subjects ordered by node, so that a node finds its own at once. */
static int index_services(ar *a)
{
    a->services = malloc((a->subject_count + 1) * sizeof *a->services);
    if (!a->services)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    for (size_t i = 0; i < a->subject_count; i++)
        if (a->subjects[i].kind == IOTNET_TARGET_SERVICE)
            a->services[a->service_count++] = (struct service_ref){a->subjects[i].index, a->subjects[i].id};
    qsort(a->services, a->service_count, sizeof *a->services, service_cmp);
    return 0;
}

/* Every target once, and the node of every service target. */
static int collect_subjects(ar *a)
{
    a->subjects = malloc((2 * a->count + 1) * sizeof *a->subjects);
    if (!a->subjects)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    for (size_t i = 0; i < a->count; i++) {
        iotnet_finding x;
        int error = get_finding(a, i, &x);
        if (!error)
            error = resolve_target(a, (int)x.target_kind, x.target, &a->subjects[a->subject_count]);
        if (error)
            return error;
        subject *s = &a->subjects[a->subject_count++];
        if (s->kind == IOTNET_TARGET_SERVICE) {
            iotnet_node_spec spec = {.version = IOTNET_NODE_SPEC_VERSION};
            if ((error = iotnet_node_get(a->net, s->index, &spec)) != 0)
                return error;
            a->subjects[a->subject_count++] = (subject){IOTNET_TARGET_NODE, spec.id, s->index, 0};
        }
    }
    qsort(a->subjects, a->subject_count, sizeof *a->subjects, subject_cmp);
    size_t kept = 0;
    for (size_t i = 0; i < a->subject_count; i++)
        if (kept == 0 || subject_cmp(&a->subjects[kept - 1], &a->subjects[i]) != 0)
            a->subjects[kept++] = a->subjects[i];
    a->subject_count = kept;
    return index_services(a);
}

static const char *subject_prefix(int kind)
{
    switch (kind) {
    case IOTNET_TARGET_NODE: return "node";
    case IOTNET_TARGET_LINK: return "link";
    case IOTNET_TARGET_SERVICE: return "service";
    case IOTNET_TARGET_ZONE: return "zone";
    default: return "conduit";
    }
}

static void subject_uuid(ar *a, char out[IOTNET_UUID_TEXT_SIZE], int kind, const char *id)
{
    iotnet__os_uuid(a->d, out, "%s/%s", subject_prefix(kind), id);
}

static void service_protocol(ar *a, os_node *component, const iotnet_service *svc)
{
    os_node *p = iotnet__os_item(a->d, component, "protocols", "protocol");
    iotnet__os_flag(a->d, p, "name", svc->name);
    const char *transport = svc->protocol == IOTNET_PROTO_TCP ? "TCP" : svc->protocol == IOTNET_PROTO_UDP ? "UDP" : NULL;
    if (transport && svc->port) {
        os_node *r = iotnet__os_item(a->d, p, "port-ranges", "port-range");
        iotnet__os_flag_int(a->d, r, "start", svc->port);
        iotnet__os_flag_int(a->d, r, "end", svc->port);
        iotnet__os_flag(a->d, r, "transport", transport);
    }
}

/* The component of a service, link, zone or conduit subject. */
static int write_component(ar *a, os_node *defs, const subject *s)
{
    uuid_t_ id;
    subject_uuid(a, id, s->kind, s->id);
    os_node *c = iotnet__os_item(a->d, defs, "components", "component");
    iotnet__os_flag(a->d, c, "uuid", id);
    const char *title = NULL, *description = NULL;
    iotnet_service svc = {.version = IOTNET_SERVICE_VERSION};
    int error = 0;
    if (s->kind == IOTNET_TARGET_SERVICE) {
        iotnet__os_flag(a->d, c, "type", "service");
        error = iotnet_service_get(a->net, s->index, s->service, &svc);
        if (error)
            return error;
        char flow[32];
        const char *proto = iotnet_enum_name(IOTNET_ENUM_PROTOCOL, svc.protocol);
        if (svc.port)
            snprintf(flow, sizeof flow, "%s/%u", proto ? proto : "?", (unsigned)svc.port);
        else
            snprintf(flow, sizeof flow, "%s", proto ? proto : "?");
        title = iotnet__os_printf(a->d, &a->s1, "Service %s", s->id);
        description = iotnet__os_printf(a->d, &a->s2, "The %s service %s of the model.", flow, s->id);
    } else if (s->kind == IOTNET_TARGET_LINK) {
        iotnet_link_spec l = {.version = IOTNET_LINK_SPEC_VERSION};
        if ((error = iotnet_link_get(a->net, s->index, &l)) != 0)
            return error;
        iotnet__os_flag(a->d, c, "type", "interconnection");
        const char *medium = l.medium ? iotnet_enum_name(IOTNET_ENUM_MEDIUM, (int)l.medium) : NULL;
        title = iotnet__os_printf(a->d, &a->s1, "Link %s", s->id);
        description = iotnet__os_printf(a->d, &a->s2, "The %s%slink between %s and %s.", medium ? medium : "",
                                        medium ? " " : "", l.a, l.b);
    } else if (s->kind == IOTNET_TARGET_ZONE) {
        iotnet_zone_spec z = {.version = IOTNET_ZONE_SPEC_VERSION};
        if ((error = iotnet_zone_get(a->net, s->index, &z)) != 0)
            return error;
        iotnet__os_flag(a->d, c, "type", "network");
        title = iotnet__os_printf(a->d, &a->s1, "Zone %s", s->id);
        description = iotnet__os_printf(a->d, &a->s2, "The %s zone %s of the model.", z.kind, s->id);
    } else {
        iotnet_conduit_spec k = {.version = IOTNET_CONDUIT_SPEC_VERSION};
        if ((error = iotnet_conduit_get(a->net, s->index, &k)) != 0)
            return error;
        iotnet__os_flag(a->d, c, "type", "interconnection");
        title = iotnet__os_printf(a->d, &a->s1, "Conduit %s", s->id);
        description = iotnet__os_printf(a->d, &a->s2, "The conduit from zone %s to zone %s (services: %s).",
                                        k.from_zone, k.to_zone, k.services && k.services[0] ? k.services : "any");
    }
    iotnet__os_markup(a->d, c, "title", title, 0);
    iotnet__os_markup(a->d, c, "description", description, 1);
    iotnet__os_prop(a->d, c, "target", s->id, IOTNET_OSCAL_NS);
    os_node *status = iotnet__os_assembly(a->d, c, "status");
    iotnet__os_flag(a->d, status, "state", "operational");
    if (s->kind == IOTNET_TARGET_SERVICE)
        service_protocol(a, c, &svc);
    return 0;
}

/* A node subject as an inventory item, implementing its service subjects
   (those follow the node in `services`, sorted by id). */
static int write_inventory_item(ar *a, os_node *defs, const subject *s)
{
    iotnet_node_spec spec = {.version = IOTNET_NODE_SPEC_VERSION};
    int error = iotnet_node_get(a->net, s->index, &spec);
    if (error)
        return error;
    uuid_t_ id;
    subject_uuid(a, id, s->kind, s->id);
    os_node *item = iotnet__os_item(a->d, defs, "inventory-items", "inventory-item");
    iotnet__os_flag(a->d, item, "uuid", id);
    const char *description =
        spec.description && spec.description[0]
            ? iotnet__os_printf(a->d, &a->s1, "Node %s (%s): %s", spec.id, spec.kind, spec.description)
            : iotnet__os_printf(a->d, &a->s1, "Node %s (%s) of the model.", spec.id, spec.kind);
    iotnet__os_markup(a->d, item, "description", description, 1);
    iotnet__os_prop(a->d, item, "asset-id", spec.id, NULL);
    iotnet__os_prop(a->d, item, "kind", spec.kind, IOTNET_OSCAL_NS);
    iotnet__os_prop(a->d, item, "zone", spec.zone, IOTNET_OSCAL_NS);
    iotnet__os_prop(a->d, item, "vendor", spec.vendor, IOTNET_OSCAL_NS);
    iotnet__os_prop(a->d, item, "model", spec.model, IOTNET_OSCAL_NS);
    iotnet__os_prop(a->d, item, "firmware", spec.firmware, IOTNET_OSCAL_NS);
    size_t lo = 0, hi = a->service_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a->services[mid].node < s->index)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < a->service_count && a->services[i].node == s->index; i++) {
        uuid_t_ svc;
        subject_uuid(a, svc, IOTNET_TARGET_SERVICE, a->services[i].id);
        os_node *ic = iotnet__os_item(a->d, item, "implemented-components", "implemented-component");
        iotnet__os_flag(a->d, ic, "component-uuid", svc);
    }
    return 0;
}

static void write_tool(ar *a, os_node *defs)
{
    os_node *assets = iotnet__os_assembly(a->d, defs, "assessment-assets");
    os_node *c = iotnet__os_item(a->d, assets, "components", "component");
    iotnet__os_flag(a->d, c, "uuid", a->tool);
    iotnet__os_flag(a->d, c, "type", "software");
    iotnet__os_markup(a->d, c, "title", "libiotnet", 0);
    iotnet__os_markup(a->d, c, "description",
                      iotnet__os_printf(a->d, &a->s1,
                                        "libiotnet %s: threat catalogs evaluated against a network model, "
                                        "with reachability through its NAT44, firewall and MUD layers.",
                                        iotnet_version()),
                      1);
    iotnet__os_prop(a->d, c, "version", iotnet_version(), NULL);
    os_node *status = iotnet__os_assembly(a->d, c, "status");
    iotnet__os_flag(a->d, status, "state", "operational");
    os_node *platform = iotnet__os_item(a->d, assets, "assessment-platforms", "assessment-platform");
    uuid_t_ id;
    iotnet__os_uuid(a->d, id, "platform/libiotnet");
    iotnet__os_flag(a->d, platform, "uuid", id);
    iotnet__os_markup(a->d, platform, "title", "libiotnet", 0);
    os_node *uses = iotnet__os_item(a->d, platform, "uses-components", "uses-component");
    iotnet__os_flag(a->d, uses, "component-uuid", a->tool);
}

static int write_local_definitions(ar *a, os_node *result)
{
    os_node *defs = iotnet__os_assembly(a->d, result, "local-definitions");
    int error = 0;
    for (size_t i = 0; i < a->subject_count && !error; i++)
        if (a->subjects[i].kind != IOTNET_TARGET_NODE)
            error = write_component(a, defs, &a->subjects[i]);
    for (size_t i = 0; i < a->subject_count && !error; i++)
        if (a->subjects[i].kind == IOTNET_TARGET_NODE)
            error = write_inventory_item(a, defs, &a->subjects[i]);
    if (!error)
        write_tool(a, defs);
    return error;
}

/* ------------------------------------------------------------------ */
/* Observations and risks                                              */

static const char *target_kind_name(int kind)
{
    const char *name = iotnet_enum_name(IOTNET_ENUM_TARGET, kind);
    return name ? name : "?";
}

static const char *status_name(iotnet_finding_status status)
{
    const char *name = iotnet_enum_name(IOTNET_ENUM_FINDING_STATUS, (int)status);
    return name ? name : "?";
}

static void tool_origin(ar *a, os_node *parent, int single)
{
    os_node *origin = single ? iotnet__os_assembly(a->d, parent, "origin")
                             : iotnet__os_item(a->d, parent, "origins", "origin");
    os_node *actor = iotnet__os_item(a->d, origin, "actors", "actor");
    iotnet__os_flag(a->d, actor, "type", "tool");
    iotnet__os_flag(a->d, actor, "actor-uuid", a->tool);
}

static void subject_ref(ar *a, os_node *parent, int kind, const char *id, const char *title)
{
    uuid_t_ u;
    subject_uuid(a, u, kind, id);
    os_node *s = iotnet__os_item(a->d, parent, "subjects", "subject");
    iotnet__os_flag(a->d, s, "subject-uuid", u);
    iotnet__os_flag(a->d, s, "type", kind == IOTNET_TARGET_NODE ? "inventory-item" : "component");
    iotnet__os_markup(a->d, s, "title", title, 0);
}

static int observation_subjects(ar *a, os_node *obs, const iotnet_finding *x)
{
    subject_ref(a, obs, (int)x->target_kind, x->target, x->target);
    if (x->target_kind != IOTNET_TARGET_SERVICE)
        return 0;
    subject s;
    iotnet_node_spec spec = {.version = IOTNET_NODE_SPEC_VERSION};
    int error = resolve_target(a, IOTNET_TARGET_SERVICE, x->target, &s);
    if (!error)
        error = iotnet_node_get(a->net, s.index, &spec);
    if (!error)
        subject_ref(a, obs, IOTNET_TARGET_NODE, spec.id, spec.id);
    return error;
}

static const char *threat_text(const iotnet_threat_info *t)
{
    return t->description && t->description[0] ? t->description : t->title;
}

static int write_observation(ar *a, os_node *result, size_t i, const iotnet_finding *x,
                             const iotnet_threat_info *t, long threat)
{
    os_node *obs = iotnet__os_item(a->d, result, "observations", "observation");
    iotnet__os_flag(a->d, obs, "uuid", a->observations[i]);
    iotnet__os_markup(a->d, obs, "title", iotnet__os_printf(a->d, &a->s1, "%s: %s", t->title, x->target), 0);
    iotnet__os_markup(a->d, obs, "description", threat_text(t), 1);
    iotnet__os_prop(a->d, obs, "finding-id", x->id, IOTNET_OSCAL_NS);
    iotnet__os_prop(a->d, obs, "threat", x->threat, IOTNET_OSCAL_NS);
    iotnet__os_prop(a->d, obs, "target", x->target, IOTNET_OSCAL_NS);
    iotnet__os_prop(a->d, obs, "target-kind", target_kind_name((int)x->target_kind), IOTNET_OSCAL_NS);
    iotnet__os_prop(a->d, obs, "status", status_name(x->status), IOTNET_OSCAL_NS);
    iotnet__os_field_item(a->d, obs, "methods", "method", method_of(a, threat, t));
    if (x->status != IOTNET_FINDING_NOT_APPLICABLE)
        iotnet__os_field_item(a->d, obs, "types", "type",
                              x->status == IOTNET_FINDING_MITIGATED ? "mitigation" : "finding");
    tool_origin(a, obs, 0);
    int error = observation_subjects(a, obs, x);
    if (error)
        return error;
    if (x->evidence && x->evidence[0]) {
        os_node *ev = iotnet__os_item(a->d, obs, "relevant-evidence", "relevant-evidence");
        iotnet__os_markup(a->d, ev, "description", x->evidence, 1);
    }
    iotnet__os_field(a->d, obs, "collected", a->now);
    return 0;
}

static const char *risk_status(iotnet_finding_status status)
{
    switch (status) {
    case IOTNET_FINDING_MITIGATED: return "closed";
    case IOTNET_FINDING_ACCEPTED: return "deviation-approved";
    default: return "open";
    }
}

static void characterization(ar *a, os_node *risk, const char *phase, int likelihood, int impact)
{
    os_node *c = iotnet__os_item(a->d, risk, "characterizations", "characterization");
    iotnet__os_prop(a->d, c, "phase", phase, IOTNET_OSCAL_NS);
    tool_origin(a, c, 1);
    static const char *const names[] = {"likelihood", "impact", "risk"};
    int values[] = {likelihood, impact, likelihood * impact};
    for (int i = 0; i < 3; i++) {
        char value[16];
        snprintf(value, sizeof value, "%d", values[i]);
        os_node *facet = iotnet__os_item(a->d, c, "facets", "facet");
        iotnet__os_flag(a->d, facet, "name", names[i]);
        iotnet__os_flag(a->d, facet, "system", OSCAL_NIST_SYSTEM);
        iotnet__os_flag(a->d, facet, "value", value);
    }
}

static void mitigating_factors(ar *a, os_node *risk, const iotnet_finding *x)
{
    char word[300];
    const char *p = x->mitigations ? x->mitigations : "";
    while (iotnet__os_next_word(&p, word, sizeof word)) {
        long m = iotnet_catalog_find_mitigation(a->cat, word);
        iotnet_mitigation_info info = {.version = IOTNET_MITIGATION_INFO_VERSION};
        const char *title = m >= 0 && iotnet_catalog_mitigation(a->cat, (size_t)m, &info) == 0 ? info.title : word;
        uuid_t_ id;
        iotnet__os_uuid(a->d, id, "mitigating-factor/%s/%s", x->id, word);
        os_node *factor = iotnet__os_item(a->d, risk, "mitigating-factors", "mitigating-factor");
        iotnet__os_flag(a->d, factor, "uuid", id);
        iotnet__os_markup(a->d, factor, "description",
                          iotnet__os_printf(a->d, &a->s1, "%s (%s) is in place for %s.", title, word, x->target), 1);
        iotnet__os_prop(a->d, factor, "mitigation", word, IOTNET_OSCAL_NS);
    }
}

/* When the model's decision on this finding was taken, or unset. */
static int64_t decided_on(const ar *a, const char *finding)
{
    size_t n = iotnet_risk_decision_count(a->net);
    for (size_t i = 0; i < n; i++) {
        iotnet_risk_decision rd = {.version = IOTNET_RISK_DECISION_VERSION};
        if (iotnet_risk_decision_get(a->net, i, &rd) == 0 && rd.finding && strcmp(rd.finding, finding) == 0)
            return rd.decided;
    }
    return IOTNET_TIME_UNSET;
}

static void party_uuid(ar *a, char out[IOTNET_UUID_TEXT_SIZE], const char *by)
{
    iotnet__os_uuid(a->d, out, "party/%s", by);
}

static void risk_log(ar *a, os_node *risk, const iotnet_finding *x)
{
    char start[32], until[32];
    int64_t decided = decided_on(a, x->id);
    if (decided != IOTNET_TIME_UNSET)
        iotnet__os_datetime(start, decided);
    else
        strcpy(start, a->now);
    os_node *log = iotnet__os_assembly(a->d, risk, "risk-log");
    os_node *entry = iotnet__os_item(a->d, log, "entries", "entry");
    uuid_t_ id, party;
    iotnet__os_uuid(a->d, id, "risk-log/%s", x->id);
    iotnet__os_flag(a->d, entry, "uuid", id);
    iotnet__os_markup(a->d, entry, "title", iotnet__os_printf(a->d, &a->s1, "Risk accepted by %s", x->accepted_by), 0);
    iotnet__os_markup(a->d, entry, "description", x->accepted_reason, 1);
    iotnet__os_field(a->d, entry, "start", start);
    if (x->accepted_until != IOTNET_TIME_UNSET) {
        iotnet__os_datetime(until, x->accepted_until);
        iotnet__os_field(a->d, entry, "end", until);
    }
    party_uuid(a, party, x->accepted_by);
    os_node *by = iotnet__os_item(a->d, entry, "logged-by", "logged-by");
    iotnet__os_flag(a->d, by, "party-uuid", party);
    iotnet__os_field(a->d, entry, "status-change", "deviation-approved");
}

static void risk_statement(ar *a, const iotnet_finding *x)
{
    iotnet__buf *b = &a->s2;
    b->len = 0;
    iotnet__buf_printf(b, "Inherent risk %d (likelihood %d x impact %d); residual risk %d (likelihood %d x impact %d)",
                       x->inherent_risk, x->likelihood, x->impact, x->residual_risk, x->residual_likelihood,
                       x->residual_impact);
    if (x->status == IOTNET_FINDING_MITIGATED)
        iotnet__buf_printf(b, " with %s in place.", x->mitigations);
    else if (x->status == IOTNET_FINDING_ACCEPTED) {
        iotnet__buf_printf(b, ". Accepted by %s: %s", x->accepted_by, x->accepted_reason);
        char until[32];
        if (x->accepted_until != IOTNET_TIME_UNSET) {
            iotnet__os_datetime(until, x->accepted_until);
            iotnet__buf_printf(b, " (until %.10s)", until);
        }
        iotnet__buf_puts(b, ".");
    } else
        iotnet__buf_puts(b, "; no candidate mitigation is in place.");
    if (b->failed)
        a->d->failed = 1;
}

static void write_risk(ar *a, os_node *result, size_t i, const iotnet_finding *x, const iotnet_threat_info *t)
{
    os_node *risk = iotnet__os_item(a->d, result, "risks", "risk");
    iotnet__os_flag(a->d, risk, "uuid", a->risks[i]);
    iotnet__os_markup(a->d, risk, "title", iotnet__os_printf(a->d, &a->s1, "%s: %s", t->title, x->target), 0);
    iotnet__os_markup(a->d, risk, "description", threat_text(t), 1);
    risk_statement(a, x);
    iotnet__os_markup(a->d, risk, "statement", a->s2.data, 1);
    iotnet__os_prop(a->d, risk, "finding-id", x->id, IOTNET_OSCAL_NS);
    iotnet__os_prop(a->d, risk, "status", status_name(x->status), IOTNET_OSCAL_NS);
    iotnet__os_field(a->d, risk, "status", risk_status(x->status));
    characterization(a, risk, "inherent", x->likelihood, x->impact);
    characterization(a, risk, "residual", x->residual_likelihood, x->residual_impact);
    mitigating_factors(a, risk, x);
    int accepted = x->status == IOTNET_FINDING_ACCEPTED && x->accepted_by;
    if (accepted && x->accepted_until != IOTNET_TIME_UNSET) {
        char until[32];
        iotnet__os_datetime(until, x->accepted_until);
        iotnet__os_field(a->d, risk, "deadline", until);
    }
    if (accepted)
        risk_log(a, risk, x);
    os_node *rel = iotnet__os_item(a->d, risk, "related-observations", "related-observation");
    iotnet__os_flag(a->d, rel, "observation-uuid", a->observations[i]);
}

static int write_observations_and_risks(ar *a, os_node *result)
{
    /* all observations, then all risks: each group one JSON array */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < a->count; i++) {
            iotnet_finding x;
            iotnet_threat_info t;
            long threat;
            int error = finding_and_threat(a, i, &x, &t, &threat);
            if (!error && pass == 0)
                error = write_observation(a, result, i, &x, &t, threat);
            if (error)
                return error;
            if (pass == 1 && x.status != IOTNET_FINDING_NOT_APPLICABLE)
                write_risk(a, result, i, &x, &t);
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* The document                                                        */

typedef struct party_ref {
    const char *by;
    size_t first; /* the first finding it accepted */
} party_ref;

static int party_cmp(const void *pa, const void *pb)
{
    const party_ref *x = pa, *y = pb;
    int c = strcmp(x->by, y->by);
    return c ? c : (x->first > y->first) - (x->first < y->first);
}

static int first_cmp(const void *pa, const void *pb)
{
    const party_ref *x = pa, *y = pb;
    return (x->first > y->first) - (x->first < y->first);
}

/* Each person who accepted a risk, once, in the order of their first acceptance. */
static int write_parties(ar *a, os_node *metadata)
{
    party_ref *refs = malloc((a->count + 1) * sizeof *refs);
    if (!refs)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < a->count; i++) {
        iotnet_finding x;
        if (get_finding(a, i, &x) == 0 && x.status == IOTNET_FINDING_ACCEPTED && x.accepted_by)
            refs[n++] = (party_ref){x.accepted_by, i};
    }
    qsort(refs, n, sizeof *refs, party_cmp);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (kept == 0 || strcmp(refs[kept - 1].by, refs[i].by) != 0)
            refs[kept++] = refs[i];
    qsort(refs, kept, sizeof *refs, first_cmp);
    for (size_t i = 0; i < kept; i++) {
        uuid_t_ id;
        party_uuid(a, id, refs[i].by);
        os_node *party = iotnet__os_item(a->d, metadata, "parties", "party");
        iotnet__os_flag(a->d, party, "uuid", id);
        iotnet__os_flag(a->d, party, "type", "person");
        iotnet__os_field(a->d, party, "name", refs[i].by);
        iotnet__os_markup(a->d, party, "remarks", "Decided a risk acceptance recorded in the model.", 1);
    }
    free(refs);
    return 0;
}

static void summary(ar *a, const char *model)
{
    size_t counts[5] = {0};
    iotnet_findings_summary(a->f, counts);
    iotnet__os_printf(a->d, &a->s1,
                      "libiotnet evaluated the threat catalogs against %s: %zu findings (%zu open, %zu mitigated, "
                      "%zu accepted, %zu not applicable).",
                      model, a->count, counts[IOTNET_FINDING_OPEN], counts[IOTNET_FINDING_MITIGATED],
                      counts[IOTNET_FINDING_ACCEPTED], counts[IOTNET_FINDING_NOT_APPLICABLE]);
}

static int write_result(ar *a, os_node *root, const char *model)
{
    uuid_t_ id;
    iotnet__os_uuid(a->d, id, "result");
    os_node *result = iotnet__os_item(a->d, root, "results", "result");
    iotnet__os_flag(a->d, result, "uuid", id);
    iotnet__os_markup(a->d, result, "title", iotnet__os_printf(a->d, &a->s1, "Threat catalog evaluation of %s", model),
                      0);
    summary(a, model);
    iotnet__os_markup(a->d, result, "description", a->s1.data, 1);
    iotnet__os_field(a->d, result, "start", a->now);
    iotnet__os_field(a->d, result, "end", a->now);
    int error = write_local_definitions(a, result);
    if (!error)
        error = iotnet__os_controls_reviewed(a->d, result, a->controls);
    if (!error)
        error = write_observations_and_risks(a, result);
    if (!error) {
        os_finding_refs refs = {finding_uuid, a};
        error = iotnet__os_controls_findings(a->d, result, a->controls, &refs);
    }
    return error;
}

static void write_back_matter(ar *a, os_node *root, const char *plan)
{
    os_node *back = iotnet__os_assembly(a->d, root, "back-matter");
    os_node *r = iotnet__os_item(a->d, back, "resources", "resource");
    iotnet__os_flag(a->d, r, "uuid", plan);
    iotnet__os_markup(a->d, r, "title", "Threat catalog evaluation plan", 0);
    iotnet__os_markup(a->d, r, "description",
                      "The plan these results follow: every threat of the loaded catalogs evaluated on every "
                      "element of its target kind, with the model's reachability, NAT44, firewall and MUD layers "
                      "and its recorded risk decisions.",
                      1);
    /* the frameworks of the reviewed controls, as their control ids refer to them */
    iotnet__os_controls_resources(a->d, back, a->controls);
}

static int build(ar *a, const iotnet_oscal_options *opts)
{
    const char *name = iotnet_net_name(a->net);
    const char *model = name && name[0] ? name : "the model";
    int64_t now = iotnet__os_now(opts);
    iotnet_oscal_options resolved = *opts;
    resolved.now = now; /* the mapping judges dates at the document's now */
    int error = prepare_threats(a);
    if (!error)
        error = check_threats(a);
    if (!error)
        error = name_findings(a);
    if (!error)
        error = collect_subjects(a);
    if (!error)
        error = iotnet__os_controls_compute(&a->controls, a->net, a->cat, a->f, &resolved);
    if (error)
        return error;
    iotnet__os_datetime(a->now, now);
    os_node *root = iotnet__os_begin(a->d, "assessment-results");
    uuid_t_ id, plan;
    iotnet__os_uuid(a->d, id, "document");
    iotnet__os_uuid(a->d, plan, "plan");
    iotnet__os_uuid(a->d, a->tool, "tool/libiotnet");
    iotnet__os_flag(a->d, root, "uuid", id);
    os_node *metadata =
        iotnet__os_metadata(a->d, root, iotnet__os_printf(a->d, &a->s1, "Threat assessment of %s", model), now, opts);
    error = write_parties(a, metadata);
    if (error)
        return error;
    os_node *import = iotnet__os_assembly(a->d, root, "import-ap");
    char href[IOTNET_UUID_TEXT_SIZE + 1] = "#";
    strcat(href, plan);
    iotnet__os_flag(a->d, import, "href", href);
    error = write_result(a, root, model);
    if (!error)
        write_back_matter(a, root, plan);
    return error;
}

int iotnet__oscal_ar_build(os_doc *d, const iotnet_net *net, const iotnet_catalog *cat, const iotnet_findings *f,
                           const iotnet_oscal_options *opts)
{
    ar a = {.d = d, .net = net, .cat = cat, .f = f, .count = iotnet_findings_count(f)};
    /* element UUIDs are named under the document kind and the model */
    iotnet__buf scope = {0};
    const char *name = iotnet_net_name(net);
    iotnet__buf_printf(&scope, "assessment-results/%s", name ? name : "");
    int error = scope.failed ? iotnet__error_set(IOTNET_ENOMEM, "out of memory") : 0;
    d->scope = scope.data;
    if (!error)
        error = build(&a, opts);
    if (!error && d->failed)
        error = IOTNET_ENOMEM;
    iotnet__os_controls_free(a.controls);
    free(a.by_id);
    free(a.threat_test);
    free(a.subjects);
    free(a.services);
    free(a.observations);
    free(a.risks);
    iotnet__buf_free(&a.s1);
    iotnet__buf_free(&a.s2);
    iotnet__buf_free(&scope);
    d->scope = NULL;
    return error;
}
