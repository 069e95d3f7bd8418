/* Enumeration names: every entry round-trips, the names are the YANG module's
 * enum names, and unknown names are refused with the list of valid ones. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "helpers.h"
#include "iotnet/reach.h"
#include "iotnet/mud.h"
#include "iotnet/eval.h"

typedef struct name_value {
    const char *name;
    int value;
} name_value;

/* The names as iotnet-topology@2026-11-22.yang (or the header) spells them. */
static const name_value protocols[] = {
    {"any", IOTNET_PROTO_ANY}, {"icmp", IOTNET_PROTO_ICMP}, {"tcp", IOTNET_PROTO_TCP},
    {"udp", IOTNET_PROTO_UDP}, {"sctp", IOTNET_PROTO_SCTP},
};
static const name_value tristates[] = {
    {"unknown", IOTNET_UNKNOWN}, {"no", IOTNET_NO}, {"yes", IOTNET_YES},
};
static const name_value media[] = {
    {"ethernet", IOTNET_MEDIUM_ETHERNET}, {"wifi", IOTNET_MEDIUM_WIFI},
    {"ble", IOTNET_MEDIUM_BLE},           {"zigbee", IOTNET_MEDIUM_ZIGBEE},
    {"thread", IOTNET_MEDIUM_THREAD},     {"zwave", IOTNET_MEDIUM_ZWAVE},
    {"lte", IOTNET_MEDIUM_LTE},           {"5g", IOTNET_MEDIUM_5G},
    {"fibre", IOTNET_MEDIUM_FIBRE},       {"dsl", IOTNET_MEDIUM_DSL},
    {"cable", IOTNET_MEDIUM_CABLE},       {"serial", IOTNET_MEDIUM_SERIAL},
    {"lorawan", IOTNET_MEDIUM_LORAWAN},   {"powerline", IOTNET_MEDIUM_POWERLINE},
    {"vpn", IOTNET_MEDIUM_VPN},           {"virtual", IOTNET_MEDIUM_VIRTUAL},
    {"internet", IOTNET_MEDIUM_INTERNET},
};
static const name_value link_encryptions[] = {
    {"none", IOTNET_LINKENC_NONE},     {"wpa2", IOTNET_LINKENC_WPA2},
    {"wpa3", IOTNET_LINKENC_WPA3},     {"macsec", IOTNET_LINKENC_MACSEC},
    {"ipsec", IOTNET_LINKENC_IPSEC},   {"wireguard", IOTNET_LINKENC_WIREGUARD},
    {"link-layer", IOTNET_LINKENC_LINK_LAYER},
};
static const name_value auths[] = {
    {"none", IOTNET_AUTH_NONE},         {"default-password", IOTNET_AUTH_DEFAULT_PASSWORD},
    {"password", IOTNET_AUTH_PASSWORD}, {"certificate", IOTNET_AUTH_CERTIFICATE},
    {"psk", IOTNET_AUTH_PSK},
};
static const name_value transports[] = {
    {"none", IOTNET_TRANSPORT_NONE},       {"tls1.0", IOTNET_TRANSPORT_TLS1_0},
    {"tls1.1", IOTNET_TRANSPORT_TLS1_1},   {"tls1.2", IOTNET_TRANSPORT_TLS1_2},
    {"tls1.3", IOTNET_TRANSPORT_TLS1_3},   {"dtls1.0", IOTNET_TRANSPORT_DTLS1_0},
    {"dtls1.2", IOTNET_TRANSPORT_DTLS1_2}, {"dtls1.3", IOTNET_TRANSPORT_DTLS1_3},
    {"ssh", IOTNET_TRANSPORT_SSH},
};
static const name_value traversals[] = {
    {"none", IOTNET_TRAVERSAL_NONE},
    {"upnp", IOTNET_TRAVERSAL_UPNP},
    {"pcp", IOTNET_TRAVERSAL_PCP},
    {"hole-punch", IOTNET_TRAVERSAL_HOLE_PUNCH},
};
static const name_value updates[] = {
    {"none", IOTNET_UPDATE_NONE},
    {"manual", IOTNET_UPDATE_MANUAL},
    {"automatic", IOTNET_UPDATE_AUTOMATIC},
    {"suit", IOTNET_UPDATE_SUIT},
};
static const name_value resets[] = {
    {"none", IOTNET_RESET_NONE}, {"button", IOTNET_RESET_BUTTON},
    {"app", IOTNET_RESET_APP},   {"vendor-cloud", IOTNET_RESET_VENDOR_CLOUD},
    {"console", IOTNET_RESET_CONSOLE},
};
static const name_value attestations[] = {
    {"none", IOTNET_ATTEST_NONE},
    {"rats", IOTNET_ATTEST_RATS},
    {"vendor", IOTNET_ATTEST_VENDOR},
};
static const name_value entities[] = {
    {"node", IOTNET_ENTITY_NODE},
    {"link", IOTNET_ENTITY_LINK},
    {"zone", IOTNET_ENTITY_ZONE},
};
static const name_value attr_types[] = {
    {"string", IOTNET_ATTR_STRING}, {"int", IOTNET_ATTR_INT},   {"float", IOTNET_ATTR_FLOAT},
    {"bool", IOTNET_ATTR_BOOL},     {"date", IOTNET_ATTR_DATE}, {"duration", IOTNET_ATTR_DURATION},
};
static const name_value actions[] = {
    {"accept", IOTNET_ACTION_ACCEPT},
    {"drop", IOTNET_ACTION_DROP},
    {"reject", IOTNET_ACTION_REJECT},
};
static const name_value selectors[] = {
    {"any", IOTNET_SELECT_ANY},   {"zone", IOTNET_SELECT_ZONE}, {"node", IOTNET_SELECT_NODE},
    {"kind", IOTNET_SELECT_KIND}, {"cidr", IOTNET_SELECT_CIDR},
    {"internet", IOTNET_SELECT_INTERNET},
};
static const name_value initiators[] = {
    {"any", IOTNET_INITIATED_ANY},
    {"from", IOTNET_INITIATED_FROM},
    {"to", IOTNET_INITIATED_TO},
};
static const name_value mappings[] = {
    {"endpoint-independent", IOTNET_NAT_MAPPING_EI},
    {"address-dependent", IOTNET_NAT_MAPPING_AD},
    {"address-and-port-dependent", IOTNET_NAT_MAPPING_APD},
};
static const name_value filterings[] = {
    {"endpoint-independent", IOTNET_NAT_FILTER_EI},
    {"address-dependent", IOTNET_NAT_FILTER_AD},
    {"address-and-port-dependent", IOTNET_NAT_FILTER_APD},
};
/* exposure classes, least to most open (the order the engine compares them in) */
static const name_value exposures[] = {
    {"none", IOTNET_EXPOSURE_NONE}, {"reply-only", IOTNET_EXPOSURE_REPLY_ONLY},
    {"hole-punchable", IOTNET_EXPOSURE_HOLE_PUNCHABLE}, {"pinhole", IOTNET_EXPOSURE_PINHOLE},
    {"port-forward", IOTNET_EXPOSURE_PORT_FORWARD}, {"direct", IOTNET_EXPOSURE_DIRECT},
};
static const name_value layers[] = {
    {"transit", IOTNET_LAYER_TRANSIT}, {"firewall", IOTNET_LAYER_FIREWALL},
    {"nat", IOTNET_LAYER_NAT}, {"mud", IOTNET_LAYER_MUD},
};
static const name_value mud_directions[] = {
    {"any", IOTNET_MUD_DIRECTION_ANY}, {"from-device", IOTNET_MUD_FROM_DEVICE},
    {"to-device", IOTNET_MUD_TO_DEVICE},
};
static const name_value mud_peers[] = {
    {"any", IOTNET_MUD_PEER_ANY}, {"dnsname", IOTNET_MUD_PEER_DNSNAME}, {"cidr", IOTNET_MUD_PEER_CIDR},
    {"manufacturer", IOTNET_MUD_PEER_MANUFACTURER}, {"same-manufacturer", IOTNET_MUD_PEER_SAME_MANUFACTURER},
    {"model", IOTNET_MUD_PEER_MODEL}, {"local-networks", IOTNET_MUD_PEER_LOCAL_NETWORKS},
    {"controller", IOTNET_MUD_PEER_CONTROLLER}, {"my-controller", IOTNET_MUD_PEER_MY_CONTROLLER},
};

static const name_value targets[] = {
    {"node", IOTNET_TARGET_NODE}, {"link", IOTNET_TARGET_LINK}, {"service", IOTNET_TARGET_SERVICE},
    {"zone", IOTNET_TARGET_ZONE}, {"conduit", IOTNET_TARGET_CONDUIT},
};
static const name_value finding_statuses[] = {
    {"open", IOTNET_FINDING_OPEN}, {"mitigated", IOTNET_FINDING_MITIGATED},
    {"accepted", IOTNET_FINDING_ACCEPTED}, {"not-applicable", IOTNET_FINDING_NOT_APPLICABLE},
};
static const name_value control_statuses[] = {
    {"addressed", IOTNET_CONTROL_ADDRESSED}, {"partially-addressed", IOTNET_CONTROL_PARTIAL},
    {"gap", IOTNET_CONTROL_GAP}, {"not-applicable", IOTNET_CONTROL_NOT_APPLICABLE},
    {"not-assessed", IOTNET_CONTROL_NOT_ASSESSED},
};

typedef struct enum_table {
    iotnet_enum type;
    const char *label;
    const name_value *entries;
    size_t count;
    /* the C enum has a 0 "not stated" value that topology files express by
     * leaving the leaf out; the library may list it under a name of its own */
    bool has_unspecified;
} enum_table;

#define TABLE(type, entries, unspecified) \
    {type, #type, entries, sizeof entries / sizeof entries[0], unspecified}

static enum_table all_tables[] = {
    TABLE(IOTNET_ENUM_PROTOCOL, protocols, false),
    TABLE(IOTNET_ENUM_TRISTATE, tristates, false),
    TABLE(IOTNET_ENUM_MEDIUM, media, true),
    TABLE(IOTNET_ENUM_LINK_ENCRYPTION, link_encryptions, true),
    TABLE(IOTNET_ENUM_AUTH, auths, true),
    TABLE(IOTNET_ENUM_TRANSPORT, transports, true),
    TABLE(IOTNET_ENUM_NAT_TRAVERSAL, traversals, false),
    TABLE(IOTNET_ENUM_UPDATE, updates, true),
    TABLE(IOTNET_ENUM_RESET, resets, true),
    TABLE(IOTNET_ENUM_ATTESTATION, attestations, true),
    TABLE(IOTNET_ENUM_ENTITY, entities, false),
    TABLE(IOTNET_ENUM_ATTR_TYPE, attr_types, false),
    TABLE(IOTNET_ENUM_ACTION, actions, false),
    TABLE(IOTNET_ENUM_SELECTOR, selectors, false),
    TABLE(IOTNET_ENUM_INITIATED, initiators, false),
    TABLE(IOTNET_ENUM_NAT_MAPPING, mappings, false),
    TABLE(IOTNET_ENUM_NAT_FILTERING, filterings, false),
    TABLE(IOTNET_ENUM_EXPOSURE, exposures, false),
    TABLE(IOTNET_ENUM_LAYER, layers, false),
    TABLE(IOTNET_ENUM_MUD_DIRECTION, mud_directions, false),
    TABLE(IOTNET_ENUM_MUD_PEER, mud_peers, false),
    TABLE(IOTNET_ENUM_TARGET, targets, false),
    TABLE(IOTNET_ENUM_FINDING_STATUS, finding_statuses, false),
    TABLE(IOTNET_ENUM_CONTROL_STATUS, control_statuses, false),
};
#define TABLE_COUNT (sizeof all_tables / sizeof all_tables[0])

Test(names, every_enumeration_has_a_table)
{
    cr_assert_eq(TABLE_COUNT, (size_t)IOTNET_ENUM_COUNT);
    for (size_t i = 0; i < TABLE_COUNT; i++)
        cr_assert_eq(all_tables[i].type, (iotnet_enum)i, "%s", all_tables[i].label);
}

/* Parameters are copied into the test process, where pointers of the parent
 * are not valid: the parameter is an index into all_tables. */
static struct criterion_test_params every_table(void)
{
    static size_t indexes[TABLE_COUNT];
    for (size_t i = 0; i < TABLE_COUNT; i++)
        indexes[i] = i;
    return cr_make_param_array(size_t, indexes, TABLE_COUNT);
}

ParameterizedTestParameters(names, enumeration)
{
    return every_table();
}

ParameterizedTestParameters(names, unknown_name_lists_the_valid_ones)
{
    return every_table();
}

static const name_value *table_lookup(const enum_table *t, const char *name)
{
    for (size_t i = 0; i < t->count; i++)
        if (strcmp(t->entries[i].name, name) == 0)
            return &t->entries[i];
    return NULL;
}

ParameterizedTest(size_t *index, names, enumeration)
{
    const enum_table *t = &all_tables[*index];
    /* every name of the module parses to its value and the value prints as it */
    for (size_t i = 0; i < t->count; i++) {
        const name_value *e = &t->entries[i];
        int value = -12345;
        int rc = iotnet_enum_parse(t->type, e->name, &value);
        cr_assert_eq(rc, 0, "%s: \"%s\" refused: %s", t->label, e->name,
                     iotnet_error_last()->message);
        cr_assert_eq(value, e->value, "%s: \"%s\" is %d, expected %d", t->label, e->name, value,
                     e->value);
        const char *name = iotnet_enum_name(t->type, e->value);
        cr_assert_not_null(name, "%s: no name for %d", t->label, e->value);
        cr_assert_str_eq(name, e->name, "%s", t->label);
    }

    /* every listed entry round-trips and is one of the module's names */
    size_t listed = 0, known = 0;
    for (int i = 0;; i++) {
        int value = -12345;
        const char *name = iotnet_enum_entry(t->type, i, &value);
        if (!name)
            break;
        cr_assert_lt(i, 100, "%s: the entry list does not end", t->label);
        listed++;
        cr_assert_str_eq(iotnet_enum_name(t->type, value), name, "%s entry %d", t->label, i);
        int parsed = -12345;
        expect_ok(iotnet_enum_parse(t->type, name, &parsed));
        cr_assert_eq(parsed, value, "%s: %s", t->label, name);
        for (int j = 0; j < i; j++) {
            int other;
            cr_assert_str_neq(iotnet_enum_entry(t->type, j, &other), name, "%s: %s listed twice",
                              t->label, name);
        }
        const name_value *e = table_lookup(t, name);
        if (e) {
            cr_assert_eq(value, e->value, "%s: %s", t->label, name);
            known++;
        } else {
            cr_assert(t->has_unspecified && value == 0, "%s: \"%s\" (%d) is not in the module",
                      t->label, name, value);
        }
    }
    cr_assert_eq(known, t->count, "%s lists %zu of the module's %zu names", t->label, known,
                 t->count);
    cr_assert_leq(listed, t->count + (t->has_unspecified ? 1 : 0));
}

ParameterizedTest(size_t *index, names, unknown_name_lists_the_valid_ones)
{
    const enum_table *t = &all_tables[*index];
    int value = 777;
    int rc = iotnet_enum_parse(t->type, "no-such-name", &value);
    cr_assert_eq(rc, IOTNET_EINVAL, "%s: %d", t->label, rc);
    cr_assert_eq(iotnet_error_last()->code, IOTNET_EINVAL);
    const char *msg = iotnet_error_last()->message;
    cr_assert(strstr(msg, "no-such-name"), "%s: \"%s\" does not name the input", t->label, msg);
    for (size_t i = 0; i < t->count; i++)
        cr_assert(strstr(msg, t->entries[i].name), "%s: \"%s\" does not list %s", t->label, msg,
                  t->entries[i].name);
    cr_assert_eq(iotnet_enum_parse(t->type, NULL, &value), IOTNET_EINVAL);
    cr_assert_eq(iotnet_enum_parse(t->type, "", &value), IOTNET_EINVAL);
}

typedef struct spot_check {
    iotnet_enum type;
    char name[32];
    int value;
} spot_check;

ParameterizedTestParameters(names, yang_spellings)
{
    static spot_check cases[] = {
        {IOTNET_ENUM_TRANSPORT, "tls1.3", IOTNET_TRANSPORT_TLS1_3},
        {IOTNET_ENUM_TRANSPORT, "dtls1.2", IOTNET_TRANSPORT_DTLS1_2},
        {IOTNET_ENUM_NAT_TRAVERSAL, "hole-punch", IOTNET_TRAVERSAL_HOLE_PUNCH},
        {IOTNET_ENUM_NAT_FILTERING, "address-and-port-dependent", IOTNET_NAT_FILTER_APD},
        {IOTNET_ENUM_NAT_MAPPING, "endpoint-independent", IOTNET_NAT_MAPPING_EI},
        {IOTNET_ENUM_AUTH, "default-password", IOTNET_AUTH_DEFAULT_PASSWORD},
        {IOTNET_ENUM_MEDIUM, "5g", IOTNET_MEDIUM_5G},
        {IOTNET_ENUM_LINK_ENCRYPTION, "link-layer", IOTNET_LINKENC_LINK_LAYER},
        {IOTNET_ENUM_RESET, "vendor-cloud", IOTNET_RESET_VENDOR_CLOUD},
        {IOTNET_ENUM_PROTOCOL, "sctp", IOTNET_PROTO_SCTP},
    };
    return cr_make_param_array(spot_check, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(spot_check *p, names, yang_spellings)
{
    int value = -1;
    expect_ok(iotnet_enum_parse(p->type, p->name, &value));
    cr_assert_eq(value, p->value, "%s", p->name);
    cr_assert_str_eq(iotnet_enum_name(p->type, p->value), p->name);
}

Test(names, names_are_exact)
{
    int value;
    cr_assert_eq(iotnet_enum_parse(IOTNET_ENUM_TRANSPORT, "TLS1.3", &value), IOTNET_EINVAL,
                 "YANG enum names are case-sensitive");
    cr_assert_eq(iotnet_enum_parse(IOTNET_ENUM_TRANSPORT, "tls1.3 ", &value), IOTNET_EINVAL);
    cr_assert_eq(iotnet_enum_parse(IOTNET_ENUM_TRANSPORT, "tls", &value), IOTNET_EINVAL,
                 "a prefix is not a name");
    cr_assert_eq(iotnet_enum_parse(IOTNET_ENUM_MEDIUM, "tls1.3", &value), IOTNET_EINVAL,
                 "a name of another enumeration");
}

Test(names, out_of_range_queries_return_null)
{
    int value;
    cr_assert_null(iotnet_enum_name(IOTNET_ENUM_PROTOCOL, 2));
    cr_assert_null(iotnet_enum_name(IOTNET_ENUM_PROTOCOL, -1));
    cr_assert_null(iotnet_enum_name(IOTNET_ENUM_ACTION, 99));
    cr_assert_null(iotnet_enum_name(IOTNET_ENUM_COUNT, 0));
    cr_assert_null(iotnet_enum_name((iotnet_enum)-1, 0));
    cr_assert_null(iotnet_enum_entry(IOTNET_ENUM_ACTION, 3, &value));
    cr_assert_null(iotnet_enum_entry(IOTNET_ENUM_ACTION, -1, &value));
    cr_assert_null(iotnet_enum_entry(IOTNET_ENUM_COUNT, 0, &value));
    cr_assert_eq(iotnet_enum_parse(IOTNET_ENUM_COUNT, "tcp", &value), IOTNET_EINVAL);
}
