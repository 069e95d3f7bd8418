/* iotnet_compliance_compute(): the controls of one framework, the findings
 * that call for each (through their threats' candidate mitigations and the
 * controls those map to), where the controls' mitigations are present, a
 * status by the rules of comply.h and a reason in words. */
#include "comply_internal.h"
#include "error_internal.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IEC62443 "iec62443-3-3"

/* What one computation needs besides the result. */
typedef struct build {
    iotnet_compliance *c;
    const iotnet_catalog *cat;
    uint32_t *ctl_of;     /* by catalog control: the result's control, or UINT32_MAX */
    uint8_t *maps;        /* [control * mitigations + m]: m is in M(C) */
    uint8_t *wanted;      /* by mitigation: maps to some control of the framework */
    uint32_t *tc_first, *tc_count; /* by threat: the controls it calls for, in tc */
    IOTNET__VEC(uint32_t) tc;
} build;

static bool maps_to(const build *b, uint32_t ctl, uint32_t m)
{
    return b->maps[(size_t)ctl * b->cat->mitigations.count + m] != 0;
}

static int intern(iotnet_compliance *c, const char *s, iotnet__str *out)
{
    return iotnet__strpool_intern(&c->strings, s, out);
}

/* ---- the framework ------------------------------------------------------------ */

static int unknown_framework(const iotnet_catalog *cat, const char *framework)
{
    iotnet__buf known = {0};
    for (uint32_t i = 0; i < cat->controls.count; i++) {
        iotnet__str f = cat->controls.items[i].framework;
        bool seen = false;
        for (uint32_t k = 0; k < i && !seen; k++)
            seen = cat->controls.items[k].framework == f;
        if (!seen)
            iotnet__buf_printf(&known, "%s%s", known.len ? ", " : "", cat_text(cat, f));
    }
    int error = iotnet__error_set(IOTNET_EINVAL, "unknown framework \"%s\" (%s%s)", framework,
                                  known.len ? "known: " : "no control catalog is loaded",
                                  known.len ? known.data : "");
    iotnet__buf_free(&known);
    return error;
}

/* The framework's controls, in catalog order. */
static int read_controls(build *b, const char *framework)
{
    const iotnet_catalog *cat = b->cat;
    iotnet_compliance *c = b->c;
    iotnet__str f = iotnet__strpool_lookup(&cat->strings, framework);
    int error = 0;
    for (uint32_t i = 0; i < cat->controls.count && !error; i++) {
        const control_rec *r = &cat->controls.items[i];
        b->ctl_of[i] = UINT32_MAX;
        if (!f || r->framework != f)
            continue;
        cctl x;
        memset(&x, 0, sizeof x);
        x.control = i;
        x.min_sl = r->min_sl;
        if ((error = intern(c, cat_text(cat, r->id), &x.id)) || (error = intern(c, cat_text(cat, r->title), &x.title)) ||
            (error = intern(c, cat_text(cat, r->group), &x.group)) || (error = IOTNET__VEC_PUSH_ROOM(c->controls)))
            break;
        b->ctl_of[i] = c->controls.count;
        c->controls.items[c->controls.count++] = x;
    }
    if (!error && !c->controls.count)
        return unknown_framework(cat, framework);
    return error ? error : intern(c, framework, &c->framework);
}

/* M(C) of every control: the mitigations whose controls name it. */
static int read_mappings(build *b)
{
    const iotnet_catalog *cat = b->cat;
    iotnet_compliance *c = b->c;
    uint32_t nmit = cat->mitigations.count;
    if (!(b->maps = calloc((size_t)c->controls.count * nmit + 1, 1)) || !(b->wanted = calloc((size_t)nmit + 1, 1)))
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    char word[300];
    for (uint32_t m = 0; m < nmit; m++) {
        const char *p = cat_text(cat, cat->mitigations.items[m].controls);
        while (p && *p) {
            size_t n = strcspn(p, " ");
            if (n && n < sizeof word) {
                memcpy(word, p, n);
                word[n] = '\0';
                iotnet__str key = iotnet__strpool_lookup(&cat->strings, word);
                uint32_t k = key ? iotnet__idmap_get(&cat->control_by_key, key) : UINT32_MAX;
                if (k != UINT32_MAX && b->ctl_of[k] != UINT32_MAX) {
                    b->maps[(size_t)b->ctl_of[k] * nmit + m] = 1;
                    b->wanted[m] = 1;
                }
            }
            p += n;
            p += strspn(p, " ");
        }
    }
    iotnet__buf ids = {0};
    int error = 0;
    for (uint32_t k = 0; k < c->controls.count && !error; k++) {
        cctl *x = &c->controls.items[k];
        x->mit_first = c->ctl_mits.count;
        ids.len = 0;
        if (ids.data)
            ids.data[0] = '\0';
        for (uint32_t m = 0; m < nmit && !error; m++)
            if (maps_to(b, k, m) && !(error = IOTNET__VEC_PUSH_ROOM(c->ctl_mits))) {
                c->ctl_mits.items[c->ctl_mits.count++] = m;
                iotnet__buf_printf(&ids, "%s%s", ids.len ? " " : "", cat_text(cat, cat->mitigations.items[m].id));
            }
        x->mit_count = c->ctl_mits.count - x->mit_first;
        if (!error)
            error = ids.failed ? iotnet__error_set(IOTNET_ENOMEM, "out of memory")
                               : intern(c, ids.data ? ids.data : "", &x->mitigations);
    }
    iotnet__buf_free(&ids);
    return error;
}

/* By threat, the controls one of its candidate mitigations maps to. */
static int threat_controls(build *b)
{
    const iotnet_catalog *cat = b->cat;
    uint32_t nt = cat->threats.count, nctl = b->c->controls.count;
    if (!(b->tc_first = calloc((size_t)nt + 1, sizeof *b->tc_first)) ||
        !(b->tc_count = calloc((size_t)nt + 1, sizeof *b->tc_count)))
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    int error = 0;
    for (uint32_t t = 0; t < nt && !error; t++) {
        const threat_rec *tr = &cat->threats.items[t];
        b->tc_first[t] = b->tc.count;
        for (uint32_t k = 0; k < nctl && !error; k++) {
            bool calls = false;
            for (uint32_t j = 0; j < tr->mit_count && !calls; j++)
                calls = maps_to(b, k, cat->refs.items[tr->mit_first + j]);
            if (calls && !(error = IOTNET__VEC_PUSH_ROOM(b->tc)))
                b->tc.items[b->tc.count++] = k;
        }
        b->tc_count[t] = b->tc.count - b->tc_first[t];
    }
    return error;
}

/* ---- findings ---------------------------------------------------------------- */

static int copy_presents(build *b, cfinding *x, const char *mitigations)
{
    iotnet_compliance *c = b->c;
    x->present_first = c->presents.count;
    char word[300];
    int error = 0;
    for (const char *p = mitigations; p && *p && !error;) {
        size_t n = strcspn(p, " ");
        if (n && n < sizeof word) {
            memcpy(word, p, n);
            word[n] = '\0';
            long m = iotnet_catalog_find_mitigation(b->cat, word);
            if (m >= 0 && !(error = IOTNET__VEC_PUSH_ROOM(c->presents)))
                c->presents.items[c->presents.count++] = (uint32_t)m;
        }
        p += n;
        p += strspn(p, " ");
    }
    x->present_count = c->presents.count - x->present_first;
    return error;
}

/* The applicable findings, copied: the result outlives them. */
static int copy_findings(build *b, const iotnet_findings *f)
{
    iotnet_compliance *c = b->c;
    size_t n = iotnet_findings_count(f);
    int error = 0;
    for (size_t i = 0; i < n && !error; i++) {
        iotnet_finding y = {.version = IOTNET_FINDING_VERSION};
        if ((error = iotnet_findings_get(f, i, &y)))
            break;
        long t = iotnet_catalog_find_threat(b->cat, y.threat);
        if (y.status == IOTNET_FINDING_NOT_APPLICABLE || t < 0)
            continue; /* nothing to answer, or another catalog's finding */
        cfinding x;
        memset(&x, 0, sizeof x);
        x.threat_index = (uint32_t)t;
        x.table = (uint8_t)y.target_kind;
        x.status = (uint8_t)y.status;
        x.until = y.accepted_until;
        x.residual = y.residual_risk;
        x.element = IOTNET_NONE;
        if ((error = intern(c, y.id, &x.id)) || (error = intern(c, y.threat, &x.threat)) ||
            (error = intern(c, y.target, &x.target)) || (error = intern(c, y.accepted_by, &x.by)) ||
            (error = intern(c, y.accepted_reason, &x.reason)) || (error = copy_presents(b, &x, y.mitigations)) ||
            (error = IOTNET__VEC_PUSH_ROOM(c->findings)))
            break;
        c->findings.items[c->findings.count++] = x;
    }
    return error;
}

/* The mitigations of M(C) present on a finding, as text. */
static int present_text(build *b, uint32_t ctl, const cfinding *f, iotnet__str *out)
{
    iotnet__buf t = {0};
    for (uint32_t k = 0; k < f->present_count; k++) {
        uint32_t m = b->c->presents.items[f->present_first + k];
        if (maps_to(b, ctl, m))
            iotnet__buf_printf(&t, "%s%s", t.len ? " " : "", cat_text(b->cat, b->cat->mitigations.items[m].id));
    }
    int error = t.failed ? iotnet__error_set(IOTNET_ENOMEM, "out of memory") : intern(b->c, t.data ? t.data : "", out);
    iotnet__buf_free(&t);
    return error;
}

/* Each control's findings, grouped by control in the findings' order. */
static int link_findings(build *b)
{
    iotnet_compliance *c = b->c;
    size_t total = 0;
    for (uint32_t i = 0; i < c->findings.count; i++) {
        const cfinding *f = &c->findings.items[i];
        for (uint32_t k = 0; k < b->tc_count[f->threat_index]; k++)
            c->controls.items[b->tc.items[b->tc_first[f->threat_index] + k]].link_count++;
        total += b->tc_count[f->threat_index];
    }
    if (total >= UINT32_MAX)
        return iotnet__error_set(IOTNET_ENOMEM, "too many findings for one compliance result");
    if (!(c->links.items = calloc(total + 1, sizeof *c->links.items)))
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    c->links.cap = (uint32_t)total + 1;
    uint32_t start = 0;
    for (uint32_t k = 0; k < c->controls.count; k++) {
        c->controls.items[k].link_first = start;
        start += c->controls.items[k].link_count;
        c->controls.items[k].link_count = 0;
    }
    c->links.count = (uint32_t)total;
    int error = 0;
    for (uint32_t i = 0; i < c->findings.count && !error; i++) {
        const cfinding *f = &c->findings.items[i];
        for (uint32_t k = 0; k < b->tc_count[f->threat_index] && !error; k++) {
            cctl *x = &c->controls.items[b->tc.items[b->tc_first[f->threat_index] + k]];
            clink *l = &c->links.items[x->link_first + x->link_count++];
            l->finding = i;
            error = present_text(b, (uint32_t)(x - c->controls.items), f, &l->present);
        }
    }
    return error;
}

/* ---- status ------------------------------------------------------------------ */

static void count_links(iotnet_compliance *c, cctl *x)
{
    for (uint32_t k = 0; k < x->link_count; k++) {
        const clink *l = &c->links.items[x->link_first + k];
        const cfinding *f = &c->findings.items[l->finding];
        bool answered = comply_text(c, l->present)[0] != '\0';
        x->open += f->status == IOTNET_FINDING_OPEN;
        x->mitigated += f->status == IOTNET_FINDING_MITIGATED;
        x->accepted += f->status == IOTNET_FINDING_ACCEPTED;
        x->answered += answered && f->status != IOTNET_FINDING_OPEN;
    }
    x->pair_count = 0;
    for (uint32_t k = 0; k < x->mit_count; k++)
        x->pair_count += c->pair_count[c->ctl_mits.items[x->mit_first + k]];
}

static uint8_t status_of(const cctl *x)
{
    if (!x->mit_count)
        return IOTNET_CONTROL_NOT_ASSESSED;
    if (x->open)
        return x->pair_count ? IOTNET_CONTROL_PARTIAL : IOTNET_CONTROL_GAP;
    return x->pair_count ? IOTNET_CONTROL_ADDRESSED : IOTNET_CONTROL_NOT_APPLICABLE;
}

/* Up to three of the control's mitigations, bare ids, for a sentence. */
static void some_mitigations(iotnet__buf *t, const iotnet_compliance *c, const iotnet_catalog *cat, const cctl *x)
{
    uint32_t shown = x->mit_count < 3 ? x->mit_count : 3;
    for (uint32_t k = 0; k < shown; k++) {
        const char *id = cat_text(cat, cat->mitigations.items[c->ctl_mits.items[x->mit_first + k]].id);
        const char *colon = strchr(id, ':');
        iotnet__buf_printf(t, "%s%s", k ? ", " : "", colon ? colon + 1 : id);
    }
    if (x->mit_count > shown)
        iotnet__buf_printf(t, " and %u more", x->mit_count - shown);
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static void reason_text(iotnet__buf *t, const iotnet_compliance *c, const iotnet_catalog *cat, const cctl *x)
{
    size_t n = x->link_count, otherwise = x->mitigated + x->accepted - x->answered;
    switch (x->status) {
    case IOTNET_CONTROL_NOT_ASSESSED:
        iotnet__buf_puts(t, "No mitigation of the loaded catalogs evidences this control: it is outside what a network "
                            "model shows (policies, people, premises, contracts) and is assessed from other records.");
        break;
    case IOTNET_CONTROL_GAP:
        iotnet__buf_printf(t, "%zu of the %zu %s it would answer %s open and none of its mitigations (", x->open, n,
                           plural(n, "finding", "findings"), plural(x->open, "is", "are"));
        some_mitigations(t, c, cat, x);
        iotnet__buf_puts(t, ") is present.");
        break;
    case IOTNET_CONTROL_PARTIAL:
        iotnet__buf_printf(t, "%zu of the %zu %s it would answer %s open, though its mitigations are present in %zu "
                              "%s (answering %zu).",
                           x->open, n, plural(n, "finding", "findings"), plural(x->open, "is", "are"), x->pair_count,
                           plural(x->pair_count, "place", "places"), x->answered);
        break;
    case IOTNET_CONTROL_ADDRESSED:
        iotnet__buf_printf(t, "Its mitigations are present in %zu %s", x->pair_count,
                           plural(x->pair_count, "place", "places"));
        if (n)
            iotnet__buf_printf(t, "; none of the %zu %s it would answer is open (%zu answered by them, %zu treated "
                                  "otherwise).",
                               n, plural(n, "finding", "findings"), x->answered, otherwise);
        else
            iotnet__buf_puts(t, "; no finding of the model calls for it.");
        break;
    default:
        if (n)
            iotnet__buf_printf(t, "The %zu %s it would answer %s treated otherwise (%zu mitigated by other measures, "
                                  "%zu accepted) and none of its mitigations is present.",
                               n, plural(n, "finding", "findings"), plural(n, "is", "are"), x->mitigated, x->accepted);
        else {
            iotnet__buf_puts(t, "No threat its mitigations (");
            some_mitigations(t, c, cat, x);
            iotnet__buf_puts(t, ") answer applies to the model, and none of them is present.");
        }
        break;
    }
}

static int judge(iotnet_compliance *c, const iotnet_catalog *cat)
{
    iotnet__buf t = {0};
    int error = 0;
    for (uint32_t k = 0; k < c->controls.count && !error; k++) {
        cctl *x = &c->controls.items[k];
        count_links(c, x);
        x->status = status_of(x);
        c->summary[x->status]++;
        t.len = 0;
        reason_text(&t, c, cat, x);
        error = t.failed ? iotnet__error_set(IOTNET_ENOMEM, "out of memory") : intern(c, t.data, &x->reason);
    }
    iotnet__buf_free(&t);
    return error;
}

/* ---- the call ------------------------------------------------------------------ */

static void build_free(build *b)
{
    free(b->ctl_of);
    free(b->maps);
    free(b->wanted);
    free(b->tc_first);
    free(b->tc_count);
    free(b->tc.items);
}

/* The findings to map: the caller's, or one evaluation here. */
static int map_findings(build *b, const iotnet_net *net, const iotnet_compliance_options *o, int64_t now)
{
    if (o->findings)
        return copy_findings(b, o->findings);
    iotnet_analyze_options a = IOTNET_ANALYZE_OPTIONS_INIT;
    a.assume = o->assume;
    a.assume_count = o->assume_count;
    a.now = now;
    iotnet_findings *own = NULL;
    int error = iotnet_analyze(&own, net, b->cat, &a);
    if (!error)
        error = copy_findings(b, own);
    iotnet_findings_free(own);
    return error;
}

int iotnet_compliance_compute(iotnet_compliance **out, const iotnet_net *net, const iotnet_catalog *cat,
                              const char *framework, const iotnet_compliance_options *opts)
{
    if (!out || !net || !cat || !framework)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_compliance_compute: out, net, cat and framework are required");
    *out = NULL;
    iotnet_compliance_options defaults = IOTNET_COMPLIANCE_OPTIONS_INIT;
    const iotnet_compliance_options *o = opts ? opts : &defaults;
    int error = iotnet__version_check(o->version, IOTNET_COMPLIANCE_OPTIONS_VERSION, "iotnet_compliance_options");
    if (error)
        return error;
    if (o->assume_count && !o->assume)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_compliance_compute: assume_count is %zu but assume is NULL",
                                 o->assume_count);
    int64_t now = o->now == IOTNET_TIME_UNSET ? iotnet__clock_now() : o->now;
    build b;
    memset(&b, 0, sizeof b);
    b.cat = cat;
    iotnet_compliance *c = calloc(1, sizeof *c);
    b.c = c;
    if (!c || !(b.ctl_of = calloc((size_t)cat->controls.count + 1, sizeof *b.ctl_of))) {
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory for a compliance result");
        goto cleanup;
    }
    if ((error = read_controls(&b, framework)) || (error = read_mappings(&b)) || (error = threat_controls(&b)) ||
        (error = map_findings(&b, net, o, now)) ||
        (error = iotnet__comply_presence(c, net, cat, b.wanted, o->assume, o->assume_count, now)) ||
        (error = link_findings(&b)) || (error = judge(c, cat)))
        goto cleanup;
    if (!strcmp(framework, IEC62443))
        error = iotnet__comply_levels(c, net, cat);

cleanup:
    build_free(&b);
    if (error)
        iotnet_compliance_free(c);
    else
        *out = c;
    return error;
}

void iotnet_compliance_free(iotnet_compliance *c)
{
    if (!c)
        return;
    iotnet__strpool_free(&c->strings);
    free(c->controls.items);
    free(c->ctl_mits.items);
    free(c->findings.items);
    free(c->presents.items);
    free(c->links.items);
    free(c->pairs.items);
    free(c->pair_first);
    free(c->pair_count);
    free(c->levels.items);
    free(c);
}

/* ---- reading the result ---------------------------------------------------------- */

const char *iotnet_compliance_framework(const iotnet_compliance *c)
{
    return c ? comply_text(c, c->framework) : NULL;
}

size_t iotnet_compliance_count(const iotnet_compliance *c)
{
    return c ? c->controls.count : 0;
}

void iotnet_compliance_summary(const iotnet_compliance *c, size_t out[6])
{
    if (!out)
        return;
    for (int i = 0; i < IOTNET_CONTROL_STATUS_SLOTS; i++)
        out[i] = c ? c->summary[i] : 0;
}

static const cctl *control_at(const iotnet_compliance *c, size_t i, const void *out)
{
    if (!c || !out || i >= c->controls.count) {
        iotnet__error_set(IOTNET_EINVAL, "no control %zu in the compliance result", i);
        return NULL;
    }
    return &c->controls.items[i];
}

int iotnet_compliance_get(const iotnet_compliance *c, size_t i, iotnet_control_result *out)
{
    const cctl *x = control_at(c, i, out);
    if (!x)
        return IOTNET_EINVAL;
    *out = (iotnet_control_result){IOTNET_CONTROL_RESULT_VERSION,
                                   comply_text(c, x->id),
                                   comply_text(c, x->title),
                                   x->group ? comply_text(c, x->group) : NULL,
                                   (iotnet_control_status)x->status,
                                   comply_text(c, x->reason),
                                   comply_text(c, x->mitigations),
                                   x->min_sl,
                                   x->pair_count,
                                   x->link_count,
                                   x->open,
                                   x->mitigated,
                                   x->answered,
                                   x->accepted};
    return 0;
}

/* `a` and `b` equal once spaces are left out. */
static bool same_id(const char *a, const char *b)
{
    for (;;) {
        while (*a == ' ')
            a++;
        while (*b == ' ')
            b++;
        if (*a != *b)
            return false;
        if (!*a)
            return true;
        a++;
        b++;
    }
}

int iotnet_compliance_find(const iotnet_compliance *c, const char *control, size_t *out)
{
    if (!c || !control || !out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_compliance_find: c, control and out are required");
    const char *bare = control;
    /* ISO/IEC 27001 numbers Annex A controls A.5.1; the catalog writes 5.1 */
    if (!strncmp(comply_text(c, c->framework), "iso27001", 8) && (bare[0] == 'A' || bare[0] == 'a') && bare[1] == '.')
        bare += 2;
    for (uint32_t i = 0; i < c->controls.count; i++)
        if (same_id(comply_text(c, c->controls.items[i].id), bare)) {
            *out = i;
            return 0;
        }
    return iotnet__error_set(IOTNET_ENOTFOUND, "no control \"%s\" in %s", control, comply_text(c, c->framework));
}

int iotnet_compliance_evidence(const iotnet_compliance *c, size_t i, size_t k, iotnet_control_evidence *out)
{
    const cctl *x = control_at(c, i, out);
    if (!x)
        return IOTNET_EINVAL;
    size_t rest = k;
    for (uint32_t j = 0; j < x->mit_count; j++) {
        uint32_t m = c->ctl_mits.items[x->mit_first + j];
        if (rest >= c->pair_count[m]) {
            rest -= c->pair_count[m];
            continue;
        }
        const cpair *p = &c->pairs.items[c->pair_first[m] + rest];
        *out = (iotnet_control_evidence){IOTNET_CONTROL_EVIDENCE_VERSION, comply_text(c, p->mitigation_id),
                                         (iotnet_target)p->table, comply_text(c, p->target), p->assumed != 0};
        return 0;
    }
    return iotnet__error_set(IOTNET_EINVAL, "control %s has no evidence %zu", comply_text(c, x->id), k);
}

int iotnet_compliance_finding(const iotnet_compliance *c, size_t i, size_t k, iotnet_control_finding *out)
{
    const cctl *x = control_at(c, i, out);
    if (!x)
        return IOTNET_EINVAL;
    if (k >= x->link_count)
        return iotnet__error_set(IOTNET_EINVAL, "control %s has no finding %zu", comply_text(c, x->id), k);
    const clink *l = &c->links.items[x->link_first + k];
    const cfinding *f = &c->findings.items[l->finding];
    bool accepted = f->status == IOTNET_FINDING_ACCEPTED;
    *out = (iotnet_control_finding){IOTNET_CONTROL_FINDING_VERSION,
                                    comply_text(c, f->id),
                                    comply_text(c, f->threat),
                                    (iotnet_target)f->table,
                                    comply_text(c, f->target),
                                    (iotnet_finding_status)f->status,
                                    comply_text(c, l->present),
                                    accepted && f->by ? comply_text(c, f->by) : NULL,
                                    accepted && f->reason ? comply_text(c, f->reason) : NULL,
                                    accepted ? f->until : IOTNET_TIME_UNSET,
                                    f->residual};
    return 0;
}

size_t iotnet_compliance_zone_level_count(const iotnet_compliance *c)
{
    return c ? c->levels.count : 0;
}

int iotnet_compliance_zone_level(const iotnet_compliance *c, size_t i, iotnet_zone_level *out)
{
    if (!c || !out || i >= c->levels.count)
        return iotnet__error_set(IOTNET_EINVAL, "no zone level %zu in the compliance result", i);
    const clevel *l = &c->levels.items[i];
    *out = (iotnet_zone_level){IOTNET_ZONE_LEVEL_VERSION, comply_text(c, l->zone), l->fr, l->target, l->achieved,
                               l->gap != 0, comply_text(c, l->limiting), comply_text(c, l->reason)};
    return 0;
}
