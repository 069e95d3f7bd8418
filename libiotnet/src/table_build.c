/* The tables of the library's results: findings, a catalog's threats and
   mitigations, reachability rows (exposure) and the zone matrix. Each
   builder fills a table of its kind row by row, then arranges it. */
#include "error_internal.h"
#include "iotnet/names.h"
#include "table_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Arrange the raw table into *out and free it, whatever happens. */
static int finish(iotnet_table **out, iotnet_table *raw, int error, const iotnet_table_options *opts)
{
    if (!error)
        error = iotnet_table_arrange(out, raw, opts);
    iotnet_table_free(raw);
    return error;
}

/* A raw table of a kind; `of_model`: its title and description name the model. */
static int start(iotnet_table **raw, iotnet_table **out, iotnet_table_kind kind, const iotnet_net *net,
                 bool of_model, const char *what)
{
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "%s: out is NULL", what);
    *out = NULL;
    return iotnet__table_create(raw, kind, net ? iotnet_net_name(net) : NULL, of_model);
}

static const char *int_text(char buf[16], int value)
{
    snprintf(buf, 16, "%d", value);
    return buf;
}

/* ------------------------------------------------------------------ */
/* Findings                                                            */

static const char *date_text(char buf[32], int64_t seconds)
{
    if (seconds == IOTNET_TIME_UNSET)
        return NULL;
    time_t t = (time_t)seconds;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(buf, 32, "%Y-%m-%d", &tm) == 0)
        return NULL;
    return buf;
}

static const char *threat_title(const iotnet_catalog *cat, const char *threat)
{
    long i = threat ? iotnet_catalog_find_threat(cat, threat) : -1;
    iotnet_threat_info info = {.version = IOTNET_THREAT_INFO_VERSION};
    if (i < 0 || iotnet_catalog_threat(cat, (size_t)i, &info) != 0)
        return NULL;
    return info.title;
}

/* Ids as documents show them: without the namespace when the bare id names
   the same entry of the catalog ("nat-as-firewall" for
   "iotnet:nat-as-firewall"), which keeps table columns narrow. */
typedef long (*find_fn)(const iotnet_catalog *cat, const char *id);

static const char *short_id(const iotnet_catalog *cat, const char *id, find_fn find)
{
    const char *colon = id ? strchr(id, ':') : NULL;
    if (!colon || !cat)
        return id;
    long full = find(cat, id);
    return full >= 0 && find(cat, colon + 1) == full ? colon + 1 : id;
}

/* A list of mitigation ids, each shortened, into b. */
static const char *short_mitigations(iotnet__buf *b, const iotnet_catalog *cat, const char *ids)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
    size_t n;
    for (const char *w; (w = iotnet__table_next_word(&ids, &n));) {
        char *id = strndup(w, n);
        if (!id) {
            b->failed = 1;
            break;
        }
        iotnet__buf_printf(b, "%s%s", b->len ? " " : "", short_id(cat, id, iotnet_catalog_find_mitigation));
        free(id);
    }
    return b->failed ? NULL : b->data ? b->data : "";
}

int iotnet_table_add_finding(iotnet_table *t, const iotnet_finding *x, const iotnet_catalog *cat)
{
    if (!t || !x)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_table_add_finding: table or finding is NULL");
    if (t->kind != IOTNET_TABLE_FINDINGS || t->arranged)
        return iotnet__error_set(IOTNET_EINVAL, "findings are added to a findings table not yet arranged");
    char num[7][16], until[32];
    iotnet__buf mitigations = {0};
    const char *shown = short_mitigations(&mitigations, cat, x->mitigations);
    if (!shown) {
        iotnet__buf_free(&mitigations);
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory adding a finding");
    }
    const char *cells[] = {
        x->id,
        short_id(cat, x->threat, iotnet_catalog_find_threat),
        cat ? threat_title(cat, x->threat) : NULL,
        iotnet_enum_name(IOTNET_ENUM_TARGET, (int)x->target_kind),
        x->target,
        iotnet_enum_name(IOTNET_ENUM_FINDING_STATUS, (int)x->status),
        int_text(num[0], x->likelihood),
        int_text(num[1], x->impact),
        int_text(num[2], x->inherent_risk),
        int_text(num[3], x->residual_likelihood),
        int_text(num[4], x->residual_impact),
        int_text(num[5], x->residual_risk),
        shown,
        x->accepted_by,
        x->accepted_reason,
        date_text(until, x->accepted_until),
        x->evidence,
    };
    int error = iotnet_table_add_row(t, cells, sizeof cells / sizeof cells[0]);
    iotnet__buf_free(&mitigations);
    return error;
}

int iotnet_table_findings(iotnet_table **out, const iotnet_net *net, const iotnet_findings *findings,
                          const iotnet_catalog *cat, const iotnet_table_options *opts)
{
    iotnet_table *t = NULL;
    int error = start(&t, out, IOTNET_TABLE_FINDINGS, net, true, "iotnet_table_findings");
    if (error)
        return error;
    if (!findings || !cat)
        error = iotnet__error_set(IOTNET_EINVAL, "iotnet_table_findings: findings or catalog is NULL");
    size_t n = findings ? iotnet_findings_count(findings) : 0;
    for (size_t i = 0; !error && i < n; i++) {
        iotnet_finding x = {.version = IOTNET_FINDING_VERSION};
        error = iotnet_findings_get(findings, i, &x);
        if (!error)
            error = iotnet_table_add_finding(t, &x, cat);
    }
    return finish(out, t, error, opts);
}

/* ------------------------------------------------------------------ */
/* Threats and their mitigations                                       */

/* "S T I" from STRIDE bits. */
static const char *stride_text(char buf[16], unsigned bits)
{
    static const char letters[] = "STRIDE";
    size_t n = 0;
    for (unsigned i = 0; i < 6; i++)
        if (bits & (1u << i)) {
            if (n)
                buf[n++] = ' ';
            buf[n++] = letters[i];
        }
    buf[n] = '\0';
    return buf;
}

/* Which threats of the catalog have a finding (other than not-applicable):
   one pass over the findings, so that large results stay linear. */
static int threats_with_findings(bool **out, const iotnet_catalog *cat, const iotnet_findings *findings)
{
    size_t threats = iotnet_catalog_threat_count(cat);
    bool *seen = calloc(threats ? threats : 1, sizeof *seen);
    if (!seen)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory collecting threats");
    size_t n = iotnet_findings_count(findings);
    for (size_t i = 0; i < n; i++) {
        iotnet_finding x = {.version = IOTNET_FINDING_VERSION};
        if (iotnet_findings_get(findings, i, &x) != 0 || x.status == IOTNET_FINDING_NOT_APPLICABLE)
            continue;
        long k = iotnet_catalog_find_threat(cat, x.threat);
        if (k >= 0 && (size_t)k < threats)
            seen[k] = true;
    }
    *out = seen;
    return 0;
}

static int add_threat_row(iotnet_table *t, const iotnet_catalog *cat, const iotnet_threat_info *th,
                          const iotnet_mitigation_info *m)
{
    char stride[16], num[2][16];
    const char *cells[] = {
        short_id(cat, th->id, iotnet_catalog_find_threat),
        th->title,
        stride_text(stride, th->stride),
        iotnet_enum_name(IOTNET_ENUM_TARGET, (int)th->target),
        int_text(num[0], th->likelihood),
        int_text(num[1], th->impact),
        m ? short_id(cat, m->id, iotnet_catalog_find_mitigation) : NULL,
        m ? m->title : NULL,
        m ? m->technologies : NULL,
        th->references,
    };
    return iotnet_table_add_row(t, cells, sizeof cells / sizeof cells[0]);
}

/* One row per candidate mitigation of a threat, or one without any. */
static int add_threat(iotnet_table *t, const iotnet_catalog *cat, const iotnet_threat_info *th)
{
    size_t rows = 0;
    int error = 0;
    const char *ids = th->mitigations;
    size_t n;
    for (const char *w; !error && (w = iotnet__table_next_word(&ids, &n));) {
        char id[256];
        snprintf(id, sizeof id, "%.*s", (int)n, w);
        long m = iotnet_catalog_find_mitigation(cat, id);
        iotnet_mitigation_info info = {.version = IOTNET_MITIGATION_INFO_VERSION};
        if (m < 0 || iotnet_catalog_mitigation(cat, (size_t)m, &info) != 0)
            continue; /* the loader resolved every candidate: none is missing */
        error = add_threat_row(t, cat, th, &info);
        rows++;
    }
    if (!error && rows == 0)
        error = add_threat_row(t, cat, th, NULL);
    return error;
}

int iotnet_table_threats(iotnet_table **out, const iotnet_net *net, const iotnet_catalog *cat,
                         const iotnet_findings *findings, const iotnet_table_options *opts)
{
    iotnet_table *t = NULL;
    int error = start(&t, out, IOTNET_TABLE_THREATS, net, findings != NULL, "iotnet_table_threats");
    if (error)
        return error;
    if (!cat)
        error = iotnet__error_set(IOTNET_EINVAL, "iotnet_table_threats: catalog is NULL");
    bool *keep = NULL;
    if (!error && findings)
        error = threats_with_findings(&keep, cat, findings);
    size_t n = cat ? iotnet_catalog_threat_count(cat) : 0;
    for (size_t i = 0; !error && i < n; i++) {
        iotnet_threat_info th = {.version = IOTNET_THREAT_INFO_VERSION};
        error = iotnet_catalog_threat(cat, i, &th);
        if (!error && (!keep || keep[i]))
            error = add_threat(t, cat, &th);
    }
    free(keep);
    return finish(out, t, error, opts);
}

/* ------------------------------------------------------------------ */
/* Exposure                                                            */

static const char *node_id(const iotnet_net *net, iotnet_index node)
{
    iotnet_node_spec spec = {.version = IOTNET_NODE_SPEC_VERSION};
    if (node == IOTNET_NONE || iotnet_node_get(net, node, &spec) != 0)
        return NULL;
    return spec.id;
}

/* "the Internet" when every row starts at a node of kind internet, the
   source's id when they share one, NULL otherwise. */
static const char *source_name(const iotnet_net *net, const iotnet_reach_result *rows)
{
    iotnet_kind internet;
    bool have_kind = iotnet_kind_find(net, &internet, "internet") == 0;
    bool all_internet = have_kind, same = true;
    iotnet_index first = IOTNET_NONE;
    size_t n = iotnet_reach_count(rows);
    for (size_t i = 0; i < n; i++) {
        iotnet_reach_row r = {.version = IOTNET_REACH_ROW_VERSION};
        if (iotnet_reach_get(rows, i, &r) != 0)
            continue;
        if (i == 0)
            first = r.source;
        same = same && r.source == first;
        all_internet = all_internet && iotnet_kind_is_a(net, iotnet_node_kind(net, r.source), internet);
    }
    if (n && all_internet)
        return "the Internet";
    return n && same ? node_id(net, first) : NULL;
}

/* The derived title names the Internet; another source is named by id. */
static int exposure_title(iotnet_table *t, const iotnet_net *net, const iotnet_reach_result *rows)
{
    const char *source = source_name(net, rows);
    if (source && strcmp(source, "the Internet") == 0)
        return 0;
    iotnet__buf b = {0};
    iotnet__buf_printf(&b, "What %s reach%s", source ? source : "the sources", source ? "es" : "");
    if (t->name[0])
        iotnet__buf_printf(&b, " in %s", t->name);
    char *title = iotnet__buf_detach(&b);
    if (!title)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory naming a table");
    free(t->title);
    t->title = title;
    return 0;
}

static int add_reach_row(iotnet_table *t, const iotnet_net *net, const iotnet_reach_row *r, iotnet__buf *path)
{
    char flow[32], entry[300];
    const char *proto = iotnet_enum_name(IOTNET_ENUM_PROTOCOL, r->protocol);
    if (r->port)
        snprintf(flow, sizeof flow, "%s/%u", proto ? proto : "?", (unsigned)r->port);
    else
        snprintf(flow, sizeof flow, "%s", proto ? proto : "?");
    const char *entry_node = node_id(net, r->entry_node);
    if (entry_node && r->entry_port)
        snprintf(entry, sizeof entry, "%s:%u", entry_node, (unsigned)r->entry_port);
    else
        snprintf(entry, sizeof entry, "%s", entry_node ? entry_node : "");
    path->len = 0;
    for (size_t i = 0; i < r->path_length; i++) {
        const char *id = node_id(net, r->path[i]);
        iotnet__buf_printf(path, "%s%s", i ? " " : "", id ? id : "?");
    }
    if (path->failed)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory writing a path");
    const char *cells[] = {
        node_id(net, r->source),
        node_id(net, r->destination),
        r->service,
        flow,
        iotnet_enum_name(IOTNET_ENUM_EXPOSURE, (int)r->exposure),
        entry,
        r->via,
        path->data ? path->data : "",
    };
    return iotnet_table_add_row(t, cells, sizeof cells / sizeof cells[0]);
}

int iotnet_table_reach(iotnet_table **out, const iotnet_net *net, const iotnet_reach_result *rows,
                       const iotnet_table_options *opts)
{
    if (!net || !rows) {
        if (out)
            *out = NULL;
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_table_reach: net or rows is NULL");
    }
    iotnet_table *t = NULL;
    int error = start(&t, out, IOTNET_TABLE_EXPOSURE, net, true, "iotnet_table_reach");
    if (error)
        return error;
    error = exposure_title(t, net, rows);
    iotnet__buf path = {0};
    size_t n = iotnet_reach_count(rows);
    for (size_t i = 0; !error && i < n; i++) {
        iotnet_reach_row r = {.version = IOTNET_REACH_ROW_VERSION};
        error = iotnet_reach_get(rows, i, &r);
        if (!error)
            error = add_reach_row(t, net, &r, &path);
    }
    iotnet__buf_free(&path);
    return finish(out, t, error, opts);
}

/* ------------------------------------------------------------------ */
/* Zone matrix                                                         */

static const char *zone_id(const iotnet_net *net, iotnet_index zone)
{
    iotnet_zone_spec spec = {.version = IOTNET_ZONE_SPEC_VERSION};
    if (zone == IOTNET_NONE || iotnet_zone_get(net, zone, &spec) != 0)
        return NULL;
    return spec.id;
}

static const char *conduit_id(const iotnet_net *net, iotnet_index conduit)
{
    iotnet_conduit_spec spec = {.version = IOTNET_CONDUIT_SPEC_VERSION};
    if (conduit == IOTNET_NONE || iotnet_conduit_get(net, conduit, &spec) != 0)
        return NULL;
    return spec.id;
}

int iotnet_table_zone_matrix(iotnet_table **out, const iotnet_net *net, const iotnet_zone_matrix *matrix,
                             const iotnet_table_options *opts)
{
    if (!net || !matrix) {
        if (out)
            *out = NULL;
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_table_zone_matrix: net or matrix is NULL");
    }
    iotnet_table *t = NULL;
    int error = start(&t, out, IOTNET_TABLE_ZONES, net, true, "iotnet_table_zone_matrix");
    if (error)
        return error;
    size_t n = iotnet_zone_matrix_count(matrix);
    for (size_t i = 0; !error && i < n; i++) {
        iotnet_zone_flow f = {.version = IOTNET_ZONE_FLOW_VERSION};
        error = iotnet_zone_matrix_get(matrix, i, &f);
        const char *cells[] = {zone_id(net, f.from_zone), zone_id(net, f.to_zone), f.services,
                               conduit_id(net, f.conduit), f.violations};
        if (!error)
            error = iotnet_table_add_row(t, cells, sizeof cells / sizeof cells[0]);
    }
    return finish(out, t, error, opts);
}
