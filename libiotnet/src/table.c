/* Tables: the kinds' columns, building by hand, reading, anchors. */
#include "error_internal.h"
#include "table_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct column_def {
    const char *key;
    const char *label;
    iotnet_table_cell type;
} column_def;

static const column_def findings_columns[] = {
    {"id", "Finding", IOTNET_TABLE_TEXT},
    {"threat", "Threat", IOTNET_TABLE_TEXT},
    {"title", "Title", IOTNET_TABLE_TEXT},
    {"target_kind", "Target kind", IOTNET_TABLE_TEXT},
    {"target", "Target", IOTNET_TABLE_TEXT},
    {"status", "Status", IOTNET_TABLE_TEXT},
    {"likelihood", "Likelihood", IOTNET_TABLE_INT},
    {"impact", "Impact", IOTNET_TABLE_INT},
    {"inherent_risk", "Inherent risk", IOTNET_TABLE_INT},
    {"residual_likelihood", "Residual likelihood", IOTNET_TABLE_INT},
    {"residual_impact", "Residual impact", IOTNET_TABLE_INT},
    {"residual_risk", "Residual risk", IOTNET_TABLE_INT},
    {"mitigations", "Mitigations", IOTNET_TABLE_LIST},
    {"accepted_by", "Accepted by", IOTNET_TABLE_TEXT},
    {"accepted_reason", "Reason", IOTNET_TABLE_TEXT},
    {"accepted_until", "Accepted until", IOTNET_TABLE_TEXT},
    {"evidence", "Evidence", IOTNET_TABLE_TEXT},
    {NULL, NULL, IOTNET_TABLE_TEXT},
};

static const column_def threats_columns[] = {
    {"threat", "Threat", IOTNET_TABLE_TEXT},
    {"title", "What can go wrong", IOTNET_TABLE_TEXT},
    {"stride", "STRIDE", IOTNET_TABLE_LIST},
    {"target", "Target", IOTNET_TABLE_TEXT},
    {"likelihood", "Likelihood", IOTNET_TABLE_INT},
    {"impact", "Impact", IOTNET_TABLE_INT},
    {"mitigation", "Mitigation", IOTNET_TABLE_TEXT},
    {"mitigation_title", "Mitigation title", IOTNET_TABLE_TEXT},
    {"technologies", "Technologies", IOTNET_TABLE_LIST},
    {"references", "References", IOTNET_TABLE_LIST},
    {NULL, NULL, IOTNET_TABLE_TEXT},
};

static const column_def exposure_columns[] = {
    {"source", "Source", IOTNET_TABLE_TEXT},
    {"node", "Node", IOTNET_TABLE_TEXT},
    {"service", "Service", IOTNET_TABLE_TEXT},
    {"flow", "Flow", IOTNET_TABLE_TEXT},
    {"exposure", "Exposure", IOTNET_TABLE_TEXT},
    {"entry", "Entry", IOTNET_TABLE_TEXT},
    {"forward", "Port forward", IOTNET_TABLE_TEXT},
    {"path", "Path", IOTNET_TABLE_LIST},
    {NULL, NULL, IOTNET_TABLE_TEXT},
};

static const column_def zones_columns[] = {
    {"from_zone", "From zone", IOTNET_TABLE_TEXT},
    {"to_zone", "To zone", IOTNET_TABLE_TEXT},
    {"services", "Services", IOTNET_TABLE_LIST},
    {"conduit", "Conduit", IOTNET_TABLE_TEXT},
    {"violations", "Not covered by a conduit", IOTNET_TABLE_LIST},
    {NULL, NULL, IOTNET_TABLE_TEXT},
};

/* What each kind is called, shows by default, and says of itself. */
typedef struct kind_info {
    const char *word;          /* anchors start with it */
    const column_def *columns;
    iotnet__table_defaults defaults;
    const char *title;         /* "%s" is the model's name */
    const char *title_unnamed;
    const char *description;   /* "%s" is the model's name */
    const char *description_unnamed;
} kind_info;

static const kind_info kinds[] = {
    [IOTNET_TABLE_CUSTOM] = {NULL, NULL, {NULL, NULL}, "%s", "Table", "shows %s.", "shows the results."},
    [IOTNET_TABLE_FINDINGS] =
        {"findings", findings_columns,
         {"threat target status residual_risk mitigations", NULL},
         "Findings for %s", "Findings",
         "lists every threat that applies to an element of %s, with the finding's status, the risk "
         "that remains (likelihood times impact, 1 to 25) and the mitigations in place.",
         "lists every threat that applies to an element of the model, with the finding's status, the "
         "risk that remains (likelihood times impact, 1 to 25) and the mitigations in place."},
    [IOTNET_TABLE_THREATS] =
        {"threats", threats_columns,
         {"threat title stride mitigation technologies",
          "threat title stride target likelihood impact references"},
         "Threats to %s and the technologies that mitigate them",
         "Threats and the technologies that mitigate them",
         "lists what can go wrong in %s and which technologies fix it: each threat with its STRIDE "
         "categories and the kind of element it targets, and each candidate mitigation with its "
         "technologies.",
         "lists what can go wrong and which technologies fix it: each threat with its STRIDE "
         "categories and the kind of element it targets, and each candidate mitigation with its "
         "technologies."},
    [IOTNET_TABLE_EXPOSURE] =
        {"exposure", exposure_columns, {"node service flow exposure entry forward", "node"},
         "What the Internet reaches in %s", "What the Internet reaches",
         "lists every service of %s that a source can open a flow to, with its exposure class "
         "(direct, port-forward, pinhole, hole-punchable, reply-only) and the NAT or port forward "
         "it is reached through.",
         "lists every service that a source can open a flow to, with its exposure class "
         "(direct, port-forward, pinhole, hole-punchable, reply-only) and the NAT or port forward "
         "it is reached through."},
    [IOTNET_TABLE_ZONES] =
        {"zones", zones_columns, {NULL, "from_zone"}, "Zone matrix of %s", "Zone matrix",
         "shows which services each zone of %s can open towards another zone, the conduit "
         "declared between them, and the services no conduit covers.",
         "shows which services each zone can open towards another zone, the conduit declared "
         "between them, and the services no conduit covers."},
};

#define KIND_COUNT (sizeof kinds / sizeof kinds[0])

static bool kind_known(iotnet_table_kind kind)
{
    return (unsigned)kind < KIND_COUNT;
}

iotnet__table_defaults iotnet__table_kind_defaults(iotnet_table_kind kind)
{
    iotnet__table_defaults none = {NULL, NULL};
    return kind_known(kind) ? kinds[kind].defaults : none;
}

const char *iotnet__table_kind_word(iotnet_table_kind kind)
{
    return kind_known(kind) ? kinds[kind].word : NULL;
}

/* ------------------------------------------------------------------ */
/* Anchors                                                             */

int iotnet__table_slug(iotnet__buf *b, const char *name)
{
    size_t start = b->len;
    bool dash = false;
    for (const unsigned char *p = (const unsigned char *)(name ? name : ""); *p; p++) {
        char c = (char)*p;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && b->len > start)
                iotnet__buf_append(b, "-", 1);
            iotnet__buf_append(b, &c, 1);
            dash = false;
        } else {
            dash = true;
        }
    }
    return b->failed ? iotnet__error_set(IOTNET_ENOMEM, "out of memory deriving an anchor") : 0;
}

/* Anchors xml2rfc keeps for the ids it makes itself. */
static const char *const reserved_prefixes[] = {"section-", "table-", "figure-", "iref-", "u-"};

static bool reserved(const char *anchor)
{
    for (size_t i = 0; i < sizeof reserved_prefixes / sizeof reserved_prefixes[0]; i++)
        if (strncmp(anchor, reserved_prefixes[i], strlen(reserved_prefixes[i])) == 0)
            return true;
    return false;
}

static bool id_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool id_char(char c)
{
    return id_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

int iotnet__table_check_anchor(const char *anchor)
{
    if (!anchor || !id_start(anchor[0]))
        return iotnet__error_set(IOTNET_EINVAL, "anchor '%s' must start with an ASCII letter or '_'",
                                 anchor ? anchor : "");
    for (const char *p = anchor; *p; p++)
        if (!id_char(*p))
            return iotnet__error_set(IOTNET_EINVAL,
                                     "anchor '%s' may hold only ASCII letters, digits, '-', '.' and '_'",
                                     anchor);
    if (reserved(anchor))
        return iotnet__error_set(IOTNET_EINVAL,
                                 "anchor '%s' begins with a prefix xml2rfc reserves "
                                 "(section-, table-, figure-, iref-, u-)",
                                 anchor);
    return 0;
}

/* "findings-connected-home", or "findings" without a name; a custom table's
   anchor is the name's slug ("results" without one), made a valid id. */
static int derive_anchor(iotnet_table *t)
{
    const char *word = kinds[t->kind].word;
    iotnet__buf slug = {0}, b = {0};
    int error = iotnet__table_slug(&slug, t->name);
    const char *tail = slug.len ? slug.data : NULL;
    if (word)
        iotnet__buf_printf(&b, "%s%s%s", word, tail ? "-" : "", tail ? tail : "");
    else if (!tail)
        iotnet__buf_puts(&b, "results");
    else /* a name may start with a digit or a reserved prefix */
        iotnet__buf_printf(&b, "%s%s", id_start(tail[0]) && !reserved(tail) ? "" : "t-", tail);
    char *anchor = error ? NULL : iotnet__buf_detach(&b);
    if (!error && !anchor)
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory deriving an anchor");
    if (!error) {
        free(t->anchor);
        t->anchor = anchor;
    }
    iotnet__buf_free(&slug);
    iotnet__buf_free(&b);
    return error;
}

/* ------------------------------------------------------------------ */
/* Building                                                            */

int iotnet__table_set_text(char **field, const char *value)
{
    if (!value)
        return 0;
    char *copy = iotnet__strdup(value);
    if (!copy)
        return IOTNET_ENOMEM;
    free(*field);
    *field = copy;
    return 0;
}

static int derive_text(char **field, const char *named, const char *unnamed, const char *name)
{
    iotnet__buf b = {0};
    if (name && name[0])
        iotnet__buf_printf(&b, named, name);
    else
        iotnet__buf_puts(&b, unnamed);
    char *text = iotnet__buf_detach(&b);
    if (!text)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory naming a table");
    free(*field);
    *field = text;
    return 0;
}

int iotnet__table_push_column(iotnet_table *t, const char *key, const char *label, iotnet_table_cell type)
{
    if (t->ncols == t->colcap) {
        size_t cap = t->colcap ? t->colcap * 2 : 8;
        iotnet__table_col *cols = realloc(t->cols, cap * sizeof *cols);
        if (!cols)
            return iotnet__error_set(IOTNET_ENOMEM, "out of memory adding a column");
        t->cols = cols;
        t->colcap = cap;
    }
    iotnet__table_col c = {iotnet__strdup(key), iotnet__strdup(label ? label : key), type, false};
    if (!c.key || !c.label) {
        free(c.key);
        free(c.label);
        return IOTNET_ENOMEM;
    }
    t->cols[t->ncols++] = c;
    return 0;
}

iotnet_table *iotnet__table_shell(const iotnet_table *t)
{
    iotnet_table *s = calloc(1, sizeof *s);
    if (!s) {
        iotnet__error_set(IOTNET_ENOMEM, "out of memory copying a table");
        return NULL;
    }
    s->kind = t->kind;
    s->arranged = true;
    if (iotnet__table_set_text(&s->name, t->name) || iotnet__table_set_text(&s->title, t->title) ||
        iotnet__table_set_text(&s->anchor, t->anchor) ||
        iotnet__table_set_text(&s->description, t->description)) {
        iotnet_table_free(s);
        return NULL;
    }
    return s;
}

static int add_kind_columns(iotnet_table *t)
{
    const column_def *defs = kinds[t->kind].columns;
    for (size_t i = 0; defs && defs[i].key; i++) {
        int error = iotnet__table_push_column(t, defs[i].key, defs[i].label, defs[i].type);
        if (error)
            return error;
    }
    return 0;
}

int iotnet__table_create(iotnet_table **out, iotnet_table_kind kind, const char *name, bool name_in_text)
{
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_table_new: out is NULL");
    *out = NULL;
    if (!kind_known(kind))
        return iotnet__error_set(IOTNET_EINVAL, "unknown table kind %d", (int)kind);
    iotnet_table *t = calloc(1, sizeof *t);
    if (!t)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory creating a table");
    t->kind = kind;
    const kind_info *k = &kinds[kind];
    const char *text_name = name_in_text ? name : NULL;
    int error = iotnet__table_set_text(&t->name, name ? name : "");
    if (!error)
        error = derive_text(&t->title, k->title, k->title_unnamed, text_name);
    if (!error)
        error = derive_text(&t->description, k->description, k->description_unnamed, text_name);
    if (!error)
        error = derive_anchor(t);
    if (!error)
        error = add_kind_columns(t);
    if (error) {
        iotnet_table_free(t);
        return error;
    }
    *out = t;
    return 0;
}

int iotnet_table_new(iotnet_table **out, iotnet_table_kind kind, const char *name)
{
    return iotnet__table_create(out, kind, name, true);
}

static bool key_valid(const char *key)
{
    if (!key || !key[0])
        return false;
    for (const char *p = key; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-'))
            return false;
    return true;
}

int iotnet_table_add_column(iotnet_table *t, const char *key, const char *label, iotnet_table_cell type)
{
    if (!t)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_table_add_column: table is NULL");
    if (t->kind != IOTNET_TABLE_CUSTOM)
        return iotnet__error_set(IOTNET_EINVAL, "columns are added only to custom tables");
    if (t->nrows)
        return iotnet__error_set(IOTNET_EINVAL, "columns are added before the first row");
    if (!key_valid(key))
        return iotnet__error_set(IOTNET_EINVAL,
                                 "column key '%s' must be ASCII letters, digits, '_' or '-'", key ? key : "");
    if (iotnet_table_find_column(t, key) >= 0)
        return iotnet__error_set(IOTNET_EINVAL, "column '%s' exists already", key);
    if (type != IOTNET_TABLE_TEXT && type != IOTNET_TABLE_INT && type != IOTNET_TABLE_LIST)
        return iotnet__error_set(IOTNET_EINVAL, "unknown cell type %d for column '%s'", (int)type, key);
    return iotnet__table_push_column(t, key, label, type);
}

/* Empty, or an optional '-' and decimal digits. */
static bool integer_text(const char *s)
{
    if (*s == '-')
        s++;
    else if (!*s)
        return true;
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static int reserve_rows(iotnet_table *t)
{
    if (t->nrows < t->rowcap)
        return 0;
    size_t cap = t->rowcap ? t->rowcap * 2 : 32;
    char **cells = realloc(t->cells, cap * (t->ncols ? t->ncols : 1) * sizeof *cells);
    if (!cells)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory adding a row");
    t->cells = cells;
    t->rowcap = cap;
    return 0;
}

int iotnet_table_add_row(iotnet_table *t, const char *const *cells, size_t count)
{
    if (!t || (!cells && count))
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_table_add_row: table or cells is NULL");
    if (count != t->ncols)
        return iotnet__error_set(IOTNET_EINVAL, "a row of %zu cells for a table of %zu columns", count,
                                 t->ncols);
    if (!t->ncols)
        return iotnet__error_set(IOTNET_EINVAL, "a table without columns has no rows");
    for (size_t c = 0; c < count; c++)
        if (t->cols[c].type == IOTNET_TABLE_INT && cells[c] && !integer_text(cells[c]))
            return iotnet__error_set(IOTNET_EINVAL, "column '%s' holds integers, not '%s'", t->cols[c].key,
                                     cells[c]);
    int error = reserve_rows(t);
    if (error)
        return error;
    char **row = t->cells + t->nrows * t->ncols;
    for (size_t c = 0; c < count; c++) {
        row[c] = iotnet__strdup(cells[c] ? cells[c] : "");
        if (!row[c]) {
            while (c--)
                free(row[c]);
            return IOTNET_ENOMEM;
        }
    }
    t->nrows++;
    if (t->span) { /* a row added to a grouped table is a group of its own */
        size_t *span = realloc(t->span, t->rowcap * sizeof *span);
        if (!span) {
            t->nrows--;
            for (size_t c = 0; c < count; c++)
                free(row[c]);
            return iotnet__error_set(IOTNET_ENOMEM, "out of memory adding a row");
        }
        t->span = span;
        t->span[t->nrows - 1] = 1;
    }
    return 0;
}

void iotnet_table_free(iotnet_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    for (size_t c = 0; c < t->ncols; c++) {
        free(t->cols[c].key);
        free(t->cols[c].label);
    }
    free(t->cells);
    free(t->cols);
    free(t->span);
    free(t->name);
    free(t->title);
    free(t->anchor);
    free(t->description);
    free(t);
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */

iotnet_table_kind iotnet_table_kind_of(const iotnet_table *t)
{
    return t ? t->kind : IOTNET_TABLE_CUSTOM;
}

const char *iotnet_table_title(const iotnet_table *t)
{
    return t ? t->title : NULL;
}

const char *iotnet_table_anchor(const iotnet_table *t)
{
    return t ? t->anchor : NULL;
}

const char *iotnet_table_description(const iotnet_table *t)
{
    return t ? t->description : NULL;
}

size_t iotnet_table_column_count(const iotnet_table *t)
{
    return t ? t->ncols : 0;
}

int iotnet_table_column(const iotnet_table *t, size_t i, iotnet_table_column_info *out)
{
    if (!t || !out || i >= t->ncols)
        return iotnet__error_set(IOTNET_EINVAL, "no column %zu", i);
    out->version = IOTNET_TABLE_COLUMN_INFO_VERSION;
    out->key = t->cols[i].key;
    out->label = t->cols[i].label;
    out->type = t->cols[i].type;
    out->grouped = t->cols[i].grouped;
    return 0;
}

long iotnet_table_find_column(const iotnet_table *t, const char *key)
{
    for (size_t c = 0; t && key && c < t->ncols; c++)
        if (strcmp(t->cols[c].key, key) == 0)
            return (long)c;
    return -1;
}

size_t iotnet_table_row_count(const iotnet_table *t)
{
    return t ? t->nrows : 0;
}

const char *iotnet_table_cell_text(const iotnet_table *t, size_t row, size_t column)
{
    if (!t || row >= t->nrows || column >= t->ncols)
        return NULL;
    return iotnet__table_at(t, row, column);
}

size_t iotnet_table_row_span(const iotnet_table *t, size_t row)
{
    if (!t || row >= t->nrows)
        return 0;
    return t->span ? t->span[row] : 1;
}

const char *iotnet__table_next_word(const char **cursor, size_t *len)
{
    const char *p = *cursor ? *cursor + strspn(*cursor, " ") : "";
    *len = strcspn(p, " ");
    *cursor = p + *len;
    return *len ? p : NULL;
}

void iotnet__table_join_words(iotnet__buf *b, const char *words)
{
    size_t n;
    bool first = true;
    for (const char *w; (w = iotnet__table_next_word(&words, &n)); first = false) {
        if (!first)
            iotnet__buf_puts(b, ", ");
        iotnet__buf_append(b, w, n);
    }
}

static bool word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool iotnet__table_soft_break(const char *s, size_t i)
{
    if (i == 0 || !word_char(s[i + 1]))
        return false;
    if (s[i] == '-')
        return s[i - 1] >= '0' && s[i - 1] <= '9';
    return (s[i] == ':' || s[i] == '_') && word_char(s[i - 1]);
}
