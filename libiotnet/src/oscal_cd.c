/* The catalog's mitigations as an OSCAL component definition: a component
 * per mitigation, a control-implementation per framework its controls come
 * from, an implemented requirement per control. */
#include "error_internal.h"
#include "iotnet/names.h"
#include "oscal_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct cd {
    os_doc *d;
    const iotnet_catalog *cat;
    iotnet__buf s1;
} cd;

/* What a mitigation on this kind of target is, as OSCAL names components. */
static const char *component_type(iotnet_target target)
{
    switch (target) {
    case IOTNET_TARGET_SERVICE: return "service";
    case IOTNET_TARGET_LINK: return "interconnection";
    case IOTNET_TARGET_ZONE:
    case IOTNET_TARGET_CONDUIT: return "policy";
    default: return "software";
    }
}

static int control_of(const cd *c, uint32_t index, iotnet_control_info *info, char *id, size_t size)
{
    info->version = IOTNET_CONTROL_INFO_VERSION;
    int error = iotnet_catalog_control(c->cat, index, info);
    return error ? error : iotnet__os_control_id(id, size, info->framework, info->id);
}

/* The implemented requirements of one framework among a mitigation's controls. */
static int write_framework(cd *c, os_node *component, const iotnet_mitigation_info *m, const char *framework,
                           const uint32_t *controls, size_t count)
{
    char href[IOTNET_UUID_TEXT_SIZE + 1], u[IOTNET_UUID_TEXT_SIZE];
    const char *title = iotnet__os_framework_title(framework);
    iotnet__os_framework_href(href, framework);
    iotnet__os_uuid(c->d, u, "mitigation/%s/framework/%s", m->id, framework);
    os_node *impl = iotnet__os_item(c->d, component, "control-implementations", "control-implementation");
    iotnet__os_flag(c->d, impl, "uuid", u);
    iotnet__os_flag(c->d, impl, "source", href);
    iotnet__os_markup(c->d, impl, "description",
                      iotnet__os_printf(c->d, &c->s1, "The %s controls that %s evidences.", title ? title : framework,
                                        m->title),
                      1);
    iotnet__os_prop(c->d, impl, "framework", framework, IOTNET_OSCAL_NS);
    for (size_t i = 0; i < count; i++) {
        iotnet_control_info info;
        char id[320];
        int error = control_of(c, controls[i], &info, id, sizeof id);
        if (error)
            return error;
        if (strcmp(info.framework, framework) != 0)
            continue;
        iotnet__os_uuid(c->d, u, "mitigation/%s/control/%s/%s", m->id, framework, info.id);
        os_node *req = iotnet__os_item(c->d, impl, "implemented-requirements", "implemented-requirement");
        iotnet__os_flag(c->d, req, "uuid", u);
        iotnet__os_flag(c->d, req, "control-id", id);
        iotnet__os_markup(c->d, req, "description",
                          iotnet__os_printf(c->d, &c->s1, "Where %s is in place, it evidences %s %s: %s.", m->title,
                                            title ? title : framework, info.id, info.title),
                          1);
        iotnet__os_prop(c->d, req, "control", info.id, IOTNET_OSCAL_NS);
    }
    return 0;
}

/* Whether an earlier control of the list belongs to the same framework. */
static int framework_seen(const cd *c, const uint32_t *controls, size_t i, const char *framework)
{
    for (size_t j = 0; j < i; j++) {
        iotnet_control_info info = {.version = IOTNET_CONTROL_INFO_VERSION};
        if (iotnet_catalog_control(c->cat, controls[j], &info) == 0 && strcmp(info.framework, framework) == 0)
            return 1;
    }
    return 0;
}

static void technologies(cd *c, os_node *component, const char *words)
{
    char word[200];
    const char *p = words ? words : "";
    while (iotnet__os_next_word(&p, word, sizeof word))
        iotnet__os_prop(c->d, component, "technology", word, IOTNET_OSCAL_NS);
}

static int write_component(cd *c, os_node *root, size_t index)
{
    iotnet_mitigation_info m = {.version = IOTNET_MITIGATION_INFO_VERSION};
    int error = iotnet_catalog_mitigation(c->cat, index, &m);
    if (error)
        return error;
    uint32_t *controls = NULL;
    size_t count = 0;
    if ((error = iotnet__os_mitigation_controls(c->cat, index, &controls, &count)) != 0)
        return error;
    char u[IOTNET_UUID_TEXT_SIZE];
    iotnet__os_uuid(c->d, u, "mitigation/%s", m.id);
    os_node *component = iotnet__os_item(c->d, root, "components", "component");
    iotnet__os_flag(c->d, component, "uuid", u);
    iotnet__os_flag(c->d, component, "type", component_type(m.target));
    iotnet__os_markup(c->d, component, "title", m.title, 0);
    iotnet__os_markup(c->d, component, "description", m.description && m.description[0] ? m.description : m.title, 1);
    iotnet__os_prop(c->d, component, "mitigation-id", m.id, IOTNET_OSCAL_NS);
    const char *target = iotnet_enum_name(IOTNET_ENUM_TARGET, (int)m.target);
    iotnet__os_prop(c->d, component, "target-kind", target, IOTNET_OSCAL_NS);
    technologies(c, component, m.technologies);
    iotnet__os_prop(c->d, component, "present-when", m.condition, IOTNET_OSCAL_NS);
    /* one control-implementation per framework, in the order the list first names it */
    for (size_t i = 0; i < count && !error; i++) {
        iotnet_control_info info = {.version = IOTNET_CONTROL_INFO_VERSION};
        error = iotnet_catalog_control(c->cat, controls[i], &info);
        if (!error && !framework_seen(c, controls, i, info.framework))
            error = write_framework(c, component, &m, info.framework, controls, count);
    }
    free(controls);
    return error;
}

/* A resource for every framework of the loaded control catalogs. */
static int write_back_matter(cd *c, os_node *root)
{
    os_node *back = iotnet__os_assembly(c->d, root, "back-matter");
    size_t n = iotnet_catalog_control_count(c->cat), count = 0;
    const char **seen = malloc((n + 1) * sizeof *seen);
    if (!seen)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        iotnet_control_info info = {.version = IOTNET_CONTROL_INFO_VERSION};
        if (iotnet_catalog_control(c->cat, i, &info) != 0)
            continue;
        size_t j = 0; /* frameworks are few: a look at those already written */
        while (j < count && strcmp(seen[j], info.framework) != 0)
            j++;
        if (j == count) {
            seen[count++] = info.framework;
            iotnet__os_framework_resource(c->d, back, info.framework);
        }
    }
    free(seen);
    return 0;
}

int iotnet__oscal_cd_build(os_doc *d, const iotnet_catalog *cat, const iotnet_oscal_options *opts)
{
    cd c = {.d = d, .cat = cat};
    d->scope = "component-definition";
    /* the document is named by its mitigations, each component by its own */
    iotnet__buf ids = {0};
    size_t n = iotnet_catalog_mitigation_count(cat);
    for (size_t i = 0; i < n; i++) {
        iotnet_mitigation_info m = {.version = IOTNET_MITIGATION_INFO_VERSION};
        if (iotnet_catalog_mitigation(cat, i, &m) == 0)
            iotnet__buf_printf(&ids, "%s%s", i ? " " : "", m.id);
    }
    os_node *root = iotnet__os_begin(d, "component-definition");
    char u[IOTNET_UUID_TEXT_SIZE];
    iotnet__os_uuid(d, u, "document/%s", ids.data ? ids.data : "");
    iotnet__os_flag(d, root, "uuid", u);
    iotnet__os_metadata(d, root, "Mitigations of the threat catalogs and the controls they evidence",
                        iotnet__os_now(opts), opts);
    int error = ids.failed ? iotnet__error_set(IOTNET_ENOMEM, "out of memory") : 0;
    for (size_t i = 0; i < n && !error; i++)
        error = write_component(&c, root, i);
    if (!error)
        error = write_back_matter(&c, root);
    if (!error && d->failed)
        error = IOTNET_ENOMEM;
    iotnet__buf_free(&ids);
    iotnet__buf_free(&c.s1);
    d->scope = NULL;
    return error;
}
