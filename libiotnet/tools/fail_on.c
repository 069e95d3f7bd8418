/* --fail-on never|open|risk>=N|gap: what a checking command counts as a
   failure of the build that runs it (exit 1), distinct from bad input (3). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#define RISK_PREFIX "risk>="

/* "risk>=N" with N a whole number 1..25 (likelihood x impact); 0 when not. */
static int parse_risk(const char *value)
{
    size_t n = strlen(RISK_PREFIX);
    if (strncmp(value, RISK_PREFIX, n) != 0 || value[n] < '0' || value[n] > '9')
        return 0;
    char *end;
    long risk = strtol(value + n, &end, 10);
    return *end == '\0' && risk >= 1 && risk <= 25 ? (int)risk : 0;
}

/* "never, open or risk>=N" for the kinds allowed. */
static void list_allowed(char *buf, size_t size, unsigned allowed)
{
    static const char *const names[] = {"never", "open", "risk>=N (N 1..25)", "gap"};
    size_t count = 0, total = 0;
    for (unsigned k = 0; k < sizeof names / sizeof names[0]; k++)
        total += (allowed & CLI_FAIL_ALLOWS(k)) != 0;
    buf[0] = '\0';
    for (unsigned k = 0; k < sizeof names / sizeof names[0]; k++) {
        if (!(allowed & CLI_FAIL_ALLOWS(k)))
            continue;
        size_t len = strlen(buf);
        const char *sep = count == 0 ? "" : count + 1 == total ? " or " : ", ";
        snprintf(buf + len, size - len, "%s%s", sep, names[k]);
        count++;
    }
}

int cli_parse_fail_on(cli_fail_on *out, const cli_args *args, unsigned allowed)
{
    out->kind = CLI_FAIL_OPEN;
    out->risk = 0;
    const char *value = args->fail_on;
    if (!value)
        return CLI_EXIT_OK;
    bool known = true;
    if (strcmp(value, "never") == 0)
        out->kind = CLI_FAIL_NEVER;
    else if (strcmp(value, "gap") == 0)
        out->kind = CLI_FAIL_GAP;
    else if ((out->risk = parse_risk(value)) != 0)
        out->kind = CLI_FAIL_RISK;
    else
        known = strcmp(value, "open") == 0;
    if (!known || !(allowed & CLI_FAIL_ALLOWS(out->kind))) {
        char choices[128];
        list_allowed(choices, sizeof choices, allowed);
        return cli_usage_error(args->command, "--fail-on '%s': expected %s", value, choices);
    }
    return CLI_EXIT_OK;
}

int cli_findings_exit(bool fails)
{
    return fails ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
}
