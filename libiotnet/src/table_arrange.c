/* Arranging a table: which columns, in which order, rows sorted and grouped. */
#include "error_internal.h"
#include "table_internal.h"

#include <stdlib.h>
#include <string.h>

/* Columns named by an option, as indexes into the source table. */
typedef struct keys {
    size_t *col;
    bool *desc;
    size_t n;
} keys;

static void keys_free(keys *k)
{
    free(k->col);
    free(k->desc);
    memset(k, 0, sizeof *k);
}

static bool is_separator(char c)
{
    return c == ',' || c == ' ' || c == '\t';
}

static int unknown_column(const iotnet_table *t, const char *what, const char *key, size_t n)
{
    iotnet__buf known = {0};
    for (size_t c = 0; c < t->ncols; c++)
        iotnet__buf_printf(&known, "%s%s", c ? ", " : "", t->cols[c].key);
    int error = iotnet__error_set(IOTNET_EINVAL, "%s: unknown column '%.*s' (columns: %s)", what, (int)n, key,
                                  known.data ? known.data : "none");
    iotnet__buf_free(&known);
    return error;
}

static long find_key(const iotnet_table *t, const char *key, size_t n)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (strlen(t->cols[c].key) == n && strncmp(t->cols[c].key, key, n) == 0)
            return (long)c;
    return -1;
}

/* Parse "a,-b c" against t's columns. `signed_keys`: a leading '-' means
   descending (a '+' ascending). `strict`: an unknown key is an error
   (options), otherwise skipped (a kind's defaults on a narrowed table). */
static int parse_keys(keys *out, const iotnet_table *t, const char *text, const char *what, bool signed_keys,
                      bool strict)
{
    size_t cap = strlen(text) / 2 + 1;
    out->col = malloc(cap * sizeof *out->col);
    out->desc = malloc(cap * sizeof *out->desc);
    out->n = 0;
    if (!out->col || !out->desc)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory arranging a table");
    for (const char *p = text; *p;) {
        while (is_separator(*p))
            p++;
        if (!*p)
            break;
        bool desc = false;
        if (signed_keys && (*p == '-' || *p == '+'))
            desc = *p++ == '-';
        size_t n = 0;
        while (p[n] && !is_separator(p[n]))
            n++;
        long c = find_key(t, p, n);
        if (c < 0 && strict)
            return unknown_column(t, what, p, n);
        for (size_t i = 0; c >= 0 && i < out->n; i++)
            if (out->col[i] == (size_t)c)
                return iotnet__error_set(IOTNET_EINVAL, "%s: column '%.*s' is named twice", what, (int)n, p);
        if (c >= 0) {
            out->col[out->n] = (size_t)c;
            out->desc[out->n++] = desc;
        }
        p += n;
    }
    return 0;
}

static int all_columns(keys *out, const iotnet_table *t)
{
    out->col = malloc((t->ncols ? t->ncols : 1) * sizeof *out->col);
    out->desc = calloc(t->ncols ? t->ncols : 1, sizeof *out->desc);
    if (!out->col || !out->desc)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory arranging a table");
    for (size_t c = 0; c < t->ncols; c++)
        out->col[c] = c;
    out->n = t->ncols;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Stable sorting of row indexes                                       */

typedef int (*row_cmp)(const void *ctx, size_t a, size_t b);

static void merge_sort(size_t *rows, size_t *tmp, size_t n, row_cmp cmp, const void *ctx)
{
    if (n < 2)
        return;
    size_t half = n / 2;
    merge_sort(rows, tmp, half, cmp, ctx);
    merge_sort(rows + half, tmp, n - half, cmp, ctx);
    size_t i = 0, j = half, k = 0;
    while (i < half && j < n)
        tmp[k++] = cmp(ctx, rows[j], rows[i]) < 0 ? rows[j++] : rows[i++];
    while (i < half)
        tmp[k++] = rows[i++];
    while (j < n)
        tmp[k++] = rows[j++];
    memcpy(rows, tmp, n * sizeof *rows);
}

typedef struct sort_ctx {
    const iotnet_table *t;
    const keys *k;
} sort_ctx;

static int compare_cells(iotnet_table_cell type, const char *a, const char *b)
{
    if (type == IOTNET_TABLE_INT) {
        if (!*a || !*b) /* empty cells first */
            return (*b == '\0') - (*a == '\0');
        long long x = strtoll(a, NULL, 10), y = strtoll(b, NULL, 10);
        return (x > y) - (x < y);
    }
    return strcmp(a, b);
}

static int compare_rows(const void *ctx, size_t a, size_t b)
{
    const sort_ctx *s = ctx;
    for (size_t i = 0; i < s->k->n; i++) {
        size_t c = s->k->col[i];
        int r = compare_cells(s->t->cols[c].type, iotnet__table_at(s->t, a, c), iotnet__table_at(s->t, b, c));
        if (r)
            return s->k->desc[i] ? -r : r;
    }
    return 0;
}

/* Rows with equal group cells together, each group where its first row
   was: runs of equal keys (a stable sort by the key), ordered by the
   position of their first row. */
static int cluster(size_t *order, size_t n, const sort_ctx *group)
{
    size_t *by_key = malloc((n ? n : 1) * sizeof *by_key);
    size_t *pos = malloc((n ? n : 1) * sizeof *pos);
    size_t *tmp = malloc((n ? n : 1) * sizeof *tmp);
    int error = 0;
    if (!by_key || !pos || !tmp) {
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory grouping a table");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        pos[order[i]] = i;
        by_key[i] = order[i];
    }
    merge_sort(by_key, tmp, n, compare_rows, group);
    /* a run's first row has the smallest position: mark each position that
       starts a group with the run's start in by_key */
    for (size_t i = 0; i < n; i++)
        tmp[i] = SIZE_MAX;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || compare_rows(group, by_key[i - 1], by_key[i]) != 0)
            tmp[pos[by_key[i]]] = i;
    size_t k = 0;
    for (size_t p = 0; p < n; p++) {
        if (tmp[p] == SIZE_MAX)
            continue;
        size_t i = tmp[p];
        do
            order[k++] = by_key[i++];
        while (i < n && compare_rows(group, by_key[i - 1], by_key[i]) == 0);
    }
cleanup:
    free(by_key);
    free(pos);
    free(tmp);
    return error;
}

/* ------------------------------------------------------------------ */
/* Arranging                                                           */

/* The group columns: from the options, the kind's defaults (for a table
   not arranged yet) or the columns grouped now. Each must be shown. */
static int group_keys(keys *out, const iotnet_table *t, const keys *shown, const iotnet_table_options *opts)
{
    if (opts && opts->group) {
        int error = parse_keys(out, t, opts->group, "group", false, true);
        for (size_t i = 0; !error && i < out->n; i++) {
            bool found = false;
            for (size_t s = 0; s < shown->n && !found; s++)
                found = shown->col[s] == out->col[i];
            if (!found)
                error = iotnet__error_set(IOTNET_EINVAL, "group: column '%s' is not among the columns shown",
                                          t->cols[out->col[i]].key);
        }
        return error;
    }
    int error = all_columns(out, t);
    if (error)
        return error;
    const char *defaults = iotnet__table_kind_defaults(t->kind).group;
    bool use_defaults = !t->arranged;
    size_t n = 0;
    for (size_t s = 0; s < shown->n; s++) {
        size_t c = shown->col[s];
        bool grouped = t->cols[c].grouped;
        if (use_defaults) {
            keys d = {0};
            error = parse_keys(&d, t, defaults ? defaults : "", "group", false, false);
            grouped = false;
            for (size_t i = 0; !error && i < d.n; i++)
                grouped = grouped || d.col[i] == c;
            keys_free(&d);
            if (error)
                return error;
        }
        if (grouped)
            out->col[n++] = c;
    }
    out->n = n;
    return 0;
}

static int shown_columns(keys *out, const iotnet_table *t, const iotnet_table_options *opts)
{
    if (opts && opts->columns) {
        int error = parse_keys(out, t, opts->columns, "columns", false, true);
        if (!error && out->n == 0)
            error = iotnet__error_set(IOTNET_EINVAL, "columns: no column named");
        return error;
    }
    const char *defaults = iotnet__table_kind_defaults(t->kind).columns;
    if (!t->arranged && defaults) {
        int error = parse_keys(out, t, defaults, "columns", false, false);
        if (error || out->n)
            return error;
        keys_free(out);
    }
    return all_columns(out, t);
}

/* The rows of t in their new order. */
static int row_order(size_t *order, const iotnet_table *t, const iotnet_table_options *opts, const keys *group)
{
    size_t n = t->nrows;
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    keys sort = {0};
    size_t *tmp = NULL;
    int error = 0;
    if (opts && opts->sort && opts->sort[0]) {
        error = parse_keys(&sort, t, opts->sort, "sort", true, true);
        tmp = malloc((n ? n : 1) * sizeof *tmp);
        if (!error && !tmp)
            error = iotnet__error_set(IOTNET_ENOMEM, "out of memory sorting a table");
        if (!error) {
            sort_ctx ctx = {t, &sort};
            merge_sort(order, tmp, n, compare_rows, &ctx);
        }
    }
    if (!error && group->n) {
        sort_ctx ctx = {t, group};
        error = cluster(order, n, &ctx);
    }
    keys_free(&sort);
    free(tmp);
    return error;
}

static int copy_rows(iotnet_table *dst, const iotnet_table *src, const size_t *order, const keys *shown,
                     const char **row)
{
    for (size_t i = 0; i < src->nrows; i++) {
        for (size_t s = 0; s < shown->n; s++)
            row[s] = iotnet__table_at(src, order[i], shown->col[s]);
        int error = iotnet_table_add_row(dst, row, shown->n);
        if (error)
            return error;
    }
    return 0;
}

/* Group spans: a group is a run of rows whose group cells are equal. */
static int set_spans(iotnet_table *t, const keys *group_in_t)
{
    if (!group_in_t->n)
        return 0;
    t->span = calloc(t->nrows ? t->nrows : 1, sizeof *t->span);
    if (!t->span)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory grouping a table");
    sort_ctx ctx = {t, group_in_t};
    size_t first = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        if (r > 0 && compare_rows(&ctx, first, r) == 0) {
            t->span[first]++;
            continue;
        }
        first = r;
        t->span[r] = 1;
    }
    return 0;
}

static int apply_texts(iotnet_table *t, const iotnet_table_options *opts)
{
    if (!opts)
        return 0;
    int error = opts->anchor ? iotnet__table_check_anchor(opts->anchor) : 0;
    if (!error)
        error = iotnet__table_set_text(&t->anchor, opts->anchor);
    if (!error)
        error = iotnet__table_set_text(&t->title, opts->title);
    if (!error)
        error = iotnet__table_set_text(&t->description, opts->description);
    return error;
}

/* The arranged table's columns, with the group's flags and indexes. */
static int add_shown_columns(iotnet_table *dst, const iotnet_table *src, const keys *shown, const keys *group,
                             keys *group_in_dst)
{
    group_in_dst->n = 0;
    for (size_t s = 0; s < shown->n; s++) {
        const iotnet__table_col *c = &src->cols[shown->col[s]];
        int error = iotnet__table_push_column(dst, c->key, c->label, c->type);
        if (error)
            return error;
        for (size_t g = 0; g < group->n; g++)
            if (group->col[g] == shown->col[s]) {
                dst->cols[dst->ncols - 1].grouped = true;
                group_in_dst->col[group_in_dst->n] = s;
                group_in_dst->desc[group_in_dst->n++] = false;
            }
    }
    return 0;
}

int iotnet_table_arrange(iotnet_table **out, const iotnet_table *t, const iotnet_table_options *opts)
{
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_table_arrange: out is NULL");
    *out = NULL;
    if (!t)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_table_arrange: table is NULL");
    if (opts && opts->version != IOTNET_TABLE_OPTIONS_VERSION)
        return iotnet__error_set(IOTNET_EINVAL, "table options version %u, expected %u", opts->version,
                                 IOTNET_TABLE_OPTIONS_VERSION);
    keys shown = {0}, group = {0}, group_in_dst = {0};
    size_t *order = malloc((t->nrows ? t->nrows : 1) * sizeof *order);
    const char **row = malloc((t->ncols ? t->ncols : 1) * sizeof *row);
    iotnet_table *a = iotnet__table_shell(t);
    int error = 0;
    if (!order || !row || !a) {
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory arranging a table");
        goto cleanup;
    }
    error = shown_columns(&shown, t, opts);
    if (!error)
        error = group_keys(&group, t, &shown, opts);
    if (!error)
        error = all_columns(&group_in_dst, t);
    if (!error)
        error = row_order(order, t, opts, &group);
    if (!error)
        error = apply_texts(a, opts);
    if (!error)
        error = add_shown_columns(a, t, &shown, &group, &group_in_dst);
    if (!error)
        error = copy_rows(a, t, order, &shown, row);
    if (!error)
        error = set_spans(a, &group_in_dst);
    if (!error) {
        *out = a;
        a = NULL;
    }
cleanup:
    iotnet_table_free(a);
    keys_free(&shown);
    keys_free(&group);
    keys_free(&group_in_dst);
    free(order);
    free(row);
    return error;
}
