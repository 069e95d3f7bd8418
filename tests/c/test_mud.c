/* MUD files and profiles: every corpus file loads strictly, leniently or
 * fails naming what it needs; flattened entries of a few files checked by
 * hand; lenient changes and notes; bad inputs; attaching, building by hand,
 * comparing, and profiles kept through save and load. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define MUD_DATA IOTNET_TEST_DIR "/data/mud"
#define FLATTEN MUD_DATA "/good/flatten.json"
#define EXTENSION MUD_DATA "/good/extension.json"
#define EXTENSION_YANG MUD_DATA "/yang"
#define DRAFT_STYLE MUD_DATA "/pre-rfc/draft-style.json"
#define ETH_IN_IPV4 MUD_DATA "/pre-rfc/eth-in-ipv4.json"
#define CORPUS IOTNET_SHARED_DIR "/corpus/mud"
#define HOME IOTNET_MODELS_DIR "/topologies/home.xml"
#define ACLS "/ietf-access-control-list:acls"

static iotnet_net *net;
static iotnet_mud *mud;

static void setup(void)
{
    net = NULL;
    mud = NULL;
    iotnet_error_clear();
}

static void teardown(void)
{
    iotnet_mud_free(mud);
    iotnet_net_free(net);
}

TestSuite(mud, .init = setup, .fini = teardown);

static iotnet_mud *load(const char *path, bool lenient, const char *yang_path)
{
    iotnet_mud_load_options o = IOTNET_MUD_LOAD_OPTIONS_INIT;
    o.lenient = lenient;
    o.yang_path = yang_path;
    iotnet_mud *m = NULL;
    expect_ok(iotnet_mud_load(&m, path, &o));
    cr_assert_not_null(m);
    return m;
}

static int try_load(const char *path, bool lenient, const char *yang_path)
{
    iotnet_mud_load_options o = IOTNET_MUD_LOAD_OPTIONS_INIT;
    o.lenient = lenient;
    o.yang_path = yang_path;
    iotnet_mud *m = NULL;
    int rc = iotnet_mud_load(&m, path, &o);
    cr_assert(rc != 0 || m != NULL);
    cr_assert(rc == 0 || m == NULL, "a failed load returned a profile");
    iotnet_mud_free(m);
    return rc;
}

/* One expected entry, compared field by field. */
typedef struct want_ace {
    const char *acl, *name;
    iotnet_mud_direction policy;
    iotnet_mud_peer peer;
    const char *value;
    int protocol;
    uint16_t sp_lo, sp_hi, dp_lo, dp_hi;
    iotnet_mud_direction initiated;
    iotnet_action action;
} want_ace;

static void expect_ace(const iotnet_mud_ace *got, const want_ace *want, size_t i)
{
    cr_assert_eq(got->version, IOTNET_MUD_ACE_VERSION);
    expect_str(got->acl, want->acl);
    expect_str(got->name, want->name);
    cr_assert_eq(got->policy, want->policy, "entry %zu (%s): policy %d, expected %d", i, want->name, got->policy,
                 want->policy);
    cr_assert_eq(got->peer, want->peer, "entry %zu (%s): peer %d, expected %d", i, want->name, got->peer, want->peer);
    expect_str(got->peer_value, want->value);
    cr_assert_eq(got->protocol, want->protocol, "entry %zu (%s): protocol %d", i, want->name, got->protocol);
    cr_assert(got->src_port_lo == want->sp_lo && got->src_port_hi == want->sp_hi,
              "entry %zu (%s): source ports %u-%u, expected %u-%u", i, want->name, got->src_port_lo,
              got->src_port_hi, want->sp_lo, want->sp_hi);
    cr_assert(got->dst_port_lo == want->dp_lo && got->dst_port_hi == want->dp_hi,
              "entry %zu (%s): destination ports %u-%u, expected %u-%u", i, want->name, got->dst_port_lo,
              got->dst_port_hi, want->dp_lo, want->dp_hi);
    cr_assert_eq(got->initiated, want->initiated, "entry %zu (%s): initiated %d", i, want->name, got->initiated);
    cr_assert_eq(got->action, want->action, "entry %zu (%s): action %d", i, want->name, got->action);
}

static void expect_aces(const iotnet_mud *m, const want_ace *want, size_t n)
{
    cr_assert_eq(iotnet_mud_ace_count(m), n, "%zu entries, expected %zu", iotnet_mud_ace_count(m), n);
    for (size_t i = 0; i < n; i++) {
        iotnet_mud_ace got;
        expect_ok(iotnet_mud_ace_get(m, i, &got));
        expect_ace(&got, &want[i], i);
    }
}

static bool has_line(const iotnet_mud *m, bool notes, const char *needle)
{
    size_t n = notes ? iotnet_mud_note_count(m) : iotnet_mud_change_count(m);
    for (size_t i = 0; i < n; i++)
        if (strstr(notes ? iotnet_mud_note(m, i) : iotnet_mud_change(m, i), needle))
            return true;
    return false;
}

#define F IOTNET_MUD_FROM_DEVICE
#define T IOTNET_MUD_TO_DEVICE
#define ANYDIR IOTNET_MUD_DIRECTION_ANY
#define ACCEPT IOTNET_ACTION_ACCEPT

/* ------------------------------------------------------------------ */
/* The shared corpus, file by file                                     */

typedef struct corpus_case {
    char folder[24];
    char file[96];
} corpus_case;

static void free_corpus_params(struct criterion_test_params *params)
{
    cr_free(params->params);
}

static struct criterion_test_params corpus_params(const char *folder)
{
    size_t cap = 64, n = 0;
    corpus_case *cases = cr_malloc(cap * sizeof *cases);
    char dir[512];
    snprintf(dir, sizeof dir, "%s/%s", CORPUS, folder);
    DIR *d = opendir(dir);
    for (struct dirent *e = d ? readdir(d) : NULL; e && n < cap; e = readdir(d)) {
        size_t len = strlen(e->d_name);
        if (len > 5 && len < sizeof cases[n].file && strcmp(e->d_name + len - 5, ".json") == 0) {
            snprintf(cases[n].folder, sizeof cases[n].folder, "%s", folder);
            memcpy(cases[n].file, e->d_name, len + 1);
            n++;
        }
    }
    if (d)
        closedir(d);
    if (n == 0) { /* no corpus beside the checkout: one case that skips */
        snprintf(cases[0].folder, sizeof cases[0].folder, "%s", folder);
        cases[0].file[0] = '\0';
        n = 1;
    }
    return cr_make_param_array(corpus_case, cases, n, free_corpus_params);
}

static void corpus_path(char *buf, size_t size, const corpus_case *c)
{
    if (!shared_available() || !c->file[0])
        cr_skip_test("the shared MUD corpus (%s) is not beside the checkout", CORPUS);
    snprintf(buf, size, "%s/%s/%s", CORPUS, c->folder, c->file);
}

ParameterizedTestParameters(mud, rfc8520_files_load_strictly)
{
    return corpus_params("rfc8520");
}

ParameterizedTest(corpus_case *c, mud, rfc8520_files_load_strictly)
{
    char path[700];
    corpus_path(path, sizeof path, c);
    mud = load(path, false, NULL);
    cr_assert_gt(iotnet_mud_ace_count(mud), 0, "%s has no entries", c->file);
    cr_assert_eq(iotnet_mud_change_count(mud), 0);
    iotnet_mud_info info;
    expect_ok(iotnet_mud_get_info(mud, &info));
    cr_assert(info.mud_url && strncmp(info.mud_url, "https://", 8) == 0, "mud-url %s", info.mud_url);
    cr_assert_neq(info.is_supported, IOTNET_UNKNOWN);
    /* a lenient load of an RFC file changes nothing */
    iotnet_mud *again = load(path, true, NULL);
    cr_assert_eq(iotnet_mud_change_count(again), 0);
    cr_assert_eq(iotnet_mud_ace_count(again), iotnet_mud_ace_count(mud));
    iotnet_mud_free(again);
}

ParameterizedTestParameters(mud, pre_rfc_files_need_lenient)
{
    return corpus_params("pre-rfc");
}

ParameterizedTest(corpus_case *c, mud, pre_rfc_files_need_lenient)
{
    char path[700];
    corpus_path(path, sizeof path, c);
    expect_error(try_load(path, false, NULL), IOTNET_EVALIDATION, "pre-RFC 8519 construct");
    cr_assert(strstr(iotnet_error_last()->message, "ietf-access-control-list:access-lists"),
              "%s", iotnet_error_last()->message);
    expect_str(iotnet_error_last()->file, path);
    cr_assert_gt(iotnet_error_last()->line, 0);
    expect_str(iotnet_error_last()->path, "/ietf-access-control-list:access-lists");
    mud = load(path, true, NULL);
    cr_assert_gt(iotnet_mud_ace_count(mud), 0);
    cr_assert(has_line(mud, false, "renamed ietf-access-control-list:access-lists to ietf-access-control-list:acls"));
    for (size_t i = 0; i < iotnet_mud_change_count(mud); i++)
        cr_assert(strchr(iotnet_mud_change(mud, i), '\n') == NULL);
}

ParameterizedTestParameters(mud, extension_files_name_the_module)
{
    return corpus_params("needs-extension");
}

ParameterizedTest(corpus_case *c, mud, extension_files_name_the_module)
{
    static const char *const modules[] = {"mud-directed-broadcasts", "ietf-mud-reporter-extension", "nist-mud"};
    char path[700];
    corpus_path(path, sizeof path, c);
    expect_error(try_load(path, false, NULL), IOTNET_EVALIDATION, "extension module");
    const char *message = iotnet_error_last()->message;
    bool named = false;
    for (size_t i = 0; i < sizeof modules / sizeof *modules; i++) {
        char quoted[128];
        snprintf(quoted, sizeof quoted, "\"%s\"", modules[i]);
        named = named || strstr(message, quoted);
    }
    cr_assert(named, "no extension module named in: %s", message);
    cr_assert(strstr(message, "yang_path"), "%s", message);
    cr_assert_gt(iotnet_error_last()->line, 0);
}

/* ------------------------------------------------------------------ */
/* Entries worked out by hand                                          */

Test(mud, cisco_luminaire_by_hand)
{
    if (!shared_available())
        cr_skip_test("the shared MUD corpus is not beside the checkout");
    mud = load(CORPUS "/rfc8520/cisco-luminaire-150.json", false, NULL);
    static const want_ace want[] = {
        {"mud-21966-v4fr", "cl0-frdev", F, IOTNET_MUD_PEER_DNSNAME, "fw-update.luminaire.example.com",
         IOTNET_PROTO_TCP, 0, 0, 443, 443, F, ACCEPT},
        {"mud-21966-v4fr", "myctl0-frdev", F, IOTNET_MUD_PEER_MY_CONTROLLER, NULL, IOTNET_PROTO_UDP, 0, 0, 5684,
         5684, ANYDIR, ACCEPT},
        {"mud-21966-v4fr", "loc0-frdev", F, IOTNET_MUD_PEER_LOCAL_NETWORKS, NULL, IOTNET_PROTO_UDP, 0, 0, 5683, 5683,
         ANYDIR, ACCEPT},
        {"mud-21966-v4to", "cl0-todev", T, IOTNET_MUD_PEER_DNSNAME, "fw-update.luminaire.example.com",
         IOTNET_PROTO_TCP, 443, 443, 0, 0, F, ACCEPT},
        {"mud-21966-v4to", "myctl0-todev", T, IOTNET_MUD_PEER_MY_CONTROLLER, NULL, IOTNET_PROTO_UDP, 5684, 5684, 0,
         0, ANYDIR, ACCEPT},
        {"mud-21966-v4to", "loc0-todev", T, IOTNET_MUD_PEER_LOCAL_NETWORKS, NULL, IOTNET_PROTO_UDP, 5683, 5683, 0, 0,
         ANYDIR, ACCEPT},
    };
    expect_aces(mud, want, sizeof want / sizeof *want);
    iotnet_mud_info info;
    expect_ok(iotnet_mud_get_info(mud, &info));
    expect_str(info.mud_url, "https://luminaire.example.com/Luminaire_150");
    expect_str(info.last_update, "2018-06-29T19:50:19+02:00"); /* as written */
    expect_str(info.systeminfo, "MUD-enabled Luminaire");
    cr_assert_eq(info.cache_validity, 48);
    cr_assert_eq(info.is_supported, IOTNET_YES);
    cr_assert_eq(iotnet_mud_note_count(mud), 0);
}

Test(mud, nist_sensor_by_hand)
{
    if (!shared_available())
        cr_skip_test("the shared MUD corpus is not beside the checkout");
    mud = load(CORPUS "/rfc8520/nist-mudfile-sensor.json", false, NULL);
    cr_assert_eq(iotnet_mud_ace_count(mud), 14);
    /* from-device entries first, in the order of their ACL */
    static const want_ace want[] = {
        {"mud-31931-v4fr", "cl0-frdev", F, IOTNET_MUD_PEER_DNSNAME, "www.nist.local", IOTNET_PROTO_TCP, 0, 0, 443,
         443, F, ACCEPT},
        {"mud-31931-v4fr", "ent0-frdev", F, IOTNET_MUD_PEER_CONTROLLER, "https://controller.nist.local",
         IOTNET_PROTO_TCP, 0, 0, 8080, 8080, F, ACCEPT},
        {"mud-31931-v4fr", "myctl0-frdev", F, IOTNET_MUD_PEER_MY_CONTROLLER, NULL, IOTNET_PROTO_UDP, 0, 0, 4000,
         4000, ANYDIR, ACCEPT},
        /* a server on port 80 that local devices open connections to */
        {"mud-31931-v4fr", "loc0-frdev", F, IOTNET_MUD_PEER_LOCAL_NETWORKS, NULL, IOTNET_PROTO_TCP, 80, 80, 0, 0, T,
         ACCEPT},
        {"mud-31931-v4fr", "loc1-frdev", F, IOTNET_MUD_PEER_LOCAL_NETWORKS, NULL, IOTNET_PROTO_TCP, 0, 0, 888, 888,
         F, ACCEPT},
        {"mud-31931-v4fr", "man0-frdev", F, IOTNET_MUD_PEER_MANUFACTURER, "otherman.nist.local", IOTNET_PROTO_TCP, 0,
         0, 800, 800, F, ACCEPT},
        {"mud-31931-v4fr", "myman0-frdev", F, IOTNET_MUD_PEER_SAME_MANUFACTURER, NULL, IOTNET_PROTO_TCP, 0, 0, 8888,
         8888, ANYDIR, ACCEPT},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        iotnet_mud_ace got;
        expect_ok(iotnet_mud_ace_get(mud, i, &got));
        expect_ace(&got, &want[i], i);
    }
    iotnet_mud_ace last;
    expect_ok(iotnet_mud_ace_get(mud, 13, &last));
    want_ace myman = {"mud-31931-v4to", "myman0-todev", T, IOTNET_MUD_PEER_SAME_MANUFACTURER, NULL,
                      IOTNET_PROTO_TCP, 8888, 8888, 0, 0, ANYDIR, ACCEPT};
    expect_ace(&last, &myman, 13);
    expect_error(iotnet_mud_ace_get(mud, 14, &last), IOTNET_ENOTFOUND, "no entry number 14");
}

Test(mud, lifx_bulb_leniently_by_hand)
{
    if (!shared_available())
        cr_skip_test("the shared MUD corpus is not beside the checkout");
    mud = load(CORPUS "/pre-rfc/unsw-lifxbulbMud.json", true, NULL);
    cr_assert_eq(iotnet_mud_ace_count(mud), 16);
    cr_assert_eq(iotnet_mud_change_count(mud), 6);
    iotnet_mud_ace a;
    expect_ok(iotnet_mud_ace_get(mud, 0, &a));
    want_ace ntp = {"from-ipv4-lifxbulb", "from-ipv4-lifxbulb-0", F, IOTNET_MUD_PEER_DNSNAME, "pool.ntp.org",
                    IOTNET_PROTO_UDP, 0, 0, 123, 123, ANYDIR, ACCEPT};
    expect_ace(&a, &ntp, 0);
    expect_ok(iotnet_mud_ace_get(mud, 7, &a));
    want_ace dns = {"from-ipv4-lifxbulb", "from-ipv4-lifxbulb-7", F, IOTNET_MUD_PEER_CIDR, "8.8.8.8/32",
                    IOTNET_PROTO_UDP, 0, 0, 53, 53, ANYDIR, ACCEPT};
    expect_ace(&a, &dns, 7);
    /* ICMPv6 to the local network, from the IPv6 ACL */
    expect_ok(iotnet_mud_ace_get(mud, 8, &a));
    want_ace icmp6 = {"from-ipv6-lifxbulb", "from-ipv6-lifxbulb-0", F, IOTNET_MUD_PEER_LOCAL_NETWORKS, NULL,
                      IOTNET_PROTO_ICMP, 0, 0, 0, 0, ANYDIR, ACCEPT};
    expect_ace(&a, &icmp6, 8);
    expect_ok(iotnet_mud_ace_get(mud, 9, &a));
    want_ace broker = {"to-ipv4-lifxbulb", "to-ipv4-lifxbulb-0", T, IOTNET_MUD_PEER_DNSNAME, "v2.broker.lifx.co",
                       IOTNET_PROTO_TCP, 56700, 56700, 0, 0, ANYDIR, ACCEPT};
    expect_ace(&a, &broker, 9);
    cr_assert(has_line(mud, false, "identity ethernet-acl-type at " ACLS "/acl[name='from-ethernet-lifxbulb']/type"
                                   " written as eth-acl-type"));
    cr_assert(has_line(mud, true, "ethertype 0x888e is not IP"));
}

Test(mud, every_flattening_rule)
{
    mud = load(FLATTEN, false, NULL);
    static const want_ace want[] = {
        /* neq 22: below and above */
        {"fr-a", "neq-ssh", F, IOTNET_MUD_PEER_CIDR, "192.0.2.0/24", IOTNET_PROTO_TCP, 0, 0, 0, 21, ANYDIR, ACCEPT},
        {"fr-a", "neq-ssh", F, IOTNET_MUD_PEER_CIDR, "192.0.2.0/24", IOTNET_PROTO_TCP, 0, 0, 23, 65535, ANYDIR,
         ACCEPT},
        {"fr-a", "lte-low", F, IOTNET_MUD_PEER_DNSNAME, "time.example.com", IOTNET_PROTO_UDP, 0, 0, 0, 1023, ANYDIR,
         ACCEPT},
        {"fr-a", "gte-high", F, IOTNET_MUD_PEER_CONTROLLER, "urn:example:controller", IOTNET_PROTO_TCP, 1024, 65535,
         8000, 8100, ANYDIR, ACCEPT},
        /* igmp is left out */
        {"fr-a", "ping", F, IOTNET_MUD_PEER_SAME_MANUFACTURER, NULL, IOTNET_PROTO_ICMP, 0, 0, 0, 0, ANYDIR, ACCEPT},
        {"fr-a", "other-model", F, IOTNET_MUD_PEER_MODEL, "https://devices.example.com/other-model",
         IOTNET_PROTO_UDP, 0, 0, 5683, 5683, ANYDIR, IOTNET_ACTION_REJECT},
        {"fr-a", "drop-rest", F, IOTNET_MUD_PEER_ANY, NULL, IOTNET_PROTO_ANY, 0, 0, 0, 0, ANYDIR,
         IOTNET_ACTION_DROP},
        {"to-a", "ntp-reply", T, IOTNET_MUD_PEER_DNSNAME, "time.example.com", IOTNET_PROTO_UDP, 123, 123, 0, 0,
         ANYDIR, ACCEPT},
        /* dst-dnsname of a to-device entry is the device's own name */
        {"to-a", "own-side", T, IOTNET_MUD_PEER_ANY, NULL, IOTNET_PROTO_TCP, 0, 0, 80, 80, T, ACCEPT},
        /* port-zero is left out, and so is the ACL no policy names */
    };
    expect_aces(mud, want, sizeof want / sizeof *want);
    cr_assert_eq(iotnet_mud_note_count(mud), 6);
    cr_assert(has_line(mud, true, ACLS "/acl[name='fr-a']/aces/ace[name='neq-ssh']: neq on a port"));
    cr_assert(has_line(mud, true, ACLS "/acl[name='fr-a']/aces/ace[name='igmp']: protocol 2 is not modelled"));
    cr_assert(has_line(mud, true, ACLS "/acl[name='fr-a']/aces/ace[name='ping']: ICMP fields type, code"));
    cr_assert(has_line(mud, true, "ace[name='own-side']: dst-dnsname ft-1.devices.example.com names the device's own"));
    cr_assert(has_line(mud, true, "ace[name='port-zero']: the destination port matches port 0 only"));
    cr_assert(has_line(mud, true, ACLS "/acl[name='unused']: no policy of the device names this ACL"));
    iotnet_mud_info info;
    expect_ok(iotnet_mud_get_info(mud, &info));
    cr_assert_eq(info.version, IOTNET_MUD_INFO_VERSION);
    expect_str(info.mud_url, "https://devices.example.com/flatten-test");
    expect_str(info.last_update, "2026-11-30T10:00:00+01:00");
    expect_str(info.mfg_name, "Example Devices");
    expect_str(info.model_name, "FT-1");
    expect_str(info.documentation, "https://devices.example.com/ft-1");
    cr_assert_eq(info.cache_validity, 0, "cache-validity was not stated (the module's default is not a statement)");
    cr_assert_eq(info.is_supported, IOTNET_NO);
}

/* ------------------------------------------------------------------ */
/* Lenient loading and extension modules                               */

Test(mud, lenient_changes_are_listed)
{
    expect_error(try_load(DRAFT_STYLE, false, NULL), IOTNET_EVALIDATION, "4 more pre-RFC constructs follow");
    cr_assert_eq(iotnet_error_last()->line, 19);
    mud = load(DRAFT_STYLE, true, NULL);
    static const char *const changes[] = {
        "renamed ietf-access-control-list:access-lists to ietf-access-control-list:acls",
        "ethertype \"0x0800\" at " ACLS "/acl[name='from-ipv4']/aces/ace[name='dhcp']/matches/eth/ethertype "
        "written as 2048",
        "network \"2001:db8:0:0:0:0:0:53\" at " ACLS "/acl[name='from-ipv6']/aces/ace[name='dns6']/matches/ipv6/"
        "destination-ipv6-network written as 2001:db8:0:0:0:0:0:53/128 (a host address needs a prefix length)",
        "identity ethernet-acl-type at " ACLS "/acl[name='from-ethernet']/type written as eth-acl-type",
        "ethertype \"0x88cc\" at " ACLS "/acl[name='from-ethernet']/aces/ace[name='lldp']/matches/eth/ethertype "
        "written as 35020",
    };
    cr_assert_eq(iotnet_mud_change_count(mud), sizeof changes / sizeof *changes);
    for (size_t i = 0; i < sizeof changes / sizeof *changes; i++)
        expect_str(iotnet_mud_change(mud, i), changes[i]);
    cr_assert_null(iotnet_mud_change(mud, 99));
    /* what is left: DHCP to the local network; IPv6 network and LLDP are not modelled */
    static const want_ace want[] = {
        {"from-ipv4", "dhcp", F, IOTNET_MUD_PEER_LOCAL_NETWORKS, NULL, IOTNET_PROTO_UDP, 0, 0, 67, 67, ANYDIR,
         ACCEPT},
    };
    expect_aces(mud, want, 1);
    cr_assert(has_line(mud, true, "the peer is the IPv6 network 2001:db8::53/128"));
    cr_assert(has_line(mud, true, "ethertype 0x88cc is not IP"));
    cr_assert(has_line(mud, true, "destination-ipv4-network 255.255.255.255/32 is ignored"));
    iotnet_mud_info info;
    expect_ok(iotnet_mud_get_info(mud, &info));
    expect_str(info.last_update, "2018-04-01T12:00:00+10:00");
    cr_assert_eq(info.cache_validity, 100);
}

/* Ethernet matches in an IPv4 ACL pass RFC 8519 only when some ACL has an Ethernet type */
Test(mud, mixed_acls_are_retyped_only_when_needed)
{
    expect_error(try_load(ETH_IN_IPV4, false, NULL), IOTNET_EVALIDATION, "2 more pre-RFC constructs follow");
    mud = load(ETH_IN_IPV4, true, NULL);
    cr_assert_eq(iotnet_mud_change_count(mud), 3);
    expect_str(iotnet_mud_change(mud, 2), "type ipv4-acl-type at " ACLS "/acl[name='from-ipv4']/type written as "
                                          "mixed-eth-ipv4-acl-type (its entries match on Ethernet headers)");
    cr_assert_eq(iotnet_mud_ace_count(mud), 1);
    iotnet_mud_free(mud);
    /* the draft-style file has an Ethernet ACL: its IPv4 ACL keeps its type */
    mud = load(DRAFT_STYLE, true, NULL);
    cr_assert_not(has_line(mud, false, "mixed-eth-ipv4-acl-type"));
}

Test(mud, missing_extension_module_is_named)
{
    expect_error(try_load(EXTENSION, false, NULL), IOTNET_EVALIDATION,
                 "the file uses the MUD extension module \"example-mud-ext\" (member \"example-mud-ext:labels\")");
    cr_assert(strstr(iotnet_error_last()->message, "yang_path"));
    cr_assert_eq(iotnet_error_last()->line, 9);
    expect_str(iotnet_error_last()->path, "/ietf-mud:mud");
    mud = load(EXTENSION, false, EXTENSION_YANG);
    cr_assert_eq(iotnet_mud_ace_count(mud), 1);
    iotnet_mud_info info;
    expect_ok(iotnet_mud_get_info(mud, &info));
    cr_assert_eq(info.cache_validity, 24);
}

/* ------------------------------------------------------------------ */
/* Bad inputs                                                          */

typedef struct bad_case {
    char file[40];
    int code;
    char needle[80];
    char path[160];
    long line;
} bad_case;

ParameterizedTestParameters(mud, bad_files_are_refused)
{
    static bad_case cases[] = {
        {"malformed.json", IOTNET_EPARSE, "after JSON string", "/ietf-mud:mud", 5},
        {"wrong-type.json", IOTNET_EVALIDATION, "\"two days\"", "/ietf-mud:mud/cache-validity", 6},
        {"missing-mud-url.json", IOTNET_EVALIDATION, "Mandatory node \"mud-url\"", "/ietf-mud:mud/mud-url", 0},
        {"dangling-acl.json", IOTNET_EVALIDATION, "\"nowhere\"",
         "/ietf-mud:mud/from-device-policy/access-lists/access-list[name='nowhere']/name", 0},
        {"not-mud.json", IOTNET_EVALIDATION, "not a MUD file", "/ietf-mud:mud", 0},
        {"trailing-text.json", IOTNET_EPARSE, "\"{\"ietf-mud:mud\": {}}\" after the end of the JSON document", "",
         298},
        {"port-range-reversed.json", IOTNET_EVALIDATION, "lower-port is greater than upper-port",
         ACLS "/acl[name='out']/aces/ace[name='backwards']/matches/tcp/destination-port/lower-port", 0},
    };
    return cr_make_param_array(bad_case, cases, sizeof cases / sizeof *cases);
}

ParameterizedTest(bad_case *c, mud, bad_files_are_refused)
{
    char path[512];
    snprintf(path, sizeof path, "%s/bad/%s", MUD_DATA, c->file);
    for (int lenient = 0; lenient <= 1; lenient++) {
        iotnet_error_clear();
        expect_error(try_load(path, lenient, NULL), c->code, c->needle);
        const iotnet_error *e = iotnet_error_last();
        expect_str(e->file, path);
        cr_assert(strstr(e->message, path) == e->message, "the message does not start with the file: %s",
                  e->message);
        expect_str(e->path, c->path[0] ? c->path : NULL);
        cr_assert_eq(e->line, c->line, "line %ld, expected %ld (%s)", e->line, c->line, e->message);
    }
}

typedef struct text_case {
    char text[160];
    int code;
    char needle[80];
} text_case;

ParameterizedTestParameters(mud, bad_texts_are_refused)
{
    static text_case cases[] = {
        {"", IOTNET_EPARSE, "empty input, expected a MUD file in JSON"},
        {"  \n\t ", IOTNET_EPARSE, "empty input"},
        {"<mud xmlns=\"urn:ietf:params:xml:ns:yang:ietf-mud\"/>", IOTNET_EPARSE, "not XML"},
        {"[1, 2]", IOTNET_EPARSE, "top-level JSON object"},
        {"{}", IOTNET_EVALIDATION, "not a MUD file"},
        {"{\"ietf-mud:mud\": 7}", IOTNET_EPARSE, "name/object"},
        {"{\"ietf-mud:mud\": {\"mud-url\": \"https://x.example/y\"", IOTNET_EPARSE, ""},
        {"{\"iotnet-topology:topology\": {}}", IOTNET_EVALIDATION, "iotnet-topology"},
    };
    return cr_make_param_array(text_case, cases, sizeof cases / sizeof *cases);
}

ParameterizedTest(text_case *c, mud, bad_texts_are_refused)
{
    iotnet_mud *m = NULL;
    expect_error(iotnet_mud_loads(&m, c->text, strlen(c->text), "inline", NULL), c->code, c->needle);
    cr_assert_null(m);
    expect_str(iotnet_error_last()->file, "inline");
}

Test(mud, nul_byte_and_size_limit)
{
    static const char text[] = "{\"ietf-mud:mud\": {}}\n\0";
    expect_error(iotnet_mud_loads(&mud, text, sizeof text - 1, "nul", NULL), IOTNET_EPARSE, "nul:2: NUL byte");
    iotnet_mud_load_options o = IOTNET_MUD_LOAD_OPTIONS_INIT;
    o.max_bytes = 100;
    expect_error(iotnet_mud_load(&mud, FLATTEN, &o), IOTNET_EINVAL, "more than the limit of 100 bytes");
    expect_error(iotnet_mud_loads(&mud, text, 200, "big", &o), IOTNET_EINVAL, "200 bytes");
    cr_assert_null(mud);
}

Test(mud, bad_arguments)
{
    iotnet_mud_load_options o = IOTNET_MUD_LOAD_OPTIONS_INIT;
    expect_error(iotnet_mud_load(NULL, FLATTEN, NULL), IOTNET_EINVAL, "out is NULL");
    expect_error(iotnet_mud_load(&mud, NULL, NULL), IOTNET_EINVAL, "path is NULL");
    expect_error(iotnet_mud_loads(&mud, NULL, 3, NULL, NULL), IOTNET_EINVAL, "data is NULL");
    o.version = 99;
    expect_error(iotnet_mud_load(&mud, FLATTEN, &o), IOTNET_EINVAL, "version 99");
    expect_error(iotnet_mud_load(&mud, MUD_DATA "/no-such-file.json", NULL), IOTNET_EIO, "no-such-file.json");
    cr_assert_null(mud);
    iotnet_mud_info info;
    iotnet_mud_ace ace;
    expect_error(iotnet_mud_get_info(NULL, &info), IOTNET_EINVAL, "required");
    expect_error(iotnet_mud_ace_get(NULL, 0, &ace), IOTNET_EINVAL, "required");
    cr_assert_eq(iotnet_mud_ace_count(NULL), 0);
    cr_assert_eq(iotnet_mud_change_count(NULL), 0);
    cr_assert_eq(iotnet_mud_note_count(NULL), 0);
    cr_assert_null(iotnet_mud_change(NULL, 0));
    cr_assert_null(iotnet_mud_note(NULL, 0));
    iotnet_mud_free(NULL);
}

Test(mud, loads_from_memory_like_a_file)
{
    char *text = NULL;
    FILE *f = fopen(FLATTEN, "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    rewind(f);
    text = malloc((size_t)len);
    cr_assert_eq(fread(text, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    /* not NUL-terminated */
    expect_ok(iotnet_mud_loads(&mud, text, (size_t)len, "memory", NULL));
    free(text);
    cr_assert_eq(iotnet_mud_ace_count(mud), 9);
}

/* ------------------------------------------------------------------ */
/* Profiles of nodes                                                   */

static iotnet_index add_device(iotnet_net *n, const char *id, const char *mud_url)
{
    iotnet_node_spec spec = IOTNET_NODE_SPEC_INIT;
    spec.id = id;
    spec.kind = "thermostat";
    spec.mud_url = mud_url;
    iotnet_index ix;
    expect_ok(iotnet_node_add(n, &ix, &spec));
    return ix;
}

Test(mud, attach_copies_and_sets_the_mud_url)
{
    expect_ok(iotnet_net_new(&net));
    iotnet_index dev = add_device(net, "thermo", NULL);
    cr_assert_not(iotnet_node_mud_exists(net, dev));
    iotnet_mud *m = load(FLATTEN, false, NULL);
    expect_ok(iotnet_node_mud_attach(net, dev, m));
    iotnet_mud_free(m); /* the model holds a copy */
    cr_assert(iotnet_node_mud_exists(net, dev));
    iotnet_node_spec spec;
    expect_ok(iotnet_node_get(net, dev, &spec));
    expect_str(spec.mud_url, "https://devices.example.com/flatten-test");
    cr_assert_eq(iotnet_node_mud_ace_count(net, dev), 9);
    iotnet_mud_info info;
    expect_ok(iotnet_node_mud_info(net, dev, &info));
    expect_str(info.model_name, "FT-1");
    iotnet_mud_ace ace;
    expect_ok(iotnet_node_mud_ace_get(net, dev, 3, &ace));
    expect_str(ace.name, "gte-high");
    expect_str(ace.peer_value, "urn:example:controller");
    cr_assert_eq(ace.src_port_lo, 1024);
    expect_error(iotnet_node_mud_ace_get(net, dev, 9, &ace), IOTNET_ENOTFOUND, "no MUD entry number 9");
    expect_error(iotnet_node_mud_ace_get(net, dev, 0, NULL), IOTNET_EINVAL, "no MUD entry");

    /* attaching again replaces the profile */
    mud = load(EXTENSION, false, EXTENSION_YANG);
    expect_ok(iotnet_node_mud_attach(net, dev, mud));
    cr_assert_eq(iotnet_node_mud_ace_count(net, dev), 1);
    expect_ok(iotnet_node_get(net, dev, &spec));
    expect_str(spec.mud_url, "https://devices.example.com/labelled");

    /* detaching keeps the node's MUD URL */
    expect_ok(iotnet_node_mud_detach(net, dev));
    cr_assert_not(iotnet_node_mud_exists(net, dev));
    cr_assert_eq(iotnet_node_mud_ace_count(net, dev), 0);
    expect_error(iotnet_node_mud_detach(net, dev), IOTNET_ENOTFOUND, "has no MUD profile");
    expect_error(iotnet_node_mud_info(net, dev, &info), IOTNET_ENOTFOUND, "has no MUD profile");
    expect_ok(iotnet_node_get(net, dev, &spec));
    expect_str(spec.mud_url, "https://devices.example.com/labelled");
    cr_assert_gt(iotnet_net_memory(net), 0);
}

Test(mud, attach_failures_change_nothing)
{
    expect_ok(iotnet_net_new(&net));
    iotnet_index dev = add_device(net, "thermo", "https://devices.example.com/thermo");
    mud = load(FLATTEN, false, NULL);
    iotnet_net *copy = NULL;
    expect_ok(iotnet_net_new(&copy));
    add_device(copy, "thermo", "https://devices.example.com/thermo");
    expect_error(iotnet_node_mud_attach(net, 42, mud), IOTNET_ENOTFOUND, "42");
    expect_error(iotnet_node_mud_attach(net, dev, NULL), IOTNET_EINVAL, "mud is required");
    expect_error(iotnet_node_mud_attach(NULL, dev, mud), IOTNET_EINVAL, "net");
    expect_models_equal(net, copy);
    cr_assert_not(iotnet_node_mud_exists(net, dev));
    /* a removed node cannot get one */
    iotnet_index gone = add_device(net, "gone", NULL);
    expect_ok(iotnet_node_remove(net, gone));
    expect_error(iotnet_node_mud_attach(net, gone, mud), IOTNET_ENOTFOUND, "");
    expect_models_equal(net, copy);
    iotnet_net_free(copy);
}

Test(mud, equal_sees_profiles)
{
    iotnet_net *other = NULL;
    expect_ok(iotnet_net_new(&net));
    expect_ok(iotnet_net_new(&other));
    iotnet_index a = add_device(net, "thermo", NULL), b = add_device(other, "thermo", NULL);
    mud = load(FLATTEN, false, NULL);
    expect_ok(iotnet_node_mud_attach(net, a, mud));
    expect_models_differ(net, other, "node \"thermo\" differs in its fields"); /* the MUD URL came with it */
    iotnet_node_spec spec;
    expect_ok(iotnet_node_get(net, a, &spec));
    expect_ok(iotnet_node_update(other, b, &spec));
    expect_models_differ(net, other, "having a MUD profile");
    expect_ok(iotnet_node_mud_attach(other, b, mud));
    expect_models_equal(net, other);
    iotnet_mud_ace extra = IOTNET_MUD_ACE_INIT;
    extra.name = "one-more";
    expect_ok(iotnet_node_mud_add_ace(other, b, &extra));
    expect_models_differ(net, other, "its MUD profile");
    expect_ok(iotnet_node_mud_add_ace(net, a, &extra));
    expect_models_equal(net, other);
    iotnet_net_free(other);
}

Test(mud, add_ace_builds_a_profile)
{
    expect_ok(iotnet_net_new(&net));
    iotnet_index bare = add_device(net, "bare", NULL);
    iotnet_index dev = add_device(net, "thermo", "https://devices.example.com/thermo");
    iotnet_mud_ace ace = IOTNET_MUD_ACE_INIT;
    ace.acl = "hand";
    ace.name = "cloud";
    ace.peer = IOTNET_MUD_PEER_DNSNAME;
    ace.peer_value = "cloud.example.com";
    ace.protocol = IOTNET_PROTO_TCP;
    ace.dst_port_lo = ace.dst_port_hi = 443;
    ace.initiated = IOTNET_MUD_FROM_DEVICE;
    expect_error(iotnet_node_mud_add_ace(net, bare, &ace), IOTNET_EINVAL, "node \"bare\" has no MUD URL");
    cr_assert_not(iotnet_node_mud_exists(net, bare));
    expect_ok(iotnet_node_mud_add_ace(net, dev, &ace));
    iotnet_mud_info info;
    expect_ok(iotnet_node_mud_info(net, dev, &info));
    expect_str(info.mud_url, "https://devices.example.com/thermo");
    cr_assert_eq(info.is_supported, IOTNET_UNKNOWN);
    cr_assert_eq(info.cache_validity, 0);
    cr_assert_null(info.last_update);

    /* what a hand-built entry must get right */
    iotnet_mud_ace bad = ace;
    bad.peer = IOTNET_MUD_PEER_CIDR;
    bad.peer_value = "10.0.0.0/33";
    expect_error(iotnet_node_mud_add_ace(net, dev, &bad), IOTNET_EINVAL, "entry \"cloud\": peer");
    bad.peer_value = NULL;
    expect_error(iotnet_node_mud_add_ace(net, dev, &bad), IOTNET_EINVAL, "a cidr peer needs a value");
    bad.peer = IOTNET_MUD_PEER_LOCAL_NETWORKS;
    bad.peer_value = "x";
    expect_error(iotnet_node_mud_add_ace(net, dev, &bad), IOTNET_EINVAL, "takes no value");
    bad = ace;
    bad.name = "";
    expect_error(iotnet_node_mud_add_ace(net, dev, &bad), IOTNET_EINVAL, "needs a name");
    bad = ace;
    bad.policy = IOTNET_MUD_DIRECTION_ANY;
    expect_error(iotnet_node_mud_add_ace(net, dev, &bad), IOTNET_EINVAL, "policy must be from-device or to-device");
    bad = ace;
    bad.protocol = 2;
    expect_error(iotnet_node_mud_add_ace(net, dev, &bad), IOTNET_EINVAL, "protocol 2");
    bad = ace;
    bad.src_port_lo = 10;
    bad.src_port_hi = 5;
    expect_error(iotnet_node_mud_add_ace(net, dev, &bad), IOTNET_EINVAL, "port range 10-5 is empty");
    bad = ace;
    bad.action = 0;
    expect_error(iotnet_node_mud_add_ace(net, dev, &bad), IOTNET_EINVAL, "action 0");
    bad = ace;
    bad.peer = 99;
    expect_error(iotnet_node_mud_add_ace(net, dev, &bad), IOTNET_EINVAL, "peer 99");
    bad = ace;
    bad.version = 7;
    expect_error(iotnet_node_mud_add_ace(net, dev, &bad), IOTNET_EINVAL, "version 7");
    expect_error(iotnet_node_mud_add_ace(net, dev, NULL), IOTNET_EINVAL, "an entry is required");
    expect_error(iotnet_node_mud_add_ace(net, 77, &ace), IOTNET_ENOTFOUND, "77");
    cr_assert_eq(iotnet_node_mud_ace_count(net, dev), 1, "a refused entry was kept");

    iotnet_mud_ace back;
    expect_ok(iotnet_node_mud_ace_get(net, dev, 0, &back));
    want_ace want = {"hand", "cloud", F, IOTNET_MUD_PEER_DNSNAME, "cloud.example.com", IOTNET_PROTO_TCP, 0, 0, 443,
                     443, F, ACCEPT};
    expect_ace(&back, &want, 0);
}

Test(mud, removing_a_node_drops_its_profile)
{
    expect_ok(iotnet_net_new(&net));
    iotnet_index dev = add_device(net, "thermo", NULL);
    mud = load(FLATTEN, false, NULL);
    expect_ok(iotnet_node_mud_attach(net, dev, mud));
    expect_ok(iotnet_node_remove(net, dev));
    cr_assert_not(iotnet_node_mud_exists(net, dev));
    cr_assert_eq(iotnet_node_mud_ace_count(net, dev), 0);
    iotnet_index again = add_device(net, "thermo", NULL);
    cr_assert_not(iotnet_node_mud_exists(net, again));
}

/* ------------------------------------------------------------------ */
/* Saved with the model                                                */

static iotnet_net *reload(const iotnet_net *n, iotnet_format format)
{
    iotnet_save_options so = IOTNET_SAVE_OPTIONS_INIT;
    so.format = format;
    char *text = NULL;
    expect_ok(iotnet_net_save_data(n, &text, &so));
    iotnet_load_options lo = IOTNET_LOAD_OPTIONS_INIT;
    lo.format = format;
    iotnet_net *back = NULL;
    expect_ok(iotnet_net_load_data(&back, text, strlen(text), "saved", &lo));
    iotnet_string_free(text);
    return back;
}

Test(mud, profiles_survive_save_and_load)
{
    expect_ok(iotnet_net_load(&net, HOME, NULL));
    iotnet_index thermo, cam, speaker;
    expect_ok(iotnet_node_find(net, &thermo, "thermostat"));
    expect_ok(iotnet_node_find(net, &cam, "cam-garden"));
    expect_ok(iotnet_node_find(net, &speaker, "speaker"));
    mud = load(FLATTEN, false, NULL);
    expect_ok(iotnet_node_mud_attach(net, thermo, mud));
    iotnet_mud *draft = load(DRAFT_STYLE, true, NULL);
    expect_ok(iotnet_node_mud_attach(net, cam, draft));
    iotnet_mud_free(draft);
    /* a hand-built profile whose URL stays apart from the node's own */
    iotnet_node_spec spec;
    expect_ok(iotnet_node_get(net, speaker, &spec));
    if (!spec.mud_url) {
        spec.mud_url = "https://speaker.example.com/mud";
        expect_ok(iotnet_node_update(net, speaker, &spec));
    }
    iotnet_mud_ace ace = IOTNET_MUD_ACE_INIT;
    ace.name = "anything-local";
    ace.policy = IOTNET_MUD_TO_DEVICE;
    ace.peer = IOTNET_MUD_PEER_LOCAL_NETWORKS;
    ace.src_port_lo = 0;
    ace.src_port_hi = 1023;
    expect_ok(iotnet_node_mud_add_ace(net, speaker, &ace));
    for (int f = IOTNET_FORMAT_JSON; f <= IOTNET_FORMAT_XML; f++) {
        iotnet_net *back = reload(net, (iotnet_format)f);
        expect_models_equal(net, back);
        iotnet_index t;
        expect_ok(iotnet_node_find(back, &t, "thermostat"));
        cr_assert_eq(iotnet_node_mud_ace_count(back, t), 9);
        iotnet_mud_info info;
        expect_ok(iotnet_node_mud_info(back, t, &info));
        expect_str(info.last_update, "2026-11-30T10:00:00+01:00");
        cr_assert_eq(info.is_supported, IOTNET_NO);
        iotnet_mud_ace a;
        expect_ok(iotnet_node_mud_ace_get(back, t, 1, &a));
        cr_assert_eq(a.dst_port_lo, 23);
        cr_assert_eq(a.dst_port_hi, 65535);
        iotnet_net_free(back);
    }
}

Test(mud, a_bad_saved_profile_names_its_path)
{
    static const char text[] =
        "{\"iotnet-topology:topology\": {\"node\": [{\"id\": \"d\", \"kind\": \"camera\",\n"
        " \"mud-profile\": {\"mud-url\": \"https://d.example/m\", \"ace\": [\n"
        "  {\"position\": 0, \"policy\": \"from-device\", \"name\": \"x\", \"peer\": \"cidr\",\n"
        "   \"peer-value\": \"not-a-network\", \"action\": \"accept\"}]}}]}}\n";
    expect_error(iotnet_net_load_data(&net, text, strlen(text), "profile.json", NULL), IOTNET_EINVAL,
                 "not-a-network");
    cr_assert(strstr(iotnet_error_last()->path, "/mud-profile/ace[position='0']"), "%s", iotnet_error_last()->path);
    cr_assert_null(net);
    static const char no_url[] = "{\"iotnet-topology:topology\": {\"node\": [{\"id\": \"d\", \"kind\": \"camera\","
                                 " \"mud-profile\": {}}]}}";
    expect_error(iotnet_net_load_data(&net, no_url, strlen(no_url), "no-url.json", NULL), IOTNET_EVALIDATION,
                 "mud-url");
}

Test(mud, empty_match_containers_are_left_out)
{
    /* "ipv4": {} means the same as no ipv4 match; the loader blanks it out
     * before validation (libyang 2.1 mishandles empty containers with a
     * when-condition) and notes it, keeping line numbers */
    for (int lenient = 0; lenient <= 1; lenient++) {
        iotnet_mud *m = NULL;
        iotnet_mud_load_options o = IOTNET_MUD_LOAD_OPTIONS_INIT;
        o.lenient = lenient;
        expect_ok(iotnet_mud_load(&m, MUD_DATA "/good/empty-match.json", &o));
        bool noted = false;
        for (size_t i = 0; i < iotnet_mud_note_count(m); i++)
            noted = noted || strstr(iotnet_mud_note(m, i), "empty \"ipv4\" match at") != NULL;
        cr_assert(noted, "no note about the empty ipv4 match");
        cr_assert_eq(iotnet_mud_change_count(m), 0);
        cr_assert_gt(iotnet_mud_ace_count(m), 0);
        iotnet_mud_free(m);
    }
}

Test(mud, failed_strict_load_of_an_empty_match_frees_its_rewrite)
{
    /* an empty match is blanked out of a copy of the text in strict loads too;
     * when validation then fails, the copy made while looking for pre-RFC
     * constructs is freed (LeakSanitizer in test-c-asan checks) */
    static const char text[] =
        "{\"ietf-mud:mud\": {\"mud-version\": 1, \"mud-url\": \"https://x.example/m\",\n"
        "  \"last-update\": \"2019-01-15T10:22:47+00:00\", \"cache-validity\": \"two days\",\n"
        "  \"is-supported\": true},\n"
        " \"ietf-access-control-list:acls\": {\"acl\": [{\"name\": \"a\", \"type\": \"ipv4-acl-type\",\n"
        "  \"aces\": {\"ace\": [{\"name\": \"e\", \"matches\": {\"ipv4\": {}},\n"
        "   \"actions\": {\"forwarding\": \"accept\"}}]}}]}}\n";
    for (int i = 0; i < 3; i++) {
        iotnet_mud *m = NULL;
        expect_error(iotnet_mud_loads(&m, text, sizeof text - 1, "empty-match-bad.json", NULL), IOTNET_EVALIDATION,
                     "empty-match-bad.json:2: ");
        cr_assert(strstr(iotnet_error_last()->message, "\"two days\""), "%s", iotnet_error_last()->message);
        cr_assert_null(m);
    }
    expect_no_leaks();
}
