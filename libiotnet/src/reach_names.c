/* How the reachability engine compares the names MUD peers are matched by:
 * DNS names case-insensitively and with one trailing dot ignored (RFC 4343,
 * RFC 1034 §3.1), and MUD URLs with their scheme and host case-insensitive
 * (RFC 3986 §3.1, §3.2.2) and the rest as written. */
#include "reach_internal.h"

#include <string.h>
#include <strings.h>

/* The length of a name without one trailing dot (the root label). */
static size_t without_root(const char *name, size_t len)
{
    return len > 1 && name[len - 1] == '.' ? len - 1 : len;
}

bool iotnet__dns_name_equal(const char *a, size_t alen, const char *b, size_t blen)
{
    alen = without_root(a, alen);
    blen = without_root(b, blen);
    return alen && alen == blen && strncasecmp(a, b, alen) == 0;
}

/* Each word of a space-separated list, as (start, length), until `match` says yes. */
static bool any_word(const char *list, const char *item, bool (*match)(const char *, size_t, const char *, size_t))
{
    size_t il = strlen(item);
    for (const char *p = list; p && *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (n && match(p, n, item, il))
            return true;
        p += n;
    }
    return false;
}

bool iotnet__dns_names_contain(const char *list, const char *name)
{
    return name && any_word(list, name, iotnet__dns_name_equal);
}

/* Whether c ends a URL's scheme or authority part (RFC 3986 §3). */
static inline bool ends_part(char c, bool at_too)
{
    return c == '/' || c == '?' || c == '#' || (at_too && c == '@');
}

/* The length of a URL's scheme (before its ':'), or 0 when it has none. */
static size_t scheme_length(const char *url, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (url[i] == ':')
            return i;
        if (ends_part(url[i], false))
            return 0;
    }
    return 0;
}

const char *iotnet__url_host(const char *url, size_t len, size_t *host_len)
{
    *host_len = 0;
    if (!url)
        return NULL;
    const char *end = url + len, *p = url + scheme_length(url, len);
    if (p < end && *p == ':')
        p++;
    if (end - p < 2 || p[0] != '/' || p[1] != '/') /* no authority: an empty host here */
        return p;
    p += 2;
    const char *at = p;
    while (at < end && !ends_part(*at, true))
        at++;
    if (at < end && *at == '@') /* userinfo@host */
        p = at + 1;
    size_t n = 0;
    while (p + n < end && p[n] != ':' && !ends_part(p[n], false))
        n++;
    *host_len = n;
    return p;
}

/* Two URLs of `alen` and `blen` bytes: the scheme and host compared without
 * case, everything else as written. */
static bool url_equal_n(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t sa = scheme_length(a, alen), sb = scheme_length(b, blen);
    if (sa != sb || strncasecmp(a, b, sa) != 0)
        return false;
    size_t ha, hb;
    const char *pa = iotnet__url_host(a, alen, &ha), *pb = iotnet__url_host(b, blen, &hb);
    size_t before_a = (size_t)(pa - a), before_b = (size_t)(pb - b);
    if (before_a != before_b || memcmp(a + sa, b + sb, before_a - sa) != 0)
        return false;
    if (ha != hb || strncasecmp(pa, pb, ha) != 0)
        return false;
    size_t rest_a = alen - before_a - ha, rest_b = blen - before_b - hb;
    return rest_a == rest_b && memcmp(pa + ha, pb + hb, rest_a) == 0;
}

bool iotnet__url_equal(const char *a, const char *b)
{
    return a && b && url_equal_n(a, strlen(a), b, strlen(b));
}

bool iotnet__urls_contain(const char *list, const char *url)
{
    return url && any_word(list, url, url_equal_n);
}

bool iotnet__url_host_is(const char *url, const char *name)
{
    size_t n;
    const char *host = url ? iotnet__url_host(url, strlen(url), &n) : NULL;
    return host && n && name && iotnet__dns_name_equal(host, n, name, strlen(name));
}

bool iotnet__url_same_host(const char *a, const char *b)
{
    size_t na, nb;
    const char *ha = a ? iotnet__url_host(a, strlen(a), &na) : NULL;
    const char *hb = b ? iotnet__url_host(b, strlen(b), &nb) : NULL;
    return ha && hb && iotnet__dns_name_equal(ha, na, hb, nb);
}
