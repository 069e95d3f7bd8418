/* OSCAL documents in memory: one tree in the shape of OSCAL's metaschema,
 * from which both the JSON and the XML form are written (oscal_doc.c), so
 * that the two cannot say different things. Builders for assessment results
 * (oscal_ar.c) and component definitions (oscal_cd.c) fill it; UUIDs come
 * from oscal_uuid.c. */
#ifndef IOTNET_OSCAL_INTERNAL_H
#define IOTNET_OSCAL_INTERNAL_H

#include "iotnet/oscal.h"
#include "util.h"

#include <stddef.h>
#include <stdint.h>

#define OSCAL_XML_NS "http://csrc.nist.gov/ns/oscal/1.0"
#define OSCAL_NIST_SYSTEM "http://csrc.nist.gov/ns/oscal"
#define OSCAL_VERSION "1.1.2"

/* How a metaschema node appears in the two forms. */
typedef enum os_kind {
    OS_ASSEMBLY = 1, /* JSON object; XML element with its flags as attributes */
    OS_FLAG,         /* JSON string member; XML attribute */
    OS_FLAG_INT,     /* JSON number member; XML attribute */
    OS_FIELD,        /* JSON string; XML element holding the text */
    OS_MARKUP_LINE,  /* JSON Markdown string; XML element holding inline text */
    OS_MARKUP_MULTI  /* JSON Markdown string; XML element holding one <p> */
} os_kind;

typedef struct os_node {
    uint8_t kind;         /* os_kind */
    const char *name;     /* XML element or attribute; the JSON key of a single node */
    const char *group;    /* JSON key of the array the node is an item of, or NULL */
    char *value;          /* the text of flags and fields (in the document's blocks) */
    long long number;     /* OS_FLAG_INT */
    struct os_node *first, *last, *next;
} os_node;

/* A document being built. Builder calls on a failed document, or with a
 * NULL parent, do nothing, so builders check once at the end. */
typedef struct os_block os_block;

typedef struct os_doc {
    os_node *root;
    os_block *blocks;     /* where nodes and their text live, freed together */
    const char *scope;    /* what element UUIDs are named under: "assessment-results/MODEL" */
    int failed;           /* an allocation failed (IOTNET_ENOMEM recorded) */
} os_doc;

/** Start a document whose root element is `name` ("assessment-results"). */
os_node *iotnet__os_begin(os_doc *d, const char *name);
void iotnet__os_free(os_doc *d);

/** A single child assembly. Items of a JSON array (`group`) must be added
 *  one after another: the writers join neighbours of the same group. */
os_node *iotnet__os_assembly(os_doc *d, os_node *parent, const char *name);
os_node *iotnet__os_item(os_doc *d, os_node *parent, const char *group, const char *name);
/** Flags and fields; a NULL or blank value adds nothing (a fact not stated).
 *  Text is made one line: white space runs become one space, bytes XML
 *  cannot carry become '?'. */
void iotnet__os_flag(os_doc *d, os_node *parent, const char *name, const char *value);
void iotnet__os_flag_int(os_doc *d, os_node *parent, const char *name, long long value);
void iotnet__os_field(os_doc *d, os_node *parent, const char *name, const char *value);
void iotnet__os_field_item(os_doc *d, os_node *parent, const char *group, const char *name,
                           const char *value);
void iotnet__os_markup(os_doc *d, os_node *parent, const char *name, const char *text, int multiline);
/** A <prop>: in our namespace (IOTNET_OSCAL_NS) unless `ns` says otherwise
 *  (NULL: OSCAL's own). */
void iotnet__os_prop(os_doc *d, os_node *parent, const char *name, const char *value, const char *ns);
/** The next word of a space-separated list at *p into word[size],
 *  advancing *p; a word too long for `size` is skipped. 0 at the end. */
int iotnet__os_next_word(const char **p, char *word, size_t size);
/** printf into a scratch buffer for the builders; NULL when out of memory. */
const char *iotnet__os_printf(os_doc *d, iotnet__buf *scratch, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** Write the document as JSON ({"ROOT": {...}}, two-space indentation)
 *  or as XML in OSCAL's namespace. *out is malloc'd. */
int iotnet__os_write_json(const os_doc *d, char **out);
int iotnet__os_write_xml(const os_doc *d, char **out);

/** Backslash-escape what CommonMark would read as markup, for the JSON
 *  form of markup fields (the XML form carries the text as it is). */
int iotnet__os_markdown_escape(iotnet__buf *b, const char *text);

/* ---- identifiers ---------------------------------------------------- */

/** SHA-1 (FIPS 180-4) of `len` bytes into digest[20]. */
void iotnet__sha1(const void *data, size_t len, unsigned char digest[20]);

/** UUID version 5 (RFC 9562) of a name in a namespace (16 bytes), as text. */
void iotnet__uuid5(char out[IOTNET_UUID_TEXT_SIZE], const unsigned char ns[16], const char *name, size_t len);

/** The UUID of one element of a document: version 5 in libiotnet's OSCAL
 *  namespace over "SCOPE/NAME", NAME printf-style ("finding/%s"). */
void iotnet__os_uuid(os_doc *d, char out[IOTNET_UUID_TEXT_SIZE], const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** The date-time text OSCAL expects ("2026-12-01T09:14:02Z") into buf[32]. */
void iotnet__os_datetime(char *buf, int64_t seconds);

/** "now" of the options: their value, or the clock. */
int64_t iotnet__os_now(const iotnet_oscal_options *opts);

/* ---- controls ------------------------------------------------------- */

/**
 * The OSCAL control id of a control (see oscal.h for the scheme) into out.
 * @return 0, or IOTNET_EINVAL when it does not fit (recorded)
 */
int iotnet__os_control_id(char *out, size_t size, const char *framework, const char *id);

/** A framework's title for readers (static), or NULL for one we do not know. */
const char *iotnet__os_framework_title(const char *framework);

/** Append the back-matter resource that stands for a framework. Its uuid
 *  is over the framework's id alone, the same in every document. */
void iotnet__os_framework_resource(os_doc *d, os_node *back_matter, const char *framework);
/** "#UUID" of that resource into out (a control-implementation source). */
void iotnet__os_framework_href(char out[IOTNET_UUID_TEXT_SIZE + 1], const char *framework);

/** Metadata shared by both documents: title, last-modified, version, oscal-version. */
os_node *iotnet__os_metadata(os_doc *d, os_node *root, const char *title, int64_t now,
                             const iotnet_oscal_options *opts);

/** Build the assessment results of findings (oscal_ar.c). */
int iotnet__oscal_ar_build(os_doc *d, const iotnet_net *net, const iotnet_catalog *cat, const iotnet_findings *f,
                           const iotnet_oscal_options *opts);
/** Build the component definition of a catalog (oscal_cd.c). */
int iotnet__oscal_cd_build(os_doc *d, const iotnet_catalog *cat, const iotnet_oscal_options *opts);

/* ---- controls in assessment results (oscal_controls.c) ---------------- */

/** The compliance mapping of findings, per framework (opaque). */
typedef struct os_controls os_controls;

/** How the control findings name a finding's observation and risk. */
typedef struct os_finding_refs {
    /* the uuid of the observation (risk = 0) or risk (1) of a finding id,
       or NULL for a finding the results do not hold */
    const char *(*uuid_of)(void *context, const char *finding_id, int risk);
    void *context;
} os_finding_refs;

/** Map findings to the controls of every framework of the catalog, or of
 *  opts->framework (IOTNET_EINVAL when no control catalog has it). */
int iotnet__os_controls_compute(os_controls **out, const iotnet_net *net, const iotnet_catalog *cat,
                                const iotnet_findings *f, const iotnet_oscal_options *opts);
void iotnet__os_controls_free(os_controls *c);
/** reviewed-controls: per framework, the controls the results report on. */
int iotnet__os_controls_reviewed(os_doc *d, os_node *result, const os_controls *c);
/** One OSCAL finding per control the results report on. */
int iotnet__os_controls_findings(os_doc *d, os_node *result, const os_controls *c, const os_finding_refs *refs);
/** The back-matter resources of the mapped frameworks. */
void iotnet__os_controls_resources(os_doc *d, os_node *back_matter, const os_controls *c);

/** The indices of the controls a mitigation evidences, in the order its
 *  controls list names them. *out is malloc'd (NULL when none). */
int iotnet__os_mitigation_controls(const iotnet_catalog *cat, size_t mitigation, uint32_t **out, size_t *count);

#endif
