/* iotnet_analyze(): findings from compiled conditions. For each threat the
 * applies-when bitset over its target table, the candidate mitigations'
 * present-when bitsets carried to that table, the model's risk decisions;
 * then one record per finding, in threat-id and target-id order, stably
 * sorted by residual risk. Strings are rendered when first read. */
#include "eval_internal.h"
#include "error_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Findings up to this many are rendered at once, after which they no longer
 * read the model or the catalog; larger sets are rendered on first access. */
#define EAGER_LIMIT 100000

typedef struct frec {
    uint32_t threat, target;
    uint32_t present;  /* bit k: the threat's k-th candidate mitigation is present or assumed */
    uint32_t decision; /* the model's risk decision on the finding, or IOTNET_NONE */
    uint8_t status, rl, ri, expired;
    uint8_t likelihood, impact, target_kind;
} frec;

typedef struct rendered {
    const char *id, *threat, *target, *mitigations, *evidence, *by, *reason;
    int64_t until;
} rendered;

typedef struct arena {
    char **blocks;
    size_t count, cap, used, size;
} arena;

struct iotnet_findings {
    frec *recs;
    size_t count;
    size_t summary[5];
    eval_ctx e;                /* kept while strings are not all rendered */
    bool live;
    rendered *text;            /* by finding, on first access */
    arena strings;
    pthread_mutex_t lock;
};

/* ---- an arena for rendered strings ----------------------------------------- */

static const char *arena_put(arena *a, const char *s, size_t n)
{
    if (!a->count || a->used + n + 1 > a->size) {
        size_t size = n + 1 > 65536 ? n + 1 : 65536;
        if (a->count == a->cap) {
            size_t cap = a->cap ? 2 * a->cap : 16;
            char **blocks = realloc(a->blocks, cap * sizeof *blocks);
            if (!blocks)
                return NULL;
            a->blocks = blocks;
            a->cap = cap;
        }
        if (!(a->blocks[a->count] = malloc(size)))
            return NULL;
        a->count++;
        a->used = 0;
        a->size = size;
    }
    char *dst = a->blocks[a->count - 1] + a->used;
    memcpy(dst, s, n);
    dst[n] = '\0';
    a->used += n + 1;
    return dst;
}

static void arena_free(arena *a)
{
    for (size_t i = 0; i < a->count; i++)
        free(a->blocks[i]);
    free(a->blocks);
    memset(a, 0, sizeof *a);
}

/* ---- ids in order -------------------------------------------------------------- */

typedef struct skey {
    uint64_t key;
    uint32_t idx;
} skey;

/* Eight bytes of s from off, big-endian, zero past the end (off <= strlen(s)). */
static uint64_t chunk(const char *s, size_t off)
{
    uint64_t k = 0;
    s += off;
    int i = 0;
    for (; i < 8 && s[i]; i++)
        k = k << 8 | (uint8_t)s[i];
    return k << (8 * (8 - i));
}

static void radix_sort(skey *a, skey *tmp, size_t n)
{
    size_t count[256];
    for (int pass = 0; pass < 8; pass++) {
        int shift = 8 * pass;
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < n; i++)
            count[(a[i].key >> shift) & 255]++;
        if (count[(a[0].key >> shift) & 255] == n)
            continue; /* every key has this digit */
        size_t sum = 0;
        for (int d = 0; d < 256; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            tmp[count[(a[i].key >> shift) & 255]++] = a[i];
        memcpy(a, tmp, n * sizeof *a);
    }
}

static void insertion_sort(skey *a, size_t n, const char *const *text, size_t off)
{
    for (size_t i = 1; i < n; i++) {
        skey x = a[i];
        size_t j = i;
        while (j > 0 && strcmp(text[a[j - 1].idx] + off, text[x.idx] + off) > 0) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = x;
    }
}

/* Sort by the strings from byte `off` on: eight bytes at a time, then each
 * run of equal bytes that goes on by the next eight. */
static void string_sort(skey *a, skey *tmp, size_t n, const char *const *text, size_t off, int depth)
{
    if (n < 2)
        return;
    if (n <= 24 || depth > 16) {
        insertion_sort(a, n, text, off);
        return;
    }
    for (size_t i = 0; i < n; i++)
        a[i].key = chunk(text[a[i].idx], off);
    radix_sort(a, tmp, n);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && a[j].key == a[i].key)
            j++;
        if (j - i > 1 && (a[i].key & 255))
            string_sort(a + i, tmp, j - i, text, off + 8, depth + 1);
        i = j;
    }
}

/* The live elements of an id table in id order. */
static int ids_sorted(const iotnet_net *net, const iotnet__str *ids, const uint8_t *alive, uint32_t count,
                      uint32_t **out, uint32_t *n_out)
{
    skey *a = malloc(((size_t)count + 1) * sizeof *a), *tmp = malloc(((size_t)count + 1) * sizeof *tmp);
    const char **text = calloc((size_t)count + 1, sizeof *text);
    uint32_t *perm = malloc(((size_t)count + 1) * sizeof *perm);
    int error = 0;
    if (!a || !tmp || !text || !perm)
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory sorting ids");
    uint32_t n = 0;
    for (uint32_t i = 0; i < count && !error; i++) {
        text[i] = iotnet__text(net, ids[i]);
        if (alive[i] && text[i])
            a[n++] = (skey){0, i};
    }
    if (!error) {
        string_sort(a, tmp, n, text, 0, 0);
        for (uint32_t i = 0; i < n; i++)
            perm[i] = a[i].idx;
        *out = perm;
        *n_out = n;
        perm = NULL;
    }
    free(a);
    free(tmp);
    free(text);
    free(perm);
    return error;
}

static int service_name_cmp(const iotnet_net *net, uint32_t x, uint32_t y)
{
    return strcmp(iotnet__text(net, net->services.items[x].name), iotnet__text(net, net->services.items[y].name));
}

/* Services by node id, then name. */
static int services_sorted(const iotnet_net *net, const uint32_t *nodes, uint32_t nn, uint32_t **out, uint32_t *n_out)
{
    uint32_t *perm = malloc(((size_t)net->services.count + 1) * sizeof *perm);
    if (!perm)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory sorting services");
    uint32_t n = 0;
    for (uint32_t k = 0; k < nn; k++) {
        uint32_t first = n;
        for (uint32_t s = net->nodes.first_service[nodes[k]]; s != IOTNET_NONE; s = net->services.items[s].next)
            perm[n++] = s;
        for (uint32_t i = first + 1; i < n; i++) {
            uint32_t x = perm[i], j = i;
            while (j > first && service_name_cmp(net, perm[j - 1], x) > 0) {
                perm[j] = perm[j - 1];
                j--;
            }
            perm[j] = x;
        }
    }
    *out = perm;
    *n_out = n;
    return 0;
}

/* ---- one call ------------------------------------------------------------------- */

typedef struct assumed {
    uint32_t mitigation;
    int table;         /* 0: every target */
    uint32_t element;
} assumed;

typedef struct decided {
    uint32_t threat, element, index;
} decided;

typedef struct run {
    eval_ctx *e;
    const iotnet_catalog *cat;
    const iotnet_analyze_options *opts;
    uint32_t *order[TABLE_COUNT];  /* live elements in id order, on first use */
    uint32_t norder[TABLE_COUNT];
    word **present;                /* by mitigation x table, owned */
    assumed *assume;
    size_t nassume;
    decided *decisions;
    size_t ndecisions;
    IOTNET__VEC(frec) recs;
} run;

static int order_of(run *r, int table)
{
    if (r->order[table] || table == 0)
        return 0;
    const iotnet_net *net = r->e->net;
    switch (table) {
    case IOTNET_TARGET_NODE:
        return ids_sorted(net, net->nodes.id, net->nodes.alive, net->nodes.count, &r->order[table], &r->norder[table]);
    case IOTNET_TARGET_LINK:
        return ids_sorted(net, net->links.id, net->links.alive, net->links.count, &r->order[table], &r->norder[table]);
    case IOTNET_TARGET_ZONE:
        return ids_sorted(net, net->zones.id, net->zones.alive, net->zones.count, &r->order[table], &r->norder[table]);
    case IOTNET_TARGET_CONDUIT:
        return ids_sorted(net, net->conduits.id, net->conduits.alive, net->conduits.count, &r->order[table],
                          &r->norder[table]);
    default: {
        int error = order_of(r, IOTNET_TARGET_NODE);
        return error ? error
                     : services_sorted(net, r->order[IOTNET_TARGET_NODE], r->norder[IOTNET_TARGET_NODE],
                                       &r->order[table], &r->norder[table]);
    }
    }
}

static word *bits_copy(const eval_ctx *e, int table, const word *from)
{
    word *b = iotnet__eval_bits(e, table);
    if (b && from)
        memcpy(b, from, (size_t)e->words[table] * sizeof(word));
    return b;
}

/* Where mitigation m is present (or assumed) on table `table`. */
static int present_bits(run *r, uint32_t m, int table, const word **out)
{
    word **slot = &r->present[(size_t)m * TABLE_COUNT + table];
    if (*slot) {
        *out = *slot;
        return 0;
    }
    eval_ctx *e = r->e;
    const mitigation_rec *mr = &r->cat->mitigations.items[m];
    const word *base;
    int error = iotnet__eval_cond(e, mr->cond, &base);
    if (error)
        return error;
    word *own = bits_copy(e, mr->target, base);
    if (!own)
        return IOTNET_ENOMEM;
    bool everywhere = false;
    for (size_t k = 0; k < r->nassume; k++)
        if (r->assume[k].mitigation == m) {
            if (!r->assume[k].table)
                everywhere = true;
            else if (r->assume[k].table == mr->target)
                bit_put(own, r->assume[k].element);
        }
    int hop = iotnet__mitigation_hop(mr->target, table);
    word *result = own;
    if (hop > 0) {
        if (!(result = iotnet__eval_bits(e, table))) {
            free(own);
            return IOTNET_ENOMEM;
        }
        error = iotnet__eval_hop(e, hop, own, result);
        free(own);
        if (error) {
            free(result);
            return error;
        }
    }
    for (size_t k = 0; k < r->nassume; k++)
        if (r->assume[k].mitigation == m && r->assume[k].table == table && table != mr->target)
            bit_put(result, r->assume[k].element);
    if (everywhere)
        memcpy(result, e->alive[table], (size_t)e->words[table] * sizeof(word));
    *slot = result;
    *out = result;
    return 0;
}

static int assumptions_resolve(run *r)
{
    const iotnet_analyze_options *o = r->opts;
    if (!o->assume_count)
        return 0;
    if (!o->assume)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_analyze: assume_count is %zu but assume is NULL", o->assume_count);
    if (!(r->assume = calloc(o->assume_count, sizeof *r->assume)))
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    static const int tables[] = {IOTNET_TARGET_NODE, IOTNET_TARGET_SERVICE, IOTNET_TARGET_LINK, IOTNET_TARGET_ZONE,
                                 IOTNET_TARGET_CONDUIT};
    for (size_t k = 0; k < o->assume_count; k++) {
        const iotnet_assumption *a = &o->assume[k];
        long m = a->mitigation ? iotnet_catalog_find_mitigation(r->cat, a->mitigation) : -1;
        if (m < 0)
            return iotnet__error_set(IOTNET_EINVAL, "assumption %zu: no mitigation \"%s\" in the catalog", k,
                                     a->mitigation ? a->mitigation : "");
        assumed *x = &r->assume[r->nassume++];
        x->mitigation = (uint32_t)m;
        if (!a->target)
            continue;
        int own = r->cat->mitigations.items[m].target;
        x->element = iotnet__eval_find(r->e, own, a->target);
        x->table = own;
        for (size_t t = 0; t < 5 && x->element == IOTNET_NONE; t++) {
            x->table = tables[t];
            x->element = iotnet__eval_find(r->e, tables[t], a->target);
        }
        iotnet_error_clear();
        if (x->element == IOTNET_NONE)
            return iotnet__error_set(IOTNET_EINVAL, "assumption %zu (%s): the model has no element \"%s\"", k,
                                     a->mitigation, a->target);
    }
    return 0;
}

static int decided_cmp(const void *a, const void *b)
{
    const decided *x = a, *y = b;
    if (x->threat != y->threat)
        return x->threat < y->threat ? -1 : 1;
    return x->element < y->element ? -1 : x->element > y->element;
}

/* The model's risk decisions on findings this catalog can produce. */
static int decisions_resolve(run *r)
{
    const iotnet_net *net = r->e->net;
    size_t n = iotnet_risk_decision_count(net);
    if (!n)
        return 0;
    if (!(r->decisions = calloc(n, sizeof *r->decisions)))
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        iotnet_risk_decision d = IOTNET_RISK_DECISION_INIT;
        if (iotnet_risk_decision_get(net, i, &d) != 0 || !d.finding)
            continue;
        const char *at = strchr(d.finding, '@');
        char threat[512];
        size_t len = at ? (size_t)(at - d.finding) : 0;
        if (!at || len >= sizeof threat)
            continue;
        memcpy(threat, d.finding, len);
        threat[len] = '\0';
        long t = iotnet_catalog_find_threat(r->cat, threat);
        if (t < 0)
            continue; /* a decision on another catalog's threat */
        uint32_t element = iotnet__eval_find(r->e, r->cat->threats.items[t].target, at + 1);
        if (element != IOTNET_NONE)
            r->decisions[r->ndecisions++] = (decided){(uint32_t)t, element, (uint32_t)i};
    }
    iotnet_error_clear();
    qsort(r->decisions, r->ndecisions, sizeof *r->decisions, decided_cmp);
    return 0;
}

static uint8_t clamp5(int v)
{
    return (uint8_t)(v < 1 ? 1 : v > 5 ? 5 : v);
}

static int threat_findings(run *r, uint32_t t)
{
    eval_ctx *e = r->e;
    const iotnet_catalog *cat = r->cat;
    const threat_rec *tr = &cat->threats.items[t];
    int table = tr->target;
    const word *applies;
    int error = iotnet__eval_cond(e, tr->cond, &applies);
    if (error)
        return error;
    bool any = false;
    for (uint32_t w = 0; w < e->words[table] && !any; w++)
        any = applies[w] != 0;
    if (!any && !r->opts->include_not_applicable)
        return 0;
    const word *present[32];
    for (uint32_t k = 0; k < tr->mit_count; k++)
        if ((error = present_bits(r, cat->refs.items[tr->mit_first + k], table, &present[k])))
            return error;
    if ((error = order_of(r, table)))
        return error;
    /* the decisions on this threat */
    size_t d0 = 0, d1;
    while (d0 < r->ndecisions && r->decisions[d0].threat < t)
        d0++;
    for (d1 = d0; d1 < r->ndecisions && r->decisions[d1].threat == t; d1++)
        ;
    const uint32_t *order = r->order[table];
    for (uint32_t k = 0; k < r->norder[table]; k++) {
        uint32_t i = order[k];
        bool holds = bit_get(applies, i);
        if (!holds && !r->opts->include_not_applicable)
            continue;
        if ((error = IOTNET__VEC_PUSH_ROOM(r->recs)))
            return error;
        frec *f = &r->recs.items[r->recs.count++];
        *f = (frec){t, i, 0, IOTNET_NONE, IOTNET_FINDING_OPEN, tr->likelihood, tr->impact, 0,
                    tr->likelihood, tr->impact, tr->target};
        if (!holds) {
            f->status = IOTNET_FINDING_NOT_APPLICABLE;
            f->rl = f->ri = 0;
            continue;
        }
        int dl = 0, di = 0;
        for (uint32_t m = 0; m < tr->mit_count; m++)
            if (bit_get(present[m], i)) {
                const mitigation_rec *mr = &cat->mitigations.items[cat->refs.items[tr->mit_first + m]];
                f->present |= (uint32_t)1 << m;
                dl += mr->likelihood_delta;
                di += mr->impact_delta;
            }
        if (f->present) {
            f->status = IOTNET_FINDING_MITIGATED;
            f->rl = clamp5(tr->likelihood + dl);
            f->ri = clamp5(tr->impact + di);
        }
        for (size_t d = d0; d < d1; d++)
            if (r->decisions[d].element == i) {
                iotnet_risk_decision rd = IOTNET_RISK_DECISION_INIT;
                iotnet_risk_decision_get(e->net, r->decisions[d].index, &rd);
                if (rd.until == IOTNET_TIME_UNSET || rd.until > e->now) {
                    f->decision = r->decisions[d].index;
                    f->status = IOTNET_FINDING_ACCEPTED;
                    f->rl = tr->likelihood;
                    f->ri = tr->impact;
                } else {
                    f->decision = r->decisions[d].index;
                    f->expired = 1;
                }
            }
    }
    return 0;
}

/* The records of one threat in r->recs. */
typedef struct span {
    size_t first, end;
} span;

/* The costliest condition a threat's findings need: its own and its candidate mitigations'. */
static int threat_cost(const iotnet_catalog *cat, uint32_t t)
{
    const threat_rec *tr = &cat->threats.items[t];
    int worst = iotnet__cond_cost(cat, tr->cond);
    for (uint32_t k = 0; k < tr->mit_count; k++) {
        int c = iotnet__cond_cost(cat, cat->mitigations.items[cat->refs.items[tr->mit_first + k]].cond);
        worst = c > worst ? c : worst;
    }
    return worst;
}

/* Every threat's records; those that need reachability come last, so the
 * Internet's reach (on a second thread) is ready by the time they ask. */
static int all_threat_findings(run *r, const uint32_t *threats, span **out)
{
    const iotnet_catalog *cat = r->cat;
    span *spans = calloc((size_t)cat->threats.count + 1, sizeof *spans);
    if (!(*out = spans))
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for findings");
    int error = 0;
    for (int late = 0; late <= 1; late++)
        for (uint32_t k = 0; k < cat->threats.count && !error; k++) {
            if ((threat_cost(cat, threats[k]) >= 3) != late)
                continue;
            spans[k].first = r->recs.count;
            error = threat_findings(r, threats[k]);
            spans[k].end = r->recs.count;
        }
    return error;
}

/* Stable counting sort by residual risk, highest first (not-applicable: 0,
 * last), of the records taken in threat order. */
static int sort_by_risk(iotnet_findings *f, const run *r, const span *spans)
{
    size_t count = r->recs.count, start[27] = {0};
    if (!(f->recs = malloc((count + 1) * sizeof *f->recs)))
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for findings");
    for (size_t i = 0; i < count; i++)
        start[25 - r->recs.items[i].rl * r->recs.items[i].ri + 1]++;
    for (int b = 1; b < 27; b++)
        start[b] += start[b - 1];
    for (uint32_t k = 0; k < r->cat->threats.count; k++)
        for (size_t i = spans[k].first; i < spans[k].end; i++) {
            const frec *x = &r->recs.items[i];
            f->recs[start[25 - x->rl * x->ri]++] = *x;
            f->summary[x->status]++;
        }
    f->count = count;
    return 0;
}

static const char *threat_id(const iotnet_catalog *cat, uint32_t t)
{
    return cat_text(cat, cat->threats.items[t].id);
}

/* A threat with its id beside it, so that sorting needs no catalog at hand:
 * a process-wide one (and its lock) would be held across a fork(). */
typedef struct threat_key {
    const char *id;
    uint32_t threat;
} threat_key;

static int threat_key_cmp(const void *a, const void *b)
{
    return strcmp(((const threat_key *)a)->id, ((const threat_key *)b)->id);
}

/* The catalog's threats in id order, into `threats` (count entries). */
static int threats_by_id(const iotnet_catalog *cat, uint32_t *threats)
{
    threat_key *keys = malloc(((size_t)cat->threats.count + 1) * sizeof *keys);
    if (!keys)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for findings");
    for (uint32_t t = 0; t < cat->threats.count; t++)
        keys[t] = (threat_key){threat_id(cat, t), t};
    qsort(keys, cat->threats.count, sizeof *keys, threat_key_cmp);
    for (uint32_t t = 0; t < cat->threats.count; t++)
        threats[t] = keys[t].threat;
    free(keys);
    return 0;
}

static void run_free(run *r)
{
    for (int t = 0; t < TABLE_COUNT; t++)
        free(r->order[t]);
    if (r->present)
        for (size_t i = 0; i < (size_t)r->cat->mitigations.count * TABLE_COUNT; i++)
            free(r->present[i]);
    free(r->present);
    free(r->assume);
    free(r->decisions);
    free(r->recs.items);
}

/* ---- rendering ------------------------------------------------------------------- */

static const char *put_buf(arena *a, iotnet__buf *b)
{
    const char *s = b->failed ? NULL : arena_put(a, b->data ? b->data : "", b->len);
    iotnet__buf_free(b);
    return s;
}

static int render(iotnet_findings *f, size_t i)
{
    rendered *out = &f->text[i];
    if (out->id)
        return 0;
    const frec *x = &f->recs[i];
    eval_ctx *e = &f->e;
    const iotnet_catalog *cat = e->cat;
    const threat_rec *tr = &cat->threats.items[x->threat];
    iotnet__buf target = {0}, id = {0}, mits = {0}, ev = {0};
    iotnet__eval_target_id(e, tr->target, x->target, &target);
    iotnet__buf_puts(&id, cat_text(cat, tr->id));
    iotnet__buf_puts(&id, "@");
    iotnet__buf_puts(&id, target.data ? target.data : "");
    for (uint32_t k = 0; k < tr->mit_count; k++)
        if ((x->present >> k) & 1) {
            if (mits.len)
                iotnet__buf_puts(&mits, " ");
            iotnet__buf_puts(&mits, cat_text(cat, cat->mitigations.items[cat->refs.items[tr->mit_first + k]].id));
        }
    if (x->status != IOTNET_FINDING_NOT_APPLICABLE)
        iotnet__eval_evidence(e, tr->cond, x->target, &ev);
    iotnet_risk_decision d = IOTNET_RISK_DECISION_INIT;
    if (x->decision != IOTNET_NONE)
        iotnet_risk_decision_get(e->net, x->decision, &d);
    if (x->expired) {
        char date[64] = "";
        iotnet__date_format(date, sizeof date, d.until);
        iotnet__buf_printf(&ev, "%sthe acceptance by %s expired %s", ev.len ? "; " : "", d.by ? d.by : "?", date);
    }
    out->threat = arena_put(&f->strings, cat_text(cat, tr->id), strlen(cat_text(cat, tr->id)));
    out->target = put_buf(&f->strings, &target);
    out->mitigations = put_buf(&f->strings, &mits);
    out->evidence = put_buf(&f->strings, &ev);
    if (x->status == IOTNET_FINDING_ACCEPTED) {
        out->by = d.by ? arena_put(&f->strings, d.by, strlen(d.by)) : NULL;
        out->reason = d.reason ? arena_put(&f->strings, d.reason, strlen(d.reason)) : NULL;
        out->until = d.until;
    } else
        out->until = IOTNET_TIME_UNSET;
    const char *full = put_buf(&f->strings, &id);
    if (!out->threat || !out->target || !out->mitigations || !out->evidence || !full)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory rendering findings");
    out->id = full;
    return 0;
}

static int text_ready(iotnet_findings *f)
{
    if (!f->text && !(f->text = calloc(f->count + 1, sizeof *f->text)))
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory rendering findings");
    return 0;
}

/* ---- the entry point ----------------------------------------------------------------- */

int iotnet_analyze(iotnet_findings **out, const iotnet_net *net, const iotnet_catalog *cat,
                   const iotnet_analyze_options *opts)
{
    if (!out || !net || !cat)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_analyze: out, net and cat are required");
    *out = NULL;
    iotnet_analyze_options defaults = IOTNET_ANALYZE_OPTIONS_INIT;
    if (!opts)
        opts = &defaults;
    int error = iotnet__version_check(opts->version, IOTNET_ANALYZE_OPTIONS_VERSION, "iotnet_analyze_options");
    if (error)
        return error;
    iotnet_findings *f = calloc(1, sizeof *f);
    if (!f)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory for findings");
    pthread_mutex_init(&f->lock, NULL);
    int64_t now = opts->now == IOTNET_TIME_UNSET ? iotnet__clock_now() : opts->now;
    run r;
    memset(&r, 0, sizeof r);
    r.cat = cat;
    r.opts = opts;
    r.e = &f->e;
    uint32_t *threats = NULL;
    span *spans = NULL;
    if ((error = iotnet__eval_init(&f->e, net, cat, now)))
        goto cleanup;
    f->live = true;
    if (!(r.present = calloc((size_t)cat->mitigations.count * TABLE_COUNT + 1, sizeof(word *))) ||
        !(threats = malloc(((size_t)cat->threats.count + 1) * sizeof *threats))) {
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory for findings");
        goto cleanup;
    }
    if ((error = assumptions_resolve(&r)) || (error = decisions_resolve(&r)) ||
        (error = threats_by_id(cat, threats)))
        goto cleanup;
    if ((error = iotnet__prefetch_start(&f->e)) || (error = all_threat_findings(&r, threats, &spans)) ||
        (error = sort_by_risk(f, &r, spans)))
        goto cleanup;
    size_t count = f->count;
    if (count <= EAGER_LIMIT) {
        if ((error = text_ready(f)))
            goto cleanup;
        for (size_t i = 0; i < count && !error; i++)
            error = render(f, i);
        if (error)
            goto cleanup;
        iotnet__eval_free(&f->e);
        f->live = false;
    }
cleanup:
    free(threats);
    free(spans);
    run_free(&r);
    if (error) {
        iotnet_findings_free(f);
        return error;
    }
    *out = f;
    return 0;
}

size_t iotnet_findings_count(const iotnet_findings *f)
{
    return f ? f->count : 0;
}

int iotnet_findings_get(const iotnet_findings *cf, size_t i, iotnet_finding *out)
{
    if (!cf || !out || i >= cf->count)
        return iotnet__error_set(IOTNET_EINVAL, "no finding %zu", i);
    iotnet_findings *f = (iotnet_findings *)cf; /* strings are rendered on first access */
    pthread_mutex_lock(&f->lock);
    int error = text_ready(f);
    if (!error && !f->text[i].id)
        error = f->live ? render(f, i) : iotnet__error_set(IOTNET_ERROR, "finding %zu was not rendered", i);
    pthread_mutex_unlock(&f->lock);
    if (error)
        return error;
    const frec *x = &f->recs[i];
    const rendered *t = &f->text[i];
    out->version = IOTNET_FINDING_VERSION;
    out->id = t->id;
    out->threat = t->threat;
    out->target_kind = (iotnet_target)x->target_kind;
    out->target = t->target;
    out->status = (iotnet_finding_status)x->status;
    out->likelihood = x->likelihood;
    out->impact = x->impact;
    out->inherent_risk = x->likelihood * x->impact;
    out->residual_likelihood = x->rl;
    out->residual_impact = x->ri;
    out->residual_risk = x->rl * x->ri;
    out->mitigations = t->mitigations;
    out->accepted_by = t->by;
    out->accepted_reason = t->reason;
    out->accepted_until = t->until;
    out->evidence = t->evidence;
    return 0;
}

void iotnet_findings_summary(const iotnet_findings *f, size_t out[5])
{
    for (int k = 0; k < 5; k++)
        out[k] = f ? f->summary[k] : 0;
}

void iotnet_findings_free(iotnet_findings *f)
{
    if (!f)
        return;
    if (f->live)
        iotnet__eval_free(&f->e);
    free(f->recs);
    free(f->text);
    arena_free(&f->strings);
    pthread_mutex_destroy(&f->lock);
    free(f);
}
