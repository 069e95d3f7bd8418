/* The vocabulary of conditions: every field by target, its type and
 * enumeration, the prefixes that lead to another table, and the list
 * iotnet_catalog_field_next() gives. */
#include "catalog_internal.h"
#include "error_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define N IOTNET_TARGET_NODE
#define S IOTNET_TARGET_SERVICE
#define L IOTNET_TARGET_LINK
#define Z IOTNET_TARGET_ZONE
#define C IOTNET_TARGET_CONDUIT

const field_def iotnet__fields[F_COUNT] = {
    [F_NODE_ID] = {"id", N, FT_STRING, -1, "the node's id"},
    [F_NODE_KIND] = {"kind", N, FT_KIND, -1, "the node's kind (is-a follows the hierarchy)"},
    [F_NODE_ZONE] = {"zone", N, FT_STRING, -1, "the id of the node's zone"},
    [F_NODE_ZONE_KIND] = {"zone-kind", N, FT_KIND, -1, "the kind of the node's zone"},
    [F_NODE_VENDOR] = {"vendor", N, FT_STRING, -1, "manufacturer"},
    [F_NODE_MODEL] = {"model", N, FT_STRING, -1, "product model"},
    [F_NODE_FIRMWARE] = {"firmware", N, FT_STRING, -1, "firmware version"},
    [F_NODE_IMPLEMENTATION] = {"implementation", N, FT_STRING, -1, "product family of an enforcement point"},
    [F_NODE_MUD_URL] = {"mud-url", N, FT_STRING, -1, "the MUD URL the device emits"},
    [F_NODE_DESCRIPTION] = {"description", N, FT_STRING, -1, "free text"},
    [F_NODE_FORWARDING] = {"forwarding", N, FT_BOOL, -1, "the kind forwards traffic (transit)"},
    [F_NODE_HAS_POLICY] = {"has-policy", N, FT_BOOL, -1, "the node has a firewall policy"},
    [F_NODE_HAS_NAT] = {"has-nat", N, FT_BOOL, -1, "the node translates addresses (NAT44)"},
    [F_NODE_HAS_MUD] = {"has-mud-profile", N, FT_BOOL, -1, "a MUD profile is attached to the node"},
    [F_NODE_DEFAULT_ACTION] = {"policy/default-action", N, FT_ENUM, IOTNET_ENUM_ACTION,
                               "the policy's default action (unset without a policy)"},
    [F_NODE_NAT_FILTERING] = {"nat/filtering", N, FT_ENUM, IOTNET_ENUM_NAT_FILTERING,
                              "NAT filtering behaviour, RFC 4787 (unset without NAT)"},
    [F_NODE_NAT_MAPPING] = {"nat/mapping", N, FT_ENUM, IOTNET_ENUM_NAT_MAPPING, "NAT mapping behaviour, RFC 4787"},
    [F_NODE_NAT_UPNP] = {"nat/upnp", N, FT_BOOL, -1, "the NAT lets devices open UPnP pinholes"},
    [F_NODE_NAT_PCP] = {"nat/pcp", N, FT_BOOL, -1, "the NAT lets devices open PCP mappings"},
    [F_NODE_NAT_CGNAT] = {"nat/cgnat", N, FT_BOOL, -1, "the NAT is a carrier-grade NAT"},
    [F_NODE_NAT_HAIRPINNING] = {"nat/hairpinning", N, FT_BOOL, -1, "the NAT hairpins"},
    [F_NODE_NAT_FORWARDS] = {"nat/forward-count", N, FT_INT, -1, "port forwards on the NAT"},
    [F_NODE_CERT_NOT_AFTER] = {"lifecycle/certificate-not-after", N, FT_DATE, -1, "the device certificate's expiry"},
    [F_NODE_ARTIFACT_LIFETIME] = {"lifecycle/signed-artifact-lifetime", N, FT_DURATION, -1,
                                  "how long signed SBOM or firmware must verify"},
    [F_NODE_END_OF_SUPPORT] = {"lifecycle/end-of-support", N, FT_DATE, -1, "end of vendor support"},
    [F_NODE_UPDATE] = {"lifecycle/update-mechanism", N, FT_ENUM, IOTNET_ENUM_UPDATE,
                       "how firmware is updated (unspecified without lifecycle facts)"},
    [F_NODE_OWNER] = {"lifecycle/owner", N, FT_STRING, -1, "the current owner"},
    [F_NODE_OWNERSHIP] = {"lifecycle/ownership-statement", N, FT_ENUM, IOTNET_ENUM_TRISTATE,
                          "an ownership statement exists"},
    [F_NODE_RESET] = {"lifecycle/reset-method", N, FT_ENUM, IOTNET_ENUM_RESET, "how the device is reset"},
    [F_NODE_CLOUD] = {"lifecycle/vendor-cloud-dependency", N, FT_ENUM, IOTNET_ENUM_TRISTATE,
                      "the device needs the vendor's cloud"},
    [F_NODE_ESCROWED] = {"lifecycle/credentials-escrowed", N, FT_ENUM, IOTNET_ENUM_TRISTATE,
                         "credentials are escrowed for a next owner"},
    [F_NODE_ATTESTATION] = {"lifecycle/attestation", N, FT_ENUM, IOTNET_ENUM_ATTESTATION, "remote attestation"},
    [F_NODE_CERT_OUTLIVED] = {"lifecycle/certificate-outlived", N, FT_BOOL, -1,
                              "derived: certificate-not-after < now + signed-artifact-lifetime (false if either unset)"},
    [F_NODE_SERVICE_COUNT] = {"service-count", N, FT_INT, -1, "services the node declares"},
    [F_NODE_MGMT_COUNT] = {"management-service-count", N, FT_INT, -1, "management services the node declares"},
    [F_NODE_EXPOSURE] = {"internet-exposure", N, FT_ENUM, IOTNET_ENUM_EXPOSURE,
                         "derived: the best exposure class of the node's rows from the internet"},
    [F_NODE_EXPOSED_COUNT] = {"exposed-service-count", N, FT_INT, -1,
                              "derived: services reached from the internet with a class above reply-only"},
    [F_NODE_LINK_MEDIA] = {"link-media", N, FT_MEDIA, -1, "the media of the node's links (a word list: contains)"},
    [F_SVC_NAME] = {"name", S, FT_STRING, -1, "the service's name"},
    [F_SVC_PROTOCOL] = {"protocol", S, FT_ENUM, IOTNET_ENUM_PROTOCOL, "IP protocol"},
    [F_SVC_PORT] = {"port", S, FT_INT, -1, "port (0 for none)"},
    [F_SVC_AUTH] = {"authentication", S, FT_ENUM, IOTNET_ENUM_AUTH, "how clients authenticate"},
    [F_SVC_TRANSPORT] = {"transport", S, FT_ENUM, IOTNET_ENUM_TRANSPORT, "transport security"},
    [F_SVC_CIPHERS] = {"cipher-suites", S, FT_WORDS, -1, "IANA cipher suite names (a word list: contains)"},
    [F_SVC_MANAGEMENT] = {"management", S, FT_BOOL, -1, "a management interface"},
    [F_SVC_TRAVERSAL] = {"nat-traversal", S, FT_ENUM, IOTNET_ENUM_NAT_TRAVERSAL,
                         "how the service asks its NAT to be reachable"},
    [F_SVC_EXPOSURE] = {"internet-exposure", S, FT_ENUM, IOTNET_ENUM_EXPOSURE,
                        "derived: the service's exposure class from the internet"},
    [F_LINK_ID] = {"id", L, FT_STRING, -1, "the link's id"},
    [F_LINK_MEDIUM] = {"medium", L, FT_ENUM, IOTNET_ENUM_MEDIUM, "the link's medium"},
    [F_LINK_ENCRYPTION] = {"encryption", L, FT_ENUM, IOTNET_ENUM_LINK_ENCRYPTION, "link-layer encryption"},
    [F_LINK_LATENCY] = {"latency-ms", L, FT_FLOAT, -1, "one-way latency in ms (unset when not given)"},
    [F_ZONE_ID] = {"id", Z, FT_STRING, -1, "the zone's id"},
    [F_ZONE_KIND] = {"kind", Z, FT_KIND, -1, "the zone's kind"},
    [F_ZONE_PURDUE] = {"purdue-level", Z, FT_FLOAT, -1, "Purdue level (unset when not given)"},
    [F_ZONE_TARGET_SL] = {"target-sl", Z, FT_INT, -1, "IEC 62443 target security level (unset when 0)"},
    [F_ZONE_NODE_COUNT] = {"node-count", Z, FT_INT, -1, "nodes in the zone"},
    [F_ZONE_UNCOVERED] = {"uncovered-flows", Z, FT_INT, -1,
                          "derived: services of this zone other zones reach that no conduit covers"},
    [F_CONDUIT_ID] = {"id", C, FT_STRING, -1, "the conduit's id"},
    [F_CONDUIT_FROM] = {"from-zone", C, FT_STRING, -1, "the zone the conduit starts at"},
    [F_CONDUIT_TO] = {"to-zone", C, FT_STRING, -1, "the zone the conduit leads to"},
    [F_CONDUIT_SERVICES] = {"services", C, FT_WORDS, -1, "the services it admits (a word list; \"\" = any)"},
    [F_CONDUIT_ANY] = {"any-service", C, FT_BOOL, -1, "the conduit admits every service"},
    [F_CONDUIT_BIDIR] = {"bidirectional", C, FT_BOOL, -1, "flows may also start at to-zone"},
};

const prefix_def iotnet__prefixes[] = {
    {"gateway/", N, N, HOP_GATEWAY, "the node's access gateway (nearest enforcement point through forwarding nodes)"},
    {"node/", S, N, HOP_SERVICE_NODE, "the service's node"},
    {"a/", L, N, HOP_LINK_A, "the link's first end"},
    {"b/", L, N, HOP_LINK_B, "the link's second end"},
    {"from/", C, Z, HOP_CONDUIT_FROM, "the conduit's from-zone"},
    {"to/", C, Z, HOP_CONDUIT_TO, "the conduit's to-zone"},
};
const size_t iotnet__prefix_count = sizeof iotnet__prefixes / sizeof iotnet__prefixes[0];


/* ---- the field list (iotnet_catalog_field_next) ----------------------- */

typedef struct listed_field {
    char *name;
    char *description;
    uint8_t table, type;
} listed_field;

static listed_field *listed;
static size_t listed_count;
static pthread_once_t listed_once = PTHREAD_ONCE_INIT;

static iotnet_attr_type public_type(uint8_t ft)
{
    switch (ft) {
    case FT_INT: return IOTNET_ATTR_INT;
    case FT_FLOAT: return IOTNET_ATTR_FLOAT;
    case FT_BOOL: return IOTNET_ATTR_BOOL;
    case FT_DATE: return IOTNET_ATTR_DATE;
    case FT_DURATION: return IOTNET_ATTR_DURATION;
    default: return IOTNET_ATTR_STRING;
    }
}

static char *concat(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 1);
    if (s) {
        memcpy(s, a, la);
        memcpy(s + la, b, lb + 1);
    }
    return s;
}

/* The fields, then each prefix with the fields of the table it leads to. */
static void listed_build(void)
{
    size_t total = F_COUNT;
    for (size_t p = 0; p < iotnet__prefix_count; p++)
        for (int f = 0; f < F_COUNT; f++)
            total += iotnet__fields[f].table == iotnet__prefixes[p].to;
    listed = calloc(total, sizeof *listed);
    if (!listed)
        return;
    size_t n = 0;
    for (int f = 0; f < F_COUNT; f++)
        listed[n++] = (listed_field){NULL, NULL, iotnet__fields[f].table, iotnet__fields[f].type};
    for (size_t p = 0; p < iotnet__prefix_count; p++)
        for (int f = 0; f < F_COUNT; f++) {
            if (iotnet__fields[f].table != iotnet__prefixes[p].to)
                continue;
            listed_field *x = &listed[n++];
            x->name = concat(iotnet__prefixes[p].prefix, iotnet__fields[f].name);
            x->description = concat(iotnet__prefixes[p].description, ": ");
            char *d = x->description ? concat(x->description, iotnet__fields[f].description) : NULL;
            free(x->description);
            x->description = d;
            x->table = iotnet__prefixes[p].from;
            x->type = iotnet__fields[f].type;
        }
    listed_count = n;
}

int iotnet_catalog_field_next(size_t i, iotnet_catalog_field *out)
{
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_catalog_field_next: out is required");
    pthread_once(&listed_once, listed_build);
    if (!listed)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory listing the condition fields");
    if (i >= listed_count)
        return iotnet__error_set(IOTNET_EINVAL, "no condition field %zu (there are %zu)", i, listed_count);
    const listed_field *x = &listed[i];
    out->name = i < F_COUNT ? iotnet__fields[i].name : x->name;
    out->description = i < F_COUNT ? iotnet__fields[i].description : x->description;
    out->target = (iotnet_target)x->table;
    out->type = public_type(x->type);
    if (!out->name || !out->description)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory listing the condition fields");
    return 0;
}

