/**
 * @file catalog.h
 * Threat, mitigation and control catalogs: XML files validated against the
 * RELAX NG schema in models/catalogs/schema/ by libxml2 (no network access,
 * no external entities, libxml2's limits on).
 *
 * A catalog set holds threats, mitigations and the control catalogs of the
 * compliance frameworks. Every catalog file declares a namespace (its
 * `namespace` attribute, e.g. "iotnet" for the bundled one); ids are
 * namespaced as "NAMESPACE:ID" and the bare id is accepted where unique.
 * Loading an id that is already in the set is an error. Users load their
 * own catalogs beside (iotnet_catalog_load_dir on a default set) or instead
 * of (on an empty set) the bundled ones.
 *
 * Conditions (applies-when of a threat, present-when of a mitigation) are
 * checked against the model's vocabulary when the catalog is loaded: a
 * condition naming an unknown field, kind, enumeration value or attribute
 * type is a load error naming the file, line and condition, never a silent
 * false. The fields are listed by iotnet_catalog_field_next().
 *
 * Dates in conditions are ISO 8601 dates or date-times, `now`, `now+DURATION`
 * or `now-DURATION`, resolved against the evaluation's "now". Durations are
 * ISO 8601 (P10Y, P18M, P2W, P90D, PT12H) counted in whole units: a year is
 * 365 days and a month 30 days.
 */
#ifndef IOTNET_CATALOG_H
#define IOTNET_CATALOG_H

#include "net.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The largest catalog file (or text) a load reads, in bytes: larger ones,
 *  and pipes or devices that give more, are refused with IOTNET_EINVAL naming
 *  the file and the limit. The bundled catalogs are about 150 KB. */
#define IOTNET_CATALOG_MAX_BYTES ((size_t)64 << 20)

/** A set of loaded catalogs (opaque). */
typedef struct iotnet_catalog iotnet_catalog;

/** What a threat or mitigation is evaluated against. */
typedef enum iotnet_target {
    IOTNET_TARGET_NODE = 1,
    IOTNET_TARGET_LINK,
    IOTNET_TARGET_SERVICE,   /* a service of a node: target id "node/service" */
    IOTNET_TARGET_ZONE,
    IOTNET_TARGET_CONDUIT
} iotnet_target;

/** STRIDE letters as bits. */
#define IOTNET_STRIDE_S 0x01u
#define IOTNET_STRIDE_T 0x02u
#define IOTNET_STRIDE_R 0x04u
#define IOTNET_STRIDE_I 0x08u
#define IOTNET_STRIDE_D 0x10u
#define IOTNET_STRIDE_E 0x20u

/**
 * An empty catalog set.
 * @param[out] out the set, the caller's; free with iotnet_catalog_free()
 * @return 0 or IOTNET_ENOMEM
 */
int iotnet_catalog_new(iotnet_catalog **out);
/** The bundled catalogs (threats, mitigations, controls): every *.xml of
 *  the data directory's catalogs/ (see library.h; models/catalogs in the
 *  source tree). */
int iotnet_catalog_default(iotnet_catalog **out);
/**
 * Load one catalog file (threats and/or mitigations, or a control
 * catalog) into the set. Nothing is added on error.
 * @return 0, IOTNET_EIO (unreadable, a directory), IOTNET_EPARSE,
 *         IOTNET_EVALIDATION (schema, unknown field or reference, duplicate
 *         id: file, line and what was expected in the message), IOTNET_EINVAL
 *         (more than IOTNET_CATALOG_MAX_BYTES), IOTNET_ENOMEM
 */
int iotnet_catalog_load_file(iotnet_catalog *cat, const char *path);
/**
 * Load every *.xml of a directory (in name order; not recursive), all or
 * nothing. References between the files (a threat naming a mitigation of
 * another file, a mitigation naming controls) resolve across the directory;
 * a single file's references resolve against itself and the set.
 * A directory without a *.xml file is refused (IOTNET_EIO naming it).
 */
int iotnet_catalog_load_dir(iotnet_catalog *cat, const char *dir);
/** Load a catalog from memory; `name` is used in messages. */
int iotnet_catalog_loads(iotnet_catalog *cat, const char *data, size_t length, const char *name);
/** Free a set (NULL-safe). */
void iotnet_catalog_free(iotnet_catalog *cat);

typedef struct iotnet_threat_info {
    unsigned int version;
    const char *id;              /**< namespaced: "iotnet:nat-as-firewall" */
    const char *title;
    const char *description;
    unsigned int stride;         /**< IOTNET_STRIDE_* bits */
    const char *cwe;             /**< space-separated ("CWE-1188 CWE-284"), or NULL */
    const char *capec;           /**< space-separated, or NULL */
    const char *attack_ics;      /**< MITRE ATT&CK for ICS technique ids, or NULL */
    iotnet_target target;
    int likelihood;              /**< 1..5 */
    int impact;                  /**< 1..5 */
    const char *mitigations;     /**< space-separated namespaced ids of candidate mitigations */
    const char *references;      /**< space-separated ("RFC8520 RFC4787"), or NULL */
    const char *condition;       /**< the applies-when condition as text, for readers */
} iotnet_threat_info;

typedef struct iotnet_mitigation_info {
    unsigned int version;
    const char *id;
    const char *title;
    const char *description;
    const char *technologies;    /**< space-separated ("MUD SUIT RATS"), or NULL */
    iotnet_target target;
    int likelihood_delta;        /**< added to a finding's likelihood (usually <= 0) */
    int impact_delta;            /**< added to its impact */
    /** controls it evidences: space-separated "framework:control" words,
     *  e.g. "iso27001-2022:8.20 iec62443-3-3:SR5.1 etsi-en303645:5.6-1 nistir8259a:2" */
    const char *controls;
    const char *condition;       /**< the present-when condition as text */
    /** the highest IEC 62443 security level (1..4) the measure supports for
     *  the requirements it evidences; 1 when the catalog gives none
     *  (version 2 and later) */
    int security_level;
} iotnet_mitigation_info;

typedef struct iotnet_control_info {
    unsigned int version;
    const char *framework;       /**< "iso27001-2022", "iec62443-3-3", "etsi-en303645", "nistir8259a" */
    const char *id;              /**< as the framework numbers it: "5.1", "SR 1.1", "5.1-1", "1" */
    const char *title;           /**< our own short label */
    const char *group;           /**< theme or foundational requirement ("Organizational", "FR 1"), or NULL */
    /** the lowest security level at which the framework selects the control
     *  (IEC 62443-3-3 SRs: 1..4), 0 when the catalog gives none (version 2 and later) */
    int min_sl;
} iotnet_control_info;

#define IOTNET_THREAT_INFO_VERSION 1
#define IOTNET_MITIGATION_INFO_VERSION 2
#define IOTNET_CONTROL_INFO_VERSION 2

size_t iotnet_catalog_threat_count(const iotnet_catalog *cat);
/** The i-th threat (load order); strings borrowed from the catalog. */
int iotnet_catalog_threat(const iotnet_catalog *cat, size_t i, iotnet_threat_info *out);
size_t iotnet_catalog_mitigation_count(const iotnet_catalog *cat);
int iotnet_catalog_mitigation(const iotnet_catalog *cat, size_t i, iotnet_mitigation_info *out);
size_t iotnet_catalog_control_count(const iotnet_catalog *cat);
int iotnet_catalog_control(const iotnet_catalog *cat, size_t i, iotnet_control_info *out);
/** Find a threat or mitigation by (namespaced or unique bare) id. @return index or -1 */
long iotnet_catalog_find_threat(const iotnet_catalog *cat, const char *id);
long iotnet_catalog_find_mitigation(const iotnet_catalog *cat, const char *id);

/** A field conditions may test. */
typedef struct iotnet_catalog_field {
    const char *name;            /**< "kind", "internet-exposure", "lifecycle/update-mechanism"... */
    iotnet_target target;        /**< the target it belongs to */
    iotnet_attr_type type;       /**< how it compares (enumerations compare as strings) */
    const char *description;
} iotnet_catalog_field;

/** The i-th field conditions know (static data). @return 0 or IOTNET_EINVAL past the end */
int iotnet_catalog_field_next(size_t i, iotnet_catalog_field *out);

#ifdef __cplusplus
}
#endif

#endif
