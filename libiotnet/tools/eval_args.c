/* What the commands that evaluate catalogs share: loading the bundled and
   --catalog catalogs, --now and --assume, and dates in their output. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static bool is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The bundled catalogs (unless --no-bundled) and every --catalog, in order.
   Reports a failure on stderr and returns CLI_EXIT_INVALID. */
int cli_load_catalogs(iotnet_catalog **out, const cli_args *args)
{
    iotnet_catalog *cat = NULL;
    int error = args->no_bundled ? iotnet_catalog_new(&cat) : iotnet_catalog_default(&cat);
    if (error) {
        fprintf(stderr, "iotnet %s: the bundled catalogs: %s\n", args->command, cli_error_message(error));
        return CLI_EXIT_INVALID;
    }
    for (size_t i = 0; i < args->catalog_count; i++) {
        const char *path = args->catalogs[i];
        error = !cli_is_stdin(path) && is_directory(path) ? iotnet_catalog_load_dir(cat, path)
                                                           : cli_load_catalog_input(cat, path);
        if (error) {
            cli_report_error(cli_input_label(path));
            iotnet_catalog_free(cat);
            return CLI_EXIT_INVALID;
        }
    }
    *out = cat;
    return CLI_EXIT_OK;
}

/* --now: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, as seconds since the epoch (UTC). */
bool cli_parse_now(const char *text, int64_t *out)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    char rest[4] = "";
    int n = 0;
    if (sscanf(text, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &n) != 3 || n != 10)
        return false;
    if (text[n] != '\0') {
        int m = 0;
        if (sscanf(text + n, "T%2d:%2d:%2d%3s%n", &tm.tm_hour, &tm.tm_min, &tm.tm_sec, rest, &m) != 4 ||
            strcmp(rest, "Z") != 0 || text[n + m] != '\0')
            return false;
    }
    if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
        tm.tm_min > 59 || tm.tm_sec > 60)
        return false;
    int day = tm.tm_mday, month = tm.tm_mon;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm);
    if (t == (time_t)-1 || tm.tm_mday != day || tm.tm_mon != month - 1)
        return false; /* a day the month does not have */
    *out = (int64_t)t;
    return true;
}

/* The --assume words split at their first '@' into `store` (copies). */
int cli_parse_assumptions(const cli_args *args, iotnet_assumption *list, char **store)
{
    for (size_t i = 0; i < args->assume_count; i++) {
        store[i] = strdup(args->assume[i]);
        if (!store[i]) {
            fprintf(stderr, "iotnet %s: out of memory\n", args->command);
            return CLI_EXIT_INVALID;
        }
        char *at = strchr(store[i], '@');
        if (at)
            *at = '\0';
        if (!store[i][0] || (at && !at[1]))
            return cli_usage_error(args->command, "--assume '%s': expected MITIGATION or MITIGATION@TARGET",
                                   args->assume[i]);
        list[i].mitigation = store[i];
        list[i].target = at ? at + 1 : NULL;
    }
    return CLI_EXIT_OK;
}

const char *cli_date_text(char *buf, size_t size, int64_t seconds)
{
    if (seconds == IOTNET_TIME_UNSET)
        return NULL;
    time_t t = (time_t)seconds;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return NULL;
    return buf;
}
