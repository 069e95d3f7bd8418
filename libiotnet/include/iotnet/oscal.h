/**
 * @file oscal.h
 * Findings and the catalog's control mapping as NIST OSCAL 1.1.2 documents,
 * in JSON or XML (namespace http://csrc.nist.gov/ns/oscal/1.0), for
 * compliance tooling.
 *
 * Assessment results (iotnet_oscal_assessment_results()): metadata (title
 * from the model's name, last-modified, version, oscal-version), an
 * import-ap pointing at a back-matter resource that describes the
 * evaluation, and one result holding
 *   - local definitions: every finding target as a subject: a node as an
 *     inventory item (asset-id = node id), a service as a component of type
 *     "service" with its protocol and port (implemented by its node's
 *     inventory item), a link or conduit as an "interconnection" component,
 *     a zone as a "network" component; and libiotnet as the tool behind
 *     every observation and characterization (an assessment platform);
 *   - one observation per finding: the threat and target, the evidence as
 *     relevant evidence, method TEST when the threat's condition rests on
 *     what reachability analysis derived (internet exposure, exposed
 *     services, reachable, uncovered flows) and EXAMINE when it reads
 *     declared facts only; type "finding", or "mitigation" when mitigated;
 *   - one risk per applicable finding: status "open", "closed" (mitigated)
 *     or "deviation-approved" (accepted: OSCAL's value for a risk accepted
 *     by a recorded decision, which is kept as a risk-log entry logged by a
 *     party naming who decided, with the reason and, as the entry's end and
 *     the risk's deadline, the date the acceptance expires); an inherent
 *     and a residual characterization with likelihood, impact and risk
 *     facets (NIST naming system; the scale is 1..5, risk 1..25); a
 *     mitigating factor per mitigation present;
 *   - one OSCAL finding per control of each framework (or of
 *     opts->framework) that the compliance mapping (comply.h) finds
 *     addressed, partially addressed, a gap, or not applicable although
 *     findings call for it: target type "objective-id", status
 *     "satisfied" (addressed: reason "pass"; not applicable: "other") or
 *     "not-satisfied" (partially addressed or a gap: "fail") with the
 *     mapping's reason as remarks and its status as the "status" prop, the
 *     observations and risks of the findings that call for the control,
 *     and the (mitigation, target) pairs that evidence it. Controls that
 *     are not assessed, or not applicable with no finding, are left out.
 * Not-applicable findings (include_not_applicable) give observations only.
 *
 * Component definition (iotnet_oscal_component_definition()): one
 * component per mitigation (type "service" for a mitigation on services,
 * "interconnection" on links, "policy" on zones and conduits, "software" on
 * nodes), with one control-implementation per framework its controls come
 * from, listing an implemented requirement per control.
 *
 * Control ids follow OSCAL's token rules and each framework's own
 * numbering, lower case: ISO/IEC 27001:2022 Annex A "8.20" is "a.8.20";
 * IEC 62443-3-3 "SR 1.1" is "sr-1.1"; ETSI EN 303 645 provision "5.1-1" is
 * "provision-5.1-1"; NISTIR 8259A capability "1" is "capability-1"; other
 * frameworks keep their id in lower case with other characters as '-',
 * prefixed "control-" when it starts with a digit. A control-implementation
 * source (and a finding's framework) is "#UUID" of a back-matter resource
 * titled with the framework and carrying its id as the "framework" prop.
 *
 * Identifiers are UUID version 5 (RFC 9562: SHA-1 over a namespace and a
 * name): the document's over its kind and the model's name, every element's
 * over that and the element's stable name (a finding's id, a node's id, a
 * control's framework and id), so the same model and catalog give the same
 * document but for its timestamps, which come from the options' `now`.
 * Our own props carry ns IOTNET_OSCAL_NS, an identifier rather than a
 * location.
 */
#ifndef IOTNET_OSCAL_H
#define IOTNET_OSCAL_H

#include "comply.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The namespace of libiotnet's OSCAL props. */
#define IOTNET_OSCAL_NS "https://libiotnet.org/ns/oscal"

/** Characters of a UUID's text, with its NUL. */
#define IOTNET_UUID_TEXT_SIZE 37

typedef enum iotnet_oscal_format {
    IOTNET_OSCAL_JSON = 1,
    IOTNET_OSCAL_XML
} iotnet_oscal_format;

typedef struct iotnet_oscal_options {
    unsigned int version;
    iotnet_oscal_format format;
    /** last-modified, result start and end, collected: seconds since the
     *  epoch; IOTNET_TIME_UNSET = the clock */
    int64_t now;
    /** metadata/version of the document; NULL for "1.0" */
    const char *document_version;
    /** assessment results: the controls of this framework only
     *  ("iso27001-2022"); NULL for every framework of the catalog */
    const char *framework;
    /** assessment results: the mitigations the findings were computed with
     *  as assumed (what-if), for the controls' evidence */
    const iotnet_assumption *assume;
    size_t assume_count;
} iotnet_oscal_options;

#define IOTNET_OSCAL_OPTIONS_VERSION 1
#define IOTNET_OSCAL_OPTIONS_INIT {IOTNET_OSCAL_OPTIONS_VERSION, IOTNET_OSCAL_JSON, IOTNET_TIME_UNSET, NULL, NULL, NULL, 0}

/**
 * Write findings as OSCAL assessment results.
 *
 * The findings must come from iotnet_analyze() on this model and catalog
 * (a finding whose threat the catalog lacks is IOTNET_EINVAL); give the
 * analysis' assumptions and its "now" in opts, which also judges the dates
 * in the mitigations' conditions for the controls' evidence.
 * The document is built in memory before it is written: about 8 KB of JSON
 * per finding, and a few times that while it is built.
 * O(findings x controls per finding + the compliance mapping of each
 * framework (comply.h) + targets).
 * @param[out] out the document, the caller's (iotnet_string_free())
 * @param[in] net the model the findings were computed on (name, targets)
 * @param[in] cat the catalog they were computed with (titles, controls)
 * @param[in] findings the findings
 * @param[in] opts NULL for the defaults (JSON, the clock)
 * @return 0, IOTNET_EINVAL (NULL argument, bad options, findings that do
 *         not match the model or catalog, a document_version OSCAL cannot
 *         carry, a framework the catalog lacks), IOTNET_ENOMEM
 */
int iotnet_oscal_assessment_results(char **out, const iotnet_net *net, const iotnet_catalog *cat,
                                    const iotnet_findings *findings, const iotnet_oscal_options *opts);

/**
 * Write the catalog's mitigations and the controls they evidence as an
 * OSCAL component definition. Its uuid is over the mitigation ids, so a
 * catalog set with other mitigations gives another document.
 * O(mitigations x controls).
 * @param[out] out the document, the caller's (iotnet_string_free())
 * @param[in] cat the catalog set
 * @param[in] opts NULL for the defaults (JSON, the clock)
 * @return 0, IOTNET_EINVAL, IOTNET_ENOMEM
 */
int iotnet_oscal_component_definition(char **out, const iotnet_catalog *cat, const iotnet_oscal_options *opts);

/**
 * A UUID version 5 (RFC 9562) as text: SHA-1 over a namespace UUID and a
 * name. With namespace NULL, libiotnet's OSCAL namespace: the one its
 * documents' identifiers are derived in.
 * @param[out] out 36 characters and a NUL
 * @param[in] namespace_uuid "6ba7b810-9dad-11d1-80b4-00c04fd430c8" (any case), or NULL
 * @param[in] name the name, UTF-8
 * @return 0, IOTNET_EINVAL (NULL out or name, a namespace that is not a UUID)
 */
int iotnet_oscal_uuid(char *out, const char *namespace_uuid, const char *name);

#ifdef __cplusplus
}
#endif

#endif
