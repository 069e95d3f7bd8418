/* MUD files written against the draft ACL model: find the constructs RFC 8519
 * changed and, for a lenient load, rewrite them in the JSON text.
 *
 * The text is read into a tree of spans (json_spans.c). Anything that is not
 * JSON is left for libyang to report. Rewrites never add or remove line breaks, so libyang's line
 * numbers still point into the file the user has. */
#include "mud_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error_internal.h"
#include "json_spans.h"
#include "util.h"

#define ACL_MODULE "ietf-access-control-list"

/* ------------------------------------------------------------------ */
/* Looking at the tree                                                 */

/* Whether a string value ends with the identity `name` (bare or prefixed). */
static bool identity_is(const jtree *t, const jnode *n, const char *name)
{
    if (!n || n->type != J_STRING)
        return false;
    uint32_t len;
    const char *s = iotnet__json_string(t, n, &len);
    size_t want = strlen(name);
    if (len < want || memcmp(s + len - want, name, want) != 0)
        return false;
    return len == want || s[len - want - 1] == ':';
}

/* ------------------------------------------------------------------ */
/* Findings and rewrites                                               */

typedef struct edit {
    uint32_t at, len;      /* the span replaced */
    char *with;
} edit;

typedef struct scan {
    jtree t;
    iotnet_mud *mud;
    const char *label;
    const char *root;      /* the root member's name as written, for paths */
    bool lenient;
    bool eth_typed;        /* some ACL has an Ethernet type (eth, mixed-eth-*, ethernet-acl-type) */
    bool forced;           /* edits that strict loads make too (empty match containers) */
    /* strict: the first finding */
    int found;
    char first[1024];
    char first_path[1024];
    uint32_t first_at;
    /* lenient: the rewrites */
    edit *edits;
    size_t edit_count, edit_cap;
    int error;
} scan;

/* "/ietf-access-control-list:acls/acl[name='a']/aces/ace[name='x']" and so on, into buf. */
static void acl_path(const scan *s, char *buf, size_t size, const jnode *acl, const jnode *ace, const char *rest)
{
    uint32_t an = 0, en = 0;
    const char *acl_name = "", *ace_name = "";
    const jnode *n = iotnet__json_member(&s->t, acl, "name");
    if (n && n->type == J_STRING)
        acl_name = iotnet__json_string(&s->t, n, &an);
    n = ace ? iotnet__json_member(&s->t, ace, "name") : NULL;
    if (n && n->type == J_STRING)
        ace_name = iotnet__json_string(&s->t, n, &en);
    const char *root = s->lenient ? ACL_MODULE ":acls" : s->root;
    if (ace)
        snprintf(buf, size, "/%s/acl[name='%.*s']/aces/ace[name='%.*s']%s", root, (int)an, acl_name, (int)en,
                 ace_name, rest);
    else
        snprintf(buf, size, "/%s/acl[name='%.*s']%s", root, (int)an, acl_name, rest);
}

/* One construct found at `at` (data path `path`): what it is, and what the rewrite makes of it. */
static void finding(scan *s, uint32_t at, uint32_t len, const char *replacement, const char *path,
                    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void finding(scan *s, uint32_t at, uint32_t len, const char *replacement, const char *path,
                    const char *fmt, ...)
{
    char what[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (s->error)
        return;
    if (!s->lenient) {
        if (!s->found++) {
            snprintf(s->first, sizeof s->first, "%s", what);
            snprintf(s->first_path, sizeof s->first_path, "%s", path);
            s->first_at = at;
        }
        return;
    }
    if (s->edit_count == s->edit_cap) {
        size_t cap = s->edit_cap ? 2 * s->edit_cap : 16;
        edit *grown = realloc(s->edits, cap * sizeof *grown);
        if (!grown) {
            s->error = iotnet__error_set(IOTNET_ENOMEM, "out of memory");
            return;
        }
        s->edits = grown;
        s->edit_cap = cap;
    }
    char *with = iotnet__strdup(replacement);
    if (!with) {
        s->error = IOTNET_ENOMEM;
        return;
    }
    s->edits[s->edit_count++] = (edit){at, len, with};
    s->error = iotnet__mud_add_line(s->mud, &s->mud->changes, "%s", what);
}

/* ethertype "0x0800" -> 2048 */
static void check_ethertype(scan *s, const jnode *acl, const jnode *ace, const jnode *value)
{
    if (!value || value->type != J_STRING)
        return;
    uint32_t len;
    const char *text = iotnet__json_string(&s->t, value, &len);
    if (len < 3 || len > 6 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
        return;
    unsigned number = 0;
    for (uint32_t i = 2; i < len; i++) {
        char c = text[i];
        int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (digit < 0)
            return;
        number = number * 16 + (unsigned)digit;
    }
    char path[1024], number_text[16];
    acl_path(s, path, sizeof path, acl, ace, "/matches/eth/ethertype");
    snprintf(number_text, sizeof number_text, "%u", number);
    if (s->lenient)
        finding(s, value->at, value->end - value->at, number_text, path,
                "ethertype \"%.*s\" at %s written as %u", (int)len, text, path, number);
    else
        finding(s, value->at, 0, NULL, path,
                "pre-RFC 8519 construct: ethertype written as the string \"%.*s\" (RFC 8519 wants the "
                "number %u)", (int)len, text, number);
}

/* A network without "/length": the draft model took host addresses. */
static void check_network(scan *s, const jnode *acl, const jnode *ace, const jnode *family, const char *name)
{
    const jnode *value = iotnet__json_member(&s->t, family, name);
    if (!value || value->type != J_STRING)
        return;
    uint32_t len;
    const char *text = iotnet__json_string(&s->t, value, &len);
    if (len == 0 || memchr(text, '/', len) || memchr(text, '\\', len))
        return;
    bool v6 = memchr(text, ':', len) != NULL;
    char path[1024], rest[128], replacement[128];
    snprintf(rest, sizeof rest, "/matches/%s/%s", v6 ? "ipv6" : "ipv4", name);
    acl_path(s, path, sizeof path, acl, ace, rest);
    if (len > 64)
        return; /* not an address; libyang says so */
    snprintf(replacement, sizeof replacement, "\"%.*s/%d\"", (int)len, text, v6 ? 128 : 32);
    if (s->lenient)
        finding(s, value->at, value->end - value->at, replacement, path,
                "network \"%.*s\" at %s written as %.*s/%d (a host address needs a prefix length)", (int)len,
                text, path, (int)len, text, v6 ? 128 : 32);
    else
        finding(s, value->at, 0, NULL, path,
                "pre-RFC 8519 construct: network \"%.*s\" without a prefix length (RFC 8519 wants "
                "\"%.*s/%d\")", (int)len, text, (int)len, text, v6 ? 128 : 32);
}

/* An empty match container ("udp": {}) means the same as none in YANG, but
 * libyang 2.1 reads freed memory when it evaluates such a container's
 * when-condition. The member is blanked out of the text (line breaks kept)
 * before libyang sees it, in strict loads too, and a note says so. */
static void drop_empty_match(scan *s, const jnode *acl, const jnode *ace, const jnode *prev, const jnode *m)
{
    static const char *const guarded[] = {"eth", "ipv4", "ipv6", "tcp", "udp", "icmp"};
    if (m->type != J_OBJECT || m->first != J_NONE || s->error)
        return;
    const char *name = NULL;
    for (size_t i = 0; i < sizeof guarded / sizeof *guarded && !name; i++)
        if (iotnet__json_key_is(&s->t, m, guarded[i]))
            name = guarded[i];
    if (!name || m->key_at == 0)
        return;
    const jnode *next = m->next != J_NONE ? &s->t.nodes[m->next] : NULL;
    /* the member with the comma that separates it from a neighbour */
    uint32_t from = prev ? prev->end : m->key_at - 1;
    uint32_t to = prev || !next ? m->end : next->key_at - 1;
    char *blank = malloc((size_t)(to - from) + 1);
    if (!blank || s->edit_count == s->edit_cap) {
        size_t cap = s->edit_cap ? 2 * s->edit_cap : 16;
        edit *grown = blank ? realloc(s->edits, cap * sizeof *grown) : NULL;
        if (!grown) {
            free(blank);
            s->error = iotnet__error_set(IOTNET_ENOMEM, "out of memory");
            return;
        }
        s->edits = grown;
        s->edit_cap = cap;
    }
    for (uint32_t i = from; i < to; i++)
        blank[i - from] = s->t.text[i] == '\n' ? '\n' : ' ';
    blank[to - from] = '\0';
    s->edits[s->edit_count++] = (edit){from, to - from, blank};
    s->forced = true;
    char path[1024], rest[64];
    snprintf(rest, sizeof rest, "/matches/%s", name);
    acl_path(s, path, sizeof path, acl, ace, rest);
    s->error = iotnet__mud_add_line(s->mud, &s->mud->notes, "empty \"%s\" match at %s left out: it states no condition",
                                    name, path);
}

/* The entries of one ACL; returns whether any matches on Ethernet headers. */
static bool check_aces(scan *s, const jnode *acl)
{
    bool eth = false;
    const jnode *list = iotnet__json_member(&s->t, iotnet__json_member(&s->t, acl, "aces"), "ace");
    if (!list || list->type != J_ARRAY)
        return false;
    for (const jnode *ace = iotnet__json_first_child(&s->t, list); ace; ace = iotnet__json_next_sibling(&s->t, ace)) {
        const jnode *matches = iotnet__json_member(&s->t, ace, "matches");
        if (!matches || matches->type != J_OBJECT)
            continue;
        const jnode *prev = NULL;
        for (const jnode *m = iotnet__json_first_child(&s->t, matches); m; prev = m, m = iotnet__json_next_sibling(&s->t, m)) {
            drop_empty_match(s, acl, ace, prev, m);
            if (iotnet__json_key_is(&s->t, m, "eth")) {
                eth = true;
                check_ethertype(s, acl, ace, iotnet__json_member(&s->t, m, "ethertype"));
            } else if (iotnet__json_key_is(&s->t, m, "ipv4")) {
                check_network(s, acl, ace, m, "destination-ipv4-network");
                check_network(s, acl, ace, m, "source-ipv4-network");
            } else if (iotnet__json_key_is(&s->t, m, "ipv6")) {
                check_network(s, acl, ace, m, "destination-ipv6-network");
                check_network(s, acl, ace, m, "source-ipv6-network");
            }
        }
    }
    return eth;
}

/* Rewrite the identity at the end of a type value, keeping any prefix. */
static void rewrite_type(scan *s, const jnode *type, const char *from, const char *to, const char *path,
                         const char *why)
{
    uint32_t len;
    const char *text = iotnet__json_string(&s->t, type, &len);
    char replacement[256];
    size_t keep = len - strlen(from);
    if (keep > 128)
        return;
    snprintf(replacement, sizeof replacement, "\"%.*s%s\"", (int)keep, text, to);
    if (s->lenient)
        finding(s, type->at, type->end - type->at, replacement, path, "%s %.*s at %s written as %.*s%s%s", why,
                (int)len, text, path, (int)keep, text, to,
                strcmp(from, "ethernet-acl-type") ? " (its entries match on Ethernet headers)" : "");
    else if (strcmp(from, "ethernet-acl-type") == 0)
        finding(s, type->at, 0, NULL, path,
                "pre-RFC 8519 construct: identity ethernet-acl-type (RFC 8519 calls it eth-acl-type)");
    else
        finding(s, type->at, 0, NULL, path,
                "pre-RFC 8519 construct: ACL of type %s with Ethernet matches (RFC 8519 wants %s)", from, to);
}

static void check_acl(scan *s, const jnode *acl)
{
    if (acl->type != J_OBJECT)
        return;
    const jnode *type = iotnet__json_member(&s->t, acl, "type");
    char path[1024];
    acl_path(s, path, sizeof path, acl, NULL, "/type");
    bool ethernet_typed = identity_is(&s->t, type, "ethernet-acl-type");
    if (ethernet_typed)
        rewrite_type(s, type, "ethernet-acl-type", "eth-acl-type", path, "identity");
    bool eth = check_aces(s, acl);
    /* RFC 8519 admits Ethernet matches when some ACL of the file has an
     * Ethernet type (its when-condition reads every ACL's type), so only a
     * file with none needs its mixed ACLs retyped */
    if (!eth || ethernet_typed || s->eth_typed)
        return;
    if (identity_is(&s->t, type, "ipv4-acl-type"))
        rewrite_type(s, type, "ipv4-acl-type", "mixed-eth-ipv4-acl-type", path, "type");
    else if (identity_is(&s->t, type, "ipv6-acl-type"))
        rewrite_type(s, type, "ipv6-acl-type", "mixed-eth-ipv6-acl-type", path, "type");
}

/* The profile's last-update exactly as written, when it is a plain string. */
static void keep_last_update(scan *s, const jnode *value)
{
    if (!value || value->type != J_STRING || s->error)
        return;
    uint32_t len;
    const char *text = iotnet__json_string(&s->t, value, &len);
    if (len == 0 || len > 64 || memchr(text, '\\', len))
        return;
    char copy[72];
    snprintf(copy, sizeof copy, "%.*s", (int)len, text);
    s->error = iotnet__strpool_intern(&s->mud->strings, copy, &s->mud->last_update_text);
}

static void check_document(scan *s)
{
    const jnode *top = &s->t.nodes[0];
    if (top->type != J_OBJECT)
        return;
    for (const jnode *m = iotnet__json_first_child(&s->t, top); m; m = iotnet__json_next_sibling(&s->t, m)) {
        if (iotnet__json_key_equals(&s->t, m, "ietf-mud:mud")) {
            keep_last_update(s, iotnet__json_member(&s->t, m, "last-update"));
            continue;
        }
        bool old_root = iotnet__json_key_equals(&s->t, m, ACL_MODULE ":access-lists");
        if (!old_root && !iotnet__json_key_equals(&s->t, m, ACL_MODULE ":acls"))
            continue;
        s->root = old_root ? ACL_MODULE ":access-lists" : ACL_MODULE ":acls";
        if (old_root && s->lenient)
            finding(s, m->key_at, m->key_len, ACL_MODULE ":acls", "/" ACL_MODULE ":access-lists",
                    "renamed " ACL_MODULE ":access-lists to " ACL_MODULE ":acls");
        else if (old_root)
            finding(s, m->key_at, 0, NULL, "/" ACL_MODULE ":access-lists",
                    "pre-RFC 8519 construct: root member \"" ACL_MODULE ":access-lists\" (RFC 8519 calls "
                    "it \"" ACL_MODULE ":acls\")");
        const jnode *list = iotnet__json_member(&s->t, m, "acl");
        if (!list || list->type != J_ARRAY)
            continue;
        static const char *const eth_types[] = {"eth-acl-type", "ethernet-acl-type", "mixed-eth-ipv4-acl-type",
                                                "mixed-eth-ipv6-acl-type", "mixed-eth-ipv4-ipv6-acl-type"};
        for (const jnode *acl = iotnet__json_first_child(&s->t, list); acl; acl = iotnet__json_next_sibling(&s->t, acl))
            for (size_t k = 0; k < sizeof eth_types / sizeof *eth_types; k++)
                s->eth_typed = s->eth_typed || identity_is(&s->t, iotnet__json_member(&s->t, acl, "type"), eth_types[k]);
        for (const jnode *acl = iotnet__json_first_child(&s->t, list); acl; acl = iotnet__json_next_sibling(&s->t, acl))
            check_acl(s, acl);
    }
}

static int edit_order(const void *a, const void *b)
{
    const edit *x = a, *y = b;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* The text with every edit applied, in order of position. */
static int apply_edits(scan *s, char **out)
{
    qsort(s->edits, s->edit_count, sizeof *s->edits, edit_order);
    iotnet__buf b = {0};
    uint32_t pos = 0;
    for (size_t i = 0; i < s->edit_count; i++) {
        const edit *e = &s->edits[i];
        if (e->at < pos)
            continue; /* overlapping edits cannot come from one tree; keep the first */
        iotnet__buf_append(&b, s->t.text + pos, e->at - pos);
        iotnet__buf_puts(&b, e->with);
        pos = e->at + e->len;
    }
    iotnet__buf_append(&b, s->t.text + pos, s->t.len - pos);
    *out = iotnet__buf_detach(&b);
    return *out ? 0 : iotnet__error_set(IOTNET_ENOMEM, "out of memory rewriting the MUD file");
}

int iotnet__mud_scan(iotnet_mud *mud, const char *text, size_t len, const char *label, bool lenient,
                     bool report, char **normalised)
{
    *normalised = NULL;
    scan s;
    memset(&s, 0, sizeof s);
    s.mud = mud;
    s.label = label;
    s.lenient = lenient;
    s.root = ACL_MODULE ":acls";
    int error = iotnet__json_parse(&s.t, text, len);
    if (error == 1 || s.t.count == 0) {
        error = 0; /* not JSON: libyang tells the user where */
        goto cleanup;
    }
    if (error)
        goto cleanup;
    check_document(&s);
    if ((error = s.error))
        goto cleanup;
    if (!lenient && report && s.found) {
        long line = iotnet__json_line(&s.t, s.first_at);
        char more[64] = "";
        if (s.found > 1)
            snprintf(more, sizeof more, "; %d more pre-RFC constructs follow", s.found - 1);
        error = iotnet__error_set(IOTNET_EVALIDATION, "%s:%ld: %s%s; load leniently to normalise them (at %s)",
                                  label, line, s.first, more, s.first_path);
        iotnet__error_locate(label, line, s.first_path);
        goto cleanup;
    }
    if ((lenient && s.edit_count) || s.forced)
        error = apply_edits(&s, normalised);
cleanup:
    for (size_t i = 0; i < s.edit_count; i++)
        free(s.edits[i].with);
    free(s.edits);
    iotnet__json_free(&s.t);
    return error;
}
