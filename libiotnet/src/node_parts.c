/* The optional parts of a node: interfaces, services and lifecycle facts. */
#include "net_internal.h"
#include "error_internal.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- IPv4 text ------------------------------------------------------ */

static int parse_octets(const char *s, const char *end, uint32_t *out)
{
    uint32_t addr = 0;
    int octets = 0;
    while (s < end) {
        if (*s < '0' || *s > '9')
            return -1;
        unsigned v = 0;
        int digits = 0;
        while (s < end && *s >= '0' && *s <= '9' && digits < 4) {
            v = v * 10 + (unsigned)(*s++ - '0');
            digits++;
        }
        if (v > 255 || digits > 3 || ++octets > 4)
            return -1;
        addr = (addr << 8) | v;
        if (s < end && *s++ != '.')
            return -1;
        if (s == end && end[-1] == '.')
            return -1;
    }
    if (octets != 4)
        return -1;
    *out = addr;
    return 0;
}

/* Read the decimal digits at *p (one at least; no sign or space, which
   strtol would allow) as a number up to max, and move *p past them. */
static bool read_decimal(const char **p, long max, long *out)
{
    const char *s = *p;
    long v = 0;
    if (*s < '0' || *s > '9')
        return false;
    for (; *s >= '0' && *s <= '9'; s++)
        if ((v = v * 10 + (*s - '0')) > max)
            return false;
    *p = s;
    *out = v;
    return true;
}

int iotnet_ipv4_parse(uint32_t *out_addr, uint8_t *out_prefix_len, const char *text)
{
    if (!out_addr || !text)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_ipv4_parse: out_addr and text are required");
    const char *slash = strchr(text, '/');
    const char *end = slash ? slash : text + strlen(text);
    uint32_t addr;
    long len = 32;
    if (parse_octets(text, end, &addr) != 0)
        return iotnet__error_set(IOTNET_EINVAL, "\"%s\" is not an IPv4 address (expected a.b.c.d or a.b.c.d/len)", text);
    if (slash) {
        const char *stop = slash + 1;
        if (!read_decimal(&stop, 32, &len) || *stop)
            return iotnet__error_set(IOTNET_EINVAL, "\"%s\": prefix length must be 0..32", text);
    }
    *out_addr = addr;
    if (out_prefix_len)
        *out_prefix_len = (uint8_t)len;
    return 0;
}

void iotnet_ipv4_format(char *buf, uint32_t addr, uint8_t prefix_len)
{
    int n = snprintf(buf, 16, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 255, (addr >> 8) & 255, addr & 255);
    if (prefix_len < 32)
        snprintf(buf + n, 4, "/%u", prefix_len);
}

/* ---- word lists ----------------------------------------------------- */

bool iotnet__words_contain(const char *list, const char *word)
{
    size_t wl = strlen(word);
    for (const char *p = list; p && *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (n == wl && n && strncmp(p, word, n) == 0)
            return true;
        p += n;
    }
    return false;
}

int iotnet__service_parse(const char *w, size_t n, int *protocol, int *lo, int *hi)
{
    char tmp[32];
    if (n >= sizeof tmp)
        return -1;
    memcpy(tmp, w, n);
    tmp[n] = '\0';
    *lo = *hi = 0;
    if (!strcmp(tmp, "any") || !strcmp(tmp, "icmp")) {
        *protocol = tmp[0] == 'a' ? IOTNET_PROTO_ANY : IOTNET_PROTO_ICMP;
        return 0;
    }
    const char *slash = strchr(tmp, '/');
    if (!slash)
        return -1;
    size_t pl = (size_t)(slash - tmp);
    if (pl == 3 && !strncmp(tmp, "tcp", 3))
        *protocol = IOTNET_PROTO_TCP;
    else if (pl == 3 && !strncmp(tmp, "udp", 3))
        *protocol = IOTNET_PROTO_UDP;
    else if (pl == 4 && !strncmp(tmp, "sctp", 4))
        *protocol = IOTNET_PROTO_SCTP;
    else
        return -1;
    const char *stop = slash + 1;
    long l, h;
    if (!read_decimal(&stop, 65535, &l))
        return -1;
    h = l;
    if (*stop == '-' && (++stop, !read_decimal(&stop, 65535, &h)))
        return -1;
    if (*stop || l > h)
        return -1;
    *lo = (int)l;
    *hi = (int)h;
    return 0;
}

int iotnet__services_normalise(iotnet_net *net, const char *text, iotnet__str *out)
{
    *out = 0;
    if (!text)
        return 0;
    iotnet__buf b = {0};
    int error = 0;
    for (const char *p = text; *p && !error;) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        size_t n = strcspn(p, " ,\t");
        if (!n)
            break;
        int proto, lo, hi;
        if (iotnet__service_parse(p, n, &proto, &lo, &hi) != 0)
            error = iotnet__error_set(IOTNET_EINVAL, "service \"%.*s\" is not tcp/PORT, udp/PORT, sctp/PORT, a range like tcp/8000-8100, icmp or any",
                                      (int)n, p);
        else if (b.len)
            error = iotnet__buf_puts(&b, " ");
        if (!error)
            error = iotnet__buf_append(&b, p, n);
        p += n;
    }
    if (!error && b.len)
        error = iotnet__intern(net, b.data, out);
    iotnet__buf_free(&b);
    return error;
}

/* ---- interfaces ----------------------------------------------------- */

uint32_t iotnet__iface_find(const iotnet_net *net, iotnet_index node, const char *name)
{
    iotnet__str s = iotnet__strpool_lookup(&net->strings, name);
    if (!s)
        return IOTNET_NONE;
    for (uint32_t i = net->nodes.first_iface[node]; i != IOTNET_NONE; i = net->ifaces.items[i].next)
        if (net->ifaces.items[i].name == s)
            return i;
    return IOTNET_NONE;
}

/* Append record `rec` to a node's singly linked list whose head is *head. */
static void list_append(uint32_t *head, uint32_t rec, uint32_t *(*next_of)(iotnet_net *, uint32_t), iotnet_net *net)
{
    uint32_t *p = head;
    while (*p != IOTNET_NONE)
        p = next_of(net, *p);
    *p = rec;
}

static uint32_t *iface_next(iotnet_net *net, uint32_t i)
{
    return &net->ifaces.items[i].next;
}

static uint32_t *service_next(iotnet_net *net, uint32_t s)
{
    return &net->services.items[s].next;
}

/* The i-th record of a list, or IOTNET_NONE. */
static uint32_t list_nth(iotnet_net *net, uint32_t head, size_t i, uint32_t *(*next_of)(iotnet_net *, uint32_t))
{
    uint32_t r = head;
    while (r != IOTNET_NONE && i--)
        r = *next_of(net, r);
    return r;
}

static size_t list_length(iotnet_net *net, uint32_t head, uint32_t *(*next_of)(iotnet_net *, uint32_t))
{
    size_t n = 0;
    for (uint32_t r = head; r != IOTNET_NONE; r = *next_of(net, r))
        n++;
    return n;
}

int iotnet_interface_add(iotnet_net *net, iotnet_index node, const iotnet_interface *iface)
{
    int error = iotnet__node_check(net, node);
    if (error)
        return error;
    const char *node_id = iotnet__text(net, net->nodes.id[node]);
    if (!iface || !iface->name || !*iface->name)
        return iotnet__error_set(IOTNET_EINVAL, "node \"%s\": an interface needs a name", node_id);
    if ((error = iotnet__version_check(iface->version, IOTNET_INTERFACE_VERSION, "iotnet_interface")))
        return error;
    if (iface->prefix_len > 32)
        return iotnet__error_set(IOTNET_EINVAL, "node \"%s\" interface \"%s\": prefix length %u is not 0..32",
                                 node_id, iface->name, iface->prefix_len);
    if (iotnet__iface_find(net, node, iface->name) != IOTNET_NONE)
        return iotnet__error_set(IOTNET_EEXISTS, "node \"%s\" has an interface \"%s\" already", node_id, iface->name);
    iface_rec rec = {.node = node, .next = IOTNET_NONE, .ipv4 = iface->ipv4, .prefix_len = iface->prefix_len};
    if ((error = iotnet__intern(net, iface->name, &rec.name)) ||
        (error = iotnet__intern(net, iface->description, &rec.description)) ||
        (error = IOTNET__VEC_PUSH_ROOM(net->ifaces)))
        return error;
    uint32_t i = net->ifaces.count++;
    net->ifaces.items[i] = rec;
    list_append(&net->nodes.first_iface[node], i, iface_next, net);
    return 0;
}

size_t iotnet_interface_count(const iotnet_net *net, iotnet_index node)
{
    if (!iotnet__node_alive(net, node))
        return 0;
    return list_length((iotnet_net *)net, net->nodes.first_iface[node], iface_next);
}

int iotnet_interface_get(const iotnet_net *net, iotnet_index node, size_t i, iotnet_interface *out)
{
    int error = iotnet__node_check(net, node);
    if (error)
        return error;
    uint32_t r = list_nth((iotnet_net *)net, net->nodes.first_iface[node], i, iface_next);
    if (r == IOTNET_NONE || !out)
        return iotnet__error_set(r == IOTNET_NONE ? IOTNET_ENOTFOUND : IOTNET_EINVAL,
                                 "node \"%s\": no interface number %zu", iotnet__text(net, net->nodes.id[node]), i);
    const iface_rec *rec = &net->ifaces.items[r];
    out->version = IOTNET_INTERFACE_VERSION;
    out->name = iotnet__text(net, rec->name);
    out->ipv4 = rec->ipv4;
    out->prefix_len = rec->prefix_len;
    out->description = iotnet__text(net, rec->description);
    return 0;
}

static bool iface_used(const iotnet_net *net, iotnet_index node, iotnet__str name, const char **user)
{
    for (uint32_t e = net->nodes.first_link[node]; e != IOTNET_NONE; e = net->links.next[e]) {
        uint32_t l = e >> 1;
        if ((e & 1 ? net->links.b_iface[l] : net->links.a_iface[l]) == name) {
            *user = iotnet__text(net, net->links.id[l]);
            return true;
        }
    }
    uint32_t nat = net->nodes.nat[node];
    if (nat != IOTNET_NONE) {
        const nat_rec *r = &net->nats.items[nat];
        const char *text = iotnet__text(net, name);
        if (r->outside == name || iotnet__words_contain(iotnet__text(net, r->inside), text)) {
            *user = "NAT44";
            return true;
        }
    }
    return false;
}

int iotnet_interface_remove(iotnet_net *net, iotnet_index node, const char *name)
{
    int error = iotnet__node_check(net, node);
    if (error)
        return error;
    const char *node_id = iotnet__text(net, net->nodes.id[node]);
    if (!name)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_interface_remove: a name is required");
    uint32_t i = iotnet__iface_find(net, node, name);
    if (i == IOTNET_NONE)
        return iotnet__error_set(IOTNET_ENOTFOUND, "node \"%s\" has no interface \"%s\"", node_id, name ? name : "");
    const char *user;
    if (iface_used(net, node, net->ifaces.items[i].name, &user))
        return iotnet__error_set(IOTNET_EINUSE, "node \"%s\" interface \"%s\" is used by %s", node_id, name, user);
    uint32_t *p = &net->nodes.first_iface[node];
    while (*p != i)
        p = &net->ifaces.items[*p].next;
    *p = net->ifaces.items[i].next;
    net->ifaces.items[i].node = IOTNET_NONE;
    return 0;
}

/* ---- services ------------------------------------------------------- */

static uint32_t service_find(const iotnet_net *net, iotnet_index node, const char *name)
{
    iotnet__str s = iotnet__strpool_lookup(&net->strings, name);
    if (!s)
        return IOTNET_NONE;
    for (uint32_t r = net->nodes.first_service[node]; r != IOTNET_NONE; r = net->services.items[r].next)
        if (net->services.items[r].name == s)
            return r;
    return IOTNET_NONE;
}

static int service_check(const iotnet_net *net, iotnet_index node, const iotnet_service *svc)
{
    const char *node_id = iotnet__text(net, net->nodes.id[node]);
    if (!svc || !svc->name || !*svc->name)
        return iotnet__error_set(IOTNET_EINVAL, "node \"%s\": a service needs a name", node_id);
    if (iotnet__version_check(svc->version, IOTNET_SERVICE_VERSION, "iotnet_service"))
        return IOTNET_EINVAL;
    if (!iotnet_enum_name(IOTNET_ENUM_PROTOCOL, svc->protocol) ||
        !iotnet_enum_name(IOTNET_ENUM_AUTH, (int)svc->authentication) ||
        !iotnet_enum_name(IOTNET_ENUM_TRANSPORT, (int)svc->transport) ||
        !iotnet_enum_name(IOTNET_ENUM_NAT_TRAVERSAL, (int)svc->nat_traversal))
        return iotnet__error_set(IOTNET_EINVAL, "node \"%s\" service \"%s\": protocol, authentication, transport or nat_traversal out of range",
                                 node_id, svc->name);
    if (service_find(net, node, svc->name) != IOTNET_NONE)
        return iotnet__error_set(IOTNET_EEXISTS, "node \"%s\" has a service \"%s\" already", node_id, svc->name);
    return 0;
}

int iotnet_service_add(iotnet_net *net, iotnet_index node, const iotnet_service *svc)
{
    int error = iotnet__node_check(net, node);
    if (error || (error = service_check(net, node, svc)))
        return error;
    service_rec rec = {.node = node, .next = IOTNET_NONE, .port = svc->port, .protocol = (uint8_t)svc->protocol,
                       .auth = (uint8_t)svc->authentication, .transport = (uint8_t)svc->transport,
                       .management = svc->management, .traversal = (uint8_t)svc->nat_traversal};
    if ((error = iotnet__intern(net, svc->name, &rec.name)) ||
        (error = iotnet__intern(net, svc->cipher_suites && *svc->cipher_suites ? svc->cipher_suites : NULL,
                                &rec.cipher_suites)) ||
        (error = IOTNET__VEC_PUSH_ROOM(net->services)))
        return error;
    uint32_t s = net->services.count++;
    net->services.items[s] = rec;
    list_append(&net->nodes.first_service[node], s, service_next, net);
    return 0;
}

size_t iotnet_service_count(const iotnet_net *net, iotnet_index node)
{
    if (!iotnet__node_alive(net, node))
        return 0;
    return list_length((iotnet_net *)net, net->nodes.first_service[node], service_next);
}

int iotnet_service_get(const iotnet_net *net, iotnet_index node, size_t i, iotnet_service *out)
{
    int error = iotnet__node_check(net, node);
    if (error)
        return error;
    uint32_t r = list_nth((iotnet_net *)net, net->nodes.first_service[node], i, service_next);
    if (r == IOTNET_NONE || !out)
        return iotnet__error_set(r == IOTNET_NONE ? IOTNET_ENOTFOUND : IOTNET_EINVAL,
                                 "node \"%s\": no service number %zu", iotnet__text(net, net->nodes.id[node]), i);
    const service_rec *rec = &net->services.items[r];
    out->version = IOTNET_SERVICE_VERSION;
    out->name = iotnet__text(net, rec->name);
    out->protocol = rec->protocol;
    out->port = rec->port;
    out->authentication = (iotnet_auth)rec->auth;
    out->transport = (iotnet_transport)rec->transport;
    out->cipher_suites = iotnet__text(net, rec->cipher_suites);
    out->management = rec->management;
    out->nat_traversal = (iotnet_nat_traversal)rec->traversal;
    return 0;
}

int iotnet_service_remove(iotnet_net *net, iotnet_index node, const char *name)
{
    int error = iotnet__node_check(net, node);
    if (error)
        return error;
    if (!name)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_service_remove: a name is required");
    uint32_t s = service_find(net, node, name);
    if (s == IOTNET_NONE)
        return iotnet__error_set(IOTNET_ENOTFOUND, "node \"%s\" has no service \"%s\"",
                                 iotnet__text(net, net->nodes.id[node]), name ? name : "");
    uint32_t *p = &net->nodes.first_service[node];
    while (*p != s)
        p = &net->services.items[*p].next;
    *p = net->services.items[s].next;
    net->services.items[s].node = IOTNET_NONE;
    return 0;
}

/* ---- lifecycle ------------------------------------------------------ */

static int lifecycle_check(const iotnet_net *net, iotnet_index node, const iotnet_lifecycle *lc)
{
    if (!lc)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_lifecycle_set: lifecycle is required");
    if (iotnet__version_check(lc->version, IOTNET_LIFECYCLE_VERSION, "iotnet_lifecycle"))
        return IOTNET_EINVAL;
    if (!iotnet_enum_name(IOTNET_ENUM_UPDATE, (int)lc->update_mechanism) ||
        !iotnet_enum_name(IOTNET_ENUM_RESET, (int)lc->reset_method) ||
        !iotnet_enum_name(IOTNET_ENUM_ATTESTATION, (int)lc->attestation) ||
        !iotnet_enum_name(IOTNET_ENUM_TRISTATE, (int)lc->ownership_statement) ||
        !iotnet_enum_name(IOTNET_ENUM_TRISTATE, (int)lc->vendor_cloud_dependency) ||
        !iotnet_enum_name(IOTNET_ENUM_TRISTATE, (int)lc->credentials_escrowed))
        return iotnet__error_set(IOTNET_EINVAL, "node \"%s\": a lifecycle field is out of range",
                                 iotnet__text(net, net->nodes.id[node]));
    if (lc->signed_artifact_lifetime != IOTNET_TIME_UNSET && lc->signed_artifact_lifetime < 0)
        return iotnet__error_set(IOTNET_EINVAL, "node \"%s\": signed-artifact lifetime is negative",
                                 iotnet__text(net, net->nodes.id[node]));
    return 0;
}

int iotnet_lifecycle_set(iotnet_net *net, iotnet_index node, const iotnet_lifecycle *lc)
{
    int error = iotnet__node_check(net, node);
    if (error || (error = lifecycle_check(net, node, lc)))
        return error;
    lifecycle_rec rec = {
        .certificate_not_after = lc->certificate_not_after,
        .signed_artifact_lifetime = lc->signed_artifact_lifetime,
        .end_of_support = lc->end_of_support,
        .update = (uint8_t)lc->update_mechanism,
        .ownership = (uint8_t)lc->ownership_statement,
        .reset = (uint8_t)lc->reset_method,
        .cloud = (uint8_t)lc->vendor_cloud_dependency,
        .escrowed = (uint8_t)lc->credentials_escrowed,
        .attestation = (uint8_t)lc->attestation,
    };
    if ((error = iotnet__intern(net, lc->owner, &rec.owner)))
        return error;
    uint32_t slot = net->nodes.lifecycle[node];
    if (slot == IOTNET_NONE) {
        if ((error = IOTNET__VEC_PUSH_ROOM(net->lifecycles)))
            return error;
        slot = net->lifecycles.count++;
        net->nodes.lifecycle[node] = slot;
    }
    net->lifecycles.items[slot] = rec;
    return 0;
}

bool iotnet_lifecycle_exists(const iotnet_net *net, iotnet_index node)
{
    return iotnet__node_alive(net, node) && net->nodes.lifecycle[node] != IOTNET_NONE;
}

int iotnet_lifecycle_get(const iotnet_net *net, iotnet_index node, iotnet_lifecycle *out)
{
    int error = iotnet__node_check(net, node);
    if (error)
        return error;
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_lifecycle_get: out is required");
    iotnet_lifecycle unset = IOTNET_LIFECYCLE_INIT;
    *out = unset;
    uint32_t slot = net->nodes.lifecycle[node];
    if (slot == IOTNET_NONE)
        return iotnet__error_set(IOTNET_ENOTFOUND, "node \"%s\" has no lifecycle facts",
                                 iotnet__text(net, net->nodes.id[node]));
    const lifecycle_rec *r = &net->lifecycles.items[slot];
    out->certificate_not_after = r->certificate_not_after;
    out->signed_artifact_lifetime = r->signed_artifact_lifetime;
    out->end_of_support = r->end_of_support;
    out->update_mechanism = (iotnet_update_mechanism)r->update;
    out->owner = iotnet__text(net, r->owner);
    out->ownership_statement = (iotnet_tristate)r->ownership;
    out->reset_method = (iotnet_reset_method)r->reset;
    out->vendor_cloud_dependency = (iotnet_tristate)r->cloud;
    out->credentials_escrowed = (iotnet_tristate)r->escrowed;
    out->attestation = (iotnet_attestation)r->attestation;
    return 0;
}
