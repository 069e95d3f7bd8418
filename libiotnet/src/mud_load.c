/* MUD files (RFC 8520) through libyang: the profile object, loading and
 * validating (strict, or lenient after mud_scan.c rewrote the draft ACL
 * model's constructs), and the entry points; mud_flatten.c turns the data
 * tree into entries. */
#include "mud_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libyang/libyang.h>

#include "error_internal.h"
#include "iotnet/yangio.h"
#include "util.h"
#include "yangio_internal.h"

#define MESSAGE_MAX 1024
#define MUD_MODULE "ietf-mud"
#define ACL_MODULE "ietf-access-control-list"
#define ACLDNS_MODULE "ietf-acldns"

/* ------------------------------------------------------------------ */
/* The profile object                                                  */

static iotnet_mud *mud_new(void)
{
    iotnet_mud *mud = calloc(1, sizeof *mud);
    if (!mud)
        iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    return mud;
}

void iotnet_mud_free(iotnet_mud *mud)
{
    if (!mud)
        return;
    iotnet__strpool_free(&mud->strings);
    free(mud->aces.items);
    free(mud->changes.items);
    free(mud->notes.items);
    free(mud);
}

int iotnet__mud_add_line(iotnet_mud *mud, iotnet__mud_lines *lines, const char *fmt, ...)
{
    char text[2 * MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    iotnet__str s;
    int error = iotnet__strpool_intern(&mud->strings, text, &s);
    if (!error)
        error = IOTNET__VEC_PUSH_ROOM(*lines);
    if (!error)
        lines->items[lines->count++] = s;
    return error;
}

int iotnet_mud_get_info(const iotnet_mud *mud, iotnet_mud_info *out)
{
    if (!mud || !out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_mud_get_info: mud and out are required");
    iotnet__mud_info_read(&mud->strings, &mud->info, out);
    return 0;
}

size_t iotnet_mud_ace_count(const iotnet_mud *mud)
{
    return mud ? mud->aces.count : 0;
}

int iotnet_mud_ace_get(const iotnet_mud *mud, size_t i, iotnet_mud_ace *out)
{
    if (!mud || !out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_mud_ace_get: mud and out are required");
    if (i >= mud->aces.count)
        return iotnet__error_set(IOTNET_ENOTFOUND, "the MUD profile has no entry number %zu", i);
    iotnet__mud_ace_read(&mud->strings, &mud->aces.items[i], out);
    return 0;
}

size_t iotnet_mud_change_count(const iotnet_mud *mud)
{
    return mud ? mud->changes.count : 0;
}

const char *iotnet_mud_change(const iotnet_mud *mud, size_t i)
{
    return mud && i < mud->changes.count ? iotnet__str_text(&mud->strings, mud->changes.items[i]) : NULL;
}

size_t iotnet_mud_note_count(const iotnet_mud *mud)
{
    return mud ? mud->notes.count : 0;
}

const char *iotnet_mud_note(const iotnet_mud *mud, size_t i)
{
    return mud && i < mud->notes.count ? iotnet__str_text(&mud->strings, mud->notes.items[i]) : NULL;
}

/* ------------------------------------------------------------------ */
/* libyang                                                             */

static const char *const mud_modules[] = {ACL_MODULE, MUD_MODULE, ACLDNS_MODULE, NULL};

/* libyang's "No module named "X" in the context": a member of an extension
 * module that yang_path does not supply. Names the member as written. */
static int missing_module_error(const struct ly_ctx *ctx, const char *text_in, const char *label)
{
    const struct ly_err_item *e = ly_err_first(ctx);
    while (e && e->level != LY_LLERR)
        e = e->next;
    static const char marker[] = "No module named \"";
    const char *start = e && e->msg ? strstr(e->msg, marker) : NULL;
    if (!start)
        return 0;
    start += sizeof marker - 1;
    const char *end = strchr(start, '"');
    if (!end || end - start > 200)
        return 0;
    char module[256], member[512] = "";
    snprintf(module, sizeof module, "%.*s", (int)(end - start), start);
    char probe[300];
    snprintf(probe, sizeof probe, "\"%s:", module);
    const char *at = strstr(text_in, probe);
    if (at) {
        const char *close = strchr(at + 1, '"');
        if (close && close - at < 300)
            snprintf(member, sizeof member, " (member \"%.*s\")", (int)(close - at - 1), at + 1);
    }
    int code = iotnet__yang_error(ctx, label, IOTNET_EVALIDATION, NULL);
    const iotnet_error *last = iotnet_error_last();
    char path[MESSAGE_MAX] = "";
    if (last->path)
        snprintf(path, sizeof path, " (at %s)", last->path);
    long line = last->line;
    char *where = last->path ? iotnet__strdup(last->path) : NULL;
    if (line > 0)
        iotnet__error_set(code, "%s:%ld: the file uses the MUD extension module \"%s\"%s, which is not loaded: add "
                          "the directory of its YANG module to yang_path%s", label, line, module, member, path);
    else
        iotnet__error_set(code, "%s: the file uses the MUD extension module \"%s\"%s, which is not loaded: add the "
                          "directory of its YANG module to yang_path%s", label, module, member, path);
    iotnet__error_locate(label, line, where);
    free(where);
    return code;
}

static int parse_mud(struct lyd_node **tree, const iotnet__yang *y, const char *data, const char *label)
{
    struct ly_in *in = NULL;
    if (ly_in_new_memory(data, &in) != LY_SUCCESS)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    int error = 0;
    if (lyd_parse_data(y->ctx, NULL, in, LYD_JSON, LYD_PARSE_STRICT, LYD_VALIDATE_PRESENT, tree) != LY_SUCCESS) {
        error = missing_module_error(y->ctx, data, label);
        if (!error)
            error = iotnet__yang_error(y->ctx, label, 0, NULL);
        lyd_free_all(*tree);
        *tree = NULL;
    }
    ly_in_free(in, 0);
    return error;
}

/* ------------------------------------------------------------------ */
/* Entry points                                                        */

static const iotnet_mud_load_options default_options = IOTNET_MUD_LOAD_OPTIONS_INIT;

static int check_options(const iotnet_mud_load_options **opts)
{
    if (!*opts)
        *opts = &default_options;
    if ((*opts)->version != IOTNET_MUD_LOAD_OPTIONS_VERSION)
        return iotnet__error_set(IOTNET_EINVAL, "MUD load options have version %u, expected %u", (*opts)->version,
                                 IOTNET_MUD_LOAD_OPTIONS_VERSION);
    return 0;
}

static int check_size(const char *label, unsigned long long size, const iotnet_mud_load_options *opts)
{
    return iotnet__size_check(label, size, opts->max_bytes);
}

static int check_text(const char *label, const char *data, size_t len)
{
    size_t i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    if (i == len) {
        iotnet__error_set(IOTNET_EPARSE, "%s: empty input, expected a MUD file in JSON", label);
        iotnet__error_locate(label, 0, NULL);
        return IOTNET_EPARSE;
    }
    if (data[i] == '<') {
        iotnet__error_set(IOTNET_EPARSE, "%s:%ld: expected a MUD file in JSON (RFC 8520), not XML", label,
                          iotnet__input_line(data, i));
        iotnet__error_locate(label, iotnet__input_line(data, i), NULL);
        return IOTNET_EPARSE;
    }
    return iotnet__input_check_nul(label, data, len);
}

/* Load NUL-terminated `text` of `len` bytes. */
static int load_text(iotnet_mud **out, const char *text, size_t len, const char *label,
                     const iotnet_mud_load_options *opts)
{
    iotnet__yang y = {NULL, NULL};
    struct lyd_node *tree = NULL;
    char *normalised = NULL;
    iotnet_mud *mud = NULL;
    int error = check_size(label, len, opts);
    if (!error)
        error = check_text(label, text, len);
    if (error)
        return error;
    if (!(mud = mud_new()))
        return IOTNET_ENOMEM;
    if ((error = iotnet__mud_scan(mud, text, len, label, opts->lenient, false, &normalised)))
        goto cleanup;
    if ((error = iotnet__yang_open_modules(&y, NULL, opts->yang_path, mud_modules)))
        goto cleanup;
    if ((error = parse_mud(&tree, &y, normalised ? normalised : text, label))) {
        /* a file of the draft ACL model: say which construct, rather than libyang's first complaint */
        char *unused = NULL;
        if (!opts->lenient && error != IOTNET_ENOMEM) {
            int draft = iotnet__mud_scan(mud, text, len, label, false, true, &unused);
            if (draft)
                error = draft;
            free(unused); /* the strict rewrite of empty matches, made again */
        }
        goto cleanup;
    }
    if ((error = iotnet__input_check_json_end(label, text, len)) || (error = iotnet__mud_flatten(mud, tree, label)))
        goto cleanup;
    *out = mud;
    mud = NULL;
cleanup:
    lyd_free_all(tree);
    iotnet__yang_close(&y);
    free(normalised);
    iotnet_mud_free(mud);
    return error;
}

int iotnet_mud_loads(iotnet_mud **out, const char *data, size_t length, const char *name,
                     const iotnet_mud_load_options *opts)
{
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_mud_loads: out is NULL");
    *out = NULL;
    if (!data && length)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_mud_loads: data is NULL");
    int error = check_options(&opts);
    if (error)
        return error;
    const char *label = name ? name : "<data>";
    if ((error = check_size(label, length, opts)))
        return error;
    char *text = NULL;
    if ((error = iotnet__input_copy(data, length, &text)))
        return error;
    error = load_text(out, text, length, label, opts);
    free(text);
    return error;
}

int iotnet_mud_load(iotnet_mud **out, const char *path, const iotnet_mud_load_options *opts)
{
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_mud_load: out is NULL");
    *out = NULL;
    if (!path)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_mud_load: path is NULL");
    int error = check_options(&opts);
    if (error)
        return error;
    char *text = NULL;
    size_t len = 0;
    if ((error = iotnet__read_input(path, opts->max_bytes, &text, &len)))
        return error;
    error = load_text(out, text, len, path, opts);
    free(text);
    return error;
}
