/* Export entry points and the text pieces GraphML and DOT share. */
#include "emit_internal.h"
#include "error_internal.h"
#include "iotnet/names.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int iotnet_export(const iotnet_net *net, iotnet_export_format format, char **out)
{
    return iotnet_export_ext(out, net, format, NULL);
}

int iotnet_export_file(const iotnet_net *net, iotnet_export_format format, const char *path)
{
    return iotnet_export_file_ext(net, format, path, NULL);
}

/* Whether SVG draws every node without being asked to: dot lays such a
   model out in a few seconds (see IOTNET_EXPORT_SVG_DETAIL_MAX_NODES). */
static bool drawn_node_by_node(const iotnet_net *net, const iotnet_export_options *opts)
{
    return (opts && opts->full) || (iotnet_node_count(net) <= IOTNET_EXPORT_SVG_DETAIL_MAX_NODES &&
                                    iotnet_link_count(net) <= IOTNET_EXPORT_SVG_DETAIL_MAX_LINKS);
}

/* SVG: the DOT text of every node or of the zone view, laid out and rendered by Graphviz. */
static int render_svg(const iotnet_net *net, const iotnet__overlay *ov, const iotnet_export_options *opts,
                      char **out)
{
    size_t nodes = iotnet_node_count(net);
    bool every_node = drawn_node_by_node(net, opts);
    if (every_node && nodes > IOTNET_EXPORT_SVG_MAX_NODES)
        return iotnet__error_set(IOTNET_EINVAL,
                                 "the model has %zu nodes, too many to lay out as SVG (at most %d): "
                                 "export DOT and lay it out with a tool for large graphs",
                                 nodes, IOTNET_EXPORT_SVG_MAX_NODES);
    char *dot = NULL;
    int error = every_node ? iotnet__emit_dot(net, ov, &dot) : iotnet__emit_zone_view(net, ov, &dot);
    if (!error)
        error = iotnet__emit_svg(dot, out);
    free(dot);
    return error;
}

static int check_arguments(char **out, const iotnet_net *net, iotnet_export_format format,
                           const iotnet_export_options *opts)
{
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_export: out is NULL");
    *out = NULL;
    if (!net)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_export: net is NULL");
    if (format < IOTNET_EXPORT_GRAPHML || format > IOTNET_EXPORT_SVG)
        return iotnet__error_set(IOTNET_EINVAL, "unknown export format %d", (int)format);
    if (opts && opts->version != IOTNET_EXPORT_OPTIONS_VERSION)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_export_options version %u is not %d",
                                 opts->version, IOTNET_EXPORT_OPTIONS_VERSION);
    return 0;
}

int iotnet_export_ext(char **out, const iotnet_net *net, iotnet_export_format format,
                      const iotnet_export_options *opts)
{
    int error = check_arguments(out, net, format, opts);
    if (error)
        return error;
    iotnet__overlay ov;
    error = iotnet__overlay_build(&ov, net, opts);
    if (error)
        return error;
    switch (format) {
    case IOTNET_EXPORT_GRAPHML:
        error = iotnet__emit_graphml(net, &ov, out);
        break;
    case IOTNET_EXPORT_DOT:
        error = iotnet__emit_dot(net, &ov, out);
        break;
    case IOTNET_EXPORT_SVG:
        error = render_svg(net, &ov, opts, out);
        break;
    }
    iotnet__overlay_free(&ov);
    return error;
}

int iotnet_export_file_ext(const iotnet_net *net, iotnet_export_format format, const char *path,
                           const iotnet_export_options *opts)
{
    if (!path)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_export_file: path is NULL");
    char *text = NULL;
    int error = iotnet_export_ext(&text, net, format, opts);
    if (!error)
        error = iotnet__write_file_atomic(path, text, strlen(text));
    free(text);
    return error;
}

const char *iotnet_export_kind_family(const iotnet_net *net, iotnet_kind kind)
{
    /* a kind has a single parent chain, so at most one of these roots matches */
    static const char *const roots[] = {"internet", IOTNET_KIND_FORWARDING, "device",
                                        "cloud-service"};
    if (!net || !iotnet_kind_name(net, kind))
        return "other";
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
        iotnet_kind root;
        if (iotnet_kind_find(net, &root, roots[i]) == 0 && iotnet_kind_is_a(net, kind, root))
            return roots[i];
    }
    return "other";
}

int iotnet_export_services(const iotnet_net *net, iotnet_index node, char **out)
{
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_export_services: out is NULL");
    *out = NULL;
    if (!net)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_export_services: net is NULL");
    iotnet_node_spec spec;
    int error = iotnet_node_get(net, node, &spec);
    if (error)
        return error;
    iotnet__buf b = {0};
    error = iotnet__emit_services(&b, net, node);
    if (error) {
        iotnet__buf_free(&b);
        return error;
    }
    *out = iotnet__buf_detach(&b);
    return *out ? 0 : iotnet__error_set(IOTNET_ENOMEM, "out of memory");
}

/* The name of an enumeration value, or NULL when the value means "not stated". */
static const char *stated(iotnet_enum type, int value)
{
    return value == 0 ? NULL : iotnet_enum_name(type, value);
}

static void append_cipher_suites(iotnet__buf *b, const char *suites)
{
    /* space-separated in the model; commas keep one service one token group */
    iotnet__buf_puts(b, " ciphers=");
    int pending_comma = 0;
    for (const char *p = suites; *p; p++) {
        if (*p == ' ') {
            pending_comma = 1;
            continue;
        }
        if (pending_comma && b->len > 0 && b->data[b->len - 1] != '=')
            iotnet__buf_append(b, ",", 1);
        pending_comma = 0;
        iotnet__buf_append(b, p, 1);
    }
}

/* " key=value" */
static void append_pair(iotnet__buf *b, const char *key, const char *value)
{
    iotnet__buf_puts(b, " ");
    iotnet__buf_puts(b, key);
    iotnet__buf_puts(b, "=");
    iotnet__buf_puts(b, value);
}

/* Built with plain appends: it runs once per service of a large model. */
static void append_service(iotnet__buf *b, const iotnet_service *svc)
{
    const char *proto = iotnet_enum_name(IOTNET_ENUM_PROTOCOL, svc->protocol);
    iotnet__buf_puts(b, svc->name);
    iotnet__buf_puts(b, " ");
    iotnet__buf_puts(b, proto ? proto : "?");
    if (svc->port) {
        char port[8];
        char *p = port + sizeof port;
        *--p = '\0';
        for (unsigned v = svc->port; v; v /= 10)
            *--p = (char)('0' + v % 10);
        *--p = '/';
        iotnet__buf_puts(b, p);
    }
    const char *auth = stated(IOTNET_ENUM_AUTH, (int)svc->authentication);
    if (auth)
        append_pair(b, "auth", auth);
    const char *transport = stated(IOTNET_ENUM_TRANSPORT, (int)svc->transport);
    if (transport)
        append_pair(b, "transport", transport);
    if (svc->cipher_suites && svc->cipher_suites[0])
        append_cipher_suites(b, svc->cipher_suites);
    if (svc->management)
        iotnet__buf_puts(b, " management");
    const char *traversal = stated(IOTNET_ENUM_NAT_TRAVERSAL, (int)svc->nat_traversal);
    if (traversal)
        append_pair(b, "traversal", traversal);
}

int iotnet__emit_services(iotnet__buf *b, const iotnet_net *net, iotnet_index node)
{
    size_t count = iotnet_service_count(net, node);
    for (size_t i = 0; i < count; i++) {
        iotnet_service svc;
        int error = iotnet_service_get(net, node, i, &svc);
        if (error)
            return error;
        if (i > 0)
            iotnet__buf_puts(b, "; ");
        append_service(b, &svc);
    }
    return b->failed ? IOTNET_ENOMEM : 0;
}

int iotnet__emit_interfaces(iotnet__buf *b, const iotnet_net *net, iotnet_index node)
{
    size_t count = iotnet_interface_count(net, node);
    for (size_t i = 0; i < count; i++) {
        iotnet_interface iface;
        int error = iotnet_interface_get(net, node, i, &iface);
        if (error)
            return error;
        if (i > 0)
            iotnet__buf_puts(b, "; ");
        iotnet__buf_puts(b, iface.name);
        if (iface.ipv4) {
            char addr[20];
            iotnet_ipv4_format(addr, iface.ipv4, iface.prefix_len);
            iotnet__buf_printf(b, " %s", addr);
        }
        iotnet__emit_note(b, iface.description);
    }
    return b->failed ? IOTNET_ENOMEM : 0;
}

int iotnet__emit_zone_summary(iotnet__buf *b, const iotnet_net *net, iotnet_index zone)
{
    iotnet_zone_spec z;
    int error = iotnet_zone_get(net, zone, &z);
    if (error)
        return error;
    iotnet__buf_puts(b, z.kind ? z.kind : "?");
    if (z.purdue_level >= 0)
        iotnet__buf_printf(b, ", Purdue %g", z.purdue_level);
    if (z.target_sl)
        iotnet__buf_printf(b, ", SL %u", (unsigned)z.target_sl);
    int first = 1;
    for (int fr = 0; fr < 7; fr++) {
        if (!z.target_sl_fr[fr])
            continue;
        iotnet__buf_printf(b, "%sFR%d SL %u", first ? " (" : ", ", fr + 1, (unsigned)z.target_sl_fr[fr]);
        first = 0;
    }
    if (!first)
        iotnet__buf_puts(b, ")");
    return b->failed ? IOTNET_ENOMEM : 0;
}

void iotnet__emit_date(char *buf, int64_t seconds)
{
    time_t t = (time_t)seconds;
    struct tm tm;
    if ((int64_t)t != seconds || !gmtime_r(&t, &tm) ||
        strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, 32, "%" PRId64, seconds); /* beyond what the C library can format */
}

void iotnet__emit_double(char *buf, double value)
{
    /* the shortest of the usual precisions that reads back exactly */
    snprintf(buf, 32, "%.15g", value);
    if (isfinite(value) && strtod(buf, NULL) != value)
        snprintf(buf, 32, "%.17g", value);
}

