/**
 * @file comply.h
 * Compliance mapping: the evidence a model holds for each control of a
 * framework (ISO/IEC 27001:2022 Annex A, IEC 62443-3-3, ETSI EN 303 645,
 * NISTIR 8259A, or one of a user's control catalogs), and for IEC 62443-3-3
 * the achieved security level of every zone per foundational requirement.
 *
 * The catalogs tie the two together: a mitigation lists the controls it
 * evidences ("iso27001-2022:8.20"), and a threat lists its candidate
 * mitigations. For a control C let M(C) be the mitigations that map to it.
 *
 *   - A finding *calls for* C when it applies (open, mitigated or accepted)
 *     and one of its threat's candidate mitigations is in M(C): those are
 *     the findings C's mitigations would answer.
 *   - C is *in evidence* when a mitigation of M(C) is present somewhere in
 *     the model: its present-when condition holds on an element of its
 *     target kind, or it is assumed there (what-if). Present mitigations
 *     count even where no finding calls for them: a mitigation that removes
 *     a cause (UPnP off) leaves no finding behind, but it is the control at
 *     work.
 *
 * Status of C, from two questions an auditor asks — is anything C exists
 * for left untreated, and is C in place anywhere?
 *
 *   | | some finding calling for C is open | none is open |
 *   |---|---|---|
 *   | C in evidence | partially-addressed | addressed |
 *   | C not in evidence | gap | not-applicable |
 *
 *   - not-assessed: M(C) is empty. No mitigation of the loaded catalogs
 *     evidences C (policies, people, premises, contracts): a network model
 *     cannot show it either way, so it is listed with that reason.
 *
 * Why: "open" is the only finding status that means nothing was done; a
 * finding mitigated by a measure of another control or accepted by a
 * recorded risk decision is treated, so it does not hold C back (it is still
 * listed among C's findings, accepted ones with who accepted them). C with
 * no open finding and none of its mitigations present is not needed by this
 * model (not-applicable): either no threat it answers applies, or what
 * applies is treated otherwise — the reason says which.
 *
 * Evidence of a control: (mitigation, target) pairs where its mitigations
 * are present, and the findings that call for it with their status and the
 * mitigations of M(C) present on each (the findings those mitigations
 * answer have a non-empty list). Finding ids are "threat@target" as
 * iotnet_analyze gives them.
 *
 * IEC 62443-3-3 security levels. A zone's target level SL-T for FR n is its
 * per-FR target, else its single target (0: none). An SR's lowest level
 * ℓ (the `min-sl` of the control catalog: the lowest SL at which
 * IEC 62443-3-3 selects it; 1 when not given) and a mitigation's supported
 * level (its `sl` in the catalog, 1 when not given) give the achieved level
 * SL-A of zone z for FR n:
 *
 *   - an element is in z when it is a node of z, a service of such a node,
 *     a link with an end in z, z itself, or a conduit with an end at z; a
 *     finding is in z when its target is;
 *   - SR s is *contradicted* in z when a finding in z that calls for s is
 *     open or accepted (a risk decision is not a countermeasure): s then
 *     holds FR n at ℓ(s) - 1, the level just below the one that needs it;
 *   - otherwise s is *evidenced* in z at λ, the highest supported level of
 *     the mitigations of M(s) present on elements in z, and holds FR n at
 *     max(λ, ℓ(s) - 1);
 *   - SRs neither contradicted nor evidenced in z do not constrain it;
 *   - SL-A is the lowest level any SR of FR n holds it at, and no higher
 *     than the best λ of an evidenced SR — nothing claims a level no
 *     evidence shows; 0 when no SR of FR n is evidenced in z.
 *
 * A zone falls short (gap) when SL-T > 0 and SL-A < SL-T. Rows are given for
 * every zone with a target for some FR, FR 1 to FR 7 each, in model order.
 */
#ifndef IOTNET_COMPLY_H
#define IOTNET_COMPLY_H

#include "eval.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum iotnet_control_status {
    IOTNET_CONTROL_ADDRESSED = 1,
    IOTNET_CONTROL_PARTIAL,        /**< "partially-addressed" */
    IOTNET_CONTROL_GAP,
    IOTNET_CONTROL_NOT_APPLICABLE,
    IOTNET_CONTROL_NOT_ASSESSED
} iotnet_control_status;

/** Size of an array indexed by iotnet_control_status (index 0 unused): iotnet_compliance_summary() fills 6. */
#define IOTNET_CONTROL_STATUS_SLOTS 6

typedef struct iotnet_compliance_options {
    unsigned int version;
    /** Findings already computed for this model and catalog (borrowed for
     *  the call; their strings are copied), or NULL to evaluate here. */
    const iotnet_findings *findings;
    /** Mitigations assumed present (what-if). Without `findings` they are
     *  passed to the evaluation; with them they must be those the findings
     *  were computed with, and only add their (mitigation, target) evidence. */
    const iotnet_assumption *assume;
    size_t assume_count;
    /** "now" for dates in the mitigations' conditions and for acceptances,
     *  seconds since the epoch; IOTNET_TIME_UNSET = the clock. Give the
     *  findings' "now" together with `findings`. */
    int64_t now;
} iotnet_compliance_options;

#define IOTNET_COMPLIANCE_OPTIONS_VERSION 1
#define IOTNET_COMPLIANCE_OPTIONS_INIT {IOTNET_COMPLIANCE_OPTIONS_VERSION, NULL, NULL, 0, IOTNET_TIME_UNSET}

/** The controls of one framework with their status and evidence (opaque). */
typedef struct iotnet_compliance iotnet_compliance;

/**
 * Map a model's evidence to the controls of a framework.
 *
 * Without opts->findings the catalog is evaluated once (iotnet_analyze with
 * opts' assumptions and now). With them the threats are not evaluated
 * again. Either way the present-when conditions of the framework's
 * mitigations are evaluated once over their target tables, for the evidence
 * no finding carries.
 * Time: O(conditions x elements / 64 + findings x controls per threat +
 * evidence pairs). The result is independent of the model, the catalog and
 * the findings: they may be freed first.
 * @param[out] out the result, the caller's; free with iotnet_compliance_free()
 * @param[in] framework a framework of the catalog's control catalogs
 *            ("iso27001-2022", "iec62443-3-3", "etsi-en303645", "nistir8259a")
 * @param[in] opts NULL for the defaults
 * @return 0, IOTNET_EINVAL (unknown framework: the message lists the known
 *         ones; bad options; unknown assumed mitigation or target),
 *         IOTNET_ENOMEM
 */
int iotnet_compliance_compute(iotnet_compliance **out, const iotnet_net *net, const iotnet_catalog *cat,
                              const char *framework, const iotnet_compliance_options *opts);
/** Free a result (NULL-safe). */
void iotnet_compliance_free(iotnet_compliance *c);
/** The framework name (borrowed from the result). */
const char *iotnet_compliance_framework(const iotnet_compliance *c);
/** Number of controls: every control of the framework, in catalog order. */
size_t iotnet_compliance_count(const iotnet_compliance *c);
/** Counts of controls by status (index by iotnet_control_status; out[0] unused). */
void iotnet_compliance_summary(const iotnet_compliance *c, size_t out[6]);

typedef struct iotnet_control_result {
    unsigned int version;
    const char *id;            /**< as the framework numbers it: "5.1", "SR 1.1", "5.1-1", "1" */
    const char *title;         /**< the catalog's short label */
    const char *group;         /**< theme or FR ("Technological", "FR 5"), or NULL */
    iotnet_control_status status;
    const char *reason;        /**< one sentence on why it has this status */
    const char *mitigations;   /**< space-separated ids of M(C), "" when none */
    int min_sl;                /**< IEC 62443: lowest SL the SR is selected at; 0 when not given */
    size_t evidence_count;     /**< (mitigation, target) pairs, iotnet_compliance_evidence() */
    size_t finding_count;      /**< findings that call for it, iotnet_compliance_finding() */
    size_t open_count;         /**< of those: open */
    size_t mitigated_count;    /**< mitigated (by any measure) */
    size_t answered_count;     /**< mitigated or accepted with a mitigation of M(C) present */
    size_t accepted_count;     /**< accepted */
} iotnet_control_result;

#define IOTNET_CONTROL_RESULT_VERSION 1

/** The i-th control; strings borrowed from the result. @return 0 or IOTNET_EINVAL */
int iotnet_compliance_get(const iotnet_compliance *c, size_t i, iotnet_control_result *out);
/**
 * Find a control by id. Spaces do not matter ("SR1.1" is "SR 1.1"), and for
 * ISO/IEC 27001 the Annex A prefix is optional ("A.5.1" is "5.1"). O(controls).
 * @param[out] out its index
 * @return 0 or IOTNET_ENOTFOUND
 */
int iotnet_compliance_find(const iotnet_compliance *c, const char *control, size_t *out);

typedef struct iotnet_control_evidence {
    unsigned int version;
    const char *mitigation;    /**< namespaced mitigation id */
    iotnet_target target_kind;
    const char *target;        /**< node, "node/service", link, zone or conduit id */
    bool assumed;              /**< assumed (what-if), not shown by the model */
} iotnet_control_evidence;

#define IOTNET_CONTROL_EVIDENCE_VERSION 1

/** The k-th (mitigation, target) pair of control i, by mitigation then model
 *  order; strings borrowed from the result. @return 0 or IOTNET_EINVAL */
int iotnet_compliance_evidence(const iotnet_compliance *c, size_t i, size_t k, iotnet_control_evidence *out);

typedef struct iotnet_control_finding {
    unsigned int version;
    const char *id;            /**< "threat@target" */
    const char *threat;
    iotnet_target target_kind;
    const char *target;
    iotnet_finding_status status;
    /** the mitigations of M(C) present on it, space-separated; "" when
     *  none (open, accepted, or mitigated by other measures) */
    const char *mitigations;
    const char *accepted_by;   /**< accepted findings: who, why and until when; else NULL */
    const char *accepted_reason;
    int64_t accepted_until;    /**< IOTNET_TIME_UNSET when none */
    int residual_risk;
} iotnet_control_finding;

#define IOTNET_CONTROL_FINDING_VERSION 1

/** The k-th finding that calls for control i, in the findings' order
 *  (highest residual risk first); strings borrowed from the result. */
int iotnet_compliance_finding(const iotnet_compliance *c, size_t i, size_t k, iotnet_control_finding *out);

/**
 * The ISO/IEC 27001:2022 statement of applicability of an iso27001-2022
 * result: RFC 4180 CSV (CRLF line ends, UTF-8), a header row and one row per
 * Annex A control in catalog order, with the columns
 *   control                "A.5.1"
 *   title, theme           the catalog's label and group
 *   applicable             "no" for not-applicable controls, else "yes" (a
 *                          control the model cannot assess stays included)
 *   justification          why it is included or excluded (the reason)
 *   implementation_status  implemented (addressed), partially implemented,
 *                          not implemented (gap), not applicable, not assessed
 *   evidence               "mitigation: target, target; mitigation: target"
 *                          (bare mitigation ids; assumed ones marked)
 *   open_findings          the open findings' ids, space-separated
 * Time: O(controls + evidence pairs + findings of the controls).
 * @param[out] out the text, the caller's (iotnet_string_free())
 * @return 0, IOTNET_EINVAL (not an ISO/IEC 27001 result), IOTNET_ENOMEM
 */
int iotnet_compliance_soa(const iotnet_compliance *c, char **out);

typedef struct iotnet_zone_level {
    unsigned int version;
    const char *zone;
    int fr;                    /**< 1..7 */
    int target;                /**< SL-T, 0 when the zone sets none for this FR */
    int achieved;              /**< SL-A, 0..4 */
    bool gap;                  /**< target > 0 and achieved < target */
    /** the SRs holding the level down, space-separated as the catalog
     *  writes them without spaces ("SR1.2 SR5.2"); "" when none */
    const char *limiting;
    const char *reason;        /**< one sentence */
} iotnet_zone_level;

#define IOTNET_ZONE_LEVEL_VERSION 1

/** Number of zone x FR rows (0 unless the framework is iec62443-3-3). */
size_t iotnet_compliance_zone_level_count(const iotnet_compliance *c);
/** The i-th zone level row; strings borrowed from the result. */
int iotnet_compliance_zone_level(const iotnet_compliance *c, size_t i, iotnet_zone_level *out);

#ifdef __cplusplus
}
#endif

#endif
