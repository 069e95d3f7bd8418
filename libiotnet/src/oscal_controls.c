/* The controls in assessment results: the compliance mapping (comply.h) of
 * the findings, per framework, as reviewed controls, one OSCAL finding per
 * control it has something to say about, and the frameworks' back-matter
 * resources. The statuses are the mapping's; only their OSCAL form is
 * decided here. */
#include "error_internal.h"
#include "iotnet/names.h"
#include "oscal_internal.h"

#include <stdlib.h>
#include <string.h>

/* How many (mitigation, target) pairs a control finding's description names. */
#define EVIDENCE_SHOWN 12

struct os_controls {
    iotnet_compliance **results; /* per framework, in catalog order */
    size_t count;
};

void iotnet__os_controls_free(os_controls *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->count; i++)
        iotnet_compliance_free(c->results[i]);
    free(c->results);
    free(c);
}

/* The frameworks of the catalog's controls, each once, in catalog order. */
static int frameworks_of(const iotnet_catalog *cat, const char ***out, size_t *count)
{
    size_t n = iotnet_catalog_control_count(cat);
    const char **list = malloc((n + 1) * sizeof *list);
    if (!list)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    *count = 0;
    for (size_t i = 0; i < n; i++) {
        iotnet_control_info info = {.version = IOTNET_CONTROL_INFO_VERSION};
        if (iotnet_catalog_control(cat, i, &info) != 0)
            continue;
        size_t j = 0; /* frameworks are few: a look at those already listed */
        while (j < *count && strcmp(list[j], info.framework) != 0)
            j++;
        if (j == *count)
            list[(*count)++] = info.framework;
    }
    *out = list;
    return 0;
}

int iotnet__os_controls_compute(os_controls **out, const iotnet_net *net, const iotnet_catalog *cat,
                                const iotnet_findings *f, const iotnet_oscal_options *opts)
{
    *out = NULL;
    const char **frameworks = NULL;
    size_t count = 0;
    os_controls *c = calloc(1, sizeof *c);
    int error = c ? frameworks_of(cat, &frameworks, &count) : iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    if (error)
        goto cleanup;
    if (opts->framework) {
        size_t j = 0;
        while (j < count && strcmp(frameworks[j], opts->framework) != 0)
            j++;
        if (j == count) {
            error = iotnet__error_set(IOTNET_EINVAL, "framework \"%.60s\" has no control catalog loaded",
                                      opts->framework);
            goto cleanup;
        }
        frameworks[0] = frameworks[j];
        count = 1;
    }
    c->results = calloc(count + 1, sizeof *c->results);
    if (!c->results) {
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory");
        goto cleanup;
    }
    iotnet_compliance_options copts = IOTNET_COMPLIANCE_OPTIONS_INIT;
    copts.findings = f;
    copts.assume = opts->assume;
    copts.assume_count = opts->assume_count;
    copts.now = opts->now;
    /* a failed mapping leaves its slot NULL, which freeing skips */
    for (; c->count < count && !error; c->count++)
        error = iotnet_compliance_compute(&c->results[c->count], net, cat, frameworks[c->count], &copts);
cleanup:
    free(frameworks);
    if (error)
        iotnet__os_controls_free(c);
    else
        *out = c;
    return error;
}

/* Whether a control has something to say in the results: a status the
   model shows, or findings that call for it. */
static int reported(const iotnet_control_result *r)
{
    switch (r->status) {
    case IOTNET_CONTROL_ADDRESSED:
    case IOTNET_CONTROL_PARTIAL:
    case IOTNET_CONTROL_GAP:
        return 1;
    case IOTNET_CONTROL_NOT_APPLICABLE:
        return r->finding_count > 0;
    default:
        return 0;
    }
}

static int control_id(const iotnet_compliance *c, const iotnet_control_result *r, char *id, size_t size)
{
    return iotnet__os_control_id(id, size, iotnet_compliance_framework(c), r->id);
}

int iotnet__os_controls_reviewed(os_doc *d, os_node *result, const os_controls *c)
{
    os_node *reviewed = iotnet__os_assembly(d, result, "reviewed-controls");
    int any = 0;
    for (size_t f = 0; f < c->count; f++) {
        const iotnet_compliance *fw = c->results[f];
        const char *framework = iotnet_compliance_framework(fw);
        os_node *selection = NULL;
        for (size_t i = 0; i < iotnet_compliance_count(fw); i++) {
            iotnet_control_result r = {.version = IOTNET_CONTROL_RESULT_VERSION};
            char id[320];
            int error = iotnet_compliance_get(fw, i, &r);
            if (!error && !reported(&r))
                continue;
            if (!error)
                error = control_id(fw, &r, id, sizeof id);
            if (error)
                return error;
            if (!selection) {
                const char *title = iotnet__os_framework_title(framework);
                selection = iotnet__os_item(d, reviewed, "control-selections", "control-selection");
                iotnet__os_markup(d, selection, "description", title ? title : framework, 1);
                iotnet__os_prop(d, selection, "framework", framework, IOTNET_OSCAL_NS);
            }
            os_node *include = iotnet__os_item(d, selection, "include-controls", "include-control");
            iotnet__os_flag(d, include, "control-id", id);
            any = 1;
        }
    }
    if (!any) {
        os_node *selection = iotnet__os_item(d, reviewed, "control-selections", "control-selection");
        iotnet__os_markup(d, selection, "description",
                          "No control of the loaded frameworks is evidenced or called for by this model.", 1);
    }
    return 0;
}

/* "Its mitigations are in place: upnp-off on home-router, ..." */
static const char *evidence_text(os_doc *d, iotnet__buf *b, const iotnet_compliance *c, size_t i,
                                 const iotnet_control_result *r)
{
    b->len = 0;
    iotnet__buf_printf(b, "%zu %s %s for it: %zu open, %zu mitigated, %zu accepted.", r->finding_count,
                       r->finding_count == 1 ? "finding" : "findings", r->finding_count == 1 ? "calls" : "call",
                       r->open_count, r->mitigated_count, r->accepted_count);
    const char *last = NULL; /* the pairs come by mitigation: name each once */
    for (size_t k = 0; k < r->evidence_count && k < EVIDENCE_SHOWN; k++) {
        iotnet_control_evidence e = {.version = IOTNET_CONTROL_EVIDENCE_VERSION};
        if (iotnet_compliance_evidence(c, i, k, &e) != 0)
            continue;
        if (last && strcmp(last, e.mitigation) == 0)
            iotnet__buf_printf(b, ", %s", e.target);
        else
            iotnet__buf_printf(b, "%s %s on %s", k == 0 ? " Its mitigations are in place:" : ";", e.mitigation,
                               e.target);
        if (e.assumed)
            iotnet__buf_puts(b, " (assumed)");
        last = e.mitigation;
    }
    if (r->evidence_count > EVIDENCE_SHOWN)
        iotnet__buf_printf(b, " and %zu more", r->evidence_count - EVIDENCE_SHOWN);
    if (r->evidence_count)
        iotnet__buf_puts(b, ".");
    if (b->failed) {
        d->failed = 1;
        return NULL;
    }
    return b->data;
}

static void objective_status(os_doc *d, os_node *target, const iotnet_control_result *r)
{
    int satisfied = r->status == IOTNET_CONTROL_ADDRESSED || r->status == IOTNET_CONTROL_NOT_APPLICABLE;
    const char *reason = r->status == IOTNET_CONTROL_ADDRESSED ? "pass" : satisfied ? "other" : "fail";
    os_node *status = iotnet__os_assembly(d, target, "status");
    iotnet__os_flag(d, status, "state", satisfied ? "satisfied" : "not-satisfied");
    iotnet__os_flag(d, status, "reason", reason);
    iotnet__os_markup(d, status, "remarks", r->reason, 1);
}

static int write_finding(os_doc *d, os_node *result, const iotnet_compliance *c, size_t i,
                         const iotnet_control_result *r, const os_finding_refs *refs, iotnet__buf *scratch)
{
    const char *framework = iotnet_compliance_framework(c);
    const char *framework_title = iotnet__os_framework_title(framework);
    char id[320], u[IOTNET_UUID_TEXT_SIZE];
    int error = control_id(c, r, id, sizeof id);
    if (error)
        return error;
    iotnet__os_uuid(d, u, "control/%s/%s", framework, r->id);
    os_node *finding = iotnet__os_item(d, result, "findings", "finding");
    iotnet__os_flag(d, finding, "uuid", u);
    iotnet__os_markup(d, finding, "title",
                      iotnet__os_printf(d, scratch, "%s %s: %s", framework_title ? framework_title : framework, r->id,
                                        r->title ? r->title : ""),
                      0);
    iotnet__os_markup(d, finding, "description", evidence_text(d, scratch, c, i, r), 1);
    iotnet__os_prop(d, finding, "framework", framework, IOTNET_OSCAL_NS);
    iotnet__os_prop(d, finding, "control", r->id, IOTNET_OSCAL_NS);
    iotnet__os_prop(d, finding, "status", iotnet_enum_name(IOTNET_ENUM_CONTROL_STATUS, (int)r->status),
                    IOTNET_OSCAL_NS);
    os_node *target = iotnet__os_assembly(d, finding, "target");
    iotnet__os_flag(d, target, "type", "objective-id");
    iotnet__os_flag(d, target, "target-id", id);
    iotnet__os_markup(d, target, "title", r->title, 0);
    objective_status(d, target, r);
    /* the observations, then the risks, of the findings that call for it */
    for (int risks = 0; risks < 2; risks++) {
        for (size_t k = 0; k < r->finding_count; k++) {
            iotnet_control_finding cf = {.version = IOTNET_CONTROL_FINDING_VERSION};
            if ((error = iotnet_compliance_finding(c, i, k, &cf)) != 0)
                return error;
            const char *ref = refs->uuid_of(refs->context, cf.id, risks);
            if (!ref)
                continue;
            os_node *rel = risks ? iotnet__os_item(d, finding, "related-risks", "associated-risk")
                                 : iotnet__os_item(d, finding, "related-observations", "related-observation");
            iotnet__os_flag(d, rel, risks ? "risk-uuid" : "observation-uuid", ref);
        }
    }
    return 0;
}

int iotnet__os_controls_findings(os_doc *d, os_node *result, const os_controls *c, const os_finding_refs *refs)
{
    iotnet__buf scratch = {0};
    int error = 0;
    for (size_t f = 0; f < c->count && !error; f++) {
        const iotnet_compliance *fw = c->results[f];
        for (size_t i = 0; i < iotnet_compliance_count(fw) && !error; i++) {
            iotnet_control_result r = {.version = IOTNET_CONTROL_RESULT_VERSION};
            error = iotnet_compliance_get(fw, i, &r);
            if (!error && reported(&r))
                error = write_finding(d, result, fw, i, &r, refs, &scratch);
        }
    }
    iotnet__buf_free(&scratch);
    return error;
}

void iotnet__os_controls_resources(os_doc *d, os_node *back_matter, const os_controls *c)
{
    for (size_t f = 0; f < c->count; f++)
        iotnet__os_framework_resource(d, back_matter, iotnet_compliance_framework(c->results[f]));
}
