/* The table module's shared pieces: the table itself, the kinds' column
   sets, and the renderers' entry points. */
#ifndef IOTNET_TABLE_INTERNAL_H
#define IOTNET_TABLE_INTERNAL_H

#include "iotnet/table.h"
#include "util.h"

typedef struct iotnet__table_col {
    char *key;
    char *label;
    iotnet_table_cell type;
    bool grouped;
} iotnet__table_col;

struct iotnet_table {
    iotnet_table_kind kind;
    char *name;        /* the model's name, "" for none */
    char *title;
    char *anchor;
    char *description;
    iotnet__table_col *cols;
    size_t ncols;
    size_t colcap;
    char **cells;      /* row-major, never NULL entries */
    size_t nrows;
    size_t rowcap;
    size_t *span;      /* per row (see iotnet_table_row_span()), NULL when ungrouped */
    bool arranged;     /* options apply to what it has, not the kind's defaults */
};

/** A kind's defaults for iotnet_table_arrange(). */
typedef struct iotnet__table_defaults {
    const char *columns;
    const char *group;
} iotnet__table_defaults;

/** The defaults of a kind (columns NULL: all of them; group NULL: none). */
iotnet__table_defaults iotnet__table_kind_defaults(iotnet_table_kind kind);

/** The word derived anchors start with ("findings"), NULL for custom tables. */
const char *iotnet__table_kind_word(iotnet_table_kind kind);

/** iotnet_table_new(), with the name in the derived anchor only when not
 *  `name_in_text` (a whole catalog's threats are not the model's). */
int iotnet__table_create(iotnet_table **out, iotnet_table_kind kind, const char *name, bool name_in_text);

/** An empty table with the same kind, name, title, anchor and description (no columns). */
iotnet_table *iotnet__table_shell(const iotnet_table *t);

/** Append a column without the checks of iotnet_table_add_column(). */
int iotnet__table_push_column(iotnet_table *t, const char *key, const char *label, iotnet_table_cell type);

/** Replace a string field (NULL stays as it was). */
int iotnet__table_set_text(char **field, const char *value);

/** Whether `anchor` may be used: an ASCII XML id xml2rfc does not reserve.
 *  Records IOTNET_EINVAL naming it when not. */
int iotnet__table_check_anchor(const char *anchor);

/** "connected-home-behind-cgnat" from a name: lower-case ASCII letters and
 *  digits, runs of anything else as one '-', none at either end. */
int iotnet__table_slug(iotnet__buf *b, const char *name);

/** A cell at (row, column), without bounds checks. */
static inline const char *iotnet__table_at(const iotnet_table *t, size_t row, size_t col)
{
    return t->cells[row * t->ncols + col];
}

/** Whether a row's group cells are written on it (its span is not 0). */
static inline bool iotnet__table_starts_group(const iotnet_table *t, size_t row)
{
    return !t->span || t->span[row] != 0;
}

/* ---- renderers (emit_table_*.c) ---- */

int iotnet__table_xml2rfc(const iotnet_table *t, iotnet__buf *out);
int iotnet__table_html(const iotnet_table *t, iotnet__buf *out);
int iotnet__table_markdown(const iotnet_table *t, iotnet__buf *out);
int iotnet__table_csv(const iotnet_table *t, iotnet__buf *out);
int iotnet__table_json(const iotnet_table *t, iotnet__buf *out);
int iotnet__draft_xml2rfc(const iotnet_table *const *tables, size_t count, const iotnet_draft_options *opts,
                          iotnet__buf *out);
int iotnet__draft_markdown(const iotnet_table *const *tables, size_t count, const iotnet_draft_options *opts,
                           iotnet__buf *out);

/* ---- the draft's front matter, shared by both draft formats (table_draft.c) ---- */

typedef struct iotnet__draft_front {
    char *title;
    char *abbrev;      /* NULL for none */
    char *docname;
    char *author;
    char *organization; /* NULL for none */
    char *email;        /* NULL for none */
    char *abstract;
    char *introduction;
    int year, month, day;
} iotnet__draft_front;

/** Resolve the options against the tables (defaults, checks). */
int iotnet__draft_front_init(iotnet__draft_front *f, const iotnet_table *const *tables, size_t count,
                             const iotnet_draft_options *opts);
void iotnet__draft_front_free(iotnet__draft_front *f);

/** The Security Considerations text of a generated draft. */
extern const char *const iotnet__draft_security_text;
/** The IANA Considerations text. */
extern const char *const iotnet__draft_iana_text;

/**
 * Whether a zero-width space belongs after s[i]: where xml2rfc's text
 * output could not wrap an id but a reader would, after a '-' that follows
 * a digit ("iec104-unauthenticated") and after ':' or '_' between word
 * characters. xml2rfc drops the character from text output; it lets narrow
 * columns fit the page.
 */
bool iotnet__table_soft_break(const char *s, size_t i);

/** The next space-separated word at *cursor (its length in *len), moving
 *  the cursor past it; NULL when no word is left (or *cursor is NULL). */
const char *iotnet__table_next_word(const char **cursor, size_t *len);

/** The words of a list cell joined by ", " into b. */
void iotnet__table_join_words(iotnet__buf *b, const char *words);

#endif
