/* Inputs named on the command line: each is read into memory once ("-" is
   standard input) and then recognised and loaded from that copy, so pipes,
   FIFOs and /dev/stdin work and no command reads a file twice. */
#include "cli.h"
#include "iotnet/catalog.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How far into a file its kind is looked for. */
#define HEAD_BYTES 65536

bool cli_is_stdin(const char *path)
{
    return strcmp(path, "-") == 0;
}

const char *cli_input_label(const char *path)
{
    return cli_is_stdin(path) ? CLI_STDIN_LABEL : path;
}

int cli_input_read(cli_input *in, const char *path, size_t max, const char *limit)
{
    memset(in, 0, sizeof *in);
    in->path = path;
    in->label = cli_input_label(path);
    if (cli_is_stdin(path))
        return iotnet__read_fd(STDIN_FILENO, in->label, max, limit, &in->data, &in->len);
    return iotnet__read_file(path, max, limit, &in->data, &in->len);
}

void cli_input_free(cli_input *in)
{
    free(in->data);
    in->data = NULL;
    in->len = 0;
}

/* ------------------------------------------------------------------ */
/* What kind of file an input is                                       */

static bool contains(const char *data, size_t len, const char *text)
{
    size_t n = strlen(text);
    for (size_t i = 0; i + n <= len; i++)
        if (data[i] == text[0] && memcmp(data + i, text, n) == 0)
            return true;
    return false;
}

bool cli_is_mud_input(const cli_input *in)
{
    size_t n = in->len < HEAD_BYTES ? in->len : HEAD_BYTES, i = 0;
    while (i < n && isspace((unsigned char)in->data[i]))
        i++;
    return i < n && in->data[i] == '{' && contains(in->data, n, "\"ietf-mud:mud\"");
}

/* Past a DOCTYPE at `p` ("<!DOCTYPE name [internal subset]>"), or NULL when it does not end. */
static const char *skip_doctype(const char *p)
{
    const char *close = strchr(p, '>'), *subset = strchr(p, '[');
    if (subset && (!close || subset < close)) {
        const char *end = strchr(subset, ']');
        if (!end)
            return NULL;
        end++;
        while (isspace((unsigned char)*end))
            end++;
        return *end == '>' ? end + 1 : NULL;
    }
    return close ? close + 1 : NULL;
}

/* Skip a byte order mark, the XML declaration, processing instructions,
   comments, a DOCTYPE and white space; returns the root element's '<', or NULL. */
static const char *root_element(const char *p)
{
    for (;;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        const char *end = NULL;
        if (strncmp(p, "\xEF\xBB\xBF", 3) == 0)
            end = p + 3;
        else if (strncmp(p, "<?", 2) == 0)
            end = (end = strstr(p, "?>")) ? end + 2 : NULL;
        else if (strncmp(p, "<!--", 4) == 0)
            end = (end = strstr(p + 4, "-->")) ? end + 3 : NULL;
        else if (strncmp(p, "<!", 2) == 0)
            end = skip_doctype(p);
        else
            return *p == '<' ? p : NULL;
        if (!end)
            return NULL;
        p = end;
    }
}

int cli_catalog_type(const cli_input *in)
{
    const char *p = root_element(in->data);
    if (!p)
        return CLI_NOT_CATALOG;
    p++;
    size_t len = strcspn(p, " \t\r\n/>");
    const char *colon = memchr(p, ':', len);
    if (colon) {
        len -= (size_t)(colon + 1 - p);
        p = colon + 1;
    }
    if (len == 7 && strncmp(p, "catalog", 7) == 0)
        return CLI_CATALOG_THREATS;
    if (len == 8 && strncmp(p, "controls", 8) == 0)
        return CLI_CATALOG_CONTROLS;
    return CLI_NOT_CATALOG;
}

/* ------------------------------------------------------------------ */
/* Loading                                                             */

int cli_load_model_input(iotnet_net **out, const cli_args *args, const cli_input *in)
{
    iotnet_load_options opts = IOTNET_LOAD_OPTIONS_INIT;
    opts.yang_path = args->yang_path;
    return iotnet_net_load_data(out, in->data, in->len, in->label, &opts);
}

int cli_load_mud_input(iotnet_mud **out, const cli_args *args, const cli_input *in)
{
    iotnet_mud_load_options opts = IOTNET_MUD_LOAD_OPTIONS_INIT;
    opts.lenient = args->lenient;
    opts.yang_path = args->yang_path;
    return iotnet_mud_loads(out, in->data, in->len, in->label, &opts);
}

/* Read the input at `path`, then load it with `load`. */
static int read_and_load(void *out, const cli_args *args, const char *path,
                         int (*load)(void *out, const cli_args *args, const cli_input *in))
{
    cli_input in;
    int error = cli_input_read(&in, path, IOTNET_LOAD_MAX_BYTES_DEFAULT, CLI_INPUT_LIMIT);
    if (!error)
        error = load(out, args, &in);
    cli_input_free(&in);
    return error;
}

static int load_model(void *out, const cli_args *args, const cli_input *in)
{
    return cli_load_model_input(out, args, in);
}

static int load_mud(void *out, const cli_args *args, const cli_input *in)
{
    return cli_load_mud_input(out, args, in);
}

int cli_load_model(iotnet_net **out, const cli_args *args, const char *path)
{
    *out = NULL;
    return read_and_load(out, args, path, load_model);
}

int cli_load_mud(iotnet_mud **out, const cli_args *args, const char *path)
{
    *out = NULL;
    return read_and_load(out, args, path, load_mud);
}

int cli_load_catalog_input(iotnet_catalog *cat, const char *path)
{
    if (!cli_is_stdin(path))
        return iotnet_catalog_load_file(cat, path);
    cli_input in;
    int error = cli_input_read(&in, path, IOTNET_CATALOG_MAX_BYTES, CLI_CATALOG_LIMIT);
    if (!error)
        error = iotnet_catalog_loads(cat, in.data, in.len, in.label);
    cli_input_free(&in);
    return error;
}
