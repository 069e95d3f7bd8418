/**
 * @file bench_util.h
 * Clocks, memory probes and result output shared by the benchmark programs.
 * Each program prints one JSON object on stdout; bench/run.py reads it.
 */
#ifndef IOTNET_BENCH_UTIL_H
#define IOTNET_BENCH_UTIL_H

#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "iotnet/net.h"

/** Seconds on the monotonic clock. */
static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/** Resident set size now, in bytes (second field of /proc/self/statm). */
static inline long bench_rss_bytes(void)
{
    long pages_total = 0, pages_resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f == NULL)
        return -1;
    if (fscanf(f, "%ld %ld", &pages_total, &pages_resident) != 2)
        pages_resident = -1;
    fclose(f);
    return pages_resident < 0 ? -1 : pages_resident * sysconf(_SC_PAGESIZE);
}

/**
 * Resident set size after giving free heap pages back to the system, so
 * that memory a parser freed is not counted as the model's.
 */
static inline long bench_rss_trimmed(void)
{
    malloc_trim(0);
    return bench_rss_bytes();
}

/** Peak resident set size of the process so far, in bytes. */
static inline long bench_peak_rss_bytes(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return -1;
    return ru.ru_maxrss * 1024L; /* Linux reports kilobytes */
}

/** CPU time in user and kernel mode and minor page faults of the process so far. */
typedef struct bench_usage {
    double user_s, sys_s;
    long minor_faults;
} bench_usage;

static inline bench_usage bench_usage_now(void)
{
    struct rusage ru;
    bench_usage u = {0, 0, 0};
    if (getrusage(RUSAGE_SELF, &ru) == 0) {
        u.user_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6;
        u.sys_s = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
        u.minor_faults = ru.ru_minflt;
    }
    return u;
}

static inline int bench_compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/** Median of n samples (sorts them). */
static inline double bench_median(double *samples, size_t n)
{
    qsort(samples, n, sizeof *samples, bench_compare_doubles);
    return n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2.0;
}

/** Print `"name": [s0, s1, ...]` (no trailing comma). */
static inline void bench_print_samples(const char *name, const double *samples, size_t n)
{
    printf("\"%s\": [", name);
    for (size_t i = 0; i < n; i++)
        printf("%s%.6f", i ? ", " : "", samples[i]);
    printf("]");
}

/** Parse a positive count from a command-line argument, or exit with a usage error. */
static inline long bench_parse_count(const char *text, const char *what)
{
    char *end = NULL;
    long value = strtol(text, &end, 10);
    if (end == text || *end != '\0' || value <= 0) {
        fprintf(stderr, "bad %s: %s\n", what, text);
        exit(2);
    }
    return value;
}

/** The options of the benchmarks on the ISP model of gen_isp.h. */
typedef struct bench_isp_args {
    size_t homes;     /* --homes N */
    uint64_t seed;    /* --seed S */
    size_t runs;      /* --runs R */
    const char *save; /* --save FILE, or NULL */
} bench_isp_args;

/**
 * Take argv[*i] when it is one of those options, with its value argv[*i + 1] (the caller
 * checked that there is one), stepping *i past the value; false for any other argument.
 */
static inline bool bench_isp_arg(bench_isp_args *a, char **argv, int *i)
{
    const char *name = argv[*i], *value = argv[*i + 1];
    if (strcmp(name, "--homes") == 0)
        a->homes = (size_t)bench_parse_count(value, "home count");
    else if (strcmp(name, "--seed") == 0)
        a->seed = (uint64_t)bench_parse_count(value, "seed");
    else if (strcmp(name, "--runs") == 0)
        a->runs = (size_t)bench_parse_count(value, "run count");
    else if (strcmp(name, "--save") == 0)
        a->save = value;
    else
        return false;
    ++*i;
    return true;
}

/* A kilobyte figure from /proc/self/status ("VmHWM:", "VmRSS:"), in bytes; -1 if absent. */
static inline long bench_status_bytes(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    size_t n = strlen(field);
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, n) == 0) {
            kb = strtol(line + n, NULL, 10);
            break;
        }
    fclose(f);
    return kb < 0 ? -1 : kb * 1024;
}

/* Reset the kernel's peak resident set of this process to the current one. */
static inline int bench_reset_peak(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (!f)
        return 0;
    int ok = fputs("5", f) >= 0;
    return fclose(f) == 0 && ok;
}

/** A node's id (a static buffer, valid until the next call), or NULL. */
static inline const char *bench_node_id(const iotnet_net *net, iotnet_index node)
{
    static iotnet_node_spec spec;
    if (node == IOTNET_NONE || iotnet_node_get(net, node, &spec) < 0)
        return NULL;
    return spec.id;
}

/** Open a file for the rows a benchmark writes, or exit naming it. */
static inline FILE *bench_open_rows(const char *path)
{
    FILE *out = fopen(path, "w");
    if (!out) {
        perror(path);
        exit(1);
    }
    return out;
}

#endif
