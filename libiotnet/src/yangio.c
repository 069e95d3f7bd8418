/* Topology files: load and save models through libyang (contexts, errors, entry points). */
#include "iotnet/yangio.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error_internal.h"
#include "library_internal.h"
#include "util.h"
#include "yangio_internal.h"

#define MESSAGE_MAX 1024

/* ------------------------------------------------------------------ */
/* libyang contexts                                                    */

static void discard_libyang_log(LY_LOG_LEVEL level, const char *msg, const char *path)
{
    (void)level;
    (void)msg;
    (void)path;
}

static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;

/* libyang resets our thread's temporary log options during validation and
 * then prints to stderr; errors reach callers through iotnet_error_last(), so
 * unless the application installed its own libyang log callback, we silence it. */
static void quiet_libyang(void)
{
    if (!ly_get_log_clb())
        ly_set_log_clb(discard_libyang_log, 1); /* 1: errors keep their location */
}

/* Keep every error of a call in the context's list (read by iotnet__yang_error). */
static uint32_t store_all_errors = LY_LOSTORE;

/* The bundled modules: the options' directory, else $IOTNET_YANG_DIR, else
 * the data directory's yang/. */
static int bundled_dir(char *out, size_t size, const char *yang_dir)
{
    if (!yang_dir || !*yang_dir)
        yang_dir = getenv("IOTNET_YANG_DIR");
    if (!yang_dir || !*yang_dir)
        return iotnet__data_path(out, size, "yang");
    if (snprintf(out, size, "%s", yang_dir) >= (int)size)
        return iotnet__error_set(IOTNET_EINVAL, "the YANG module directory %s is too long a path", yang_dir);
    return 0;
}

static const struct ly_err_item *first_error(const struct ly_ctx *ctx)
{
    const struct ly_err_item *first = ly_err_first(ctx);
    for (const struct ly_err_item *e = first; e; e = e->next)
        if (e->level == LY_LLERR)
            return e;
    return first;
}

/* Whether a module file starts with "submodule" (after comments or an XML
 * declaration): submodules are loaded through their module's include, not on their own. */
static int is_submodule_file(const char *path)
{
    char head[4096];
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(head, 1, sizeof head - 1, f);
    fclose(f);
    head[n] = '\0';
    const char *p = head;
    for (;;) {
        p += strspn(p, " \t\r\n");
        if (p[0] == '/' && p[1] == '/') {
            p = strchr(p, '\n');
            if (!p)
                return 0;
        } else if (p[0] == '/' && p[1] == '*') {
            p = strstr(p + 2, "*/");
            if (!p)
                return 0;
            p += 2;
        } else if (p[0] == '<' && p[1] == '?') {
            p = strstr(p + 2, "?>");
            if (!p)
                return 0;
            p += 2;
        } else {
            break;
        }
    }
    return strncmp(p, "submodule", 9) == 0 || strncmp(p, "<submodule", 10) == 0;
}

static int has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), s = strlen(suffix);
    return n > s && strcmp(name + n - s, suffix) == 0;
}

static int is_module_file(const struct dirent *entry)
{
    return has_suffix(entry->d_name, ".yang") || has_suffix(entry->d_name, ".yin");
}

static int load_module_file(iotnet__yang *y, const char *dir, const char *file)
{
    size_t size = strlen(dir) + strlen(file) + 2;
    char *path = malloc(size);
    if (!path)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    snprintf(path, size, "%s/%s", dir, file);
    int error = 0;
    if (!is_submodule_file(path)) {
        LYS_INFORMAT format = has_suffix(file, ".yin") ? LYS_IN_YIN : LYS_IN_YANG;
        LY_ERR rc = lys_parse_path(y->ctx, path, format, NULL);
        /* the same module may be in several directories of the path */
        if (rc != LY_SUCCESS && rc != LY_EEXIST)
            error = iotnet__yang_error(y->ctx, path, IOTNET_EVALIDATION, NULL);
    }
    free(path);
    return error;
}

/* Make one directory of yang_path searchable and load every module in it. */
static int load_module_dir(iotnet__yang *y, const char *dir)
{
    LY_ERR rc = ly_ctx_set_searchdir(y->ctx, dir);
    /* LY_EEXIST: already searched, e.g. the bundled directory itself */
    if (rc != LY_SUCCESS && rc != LY_EEXIST) {
        const struct ly_err_item *e = first_error(y->ctx);
        iotnet__error_set(IOTNET_EIO, "yang_path: cannot use %s: %s", dir,
                          e ? e->msg : "not a readable directory");
        iotnet__error_locate(dir, 0, NULL);
        return IOTNET_EIO;
    }
    struct dirent **entries = NULL;
    int count = scandir(dir, &entries, is_module_file, alphasort);
    if (count < 0) {
        iotnet__error_set(IOTNET_EIO, "yang_path: cannot list %s: %s", dir, strerror(errno));
        iotnet__error_locate(dir, 0, NULL);
        return IOTNET_EIO;
    }
    int error = 0;
    for (int i = 0; i < count; i++) {
        if (!error)
            error = load_module_file(y, dir, entries[i]->d_name);
        free(entries[i]);
    }
    free(entries);
    return error;
}

static int load_module_path(iotnet__yang *y, const char *yang_path)
{
    char *dirs = iotnet__strdup(yang_path);
    if (!dirs)
        return IOTNET_ENOMEM;
    int error = 0;
    char *save = NULL;
    for (char *dir = strtok_r(dirs, ":", &save); dir && !error; dir = strtok_r(NULL, ":", &save))
        error = load_module_dir(y, dir);
    free(dirs);
    return error;
}

static int add_search_dirs(iotnet__yang *y, const char *yang_path)
{
    char *dirs = iotnet__strdup(yang_path);
    if (!dirs)
        return IOTNET_ENOMEM;
    char *save = NULL;
    for (char *dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
        ly_ctx_set_searchdir(y->ctx, dir);
    free(dirs);
    ly_err_clean(y->ctx, NULL);
    return 0;
}

int iotnet__yang_open_modules(iotnet__yang *out, const char *yang_dir, const char *yang_path,
                              const char *const *modules)
{
    out->ctx = NULL;
    out->topology = NULL;
    char dir[PATH_MAX];
    int error = bundled_dir(dir, sizeof dir, yang_dir);
    if (error)
        return error;
    pthread_once(&quiet_once, quiet_libyang);
    ly_temp_log_options(&store_all_errors);
    if (ly_ctx_new(dir, LY_CTX_NO_YANGLIBRARY | LY_CTX_DISABLE_SEARCHDIR_CWD, &out->ctx) !=
        LY_SUCCESS) {
        out->ctx = NULL;
        error = iotnet__error_set(IOTNET_EIO, "cannot use the YANG module directory %s", dir);
        iotnet__error_locate(dir, 0, NULL);
        goto cleanup;
    }
    /* the user's directories are searched too, after the bundled one, so that
     * they can supply a module the bundled directory lacks; errors in them are
     * reported when their modules are loaded below */
    if (yang_path && *yang_path && (error = add_search_dirs(out, yang_path)))
        goto cleanup;
    for (const char *const *name = modules; *name; name++) {
        /* every feature: data may use any of them (ietf-access-control-list has many) */
        static const char *all_features[] = {"*", NULL};
        const struct lys_module *module = ly_ctx_load_module(out->ctx, *name, NULL, all_features);
        if (!module) {
            const struct ly_err_item *e = first_error(out->ctx);
            error = iotnet__error_set(IOTNET_EIO, "cannot load YANG module %s from %s: %s", *name,
                                      dir, e ? e->msg : "not found");
            iotnet__error_locate(dir, 0, NULL);
            goto cleanup;
        }
        if (strcmp(*name, IOTNET__TOPOLOGY_MODULE) == 0)
            out->topology = module;
    }
    if (yang_path && *yang_path)
        error = load_module_path(out, yang_path);
cleanup:
    if (error)
        iotnet__yang_close(out);
    return error;
}

int iotnet__yang_open(iotnet__yang *out, const char *yang_dir, const char *yang_path)
{
    static const char *const topology[] = {IOTNET__TOPOLOGY_MODULE, NULL};
    return iotnet__yang_open_modules(out, yang_dir, yang_path, topology);
}

void iotnet__yang_close(iotnet__yang *y)
{
    if (y->ctx)
        ly_ctx_destroy(y->ctx);
    y->ctx = NULL;
    y->topology = NULL;
    ly_temp_log_options(NULL);
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */

/* libyang 2.1 gives the location as text in the error's path:
 * 'Data location "/a/b[k='x']", line number 12.', 'Schema location "/a"', 'Line number 3.',
 * or for compiled modules a bare path "/mod:{identity='x'}". */
static void split_location(const char *text, char *path, size_t size, long *line)
{
    path[0] = '\0';
    *line = 0;
    if (!text)
        return;
    if (text[0] == '/') {
        snprintf(path, size, "%s", text);
        return;
    }
    const char *start = strstr(text, "location \"");
    if (start) {
        start += strlen("location \"");
        const char *end = strstr(start, "\", line number ");
        if (!end)
            end = strrchr(start, '"');
        if (end && end > start)
            snprintf(path, size, "%.*s", (int)(end - start), start);
    }
    const char *number = strstr(text, "ine number ");
    if (number)
        *line = strtol(number + strlen("ine number "), NULL, 10);
}

static int classify(const struct ly_err_item *e)
{
    if (e->no == LY_EMEM)
        return IOTNET_ENOMEM;
    if (e->vecode == LYVE_SYNTAX || e->vecode == LYVE_SYNTAX_JSON || e->vecode == LYVE_SYNTAX_XML)
        return IOTNET_EPARSE;
    return IOTNET_EVALIDATION;
}

/* A hint for the one libyang message that does not say what to do. */
static const char *hint_for(const char *message)
{
    if (strstr(message, "identityref") && strstr(message, "unable to map prefix"))
        return " (no loaded YANG module has that name; add the directory of the module "
               "defining the kind to yang_path)";
    return "";
}

int iotnet__yang_error(const struct ly_ctx *ctx, const char *label, int code, const char *path)
{
    const struct ly_err_item *e = ctx ? first_error(ctx) : NULL;
    char where[MESSAGE_MAX];
    long line = 0;
    split_location(e ? e->path : NULL, where, sizeof where, &line);
    if (path)
        snprintf(where, sizeof where, "%s", path);
    if (!code)
        code = e ? classify(e) : IOTNET_EVALIDATION;
    const char *message = e && e->msg ? e->msg : "libyang failed without a message";
    char at[MESSAGE_MAX + 8] = "";
    if (where[0])
        snprintf(at, sizeof at, " (at %s)", where);
    if (line > 0)
        iotnet__error_set(code, "%s:%ld: %s%s%s", label, line, message, hint_for(message), at);
    else
        iotnet__error_set(code, "%s: %s%s%s", label, message, hint_for(message), at);
    iotnet__error_locate(label, line, where[0] ? where : NULL);
    return code;
}

/* ------------------------------------------------------------------ */
/* Kinds                                                               */

static const struct lysc_ident *find_identity(const struct lys_module *module, const char *name)
{
    LY_ARRAY_COUNT_TYPE i;
    LY_ARRAY_FOR(module->identities, i) {
        if (strcmp(module->identities[i].name, name) == 0)
            return &module->identities[i];
    }
    return NULL;
}

static int register_derived(iotnet_net *net, const struct lysc_ident *base, struct ly_set *seen,
                            const char *label)
{
    LY_ARRAY_COUNT_TYPE i;
    LY_ARRAY_FOR(base->derived, i) {
        const struct lysc_ident *ident = base->derived[i];
        uint32_t at;
        /* only implemented modules' identities can appear in data; an identity
         * with several bases is registered under the first one met */
        if (!ident->module->implemented || ly_set_contains(seen, ident, &at))
            continue;
        if (ly_set_add(seen, (void *)ident, 1, NULL) != LY_SUCCESS)
            return iotnet__error_set(IOTNET_ENOMEM, "out of memory");
        int error = iotnet_kind_add(net, NULL, ident->name, base->name);
        if (error) {
            char message[MESSAGE_MAX];
            snprintf(message, sizeof message, "%s", iotnet_error_last()->message);
            iotnet__error_set(error, "%s: identity %s:%s: %s", label, ident->module->name,
                              ident->name, message);
            iotnet__error_locate(label, 0, NULL);
            return error;
        }
        error = register_derived(net, ident, seen, label);
        if (error)
            return error;
    }
    return 0;
}

int iotnet__yang_register_kinds(iotnet_net *net, const iotnet__yang *y, const char *label)
{
    static const char *const roots[] = {IOTNET_KIND_NODE_ROOT, IOTNET_KIND_ZONE_ROOT};
    struct ly_set *seen = NULL;
    if (ly_set_new(&seen) != LY_SUCCESS)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    int error = 0;
    for (size_t i = 0; i < sizeof roots / sizeof roots[0] && !error; i++) {
        const struct lysc_ident *root = find_identity(y->topology, roots[i]);
        if (!root)
            error = iotnet__error_set(IOTNET_EVALIDATION, "module %s has no identity %s",
                                      IOTNET__TOPOLOGY_MODULE, roots[i]);
        else
            error = register_derived(net, root, seen, label);
    }
    ly_set_free(seen, NULL);
    return error;
}

/* ------------------------------------------------------------------ */
/* Formats                                                             */

static iotnet_format format_by_name(const char *name)
{
    if (!name)
        return IOTNET_FORMAT_AUTO;
    const char *dot = strrchr(name, '.');
    if (dot && strcasecmp(dot, ".json") == 0)
        return IOTNET_FORMAT_JSON;
    if (dot && strcasecmp(dot, ".xml") == 0)
        return IOTNET_FORMAT_XML;
    return IOTNET_FORMAT_AUTO;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The first non-blank character: '<' is XML, anything else JSON. */
static iotnet_format format_by_content(const char *data, size_t len)
{
    size_t i = 0;
    while (i < len && is_space(data[i]))
        i++;
    return i < len && data[i] == '<' ? IOTNET_FORMAT_XML : IOTNET_FORMAT_JSON;
}

static int is_blank(const char *data, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!is_space(data[i]))
            return 0;
    return 1;
}

long iotnet__input_line(const char *data, size_t offset)
{
    long line = 1;
    for (size_t i = 0; i < offset; i++)
        line += data[i] == '\n';
    return line;
}

/* ------------------------------------------------------------------ */
/* Loading                                                             */

static const iotnet_load_options default_load_options = IOTNET_LOAD_OPTIONS_INIT;

static int check_load_options(const iotnet_load_options **opts)
{
    if (!*opts)
        *opts = &default_load_options;
    if ((*opts)->version != IOTNET_LOAD_OPTIONS_VERSION)
        return iotnet__error_set(IOTNET_EINVAL, "load options have version %u, expected %u",
                                 (*opts)->version, IOTNET_LOAD_OPTIONS_VERSION);
    if ((*opts)->format != IOTNET_FORMAT_AUTO && (*opts)->format != IOTNET_FORMAT_JSON &&
        (*opts)->format != IOTNET_FORMAT_XML)
        return iotnet__error_set(IOTNET_EINVAL, "unknown format %d", (int)(*opts)->format);
    return 0;
}

int iotnet__size_check(const char *label, unsigned long long size, size_t max_bytes)
{
    size_t max = max_bytes ? max_bytes : IOTNET_LOAD_MAX_BYTES_DEFAULT;
    return size <= max ? 0 : iotnet__too_big(label, size, max, "max_bytes");
}

static int check_size(const char *label, unsigned long long size, const iotnet_load_options *opts)
{
    return iotnet__size_check(label, size, opts->max_bytes);
}

int iotnet__read_input(const char *path, size_t max_bytes, char **text, size_t *len)
{
    return iotnet__read_file(path, max_bytes ? max_bytes : IOTNET_LOAD_MAX_BYTES_DEFAULT, "max_bytes", text, len);
}

int iotnet__input_copy(const char *data, size_t len, char **text)
{
    /* libyang reads NUL-terminated text */
    *text = malloc(len + 1);
    if (!*text)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory copying %zu bytes", len);
    if (len)
        memcpy(*text, data, len);
    (*text)[len] = '\0';
    return 0;
}

int iotnet__input_check_nul(const char *label, const char *data, size_t len)
{
    const char *nul = memchr(data, '\0', len);
    if (!nul)
        return 0;
    long line = iotnet__input_line(data, (size_t)(nul - data));
    iotnet__error_set(IOTNET_EPARSE, "%s:%ld: NUL byte in the input", label, line);
    iotnet__error_locate(label, line, NULL);
    return IOTNET_EPARSE;
}

/* The offset just past the object or array that starts `data`, counting brackets outside
 * strings; `len` when it does not end. Meant for text libyang parsed as JSON. */
static size_t json_document_end(const char *data, size_t len)
{
    size_t depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = data[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if ((c == '}' || c == ']') && depth && --depth == 0) {
            return i + 1;
        }
    }
    return len;
}

int iotnet__input_check_json_end(const char *label, const char *data, size_t len)
{
    size_t at = json_document_end(data, len);
    while (at < len && is_space(data[at]))
        at++;
    if (at == len)
        return 0;
    /* show the start of what follows when it is plain text */
    int shown = 0;
    while (shown < 20 && at + (size_t)shown < len && data[at + shown] >= ' ' && data[at + shown] <= '~')
        shown++;
    long line = iotnet__input_line(data, at);
    if (shown)
        iotnet__error_set(IOTNET_EPARSE, "%s:%ld: \"%.*s\" after the end of the JSON document, expected "
                          "nothing more (one document per file)", label, line, shown, data + at);
    else
        iotnet__error_set(IOTNET_EPARSE, "%s:%ld: text after the end of the JSON document, expected "
                          "nothing more (one document per file)", label, line);
    iotnet__error_locate(label, line, NULL);
    return IOTNET_EPARSE;
}

/* Cheap checks libyang would report less clearly: nothing at all, or a NUL byte. */
static int check_text(const char *label, const char *data, size_t len)
{
    if (is_blank(data, len)) {
        iotnet__error_set(IOTNET_EPARSE, "%s: empty input, expected a topology in JSON or XML",
                          label);
        iotnet__error_locate(label, 0, NULL);
        return IOTNET_EPARSE;
    }
    return iotnet__input_check_nul(label, data, len);
}

static int parse_tree(struct lyd_node **tree, const iotnet__yang *y, const char *text, size_t len,
                      iotnet_format format, const char *label)
{
    struct ly_in *in = NULL;
    if (ly_in_new_memory(text, &in) != LY_SUCCESS)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    LYD_FORMAT lyformat = format == IOTNET_FORMAT_XML ? LYD_XML : LYD_JSON;
    int error = 0;
    if (lyd_parse_data(y->ctx, NULL, in, lyformat, LYD_PARSE_STRICT, LYD_VALIDATE_PRESENT, tree) !=
        LY_SUCCESS) {
        error = iotnet__yang_reword_error(label, text, len, format, iotnet__yang_error(y->ctx, label, 0, NULL));
        lyd_free_all(*tree);
        *tree = NULL;
    }
    ly_in_free(in, 0);
    return error;
}

/* Parse and validate NUL-terminated `text` of `len` bytes and build a model from it. */
static int load_text(iotnet_net **out, const char *text, size_t len, const char *label,
                     iotnet_format format, const iotnet_load_options *opts)
{
    iotnet__yang y = {NULL, NULL};
    struct lyd_node *tree = NULL;
    iotnet_net *net = NULL;
    int error = check_size(label, len, opts);
    if (!error)
        error = check_text(label, text, len);
    if (error)
        return error;
    if (format == IOTNET_FORMAT_AUTO)
        format = format_by_content(text, len);
    error = iotnet__yang_open(&y, opts->yang_dir, opts->yang_path);
    if (error)
        goto cleanup;
    error = parse_tree(&tree, &y, text, len, format, label);
    /* libyang stops at the end of the first JSON value; XML it checks to the end itself */
    if (!error && format == IOTNET_FORMAT_JSON)
        error = iotnet__input_check_json_end(label, text, len);
    if (error)
        goto cleanup;
    error = iotnet_net_new(&net);
    if (!error)
        error = iotnet__yang_register_kinds(net, &y, label);
    if (!error)
        error = iotnet__yang_read(net, tree, label);
    if (error)
        goto cleanup;
    *out = net;
    net = NULL;
cleanup:
    iotnet_net_free(net);
    lyd_free_all(tree);
    iotnet__yang_close(&y);
    return error;
}

int iotnet_net_load(iotnet_net **out, const char *path, const iotnet_load_options *opts)
{
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_net_load: out is NULL");
    *out = NULL;
    if (!path)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_net_load: path is NULL");
    int error = check_load_options(&opts);
    if (error)
        return error;
    char *text = NULL;
    size_t len = 0;
    if ((error = iotnet__read_input(path, opts->max_bytes, &text, &len)))
        return error;
    iotnet_format format = opts->format;
    if (format == IOTNET_FORMAT_AUTO)
        format = format_by_name(path);
    error = load_text(out, text, len, path, format, opts);
    free(text);
    return error;
}

int iotnet_net_load_data(iotnet_net **out, const char *data, size_t len, const char *name,
                         const iotnet_load_options *opts)
{
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_net_load_data: out is NULL");
    *out = NULL;
    if (!data && len)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_net_load_data: data is NULL");
    int error = check_load_options(&opts);
    if (error)
        return error;
    const char *label = name ? name : "<data>";
    error = check_size(label, len, opts);
    if (error)
        return error;
    char *text = NULL;
    if ((error = iotnet__input_copy(data, len, &text)))
        return error;
    error = load_text(out, text, len, label, opts->format, opts);
    free(text);
    return error;
}

/* ------------------------------------------------------------------ */
/* Saving                                                              */

static const iotnet_save_options default_save_options = IOTNET_SAVE_OPTIONS_INIT;

static int check_save_options(const iotnet_save_options **opts)
{
    if (!*opts)
        *opts = &default_save_options;
    if ((*opts)->version != IOTNET_SAVE_OPTIONS_VERSION)
        return iotnet__error_set(IOTNET_EINVAL, "save options have version %u, expected %u",
                                 (*opts)->version, IOTNET_SAVE_OPTIONS_VERSION);
    if ((*opts)->format != IOTNET_FORMAT_AUTO && (*opts)->format != IOTNET_FORMAT_JSON &&
        (*opts)->format != IOTNET_FORMAT_XML)
        return iotnet__error_set(IOTNET_EINVAL, "unknown format %d", (int)(*opts)->format);
    return 0;
}

/* libyang prints every identityref with its module's name; kinds of the topology
 * module read better bare, the way people write them ("kind": "camera"). In
 * libyang's JSON an unescaped `"kind": "` can only start a kind member: quotes
 * inside strings are escaped. */
static void strip_own_kind_prefix(char *json)
{
    static const char member[] = "\"kind\": \"";
    static const char prefixed[] = "\"kind\": \"" IOTNET__TOPOLOGY_MODULE ":";
    const size_t keep = sizeof member - 1, drop = sizeof prefixed - sizeof member;
    char *out = json;
    const char *in = json;
    while (*in) {
        if (*in == '"' && strncmp(in, prefixed, sizeof prefixed - 1) == 0) {
            memmove(out, in, keep);
            out += keep;
            in += keep + drop;
        } else {
            *out++ = *in++;
        }
    }
    *out = '\0';
}

static int save_text(char **out, const iotnet_net *net, iotnet_format format,
                     const iotnet_save_options *opts, const char *label)
{
    iotnet__yang y = {NULL, NULL};
    struct lyd_node *tree = NULL;
    int error = iotnet__yang_open(&y, opts->yang_dir, opts->yang_path);
    if (error)
        return error;
    error = iotnet__yang_build(&tree, net, &y, label);
    if (error)
        goto cleanup;
    LYD_FORMAT lyformat = format == IOTNET_FORMAT_XML ? LYD_XML : LYD_JSON;
    if (lyd_print_mem(out, tree, lyformat, LYD_PRINT_WITHSIBLINGS) != LY_SUCCESS) {
        *out = NULL;
        error = iotnet__yang_error(y.ctx, label, IOTNET_EVALIDATION, NULL);
        goto cleanup;
    }
    if (*out && lyformat == LYD_JSON)
        strip_own_kind_prefix(*out);
    /* a model with nothing in it prints as nothing: write an empty document */
    if (!*out) {
        *out = iotnet__strdup(format == IOTNET_FORMAT_XML
                                  ? "<topology xmlns=\"urn:libiotnet:yang:iotnet-topology\"/>\n"
                                  : "{}\n");
        if (!*out)
            error = IOTNET_ENOMEM;
    }
cleanup:
    lyd_free_all(tree);
    iotnet__yang_close(&y);
    return error;
}

int iotnet_net_save_data(const iotnet_net *net, char **out, const iotnet_save_options *opts)
{
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_net_save_data: out is NULL");
    *out = NULL;
    if (!net)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_net_save_data: net is NULL");
    int error = check_save_options(&opts);
    if (error)
        return error;
    iotnet_format format = opts->format == IOTNET_FORMAT_AUTO ? IOTNET_FORMAT_JSON : opts->format;
    return save_text(out, net, format, opts, "model");
}

int iotnet_net_save(const iotnet_net *net, const char *path, const iotnet_save_options *opts)
{
    if (!net || !path)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_net_save: %s is NULL", net ? "path" : "net");
    int error = check_save_options(&opts);
    if (error)
        return error;
    iotnet_format format = opts->format;
    if (format == IOTNET_FORMAT_AUTO)
        format = format_by_name(path) == IOTNET_FORMAT_XML ? IOTNET_FORMAT_XML : IOTNET_FORMAT_JSON;
    char *text = NULL;
    error = save_text(&text, net, format, opts, path);
    if (!error)
        error = iotnet__write_file_atomic(path, text, strlen(text));
    free(text);
    return error;
}
