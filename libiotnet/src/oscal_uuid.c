/* Deterministic identifiers for OSCAL documents: SHA-1 (FIPS 180-4) and
 * name-based UUIDs, version 5 (RFC 9562, section 5.5). SHA-1 serves here
 * only to derive stable names, as the UUID standard prescribes, not as a
 * security measure. */
#include "error_internal.h"
#include "oscal_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libiotnet's OSCAL namespace: itself UUID v5 of IOTNET_OSCAL_NS in the
   URL namespace of RFC 9562 (2119ed2f-592a-5ddb-a08a-560a47ea5022). */
static const unsigned char oscal_namespace[16] = {
    0x21, 0x19, 0xed, 0x2f, 0x59, 0x2a, 0x5d, 0xdb, 0xa0, 0x8a, 0x56, 0x0a, 0x47, 0xea, 0x50, 0x22,
};

/* ------------------------------------------------------------------ */
/* SHA-1                                                               */

typedef struct sha1_ctx {
    uint32_t h[5];
    unsigned char block[64];
    size_t used;     /* bytes in block */
    uint64_t total;  /* bytes hashed */
} sha1_ctx;

static uint32_t rotl(uint32_t x, unsigned n)
{
    return (x << n) | (x >> (32 - n));
}

static void sha1_block(sha1_ctx *c, const unsigned char *p)
{
    uint32_t w[80];
    for (int t = 0; t < 16; t++)
        w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 | (uint32_t)p[4 * t + 2] << 8 |
               (uint32_t)p[4 * t + 3];
    for (int t = 16; t < 80; t++)
        w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    uint32_t a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3], e = c->h[4];
    for (int t = 0; t < 80; t++) {
        uint32_t f, k;
        if (t < 20) {
            f = (b & cc) | (~b & d);
            k = 0x5a827999u;
        } else if (t < 40) {
            f = b ^ cc ^ d;
            k = 0x6ed9eba1u;
        } else if (t < 60) {
            f = (b & cc) | (b & d) | (cc & d);
            k = 0x8f1bbcdcu;
        } else {
            f = b ^ cc ^ d;
            k = 0xca62c1d6u;
        }
        uint32_t temp = rotl(a, 5) + f + e + k + w[t];
        e = d;
        d = cc;
        cc = rotl(b, 30);
        b = a;
        a = temp;
    }
    c->h[0] += a;
    c->h[1] += b;
    c->h[2] += cc;
    c->h[3] += d;
    c->h[4] += e;
}

static void sha1_init(sha1_ctx *c)
{
    static const uint32_t h0[5] = {0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u, 0xc3d2e1f0u};
    memcpy(c->h, h0, sizeof h0);
    c->used = 0;
    c->total = 0;
}

static void sha1_update(sha1_ctx *c, const void *data, size_t len)
{
    const unsigned char *p = data;
    c->total += len;
    while (len > 0) {
        size_t n = 64 - c->used < len ? 64 - c->used : len;
        memcpy(c->block + c->used, p, n);
        c->used += n;
        p += n;
        len -= n;
        if (c->used == 64) {
            sha1_block(c, c->block);
            c->used = 0;
        }
    }
}

static void sha1_final(sha1_ctx *c, unsigned char digest[20])
{
    uint64_t bits = c->total * 8;
    static const unsigned char pad[64] = {0x80};
    /* the 0x80 byte, zeros up to 56 bytes into a block, then the length */
    size_t padding = c->used < 56 ? 56 - c->used : 120 - c->used;
    sha1_update(c, pad, padding);
    unsigned char length[8];
    for (int i = 0; i < 8; i++)
        length[i] = (unsigned char)(bits >> (56 - 8 * i));
    sha1_update(c, length, 8);
    for (int i = 0; i < 5; i++) {
        digest[4 * i] = (unsigned char)(c->h[i] >> 24);
        digest[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
        digest[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
        digest[4 * i + 3] = (unsigned char)c->h[i];
    }
}

void iotnet__sha1(const void *data, size_t len, unsigned char digest[20])
{
    sha1_ctx c;
    sha1_init(&c);
    sha1_update(&c, data, len);
    sha1_final(&c, digest);
}

/* ------------------------------------------------------------------ */
/* UUIDs                                                               */

static void uuid_text(char out[IOTNET_UUID_TEXT_SIZE], const unsigned char u[16])
{
    static const char hex[] = "0123456789abcdef";
    char *p = out;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *p++ = '-';
        *p++ = hex[u[i] >> 4];
        *p++ = hex[u[i] & 0xf];
    }
    *p = '\0';
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" into 16 bytes; 0 or -1. */
static int uuid_parse(unsigned char out[16], const char *text)
{
    if (strlen(text) != 36)
        return -1;
    int byte = 0;
    for (int i = 0; i < 36;) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (text[i] != '-')
                return -1;
            i++;
            continue;
        }
        int hi = hex_value(text[i]), lo = hex_value(text[i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[byte++] = (unsigned char)(hi << 4 | lo);
        i += 2;
    }
    return 0;
}

void iotnet__uuid5(char out[IOTNET_UUID_TEXT_SIZE], const unsigned char ns[16], const char *name, size_t len)
{
    sha1_ctx c;
    unsigned char digest[20];
    sha1_init(&c);
    sha1_update(&c, ns, 16);
    sha1_update(&c, name, len);
    sha1_final(&c, digest);
    digest[6] = (unsigned char)((digest[6] & 0x0f) | 0x50); /* version 5 */
    digest[8] = (unsigned char)((digest[8] & 0x3f) | 0x80); /* the RFC 9562 variant */
    uuid_text(out, digest);
}

void iotnet__os_uuid(os_doc *d, char out[IOTNET_UUID_TEXT_SIZE], const char *fmt, ...)
{
    /* the name: the document's scope, '/', then the element's stable name */
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    size_t scope = strlen(d->scope);
    char *name = n < 0 ? NULL : malloc(scope + 1 + (size_t)n + 1);
    if (name) {
        memcpy(name, d->scope, scope);
        name[scope] = '/';
        vsnprintf(name + scope + 1, (size_t)n + 1, fmt, again);
        iotnet__uuid5(out, oscal_namespace, name, scope + 1 + (size_t)n);
    } else {
        /* a placeholder for the caller; the document is not written */
        memset(out, '0', IOTNET_UUID_TEXT_SIZE - 1);
        out[IOTNET_UUID_TEXT_SIZE - 1] = '\0';
        if (!d->failed)
            iotnet__error_set(IOTNET_ENOMEM, "out of memory naming an OSCAL element");
        d->failed = 1;
    }
    va_end(again);
    free(name);
}

int iotnet_oscal_uuid(char *out, const char *namespace_uuid, const char *name)
{
    if (!out || !name)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_oscal_uuid: %s is NULL", out ? "name" : "out");
    unsigned char ns[16];
    if (!namespace_uuid)
        memcpy(ns, oscal_namespace, sizeof ns);
    else if (uuid_parse(ns, namespace_uuid) != 0)
        return iotnet__error_set(IOTNET_EINVAL, "namespace \"%.60s\" is not a UUID (expected 8-4-4-4-12 hex digits)",
                                 namespace_uuid);
    iotnet__uuid5(out, ns, name, strlen(name));
    return 0;
}
