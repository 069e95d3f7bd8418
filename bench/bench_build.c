/*
 * bench_build: build a large model through the C API and report, as one
 * JSON line, how long it took and how much memory the model holds.
 *
 *     bench_build [--nodes N] [--links L] [--seed S] [--bulk]
 *
 * The model is an access provider's view of its subscribers' homes: one
 * Internet node, a CGNAT router per 400 homes, and homes of 6 to 18 nodes
 * (a home router, a Zigbee hub, phones, TVs, cameras, speakers,
 * thermostats, lights, sensors and plugs) with a LAN and an IoT zone each.
 * Every node but the Internet has one link towards its router or hub;
 * the remaining links are Zigbee/BLE mesh links between devices of a home.
 * Routers, cameras, speakers and thermostats carry services.
 *
 * All ids are formatted before the clock starts, so the time and the
 * memory growth are the library's alone: zones, nodes, services and links
 * added through iotnet_zone_add, iotnet_node_add, iotnet_service_add and
 * iotnet_link_add. With --bulk the builder works as a bulk importer does: it
 * first tells the model its size with iotnet_net_reserve(), keeps the index
 * iotnet_node_add returns for each node and adds links by those indexes with
 * iotnet_link_add_between, so no link looks its endpoints up by id.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "iotnet/iotnet.h"

#define HOMES_PER_ISP 400

enum kind_no {
    K_INTERNET,
    K_ISP_ROUTER,
    K_HOME_ROUTER,
    K_HUB,
    K_PHONE,
    K_TV,
    K_CAMERA,
    K_SPEAKER,
    K_THERMOSTAT,
    K_LIGHT,
    K_SENSOR,
    K_PLUG,
    K_SERVER,
    K_COUNT
};

static const char *const KIND_NAMES[K_COUNT] = {
    "internet", "isp-router", "home-router", "hub", "phone", "tv", "camera",
    "smart-speaker", "thermostat", "light", "sensor", "smart-plug", "server"};

/* Devices a home draws from, with repetitions as weights. */
static const uint8_t HOME_DEVICE_POOL[] = {
    K_PHONE, K_PHONE, K_PHONE, K_TV, K_CAMERA, K_CAMERA, K_SPEAKER, K_SPEAKER, K_THERMOSTAT,
    K_LIGHT, K_LIGHT, K_LIGHT, K_LIGHT, K_SENSOR, K_SENSOR, K_SENSOR, K_PLUG, K_PLUG};

static const char *const VENDORS[] = {"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay"};
#define VENDOR_COUNT (sizeof VENDORS / sizeof VENDORS[0])

typedef struct plan_node {
    size_t id;       /* offset in the arena */
    uint32_t zone;   /* index in zone_ids */
    uint8_t kind;
    uint8_t vendor;
} plan_node;

typedef struct plan_link {
    size_t id;
    uint32_t a, b;   /* indexes in nodes */
    uint8_t medium;
    uint8_t encryption;
} plan_link;

typedef struct plan_home {
    uint32_t first;  /* index of the home router; the hub follows it */
    uint32_t size;
} plan_home;

/* Everything the timed section needs, formatted beforehand. */
typedef struct plan {
    char *arena;
    size_t arena_used, arena_cap;
    size_t *zone_ids;
    const char **zone_kinds;
    size_t nzones, zones_cap;
    plan_node *nodes;
    size_t nnodes, nodes_cap;
    plan_link *links;
    size_t nlinks, links_cap;
    plan_home *homes;
    size_t nhomes, homes_cap;
    uint64_t rng;
} plan;

static void *xmalloc(size_t size)
{
    void *p = malloc(size);
    if (p == NULL) {
        fprintf(stderr, "bench_build: out of memory\n");
        exit(1);
    }
    return p;
}

static uint32_t plan_random(plan *p)
{
    /* xorshift64*: deterministic, and good enough to draw kinds */
    p->rng ^= p->rng >> 12;
    p->rng ^= p->rng << 25;
    p->rng ^= p->rng >> 27;
    return (uint32_t)((p->rng * 2685821657736338717ull) >> 32);
}

/* Format a string into the arena; returns its offset (the arena never moves). */
__attribute__((format(printf, 2, 3))) static size_t plan_string(plan *p, const char *fmt, ...)
{
    size_t room = p->arena_cap - p->arena_used;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(p->arena + p->arena_used, room, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= room) {
        fprintf(stderr, "bench_build: id arena too small\n");
        exit(1);
    }
    size_t at = p->arena_used;
    p->arena_used += (size_t)n + 1;
    return at;
}

static const char *plan_text(const plan *p, size_t offset)
{
    return p->arena + offset;
}

static uint32_t plan_zone(plan *p, size_t id, const char *kind)
{
    if (p->nzones == p->zones_cap) {
        fprintf(stderr, "bench_build: zone table too small\n");
        exit(1);
    }
    p->zone_ids[p->nzones] = id;
    p->zone_kinds[p->nzones] = kind;
    return (uint32_t)p->nzones++;
}

static uint32_t plan_node_add(plan *p, size_t id, uint8_t kind, uint32_t zone)
{
    plan_node *n = &p->nodes[p->nnodes];
    n->id = id;
    n->kind = kind;
    n->zone = zone;
    n->vendor = (uint8_t)(plan_random(p) % VENDOR_COUNT);
    return (uint32_t)p->nnodes++;
}

static void plan_link_add(plan *p, size_t id, uint32_t a, uint32_t b, iotnet_medium medium,
                          iotnet_link_encryption encryption)
{
    plan_link *l = &p->links[p->nlinks++];
    l->id = id;
    l->a = a;
    l->b = b;
    l->medium = (uint8_t)medium;
    l->encryption = (uint8_t)encryption;
}

static bool is_zigbee(uint8_t kind)
{
    return kind == K_LIGHT || kind == K_SENSOR || kind == K_PLUG;
}

/* A home of `size` nodes behind `isp`: router, hub, then devices. */
static void plan_home_add(plan *p, uint32_t isp, uint32_t size)
{
    unsigned int h = (unsigned int)p->nhomes;
    uint32_t lan = plan_zone(p, plan_string(p, "h%06u-lan", h), "home-lan");
    uint32_t iot = plan_zone(p, plan_string(p, "h%06u-iot", h), "iot-lan");
    uint32_t router = plan_node_add(p, plan_string(p, "h%06u-gw", h), K_HOME_ROUTER, lan);
    plan_link_add(p, plan_string(p, "h%06u-wan", h), router, isp, IOTNET_MEDIUM_CABLE,
                  IOTNET_LINKENC_NONE);
    uint32_t hub = plan_node_add(p, plan_string(p, "h%06u-hub-1", h), K_HUB, iot);
    plan_link_add(p, plan_string(p, "h%06u-l1", h), hub, router, IOTNET_MEDIUM_ETHERNET,
                  IOTNET_LINKENC_NONE);
    for (uint32_t d = 2; d < size; d++) {
        uint8_t kind = HOME_DEVICE_POOL[plan_random(p) % sizeof HOME_DEVICE_POOL];
        uint32_t zone = kind == K_PHONE ? lan : iot;
        uint32_t node = plan_node_add(p, plan_string(p, "h%06u-%s-%u", h, KIND_NAMES[kind], d), kind, zone);
        size_t link = plan_string(p, "h%06u-l%u", h, d);
        if (is_zigbee(kind))
            plan_link_add(p, link, node, hub, IOTNET_MEDIUM_ZIGBEE, IOTNET_LINKENC_LINK_LAYER);
        else
            plan_link_add(p, link, node, router, IOTNET_MEDIUM_WIFI, IOTNET_LINKENC_WPA2);
    }
    p->homes[p->nhomes].first = router;
    p->homes[p->nhomes].size = size;
    p->nhomes++;
}

/*
 * Mesh links between devices of the same home, spread over all homes:
 * device j with device j + stride, stride 1 first, until `want` links.
 */
static void plan_mesh_links(plan *p, size_t want)
{
    for (uint32_t stride = 1; p->nlinks < want; stride++) {
        size_t added = 0;
        for (uint32_t j = 2; j < 18 && p->nlinks < want; j++) {
            for (size_t h = 0; h < p->nhomes && p->nlinks < want; h++) {
                const plan_home *home = &p->homes[h];
                if (j + stride >= home->size)
                    continue;
                uint32_t a = home->first + j, b = home->first + j + stride;
                bool zigbee = is_zigbee(p->nodes[a].kind) && is_zigbee(p->nodes[b].kind);
                plan_link_add(p, plan_string(p, "h%06u-m%u-%u", (unsigned int)h, j, j + stride), a, b,
                              zigbee ? IOTNET_MEDIUM_ZIGBEE : IOTNET_MEDIUM_BLE, IOTNET_LINKENC_LINK_LAYER);
                added++;
            }
        }
        if (added == 0) {
            fprintf(stderr, "bench_build: homes too small for %zu links\n", want);
            exit(1);
        }
    }
}

static void plan_build(plan *p, size_t nodes, size_t links, uint64_t seed)
{
    memset(p, 0, sizeof *p);
    p->rng = seed ? seed : 1;
    p->arena_cap = (nodes + links) * 32 + 4096;
    p->arena = xmalloc(p->arena_cap);
    p->zones_cap = nodes / 2 + 8;
    p->zone_ids = xmalloc(p->zones_cap * sizeof *p->zone_ids);
    p->zone_kinds = xmalloc(p->zones_cap * sizeof *p->zone_kinds);
    p->nodes_cap = nodes;
    p->nodes = xmalloc(nodes * sizeof *p->nodes);
    p->links_cap = links;
    p->links = xmalloc(links * sizeof *p->links);
    p->homes_cap = nodes / 2 + 1;
    p->homes = xmalloc(p->homes_cap * sizeof *p->homes);

    uint32_t internet_zone = plan_zone(p, plan_string(p, "internet"), "internet-zone");
    uint32_t isp_zone = plan_zone(p, plan_string(p, "isp"), "provider-zone");
    uint32_t internet = plan_node_add(p, plan_string(p, "internet"), K_INTERNET,
                                      internet_zone);
    uint32_t isp = 0;
    while (p->nnodes < nodes) {
        size_t left = nodes - p->nnodes;
        if (p->nhomes % HOMES_PER_ISP == 0 && left >= 4) {
            unsigned int k = (unsigned int)(p->nhomes / HOMES_PER_ISP);
            isp = plan_node_add(p, plan_string(p, "isp%04u-cgnat", k), K_ISP_ROUTER, isp_zone);
            plan_link_add(p, plan_string(p, "isp%04u-up", k), isp, internet,
                          IOTNET_MEDIUM_FIBRE, IOTNET_LINKENC_NONE);
            left--;
        }
        if (left < 3) {
            /* too few for a home: servers in the provider's zone */
            unsigned int k = (unsigned int)p->nnodes;
            uint32_t server = plan_node_add(p, plan_string(p, "isp-server-%u", k), K_SERVER, isp_zone);
            plan_link_add(p, plan_string(p, "isp-server-%u-up", k), server, isp,
                          IOTNET_MEDIUM_ETHERNET, IOTNET_LINKENC_NONE);
            continue;
        }
        uint32_t size = 6 + plan_random(p) % 13;
        if (size > left)
            size = (uint32_t)left;
        plan_home_add(p, isp, size);
    }
    if (links < p->nlinks) {
        fprintf(stderr, "bench_build: need at least %zu links for %zu nodes\n", p->nlinks, nodes);
        exit(1);
    }
    plan_mesh_links(p, links);
}

static void plan_free(plan *p)
{
    free(p->arena);
    free(p->zone_ids);
    free(p->zone_kinds);
    free(p->nodes);
    free(p->links);
    free(p->homes);
}

static void die_on(int rc, const char *what)
{
    if (rc < 0) {
        fprintf(stderr, "bench_build: %s: %s (%s)\n", what, iotnet_error_last()->message, iotnet_strerror(rc));
        exit(1);
    }
}

#define SERVICE(name_, proto_, port_, auth_, transport_) \
    {.version = IOTNET_SERVICE_VERSION, .name = (name_), .protocol = (proto_), .port = (port_), \
     .authentication = (auth_), .transport = (transport_)}

static const iotnet_service ROUTER_SERVICES[] = {
    SERVICE("web-ui", IOTNET_PROTO_TCP, 443, IOTNET_AUTH_DEFAULT_PASSWORD, IOTNET_TRANSPORT_TLS1_2),
    SERVICE("dns", IOTNET_PROTO_UDP, 53, IOTNET_AUTH_NONE, IOTNET_TRANSPORT_NONE)};
static const iotnet_service CAMERA_SERVICES[] = {
    SERVICE("rtsp", IOTNET_PROTO_TCP, 554, IOTNET_AUTH_PASSWORD, IOTNET_TRANSPORT_NONE)};
static const iotnet_service SPEAKER_SERVICES[] = {
    SERVICE("cast", IOTNET_PROTO_TCP, 8009, IOTNET_AUTH_CERTIFICATE, IOTNET_TRANSPORT_TLS1_2)};
static const iotnet_service THERMOSTAT_SERVICES[] = {
    SERVICE("coap", IOTNET_PROTO_UDP, 5684, IOTNET_AUTH_PSK, IOTNET_TRANSPORT_DTLS1_2)};

/* The services nodes of a kind offer; *count receives how many. */
static const iotnet_service *kind_services(uint8_t kind, size_t *count)
{
    switch (kind) {
    case K_HOME_ROUTER:
        *count = 2;
        return ROUTER_SERVICES;
    case K_CAMERA:
        *count = 1;
        return CAMERA_SERVICES;
    case K_SPEAKER:
        *count = 1;
        return SPEAKER_SERVICES;
    case K_THERMOSTAT:
        *count = 1;
        return THERMOSTAT_SERVICES;
    default:
        *count = 0;
        return NULL;
    }
}

/* Seconds spent on zones, on nodes with their services, and on links. */
typedef struct phase_times {
    double zones_s, nodes_s, links_s;
} phase_times;

/* The timed part: everything in the plan, through the public API. Kept out
 * of line so that a profiler can collect this function alone. */
__attribute__((noinline)) static size_t build(iotnet_net *net, const plan *p, bool bulk,
                                              iotnet_index *indexes, phase_times *times)
{
    size_t services = 0;
    double t0 = bench_now();
    for (size_t z = 0; z < p->nzones; z++) {
        iotnet_zone_spec spec = IOTNET_ZONE_SPEC_INIT;
        spec.id = plan_text(p, p->zone_ids[z]);
        spec.kind = p->zone_kinds[z];
        die_on(iotnet_zone_add(net, NULL, &spec), "iotnet_zone_add");
    }
    double t1 = bench_now();
    for (size_t i = 0; i < p->nnodes; i++) {
        const plan_node *n = &p->nodes[i];
        iotnet_node_spec spec = IOTNET_NODE_SPEC_INIT;
        iotnet_index index;
        spec.id = plan_text(p, n->id);
        spec.kind = KIND_NAMES[n->kind];
        spec.zone = plan_text(p, p->zone_ids[n->zone]);
        if (n->kind != K_INTERNET)
            spec.vendor = VENDORS[n->vendor];
        die_on(iotnet_node_add(net, &index, &spec), "iotnet_node_add");
        indexes[i] = index;
        size_t count;
        const iotnet_service *svc = kind_services(n->kind, &count);
        for (size_t s = 0; s < count; s++)
            die_on(iotnet_service_add(net, index, &svc[s]), "iotnet_service_add");
        services += count;
    }
    double t2 = bench_now();
    for (size_t i = 0; i < p->nlinks; i++) {
        const plan_link *l = &p->links[i];
        iotnet_link_spec spec = IOTNET_LINK_SPEC_INIT;
        spec.id = plan_text(p, l->id);
        spec.a = plan_text(p, p->nodes[l->a].id);
        spec.b = plan_text(p, p->nodes[l->b].id);
        spec.medium = (iotnet_medium)l->medium;
        spec.encryption = (iotnet_link_encryption)l->encryption;
        if (bulk)
            die_on(iotnet_link_add_between(net, NULL, &spec, indexes[l->a], indexes[l->b]),
                   "iotnet_link_add_between");
        else
            die_on(iotnet_link_add(net, NULL, &spec), "iotnet_link_add");
    }
    double t3 = bench_now();
    times->zones_s = t1 - t0;
    times->nodes_s = t2 - t1;
    times->links_s = t3 - t2;
    return services;
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_build [--nodes N] [--links L] [--seed S] [--bulk]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    size_t nodes = 1000000, links = 0;
    uint64_t seed = 2026;
    bool bulk = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--bulk") == 0) {
            bulk = true;
            continue;
        }
        if (i + 1 >= argc)
            usage();
        if (strcmp(argv[i], "--nodes") == 0)
            nodes = (size_t)bench_parse_count(argv[++i], "node count");
        else if (strcmp(argv[i], "--links") == 0)
            links = (size_t)bench_parse_count(argv[++i], "link count");
        else if (strcmp(argv[i], "--seed") == 0)
            seed = (uint64_t)bench_parse_count(argv[++i], "seed");
        else
            usage();
    }
    if (links == 0)
        links = nodes + nodes / 2;
    if (nodes < 8 || links < nodes - 1) {
        fprintf(stderr, "bench_build: need at least 8 nodes and nodes - 1 links\n");
        return 2;
    }

    plan p;
    plan_build(&p, nodes, links, seed);

    iotnet_index *indexes = malloc(p.nnodes * sizeof *indexes);
    if (!indexes) {
        fprintf(stderr, "bench_build: out of memory\n");
        return 1;
    }
    iotnet_net *net = NULL;
    long rss_before = bench_rss_trimmed();
    bench_usage u0 = bench_usage_now();
    double t0 = bench_now();
    die_on(iotnet_net_new(&net), "iotnet_net_new");
    if (bulk)
        die_on(iotnet_net_reserve(net, p.nnodes, p.nlinks), "iotnet_net_reserve");
    phase_times phases;
    size_t services = build(net, &p, bulk, indexes, &phases);
    double t1 = bench_now();
    bench_usage u1 = bench_usage_now();
    long rss_after = bench_rss_bytes();
    long peak = bench_peak_rss_bytes();
    size_t net_memory = iotnet_net_memory(net);
    size_t counted_nodes = iotnet_node_count(net), counted_links = iotnet_link_count(net);
    size_t counted_zones = iotnet_zone_count(net);
    double t2 = bench_now();
    iotnet_net_free(net);
    double t3 = bench_now();
    free(indexes);
    double elements = (double)(counted_nodes + counted_links);

    printf("{\"program\": \"bench_build\", \"bulk\": %s, \"nodes\": %zu, \"links\": %zu, \"zones\": %zu, "
           "\"services\": %zu, \"build_s\": %.6f, \"zones_s\": %.6f, \"nodes_s\": %.6f, \"links_s\": %.6f, "
           "\"user_s\": %.3f, \"sys_s\": %.3f, \"minor_faults\": %ld, \"free_s\": %.6f, \"rss_before\": %ld, "
           "\"rss_after\": %ld, \"rss_growth\": %ld, \"peak_rss\": %ld, \"net_memory\": %zu, "
           "\"rss_bytes_per_element\": %.1f, \"net_bytes_per_element\": %.1f}\n",
           bulk ? "true" : "false", counted_nodes, counted_links, counted_zones, services, t1 - t0, phases.zones_s, phases.nodes_s,
           phases.links_s, u1.user_s - u0.user_s, u1.sys_s - u0.sys_s, u1.minor_faults - u0.minor_faults, t3 - t2, rss_before, rss_after,
           rss_after - rss_before, peak, net_memory, (double)(rss_after - rss_before) / elements,
           (double)net_memory / elements);
    plan_free(&p);
    if (counted_nodes != p.nnodes || counted_links != p.nlinks) {
        fprintf(stderr, "bench_build: model holds %zu nodes and %zu links, planned %zu and %zu\n", counted_nodes,
                counted_links, p.nnodes, p.nlinks);
        return 1;
    }
    return 0;
}
