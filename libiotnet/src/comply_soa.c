/* The ISO/IEC 27001:2022 statement of applicability: one CSV row per Annex A
 * control, what comply.c decided put in the words an SoA uses. */
#include "comply_internal.h"
#include "error_internal.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const char *const soa_header[] = {"control", "title", "theme", "applicable", "justification",
                                         "implementation_status", "evidence", "open_findings"};
#define SOA_COLUMNS (sizeof soa_header / sizeof soa_header[0])

static const char *implementation(uint8_t status)
{
    switch (status) {
    case IOTNET_CONTROL_ADDRESSED: return "implemented";
    case IOTNET_CONTROL_PARTIAL: return "partially implemented";
    case IOTNET_CONTROL_GAP: return "not implemented";
    case IOTNET_CONTROL_NOT_APPLICABLE: return "not applicable";
    default: return "not assessed";
    }
}

/* Why the control is in (or out of) the statement. */
static void justification(iotnet__buf *b, const iotnet_compliance *c, const cctl *x)
{
    const char *reason = comply_text(c, x->reason);
    if (x->status == IOTNET_CONTROL_NOT_APPLICABLE)
        iotnet__buf_printf(b, "Excluded. %s", reason);
    else if (x->status == IOTNET_CONTROL_NOT_ASSESSED)
        iotnet__buf_printf(b, "Included by default. %s", reason);
    else if (x->link_count)
        iotnet__buf_printf(b, "Included: %u %s of the model call for it. %s", x->link_count,
                           x->link_count == 1 ? "finding" : "findings", reason);
    else
        iotnet__buf_printf(b, "Included: its measures are in place in the model. %s", reason);
}

/* "mud-profile: cam-garden, cam-porch; upnp-off: home-router (assumed)". */
static void evidence(iotnet__buf *b, const iotnet_compliance *c, const cctl *x)
{
    for (uint32_t j = 0; j < x->mit_count; j++) {
        uint32_t m = c->ctl_mits.items[x->mit_first + j];
        for (uint32_t k = 0; k < c->pair_count[m]; k++) {
            const cpair *p = &c->pairs.items[c->pair_first[m] + k];
            if (!k) {
                const char *id = comply_text(c, p->mitigation_id), *colon = strchr(id, ':');
                iotnet__buf_printf(b, "%s%s: ", b->len ? "; " : "", colon ? colon + 1 : id);
            }
            iotnet__buf_printf(b, "%s%s%s", k ? ", " : "", comply_text(c, p->target), p->assumed ? " (assumed)" : "");
        }
    }
}

static void open_findings(iotnet__buf *b, const iotnet_compliance *c, const cctl *x)
{
    for (uint32_t k = 0; k < x->link_count; k++) {
        const cfinding *f = &c->findings.items[c->links.items[x->link_first + k].finding];
        if (f->status == IOTNET_FINDING_OPEN)
            iotnet__buf_printf(b, "%s%s", b->len ? " " : "", comply_text(c, f->id));
    }
}

static void row(iotnet__buf *out, const iotnet_compliance *c, const cctl *x)
{
    iotnet__buf id = {0}, why = {0}, ev = {0}, open = {0};
    iotnet__buf_printf(&id, "A.%s", comply_text(c, x->id));
    justification(&why, c, x);
    evidence(&ev, c, x);
    open_findings(&open, c, x);
    const char *cells[SOA_COLUMNS] = {
        id.data, comply_text(c, x->title), comply_text(c, x->group),
        x->status == IOTNET_CONTROL_NOT_APPLICABLE ? "no" : "yes", why.data, implementation(x->status),
        ev.data ? ev.data : "", open.data ? open.data : "",
    };
    for (size_t k = 0; k < SOA_COLUMNS; k++) {
        if (k)
            iotnet__buf_puts(out, ",");
        iotnet__buf_csv(out, cells[k]);
    }
    iotnet__buf_puts(out, "\r\n");
    out->failed |= id.failed | why.failed | ev.failed | open.failed;
    iotnet__buf_free(&id);
    iotnet__buf_free(&why);
    iotnet__buf_free(&ev);
    iotnet__buf_free(&open);
}

int iotnet_compliance_soa(const iotnet_compliance *c, char **out)
{
    if (!c || !out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_compliance_soa: c and out are required");
    *out = NULL;
    if (strncmp(comply_text(c, c->framework), "iso27001", 8) != 0)
        return iotnet__error_set(IOTNET_EINVAL,
                                 "a statement of applicability is for ISO/IEC 27001 (iso27001-2022), not %s",
                                 comply_text(c, c->framework));
    iotnet__buf b = {0};
    for (size_t k = 0; k < SOA_COLUMNS; k++)
        iotnet__buf_printf(&b, "%s%s", k ? "," : "", soa_header[k]);
    iotnet__buf_puts(&b, "\r\n");
    for (uint32_t i = 0; i < c->controls.count; i++)
        row(&b, c, &c->controls.items[i]);
    if (b.failed) {
        iotnet__buf_free(&b);
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory writing the statement of applicability");
    }
    *out = iotnet__buf_detach(&b);
    return *out ? 0 : iotnet__error_set(IOTNET_ENOMEM, "out of memory writing the statement of applicability");
}
