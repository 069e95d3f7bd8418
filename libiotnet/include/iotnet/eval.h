/**
 * @file eval.h
 * Evaluating a catalog against a model: findings with stable ids
 * "threat@target", a status, inherent and residual risk, and evidence.
 *
 * For every threat and every element of its target kind where the threat's
 * applies-when condition holds there is a finding. Its status is
 *   - accepted: a risk decision in the model accepts it, until a date not
 *     yet passed (an expired acceptance reopens the finding);
 *   - mitigated: some candidate mitigation's present-when condition holds
 *     for the target (or it is assumed present, for what-if questions);
 *   - open: otherwise.
 * Threats whose condition does not hold give no finding unless
 * include_not_applicable is set (status not-applicable).
 *
 * Risk is likelihood x impact (1..25). Inherent risk uses the threat's
 * values; residual risk adds the present mitigations' deltas (clamped to
 * 1..5), and is the inherent risk for open and accepted findings.
 * Not-applicable findings have residual likelihood, impact and risk 0.
 *
 * A mitigation's present-when is evaluated on the threat's target when both
 * name the same target kind; a node mitigation on a service's node, or on
 * either end of a link, or on some node of a zone; a zone mitigation on the
 * zone of the target (of either end of a link, either zone of a conduit);
 * a service mitigation on some service of a node; a link mitigation on some
 * link of a node. The catalog loader refuses other pairings.
 *
 * Values that are not set (a node without NAT has no nat/upnp, a missing
 * date, an absent attribute) satisfy only `!=`; without lifecycle facts the
 * lifecycle enumerations read as unspecified/unknown. gateway/FIELD holds
 * when FIELD holds on one of the node's nearest enforcement points (as the
 * MUD layer finds them); it is false when there is none. Derived attributes
 * (internet exposure, exposed services, reachable, gateways, zone counts and
 * uncovered flows) are computed once per call, and only when a condition
 * uses them; a source the model lacks (no internet node) reaches nothing.
 * A zone's uncovered-flows counts the distinct services (protocol/port) of
 * its nodes that another zone reaches with no conduit covering them, from
 * the zone matrix; in models too large for the matrix (over 512 zones, or
 * zones x nodes over 20 million) it counts those the internet reaches
 * (above reply-only) with no conduit from the internet's zone.
 *
 * Conditions are compiled once into evaluators over the model's columns
 * (kinds, fields, attribute columns, services) and the derived attributes
 * the analyses write (internet exposure and its class per node and
 * service, exposed services, reachability from zones, conduit violations).
 */
#ifndef IOTNET_EVAL_H
#define IOTNET_EVAL_H

#include "catalog.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum iotnet_finding_status {
    IOTNET_FINDING_OPEN = 1,
    IOTNET_FINDING_MITIGATED,
    IOTNET_FINDING_ACCEPTED,
    IOTNET_FINDING_NOT_APPLICABLE
} iotnet_finding_status;

/** A mitigation assumed present on a target, for what-if questions. */
typedef struct iotnet_assumption {
    const char *mitigation;      /**< id */
    const char *target;          /**< target id (node, "node/service", link, zone, conduit), or NULL for all */
} iotnet_assumption;

typedef struct iotnet_analyze_options {
    unsigned int version;
    bool include_not_applicable;
    const iotnet_assumption *assume;
    size_t assume_count;
    /** "now" for dates and acceptances, seconds since the epoch; IOTNET_TIME_UNSET = the clock */
    int64_t now;
} iotnet_analyze_options;

#define IOTNET_ANALYZE_OPTIONS_VERSION 1
#define IOTNET_ANALYZE_OPTIONS_INIT {IOTNET_ANALYZE_OPTIONS_VERSION, false, NULL, 0, IOTNET_TIME_UNSET}

typedef struct iotnet_finding {
    unsigned int version;
    const char *id;              /**< "iotnet:upnp-pinhole@cam-garden/rtsp" */
    const char *threat;          /**< namespaced threat id */
    iotnet_target target_kind;
    const char *target;          /**< target id */
    iotnet_finding_status status;
    int likelihood, impact;      /**< inherent */
    int inherent_risk;
    int residual_likelihood, residual_impact;
    int residual_risk;
    const char *mitigations;     /**< space-separated ids of the mitigations present (or assumed), "" if none */
    const char *accepted_by;     /**< for accepted findings: who, and why and until below; else NULL */
    const char *accepted_reason;
    int64_t accepted_until;      /**< IOTNET_TIME_UNSET when not accepted */
    const char *evidence;        /**< one line: the facts that made the threat apply */
} iotnet_finding;

#define IOTNET_FINDING_VERSION 1

typedef struct iotnet_findings iotnet_findings;

/**
 * Evaluate a catalog against a model. Findings are sorted by residual risk
 * (highest first), then threat id, then target id (services by their node's
 * id, then service name).
 *
 * Large results (over 100,000 findings) render their strings when first
 * read: keep the model and the catalog alive and unchanged until the
 * findings are freed (smaller results are independent of both).
 * Time: O(conditions x elements / 64) for the bitsets, plus the derived
 * analyses a condition asks for, plus O(findings). When the catalog reads
 * the Internet's exposure, that reachability is computed on a second
 * thread (which only reads the model) while the other threats are
 * evaluated; the call returns after it has ended.
 * @param[out] out the findings, the caller's; free with iotnet_findings_free()
 * @param[in] opts NULL for the defaults
 * @return 0, IOTNET_EINVAL (options, unknown assumed mitigation or target), IOTNET_ENOMEM
 */
int iotnet_analyze(iotnet_findings **out, const iotnet_net *net, const iotnet_catalog *cat,
                   const iotnet_analyze_options *opts);
size_t iotnet_findings_count(const iotnet_findings *f);
/** The i-th finding; strings borrowed from the findings (valid until they are freed). */
int iotnet_findings_get(const iotnet_findings *f, size_t i, iotnet_finding *out);
/** Counts by status (index by iotnet_finding_status; out[0] unused). */
void iotnet_findings_summary(const iotnet_findings *f, size_t out[5]);
/** Free findings (NULL-safe). */
void iotnet_findings_free(iotnet_findings *f);

/* ------------------------------------------------------------------ */
/* Risk decisions held by the model                                    */

typedef struct iotnet_risk_decision {
    unsigned int version;
    const char *finding;         /**< required: the finding id it accepts ("threat@target") */
    const char *by;              /**< required: who decided */
    const char *reason;          /**< required */
    int64_t decided;             /**< date, or IOTNET_TIME_UNSET */
    int64_t until;               /**< date the acceptance expires, or IOTNET_TIME_UNSET for none */
} iotnet_risk_decision;

#define IOTNET_RISK_DECISION_VERSION 1
#define IOTNET_RISK_DECISION_INIT {IOTNET_RISK_DECISION_VERSION, NULL, NULL, NULL, IOTNET_TIME_UNSET, IOTNET_TIME_UNSET}

/** Record (or replace, for the same finding id) a risk acceptance. Saved with the model. */
int iotnet_risk_decision_set(iotnet_net *net, const iotnet_risk_decision *d);
size_t iotnet_risk_decision_count(const iotnet_net *net);
/** The i-th decision; strings borrowed from the model. */
int iotnet_risk_decision_get(const iotnet_net *net, size_t i, iotnet_risk_decision *out);
/** Remove the decision on a finding. @return 0 or IOTNET_ENOTFOUND */
int iotnet_risk_decision_remove(iotnet_net *net, const char *finding);

#ifdef __cplusplus
}
#endif

#endif
