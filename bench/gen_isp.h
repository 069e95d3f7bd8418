/**
 * @file gen_isp.h
 * A bulk builder of an access provider's network through the public C API,
 * for the reachability benchmark: the Internet with vendor clouds, one CGNAT
 * and `homes` subscriber homes behind it.
 *
 *   internet ── vendor clouds (dns-name attributes), time, MUD and update servers
 *      │
 *   isp-cgnat (isp-router: NAT44 EI mapping and filtering, CGNAT, PCP, a small
 *      │       policy, a few port forwards to subscribers) ── isp-dns, isp-portal
 *      │
 *   hNNNNNN-gw (home-router: NAT44 lan0 [iot0] inside, wan0 outside; filtering
 *      │        mostly address-and-port-dependent, some endpoint-independent or
 *      │        address-dependent; UPnP in most, PCP in some, port forwards in
 *      │        some; a policy of 2 to 13 rules, 8.5 on average: LAN to router and Internet,
 *      │        IoT isolation, forwarded and mapped ports...)
 *      ├── hNNNNNN-sw (a switch in some homes), hNNNNNN-ap (an access point in some)
 *      └── 8 to 13 devices: cameras, speakers, plugs, thermostats, lights, TVs,
 *          printers, hubs, phones, PCs, sensors, NAS; 1 to 3 services each, some
 *          with UPnP or PCP traversal, some UDP ones hole-punched; a third of the
 *          IoT devices with a MUD URL and a profile of 4 to 8 ACEs (vendor cloud
 *          by DNS name, local networks, same manufacturer, NTP).
 *
 * Deterministic: each home is drawn from its own generator seeded by (seed,
 * home number), so a model of n homes is the first n homes of any larger one.
 */
#ifndef IOTNET_BENCH_GEN_ISP_H
#define IOTNET_BENCH_GEN_ISP_H

#include <stddef.h>
#include <stdint.h>

#include "iotnet/iotnet.h"
#include "iotnet/mud.h"
#include "iotnet/reach.h"

typedef struct gen_isp_stats {
    size_t homes, zones, nodes, links, interfaces, services, rules, forwards, attributes;
    size_t mud_devices, aces;
    size_t switches, access_points;
    /** the API call that failed, or NULL */
    const char *failed;
} gen_isp_stats;

/** Nodes and links the builder adds for `homes` homes, at most (for iotnet_net_reserve()). */
void gen_isp_estimate(size_t homes, size_t *nodes, size_t *links);

/**
 * Build the network into `net` (normally a new, empty model).
 * @param[out] stats what was added (may be NULL); on failure stats->failed names the call
 * @return 0, or the negative iotnet error code of the first call that failed
 *         (iotnet_error_last() has its message)
 */
int gen_isp_build(iotnet_net *net, size_t homes, uint64_t seed, gen_isp_stats *stats);

/**
 * A new model with room reserved (gen_isp_estimate()) and the network built into it.
 * @param[out] out the model, which the caller frees; NULL on failure
 * @param[out] stats as for gen_isp_build() (may be NULL); on failure stats->failed names the call
 * @return as gen_isp_build()
 */
int gen_isp_new(iotnet_net **out, size_t homes, uint64_t seed, gen_isp_stats *stats);

/**
 * Save the model as a JSON topology file (iotnet_net_save), for the peers that read one.
 * @param[out] seconds how long the save took
 * @return 0, or the negative iotnet error code
 */
int gen_isp_save(const iotnet_net *net, const char *path, double *seconds);

#endif
