/* Risk decisions held by the model: a finding accepted by someone, for a
 * reason, possibly until a date. Saved with the topology (risk-decision). */
#include "net_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error_internal.h"
#include "iotnet/eval.h"
#include "yangio_internal.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* "threat@target": a threat id without blanks before the first '@', a target
 * after it; no control characters anywhere. */
static int finding_check(const char *finding)
{
    if (!finding || !*finding)
        return iotnet__error_set(IOTNET_EINVAL, "a risk decision needs the id of the finding it accepts");
    const char *at = strchr(finding, '@');
    for (const char *p = finding; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return iotnet__error_set(IOTNET_EINVAL, "risk decision \"%s\": the finding id has a control character",
                                     finding);
    if (!at || at == finding || !at[1])
        return iotnet__error_set(IOTNET_EINVAL,
                                 "risk decision \"%s\": the finding id must be \"threat@target\" "
                                 "(e.g. \"iotnet:upnp-pinhole@cam-garden/rtsp\")",
                                 finding);
    for (const char *p = finding; p < at; p++)
        if (is_space(*p))
            return iotnet__error_set(IOTNET_EINVAL, "risk decision \"%s\": the threat id has a blank", finding);
    return 0;
}

/* A date the model can save (years 0000..9999), or unset. */
static int date_check(const char *finding, const char *what, int64_t seconds)
{
    char buf[32];
    if (seconds == IOTNET_TIME_UNSET || iotnet__date_format(buf, sizeof buf, seconds) == 0)
        return 0;
    return iotnet__error_set(IOTNET_EINVAL, "risk decision \"%s\": %s %lld is not a date in the years 0000-9999",
                             finding, what, (long long)seconds);
}

static int decision_check(const iotnet_risk_decision *d)
{
    int error;
    if (!d)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_risk_decision_set: the decision is required");
    if ((error = iotnet__version_check(d->version, IOTNET_RISK_DECISION_VERSION, "iotnet_risk_decision")) ||
        (error = finding_check(d->finding)))
        return error;
    if (!d->by || !*d->by)
        return iotnet__error_set(IOTNET_EINVAL, "risk decision \"%s\": who decided (by) is required", d->finding);
    if (!d->reason || !*d->reason)
        return iotnet__error_set(IOTNET_EINVAL, "risk decision \"%s\": a reason is required", d->finding);
    if ((error = date_check(d->finding, "decided", d->decided)) ||
        (error = date_check(d->finding, "until", d->until)))
        return error;
    if (d->decided != IOTNET_TIME_UNSET && d->until != IOTNET_TIME_UNSET && d->until <= d->decided) {
        char decided[32], until[32];
        iotnet__date_format(decided, sizeof decided, d->decided);
        iotnet__date_format(until, sizeof until, d->until);
        return iotnet__error_set(IOTNET_EINVAL, "risk decision \"%s\": until (%s) must be after decided (%s)",
                                 d->finding, until, decided);
    }
    return 0;
}

/* The slot of the decision on `finding`, or UINT32_MAX. */
static uint32_t decision_find(const iotnet_net *net, const char *finding)
{
    iotnet__str key = finding ? iotnet__strpool_lookup(&net->strings, finding) : 0;
    if (!key)
        return UINT32_MAX;
    for (uint32_t i = 0; i < net->risks.count; i++)
        if (net->risks.items[i].finding == key)
            return i;
    return UINT32_MAX;
}

int iotnet_risk_decision_set(iotnet_net *net, const iotnet_risk_decision *d)
{
    if (!net)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_risk_decision_set: net is required");
    int error = decision_check(d);
    if (error)
        return error;
    uint32_t slot = decision_find(net, d->finding);
    if (slot == UINT32_MAX && (error = IOTNET__VEC_PUSH_ROOM(net->risks)))
        return error;
    risk_rec rec = {0, 0, 0, d->decided, d->until};
    if ((error = iotnet__intern(net, d->finding, &rec.finding)) || (error = iotnet__intern(net, d->by, &rec.by)) ||
        (error = iotnet__intern(net, d->reason, &rec.reason)))
        return error;
    if (slot == UINT32_MAX)
        slot = net->risks.count++;
    net->risks.items[slot] = rec;
    return 0;
}

size_t iotnet_risk_decision_count(const iotnet_net *net)
{
    return net ? net->risks.count : 0;
}

int iotnet_risk_decision_get(const iotnet_net *net, size_t i, iotnet_risk_decision *out)
{
    if (!net || !out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_risk_decision_get: net and out are required");
    if (i >= net->risks.count)
        return iotnet__error_set(IOTNET_ENOTFOUND, "no risk decision number %zu (the model has %u)", i,
                                 net->risks.count);
    const risk_rec *r = &net->risks.items[i];
    out->version = IOTNET_RISK_DECISION_VERSION;
    out->finding = iotnet__text(net, r->finding);
    out->by = iotnet__text(net, r->by);
    out->reason = iotnet__text(net, r->reason);
    out->decided = r->decided;
    out->until = r->until;
    return 0;
}

int iotnet_risk_decision_remove(iotnet_net *net, const char *finding)
{
    if (!net || !finding)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_risk_decision_remove: net and finding are required");
    uint32_t slot = decision_find(net, finding);
    if (slot == UINT32_MAX)
        return iotnet__error_set(IOTNET_ENOTFOUND, "no risk decision on finding \"%s\"", finding);
    memmove(&net->risks.items[slot], &net->risks.items[slot + 1],
            (size_t)(net->risks.count - slot - 1) * sizeof *net->risks.items);
    net->risks.count--;
    return 0;
}

void iotnet__risks_free(iotnet_net *net)
{
    free(net->risks.items);
    net->risks.items = NULL;
    net->risks.count = net->risks.cap = 0;
}

size_t iotnet__risks_memory(const iotnet_net *net)
{
    return (size_t)net->risks.cap * sizeof(risk_rec);
}
