/**
 * @file table.h
 * Tables of results for documents: the findings of an analysis, the
 * threat/mitigation table of a catalog, what a source (the Internet)
 * reaches, and the zone matrix, rendered as xml2rfc v3 (RFC 7991) or
 * kramdown-rfc Markdown for an Internet-Draft, as CSV (RFC 4180), JSON or an
 * HTML table, and whole minimal drafts made of such tables.
 *
 * A table has a title, an anchor, a description, named columns and rows of
 * text cells. Each column has a key (for JSON, CSV and the options:
 * "residual_risk"), a label (the heading: "Residual risk") and a type:
 * text, an integer (right-aligned, a JSON number, sorted as a number) or a
 * list of space-separated words (joined by ", " in documents, a JSON array).
 *
 * Options choose the columns and their order, sort the rows, and group
 * them: rows with the same values in the group columns are placed together
 * (in the order of their first row after sorting), and each group column's
 * cell is written once for the whole group: one cell with rowspan in xml2rfc
 * and HTML, the value on the group's first row only in Markdown.
 *
 * Anchors are derived from the table's kind and the model's name
 * ("findings-connected-home-behind-cgnat": lower-case ASCII letters and
 * digits, other characters become '-'), so the same input gives the same
 * anchors; they are valid XML ids and avoid the prefixes xml2rfc reserves
 * (section-, table-, figure-, iref-, u-).
 *
 * Tables are snapshots: they copy every string and do not refer to the
 * model, catalog or result they were built from.
 */
#ifndef IOTNET_TABLE_H
#define IOTNET_TABLE_H

#include "catalog.h"
#include "eval.h"
#include "reach.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A table of text cells (opaque). */
typedef struct iotnet_table iotnet_table;

/** What a table shows; each kind has its columns and defaults. */
typedef enum iotnet_table_kind {
    IOTNET_TABLE_CUSTOM = 0,   /* columns added with iotnet_table_add_column() */
    IOTNET_TABLE_FINDINGS,     /* one row per finding */
    IOTNET_TABLE_THREATS,      /* one row per threat and candidate mitigation */
    IOTNET_TABLE_EXPOSURE,     /* one row per destination service a source reaches */
    IOTNET_TABLE_ZONES         /* one row per ordered pair of zones with flows */
} iotnet_table_kind;

/** What a column holds. */
typedef enum iotnet_table_cell {
    IOTNET_TABLE_TEXT = 0,     /* free text */
    IOTNET_TABLE_INT,          /* decimal digits, or empty */
    IOTNET_TABLE_LIST          /* space-separated words */
} iotnet_table_cell;

/** Output formats of a single table. */
typedef enum iotnet_table_format {
    IOTNET_TABLE_XML2RFC = 1,  /* an xml2rfc v3 <table> element (RFC 7991) */
    IOTNET_TABLE_MARKDOWN,     /* a kramdown-rfc table with {: #anchor title="..."} after it */
    IOTNET_TABLE_CSV,          /* RFC 4180: a header line of keys, CRLF line ends */
    IOTNET_TABLE_JSON,         /* {"anchor", "title", "description", "columns", "rows"} */
    IOTNET_TABLE_HTML          /* an HTML <table> with <caption>, for notebooks */
} iotnet_table_format;

/** Output formats of a whole draft. */
typedef enum iotnet_draft_format {
    IOTNET_DRAFT_XML2RFC = 1,  /* an xml2rfc v3 document: <rfc version="3"> */
    IOTNET_DRAFT_MARKDOWN      /* a kramdown-rfc document: YAML front matter and sections */
} iotnet_draft_format;

/** One column of a table. */
typedef struct iotnet_table_column_info {
    unsigned int version;
    const char *key;           /**< "residual_risk" */
    const char *label;         /**< "Residual risk" */
    iotnet_table_cell type;
    bool grouped;              /**< a group column: its cells span their group */
} iotnet_table_column_info;

#define IOTNET_TABLE_COLUMN_INFO_VERSION 1

/**
 * How to arrange a table. Lists of keys are separated by commas or spaces.
 * NULL keeps what the table has: for a table straight from a builder or
 * iotnet_table_new(), the kind's defaults.
 */
typedef struct iotnet_table_options {
    unsigned int version;
    /** the columns to show, in order ("threat,target,residual_risk") */
    const char *columns;
    /** sort keys, each ascending or, with a leading '-', descending
     *  ("-residual_risk,target"); "" keeps the order the rows have */
    const char *sort;
    /** group columns, which must be among the columns shown; "" for none */
    const char *group;
    /** an XML id that does not begin with a prefix xml2rfc reserves */
    const char *anchor;
    /** the table's title (its <name>) */
    const char *title;
    /** what the table shows, as the rest of a sentence that starts with a
     *  reference to the table ("lists ..."), for the text of a draft */
    const char *description;
} iotnet_table_options;

#define IOTNET_TABLE_OPTIONS_VERSION 1
#define IOTNET_TABLE_OPTIONS_INIT {IOTNET_TABLE_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL}

/* ------------------------------------------------------------------ */
/* Building                                                            */

/**
 * An empty table of a kind, with that kind's columns, or with none for
 * IOTNET_TABLE_CUSTOM. Its title, anchor and description are derived from
 * the kind and `name` (the model's name; NULL or "" for none), and can be
 * changed by iotnet_table_arrange().
 *
 * Threat and mitigation ids are shown without their namespace where the
 * bare id names the same entry of the catalog ("nat-as-firewall"); a
 * finding's id keeps it.
 *
 * Columns of the kinds (keys; the defaults shown are marked *):
 *  - findings: id, threat*, title, target_kind, target*, status*,
 *    likelihood, impact, inherent_risk, residual_likelihood,
 *    residual_impact, residual_risk*, mitigations* (list), accepted_by,
 *    accepted_reason, accepted_until, evidence;
 *  - threats: threat*, title*, stride* (list of letters), target,
 *    likelihood, impact, mitigation*, mitigation_title, technologies*
 *    (list), references (list); grouped by the threat's columns;
 *  - exposure: source, node*, service*, flow* ("tcp/443", "any" for a host
 *    row), exposure*, entry* (where the source sends: "home-router:8080"),
 *    forward* (the port forward's name), path (list); grouped by node;
 *  - zones: from_zone*, to_zone*, services* (list), conduit*, violations*
 *    (list: the services no conduit covers); grouped by from_zone.
 * @param[out] out the table, the caller's; free with iotnet_table_free()
 * @param[in] kind what the table shows
 * @param[in] name the model's name, or NULL
 * @return 0, IOTNET_EINVAL (unknown kind), IOTNET_ENOMEM
 */
int iotnet_table_new(iotnet_table **out, iotnet_table_kind kind, const char *name);

/**
 * Add a column to a custom table that has no rows yet.
 * @param[in] key unique among the table's columns: ASCII letters, digits,
 *            '_' and '-'
 * @param[in] label the heading; NULL for the key
 * @return 0, IOTNET_EINVAL (bad or repeated key, a table of another kind
 *         or with rows), IOTNET_ENOMEM
 */
int iotnet_table_add_column(iotnet_table *t, const char *key, const char *label, iotnet_table_cell type);

/**
 * Append a row: `count` cells, one per column in column order (copied;
 * NULL is an empty cell). Bytes that are not UTF-8 are written as '?' by
 * the renderers. Amortised O(cells).
 * @return 0, IOTNET_EINVAL (count is not the column count, an integer
 *         column holds other text), IOTNET_ENOMEM; nothing is added on error
 */
int iotnet_table_add_row(iotnet_table *t, const char *const *cells, size_t count);

/**
 * Arrange a table: choose and order its columns, sort and group its rows,
 * set its anchor, title and description. The result has only the columns
 * shown. O(rows log rows x sort keys).
 * @param[out] out the new table, the caller's (t is not changed)
 * @param[in] opts NULL keeps what t has (the kind's defaults for a table
 *            that was not arranged yet)
 * @return 0, IOTNET_EINVAL (unknown or repeated column, a group column
 *         that is not shown, an anchor that is not a valid or allowed id:
 *         the message names it), IOTNET_ENOMEM
 */
int iotnet_table_arrange(iotnet_table **out, const iotnet_table *t, const iotnet_table_options *opts);

/**
 * The findings of an analysis as a table, arranged by `opts`.
 * @param[in] net the model the findings are of, for the derived title and
 *            anchor (NULL: none)
 * @param[in] findings the findings, in their order
 * @param[in] cat the catalog they were evaluated with, for threat titles
 * @return 0, IOTNET_EINVAL, IOTNET_ENOMEM. O(findings x log threats).
 */
int iotnet_table_findings(iotnet_table **out, const iotnet_net *net, const iotnet_findings *findings,
                          const iotnet_catalog *cat, const iotnet_table_options *opts);

/**
 * Append a finding's row to a findings table (from iotnet_table_new(),
 * not yet arranged): for findings gathered from several analyses, and for
 * bindings that keep findings of their own.
 * @param[in] finding the finding (its strings are copied)
 * @param[in] cat the catalog, for the threat's title and short ids; NULL
 *            leaves the title empty and ids as they are
 * @return 0, IOTNET_EINVAL (a table of another kind, or arranged already), IOTNET_ENOMEM
 */
int iotnet_table_add_finding(iotnet_table *t, const iotnet_finding *finding, const iotnet_catalog *cat);

/**
 * What can go wrong and which technologies fix it: one row per threat of
 * the catalog and candidate mitigation (one row with empty mitigation
 * cells for a threat without any), in catalog order.
 * @param[in] net the model, for the derived title and anchor (NULL: none)
 * @param[in] cat the catalog
 * @param[in] findings NULL for every threat of the catalog; otherwise only
 *            the threats that have a finding there (not-applicable ones
 *            excluded)
 * @return 0, IOTNET_EINVAL, IOTNET_ENOMEM. O(threats x mitigations).
 */
int iotnet_table_threats(iotnet_table **out, const iotnet_net *net, const iotnet_catalog *cat,
                         const iotnet_findings *findings, const iotnet_table_options *opts);

/**
 * Reachability rows as an exposure table, one row per destination service
 * in the rows' order. The title names the source ("What the Internet
 * reaches in ..." when it is a node of kind internet).
 * @param[in] net the model the rows were computed on (ids are read from it)
 * @param[in] rows the result of iotnet_reach()
 * @return 0, IOTNET_EINVAL, IOTNET_ENOMEM
 */
int iotnet_table_reach(iotnet_table **out, const iotnet_net *net, const iotnet_reach_result *rows,
                       const iotnet_table_options *opts);

/**
 * The zone matrix as a table, one row per ordered pair of zones with flows.
 * @param[in] net the model the matrix was computed on
 * @param[in] matrix the result of iotnet_zone_matrix_compute()
 * @return 0, IOTNET_EINVAL, IOTNET_ENOMEM
 */
int iotnet_table_zone_matrix(iotnet_table **out, const iotnet_net *net, const iotnet_zone_matrix *matrix,
                             const iotnet_table_options *opts);

/** Free a table (NULL-safe). */
void iotnet_table_free(iotnet_table *t);

/* ------------------------------------------------------------------ */
/* Reading                                                             */

/** The table's kind. */
iotnet_table_kind iotnet_table_kind_of(const iotnet_table *t);
/** The title (borrowed from the table, never NULL for a table). */
const char *iotnet_table_title(const iotnet_table *t);
/** The anchor (borrowed). */
const char *iotnet_table_anchor(const iotnet_table *t);
/** The description (borrowed). */
const char *iotnet_table_description(const iotnet_table *t);
size_t iotnet_table_column_count(const iotnet_table *t);
/** The i-th column; strings borrowed from the table. @return 0 or IOTNET_EINVAL */
int iotnet_table_column(const iotnet_table *t, size_t i, iotnet_table_column_info *out);
/** The index of the column with this key, or -1. O(columns). */
long iotnet_table_find_column(const iotnet_table *t, const char *key);
size_t iotnet_table_row_count(const iotnet_table *t);
/** A cell's text (borrowed, "" when empty), or NULL outside the table. O(1). */
const char *iotnet_table_cell_text(const iotnet_table *t, size_t row, size_t column);
/**
 * How many rows the group cells of a row span: the group's size on its
 * first row, 0 on the rows it covers, 1 on every row of an ungrouped table.
 */
size_t iotnet_table_row_span(const iotnet_table *t, size_t row);

/* ------------------------------------------------------------------ */
/* Rendering                                                           */

/**
 * Render a table. XML and HTML are written by libxml2's xmlTextWriter
 * (& < > " escaped; characters XML cannot carry become '?'; a line break in
 * a cell is <br/>); Markdown escapes what kramdown would read as markup
 * (| \ * _ ` [ ] { } $, a leading - + = :, < > & as entities, line breaks
 * as <br>, leading and trailing spaces as &#32;); CSV quotes fields per
 * RFC 4180; JSON escapes control characters. A table without rows renders
 * one row saying "none" in xml2rfc, Markdown and HTML, whose tables must
 * have a body. O(cells).
 * @param[out] out the text, the caller's (iotnet_string_free())
 * @return 0, IOTNET_EINVAL (an unknown format, a table without columns),
 *         IOTNET_ENOMEM
 */
int iotnet_table_render(char **out, const iotnet_table *t, iotnet_table_format format);

/** The front matter of a draft. NULL fields take the defaults given. */
typedef struct iotnet_draft_options {
    unsigned int version;
    /** default: "Threats and Exposure of NAME" from the first table's
     *  model name, or "Threats and Exposure of an IoT Network" */
    const char *title;
    const char *abbrev;        /**< short title for page headers; default: none */
    /** "draft-NAME-NN"; default "draft-iotnet-" and the first table's
     *  anchor's model part, with "-00" */
    const char *docname;
    const char *author;        /**< full name; default "libiotnet" */
    const char *organization;  /**< default: none */
    const char *email;         /**< default: none */
    const char *abstract;      /**< one paragraph; default: a sentence naming the tables */
    /** seconds since the epoch (UTC); IOTNET_TIME_UNSET for the clock's
     *  today, which xml2rfc expects of a draft */
    int64_t date;
} iotnet_draft_options;

#define IOTNET_DRAFT_OPTIONS_VERSION 1
#define IOTNET_DRAFT_OPTIONS_INIT {IOTNET_DRAFT_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, IOTNET_TIME_UNSET}

/**
 * A whole minimal Internet-Draft: front matter (title, author, date,
 * abstract), an introduction, one section per table with its description,
 * and the Security and IANA Considerations sections, with no external
 * references, so that xml2rfc (and kramdown-rfc for Markdown) renders it
 * offline and without warnings.
 * @param[out] out the document, the caller's (iotnet_string_free())
 * @param[in] tables the tables, in order (anchors must differ)
 * @param[in] count how many (at least one)
 * @param[in] opts NULL for the defaults
 * @return 0, IOTNET_EINVAL (no tables, a table without columns, repeated
 *         anchors, a bad docname),
 *         IOTNET_ENOMEM
 */
int iotnet_draft_render(char **out, const iotnet_table *const *tables, size_t count,
                        iotnet_draft_format format, const iotnet_draft_options *opts);

#ifdef __cplusplus
}
#endif

#endif
