/* Comparing two models by content, for round-trip checks. */
#include "net_internal.h"
#include "error_internal.h"
#include "iotnet/eval.h"
#include "iotnet/mud.h"
#include "util.h"

#include <string.h>

/* The first difference found, as a message for the caller. */
typedef struct diff {
    iotnet__buf why;
    int found;
} diff;

static int differ(diff *d, const char *fmt, const char *what, const char *id, const char *field)
{
    if (!d->found) {
        iotnet__buf_printf(&d->why, fmt, what, id, field);
        d->found = 1;
    }
    return 0;
}

#define MISMATCH(d, what, id, field) differ((d), "%s \"%s\" differs in %s", (what), (id), (field))

static bool same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Exact: a model saves and loads back every number it holds exactly, so a
 * tolerance would only hide a real difference (1e-10 against 0). */
static bool same_real(double a, double b)
{
    return a == b;
}

static bool same_value(const iotnet_value *a, const iotnet_value *b)
{
    if (a->type != b->type)
        return false;
    switch (a->type) {
    case IOTNET_ATTR_STRING: return same_text(a->string, b->string);
    case IOTNET_ATTR_FLOAT: return same_real(a->real, b->real);
    case IOTNET_ATTR_BOOL: return a->boolean == b->boolean;
    default: return a->integer == b->integer;
    }
}

static int compare_attrs(const iotnet_net *a, const iotnet_net *b, iotnet_entity e, iotnet_index ia,
                         iotnet_index ib, const char *what, const char *id, diff *d)
{
    size_t ca = 0, cb = 0, na = 0, nb = 0;
    const char *key;
    iotnet_value va, vb;
    while (iotnet_attr_next(a, e, ia, &ca, &key, &va) == 1) {
        na++;
        if (iotnet_attr_get(b, e, ib, key, &vb) != 0 || !same_value(&va, &vb))
            return MISMATCH(d, what, id, key);
    }
    while (iotnet_attr_next(b, e, ib, &cb, NULL, NULL) == 1)
        nb++;
    if (na != nb)
        return MISMATCH(d, what, id, "attributes");
    return 0;
}

static void compare_zones(const iotnet_net *a, const iotnet_net *b, diff *d)
{
    for (iotnet_index z = iotnet_zone_next(a, IOTNET_NONE); z != IOTNET_NONE && !d->found; z = iotnet_zone_next(a, z)) {
        iotnet_zone_spec sa, sb;
        iotnet_index zb;
        iotnet_zone_get(a, z, &sa);
        if (iotnet_zone_find(b, &zb, sa.id) != 0) {
            differ(d, "%s \"%s\" is only in the first model%s", "zone", sa.id, "");
            return;
        }
        iotnet_zone_get(b, zb, &sb);
        if (!same_text(sa.kind, sb.kind) || !same_text(sa.description, sb.description) ||
            !same_real(sa.purdue_level, sb.purdue_level) || sa.target_sl != sb.target_sl ||
            memcmp(sa.target_sl_fr, sb.target_sl_fr, 7) != 0)
            MISMATCH(d, "zone", sa.id, "its fields");
        compare_attrs(a, b, IOTNET_ENTITY_ZONE, z, zb, "zone", sa.id, d);
    }
}

static void compare_conduits(const iotnet_net *a, const iotnet_net *b, diff *d)
{
    for (iotnet_index c = iotnet_conduit_next(a, IOTNET_NONE); c != IOTNET_NONE && !d->found;
         c = iotnet_conduit_next(a, c)) {
        iotnet_conduit_spec sa, sb;
        iotnet_index cb;
        iotnet_conduit_get(a, c, &sa);
        if (iotnet_conduit_find(b, &cb, sa.id) != 0) {
            differ(d, "%s \"%s\" is only in the first model%s", "conduit", sa.id, "");
            return;
        }
        iotnet_conduit_get(b, cb, &sb);
        if (!same_text(sa.from_zone, sb.from_zone) || !same_text(sa.to_zone, sb.to_zone) ||
            !same_text(sa.services, sb.services) || sa.bidirectional != sb.bidirectional ||
            !same_text(sa.description, sb.description))
            MISMATCH(d, "conduit", sa.id, "its fields");
    }
}

static void compare_node_fields(const iotnet_node_spec *sa, const iotnet_node_spec *sb, diff *d)
{
    if (!same_text(sa->kind, sb->kind) || !same_text(sa->zone, sb->zone) || !same_text(sa->vendor, sb->vendor) ||
        !same_text(sa->model, sb->model) || !same_text(sa->firmware, sb->firmware) ||
        !same_text(sa->implementation, sb->implementation) || !same_text(sa->mud_url, sb->mud_url) ||
        !same_text(sa->description, sb->description))
        MISMATCH(d, "node", sa->id, "its fields");
}

static void compare_interfaces(const iotnet_net *a, const iotnet_net *b, iotnet_index na, iotnet_index nb,
                               const char *id, diff *d)
{
    size_t n = iotnet_interface_count(a, na);
    if (n != iotnet_interface_count(b, nb)) {
        MISMATCH(d, "node", id, "its interfaces");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        iotnet_interface ia, ib;
        iotnet_interface_get(a, na, i, &ia);
        iotnet_interface_get(b, nb, i, &ib);
        if (!same_text(ia.name, ib.name) || ia.ipv4 != ib.ipv4 || ia.prefix_len != ib.prefix_len ||
            !same_text(ia.description, ib.description))
            MISMATCH(d, "node", id, "its interfaces");
    }
}

static void compare_services(const iotnet_net *a, const iotnet_net *b, iotnet_index na, iotnet_index nb,
                             const char *id, diff *d)
{
    size_t n = iotnet_service_count(a, na);
    if (n != iotnet_service_count(b, nb)) {
        MISMATCH(d, "node", id, "its services");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        iotnet_service sa, sb;
        iotnet_service_get(a, na, i, &sa);
        iotnet_service_get(b, nb, i, &sb);
        if (!same_text(sa.name, sb.name) || sa.protocol != sb.protocol || sa.port != sb.port ||
            sa.authentication != sb.authentication || sa.transport != sb.transport ||
            !same_text(sa.cipher_suites, sb.cipher_suites) || sa.management != sb.management ||
            sa.nat_traversal != sb.nat_traversal)
            MISMATCH(d, "node", id, "its services");
    }
}

static void compare_lifecycle(const iotnet_net *a, const iotnet_net *b, iotnet_index na, iotnet_index nb,
                              const char *id, diff *d)
{
    iotnet_lifecycle la, lb;
    int ra = iotnet_lifecycle_get(a, na, &la), rb = iotnet_lifecycle_get(b, nb, &lb);
    iotnet_lifecycle unset = IOTNET_LIFECYCLE_INIT;
    /* no lifecycle and an all-unset one say the same */
    if (ra != 0)
        la = unset;
    if (rb != 0)
        lb = unset;
    if (la.certificate_not_after != lb.certificate_not_after ||
        la.signed_artifact_lifetime != lb.signed_artifact_lifetime || la.end_of_support != lb.end_of_support ||
        la.update_mechanism != lb.update_mechanism || !same_text(la.owner, lb.owner) ||
        la.ownership_statement != lb.ownership_statement || la.reset_method != lb.reset_method ||
        la.vendor_cloud_dependency != lb.vendor_cloud_dependency ||
        la.credentials_escrowed != lb.credentials_escrowed || la.attestation != lb.attestation)
        MISMATCH(d, "node", id, "its lifecycle");
}

static bool same_rule(const iotnet_rule *x, const iotnet_rule *y)
{
    return same_text(x->name, y->name) && x->from.type == y->from.type && same_text(x->from.value, y->from.value) &&
           x->to.type == y->to.type && same_text(x->to.value, y->to.value) && x->protocol == y->protocol &&
           x->port_lo == y->port_lo && x->port_hi == y->port_hi && x->initiated_by == y->initiated_by &&
           x->action == y->action && same_text(x->description, y->description);
}

static void compare_policy(const iotnet_net *a, const iotnet_net *b, iotnet_index na, iotnet_index nb,
                           const char *id, diff *d)
{
    iotnet_action da = 0, db = 0;
    if (iotnet_policy_exists(a, na) != iotnet_policy_exists(b, nb)) {
        MISMATCH(d, "node", id, "having a policy");
        return;
    }
    if (!iotnet_policy_exists(a, na))
        return;
    iotnet_policy_get_default(a, na, &da);
    iotnet_policy_get_default(b, nb, &db);
    size_t n = iotnet_policy_rule_count(a, na);
    if (da != db || n != iotnet_policy_rule_count(b, nb)) {
        MISMATCH(d, "node", id, "its policy");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        iotnet_rule ra, rb;
        iotnet_policy_get_rule(a, na, i, &ra);
        iotnet_policy_get_rule(b, nb, i, &rb);
        if (!same_rule(&ra, &rb))
            MISMATCH(d, "node", id, "its policy rules");
    }
}

static void compare_nat(const iotnet_net *a, const iotnet_net *b, iotnet_index na, iotnet_index nb,
                        const char *id, diff *d)
{
    iotnet_nat xa, xb;
    int ra = iotnet_nat_get(a, na, &xa), rb = iotnet_nat_get(b, nb, &xb);
    if ((ra == 0) != (rb == 0)) {
        MISMATCH(d, "node", id, "having NAT44");
        return;
    }
    if (ra != 0)
        return;
    if (!same_text(xa.inside, xb.inside) || !same_text(xa.outside, xb.outside) || xa.mapping != xb.mapping ||
        xa.filtering != xb.filtering || xa.hairpinning != xb.hairpinning || xa.upnp != xb.upnp ||
        xa.pcp != xb.pcp || xa.cgnat != xb.cgnat || iotnet_nat_forward_count(a, na) != iotnet_nat_forward_count(b, nb)) {
        MISMATCH(d, "node", id, "its NAT44");
        return;
    }
    for (size_t i = 0; i < iotnet_nat_forward_count(a, na); i++) {
        iotnet_port_forward fa, fb;
        iotnet_nat_get_forward(a, na, i, &fa);
        iotnet_nat_get_forward(b, nb, i, &fb);
        if (!same_text(fa.name, fb.name) || fa.protocol != fb.protocol || fa.external_port != fb.external_port ||
            !same_text(fa.to_node, fb.to_node) || fa.internal_port != fb.internal_port)
            MISMATCH(d, "node", id, "its port forwards");
    }
}

static bool same_mud_ace(const iotnet_mud_ace *x, const iotnet_mud_ace *y)
{
    return same_text(x->acl, y->acl) && same_text(x->name, y->name) && x->policy == y->policy &&
           x->peer == y->peer && same_text(x->peer_value, y->peer_value) && x->protocol == y->protocol &&
           x->src_port_lo == y->src_port_lo && x->src_port_hi == y->src_port_hi &&
           x->dst_port_lo == y->dst_port_lo && x->dst_port_hi == y->dst_port_hi && x->initiated == y->initiated &&
           x->action == y->action;
}

static void compare_mud(const iotnet_net *a, const iotnet_net *b, iotnet_index na, iotnet_index nb,
                        const char *id, diff *d)
{
    if (iotnet_node_mud_exists(a, na) != iotnet_node_mud_exists(b, nb)) {
        MISMATCH(d, "node", id, "having a MUD profile");
        return;
    }
    if (!iotnet_node_mud_exists(a, na))
        return;
    iotnet_mud_info ia, ib;
    iotnet_node_mud_info(a, na, &ia);
    iotnet_node_mud_info(b, nb, &ib);
    size_t n = iotnet_node_mud_ace_count(a, na);
    if (!same_text(ia.mud_url, ib.mud_url) || !same_text(ia.last_update, ib.last_update) ||
        !same_text(ia.systeminfo, ib.systeminfo) || !same_text(ia.mfg_name, ib.mfg_name) ||
        !same_text(ia.model_name, ib.model_name) || !same_text(ia.documentation, ib.documentation) ||
        ia.cache_validity != ib.cache_validity || ia.is_supported != ib.is_supported ||
        n != iotnet_node_mud_ace_count(b, nb)) {
        MISMATCH(d, "node", id, "its MUD profile");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        iotnet_mud_ace xa, xb;
        iotnet_node_mud_ace_get(a, na, i, &xa);
        iotnet_node_mud_ace_get(b, nb, i, &xb);
        if (!same_mud_ace(&xa, &xb)) {
            MISMATCH(d, "node", id, "its MUD profile entries");
            return;
        }
    }
}

static void compare_nodes(const iotnet_net *a, const iotnet_net *b, diff *d)
{
    for (iotnet_index n = iotnet_node_next(a, IOTNET_NONE); n != IOTNET_NONE && !d->found; n = iotnet_node_next(a, n)) {
        iotnet_node_spec sa, sb;
        iotnet_index nb;
        iotnet_node_get(a, n, &sa);
        if (iotnet_node_find(b, &nb, sa.id) != 0) {
            differ(d, "%s \"%s\" is only in the first model%s", "node", sa.id, "");
            return;
        }
        iotnet_node_get(b, nb, &sb);
        compare_node_fields(&sa, &sb, d);
        compare_interfaces(a, b, n, nb, sa.id, d);
        compare_services(a, b, n, nb, sa.id, d);
        compare_lifecycle(a, b, n, nb, sa.id, d);
        compare_policy(a, b, n, nb, sa.id, d);
        compare_nat(a, b, n, nb, sa.id, d);
        compare_mud(a, b, n, nb, sa.id, d);
        compare_attrs(a, b, IOTNET_ENTITY_NODE, n, nb, "node", sa.id, d);
    }
}

static void compare_links(const iotnet_net *a, const iotnet_net *b, diff *d)
{
    for (iotnet_index l = iotnet_link_next(a, IOTNET_NONE); l != IOTNET_NONE && !d->found; l = iotnet_link_next(a, l)) {
        iotnet_link_spec sa, sb;
        iotnet_index lb;
        iotnet_link_get(a, l, &sa);
        if (iotnet_link_find(b, &lb, sa.id) != 0) {
            differ(d, "%s \"%s\" is only in the first model%s", "link", sa.id, "");
            return;
        }
        iotnet_link_get(b, lb, &sb);
        if (!same_text(sa.a, sb.a) || !same_text(sa.b, sb.b) || !same_text(sa.a_interface, sb.a_interface) ||
            !same_text(sa.b_interface, sb.b_interface) || sa.medium != sb.medium ||
            !same_real(sa.latency_ms, sb.latency_ms) || sa.encryption != sb.encryption ||
            !same_text(sa.description, sb.description))
            MISMATCH(d, "link", sa.id, "its fields");
        compare_attrs(a, b, IOTNET_ENTITY_LINK, l, lb, "link", sa.id, d);
    }
}

/* The index of the decision on `finding` in a model, or SIZE_MAX; `hint`
 * first (models read back from a file keep the order). */
static size_t decision_index(const iotnet_net *net, const char *finding, size_t hint)
{
    size_t n = iotnet_risk_decision_count(net);
    iotnet_risk_decision h;
    if (hint < n && iotnet_risk_decision_get(net, hint, &h) == 0 && strcmp(h.finding, finding) == 0)
        return hint;
    for (size_t i = 0; i < n; i++) {
        iotnet_risk_decision r;
        iotnet_risk_decision_get(net, i, &r);
        if (strcmp(r.finding, finding) == 0)
            return i;
    }
    return SIZE_MAX;
}

/* Risk decisions by finding id, in any order. */
static void compare_risk_decisions(const iotnet_net *a, const iotnet_net *b, diff *d)
{
    size_t n = iotnet_risk_decision_count(a);
    for (size_t i = 0; i < n && !d->found; i++) {
        iotnet_risk_decision ra, rb;
        iotnet_risk_decision_get(a, i, &ra);
        size_t j = decision_index(b, ra.finding, i);
        if (j == SIZE_MAX) {
            differ(d, "%s \"%s\" is only in the first model%s", "risk decision", ra.finding, "");
            return;
        }
        iotnet_risk_decision_get(b, j, &rb);
        if (!same_text(ra.by, rb.by) || !same_text(ra.reason, rb.reason) || ra.decided != rb.decided ||
            ra.until != rb.until)
            MISMATCH(d, "risk decision", ra.finding, "who, why or when");
    }
    n = iotnet_risk_decision_count(b);
    for (size_t i = 0; i < n && !d->found; i++) {
        iotnet_risk_decision rb;
        iotnet_risk_decision_get(b, i, &rb);
        if (decision_index(a, rb.finding, i) == SIZE_MAX)
            differ(d, "%s \"%s\" is only in the second model%s", "risk decision", rb.finding, "");
    }
}

/* Name the first element of `more` that `fewer` lacks. */
static void report_extra(const iotnet_net *more, const iotnet_net *fewer, diff *d)
{
    iotnet_index i, found;
    for (i = iotnet_zone_next(more, IOTNET_NONE); i != IOTNET_NONE && !d->found; i = iotnet_zone_next(more, i)) {
        iotnet_zone_spec s;
        iotnet_zone_get(more, i, &s);
        if (iotnet_zone_find(fewer, &found, s.id) != 0)
            differ(d, "%s \"%s\" is only in the second model%s", "zone", s.id, "");
    }
    for (i = iotnet_conduit_next(more, IOTNET_NONE); i != IOTNET_NONE && !d->found; i = iotnet_conduit_next(more, i)) {
        iotnet_conduit_spec s;
        iotnet_conduit_get(more, i, &s);
        if (iotnet_conduit_find(fewer, &found, s.id) != 0)
            differ(d, "%s \"%s\" is only in the second model%s", "conduit", s.id, "");
    }
    for (i = iotnet_node_next(more, IOTNET_NONE); i != IOTNET_NONE && !d->found; i = iotnet_node_next(more, i)) {
        iotnet_node_spec s;
        iotnet_node_get(more, i, &s);
        if (iotnet_node_find(fewer, &found, s.id) != 0)
            differ(d, "%s \"%s\" is only in the second model%s", "node", s.id, "");
    }
    for (i = iotnet_link_next(more, IOTNET_NONE); i != IOTNET_NONE && !d->found; i = iotnet_link_next(more, i)) {
        iotnet_link_spec s;
        iotnet_link_get(more, i, &s);
        if (iotnet_link_find(fewer, &found, s.id) != 0)
            differ(d, "%s \"%s\" is only in the second model%s", "link", s.id, "");
    }
}

int iotnet_net_equal(const iotnet_net *a, const iotnet_net *b, char **why)
{
    if (why)
        *why = NULL;
    if (!a || !b)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_net_equal: both models are required");
    diff d = {{0}, 0};
    if (!same_text(iotnet_net_name(a), iotnet_net_name(b)))
        differ(&d, "%s%s%s differ", "the models' ", "", "names");
    compare_zones(a, b, &d);
    compare_conduits(a, b, &d);
    compare_nodes(a, b, &d);
    compare_links(a, b, &d);
    compare_risk_decisions(a, b, &d);
    /* everything of a is in b; what b has beyond that is the difference */
    report_extra(b, a, &d);
    if (d.found && why)
        *why = iotnet__buf_detach(&d.why);
    iotnet__buf_free(&d.why);
    return d.found ? 0 : 1;
}
