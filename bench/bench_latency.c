/*
 * bench_latency: the machine's latency of one random memory access, for
 * reading the other figures. Follows a random cycle of pointers through
 * working sets from 256 KiB to 256 MiB (each load depends on the previous
 * one) and prints one JSON line: nanoseconds per load by working-set size.
 * Building a large model is a stream of hash-table lookups, each of which
 * costs about this much when the tables outgrow the caches.
 *
 *     bench_latency
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench_util.h"

#define STEPS 2000000u

/* Nanoseconds per dependent load over a random cycle through `bytes`. */
static double chase(size_t bytes)
{
    size_t n = bytes / sizeof(size_t);
    size_t *next = malloc(n * sizeof *next);
    size_t *order = malloc(n * sizeof *order);
    if (next == NULL || order == NULL) {
        fprintf(stderr, "bench_latency: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    uint64_t r = 88172645463325252ull;
    for (size_t i = n - 1; i > 0; i--) { /* Fisher-Yates with xorshift64 */
        r ^= r << 13;
        r ^= r >> 7;
        r ^= r << 17;
        size_t j = (size_t)(r % (i + 1));
        size_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (size_t i = 0; i < n; i++)
        next[order[i]] = order[(i + 1) % n];
    volatile size_t sink;
    size_t p = order[0];
    double t0 = bench_now();
    for (unsigned int i = 0; i < STEPS; i++)
        p = next[p];
    double t1 = bench_now();
    sink = p;
    (void)sink;
    free(next);
    free(order);
    return (t1 - t0) / STEPS * 1e9;
}

int main(void)
{
    static const size_t kib[] = {256, 1024, 4096, 16384, 65536, 262144};
    printf("{\"program\": \"bench_latency\", \"ns_per_load\": {");
    for (size_t i = 0; i < sizeof kib / sizeof kib[0]; i++)
        printf("%s\"%zu\": %.1f", i ? ", " : "", kib[i], chase(kib[i] * 1024));
    printf("}}\n");
    return 0;
}
