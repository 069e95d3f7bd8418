/* One table per enumeration: the names used in topology files, the CLI and Python. */
#include "iotnet/names.h"
#include "iotnet/net.h"
#include "iotnet/policy.h"
#include "iotnet/reach.h"
#include "iotnet/mud.h"
#include "iotnet/eval.h"
#include "iotnet/comply.h"
#include "error_internal.h"
#include "util.h"

#include <string.h>

typedef struct name_entry {
    const char *name;
    int value;
} name_entry;

#define END {NULL, 0}

static const name_entry protocols[] = {
    {"any", IOTNET_PROTO_ANY}, {"icmp", IOTNET_PROTO_ICMP}, {"tcp", IOTNET_PROTO_TCP},
    {"udp", IOTNET_PROTO_UDP}, {"sctp", IOTNET_PROTO_SCTP}, END};
static const name_entry tristates[] = {
    {"unknown", IOTNET_UNKNOWN}, {"no", IOTNET_NO}, {"yes", IOTNET_YES}, END};
static const name_entry media[] = {
    {"unspecified", IOTNET_MEDIUM_UNSPECIFIED}, {"ethernet", IOTNET_MEDIUM_ETHERNET},
    {"wifi", IOTNET_MEDIUM_WIFI}, {"ble", IOTNET_MEDIUM_BLE}, {"zigbee", IOTNET_MEDIUM_ZIGBEE},
    {"thread", IOTNET_MEDIUM_THREAD}, {"zwave", IOTNET_MEDIUM_ZWAVE}, {"lte", IOTNET_MEDIUM_LTE},
    {"5g", IOTNET_MEDIUM_5G}, {"fibre", IOTNET_MEDIUM_FIBRE}, {"dsl", IOTNET_MEDIUM_DSL},
    {"cable", IOTNET_MEDIUM_CABLE}, {"serial", IOTNET_MEDIUM_SERIAL},
    {"lorawan", IOTNET_MEDIUM_LORAWAN}, {"powerline", IOTNET_MEDIUM_POWERLINE},
    {"vpn", IOTNET_MEDIUM_VPN}, {"virtual", IOTNET_MEDIUM_VIRTUAL},
    {"internet", IOTNET_MEDIUM_INTERNET}, END};
static const name_entry link_encryptions[] = {
    {"unspecified", IOTNET_LINKENC_UNSPECIFIED}, {"none", IOTNET_LINKENC_NONE},
    {"wpa2", IOTNET_LINKENC_WPA2}, {"wpa3", IOTNET_LINKENC_WPA3},
    {"macsec", IOTNET_LINKENC_MACSEC}, {"ipsec", IOTNET_LINKENC_IPSEC},
    {"wireguard", IOTNET_LINKENC_WIREGUARD}, {"link-layer", IOTNET_LINKENC_LINK_LAYER}, END};
static const name_entry auths[] = {
    {"unspecified", IOTNET_AUTH_UNSPECIFIED}, {"none", IOTNET_AUTH_NONE},
    {"default-password", IOTNET_AUTH_DEFAULT_PASSWORD}, {"password", IOTNET_AUTH_PASSWORD},
    {"certificate", IOTNET_AUTH_CERTIFICATE}, {"psk", IOTNET_AUTH_PSK}, END};
static const name_entry transports[] = {
    {"unspecified", IOTNET_TRANSPORT_UNSPECIFIED}, {"none", IOTNET_TRANSPORT_NONE},
    {"tls1.0", IOTNET_TRANSPORT_TLS1_0}, {"tls1.1", IOTNET_TRANSPORT_TLS1_1},
    {"tls1.2", IOTNET_TRANSPORT_TLS1_2}, {"tls1.3", IOTNET_TRANSPORT_TLS1_3},
    {"dtls1.0", IOTNET_TRANSPORT_DTLS1_0}, {"dtls1.2", IOTNET_TRANSPORT_DTLS1_2},
    {"dtls1.3", IOTNET_TRANSPORT_DTLS1_3}, {"ssh", IOTNET_TRANSPORT_SSH}, END};
static const name_entry traversals[] = {
    {"none", IOTNET_TRAVERSAL_NONE}, {"upnp", IOTNET_TRAVERSAL_UPNP},
    {"pcp", IOTNET_TRAVERSAL_PCP}, {"hole-punch", IOTNET_TRAVERSAL_HOLE_PUNCH}, END};
static const name_entry updates[] = {
    {"unspecified", IOTNET_UPDATE_UNSPECIFIED}, {"none", IOTNET_UPDATE_NONE},
    {"manual", IOTNET_UPDATE_MANUAL}, {"automatic", IOTNET_UPDATE_AUTOMATIC},
    {"suit", IOTNET_UPDATE_SUIT}, END};
static const name_entry resets[] = {
    {"unspecified", IOTNET_RESET_UNSPECIFIED}, {"none", IOTNET_RESET_NONE},
    {"button", IOTNET_RESET_BUTTON}, {"app", IOTNET_RESET_APP},
    {"vendor-cloud", IOTNET_RESET_VENDOR_CLOUD}, {"console", IOTNET_RESET_CONSOLE}, END};
static const name_entry attestations[] = {
    {"unspecified", IOTNET_ATTEST_UNSPECIFIED}, {"none", IOTNET_ATTEST_NONE},
    {"rats", IOTNET_ATTEST_RATS}, {"vendor", IOTNET_ATTEST_VENDOR}, END};
static const name_entry entities[] = {
    {"node", IOTNET_ENTITY_NODE}, {"link", IOTNET_ENTITY_LINK}, {"zone", IOTNET_ENTITY_ZONE}, END};
static const name_entry attr_types[] = {
    {"string", IOTNET_ATTR_STRING}, {"int", IOTNET_ATTR_INT}, {"float", IOTNET_ATTR_FLOAT},
    {"bool", IOTNET_ATTR_BOOL}, {"date", IOTNET_ATTR_DATE}, {"duration", IOTNET_ATTR_DURATION}, END};
static const name_entry actions[] = {
    {"accept", IOTNET_ACTION_ACCEPT}, {"drop", IOTNET_ACTION_DROP},
    {"reject", IOTNET_ACTION_REJECT}, END};
static const name_entry selectors[] = {
    {"any", IOTNET_SELECT_ANY}, {"zone", IOTNET_SELECT_ZONE}, {"node", IOTNET_SELECT_NODE},
    {"kind", IOTNET_SELECT_KIND}, {"cidr", IOTNET_SELECT_CIDR},
    {"internet", IOTNET_SELECT_INTERNET}, END};
static const name_entry initiators[] = {
    {"any", IOTNET_INITIATED_ANY}, {"from", IOTNET_INITIATED_FROM},
    {"to", IOTNET_INITIATED_TO}, END};
static const name_entry nat_mappings[] = {
    {"endpoint-independent", IOTNET_NAT_MAPPING_EI},
    {"address-dependent", IOTNET_NAT_MAPPING_AD},
    {"address-and-port-dependent", IOTNET_NAT_MAPPING_APD}, END};
static const name_entry nat_filterings[] = {
    {"endpoint-independent", IOTNET_NAT_FILTER_EI},
    {"address-dependent", IOTNET_NAT_FILTER_AD},
    {"address-and-port-dependent", IOTNET_NAT_FILTER_APD}, END};
static const name_entry exposures[] = {
    {"none", IOTNET_EXPOSURE_NONE}, {"reply-only", IOTNET_EXPOSURE_REPLY_ONLY},
    {"hole-punchable", IOTNET_EXPOSURE_HOLE_PUNCHABLE}, {"pinhole", IOTNET_EXPOSURE_PINHOLE},
    {"port-forward", IOTNET_EXPOSURE_PORT_FORWARD}, {"direct", IOTNET_EXPOSURE_DIRECT}, END};
static const name_entry layers[] = {
    {"transit", IOTNET_LAYER_TRANSIT}, {"firewall", IOTNET_LAYER_FIREWALL},
    {"nat", IOTNET_LAYER_NAT}, {"mud", IOTNET_LAYER_MUD}, END};
static const name_entry mud_directions[] = {
    {"any", IOTNET_MUD_DIRECTION_ANY}, {"from-device", IOTNET_MUD_FROM_DEVICE},
    {"to-device", IOTNET_MUD_TO_DEVICE}, END};
static const name_entry targets[] = {
    {"node", IOTNET_TARGET_NODE}, {"link", IOTNET_TARGET_LINK}, {"service", IOTNET_TARGET_SERVICE},
    {"zone", IOTNET_TARGET_ZONE}, {"conduit", IOTNET_TARGET_CONDUIT}, END};
static const name_entry finding_statuses[] = {
    {"open", IOTNET_FINDING_OPEN}, {"mitigated", IOTNET_FINDING_MITIGATED},
    {"accepted", IOTNET_FINDING_ACCEPTED}, {"not-applicable", IOTNET_FINDING_NOT_APPLICABLE}, END};
static const name_entry control_statuses[] = {
    {"addressed", IOTNET_CONTROL_ADDRESSED}, {"partially-addressed", IOTNET_CONTROL_PARTIAL},
    {"gap", IOTNET_CONTROL_GAP}, {"not-applicable", IOTNET_CONTROL_NOT_APPLICABLE},
    {"not-assessed", IOTNET_CONTROL_NOT_ASSESSED}, END};
static const name_entry mud_peers[] = {
    {"any", IOTNET_MUD_PEER_ANY}, {"dnsname", IOTNET_MUD_PEER_DNSNAME}, {"cidr", IOTNET_MUD_PEER_CIDR},
    {"manufacturer", IOTNET_MUD_PEER_MANUFACTURER}, {"same-manufacturer", IOTNET_MUD_PEER_SAME_MANUFACTURER},
    {"model", IOTNET_MUD_PEER_MODEL}, {"local-networks", IOTNET_MUD_PEER_LOCAL_NETWORKS},
    {"controller", IOTNET_MUD_PEER_CONTROLLER}, {"my-controller", IOTNET_MUD_PEER_MY_CONTROLLER}, END};

typedef struct name_table {
    const name_entry *entries;
    int count;
} name_table;

#define TABLE(t) {t, (int)(sizeof(t) / sizeof *(t)) - 1}

static const name_table tables[IOTNET_ENUM_COUNT] = {
    [IOTNET_ENUM_PROTOCOL] = TABLE(protocols),
    [IOTNET_ENUM_TRISTATE] = TABLE(tristates),
    [IOTNET_ENUM_MEDIUM] = TABLE(media),
    [IOTNET_ENUM_LINK_ENCRYPTION] = TABLE(link_encryptions),
    [IOTNET_ENUM_AUTH] = TABLE(auths),
    [IOTNET_ENUM_TRANSPORT] = TABLE(transports),
    [IOTNET_ENUM_NAT_TRAVERSAL] = TABLE(traversals),
    [IOTNET_ENUM_UPDATE] = TABLE(updates),
    [IOTNET_ENUM_RESET] = TABLE(resets),
    [IOTNET_ENUM_ATTESTATION] = TABLE(attestations),
    [IOTNET_ENUM_ENTITY] = TABLE(entities),
    [IOTNET_ENUM_ATTR_TYPE] = TABLE(attr_types),
    [IOTNET_ENUM_ACTION] = TABLE(actions),
    [IOTNET_ENUM_SELECTOR] = TABLE(selectors),
    [IOTNET_ENUM_INITIATED] = TABLE(initiators),
    [IOTNET_ENUM_NAT_MAPPING] = TABLE(nat_mappings),
    [IOTNET_ENUM_NAT_FILTERING] = TABLE(nat_filterings),
    [IOTNET_ENUM_EXPOSURE] = TABLE(exposures),
    [IOTNET_ENUM_LAYER] = TABLE(layers),
    [IOTNET_ENUM_MUD_DIRECTION] = TABLE(mud_directions),
    [IOTNET_ENUM_MUD_PEER] = TABLE(mud_peers),
    [IOTNET_ENUM_TARGET] = TABLE(targets),
    [IOTNET_ENUM_FINDING_STATUS] = TABLE(finding_statuses),
    [IOTNET_ENUM_CONTROL_STATUS] = TABLE(control_statuses),
};

static const char *const table_names[IOTNET_ENUM_COUNT] = {
    "protocol", "tristate", "medium", "link encryption", "authentication", "transport",
    "NAT traversal", "update mechanism", "reset method", "attestation", "entity",
    "attribute type", "action", "selector", "initiated-by", "NAT mapping", "NAT filtering",
    "exposure", "layer", "MUD direction", "MUD peer", "target", "finding status", "control status",
};

static const name_entry *table_of(iotnet_enum type)
{
    return (unsigned)type < IOTNET_ENUM_COUNT ? tables[type].entries : NULL;
}

const char *iotnet_enum_name(iotnet_enum type, int value)
{
    const name_entry *t = table_of(type);
    if (!t)
        return NULL;
    /* most tables list values in order from 0 or 1: try the direct places first */
    int count = tables[type].count;
    for (int k = value - 1; k <= value; k++)
        if (k >= 0 && k < count && t[k].value == value)
            return t[k].name;
    for (; t->name; t++)
        if (t->value == value)
            return t->name;
    return NULL;
}

const char *iotnet_enum_entry(iotnet_enum type, int i, int *out_value)
{
    const name_entry *t = table_of(type);
    if (!t || i < 0)
        return NULL;
    for (int k = 0; k < i; k++)
        if (!t[k].name)
            return NULL;
    if (t[i].name && out_value)
        *out_value = t[i].value;
    return t[i].name;
}

int iotnet_enum_parse(iotnet_enum type, const char *name, int *out)
{
    const name_entry *t = table_of(type);
    if (!t)
        return iotnet__error_set(IOTNET_EINVAL, "unknown enumeration %d", (int)type);
    if (!name || !out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_enum_parse: name and out are required");
    for (const name_entry *e = t; e->name; e++) {
        if (strcmp(e->name, name) == 0) {
            *out = e->value;
            return 0;
        }
    }
    iotnet__buf choices = {0};
    for (const name_entry *e = t; e->name; e++)
        iotnet__buf_printf(&choices, "%s%s", e == t ? "" : ", ", e->name);
    iotnet__error_set(IOTNET_EINVAL, "unknown %s \"%s\" (expected one of: %s)", table_names[type],
                      name, choices.data ? choices.data : "");
    iotnet__buf_free(&choices);
    return IOTNET_EINVAL;
}

const char *iotnet_attr_type_name(iotnet_attr_type type)
{
    return iotnet_enum_name(IOTNET_ENUM_ATTR_TYPE, (int)type);
}
