/* libFuzzer harness: the text parsers of flows ("tcp/80", "udp/1000-2000",
 * service lists), IPv4 addresses and CIDR prefixes, dates, durations and
 * catalog date values, on any text: each accepts or refuses, never crashes,
 * and what it accepts writes back as text that parses to the same value.
 * The same text is also asked of iotnet_reach() and iotnet_explain() as
 * their service option, on a small model. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_internal.h"
#include "iotnet/iotnet.h"
#include "reach_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

static void flows(const char *text)
{
    int protocol, lo, hi;
    if (iotnet__service_parse(text, strlen(text), &protocol, &lo, &hi) == 0) {
        CHECK(lo >= 0 && lo <= hi && hi <= 65535);
        const char *ports = strchr(text, '/');
        CHECK(!ports || strspn(ports + 1, "0123456789-") == strlen(ports + 1)); /* digits only */
    }
    uint16_t port;
    if (iotnet__probe_parse(text, &protocol, &port) == 0)
        CHECK(protocol == IOTNET_PROTO_ICMP || port > 0);
}

/* A service list in canonical form stays as it is when read again. */
static void service_list(iotnet_net *net, const char *text)
{
    iotnet__str once, twice;
    if (iotnet__services_normalise(net, text, &once) != 0)
        return;
    char *canonical = strdup(iotnet__text(net, once) ? iotnet__text(net, once) : "");
    CHECK(canonical);
    CHECK(iotnet__services_normalise(net, canonical, &twice) == 0);
    CHECK(strcmp(canonical, iotnet__text(net, twice) ? iotnet__text(net, twice) : "") == 0);
    free(canonical);
}

static void address(const char *text)
{
    uint32_t addr, again;
    uint8_t len, again_len;
    if (iotnet_ipv4_parse(&addr, &len, text) != 0)
        return;
    CHECK(len <= 32);
    const char *length = strchr(text, '/');
    CHECK(!length || strspn(length + 1, "0123456789") == strlen(length + 1)); /* digits only */
    char buf[24];
    iotnet_ipv4_format(buf, addr, len);
    CHECK(iotnet_ipv4_parse(&again, &again_len, buf) == 0 && again == addr && again_len == len);
}

static void times(const char *text)
{
    int64_t seconds, again;
    char buf[64];
    if (iotnet__date_parse(&seconds, text) == 0 && iotnet__date_format(buf, sizeof buf, seconds) == 0)
        CHECK(iotnet__date_parse(&again, buf) == 0 && again == seconds);
    if (iotnet__duration_parse(&seconds, text) == 0) {
        CHECK(seconds >= 0);
        CHECK(iotnet__duration_format(buf, sizeof buf, seconds) == 0);
        CHECK(iotnet__duration_parse(&again, buf) == 0 && again == seconds);
    }
    uint8_t now;
    (void)iotnet__cond_date(text, &seconds, &now);
}

/* The Internet, a router and a camera with a web service behind it. */
static int small_model(iotnet_net **out)
{
    iotnet_node_spec internet = IOTNET_NODE_SPEC_INIT, router = IOTNET_NODE_SPEC_INIT, cam = IOTNET_NODE_SPEC_INIT;
    internet.id = "internet";
    internet.kind = "internet";
    router.id = "router";
    router.kind = "router";
    cam.id = "cam";
    cam.kind = "camera";
    iotnet_service web = IOTNET_SERVICE_INIT;
    web.name = "web";
    web.port = 80;
    iotnet_index i, r, c;
    iotnet_link_spec up = IOTNET_LINK_SPEC_INIT, down = IOTNET_LINK_SPEC_INIT;
    up.id = "up";
    up.a = "internet";
    up.b = "router";
    down.id = "down";
    down.a = "router";
    down.b = "cam";
    int error = iotnet_net_new(out);
    if (!error)
        error = iotnet_node_add(*out, &i, &internet) || iotnet_node_add(*out, &r, &router) ||
                iotnet_node_add(*out, &c, &cam) || iotnet_service_add(*out, c, &web) ||
                iotnet_link_add(*out, NULL, &up) || iotnet_link_add(*out, NULL, &down);
    return error;
}

static void service_options(const iotnet_net *net, const char *text)
{
    iotnet_reach_options opts = IOTNET_REACH_OPTIONS_INIT;
    opts.from = "internet";
    opts.service = text;
    opts.include_unreachable = true;
    iotnet_reach_result *rows = NULL;
    if (iotnet_reach(&rows, net, &opts) == 0)
        iotnet_reach_result_free(rows);
    iotnet_explanation *ex = NULL;
    if (iotnet_explain(&ex, net, "internet", "cam", text) == 0)
        iotnet_explanation_free(ex);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    flows(text);
    address(text);
    times(text);
    iotnet_net *net = NULL;
    if (small_model(&net) == 0) {
        service_list(net, text);
        service_options(net, text);
    }
    iotnet_net_free(net);
    free(text);
    return 0;
}
